"""What each printed document shows, as frozen dataclasses.

The services fill these from the database; the generators only lay them out. Money is ``int``
minor units (cents, 分) with an ISO currency code, never float. ``lang`` chooses the language of
the printed captions ("en" or "zh_CN"); names and addresses are printed as given. ``reprint`` is 0
for the original and n > 0 for the n-th reprint, which is marked visibly on the page.

Each class checks its own figures on construction (a receipt whose lines do not add up to its
total is refused with ``ValidationFailed`` rather than printed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, get_args

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.scan import MAX_ITEM_CODE_LENGTH, parse_rma
from returndesk.domain.types import Disposition, Grade, RefundMethod
from returndesk.domain.messages import msg

Lang = Literal["en", "zh_CN"]
LANGUAGES: tuple[str, ...] = get_args(Lang)


def check_lang(lang: str) -> None:
    """Refuse a language the documents are not written in."""
    if lang not in LANGUAGES:
        raise ValidationFailed(
            msg("Documents are printed in {languages}, not '{lang}'.", languages=' or '.join(LANGUAGES), lang=lang)
        )


def _check_common(what: str, lang: str, reprint: int) -> None:
    check_lang(lang)
    if isinstance(reprint, bool) or not isinstance(reprint, int) or reprint < 0:
        raise ValidationFailed(
            msg(
                "The reprint number of a {what} must be 0 (original) or a positive count, not {reprint!r}.",
                what=what, reprint=reprint)
        )


def _check_rma(what: str, rma: str) -> None:
    # A label with a malformed RMA would be refused at the scanning station; refuse it here.
    if parse_rma(rma) != rma:
        raise ValidationFailed(
            msg(
                "The {what} needs the RMA number in its canonical form ({rma}), not '{rma2}'.",
                what=what, rma=parse_rma(rma), rma2=rma)
        )


def check_code(what: str, code: str) -> None:
    """A code printed as Code 128 and scanned back must be printable ASCII without spaces."""
    if not code:
        raise ValidationFailed(msg("The {what} is empty.", what=what))
    if not code.isascii() or not code.isprintable() or any(ch.isspace() for ch in code):
        raise ValidationFailed(
            msg(
                "The {what} '{code}' cannot be printed as a barcode: use letters, digits and punctuation only (no "
                "spaces, no Chinese characters).",
                what=what, code=code)
        )
    if len(code) > MAX_ITEM_CODE_LENGTH:
        raise ValidationFailed(
            msg(
                "The {what} '{code}' is {code_count} characters long; at most {max_item_code_length} fit a label.",
                what=what, code=code, code_count=len(code), max_item_code_length=MAX_ITEM_CODE_LENGTH)
        )


def _check_money(what: str, amount: int, *, negative_ok: bool = False) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationFailed(
            msg(
                "The {what} must be an integer amount of minor units (cents), not {amount!r}.",
                what=what, amount=amount)
        )
    if amount < 0 and not negative_ok:
        raise ValidationFailed(msg("The {what} cannot be negative ({amount}).", what=what, amount=amount))


def _check_currency(currency: str) -> None:
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha() or not currency.isupper():
        raise ValidationFailed(msg(
            "'{currency}' is not an ISO currency code such as CNY or USD.",
            currency=currency))


def _as_tuple(obj: object, field: str) -> None:
    value = getattr(obj, field)
    if isinstance(value, str):
        raise ValidationFailed(msg("{field} must be a sequence of lines, not a single string.", field=field))
    object.__setattr__(obj, field, tuple(value))


def _require_text(what: str, text: str) -> None:
    if not text or not text.strip():
        raise ValidationFailed(msg("The {what} is empty.", what=what))


@dataclass(frozen=True)
class ReturnLabelData:
    """The parcel label a remote customer sticks on the box (4x6 in or 100x150 mm).

    ``return_to`` holds the warehouse address, one printed line each, addressee first.
    """

    rma: str
    created_on: date
    customer_name: str
    return_to: tuple[str, ...]
    item_count: int
    company_name: str
    lang: Lang = "en"
    reprint: int = 0

    def __post_init__(self) -> None:
        _check_common("return label", self.lang, self.reprint)
        _check_rma("return label", self.rma)
        _as_tuple(self, "return_to")
        if not self.return_to or not any(line.strip() for line in self.return_to):
            raise ValidationFailed(msg("The return label needs the address of the receiving warehouse."))
        _require_text("customer name", self.customer_name)
        _require_text("company name", self.company_name)
        if not isinstance(self.created_on, date):
            raise ValidationFailed(msg(
                "The label date must be a date, not {created_on!r}.",
                created_on=self.created_on))
        if isinstance(self.item_count, bool) or not isinstance(self.item_count, int) or self.item_count < 1:
            raise ValidationFailed(
                msg("A return label is for at least one item, not {item_count!r}.", item_count=self.item_count)
            )


@dataclass(frozen=True)
class ReceiptLine:
    """One returned line on the counter receipt.

    ``unit_amount`` is the unit price paid (after discounts, with tax); ``deductions`` is what
    the line loses to grade factors and restocking fees; ``refund_amount`` is what is left.
    """

    sku: str
    name: str
    quantity: int
    unit_amount: int
    deductions: int
    refund_amount: int

    def __post_init__(self) -> None:
        _require_text("line description", self.name)
        check_code("SKU", self.sku)
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or self.quantity < 1:
            raise ValidationFailed(msg(
                "Line {sku}: the quantity must be at least 1, not {quantity!r}.",
                sku=self.sku, quantity=self.quantity))
        _check_money(f"unit amount of {self.sku}", self.unit_amount)
        _check_money(f"deductions of {self.sku}", self.deductions)
        _check_money(f"refund amount of {self.sku}", self.refund_amount)
        if self.refund_amount != self.gross - self.deductions:
            raise ValidationFailed(
                msg(
                    "Line {sku}: {quantity} x {unit_amount} - {deductions} is {gross}, but the refund amount says "
                    "{refund_amount}.",
                    sku=self.sku, quantity=self.quantity, unit_amount=self.unit_amount, deductions=self.deductions,
                    gross=self.gross - self.deductions, refund_amount=self.refund_amount)
            )

    @property
    def gross(self) -> int:
        """Quantity times unit amount, before deductions."""
        return self.quantity * self.unit_amount


@dataclass(frozen=True)
class ReceiptData:
    """The counter receipt (80 or 58 mm roll) handed to a walk-in customer.

    ``subtotal`` is the sum of the lines' gross amounts; ``deductions`` everything taken off
    (line deductions and any return-level fee); ``total = subtotal - deductions + shipping_refund``.
    """

    store_name: str
    store_address: tuple[str, ...]
    rma: str
    issued_at: datetime
    clerk: str
    customer_name: str
    order_number: str
    lines: tuple[ReceiptLine, ...]
    subtotal: int
    deductions: int
    shipping_refund: int
    total: int
    refund_method: RefundMethod
    currency: str = "CNY"
    policy_text: str = ""
    signature_line: bool = True
    lang: Lang = "en"
    reprint: int = 0

    def __post_init__(self) -> None:
        _check_common("receipt", self.lang, self.reprint)
        _check_rma("receipt", self.rma)
        _check_currency(self.currency)
        _as_tuple(self, "store_address")
        _as_tuple(self, "lines")
        _require_text("store name", self.store_name)
        _require_text("clerk", self.clerk)
        _require_text("customer name", self.customer_name)
        _require_text("order number", self.order_number)
        if not isinstance(self.issued_at, datetime):
            raise ValidationFailed(msg(
                "The receipt time must be a datetime, not {issued_at!r}.",
                issued_at=self.issued_at))
        if not self.lines:
            raise ValidationFailed(msg("A receipt needs at least one returned line."))
        if not isinstance(self.refund_method, RefundMethod):
            object.__setattr__(self, "refund_method", RefundMethod(self.refund_method))
        for name in ("subtotal", "deductions", "shipping_refund", "total"):
            _check_money(name.replace("_", " "), getattr(self, name))
        gross = sum(line.gross for line in self.lines)
        if self.subtotal != gross:
            raise ValidationFailed(
                msg(
                    "The receipt subtotal {subtotal} is not the sum of its lines ({gross}).",
                    subtotal=self.subtotal, gross=gross)
            )
        line_deductions = sum(line.deductions for line in self.lines)
        if self.deductions < line_deductions:
            raise ValidationFailed(
                msg(
                    "The receipt deductions {deductions} are less than the lines' deductions ({line_deductions}).",
                    deductions=self.deductions, line_deductions=line_deductions)
            )
        expected = self.subtotal - self.deductions + self.shipping_refund
        if self.total != expected:
            raise ValidationFailed(
                msg(
                    "The receipt total {total} does not add up: subtotal {subtotal} - deductions {deductions} + "
                    "shipping {shipping_refund} = {expected}.",
                    total=self.total, subtotal=self.subtotal, deductions=self.deductions,
                    shipping_refund=self.shipping_refund, expected=expected)
            )


@dataclass(frozen=True)
class ItemTagData:
    """The small tag (62x29 mm) stuck on an inspected unit for put-away.

    ``unit_number`` counts the units of the return (1-based); ``unit_count`` is the total when known.
    """

    rma: str
    sku: str
    product_name: str
    grade: Grade
    disposition: Disposition
    unit_number: int
    unit_count: int | None = None
    lang: Lang = "en"
    reprint: int = 0

    def __post_init__(self) -> None:
        _check_common("item tag", self.lang, self.reprint)
        _check_rma("item tag", self.rma)
        check_code("SKU", self.sku)
        _require_text("product name", self.product_name)
        object.__setattr__(self, "grade", Grade(self.grade))
        object.__setattr__(self, "disposition", Disposition(self.disposition))
        if isinstance(self.unit_number, bool) or not isinstance(self.unit_number, int) or self.unit_number < 1:
            raise ValidationFailed(msg(
                "The unit number must be 1 or more, not {unit_number!r}.",
                unit_number=self.unit_number))
        if self.unit_count is not None and self.unit_count < self.unit_number:
            raise ValidationFailed(
                msg(
                    "Unit {unit_number} cannot be one of only {unit_count} units.",
                    unit_number=self.unit_number, unit_count=self.unit_count)
            )


@dataclass(frozen=True)
class CreditNoteLine:
    """One credited line: ``net`` before tax, ``tax`` at ``tax_rate`` (0.13 = 13 %), ``gross``."""

    sku: str
    description: str
    quantity: int
    net: int
    tax_rate: Decimal
    tax: int
    gross: int

    def __post_init__(self) -> None:
        check_code("SKU", self.sku)
        _require_text("line description", self.description)
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or self.quantity < 1:
            raise ValidationFailed(msg(
                "Line {sku}: the quantity must be at least 1, not {quantity!r}.",
                sku=self.sku, quantity=self.quantity))
        if isinstance(self.tax_rate, float):
            raise ValidationFailed(msg(
                "Line {sku}: give the tax rate as a Decimal or a string, not a float.",
                sku=self.sku))
        object.__setattr__(self, "tax_rate", Decimal(str(self.tax_rate)))
        if not Decimal(0) <= self.tax_rate < Decimal(1):
            raise ValidationFailed(
                msg(
                    "Line {sku}: the tax rate {tax_rate} must be a fraction, e.g. 0.13 for 13 %.",
                    sku=self.sku, tax_rate=self.tax_rate)
            )
        for name in ("net", "tax", "gross"):
            _check_money(f"{name} of {self.sku}", getattr(self, name))
        if self.gross != self.net + self.tax:
            raise ValidationFailed(
                msg(
                    "Line {sku}: net {net} + tax {tax} is not the gross {gross}.",
                    sku=self.sku, net=self.net, tax=self.tax, gross=self.gross)
            )


@dataclass(frozen=True)
class CreditNoteData:
    """The credit note (A4) that finance files for a refund."""

    credit_note_number: str
    issued_on: date
    company_name: str
    company_address: tuple[str, ...]
    customer_name: str
    customer_address: tuple[str, ...]
    rma: str
    order_number: str
    lines: tuple[CreditNoteLine, ...]
    net_total: int
    tax_total: int
    gross_total: int
    currency: str = "CNY"
    company_tax_id: str = ""
    refund_method: RefundMethod | None = None
    lang: Lang = "en"
    reprint: int = 0

    def __post_init__(self) -> None:
        _check_common("credit note", self.lang, self.reprint)
        _check_rma("credit note", self.rma)
        _check_currency(self.currency)
        _require_text("credit note number", self.credit_note_number)
        _require_text("company name", self.company_name)
        _require_text("customer name", self.customer_name)
        _require_text("order number", self.order_number)
        _as_tuple(self, "company_address")
        _as_tuple(self, "customer_address")
        _as_tuple(self, "lines")
        if not isinstance(self.issued_on, date):
            raise ValidationFailed(msg(
                "The credit note date must be a date, not {issued_on!r}.",
                issued_on=self.issued_on))
        if not self.lines:
            raise ValidationFailed(msg("A credit note needs at least one line."))
        if self.refund_method is not None and not isinstance(self.refund_method, RefundMethod):
            object.__setattr__(self, "refund_method", RefundMethod(self.refund_method))
        for name, part in (("net", "net_total"), ("tax", "tax_total"), ("gross", "gross_total")):
            _check_money(part.replace("_", " "), getattr(self, part))
            summed = sum(getattr(line, name) for line in self.lines)
            if getattr(self, part) != summed:
                raise ValidationFailed(
                    msg(
                        "The credit note's {part} {getattr} is not the sum of its lines ({summed}).",
                        part=part.replace('_', ' '), getattr=getattr(self, part), summed=summed)
                )


@dataclass(frozen=True)
class PackingSlipLine:
    sku: str
    description: str
    quantity: int

    def __post_init__(self) -> None:
        _require_text("SKU", self.sku)
        _require_text("description", self.description)
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or self.quantity < 1:
            raise ValidationFailed(msg(
                "The quantity of {sku} must be 1 or more, not {quantity!r}.",
                sku=self.sku, quantity=self.quantity))


@dataclass(frozen=True)
class PackingSlipData:
    """The packing slip (A4) that goes into the parcel of an exchange's replacement goods."""

    order_number: str  # the replacement order, RO-…
    rma: str
    sales_order: str
    issued_on: date
    company_name: str
    company_address: tuple[str, ...]
    customer_name: str
    customer_address: tuple[str, ...]
    customer_phone: str
    lines: tuple[PackingSlipLine, ...]
    lang: Lang = "en"
    reprint: int = 0

    def __post_init__(self) -> None:
        _check_common("packing slip", self.lang, self.reprint)
        _check_rma("packing slip", self.rma)
        _require_text("replacement order number", self.order_number)
        _require_text("company name", self.company_name)
        _require_text("customer name", self.customer_name)
        _as_tuple(self, "company_address")
        _as_tuple(self, "customer_address")
        _as_tuple(self, "lines")
        if not isinstance(self.issued_on, date):
            raise ValidationFailed(msg(
                "The packing slip date must be a date, not {issued_on!r}.",
                issued_on=self.issued_on))
        if not self.lines:
            raise ValidationFailed(msg("A packing slip needs at least one line."))


#: Anything the generators accept, for code that handles documents generically.
DocumentData = ReturnLabelData | ReceiptData | ItemTagData | CreditNoteData | PackingSlipData
