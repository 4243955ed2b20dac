"""Opening a database from the command line or a station, and reporting on its state.

The command line and the UI never hold an engine or a session: they ask :func:`connect` for a
:class:`ServiceContext` and hand it to the use cases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from returndesk.domain.errors import DatabaseUnavailable, ValidationFailed
from returndesk.domain.types import ReturnStatus
from returndesk.store.engine import (
    Database,
    default_sqlite_path,
    describe_url,
    is_sqlite,
    resolve_url,
)
from returndesk.store.migrate import schema_status
from returndesk.store.schema import Return

from returndesk.services.tx.context import ServiceContext, utcnow
from returndesk.services.infra.station_settings import command_line_station as command_line_station
from returndesk.domain.messages import msg, with_detail

ENV_URL = "RETURNDESK_DB_URL"


def default_database_file() -> Path:
    """Where the local SQLite database lives when no address is given."""
    return default_sqlite_path()


def _check_url(url: str | None) -> str:
    resolved = resolve_url(url)
    try:
        parsed = make_url(resolved)
        parsed.get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise ValidationFailed(
            msg(
                "'{url}' is not a database address ReturnDesk can use. Use sqlite:///path/to/file.sqlite3 for a "
                "local file or postgresql://user:password@host:5432/name for a shared server.",
                url=url)
        ) from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValidationFailed(
            msg(
                "ReturnDesk works with SQLite and PostgreSQL, not {get_backend_name}; give a sqlite:/// or "
                "postgresql:// address.",
                get_backend_name=parsed.get_backend_name())
        )
    return resolved


def connect(
    url: str | None = None,
    *,
    station: str | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> ServiceContext:
    """A ServiceContext on ``url`` (else $RETURNDESK_DB_URL, else the local SQLite file).

    Nothing is read or written yet; the first use case connects. Raises ``ValidationFailed`` for an
    address that is not a SQLite or PostgreSQL URL.
    """
    resolved = _check_url(url)
    return ServiceContext(db=Database.open(resolved), clock=clock, station=station)


def attach_read_replica(ctx: ServiceContext, read_url: str | None) -> None:
    """Let the analytics of ``ctx`` read on ``read_url`` (a PostgreSQL read replica of the same
    database); ``None`` leaves them on the primary. Raises ``ValidationFailed`` for anything but a
    PostgreSQL address or when the primary is a local SQLite file."""
    if not read_url:
        return
    resolved = _check_url(read_url)
    if make_url(resolved).get_backend_name() != "postgresql" or ctx.db.is_sqlite:
        raise ValidationFailed(
            msg(
                "A read replica (--read-url) is a PostgreSQL server copying the shared database; give a "
                "postgresql://user@host/name address, and use it with a PostgreSQL database (--url)."))
    ctx.read_db = Database.open(resolved, application_name="returndesk-reports")


def close(ctx: ServiceContext) -> None:
    """Release the connections of ``ctx`` (and of its read replica)."""
    ctx.close_read_db()
    ctx.db.dispose()


def describe(ctx: ServiceContext) -> str:
    """A password-free description of the database, e.g. "local file /…/returndesk.sqlite3"."""
    return ctx.db.describe()


def describe_address(url: str | None = None) -> str:
    """Like :func:`describe` for an address that has not been opened."""
    return describe_url(_check_url(url))


@dataclass(frozen=True)
class DatabaseReport:
    """The state of a database as ``returndesk db status`` shows it."""

    description: str
    exists: bool  # False: a local file that has not been created yet
    current_revision: str | None  # None: no schema yet
    head_revision: str | None
    up_to_date: bool
    too_new: bool
    returns_by_status: tuple[tuple[str, int], ...]  # every ReturnStatus, lifecycle order

    @property
    def returns_total(self) -> int:
        return sum(n for _, n in self.returns_by_status)


def _sqlite_file(ctx: ServiceContext) -> Path | None:
    if not ctx.db.is_sqlite:
        return None
    name = ctx.db.engine.url.database
    return Path(name) if name and name != ":memory:" else None


def database_report(ctx: ServiceContext) -> DatabaseReport:
    """Schema revision (current against the newest this program knows) and returns per status.

    Never creates or changes anything: a local file that does not exist yet is reported as missing.
    """
    description = describe(ctx)
    path = _sqlite_file(ctx)
    if path is not None and not path.exists():
        return DatabaseReport(description, False, None, None, False, False, ())
    try:
        status = schema_status(ctx.db.engine)
        with ctx.db.read() as s:
            counts: dict[str, int] = {}
            if status.current is not None and inspect(s.connection()).has_table(Return.__tablename__):
                counts = dict(
                    s.execute(select(Return.status, func.count()).group_by(Return.status)).all()
                )
    except OperationalError as exc:
        raise DatabaseUnavailable(with_detail(
            msg(
                "The database ({description}) cannot be reached. Check the address, the network and the server.",
                description=description), str(exc.orig or exc).strip())
        ) from exc
    ordered = [(st.value, int(counts.pop(st.value, 0))) for st in ReturnStatus]
    # A status this version does not know still counts (a newer program wrote it).
    ordered += sorted((k, int(v)) for k, v in counts.items())
    return DatabaseReport(
        description=description,
        exists=True,
        current_revision=status.current,
        head_revision=status.head,
        up_to_date=status.up_to_date,
        too_new=status.too_new,
        returns_by_status=tuple(ordered) if status.current is not None else (),
    )


def is_local(ctx: ServiceContext) -> bool:
    """True for a local SQLite file (one workstation), False for a shared server."""
    return is_sqlite(ctx.db.url)
