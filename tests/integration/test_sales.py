"""Finding the sale at the counter and the policy's verdict on its lines (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from returndesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from returndesk.domain.policy import PolicyRules
from returndesk.domain.types import Channel, PolicyStatus, RefundMethod
from returndesk.services.usecases import intake, policy_admin, sales
from returndesk.store.schema import Customer, SalesOrderLine

from .factories import build_world, make_order
from .query_plans import full_scans, recorded_selects

pytestmark = pytest.mark.both_databases(
    "search: lower() and LIKE fold case differently, names sort by collation C on PostgreSQL; line sums"
)


def _customer(ctx, code, name, phone):
    with ctx.db.write() as s:
        c = Customer(code=code, name=name, phone=phone, created_at=ctx.now())
        s.add(c)
        s.flush()
        return c.id


def _draft(order_no, *lines, channel=Channel.COUNTER, method=RefundMethod.ORIGINAL_PAYMENT, **kw):
    return intake.ReturnDraft(order_no=order_no, channel=channel, refund_method=method,
                              lines=tuple(lines), **kw)


#: The default policy's required conditions, confirmed at the counter with the goods in hand.
MET = frozenset({"original_packaging", "accessories_complete"})


def _line(sale, sku):
    return next(line for line in sale.lines if line.sku == sku)


# --------------------------------------------------------------------------- search


def test_find_by_order_number_typed_or_scanned(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1001", 1)], order_no="SO-1042")
    make_order(world, [("AP-2001", 1)], order_no="SO-10420")
    for query in ("SO-1042", "so 1042", "  so-1042 ", "1042"):
        hits = sales.find_sales(ctx, world.clerk, query)
        assert [h.order_no for h in hits][:1] == [order_no], query
        assert hits[0].matched_by == "order"
        assert "SO-10420" not in [h.order_no for h in hits if h.matched_by == "order"]
    hit = sales.find_sales(ctx, world.clerk, "SO-1042")[0]
    assert hit.customer_name == "Li Wei" and hit.line_count == 1 and hit.item_count == 1
    assert hit.returnable_count == 1 and hit.total_paid_minor == 39900
    assert sales.find_sales(ctx, world.clerk, "SO-9999") == []


def test_find_by_the_rma_label_of_an_earlier_return(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1002", 2)])
    detail = intake.create_return(ctx, world.clerk, _draft(
        order_no, intake.DraftLine(sales.get_sale(ctx, world.clerk, order_no).lines[0].order_line_id,
                                   1, "changed_mind", conditions_met=MET)))
    hits = sales.find_sales(ctx, world.clerk, detail.rma_no.lower())
    assert [(h.order_no, h.matched_by) for h in hits] == [(order_no, "rma")]
    assert hits[0].returnable_count == 1  # one of two is held by the return


def test_find_by_phone_whole_or_last_digits(ctx):
    world = build_world(ctx)
    li_old = make_order(world, [("EL-1001", 1)], days_ago=20)
    li_new = make_order(world, [("HM-4001", 1)], days_ago=2)
    anna = make_order(world, [("AP-2001", 1)], customer_id=world.customer2_id)
    hits = sales.find_sales(ctx, world.clerk, "13800138000")
    assert [h.order_no for h in hits] == [li_new, li_old]  # newest sale first
    assert {h.matched_by for h in hits} == {"phone"}
    assert [h.order_no for h in sales.find_sales(ctx, world.clerk, "138 0013 8000")] == [li_new, li_old]
    assert [h.order_no for h in sales.find_sales(ctx, world.clerk, "9000")] == [anna]
    assert [h.order_no for h in sales.find_sales(ctx, world.clerk, "38000")] == [li_new, li_old]
    # Ends in 8000 but not in 48000: the tail index narrows, the digits decide.
    assert sales.find_sales(ctx, world.clerk, "48000") == []
    assert sales.find_sales(ctx, world.clerk, "800") == []  # too few digits to mean a phone


def test_find_by_name_prefix_in_any_case(ctx):
    world = build_world(ctx)
    wang = _customer(ctx, "C-3", "王芳", "13700137000")
    liz = _customer(ctx, "C-4", "Lizzy Wong", None)
    li = make_order(world, [("EL-1001", 1)])
    anna = make_order(world, [("AP-2001", 1)], customer_id=world.customer2_id)
    w = make_order(world, [("HM-4001", 1)], customer_id=wang)
    z = make_order(world, [("HM-4001", 1)], customer_id=liz)
    assert {h.order_no for h in sales.find_sales(ctx, world.clerk, "li")} == {li, z}
    assert [h.order_no for h in sales.find_sales(ctx, world.clerk, "LI  W")] == [li]
    assert [h.order_no for h in sales.find_sales(ctx, world.clerk, "anna s")] == [anna]
    assert [h.order_no for h in sales.find_sales(ctx, world.clerk, "王")] == [w]
    assert {h.matched_by for h in sales.find_sales(ctx, world.clerk, "li")} == {"name"}
    assert sales.find_sales(ctx, world.clerk, "wei") == []  # a prefix, not a substring
    assert sales.find_sales(ctx, world.clerk, "   ") == []


def test_digits_find_the_sale_by_number_first_then_by_phone_once_each_in_one_statement(ctx):
    world = build_world(ctx)
    # The digits are an order's number and the end of Wang's phone: the numbered sale comes first
    # (once, though it is also Wang's), then Wang's other sales, newest first.
    wang = _customer(ctx, "C-3", "王芳", "13700138042")
    numbered = make_order(world, [("EL-1001", 1)], order_no="SO-8042", customer_id=wang, days_ago=9)
    older = make_order(world, [("AP-2001", 2)], customer_id=wang, days_ago=20)
    newer = make_order(world, [("HM-4001", 1)], customer_id=wang, days_ago=1)
    with recorded_selects(ctx.db) as statements:
        hits = sales.find_sales(ctx, world.clerk, "8042")
    assert [(h.order_no, h.matched_by) for h in hits] == [(numbered, "order"), (newer, "phone"), (older, "phone")]
    assert [h.item_count for h in hits] == [1, 1, 2]
    assert len(statements) == 1  # every reading of the query, and the actor's check, in one statement
    assert [h.order_no for h in sales.find_sales(ctx, world.clerk, "8042", limit=2)] == [numbered, newer]


def test_search_limit_and_permission(ctx):
    world = build_world(ctx)
    for _ in range(5):
        make_order(world, [("HM-4001", 1)])
    assert len(sales.find_sales(ctx, world.clerk, "li", limit=3)) == 3
    with pytest.raises(ValidationFailed):
        sales.find_sales(ctx, world.clerk, "li", limit=0)
    with pytest.raises(PermissionDenied):
        sales.find_sales(ctx, world.finance, "li")


@pytest.mark.parametrize("query", ["SO-100001", "100001", "13800138000", "8000", "li w", "王", "R0000000013"])
def test_search_never_scans_a_whole_table(ctx, query):
    world = build_world(ctx)
    _customer(ctx, "C-3", "王芳", "13700137000")
    make_order(world, [("EL-1001", 1)])
    with recorded_selects(ctx.db) as statements:
        sales.find_sales(ctx, world.clerk, query)
    assert statements
    assert full_scans(ctx.db, statements) == []


def test_get_sale_never_scans_a_whole_table(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1001", 1), ("AP-2001", 2)])
    with recorded_selects(ctx.db) as statements:
        sales.get_sale(ctx, world.clerk, order_no)
    assert full_scans(ctx.db, statements) == []


# --------------------------------------------------------------------------- one sale


def test_get_sale_shows_quantities_money_and_product(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("AP-2001", 3, 100), ("EL-1001", 1)], shipping_minor=1500)
    sale = sales.get_sale(ctx, world.clerk, order_no.lower())
    assert sale.order_no == order_no and sale.customer.name == "Li Wei"
    assert sale.customer.phone == "13800138000" and sale.shipping_minor == 1500
    shirt = _line(sale, "AP-2001")
    assert (shirt.quantity, shirt.qty_returned, shirt.qty_in_process, shirt.qty_returnable) == (3, 0, 0, 3)
    assert shirt.paid_minor == 3 * 7900 - 100
    assert shirt.unit_paid_minor == 7867  # 23600 / 3, rounded half up
    assert shirt.tax_minor == 2715 and shirt.tax_rate_bp == 1300
    assert shirt.barcode == "6901234567915" and shirt.product_name_zh == "纯棉T恤"
    assert shirt.category == "apparel" and shirt.category_name_en == "Apparel"
    assert shirt.product_returnable and not shirt.serial_tracked
    assert _line(sale, "EL-1001").serial_tracked
    assert sale.required_conditions == (("original_packaging", "original packaging"),
                                        ("accessories_complete", "accessories complete"))
    assert RefundMethod.CASH in sale.refund_methods
    assert RefundMethod.CASH not in sales.get_sale(ctx, world.clerk, order_no, channel="remote").refund_methods
    # Quantities held by a return and already returned are not returnable.
    intake.create_return(
        ctx, world.clerk, _draft(order_no, intake.DraftLine(shirt.order_line_id, 1, "wrong_size", conditions_met=MET))
    )
    with ctx.db.write() as s:
        s.execute(update(SalesOrderLine).where(SalesOrderLine.id == shirt.order_line_id).values(qty_returned=1))
    again = _line(sales.get_sale(ctx, world.clerk, order_no), "AP-2001")
    assert (again.qty_returned, again.qty_in_process, again.qty_returnable) == (1, 1, 1)
    assert again.verdict_customer_fault.status is PolicyStatus.WITHIN
    assert len(sales.get_sale(ctx, world.clerk, order_no).returns) == 1


def test_get_sale_lists_lines_in_order_and_the_orders_returns_newest_first(ctx, clock):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1002", 3), ("AP-2001", 1), ("HM-4001", 2)])
    sale = sales.get_sale(ctx, world.clerk, order_no)
    assert [line.line_no for line in sale.lines] == [1, 2, 3]
    assert [line.sku for line in sale.lines] == ["EL-1002", "AP-2001", "HM-4001"]
    rmas = []
    for _ in range(3):
        line = intake.DraftLine(sale.lines[0].order_line_id, 1, "changed_mind", conditions_met=MET)
        rmas.append(intake.create_return(ctx, world.clerk, _draft(order_no, line)).rma_no)
        clock.advance(minutes=5)
    again = sales.get_sale(ctx, world.clerk, order_no)
    assert [r.rma_no for r in again.returns] == rmas[::-1]
    assert [line.qty_in_process for line in again.lines] == [3, 0, 0]


def test_get_sale_unknown_order_and_bad_channel(ctx):
    world = build_world(ctx)
    with pytest.raises(NotFound, match="SO-404"):
        sales.get_sale(ctx, world.clerk, "SO-404")
    order_no = make_order(world, [("EL-1001", 1)])
    with pytest.raises(ValidationFailed, match="not a return channel"):
        sales.get_sale(ctx, world.clerk, order_no, channel="mail")


def test_verdicts_follow_the_time_windows(ctx):
    world = build_world(ctx)
    fresh = make_order(world, [("SH-3001", 1)], days_ago=30)
    late = make_order(world, [("SH-3001", 1)], days_ago=47)
    very_late = make_order(world, [("SH-3001", 1)], days_ago=91)
    line = sales.get_sale(ctx, world.clerk, fresh).lines[0]
    assert line.verdict_customer_fault.status is PolicyStatus.WITHIN
    assert line.verdict_customer_fault.days_elapsed == 30
    line = sales.get_sale(ctx, world.clerk, late).lines[0]
    assert line.verdict_customer_fault.status is PolicyStatus.OVERRIDE_NEEDED
    assert "Delivered 47 days ago; the policy allows 30" in line.verdict_customer_fault.reasons[0]
    # The defect window is longer.
    assert line.verdict_vendor_fault.status is PolicyStatus.WITHIN
    assert line.verdict_vendor_fault.window_days == 90
    line = sales.get_sale(ctx, world.clerk, very_late).lines[0]
    assert line.verdict_vendor_fault.status is PolicyStatus.OVERRIDE_NEEDED


def test_a_category_window_replaces_the_standard_one(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("SH-3001", 1), ("AP-2001", 1)], days_ago=45)
    policy_admin.publish_policy(ctx, world.admin, PolicyRules(category_windows={"shoes": 60}),
                                "Shoes 60 days")
    sale = sales.get_sale(ctx, world.clerk, order_no)
    assert _line(sale, "SH-3001").verdict_customer_fault.status is PolicyStatus.WITHIN
    assert _line(sale, "SH-3001").verdict_customer_fault.window_days == 60
    assert _line(sale, "AP-2001").verdict_customer_fault.status is PolicyStatus.OVERRIDE_NEEDED
    assert sale.policy_version == 2


def test_non_returnable_product_and_category(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("FD-5001", 1), ("HM-4001", 1)])
    sale = sales.get_sale(ctx, world.clerk, order_no)
    tea = _line(sale, "FD-5001")
    assert not tea.product_returnable
    assert tea.verdict_customer_fault.status is PolicyStatus.NOT_RETURNABLE
    assert tea.verdict_vendor_fault.status is PolicyStatus.NOT_RETURNABLE
    assert _line(sale, "HM-4001").verdict_customer_fault.status is PolicyStatus.WITHIN
    policy_admin.publish_policy(ctx, world.admin, PolicyRules(non_returnable_categories={"home"}), "No home")
    mug = _line(sales.get_sale(ctx, world.clerk, order_no), "HM-4001")
    assert mug.verdict_vendor_fault.status is PolicyStatus.NOT_RETURNABLE
    assert "non-returnable category" in mug.verdict_vendor_fault.reasons[0]


def test_nothing_left_to_return_is_not_returnable(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("HM-4001", 2)])
    line_id = sales.get_sale(ctx, world.clerk, order_no).lines[0].order_line_id
    intake.create_return(
        ctx, world.clerk, _draft(order_no, intake.DraftLine(line_id, 2, "changed_mind", conditions_met=MET))
    )
    line = sales.get_sale(ctx, world.clerk, order_no).lines[0]
    assert line.qty_returnable == 0
    assert line.verdict_customer_fault.status is PolicyStatus.NOT_RETURNABLE
    assert "nothing of this line can be returned" in line.verdict_customer_fault.reasons[0]
    assert sales.find_sales(ctx, world.clerk, order_no)[0].returnable_count == 0


def test_a_shop_sale_counts_from_the_sale_not_the_delivery(ctx, clock):
    world = build_world(ctx)
    # make_order dates the sale two days before the delivery.
    order_no = make_order(world, [("HM-4001", 1)], days_ago=29, channel="store")
    sale = sales.get_sale(ctx, world.clerk, order_no)
    assert sale.sold_at_counter
    assert sale.reference_date == (clock.current - timedelta(days=31)).date()
    assert sale.lines[0].verdict_customer_fault.status is PolicyStatus.OVERRIDE_NEEDED
    assert "Sold 31 days ago" in sale.lines[0].verdict_customer_fault.reasons[0]


def test_reasons_and_active_policy(ctx):
    build_world(ctx)
    reasons = sales.list_reasons(ctx)
    assert [r.code for r in reasons][:2] == ["defective", "damaged_in_transit"]
    by_code = {r.code: r for r in reasons}
    assert by_code["defective"].vendor_fault and not by_code["changed_mind"].vendor_fault
    assert by_code["better_price"].allows("refund") and not by_code["better_price"].allows("exchange")
    policy = sales.active_policy(ctx)
    assert policy.version == 1 and policy.rules == PolicyRules.default()
