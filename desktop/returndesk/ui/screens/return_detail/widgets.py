"""The panes of the return detail page (see :mod:`.screen`): they build and lay out their children
and expose them; the page translates and decides."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from returndesk.domain.permissions import ReturnAction
from returndesk.ui.widgets import KeyValueView, StatusPill


def table(name: str, *, stretch_last: bool = True, word_wrap: bool = False) -> QTableView:
    """A read-only table of whole rows."""
    view = QTableView()
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(word_wrap)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_last)
    return view


class ReturnHeaderPaneWidget(QGroupBox):
    """The RMA, its status and the facts about the return."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header_pane")
        self.rma_label = QLabel()
        self.rma_label.setObjectName("rma_label")
        font = self.rma_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.rma_label.setFont(font)
        self.rma_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_pill = StatusPill()
        self.status_pill.setObjectName("status_pill")
        self.facts = KeyValueView()
        self.facts.setObjectName("header_facts")
        self.more_facts = KeyValueView()
        self.more_facts.setObjectName("header_more_facts")
        top = QHBoxLayout()
        top.addWidget(self.rma_label)
        top.addWidget(self.status_pill)
        top.addStretch(1)
        columns = QHBoxLayout()
        columns.addWidget(self.facts, 1)
        columns.addSpacing(16)
        columns.addWidget(self.more_facts, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(columns)


class RefundPaneWidget(QGroupBox):
    """The refund breakdown, the refund issued and the exchange."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("refund_pane")
        self.figures = KeyValueView()
        self.figures.setObjectName("refund_figures")
        self.exchange_label = QLabel()
        self.exchange_label.setObjectName("exchange_label")
        self.exchange_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.figures)
        layout.addWidget(self.exchange_label)
        layout.addStretch(1)


class ReturnActionsPaneWidget(QGroupBox):
    """One button per action of the page, the reason, refund method and payment method they may need, and the
    words saying why actions are not possible."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actions_pane")
        self.buttons: dict[ReturnAction, QPushButton] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        per_row = 5
        for number, action in enumerate(ReturnAction):
            button = QPushButton()
            button.setObjectName(f"{action.value}_button")
            grid.addWidget(button, number // per_row, number % per_row)
            self.buttons[action] = button
        self.reason_label = QLabel()
        self.reason_label.setObjectName("reason_label")
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reason_edit")
        self.reason_edit.setClearButtonEnabled(True)
        self.method_label = QLabel()
        self.method_label.setObjectName("method_label")
        self.method_combo = QComboBox()
        self.method_combo.setObjectName("method_combo")
        self.method_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.collect_label = QLabel()
        self.collect_label.setObjectName("collect_label")
        self.collect_combo = QComboBox()
        self.collect_combo.setObjectName("collect_combo")
        self.collect_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        inputs = QHBoxLayout()
        inputs.addWidget(self.reason_label)
        inputs.addWidget(self.reason_edit, 1)
        inputs.addSpacing(12)
        inputs.addWidget(self.method_label)
        inputs.addWidget(self.method_combo)
        inputs.addSpacing(12)
        inputs.addWidget(self.collect_label)
        inputs.addWidget(self.collect_combo)
        self.why_label = QLabel()
        self.why_label.setObjectName("why_label")
        self.why_label.setWordWrap(True)
        self.why_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(inputs)
        layout.addWidget(self.why_label)
        layout.addWidget(self.message_label)


class DocumentsPaneWidget(QWidget):
    """The documents that can be printed, the print button and the print log."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.documents_view = table("documents_view")
        self.print_button = QPushButton()
        self.print_button.setObjectName("print_button")
        self.print_log_label = QLabel()
        self.print_log_label.setObjectName("print_log_label")
        self.print_log_view = table("print_log_view")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.documents_view, 2)
        layout.addLayout(row)
        layout.addWidget(self.print_log_label)
        layout.addWidget(self.print_log_view, 3)
