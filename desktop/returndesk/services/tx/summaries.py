"""The analytics summaries: the dashboard's figures per UTC hour, refreshed from a watermark.

No station's transaction writes them. A refresh (before the dashboard reads, by housekeeping, after
the bulk writer) brings them up to date from three watermarks:

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

A summary row of an hour is always the full sum of that hour (deleted and summed again), so a
return that goes back and forth between stages, or a corrected line, leaves no trace of its old
figures. On PostgreSQL an advisory lock keeps two refreshes apart; on SQLite the write
transaction does. Nothing to do costs three index look-ups.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Float, String, and_, case, delete, distinct, func, insert, literal, or_, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from returndesk.domain.analytics import ACTION_ENTERS
from returndesk.domain.types import ReturnStatus
from returndesk.store.engine import Database
from returndesk.store.schema import (
    AnalyticsCreatedHour,
    AnalyticsInspectionHour,
    AnalyticsMoveHour,
    AnalyticsRefundHour,
    AnalyticsReturnedHour,
    AnalyticsSoldHour,
    AnalyticsStay,
    AnalyticsWatermark,
    AuditEvent,
    InspectionUnit,
    Refund,
    Return,
    ReturnLine,
    SalesOrder,
    SalesOrderLine,
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
    stays = select(steps.c.rid, steps.c.stage, steps.c.entered,
                   case((steps.c.left.is_not(None), seconds_between(steps.c.entered, steps.c.left))),
                   steps.c.created, steps.c.site, steps.c.station, steps.c.channel)
    s.execute(insert(AnalyticsStay).from_select(
        ["return_id", "stage", "entered_at", "seconds", "created_at", "order_site", "station", "channel"], stays))


# --------------------------------------------------------------------------- the refresh


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh did: the returns, sales and moves it summed again (all: a rebuild)."""

    returns: int
    sales: int
    moves: int
    rebuilt: bool

    @property
    def changed(self) -> bool:
        return bool(self.returns or self.sales or self.moves or self.rebuilt)


_NOTHING = RefreshResult(0, 0, 0, False)


def _marks(s: Session) -> dict[str, int]:
    return {name: int(value) for name, value in s.execute(select(AnalyticsWatermark.name, AnalyticsWatermark.value))}


def _tops(s: Session) -> dict[str, int]:
    return {
        "audit": int(s.execute(select(func.coalesce(func.max(AuditEvent.seq), 0))).scalar_one()),
        "sales": int(s.execute(select(func.coalesce(func.max(SalesOrder.id), 0))).scalar_one()),
        "moves": int(s.execute(select(func.coalesce(func.max(StockMovement.id), 0))).scalar_one()),
    }


def _behind(marks: dict[str, int], tops: dict[str, int]) -> bool:
    return any(tops[name] != marks.get(name, -1) for name in tops) or len(marks) < len(tops)


def is_current(db: Database) -> bool:
    """True when nothing was written since the last refresh (three index look-ups)."""
    with db.read() as s:
        return not _behind(_marks(s), _tops(s))


def refresh(db: Database, *, now: datetime | None = None, rebuild: bool = False) -> RefreshResult:
    """Bring the summaries up to date (``rebuild``: sum everything again). Cheap when nothing changed."""
    if not rebuild and is_current(db):
        return _NOTHING
    with db.write() as s:
        if not db.is_sqlite:
            s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_KEY})
        return _refresh_in(s, is_pg=not db.is_sqlite, now=now or datetime.now(UTC), rebuild=rebuild)


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
    if not rebuild and not _behind(marks, tops):
        return _NOTHING
    full = rebuild or not marks
    result: RefreshResult
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
        result = RefreshResult(0, 0, 0, True)
    else:
        ids: list[int] = []
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
        for batch in _batches(ids):
            _rebuild_stays(s, batch)
        result = RefreshResult(len(ids), tops["sales"] - marks.get("sales", 0), tops["moves"] - marks.get("moves", 0),
                               False)
    for name, value in tops.items():
        row = s.get(AnalyticsWatermark, name)
        if row is None:
            s.add(AnalyticsWatermark(name=name, value=value, refreshed_at=now))
        else:
            row.value, row.refreshed_at = value, now
    return result


__all__ = ["ADVISORY_KEY", "NOT_COUNTED", "NOT_RETURNED", "RefreshResult", "hour_of", "hour_text", "is_current",
           "refresh", "seconds_between", "whole_hours"]

