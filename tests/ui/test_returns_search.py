"""The returns search screen driven like a user: filters typed and chosen, sorting by a header
click, the result exported to Excel and CSV through the screen and read back with openpyxl."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QDate, Qt
from returndesk.domain.types import ReturnStatus
from returndesk.ui.screens.returns_list import ReturnsListScreen, ReturnsTableModel
from returndesk.ui.tasks import TaskRunner

from tests.integration.factories import build_world
from tests.integration.return_states import return_in
from tests.ui.counter_support import session_for

WAIT = 20_000


@pytest.fixture
def tasks(qapp):
    runner = TaskRunner()
    yield runner
    runner.wait_idle(10_000)
    runner.shutdown(10_000)


def shown(screen: ReturnsListScreen) -> list[str]:
    return [screen.model.summary(r).rma_no for r in range(screen.model.rowCount())]


def test_filters_sort_and_export_from_the_screen(qtbot, qtmodeltester, ctx, clock, tasks, tmp_path):
    world = build_world(ctx)
    requested = return_in(world, ReturnStatus.REQUESTED)
    clock.advance(days=1)
    refunded = return_in(world, ReturnStatus.REFUNDED)
    cancelled = return_in(world, ReturnStatus.CANCELLED)
    chosen: list[tuple[str, str]] = []

    def choose(_parent, suggested: str, fmt: str) -> Path:
        chosen.append((suggested, fmt))
        return tmp_path / f"export.{fmt}"

    screen = ReturnsListScreen(session_for(ctx).api_for(world.supervisor), tasks, world.supervisor,
                               choose_export_path=choose)
    qtbot.addWidget(screen)
    screen.resize(1200, 600)
    screen.show()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 3 and not screen.model.loading, timeout=WAIT)
    assert shown(screen) == [cancelled, refunded, requested]
    qtmodeltester.check(screen.model, force_py=True)

    # Status: refunded.
    screen.status_combo.setCurrentIndex(screen.status_combo.findData("refunded"))
    with qtbot.waitSignal(screen.results_shown, timeout=WAIT):
        qtbot.mouseClick(screen.search_button, Qt.MouseButton.LeftButton)
    assert shown(screen) == [refunded]

    # Customer typed, status back to any: Enter in the field searches.
    screen.status_combo.setCurrentIndex(0)
    with qtbot.waitSignal(screen.results_shown, timeout=WAIT):
        qtbot.keyClicks(screen.customer_edit, "Li Wei")
        qtbot.keyClick(screen.customer_edit, Qt.Key.Key_Return)
    assert shown(screen) == [cancelled, refunded, requested]
    with qtbot.waitSignal(screen.results_shown, timeout=WAIT):
        screen.customer_edit.setText("Anna")
        qtbot.keyClick(screen.customer_edit, Qt.Key.Key_Return)
    assert shown(screen) == []
    assert "filters" in screen.status_label.text()

    # An amount that is no amount: said, and the list stays as it was.
    screen.customer_edit.clear()
    screen.amount_min_edit.setText("lots")
    qtbot.keyClick(screen.amount_min_edit, Qt.Key.Key_Return)
    assert "not an amount" in screen.status_label.text()

    # Clear, then sort oldest first by clicking the Created header.
    with qtbot.waitSignal(screen.results_shown, timeout=WAIT):
        qtbot.mouseClick(screen.clear_button, Qt.MouseButton.LeftButton)
    assert screen.amount_min_edit.text() == ""
    header = screen.table.horizontalHeader()
    with qtbot.waitSignal(screen.results_shown, timeout=WAIT):
        header.setSortIndicator(ReturnsTableModel.CREATED, Qt.SortOrder.AscendingOrder)
    assert shown(screen) == [requested, refunded, cancelled]

    # Days: only the first day (the requested return).
    first = date.fromordinal(clock.current.date().toordinal() - 1)
    screen.from_edit.setDate(QDate(first.year, first.month, first.day))
    screen.to_edit.setDate(QDate(first.year, first.month, first.day))
    with qtbot.waitSignal(screen.results_shown, timeout=WAIT):
        qtbot.mouseClick(screen.search_button, Qt.MouseButton.LeftButton)
    assert shown(screen) == [requested]

    # Export what the search finds (every status but requested), to Excel and to CSV.
    with qtbot.waitSignal(screen.results_shown, timeout=WAIT):
        qtbot.mouseClick(screen.clear_button, Qt.MouseButton.LeftButton)
    screen.status_combo.setCurrentIndex(screen.status_combo.findData("cancelled"))
    with qtbot.waitSignal(screen.results_shown, timeout=WAIT):
        qtbot.mouseClick(screen.search_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(screen.exported, timeout=WAIT) as done:
        qtbot.mouseClick(screen.export_xlsx_button, Qt.MouseButton.LeftButton)
    assert done.args == [str(tmp_path / "export.xlsx"), 1]
    rows = list(openpyxl.load_workbook(tmp_path / "export.xlsx").active.iter_rows(values_only=True))
    assert rows[0] == tuple(screen.model.headerData(c, Qt.Orientation.Horizontal) for c in range(9))
    assert [r[0] for r in rows[1:]] == [cancelled]
    assert rows[1][1] == "Cancelled"
    with qtbot.waitSignal(screen.exported, timeout=WAIT):
        qtbot.mouseClick(screen.export_csv_button, Qt.MouseButton.LeftButton)
    with open(tmp_path / "export.csv", encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert [r[0] for r in table[1:]] == [cancelled]
    assert [fmt for _, fmt in chosen] == ["xlsx", "csv"]
    assert "exported" in screen.status_label.text()


def test_a_clerk_may_not_export_and_is_told_why(qtbot, ctx, tasks):
    world = build_world(ctx)
    screen = ReturnsListScreen(session_for(ctx).api_for(world.clerk), tasks, world.clerk)
    qtbot.addWidget(screen)
    assert not screen.export_xlsx_button.isEnabled()
    assert "export" in screen.export_xlsx_button.toolTip()
