"""What other systems and customers ask of ReturnDesk: a web shop's return request, a customer's
status lookup, and the published return policy.

* :func:`request_return` — the web shop sends a return request for an order (lines by SKU or line
  number, reasons, the resolution the customer asks for). It becomes a return in ``requested`` that
  waits in customer service's review queue, judged by the same intake rules as at the counter.
* :func:`customer_return_status` — the customer gives the RMA and the phone or e-mail of the order
  and learns where the return is and, once paid, the refund. Without the right contact the answer
  is the same as for an unknown RMA, so RMAs cannot be probed.
* :func:`published_policy` — the active policy with the names of categories, conditions and
  reasons, as the shop publishes it (the server renders it as a page and as JSON).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from returndesk.domain.codes import clean_text, normalize_phone, normalize_sku
from returndesk.domain.errors import NotFound, ValidationFailed
from returndesk.domain.permissions import Permission
from returndesk.domain.policy import CONDITION_LABELS
from returndesk.domain.review import question_text
from returndesk.domain.scan import normalize_order, parse_rma
from returndesk.domain.types import Channel, RefundMethod, ReturnStatus
from returndesk.store.schema import (
    Category,
    Customer,
    Product,
    Refund,
    Return,
    ReturnQuestion,
    ReturnReason,
    SalesOrder,
    SalesOrderLine,
)

from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.tx.settlement import lock_return
from returndesk.services.usecases import review
from returndesk.services.usecases.intake import DraftLine, ReturnDraft, create_return_in
from returndesk.services.usecases.sales import PolicyView, load_judging_policy
from returndesk.services.usecases.sites import zone_name_for_order_id
from returndesk.services.tx.views import ReturnDetail, return_detail
from returndesk.domain.messages import join, msg

MAX_LINES = 100


@dataclass(frozen=True)
class ShopReturnLine:
    """One line of a web shop's request: the SKU (or the order's line number) and why."""

    quantity: int
    reason: str
    sku: str | None = None
    line_no: int | None = None
    resolution: str = "refund"
    notes: str | None = None


@dataclass(frozen=True)
class ShopReturnRequest:
    order_no: str
    lines: tuple[ShopReturnLine, ...]
    refund_method: str = RefundMethod.ORIGINAL_PAYMENT.value
    notes: str | None = None


def _text(value: object, limit: int) -> str:
    return unicodedata.normalize("NFKC", str(value or "")).strip()[:limit]


def request_return(ctx: ServiceContext, actor: Actor, request: ShopReturnRequest) -> ReturnDetail:
    """Create the return a web shop asks for, in ``requested``, for customer service to review."""
    order_no = normalize_order(request.order_no)
    problems: list[str] = []
    if not request.lines:
        raise ValidationFailed(msg("The request has no lines; name at least one item to return."))
    if len(request.lines) > MAX_LINES:
        raise ValidationFailed(msg("A request may have at most {max_lines} lines.", max_lines=MAX_LINES))
    with ctx.read(actor) as s:
        order_id = s.execute(select(SalesOrder.id).where(SalesOrder.order_no == order_no)).scalar_one_or_none()
        if order_id is None:
            raise NotFound(msg("There is no order {order_no}.", order_no=order_no[:40]))
        rows = s.execute(select(SalesOrderLine.id, SalesOrderLine.line_no, Product.sku)
                         .join(Product, Product.id == SalesOrderLine.product_id)
                         .where(SalesOrderLine.order_id == order_id)
                         .order_by(SalesOrderLine.line_no)).all()
    by_no = {row.line_no: row.id for row in rows}
    by_sku: dict[str, list[int]] = {}
    for row in rows:
        by_sku.setdefault(row.sku.upper(), []).append(row.id)
    lines: list[DraftLine] = []
    for n, line in enumerate(request.lines, start=1):
        if line.line_no is not None:
            line_id = by_no.get(line.line_no)
            if line_id is None:
                problems.append(msg(
                    "Line {n}: order {order_no} has no line {line_no}.",
                    n=n, order_no=order_no, line_no=line.line_no))
                continue
        else:
            try:
                sku = normalize_sku(line.sku, what=msg("Line {n}: the SKU", n=n))
            except ValidationFailed as exc:
                problems.append(exc.message)
                continue
            candidates = by_sku.get(sku, [])
            if not candidates:
                problems.append(msg("Line {n}: {sku} is not on order {order_no}.", n=n, sku=sku, order_no=order_no))
                continue
            if len(candidates) > 1:
                problems.append(msg(
                    "Line {n}: {sku} is on several lines of order {order_no}; give line_no.",
                    n=n, sku=sku, order_no=order_no))
                continue
            line_id = candidates[0]
        lines.append(DraftLine(order_line_id=line_id, quantity=line.quantity, reason_code=_text(line.reason, 32),
                               resolution=_text(line.resolution, 16) or "refund",
                               condition_notes=_text(line.notes, 500) or None))
    if problems:
        raise ValidationFailed(
            msg("The return request was not accepted: {problems}", problems=join(problems)), problems)
    draft = ReturnDraft(order_no=order_no, channel=Channel.REMOTE, refund_method=_text(request.refund_method, 24),
                        lines=tuple(lines), notes=_text(request.notes, 1000) or None)
    actor.require(Permission.CREATE_RETURN)
    # Lines outside the policy (late, conditions not met) are not refused: the request waits in
    # customer service's queue with each line's verdict, and a supervisor decides on the exception.
    with guarded_write(ctx, msg("order {order_no}", order_no=order_no), actor) as s:
        ret = create_return_in(s, ctx, actor, draft, submit=True, exceptions_to_review=True)
        detail = return_detail(s, ret)
    ctx.changed("return", detail.id)
    return detail


@dataclass(frozen=True)
class CustomerReturnStatus:
    """What a customer may see of their return."""

    rma_no: str
    status: str
    order_no: str
    created_at: datetime
    status_changed_at: datetime
    receive_by: object  # date | None
    refund_minor: int | None
    refund_method: str | None
    refunded_at: datetime | None
    currency: str
    time_zone: str = "UTC"  # the zone of the site that made the sale: times are shown in it
    #: When customer service sent the return label to the web shop (None: not sent that way).
    label_sent_at: datetime | None = None
    #: The question customer service is waiting on the customer to answer (None: none open).
    question: str | None = None
    question_asked_at: datetime | None = None


def _contact_matches(given: str, phone: str | None, email: str | None) -> bool:
    try:
        given = clean_text(given, what=msg("The phone or e-mail"), max_length=160)
    except ValidationFailed:
        return False
    if "@" in given:
        return email is not None and email.strip() != "" and given.casefold() == email.strip().casefold()
    try:
        return phone is not None and phone != "" and normalize_phone(given) == normalize_phone(phone)
    except ValidationFailed:
        return False


_UNKNOWN = msg("No return matches this RMA number and phone or e-mail. Check both and try again.")


def _status_row(s: Session, rma_text: str, contact: str) -> Any:
    """The return's row for a customer who gives its RMA and the order's phone or e-mail, or
    ``NotFound`` with one sentence whatever was wrong (so RMAs cannot be probed)."""
    try:
        rma_no = parse_rma(rma_text)
    except ValidationFailed:
        raise NotFound(_UNKNOWN) from None
    row = s.execute(
        select(Return.id, Return.rma_no, Return.status, Return.created_at, Return.status_changed_at,
               Return.receive_by, Return.label_sent_at, SalesOrder.id.label("order_id"), SalesOrder.order_no,
               SalesOrder.currency,
               Customer.phone, Customer.email, Refund.amount_minor, Refund.method, Refund.issued_at)
        .join(SalesOrder, SalesOrder.id == Return.order_id)
        .outerjoin(Customer, Customer.id == SalesOrder.customer_id)
        .outerjoin(Refund, Refund.return_id == Return.id)
        .where(Return.rma_no == rma_no)
    ).one_or_none()
    if row is None or not _contact_matches(contact, row.phone, row.email):
        raise NotFound(_UNKNOWN)
    return row


def _status_of(s: Session, row: Any) -> CustomerReturnStatus:
    question = None
    if row.status == ReturnStatus.WAITING_FOR_CUSTOMER.value:
        question = s.execute(
            select(ReturnQuestion.question, ReturnQuestion.asked_at)
            .where(ReturnQuestion.return_id == row.id, ReturnQuestion.answered_at.is_(None))
            .order_by(ReturnQuestion.id.desc()).limit(1)
        ).one_or_none()
    return CustomerReturnStatus(
        row.rma_no, row.status, row.order_no, row.created_at, row.status_changed_at, row.receive_by,
        row.amount_minor, row.method, row.issued_at, row.currency or "CNY",
        time_zone=zone_name_for_order_id(s, row.order_id), label_sent_at=row.label_sent_at,
        question=question.question if question else None, question_asked_at=question.asked_at if question else None)


def customer_return_status(ctx: ServiceContext, rma_text: str, contact: str) -> CustomerReturnStatus:
    """The status of a return for a customer who gives its RMA and the order's phone or e-mail:
    where it is, the refund once paid, whether the label was sent, and a question customer
    service waits on the customer to answer."""
    with ctx.db.read() as s:
        return _status_of(s, _status_row(s, rma_text, contact))


def answer_customer_question(ctx: ServiceContext, actor: Actor | None, rma_text: str, contact: str,
                             answer: str) -> CustomerReturnStatus:
    """The customer answers customer service's question (on the status page, ``actor`` None, or
    through the web shop, ``actor`` its API user): the answer is kept with the question and the
    request goes back to the review queue. Refused with a sentence when no question is open."""
    question_text(answer, msg("answer"))
    with guarded_write(ctx, msg("the return"), actor) as s:
        row = _status_row(s, rma_text, contact)
        if row.status != ReturnStatus.WAITING_FOR_CUSTOMER.value:
            raise ValidationFailed(msg("There is no open question on this return; nothing needs an answer."))
        ret = lock_return(s, row.rma_no)
        if ret.status != ReturnStatus.WAITING_FOR_CUSTOMER.value:
            raise ValidationFailed(msg("There is no open question on this return; nothing needs an answer."))
        review.answer_in(s, ctx, actor, ret, answer, via="web_shop" if actor is not None else "status_page")
        status = _status_of(s, _status_row(s, rma_text, contact))
        return_id = ret.id
    ctx.changed("return", return_id)
    return status


@dataclass(frozen=True)
class NamedRule:
    code: str
    name_en: str
    name_zh: str
    days: int | None = None
    vendor_fault: bool = False


@dataclass(frozen=True)
class PublishedPolicy:
    """The active policy with the names a customer reads."""

    policy: PolicyView
    categories: tuple[NamedRule, ...]  # with their own window, or not returnable (days None)
    conditions: tuple[NamedRule, ...]
    reasons: tuple[NamedRule, ...]


CONDITION_NAMES_ZH = {
    "original_packaging": "原包装完好",
    "tags_attached": "吊牌齐全",
    "accessories_complete": "配件齐全",
    "proof_of_purchase": "购物凭证",
    "seal_intact": "出厂封条完好",
}


def published_policy(ctx: ServiceContext) -> PublishedPolicy:
    """The policy new returns are judged by, as published to customers (no sign-in needed)."""
    with ctx.db.read() as s:
        policy = load_judging_policy(s, ctx.now())
        names = {row.code: row for row in s.execute(select(Category)).scalars()}
        reasons = s.execute(select(ReturnReason).where(ReturnReason.active.is_(True))
                            .order_by(ReturnReason.sort_order, ReturnReason.code)).scalars().all()
        reason_rules = tuple(NamedRule(r.code, r.name_en, r.name_zh, vendor_fault=r.vendor_fault) for r in reasons)
    rules = policy.rules

    def named(code: str, days: int | None) -> NamedRule:
        row = names.get(code) or names.get(code.lower())
        return NamedRule(code, row.name_en if row else code, row.name_zh if row else code, days)

    categories = tuple(named(code, days) for code, days in sorted(rules.category_windows.items()))
    categories += tuple(named(code, None) for code in sorted(rules.non_returnable_categories))
    conditions = tuple(NamedRule(code, CONDITION_LABELS.get(code, code.replace("_", " ")),
                                 CONDITION_NAMES_ZH.get(code, code)) for code in rules.required_conditions)
    return PublishedPolicy(policy, categories, conditions, reason_rules)
