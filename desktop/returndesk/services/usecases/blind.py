"""Returns without a receipt (无小票退货, "blind returns") at the counter.

The customer brings an item but no receipt, and no sale of theirs can be found. The item is found
by its barcode (or SKU); it is refunded at the **lowest price it sold for in the last N days**
(``PolicyRules.blind_price_days``; from the sales lines, never above today's list price), **as store
credit only**, and only with a **supervisor's sign-off** on the clerk's screen. The customer is
named by their phone (an unknown one is added with their name), and the return is flagged as
without a receipt in their history.

How it is recorded: a return always belongs to a sale, so the claimed purchase is recorded as a
sale of its own — channel ``no_receipt``, number ``NR-<year>-NNNNNN``, one line at the price the
refund is based on, made the moment the return is taken, for that customer. It says plainly what
happened (an item came back without proof of purchase, at this price) and lets the return go the
usual way: received, inspected at the counter, approved by the supervisor who signed off (their
policy override is recorded with the reason "no receipt"), refunded as store credit with its credit
note and journal entry. Such sales are never a price of their own: the lowest price ignores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from returndesk.domain.messages import msg

if TYPE_CHECKING:
    from returndesk.services.usecases.counter import CounterResult

from returndesk.domain.codes import clean_text, normalize_phone
from returndesk.domain.errors import NotFound, PolicyViolation, ValidationFailed
from returndesk.domain.money import format_money
from returndesk.domain.permissions import Permission
from returndesk.domain.postings import tax_inside
from returndesk.domain.types import NO_RECEIPT_CHANNEL, Channel, Grade, RefundMethod, Resolution
from returndesk.store.schema import Customer, Product, Return, SalesOrder, SalesOrderLine

from returndesk.services.tx import audit, sequences
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.usecases import auth, intake
from returndesk.services.usecases.auth import SignOff
from returndesk.services.usecases.sales import load_active_policy, load_reasons
from returndesk.services.usecases.sites import site_of_station

#: Longest customer name kept.
NAME_LENGTH = 120


@dataclass(frozen=True)
class BlindDraft:
    """A return without a receipt as the clerk has filled it in."""

    product: str  # the scanned barcode, or the SKU
    quantity: int
    reason_code: str
    customer_phone: str
    customer_name: str | None = None  # needed when the phone is not a customer's yet
    conditions_met: frozenset[str] = frozenset()
    notes: str | None = None


@dataclass(frozen=True)
class BlindQuote:
    """What a return without a receipt would refund, and why that price, saving nothing."""

    product_id: int
    sku: str
    barcode: str | None
    product_name: str
    product_name_zh: str | None
    serial_tracked: bool
    list_price_minor: int
    unit_price_minor: int  # refunded per unit (before the policy's deductions for the grade)
    lowest_sold_minor: int | None  # lowest unit price paid in the window; None: no sale in it
    lowest_sold_at: datetime | None
    days: int
    quantity: int
    total_minor: int
    currency: str
    customer_id: int | None
    customer_name: str | None
    earlier_no_receipt: int  # the customer's earlier returns without a receipt
    refund_method: str = RefundMethod.STORE_CREDIT.value


def _product(s: Session, code: str) -> Product:
    text = clean_text(code, what=msg("The product code"), max_length=40)
    if not text:
        raise ValidationFailed(msg("Scan the item's barcode or type its SKU."))
    product = s.execute(select(Product).where(Product.barcode == text).limit(1)).scalar_one_or_none() \
        or s.execute(select(Product).where(Product.sku == text.upper())).scalar_one_or_none()
    if product is None:
        raise NotFound(msg(
            "No product has the barcode or SKU {text}; scan the item again or type its SKU.",
            text=text[:32]))
    return product


def _customer(s: Session, phone: str | None) -> Customer | None:
    if not phone or not str(phone).strip():
        return None
    digits = normalize_phone(phone, what=msg("The customer's phone"))
    return s.execute(
        select(Customer).where(Customer.phone == digits).order_by(Customer.id).limit(1)
    ).scalar_one_or_none()


def lowest_price(s: Session, product: Product, since: datetime) -> tuple[int | None, datetime | None]:
    """The lowest unit price paid for ``product`` since ``since`` (per sales line: paid / quantity,
    rounded down), and when; returns without a receipt do not count."""
    row = s.execute(
        select(func.min(SalesOrderLine.paid_minor * 1.0 / SalesOrderLine.quantity))
        .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .where(SalesOrderLine.product_id == product.id, SalesOrderLine.quantity > 0,
               SalesOrder.sold_at >= since, SalesOrder.channel != NO_RECEIPT_CHANNEL)
    ).scalar_one_or_none()
    if row is None:
        return None, None
    lowest = int(row)  # rounded down: never more than was paid
    when = s.execute(
        select(SalesOrder.sold_at)
        .join(SalesOrderLine, SalesOrderLine.order_id == SalesOrder.id)
        .where(SalesOrderLine.product_id == product.id, SalesOrderLine.quantity > 0,
               SalesOrder.sold_at >= since, SalesOrder.channel != NO_RECEIPT_CHANNEL,
               SalesOrderLine.paid_minor < (lowest + 1) * SalesOrderLine.quantity)
        .order_by(SalesOrder.sold_at.desc()).limit(1)
    ).scalar_one_or_none()
    return lowest, when


def _earlier(s: Session, customer: Customer | None) -> int:
    if customer is None:
        return 0
    return int(s.execute(
        select(func.count()).select_from(Return).join(SalesOrder, SalesOrder.id == Return.order_id)
        .where(Return.customer_id == customer.id, SalesOrder.channel == NO_RECEIPT_CHANNEL)
    ).scalar_one())


def _quote_in(s: Session, ctx: ServiceContext, code: str, quantity: int, phone: str | None) -> BlindQuote:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise ValidationFailed(msg(
            "The quantity must be a whole number of at least 1, not {quantity!r}.",
            quantity=quantity))
    product = _product(s, code)
    rules = load_active_policy(s).rules
    days = rules.blind_price_days
    lowest, when = lowest_price(s, product, ctx.now() - timedelta(days=days))
    unit = min(product.price_minor, lowest) if lowest is not None else product.price_minor
    customer = _customer(s, phone)
    currency = s.execute(select(SalesOrder.currency).order_by(SalesOrder.id.desc()).limit(1)).scalar() or "CNY"
    return BlindQuote(
        product_id=product.id, sku=product.sku, barcode=product.barcode, product_name=product.name,
        product_name_zh=product.name_zh, serial_tracked=product.serial_tracked,
        list_price_minor=product.price_minor, unit_price_minor=unit, lowest_sold_minor=lowest,
        lowest_sold_at=when, days=days, quantity=quantity, total_minor=unit * quantity, currency=currency,
        customer_id=customer.id if customer else None, customer_name=customer.name if customer else None,
        earlier_no_receipt=_earlier(s, customer),
    )


def quote_blind_return(
    ctx: ServiceContext, actor: Actor, product: str, *, quantity: int = 1, customer_phone: str | None = None
) -> BlindQuote:
    """What a return without a receipt of ``product`` would refund per unit and why; the customer
    the phone names and their earlier returns without a receipt. Saves nothing."""
    actor.require(Permission.CREATE_RETURN)
    with ctx.read(actor) as s:
        return _quote_in(s, ctx, product, quantity, customer_phone)


def blind_return(ctx: ServiceContext, actor: Actor, draft: BlindDraft, sign_off: SignOff | None) -> CounterResult:
    """Take a return without a receipt: priced at the lowest price of the last N days, refunded as
    store credit, approved by the supervisor who signed off on this screen; one transaction.

    Refused whole, with the reason, when the item cannot be returned (a non-returnable category,
    a serial-numbered item whose serial cannot be checked), the customer is not named, or no
    supervisor signed off (a wrong password counts toward their lockout).
    """
    from returndesk.services.usecases.counter import counter_return_in

    for permission in (Permission.CREATE_RETURN, Permission.AUTHORIZE_RETURN, Permission.RECEIVE,
                       Permission.INSPECT):
        actor.require(permission)
    phone = (draft.customer_phone or "").strip()
    if not phone:
        raise ValidationFailed(msg(
            "A return without a receipt needs the customer's phone number: it is kept in their history."))
    digits = normalize_phone(phone, what=msg("The customer's phone"))
    with ctx.read(actor) as s:
        reasons = load_reasons(s)
        product = _product(s, draft.product)
        if product.serial_tracked:
            raise PolicyViolation(
                msg(
                    "{sku} {name} is serial-numbered: without a receipt its serial number cannot be checked against "
                    "a sale, so it is not taken back. Find the customer's sale instead.",
                    sku=product.sku, name=product.name)
            )
        rules = load_active_policy(s).rules
        if not product.returnable or not rules.is_category_returnable(product.category):
            raise PolicyViolation(msg("{sku} {name} can never be returned.", sku=product.sku, name=product.name))
    reason = reasons.get(str(draft.reason_code or ""))
    if reason is None or not reason.active:
        raise ValidationFailed(msg(
            "'{reason_code}' is not a return reason in use; choose one from the list.",
            reason_code=draft.reason_code))
    if sign_off is None:
        raise ValidationFailed(msg("A return without a receipt needs a supervisor's sign-off on this screen."))
    supervisor = auth.verify_sign_off(ctx, actor, sign_off)
    name = " ".join((draft.customer_name or "").split())[:NAME_LENGTH]
    with guarded_write(ctx, msg("the return without a receipt of {product}", product=draft.product), actor) as s:
        now = ctx.now()
        by_phone = select(Customer).where(Customer.phone == digits).order_by(Customer.id).limit(1)
        customer = s.execute(by_phone).scalar_one_or_none()
        if customer is None:
            # Looked for again behind the customer numbers' lock: a counter adding the same new
            # customer at the same moment adds them once, and this return joins their history.
            sequences.lock_sequence(s, "customer")
            customer = s.execute(by_phone).scalar_one_or_none()
        if customer is None:
            if not name:
                raise ValidationFailed(
                    msg("No customer has the phone {digits}; type the customer's name to add them.", digits=digits))
            code = f"C-{sequences.next_value(s, 'customer'):06d}"
            while s.execute(select(Customer.id).where(Customer.code == code)).first() is not None:
                # A code the shop's own customer file gave someone already: the next one.
                code = f"C-{sequences.next_value(s, 'customer'):06d}"
            customer = Customer(code=code, name=name, phone=digits, created_at=now)
            s.add(customer)
            s.flush()
            audit.record(s, ctx, actor, "customer", customer.code, "created", None,
                         {"name": name, "phone": digits, "source": "return without a receipt"})
        quote = _quote_in(s, ctx, draft.product, draft.quantity, digits)
        paid = quote.total_minor
        order = SalesOrder(
            order_no=sequences.next_document_no(s, "no_receipt", "NR", now.year), channel=NO_RECEIPT_CHANNEL,
            customer_id=customer.id, sold_at=now, delivered_at=now, payment_method=NO_RECEIPT_CHANNEL,
            currency=quote.currency, shipping_minor=0, total_paid_minor=paid,
            site=site_of_station(s, actor.station or ctx.station),
        )
        s.add(order)
        s.flush()
        product_row = s.get(Product, quote.product_id)
        assert product_row is not None
        line = SalesOrderLine(order_id=order.id, line_no=1, product_id=quote.product_id, quantity=draft.quantity,
                              unit_price_minor=quote.unit_price_minor, discount_minor=0,
                              tax_minor=tax_inside(paid, product_row.tax_rate_bp), paid_minor=paid,
                              qty_in_process=0, qty_returned=0, refunded_minor=0)
        s.add(line)
        s.flush()
        price = format_money(quote.unit_price_minor, quote.currency)
        text = (msg("No receipt: refunded as store credit at the lowest price of the last {days} days ({price}).",
                    days=quote.days, price=price)
                if quote.lowest_sold_minor is not None and quote.lowest_sold_minor <= quote.list_price_minor
                else msg("No receipt: refunded as store credit at today's price ({price}); no lower sale in the last"
                         " {days} days.", days=quote.days, price=price))
        audit.record(s, ctx, actor, "sales_order", order.order_no, "no_receipt", None,
                     {"product": quote.sku, "quantity": draft.quantity, "unit_price_minor": quote.unit_price_minor,
                      "lowest_sold_minor": quote.lowest_sold_minor, "days": quote.days,
                      "list_price_minor": quote.list_price_minor, "customer": customer.code,
                      "signed_off_by": supervisor.username})
        return_draft = intake.ReturnDraft(
            order_no=order.order_no, channel=Channel.COUNTER, refund_method=RefundMethod.STORE_CREDIT,
            lines=(intake.DraftLine(line.id, draft.quantity, reason.code, Resolution.REFUND,
                                    conditions_met=frozenset(draft.conditions_met)),),
            notes=" ".join((draft.notes or "").split()) or None,
            # Conditions the item does not meet are the supervisor's to accept, for the same reason.
            override_reason=text,
        )
        result = counter_return_in(s, ctx, actor, return_draft, complete_on_spot=True,
                                                  grade=Grade.A, supervisor=supervisor, no_receipt=text)
    ctx.changed("return", result.detail.id)
    return result


def is_no_receipt(order_channel: str | None) -> bool:
    """True for the sale recorded by a return without a receipt."""
    return order_channel == NO_RECEIPT_CHANNEL


__all__ = ["NO_RECEIPT_CHANNEL", "BlindDraft", "BlindQuote", "blind_return", "is_no_receipt", "lowest_price",
           "quote_blind_return"]

