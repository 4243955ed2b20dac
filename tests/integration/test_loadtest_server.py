"""The load test through two real server processes on one PostgreSQL database, and a refund
request retried at the other process.

Both servers run ``returndesk server`` with the login ``db init`` makes (as in production) on free
loopback ports; the stations use the desktop's remote API, the checks read the database as its owner.
"""

from __future__ import annotations

import os
import uuid

import httpx
import pytest

from returndesk.api.remote import RemoteApi, ServerConnection, ServerTrust
from returndesk.api.rpc import remote_methods
from returndesk.api.wire import to_wire
from returndesk.cli import main
from returndesk.domain.errors import PermissionDenied
from returndesk.devtools.loadtest import LT_PASSWORD, check_invariants
from returndesk.devtools.loadtest_server import (
    USAGE_ADMIN,
    ServerAccess,
    prepare_station_users,
    run_server_loadtest,
    sign_in_station,
)
from returndesk.services.tx.context import ServiceContext
from returndesk.store.engine import Database

from .server_support import _start, server_login

pytestmark = [pytest.mark.slow, pytest.mark.pg]

ADMIN = os.environ.get("RETURNDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    """(the owner's database address, [two server addresses]) over one fresh database."""
    import psycopg

    from returndesk.services.infra.bootstrap import open_database

    if os.environ.get("RETURNDESK_TEST_PG", "on") == "off":
        pytest.skip("PostgreSQL tests disabled with RETURNDESK_TEST_PG=off")
    name = f"rd_lts_{uuid.uuid4().hex[:8]}"
    plain = ADMIN.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN.rsplit("/", 1)[0] + "/" + name
    ctx = ServiceContext(db=Database.open(url), station="LTS-TEST")
    open_database(ctx)
    ctx.db.dispose()
    served_by, login = server_login(url)
    tls = str(tmp_path_factory.mktemp("no-tls"))
    running = []
    try:
        running.append(_start(served_by, "--tls-dir", tls))
        running.append(_start(served_by, "--tls-dir", tls))
        yield url, [f"http://127.0.0.1:{srv.port}" for srv in running]
    finally:
        for srv in running:
            srv.stop()
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{login}"')


def test_a_load_run_split_over_two_server_processes_keeps_every_invariant(two_servers):
    url, servers = two_servers
    # A fixed amount of work (the time is only a safety bound): 4 stations, two on each process.
    report = run_server_loadtest(url, ServerAccess(tuple(servers)), stations=4, seconds=300, operations=10,
                                 orders=8, seed=5)
    text = report.format()
    assert report.problems == (), text
    assert report.errors == (), text
    assert report.operations == 4 * 10, text
    assert sum(st.ok for st in report.stats) > 0, text
    assert report.servers == 2 and "through 2 ReturnDesk server(s)" in text
    assert report.client_cpu_ms_per_op is not None and report.client_cpu_ms_per_op > 0, text
    # The servers' own processor time and their database processes', the sign-ins apart.
    assert report.returndesk_cpu_ms_per_op is not None and report.returndesk_cpu_ms_per_op > 0, text
    assert report.server_cpu_ms_per_op is not None and report.server_cpu_ms_per_op > 0, text
    assert report.sign_ins == 4 * 4 and report.sign_in_cpu_ms is not None and report.sign_in_cpu_ms > 0, text
    assert "2 ReturnDesk server(s) " in text and "16 sign-ins before the stations started" in text, text
    assert "p99 ms" in text and "Invariants hold" in text
    # Every station's work is in the audit trail under its own users, whichever process served it.
    from sqlalchemy import text as sql

    db = Database.open(url)
    try:
        with db.engine.connect() as conn:
            actors = set(conn.execute(sql(
                "SELECT DISTINCT u.username FROM audit_events a JOIN users u ON u.id = a.user_id "
                "WHERE u.username LIKE 'lt0%'")).scalars())
    finally:
        db.dispose()
    assert {a.split("_")[0] for a in actors} >= {"lt01", "lt02", "lt03", "lt04"}, actors


def test_a_server_with_two_workers_reports_the_processor_time_of_all_its_processes(two_servers, tmp_path):
    url, _servers = two_servers
    from .server_support import server_login

    prepare_ctx = ServiceContext(db=Database.open(url), station="LTS-TEST")
    try:
        prepare_station_users(prepare_ctx, 1)
    finally:
        prepare_ctx.db.dispose()
    served_by, _login = server_login(url)
    server = _start(served_by, "--tls-dir", str(tmp_path), "--workers", "2")
    try:  # both workers have started their application
        server.wait_for_log(lambda lines: sum("Application startup complete" in line for line in lines) >= 2)
        connection = ServerConnection(f"http://127.0.0.1:{server.port}", ServerTrust(), station="LT-00")
        try:
            connection.sign_in("lt01_clerk", LT_PASSWORD)
            with pytest.raises(PermissionDenied):
                connection.request("GET", "/api/v1/admin/usage")
            connection.sign_in(USAGE_ADMIN, LT_PASSWORD)
            first = connection.request("GET", "/api/v1/admin/usage")
            second = connection.request("GET", "/api/v1/admin/usage")
        finally:
            connection.close()
    finally:
        server.stop()
    pids = {p["pid"] for p in first["processes"]}
    assert first["server_pid"] == server.proc.pid and server.proc.pid in pids, first
    assert len(pids) >= 3, first  # the supervisor and both workers, whichever worker answered
    assert first["cpu_seconds"] > 0 and second["cpu_seconds"] >= first["cpu_seconds"], (first, second)
    # PostgreSQL runs on this machine: the processes serving the server's connections are counted.
    assert first["database_cpu_seconds"] is not None and first["database_cpu_seconds"] > 0, first


def test_the_command_runs_through_a_server_and_reports_each_operation(two_servers, capsys):
    url, servers = two_servers
    status = main(["--url", url, "--server", servers[0], "loadtest", "--also-server", servers[1],
                   "--stations", "2", "--seconds", "300", "--operations", "6", "--orders", "4", "--seed", "9"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "2 stations through 2 ReturnDesk server(s)" in out
    for op in ("intake", "inspect", "approve", "refund"):
        assert op in out
    assert "Invariants hold" in out


def _approved_return(api, order_no: str) -> str:
    """Drive one return to 'approved' through the API (the refund is what the test retries)."""
    from returndesk.api.types import DraftLine, ReturnDraft

    sale = api["clerk"].search.get_sale(order_no, channel="remote")
    draft = ReturnDraft(order_no=order_no, channel="remote", refund_method="original_payment",
                        lines=(DraftLine(order_line_id=sale.lines[0].order_line_id, quantity=1,
                                         reason_code="defective"),))
    detail = api["clerk"].intake.create_return(draft)
    rma = api["clerk"].intake.authorize_return(detail.rma_no, expected_version=detail.version).rma_no
    detail = api["inspector"].receiving.receive_return(rma)
    api["inspector"].inspection.record_unit(rma, line_id=detail.lines[0].id, grade="A")
    result = api["inspector"].inspection.complete_inspection(rma)
    if result.detail.status == "awaiting_approval":
        api["manager"].approval.approve_refund(rma)
    assert api["clerk"].search.get_return(rma).status == "approved"
    return rma


def test_a_refund_retried_at_the_other_server_process_pays_once(two_servers):
    from sqlalchemy import func, select

    from returndesk.store.schema import Refund, Return

    url, servers = two_servers
    ctx = ServiceContext(db=Database.open(url), station="LTS-TEST")
    try:
        from returndesk.devtools.loadtest import prepare

        order_no = prepare(ctx, orders=1, seed=11)[0]
        prepare_station_users(ctx, 1)
    finally:
        ctx.db.dispose()
    first = ServerConnection(servers[0], ServerTrust(), station="LT-01")
    try:
        apis = sign_in_station(first, 1)
        rma = _approved_return(apis, order_no)
        clerk: RemoteApi = apis["clerk"]
        path = remote_methods()[("refunds", "issue_refund")].path
        body = {"args": {"rma_no": to_wire(rma)}}
        key = f"lts-{uuid.uuid4().hex}"
        headers = {"Authorization": f"Bearer {clerk.token}", "Idempotency-Key": key}
        answers = [httpx.post(server + path, json=body, headers=headers, timeout=60) for server in servers]
    finally:
        first.close()
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    assert answers[0].json()["result"] == answers[1].json()["result"]
    assert answers[1].content == answers[0].content  # the retry is sent the text kept for the first
    db = Database.open(url)
    try:
        with db.read() as s:
            return_id = s.execute(select(Return.id).where(Return.rma_no == rma)).scalar_one()
            refunds = s.execute(select(func.count()).select_from(Refund)
                                .where(Refund.return_id == return_id)).scalar_one()
            assert refunds == 1
        assert check_invariants(ServiceContext(db=db, station="LTS-TEST"), []) == []
    finally:
        db.dispose()
