"""The load test through ReturnDesk servers: stations that work as the desktop does in shared mode.

``run_server_loadtest(url, [server, …], stations=N, seconds=S)`` prepares the same pool of sales as
the direct load test (through the database address ``url`` the operator gives, the owner's), gives
every station users of its own (a clerk, an inspector, a supervisor and a manager, ``ltNN_…``), and
starts N processes. Each signs its users in at a server (the stations are dealt round-robin over the
servers given) and plays the same workload as :mod:`returndesk.devtools.loadtest` through the
desktop's remote API (:mod:`returndesk.api.remote`): it picks the oldest waiting returns from the
server's own queues, so stations collide on the same returns on purpose. Afterwards the same
invariant checks run on the database.

Processor time is reported per successful operation for the stations (HTTP client, JSON and the
API's decoding), for the servers (all their processes) and for the database processes serving
them. The servers' figures come from the servers themselves (``GET /api/v1/admin/usage``, read by
an administrator of the load test's own, ``lt00_admin``) once every station has signed in and again
when all have finished, so the sign-ins (argon2, costly by design) are reported apart. The
database's share is known only when PostgreSQL runs on the servers' machine.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import random
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from returndesk.domain.errors import DatabaseUnavailable, ReturnDeskError
from returndesk.domain.types import Role

from returndesk.api.remote import ServerConnection, ServerTrust, establish_trust
from returndesk.api.remote import RemoteApi
from returndesk.services.infra.bootstrap import open_database
from returndesk.services.tx.context import ServiceContext
from returndesk.services.usecases import auth

from .loadtest import LT_PASSWORD, OPERATIONS, _REASONS, _WEIGHTS, LoadTestReport, StationResult
from .loadtest import check_invariants, prepare, read_station_reports, summarise

#: The roles every station signs in as, with their approval limits (as the direct load test's users).
STATION_ROLES = (
    ("clerk", Role.CLERK, 10_000_000),
    ("inspector", Role.INSPECTOR, 0),
    ("supervisor", Role.SUPERVISOR, 10_000_000),
    ("manager", Role.MANAGER, 100_000_000),
)


@dataclass(frozen=True)
class ServerAccess:
    """How the stations reach the servers: their addresses and how their certificates are trusted
    (``fingerprint`` of a self-signed certificate, or ``ca_file``; nothing for plain loopback http)."""

    servers: tuple[str, ...]
    fingerprint: str | None = None
    ca_file: str | None = None

    def trust(self, server: str) -> ServerTrust:
        if self.ca_file:
            return ServerTrust(ca_file=self.ca_file)
        return establish_trust(server, self.fingerprint)


#: The load test's administrator, who reads the servers' processor time.
USAGE_ADMIN = "lt00_admin"

#: How long a station waits for the others at the start (each signs in four users; a whole shift
#: signing in at once is answered "busy, try again" and retried).
MEET_SECONDS = 600.0


def station_username(station_no: int, role: str) -> str:
    return f"lt{station_no:02d}_{role}"


def prepare_station_users(ctx: ServiceContext, stations: int) -> None:
    """Users of their own for each station (made once; a second run reuses them)."""
    from returndesk.store.schema import User

    password_hash = auth.hash_password(LT_PASSWORD)  # one hash for all: the same load-test password
    now = ctx.now()
    with ctx.db.write() as s:
        have = set(s.execute(select(User.username).where(User.username.like("lt%\\_%", escape="\\"))).scalars())
        for n in range(1, stations + 1):
            for role_name, role, limit in STATION_ROLES:
                username = station_username(n, role_name)
                if username not in have:
                    s.add(User(username=username, display_name=f"Load test {n:02d} {role_name}",
                               role=role.value, password_hash=password_hash, approval_limit_minor=limit,
                               created_at=now, active=True, failed_attempts=0))
        if USAGE_ADMIN not in have:
            s.add(User(username=USAGE_ADMIN, display_name="Load test administrator", role=Role.ADMIN.value,
                       password_hash=password_hash, approval_limit_minor=0, created_at=now, active=True,
                       failed_attempts=0))


def _meet(barrier: Any) -> bool:
    """Wait at ``barrier`` (None: nothing to wait for); False if another party never came."""
    if barrier is None:
        return True
    try:
        barrier.wait(MEET_SECONDS)
    except threading.BrokenBarrierError:
        return False
    return True


@dataclass(frozen=True)
class ServerUsage:
    """Processor seconds the servers and their database processes had used at one moment."""

    servers: float
    database: float | None


def read_usage(connections: list[ServerConnection]) -> ServerUsage | None:
    """The servers' own account of their processor time (None when a server cannot give it)."""
    servers, database = 0.0, 0.0
    try:
        for connection in connections:
            body = connection.request("GET", "/api/v1/admin/usage")
            servers += float(body["cpu_seconds"])
            database = None if database is None or body["database_cpu_seconds"] is None \
                else database + float(body["database_cpu_seconds"])
    except (ReturnDeskError, KeyError, TypeError, ValueError):
        return None
    return ServerUsage(servers, database)


# --------------------------------------------------------------------------- one station


def _pick(rng: random.Random, items: Any) -> Any:
    return rng.choice(items) if items else None


def _op_intake(apis: dict[str, Any], orders: list[str], rng: random.Random) -> dict[str, Any] | None:
    from returndesk.api.types import DraftLine, ReturnDraft

    api = apis["clerk"]
    order_no = rng.choice(orders)
    sale = api.search.get_sale(order_no, channel="remote")
    line = rng.choice(sale.lines)
    qty = rng.randint(1, 2)
    draft = ReturnDraft(order_no=order_no, channel="remote", refund_method="original_payment",
                        lines=(DraftLine(order_line_id=line.order_line_id, quantity=qty,
                                         reason_code=rng.choice(_REASONS)),))
    detail = api.intake.create_return(draft)
    detail = api.intake.authorize_return(detail.rma_no, expected_version=detail.version)
    return {"op": "intake", "rma": detail.rma_no, "order_line_id": line.order_line_id, "qty": qty}


def _op_inspect(apis: dict[str, Any], orders: list[str], rng: random.Random) -> dict[str, Any] | None:
    api = apis["inspector"]
    picked = _pick(rng, api.receiving.expected_returns(limit=8).items)
    if picked is None:
        return None
    rma = picked.rma_no
    detail = api.receiving.receive_return(rma)
    for line in detail.lines:
        for _ in range(line.qty_authorized):
            api.inspection.record_unit(rma, line_id=line.id, grade="A")
    result = api.inspection.complete_inspection(rma)
    return {"op": "inspect", "rma": rma, "status": result.detail.status}


def _op_approve(apis: dict[str, Any], orders: list[str], rng: random.Random) -> dict[str, Any] | None:
    role = rng.choice(("supervisor", "manager"))
    api = apis[role]
    picked = _pick(rng, api.approval.approval_queue(limit=8).items)
    if picked is None:
        return None
    api.approval.approve_refund(picked.rma_no)
    return {"op": "approve", "rma": picked.rma_no, "by": api.user.username}


def _op_refund(apis: dict[str, Any], orders: list[str], rng: random.Random) -> dict[str, Any] | None:
    api = apis["clerk"]
    picked = _pick(rng, api.refunds.to_pay_queue(limit=8).items)
    if picked is None:
        return None
    result = api.refunds.issue_refund(picked.rma_no)
    return {"op": "refund", "rma": picked.rma_no, "refund_no": result.refund.refund_no,
            "amount": result.refund.amount_minor}


#: A station whose server is unreachable waits this long before its next operation, doubling up to the most.
OFFLINE_PAUSE_SECONDS = 0.2
OFFLINE_PAUSE_MAX_SECONDS = 2.0


_OPS = {"intake": _op_intake, "inspect": _op_inspect, "approve": _op_approve, "refund": _op_refund}


def sign_in_station(connection: ServerConnection, station_no: int) -> dict[str, Any]:
    """The station's API for each of its users, each through a session of its own."""
    apis: dict[str, Any] = {}
    for role_name, _role, _limit in STATION_ROLES:
        user = connection.sign_in(station_username(station_no, role_name), LT_PASSWORD)
        apis[role_name] = RemoteApi(connection, user, None, connection.token)
    return apis


def run_remote_station(access: ServerAccess, server: str, station_no: int, orders: list[str], seconds: float,
                       seed: int, max_ops: int | None = None, *, ready: Any = None, go: Any = None) -> StationResult:
    """One station's loop through ``server``; also the body of each load-test process. With the
    barriers ``ready`` and ``go``, the station meets the others once its users have signed in (or
    failed to), and starts its loop when the load test says go."""
    station = f"LT-{station_no:02d}"
    connection = ServerConnection(server, access.trust(server), station=station)
    rng = random.Random(seed)
    result = StationResult(station)
    try:
        try:
            apis = sign_in_station(connection, station_no)
        finally:
            _meet(ready)
            _meet(go)
        deadline = time.monotonic() + seconds
        cpu_before = time.process_time()
        offline = 0  # operations in a row that found the server unreachable
        while time.monotonic() < deadline and (max_ops is None or len(result.ops) < max_ops):
            if offline:  # the server is away: a station waits before trying again, longer each time
                time.sleep(min(OFFLINE_PAUSE_MAX_SECONDS, OFFLINE_PAUSE_SECONDS * 2 ** (offline - 1)))
            op = rng.choices(OPERATIONS, weights=_WEIGHTS)[0]
            started = time.perf_counter()
            try:
                done = _OPS[op](apis, orders, rng)
                offline = 0
            except DatabaseUnavailable:
                outcome = "unavailable"
                offline += 1
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
        result.client_cpu = time.process_time() - cpu_before
        for api in apis.values():
            try:
                connection.sign_out(api.token)
            except ReturnDeskError:
                pass  # the server is gone: its sessions end by themselves
    finally:
        connection.close()
    return result


def _station_process(access: ServerAccess, server: str, station_no: int, orders: list[str], seconds: float,
                     seed: int, out: str, max_ops: int | None, ready: Any = None, go: Any = None) -> None:
    try:
        result = run_remote_station(access, server, station_no, orders, seconds, seed, max_ops, ready=ready, go=go)
    except ReturnDeskError as exc:  # could not reach the server or sign in: reported, not a crash
        result = StationResult(f"LT-{station_no:02d}", errors=[f"{server}: {exc.message}"])
    Path(out).write_text(json.dumps({"station": result.station, "ops": result.ops,
                                     "successes": result.successes, "errors": result.errors,
                                     "client_cpu": result.client_cpu}))


# --------------------------------------------------------------------------- the whole run


def run_server_loadtest(url: str, access: ServerAccess, *, stations: int = 4, seconds: float = 10.0,
                        orders: int | None = None, seed: int = 1,
                        operations: int | None = None) -> LoadTestReport:
    """Prepare through ``url``, run ``stations`` processes against ``access.servers`` (dealt
    round-robin) for ``seconds``, then check every invariant through ``url``."""
    from returndesk.store.engine import Database

    ctx = ServiceContext(db=Database.open(url), station="LOADTEST")
    try:
        open_database(ctx)
        order_numbers = prepare(ctx, orders=orders or max(10, stations * 5), seed=seed)
        prepare_station_users(ctx, stations)
    finally:
        ctx.db.dispose()
    admins = []
    for server in access.servers:  # an unreachable server or an unknown certificate stops here, once
        admin = ServerConnection(server, access.trust(server), station="LT-00")
        admin.sign_in(USAGE_ADMIN, LT_PASSWORD)
        admins.append(admin)
    mp = multiprocessing.get_context("spawn")
    ready, go = mp.Barrier(stations + 1), mp.Barrier(stations + 1)
    try:
        at_start = read_usage(admins)
        with tempfile.TemporaryDirectory(prefix="returndesk-lts-") as tmp:
            outs = [os.path.join(tmp, f"station{i}.json") for i in range(stations)]
            procs = [mp.Process(target=_station_process,
                                args=(access, access.servers[i % len(access.servers)], i + 1, order_numbers,
                                      seconds, seed * 1000 + i, outs[i], operations, ready, go))
                     for i in range(stations)]
            for p in procs:
                p.start()
            met = _meet(ready)  # every station's users have signed in
            signed_in = read_usage(admins) if met else None
            _meet(go)
            started = time.monotonic()
            for p in procs:
                p.join()
            elapsed = time.monotonic() - started
            at_end = read_usage(admins) if signed_in else None
            results, crashed = read_station_reports(outs, procs)
    finally:
        for admin in admins:
            try:
                admin.sign_out()
            except ReturnDeskError:
                pass  # the server is gone: the session ends by itself
            admin.close()
    ctx = ServiceContext(db=Database.open(url), station="LOADTEST")
    try:
        problems = crashed + check_invariants(ctx, [s for r in results for s in r.successes])
    finally:
        ctx.db.dispose()
    report = summarise(results, stations, min(elapsed, seconds) if results else elapsed, problems)
    good = sum(st.ok for st in report.stats)
    measured: dict[str, Any] = {}
    if at_start and signed_in:
        measured["sign_ins"] = stations * len(STATION_ROLES)
        measured["sign_in_cpu_ms"] = (signed_in.servers - at_start.servers) * 1000 / measured["sign_ins"]
    if signed_in and at_end and good:
        measured["returndesk_cpu_ms_per_op"] = (at_end.servers - signed_in.servers) * 1000 / good
        if signed_in.database is not None and at_end.database is not None:
            measured["server_cpu_ms_per_op"] = (at_end.database - signed_in.database) * 1000 / good
    return dataclasses.replace(report, servers=len(access.servers), **measured)
