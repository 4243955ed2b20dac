"""The load test and the fault tests of the shared database: invariants hold whatever happens."""

from __future__ import annotations

import json
import multiprocessing
import os
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest

from returndesk.services.infra.bootstrap import open_database
from returndesk.services.tx.context import ServiceContext
from returndesk.devtools.loadtest import check_invariants, prepare, run_loadtest, run_station
from returndesk.store.engine import Database

pytestmark = [
    pytest.mark.slow,
    pytest.mark.both_databases("stations in separate processes: row locks, deadlocks and retries differ"),
]


class _Progress:
    """The progress lines of station processes (``run_station(progress_file=...)``), read from named
    pipes as the stations write them: a wait blocks on the pipes (``select``) and each line written
    wakes it, so the test never looks again and again at a file. ``paths[i]`` is station i's pipe.

    A station writes each line (one operation) with a single ``write``; a pipe passes such a write
    whole (up to ``PIPE_BUF`` bytes, far more than a line) even when the writer is killed.
    """

    def __init__(self, folder: Path, stations: int = 1) -> None:
        self.paths = [folder / f"progress-{i}" for i in range(stations)]
        self.rows: list[dict] = []
        self._pending: dict[int, bytes] = {}
        self._keep_open: list[int] = []
        for path in self.paths:
            os.mkfifo(path)
            self._pending[os.open(path, os.O_RDONLY | os.O_NONBLOCK)] = b""
            # A writer end of our own: between two operations no station holds its pipe open, and a
            # pipe without writers reads as ended (select would wake at once, again and again).
            self._keep_open.append(os.open(path, os.O_WRONLY))

    def _read(self, reader: int) -> bool:
        """Take in what the pipe holds; True once it has ended (no writer left and nothing unread)."""
        while True:
            try:
                chunk = os.read(reader, 65536)
            except BlockingIOError:
                return False
            if not chunk:
                return True
            *lines, self._pending[reader] = (self._pending[reader] + chunk).split(b"\n")
            self.rows += [json.loads(line) for line in lines if line.strip()]

    def wait_for(self, predicate, what: str, limit: float = 120.0) -> None:
        """Wait until ``predicate(rows)`` holds; the limit is a safety net, not a measured time."""
        deadline = time.monotonic() + limit
        while not predicate(self.rows):
            ready, _, _ = select.select(list(self._pending), [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise AssertionError(f"gave up waiting for {what}")
            for reader in ready:
                self._read(reader)

    def close(self) -> list[dict]:
        """Every row, once the stations have ended: each pipe read to its end."""
        for writer in self._keep_open:
            os.close(writer)
        try:
            for reader in self._pending:
                while not self._read(reader):
                    select.select([reader], [], [], 60.0)
        finally:
            for reader in self._pending:
                os.close(reader)
        return self.rows


def test_small_load_run_keeps_every_invariant(db_url):
    # A fixed amount of work, not a time (a busy machine would do next to nothing in a few seconds):
    # 2 stations x 12 operations on 8 overlapping sales; the time is only a safety bound.
    report = run_loadtest(db_url, stations=2, seconds=300, operations=12, orders=8, seed=3)
    text = report.format()
    assert report.problems == (), text
    assert report.errors == (), text
    assert report.operations == 2 * 12, text
    assert sum(st.ok for st in report.stats) > 0, text
    assert "p95 ms" in text and "Invariants hold" in text
    # Processor time per successful operation: the stations' always, the server's for PostgreSQL here.
    assert report.client_cpu_ms_per_op is not None and report.client_cpu_ms_per_op > 0, text
    if db_url.startswith("sqlite"):
        assert report.server_cpu_ms_per_op is None and "database server not measured" in text
    else:
        assert report.server_cpu_ms_per_op is not None and report.server_cpu_ms_per_op >= 0, text
    assert "Processor time per successful operation: stations" in text


def _prepared(db_url: str, orders: int = 10) -> list[str]:
    ctx = ServiceContext(db=Database.open(db_url), station="PREP")
    try:
        open_database(ctx)
        return prepare(ctx, orders=orders, seed=7)
    finally:
        ctx.db.dispose()


def test_a_station_killed_mid_transaction_leaves_a_consistent_database(db_url, tmp_path):
    orders = _prepared(db_url)
    progress = _Progress(tmp_path)
    mp = multiprocessing.get_context("spawn")
    proc = mp.Process(target=run_station, args=(db_url, "KILLED", orders, 300.0, 11, str(progress.paths[0])))
    proc.start()
    try:
        progress.wait_for(lambda rows: len(rows) >= 12, "the station to work")
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.join()
        rows = progress.close()
    assert proc.exitcode == -signal.SIGKILL
    successes = [p for p in rows if p["outcome"] == "ok"]
    ctx = ServiceContext(db=Database.open(db_url), station="CHECK")
    try:
        assert check_invariants(ctx, successes) == []
    finally:
        ctx.db.dispose()
    # The database is not left locked: another station carries on at once.
    after = run_station(db_url, "NEXT", orders, 60.0, 12, max_ops=6)
    assert after.errors == []
    assert any(outcome == "ok" for _, outcome, _ in after.ops)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def private_pg():
    """A PostgreSQL cluster of this test's own, so restarting it disturbs no other test. Throwaway
    data: created without syncing its files and run without fsync (a clean restart still keeps every
    commit, which is what the test checks)."""
    import uuid

    version = sorted(os.listdir("/etc/postgresql"))[-1]
    name = f"rdfault{uuid.uuid4().hex[:6]}"
    port = _free_port()
    fast = ["-o", "fsync=off", "-o", "synchronous_commit=off", "-o", "full_page_writes=off"]
    subprocess.run(["pg_createcluster", version, name, "--port", str(port), *fast, "--start", "--",
                    "--auth=trust", "--no-sync"], check=True, capture_output=True)
    try:
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "postgres",
                        "-qc", "CREATE DATABASE returndesk"], check=True, capture_output=True)
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/returndesk"

        def restart() -> None:
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
                           check=True, capture_output=True)

        yield url, restart
    finally:
        subprocess.run(["pg_dropcluster", "--stop", version, name], capture_output=True)


def _postmaster_start(url: str):
    from sqlalchemy import text

    db = Database.open(url)
    try:
        with db.engine.connect() as conn:
            return conn.execute(text("SELECT pg_postmaster_start_time()")).scalar_one()
    finally:
        db.dispose()


@pytest.mark.pg
def test_postgresql_restart_during_a_load_run(private_pg, tmp_path):
    """Stations survive a server restart: failures are reported as offline, then work resumes."""
    url, restart = private_pg
    orders = _prepared(url, orders=12)
    mp = multiprocessing.get_context("spawn")
    progress = _Progress(tmp_path, stations=2)
    procs = [mp.Process(target=run_station, args=(url, f"R{i}", orders, 300.0, 20 + i, str(progress.paths[i])))
             for i in range(2)]
    for p in procs:
        p.start()

    def ok_count(rows: list[dict]) -> int:
        return sum(1 for row in rows if row["outcome"] == "ok")

    try:
        progress.wait_for(lambda rows: ok_count(rows) >= 8, "the stations to work")
        before = ok_count(progress.rows)
        started = _postmaster_start(url)
        restart()
        assert _postmaster_start(url) != started  # the server really went down and came back
        progress.wait_for(lambda rows: ok_count(rows) >= before + 10, "the stations to carry on after the restart")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.join()
        rows = progress.close()
    ctx = ServiceContext(db=Database.open(url), station="CHECK")
    try:
        assert check_invariants(ctx, [r for r in rows if r["outcome"] == "ok"]) == []
    finally:
        ctx.db.dispose()
    errors = [r for r in rows if r["outcome"] == "error"]
    assert errors == [], errors[0]["error"] if errors else ""
