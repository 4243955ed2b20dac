"""The finance desk: refunds, credit notes, journal lines and cash shifts of a period, their totals
per method and account, the return behind a row, and the finance files (the command line's exports
and red-letter invoice data).

Days are those of the station's site. Every list pages through the services as it scrolls.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import (
    Actor,
    DeskTotals,
    ExportFile,
    ReturnDetail,
    TimelineEntry,
)
from returndesk.domain.errors import ReturnDeskError, ValidationFailed
from returndesk.domain.postings import ACCOUNTS
from returndesk.domain.types import RefundMethod
from returndesk.ui.i18n import tr_message, tr_status
from returndesk.ui.local_time import DATE_FORMAT, local_today
from returndesk.ui.screens.approval.models import describe_entry
from returndesk.ui.station_screen import StationScreen
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.widgets.money import format_amount
from returndesk.ui.widgets.tables import fill_table, make_table, set_headers

from .models import (
    CreditNotesModel,
    JournalModel,
    ListModel,
    RefundsModel,
    ShiftsModel,
    tr_account,
    tr_method,
    when,
)

PAGE = 100
#: ``choose_path(suggested file name, filter) -> chosen path or None`` (tests pass their own).
PathChooser = Callable[[str, str], "Path | None"]


def _view(name: str, model: ListModel[Any]) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    model.page_loaded.connect(lambda added: table.resizeColumnsToContents() if added else None)
    return table


def _qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ReturnPane(QWidget):
    """The return behind a row: its state, figures and every step of its timeline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("return_pane")
        self.heading_label = QLabel()
        self.heading_label.setObjectName("return_heading_label")
        self.heading_label.setWordWrap(True)
        self.timeline_text = QPlainTextEdit()
        self.timeline_text.setObjectName("timeline_text")
        self.timeline_text.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.timeline_text, 1)


class FinanceScreen(StationScreen):
    """The finance desk (finance staff and managers)."""

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 choose_path: PathChooser | None = None, live: object | None = None) -> None:
        super().__init__(api, tasks, actor, parent)
        self.setObjectName("finance_screen")
        self._choose_path = choose_path or self._ask_path
        self.totals: DeskTotals | None = None
        self.last_file: Path | None = None

        self.title_label = QLabel()
        self.title_label.setObjectName("title_label")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        today = local_today()
        self.from_edit = QDateEdit(QDate(today.year(), today.month(), 1))
        self.from_edit.setObjectName("from_edit")
        self.to_edit = QDateEdit(today)
        self.to_edit.setObjectName("to_edit")
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(DATE_FORMAT)
        self.from_label = QLabel()
        self.to_label = QLabel()
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("refresh_button")
        self.refresh_button.clicked.connect(self.reload)
        self.export_button = QPushButton()
        self.export_button.setObjectName("export_button")
        self.export_menu = QMenu(self)
        self.export_actions: dict[tuple[str, str], QAction] = {}
        for kind in ("refunds", "journal", "returns"):
            for fmt in ("xlsx", "csv", "json"):
                action = self.export_menu.addAction("")
                action.triggered.connect(lambda _c=False, k=kind, f=fmt: self.export(k, f))
                self.export_actions[(kind, fmt)] = action
            self.export_menu.addSeparator()
        red = self.export_menu.addAction("")
        red.triggered.connect(lambda _c=False: self.export("red_letter", "xlsx"))
        self.export_actions[("red_letter", "xlsx")] = red
        self.export_button.setMenu(self.export_menu)

        # --- lists
        self.method_combo = QComboBox()
        self.method_combo.setObjectName("method_combo")
        self.method_combo.currentIndexChanged.connect(lambda _i: self._reload_refunds())
        self.refund_search_edit = QLineEdit()
        self.refund_search_edit.setObjectName("refund_search_edit")
        self.refund_search_edit.setClearButtonEnabled(True)
        self.refund_search_edit.returnPressed.connect(self._reload_refunds)
        self.refunds_model = RefundsModel(self._refund_fetcher(), tasks, "finance-refunds", self)
        self.refunds_view = _view("refunds_view", self.refunds_model)
        self.notes_search_edit = QLineEdit()
        self.notes_search_edit.setObjectName("notes_search_edit")
        self.notes_search_edit.setClearButtonEnabled(True)
        self.notes_search_edit.returnPressed.connect(self._reload_notes)
        self.notes_model = CreditNotesModel(self._notes_fetcher(), tasks, "finance-notes", self)
        self.notes_view = _view("notes_view", self.notes_model)
        self.account_combo = QComboBox()
        self.account_combo.setObjectName("account_combo")
        self.account_combo.currentIndexChanged.connect(lambda _i: self._reload_journal())
        self.journal_model = JournalModel(self._journal_fetcher(), tasks, "finance-journal", self)
        self.journal_view = _view("journal_view", self.journal_model)
        self.shifts_model = ShiftsModel(self._shifts_fetcher(), tasks, "finance-shifts", self)
        self.shifts_view = _view("shifts_view", self.shifts_model)
        self.shift_report_button = QPushButton()
        self.shift_report_button.setObjectName("shift_report_button")
        self.shift_report_button.clicked.connect(self.save_shift_report)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("finance_tabs")
        self.tabs.addTab(self._with_filters(self.refunds_view, self.method_combo, self.refund_search_edit), "")
        self.tabs.addTab(self._with_filters(self.notes_view, self.notes_search_edit), "")
        self.tabs.addTab(self._with_filters(self.journal_view, self.account_combo), "")
        self.tabs.addTab(self._with_filters(self.shifts_view, self.shift_report_button), "")
        for view in (self.refunds_view, self.notes_view, self.journal_view):
            view.activated.connect(self._on_row_activated)
            view.doubleClicked.connect(self._on_row_activated)

        # --- totals and the return behind a row
        self.totals_box = QGroupBox()
        self.totals_box.setObjectName("totals_box")
        self.refund_totals_label = QLabel()
        self.refund_totals_label.setObjectName("refund_totals_label")
        self.refund_totals_label.setWordWrap(True)
        self.accounts_table = make_table("accounts_table")
        box = QVBoxLayout(self.totals_box)
        box.addWidget(self.refund_totals_label)
        box.addWidget(self.accounts_table, 1)
        self.return_box = QGroupBox()
        self.return_pane = ReturnPane()
        QVBoxLayout(self.return_box).addWidget(self.return_pane)
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.totals_box)
        side.addWidget(self.return_box)

        self.status_label = QLabel()
        self.status_label.setObjectName("status_label")
        self.status_label.setWordWrap(True)

        period = QHBoxLayout()
        period.addWidget(self.from_label)
        period.addWidget(self.from_edit)
        period.addWidget(self.to_label)
        period.addWidget(self.to_edit)
        period.addWidget(self.refresh_button)
        period.addStretch(1)
        period.addWidget(self.export_button)
        body = QSplitter()
        body.setObjectName("finance_body")
        body.addWidget(self.tabs)
        body.addWidget(side)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 1)
        body.setSizes([720, 480])
        self.body_splitter, self.side_splitter = body, side
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addLayout(period)
        layout.addWidget(body, 1)
        layout.addWidget(self.status_label)

        for model in (self.refunds_model, self.notes_model, self.journal_model, self.shifts_model):
            model.load_failed.connect(self._on_failed)
        for model in (self.refunds_model, self.shifts_model):
            # After the view has sized its columns to the page (connected first, in _view).
            model.page_loaded.connect(lambda _added: self._fit_layout())
        self.retranslate_ui()
        self.reload()
        self._start_following(None)

    # ------------------------------------------------------------------ layout
    #: Width of the totals and the return when they stand beside the lists.
    SIDE_WIDTH = 440

    @staticmethod
    def _columns_width(view: QTableView) -> int:
        """Width ``view`` needs to show every column at its contents' size without scrolling
        sideways (its last column stretches to whatever is left)."""
        header = view.horizontalHeader()
        columns = sum(max(view.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(header.count()))
        return columns + 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width()

    def _fit_layout(self) -> None:
        """The lists beside the totals and the return when their widest columns fit there, else
        above them, with the totals and the return side by side below: the refunds and the cash
        shifts (eleven columns each) are read without scrolling sideways on a 1280-pixel screen."""
        margins = 40  # the tab page's and the splitter's frames
        needed = max(self._columns_width(self.refunds_view), self._columns_width(self.shifts_view)) + margins
        wide = self.width() >= needed + self.SIDE_WIDTH
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.body_splitter.orientation() == orientation:
            return
        self.body_splitter.setOrientation(orientation)
        self.side_splitter.setOrientation(Qt.Orientation.Vertical if wide else Qt.Orientation.Horizontal)
        if wide:
            self.body_splitter.setSizes([max(self.width() - self.SIDE_WIDTH, 1), self.SIDE_WIDTH])
            self.side_splitter.setSizes([1, 1])
        else:
            height = max(self.body_splitter.height(), 2)
            self.body_splitter.setSizes([height * 3 // 5, height * 2 // 5])
            self.side_splitter.setSizes([1, 1])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_layout()

    @staticmethod
    def _with_filters(view: QTableView, *filters: QWidget) -> QWidget:
        page = QWidget()
        row = QHBoxLayout()
        for widget in filters:
            row.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
        if not any(isinstance(w, QLineEdit) for w in filters):
            row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(view, 1)
        return page

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.title_label.setText(self.tr("Finance desk"))
        self.from_label.setText(self.tr("From"))
        self.to_label.setText(self.tr("to"))
        self.refresh_button.setText(self.tr("&Show"))
        self.export_button.setText(self.tr("&Export"))
        names = {"refunds": self.tr("Refunds"), "journal": self.tr("Journal lines"), "returns": self.tr("Returns")}
        formats = {"xlsx": self.tr("Excel"), "csv": self.tr("CSV"), "json": self.tr("JSON")}
        for (kind, fmt), action in self.export_actions.items():
            if kind == "red_letter":
                action.setText(self.tr("Red-letter invoice data (Excel)…"))
            else:
                action.setText(self.tr("{what} as {format}…").format(what=names[kind], format=formats[fmt]))
        for index, title in enumerate((self.tr("&Refunds"), self.tr("&Credit notes"), self.tr("&Journal"),
                                       self.tr("Cash &shifts"))):
            self.tabs.setTabText(index, title)
        current = self.method_combo.currentData()
        self.method_combo.blockSignals(True)
        self.method_combo.clear()
        self.method_combo.addItem(self.tr("All methods"), "")
        for method in RefundMethod:
            self.method_combo.addItem(tr_method(method.value), method.value)
        self.method_combo.setCurrentIndex(max(0, self.method_combo.findData(current or "")))
        self.method_combo.blockSignals(False)
        current = self.account_combo.currentData()
        self.account_combo.blockSignals(True)
        self.account_combo.clear()
        self.account_combo.addItem(self.tr("All accounts"), "")
        for code in sorted(ACCOUNTS):
            self.account_combo.addItem(tr_account(code), code)
        self.account_combo.setCurrentIndex(max(0, self.account_combo.findData(current or "")))
        self.account_combo.blockSignals(False)
        self.refund_search_edit.setPlaceholderText(
            self.tr("Refund, RMA, order or credit note number, or customer name"))
        self.notes_search_edit.setPlaceholderText(
            self.tr("Credit note, RMA, order or invoice number, or customer name"))
        self.shift_report_button.setText(self.tr("Shift &report (PDF)…"))
        self.totals_box.setTitle(self.tr("Totals of the period"))
        self.return_box.setTitle(self.tr("Return"))
        set_headers(self.accounts_table, [self.tr("Account"), self.tr("Debit"), self.tr("Credit")])
        for model in (self.refunds_model, self.notes_model, self.journal_model, self.shifts_model):
            model.retranslate()
        self._show_totals()
        self._fit_layout()  # the headers' words changed width
        if not self.return_pane.heading_label.text():
            self.return_pane.heading_label.setText(self.tr("Double-click a row to see its return."))

    def _on_language_changed(self) -> None:
        self.retranslate_ui()

    # ------------------------------------------------------------------ the period
    def period(self) -> tuple[date, date]:
        return _qdate(self.from_edit.date()), _qdate(self.to_edit.date())

    def set_period(self, first: date, last: date) -> None:
        self.from_edit.setDate(QDate(first.year, first.month, first.day))
        self.to_edit.setDate(QDate(last.year, last.month, last.day))
        self.reload()

    def reload(self) -> None:
        first, last = self.period()
        if first > last:
            self._show_problem(self.tr("The period starts after it ends; swap the dates."))
            return
        self.status_label.clear()
        self._reload_refunds()
        self._reload_notes()
        self._reload_journal()
        self.shifts_model.set_fetcher(self._shifts_fetcher())
        self._tasks.run(self._api.finance.totals, first, last, on_done=self._on_totals, on_error=self._on_failed,
                        key=("finance", "totals"))

    def _reload_refunds(self) -> None:
        self.refunds_model.set_fetcher(self._refund_fetcher())

    def _reload_notes(self) -> None:
        self.notes_model.set_fetcher(self._notes_fetcher())

    def _reload_journal(self) -> None:
        self.journal_model.set_fetcher(self._journal_fetcher())

    def _refund_fetcher(self) -> Callable[[str | None], Any]:
        api, (first, last) = self._api, self.period()
        method = str(self.method_combo.currentData() or "") or None if hasattr(self, "method_combo") else None
        text = self.refund_search_edit.text().strip() or None if hasattr(self, "refund_search_edit") else None
        return lambda after: api.finance.find_refunds(first, last, method=method, text=text, after=after, limit=PAGE)

    def _notes_fetcher(self) -> Callable[[str | None], Any]:
        api, (first, last) = self._api, self.period()
        text = self.notes_search_edit.text().strip() or None if hasattr(self, "notes_search_edit") else None
        return lambda after: api.finance.find_credit_notes(first, last, text=text, after=after, limit=PAGE)

    def _journal_fetcher(self) -> Callable[[str | None], Any]:
        api, (first, last) = self._api, self.period()
        account = str(self.account_combo.currentData() or "") or None if hasattr(self, "account_combo") else None
        return lambda after: api.finance.find_journal_lines(first, last, account=account, after=after, limit=PAGE)

    def _shifts_fetcher(self) -> Callable[[str | None], Any]:
        api, (first, last) = self._api, self.period()
        return lambda after: api.finance.find_shifts(first, last, after=after, limit=PAGE)

    # ------------------------------------------------------------------ totals
    def _on_totals(self, totals: DeskTotals) -> None:
        self.totals = totals
        self._show_totals()

    def _show_totals(self) -> None:
        totals = self.totals
        if totals is None:
            self.refund_totals_label.setText("")
            fill_table(self.accounts_table, [])
            return
        lines = [self.tr("%n refund(s), {amount} in all", "", totals.refunds).format(
            amount=format_amount(totals.refunded_minor))]
        lines += [self.tr("• {method}: %n refund(s), {amount}", "", m.count).format(
            method=tr_method(m.method), amount=format_amount(m.amount_minor)) for m in totals.methods]
        lines.append(self.tr("%n credit note(s): net {net}, tax {tax}, total {total}", "", totals.credit_notes).format(
            net=format_amount(totals.credit_net_minor), tax=format_amount(totals.credit_tax_minor),
            total=format_amount(totals.credit_total_minor)))
        self.refund_totals_label.setText("\n".join(lines))
        rows = [[tr_account(a.account), format_amount(a.debit_minor), format_amount(a.credit_minor)]
                for a in totals.accounts]
        rows.append([self.tr("Total"), format_amount(totals.debit_minor), format_amount(totals.credit_minor)])
        fill_table(self.accounts_table, rows, right=(1, 2))

    # ------------------------------------------------------------------ drill-down
    def _on_row_activated(self, index: Any) -> None:
        view = self.sender()
        model = view.model() if isinstance(view, QTableView) else None
        if not isinstance(model, ListModel) or not index.isValid():
            return
        row = model.row_value(index.row())
        rma = getattr(row, "rma_no", None)
        if rma:
            self.show_return(rma)

    def show_return(self, rma_no: str) -> None:
        """Show the return ``rma_no`` with its timeline beside the lists."""
        def read() -> tuple[ReturnDetail, list[TimelineEntry]]:
            return self._api.search.get_return(rma_no), self._api.search.return_timeline(rma_no)

        self._tasks.run(read, on_done=self._on_return, on_error=self._on_failed, key=("finance", "return"))

    def _on_return(self, result: tuple[ReturnDetail, list[TimelineEntry]]) -> None:
        detail, timeline = result
        self.return_pane.heading_label.setText(self.tr(
            "{rma} — {status}\nOrder {order}, {customer}\nRefund {refund} (deductions {deductions})").format(
                rma=detail.rma_no, status=tr_status(detail.status), order=detail.order_no,
                customer=detail.customer_name or self.tr("no customer"),
                refund=format_amount(detail.refund_total_minor), deductions=format_amount(detail.deductions_minor)))
        self.return_pane.timeline_text.setPlainText("\n".join(
            f"{when(step.at)}  {step.who}  {describe_entry(step, detail.currency)}" for step in timeline))

    # ------------------------------------------------------------------ files
    def _ask_path(self, suggested: str, file_filter: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Save as"), suggested, file_filter)
        return Path(chosen) if chosen else None

    def export(self, kind: str, fmt: str) -> None:
        """Make one of the finance files of the period and save it where the user chooses."""
        first, last = self.period()
        self.status_label.setText(self.tr("Making the file…"))
        self._tasks.run(self._api.finance.export_file, kind, first, last, fmt, on_done=self._save_export,
                        on_error=self._on_failed, busy=[self.export_button])

    def _save_export(self, result: ExportFile) -> None:
        suffix = Path(result.file_name).suffix.lstrip(".")
        path = self._choose_path(result.file_name, f"*.{suffix}")
        if path is None:
            self.status_label.setText(self.tr("Nothing was saved."))
            return
        try:
            path.write_bytes(result.data)
        except OSError as exc:
            self._show_problem(self.tr("Cannot write {path}: {reason}. Choose another place.").format(
                path=path, reason=exc.strerror or exc))
            return
        self.last_file = path
        message = self.tr("%n row(s) saved to {path}.", "", result.rows).format(path=path)
        if result.warnings:
            message += " " + " ".join(tr_message(w) for w in result.warnings)
        self.status_label.setStyleSheet("")
        self.status_label.setText(message)

    def save_shift_report(self) -> None:
        index = self.shifts_view.currentIndex()
        if not index.isValid():
            self._show_problem(self.tr("Choose a cash shift first."))
            return
        shift = self.shifts_model.row_value(index.row())
        lang = "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"

        def saved(data: bytes) -> None:
            path = self._choose_path(f"{shift.shift_no}.pdf", "*.pdf")
            if path is None:
                return
            path.write_bytes(data)
            self.last_file = path
            self.status_label.setText(self.tr("Shift report saved to {path}.").format(path=path))

        self._tasks.run(self._api.cash.shift_report_pdf, shift.shift_no, lang=lang, on_done=saved,
                        on_error=self._on_failed, busy=[self.shift_report_button])

    # ------------------------------------------------------------------ problems and changes
    def _show_problem(self, message: str) -> None:
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(message)

    def _on_failed(self, error: BaseException) -> None:
        report = (self._errors.report(error) if isinstance(error, (ReturnDeskError, ValidationFailed))
                  else self._errors.present(error))
        self._show_problem(report.message)

    def _on_data_changed(self, entity: str, _entity_id: int) -> None:
        if entity in ("return", "cash_shift", "any"):
            self.reload()

