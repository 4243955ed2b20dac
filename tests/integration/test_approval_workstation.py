"""The approval workstation's reads: one return by RMA, notes for a queue page, checks per line."""

from __future__ import annotations

import pytest

from returndesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from returndesk.domain.inspection import UnitChecks
from returndesk.domain.refund import refund_methods_for
from returndesk.domain.scan import format_rma
from returndesk.domain.types import Grade
from returndesk.services.usecases import approval, history, inspection, receiving, refunds

from .factories import build_world, make_order
from .money_support import CONDITIONS, LineSpec, awaiting, take_return


def test_get_return_reads_one_return_in_any_state(ctx):
    world = build_world(ctx)
    rma = awaiting(world, [LineSpec("AP-2001", 2), LineSpec("HM-4001", 1, reason="defective")])
    detail = history.get_return(ctx, world.supervisor, rma.lower())
    assert (detail.rma_no, detail.status) == (rma, "awaiting_approval")
    assert [(line.sku, line.qty_accepted, line.grade) for line in detail.lines] == [
        ("AP-2001", 2, "A"), ("HM-4001", 1, "A")]
    assert detail.refund_total_minor == sum(line.refund_minor for line in detail.lines)
    approval.approve_refund(ctx, world.supervisor, rma)
    assert history.get_return(ctx, world.clerk, rma).status == "approved"
    unknown = format_rma(99999)
    with pytest.raises(NotFound, match=f"No return {unknown}"):
        history.get_return(ctx, world.supervisor, unknown)
    with pytest.raises(ValidationFailed, match="check digit"):
        history.get_return(ctx, world.supervisor, unknown[:-1] + str((int(unknown[-1]) + 1) % 10))
    assert history.get_return(ctx, world.finance, rma).status == "approved"


def test_queue_notes_give_line_reasons_and_routing_reasons_per_return(ctx):
    world = build_world(ctx)
    first = awaiting(world, [LineSpec("AP-2001", 1, reason="wrong_size"), LineSpec("HM-4001", 1),
                             LineSpec("EL-1002", 1, reason="wrong_size")])
    second = awaiting(world, [LineSpec("SH-3001", 1)], in_policy=False)
    page = approval.approval_queue(ctx, world.supervisor)
    ids = {r.rma_no: r.id for r in page.items}
    notes = approval.find_queue_notes(ctx, world.supervisor, ids.values())
    assert notes[ids[first]].reason_codes == ("wrong_size", "changed_mind")
    assert notes[ids[first]].in_policy and not notes[ids[second]].in_policy
    assert any("automatic approval limit" in r for r in notes[ids[first]].routing_reasons)
    assert approval.find_queue_notes(ctx, world.supervisor, []) == {}
    assert approval.find_queue_notes(ctx, world.supervisor, [999_999]) == {}
    with pytest.raises(PermissionDenied):
        approval.find_queue_notes(ctx, world.inspector, ids.values())


def test_line_checks_count_failed_checks_per_line(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("AP-2001", 3), ("HM-4001", 1)])
    rma = take_return(world, order_no, [LineSpec("AP-2001", 3), LineSpec("HM-4001", 1)])
    receiving.receive_return(ctx, world.inspector, rma)
    lines = history.get_return(ctx, world.supervisor, rma).lines
    shirts, mug = lines[0].id, lines[1].id
    inspection.record_line(ctx, world.inspector, rma, shirts, quantity=2, grade=Grade.A,
                           checks=UnitChecks(packaging_intact=True, functional=True))
    inspection.record_line(ctx, world.inspector, rma, shirts, quantity=1, grade=Grade.C,
                           checks=UnitChecks(packaging_intact=False), notes="Box torn")
    inspection.record_line(ctx, world.inspector, rma, mug, quantity=1, grade=Grade.A)
    inspection.complete_inspection(ctx, world.inspector, rma)

    first, second = approval.find_line_checks(ctx, world.supervisor, rma)
    assert (first.line_no, first.units_inspected, first.notes) == (1, 3, ("Box torn",))
    assert {c.check: (c.passed, c.failed) for c in first.checks} == {
        "packaging_intact": (2, 1), "functional": (2, 0)}
    assert [c.check for c in first.failed] == ["packaging_intact"]
    assert set(first.conditions_met) == CONDITIONS
    assert (second.units_inspected, second.checks, second.failed) == (1, (), ())
    with pytest.raises(NotFound):
        approval.find_line_checks(ctx, world.supervisor, format_rma(99999))


def test_get_case_reads_what_the_separate_reads_read_in_one_snapshot(ctx):
    world = build_world(ctx)
    rma = awaiting(world, [LineSpec("AP-2001", 2), LineSpec("HM-4001", 1, reason="defective")])

    def separate_reads(actor):
        detail = history.get_return(ctx, actor, rma)
        return (detail, approval.approval_state(ctx, actor, rma), approval.find_line_checks(ctx, actor, rma),
                history.customer_history(ctx, actor, detail.customer_id),
                tuple(history.return_timeline(ctx, actor, rma)),
                tuple(m.value for m in refund_methods_for(detail.channel)))

    case = approval.get_case(ctx, world.supervisor, rma.lower())
    assert (case.detail, case.state, case.checks, case.history, case.timeline, case.methods) == \
        separate_reads(world.supervisor)
    assert case.rma_no == rma and case.status == "awaiting_approval" and case.refund is None
    assert case.state.can_approve and case.history is not None

    approval.approve_refund(ctx, world.supervisor, rma)
    refunds.issue_refund(ctx, world.finance, rma)
    for reader in (world.finance, world.supervisor):
        case = approval.get_case(ctx, reader, rma)
        assert case.status == "refunded"
        assert case.refund == refunds.find_refund(ctx, reader, rma)
        assert case.refund is not None and case.refund.amount_minor == case.detail.refund_total_minor
    assert approval.get_case(ctx, world.inspector, rma).refund is None  # inspectors see no refunds
    with pytest.raises(NotFound):
        approval.get_case(ctx, world.supervisor, format_rma(99999))
