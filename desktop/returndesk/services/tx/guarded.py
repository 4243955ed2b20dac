"""One write transaction whose concurrency failures reach the user as ``ConcurrentChange``.

Row locks (``FOR UPDATE``) order the stations that touch the same return; the version columns and
the unique constraints are the last line of defence behind them. When one of those fires anyway —
a stale ORM row (``StaleDataError``), a PostgreSQL deadlock or serialization failure — nothing was
saved and trying again is the right advice, so it becomes a ``ConcurrentChange`` with that sentence
instead of a crash.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from returndesk.domain.errors import ConcurrentChange

from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.domain.messages import msg

#: SQLSTATE codes PostgreSQL uses when it aborts one of two transactions that got in each other's way.
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


def _sqlstate(exc: OperationalError) -> str | None:
    orig = exc.orig
    return getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)


@contextmanager
def guarded_write(ctx: ServiceContext, what: str, actor: Actor | None, *,
                  actor_in_first_read: bool = False) -> Iterator[Session]:
    """``ctx.write(actor)``, translating lost-update and deadlock failures into ``ConcurrentChange``.

    ``what`` names the thing being changed ("return R2026...") for the message; ``actor`` is
    checked inside the transaction (disabled, role changed), ``None`` is the command line;
    ``actor_in_first_read``: by the use case's first read (``ServiceContext.write``).
    """
    try:
        with ctx.write(actor, actor_in_first_read=actor_in_first_read) as session:
            yield session
    except StaleDataError as exc:
        raise ConcurrentChange(
            msg(
                "Another station changed {what} at the same moment; nothing was saved. Reload it and try again.",
                what=what)
        ) from exc
    except OperationalError as exc:
        if _sqlstate(exc) in _RETRYABLE_SQLSTATES:
            raise ConcurrentChange(
                msg(
                    "Another station was changing {what} at the same moment; nothing was saved. Try again.",
                    what=what)
            ) from exc
        raise
