"""The counter fast path: a walk-in customer with the goods in hand, done in one transaction.

:func:`counter_return` creates, authorizes and receives the return (intake), and — when asked to
complete on the spot — counts every unit at the grade the clerk saw, completes the inspection and
lets the approval routing decide. If routing approves automatically, the clerk refunds at once.
All of it commits together or not at all: the customer leaves with a refund and a receipt, or
nothing was recorded.

Why "automatic" is the only way to an on-the-spot refund: the clerk created and inspected the
return, so segregation of duties forbids the clerk to *approve* it. Routing is told the clerk's own
approval limit (``creator_limit``), so an automatic approval already means "within the policy,
under the automatic limit and within the clerk's limit". Anything else waits for a supervisor, and
the result says why in words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from returndesk.documents.data import Lang, ReceiptData, ReceiptLine
from returndesk.domain.errors import ReturnDeskError, ValidationFailed
from returndesk.domain.money import allocate, format_money
from returndesk.domain.permissions import Permission, can
from returndesk.domain.types import ApprovalLevel, Grade, RefundMethod, ReturnStatus
from returndesk.store.schema import Approval, NumberSequence, Product, Return, ReturnLine, SalesOrderLine

from returndesk.services.tx import audit
from returndesk.services.tx.transitions import check_version
from returndesk.services.usecases import approval, auth, cash, inspection, intake
from returndesk.services.usecases.auth import SignOff
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.usecases.inspection import CompletionResult
from returndesk.services.usecases.refunds import RefundResult, exchange_lines, issue_refund_in
from returndesk.services.usecases.sales import find_order
from returndesk.services.tx.settlement import acting_user, lock_products, lock_return, return_lines
from returndesk.services.tx.views import ReturnDetail, return_detail
from returndesk.domain.messages import join, msg

#: Number sequences a counter return may draw, in the lock order of every money transaction.
_SEQUENCES = ("rma", "refund", "credit_note", "journal")


@dataclass(frozen=True)
class CounterResult:
    """Where a counter return ended, and why it stopped there when it is not refunded.

    ``stage`` is the return's status (``refunded`` on the full fast path; ``received``,
    ``awaiting_approval`` or ``approved`` otherwise); ``message`` says it in words for the clerk.
    """

    detail: ReturnDetail
    stage: str
    message: str
    completion: CompletionResult | None = None
    refund: RefundResult | None = None
    #: True when the return is approved and the customer asked for an exchange: the clerk
    #: chooses the replacement (or records that the customer changed their mind).
    exchange_wanted: bool = False

    @property
    def refunded(self) -> bool:
        return self.refund is not None


def _prelock(s: Session, ctx: ServiceContext, actor: Actor, draft: intake.ReturnDraft) -> None:
    """Take the locks the whole fast path will need, in the lock order of every other money
    transaction (see ``settlement``), before it writes anything: the counter's cash shift (for a
    cash refund), the order's lines, the serial-numbered products among them (inspecting a unit
    with a serial number locks its product), then the number sequences. Taken as they are needed,
    some would come after the sequences, and a refund, an exchange or a refurbished unit holding
    the sequences while waiting for one of them could wait on this transaction in a circle.
    """
    if str(getattr(draft.refund_method, "value", draft.refund_method)) == RefundMethod.CASH.value:
        cash.lock_open_shift(s, ctx, actor)  # (a method not known is refused by intake, as before)
    order = find_order(s, str(draft.order_no or ""))
    if order is not None:
        lines = s.execute(
            select(SalesOrderLine.id, SalesOrderLine.product_id, Product.serial_tracked)
            .join(Product, Product.id == SalesOrderLine.product_id)
            .where(SalesOrderLine.order_id == order.id)
            .order_by(SalesOrderLine.id).with_for_update(of=SalesOrderLine)
        ).all()
        lock_products(s, (line.product_id for line in lines if line.serial_tracked))
    for name in _SEQUENCES:
        s.execute(select(NumberSequence.name).where(NumberSequence.name == name).with_for_update()).all()


def _serial_gaps(s: Session, lines: list[ReturnLine], serials: Mapping[int, Sequence[str]]) -> list[str]:
    gaps: list[str] = []
    for line in lines:
        product = s.get(Product, line.product_id)
        assert product is not None
        given = list(serials.get(line.order_line_id, ()))
        if product.serial_tracked and len(given) != line.qty_authorized:
            gaps.append(msg(
                "{sku} {name} needs {qty_authorized} serial number(s), {given_count} given",
                sku=product.sku, name=product.name, qty_authorized=line.qty_authorized, given_count=len(given)))
    return gaps


def _serial_problems(
    s: Session, draft: intake.ReturnDraft, serials: Mapping[int, Sequence[str]]
) -> list[str]:
    """What is wrong with the serial numbers the clerk gave, per draft line, in words: a serial
    given twice, not sold on the order line, or already back from the customer on another return.
    Checked before anything is written, so the return is refused whole instead of taking a unit
    that cannot be refunded."""
    problems: list[str] = []
    for line_no, dl in enumerate(draft.lines, start=1):
        given = [str(x).strip().upper() for x in serials.get(dl.order_line_id, ()) if str(x).strip()]
        if not given:
            continue
        ol = s.get(SalesOrderLine, dl.order_line_id)
        product = s.get(Product, ol.product_id) if ol is not None else None
        if ol is None or product is None:
            continue  # intake names the line that is not on the order
        label = msg("Line {line_no} ({name})", line_no=line_no, name=product.name)
        sold = inspection.sold_serials(ol.serial_numbers)
        for serial in dict.fromkeys(given):
            shown = serial[:40]
            if given.count(serial) > 1:
                problems.append(msg(
                    "{label}: serial {shown} is given twice; scan each unit once.",
                    label=label, shown=shown))
            elif sold and serial not in sold:
                problems.append(
                    msg(
                        "{label}: serial {shown} was not sold on order {order_no}; check the number on the item.",
                        label=label, shown=shown, order_no=draft.order_no)
                )
            else:
                holder = inspection.serial_elsewhere(s, product.id, serial, None)
                if holder is not None:
                    problems.append(
                        msg(
                            "{label}: serial {shown} is already back from the customer on {rma_no}; one unit is "
                            "refunded once.",
                            label=label, shown=shown, rma_no=holder.rma_no)
                    )
    return problems


def counter_return(
    ctx: ServiceContext,
    actor: Actor,
    draft: intake.ReturnDraft,
    *,
    complete_on_spot: bool = True,
    grade: Grade | str = Grade.A,
    serials: Mapping[int, Sequence[str]] | None = None,
    sign_off: SignOff | None = None,
) -> CounterResult:
    """Take a walk-in return with the goods in hand, and finish it on the spot when it may be.

    Always: created, authorized and received (goods into the inspection area). With
    ``complete_on_spot``: every unit recorded at ``grade`` with its default disposition (A and B go
    back into available stock), inspection completed and routed; if routing approves it
    automatically and the clerk may pay it out by the return's method (cash only within the
    clerk's own limit), the refund is issued with its credit note and journal. ``serials`` gives
    the serial numbers of serial-tracked items by order line id. One transaction throughout.
    """
    for permission in (Permission.CREATE_RETURN, Permission.AUTHORIZE_RETURN, Permission.RECEIVE):
        actor.require(permission)
    if complete_on_spot:
        actor.require(Permission.INSPECT)
    supervisor = auth.verify_sign_off(ctx, actor, sign_off) if sign_off is not None else None
    with guarded_write(ctx, msg("order {order_no}", order_no=draft.order_no), actor) as s:
        result = counter_return_in(s, ctx, actor, draft, complete_on_spot=complete_on_spot,
                                   grade=grade, serials=serials, supervisor=supervisor)
    ctx.changed("return", result.detail.id)
    return result


@dataclass(frozen=True)
class RemoteReturn:
    """A remote return as issued at the counter: authorized, or left requested and why.

    ``may_authorize`` is False when the clerk may not authorize returns (a supervisor does);
    ``authorize_problem`` is the refusal of an authorization that was tried.
    """

    detail: ReturnDetail
    may_authorize: bool = True
    authorize_problem: str | None = None

    @property
    def authorized(self) -> bool:
        return self.may_authorize and self.authorize_problem is None


def issue_remote_return(ctx: ServiceContext, actor: Actor, draft: intake.ReturnDraft) -> RemoteReturn:
    """Issue the RMA of a return the customer sends in, and authorize it when the clerk may.

    The request is kept even when the authorization is refused (it then waits for a supervisor,
    and the result says why): two transactions, the request first. Refused whole, with nothing
    saved, only when the request itself is wrong (see :func:`intake.create_return`).
    """
    detail = intake.create_return(ctx, actor, draft)
    if not can(actor.role, Permission.AUTHORIZE_RETURN):
        return RemoteReturn(detail, may_authorize=False)
    try:
        detail = intake.authorize_return(ctx, actor, detail.rma_no, expected_version=detail.version)
    except ReturnDeskError as exc:
        return RemoteReturn(detail, authorize_problem=exc.message)
    return RemoteReturn(detail)


def counter_return_in(
    s: Session,
    ctx: ServiceContext,
    actor: Actor,
    draft: intake.ReturnDraft,
    *,
    complete_on_spot: bool = True,
    grade: Grade | str = Grade.A,
    serials: Mapping[int, Sequence[str]] | None = None,
    supervisor: Actor | None = None,
    no_receipt: str | None = None,
) -> CounterResult:
    """:func:`counter_return` inside the caller's transaction. ``supervisor``: who signed off on
    the clerk's screen (credentials checked): their override accepts lines outside the policy, and
    their approval replaces the wait for one."""
    _prelock(s, ctx, actor, draft)
    problems = _serial_problems(s, draft, serials or {}) if complete_on_spot else []
    if problems:
        head = problems[0] if len(problems) == 1 else msg("{count} serial numbers need fixing", count=len(problems))
        raise ValidationFailed(msg("The return was not saved: {head}", head=head), problems)
    ret = intake.counter_intake_in(s, ctx, actor, draft, override_by=supervisor)
    if no_receipt is not None:
        assert supervisor is not None, "a return without a receipt is signed off by a supervisor"
        _accept_without_receipt(s, ctx, actor, supervisor, ret, no_receipt)
    rma = ret.rma_no
    if not complete_on_spot:
        return CounterResult(
            return_detail(s, ret), ReturnStatus.RECEIVED.value,
            msg("{rma} received at the counter; the goods wait in the inspection area to be inspected at a station.",
                rma=rma),
        )
    serials = serials or {}
    lines = list(s.execute(
        select(ReturnLine).where(ReturnLine.return_id == ret.id).order_by(ReturnLine.line_no)
    ).scalars())
    gaps = _serial_gaps(s, lines, serials)
    if gaps:
        return CounterResult(
            return_detail(s, ret), ReturnStatus.RECEIVED.value,
            msg("{rma} received at the counter but not inspected: {gaps}. Scan the serial numbers at an inspection"
                " station.", rma=rma, gaps=join(gaps, "; ")),
        )
    for line in lines:
        inspection.record_line_in(
            s, ctx, actor, ret, line.id, quantity=line.qty_authorized, grade=grade,
            serials=list(serials.get(line.order_line_id, ())) or None,
        )
    completion = inspection.complete_inspection_in(s, ctx, actor, ret)
    if ret.status == ReturnStatus.AWAITING_APPROVAL.value and supervisor is not None:
        _sign_off_in(s, ctx, actor, supervisor, ret, None)
    return _settle_at_counter(s, ctx, actor, ret, completion, supervisor)


def _accept_without_receipt(
    s: Session, ctx: ServiceContext, clerk: Actor, supervisor: Actor, ret: Return, reason: str
) -> None:
    """A return without a receipt is accepted by the supervisor's override (so routing asks for
    their approval, which they give on the clerk's screen). Overridden at intake already when a
    line also missed the policy's conditions: that override, by the same supervisor, stands."""
    if ret.override_reason is not None:
        return
    ret.in_policy = False
    ret.override_reason = reason
    ret.override_by = supervisor.user_id
    s.add(Approval(return_id=ret.id, level=ApprovalLevel.SUPERVISOR.value, decision="override",
                   decided_by=supervisor.user_id, decided_at=ctx.now(), reason=reason,
                   amount_minor=ret.refund_total_minor))
    audit.record(s, ctx, supervisor, "return", ret.rma_no, "override_policy", {"in_policy": True},
                 {"in_policy": False, "reason": reason, "no_receipt": True,
                  "signed_off_on_screen_of": clerk.username})


def _settle_at_counter(
    s: Session, ctx: ServiceContext, actor: Actor, ret: Return, completion: CompletionResult | None,
    supervisor: Actor | None,
) -> CounterResult:
    """Where an inspected counter return goes now: waiting for approval, approved for an exchange,
    approved but not payable by this clerk, or refunded on the spot."""
    rma = ret.rma_no
    amount = format_money(ret.refund_total_minor, ret.currency)
    lines = return_lines(s, ret)
    if ret.status != ReturnStatus.APPROVED.value:
        level = completion.level if completion is not None else ApprovalLevel(ret.approval_level or "supervisor")
        waits = (msg("{rma} inspected; the refund of {amount} waits for {level} approval: {why}", rma=rma,
                     amount=amount, level=level, why=join(completion.reasons))
                 if completion is not None and completion.reasons else
                 msg("{rma} inspected; the refund of {amount} waits for {level} approval.", rma=rma, amount=amount,
                     level=level))
        return CounterResult(return_detail(s, ret), ret.status, waits, completion=completion)
    if exchange_lines(lines):
        return CounterResult(
            return_detail(s, ret), ret.status,
            msg("{rma} is approved for an exchange worth {amount}: the customer asked for an exchange, so nothing is"
                " refunded. Choose the replacement goods now, or record that the customer changed their mind.",
                rma=rma, amount=amount),
            completion=completion, exchange_wanted=True,
        )
    payer = actor
    blocked = _why_not_pay(s, actor, ret.refund_method, ret.refund_total_minor, ret.currency)
    if blocked and supervisor is not None and not _why_not_pay(
            s, supervisor, ret.refund_method, ret.refund_total_minor, ret.currency):
        # Above the clerk's cash limit: the supervisor who signed off pays it out.
        payer, blocked = supervisor, None
    if blocked:
        return CounterResult(
            return_detail(s, ret), ret.status,
            msg("{rma} is approved for {amount}, but {blocked} The refund can be issued from the return's page.",
                rma=rma, amount=amount, blocked=blocked),
            completion=completion,
        )
    refund = issue_refund_in(s, ctx, payer, rma)
    return CounterResult(
        refund.detail, refund.detail.status,
        msg("{rma} refunded: {amount} by {method} ({refund_no}, credit note {credit_note}).", rma=rma,
            amount=format_money(refund.refund.amount_minor, ret.currency), method=RefundMethod(refund.refund.method),
            refund_no=refund.refund.refund_no, credit_note=refund.credit_note_no or "—"),
        completion=completion, refund=refund,
    )


def _sign_off_in(
    s: Session, ctx: ServiceContext, clerk: Actor, supervisor: Actor, ret: Return,
    override_reason: str | None,
) -> None:
    """The supervisor's decision, taken on the clerk's screen: approve the refund (or override
    the policy with ``override_reason`` when the return is outside it and was not overridden).
    Every check of the approval desk holds: segregation of duties, the level, the limit."""
    note = msg("Signed off at the counter on the screen of {clerk}.", clerk=clerk.display_name or clerk.username)
    if not ret.in_policy and not ret.override_reason:
        approval.override_policy_in(s, ctx, supervisor, ret.rma_no, override_reason or "")
    else:
        approval.approve_refund_in(s, ctx, supervisor, ret.rma_no, note=note)
    audit.record(s, ctx, supervisor, "return", ret.rma_no, "signed_off", None,
                 {"approver": supervisor.username, "on_screen_of": clerk.username,
                  "station": clerk.station or ctx.station, "amount_minor": ret.refund_total_minor})


def sign_off_return(
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    sign_off: SignOff,
    *,
    override_reason: str | None = None,
    expected_version: int | None = None,
) -> CounterResult:
    """A supervisor signs off, on the clerk's screen, a counter return waiting for approval (above
    the clerk's limit, or an override): recorded as the approver, then the refund is paid on the
    spot as in :func:`counter_return` (by the clerk, or by the supervisor when above the clerk's
    cash limit), unless the customer asked for an exchange.

    A wrong password counts toward the supervisor's lockout; nothing else is saved then.
    """
    actor.require(Permission.CREATE_RETURN)
    supervisor = auth.verify_sign_off(ctx, actor, sign_off)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        ret = lock_return(s, rma_no)
        check_version(s, ret, expected_version)
        _sign_off_in(s, ctx, actor, supervisor, ret, override_reason)
        result = _settle_at_counter(s, ctx, actor, ret, None, supervisor)
    ctx.changed("return", result.detail.id)
    return result


def _why_not_pay(s: Session, actor: Actor, method: str, amount: int, currency: str) -> str | None:
    """Why the clerk cannot pay this refund out now, in words; None when they can."""
    if not can(actor.role, Permission.ISSUE_REFUND):
        return msg("you may not issue refunds.")
    if method == RefundMethod.CASH.value:
        if not can(actor.role, Permission.ISSUE_CASH_REFUND):
            return msg("you may not pay refunds in cash.")
        limit = acting_user(s, actor).approval_limit_minor
        if amount > limit:
            return msg("{amount} in cash is above your cash limit of {limit}; a supervisor must pay it out.",
                       amount=format_money(amount, currency), limit=format_money(limit, currency))
    return None


# --------------------------------------------------------------------------- the receipt


def receipt_data(
    detail: ReturnDetail,
    *,
    clerk: str,
    store_name: str,
    store_address: tuple[str, ...] = (),
    issued_at: datetime | None = None,
    policy_text: str = "",
    lang: Lang = "en",
    reprint: int = 0,
) -> ReceiptData:
    """The counter receipt's figures for a return, taken from its detail.

    Each line is printed at the price paid per unit; a line whose paid total does not divide
    evenly by its units (the cents of a discount) is printed as two lines, so that every printed
    line still reads quantity x price - deductions = refund.
    """
    lines: list[ReceiptLine] = []
    for line in detail.lines:
        if line.qty_accepted <= 0:
            continue
        deductions = line.deduction_minor + line.fee_minor
        gross = line.refund_minor + deductions
        base, extra = divmod(gross, line.qty_accepted)
        parts = [(n, price) for n, price in ((extra, base + 1), (line.qty_accepted - extra, base)) if n]
        shares = allocate(deductions, [n * price for n, price in parts])
        for (n, price), share in zip(parts, shares, strict=True):
            lines.append(ReceiptLine(
                sku=line.sku, name=line.product_name, quantity=n, unit_amount=price,
                deductions=share, refund_amount=n * price - share,
            ))
    if not lines:
        raise ValidationFailed(
            msg(
                "Return {rma_no} has no accepted units; there is nothing to put on a receipt.",
                rma_no=detail.rma_no)
        )
    subtotal = sum(line.gross for line in lines)
    deductions = sum(line.deductions for line in lines)
    return ReceiptData(
        store_name=store_name, store_address=tuple(store_address), rma=detail.rma_no,
        issued_at=issued_at or detail.status_changed_at, clerk=clerk,
        customer_name=detail.customer_name or "Walk-in customer", order_number=detail.order_no,
        lines=tuple(lines), subtotal=subtotal, deductions=deductions,
        shipping_refund=detail.shipping_refund_minor, total=detail.refund_total_minor,
        refund_method=RefundMethod(detail.refund_method), currency=detail.currency,
        policy_text=policy_text, lang=lang, reprint=reprint,
    )
