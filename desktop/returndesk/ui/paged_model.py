"""One table model over keyset-paged reads: :class:`KeysetTableModel`.

A list screen (the returns list, the inspection worklists, the approval queue) shows rows that a use
case hands out one keyset page at a time (``Page(items, next_cursor)``). The model asks for the
first page on :meth:`~KeysetTableModel.reload` and for the next one whenever the view scrolls to the
end (``canFetchMore``/``fetchMore``), on the task runner's threads; rows are only ever appended until
the next reload. A subclass says what its columns show (``columnCount``, ``data``, ``headerData``)
and, if a row may come round twice while the data moves under the paging, how rows are told apart
(:meth:`~KeysetTableModel.row_key`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Signal

from returndesk.ui.tasks import TaskRunner

RowT = TypeVar("RowT")
RowT_co = TypeVar("RowT_co", covariant=True)


class RowPage(Protocol[RowT_co]):
    """One page of rows and the cursor of the next (None on the last page)."""

    @property
    def items(self) -> Sequence[RowT_co]: ...

    @property
    def next_cursor(self) -> str | None: ...


PageFetcher = Callable[[str | None], RowPage[RowT]]  # after-cursor -> that page


class KeysetTableModel(QAbstractTableModel, Generic[RowT]):
    """Rows of keyset pages; see the module documentation.

    ``fetch_page(after)`` runs on the task runner's threads. Signals (GUI thread):
    ``page_loaded(rows_added)`` after each page, ``load_failed(error)`` when a page could not be
    loaded (the model then asks for no more until :meth:`reload`).
    """

    page_loaded = Signal(int)
    load_failed = Signal(object)

    COLUMN_COUNT = 0  # a subclass says how many columns it shows

    def __init__(self, fetch_page: PageFetcher[RowT], tasks: TaskRunner, *, task_name: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fetch_page = fetch_page
        self._tasks = tasks
        self._rows: list[RowT] = []
        self._cursor: str | None = None
        self._more = True  # before the first page, there is "more"
        self._loading = False
        self._failed = False
        self._key = (task_name, id(self))

    # ------------------------------------------------------------------ what a subclass may say
    def row_key(self, row: RowT) -> Hashable | None:
        """What tells rows apart, to show a row once that moved while paging; None: no check."""
        return None

    # ------------------------------------------------------------------ loading
    def set_fetcher(self, fetch_page: PageFetcher[RowT]) -> None:
        """Use another query (a new search, another filter) and start again from the first page."""
        self._fetch_page = fetch_page
        self.reload()

    def reload(self) -> None:
        """Forget the rows and load the first page again."""
        self._tasks.invalidate(self._key)
        self.beginResetModel()
        self._rows = []
        self._cursor = None
        self._more = True
        self._loading = False
        self._failed = False
        self.endResetModel()
        self.fetchMore(QModelIndex())

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        """True once the last page has been loaded."""
        return not self._more

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        # While a page is in flight the answer is False, so the view cannot ask for it twice.
        return not parent.isValid() and self._more and not self._loading and not self._failed

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        self._loading = True
        self._tasks.run(self._fetch_page, self._cursor, on_done=self._on_page, on_error=self._on_failed,
                        key=self._key)

    def _on_page(self, page: RowPage[RowT]) -> None:
        # The position moves on before the rows are announced: a view (or the model tester) may
        # call fetchMore from its rowsInserted slot and must ask for the page after these.
        self._loading = False
        self._cursor = page.next_cursor
        self._more = page.next_cursor is not None
        known = {self.row_key(row) for row in self._rows}
        items = [item for item in page.items if (key := self.row_key(item)) is None or key not in known]
        if items:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(items) - 1)
            self._rows.extend(items)
            self.endInsertRows()
        self.page_loaded.emit(len(items))

    def _on_failed(self, error: BaseException) -> None:
        self._loading = False
        self._failed = True
        self.load_failed.emit(error)

    # ------------------------------------------------------------------ rows
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def row_value(self, row: int) -> RowT:
        """The row's value (the dataclass the use case returned)."""
        return self._rows[row]
