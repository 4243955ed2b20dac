"""Exchanges: replacement orders reserve stock, both signs of the difference are settled, the
replacement is handed over or cancelled, and a return is still paid out at most once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from returndesk.domain.errors import (
    AlreadyDone,
    IllegalTransition,
    PermissionDenied,
    PolicyViolation,
    ValidationFailed,
)
from returndesk.domain.types import Location, RefundMethod
from returndesk.services.usecases import exchange, finance, refunds
from returndesk.services.tx import stock
from returndesk.store.schema import (
    CreditNote,
    JournalEntry,
    JournalLine,
    Refund,
    RefundLine,
    Return,
    SalesOrderLine,
    StockMovement,
)

from .factories import build_world
from .money_support import LineSpec, approved

pytestmark = pytest.mark.both_databases("money: differences settled both ways, stock reserved under row locks")


def _on_hand(ctx, product_id, location):
    with ctx.db.read() as s:
        return stock.on_hand(s, product_id, location)


def _accounts(ctx, entry_no):
    with ctx.db.read() as s:
        rows = s.execute(
            select(JournalLine.account, func.sum(JournalLine.debit_minor), func.sum(JournalLine.credit_minor))
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .where(JournalEntry.entry_no == entry_no)
            .group_by(JournalLine.account)
        ).all()
    return {account: (int(dr), int(cr)) for account, dr, cr in rows}


def test_exchange_for_dearer_goods_reserves_stock_and_leaves_the_difference_to_collect(ctx):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("AP-2001", 1, reason="wrong_size")])
    shoes = world.products["SH-3001"]
    result = exchange.create_exchange(ctx, world.clerk2, rma, [("SH-3001", 1)])

    assert result.detail.status == "exchanged" and result.detail.resolution == "exchange"
    ro = result.replacement
    assert ro.order_no == "RO-2026-000001" and ro.status == "reserved"
    assert (ro.value_minor, ro.credit_minor, ro.difference_minor) == (59900, 7900, 52000)
    assert result.to_collect_minor == 52000 and result.refund is None
    assert [(line.sku, line.quantity, line.unit_price_minor) for line in ro.lines] == [("SH-3001", 1, 59900)]
    assert (_on_hand(ctx, shoes, Location.AVAILABLE), _on_hand(ctx, shoes, Location.RESERVED)) == (19, 1)
    assert result.credit_note_no == "CN-2026-000001"
    accounts = _accounts(ctx, result.entry_no)
    assert accounts[finance.CUSTOMER_ACCOUNTS] == (52000, 0)
    assert accounts[finance.SALES_REVENUE] == (0, 59900 - finance.tax_inside(59900, 1300))
    assert sum(dr for dr, _ in accounts.values()) == sum(cr for _, cr in accounts.values())
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(Refund)).scalar_one() == 0
        note = s.execute(select(CreditNote)).scalar_one()
        assert note.total_minor == 7900
        ol = s.execute(select(SalesOrderLine)).scalar_one()
        assert (ol.qty_in_process, ol.qty_returned, ol.refunded_minor) == (0, 1, 7900)
    assert finance.check_books(ctx) == []
    # Exchanged: no refund on top, and no second exchange.
    with pytest.raises(IllegalTransition, match="cannot refund: it is exchanged"):
        refunds.issue_refund(ctx, world.finance, rma)
    with pytest.raises(AlreadyDone, match=f"Return {rma} was exchanged already \\(replacement order RO-2026-000001"):
        exchange.create_exchange(ctx, world.clerk2, rma, [("SH-3001", 1)])


def test_exchange_for_cheaper_goods_refunds_the_difference_once(ctx):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("SH-3001", 1, reason="wrong_size")])
    result = exchange.create_exchange(ctx, world.clerk2, rma, [("AP-2001", 2)],
                                      method=RefundMethod.STORE_CREDIT)
    assert result.replacement.difference_minor == 15800 - 59900
    assert result.to_collect_minor == 0
    refund = result.refund
    assert (refund.amount_minor, refund.method, refund.credit_note_no) == (44100, "store_credit", "CN-2026-000001")
    assert sum(line.amount_minor for line in refund.lines) == 44100
    accounts = _accounts(ctx, result.entry_no)
    assert accounts[finance.STORE_CREDIT] == (0, 44100)
    with ctx.db.read() as s:
        assert s.execute(select(func.sum(RefundLine.amount_minor))).scalar_one() == 44100
        entry = s.execute(select(JournalEntry)).scalar_one()
        assert entry.refund_id == s.execute(select(Refund.id)).scalar_one()
    with pytest.raises(
        AlreadyDone,
        match=f"Return {rma} was exchanged already \\(RO-2026-000001; difference refunded as RF-2026-000001",
    ):
        refunds.issue_refund(ctx, world.finance, rma)
    assert finance.check_books(ctx) == []


def test_not_enough_stock_is_refused_with_the_figures(ctx):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("SH-3001", 1, reason="wrong_size")])
    with pytest.raises(ValidationFailed) as err:
        exchange.create_exchange(ctx, world.clerk2, rma, [("AP-2001", 15), (world.products["AP-2001"], 6),
                                                          ("HM-4001", 1)])
    assert "AP-2001 Cotton T-shirt: 21 wanted, only 20 available." in err.value.message
    assert err.value.problems == ["AP-2001 Cotton T-shirt: 21 wanted, only 20 available."]
    with pytest.raises(ValidationFailed, match="No product NOPE-1 exists"):
        exchange.create_exchange(ctx, world.clerk2, rma, [("NOPE-1", 1)])
    with pytest.raises(ValidationFailed, match="at least one replacement"):
        exchange.create_exchange(ctx, world.clerk2, rma, [])
    with ctx.db.read() as s:
        assert s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one() == "approved"
        assert s.execute(
            select(func.count()).select_from(StockMovement).where(StockMovement.reason == "replacement_reserved")
        ).scalar_one() == 0
    # By barcode it works, and the return can still be exchanged.
    assert exchange.create_exchange(ctx, world.clerk2, rma, [("6901234567915", 2)]).replacement.value_minor == 15800


def test_a_refund_only_reason_cannot_be_exchanged(ctx):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("HM-4001", 1, reason="better_price")])
    with pytest.raises(PolicyViolation, match="'Found a better price' allows a refund only"):
        exchange.create_exchange(ctx, world.clerk2, rma, [("HM-4001", 1)])
    with pytest.raises(PermissionDenied):
        exchange.create_exchange(ctx, world.inspector, rma, [("HM-4001", 1)])


def test_fulfil_hands_over_and_then_the_return_closes(ctx):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("HM-4001", 2, reason="defective")])
    mug = world.products["HM-4001"]
    result = exchange.create_exchange(ctx, world.clerk2, rma, [("HM-4001", 2)])
    assert result.replacement.difference_minor == 0 and result.to_collect_minor == 0
    with pytest.raises(PolicyViolation, match="still holds reserved stock"):
        refunds.close_return(ctx, world.clerk2, rma)
    view = exchange.fulfil_replacement(ctx, world.clerk2, rma)  # by RMA
    assert view.status == "fulfilled"
    assert _on_hand(ctx, mug, Location.RESERVED) == 0
    with ctx.db.read() as s:
        entry_no = s.execute(
            select(JournalEntry.entry_no).where(JournalEntry.memo.like("%handed over%"))
        ).scalar_one()
    assert _accounts(ctx, entry_no) == {finance.COST_OF_GOODS: (3000, 0), finance.INVENTORY: (0, 3000)}
    with pytest.raises(AlreadyDone, match="was fulfilled already"):
        exchange.fulfil_replacement(ctx, world.clerk2, result.replacement.order_no)
    assert refunds.close_return(ctx, world.clerk2, rma).status == "closed"
    assert finance.check_books(ctx) == []


def test_cancel_puts_the_goods_back_and_owes_the_value_to_the_customer(ctx):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("AP-2001", 1, reason="wrong_size")])
    shoes = world.products["SH-3001"]
    result = exchange.create_exchange(ctx, world.clerk2, rma, [("SH-3001", 1)])
    with pytest.raises(ValidationFailed, match="Write why the replacement is cancelled"):
        exchange.cancel_replacement(ctx, world.clerk2, result.replacement.order_no, "")
    view = exchange.cancel_replacement(ctx, world.clerk2, result.replacement.order_no,
                                       "Customer no longer wants the shoes")
    assert view.status == "cancelled"
    assert (_on_hand(ctx, shoes, Location.AVAILABLE), _on_hand(ctx, shoes, Location.RESERVED)) == (20, 0)
    with ctx.db.read() as s:
        entry_no = s.execute(
            select(JournalEntry.entry_no).where(JournalEntry.memo.like("%cancelled%"))
        ).scalar_one()
    accounts = _accounts(ctx, entry_no)
    assert accounts[finance.CUSTOMER_ACCOUNTS] == (0, 59900)
    with pytest.raises(AlreadyDone, match="was cancelled already"):
        exchange.cancel_replacement(ctx, world.clerk2, rma, "again and again")
    assert exchange.find_replacement(ctx, world.clerk2, rma).status == "cancelled"
    assert refunds.close_return(ctx, world.clerk2, rma).status == "closed"
    assert finance.check_books(ctx) == []


def test_an_exchanged_return_moves_on_by_its_rma_handed_over_shipped_or_cancelled(ctx):
    """The detail page's actions on a reserved replacement: by the return's RMA and version, the way
    of delivery recorded; refused while the customer still owes the difference, and once done."""
    world = build_world(ctx)
    mug = world.products["HM-4001"]
    counter = exchange.create_exchange(ctx, world.clerk2, approved(world, [LineSpec("HM-4001", 1, reason="defective")]),
                                       [("HM-4001", 1)])
    rma = counter.detail.rma_no
    with pytest.raises(PermissionDenied):
        exchange.fulfil_exchange(ctx, world.inspector, rma)
    with pytest.raises(ValidationFailed, match="not a way to deliver"):
        exchange.fulfil_exchange(ctx, world.clerk2, rma, "drone")
    view = exchange.fulfil_exchange(ctx, world.clerk2, rma, "counter", expected_version=counter.detail.version)
    assert (view.status, view.fulfilment) == ("fulfilled", "counter")
    assert _on_hand(ctx, mug, Location.RESERVED) == 0
    with pytest.raises(IllegalTransition, match="cannot be handed over: it was fulfilled already"):
        exchange.fulfil_exchange(ctx, world.clerk2, rma, "ship")
    with pytest.raises(IllegalTransition, match="cannot be cancelled: it was fulfilled already"):
        exchange.cancel_exchange(ctx, world.clerk2, rma, "Customer changed their mind")

    shipped = exchange.create_exchange(ctx, world.clerk2, approved(world, [LineSpec("HM-4001", 1, reason="defective")]),
                                       [("HM-4001", 1)])
    view = exchange.fulfil_exchange(ctx, world.clerk2, shipped.detail.rma_no, "ship")
    assert (view.status, view.fulfilment) == ("fulfilled", "ship")

    # The customer owes the dearer goods' difference: no hand-over before it is paid.
    dearer = exchange.create_exchange(ctx, world.clerk2, approved(world, [LineSpec("AP-2001", 1, reason="wrong_size")]),
                                      [("SH-3001", 1)])
    owed = dearer.detail.rma_no
    with pytest.raises(PolicyViolation, match="still owes ¥520.00 on replacement order"):
        exchange.fulfil_exchange(ctx, world.clerk2, owed, "counter")
    with pytest.raises(ValidationFailed, match="Write why the replacement is cancelled"):
        exchange.cancel_exchange(ctx, world.clerk2, owed, "no")
    view = exchange.cancel_exchange(ctx, world.clerk2, owed, "Customer no longer wants the shoes")
    assert view.status == "cancelled"
    assert _on_hand(ctx, world.products["SH-3001"], Location.RESERVED) == 0
    # A return that was not exchanged has no replacement to move.
    refunded = approved(world, [LineSpec("HM-4001", 1, reason="defective")])
    with pytest.raises(PolicyViolation, match="only an exchanged return has a replacement"):
        exchange.fulfil_exchange(ctx, world.clerk2, refunded)
    for done in (rma, shipped.detail.rma_no, owed):
        assert refunds.close_return(ctx, world.clerk2, done).status == "closed"
    assert finance.check_books(ctx) == []
