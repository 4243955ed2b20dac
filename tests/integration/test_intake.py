"""Counter intake: preview, validation, policy overrides and the first lifecycle steps of a return.

Every test checks the database (rows, running totals, stock, audit events), not only what the use
case returned.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from returndesk.domain.messages import load_lines
from returndesk.domain.errors import (
    ConcurrentChange,
    IllegalTransition,
    PermissionDenied,
    PolicyViolation,
    ValidationFailed,
)
from returndesk.domain.types import Channel, Location, PolicyStatus, RefundMethod, ReturnStatus
from returndesk.services.tx import audit, stock
from returndesk.services.usecases import intake, policy_admin, sales
from returndesk.store.schema import (
    Approval,
    AuditEvent,
    NumberSequence,
    Return,
    ReturnLine,
    SalesOrderLine,
)

from .factories import build_world, make_order
from .query_plans import full_scans, recorded_selects

#: The default policy's required conditions, confirmed at the counter with the goods in hand.
MET = frozenset({"original_packaging", "accessories_complete"})


def _ids(ctx, world, order_no):
    """sku -> order line id of a sale."""
    return {line.sku: line.order_line_id for line in sales.get_sale(ctx, world.clerk, order_no).lines}


def line(order_line_id, qty, reason="changed_mind", **kw):
    kw.setdefault("conditions_met", MET)
    return intake.DraftLine(order_line_id, qty, reason, **kw)


def draft(order_no, *lines, channel=Channel.COUNTER, method=RefundMethod.ORIGINAL_PAYMENT, **kw):
    return intake.ReturnDraft(order_no=order_no, channel=channel, refund_method=method,
                              lines=tuple(lines), **kw)


def _order_line(ctx, order_line_id):
    """(quantity, qty_returned, qty_in_process) of an order line, read now."""
    with ctx.db.read() as s:
        return s.execute(
            select(SalesOrderLine.quantity, SalesOrderLine.qty_returned, SalesOrderLine.qty_in_process)
            .where(SalesOrderLine.id == order_line_id)
        ).one()


def _in_process(ctx, order_line_id) -> int:
    return _order_line(ctx, order_line_id).qty_in_process


def _events(ctx, rma_no):
    with ctx.db.read() as s:
        return s.execute(
            select(AuditEvent.action, AuditEvent.after_json, AuditEvent.username, AuditEvent.user_id,
                   AuditEvent.station)
            .where(AuditEvent.entity == "return", AuditEvent.entity_id == rma_no)
            .order_by(AuditEvent.seq)
        ).all()


def _counts(ctx):
    with ctx.db.read() as s:
        return (
            s.execute(select(func.count()).select_from(Return)).scalar_one(),
            s.execute(select(func.count()).select_from(AuditEvent)).scalar_one(),
            s.execute(select(NumberSequence.next_value).where(NumberSequence.name == "rma")).scalar_one(),
            s.execute(select(func.sum(SalesOrderLine.qty_in_process))).scalar_one(),
        )


# --------------------------------------------------------------------------- preview


def test_preview_expected_refund_at_grade_a_with_the_fee_if_opened(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1001", 1), ("AP-2001", 3, 100)])
    ids = _ids(ctx, world, order_no)
    before = _counts(ctx)
    p = intake.preview_return(ctx, world.clerk, draft(
        order_no, line(ids["EL-1001"], 1), line(ids["AP-2001"], 2, "wrong_size")))
    assert p.ready and p.problems == () and p.within_policy and p.status is PolicyStatus.WITHIN
    phones, shirts = p.lines
    assert (phones.gross_minor, phones.refund_minor, phones.tax_minor) == (39900, 39900, 4590)
    assert phones.restocking_fee_minor == 0 and phones.fee_if_opened_minor == 3990
    # 23600 paid for 3 shirts: the first two units carry the odd cents (7867 + 7867).
    assert (shirts.gross_minor, shirts.refund_minor, shirts.tax_minor) == (15734, 15734, 1810)
    assert shirts.fee_if_opened_minor == 1573 and shirts.unit_paid_minor == 7867
    assert (p.subtotal_minor, p.deductions_minor, p.shipping_refund_minor) == (55634, 0, 0)
    assert p.total_minor == 55634 and p.fees_if_opened_minor == 3990 + 1573
    assert _counts(ctx) == before  # nothing was written


def test_preview_of_the_last_unit_gets_the_rest_of_the_money(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("AP-2001", 3, 100)])
    shirt = _ids(ctx, world, order_no)["AP-2001"]
    intake.create_return(ctx, world.clerk, draft(order_no, line(shirt, 2)))
    p = intake.preview_return(ctx, world.clerk, draft(order_no, line(shirt, 1)))
    assert p.lines[0].refund_minor == 23600 - 15734


def test_vendor_fault_refunds_in_full_with_its_share_of_shipping_once(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1002", 1), ("HM-4001", 1)], shipping_minor=1000)
    ids = _ids(ctx, world, order_no)
    p = intake.preview_return(ctx, world.clerk, draft(
        order_no, line(ids["EL-1002"], 1, "defective", conditions_met=frozenset()),
        line(ids["HM-4001"], 1, "changed_mind")))
    assert p.ready, p.problems
    charger, mug = p.lines
    assert charger.vendor_fault and charger.fee_if_opened_minor == 0
    assert mug.fee_if_opened_minor == 490
    # 1000 shipping shared by price: 14900 / 19800 of it, rounded half up.
    assert p.shipping_refund_minor == 753
    assert p.total_minor == 14900 + 4900 + 753
    first = intake.create_return(ctx, world.clerk, draft(
        order_no, line(ids["EL-1002"], 1, "defective", conditions_met=frozenset())))
    assert first.shipping_refund_minor == 753 and first.refund_total_minor == 14900 + 753
    assert sum(ln.refund_minor for ln in first.lines) + first.shipping_refund_minor == first.refund_total_minor
    second = intake.preview_return(ctx, world.clerk, draft(order_no, line(ids["HM-4001"], 1, "defective")))
    assert second.shipping_refund_minor == 247  # the rest, never more than was paid
    # Once the first return is cancelled its shipping share is free again.
    intake.cancel_return(ctx, world.clerk, first.rma_no, "Customer kept it")
    p = intake.preview_return(ctx, world.clerk, draft(order_no, line(ids["EL-1002"], 1, "defective")))
    assert p.shipping_refund_minor == 753


def test_preview_reports_problems_in_words_instead_of_raising(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("SH-3001", 1), ("FD-5001", 1)], days_ago=47)
    ids = _ids(ctx, world, order_no)
    p = intake.preview_return(ctx, world.clerk, draft(
        order_no, line(ids["SH-3001"], 1), line(ids["FD-5001"], 1)))
    assert not p.ready and p.needs_override and p.not_returnable
    assert p.status is PolicyStatus.NOT_RETURNABLE
    assert any("Line 2 (Green tea 250g): this product is marked as not returnable" in x for x in p.problems)
    assert any("Line 1 (Running shoes): delivered 47 days ago" in x for x in p.problems)
    assert p.lines[0].policy_status is PolicyStatus.OVERRIDE_NEEDED
    only_shoes = draft(order_no, line(ids["SH-3001"], 1), override_reason="Regular customer")
    assert not intake.preview_return(ctx, world.clerk, only_shoes).ready  # a clerk cannot override
    ok = intake.preview_return(ctx, world.supervisor, only_shoes)
    assert ok.ready and ok.needs_override and not ok.within_policy and ok.problems == ()
    with pytest.raises(ValidationFailed, match="SO-0"):
        intake.preview_return(ctx, world.clerk, draft("SO-0", line(ids["SH-3001"], 1)))


@pytest.mark.both_databases("query plans are the database's own")
def test_preview_is_a_few_indexed_queries(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1002", 1), ("HM-4001", 2)], shipping_minor=800)
    ids = _ids(ctx, world, order_no)
    d = draft(order_no, line(ids["EL-1002"], 1, "defective"), line(ids["HM-4001"], 2))
    with recorded_selects(ctx.db) as statements:
        intake.preview_return(ctx, world.clerk, d)
    assert len(statements) <= 9  # the acting user's read (disabled, role changed) is one of them
    assert full_scans(ctx.db, statements) == []


# --------------------------------------------------------------------------- validation


def test_a_bad_draft_is_refused_whole_listing_every_problem(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1001", 1), ("FD-5001", 1), ("AP-2001", 2)])
    ids = _ids(ctx, world, order_no)
    before = _counts(ctx)
    bad = draft(
        order_no,
        line(999999, 1),
        line(ids["EL-1001"], 0),
        line(ids["AP-2001"], 3),
        line(ids["AP-2001"], 1),
        line(ids["FD-5001"], 1, "nonsense"),
        channel=Channel.REMOTE, method=RefundMethod.CASH,
    )
    with pytest.raises(ValidationFailed) as err:
        intake.create_return(ctx, world.clerk, bad)
    problems = err.value.problems
    expected = [
        "Cash is paid out at the counter only",
        "Line 1: order line #999999 is not part of order",
        "Line 2 (Bluetooth headphones): the quantity must be a whole number of at least 1, not 0",
        "Line 3 (Cotton T-shirt): 3 requested, but only 2 can still be returned",
        "Line 4 (Cotton T-shirt): this item is already on line 3",
        "Line 5 (Green tea 250g): 'nonsense' is not a return reason",
        "Line 5 (Green tea 250g): this product is marked as not returnable",
    ]
    for words in expected:
        assert sum(words in p for p in problems) == 1, (words, problems)
    assert len(problems) == len(expected)
    assert "7 things need fixing" in err.value.message
    assert _counts(ctx) == before  # no return, no audit, no RMA number used, nothing held


def test_each_validation_rule_on_its_own(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("AP-2001", 2)])
    shirt = _ids(ctx, world, order_no)["AP-2001"]

    def refused(d, words):
        with pytest.raises(ValidationFailed) as err:
            intake.create_return(ctx, world.clerk, d)
        assert len(err.value.problems) == 1 and words in err.value.problems[0], err.value.problems

    refused(draft("SO-424242", line(shirt, 1)), "No sale with order number 'SO-424242'")
    refused(draft(order_no), "The return has no lines")
    refused(draft(order_no, line(shirt, 1), method="cheque"), "'cheque' is not a refund method")
    refused(draft(order_no, line(shirt, 1), channel="fax"), "'fax' is not a return channel")
    refused(draft(order_no, line(shirt, 1, "better_price", resolution="exchange")),
            "the reason 'Found a better price' allows refund only, not exchange")
    refused(draft(order_no, line(shirt, 1, resolution="swap")), "'swap' is not a resolution")
    refused(draft(order_no, line(shirt, -1)), "at least 1, not -1")
    refused(draft(order_no, line(shirt, 1), notes="x" * 2001), "keep it to 2000")
    policy_admin.deactivate_reason(ctx, world.admin, "late_delivery")
    refused(draft(order_no, line(shirt, 1, "late_delivery")), "is no longer in use")
    assert _in_process(ctx, shirt) == 0
    # The same line within the rules goes through, and holds its quantity.
    detail = intake.create_return(ctx, world.clerk, draft(order_no, line(shirt, 2)))
    assert detail.status == ReturnStatus.REQUESTED and _in_process(ctx, shirt) == 2


def test_cash_is_fine_at_the_counter(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("HM-4001", 1)])
    mug = _ids(ctx, world, order_no)["HM-4001"]
    detail = intake.create_return(ctx, world.clerk, draft(order_no, line(mug, 1), method="cash"))
    assert detail.refund_method == "cash" and detail.channel == "counter"


def test_permissions_are_checked_first(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("HM-4001", 1)])
    mug = _ids(ctx, world, order_no)["HM-4001"]
    with pytest.raises(PermissionDenied):
        intake.create_return(ctx, world.inspector, draft(order_no, line(mug, 1)))
    with pytest.raises(PermissionDenied):
        intake.preview_return(ctx, world.finance, draft(order_no, line(mug, 1)))
    detail = intake.create_return(ctx, world.clerk, draft(order_no, line(mug, 1)))
    with pytest.raises(PermissionDenied):
        intake.authorize_return(ctx, world.inspector, detail.rma_no)
    with pytest.raises(PermissionDenied):
        intake.cancel_return(ctx, world.finance, detail.rma_no, "no")
    assert _in_process(ctx, mug) == 1


# --------------------------------------------------------------------------- the policy


def test_create_records_customer_policy_and_verdicts(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1001", 1), ("AP-2001", 2)])
    ids = _ids(ctx, world, order_no)
    detail = intake.create_return(ctx, world.clerk, draft(
        order_no, line(ids["EL-1001"], 1, "defective", condition_notes="Left ear silent"),
        line(ids["AP-2001"], 1, "wrong_size", resolution="exchange"), notes="Walk-in"))
    assert detail.rma_no.startswith("R") and len(detail.rma_no) == 11
    assert detail.status == "requested" and detail.customer_id == world.customer_id
    assert detail.created_by == "clerk" and detail.in_policy and detail.notes == "Walk-in"
    assert detail.refund_total_minor == 39900 + 7900
    with ctx.db.read() as s:
        ret = s.execute(select(Return).where(Return.rma_no == detail.rma_no)).scalar_one()
        assert ret.created_station == "TEST-1" and ret.policy_id == sales.active_policy(ctx).id
        assert ret.resolution == "refund"  # one refunded line makes it a refund return
        rl = s.execute(select(ReturnLine).where(ReturnLine.return_id == ret.id)
                       .order_by(ReturnLine.line_no)).scalars().all()
        assert [(x.qty_requested, x.reason_code, x.resolution, x.policy_status) for x in rl] == [
            (1, "defective", "refund", "within"), (1, "wrong_size", "exchange", "within")]
        assert rl[0].condition_notes == "Left ear silent"
        assert rl[1].conditions_met == "accessories_complete,original_packaging"
        assert "Delivered 5 days ago" in " ".join(load_lines(rl[0].policy_note))  # kept as messages
    assert _in_process(ctx, ids["EL-1001"]) == 1 and _in_process(ctx, ids["AP-2001"]) == 1
    assert [e.action for e in _events(ctx, detail.rma_no)] == ["create", "submit"]
    created = json.loads(_events(ctx, detail.rma_no)[0].after_json)
    assert created["order_no"] == order_no and len(created["lines"]) == 2


def test_anonymous_counter_sale_has_no_customer(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("HM-4001", 1)], channel="store")
    from sqlalchemy import update

    from returndesk.store.schema import SalesOrder

    with ctx.db.write() as s:
        s.execute(update(SalesOrder).where(SalesOrder.order_no == order_no).values(customer_id=None))
    mug = _ids(ctx, world, order_no)["HM-4001"]
    detail = intake.create_return(ctx, world.clerk, draft(order_no, line(mug, 1)))
    assert detail.customer_id is None and detail.customer_name is None


def test_out_of_window_needs_a_supervisor_with_a_reason(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("HM-4001", 1), ("SH-3001", 1)], days_ago=47)
    ids = _ids(ctx, world, order_no)
    d = draft(order_no, line(ids["HM-4001"], 1, "defective"), line(ids["SH-3001"], 1))
    before = _counts(ctx)
    with pytest.raises(PolicyViolation) as err:
        intake.create_return(ctx, world.clerk, d)
    message = err.value.message
    assert message.startswith("Line 2 (Running shoes): delivered 47 days ago; the policy allows 30")
    assert "A supervisor override with a reason is needed" in message
    assert "Line 1" not in message  # a defect has 90 days
    with pytest.raises(PolicyViolation, match="ask a supervisor"):
        intake.create_return(ctx, world.clerk, draft(order_no, *d.lines, override_reason="Good customer"))
    with pytest.raises(PolicyViolation, match="write why the return is accepted"):
        intake.create_return(ctx, world.supervisor, draft(order_no, *d.lines, override_reason="   "))
    assert _counts(ctx) == before

    detail = intake.create_return(ctx, world.supervisor, draft(
        order_no, *d.lines, override_reason="Customer was abroad; receipt shows the trip"))
    assert not detail.in_policy
    assert detail.override_reason == "Customer was abroad; receipt shows the trip"
    assert [ln.policy_status for ln in detail.lines] == ["within", "override_needed"]
    events = _events(ctx, detail.rma_no)
    assert [e.action for e in events] == ["create", "override_policy", "submit"]
    override = json.loads(events[1].after_json)
    assert override["reason"] == "Customer was abroad; receipt shows the trip"
    assert events[1].username == "supervisor"
    assert "Line 2 (Running shoes)" in override["lines"][0]
    with ctx.db.read() as s:
        ret = s.execute(select(Return).where(Return.rma_no == detail.rma_no)).scalar_one()
        assert ret.override_by == world.supervisor.user_id
        approval = s.execute(select(Approval).where(Approval.return_id == ret.id)).scalar_one()
        assert approval.decision == "override" and approval.decided_by == world.supervisor.user_id
        assert approval.reason == detail.override_reason


def test_nobody_can_override_what_is_not_returnable(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("FD-5001", 1)])
    tea = _ids(ctx, world, order_no)["FD-5001"]
    with pytest.raises(ValidationFailed, match="marked as not returnable"):
        intake.create_return(ctx, world.manager, draft(order_no, line(tea, 1, "defective"),
                                                       override_reason="Please"))
    policy_admin.publish_policy(
        ctx, world.admin, sales.active_policy(ctx).rules.__class__(non_returnable_categories={"home"}),
        "Home goods final sale")
    order2 = make_order(world, [("HM-4001", 1)])
    with pytest.raises(ValidationFailed, match="home is a non-returnable category"):
        intake.create_return(ctx, world.manager, draft(order2, line(_ids(ctx, world, order2)["HM-4001"], 1),
                                                       override_reason="Please"))


def test_conditions_are_judged_at_the_counter_not_on_a_remote_request(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1002", 1)])
    charger = _ids(ctx, world, order_no)["EL-1002"]
    missing = line(charger, 1, conditions_met=frozenset({"original_packaging"}))
    with pytest.raises(PolicyViolation, match="required condition not met: accessories complete"):
        intake.create_return(ctx, world.clerk, draft(order_no, missing))
    # A defect is not judged on packaging (policy default), and a remote request cannot see it.
    intake.create_return(ctx, world.clerk, draft(order_no, line(charger, 1, "defective",
                                                                conditions_met=frozenset())))
    order2 = make_order(world, [("EL-1002", 1)])
    remote = intake.create_return(ctx, world.clerk, draft(
        order2, line(_ids(ctx, world, order2)["EL-1002"], 1, conditions_met=frozenset()),
        channel=Channel.REMOTE))
    assert remote.in_policy


def test_returns_keep_the_policy_version_they_were_judged_by(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("SH-3001", 2)], days_ago=45)
    shoes = _ids(ctx, world, order_no)["SH-3001"]
    with pytest.raises(PolicyViolation):
        intake.create_return(ctx, world.clerk, draft(order_no, line(shoes, 1)))
    v1 = sales.active_policy(ctx)
    v2 = policy_admin.publish_policy(ctx, world.admin, v1.rules.__class__(window_days=60), "60 days")
    detail = intake.create_return(ctx, world.clerk, draft(order_no, line(shoes, 1)))
    with ctx.db.read() as s:
        assert s.execute(select(Return.policy_id).where(Return.rma_no == detail.rma_no)).scalar_one() == v2.id
    assert policy_admin.get_policy_version(ctx, v1.id).rules.window_days == 30


# --------------------------------------------------------------------------- lifecycle


def test_draft_submit_authorize_and_the_remote_deadline(ctx, clock):
    world = build_world(ctx)
    order_no = make_order(world, [("AP-2001", 2)])
    shirt = _ids(ctx, world, order_no)["AP-2001"]
    d = intake.create_return(ctx, world.clerk, draft(order_no, line(shirt, 2), channel=Channel.REMOTE),
                             submit=False)
    assert d.status == "draft" and _in_process(ctx, shirt) == 2  # a draft holds its quantity
    assert [e.action for e in _events(ctx, d.rma_no)] == ["create"]
    with pytest.raises(IllegalTransition, match="cannot authorize: it is draft"):
        intake.authorize_return(ctx, world.clerk, d.rma_no)
    d = intake.submit_return(ctx, world.clerk, d.rma_no, expected_version=d.version)
    assert d.status == "requested"
    clock.advance(hours=3)
    d = intake.authorize_return(ctx, world.clerk2, d.rma_no.lower(), expected_version=d.version)
    assert d.status == "authorized" and d.status_changed_by == "clerk2"
    assert [ln.qty_authorized for ln in d.lines] == [2]
    assert d.receive_by == clock.current.date() + timedelta(days=30)
    events = _events(ctx, d.rma_no)
    assert [e.action for e in events] == ["create", "submit", "authorize"]
    assert json.loads(events[-1].after_json)["receive_by"] == d.receive_by.isoformat()


def test_authorizing_twice_names_the_state_and_who_set_it(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("HM-4001", 1)])
    d = intake.create_return(ctx, world.clerk, draft(order_no, line(_ids(ctx, world, order_no)["HM-4001"], 1)))
    d = intake.authorize_return(ctx, world.supervisor, d.rma_no)
    assert d.receive_by is None  # counter returns are in hand, no deadline
    with pytest.raises(IllegalTransition) as err:
        intake.authorize_return(ctx, world.clerk, d.rma_no)
    assert err.value.current == "authorized"
    assert f"Return {d.rma_no} cannot authorize: it is authorized (set by Supervisor" in err.value.message
    assert len(_events(ctx, d.rma_no)) == 3


def test_a_stale_authorize_is_refused(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("HM-4001", 1)])
    mug = _ids(ctx, world, order_no)["HM-4001"]
    seen = intake.create_return(ctx, world.clerk, draft(order_no, line(mug, 1)))
    intake.cancel_return(ctx, world.clerk2, seen.rma_no, "Customer changed their mind", expected_version=seen.version)
    with pytest.raises(ConcurrentChange, match="changed by Clerk2 since you opened it"):
        intake.authorize_return(ctx, world.clerk, seen.rma_no, expected_version=seen.version)
    with ctx.db.read() as s:
        assert s.execute(select(Return.status).where(Return.rma_no == seen.rma_no)).scalar_one() == "cancelled"


def test_reject_needs_a_reason_and_frees_the_quantity(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("AP-2001", 2)])
    shirt = _ids(ctx, world, order_no)["AP-2001"]
    d = intake.create_return(ctx, world.clerk, draft(order_no, line(shirt, 2)))
    with pytest.raises(ValidationFailed, match="only 0 can still|nothing of this line"):
        intake.create_return(ctx, world.clerk, draft(order_no, line(shirt, 1)))
    with pytest.raises(ValidationFailed, match="Write why the return is rejected"):
        intake.reject_return(ctx, world.supervisor, d.rma_no, "  ")
    rejected = intake.reject_return(ctx, world.supervisor, d.rma_no, "Worn, tags removed")
    assert rejected.status == "rejected" and _in_process(ctx, shirt) == 0
    events = _events(ctx, d.rma_no)
    assert events[-2].action == "reject" and json.loads(events[-2].after_json)["reason"] == "Worn, tags removed"
    assert events[-1].action == "release_quantity"
    again = intake.create_return(ctx, world.clerk, draft(order_no, line(shirt, 2)))
    assert again.status == "requested" and _in_process(ctx, shirt) == 2
    intake.authorize_return(ctx, world.clerk, again.rma_no)
    with pytest.raises(IllegalTransition, match="cannot reject: it is authorized"):
        intake.reject_return(ctx, world.supervisor, again.rma_no, "Too late")
    assert _in_process(ctx, shirt) == 2


def test_cancel_frees_the_quantity_until_the_goods_arrive(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("AP-2001", 3)])
    shirt = _ids(ctx, world, order_no)["AP-2001"]
    a = intake.create_return(ctx, world.clerk, draft(order_no, line(shirt, 1), channel=Channel.REMOTE))
    b = intake.create_return(ctx, world.clerk, draft(order_no, line(shirt, 2), channel=Channel.REMOTE))
    assert _in_process(ctx, shirt) == 3
    intake.authorize_return(ctx, world.clerk, b.rma_no)
    with pytest.raises(ValidationFailed, match="Write why the return is cancelled"):
        intake.cancel_return(ctx, world.clerk, b.rma_no, "")
    cancelled = intake.cancel_return(ctx, world.clerk, b.rma_no, "Customer found the receipt was wrong")
    assert cancelled.status == "cancelled" and _in_process(ctx, shirt) == 1
    assert _order_line(ctx, shirt).qty_returned == 0
    c = intake.create_return(ctx, world.clerk, draft(order_no, line(shirt, 2)))
    assert _in_process(ctx, shirt) == 3
    with pytest.raises(IllegalTransition, match="cannot cancel: it is cancelled"):
        intake.cancel_return(ctx, world.clerk, b.rma_no, "again")
    intake.cancel_return(ctx, world.clerk, a.rma_no, "Duplicate of the counter return")
    intake.cancel_return(ctx, world.clerk, c.rma_no, "Customer kept it")
    assert _in_process(ctx, shirt) == 0


@pytest.mark.both_databases("deadlines compared in SQL; batches locked with FOR UPDATE")
def test_expire_overdue_remote_returns(ctx, clock):
    world = build_world(ctx)
    order_no = make_order(world, [("AP-2001", 3), ("HM-4001", 1)])
    ids = _ids(ctx, world, order_no)
    remote = intake.create_return(ctx, world.clerk, draft(order_no, line(ids["AP-2001"], 2),
                                                          channel=Channel.REMOTE))
    remote = intake.authorize_return(ctx, world.clerk, remote.rma_no)
    waiting = intake.create_return(ctx, world.clerk, draft(order_no, line(ids["AP-2001"], 1),
                                                           channel=Channel.REMOTE))  # not authorized
    counter = intake.create_return(ctx, world.clerk, draft(order_no, line(ids["HM-4001"], 1)))
    intake.authorize_return(ctx, world.clerk, counter.rma_no)
    with pytest.raises(PermissionDenied):
        intake.expire_overdue(ctx, world.clerk)
    clock.advance(days=30)
    assert intake.expire_overdue(ctx, world.supervisor) == 0  # the last day still counts
    clock.advance(days=1)
    changed = []
    ctx.listeners.append(lambda entity, entity_id: changed.append((entity, entity_id)))
    assert intake.expire_overdue(ctx, None) == 1
    assert changed == [("return", remote.id)]
    with ctx.db.read() as s:
        statuses = dict(s.execute(select(Return.rma_no, Return.status)).all())
    assert statuses == {remote.rma_no: "expired", waiting.rma_no: "requested", counter.rma_no: "authorized"}
    assert _in_process(ctx, ids["AP-2001"]) == 1 and _in_process(ctx, ids["HM-4001"]) == 1
    expire = [e for e in _events(ctx, remote.rma_no) if e.action == "expire"]
    assert len(expire) == 1 and expire[0].user_id is None and expire[0].station == "TEST-1"
    assert intake.expire_overdue(ctx, None) == 0
    assert audit.verify_chain(ctx).ok


@pytest.mark.both_databases("deadlines compared in SQL; batches locked with FOR UPDATE")
def test_expire_walks_a_backlog_in_batches(ctx, clock, monkeypatch):
    monkeypatch.setattr(intake, "EXPIRE_BATCH", 2)
    world = build_world(ctx)
    order_no = make_order(world, [("HM-4001", 5)])
    mug = _ids(ctx, world, order_no)["HM-4001"]
    for _ in range(5):
        d = intake.create_return(ctx, world.clerk, draft(order_no, line(mug, 1), channel=Channel.REMOTE))
        intake.authorize_return(ctx, world.clerk, d.rma_no)
        clock.advance(minutes=1)
    clock.advance(days=40)
    assert intake.expire_overdue(ctx, None) == 5
    assert _in_process(ctx, mug) == 0


# --------------------------------------------------------------------------- walk-in


def test_counter_intake_receives_the_goods_in_one_step(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1002", 2)])
    charger = _ids(ctx, world, order_no)["EL-1002"]
    pid = world.products["EL-1002"]
    with ctx.db.read() as s:
        before = stock.on_hand(s, pid, Location.INSPECTION)
    detail = intake.counter_intake(ctx, world.clerk, draft(order_no, line(charger, 2), method="cash"))
    assert detail.status == "received"
    # Received as a parcel; the units are counted one by one at inspection.
    assert [(ln.qty_authorized, ln.qty_received) for ln in detail.lines] == [(2, 0)]
    with ctx.db.read() as s:
        assert stock.on_hand(s, pid, Location.INSPECTION) == before + 2
        ret = s.execute(select(Return).where(Return.rma_no == detail.rma_no)).scalar_one()
        assert ret.received_by == world.clerk.user_id and ret.received_at is not None
    assert [e.action for e in _events(ctx, detail.rma_no)] == ["create", "submit", "authorize", "receive"]
    assert _in_process(ctx, charger) == 2
    with pytest.raises(IllegalTransition, match="cannot cancel: it is received"):
        intake.cancel_return(ctx, world.clerk, detail.rma_no, "oops")


def test_counter_intake_is_for_the_counter_and_one_transaction(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1002", 1), ("SH-3001", 1)], days_ago=40)
    ids = _ids(ctx, world, order_no)
    with pytest.raises(ValidationFailed, match="must use the counter channel"):
        intake.counter_intake(ctx, world.clerk, draft(order_no, line(ids["EL-1002"], 1), channel="remote"))
    with pytest.raises(PermissionDenied):
        intake.counter_intake(ctx, world.inspector, draft(order_no, line(ids["EL-1002"], 1)))
    before = _counts(ctx)
    with pytest.raises(PolicyViolation):
        intake.counter_intake(ctx, world.clerk, draft(order_no, line(ids["SH-3001"], 1)))
    assert _counts(ctx) == before


# --------------------------------------------------------------------------- the invariant


def test_held_quantity_always_matches_the_open_returns(ctx):
    """Random sequences of returns and releases keep qty_in_process equal to what open returns
    hold, never above what was bought, and refuse exactly the requests that would exceed it."""
    world = build_world(ctx)
    ops = st.lists(
        st.one_of(
            st.tuples(st.just("create"), st.integers(1, 4)),
            st.tuples(st.sampled_from(["cancel", "reject"]), st.integers(0, 10)),
        ),
        max_size=6,
    )

    @settings(max_examples=15, deadline=None)
    @given(bought=st.integers(1, 5), steps=ops)
    def run(bought, steps):
        order_no = make_order(world, [("HM-4001", bought)])
        mug = _ids(ctx, world, order_no)["HM-4001"]
        open_returns: list[tuple[str, int]] = []
        for op, n in steps:
            held = sum(q for _, q in open_returns)
            if op == "create":
                if n <= bought - held:
                    d = intake.create_return(ctx, world.clerk, draft(order_no, line(mug, n)))
                    open_returns.append((d.rma_no, n))
                else:
                    with pytest.raises(ValidationFailed):
                        intake.create_return(ctx, world.clerk, draft(order_no, line(mug, n)))
            elif open_returns:
                rma, _ = open_returns.pop(n % len(open_returns))
                if op == "cancel":
                    intake.cancel_return(ctx, world.clerk, rma, "test")
                else:
                    intake.reject_return(ctx, world.supervisor, rma, "test")
            ol = _order_line(ctx, mug)
            assert ol.qty_in_process == sum(q for _, q in open_returns)
            assert ol.qty_returned + ol.qty_in_process <= ol.quantity

    run()
