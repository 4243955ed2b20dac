"""TaskRunner: work on a pool thread, results on the GUI thread, busy widgets, stale results.

Workers that must stay "running" block on a threading.Event the test sets; nothing sleeps.
"""

from __future__ import annotations

import threading

import pytest
import shiboken6
from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QApplication, QPushButton
from sqlalchemy.exc import IntegrityError

from returndesk.domain.errors import ConcurrentChange, NotFound
from returndesk.ui.tasks import TaskRunner

WAIT = 10  # seconds a worker may block before the test is considered broken


@pytest.fixture
def runner(qapp):
    r = TaskRunner()
    yield r
    assert r.shutdown(5_000)


class Recorder(QObject):
    """GUI-thread receiver of callbacks; notes the thread each callback ran on."""

    def __init__(self) -> None:
        super().__init__()
        self.results: list[object] = []
        self.errors: list[BaseException] = []
        self.threads: list[QThread] = []

    def on_done(self, result: object) -> None:
        self.threads.append(QThread.currentThread())
        self.results.append(result)

    def on_error(self, error: BaseException) -> None:
        self.threads.append(QThread.currentThread())
        self.errors.append(error)


def worker_thread_info() -> tuple[bool, int]:
    return QThread.currentThread() is QApplication.instance().thread(), threading.get_ident()


def test_result_is_delivered_on_the_gui_thread(qtbot, runner):
    rec = Recorder()
    with qtbot.waitSignal(runner.all_idle):
        runner.run(worker_thread_info, on_done=rec.on_done, on_error=rec.on_error)

    assert rec.errors == []
    [(ran_on_gui_thread, worker_ident)] = rec.results
    assert ran_on_gui_thread is False
    assert worker_ident != threading.get_ident()
    assert rec.threads == [QApplication.instance().thread()]
    assert QThread.currentThread() is QApplication.instance().thread()


def test_arguments_reach_the_function(qtbot, runner):
    rec = Recorder()
    with qtbot.waitSignal(runner.all_idle):
        runner.run(divmod, 17, 5, on_done=rec.on_done)
    with qtbot.waitSignal(runner.all_idle):
        runner.run(sorted, [3, 1, 2], on_done=rec.on_done, reverse=True)
    assert rec.results == [(3, 2), [3, 2, 1]]


def test_errors_reach_on_error_on_the_gui_thread(qtbot, runner):
    rec = Recorder()

    def find_missing() -> None:
        raise NotFound("RMA R0000012340 does not exist.")

    with qtbot.waitSignal(runner.all_idle):
        runner.run(find_missing, on_done=rec.on_done, on_error=rec.on_error)

    assert rec.results == []
    [error] = rec.errors
    assert isinstance(error, NotFound)
    assert error.message == "RMA R0000012340 does not exist."
    assert error.__traceback__ is not None  # the details survive the trip for "copy details"
    assert rec.threads == [QApplication.instance().thread()]


def test_a_write_another_station_refused_at_the_same_moment_arrives_as_a_concurrent_change(qtbot, runner):
    """A unique key taken by another station's write at the same moment (the database's error, not
    said in words by a use case) reaches the screen as ConcurrentChange, its cause kept."""
    rec = Recorder()

    class UniqueViolation(Exception):
        sqlstate = "23505"

    def save() -> None:
        raise IntegrityError("INSERT INTO products …", {}, UniqueViolation("duplicate key value"))

    with qtbot.waitSignal(runner.all_idle):
        runner.run(save, on_done=rec.on_done, on_error=rec.on_error)

    [error] = rec.errors
    assert isinstance(error, ConcurrentChange) and "try again" in str(error)
    assert isinstance(error.__cause__, IntegrityError)


def test_errors_without_on_error_go_to_the_error_handler(qtbot):
    handled: list[BaseException] = []
    runner = TaskRunner(error_handler=handled.append)

    def broken() -> None:
        raise ZeroDivisionError("division by zero")

    with qtbot.waitSignal(runner.all_idle):
        runner.run(broken)
    assert [type(e) for e in handled] == [ZeroDivisionError]
    assert runner.shutdown(5_000)


def test_busy_widgets_are_disabled_while_running_and_enabled_after(qtbot, runner):
    save = QPushButton("Save")
    already_off = QPushButton("Print")
    already_off.setEnabled(False)
    qtbot.addWidget(save)
    qtbot.addWidget(already_off)
    release = threading.Event()
    busy_states: list[bool] = []
    runner.busy_changed.connect(busy_states.append)

    runner.run(release.wait, WAIT, busy=[save, already_off])
    assert not save.isEnabled()
    assert not already_off.isEnabled()
    assert runner.running_count() == 1
    assert busy_states == [True]

    with qtbot.waitSignal(runner.all_idle):
        release.set()

    assert save.isEnabled()
    assert not already_off.isEnabled()  # it was off for its own reasons; it stays off
    assert busy_states == [True, False]
    assert runner.is_idle()


def test_a_widget_shared_by_two_tasks_stays_disabled_until_both_end(qtbot, runner):
    button = QPushButton("Refund")
    qtbot.addWidget(button)
    first, second = threading.Event(), threading.Event()
    rec = Recorder()
    runner.run(first.wait, WAIT, busy=[button], on_done=rec.on_done)
    runner.run(second.wait, WAIT, busy=[button], on_done=rec.on_done)

    first.set()
    qtbot.waitUntil(lambda: len(rec.results) == 1)
    assert not button.isEnabled()
    assert runner.running_count() == 1

    with qtbot.waitSignal(runner.all_idle):
        second.set()
    assert button.isEnabled()


def test_stale_results_are_dropped(qtbot, runner):
    rec = Recorder()
    field = QPushButton("Find")
    qtbot.addWidget(field)
    old_may_finish = threading.Event()

    def old_lookup() -> str:
        old_may_finish.wait(WAIT)
        return "old"

    runner.run(old_lookup, on_done=rec.on_done, key="find-return", busy=[field])
    runner.run(lambda: "new", on_done=rec.on_done, key="find-return", busy=[field])
    qtbot.waitUntil(lambda: rec.results == ["new"])
    assert field.isEnabled()  # the superseded task no longer holds it
    assert runner.running_count() == 1  # the old one is still working

    with qtbot.waitSignal(runner.all_idle):
        old_may_finish.set()
    assert rec.results == ["new"]


def test_errors_of_stale_tasks_are_logged_not_shown(qtbot, runner, caplog):
    rec = Recorder()
    may_fail = threading.Event()

    def old_lookup() -> None:
        may_fail.wait(WAIT)
        raise RuntimeError("connection reset")

    runner.run(old_lookup, on_error=rec.on_error, key="k")
    runner.run(lambda: 1, on_done=rec.on_done, key="k")
    with qtbot.waitSignal(runner.all_idle):
        may_fail.set()
    assert rec.errors == []
    assert rec.results == [1]
    assert any("superseded" in r.getMessage() and r.exc_info for r in caplog.records)


def test_invalidate_drops_the_pending_result(qtbot, runner):
    rec = Recorder()
    go = threading.Event()
    runner.run(go.wait, WAIT, on_done=rec.on_done, key="queue")
    runner.invalidate("queue")
    with qtbot.waitSignal(runner.all_idle):
        go.set()
    assert rec.results == []


def test_results_for_a_deleted_receiver_are_not_delivered(qtbot, runner):
    rec = Recorder()
    go = threading.Event()
    runner.run(go.wait, WAIT, on_done=rec.on_done)
    shiboken6.delete(rec)  # the screen was closed while its task ran
    with qtbot.waitSignal(runner.all_idle):
        go.set()
    assert rec.results == []


def test_results_for_a_receiver_a_lambda_or_partial_closes_over_are_not_delivered_once_it_is_deleted(qtbot, runner):
    import functools

    closed, open_ = Recorder(), Recorder()
    go = threading.Event()

    def nested(result):  # as a screen's loader closes over its screen
        closed.on_done(result)

    for on_done in (lambda rows: closed.on_done(rows), nested, functools.partial(Recorder.on_done, closed),
                    lambda rows: open_.on_done(rows)):
        runner.run(go.wait, WAIT, on_done=on_done)
    shiboken6.delete(closed)  # the screen was closed while its loads ran
    with qtbot.waitSignal(runner.all_idle):
        go.set()
    assert closed.results == [] and open_.results == [True]  # only the screen still open gets its result


def test_wait_idle(qtbot, runner):
    go = threading.Event()
    assert runner.wait_idle(0) is True
    runner.run(go.wait, WAIT)
    runner.run(go.set)  # the second task releases the first
    assert runner.wait_idle(5_000) is True
    assert runner.is_idle()


def test_synchronous_mode_delivers_before_run_returns(qtbot):
    runner = TaskRunner(synchronous=True)
    rec = Recorder()
    button = QPushButton("Go")
    qtbot.addWidget(button)
    seen_enabled: list[bool] = []

    def work() -> str:
        seen_enabled.append(button.isEnabled())
        return "rendered"

    runner.run(work, on_done=rec.on_done, busy=[button])
    assert rec.results == ["rendered"]
    assert seen_enabled == [False]
    assert button.isEnabled()
    assert runner.is_idle()
