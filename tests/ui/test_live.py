"""Live updates: a change committed by another station reaches this one without polling tables."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text, update

from returndesk.services.tx.audit import record
from returndesk.services.tx.context import ServiceContext
from returndesk.store.engine import Database
from returndesk.store.schema import StockLocation
from returndesk.ui.live import LiveUpdates
from tests.ui.counter_support import session_for

pytestmark = pytest.mark.both_databases("the change feed: LISTEN/NOTIFY on PostgreSQL, watching the file on SQLite")


@pytest.fixture
def live(qtbot, ctx):
    lu = LiveUpdates(session_for(ctx), poll_ms=50, heartbeat_ms=200, retry_ms=(50,))
    with qtbot.waitSignal(lu.connection_changed, timeout=10000) as blocker:
        lu.start()
    assert blocker.args[0] is True
    yield lu
    lu.stop()


def test_another_station_s_commit_is_seen(qtbot, live, db_url, ctx):
    other = Database.open(db_url)
    try:
        octx = ServiceContext(db=other, clock=ctx.clock, station="OTHER")
        with qtbot.waitSignal(live.changed, timeout=5000):
            with other.write() as s:
                if other.is_sqlite:
                    s.execute(update(StockLocation).values(name=StockLocation.name))
                    record(s, octx, None, "test", 1, "touch")
                else:
                    s.execute(text("SELECT pg_notify('returndesk_changes', :p)"),
                              {"p": '{"entity": "return", "id": 7}'})
    finally:
        other.dispose()


def test_changes_made_in_this_process_are_announced_at_once(qtbot, live, ctx):
    with qtbot.waitSignal(live.changed, timeout=1000) as blocker:
        ctx.changed("return", 5)
    assert blocker.args == ["return", 5]


def test_a_change_committed_on_a_worker_thread_is_announced_on_the_gui_thread(qtbot, live, ctx):
    announced_on: list[threading.Thread] = []
    # A direct connection runs where the signal is emitted: the signal itself must be sent on
    # the GUI thread (an object being deleted there is never emitted on from a worker).
    live.changed.connect(lambda *_: announced_on.append(threading.current_thread()),
                         Qt.ConnectionType.DirectConnection)
    worker = threading.Thread(target=ctx.changed, args=("return", 9))
    with qtbot.waitSignal(live.changed, timeout=5000) as blocker:
        worker.start()
    worker.join()
    assert blocker.args == ["return", 9]
    assert announced_on == [threading.main_thread()]


def test_losing_the_feed_goes_offline_then_reconnects_and_resyncs(qtbot, live):
    with qtbot.waitSignals([live.connection_changed, live.resync], timeout=10000, order="none"):
        live.report_failure("network cable pulled")
    assert live.online is True
