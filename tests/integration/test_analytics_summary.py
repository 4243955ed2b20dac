"""The analytics summaries follow the data: what changes after a refresh shows up after the next
one (a dashboard read refreshes first), and an incremental refresh leaves the same rows as summing
everything again. The data set is tests/integration/analytics_support.py (Shanghai, UTC+8)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select, update

from returndesk.domain.analytics import ACTION_ENTERS
from returndesk.services.tx import summaries
from returndesk.services.usecases import analytics
from returndesk.services.usecases.analytics import ReportFilter
from returndesk.store.schema import (
    AnalyticsCreatedHour,
    AnalyticsInspectionHour,
    AnalyticsMoveHour,
    AnalyticsRefundHour,
    AnalyticsReturnedHour,
    AnalyticsSoldHour,
    AnalyticsStay,
    AuditEvent,
    Refund,
    Return,
    ReturnPolicy,
    StockLocation,
    StockMovement,
)

from tests.integration import analytics_support
from tests.integration.analytics_support import _order, _return, at

pytestmark = pytest.mark.both_databases("hours cut in SQL, window functions and locks differ by dialect")

NOV = ReportFilter(date(2026, 11, 1), date(2026, 11, 30), site="SH01")
DEC = ReportFilter(date(2026, 12, 1), date(2026, 12, 31), site="SH01")
TABLES = (AnalyticsCreatedHour, AnalyticsSoldHour, AnalyticsReturnedHour, AnalyticsRefundHour, AnalyticsMoveHour,
          AnalyticsInspectionHour)


def _event(s, rma, action, when, seq=None):
    analytics_support._seq += 1
    entered = ACTION_ENTERS.get(action)
    n = analytics_support._seq
    s.add(AuditEvent(seq=n, occurred_at=when, entity="return", entity_id=rma, action=action,
                     after_json=json.dumps({"status": entered.value}) if entered else None,
                     prev_hash="0" * 64, hash=f"{n:064d}"))


def _new_return(ctx, w, rma, created, reason="damaged_in_transit"):
    """A return of one unit of AP-2001 on a new store sale, requested at ``created`` (UTC)."""
    with ctx.db.write() as s:
        pid = s.execute(select(ReturnPolicy.id).order_by(ReturnPolicy.version.desc()).limit(1)).scalar_one()
        order_id, (line_id,) = _order(s, w.world, f"O-{rma}", "store", w.world.customer_id, created,
                                      [("AP-2001", 1, 7900)])
        _return(s, w.world, rma, order_id, w.world.customer_id, line_id, "AP-2001", 1, reason, "requested",
                created, created, policy_id=pid)
        _event(s, rma, "submit", created)


def _rows(ctx):
    """Every summary's rows without their ids, as sets (the order of insertion does not matter)."""
    out = {}
    with ctx.db.read() as s:
        for table in TABLES:
            cols = [c for c in table.__table__.columns if c.name != "id"]
            out[table.__tablename__] = sorted(tuple(str(v) for v in r) for r in s.execute(select(*cols)).all())
        cols = [c for c in AnalyticsStay.__table__.columns if c.name != "id"]
        out["analytics_stays"] = sorted(tuple(str(v) for v in r) for r in s.execute(select(*cols)).all())
    return out


def test_changes_after_a_refresh_show_after_the_next_across_the_sites_day_boundary(ctx, analytics_world):
    w = analytics_world
    before = analytics.reason_pareto(ctx, w.manager, NOV)
    assert {b.code: b.units for b in before.bars} == {"changed_mind": 5, "defective": 1}
    assert summaries.is_current(ctx.db, now=ctx.now())
    # 23:59 on Nov 30 in Shanghai is in November there; a minute later it is December 1.
    _new_return(ctx, w, "RMA-LAST-NOV", at(11, 30, 15, 59))
    _new_return(ctx, w, "RMA-FIRST-DEC", at(11, 30, 16, 0))
    # R3 (changed mind, still authorized) is cancelled by the customer: it leaves the figures.
    with ctx.db.write() as s:
        s.execute(update(Return).where(Return.rma_no == w.rma["R3"]).values(status="cancelled",
                                                                               status_changed_at=at(11, 20, 0)))
        _event(s, w.rma["R3"], "cancel", at(11, 20, 0))
    assert not summaries.is_current(ctx.db, now=ctx.now())

    after = analytics.reason_pareto(ctx, w.manager, NOV)
    assert {b.code: (b.returns, b.units) for b in after.bars} == {
        "changed_mind": (1, 3), "defective": (1, 1), "damaged_in_transit": (1, 1)}
    assert after.returns == 3
    dec = analytics.reason_pareto(ctx, w.manager, DEC)
    # R4 (16:10 on Nov 30 in UTC) and the return of 16:00 are on December 1 in Shanghai.
    assert [(b.code, b.units) for b in dec.bars] == [("damaged_in_transit", 1), ("defective", 1)]
    # The same figures read from the base tables (a product filter reads the lines).
    by_lines = analytics.reason_pareto(ctx, w.manager, replace(NOV, product="AP-2001"))
    assert {b.code: b.units for b in by_lines.bars} == {"changed_mind": 3, "damaged_in_transit": 1}
    # R3's two hours in requested no longer count; its sale's units no longer came back.
    stages = {t.stage: t.returns for t in analytics.cycle_times(ctx, w.manager, NOV).stages}
    assert stages["requested"] == 2
    rates = {r.key: (r.sold_units, r.returned_units) for r in analytics.return_rates(ctx, w.manager, NOV).rows}
    assert rates["AP-2001"] == (10 + 1, 3 + 1 + 1)  # R2, R4 and the new November sale's return


def test_a_return_going_back_a_stage_and_a_new_refund_are_summed_again(ctx, analytics_world):
    w = analytics_world
    analytics.money(ctx, w.manager, NOV)
    # R3 is received, sent back to the customer's question and refunded by cash on Nov 25 (UTC).
    with ctx.db.write() as s:
        r3 = s.execute(select(Return).where(Return.rma_no == w.rma["R3"])).scalar_one()
        r3.status, r3.status_changed_at = "refunded", at(11, 25, 6)
        _event(s, w.rma["R3"], "receive", at(11, 25, 0))
        _event(s, w.rma["R3"], "ask_customer", at(11, 25, 1))
        _event(s, w.rma["R3"], "customer_reply", at(11, 25, 3))
        _event(s, w.rma["R3"], "refund", at(11, 25, 6))
        s.add(Refund(refund_no="RF-3", return_id=r3.id, method="cash", amount_minor=15800,
                     issued_by=w.world.clerk.user_id, issued_at=at(11, 25, 6)))
        loc = dict(s.execute(select(StockLocation.code, StockLocation.id)).all())
        # Received and put back in stock in the transaction of the receive event, at its instant.
        s.add(StockMovement(product_id=w.world.products["AP-2001"], from_location_id=loc["customer"],
                            to_location_id=loc["available"], quantity=2, return_id=r3.id, reason="inspected",
                            created_at=at(11, 25, 0)))
    m = analytics.money(ctx, w.manager, NOV)
    assert [(f.key, f.count) for f in m.goods_by_destination][0] == ("available", 2 + 2)
    assert [(f.key, f.count, f.amount_minor) for f in m.refunded_by_method] == [
        ("cash", 1, 15800), ("original_payment", 1, 39900), ("store_credit", 1, 21330)]
    times = {t.stage: (t.returns, t.max_seconds) for t in analytics.cycle_times(ctx, w.manager, NOV).stages}
    # R3 waited authorized from Oct 31 18:30 to Nov 25 00:00 and in requested 3 h after the reply.
    assert times["authorized"] == (3, (24 * 24 + 5) * 3600 + 1800)
    assert times["waiting_for_customer"] == (2, 2 * 3600)
    # The incremental refresh left exactly what summing everything again gives.
    incremental = _rows(ctx)
    assert summaries.refresh(ctx.db, rebuild=True).rebuilt
    assert _rows(ctx) == incremental


def test_a_refresh_with_nothing_new_changes_nothing(ctx, analytics_world):
    first = summaries.refresh(ctx.db)
    assert first.rebuilt
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(AnalyticsStay)).scalar_one() > 0
    assert not summaries.refresh(ctx.db).changed
    _new_return(ctx, analytics_world, "RMA-ONE-MORE", at(11, 10, 9))
    again = summaries.refresh(ctx.db)
    assert (again.returns, again.sales, again.rebuilt) == (1, 1, False)
