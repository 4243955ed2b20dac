"""The counter fast path: walk-in returns taken, inspected, approved and refunded in one step."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from returndesk.domain.errors import ConcurrentChange, ValidationFailed
from returndesk.domain.types import Channel, Grade, Location, RefundMethod
from returndesk.services.usecases import counter, finance, intake
from returndesk.services.tx import stock
from returndesk.store.schema import (
    AuditEvent,
    CreditNote,
    InspectionUnit,
    Refund,
    Return,
    SalesOrderLine,
    StockMovement,
    User,
)

from .factories import build_world, make_order
from .money_support import CONDITIONS, order_line_ids

pytestmark = pytest.mark.both_databases(
    "money in one transaction, under row locks on the sale's lines and the number sequences"
)


def _draft(world, order_no, lines, method=RefundMethod.CASH, reason="changed_mind"):
    ids = order_line_ids(world, order_no)
    return intake.ReturnDraft(
        order_no=order_no, channel=Channel.COUNTER, refund_method=method,
        lines=tuple(intake.DraftLine(order_line_id=ids[sku], quantity=qty, reason_code=reason,
                                     conditions_met=CONDITIONS) for sku, qty in lines),
    )


def _shop_sale(world, lines):
    return make_order(world, lines, channel="store", days_ago=2)


def test_walk_in_return_is_refunded_on_the_spot_with_stock_back_in_available(ctx):
    world = build_world(ctx)
    order_no = _shop_sale(world, [("AP-2001", 2, 1)])  # 157.99 for two: 79.00 and 78.99
    tshirt = world.products["AP-2001"]
    seen = []
    ctx.listeners.append(lambda entity, entity_id: seen.append(entity))

    result = counter.counter_return(ctx, world.clerk, _draft(world, order_no, [("AP-2001", 2)]))

    assert result.refunded and result.stage == "refunded"
    detail = result.detail
    assert detail.status == "refunded" and detail.refund_total_minor == 15799
    assert result.refund.refund.method == "cash" and result.refund.refund.amount_minor == 15799
    assert result.message.startswith(f"{detail.rma_no} refunded: ¥157.99 by cash (RF-2026-000001")
    assert seen == ["return"]  # one transaction, one change notification
    with ctx.db.read() as s:
        assert stock.on_hand(s, tshirt, Location.AVAILABLE) == 20
        assert stock.on_hand(s, tshirt, Location.INSPECTION) == 0
        ol = s.execute(select(SalesOrderLine)).scalar_one()
        assert (ol.qty_in_process, ol.qty_returned, ol.refunded_minor) == (0, 2, 15799)
        assert s.execute(select(func.count()).select_from(InspectionUnit)).scalar_one() == 2
        actions = s.execute(
            select(AuditEvent.action).where(AuditEvent.entity_id == detail.rma_no).order_by(AuditEvent.seq)
        ).scalars().all()
        assert s.execute(select(CreditNote.total_minor)).scalar_one() == 15799
    assert actions[0] == "create" and actions[-3:] == ["complete_inspection", "auto_approve", "refund"]
    assert {"submit", "authorize", "receive"} <= set(actions)
    assert finance.check_books(ctx) == []

    receipt = counter.receipt_data(detail, clerk="Clerk", store_name="ReturnDesk Shanghai",
                                   store_address=("1 Nanjing Road",))
    assert [(line.quantity, line.unit_amount, line.refund_amount) for line in receipt.lines] == [
        (1, 7900, 7900), (1, 7899, 7899)]
    assert (receipt.total, receipt.refund_method, receipt.customer_name) == (15799, RefundMethod.CASH, "Li Wei")


def test_opened_goods_at_the_counter_carry_the_fee_on_the_receipt(ctx):
    world = build_world(ctx)
    order_no = _shop_sale(world, [("HM-4001", 3)])
    result = counter.counter_return(ctx, world.clerk, _draft(world, order_no, [("HM-4001", 3)],
                                                             method=RefundMethod.STORE_CREDIT),
                                    grade=Grade.B)
    assert result.refunded
    assert result.refund.refund.amount_minor == 14700 - 1470
    receipt = counter.receipt_data(result.detail, clerk="Clerk", store_name="Shop")
    assert [(line.quantity, line.unit_amount, line.deductions) for line in receipt.lines] == [(3, 4900, 1470)]
    assert receipt.subtotal - receipt.deductions == receipt.total == 13230


def test_above_the_automatic_limit_it_waits_for_a_supervisor_and_says_why(ctx):
    world = build_world(ctx)
    order_no = _shop_sale(world, [("SH-3001", 1)])
    result = counter.counter_return(ctx, world.clerk, _draft(world, order_no, [("SH-3001", 1)]))
    assert not result.refunded and result.stage == "awaiting_approval"
    assert "waits for supervisor approval" in result.message
    assert "¥599.00 is above the automatic approval limit of ¥200.00" in result.message
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(Refund)).scalar_one() == 0
        # Inspected A: the shoes are back in stock while the refund waits.
        assert stock.on_hand(s, world.products["SH-3001"], Location.AVAILABLE) == 20
        assert s.execute(select(SalesOrderLine.qty_in_process)).scalar_one() == 1


def test_cash_above_the_clerks_own_limit_is_not_paid_on_the_spot(ctx):
    world = build_world(ctx)
    with ctx.db.write() as s:
        s.execute(update(User).where(User.id == world.supervisor.user_id).values(approval_limit_minor=10000))
    order_no = _shop_sale(world, [("AP-2001", 2)])
    result = counter.counter_return(ctx, world.supervisor, _draft(world, order_no, [("AP-2001", 2)]))
    assert result.stage == "approved" and not result.refunded
    assert "¥158.00 in cash is above your cash limit of ¥100.00; a supervisor must pay it out" in result.message


def test_goods_taken_in_only_when_not_completed_on_the_spot(ctx):
    world = build_world(ctx)
    order_no = _shop_sale(world, [("EL-1002", 1), ("EL-1001", 1)])
    kept = counter.counter_return(ctx, world.clerk, _draft(world, order_no, [("EL-1002", 1)]),
                                  complete_on_spot=False)
    assert kept.stage == "received" and "wait in the inspection area" in kept.message
    with ctx.db.read() as s:
        assert stock.on_hand(s, world.products["EL-1002"], Location.INSPECTION) == 1
    serial = counter.counter_return(ctx, world.clerk, _draft(world, order_no, [("EL-1001", 1)]))
    assert serial.stage == "received"
    assert "EL-1001 Bluetooth headphones needs 1 serial number(s), 0 given" in serial.message


def test_the_fast_path_is_one_transaction(ctx, monkeypatch):
    world = build_world(ctx)
    order_no = _shop_sale(world, [("AP-2001", 1)])

    def printer_jam(*args, **kwargs):
        raise RuntimeError("the refund step failed")

    monkeypatch.setattr(counter, "issue_refund_in", printer_jam)
    with pytest.raises(RuntimeError):
        counter.counter_return(ctx, world.clerk, _draft(world, order_no, [("AP-2001", 1)]))
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(Return)).scalar_one() == 0
        assert s.execute(select(SalesOrderLine.qty_in_process)).scalar_one() == 0
        assert s.execute(
            select(func.count()).select_from(StockMovement).where(StockMovement.return_id.is_not(None))
        ).scalar_one() == 0
        assert s.execute(select(func.count()).select_from(AuditEvent)).scalar_one() == 0


def test_a_remote_draft_is_not_a_walk_in(ctx):
    world = build_world(ctx)
    order_no = _shop_sale(world, [("AP-2001", 1)])
    draft = _draft(world, order_no, [("AP-2001", 1)], method=RefundMethod.ORIGINAL_PAYMENT)
    remote = intake.ReturnDraft(order_no=draft.order_no, channel=Channel.REMOTE,
                                refund_method=draft.refund_method, lines=draft.lines)
    with pytest.raises(ValidationFailed, match="must use the counter channel"):
        counter.counter_return(ctx, world.clerk, remote)


# --------------------------------------------------------------------------- a return sent in


def _remote_draft(world, order_no, lines):
    ids = order_line_ids(world, order_no)
    return intake.ReturnDraft(
        order_no=order_no, channel=Channel.REMOTE, refund_method=RefundMethod.ORIGINAL_PAYMENT,
        lines=tuple(intake.DraftLine(order_line_id=ids[sku], quantity=qty, reason_code="changed_mind",
                                     conditions_met=CONDITIONS) for sku, qty in lines),
    )


def _status(ctx, rma):
    with ctx.db.read() as s:
        return s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one()


def test_a_remote_return_issued_at_the_counter_is_authorized_with_its_deadline(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("AP-2001", 2)], days_ago=3)
    issued = counter.issue_remote_return(ctx, world.clerk, _remote_draft(world, order_no, [("AP-2001", 1)]))
    assert issued.authorized and issued.may_authorize and issued.authorize_problem is None
    assert issued.detail.status == "authorized" and issued.detail.receive_by is not None
    assert _status(ctx, issued.detail.rma_no) == "authorized"


def test_a_refused_authorization_keeps_the_request_and_says_why(ctx, monkeypatch):
    world = build_world(ctx)
    order_no = make_order(world, [("AP-2001", 1)], days_ago=3)

    def refuse(*_args, **_kwargs):
        raise ConcurrentChange("Another station changed the return at the same moment; nothing was saved.")

    monkeypatch.setattr(intake, "authorize_return", refuse)
    issued = counter.issue_remote_return(ctx, world.clerk, _remote_draft(world, order_no, [("AP-2001", 1)]))
    assert not issued.authorized and issued.may_authorize
    assert issued.authorize_problem.startswith("Another station changed the return")
    assert issued.detail.status == "requested"
    assert _status(ctx, issued.detail.rma_no) == "requested"  # the request stands, waiting for a supervisor


def test_a_wrong_remote_request_saves_nothing(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("AP-2001", 1)], days_ago=3)
    with pytest.raises(ValidationFailed):
        counter.issue_remote_return(ctx, world.clerk, _remote_draft(world, order_no, [("AP-2001", 5)]))
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(Return)).scalar_one() == 0
