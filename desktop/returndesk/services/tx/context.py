"""What every use case receives: the database, a clock, the station, and change notifications."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Row, Select, bindparam, select
from sqlalchemy.sql.dml import ReturningUpdate
from sqlalchemy.exc import MultipleResultsFound
from sqlalchemy.orm import Session

from returndesk.domain.errors import PermissionDenied
from returndesk.domain.localtime import as_utc
from returndesk.domain.permissions import Permission, require, require_any
from returndesk.domain.types import Role
from returndesk.store.engine import Database, ReadConnection
from returndesk.store.entity_rows import entity_rows
from returndesk.store.select_rows import select_first, select_rows, session_connection, session_rows, write_returning
from returndesk.store.schema import User
from returndesk.domain.messages import msg

# Registers the flush hook that writes a flush's changed order lines in one statement.
from returndesk.services.tx import order_lines  # noqa: F401 - imported for its event listener


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Actor:
    """The signed-in user on whose behalf a use case runs."""

    user_id: int
    username: str
    display_name: str
    role: Role
    approval_limit_minor: int = 0
    station: str | None = None

    def require(self, permission: Permission) -> None:
        require(self.role, permission, self.display_name or self.username)

    def require_any(self, *permissions: Permission, doing: str | None = None) -> None:
        """Refuse unless the actor has one of ``permissions`` (see ``permissions.require_any``)."""
        require_any(self.role, permissions, self.display_name or self.username, doing)


ChangeListener = Callable[[str, int], None]


@dataclass(frozen=True)
class ActingUser:
    """The acting user's row as this transaction read it: whether the account is active, its role
    and its approval (cash) limit."""

    id: int
    active: bool
    role: str
    approval_limit_minor: int


_ACTING_USER = "returndesk.acting_user"
_ACTOR_ROW = (
    select(User.__table__.c.active, User.__table__.c.role, User.__table__.c.approval_limit_minor)
    .where(User.__table__.c.id == bindparam("user_id"))
)


def acting_user_row(session: Session, user_id: int) -> ActingUser | None:
    """The acting user's row as read at the start of this transaction (:func:`verify_actor`), or
    read now when the transaction did not check that user; None when there is no such user."""
    settle_actor(session)
    known = session.info.get(_ACTING_USER)
    if isinstance(known, ActingUser) and known.id == user_id:
        return known
    row = session.execute(
        select(User.active, User.role, User.approval_limit_minor).where(User.id == user_id)
    ).first()
    if row is None:
        return None
    found = ActingUser(user_id, row.active, row.role, row.approval_limit_minor)
    session.info[_ACTING_USER] = found
    return found


def verify_actor(session: Session, actor: Actor | None) -> None:
    """Refuse, inside the use case's transaction, an actor whose account was disabled or whose
    role changed since signing in; ``None`` (the machine's administrator at the command line)
    passes.

    The permission checks before the transaction judge the role the actor signed in with; this
    one query makes a change an administrator saved count at the user's very next action.
    A changed approval limit needs no new sign-in: the use cases that apply a limit read it
    afresh (``settlement.acting_user``).
    """
    if actor is None:
        return
    # A Core statement built once: every use case runs it (or folds it into its first read,
    # :func:`first_checking_actor`).
    row = session_connection(session).execute(_ACTOR_ROW, {"user_id": actor.user_id}).first()
    _judge_actor(session, actor, None if row is None else (row.active, row.role, row.approval_limit_minor))


def _judge_actor(session: Session, actor: Actor, row: tuple[Any, Any, Any] | None) -> None:
    """Refuse ``actor`` unless ``row`` (its user's active flag, role and approval limit as this
    transaction read them; None or NULLs when there is no such user) still lets it act."""
    active, role, limit = row if row is not None else (None, None, None)
    if active is not None:
        # What the rest of this transaction asks of the actor's row (``acting_user``) is read here.
        session.info[_ACTING_USER] = ActingUser(actor.user_id, bool(active), str(role), int(limit or 0))
    refuse_actor(actor, active, role)


def refuse_actor(actor: Actor, active: Any, role: Any) -> None:
    """Raise ``PermissionDenied`` unless the user's ``active`` flag and ``role`` as read now
    (None: no such user) still let ``actor`` act."""
    who = actor.display_name or actor.username
    if not active:
        raise PermissionDenied(
            msg(
                "The account {username} has been disabled; nothing was done. Ask an administrator, or sign in as "
                "another user.",
                username=actor.username)
        )
    if role != Role(actor.role).value:
        raise PermissionDenied(
            msg(
                "The role of {who} was changed from {role} to {role2}; nothing was done. Sign out and sign in again "
                "to work as {role2}.",
                who=who, role=Role(actor.role), role2=role)
        )


_PENDING_ACTOR = "returndesk.pending_actor"


#: The acting user's active flag, role and approval limit, read by the primary key (parameter
#: ``actor_user_id``): the columns a use case's first read carries for the actor's check.
_FIRST_READ_ACTOR_COLUMNS = tuple(
    select(column).where(User.__table__.c.id == bindparam("actor_user_id")).scalar_subquery()
    .label(f"actor_{column.name}")
    for column in (User.__table__.c.active, User.__table__.c.role, User.__table__.c.approval_limit_minor)
)
#: Statements with those columns added, by the statement (built once per statement object; one
#: built for a single call leaves with it).
_WITH_ACTOR: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def _with_actor_columns(stmt: Any) -> Any:
    found = _WITH_ACTOR.get(stmt)
    if found is None:
        columns = _FIRST_READ_ACTOR_COLUMNS
        found = stmt.add_columns(*columns) if isinstance(stmt, Select) else stmt.returning(*columns)
        with _CHECKING_LOCK:
            _WITH_ACTOR[stmt] = found
    return found


def first_checking_actor(session: Session, stmt: Select[*tuple[Any, ...]],
                         params: dict[str, Any] | None = None) -> Any | None:
    """The first entity of ``stmt``'s one row (None when there is none), with the check of the
    transaction's actor (:func:`verify_actor`) folded into the same statement when the
    transaction left it to its first read (``ServiceContext.write(..., actor_in_first_read=True)``).

    The actor's row is read by scalar subqueries on the users' primary key: a row lock the
    statement takes (``FOR UPDATE``) stays on its own rows. When ``stmt`` finds nothing, the check
    stays pending (:func:`settle_actor`). ``params``: the values of ``stmt``'s bound parameters
    (a statement built once).
    """
    row = first_row_checking_actor(session, stmt, params)
    return None if row is None else row[0]


def _one_or_none(session: Session, stmt: Any, params: dict[str, Any] | None) -> Any | None:
    rows: Sequence[Any]
    if isinstance(stmt, Select):
        rows = entity_rows(session, stmt, params)
    elif stmt._propagate_attrs or not session._is_clean():
        # An UPDATE ... RETURNING of ORM entities, or with changes to flush first: the session's.
        return session.execute(stmt, params).one_or_none()
    else:  # an UPDATE ... RETURNING of columns
        rows = write_returning(session_connection(session), stmt, params or {})
    if len(rows) > 1:
        raise MultipleResultsFound("Multiple rows were found when one or none was required")
    return rows[0] if rows else None


def first_row_checking_actor(
    session: Session, stmt: Select[*tuple[Any, ...]] | ReturningUpdate[*tuple[Any, ...]],
    params: dict[str, Any] | None = None,
) -> tuple[Any, ...] | None:
    """:func:`first_checking_actor`, the whole row (without the actor's columns); ``stmt`` may be
    an UPDATE ... RETURNING (the actor's columns are returned with its row)."""
    actor = session.info.get(_PENDING_ACTOR)
    if not isinstance(actor, Actor):
        found = _one_or_none(session, stmt, params)
        return None if found is None else tuple(found)
    row = _one_or_none(session, _with_actor_columns(stmt), {**(params or {}), "actor_user_id": actor.user_id})
    if row is None:
        return None
    del session.info[_PENDING_ACTOR]
    _judge_actor(session, actor, (row[-3], row[-2], row[-1]))
    return tuple(row)[:-3]


def rows_checking_actor(session: Session, stmt: Select[*tuple[Any, ...]],
                        params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """All rows of ``stmt`` (without the actor's columns), with the check of the transaction's
    actor folded into the same statement as :func:`first_row_checking_actor` does (its columns
    come with every row; the first row's are judged). When ``stmt`` finds nothing, the check
    stays pending (:func:`settle_actor`)."""
    actor = session.info.get(_PENDING_ACTOR)
    if not isinstance(actor, Actor):
        return entity_rows(session, stmt, params)
    rows = entity_rows(session, _with_actor_columns(stmt), {**(params or {}), "actor_user_id": actor.user_id})
    if not rows:
        return []
    del session.info[_PENDING_ACTOR]
    first = rows[0]
    _judge_actor(session, actor, (first[-3], first[-2], first[-1]))
    return [tuple(row)[:-3] for row in rows]


def first_row_checking_pending_actor(session: Session, stmt: Select[Any], params: dict[str, Any]) -> Any | None:
    """:func:`first_row_checking_actor` for a statement built once with bound parameters: the
    statement's first row (None when there is none), the actor's columns (``actor_active``,
    ``actor_role``) added to it when the transaction left the check to its first read."""
    actor = session.info.get(_PENDING_ACTOR)
    if not isinstance(actor, Actor):
        return next(iter(session_rows(session, stmt, params)), None)
    row = next(iter(session_rows(session, checking_actor(stmt), {**params, "actor_user_id": actor.user_id})), None)
    if row is None:
        return None
    del session.info[_PENDING_ACTOR]
    refuse_actor(actor, row.actor_active, row.actor_role)
    return row


def settle_actor(session: Session) -> None:
    """Check the transaction's actor now if its first read has not (one statement)."""
    actor = session.info.pop(_PENDING_ACTOR, None)
    if isinstance(actor, Actor):
        verify_actor(session, actor)


_ACTOR_CHECKING_COLUMNS = tuple(
    select(column).where(User.__table__.c.id == bindparam("actor_user_id")).scalar_subquery()
    .label(f"actor_{column.name}")
    for column in (User.__table__.c.active, User.__table__.c.role)
)
#: Statements with the actor's columns added, by the statement (built once per statement object;
#: a statement built for one call, such as a filtered queue's, leaves with it).
_CHECKING: weakref.WeakKeyDictionary[Select[Any], Select[Any]] = weakref.WeakKeyDictionary()
_CHECKING_LOCK = threading.Lock()


def checking_actor(stmt: Select[Any]) -> Select[Any]:
    """``stmt`` with the acting user's active flag and role as two more columns (scalar subqueries
    on the users' primary key, parameter ``actor_user_id``), built once per statement object."""
    found = _CHECKING.get(stmt)
    if found is None:
        found = stmt.add_columns(*_ACTOR_CHECKING_COLUMNS)
        with _CHECKING_LOCK:
            _CHECKING[stmt] = found
    return found


class CoreRead:
    """A read transaction on a bare Core connection (:meth:`ServiceContext.read_core`) whose check
    of the actor (:func:`verify_actor`) rides on its first statement.

    :meth:`rows` runs a select; the first one carries the actor's columns (``actor_active``,
    ``actor_role``, at the end of each row) and is judged before its rows are handed back. When
    it finds no row, the actor is checked at once by its own statement, so a disabled account or
    a changed role is refused before anything else is said (as with :meth:`ServiceContext.read`).
    """

    __slots__ = ("conn", "actor")

    def __init__(self, conn: Connection, actor: Actor | None) -> None:
        self.conn = conn
        self.actor = actor

    def rows(self, stmt: Select[Any], params: dict[str, Any] | None = None, *,
             check_when_empty: bool = True) -> Sequence[Row[Any]]:
        """The rows of ``stmt``. ``check_when_empty=False``: when the statement that carried the
        actor's check found nothing, the check is left to the read's next statement (or to the
        end of the read) instead of a statement of its own; for a read that goes on to another
        statement before it says anything."""
        actor = self.actor
        if actor is None:
            return select_rows(self.conn, stmt, params)
        self.actor = None
        found = select_rows(self.conn, checking_actor(stmt), {**(params or {}), "actor_user_id": actor.user_id})
        if found:
            refuse_actor(actor, found[0].actor_active, found[0].actor_role)
        elif check_when_empty:
            self._check(actor)
        else:
            self.actor = actor
        return found

    def first(self, stmt: Select[Any], params: dict[str, Any] | None = None) -> Row[Any] | None:
        found = self.rows(stmt, params)
        return found[0] if found else None

    def settle(self) -> None:
        """Check the actor now if no statement has yet."""
        actor, self.actor = self.actor, None
        if actor is not None:
            self._check(actor)

    def _check(self, actor: Actor) -> None:
        row = select_first(self.conn, _ACTOR_ROW, {"user_id": actor.user_id})
        refuse_actor(actor, *((None, None) if row is None else (row.active, row.role)))


class CoreReadScope:
    """:meth:`ServiceContext.read_core`: a :class:`CoreRead` on the read's connection; at the end
    the actor is checked if no statement has yet (:meth:`CoreRead.settle`), then the connection
    is closed. (A class rather than a generator, as ``ReadConnection``.)"""

    __slots__ = ("_connection", "_actor", "_reader")

    def __init__(self, connection: ReadConnection, actor: Actor | None) -> None:
        self._connection = connection
        self._actor = actor

    def __enter__(self) -> CoreRead:
        self._reader = CoreRead(self._connection.__enter__(), self._actor)
        return self._reader

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc is None:
            try:
                self._reader.settle()
            except BaseException as refused:
                self._connection.__exit__(type(refused), refused, refused.__traceback__)
                raise
        self._connection.__exit__(exc_type, exc, tb)


@dataclass
class ServiceContext:
    """Shared by all use cases of one process."""

    db: Database
    clock: Callable[[], datetime] = utcnow
    station: str | None = None
    listeners: list[ChangeListener] = field(default_factory=list)
    #: Where the analytics read (a PostgreSQL read replica, ``--read-url``); None: ``db``.
    read_db: Database | None = None

    def now(self) -> datetime:
        """The current instant in UTC (stored times are UTC; sites' zones are for display and
        calendar days)."""
        return as_utc(self.clock())

    @contextmanager
    def read(self, actor: Actor | None, *, snapshot: bool = False,
             actor_in_first_read: bool = False) -> Iterator[Session]:
        """One read transaction on behalf of ``actor`` (checked first, see :func:`verify_actor`);
        ``snapshot``: every statement sees the same committed state (``Database.read``).

        ``actor_in_first_read``: as for :meth:`write`, the use case's first read checks the actor
        (:func:`first_checking_actor`); it calls :func:`settle_actor` before refusing anything
        else when that read found nothing, and the actor is checked at the end if it did not.
        """
        with self.db.read(snapshot=snapshot) as session:
            if actor_in_first_read and actor is not None:
                session.info[_PENDING_ACTOR] = actor
            else:
                verify_actor(session, actor)
            yield session
            settle_actor(session)

    def read_core(self, actor: Actor | None, *, snapshot: bool = False,
                  one_statement: bool = False) -> CoreReadScope:
        """:meth:`read` without an ORM session, for reads that select columns and map the rows
        straight into their results: the actor's check rides on the first statement
        (:class:`CoreRead`). ``one_statement``: see :meth:`Database.read_connection`."""
        return CoreReadScope(self.db.read_connection(snapshot=snapshot, one_statement=one_statement), actor)

    @contextmanager
    def report_read(self, actor: Actor | None, *, snapshot: bool = False) -> Iterator[Session]:
        """A read transaction for the analytics: on the read replica when one is configured
        (dashboards then never slow the stations), else as :meth:`read`."""
        with (self.read_db or self.db).read(snapshot=snapshot) as session:
            verify_actor(session, actor)
            yield session

    def close_read_db(self) -> None:
        """Release the replica's connections (the primary's belong to ``db``)."""
        if self.read_db is not None and self.read_db is not self.db:
            self.read_db.dispose()

    @contextmanager
    def write(self, actor: Actor | None, *, actor_in_first_read: bool = False) -> Iterator[Session]:
        """One write transaction on behalf of ``actor`` (checked first, see :func:`verify_actor`).

        ``actor_in_first_read``: the use case's first read checks the actor in the same statement
        (:func:`first_checking_actor`); if it did not by the end, the actor is checked before the
        commit, so a disabled account or a changed role never saves anything either way.
        """
        with self.db.write() as session:
            if actor_in_first_read and actor is not None:
                session.info[_PENDING_ACTOR] = actor
            else:
                verify_actor(session, actor)
            yield session
            settle_actor(session)

    def changed(self, entity: str, entity_id: int) -> None:
        """Tell interested parties (screens, the live-update bridge) that something changed.

        Called after the transaction committed, never inside it.
        """
        for listener in list(self.listeners):
            listener(entity, entity_id)
