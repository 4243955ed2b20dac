"""The analytics' figures against values worked out by hand on a small known data set
(tests/integration/analytics_support.py), on both databases."""

from __future__ import annotations

from datetime import date

import pytest

from returndesk.domain.analytics import RiskThresholds
from returndesk.domain.errors import PermissionDenied, ValidationFailed
from returndesk.services.usecases import analytics
from returndesk.services.usecases.analytics import ReportFilter
from returndesk.store.schema import AuditEvent, ReturnPolicy, RtvClaim, StageTarget, Supplier
from sqlalchemy import select

from tests.integration.analytics_support import _order, _return, at

pytestmark = pytest.mark.both_databases(
    "timestamps cut and subtracted in SQL, window functions and money sums differ by dialect")

NOV = ReportFilter(date(2026, 11, 1), date(2026, 11, 30), site="SH01")
H = 3600


def test_reason_pareto_counts_the_period_in_the_sites_days(ctx, analytics_world):
    pareto = analytics.reason_pareto(ctx, analytics_world.manager, NOV)
    # R3 (00:30 on Nov 1 in Shanghai, still Oct 31 in UTC) is in; R4 (Dec 1 there) is out.
    assert [(b.code, b.returns, b.units, b.value_minor) for b in pareto.bars] == [
        ("changed_mind", 2, 5, 23700 + 15800),
        ("defective", 1, 1, 39900),
    ]
    assert pareto.returns == 3 and pareto.units == 6 and pareto.value_minor == 79400
    assert [round(b.share, 4) for b in pareto.bars] == [round(5 / 6, 4), round(1 / 6, 4)]
    assert [round(b.cumulative, 4) for b in pareto.bars] == [round(5 / 6, 4), 1.0]
    assert pareto.bars[0].name_zh != pareto.bars[0].name_en


def test_pareto_in_utc_days_moves_the_boundary_returns(ctx, analytics_world):
    # Without the site the installation's zone applies (none is set: the computer's, UTC here).
    utc = ReportFilter(date(2026, 11, 1), date(2026, 11, 30), channel="store")
    pareto = analytics.reason_pareto(ctx, analytics_world.manager, utc)
    # In UTC days R3 (Oct 31 16:30) falls out and R4 (Nov 30 16:10) falls in.
    assert [(b.code, b.units) for b in pareto.bars] == [("defective", 1)]


def test_returns_behind_a_bar_are_the_returns_of_that_reason(ctx, analytics_world):
    page = analytics.returns_behind(ctx, analytics_world.manager, NOV, "changed_mind")
    assert [r.rma_no for r in page.items] == [analytics_world.rma["R2"], analytics_world.rma["R3"]]
    page = analytics.returns_behind(ctx, analytics_world.manager, NOV, "defective")
    assert [r.rma_no for r in page.items] == [analytics_world.rma["R1"]]


def test_return_rates_by_product_worst_first_with_jump_flag(ctx, analytics_world):
    table = analytics.return_rates(ctx, analytics_world.manager, NOV, "product")
    rows = [(r.key, r.sold_units, r.returned_units, r.sold_minor, r.returned_minor, r.jumped) for r in table.rows]
    assert rows == [
        ("AP-2001", 10, 6, 79000, 47400, True),  # R2 3 + R3 2 + R4 1 of the units sold in November
        ("EL-1001", 2, 1, 79800, 39900, False),  # one unit is no trend
    ]
    assert table.rows[0].unit_rate == pytest.approx(0.6) and table.rows[0].value_rate == pytest.approx(0.6)
    assert table.rows[0].past_unit_rate is None


def test_return_rates_by_channel(ctx, analytics_world):
    table = analytics.return_rates(ctx, analytics_world.manager, NOV, "channel")
    assert [(r.key, r.sold_units, r.returned_units) for r in table.rows] == [("online", 6, 4), ("store", 6, 3)]
    with pytest.raises(ValidationFailed, match="not a dimension"):
        analytics.return_rates(ctx, analytics_world.manager, NOV, "colour")


def test_cycle_times_per_stage_with_a_return_that_went_back_to_requested(ctx, analytics_world):
    report = analytics.cycle_times(ctx, analytics_world.manager, NOV)
    got = {t.stage: (t.returns, t.mean_seconds, t.p50_seconds, t.p90_seconds, t.max_seconds) for t in report.stages}
    assert got == {
        # R1 2 h; R2 20 min, asked the customer, 20 min more after the answer; R3 2 h.
        "requested": (3, (2 * H + 40 * 60 + 2 * H) // 3, 2 * H, 2 * H, 2 * H),
        "waiting_for_customer": (1, 20 * 60, 20 * 60, 20 * 60, 20 * 60),
        "authorized": (2, 14 * H, 4 * H, 24 * H, 24 * H),  # R3 is still authorized: not counted
        "received": (2, 5 * H // 2, 1 * H, 4 * H, 4 * H),
        "inspected": (2, H // 2, 0, 1 * H, 1 * H),
        "awaiting_approval": (1, 4 * H, 4 * H, 4 * H, 4 * H),
        "approved": (2, 3 * H // 2, 1 * H, 2 * H, 2 * H),
    }


def test_ageing_bottleneck_and_stuck_returns(ctx, analytics_world):
    report = analytics.cycle_times(ctx, analytics_world.manager, NOV)
    ageing = {a.stage: (a.open_returns, a.over_target, a.over_double, a.waiting_seconds) for a in report.ageing}
    assert ageing["authorized"] == (1, 1, 1, (30 * 24 + 5) * H + H // 2)  # since Oct 31 18:30
    assert ageing["requested"] == (1, 0, 0, 7 * H + 50 * 60)  # R4 since Nov 30 16:10
    assert ageing["received"] == (0, 0, 0, 0)
    assert report.bottleneck == "authorized"
    rma = analytics_world.rma
    assert [(r.rma_no, r.stage) for r in report.stuck] == [(rma["R3"], "authorized"), (rma["R4"], "requested")]
    tight = analytics.cycle_times(ctx, analytics_world.manager, NOV, targets={"requested": 2})
    assert {a.stage: a.over_double for a in tight.ageing}["requested"] == 1
    with pytest.raises(ValidationFailed, match="not a stage"):
        analytics.cycle_times(ctx, analytics_world.manager, NOV, targets={"lunch": 1})


def test_throughput_per_station_and_inspector(ctx, analytics_world):
    report = analytics.cycle_times(ctx, analytics_world.manager, NOV)
    assert [(t.key, t.units, t.returns, t.active_hours) for t in report.stations] == [("INS-1", 4, 2, 3)]
    assert report.stations[0].name == "Inspection 1"
    assert report.stations[0].units_per_hour == pytest.approx(4 / 3)
    assert [(t.key, t.units) for t in report.inspectors] == [("inspector", 4)]


def test_money(ctx, analytics_world):
    m = analytics.money(ctx, analytics_world.manager, NOV)
    assert [(f.key, f.count, f.amount_minor) for f in m.refunded_by_method] == [
        ("original_payment", 1, 39900), ("store_credit", 1, 21330)]
    assert (m.refunds, m.refunded_minor, m.deductions_kept_minor, m.fees_kept_minor) == (2, 61230, 1580, 790)
    assert [(f.key, f.count, f.amount_minor) for f in m.goods_by_destination] == [
        ("available", 2, 5000), ("refurbish", 1, 2500), ("rtv", 0, 0), ("scrap", 1, 21000)]
    assert m.net_cost_minor == 61230 - 5000 and m.cost_per_return_minor == 28115


def test_risk_signals_and_watch_flag(ctx, analytics_world):
    w = analytics_world
    t = RiskThresholds(high_value_minor=30000)
    found = analytics.risk(ctx, w.manager, NOV, thresholds=t)
    assert [(r.code, r.returns, r.units_returned, r.units_bought, r.high_value_d, r.serials_seen_before, r.signals)
            for r in found] == [("C-1", 2, 4, 6, 1, 1, ("rate", "grade_d", "serial"))]
    with pytest.raises(ValidationFailed, match="at least 5"):
        analytics.set_customer_watch(ctx, w.supervisor, w.world.customer2_id, True, "hm")
    with pytest.raises(PermissionDenied):
        analytics.set_customer_watch(ctx, w.world.clerk, w.world.customer2_id, True, "Two claims in a week")
    view = analytics.set_customer_watch(ctx, w.supervisor, w.world.customer2_id, True, "Two claims in a week")
    assert view.watched
    found = analytics.risk(ctx, w.manager, NOV, thresholds=t)
    assert [(r.code, r.signals, r.note) for r in found][1] == ("C-2", ("watch",), "Two claims in a week")


def test_period_and_permission_checks(ctx, analytics_world):
    with pytest.raises(ValidationFailed, match="before it starts"):
        analytics.reason_pareto(ctx, analytics_world.manager, ReportFilter(date(2026, 11, 2), date(2026, 11, 1)))
    with pytest.raises(PermissionDenied):
        analytics.reason_pareto(ctx, analytics_world.world.clerk, NOV)



def _no_receipt_returns(ctx, w, days):
    """Returns without a receipt by customer C-1 on the given November days (each with its NR sale)."""
    with ctx.db.write() as s:
        pid = s.execute(select(ReturnPolicy.id).order_by(ReturnPolicy.version.desc()).limit(1)).scalar_one()
        for day in days:
            order_id, (line_id,) = _order(s, w.world, f"NR-2026-0000{day:02d}", "no_receipt", w.world.customer_id,
                                          at(11, day, 3), [("AP-2001", 1, 7900)])
            _return(s, w.world, f"NR-RMA-{day}", order_id, w.world.customer_id, line_id, "AP-2001", 1,
                    "changed_mind", "refunded", at(11, day, 3), at(11, day, 4), policy_id=pid)


def test_risk_lists_customers_returning_without_receipts(ctx, analytics_world):
    w = analytics_world
    t = RiskThresholds(high_value_minor=10**9, unit_rate=0.99, returns_in_period=99, no_receipt_in_period=2)
    _no_receipt_returns(ctx, w, [10])
    found = analytics.risk(ctx, w.manager, NOV, thresholds=t)
    # One return without a receipt is no pattern; C-1 stays listed for the serial seen before.
    assert [(r.code, r.no_receipt, r.signals) for r in found] == [("C-1", 1, ("serial",))]
    _no_receipt_returns(ctx, w, [12])
    found = analytics.risk(ctx, w.manager, NOV, thresholds=t)
    assert [(r.code, r.returns, r.no_receipt, r.signals) for r in found] == [("C-1", 4, 2, ("serial", "no_receipt"))]
    columns, rows = analytics.report_table(ctx, w.manager, "risk", NOV)
    assert dict(zip(columns, rows[0], strict=True))["no_receipt"] == 2


def test_money_counts_what_vendors_credited_in_the_period(ctx, analytics_world):
    w = analytics_world
    with ctx.db.write() as s:
        supplier = Supplier(code="SUP-RTV", name="Acme")
        s.add(supplier)
        s.flush()
        sid = supplier.id
        for no, answered, credited in (("RTV-1", at(11, 20, 0), 12000), ("RTV-2", at(11, 30, 17), 5000),
                                       ("RTV-3", at(11, 21, 0), 0)):
            s.add(RtvClaim(claim_no=no, supplier_id=sid, status="credited" if credited else "rejected",
                           created_at=at(11, 1, 0), answered_at=answered, credited_minor=credited,
                           credit_note_no=f"CN-{no}" if credited else None))
    m = analytics.money(ctx, w.manager, NOV)
    # RTV-2 was answered on Dec 1 in Shanghai; RTV-3 credited nothing.
    assert (m.recovered_from_vendors_minor, m.vendor_credit_notes) == (12000, 1)
    assert m.net_cost_minor == 61230 - 5000 - 12000 and m.cost_per_return_minor == (61230 - 5000 - 12000) // 2
    columns, rows = analytics.report_table(ctx, w.manager, "money", NOV)
    assert ("recovered", "vendor_credit_notes", 1, 12000) in rows


def test_stage_targets_are_saved_and_judge_the_ageing(ctx, analytics_world):
    w = analytics_world
    defaults = {t.stage: (t.hours, t.set_by) for t in analytics.get_stage_targets(ctx, w.manager)}
    assert defaults["requested"] == (24, None) and defaults["authorized"] == (14 * 24, None)
    assert "refunded" not in defaults  # only stages an open return waits in
    # R3 has waited in authorized since Oct 31 18:30 (a month); R4 in requested since Nov 30 16:10 (7 h 50).
    saved = analytics.set_stage_targets(ctx, w.manager, {"requested": 4, "authorized": 24 * 40})
    by_stage = {t.stage: t for t in saved}
    assert (by_stage["requested"].hours, by_stage["requested"].default_hours) == (4, 24)
    assert by_stage["requested"].set_by == w.manager.display_name
    report = analytics.cycle_times(ctx, w.manager, NOV)
    ageing = {a.stage: (a.target_hours, a.over_target, a.over_double) for a in report.ageing}
    assert ageing["requested"] == (4, 1, 0) and ageing["authorized"] == (24 * 40, 0, 0)
    assert report.bottleneck == "requested"
    # A target given with the read still overrides the saved one for that read alone.
    once = analytics.cycle_times(ctx, w.manager, NOV, targets={"requested": 24})
    assert {a.stage: a.over_target for a in once.ageing}["requested"] == 0
    with ctx.db.read() as s:
        assert dict(s.execute(select(StageTarget.stage, StageTarget.hours)).all()) == {
            "requested": 4, "authorized": 960}
        assert s.execute(select(AuditEvent.action).where(AuditEvent.entity == "stage_targets")).scalars().all() == [
            "set_targets"]
    with pytest.raises(ValidationFailed, match="not a stage an open return"):
        analytics.set_stage_targets(ctx, w.manager, {"refunded": 4})
    with pytest.raises(ValidationFailed, match="whole number of hours"):
        analytics.set_stage_targets(ctx, w.manager, {"requested": 0})
    with pytest.raises(PermissionDenied):
        analytics.set_stage_targets(ctx, w.supervisor, {"requested": 8})


def test_cycle_trend_by_week_and_by_day(ctx, analytics_world):
    w = analytics_world
    trend = analytics.cycle_trend(ctx, w.manager, NOV, "week")
    assert trend.buckets == (date(2026, 11, 1), date(2026, 11, 8), date(2026, 11, 15), date(2026, 11, 22),
                             date(2026, 11, 29))
    points = {(p.stage, p.bucket_start): (p.returns, p.mean_seconds, p.p50_seconds) for p in trend.points}
    # Requested: R1 2 h, R2 20 + 20 min (it went back to requested), R3 2 h; all begun in the first week.
    assert points[("requested", date(2026, 11, 1))] == (3, (7200 + 2400 + 7200) // 3, 7200)
    assert points[("authorized", date(2026, 11, 1))] == (2, (86400 + 14400) // 2, 14400)
    assert points[("received", date(2026, 11, 1))] == (2, 9000, 3600)
    assert {p.bucket_start for p in trend.points} == {date(2026, 11, 1)}
    days = analytics.cycle_trend(ctx, w.manager, NOV, "day")
    assert len(days.buckets) == 30
    by_day = {(p.stage, p.bucket_start): p.returns for p in days.points}
    # R3 was requested at 00:30 on Nov 1 in Shanghai; R1 received on Nov 4 at 10:00 there.
    assert by_day[("requested", date(2026, 11, 1))] == 1
    assert by_day[("received", date(2026, 11, 4))] == 1 and by_day[("received", date(2026, 11, 6))] == 1
    with pytest.raises(ValidationFailed, match="not a trend bucket"):
        analytics.cycle_trend(ctx, w.manager, NOV, "month")


def test_returns_behind_a_customer(ctx, analytics_world):
    from dataclasses import replace

    rma = analytics_world.rma
    page = analytics.returns_behind(ctx, analytics_world.manager, replace(NOV, customer="C-1"))
    assert [r.rma_no for r in page.items] == [rma["R2"], rma["R1"]]
    assert analytics.reason_pareto(ctx, analytics_world.manager, replace(NOV, customer="C-2")).units == 2
