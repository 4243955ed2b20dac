"""Demo data: every state of a return, through the use cases and in bulk, with books, stock, running
totals and the audit trail that agree; the same seed gives the same data."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.lifecycle import Action
from returndesk.domain.scan import is_valid_gtin
from returndesk.domain.types import ReturnStatus, Role
from returndesk.services.tx import audit, stock
from returndesk.services.usecases import auth, finance
from returndesk.devtools import demo
from returndesk.services.tx.context import ServiceContext
from returndesk.devtools.demo import DEMO_ACCOUNTS, generate_demo, is_demo_database
from returndesk.store.engine import Database
from returndesk.store.schema import (
    AuditEvent,
    AuditHead,
    Customer,
    JournalEntry,
    JournalLine,
    Product,
    Refund,
    RefundLine,
    ReplacementOrder,
    Return,
    ReturnLine,
    SalesOrder,
    SalesOrderLine,
    StockLocation,
    StockMovement,
)

from ..conftest import FakeClock

pytestmark = [pytest.mark.both_databases("the bulk writer has a PostgreSQL path of its own (COPY)"),
              pytest.mark.database_owner("demo data is written with the owner's login (returndesk demo --url)")]

_LIFECYCLE_ACTIONS = {a.value for a in Action} | {"create"}


def assert_sound(ctx) -> dict[str, int]:
    """Every invariant the demo promises; returns the number of returns per status."""
    assert finance.check_books(ctx) == []
    chain = audit.verify_chain(ctx)
    assert chain.ok, chain.message
    with ctx.db.read() as s:
        # Debits equal credits, in total and per entry.
        dr, cr = s.execute(select(func.sum(JournalLine.debit_minor), func.sum(JournalLine.credit_minor))).one()
        assert dr == cr and dr > 0
        assert s.execute(
            select(func.count()).select_from(
                select(JournalLine.entry_id).group_by(JournalLine.entry_id)
                .having(func.sum(JournalLine.debit_minor) != func.sum(JournalLine.credit_minor)).subquery()
            )
        ).scalar_one() == 0
        # Refunded <= paid, returned + in process <= purchased.
        assert s.execute(select(func.count()).select_from(SalesOrderLine).where(
            (SalesOrderLine.refunded_minor > SalesOrderLine.paid_minor)
            | (SalesOrderLine.qty_returned + SalesOrderLine.qty_in_process > SalesOrderLine.quantity))
        ).scalar_one() == 0

        # On-hand = sum of movements, for every product at every internal location.
        locations = dict(s.execute(select(StockLocation.id, StockLocation.code)).all())
        internal = set(s.execute(select(StockLocation.code).where(StockLocation.internal.is_(True))).scalars())
        level: dict[tuple[int, str], int] = defaultdict(int)
        for product_id, src, dst, qty in s.execute(select(StockMovement.product_id, StockMovement.from_location_id,
                                                          StockMovement.to_location_id, StockMovement.quantity)):
            level[(product_id, locations[dst])] += qty
            level[(product_id, locations[src])] -= qty
        products = s.execute(select(Product.id)).scalars().all()
        for product_id in products:
            for code in internal:
                on_hand = stock.on_hand(s, product_id, code)
                assert on_hand == level[(product_id, code)]
                assert on_hand >= 0, (product_id, code, on_hand)

        # The running totals of the order lines are what the returns hold, returned and refunded.
        settled = set(s.execute(select(Refund.return_id)).scalars()) | set(
            s.execute(select(ReplacementOrder.return_id)).scalars())
        status = dict(s.execute(select(Return.id, Return.status)).all())
        returned: dict[int, int] = defaultdict(int)
        refunded: dict[int, int] = defaultdict(int)
        held: dict[int, int] = defaultdict(int)
        for rl in s.execute(select(ReturnLine)).scalars():
            state = status[rl.return_id]
            if rl.return_id in settled:
                returned[rl.order_line_id] += rl.qty_accepted
                refunded[rl.order_line_id] += rl.refund_minor
            elif state in ("draft", "requested", "waiting_for_customer", "authorized", "received"):
                held[rl.order_line_id] += rl.qty_requested
            elif state in ("inspected", "awaiting_approval", "approved"):
                held[rl.order_line_id] += rl.qty_accepted + rl.qty_rejected
        for ol in s.execute(select(SalesOrderLine)).scalars():
            assert (ol.qty_returned, ol.refunded_minor, ol.qty_in_process) == (
                returned[ol.id], refunded[ol.id], held[ol.id]), ol.id

        # A refund pays what its lines say, plus the shipping given back; an exchange's refund is the
        # difference, shared over the lines.
        exchanged = set(s.execute(select(ReplacementOrder.return_id)).scalars())
        for refund_id, return_id, amount, shipping, lines in s.execute(
            select(Refund.id, Refund.return_id, Refund.amount_minor, Return.shipping_refund_minor,
                   func.coalesce(func.sum(RefundLine.amount_minor), 0))
            .join(Return, Return.id == Refund.return_id)
            .outerjoin(RefundLine, RefundLine.refund_id == Refund.id)
            .group_by(Refund.id, Refund.return_id, Refund.amount_minor, Return.shipping_refund_minor)
        ):
            assert amount == lines + (0 if return_id in exchanged else shipping), refund_id

        # The audit trail tells the status each return is in.
        last: dict[str, str] = {}
        for rma, action, after in s.execute(
            select(AuditEvent.entity_id, AuditEvent.action, AuditEvent.after_json)
            .where(AuditEvent.entity == "return").order_by(AuditEvent.seq)
        ):
            if action in _LIFECYCLE_ACTIONS and after:
                last[rma] = json.loads(after)["status"]
        for rma, state in s.execute(select(Return.rma_no, Return.status)):
            assert last.get(rma) == state, (rma, state, last.get(rma))
        return dict(s.execute(select(Return.status, func.count()).group_by(Return.status)).all())


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the use cases run on PostgreSQL in their own tests
def test_small_demo_has_every_state_and_sound_books(ctx):
    progress: list[tuple[str, int, int]] = []
    result = generate_demo(ctx, orders=160, returns=24, seed=4, progress=lambda *p: progress.append(p))
    assert result.returns == 24 and result.returns_via_services == 23 and result.returns_bulk == 1
    counts = assert_sound(ctx)
    assert {st.value for st in ReturnStatus} == {k for k, v in counts.items() if v > 0}
    assert dict(result.returns_by_status) == {st.value: counts.get(st.value, 0) for st in ReturnStatus}
    assert {stage for stage, _, _ in progress} >= {"customers", "sales orders", "returns through the use cases",
                                                   "returns in bulk"}
    assert all(done <= total for _, done, total in progress)

    # The documented demo users sign in with their passwords.
    for account in DEMO_ACCOUNTS:
        actor = auth.sign_in(ctx, account.username, account.password)
        assert actor.role is account.role
    assert {a.role for a in DEMO_ACCOUNTS} == set(Role)
    assert is_demo_database(ctx)
    with ctx.db.read() as s:
        products = s.execute(select(Product)).scalars().all()
        assert 55 <= len(products) <= 70
        assert all(p.barcode and is_valid_gtin(p.barcode) and len(p.barcode) == 13 for p in products)
        assert all(p.name_zh and p.name for p in products)
        assert {p.category for p in products} == {"electronics", "apparel", "shoes", "home", "toys", "beauty",
                                                  "food", "gift_cards"}
        names = s.execute(select(Customer.name)).scalars().all()
        assert any(all("\u4e00" <= ch <= "\u9fff" for ch in n) for n in names), "Chinese names"
        assert any(n.isascii() and " " in n for n in names), "Western names"
        orders = s.execute(select(SalesOrder)).scalars().all()
        assert len(orders) == 160
        assert {o.channel for o in orders} == {"store", "online", "phone"}
        assert any(o.shipping_minor for o in orders)
        lines = s.execute(select(SalesOrderLine)).scalars().all()
        assert any(ln.discount_minor for ln in lines)
        assert all(0 <= ln.tax_minor < ln.paid_minor for ln in lines) and any(ln.tax_minor for ln in lines)
        assert all(ln.paid_minor == ln.unit_price_minor * ln.quantity - ln.discount_minor for ln in lines)
        # Sales are dated within the period, before now.
        assert all(datetime(2026, 8, 28, tzinfo=UTC) <= _aware(o.sold_at) < ctx.now() for o in orders)
        # Some returns were refunded at the counter, some by the finance desk.
        methods = set(s.execute(select(Refund.method)).scalars())
        assert len(methods) >= 2


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


@pytest.mark.slow
def test_bulk_path_keeps_the_same_invariants(ctx):
    result = generate_demo(ctx, orders=2600, returns=2000, seed=9, via_services=0)
    assert (result.returns, result.returns_bulk, result.returns_via_services) == (2000, 2000, 0)
    assert result.bulk_rate > 0
    counts = assert_sound(ctx)
    assert sum(counts.values()) == 2000
    # Recent returns are still open, older ones finished: the states spread out.
    assert len([k for k, v in counts.items() if v]) >= 12
    assert counts["closed"] > counts["requested"]
    with ctx.db.read() as s:
        # Exchanges reserved and handed over stock; refunds carry credit notes.
        assert s.execute(select(func.count()).select_from(ReplacementOrder)).scalar_one() > 0
        entries = s.execute(select(func.count()).select_from(JournalEntry)).scalar_one()
        assert entries >= s.execute(select(func.count()).select_from(Refund)).scalar_one()
        head = s.get(AuditHead, 1)
        assert head.last_seq == s.execute(select(func.max(AuditEvent.seq))).scalar_one()


def test_demo_refuses_what_cannot_be(ctx):
    with pytest.raises(ValidationFailed, match="at least as many sales orders"):
        generate_demo(ctx, orders=5, returns=10)
    with pytest.raises(ValidationFailed, match="need sales"):
        generate_demo(ctx, orders=0, returns=3)


def _digest(url: str) -> tuple[str, str, int]:
    """The audit chain's last hash (it covers every event, times included) and a digest of the
    sales and customers, which write no audit events."""
    db = Database.open(url)
    try:
        with db.read() as s:
            head = s.get(AuditHead, 1)
            h = hashlib.sha256()
            for row in s.execute(select(Customer.code, Customer.name, Customer.phone, Customer.email,
                                        Customer.address).order_by(Customer.code)):
                h.update(repr(tuple(row)).encode())
            for row in s.execute(select(SalesOrder.order_no, SalesOrder.channel, SalesOrder.sold_at,
                                        SalesOrder.delivered_at, SalesOrder.total_paid_minor,
                                        SalesOrder.payment_method).order_by(SalesOrder.order_no)):
                h.update(repr(tuple(row)).encode())
            for row in s.execute(select(SalesOrderLine.id, SalesOrderLine.product_id, SalesOrderLine.quantity,
                                        SalesOrderLine.paid_minor, SalesOrderLine.serial_numbers,
                                        SalesOrderLine.qty_returned, SalesOrderLine.refunded_minor)
                                 .order_by(SalesOrderLine.id)):
                h.update(repr(tuple(row)).encode())
            return head.last_hash, h.hexdigest(), head.last_seq
    finally:
        db.dispose()


@pytest.mark.slow
def test_the_same_seed_gives_the_same_data(sqlite_template, tmp_path):
    import shutil

    digests = []
    for run, seed in enumerate((21, 21, 22)):
        path = tmp_path / f"demo{run}.sqlite3"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
        db = Database.open(url)
        ctx = ServiceContext(db=db, clock=FakeClock(), station="TEST-1")
        generate_demo(ctx, orders=90, returns=20 if run < 2 else 0, seed=seed, via_services=14)
        db.dispose()
        digests.append(_digest(url))
    assert digests[0] == digests[1]
    assert digests[0][2] > 100
    assert digests[2][1] != digests[0][1], "another seed, other sales"


def test_ean13_check_digits():
    assert demo.ean13("4006381", 33393) == "4006381333931"
    for ref in range(1, 700, 7):
        assert is_valid_gtin(demo.ean13("6931872", ref))


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the use cases run on PostgreSQL in their own tests
def test_the_first_start_demo_has_claims_in_every_state_and_a_refurbish_queue(ctx):
    from returndesk.api.local import DEMO_DAYS, DEMO_ORDERS, DEMO_RETURNS
    from returndesk.domain.claims import ClaimStatus
    from returndesk.services.usecases import refurbish
    from returndesk.store.schema import RefurbishJob, RtvClaim

    generate_demo(ctx, orders=DEMO_ORDERS, returns=DEMO_RETURNS, days=DEMO_DAYS)
    assert_sound(ctx)
    with ctx.db.read() as s:
        states = set(s.execute(select(RtvClaim.status)).scalars())
        jobs = s.execute(select(RefurbishJob.status)).scalars().all()
    assert states == {st.value for st in ClaimStatus}
    assert jobs == ["refurbished"]
    inspector = auth.sign_in(ctx, "inspector", next(a.password for a in DEMO_ACCOUNTS if a.username == "inspector"))
    assert refurbish.refurbish_queue(ctx, inspector).waiting
