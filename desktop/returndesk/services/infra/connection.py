"""Choosing and reaching the database a station works on.

A station works either on a local SQLite file (one machine) or through a ReturnDesk server (many
stations; the server alone holds the database login). :class:`DatabaseChoice` is what the station
remembers about that choice: the file, or the server's address and the certificate fingerprint the
station confirmed. A PostgreSQL address (``--url postgresql://…``) is for the administrator on the
database host, for one run; a station never stores a database login.

:func:`check_connection` tries a server with a short timeout and says in words what failed;
:func:`open_database_at` opens, upgrades and seeds the database for the services.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, ProgrammingError
from sqlalchemy.pool import NullPool

from returndesk.domain.errors import DatabaseUnavailable, SchemaTooNew, ValidationFailed, storage_problem
from returndesk.store.engine import ENV_URL, Database, default_sqlite_path
from returndesk.store.migrate import SchemaStatus, schema_status

from returndesk.services.infra.bootstrap import open_database
from returndesk.services.tx.context import ServiceContext, utcnow

#: Where ReturnDesk before the server kept a station's database password (now only removed).
KEYRING_SERVICE = "ReturnDesk PostgreSQL"
DEFAULT_PORT = 5432
DEFAULT_TIMEOUT_S = 5


class DatabaseKind(StrEnum):
    LOCAL = "local"  # SQLite file on this machine
    SERVER = "server"  # PostgreSQL directly (the administrator's --url on the database host)
    REMOTE = "remote"  # a ReturnDesk server (https://host:8443): shared mode of the stations


class SslMode(StrEnum):
    """libpq's sslmode values, weakest first."""

    DISABLE = "disable"
    ALLOW = "allow"
    PREFER = "prefer"
    REQUIRE = "require"
    VERIFY_CA = "verify-ca"
    VERIFY_FULL = "verify-full"


@dataclass(frozen=True)
class ServerAddress:
    """Where a shared PostgreSQL database is and who logs in (no password)."""

    host: str
    port: int = DEFAULT_PORT
    database: str = "returndesk"
    user: str = "returndesk"
    sslmode: SslMode = SslMode.PREFER

    def validate(self) -> None:
        """Raise ``ValidationFailed`` listing every field that cannot work."""
        problems = []
        if not self.host.strip():
            problems.append("Enter the server's host name or IP address.")
        elif any(c.isspace() for c in self.host.strip()):
            problems.append("The host name cannot contain spaces.")
        if not 1 <= int(self.port) <= 65535:
            problems.append("The port is a number from 1 to 65535 (PostgreSQL's default is 5432).")
        if not self.database.strip():
            problems.append("Enter the name of the database on the server.")
        if not self.user.strip():
            problems.append("Enter the database user name.")
        try:
            SslMode(self.sslmode)
        except ValueError:
            problems.append(f"'{self.sslmode}' is not an SSL mode; use one of "
                            f"{', '.join(m.value for m in SslMode)}.")
        if problems:
            raise ValidationFailed("The server settings are incomplete: " + " ".join(problems), problems)

    def url(self, password: str | None = None) -> str:
        """The SQLAlchemy URL (psycopg 3), with the password when one is given."""
        u = URL.create(
            "postgresql+psycopg",
            username=self.user.strip(),
            password=password or None,
            host=self.host.strip(),
            port=int(self.port),
            database=self.database.strip(),
            query={"sslmode": str(SslMode(self.sslmode))},
        )
        return u.render_as_string(hide_password=False)

    @property
    def keyring_user(self) -> str:
        """The key under which the password is kept in the keyring."""
        return f"{self.user.strip()}@{self.host.strip()}:{int(self.port)}/{self.database.strip()}"

    def describe(self) -> str:
        return f"PostgreSQL {self.user}@{self.host}:{self.port}/{self.database}"


@dataclass(frozen=True)
class DatabaseChoice:
    """The database a station works on: a local file or a server."""

    kind: DatabaseKind
    path: str | None = None  # LOCAL: the SQLite file
    server: ServerAddress | None = None  # SERVER
    server_url: str | None = None  # REMOTE: https://host:8443 (http only on loopback)
    fingerprint: str | None = None  # REMOTE: the SHA-256 of the self-signed certificate confirmed

    @classmethod
    def local(cls, path: str | Path | None = None) -> DatabaseChoice:
        return cls(DatabaseKind.LOCAL, path=str(path or default_local_path()))

    @classmethod
    def shared(cls, server: ServerAddress) -> DatabaseChoice:
        return cls(DatabaseKind.SERVER, server=server)

    @classmethod
    def remote(cls, server_url: str, fingerprint: str | None = None) -> DatabaseChoice:
        return cls(DatabaseKind.REMOTE, server_url=server_url.strip().rstrip("/"), fingerprint=fingerprint or None)

    @property
    def is_local(self) -> bool:
        return self.kind == DatabaseKind.LOCAL

    @property
    def is_remote(self) -> bool:
        return self.kind == DatabaseKind.REMOTE

    def url(self, password: str | None = None) -> str:
        if self.is_local:
            return URL.create("sqlite", database=str(self.path)).render_as_string()
        if self.is_remote:
            raise ValidationFailed("A ReturnDesk server is reached through its API, not as a database.")
        assert self.server is not None
        return self.server.url(password)

    def describe(self) -> str:
        """Password-free words for the status bar: the local file or the server."""
        if self.is_local:
            return f"local file {self.path}"
        if self.is_remote:
            return f"ReturnDesk server {self.server_url}"
        assert self.server is not None
        return self.server.describe()


def default_local_path() -> Path:
    """Where the local database lives unless the station chose another file."""
    return default_sqlite_path()


def given_database_url(arguments: Sequence[str], environ: Mapping[str, str] | None = None) -> str | None:
    """The database address a client was given, found as the command line finds it: ``--url URL``
    (or ``--url=URL``) among ``arguments``, else ``$RETURNDESK_DB_URL``; None when neither says."""
    for index, argument in enumerate(arguments):
        if argument == "--url" and index + 1 < len(arguments):
            return arguments[index + 1]
        if argument.startswith("--url="):
            return argument.split("=", 1)[1]
    return (os.environ if environ is None else environ).get(ENV_URL) or None


DEFAULT_SERVER_PORT = 8443


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_server_url(text: str) -> str:
    """The address of a ReturnDesk server in its normal form (``https://host:8443``), or
    ``ValidationFailed`` saying what is wrong. Plain ``http`` is accepted only for this computer
    (a loopback address): anywhere else the password and the data would cross the network in clear."""
    from urllib.parse import urlsplit

    raw = (text or "").strip()
    if raw and "://" not in raw:
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        parts, port = None, None
    host = parts.hostname if parts is not None else None
    if parts is None or not host or parts.scheme not in ("https", "http") or any(c.isspace() for c in raw):
        raise ValidationFailed(
            "Enter the address of the ReturnDesk server, e.g. https://returns.example.lan:8443.")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValidationFailed(
            "The server address is only the scheme, host and port, e.g. https://returns.example.lan:8443.")
    if parts.scheme == "http" and not _is_loopback(host):
        raise ValidationFailed(
            f"Plain http is only allowed to this computer (localhost); use https://{host}:"
            f"{port or DEFAULT_SERVER_PORT} so that passwords and data are encrypted.")
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}:{port or DEFAULT_SERVER_PORT}"


def choice_from_url(url: str) -> tuple[DatabaseChoice, str | None]:
    """The database (and the password, if the address holds one) that an address names.

    The address is what ``--url`` and ``$RETURNDESK_DB_URL`` give the command line:
    ``sqlite:///path/to/file.sqlite3``, ``postgresql://user:password@host:5432/name?sslmode=…``
    (the administrator on the database host), or a ReturnDesk server ``https://host:8443``.
    Raises ``ValidationFailed`` for anything else.
    """
    if url.strip().lower().startswith(("https://", "http://")):
        return DatabaseChoice.remote(check_server_url(url)), None
    try:
        parsed = make_url(url.strip())
    except (ArgumentError, ValueError) as exc:
        raise ValidationFailed(
            "The database address given is not one ReturnDesk can use. Use sqlite:///path/to/file.sqlite3 "
            "for a local file or postgresql://user:password@host:5432/name for a shared server."
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise ValidationFailed(
                "A local database needs a file: give sqlite:///path/to/file.sqlite3 (three slashes, "
                "then the path)."
            )
        return DatabaseChoice.local(Path(parsed.database).expanduser().absolute()), None
    if backend in ("postgresql", "postgres"):
        sslmode = str(parsed.query.get("sslmode") or SslMode.PREFER)
        try:
            mode = SslMode(sslmode)
        except ValueError as exc:
            raise ValidationFailed(f"'{sslmode[:20]}' is not an SSL mode; use one of "
                                   f"{', '.join(m.value for m in SslMode)}.") from exc
        server = ServerAddress(host=parsed.host or "", port=parsed.port or DEFAULT_PORT,
                               database=parsed.database or "returndesk", user=parsed.username or "returndesk",
                               sslmode=mode)
        server.validate()
        return DatabaseChoice.shared(server), parsed.password
    raise ValidationFailed(
        f"ReturnDesk works with SQLite and PostgreSQL, not {backend[:20]}; give a sqlite:/// or "
        "postgresql:// address."
    )


# --------------------------------------------------------------------------- testing a server


@dataclass(frozen=True)
class ConnectionCheck:
    """The outcome of trying a server: ``ok`` and a sentence for the person setting up the station."""

    ok: bool
    message: str
    server_version: str | None = None
    schema: SchemaStatus | None = None


def check_connection(server: ServerAddress, password: str | None, *,
                     timeout_s: int = DEFAULT_TIMEOUT_S) -> ConnectionCheck:
    """Log in to ``server`` once, with a short timeout, and describe the result in words.

    Never raises for a connection problem: the check is the answer. Besides "connected", it says
    whether ReturnDesk will create its tables, upgrade them, or cannot use this database because
    a newer ReturnDesk upgraded it.
    """
    try:
        server.validate()
    except ValidationFailed as exc:
        return ConnectionCheck(False, exc.message)
    engine = create_engine(
        server.url(password), poolclass=NullPool,
        connect_args={"connect_timeout": max(2, int(timeout_s)),
                      "application_name": "returndesk-connection-test"},
    )
    try:
        with engine.connect() as conn:
            version = str(conn.execute(text("SHOW server_version")).scalar_one()).split(" ")[0]
        status = schema_status(engine)
    except DBAPIError as exc:
        return ConnectionCheck(False, explain_connection_error(server, exc, timeout_s))
    finally:
        engine.dispose()
    where = f"{server.host}:{server.port}/{server.database}"
    if status.too_new:
        return ConnectionCheck(
            False,
            f"Connected to PostgreSQL {version} at {where}, but this database was upgraded by a "
            "newer ReturnDesk (schema revision "
            f"{status.current}). Install that version on this station, or choose another database.",
            version, status,
        )
    if status.current is None:
        state = "It has no ReturnDesk tables yet; they will be created when the station starts."
    elif status.up_to_date:
        state = "Its ReturnDesk tables are up to date."
    else:
        state = "Its ReturnDesk tables will be upgraded to this version when the station starts."
    return ConnectionCheck(True, f"Connected to PostgreSQL {version} at {where} as {server.user}. {state}",
                           version, status)


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"could not translate host name|name or service not known|nodename nor servname|"
                r"temporary failure in name resolution|no such host", re.I),
     "The host name {host} is unknown on this network. Check its spelling, or enter the server's "
     "IP address."),
    (re.compile(r"connection refused", re.I),
     "Nothing answers on {host} port {port}: PostgreSQL is not running there, listens on another "
     "port, or a firewall blocks the port. Check the host and the port, and that the server is started."),
    (re.compile(r"timeout expired|timed out|connection timed out", re.I),
     "The server {host} did not answer on port {port} within {timeout} seconds. Check the "
     "network, the host name and any firewall between this station and the server."),
    (re.compile(r"no route to host|network is unreachable", re.I),
     "This station has no network route to {host}. Check the network cable or Wi-Fi and the address."),
    (re.compile(r"password authentication failed|authentication failed", re.I),
     "The server refused the login {user}: the password is wrong or the user does not exist. "
     "Check both, or ask the database administrator."),
    (re.compile(r"no password supplied|fe_sendauth", re.I),
     "The server asks for a password for {user}. Enter the password and try again."),
    (re.compile(r"role \".*\" does not exist", re.I),
     "The server has no database user {user}. Check the user name: only the ReturnDesk server's "
     "login (made by 'returndesk db init') and the database's owner connect; stations connect to "
     "the ReturnDesk server instead."),
    (re.compile(r"database \".*\" does not exist", re.I),
     "The server has no database named {database}. Check the name, or ask the administrator to "
     "create it and run 'returndesk db init'."),
    (re.compile(r"server does not support ssl", re.I),
     "The server does not accept encrypted (SSL) connections, but the SSL mode is {sslmode}. "
     "Choose 'prefer' or 'disable', or enable SSL on the server."),
    (re.compile(r"no pg_hba\.conf entry", re.I),
     "The server does not allow {user} to connect from this station (pg_hba.conf has no entry "
     "for it{ssl_hint}). Ask the database administrator to allow this station."),
    (re.compile(r"certificate|ssl", re.I),
     "The encrypted (SSL) connection to {host} failed with SSL mode {sslmode}. Check the server's "
     "certificate, or choose a weaker SSL mode if your network allows it."),
    (re.compile(r"permission denied for database|must have connect privilege", re.I),
     "The user {user} may not connect to the database {database}: only the ReturnDesk server's "
     "login and the database's owner may. Stations connect to the ReturnDesk server instead."),
    (re.compile(r"too many connections|remaining connection slots", re.I),
     "The server at {host} has no free connections. Try again in a moment, or ask the "
     "administrator to raise max_connections."),
    (re.compile(r"the database system is starting up|shutting down", re.I),
     "The PostgreSQL server at {host} is starting up or shutting down. Try again in a moment."),
]


def explain_connection_error(server: ServerAddress, exc: BaseException, timeout_s: int = DEFAULT_TIMEOUT_S) -> str:
    """A sentence naming what failed when logging in to ``server`` and what to do about it."""
    raw = str(getattr(exc, "orig", None) or exc)
    for pattern, template in _PATTERNS:
        if pattern.search(raw):
            return template.format(
                host=server.host, port=server.port, user=server.user, database=server.database,
                sslmode=server.sslmode, timeout=max(2, int(timeout_s)),
                ssl_hint=", with or without SSL" if "no encryption" in raw or "SSL off" in raw else "",
            )
    first = raw.strip().splitlines()[0] if raw.strip() else type(exc).__name__
    return (f"Could not connect to PostgreSQL at {server.host}:{server.port}/{server.database}: {first}. "
            "Check the settings with the database administrator.")


# --------------------------------------------------------------------------- opening


@dataclass(frozen=True)
class OpenedDatabase:
    """A ready database: migrated, seeded, and whether it was created just now."""

    ctx: ServiceContext
    choice: DatabaseChoice
    status: SchemaStatus
    created: bool  # the schema did not exist before this start


def open_database_at(choice: DatabaseChoice, password: str | None = None, *,
                     station: str | None = None, clock: Callable[[], datetime] = utcnow) -> OpenedDatabase:
    """Open the chosen database, upgrade its schema and seed its reference data.

    Raises ``SchemaTooNew`` when a newer ReturnDesk upgraded the database, and
    ``DatabaseUnavailable`` (with the reason in words) when the server cannot be reached or the
    login may not upgrade an outdated schema.
    """
    if not choice.is_local:
        assert choice.server is not None
        choice.server.validate()
    db = Database.open(choice.url(password), application_name=_application_name(station))
    ctx = ServiceContext(db=db, clock=clock, station=station)
    try:
        before = _status_or_explain(choice, db)
        try:
            # Migrations and seeding write outside the services' transactions: a locked,
            # read-only or full database is said in words here too.
            with db.translate_errors():
                status = open_database(ctx)
        except ProgrammingError as exc:
            if _is_privilege_problem(exc):
                raise DatabaseUnavailable(
                    f"The database {choice.describe()} is at schema revision {before.current}, and this "
                    f"ReturnDesk needs {before.head}, but the login "
                    f"{choice.server.user if choice.server else ''} may not change the schema. Ask the "
                    "administrator to run 'returndesk db init' with an administrator login, then start "
                    "again."
                ) from exc
            raise
    except BaseException:
        db.dispose()
        raise
    return OpenedDatabase(ctx=ctx, choice=choice, status=status, created=before.current is None)


def _status_or_explain(choice: DatabaseChoice, db: Database) -> SchemaStatus:
    try:
        status = schema_status(db.engine)
    except DBAPIError as exc:
        problem = storage_problem(exc, choice.describe(), wait_s=db.busy_timeout_s)
        if problem is not None:
            raise problem from exc
        if choice.is_local:
            raise DatabaseUnavailable(
                f"The local database file {choice.path} cannot be opened ({exc.orig}). Check that "
                "the folder exists and is writable, or choose another file."
            ) from exc
        assert choice.server is not None
        raise DatabaseUnavailable(explain_connection_error(choice.server, exc)) from exc
    if status.too_new:
        raise SchemaTooNew(
            f"The database {choice.describe()} was upgraded by a newer ReturnDesk (schema revision "
            f"{status.current}); this version knows revisions up to {status.head}. Install the newer "
            "ReturnDesk on this station, or choose another database."
        )
    return status


def _is_privilege_problem(exc: DBAPIError) -> bool:
    raw = str(exc.orig or exc).lower()
    return "permission denied" in raw or "must be owner" in raw or "insufficientprivilege" in raw


def _application_name(station: str | None) -> str:
    # Shown in pg_stat_activity and carried by change notifications, so stations can ignore
    # their own; PostgreSQL truncates it at 63 bytes.
    name = f"returndesk/{station}" if station else "returndesk"
    return name[:63]


# --------------------------------------------------------------------------- keyring


def keyring_available() -> bool:
    """True when a system keyring backend can store secrets (not the fail/null backends).

    The keyring is imported here, not with the module: only the clean-up of an older station needs it.
    """
    import keyring
    import keyring.backends.fail
    import keyring.backends.null
    from keyring.errors import KeyringError

    try:
        backend = keyring.get_keyring()
    except KeyringError:
        return False
    return not isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring) and \
        getattr(backend, "priority", 0) > 0


def forget_password(server: ServerAddress) -> None:
    """Remove the database password an older ReturnDesk kept in the keyring for ``server``'s login
    (stations no longer keep one: they sign in at the ReturnDesk server)."""
    if not keyring_available():
        return
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, server.keyring_user)
    except (PasswordDeleteError, KeyringError):
        # Nothing stored under that key: the goal (no password kept) holds already.
        pass
