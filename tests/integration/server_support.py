"""A real ReturnDesk server for the tests: ``returndesk server`` on a free loopback port.

``world_server`` (the test world on a fresh PostgreSQL database behind a running server) is known to
every test module (tests/conftest.py loads this module as a plugin)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Server:
    """A server process whose log is read by a thread; ``up`` is set when uvicorn listens."""

    def __init__(self, proc: subprocess.Popen, port: int) -> None:
        self.proc, self.port = proc, port
        self.up = threading.Event()
        self.log: list[str] = []
        self._logged = threading.Condition()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        for line in self.proc.stdout:
            with self._logged:
                self.log.append(line)
                self._logged.notify_all()
            if "Uvicorn running on" in line:
                self.up.set()
        self.up.set()  # exited: let the waiter see it
        with self._logged:
            self._logged.notify_all()

    def wait_for_log(self, predicate, *, since: int = 0) -> None:
        """Wait until ``predicate(lines)`` holds for the log lines from ``since`` on (each new line
        wakes the waiter; the limit is only a guard against a hung test)."""
        with self._logged:
            assert self._logged.wait_for(lambda: predicate(self.log[since:]) or self.proc.poll() is not None,
                                         timeout=600), "the server's log never showed it"
        assert predicate(self.log[since:]), "the server exited: " + "".join(self.log[-20:])

    def wait_until_up(self) -> None:
        # A safety limit only: the wait ends on the server's own "running" line.
        assert self.up.wait(timeout=300), "the server did not start"
        assert self.proc.poll() is None, "the server exited: " + "".join(self.log[-20:])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            self.proc.kill()


def _start(url: str, *extra: str, port: int | None = None, env: dict[str, str] | None = None) -> _Server:
    """``returndesk server`` on ``url``, on a free loopback port (or ``port``: a restart), with
    ``env`` added to its environment."""
    port = port or _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "RETURNDESK_WEBHOOK_INTERVAL": "0.2", **(env or {})}
    env.pop("RETURNDESK_DB_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "returndesk.cli", "server", "--url", url, "--bind", f"127.0.0.1:{port}",
         "--log-level", "info", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)  # uvicorn's access log: stdout
    server = _Server(proc, port)
    server.wait_until_up()
    return server


@pytest.fixture(scope="module")
def world_server(tmp_path_factory):
    import uuid

    import psycopg

    from returndesk.services.infra.bootstrap import open_database
    from returndesk.services.tx.context import ServiceContext
    from returndesk.store.engine import Database

    from .factories import build_world

    admin = os.environ.get("RETURNDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    name = f"rd_remote_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin.rsplit("/", 1)[0] + "/" + name
    db = Database.open(url)
    ctx = ServiceContext(db=db, station="SRV-TEST")
    open_database(ctx)
    world = build_world(ctx)
    served_by, login = server_login(url)  # the server runs with its own login, as in production
    running = _start(served_by, "--tls-dir", str(tmp_path_factory.mktemp("none")))
    try:
        yield world, f"http://127.0.0.1:{running.port}"
    finally:
        running.stop()
        db.dispose()
        with psycopg.connect(admin.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{login}"')


def server_login(owner_url: str) -> tuple[str, str]:
    """Set the database up as ``returndesk db init`` does, with a login of its own for this test
    database; returns (the server's database address, the login to drop after the database)."""
    from returndesk.services.infra.shared_db import init_shared_database

    login = owner_url.rsplit("/", 1)[1] + "_srv"
    init_shared_database(owner_url, server_login=login, password=lambda: "test server password")
    return owner_url.replace("postgres@", f"{login}@", 1), login
