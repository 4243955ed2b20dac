"""Setting up a shared PostgreSQL database for many stations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import inspect

from returndesk.domain.errors import ValidationFailed
from returndesk.store import roles
from returndesk.store.engine import Database, describe_url, is_sqlite, resolve_url

from returndesk.services.infra.bootstrap import open_database
from returndesk.services.tx.context import ServiceContext


@dataclass(frozen=True)
class InitResult:
    database: str
    revision: str
    client_role: str


def init_shared_database(admin_url: str) -> InitResult:
    """Create or upgrade the schema through Alembic and (re)grant the client role's privileges.

    Run with an administrator login (the schema owner). Safe to run again after an upgrade.
    """
    url = resolve_url(admin_url)
    if is_sqlite(url):
        raise ValidationFailed(
            "db init sets up a shared PostgreSQL server; a local SQLite database needs only "
            "'returndesk db upgrade'."
        )
    db = Database.open(url)
    try:
        status = open_database(ServiceContext(db=db))
        with db.engine.begin() as conn:
            tables = inspect(conn).get_table_names()
            roles.grant_client_privileges(conn, tables)
        return InitResult(describe_url(url), status.current or "", roles.CLIENT_ROLE)
    finally:
        db.dispose()


def add_database_login(admin_url: str, name: str, password: str | None) -> None:
    """Create a LOGIN role for a station or a person, member of the client group."""
    url = resolve_url(admin_url)
    if is_sqlite(url):
        raise ValidationFailed("Database logins exist only on a shared PostgreSQL server.")
    db = Database.open(url)
    try:
        with db.engine.begin() as conn:
            try:
                roles.add_login(conn, name, password)
            except ValueError as exc:
                raise ValidationFailed(str(exc)) from exc
    finally:
        db.dispose()
