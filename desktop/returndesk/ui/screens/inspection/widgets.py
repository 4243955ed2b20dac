"""The panes of the inspection screen.

* :class:`ReturnHeaderPaneWidget` — the open return: RMA, status, progress, customer and order;
* :class:`InspectionLinesView` — its lines, what was counted and graded so far;
* :class:`PendingInputsPaneWidget` — the inputs waiting for the database, with Retry and Discard;
* :class:`CommandButtonsPaneWidget` — Complete, Undo, Short, Next, Wrong item and Cancel in a row;
* :class:`CommandLegendPaneWidget` — the keys and command barcodes, and the rule of the station;
* :class:`WorklistsPaneWidget` — the side panel: the returns expected, the inspection queue, the
  parcel without RMA and reprinting the tags.

The panes only hold widgets; the screen fills them, translates their texts and decides.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from returndesk.ui.screens.inspection.models import InspectionLinesTableModel, WorklistTableModel
from returndesk.ui.widgets import StatusPill
from returndesk.ui.fonts import scale_font


class ReturnHeaderPaneWidget(QWidget):
    """The open return: RMA and status, the progress, then the customer and the order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rma_label = QLabel()
        self.rma_label.setObjectName("rma_label")
        self.rma_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scale_font(self.rma_label, 2.0, bold=True)
        self.status_pill = StatusPill()
        self.status_pill.setObjectName("status_pill")
        scale_font(self.status_pill, 1.2, bold=True)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progress_label")
        scale_font(self.progress_label, 1.5, bold=True)
        self.customer_label = QLabel()
        self.customer_label.setObjectName("customer_label")
        self.order_label = QLabel()
        self.order_label.setObjectName("order_label")
        for label in (self.customer_label, self.order_label):
            scale_font(label, 1.15)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        header_row = QHBoxLayout()
        header_row.addWidget(self.rma_label)
        header_row.addWidget(self.status_pill, 0, Qt.AlignmentFlag.AlignVCenter)
        header_row.addStretch(1)
        header_row.addWidget(self.progress_label, 0, Qt.AlignmentFlag.AlignVCenter)
        who_row = QHBoxLayout()
        who_row.addWidget(self.customer_label, 1)
        who_row.addWidget(self.order_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header_row)
        layout.addLayout(who_row)


class InspectionLinesView(QTableView):
    """The open return's lines in large type; never takes the focus (the scan field keeps it)."""

    def __init__(self, model: InspectionLinesTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lines_view")
        self.setModel(model)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        scale_font(self, 1.3)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(InspectionLinesTableModel.ITEM, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)


class PendingInputsPaneWidget(QGroupBox):
    """The inputs waiting for the database (``pending_list``) with Retry and Discard."""

    def __init__(self, *, text_height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pending_box")
        self.pending_list = QListWidget()
        self.pending_list.setObjectName("pending_list")
        self.pending_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pending_list.setMaximumHeight(text_height * 5)
        self.retry_button = QPushButton()
        self.retry_button.setObjectName("retry_button")
        self.discard_button = QPushButton()
        self.discard_button.setObjectName("discard_button")
        pending_buttons = QVBoxLayout()
        pending_buttons.addWidget(self.retry_button)
        pending_buttons.addWidget(self.discard_button)
        pending_buttons.addStretch(1)
        pending_layout = QHBoxLayout(self)
        pending_layout.addWidget(self.pending_list, 1)
        pending_layout.addLayout(pending_buttons)


class CommandButtonsPaneWidget(QWidget):
    """The command buttons in a row (the keyboard and the command barcodes do the same).

    ``buttons`` maps each command (``complete``, ``undo``, ...) to its button; buttons never take
    the focus: the scan field keeps it, so the scanner always lands there.
    """

    #: (object name, command) of each button, left to right.
    COMMANDS = (("complete_button", "complete"), ("undo_button", "undo"), ("short_button", "short"),
                ("next_button", "next"), ("wrong_button", "wrong_item"), ("cancel_button", "cancel"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QPushButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for name, command in self.COMMANDS:
            button = QPushButton()
            button.setObjectName(name)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.buttons[command] = button
            layout.addWidget(button)
        layout.addStretch(1)


class CommandLegendPaneWidget(QGroupBox):
    """Ten (key, what it does) label pairs in two columns (``legend_keys``) and the station's rule."""

    ENTRIES = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend_box")
        self.legend_keys: list[tuple[QLabel, QLabel]] = []
        legend = QGridLayout(self)
        legend.setHorizontalSpacing(10)
        legend.setVerticalSpacing(2)
        for i in range(self.ENTRIES):
            key_label, text_label = QLabel(), QLabel()
            key_label.setObjectName(f"legend_key_{i}")
            key_label.setStyleSheet("QLabel { font-weight: bold; }")
            text_label.setWordWrap(True)
            self.legend_keys.append((key_label, text_label))
            legend.addWidget(key_label, i // 2, (i % 2) * 2, Qt.AlignmentFlag.AlignTop)
            legend.addWidget(text_label, i // 2, (i % 2) * 2 + 1, Qt.AlignmentFlag.AlignTop)
        legend.setColumnStretch(1, 1)
        legend.setColumnStretch(3, 1)
        self.rule_label = QLabel()
        self.rule_label.setObjectName("rule_label")
        self.rule_label.setWordWrap(True)
        legend.addWidget(self.rule_label, 5, 0, 1, 4)


def worklist_view(name: str, model: WorklistTableModel) -> QTableView:
    """A worklist's table, sized to the rows loaded so far after each page (a page may bring longer names)."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    model.page_loaded.connect(lambda _rows, v=view: v.resizeColumnsToContents())
    return view


class WorklistsPaneWidget(QWidget):
    """The side panel: the returns expected and the inspection queue, then the parcel without RMA
    and Reprint tags (buttons that never take the focus)."""

    def __init__(self, expected_model: WorklistTableModel, queue_model: WorklistTableModel,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.expected_title = QLabel()
        self.expected_title.setObjectName("expected_title")
        scale_font(self.expected_title, 1.1, bold=True)
        self.expected_view = worklist_view("expected_view", expected_model)
        self.queue_title = QLabel()
        self.queue_title.setObjectName("queue_title")
        scale_font(self.queue_title, 1.1, bold=True)
        self.queue_view = worklist_view("queue_view", queue_model)
        self.parcel_button = QPushButton()
        self.parcel_button.setObjectName("parcel_button")
        self.parcel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.parcels_button = QPushButton()
        self.parcels_button.setObjectName("parcels_button")
        self.parcels_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reprint_button = QPushButton()
        self.reprint_button.setObjectName("reprint_button")
        self.reprint_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        side_layout = QVBoxLayout(self)
        side_layout.setContentsMargins(6, 0, 0, 0)
        side_layout.addWidget(self.expected_title)
        side_layout.addWidget(self.expected_view, 1)
        side_layout.addWidget(self.queue_title)
        side_layout.addWidget(self.queue_view, 1)
        side_layout.addWidget(self.parcel_button)
        side_layout.addWidget(self.parcels_button)
        side_layout.addWidget(self.reprint_button)
        self.setMinimumWidth(300)
