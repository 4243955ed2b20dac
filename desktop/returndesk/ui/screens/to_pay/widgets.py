"""The panes of the "to pay" worklist (see :mod:`.screen`).

* :class:`ToPayQueuePaneWidget` — title, Refresh, the worklist and its status line;
* :class:`ToPayCasePaneWidget` — the return chosen: RMA, status and amount, the facts, the lines
  with grades and the refund's figures;
* :class:`ToPayActionsPaneWidget` — the refund method, Issue refund, printing the receipt and the
  credit note, and the status line.

Widgets only show what they are given; the screen decides and calls the services.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from returndesk.ui.screens.approval.models import ApprovalLinesTableModel
from returndesk.ui.screens.approval.widgets import ApprovalFiguresWidget, ApprovalMessageLabel, ApprovalRefundBar
from returndesk.ui.screens.case_widgets import CasePaneBase, QueuePaneBase, queue_table
from returndesk.ui.screens.to_pay.models import ToPayTableModel
from returndesk.ui.widgets import KeyValueView


class ToPayQueuePaneWidget(QueuePaneBase):
    """The worklist: title, Refresh, the table and its status line."""

    def __init__(self, model: ToPayTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue_table = queue_table(model, "queue_table", ToPayTableModel.RMA)
        self.queue_status_label = QLabel()
        self.queue_status_label.setObjectName("queue_status_label")
        self.queue_status_label.setWordWrap(True)
        title_row = self._title_row()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addLayout(title_row)
        layout.addWidget(self.queue_table, 1)
        layout.addWidget(self.queue_status_label)
        self.setMinimumWidth(380)


class ToPayCasePaneWidget(CasePaneBase):
    """The return chosen (in a scroll area of the screen)."""

    def __init__(self, lines_model: ApprovalLinesTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        head_row = self._head_row()
        self.facts = KeyValueView()
        self.facts.setObjectName("facts")
        self._lines_box(lines_model, (ApprovalLinesTableModel.PRODUCT, ApprovalLinesTableModel.REASON))
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
