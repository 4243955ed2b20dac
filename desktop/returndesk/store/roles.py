"""The PostgreSQL roles of a shared installation: the schema owner and the server's one login.

The schema belongs to whoever runs ``returndesk db init`` (the owner login of the database; it
also runs the upgrades). The ReturnDesk server connects with one LOGIN role, by default
``returndesk_server``, the only login besides the owner that may connect to the database.
Stations have no database login at all: they sign in at the server. The server's login:

- cannot change the schema (owns nothing, no CREATE on the schema);
- may read the audit trail, its head and the webhook outbox but not write them: events are
  appended by the owner's ``SECURITY DEFINER`` function (:mod:`returndesk.store.audit_chain`),
  which assigns their sequence numbers and hashes, and which is all the login may call;
- may only add refunds, refund lines, credit notes, journal entries and lines and stock
  movements: no UPDATE, DELETE or TRUNCATE (a correction is a new record, never an edit);
- may not delete approvals, the print log or policy versions;
- reads the schema revision but cannot change it, nor the return reasons' version (the owner's
  trigger moves it on, :mod:`returndesk.store.reason_versions`);
- runs with lock, statement and idle-in-transaction timeouts (``ALTER ROLE … IN DATABASE … SET``).

Its password reaches PostgreSQL only as a SCRAM-SHA-256 verifier computed on this side
(libpq's ``PQencryptPasswordConn``), never in clear.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, text

from returndesk.store.audit_chain import APPEND_SIGNATURE
from returndesk.domain.messages import msg

SERVER_LOGIN = "returndesk_server"
#: The group role of the station logins of earlier versions; ``db init`` takes its rights away.
LEGACY_CLIENT_ROLE = "returndesk_client"

READ_ONLY = ("audit_events", "audit_head", "outbox_events", "alembic_version", "reason_versions")
APPEND_ONLY = (
    "refunds", "refund_lines", "credit_notes", "journal_entries", "journal_lines", "stock_movements",
    "store_credit_entries", "refurbish_jobs",
)
NO_DELETE = ("approvals", "print_log", "return_policies", "cash_shifts")

#: Session settings of the server's login: a lock is not waited for longer than this, a statement
#: not run longer, and a transaction left open by a stuck request is ended.
TIMEOUTS = {
    "lock_timeout": "10s",
    "statement_timeout": "60s",
    "idle_in_transaction_session_timeout": "60s",
}

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def check_login_name(name: str) -> str:
    """``name`` as a quoted SQL identifier, or ValueError saying what a login name may hold."""
    if not _NAME.match(name):
        raise ValueError(
            msg(
                "'{name}' is not a valid login name: use lower-case letters, digits and underscores, starting with a "
                "letter",
                name=name[:63])
        )
    return f'"{name}"'


def table_privileges(table: str) -> str:
    if table in READ_ONLY:
        return "SELECT"
    if table in APPEND_ONLY:
        return "SELECT, INSERT"
    if table in NO_DELETE:
        return "SELECT, INSERT, UPDATE"
    return "SELECT, INSERT, UPDATE, DELETE"


def scram_verifier(conn: Connection, login: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password`` for ``login``, computed by libpq on this side."""
    raw = conn.connection.driver_connection
    pgconn = getattr(raw, "pgconn", None)
    if pgconn is None:  # pragma: no cover - only psycopg connections reach here
        raise RuntimeError("the database driver cannot hash passwords on the client")
    return bytes(pgconn.encrypt_password(password.encode("utf-8"), login.encode("utf-8"),
                                         b"scram-sha-256")).decode("ascii")


@dataclass(frozen=True)
class LoginResult:
    login: str
    created: bool
    password_set: bool
    legacy_logins: tuple[str, ...]  # members of the old client group, now without rights here


def _literal(conn: Connection, value: str) -> str:
    quoted = conn.exec_driver_sql("SELECT quote_literal(%(v)s)", {"v": value}).scalar_one()
    return str(quoted)


def set_up_server_login(conn: Connection, login: str, tables: list[str],
                        password: Callable[[], str] | None, *, set_password: bool = False) -> LoginResult:
    """Create (or bring back in line) the server's login and grant exactly the rights above.

    ``password`` is asked for a new login, or when ``set_password`` is true; it is sent only as
    its SCRAM verifier. Run as the owner of the database.
    """
    ident = check_login_name(login)
    me = conn.execute(text("SELECT current_user")).scalar_one()
    db = conn.execute(text("SELECT current_database()")).scalar_one()
    owner = conn.execute(text(
        "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()")).scalar_one()
    if login in (me, owner):
        raise ValueError(msg(
            "The server's login must not be the owner of the database ({login}); give it a name of its own, e.g. "
            "returndesk_server",
            login=login))
    row = conn.execute(text("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = :r"),
                       {"r": login}).first()
    created = row is None
    if row is not None and (row[0] or row[1] or row[2]):
        raise ValueError(msg(
            "The login {login} may create roles or databases (or is a superuser); the server's login must not. "
            "Choose another name or take those rights away first",
            login=login))
    verifier = None
    if created or set_password:
        if password is None:
            raise ValueError(msg("The login {login} needs a password", login=login))
        secret = password()
        if len(secret) < 12:
            raise ValueError(msg("The server's database password must have at least 12 characters"))
        verifier = scram_verifier(conn, login, secret)
    attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"
    if verifier is not None:
        attributes += f" PASSWORD {_literal(conn, verifier)}"
    # Not through text(): the verifier's ":" would be read as a bind parameter. It holds only
    # base64, "$" and ":", and is quoted by the server's quote_literal.
    conn.exec_driver_sql(f"{'CREATE' if created else 'ALTER'} ROLE {ident} WITH {attributes}")
    grant_server_privileges(conn, login, db, tables)
    legacy = revoke_legacy_client(conn, db, tables)
    return LoginResult(login, created, verifier is not None, legacy)


def grant_server_privileges(conn: Connection, login: str, db: str, tables: list[str]) -> None:
    ident = check_login_name(login)
    conn.execute(text(f'REVOKE ALL ON DATABASE "{db}" FROM PUBLIC'))
    conn.execute(text(f'GRANT CONNECT ON DATABASE "{db}" TO {ident}'))
    conn.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    conn.execute(text(f"REVOKE CREATE ON SCHEMA public FROM {ident}"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {ident}"))
    for table in tables:
        conn.execute(text(f'REVOKE ALL ON TABLE "{table}" FROM {ident}'))
        conn.execute(text(f'GRANT {table_privileges(table)} ON TABLE "{table}" TO {ident}'))
    conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {ident}"))
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {ident}"))
    # Bulk imports move the id sequences of the tables they fill past the ids they took
    # (setval needs UPDATE); the sequences of the protected tables stay as they are.
    owned = conn.execute(text(
        "SELECT s.relname, t.relname FROM pg_class s "
        "JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
        "JOIN pg_class t ON t.oid = d.refobjid "
        "WHERE s.relkind = 'S' AND s.relnamespace = 'public'::regnamespace")).all()
    for sequence, table in owned:
        if table in tables and "DELETE" in table_privileges(table):
            conn.execute(text(f'GRANT UPDATE ON SEQUENCE "{sequence}" TO {ident}'))
    conn.execute(text(f"REVOKE ALL ON FUNCTION {APPEND_SIGNATURE} FROM PUBLIC"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION {APPEND_SIGNATURE} TO {ident}"))
    for name, value in TIMEOUTS.items():
        conn.execute(text(f'ALTER ROLE {ident} IN DATABASE "{db}" SET {name} = \'{value}\''))


def revoke_legacy_client(conn: Connection, db: str, tables: list[str]) -> tuple[str, ...]:
    """Take every right in this database from the station group of earlier versions; return its
    members (their logins can no longer connect here; the administrator may drop them)."""
    if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": LEGACY_CLIENT_ROLE}).first() is None:
        return ()
    role = LEGACY_CLIENT_ROLE
    conn.execute(text(f'REVOKE ALL ON DATABASE "{db}" FROM {role}'))
    conn.execute(text(f"REVOKE ALL ON SCHEMA public FROM {role}"))
    for table in tables:
        conn.execute(text(f'REVOKE ALL ON TABLE "{table}" FROM {role}'))
    conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}"))
    members = conn.execute(text(
        "SELECT m.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid "
        "JOIN pg_roles m ON m.oid = a.member WHERE g.rolname = :r ORDER BY m.rolname"), {"r": role}).scalars().all()
    return tuple(members)
