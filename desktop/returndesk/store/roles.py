"""Least-privilege PostgreSQL roles for the stations.

The schema belongs to whoever ran ``returndesk db init`` (an administrator login). Stations log in
with their own LOGIN roles, members of the NOLOGIN group ``returndesk_client``, which:

- cannot change the schema (no CREATE on the schema, owns nothing);
- may only SELECT and INSERT audit events: no UPDATE, DELETE or TRUNCATE of the audit trail;
- may not DELETE financial or ledger records (refunds, credit notes, journal, stock movements,
  approvals, print log) — corrections are new records, never edits of old ones;
- reads the Alembic revision but cannot change it.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

CLIENT_ROLE = "returndesk_client"

APPEND_ONLY = ("audit_events",)
NO_DELETE = (
    "refunds", "refund_lines", "credit_notes", "journal_entries", "journal_lines",
    "stock_movements", "approvals", "print_log", "audit_head", "return_policies",
)
READ_ONLY = ("alembic_version",)

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _ident(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(
            f"'{name}' is not a valid login name: use lower-case letters, digits and underscores, "
            "starting with a letter"
        )
    return f'"{name}"'


def grant_client_privileges(conn: Connection, tables: list[str]) -> None:
    """Create the client group role if needed and (re)grant exactly the privileges above."""
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": CLIENT_ROLE}).first()
    if not exists:
        conn.execute(text(f"CREATE ROLE {CLIENT_ROLE} NOLOGIN"))
    db = conn.execute(text("SELECT current_database()")).scalar_one()
    conn.execute(text(f'GRANT CONNECT ON DATABASE "{db}" TO {CLIENT_ROLE}'))
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {CLIENT_ROLE}"))
    conn.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    conn.execute(text(f"REVOKE CREATE ON SCHEMA public FROM {CLIENT_ROLE}"))
    for table in tables:
        conn.execute(text(f'REVOKE ALL ON TABLE "{table}" FROM {CLIENT_ROLE}'))
        if table in APPEND_ONLY:
            privileges = "SELECT, INSERT"
        elif table in READ_ONLY:
            privileges = "SELECT"
        elif table in NO_DELETE:
            privileges = "SELECT, INSERT, UPDATE"
        else:
            privileges = "SELECT, INSERT, UPDATE, DELETE"
        conn.execute(text(f'GRANT {privileges} ON TABLE "{table}" TO {CLIENT_ROLE}'))
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {CLIENT_ROLE}"))


def add_login(conn: Connection, name: str, password: str | None) -> None:
    """Create (or reset the password of) a station or person login in the client group."""
    ident = _ident(name)
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": name}).first()
    # Passwords cannot be bound parameters in DDL; quote them as a literal safely.
    literal = conn.exec_driver_sql("SELECT quote_literal(%(p)s)", {"p": password}).scalar_one() if password else None
    pw = f" PASSWORD {literal}" if literal else ""
    if exists:
        conn.execute(text(f"ALTER ROLE {ident} WITH LOGIN{pw}"))
    else:
        conn.execute(text(f"CREATE ROLE {ident} LOGIN{pw}"))
    conn.execute(text(f"GRANT {CLIENT_ROLE} TO {ident}"))
