"""The panes of the "to pay" worklist (see :mod:`.screen`).

* :class:`ToPayQueuePaneWidget` — title, Refresh, the worklist and its status line;
* :class:`ToPayCasePaneWidget` — the return chosen: RMA, status and amount, the facts, the lines
  with grades and the refund's figures;
* :class:`ToPayActionsPaneWidget` — the refund method, Issue refund, printing the receipt and the
  credit note, and the status line.

Widgets only show what they are given; the screen decides and calls the services.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from returndesk.ui.screens.approval.models import ApprovalLinesTableModel
from returndesk.ui.screens.approval.widgets import (
    ApprovalDetailTableView,
    ApprovalFiguresWidget,
    ApprovalMessageLabel,
    ApprovalRefundBar,
)
from returndesk.ui.screens.review.widgets import queue_table
from returndesk.ui.screens.to_pay.models import ToPayTableModel
from returndesk.ui.fonts import scale_font
from returndesk.ui.widgets import KeyValueView, StatusPill


class ToPayQueuePaneWidget(QWidget):
    """The worklist: title, Refresh, the table and its status line."""

    def __init__(self, model: ToPayTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue_pane")
        self.title_label = QLabel()
        self.title_label.setObjectName("title_label")
        scale_font(self.title_label, 1.3, bold=True)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("refresh_button")
        self.refresh_button.setAutoDefault(False)
        self.queue_table = queue_table(model, "queue_table", ToPayTableModel.RMA)
        self.queue_status_label = QLabel()
        self.queue_status_label.setObjectName("queue_status_label")
        self.queue_status_label.setWordWrap(True)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label)
        title_row.addStretch(1)
        title_row.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addLayout(title_row)
        layout.addWidget(self.queue_table, 1)
        layout.addWidget(self.queue_status_label)
        self.setMinimumWidth(380)


class ToPayCasePaneWidget(QWidget):
    """The return chosen (in a scroll area of the screen)."""

    def __init__(self, lines_model: ApprovalLinesTableModel, parent: QWidget | None = None) -> None:
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
        head_row = QHBoxLayout()
        head_row.addWidget(self.rma_label)
        head_row.addWidget(self.status_pill)
        head_row.addStretch(1)
        head_row.addWidget(self.amount_label)
        self.facts = KeyValueView()
        self.facts.setObjectName("facts")
        self.lines_table = ApprovalDetailTableView(
            lines_model, stretch=(ApprovalLinesTableModel.PRODUCT, ApprovalLinesTableModel.REASON), max_rows=8)
        self.lines_table.setObjectName("lines_table")
        self.lines_box = QGroupBox()
        self.lines_box.setObjectName("lines_box")
        lines_layout = QVBoxLayout(self.lines_box)
        lines_layout.addWidget(self.lines_table)
        self.figures_box = ApprovalFiguresWidget()
        body = QVBoxLayout(self)
        body.setContentsMargins(0, 0, 6, 0)
        body.addLayout(head_row)
        body.addWidget(self.facts)
        body.addWidget(self.lines_box)
        body.addWidget(self.figures_box)
        body.addStretch(1)


class ToPayActionsPaneWidget(QFrame):
    """Under the return: the refund bar, why it is disabled, and the status line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actions_frame")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.refund_bar = ApprovalRefundBar()
        self.refund_bar.method_combo.setMinimumContentsLength(14)
        self.message_label = ApprovalMessageLabel()
        self.message_label.setObjectName("message_label")
        # The documents on a row of their own: the method and the amount keep their room.
        documents_row = QHBoxLayout()
        documents_row.addWidget(self.refund_bar.receipt_button)
        documents_row.addWidget(self.refund_bar.credit_note_button)
        documents_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.refund_bar)
        layout.addLayout(documents_row)
        layout.addWidget(self.message_label)
