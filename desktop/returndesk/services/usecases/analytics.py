"""Analytics: why goods come back, where returns wait, what they cost, and whose returns look odd.

Every figure is summed by the database (grouped queries over indexes); Python only names and
orders the few aggregate rows that come back. A period is a range of calendar days of a site
(``ReportFilter.site``, else the installation's zone): its first instant is the start of the first
day there, its end the start of the day after the last (:mod:`returndesk.domain.localtime`).

* **reasons** – returns created in the period, by reason, most units first (Pareto);
* **rates** – units and value returned of what was sold in the period, by product, category,
  supplier or channel, worst first, with jumps against the period before flagged;
* **cycle times** – time spent per stage by the returns created in the period, read from the
  audit trail (a return that comes back to a stage adds each stay), as count, mean, p50, p90, max;
  open returns' ageing against a target per stage, the stage losing most time now, the returns
  stuck longest; inspection throughput per station and per inspector;
* **money** – refunds issued in the period by method, deductions and restocking fees kept, the
  value at cost of returned units by where they went, the net cost per return;
* **risk** – customers whose returns in the period show a signal (count, rate, grade-D claims of
  high value, serial numbers seen on an earlier return, the watch list); the watch flag itself.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Integer,
    and_,
    case,
    distinct,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from returndesk.domain.analytics import (
    ACTION_ENTERS,
    OPEN_STAGES,
    STAGES,
    DEFAULT_STAGE_TARGET_HOURS,
    TREND_BUCKETS,
    RiskThresholds,
    check_period,
    check_target_hours,
    cumulative_shares,
    previous_period,
    rate,
    rate_jumped,
    risk_signals,
    stage_targets,
    trend_buckets,
)
from returndesk.domain.errors import NotFound, ValidationFailed
from returndesk.domain.localtime import start_of_local_day
from returndesk.domain.permissions import Permission
from returndesk.documents.data import Lang, check_lang
from returndesk.domain.types import Location, RefundMethod, ReturnStatus
from returndesk.store.schema import (
    OPEN_RETURNS_SQL,
    AuditEvent,
    AnalyticsCreatedHour,
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
    Category,
    Customer,
    CustomerWatch,
    InspectionUnit,
    Product,
    Refund,
    Return,
    ReturnLine,
    ReturnReason,
    RtvClaim,
    SalesOrder,
    SalesOrderLine,
    StageTarget,
    Station,
    StockLocation,
    StockMovement,
    Supplier,
    User,
)

from returndesk.services.tx import audit, summaries
from returndesk.services.tx.summaries import hour_of, hour_text, seconds_between, stay_bucket, whole_hours
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.views import Page, ReturnSummary
from returndesk.services.usecases.exporting import _target as atomic_target
from returndesk.services.usecases.sites import zone_for_site
from returndesk.services.usecases.worklists import newest_first
from returndesk.domain.messages import msg

#: Who reads the analytics: supervisors, managers, finance and administrators.
READERS = (Permission.VIEW_QUEUES, Permission.VIEW_FINANCE)
#: The dimensions of return rates.
RATE_DIMENSIONS = ("product", "category", "supplier", "channel")
#: Returns that never were a customer's return: drafts and those the customer cancelled.
_NOT_COUNTED = summaries.NOT_COUNTED
#: ... and for rates, also requests the shop rejected (the goods stayed with the customer).
_NOT_RETURNED = summaries.NOT_RETURNED
_MIN_NOTE = 5


# --------------------------------------------------------------------------- the values


@dataclass(frozen=True)
class ReportFilter:
    """Which returns a figure covers: calendar days of the site (both inclusive) and narrowing."""

    date_from: date
    date_to: date
    site: str | None = None
    station: str | None = None
    category: str | None = None
    product: str | None = None  # SKU
    supplier: str | None = None  # supplier code
    channel: str | None = None  # the sale's channel: store, online, phone
    customer: str | None = None  # customer code (the sale's customer)

    @property
    def narrows(self) -> bool:
        """True when the filter keeps only some returns of the period."""
        return bool(self.site or self.station or self.category or self.product or self.supplier or self.channel
                    or self.customer)


@dataclass(frozen=True)
class ParetoBar:
    code: str
    name_en: str
    name_zh: str
    returns: int
    units: int
    value_minor: int
    share: float  # of all units
    cumulative: float  # running share, most units first


@dataclass(frozen=True)
class ReasonPareto:
    bars: tuple[ParetoBar, ...]
    returns: int
    units: int
    value_minor: int


@dataclass(frozen=True)
class RateRow:
    key: str
    name_en: str
    name_zh: str
    sold_units: int
    returned_units: int
    sold_minor: int
    returned_minor: int
    unit_rate: float | None
    value_rate: float | None
    past_unit_rate: float | None
    jumped: bool


@dataclass(frozen=True)
class RateTable:
    dimension: str
    rows: tuple[RateRow, ...]


@dataclass(frozen=True)
class StageTime:
    stage: str
    returns: int
    mean_seconds: int
    p50_seconds: int
    p90_seconds: int
    max_seconds: int


@dataclass(frozen=True)
class StageAgeing:
    stage: str
    target_hours: int
    open_returns: int
    over_target: int
    over_double: int
    waiting_seconds: int  # all open returns of the stage together, counted to now


@dataclass(frozen=True)
class StuckReturn:
    rma_no: str
    stage: str
    since: datetime
    waiting_seconds: int
    target_hours: int


@dataclass(frozen=True)
class Throughput:
    key: str  # station code or inspector's user name
    name: str
    units: int
    returns: int
    active_hours: int
    units_per_hour: float


@dataclass(frozen=True)
class StageTrendPoint:
    """The stays in a stage that began in one bucket (a day or a week from the period's start)."""

    stage: str
    bucket_start: date  # the bucket's first calendar day of the site
    returns: int
    mean_seconds: int
    p50_seconds: int


@dataclass(frozen=True)
class CycleTrend:
    bucket: str  # "day" | "week"
    buckets: tuple[date, ...]  # every bucket of the period, in order (also those without a stay)
    points: tuple[StageTrendPoint, ...]


@dataclass(frozen=True)
class StageTargetView:
    stage: str
    hours: int
    default_hours: int
    set_by: str | None  # who saved it; None: the default
    set_at: datetime | None


@dataclass(frozen=True)
class CycleTimes:
    stages: tuple[StageTime, ...]
    ageing: tuple[StageAgeing, ...]
    bottleneck: str | None  # the open stage with most waiting time beyond its target now
    stuck: tuple[StuckReturn, ...]
    stations: tuple[Throughput, ...]
    inspectors: tuple[Throughput, ...]
    as_of: datetime


@dataclass(frozen=True)
class MoneyFigure:
    key: str
    count: int
    amount_minor: int


@dataclass(frozen=True)
class MoneyReport:
    refunded_by_method: tuple[MoneyFigure, ...]
    refunds: int
    refunded_minor: int
    deductions_kept_minor: int
    fees_kept_minor: int
    goods_by_destination: tuple[MoneyFigure, ...]  # units and value at cost: available, refurbish, rtv, scrap
    recovered_from_vendors_minor: int  # credit notes of suppliers' answers to claims in the period
    vendor_credit_notes: int
    net_cost_minor: int  # refunded minus the cost value of units back in stock and the vendors' credits
    cost_per_return_minor: int


@dataclass(frozen=True)
class RiskCustomer:
    customer_id: int
    code: str
    name: str
    returns: int
    units_returned: int
    units_bought: int
    high_value_d: int
    serials_seen_before: int
    no_receipt: int  # returns without a receipt in the period
    watched: bool
    note: str | None
    signals: tuple[str, ...]


@dataclass(frozen=True)
class WatchView:
    customer_id: int
    watched: bool
    note: str
    set_by: str | None
    set_at: datetime


def _may_read(actor: Actor | None) -> None:
    """Supervisors, managers, finance and administrators read the analytics (None: the command
    line of the database host's administrator)."""
    if actor is not None:
        actor.require_any(*READERS, doing=msg("read the analytics"))


# --------------------------------------------------------------------------- SQL pieces


class whole_buckets(FunctionElement[int]):
    """How many whole buckets of the given seconds fit in a (non-negative) number of seconds."""

    type = Integer()
    inherit_cache = True
    name = "whole_buckets"


@compiles(whole_buckets, "sqlite")
def _buckets_sqlite(element: whole_buckets, compiler: SQLCompiler, **kw: Any) -> str:
    seconds, size = list(element.clauses)
    return f"CAST(({compiler.process(seconds, **kw)}) / {compiler.process(size, **kw)} AS INTEGER)"


@compiles(whole_buckets, "postgresql")
def _buckets_pg(element: whole_buckets, compiler: SQLCompiler, **kw: Any) -> str:
    seconds, size = list(element.clauses)
    return f"CAST(FLOOR(({compiler.process(seconds, **kw)}) / {compiler.process(size, **kw)}) AS INTEGER)"


def _n(value: Any) -> int:
    """An aggregate as int (PostgreSQL sums bigints to numeric, and empty sums are NULL)."""
    return int(value or 0)


def _window(s: Session, date_from: date, date_to: date, site: str | None) -> tuple[datetime, datetime]:
    check_period(date_from, date_to)
    zone = zone_for_site(s, site)
    return start_of_local_day(date_from, zone), start_of_local_day(date_to + timedelta(days=1), zone)


def _line_value() -> Any:
    """The paid value of a return line's requested units (its share of the order line)."""
    # Integer division in both databases (``/`` would divide as floats): each line's share rounded down.
    return SalesOrderLine.paid_minor * ReturnLine.qty_requested // SalesOrderLine.quantity


def _narrow(stmt: Any, f: ReportFilter, *, by_return: bool = True) -> Any:
    """Add the filter's site, station, category, product, supplier, channel and customer (the statement
    joins Product and SalesOrder; ``by_return`` when it joins Return)."""
    if f.site:
        site_stations = select(Station.code).where(Station.site == f.site)
        if by_return:
            stmt = stmt.where(or_(SalesOrder.site == f.site, Return.created_station.in_(site_stations)))
        else:
            stmt = stmt.where(SalesOrder.site == f.site)
    if f.station and by_return:
        stmt = stmt.where(Return.created_station == f.station)
    if f.category:
        stmt = stmt.where(Product.category == f.category)
    if f.product:
        stmt = stmt.where(Product.sku == f.product)
    if f.supplier:
        stmt = stmt.where(Product.supplier_id.in_(select(Supplier.id).where(Supplier.code == f.supplier)))
    if f.channel:
        stmt = stmt.where(SalesOrder.channel == f.channel)
    if f.customer:
        stmt = stmt.where(SalesOrder.customer_id.in_(select(Customer.id).where(Customer.code == f.customer)))
    return stmt


def _lines_of_return(*columns: Any) -> Any:
    """Lines of the enclosing query's return, with their sale and product (a correlated subquery)."""
    return (
        select(*columns)
        .select_from(ReturnLine)
        .join(SalesOrderLine, SalesOrderLine.id == ReturnLine.order_line_id)
        .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .join(Product, Product.id == ReturnLine.product_id)
        .where(ReturnLine.return_id == Return.id)
    )


def _lines_joined(*columns: Any) -> Any:
    return (
        select(*columns)
        .select_from(ReturnLine)
        .join(Return, Return.id == ReturnLine.return_id)
        .join(SalesOrderLine, SalesOrderLine.id == ReturnLine.order_line_id)
        .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .join(Product, Product.id == ReturnLine.product_id)
    )


# --------------------------------------------------------------------------- the summaries


def _fresh(ctx: ServiceContext) -> bool:
    """Bring the summaries up to date before a figure reads them (cheap when nothing changed); True
    when the figures may read them. On a read replica (which cannot write) they may when they are
    current there; if not, the primary refreshes them and this read takes the base tables."""
    if ctx.read_db is None or ctx.read_db is ctx.db:
        summaries.refresh(ctx.db, now=ctx.now())
        return True
    if summaries.is_current(ctx.read_db, now=ctx.now()):
        return True
    summaries.refresh(ctx.db, now=ctx.now())
    return False


def _by_lines(f: ReportFilter) -> bool:
    """True when the filter narrows by what only the lines tell (product, category, supplier,
    customer): those figures are read from the base tables, like the drill-downs."""
    return bool(f.category or f.product or f.supplier or f.customer)


def _hours(start: datetime, end: datetime) -> tuple[str, str]:
    return hour_text(start), hour_text(end)


def _site_scope(stmt: Any, f: ReportFilter, site: Any, station: Any) -> Any:
    """A summary's site (the sale's site or the station's) and station, as :func:`_narrow` and :func:`_scope`."""
    if f.site:
        stmt = stmt.where(or_(site == f.site, station.in_(select(Station.code).where(Station.site == f.site))))
    if f.station:
        stmt = stmt.where(station == f.station)
    return stmt


# --------------------------------------------------------------------------- reasons


def reason_pareto(ctx: ServiceContext, actor: Actor | None, f: ReportFilter) -> ReasonPareto:
    """Returns created in the period by reason, most units first, with each reason's share and the
    running share (drafts and cancelled returns left out)."""
    _may_read(actor)
    summed = _fresh(ctx)
    with ctx.report_read(actor, snapshot=True) as s:
        start, end = _window(s, f.date_from, f.date_to, f.site)
        names = {r.code: (r.name_en, r.name_zh) for r in s.execute(select(ReturnReason)).scalars()}
        if not summed or _by_lines(f) or not whole_hours(start, end):
            rows, total_returns = _pareto_rows(s, f, start, end)
        else:
            t = AnalyticsCreatedHour
            lo, hi = _hours(start, end)
            units = func.sum(t.units)
            stmt = _site_scope(
                select(t.reason_code, func.sum(t.returns), units, func.sum(t.value_minor))
                .where(t.hour >= lo, t.hour < hi), f, t.order_site, t.station)
            if f.channel:
                stmt = stmt.where(t.channel == f.channel)
            rows = s.execute(stmt.group_by(t.reason_code).order_by(units.desc(), t.reason_code)).all()
            total = _site_scope(select(func.sum(t.first_returns)).where(t.hour >= lo, t.hour < hi), f,
                                t.order_site, t.station)
            if f.channel:
                total = total.where(t.channel == f.channel)
            total_returns = _n(s.execute(total).scalar())
    counts = [_n(r[2]) for r in rows]
    total_units = sum(counts)
    cumulative = cumulative_shares(counts)
    bars = tuple(
        ParetoBar(code, names.get(code, (code, code))[0], names.get(code, (code, code))[1], _n(n_ret), _n(n_units),
                  _n(value), (_n(n_units) / total_units) if total_units else 0.0, cum)
        for (code, n_ret, n_units, value), cum in zip(rows, cumulative, strict=True)
    )
    return ReasonPareto(bars, total_returns, total_units, sum(b.value_minor for b in bars))


def _pareto_rows(s: Session, f: ReportFilter, start: datetime, end: datetime) -> tuple[Any, int]:
    """The Pareto's rows and its returns from the base tables (filters by what the lines tell)."""
    units = func.sum(ReturnLine.qty_requested)
    stmt = _lines_joined(
        ReturnLine.reason_code, func.count(distinct(Return.id)), units, func.sum(_line_value())
    ).where(Return.created_at >= start, Return.created_at < end, Return.status.not_in(_NOT_COUNTED))
    rows = s.execute(
        _narrow(stmt, f).group_by(ReturnLine.reason_code).order_by(units.desc(), ReturnLine.reason_code)
    ).all()
    total_returns = _n(s.execute(_narrow(
        select(func.count(distinct(Return.id))).select_from(ReturnLine)
        .join(Return, Return.id == ReturnLine.return_id)
        .join(SalesOrderLine, SalesOrderLine.id == ReturnLine.order_line_id)
        .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .join(Product, Product.id == ReturnLine.product_id)
        .where(Return.created_at >= start, Return.created_at < end, Return.status.not_in(_NOT_COUNTED)),
        f)).scalar())
    return rows, total_returns


def returns_behind(ctx: ServiceContext, actor: Actor | None, f: ReportFilter, reason_code: str | None = None, *,
                   after: str | None = None, limit: int = 50) -> Page[ReturnSummary]:
    """The returns behind a figure (a Pareto bar): created in the period, with a line of
    ``reason_code`` when given, newest first; one keyset page."""
    _may_read(actor)
    with ctx.report_read(actor) as s:
        start, end = _window(s, f.date_from, f.date_to, f.site)
        lines = _lines_of_return(ReturnLine.id)
        if reason_code:
            lines = lines.where(ReturnLine.reason_code == reason_code)
        inner = _narrow(lines, f)
        stmt = select(Return).where(
            Return.created_at >= start, Return.created_at < end, Return.status.not_in(_NOT_COUNTED),
            inner.exists(),
        )
        return newest_first(s, stmt, after, max(1, min(int(limit), 200)))


# --------------------------------------------------------------------------- rates


def _rate_key(dimension: str) -> tuple[Any, ...]:
    if dimension == "product":
        return (Product.sku,)
    if dimension == "category":
        return (Product.category,)
    if dimension == "supplier":
        return (func.coalesce(Supplier.code, ""),)
    if dimension == "channel":
        return (SalesOrder.channel,)
    raise ValidationFailed(
        msg(
            "'{dimension}' is not a dimension of return rates; use one of {rate_dimensions}.",
            dimension=dimension, rate_dimensions=', '.join(RATE_DIMENSIONS)))


def _sold(s: Session, dimension: str, f: ReportFilter, start: datetime, end: datetime) -> dict[str, tuple[int, int]]:
    (key,) = _rate_key(dimension)
    stmt = (
        select(key, func.sum(SalesOrderLine.quantity), func.sum(SalesOrderLine.paid_minor))
        .select_from(SalesOrderLine)
        .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .join(Product, Product.id == SalesOrderLine.product_id)
        .outerjoin(Supplier, Supplier.id == Product.supplier_id)
        .where(SalesOrder.sold_at >= start, SalesOrder.sold_at < end)
    )
    rows = s.execute(_narrow(stmt, f, by_return=False).group_by(key)).all()
    return {str(k): (_n(q), _n(v)) for k, q, v in rows}


def _returned(s: Session, dimension: str, f: ReportFilter, start: datetime,
              end: datetime) -> dict[str, tuple[int, int]]:
    (key,) = _rate_key(dimension)
    stmt = (
        _lines_joined(key, func.sum(ReturnLine.qty_requested), func.sum(_line_value()))
        .outerjoin(Supplier, Supplier.id == Product.supplier_id)
        .where(SalesOrder.sold_at >= start, SalesOrder.sold_at < end, Return.status.not_in(_NOT_RETURNED))
    )
    rows = s.execute(_narrow(stmt, f, by_return=False).group_by(key)).all()
    return {str(k): (_n(q), _n(v)) for k, q, v in rows}


def _day_parts(s: Session, hourly: Any, daily: Any, start: datetime, end: datetime) -> list[tuple[Any, Any]]:
    """The (table, condition) pairs a period of whole hours reads: the day roll-up for the calendar
    days inside it, the hourly summary for the hours left at either end."""
    cover = summaries.day_cover(s, start, end)
    parts: list[tuple[Any, Any]] = []
    if cover.first_day is not None:
        parts.append((daily, and_(daily.day >= cover.first_day, daily.day <= cover.last_day)))
    for a, b in cover.edges:
        parts.append((hourly, and_(hourly.hour >= hour_text(a), hourly.hour < hour_text(b))))
    return parts


def _summed(s: Session, hourly: Any, daily: Any, dimension: str, f: ReportFilter, start: datetime,
            end: datetime) -> dict[str, tuple[int, int]]:
    """Units and value sold (or returned) in the period by ``dimension``, from the summaries by the
    sale's day (and hour at the period's ends)."""
    out: dict[str, tuple[int, int]] = {}
    for table, within in _day_parts(s, hourly, daily, start, end):
        for k, (q, v) in _summed_part(s, table, within, dimension, f).items():
            was = out.get(k, (0, 0))
            out[k] = (was[0] + q, was[1] + v)
    return out


def _summed_part(s: Session, table: Any, within: Any, dimension: str, f: ReportFilter) -> dict[str, tuple[int, int]]:
    key: Any = table.channel if dimension == "channel" else _rate_key(dimension)[0]
    stmt = (
        select(key, func.sum(table.units), func.sum(table.value_minor))
        .select_from(table)
        .join(Product, Product.id == table.product_id)
        .outerjoin(Supplier, Supplier.id == Product.supplier_id)
        .where(within)
    )
    if f.site:
        stmt = stmt.where(table.site == f.site)
    if f.category:
        stmt = stmt.where(Product.category == f.category)
    if f.product:
        stmt = stmt.where(Product.sku == f.product)
    if f.supplier:
        stmt = stmt.where(Supplier.code == f.supplier)
    if f.channel:
        stmt = stmt.where(table.channel == f.channel)
    rows = s.execute(stmt.group_by(key)).all()
    return {str(k): (_n(q), _n(v)) for k, q, v in rows}


def return_rates(ctx: ServiceContext, actor: Actor | None, f: ReportFilter, dimension: str = "product", *,
                 limit: int = 100) -> RateTable:
    """Of the units sold in the period, how many came back (returns not rejected, cancelled or
    expired), in units and value, by ``dimension``, worst unit rate first. ``jumped`` marks a
    rate well above its own in the period of the same length before (``domain.analytics.rate_jumped``)."""
    _may_read(actor)
    _rate_key(dimension)
    summed = _fresh(ctx)
    with ctx.report_read(actor, snapshot=True) as s:
        start, end = _window(s, f.date_from, f.date_to, f.site)
        past_from, past_to = previous_period(f.date_from, f.date_to)
        past_start, past_end = _window(s, past_from, past_to, f.site)
        if not summed or f.customer or not whole_hours(past_start, end):
            sold = _sold(s, dimension, f, start, end)
            returned = _returned(s, dimension, f, start, end)
            past_sold = _sold(s, dimension, f, past_start, past_end)
            past_returned = _returned(s, dimension, f, past_start, past_end)
        else:
            sold = _summed(s, AnalyticsSoldHour, AnalyticsSoldDay, dimension, f, start, end)
            returned = _summed(s, AnalyticsReturnedHour, AnalyticsReturnedDay, dimension, f, start, end)
            past_sold = _summed(s, AnalyticsSoldHour, AnalyticsSoldDay, dimension, f, past_start, past_end)
            past_returned = _summed(s, AnalyticsReturnedHour, AnalyticsReturnedDay, dimension, f, past_start,
                                    past_end)
        names = _names(s, dimension, set(sold))
    rows = []
    for key, (units, value) in sold.items():
        r_units, r_value = returned.get(key, (0, 0))
        p_units, _ = past_returned.get(key, (0, 0))
        p_sold, _ = past_sold.get(key, (0, 0))
        name_en, name_zh = names.get(key, (key, key))
        rows.append(RateRow(key, name_en, name_zh, units, r_units, value, r_value, rate(r_units, units),
                            rate(r_value, value), rate(p_units, p_sold),
                            rate_jumped(r_units, units, p_units, p_sold)))
    rows.sort(key=lambda r: (-(r.unit_rate or 0.0), -r.returned_units, r.key))
    return RateTable(dimension, tuple(rows[: max(1, int(limit))]))


def _names(s: Session, dimension: str, keys: set[str]) -> dict[str, tuple[str, str]]:
    if not keys:
        return {}
    if dimension == "product":
        products = s.execute(select(Product.sku, Product.name, Product.name_zh).where(Product.sku.in_(keys))).all()
        return {k: (en, zh or en) for k, en, zh in products}
    if dimension == "category":
        categories = s.execute(
            select(Category.code, Category.name_en, Category.name_zh).where(Category.code.in_(keys))).all()
        return {k: (en, zh) for k, en, zh in categories}
    if dimension == "supplier":
        suppliers = s.execute(select(Supplier.code, Supplier.name).where(Supplier.code.in_(keys))).all()
        return {k: (name, name) for k, name in suppliers}
    return {}


# --------------------------------------------------------------------------- cycle times


def cycle_times(ctx: ServiceContext, actor: Actor | None, f: ReportFilter, *,
                targets: dict[str, int] | None = None, stuck_limit: int = 10) -> CycleTimes:
    """Time per stage of the returns created in the period (from the audit trail), the ageing of
    the returns open now against the saved stage targets (``targets``, stage -> hours, overrides
    them for this read; the domain's defaults for stages never set),
    the stage losing most time, the returns stuck longest, and inspection throughput."""
    _may_read(actor)
    stage_targets(targets)  # a wrong override is refused before anything is read
    now = ctx.now()
    summed = _fresh(ctx)
    with ctx.report_read(actor, snapshot=True) as s:
        hours = stage_targets({**_saved_targets(s), **(targets or {})})
        start, end = _window(s, f.date_from, f.date_to, f.site)
        stages = _stage_times(s, f, start, end, summed)
        ageing, stuck = _ageing(s, f, now, hours, stuck_limit)
        stations = _throughput(s, f, start, end, by_station=True, summed=summed)
        inspectors = _throughput(s, f, start, end, by_station=False, summed=summed)
    late = [(a.waiting_seconds - a.open_returns * a.target_hours * 3600, a.stage) for a in ageing if a.over_target]
    bottleneck = max(late)[1] if late else None
    return CycleTimes(stages, ageing, bottleneck, stuck, stations, inspectors, now)


def _saved_targets(s: Session) -> dict[str, int]:
    return {stage: int(hours) for stage, hours in s.execute(select(StageTarget.stage, StageTarget.hours)).all()}


def get_stage_targets(ctx: ServiceContext, actor: Actor | None) -> tuple[StageTargetView, ...]:
    """The target hours of every stage an open return waits in: saved, or the default."""
    _may_read(actor)
    with ctx.read(actor) as s:
        rows = {t.stage: t for t in s.execute(select(StageTarget)).scalars()}
        names = dict(s.execute(select(User.id, User.display_name).where(
            User.id.in_([t.set_by for t in rows.values() if t.set_by is not None]))).all()) if rows else {}
        out = []
        for st in OPEN_STAGES:
            row = rows.get(st.value)
            default = DEFAULT_STAGE_TARGET_HOURS[st]
            if row is None:
                out.append(StageTargetView(st.value, default, default, None, None))
            else:
                out.append(StageTargetView(st.value, row.hours, default, names.get(row.set_by) if row.set_by else None,
                                           _aware(row.set_at)))
    return tuple(out)


def set_stage_targets(ctx: ServiceContext, actor: Actor, targets: dict[str, int]) -> tuple[StageTargetView, ...]:
    """Save the target hours of stages (stage -> hours, 1 hour to 90 days); the ageing view and the
    bottleneck then judge open returns against them. Managers and administrators; audited."""
    actor.require_any(Permission.MANAGE_MASTER_DATA, Permission.ADMIN_POLICY, doing=msg("set the stage targets"))
    if not targets:
        raise ValidationFailed(msg("Give at least one stage and its target in hours."))
    wanted: dict[str, int] = {}
    open_codes = [st.value for st in OPEN_STAGES]
    for code, hours in targets.items():
        stage = str(code).strip().lower()
        if stage not in open_codes:
            raise ValidationFailed(
                msg(
                    "'{code}' is not a stage an open return waits in; use one of {open_codes}.",
                    code=code, open_codes=', '.join(open_codes)))
        wanted[stage] = check_target_hours(stage, hours)
    with ctx.write(actor) as s:
        rows = {t.stage: t for t in s.execute(select(StageTarget).where(StageTarget.stage.in_(list(wanted)))).scalars()}
        before = {stage: rows[stage].hours for stage in wanted if stage in rows}
        for stage, hours in wanted.items():
            row = rows.get(stage)
            if row is None:
                row = StageTarget(stage=stage, hours=hours)
                s.add(row)
            row.hours = hours
            row.set_by = actor.user_id
            row.set_at = ctx.now()
        audit.record(s, ctx, actor, "stage_targets", "ageing", "set_targets", before or None, wanted)
    ctx.changed("stage_targets", 0)
    return get_stage_targets(ctx, actor)


def cycle_trend(ctx: ServiceContext, actor: Actor | None, f: ReportFilter, bucket: str = "week") -> CycleTrend:
    """Time per stage over the period: per return, its stays in each stage that began in each day
    or week of the period (counted from its first day, in the site's days) and ended since; per
    stage and bucket the returns, their mean and their median, from the audit trail."""
    _may_read(actor)
    firsts = trend_buckets(f.date_from, f.date_to, bucket)
    step = TREND_BUCKETS[bucket] * 86400
    summed = _fresh(ctx)
    with ctx.report_read(actor, snapshot=True) as s:
        start, end = _window(s, f.date_from, f.date_to, f.site)
        start_param = literal(start, AuditEvent.occurred_at.type)
        fast = None
        if summed and not f.narrows and whole_hours(start, end):
            fast = _histogram_trend(s, start, end, len(firsts), step)
        rows: Any = fast
        if fast is not None:
            pass
        elif summed and not _by_lines(f):
            st = AnalyticsStay
            bucket_of = whole_buckets(seconds_between(start_param, st.entered_at), step)
            stays = _stays_scope(
                select(st.stage.label("stage"), bucket_of.label("b"), func.sum(st.seconds).label("secs"))
                .where(st.seconds.is_not(None), st.entered_at >= start, st.entered_at < end, st.created_at < end,
                       st.stage.in_([x.value for x in STAGES])), f,
            ).group_by(st.return_id, st.stage, bucket_of).subquery("stays")
        else:
            stays = _base_trend_stays(f, start, end, step)
        if fast is not None:
            pass
        elif s.get_bind().dialect.name == "postgresql":
            rows = s.execute(
                select(stays.c.stage, stays.c.b, func.count(), func.avg(stays.c.secs),
                       func.percentile_disc(0.5).within_group(stays.c.secs))
                .group_by(stays.c.stage, stays.c.b)
            ).all()
        else:
            ranked = select(
                stays.c.stage, stays.c.b, stays.c.secs,
                func.row_number().over(partition_by=(stays.c.stage, stays.c.b), order_by=stays.c.secs).label("rn"),
                func.count().over(partition_by=(stays.c.stage, stays.c.b)).label("n"),
            ).subquery("ranked")
            rows = s.execute(
                select(ranked.c.stage, ranked.c.b, func.max(ranked.c.n), func.avg(ranked.c.secs),
                       func.min(case((ranked.c.rn * 2 >= ranked.c.n, ranked.c.secs))))
                .group_by(ranked.c.stage, ranked.c.b)
            ).all()
    order = {st.value: i for i, st in enumerate(STAGES)}
    points = sorted(
        (StageTrendPoint(str(st), firsts[int(b)], _n(n), _secs(mean), _secs(p50))
         for st, b, n, mean, p50 in rows if 0 <= int(b) < len(firsts)),
        key=lambda p: (order.get(p.stage, 99), p.bucket_start))
    return CycleTrend(bucket, tuple(firsts), tuple(points))


def _histogram_trend(s: Session, start: datetime, end: datetime, count: int,
                     step: int) -> list[tuple[str, int, int, float, float]] | None:
    """The trend's rows (stage, bucket, returns, mean, median) from the histograms of the stays by
    the day they began, when every bucket of the period is whole days of the calendar (else None).
    A return in a stage once adds its one stay (counted in the histogram); a return in it more than
    once (bucket -1, few) has its stays of each bucket summed here, and is merged in. The median is
    exact: the bucket where the counts reach its rank, then the value among that bucket's stays."""
    bounds = [start + timedelta(seconds=i * step) for i in range(count)] + [end]
    if any(a >= b for a, b in zip(bounds, bounds[1:], strict=False)):
        return None
    days = summaries.calendar(s, start, end)
    cover = summaries.day_cover(s, start, end)
    if cover.first_day is None or cover.edges or any(hour_text(b) not in days for b in bounds[:-1]):
        return None
    wanted = [st.value for st in STAGES]
    d = AnalyticsTrendDay
    # Which bucket of the period a day (a stay) belongs to; one bucket: the same expression, always 0.
    day_bucket = case(*[(d.day < days[hour_text(b)], i) for i, b in enumerate(bounds[1:-1])],
                      else_=count - 1) if count > 1 else case((d.day.is_not(None), 0), else_=0)
    hist: dict[tuple[str, int], dict[int, list[float]]] = {}
    for stage, tb, bucket, n, secs in s.execute(
            select(d.stage, day_bucket, d.bucket, func.sum(d.stays), func.sum(d.seconds))
            .where(d.day >= cover.first_day, d.day <= cover.last_day, d.stage.in_(wanted))
            .group_by(d.stage, day_bucket, d.bucket)).all():
        cell = hist.setdefault((stage, int(tb)), {}).setdefault(int(bucket), [0, 0.0])
        cell[0] += _n(n)
        cell[1] += float(secs or 0)
    t = AnalyticsStay
    stay_tb = case(*[(t.entered_at < b, i) for i, b in enumerate(bounds[1:-1])],
                   else_=count - 1) if count > 1 else case((t.entered_at.is_not(None), 0), else_=0)
    repeated = (
        select(t.stage.label("stage"), stay_tb.label("tb"), func.sum(t.seconds).label("secs"))
        .where(t.bucket == -1, t.entered_at >= start, t.entered_at < end, t.stage.in_(wanted))
        .group_by(t.return_id, t.stage, stay_tb).subquery("repeated")
    )
    extra: dict[tuple[str, int], dict[int, list[float]]] = {}
    for stage, tb, secs, bucket in s.execute(
            select(repeated.c.stage, repeated.c.tb, repeated.c.secs, stay_bucket(repeated.c.secs))).all():
        key = (stage, int(tb))
        extra.setdefault(key, {}).setdefault(int(bucket), []).append(float(secs))
        cell = hist.setdefault(key, {}).setdefault(int(bucket), [0, 0.0])
        cell[0] += 1
        cell[1] += float(secs)
    rows = []
    for (stage, tb), cells in hist.items():
        counts = {b: int(c[0]) for b, c in cells.items() if c[0]}
        n = sum(counts.values())
        if not n:
            continue
        bucket, inside = _bucket_of_rank(counts, _rank(n, 50))
        mine = sorted(extra.get((stage, tb), {}).get(bucket, []))
        within = (t.stage == stage, t.bucket == bucket, t.entered_at >= bounds[tb], t.entered_at < bounds[tb + 1])
        single = select(t.seconds).where(*within).order_by(t.seconds)
        known = None if mine else _bounds_pick(
            *s.execute(select(func.min(t.seconds), func.max(t.seconds)).where(*within)).one(), inside, counts[bucket])
        if known is not None:
            median = known
        elif not mine:
            median = float(s.execute(single.limit(1).offset(inside - 1)).scalar_one() or 0)
        else:
            values = sorted([float(v or 0) for v in s.execute(single.limit(inside)).scalars()] + mine)
            median = values[inside - 1]
        rows.append((stage, tb, n, sum(c[1] for c in cells.values()) / n, median))
    return rows


def _base_trend_stays(f: ReportFilter, start: datetime, end: datetime, step: int) -> Any:
    """Per return, stage and bucket, its stays begun in the period, from the audit trail."""
    stage = case(ACTION_ENTERS, value=AuditEvent.action)
    steps = (
        select(
            stage.label("stage"),
            AuditEvent.entity_id.label("rma"),
            AuditEvent.occurred_at.label("entered"),
            func.lead(AuditEvent.occurred_at).over(
                partition_by=AuditEvent.entity_id, order_by=AuditEvent.seq).label("left"),
        )
        .where(AuditEvent.entity == "return", AuditEvent.action.in_(list(ACTION_ENTERS)),
               AuditEvent.entity_id.in_(_stays_of(f, start, end)))
        .subquery("steps")
    )
    start_param = literal(start, AuditEvent.occurred_at.type)
    bucket_of = whole_buckets(seconds_between(start_param, steps.c.entered), step)
    # A return that comes back to a stage adds each stay (of that bucket), as in the stage times.
    stays = (
        select(steps.c.stage, bucket_of.label("b"),
               func.sum(seconds_between(steps.c.entered, steps.c.left)).label("secs"))
        .where(steps.c.left.is_not(None), steps.c.entered >= start, steps.c.entered < end,
               steps.c.stage.in_([st.value for st in STAGES]))
        .group_by(steps.c.rma, steps.c.stage, bucket_of)
        .subquery("stays")
    )
    return stays


def _stays_of(f: ReportFilter, start: datetime, end: datetime) -> Any:
    """RMA numbers of the returns that changed stage in the period and that the filter keeps
    (a return created before the period may well wait in it)."""
    stmt = select(Return.rma_no).where(Return.status_changed_at >= start, Return.created_at < end,
                                       Return.status.not_in(_NOT_COUNTED))
    if f.narrows:
        stmt = stmt.where(_narrow(_lines_of_return(ReturnLine.id), f).exists())
    return stmt


def _returns_in(f: ReportFilter, start: datetime, end: datetime) -> Any:
    """Ids and RMA numbers of the returns created in the period that the filter keeps."""
    stmt = select(Return.id, Return.rma_no).where(
        Return.created_at >= start, Return.created_at < end, Return.status.not_in(_NOT_COUNTED))
    if f.narrows:
        inner = _narrow(_lines_of_return(ReturnLine.id), f)
        stmt = stmt.where(inner.exists())
    return stmt


def _stays_scope(stmt: Any, f: ReportFilter) -> Any:
    t = AnalyticsStay
    stmt = _site_scope(stmt, f, t.order_site, t.station)
    if f.channel:
        stmt = stmt.where(t.channel == f.channel)
    return stmt


def _stage_times(s: Session, f: ReportFilter, start: datetime, end: datetime,
                 summed: bool) -> tuple[StageTime, ...]:
    if not summed or _by_lines(f):
        per_return = _base_stage_sums(f, start, end)
    elif not (f.site or f.station or f.channel) and whole_hours(start, end):
        return _histogram_stage_times(s, start, end)
    else:
        t = AnalyticsReturnStage
        per_return = _site_scope(
            select(t.return_id.label("rid"), t.stage.label("stage"), t.seconds.label("secs"))
            .where(t.created_at >= start, t.created_at < end, t.stage.in_([st.value for st in STAGES])),
            f, t.order_site, t.station,
        )
        if f.channel:
            per_return = per_return.where(t.channel == f.channel)
        per_return = per_return.subquery("per_return")
    return _ranked_stage_times(s, per_return)


def _rank(n: int, percent: int) -> int:
    """The nearest rank of a percentile among n values (1-based): the first whose share reaches it."""
    return max(1, (n * percent + 99) // 100)


def _bucket_of_rank(counts: dict[int, int], rank: int) -> tuple[int, int]:
    """The bucket holding the rank-th smallest value and the value's rank inside it (1-based)."""
    before = 0
    for bucket in sorted(counts):
        if before + counts[bucket] >= rank:
            return bucket, rank - before
        before += counts[bucket]
    raise AssertionError("a rank beyond the counts")


def _bounds_pick(least: Any, greatest: Any, inside: int, count: int) -> float | None:
    """The value of rank ``inside`` among a bucket's ``count`` values, to the whole second the
    figures show, when its least and greatest value tell it (the first rank, the last, or a bucket
    whose values are one second: many stays of a stage last the same, e.g. none at all), read by
    the index without sorting the bucket; else None."""
    if least is None:
        return None
    if inside == 1 or _secs(least) == _secs(greatest):
        return float(least)
    if inside == count:
        return float(greatest)
    return None


def _histogram_stage_times(s: Session, start: datetime, end: datetime) -> tuple[StageTime, ...]:
    """The stage times of the returns created in the period from the histograms: counts, sums and
    maxima per stage and bucket (per day; the returns' stage sums for hours at the period's ends),
    then each percentile exactly: the bucket where the counts reach its rank, and the value of that
    rank among the few stage sums of that bucket and period (index on stage, bucket, creation)."""
    cover = summaries.day_cover(s, start, end)
    hist: dict[str, dict[int, list[float]]] = {}
    wanted = [st.value for st in STAGES]
    parts = []
    if cover.first_day is not None:
        d = AnalyticsStageDay
        parts.append(select(d.stage, d.bucket, func.sum(d.returns), func.sum(d.seconds), func.max(d.max_seconds))
                     .where(d.day >= cover.first_day, d.day <= cover.last_day, d.stage.in_(wanted))
                     .group_by(d.stage, d.bucket))
    r = AnalyticsReturnStage
    for a, b in cover.edges:
        parts.append(select(r.stage, r.bucket, func.count(), func.sum(r.seconds), func.max(r.seconds))
                     .where(r.created_at >= a, r.created_at < b, r.stage.in_(wanted)).group_by(r.stage, r.bucket))
    for stmt in parts:
        for stage, bucket, n, secs, top in s.execute(stmt).all():
            cell = hist.setdefault(stage, {}).setdefault(int(bucket), [0, 0.0, float("-inf")])
            cell[0] += _n(n)
            cell[1] += float(secs or 0)
            cell[2] = max(cell[2], float(top))

    bounds: dict[tuple[str, int], tuple[Any, Any]] = {}  # p50 and p90 often share a bucket

    def pick(stage: str, counts: dict[int, int], rank: int) -> float:
        bucket, inside = _bucket_of_rank(counts, rank)
        within = (r.stage == stage, r.bucket == bucket, r.created_at >= start, r.created_at < end)
        if (stage, bucket) not in bounds:
            bounds[stage, bucket] = s.execute(select(func.min(r.seconds), func.max(r.seconds)).where(*within)).one()
        known = _bounds_pick(*bounds[stage, bucket], inside, counts[bucket])
        if known is not None:
            return known
        return float(s.execute(
            select(r.seconds).where(*within).order_by(r.seconds).limit(1).offset(inside - 1)).scalar_one())

    out = []
    for st in STAGES:
        cells = hist.get(st.value)
        if not cells:
            continue
        counts = {b: int(c[0]) for b, c in cells.items() if c[0]}
        n = sum(counts.values())
        if not n:
            continue
        total = sum(c[1] for c in cells.values())
        top = max(c[2] for c in cells.values())
        out.append(StageTime(st.value, n, _secs(total / n), _secs(pick(st.value, counts, _rank(n, 50))),
                             _secs(pick(st.value, counts, _rank(n, 90))), _secs(top)))
    return tuple(out)


def _base_stage_sums(f: ReportFilter, start: datetime, end: datetime) -> Any:
    """Per return created in the period and stage, its stays' seconds, from the audit trail."""
    cohort = _returns_in(f, start, end).subquery("cohort")
    stage = case(ACTION_ENTERS, value=AuditEvent.action)
    steps = (
        select(
            cohort.c.id.label("rid"),
            stage.label("stage"),
            AuditEvent.occurred_at.label("entered"),
            func.lead(AuditEvent.occurred_at).over(
                partition_by=AuditEvent.entity_id, order_by=AuditEvent.seq).label("left"),
        )
        .select_from(cohort)
        .join(AuditEvent, and_(AuditEvent.entity == "return", AuditEvent.entity_id == cohort.c.rma_no))
        .where(AuditEvent.action.in_(list(ACTION_ENTERS)))
        .subquery("steps")
    )
    return (
        select(steps.c.rid, steps.c.stage, func.sum(seconds_between(steps.c.entered, steps.c.left)).label("secs"))
        .where(steps.c.left.is_not(None), steps.c.stage.in_([st.value for st in STAGES]))
        .group_by(steps.c.rid, steps.c.stage)
        .subquery("per_return")
    )


def _ranked_stage_times(s: Session, per_return: Any) -> tuple[StageTime, ...]:
    if s.get_bind().dialect.name == "postgresql":
        # The nearest rank is PostgreSQL's percentile_disc: one sort per stage, no window.
        secs = per_return.c.secs
        rows = s.execute(
            select(per_return.c.stage, func.count(), func.avg(secs), func.percentile_disc(0.5).within_group(secs),
                   func.percentile_disc(0.9).within_group(secs), func.max(secs)).group_by(per_return.c.stage)
        ).all()
        return _stage_rows(rows)
    ranked = select(
        per_return.c.stage, per_return.c.secs,
        func.row_number().over(partition_by=per_return.c.stage, order_by=per_return.c.secs).label("rn"),
        func.count().over(partition_by=per_return.c.stage).label("n"),
    ).subquery("ranked")

    def nearest_rank(percent: int) -> Any:
        return func.min(case((ranked.c.rn * 100 >= ranked.c.n * percent, ranked.c.secs)))

    rows = s.execute(
        select(ranked.c.stage, func.max(ranked.c.n), func.avg(ranked.c.secs), nearest_rank(50), nearest_rank(90),
               func.max(ranked.c.secs)).group_by(ranked.c.stage)
    ).all()
    return _stage_rows(rows)


def _stage_rows(rows: Any) -> tuple[StageTime, ...]:
    found = {r[0]: r for r in rows}
    out = []
    for st in STAGES:
        r = found.get(st.value)
        if r is None:
            continue
        out.append(StageTime(st.value, _n(r[1]), _secs(r[2]), _secs(r[3]), _secs(r[4]), _secs(r[5])))
    return tuple(out)


def _secs(value: Any) -> int:
    return int(round(float(value or 0)))


def _open_returns(f: ReportFilter) -> Any:
    """Open returns (the statuses as the partial indexes' condition, word for word, so that both
    databases read those small indexes), narrowed by the filter's lines."""
    stmt: Any = text(OPEN_RETURNS_SQL)
    if f.narrows:
        inner = _narrow(_lines_of_return(ReturnLine.id), f)
        stmt = and_(stmt, inner.exists())
    return stmt


def _ageing(s: Session, f: ReportFilter, now: datetime, hours: dict[ReturnStatus, int],
            stuck_limit: int) -> tuple[tuple[StageAgeing, ...], tuple[StuckReturn, ...]]:
    open_ids = _open_returns(f)
    now_param = literal(now, Return.status_changed_at.type)

    def over(factor: int) -> Any:
        return func.sum(case(*[
            (and_(Return.status == st.value, Return.status_changed_at < now - timedelta(hours=factor * hours[st])), 1)
            for st in OPEN_STAGES], else_=0))

    rows = s.execute(
        select(Return.status, func.count(), over(1), over(2),
               func.sum(seconds_between(Return.status_changed_at, now_param)))
        .where(open_ids).group_by(Return.status)
    ).all()
    found = {r[0]: r for r in rows}
    ageing = tuple(
        StageAgeing(st.value, hours[st], _n(found[st.value][1]), _n(found[st.value][2]), _n(found[st.value][3]),
                    _secs(found[st.value][4]))
        if st.value in found else StageAgeing(st.value, hours[st], 0, 0, 0, 0)
        for st in OPEN_STAGES
    )
    # The longest waiting first: per stage over the index (status, status_changed_at, id).
    stuck_rows = s.execute(
        select(Return.rma_no, Return.status, Return.status_changed_at)
        .where(open_ids)
        .order_by(Return.status_changed_at, Return.id).limit(max(1, min(int(stuck_limit), 100)))
    ).all()
    stuck = tuple(
        StuckReturn(rma, status, _aware(since), int((now - _aware(since)).total_seconds()),
                    hours[ReturnStatus(status)])
        for rma, status, since in stuck_rows
    )
    return ageing, stuck


def _aware(instant: datetime) -> datetime:
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def _throughput(s: Session, f: ReportFilter, start: datetime, end: datetime, *,
                by_station: bool, summed: bool) -> tuple[Throughput, ...]:
    if summed and whole_hours(start, end):
        return _summed_throughput(s, f, start, end, by_station=by_station)
    key: Any = InspectionUnit.station if by_station else User.username
    name: Any = func.coalesce(func.max(Station.name), InspectionUnit.station) if by_station else User.display_name
    stmt = (
        select(key, name, func.count(), func.count(distinct(InspectionUnit.return_id)),
               func.count(distinct(hour_of(InspectionUnit.inspected_at))))
        .select_from(InspectionUnit)
        .join(User, User.id == InspectionUnit.inspected_by)
        .outerjoin(Station, Station.code == InspectionUnit.station)
        .where(InspectionUnit.inspected_at >= start, InspectionUnit.inspected_at < end,
               InspectionUnit.station.is_not(None) if by_station else literal(True))
    )
    if f.station:
        stmt = stmt.where(InspectionUnit.station == f.station)
    if f.site:
        stmt = stmt.where(Station.site == f.site)
    group = (InspectionUnit.station,) if by_station else (User.username, User.display_name)
    rows = s.execute(stmt.group_by(*group).order_by(func.count().desc(), key)).all()
    return tuple(
        Throughput(str(k), str(n), _n(units), _n(rets), _n(active), (_n(units) / _n(active)) if _n(active) else 0.0)
        for k, n, units, rets, active in rows
    )


def _summed_throughput(s: Session, f: ReportFilter, start: datetime, end: datetime, *,
                       by_station: bool) -> tuple[Throughput, ...]:
    t = AnalyticsInspectionHour
    lo, hi = _hours(start, end)
    key: Any = t.station if by_station else User.username
    name: Any = func.coalesce(func.max(Station.name), t.station) if by_station else User.display_name
    returns = t.station_returns if by_station else t.inspector_returns
    stmt = (
        select(key, name, func.sum(t.units), func.sum(returns), func.count(distinct(t.hour)))
        .select_from(t)
        .join(User, User.id == t.inspector_id)
        .outerjoin(Station, Station.code == t.station)
        .where(t.hour >= lo, t.hour < hi, t.station.is_not(None) if by_station else literal(True))
    )
    if f.station:
        stmt = stmt.where(t.station == f.station)
    if f.site:
        stmt = stmt.where(Station.site == f.site)
    group = (t.station,) if by_station else (User.username, User.display_name)
    units = func.sum(t.units)
    rows = s.execute(stmt.group_by(*group).order_by(units.desc(), key)).all()
    return tuple(
        Throughput(str(k), str(n), _n(units), _n(rets), _n(active), (_n(units) / _n(active)) if _n(active) else 0.0)
        for k, n, units, rets, active in rows
    )


# --------------------------------------------------------------------------- money


def money(ctx: ServiceContext, actor: Actor | None, f: ReportFilter) -> MoneyReport:
    """Refunds issued in the period by method; the deductions and restocking fees those refunds
    kept; the units of returns moved in the period to stock, refurbishment, the vendor or scrap
    (net of moves back) and their value at cost; what suppliers credited on the claims they
    answered in the period; refunded minus restocked value minus the vendors' credits, per refund."""
    _may_read(actor)
    summed = _fresh(ctx)
    with ctx.report_read(actor, snapshot=True) as s:
        start, end = _window(s, f.date_from, f.date_to, f.site)
        locations = dict(s.execute(select(StockLocation.code, StockLocation.id)).all())
        places = [(where.value, locations[where.value])
                  for where in (Location.AVAILABLE, Location.REFURBISH, Location.RTV, Location.SCRAP)
                  if where.value in locations]
        if summed and whole_hours(start, end):
            by_method, deductions, fees, goods = _summed_money(s, f, start, end, places)
        else:
            by_method, deductions, fees, goods = _base_money(s, f, start, end, places)
        # Claims are the warehouse's, not a site's or a station's: the vendors' credits of the period.
        notes, recovered = s.execute(
            select(func.count(), func.sum(RtvClaim.credited_minor))
            .where(RtvClaim.answered_at >= start, RtvClaim.answered_at < end, RtvClaim.credited_minor > 0)
        ).one()
    refunds = sum(m.count for m in by_method)
    total = sum(m.amount_minor for m in by_method)
    restocked = next((g.amount_minor for g in goods if g.key == Location.AVAILABLE.value), 0)
    net = total - restocked - _n(recovered)
    return MoneyReport(tuple(by_method), refunds, total, _n(deductions), _n(fees), tuple(goods), _n(recovered),
                       _n(notes), net, (net // refunds) if refunds else 0)


def _summed_money(s: Session, f: ReportFilter, start: datetime, end: datetime,
                  places: list[tuple[str, int]]) -> tuple[list[MoneyFigure], int, int, list[MoneyFigure]]:
    """Refunds, what they kept and the goods moved, from the summaries by day (and hour at the ends)."""
    methods: dict[str, tuple[int, int]] = {}
    deductions = fees = 0
    for r, within in _day_parts(s, AnalyticsRefundHour, AnalyticsRefundDay, start, end):
        refunded = _site_scope(select(r.method, func.sum(r.refunds), func.sum(r.amount_minor)).where(within),
                               f, r.order_site, r.station)
        for m, c, a in s.execute(refunded.group_by(r.method)).all():
            was = methods.get(m, (0, 0))
            methods[m] = (was[0] + _n(c), was[1] + _n(a))
        d, fee = s.execute(_site_scope(
            select(func.sum(r.deductions_minor), func.sum(r.fees_minor)).where(within),
            f, r.order_site, r.station)).one()
        deductions += _n(d)
        fees += _n(fee)
    by_method = [MoneyFigure(m, c, a) for m, (c, a) in sorted(methods.items())]
    moved: dict[int, tuple[int, int]] = {}
    for m, within in _day_parts(s, AnalyticsMoveHour, AnalyticsMoveDay, start, end):
        for loc, units, value in s.execute(_site_scope(
                select(m.location_id, func.sum(m.units), func.sum(m.units * Product.cost_minor))
                .select_from(m).join(Product, Product.id == m.product_id)
                .where(within, m.location_id.in_([loc for _, loc in places])),
                f, m.order_site, m.station).group_by(m.location_id)).all():
            was = moved.get(int(loc), (0, 0))
            moved[int(loc)] = (was[0] + _n(units), was[1] + _n(value))
    goods = [MoneyFigure(where, moved.get(loc, (0, 0))[0], moved.get(loc, (0, 0))[1]) for where, loc in places]
    return by_method, deductions, fees, goods


def _base_money(s: Session, f: ReportFilter, start: datetime, end: datetime,
                places: list[tuple[str, int]]) -> tuple[list[MoneyFigure], int, int, list[MoneyFigure]]:
    """Refunds, what they kept and the goods moved, from the base tables (a period not of whole hours)."""
    refunded = (
        select(Refund.method, func.count(), func.sum(Refund.amount_minor))
        .join(Return, Return.id == Refund.return_id)
        .where(Refund.issued_at >= start, Refund.issued_at < end)
    )
    refunded = _scope(refunded, f)
    by_method = [MoneyFigure(m, _n(c), _n(a)) for m, c, a in
                 s.execute(refunded.group_by(Refund.method).order_by(Refund.method)).all()]
    kept = (
        select(func.sum(ReturnLine.deduction_minor), func.sum(ReturnLine.fee_minor))
        .select_from(Refund)
        .join(Return, Return.id == Refund.return_id)
        .join(ReturnLine, ReturnLine.return_id == Return.id)
        .where(Refund.issued_at >= start, Refund.issued_at < end)
    )
    deductions, fees = s.execute(_scope(kept, f)).one()
    goods = []
    for where, loc in places:
        signed = case((StockMovement.to_location_id == loc, StockMovement.quantity),
                      (StockMovement.from_location_id == loc, -StockMovement.quantity), else_=0)
        moved = (
            select(func.sum(signed), func.sum(signed * Product.cost_minor))
            .select_from(StockMovement)
            .join(Product, Product.id == StockMovement.product_id)
            .join(Return, Return.id == StockMovement.return_id)
            .where(StockMovement.created_at >= start, StockMovement.created_at < end,
                   StockMovement.return_id.is_not(None),
                   StockMovement.reason.not_like("replacement%"),
                   or_(StockMovement.to_location_id == loc, StockMovement.from_location_id == loc))
        )
        units, value = s.execute(_scope(moved, f)).one()
        goods.append(MoneyFigure(where, _n(units), _n(value)))
    return by_method, _n(deductions), _n(fees), goods


def _scope(stmt: Any, f: ReportFilter) -> Any:
    """Site and station of the return for the money figures (which join Return)."""
    return stmt.where(*_scope_conditions(f))


def _scope_conditions(f: ReportFilter) -> list[Any]:
    """The conditions on a return of the filter's site and station."""
    conds: list[Any] = []
    if f.site:
        conds.append(or_(
            Return.created_station.in_(select(Station.code).where(Station.site == f.site)),
            Return.order_id.in_(select(SalesOrder.id).where(SalesOrder.site == f.site)),
        ))
    if f.station:
        conds.append(Return.created_station == f.station)
    return conds


# --------------------------------------------------------------------------- risk


def risk(ctx: ServiceContext, actor: Actor | None, f: ReportFilter, *, thresholds: RiskThresholds | None = None,
         limit: int = 100) -> tuple[RiskCustomer, ...]:
    """Customers whose returns created in the period show a signal for a supervisor's review:
    many returns, much of what they bought returned, grade-D units of high value, a serial
    number already seen on another return, returns without a receipt, or the watch list. Most
    signals first, then most returns, at most ``limit``.

    The review's own window (the last ``RISK_WINDOW_DAYS`` of the installation's days, for every
    site, at the default value of a high-value unit) is read from the summaries; any other period,
    site, station or value from the returns. The watch list is read live either way."""
    _may_read(actor)
    t = thresholds or RiskThresholds()
    summed = _fresh(ctx)
    with ctx.report_read(actor, snapshot=True) as s:
        start, end = _window(s, f.date_from, f.date_to, f.site)
        if summed and _risk_window_fits(s, f, t, start, end, ctx.now()):
            r = AnalyticsRiskCustomer
            figures = select(r.customer_id.label("cid"), r.returns, r.units, r.units_bought, r.high_value_d,
                             r.serials_seen_before, r.no_receipt).subquery("figures")
        else:
            figures = summaries.risk_figures(start, end, high_value_minor=t.high_value_minor,
                                             where=_scope_conditions(f)).subquery("figures")
        rows = s.execute(_ranked(figures, t, limit)).all()
    out = []
    for cid, code, name, n_ret, units, bought_units, hv, ser, blind, watched, note in rows:
        signals = risk_signals(returns=_n(n_ret), units_returned=_n(units), units_bought=_n(bought_units),
                               high_value_d=_n(hv), serials_seen_before=_n(ser), no_receipt=_n(blind),
                               watched=bool(watched), thresholds=t)
        if signals:
            out.append(RiskCustomer(int(cid), code, name, _n(n_ret), _n(units), _n(bought_units), _n(hv), _n(ser),
                                    _n(blind), bool(watched), note, signals))
    return tuple(out)


def _risk_window_fits(s: Session, f: ReportFilter, t: RiskThresholds, start: datetime, end: datetime,
                      now: datetime) -> bool:
    """True when the summaries' risk window answers the review: the same first day, up to now, every
    site and station, and units graded D judged at the default value."""
    if f.site or f.station or t.high_value_minor != RiskThresholds().high_value_minor:
        return False
    marks = {name: int(value) for name, value in s.execute(
        select(AnalyticsWatermark.name, AnalyticsWatermark.value)
        .where(AnalyticsWatermark.name.in_((summaries.RISK_FROM, summaries.RISK_UNTIL))))}
    until = marks.get(summaries.RISK_UNTIL)
    return (marks.get(summaries.RISK_FROM) == summaries.epoch(start) and until is not None
            and summaries.epoch(now) < until <= summaries.epoch(end))


def _ranked(figures: Any, t: RiskThresholds, limit: int) -> Any:
    """The customers of ``figures`` with at least one signal, with their name and watch flag: most
    signals first, then most returns, then by code; at most ``limit``."""
    c = figures.c

    def signal(condition: Any) -> Any:
        return case((condition, 1), else_=0)

    signals = (
        signal(c.returns >= t.returns_in_period)
        + signal(and_(c.units >= 2, c.units_bought > 0, c.units * 1000 >= c.units_bought * t.unit_rate_permille))
        + signal(c.high_value_d > 0) + signal(c.serials_seen_before > 0)
        + signal(c.no_receipt >= t.no_receipt_in_period) + signal(CustomerWatch.watched.is_(True))
    )
    return (
        select(c.cid, Customer.code, Customer.name, c.returns, c.units, c.units_bought, c.high_value_d,
               c.serials_seen_before, c.no_receipt, func.coalesce(CustomerWatch.watched, False), CustomerWatch.note)
        .select_from(figures)
        .join(Customer, Customer.id == c.cid)
        .outerjoin(CustomerWatch, CustomerWatch.customer_id == c.cid)
        .where(signals > 0)
        .order_by(signals.desc(), c.returns.desc(), Customer.code)
        .limit(max(1, int(limit)))
    )


def set_customer_watch(ctx: ServiceContext, actor: Actor, customer_id: int, watched: bool, note: str) -> WatchView:
    """Put a customer on the watch list (their refunds then always go to a supervisor) or take them
    off, with a note saying why (at least five characters). Supervisors and above; audited."""
    actor.require(Permission.OVERRIDE_POLICY)
    text = " ".join(str(note or "").split())
    if len(text) < _MIN_NOTE:
        raise ValidationFailed(msg(
            "Write why (at least {min_note} characters) before changing the watch flag.",
            min_note=_MIN_NOTE))
    if len(text) > 500:
        raise ValidationFailed(msg("The note is longer than 500 characters; shorten it."))
    with ctx.write(actor) as s:
        customer = s.get(Customer, customer_id)
        if customer is None:
            raise NotFound(msg("There is no customer with id {customer_id}.", customer_id=customer_id))
        row = s.get(CustomerWatch, customer_id)
        before = {"watched": row.watched, "note": row.note} if row is not None else None
        if row is None:
            row = CustomerWatch(customer_id=customer_id, watched=watched, note=text)
            s.add(row)
        row.watched = watched
        row.note = text
        row.set_by = actor.user_id
        row.set_at = ctx.now()
        audit.record(s, ctx, actor, "customer", customer.code, "watch" if watched else "unwatch", before,
                     {"watched": watched, "note": text})
        view = WatchView(customer_id, watched, text, actor.display_name, ctx.now())
    ctx.changed("customer", customer_id)
    return view



# --------------------------------------------------------------------------- the monthly report

#: Stage names on the printed report (the screens translate them through Qt).
STAGE_NAMES: dict[str, tuple[str, str]] = {
    "requested": ("Requested", "已申请"), "waiting_for_customer": ("Waiting for the customer", "等待顾客回复"),
    "authorized": ("Authorized", "已授权"), "received": ("Received", "已收货"),
    "inspected": ("Inspected", "已质检"), "awaiting_approval": ("Awaiting approval", "待审批"),
    "approved": ("Approved", "已批准"), "refunded": ("Refunded", "已退款"), "exchanged": ("Exchanged", "已换货"),
}


def monthly_report(ctx: ServiceContext, actor: Actor | None, f: ReportFilter, lang: Lang = "en") -> bytes:
    """The printable A4 report of the period (the dashboard's charts and key figures) as PDF bytes."""
    from returndesk.documents.monthly_report import MonthlyReportData, render_monthly_report
    from returndesk.documents.strings import refund_method_text

    check_lang(lang)
    zh = lang == "zh_CN"
    pareto = reason_pareto(ctx, actor, f)
    rates = return_rates(ctx, actor, f, "product", limit=8)
    cycle = cycle_times(ctx, actor, f)
    m = money(ctx, actor, f)
    with ctx.report_read(actor) as s:
        zone = zone_for_site(s, f.site)

    def named(en: str, zh_name: str) -> str:
        return zh_name if zh and zh_name else en

    def stage(code: str) -> str:
        en, zh_name = STAGE_NAMES.get(code, (code, code))
        return named(en, zh_name)

    def method(code: str) -> str:
        try:
            return refund_method_text(RefundMethod(code), lang)
        except ValueError:
            return code

    data = MonthlyReportData(
        period=f"{f.date_from.isoformat()} – {f.date_to.isoformat()}",
        site=f.site,
        printed_at=ctx.now().astimezone(zone).replace(tzinfo=None),
        currency="CNY",
        reasons=tuple((named(b.name_en, b.name_zh), b.units, b.cumulative) for b in pareto.bars),
        rates=tuple((r.key, r.unit_rate or 0.0) for r in rates.rows if r.returned_units),
        stages=tuple((stage(t.stage), t.p50_seconds / 3600, t.p90_seconds / 3600) for t in cycle.stages),
        refunds=tuple((method(x.key), x.amount_minor) for x in m.refunded_by_method),
        returns=pareto.returns, units=pareto.units, refunded_minor=m.refunded_minor,
        deductions_minor=m.deductions_kept_minor, fees_minor=m.fees_kept_minor,
        restocked_minor=next((g.amount_minor for g in m.goods_by_destination if g.key == "available"), 0),
        cost_per_return_minor=m.cost_per_return_minor,
        bottleneck=stage(cycle.bottleneck) if cycle.bottleneck else None,
    )
    return render_monthly_report(data, lang)


# --------------------------------------------------------------------------- reports as tables

REPORTS = ("reasons", "rates", "cycle-times", "money", "risk")


def report_table(ctx: ServiceContext, actor: Actor | None, what: str, f: ReportFilter, *,
                 dimension: str = "product") -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """One report as column names and rows (amounts in minor units, times in seconds, rates 0..1)."""
    if what == "reasons":
        p = reason_pareto(ctx, actor, f)
        return (("reason", "name_en", "name_zh", "returns", "units", "value_minor", "share", "cumulative"),
                [(b.code, b.name_en, b.name_zh, b.returns, b.units, b.value_minor, round(b.share, 4),
                  round(b.cumulative, 4)) for b in p.bars])
    if what == "rates":
        t = return_rates(ctx, actor, f, dimension)
        return ((dimension, "name_en", "name_zh", "sold_units", "returned_units", "sold_minor", "returned_minor",
                 "unit_rate", "value_rate", "past_unit_rate", "jumped"),
                [(r.key, r.name_en, r.name_zh, r.sold_units, r.returned_units, r.sold_minor, r.returned_minor,
                  _round(r.unit_rate), _round(r.value_rate), _round(r.past_unit_rate), r.jumped) for r in t.rows])
    if what == "cycle-times":
        c = cycle_times(ctx, actor, f)
        ageing = {a.stage: a for a in c.ageing}
        rows: list[tuple[Any, ...]] = []
        for st in STAGES:
            time = next((t for t in c.stages if t.stage == st.value), None)
            a = ageing.get(st.value)
            rows.append((st.value, time.returns if time else 0, time.mean_seconds if time else None,
                         time.p50_seconds if time else None, time.p90_seconds if time else None,
                         time.max_seconds if time else None, a.target_hours if a else None,
                         a.open_returns if a else None, a.over_target if a else None,
                         st.value == c.bottleneck))
        return (("stage", "returns", "mean_seconds", "p50_seconds", "p90_seconds", "max_seconds", "target_hours",
                 "open_now", "over_target_now", "bottleneck"), rows)
    if what == "money":
        m = money(ctx, actor, f)
        table: list[tuple[Any, ...]] = [
            ("refunded", method.key, method.count, method.amount_minor) for method in m.refunded_by_method]
        table += [("refunded", "total", m.refunds, m.refunded_minor),
                 ("kept", "grade_deductions", None, m.deductions_kept_minor),
                 ("kept", "restocking_fees", None, m.fees_kept_minor)]
        table += [("goods_at_cost", g.key, g.count, g.amount_minor) for g in m.goods_by_destination]
        table += [("recovered", "vendor_credit_notes", m.vendor_credit_notes, m.recovered_from_vendors_minor),
                  ("cost", "net", None, m.net_cost_minor), ("cost", "per_return", None, m.cost_per_return_minor)]
        return (("figure", "item", "count", "amount_minor"), table)
    if what == "risk":
        found = risk(ctx, actor, f)
        return (("customer", "name", "returns", "units_returned", "units_bought", "high_value_grade_d",
                 "serials_seen_before", "no_receipt", "watched", "note", "signals"),
                [(r.code, r.name, r.returns, r.units_returned, r.units_bought, r.high_value_d,
                  r.serials_seen_before, r.no_receipt, r.watched, r.note, " ".join(r.signals)) for r in found])
    raise ValidationFailed(msg(
        "'{what}' is not a report; choose one of {reports}.",
        what=what, reports=', '.join(REPORTS)))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def write_report(columns: tuple[str, ...], rows: list[tuple[Any, ...]], fmt: str, path: str | Path,
                 *, title: str) -> None:
    """Write a report table as CSV, JSON (a list of objects) or an Excel sheet; the file appears
    only once complete. ``path`` "-" writes CSV or JSON to standard output."""
    if fmt not in ("csv", "json", "xlsx"):
        raise ValidationFailed(msg("'{fmt}' is not a report format; choose csv, xlsx or json.", fmt=fmt))
    if fmt == "xlsx" and str(path) == "-":
        raise ValidationFailed(msg("An Excel file cannot go to the screen; give a file name with --out."))
    with atomic_target(path, binary=(fmt == "xlsx")) as (partial, out):
        if fmt == "csv":
            assert out is not None
            writer = csv.writer(out)
            writer.writerow(columns)
            writer.writerows(rows)
        elif fmt == "json":
            assert out is not None
            json.dump({"report": title, "rows": [dict(zip(columns, r, strict=True)) for r in rows]}, out,
                      ensure_ascii=False, indent=1, default=str)
            out.write("\n")
        else:
            assert partial is not None
            from openpyxl import Workbook

            book = Workbook()
            sheet = book.active
            assert sheet is not None
            sheet.title = title[:31]
            sheet.append(list(columns))
            for r in rows:
                sheet.append(list(r))
            book.save(partial)
