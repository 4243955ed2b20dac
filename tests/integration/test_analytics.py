"""The analytics' figures against values worked out by hand on a small known data set
(tests/integration/analytics_support.py), on both databases."""

from __future__ import annotations

from datetime import date

import pytest

from returndesk.domain.analytics import RiskThresholds
from returndesk.domain.errors import PermissionDenied, ValidationFailed
from returndesk.services.usecases import analytics
from returndesk.services.usecases.analytics import ReportFilter

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
