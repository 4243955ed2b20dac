"""One return as its detail page shows it, what the user may do with it, and reopening a mistaken
rejection.

:func:`get_return_page` reads everything the page shows in one read transaction (a
repeatable-read snapshot on PostgreSQL): the return with its lines and units (grades, checks,
dispositions, notes), the refund breakdown and the refund issued, the exchange, the documents
that can be printed with the copies already printed, the print log, the timeline, and the
verdict on every action of the page for the acting user (:func:`return_actions_in`).

The verdicts run the checks the use cases run, without changing anything: the role and the
lifecycle table (``domain.permissions.action_verdict``), then what only the data can say —
segregation of duties and the approver's limit (the approval desk's own checks), the cash limit,
a replacement still holding stock (close refused; hand over, ship or cancel it offered) or a
difference still owed, quantities taken by another return since a rejection. The use
cases refuse on their own whatever a screen offers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from returndesk.domain.errors import (
    IllegalTransition,
    LimitExceeded,
    PermissionDenied,
    PolicyViolation,
    ReturnDeskError,
    SegregationOfDuties,
    ValidationFailed,
)
from returndesk.domain.lifecycle import Action
from returndesk.domain.permissions import (
    REPLACEMENT_ACTIONS,
    RETURN_READERS,
    ActionVerdict,
    Permission,
    Refusal,
    ReturnAction,
    action_verdict,
    can,
)
from returndesk.domain.refund import refund_methods_for
from returndesk.domain.scan import parse_rma
from returndesk.domain.types import DocumentType, Fulfilment, RefundMethod, ReturnStatus
from returndesk.domain.units import free_units
from returndesk.services.tx import audit, unit_shares
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.tx.settlement import (
    check_cash,
    lock_order_lines,
    lock_return,
    return_lines,
)
from returndesk.services.tx.transitions import check_version, transition
from returndesk.services.tx.views import ReturnDetail, load_return, return_detail
from returndesk.services.usecases import approval
from returndesk.services.usecases.review import check_authorize as review_state_check
from returndesk.services.usecases.approval import LineChecks, line_checks_in
from returndesk.services.usecases.exchange import (
    ReplacementView,
    check_collect_open,
    check_replacement_open,
    replacement_view,
)
from returndesk.services.usecases.history import (
    CustomerHistory,
    TimelineEntry,
    customer_history_in,
    timeline_in,
)
from returndesk.services.usecases.refunds import (
    RefundView,
    existing_refund,
    refund_view,
)
from returndesk.store.schema import (
    CreditNote,
    InspectionUnit,
    PrintLog,
    Product,
    ReplacementOrder,
    Return,
    ReturnLine,
    ReturnReason,
    SalesOrder,
    SalesOrderLine,
    User,
)
from returndesk.domain.messages import msg

#: Fewest characters of the written reason for reopening a rejected request.
MIN_REOPEN_REASON = 5

#: States whose return label is still valid (see documents: a label is refused otherwise).
_LABEL_STATES = frozenset(s for s in ReturnStatus if s not in (
    ReturnStatus.DRAFT, ReturnStatus.REQUESTED, ReturnStatus.REJECTED, ReturnStatus.CANCELLED,
    ReturnStatus.EXPIRED,
))
#: States in which the refund is decided: the counter receipt's figures are final.
_RECEIPT_STATES = frozenset({
    ReturnStatus.APPROVED, ReturnStatus.REFUNDED, ReturnStatus.EXCHANGED, ReturnStatus.CLOSED,
})


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class UnitView:
    """One unit seen at inspection, with what the inspector recorded of it."""

    id: int
    number: int  # 1.. in scan order, as the item tags number them
    line_no: int | None  # None for a wrong item
    sku: str | None
    scanned_code: str | None
    serial_no: str | None
    outcome: str
    grade: str | None
    disposition: str | None
    packaging_intact: bool | None
    accessories_complete: bool | None
    serial_matches: bool | None
    functional: bool | None
    notes: str | None
    inspected_by: str
    inspected_at: datetime
    station: str | None


@dataclass(frozen=True)
class RefundFigures:
    """The refund of the return, as the lines and the return record it.

    ``paid`` is what the customer paid for the units refunded (tax included), ``tax`` the tax in
    the refunded lines, ``deductions`` the grade deductions, ``fees`` the restocking fees and
    ``shipping`` the shipping given back: ``paid - deductions - fees + shipping == total``.
    """

    paid_minor: int
    tax_minor: int
    deductions_minor: int
    fees_minor: int
    shipping_minor: int
    total_minor: int
    currency: str
    method: str  # the method of the refund issued, else the one recorded on the return


@dataclass(frozen=True)
class PrintableDocument:
    """A document of the return that can be printed now, and how many copies exist already
    (``copies`` > 0: the next one carries the reprint mark)."""

    doc_type: DocumentType
    reference: str
    copies: int
    unit_number: int | None = None  # the unit of an item tag
    sku: str | None = None


@dataclass(frozen=True)
class PrintedCopy:
    """One line of the print log of the return's documents."""

    id: int
    doc_type: DocumentType
    reference: str
    copy_no: int
    printed_at: datetime
    printed_by: str | None
    station: str | None
    destination: str


@dataclass(frozen=True)
class ReasonName:
    code: str
    name_en: str
    name_zh: str


@dataclass(frozen=True)
class ReturnPage:
    """Everything the return's detail page shows, read in one snapshot."""

    detail: ReturnDetail
    site: str | None  # the site that made the sale
    created_station: str | None
    reasons: tuple[ReasonName, ...]  # the return reasons of its lines
    units: tuple[UnitView, ...]
    checks: tuple[LineChecks, ...]
    figures: RefundFigures
    refund: RefundView | None  # None when none was issued, or the reader may not see refunds
    refund_methods: tuple[str, ...]
    exchange: ReplacementView | None
    history: CustomerHistory | None
    documents: tuple[PrintableDocument, ...]  # empty for a user who may not print
    print_log: tuple[PrintedCopy, ...]
    timeline: tuple[TimelineEntry, ...]
    actions: tuple[ActionVerdict, ...]  # every action of the page, in page order

    @property
    def rma_no(self) -> str:
        return self.detail.rma_no

    def verdict(self, action: ReturnAction | str) -> ActionVerdict:
        """The verdict on ``action``."""
        wanted = ReturnAction(action)
        return next(v for v in self.actions if v.action is wanted)


# --------------------------------------------------------------------------- what the user may do


def _refusal_of(error: ReturnDeskError) -> Refusal:
    if isinstance(error, SegregationOfDuties):
        return Refusal.SEGREGATION
    if isinstance(error, LimitExceeded):
        return Refusal.LIMIT
    if isinstance(error, PermissionDenied):
        return Refusal.ROLE
    if isinstance(error, IllegalTransition):
        return Refusal.STATE
    if isinstance(error, PolicyViolation | ValidationFailed):
        return Refusal.POLICY
    return Refusal.OTHER


def _judged(action: ReturnAction, check: Callable[[], object]) -> ActionVerdict:
    try:
        check()
    except ReturnDeskError as exc:
        return ActionVerdict(action, False, _refusal_of(exc), exc.message)
    return ActionVerdict(action, True)


def _check_refund(s: Session, actor: Actor, ret: Return) -> None:
    done = existing_refund(s, ret.id)
    if done is not None:
        raise PolicyViolation(msg(
            "Return {rma_no} was refunded already ({refund_no}).",
            rma_no=ret.rma_no, refund_no=done.refund_no))
    if ret.refund_method == RefundMethod.CASH.value:
        check_cash(s, actor, ret, ret.refund_total_minor)


def _check_close(s: Session, ret: Return) -> None:
    if ret.status != ReturnStatus.EXCHANGED.value:
        return
    pending = s.execute(
        select(ReplacementOrder.order_no).where(
            ReplacementOrder.return_id == ret.id, ReplacementOrder.status == "reserved"
        )
    ).scalar_one_or_none()
    if pending is not None:
        raise PolicyViolation(
            msg(
                "Return {rma_no} cannot be closed yet: its replacement order {pending} still holds reserved stock. "
                "Hand the replacement over or cancel it first.",
                rma_no=ret.rma_no, pending=pending)
        )


def _check_replacement(s: Session, ret: Return, handing_over: bool) -> None:
    check_replacement_open(s, ret, handing_over=handing_over)


def _reopen_problems(s: Session, ret: Return, *, lock: bool) -> list[str]:
    """Lines whose units another return (or a refund) took since this request was rejected."""
    lines = return_lines(s, ret)
    ids = [line.order_line_id for line in lines]
    if lock:
        order_lines = lock_order_lines(s, ids)
    else:
        order_lines = {ol.id: ol for ol in s.execute(
            select(SalesOrderLine).where(SalesOrderLine.id.in_(ids))
        ).scalars()}
    problems: list[str] = []
    for line in lines:
        ol = order_lines[line.order_line_id]
        free = ol.quantity - ol.qty_returned - ol.qty_in_process
        if line.qty_requested > free:
            problems.append(
                msg(
                    "line {line_no}: {qty_requested} requested, {max} still returnable",
                    line_no=line.line_no, qty_requested=line.qty_requested, max=max(free, 0))
            )
    return problems


def _check_reopen(s: Session, ret: Return) -> None:
    problems = _reopen_problems(s, ret, lock=False)
    if problems:
        raise PolicyViolation(
            msg(
                "Return {rma_no} cannot be reopened: other returns took its goods since it was rejected "
                "({problems}). Issue a new RMA for what is left.",
                rma_no=ret.rma_no, problems='; '.join(problems))
        )


def return_actions_in(s: Session, actor: Actor, ret: Return) -> tuple[ActionVerdict, ...]:
    """The verdict on every action of the detail page for ``actor`` on ``ret``, in page order:
    allowed, or the kind of refusal and the sentence the use case would refuse with."""
    out: list[ActionVerdict] = []
    for action in ReturnAction:
        verdict = action_verdict(actor.role, ret.status, action)
        if verdict.allowed:
            if action is ReturnAction.AUTHORIZE:
                verdict = _judged(action, lambda: review_state_check(s, actor, ret))
            elif action is ReturnAction.APPROVE:
                verdict = _judged(action, lambda: approval.check_approve(s, actor, ret))
            elif action is ReturnAction.OVERRIDE:
                verdict = _judged(action, lambda: approval.check_override(s, actor, ret))
            elif action is ReturnAction.REJECT_REFUND:
                verdict = _judged(action, lambda: approval.check_reject(s, actor, ret))
            elif action is ReturnAction.ISSUE_REFUND:
                verdict = _judged(action, lambda: _check_refund(s, actor, ret))
            elif action is ReturnAction.CLOSE:
                verdict = _judged(action, lambda: _check_close(s, ret))
            elif action is ReturnAction.REOPEN:
                verdict = _judged(action, lambda: _check_reopen(s, ret))
            elif action is ReturnAction.COLLECT_DIFFERENCE:
                verdict = _judged(action, functools.partial(check_collect_open, s, ret))
            elif action in REPLACEMENT_ACTIONS:
                verdict = _judged(action, functools.partial(
                    _check_replacement, s, ret, action is not ReturnAction.CANCEL_EXCHANGE))
        out.append(verdict)
    return tuple(out)


def return_actions(ctx: ServiceContext, actor: Actor, rma_no: str) -> tuple[ActionVerdict, ...]:
    """:func:`return_actions_in` for the return ``rma_no`` (one read transaction)."""
    actor.require_any(*RETURN_READERS, doing=msg("look at returns"))
    rma = parse_rma(str(rma_no or ""))
    with ctx.read(actor) as s:
        return return_actions_in(s, actor, load_return(s, rma_no=rma))


# --------------------------------------------------------------------------- the page


def _units(s: Session, ret: Return) -> tuple[tuple[UnitView, ...], list[InspectionUnit]]:
    """The return's units as the page shows them, and as rows (what ``return_detail`` is built from)."""
    rows = s.execute(
        select(InspectionUnit, ReturnLine.line_no, Product.sku, User.display_name)
        .outerjoin(ReturnLine, ReturnLine.id == InspectionUnit.return_line_id)
        .outerjoin(Product, Product.id == InspectionUnit.product_id)
        .join(User, User.id == InspectionUnit.inspected_by)
        .where(InspectionUnit.return_id == ret.id)
        .order_by(InspectionUnit.id)
    ).all()
    return tuple(
        UnitView(
            id=u.id, number=number, line_no=line_no, sku=sku, scanned_code=u.scanned_code,
            serial_no=u.serial_no, outcome=u.outcome, grade=u.grade, disposition=u.disposition,
            packaging_intact=u.packaging_intact, accessories_complete=u.accessories_complete,
            serial_matches=u.serial_matches, functional=u.functional, notes=u.notes,
            inspected_by=username, inspected_at=u.inspected_at, station=u.station,
        )
        for number, (u, line_no, sku, username) in enumerate(rows, start=1)
    ), [row[0] for row in rows]


def _figures(detail: ReturnDetail, s: Session, ret: Return, refund: RefundView | None) -> RefundFigures:
    tax = sum(int(t or 0) for t in s.execute(
        select(ReturnLine.tax_minor).where(ReturnLine.return_id == ret.id)
    ).scalars())
    deductions = sum(line.deduction_minor for line in detail.lines)
    fees = sum(line.fee_minor for line in detail.lines)
    shipping = detail.shipping_refund_minor
    total = detail.refund_total_minor
    return RefundFigures(
        paid_minor=total - shipping + deductions + fees, tax_minor=tax, deductions_minor=deductions,
        fees_minor=fees, shipping_minor=shipping, total_minor=total, currency=detail.currency,
        method=refund.method if refund is not None else detail.refund_method,
    )


def _documents(actor: Actor, ret: Return, units: tuple[UnitView, ...], credit_notes: list[str],
               replacement: ReplacementOrder | None,
               printed: tuple[PrintedCopy, ...]) -> tuple[PrintableDocument, ...]:
    """The documents the page offers to print, each with the copies ``printed`` already (the
    return's print log, :func:`_print_log`)."""
    if not can(actor.role, Permission.PRINT):
        return ()
    wanted: list[tuple[DocumentType, str, int | None, str | None]] = []
    status = ReturnStatus(ret.status)
    if status in _LABEL_STATES:
        wanted.append((DocumentType.RETURN_LABEL, ret.rma_no, None, None))
    if status in _RECEIPT_STATES:
        wanted.append((DocumentType.COUNTER_RECEIPT, ret.rma_no, None, None))
    if can(actor.role, Permission.ISSUE_REFUND) or can(actor.role, Permission.VIEW_FINANCE):
        wanted.extend((DocumentType.CREDIT_NOTE, number, None, None) for number in credit_notes)
    wanted.extend(
        (DocumentType.ITEM_TAG, f"{ret.rma_no}/{unit.id}", unit.number, unit.sku)
        for unit in units if unit.disposition
    )
    if replacement is not None and replacement.fulfilment == Fulfilment.SHIP.value:
        wanted.append((DocumentType.PACKING_SLIP, replacement.order_no, None, None))
    copies: dict[tuple[str, str], int] = {}
    for copy in printed:
        copies[(copy.doc_type.value, copy.reference)] = copies.get((copy.doc_type.value, copy.reference), 0) + 1
    return tuple(
        PrintableDocument(doc, ref, copies.get((doc.value, ref), 0), number, sku)
        for doc, ref, number, sku in wanted
    )


def _references(credit_notes: list[str], replacement: ReplacementOrder | None) -> list[str]:
    """The numbers of the return's own documents besides its RMA: credit notes, replacement order."""
    return credit_notes + ([replacement.order_no] if replacement is not None else [])


def _print_log_of(ret: Return, references: list[str]) -> ColumnElement[bool]:
    conditions = [
        PrintLog.reference == ret.rma_no,
        PrintLog.reference.like(f"{ret.rma_no}/%"),
    ]
    if references:
        conditions.append(PrintLog.reference.in_(references))
    return or_(*conditions)


def _print_log(s: Session, ret: Return, references: list[str]) -> tuple[PrintedCopy, ...]:
    rows = s.execute(
        select(PrintLog, User.display_name)
        .outerjoin(User, User.id == PrintLog.printed_by)
        .where(_print_log_of(ret, references))
        .order_by(PrintLog.id)
    ).all()
    return tuple(
        PrintedCopy(
            id=row.id, doc_type=DocumentType(row.doc_type), reference=row.reference,
            copy_no=row.copy_no, printed_at=row.printed_at, printed_by=username, station=row.station,
            destination=row.destination,
        )
        for row, username in rows
    )


def get_return_page(ctx: ServiceContext, actor: Actor, rma_no: str) -> ReturnPage:
    """One return as its detail page shows it (see the module documentation), for whoever may
    read returns. ``ValidationFailed`` when the text is not an RMA number, ``NotFound`` when no
    such return exists."""
    actor.require_any(*RETURN_READERS, Permission.RECEIVE, Permission.INSPECT, doing=msg("look at returns"))
    rma = parse_rma(str(rma_no or ""))
    sees_refunds = can(actor.role, Permission.ISSUE_REFUND) or can(actor.role, Permission.VIEW_FINANCE)
    with ctx.read(actor, snapshot=True) as s:
        ret = load_return(s, rma_no=rma)
        units, unit_rows = _units(s, ret)
        detail = return_detail(s, ret, unit_rows)
        site, station = s.execute(
            select(SalesOrder.site, Return.created_station)
            .join(Return, Return.order_id == SalesOrder.id)
            .where(Return.id == ret.id)
        ).one()
        codes = sorted({line.reason_code for line in detail.lines})
        reasons = tuple(
            ReasonName(code, name_en, name_zh)
            for code, name_en, name_zh in s.execute(
                select(ReturnReason.code, ReturnReason.name_en, ReturnReason.name_zh)
                .where(ReturnReason.code.in_(codes)).order_by(ReturnReason.code)
            )
        )
        refund_row = existing_refund(s, ret.id)
        refund = refund_view(s, refund_row) if refund_row is not None and sees_refunds else None
        replacement_row = s.execute(
            select(ReplacementOrder).where(ReplacementOrder.return_id == ret.id)
        ).scalar_one_or_none()
        credit_notes = list(s.execute(
            select(CreditNote.number).where(CreditNote.return_id == ret.id).order_by(CreditNote.id)
        ).scalars())
        sees_history = can(actor.role, Permission.FIND_SALES) or can(actor.role, Permission.VIEW_QUEUES)
        printed = (_print_log(s, ret, _references(credit_notes, replacement_row))
                   if can(actor.role, Permission.PRINT) else ())
        return ReturnPage(
            detail=detail,
            site=site,
            created_station=station,
            reasons=reasons,
            units=units,
            checks=line_checks_in(s, ret),
            figures=_figures(detail, s, ret, refund),
            refund=refund,
            refund_methods=tuple(m.value for m in refund_methods_for(detail.channel)),
            exchange=replacement_view(s, replacement_row) if replacement_row is not None else None,
            history=(customer_history_in(s, ctx, detail.customer_id)
                     if detail.customer_id is not None and sees_history else None),
            documents=_documents(actor, ret, units, credit_notes, replacement_row, printed),
            print_log=printed,
            timeline=tuple(timeline_in(s, ret.rma_no)),
            actions=return_actions_in(s, actor, ret),
        )


# --------------------------------------------------------------------------- reopening


def _reopen_reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if len(text) < MIN_REOPEN_REASON:
        raise ValidationFailed(
            msg(
                "Write why the rejection was a mistake (at least {min_reopen_reason} characters); it is kept with "
                "the return.",
                min_reopen_reason=MIN_REOPEN_REASON)
        )
    if len(text) > 500:
        raise ValidationFailed(msg(
            "The reason is {text_count} characters long; keep it to 500.",
            text_count=len(text)))
    return text


def reopen_return_in(
    s: Session, ctx: ServiceContext, actor: Actor, rma_no: str, reason: str, *,
    expected_version: int | None = None,
) -> ReturnDetail:
    """:func:`reopen_return` inside the caller's transaction."""
    text = _reopen_reason(reason)
    ret = lock_return(s, rma_no)
    check_version(s, ret, expected_version)
    if ret.status != ReturnStatus.REJECTED.value:
        # The lifecycle's sentence, naming the state and who set it.
        transition(s, ctx, actor, ret, Action.REOPEN)
    problems = _reopen_problems(s, ret, lock=True)
    if problems:
        raise PolicyViolation(
            msg(
                "Return {rma_no} cannot be reopened: other returns took its goods since it was rejected "
                "({problems}). Issue a new RMA for what is left.",
                rma_no=ret.rma_no, problems='; '.join(problems))
        )
    lines = return_lines(s, ret)
    order_lines = lock_order_lines(s, (line.order_line_id for line in lines))
    taken = unit_shares.taken_units(s, order_lines, besides=[line.id for line in lines])
    held: dict[str, dict[str, int]] = {}
    for line in lines:
        ol = order_lines[line.order_line_id]
        units = free_units(ol.quantity, taken[ol.id], line.qty_requested)
        taken[ol.id].update(units)
        unit_shares.hold(line, units)
        before = ol.qty_in_process
        ol.qty_in_process += line.qty_requested
        held[str(ol.id)] = {"before": before, "after": ol.qty_in_process}
    transition(s, ctx, actor, ret, Action.REOPEN, details={"reason": text})
    audit.record(s, ctx, actor, "return", ret.rma_no, "hold_quantity", None, {"qty_in_process": held})
    s.flush()
    return return_detail(s, ret)


def reopen_return(
    ctx: ServiceContext, actor: Actor, rma_no: str, reason: str, *, expected_version: int | None = None
) -> ReturnDetail:
    """Reopen a request rejected by mistake: rejected -> requested, with a written reason.

    The return holds its quantities again (refused, naming the lines, when other returns took
    them meanwhile) and waits for authorization as a new request would. Supervisors and above.
    """
    actor.require(Permission.REOPEN_RETURN)
    _reopen_reason(reason)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        detail = reopen_return_in(s, ctx, actor, rma_no, reason, expected_version=expected_version)
    ctx.changed("return", detail.id)
    return detail
