"""One serial, one refund: a serial-numbered unit already back from the customer on one return,
or never sold on the order, cannot be accepted on another return — at the scanning station and at
the counter — and the station says which RMA has it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.types import Channel, Disposition, Grade, RefundMethod, UnitOutcome
from returndesk.services.usecases import approval, counter, inspection, intake, receiving, refunds
from returndesk.store.schema import Return, SalesOrderLine

from .factories import build_world, make_order
from .inspection_support import CONDITIONS, authorized_return, barcode, order_line_ids


def _phones(world, serials="SN-A,SN-B,SN-C", channel="online"):
    order_no = make_order(world, [("EL-1001", 3)], channel=channel, days_ago=2)
    ol_id = order_line_ids(world, order_no)["EL-1001"]
    with world.ctx.db.write() as s:
        s.get(SalesOrderLine, ol_id).serial_numbers = serials
    return order_no, ol_id


def _received(world, order_no):
    rma = authorized_return(world, [("EL-1001", 1, "defective")], order_no=order_no)
    receiving.receive_return(world.ctx, world.inspector, rma)
    return rma


def _scan(world, rma, serial, **kwargs):
    return inspection.record_unit(world.ctx, world.inspector, rma, scanned_code=barcode("EL-1001"),
                                  serial_no=serial, grade=Grade.D, **kwargs)


def test_a_serial_back_on_one_return_is_not_accepted_on_another(ctx):
    world = build_world(ctx)
    order_no, _ = _phones(world)
    first = _received(world, order_no)
    assert _scan(world, first, "sn-a").outcome is UnitOutcome.ACCEPTED
    second = _received(world, order_no)
    # By default the unit goes back to the customer, and the station names the return that has it.
    twice = _scan(world, second, "SN-A")
    assert (twice.outcome, twice.disposition) == (UnitOutcome.REJECTED, Disposition.RETURN_TO_CUSTOMER)
    assert f"Serial SN-A is already back from the customer on {first} (received)" in twice.message
    inspection.undo_last_unit(ctx, world.inspector, second)
    # Accepting it anyway is refused, in any state of the first return from receipt to closed.
    for step in ("received", "refunded", "closed"):
        if step == "refunded":
            inspection.complete_inspection(ctx, world.inspector, first)
            approval.approve_refund(ctx, world.supervisor, first)  # routed: grade D of a defect claim
            refunds.issue_refund(ctx, world.finance, first)
        elif step == "closed":
            refunds.close_return(ctx, world.finance, first)
        with pytest.raises(ValidationFailed, match=f"Serial SN-A is already back from the customer on {first}"):
            _scan(world, second, "SN-A", disposition=Disposition.RETURN_TO_VENDOR)
    # Changing the sent-back unit to be accepted is refused the same way.
    sent_back = _scan(world, second, "SN-A")
    with pytest.raises(ValidationFailed, match=f"on {first}"):
        inspection.update_unit(ctx, world.inspector, sent_back.unit.id, disposition=Disposition.SCRAP)


def test_a_refused_refund_gives_the_serial_back(ctx):
    world = build_world(ctx)
    order_no, _ = _phones(world)
    first = _received(world, order_no)
    _scan(world, first, "SN-A")
    inspection.complete_inspection(ctx, world.inspector, first)
    approval.reject_refund(ctx, world.supervisor, first, "Damaged by the customer.")
    second = _received(world, order_no)
    assert _scan(world, second, "SN-A").outcome is UnitOutcome.ACCEPTED


def test_a_serial_never_sold_on_the_order_is_not_accepted(ctx):
    world = build_world(ctx)
    order_no, _ = _phones(world)
    rma = _received(world, order_no)
    with pytest.raises(ValidationFailed, match="Serial SN-Z was not sold on this order line"):
        _scan(world, rma, "SN-Z", disposition=Disposition.RETURN_TO_VENDOR)
    stranger = _scan(world, rma, "SN-Z")
    assert stranger.outcome is UnitOutcome.REJECTED
    with pytest.raises(ValidationFailed, match="cannot be accepted on this return"):
        inspection.update_unit(ctx, world.inspector, stranger.unit.id, disposition=Disposition.RESTOCK)


def _counter_draft(world, order_no):
    ids = order_line_ids(world, order_no)
    return intake.ReturnDraft(
        order_no=order_no, channel=Channel.COUNTER, refund_method=RefundMethod.ORIGINAL_PAYMENT,
        lines=(intake.DraftLine(order_line_id=ids["EL-1001"], quantity=1, reason_code="changed_mind",
                                conditions_met=CONDITIONS),),
    )


def _returns(ctx):
    with ctx.db.read() as s:
        return s.execute(select(func.count()).select_from(Return)).scalar_one()


def test_the_counter_refuses_a_serial_already_back_or_never_sold_and_saves_nothing(ctx):
    world = build_world(ctx)
    order_no, ol_id = _phones(world, channel="store")
    first = counter.counter_return(ctx, world.clerk, _counter_draft(world, order_no), serials={ol_id: ["SN-A"]})
    assert first.refunded or first.stage in ("awaiting_approval", "approved")
    before = _returns(ctx)
    for serial, words in (("SN-A", f"already back from the customer on {first.detail.rma_no}"),
                          ("SN-Z", f"was not sold on order {order_no}")):
        with pytest.raises(ValidationFailed) as err:
            counter.counter_return(ctx, world.clerk, _counter_draft(world, order_no), serials={ol_id: [serial]})
        assert words in " ".join(err.value.problems)
        assert err.value.problems[0].startswith("Line 1 (Bluetooth headphones)")
    assert _returns(ctx) == before
    ok = counter.counter_return(ctx, world.clerk, _counter_draft(world, order_no), serials={ol_id: ["sn-b"]})
    assert ok.completion is not None and ok.completion.lines[0].qty_accepted == 1
