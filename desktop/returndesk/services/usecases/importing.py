"""Importing sales orders from the shop or the ERP (CSV, Excel workbook or JSON).

A file is validated whole before anything is written: if any row is wrong, nothing is imported and
every problem is reported with its row number and the reason. A good file is written in one
transaction, so an import is all or nothing.

CSV — one row per order line, comma separated, with a header row. The text may be UTF-8 (with or
without a byte-order mark: Excel's "CSV UTF-8") or GB18030 (what a Chinese Excel saves as "CSV");
which one is detected and reported. A given ``encoding`` is used unless the file starts with a UTF-8
byte-order mark, and refused when it would turn the text into mojibake. Row numbers in messages are
the physical lines of the file where a record starts, blank lines included: the header is row 1,
the first line row 2. The order's own columns repeat on each of its rows and must agree.

Excel workbook (.xlsx) — the same columns on the first worksheet, the header in its first row;
messages give the sheet's row numbers. Dates may be date cells, text or Excel serial numbers.

====================  ========  =============================================================
column                required  meaning
====================  ========  =============================================================
order_no              yes       order number as printed on the receipt, SO- and digits (SO-1042)
channel               yes       store, online or phone
customer_code         no        the shop's customer number; an unknown code creates the customer
customer_name         no        needed for a new customer (blank code, name and phone: walk-in)
customer_phone        no        digits, spaces, + - ( ); the counter finds sales by it
customer_email        no
customer_address      no
sold_at               yes       date and time of the sale: 2026-11-20 14:30, 2026/1/5 14:30,
                                2026-1-5, 2026年1月5日, seconds optional, ISO 8601, or an
                                Excel date; without an offset (+08:00) it is the site's local time
delivered_at          no        date and time of delivery (store sales: leave blank = sold_at)
payment_method        yes       card, cash, alipay, wechat_pay, bank_transfer, store_credit, cod
currency              no        ISO code with two decimals, default CNY; one per order
shipping              no        shipping the customer paid for the whole order, e.g. 10.00
site                  no        shop or warehouse code
invoice_no            no        number of the VAT invoice issued for the sale (cited by red-letter
                                credit notes); one per order
line_no               yes       1, 2, 3 ... unique within the order
sku                   yes       a product already in ReturnDesk's catalogue
quantity              yes       whole number of units, at least 1
unit_price            yes       list price of one unit, tax included, e.g. 399.00
discount              no        discount on the whole line, default 0.00
tax                   no        tax included in ``paid``, default 0.00
paid                  yes       what the customer paid for the line: unit_price × quantity − discount
serials               no        serial numbers separated by ; (as many as the quantity)
====================  ========  =============================================================

Amounts are decimal numbers with at most two decimals, a dot as decimal point; they are stored
as integer minor units (:func:`returndesk.domain.money.to_minor`). Amounts, quantities and texts
are checked against what their database columns hold before anything is written.

JSON — an object ``{"orders": [...]}`` (or just the list). Each order has the order columns
above, the customer as ``"customer": {"code", "name", "phone", "email", "address"}`` (or the flat
``customer_*`` keys), and ``"lines": [...]`` with the line columns; ``serials`` may be a list.
Amounts may be strings or numbers; strings are recommended (no binary rounding). Messages name
the order and line by position: "order 3, line 2". An order number may appear only once.

Imported sales write no stock movements: the shop's or the ERP's own stock system already
booked the goods out, and ReturnDesk's stock ledger only has to follow what comes back (customer
→ inspection → available, refurbish, ...). Booking the sales out again here would drive the
available stock of the returns warehouse below zero.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, String, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import KeyedColumnElement

from returndesk.domain.codes import normalize_phone, normalize_sku
from returndesk.domain.errors import ValidationFailed
from returndesk.domain.localtime import local_to_utc
from returndesk.domain.money import to_minor
from returndesk.domain.permissions import Permission
from returndesk.domain.scan import normalize_order
from returndesk.store.schema import Customer, Product, SalesOrder, SalesOrderLine

from returndesk.services.tx import bulk
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.usecases.import_files import (
    ImportRefused,
    Record,
    bad_characters,
    csv_records,
    decode_text,
    echo,
    excel_serial,
    load_json,
    xlsx_records,
)
from returndesk.services.usecases.sites import zone_for_site
from returndesk.domain.messages import msg, os_detail, os_reason, with_detail

CHANNELS = ("store", "online", "phone")
PAYMENT_METHODS = ("card", "cash", "alipay", "wechat_pay", "bank_transfer", "store_credit", "cod")

ORDER_COLUMNS = (
    "order_no", "channel", "customer_code", "customer_name", "customer_phone", "customer_email",
    "customer_address", "sold_at", "delivered_at", "payment_method", "currency", "shipping", "site",
    "invoice_no",
)
LINE_COLUMNS = ("line_no", "sku", "quantity", "unit_price", "discount", "tax", "paid", "serials")
#: In the order of a file written with every column: the invoice number, added later, comes last.
COLUMNS = tuple(c for c in ORDER_COLUMNS if c != "invoice_no") + LINE_COLUMNS + ("invoice_no",)
REQUIRED_COLUMNS = ("order_no", "channel", "sold_at", "payment_method", "line_no", "sku", "quantity",
                    "unit_price", "paid")

#: Problems listed in one refusal at most; a file this wrong needs fixing at the source anyway.
MAX_PROBLEMS = 1000
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_SERIAL_SPLIT = re.compile(r"[;|\n]+")
_LOOKUP_CHUNK = 500
FORMATS = ("csv", "xlsx", "json")


def _largest(column: KeyedColumnElement[Any]) -> int:
    return 2**63 - 1 if isinstance(column.type, BigInteger) else 2**31 - 1


def _length(column: KeyedColumnElement[Any]) -> int:
    assert isinstance(column.type, String) and column.type.length is not None, column
    return column.type.length


# What the columns hold, so that a file is refused with a sentence instead of failing at the
# database (PostgreSQL refuses too-long text and too-large numbers; SQLite would store the text).
MAX_AMOUNT = _largest(SalesOrder.__table__.c.total_paid_minor)
MAX_QUANTITY = _largest(SalesOrderLine.__table__.c.quantity)
MAX_LINE_NO = _largest(SalesOrderLine.__table__.c.line_no)
_TEXT_LIMITS: dict[str, int] = {name: _length(column) for name, column in {
    "order_no": SalesOrder.__table__.c.order_no, "customer_code": Customer.__table__.c.code,
    "customer_name": Customer.__table__.c.name, "customer_phone": Customer.__table__.c.phone,
    "customer_email": Customer.__table__.c.email, "site": SalesOrder.__table__.c.site,
    "sku": Product.__table__.c.sku, "invoice_no": SalesOrder.__table__.c.invoice_no,
}.items()}


@dataclass
class _Line:
    where: str
    line_no: int
    sku: str
    quantity: int
    unit_price: int
    discount: int
    tax: int
    paid: int
    serials: tuple[str, ...]
    product_id: int = 0


@dataclass
class _Order:
    where: str  # where the order starts: "row 2" / "order 1"
    order_no: str
    channel: str
    customer_code: str | None
    customer_name: str | None
    customer_phone: str | None
    customer_email: str | None
    customer_address: str | None
    sold_at: datetime
    delivered_at: datetime | None
    payment_method: str
    currency: str
    shipping: int
    site: str | None
    lines: list[_Line] = field(default_factory=list)
    invoice_no: str | None = None

    def header(self) -> tuple[object, ...]:
        return (self.channel, self.customer_code, self.customer_name, self.customer_phone,
                self.customer_email, self.customer_address, self.sold_at, self.delivered_at,
                self.payment_method, self.currency, self.shipping, self.site, self.invoice_no)


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote."""

    orders: int
    lines: int
    units: int
    customers_created: int
    total_paid_minor: int
    first_order_no: str | None
    last_order_no: str | None
    ignored_columns: tuple[str, ...]
    read_as: str = ""  # how the file was read: "GB18030 (detected)", "Excel workbook, sheet 'Orders'"


@dataclass
class ParsedOrders:
    """A file turned into orders without touching the database."""

    orders: list[_Order]
    ignored_columns: tuple[str, ...]
    problems: list[str]
    read_as: str


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, reason: str) -> None:
        self.items.append(msg("{where}: {reason}", where=where, reason=reason))

    def __bool__(self) -> bool:
        return bool(self.items)


# --------------------------------------------------------------------------- field parsing


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _amount(value: Any, name: str, problems: list[str], *, default: int | None = None) -> int | None:
    raw = _text(value)
    if raw == "":
        if default is None:
            problems.append(msg("{name} is missing", name=name))
        return default
    try:
        number = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        problems.append(msg("{name} '{raw}' is not an amount (write it like 12.50)", name=name, raw=echo(raw)))
        return None
    if not number.is_finite():
        problems.append(msg("{name} '{raw}' is not an amount (write it like 12.50)", name=name, raw=echo(raw)))
        return None
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        problems.append(msg("{name} '{raw}' has more than two decimals", name=name, raw=echo(raw)))
        return None
    if number < 0:
        problems.append(msg("{name} {raw} is negative", name=name, raw=echo(raw)))
        return None
    # adjusted() first: to_minor of 1E+999999 would build a million-digit number.
    minor = to_minor(number) if number.adjusted() <= 17 else MAX_AMOUNT + 1
    if minor > MAX_AMOUNT:
        problems.append(msg(
            "{name} {raw} is more than ReturnDesk can store (at most {max_amount})",
            name=name, raw=echo(raw), max_amount=_fmt(MAX_AMOUNT)))
        return None
    return minor


def _whole(value: Any, name: str, problems: list[str], *, minimum: int, maximum: int) -> int | None:
    raw = _text(value)
    if raw == "":
        problems.append(msg("{name} is missing", name=name))
        return None
    if isinstance(value, bool):
        problems.append(msg("{name} {raw} is not a whole number", name=name, raw=raw))
        return None
    beyond = maximum + 1
    if isinstance(value, int):
        number = value
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        # Whole numbers written as 2.0 (JSON, a spreadsheet); the size is checked before int().
        number = int(value) if value.adjusted() < 18 else beyond * (-1 if value < 0 else 1)
    elif re.fullmatch(r"[+-]?\d+", raw):
        number = int(raw) if len(raw) <= 18 else beyond * (-1 if raw.startswith("-") else 1)
    else:
        problems.append(msg("{name} '{raw}' is not a whole number", name=name, raw=echo(raw)))
        return None
    if number < minimum:
        problems.append(msg("{name} {raw} is negative", name=name, raw=echo(raw)) if number < 0 else
                        msg("{name} {raw} is below {minimum}", name=name, raw=echo(raw), minimum=minimum))
        return None
    if number > maximum:
        problems.append(msg(
            "{name} {raw} is more than ReturnDesk can store (at most {maximum:,})",
            name=name, raw=echo(raw), maximum=maximum))
        return None
    return number


_STAMP = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"(?:(?:\s+|T)(?P<H>\d{1,2}):(?P<M>\d{1,2})(?::(?P<S>\d{1,2})(?:[.,](?P<f>\d{1,6}))?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")  # text serials: 10000 (1927) .. 99999 (2173)


def parse_timestamp(value: str | datetime | int | Decimal) -> datetime:
    """A date or date-time as shops, ERPs and Excel write it: aware UTC when the text carries an
    offset (``Z``, ``+08:00``), else naive (the selling site's wall clock; :func:`site_time_to_utc`
    converts it).

    Accepts 2026-11-20, 2026-1-5, 2026/1/5 14:30, 2026.1.5, 2026年1月5日 14:30 (seconds and
    fractions optional), ISO 8601 with an offset, full-width digits, a date-time cell of a
    workbook, and Excel date serial numbers (46027.5 is 2026-01-05 12:00), from 1900 to 9998
    (beyond, a zone could not convert them). Raises ``ValueError`` with the accepted forms.
    """
    stamp = _read_timestamp(value)
    if not 1900 <= stamp.year <= 9998:
        raise ValueError(f"'{echo(str(value))}' is not a date between 1900 and 9998")
    return stamp


def _read_timestamp(value: str | datetime | int | Decimal) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        try:
            return excel_serial(value)
        except ValueError:
            raise ValueError(f"{echo(value)} is not an Excel date (serial numbers run from 61, "
                             "1900-03-01, to 2958465)") from None
    raw = str(value).strip()
    if not raw:
        raise ValueError("empty")
    text = unicodedata.normalize("NFKC", raw).replace("年", "-").replace("月", "-").replace("日", "").strip()
    if _SERIAL.fullmatch(text):
        return _read_timestamp(Decimal(text))
    match = _STAMP.fullmatch(text)
    try:
        if match:
            g = match.groupdict()
            fraction = (g["f"] or "").ljust(6, "0")
            stamp = datetime(int(g["y"]), int(g["m"]), int(g["d"]), int(g["H"] or 0), int(g["M"] or 0),
                             int(g["S"] or 0), int(fraction or 0))
            return stamp.replace(tzinfo=_offset(g["tz"])).astimezone(UTC) if g["tz"] else stamp
        stamp = datetime.fromisoformat(text)
        return stamp.astimezone(UTC) if stamp.tzinfo else stamp
    except (ValueError, OverflowError):  # OverflowError: an offset moves it out of the calendar
        raise ValueError(
            f"'{echo(raw)}' is not a date; write 2026-11-20, 2026/1/5 14:30, 2026-11-20 14:30:05 "
            "or 2026-11-20T14:30:00+08:00"
        ) from None


def _offset(text: str) -> timezone:
    if text.upper() == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    return timezone(-delta if text[0] == "-" else delta)


def _when(value: Any, name: str, problems: list[str], now: datetime, *, required: bool) -> datetime | None:
    raw = _text(value)
    if raw == "":
        if required:
            problems.append(msg("{name} is missing", name=name))
        return None
    try:
        stamp = parse_timestamp(value if isinstance(value, datetime | int | Decimal) else raw)
        # A wall-clock time is at most 14 hours ahead of UTC; the site's zone settles it later.
        ahead = stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC) - _MAX_AHEAD_OF_UTC
    except ValueError as exc:
        problems.append(msg("{name} {exc}", name=name, exc=exc))
        return None
    if ahead > now:
        problems.append(msg("{name} {raw} is in the future", name=name, raw=echo(raw)))
        return None
    return stamp


def _serials(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        items = [_text(v) for v in value]
    else:
        items = _SERIAL_SPLIT.split(_text(value))
    return tuple(s for s in (i.strip() for i in items) if s)


def _order_fields(get: Callable[[str], Any], now: datetime, problems: list[str]) -> _Order | None:
    order_no_raw = _text(get("order_no"))
    order_no = None
    if not order_no_raw:
        problems.append(msg("order_no is missing"))
    else:
        try:
            order_no = normalize_order(order_no_raw)
        except ValidationFailed:
            problems.append(
                msg(
                    "order_no '{order_no_raw}' is not an order number (SO- followed by digits, e.g. SO-1042)",
                    order_no_raw=echo(order_no_raw))
            )
    channel = _text(get("channel")).lower()
    if not channel:
        problems.append(msg("channel is missing"))
    elif channel not in CHANNELS:
        problems.append(msg(
            "channel '{channel}' is not one of {channels}",
            channel=echo(channel), channels=', '.join(CHANNELS)))
    payment = _text(get("payment_method")).lower()
    if not payment:
        problems.append(msg("payment_method is missing"))
    elif payment not in PAYMENT_METHODS:
        problems.append(msg(
            "payment_method '{payment}' is not one of {payment_methods}",
            payment=echo(payment), payment_methods=', '.join(PAYMENT_METHODS)))
    currency = _text(get("currency")).upper() or "CNY"
    if not _CURRENCY.match(currency):
        problems.append(msg("currency '{currency}' is not a three-letter code such as CNY", currency=echo(currency)))
    sold_at = _when(get("sold_at"), "sold_at", problems, now, required=True)
    delivered_at = _when(get("delivered_at"), "delivered_at", problems, now, required=False)
    if sold_at and delivered_at and (sold_at.tzinfo is None) == (delivered_at.tzinfo is None) \
            and delivered_at < sold_at:
        problems.append(
            msg(
                "delivered_at {text} is before sold_at {text2}",
                text=echo(_text(get('delivered_at'))), text2=echo(_text(get('sold_at'))))
        )
    if channel == "store" and delivered_at is None:
        delivered_at = sold_at  # the goods left the shop with the customer
    shipping = _amount(get("shipping"), "shipping", problems, default=0)
    code = _text(get("customer_code")) or None
    name = _text(get("customer_name")) or None
    phone = _text(get("customer_phone")) or None
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationFailed:
            problems.append(msg("customer_phone '{phone}' is not a phone number", phone=echo(phone)))
    email = _text(get("customer_email")) or None
    address = _text(get("customer_address")) or None
    if not code and not name and (phone or email or address):
        problems.append(msg("customer_name is missing (a new customer needs a name)"))
    site = _text(get("site")) or None
    invoice_no = _text(get("invoice_no")) or None
    _check_lengths({"order_no": order_no, "customer_code": code, "customer_name": name, "customer_phone": phone,
                    "customer_email": email, "site": site, "invoice_no": invoice_no}, problems)
    if order_no is None or sold_at is None or channel not in CHANNELS or payment not in PAYMENT_METHODS \
            or shipping is None:
        return None
    return _Order("", order_no, channel, code, name, phone, email, address, sold_at, delivered_at,
                  payment, currency, shipping, site, invoice_no=invoice_no)


def _line_fields(get: Callable[[str], Any], problems: list[str]) -> _Line | None:
    line_no = _whole(get("line_no"), "line_no", problems, minimum=1, maximum=MAX_LINE_NO)
    sku = _text(get("sku"))
    if not sku:
        problems.append(msg("sku is missing"))
    elif _check_lengths({"sku": sku}, problems):
        sku = ""
    else:
        try:
            sku = normalize_sku(sku)
        except ValidationFailed as exc:
            problems.append(exc.message)
            sku = ""
    quantity = _whole(get("quantity"), "quantity", problems, minimum=1, maximum=MAX_QUANTITY)
    unit_price = _amount(get("unit_price"), "unit_price", problems)
    discount = _amount(get("discount"), "discount", problems, default=0)
    tax = _amount(get("tax"), "tax", problems, default=0)
    paid = _amount(get("paid"), "paid", problems)
    serials = _serials(get("serials"))
    if None in (line_no, quantity, unit_price, discount, tax, paid) or not sku:
        return None
    assert line_no is not None and quantity is not None and unit_price is not None
    assert discount is not None and tax is not None and paid is not None
    gross = unit_price * quantity
    if discount > gross:
        problems.append(msg(
            "discount {discount} is more than unit_price × quantity ({gross})",
            discount=_fmt(discount), gross=_fmt(gross)))
    elif paid != gross - discount:
        problems.append(
            msg(
                "paid {paid} is not unit_price × quantity − discount ({unit_price} × {quantity} − {discount} = "
                "{gross})",
                paid=_fmt(paid), unit_price=_fmt(unit_price), quantity=quantity, discount=_fmt(discount),
                gross=_fmt(gross - discount))
        )
    if tax > paid:
        problems.append(msg("tax {tax} is more than paid {paid}", tax=_fmt(tax), paid=_fmt(paid)))
    if serials:
        if len(serials) != quantity:
            problems.append(msg(
                "{serials_count} serial numbers for a quantity of {quantity}",
                serials_count=len(serials), quantity=quantity))
        elif len(set(serials)) != len(serials):
            problems.append(msg("a serial number is listed twice"))
        elif any(len(s) > 80 or "," in s for s in serials):
            problems.append(msg("a serial number is longer than 80 characters or contains a comma"))
    return _Line("", line_no, sku, quantity, unit_price, discount, tax, paid, serials)


def _check_lengths(values: dict[str, str | None], problems: list[str]) -> bool:
    """Texts longer than their column holds (String(n) counts characters, as len() does)."""
    too_long = False
    for name, value in values.items():
        limit = _TEXT_LIMITS[name]
        if value is not None and len(value) > limit:
            problems.append(msg(
                "{name} '{value}' is {count:,} characters long; at most {limit} fit",
                name=name, value=echo(value), count=len(value), limit=limit))
            too_long = True
    return too_long


def _fmt(minor: int) -> str:
    sign = "-" if minor < 0 else ""
    return f"{sign}{abs(minor) // 100}.{abs(minor) % 100:02d}"


# --------------------------------------------------------------------------- reading files

_HEADER_FIELDS = ("channel", "customer_code", "customer_name", "customer_phone", "customer_email",
                  "customer_address", "sold_at", "delivered_at", "payment_method", "currency", "shipping", "site",
                  "invoice_no")
_DATE_COLUMNS = ("sold_at", "delivered_at")


def _cell_problems(values: dict[str, Any], names: Iterable[str]) -> list[str]:
    """Values no column can hold: nested lists or objects, control characters, lone surrogates."""
    found: list[str] = []
    for name in names:
        value = values.get(name)
        if name == "serials" and isinstance(value, list):
            items = value
        elif isinstance(value, dict | list):
            found.append(msg("{name} is not a text or a number", name=name))
            continue
        else:
            items = [value]
        for item in items:
            if isinstance(item, dict | list):
                found.append(msg("{name} is not a text or a number", name=name))
                break
            reason = bad_characters(item) if isinstance(item, str) else None
            if reason:
                found.append(msg("{name} {reason}", name=name, reason=reason))
                break
    return found


def _table_orders(records: Iterable[Record], now: datetime, problems: _Problems, *,
                  serial_shift: int = 0) -> tuple[list[_Order], tuple[str, ...]]:
    """Orders from the rows of a CSV file or a worksheet (the header first)."""
    rows = iter(records)
    first = next((r for r in rows if any(_text(c) for c in r.cells)), None)
    if first is None:
        raise ImportRefused(msg("The file is empty: it has no header row."), [msg("row 1: no header row")])
    header = [_text(h).lower() for h in first.cells]
    while header and not header[-1]:
        header.pop()  # empty cells right of the header (a worksheet formatted further right)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        message = (msg(
            "The header row lacks the column(s) {missing}. The columns are: {columns}.",
            missing=', '.join(missing), columns=', '.join(COLUMNS)))
        raise ImportRefused(message, [msg("row {row}: {message}", row=first.row, message=message)])
    duplicates = sorted({h for h in header if header.count(h) > 1 and h})
    if duplicates:
        message = msg("The header row names {d} more than once.", d=', '.join(echo(d) for d in duplicates))
        raise ImportRefused(message, [msg("row {row}: {message}", row=first.row, message=message)])
    ignored = tuple(echo(h) for h in header if h and h not in COLUMNS)
    orders: dict[str, _Order] = {}
    for record in rows:
        if len(problems.items) >= MAX_PROBLEMS:
            break
        where = msg("row {row}", row=record.row)
        cells = record.cells
        if not any(_text(c) for c in cells):
            continue  # blank lines (they still count in the row numbers)
        if len(cells) > len(header) and any(_text(c) for c in cells[len(header):]):
            last = max(i for i, c in enumerate(cells) if _text(c))
            problems.add(where, msg("has {cells} cells, the header has {columns}", cells=last + 1,
                                    columns=len(header)))
            continue
        row = dict(zip(header, cells, strict=False))
        for name in _DATE_COLUMNS:
            value = row.get(name)
            if serial_shift and isinstance(value, int | Decimal) and not isinstance(value, bool):
                row[name] = value + serial_shift  # a 1904-based workbook serial, counted from 1899-12-30
        # One search over the row's text first: cells never nest, so only characters can be wrong.
        errs = _cell_problems(row, COLUMNS) if bad_characters("\t".join(c for c in cells if isinstance(c, str))) \
            else []
        if errs:
            for e in errs:
                problems.add(where, e)
            continue
        order = _order_fields(row.get, now, errs)
        line = _line_fields(row.get, errs)
        for e in errs:
            problems.add(where, e)
        if order is None or line is None or errs:
            continue
        line.where = where
        existing = orders.get(order.order_no)
        if existing is None:
            order.where = where
            orders[order.order_no] = order
            existing = order
        elif existing.header() != order.header():
            diff = [n for n, a, b in zip(_HEADER_FIELDS, existing.header(), order.header(), strict=True) if a != b]
            problems.add(where, msg(
                "{diff} differ(s) from {where} of order {order_no}",
                diff=', '.join(diff), where=existing.where, order_no=order.order_no))
            continue
        existing.lines.append(line)
    return list(orders.values()), ignored


def _json_orders(text: str, now: datetime, problems: _Problems) -> list[_Order]:
    data = load_json(text)
    if isinstance(data, dict):
        data = data.get("orders")
    if not isinstance(data, list):
        message = msg('The JSON file must hold {{"orders": [...]}} or a list of orders.')
        raise ImportRefused(message, [message])
    orders: list[_Order] = []
    first_seen: dict[str, str] = {}
    for i, raw in enumerate(data, start=1):
        if len(problems.items) >= MAX_PROBLEMS:
            break
        where = msg("order {i}", i=i)
        if not isinstance(raw, dict):
            problems.add(where, msg("is not an object"))
            continue
        customer = raw.get("customer") or {}
        if not isinstance(customer, dict):
            problems.add(where, msg("customer is not an object"))
            continue

        def get(key: str, raw: dict[str, Any] = raw, customer: dict[str, Any] = customer) -> Any:
            if key.startswith("customer_") and key[9:] in customer:
                return customer.get(key[9:])
            return raw.get(key)

        number = raw.get("order_no")
        label = (msg("{where} ({number})", where=where, number=echo(number))
                 if isinstance(number, str | int) and _text(number) else where)
        errs = _cell_problems({k: get(k) for k in ORDER_COLUMNS}, ORDER_COLUMNS)
        order = None if errs else _order_fields(get, now, errs)
        for e in errs:
            problems.add(label, e)
        lines = raw.get("lines")
        if not isinstance(lines, list) or not lines:
            problems.add(label, msg("has no lines"))
            continue
        if order is not None:
            order.where = label
            if order.order_no in first_seen:
                problems.add(
                    label,
                    msg(
                        "order {order_no} appears twice in the file (also {first_seen}); write each order once with "
                        "all its lines",
                        order_no=order.order_no, first_seen=first_seen[order.order_no]),
                )
                errs.append(msg("duplicate"))
            first_seen.setdefault(order.order_no, label)
        for j, raw_line in enumerate(lines, start=1):
            line_where = msg("{label}, line {j}", label=label, j=j)
            if not isinstance(raw_line, dict):
                problems.add(line_where, msg("is not an object"))
                continue
            line_errs = _cell_problems(raw_line, LINE_COLUMNS)
            line = None if line_errs else _line_fields(raw_line.get, line_errs)
            for e in line_errs:
                problems.add(line_where, e)
            if line is not None and not line_errs and order is not None:
                line.where = line_where
                order.lines.append(line)
        if order is not None and not errs:
            orders.append(order)
    return orders


def _check_orders(orders: list[_Order], problems: _Problems) -> None:
    """What holds across the rows of one order: each line once, a total the columns can hold."""
    for order in orders:
        seen: dict[int, str] = {}
        for line in order.lines:
            if line.line_no in seen:
                problems.add(line.where, msg(
                    "line_no {line_no} of order {order_no} appears twice (also {seen})",
                    line_no=line.line_no, order_no=order.order_no, seen=seen[line.line_no]))
            seen.setdefault(line.line_no, line.where)
        total = sum(line.paid for line in order.lines) + order.shipping
        if total > MAX_AMOUNT:
            problems.add(order.where, msg(
                "order {order_no} totals {total}, more than ReturnDesk can store (at most {max_amount})",
                order_no=order.order_no, total=_fmt(total), max_amount=_fmt(MAX_AMOUNT)))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ValidationFailed(msg("The file {path} does not exist.", path=path)) from None
    except IsADirectoryError:
        raise ValidationFailed(msg("{path} is a folder, not a file.", path=path)) from None
    except OSError as exc:
        raise ValidationFailed(
            with_detail(msg("The file {path} cannot be read: {reason}.", path=path, reason=os_reason(exc)),
                        os_detail(exc))) from None


def _kind(name: str, fmt: str | None) -> str:
    kind = (fmt or Path(name).suffix.lstrip(".")).lower()
    if kind == "xls":
        raise ValidationFailed(msg(
            "{name} is an old Excel workbook (.xls): save it as .xlsx or as CSV and import that.",
            name=name))
    if kind not in FORMATS:
        raise ValidationFailed(
            msg(
                "Cannot tell the format of {name}: name it .csv, .xlsx or .json, or give --format csv|xlsx|json.",
                name=name)
        )
    return kind


def order_mapping(headers: list[str], chosen: dict[str, str] | None) -> dict[str, str]:
    """Header -> column of a table of orders: ``chosen`` (a profile, the wizard) for the headers it
    names, the guess from the header for the others (the columns' own names, Chinese synonyms)."""
    from returndesk.services.usecases.column_mapping import resolve_mapping

    return resolve_mapping("orders", headers, chosen)


def _mapped(records: Iterable[Record], chosen: dict[str, str] | None) -> Iterator[Record]:
    """The records with the header row renamed to the columns the mapping gives."""
    rows = iter(records)
    for record in rows:
        if not any(_text(c) for c in record.cells):
            yield record
            continue
        headers = [_text(h) for h in record.cells]
        mapping = order_mapping([h for h in headers if h], chosen)
        renamed = []
        for h in headers:
            target = mapping.get(h, "")
            if target:
                renamed.append(target)
            elif h.lower() in COLUMNS:
                renamed.append(f"({h})")  # a column of that name the mapping leaves out
            else:
                renamed.append(h)
        yield Record(record.row, renamed)
        break
    yield from rows


def parse_orders(data: bytes, name: str, *, fmt: str | None = None, encoding: str | None = None,
                 now: datetime | None = None, mapping: dict[str, str] | None = None) -> ParsedOrders:
    """Turn a file's bytes into orders, every problem numbered by row (or order and line), without
    touching the database. ``encoding`` None detects UTF-8 or GB18030 (CSV and JSON).

    Raises ``ValidationFailed`` / ``ImportRefused`` when the file as a whole cannot be read.
    """
    kind = _kind(name, fmt)
    if not data.strip():
        raise ImportRefused(msg("{name} is empty; nothing was imported.", name=name),
                            [msg("{name}: the file is empty", name=name)])
    problems = _Problems()
    stamp = now or datetime.now(UTC)
    ignored: tuple[str, ...] = ()
    if kind == "xlsx":
        sheet = xlsx_records(data, name)
        orders, ignored = _table_orders(_mapped(sheet.records, mapping), stamp, problems,
                                        serial_shift=sheet.serial_shift)
        read_as = f"Excel workbook, sheet '{echo(sheet.title)}'"
    else:
        decoded = decode_text(data, name, encoding)
        read_as = decoded.encoding
        if kind == "csv":
            orders, ignored = _table_orders(_mapped(csv_records(decoded.text), mapping), stamp, problems)
        else:
            orders = _json_orders(decoded.text, stamp, problems)
    _check_orders(orders, problems)
    return ParsedOrders(orders, ignored, problems.items, read_as)


# --------------------------------------------------------------------------- validation against the database


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _LOOKUP_CHUNK):
        yield items[start:start + _LOOKUP_CHUNK]


def _check_against_database(session: Session, orders: list[_Order], problems: _Problems) -> dict[str, int]:
    """Unknown SKUs, order numbers already imported, unknown customers; returns customer code -> id."""
    skus = sorted({line.sku for o in orders for line in o.lines})
    products: dict[str, tuple[int, bool]] = {}
    for chunk in _chunks(skus):
        for pid, sku, serial in session.execute(
            select(Product.id, Product.sku, Product.serial_tracked).where(Product.sku.in_(chunk))
        ):
            products[sku] = (pid, serial)
    numbers = [o.order_no for o in orders]
    existing: set[str] = set()
    for chunk in _chunks(numbers):
        existing.update(session.execute(select(SalesOrder.order_no).where(SalesOrder.order_no.in_(chunk))).scalars())
    codes = sorted({o.customer_code for o in orders if o.customer_code})
    customers: dict[str, int] = {}
    for chunk in _chunks(codes):
        customers.update(
            {code: cid for cid, code in session.execute(
                select(Customer.id, Customer.code).where(Customer.code.in_(chunk)))}
        )
    for order in orders:
        if order.order_no in existing:
            problems.add(order.where, msg(
                "order {order_no} is already in the database (imported before?)",
                order_no=order.order_no))
        for line in order.lines:
            found = products.get(line.sku)
            if found is None:
                problems.add(line.where, msg("unknown SKU '{sku}' (not in the product catalogue)",
                                             sku=line.sku))
                continue
            line.product_id = found[0]
        if order.customer_code is None and order.customer_name is None and order.channel != "store":
            problems.add(order.where, msg("a {channel} order needs a customer (code or name)",
                                          channel=order.channel))
        if order.customer_code and order.customer_code not in customers and not order.customer_name:
            problems.add(order.where, msg(
                "customer_code '{customer_code}' is new and customer_name is missing",
                customer_code=order.customer_code))
    return customers


# --------------------------------------------------------------------------- the site's time

_MAX_AHEAD_OF_UTC = timedelta(hours=14)


def site_time_to_utc(value: datetime | None, site_zone: tzinfo) -> datetime | None:
    """A parsed time as stored: a naive one is the site's wall clock, an aware one keeps its offset."""
    return None if value is None else local_to_utc(value, site_zone)


def _times_at_sites(session: Session, orders: list[_Order], now: datetime, problems: _Problems) -> None:
    """Turn each order's times without an offset into UTC with its site's zone, then check what
    needed the zone: not in the future, delivered not before sold."""
    zones: dict[str | None, tzinfo] = {}
    for order in orders:
        if order.sold_at.tzinfo is not None and (order.delivered_at is None or order.delivered_at.tzinfo):
            continue
        if order.site not in zones:
            zones[order.site] = zone_for_site(session, order.site)
        site_zone = zones[order.site]
        sold_at = site_time_to_utc(order.sold_at, site_zone)
        delivered_at = site_time_to_utc(order.delivered_at, site_zone)
        assert sold_at is not None
        if sold_at > now:
            problems.add(order.where, msg(
                "sold_at {sold_at:%Y-%m-%d %H:%M} is in the future at site {site} ({site_zone})",
                sold_at=order.sold_at, site=order.site or msg("(none)"), site_zone=site_zone))
        if delivered_at is not None and delivered_at > now:
            problems.add(order.where, msg(
                "delivered_at {delivered_at:%Y-%m-%d %H:%M} is in the future at site {site} ({site_zone})",
                delivered_at=order.delivered_at, site=order.site or msg("(none)"), site_zone=site_zone))
        if delivered_at is not None and delivered_at < sold_at:
            problems.add(order.where, msg("delivered_at is before sold_at"))
        order.sold_at, order.delivered_at = sold_at, delivered_at


# --------------------------------------------------------------------------- the use case


def read_orders(path: str | Path, *, fmt: str | None = None, encoding: str | None = None,
                now: datetime | None = None) -> tuple[list[_Order], tuple[str, ...], list[str]]:
    """Parse a file into orders without touching the database; returns (orders, ignored columns,
    problems)."""
    p = Path(path)
    _kind(p.name, fmt)  # an unknown format is refused before the file is read
    parsed = parse_orders(_read_bytes(p), p.name, fmt=fmt, encoding=encoding, now=now)
    return parsed.orders, parsed.ignored_columns, parsed.problems


def import_orders(
    ctx: ServiceContext,
    actor: Actor | None,
    path: str | Path,
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    mapping: dict[str, str] | None = None,
) -> ImportResult:
    """Validate the whole file, then write its orders in one transaction (or nothing at all).

    ``actor`` None is the command line run by the machine's administrator. ``encoding`` None
    detects UTF-8 or GB18030; ``ImportResult.read_as`` says how the file was read. ``mapping``
    names the column of each header the file uses (else the header is guessed). Raises
    ``ImportRefused`` with every bad row in ``problems``.
    """
    if actor is not None:
        actor.require(Permission.IMPORT)
    p = Path(path)
    _kind(p.name, fmt)
    return import_data(ctx, actor, _read_bytes(p), p.name, fmt=fmt, encoding=encoding, mapping=mapping)


def check_data(ctx: ServiceContext, actor: Actor | None, data: bytes, name: str, *, fmt: str | None = None,
               encoding: str | None = None, mapping: dict[str, str] | None = None) -> ParsedOrders:
    """The orders of a file and every problem an import would refuse it for, the database's
    included (unknown SKUs, orders imported before); nothing is written."""
    if actor is not None:
        actor.require(Permission.IMPORT)
    now = ctx.now()
    parsed = parse_orders(data, name, fmt=fmt, encoding=encoding, now=now, mapping=mapping)
    problems = _Problems()
    problems.items = list(parsed.problems)
    with ctx.read(actor) as s:
        _times_at_sites(s, parsed.orders, now, problems)
        _check_against_database(s, parsed.orders, problems)
    shown = sorted(problems.items, key=_position)[:MAX_PROBLEMS]
    return ParsedOrders(parsed.orders, parsed.ignored_columns, shown, parsed.read_as)


def import_data(ctx: ServiceContext, actor: Actor | None, data: bytes, name: str, *, fmt: str | None = None,
                encoding: str | None = None, mapping: dict[str, str] | None = None, job: Any = None) -> ImportResult:
    """:func:`import_orders` of a file's bytes (a file chosen at a station, sent to the server).
    ``job`` (an ``import_jobs.Job``) reports progress and stops the import when cancelled."""
    if actor is not None:
        actor.require(Permission.IMPORT)
    return _import_bytes(ctx, actor, data, name, fmt=fmt, encoding=encoding, mapping=mapping, job=job)


def push_orders(ctx: ServiceContext, actor: Actor, orders: Any) -> ImportResult:
    """Orders another system pushes as JSON objects (the web shop, the ERP), checked and written
    as a JSON file of them is. The caller has checked the right to do so (the server: the API
    key's ``orders:write`` scope); ``actor`` is the key's user, named in the audit trail."""
    import json

    if not isinstance(orders, list) or not orders:
        raise ValidationFailed(msg("Send {{\"orders\": [...]}} with at least one order."))
    data = json.dumps({"orders": orders}, ensure_ascii=False, default=str).encode("utf-8")
    return _import_bytes(ctx, actor, data, "orders.json", fmt="json")


def _import_bytes(ctx: ServiceContext, actor: Actor | None, data: bytes, name: str, *, fmt: str | None = None,
                  encoding: str | None = None, mapping: dict[str, str] | None = None, job: Any = None) -> ImportResult:
    now = ctx.now()
    _kind(name, fmt)
    if job is not None:
        job.step("reading", 0, 0)
    parsed = parse_orders(data, name, fmt=fmt, encoding=encoding, now=now, mapping=mapping)
    orders, ignored = parsed.orders, parsed.ignored_columns
    problems = _Problems()
    problems.items = list(parsed.problems)
    if not orders and not problems:
        raise ImportRefused(msg("{name} holds no orders; nothing was imported.", name=name),
                            [msg("{name}: no order lines", name=name)])
    with ctx.write(actor) as s:
        if job is not None:
            job.step("checking", 0, len(orders))
        # Lock first, then check: a concurrent import of the same orders waits instead of colliding.
        ids = bulk.IdAllocator(s, ["customers", "sales_orders", "sales_order_lines"])
        _times_at_sites(s, orders, now, problems)
        customers = _check_against_database(s, orders, problems)
        if problems:
            count = len(problems.items)
            shown = sorted(problems.items, key=_position)[:MAX_PROBLEMS]
            raise ImportRefused(
                msg(
                    "{name}, read as {read_as}, was refused: 1 problem was found, so nothing was imported. Correct "
                    "the rows listed and import the file again." if count == 1 else
                    "{name}, read as {read_as}, was refused: {count} problems were found, so nothing was imported. "
                    "Correct the rows listed and import the file again.",
                    name=name, read_as=parsed.read_as, count=count),
                shown,
            )
        if job is not None:
            job.step("writing", 0, len(orders))
        result = _write(s, ctx, actor, ids, orders, customers, now, ignored, name,
                        hashlib.sha256(data).hexdigest(), parsed.read_as)
        if job is not None:
            job.step("writing", len(orders), len(orders))  # a cancel up to here still rolls back
    ctx.changed("sales_import", result.orders)
    return result


def _position(problem: str) -> tuple[int, ...]:
    """Sort key of "row 7: ..." / "order 2 (SO-1), line 3: ...": the numbers before the colon."""
    where = problem.split(":", 1)[0]
    return tuple(int(n) for n in re.findall(r"(?:row|order|line|item) (\d+)", where))


def _write(s: Session, ctx: ServiceContext, actor: Actor | None, ids: bulk.IdAllocator, orders: list[_Order],
           customers: dict[str, int], now: datetime, ignored: tuple[str, ...], name: str, digest: str,
           read_as: str) -> ImportResult:
    new_customers: list[dict[str, Any]] = []
    by_identity: dict[tuple[str | None, str | None], int] = {}
    need_codes = [o for o in orders if o.customer_code is None and o.customer_name is not None]
    identities = {(o.customer_name, o.customer_phone) for o in need_codes}
    fresh_codes = iter(_fresh_customer_codes(s, len(identities), {o.customer_code for o in orders}))
    order_rows: list[dict[str, Any]] = []
    line_rows: list[dict[str, Any]] = []
    user_id = actor.user_id if actor else None
    total_paid = units = 0
    for order in orders:
        customer_id: int | None = None
        if order.customer_code:
            customer_id = customers.get(order.customer_code)
            if customer_id is None:
                customer_id = ids.take("customers")
                customers[order.customer_code] = customer_id
                new_customers.append(_customer_row(customer_id, order.customer_code, order, now))
        elif order.customer_name:
            key = (order.customer_name, order.customer_phone)
            customer_id = by_identity.get(key)
            if customer_id is None:
                customer_id = ids.take("customers")
                by_identity[key] = customer_id
                new_customers.append(_customer_row(customer_id, next(fresh_codes), order, now))
        order_id = ids.take("sales_orders")
        paid = sum(line.paid for line in order.lines) + order.shipping
        total_paid += paid
        order_rows.append(dict(
            id=order_id, order_no=order.order_no, channel=order.channel, customer_id=customer_id,
            sold_at=order.sold_at, delivered_at=order.delivered_at, payment_method=order.payment_method,
            currency=order.currency, shipping_minor=order.shipping, total_paid_minor=paid, site=order.site,
            invoice_no=order.invoice_no,
        ))
        for line in sorted(order.lines, key=lambda ln: ln.line_no):
            units += line.quantity
            line_rows.append(dict(
                id=ids.take("sales_order_lines"), order_id=order_id, line_no=line.line_no,
                product_id=line.product_id, quantity=line.quantity, unit_price_minor=line.unit_price,
                discount_minor=line.discount, tax_minor=line.tax, paid_minor=line.paid,
                serial_numbers=",".join(line.serials) or None, qty_in_process=0, qty_returned=0,
                refunded_minor=0, version=1,
            ))
    bulk.insert_rows(s, "customers", new_customers)
    bulk.insert_rows(s, "sales_orders", order_rows)
    bulk.insert_rows(s, "sales_order_lines", line_rows)
    ids.finish()
    numbers = sorted(o.order_no for o in orders)
    audit = bulk.AuditAppender(s)
    audit.add(
        occurred_at=now, user_id=user_id, username=actor.username if actor else None,
        station=(actor.station if actor and actor.station else ctx.station),
        entity="sales_import", entity_id=name[:40], action="imported", before=None,
        after={"orders": len(orders), "lines": len(line_rows), "customers_created": len(new_customers),
               "total_paid_minor": total_paid, "first_order_no": numbers[0], "last_order_no": numbers[-1],
               "file_sha256": digest},
    )
    audit.flush()
    return ImportResult(len(orders), len(line_rows), units, len(new_customers), total_paid,
                        numbers[0], numbers[-1], ignored, read_as)


def _fresh_customer_codes(s: Session, count: int, taken: set[str | None]) -> list[str]:
    """``count`` customer codes from the sequence, passing over codes the file itself gives to new
    customers and codes already in the database (written by an earlier import, for instance)."""
    codes: list[str] = []
    while len(codes) < count:
        need = count - len(codes)
        first = bulk.reserve_numbers(s, "customer", need)
        candidates = [f"C-{n:06d}" for n in range(first, first + need)]
        used = set(s.execute(select(Customer.code).where(Customer.code.in_(candidates))).scalars())
        codes += [c for c in candidates if c not in taken and c not in used]
    return codes


def _customer_row(customer_id: int, code: str, order: _Order, now: datetime) -> dict[str, Any]:
    return dict(id=customer_id, code=code, name=order.customer_name or code, phone=order.customer_phone,
                email=order.customer_email, address=order.customer_address, created_at=now)
