"""Widgets the worklist-with-a-case screens share (review, approval, to pay; see
:mod:`.worklist_case`).

* :func:`queue_table` — a worklist's table: whole rows, two lines a row, one column stretched;
* :class:`DetailTableView` — a read-only table inside the scrolling case pane, as tall as its rows;
* :class:`QueuePaneBase` — the queue pane's title and Refresh button;
* :class:`CasePaneBase` — the case pane's head (RMA, status, amount) and its lines box;
* :func:`wrapping_label`, :func:`plain_button` — small parts.

Widgets only show what they are given; the screens decide and call the services.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from returndesk.ui.fonts import scale_font
from returndesk.ui.widgets import StatusPill


def wrapping_label(object_name: str) -> QLabel:
    """A label of plain text that wraps and can be selected with the mouse."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def plain_button(object_name: str) -> QPushButton:
    """A push button that Enter in a field does not press."""
    button = QPushButton()
    button.setObjectName(object_name)
    button.setAutoDefault(False)
    return button


def queue_table(model: QAbstractItemModel | object, object_name: str, stretch: int, *,
                stretch_last: bool = False) -> QTableView:
    """A queue table: whole rows, two lines a row, the ``stretch`` column stretched."""
    table = QTableView()
    table.setObjectName(object_name)
    table.setModel(model)  # type: ignore[arg-type]
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    # Two lines a row, all alike (the view never measures rows: fast however long the queue).
    table.setWordWrap(True)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    rows = table.verticalHeader()
    rows.setVisible(False)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(2 * table.fontMetrics().lineSpacing() + 10)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(stretch_last)
    return table


class _RoomyItemDelegate(QStyledItemDelegate):
    """Rows sized to their contents, with some air above and below the text."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 6)


class DetailTableView(QTableView):
    """A read-only table inside the scrolling detail pane: as tall as its rows (up to
    ``max_rows``, then it scrolls), each row as tall as its wrapped text.

    Short columns take the width of their contents; the ``stretch`` columns share the rest and
    wrap their text, so nothing is cut off and the table never scrolls sideways.
    """

    def __init__(self, model: QAbstractItemModel, *, stretch: tuple[int, ...], max_rows: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._max_rows = max_rows
        self.setModel(model)
        self.setItemDelegate(_RoomyItemDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        # Rows change height as the width changes (wrapping) or the model is reset: ask the
        # layout for the new height.
        rows.sectionResized.connect(self._on_rows_resized)
        model.modelReset.connect(self.updateGeometry)

    def _on_rows_resized(self, *_args: object) -> None:
        self.updateGeometry()

    def _height(self) -> int:
        model = self.model()
        rows = min(model.rowCount(), self._max_rows) if model is not None else 0
        body = sum(self.rowHeight(r) for r in range(rows)) if rows else self.verticalHeader().defaultSectionSize()
        return self.horizontalHeader().sizeHint().height() + body + 2 * self.frameWidth()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self._height())


class QueuePaneBase(QWidget):
    """The queue pane's common parts: its title and the Refresh button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue_pane")
        self.title_label = QLabel()
        self.title_label.setObjectName("title_label")
        scale_font(self.title_label, 1.3, bold=True)
        self.refresh_button = plain_button("refresh_button")

    def _title_row(self) -> QHBoxLayout:
        """The title, left, and Refresh, right."""
        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label)
        title_row.addStretch(1)
        title_row.addWidget(self.refresh_button)
        return title_row


class CasePaneBase(QWidget):
    """The case pane's common parts: the RMA, the status and the amount in its head, the lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detail_body")
        self.rma_label = QLabel()
        self.rma_label.setObjectName("rma_label")
        self.rma_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scale_font(self.rma_label, 1.5, bold=True)
        self.status_pill = StatusPill()
        self.status_pill.setObjectName("status_pill")
        self.amount_label = QLabel()
        self.amount_label.setObjectName("amount_label")
        scale_font(self.amount_label, 1.5, bold=True)

    def _head_row(self, *middle: QWidget) -> QHBoxLayout:
        """The RMA, the status and ``middle`` left, the amount right."""
        head_row = QHBoxLayout()
        head_row.addWidget(self.rma_label)
        head_row.addWidget(self.status_pill)
        for widget in middle:
            head_row.addWidget(widget)
        head_row.addStretch(1)
        head_row.addWidget(self.amount_label)
        return head_row

    def _lines_box(self, lines_model: QAbstractItemModel, stretch: tuple[int, ...]) -> QVBoxLayout:
        """The lines table (``stretch``: its wrapping columns) in its box; the box's layout."""
        self.lines_table = DetailTableView(lines_model, stretch=stretch, max_rows=8)
        self.lines_table.setObjectName("lines_table")
        self.lines_box = QGroupBox()
        self.lines_box.setObjectName("lines_box")
        lines_layout = QVBoxLayout(self.lines_box)
        lines_layout.addWidget(self.lines_table)
        return lines_layout
