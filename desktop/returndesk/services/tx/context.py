"""What every use case receives: the database, a clock, the station, and change notifications."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from returndesk.domain.localtime import as_utc
from returndesk.domain.permissions import require
from returndesk.domain.permissions import Permission
from returndesk.domain.types import Role
from returndesk.store.engine import Database


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


ChangeListener = Callable[[str, int], None]


@dataclass
class ServiceContext:
    """Shared by all use cases of one process."""

    db: Database
    clock: Callable[[], datetime] = utcnow
    station: str | None = None
    listeners: list[ChangeListener] = field(default_factory=list)

    def now(self) -> datetime:
        """The current instant in UTC (stored times are UTC; sites' zones are for display and
        calendar days)."""
        return as_utc(self.clock())

    def changed(self, entity: str, entity_id: int) -> None:
        """Tell interested parties (screens, the live-update bridge) that something changed.

        Called after the transaction committed, never inside it.
        """
        for listener in list(self.listeners):
            listener(entity, entity_id)
