"""Setting up the shared PostgreSQL database of a ReturnDesk server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from returndesk.domain.errors import ValidationFailed
from returndesk.store import roles
from returndesk.store.engine import Database, describe_url, is_sqlite, resolve_url

from returndesk.services.infra.bootstrap import open_database
from returndesk.services.tx.context import ServiceContext
from returndesk.domain.messages import msg


@dataclass(frozen=True)
class InitResult:
    database: str
    revision: str
    server_login: str
    login_created: bool
    password_set: bool
    server_url: str  # the address the server uses, without its password
    legacy_logins: tuple[str, ...]


def server_url_for(owner_url: str, login: str) -> str:
    """The owner's database address with the server's login instead of the owner's (no password)."""
    from sqlalchemy.engine import make_url

    url = make_url(owner_url).set(username=login, password=None)
    return url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://", 1)


def init_shared_database(owner_url: str, *, server_login: str = roles.SERVER_LOGIN,
                         password: Callable[[], str] | None = None, set_password: bool = False) -> InitResult:
    """Create or upgrade the schema through Alembic, then set up the server's login.

    Run with the login that owns the database (it needs CREATEROLE to make the server's login).
    Safe to run again after an upgrade: the login keeps its password unless ``set_password``.
    """
    url = resolve_url(owner_url)
    if is_sqlite(url):
        raise ValidationFailed(
            msg(
                "db init sets up a shared PostgreSQL server; a local SQLite database needs only 'returndesk db "
                "upgrade'.")
        )
    try:
        roles.check_login_name(server_login)
    except ValueError as exc:
        raise ValidationFailed(msg("{problem}.", problem=exc.args[0])) from None
    db = Database.open(url)
    try:
        with db.engine.connect() as conn:
            encoding = conn.execute(text(
                "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()"
            )).scalar_one()
        if encoding != "UTF8":
            # The audit chain's hash counts characters; only UTF-8 counts them as Python does.
            raise ValidationFailed(
                msg(
                    "The database uses the encoding {encoding}; ReturnDesk needs UTF8. Create it with CREATE "
                    "DATABASE returndesk OWNER … ENCODING 'UTF8' TEMPLATE template0.",
                    encoding=encoding))
        status = open_database(ServiceContext(db=db))
        with db.engine.begin() as conn:
            tables = inspect(conn).get_table_names()
            try:
                result = roles.set_up_server_login(conn, server_login, tables, password, set_password=set_password)
            except ValueError as exc:
                raise ValidationFailed(
                    msg("{problem}; nothing about the login was changed.", problem=exc.args[0])) from None
            except DBAPIError as exc:
                if "permission denied" in str(exc.orig):
                    raise ValidationFailed(
                        msg(
                            "This login may not create or change the server's login: run 'returndesk db init' with "
                            "the owner of the database given the CREATEROLE right (or as the postgres superuser). "
                            "The schema is upgraded; the login was not changed.")) from None
                raise
        return InitResult(describe_url(url), status.current or "", result.login, result.created,
                          result.password_set, server_url_for(url, result.login), result.legacy_logins)
    finally:
        db.dispose()
