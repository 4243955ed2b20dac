"""The database a station works on, as it is chosen and remembered: a local SQLite file or a
ReturnDesk server (and, for the administrator's one run, a PostgreSQL address).

Nothing here imports SQLAlchemy or opens anything: a station reads its choice and shows its
sign-in window before the database layer is loaded. Opening is :mod:`.connection`'s work.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from returndesk.domain.errors import ValidationFailed
from returndesk.store.location import ENV_URL, default_sqlite_path
from returndesk.domain.messages import join, msg

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
            problems.append(msg("Enter the server's host name or IP address."))
        elif any(c.isspace() for c in self.host.strip()):
            problems.append(msg("The host name cannot contain spaces."))
        if not 1 <= int(self.port) <= 65535:
            problems.append(msg("The port is a number from 1 to 65535 (PostgreSQL's default is 5432)."))
        if not self.database.strip():
            problems.append(msg("Enter the name of the database on the server."))
        if not self.user.strip():
            problems.append(msg("Enter the database user name."))
        try:
            SslMode(self.sslmode)
        except ValueError:
            problems.append(msg(
                "'{sslmode}' is not an SSL mode; use one of {value}.",
                sslmode=self.sslmode, value=', '.join(m.value for m in SslMode)))
        if problems:
            raise ValidationFailed(
                msg("The server settings are incomplete: {problems}", problems=join(problems)), problems)

    def url(self, password: str | None = None) -> str:
        """The SQLAlchemy URL (psycopg 3), with the password when one is given."""
        from sqlalchemy.engine import URL

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
            from sqlalchemy.engine import URL

            return URL.create("sqlite", database=str(self.path)).render_as_string()
        if self.is_remote:
            raise ValidationFailed(msg("A ReturnDesk server is reached through its API, not as a database."))
        assert self.server is not None
        return self.server.url(password)

    def describe(self) -> str:
        """Password-free words for the status bar: the local file or the server."""
        if self.is_local:
            return msg("local file {path}", path=self.path)
        if self.is_remote:
            return msg("ReturnDesk server {url}", url=self.server_url)
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
            msg("Enter the address of the ReturnDesk server, e.g. https://returns.example.lan:8443."))
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValidationFailed(
            msg("The server address is only the scheme, host and port, e.g. https://returns.example.lan:8443."))
    if parts.scheme == "http" and not _is_loopback(host):
        raise ValidationFailed(
            msg(
                "Plain http is only allowed to this computer (localhost); use https://{host}:{value} so that "
                "passwords and data are encrypted.",
                host=host, value=port or DEFAULT_SERVER_PORT))
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}:{port or DEFAULT_SERVER_PORT}"


#: ``sqlite:///path`` (``sqlite:////absolute/path``) with nothing after the path; anything else
#: goes through SQLAlchemy's parser.
_SQLITE_FILE = re.compile(r"sqlite(?:\+pysqlite)?:///([^?#]+)")


def choice_from_url(url: str) -> tuple[DatabaseChoice, str | None]:
    """The database (and the password, if the address holds one) that an address names.

    The address is what ``--url`` and ``$RETURNDESK_DB_URL`` give the command line:
    ``sqlite:///path/to/file.sqlite3``, ``postgresql://user:password@host:5432/name?sslmode=…``
    (the administrator on the database host), or a ReturnDesk server ``https://host:8443``.
    Raises ``ValidationFailed`` for anything else.
    """
    if url.strip().lower().startswith(("https://", "http://")):
        return DatabaseChoice.remote(check_server_url(url)), None
    plain_file = _SQLITE_FILE.fullmatch(url.strip())
    if plain_file and plain_file.group(1) != ":memory:":
        # The common address of a local file, read without loading SQLAlchemy at start-up.
        return DatabaseChoice.local(Path(plain_file.group(1)).expanduser().absolute()), None
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url.strip())
    except (ArgumentError, ValueError) as exc:
        raise ValidationFailed(
            msg(
                "The database address given is not one ReturnDesk can use. Use sqlite:///path/to/file.sqlite3 for a "
                "local file or postgresql://user:password@host:5432/name for a shared server.")
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise ValidationFailed(
                msg(
                    "A local database needs a file: give sqlite:///path/to/file.sqlite3 (three slashes, then the "
                    "path).")
            )
        return DatabaseChoice.local(Path(parsed.database).expanduser().absolute()), None
    if backend in ("postgresql", "postgres"):
        sslmode = str(parsed.query.get("sslmode") or SslMode.PREFER)
        try:
            mode = SslMode(sslmode)
        except ValueError as exc:
            raise ValidationFailed(msg(
                "'{sslmode}' is not an SSL mode; use one of {value}.",
                sslmode=sslmode[:20], value=', '.join(m.value for m in SslMode))) from exc
        server = ServerAddress(host=parsed.host or "", port=parsed.port or DEFAULT_PORT,
                               database=parsed.database or "returndesk", user=parsed.username or "returndesk",
                               sslmode=mode)
        server.validate()
        return DatabaseChoice.shared(server), parsed.password
    raise ValidationFailed(
        msg(
            "ReturnDesk works with SQLite and PostgreSQL, not {backend}; give a sqlite:/// or postgresql:// address.",
            backend=backend[:20])
    )


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
