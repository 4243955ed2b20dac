"""Inspection unit by unit: matching scans to lines, over/short/wrong items, grades and
dispositions with their stock movements, changing and undoing units, completing and routing
(SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, update

from returndesk.domain.errors import (
    ConcurrentChange,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from returndesk.domain.types import (
    ApprovalLevel,
    Channel,
    Disposition,
    Grade,
    Location,
    RefundMethod,
    UnitOutcome,
)
from returndesk.services.usecases import documents, inspection, intake, receiving
from returndesk.services.tx import stock
from returndesk.services.tx.context import ServiceContext
from returndesk.domain.inspection import UnitChecks
from returndesk.store.engine import Database
from returndesk.store.schema import (
    Approval,
    AuditEvent,
    InspectionUnit,
    Product,
    ReturnLine,
    SalesOrderLine,
    StockLocation,
    StockMovement,
)

from .factories import as_instants, build_world, make_order
from .inspection_support import (
    CONDITIONS,
    authorized_return,
    barcode,
    levels,
    on_hand,
    order_line_ids,
    return_row,
)

pytestmark = pytest.mark.both_databases("refund figures from SQL sums of money; two inspectors at the same moment")


def received(w, lines, **kwargs) -> str:
    """An authorized return of ``lines`` whose parcel has arrived."""
    rma = authorized_return(w, lines, **kwargs)
    receiving.receive_return(w.ctx, w.inspector, rma)
    return rma


def scan(w, rma, sku, **kwargs):
    return inspection.record_unit(w.ctx, w.inspector, rma, scanned_code=barcode(sku), **kwargs)


def net_from_return(w, rma: str, sku: str) -> dict[str, int]:
    """Per location, what this return's movements of ``sku`` brought in minus took out."""
    ret = return_row(w, rma)
    with w.ctx.db.read() as s:
        codes = dict(s.execute(select(StockLocation.id, StockLocation.code)).all())
        net: dict[str, int] = {}
        for src, dst, qty in s.execute(
            select(StockMovement.from_location_id, StockMovement.to_location_id, StockMovement.quantity)
            .where(StockMovement.return_id == ret.id, StockMovement.product_id == w.products[sku])
        ):
            net[codes[dst]] = net.get(codes[dst], 0) + qty
            net[codes[src]] = net.get(codes[src], 0) - qty
    return {loc: q for loc, q in net.items() if q}


def make_order_no(w, rma: str) -> str:
    """The order number of a return."""
    return receiving.find_return_by_scan(w.ctx, w.inspector, rma).detail.order_no


def in_process(w, order_line_id: int) -> int:
    with w.ctx.db.read() as s:
        return s.get(SalesOrderLine, order_line_id).qty_in_process


# --------------------------------------------------------------------------- the happy path


def test_a_three_line_return_scanned_unit_by_unit_ends_where_the_dispositions_say(ctx):
    w = build_world(ctx)
    rma = received(w, [("EL-1002", 2, "changed_mind"), ("AP-2001", 1, "wrong_size"),
                       ("HM-4001", 1, "defective")])
    first = scan(w, rma, "EL-1002")
    assert (first.outcome, first.line_no, first.grade, first.disposition, first.unit_number) == (
        UnitOutcome.ACCEPTED, 1, Grade.A, Disposition.RESTOCK, 1)
    assert first.message == "Line 1: EL-1002 USB-C charger 65W, unit 1 of 2 — grade A, back to available stock."
    assert first.detail.lines[0].qty_received == 1 and first.detail.lines[0].qty_expected == 1
    scan(w, rma, "EL-1002")
    shirt = scan(w, rma, "AP-2001", grade="b")
    assert (shirt.grade, shirt.disposition) == (Grade.B, Disposition.RESTOCK)
    mug = scan(w, rma, "HM-4001", checks=UnitChecks(functional=False))
    # Not working: grade D; a defect with a supplier goes back to the vendor.
    assert (mug.grade, mug.disposition, mug.outcome) == (Grade.D, Disposition.RETURN_TO_VENDOR, UnitOutcome.ACCEPTED)
    assert "(graded D: it does not work)" in mug.message
    assert all(line.qty_expected == 0 for line in mug.detail.lines)

    result = inspection.complete_inspection(ctx, w.inspector, rma, expected_version=mug.detail.version)
    # 2 x 149.00 + 79.00 - 10 % restocking fee + 49.00 in full (vendor fault) = 418.10
    assert (result.breakdown.subtotal, result.breakdown.deductions, result.breakdown.total) == (42600, 790, 41810)
    assert [(cl.refund_minor, cl.fee_minor, cl.deduction_minor) for cl in result.lines] == [
        (29800, 0, 0), (7110, 790, 0), (4900, 0, 0)]
    assert result.level is ApprovalLevel.SUPERVISOR
    assert result.reasons == ("¥418.10 is above the automatic approval limit of ¥200.00.",)
    assert result.message == (f"{rma} inspected: 4 accepted. Refund ¥418.10 after ¥7.90 deductions."
                              " Waiting for supervisor approval.")

    ret = return_row(w, rma)
    assert (ret.status, ret.approval_level, ret.inspected_by) == (
        "awaiting_approval",
        "supervisor",
        w.inspector.user_id,
    )
    assert (ret.refund_total_minor, ret.deductions_minor, ret.shipping_refund_minor) == (41810, 790, 0)
    with ctx.db.read() as s:
        lines = s.execute(select(ReturnLine).where(ReturnLine.return_id == ret.id)
                          .order_by(ReturnLine.line_no)).scalars().all()
        assert [(x.qty_received, x.qty_accepted, x.qty_rejected, x.grade, x.disposition) for x in lines] == [
            (2, 2, 0, "A", "restock"), (1, 1, 0, "B", "restock"), (1, 1, 0, "D", "rtv")]
        assert [(x.refund_minor, x.fee_minor) for x in lines] == [(29800, 0), (7110, 790), (4900, 0)]
        actions = list(s.execute(select(AuditEvent.action).where(AuditEvent.entity_id == rma)
                                 .order_by(AuditEvent.seq)).scalars())
    assert actions[-6:] == ["unit_recorded"] * 4 + ["complete_inspection", "route_for_approval"]
    # The ledger: each unit ended where its disposition says; nothing is left in inspection.
    assert net_from_return(w, rma, "EL-1002") == {"customer": -2, "available": 2}
    assert net_from_return(w, rma, "AP-2001") == {"customer": -1, "available": 1}
    assert net_from_return(w, rma, "HM-4001") == {"customer": -1, "rtv": 1}
    assert levels(w, "EL-1002") == {"available": 20, "inspection": 0, "refurbish": 0, "rtv": 0, "scrap": 0}
    assert levels(w, "HM-4001") == {"available": 19, "inspection": 0, "refurbish": 0, "rtv": 1, "scrap": 0}
    # What the return still holds on its order lines is exactly what was counted.
    ids = order_line_ids(w, result.detail.order_no)
    assert [in_process(w, ids[sku]) for sku in ("EL-1002", "AP-2001", "HM-4001")] == [2, 1, 1]


# --------------------------------------------------------------------------- routing


def test_a_small_return_within_policy_is_approved_automatically(ctx):
    w = build_world(ctx)
    rma = received(w, [("HM-4001", 1, "changed_mind")])
    scan(w, rma, "HM-4001")
    result = inspection.complete_inspection(ctx, w.inspector, rma)
    assert result.level is ApprovalLevel.AUTO and result.reasons == ()
    assert result.detail.status == "approved" and result.breakdown.total == 4900
    assert result.message.endswith("Refund ¥49.00. Approved automatically.")
    with ctx.db.read() as s:
        approval = s.execute(
            select(Approval.level, Approval.decision, Approval.decided_by, Approval.amount_minor)
            .where(Approval.return_id == result.detail.id)
        ).one()
    assert tuple(approval) == ("auto", "auto", None, 4900)


def test_above_the_supervisor_limit_a_manager_must_approve(ctx):
    w = build_world(ctx)
    rma = received(w, [("EL-1003", 1, "changed_mind")])
    tv = scan(w, rma, "EL-1003", serial_no="tv-55-0001")
    assert tv.serial_no == "TV-55-0001"
    result = inspection.complete_inspection(ctx, w.inspector, rma)
    assert result.level is ApprovalLevel.MANAGER and result.breakdown.total == 459900
    assert result.reasons[0] == ("¥4,599.00 is above the supervisor limit of ¥2,000.00; a manager must"
                                 " approve.")
    assert return_row(w, rma).approval_level == "manager"


def test_an_overridden_return_goes_to_a_supervisor_however_small(ctx):
    w = build_world(ctx)
    rma = authorized_return(w, [("HM-4001", 1, "changed_mind")], days_ago=45, clerk=w.supervisor,
                            override_reason="Long-standing customer, goodwill")
    receiving.receive_return(ctx, w.inspector, rma)
    scan(w, rma, "HM-4001")
    result = inspection.complete_inspection(ctx, w.inspector, rma)
    assert result.level is ApprovalLevel.SUPERVISOR and result.breakdown.total == 4900
    assert result.reasons == ("The return was accepted by a policy override; a supervisor must approve"
                              " the refund.",)


def test_a_grade_that_contradicts_the_reason_goes_to_a_supervisor(ctx):
    w = build_world(ctx)
    claimed_defect = received(w, [("HM-4001", 1, "defective")])
    scan(w, claimed_defect, "HM-4001", grade=Grade.A)
    result = inspection.complete_inspection(ctx, w.inspector, claimed_defect)
    assert result.level is ApprovalLevel.SUPERVISOR
    assert result.reasons == ("The inspected grade does not fit the return reason; a supervisor must decide.",)
    # A wrong item sent claims no defect: grade A fits it.
    wrong_sent = received(w, [("HM-4001", 1, "wrong_item")])
    scan(w, wrong_sent, "HM-4001", grade=Grade.A)
    assert inspection.complete_inspection(ctx, w.inspector, wrong_sent).level is ApprovalLevel.AUTO


def test_a_frequent_returner_goes_to_a_supervisor(ctx):
    w = build_world(ctx)
    rmas = [authorized_return(w, [("HM-4001", 1, "changed_mind")], customer_id=w.customer2_id)
            for _ in range(5)]
    receiving.receive_return(ctx, w.inspector, rmas[-1])
    scan(w, rmas[-1], "HM-4001")
    result = inspection.complete_inspection(ctx, w.inspector, rmas[-1])
    assert result.level is ApprovalLevel.SUPERVISOR
    assert result.reasons == ("The customer returned 5 or more times in the last 90 days (frequent returner).",)


def test_refund_figures_are_exact_in_minor_units_with_odd_cents_grades_and_shipping(ctx):
    w = build_world(ctx)
    # Three mugs with 0.01 off the line (146.99 for three: the first two units cost 49.00, the
    # third 48.99) and a charger; 10.00 shipping on the order.
    rma = received(w, [("HM-4001", 2, "changed_mind"), ("EL-1002", 1, "defective")],
                   order=[("HM-4001", 3, 1), ("EL-1002", 1)], shipping_minor=1000)
    scan(w, rma, "HM-4001", grade=Grade.B)
    scan(w, rma, "HM-4001", grade=Grade.C)
    scan(w, rma, "EL-1002", grade=Grade.D)
    result = inspection.complete_inspection(ctx, w.inspector, rma)
    mugs, charger = result.lines
    # B: 49.00 - 4.90 fee = 44.10; C: 49.00 x 0.8 = 39.20, - 4.90 fee = 34.30.
    assert (mugs.gross_minor, mugs.deduction_minor, mugs.fee_minor, mugs.refund_minor) == (9800, 980, 980, 7840)
    assert (mugs.grade, mugs.disposition) == (Grade.C, Disposition.RESTOCK)
    # Vendor fault: in full, and its share of shipping: 10.00 x 149.00 / 295.99 = 5.03.
    assert (charger.gross_minor, charger.refund_minor, charger.disposition) == (
        14900,
        14900,
        Disposition.RETURN_TO_VENDOR,
    )
    b = result.breakdown
    assert (b.subtotal, b.deductions, b.shipping_refund, b.total) == (24700, 1960, 503, 23243)
    ret = return_row(w, rma)
    assert (ret.refund_total_minor, ret.deductions_minor, ret.shipping_refund_minor) == (23243, 1960, 503)
    with ctx.db.read() as s:
        stored = s.execute(select(func.sum(ReturnLine.refund_minor)).where(ReturnLine.return_id == ret.id)).scalar_one()
    assert stored + ret.shipping_refund_minor == ret.refund_total_minor
    assert net_from_return(w, rma, "HM-4001") == {"customer": -2, "available": 1, "refurbish": 1}


# --------------------------------------------------------------------------- over, short, wrong


def test_an_extra_unit_is_recorded_as_over_and_goes_back_to_the_customer(ctx):
    w = build_world(ctx)
    rma = received(w, [("HM-4001", 1, "changed_mind")], order=[("HM-4001", 2)])
    scan(w, rma, "HM-4001")
    over = scan(w, rma, "HM-4001")
    assert (over.outcome, over.disposition, over.line_no) == (UnitOutcome.OVER, Disposition.RETURN_TO_CUSTOMER, 1)
    assert over.message == ("Over-receipt: line 1 authorizes 1 x HM-4001 and all are counted; this extra"
                            " unit is recorded as over, back to the customer.")
    with ctx.db.read() as s:
        reasons = list(s.execute(select(StockMovement.reason).where(StockMovement.return_id == over.detail.id)
                                 .order_by(StockMovement.id)).scalars())
    assert reasons[-2:] == ["over_receipt", "inspected_return_to_customer"]
    result = inspection.complete_inspection(ctx, w.inspector, rma)
    (line,) = result.lines
    assert (line.qty_received, line.qty_accepted, line.qty_over, line.refund_minor) == (2, 1, 1, 4900)
    assert result.over_units == 1 and "1 accepted, 1 over" in result.message
    assert net_from_return(w, rma, "HM-4001") == {"customer": -1, "available": 1}


def test_units_that_never_arrive_are_short_and_free_their_quantity(ctx):
    w = build_world(ctx)
    rma = received(w, [("HM-4001", 2, "changed_mind")])
    ol_id = order_line_ids(w, make_order_no(w, rma))["HM-4001"]
    assert in_process(w, ol_id) == 2
    scan(w, rma, "HM-4001")
    result = inspection.complete_inspection(ctx, w.inspector, rma)
    assert result.short_units == 1 and result.lines[0].qty_short == 1
    assert "Short: line 1 (HM-4001) 1 of 2 not in the parcel." in result.message
    assert result.breakdown.total == 4900
    assert in_process(w, ol_id) == 1
    assert on_hand(w, "HM-4001", Location.INSPECTION) == 0
    assert net_from_return(w, rma, "HM-4001") == {"customer": -1, "available": 1}
    with ctx.db.read() as s:
        line = s.execute(select(ReturnLine).where(ReturnLine.return_id == result.detail.id)).scalar_one()
        assert line.short_closed and (line.qty_received, line.qty_accepted) == (1, 1)


def test_a_line_closed_short_reopens_when_its_missing_unit_turns_up(ctx):
    w = build_world(ctx)
    rma = received(w, [("AP-2001", 2, "wrong_size")])
    first = scan(w, rma, "AP-2001")
    line_id = first.detail.lines[0].id
    closed = inspection.close_line_short(ctx, w.inspector, rma, line_id)
    assert closed.lines[0].short_closed and closed.lines[0].qty_expected == 0
    with pytest.raises(ValidationFailed, match="closed short already"):
        inspection.close_line_short(ctx, w.inspector, rma, line_id)
    late = scan(w, rma, "AP-2001")
    assert late.outcome is UnitOutcome.ACCEPTED and "this unit reopens it" in late.message
    assert not late.detail.lines[0].short_closed
    with pytest.raises(ValidationFailed, match="has all 2 units counted; nothing is short"):
        inspection.close_line_short(ctx, w.inspector, rma, line_id)
    result = inspection.complete_inspection(ctx, w.inspector, rma)
    assert result.short_units == 0 and result.lines[0].qty_accepted == 2


def test_wrong_items_are_recorded_with_their_product_or_as_unknown_never_lost(ctx):
    w = build_world(ctx)
    rma = received(w, [("HM-4001", 1, "changed_mind")])
    tea = scan(w, rma, "FD-5001")
    assert (tea.outcome, tea.line_no, tea.sku, tea.disposition) == (
        UnitOutcome.WRONG_ITEM, None, "FD-5001", Disposition.RETURN_TO_CUSTOMER)
    assert (
        tea.message
        == f"Wrong item: FD-5001 Green tea 250g is not on {rma}; recorded as a wrong item, back to the customer."
    )
    assert net_from_return(w, rma, "FD-5001") == {}
    assert on_hand(w, "FD-5001", Location.INSPECTION) == 0
    with pytest.raises(NotFound, match="No product has the code ZZ-404. Scan it again"):
        inspection.record_unit(ctx, w.inspector, rma, scanned_code="zz-404")
    unknown = inspection.record_unit(ctx, w.inspector, rma, scanned_code="zz-404", wrong_item=True)
    assert unknown.outcome is UnitOutcome.WRONG_ITEM and unknown.sku is None
    assert "'ZZ-404' (not in the catalogue)" in unknown.message
    with pytest.raises(ValidationFailed, match="only go back to the customer or to scrap"):
        inspection.record_unit(ctx, w.inspector, rma, scanned_code="zz-405", wrong_item=True,
                               disposition=Disposition.RESTOCK)
    result = inspection.complete_inspection(ctx, w.inspector, rma)
    assert (result.wrong_items, result.short_units) == (2, 1)
    assert result.breakdown.total == 0 and result.level is ApprovalLevel.AUTO
    with ctx.db.read() as s:
        codes = list(s.execute(select(InspectionUnit.scanned_code).where(InspectionUnit.return_id == result.detail.id)
                               .order_by(InspectionUnit.id)).scalars())
    assert codes == [barcode("FD-5001"), "ZZ-404"]


# --------------------------------------------------------------------------- grades and dispositions


def test_grades_checks_and_reasons_choose_the_default_disposition(ctx):
    w = build_world(ctx)
    rma = received(w, [("SH-3001", 4, "changed_mind"), ("EL-1002", 2, "defective")])
    c = scan(w, rma, "SH-3001", grade=Grade.C)
    d = scan(w, rma, "SH-3001", grade=Grade.D)
    box = scan(w, rma, "SH-3001", checks=UnitChecks(packaging_intact=False))
    parts = scan(w, rma, "SH-3001", grade=Grade.B, checks=UnitChecks(accessories_complete=False))
    dead = scan(w, rma, "EL-1002", checks=UnitChecks(functional=False, packaging_intact=True))
    back = scan(w, rma, "EL-1002", disposition="return_to_customer")
    assert [(r.grade, r.disposition, r.outcome) for r in (c, d, box, parts, dead, back)] == [
        (Grade.C, Disposition.REFURBISH, UnitOutcome.ACCEPTED),
        (Grade.D, Disposition.SCRAP, UnitOutcome.ACCEPTED),  # customer fault: no vendor to bill
        (Grade.B, Disposition.RESTOCK, UnitOutcome.ACCEPTED),
        (Grade.C, Disposition.REFURBISH, UnitOutcome.ACCEPTED),
        (Grade.D, Disposition.RETURN_TO_VENDOR, UnitOutcome.ACCEPTED),
        (Grade.A, Disposition.RETURN_TO_CUSTOMER, UnitOutcome.REJECTED),
    ]
    assert "(graded B: the packaging is not intact)" in box.message
    assert "rejected: back to the customer" in back.message
    assert net_from_return(w, rma, "SH-3001") == {
        "customer": -4, "available": 1, "refurbish": 2, "scrap": 1}
    assert net_from_return(w, rma, "EL-1002") == {"customer": -1, "rtv": 1}
    with pytest.raises(ValidationFailed, match="'Z' is not a grade"):
        scan(w, rma, "SH-3001", grade="Z")


def test_a_product_without_supplier_cannot_go_back_to_a_vendor(ctx):
    w = build_world(ctx)
    with ctx.db.write() as s:
        s.execute(update(Product).where(Product.sku == "HM-4001").values(supplier_id=None))
    rma = received(w, [("HM-4001", 2, "defective")])
    assert scan(w, rma, "HM-4001", grade=Grade.D).disposition is Disposition.SCRAP
    with pytest.raises(ValidationFailed, match="HM-4001 \\(Ceramic mug\\) has no supplier to return it to"):
        scan(w, rma, "HM-4001", grade=Grade.D, disposition=Disposition.RETURN_TO_VENDOR)


def test_serial_numbers_are_required_compared_with_the_sale_and_never_counted_twice(ctx):
    w = build_world(ctx)
    rma = received(w, [("EL-1001", 2, "defective")])
    ol_id = order_line_ids(w, make_order_no(w, rma))["EL-1001"]
    with ctx.db.write() as s:
        s.get(SalesOrderLine, ol_id).serial_numbers = "SN-1, SN-2"
    with pytest.raises(ValidationFailed, match="EL-1001 \\(Bluetooth headphones\\) is serial-tracked"):
        scan(w, rma, "EL-1001")
    stranger = scan(w, rma, "EL-1001", serial_no="sn-9", grade=Grade.D)
    assert (stranger.outcome, stranger.disposition, stranger.checks.serial_matches) == (
        UnitOutcome.REJECTED, Disposition.RETURN_TO_CUSTOMER, False)
    assert "Serial SN-9 was not sold on this order line." in stranger.message
    # A GS1 DataMatrix carries the GTIN and the serial together.
    ours = inspection.record_unit(ctx, w.inspector, rma, scanned_code="(01)06901234567892(21)SN-1",
                                  grade=Grade.D)
    assert (ours.outcome, ours.serial_no, ours.checks.serial_matches, ours.disposition) == (
        UnitOutcome.ACCEPTED, "SN-1", True, Disposition.RETURN_TO_VENDOR)
    with pytest.raises(ValidationFailed, match=f"Serial SN-1 was already recorded on {rma} \\(unit 2\\)"):
        scan(w, rma, "EL-1001", serial_no="SN-1")


# --------------------------------------------------------------------------- changing and undoing


def test_changing_a_unit_moves_its_stock_back_and_forth_without_editing_old_movements(ctx):
    w = build_world(ctx)
    rma = received(w, [("HM-4001", 1, "changed_mind")])
    unit_id = scan(w, rma, "HM-4001").unit.id
    ret_id = return_row(w, rma).id
    with ctx.db.read() as s:
        before = s.execute(select(StockMovement.id, StockMovement.from_location_id, StockMovement.to_location_id,
                                  StockMovement.quantity, StockMovement.reason)
                           .where(StockMovement.return_id == ret_id).order_by(StockMovement.id)).all()

    graded = inspection.update_unit(ctx, w.inspector, unit_id, grade=Grade.C)
    # The disposition was the default for A, so it follows the grade.
    assert (graded.grade, graded.disposition) == (Grade.C, Disposition.REFURBISH)
    assert levels(w, "HM-4001")["refurbish"] == 1 and levels(w, "HM-4001")["available"] == 19
    scrapped = inspection.update_unit(ctx, w.inspector, unit_id, disposition=Disposition.SCRAP)
    assert scrapped.disposition is Disposition.SCRAP
    # Chosen by the inspector: a later grade change leaves it alone.
    assert inspection.update_unit(ctx, w.inspector, unit_id, grade=Grade.B).disposition is Disposition.SCRAP
    rejected = inspection.update_unit(ctx, w.inspector, unit_id, disposition="return_to_customer")
    assert rejected.outcome is UnitOutcome.REJECTED
    assert (rejected.detail.lines[0].qty_accepted, rejected.detail.lines[0].qty_rejected) == (0, 1)
    accepted = inspection.update_unit(ctx, w.inspector, unit_id, disposition=Disposition.RESTOCK)
    assert accepted.outcome is UnitOutcome.ACCEPTED and accepted.detail.lines[0].qty_accepted == 1

    assert levels(w, "HM-4001") == {"available": 20, "inspection": 0, "refurbish": 0, "rtv": 0, "scrap": 0}
    with ctx.db.read() as s:
        after = s.execute(select(StockMovement.id, StockMovement.from_location_id, StockMovement.to_location_id,
                                 StockMovement.quantity, StockMovement.reason)
                          .where(StockMovement.return_id == ret_id).order_by(StockMovement.id)).all()
        changes = s.execute(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity_id == rma, AuditEvent.action == "unit_changed")).scalar_one()
    assert after[: len(before)] == before
    assert [m.reason for m in after[len(before):]] == [
        "disposition_changed", "inspected_refurbish", "disposition_changed", "inspected_scrap",
        "disposition_changed", "inspected_return_to_customer", "disposition_changed", "inspected_restock"]
    assert changes == 5


def test_undo_removes_the_last_unit_and_reverses_its_movements(ctx):
    w = build_world(ctx)
    rma = received(w, [("EL-1002", 2, "changed_mind")])
    scan(w, rma, "EL-1002")
    scan(w, rma, "EL-1002", disposition=Disposition.SCRAP)
    tea = scan(w, rma, "FD-5001")
    undone = inspection.undo_last_unit(ctx, w.inspector, rma)
    assert undone.unit.id == tea.unit.id and undone.outcome is UnitOutcome.WRONG_ITEM
    assert net_from_return(w, rma, "FD-5001") == {}
    undone = inspection.undo_last_unit(ctx, w.inspector, rma)
    assert undone.message == "Undone: unit 2 (EL-1002 USB-C charger 65W, accepted) removed from line 1."
    assert undone.detail.lines[0].qty_received == 1 and undone.detail.lines[0].qty_expected == 1
    assert on_hand(w, "EL-1002", Location.SCRAP) == 0 and on_hand(w, "EL-1002", Location.INSPECTION) == 1
    inspection.undo_last_unit(ctx, w.inspector, rma)
    with pytest.raises(ValidationFailed, match="there is nothing to undo"):
        inspection.undo_last_unit(ctx, w.inspector, rma)
    assert on_hand(w, "EL-1002", Location.INSPECTION) == 2
    with ctx.db.read() as s:
        undone_events = s.execute(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity_id == rma, AuditEvent.action == "unit_undone")).scalar_one()
        units = s.execute(select(func.count()).select_from(InspectionUnit)).scalar_one()
    assert (undone_events, units) == (3, 0)


# --------------------------------------------------------------------------- states and versions


def test_units_wait_for_the_parcel_and_completion_happens_once(ctx):
    w = build_world(ctx)
    rma = authorized_return(w, [("HM-4001", 1, "changed_mind")])
    with pytest.raises(IllegalTransition, match="has not been received yet"):
        scan(w, rma, "HM-4001")
    receiving.receive_return(ctx, w.inspector, rma)
    first = scan(w, rma, "HM-4001")
    # Another station changes the unit after this one read the return: its view is stale.
    inspection.update_unit(ctx, w.inspector, first.unit.id, grade=Grade.B)
    with pytest.raises(ConcurrentChange, match=f"Return {rma} was changed"):
        inspection.complete_inspection(ctx, w.inspector, rma, expected_version=first.detail.version)
    assert return_row(w, rma).status == "received"
    inspection.complete_inspection(ctx, w.inspector, rma)
    with pytest.raises(IllegalTransition, match="cannot complete inspection: it is approved"):
        inspection.complete_inspection(ctx, w.inspector, rma)
    with pytest.raises(IllegalTransition, match="cannot record a unit: it is approved"):
        scan(w, rma, "HM-4001")
    with pytest.raises(IllegalTransition, match="cannot change a unit"):
        inspection.update_unit(ctx, w.inspector, first.unit.id, grade=Grade.C)


def test_scans_that_are_not_items_are_refused_in_words(ctx):
    w = build_world(ctx)
    rma = received(w, [("HM-4001", 1, "changed_mind")])
    with pytest.raises(ValidationFailed, match=f"{rma} is an RMA label, not an item"):
        inspection.record_unit(ctx, w.inspector, rma, scanned_code=rma)
    with pytest.raises(ValidationFailed, match="scan the item's own barcode"):
        inspection.record_unit(ctx, w.inspector, rma, scanned_code="SO-1")
    with pytest.raises(ValidationFailed, match="Scan the item's barcode, or choose the line"):
        inspection.record_unit(ctx, w.inspector, rma)
    with pytest.raises(PermissionDenied):
        inspection.record_unit(ctx, w.finance, rma, scanned_code=barcode("HM-4001"))


def test_a_whole_line_can_be_counted_at_once(ctx):
    w = build_world(ctx)
    rma = received(w, [("AP-2001", 3, "wrong_size"), ("EL-1001", 2, "defective")])
    detail = receiving.find_return_by_scan(ctx, w.inspector, rma).detail
    shirts, phones = detail.lines
    counted = inspection.record_line(ctx, w.inspector, rma, shirts.id, grade=Grade.B)
    assert counted.outcomes == (UnitOutcome.ACCEPTED,) * 3
    assert counted.message == "Line 1: recorded 3 units (3 accepted)."
    with pytest.raises(ValidationFailed, match="has all its units counted already"):
        inspection.record_line(ctx, w.inspector, rma, shirts.id)
    with pytest.raises(ValidationFailed, match="2 units need 2 serial numbers; 1 were given"):
        inspection.record_line(ctx, w.inspector, rma, phones.id, serials=["A1"])
    inspection.record_line(ctx, w.inspector, rma, phones.id, serials=["A1", "A2"], grade=Grade.D)
    result = inspection.complete_inspection(ctx, w.inspector, rma)
    assert [(cl.qty_accepted, cl.grade) for cl in result.lines] == [(3, Grade.B), (2, Grade.D)]


def test_goods_taken_at_the_counter_are_inspected_on_the_spot(ctx):
    w = build_world(ctx)
    order_no = make_order(w, [("AP-2001", 2)], channel="store")
    ids = order_line_ids(w, order_no)
    detail = intake.counter_intake(ctx, w.clerk, intake.ReturnDraft(
        order_no=order_no, channel=Channel.COUNTER, refund_method=RefundMethod.CASH,
        lines=(intake.DraftLine(order_line_id=ids["AP-2001"], quantity=2, reason_code="wrong_size",
                                conditions_met=CONDITIONS),),
    ))
    assert detail.status == "received"
    inspection.record_line(ctx, w.clerk, detail.rma_no, detail.lines[0].id, quantity=1)
    result = inspection.complete_inspection(ctx, w.clerk, detail.rma_no)
    (line,) = result.lines
    assert (line.qty_received, line.qty_accepted, line.qty_short) == (1, 1, 1)
    assert result.breakdown.total == 7900 and result.level is ApprovalLevel.AUTO
    assert levels(w, "AP-2001")["inspection"] == 0 and in_process(w, ids["AP-2001"]) == 1


def test_item_tag_data_names_the_unit(ctx):
    w = build_world(ctx)
    rma = received(w, [("SH-3001", 2, "changed_mind")])
    scan(w, rma, "SH-3001")
    second = scan(w, rma, "SH-3001", grade=Grade.C)
    tag = documents.item_tag_data(ctx, w.inspector, rma, second.unit.id, lang="zh_CN")
    assert (tag.rma, tag.sku, tag.product_name, tag.grade, tag.disposition) == (
        rma, "SH-3001", "跑鞋", Grade.C, Disposition.REFURBISH)
    assert (tag.unit_number, tag.unit_count, tag.lang) == (2, 2, "zh_CN")
    with pytest.raises(NotFound):
        documents.item_tag_data(ctx, w.inspector, rma, second.unit.id + 1000)


# --------------------------------------------------------------------------- two stations at once


def _race(ctx, clock, calls):
    """Run each ``call(other_ctx)`` on its own connection, released together; results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        db = Database.open(ctx.db.url)
        try:
            other = ServiceContext(db=db, clock=clock, station=f"INSP-{i}")
            barrier.wait()
            try:
                results[i] = calls[i](other)
            except (IllegalTransition, ConcurrentChange) as exc:
                results[i] = exc
        finally:
            db.dispose()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_inspectors_scanning_the_last_expected_unit_count_it_once(ctx, clock):
    w = build_world(ctx)
    rma = received(w, [("HM-4001", 1, "changed_mind")], order=[("HM-4001", 2)])
    code = barcode("HM-4001")
    results = _race(ctx, clock, [
        lambda c: inspection.record_unit(c, w.inspector, rma, scanned_code=code).outcome,
        lambda c: inspection.record_unit(c, w.clerk, rma, scanned_code=code).outcome,
    ])
    assert sorted(results) == sorted([UnitOutcome.ACCEPTED, UnitOutcome.OVER])
    detail = receiving.find_return_by_scan(ctx, w.inspector, rma).detail
    assert (detail.lines[0].qty_received, detail.lines[0].qty_accepted) == (2, 1)


def test_two_stations_completing_the_same_return_complete_it_once(ctx, clock):
    w = build_world(ctx)
    rma = received(w, [("HM-4001", 1, "changed_mind")])
    scan(w, rma, "HM-4001")
    results = _race(ctx, clock, [
        lambda c: inspection.complete_inspection(c, w.inspector, rma).level,
        lambda c: inspection.complete_inspection(c, w.clerk, rma).level,
    ])
    assert results.count(ApprovalLevel.AUTO) == 1
    (loser,) = [r for r in results if r is not ApprovalLevel.AUTO]
    assert isinstance(loser, IllegalTransition | ConcurrentChange)
    with ctx.db.read() as s:
        approvals = s.execute(select(func.count()).select_from(Approval)).scalar_one()
        moved = stock.on_hand(s, w.products["HM-4001"], Location.AVAILABLE)
    assert (approvals, moved) == (1, 20)


def test_a_units_result_and_a_completions_detail_are_what_a_fresh_read_shows(ctx):
    """Recording a unit and completing build their detail from the rows they read and wrote (the
    lines with their order, customer, products and units in one statement): it equals the return
    read afresh, wrong items and over-receipts included."""
    w = build_world(ctx)
    rma = received(w, [("HM-4001", 2, "changed_mind"), ("EL-1002", 1, "changed_mind")],
                   order=[("HM-4001", 3), ("EL-1002", 1)])
    results = [scan(w, rma, "HM-4001"), scan(w, rma, "FD-5001"), scan(w, rma, "EL-1002"),
               scan(w, rma, "HM-4001", grade="C"), scan(w, rma, "HM-4001")]
    assert [r.outcome for r in results] == [UnitOutcome.ACCEPTED, UnitOutcome.WRONG_ITEM, UnitOutcome.ACCEPTED,
                                            UnitOutcome.ACCEPTED, UnitOutcome.OVER]
    assert as_instants(results[-1].detail) == as_instants(receiving.find_return_by_scan(ctx, w.inspector, rma).detail)
    assert [u.id for u in results[-1].detail.units] == sorted(r.unit.id for r in results)
    completed = inspection.complete_inspection(ctx, w.inspector, rma)
    assert as_instants(completed.detail) == as_instants(receiving.find_return_by_scan(ctx, w.inspector, rma).detail)


def test_a_unit_recorded_on_a_stale_view_is_refused_and_the_version_stays(ctx):
    """Recording a unit locks the return by moving its version on: the version the station saw is
    checked against the one before that step, and a refusal leaves the return as it was."""
    w = build_world(ctx)
    rma = received(w, [("HM-4001", 2, "changed_mind")])
    seen = receiving.find_return_by_scan(ctx, w.inspector, rma).detail.version
    first = scan(w, rma, "HM-4001", expected_version=seen)
    assert first.detail.version == seen + 1
    with pytest.raises(ConcurrentChange):
        scan(w, rma, "HM-4001", expected_version=seen)
    with pytest.raises(NotFound):
        inspection.record_unit(ctx, w.inspector, rma, scanned_code="zz-404", expected_version=seen + 1)
    assert receiving.find_return_by_scan(ctx, w.inspector, rma).detail.version == seen + 1
    second = scan(w, rma, "HM-4001", expected_version=seen + 1)
    assert (second.detail.version, second.outcome) == (seen + 2, UnitOutcome.ACCEPTED)
