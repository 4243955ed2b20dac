"""Builders of test data written straight to the database (users, catalogue, sales).

Only test *setup* bypasses the services; what a test checks always goes through them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any
from datetime import datetime, timedelta

from returndesk.domain.localtime import as_utc
from returndesk.domain.types import Location, Role
from returndesk.services.usecases import auth
from returndesk.services.tx import stock
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.store.schema import Customer, Product, SalesOrder, SalesOrderLine, Supplier, User

PASSWORD = "correct horse 1"


@dataclass
class World:
    ctx: ServiceContext
    clerk: Actor
    clerk2: Actor
    inspector: Actor
    supervisor: Actor
    supervisor2: Actor
    manager: Actor
    finance: Actor
    admin: Actor
    products: dict[str, int]  # sku -> id
    customer_id: int
    customer2_id: int


def _user(s, ctx, username, role, limit_minor) -> Actor:
    u = User(username=username, display_name=username.title(), role=role.value,
             password_hash=auth.hash_password(PASSWORD), approval_limit_minor=limit_minor,
             created_at=ctx.now(), active=True, failed_attempts=0)
    s.add(u)
    s.flush()
    return Actor(u.id, u.username, u.display_name, role, limit_minor, ctx.station)


CATALOGUE = [
    # sku, ean13, name, name_zh, category, price, cost, returnable, serial
    ("EL-1001", "6901234567892", "Bluetooth headphones", "蓝牙耳机", "electronics", 39900, 21000, True, True),
    ("EL-1002", "6901234567908", "USB-C charger 65W", "65W 充电器", "electronics", 14900, 6000, True, False),
    ("AP-2001", "6901234567915", "Cotton T-shirt", "纯棉T恤", "apparel", 7900, 2500, True, False),
    ("SH-3001", "6901234567922", "Running shoes", "跑鞋", "shoes", 59900, 30000, True, False),
    ("HM-4001", "6901234567939", "Ceramic mug", "陶瓷马克杯", "home", 4900, 1500, True, False),
    ("FD-5001", "6901234567946", "Green tea 250g", "绿茶250克", "food", 6800, 3000, False, False),
    ("EL-1003", "6901234567953", "4K television 55in", "55寸4K电视", "electronics", 459900, 320000, True, True),
]


def build_world(ctx: ServiceContext) -> World:
    with ctx.db.write() as s:
        clerk = _user(s, ctx, "clerk", Role.CLERK, 50000)
        clerk2 = _user(s, ctx, "clerk2", Role.CLERK, 50000)
        inspector = _user(s, ctx, "inspector", Role.INSPECTOR, 0)
        supervisor = _user(s, ctx, "supervisor", Role.SUPERVISOR, 500000)
        supervisor2 = _user(s, ctx, "supervisor2", Role.SUPERVISOR, 500000)
        manager = _user(s, ctx, "manager", Role.MANAGER, 10000000)
        finance = _user(s, ctx, "finance", Role.FINANCE, 0)
        admin = _user(s, ctx, "admin", Role.ADMIN, 0)
        sup = Supplier(code="SUP-1", name="Acme Supplies", address="1 Supplier Road")
        s.add(sup)
        s.flush()
        products = {}
        for sku, ean, name, name_zh, cat, price, cost, returnable, serial in CATALOGUE:
            p = Product(sku=sku, barcode=ean, name=name, name_zh=name_zh, category=cat, supplier_id=sup.id,
                        price_minor=price, cost_minor=cost, tax_rate_bp=1300, returnable=returnable,
                        serial_tracked=serial)
            s.add(p)
            s.flush()
            products[sku] = p.id
        c1 = Customer(code="C-1", name="Li Wei", phone="13800138000", email="li.wei@example.com",
                      address="88 Nanjing Road, Shanghai", created_at=ctx.now())
        c2 = Customer(code="C-2", name="Anna Smith", phone="13900139000", email=None,
                      address="12 Harbour St", created_at=ctx.now())
        s.add_all([c1, c2])
        s.flush()
        world = World(ctx, clerk, clerk2, inspector, supervisor, supervisor2, manager, finance, admin,
                      products, c1.id, c2.id)
    # Opening stock so that exchanges can reserve replacements.
    with ctx.db.write() as s:
        for pid in products.values():
            stock.move(s, ctx, None, product_id=pid, from_location=Location.CUSTOMER,
                       to_location=Location.AVAILABLE, quantity=20, reason="opening_stock")
    return world


def make_order(
    world: World,
    lines: list[tuple[str, int]] | list[tuple[str, int, int]],
    *,
    order_no: str | None = None,
    days_ago: int = 5,
    channel: str = "online",
    customer_id: int | None = None,
    shipping_minor: int = 0,
    payment_method: str = "card",
) -> str:
    """Create a delivered sale; each line is (sku, qty) or (sku, qty, discount_minor). Returns order_no."""
    ctx = world.ctx
    sold = ctx.now() - timedelta(days=days_ago + 2)
    delivered: datetime | None = ctx.now() - timedelta(days=days_ago)
    with ctx.db.write() as s:
        n = s.query(SalesOrder).count() + 1
        order_no = order_no or f"SO-{100000 + n}"
        total = shipping_minor
        order = SalesOrder(order_no=order_no, channel=channel, customer_id=customer_id or world.customer_id,
                           sold_at=sold, delivered_at=delivered, payment_method=payment_method,
                           currency="CNY", shipping_minor=shipping_minor, total_paid_minor=0, site="SH01")
        s.add(order)
        s.flush()
        for i, spec in enumerate(lines, start=1):
            sku, qty = spec[0], spec[1]
            discount = spec[2] if len(spec) > 2 else 0
            p = s.get(Product, world.products[sku])
            gross = p.price_minor * qty - discount
            # Prices include 13 % VAT: tax = gross * 13 / 113, rounded half up.
            tax = (gross * 1300 * 2 + 11300) // (11300 * 2)
            s.add(SalesOrderLine(order_id=order.id, line_no=i, product_id=p.id, quantity=qty,
                                 unit_price_minor=p.price_minor, discount_minor=discount, tax_minor=tax,
                                 paid_minor=gross, serial_numbers=None))
            total += gross
        order.total_paid_minor = total
        # The goods left the shop: stock moved from available to the customer.
        for spec in lines:
            stock.move(s, ctx, None, product_id=world.products[spec[0]], from_location=Location.AVAILABLE,
                       to_location=Location.CUSTOMER, quantity=spec[1], reason="sale")
    return order_no


def as_instants(view: Any) -> Any:
    """``view`` (a dataclass) with every time in it as an instant: SQLite hands back naive UTC
    times, a row just written holds the aware one (to compare a step's result with a fresh read)."""
    def same(value: Any) -> Any:
        if isinstance(value, datetime):
            return as_utc(value)
        if isinstance(value, tuple):
            return tuple(same(x) for x in value)
        return as_instants(value) if dataclasses.is_dataclass(value) else value
    return dataclasses.replace(view, **{f.name: same(getattr(view, f.name)) for f in dataclasses.fields(view)})
