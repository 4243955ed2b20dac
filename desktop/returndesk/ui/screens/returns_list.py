"""The "Returns" screen: the returns search.

Find returns by RMA, order number or customer phone, and filter them by status, the days they
were created (days of the station's site), return reason, channel, the station that issued the
RMA, the customer (part of the name or phone) and the refund amount; sort by clicking the Created
or Refund column header (again to turn the order round). Enter or double-click on a row opens the
return's detail page. The result exports to Excel or CSV with the list's columns.

The list is a :class:`ReturnsTableModel` over keyset pages (``api.search.search_returns`` returns
a ``Page`` with an opaque ``next_cursor``): the view asks ``canFetchMore``/``fetchMore`` as the user
scrolls, each page is loaded off the GUI thread and appended, and the model never holds more than
what has been scrolled through.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import InvalidOperation
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import (
    Actor,
    ExportedFile,
    Page,
    ReasonView,
    ReturnFilter,
    ReturnSort,
    ReturnSummary,
)
from returndesk.domain.errors import ReturnDeskError, ValidationFailed
from returndesk.domain.money import format_money, to_minor
from returndesk.domain.permissions import Permission, can
from returndesk.domain.types import Channel, ReturnStatus
from returndesk.ui.changes import follow_local_changes
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.fonts import scale_font
from returndesk.ui.i18n import tr_channel, tr_status
from returndesk.ui.local_time import DATE_FORMAT, format_datetime, local_today
from returndesk.ui.paged_model import KeysetTableModel
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.i18n import tr_message

PAGE_SIZE = 100
SummaryRole = Qt.ItemDataRole.UserRole + 1  # the ReturnSummary of the row

PageFetcher = Callable[[str | None], Page[ReturnSummary]]  # after-cursor -> next page


class ReturnsTableModel(KeysetTableModel[ReturnSummary]):
    """Returns, one keyset page at a time (see :class:`~returndesk.ui.paged_model.KeysetTableModel`)."""

    RMA, STATUS, ORDER, CUSTOMER, PHONE, ITEMS, REFUND, CHANNEL, CREATED = range(9)
    COLUMN_COUNT = 9

    #: The columns the list sorts by (in the services, so paging keeps the order).
    SORTABLE: ClassVar[dict[int, tuple[ReturnSort, ReturnSort]]] = {
        CREATED: (ReturnSort.OLDEST, ReturnSort.NEWEST),
        REFUND: (ReturnSort.AMOUNT_LOW, ReturnSort.AMOUNT_HIGH),
    }

    sort_requested = Signal(object)  # the ReturnSort a header click asked for

    def __init__(self, fetch_page: PageFetcher, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(fetch_page, tasks, task_name="returns-page", parent=parent)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A header click: ask the screen to search again in that order (the Created and Refund
        columns; the others keep the order shown)."""
        ways = self.SORTABLE.get(column)
        if ways is not None:
            self.sort_requested.emit(ways[0] if order == Qt.SortOrder.AscendingOrder else ways[1])

    def summary(self, row: int) -> ReturnSummary:
        return self.row_value(row)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or not 0 <= index.column() < self.COLUMN_COUNT:
            return None
        item = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (self.ITEMS, self.REFUND):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.STATUS:
            when = format_datetime(item.status_changed_at)
            return self.tr("{status} since {when}").format(status=self._status(item.status), when=when)
        if role == SummaryRole:
            return item
        return None

    def _display(self, item: ReturnSummary, column: int) -> str | None:
        if column == self.RMA:
            return item.rma_no
        if column == self.STATUS:
            return self._status(item.status)
        if column == self.ORDER:
            return item.order_no
        if column == self.CUSTOMER:
            return item.customer_name or ""
        if column == self.PHONE:
            return item.customer_phone or ""
        if column == self.ITEMS:
            return QLocale().toString(item.item_count)
        if column == self.REFUND:
            return format_money(item.refund_total_minor, item.currency)
        if column == self.CHANNEL:
            try:
                return tr_channel(item.channel)
            except ValueError:
                return item.channel
        if column == self.CREATED:
            return format_datetime(item.created_at)
        return None

    @staticmethod
    def _status(code: str) -> str:
        try:
            return tr_status(code)
        except ValueError:
            # A status this version does not know (a newer station wrote it): show the code.
            return code

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("RMA"), self.tr("Status"), self.tr("Order"), self.tr("Customer"), self.tr("Phone"),
                  self.tr("Items"), self.tr("Refund"), self.tr("Channel"), self.tr("Created"))
        return titles[section] if 0 <= section < len(titles) else None

    def retranslate(self) -> None:
        """Texts come from tr() at display time: tell the views to ask again."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1))


#: Chooses the file an export is written to: (parent, suggested name, format) -> path, or None.
ExportPathChooser = Callable[[QWidget, str, str], Path | None]


def ask_export_path(parent: QWidget, suggested: str, fmt: str) -> Path | None:
    """The save dialog of the export (the documents folder, the suggested name)."""
    from platformdirs import user_documents_path

    patterns = {
        "xlsx": QCoreApplication.translate("ReturnsListScreen", "Excel workbook (*.xlsx)"),
        "csv": QCoreApplication.translate("ReturnsListScreen", "CSV file (*.csv)"),
    }
    name, _ = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("ReturnsListScreen", "Export the returns"),
        str(user_documents_path() / suggested), patterns[fmt])
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == f".{fmt}" else path.with_name(path.name + f".{fmt}")


def _no_date() -> QDate:
    return QDate(2000, 1, 1)


class ReturnsListScreen(QWidget):
    """The returns search: by RMA, order number or phone, filtered and sorted; the newest first.

    ``search_started(text)`` when a search begins, ``results_shown(count)`` after each page,
    ``return_detail_requested(rma)`` when a row is opened (Enter or double-click),
    ``exported(path, rows)`` after an export. ``choose_export_path`` asks where an export goes
    (default: the save dialog).
    """

    search_started = Signal(str)
    results_shown = Signal(int)
    return_activated = Signal(object)  # ReturnSummary (Enter or double-click on a row)
    return_detail_requested = Signal(str)  # the RMA of that row: the main window opens its detail page
    exported = Signal(str, int)

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 page_size: int = PAGE_SIZE, choose_export_path: ExportPathChooser | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returns_list_screen")
        self._api = api
        self._tasks = tasks
        self._actor = actor
        self._page_size = page_size
        self._choose_export_path = choose_export_path or ask_export_path
        self._query = ""
        self._criteria = ReturnFilter()
        self._sort = ReturnSort.NEWEST
        self._reasons: list[ReasonView] = []
        self._errors = ErrorPresenter(self)
        self._problem = ""  # why the last page could not be loaded
        self._exporting = False

        self.title_label = QLabel()
        self.title_label.setObjectName("title_label")
        scale_font(self.title_label, 1.3, bold=True)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("search_edit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.returnPressed.connect(self.search)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.search_button = QPushButton()
        self.search_button.setObjectName("search_button")
        self.search_button.clicked.connect(self.search)
        self.status_label = QLabel()
        self.status_label.setObjectName("status_label")

        # --- the filters
        self.status_filter_label = QLabel()
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("status_combo")
        self.from_label = QLabel()
        self.from_edit = self._date_edit("from_edit")
        self.to_label = QLabel()
        self.to_edit = self._date_edit("to_edit")
        self.reason_filter_label = QLabel()
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("reason_combo")
        self.reason_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.channel_filter_label = QLabel()
        self.channel_combo = QComboBox()
        self.channel_combo.setObjectName("channel_combo")
        self.station_label = QLabel()
        self.station_edit = QLineEdit()
        self.station_edit.setObjectName("station_edit")
        self.station_edit.setMinimumWidth(190)
        self.customer_label = QLabel()
        self.customer_edit = QLineEdit()
        self.customer_edit.setObjectName("customer_edit")
        self.customer_edit.setMinimumWidth(190)
        self.amount_label = QLabel()
        self.amount_min_edit = QLineEdit()
        self.amount_min_edit.setObjectName("amount_min_edit")
        self.amount_max_edit = QLineEdit()
        self.amount_max_edit.setObjectName("amount_max_edit")
        for edit in (self.amount_min_edit, self.amount_max_edit):
            edit.setMaximumWidth(110)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        for edit in (self.station_edit, self.customer_edit, self.amount_min_edit, self.amount_max_edit):
            edit.setClearButtonEnabled(True)
            edit.returnPressed.connect(self.search)
        self.clear_button = QPushButton()
        self.clear_button.setObjectName("clear_filters_button")
        self.clear_button.clicked.connect(self.clear_filters)
        self.export_xlsx_button = QPushButton()
        self.export_xlsx_button.setObjectName("export_xlsx_button")
        self.export_xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.export_csv_button = QPushButton()
        self.export_csv_button.setObjectName("export_csv_button")
        self.export_csv_button.clicked.connect(lambda: self.export("csv"))
        may_export = can(actor.role, Permission.EXPORT)
        for button in (self.export_xlsx_button, self.export_csv_button):
            button.setEnabled(may_export)

        self.model = ReturnsTableModel(self._fetcher(self._criteria), tasks, self)
        self.model.page_loaded.connect(self._on_model_page_loaded)
        self.model.load_failed.connect(self._on_model_load_failed)
        self.model.modelReset.connect(self._update_status)
        self.model.sort_requested.connect(self._on_model_sort_requested)
        self.table = QTableView()
        self.table.setObjectName("returns_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # The services sort (paging keeps their order); a header click asks them for another order.
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(ReturnsTableModel.CREATED, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        # Enter and double-click both activate a row (``activated``): the return opens once.
        self.table.activated.connect(self._on_table_double_clicked)

        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.search_button)
        filters = QGridLayout()
        filters.setHorizontalSpacing(6)
        filters.addWidget(self.status_filter_label, 0, 0)
        filters.addWidget(self.status_combo, 0, 1)
        filters.addWidget(self.from_label, 0, 2)
        filters.addWidget(self.from_edit, 0, 3)
        filters.addWidget(self.to_label, 0, 4)
        filters.addWidget(self.to_edit, 0, 5)
        filters.addWidget(self.reason_filter_label, 0, 6)
        filters.addWidget(self.reason_combo, 0, 7)
        filters.addWidget(self.channel_filter_label, 1, 0)
        filters.addWidget(self.channel_combo, 1, 1)
        filters.addWidget(self.station_label, 1, 2)
        filters.addWidget(self.station_edit, 1, 3)
        filters.addWidget(self.customer_label, 1, 4)
        filters.addWidget(self.customer_edit, 1, 5)
        filters.addWidget(self.amount_label, 1, 6)
        amounts = QHBoxLayout()
        amounts.addWidget(self.amount_min_edit)
        self.amount_dash = QLabel("–")
        amounts.addWidget(self.amount_dash)
        amounts.addWidget(self.amount_max_edit)
        amounts.addStretch(1)
        filters.addLayout(amounts, 1, 7)
        filters.setColumnStretch(8, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_xlsx_button)
        buttons.addWidget(self.export_csv_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addLayout(search_row)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)

        self._focus_shortcut = QShortcut(QKeySequence.StandardKey.Find, self)
        self._focus_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._focus_shortcut.activated.connect(self._on_focus_shortcut_activated)

        # Changes committed by this process (any thread) reload the list on the GUI thread.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(250)
        self._refresh_timer.timeout.connect(self.model.reload)
        follow_local_changes(api.session, self, self._on_data_changed)

        self.retranslate_ui()
        self.model.reload()
        self._tasks.run(api.settings.list_reasons, on_done=self._on_reasons_loaded,
                        on_error=lambda _error: None)

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(DATE_FORMAT)
        edit.setMinimumDate(_no_date())
        edit.setDate(_no_date())
        return edit

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.title_label.setText(self.tr("Returns"))
        self.search_edit.setPlaceholderText(self.tr("RMA, order number or customer phone"))
        self.search_edit.setToolTip(self.tr("Type and press Enter to search; empty shows the newest returns ({key})")
                                    .format(key=QKeySequence(QKeySequence.StandardKey.Find).toString(
                                        QKeySequence.SequenceFormat.NativeText)))
        self.search_button.setText(self.tr("&Search"))
        self.search_button.setToolTip(self.tr("Search (Enter)"))
        self.status_filter_label.setText(self.tr("Status:"))
        self.from_label.setText(self.tr("Created from:"))
        self.to_label.setText(self.tr("to:"))
        for edit in (self.from_edit, self.to_edit):
            edit.setSpecialValueText(self.tr("any day"))
            edit.setToolTip(self.tr("Days of this station's site; the earliest day means no limit"))
        self.reason_filter_label.setText(self.tr("Reason:"))
        self.channel_filter_label.setText(self.tr("Channel:"))
        self.station_label.setText(self.tr("Station:"))
        self.station_edit.setPlaceholderText(self.tr("station that issued the RMA"))
        self.customer_label.setText(self.tr("Customer:"))
        self.customer_edit.setPlaceholderText(self.tr("part of the name or phone"))
        self.amount_label.setText(self.tr("Refund:"))
        self.amount_min_edit.setPlaceholderText(self.tr("from"))
        self.amount_max_edit.setPlaceholderText(self.tr("to"))
        self.clear_button.setText(self.tr("C&lear filters"))
        self.export_xlsx_button.setText(self.tr("Export to &Excel…"))
        self.export_csv_button.setText(self.tr("Export to C&SV…"))
        if not can(self._actor.role, Permission.EXPORT):
            why = self.tr("Your role may not export; ask a supervisor or finance.")
            self.export_xlsx_button.setToolTip(why)
            self.export_csv_button.setToolTip(why)
        else:
            self.export_xlsx_button.setToolTip(self.tr("Every return the search finds, with these columns"))
            self.export_csv_button.setToolTip(self.tr("Every return the search finds, with these columns"))
        self.table.setToolTip(self.tr("Enter or double-click opens the return; click the Created or Refund "
                                      "header to sort"))
        self._fill_combos()
        self.model.retranslate()
        self._update_status()

    def _fill_combos(self) -> None:
        def refill(combo: QComboBox, items: list[tuple[str, str | None]]) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for text, code in items:
                combo.addItem(text, code)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

        refill(self.status_combo, [(self.tr("Any status"), None)]
               + [(ReturnsTableModel._status(s.value), s.value) for s in ReturnStatus])
        refill(self.channel_combo, [(self.tr("Any channel"), None)]
               + [(tr_channel(c.value), c.value) for c in Channel])
        chinese = QLocale().language() == QLocale.Language.Chinese
        refill(self.reason_combo, [(self.tr("Any reason"), None)]
               + [((r.name_zh or r.name_en) if chinese else r.name_en, r.code) for r in self._reasons])

    def _on_reasons_loaded(self, reasons: list[ReasonView]) -> None:
        self._reasons = list(reasons)
        self._fill_combos()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # ------------------------------------------------------------------ searching
    def criteria(self) -> ReturnFilter:
        """The search as the fields say; ``ValidationFailed`` naming a field that makes no sense."""
        def day(edit: QDateEdit) -> date | None:
            value = edit.date()
            return None if value == edit.minimumDate() else date(value.year(), value.month(), value.day())

        def amount(edit: QLineEdit, which: str) -> int | None:
            text = edit.text().strip().replace(",", "").lstrip("¥￥")
            if not text:
                return None
            try:
                minor = to_minor(text)
            except (ValueError, InvalidOperation, ArithmeticError):
                minor = -1
            if minor < 0:
                raise ValidationFailed(self.tr("The {which} refund amount “{text}” is not an amount; write it like "
                                               "120 or 99.50.").format(which=which, text=edit.text().strip()))
            return minor

        status = self.status_combo.currentData()
        return ReturnFilter(
            text=self.search_edit.text().strip(),
            statuses=(status,) if status else (),
            date_from=day(self.from_edit),
            date_to=day(self.to_edit),
            reason_code=self.reason_combo.currentData() or None,
            channel=self.channel_combo.currentData() or None,
            station=self.station_edit.text().strip() or None,
            customer=self.customer_edit.text().strip() or None,
            amount_min_minor=amount(self.amount_min_edit, self.tr("lowest")),
            amount_max_minor=amount(self.amount_max_edit, self.tr("highest")),
            sort=self._sort,
        )

    def search(self) -> None:
        """Search with the text and the filters (all returns, newest first, when all are empty)."""
        try:
            criteria = self.criteria()
        except ValidationFailed as error:
            self._problem = tr_message(error.message)
            self._update_status()
            return
        self._query = criteria.text
        self._criteria = criteria
        self._problem = ""
        self.search_started.emit(self._query)
        self.model.set_fetcher(self._fetcher(criteria))
        self._update_status()

    def clear_filters(self) -> None:
        """Empty every filter and the search text, and show the newest returns."""
        for combo in (self.status_combo, self.reason_combo, self.channel_combo):
            combo.setCurrentIndex(0)
        for edit in (self.from_edit, self.to_edit):
            edit.setDate(_no_date())
        for line in (self.station_edit, self.customer_edit, self.amount_min_edit, self.amount_max_edit):
            line.clear()
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.search()

    def _fetcher(self, criteria: ReturnFilter) -> PageFetcher:
        api, size = self._api, self._page_size

        def fetch(after: str | None) -> Page:
            return api.search.search_returns(criteria, after=after, limit=size)

        return fetch

    def _on_model_sort_requested(self, sort: ReturnSort) -> None:
        self._sort = ReturnSort(sort)
        self.search()

    def _on_header_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        if column in ReturnsTableModel.SORTABLE:
            self.model.sort(column, order)
            return
        # Other columns do not sort: the indicator goes back to the order in force.
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        if self._sort in (ReturnSort.NEWEST, ReturnSort.OLDEST):
            header.setSortIndicator(ReturnsTableModel.CREATED, Qt.SortOrder.DescendingOrder
                                    if self._sort is ReturnSort.NEWEST else Qt.SortOrder.AscendingOrder)
        else:
            header.setSortIndicator(ReturnsTableModel.REFUND, Qt.SortOrder.DescendingOrder
                                    if self._sort is ReturnSort.AMOUNT_HIGH else Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)

    def _on_search_edit_text_changed(self, text: str) -> None:
        # Clearing the field (its clear button) goes back to all returns without another Enter.
        if not text and self._query:
            self.search()

    def _on_focus_shortcut_activated(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    # ------------------------------------------------------------------ exporting
    def export(self, fmt: str) -> None:
        """Export every return of the search in force as ``xlsx`` or ``csv``, to a file the user
        chooses."""
        if self._exporting:
            return
        model = self.model
        headers = tuple(str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.COLUMN_COUNT))
        words = {s.value: ReturnsTableModel._status(s.value) for s in ReturnStatus}
        words.update({c.value: tr_channel(c.value) for c in Channel})
        criteria = self._criteria
        stamp = local_today().toString("yyyyMMdd")
        path = self._choose_export_path(self, self.tr("returns-{day}.{fmt}").format(day=stamp, fmt=fmt), fmt)
        if path is None:
            return
        self._exporting = True
        self._set_export_busy(True)
        api = self._api

        def write() -> tuple[Path, ExportedFile]:
            result = api.search.export_returns(criteria, fmt, headers=headers, words=words)
            try:
                path.write_bytes(result.data)
            except OSError as error:
                raise ValidationFailed(self.tr("The file {path} cannot be written ({reason}); choose another "
                                               "place.").format(path=path, reason=error.strerror or error)) from None
            return path, result

        self._tasks.run(write, on_done=self._on_exported, on_error=self._on_export_failed)

    def _set_export_busy(self, busy: bool) -> None:
        may = can(self._actor.role, Permission.EXPORT)
        for button in (self.export_xlsx_button, self.export_csv_button):
            button.setEnabled(may and not busy)

    def _on_exported(self, result: tuple[Path, ExportedFile]) -> None:
        self._exporting = False
        self._set_export_busy(False)
        path, exported = result
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("%n return(s) exported.", "", exported.rows) + " "
                                  + self.tr("File: {path}").format(path=path))
        self.exported.emit(str(path), exported.rows)

    def _on_export_failed(self, error: BaseException) -> None:
        self._exporting = False
        self._set_export_busy(False)
        if isinstance(error, ReturnDeskError):
            report = self._errors.report(error, context=self.tr("exporting the returns"))
        else:
            report = self._errors.present(error, context=self.tr("exporting the returns"))
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(report.message)

    # ------------------------------------------------------------------ results
    def _on_model_page_loaded(self, _added: int) -> None:
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
        if _added:
            self.table.resizeColumnsToContents()
        self._update_status()
        self.results_shown.emit(self.model.rowCount())

    def _on_model_load_failed(self, error: BaseException) -> None:
        # Expected refusals (an RMA with a wrong check digit...) are said inline; bugs get the
        # error dialog as well.
        if isinstance(error, ReturnDeskError):
            report = self._errors.report(error, context=self.tr("loading the returns list"))
        else:
            report = self._errors.present(error, context=self.tr("loading the returns list"))
        self._problem = report.message
        self._update_status()

    def _update_status(self) -> None:
        count = self.model.rowCount()
        self.status_label.setStyleSheet("color: #b00020;" if self._problem else "")
        if self._problem:
            text = self._problem
        elif self.model.loading and count == 0:
            text = self.tr("Searching…")
        elif count == 0 and self._query:
            text = self.tr("No return matches “{query}”. Check the RMA, order number or phone.").format(
                query=self._query)
        elif count == 0 and self._criteria != ReturnFilter(sort=self._criteria.sort):
            text = self.tr("No return matches these filters. Clear some of them to see more.")
        elif count == 0:
            text = self.tr("There are no returns yet.")
        elif self.model.exhausted:
            text = self.tr("%n return(s).", "", count)
        else:
            text = self.tr("%n return(s) shown; scroll down for more.", "", count)
        self.status_label.setText(text)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            summary = self.model.summary(index.row())
            self.return_activated.emit(summary)
            self.return_detail_requested.emit(summary.rma_no)

    def _on_data_changed(self, entity: str, _entity_id: int) -> None:
        if entity in ("return", "any"):
            self._refresh_timer.start()
