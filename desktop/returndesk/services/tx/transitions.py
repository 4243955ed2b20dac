"""Changing a return's status: the lifecycle table, the version check and the audit event together."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from returndesk.domain.errors import ConcurrentChange, IllegalTransition
from returndesk.domain.lifecycle import Action, next_status
from returndesk.store.schema import Return

from returndesk.services.tx import audit, refcache
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.domain.messages import msg
from returndesk.domain.types import ReturnStatus


def check_version(session: Session, ret: Return, expected_version: int | None) -> None:
    """Refuse a write based on a stale read of the return (another station changed it since)."""
    if expected_version is not None and ret.version != expected_version:
        who = refcache.display_name(session, ret.status_changed_by)
        raise ConcurrentChange(
            msg(
                "Return {rma_no} was changed by {value} since you opened it (it is now {status}). Your change was "
                "not saved; the return has been reloaded — check it and try again.",
                rma_no=ret.rma_no, value=who or msg('another user'), status=ReturnStatus(ret.status))
        )


def next_status_of(session: Session, ret: Return, action: Action) -> ReturnStatus:
    """The status ``action`` takes ``ret`` to, or ``IllegalTransition`` naming its status, who set
    it and when (their name looked up only then)."""
    try:
        return next_status(ret.status, action, rma=ret.rma_no)
    except IllegalTransition:
        return next_status(ret.status, action, set_by=refcache.display_name(session, ret.status_changed_by),
                           set_at=ret.status_changed_at, rma=ret.rma_no)


def transition(
    session: Session,
    ctx: ServiceContext,
    actor: Actor | None,
    ret: Return,
    action: Action,
    *,
    details: dict[str, Any] | None = None,
) -> str:
    """Move ``ret`` along ``action`` (or raise IllegalTransition) and audit it. Returns the new status.

    ``actor`` None is the system (housekeeping): the change is recorded with no user.
    """
    new = next_status_of(session, ret, action)
    before = {"status": ret.status}
    ret.status = new.value
    ret.status_changed_at = ctx.now()
    ret.status_changed_by = actor.user_id if actor is not None else None
    after: dict[str, Any] = {"status": new.value}
    if details:
        after.update(details)
    audit.record(session, ctx, actor, "return", ret.rma_no, action.value, before, after)
    return new.value
