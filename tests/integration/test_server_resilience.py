"""The server under the things that go wrong in a shop: it is stopped or killed while stations
work, PostgreSQL drops its connections, and a shift signs in at once.

Each test runs ``returndesk server`` (uvicorn) on a free loopback port over the worker's PostgreSQL
database and drives it with the desktop's remote API. PostgreSQL itself is never stopped: its
connections are ended with ``pg_terminate_backend``, as a restart of the database ends them.
"""

from __future__ import annotations

import select
import signal
import subprocess

import pytest
from returndesk.api.remote import RemoteSession
from returndesk.api.types import FeedLost

from .factories import build_world
from .station_server import signed_in

pytestmark = [pytest.mark.pg, pytest.mark.slow]  # real servers

#: Only a guard so that a hung server fails the test instead of hanging it: TLS connections that
#: the server did not cut used to hold a stop for 30 s (the TLS shutdown wait).
STOP_GUARD_SECONDS = 20


def _wait_for_exit(proc: subprocess.Popen) -> int:
    try:
        return proc.wait(timeout=STOP_GUARD_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError("the server did not stop after SIGTERM") from None


def test_a_server_stops_when_asked_while_a_station_holds_its_feed_and_a_kept_alive_link(
        server_ctx, running_server):
    world = build_world(server_ctx)
    session = RemoteSession.open(running_server.choice(), station="TEST-1")
    try:
        api, _actor = signed_in(session, world.clerk)
        api.search.find_sales("")  # the TLS connection stays open (keep-alive) after the answer
        feed = session.open_change_feed()
        proc = running_server.process.proc
        proc.send_signal(signal.SIGTERM)
        # uvicorn stops cleanly, then ends by the signal it was sent (as a process should).
        assert _wait_for_exit(proc) in (0, -signal.SIGTERM)
        log = "".join(running_server.process.log)
        assert "Finished server process" in log, log[-2000:]
        assert "timeout graceful shutdown exceeded" not in log
        # The station learns that the feed is gone (and reconnects when the server is back).
        with pytest.raises(FeedLost):
            while True:
                feed.drain()
                select.select([feed.fileno()], [], [], 1.0)
    finally:
        session.close()


# --------------------------------------------------------------------------- during a load run

STATIONS = 3
#: Each station's fixed amount of work; the run's time is only a guard. The outage comes once the
#: stations have signed in and made 15 calls, so most of the 3 x 30 operations are still to do (an
#: attempt that finds the server away counts as one, and the stations wait longer between attempts
#: while it is away): they go through the restarted server or over new database connections.
OPERATIONS = 30


@pytest.fixture
def load_database(tmp_path):
    """(the owner's address, the server's address with its own login) of a fresh database."""
    import os
    import uuid

    import psycopg

    from returndesk.services.infra.bootstrap import open_database
    from returndesk.services.tx.context import ServiceContext
    from returndesk.store.engine import Database

    from .server_support import server_login

    if os.environ.get("RETURNDESK_TEST_PG", "on") == "off":
        pytest.skip("PostgreSQL tests disabled with RETURNDESK_TEST_PG=off")
    admin = os.environ.get("RETURNDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    plain = admin.replace("postgresql+psycopg://", "postgresql://")
    name = f"rd_res_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin.rsplit("/", 1)[0] + "/" + name
    ctx = ServiceContext(db=Database.open(url), station="RES-TEST")
    open_database(ctx)
    ctx.db.dispose()
    served_by, login = server_login(url)
    try:
        yield url, served_by, name
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{login}"')


def _load_run_in_background(url: str, base: str):
    """Start the load run in a thread; returns (thread, {"report": …} once it ended)."""
    import threading

    from returndesk.devtools.loadtest_server import ServerAccess, run_server_loadtest

    outcome: dict = {}

    def run() -> None:
        try:
            outcome["report"] = run_server_loadtest(url, ServerAccess((base,)), stations=STATIONS, seconds=600,
                                                    operations=OPERATIONS, orders=12, seed=11)
        except BaseException as exc:  # handed to the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def _count(lines, text: str) -> int:
    return sum(text in line for line in lines)


def _stations_at_work(server, since: int = 0) -> None:
    """Wait until every station signed its users in and the stations then made calls. The calls are
    counted after the last sign-in's line only: the server logs a request as its answer starts, so a
    station whose last sign-in was just logged may still be reading the answer (a kill at that moment
    cuts its sign-in, which the test does not mean to cut)."""
    def at_work(lines: list[str]) -> bool:
        signed = [i for i, line in enumerate(lines) if "POST /api/v1/session HTTP/1.1\" 200" in line]
        return len(signed) >= 4 * STATIONS and _count(lines[signed[4 * STATIONS - 1] + 1:], "POST /api/v1/rpc/") >= 15

    server.wait_for_log(at_work, since=since)


def _finished(thread, outcome):
    thread.join(timeout=900)  # a guard only: the stations stop after their operations
    assert not thread.is_alive(), "the load run did not end"
    assert "error" not in outcome, outcome.get("error")
    return outcome["report"]


def _assert_nothing_lost_or_doubled(report) -> None:
    text = report.format()
    # The invariant checks: no refund twice, refunded <= paid, returned <= purchased, stock never
    # negative, journals balanced, the audit chain intact, every success the stations saw is stored.
    assert report.problems == (), text
    assert report.errors == (), text  # an outage is "offline", never an unexpected failure
    assert report.operations == STATIONS * OPERATIONS, text


def test_a_server_killed_and_started_again_during_a_load_run_loses_and_doubles_nothing(load_database, tmp_path):
    from .server_support import _start

    url, served_by, _name = load_database
    tls = str(tmp_path / "no-tls")
    server = _start(served_by, "--tls-dir", tls)
    thread, outcome = _load_run_in_background(url, f"http://127.0.0.1:{server.port}")
    restarted = None
    try:
        _stations_at_work(server)
        server.proc.kill()  # no goodbye: requests in flight are cut off
        server.proc.wait(timeout=60)
        restarted = _start(served_by, "--tls-dir", tls, port=server.port)
        report = _finished(thread, outcome)
    finally:
        for running in (server, restarted):
            if running is not None and running.proc.poll() is None:
                running.stop()
    _assert_nothing_lost_or_doubled(report)
    # The stations went on with their work through the restarted server, with their sessions.
    assert _count(restarted.log, "POST /api/v1/rpc/") > 0
    assert _count(restarted.log, "POST /api/v1/session") == 0


def test_database_connections_cut_during_a_load_run_lose_and_double_nothing(load_database, tmp_path):
    """As a PostgreSQL restart does to its clients: every connection of the server ends at once
    (the machine's PostgreSQL itself keeps running for everyone else)."""
    import psycopg

    from .server_support import _start

    url, served_by, name = load_database
    server = _start(served_by, "--tls-dir", str(tmp_path / "no-tls"))
    thread, outcome = _load_run_in_background(url, f"http://127.0.0.1:{server.port}")
    try:
        _stations_at_work(server)
        plain = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain, autocommit=True) as conn:
            ended = conn.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND application_name LIKE 'returndesk-server/%%'", (name,)).fetchone()[0]
        assert ended > 0, "the server held no connection to cut"
        cut_at = len(server.log)
        report = _finished(thread, outcome)
    finally:
        server.stop()
    _assert_nothing_lost_or_doubled(report)
    # The server served the stations again on new connections after the cut.
    assert any("POST /api/v1/rpc/" in line and " 200" in line for line in server.log[cut_at:]), report.format()


def test_a_shift_signing_in_at_once_all_get_in_when_the_server_is_busy(load_database, tmp_path):
    """The 50-station sign-in in small: a dozen users sign in at the same moment at a server that
    checks one password at a time and lets a sign-in wait only briefly for its turn, so most are
    told "busy"; each station tries again by itself and every one gets in. Then a short load run."""
    import threading

    from argon2 import PasswordHasher

    from returndesk.api.remote import ServerConnection
    from returndesk.devtools.loadtest import LT_PASSWORD
    from returndesk.devtools.loadtest_server import (
        ServerAccess,
        prepare_station_users,
        run_server_loadtest,
        station_username,
    )
    from returndesk.services.tx.context import ServiceContext
    from returndesk.services.usecases import auth
    from returndesk.store.engine import Database

    from .server_support import _start

    url, served_by, _name = load_database
    stations = 3
    ctx = ServiceContext(db=Database.open(url), station="RES-TEST")
    cheap = auth._hasher
    auth.set_hasher(PasswordHasher(time_cost=auth.PASSWORD_TIME_COST, memory_cost=auth.PASSWORD_MEMORY_KIB,
                                   parallelism=auth.PASSWORD_PARALLELISM))  # the real cost of a check
    try:
        prepare_station_users(ctx, stations)
    finally:
        auth.set_hasher(cheap)
        ctx.db.dispose()
    server = _start(served_by, "--tls-dir", str(tmp_path / "no-tls"),
                    env={"RETURNDESK_SIGN_IN_SLOTS": "1", "RETURNDESK_SIGN_IN_WAIT": "0.01"})
    base = f"http://127.0.0.1:{server.port}"
    try:
        users = [station_username(n, role) for n in range(1, stations + 1)
                 for role in ("clerk", "inspector", "supervisor", "manager")]
        together = threading.Barrier(len(users))
        busy: list[int] = []
        signed_in: list[str] = []
        failures: list[BaseException] = []

        def sign_in(username: str) -> None:
            connection = ServerConnection(base, station="SHIFT")
            try:
                together.wait()
                signed_in.append(connection.sign_in(username, LT_PASSWORD, on_busy=busy.append).username)
            except BaseException as exc:
                failures.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=sign_in, args=(u,)) for u in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert sorted(signed_in) == sorted(users)  # every user got in
        assert busy, "no sign-in had to wait for its turn: the test proves nothing"
        assert _count(server.log, "POST /api/v1/session HTTP/1.1\" 503") == len(busy)

        report = run_server_loadtest(url, ServerAccess((base,)), stations=stations, seconds=600, operations=5,
                                     orders=10, seed=3)
    finally:
        server.stop()
    text = report.format()
    assert report.problems == () and report.errors == (), text
    assert report.operations == stations * 5, text
