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

Lang = Literal["en", "zh_CN"]
LANGUAGES: tuple[str, ...] = get_args(Lang)


def check_lang(lang: str) -> None:
    """Refuse a language the documents are not written in."""
    if lang not in LANGUAGES:
        raise ValidationFailed(
            f"Documents are printed in {' or '.join(LANGUAGES)}, not '{lang}'."
        )


def _check_common(what: str, lang: str, reprint: int) -> None:
    check_lang(lang)
    if isinstance(reprint, bool) or not isinstance(reprint, int) or reprint < 0:
        raise ValidationFailed(
            f"The reprint number of a {what} must be 0 (original) or a positive count, not {reprint!r}."
        )


def _check_rma(what: str, rma: str) -> None:
    # A label with a malformed RMA would be refused at the scanning station; refuse it here.
    if parse_rma(rma) != rma:
        raise ValidationFailed(
            f"The {what} needs the RMA number in its canonical form ({parse_rma(rma)}), not '{rma}'."
        )


def check_code(what: str, code: str) -> None:
    """A code printed as Code 128 and scanned back must be printable ASCII without spaces."""
    if not code:
        raise ValidationFailed(f"The {what} is empty.")
    if not code.isascii() or not code.isprintable() or any(ch.isspace() for ch in code):
        raise ValidationFailed(
            f"The {what} '{code}' cannot be printed as a barcode: use letters, digits and"
            " punctuation only (no spaces, no Chinese characters)."
        )
    if len(code) > MAX_ITEM_CODE_LENGTH:
        raise ValidationFailed(
            f"The {what} '{code}' is {len(code)} characters long; at most {MAX_ITEM_CODE_LENGTH}"
            " fit a label."
        )


def _check_money(what: str, amount: int, *, negative_ok: bool = False) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationFailed(
            f"The {what} must be an integer amount of minor units (cents), not {amount!r}."
        )
    if amount < 0 and not negative_ok:
        raise ValidationFailed(f"The {what} cannot be negative ({amount}).")


def _check_currency(currency: str) -> None:
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha() or not currency.isupper():
        raise ValidationFailed(f"'{currency}' is not an ISO currency code such as CNY or USD.")


def _as_tuple(obj: object, field: str) -> None:
    value = getattr(obj, field)
    if isinstance(value, str):
        raise ValidationFailed(f"{field} must be a sequence of lines, not a single string.")
    object.__setattr__(obj, field, tuple(value))


def _require_text(what: str, text: str) -> None:
    if not text or not text.strip():
        raise ValidationFailed(f"The {what} is empty.")


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
            raise ValidationFailed("The return label needs the address of the receiving warehouse.")
        _require_text("customer name", self.customer_name)
        _require_text("company name", self.company_name)
        if not isinstance(self.created_on, date):
            raise ValidationFailed(f"The label date must be a date, not {self.created_on!r}.")
        if isinstance(self.item_count, bool) or not isinstance(self.item_count, int) or self.item_count < 1:
            raise ValidationFailed(
                f"A return label is for at least one item, not {self.item_count!r}."
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
            raise ValidationFailed(f"Line {self.sku}: the quantity must be at least 1, not {self.quantity!r}.")
        _check_money(f"unit amount of {self.sku}", self.unit_amount)
        _check_money(f"deductions of {self.sku}", self.deductions)
        _check_money(f"refund amount of {self.sku}", self.refund_amount)
        if self.refund_amount != self.gross - self.deductions:
            raise ValidationFailed(
                f"Line {self.sku}: {self.quantity} x {self.unit_amount} - {self.deductions} is"
                f" {self.gross - self.deductions}, but the refund amount says {self.refund_amount}."
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
            raise ValidationFailed(f"The receipt time must be a datetime, not {self.issued_at!r}.")
        if not self.lines:
            raise ValidationFailed("A receipt needs at least one returned line.")
        if not isinstance(self.refund_method, RefundMethod):
            object.__setattr__(self, "refund_method", RefundMethod(self.refund_method))
        for name in ("subtotal", "deductions", "shipping_refund", "total"):
            _check_money(name.replace("_", " "), getattr(self, name))
        gross = sum(line.gross for line in self.lines)
        if self.subtotal != gross:
            raise ValidationFailed(
                f"The receipt subtotal {self.subtotal} is not the sum of its lines ({gross})."
            )
        line_deductions = sum(line.deductions for line in self.lines)
        if self.deductions < line_deductions:
            raise ValidationFailed(
                f"The receipt deductions {self.deductions} are less than the lines' deductions"
                f" ({line_deductions})."
            )
        expected = self.subtotal - self.deductions + self.shipping_refund
        if self.total != expected:
            raise ValidationFailed(
                f"The receipt total {self.total} does not add up: subtotal {self.subtotal}"
                f" - deductions {self.deductions} + shipping {self.shipping_refund} = {expected}."
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
            raise ValidationFailed(f"The unit number must be 1 or more, not {self.unit_number!r}.")
        if self.unit_count is not None and self.unit_count < self.unit_number:
            raise ValidationFailed(
                f"Unit {self.unit_number} cannot be one of only {self.unit_count} units."
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
            raise ValidationFailed(f"Line {self.sku}: the quantity must be at least 1, not {self.quantity!r}.")
        if isinstance(self.tax_rate, float):
            raise ValidationFailed(f"Line {self.sku}: give the tax rate as a Decimal or a string, not a float.")
        object.__setattr__(self, "tax_rate", Decimal(str(self.tax_rate)))
        if not Decimal(0) <= self.tax_rate < Decimal(1):
            raise ValidationFailed(
                f"Line {self.sku}: the tax rate {self.tax_rate} must be a fraction, e.g. 0.13 for 13 %."
            )
        for name in ("net", "tax", "gross"):
            _check_money(f"{name} of {self.sku}", getattr(self, name))
        if self.gross != self.net + self.tax:
            raise ValidationFailed(
                f"Line {self.sku}: net {self.net} + tax {self.tax} is not the gross {self.gross}."
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
            raise ValidationFailed(f"The credit note date must be a date, not {self.issued_on!r}.")
        if not self.lines:
            raise ValidationFailed("A credit note needs at least one line.")
        if self.refund_method is not None and not isinstance(self.refund_method, RefundMethod):
            object.__setattr__(self, "refund_method", RefundMethod(self.refund_method))
        for name, part in (("net", "net_total"), ("tax", "tax_total"), ("gross", "gross_total")):
            _check_money(part.replace("_", " "), getattr(self, part))
            summed = sum(getattr(line, name) for line in self.lines)
            if getattr(self, part) != summed:
                raise ValidationFailed(
                    f"The credit note's {part.replace('_', ' ')} {getattr(self, part)} is not the"
                    f" sum of its lines ({summed})."
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
            raise ValidationFailed(f"The quantity of {self.sku} must be 1 or more, not {self.quantity!r}.")


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
            raise ValidationFailed(f"The packing slip date must be a date, not {self.issued_on!r}.")
        if not self.lines:
            raise ValidationFailed("A packing slip needs at least one line.")


#: Anything the generators accept, for code that handles documents generically.
DocumentData = ReturnLabelData | ReceiptData | ItemTagData | CreditNoteData | PackingSlipData
