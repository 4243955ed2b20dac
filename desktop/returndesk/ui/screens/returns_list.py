"""The "Returns" screen: find returns by RMA, order number or customer phone.

The list is a :class:`ReturnsTableModel` over keyset pages (``api.search.find_returns`` returns a
``Page`` with an opaque ``next_cursor``): the view asks ``canFetchMore``/``fetchMore`` as the user
scrolls, each page is loaded off the GUI thread and appended, and the model never holds more
than what has been scrolled through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import (
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
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from returndesk.domain.errors import ReturnDeskError
from returndesk.domain.money import format_money
from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Actor, Page, ReturnSummary
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.fonts import scale_font
from returndesk.ui.paged_model import KeysetTableModel
from returndesk.ui.i18n import tr_channel, tr_status
from returndesk.ui.local_time import local_moment
from returndesk.ui.tasks import TaskRunner

PAGE_SIZE = 100
SummaryRole = Qt.ItemDataRole.UserRole + 1  # the ReturnSummary of the row

PageFetcher = Callable[[str | None], Page[ReturnSummary]]  # after-cursor -> next page


class ReturnsTableModel(KeysetTableModel[ReturnSummary]):
    """Returns, one keyset page at a time (see :class:`~returndesk.ui.paged_model.KeysetTableModel`)."""

    RMA, STATUS, ORDER, CUSTOMER, PHONE, ITEMS, REFUND, CHANNEL, CREATED = range(9)
    COLUMN_COUNT = 9

    def __init__(self, fetch_page: PageFetcher, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(fetch_page, tasks, task_name="returns-page", parent=parent)

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
            changed = local_moment(item.status_changed_at)
            when = QLocale().toString(changed, QLocale.FormatType.ShortFormat) if changed else ""
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
            created = local_moment(item.created_at)
            return QLocale().toString(created, QLocale.FormatType.ShortFormat) if created else ""
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


class ReturnsListScreen(QWidget):
    """Search returns by RMA, order number or phone; the newest first.

    ``search_started(text)`` when a search begins, ``results_shown(count)`` after each page.
    """

    search_started = Signal(str)
    results_shown = Signal(int)
    return_activated = Signal(object)  # ReturnSummary (Enter or double-click on a row)
    _data_changed = Signal(str, int)  # from the services' change listeners (any thread)

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.setObjectName("returns_list_screen")
        self._api = api
        self._tasks = tasks
        self._actor = actor
        self._page_size = page_size
        self._query = ""
        self._errors = ErrorPresenter(self)
        self._problem = ""  # why the last page could not be loaded

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

        self.model = ReturnsTableModel(self._fetcher(""), tasks, self)
        self.model.page_loaded.connect(self._on_model_page_loaded)
        self.model.load_failed.connect(self._on_model_load_failed)
        self.model.modelReset.connect(self._update_status)
        self.table = QTableView()
        self.table.setObjectName("returns_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(False)  # order is the services' (newest first), kept by paging
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.activated.connect(self._on_table_double_clicked)

        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.search_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addLayout(search_row)
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
        self._data_changed.connect(self._on_data_changed)
        signal = self._data_changed

        def on_change(entity: str, entity_id: int) -> None:
            # Called after a commit on whatever thread ran the use case; the signal carries it
            # to the GUI thread. A screen already deleted must not break the use case's caller.
            if shiboken6.isValid(self):
                signal.emit(entity, int(entity_id))

        unsubscribe = api.session.subscribe(on_change)
        self.destroyed.connect(lambda *_: unsubscribe())

        self.retranslate_ui()
        self.model.reload()

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.title_label.setText(self.tr("Returns"))
        self.search_edit.setPlaceholderText(self.tr("RMA, order number or customer phone"))
        self.search_edit.setToolTip(self.tr("Type and press Enter to search; empty shows the newest returns ({key})")
                                    .format(key=QKeySequence(QKeySequence.StandardKey.Find).toString(
                                        QKeySequence.SequenceFormat.NativeText)))
        self.search_button.setText(self.tr("&Search"))
        self.search_button.setToolTip(self.tr("Search (Enter)"))
        self.model.retranslate()
        self._update_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # ------------------------------------------------------------------ searching
    def search(self) -> None:
        """Search for the text in the search field (all returns, newest first, when empty)."""
        self._query = self.search_edit.text().strip()
        self._problem = ""
        self.search_started.emit(self._query)
        self.model.set_fetcher(self._fetcher(self._query))
        self._update_status()

    def _fetcher(self, query: str) -> PageFetcher:
        api, size = self._api, self._page_size

        def fetch(after: str | None) -> Page:
            return api.search.find_returns(query, after=after, limit=size)

        return fetch

    def _on_search_edit_text_changed(self, text: str) -> None:
        # Clearing the field (its clear button) goes back to all returns without another Enter.
        if not text and self._query:
            self.search()

    def _on_focus_shortcut_activated(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

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
        elif count == 0:
            text = self.tr("There are no returns yet.")
        elif self.model.exhausted:
            text = self.tr("%n return(s).", "", count)
        else:
            text = self.tr("%n return(s) shown; scroll down for more.", "", count)
        self.status_label.setText(text)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.return_activated.emit(self.model.summary(index.row()))

    def _on_data_changed(self, entity: str, _entity_id: int) -> None:
        if entity in ("return", "any"):
            self._refresh_timer.start()
