"""Parts of the approval workstation's detail pane (see :mod:`.screen`).

* :class:`ApprovalMessageLabel` — the screen's status line (done, refused, working);
* :class:`ApprovalFiguresWidget` — the computed refund: goods accepted, grade deduction,
  restocking fee, shipping refunded, total, method;
* :class:`ApprovalHistoryWidget` — the customer's returns (count, rate, frequent returner);
* :class:`ApprovalDecisionBar` — the note or reason field, Approve / Reject / Override policy, and
  in words why a button is disabled;
* :class:`ApprovalRefundBar` — after approval: the refund method, Issue refund, and printing the
  receipt and the credit note.

The panes the screen is built from: :class:`ApprovalQueuePaneWidget` (the queue with its filter,
left of the splitter), :class:`ApprovalCasePaneWidget` (the return chosen: head, facts, reasons,
lines, figures, history, timeline) and :class:`ApprovalActionsPaneWidget` (the decision and refund
bars and the status line under the case). The tables and the panes' common parts are in
:mod:`returndesk.ui.screens.case_widgets`.

Widgets only show what they are given; the screen decides and calls the services.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from returndesk.domain.money import format_money
from returndesk.api.types import CustomerHistory
from returndesk.api.types import ReturnDetail
from returndesk.ui.screens.approval.models import (
    ApprovalLinesTableModel,
    ApprovalQueueTableModel,
    ApprovalTimelineTableModel,
    format_when,
    refund_method_name,
    status_name,
)
from returndesk.ui.screens.case_widgets import CasePaneBase, DetailTableView, QueuePaneBase, queue_table, wrapping_label
from returndesk.ui.widgets import KeyValueView, MoneyLabel
from returndesk.ui.fonts import scale_font
from returndesk.ui.i18n import tr_message

#: Written reasons shorter than this are refused here before the services are asked (the services
#: refuse them too: ``api.approval.MIN_REASON_LENGTH``).
MIN_REASON_LENGTH = 5


# --------------------------------------------------------------------------- the status line


class MessageKind(StrEnum):
    NONE = "none"
    INFO = "info"
    OK = "ok"
    WARNING = "warning"
    PROBLEM = "problem"


_MESSAGE_STYLES = {
    MessageKind.NONE: "",
    MessageKind.INFO: "QLabel { color: #263238; background: #eceff1; border-radius: 4px; padding: 6px 10px; }",
    MessageKind.OK: "QLabel { color: #ffffff; background: #2e7d32; border-radius: 4px; padding: 6px 10px; }",
    MessageKind.WARNING: "QLabel { color: #212121; background: #ffe082; border-radius: 4px; padding: 6px 10px; }",
    MessageKind.PROBLEM: "QLabel { color: #ffffff; background: #c62828; border-radius: 4px; padding: 6px 10px; }",
}


class ApprovalMessageLabel(QLabel):
    """One line saying what just happened; colour and text (never colour alone) tell the kind.

    ``message_shown(kind, text)`` is emitted with every message (tests and logging).
    """

    message_shown = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._kind = MessageKind.NONE
        self.setVisible(False)

    @property
    def kind(self) -> MessageKind:
        return self._kind

    def show_message(self, kind: MessageKind | str, text: str) -> None:
        self._kind = MessageKind(kind)
        text = tr_message(text)  # a sentence of the services, in the user's language
        self.setText(text)
        self.setStyleSheet(_MESSAGE_STYLES[self._kind])
        self.setVisible(bool(text) and self._kind is not MessageKind.NONE)
        self.message_shown.emit(self._kind.value, text)

    def clear_message(self) -> None:
        self._kind = MessageKind.NONE
        self.clear()
        self.setVisible(False)


# --------------------------------------------------------------------------- refund figures


class ApprovalFiguresWidget(QGroupBox):
    """The computed refund of the return and how it was reached."""

    _ROWS = ("gross", "deduction", "fee", "shipping", "total", "method")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figures_box")
        grid = QGridLayout(self)
        grid.setColumnStretch(0, 1)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(3)
        self._labels: dict[str, QLabel] = {}
        self.amounts: dict[str, MoneyLabel] = {}
        for row, key in enumerate(self._ROWS[:-1]):
            label = QLabel()
            amount = MoneyLabel()
            amount.setObjectName(f"{key}_amount")
            amount.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            if key == "total":
                line = QFrame()
                line.setFrameShape(QFrame.Shape.HLine)
                line.setFrameShadow(QFrame.Shadow.Sunken)
                grid.addWidget(line, row * 2 - 1, 0, 1, 2)
                scale_font(label, 1.1, bold=True)
                scale_font(amount, 1.1, bold=True)
            grid.addWidget(label, row * 2, 0)
            grid.addWidget(amount, row * 2, 1)
            self._labels[key] = label
            self.amounts[key] = amount
        self.method_label = QLabel()
        self.method_value = QLabel()
        self.method_value.setObjectName("method_value")
        self.method_value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.method_label, len(self._ROWS) * 2, 0)
        grid.addWidget(self.method_value, len(self._ROWS) * 2, 1)
        self._detail: ReturnDetail | None = None
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Refund"))
        self._labels["gross"].setText(self.tr("Goods accepted"))
        self._labels["deduction"].setText(self.tr("Grade deduction"))
        self._labels["fee"].setText(self.tr("Restocking fee"))
        self._labels["shipping"].setText(self.tr("Shipping refunded"))
        self._labels["total"].setText(self.tr("Refund total"))
        self.method_label.setText(self.tr("Method"))
        if self._detail is not None:
            self.show_detail(self._detail)

    def show_detail(self, detail: ReturnDetail) -> None:
        self._detail = detail
        deduction = sum(line.deduction_minor for line in detail.lines)
        fee = sum(line.fee_minor for line in detail.lines)
        gross = sum(line.refund_minor + line.deduction_minor + line.fee_minor for line in detail.lines)
        currency = detail.currency
        self.amounts["gross"].set_amount(gross, currency)
        self.amounts["deduction"].set_amount(-deduction if deduction else 0, currency)
        self.amounts["fee"].set_amount(-fee if fee else 0, currency)
        self.amounts["shipping"].set_amount(detail.shipping_refund_minor, currency)
        self.amounts["total"].set_amount(detail.refund_total_minor, currency)
        self.method_value.setText(refund_method_name(detail.refund_method))


# --------------------------------------------------------------------------- customer history


class ApprovalHistoryWidget(QGroupBox):
    """The customer's returns: how many, how often, and the latest ones (in the tooltip)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history_box")
        self.summary_label = wrapping_label("history_summary_label")
        self.rate_label = wrapping_label("history_rate_label")
        self.flag_label = wrapping_label("history_flag_label")
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.rate_label)
        layout.addWidget(self.flag_label)
        layout.addStretch(1)
        self._history: CustomerHistory | None = None
        self._walk_in = False
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Customer's returns"))
        self._render()

    def show_history(self, history: CustomerHistory | None) -> None:
        """Show ``history``; None for a walk-in sale without a customer."""
        self._history = history
        self._walk_in = history is None
        self._render()

    def _render(self) -> None:
        h = self._history
        if h is None:
            self.summary_label.setText(self.tr("Walk-in sale without a customer record: no history.")
                                       if self._walk_in else "")
            self.rate_label.clear()
            self.flag_label.clear()
            self.flag_label.setVisible(False)
            self.setToolTip("")
            return
        self.summary_label.setText(self.tr("Returns in the last {days} days: {in_window} · in all: {all_time}").format(
            in_window=h.returns_in_window, days=h.window_days, all_time=h.returns_all_time))
        self.rate_label.setText(self.tr("{returned} of {orders} orders returned ({rate} %)").format(
            returned=h.orders_with_returns, orders=h.orders, rate=round(h.return_rate * 100)))
        self.flag_label.setVisible(h.frequent_returner)
        if h.frequent_returner:
            self.flag_label.setText(self.tr("Frequent returner"))
            self.flag_label.setStyleSheet("QLabel { color: #ffffff; background: #c62828; border-radius: 3px;"
                                          " padding: 2px 6px; }")
        rows = [self.tr("Latest returns of {name}:").format(name=h.customer_name)]
        rows.extend(
            self.tr("{rma} · {order} · {status} · {amount} · {when}").format(
                rma=r.rma_no, order=r.order_no, status=status_name(r.status),
                amount=format_money(r.refund_total_minor, r.currency), when=format_when(r.created_at))
            for r in h.last_returns
        )
        self.setToolTip("\n".join(rows))


# --------------------------------------------------------------------------- deciding


class ApprovalDecisionBar(QFrame):
    """The decision: a note (a reason, for rejecting or overriding) and the three buttons.

    When a button is disabled the reason is shown under the buttons and in its tooltip.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decision_bar")
        self.note_label = QLabel()
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("note_edit")
        self.note_edit.setClearButtonEnabled(True)
        self.note_label.setBuddy(self.note_edit)
        self.approve_button = QPushButton()
        self.approve_button.setObjectName("approve_button")
        self.approve_button.setDefault(False)
        self.approve_button.setAutoDefault(False)
        self.reject_button = QPushButton()
        self.reject_button.setObjectName("reject_button")
        self.reject_button.setAutoDefault(False)
        self.override_button = QPushButton()
        self.override_button.setObjectName("override_button")
        self.override_button.setAutoDefault(False)
        self.approve_button.setStyleSheet(
            "QPushButton:enabled { background: #2e7d32; color: #ffffff; font-weight: bold; padding: 5px 14px; }")
        self.reject_button.setStyleSheet("QPushButton { padding: 5px 14px; }")
        self.override_button.setStyleSheet("QPushButton { padding: 5px 14px; }")
        self.why_label = wrapping_label("why_label")
        self.why_label.setStyleSheet("QLabel { color: #5d4037; }")

        fields = QHBoxLayout()
        fields.addWidget(self.note_label)
        fields.addWidget(self.note_edit, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.override_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(fields)
        layout.addLayout(buttons)
        layout.addWidget(self.why_label)

    def buttons(self) -> tuple[QPushButton, QPushButton, QPushButton]:
        return self.approve_button, self.reject_button, self.override_button

    def set_why_not(self, reasons: list[str]) -> None:
        """The reasons the disabled buttons give, one line each (empty hides the line)."""
        self.why_label.setText("\n".join(reasons))
        self.why_label.setVisible(bool(reasons))


# --------------------------------------------------------------------------- after approval


class ApprovalRefundBar(QFrame):
    """Issuing the refund of an approved return, and printing its documents."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("refund_bar")
        self.method_label = QLabel()
        self.method_combo = QComboBox()
        self.method_combo.setObjectName("method_combo")
        self.method_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.method_label.setBuddy(self.method_combo)
        self.issue_button = QPushButton()
        self.issue_button.setObjectName("issue_button")
        self.issue_button.setAutoDefault(False)
        self.receipt_button = QPushButton()
        self.receipt_button.setObjectName("receipt_button")
        self.receipt_button.setAutoDefault(False)
        self.credit_note_button = QPushButton()
        self.credit_note_button.setObjectName("credit_note_button")
        self.credit_note_button.setAutoDefault(False)
        self.refund_label = wrapping_label("refund_label")

        row = QHBoxLayout()
        row.addWidget(self.method_label)
        row.addWidget(self.method_combo)
        row.addWidget(self.issue_button)
        row.addSpacing(12)
        row.addWidget(self.receipt_button)
        row.addWidget(self.credit_note_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.refund_label)

    def set_methods(self, methods: tuple[str, ...], chosen: str | None) -> None:
        """Offer ``methods`` (codes), choosing ``chosen`` (the return's method) when offered."""
        self.method_combo.blockSignals(True)
        self.method_combo.clear()
        for code in methods:
            self.method_combo.addItem(refund_method_name(code), code)
        index = self.method_combo.findData(chosen) if chosen else -1
        self.method_combo.setCurrentIndex(index if index >= 0 else 0)
        self.method_combo.blockSignals(False)

    def chosen_method(self) -> str | None:
        return self.method_combo.currentData()

    def retranslate_methods(self) -> None:
        for i in range(self.method_combo.count()):
            self.method_combo.setItemText(i, refund_method_name(self.method_combo.itemData(i)))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_methods()
        super().changeEvent(event)


# --------------------------------------------------------------------------- the screen's panes
class ApprovalQueuePaneWidget(QueuePaneBase):
    """The queue: title, size, Refresh, the reason and text filters, the table and its status line."""

    def __init__(self, model: ApprovalQueueTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue_size_label = QLabel()
        self.queue_size_label.setObjectName("queue_size_label")
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("reason_combo")
        self.reason_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.reason_combo.setMinimumContentsLength(12)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("filter_edit")
        self.filter_edit.setClearButtonEnabled(True)

        self.queue_table = queue_table(model, "queue_table", ApprovalQueueTableModel.REASONS, stretch_last=True)
        self.queue_status_label = QLabel()
        self.queue_status_label.setObjectName("queue_status_label")
        self.queue_status_label.setWordWrap(True)

        title_row = self._title_row()
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.reason_combo)
        filter_row.addWidget(self.filter_edit, 1)
        queue_layout = QVBoxLayout(self)
        queue_layout.setContentsMargins(0, 0, 4, 0)
        queue_layout.addLayout(title_row)
        queue_layout.addWidget(self.queue_size_label)
        queue_layout.addLayout(filter_row)
        queue_layout.addWidget(self.queue_table, 1)
        queue_layout.addWidget(self.queue_status_label)
        self.setMinimumWidth(340)


class ApprovalCasePaneWidget(CasePaneBase):
    """The return chosen: RMA, status, level and amount; the facts; why it waits; the lines; the
    refund's figures and the customer's history; the timeline (in a scroll area of the screen)."""

    def __init__(self, lines_model: ApprovalLinesTableModel, timeline_model: ApprovalTimelineTableModel,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level_label = QLabel()
        self.level_label.setObjectName("level_label")
        head_row = self._head_row(self.level_label)

        self.facts_left = KeyValueView()
        self.facts_left.setObjectName("facts_left")
        self.facts_right = KeyValueView()
        self.facts_right.setObjectName("facts_right")
        for key in ("customer", "order", "channel"):
            self.facts_left.add_row("", key=key)
        for key in ("created", "inspected", "waiting"):
            self.facts_right.add_row("", key=key)
        facts_row = QHBoxLayout()
        facts_row.addWidget(self.facts_left, 1)
        facts_row.addSpacing(16)
        facts_row.addWidget(self.facts_right, 1)

        self.reasons_box = QGroupBox()
        self.reasons_box.setObjectName("reasons_box")
        self.reasons_label = QLabel()
        self.reasons_label.setObjectName("reasons_label")
        self.reasons_label.setWordWrap(True)
        self.reasons_label.setTextFormat(Qt.TextFormat.PlainText)
        self.reasons_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        reasons_layout = QVBoxLayout(self.reasons_box)
        reasons_layout.addWidget(self.reasons_label)

        self._lines_box(lines_model, (ApprovalLinesTableModel.PRODUCT, ApprovalLinesTableModel.REASON))

        self.figures_box = ApprovalFiguresWidget()
        self.history_box = ApprovalHistoryWidget()
        money_row = QHBoxLayout()
        money_row.addWidget(self.figures_box, 1)
        money_row.addWidget(self.history_box, 1)

        self.timeline_table = DetailTableView(
            timeline_model, stretch=(ApprovalTimelineTableModel.WHAT,), max_rows=14)
        self.timeline_table.setObjectName("timeline_table")
        self.timeline_box = QGroupBox()
        self.timeline_box.setObjectName("timeline_box")
        timeline_layout = QVBoxLayout(self.timeline_box)
        timeline_layout.addWidget(self.timeline_table)

        body = QVBoxLayout(self)
        body.setContentsMargins(0, 0, 6, 0)
        body.addLayout(head_row)
        body.addLayout(facts_row)
        body.addWidget(self.reasons_box)
        body.addWidget(self.lines_box)
        body.addLayout(money_row)
        body.addWidget(self.timeline_box)
        body.addStretch(1)


class ApprovalActionsPaneWidget(QFrame):
    """Under the case: the decision bar, the refund bar and the screen's status line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actions_frame")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.decision_bar = ApprovalDecisionBar()
        self.refund_bar = ApprovalRefundBar()
        self.message_label = ApprovalMessageLabel()
        self.message_label.setObjectName("message_label")
        actions_layout = QVBoxLayout(self)
        actions_layout.addWidget(self.decision_bar)
        actions_layout.addWidget(self.refund_bar)
        actions_layout.addWidget(self.message_label)
