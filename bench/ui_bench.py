"""The returns list on screen: from "show the list" to the first page painted.

Measured: the screen's :class:`~returndesk.ui.screens.returns_list.ReturnsTableModel` over the
services (the page is loaded on the task runner's pool and handed back to the GUI thread) in an
offscreen ``QTableView``, until the rows are there and the view has painted (``grab()``). Also the
whole :class:`~returndesk.ui.screens.returns_list.ReturnsListScreen` (search field, status line,
columns sized to their contents).

Floor: a bare ``QTableView`` over a ``QStandardItemModel`` holding the same texts of the same rows
(no database, no thread), shown and painted the same way.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QModelIndex, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView, QWidget

from returndesk.services.tx.context import Actor
from returndesk.api.protocol import ReturnDeskApi
from returndesk.ui.screens.returns_list import ReturnsListScreen, ReturnsTableModel
from returndesk.ui.tasks import TaskRunner

from .cases import PAGE, CaseResult, Timing

#: Window size of the measured views (a workstation's list area).
SIZE = (1280, 800)
#: Longest wait for a page before the measurement is called failed.
TIMEOUT_MS = 60_000


def application(*, setup: bool) -> QApplication:
    """The QApplication (created when there is none); ``setup`` gives it the application's
    style, bundled fonts and English texts, as the desktop client has them."""
    app = QApplication.instance() or QApplication(["returndesk-bench"])
    if setup:
        from returndesk.ui.i18n import setup_application

        setup_application(app, "en")
    return app  # type: ignore[return-value]


def _wait(signal: Any, ready: Callable[[], bool], what: str) -> None:
    """Run the event loop until ``signal`` fires and ``ready()`` holds."""
    if ready():
        return
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    signal.connect(loop.quit)
    timer.start(TIMEOUT_MS)
    while not ready() and timer.isActive():
        loop.exec()
    signal.disconnect(loop.quit)
    if not ready():
        raise RuntimeError(f"{what} did not show its first page within {TIMEOUT_MS // 1000} s")


def _dispose(widget: QWidget) -> None:
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


class _ListUi:
    """Builds, shows and paints one list; each call is one timed repetition."""

    def __init__(self, api: ReturnDeskApi, actor: Actor, tasks: TaskRunner) -> None:
        self.api, self.actor, self.tasks = api, actor, tasks
        self.texts: list[list[str]] = []
        self.titles: list[str] = []

    def _fetch(self, after: str | None):
        return self.api.search.find_returns("", after=after, limit=PAGE)

    def model_view(self, _i: int = 0) -> int:
        view = QTableView()
        view.resize(*SIZE)
        model = ReturnsTableModel(self._fetch, self.tasks, view)
        view.setModel(model)
        view.show()
        model.fetchMore(QModelIndex())
        _wait(model.page_loaded, lambda: model.rowCount() > 0 or model.exhausted, "the returns model")
        view.grab()
        rows = model.rowCount()
        if not self.texts:
            self.titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
            self.texts = [[model.data(model.index(r, c)) or "" for c in range(model.columnCount())]
                          for r in range(rows)]
        _dispose(view)
        return rows

    def screen(self, _i: int = 0) -> int:
        screen = ReturnsListScreen(self.api, self.tasks, self.actor, page_size=PAGE)
        screen.resize(*SIZE)
        screen.show()
        _wait(screen.results_shown, lambda: screen.model.rowCount() > 0 or screen.model.exhausted,
              "the returns list screen")
        screen.grab()
        rows = screen.model.rowCount()
        _dispose(screen)
        return rows

    def floor(self, _i: int = 0) -> int:
        view = QTableView()
        view.resize(*SIZE)
        model = QStandardItemModel(len(self.texts), len(self.titles), view)
        model.setHorizontalHeaderLabels(self.titles)
        for r, row in enumerate(self.texts):
            for c, value in enumerate(row):
                model.setItem(r, c, QStandardItem(value))
        view.setModel(model)
        view.show()
        view.grab()
        rows = model.rowCount()
        _dispose(view)
        return rows


def _timed(fn: Callable[[int], Any], i: int) -> float:
    started = time.perf_counter_ns()
    fn(i)
    return (time.perf_counter_ns() - started) / 1e6


def run_ui(api: ReturnDeskApi, actor: Actor, *, repeat: int, warmup: int) -> list[CaseResult]:
    """Time the returns model and the whole screen against the bare table, interleaved."""
    application(setup=False)
    tasks = TaskRunner()
    ui = _ListUi(api, actor, tasks)
    ui.model_view()  # also takes the texts the floor shows
    note = (f"bare QTableView over a QStandardItemModel with the same {len(ui.texts)} rows of texts, "
            f"{SIZE[0]}x{SIZE[1]}, shown and painted (grab)")
    results = []
    for key, title, fn in (
        ("ui_model", f"Returns list model over the services, first page of {PAGE} painted", ui.model_view),
        ("ui_screen", f"Returns list screen (search field, status, column sizing), first page of {PAGE} painted",
         ui.screen),
    ):
        # Both show the same number of rows, or the comparison means nothing.
        agree = fn(0) == ui.floor(0) == len(ui.texts)
        for i in range(warmup):
            fn(i)
            ui.floor(i)
        service_ms, floor_ms = [], []
        for i in range(repeat):
            service_ms.append(_timed(fn, i))
            floor_ms.append(_timed(ui.floor, i))
        results.append(CaseResult(
            key, title, Timing(tuple(service_ms)), Timing(tuple(floor_ms)), "", note, [], [],
            agree=agree, rows=len(ui.texts),
        ))
    tasks.wait_idle()
    tasks.deleteLater()
    return results
