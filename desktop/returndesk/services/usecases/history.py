"""A customer's return history and a return's timeline, for the counter and the supervisor.

The history answers "is this a frequent returner?" with the same window the approval routing uses
(the policy's ``frequent_returner_days``); the timeline is the return's audit trail in words: who,
where, when, what, before -> after.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Engine, Select, and_, bindparam, case, func, literal, select, true
from sqlalchemy.orm import Session

from returndesk.domain.approval import is_frequent_returner
from returndesk.domain.policy import PolicyRules
from returndesk.domain.errors import NotFound
from returndesk.domain.permissions import RETURN_READERS
from returndesk.domain.scan import parse_rma
from returndesk.domain.types import NO_RECEIPT_CHANNEL, ReturnStatus
from returndesk.store.engine import root_engine
from returndesk.store.schema import AuditEvent, Customer, Return, ReturnPolicy, SalesOrder, User
from returndesk.store.select_rows import session_rows

from returndesk.services.tx import refcache
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.views import ReturnDetail, return_detail_by_rma
from returndesk.services.usecases.sales import policy_in_force_column
from returndesk.domain.messages import msg

#: Returns that never became one: they do not count for the customer's history.
_NOT_COUNTED = (ReturnStatus.DRAFT.value, ReturnStatus.CANCELLED.value)
#: Whose frequent-returner window a process's first history counts in (its statement also reads
#: the rules of the policy in force, and counts again when their window differs).
_DEFAULT_RULES = PolicyRules()
#: How many of the customer's latest returns the history lists.
LAST_RETURNS = 10


@dataclass(frozen=True)
class PastReturn:
    """One of the customer's returns, as the history lists it."""

    rma_no: str
    order_no: str
    status: str
    created_at: datetime
    refund_total_minor: int
    currency: str
    #: Taken without a receipt (refunded as store credit at the lowest recent price).
    no_receipt: bool = False


@dataclass(frozen=True)
class CustomerHistory:
    customer_id: int
    customer_name: str
    window_days: int
    returns_in_window: int
    returns_all_time: int
    orders: int
    orders_with_returns: int
    frequent_returner: bool
    last_returns: tuple[PastReturn, ...]
    #: Returns the customer brought back without a receipt, all time (a flag for whoever decides).
    no_receipt_returns: int = 0

    @property
    def return_rate(self) -> float:
        """Share of the customer's orders with at least one return (0.0 without orders).

        A ratio for display, not money, so a float is fine here.
        """
        return self.orders_with_returns / self.orders if self.orders else 0.0


def _history_statements() -> tuple[Select[Any], Select[Any], Select[Any]]:
    """The statements of :func:`customer_history`, built once per process: the history in one
    statement, the same with the rules of the policy in force, and the count in the window alone."""
    r, o, c, p = Return.__table__.c, SalesOrder.__table__.c, Customer.__table__.c, ReturnPolicy.__table__.c
    customer_id = bindparam("customer_id", type_=c.id.type)
    # The statuses as bound values of their own (an expanding list would be rendered at each call).
    counted = and_(r.customer_id == customer_id, r.status.not_in([literal(s) for s in _NOT_COUNTED]))
    totals = (
        select(func.count().label("all_time"), func.count(func.distinct(r.order_id)).label("orders_with_returns"),
               func.coalesce(func.sum(case((o.channel == NO_RECEIPT_CHANNEL, 1), else_=0)), 0).label("no_receipt"))
        .select_from(Return.__table__).join(SalesOrder.__table__, o.id == r.order_id).where(counted)
        .subquery("totals")
    )
    policy_id = policy_in_force_column(bindparam("now", type_=p.effective_from.type))
    in_window = (select(func.count()).select_from(Return.__table__)
                 .where(counted, r.created_at >= bindparam("since", type_=r.created_at.type)))
    last = (
        select(r.id, r.rma_no, o.order_no, r.status, r.created_at, r.refund_total_minor, r.currency, o.channel)
        .select_from(Return.__table__).join(SalesOrder.__table__, o.id == r.order_id)
        .where(counted).order_by(r.created_at.desc(), r.id.desc()).limit(LAST_RETURNS)
        .subquery("last")
    )
    history = (
        select(
            c.id.label("customer_id"), c.name, policy_id.label("policy_id"),
            totals.c.all_time, totals.c.orders_with_returns, totals.c.no_receipt,
            select(func.count()).select_from(SalesOrder.__table__).where(o.customer_id == customer_id)
            .scalar_subquery().label("orders"),
            in_window.scalar_subquery().label("in_window"),
            last.c.rma_no, last.c.order_no, last.c.status, last.c.created_at, last.c.refund_total_minor,
            last.c.currency, last.c.channel,
        )
        .select_from(Customer.__table__).join(totals, true()).outerjoin(last, true())
        .where(c.id == customer_id)
        .order_by(last.c.created_at.desc(), last.c.id.desc())
    )
    with_rules = history.add_columns(
        select(p.rules_json).where(p.id == policy_id).scalar_subquery().label("rules_json"))
    return history, with_rules, in_window


_HISTORY, _HISTORY_WITH_RULES, _IN_WINDOW = _history_statements()
#: engine -> (policy id, its rules): the policy the last history of that database found in force.
_IN_FORCE: weakref.WeakKeyDictionary[Engine, tuple[int, PolicyRules]] = weakref.WeakKeyDictionary()
_IN_FORCE_LOCK = threading.Lock()
_HISTORIES = msg("look at customers' return histories")


def customer_history(ctx: ServiceContext, actor: Actor, customer_id: int) -> CustomerHistory:
    """The customer's returns in the frequent-returner window and all time, their orders, the share
    of orders returned, and their latest returns (newest first).

    One statement: the customer with the policy in force, the counts, the latest returns (one
    row each) and the actor's check. It counts the returns in the window of the policy the last
    history found in force (the process's first reads that policy's rules with it); only when
    the policy in force has since changed are its rules read (once per version) and, if its
    window differs, the returns in it counted again.
    """
    actor.require_any(*RETURN_READERS, doing=_HISTORIES)
    with ctx.read_core(actor, one_statement=True) as read:
        return _history(read.rows, read.conn, ctx.now(), customer_id)


def _history(rows_of: Callable[[Any, dict[str, Any]], Sequence[Any]], conn: Connection, now: datetime,
             customer_id: int) -> CustomerHistory:
    """:func:`customer_history`'s read: ``rows_of(statement, parameters)`` runs its statement
    (with the actor's check riding on it, or in the caller's transaction)."""
    engine = root_engine(conn)
    known = _IN_FORCE.get(engine)
    days = (known[1] if known is not None else _DEFAULT_RULES).frequent_returner_days
    # The same window, to the minute, as approval routing counts (see inspection._route).
    rows = rows_of(_HISTORY if known is not None else _HISTORY_WITH_RULES,
                   {"customer_id": customer_id, "now": now, "since": now - timedelta(days=days)})
    if not rows:
        raise NotFound(msg("No customer #{customer_id} exists.", customer_id=customer_id))
    head = rows[0]
    policy_id = head.policy_id
    if policy_id is None:
        raise NotFound(
            msg("No return policy is in force. An administrator must publish one before returns can be taken.")
        )
    if known is not None and known[0] == policy_id:
        rules = known[1]
    else:
        rules_json = head.rules_json if known is None else refcache.policy_rules_json(conn, policy_id)
        rules = PolicyRules.from_json(rules_json or "{}")
        with _IN_FORCE_LOCK:
            _IN_FORCE[engine] = (policy_id, rules)
    in_window = int(head.in_window)
    if rules.frequent_returner_days != days:
        since = now - timedelta(days=rules.frequent_returner_days)
        in_window = int(conn.execute(_IN_WINDOW, {"customer_id": customer_id, "since": since}).scalar_one())
    return CustomerHistory(
        customer_id=head.customer_id, customer_name=head.name,
        window_days=rules.frequent_returner_days, returns_in_window=in_window,
        returns_all_time=int(head.all_time), orders=int(head.orders),
        orders_with_returns=int(head.orders_with_returns),
        frequent_returner=is_frequent_returner(in_window, rules),
        last_returns=tuple(
            PastReturn(x.rma_no, x.order_no, x.status, x.created_at, x.refund_total_minor, x.currency,
                       no_receipt=x.channel == NO_RECEIPT_CHANNEL)
            for x in rows if x.rma_no is not None
        ),
        no_receipt_returns=int(head.no_receipt),
    )


def customer_history_in(s: Session, ctx: ServiceContext, customer_id: int) -> CustomerHistory:
    """:func:`customer_history` inside the caller's transaction (its snapshot; the caller checked
    the actor): the same one statement."""
    return _history(lambda statement, params: session_rows(s, statement, params), s.connection(), ctx.now(),
                    customer_id)


@dataclass(frozen=True)
class TimelineEntry:
    """One step in a return's life, from its audit event."""

    at: datetime
    who: str
    station: str | None
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _json(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    value = json.loads(text)
    return value if isinstance(value, dict) else {"value": value}


def timeline_in(session: Session, rma_no: str) -> list[TimelineEntry]:
    """:func:`return_timeline` inside the caller's transaction."""
    rows = session.execute(
        select(AuditEvent, User.display_name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.entity == "return", AuditEvent.entity_id == rma_no)
        .order_by(AuditEvent.seq)
    ).all()
    return [
        TimelineEntry(
            at=ev.occurred_at, who=name or ev.username or "system", station=ev.station,
            action=ev.action, before=_json(ev.before_json), after=_json(ev.after_json),
        )
        for ev, name in rows
    ]


def _timeline_statement() -> Select[Any]:
    r, ev, u = Return.__table__.c, AuditEvent.__table__.c, User.__table__.c
    return (
        select(r.id, ev.occurred_at, ev.username, ev.station, ev.action, ev.before_json, ev.after_json,
               u.display_name)
        .select_from(Return.__table__)
        .outerjoin(AuditEvent.__table__, and_(ev.entity == "return", ev.entity_id == r.rma_no))
        .outerjoin(User.__table__, u.id == ev.user_id)
        .where(r.rma_no == bindparam("rma_no"))
        .order_by(ev.seq)
    )


_TIMELINE = _timeline_statement()


def return_timeline(ctx: ServiceContext, actor: Actor, rma_no: str) -> list[TimelineEntry]:
    """Every recorded step of a return, oldest first: when, who, at which station, what, and the
    values before and after. One statement: the return joined to its audit events (and the
    actor's check)."""
    actor.require_any(*RETURN_READERS, doing=_HISTORIES)
    rma = parse_rma(rma_no)
    with ctx.read_core(actor, one_statement=True) as read:
        rows = cast(Sequence[Any], read.rows(_TIMELINE, {"rma_no": rma}))
    if not rows:
        raise NotFound(msg("No return {rma} exists. Check the number or scan the label again.", rma=rma))
    # The row's columns in the statement's order (the actor's check may follow); a return
    # without events yet has one row without an action.
    return [
        TimelineEntry(at, name or username or "system", station, action, _json(before), _json(after))
        for _, at, username, station, action, before, after, name, *_ in rows if action is not None
    ]


# --------------------------------------------------------------------------- one return


def get_return(ctx: ServiceContext, actor: Actor, rma_no: str) -> ReturnDetail:
    """The full detail of one return (lines with grades and refund figures, inspected units) by
    its RMA number, whatever its state. For the counter and the queues' readers.

    ``ValidationFailed`` when the text is not an RMA number, ``NotFound`` when no such return
    exists.
    """
    actor.require_any(*RETURN_READERS, doing=_HISTORIES)
    rma = parse_rma(str(rma_no or ""))
    # Core rows mapped straight into the view (as the scan reads it), the actor's check riding on
    # the first of the three statements.
    with ctx.read_core(actor) as read:
        found = return_detail_by_rma(read, rma)
    if found is None:
        raise NotFound(msg("No return {what} exists. Check the number or scan the label again.", what=rma))
    return found[0]
