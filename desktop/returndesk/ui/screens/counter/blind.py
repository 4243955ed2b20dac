"""A return without a receipt at the counter (无小票退货), from the counter screen (F6).

The clerk scans the item (or types its SKU), sets the quantity and the reason, ticks the
conditions checked with the goods in hand, and types the customer's phone (and name, for a phone no
customer has yet). The window says at once what is refunded and why: the lowest price the item
sold for in the policy's last N days (never above today's price), per unit and in total, **as store
credit only**, and how many returns the customer brought back without a receipt before. Taking it
(Ctrl+Enter) asks a supervisor to sign off on this screen (:class:`SupervisorSignOffDialog`); the
services then take, inspect, approve and refund it in one step, and the counter shows the result
with its receipt.

Signals: ``quoted(BlindQuote)``, ``taken(CounterResult)``, ``sign_off_requested(dialog)``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import BlindDraft, BlindQuote, CounterResult, ReasonView, SignOff
from returndesk.domain.errors import ReturnDeskError
from returndesk.domain.money import format_money
from returndesk.ui import help
from returndesk.ui.dialogs.sign_off import SupervisorSignOffDialog
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.screens.counter.models import format_day, tr_condition
from returndesk.ui.tasks import TaskRunner

PROBLEM_STYLE = "color: #b00020;"
HINT_STYLE = "color: palette(mid);"
QUOTE_DELAY_MS = 250


def _native(sequence: str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


class BlindReturnDialog(QDialog):
    """See the module documentation."""

    quoted = Signal(object)
    taken = Signal(object)
    sign_off_requested = Signal(object)

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.WITHOUT_RECEIPT)
        self.setObjectName("blind_return_dialog")
        self.setModal(True)
        self.setMinimumWidth(620)
        self._api = api
        self._tasks = tasks
        self._errors = ErrorPresenter(self)
        self._key = id(self)
        self._quote: BlindQuote | None = None
        self._quote_problem = ""
        self._revision = 0
        self.sign_off_dialog: SupervisorSignOffDialog | None = None

        self.intro_label = QLabel()
        self.intro_label.setObjectName("blind_intro_label")
        self.intro_label.setWordWrap(True)
        self.product_label = QLabel()
        self.product_edit = QLineEdit()
        self.product_edit.setObjectName("blind_product_edit")
        self.product_edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.product_label.setBuddy(self.product_edit)
        self.quantity_label = QLabel()
        self.quantity_spin = QSpinBox()
        self.quantity_spin.setObjectName("blind_quantity_spin")
        self.quantity_spin.setRange(1, 99)
        self.quantity_label.setBuddy(self.quantity_spin)
        self.reason_label = QLabel()
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("blind_reason_combo")
        self.reason_label.setBuddy(self.reason_combo)
        self.conditions_label = QLabel()
        self.conditions_row = QHBoxLayout()
        self.condition_boxes: list[tuple[str, QCheckBox]] = []
        self.phone_label = QLabel()
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("blind_phone_edit")
        self.phone_label.setBuddy(self.phone_edit)
        self.name_label = QLabel()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("blind_name_edit")
        self.name_label.setBuddy(self.name_edit)
        self.quote_label = QLabel()
        self.quote_label.setObjectName("blind_quote_label")
        self.quote_label.setWordWrap(True)
        self.total_label = QLabel()
        self.total_label.setObjectName("blind_total_label")
        font = self.total_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.total_label.setFont(font)
        self.flag_label = QLabel()
        self.flag_label.setObjectName("blind_flag_label")
        self.flag_label.setWordWrap(True)
        self.flag_label.setStyleSheet(PROBLEM_STYLE)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("blind_problem_label")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(PROBLEM_STYLE)
        self.take_button = QPushButton()
        self.take_button.setObjectName("blind_take_button")
        self.take_button.setAutoDefault(False)
        self.take_button.clicked.connect(self.take)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("blind_cancel_button")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)

        self.form = QFormLayout()
        self.form.addRow(self.product_label, self.product_edit)
        self.form.addRow(self.quantity_label, self.quantity_spin)
        self.form.addRow(self.reason_label, self.reason_combo)
        self.form.addRow(self.conditions_label, self.conditions_row)
        self.form.addRow(self.phone_label, self.phone_edit)
        self.form.addRow(self.name_label, self.name_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.take_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(self.form)
        layout.addWidget(self.quote_label)
        layout.addWidget(self.total_label)
        layout.addWidget(self.flag_label)
        layout.addWidget(self.problem_label)
        layout.addLayout(buttons)

        self._quote_timer = QTimer(self)
        self._quote_timer.setSingleShot(True)
        self._quote_timer.setInterval(QUOTE_DELAY_MS)
        self._quote_timer.timeout.connect(self._ask_quote)
        self.product_edit.textChanged.connect(self._changed)
        self.phone_edit.textChanged.connect(self._changed)
        self.quantity_spin.valueChanged.connect(self._changed)
        self.reason_combo.currentIndexChanged.connect(lambda _i: self._render())
        self.name_edit.textChanged.connect(lambda _t: self._render())
        self.product_edit.returnPressed.connect(self._ask_quote)
        self.take_shortcuts = [QShortcut(QKeySequence(k), self) for k in ("Ctrl+Return", "Ctrl+Enter")]
        for item in self.take_shortcuts:
            item.activated.connect(self.take)

        self.retranslate_ui()
        self._render()
        self.product_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._tasks.run(self._load_reference, on_done=self._on_reference, on_error=self._on_quote_failed,
                        key=("blind-reference", self._key))

    # ------------------------------------------------------------------ reference data
    def _load_reference(self) -> tuple[list[ReasonView], tuple[str, ...]]:
        reasons = [r for r in self._api.settings.list_reasons() if r.active]
        policy = self._api.settings.active_policy()
        return reasons, tuple(policy.rules.required_conditions)

    def _on_reference(self, loaded: tuple[list[ReasonView], tuple[str, ...]]) -> None:
        reasons, conditions = loaded
        chinese = QLocale().language() == QLocale.Language.Chinese
        self.reason_combo.blockSignals(True)
        self.reason_combo.clear()
        for reason in reasons:
            self.reason_combo.addItem(reason.name_zh if chinese and reason.name_zh else reason.name_en, reason.code)
        self.reason_combo.setCurrentIndex(-1)
        self.reason_combo.blockSignals(False)
        for code in conditions:
            box = QCheckBox(tr_condition(code).capitalize())
            box.setObjectName(f"blind_condition_{code}")
            self.conditions_row.addWidget(box)
            self.condition_boxes.append((code, box))
        self.conditions_row.addStretch(1)
        self._render()

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Return without a receipt"))
        self.intro_label.setText(self.tr(
            "No sale can be found: the item is refunded at the lowest price it sold for recently, as store "
            "credit only, and a supervisor signs off on this screen. The return is kept in the customer's "
            "history as one without a receipt."))
        self.product_label.setText(self.tr("&Item:"))
        self.product_edit.setPlaceholderText(self.tr("Scan the item's barcode or type its SKU"))
        self.quantity_label.setText(self.tr("&Quantity:"))
        self.reason_label.setText(self.tr("&Reason:"))
        self.conditions_label.setText(self.tr("Checked:"))
        self.phone_label.setText(self.tr("Customer's &phone:"))
        self.phone_edit.setPlaceholderText(self.tr("Required: the return is kept in the customer's history"))
        self.name_label.setText(self.tr("Customer's &name:"))
        self.take_button.setText(self.tr("Take the return ({key})").format(key=_native("Ctrl+Enter")))
        self.cancel_button.setText(self.tr("Cancel"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "take_button"):
            self.retranslate_ui()
            self._render()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.focusNextChild()  # Enter moves on; it never takes the return by itself
            event.accept()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ the quote
    def accept_scan(self, text: str) -> bool:
        """Scanner router hook: a scan while the window is open is the item."""
        code = text.strip()
        if not code:
            return False
        self.product_edit.setText(code)
        self._ask_quote()
        self.quantity_spin.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _changed(self, *_args: object) -> None:
        self._revision += 1
        self._quote_timer.start()
        self._render()

    def _ask_quote(self) -> None:
        self._quote_timer.stop()
        product = self.product_edit.text().strip()
        if not product:
            self._quote = None
            self._quote_problem = ""
            self._render()
            return
        revision = self._revision
        self._tasks.run(self._api.counter.quote_blind_return, product, quantity=self.quantity_spin.value(),
                        customer_phone=self.phone_edit.text().strip() or None,
                        on_done=lambda quote: self._on_quote(revision, quote), on_error=self._on_quote_failed,
                        key=("blind-quote", self._key))

    def _on_quote(self, revision: int, quote: BlindQuote) -> None:
        if revision != self._revision:
            return
        self._quote = quote
        self._quote_problem = ""
        self._render()
        self.quoted.emit(quote)

    def _on_quote_failed(self, error: BaseException) -> None:
        self._quote = None
        self._quote_problem = self._report(error, self.tr("pricing the item"))
        self._render()

    def _report(self, error: BaseException, doing: str) -> str:
        if isinstance(error, ReturnDeskError):
            return self._errors.report(error, context=doing).message
        return self._errors.present(error, context=doing).message

    def _render(self) -> None:
        quote = self._quote
        chinese = QLocale().language() == QLocale.Language.Chinese
        if quote is None:
            self.quote_label.setText(self.tr("Scan the item to see what is refunded."))
            self.total_label.setText("")
            self.flag_label.setVisible(False)
        else:
            name = quote.product_name_zh if chinese and quote.product_name_zh else quote.product_name
            price = format_money(quote.unit_price_minor, quote.currency)
            if quote.lowest_sold_minor is not None and quote.lowest_sold_minor <= quote.list_price_minor:
                sold = format_day(quote.lowest_sold_at) if quote.lowest_sold_at is not None else ""
                why = self.tr("{price} each: the lowest price of the last {days} days (sold {day}); today's "
                              "price is {list}.").format(price=price, days=quote.days, day=sold,
                                                         list=format_money(quote.list_price_minor, quote.currency))
            else:
                why = self.tr("{price} each: today's price; it did not sell for less in the last {days} "
                              "days.").format(price=price, days=quote.days)
            self.quote_label.setText(self.tr("{name} ({sku}). {why}").format(name=name, sku=quote.sku, why=why))
            self.total_label.setText(self.tr("Store credit: {amount}").format(
                amount=format_money(quote.total_minor, quote.currency)))
            if quote.customer_id is not None:
                self.name_edit.setText(quote.customer_name or "")
            self.name_edit.setReadOnly(quote.customer_id is not None)
            earlier = quote.earlier_no_receipt
            self.flag_label.setText(self.tr(
                "{name} returned {count} item(s) without a receipt before.").format(
                name=quote.customer_name or "", count=earlier) if earlier else "")
            self.flag_label.setVisible(bool(earlier))
        problems = self._blockers()
        self.problem_label.setText("\n".join(problems) if (self._quote_problem or self.product_edit.text()) else "")
        self.problem_label.setVisible(bool(self.problem_label.text()))
        self.take_button.setEnabled(not problems)
        self.take_button.setToolTip("\n".join(problems))

    def _blockers(self) -> list[str]:
        found = []
        if self._quote_problem:
            found.append(self._quote_problem)
        elif self._quote is None:
            found.append(self.tr("Scan the item's barcode or type its SKU."))
        if self.reason_combo.currentIndex() < 0:
            found.append(self.tr("Choose the reason."))
        if not self.phone_edit.text().strip():
            found.append(self.tr("Type the customer's phone number."))
        elif self._quote is not None and self._quote.customer_id is None and not self.name_edit.text().strip():
            found.append(self.tr("No customer has this phone yet: type the customer's name."))
        return found

    # ------------------------------------------------------------------ taking it
    def draft(self) -> BlindDraft:
        return BlindDraft(
            product=self.product_edit.text().strip(), quantity=self.quantity_spin.value(),
            reason_code=str(self.reason_combo.currentData() or ""), customer_phone=self.phone_edit.text().strip(),
            customer_name=self.name_edit.text().strip() or None,
            conditions_met=frozenset(code for code, box in self.condition_boxes if box.isChecked()),
        )

    def take(self) -> None:
        """Ctrl+Enter: a supervisor signs off, then the return is taken and refunded."""
        problems = self._blockers()
        if problems:
            self.problem_label.setText("\n".join(problems))
            self.problem_label.setVisible(True)
            return
        quote = self._quote
        assert quote is not None
        draft = self.draft()
        what = self.tr("Return without a receipt: {quantity} × {sku}, store credit {amount}.").format(
            quantity=draft.quantity, sku=quote.sku, amount=format_money(quote.total_minor, quote.currency))

        def submit(sign_off: SignOff) -> CounterResult:
            return self._api.counter.blind_return(draft, sign_off)

        dialog = SupervisorSignOffDialog(self._tasks, submit, what, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.signed_off.connect(self._on_taken)
        self.sign_off_dialog = dialog
        dialog.open()
        self.sign_off_requested.emit(dialog)

    def _on_taken(self, result: CounterResult) -> None:
        self.taken.emit(result)
        self.accept()


__all__ = ["BlindReturnDialog"]
