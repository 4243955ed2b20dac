"""The risk review's window summed per customer (migration 0010_analytics_risk) against figures
worked out by hand on the small data set of tests/integration/analytics_support.py, on both
databases: what the review shows from the summary, as returns change, sales come in and the window
moves a day in the installation's own days.

The installation keeps Asia/Shanghai time. The clock stands at 2026-12-01 00:00 UTC (08:00 on
1 December there), so the review's window is 3 September to 1 December (Shanghai), from
2026-09-02 16:00 UTC. In it:

* C-1 (Li Wei): R1 (1 unit, graded D, worth 399.00, serial SN-1 already seen on R5) and R2
  (3 units): 2 returns, 4 units of the 6 bought (O1): signals rate and serial.
* C-2 (Smith): R3 (2 units), R4 (1 unit), R5 (1 unit, created 5 September 08:00 in Shanghai):
  3 returns, 4 units of the 7 bought (O2, O3): signals count and rate.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import astuple
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import delete, event, select, update

from returndesk.domain.analytics import RISK_WINDOW_DAYS
from returndesk.services.tx import summaries
from returndesk.services.usecases import analytics
from returndesk.services.usecases.analytics import ReportFilter
from returndesk.store.schema import AnalyticsRiskCustomer, AnalyticsWatermark, AuditHead, InspectionUnit, Return

from tests.integration import analytics_support
from tests.integration.analytics_support import _events, _order, at

pytestmark = pytest.mark.both_databases(
    "the window's instants and the grouped counts differ by dialect; the summary is kept by SQL on each")


@pytest.fixture
def shanghai(ctx, analytics_world):
    from tests.integration.test_analytics_daily import _installation_zone

    _installation_zone(ctx, "Asia/Shanghai")
    return analytics_world


def _window(today: date) -> ReportFilter:
    """The review's own period ending ``today``, as the risk screen opens it."""
    return ReportFilter(today - timedelta(days=RISK_WINDOW_DAYS - 1), today)


def _review(ctx, w, f):
    return [(r.code, r.returns, r.units_returned, r.units_bought, r.high_value_d, r.serials_seen_before,
             r.no_receipt, r.watched, r.signals) for r in analytics.risk(ctx, w.manager, f)]


def _from_returns(ctx, w, f, monkeypatch):
    """The same review read from the returns themselves."""
    with monkeypatch.context() as patch:
        patch.setattr(analytics, "_fresh", lambda ctx: False)
        return [astuple(r) for r in analytics.risk(ctx, w.manager, f)]


@contextmanager
def _statements(ctx):
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", before)


def _summary_rows(ctx):
    with ctx.db.read() as s:
        r = AnalyticsRiskCustomer
        return {row[0]: tuple(row[1:]) for row in s.execute(
            select(r.customer_id, r.returns, r.units, r.units_bought, r.high_value_d, r.serials_seen_before,
                   r.no_receipt)).all()}


def _change(ctx, rma, action, statement):
    """``statement`` on the return ``rma`` with its audit event ``action`` (30 November, 20:00 UTC),
    in one transaction, as a use case writes them."""
    with ctx.db.write() as s:
        s.execute(statement)
        _events(s, rma, [(action, at(11, 30, 20))])
        s.execute(update(AuditHead).values(last_seq=analytics_support._seq))


C1 = ("C-1", 2, 4, 6, 0, 1, 0, False, ("rate", "serial"))
C2 = ("C-2", 3, 4, 7, 0, 0, 0, False, ("count", "rate"))


def _codes(ctx, w):
    from returndesk.store.schema import Customer

    with ctx.db.read() as s:
        return {cid: code for cid, code in s.execute(
            select(Customer.id, Customer.code).where(Customer.id.in_([w.world.customer_id, w.world.customer2_id])))}


def test_the_reviews_window_is_read_from_the_summary_with_the_hand_computed_figures(ctx, shanghai, monkeypatch):
    w = shanghai
    f = _window(date(2026, 12, 1))
    assert _codes(ctx, w) == {w.world.customer_id: "C-1", w.world.customer2_id: "C-2"}
    # Most signals first; between two signals each, more returns first.
    assert _review(ctx, w, f) == [C2, C1]
    assert _summary_rows(ctx) == {w.world.customer_id: (2, 4, 6, 0, 1, 0), w.world.customer2_id: (3, 4, 7, 0, 0, 0)}
    with _statements(ctx) as seen:
        assert _review(ctx, w, f) == [C2, C1]
    review = [st for st in seen if "customer_watch" in st]
    assert len(review) == 1 and "analytics_risk_customers" in review[0]
    read_returns = [st for st in seen if re.search(r"\b(FROM|JOIN) returns\b", st.replace('"', ""))]
    assert not read_returns, read_returns  # no return is read
    assert [astuple(r) for r in analytics.risk(ctx, w.manager, f)] == _from_returns(ctx, w, f, monkeypatch)
    # A site, another first day or another value of a high-value unit reads the returns.
    for other in (ReportFilter(f.date_from, f.date_to, site="SH01"), _window(date(2026, 11, 30))):
        with _statements(ctx) as seen:
            analytics.risk(ctx, w.manager, other)
        assert not any("analytics_risk_customers" in st for st in seen)


def test_a_return_leaves_the_window_when_its_day_does_in_the_installations_days(ctx, shanghai, clock, monkeypatch):
    w = shanghai
    # 3 December 23:59 in Shanghai: the window starts on 5 September, the day R5 was created.
    clock.current = at(12, 3, 15, 59)
    assert _review(ctx, w, _window(date(2026, 12, 3))) == [C2, C1]
    # A minute later it is 4 December there: the window starts on 6 September and R5 is out. Nothing
    # was written; the day alone moves the summary.
    clock.current = at(12, 3, 16, 0)
    assert not summaries.is_current(ctx.db, now=ctx.now())
    f = _window(date(2026, 12, 4))
    # C-2: R3 and R4, 3 of 7 units — below the count and the share.
    assert _review(ctx, w, f) == [C1]
    assert _summary_rows(ctx)[w.world.customer2_id] == (2, 3, 7, 0, 0, 0)
    assert summaries.is_current(ctx.db, now=ctx.now())
    assert [astuple(r) for r in analytics.risk(ctx, w.manager, f)] == _from_returns(ctx, w, f, monkeypatch)


def test_changes_and_sales_show_at_the_next_read_and_the_watch_flag_at_once(ctx, shanghai, monkeypatch):
    w = shanghai
    f = _window(date(2026, 12, 1))
    assert _review(ctx, w, f) == [C2, C1]
    # Smith cancels R4 (an event of the return moves the audit watermark).
    _change(ctx, w.rma["R4"], "cancel", update(Return).where(Return.rma_no == w.rma["R4"]).values(status="cancelled"))
    # C-2: R3 and R5, 3 of 7 units.
    assert _review(ctx, w, f) == [C1]
    # Li Wei buys 10 more units (a sale, no event): 4 of 16 is no longer half.
    with ctx.db.write() as s:
        _order(s, w.world, "O9", "online", w.world.customer_id, at(11, 29, 3), [("AP-2001", 10, 79000)])
    assert _review(ctx, w, f) == [("C-1", 2, 4, 16, 0, 1, 0, False, ("serial",))]
    # The watch flag shows at the next read, without waiting for anything.
    analytics.set_customer_watch(ctx, w.supervisor, w.world.customer2_id, True, "Cancels after asking twice")
    assert _review(ctx, w, f) == [("C-1", 2, 4, 16, 0, 1, 0, False, ("serial",)),
                                  ("C-2", 2, 3, 7, 0, 0, 0, True, ("watch",))]
    assert [astuple(r) for r in analytics.risk(ctx, w.manager, f)] == _from_returns(ctx, w, f, monkeypatch)


def test_a_unit_taken_back_clears_the_serial_seen_before_on_another_customers_return(ctx, shanghai, monkeypatch):
    w = shanghai
    f = _window(date(2026, 12, 1))
    assert _review(ctx, w, f) == [C2, C1]
    # R5's unit with SN-1 (Smith's, inspected first) is taken back: Li Wei's SN-1 on R1 was no
    # longer seen before, though nothing of Li Wei's returns changed.
    r5 = select(Return.id).where(Return.rma_no == w.rma["R5"]).scalar_subquery()
    _change(ctx, w.rma["R5"], "unit_undone", delete(InspectionUnit).where(InspectionUnit.return_id == r5))
    assert _review(ctx, w, f) == [C2, ("C-1", 2, 4, 6, 0, 0, 0, False, ("rate",))]
    assert [astuple(r) for r in analytics.risk(ctx, w.manager, f)] == _from_returns(ctx, w, f, monkeypatch)


def test_after_the_upgrade_the_next_refresh_sums_the_window(ctx, shanghai):
    w = shanghai
    f = _window(date(2026, 12, 1))
    assert _review(ctx, w, f) == [C2, C1]
    # As the upgrade leaves a database summed before: no risk rows, no window marks.
    with ctx.db.write() as s:
        s.execute(delete(AnalyticsRiskCustomer))
        s.execute(delete(AnalyticsWatermark).where(
            AnalyticsWatermark.name.in_((summaries.RISK_FROM, summaries.RISK_UNTIL))))
    assert not summaries.is_current(ctx.db, now=ctx.now())
    again = summaries.refresh(ctx.db, now=ctx.now())
    assert again.risk_customers == -1 and again.returns == 0
    assert _summary_rows(ctx) == {w.world.customer_id: (2, 4, 6, 0, 1, 0), w.world.customer2_id: (3, 4, 7, 0, 0, 0)}
    with ctx.db.read() as s:
        marks = {name: value for name, value in s.execute(select(AnalyticsWatermark.name, AnalyticsWatermark.value))}
    assert datetime.fromtimestamp(marks[summaries.RISK_FROM], at(1, 1, 0).tzinfo) == at(9, 2, 16)
    assert datetime.fromtimestamp(marks[summaries.RISK_UNTIL], at(1, 1, 0).tzinfo) == at(12, 1, 16)
    assert _review(ctx, w, f) == [C2, C1]
