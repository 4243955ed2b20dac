"""The fast generator of the benchmark databases: a million returns in minutes.

The demo's bulk path (:mod:`returndesk.devtools.demo`) writes returns that are consistent to the
last journal line and chains every audit event's hash, at a few hundred returns a second; a million
would take hours. This generator writes what the station and analytics benchmarks read, straight
through the driver, in one transaction: ``COPY ... FROM STDIN`` on PostgreSQL (psycopg 3's
``cursor.copy``), ``executemany`` with ``synchronous=OFF`` and a large page cache on SQLite.

Per return it writes two sales (one returned, one not) with their lines, the return and its line,
the audit events of every step it went through (submit, authorize, receive, inspect, approval,
refund, close; some are cancelled, rejected or expire), inspected units, the stock moves of
receiving and of the inspected units' destination, and the refund; the order lines' running totals
(in process, returned, refunded) agree with the returns. Every return's story ends before the
clock's now; those still on their way when it stops are open in that stage.

What it leaves out (``returndesk check`` reports these on a benchmark database, and only these):
the audit events' hashes are not chained (``prev_hash``/``hash`` hold the sequence number), and
refunds have no credit notes, refund lines or journal entries, approvals no approval rows; stock
of the sales themselves is not moved. The catalogue, customers, users and stations are the demo's.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select, text

from returndesk.devtools import demo
from returndesk.domain.analytics import ACTION_ENTERS
from returndesk.domain.scan import format_rma
from returndesk.domain.types import Location
from returndesk.domain.units import format_units
from returndesk.services.infra import bootstrap
from returndesk.services.tx import summaries
from returndesk.services.usecases import sales
from returndesk.services.tx.bulk import canonical_json
from returndesk.services.tx.context import ServiceContext
from returndesk.store.engine import Database
from returndesk.store.schema import Base, ReturnPolicy, ReturnReason

Say = Callable[[str], None]

#: Returns written per round of inserts (the transaction spans them all).
CHUNK = 20_000

_COLUMNS: dict[str, tuple[str, ...]] = {
    "sales_orders": ("id", "order_no", "channel", "customer_id", "sold_at", "delivered_at", "payment_method",
                     "currency", "shipping_minor", "total_paid_minor", "site"),
    "sales_order_lines": ("id", "order_id", "line_no", "product_id", "quantity", "unit_price_minor",
                          "discount_minor", "tax_minor", "paid_minor", "qty_in_process", "qty_returned",
                          "refunded_minor", "version"),
    "returns": ("id", "rma_no", "order_id", "customer_id", "channel", "status", "status_changed_at",
                "status_changed_by", "policy_id", "in_policy", "refund_method", "resolution", "created_by",
                "created_at", "created_station", "received_at", "received_by", "inspected_at", "inspected_by",
                "approval_level", "refund_total_minor", "deductions_minor", "shipping_refund_minor", "currency",
                "version", "receive_by"),
    "return_lines": ("id", "return_id", "line_no", "order_line_id", "product_id", "qty_requested",
                     "qty_authorized", "qty_received", "qty_accepted", "qty_rejected", "reason_code", "resolution",
                     "policy_status", "grade", "disposition", "short_closed", "refund_minor", "fee_minor",
                     "deduction_minor", "tax_minor", "units_held"),
    "inspection_units": ("id", "return_id", "return_line_id", "product_id", "outcome", "grade", "disposition",
                         "inspected_by", "inspected_at", "station"),
    "stock_movements": ("id", "product_id", "from_location_id", "to_location_id", "quantity", "return_id", "reason",
                        "created_at", "created_by"),
    "refunds": ("id", "refund_no", "return_id", "method", "amount_minor", "currency", "issued_by", "issued_at",
                "station"),
    "audit_events": ("seq", "occurred_at", "user_id", "username", "station", "entity", "entity_id", "action",
                     "before_json", "after_json", "prev_hash", "hash", "hash_version"),
}
_ORDER = tuple(_COLUMNS)
_STATUS_JSON = {action: canonical_json({"status": st.value}) for action, st in ACTION_ENTERS.items()}
_GRADES = (("A", 0.5, "restock", 0), ("B", 0.25, "restock", 5), ("C", 0.15, "refurbish", 15), ("D", 0.10, "scrap", 0))
_DEST = {"restock": Location.AVAILABLE.value, "refurbish": Location.REFURBISH.value, "scrap": Location.SCRAP.value}
_STORE_SITES = ("SH01", "BJ02")


@dataclass
class FastResult:
    """What the generator wrote and how long each part took."""

    returns: int = 0
    orders: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    stages: list[tuple[str, int, float]] = field(default_factory=list)  # name, count, seconds
    by_status: dict[str, int] = field(default_factory=dict)
    write_seconds: float = 0.0


class _Writer:
    """Rows to the driver: COPY on PostgreSQL, executemany on SQLite, in one transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.sqlite = db.is_sqlite
        self.raw: Any = db.engine.raw_connection()
        self.conn: Any = self.raw.driver_connection
        dialect = db.engine.dialect
        self.procs: dict[str, list[Any]] = {}
        for name, cols in _COLUMNS.items():
            t = Base.metadata.tables[name]
            self.procs[name] = [t.c[c].type._cached_bind_processor(dialect) if self.sqlite else None for c in cols]
        if self.sqlite:
            self.conn.isolation_level = None
            for pragma in ("PRAGMA synchronous=OFF", "PRAGMA cache_size=-400000", "PRAGMA temp_store=MEMORY"):
                self.conn.execute(pragma)
            self.conn.execute("BEGIN IMMEDIATE")

    def write(self, name: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        cols = _COLUMNS[name]
        if self.sqlite:
            procs = [(i, p) for i, p in enumerate(self.procs[name]) if p is not None]
            if procs:
                converted = []
                for row in rows:
                    values = list(row)
                    for i, p in procs:
                        if values[i] is not None:
                            values[i] = p(values[i])
                    converted.append(values)
                rows = converted  # type: ignore[assignment]
            sql = f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            self.conn.executemany(sql, rows)
            return
        with self.conn.cursor() as cur, cur.copy(f"COPY {name} ({', '.join(cols)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        if self.sqlite:
            self.conn.execute(sql, params)
        else:
            self.conn.execute(sql.replace("?", "%s"), params)

    def commit(self) -> None:
        if self.sqlite:
            self.conn.execute("COMMIT")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        else:
            self.conn.commit()
        self.raw.close()


def _top(db: Database, table: str, column: str = "id") -> int:
    with db.read() as s:
        return int(s.execute(text(f"SELECT coalesce(max({column}), 0) FROM {table}")).scalar_one())


def generate_fast(url: str, *, returns: int, seed: int = 1, days: int = 90, now: datetime | None = None,
                  say: Say = print) -> FastResult:
    """Migrate the (empty) database at ``url`` and write ``returns`` returns on twice as many sales."""
    result = FastResult()
    db = Database.open(url)
    try:
        ctx = ServiceContext(db=db, station="bench")
        clock = time.perf_counter()
        bootstrap.open_database(ctx)
        ref = demo._ensure_reference(ctx)
        now = (now or ctx.now()).astimezone(UTC)
        customers = demo._make_customers(ctx, demo._rng(seed, "customers"), max(30, min(returns * 2 // 3, 200_000)),
                                         now, lambda stage, done, total: None)
        with db.read() as s:
            policy_id = int(s.execute(select(ReturnPolicy.id).order_by(ReturnPolicy.version.desc()).limit(1))
                            .scalar_one())
            deadline_days = sales.policy_rules(s, policy_id).receive_deadline_days
            reasons = list(s.execute(select(ReturnReason.code).order_by(ReturnReason.code)).scalars())
        result.stages.append(("reference and customers", len(customers), time.perf_counter() - clock))
        _write_returns(db, ref, customers, (policy_id, deadline_days), reasons, returns, seed, days, now, say, result)
        clock = time.perf_counter()
        if not db.is_sqlite:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
            result.stages.append(("statistics (ANALYZE)", 0, time.perf_counter() - clock))
            clock = time.perf_counter()
        summaries.refresh(db, rebuild=True)
        if not db.is_sqlite:
            # What autovacuum does to tables just written, which a test server may run without: the
            # visibility map lets the analytics' picks read their covering indexes alone.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM (ANALYZE) analytics_stays, analytics_return_stages, "
                                     "analytics_stage_daily, analytics_trend_daily, analytics_days")
        result.stages.append(("analytics summaries", result.returns, time.perf_counter() - clock))
        say(f"  analytics summaries: {time.perf_counter() - clock:,.0f} s")
        return result
    finally:
        db.dispose()


def _write_returns(db: Database, ref: Any, customers: list[int], policy: tuple[int, int], reasons: list[str],
                   count: int, seed: int, days: int, now: datetime, say: Say, result: FastResult) -> None:
    rng = random.Random(f"returndesk-bench-fast:{seed}")
    items = [i for i in ref.items if i.returnable and not i.serial_tracked] or [i for i in ref.items if i.returnable]
    weights = [i.weight for i in items]
    loc = ref.locations
    actors = ref.actors
    clerks = [a for name, a in sorted(actors.items()) if name.startswith("clerk")]
    inspectors = [a for name, a in sorted(actors.items()) if name.startswith("inspector")]
    approvers = [a for name, a in sorted(actors.items()) if name.startswith("supervisor")] or clerks
    reason_weights = [3.0 if r in ("changed_mind", "defective") else 1.0 for r in reasons]
    start = now - timedelta(days=days)
    span = (now - start).total_seconds()
    next_id = {name: _top(db, name) + 1 for name in _ORDER if name != "audit_events"}
    seq = _top(db, "audit_events", "seq")
    writer = _Writer(db)
    started = time.perf_counter()
    written = 0
    try:
        while written < count:
            n = min(CHUNK, count - written)
            rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in _ORDER}
            events: list[tuple[datetime, int, tuple[Any, ...]]] = []
            for k in range(n):
                # Sales grow over the period (more recent days sell a little more).
                u = (written + k + rng.random()) / count
                sold = start + timedelta(seconds=span * (u ** 0.85))
                channel = rng.choices(("store", "online", "phone"), (0.5, 0.4, 0.1))[0]
                site = rng.choice(_STORE_SITES) if channel == "store" else None
                delivered = sold if channel == "store" else sold + timedelta(hours=rng.uniform(20, 96))
                customer = rng.choice(customers)
                for twin in range(2):
                    oid = next_id["sales_orders"]
                    next_id["sales_orders"] += 1
                    item = rng.choices(items, weights)[0]
                    qty = 1 if rng.random() < 0.8 else 2
                    paid = item.price * qty
                    tax = paid * item.tax_rate_bp // (10000 + item.tax_rate_bp)
                    lid = next_id["sales_order_lines"]
                    next_id["sales_order_lines"] += 1
                    order_no = f"SO-B{oid:09d}"
                    rows["sales_orders"].append((oid, order_no, channel, customer, sold, delivered, "card", "CNY", 0,
                                                 paid, site))
                    held = returned = refunded_minor = 0
                    if twin == 0:
                        held, returned, refunded_minor = _one_return(
                            rng, rows, events, next_id, oid, lid, customer, channel, item, qty, paid, tax,
                            delivered, now, policy, reasons, reason_weights, loc, clerks, inspectors, approvers,
                            result)
                    rows["sales_order_lines"].append((lid, oid, 1, item.id, qty, item.price, 0, tax, paid, held,
                                                      returned, refunded_minor, 1))
            events.sort(key=lambda e: (e[0], e[1]))
            for when, _order, ev in events:
                seq += 1
                rows["audit_events"].append((seq, when, *ev, f"{seq - 1:064d}", f"{seq:064d}", 2))
            for name in _ORDER:
                writer.write(name, rows[name])
                result.rows[name] = result.rows.get(name, 0) + len(rows[name])
            written += n
            rate = written / max(time.perf_counter() - started, 1e-6)
            say(f"  returns (fast bulk): {written:,}/{count:,} ({rate:,.0f}/s)")
        # The chain head, the RMA numbers and (PostgreSQL) the id sequences continue after the data.
        if seq:
            writer.execute("UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1", (seq, f"{seq:064d}"))
        writer.execute("UPDATE number_sequences SET next_value = ? WHERE name = 'rma' AND next_value <= ?",
                       (next_id["returns"], next_id["returns"] - 1))
        if not db.is_sqlite:
            for name in _ORDER:
                if name != "audit_events":
                    writer.execute(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                   f"(SELECT coalesce(max(id), 1) FROM {name}))")
        writer.commit()
    except BaseException:
        try:
            writer.raw.rollback() if not db.is_sqlite else writer.conn.execute("ROLLBACK")
        finally:
            raise
    result.returns = written
    result.orders = 2 * written
    result.write_seconds = time.perf_counter() - started
    result.stages.append(("returns in bulk (fast)", written, result.write_seconds))


def _receive_by(authorized: datetime | None, deadline_days: int) -> date | None:
    """The day a remote return's parcel is due: its authorization's day (UTC, as the demo's) and
    the policy's days (it expires at the first expiry run after that day, ``demo._expire_time``)."""
    return None if authorized is None else authorized.astimezone(UTC).date() + timedelta(days=deadline_days)


def _one_return(rng: random.Random, rows: dict[str, list[tuple[Any, ...]]],
                events: list[tuple[datetime, int, tuple[Any, ...]]], next_id: dict[str, int], oid: int, lid: int,
                customer: int, channel: str, item: Any, qty: int, paid: int, tax: int, delivered: datetime,
                now: datetime, policy: tuple[int, int], reasons: list[str], reason_weights: list[float],
                loc: dict[str, int], clerks: list[Any], inspectors: list[Any], approvers: list[Any],
                result: FastResult) -> tuple[int, int, int]:
    """One return of the order's line, its events, units, moves and refund; the line's running totals.
    ``policy``: the policy's id and the days a remote return's parcel has to arrive after it was
    authorized (its ``receive_by``, as intake's authorization sets it; it expires after that day)."""
    policy_id, deadline_days = policy
    rid = next_id["returns"]
    next_id["returns"] += 1
    rlid = next_id["return_lines"]
    next_id["return_lines"] += 1
    rma = format_rma(rid)
    counter = channel == "store"
    reference = min(delivered, now - timedelta(hours=2))
    room = (now - reference).total_seconds() - 600
    created = reference + timedelta(seconds=min(room, rng.uniform(0.2, 20) * 86400 * rng.random() + 300))
    clerk = rng.choice(clerks)
    inspector = rng.choice(inspectors)
    approver = rng.choice(approvers)
    station = clerk.station
    fate = rng.random()
    steps: list[tuple[str, timedelta, Any]] = [("submit", timedelta(0), clerk)]
    if fate < 0.03:
        steps.append(("cancel", timedelta(hours=rng.uniform(1, 48)), clerk))
    elif fate < 0.07:
        steps.append(("reject", timedelta(hours=rng.uniform(1, 48)), approver))
    else:
        to_authorize = timedelta(minutes=1) if counter else timedelta(hours=rng.uniform(0.2, 24))
        steps.append(("authorize", to_authorize, clerk))
        if not counter and fate < 0.09:
            # The first expiry run after the deadline's day, as the demo's.
            authorized = created + to_authorize
            steps.append(("expire", demo._expire_time(authorized, deadline_days) - authorized, None))
        else:
            steps.append(("receive", timedelta(minutes=2) if counter else timedelta(days=rng.uniform(1, 6)),
                          inspector))
            steps.append(("complete_inspection", timedelta(hours=rng.uniform(0.5, 30)), inspector))
            if rng.random() < 0.2:
                steps.append(("route_for_approval", timedelta(0), inspector))
                steps.append(("approve", timedelta(hours=rng.uniform(0.5, 20)), approver))
            else:
                steps.append(("auto_approve", timedelta(0), None))
            steps.append(("refund", timedelta(hours=rng.uniform(0.1, 6)), clerk))
            steps.append(("close", timedelta(days=14), None))
    when = created
    done: list[tuple[str, datetime, Any]] = []
    for action, delay, actor in steps:
        when = when + delay
        if when > now:
            break
        done.append((action, when, actor))
    status = ACTION_ENTERS[done[-1][0]].value
    result.by_status[status] = result.by_status.get(status, 0) + 1
    times = {action: at for action, at, _ in done}
    for n, (action, at, actor) in enumerate(done):
        events.append((at, rid * 16 + n, (actor.user_id if actor else None, actor.username if actor else None,
                                          actor.station if actor else "server", "return", rma, action, None,
                                          _STATUS_JSON[action])))
    received = times.get("receive")
    inspected = times.get("complete_inspection")
    refunded_at = times.get("refund")
    grade = disposition = None
    deduction = 0
    if inspected is not None:
        pick = rng.random()
        acc = 0.0
        for g, share, disp, pct in _GRADES:
            acc += share
            if pick <= acc:
                grade, disposition, deduction = g, disp, paid * pct // 100
                break
        else:
            grade, disposition = "A", "restock"
    refund_amount = paid - deduction if refunded_at is not None else 0
    open_now = status in ("requested", "authorized", "received", "inspected", "awaiting_approval", "approved")
    kept = status in ("refunded", "closed")
    held_units = format_units(range(qty)) if (open_now or kept) else None
    rows["returns"].append((
        rid, rma, oid, customer, "counter" if counter else "remote", status, done[-1][1], None, policy_id, True,
        "original_payment", "refund", clerk.user_id, created, station, received,
        inspector.user_id if received else None, inspected, inspector.user_id if inspected else None,
        "supervisor" if "route_for_approval" in times else None, refund_amount, deduction, 0, "CNY", 1,
        _receive_by(times.get("authorize"), deadline_days) if not counter else None))
    rows["return_lines"].append((
        rlid, rid, 1, lid, item.id, qty, qty if "authorize" in times else 0, qty if received else 0,
        qty if inspected else 0, 0, rng.choices(reasons, reason_weights)[0], "refund", "within", grade, disposition,
        False, refund_amount, 0, deduction, tax if refunded_at else 0, held_units))
    if received is not None:
        mid = next_id["stock_movements"]
        next_id["stock_movements"] += 1
        rows["stock_movements"].append((mid, item.id, loc[Location.CUSTOMER.value], loc[Location.INSPECTION.value],
                                        qty, rid, "received", received, inspector.user_id))
    if inspected is not None:
        dock = inspector.station
        for unit in range(qty):
            uid = next_id["inspection_units"]
            next_id["inspection_units"] += 1
            at = inspected - timedelta(minutes=5 * (qty - unit))
            rows["inspection_units"].append((uid, rid, rlid, item.id, "accepted", grade, disposition,
                                             inspector.user_id, max(at, received or at), dock))
        mid = next_id["stock_movements"]
        next_id["stock_movements"] += 1
        rows["stock_movements"].append((mid, item.id, loc[Location.INSPECTION.value],
                                        loc[_DEST[disposition or "restock"]], qty, rid, "inspected", inspected,
                                        inspector.user_id))
    if refunded_at is not None:
        fid = next_id["refunds"]
        next_id["refunds"] += 1
        rows["refunds"].append((fid, f"RF-B{fid:09d}", rid, "original_payment", refund_amount, "CNY", clerk.user_id,
                                refunded_at, station))
    if kept:
        return 0, qty, refund_amount
    return (qty if open_now else 0), 0, 0


__all__ = ["FastResult", "generate_fast"]
