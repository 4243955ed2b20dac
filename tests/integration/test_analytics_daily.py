"""The day roll-ups and the stage-time histograms (migration 0009_analytics_daily) against the
hand-computed data set (tests/integration/analytics_support.py) and against the base tables.

With the installation's zone set to Shanghai the calendar of the roll-ups is Shanghai's: November
there is 30 whole days of it, so rates and money read the day tables and the cycle times and the
trend the histograms, each percentile then picked exactly among the few values of its bucket.
Every figure must equal the one worked out by hand, and the one read from the base tables (the
audit trail) after changes, a refresh, a rebuild and a change of the installation's zone."""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, event, func, literal, select, update

from returndesk.domain.analytics import ACTION_ENTERS
from returndesk.services.tx import summaries
from returndesk.services.usecases import analytics
from returndesk.services.usecases.analytics import ReportFilter
from returndesk.store.schema import (
    AnalyticsDay,
    AnalyticsMoveDay,
    AnalyticsRefundDay,
    AnalyticsReturnedDay,
    AnalyticsReturnStage,
    AnalyticsSoldDay,
    AnalyticsStageDay,
    AnalyticsStay,
    AnalyticsTrendDay,
    AnalyticsWatermark,
    AuditEvent,
    AuditHead,
    Return,
    ReturnPolicy,
    Site,
)

from tests.integration import analytics_support
from tests.integration.analytics_support import _order, _return, at

pytestmark = pytest.mark.both_databases("hours and days cut in SQL, histogram buckets computed by each dialect")

#: November in the installation's days (Shanghai once the installation's row says so).
NOV = ReportFilter(date(2026, 11, 1), date(2026, 11, 30))
H = 3600
DAY_TABLES = (AnalyticsDay, AnalyticsSoldDay, AnalyticsReturnedDay, AnalyticsRefundDay, AnalyticsMoveDay,
              AnalyticsReturnStage, AnalyticsStageDay, AnalyticsTrendDay, AnalyticsStay)


def _installation_zone(ctx, name):
    with ctx.db.write() as s:
        row = s.get(Site, "*")
        if row is None:
            s.add(Site(code="*", name="Installation", kind="store", time_zone=name, created_at=ctx.now()))
        else:
            row.time_zone = name


@pytest.fixture
def shanghai_world(ctx, analytics_world):
    _installation_zone(ctx, "Asia/Shanghai")
    return analytics_world


@contextmanager
def _statements(ctx, with_parameters=False):
    """The statements run inside the block (with their parameters: pairs)."""
    seen: list = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters) if with_parameters else statement)

    event.listen(ctx.db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", before)


def _read(seen, table):
    return any(table in st and st.lstrip().upper().startswith("SELECT") for st in seen)


def _figures(ctx, actor, f):
    """Every figure the roll-ups serve, as plain values."""
    stages = {t.stage: (t.returns, t.mean_seconds, t.p50_seconds, t.p90_seconds, t.max_seconds)
              for t in analytics.cycle_times(ctx, actor, f).stages}
    trend = {bucket: {(p.stage, p.bucket_start): (p.returns, p.mean_seconds, p.p50_seconds)
                      for p in analytics.cycle_trend(ctx, actor, f, bucket).points} for bucket in ("week", "day")}
    # A period of one week is one bucket of the trend.
    week = replace(f, date_from=f.date_from + timedelta(days=4), date_to=f.date_from + timedelta(days=10))
    trend["one"] = {(p.stage, p.bucket_start): (p.returns, p.mean_seconds, p.p50_seconds)
                    for p in analytics.cycle_trend(ctx, actor, week, "week").points}
    rates = {dim: [(r.key, r.sold_units, r.returned_units, r.sold_minor, r.returned_minor, r.past_unit_rate, r.jumped)
                   for r in analytics.return_rates(ctx, actor, f, dim).rows] for dim in ("product", "channel")}
    m = analytics.money(ctx, actor, f)
    money = ([(x.key, x.count, x.amount_minor) for x in m.refunded_by_method], m.deductions_kept_minor,
             m.fees_kept_minor, [(x.key, x.count, x.amount_minor) for x in m.goods_by_destination])
    return stages, trend, rates, money


def _from_base_tables(ctx, actor, f, monkeypatch):
    """The same figures read from the base tables (the audit trail, sales, refunds, moves)."""
    with monkeypatch.context() as patch:
        patch.setattr(analytics, "_fresh", lambda ctx: False)
        return _figures(ctx, actor, f)


def _rows(ctx):
    out = {}
    with ctx.db.read() as s:
        for table in DAY_TABLES:
            cols = [c for c in table.__table__.columns if c.name != "id"]
            out[table.__tablename__] = sorted(tuple(str(v) for v in r) for r in s.execute(select(*cols)).all())
    return out


def test_the_installations_days_read_the_roll_ups_with_the_hand_computed_figures(ctx, shanghai_world):
    w = shanghai_world
    assert summaries.refresh(ctx.db).rebuilt  # the first refresh sums everything; the reads below only read
    with _statements(ctx) as seen:
        report = analytics.cycle_times(ctx, w.manager, NOV)
        trend = analytics.cycle_trend(ctx, w.manager, NOV, "week")
        days = analytics.cycle_trend(ctx, w.manager, NOV, "day")
        rates = analytics.return_rates(ctx, w.manager, NOV, "product")
        m = analytics.money(ctx, w.manager, NOV)
    for table in ("analytics_stage_daily", "analytics_trend_daily", "analytics_sold_daily",
                  "analytics_returned_daily", "analytics_refunds_daily", "analytics_moves_daily"):
        assert _read(seen, table), table
    # Nothing of the hourly rates and money summaries: November is whole days of the calendar.
    assert not any(_read(seen, t) for t in ("analytics_sold_hourly", "analytics_refunds_hourly",
                                            "analytics_moves_hourly"))
    with ctx.db.read() as s:
        start = datetime(2026, 10, 31, 16, tzinfo=UTC)
        cover = summaries.day_cover(s, start, start + timedelta(days=30))
        assert (cover.first_day, cover.last_day, cover.edges) == ("2026-11-01", "2026-11-30", ())
        # O1 was sold at 10:00 on Nov 2 in Shanghai: its day row holds its two lines.
        assert sorted(s.execute(select(AnalyticsSoldDay.units, AnalyticsSoldDay.value_minor)
                                .where(AnalyticsSoldDay.day == "2026-11-02")).all()) == [(2, 79800), (4, 31600)]
        # R2 went back to requested: its two stays there are summed when read (bucket -1), once in its sum.
        stays, seconds = s.execute(select(AnalyticsReturnStage.stays, AnalyticsReturnStage.seconds)
                                   .where(AnalyticsReturnStage.stage == "requested",
                                          AnalyticsReturnStage.stays == 2)).one()
        assert (stays, seconds) == (2, pytest.approx(2400, abs=0.01))
        assert s.execute(select(func.count()).select_from(AnalyticsStay)
                         .where(AnalyticsStay.bucket == -1)).scalar_one() == 2
    got = {t.stage: (t.returns, t.mean_seconds, t.p50_seconds, t.p90_seconds, t.max_seconds) for t in report.stages}
    assert got == {
        "requested": (3, (2 * H + 40 * 60 + 2 * H) // 3, 2 * H, 2 * H, 2 * H),
        "waiting_for_customer": (1, 20 * 60, 20 * 60, 20 * 60, 20 * 60),
        "authorized": (2, 14 * H, 4 * H, 24 * H, 24 * H),
        "received": (2, 5 * H // 2, 1 * H, 4 * H, 4 * H),
        "inspected": (2, H // 2, 0, 1 * H, 1 * H),
        "awaiting_approval": (1, 4 * H, 4 * H, 4 * H, 4 * H),
        "approved": (2, 3 * H // 2, 1 * H, 2 * H, 2 * H),
    }
    points = {(p.stage, p.bucket_start): (p.returns, p.mean_seconds, p.p50_seconds) for p in trend.points}
    assert points[("requested", date(2026, 11, 1))] == (3, (7200 + 2400 + 7200) // 3, 7200)
    assert points[("authorized", date(2026, 11, 1))] == (2, (86400 + 14400) // 2, 14400)
    assert points[("received", date(2026, 11, 1))] == (2, 9000, 3600)
    assert {p.bucket_start for p in trend.points} == {date(2026, 11, 1)}
    by_day = {(p.stage, p.bucket_start): p.returns for p in days.points}
    assert by_day[("requested", date(2026, 11, 1))] == 1
    assert by_day[("received", date(2026, 11, 4))] == 1 and by_day[("received", date(2026, 11, 6))] == 1
    assert [(r.key, r.sold_units, r.returned_units, r.sold_minor, r.returned_minor, r.jumped) for r in rates.rows] == [
        ("AP-2001", 10, 6, 79000, 47400, True), ("EL-1001", 2, 1, 79800, 39900, False)]
    assert [(f.key, f.count, f.amount_minor) for f in m.refunded_by_method] == [
        ("original_payment", 1, 39900), ("store_credit", 1, 21330)]
    assert (m.refunds, m.refunded_minor, m.deductions_kept_minor, m.fees_kept_minor) == (2, 61230, 1580, 790)
    assert [(f.key, f.count, f.amount_minor) for f in m.goods_by_destination] == [
        ("available", 2, 5000), ("refurbish", 1, 2500), ("rtv", 0, 0), ("scrap", 1, 21000)]


def test_a_sites_days_in_another_zone_read_whole_days_and_the_hours_at_either_end(ctx, analytics_world):
    # The installation keeps UTC days; Shanghai's November is 29 of them and 16 + 8 hours.
    _installation_zone(ctx, "UTC")
    w = analytics_world
    sh = ReportFilter(date(2026, 11, 1), date(2026, 11, 30), site="SH01")
    summaries.refresh(ctx.db)
    with _statements(ctx) as seen:
        rates = analytics.return_rates(ctx, w.manager, sh, "product")
        m = analytics.money(ctx, w.manager, sh)
    assert _read(seen, "analytics_sold_daily") and _read(seen, "analytics_sold_hourly")
    assert _read(seen, "analytics_moves_daily") and _read(seen, "analytics_moves_hourly")
    with ctx.db.read() as s:
        start = datetime(2026, 10, 31, 16, tzinfo=UTC)
        cover = summaries.day_cover(s, start, start + timedelta(days=30))
    assert (cover.first_day, cover.last_day) == ("2026-11-01", "2026-11-29")
    assert cover.edges == ((start, datetime(2026, 11, 1, tzinfo=UTC)),
                           (datetime(2026, 11, 30, tzinfo=UTC), datetime(2026, 11, 30, 16, tzinfo=UTC)))
    assert [(r.key, r.sold_units, r.returned_units) for r in rates.rows] == [("AP-2001", 10, 6), ("EL-1001", 2, 1)]
    assert (m.refunds, m.refunded_minor, m.deductions_kept_minor, m.fees_kept_minor) == (2, 61230, 1580, 790)
    assert [(f.key, f.count) for f in m.goods_by_destination] == [
        ("available", 2), ("refurbish", 1), ("rtv", 0), ("scrap", 1)]


@pytest.mark.parametrize("seconds", [0.0, 0.5, 1.0, 1.0625, 1.999, 2.0, 3.0, 59.0, 60.0, 3599.5, 3600.0, 86400.0,
                                     2.0 ** 26 + 1, 2.0 ** 27, 2.0 ** 30])
def test_a_bucket_is_the_sixteenth_of_its_doubling(ctx, seconds):
    with ctx.db.read() as s:
        got = s.execute(select(summaries.stay_bucket(literal(seconds)))).scalar_one()
    if seconds < 1:
        want = 0
    elif seconds >= 2 ** 27:
        want = 1 + 27 * 16
    else:
        k = int(seconds).bit_length() - 1
        want = 1 + 16 * k + int((seconds - 2 ** k) * 16 / 2 ** k)
    assert got == want


def _many_returns(ctx, w, count, prefix="MANY"):
    """``count`` returns of one unit in November (Shanghai), each with its own stays; every third
    asks the customer and goes back to requested; the values crowd into a few buckets."""
    with ctx.db.write() as s:
        pid = s.execute(select(ReturnPolicy.id).order_by(ReturnPolicy.version.desc()).limit(1)).scalar_one()
        for i in range(count):
            created = at(11, 2 + i % 27, (i * 7) % 24, i % 60)
            rma = f"RMA-{prefix}-{i:03d}"
            order_id, (line_id,) = _order(s, w.world, f"O-{prefix}-{i}", "store" if i % 2 else "online",
                                          w.world.customer_id, created - timedelta(days=1), [("AP-2001", 1, 7900)])
            steps = [("submit", created)]
            t = created + timedelta(seconds=3000 + (i * 37) % 900)
            if i % 3 == 0:
                steps += [("ask_customer", t), ("customer_reply", t + timedelta(minutes=5 + i % 11))]
                t += timedelta(minutes=30 + i % 13)
            steps += [("authorize", t)]
            t += timedelta(seconds=7200 + (i * 101) % 3000)
            steps += [("receive", t)]
            t += timedelta(hours=1, seconds=i % 5)
            status = "inspected"
            steps += [("complete_inspection", t)]
            if i % 4:
                t += timedelta(hours=30 + i % 17)
                steps += [("approve", t)]
                status = "approved"
            _return(s, w.world, rma, order_id, w.world.customer_id, line_id, "AP-2001", 1, "changed_mind", status,
                    created, t, policy_id=pid)
            for action, when in steps:
                _event(s, rma, action, when)
        s.execute(update(AuditHead).values(last_seq=analytics_support._seq))


def _event(s, rma, action, when):
    analytics_support._seq += 1
    n = analytics_support._seq
    entered = ACTION_ENTERS.get(action)
    s.add(AuditEvent(seq=n, occurred_at=when, entity="return", entity_id=rma, action=action,
                     after_json=json.dumps({"status": entered.value}) if entered else None,
                     prev_hash="0" * 64, hash=f"{n:064d}"))


def test_percentiles_from_the_histograms_equal_those_ranked_over_the_audit_trail(ctx, shanghai_world, monkeypatch):
    w = shanghai_world
    analytics.cycle_times(ctx, w.manager, NOV)  # summed once; the next read refreshes incrementally
    _many_returns(ctx, w, 60)
    fast = _figures(ctx, w.manager, NOV)
    assert fast == _from_base_tables(ctx, w.manager, NOV, monkeypatch)
    stages = fast[0]
    assert stages["requested"][0] == 3 + 60 and stages["waiting_for_customer"][0] == 1 + 20
    # The histograms hold the sixty and the data set's returns; R2 and every third one repeat requested.
    with ctx.db.read() as s:
        assert s.execute(select(func.sum(AnalyticsStageDay.returns))
                         .where(AnalyticsStageDay.stage == "requested")).scalar_one() == 3 + 60 + 1  # and R4's
        assert s.execute(select(func.count()).select_from(AnalyticsReturnStage)
                         .where(AnalyticsReturnStage.stays > 1)).scalar_one() == 1 + 20


def test_a_refresh_after_changes_and_a_new_zone_keeps_the_roll_ups_exact(ctx, shanghai_world, monkeypatch):
    w = shanghai_world
    _figures(ctx, w.manager, NOV)
    # A return at 23:59 on Nov 30 in Shanghai and one a minute later (December there);
    # R3 goes back to the customer's question and is authorized again.
    _many_returns(ctx, w, 9)
    with ctx.db.write() as s:
        pid = s.execute(select(ReturnPolicy.id).order_by(ReturnPolicy.version.desc()).limit(1)).scalar_one()
        for rma, when in (("RMA-EDGE-NOV", at(11, 30, 15, 59)), ("RMA-EDGE-DEC", at(11, 30, 16, 0))):
            order_id, (line_id,) = _order(s, w.world, f"O-{rma}", "store", w.world.customer_id, when,
                                          [("EL-1001", 1, 39900)])
            _return(s, w.world, rma, order_id, w.world.customer_id, line_id, "EL-1001", 1, "defective", "authorized",
                    when, when + timedelta(hours=3), policy_id=pid)
            _event(s, rma, "submit", when)
            _event(s, rma, "authorize", when + timedelta(hours=3))
        _event(s, w.rma["R3"], "ask_customer", at(11, 10, 0))
        _event(s, w.rma["R3"], "customer_reply", at(11, 10, 2))
        _event(s, w.rma["R3"], "authorize", at(11, 10, 3))
        s.execute(update(Return).where(Return.rma_no == w.rma["R3"]).values(status_changed_at=at(11, 10, 3)))
        s.execute(update(AuditHead).values(last_seq=analytics_support._seq))
    assert not summaries.is_current(ctx.db, now=ctx.now())
    fast = _figures(ctx, w.manager, NOV)
    assert summaries.is_current(ctx.db, now=ctx.now())
    assert fast == _from_base_tables(ctx, w.manager, NOV, monkeypatch)
    # The Nov 30 return is in (Shanghai's last day of November), the Dec 1 one is not.
    assert fast[0]["requested"][0] == 3 + 9 + 1
    rates = dict((k, (sold, back)) for k, sold, back, *_ in fast[2]["product"])
    assert rates["EL-1001"] == (2 + 1, 1 + 1)
    # The incremental refresh left exactly what building everything again gives.
    incremental = _rows(ctx)
    assert summaries.refresh(ctx.db, rebuild=True).rebuilt
    assert _rows(ctx) == incremental
    # The installation moves to UTC: the calendar is built again on its days at the next change.
    _installation_zone(ctx, "UTC")
    _many_returns(ctx, w, 1, prefix="UTC")
    utc = _figures(ctx, w.manager, NOV)
    with ctx.db.read() as s:
        assert s.get(AnalyticsDay, "2026-11-30").first_hour == "2026-11-30 00"
    assert utc == _from_base_tables(ctx, w.manager, NOV, monkeypatch)


def test_after_the_upgrade_the_next_refresh_builds_the_roll_ups_from_the_summaries(ctx, shanghai_world):
    w = shanghai_world
    _many_returns(ctx, w, 12)
    summaries.refresh(ctx.db)
    built = _rows(ctx)
    # As the upgrade leaves a database summed before: stays without buckets, no day tables, no mark.
    with ctx.db.write() as s:
        s.execute(update(AnalyticsStay).values(bucket=None))
        for table in DAY_TABLES[:-1]:
            s.execute(delete(table))
        s.execute(delete(AnalyticsWatermark).where(AnalyticsWatermark.name == "days"))
    assert not summaries.is_current(ctx.db, now=ctx.now())
    again = summaries.refresh(ctx.db)
    assert again.rebuilt and again.returns == 0
    assert _rows(ctx) == built
    assert summaries.is_current(ctx.db, now=ctx.now())


def _same_length_returns(ctx, w, count):
    """``count`` returns of one unit in November (Shanghai) whose every stage lasts as long as in the
    others: each stage's values are one value, the most common case of a stage that takes no time."""
    with ctx.db.write() as s:
        pid = s.execute(select(ReturnPolicy.id).order_by(ReturnPolicy.version.desc()).limit(1)).scalar_one()
        for i in range(count):
            created = at(11, 2 + i % 27, (i * 7) % 24, i % 60)
            rma = f"RMA-SAME-{i:03d}"
            order_id, (line_id,) = _order(s, w.world, f"O-SAME-{i}", "store", w.world.customer_id,
                                          created - timedelta(days=1), [("AP-2001", 1, 7900)])
            steps = [("submit", created), ("authorize", created + timedelta(seconds=3000)),
                     ("receive", created + timedelta(seconds=10200)),
                     ("complete_inspection", created + timedelta(seconds=13800)),
                     ("approve", created + timedelta(seconds=13800))]
            _return(s, w.world, rma, order_id, w.world.customer_id, line_id, "AP-2001", 1, "changed_mind",
                    "approved", created, steps[-1][1], policy_id=pid)
            for action, when in steps:
                _event(s, rma, action, when)
        s.execute(update(AuditHead).values(last_seq=analytics_support._seq))


def test_a_bucket_of_equal_stays_gives_its_percentiles_without_sorting_it(ctx, shanghai_world, monkeypatch):
    w = shanghai_world
    analytics.cycle_times(ctx, w.manager, NOV)
    _same_length_returns(ctx, w, 40)
    analytics.cycle_times(ctx, w.manager, NOV)  # refreshed
    with _statements(ctx, with_parameters=True) as seen:
        stages = {t.stage: t for t in analytics.cycle_times(ctx, w.manager, NOV).stages}
    sorted_stages = {value for st, params in seen if "analytics_return_stages" in st and "OFFSET" in st.upper()
                     for value in (params.values() if isinstance(params, dict) else params)
                     if isinstance(value, str)}
    assert (stages["received"].p50_seconds, stages["received"].p90_seconds) == (3600, 3600)
    assert (stages["authorized"].p50_seconds, stages["authorized"].p90_seconds) == (7200, 7200)
    assert stages["inspected"].p50_seconds == 0
    # The bucket of each of these percentiles held one value: its least and greatest told it, and
    # that bucket was not sorted (without the bounds, all three stages' buckets are).
    assert not {"authorized", "received", "inspected"} & sorted_stages
    assert _figures(ctx, w.manager, NOV) == _from_base_tables(ctx, w.manager, NOV, monkeypatch)
