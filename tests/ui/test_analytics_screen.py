"""The analytics dashboard driven like a manager: set the period and site, read the figures, click
a bar of the Pareto chart, open a return behind it, and save a chart and its figures."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from returndesk.api.local import LocalSession
from returndesk.services.infra.connection import DatabaseChoice, OpenedDatabase
from returndesk.store.migrate import SchemaStatus
from returndesk.ui.screens.analytics import AnalyticsScreen
from returndesk.ui.tasks import TaskRunner

WAIT_MS = 20_000


@pytest.fixture
def tasks(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle(WAIT_MS)
    runner.shutdown(WAIT_MS)


@pytest.fixture
def screen(qtbot, ctx, tasks, analytics_world):
    status = SchemaStatus(current=None, head="", known=True)
    session = LocalSession(OpenedDatabase(ctx=ctx, choice=DatabaseChoice.local("test.sqlite3"), status=status,
                                          created=False))
    manager = analytics_world.manager
    view = AnalyticsScreen(session.api_for(manager), tasks, manager, today=date(2026, 11, 30))
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    tasks.wait_idle(WAIT_MS)
    view.from_edit.setDate(QDate(2026, 11, 1))
    view.site_edit.setText("SH01")
    loaded: set[str] = set()
    view.loaded.connect(loaded.add)
    qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: loaded >= {"reasons", "rates", "cycle", "trend", "money"}, timeout=WAIT_MS)
    return view


def _cells(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_figures_of_the_period(screen):
    reasons = _cells(screen.panels["reasons"].table)
    assert [(r[1], r[2]) for r in reasons] == [("2", "5"), ("1", "1")]
    assert reasons[0][0] == "Changed my mind" or reasons[0][0].lower().startswith("changed")
    rates = _cells(screen.panels["rates"].table)
    assert rates[0][0].startswith("AP-2001") and rates[0][3] == "60.0 %" and rates[0][6]
    money = {r[0]: r[2] for r in _cells(screen.panels["money"].table)}
    assert money["Refunded in all"] == "¥612.30" and money["Cost per return"] == "¥281.15"
    assert "Authorized" in screen.panels["cycle"].note_label.text()


def test_a_click_on_a_pareto_bar_opens_its_returns_and_then_a_return(screen, qtbot, analytics_world):
    rma = analytics_world.rma
    panel = screen.panels["reasons"]
    series = panel.chart.series()[0]
    # The middle of the first bar (changed_mind, 5 units), in the view's coordinates.
    point = panel.chart.mapToPosition(QPointF(0, series.barSets()[0].at(0) / 2), series)
    target = panel.view.mapFromScene(panel.chart.mapToScene(point))
    with qtbot.waitSignal(screen.drilled, timeout=WAIT_MS) as drilled:
        QTest.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target)
    dialog = drilled.args[0]
    returns_list = dialog.property("returns_list")
    qtbot.waitUntil(lambda: returns_list.model.rowCount() == 2 and returns_list.model.exhausted, timeout=WAIT_MS)
    assert [returns_list.model.summary(r).rma_no for r in range(2)] == [rma["R2"], rma["R3"]]
    assert "Changed" in dialog.windowTitle() or "changed" in dialog.windowTitle()

    table = returns_list.table
    cell = table.visualRect(returns_list.model.index(0, 0)).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, cell)
    with qtbot.waitSignal(screen.drilled, timeout=WAIT_MS) as opened:
        QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, cell)
    detail = opened.args[0]
    assert detail.objectName() == "return_detail_dialog"
    with qtbot.waitSignal(detail.page.page_loaded, timeout=WAIT_MS) as loaded:
        pass
    assert loaded.args[0] == rma["R2"]


def test_a_chart_and_its_figures_are_saved(screen, tmp_path):
    panel = screen.panels["money"]
    panel.save_chart(tmp_path / "money.png")
    image = QImage(str(tmp_path / "money.png"))
    assert not image.isNull() and image.width() > 200
    panel.save_data(tmp_path / "money.xlsx")
    rows = list(load_workbook(tmp_path / "money.xlsx").active.iter_rows(values_only=True))
    assert ("Refunded in all", 2, 612.30) in rows
    screen.panels["reasons"].save_data(tmp_path / "reasons.csv")
    text = (tmp_path / "reasons.csv").read_text("utf-8-sig").splitlines()
    assert text[0].startswith("Reason,Returns,Units") and text[1].endswith(",2,5,395.0,0.8333,0.8333")


def test_a_backwards_period_is_said_in_words(screen, qtbot):
    screen.from_edit.setDate(QDate(2026, 12, 5))
    qtbot.mouseClick(screen.refresh_button, Qt.MouseButton.LeftButton)
    assert "swap the dates" in screen.status_label.text()


def _click_bar(panel, series, index, qtbot, signal):
    """Click the middle of bar ``index`` of ``series``'s first set; the dialog ``signal`` carries."""
    value = series.barSets()[0].at(index)
    horizontal = series.type() == series.type().SeriesTypeHorizontalBar
    middle = QPointF(value / 2, index) if horizontal else QPointF(index, value / 2)
    point = panel.chart.mapToPosition(middle, series)
    target = panel.view.mapFromScene(panel.chart.mapToScene(point))
    with qtbot.waitSignal(signal, timeout=WAIT_MS) as caught:
        QTest.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target)
    return caught.args[0]


def test_a_click_on_a_rate_bar_opens_the_returns_of_that_product(screen, qtbot, analytics_world):
    rma = analytics_world.rma
    panel = screen.panels["rates"]
    series = panel.chart.series()[0]
    # Drawn worst last: the top bar is AP-2001 (5 of 10 returned: R2 and R3).
    top = series.barSets()[0].count() - 1
    dialog = _click_bar(panel, series, top, qtbot, screen.drilled)
    returns_list = dialog.property("returns_list")
    qtbot.waitUntil(lambda: returns_list.model.exhausted and returns_list.model.rowCount() > 0, timeout=WAIT_MS)
    assert [returns_list.model.summary(r).rma_no for r in range(returns_list.model.rowCount())] == [
        rma["R2"], rma["R3"]]
    assert "AP-2001" in dialog.windowTitle()


def test_the_trend_tab_and_the_vendors_credit(screen):
    trend = _cells(screen.panels["trend"].table)
    assert ["Requested", "2026-11-01", "3", "1.6", "2.0"] in trend
    assert len(screen.panels["trend"].chart.series()) == len({row[0] for row in trend})
    money = {r[0]: (r[1], r[2]) for r in _cells(screen.panels["money"].table)}
    assert money["Recovered from vendors (credit notes)"] == ("0", "¥0.00")


def test_a_manager_saves_stage_targets_and_the_ageing_follows(screen, qtbot, ctx):
    from sqlalchemy import select

    from returndesk.store.schema import StageTarget

    screen.tabs.setCurrentIndex(2)  # the cycle times
    assert screen.targets_button.isVisible()
    with qtbot.waitSignal(screen.drilled, timeout=WAIT_MS) as shown:
        qtbot.mouseClick(screen.targets_button, Qt.MouseButton.LeftButton)
    dialog = shown.args[0]
    assert dialog.objectName() == "stage_targets_dialog"
    assert dialog.spins["requested"].value() == 24
    dialog.spins["requested"].setValue(4)
    loaded: set[str] = set()
    screen.loaded.connect(loaded.add)
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: "cycle" in loaded, timeout=WAIT_MS)
    with ctx.db.read() as s:
        assert dict(s.execute(select(StageTarget.stage, StageTarget.hours)).all()) == {"requested": 4}
    cycle = {r[0]: r for r in _cells(screen.panels["cycle"].table)}
    assert cycle["Requested"][6] == "4"


def test_the_returns_waiting_longest_open_on_their_page(screen, qtbot, analytics_world):
    with qtbot.waitSignal(screen.drilled, timeout=WAIT_MS) as shown:
        qtbot.mouseClick(screen.stuck_button, Qt.MouseButton.LeftButton)
    table = shown.args[0].property("stuck_table")
    assert table.item(0, 0).text() == analytics_world.rma["R3"]
    with qtbot.waitSignal(screen.drilled, timeout=WAIT_MS) as opened:
        table.cellDoubleClicked.emit(0, 0)
    with qtbot.waitSignal(opened.args[0].page.page_loaded, timeout=WAIT_MS) as page:
        pass
    assert page.args[0] == analytics_world.rma["R3"]
