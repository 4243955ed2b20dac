"""The risk review driven like a supervisor: the customers listed for their signals, one customer's
returns opened and a return's page, the watch flag saved with a note (and refused without one)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from sqlalchemy import select

from returndesk.api.local import LocalSession
from returndesk.services.infra.connection import DatabaseChoice, OpenedDatabase
from returndesk.store.migrate import SchemaStatus
from returndesk.store.schema import CustomerWatch
from returndesk.ui.screens.risk import RiskScreen
from returndesk.ui.tasks import TaskRunner

WAIT_MS = 20_000


@pytest.fixture
def tasks(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle(WAIT_MS)
    runner.shutdown(WAIT_MS)


def _session(ctx) -> LocalSession:
    status = SchemaStatus(current=None, head="", known=True)
    return LocalSession(OpenedDatabase(ctx=ctx, choice=DatabaseChoice.local("test.sqlite3"), status=status,
                                       created=False))


def _open(qtbot, ctx, tasks, actor) -> RiskScreen:
    view = RiskScreen(_session(ctx).api_for(actor), tasks, actor, today=date(2026, 11, 30))
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    tasks.wait_idle(WAIT_MS)
    view.from_edit.setDate(QDate(2026, 11, 1))
    view.site_edit.setText("SH01")
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    return view


def _cells(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_customers_are_listed_with_their_signals_and_their_returns_open(qtbot, ctx, tasks, analytics_world):
    view = _open(qtbot, ctx, tasks, analytics_world.supervisor)
    rows = _cells(view.table)
    # C-1 (Li Wei): 4 of 6 units back, and SN-1 came back before on R5 (default thresholds).
    assert [(r[0], r[2], r[3]) for r in rows] == [("C-1", "2", "4 / 6")]
    assert "serial number seen before" in rows[0][7] and "returns much of what was bought" in rows[0][7]
    assert not view.open_button.isEnabled()
    view.select("C-1")
    assert view.open_button.isEnabled() and "Why:" in view.signals_label.text()
    with qtbot.waitSignal(view.opened, timeout=WAIT_MS) as opened:
        qtbot.mouseClick(view.open_button, Qt.MouseButton.LeftButton)
    returns_list = opened.args[0].property("returns_list")
    qtbot.waitUntil(lambda: returns_list.model.exhausted and returns_list.model.rowCount() == 2, timeout=WAIT_MS)
    rma = analytics_world.rma
    assert [returns_list.model.summary(r).rma_no for r in range(2)] == [rma["R2"], rma["R1"]]
    with qtbot.waitSignal(view.opened, timeout=WAIT_MS) as detail:
        returns_list.return_activated.emit(returns_list.model.summary(1))
    with qtbot.waitSignal(detail.args[0].page.page_loaded, timeout=WAIT_MS) as page:
        pass
    assert page.args[0] == rma["R1"]


def test_the_watch_flag_is_saved_with_a_note(qtbot, ctx, tasks, analytics_world):
    w = analytics_world
    view = _open(qtbot, ctx, tasks, w.supervisor)
    view.select("C-1")
    view.watch_check.setChecked(True)
    view.note_edit.setPlainText("ok")
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "at least 5" in view.status_label.text(), timeout=WAIT_MS)
    view.note_edit.setPlainText("Serial SN-1 came back twice")
    with qtbot.waitSignal(view.saved, timeout=WAIT_MS), qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    with ctx.db.read() as s:
        row = s.execute(select(CustomerWatch).where(CustomerWatch.customer_id == w.world.customer_id)).scalar_one()
        assert (row.watched, row.note) == (True, "Serial SN-1 came back twice")
    rows = _cells(view.table)
    assert "on the watch list" in rows[0][7]
    assert view.watch_check.isChecked()


def test_finance_reads_the_list_but_sets_no_flag(qtbot, ctx, tasks, analytics_world):
    view = _open(qtbot, ctx, tasks, analytics_world.world.finance)
    assert view.table.rowCount() == 1
    assert view.save_button.isHidden() and view.watch_check.isHidden()


def test_each_row_is_as_tall_as_its_signals_need_at_the_width_they_have(qtbot, ctx, tasks, analytics_world):
    view = _open(qtbot, ctx, tasks, analytics_world.supervisor)
    table = view.table
    signals = table.columnCount() - 1
    one_line = table.fontMetrics().lineSpacing()

    def fits() -> bool:
        # The signals wrap onto as many lines as their column's width needs, and no more.
        width = table.columnWidth(signals)
        needed = table.fontMetrics().boundingRect(0, 0, width - 8, 10_000, Qt.TextFlag.TextWordWrap,
                                                  table.item(0, signals).text()).height()
        return needed <= table.rowHeight(0) <= needed + one_line

    qtbot.waitUntil(fits, timeout=WAIT_MS)
    narrow = table.rowHeight(0)
    assert narrow > 2 * one_line  # the signals need several lines at this width
    view.resize(2400, 700)  # the signals' column wider: the row shrinks to fewer lines
    qtbot.waitUntil(lambda: table.rowHeight(0) < narrow and fits(), timeout=WAIT_MS)
    view.resize(1200, 700)  # narrow again: it grows back
    qtbot.waitUntil(lambda: table.rowHeight(0) == narrow and fits(), timeout=WAIT_MS)
