"""Importing sales orders from the shop or the ERP (CSV or JSON).

A file is validated whole before anything is written: if any row is wrong, nothing is imported and
every problem is reported with its row number and the reason. A good file is written in one
transaction, so an import is all or nothing.

CSV — one row per order line, UTF-8 (Excel's "CSV UTF-8" is fine), comma separated, with a header
row. Row numbers in messages are those a spreadsheet shows: the header is row 1, the first line
row 2. The order's own columns repeat on each of its rows and must agree.

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
sold_at               yes       date and time of the sale: 2026-11-20 14:30 or ISO 8601;
                                without an offset (+08:00) it is the site's local time
delivered_at          no        date and time of delivery (store sales: leave blank = sold_at)
payment_method        yes       card, cash, alipay, wechat_pay, bank_transfer, store_credit, cod
currency              no        ISO code with two decimals, default CNY; one per order
shipping              no        shipping the customer paid for the whole order, e.g. 10.00
site                  no        shop or warehouse code
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
as integer minor units (:func:`returndesk.domain.money.to_minor`).

JSON — an object ``{"orders": [...]}`` (or just the list). Each order has the order columns
above, the customer as ``"customer": {"code", "name", "phone", "email", "address"}`` (or the flat
``customer_*`` keys), and ``"lines": [...]`` with the line columns; ``serials`` may be a list.
Amounts may be strings or numbers; strings are recommended (no binary rounding). Messages name
the order and line by position: "order 3, line 2".

Imported sales write no stock movements: the shop's or the ERP's own stock system already
booked the goods out, and ReturnDesk's stock ledger only has to follow what comes back (customer
→ inspection → available, refurbish, ...). Booking the sales out again here would drive the
available stock of the returns warehouse below zero.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.localtime import local_to_utc
from returndesk.domain.money import to_minor
from returndesk.domain.permissions import Permission
from returndesk.domain.scan import normalize_order
from returndesk.store.schema import Customer, Product, SalesOrder

from . import bulk
from .context import Actor, ServiceContext
from .sites import zone_for_site

CHANNELS = ("store", "online", "phone")
PAYMENT_METHODS = ("card", "cash", "alipay", "wechat_pay", "bank_transfer", "store_credit", "cod")

ORDER_COLUMNS = (
    "order_no", "channel", "customer_code", "customer_name", "customer_phone", "customer_email",
    "customer_address", "sold_at", "delivered_at", "payment_method", "currency", "shipping", "site",
)
LINE_COLUMNS = ("line_no", "sku", "quantity", "unit_price", "discount", "tax", "paid", "serials")
COLUMNS = ORDER_COLUMNS + LINE_COLUMNS
REQUIRED_COLUMNS = ("order_no", "channel", "sold_at", "payment_method", "line_no", "sku", "quantity",
                    "unit_price", "paid")

#: Problems listed in one refusal at most; a file this wrong needs fixing at the source anyway.
MAX_PROBLEMS = 1000
_PHONE = re.compile(r"^\+?[0-9 ()\-]{5,32}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_SERIAL_SPLIT = re.compile(r"[;|\n]+")
_LOOKUP_CHUNK = 500


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

    def header(self) -> tuple:
        return (self.channel, self.customer_code, self.customer_name, self.customer_phone,
                self.customer_email, self.customer_address, self.sold_at, self.delivered_at,
                self.payment_method, self.currency, self.shipping, self.site)


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


class ImportRefused(ValidationFailed):
    """The file was refused whole; ``problems`` holds "row N: reason" for every bad row."""


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, reason: str) -> None:
        self.items.append(f"{where}: {reason}")

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
            problems.append(f"{name} is missing")
        return default
    try:
        number = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        problems.append(f"{name} '{raw}' is not an amount (write it like 12.50)")
        return None
    if not number.is_finite():
        problems.append(f"{name} '{raw}' is not an amount (write it like 12.50)")
        return None
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        problems.append(f"{name} '{raw}' has more than two decimals")
        return None
    if number < 0:
        problems.append(f"{name} {raw} is negative")
        return None
    return to_minor(number)


def _whole(value: Any, name: str, problems: list[str], *, minimum: int) -> int | None:
    raw = _text(value)
    if raw == "":
        problems.append(f"{name} is missing")
        return None
    if isinstance(value, bool):
        problems.append(f"{name} {raw} is not a whole number")
        return None
    if isinstance(value, int):
        number = value
    elif re.fullmatch(r"[+-]?\d+", raw):
        number = int(raw)
    else:
        problems.append(f"{name} '{raw}' is not a whole number")
        return None
    if number < minimum:
        kind = "negative" if number < 0 else f"below {minimum}"
        problems.append(f"{name} {number} is {kind}")
        return None
    return number


def parse_timestamp(text: str) -> datetime:
    """A date or date-time as written by shops and ERPs: aware UTC when the text has an offset,
    else naive (the selling site's wall clock; :func:`site_time_to_utc` converts it).

    Raises ``ValueError`` with the accepted forms.
    """
    raw = text.strip()
    if not raw:
        raise ValueError("empty")
    candidate = raw.replace("/", "-")
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        if len(candidate) == 10:
            value = datetime.combine(date.fromisoformat(candidate), time(0, 0))
        else:
            value = datetime.fromisoformat(candidate)
    except ValueError:
        raise ValueError(
            f"'{raw}' is not a date; write 2026-11-20, 2026-11-20 14:30 or 2026-11-20T14:30:00+08:00"
        ) from None
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC)


def _when(value: Any, name: str, problems: list[str], now: datetime, *, required: bool) -> datetime | None:
    raw = _text(value)
    if raw == "":
        if required:
            problems.append(f"{name} is missing")
        return None
    try:
        stamp = parse_timestamp(raw)
    except ValueError as exc:
        problems.append(f"{name} {exc}")
        return None
    # A wall-clock time is at most 14 hours ahead of UTC; the site's zone settles it later.
    if (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC) - _MAX_AHEAD_OF_UTC) > now:
        problems.append(f"{name} {raw} is in the future")
        return None
    return stamp


def _serials(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        items = [_text(v) for v in value]
    else:
        items = _SERIAL_SPLIT.split(_text(value))
    return tuple(s for s in (i.strip() for i in items) if s)


def _order_fields(get, now: datetime, problems: list[str]) -> _Order | None:
    order_no_raw = _text(get("order_no"))
    order_no = None
    if not order_no_raw:
        problems.append("order_no is missing")
    else:
        try:
            order_no = normalize_order(order_no_raw)
        except ValidationFailed:
            problems.append(f"order_no '{order_no_raw}' is not an order number (SO- followed by digits, e.g. SO-1042)")
    channel = _text(get("channel")).lower()
    if not channel:
        problems.append("channel is missing")
    elif channel not in CHANNELS:
        problems.append(f"channel '{channel}' is not one of {', '.join(CHANNELS)}")
    payment = _text(get("payment_method")).lower()
    if not payment:
        problems.append("payment_method is missing")
    elif payment not in PAYMENT_METHODS:
        problems.append(f"payment_method '{payment}' is not one of {', '.join(PAYMENT_METHODS)}")
    currency = _text(get("currency")).upper() or "CNY"
    if not _CURRENCY.match(currency):
        problems.append(f"currency '{currency}' is not a three-letter code such as CNY")
    sold_at = _when(get("sold_at"), "sold_at", problems, now, required=True)
    delivered_at = _when(get("delivered_at"), "delivered_at", problems, now, required=False)
    if sold_at and delivered_at and (sold_at.tzinfo is None) == (delivered_at.tzinfo is None) \
            and delivered_at < sold_at:
        problems.append(f"delivered_at {_text(get('delivered_at'))} is before sold_at {_text(get('sold_at'))}")
    if channel == "store" and delivered_at is None:
        delivered_at = sold_at  # the goods left the shop with the customer
    shipping = _amount(get("shipping"), "shipping", problems, default=0)
    code = _text(get("customer_code")) or None
    name = _text(get("customer_name")) or None
    phone = _text(get("customer_phone")) or None
    email = _text(get("customer_email")) or None
    address = _text(get("customer_address")) or None
    if phone and not _PHONE.match(phone):
        problems.append(f"customer_phone '{phone}' is not a phone number")
    if code and len(code) > 32:
        problems.append(f"customer_code '{code}' is longer than 32 characters")
    if name and len(name) > 120:
        problems.append("customer_name is longer than 120 characters")
    if not code and not name and (phone or email or address):
        problems.append("customer_name is missing (a new customer needs a name)")
    site = _text(get("site")) or None
    if site and len(site) > 32:
        problems.append(f"site '{site}' is longer than 32 characters")
    if order_no is None or sold_at is None or channel not in CHANNELS or payment not in PAYMENT_METHODS \
            or shipping is None:
        return None
    return _Order("", order_no, channel, code, name, phone, email, address, sold_at, delivered_at,
                  payment, currency, shipping, site)


def _line_fields(get, problems: list[str]) -> _Line | None:
    line_no = _whole(get("line_no"), "line_no", problems, minimum=1)
    sku = _text(get("sku"))
    if not sku:
        problems.append("sku is missing")
    quantity = _whole(get("quantity"), "quantity", problems, minimum=1)
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
        problems.append(f"discount {_fmt(discount)} is more than unit_price × quantity ({_fmt(gross)})")
    elif paid != gross - discount:
        problems.append(
            f"paid {_fmt(paid)} is not unit_price × quantity − discount "
            f"({_fmt(unit_price)} × {quantity} − {_fmt(discount)} = {_fmt(gross - discount)})"
        )
    if tax > paid:
        problems.append(f"tax {_fmt(tax)} is more than paid {_fmt(paid)}")
    if serials:
        if len(serials) != quantity:
            problems.append(f"{len(serials)} serial numbers for a quantity of {quantity}")
        elif len(set(serials)) != len(serials):
            problems.append("a serial number is listed twice")
        elif any(len(s) > 80 or "," in s for s in serials):
            problems.append("a serial number is longer than 80 characters or contains a comma")
    return _Line("", line_no, sku, quantity, unit_price, discount, tax, paid, serials)


def _fmt(minor: int) -> str:
    sign = "-" if minor < 0 else ""
    return f"{sign}{abs(minor) // 100}.{abs(minor) % 100:02d}"


# --------------------------------------------------------------------------- reading files


def _read_text(path: Path, encoding: str) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationFailed(f"The file {path} does not exist.") from None
    except OSError as exc:
        raise ValidationFailed(f"The file {path} cannot be read: {exc.strerror or exc}.") from None
    try:
        return data.decode("utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding)
    except LookupError:
        raise ValidationFailed(f"'{encoding}' is not a text encoding Python knows.") from None
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            f"The file {path} is not {encoding} text (byte {exc.start}). Save it as 'CSV UTF-8', or "
            "give its encoding, e.g. --encoding gb18030 for a file saved by a Chinese Excel."
        ) from None


def _csv_orders(text: str, now: datetime, problems: _Problems) -> tuple[list[_Order], tuple[str, ...]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not header:
        raise ImportRefused("The file is empty: it has no header row.", ["row 1: no header row"])
    reader.fieldnames = header
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        message = (f"The header row lacks the column(s) {', '.join(missing)}. "
                   f"The columns are: {', '.join(COLUMNS)}.")
        raise ImportRefused(message, [f"row 1: {message}"])
    duplicates = sorted({h for h in header if header.count(h) > 1 and h})
    if duplicates:
        message = f"The header row names {', '.join(duplicates)} more than once."
        raise ImportRefused(message, [f"row 1: {message}"])
    ignored = tuple(h for h in header if h and h not in COLUMNS)
    orders: dict[str, _Order] = {}
    for index, row in enumerate(reader, start=2):
        if len(problems.items) >= MAX_PROBLEMS:
            break
        if None in row:
            problems.add(f"row {index}", f"has {len(header) + len(row[None])} cells, the header has {len(header)}")
            continue
        if all(_text(v) == "" for v in row.values()):
            continue  # blank lines at the end of a spreadsheet export
        where = f"row {index}"
        errs: list[str] = []
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
            diff = [n for n, a, b in zip(
                ("channel", "customer_code", "customer_name", "customer_phone", "customer_email",
                 "customer_address", "sold_at", "delivered_at", "payment_method", "currency",
                 "shipping", "site"), existing.header(), order.header(), strict=True) if a != b]
            problems.add(where, f"{', '.join(diff)} differ(s) from {existing.where} of order {order.order_no}")
            continue
        existing.lines.append(line)
    return list(orders.values()), ignored


def _json_orders(text: str, now: datetime, problems: _Problems) -> list[_Order]:
    try:
        # Decimal keeps amounts exactly as written (no binary floating point).
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        message = f"The file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        raise ImportRefused(message, [message]) from None
    if isinstance(data, dict):
        data = data.get("orders")
    if not isinstance(data, list):
        message = 'The JSON file must hold {"orders": [...]} or a list of orders.'
        raise ImportRefused(message, [message])
    orders: list[_Order] = []
    for i, raw in enumerate(data, start=1):
        if len(problems.items) >= MAX_PROBLEMS:
            break
        where = f"order {i}"
        if not isinstance(raw, dict):
            problems.add(where, "is not an object")
            continue
        customer = raw.get("customer") or {}
        if not isinstance(customer, dict):
            problems.add(where, "customer is not an object")
            continue

        def get(key: str, raw=raw, customer=customer) -> Any:
            if key.startswith("customer_") and key[9:] in customer:
                return customer.get(key[9:])
            return raw.get(key)

        errs: list[str] = []
        order = _order_fields(get, now, errs)
        label = f"{where} ({_text(raw.get('order_no'))})" if _text(raw.get("order_no")) else where
        for e in errs:
            problems.add(label, e)
        lines = raw.get("lines")
        if not isinstance(lines, list) or not lines:
            problems.add(label, "has no lines")
            continue
        if order is not None:
            order.where = label
        for j, raw_line in enumerate(lines, start=1):
            line_where = f"{label}, line {j}"
            if not isinstance(raw_line, dict):
                problems.add(line_where, "is not an object")
                continue
            line_errs: list[str] = []
            line = _line_fields(raw_line.get, line_errs)
            for e in line_errs:
                problems.add(line_where, e)
            if line is not None and not line_errs and order is not None:
                line.where = line_where
                order.lines.append(line)
        if order is not None and not errs:
            orders.append(order)
    return orders


# --------------------------------------------------------------------------- validation against the database


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _LOOKUP_CHUNK):
        yield items[start:start + _LOOKUP_CHUNK]


def _check_against_database(session, orders: list[_Order], problems: _Problems) -> dict[str, int]:
    """Unknown SKUs, order numbers already imported, duplicate lines; returns customer code -> id."""
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
            problems.add(order.where, f"order {order.order_no} is already in the database (imported before?)")
        seen: dict[int, str] = {}
        for line in order.lines:
            if line.line_no in seen:
                problems.add(line.where, f"line_no {line.line_no} of order {order.order_no} "
                                         f"appears twice (also {seen[line.line_no]})")
            seen[line.line_no] = line.where
            found = products.get(line.sku)
            if found is None:
                problems.add(line.where, f"unknown SKU '{line.sku}' (not in the product catalogue)")
                continue
            line.product_id = found[0]
        if order.customer_code is None and order.customer_name is None and order.channel != "store":
            problems.add(order.where, f"a {order.channel} order needs a customer (code or name)")
        if order.customer_code and order.customer_code not in customers and not order.customer_name:
            problems.add(order.where, f"customer_code '{order.customer_code}' is new and "
                                      "customer_name is missing")
    return customers


# --------------------------------------------------------------------------- the site's time

_MAX_AHEAD_OF_UTC = timedelta(hours=14)


def site_time_to_utc(value: datetime | None, site_zone: tzinfo) -> datetime | None:
    """A parsed time as stored: a naive one is the site's wall clock, an aware one keeps its offset."""
    return None if value is None else local_to_utc(value, site_zone)


def _times_at_sites(session, orders: list[_Order], now: datetime, problems: _Problems) -> None:
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
            problems.add(order.where, f"sold_at {order.sold_at:%Y-%m-%d %H:%M} is in the future at site"
                                      f" {order.site or '(none)'} ({site_zone})")
        if delivered_at is not None and delivered_at > now:
            problems.add(order.where, f"delivered_at {order.delivered_at:%Y-%m-%d %H:%M} is in the future at"
                                      f" site {order.site or '(none)'} ({site_zone})")
        if delivered_at is not None and delivered_at < sold_at:
            problems.add(order.where, "delivered_at is before sold_at")
        order.sold_at, order.delivered_at = sold_at, delivered_at


# --------------------------------------------------------------------------- the use case


def read_orders(path: str | Path, *, fmt: str | None = None, encoding: str = "utf-8",
                now: datetime | None = None) -> tuple[list[_Order], tuple[str, ...], list[str]]:
    """Parse a file into orders without touching the database; returns (orders, ignored columns,
    problems)."""
    p = Path(path)
    kind = (fmt or p.suffix.lstrip(".")).lower()
    if kind not in ("csv", "json"):
        raise ValidationFailed(
            f"Cannot tell the format of {p.name}: name it .csv or .json, or give --format csv|json."
        )
    text = _read_text(p, encoding)
    problems = _Problems()
    stamp = now or datetime.now(UTC)
    if kind == "csv":
        orders, ignored = _csv_orders(text, stamp, problems)
    else:
        orders, ignored = _json_orders(text, stamp, problems), ()
    return orders, ignored, problems.items


def import_orders(
    ctx: ServiceContext,
    actor: Actor | None,
    path: str | Path,
    *,
    fmt: str | None = None,
    encoding: str = "utf-8",
) -> ImportResult:
    """Validate the whole file, then write its orders in one transaction (or nothing at all).

    ``actor`` None is the command line run by the machine's administrator. Raises
    ``ImportRefused`` with every bad row in ``problems``.
    """
    if actor is not None:
        actor.require(Permission.IMPORT)
    p = Path(path)
    now = ctx.now()
    orders, ignored, problem_list = read_orders(p, fmt=fmt, encoding=encoding, now=now)
    problems = _Problems()
    problems.items = list(problem_list)
    if not orders and not problems:
        raise ImportRefused(f"{p.name} holds no orders; nothing was imported.", [f"{p.name}: no order lines"])
    with ctx.db.write() as s:
        # Lock first, then check: a concurrent import of the same orders waits instead of colliding.
        ids = bulk.IdAllocator(s, ["customers", "sales_orders", "sales_order_lines"])
        _times_at_sites(s, orders, now, problems)
        customers = _check_against_database(s, orders, problems)
        if problems:
            count = len(problems.items)
            shown = sorted(problems.items, key=_position)[:MAX_PROBLEMS]
            raise ImportRefused(
                f"{p.name} was refused: {count} problem{'s' if count != 1 else ''} "
                f"{'were' if count != 1 else 'was'} found, so nothing was imported. "
                "Correct the rows listed and import the file again.",
                shown,
            )
        result = _write(s, ctx, actor, ids, orders, customers, now, ignored, p)
    ctx.changed("sales_import", result.orders)
    return result


def _position(problem: str) -> tuple[int, ...]:
    """Sort key of "row 7: ..." / "order 2 (SO-1), line 3: ...": the numbers before the colon."""
    where = problem.split(":", 1)[0]
    return tuple(int(n) for n in re.findall(r"(?:row|order|line) (\d+)", where))


def _write(s, ctx: ServiceContext, actor: Actor | None, ids: bulk.IdAllocator, orders: list[_Order],
           customers: dict[str, int], now: datetime, ignored: tuple[str, ...], path: Path) -> ImportResult:
    new_customers: list[dict[str, Any]] = []
    by_identity: dict[tuple[str | None, str | None], int] = {}
    need_codes = [o for o in orders if o.customer_code is None and o.customer_name is not None]
    identities = {(o.customer_name, o.customer_phone) for o in need_codes}
    next_code = bulk.reserve_numbers(s, "customer", len(identities)) if identities else 0
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
                new_customers.append(_customer_row(customer_id, f"C-{next_code:06d}", order, now))
                next_code += 1
        order_id = ids.take("sales_orders")
        paid = sum(line.paid for line in order.lines) + order.shipping
        total_paid += paid
        order_rows.append(dict(
            id=order_id, order_no=order.order_no, channel=order.channel, customer_id=customer_id,
            sold_at=order.sold_at, delivered_at=order.delivered_at, payment_method=order.payment_method,
            currency=order.currency, shipping_minor=order.shipping, total_paid_minor=paid, site=order.site,
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
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    numbers = sorted(o.order_no for o in orders)
    audit = bulk.AuditAppender(s)
    audit.add(
        occurred_at=now, user_id=user_id, username=actor.username if actor else None,
        station=(actor.station if actor and actor.station else ctx.station),
        entity="sales_import", entity_id=path.name[:40], action="imported", before=None,
        after={"orders": len(orders), "lines": len(line_rows), "customers_created": len(new_customers),
               "total_paid_minor": total_paid, "first_order_no": numbers[0], "last_order_no": numbers[-1],
               "file_sha256": digest},
    )
    audit.flush()
    return ImportResult(len(orders), len(line_rows), units, len(new_customers), total_paid,
                        numbers[0], numbers[-1], ignored)


def _customer_row(customer_id: int, code: str, order: _Order, now: datetime) -> dict[str, Any]:
    return dict(id=customer_id, code=code, name=order.customer_name or code, phone=order.customer_phone,
                email=order.customer_email, address=order.customer_address, created_at=now)
