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

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError, ProgrammingError
from sqlalchemy.pool import NullPool

from returndesk.domain.errors import DatabaseUnavailable, SchemaTooNew, ValidationFailed, storage_problem
from returndesk.store.engine import Database
from returndesk.store.migrate import SchemaStatus, schema_status

from returndesk.services.infra.bootstrap import open_database
from returndesk.services.tx.context import ServiceContext, utcnow
from returndesk.services.infra.choice import (
    DEFAULT_PORT,
    DEFAULT_SERVER_PORT,
    DEFAULT_TIMEOUT_S,
    KEYRING_SERVICE,
    DatabaseChoice,
    DatabaseKind,
    ServerAddress,
    SslMode,
    check_server_url,
    choice_from_url,
    default_local_path,
    forget_password,
    given_database_url,
    keyring_available,
)
from returndesk.domain.messages import Message, msg, template, with_detail

__all__ = [
    "DEFAULT_PORT", "DEFAULT_SERVER_PORT", "DEFAULT_TIMEOUT_S", "KEYRING_SERVICE", "ConnectionCheck",
    "DatabaseChoice", "DatabaseKind", "OpenedDatabase", "ServerAddress", "SslMode", "check_connection",
    "check_server_url", "choice_from_url", "default_local_path", "explain_connection_error", "forget_password",
    "given_database_url", "keyring_available", "open_database_at",
]

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
            msg("Connected to PostgreSQL {version} at {where}, but this database was upgraded by a newer ReturnDesk "
                "(schema revision {current}). Install that version on this station, or choose another database.",
                version=version, where=where, current=status.current),
            version, status,
        )
    if status.current is None:
        state = msg("It has no ReturnDesk tables yet; they will be created when the station starts.")
    elif status.up_to_date:
        state = msg("Its ReturnDesk tables are up to date.")
    else:
        state = msg("Its ReturnDesk tables will be upgraded to this version when the station starts.")
    return ConnectionCheck(True, msg("Connected to PostgreSQL {version} at {where} as {user}. {state}",
                                     version=version, where=where, user=server.user, state=state),
                           version, status)


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"could not translate host name|name or service not known|nodename nor servname|"
                r"temporary failure in name resolution|no such host", re.I),
     template("The host name {host} is unknown on this network. Check its spelling, or enter the server's "
     "IP address.")),
    (re.compile(r"connection refused", re.I),
     template("Nothing answers on {host} port {port}: PostgreSQL is not running there, listens on another "
     "port, or a firewall blocks the port. Check the host and the port, and that the server is started.")),
    (re.compile(r"timeout expired|timed out|connection timed out", re.I),
     template("The server {host} did not answer on port {port} within {timeout} seconds. Check the "
     "network, the host name and any firewall between this station and the server.")),
    (re.compile(r"no route to host|network is unreachable", re.I),
     template("This station has no network route to {host}. Check the network cable or Wi-Fi and the address.")),
    (re.compile(r"password authentication failed|authentication failed", re.I),
     template("The server refused the login {user}: the password is wrong or the user does not exist. "
     "Check both, or ask the database administrator.")),
    (re.compile(r"no password supplied|fe_sendauth", re.I),
     template("The server asks for a password for {user}. Enter the password and try again.")),
    (re.compile(r"role \".*\" does not exist", re.I),
     template("The server has no database user {user}. Check the user name: only the ReturnDesk server's "
     "login (made by 'returndesk db init') and the database's owner connect; stations connect to "
     "the ReturnDesk server instead.")),
    (re.compile(r"database \".*\" does not exist", re.I),
     template("The server has no database named {database}. Check the name, or ask the administrator to "
     "create it and run 'returndesk db init'.")),
    (re.compile(r"server does not support ssl", re.I),
     template("The server does not accept encrypted (SSL) connections, but the SSL mode is {sslmode}. "
     "Choose 'prefer' or 'disable', or enable SSL on the server.")),
    (re.compile(r"no pg_hba\.conf entry", re.I),
     template("The server does not allow {user} to connect from this station (pg_hba.conf has no entry "
     "for it{ssl_hint}). Ask the database administrator to allow this station.")),
    (re.compile(r"certificate|ssl", re.I),
     template("The encrypted (SSL) connection to {host} failed with SSL mode {sslmode}. Check the server's "
     "certificate, or choose a weaker SSL mode if your network allows it.")),
    (re.compile(r"permission denied for database|must have connect privilege", re.I),
     template("The user {user} may not connect to the database {database}: only the ReturnDesk server's "
     "login and the database's owner may. Stations connect to the ReturnDesk server instead.")),
    (re.compile(r"too many connections|remaining connection slots", re.I),
     template("The server at {host} has no free connections. Try again in a moment, or ask the "
     "administrator to raise max_connections.")),
    (re.compile(r"the database system is starting up|shutting down", re.I),
     template("The PostgreSQL server at {host} is starting up or shutting down. Try again in a moment.")),
]


def explain_connection_error(server: ServerAddress, exc: BaseException, timeout_s: int = DEFAULT_TIMEOUT_S) -> str:
    """A sentence naming what failed when logging in to ``server`` and what to do about it."""
    raw = str(getattr(exc, "orig", None) or exc)
    for pattern, sentence in _PATTERNS:
        if pattern.search(raw):
            return Message(sentence, dict(
                host=server.host, port=server.port, user=server.user, database=server.database,
                sslmode=server.sslmode, timeout=max(2, int(timeout_s)),
                ssl_hint=msg(", with or without SSL") if "no encryption" in raw or "SSL off" in raw else "",
            ))
    first = raw.strip().splitlines()[0] if raw.strip() else type(exc).__name__
    return with_detail(msg("Could not connect to PostgreSQL at {host}:{port}/{database}. "
                           "Check the settings with the database administrator.",
                           host=server.host, port=server.port, database=server.database), first)


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
                    msg(
                        "The database {describe} is at schema revision {current}, and this ReturnDesk needs {head}, "
                        "but the login {user} may not change the schema. Ask the administrator to run 'returndesk db "
                        "init' with an administrator login, then start again.",
                        describe=choice.describe(), current=before.current, head=before.head,
                        user=choice.server.user if choice.server else '')
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
            raise DatabaseUnavailable(with_detail(
                msg(
                    "The local database file {path} cannot be opened. Check that the folder exists and is "
                    "writable, or choose another file.",
                    path=choice.path), exc.orig)
            ) from exc
        assert choice.server is not None
        raise DatabaseUnavailable(explain_connection_error(choice.server, exc)) from exc
    if status.too_new:
        raise SchemaTooNew(
            msg(
                "The database {describe} was upgraded by a newer ReturnDesk (schema revision {current}); this "
                "version knows revisions up to {head}. Install the newer ReturnDesk on this station, or choose "
                "another database.",
                describe=choice.describe(), current=status.current, head=status.head)
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
