"""Administration and the finance desk through the services: users and the admin log, policy
versions with an effective date, counter cash shifts, store credit, and the finance files."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from returndesk.domain.errors import (
    NotFound,
    PermissionDenied,
    PolicyViolation,
    ValidationFailed,
)
from returndesk.domain.types import Channel, RefundMethod
from returndesk.services.usecases import (
    administration,
    auth,
    cash,
    counter,
    finance,
    finance_desk,
    intake,
    policy_admin,
    sales,
    store_credit,
)
from returndesk.store.schema import (
    CashShift,
    JournalEntry,
    JournalLine,
    Refund,
    Return,
    SalesOrder,
    StoreCreditEntry,
)
from sqlalchemy import select, update

from .factories import build_world, make_order
from .money_support import CONDITIONS, order_line_ids

pytestmark = pytest.mark.both_databases("money sums, row locks on the drawer and timestamps compared in SQL")


def _counter_draft(world, order_no, sku, qty=1, method=RefundMethod.CASH):
    ids = order_line_ids(world, order_no)
    return intake.ReturnDraft(
        order_no=order_no, channel=Channel.COUNTER, refund_method=method,
        lines=(intake.DraftLine(order_line_id=ids[sku], quantity=qty, reason_code="changed_mind",
                                conditions_met=CONDITIONS),),
    )


def test_admin_changes_are_logged_and_refused_to_other_roles(ctx):
    world = build_world(ctx)
    auth.add_user(ctx, world.admin, username="mei", display_name="Mei", role="clerk", password="long enough 1")
    auth.change_user(ctx, world.admin, "mei", approval_limit_minor=12345, display_name="Wang Mei")
    administration.save_station(ctx, world.admin, "COUNTER-9", name="Front desk", kind="counter", site="SH01")

    log = administration.admin_log(ctx, world.admin)
    assert [(e.entity, e.entity_id, e.action) for e in log[:3]] == [
        ("station", "COUNTER-9", "station_saved"), ("user", "mei", "changed"), ("user", "mei", "created")]
    assert ("approval_limit_minor", "0", "12345") in log[1].changes
    assert ("display_name", "Mei", "Wang Mei") in log[1].changes
    assert all(e.action != "signed_in" for e in log)
    assert [e.entity_id for e in administration.admin_log(ctx, world.admin, entity="station")] == ["COUNTER-9"]

    for call in (lambda: administration.admin_log(ctx, world.supervisor),
                 lambda: auth.change_user(ctx, world.manager, "mei", approval_limit_minor=1),
                 lambda: administration.save_station(ctx, world.finance, "X", site="SH01")):
        with pytest.raises(PermissionDenied):
            call()
    with pytest.raises(ValidationFailed, match="administrator role from yourself"):
        auth.change_user(ctx, world.admin, "admin", role="clerk")


def test_a_new_limit_counts_at_the_clerks_next_counter_return(ctx):
    world = build_world(ctx)
    rules = sales.active_policy(ctx).rules
    policy_admin.publish_policy(ctx, world.admin, replace(rules, auto_approve_limit=100000), "High automatic limit")
    order_no = make_order(world, [("SH-3001", 2)], channel="store", days_ago=2)  # 599.00 each
    auth.change_user(ctx, world.admin, "clerk", approval_limit_minor=30000)
    first = counter.counter_return(ctx, world.clerk, _counter_draft(world, order_no, "SH-3001",
                                                                     method=RefundMethod.ORIGINAL_PAYMENT))
    assert not first.refunded and "¥300.00" in first.message
    auth.change_user(ctx, world.admin, "clerk", approval_limit_minor=80000)
    second = counter.counter_return(ctx, world.clerk, _counter_draft(world, order_no, "SH-3001",
                                                                      method=RefundMethod.ORIGINAL_PAYMENT))
    assert second.refunded


def test_a_policy_version_takes_effect_on_its_day_and_old_returns_keep_theirs(ctx, clock):
    world = build_world(ctx)
    order_no = make_order(world, [("AP-2001", 3)], days_ago=20)
    draft = intake.ReturnDraft(order_no=order_no, channel=Channel.REMOTE, refund_method=RefundMethod.ORIGINAL_PAYMENT,
                               lines=(intake.DraftLine(order_line_ids(world, order_no)["AP-2001"], 1, "changed_mind"),))
    before = intake.create_return(ctx, world.clerk, draft)
    in_force = sales.active_policy(ctx)

    rules = replace(in_force.rules, window_days=14)
    saved = policy_admin.save_policy_draft(ctx, world.admin, rules, "Short window")
    changes = policy_admin.policy_draft_changes(ctx, world.admin)
    assert [(c.setting, c.before, c.after) for c in changes] == [("window_days", "30", "14")]
    tomorrow = (clock.current + timedelta(days=1)).date()
    with pytest.raises(ValidationFailed, match="in the past"):
        policy_admin.publish_policy_draft(ctx, world.admin, clock.current.date() - timedelta(days=1))
    published = policy_admin.publish_policy_draft(ctx, world.admin, tomorrow, expected_version=saved.version)
    assert policy_admin.get_policy_draft(ctx, world.admin) is None

    # Until tomorrow the old version judges: 20 days is within 30.
    assert sales.active_policy(ctx).id == in_force.id
    still = intake.create_return(ctx, world.clerk, draft)
    clock.advance(days=1)
    assert sales.active_policy(ctx).id == published.id
    with pytest.raises(Exception, match="policy allows 14"):
        intake.create_return(ctx, world.clerk, draft)
    with ctx.db.read() as s:
        kept = dict(s.execute(select(Return.rma_no, Return.policy_id)).all())
    assert kept == {before.rma_no: in_force.id, still.rma_no: in_force.id}
    with pytest.raises(ValidationFailed, match="stays"):
        policy_admin.withdraw_policy_version(ctx, world.admin, published.version)


def test_cash_shift_records_counter_cash_refunds_and_posts_the_difference(ctx):
    world = build_world(ctx)
    opened = cash.open_shift(ctx, world.clerk, 50000)
    assert opened.shift_no == "CS-2026-000001" and opened.expected_minor == 50000
    with pytest.raises(Exception, match="open cash shift already"):
        cash.open_shift(ctx, world.clerk2, 10000)
    refunds = []
    for sku in ("AP-2001", "HM-4001"):
        order_no = make_order(world, [(sku, 1)], channel="store", days_ago=1)
        result = counter.counter_return(ctx, world.clerk, _counter_draft(world, order_no, sku))
        assert result.refunded
        refunds.append(result.refund.refund.refund_no)
    shift = cash.current_shift(ctx, world.clerk)
    assert shift is not None and shift.payments == 2 and shift.paid_out_minor == 7900 + 4900
    assert shift.expected_minor == 50000 - 12800

    with pytest.raises(ValidationFailed, match="write a note"):
        cash.close_shift(ctx, world.clerk, 37000)
    closed = cash.close_shift(ctx, world.clerk, 37000, note="Coin roll missing")
    assert (closed.status, closed.expected_minor, closed.counted_minor, closed.difference_minor) == (
        "closed", 37200, 37000, -200)
    with ctx.db.read() as s:
        assert sorted(s.execute(select(Refund.refund_no).where(Refund.cash_shift_id == closed.id)).scalars()) == refunds
        lines = s.execute(
            select(JournalLine.account, JournalLine.debit_minor, JournalLine.credit_minor)
            .join(JournalEntry).where(JournalEntry.entry_no == closed.entry_no).order_by(JournalLine.account)
        ).all()
        assert s.execute(select(CashShift.open_station)).scalar_one() is None
    assert [tuple(r) for r in lines] == [("1001", 0, 200), ("1901", 200, 0)]
    assert finance.check_books(ctx) == []

    # The station keeps shifts now: no cash without an open one.
    order_no = make_order(world, [("AP-2001", 1)], channel="store", days_ago=1)
    with pytest.raises(PolicyViolation, match="no open cash shift"):
        counter.counter_return(ctx, world.clerk, _counter_draft(world, order_no, "AP-2001"))

    report = cash.shift_report(ctx, world.finance, closed.shift_no)
    assert [p.refund_no for p in report.payments] == refunds
    pdf = cash.shift_report_pdf(ctx, world.finance, closed.shift_no, lang="zh_CN")
    assert pdf.startswith(b"%PDF")
    page = cash.find_shifts(ctx, world.finance, clock_day(ctx), clock_day(ctx))
    assert [s.shift_no for s in page.items] == [closed.shift_no]


def clock_day(ctx):
    return ctx.now().date()


def test_store_credit_refund_becomes_a_balance_that_can_be_spent_once(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("AP-2001", 1)], channel="store", days_ago=1)
    counter.counter_return(ctx, world.clerk,
                           _counter_draft(world, order_no, "AP-2001", method=RefundMethod.STORE_CREDIT))
    balance = store_credit.store_credit_balance(ctx, world.clerk, world.customer_id)
    assert balance.balance_minor == 7900 and balance.entries[0].amount_minor == 7900
    after = store_credit.spend_store_credit(ctx, world.clerk, world.customer_id, 5000, reference="R-TEST")
    assert after.balance_minor == 2900
    with pytest.raises(PolicyViolation, match="less than"):
        store_credit.spend_store_credit(ctx, world.clerk, world.customer_id, 3000, reference="R-TEST")
    with ctx.db.read() as s:
        assert sorted(s.execute(select(StoreCreditEntry.amount_minor)).scalars()) == [-5000, 7900]
        spent = s.execute(
            select(JournalLine.account, JournalLine.debit_minor, JournalLine.credit_minor).join(JournalEntry)
            .where(JournalEntry.memo.like("%Store credit spent on {reference}%R-TEST%")).order_by(JournalLine.account)
        ).all()
    assert [tuple(r) for r in spent] == [("1122", 0, 5000), ("2203", 5000, 0)]
    assert finance.check_books(ctx) == []
    with pytest.raises(NotFound):
        store_credit.store_credit_balance(ctx, world.clerk, 999999)


def test_finance_lists_totals_and_files_of_a_period(ctx):
    world = build_world(ctx)
    orders = []
    for sku, method in (("AP-2001", RefundMethod.CASH), ("HM-4001", RefundMethod.ORIGINAL_PAYMENT)):
        order_no = make_order(world, [(sku, 1)], channel="store", days_ago=1)
        orders.append(order_no)
        counter.counter_return(ctx, world.clerk, _counter_draft(world, order_no, sku, method=method))
    with ctx.db.write() as s:
        s.execute(update(SalesOrder).where(SalesOrder.order_no == orders[0]).values(invoice_no="24312000000012345678"))
    day = ctx.now().date()

    refunds = finance_desk.find_desk_refunds(ctx, world.finance, day, day)
    assert [(r.method, r.amount_minor) for r in refunds.items] == [("cash", 7900), ("original_payment", 4900)]
    cash_only = finance_desk.find_desk_refunds(ctx, world.finance, day, day, method="cash")
    assert [r.method for r in cash_only.items] == ["cash"]
    first = finance_desk.find_desk_refunds(ctx, world.finance, day, day, limit=1)
    rest = finance_desk.find_desk_refunds(ctx, world.finance, day, day, after=first.next_cursor, limit=1)
    assert [r.amount_minor for r in first.items + rest.items] == [7900, 4900] and rest.next_cursor is None
    notes = finance_desk.find_credit_notes(ctx, world.finance, day, day)
    assert [n.invoice_no for n in notes.items] == ["24312000000012345678", None]
    lines = finance_desk.find_journal_lines(ctx, world.finance, day, day, account="1001")
    assert [(line.account, line.credit_minor) for line in lines.items] == [("1001", 7900)]

    totals = finance_desk.desk_totals(ctx, world.finance, day, day)
    assert {(m.method, m.count, m.amount_minor) for m in totals.methods} == {("cash", 1, 7900),
                                                                            ("original_payment", 1, 4900)}
    assert totals.refunded_minor == 12800 and totals.credit_total_minor == 12800
    assert totals.debit_minor == totals.credit_minor > 0

    red = finance_desk.export_file(ctx, world.finance, "red_letter", day, day)
    sheet = load_workbook(io.BytesIO(red.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "红字凭证号", "退货单号", "蓝字发票号码")
    assert [(r[3], r[11], r[13]) for r in rows[1:]] == [("24312000000012345678", "13%", -79.0), (None, "13%", -49.0)]
    assert rows[1][10] + rows[1][12] == pytest.approx(-79.0)
    assert red.rows == 2 and len(red.warnings) == 1 and orders[1] in red.warnings[0]

    journal = finance_desk.export_file(ctx, world.finance, "journal", day, day, "xlsx")
    sheet = load_workbook(io.BytesIO(journal.data)).active
    assert next(sheet.iter_rows(values_only=True))[:3] == ("entry_no", "posted_at", "rma_no")
    assert dict(journal.totals)["debit"] == dict(journal.totals)["credit"]
    with pytest.raises(PermissionDenied):
        finance_desk.export_file(ctx, world.clerk, "refunds", day, day, "csv")
    with pytest.raises(PermissionDenied):
        finance_desk.find_desk_refunds(ctx, world.clerk, day, day)


def test_order_import_keeps_the_invoice_number_for_red_letter_credit_notes(ctx, tmp_path):
    from returndesk.services.usecases import importing

    build_world(ctx)
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_no,channel,customer_name,sold_at,payment_method,invoice_no,line_no,sku,quantity,unit_price,paid\n"
        "SO-880001,store,Zhou Min,2026-11-20 14:30,cash,24312000000099887766,1,AP-2001,1,79.00,79.00\n",
        encoding="utf-8")
    importing.import_orders(ctx, None, path)
    with ctx.db.read() as s:
        assert s.execute(select(SalesOrder.invoice_no).where(SalesOrder.order_no == "SO-880001")).scalar_one() \
            == "24312000000099887766"
