"""The analytics dashboard (supervisors, managers, finance): why goods come back, the return rates,
where returns wait, and what returns cost.

Filters by period (calendar days of the site), site and station. Five tabs, each with a chart
(Qt Charts) and the figures behind it in a table; every chart can be saved as a PNG picture and its
figures as an Excel or CSV file. A click on a bar of the reasons' Pareto chart or of the return
rates opens the returns behind it (the returns list, filtered by that reason or that product,
category, supplier or channel and the period); from there a return opens on its detail page. The
cycle-time tab keeps the stage targets (managers and administrators change them) and lists the
returns waiting longest, each openable; the trend tab draws the time per stage week by week.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QEvent, QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import (
    Actor,
    CycleTimes,
    CycleTrend,
    MoneyReport,
    Page,
    RateTable,
    ReasonPareto,
    ReportFilter,
    ReturnSummary,
    StageTargetView,
)
from returndesk.domain.errors import ValidationFailed
from returndesk.domain.permissions import Permission, can
from returndesk.domain.localtime import local_datetime
from returndesk.domain.money import format_money
from returndesk.ui import help
from returndesk.ui.fonts import scale_font
from returndesk.ui.i18n import tr_refund_method, tr_status
from returndesk.ui.local_time import DATE_FORMAT, display_zone, format_date
from returndesk.ui.screens.approval.models import is_chinese
from returndesk.ui.station_screen import StationScreen
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.i18n import tr_message

TABS = ("reasons", "rates", "cycle", "trend", "money")
# Colours of the stages' lines in the trend chart, in the order of the stages.
STAGE_COLOURS = ("#1565c0", "#6a1b9a", "#2e7d32", "#ef6c00", "#c62828", "#00838f", "#5d4037", "#9e9d24",
                 "#ad1457")
MAX_TARGET_HOURS = 90 * 24
BAR_COLOUR = QColor("#1565c0")
LINE_COLOUR = QColor("#c62828")
P90_COLOUR = QColor("#ef6c00")
DEFAULT_DAYS = 30

Table = tuple[list[str], list[list[Any]]]


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def _hours(seconds: int | None) -> str:
    return "—" if seconds is None else f"{seconds / 3600:.1f}"


def write_table(table: Table, path: Path) -> None:
    """The figures of a chart as CSV (UTF-8 with BOM, for Excel) or an Excel sheet, by the suffix."""
    columns, rows = table
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(columns)
        for row in rows:
            sheet.append(row)
        book.save(path)
        return
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)


def open_returns_dialog(parent: QWidget, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, title: str,
                        fetch: Callable[[str | None], Page[ReturnSummary]],
                        on_open: Callable[[QDialog, ReturnSummary], None]) -> QDialog:
    """The returns list in a dialog over ``fetch`` (keyset pages), a row opening with ``on_open``."""
    from returndesk.ui.screens.returns_list import ReturnsListScreen

    dialog = QDialog(parent)
    dialog.setObjectName("drill_dialog")
    dialog.setWindowTitle(title)
    dialog.resize(900, 520)
    screen = ReturnsListScreen(api, tasks, actor, dialog)
    screen.model.set_fetcher(fetch)
    screen.search_edit.hide()
    screen.search_button.hide()
    screen.title_label.setText(title)
    screen.return_activated.connect(lambda summary: on_open(dialog, summary))
    layout = QVBoxLayout(dialog)
    layout.addWidget(screen)
    dialog.setProperty("returns_list", screen)
    dialog.show()
    return dialog


class StageTargetsDialog(QDialog):
    """The hours a return may wait in each stage before it counts as late, one field per stage."""

    def __init__(self, targets: list[StageTargetView], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.ANALYTICS)
        self.setObjectName("stage_targets_dialog")
        self.setWindowTitle(self.tr("Stage targets"))
        self.targets = targets
        self.spins: dict[str, QSpinBox] = {}
        form = QFormLayout()
        intro = QLabel(self.tr("How many hours a return may wait in each stage before the ageing view counts it "
                               "as late."))
        intro.setWordWrap(True)
        for t in targets:
            spin = QSpinBox()
            spin.setObjectName(f"target_{t.stage}_spin")
            spin.setRange(1, MAX_TARGET_HOURS)
            spin.setSuffix(self.tr(" h"))
            spin.setValue(t.hours)
            spin.setToolTip(self.tr("Default: {hours} h").format(hours=t.default_hours))
            self.spins[t.stage] = spin
            form.addRow(tr_status(t.stage), spin)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def changed(self) -> dict[str, int]:
        """The stages whose target the user changed, with their new hours."""
        return {t.stage: self.spins[t.stage].value() for t in self.targets if self.spins[t.stage].value() != t.hours}


class ChartPanel(QWidget):
    """One chart above the table of its figures, with buttons to save either."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.view = QChartView(self.chart)
        self.view.setObjectName(f"{key}_chart")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(240)
        self.table = QTableWidget()
        self.table.setObjectName(f"{key}_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.save_chart_button = QPushButton()
        self.save_chart_button.setObjectName(f"{key}_save_chart_button")
        self.save_data_button = QPushButton()
        self.save_data_button.setObjectName(f"{key}_save_data_button")
        self.note_label = QLabel()
        self.note_label.setObjectName(f"{key}_note_label")
        self.note_label.setWordWrap(True)
        self.data: Table = ([], [])
        self.tools = QHBoxLayout()
        self.tools.addWidget(self.note_label, 1)
        self.tools.addWidget(self.save_chart_button)
        self.tools.addWidget(self.save_data_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.tools)
        layout.addWidget(splitter, 1)

    def reset_chart(self, title: str) -> QChart:
        """An empty chart titled ``title`` in the application's font (which reaches a CJK font)."""
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        font = QFont(self.font())
        title_font = QFont(font)
        title_font.setBold(True)
        chart.setTitleFont(title_font)
        chart.setTitle(title)
        chart.legend().setFont(font)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        return chart

    def axis_font(self, axis: Any) -> Any:
        axis.setLabelsFont(QFont(self.font()))
        axis.setTitleFont(QFont(self.font()))
        return axis

    def show_table(self, columns: list[str], rows: list[list[Any]], shown: list[list[str]] | None = None) -> None:
        """The figures (``rows``, saved as they are) and their display text (``shown``)."""
        self.data = (columns, rows)
        display = shown if shown is not None else [[("" if v is None else str(v)) for v in r] for r in rows]
        self.table.clear()
        self.table.setColumnCount(len(columns))
        self.table.setRowCount(len(display))
        self.table.setHorizontalHeaderLabels(columns)
        for r, row in enumerate(display):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c > 0 and rows and isinstance(rows[r][c], int | float):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if columns:
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def save_chart(self, path: Path) -> None:
        if not self.view.grab().save(str(path), "PNG"):
            raise OSError(f"could not write {path}")

    def save_data(self, path: Path) -> None:
        write_table(self.data, path)


class AnalyticsScreen(StationScreen):
    """The dashboard; see the module documentation.

    ``loaded(tab)`` after a tab's figures arrived; ``drilled(dialog)`` when the returns behind a
    Pareto bar are opened.
    """

    loaded = Signal(str)
    drilled = Signal(object)

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        super().__init__(api, tasks, actor, parent)
        self.setObjectName("analytics_screen")
        self._pareto: ReasonPareto | None = None
        self._rates: RateTable | None = None
        self._cycle: CycleTimes | None = None
        self._money: MoneyReport | None = None
        self._trend: CycleTrend | None = None
        self._problem = ""
        end = today or local_datetime(api.session.now(), display_zone()).date()
        first = end - timedelta(days=DEFAULT_DAYS - 1)

        self.title_label = QLabel()
        self.title_label.setObjectName("title_label")
        scale_font(self.title_label, 1.3, bold=True)
        self.from_label = QLabel()
        self.from_edit = QDateEdit(QDate(first.year, first.month, first.day))
        self.from_edit.setObjectName("from_edit")
        self.from_edit.setCalendarPopup(True)
        self.from_edit.setDisplayFormat(DATE_FORMAT)
        self.to_label = QLabel()
        self.to_edit = QDateEdit(QDate(end.year, end.month, end.day))
        self.to_edit.setObjectName("to_edit")
        self.to_edit.setCalendarPopup(True)
        self.to_edit.setDisplayFormat(DATE_FORMAT)
        self.site_edit = QLineEdit()
        self.site_edit.setObjectName("site_edit")
        self.station_edit = QLineEdit()
        self.station_edit.setObjectName("station_edit")
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("refresh_button")
        self.refresh_button.clicked.connect(self.refresh)
        self.site_edit.returnPressed.connect(self.refresh)
        self.station_edit.returnPressed.connect(self.refresh)
        self.status_label = QLabel()
        self.status_label.setObjectName("status_label")
        self.status_label.setWordWrap(True)

        filters = QHBoxLayout()
        filters.addWidget(self.from_label)
        filters.addWidget(self.from_edit)
        filters.addWidget(self.to_label)
        filters.addWidget(self.to_edit)
        filters.addWidget(self.site_edit)
        filters.addWidget(self.station_edit)
        filters.addWidget(self.refresh_button)
        filters.addStretch(1)

        self.panels = {key: ChartPanel(key) for key in TABS}
        self.dimension_combo = QComboBox()
        self.dimension_combo.setObjectName("dimension_combo")
        for key in ("product", "category", "supplier", "channel"):
            self.dimension_combo.addItem("", key)
        self.dimension_combo.currentIndexChanged.connect(lambda _i: self._load_rates())
        self.panels["rates"].tools.insertWidget(0, self.dimension_combo)
        self.targets_button = QPushButton()
        self.targets_button.setObjectName("targets_button")
        self.targets_button.clicked.connect(self.edit_targets)
        self.targets_button.setVisible(can(actor.role, Permission.MANAGE_MASTER_DATA)
                                       or can(actor.role, Permission.ADMIN_POLICY))
        self.stuck_button = QPushButton()
        self.stuck_button.setObjectName("stuck_button")
        self.stuck_button.clicked.connect(self.open_stuck)
        self.panels["cycle"].tools.insertWidget(1, self.stuck_button)
        self.panels["cycle"].tools.insertWidget(2, self.targets_button)
        self.bucket_combo = QComboBox()
        self.bucket_combo.setObjectName("bucket_combo")
        for key in ("week", "day"):
            self.bucket_combo.addItem("", key)
        self.bucket_combo.currentIndexChanged.connect(lambda _i: self._load_trend())
        self.panels["trend"].tools.insertWidget(0, self.bucket_combo)
        for panel in self.panels.values():
            panel.save_chart_button.clicked.connect(lambda _c=False, p=panel: self._ask_save_chart(p))
            panel.save_data_button.clicked.connect(lambda _c=False, p=panel: self._ask_save_data(p))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("analytics_tabs")
        for key in TABS:
            self.tabs.addTab(self.panels[key], "")

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addLayout(filters)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status_label)

        self.retranslate_ui()
        self._start_following(None)
        self.refresh()

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.title_label.setText(self.tr("Analytics"))
        self.from_label.setText(self.tr("From"))
        self.to_label.setText(self.tr("to"))
        self.site_edit.setPlaceholderText(self.tr("All sites"))
        self.site_edit.setToolTip(self.tr("Site code; days are counted in its time zone"))
        self.station_edit.setPlaceholderText(self.tr("All stations"))
        self.refresh_button.setText(self.tr("&Show"))
        titles = {"reasons": self.tr("Reasons"), "rates": self.tr("Return rates"),
                  "cycle": self.tr("Cycle times"), "trend": self.tr("Cycle-time trend"), "money": self.tr("Money")}
        self.targets_button.setText(self.tr("Stage targets…"))
        self.targets_button.setToolTip(self.tr("Set how long a return may wait in each stage"))
        self.stuck_button.setText(self.tr("Waiting longest…"))
        self.stuck_button.setToolTip(self.tr("Open the returns waiting longest in their stage"))
        buckets = {"week": self.tr("By week"), "day": self.tr("By day")}
        for i in range(self.bucket_combo.count()):
            self.bucket_combo.setItemText(i, buckets[str(self.bucket_combo.itemData(i))])
        for i, key in enumerate(TABS):
            self.tabs.setTabText(i, titles[key])
        dims = {"product": self.tr("By product"), "category": self.tr("By category"),
                "supplier": self.tr("By supplier"), "channel": self.tr("By channel")}
        for i in range(self.dimension_combo.count()):
            self.dimension_combo.setItemText(i, dims[str(self.dimension_combo.itemData(i))])
        for panel in self.panels.values():
            panel.save_chart_button.setText(self.tr("Save chart…"))
            panel.save_chart_button.setToolTip(self.tr("Save the chart as a PNG picture"))
            panel.save_data_button.setText(self.tr("Save figures…"))
            panel.save_data_button.setToolTip(self.tr("Save the figures as an Excel or CSV file"))
        self._redraw()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _redraw(self) -> None:
        if self._pareto is not None:
            self._show_pareto(self._pareto)
        if self._rates is not None:
            self._show_rates(self._rates)
        if self._cycle is not None:
            self._show_cycle(self._cycle)
        if self._money is not None:
            self._show_money(self._money)
        if self._trend is not None:
            self._show_trend(self._trend)

    # ------------------------------------------------------------------ loading
    def report_filter(self) -> ReportFilter:
        """The filter the fields describe (``ValidationFailed`` when the period is backwards)."""
        start = self.from_edit.date().toPython()
        end = self.to_edit.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        if end < start:
            raise ValidationFailed(self.tr("The period ends before it starts; swap the dates."))
        return ReportFilter(start, end, site=self.site_edit.text().strip() or None,
                            station=self.station_edit.text().strip() or None)

    def refresh(self) -> None:
        """Load every tab's figures for the filter."""
        try:
            f = self.report_filter()
        except ValidationFailed as exc:
            self._show_problem(tr_message(exc.message))
            return
        self._problem = ""
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Loading…"))
        api = self._api.analytics
        self._run("reasons", lambda: api.reason_pareto(f), self._show_pareto)
        self._load_rates(f)
        self._run("cycle", lambda: api.cycle_times(f), self._show_cycle)
        self._run("money", lambda: api.money(f), self._show_money)
        self._load_trend(f)

    def _load_trend(self, f: ReportFilter | None = None) -> None:
        try:
            f = f or self.report_filter()
        except ValidationFailed as exc:
            self._show_problem(exc.message)
            return
        bucket = str(self.bucket_combo.currentData() or "week")
        api = self._api.analytics
        self._run("trend", lambda: api.cycle_trend(f, bucket), self._show_trend)

    def _load_rates(self, f: ReportFilter | None = None) -> None:
        try:
            f = f or self.report_filter()
        except ValidationFailed as exc:
            self._show_problem(tr_message(exc.message))
            return
        dimension = str(self.dimension_combo.currentData() or "product")
        api = self._api.analytics
        self._run("rates", lambda: api.return_rates(f, dimension, limit=50), self._show_rates)

    def _run(self, key: str, fn: Callable[[], Any], show: Callable[[Any], None]) -> None:
        def done(result: Any) -> None:
            show(result)
            if not self._problem:
                self.status_label.setText(self._summary())
            self.loaded.emit(key)

        self._tasks.run(fn, on_done=done, on_error=self._on_load_failed, key=f"analytics-{key}",
                        busy=[self.refresh_button])

    def _on_load_failed(self, error: BaseException) -> None:
        report = self._errors.report(error, context=self.tr("loading the analytics"))
        self._show_problem(report.message)

    def _show_problem(self, message: str) -> None:
        self._problem = message
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(message)

    def _summary(self) -> str:
        if self._pareto is None:
            return ""
        text = self.tr("%n return(s) in the period.", "", self._pareto.returns)
        if self._cycle is not None and self._cycle.bottleneck:
            text += " " + self.tr("Most time is lost now in: {stage}.").format(stage=tr_status(self._cycle.bottleneck))
        return text

    def _on_data_changed(self, entity: str, _entity_id: int) -> None:
        """Figures are read when asked for (Show); a change elsewhere does not reload them."""

    # ------------------------------------------------------------------ reasons
    def _reason_name(self, en: str, zh: str) -> str:
        return zh if is_chinese() and zh else en

    def _show_pareto(self, pareto: ReasonPareto) -> None:
        self._pareto = pareto
        panel = self.panels["reasons"]
        chart = panel.reset_chart(self.tr("Why goods come back (units by reason)"))
        names = [self._reason_name(b.name_en, b.name_zh) for b in pareto.bars]
        bars = QBarSet(self.tr("Units returned"))
        bars.setColor(BAR_COLOUR)
        for b in pareto.bars:
            bars.append(b.units)
        bars.clicked.connect(self._on_pareto_bar_clicked)
        series = QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        line = QLineSeries()
        line.setName(self.tr("Cumulative share (%)"))
        line.setColor(LINE_COLOUR)
        for i, b in enumerate(pareto.bars):
            line.append(QPointF(i, b.cumulative * 100))
        chart.addSeries(line)
        x = panel.axis_font(QBarCategoryAxis())
        x.append(names or [""])
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(x)
        line.attachAxis(x)
        y = panel.axis_font(QValueAxis())
        y.setRange(0, max([b.units for b in pareto.bars] or [1]) * 1.1)
        y.applyNiceNumbers()
        y.setLabelFormat("%d")
        y.setTitleText(self.tr("Units"))
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(y)
        y2 = panel.axis_font(QValueAxis())
        y2.setRange(0, 100)
        y2.setLabelFormat("%d %%")
        chart.addAxis(y2, Qt.AlignmentFlag.AlignRight)
        line.attachAxis(y2)
        columns = [self.tr("Reason"), self.tr("Returns"), self.tr("Units"), self.tr("Value"), self.tr("Share"),
                   self.tr("Cumulative")]
        rows = [[n, b.returns, b.units, b.value_minor / 100, round(b.share, 4), round(b.cumulative, 4)]
                for n, b in zip(names, pareto.bars, strict=True)]
        shown = [[n, str(b.returns), str(b.units), format_money(b.value_minor), _percent(b.share),
                  _percent(b.cumulative)] for n, b in zip(names, pareto.bars, strict=True)]
        panel.show_table(columns, rows, shown)
        panel.note_label.setText(self.tr("Click a bar to see the returns behind it."))

    def _on_pareto_bar_clicked(self, index: int) -> None:
        if self._pareto is not None and 0 <= index < len(self._pareto.bars):
            self.drill_down(self._pareto.bars[index].code)

    def drill_down(self, reason_code: str | None, narrowed: ReportFilter | None = None, *,
                   what: str | None = None) -> QDialog:
        """Open the returns of the period with a line of ``reason_code`` (None: any reason) under
        ``narrowed`` (the filter with a product, category, supplier, channel or customer; the
        fields' filter otherwise): the returns list, filtered. ``what`` names them in the title."""
        f = narrowed or self.report_filter()
        if what is None:
            bar = next((b for b in (self._pareto.bars if self._pareto else ()) if b.code == reason_code), None)
            what = self._reason_name(bar.name_en, bar.name_zh) if bar else (reason_code or "")
        api = self._api.analytics

        def fetch(after: str | None) -> Page[ReturnSummary]:
            return api.returns_behind(f, reason_code, after=after, limit=100)

        title = self.tr("Returns: {reason}, {start} to {end}").format(
            reason=what, start=format_date(f.date_from), end=format_date(f.date_to))
        dialog = open_returns_dialog(self, self._api, self._tasks, self._actor, title, fetch, self._open_return)
        self.drilled.emit(dialog)
        return dialog

    def _on_rate_bar_clicked(self, index: int) -> None:
        """A bar of the rates chart (drawn worst last, top of the chart) opens its returns."""
        if self._rates is None:
            return
        top = list(self._rates.rows[:10])[::-1]
        if not 0 <= index < len(top):
            return
        row, dimension = top[index], self._rates.dimension
        try:
            f = self.report_filter()
        except ValidationFailed as exc:
            self._show_problem(exc.message)
            return
        narrowed = ReportFilter(f.date_from, f.date_to, site=f.site, station=f.station, **{dimension: row.key})
        name = row.key if dimension in ("product", "channel") else self._reason_name(row.name_en, row.name_zh)
        self.drill_down(None, narrowed, what=name)

    def _open_return(self, dialog: QWidget, summary: ReturnSummary) -> None:
        """Open a return of the drill-down on its detail page."""
        self.open_detail(dialog, summary.rma_no)

    def open_detail(self, parent: QWidget, rma_no: str) -> QDialog:
        """The detail page of ``rma_no`` over ``parent``."""
        from returndesk.ui.screens.return_detail.screen import ReturnDetailDialog

        detail = ReturnDetailDialog(self._api, self._tasks, self._actor, parent)
        detail.open_return(rma_no)
        self.drilled.emit(detail)
        return detail

    # ------------------------------------------------------------------ rates
    def _show_rates(self, table: RateTable) -> None:
        self._rates = table
        panel = self.panels["rates"]
        chart = panel.reset_chart(self.tr("Returned of sold, worst first (units)"))
        top = list(table.rows[:10])[::-1]
        # Products by SKU (short enough for the axis); categories and suppliers by name.
        names = [r.key if table.dimension in ("product", "channel") else self._reason_name(r.name_en, r.name_zh)
                 for r in top]
        bars = QBarSet(self.tr("Return rate (%)"))
        bars.setColor(BAR_COLOUR)
        for r in top:
            bars.append((r.unit_rate or 0.0) * 100)
        bars.clicked.connect(self._on_rate_bar_clicked)
        series = QHorizontalBarSeries()
        series.append(bars)
        chart.addSeries(series)
        y = panel.axis_font(QBarCategoryAxis())
        y.setTruncateLabels(False)  # the axis takes the width its labels need
        y.append(names or [""])
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(y)
        x = panel.axis_font(QValueAxis())
        x.setRange(0, min(100.0, max([(r.unit_rate or 0.0) * 100 for r in top] or [1]) * 1.1) or 1)
        x.applyNiceNumbers()
        x.setLabelFormat("%.0f %%")
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(x)
        chart.legend().setVisible(False)
        columns = [self.tr("Name"), self.tr("Sold"), self.tr("Returned"), self.tr("Rate (units)"),
                   self.tr("Rate (value)"), self.tr("Rate before"), self.tr("Jumped")]
        rows, shown = [], []
        for r in table.rows:
            name = self._reason_name(r.name_en, r.name_zh)
            if table.dimension in ("product", "supplier") and r.key != name:
                name = f"{r.key} {name}"
            rows.append([name, r.sold_units, r.returned_units, r.unit_rate, r.value_rate, r.past_unit_rate,
                         r.jumped])
            shown.append([name, str(r.sold_units), str(r.returned_units), _percent(r.unit_rate),
                          _percent(r.value_rate), _percent(r.past_unit_rate), self.tr("Yes") if r.jumped else ""])
        panel.show_table(columns, rows, shown)
        jumped = sum(1 for r in table.rows if r.jumped)
        panel.note_label.setText(self.tr("%n rate(s) jumped against the period before.", "", jumped) + " "
                                 + self.tr("Click a bar to see the returns behind it."))

    # ------------------------------------------------------------------ cycle times
    def _show_cycle(self, report: CycleTimes) -> None:
        self._cycle = report
        panel = self.panels["cycle"]
        chart = panel.reset_chart(self.tr("Hours per stage (median and 90th percentile)"))
        p50 = QBarSet(self.tr("Median"))
        p50.setColor(BAR_COLOUR)
        p90 = QBarSet(self.tr("90th percentile"))
        p90.setColor(P90_COLOUR)
        names = []
        for t in report.stages:
            names.append(tr_status(t.stage))
            p50.append(t.p50_seconds / 3600)
            p90.append(t.p90_seconds / 3600)
        series = QBarSeries()
        series.append(p50)
        series.append(p90)
        chart.addSeries(series)
        x = panel.axis_font(QBarCategoryAxis())
        x.append(names or [""])
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(x)
        y = panel.axis_font(QValueAxis())
        y.setRange(0, max([t.p90_seconds / 3600 for t in report.stages] or [1]) * 1.1 or 1)
        y.applyNiceNumbers()
        y.setLabelFormat("%.0f")
        y.setTitleText(self.tr("Hours"))
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(y)
        ageing = {a.stage: a for a in report.ageing}
        times = {t.stage: t for t in report.stages}
        columns = [self.tr("Stage"), self.tr("Returns"), self.tr("Mean (h)"), self.tr("Median (h)"),
                   self.tr("90th pct. (h)"), self.tr("Open now"), self.tr("Target (h)"), self.tr("Over target"),
                   self.tr("Over twice the target")]
        rows, shown = [], []
        for stage in dict.fromkeys([*times, *ageing]):
            st, a = times.get(stage), ageing.get(stage)
            rows.append([tr_status(stage), st.returns if st else 0, st.mean_seconds if st else None,
                         st.p50_seconds if st else None, st.p90_seconds if st else None,
                         a.open_returns if a else None, a.target_hours if a else None,
                         a.over_target if a else None, a.over_double if a else None])
            shown.append([tr_status(stage), str(st.returns if st else 0), _hours(st.mean_seconds if st else None),
                          _hours(st.p50_seconds if st else None), _hours(st.p90_seconds if st else None),
                          str(a.open_returns) if a else "", str(a.target_hours) if a else "",
                          str(a.over_target) if a else "", str(a.over_double) if a else ""])
        panel.show_table(columns, rows, shown)
        stuck = self.tr(", ").join(
            self.tr("{rma} ({stage}, {hours} h)").format(rma=s.rma_no, stage=tr_status(s.stage),
                                                        hours=s.waiting_seconds // 3600)
            for s in report.stuck[:5])
        lead = (self.tr("Most time is lost now in: {stage}.").format(stage=tr_status(report.bottleneck))
                if report.bottleneck else self.tr("No open return is over its target."))
        panel.note_label.setText(lead + ((" " + self.tr("Waiting longest: {returns}").format(returns=stuck))
                                         if stuck else ""))

    # ------------------------------------------------------------------ money
    def _show_money(self, report: MoneyReport) -> None:
        self._money = report
        panel = self.panels["money"]
        chart = panel.reset_chart(self.tr("Refunded by method"))
        bars = QBarSet(self.tr("Refunded"))
        bars.setColor(BAR_COLOUR)
        names = []
        for m in report.refunded_by_method:
            names.append(tr_refund_method(m.key))
            bars.append(m.amount_minor / 100)
        series = QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        x = panel.axis_font(QBarCategoryAxis())
        x.append(names or [""])
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(x)
        y = panel.axis_font(QValueAxis())
        y.setRange(0, max([m.amount_minor / 100 for m in report.refunded_by_method] or [1]) * 1.1 or 1)
        y.applyNiceNumbers()
        y.setLabelFormat("%.0f")
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(y)
        chart.legend().setVisible(False)
        where = {"available": self.tr("Back in stock (at cost)"), "refurbish": self.tr("To refurbishment (at cost)"),
                 "rtv": self.tr("To the vendor (at cost)"), "scrap": self.tr("Scrapped (at cost)")}
        figures: list[tuple[str, int | None, int]] = [
            (tr_refund_method(m.key), m.count, m.amount_minor) for m in report.refunded_by_method]
        figures += [(self.tr("Refunded in all"), report.refunds, report.refunded_minor),
                    (self.tr("Grade deductions kept"), None, report.deductions_kept_minor),
                    (self.tr("Restocking fees kept"), None, report.fees_kept_minor)]
        figures += [(where.get(g.key, g.key), g.count, g.amount_minor) for g in report.goods_by_destination]
        figures += [(self.tr("Recovered from vendors (credit notes)"), report.vendor_credit_notes,
                     report.recovered_from_vendors_minor),
                    (self.tr("Net cost of returns"), None, report.net_cost_minor),
                    (self.tr("Cost per return"), None, report.cost_per_return_minor)]
        columns = [self.tr("Figure"), self.tr("Count"), self.tr("Amount")]
        rows = [[name, count, amount / 100] for name, count, amount in figures]
        shown = [[name, "" if count is None else str(count), format_money(amount)] for name, count, amount in figures]
        panel.show_table(columns, rows, shown)
        panel.note_label.setText(self.tr("Net cost: refunded minus the cost value of the units back in stock and "
                                         "what vendors credited; per refund issued."))

    # ------------------------------------------------------------------ trend
    def _show_trend(self, trend: CycleTrend) -> None:
        self._trend = trend
        panel = self.panels["trend"]
        chart = panel.reset_chart(self.tr("Median hours per stage, by week") if trend.bucket == "week"
                                  else self.tr("Median hours per stage, by day"))
        labels = [f"{d.month}-{d.day:02d}" for d in trend.buckets]
        index = {d: i for i, d in enumerate(trend.buckets)}
        stages = list(dict.fromkeys(p.stage for p in trend.points))
        x = panel.axis_font(QBarCategoryAxis())
        x.append(labels or [""])
        if len(labels) > 12:
            x.setLabelsAngle(-90)
        x.setTitleText(self.tr("Week from") if trend.bucket == "week" else self.tr("Day"))
        y = panel.axis_font(QValueAxis())
        y.setRange(0, max([p.p50_seconds / 3600 for p in trend.points] or [1]) * 1.1 or 1)
        y.applyNiceNumbers()
        y.setLabelFormat("%.0f")
        y.setTitleText(self.tr("Hours"))
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for n, stage in enumerate(stages):
            line = QLineSeries()
            line.setName(tr_status(stage))
            line.setColor(QColor(STAGE_COLOURS[n % len(STAGE_COLOURS)]))
            for p in trend.points:
                if p.stage == stage:
                    line.append(QPointF(index[p.bucket_start], p.p50_seconds / 3600))
            chart.addSeries(line)
            line.attachAxis(x)
            line.attachAxis(y)
        columns = [self.tr("Stage"), self.tr("From"), self.tr("Returns"), self.tr("Mean (h)"), self.tr("Median (h)")]
        rows = [[tr_status(p.stage), p.bucket_start.isoformat(), p.returns, p.mean_seconds, p.p50_seconds]
                for p in trend.points]
        shown = [[tr_status(p.stage), p.bucket_start.isoformat(), str(p.returns), _hours(p.mean_seconds),
                  _hours(p.p50_seconds)] for p in trend.points]
        panel.show_table(columns, rows, shown)
        panel.note_label.setText(self.tr("Median of each stage's stays that began in the week or day; the table "
                                         "adds how many returns and the mean."))

    # ------------------------------------------------------------------ targets and stuck returns
    def edit_targets(self) -> None:
        """Read the stage targets and offer them for editing (managers and administrators)."""
        self._tasks.run(self._api.analytics.get_stage_targets, on_done=self._ask_targets,
                        on_error=self._on_load_failed, busy=[self.targets_button])

    def _ask_targets(self, targets: list[StageTargetView]) -> None:
        dialog = StageTargetsDialog(targets, self)
        self.drilled.emit(dialog)
        dialog.accepted.connect(lambda: self._save_targets(dialog.changed()))
        dialog.open()

    def _save_targets(self, changed: dict[str, int]) -> None:
        if not changed:
            return
        self._tasks.run(self._api.analytics.set_stage_targets, changed, on_done=lambda _t: self.refresh(),
                        on_error=self._on_load_failed, busy=[self.targets_button])

    def open_stuck(self) -> QDialog:
        """The returns waiting longest in their stage (from the last figures), each openable."""
        dialog = QDialog(self)
        dialog.setObjectName("stuck_dialog")
        dialog.setWindowTitle(self.tr("Waiting longest"))
        dialog.resize(640, 360)
        table = QTableWidget()
        table.setObjectName("stuck_table")
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        stuck = list(self._cycle.stuck) if self._cycle is not None else []
        table.setColumnCount(4)
        table.setHorizontalHeaderLabels([self.tr("RMA"), self.tr("Stage"), self.tr("Waiting (h)"),
                                         self.tr("Target (h)")])
        table.setRowCount(len(stuck))
        for r, item in enumerate(stuck):
            for c, text in enumerate((item.rma_no, tr_status(item.stage), str(item.waiting_seconds // 3600),
                                      str(item.target_hours))):
                table.setItem(r, c, QTableWidgetItem(text))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.cellDoubleClicked.connect(lambda row, _c: self.open_detail(dialog, stuck[row].rma_no))
        hint = QLabel(self.tr("Double-click a return to open it."))
        layout = QVBoxLayout(dialog)
        layout.addWidget(hint)
        layout.addWidget(table)
        dialog.setProperty("stuck_table", table)
        dialog.show()
        self.drilled.emit(dialog)
        return dialog

    # ------------------------------------------------------------------ saving
    def _ask_save_chart(self, panel: ChartPanel) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save chart"), f"{panel.key}.png",
                                              self.tr("PNG pictures (*.png)"))
        if name:
            self._save(lambda: panel.save_chart(Path(name)))

    def _ask_save_data(self, panel: ChartPanel) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save figures"), f"{panel.key}.xlsx",
                                              self.tr("Excel workbooks (*.xlsx);;CSV files (*.csv)"))
        if name:
            self._save(lambda: panel.save_data(Path(name)))

    def _save(self, write: Callable[[], None]) -> None:
        try:
            write()
        except OSError as exc:
            self._show_problem(self.tr("The file could not be written: {error}. Choose another folder.").format(
                error=exc.strerror or str(exc)))
