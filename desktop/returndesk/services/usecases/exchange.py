"""Exchanges: the approved value of a return buys replacement goods.

``create_exchange`` moves an approved return to exchanged, opens a replacement order (``RO-…``)
that reserves the goods (available -> reserved), credits the returned goods with a credit note and
settles the difference: a positive difference is collected from the customer, a negative one is
refunded — a refund row like any other, so a return is still paid out at most once. The replacement
is then handed over (:func:`fulfil_replacement`, reserved -> customer) or cancelled
(:func:`cancel_replacement`, reserved -> available; its value is owed to the customer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from returndesk.domain.codes import clean_text
from returndesk.domain.errors import AlreadyDone, NotFound, PolicyViolation, ValidationFailed
from returndesk.domain.lifecycle import Action
from returndesk.domain.money import allocate, format_money
from returndesk.domain.permissions import Permission
from returndesk.domain.scan import looks_like_rma, parse_rma
from returndesk.domain.types import Location, RefundMethod, Resolution
from returndesk.store.schema import (
    CreditNote,
    Product,
    Refund,
    RefundLine,
    ReplacementLine,
    ReplacementOrder,
    Return,
    ReturnLine,
)

from returndesk.services.tx import audit, refcache, stock
from returndesk.services.usecases import finance
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
from returndesk.services.tx.views import ReturnDetail, return_detail

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
        ReplacementLineView(p.id, p.sku, p.name, line.quantity, line.unit_price_minor)
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
        created_at=order.created_at, lines=lines,
    )


def _resolve_products(
    session: Session, replacements: Sequence[tuple[int | str, int]]
) -> list[tuple[Product, int]]:
    """Products and quantities asked for, by id or SKU (or barcode), merged per product."""
    if not replacements:
        raise ValidationFailed("Choose at least one replacement item for the exchange.")
    wanted: dict[int, int] = {}
    products: dict[int, Product] = {}
    problems: list[str] = []
    for ref, qty in replacements:
        if isinstance(qty, bool) or not isinstance(qty, int) or qty < 1:
            problems.append(f"The quantity of {ref} must be a whole number of at least 1, not {qty!r}.")
            continue
        if isinstance(ref, int) and not isinstance(ref, bool):
            product = session.get(Product, ref)
        else:
            code = clean_text(str(ref), what="The product code")
            product = session.execute(
                select(Product).where(Product.sku == code.upper())
            ).scalar_one_or_none() or session.execute(
                select(Product).where(Product.barcode == code).limit(1)
            ).scalar_one_or_none()
        if product is None:
            problems.append(f"No product {ref} exists; check the SKU or scan the item again.")
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
            f"Return {ret.rma_no} cannot be exchanged: the reason '{names}' allows a refund only."
            " Issue a refund instead."
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
    with guarded_write(ctx, f"return {rma_no}", actor) as s:
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
) -> ExchangeResult:
    """:func:`create_exchange` inside the caller's transaction."""
    actor.require(Permission.EXCHANGE)
    ret = lock_return(s, rma_no)
    earlier = s.execute(
        select(ReplacementOrder).where(ReplacementOrder.return_id == ret.id)
    ).scalar_one_or_none()
    if earlier is not None:
        raise AlreadyDone(
            f"Return {ret.rma_no} was exchanged already (replacement order {earlier.order_no},"
            f" {earlier.created_at:%Y-%m-%d %H:%M}). Nothing was changed."
        )
    paid = existing_refund(s, ret.id)
    if paid is not None:
        view = refund_view(s, paid)
        raise AlreadyDone(
            f"Return {ret.rma_no} was refunded already ({view.refund_no},"
            f" {format_money(view.amount_minor, view.currency)}, by {view.issued_by}, at"
            f" {view.issued_at:%Y-%m-%d %H:%M}); it cannot be exchanged as well."
        )
    check_version(s, ret, expected_version)
    require_state(s, ret, Action.EXCHANGE)

    lines = return_lines(s, ret)
    _check_reasons_allow_exchange(s, ret, lines)
    check_lines_add_up(approved_refund(ret, lines))
    order_lines = lock_order_lines(s, (line.order_line_id for line in lines))
    wanted = _resolve_products(s, replacements)
    locked = lock_products(s, (p.id for p, _ in wanted))
    short = []
    for product, qty in wanted:
        have = stock.on_hand(s, product.id, Location.AVAILABLE)
        if have < qty:
            short.append(
                f"{product.sku} {product.name}: {qty} wanted, only {have} available."
            )
    if short:
        raise ValidationFailed(
            "Not enough stock for the replacement. " + " ".join(short)
            + " Choose fewer or other items, or refund instead.",
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

    memo = f"Exchange {order.order_no} of return {ret.rma_no}"
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


def _reference(reference: str) -> str:
    """A replacement order number or an RMA (written any way the scanner accepts it)."""
    text = clean_text(reference, what="The replacement order or RMA number").upper()
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
            f"No replacement order {reference} exists. Give the RO number or the return's RMA."
        )
    return order


def _require_reserved(order: ReplacementOrder, verb: str) -> None:
    if order.status != RESERVED:
        raise AlreadyDone(
            f"Replacement order {order.order_no} cannot be {verb}: it was {order.status} already."
        )


def fulfil_replacement(ctx: ServiceContext, actor: Actor, order_no: str) -> ReplacementView:
    """Hand the replacement goods over (or ship them): reserved -> customer, cost out of inventory.

    ``order_no`` is the replacement order's number or the RMA of its return.
    """
    actor.require(Permission.EXCHANGE)
    with guarded_write(ctx, f"replacement order {order_no}", actor) as s:
        view = fulfil_replacement_in(s, ctx, actor, order_no)
        return_id = s.execute(select(Return.id).where(Return.rma_no == view.rma_no)).scalar_one()
    ctx.changed("return", return_id)
    return view


def fulfil_replacement_in(s: Session, ctx: ServiceContext, actor: Actor, order_no: str) -> ReplacementView:
    """:func:`fulfil_replacement` inside the caller's transaction."""
    actor.require(Permission.EXCHANGE)
    order = _lock_replacement(s, order_no)
    _require_reserved(order, "handed over")
    rma_no = s.execute(select(Return.rma_no).where(Return.id == order.return_id)).scalar_one()
    cost = 0
    for line in order.lines:
        product = s.get(Product, line.product_id)
        assert product is not None
        cost += product.cost_minor * line.quantity
        stock.move(s, ctx, actor, product_id=line.product_id, from_location=Location.RESERVED,
                   to_location=Location.CUSTOMER, quantity=line.quantity,
                   reason="replacement_delivered", return_id=order.return_id)
    memo = f"Replacement {order.order_no} of return {rma_no} handed over"
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
    with guarded_write(ctx, f"replacement order {order_no}", actor) as s:
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
            "Write why the replacement is cancelled (at least 5 characters); finance needs it to"
            " settle the customer's credit."
        )
    order = _lock_replacement(s, order_no)
    _require_reserved(order, "cancelled")
    rma_no = s.execute(select(Return.rma_no).where(Return.id == order.return_id)).scalar_one()
    tax = 0
    for line in order.lines:
        product = s.get(Product, line.product_id)
        assert product is not None
        tax += finance.tax_inside(line.unit_price_minor * line.quantity, product.tax_rate_bp)
        stock.move(s, ctx, actor, product_id=line.product_id, from_location=Location.RESERVED,
                   to_location=Location.AVAILABLE, quantity=line.quantity,
                   reason="replacement_cancelled", return_id=order.return_id)
    memo = f"Replacement {order.order_no} of return {rma_no} cancelled"
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
