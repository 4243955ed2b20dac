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
API's decoding): the servers' and the database's processor time is not part of that figure.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import random
import tempfile
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
from .loadtest import check_invariants, prepare, summarise

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
                       seed: int, max_ops: int | None = None) -> StationResult:
    """One station's loop through ``server``; also the body of each load-test process."""
    station = f"LT-{station_no:02d}"
    connection = ServerConnection(server, access.trust(server), station=station)
    rng = random.Random(seed)
    result = StationResult(station)
    try:
        apis = sign_in_station(connection, station_no)
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
                     seed: int, out: str, max_ops: int | None) -> None:
    try:
        result = run_remote_station(access, server, station_no, orders, seconds, seed, max_ops)
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
    for server in access.servers:  # an unreachable server or an unknown certificate stops here, once
        access.trust(server)
    mp = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="returndesk-lts-") as tmp:
        outs = [os.path.join(tmp, f"station{i}.json") for i in range(stations)]
        procs = [mp.Process(target=_station_process,
                            args=(access, access.servers[i % len(access.servers)], i + 1, order_numbers,
                                  seconds, seed * 1000 + i, outs[i], operations))
                 for i in range(stations)]
        started = time.monotonic()
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        elapsed = time.monotonic() - started
        results: list[StationResult] = []
        crashed = []
        for i, out in enumerate(outs):
            if not os.path.exists(out):
                crashed.append(f"station LT-{i + 1:02d} ended without a report (exit code {procs[i].exitcode})")
                continue
            data = json.loads(Path(out).read_text())
            results.append(StationResult(data["station"], [tuple(o) for o in data["ops"]],
                                         data["successes"], data["errors"], data["client_cpu"], None))
    ctx = ServiceContext(db=Database.open(url), station="LOADTEST")
    try:
        problems = crashed + check_invariants(ctx, [s for r in results for s in r.successes])
    finally:
        ctx.db.dispose()
    report = summarise(results, stations, min(elapsed, seconds) if results else elapsed, problems)
    return dataclasses.replace(report, servers=len(access.servers))
