"""Exchanges: the approved value of a return buys replacement goods.

``create_exchange`` moves an approved return to exchanged, opens a replacement order (``RO-…``)
that reserves the goods (available -> reserved), credits the returned goods with a credit note and
settles the difference: a positive difference is collected from the customer, a negative one is
refunded — a refund row like any other, so a return is still paid out at most once. The replacement
is then handed over (:func:`fulfil_replacement`, reserved -> customer) or cancelled
(:func:`cancel_replacement`, reserved -> available; its value is owed to the customer).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from returndesk.domain.codes import clean_text
from returndesk.domain.errors import (
    AlreadyDone,
    IllegalTransition,
    NotFound,
    PolicyViolation,
    ReturnDeskError,
    ValidationFailed,
)
from returndesk.domain.lifecycle import Action
from returndesk.domain.money import allocate, format_money
from returndesk.domain.permissions import Permission
from returndesk.domain.scan import looks_like_rma, parse_rma
from returndesk.domain.refund import refund_methods_for
from returndesk.domain.types import CollectMethod, Fulfilment, Location, RefundMethod, Resolution, ReturnStatus
from returndesk.store.schema import (
    CreditNote,
    Product,
    ProductBarcode,
    Refund,
    RefundLine,
    ReplacementLine,
    ReplacementOrder,
    Return,
    ReturnLine,
)

from returndesk.services.tx import audit, refcache, stock
from returndesk.services.usecases import cash, finance
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.usecases.refunds import RefundView, existing_refund, insert_refund_once, refund_view
from returndesk.services.usecases.sales import load_reasons
from returndesk.services.tx.sequences import next_document_no
from returndesk.services.tx.settlement import (
    check_cash,
    approved_refund,
    check_lines_add_up,
    lock_order_lines,
    lock_products,
    lock_return,
    payment_method,
    refunded_line,
    require_state,
    return_lines,
    settle_line,
)
from returndesk.services.tx.transitions import check_version, transition
from returndesk.services.tx.views import ReturnDetail, load_return, return_detail
from returndesk.domain.messages import Message, join, msg

RESERVED = "reserved"
FULFILLED = "fulfilled"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class ReplacementLineView:
    product_id: int
    sku: str
    product_name: str
    quantity: int
    unit_price_minor: int
    product_name_zh: str | None = None

    @property
    def value_minor(self) -> int:
        return self.unit_price_minor * self.quantity


@dataclass(frozen=True)
class ReplacementView:
    id: int
    order_no: str
    rma_no: str
    status: str
    value_minor: int
    credit_minor: int
    difference_minor: int  # > 0 to collect from the customer, < 0 refunded
    created_by: str
    created_at: datetime
    lines: tuple[ReplacementLineView, ...]
    fulfilment: str | None = None  # counter | ship (None: not said, an exchange made elsewhere)
    collected_minor: int = 0  # the positive difference as paid by the customer
    collected_method: str | None = None
    collected_by: str | None = None
    collected_at: datetime | None = None

    @property
    def outstanding_minor(self) -> int:
        """What the customer still owes of a positive difference."""
        return max(self.difference_minor - self.collected_minor, 0)


@dataclass(frozen=True)
class ExchangeResult:
    """What an exchange produced. ``to_collect_minor`` is what the customer still pays (0 when the
    credit covers the replacement); ``refund`` is the refund of a negative difference."""

    replacement: ReplacementView
    to_collect_minor: int
    refund: RefundView | None
    credit_note_no: str | None
    entry_no: str | None
    detail: ReturnDetail


def replacement_view(session: Session, order: ReplacementOrder) -> ReplacementView:
    """The detached view of a replacement order."""
    rma_no = session.execute(select(Return.rma_no).where(Return.id == order.return_id)).scalar_one()
    creator = refcache.display_name(session, order.created_by)
    lines = tuple(
        ReplacementLineView(p.id, p.sku, p.name, line.quantity, line.unit_price_minor, p.name_zh)
        for line, p in session.execute(
            select(ReplacementLine, Product)
            .join(Product, Product.id == ReplacementLine.product_id)
            .where(ReplacementLine.replacement_id == order.id)
            .order_by(ReplacementLine.id)
        )
    )
    return ReplacementView(
        id=order.id, order_no=order.order_no, rma_no=rma_no, status=order.status,
        value_minor=order.value_minor, credit_minor=order.credit_minor,
        difference_minor=order.difference_minor, created_by=creator or "",
        created_at=order.created_at, lines=lines, fulfilment=order.fulfilment,
        collected_minor=order.collected_minor or 0, collected_method=order.collected_method,
        collected_by=refcache.display_name(session, order.collected_by) if order.collected_by else None,
        collected_at=order.collected_at,
    )


def _resolve_products(
    session: Session, replacements: Sequence[tuple[int | str, int]]
) -> list[tuple[Product, int]]:
    """Products and quantities asked for, by id or SKU (or barcode), merged per product."""
    if not replacements:
        raise ValidationFailed(msg("Choose at least one replacement item for the exchange."))
    wanted: dict[int, int] = {}
    products: dict[int, Product] = {}
    problems: list[str] = []
    for ref, qty in replacements:
        if isinstance(qty, bool) or not isinstance(qty, int) or qty < 1:
            problems.append(msg(
                "The quantity of {ref} must be a whole number of at least 1, not {qty!r}.",
                ref=ref, qty=qty))
            continue
        if isinstance(ref, int) and not isinstance(ref, bool):
            product = session.get(Product, ref)
        else:
            code = clean_text(str(ref), what=msg("The product code"))
            product = session.execute(
                select(Product).where(Product.sku == code.upper())
            ).scalar_one_or_none() or session.execute(
                select(Product).where(Product.barcode == code).limit(1)
            ).scalar_one_or_none() or session.execute(
                select(Product).join(ProductBarcode, ProductBarcode.product_id == Product.id)
                .where(ProductBarcode.barcode == code.upper()).limit(1)
            ).scalar_one_or_none()
        if product is None:
            problems.append(msg("No product {ref} exists; check the SKU or scan the item again.", ref=ref))
            continue
        products[product.id] = product
        wanted[product.id] = wanted.get(product.id, 0) + qty
    if problems:
        raise ValidationFailed(" ".join(problems), problems)
    return [(products[pid], qty) for pid, qty in sorted(wanted.items())]


def _check_reasons_allow_exchange(session: Session, ret: Return, lines: list[ReturnLine]) -> None:
    reasons = load_reasons(session)
    refused = sorted({
        line.reason_code for line in lines
        if line.qty_accepted and line.reason_code in reasons
        and not reasons[line.reason_code].allows(Resolution.EXCHANGE)
    })
    if refused:
        names = ", ".join(reasons[code].name_en for code in refused)
        raise PolicyViolation(
            msg(
                "Return {rma_no} cannot be exchanged: the reason '{names}' allows a refund only. Issue a refund "
                "instead.",
                rma_no=ret.rma_no, names=names)
        )


def create_exchange(
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    replacements: Sequence[tuple[int | str, int]],
    *,
    method: RefundMethod | str | None = None,
    expected_version: int | None = None,
) -> ExchangeResult:
    """Exchange an approved return: approved -> exchanged, with a replacement order reserving stock.

    ``replacements`` lists ``(product id or SKU, quantity)``. Refused, with the product and the
    figures, when not enough is available. A negative difference is refunded by ``method`` (by
    default the return's refund method); a positive one is left to collect from the customer.
    """
    actor.require(Permission.EXCHANGE)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        result = create_exchange_in(
            s, ctx, actor, rma_no, replacements, method=method, expected_version=expected_version
        )
    ctx.changed("return", result.detail.id)
    return result


def create_exchange_in(
    s: Session,
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    replacements: Sequence[tuple[int | str, int]],
    *,
    method: RefundMethod | str | None = None,
    expected_version: int | None = None,
    collects_cash: bool = False,
) -> ExchangeResult:
    """:func:`create_exchange` inside the caller's transaction. ``collects_cash``: the caller then
    takes the difference in cash into the counter's drawer (its shift is locked in order here)."""
    actor.require(Permission.EXCHANGE)
    ret = lock_return(s, rma_no)
    earlier = s.execute(
        select(ReplacementOrder).where(ReplacementOrder.return_id == ret.id)
    ).scalar_one_or_none()
    if earlier is not None:
        raise AlreadyDone(
            msg(
                "Return {rma_no} was exchanged already (replacement order {order_no}, {created_at:%Y-%m-%d %H:%M}). "
                "Nothing was changed.",
                rma_no=ret.rma_no, order_no=earlier.order_no, created_at=earlier.created_at)
        )
    paid = existing_refund(s, ret.id)
    if paid is not None:
        view = refund_view(s, paid)
        raise AlreadyDone(
            msg(
                "Return {rma_no} was refunded already ({refund_no}, {amount_minor}, by {issued_by}, at "
                "{issued_at:%Y-%m-%d %H:%M}); it cannot be exchanged as well.",
                rma_no=ret.rma_no, refund_no=view.refund_no,
                amount_minor=format_money(view.amount_minor, view.currency), issued_by=view.issued_by,
                issued_at=view.issued_at)
        )
    check_version(s, ret, expected_version)
    require_state(s, ret, Action.EXCHANGE)

    lines = return_lines(s, ret)
    _check_reasons_allow_exchange(s, ret, lines)
    check_lines_add_up(approved_refund(ret, lines))
    if collects_cash or payment_method(ret.refund_method, method) is RefundMethod.CASH:
        # A difference refunded in cash comes out of the counter's shift, one paid in cash goes
        # into it: its drawer is locked where a refund locks it, before the order lines and the
        # numbers (settlement's order).
        cash.lock_open_shift(s, ctx, actor)
    order_lines = lock_order_lines(s, (line.order_line_id for line in lines))
    wanted = _resolve_products(s, replacements)
    locked = lock_products(s, (p.id for p, _ in wanted))
    short = []
    for product, qty in wanted:
        have = stock.on_hand(s, product.id, Location.AVAILABLE)
        if have < qty:
            short.append(
                msg(
                    "{sku} {name}: {qty} wanted, only {have} available.",
                    sku=product.sku, name=product.name, qty=qty, have=have)
            )
    if short:
        raise ValidationFailed(
            msg("Not enough stock for the replacement. {short} Choose fewer or other items, or refund instead.",
                short=join(short)),
            short,
        )

    credit_value = ret.refund_total_minor
    value = sum(locked[p.id].price_minor * qty for p, qty in wanted)
    value_tax = sum(finance.tax_inside(locked[p.id].price_minor * qty, locked[p.id].tax_rate_bp)
                    for p, qty in wanted)
    difference = value - credit_value
    how = payment_method(ret.refund_method, method)
    if difference < 0:
        actor.require(Permission.ISSUE_REFUND)
        if how is RefundMethod.CASH:
            check_cash(s, actor, ret, -difference)

    for line in lines:
        settle_line(s, ret, line, order_lines[line.order_line_id], line.refund_minor)

    now = ctx.now()
    # Sequences in the fixed order of settlement.py: replacement, refund, credit note, journal.
    order = ReplacementOrder(
        order_no=next_document_no(s, "replacement", "RO", now.year), return_id=ret.id,
        status=RESERVED, value_minor=value, credit_minor=credit_value,
        difference_minor=difference, created_by=actor.user_id, created_at=now,
    )
    s.add(order)
    s.flush()
    for product, qty in wanted:
        s.add(ReplacementLine(replacement_id=order.id, product_id=product.id, quantity=qty,
                              unit_price_minor=locked[product.id].price_minor))
        stock.move(s, ctx, actor, product_id=product.id, from_location=Location.AVAILABLE,
                   to_location=Location.RESERVED, quantity=qty, reason="replacement_reserved",
                   return_id=ret.id)

    refund_no = next_document_no(s, "refund", "RF", now.year) if difference < 0 else None
    note: CreditNote | None = None
    if credit_value > 0:
        tax = sum(line.tax_minor for line in lines)
        note = CreditNote(
            number=next_document_no(s, "credit_note", "CN", now.year), return_id=ret.id,
            customer_id=ret.customer_id, issued_at=now, net_minor=credit_value - tax,
            tax_minor=tax, total_minor=credit_value, currency=ret.currency,
        )
        s.add(note)
        s.flush()

    refund: Refund | None = None
    if refund_no is not None:
        amount = -difference
        refund = Refund(
            refund_no=refund_no, return_id=ret.id, method=how.value, amount_minor=amount,
            currency=ret.currency, issued_by=actor.user_id, issued_at=now,
            station=actor.station or ctx.station, external_ref=None,
            credit_note_id=note.id if note else None,
            # Cash handed out for the difference comes out of the counter's open shift.
            cash_shift_id=cash.shift_for_cash(s, ctx, actor, how, amount),
        )
        insert_refund_once(s, ret, refund)
        ret.refund_method = how.value
        # The difference is shared over the lines in proportion to their credit.
        weights = [line.refund_minor for line in lines]
        shares = allocate(amount, weights)
        tax_total = sum(line.tax_minor for line in lines)
        tax_of_difference = (amount * tax_total + credit_value // 2) // credit_value if credit_value else 0
        tax_shares = allocate(tax_of_difference, weights)
        for line, share, tax_share in zip(lines, shares, tax_shares, strict=True):
            if share:
                s.add(RefundLine(refund_id=refund.id, return_line_id=line.id,
                                 order_line_id=line.order_line_id, amount_minor=share,
                                 tax_minor=tax_share))

    memo = msg("Exchange {order_no} of return {rma_no}", order_no=order.order_no, rma_no=ret.rma_no)
    entry = finance.post_entry(
        s, ctx, memo=memo, return_id=ret.id, refund_id=refund.id if refund else None,
        postings=finance.exchange_postings(
            [refunded_line(s, line) for line in lines], ret.shipping_refund_minor,
            replacement_value_minor=value, replacement_tax_minor=value_tax, method=how, memo=memo,
        ),
    )
    ret.resolution = Resolution.EXCHANGE.value
    transition(s, ctx, actor, ret, Action.EXCHANGE, details={
        "replacement_order": order.order_no,
        "replacement_value_minor": value,
        "credit_minor": credit_value,
        "difference_minor": difference,
        "refund_no": refund_no,
        "credit_note": note.number if note else None,
        "journal_entry": entry.entry_no if entry else None,
    })
    s.flush()
    return ExchangeResult(
        replacement=replacement_view(s, order),
        to_collect_minor=max(difference, 0),
        refund=refund_view(s, refund) if refund else None,
        credit_note_no=note.number if note else None,
        entry_no=entry.entry_no if entry else None,
        detail=return_detail(s, ret),
    )


def _fulfilment(value: Fulfilment | str) -> Fulfilment:
    try:
        return Fulfilment(value)
    except ValueError:
        raise ValidationFailed(
            msg("'{fulfilment}' is not a way to deliver the replacement; hand it over at the counter or ship it.",
                fulfilment=value)
        ) from None


def _reference(reference: str) -> str:
    """A replacement order number or an RMA (written any way the scanner accepts it)."""
    text = clean_text(reference, what=msg("The replacement order or RMA number")).upper()
    return parse_rma(text) if looks_like_rma(text) else text


def _lock_replacement(session: Session, reference: str) -> ReplacementOrder:
    """A replacement order by its number or by the RMA of its return, locked."""
    ref = _reference(reference)
    stmt = select(ReplacementOrder).with_for_update().execution_options(populate_existing=True)
    order = session.execute(stmt.where(ReplacementOrder.order_no == ref)).scalar_one_or_none()
    if order is None:
        return_id = session.execute(select(Return.id).where(Return.rma_no == ref)).scalar_one_or_none()
        if return_id is not None:
            order = session.execute(
                stmt.where(ReplacementOrder.return_id == return_id)
            ).scalar_one_or_none()
    if order is None:
        raise NotFound(
            msg(
                "No replacement order {reference} exists. Give the RO number or the return's RMA.",
                reference=reference)
        )
    return order


def _require_reserved(order: ReplacementOrder, verb: Message) -> None:
    if order.status != RESERVED:
        raise AlreadyDone(
            msg(
                "Replacement order {order_no} cannot be {verb}: it was {status} already.",
                order_no=order.order_no, verb=verb, status=order.status)
        )


def fulfil_replacement(ctx: ServiceContext, actor: Actor, order_no: str) -> ReplacementView:
    """Hand the replacement goods over (or ship them): reserved -> customer, cost out of inventory.

    ``order_no`` is the replacement order's number or the RMA of its return.
    """
    actor.require(Permission.EXCHANGE)
    with guarded_write(ctx, msg("replacement order {order_no}", order_no=order_no), actor) as s:
        view = fulfil_replacement_in(s, ctx, actor, order_no)
        return_id = s.execute(select(Return.id).where(Return.rma_no == view.rma_no)).scalar_one()
    ctx.changed("return", return_id)
    return view


def fulfil_replacement_in(s: Session, ctx: ServiceContext, actor: Actor, order_no: str) -> ReplacementView:
    """:func:`fulfil_replacement` inside the caller's transaction."""
    actor.require(Permission.EXCHANGE)
    order = _lock_replacement(s, order_no)
    _require_reserved(order, msg("handed over"))
    rma_no = s.execute(select(Return.rma_no).where(Return.id == order.return_id)).scalar_one()
    cost = 0
    for line in order.lines:
        product = s.get(Product, line.product_id)
        assert product is not None
        cost += product.cost_minor * line.quantity
        stock.move(s, ctx, actor, product_id=line.product_id, from_location=Location.RESERVED,
                   to_location=Location.CUSTOMER, quantity=line.quantity,
                   reason="replacement_delivered", return_id=order.return_id)
    memo = msg("Replacement {order_no} of return {rma_no} handed over", order_no=order.order_no, rma_no=rma_no)
    entry = finance.post_entry(s, ctx, memo=memo, return_id=order.return_id,
                               postings=finance.replacement_shipped_postings(cost, memo))
    order.status = FULFILLED
    audit.record(s, ctx, actor, "return", rma_no, "fulfil_replacement",
                 {"replacement_order": order.order_no, "status": RESERVED},
                 {"replacement_order": order.order_no, "status": FULFILLED,
                  "journal_entry": entry.entry_no if entry else None})
    s.flush()
    return replacement_view(s, order)


def cancel_replacement(
    ctx: ServiceContext, actor: Actor, order_no: str, reason: str
) -> ReplacementView:
    """Cancel a replacement not handed over: reserved -> available, its sale reversed and its value
    credited to the customer's account (1122) for finance to settle."""
    actor.require(Permission.EXCHANGE)
    with guarded_write(ctx, msg("replacement order {order_no}", order_no=order_no), actor) as s:
        view = cancel_replacement_in(s, ctx, actor, order_no, reason)
        return_id = s.execute(select(Return.id).where(Return.rma_no == view.rma_no)).scalar_one()
    ctx.changed("return", return_id)
    return view


def cancel_replacement_in(
    s: Session, ctx: ServiceContext, actor: Actor, order_no: str, reason: str
) -> ReplacementView:
    """:func:`cancel_replacement` inside the caller's transaction."""
    actor.require(Permission.EXCHANGE)
    text = " ".join((reason or "").split())
    if len(text) < 5:
        raise ValidationFailed(
            msg(
                "Write why the replacement is cancelled (at least 5 characters); finance needs it to settle the "
                "customer's credit.")
        )
    order = _lock_replacement(s, order_no)
    _require_reserved(order, msg("cancelled"))
    rma_no = s.execute(select(Return.rma_no).where(Return.id == order.return_id)).scalar_one()
    tax = 0
    for line in order.lines:
        product = s.get(Product, line.product_id)
        assert product is not None
        tax += finance.tax_inside(line.unit_price_minor * line.quantity, product.tax_rate_bp)
        stock.move(s, ctx, actor, product_id=line.product_id, from_location=Location.RESERVED,
                   to_location=Location.AVAILABLE, quantity=line.quantity,
                   reason="replacement_cancelled", return_id=order.return_id)
    memo = msg("Replacement {order_no} of return {rma_no} cancelled", order_no=order.order_no, rma_no=rma_no)
    entry = finance.post_entry(
        s, ctx, memo=memo, return_id=order.return_id,
        postings=finance.replacement_cancelled_postings(order.value_minor, tax, memo),
    )
    order.status = CANCELLED
    audit.record(s, ctx, actor, "return", rma_no, "cancel_replacement",
                 {"replacement_order": order.order_no, "status": RESERVED},
                 {"replacement_order": order.order_no, "status": CANCELLED, "reason": text,
                  "credited_to_customer_minor": order.value_minor,
                  "journal_entry": entry.entry_no if entry else None})
    s.flush()
    return replacement_view(s, order)


# --------------------------------------------------------------------------- the exchange moved on from its return


def check_replacement_open(s: Session, ret: Return, *, handing_over: bool) -> ReplacementOrder:
    """The replacement order of the exchanged return ``ret`` that still holds reserved stock, or a
    refusal saying why it cannot be handed over, shipped (``handing_over``) or cancelled now."""
    if ret.status != ReturnStatus.EXCHANGED.value:
        raise PolicyViolation(
            msg("Return {rma_no} is {value}; only an exchanged return has a replacement to hand over, ship or "
                "cancel.",
                rma_no=ret.rma_no,
                value=ReturnStatus(ret.status))
        )
    order = s.execute(
        select(ReplacementOrder).where(ReplacementOrder.return_id == ret.id)
    ).scalar_one_or_none()
    verb = msg("handed over") if handing_over else msg("cancelled")
    if order is None:
        raise IllegalTransition(msg("Return {rma_no} has no replacement order to be {verb}.",
                                    rma_no=ret.rma_no,
                                    verb=verb),
                                current=ret.status, action="replacement")
    if order.status != RESERVED:
        # The replacement's own state: said as a state, not as a problem to solve.
        raise IllegalTransition(
            msg("Replacement order {order_no} cannot be {verb}: it was {status} already.",
                order_no=order.order_no,
                verb=verb,
                status=order.status),
            current=ret.status, action="replacement",
        )
    owed = order.difference_minor - (order.collected_minor or 0)
    if handing_over and owed > 0:
        raise PolicyViolation(
            msg("The customer still owes {owed} on replacement order {order_no}; take the payment with "
                "\"Collect difference\" on the return's page first.",
                owed=format_money(owed, ret.currency),
                order_no=order.order_no)
        )
    return order


def check_collect_open(s: Session, ret: Return) -> ReplacementOrder:
    """The reserved replacement order of ``ret`` on which the customer still owes a difference, or a
    refusal saying why there is nothing to collect now."""
    order = check_replacement_open(s, ret, handing_over=False)
    if order.difference_minor - (order.collected_minor or 0) <= 0:
        # The replacement's own state: said as a state, not as a problem to solve.
        raise IllegalTransition(
            msg("Nothing is owed on replacement order {order_no}.", order_no=order.order_no),
            current=ret.status, action="replacement",
        )
    return order


def fulfil_exchange(
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    fulfilment: Fulfilment | str = Fulfilment.COUNTER,
    *,
    expected_version: int | None = None,
) -> ReplacementView:
    """The reserved replacement of an exchanged return leaves the shop: picked at the counter and
    handed over (``counter``), or shipped with its packing slip (``ship``); reserved -> customer,
    the way recorded on the replacement order. Refused while the customer still owes a difference."""
    actor.require(Permission.EXCHANGE)
    how = _fulfilment(fulfilment)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        ret = lock_return(s, rma_no)
        check_version(s, ret, expected_version)
        found = check_replacement_open(s, ret, handing_over=True)
        order = _lock_replacement(s, found.order_no)
        check_replacement_open(s, ret, handing_over=True)  # again, under the lock
        order.fulfilment = how.value
        view = fulfil_replacement_in(s, ctx, actor, order.order_no)
        return_id = ret.id
    ctx.changed("return", return_id)
    return view


def cancel_exchange(
    ctx: ServiceContext, actor: Actor, rma_no: str, reason: str, *, expected_version: int | None = None
) -> ReplacementView:
    """Cancel the replacement of an exchanged return that was not handed over: the reservation is
    released (reserved -> available) and its value credited to the customer's account for finance
    to settle (:func:`cancel_replacement`); the return can then be closed."""
    actor.require(Permission.EXCHANGE)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        ret = lock_return(s, rma_no)
        check_version(s, ret, expected_version)
        found = check_replacement_open(s, ret, handing_over=False)
        view = cancel_replacement_in(s, ctx, actor, found.order_no, reason)
        return_id = ret.id
    ctx.changed("return", return_id)
    return view


def find_replacement(ctx: ServiceContext, actor: Actor, reference: str) -> ReplacementView | None:
    """The replacement order by its number or its return's RMA; None when the return has none."""
    actor.require(Permission.EXCHANGE)
    ref = _reference(reference)
    with ctx.read(actor) as s:
        order = s.execute(
            select(ReplacementOrder).where(ReplacementOrder.order_no == ref)
        ).scalar_one_or_none()
        if order is None:
            order = s.execute(
                select(ReplacementOrder).join(Return, Return.id == ReplacementOrder.return_id)
                .where(Return.rma_no == ref)
            ).scalar_one_or_none()
        return replacement_view(s, order) if order else None


# --------------------------------------------------------------------------- the customer changes their mind


#: States in which the customer may still change an exchange into a refund (nothing settled yet).
_OPEN_STATES = frozenset(s.value for s in (
    ReturnStatus.DRAFT, ReturnStatus.REQUESTED, ReturnStatus.AUTHORIZED, ReturnStatus.RECEIVED,
    ReturnStatus.INSPECTED, ReturnStatus.AWAITING_APPROVAL, ReturnStatus.APPROVED,
))


def _check_change_mind(ret: Return, lines: list[ReturnLine]) -> list[ReturnLine]:
    """The lines a changed mind would turn into refunds; refused with a sentence when none."""
    if ret.status not in _OPEN_STATES:
        raise PolicyViolation(
            msg(
                "Return {rma_no} is {status}; the customer can no longer change an exchange into a refund.",
                rma_no=ret.rma_no, status=ret.status.replace('_', ' '))
        )
    wanted = [line for line in lines if line.resolution == Resolution.EXCHANGE.value]
    if not wanted:
        raise ValidationFailed(
            msg(
                "Return {rma_no} has no line the customer asked to exchange; it is refunded already as it is.",
                rma_no=ret.rma_no)
        )
    return wanted


def record_changed_mind(
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    line_ids: Sequence[int] | None = None,
    *,
    expected_version: int | None = None,
) -> ReturnDetail:
    """The customer, at the counter, wants the money back instead of the exchange they asked for.

    Each exchange line (all of them, or those of ``line_ids``) becomes a refund line, with who
    recorded it and when; audited. Only before the return is settled (refunded or exchanged).
    """
    actor.require(Permission.EXCHANGE)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        ret = lock_return(s, rma_no)
        check_version(s, ret, expected_version)
        lines = return_lines(s, ret)
        wanted = _check_change_mind(ret, lines)
        if line_ids is not None:
            chosen = {int(i) for i in line_ids}
            unknown = chosen - {line.id for line in wanted}
            if unknown:
                raise ValidationFailed(
                    msg(
                        "Return {rma_no} has no exchange line #{min}; choose one of its exchange lines.",
                        rma_no=ret.rma_no, min=min(unknown))
                )
            wanted = [line for line in wanted if line.id in chosen]
        now = ctx.now()
        for line in wanted:
            line.resolution = Resolution.REFUND.value
            line.changed_mind_at = now
            line.changed_mind_by = actor.user_id
        before = ret.resolution
        ret.resolution = (
            Resolution.EXCHANGE.value
            if all(line.resolution == Resolution.EXCHANGE.value for line in lines)
            else Resolution.REFUND.value
        )
        flag_modified(ret, "resolution")  # the return's version moves with its lines
        s.flush()
        audit.record(s, ctx, actor, "return", ret.rma_no, "changed_mind",
                     {"resolution": before,
                      "lines": [{"line_no": line.line_no, "resolution": "exchange"} for line in wanted]},
                     {"resolution": ret.resolution,
                      "lines": [{"line_no": line.line_no, "resolution": "refund"} for line in wanted],
                      "recorded_by": actor.username, "recorded_at": now.isoformat()})
        detail = return_detail(s, ret)
    ctx.changed("return", detail.id)
    return detail


# --------------------------------------------------------------------------- choosing the replacement


@dataclass(frozen=True)
class ProductChoice:
    """A product the replacement may be: its price and what is available to reserve."""

    id: int
    sku: str
    barcode: str | None
    name: str
    name_zh: str | None
    variant: str | None
    style_code: str | None
    price_minor: int
    available: int


#: Most products a search shows.
PRODUCT_SEARCH_LIMIT = 20


def _choices(s: Session, products: Sequence[Product]) -> list[ProductChoice]:
    return [
        ProductChoice(p.id, p.sku, p.barcode, p.name, p.name_zh, p.variant, p.style_code,
                      p.price_minor, stock.on_hand(s, p.id, Location.AVAILABLE))
        for p in products
    ]


def find_products(
    ctx: ServiceContext, actor: Actor, text: str, *, limit: int = PRODUCT_SEARCH_LIMIT
) -> list[ProductChoice]:
    """Products for a replacement by scanned barcode, SKU (or its beginning) or a part of the
    name in English or Chinese; exact codes first."""
    actor.require(Permission.EXCHANGE)
    query = clean_text(text, what=msg("The product search"), max_length=80)
    if not query:
        raise ValidationFailed(msg("Type or scan a barcode, SKU or a part of the product's name."))
    limit = max(1, min(int(limit), 100))
    with ctx.read(actor) as s:
        exact = list(s.execute(
            select(Product).where(or_(Product.barcode == query, Product.sku == query.upper()))
            .order_by(Product.sku)
        ).scalars())
        found = {p.id: p for p in exact}
        if len(found) < limit:
            pattern = "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            for p in s.execute(
                select(Product).where(or_(
                    func.lower(Product.sku).like(query.lower().replace("%", "") + "%"),
                    func.lower(Product.name).like(pattern, escape="\\"),
                    Product.name_zh.like("%" + query + "%"),
                )).order_by(Product.sku).limit(limit)
            ).scalars():
                found.setdefault(p.id, p)
        return _choices(s, list(found.values())[:limit])


@dataclass(frozen=True)
class ExchangeCase:
    """What the exchange dialog shows of one return: the credit, the goods the customer may pick
    first (what they brought back and its other variants), the replacement if one was made, and
    what the user may do, or why not, in words."""

    detail: ReturnDetail
    credit_minor: int
    suggestions: tuple[ProductChoice, ...]
    replacement: ReplacementView | None
    exchange_line_ids: tuple[int, ...]  # lines the customer asked to exchange
    can_exchange: bool
    why_not_exchange: str | None
    can_change_mind: bool
    why_not_change_mind: str | None
    can_fulfil: bool
    refund_methods: tuple[str, ...]
    collect_methods: tuple[str, ...]

    @property
    def rma_no(self) -> str:
        return self.detail.rma_no


def _why(check: Callable[[], object]) -> str | None:
    try:
        check()
    except ReturnDeskError as exc:
        return exc.message
    return None


def get_exchange_case(ctx: ServiceContext, actor: Actor, rma_no: str) -> ExchangeCase:
    """One return as the exchange dialog shows it (one read transaction)."""
    actor.require(Permission.EXCHANGE)
    rma = parse_rma(str(rma_no or ""))
    with ctx.read(actor, snapshot=True) as s:
        ret = load_return(s, rma_no=rma)
        detail = return_detail(s, ret)
        lines = return_lines(s, ret)
        order = s.execute(
            select(ReplacementOrder).where(ReplacementOrder.return_id == ret.id)
        ).scalar_one_or_none()
        returned_ids = [line.product_id for line in lines]
        returned = {p.id: p for p in s.execute(select(Product).where(Product.id.in_(returned_ids))).scalars()}
        styles = {p.style_code for p in returned.values() if p.style_code}
        suggested: dict[int, Product] = {pid: returned[pid] for pid in returned_ids if pid in returned}
        if styles:
            for p in s.execute(
                select(Product).where(Product.style_code.in_(styles)).order_by(Product.style_code, Product.sku)
            ).scalars():
                suggested.setdefault(p.id, p)

        def may_exchange() -> None:
            if order is not None:
                raise AlreadyDone(msg(
                    "Return {rma_no} was exchanged already (replacement order {order_no}).",
                    rma_no=ret.rma_no, order_no=order.order_no))
            require_state(s, ret, Action.EXCHANGE)
            _check_reasons_allow_exchange(s, ret, lines)

        why_exchange = _why(may_exchange)
        why_mind = _why(lambda: _check_change_mind(ret, lines))
        return ExchangeCase(
            detail=detail,
            credit_minor=ret.refund_total_minor,
            suggestions=tuple(_choices(s, list(suggested.values()))),
            replacement=replacement_view(s, order) if order is not None else None,
            exchange_line_ids=tuple(
                line.id for line in lines if line.resolution == Resolution.EXCHANGE.value
            ),
            can_exchange=why_exchange is None, why_not_exchange=why_exchange,
            can_change_mind=why_mind is None, why_not_change_mind=why_mind,
            can_fulfil=order is not None and order.status == RESERVED,
            refund_methods=tuple(m.value for m in refund_methods_for(ret.channel)),
            collect_methods=tuple(m.value for m in CollectMethod),
        )


# --------------------------------------------------------------------------- the exchange at the counter


def exchange_at_counter(
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    replacements: Sequence[tuple[int | str, int]],
    *,
    fulfilment: Fulfilment | str = Fulfilment.COUNTER,
    collect_method: CollectMethod | str | None = None,
    refund_method: RefundMethod | str | None = None,
    expected_version: int | None = None,
) -> ExchangeResult:
    """Exchange an approved return with the customer at the counter, in one transaction.

    The replacement is reserved (:func:`create_exchange_in`); a positive difference is collected
    from the customer now by ``collect_method`` (recorded with who and when, and booked from the
    customer's account into the drawer or the bank), a negative one refunded by
    ``refund_method``; the replacement is handed over now (``fulfilment`` counter) or stays
    reserved to be shipped with a packing slip (``ship``). All of it or nothing.
    """
    actor.require(Permission.EXCHANGE)
    how = _fulfilment(fulfilment)
    collect: CollectMethod | None = None
    if collect_method is not None:
        try:
            collect = CollectMethod(collect_method)
        except ValueError:
            allowed = ", ".join(m.value.replace("_", " ") for m in CollectMethod)
            raise ValidationFailed(
                msg(
                    "'{collect_method}' is not a way to pay the difference; use one of: {allowed}.",
                    collect_method=collect_method, allowed=allowed)
            ) from None
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        result = create_exchange_in(s, ctx, actor, rma_no, replacements, method=refund_method,
                                    expected_version=expected_version,
                                    collects_cash=collect is CollectMethod.CASH)
        order = _lock_replacement(s, result.replacement.order_no)
        order.fulfilment = how.value
        rma = result.detail.rma_no
        if order.difference_minor > 0:
            if collect is None:
                raise ValidationFailed(
                    msg(
                        "The customer pays {difference_minor} more for the replacement; choose how they pay (cash, "
                        "card, WeChat Pay or Alipay). Nothing was saved.",
                        difference_minor=format_money(order.difference_minor, result.detail.currency))
                )
            _collect_in(s, ctx, actor, order, rma, collect)
        if how is Fulfilment.COUNTER:
            fulfil_replacement_in(s, ctx, actor, order.order_no)
        else:
            audit.record(s, ctx, actor, "return", rma, "replacement_to_ship", None,
                         {"replacement_order": order.order_no, "fulfilment": how.value})
        s.flush()
        ret = load_return(s, rma_no=rma)
        final = ExchangeResult(
            replacement=replacement_view(s, order),
            to_collect_minor=max(order.difference_minor - (order.collected_minor or 0), 0),
            refund=result.refund, credit_note_no=result.credit_note_no, entry_no=result.entry_no,
            detail=return_detail(s, ret),
        )
    ctx.changed("return", final.detail.id)
    return final


def _collect_in(
    s: Session, ctx: ServiceContext, actor: Actor, order: ReplacementOrder, rma: str,
    method: CollectMethod,
) -> None:
    amount = order.difference_minor - (order.collected_minor or 0)
    if amount <= 0:
        raise AlreadyDone(
            msg(
                "Nothing is owed on replacement order {order_no}; the difference was paid already.",
                order_no=order.order_no)
        )
    now = ctx.now()
    if method is CollectMethod.CASH:
        order.cash_shift_id = cash.shift_for_collection(s, ctx, actor)  # into the counter's drawer
    order.collected_minor = (order.collected_minor or 0) + amount
    order.collected_method = method.value
    order.collected_at = now
    order.collected_by = actor.user_id
    memo = msg("Difference of exchange {order_no} (return {rma_no}) paid by {method}", order_no=order.order_no,
               rma_no=rma, method=method)
    entry = finance.post_entry(s, ctx, memo=memo, return_id=order.return_id,
                               postings=finance.collection_postings(amount, method.value, memo))
    audit.record(s, ctx, actor, "return", rma, "collect_difference", None,
                 {"replacement_order": order.order_no, "amount_minor": amount, "method": method.value,
                  "journal_entry": entry.entry_no if entry else None})


def collect_difference(
    ctx: ServiceContext, actor: Actor, order_no: str, method: CollectMethod | str
) -> ReplacementView:
    """The customer pays what a replacement order still owes (an exchange for dearer goods made
    without the customer at the counter)."""
    actor.require(Permission.EXCHANGE)
    try:
        how = CollectMethod(method)
    except ValueError:
        allowed = ", ".join(m.value.replace("_", " ") for m in CollectMethod)
        raise ValidationFailed(msg(
            "'{method}' is not a way to pay the difference; use one of: {allowed}.",
            method=method, allowed=allowed)) from None
    with guarded_write(ctx, msg("replacement order {order_no}", order_no=order_no), actor) as s:
        order = _lock_replacement(s, order_no)
        rma = s.execute(select(Return.rma_no).where(Return.id == order.return_id)).scalar_one()
        _collect_in(s, ctx, actor, order, rma, how)
        s.flush()
        view = replacement_view(s, order)
        return_id = order.return_id
    ctx.changed("return", return_id)
    return view
