"""The supervisor's side: approving, rejecting and overriding refunds, the approval queue, and what the
workstation reads besides (queue notes, one consistent case).

Every rule is checked here, in the service, whatever a screen shows: segregation of duties (whoever
created or inspected a return cannot approve its refund), the approval level routing asked for, the
approver's own limit, and the policy (an out-of-policy return needs an override with a written
reason). :func:`approval_state` runs the same checks without changing anything, so the screen can
disable a button and say why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, bindparam, exists, func, or_, select, tuple_
from sqlalchemy.orm import Session

from returndesk.domain.approval import ROLE_APPROVAL_LEVEL, check_approver
from returndesk.domain.codes import clean_text, phone_digits
from returndesk.domain.errors import (
    PermissionDenied,
    PolicyViolation,
    ReturnDeskError,
    ValidationFailed,
)
from returndesk.domain.lifecycle import Action
from returndesk.domain.permissions import RETURN_READERS, Permission, can
from returndesk.domain.refund import refund_methods_for
from returndesk.domain.scan import looks_like_order, looks_like_rma, normalize_order, parse_rma
from returndesk.domain.types import ApprovalLevel, PolicyStatus, Role, ReturnStatus
from returndesk.store.schema import (
    Approval,
    Customer,
    InspectionUnit,
    Return,
    ReturnLine,
    SalesOrder,
)

from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.tx.updates import write_changes
from returndesk.services.tx.inserts import insert_one
from returndesk.services.tx.settlement import (
    SENT_BACK_ON_REFUSAL,
    acting_user,
    lock_order_lines,
    lock_return,
    release_hold,
    require_state,
    return_lines,
    send_back_to_customer,
)
from returndesk.services.tx.transitions import check_version, transition
from returndesk.services.tx.views import (
    Page,
    ReturnDetail,
    ReturnSummary,
    load_return,
    read_held,
    return_detail,
    SUMMARY_SELECT,
    summary_from_row,
)
from returndesk.services.usecases.history import CustomerHistory, TimelineEntry, customer_history_in, timeline_in
from returndesk.services.usecases.refunds import RefundView, existing_refund, refund_view
from returndesk.domain.messages import Message, dump_text, join, load_lines, msg

#: Fewest characters of a written reason for rejecting a refund or overriding the policy.
MIN_REASON_LENGTH = 5

_LEVEL_RANK = {ApprovalLevel.AUTO: 0, ApprovalLevel.SUPERVISOR: 1, ApprovalLevel.MANAGER: 2}


# --------------------------------------------------------------------------- the checks


def _inspectors(session: Session, ret: Return, units: list[InspectionUnit] | None = None) -> set[int]:
    """Who inspected ``ret``: its units' inspectors (from ``units``, every unit of the return, when
    the caller holds them) and the user who completed the inspection."""
    ids = {u.inspected_by for u in units} if units is not None else {
        uid for uid in session.execute(
            select(InspectionUnit.inspected_by).where(InspectionUnit.return_id == ret.id).distinct()
        ).scalars()
    }
    if ret.inspected_by is not None:
        ids.add(ret.inspected_by)
    return ids


def _check_person(
    session: Session, actor: Actor, ret: Return, *, with_limit: bool = True,
    units: list[InspectionUnit] | None = None,
) -> None:
    """Segregation of duties, the level routing asked for, and (for approving) the limit."""
    user = acting_user(session, actor)
    check_approver(
        approver_id=actor.user_id,
        approver_role=user.role,
        approver_limit=user.approval_limit_minor if with_limit else None,
        level_required=ret.approval_level or ApprovalLevel.SUPERVISOR,
        amount=ret.refund_total_minor,
        created_by=ret.created_by,
        inspected_by=_inspectors(session, ret, units),
        currency=ret.currency,
    )


def _policy_problems(session: Session, ret: Return) -> list[str]:
    return [
        msg("line {line_no}: {note}", line_no=line.line_no,
            note=line.policy_note or line.policy_status.replace("_", " "))
        for line in return_lines(session, ret)
        if line.policy_status != PolicyStatus.WITHIN.value
    ]


def _check_approve(session: Session, actor: Actor, ret: Return,
                   units: list[InspectionUnit] | None = None) -> None:
    actor.require(Permission.APPROVE_REFUND)
    require_state(session, ret, Action.APPROVE)
    if not ret.in_policy and not ret.override_reason:
        listed = _policy_problems(session, ret)
        problems = join(listed, "; ") if listed else msg("outside the policy")
        raise PolicyViolation(
            msg(
                "Return {rma_no} is outside the return policy ({problems}). A supervisor must override the policy "
                "with a written reason instead of approving it.",
                rma_no=ret.rma_no, problems=problems)
        )
    _check_person(session, actor, ret, units=units)


def _check_override(session: Session, actor: Actor, ret: Return) -> None:
    actor.require(Permission.OVERRIDE_POLICY)
    require_state(session, ret, Action.APPROVE)
    if ret.in_policy:
        raise ValidationFailed(
            msg(
                "Return {rma_no} is within the return policy; no override is needed. Approve it.",
                rma_no=ret.rma_no)
        )
    blocked = [
        line.line_no for line in return_lines(session, ret)
        if line.policy_status == PolicyStatus.NOT_RETURNABLE.value
    ]
    if blocked:
        which = ", ".join(str(n) for n in blocked)
        raise PolicyViolation(
            msg(
                "Return {rma_no} has lines that can never be returned (line {which}); the policy cannot be "
                "overridden for them. Reject the refund.",
                rma_no=ret.rma_no, which=which)
        )
    _check_person(session, actor, ret)


def _check_reject(session: Session, actor: Actor, ret: Return) -> None:
    actor.require(Permission.APPROVE_REFUND)
    require_state(session, ret, Action.REJECT_REFUND)
    # Refusing money is never above anyone's limit, but it is still the approver's decision.
    _check_person(session, actor, ret, with_limit=False)


#: The checks of the three decisions, for the reads that say what a user may do with a return
#: (``approval_state`` here, ``return_page.return_actions`` for the detail page).
check_approve, check_override, check_reject = _check_approve, _check_override, _check_reject


def _written_reason(reason: str | None, what: str) -> str:
    text = " ".join((reason or "").split())
    if len(text) < MIN_REASON_LENGTH:
        raise ValidationFailed(
            msg(
                "Write the reason for {what} (at least {min_reason_length} characters); it is kept with the return "
                "and shown to the customer service team.",
                what=what, min_reason_length=MIN_REASON_LENGTH)
        )
    return text


# --------------------------------------------------------------------------- approving


def approve_refund(
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    *,
    note: str | None = None,
    expected_version: int | None = None,
) -> ReturnDetail:
    """Approve the refund of a return waiting for approval: awaiting_approval -> approved.

    Refused (and nothing written) when the actor created or inspected the return, lacks the level
    routing asked for, or the amount is above their approval limit (the message names both
    amounts); an out-of-policy return needs :func:`override_policy` instead.
    """
    actor.require(Permission.APPROVE_REFUND)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor, actor_in_first_read=True) as s:
        detail = approve_refund_in(s, ctx, actor, rma_no, note=note, expected_version=expected_version)
    ctx.changed("return", detail.id)
    return detail


def approve_refund_in(
    s: Session,
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    *,
    note: str | None = None,
    expected_version: int | None = None,
) -> ReturnDetail:
    """:func:`approve_refund` inside the caller's transaction."""
    ret = lock_return(s, rma_no)
    check_version(s, ret, expected_version)
    # The units once, with the lines, order and customer: who inspected them (segregation of
    # duties) and the result's detail.
    _, units, held = read_held(s, ret, with_units=True)
    _check_approve(s, actor, ret, units)
    reason: str | None
    said: str | None
    if isinstance(note, Message):
        # A sentence of the services (a sign-off at the counter, which records a step of its
        # own): kept as its data, read in the reader's language, and not repeated as the step's
        # note, which the timeline and the webhooks show as the supervisor's own words.
        reason, said = dump_text(note), None
    else:
        reason = said = " ".join((note or "").split()) or None
    insert_one(s, Approval(
        return_id=ret.id, level=ret.approval_level or ApprovalLevel.SUPERVISOR.value,
        decision="approved", decided_by=actor.user_id, decided_at=ctx.now(), reason=reason,
        amount_minor=ret.refund_total_minor,
    ))
    transition(s, ctx, actor, ret, Action.APPROVE, details={
        "decision": "approved",
        "level": ret.approval_level,
        "amount_minor": ret.refund_total_minor,
        "note": said,
    })
    write_changes(s)
    return return_detail(s, ret, units, held)


def override_policy(
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    reason: str,
    *,
    expected_version: int | None = None,
) -> ReturnDetail:
    """Approve an out-of-policy return with a written reason: awaiting_approval -> approved.

    Needs the override right, and the same approver checks as :func:`approve_refund`. Lines that
    can never be returned (a non-returnable category, more than was bought) cannot be overridden.
    """
    actor.require(Permission.OVERRIDE_POLICY)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        detail = override_policy_in(s, ctx, actor, rma_no, reason, expected_version=expected_version)
    ctx.changed("return", detail.id)
    return detail


def override_policy_in(
    s: Session,
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    reason: str,
    *,
    expected_version: int | None = None,
) -> ReturnDetail:
    """:func:`override_policy` inside the caller's transaction."""
    text = _written_reason(reason, msg("overriding the return policy"))
    ret = lock_return(s, rma_no)
    check_version(s, ret, expected_version)
    _check_override(s, actor, ret)
    ret.override_reason = text
    ret.override_by = actor.user_id
    insert_one(s, Approval(
        return_id=ret.id, level=ret.approval_level or ApprovalLevel.SUPERVISOR.value,
        decision="override", decided_by=actor.user_id, decided_at=ctx.now(), reason=text,
        amount_minor=ret.refund_total_minor,
    ))
    transition(s, ctx, actor, ret, Action.APPROVE, details={
        "decision": "override",
        "level": ret.approval_level,
        "amount_minor": ret.refund_total_minor,
        "override_reason": text,
    })
    write_changes(s)
    return return_detail(s, ret)


# --------------------------------------------------------------------------- rejecting


def reject_refund(
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    reason: str,
    *,
    expected_version: int | None = None,
) -> ReturnDetail:
    """Refuse the refund: awaiting_approval -> refund_rejected, with a written reason.

    The goods go back to the customer: every unit of the return still inside (inspection,
    available, refurbish...) moves to the customer, and the quantity the return held on its order
    lines is freed.
    """
    actor.require(Permission.APPROVE_REFUND)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        detail = reject_refund_in(s, ctx, actor, rma_no, reason, expected_version=expected_version)
    ctx.changed("return", detail.id)
    return detail


def reject_refund_in(
    s: Session,
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    reason: str,
    *,
    expected_version: int | None = None,
) -> ReturnDetail:
    """:func:`reject_refund` inside the caller's transaction."""
    text = _written_reason(reason, msg("rejecting the refund"))
    ret = lock_return(s, rma_no)
    check_version(s, ret, expected_version)
    _check_reject(s, actor, ret)
    lines = return_lines(s, ret)
    order_lines = lock_order_lines(s, (line.order_line_id for line in lines))
    for line in lines:
        release_hold(s, ret, line, order_lines[line.order_line_id])
    sent = send_back_to_customer(s, ctx, actor, ret, SENT_BACK_ON_REFUSAL)
    insert_one(s, Approval(
        return_id=ret.id, level=ret.approval_level or ApprovalLevel.SUPERVISOR.value,
        decision="rejected", decided_by=actor.user_id, decided_at=ctx.now(), reason=text,
        amount_minor=ret.refund_total_minor,
    ))
    transition(s, ctx, actor, ret, Action.REJECT_REFUND, details={
        "decision": "rejected",
        "reason": text,
        "goods_returned": [
            {"product_id": h.product_id, "from": h.location, "quantity": h.quantity} for h in sent
        ],
    })
    write_changes(s)
    return return_detail(s, ret)


# --------------------------------------------------------------------------- what the screen may offer


@dataclass(frozen=True)
class ApprovalState:
    """What the acting user may do with a return now, and in words why not."""

    rma_no: str
    status: str
    version: int
    level: str | None
    amount_minor: int
    currency: str
    in_policy: bool
    override_reason: str | None
    routing_reasons: tuple[str, ...]
    can_approve: bool
    why_not_approve: str | None
    can_reject: bool
    why_not_reject: str | None
    can_override: bool
    why_not_override: str | None


def _verdict(check: Callable[[], None]) -> tuple[bool, str | None]:
    try:
        check()
    except ReturnDeskError as exc:
        return False, exc.message
    return True, None


def approval_state(ctx: ServiceContext, actor: Actor, rma_no: str) -> ApprovalState:
    """The approve / reject / override buttons for ``actor`` on this return: enabled, or the
    reason in words. Runs exactly the checks the use cases run."""
    with ctx.read(actor) as s:
        return approval_state_in(s, actor, load_return(s, rma_no=parse_rma(rma_no)))


def approval_state_in(s: Session, actor: Actor, ret: Return) -> ApprovalState:
    """:func:`approval_state` inside the caller's transaction."""
    ok_a, why_a = _verdict(lambda: _check_approve(s, actor, ret))
    ok_r, why_r = _verdict(lambda: _check_reject(s, actor, ret))
    ok_o, why_o = _verdict(lambda: _check_override(s, actor, ret))
    reasons = tuple(load_lines(ret.approval_reasons))
    return ApprovalState(
        rma_no=ret.rma_no, status=ret.status, version=ret.version, level=ret.approval_level,
        amount_minor=ret.refund_total_minor, currency=ret.currency, in_policy=ret.in_policy,
        override_reason=ret.override_reason, routing_reasons=reasons,
        can_approve=ok_a, why_not_approve=why_a, can_reject=ok_r, why_not_reject=why_r,
        can_override=ok_o, why_not_override=why_o,
    )


# --------------------------------------------------------------------------- the queue


def _queue_levels(actor: Actor, level: ApprovalLevel | str | None) -> list[str]:
    """The levels whose returns ``actor`` sees: their own by default; a lower one on request."""
    own = ROLE_APPROVAL_LEVEL.get(Role(actor.role))
    signing = (ApprovalLevel.SUPERVISOR, ApprovalLevel.MANAGER)
    if level is not None:
        try:
            wanted = ApprovalLevel(level)
        except ValueError:
            raise ValidationFailed(
                msg("'{level}' is not an approval level; use supervisor or manager.", level=level)
            ) from None
        if own is not None and _LEVEL_RANK[wanted] > _LEVEL_RANK[own]:
            raise PermissionDenied(
                msg(
                    "Returns waiting for a {value}'s approval are not in your queue; they are above your level "
                    "({value2}).",
                    value=wanted.value, value2=own.value)
            )
        return [wanted.value]
    if own is None:
        # Read-only viewers (finance) see every return waiting for someone.
        return [lv.value for lv in signing]
    return [own.value]


def _queue_filter(actor: Actor, level: ApprovalLevel | str | None, reason_code: str | None,
                  text: str | None) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = [
        Return.status == ReturnStatus.AWAITING_APPROVAL.value,
        _at_levels(_queue_levels(actor, level)),
    ]
    if reason_code:
        conditions.append(exists().where(
            ReturnLine.return_id == Return.id, ReturnLine.reason_code == reason_code
        ).correlate(Return.__table__))
    words = " ".join(clean_text(text, what=msg("The filter text")).split()) if text else ""
    if words:
        pattern = f"%{words.lower()}%"
        rma = parse_rma(words) if looks_like_rma(words) else words.upper()
        order_no = normalize_order(words) if looks_like_order(words) else words.upper()
        phone = phone_digits(words) or words
        conditions.append(or_(
            Return.rma_no == rma,
            # Correlated on the return alone: the page's statement joins customers and orders too.
            exists().where(Customer.id == Return.customer_id, or_(
                func.lower(Customer.name).like(pattern), Customer.phone.like(f"%{phone}%")
            )).correlate(Return.__table__),
            exists().where(SalesOrder.id == Return.order_id, SalesOrder.order_no == order_no)
            .correlate(Return.__table__),
        ))
    return and_(*conditions)


def _at_levels(levels: list[str]) -> ColumnElement[bool]:
    # One level (every approver's own queue) as a plain comparison: an IN list is expanded at
    # every execution.
    return Return.approval_level == levels[0] if len(levels) == 1 else Return.approval_level.in_(levels)


@dataclass(frozen=True)
class _QueueStatements:
    first_page: Select[Any]
    next_page: Select[Any]
    size: Select[Any]
    by_reason: Select[Any]


#: The queue's statements for a plain queue (no filter), by the levels it shows: built once.
_QUEUES: dict[tuple[str, ...], _QueueStatements] = {}


def _queue_statements(condition: ColumnElement[bool]) -> _QueueStatements:
    r, rl = Return.__table__.c, ReturnLine.__table__.c
    page = SUMMARY_SELECT.where(condition).order_by(r.status_changed_at, r.id).limit(bindparam("limit"))
    ts, last_id = bindparam("after_ts", type_=r.status_changed_at.type), bindparam("after_id", type_=r.id.type)
    count = func.count(func.distinct(r.id))
    return _QueueStatements(
        first_page=page,
        # A row-value comparison, which both databases seek in the queue's index; written as
        # "later, or as late with a higher id" PostgreSQL read every row after the cursor and
        # sorted them (at 700 waiting, 5-7 ms a page against 1 ms).
        next_page=page.where(tuple_(r.status_changed_at, r.id) > tuple_(ts, last_id)),
        size=select(func.count().label("n")).select_from(Return.__table__).where(condition),
        by_reason=(
            select(rl.reason_code, count.label("n"))
            .select_from(ReturnLine.__table__).join(Return.__table__, r.id == rl.return_id)
            .where(condition).group_by(rl.reason_code).order_by(count.desc(), rl.reason_code)
        ),
    )


def _queue_for(actor: Actor, level: ApprovalLevel | str | None = None, reason_code: str | None = None,
               text: str | None = None) -> _QueueStatements:
    if reason_code or (text and text.strip()):
        return _queue_statements(_queue_filter(actor, level, reason_code, text))
    levels = tuple(_queue_levels(actor, level))
    found = _QUEUES.get(levels)
    if found is None:
        found = _QUEUES[levels] = _queue_statements(_queue_filter(actor, level, None, None))
    return found


def approval_queue(
    ctx: ServiceContext,
    actor: Actor,
    *,
    reason_code: str | None = None,
    level: ApprovalLevel | str | None = None,
    text: str | None = None,
    after: str | None = None,
    limit: int = 50,
) -> Page[ReturnSummary]:
    """The returns waiting for the actor's approval level, oldest first, one keyset page.

    ``reason_code`` keeps returns with a line of that reason; ``text`` matches the RMA or order
    number exactly, or part of the customer's name or phone; ``after`` is the previous page's
    ``next_after``. One statement: the page's returns with their order numbers, customers and
    item counts, and the actor's check.
    """
    actor.require(Permission.VIEW_QUEUES)
    limit = max(1, min(int(limit), 500))
    queue = _queue_for(actor, level, reason_code, text)
    params: dict[str, Any] = {"limit": limit + 1}
    stmt = queue.first_page
    if after:
        params["after_ts"], params["after_id"] = Page.decode_cursor(after)
        stmt = queue.next_page
    with ctx.read_core(actor, one_statement=True) as read:
        rows = read.rows(stmt, params)
    more = len(rows) > limit
    items = tuple(summary_from_row(row) for row in rows[:limit])
    cursor = Page.encode_cursor(items[-1].status_changed_at, items[-1].id) if more else None
    return Page(items=items, next_cursor=cursor)


def queue_counts_by_reason(ctx: ServiceContext, actor: Actor) -> list[tuple[str, int]]:
    """How many returns in the actor's queue have a line of each reason, most first."""
    actor.require(Permission.VIEW_QUEUES)
    stmt = _queue_for(actor).by_reason
    with ctx.read_core(actor, one_statement=True) as read:
        return [(row.reason_code, int(row.n)) for row in read.rows(stmt)]


def queue_size(ctx: ServiceContext, actor: Actor) -> int:
    """How many returns wait in the actor's queue (for a badge on the navigation)."""
    actor.require(Permission.VIEW_QUEUES)
    stmt = _queue_for(actor).size
    with ctx.read_core(actor, one_statement=True) as read:
        return int(read.rows(stmt)[0].n)


# --------------------------------------------------------------------------- the workstation's reads

#: The checks of an inspected unit, in the order the station asks them.
CHECKS = ("packaging_intact", "accessories_complete", "serial_matches", "functional")
#: Most returns one call of :func:`find_queue_notes` answers for (a page of the queue).
MAX_RETURNS = 500


@dataclass(frozen=True)
class QueueNotes:
    """What the approval queue shows of one return besides its summary."""

    return_id: int
    reason_codes: tuple[str, ...]  # the lines' return reasons, each once, in line order
    routing_reasons: tuple[str, ...]  # why routing asked for a person, one sentence each
    in_policy: bool


def find_queue_notes(ctx: ServiceContext, actor: Actor, return_ids: Iterable[int]) -> dict[int, QueueNotes]:
    """Line reasons and routing reasons of the given returns (one page of a queue), by return id.

    Ids that name no return are left out. At most :data:`MAX_RETURNS` ids per call.
    """
    actor.require(Permission.VIEW_QUEUES)
    ids = sorted({int(i) for i in return_ids})
    if len(ids) > MAX_RETURNS:
        raise ValueError(f"find_queue_notes answers for at most {MAX_RETURNS} returns at a time")
    if not ids:
        return {}
    with ctx.read(actor) as s:
        heads = s.execute(
            select(Return.id, Return.approval_reasons, Return.in_policy).where(Return.id.in_(ids))
        ).all()
        codes: dict[int, list[str]] = {rid: [] for rid, _, _ in heads}
        for rid, code in s.execute(
            select(ReturnLine.return_id, ReturnLine.reason_code)
            .where(ReturnLine.return_id.in_(ids))
            .order_by(ReturnLine.return_id, ReturnLine.line_no)
        ):
            if code not in codes[rid]:
                codes[rid].append(code)
        return {
            rid: QueueNotes(
                return_id=rid,
                reason_codes=tuple(codes[rid]),
                routing_reasons=tuple(load_lines(reasons)),
                in_policy=bool(in_policy),
            )
            for rid, reasons, in_policy in heads
        }


@dataclass(frozen=True)
class CheckCount:
    """How the inspected units of a line fared on one check (units not asked are not counted)."""

    check: str  # one of CHECKS
    passed: int
    failed: int


@dataclass(frozen=True)
class LineChecks:
    """What inspection found on one line of a return, and what the clerk confirmed at intake."""

    return_line_id: int
    line_no: int
    units_inspected: int
    checks: tuple[CheckCount, ...]  # only the checks asked for at least one unit
    notes: tuple[str, ...]  # the inspectors' notes on the units, in scan order
    conditions_met: tuple[str, ...]  # condition codes confirmed at intake

    @property
    def failed(self) -> tuple[CheckCount, ...]:
        """The checks at least one unit failed."""
        return tuple(c for c in self.checks if c.failed)


def find_line_checks(ctx: ServiceContext, actor: Actor, rma_no: str) -> tuple[LineChecks, ...]:
    """Per line of the return (in line order), the inspection checks of its units and the
    conditions confirmed at intake. Units recorded as wrong items belong to no line and are not
    counted here (the return's detail lists them)."""
    actor.require_any(*RETURN_READERS, doing=msg("look at returns waiting for approval"))
    rma = parse_rma(str(rma_no or ""))
    with ctx.read(actor) as s:
        return line_checks_in(s, load_return(s, rma_no=rma))


#: A return's lines, each with its inspected units in the order they were recorded (or none),
#: built once: what :func:`line_checks_in` tallies.
_LINES_WITH_UNITS = (
    select(ReturnLine.id, ReturnLine.line_no, ReturnLine.conditions_met, InspectionUnit.id.label("unit_id"),
           InspectionUnit.packaging_intact, InspectionUnit.accessories_complete, InspectionUnit.serial_matches,
           InspectionUnit.functional, InspectionUnit.notes)
    .outerjoin(InspectionUnit, InspectionUnit.return_line_id == ReturnLine.id)
    .where(ReturnLine.return_id == bindparam("return_id"))
    .order_by(ReturnLine.line_no, InspectionUnit.id)
)


def line_checks_in(s: Session, ret: Return) -> tuple[LineChecks, ...]:
    """:func:`find_line_checks` inside the caller's transaction: the lines with their units, in
    one statement."""
    rows = s.execute(_LINES_WITH_UNITS, {"return_id": ret.id}).all()
    lines = list({row[0]: (row[0], row[1], row[2]) for row in rows}.values())  # in line order, once each
    tallies: dict[int, dict[str, list[int]]] = {lid: {c: [0, 0] for c in CHECKS} for lid, _, _ in lines}
    counts: dict[int, int] = dict.fromkeys(tallies, 0)
    notes: dict[int, list[str]] = {lid: [] for lid in tallies}
    for line_id, _line_no, _conditions, unit_id, *values, note in rows:
        if unit_id is None:  # a line without inspected units
            continue
        counts[line_id] += 1
        for check, value in zip(CHECKS, values, strict=True):
            if value is not None:
                tallies[line_id][check][0 if value else 1] += 1
        if note and note.strip():
            notes[line_id].append(note.strip())
    return tuple(
        LineChecks(
            return_line_id=lid,
            line_no=line_no,
            units_inspected=counts[lid],
            checks=tuple(
                CheckCount(check, passed, failed)
                for check, (passed, failed) in tallies[lid].items()
                if passed or failed
            ),
            notes=tuple(notes[lid]),
            conditions_met=tuple(c.strip() for c in (conditions or "").split(",") if c.strip()),
        )
        for lid, line_no, conditions in lines
    )


# --------------------------------------------------------------------------- one case


@dataclass(frozen=True)
class ApprovalCase:
    """Everything the approval desk shows of one return, read in one snapshot."""

    detail: ReturnDetail
    state: ApprovalState
    checks: tuple[LineChecks, ...]
    history: CustomerHistory | None  # None for a return without a customer
    timeline: tuple[TimelineEntry, ...]
    refund: RefundView | None  # None when none was issued, or the reader may not see refunds
    methods: tuple[str, ...]  # refund methods this return may be paid by

    @property
    def rma_no(self) -> str:
        return self.detail.rma_no

    @property
    def status(self) -> str:
        return self.detail.status


def get_case(ctx: ServiceContext, actor: Actor, rma_no: str) -> ApprovalCase:
    """One return as the approval desk shows it: its detail, what ``actor`` may decide on it and
    why not, the inspection checks per line, the customer's history, the timeline, the refund (to
    those who may see refunds) and the refund methods it may be paid by.

    One read transaction (a repeatable-read snapshot on PostgreSQL), so the parts agree with each
    other even while other stations change the return. ``ValidationFailed`` when the text is not
    an RMA number, ``NotFound`` when no such return exists.
    """
    actor.require_any(*RETURN_READERS, doing=msg("look at returns waiting for approval"))
    rma = parse_rma(str(rma_no or ""))
    sees_refunds = can(actor.role, Permission.ISSUE_REFUND) or can(actor.role, Permission.VIEW_FINANCE)
    with ctx.read(actor, snapshot=True) as s:
        ret = load_return(s, rma_no=rma)
        detail = return_detail(s, ret)
        refund = existing_refund(s, ret.id) if sees_refunds else None
        return ApprovalCase(
            detail=detail,
            state=approval_state_in(s, actor, ret),
            checks=line_checks_in(s, ret),
            history=(customer_history_in(s, ctx, detail.customer_id)
                     if detail.customer_id is not None else None),
            timeline=tuple(timeline_in(s, ret.rma_no)),
            refund=refund_view(s, refund) if refund is not None else None,
            methods=tuple(m.value for m in refund_methods_for(detail.channel)),
        )
