"""Approving, rejecting and overriding refunds; the supervisor's queue; history and timeline."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select, update

from returndesk.domain.errors import (
    ConcurrentChange,
    IllegalTransition,
    LimitExceeded,
    NotFound,
    PermissionDenied,
    PolicyViolation,
    SegregationOfDuties,
    ValidationFailed,
)
from returndesk.domain.scan import format_rma
from returndesk.domain.types import Disposition, Grade, Location
from returndesk.services.usecases import approval, finance, history, policy_admin, refunds
from returndesk.services.usecases.sales import load_active_policy
from returndesk.services.tx import stock
from returndesk.store.schema import Approval, AuditEvent, Return, SalesOrderLine, User

from .factories import build_world, make_order
from .money_support import LineSpec, awaiting, receive_and_inspect, take_return

pytestmark = pytest.mark.both_databases(
    "money decisions checked against row versions and limits; "
    "the queue pages by timestamps and searches names with lower() and LIKE"
)


def _approvals(ctx, rma):
    with ctx.db.read() as s:
        return s.execute(
            select(Approval.decision, Approval.decided_by, Approval.reason, Approval.amount_minor)
            .join(Return, Return.id == Approval.return_id)
            .where(Return.rma_no == rma)
            .order_by(Approval.id)
        ).all()


def _events(ctx, rma):
    with ctx.db.read() as s:
        return s.execute(
            select(AuditEvent.action, AuditEvent.username)
            .where(AuditEvent.entity == "return", AuditEvent.entity_id == rma)
            .order_by(AuditEvent.seq)
        ).all()


def test_approve_moves_to_approved_with_an_approval_row_and_audit(ctx):
    world = build_world(ctx)
    rma = awaiting(world, [LineSpec("EL-1002", 2)])
    seen = []
    ctx.listeners.append(lambda entity, entity_id: seen.append(entity))
    detail = approval.approve_refund(ctx, world.supervisor, rma, note="  known   customer ")
    assert (detail.status, detail.status_changed_by) == ("approved", "supervisor")
    assert _approvals(ctx, rma) == [("approved", world.supervisor.user_id, "known customer", 29800)]
    assert _events(ctx, rma)[-1] == ("approve", "supervisor")
    assert seen == ["return"]


def test_segregation_of_duties_creator_and_inspector_cannot_approve(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1002", 2)])
    specs = [LineSpec("EL-1002", 2)]
    rma = take_return(world, order_no, specs, clerk=world.supervisor)
    receive_and_inspect(world, rma, specs, inspector=world.supervisor2)
    with pytest.raises(SegregationOfDuties, match="You created this return"):
        approval.approve_refund(ctx, world.supervisor, rma)
    with pytest.raises(SegregationOfDuties, match="You inspected this return"):
        approval.approve_refund(ctx, world.supervisor2, rma)
    with pytest.raises(SegregationOfDuties):
        approval.reject_refund(ctx, world.supervisor2, rma, "not acceptable at all")
    state = approval.approval_state(ctx, world.supervisor, rma)
    assert not state.can_approve and "You created this return" in state.why_not_approve
    assert approval.approval_state(ctx, world.manager, rma).can_approve
    assert _approvals(ctx, rma) == []
    assert approval.approve_refund(ctx, world.manager, rma).status == "approved"


def test_level_and_limit_are_enforced_by_the_service(ctx):
    world = build_world(ctx)
    tv = awaiting(world, [LineSpec("EL-1003", 1)])  # 4,599.00: a manager's decision
    with pytest.raises(PermissionDenied, match="needs a manager's approval; a supervisor cannot"):
        approval.approve_refund(ctx, world.supervisor, tv)
    with pytest.raises(PermissionDenied, match="needs a supervisor's approval; a clerk cannot"):
        approval.approve_refund(ctx, world.clerk2, awaiting(world, [LineSpec("AP-2001", 1)]))
    with pytest.raises(PermissionDenied, match="may not approve refund"):
        approval.approve_refund(ctx, world.inspector, tv)
    assert approval.approve_refund(ctx, world.manager, tv).status == "approved"

    # An administrator lowers the supervisor's limit: it counts at once, with both amounts named.
    shoes = awaiting(world, [LineSpec("SH-3001", 1)])
    with ctx.db.write() as s:
        s.execute(update(User).where(User.id == world.supervisor.user_id).values(approval_limit_minor=30000))
    with pytest.raises(LimitExceeded, match=r"¥599.00 is above your approval limit of ¥300.00; a manager"):
        approval.approve_refund(ctx, world.supervisor, shoes)
    state = approval.approval_state(ctx, world.supervisor, shoes)
    assert (state.can_approve, state.can_reject) == (False, True)
    assert "¥300.00" in state.why_not_approve
    assert approval.approve_refund(ctx, world.supervisor2, shoes).status == "approved"


def test_stale_and_repeated_approvals_are_refused(ctx):
    world = build_world(ctx)
    rma = awaiting(world, [LineSpec("AP-2001", 1)])
    with ctx.db.read() as s:
        version = s.execute(select(Return.version).where(Return.rma_no == rma)).scalar_one()
    approval.approve_refund(ctx, world.supervisor, rma, expected_version=version)
    with pytest.raises(ConcurrentChange, match="was changed by Supervisor since you opened it"):
        approval.approve_refund(ctx, world.supervisor2, rma, expected_version=version)
    with pytest.raises(IllegalTransition, match=r"cannot approve: it is approved \(set by Supervisor"):
        approval.approve_refund(ctx, world.supervisor2, rma)
    assert len(_approvals(ctx, rma)) == 1


def test_reject_sends_the_goods_back_and_frees_the_quantity(ctx):
    world = build_world(ctx)
    specs = [LineSpec("AP-2001", 2, grade=Grade.A, disposition=Disposition.RESTOCK),
             LineSpec("EL-1002", 1, grade=Grade.C, disposition=Disposition.REFURBISH)]
    rma = awaiting(world, specs)
    tshirt, charger = world.products["AP-2001"], world.products["EL-1002"]
    with ctx.db.read() as s:
        assert stock.on_hand(s, tshirt, Location.AVAILABLE) == 20
        assert stock.on_hand(s, charger, Location.REFURBISH) == 1
    with pytest.raises(ValidationFailed, match="Write the reason for rejecting the refund"):
        approval.reject_refund(ctx, world.supervisor, rma, "  ")
    detail = approval.reject_refund(ctx, world.supervisor, rma, "Worn and washed; not resellable.")
    assert detail.status == "refund_rejected"
    with ctx.db.read() as s:
        assert stock.on_hand(s, tshirt, Location.AVAILABLE) == 18
        assert stock.on_hand(s, charger, Location.REFURBISH) == 0
        assert stock.on_hand(s, charger, Location.INSPECTION) == 0
        assert s.execute(select(func.sum(SalesOrderLine.qty_in_process))).scalar_one() == 0
        assert s.execute(select(func.sum(SalesOrderLine.qty_returned))).scalar_one() == 0
    assert _approvals(ctx, rma) == [
        ("rejected", world.supervisor.user_id, "Worn and washed; not resellable.", detail.refund_total_minor)]
    with ctx.db.read() as s:
        after = s.execute(
            select(AuditEvent.after_json)
            .where(AuditEvent.entity_id == rma, AuditEvent.action == "reject_refund")
        ).scalar_one()
    assert "Worn and washed" in after and '"goods_returned"' in after
    with pytest.raises(IllegalTransition):
        refunds.issue_refund(ctx, world.finance, rma)
    assert refunds.close_return(ctx, world.supervisor, rma).status == "closed"
    assert finance.check_books(ctx) == []
    # The quantity is free again: the customer could return the same goods anew.
    assert take_return(world, "SO-100001", [LineSpec("AP-2001", 2)])


def test_out_of_policy_needs_an_override_with_a_written_reason(ctx):
    world = build_world(ctx)
    rma = awaiting(world, [LineSpec("SH-3001", 1)], in_policy=False)
    with pytest.raises(PolicyViolation, match="is outside the return policy .*original packaging"):
        approval.approve_refund(ctx, world.supervisor, rma)
    state = approval.approval_state(ctx, world.supervisor, rma)
    assert (state.can_approve, state.can_override, state.can_reject) == (False, True, True)
    with pytest.raises(PermissionDenied, match="may not override policy"):
        approval.override_policy(ctx, world.clerk2, rma, "customer is always right")
    with pytest.raises(ValidationFailed, match="Write the reason for overriding"):
        approval.override_policy(ctx, world.supervisor, rma, "ok")
    detail = approval.override_policy(ctx, world.supervisor, rma, "Box lost by our courier, not the customer.")
    assert (detail.status, detail.override_reason) == ("approved", "Box lost by our courier, not the customer.")
    assert _approvals(ctx, rma)[0][0] == "override"
    assert _events(ctx, rma)[-1] == ("approve", "supervisor")

    within = awaiting(world, [LineSpec("AP-2001", 1)])
    state = approval.approval_state(ctx, world.supervisor, within)
    assert not state.can_override and "within the return policy" in state.why_not_override
    with pytest.raises(ValidationFailed, match="no override is needed"):
        approval.override_policy(ctx, world.supervisor, within, "just because I can")


def test_approval_state_after_the_decision(ctx):
    world = build_world(ctx)
    rma = awaiting(world, [LineSpec("AP-2001", 1)])
    approval.approve_refund(ctx, world.supervisor, rma)
    state = approval.approval_state(ctx, world.supervisor2, rma)
    assert state.status == "approved"
    assert not state.can_approve and "cannot approve: it is approved (set by Supervisor" in state.why_not_approve
    assert not state.can_reject and not state.can_override
    clerk_view = approval.approval_state(ctx, world.inspector, rma)
    assert "may not approve refund" in clerk_view.why_not_approve


def test_queue_is_per_level_oldest_first_and_keyset_paged(ctx, clock):
    world = build_world(ctx)
    made = []
    for sku in ("AP-2001", "HM-4001", "EL-1002", "AP-2001", "HM-4001"):
        made.append(awaiting(world, [LineSpec(sku, 1, reason="wrong_size" if sku == "AP-2001" else "changed_mind")]))
        clock.advance(minutes=3)
    tv = awaiting(world, [LineSpec("EL-1003", 1)])
    approval.approve_refund(ctx, world.supervisor, made[2])

    waiting = [made[i] for i in (0, 1, 3, 4)]
    pages, cursor = [], None
    while True:
        page = approval.approval_queue(ctx, world.supervisor, after=cursor, limit=3)
        pages.append([r.rma_no for r in page.items])
        if not page.has_more:
            break
        cursor = page.next_cursor
    assert pages == [waiting[:3], waiting[3:]]
    assert [r.rma_no for r in approval.approval_queue(ctx, world.manager).items] == [tv]
    both = approval.approval_queue(ctx, world.finance).items
    assert {r.rma_no for r in both} == {*waiting, tv}
    assert [r.rma_no for r in approval.approval_queue(ctx, world.manager, level="supervisor").items] == waiting
    with pytest.raises(PermissionDenied, match="above your level"):
        approval.approval_queue(ctx, world.supervisor, level="manager")
    with pytest.raises(PermissionDenied):
        approval.approval_queue(ctx, world.clerk)

    sizes = [r.rma_no for r in approval.approval_queue(ctx, world.supervisor, reason_code="wrong_size").items]
    assert sizes == [made[0], made[3]]
    assert [r.rma_no for r in approval.approval_queue(ctx, world.supervisor, text=made[4].lower()).items] == [made[4]]
    assert len(approval.approval_queue(ctx, world.supervisor, text="li wei").items) == 4
    assert approval.approval_queue(ctx, world.supervisor, text="nobody by that name").items == ()
    assert approval.queue_counts_by_reason(ctx, world.supervisor) == [("changed_mind", 2), ("wrong_size", 2)]
    assert approval.queue_size(ctx, world.supervisor) == 4
    with pytest.raises(ValidationFailed, match="reload the list"):
        approval.approval_queue(ctx, world.supervisor, after="not-a-cursor!")


def test_customer_history_and_return_timeline(ctx, clock):
    world = build_world(ctx)
    first = awaiting(world, [LineSpec("AP-2001", 1)])
    approval.approve_refund(ctx, world.supervisor, first)
    refunds.issue_refund(ctx, world.finance, first)
    clock.advance(days=100)  # outside the 90-day frequent-returner window from now on
    make_order(world, [("HM-4001", 1)], days_ago=400, customer_id=world.customer_id)  # never returned
    second = awaiting(world, [LineSpec("EL-1002", 1)], order=[("EL-1002", 1)])
    third = awaiting(world, [LineSpec("HM-4001", 1)], order=[("HM-4001", 1)])

    h = history.customer_history(ctx, world.clerk, world.customer_id)
    assert (h.returns_in_window, h.returns_all_time, h.orders, h.orders_with_returns) == (2, 3, 4, 3)
    assert h.return_rate == pytest.approx(0.75)
    assert h.window_days == 90 and not h.frequent_returner
    assert [r.rma_no for r in h.last_returns] == [third, second, first]
    other = history.customer_history(ctx, world.supervisor, world.customer2_id)
    assert (other.returns_all_time, other.orders, other.return_rate) == (0, 0, 0.0)

    timeline = history.return_timeline(ctx, world.supervisor, first)
    actions = [(e.action, e.who) for e in timeline]
    assert actions[0] == ("create", "Clerk")
    assert actions[-3:] == [("route_for_approval", "Inspector"), ("approve", "Supervisor"), ("refund", "Finance")]
    refund_step = timeline[-1]
    assert refund_step.before == {"status": "approved"}
    assert refund_step.after["status"] == "refunded" and refund_step.after["refund_no"].startswith("RF-")
    assert refund_step.station == "TEST-1"
    with pytest.raises(NotFound):
        history.return_timeline(ctx, world.clerk, format_rma(99999))
    with pytest.raises(ValidationFailed, match="check digit"):  # a misread, as at the scanner
        history.return_timeline(ctx, world.clerk, "R0000099990")


def test_customer_history_counts_in_the_window_of_the_policy_in_force(ctx, clock):
    """The history counts the returns in the frequent-returner window of whichever policy version
    is in force at each call, also right after a new version changed the window."""
    world = build_world(ctx)
    awaiting(world, [LineSpec("AP-2001", 1)])
    clock.advance(days=40)
    newer = awaiting(world, [LineSpec("EL-1002", 1)], order=[("EL-1002", 1)])

    def counts():
        h = history.customer_history(ctx, world.clerk, world.customer_id)
        assert h.last_returns[0].rma_no == newer and h.returns_all_time == 2
        return h.window_days, h.returns_in_window, h.frequent_returner

    assert counts() == (90, 2, False)
    assert counts() == (90, 2, False)
    with ctx.db.read() as s:
        rules = load_active_policy(s).rules
    policy_admin.publish_policy(ctx, world.admin, replace(rules, frequent_returner_days=30, frequent_returner_count=1),
                                "Thirty days")
    assert counts() == (30, 1, True)
    assert counts() == (30, 1, True)
    policy_admin.publish_policy(ctx, world.admin, replace(rules, frequent_returner_count=2), "Ninety days again")
    assert counts() == (90, 2, True)
