"""The panes of customer service's review queue (see :mod:`.screen`).

* :class:`ReviewQueuePaneWidget` — the queue: title, the two views (to review, waiting for the
  customer), Refresh, the table and its status line;
* :class:`ReviewCasePaneWidget` — the request shown: RMA, status and amount, the facts, the lines
  with their verdicts, the customer's history and flags, the questions asked and answered;
* :class:`ReviewActionsPaneWidget` — the decisions: Authorize, Print label, Reject with a reason
  from the list and words, Ask the customer, Record the answer; why a button is disabled; the
  status line.

Widgets only show what they are given; the screen decides and calls the services.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from returndesk.ui.screens.approval.widgets import ApprovalHistoryWidget, ApprovalMessageLabel
from returndesk.ui.screens.case_widgets import CasePaneBase, QueuePaneBase, plain_button, queue_table, wrapping_label
from returndesk.ui.screens.review.models import ReviewLinesTableModel, ReviewQueueTableModel
from returndesk.ui.widgets import KeyValueView


class ReviewQueuePaneWidget(QueuePaneBase):
    """The queue: title, the two views, Refresh, the table and its status line."""

    def __init__(self, model: ReviewQueueTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view_tabs = QTabBar()
        self.view_tabs.setObjectName("view_tabs")
        self.view_tabs.setExpanding(False)
        self.view_tabs.setDrawBase(False)
        self.view_tabs.addTab("")
        self.view_tabs.addTab("")
        self.queue_table = queue_table(model, "queue_table", ReviewQueueTableModel.FLAGS)
        self.queue_status_label = wrapping_label("queue_status_label")

        title_row = self._title_row()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addLayout(title_row)
        layout.addWidget(self.view_tabs)
        layout.addWidget(self.queue_table, 1)
        layout.addWidget(self.queue_status_label)
        self.setMinimumWidth(380)


class ReviewCasePaneWidget(CasePaneBase):
    """The request shown (in a scroll area of the screen)."""

    def __init__(self, lines_model: ReviewLinesTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source_label = QLabel()
        self.source_label.setObjectName("source_label")
        head_row = self._head_row(self.source_label)

        self.facts = KeyValueView()
        self.facts.setObjectName("facts")

        lines_layout = self._lines_box(lines_model, (ReviewLinesTableModel.PRODUCT, ReviewLinesTableModel.REASON))
        self.notes_label = wrapping_label("notes_label")
        lines_layout.addWidget(self.notes_label)

        self.history_box = ApprovalHistoryWidget()
        self.recent_label = wrapping_label("recent_reasons_label")
        history_layout = self.history_box.layout()
        assert isinstance(history_layout, QVBoxLayout)
        history_layout.insertWidget(2, self.recent_label)
        self.flags_box = QGroupBox()
        self.flags_box.setObjectName("flags_box")
        self.flags_label = wrapping_label("flags_label")
        flags_layout = QVBoxLayout(self.flags_box)
        flags_layout.addWidget(self.flags_label)
        flags_layout.addStretch(1)
        people_row = QHBoxLayout()
        people_row.addWidget(self.history_box, 3)
        people_row.addWidget(self.flags_box, 2)

        self.questions_box = QGroupBox()
        self.questions_box.setObjectName("questions_box")
        self.questions_label = wrapping_label("questions_label")
        questions_layout = QVBoxLayout(self.questions_box)
        questions_layout.addWidget(self.questions_label)

        body = QVBoxLayout(self)
        body.setContentsMargins(0, 0, 6, 0)
        body.addLayout(head_row)
        body.addWidget(self.facts)
        body.addWidget(self.lines_box)
        body.addLayout(people_row)
        body.addWidget(self.questions_box)
        body.addStretch(1)


class ReviewActionsPaneWidget(QFrame):
    """Under the request: the decisions and the status line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actions_frame")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.authorize_button = plain_button("authorize_button")
        self.print_label_button = plain_button("print_label_button")
        # A request outside the policy: the supervisor's reason for overriding it (shown only then).
        self.override_edit = QLineEdit()
        self.override_edit.setObjectName("override_edit")
        self.override_edit.setMaxLength(500)
        self.reject_label = QLabel()
        self.reject_combo = QComboBox()
        self.reject_combo.setObjectName("reject_combo")
        self.reject_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.reject_label.setBuddy(self.reject_combo)
        self.reject_edit = QLineEdit()
        self.reject_edit.setObjectName("reject_edit")
        self.reject_edit.setMaxLength(2000)
        self.reject_button = plain_button("reject_button")
        self.question_label = QLabel()
        self.question_edit = QLineEdit()
        self.question_edit.setObjectName("question_edit")
        self.question_edit.setMaxLength(2000)
        self.question_label.setBuddy(self.question_edit)
        self.ask_button = plain_button("ask_button")
        self.answer_edit = QLineEdit()
        self.answer_edit.setObjectName("answer_edit")
        self.answer_edit.setMaxLength(2000)
        self.answer_button = plain_button("answer_button")
        self.why_label = wrapping_label("why_label")
        self.why_label.setStyleSheet("QLabel { color: #616161; }")
        self.message_label = ApprovalMessageLabel()
        self.message_label.setObjectName("message_label")

        top = QHBoxLayout()
        top.addWidget(self.authorize_button)
        top.addWidget(self.override_edit, 1)
        top.addWidget(self.print_label_button)
        top.addStretch(1)
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        grid.addWidget(self.reject_label, 0, 0)
        grid.addWidget(self.reject_combo, 0, 1, 1, 2)
        grid.addWidget(self.reject_button, 0, 3)
        grid.addWidget(self.reject_edit, 1, 1, 1, 2)
        grid.addWidget(self.question_label, 2, 0)
        grid.addWidget(self.question_edit, 2, 1, 1, 2)
        grid.addWidget(self.ask_button, 2, 3)
        grid.addWidget(self.answer_edit, 3, 1, 1, 2)
        grid.addWidget(self.answer_button, 3, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.why_label)
        layout.addWidget(self.message_label)

    def buttons(self) -> tuple[QPushButton, ...]:
        return (self.authorize_button, self.print_label_button, self.reject_button, self.ask_button,
                self.answer_button)
