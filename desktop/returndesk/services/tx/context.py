"""What every use case receives: the database, a clock, the station, and change notifications."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from returndesk.domain.errors import PermissionDenied
from returndesk.domain.localtime import as_utc
from returndesk.domain.permissions import Permission, require, require_any
from returndesk.domain.types import Role
from returndesk.store.engine import Database
from returndesk.store.schema import User
from returndesk.domain.messages import msg


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
    # The first statement of the transaction (nothing to flush before it), as a Core statement
    # built once: every use case runs it.
    row = session.connection().execute(_ACTOR_ROW, {"user_id": actor.user_id}).first()
    if row is not None:
        # What the rest of this transaction asks of the actor's row (``acting_user``) is read here.
        session.info[_ACTING_USER] = ActingUser(actor.user_id, row.active, row.role, row.approval_limit_minor)
    who = actor.display_name or actor.username
    if row is None or not row.active:
        raise PermissionDenied(
            msg(
                "The account {username} has been disabled; nothing was done. Ask an administrator, or sign in as "
                "another user.",
                username=actor.username)
        )
    if row.role != Role(actor.role).value:
        raise PermissionDenied(
            msg(
                "The role of {who} was changed from {role} to {role2}; nothing was done. Sign out and sign in again "
                "to work as {role2}.",
                who=who, role=Role(actor.role), role2=row.role)
        )


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
    def read(self, actor: Actor | None, *, snapshot: bool = False) -> Iterator[Session]:
        """One read transaction on behalf of ``actor`` (checked first, see :func:`verify_actor`);
        ``snapshot``: every statement sees the same committed state (``Database.read``)."""
        with self.db.read(snapshot=snapshot) as session:
            verify_actor(session, actor)
            yield session

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
    def write(self, actor: Actor | None) -> Iterator[Session]:
        """One write transaction on behalf of ``actor`` (checked first, see :func:`verify_actor`)."""
        with self.db.write() as session:
            verify_actor(session, actor)
            yield session

    def changed(self, entity: str, entity_id: int) -> None:
        """Tell interested parties (screens, the live-update bridge) that something changed.

        Called after the transaction committed, never inside it.
        """
        for listener in list(self.listeners):
            listener(entity, entity_id)
