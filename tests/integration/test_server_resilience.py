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
