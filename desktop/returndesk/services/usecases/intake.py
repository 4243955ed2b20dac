"""Counter intake: recording a return against its sale, judging it, and its first steps.

A clerk finds the sale (:mod:`returndesk.services.usecases.sales`), fills in a :class:`ReturnDraft` (which
order lines, how many, why, refund or exchange), watches :func:`preview_return` judge it on every
keystroke, and issues the RMA with :func:`create_return`. Then the return is authorized (remote
returns get a date by which the parcel must arrive), or rejected or cancelled; authorized remote
returns that never arrive expire (:func:`expire_overdue`). A walk-in with the goods in hand is
created, authorized and received in one transaction (:func:`counter_intake_in`).

Quantity invariant, for every sales order line, at every commit::

    qty_returned + qty_in_process <= quantity

* Creating a return holds each line's ``qty_requested`` in ``qty_in_process``. The order lines are
  read under a row lock (``FOR UPDATE``; SQLite's write transactions are exclusive anyway) and the
  requested quantity is checked against ``quantity - qty_returned - qty_in_process`` *after* the
  lock is held, so two counters returning the same line at once queue up and the second sees what
  the first took.
* Rejecting, cancelling or expiring a return (all before the goods are received) gives the held
  ``qty_requested`` back, again under the row lock.
* From receipt on, the units held are those counted at inspection; the refund or exchange moves the
  accepted units from ``qty_in_process`` to ``qty_returned`` and frees the rest (services
  ``settlement``/``refunds``/``exchange``).

Lock order (the same in every transaction that touches returns, so stations never wait on each
other in a circle): the return row, then its order lines by id, then number sequences, then the
audit head (every audit event locks it).

Refund figures stored when a return is created are the expectation — every unit accepted at grade
A, with the policy's deductions for the reason — so that the RMA and the counter receipt carry an
amount; inspection replaces them with what was actually found. The return holds the lowest free
units of each order line (``return_lines.units_held``), each priced at its own fixed share of paid,
tax and shipping (:mod:`returndesk.domain.units`), so the refund of the same units at the same grade
is exactly what the RMA promised, whatever other returns of the line do meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from functools import partial
from typing import Any

from sqlalchemy import bindparam, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from returndesk.domain.approval import AppliedLimit, on_the_spot_limit
from returndesk.domain.errors import PolicyViolation, ValidationFailed
from returndesk.domain.lifecycle import Action
from returndesk.domain.localtime import local_datetime, zone
from returndesk.domain.permissions import Permission, can
from returndesk.domain.policy import NEEDS_OVERRIDE, PolicyVerdict, worst_status
from returndesk.domain.refund import (
    LineRefund,
    RefundBreakdown,
    compute_line_refund,
    compute_refund,
    refund_methods_for,
)
from returndesk.domain.scan import parse_rma
from returndesk.domain.types import (
    ApprovalLevel,
    Channel,
    Grade,
    PolicyStatus,
    RefundMethod,
    Resolution,
    ReturnStatus,
)
from returndesk.domain.units import average_unit_paid, format_units, free_units, share_of_units
from returndesk.store.schema import (
    Approval,
    Category,
    Customer,
    Product,
    Return,
    ReturnLine,
    SalesOrder,
    SalesOrderLine,
    User,
)

from returndesk.services.tx import audit, sequences, unit_shares
from returndesk.services.tx.inserts import insert_one, insert_returning_ids
from returndesk.services.usecases import receiving
from returndesk.services.tx.context import Actor, ServiceContext, first_checking_actor, rows_checking_actor
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.tx.updates import write_changes
from returndesk.services.tx.settlement import LOCK_RETURN_BY_RMA, lock_order_lines
from returndesk.services.usecases.sales import (
    PolicyView,
    ReasonView,
    business_today,
    OrderForReturn,
    canonical_order_no,
    find_order_for_return,
    order_for_return,
    ORDER_FOR_RETURN_COLUMNS,
    policy_at,
    line_returnable,
    load_active_policy,
    policy_by_id,
    policy_rules,
    with_category_rules,
    reasons_at,
    order_not_found,
    sale_days,
)
from returndesk.services.usecases.sales import judge as judge_line
from returndesk.services.usecases.sites import order_zone_name_column, system_zone_name, zone_for_order_id
from returndesk.services.tx.transitions import check_version, transition
from returndesk.services.tx.views import HeldFacts, HeldLine, ReturnDetail, load_return, read_held, return_detail
from returndesk.domain.messages import Message, Names, dump_lines, join, lower_first, msg

#: Longest free text kept for reasons and notes.
MAX_TEXT = 2000
#: Returns handled per transaction when expiring a backlog.
EXPIRE_BATCH = 200
#: Grade assumed by the preview: the goods come back as sold.
PREVIEW_GRADE = Grade.A
#: Grade used for the "if opened" restocking fee the counter mentions on customer-fault lines.
OPENED_GRADE = Grade.B


# --------------------------------------------------------------------------- the draft


@dataclass(frozen=True)
class DraftLine:
    """One line the customer wants to return.

    ``conditions_met`` holds the condition codes the clerk confirmed with the goods in hand
    (``original_packaging``...); at the counter the policy judges them, on a remote request they
    cannot be seen yet and are not judged.
    """

    order_line_id: int
    quantity: int
    reason_code: str
    resolution: Resolution | str = Resolution.REFUND
    condition_notes: str | None = None
    conditions_met: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ReturnDraft:
    """A return as the clerk has filled it in, before it is saved."""

    order_no: str
    channel: Channel | str
    refund_method: RefundMethod | str
    lines: tuple[DraftLine, ...]
    notes: str | None = None
    override_reason: str | None = None


@dataclass(frozen=True)
class PreviewLine:
    """The verdict and the expected refund of one draft line.

    Refund figures assume every unit comes back at grade A and is accepted; ``fee_if_opened_minor``
    is the restocking fee the policy would take if the goods turn out opened (customer-fault
    reasons only). ``problems`` are this line's reasons to refuse the draft, in words.
    """

    line_no: int
    order_line_id: int
    order_line_no: int | None
    sku: str | None
    product_name: str | None
    product_name_zh: str | None
    quantity: int
    qty_returnable: int
    reason_code: str
    reason_name: str | None
    vendor_fault: bool
    resolution: str
    policy_status: PolicyStatus | None
    policy_reasons: tuple[str, ...]
    policy_summary: str
    window_days: int | None
    days_elapsed: int | None
    unit_paid_minor: int
    gross_minor: int
    deduction_minor: int
    restocking_fee_minor: int
    refund_minor: int
    tax_minor: int
    fee_if_opened_minor: int
    problems: tuple[str, ...]


@dataclass(frozen=True)
class ReturnPreview:
    """What :func:`create_return` would make of a draft, without saving anything.

    ``status`` is the worst line verdict. ``needs_override`` means lines are outside the policy
    and need a supervisor's override with a written reason; ``not_returnable`` means a line can
    never be returned. ``problems`` lists everything that stops the draft in words (override needs
    included); ``ready`` is True when :func:`create_return` would accept it from this actor.
    """

    order_no: str
    channel: str
    refund_method: str
    currency: str
    policy_id: int
    policy_version: int
    lines: tuple[PreviewLine, ...]
    subtotal_minor: int
    deductions_minor: int
    shipping_refund_minor: int
    total_minor: int
    fees_if_opened_minor: int
    status: PolicyStatus
    within_policy: bool
    needs_override: bool
    not_returnable: bool
    override_notes: tuple[str, ...]
    problems: tuple[str, ...]
    ready: bool
    #: Up to what this return is refunded on the spot, without anyone signing, when the actor
    #: takes it at the counter (the policy's automatic limit or the clerk's own limit, the lower).
    spot_limit: AppliedLimit | None = None


# --------------------------------------------------------------------------- judging a draft


@dataclass
class _Judged:
    """The working result of judging a draft inside a transaction."""

    order: SalesOrder
    policy: PolicyView
    channel: Channel | None
    refund_method: RefundMethod | None
    order_lines: dict[int, SalesOrderLine]
    products: dict[int, Product]
    reasons: dict[str, ReasonView]
    #: The customer's name, phone and address, read with the order (the new return's detail).
    customer: tuple[str | None, str | None, str | None] = (None, None, None)
    lines: list[PreviewLine] = field(default_factory=list)
    #: The units of each order line the draft would hold (see returndesk.domain.units).
    units: dict[int, tuple[int, ...]] = field(default_factory=dict)
    refunds: list[LineRefund] = field(default_factory=list)
    shipping_refund: int = 0
    problems: list[str] = field(default_factory=list)
    override_notes: list[str] = field(default_factory=list)

    @property
    def statuses(self) -> list[PolicyStatus]:
        return [line.policy_status for line in self.lines if line.policy_status is not None]


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    stripped = str(text).strip()
    return stripped or None


def _line_label(line_no: int, name: str) -> str:
    return msg("Line {line_no} ({name})", line_no=line_no, name=name)


def _line_problem(label: str, problem: str) -> str:
    """``problem`` of the line ``label`` (``Line 2 (Kettle): the reason...``)."""
    return msg("{label}: {problem}", label=label, problem=lower_first(problem))


def _override_note(line_no: int, name: str, verdict: PolicyVerdict) -> str:
    parts: list[str] = []
    for reason in verdict.reasons:
        before = reason.params.get("reason") if isinstance(reason, Message) else None
        # The refusal says once that an override is needed, after every line.
        needs_override = isinstance(reason, Message) and reason.template == NEEDS_OVERRIDE
        parts.append(before if needs_override and isinstance(before, str) else reason)
    return _line_problem(_line_label(line_no, name), join(parts))


#: :func:`_order_with_lines`' statement (parameters ``order_no`` and ``policy_at``), and with the
#: order's lines locked.
_ORDER_WITH_LINES: Any = (
    select(SalesOrderLine, Product, Category.code, Category.return_window_days, Category.returnable,
           SalesOrder, *ORDER_FOR_RETURN_COLUMNS)
    .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
    .join(Product, Product.id == SalesOrderLine.product_id)
    .outerjoin(Category, Category.code == Product.category)
    .outerjoin(Customer, Customer.id == SalesOrder.customer_id)
    .where(SalesOrder.order_no == bindparam("order_no"))
    .order_by(SalesOrderLine.id)
)
_ORDER_WITH_LINES_LOCKED: Any = (
    _ORDER_WITH_LINES.with_for_update(of=SalesOrderLine).execution_options(populate_existing=True))


def _order_with_lines(
    session: Session, order_no: str, at: datetime, *, lock: bool
) -> tuple[OrderForReturn | None, list[Any]]:
    """The order ``order_no`` with what judging a return of it needs besides
    (``sales.ORDER_FOR_RETURN_COLUMNS``: the policy in force at ``at``, the sale's site zone, the
    customer, the reasons' version), and all its lines in id order, each with its product and its
    category's code, window and returnable flag (None when the product's category is not in the
    catalogue): one statement, which checks the transaction's actor as well. None and no lines
    when there is no such order.

    With ``lock`` the lines are locked (``FOR UPDATE OF`` the lines alone, in id order) and re-read
    after the lock is granted. The whole order, not only the lines returned: two returns of one
    order then queue up, so the shipping already promised by the first is seen by the second.
    """
    rows = rows_checking_actor(
        session, _ORDER_WITH_LINES_LOCKED if lock else _ORDER_WITH_LINES,
        {"order_no": canonical_order_no(order_no), "policy_at": policy_at(session, at)},
    )
    if not rows:
        # No such order, or (never in practice) an order without lines.
        return find_order_for_return(session, order_no, at), []
    return order_for_return(rows[0][5], rows[0][6:]), [row[:5] for row in rows]


def _shipping_share(session: Session, order: SalesOrder, unit_shipping: int) -> int:
    """The shipping a return gives back: the fixed shipping shares of its vendor-fault units
    (see :mod:`returndesk.domain.units`), never more than other returns of the order leave."""
    if order.shipping_minor <= 0 or unit_shipping <= 0:
        return 0
    return min(unit_shipping, unit_shares.shipping_left(session, order.id, order.shipping_minor))


def _judge(
    session: Session, ctx: ServiceContext, draft: ReturnDraft, *, lock: bool, preview: bool = False
) -> _Judged:
    """Judge every line of ``draft`` against its sale and the policy in force.

    With ``lock`` the order's lines are locked (see the module docstring) before their quantities
    are read. With ``preview`` each line's restocking fee if opened is worked out as well (the
    preview shows it; a return being created does not keep it). Raises ``ValidationFailed`` only
    when the order does not exist; every other problem is collected in words.
    """
    problems: list[str] = []
    try:
        channel: Channel | None = Channel(draft.channel)
    except ValueError:
        channel = None
        problems.append(msg("'{channel}' is not a return channel; choose counter or remote.", channel=draft.channel))
    try:
        method: RefundMethod | None = RefundMethod(draft.refund_method)
    except ValueError:
        method = None
        problems.append(
            msg(
                "'{refund_method}' is not a refund method; choose original payment, store credit, cash or bank "
                "transfer.",
                refund_method=draft.refund_method)
        )
    if channel is not None and method is not None and method not in refund_methods_for(channel):
        problems.append(
            msg("Cash is paid out at the counter only; choose another refund method for a remote return.")
        )

    # The order with the id of the policy in force, the sale's site zone, the customer and the
    # reasons' version, and its lines with their products and the categories' own windows and
    # flags, which judge them, in one statement; with ``lock`` the lines (not the products) are
    # locked.
    found, line_rows = _order_with_lines(session, str(draft.order_no or ""), ctx.now(), lock=lock)
    if found is None:
        message = order_not_found(str(draft.order_no or ""))
        raise ValidationFailed(message, [message])
    order = found.order
    order_line_rows = [row[0] for row in line_rows]
    order_lines = {line.id: line for line in order_line_rows}
    product_rows = list({row[1].id: (row[1], row[3], row[4]) for row in line_rows if row[2] is not None}.values())
    products = {row[0].id: row[0] for row in product_rows}
    in_force = (policy_by_id(session, found.policy_id) if found.policy_id is not None
                else load_active_policy(session, ctx.now()))  # none active: its refusal in words
    policy = with_category_rules(in_force,
                                 [(row[0].category, row[1], row[2]) for row in product_rows])
    # Kept per process; read again only when the version read with the order has moved on.
    reasons = reasons_at(session, found.reasons_version)
    judged = _Judged(order, policy, channel, method, order_lines, products, reasons, found.customer)
    judged.problems.extend(problems)
    rules = policy.rules

    days = sale_days(session, order, ctx.now(), found.zone_name)
    today, reference, at_counter = days.today, days.reference, days.at_counter

    if not draft.lines:
        judged.problems.append(msg("The return has no lines; add at least one item to return."))

    seen: dict[int, int] = {}
    # Units held or returned already (a line nobody returned yet has all its units free).
    taken = unit_shares.taken_units(session, (
        dl.order_line_id for dl in draft.lines
        if dl.order_line_id in order_lines
        and order_lines[dl.order_line_id].qty_returned + order_lines[dl.order_line_id].qty_in_process
    ))
    line_shipping = (
        unit_shares.order_shipping_shares(order_line_rows, order.shipping_minor)
        if order.shipping_minor > 0 else {}
    )
    unit_shipping = 0
    vendor_fault_any = False
    for line_no, dl in enumerate(draft.lines, start=1):
        line_problems: list[str] = []
        ol = order_lines.get(dl.order_line_id)
        product = products.get(ol.product_id) if ol else None
        name = product.name if product else f"#{dl.order_line_id}"

        def label(line_no: int = line_no, name: str = name) -> str:
            # Named in a problem's words only (a line without problems needs no label).
            return _line_label(line_no, name)

        if ol is None:
            line_problems.append(
                msg(
                    "Line {line_no}: order line #{order_line_id} is not part of order {order_no}; pick the item from "
                    "the order.",
                    line_no=line_no, order_line_id=dl.order_line_id, order_no=order.order_no)
            )
        elif dl.order_line_id in seen:
            line_problems.append(
                msg(
                    "{label}: this item is already on line {seen}; put the whole quantity on one line.",
                    label=label(), seen=seen[dl.order_line_id])
            )
        else:
            seen[dl.order_line_id] = line_no

        qty = dl.quantity
        qty_ok = not isinstance(qty, bool) and isinstance(qty, int) and qty >= 1
        if not qty_ok:
            line_problems.append(msg(
                "{label}: the quantity must be a whole number of at least 1, not {qty!r}.",
                label=label(), qty=qty))

        reason = reasons.get(str(dl.reason_code or ""))
        if reason is None:
            line_problems.append(
                msg(
                    "{label}: '{reason_code}' is not a return reason; choose one from the list.",
                    label=label(), reason_code=dl.reason_code)
            )
        elif not reason.active:
            line_problems.append(
                msg(
                    "{label}: the reason '{reason}' is no longer in use; choose another.",
                    label=label(), reason=Names(reason.name_en, zh=reason.name_zh))
            )
        try:
            resolution: Resolution | None = Resolution(dl.resolution)
        except ValueError:
            resolution = None
            line_problems.append(msg(
                "{label}: '{resolution}' is not a resolution; choose refund or exchange.",
                label=label(), resolution=dl.resolution))
        if reason is not None and resolution is not None and not reason.allows(resolution):
            allowed = (join(list(reason.allowed_resolutions), " / ") if reason.allowed_resolutions
                       else msg("no resolution"))
            line_problems.append(
                msg(
                    "{label}: the reason '{reason}' allows {allowed} only, not {resolution}.",
                    label=label(), reason=Names(reason.name_en, zh=reason.name_zh), allowed=allowed,
                    resolution=resolution)
            )
        vendor_fault = bool(reason and reason.vendor_fault)

        verdict: PolicyVerdict | None = None
        returnable = line_returnable(ol.quantity, ol.qty_returned, ol.qty_in_process) if ol is not None else 0
        refund: LineRefund | None = None
        fee_if_opened = 0
        if ol is not None and product is not None:
            conditions = (
                frozenset(str(c) for c in (dl.conditions_met or ()))
                if channel is Channel.COUNTER
                else None
            )
            verdict = judge_line(
                rules,
                category=product.category,
                product_returnable=bool(product.returnable),
                vendor_fault=vendor_fault,
                requested_qty=qty if qty_ok else 1,
                returnable_qty=returnable,
                reference=reference,
                sold_at_counter=at_counter,
                today=today,
                conditions_met=conditions,
                sold_on=days.sold_on,
            )
            if verdict.status is PolicyStatus.NOT_RETURNABLE:
                line_problems.extend(_line_problem(label(), r) for r in verdict.reasons)
            elif verdict.status is PolicyStatus.OVERRIDE_NEEDED:
                judged.override_notes.append(_override_note(line_no, name, verdict))
            units: tuple[int, ...] | None = None
            if qty_ok and qty <= returnable and dl.order_line_id not in judged.units:
                try:
                    units = free_units(ol.quantity, taken.get(ol.id, set()), qty)
                except ValidationFailed as exc:
                    line_problems.append(_line_problem(label(), exc.message))
            if units is not None:
                # Each unit is priced at its own fixed share of the line, whatever other returns
                # of the line do before or after this one.
                judged.units[ol.id] = units
                line_refund = partial(
                    compute_line_refund,
                    paid_total=ol.paid_minor,
                    purchased_qty=ol.quantity,
                    accepted_qty=qty,
                    units=units,
                    already_refunded=ol.refunded_minor,
                    vendor_fault=vendor_fault,
                    rules=rules,
                    tax_total=ol.tax_minor,
                    fee_exempt=product is not None and product.restocking_fee_class == "exempt",
                )
                refund = line_refund(grade=PREVIEW_GRADE)
                if preview and not vendor_fault:
                    fee_if_opened = line_refund(grade=OPENED_GRADE).restocking_fee
                if vendor_fault:
                    vendor_fault_any = True
                    unit_shipping += share_of_units(line_shipping.get(ol.id, 0), ol.quantity, tuple(units))
                judged.refunds.append(refund)

        judged.problems.extend(line_problems)
        judged.lines.append(
            PreviewLine(
                line_no=line_no,
                order_line_id=dl.order_line_id,
                order_line_no=ol.line_no if ol else None,
                sku=product.sku if product else None,
                product_name=product.name if product else None,
                product_name_zh=product.name_zh if product else None,
                quantity=qty if qty_ok else 0,
                qty_returnable=returnable,
                reason_code=str(dl.reason_code),
                reason_name=reason.name_en if reason else None,
                vendor_fault=vendor_fault,
                resolution=str(dl.resolution),
                policy_status=verdict.status if verdict else None,
                policy_reasons=verdict.reasons if verdict else (),
                policy_summary=verdict.summary if verdict else "",
                window_days=verdict.window_days if verdict else None,
                days_elapsed=verdict.days_elapsed if verdict else None,
                unit_paid_minor=average_unit_paid(ol.paid_minor, ol.quantity) if ol is not None else 0,
                gross_minor=refund.gross if refund else 0,
                deduction_minor=(refund.grade_deduction + refund.cap_reduction) if refund else 0,
                restocking_fee_minor=refund.restocking_fee if refund else 0,
                refund_minor=refund.net if refund else 0,
                tax_minor=refund.tax_part if refund else 0,
                fee_if_opened_minor=fee_if_opened,
                problems=tuple(line_problems),
            )
        )
    if vendor_fault_any:
        judged.shipping_refund = _shipping_share(session, order, unit_shipping)
    return judged


def _breakdown(judged: _Judged) -> RefundBreakdown:
    # The shipping share is only ever non-zero for vendor-fault lines (see _shipping_share).
    return compute_refund(
        judged.refunds, judged.shipping_refund, judged.shipping_refund > 0, judged.policy.rules
    )


def _override_allowed(actor: Actor, reason: str | None) -> bool:
    return reason is not None and can(actor.role, Permission.OVERRIDE_POLICY)


def _override_refusal(actor: Actor, notes: list[str], reason: str | None) -> PolicyViolation:
    lines = join(notes)
    if not can(actor.role, Permission.OVERRIDE_POLICY):
        return PolicyViolation(msg(
            "{lines} A supervisor override with a reason is needed: ask a supervisor to take over the return.",
            lines=lines))
    if reason is None:
        return PolicyViolation(msg(
            "{lines} A supervisor override with a reason is needed: write why the return is accepted.", lines=lines))
    return PolicyViolation(lines)  # pragma: no cover - both conditions met means the override is allowed


def preview_return(ctx: ServiceContext, actor: Actor, draft: ReturnDraft) -> ReturnPreview:
    """Judge a draft and compute its expected refund, without saving anything.

    Made for being called on every keystroke: a handful of indexed reads. Raises
    ``ValidationFailed`` only when the order does not exist; everything else wrong with the draft
    is reported in ``problems``.
    """
    actor.require(Permission.CREATE_RETURN)
    with ctx.read(actor) as s:
        judged = _judge(s, ctx, draft, lock=False, preview=True)
        preview = _preview(judged, actor, draft)
        user = s.get(User, actor.user_id)
        own = user.approval_limit_minor if user is not None else actor.approval_limit_minor
        return replace(preview, spot_limit=on_the_spot_limit(actor.role, own, judged.policy.rules))


def _preview(judged: _Judged, actor: Actor, draft: ReturnDraft) -> ReturnPreview:
    breakdown = _breakdown(judged)
    statuses = judged.statuses
    status = worst_status(statuses) if statuses else PolicyStatus.WITHIN
    override_reason = _clean(draft.override_reason)
    problems = list(judged.problems)
    if judged.override_notes and not _override_allowed(actor, override_reason):
        problems.append(_override_refusal(actor, judged.override_notes, override_reason).message)
    return ReturnPreview(
        order_no=judged.order.order_no,
        channel=str(draft.channel),
        refund_method=str(draft.refund_method),
        currency=judged.order.currency,
        policy_id=judged.policy.id,
        policy_version=judged.policy.version,
        lines=tuple(judged.lines),
        subtotal_minor=breakdown.subtotal,
        deductions_minor=breakdown.deductions,
        shipping_refund_minor=breakdown.shipping_refund,
        total_minor=breakdown.total,
        fees_if_opened_minor=sum(line.fee_if_opened_minor for line in judged.lines),
        status=status,
        within_policy=bool(judged.lines) and status is PolicyStatus.WITHIN,
        needs_override=bool(judged.override_notes),
        not_returnable=PolicyStatus.NOT_RETURNABLE in statuses,
        override_notes=tuple(judged.override_notes),
        problems=tuple(problems),
        ready=not problems,
    )


# --------------------------------------------------------------------------- creating


def _draft_problems_message(problems: list[str]) -> str:
    if len(problems) == 1:
        return msg("The return was not saved: {problem}", problem=problems[0])
    listed = join([msg("• {problem}", problem=p) for p in problems], "\n")
    return msg("The return was not saved; {count} things need fixing:\n{listed}", count=len(problems), listed=listed)


def _check_text(what: str, text: str | None, problems: list[str]) -> None:
    if text is not None and len(text) > MAX_TEXT:
        problems.append(msg(
            "The {what} is {text_count} characters long; keep it to {max_text}.",
            what=what, text_count=len(text), max_text=MAX_TEXT))


def create_return_in(
    s: Session, ctx: ServiceContext, actor: Actor, draft: ReturnDraft, *, submit: bool = True,
    override_by: Actor | None = None, exceptions_to_review: bool = False,
) -> Return:
    """Create the return inside the caller's transaction and return its row.

    Checks everything of :func:`create_return` (permissions excepted: the caller checks them) and
    holds the requested quantities on the order lines. ``override_by``: the supervisor who signed
    off on the clerk's screen (their credentials checked by the caller); a policy override is
    theirs, not the clerk's. ``exceptions_to_review``: lines outside the policy do not refuse the
    request; it is kept out of policy (each line with its verdict) for customer service's review,
    where only a supervisor's override with a written reason authorizes it (a web shop's request).
    """
    overrider = override_by or actor
    judged = _judge(s, ctx, draft, lock=True)
    override_reason = _clean(draft.override_reason)
    notes = _clean(draft.notes)
    problems = list(judged.problems)
    _check_text(msg("override reason"), override_reason, problems)
    _check_text(msg("note"), notes, problems)
    for pl, dl in zip(judged.lines, draft.lines, strict=True):
        _check_text(msg("condition note of line {line_no}", line_no=pl.line_no), _clean(dl.condition_notes),
                    problems)
    if problems:
        raise ValidationFailed(_draft_problems_message(problems), problems)
    overridden = bool(judged.override_notes)
    if overridden and exceptions_to_review and not _override_allowed(overrider, override_reason):
        overridden, override_reason = False, None
    elif overridden and not _override_allowed(overrider, override_reason):
        raise _override_refusal(overrider, judged.override_notes, override_reason)
    assert judged.channel is not None and judged.refund_method is not None

    breakdown = _breakdown(judged)
    order = judged.order
    now = ctx.now()
    resolutions = {Resolution(dl.resolution) for dl in draft.lines}
    ret = Return(
        rma_no=sequences.next_rma(s),
        order_id=order.id,
        customer_id=order.customer_id,
        channel=judged.channel.value,
        status=ReturnStatus.DRAFT.value,
        status_changed_at=now,
        status_changed_by=actor.user_id,
        policy_id=judged.policy.id,
        in_policy=not judged.override_notes,
        override_reason=override_reason if overridden else None,
        override_by=overrider.user_id if overridden else None,
        refund_method=judged.refund_method.value,
        # An exchange return replaces goods; one refunded line makes it a refund return.
        resolution=(
            Resolution.EXCHANGE.value if resolutions == {Resolution.EXCHANGE} else Resolution.REFUND.value
        ),
        created_by=actor.user_id,
        created_at=now,
        created_station=actor.station or ctx.station,
        refund_total_minor=breakdown.total,
        deductions_minor=breakdown.deductions,
        shipping_refund_minor=breakdown.shipping_refund,
        currency=order.currency,
        notes=notes,
    )
    # Written with its lines at the end, in its final state: one insert, no update of its status.
    held: dict[str, dict[str, int]] = {}
    audit_lines = []
    new_lines: list[ReturnLine] = []
    for pl, dl in zip(judged.lines, draft.lines, strict=True):
        ol = judged.order_lines[dl.order_line_id]
        before = ol.qty_in_process
        ol.qty_in_process += pl.quantity
        held[str(ol.id)] = {"before": before, "after": ol.qty_in_process}
        note = dump_lines(pl.policy_reasons, " ") if pl.policy_reasons else dump_lines([pl.policy_summary], " ")
        new_lines.append(
            ReturnLine(
                units_held=format_units(judged.units[ol.id]),
                line_no=pl.line_no,
                order_line_id=ol.id,
                product_id=ol.product_id,
                qty_requested=pl.quantity,
                reason_code=pl.reason_code,
                resolution=Resolution(dl.resolution).value,
                condition_notes=_clean(dl.condition_notes),
                conditions_met=",".join(sorted(dl.conditions_met)) or None,
                policy_status=(pl.policy_status or PolicyStatus.WITHIN).value,
                policy_note=note or None,
                refund_minor=pl.refund_minor,
                deduction_minor=pl.deduction_minor,
                fee_minor=pl.restocking_fee_minor,
                tax_minor=pl.tax_minor,
            )
        )
        audit_lines.append(
            {
                "line_no": pl.line_no,
                "order_line_id": ol.id,
                "sku": pl.sku,
                "qty": pl.quantity,
                "units": format_units(judged.units[ol.id]),
                "reason": pl.reason_code,
                "resolution": pl.resolution,
                "policy_status": (pl.policy_status or PolicyStatus.WITHIN).value,
            }
        )
    audit.record(
        s, ctx, actor, "return", ret.rma_no, "create", None,
        {
            "status": ret.status,
            "order_no": order.order_no,
            "channel": ret.channel,
            "refund_method": ret.refund_method,
            "policy_version": judged.policy.version,
            "in_policy": ret.in_policy,
            "override_reason": ret.override_reason,
            "expected_refund_minor": ret.refund_total_minor,
            "lines": audit_lines,
            "qty_in_process": held,
        },
    )
    if overridden:
        insert_one(s, ret)  # the approval names the return's id
        s.add(
            Approval(
                return_id=ret.id,
                level=ApprovalLevel.SUPERVISOR.value,
                decision="override",
                decided_by=overrider.user_id,
                decided_at=now,
                reason=override_reason,
                amount_minor=ret.refund_total_minor,
            )
        )
        audit.record(
            s, ctx, overrider, "return", ret.rma_no, "override_policy", {"in_policy": True},
            {"in_policy": False, "reason": override_reason, "lines": judged.override_notes,
             **({"signed_off_on_screen_of": actor.username} if override_by is not None else {})},
        )
    if submit:
        transition(s, ctx, actor, ret, Action.SUBMIT)
    # The return (its id), then its lines in one statement (the ORM writes one per line on
    # SQLite); the return's collection of lines is these. The order lines' holds as well.
    if ret.id is None:
        insert_one(s, ret)
    write_changes(s)
    for line in new_lines:
        line.return_id = ret.id
    insert_returning_ids(s, new_lines, key=("line_no",))
    set_committed_value(ret, "lines", list(new_lines))
    # What the new return's detail shows, from what was read and written (no read of it again).
    customer_name, customer_phone, customer_address = judged.customer
    s.info.setdefault(_CREATED, {})[ret.id] = HeldFacts(
        order_id=order.id, order_no=order.order_no, sold_at=order.sold_at, delivered_at=order.delivered_at,
        customer_name=customer_name, customer_phone=customer_phone, customer_address=customer_address,
        lines=tuple(
            HeldLine(line, judged.products[line.product_id], judged.reasons[line.reason_code].vendor_fault,
                     judged.order_lines[line.order_line_id].quantity,
                     judged.order_lines[line.order_line_id].paid_minor)
            for line in new_lines
        ),
        order=order,
    )
    return ret


_CREATED = "returndesk_intake_created"


def create_return(
    ctx: ServiceContext, actor: Actor, draft: ReturnDraft, *, submit: bool = True
) -> ReturnDetail:
    """Issue an RMA for ``draft``: validate, judge, hold the quantities, number it, audit it.

    A draft with any problem is refused whole with ``ValidationFailed`` listing every problem
    (unknown order, a line not on the order or listed twice, a quantity outside 1..returnable, an
    unknown or retired reason, a resolution the reason does not allow, cash on a remote return, a
    line that can never be returned). Lines outside the policy need ``draft.override_reason`` and
    an actor allowed to override (else ``PolicyViolation`` naming each line and why). The return
    is left as a draft, or submitted (requested) when ``submit``.
    """
    actor.require(Permission.CREATE_RETURN)
    with guarded_write(ctx, msg("order {order_no}", order_no=draft.order_no), actor, actor_in_first_read=True) as s:
        ret = create_return_in(s, ctx, actor, draft, submit=submit)
        detail = return_detail(s, ret, (), s.info.get(_CREATED, {}).get(ret.id))
    ctx.changed("return", detail.id)
    return detail


# --------------------------------------------------------------------------- lifecycle


def _canonical_rma(rma_no: str) -> str:
    return parse_rma(str(rma_no or ""))


def _load_for_change(s: Session, rma_no: str, expected_version: int | None) -> Return:
    rma = _canonical_rma(rma_no)
    # populate_existing: after waiting for another station's lock, work on what it committed,
    # not on a copy this session may have read before.
    ret: Return | None = first_checking_actor(s, LOCK_RETURN_BY_RMA, {"rma": rma})
    if ret is None:
        ret = load_return(s, rma_no=rma)  # raises NotFound with the usual words
    check_version(s, ret, expected_version)
    return ret


def _require_reason(reason: str | None, doing: str) -> str:
    text = _clean(reason)
    if text is None:
        message = (msg("Write why the return is rejected; the reason is kept with the return.") if doing == "rejected"
                   else msg("Write why the return is cancelled; the reason is kept with the return."))
        raise ValidationFailed(message, [message])
    if len(text) > MAX_TEXT:
        message = msg("The reason is {count} characters long; keep it to {max_text}.", count=len(text),
                      max_text=MAX_TEXT)
        raise ValidationFailed(message, [message])
    return text


def _lines_of(s: Session, ret: Return) -> list[ReturnLine]:
    return list(
        s.execute(
            select(ReturnLine).where(ReturnLine.return_id == ret.id).order_by(ReturnLine.line_no)
        ).scalars()
    )


def _release(s: Session, ret: Return) -> dict[str, dict[str, int]]:
    """Give the quantities this (not yet received) return holds back to its order lines."""
    lines = _lines_of(s, ret)
    locked = lock_order_lines(s, (line.order_line_id for line in lines))
    freed: dict[str, dict[str, int]] = {}
    for line in lines:
        ol = locked[line.order_line_id]
        if line.qty_requested > ol.qty_in_process:
            raise RuntimeError(
                f"Return {ret.rma_no} line {line.line_no} holds {line.qty_requested} units but order"
                f" line #{ol.id} has only {ol.qty_in_process} in process: the running totals"
                " disagree."
            )
        before = ol.qty_in_process
        ol.qty_in_process -= line.qty_requested
        unit_shares.hold(line, ())
        freed[str(ol.id)] = {"before": before, "after": ol.qty_in_process}
    return freed


def _site_today(s: Session, ctx: ServiceContext, order_id: int, zones: dict[int, tzinfo]) -> date:
    """Today's calendar day at the site that made the sale of ``order_id`` (``zones`` caches the
    zone per order for a run over many returns): receive-by days count that site's days."""
    if order_id not in zones:
        zones[order_id] = zone_for_order_id(s, order_id)
    return local_datetime(ctx.now(), zones[order_id]).date()


def _authorize(s: Session, ctx: ServiceContext, actor: Actor, ret: Return,
               lines: list[ReturnLine] | None = None, zones: dict[int, tzinfo] | None = None) -> None:
    """Authorize ``ret`` (its ``lines`` and its sale's zone in ``zones`` when the caller read them
    already)."""
    rules = policy_rules(s, ret.policy_id)
    lines = lines if lines is not None else _lines_of(s, ret)
    receive_by = None
    if ret.channel == Channel.REMOTE.value:
        receive_by = (_site_today(s, ctx, ret.order_id, zones if zones is not None else {})
                      + timedelta(days=rules.receive_deadline_days))
    transition(
        s, ctx, actor, ret, Action.AUTHORIZE,
        details={
            "receive_by": receive_by.isoformat() if receive_by else None,
            "qty_authorized": {str(line.line_no): line.qty_requested for line in lines},
        },
    )
    for line in lines:
        line.qty_authorized = line.qty_requested
    ret.receive_by = receive_by


def submit_return_in(
    s: Session, ctx: ServiceContext, actor: Actor, rma_no: str, *, expected_version: int | None = None
) -> ReturnDetail:
    """Submit a draft return (draft -> requested) inside the caller's transaction."""
    ret = _load_for_change(s, rma_no, expected_version)
    transition(s, ctx, actor, ret, Action.SUBMIT)
    s.flush()
    return return_detail(s, ret)


def submit_return(
    ctx: ServiceContext, actor: Actor, rma_no: str, *, expected_version: int | None = None
) -> ReturnDetail:
    """Submit a draft return: it becomes a request waiting for authorization."""
    actor.require(Permission.CREATE_RETURN)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        detail = submit_return_in(s, ctx, actor, rma_no, expected_version=expected_version)
    ctx.changed("return", detail.id)
    return detail


#: The zone of the site that made the sale, read with the return's lines when it is authorized.
_ORDER_ZONE = order_zone_name_column()


def authorize_return_in(
    s: Session, ctx: ServiceContext, actor: Actor, rma_no: str, *, expected_version: int | None = None
) -> ReturnDetail:
    """Authorize a requested return inside the caller's transaction (see :func:`authorize_return`)."""
    ret = _load_for_change(s, rma_no, expected_version)
    if ret.status == ReturnStatus.REQUESTED.value and not ret.in_policy and not ret.override_reason:
        raise PolicyViolation(
            msg("Return {rma_no} is outside the return policy; a supervisor must override the policy with a "
                "written reason before it is authorized.",
                rma_no=ret.rma_no))
    # The lines with what the result shows besides (order, customer, products) and the selling
    # site's zone (the receive-by day counts its calendar), in one statement.
    lines, _, held = read_held(s, ret, order_column=_ORDER_ZONE)
    zones = {ret.order_id: zone(held.order_value or system_zone_name())} if held is not None else {}
    _authorize(s, ctx, actor, ret, lines, zones)
    write_changes(s)
    return return_detail(s, ret, None, held)


def authorize_return(
    ctx: ServiceContext, actor: Actor, rma_no: str, *, expected_version: int | None = None
) -> ReturnDetail:
    """Authorize a requested return: every requested unit may be sent back.

    A remote return must arrive within the policy's ``receive_deadline_days`` (``receive_by``),
    or it expires. ``expected_version`` is the version the user was looking at; if the return
    changed since, ``ConcurrentChange`` is raised and nothing is saved.
    """
    actor.require(Permission.AUTHORIZE_RETURN)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor, actor_in_first_read=True) as s:
        detail = authorize_return_in(s, ctx, actor, rma_no, expected_version=expected_version)
    ctx.changed("return", detail.id)
    return detail


def reject_return_in(
    s: Session, ctx: ServiceContext, actor: Actor, rma_no: str, reason: str, *,
    expected_version: int | None = None, reason_code: str | None = None,
) -> ReturnDetail:
    """Reject a requested return inside the caller's transaction (see :func:`reject_return`);
    ``reason_code`` is customer service's reason from its list (``domain.review``), kept with it."""
    text = _require_reason(reason, "rejected")
    ret = _load_for_change(s, rma_no, expected_version)
    details = {"reason": text} if reason_code is None else {"reason": text, "reason_code": reason_code}
    transition(s, ctx, actor, ret, Action.REJECT, details=details)
    freed = _release(s, ret)
    audit.record(s, ctx, actor, "return", ret.rma_no, "release_quantity", None,
                 {"qty_in_process": freed})
    write_changes(s)
    return return_detail(s, ret)


def reject_return(
    ctx: ServiceContext, actor: Actor, rma_no: str, reason: str, *,
    expected_version: int | None = None,
) -> ReturnDetail:
    """Refuse a requested return with a written reason; its quantities can be returned again."""
    actor.require(Permission.REJECT_RETURN)
    _require_reason(reason, "rejected")
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        detail = reject_return_in(s, ctx, actor, rma_no, reason, expected_version=expected_version)
    ctx.changed("return", detail.id)
    return detail


def cancel_return_in(
    s: Session, ctx: ServiceContext, actor: Actor, rma_no: str, reason: str, *,
    expected_version: int | None = None,
) -> ReturnDetail:
    """Cancel a return inside the caller's transaction (see :func:`cancel_return`)."""
    text = _require_reason(reason, "cancelled")
    ret = _load_for_change(s, rma_no, expected_version)
    transition(s, ctx, actor, ret, Action.CANCEL, details={"reason": text})
    freed = _release(s, ret)
    audit.record(s, ctx, actor, "return", ret.rma_no, "release_quantity", None,
                 {"qty_in_process": freed})
    write_changes(s)
    return return_detail(s, ret)


def cancel_return(
    ctx: ServiceContext, actor: Actor, rma_no: str, reason: str, *,
    expected_version: int | None = None,
) -> ReturnDetail:
    """Cancel a draft, requested or authorized return (the goods have not arrived) with a reason.

    Its quantities can be returned again.
    """
    actor.require(Permission.CANCEL_RETURN)
    _require_reason(reason, "cancelled")
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        detail = cancel_return_in(s, ctx, actor, rma_no, reason, expected_version=expected_version)
    ctx.changed("return", detail.id)
    return detail


def expire_overdue(ctx: ServiceContext, actor: Actor | None) -> int:
    """Expire authorized remote returns whose parcel did not arrive by ``receive_by``.

    Each expired return frees its quantities and gets its own audit event. Runs in batches of
    ``EXPIRE_BATCH`` returns per transaction, walking the status index by keyset, so a large
    backlog never holds one long transaction. ``actor`` is None when the system runs it on a
    schedule. Returns how many returns expired.
    """
    return len(expire_overdue_rmas(ctx, actor))


def expire_overdue_rmas(ctx: ServiceContext, actor: Actor | None) -> list[str]:
    """:func:`expire_overdue`, naming the returns it expired.

    ``receive_by`` is a day of the selling site's calendar: a return expires once that site's
    today is past it (the query takes every day that is past somewhere, the site decides).
    """
    if actor is not None:
        actor.require(Permission.EXPIRE_RETURNS)
    latest_today = business_today(ctx) + timedelta(days=1)  # no zone is more than a day ahead of UTC
    zones: dict[int, tzinfo] = {}
    expired: list[str] = []
    expired_ids: list[int] = []
    after: tuple[datetime, int] | None = None
    while True:
        with guarded_write(ctx, msg("the overdue returns"), actor) as s:
            stmt = (
                select(Return)
                .where(Return.status == ReturnStatus.AUTHORIZED.value)
                .where(Return.channel == Channel.REMOTE.value)
                .where(Return.receive_by < latest_today)
                .order_by(Return.status_changed_at, Return.id)
                .limit(EXPIRE_BATCH)
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
                assert ret.receive_by is not None
                if ret.receive_by >= _site_today(s, ctx, ret.order_id, zones):
                    continue
                transition(s, ctx, actor, ret, Action.EXPIRE,
                           details={"receive_by": ret.receive_by.isoformat(), "reason": "not received in time"})
                freed = _release(s, ret)
                audit.record(s, ctx, actor, "return", ret.rma_no, "release_quantity", None,
                             {"qty_in_process": freed})
                expired_ids.append(ret.id)
                expired.append(ret.rma_no)
        if len(batch) < EXPIRE_BATCH:
            break
    for return_id in expired_ids:
        ctx.changed("return", return_id)
    return expired


# --------------------------------------------------------------------------- walk-in


def counter_intake_in(session: Session, ctx: ServiceContext, actor: Actor, draft: ReturnDraft, *,
                      override_by: Actor | None = None) -> Return:
    """Create, submit, authorize and receive a walk-in return with the goods in hand, in the
    caller's transaction; returns the Return row (now received, goods in the inspection area,
    where inspection counts them unit by unit).

    The refunds side composes the on-the-spot inspection, approval and refund on top of it.
    """
    for permission in (Permission.CREATE_RETURN, Permission.AUTHORIZE_RETURN, Permission.RECEIVE):
        actor.require(permission)
    try:
        channel = Channel(draft.channel)
    except ValueError:
        channel = None
    if channel is not Channel.COUNTER:
        message = msg("Goods in hand are taken at the counter: a walk-in return must use the counter channel, not"
                      " '{channel}'.", channel=draft.channel)
        raise ValidationFailed(message, [message])
    ret = create_return_in(session, ctx, actor, draft, submit=True, override_by=override_by)
    _authorize(session, ctx, actor, ret)
    receiving.receive_return_in(session, ctx, actor, ret)
    return ret


def counter_intake(ctx: ServiceContext, actor: Actor, draft: ReturnDraft) -> ReturnDetail:
    """A walk-in return with the goods in hand: created, authorized and received at once."""
    for permission in (Permission.CREATE_RETURN, Permission.AUTHORIZE_RETURN, Permission.RECEIVE):
        actor.require(permission)
    with guarded_write(ctx, msg("order {order_no}", order_no=draft.order_no), actor) as s:
        ret = counter_intake_in(s, ctx, actor, draft)
        detail = return_detail(s, ret)
    ctx.changed("return", detail.id)
    return detail

