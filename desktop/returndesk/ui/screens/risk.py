"""The risk review (supervisors): customers whose returns in a period look unusual.

A customer is listed for any of these signals: many returns, much of what they bought sent back,
grade-D units of high value, a serial number already seen on another return, several returns
without a receipt, or the watch list. Selecting a customer shows why; their returns of the period
open in the returns list (and each on its detail page). A supervisor puts the customer on the
watch list, or takes them off, with a note saying why: refunds to a watched customer always go to
a supervisor (approval routing reads the flag).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Actor, Page, ReportFilter, ReturnSummary, RiskCustomer, WatchView
from returndesk.domain.analytics import RISK_WINDOW_DAYS
from returndesk.domain.errors import ValidationFailed
from returndesk.domain.localtime import local_datetime
from returndesk.domain.permissions import Permission, can
from returndesk.ui.fonts import scale_font
from returndesk.ui.local_time import display_zone
from returndesk.ui.screens.analytics import open_returns_dialog
from returndesk.ui.station_screen import StationScreen
from returndesk.ui.tasks import TaskRunner

#: The review opens on its own window (read from the summaries): the last 90 days, today included.
DEFAULT_DAYS = RISK_WINDOW_DAYS


class RiskScreen(StationScreen):
    """See the module documentation. ``loaded`` after the list arrived; ``opened(dialog)`` when a
    customer's returns or a return's detail page opens; ``saved(WatchView)`` after a watch flag."""

    loaded = Signal(int)
    opened = Signal(object)
    saved = Signal(object)

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        super().__init__(api, tasks, actor, parent)
        self.setObjectName("risk_screen")
        self.customers: list[RiskCustomer] = []
        end = today or local_datetime(api.session.now(), display_zone()).date()
        first = end - timedelta(days=DEFAULT_DAYS - 1)
        self.may_watch = can(actor.role, Permission.OVERRIDE_POLICY)

        self.title_label = QLabel()
        self.title_label.setObjectName("title_label")
        scale_font(self.title_label, 1.3, bold=True)
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.from_label = QLabel()
        self.from_edit = QDateEdit(QDate(first.year, first.month, first.day))
        self.from_edit.setObjectName("from_edit")
        self.from_edit.setCalendarPopup(True)
        self.from_edit.setDisplayFormat("yyyy-MM-dd")
        self.to_label = QLabel()
        self.to_edit = QDateEdit(QDate(end.year, end.month, end.day))
        self.to_edit.setObjectName("to_edit")
        self.to_edit.setCalendarPopup(True)
        self.to_edit.setDisplayFormat("yyyy-MM-dd")
        self.site_edit = QLineEdit()
        self.site_edit.setObjectName("site_edit")
        self.site_edit.returnPressed.connect(self.refresh)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("refresh_button")
        self.refresh_button.clicked.connect(self.refresh)
        filters = QHBoxLayout()
        for w in (self.from_label, self.from_edit, self.to_label, self.to_edit, self.site_edit, self.refresh_button):
            filters.addWidget(w)
        filters.addStretch(1)

        self.table = QTableWidget()
        self.table.setObjectName("risk_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        # Each row as tall as its signals need at the width they end up with (measured again
        # whenever the columns' widths change, not once before the table is laid out).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.itemSelectionChanged.connect(self._on_selected)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.open_returns())

        self.customer_box = QGroupBox()
        self.customer_box.setObjectName("customer_box")
        self.customer_label = QLabel()
        self.customer_label.setObjectName("customer_label")
        self.customer_label.setWordWrap(True)
        self.signals_label = QLabel()
        self.signals_label.setObjectName("signals_label")
        self.signals_label.setWordWrap(True)
        self.open_button = QPushButton()
        self.open_button.setObjectName("open_returns_button")
        self.open_button.clicked.connect(self.open_returns)
        self.watch_check = QCheckBox()
        self.watch_check.setObjectName("watch_check")
        self.note_label = QLabel()
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("note_edit")
        self.note_edit.setMaximumHeight(90)
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_watch_button")
        self.save_button.clicked.connect(self.save_watch)
        for editor in (self.watch_check, self.note_edit, self.save_button):
            editor.setVisible(self.may_watch)
        self.note_label.setVisible(self.may_watch)
        box = QVBoxLayout(self.customer_box)
        box.addWidget(self.customer_label)
        box.addWidget(self.signals_label)
        box.addWidget(self.open_button)
        box.addWidget(self.watch_check)
        box.addWidget(self.note_label)
        box.addWidget(self.note_edit)
        box.addWidget(self.save_button)
        box.addStretch(1)

        self.status_label = QLabel()
        self.status_label.setObjectName("status_label")
        self.status_label.setWordWrap(True)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.customer_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.customer_box.setMaximumWidth(340)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.intro_label)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)

        self.retranslate_ui()
        self._show_selected(None)
        self._start_following(None)
        self.refresh()

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.title_label.setText(self.tr("Risk review"))
        self.intro_label.setText(self.tr(
            "Customers whose returns in the period look unusual. Nothing is refused: look at their returns "
            "and, when it is warranted, put them on the watch list so that their refunds always go to a "
            "supervisor."))
        self.from_label.setText(self.tr("From"))
        self.to_label.setText(self.tr("to"))
        self.site_edit.setPlaceholderText(self.tr("All sites"))
        self.site_edit.setToolTip(self.tr("Site code; days are counted in its time zone"))
        self.refresh_button.setText(self.tr("&Show"))
        self.customer_box.setTitle(self.tr("Customer"))
        self.open_button.setText(self.tr("Open their returns…"))
        self.watch_check.setText(self.tr("Watch: refunds always go to a supervisor"))
        self.note_label.setText(self.tr("Note (why; at least 5 characters)"))
        self.save_button.setText(self.tr("Save the watch flag"))
        self._fill_table()
        self._on_selected()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def signal_text(self, code: str) -> str:
        return {
            "count": self.tr("many returns"),
            "rate": self.tr("returns much of what was bought"),
            "grade_d": self.tr("high-value grade-D claims"),
            "serial": self.tr("serial number seen before"),
            "no_receipt": self.tr("returns without a receipt"),
            "watch": self.tr("on the watch list"),
        }.get(code, code)

    # ------------------------------------------------------------------ loading
    def report_filter(self, customer: str | None = None) -> ReportFilter:
        start = self.from_edit.date().toPython()
        end = self.to_edit.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        if end < start:
            raise ValidationFailed(self.tr("The period ends before it starts; swap the dates."))
        return ReportFilter(start, end, site=self.site_edit.text().strip() or None, customer=customer)

    def refresh(self) -> None:
        try:
            f = self.report_filter()
        except ValidationFailed as exc:
            self._show_problem(exc.message)
            return
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Loading…"))
        self._tasks.run(self._api.analytics.risk, f, on_done=self._show_customers, on_error=self._on_failed,
                        key="risk-list", busy=[self.refresh_button])

    def _on_failed(self, error: BaseException) -> None:
        self._show_problem(self._errors.report(error, context=self.tr("loading the risk review")).message)

    def _show_problem(self, message: str) -> None:
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(message)

    def _on_data_changed(self, entity: str, _entity_id: int) -> None:
        """The list is read when asked for (Show)."""

    def _show_customers(self, customers: list[RiskCustomer]) -> None:
        selected = self.selected()
        self.customers = list(customers)
        self._fill_table()
        if selected is not None:
            for row, c in enumerate(self.customers):
                if c.customer_id == selected.customer_id:
                    self.table.selectRow(row)
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("%n customer(s) to review.", "", len(self.customers)))
        self.loaded.emit(len(self.customers))

    def _fill_table(self) -> None:
        columns = [self.tr("Customer"), self.tr("Name"), self.tr("Returns"), self.tr("Units back / bought"),
                   self.tr("Grade D, high value"), self.tr("Serials seen before"), self.tr("Without receipt"),
                   self.tr("Signals")]
        self.table.blockSignals(True)
        self.table.clear()
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setRowCount(len(self.customers))
        for r, c in enumerate(self.customers):
            values: list[Any] = [c.code, c.name, c.returns, f"{c.units_returned} / {c.units_bought}", c.high_value_d,
                                 c.serials_seen_before, c.no_receipt,
                                 ", ".join(self.signal_text(s) for s in c.signals)]
            for col, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                item.setToolTip(str(value))
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, col, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The signals take the rest of the width and wrap onto more lines when they need them.
        header.setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.blockSignals(False)

    # ------------------------------------------------------------------ one customer
    def selected(self) -> RiskCustomer | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or not 0 <= rows[0].row() < len(self.customers):
            return None
        return self.customers[rows[0].row()]

    def select(self, code: str) -> None:
        for row, c in enumerate(self.customers):
            if c.code == code:
                self.table.selectRow(row)
                return

    def _on_selected(self) -> None:
        self._show_selected(self.selected())

    def _show_selected(self, customer: RiskCustomer | None) -> None:
        for control in (self.open_button, self.watch_check, self.note_edit, self.save_button):
            control.setEnabled(customer is not None)
        if customer is None:
            self.customer_label.setText(self.tr("Select a customer to see why they are listed."))
            self.signals_label.setText("")
            return
        self.customer_label.setText(self.tr("{name} ({code}): {returns} return(s), {units} of {bought} unit(s) "
                                            "bought sent back.").format(
            name=customer.name, code=customer.code, returns=customer.returns, units=customer.units_returned,
            bought=customer.units_bought))
        self.signals_label.setText(self.tr("Why: {signals}").format(
            signals=", ".join(self.signal_text(s) for s in customer.signals)))
        self.watch_check.setChecked(customer.watched)
        self.note_edit.setPlainText(customer.note or "")

    def open_returns(self) -> QDialog | None:
        """The selected customer's returns of the period in the returns list; a row opens its page."""
        customer = self.selected()
        if customer is None:
            return None
        try:
            f = self.report_filter(customer.code)
        except ValidationFailed as exc:
            self._show_problem(exc.message)
            return None
        api = self._api.analytics

        def fetch(after: str | None) -> Page[ReturnSummary]:
            return api.returns_behind(f, None, after=after, limit=100)

        title = self.tr("Returns of {name}, {start} to {end}").format(
            name=customer.name, start=f.date_from.isoformat(), end=f.date_to.isoformat())
        dialog = open_returns_dialog(self, self._api, self._tasks, self._actor, title, fetch, self._open_detail)
        self.opened.emit(dialog)
        return dialog

    def _open_detail(self, parent: QWidget, summary: ReturnSummary) -> None:
        from returndesk.ui.screens.return_detail.screen import ReturnDetailDialog

        detail = ReturnDetailDialog(self._api, self._tasks, self._actor, parent)
        detail.open_return(summary.rma_no)
        self.opened.emit(detail)

    def save_watch(self) -> None:
        """Save the watch flag of the selected customer with the note."""
        customer = self.selected()
        if customer is None:
            return
        self._tasks.run(self._api.analytics.set_customer_watch, customer.customer_id, self.watch_check.isChecked(),
                        self.note_edit.toPlainText(), on_done=self._on_saved, on_error=self._on_save_failed,
                        busy=[self.save_button])

    def _on_save_failed(self, error: BaseException) -> None:
        self._show_problem(self._errors.report(error, context=self.tr("saving the watch flag")).message)

    def _on_saved(self, view: WatchView) -> None:
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Saved: the customer is on the watch list.") if view.watched
                                  else self.tr("Saved: the customer is off the watch list."))
        self.saved.emit(view)
        self.refresh()
