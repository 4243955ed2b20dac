"""Realistic demo and benchmark data: catalogue, customers, sales, users, stations and returns in
every state of the lifecycle.

What ``returndesk demo`` writes, deterministically for a given seed (and clock):

* suppliers and a catalogue of about 60 products (db/seed/demo.json) in the seeded categories, with
  EAN-13 barcodes built from the suppliers' GS1 company prefixes (valid check digits), Chinese and
  English names, prices, costs and VAT rates; food and gift cards are not returnable;
* customers with Chinese and Western names, mobile numbers, e-mail and postal addresses;
* sales orders over the last ``days`` days from the shops (counter sales), the web shop and the
  phone, with discounts, VAT inside the price, shipping, payment methods, serial numbers, and the
  stock movements of each sale (goods bought in from suppliers when stock runs low);
* demo users of every role with known passwords (:data:`DEMO_ACCOUNTS`), and stations;
* returns spread over every state of :class:`~returndesk.domain.types.ReturnStatus`.

Returns are made two ways. The first ones go through the use cases themselves — intake, receiving
and inspection, approval, refunds, exchange, rejection, cancellation and expiry — on a clock that
walks through the period, so they are exactly what stations would have written. The rest (for load
tests: up to millions) are written in bulk by :func:`_write_bulk_returns`: Core ``executemany`` in
batches, one transaction per batch, of rows that are consistent by construction — running totals
of the order lines, stock movements, credit notes, balanced journal entries (the postings of
:mod:`returndesk.services.usecases.finance`), approvals and an audit event per step chained with
:func:`returndesk.services.tx.audit.event_hash` — so that :func:`finance.check_books` and
:func:`audit.verify_chain` hold afterwards just as they do for the use cases.
"""

from __future__ import annotations

import bisect
import heapq
import json
import math
import random
import time as timer
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from importlib.resources import files
from typing import Any

from sqlalchemy import func, select

from returndesk.domain.messages import dump_lines, dump_text, msg
from returndesk.domain.approval import grade_reason_mismatch, is_frequent_returner, route
from returndesk.domain.errors import ReturnDeskError, ValidationFailed
from returndesk.domain.localtime import CHINA_ZONE
from returndesk.domain.money import allocate, to_minor
from returndesk.domain.policy import PolicyRules, evaluate_line
from returndesk.domain.refund import compute_line_refund, compute_refund
from returndesk.domain.scan import format_rma, gtin_check_digit
from returndesk.domain.types import DISPOSITION_LOCATION, Disposition, Grade, Location, ReturnStatus, Role
from returndesk.domain.units import format_units
from returndesk.store.schema import (
    AuditEvent,
    Product,
    Return,
    SalesOrder,
    SalesOrderLine,
    Site,
    Station,
    StockLocation,
    StockMovement,
    Supplier,
    User,
)

from returndesk.services.usecases import (
    approval,
    auth,
    counter,
    exchange,
    finance,
    inspection,
    intake,
    receiving,
    refunds,
    review,
    sessions,
    webhooks,
)
from returndesk.services.tx import bulk, summaries
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.usecases.finance import tax_inside
from returndesk.domain.inspection import DEFECT_CLAIM_REASONS, UnitChecks, default_disposition, worst_grade
from returndesk.services.usecases.sales import load_active_policy
from returndesk.services.tx.views import load_return, return_detail

#: Called with (stage, done, total) as the demo makes progress.
Progress = Callable[[str, int, int], None]

#: The shops' and the demo's time zone (China Standard Time): business hours and days.
LOCAL = timezone(timedelta(hours=8), "CST")
#: Returns that go through the use cases one by one unless told otherwise.
DEFAULT_VIA_SERVICES = 300
#: Orders, and returns, per bulk transaction.
BATCH = 2000


@dataclass(frozen=True)
class DemoAccount:
    """A demo user and the password the demo gives it."""

    username: str
    password: str
    role: Role
    display_name: str
    approval_limit_minor: int


def _demo_data() -> dict[str, Any]:
    return json.loads((files("returndesk.db") / "seed" / "demo.json").read_text("utf-8"))


def demo_accounts() -> tuple[DemoAccount, ...]:
    """The demo users with their passwords, as ``returndesk demo`` creates them."""
    return tuple(
        DemoAccount(a["username"], a["password"], Role(a["role"]), a["display_name"], to_minor(a["limit"]))
        for a in _demo_data()["accounts"]
    )


DEMO_ACCOUNTS = demo_accounts()


@dataclass(frozen=True)
class DemoResult:
    """What the demo wrote (counts over the whole database for returns by status)."""

    products: int
    customers: int
    orders: int
    order_lines: int
    stations: int
    returns: int
    returns_via_services: int
    returns_bulk: int
    bulk_seconds: float
    returns_by_status: tuple[tuple[str, int], ...]
    accounts: tuple[DemoAccount, ...]
    seconds: float

    @property
    def bulk_rate(self) -> float:
        """Bulk returns written per second (0 when none were)."""
        return self.returns_bulk / self.bulk_seconds if self.bulk_seconds > 0 else 0.0


@dataclass(frozen=True)
class _Item:
    """A catalogue product as the generators need it."""

    id: int
    sku: str
    category: str
    price: int
    cost: int
    tax_rate_bp: int
    returnable: bool
    serial_tracked: bool
    weight: float
    has_supplier: bool


@dataclass
class _Reference:
    items: list[_Item]
    by_id: dict[int, _Item]
    actors: dict[str, Actor]
    stations: int
    locations: dict[str, int]


def _rng(seed: int, stream: str) -> random.Random:
    # A separate, seeded stream per stage: changing one stage's draws leaves the others alone.
    return random.Random(f"returndesk-demo:{seed}:{stream}")


def ean13(prefix: str, item_ref: int) -> str:
    """An EAN-13 from a 7-digit GS1 company prefix and an item reference (check digit added)."""
    body = f"{prefix}{item_ref:05d}"[:12]
    return body + gtin_check_digit(body)


# --------------------------------------------------------------------------- reference data


def _ensure_reference(ctx: ServiceContext) -> _Reference:
    """Suppliers, catalogue, users and stations; what exists already (by code) is kept."""
    data = _demo_data()
    with ctx.db.write() as s:
        suppliers = {sup.code: sup for sup in s.execute(select(Supplier)).scalars()}
        for sup in data["suppliers"]:
            if sup["code"] not in suppliers:
                row = Supplier(code=sup["code"], name=sup["name"], address=sup["address"],
                               rtv_contact=sup["rtv_contact"])
                s.add(row)
                suppliers[sup["code"]] = row
        s.flush()
        prefixes = {sup["code"]: sup["gs1"] for sup in data["suppliers"]}
        have = set(s.execute(select(Product.sku)).scalars())
        for index, p in enumerate(data["products"], start=1):
            if p["sku"] in have:
                continue
            # Gift cards carry an in-store number (GS1 prefix 2: restricted circulation).
            barcode = ean13(prefixes[p["supplier"]] if p["supplier"] else "2000000", 10 * index + 1)
            s.add(Product(
                sku=p["sku"], barcode=barcode, name=p["name"], name_zh=p["name_zh"], category=p["category"],
                supplier_id=suppliers[p["supplier"]].id if p["supplier"] else None,
                price_minor=to_minor(p["price"]), cost_minor=to_minor(p["cost"]), tax_rate_bp=p["tax_rate_bp"],
                returnable=p["returnable"], serial_tracked=p["serial_tracked"],
            ))
        have_stations = set(s.execute(select(Station.code)).scalars())
        for st in data["stations"]:
            if st["code"] not in have_stations:
                s.add(Station(code=st["code"], name=st["name"], kind=st["kind"], site=st["site"],
                              settings_json="{}"))
        # Every demo shop and warehouse is in China: their sales count Shanghai's days.
        have_sites = set(s.execute(select(Site.code)).scalars())
        for code in sorted({st["site"] for st in data["stations"] if st["site"]} | set(_STORE_SITES) | {"*"}):
            if code not in have_sites:
                s.add(Site(code=code, name="All sites" if code == "*" else code,
                           kind="warehouse" if code.startswith("WH") else "store",
                           time_zone=CHINA_ZONE, created_at=ctx.now()))
    existing = {u.username for u in auth.list_users(ctx)}
    for account in DEMO_ACCOUNTS:
        if account.username not in existing:
            auth.add_user(ctx, None, username=account.username, display_name=account.display_name,
                          role=account.role, password=account.password,
                          approval_limit_minor=account.approval_limit_minor)
    skus = [p["sku"] for p in data["products"]]
    with ctx.db.read() as s:
        rows = s.execute(select(Product).where(Product.sku.in_(skus))).scalars().all()
        by_sku = {p.sku: p for p in rows}
        items = []
        for sku in skus:
            p = by_sku[sku]
            # Cheap things sell more often; electronics sell well whatever they cost.
            weight = (1.0 / math.sqrt(p.price_minor / 100 + 20)) * (2.0 if p.category == "electronics" else 1.0)
            items.append(_Item(p.id, p.sku, p.category, p.price_minor, p.cost_minor, p.tax_rate_bp,
                               bool(p.returnable), bool(p.serial_tracked), weight, p.supplier_id is not None))
        users = s.execute(select(User).where(User.username.in_([a.username for a in DEMO_ACCOUNTS]))).scalars()
        station_of = {Role.CLERK: "COUNTER-SH01", Role.INSPECTOR: "DOCK-WH1-1", Role.SUPERVISOR: "SUPERVISOR-1",
                      Role.MANAGER: "SUPERVISOR-1", Role.FINANCE: "FINANCE-1", Role.ADMIN: "SUPERVISOR-1"}
        actors = {}
        for u in users:
            role = Role(u.role)
            station = station_of[role]
            if u.username == "clerk2":
                station = "COUNTER-BJ02"
            elif u.username == "inspector2":
                station = "DOCK-WH1-2"
            actors[u.username] = Actor(u.id, u.username, u.display_name, role, u.approval_limit_minor, station)
        stations = s.execute(select(func.count()).select_from(Station)).scalar_one()
        locations = dict(s.execute(select(StockLocation.code, StockLocation.id)).all())
    return _Reference(items, {i.id: i for i in items}, actors, int(stations), locations)


# --------------------------------------------------------------------------- customers


def _make_customers(ctx: ServiceContext, rng: random.Random, count: int, now: datetime,
                    progress: Progress) -> list[int]:
    """Write ``count`` customers; returns their ids."""
    names = _demo_data()["names"]
    ids: list[int] = []
    phones: set[str] = set()
    done = 0
    while done < count:
        n = min(BATCH * 5, count - done)
        with ctx.db.write() as s:
            alloc = bulk.IdAllocator(s, ["customers"])
            first_code = bulk.reserve_numbers(s, "customer", n)
            first_id = alloc.take("customers", n)
            rows = []
            for k in range(n):
                rows.append(_customer(rng, names, first_id + k, f"C-{first_code + k:06d}", now, phones))
            bulk.insert_rows(s, "customers", rows)
            alloc.finish()
        ids.extend(range(first_id, first_id + n))
        done += n
        progress("customers", done, count)
    return ids


def _cn_mobile(rng: random.Random, phones: set[str]) -> str:
    prefixes = ("130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "158",
                "159", "166", "177", "180", "181", "186", "187", "188", "189", "198", "199")
    while True:
        phone = rng.choice(prefixes) + f"{rng.randrange(10**8):08d}"
        if phone not in phones:
            phones.add(phone)
            return phone


def _customer(rng: random.Random, names: dict, cid: int, code: str, now: datetime, phones: set[str]) -> dict:
    created = now - timedelta(days=rng.uniform(95, 900))
    n, b, r = rng.randint(1, 999), rng.randint(1, 30), rng.randint(101, 2808)
    if rng.random() < 0.75:
        surname, pinyin = rng.choice(names["cn_surnames"])
        name = surname + rng.choice(names["cn_given"])
        phone = _cn_mobile(rng, phones)
        email = f"{pinyin}{rng.randint(10, 9999)}@example.cn" if rng.random() < 0.6 else None
        address = rng.choice(names["cn_addresses"]).format(n=n, b=b, r=r)
    else:
        first, last = rng.choice(names["west_first"]), rng.choice(names["west_last"])
        name = f"{first} {last}"
        roll = rng.random()
        if roll < 0.6:
            phone = _cn_mobile(rng, phones)
        elif roll < 0.8:
            phone = f"+44 7700 900{rng.randrange(1000):03d}"  # UK numbers reserved for drama
        else:
            phone = f"+1 415 555 01{rng.randrange(100):02d}"  # the 555-01xx fictional range
        simple = last.lower().replace("ü", "ue").replace("'", "").replace("í", "i")
        email = f"{first.lower()}.{simple}@example.com" if rng.random() < 0.8 else None
        address = rng.choice(names["west_addresses"]).format(n=n, b=b, r=r)
    return dict(id=cid, code=code, name=name, phone=phone, email=email, address=address, created_at=created)


# --------------------------------------------------------------------------- sales


_CHANNELS = (("store", 0.35), ("online", 0.55), ("phone", 0.10))
_PAYMENTS = {
    "store": (("wechat_pay", 35), ("alipay", 35), ("card", 20), ("cash", 10)),
    "online": (("alipay", 45), ("wechat_pay", 40), ("card", 15)),
    "phone": (("cod", 40), ("bank_transfer", 30), ("card", 30)),
}
_STORE_SITES = ("SH01", "BJ02")
_REORDER_FLOOR = 40


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    total = sum(w for _, w in weighted)
    roll = rng.random() * total
    for value, w in weighted:
        roll -= w
        if roll < 0:
            return value
    return weighted[-1][0]


def _sold_at(index: int, count: int, u: float, start: datetime, days: int, now: datetime) -> datetime:
    """The sale time of order ``index`` of ``count``: spread over the days, in shop hours (08-23 CST),
    increasing with the index so that order numbers follow time."""
    position = days * (index + u) / count
    day = int(position)
    fraction = position - day
    local = start + timedelta(days=day, hours=8 + 15 * fraction)
    latest = now - timedelta(minutes=30)
    if local > latest:
        local = latest - timedelta(seconds=count - index)
    return local.astimezone(UTC)


def _next_order_number(session) -> int:
    last = session.execute(
        select(SalesOrder.order_no).where(SalesOrder.order_no.like("SO-%"))
        .order_by(func.length(SalesOrder.order_no).desc(), SalesOrder.order_no.desc()).limit(1)
    ).scalar_one_or_none()
    if last is None or not last[3:].isdigit():
        return 1_000_001
    return max(int(last[3:]) + 1, 1_000_001)


def _stock_available(session, product_ids: list[int], available_id: int) -> dict[int, int]:
    incoming = dict(session.execute(
        select(StockMovement.product_id, func.sum(StockMovement.quantity))
        .where(StockMovement.to_location_id == available_id, StockMovement.product_id.in_(product_ids))
        .group_by(StockMovement.product_id)).all())
    outgoing = dict(session.execute(
        select(StockMovement.product_id, func.sum(StockMovement.quantity))
        .where(StockMovement.from_location_id == available_id, StockMovement.product_id.in_(product_ids))
        .group_by(StockMovement.product_id)).all())
    return {pid: int(incoming.get(pid, 0) or 0) - int(outgoing.get(pid, 0) or 0) for pid in product_ids}


@dataclass
class _SalesSummary:
    orders: int = 0
    lines: int = 0
    first_order_id: int = 0
    last_order_id: int = 0
    # Order ids and sale times (POSIX seconds) in time order: finding sales of a period in memory.
    ids: array = field(default_factory=lambda: array("q"))
    times: array = field(default_factory=lambda: array("d"))


def _make_orders(ctx: ServiceContext, ref: _Reference, rng: random.Random, count: int, days: int,
                 customers: list[int], now: datetime, progress: Progress) -> _SalesSummary:
    """Write ``count`` sales orders over the last ``days`` days, with their stock movements."""
    summary = _SalesSummary()
    if count == 0:
        return summary
    items = ref.items
    weights = [i.weight for i in items]
    available_id = ref.locations[Location.AVAILABLE.value]
    outside_id = ref.locations[Location.CUSTOMER.value]
    start = (now.astimezone(LOCAL) - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    with ctx.db.read() as s:
        next_no = _next_order_number(s)
        stock_level = _stock_available(s, [i.id for i in items], available_id)
    done = 0
    while done < count:
        n = min(BATCH, count - done)
        orders: list[dict] = []
        lines: list[tuple[dict, _Item]] = []
        for k in range(n):
            index = done + k
            sold = _sold_at(index, count, rng.random(), start, days, now)
            order, order_lines = _order(rng, items, weights, customers, sold, now)
            order["order_no"] = f"SO-{next_no + index}"
            orders.append(order)
            lines.extend((ol, item) for ol, item in order_lines)
        with ctx.db.write() as s:
            alloc = bulk.IdAllocator(s, ["sales_orders", "sales_order_lines", "stock_movements"])
            demand: dict[int, int] = {}
            for ol, item in lines:
                demand[item.id] = demand.get(item.id, 0) + ol["quantity"]
            first_sale = orders[0]["sold_at"]
            movements: list[dict] = []
            for pid, qty in sorted(demand.items()):
                if stock_level[pid] - qty < _REORDER_FLOOR:
                    # Bought in from the supplier the day before this batch of sales.
                    receipt = qty + max(_REORDER_FLOOR * 2, qty)
                    movements.append(dict(product_id=pid, from_location_id=outside_id, to_location_id=available_id,
                                          quantity=receipt, return_id=None, reason="purchase_receipt",
                                          created_at=first_sale - timedelta(days=1), created_by=None))
                    stock_level[pid] += receipt
                stock_level[pid] -= qty
            order_ids = iter(range(alloc.take("sales_orders", len(orders)), 10**18))
            line_ids = iter(range(alloc.take("sales_order_lines", len(lines)), 10**18))
            line_iter = iter(lines)
            for order in orders:
                order["id"] = oid = next(order_ids)
                for _ in range(order.pop("_lines")):
                    ol, _item = next(line_iter)
                    ol["id"] = next(line_ids)
                    ol["order_id"] = oid
                    movements.append(dict(product_id=ol["product_id"], from_location_id=available_id,
                                          to_location_id=outside_id, quantity=ol["quantity"], return_id=None,
                                          reason="sale", created_at=order["sold_at"], created_by=None))
            first_move = alloc.take("stock_movements", len(movements))
            for offset, mv in enumerate(movements):
                mv["id"] = first_move + offset
            bulk.insert_rows(s, "sales_orders", orders)
            bulk.insert_rows(s, "sales_order_lines", [ol for ol, _ in lines])
            bulk.insert_rows(s, "stock_movements", movements)
            alloc.finish()
        for order in orders:
            summary.ids.append(order["id"])
            summary.times.append(order["sold_at"].timestamp())
        if not summary.first_order_id:
            summary.first_order_id = orders[0]["id"]
        summary.last_order_id = orders[-1]["id"]
        summary.orders += len(orders)
        summary.lines += len(lines)
        done += n
        progress("sales orders", done, count)
    return summary


def _order(rng: random.Random, items: list[_Item], weights: list[float], customers: list[int],
           sold: datetime, now: datetime) -> tuple[dict, list[tuple[dict, _Item]]]:
    channel = _pick(rng, _CHANNELS)
    customer_id: int | None = customers[int(len(customers) * rng.random() ** 1.5)] if customers else None
    if channel == "store":
        site = rng.choice(_STORE_SITES)
        delivered: datetime | None = sold
        if rng.random() < 0.15:
            customer_id = None  # walk-in without a membership
    else:
        site = "WH-EAST"
        delivered = sold + timedelta(days=rng.randint(1, 4), hours=rng.uniform(0, 10))
        if delivered >= now:
            delivered = None
    payment = _pick(rng, _PAYMENTS[channel])
    count = int(_pick(rng, (("1", 55), ("2", 28), ("3", 12), ("4", 5))))
    chosen: list[_Item] = []
    while len(chosen) < count:
        item = rng.choices(items, weights)[0]
        if item not in chosen:
            chosen.append(item)
    lines: list[tuple[dict, _Item]] = []
    goods = 0
    for line_no, item in enumerate(chosen, start=1):
        if item.price < 10000:
            qty = int(_pick(rng, (("1", 60), ("2", 30), ("3", 10))))
        elif item.price < 50000:
            qty = 1 if rng.random() < 0.85 else 2
        else:
            qty = 1
        gross = item.price * qty
        discount = 0
        if item.category != "gift_cards" and rng.random() < 0.25:
            # Promotions take whole yuan off.
            discount = (gross * rng.choice((5, 10, 15, 20)) // 100) // 100 * 100
        paid = gross - discount
        serials = None
        if item.serial_tracked:
            serials = ",".join(f"{item.sku.replace('-', '')}{sold:%y}{rng.getrandbits(32):08X}" for _ in range(qty))
        goods += paid
        lines.append((dict(line_no=line_no, product_id=item.id, quantity=qty, unit_price_minor=item.price,
                           discount_minor=discount, tax_minor=tax_inside(paid, item.tax_rate_bp), paid_minor=paid,
                           serial_numbers=serials, qty_in_process=0, qty_returned=0, refunded_minor=0,
                           version=1), item))
    shipping = 0
    if channel == "online" and goods < 9900:
        shipping = 1000
    elif channel == "phone":
        shipping = 1500
    order = dict(channel=channel, customer_id=customer_id, sold_at=sold, delivered_at=delivered,
                 payment_method=payment, currency="CNY", shipping_minor=shipping,
                 total_paid_minor=goods + shipping, site=site, _lines=len(lines))
    return order, lines


# --------------------------------------------------------------------------- return plans
#
# Every demo return follows a plan drawn up front: which order lines, why, what inspection will
# find, how it ends (rejected, cancelled, expired, refunded, exchanged...) and how long each step
# takes. Steps whose time lies after "now" have not happened yet: that is what spreads returns over
# the states, recent ones still open and older ones finished. Plans are carried out either through
# the use cases (on a clock set to each step's time) or written in bulk with the same figures.

_CUSTOMER_REASONS = ("wrong_size", "changed_mind", "better_price", "late_delivery")
_REASONS_SOFT = (("wrong_size", 45), ("changed_mind", 25), ("defective", 10), ("not_as_described", 10),
                 ("damaged_in_transit", 5), ("wrong_item", 5))
_REASONS_HARD = (("defective", 30), ("changed_mind", 30), ("not_as_described", 10), ("better_price", 8),
                 ("damaged_in_transit", 10), ("wrong_item", 5), ("late_delivery", 7))
_REMOTE_ONLY = frozenset({"damaged_in_transit", "wrong_item", "late_delivery"})
_REFUND_ONLY = frozenset({"better_price", "late_delivery"})
_VENDOR_FAULT = frozenset({"defective", "damaged_in_transit", "wrong_item", "not_as_described"})
_GRADES = {
    "defective": (("D", 45), ("C", 20), ("B", 20), ("A", 15)),
    "damaged_in_transit": (("C", 40), ("D", 40), ("B", 20)),
    "wrong_item": (("A", 80), ("B", 20)),
    "not_as_described": (("A", 50), ("B", 40), ("C", 10)),
}
_GRADES_CUSTOMER = (("A", 55), ("B", 35), ("C", 8), ("D", 2))
#: Unit price paid above which a refund is surely routed to a supervisor (auto limit 200.00).
_SURELY_ROUTED_MINOR = 30000

# The lifecycle steps a plan can take, in the order a return meets them.
CREATE, AUTHORIZE, REJECT, CANCEL, EXPIRE, RECEIVE, INSPECT, DECIDE, SETTLE, FULFIL, CLOSE, ASK = (
    "create", "authorize", "reject", "cancel", "expire", "receive", "inspect", "decide", "settle",
    "fulfil", "close", "ask")

#: Written words of decisions the demo users give.
_TEXTS = {
    REJECT: ("The order was a final-sale clearance item; returns were excluded at purchase.",
             "The customer's photos show damage from use, not a defect; the request is declined.",
             "The same items were returned and refunded on an earlier request."),
    CANCEL: ("The customer decided to keep the item.", "The customer asked to cancel by phone.",
             "Duplicate request; the customer opened another return."),
    "reject_refund": ("Inspection found heavy wear and missing parts; not refundable as returned.",
                      "The unit was damaged by the customer (liquid damage); the goods go back.",
                      "The serial number does not match our sale; the goods go back to the customer."),
    ASK: ("Please send a photo of the fault and of the serial number label.",
          "Was the item opened? Please tell us whether the original packaging is complete.",
          "Which colour did you receive? The order shows two variants."),
    "override": ("Long-standing customer; goodwill return approved by the supervisor.",
                 "Delivery was delayed by the carrier; the window is extended as a courtesy."),
}


@dataclass
class _Unit:
    grade: str
    rejected: bool = False  # the inspector sends it back (damage by the customer)


@dataclass
class _PlanLine:
    order_line_id: int
    line_no: int
    item: _Item
    qty: int
    purchased: int
    paid: int
    tax: int
    serials: list[str]
    reason: str
    resolution: str
    units: list[_Unit]  # units that arrive; qty - len(units) are short

    @property
    def vendor_fault(self) -> bool:
        return self.reason in _VENDOR_FAULT


@dataclass
class _Order:
    id: int
    order_no: str
    channel: str
    customer_id: int | None
    sold_at: datetime
    delivered_at: datetime | None
    shipping: int
    goods: int  # paid for all lines of the order, shipping excluded
    payment_method: str

    @property
    def reference(self) -> datetime | None:
        """When the policy window starts: the sale in a shop, else the delivery."""
        return self.sold_at if self.channel == "store" else self.delivered_at


@dataclass
class _Plan:
    key: int
    order: _Order
    channel: str  # counter | remote
    method: str
    lines: list[_PlanLine]
    created: datetime
    creator: str
    override: str | None
    fate: str  # draft | reject | cancel_requested | cancel_authorized | expire | complete | ask
    reject_refund: bool
    exchange: bool
    close: bool
    delays: dict[str, timedelta]
    rng_state: int
    target: str | None = None
    rma_no: str | None = None
    fast: bool = False  # the counter fast path: inspected and (if approved at once) refunded on the spot


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _hours(rng: random.Random, lo: float, hi: float) -> timedelta:
    return timedelta(hours=rng.uniform(lo, hi))


def _delays(rng: random.Random, channel: str) -> dict[str, timedelta]:
    if channel == "counter":
        return {
            INSPECT: timedelta(minutes=rng.uniform(4, 20)), DECIDE: _hours(rng, 0.2, 20),
            SETTLE: timedelta(minutes=rng.uniform(2, 15)), FULFIL: timedelta(minutes=rng.uniform(1, 10)),
            CLOSE: _hours(rng, 2, 96), CANCEL: _hours(rng, 1, 20), AUTHORIZE: timedelta(0),
        }
    return {
        AUTHORIZE: _hours(rng, 1, 30), CANCEL: _hours(rng, 0.5, 20), RECEIVE: _hours(rng, 48, 216),
        INSPECT: _hours(rng, 1, 48), DECIDE: _hours(rng, 2, 60), SETTLE: _hours(rng, 1, 40),
        FULFIL: _hours(rng, 24, 72), CLOSE: _hours(rng, 24, 150),
    }


def _expire_time(authorized: datetime, rules_deadline_days: int) -> datetime:
    """The first expiry run after an authorized remote return's deadline passed (00:05 UTC)."""
    receive_by = authorized.astimezone(UTC).date() + timedelta(days=rules_deadline_days)
    return datetime.combine(receive_by + timedelta(days=1), datetime.min.time(), tzinfo=UTC) + timedelta(minutes=5)


def _schedule(plan: _Plan, routed: bool, deadline_days: int) -> dict[str, timedelta]:
    """Each step's time after creation, given whether the refund will be routed to someone."""
    d = plan.delays
    at: dict[str, timedelta] = {CREATE: timedelta(0)}
    if plan.fate == "draft":
        return at
    if plan.channel == "remote":
        if plan.fate == "reject":
            at[REJECT] = d[AUTHORIZE]
            return at
        if plan.fate == "cancel_requested":
            at[CANCEL] = min(d[CANCEL], d[AUTHORIZE] * 0.9)
            return at
        if plan.fate == "ask":
            at[ASK] = d[AUTHORIZE] * 0.5
            return at
        at[AUTHORIZE] = d[AUTHORIZE]
        if plan.fate == "cancel_authorized":
            at[CANCEL] = at[AUTHORIZE] + min(d[CANCEL], d[RECEIVE] * 0.9)
            return at
        if plan.fate == "expire":
            at[EXPIRE] = _expire_time(plan.created + at[AUTHORIZE], deadline_days) - plan.created
            return at
        at[RECEIVE] = at[AUTHORIZE] + d[RECEIVE]
    else:
        at[RECEIVE] = timedelta(0)
    at[INSPECT] = at[RECEIVE] + d[INSPECT]
    decided = at[INSPECT]
    if routed:
        decided = at[DECIDE] = at[INSPECT] + d[DECIDE]
    if plan.reject_refund and routed:
        if plan.close:
            at[CLOSE] = decided + d[CLOSE]
        return at
    at[SETTLE] = decided + d[SETTLE]
    last = at[SETTLE]
    if plan.exchange:
        last = at[FULFIL] = at[SETTLE] + d[FULFIL]
    if plan.close:
        at[CLOSE] = last + d[CLOSE]
    return at


def _state_interval(plan: _Plan, target: str, at: dict[str, timedelta]) -> tuple[timedelta, timedelta | None] | None:
    """When (after creation) a plan rests in ``target``: [enter, exit); None when it never does."""
    def span(enter: str, *exits: str) -> tuple[timedelta, timedelta | None] | None:
        if enter not in at:
            return None
        later = [at[e] for e in exits if e in at and at[e] >= at[enter]]
        return at[enter], (min(later) if later else None)

    if target == "draft":
        return (timedelta(0), None) if plan.fate == "draft" else None
    if target == "requested":
        if plan.fate == "draft" or plan.channel != "remote":
            return None
        return span(CREATE, AUTHORIZE, REJECT, CANCEL, ASK)
    if target == "waiting_for_customer":
        return span(ASK)
    if target == "authorized":
        return span(AUTHORIZE, RECEIVE, CANCEL, EXPIRE)
    if target == "inspected":
        return (at[INSPECT], at[INSPECT] + timedelta(hours=30)) if INSPECT in at else None
    if target == "received":
        return span(RECEIVE, INSPECT) if INSPECT in at else None
    if target == "awaiting_approval":
        return span(INSPECT, DECIDE) if DECIDE in at else None
    if target == "approved":
        if SETTLE not in at:
            return None
        return span(DECIDE if DECIDE in at else INSPECT, SETTLE)
    if target == "refund_rejected":
        return span(DECIDE, CLOSE) if DECIDE in at and SETTLE not in at else None
    if target in ("refunded", "exchanged"):
        return span(SETTLE, CLOSE)
    if target == "closed":
        return span(CLOSE)
    if target == "rejected":
        return span(REJECT)
    if target == "cancelled":
        return span(CANCEL)
    if target == "expired":
        return span(EXPIRE)
    return None


def _fate_for_target(target: str) -> dict[str, Any]:
    """Plan settings that make a plan pass through ``target`` (the routed flag included)."""
    settings: dict[str, Any] = dict(channel="remote", fate="complete", reject_refund=False, exchange=False,
                                    close=False, routed=None)
    if target == "draft":
        settings["fate"] = "draft"
    elif target == "rejected":
        settings["fate"] = "reject"
    elif target == "waiting_for_customer":
        settings["fate"] = "ask"
    elif target == "cancelled":
        settings["fate"] = "cancel_authorized"
    elif target == "expired":
        settings["fate"] = "expire"
    elif target in ("awaiting_approval", "refund_rejected"):
        settings.update(routed=True, reject_refund=target == "refund_rejected")
    elif target == "exchanged":
        settings["exchange"] = True
    elif target == "closed":
        settings["close"] = True
    return settings


@dataclass
class _Candidate:
    """An order line that can still be returned."""

    id: int
    line_no: int
    item: _Item
    quantity: int
    remaining: int
    paid: int
    tax: int
    serials: list[str]


def _window_days(rules: PolicyRules, line: _PlanLine) -> int:
    return rules.window_for(line.item.category, vendor_fault=line.vendor_fault)


def _elapsed_days(reference: datetime, when: datetime) -> int:
    # The policy counts calendar days in the clock's zone (UTC here).
    return (when.astimezone(UTC).date() - reference.astimezone(UTC).date()).days


def _draw_plan(
    rng: random.Random,
    key: int,
    order: _Order,
    candidates: list[_Candidate],
    created: datetime,
    rules: PolicyRules,
    *,
    channel: str | None = None,
    settings: dict[str, Any] | None = None,
) -> _Plan:
    """A plan for returning some of ``candidates`` (lines of ``order``) at ``created``."""
    forced = settings is not None
    settings = dict(settings or {})
    if channel is None:
        if order.channel == "store":
            channel = "counter" if rng.random() < 0.7 else "remote"
        else:
            channel = "counter" if rng.random() < 0.1 else "remote"
    if forced:
        channel = settings.get("channel", channel)
    if forced:
        fate = settings["fate"]
        reject_refund, exchange, close = settings["reject_refund"], settings["exchange"], settings["close"]
    else:
        fate = "complete"
        if channel == "remote":
            fate = _pick(rng, (("draft", 2), ("reject", 4), ("cancel_requested", 3), ("cancel_authorized", 3),
                               ("expire", 4), ("complete", 84)))
        reject_refund = rng.random() < 0.15
        exchange = rng.random() < 0.10
        close = rng.random() < 0.85
    routed_only = bool(settings.get("routed"))
    pool = list(candidates)
    rng.shuffle(pool)
    count = 2 if (not forced and len(pool) >= 2 and rng.random() < 0.25) else 1
    chosen = pool[:count]
    lines: list[_PlanLine] = []
    for cand in chosen:
        soft = cand.item.category in ("apparel", "shoes")
        table = [(r, w) for r, w in (_REASONS_SOFT if soft else _REASONS_HARD)
                 if not (channel == "counter" and r in _REMOTE_ONLY) and not (exchange and r in _REFUND_ONLY)]
        reason = _pick(rng, tuple(table))
        qty = cand.remaining if (cand.remaining > 1 and rng.random() < 0.3) else 1
        units: list[_Unit] = []
        for _ in range(qty):
            grade = "A" if routed_only else _pick(rng, _GRADES.get(reason, _GRADES_CUSTOMER))
            rejected = (not exchange and not routed_only and reason not in _VENDOR_FAULT and rng.random() < 0.04)
            units.append(_Unit(grade, rejected))
        if channel == "remote" and qty >= 2 and not exchange and not routed_only and rng.random() < 0.15:
            units.pop()  # one unit never arrives
        lines.append(_PlanLine(cand.id, cand.line_no, cand.item, qty, cand.quantity, cand.paid, cand.tax,
                               cand.serials, reason, "exchange" if exchange else "refund", units))
    expected = sum(line.paid * line.qty // max(line.purchased, 1) for line in lines)
    if channel == "counter":
        method = _pick(rng, (("cash", 35 if expected <= 40000 else 0), ("original_payment", 45),
                             ("store_credit", 20)))
    elif order.payment_method == "cod":
        method = _pick(rng, (("bank_transfer", 60), ("store_credit", 40)))
    else:
        method = _pick(rng, (("original_payment", 70), ("store_credit", 20), ("bank_transfer", 10)))
    reference = order.reference or created
    late = any(_elapsed_days(reference, created) > _window_days(rules, line) for line in lines)
    override = rng.choice(_TEXTS["override"]) if late else None
    creator = "supervisor" if late else ("clerk" if rng.random() < 0.6 else "clerk2")
    delays = _delays(rng, channel)
    grades = {unit.grade for line in lines for unit in line.units}
    fast = (channel == "counter" and not exchange and len(grades) == 1 and rng.random() < 0.7
            and not any(unit.rejected for line in lines for unit in line.units))
    if fast:
        delays[INSPECT] = delays[SETTLE] = timedelta(0)
    plan = _Plan(key, order, channel, method, lines, created, creator, override, fate, reject_refund,
                 exchange, close, delays, rng.getrandbits(32))
    plan.fast = fast
    return plan


_ORDER_COLUMNS = (SalesOrder.id, SalesOrder.order_no, SalesOrder.channel, SalesOrder.customer_id, SalesOrder.sold_at,
                  SalesOrder.delivered_at, SalesOrder.shipping_minor, SalesOrder.payment_method)
_LINE_COLUMNS = (SalesOrderLine.order_id, SalesOrderLine.id, SalesOrderLine.line_no, SalesOrderLine.product_id,
                 SalesOrderLine.quantity, SalesOrderLine.qty_returned, SalesOrderLine.qty_in_process,
                 SalesOrderLine.paid_minor, SalesOrderLine.tax_minor, SalesOrderLine.serial_numbers)


def _load_orders(session, order_ids: list[int],
                 items: dict[int, _Item]) -> list[tuple[_Order, list[_Candidate]]]:
    """Sales with the lines that can still be returned, in the order of ``order_ids`` (two reads)."""
    if not order_ids:
        return []
    heads = {row.id: row for row in session.execute(select(*_ORDER_COLUMNS).where(SalesOrder.id.in_(order_ids)))}
    lines: dict[int, list[Any]] = {}
    for row in session.execute(select(*_LINE_COLUMNS).where(SalesOrderLine.order_id.in_(order_ids))
                               .order_by(SalesOrderLine.order_id, SalesOrderLine.line_no)):
        lines.setdefault(row.order_id, []).append(row)
    loaded = []
    for order_id in order_ids:
        head = heads.get(order_id)
        if head is None:
            continue
        rows = lines.get(order_id, [])
        view = _Order(head.id, head.order_no, head.channel, head.customer_id, _utc(head.sold_at),
                      _utc(head.delivered_at), head.shipping_minor, sum(r.paid_minor for r in rows),
                      head.payment_method)
        candidates = []
        for ol in rows:
            item = items.get(ol.product_id)
            remaining = ol.quantity - ol.qty_returned - ol.qty_in_process
            if item is None or not item.returnable or remaining < 1 or ol.qty_returned or ol.qty_in_process:
                continue
            serials = [x for x in (ol.serial_numbers or "").split(",") if x]
            if item.serial_tracked and len(serials) < ol.quantity:
                continue
            candidates.append(_Candidate(ol.id, ol.line_no, item, ol.quantity, remaining, ol.paid_minor,
                                         ol.tax_minor, serials))
        loaded.append((view, candidates))
    return loaded


def _load_order(session, order_id: int, items: dict[int, _Item]) -> tuple[_Order | None, list[_Candidate]]:
    loaded = _load_orders(session, [order_id], items)
    return loaded[0] if loaded else (None, [])


def _find_order(
    session, rng: random.Random, sales: _SalesSummary, items: dict[int, _Item], used: set[int],
    lo: datetime, hi: datetime, *, remote: bool | None, min_unit_paid: int = 0, attempts: int = 80,
) -> tuple[_Order, list[_Candidate]] | None:
    """A demo sale whose policy reference lies in [lo, hi] with returnable lines, not used yet."""
    if not sales.times:
        return None
    # Deliveries come up to five days after the sale.
    first = bisect.bisect_left(sales.times, (lo - timedelta(days=5)).timestamp())
    last = bisect.bisect_right(sales.times, hi.timestamp())
    if first >= last:
        return None
    for _ in range(attempts):
        order_id = sales.ids[rng.randrange(first, last)]
        if order_id in used:
            continue
        order, candidates = _load_order(session, order_id, items)
        if order is None or order.reference is None or not lo <= order.reference <= hi:
            continue
        if remote is True and order.channel == "store":
            continue
        if remote is False and order.channel != "store":
            continue
        candidates = [c for c in candidates if c.paid // c.quantity >= min_unit_paid]
        if candidates:
            return order, candidates
    return None


class _ServiceRunner:
    """Carries plans out through the use cases, in time order, on a clock set to each step."""

    def __init__(self, ctx: ServiceContext, ref: _Reference, rules: PolicyRules, now: datetime) -> None:
        self.now = now
        self.at = now
        self.ctx = ServiceContext(db=ctx.db, clock=lambda: self.at, station=None, listeners=[])
        self.ref = ref
        self.rules = rules
        self.schedules: dict[int, dict[str, timedelta]] = {}
        self.routed: dict[int, bool] = {}

    def actor(self, name: str) -> Actor:
        return self.ref.actors[name]

    def run(self, plans: list[_Plan], progress: Progress) -> None:
        heap: list[tuple[datetime, int, int, str]] = []
        by_key = {p.key: p for p in plans}
        tick = 0
        for plan in plans:
            self.schedules[plan.key] = _schedule(plan, False, self.rules.receive_deadline_days)
            heapq.heappush(heap, (plan.created, tick, plan.key, CREATE))
            tick += 1
        done = 0
        while heap:
            when, _, key, step = heapq.heappop(heap)
            plan = by_key[key]
            self.at = when
            try:
                following = self._do(plan, step)
            except ReturnDeskError as exc:
                raise RuntimeError(
                    f"demo return {plan.rma_no or '#' + str(plan.key)} ({plan.order.order_no}) failed at "
                    f"'{step}' on {when:%Y-%m-%d %H:%M}: {exc}"
                ) from exc
            if step == CREATE:
                done += 1
                progress("returns through the use cases", done, len(plans))
            schedule = self.schedules[key]
            for nxt in following:
                at = plan.created + schedule[nxt]
                if at <= self.now:
                    heapq.heappush(heap, (max(at, when), tick, key, nxt))
                    tick += 1

    # ------------------------------------------------------------------ the steps

    def _do(self, plan: _Plan, step: str) -> list[str]:
        ctx = self.ctx
        sched = self.schedules[plan.key]
        rng = random.Random(plan.rng_state + len(step))
        if step == CREATE:
            draft = intake.ReturnDraft(
                order_no=plan.order.order_no, channel=plan.channel, refund_method=plan.method,
                lines=tuple(
                    intake.DraftLine(order_line_id=line.order_line_id, quantity=line.qty, reason_code=line.reason,
                                     resolution=line.resolution,
                                     conditions_met=frozenset(self.rules.required_conditions))
                    for line in plan.lines
                ),
                override_reason=plan.override,
            )
            creator = self.actor(plan.creator)
            if plan.fast:
                return self._fast_path(plan, draft, creator)
            if plan.channel == "counter":
                detail = intake.counter_intake(ctx, creator, draft)
            else:
                detail = intake.create_return(ctx, creator, draft, submit=plan.fate != "draft")
            plan.rma_no = detail.rma_no
            if plan.channel == "counter":
                return [INSPECT]
            return [s for s in (ASK, REJECT, CANCEL, AUTHORIZE) if s in sched and
                    (s != CANCEL or AUTHORIZE not in sched or sched[CANCEL] < sched[AUTHORIZE])]
        assert plan.rma_no is not None
        rma = plan.rma_no
        if step == REJECT:
            intake.reject_return(ctx, self.actor("supervisor"), rma, rng.choice(_TEXTS[REJECT]))
            return []
        if step == ASK:
            review.ask_customer(ctx, self.actor(plan.creator if plan.creator != "supervisor" else "clerk"),
                                rma, rng.choice(_TEXTS[ASK]))
            return []
        if step == CANCEL:
            intake.cancel_return(ctx, self.actor(plan.creator if plan.creator != "supervisor" else "clerk"),
                                 rma, rng.choice(_TEXTS[CANCEL]))
            return []
        if step == AUTHORIZE:
            intake.authorize_return(ctx, self.actor("supervisor" if plan.override else plan.creator), rma)
            return [s for s in (CANCEL, EXPIRE, RECEIVE) if s in sched]
        if step == EXPIRE:
            intake.expire_overdue(ctx, None)
            return []
        if step == RECEIVE:
            receiving.receive_return(ctx, self._inspector(plan), rma)
            return [INSPECT]
        if step == INSPECT:
            inspector = self._inspector(plan)
            detail = self._detail(rma)
            by_line = {line.order_line_id: line for line in detail.lines}
            for line in plan.lines:
                view = by_line[line.order_line_id]
                serials = iter(line.serials)
                groups: dict[tuple[str, bool], list[str | None]] = {}
                for unit in line.units:
                    serial = next(serials) if line.item.serial_tracked else None
                    groups.setdefault((unit.grade, unit.rejected), []).append(serial)
                for (grade, rejected), unit_serials in groups.items():
                    inspection.record_line(
                        ctx, inspector, rma, view.id, quantity=len(unit_serials), grade=grade,
                        disposition="return_to_customer" if rejected else None, checks=_checks(grade),
                        serials=[x for x in unit_serials if x] if line.item.serial_tracked else None,
                    )
            result = inspection.complete_inspection(ctx, inspector, rma)
            routed = result.level.value != "auto"
            self.routed[plan.key] = routed
            self.schedules[plan.key] = sched = _schedule(plan, routed, self.rules.receive_deadline_days)
            return [s for s in (DECIDE, SETTLE, CLOSE) if s in sched][:1]
        if step == DECIDE:
            detail = self._detail(rma)
            approver = self._approver(plan, detail.approval_level)
            if plan.reject_refund:
                approval.reject_refund(ctx, approver, rma, rng.choice(_TEXTS["reject_refund"]))
                return [CLOSE] if CLOSE in sched else []
            approval.approve_refund(ctx, approver, rma)
            return [SETTLE]
        if step == SETTLE:
            if plan.exchange:
                detail = self._detail(rma)
                wanted = self._replacements(plan, detail, rng)
                exchange.create_exchange(ctx, self._clerk(plan), rma, wanted)
                return [FULFIL]
            issuer = self._clerk(plan) if plan.channel == "counter" else self.actor("finance")
            refunds.issue_refund(ctx, issuer, rma)
            return [CLOSE] if CLOSE in sched else []
        if step == FULFIL:
            exchange.fulfil_replacement(ctx, self._clerk(plan), rma)
            return [CLOSE] if CLOSE in sched else []
        if step == CLOSE:
            refunds.close_return(ctx, self.actor("finance"), rma)
            return []
        raise AssertionError(step)

    def _fast_path(self, plan: _Plan, draft: Any, clerk: Actor) -> list[str]:
        """A walk-in done on the spot (counter.counter_return); what follows depends on routing."""
        grade = plan.lines[0].units[0].grade if plan.lines[0].units else "A"
        serials = {line.order_line_id: line.serials[:line.qty] for line in plan.lines if line.item.serial_tracked}
        result = counter.counter_return(self.ctx, clerk, draft, complete_on_spot=True, grade=grade,
                                        serials=serials or None)
        plan.rma_no = result.detail.rma_no
        routed = result.completion is not None and result.completion.level.value != "auto"
        self.routed[plan.key] = routed
        self.schedules[plan.key] = sched = _schedule(plan, routed, self.rules.receive_deadline_days)
        if result.stage == "awaiting_approval":
            return [DECIDE]
        if result.stage == "approved":
            return [SETTLE]
        return [CLOSE] if CLOSE in sched else []

    def _detail(self, rma: str):
        with self.ctx.db.read() as s:
            return return_detail(s, load_return(s, rma_no=rma))

    def _inspector(self, plan: _Plan) -> Actor:
        return self.actor(_inspector_of(plan))

    def _clerk(self, plan: _Plan) -> Actor:
        return self.actor(_clerk_of(plan))

    def _approver(self, plan: _Plan, level: str | None) -> Actor:
        return self.actor(_approver_of(plan, level))

    def _replacements(self, plan: _Plan, detail, rng: random.Random) -> list[tuple[str, int]]:
        return _replacement_choice(plan, {line.order_line_id: line.qty_accepted for line in detail.lines},
                                   self.ref.items, rng)


def _clerk_of(plan: _Plan) -> str:
    """The clerk who serves the customer of a plan (the creator unless a supervisor took it)."""
    return plan.creator if plan.creator in ("clerk", "clerk2") else "clerk"


def _inspector_of(plan: _Plan) -> str:
    """Who receives and inspects: the clerk at the counter, an inspector at the dock."""
    if plan.channel == "counter":
        return _clerk_of(plan)
    return "inspector" if plan.key % 3 else "inspector2"


def _approver_of(plan: _Plan, level: str | None) -> str:
    """Who approves at ``level``: never whoever created or inspected the return."""
    if level == "manager":
        return "manager"
    return "supervisor2" if plan.creator == "supervisor" or plan.key % 2 else "supervisor"


def _checks(grade: str) -> UnitChecks:
    """The inspector's checks that go with a grade (so the grade floor agrees with the grade)."""
    return UnitChecks(
        packaging_intact=grade == "A",
        accessories_complete=grade in ("A", "B"),
        serial_matches=None,
        functional=grade != "D",
    )


def _replacement_choice(plan: _Plan, accepted: dict[int, int], items: list[_Item],
                        rng: random.Random) -> list[tuple[str, int]]:
    """What the customer takes instead: mostly the same item (another size, a working unit),
    sometimes another item of the same category and a similar price."""
    wanted: list[tuple[str, int]] = []
    for line in plan.lines:
        qty = accepted.get(line.order_line_id, 0)
        if qty <= 0:
            continue
        item = line.item
        if rng.random() < 0.3:
            similar = [i for i in items if i.category == item.category and i.id != item.id and i.returnable
                       and 0.7 * item.price <= i.price <= 1.3 * item.price]
            if similar:
                item = rng.choice(similar)
        wanted.append((item.sku, qty))
    return wanted


#: Every state the use cases leave a return in; "inspected" is not among them (completing an
#: inspection routes the return in the same transaction), so the bulk writer makes those.
_SERVICE_TARGETS = ("draft", "requested", "waiting_for_customer", "authorized", "received", "awaiting_approval",
                    "approved", "refund_rejected", "refunded", "exchanged", "closed", "rejected", "cancelled",
                    "expired")


def _plan_for_target(
    session, rng: random.Random, key: int, target: str, sales: _SalesSummary, ref: _Reference,
    rules: PolicyRules, now: datetime, used: set[int],
) -> _Plan | None:
    """A plan that rests in ``target`` now, or None when no sale of the period allows it."""
    settings = _fate_for_target(target)
    for _ in range(12):
        # Delays first: they decide when the plan must have started to be in ``target`` now.
        probe_rng = random.Random(rng.getrandbits(32))
        delays = _delays(probe_rng, settings["channel"])
        if target == "approved":
            # Approved now whether routing approves it at once or a supervisor does.
            delays[SETTLE] = delays[DECIDE] + _hours(probe_rng, 10, 40)
        stub = _Plan(key, _Order(0, "", "online", None, now, now, 0, 0, "card"), settings["channel"], "",
                     [], now, "clerk", None, settings["fate"], settings["reject_refund"], settings["exchange"],
                     settings["close"], delays, 0)
        # After inspection a refund may be approved at once or wait for a supervisor; a plan for a
        # later state is timed as if it waits, so that it has reached its state either way.
        routed = target in ("awaiting_approval", "approved", "refund_rejected", "refunded", "exchanged", "closed")
        at = _schedule(stub, routed, rules.receive_deadline_days)
        span = _state_interval(stub, target, at)
        if span is None:
            return None
        enter, leave = span
        if target == "approved":
            # Approved by a supervisor already, and not yet settled even if approved at once.
            enter, leave = at[DECIDE], at[INSPECT] + delays[SETTLE]
        if leave is None:
            offset = enter + _hours(probe_rng, 1, 240)
        else:
            offset = enter + (leave - enter) * probe_rng.uniform(0.15, 0.85)
        created = now - offset
        found = _find_order(session, rng, sales, ref.by_id, used, created - timedelta(days=25),
                            created - timedelta(hours=2), remote=True,
                            min_unit_paid=_SURELY_ROUTED_MINOR if settings["routed"] else 0)
        if found is None:
            continue
        order, candidates = found
        plan = _draw_plan(rng, key, order, candidates, created, rules, settings=settings)
        plan.delays = delays
        plan.target = target
        used.add(order.id)
        return plan
    return None


def _days_until_return(rng: random.Random, room: float) -> float:
    """Days from delivery (or the shop sale) until the customer asks to return, at most ``room``.

    Mostly within days (exponential, mean five days, cut at four weeks); a few come after the
    window and need a supervisor's override. Drawn from the distribution cut at ``room``, so that
    recent sales do not all turn into returns of today.
    """
    if room > 31 and rng.random() < 0.03:
        return rng.uniform(31, min(40.0, room))
    top = min(room, 28.0)
    # Inverse of the exponential distribution's CDF, restricted to [0, top].
    u = rng.random() * (1 - math.exp(-top / 5))
    return max(0.01, -5 * math.log(1 - u))


def _plan_at_random(
    session, rng: random.Random, key: int, sales: _SalesSummary, ref: _Reference, rules: PolicyRules,
    now: datetime, used: set[int],
) -> _Plan | None:
    """A plan for a random sale: the customer comes back days after delivery (a few too late)."""
    for _ in range(20):
        if not sales.times:
            return None
        index = rng.randrange(len(sales.ids))
        order_id = sales.ids[index]
        if order_id in used:
            continue
        order, candidates = _load_order(session, order_id, ref.by_id)
        if order is None or order.reference is None or not candidates:
            continue
        room = (now - order.reference).total_seconds() / 86400 - 0.05
        if room < 0.25:
            continue
        created = order.reference + timedelta(days=_days_until_return(rng, room))
        used.add(order_id)
        return _draw_plan(rng, key, order, candidates, created, rules)
    return None


def generate_demo(
    ctx: ServiceContext,
    *,
    orders: int,
    returns: int,
    seed: int = 1,
    days: int = 90,
    via_services: int | None = None,
    progress: Progress | None = None,
) -> DemoResult:
    """Write demo data (see the module docstring); returns what was written.

    ``via_services`` returns go through the use cases one by one (default: all up to
    :data:`DEFAULT_VIA_SERVICES`), the rest are written in bulk. With at least 14 returns and
    ``days`` of 45 or more, every state of the lifecycle is represented. The database must be
    migrated (``returndesk db upgrade``) first.
    """
    started = timer.perf_counter()
    report = progress or (lambda stage, done, total: None)
    if orders < 0 or returns < 0 or days < 1:
        raise ValidationFailed("Orders and returns cannot be negative, and the period is at least one day.")
    if returns > 0 and orders == 0:
        raise ValidationFailed("Returns need sales to return: ask for some orders as well (--orders).")
    if returns > orders:
        raise ValidationFailed(
            f"{returns} returns need at least as many sales orders; ask for --orders {returns} or more.")
    now = ctx.now()
    ref = _ensure_reference(ctx)
    with ctx.db.read() as s:
        policy = load_active_policy(s, now)
    rules = policy.rules
    customers = _make_customers(ctx, _rng(seed, "customers"), max(30, min(orders // 3, 200_000)), now, report)
    sales = _make_orders(ctx, ref, _rng(seed, "orders"), orders, days, customers, now, report)

    # Inspected-and-not-yet-routed is a passing state; a few returns rest there.
    inspected_bulk = max(1, returns // 1000) if returns >= 14 else 0
    limit = DEFAULT_VIA_SERVICES if via_services is None else via_services
    k = max(0, min(returns - inspected_bulk, limit))
    rng = _rng(seed, "returns")
    used: set[int] = set()
    plans: list[_Plan] = []
    forced: list[_Plan] = []
    with ctx.db.read() as s:
        if k >= len(_SERVICE_TARGETS):
            for target in _SERVICE_TARGETS:
                plan = _plan_for_target(s, rng, len(plans), target, sales, ref, rules, now, used)
                if plan is not None:
                    plans.append(plan)
        while len(plans) < k:
            plan = _plan_at_random(s, rng, len(plans), sales, ref, rules, now, used)
            if plan is None:
                break
            plans.append(plan)
        for i in range(inspected_bulk):
            plan = _plan_for_target(s, rng, 500_000 + i, "inspected", sales, ref, rules, now, used)
            if plan is not None:
                forced.append(plan)
    _send_to_the_warehouse(plans)
    _ServiceRunner(ctx, ref, rules, now).run(plans, report)

    bulk_started = timer.perf_counter()
    written = _write_bulk_returns(ctx, ref, policy, _rng(seed, "bulk"), forced,
                                  returns - len(plans) - len(forced), sales, now, report)
    bulk_seconds = timer.perf_counter() - bulk_started

    _stage_warehouse(ctx, ref)
    _stage_integrations(ctx, ref)

    with ctx.db.write() as s:
        counts = dict(s.execute(select(Return.status, func.count()).group_by(Return.status)).all())
        stations = s.execute(select(func.count()).select_from(Station)).scalar_one()
        products = s.execute(select(func.count()).select_from(Product)).scalar_one()
        appender = bulk.AuditAppender(s)
        appender.add(occurred_at=ctx.now(), user_id=None, username=None, station=ctx.station, entity="demo",
                     entity_id=str(seed), action="generated", before=None,
                     after={"orders": sales.orders, "returns": len(plans) + written, "days": days,
                            "via_services": len(plans)})
        appender.flush()
    summaries.refresh(ctx.db, now=ctx.now())  # the analytics summaries, as the bulk writer leaves them
    by_status = tuple((st.value, int(counts.get(st.value, 0))) for st in ReturnStatus)
    return DemoResult(
        products=int(products), customers=len(customers), orders=sales.orders, order_lines=sales.lines,
        stations=int(stations), returns=len(plans) + written, returns_via_services=len(plans),
        returns_bulk=written, bulk_seconds=bulk_seconds if written else 0.0, returns_by_status=by_status,
        accounts=DEMO_ACCOUNTS, seconds=timer.perf_counter() - started,
    )


#: Claims against suppliers the demo leaves, one unit each, in the order they are made per supplier:
#: the answered and shipped ones first, the ones still being put together last (a supplier has one
#: of those at a time).
_CLAIM_STATES = ("credited", "partly_credited", "rejected", "shipped", "authorised", "requested", "open")
_CLAIM_UNITS = len(_CLAIM_STATES) + 1


def _send_to_the_warehouse(plans: list[_Plan]) -> None:
    """Some returns settled through the use cases come back defective (grade D, from a supplier:
    they go back to their vendor) or used (grade C: refurbishment), so that the claims and the
    refurbish queue have units to show."""
    rtv = refurbish = 0
    for plan in plans:
        if plan.target is not None or plan.fate != "complete" or plan.exchange or plan.reject_refund:
            continue
        if not plan.lines or not all(line.item.has_supplier and line.units for line in plan.lines):
            continue
        if any(unit.rejected for line in plan.lines for unit in line.units):
            continue
        if rtv < _CLAIM_UNITS:
            for line in plan.lines:
                line.reason = "defective"
                line.units = [_Unit("D") for _unit in line.units]
            rtv += sum(len(line.units) for line in plan.lines)
        elif refurbish < 2:
            for line in plan.lines:
                line.units = [_Unit("C") for _unit in line.units]
            refurbish += sum(len(line.units) for line in plan.lines)


def _stage_warehouse(ctx: ServiceContext, ref: _Reference) -> None:
    """Claims against suppliers in every state (one unit each, per supplier the answered ones
    first), and the refurbish queue with one unit worked: all through the use cases."""
    from returndesk.services.usecases import claims, refurbish

    inspector, finance = ref.actors.get("inspector"), ref.actors.get("finance")
    if inspector is None or finance is None:
        return
    per_supplier: dict[str, list[str]] = {}
    for unit in claims.units_waiting(ctx, inspector):
        if unit.supplier_code:
            per_supplier.setdefault(unit.supplier_code, []).append(unit.tag)
    final = [st for st in _CLAIM_STATES if st not in ("authorised", "requested", "open")]
    collecting = [st for st in _CLAIM_STATES if st in ("authorised", "requested", "open")]
    for _code, tags in sorted(per_supplier.items(), key=lambda item: -len(item[1])):
        for index, tag in enumerate(tags):
            last = index == len(tags) - 1
            if last and collecting:
                state = collecting.pop(0)
            elif final:
                state = final.pop(0)
            elif collecting:
                state = collecting.pop(0)
            else:
                break  # every state has its claim; the other units wait for the warehouse
            _claim_to(ctx, claims, inspector, finance, tag, state, index)
            if state in ("authorised", "requested", "open"):
                break  # the supplier's claim being put together: its other units wait
    waiting = refurbish.refurbish_queue(ctx, inspector).waiting
    if len(waiting) >= 2:
        refurbish.refurbish_unit(ctx, inspector, waiting[0].tag, grade="B",
                                 repair_note="Cleaned, new outer box / 清洁，更换外包装", parts_cost_minor=1200)


def _claim_to(ctx: ServiceContext, claims: Any, inspector: Actor, finance: Actor, tag: str, state: str,
              index: int) -> None:
    """One claim of the unit ``tag`` brought to ``state``."""
    detail = claims.add_unit(ctx, inspector, tag)
    number = detail.claim_no
    if state == "open":
        return
    claims.request_authorisation(ctx, inspector, number)
    if state == "requested":
        return
    day = ctx.now().date() - timedelta(days=2)
    detail = claims.record_authorisation(ctx, inspector, number, f"VRMA-{day:%y%m}-{301 + index}", day)
    if state == "authorised":
        return
    detail = claims.ship_claim(ctx, inspector, number)
    if state == "shipped":
        return
    if state == "rejected":
        claims.reject_claim(ctx, finance, number)
        return
    value = detail.summary.value_minor
    credited = value if state == "credited" else max(1, value * 3 // 4)
    claims.record_answer(ctx, finance, number, credit_note_no=f"CN-{number[-6:]}", credited_minor=credited)


def _stage_integrations(ctx: ServiceContext, ref: _Reference) -> None:
    """Two systems that receive webhooks and two that call the API, as a shop has them: the
    supplier portal has received its events; the finance ERP was down when its fourth event
    came, so it waits to be tried again (the integrations screen shows the error)."""
    admin = next((a for a in ref.actors.values() if a.role is Role.ADMIN), None)
    if admin is None:
        return
    webhooks.add_webhook(ctx, admin, "Finance ERP", "https://erp.example.cn/returndesk/events", "return.",
                         from_now=False)
    webhooks.add_webhook(ctx, admin, "Supplier portal", "https://suppliers.example.cn/hooks/returndesk",
                         "return.refund return.close claim.", from_now=False)
    sent: dict[str, int] = {}

    def post(url: str, body: bytes, headers: dict[str, str]) -> int:
        if "erp." in url:
            sent[url] = sent.get(url, 0) + 1
            if sent[url] > 3:
                raise ConnectionRefusedError(111, "Connection refused")
        return 200

    for _ in range(30):  # the portal catches up; the ERP waits for its back-off
        if not webhooks.deliver_due(ctx, post, batch=50).delivered:
            break
    sessions.create_api_key(ctx, admin, "Web shop (Tmall)", ["returns:create", "returns:read"])
    sessions.create_api_key(ctx, admin, "ERP sync", ["master:write", "orders:write"])


def is_demo_database(ctx: ServiceContext) -> bool:
    """True when ``returndesk demo`` has written into this database (its users have known passwords)."""
    with ctx.db.read() as s:
        return s.execute(
            select(AuditEvent.seq).where(AuditEvent.entity == "demo", AuditEvent.action == "generated").limit(1)
        ).first() is not None




# --------------------------------------------------------------------------- bulk returns
#
# The same plans, written as rows. Each step writes what its use case writes (see intake,
# receiving, inspection, approval, refunds, exchange): the figures come from the same domain
# functions (policy verdicts, refund math, routing) and the same journal postings, so that the
# books, the stock ledger, the running totals of the order lines and the audit chain agree exactly
# as they do for returns made through the use cases.


@dataclass
class _LineResult:
    """What inspection made of a plan line."""

    accepted: list[_Unit]
    rejected: list[_Unit]
    short: int
    dispositions: list[str]  # per arriving unit, in the order of ``plan_line.units``
    refunds: list[Any]  # LineRefund per grade group
    grade: str | None
    disposition: str | None
    refund: int
    fee: int
    deduction: int
    tax: int


class _BulkWriter:
    """Rows of one batch of bulk returns, written in one transaction."""

    TABLES = ("returns", "return_lines", "inspection_units", "approvals", "refunds", "refund_lines",
              "credit_notes", "journal_entries", "journal_lines", "replacement_orders", "replacement_lines",
              "stock_movements")

    def __init__(self, session, ref: _Reference, policy: Any, now: datetime,
                 stock_level: dict[int, int], frequent: dict[int, list[datetime]]) -> None:
        self.s = session
        self.ref = ref
        self.rules = policy.rules
        self.policy_id = policy.id
        self.policy_version = policy.version
        self.now = now
        self.stock = stock_level
        self.frequent = frequent
        self.ids = bulk.IdAllocator(session, self.TABLES)
        self.rows: dict[str, list[dict]] = {t: [] for t in self.TABLES}
        self.events: list[tuple[datetime, int, int, dict]] = []
        self.order_lines: list[dict] = []
        self.loc = ref.locations
        # Document numbers reserved for the batch: next to hand out, and the end of the block.
        self.next_number: dict[str, int] = {}
        self.end_number: dict[str, int] = {}

    # ------------------------------------------------------------------ helpers

    def actor(self, name: str) -> Actor:
        return self.ref.actors[name]

    def event(self, when: datetime, plan: _Plan, actor: Actor | None, action: str,
              before: dict | None, after: dict | None, entity_id: str | None = None) -> None:
        self.events.append((when, plan.key, len(self.events), dict(
            occurred_at=when, user_id=actor.user_id if actor else None,
            username=actor.username if actor else None, station=actor.station if actor else None,
            entity="return", entity_id=entity_id or plan.rma_no, action=action, before=before, after=after)))

    def move(self, product_id: int, src: str, dst: str, qty: int, reason: str, when: datetime,
             actor: Actor | None, return_id: int | None) -> None:
        if qty <= 0:
            return
        if src == Location.AVAILABLE.value:
            if self.stock[product_id] < qty:
                # Bought in before it is needed, as the purchasing department would.
                receipt = qty + 2 * _REORDER_FLOOR
                self.move(product_id, Location.CUSTOMER.value, Location.AVAILABLE.value, receipt,
                          "purchase_receipt", when - timedelta(days=1), None, None)
            self.stock[product_id] -= qty
        if dst == Location.AVAILABLE.value:
            self.stock[product_id] += qty
        self.rows["stock_movements"].append(dict(
            id=self.ids.take("stock_movements"), product_id=product_id, from_location_id=self.loc[src],
            to_location_id=self.loc[dst], quantity=qty, return_id=return_id, reason=reason,
            created_at=when, created_by=actor.user_id if actor else None))

    def reserve(self, counts: dict[str, int]) -> None:
        """Take blocks of document numbers, in the sequences' lock order (see settlement)."""
        for name in ("rma", "replacement", "refund", "credit_note", "journal"):
            n = counts.get(name, 0)
            if n:
                first = bulk.reserve_numbers(self.s, name, n)
                self.next_number[name], self.end_number[name] = first, first + n

    def take_number(self, name: str) -> int:
        value = self.next_number[name]
        if value >= self.end_number[name]:
            raise AssertionError(f"demo batch ran out of reserved {name} numbers")
        self.next_number[name] = value + 1
        return value

    def number(self, name: str, prefix: str, when: datetime) -> str:
        """E.g. ``RF-2026-000042``, as ``sequences.next_document_no`` writes it."""
        return f"{prefix}-{when.year}-{self.take_number(name):06d}"

    def post(self, when: datetime, memo: str, postings: list, return_id: int, refund_id: int | None) -> str | None:
        kept = [p for p in postings if p.debit or p.credit]
        if sum(p.debit for p in kept) != sum(p.credit for p in kept):
            raise ValueError(f"unbalanced demo journal entry '{memo}'")
        if not kept:
            return None
        entry_id = self.ids.take("journal_entries")
        entry_no = self.number("journal", "JE", when)
        self.rows["journal_entries"].append(dict(id=entry_id, entry_no=entry_no, posted_at=when,
                                                 return_id=return_id, refund_id=refund_id,
                                                 memo=dump_text(memo, finance.MEMO_LENGTH)))
        for p in kept:
            self.rows["journal_lines"].append(dict(id=self.ids.take("journal_lines"), entry_id=entry_id,
                                                   account=p.account, debit_minor=p.debit, credit_minor=p.credit,
                                                   memo=dump_text(p.memo or memo, finance.MEMO_LENGTH)))
        return entry_no

    # ------------------------------------------------------------------ simulation (no ids yet)


    # ------------------------------------------------------------------ one plan

    def write(self, plan: _Plan) -> str:
        """All rows of one plan, up to now; returns its status."""
        rules = self.rules
        now = self.now
        order = plan.order
        reference = order.reference
        at = _schedule(plan, False, rules.receive_deadline_days)
        creator = self.actor(plan.creator)
        rid = self.ids.take("returns")
        plan.rma_no = format_rma(self.take_number("rma"))
        t0 = plan.created
        counter = plan.channel == "counter"
        conditions = frozenset(rules.required_conditions) if counter else None

        # ---- create (and submit): the expectation at grade A, the quantities held
        line_ids: list[int] = []
        intake_refunds = []
        fault_gross = 0
        line_rows: list[dict] = []
        audit_lines: list[dict] = []
        held: dict[str, dict[str, int]] = {}
        for n, line in enumerate(plan.lines, start=1):
            verdict = evaluate_line(
                rules,
                category=line.item.category,
                product_returnable=line.item.returnable,
                vendor_fault=line.vendor_fault,
                reference_date=reference.astimezone(LOCAL).date() if reference else None,
                today=t0.astimezone(LOCAL).date(),
                requested_qty=line.qty,
                returnable_qty=line.qty,
                conditions_met=conditions,
                sold_at_counter=order.channel == "store",
            )
            lr = compute_line_refund(paid_total=line.paid, purchased_qty=line.purchased, accepted_qty=line.qty,
                                     previously_accepted_qty=0, already_refunded=0, grade="A",
                                     vendor_fault=line.vendor_fault, rules=rules, tax_total=line.tax)
            intake_refunds.append(lr)
            if line.vendor_fault:
                fault_gross += lr.gross
            lid = self.ids.take("return_lines")
            line_ids.append(lid)
            note = " ".join(verdict.reasons) if verdict.reasons else verdict.summary
            line_rows.append(dict(
                id=lid, return_id=rid, line_no=n, order_line_id=line.order_line_id, product_id=line.item.id,
                qty_requested=line.qty, qty_authorized=0, qty_received=0, qty_accepted=0, qty_rejected=0,
                reason_code=line.reason, resolution=line.resolution, condition_notes=None,
                conditions_met=",".join(sorted(rules.required_conditions)) or None,
                policy_status=verdict.status.value, policy_note=note or None, grade=None, disposition=None,
                short_closed=False, refund_minor=lr.net, fee_minor=lr.restocking_fee,
                deduction_minor=lr.grade_deduction + lr.cap_reduction, tax_minor=lr.tax_part,
                exchange_product_id=None))
            audit_lines.append({"line_no": n, "order_line_id": line.order_line_id, "sku": line.item.sku,
                                "qty": line.qty, "reason": line.reason, "resolution": line.resolution,
                                "policy_status": verdict.status.value})
            held[str(line.order_line_id)] = {"before": 0, "after": line.qty}
        shipping = _shipping_of(order, fault_gross)
        expectation = compute_refund(intake_refunds, shipping, shipping > 0, rules)
        overridden = plan.override is not None
        ret = dict(
            id=rid,
            rma_no=plan.rma_no,
            order_id=order.id,
            customer_id=order.customer_id,
            channel=plan.channel,
            status="draft",
            status_changed_at=t0,
            status_changed_by=creator.user_id,
            policy_id=self.policy_id,
            in_policy=not overridden,
            override_reason=plan.override,
            override_by=creator.user_id if overridden else None,
            refund_method=plan.method,
            resolution="exchange" if plan.exchange else "refund",
            created_by=creator.user_id,
            created_at=t0,
            created_station=creator.station,
            receive_by=None,
            received_at=None,
            received_by=None,
            inspected_at=None,
            inspected_by=None,
            approval_level=None,
            approval_reasons=None,
            refund_total_minor=expectation.total,
            deductions_minor=expectation.deductions,
            shipping_refund_minor=expectation.shipping_refund,
            currency="CNY",
            notes=None,
            version=1,
        )
        held_qty = {line.order_line_id: line.qty for line in plan.lines}
        returned = {line.order_line_id: 0 for line in plan.lines}
        refunded = {line.order_line_id: 0 for line in plan.lines}

        def transition(when: datetime, actor: Actor | None, action: str, new: str, details: dict | None = None) -> None:
            self.event(when, plan, actor, action, {"status": ret["status"]}, {"status": new, **(details or {})})
            ret["status"] = new
            ret["status_changed_at"] = when
            ret["status_changed_by"] = actor.user_id if actor else None
            ret["version"] += 1

        def release(when: datetime, actor: Actor | None) -> None:
            freed = {}
            for line in plan.lines:
                before = held_qty[line.order_line_id]
                held_qty[line.order_line_id] = 0
                freed[str(line.order_line_id)] = {"before": before, "after": 0}
            self.event(when, plan, actor, "release_quantity", None, {"qty_in_process": freed})

        self.event(t0, plan, creator, "create", None, {
            "status": "draft", "order_no": order.order_no, "channel": plan.channel,
            "refund_method": plan.method, "policy_version": self.policy_version, "in_policy": not overridden,
            "override_reason": plan.override, "expected_refund_minor": expectation.total,
            "lines": audit_lines, "qty_in_process": held})
        if overridden:
            self.rows["approvals"].append(dict(
                id=self.ids.take("approvals"), return_id=rid, level="supervisor", decision="override",
                decided_by=creator.user_id, decided_at=t0, reason=plan.override, amount_minor=expectation.total))
            self.event(t0, plan, creator, "override_policy", {"in_policy": True},
                       {"in_policy": False, "reason": plan.override})

        def due(step: str) -> datetime | None:
            if step not in at:
                return None
            when = t0 + at[step]
            return when if when <= now else None

        result = self._lifecycle(plan, ret, line_rows, line_ids, at, due, transition, release, held_qty,
                                 returned, refunded, creator)
        self.rows["returns"].append(ret)
        for r, line in zip(line_rows, plan.lines, strict=True):
            # A demo return is the only one of its order lines: it holds their first units.
            r["units_held"] = format_units(range(held_qty[line.order_line_id] + returned[line.order_line_id]))
        self.rows["return_lines"].extend(line_rows)
        for line in plan.lines:
            self.order_lines.append(dict(b_id=line.order_line_id, b_held=held_qty[line.order_line_id],
                                         b_returned=returned[line.order_line_id],
                                         b_refunded=refunded[line.order_line_id]))
        return result

    def _lifecycle(self, plan, ret, line_rows, line_ids, at, due, transition, release, held_qty,
                   returned, refunded, creator) -> str:
        """The steps after creation that are due by now, as their use cases write them."""
        rules = self.rules
        rid = ret["id"]
        t0 = plan.created
        counter = plan.channel == "counter"
        if plan.fate == "draft":
            return ret["status"]
        transition(t0, creator, "submit", "requested")
        if counter:
            # Walk-in: created, authorized and received in one go at the counter.
            transition(t0, creator, "authorize", "authorized", {
                "receive_by": None, "qty_authorized": {str(r["line_no"]): r["qty_requested"] for r in line_rows}})
            for r in line_rows:
                r["qty_authorized"] = r["qty_requested"]
        else:
            when = due(REJECT)
            if when:
                supervisor = self.actor("supervisor")
                transition(when, supervisor, "reject", "rejected", {"reason": _TEXTS[REJECT][plan.key % 3]})
                release(when, supervisor)
                return ret["status"]
            when = due(CANCEL)
            if when and AUTHORIZE not in at:
                clerk = self.actor("clerk")
                transition(when, clerk, "cancel", "cancelled", {"reason": _TEXTS[CANCEL][plan.key % 3]})
                release(when, clerk)
                return ret["status"]
            when = due(AUTHORIZE)
            if not when:
                return ret["status"]
            receive_by = when.astimezone(UTC).date() + timedelta(days=rules.receive_deadline_days)
            authorizer = self.actor("supervisor" if plan.override else plan.creator)
            transition(when, authorizer, "authorize", "authorized", {
                "receive_by": receive_by.isoformat(),
                "qty_authorized": {str(r["line_no"]): r["qty_requested"] for r in line_rows}})
            ret["receive_by"] = receive_by
            for r in line_rows:
                r["qty_authorized"] = r["qty_requested"]
            when = due(CANCEL)
            if when:
                clerk = self.actor("clerk")
                transition(when, clerk, "cancel", "cancelled", {"reason": _TEXTS[CANCEL][plan.key % 3]})
                release(when, clerk)
                return ret["status"]
            when = due(EXPIRE)
            if when:
                transition(when, None, "expire", "expired",
                           {"receive_by": receive_by.isoformat(), "reason": "not received in time"})
                release(when, None)
                return ret["status"]
        when = due(RECEIVE) if not counter else t0
        if not when:
            return ret["status"]
        receiver = self._inspector(plan)
        transition(when, receiver, "receive", "received",
                   {"units_expected": {str(r["line_no"]): r["qty_authorized"] for r in line_rows}}
                   if not counter else {"qty_received": {str(r["line_no"]): r["qty_authorized"] for r in line_rows},
                                        "at_counter": True})
        ret["received_at"] = when
        ret["received_by"] = receiver.user_id
        for line in plan.lines:
            self.move(line.item.id, "customer", "inspection", line.qty, "return_received", when, receiver, rid)

        inspected_at = due(INSPECT)
        if not inspected_at:
            return ret["status"]
        inspector = receiver
        results: list[_LineResult] = []
        fault_gross = 0
        unit_time = max(when, inspected_at - timedelta(minutes=2 * sum(len(line.units) for line in plan.lines) + 1))
        for line, r, lid in zip(plan.lines, line_rows, line_ids, strict=True):
            serials = iter(line.serials)
            accepted: list[_Unit] = []
            rejected: list[_Unit] = []
            dispositions: list[str] = []
            for unit in line.units:
                checks = _checks(unit.grade)
                serial = next(serials).upper() if line.item.serial_tracked else None
                disposition = ("return_to_customer" if unit.rejected else default_disposition(
                    unit.grade, vendor_fault=line.vendor_fault,
                    has_supplier=line.item.has_supplier, serial_matches=True if serial else None).value)
                outcome = "rejected" if disposition == "return_to_customer" else "accepted"
                (rejected if outcome == "rejected" else accepted).append(unit)
                dispositions.append(disposition)
                unit_time += timedelta(minutes=2)
                uid = self.ids.take("inspection_units")
                self.rows["inspection_units"].append(dict(
                    id=uid, return_id=rid, return_line_id=lid, product_id=line.item.id, scanned_code=line.item.sku,
                    serial_no=serial, outcome=outcome, grade=unit.grade, disposition=disposition,
                    packaging_intact=checks.packaging_intact, accessories_complete=checks.accessories_complete,
                    serial_matches=True if serial else None, functional=checks.functional, notes=None,
                    inspected_by=inspector.user_id, inspected_at=unit_time, station=inspector.station))
                self.move(line.item.id, "inspection", DISPOSITION_LOCATION[Disposition(disposition)].value, 1,
                          f"inspected_{disposition}", unit_time, inspector, rid)
                self.event(unit_time, plan, inspector, "unit_recorded", None, {
                    "unit_id": uid, "line_no": r["line_no"], "sku": line.item.sku, "code": line.item.sku,
                    "serial": serial, "outcome": outcome, "grade": unit.grade, "disposition": disposition,
                    "checks": {"packaging_intact": checks.packaging_intact,
                               "accessories_complete": checks.accessories_complete,
                               "serial_matches": True if serial else None, "functional": checks.functional}})
            short = line.qty - len(line.units)
            if short:
                self.move(line.item.id, "inspection", "customer", short, "short_receipt", inspected_at, inspector, rid)
                r["short_closed"] = True
            held_qty[line.order_line_id] = len(accepted) + len(rejected)
            refunds = []
            ahead = 0
            done_refund = 0
            for grade in ("A", "B", "C", "D"):
                n = sum(1 for u in accepted if u.grade == grade)
                if not n:
                    continue
                lr = compute_line_refund(paid_total=line.paid, purchased_qty=line.purchased, accepted_qty=n,
                                         previously_accepted_qty=ahead, already_refunded=done_refund, grade=grade,
                                         vendor_fault=line.vendor_fault, rules=rules, tax_total=line.tax)
                ahead += n
                done_refund += lr.net
                refunds.append(lr)
                if line.vendor_fault:
                    fault_gross += lr.gross
            grades = [Grade(u.grade) for u in accepted] or [Grade(u.grade) for u in rejected]
            line_grade = worst_grade(grades)
            results.append(_LineResult(
                accepted, rejected, short, dispositions, refunds, line_grade.value if line_grade else None,
                _majority(dispositions), sum(lr.net for lr in refunds), sum(lr.restocking_fee for lr in refunds),
                sum(lr.grade_deduction + lr.cap_reduction for lr in refunds), sum(lr.tax_part for lr in refunds)))
        shipping = _shipping_of(plan.order, fault_gross) if rules.refund_shipping_on_vendor_fault else 0
        breakdown = compute_refund([lr for res in results for lr in res.refunds], shipping, shipping > 0, rules)
        for r, res in zip(line_rows, results, strict=True):
            r.update(qty_accepted=len(res.accepted), qty_rejected=len(res.rejected),
                     qty_received=len(res.accepted) + len(res.rejected), grade=res.grade,
                     disposition=res.disposition, refund_minor=res.refund, fee_minor=res.fee,
                     deduction_minor=res.deduction, tax_minor=res.tax)
        ret.update(refund_total_minor=breakdown.total, deductions_minor=breakdown.deductions,
                   shipping_refund_minor=breakdown.shipping_refund, inspected_at=inspected_at,
                   inspected_by=inspector.user_id)
        transition(inspected_at, inspector, "complete_inspection", "inspected", {
            "accepted": sum(len(x.accepted) for x in results), "rejected": sum(len(x.rejected) for x in results),
            "short": sum(x.short for x in results), "over": 0, "wrong_items": 0,
            "refund_total_minor": breakdown.total, "deductions_minor": breakdown.deductions,
            "shipping_refund_minor": breakdown.shipping_refund,
            "lines": [{"line_no": r["line_no"], "accepted": r["qty_accepted"], "rejected": r["qty_rejected"],
                       "short": res.short, "over": 0, "grade": res.grade, "refund_minor": res.refund}
                      for r, res in zip(line_rows, results, strict=True)]})
        if plan.target == "inspected":
            return ret["status"]

        # ---- routing, as inspection.complete_inspection does it
        customer = plan.order.customer_id
        frequent = False
        if customer is not None:
            since = inspected_at - timedelta(days=rules.frequent_returner_days)
            frequent = is_frequent_returner(
                sum(1 for t in self.frequent.get(customer, ()) if since <= t <= inspected_at), rules
            )
        mismatch = False
        for line, res in zip(plan.lines, results, strict=True):
            g = worst_grade([Grade(u.grade) for u in res.accepted])
            if g is None:
                continue
            claims = line.reason in DEFECT_CLAIM_REASONS if line.vendor_fault else False
            mismatch = mismatch or grade_reason_mismatch(line.vendor_fault, g, defect_claimed=claims)
        routing = route(amount=breakdown.total, in_policy=ret["in_policy"], overridden=plan.override is not None,
                        frequent_returner=frequent, grade_reason_mismatch=mismatch, rules=rules,
                        creator_limit=creator.approval_limit_minor if creator.role is Role.CLERK else None,
                        currency="CNY")
        if routing.automatic:
            ret.update(approval_level="auto", approval_reasons=None)
            self.rows["approvals"].append(dict(
                id=self.ids.take("approvals"), return_id=rid, level="auto", decision="auto", decided_by=None,
                decided_at=inspected_at,
                reason="Within the policy and the automatic approval limit; approved by the system.",
                amount_minor=breakdown.total))
            transition(inspected_at, inspector, "auto_approve", "approved",
                       {"level": "auto", "amount_minor": breakdown.total})
        else:
            ret.update(approval_level=routing.level.value, approval_reasons=dump_lines(routing.reasons))
            transition(inspected_at, inspector, "route_for_approval", "awaiting_approval", {
                "level": routing.level.value, "reasons": list(routing.reasons), "amount_minor": breakdown.total})
        at.clear()
        at.update(_schedule(plan, not routing.automatic, rules.receive_deadline_days))
        if not routing.automatic:
            when = due(DECIDE)
            if not when:
                return ret["status"]
            approver = self._approver(plan, routing.level.value)
            if plan.reject_refund:
                text = _TEXTS["reject_refund"][plan.key % 3]
                back: dict[tuple[int, str], int] = {}
                for line, res in zip(plan.lines, results, strict=True):
                    held_qty[line.order_line_id] = 0
                    for disposition in res.dispositions:
                        loc = DISPOSITION_LOCATION[Disposition(disposition)].value
                        if loc != "customer":
                            back[(line.item.id, loc)] = back.get((line.item.id, loc), 0) + 1
                for (product_id, loc), qty in sorted(back.items()):
                    self.move(product_id, loc, "customer", qty, "refund_rejected", when, approver, rid)
                self.rows["approvals"].append(dict(
                    id=self.ids.take("approvals"), return_id=rid, level=routing.level.value, decision="rejected",
                    decided_by=approver.user_id, decided_at=when, reason=text, amount_minor=breakdown.total))
                transition(when, approver, "reject_refund", "refund_rejected", {
                    "decision": "rejected", "reason": text,
                    "goods_returned": [{"product_id": pid, "from": loc, "quantity": q}
                                       for (pid, loc), q in sorted(back.items())]})
                closed = due(CLOSE)
                if closed:
                    transition(closed, self.actor("finance"), "close", "closed")
                return ret["status"]
            self.rows["approvals"].append(dict(
                id=self.ids.take("approvals"), return_id=rid, level=routing.level.value, decision="approved",
                decided_by=approver.user_id, decided_at=when, reason=None, amount_minor=breakdown.total))
            transition(when, approver, "approve", "approved", {
                "decision": "approved", "level": routing.level.value, "amount_minor": breakdown.total, "note": None})

        settled_at = due(SETTLE)
        if not settled_at:
            return ret["status"]
        # ---- settlement: the order lines count the accepted units as returned and the money as refunded
        for line, res in zip(plan.lines, results, strict=True):
            held_qty[line.order_line_id] = 0
            returned[line.order_line_id] = len(res.accepted)
            refunded[line.order_line_id] = res.refund
        restock = [
            finance.RefundedLine(
                refund_minor=res.refund, tax_minor=res.tax, fee_minor=res.fee,
                restock_cost_minor=line.item.cost * sum(
                    1 for u, d in zip(line.units, res.dispositions, strict=True)
                    if d == "restock" and not u.rejected))
            for line, res in zip(plan.lines, results, strict=True)
        ]
        tax_total = sum(res.tax for res in results)
        amount = breakdown.total
        if plan.exchange:
            self._exchange(plan, ret, results, line_ids, settled_at, restock, tax_total, transition, due)
        else:
            issuer = self._clerk(plan) if plan.channel == "counter" else self.actor("finance")
            refund_id = self.ids.take("refunds")
            refund_no = self.number("refund", "RF", settled_at)
            note_id = note_no = None
            if amount > 0:
                note_id = self.ids.take("credit_notes")
                note_no = self.number("credit_note", "CN", settled_at)
                self.rows["credit_notes"].append(dict(
                    id=note_id, number=note_no, return_id=rid, customer_id=plan.order.customer_id,
                    issued_at=settled_at, net_minor=amount - tax_total, tax_minor=tax_total, total_minor=amount,
                    currency="CNY"))
            self.rows["refunds"].append(dict(
                id=refund_id, refund_no=refund_no, return_id=rid, method=plan.method, amount_minor=amount,
                currency="CNY", issued_by=issuer.user_id, issued_at=settled_at, station=issuer.station,
                external_ref=None, credit_note_id=note_id))
            for line, res, lid in zip(plan.lines, results, line_ids, strict=True):
                if res.refund or res.accepted:
                    self.rows["refund_lines"].append(dict(
                        id=self.ids.take("refund_lines"), refund_id=refund_id, return_line_id=lid,
                        order_line_id=line.order_line_id, amount_minor=res.refund, tax_minor=res.tax))
            memo = msg("Refund {refund_no} of return {rma_no}", refund_no=refund_no, rma_no=plan.rma_no)
            entry_no = self.post(settled_at, memo, finance.refund_postings(
                restock, breakdown.shipping_refund, plan.method, memo), rid, refund_id)
            transition(settled_at, issuer, "refund", "refunded", {
                "refund_no": refund_no, "amount_minor": amount, "method": plan.method, "credit_note": note_no,
                "journal_entry": entry_no})
        closed = due(CLOSE)
        if closed and (not plan.exchange or due(FULFIL)):
            transition(closed, self.actor("finance"), "close", "closed")
        return ret["status"]

    def _exchange(self, plan, ret, results, line_ids, when, restock, tax_total, transition, due) -> None:
        clerk = self._clerk(plan)
        rid = ret["id"]
        accepted = {line.order_line_id: len(res.accepted) for line, res in zip(plan.lines, results, strict=True)}
        wanted_skus = _replacement_choice(plan, accepted, self.ref.items, random.Random(plan.rng_state))
        by_sku = {i.sku: i for i in self.ref.items}
        merged: dict[int, int] = {}
        for sku, qty in wanted_skus:
            merged[by_sku[sku].id] = merged.get(by_sku[sku].id, 0) + qty
        wanted = [(self.ref.by_id[pid], qty) for pid, qty in sorted(merged.items())]
        credit_value = ret["refund_total_minor"]
        value = sum(item.price * qty for item, qty in wanted)
        value_tax = sum(tax_inside(item.price * qty, item.tax_rate_bp) for item, qty in wanted)
        difference = value - credit_value
        order_id = self.ids.take("replacement_orders")
        order_no = self.number("replacement", "RO", when)
        fulfilled = due(FULFIL)
        self.rows["replacement_orders"].append(dict(
            id=order_id, order_no=order_no, return_id=rid, status="fulfilled" if fulfilled else "reserved",
            value_minor=value, credit_minor=credit_value, difference_minor=difference, created_by=clerk.user_id,
            created_at=when))
        for item, qty in wanted:
            self.rows["replacement_lines"].append(dict(id=self.ids.take("replacement_lines"),
                                                       replacement_id=order_id, product_id=item.id, quantity=qty,
                                                       unit_price_minor=item.price))
            self.move(item.id, "available", "reserved", qty, "replacement_reserved", when, clerk, rid)
        refund_id = refund_no = None
        if difference < 0:
            refund_no = self.number("refund", "RF", when)
        note_id = note_no = None
        if credit_value > 0:
            note_id = self.ids.take("credit_notes")
            note_no = self.number("credit_note", "CN", when)
            self.rows["credit_notes"].append(dict(
                id=note_id, number=note_no, return_id=rid, customer_id=plan.order.customer_id, issued_at=when,
                net_minor=credit_value - tax_total, tax_minor=tax_total, total_minor=credit_value, currency="CNY"))
        if refund_no is not None:
            amount = -difference
            refund_id = self.ids.take("refunds")
            self.rows["refunds"].append(dict(
                id=refund_id, refund_no=refund_no, return_id=rid, method=plan.method, amount_minor=amount,
                currency="CNY", issued_by=clerk.user_id, issued_at=when, station=clerk.station, external_ref=None,
                credit_note_id=note_id))
            weights = [res.refund for res in results]
            shares = allocate(amount, weights)
            tax_of_difference = (amount * tax_total + credit_value // 2) // credit_value if credit_value else 0
            tax_shares = allocate(tax_of_difference, weights)
            for line, lid, share, tax_share in zip(plan.lines, line_ids, shares, tax_shares, strict=True):
                if share:
                    self.rows["refund_lines"].append(dict(
                        id=self.ids.take("refund_lines"), refund_id=refund_id, return_line_id=lid,
                        order_line_id=line.order_line_id, amount_minor=share, tax_minor=tax_share))
        memo = msg("Exchange {order_no} of return {rma_no}", order_no=order_no, rma_no=plan.rma_no)
        entry_no = self.post(when, memo, finance.exchange_postings(
            restock, ret["shipping_refund_minor"], replacement_value_minor=value, replacement_tax_minor=value_tax,
            method=plan.method, memo=memo), rid, refund_id)
        ret["resolution"] = "exchange"
        transition(when, clerk, "exchange", "exchanged", {
            "replacement_order": order_no, "replacement_value_minor": value, "credit_minor": credit_value,
            "difference_minor": difference, "refund_no": refund_no, "credit_note": note_no,
            "journal_entry": entry_no})
        if fulfilled:
            cost = 0
            for item, qty in wanted:
                cost += item.cost * qty
                self.move(item.id, "reserved", "customer", qty, "replacement_delivered", fulfilled, clerk, rid)
            memo = msg("Replacement {order_no} of return {rma_no} handed over", order_no=order_no,
                       rma_no=plan.rma_no)
            entry = self.post(fulfilled, memo, finance.replacement_shipped_postings(cost, memo), rid, None)
            self.event(fulfilled, plan, clerk, "fulfil_replacement",
                       {"replacement_order": order_no, "status": "reserved"},
                       {"replacement_order": order_no, "status": "fulfilled", "journal_entry": entry})

    def _inspector(self, plan: _Plan) -> Actor:
        return self.actor(_inspector_of(plan))

    def _clerk(self, plan: _Plan) -> Actor:
        return self.actor(_clerk_of(plan))

    def _approver(self, plan: _Plan, level: str | None) -> Actor:
        return self.actor(_approver_of(plan, level))

    # ------------------------------------------------------------------ writing

    def flush(self) -> None:
        """Insert every row of the batch, update the order lines, chain the audit events."""
        from sqlalchemy import bindparam, update

        for name in ("returns", "return_lines", "inspection_units", "approvals", "credit_notes", "refunds",
                     "refund_lines", "journal_entries", "journal_lines", "replacement_orders", "replacement_lines",
                     "stock_movements"):
            bulk.insert_rows(self.s, name, self.rows[name])
        if self.order_lines:
            t = bulk.table("sales_order_lines")
            stmt = (update(t).where(t.c.id == bindparam("b_id"))
                    .values(qty_in_process=bindparam("b_held"), qty_returned=bindparam("b_returned"),
                            refunded_minor=bindparam("b_refunded"), version=t.c.version + 1))
            for start in range(0, len(self.order_lines), bulk.CHUNK):
                self.s.execute(stmt, self.order_lines[start:start + bulk.CHUNK])
        self.ids.finish()
        # Numbers reserved but not used go back: the sequences stay gap-free.
        seq = bulk.table("number_sequences")
        for name, value in self.next_number.items():
            if value < self.end_number[name]:
                self.s.execute(update(seq).where(seq.c.name == name).values(next_value=value))
        appender = bulk.AuditAppender(self.s)
        for _when, _key, _n, fields in sorted(self.events, key=lambda e: (e[0], e[1], e[2])):
            appender.add(**fields)
        appender.flush()


def _majority(dispositions: list[str]) -> str | None:
    """The disposition most units got (ties: the first in the enum's order), as inspection does."""
    if not dispositions:
        return None
    order = [d.value for d in Disposition]
    counts = {d: dispositions.count(d) for d in set(dispositions)}
    return max(counts, key=lambda d: (counts[d], -order.index(d)))


def _shipping_of(order: _Order, fault_gross: int) -> int:
    """The order's shipping a vendor-fault return gives back: its share by the goods' price."""
    if order.shipping <= 0 or fault_gross <= 0 or order.goods <= 0:
        return 0
    share = (order.shipping * fault_gross * 2 + order.goods) // (order.goods * 2)
    return max(0, min(share, order.shipping))


def _eligible_orders(sales: _SalesSummary, now: datetime):
    """Demo sales with no return yet whose policy reference lies at least six hours back."""
    from sqlalchemy import and_, case, exists, or_

    reference = case((SalesOrder.channel == "store", SalesOrder.sold_at), else_=SalesOrder.delivered_at)
    line_ok = exists().where(
        SalesOrderLine.order_id == SalesOrder.id,
        SalesOrderLine.qty_in_process == 0,
        SalesOrderLine.qty_returned == 0,
        Product.id == SalesOrderLine.product_id,
        Product.returnable.is_(True),
    )
    return (
        SalesOrder.id.between(sales.first_order_id, sales.last_order_id),
        or_(and_(SalesOrder.channel == "store", SalesOrder.sold_at <= now - timedelta(hours=6)),
            and_(SalesOrder.channel != "store", SalesOrder.delivered_at.is_not(None),
                 reference <= now - timedelta(hours=6))),
        ~exists().where(Return.order_id == SalesOrder.id),
        line_ok,
    )


def _bulk_plans(ctx: ServiceContext, ref: _Reference, rules: PolicyRules, rng: random.Random, count: int,
                sales: _SalesSummary, now: datetime, first_key: int):
    """Plans for ``count`` sales chosen evenly among the eligible ones (Knuth's selection sampling),
    read page by page in order of the sales; yields lists of at most :data:`BATCH` plans."""
    if count <= 0 or not sales.orders:
        return
    conditions = _eligible_orders(sales, now)
    with ctx.db.read() as s:
        eligible = int(s.execute(select(func.count()).select_from(SalesOrder).where(*conditions)).scalar_one())
    wanted = min(count, eligible)
    seen = chosen = 0
    last_id = 0
    key = first_key
    batch: list[_Plan] = []
    while chosen < wanted:
        with ctx.db.read() as s:
            ids = s.execute(select(SalesOrder.id).where(*conditions, SalesOrder.id > last_id)
                            .order_by(SalesOrder.id).limit(5000)).scalars().all()
            if not ids:
                break
            last_id = ids[-1]
            picked = []
            for order_id in ids:
                if (wanted - chosen) > rng.random() * (eligible - seen):
                    picked.append(order_id)
                    chosen += 1
                seen += 1
                if chosen >= wanted:
                    break
            loaded = _load_orders(s, picked, ref.by_id)
        for order, candidates in loaded:
            if order is None or order.reference is None or not candidates:
                continue
            room = (now - order.reference).total_seconds() / 86400 - 0.05
            created = order.reference + timedelta(days=_days_until_return(rng, max(room, 0.01)))
            batch.append(_draw_plan(rng, key, order, candidates, created, rules))
            key += 1
            if len(batch) >= BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _write_bulk_returns(ctx: ServiceContext, ref: _Reference, policy: Any, rng: random.Random,
                        forced: list[_Plan], count: int, sales: _SalesSummary, now: datetime,
                        progress: Progress) -> int:
    """Write ``forced`` plans and ``count`` more for sales chosen at random, in batches of
    :data:`BATCH` returns, one transaction each. Returns how many returns were written."""
    total = len(forced) + count
    if total <= 0:
        return 0
    with ctx.db.read() as s:
        stock_level = _stock_available(s, [i.id for i in ref.items], ref.locations[Location.AVAILABLE.value])
        frequent: dict[int, list[datetime]] = {}
        for customer_id, created in s.execute(
            select(Return.customer_id, Return.created_at)
            .where(Return.customer_id.is_not(None), Return.status.not_in(["draft", "cancelled"]))
            .order_by(Return.id.desc()).limit(200_000)
        ):
            frequent.setdefault(customer_id, []).append(_utc(created))
    written = 0
    first_key = max((p.key for p in forced), default=0) + 1_000_000

    def batches():
        if forced:
            yield forced
        yield from _bulk_plans(ctx, ref, policy.rules, rng, count, sales, now, first_key)

    for plans in batches():
        with ctx.db.write() as s:
            writer = _BulkWriter(s, ref, policy, now, stock_level, frequent)
            n = len(plans)
            writer.reserve({"rma": n, "replacement": n, "refund": n, "credit_note": n, "journal": 2 * n})
            for plan in plans:
                status = writer.write(plan)
                if plan.order.customer_id is not None and status not in ("draft", "cancelled"):
                    frequent.setdefault(plan.order.customer_id, []).append(plan.created)
            writer.flush()
        written += len(plans)
        progress("returns in bulk", written, total)
    if written < total:
        # Fewer sales could take a return than asked for: the stage ends here all the same.
        progress("returns in bulk", written, written)
    return written
