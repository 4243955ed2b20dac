"""The analytics summaries: the dashboard's figures per UTC hour and the risk review's per
customer, refreshed from watermarks.

No station's transaction writes them. A refresh (before the dashboard reads, by housekeeping, after
the bulk writer) brings them up to date from these watermarks:

* ``audit`` – the last audit event summed. Every change of a return (its stages, lines, refund,
  inspected units, corrections) appends an event for it, and the chain is appended under one lock
  just before each commit, so sequence numbers become visible in order: the returns named by the
  events after the watermark are exactly the ones changed since. Their hours (created, sold,
  refunded, inspected) are summed again from the base tables, and their stays are rebuilt.
* ``sales`` – the last sales order summed (orders are only ever added, and imported sales carry
  no event per order). On PostgreSQL the refresh takes a SHARE lock on ``sales_orders`` for its few
  statements, so that no insert with a lower id can still be in flight; if an import holds the
  table longer, the sales wait for the next refresh.
* ``moves`` – stock moves are written by the step that made them, in its transaction and at the
  instant of its audit events: the hours of every event after the audit watermark (and the hour
  before each) are summed again, and the hours of moves above the last id summed (moves a bulk
  writer added without events).

* ``risk_from`` / ``risk_until`` – the risk review's window (the last ``RISK_WINDOW_DAYS`` of the
  installation's days) summed per customer: the customers of the returns changed (and of returns
  sharing a serial with them), of sales added, and of returns that left the window when the day
  turned are summed again. The day turning alone makes the summaries stale.

A summary row of an hour is always the full sum of that hour (deleted and summed again), so a
return that goes back and forth between stages, or a corrected line, leaves no trace of its old
figures. On PostgreSQL an advisory lock keeps two refreshes apart; on SQLite the write
transaction does. Nothing to do costs three index look-ups.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    String,
    and_,
    case,
    delete,
    distinct,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from returndesk.domain.analytics import ACTION_ENTERS, RISK_WINDOW_DAYS, RiskThresholds
from returndesk.domain.errors import ValidationFailed
from returndesk.domain.localtime import local_day, start_of_local_day, zone
from returndesk.domain.types import NO_RECEIPT_CHANNEL, ReturnStatus
from returndesk.store.engine import Database
from returndesk.store.schema import (
    AnalyticsCreatedHour,
    AnalyticsDay,
    AnalyticsInspectionHour,
    AnalyticsMoveDay,
    AnalyticsMoveHour,
    AnalyticsRefundDay,
    AnalyticsRefundHour,
    AnalyticsReturnedDay,
    AnalyticsReturnedHour,
    AnalyticsReturnStage,
    AnalyticsRiskCustomer,
    AnalyticsSoldDay,
    AnalyticsSoldHour,
    AnalyticsStageDay,
    AnalyticsStay,
    AnalyticsTrendDay,
    AnalyticsWatermark,
    AuditEvent,
    InspectionUnit,
    Refund,
    Return,
    ReturnLine,
    SalesOrder,
    SalesOrderLine,
    Site,
    StockMovement,
)

#: Returns that never were a customer's return: drafts and those the customer cancelled.
NOT_COUNTED = (ReturnStatus.DRAFT.value, ReturnStatus.CANCELLED.value)
#: ... and for rates, also requests the shop rejected (the goods stayed with the customer).
NOT_RETURNED = (*NOT_COUNTED, ReturnStatus.REJECTED.value, ReturnStatus.EXPIRED.value)
#: The advisory lock key of the refresh on PostgreSQL ("RDANSUMM").
ADVISORY_KEY = 0x5244414E53554D4D
#: Hours or returns summed again per statement.
_BATCH = 500
#: Above this many changed returns the summaries are rebuilt whole (one pass beats many small ones).
_REBUILD_ABOVE = 50_000


# --------------------------------------------------------------------------- SQL pieces


class seconds_between(FunctionElement[float]):
    """Seconds from the first timestamp to the second, in each database's own arithmetic."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    a, b = list(element.clauses)
    return f"((julianday({compiler.process(b, **kw)}) - julianday({compiler.process(a, **kw)})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_pg(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    a, b = list(element.clauses)
    return f"EXTRACT(EPOCH FROM ({compiler.process(b, **kw)} - {compiler.process(a, **kw)}))"


class hour_of(FunctionElement[str]):
    """The UTC hour an instant falls in, as 'YYYY-MM-DD HH' (every site's zone is whole hours from UTC)."""

    type = String()
    inherit_cache = True
    name = "hour_of"


@compiles(hour_of, "sqlite")
def _hour_sqlite(element: hour_of, compiler: SQLCompiler, **kw: Any) -> str:
    (a,) = list(element.clauses)
    return f"strftime('%Y-%m-%d %H', {compiler.process(a, **kw)})"


@compiles(hour_of, "postgresql")
def _hour_pg(element: hour_of, compiler: SQLCompiler, **kw: Any) -> str:
    (a,) = list(element.clauses)
    return f"to_char({compiler.process(a, **kw)} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"


class floor_int(FunctionElement[int]):
    """The whole number at or below a non-negative number."""

    type = Integer()
    inherit_cache = True
    name = "floor_int"


@compiles(floor_int, "sqlite")
def _floor_sqlite(element: floor_int, compiler: SQLCompiler, **kw: Any) -> str:
    (a,) = list(element.clauses)
    return f"CAST(({compiler.process(a, **kw)}) AS INTEGER)"


@compiles(floor_int, "postgresql")
def _floor_pg(element: floor_int, compiler: SQLCompiler, **kw: Any) -> str:
    (a,) = list(element.clauses)
    return f"CAST(FLOOR({compiler.process(a, **kw)}) AS INTEGER)"


#: The stage-time histograms cut each doubling of seconds (1-2 s, 2-4 s, ... up to 2**27 s, about
#: four years) into this many equal buckets: a bucket is at most 1/16 of its lower bound wide.
BUCKETS_PER_OCTAVE = 16
OCTAVES = 27


def stay_bucket(seconds: Any) -> Any:
    """The histogram bucket of a number of seconds (NULL for NULL): 0 below one second, then
    ``1 + 16k + j`` for the j-th sixteenth of [2**k, 2**(k+1)). Larger seconds, larger bucket (never
    smaller), so the value of a rank lies in the bucket where the counts reach that rank."""
    b = BUCKETS_PER_OCTAVE
    whens: list[tuple[Any, Any]] = [(seconds.is_(None), literal(None, Integer())), (seconds < 1, literal(0))]
    for k in range(OCTAVES):
        low = float(2 ** k)
        # Exact in binary floating point: the difference of two close doubles and powers of two.
        whens.append((seconds < 2 * low, 1 + k * b + floor_int((seconds - low) * (b / low))))
    return case(*whens, else_=literal(1 + OCTAVES * b))


def hour_text(instant: datetime) -> str:
    """The UTC hour of ``instant`` as the summaries store it."""
    aware = instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H")


def whole_hours(start: datetime, end: datetime) -> bool:
    """True when a period starts and ends on whole UTC hours (then the summaries add up to it)."""
    return all(t.astimezone(UTC).minute == 0 and t.second == 0 and t.microsecond == 0 for t in (start, end))


def _hour_start(hour: str) -> datetime:
    return datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=UTC)


def _in_hours(column: Any, hours: Sequence[str] | None) -> Any:
    """Rows of ``column`` in the given UTC hours (all rows when None); bounded for the index."""
    if hours is None:
        return literal(True)
    lo = _hour_start(min(hours))
    hi = _hour_start(max(hours)) + timedelta(hours=1)
    return and_(column >= lo, column < hi, hour_of(column).in_(list(hours)))


def _batches(items: Iterable[Any], size: int = _BATCH) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --------------------------------------------------------------------------- summing an hour


def _sum_created(s: Session, hours: Sequence[str] | None) -> None:
    first_line = (
        select(func.min(ReturnLine.line_no)).where(ReturnLine.return_id == Return.id).correlate(Return)
        .scalar_subquery()
    )
    mine = aliased(ReturnLine)
    first_of_reason = select(mine.id).where(mine.return_id == Return.id, mine.line_no == first_line,
                                            mine.reason_code == ReturnLine.reason_code).exists()
    value = SalesOrderLine.paid_minor * ReturnLine.qty_requested // SalesOrderLine.quantity
    hour = hour_of(Return.created_at)
    stmt = (
        select(hour, SalesOrder.site, Return.created_station, SalesOrder.channel, ReturnLine.reason_code,
               func.count(distinct(Return.id)), func.count(distinct(case((first_of_reason, Return.id)))),
               func.sum(ReturnLine.qty_requested), func.sum(value))
        .select_from(ReturnLine)
        .join(Return, Return.id == ReturnLine.return_id)
        .join(SalesOrderLine, SalesOrderLine.id == ReturnLine.order_line_id)
        .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .where(Return.status.not_in(NOT_COUNTED), _in_hours(Return.created_at, hours))
        .group_by(hour, SalesOrder.site, Return.created_station, SalesOrder.channel, ReturnLine.reason_code)
    )
    t = AnalyticsCreatedHour
    s.execute(insert(t).from_select(
        ["hour", "order_site", "station", "channel", "reason_code", "returns", "first_returns", "units",
         "value_minor"], stmt))


def _sum_sold(s: Session, hours: Sequence[str] | None) -> None:
    hour = hour_of(SalesOrder.sold_at)
    stmt = (
        select(hour, SalesOrder.site, SalesOrder.channel, SalesOrderLine.product_id,
               func.sum(SalesOrderLine.quantity), func.sum(SalesOrderLine.paid_minor))
        .select_from(SalesOrderLine)
        .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .where(_in_hours(SalesOrder.sold_at, hours))
        .group_by(hour, SalesOrder.site, SalesOrder.channel, SalesOrderLine.product_id)
    )
    s.execute(insert(AnalyticsSoldHour).from_select(
        ["hour", "site", "channel", "product_id", "units", "value_minor"], stmt))


def _sum_returned(s: Session, hours: Sequence[str] | None) -> None:
    hour = hour_of(SalesOrder.sold_at)
    value = SalesOrderLine.paid_minor * ReturnLine.qty_requested // SalesOrderLine.quantity
    stmt = (
        select(hour, SalesOrder.site, SalesOrder.channel, ReturnLine.product_id,
               func.sum(ReturnLine.qty_requested), func.sum(value))
        .select_from(ReturnLine)
        .join(Return, Return.id == ReturnLine.return_id)
        .join(SalesOrderLine, SalesOrderLine.id == ReturnLine.order_line_id)
        .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .where(Return.status.not_in(NOT_RETURNED), _in_hours(SalesOrder.sold_at, hours))
        .group_by(hour, SalesOrder.site, SalesOrder.channel, ReturnLine.product_id)
    )
    s.execute(insert(AnalyticsReturnedHour).from_select(
        ["hour", "site", "channel", "product_id", "units", "value_minor"], stmt))


def _sum_refunds(s: Session, hours: Sequence[str] | None) -> None:
    hour = hour_of(Refund.issued_at)
    kept = (
        select(ReturnLine.return_id.label("rid"), func.sum(ReturnLine.deduction_minor).label("deductions"),
               func.sum(ReturnLine.fee_minor).label("fees"))
        .group_by(ReturnLine.return_id).subquery("kept")
    )
    stmt = (
        select(hour, SalesOrder.site, Return.created_station, Refund.method, func.count(),
               func.sum(Refund.amount_minor), func.coalesce(func.sum(kept.c.deductions), 0),
               func.coalesce(func.sum(kept.c.fees), 0))
        .select_from(Refund)
        .join(Return, Return.id == Refund.return_id)
        .join(SalesOrder, SalesOrder.id == Return.order_id)
        .outerjoin(kept, kept.c.rid == Refund.return_id)
        .where(_in_hours(Refund.issued_at, hours))
        .group_by(hour, SalesOrder.site, Return.created_station, Refund.method)
    )
    s.execute(insert(AnalyticsRefundHour).from_select(
        ["hour", "order_site", "station", "method", "refunds", "amount_minor", "deductions_minor", "fees_minor"],
        stmt))


def _sum_moves(s: Session, hours: Sequence[str] | None) -> None:
    hour = hour_of(StockMovement.created_at)
    for location, sign in ((StockMovement.to_location_id, 1), (StockMovement.from_location_id, -1)):
        stmt = (
            select(hour, SalesOrder.site, Return.created_station, StockMovement.product_id, location,
                   func.sum(StockMovement.quantity) * sign)
            .select_from(StockMovement)
            .join(Return, Return.id == StockMovement.return_id)
            .join(SalesOrder, SalesOrder.id == Return.order_id)
            .where(StockMovement.return_id.is_not(None), StockMovement.reason.not_like("replacement%"),
                   StockMovement.to_location_id != StockMovement.from_location_id,
                   _in_hours(StockMovement.created_at, hours))
            .group_by(hour, SalesOrder.site, Return.created_station, StockMovement.product_id, location)
        )
        s.execute(insert(AnalyticsMoveHour).from_select(
            ["hour", "order_site", "station", "product_id", "location_id", "units"], stmt))


def _sum_inspections(s: Session, hours: Sequence[str] | None) -> None:
    hour = hour_of(InspectionUnit.inspected_at)
    earlier = aliased(InspectionUnit)

    def first(same: Any) -> Any:
        """The unit is the first of its return (at the station / by the inspector)."""
        before = select(earlier.id).where(
            earlier.return_id == InspectionUnit.return_id, same,
            or_(earlier.inspected_at < InspectionUnit.inspected_at,
                and_(earlier.inspected_at == InspectionUnit.inspected_at, earlier.id < InspectionUnit.id)))
        return func.sum(case((~before.exists(), 1), else_=0))

    stmt = (
        select(hour, InspectionUnit.station, InspectionUnit.inspected_by, func.count(),
               first(earlier.station == InspectionUnit.station),
               first(earlier.inspected_by == InspectionUnit.inspected_by))
        .where(InspectionUnit.inspected_by.is_not(None), InspectionUnit.inspected_at.is_not(None),
               _in_hours(InspectionUnit.inspected_at, hours))
        .group_by(hour, InspectionUnit.station, InspectionUnit.inspected_by)
    )
    s.execute(insert(AnalyticsInspectionHour).from_select(
        ["hour", "station", "inspector_id", "units", "station_returns", "inspector_returns"], stmt))


_HOURLY: dict[str, tuple[Any, Any]] = {
    "created": (AnalyticsCreatedHour, _sum_created),
    "sold": (AnalyticsSoldHour, _sum_sold),
    "returned": (AnalyticsReturnedHour, _sum_returned),
    "refunds": (AnalyticsRefundHour, _sum_refunds),
    "moves": (AnalyticsMoveHour, _sum_moves),
    "inspections": (AnalyticsInspectionHour, _sum_inspections),
}


def _resum(s: Session, kind: str, hours: Iterable[str] | None) -> None:
    """Sum the hours of one summary again (every hour when None)."""
    table, summer = _HOURLY[kind]
    if hours is None:
        s.execute(delete(table))
        summer(s, None)
        return
    for batch in _batches(sorted(set(hours))):
        s.execute(delete(table).where(table.hour.in_(batch)))
        summer(s, batch)


def _rebuild_stays(s: Session, return_ids: Sequence[int] | None) -> None:
    """The stays of the given returns (all when None) from their audit events, again."""
    if return_ids is not None and not return_ids:
        return
    if return_ids is None:
        s.execute(delete(AnalyticsStay))
    else:
        s.execute(delete(AnalyticsStay).where(AnalyticsStay.return_id.in_(list(return_ids))))
    stage = case(ACTION_ENTERS, value=AuditEvent.action)
    steps = (
        select(
            Return.id.label("rid"), stage.label("stage"), AuditEvent.occurred_at.label("entered"),
            func.lead(AuditEvent.occurred_at).over(partition_by=AuditEvent.entity_id,
                                                   order_by=AuditEvent.seq).label("left"),
            Return.created_at.label("created"), SalesOrder.site.label("site"),
            Return.created_station.label("station"), SalesOrder.channel.label("channel"),
        )
        .select_from(Return)
        .join(AuditEvent, and_(AuditEvent.entity == "return", AuditEvent.entity_id == Return.rma_no))
        .join(SalesOrder, SalesOrder.id == Return.order_id)
        .where(AuditEvent.action.in_(list(ACTION_ENTERS)), Return.status.not_in(NOT_COUNTED),
               Return.id.in_(list(return_ids)) if return_ids is not None else literal(True))
        .subquery("steps")
    )
    timed = select(steps.c.rid, steps.c.stage, steps.c.entered,
                   case((steps.c.left.is_not(None), seconds_between(steps.c.entered, steps.c.left))).label("secs"),
                   steps.c.created, steps.c.site, steps.c.station, steps.c.channel).subquery("timed")
    # A return in a stage more than once is summed per return when read (bucket -1); one stay, its bucket.
    ended = func.count(timed.c.secs).over(partition_by=(timed.c.rid, timed.c.stage))
    bucket = case((timed.c.secs.is_(None), literal(None, Integer())), (ended > 1, literal(-1)),
                  else_=stay_bucket(timed.c.secs))
    stays = select(timed.c.rid, timed.c.stage, timed.c.entered, timed.c.secs, timed.c.created, timed.c.site,
                   timed.c.station, timed.c.channel, bucket)
    s.execute(insert(AnalyticsStay).from_select(
        ["return_id", "stage", "entered_at", "seconds", "created_at", "order_site", "station", "channel", "bucket"],
        stays))


def _fill_stay_buckets(s: Session) -> None:
    """The buckets of stays summed before they had one (a database upgraded with the day roll-ups):
    each by its seconds, then -1 for the returns in a stage more than once (by the returns' stage
    sums, which must be current; one set lookup, no statement per stay)."""
    t = AnalyticsStay
    r = AnalyticsReturnStage
    s.execute(update(t).where(t.bucket.is_(None), t.seconds.is_not(None)).values(bucket=stay_bucket(t.seconds)))
    s.execute(update(t).where(t.seconds.is_not(None), t.bucket >= 0,
                              tuple_(t.return_id, t.stage).in_(select(r.return_id, r.stage).where(r.stays > 1)))
              .values(bucket=-1))


def _rebuild_return_stages(s: Session, return_ids: Sequence[int] | None) -> None:
    """Per return and stage its ended stays summed, again, for the given returns (all when None)."""
    if return_ids is not None and not return_ids:
        return
    r = AnalyticsReturnStage
    t = AnalyticsStay
    if return_ids is None:
        s.execute(delete(r))
    else:
        s.execute(delete(r).where(r.return_id.in_(list(return_ids))))
    secs = func.sum(t.seconds)
    stmt = (
        select(t.return_id, t.stage, func.count(), secs, stay_bucket(secs), func.min(t.created_at),
               func.min(t.order_site), func.min(t.station), func.min(t.channel))
        .where(t.seconds.is_not(None), t.return_id.in_(list(return_ids)) if return_ids is not None else literal(True))
        .group_by(t.return_id, t.stage)
    )
    s.execute(insert(r).from_select(
        ["return_id", "stage", "stays", "seconds", "bucket", "created_at", "order_site", "station", "channel"], stmt))


# --------------------------------------------------------------------------- the risk review's window

#: The watermarks of the risk review's window: the UTC instant (epoch seconds) its first day began,
#: and the one at which the installation's next day begins (the window then moves a day).
RISK_FROM, RISK_UNTIL = "risk_from", "risk_until"
#: The audit action of a unit taken back off a return (its serial goes with it).
UNIT_UNDONE = "unit_undone"
#: Above this many customers to sum again, the window is summed whole.
_RISK_REBUILD_ABOVE = 20_000


def risk_window(now: datetime, where: tzinfo) -> tuple[datetime, datetime]:
    """The risk review's window at ``now``: the start of the first of its installation's days, and the
    start of tomorrow."""
    today = local_day(now, where)
    assert today is not None
    return (start_of_local_day(today - timedelta(days=RISK_WINDOW_DAYS - 1), where),
            start_of_local_day(today + timedelta(days=1), where))


def epoch(instant: datetime) -> int:
    """Whole seconds since 1970 of an instant (naive values are UTC)."""
    return int(_aware(instant).timestamp())


def risk_figures(start: datetime, end: datetime | None, *, high_value_minor: int, where: Sequence[Any] = (),
                 customers: Sequence[int] | None = None) -> Any:
    """Per customer with returns created from ``start`` (to ``end``; to now when None), drafts and
    cancelled returns left out, narrowed by ``where`` (conditions on the return) and to ``customers``:
    ``cid``, ``returns``, ``units`` (requested), ``units_bought`` (ever), ``high_value_d`` (units
    graded D whose line's value per unit is at least ``high_value_minor``), ``serials_seen_before``
    (serials already inspected on another return) and ``no_receipt`` (returns without a receipt).
    Each figure is one grouped pass over the period's returns; none is counted per customer."""
    conds = [Return.created_at >= start, Return.status.not_in(NOT_COUNTED), Return.customer_id.is_not(None), *where]
    if end is not None:
        conds.append(Return.created_at < end)
    if customers is not None:
        conds.append(Return.customer_id.in_(list(customers)))
    in_period = and_(*conds)
    counts = (
        select(Return.customer_id.label("cid"), func.count(distinct(Return.id)).label("returns"),
               func.sum(ReturnLine.qty_requested).label("units"))
        .join(ReturnLine, ReturnLine.return_id == Return.id)
        .where(in_period).group_by(Return.customer_id).subquery("counts")
    )
    buyers = (SalesOrder.customer_id.in_(list(customers)) if customers is not None
              else SalesOrder.customer_id.in_(select(counts.c.cid)))
    bought = (
        select(SalesOrder.customer_id.label("cid"), func.sum(SalesOrderLine.quantity).label("n"))
        .select_from(SalesOrderLine).join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .where(buyers).group_by(SalesOrder.customer_id).subquery("bought")
    )
    unit_value = SalesOrderLine.paid_minor // SalesOrderLine.quantity
    grade_d = (
        select(Return.customer_id.label("cid"), func.count().label("n")).select_from(InspectionUnit)
        .join(Return, Return.id == InspectionUnit.return_id)
        .join(ReturnLine, ReturnLine.id == InspectionUnit.return_line_id)
        .join(SalesOrderLine, SalesOrderLine.id == ReturnLine.order_line_id)
        .where(in_period, InspectionUnit.grade == "D", unit_value >= high_value_minor)
        .group_by(Return.customer_id).subquery("grade_d")
    )
    no_receipt = (
        select(Return.customer_id.label("cid"), func.count(distinct(Return.id)).label("n")).select_from(Return)
        .join(SalesOrder, SalesOrder.id == Return.order_id)
        .where(in_period, SalesOrder.channel == NO_RECEIPT_CHANNEL)
        .group_by(Return.customer_id).subquery("no_receipt")
    )
    earlier = InspectionUnit.__table__.alias("earlier")
    serials = (
        select(Return.customer_id.label("cid"), func.count(distinct(InspectionUnit.serial_no)).label("n"))
        .select_from(InspectionUnit)
        .join(Return, Return.id == InspectionUnit.return_id)
        .where(in_period, InspectionUnit.serial_no.is_not(None),
               select(earlier.c.id).where(earlier.c.serial_no == InspectionUnit.serial_no,
                                          earlier.c.return_id != InspectionUnit.return_id,
                                          earlier.c.inspected_at < InspectionUnit.inspected_at).exists())
        .group_by(Return.customer_id).subquery("serials")
    )
    return (
        select(counts.c.cid, counts.c.returns.label("returns"), counts.c.units.label("units"),
               func.coalesce(bought.c.n, 0).label("units_bought"), func.coalesce(grade_d.c.n, 0).label("high_value_d"),
               func.coalesce(serials.c.n, 0).label("serials_seen_before"),
               func.coalesce(no_receipt.c.n, 0).label("no_receipt"))
        .select_from(counts)
        .outerjoin(bought, bought.c.cid == counts.c.cid)
        .outerjoin(grade_d, grade_d.c.cid == counts.c.cid)
        .outerjoin(serials, serials.c.cid == counts.c.cid)
        .outerjoin(no_receipt, no_receipt.c.cid == counts.c.cid)
    )


_RISK_COLUMNS = ["customer_id", "returns", "units", "units_bought", "high_value_d", "serials_seen_before", "no_receipt"]


def _sum_risk(s: Session, start: datetime, customers: Sequence[int] | None) -> None:
    """The window's figures of the given customers (all when None) summed again from the returns."""
    r = AnalyticsRiskCustomer
    high_value = RiskThresholds().high_value_minor
    if customers is None:
        s.execute(delete(r))
        s.execute(insert(r).from_select(_RISK_COLUMNS, risk_figures(start, None, high_value_minor=high_value)))
        return
    for batch in _batches(sorted(set(customers))):
        s.execute(delete(r).where(r.customer_id.in_(batch)))
        s.execute(insert(r).from_select(_RISK_COLUMNS, risk_figures(start, None, high_value_minor=high_value,
                                                                     customers=batch)))


def _ids(s: Session, stmt: Any) -> set[int]:
    return {int(v) for v in s.execute(stmt).scalars() if v is not None}


def _risk_customers(s: Session, return_ids: Sequence[int], marks: dict[str, int], tops: dict[str, int],
                    old_start: datetime, start: datetime) -> set[int] | None:
    """The customers whose window figures may have changed since the last refresh (None: too many,
    sum the window whole): those of the returns changed, of returns sharing a serial with one of
    their units, of returns that left or entered the window as it moved, listed customers who
    bought since, and, when a unit was taken back, listed customers with serials seen before."""
    found: set[int] = set()
    for batch in _batches(return_ids):
        found |= _ids(s, select(Return.customer_id).distinct().where(
            Return.id.in_(batch), Return.customer_id.is_not(None)))
        serials = select(InspectionUnit.serial_no).where(InspectionUnit.return_id.in_(batch),
                                                         InspectionUnit.serial_no.is_not(None))
        found |= _ids(s, select(Return.customer_id).distinct().select_from(InspectionUnit)
                      .join(Return, Return.id == InspectionUnit.return_id)
                      .where(InspectionUnit.serial_no.in_(serials), Return.customer_id.is_not(None)))
        if len(found) > _RISK_REBUILD_ABOVE:
            return None
    # A unit taken back takes its serial with it: whoever returned that serial later may no longer
    # have seen it before. Only listed customers with such a count can have changed.
    undone = s.execute(select(AuditEvent.seq).where(
        AuditEvent.seq > marks.get("audit", 0), AuditEvent.seq <= tops["audit"], AuditEvent.entity == "return",
        AuditEvent.action == UNIT_UNDONE).limit(1)).first()
    if undone is not None:
        found |= _ids(s, select(AnalyticsRiskCustomer.customer_id).where(AnalyticsRiskCustomer.serials_seen_before > 0))
    if old_start != start:
        low, high = min(old_start, start), max(old_start, start)
        found |= _ids(s, select(Return.customer_id).distinct().where(
            Return.created_at >= low, Return.created_at < high, Return.customer_id.is_not(None)))
    found |= _ids(s, select(SalesOrder.customer_id).distinct().where(
        SalesOrder.id > marks.get("sales", 0), SalesOrder.id <= tops["sales"],
        SalesOrder.customer_id.in_(select(AnalyticsRiskCustomer.customer_id))))
    return None if len(found) > _RISK_REBUILD_ABOVE else found


def _refresh_risk(s: Session, *, is_pg: bool, marks: dict[str, int], tops: dict[str, int], now: datetime,
                  where: tzinfo, return_ids: Sequence[int] | None) -> tuple[int, dict[str, int]]:
    """Bring the risk review's window up to ``now`` (``return_ids`` None: sum it whole). The number of
    customers summed again (-1: all) and the window's watermarks."""
    start, until = risk_window(now, where)
    customers: set[int] | None = None
    if return_ids is not None and RISK_FROM in marks:
        old_start = datetime.fromtimestamp(marks[RISK_FROM], UTC)
        customers = _risk_customers(s, return_ids, marks, tops, old_start, start)
    if customers is None:
        if is_pg:
            s.execute(text("SET LOCAL statement_timeout = 0"))
        _sum_risk(s, start, None)
    elif customers:
        _sum_risk(s, start, sorted(customers))
    return (-1 if customers is None else len(customers)), {RISK_FROM: epoch(start), RISK_UNTIL: epoch(until)}


# --------------------------------------------------------------------------- the day roll-ups

#: Each day table: its hourly source, the columns it keeps and the ones it sums.
_ROLLUPS: tuple[tuple[Any, Any, tuple[str, ...], tuple[str, ...]], ...] = (
    (AnalyticsSoldHour, AnalyticsSoldDay, ("site", "channel", "product_id"), ("units", "value_minor")),
    (AnalyticsReturnedHour, AnalyticsReturnedDay, ("site", "channel", "product_id"), ("units", "value_minor")),
    (AnalyticsRefundHour, AnalyticsRefundDay, ("order_site", "station", "method"),
     ("refunds", "amount_minor", "deductions_minor", "fees_minor")),
    (AnalyticsMoveHour, AnalyticsMoveDay, ("order_site", "station", "product_id", "location_id"), ("units",)),
)
_DAY_TABLES = (AnalyticsSoldDay, AnalyticsReturnedDay, AnalyticsRefundDay, AnalyticsMoveDay, AnalyticsStageDay,
               AnalyticsTrendDay)
#: The installation's row of ``sites`` (its zone is the roll-ups' calendar).
_INSTALLATION = "*"


def day_zone(s: Session) -> tzinfo:
    """The zone whose calendar days the roll-ups sum: the installation's (UTC when none is set)."""
    name = s.execute(select(Site.time_zone).where(Site.code == _INSTALLATION)).scalar()
    try:
        return zone(name)
    except ValidationFailed:
        return UTC


def _day_bounds(day: date, where: tzinfo) -> tuple[str, str] | None:
    """The first UTC hour of a calendar day and the first after it (None: a day not of whole hours)."""
    start, end = start_of_local_day(day, where), start_of_local_day(day + timedelta(days=1), where)
    if not whole_hours(start, end):
        return None
    return hour_text(start), hour_text(end)


def _days_of(hours: Iterable[str], where: tzinfo) -> set[date]:
    out: set[date] = set()
    for h in hours:
        d = local_day(_hour_start(h), where)
        if d is not None:
            out.add(d)
    return out


def _extend_calendar(s: Session, days: set[date], where: tzinfo) -> list[tuple[str, str, str]]:
    """Add the given days (and any between them and the calendar) to the calendar; the rows of
    the given days as (day, first hour, end hour). Empty when the zone's days are not whole hours."""
    if not days:
        return []
    known = {d for (d,) in s.execute(select(AnalyticsDay.day)).all()}
    lo, hi = min(days), max(days)
    if known:
        lo = min(lo, date.fromisoformat(min(known)))
        hi = max(hi, date.fromisoformat(max(known)))
    out = []
    d = lo
    while d <= hi:
        bounds = _day_bounds(d, where)
        if bounds is None:
            return []
        if d.isoformat() not in known:
            s.add(AnalyticsDay(day=d.isoformat(), first_hour=bounds[0], end_hour=bounds[1]))
        if d in days:
            out.append((d.isoformat(), bounds[0], bounds[1]))
        d += timedelta(days=1)
    s.flush()
    return out


def _roll_day(s: Session, day: str, first_hour: str, end_hour: str) -> None:
    """Sum one calendar day again: the day tables from the hourly ones, the histograms from the
    returns' stage sums (by creation) and from the single stays (by the day they began)."""
    label = literal(day, String(10))
    for hourly, daily, keys, sums in _ROLLUPS:
        s.execute(delete(daily).where(daily.day == day))
        cols = [getattr(hourly, k) for k in keys]
        stmt = (select(label, *cols, *[func.sum(getattr(hourly, c)) for c in sums])
                .where(hourly.hour >= first_hour, hourly.hour < end_hour).group_by(*cols))
        s.execute(insert(daily).from_select(["day", *keys, *sums], stmt))
    lo, hi = _hour_start(first_hour), _hour_start(end_hour)
    r = AnalyticsReturnStage
    s.execute(delete(AnalyticsStageDay).where(AnalyticsStageDay.day == day))
    s.execute(insert(AnalyticsStageDay).from_select(
        ["day", "stage", "bucket", "returns", "seconds", "max_seconds"],
        select(label, r.stage, r.bucket, func.count(), func.sum(r.seconds), func.max(r.seconds))
        .where(r.created_at >= lo, r.created_at < hi).group_by(r.stage, r.bucket)))
    t = AnalyticsStay
    s.execute(delete(AnalyticsTrendDay).where(AnalyticsTrendDay.day == day))
    s.execute(insert(AnalyticsTrendDay).from_select(
        ["day", "stage", "bucket", "stays", "seconds"],
        select(label, t.stage, t.bucket, func.count(), func.sum(t.seconds))
        .where(t.entered_at >= lo, t.entered_at < hi, t.bucket >= 0).group_by(t.stage, t.bucket)))


def _roll_hours(s: Session, hours: set[str], where: tzinfo) -> None:
    for day, first_hour, end_hour in _extend_calendar(s, _days_of(hours, where), where):
        _roll_day(s, day, first_hour, end_hour)


def _rebuild_days(s: Session, where: tzinfo) -> None:
    """Every day of the roll-ups again, on the calendar of ``where`` (from the hourly summaries,
    the stays and the returns' stage sums, which must be current)."""
    s.execute(delete(AnalyticsDay))
    for table in _DAY_TABLES:
        s.execute(delete(table))
    ends: set[str] = set()
    for hourly, _daily, _keys, _sums in _ROLLUPS:
        ends |= {h for h in s.execute(select(func.min(hourly.hour), func.max(hourly.hour))).one() if h}
    for column in (AnalyticsReturnStage.created_at, AnalyticsStay.entered_at):
        ends |= {hour_text(_aware(t)) for t in s.execute(select(func.min(column), func.max(column))).one() if t}
    days = _days_of(ends, where)
    if not days:
        return
    lo, hi = min(days), max(days)
    every = {lo + timedelta(days=i) for i in range((hi - lo).days + 1)}
    for day, first_hour, end_hour in _extend_calendar(s, every, where):
        _roll_day(s, day, first_hour, end_hour)


def _calendar_fits(s: Session, where: tzinfo) -> bool:
    """True when the calendar's days are those of ``where`` (else the installation's zone changed)."""
    for day, first_hour, end_hour in s.execute(select(AnalyticsDay.day, AnalyticsDay.first_hour,
                                                      AnalyticsDay.end_hour)).all():
        if _day_bounds(date.fromisoformat(day), where) != (first_hour, end_hour):
            return False
    return True


def _aware(instant: datetime) -> datetime:
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


@dataclass(frozen=True)
class DayCover:
    """How a period of whole hours reads the roll-ups: the calendar days wholly inside it (first and
    last, None when none) and the stretches before and after them, read from the hourly summaries."""

    first_day: str | None
    last_day: str | None
    edges: tuple[tuple[datetime, datetime], ...]


def day_cover(s: Session, start: datetime, end: datetime) -> DayCover:
    """The calendar days inside ``[start, end)`` and the hours left over at either end."""
    lo, hi = hour_text(start), hour_text(end)
    rows = s.execute(
        select(AnalyticsDay.day, AnalyticsDay.first_hour, AnalyticsDay.end_hour)
        .where(AnalyticsDay.first_hour >= lo, AnalyticsDay.end_hour <= hi).order_by(AnalyticsDay.day)).all()
    if not rows:
        return DayCover(None, None, ((start, end),))
    covered_from, covered_to = _hour_start(rows[0][1]), _hour_start(rows[-1][2])
    edges = tuple((a, b) for a, b in ((start, covered_from), (covered_to, end)) if a < b)
    return DayCover(rows[0][0], rows[-1][0], edges)


def calendar(s: Session, start: datetime, end: datetime) -> dict[str, str]:
    """The calendar's days inside ``[start, end)``: first UTC hour -> day."""
    return {first: day for day, first in s.execute(
        select(AnalyticsDay.day, AnalyticsDay.first_hour)
        .where(AnalyticsDay.first_hour >= hour_text(start), AnalyticsDay.end_hour <= hour_text(end))).all()}


# --------------------------------------------------------------------------- the refresh


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh did: the returns, sales and moves it summed again (all: a rebuild), and the
    customers whose risk figures it summed again (-1: the whole window)."""

    returns: int
    sales: int
    moves: int
    rebuilt: bool
    risk_customers: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.returns or self.sales or self.moves or self.rebuilt or self.risk_customers)


_NOTHING = RefreshResult(0, 0, 0, False)


def _marks(s: Session) -> dict[str, int]:
    return {name: int(value) for name, value in s.execute(select(AnalyticsWatermark.name, AnalyticsWatermark.value))}


def _tops(s: Session) -> dict[str, int]:
    return {
        "audit": int(s.execute(select(func.coalesce(func.max(AuditEvent.seq), 0))).scalar_one()),
        "sales": int(s.execute(select(func.coalesce(func.max(SalesOrder.id), 0))).scalar_one()),
        "moves": int(s.execute(select(func.coalesce(func.max(StockMovement.id), 0))).scalar_one()),
    }


#: The watermark that says the day roll-ups and histograms were built (absent after the upgrade).
_DAYS_MARK = "days"


def _behind(marks: dict[str, int], tops: dict[str, int], now: datetime) -> bool:
    return (any(tops[name] != marks.get(name, -1) for name in tops) or _DAYS_MARK not in marks
            or epoch(now) >= marks.get(RISK_UNTIL, 0))


def is_current(db: Database, *, now: datetime | None = None) -> bool:
    """True when nothing was written since the last refresh and the risk review's window has not
    moved a day since (three index look-ups)."""
    with db.read() as s:
        return not _behind(_marks(s), _tops(s), now or datetime.now(UTC))


def refresh(db: Database, *, now: datetime | None = None, rebuild: bool = False) -> RefreshResult:
    """Bring the summaries up to date (``rebuild``: sum everything again). Cheap when nothing changed."""
    now = now or datetime.now(UTC)
    if not rebuild and is_current(db, now=now):
        return _NOTHING
    with db.write() as s:
        if not db.is_sqlite:
            s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_KEY})
        return _refresh_in(s, is_pg=not db.is_sqlite, now=now, rebuild=rebuild)


def _refresh_in(s: Session, *, is_pg: bool, now: datetime, rebuild: bool) -> RefreshResult:
    marks = _marks(s)
    sales_locked = True
    if is_pg:
        # No insert of a sales order or stock move with a lower id may still be in flight.
        s.execute(text("SAVEPOINT analytics_lock"))
        try:
            s.execute(text("SET LOCAL lock_timeout = '200ms'"))
            s.execute(text("LOCK TABLE sales_orders IN SHARE MODE"))
            s.execute(text("RELEASE SAVEPOINT analytics_lock"))
        except DBAPIError:  # held longer by an import, or a login that may not lock them
            s.execute(text("ROLLBACK TO SAVEPOINT analytics_lock"))
            sales_locked = False
        s.execute(text("SET LOCAL lock_timeout = DEFAULT"))
    tops = _tops(s)
    if not sales_locked:
        tops["sales"] = marks.get("sales", 0)
    if not rebuild and not _behind(marks, tops, now):
        return _NOTHING
    full = rebuild or not marks
    where = day_zone(s)
    days_built = _DAYS_MARK in marks and _calendar_fits(s, where)
    result: RefreshResult
    ids: list[int] = []
    if not full:
        audit_from = marks.get("audit", 0)
        rmas = set(s.execute(
            select(AuditEvent.entity_id).distinct()
            .where(AuditEvent.seq > audit_from, AuditEvent.seq <= tops["audit"], AuditEvent.entity == "return")
        ).scalars())
        full = len(rmas) > _REBUILD_ABOVE
    if full:
        if is_pg:
            # Summing everything (after the upgrade, or on request) takes minutes on a large database:
            # longer than the server login's statement timeout allows a station's statement.
            s.execute(text("SET LOCAL statement_timeout = 0"))
        for kind in _HOURLY:
            _resum(s, kind, None)
        _rebuild_stays(s, None)
        _rebuild_return_stages(s, None)
        _rebuild_days(s, where)
        result = RefreshResult(0, 0, 0, True)
    else:
        for batch in _batches(sorted(rmas)):
            ids += [int(i) for i in s.execute(select(Return.id).where(Return.rma_no.in_(batch))).scalars()]
        hours: dict[str, set[str]] = {kind: set() for kind in _HOURLY}
        for batch in _batches(ids):
            hours["created"] |= set(s.execute(
                select(hour_of(Return.created_at)).distinct().where(Return.id.in_(batch))).scalars())
            hours["returned"] |= set(s.execute(
                select(hour_of(SalesOrder.sold_at)).distinct().select_from(ReturnLine)
                .join(SalesOrderLine, SalesOrderLine.id == ReturnLine.order_line_id)
                .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
                .where(ReturnLine.return_id.in_(batch))).scalars())
            hours["refunds"] |= set(s.execute(
                select(hour_of(Refund.issued_at)).distinct().where(Refund.return_id.in_(batch))).scalars())
            # The hours of all the returns' events too: a unit or refund taken back leaves no row to find.
            event_hours = set(s.execute(
                select(hour_of(AuditEvent.occurred_at)).distinct().select_from(Return)
                .join(AuditEvent, and_(AuditEvent.entity == "return", AuditEvent.entity_id == Return.rma_no))
                .where(Return.id.in_(batch))).scalars())
            hours["refunds"] |= event_hours
            hours["inspections"] |= event_hours
            hours["inspections"] |= set(s.execute(
                select(hour_of(InspectionUnit.inspected_at)).distinct()
                .where(InspectionUnit.return_id.in_(batch), InspectionUnit.inspected_at.is_not(None))).scalars())
        hours["sold"] = set(s.execute(
            select(hour_of(SalesOrder.sold_at)).distinct()
            .where(SalesOrder.id > marks.get("sales", 0), SalesOrder.id <= tops["sales"])).scalars())
        # A stock move is written in the transaction of the step that made it, with its events and
        # at the same instant: the hours of every event since (and the hour before each, for a move
        # stamped a moment before an hour turned), and those of moves added without an event.
        event_hours = set(s.execute(
            select(hour_of(AuditEvent.occurred_at)).distinct()
            .where(AuditEvent.seq > marks.get("audit", 0), AuditEvent.seq <= tops["audit"])).scalars())
        hours["moves"] = event_hours | {hour_text(_hour_start(h) - timedelta(hours=1)) for h in event_hours}
        hours["moves"] |= set(s.execute(
            select(hour_of(StockMovement.created_at)).distinct()
            .where(StockMovement.id > marks.get("moves", 0), StockMovement.id <= tops["moves"])).scalars())
        for kind, changed in hours.items():
            if changed:
                _resum(s, kind, changed)
        stay_hours: set[str] = set()
        for batch in _batches(ids):
            # The days the returns' stays began in, before and after: a stay gone leaves its day to sum again.
            entered = select(hour_of(AnalyticsStay.entered_at)).distinct().where(AnalyticsStay.return_id.in_(batch))
            stay_hours |= set(s.execute(entered).scalars())
            _rebuild_stays(s, batch)
            _rebuild_return_stages(s, batch)
            stay_hours |= set(s.execute(entered).scalars())
        if days_built:
            _roll_hours(s, set().union(*hours.values()) | stay_hours, where)
        result = RefreshResult(len(ids), tops["sales"] - marks.get("sales", 0), tops["moves"] - marks.get("moves", 0),
                               False)
    if not full and not days_built:
        # After the upgrade (or a change of the installation's zone): the roll-ups from what is summed.
        if is_pg:
            s.execute(text("SET LOCAL statement_timeout = 0"))
        if _DAYS_MARK not in marks:
            _rebuild_return_stages(s, None)
            _fill_stay_buckets(s)
        _rebuild_days(s, where)
        result = RefreshResult(result.returns, result.sales, result.moves, True)
    risk_customers, risk_marks = _refresh_risk(s, is_pg=is_pg, marks=marks, tops=tops, now=now, where=where,
                                               return_ids=None if full else ids)
    result = replace(result, risk_customers=risk_customers)
    if is_pg and (full or not days_built):
        # The planner's figures of the tables just filled (the picks and the day sums read by index).
        s.execute(text("ANALYZE analytics_stays, analytics_return_stages, analytics_stage_daily, "
                       "analytics_trend_daily, analytics_days, analytics_risk_customers"))
    elif is_pg and risk_customers < 0:
        s.execute(text("ANALYZE analytics_risk_customers"))
    for name, value in {**tops, _DAYS_MARK: 1, **risk_marks}.items():
        row = s.get(AnalyticsWatermark, name)
        if row is None:
            s.add(AnalyticsWatermark(name=name, value=value, refreshed_at=now))
        else:
            row.value, row.refreshed_at = value, now
    return result


__all__ = ["ADVISORY_KEY", "BUCKETS_PER_OCTAVE", "NOT_COUNTED", "NOT_RETURNED", "RISK_FROM", "RISK_UNTIL", "DayCover",
           "RefreshResult", "calendar", "day_cover", "day_zone", "epoch", "floor_int", "hour_of", "hour_text",
           "is_current", "refresh", "risk_figures", "risk_window",
           "seconds_between", "stay_bucket", "whole_hours"]

