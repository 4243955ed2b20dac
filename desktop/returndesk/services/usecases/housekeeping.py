"""Housekeeping: the work nobody asks for that keeps the return list honest.

Two chores, run by the system (no user) at the desktop's start and every hour, by the server
every hour, or by ``returndesk housekeeping``:

* authorized remote returns whose parcel never arrived expire once the selling site's day is past
  their receive-by day (:func:`returndesk.services.usecases.intake.expire_overdue_rmas`);
* refunded and exchanged returns, and returns whose refund was refused (the goods sent back to the
  customer), close once they have rested the policy's ``close_after_days`` since the refund, the
  exchange or the refusal; an exchange closes only once its replacement was handed over or
  cancelled (a reserved replacement keeps it open, as at the desk).

Both walk their backlog by keyset in batches of :data:`CLOSE_BATCH` (and ``EXPIRE_BATCH``), each
batch its own transaction, and every return changed gets its own audit event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, select, text, tuple_

from returndesk.domain.lifecycle import Action
from returndesk.domain.localtime import as_utc
from returndesk.domain.permissions import Permission
from returndesk.domain.types import ReturnStatus
from returndesk.store.schema import ReplacementOrder, Return, ReturnPolicy

from returndesk.services.tx import summaries
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.tx.transitions import transition
from returndesk.services.usecases import intake
from returndesk.services.usecases.sales import policy_view
from returndesk.domain.messages import msg

#: Returns closed per transaction when closing a backlog.
CLOSE_BATCH = 200
#: The PostgreSQL advisory lock that lets one server process at a time do the housekeeping.
HOUSEKEEPING_LOCK = 0x5244_484B  # "RDHK"
#: The statuses housekeeping closes (each has the lifecycle's close step).
CLOSABLE = (ReturnStatus.REFUNDED.value, ReturnStatus.EXCHANGED.value, ReturnStatus.REFUND_REJECTED.value)


@dataclass(frozen=True)
class HousekeepingReport:
    """What one run did: the RMA numbers it expired and closed."""

    expired: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)

    @property
    def expired_count(self) -> int:
        return len(self.expired)

    @property
    def closed_count(self) -> int:
        return len(self.closed)

    def summary(self) -> str:
        """The run in plain words."""
        if not self.expired and not self.closed:
            return msg("Housekeeping found nothing to do: no return is overdue or due to close.")
        expired = (msg("{n} overdue return", n=1) if len(self.expired) == 1
                   else msg("{n} overdue returns", n=len(self.expired)))
        closed = (msg("{n} settled return", n=1) if len(self.closed) == 1
                  else msg("{n} settled returns", n=len(self.closed)))
        return msg("Housekeeping expired {expired} (never received) and closed {closed}.", expired=expired,
                   closed=closed)


def run_housekeeping(ctx: ServiceContext, actor: Actor | None = None) -> HousekeepingReport:
    """Expire overdue remote returns and close settled ones (``actor`` None: the system), then
    bring the analytics summaries up to date."""
    if actor is not None:
        actor.require(Permission.EXPIRE_RETURNS)
    expired = intake.expire_overdue_rmas(ctx, actor)
    closed = close_settled(ctx, actor)
    summaries.refresh(ctx.db, now=ctx.now())
    return HousekeepingReport(expired=expired, closed=closed)


def run_housekeeping_alone(ctx: ServiceContext) -> HousekeepingReport | None:
    """:func:`run_housekeeping` as the system, unless another process is doing it right now: on
    PostgreSQL a session advisory lock (``pg_try_advisory_lock``) lets one server process at a time
    do it, the others skip the round (None). On SQLite (one desktop) it simply runs."""
    if ctx.db.is_sqlite:
        return run_housekeeping(ctx)
    with ctx.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        key = {"key": HOUSEKEEPING_LOCK}
        if not conn.execute(text("SELECT pg_try_advisory_lock(:key)"), key).scalar():
            return None
        try:
            return run_housekeeping(ctx)
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), key)


def _close_periods(ctx: ServiceContext, actor: Actor | None) -> dict[int, int]:
    """``close_after_days`` of every policy version, by policy id."""
    with ctx.read(actor) as s:
        return {row.id: policy_view(s, row).rules.close_after_days
                for row in s.execute(select(ReturnPolicy)).scalars()}


def close_settled(ctx: ServiceContext, actor: Actor | None) -> list[str]:
    """Close refunded, exchanged and refund-rejected returns whose policy's ``close_after_days`` have
    passed since they were settled or refused; an exchange whose replacement still holds reserved stock stays open.
    Returns the RMA numbers closed."""
    periods = _close_periods(ctx, actor)
    if not periods:
        return []
    now = as_utc(ctx.now())
    oldest_due = now - timedelta(days=min(periods.values()))
    pending_replacement = exists().where(
        ReplacementOrder.return_id == Return.id, ReplacementOrder.status == "reserved"
    )
    closed: list[str] = []
    closed_ids: list[int] = []
    after: tuple[datetime, int] | None = None
    while True:
        with guarded_write(ctx, msg("the settled returns"), actor) as s:
            stmt = (
                select(Return)
                .where(Return.status.in_(CLOSABLE))
                .where(Return.status_changed_at <= oldest_due)
                .where(~pending_replacement)
                .order_by(Return.status_changed_at, Return.id)
                .limit(CLOSE_BATCH)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
            if after is not None:
                stmt = stmt.where(tuple_(Return.status_changed_at, Return.id) > after)
            batch = list(s.execute(stmt).scalars())
            if not batch:
                break
            after = (batch[-1].status_changed_at, batch[-1].id)
            for ret in batch:
                days = periods.get(ret.policy_id, min(periods.values()))
                if as_utc(ret.status_changed_at) > now - timedelta(days=days):
                    continue
                transition(s, ctx, actor, ret, Action.CLOSE,
                           details={"reason": f"settled more than {days} days ago"})
                closed.append(ret.rma_no)
                closed_ids.append(ret.id)
        if len(batch) < CLOSE_BATCH:
            break
    for return_id in closed_ids:
        ctx.changed("return", return_id)
    return closed
