"""A load test of many stations on one database, and the proof of the invariants afterwards.

``run_loadtest(url, stations=N, seconds=S)`` prepares a pool of sales, then starts N separate
processes. Each plays a station that, in a loop until its time is up (or, with ``operations=K``, until
it has done K operations), takes returns in (intake and
authorization), inspects parcels (receive, one unit per item, complete), approves refunds and issues
refunds — always choosing among the *oldest* waiting returns, so stations collide on the same
returns and the same order lines on purpose. Every operation is timed; a refusal the services are
meant to give under contention (someone else got there first, the quantity is used up) counts as
"refused", anything else unexpected as an error.

Processor time is reported per successful operation, the stations' (client) and the database
server's separately: each station process measures its own processor time over its loop, and, on
a PostgreSQL server on this machine, the processor time of the server processes that served its
connections (read from ``/proc``). With more than two stations per core the stations wait for a
processor and the figures measure the run queue as much as the code; the report says so.

Afterwards the database must prove: no return refunded twice; refunded <= paid per order line;
returned <= purchased; no internal stock location negative (on-hand is the sum of movements);
debits = credits in every journal entry; the audit chain verifies; and every operation a station
reported as successful is in the database.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import statistics
import tempfile
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from returndesk.domain.errors import DatabaseUnavailable, ReturnDeskError
from returndesk.domain.types import Location, ReturnStatus, Role

from returndesk.services.tx import audit, stock
from returndesk.services.usecases import auth
from returndesk.services.infra.bootstrap import open_database
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.store.usage import BackendCpu

OPERATIONS = ("intake", "inspect", "approve", "refund")
_WEIGHTS = (3, 3, 2, 2)
LT_PASSWORD = "load test 1"
_USERS = (
    ("lt_clerk", Role.CLERK, 10_000_000),
    ("lt_inspector", Role.INSPECTOR, 0),
    ("lt_supervisor", Role.SUPERVISOR, 10_000_000),
    ("lt_manager", Role.MANAGER, 100_000_000),
)
_PRODUCTS = (
    ("LT-EL-1", "electronics", 29900, 15000),
    ("LT-AP-1", "apparel", 8900, 3000),
    ("LT-HM-1", "home", 5900, 2000),
    ("LT-SH-1", "shoes", 45900, 22000),
)
_REASONS = ("defective", "changed_mind", "wrong_size", "damaged_in_transit")


# --------------------------------------------------------------------------- preparation


def prepare(ctx: ServiceContext, *, orders: int, seed: int = 1) -> list[str]:
    """Users, a small catalogue and ``orders`` delivered sales of 3 lines x 3 units; their numbers."""
    from returndesk.store.schema import Customer, Product, SalesOrder, SalesOrderLine, User

    rng = random.Random(seed)
    now = ctx.now()
    with ctx.db.write() as s:
        have = set(s.execute(select(User.username)).scalars())
        for username, role, limit in _USERS:
            if username not in have:
                s.add(User(username=username, display_name=username, role=role.value,
                           password_hash=auth.hash_password(LT_PASSWORD), approval_limit_minor=limit,
                           created_at=now, active=True, failed_attempts=0))
        products = []
        for sku, cat, price, cost in _PRODUCTS:
            p = s.execute(select(Product).where(Product.sku == sku)).scalar_one_or_none()
            if p is None:
                p = Product(sku=sku, barcode=None, name=f"Load test {sku}", category=cat,
                            price_minor=price, cost_minor=cost, tax_rate_bp=1300, returnable=True,
                            serial_tracked=False)
                s.add(p)
                s.flush()
            products.append(p)
        cust = s.execute(select(Customer).where(Customer.code == "LT-C")).scalar_one_or_none()
        if cust is None:
            cust = Customer(code="LT-C", name="Load Test Customer", phone="10000000000", created_at=now)
            s.add(cust)
            s.flush()
        start = s.execute(select(func.count()).select_from(SalesOrder)).scalar_one()
        numbers = []
        for i in range(orders):
            order_no = f"SO-9{seed:02d}{start + i:07d}"
            order = SalesOrder(order_no=order_no, channel="online", customer_id=cust.id,
                               sold_at=now - timedelta(days=5), delivered_at=now - timedelta(days=3),
                               payment_method="card", currency="CNY", shipping_minor=0,
                               total_paid_minor=0, site="LT")
            s.add(order)
            s.flush()
            total = 0
            for n, p in enumerate(rng.sample(products, 3), start=1):
                paid = p.price_minor * 3
                tax = (paid * 1300 * 2 + 11300) // (11300 * 2)
                s.add(SalesOrderLine(order_id=order.id, line_no=n, product_id=p.id, quantity=3,
                                     unit_price_minor=p.price_minor, discount_minor=0, tax_minor=tax,
                                     paid_minor=paid))
                stock.move(s, ctx, None, product_id=p.id, from_location=Location.CUSTOMER,
                           to_location=Location.AVAILABLE, quantity=3, reason="purchase")
                stock.move(s, ctx, None, product_id=p.id, from_location=Location.AVAILABLE,
                           to_location=Location.CUSTOMER, quantity=3, reason="sale")
                total += paid
            order.total_paid_minor = total
            numbers.append(order_no)
    return numbers


# --------------------------------------------------------------------------- one station


@dataclass
class StationResult:
    station: str
    ops: list[tuple[str, str, float]] = field(default_factory=list)  # (op, outcome, seconds)
    successes: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    client_cpu: float = 0.0  # processor seconds of the station's loop
    server_cpu: float | None = None  # processor seconds of its PostgreSQL server processes, when measurable


def _actors(ctx: ServiceContext, station: str) -> dict[str, Actor]:
    from returndesk.store.schema import User

    with ctx.db.read() as s:
        users = s.execute(select(User).where(User.username.like("lt_%"))).scalars().all()
        return {u.username: Actor(u.id, u.username, u.display_name, Role(u.role), u.approval_limit_minor,
                                  station) for u in users}


def _oldest(ctx: ServiceContext, status: ReturnStatus, rng: random.Random, window: int = 8) -> Any:
    """One of the oldest returns in ``status``: stations deliberately pick the same ones."""
    from returndesk.store.schema import Return

    with ctx.db.read() as s:
        rows = s.execute(
            select(Return.rma_no, Return.approval_level)
            .where(Return.status == status.value)
            .order_by(Return.status_changed_at, Return.id)
            .limit(window)
        ).all()
    return rng.choice(rows) if rows else None


def _op_intake(ctx, actors, orders, rng) -> dict | None:
    from returndesk.services.usecases import intake, sales

    order_no = rng.choice(orders)
    sale = sales.get_sale(ctx, actors["lt_clerk"], order_no, channel="remote")
    line = rng.choice(sale.lines)
    qty = rng.randint(1, 2)
    draft = intake.ReturnDraft(
        order_no=order_no, channel="remote", refund_method="original_payment",
        lines=(intake.DraftLine(order_line_id=line.order_line_id, quantity=qty,
                                reason_code=rng.choice(_REASONS)),),
    )
    detail = intake.create_return(ctx, actors["lt_clerk"], draft)
    detail = intake.authorize_return(ctx, actors["lt_clerk"], detail.rma_no, expected_version=detail.version)
    return {"op": "intake", "rma": detail.rma_no, "order_line_id": line.order_line_id, "qty": qty}


def _op_inspect(ctx, actors, orders, rng) -> dict | None:
    from returndesk.services.usecases import inspection, receiving

    picked = _oldest(ctx, ReturnStatus.AUTHORIZED, rng)
    if picked is None:
        return None
    rma = picked[0]
    who = actors["lt_inspector"]
    detail = receiving.receive_return(ctx, who, rma)
    for line in detail.lines:
        for _ in range(line.qty_authorized):
            inspection.record_unit(ctx, who, rma, line_id=line.id, grade="A")
    result = inspection.complete_inspection(ctx, who, rma)
    return {"op": "inspect", "rma": rma, "status": result.detail.status}


def _op_approve(ctx, actors, orders, rng) -> dict | None:
    from returndesk.services.usecases import approval

    picked = _oldest(ctx, ReturnStatus.AWAITING_APPROVAL, rng)
    if picked is None:
        return None
    rma, level = picked
    who = actors["lt_manager"] if level == "manager" else actors["lt_supervisor"]
    approval.approve_refund(ctx, who, rma)
    return {"op": "approve", "rma": rma, "by": who.username}


def _op_refund(ctx, actors, orders, rng) -> dict | None:
    from returndesk.services.usecases import refunds

    picked = _oldest(ctx, ReturnStatus.APPROVED, rng)
    if picked is None:
        return None
    result = refunds.issue_refund(ctx, actors["lt_clerk"], picked[0])
    return {"op": "refund", "rma": picked[0], "refund_no": result.refund.refund_no,
            "amount": result.refund.amount_minor}


_OPS = {"intake": _op_intake, "inspect": _op_inspect, "approve": _op_approve, "refund": _op_refund}


def run_station(url: str, station: str, orders: list[str], seconds: float, seed: int,
                progress_file: str | None = None, max_ops: int | None = None) -> StationResult:
    """One station's loop; also the body of each load-test process."""
    from returndesk.store.engine import Database

    ctx = ServiceContext(db=Database.open(url, application_name=f"returndesk-lt/{station}", pool_size=2),
                         station=station)
    server_cpu = BackendCpu(ctx.db.engine)
    rng = random.Random(seed)
    result = StationResult(station)
    deadline = time.monotonic() + seconds
    try:
        actors = _actors(ctx, station)
        server_before = server_cpu.seconds() or 0.0
        cpu_before = time.process_time()
        while time.monotonic() < deadline and (max_ops is None or len(result.ops) < max_ops):
            op = rng.choices(OPERATIONS, weights=_WEIGHTS)[0]
            started = time.perf_counter()
            try:
                done = _OPS[op](ctx, actors, orders, rng)
            except DatabaseUnavailable:
                outcome = "unavailable"
            except ReturnDeskError:
                outcome = "refused"
            except Exception:
                outcome = "error"
                result.errors.append(traceback.format_exc(limit=6))
            else:
                if done is None:
                    continue  # nothing waiting for this operation right now
                outcome = "ok"
                result.successes.append(done)
            result.ops.append((op, outcome, time.perf_counter() - started))
            if progress_file:
                with open(progress_file, "a", encoding="utf-8") as fh:
                    extra = result.successes[-1] if outcome == "ok" else {}
                    if outcome == "error":
                        extra = {"error": result.errors[-1]}
                    fh.write(json.dumps({"op": op, "outcome": outcome, **extra}) + "\n")
        result.client_cpu = time.process_time() - cpu_before
        server_after = server_cpu.seconds()
        result.server_cpu = None if server_after is None else server_after - server_before
    finally:
        ctx.db.dispose()
    return result


def _station_process(url: str, station: str, orders: list[str], seconds: float, seed: int, out: str,
                     max_ops: int | None = None) -> None:
    result = run_station(url, station, orders, seconds, seed, max_ops=max_ops)
    Path(out).write_text(json.dumps({"station": result.station, "ops": result.ops,
                                     "successes": result.successes, "errors": result.errors,
                                     "client_cpu": result.client_cpu, "server_cpu": result.server_cpu}))


# --------------------------------------------------------------------------- the invariants


def check_invariants(ctx: ServiceContext, successes: list[dict[str, Any]]) -> list[str]:
    """Every invariant of money, stock and audit, and every reported success; [] when all hold."""
    from returndesk.store.schema import Approval, Refund, Return, User

    from returndesk.services.usecases import finance

    problems = [str(p) for p in finance.check_books(ctx)]
    with ctx.db.read() as s:
        twice = s.execute(
            select(Refund.return_id, func.count()).group_by(Refund.return_id).having(func.count() > 1)
        ).all()
        problems += [f"return #{rid} was refunded {n} times" for rid, n in twice]
        statuses = dict(s.execute(select(Return.rma_no, Return.status)).all())
        refunds = {rn: amt for rn, amt in s.execute(select(Refund.refund_no, Refund.amount_minor)).all()}
        approvals = set(s.execute(
            select(Return.rma_no, User.username)
            .join(Approval, Approval.return_id == Return.id)
            .join(User, User.id == Approval.decided_by)
            .where(Approval.decision.in_(("approved", "override")))
        ).all())
    for done in successes:
        rma = done["rma"]
        if rma not in statuses:
            problems.append(f"{done['op']} of {rma} reported success but the return does not exist")
        elif done["op"] == "inspect" and statuses[rma] in ("authorized", "received"):
            problems.append(f"inspection of {rma} reported success but it is {statuses[rma]}")
        elif done["op"] == "approve" and (rma, done["by"]) not in approvals:
            problems.append(f"approval of {rma} by {done['by']} reported success but is not recorded")
        elif done["op"] == "refund" and refunds.get(done["refund_no"]) != done["amount"]:
            problems.append(f"refund {done['refund_no']} of {rma} reported success but is not recorded")
    chain = audit.verify_chain(ctx)
    if not chain.ok:
        problems.append(chain.message)
    return problems


# --------------------------------------------------------------------------- the whole run


@dataclass(frozen=True)
class OpStats:
    op: str
    ok: int
    refused: int
    unavailable: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


@dataclass(frozen=True)
class LoadTestReport:
    stations: int
    seconds: float
    operations: int
    throughput: float  # successful operations per second
    stats: tuple[OpStats, ...]
    problems: tuple[str, ...]
    errors: tuple[str, ...]
    client_cpu_ms_per_op: float | None = None  # the stations' processor time per successful operation
    server_cpu_ms_per_op: float | None = None  # the PostgreSQL server's, when it runs on this machine
    cores: int = 1
    servers: int = 0  # ReturnDesk servers the stations worked through (0: straight to the database)
    returndesk_cpu_ms_per_op: float | None = None  # the ReturnDesk servers' (all their processes)
    sign_ins: int = 0  # sign-ins at the servers before the stations started
    sign_in_cpu_ms: float | None = None  # the servers' processor time per sign-in

    @property
    def ok(self) -> bool:
        return not self.problems and not self.errors

    def cpu_line(self) -> str:
        client = "-" if self.client_cpu_ms_per_op is None else f"{self.client_cpu_ms_per_op:.1f} ms"
        if self.servers:
            returndesk = ("not measured (a server did not report its usage)" if self.returndesk_cpu_ms_per_op is None
                          else f"{self.returndesk_cpu_ms_per_op:.1f} ms")
            database = ("not measured (PostgreSQL runs on another machine than the server)"
                        if self.server_cpu_ms_per_op is None else f"{self.server_cpu_ms_per_op:.1f} ms")
            line = (f"Processor time per successful operation: stations {client} (HTTP client side), "
                    f"{self.servers} ReturnDesk server(s) {returndesk}, database {database}")
            if self.returndesk_cpu_ms_per_op is not None and self.server_cpu_ms_per_op is not None and \
                    self.client_cpu_ms_per_op is not None:
                total = self.client_cpu_ms_per_op + self.returndesk_cpu_ms_per_op + self.server_cpu_ms_per_op
                line += f"; {total:.1f} ms in all"
            if self.sign_in_cpu_ms is not None:
                line += (f"\n  ({self.sign_ins} sign-ins before the stations started: "
                         f"{self.sign_in_cpu_ms:.1f} ms of server processor time each, not in the figures above)")
        else:
            server = ("not measured (SQLite runs inside the stations, or the server is on another machine)"
                      if self.server_cpu_ms_per_op is None else f"{self.server_cpu_ms_per_op:.1f} ms")
            line = f"Processor time per successful operation: stations {client}, database server {server}"
        if self.stations > 2 * self.cores:
            line += (f"\n  ({self.stations} stations on {self.cores} cores: more than two per core, so the "
                     "stations queue for a processor and latencies measure the run queue as much as the code)")
        return line

    def format(self) -> str:
        through = f" through {self.servers} ReturnDesk server(s)" if self.servers else ""
        lines = [
            f"{self.stations} stations{through}, {self.seconds:.1f} s, {self.operations} operations, "
            f"{self.throughput:.1f} successful operations/s",
            self.cpu_line(),
            f"{'operation':<10}{'ok':>7}{'refused':>9}{'offline':>9}{'errors':>8}"
            f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}",
        ]
        for st in self.stats:
            lines.append(f"{st.op:<10}{st.ok:>7}{st.refused:>9}{st.unavailable:>9}{st.errors:>8}"
                         f"{st.p50_ms:>9.1f}{st.p95_ms:>9.1f}{st.p99_ms:>9.1f}")
        if self.problems:
            lines.append("INVARIANTS BROKEN:")
            lines += [f"  - {p}" for p in self.problems]
        else:
            lines.append("Invariants hold: no double refund; refunded <= paid; returned <= purchased; "
                         "stock never negative; journal balanced; audit chain intact; every reported "
                         "success is in the database.")
        if self.errors:
            lines.append(f"{len(self.errors)} unexpected errors; first:")
            lines.append(self.errors[0])
        return "\n".join(lines)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def summarise(results: list[StationResult], stations: int, seconds: float,
              problems: list[str]) -> LoadTestReport:
    by_op: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for r in results:
        for op, outcome, secs in r.ops:
            by_op[op].append((outcome, secs))
    stats = []
    for op in OPERATIONS:
        rows = by_op.get(op, [])
        ok_times = [t for o, t in rows if o == "ok"]
        stats.append(OpStats(op, len(ok_times), sum(o == "refused" for o, _ in rows),
                             sum(o == "unavailable" for o, _ in rows), sum(o == "error" for o, _ in rows),
                             _percentile(ok_times, 50), _percentile(ok_times, 95), _percentile(ok_times, 99)))
    total = sum(len(r.ops) for r in results)
    good = sum(st.ok for st in stats)
    client = sum(r.client_cpu for r in results) * 1000 / good if good else None
    server_times = [r.server_cpu for r in results]
    server = (sum(server_times) * 1000 / good  # type: ignore[arg-type]
              if good and server_times and all(t is not None for t in server_times) else None)
    return LoadTestReport(stations, seconds, total, good / seconds if seconds else 0.0, tuple(stats),
                          tuple(problems), tuple(e for r in results for e in r.errors),
                          client_cpu_ms_per_op=client, server_cpu_ms_per_op=server, cores=os.cpu_count() or 1)


def read_station_reports(outs: list[str], procs: list[Any]) -> tuple[list[StationResult], list[str]]:
    """Each station process's report (written to ``outs[i]`` as it ended), and a line for each
    station that ended without one."""
    results: list[StationResult] = []
    crashed: list[str] = []
    for i, out in enumerate(outs):
        if not os.path.exists(out):
            crashed.append(f"station LT-{i + 1:02d} ended without a report (exit code {procs[i].exitcode})")
            continue
        data = json.loads(Path(out).read_text())
        results.append(StationResult(data["station"], [tuple(o) for o in data["ops"]], data["successes"],
                                     data["errors"], data["client_cpu"], data.get("server_cpu")))
    return results, crashed


def run_loadtest(url: str, *, stations: int = 4, seconds: float = 10.0, orders: int | None = None,
                 seed: int = 1, operations: int | None = None) -> LoadTestReport:
    """Prepare, run ``stations`` processes for ``seconds`` (each stops earlier once it has done
    ``operations`` operations, when given), then check every invariant."""
    from returndesk.store.engine import Database

    ctx = ServiceContext(db=Database.open(url), station="LOADTEST")
    try:
        open_database(ctx)
        order_numbers = prepare(ctx, orders=orders or max(10, stations * 5), seed=seed)
    finally:
        ctx.db.dispose()
    mp = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="returndesk-lt-") as tmp:
        outs = [os.path.join(tmp, f"station{i}.json") for i in range(stations)]
        procs = [mp.Process(target=_station_process,
                            args=(url, f"LT-{i + 1:02d}", order_numbers, seconds, seed * 1000 + i, outs[i],
                                  operations))
                 for i in range(stations)]
        started = time.monotonic()
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        elapsed = time.monotonic() - started
        results, crashed = read_station_reports(outs, procs)
    ctx = ServiceContext(db=Database.open(url), station="LOADTEST")
    try:
        problems = crashed + check_invariants(ctx, [s for r in results for s in r.successes])
    finally:
        ctx.db.dispose()
    return summarise(results, stations, min(elapsed, seconds) if results else elapsed, problems)
