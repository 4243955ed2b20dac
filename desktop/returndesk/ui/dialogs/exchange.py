"""The exchange at the counter (柜台换货): the customer takes replacement goods for an approved return.

Opened from the counter's result panel, and from anywhere else that has an RMA, with
:func:`open_exchange` (``open_exchange(parent, api, rma_no)``). It shows the credit the returned
goods bring, suggests what the customer brought back and its other sizes and colours, and finds any
other product by a scan or a search (barcode, SKU or part of the name). The clerk puts the
replacement together (quantities, Delete takes a line off), sees the difference at once — what the
customer pays and how, or what the shop gives back and how — chooses whether the goods are handed
over now or shipped with a packing slip, and confirms: the services reserve the stock, settle the
difference and hand over (``exchange.exchange_at_counter``), all or nothing. A customer who changed
their mind and wants the money back is recorded from here too (two presses: the second confirms).
For a return exchanged already it shows the replacement: what the customer still owes is collected
here, and a reserved replacement is marked handed over or shipped.

Keyboard: a scan anywhere adds the scanned product; Enter in the search finds; Enter on a found
product adds one; Delete removes the chosen replacement line; Ctrl+Enter exchanges; Ctrl+P prints
the packing slip after a shipped exchange; Esc closes.

Signals (tests, the caller): ``case_loaded(ExchangeCase)``, ``products_found(int)``,
``exchanged(ExchangeResult)``, ``changed_mind(ReturnDetail)``, ``refused(str)``,
``document_printed(str)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import ExchangeCase, ExchangeResult, ProductChoice, ReplacementView, ReturnDetail
from returndesk.domain.errors import ReturnDeskError
from returndesk.domain.money import format_money
from returndesk.domain.types import CollectMethod, DocumentType, Fulfilment, RefundMethod
from returndesk.ui import help
from returndesk.ui.document_folder import DocumentPrinter, PrintedDocument, folder_printer
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.i18n import display_name, tr_refund_method
from returndesk.ui.tasks import TaskRunner

PROBLEM_STYLE = "color: #b00020;"
HINT_STYLE = "color: palette(mid);"
_ENTER_KEYS = frozenset({int(Qt.Key.Key_Return), int(Qt.Key.Key_Enter)})


def _native(sequence: str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


def _chinese() -> bool:
    return QLocale().language() == QLocale.Language.Chinese


@dataclass
class _Pick:
    """One product of the replacement being put together."""

    product: ProductChoice
    quantity: int


class ExchangeDialog(QDialog):
    """See the module documentation. ``printer``: where the packing slip goes (default: a PDF in
    the station's counter output folder)."""

    case_loaded = Signal(object)
    products_found = Signal(int)
    exchanged = Signal(object)
    changed_mind = Signal(object)
    replacement_changed = Signal(object)
    refused = Signal(str)
    document_printed = Signal(str)

    CHOICE_COLUMNS = 5  # product, SKU, variant, price, available
    PICK_COLUMNS = 4  # product, quantity, price, amount

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, rma_no: str, parent: QWidget | None = None, *,
                 printer: DocumentPrinter | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.EXCHANGES)
        self.setObjectName("exchange_dialog")
        self.setModal(True)
        self.setMinimumSize(1040, 640)
        self._api = api
        self._tasks = tasks
        self._rma = rma_no
        self._printer = printer or folder_printer(api, "counter")
        self._errors = ErrorPresenter(self)
        self._key = id(self)
        self._case: ExchangeCase | None = None
        self._choices: list[ProductChoice] = []
        self._showing_found = False
        self._picks: list[_Pick] = []
        self._result: ExchangeResult | None = None
        self._confirming_mind = False
        self._busy = False
        self._build()
        self.retranslate_ui()
        self._render()
        self.load()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.header_label = QLabel()
        self.header_label.setObjectName("exchange_header_label")
        font = self.header_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.header_label.setFont(font)
        self.returned_label = QLabel()
        self.returned_label.setObjectName("exchange_returned_label")
        self.returned_label.setWordWrap(True)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("exchange_problem_label")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(PROBLEM_STYLE)
        # A replacement made already (from the return's page, or shipped later): its state, the
        # difference still owed, and handing it over.
        self.replacement_label = QLabel()
        self.replacement_label.setObjectName("replacement_label")
        self.replacement_label.setWordWrap(True)
        self.collect_now_combo = QComboBox()
        self.collect_now_combo.setObjectName("collect_now_combo")
        self.collect_now_button = QPushButton()
        self.collect_now_button.setObjectName("collect_now_button")
        self.collect_now_button.setAutoDefault(False)
        self.collect_now_button.clicked.connect(self.collect_outstanding)
        self.fulfil_button = QPushButton()
        self.fulfil_button.setObjectName("fulfil_button")
        self.fulfil_button.setAutoDefault(False)
        self.fulfil_button.clicked.connect(self.fulfil)
        replacement_row = QHBoxLayout()
        replacement_row.addWidget(self.replacement_label, 1)
        replacement_row.addWidget(self.collect_now_combo)
        replacement_row.addWidget(self.collect_now_button)
        replacement_row.addWidget(self.fulfil_button)
        self.changed_mind_button = QPushButton()
        self.changed_mind_button.setObjectName("changed_mind_button")
        self.changed_mind_button.clicked.connect(self.record_changed_mind)

        # --- finding goods
        self.search_label = QLabel()
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("product_search_edit")
        self.search_edit.setMinimumWidth(260)
        self.search_edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        self.search_label.setBuddy(self.search_edit)
        self.search_edit.returnPressed.connect(self.find_products)
        self.find_button = QPushButton()
        self.find_button.setObjectName("product_find_button")
        self.find_button.clicked.connect(self.find_products)
        self.choices_title_label = QLabel()
        self.choices_title_label.setObjectName("choices_title_label")
        self.choices_view = QTableWidget(0, self.CHOICE_COLUMNS)
        self.choices_view.setObjectName("choices_view")
        self._table(self.choices_view)
        self.choices_view.cellDoubleClicked.connect(lambda row, _col: self.add_choice(row))
        self.choices_view.installEventFilter(self)
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_choice_button")
        self.add_button.clicked.connect(lambda: self.add_choice(self.choices_view.currentRow()))

        # --- the replacement
        self.picks_box = QGroupBox()
        self.picks_box.setObjectName("picks_box")
        self.picks_view = QTableWidget(0, self.PICK_COLUMNS)
        self.picks_view.setObjectName("picks_view")
        self._table(self.picks_view)
        self.picks_view.installEventFilter(self)
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("remove_pick_button")
        self.remove_button.clicked.connect(self.remove_current_pick)
        self.value_label = QLabel()
        self.value_label.setObjectName("value_label")
        self.credit_label = QLabel()
        self.credit_label.setObjectName("credit_label")
        self.difference_label = QLabel()
        self.difference_label.setObjectName("difference_label")
        font = self.difference_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.difference_label.setFont(font)
        self.collect_label = QLabel()
        self.collect_combo = QComboBox()
        self.collect_combo.setObjectName("collect_method_combo")
        self.collect_label.setBuddy(self.collect_combo)
        self.refund_label = QLabel()
        self.refund_combo = QComboBox()
        self.refund_combo.setObjectName("refund_method_combo")
        self.refund_label.setBuddy(self.refund_combo)
        self.hand_over_radio = QRadioButton()
        self.hand_over_radio.setObjectName("hand_over_radio")
        self.hand_over_radio.setChecked(True)
        self.ship_radio = QRadioButton()
        self.ship_radio.setObjectName("ship_radio")
        self.fulfilment_group = QButtonGroup(self)
        self.fulfilment_group.addButton(self.hand_over_radio)
        self.fulfilment_group.addButton(self.ship_radio)
        self.fulfilment_label = QLabel()

        self.settle_form = QFormLayout()
        self.settle_form.addRow(self.value_label)
        self.settle_form.addRow(self.credit_label)
        self.settle_form.addRow(self.difference_label)
        self.settle_form.addRow(self.collect_label, self.collect_combo)
        self.settle_form.addRow(self.refund_label, self.refund_combo)
        fulfil_row = QHBoxLayout()
        fulfil_row.addWidget(self.hand_over_radio)
        fulfil_row.addWidget(self.ship_radio)
        fulfil_row.addStretch(1)
        self.settle_form.addRow(self.fulfilment_label, fulfil_row)

        picks_layout = QVBoxLayout(self.picks_box)
        picks_layout.addWidget(self.picks_view, 1)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_button)
        picks_layout.addLayout(remove_row)
        picks_layout.addLayout(self.settle_form)

        self.confirm_button = QPushButton()
        self.confirm_button.setObjectName("exchange_confirm_button")
        self.confirm_button.setDefault(False)
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.clicked.connect(self.confirm)
        self.close_button = QPushButton()
        self.close_button.setObjectName("exchange_close_button")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        self.status_label = QLabel()
        self.status_label.setObjectName("exchange_status_label")
        self.status_label.setWordWrap(True)

        search_row = QHBoxLayout()
        search_row.addWidget(self.search_label)
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.find_button)
        choices_side = QVBoxLayout()
        choices_side.addLayout(search_row)
        choices_side.addWidget(self.choices_title_label)
        choices_side.addWidget(self.choices_view, 1)
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        choices_side.addLayout(add_row)
        middle = QHBoxLayout()
        middle.addLayout(choices_side, 11)
        middle.addWidget(self.picks_box, 9)
        head_row = QHBoxLayout()
        head_row.addWidget(self.header_label, 1)
        head_row.addWidget(self.changed_mind_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.close_button)

        self.form_page = QWidget()
        self.form_page.setObjectName("exchange_form_page")
        form_layout = QVBoxLayout(self.form_page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addLayout(head_row)
        form_layout.addWidget(self.returned_label)
        form_layout.addWidget(self.problem_label)
        form_layout.addLayout(replacement_row)
        form_layout.addLayout(middle, 1)
        form_layout.addLayout(buttons)

        # --- after the exchange
        self.result_page = QWidget()
        self.result_page.setObjectName("exchange_result_page")
        self.result_title_label = QLabel()
        self.result_title_label.setObjectName("exchange_result_title_label")
        self.result_title_label.setFont(self.header_label.font())
        self.result_label = QLabel()
        self.result_label.setObjectName("exchange_result_label")
        self.result_label.setWordWrap(True)
        bigger = self.result_label.font()
        bigger.setPointSizeF(bigger.pointSizeF() * 1.2)
        self.result_label.setFont(bigger)
        self.result_goods_label = QLabel()
        self.result_goods_label.setObjectName("exchange_result_goods_label")
        self.result_goods_label.setWordWrap(True)
        self.result_goods_label.setFont(bigger)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_slip_button = QPushButton()
        self.print_slip_button.setObjectName("print_slip_button")
        self.print_slip_button.clicked.connect(self.print_packing_slip)
        self.print_status_label = QLabel()
        self.print_status_label.setObjectName("exchange_print_status_label")
        self.print_status_label.setWordWrap(True)
        self.done_button = QPushButton()
        self.done_button.setObjectName("exchange_done_button")
        self.done_button.clicked.connect(self.accept)
        result_buttons = QHBoxLayout()
        result_buttons.addWidget(self.print_slip_button)
        result_buttons.addWidget(self.done_button)
        result_buttons.addStretch(1)
        card = QFrame()
        card.setObjectName("exchange_result_card")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(24, 20, 24, 20)
        card_layout.setSpacing(12)
        card_layout.addWidget(self.result_title_label)
        card_layout.addWidget(self.result_goods_label)
        card_layout.addWidget(self.result_label)
        card_layout.addSpacing(8)
        card_layout.addLayout(result_buttons)
        card_layout.addWidget(self.print_status_label)
        result_layout = QVBoxLayout(self.result_page)
        result_layout.addStretch(1)
        result_layout.addWidget(card)
        result_layout.addStretch(2)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.form_page)
        self.pages.addWidget(self.result_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

        self.confirm_shortcuts = [QShortcut(QKeySequence(k), self) for k in ("Ctrl+Return", "Ctrl+Enter")]
        for item in self.confirm_shortcuts:
            item.activated.connect(self.confirm)
        self.print_shortcut = QShortcut(QKeySequence("Ctrl+P"), self)
        self.print_shortcut.activated.connect(self._on_print_shortcut)
        self.search_shortcut = QShortcut(QKeySequence("F2"), self)
        self.search_shortcut.activated.connect(self._focus_search)
        for widget in (self.collect_combo, self.refund_combo):
            widget.currentIndexChanged.connect(lambda _i: self._render())
        self.fulfilment_group.buttonToggled.connect(lambda *_a: self._render())

    @staticmethod
    def _table(view: QTableWidget) -> None:
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        view.setAlternatingRowColors(True)

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Exchange {rma}").format(rma=self._rma))
        self.search_label.setText(self.tr("&Find goods:"))
        self.search_edit.setPlaceholderText(self.tr("Scan or type a barcode, SKU or part of the name"))
        self.find_button.setText(self.tr("Find"))
        self.add_button.setText(self.tr("Add to the replacement (Enter)"))
        self.picks_box.setTitle(self.tr("Replacement"))
        self.remove_button.setText(self.tr("Remove (Del)"))
        self.collect_label.setText(self.tr("Customer &pays by:"))
        self.refund_label.setText(self.tr("&Refund by:"))
        self.fulfilment_label.setText(self.tr("Goods:"))
        self.hand_over_radio.setText(self.tr("&Hand over now"))
        self.ship_radio.setText(self.tr("&Ship later (packing slip)"))
        self.close_button.setText(self.tr("Close"))
        self.done_button.setText(self.tr("Done"))
        self.print_slip_button.setText(self.tr("Print packing slip ({key})").format(key=_native("Ctrl+P")))
        self.choices_view.setHorizontalHeaderLabels([
            self.tr("Product"), self.tr("SKU"), self.tr("Size / colour"), self.tr("Price"), self.tr("Available")])
        self.picks_view.setHorizontalHeaderLabels([
            self.tr("Product"), self.tr("Quantity"), self.tr("Price"), self.tr("Amount")])
        current_collect = self.collect_combo.currentData()
        self.collect_combo.blockSignals(True)
        self.collect_combo.clear()
        for method in (self._case.collect_methods if self._case else [m.value for m in CollectMethod]):
            self.collect_combo.addItem(display_name(CollectMethod, method), method)
        if current_collect is not None:
            self.collect_combo.setCurrentIndex(max(self.collect_combo.findData(current_collect), 0))
        self.collect_combo.blockSignals(False)
        current_now = self.collect_now_combo.currentData()
        self.collect_now_combo.clear()
        for method in (self._case.collect_methods if self._case else [m.value for m in CollectMethod]):
            self.collect_now_combo.addItem(display_name(CollectMethod, method), method)
        if current_now is not None:
            self.collect_now_combo.setCurrentIndex(max(self.collect_now_combo.findData(current_now), 0))
        current_refund = self.refund_combo.currentData()
        self.refund_combo.blockSignals(True)
        self.refund_combo.clear()
        for method in (self._case.refund_methods if self._case else [m.value for m in RefundMethod]):
            self.refund_combo.addItem(tr_refund_method(method), method)
        wanted = current_refund or (self._case.detail.refund_method if self._case else None)
        if wanted is not None:
            self.refund_combo.setCurrentIndex(max(self.refund_combo.findData(wanted), 0))
        self.refund_combo.blockSignals(False)
        self._fill_choices()
        self._fill_picks()
        self._render()
        if self._result is not None:
            self._show_result(self._result)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "pages"):
            self.retranslate_ui()
        super().changeEvent(event)

    # ------------------------------------------------------------------ loading
    def load(self) -> None:
        """Read the return as the dialog shows it (again after a change)."""
        self.status_label.setText(self.tr("Opening {rma}…").format(rma=self._rma))
        self.status_label.setStyleSheet(HINT_STYLE)
        self._tasks.run(self._api.exchange.get_exchange_case, self._rma, on_done=self._on_case,
                        on_error=self._on_load_failed, key=("exchange-case", self._key))

    def _on_case(self, case: ExchangeCase) -> None:
        self._case = case
        self._rma = case.rma_no
        self._confirming_mind = False
        if not self._showing_found:
            self._choices = list(case.suggestions)
        self.status_label.setText("")
        self.retranslate_ui()
        self.case_loaded.emit(case)
        if case.can_exchange:
            self.choices_view.setFocus(Qt.FocusReason.OtherFocusReason)
            if self._choices:
                self.choices_view.selectRow(0)

    def _on_load_failed(self, error: BaseException) -> None:
        self._say(self._report(error, self.tr("opening the return")), problem=True)

    # ------------------------------------------------------------------ showing
    def _name(self, product: ProductChoice) -> str:
        return product.name_zh if _chinese() and product.name_zh else product.name

    def _fill_choices(self) -> None:
        view = self.choices_view
        view.setRowCount(len(self._choices))
        currency = self._currency()
        for row, product in enumerate(self._choices):
            values = [self._name(product), product.sku, product.variant or "—",
                      format_money(product.price_minor, currency), str(product.available)]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if product.available <= 0:
                    item.setForeground(Qt.GlobalColor.gray)
                view.setItem(row, column, item)
        view.resizeColumnsToContents()
        view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.choices_title_label.setText(
            self.tr("Found: {count}").format(count=len(self._choices)) if self._showing_found
            else self.tr("What the customer brought back, and its other sizes and colours"))

    def _fill_picks(self) -> None:
        view = self.picks_view
        currency = self._currency()
        view.setRowCount(len(self._picks))
        for row, pick in enumerate(self._picks):
            product = pick.product
            label = self._name(product) + (f" · {product.variant}" if product.variant else "")
            view.setItem(row, 0, QTableWidgetItem(label))
            spin = view.cellWidget(row, 1)
            if not isinstance(spin, QSpinBox):
                spin = QSpinBox()
                spin.setObjectName(f"pick_quantity_{row}")
                spin.valueChanged.connect(self._on_quantity_changed)
                view.setCellWidget(row, 1, spin)
            spin.blockSignals(True)
            spin.setRange(1, max(product.available, pick.quantity, 1))
            spin.setValue(pick.quantity)
            spin.blockSignals(False)
            for column, value in ((2, product.price_minor), (3, product.price_minor * pick.quantity)):
                item = QTableWidgetItem(format_money(value, currency))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                view.setItem(row, column, item)
        view.resizeColumnsToContents()
        view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _currency(self) -> str:
        return self._case.detail.currency if self._case is not None else "CNY"

    def value_minor(self) -> int:
        """What the replacement on screen is worth."""
        return sum(p.product.price_minor * p.quantity for p in self._picks)

    def difference_minor(self) -> int:
        """> 0: the customer pays; < 0: the shop refunds (what the services will settle)."""
        credit = self._case.credit_minor if self._case is not None else 0
        return self.value_minor() - credit

    def _render(self) -> None:
        case = self._case
        currency = self._currency()
        if case is None:
            self.header_label.setText(self.tr("Exchange {rma}").format(rma=self._rma))
            self.returned_label.setText("")
            self.problem_label.setVisible(False)
            self.changed_mind_button.setVisible(False)
            self.confirm_button.setEnabled(False)
            self.confirm_button.setText(self.tr("Exchange ({key})").format(key=_native("Ctrl+Enter")))
            return
        detail = case.detail
        customer = detail.customer_name or self.tr("Walk-in customer")
        self.header_label.setText(self.tr("Exchange {rma} · {customer}").format(rma=detail.rma_no, customer=customer))
        wanted = set(case.exchange_line_ids)
        lines = []
        for line in detail.lines:
            name = line.product_name_zh if _chinese() and line.product_name_zh else line.product_name
            quantity = line.qty_accepted or line.qty_requested
            if line.id in wanted:
                how = self.tr("asks for an exchange")
            elif line.changed_mind_at is not None:
                how = self.tr("changed their mind: refund")
            else:
                how = self.tr("refund")
            lines.append(self.tr("{quantity} × {name} ({sku}) · {amount} · {how}").format(
                quantity=quantity, name=name, sku=line.sku, amount=format_money(line.refund_minor, currency), how=how))
        self.returned_label.setText("\n".join(lines))
        self._render_replacement(case)
        problem = "" if case.can_exchange or case.replacement is not None else (case.why_not_exchange or "")
        self.problem_label.setText(problem)
        self.problem_label.setVisible(bool(problem))
        self.changed_mind_button.setVisible(case.can_change_mind)
        self.changed_mind_button.setText(
            self.tr("Press again to confirm: refund instead of exchange") if self._confirming_mind
            else self.tr("Customer wants the money back"))
        self.changed_mind_button.setToolTip(self.tr(
            "The customer changed their mind at the counter: the exchange lines become refund lines "
            "(recorded with your name and the time)."))

        value = self.value_minor()
        difference = self.difference_minor()
        self.value_label.setText(self.tr("Replacement: {amount}").format(amount=format_money(value, currency)))
        self.credit_label.setText(self.tr("Credit from the returned goods: {amount}").format(
            amount=format_money(case.credit_minor, currency)))
        collect = bool(self._picks) and difference > 0
        refund = bool(self._picks) and difference < 0
        if not self._picks:
            self.difference_label.setText(self.tr("Choose the replacement goods."))
        elif collect:
            self.difference_label.setText(self.tr("The customer pays {amount}").format(
                amount=format_money(difference, currency)))
        elif refund:
            self.difference_label.setText(self.tr("The shop refunds {amount}").format(
                amount=format_money(-difference, currency)))
        else:
            self.difference_label.setText(self.tr("Even exchange: nothing to pay"))
        self.settle_form.setRowVisible(self.collect_combo, collect)
        self.settle_form.setRowVisible(self.refund_combo, refund)
        self.remove_button.setEnabled(bool(self._picks) and self.picks_view.currentRow() >= 0)
        self.add_button.setEnabled(case.can_exchange and self.choices_view.currentRow() >= 0)
        key = _native("Ctrl+Enter")
        blockers = self._blockers()
        self.confirm_button.setEnabled(not blockers and not self._busy)
        self.confirm_button.setToolTip("\n".join(blockers))
        if collect:
            self.confirm_button.setText(self.tr("Take {amount} and exchange ({key})").format(
                amount=format_money(difference, currency), key=key))
        else:
            self.confirm_button.setText(self.tr("Exchange ({key})").format(key=key))

    def _render_replacement(self, case: ExchangeCase) -> None:
        ro = case.replacement
        visible = ro is not None
        for widget in (self.replacement_label, self.collect_now_combo, self.collect_now_button, self.fulfil_button):
            widget.setVisible(visible)
        if ro is None:
            return
        currency = case.detail.currency
        state = {"reserved": self.tr("reserved, not handed over yet"), "fulfilled": self.tr("handed over"),
                 "cancelled": self.tr("cancelled")}.get(ro.status, ro.status)
        how = display_name(Fulfilment, ro.fulfilment) if ro.fulfilment else ""
        text = self.tr("Replacement {order}: {value}, {state}.").format(
            order=ro.order_no, value=format_money(ro.value_minor, currency), state=state)
        if how:
            text += " " + self.tr("Delivery: {how}.").format(how=how)
        owed = ro.outstanding_minor
        if owed:
            text += " " + self.tr("The customer still owes {amount}.").format(amount=format_money(owed, currency))
        self.replacement_label.setText(text)
        self.collect_now_combo.setVisible(bool(owed))
        self.collect_now_button.setVisible(bool(owed))
        self.collect_now_button.setText(self.tr("Collect {amount}").format(amount=format_money(owed, currency)))
        self.fulfil_button.setVisible(case.can_fulfil)
        self.fulfil_button.setText(self.tr("Handed over / shipped"))
        self.fulfil_button.setToolTip(self.tr(
            "The replacement left the shop: handed to the customer, or shipped with its packing slip"))
        for widget in (self.collect_now_button, self.fulfil_button):
            widget.setEnabled(not self._busy)

    def collect_outstanding(self) -> None:
        """The customer pays what the replacement still owes, by the method chosen beside."""
        case = self._case
        if case is None or case.replacement is None or self._busy:
            return
        self._busy = True
        self._tasks.run(self._api.exchange.collect_difference, case.replacement.order_no,
                        self.collect_now_combo.currentData(), on_done=self._on_replacement_changed,
                        on_error=self._on_action_failed, key=("exchange-act", self._key))

    def fulfil(self) -> None:
        """The reserved replacement left the shop (handed over, or shipped)."""
        case = self._case
        if case is None or case.replacement is None or self._busy:
            return
        self._busy = True
        self._tasks.run(self._api.exchange.fulfil_replacement, case.replacement.order_no,
                        on_done=self._on_replacement_changed, on_error=self._on_action_failed,
                        key=("exchange-act", self._key))

    def _on_replacement_changed(self, replacement: ReplacementView) -> None:
        self._busy = False
        self._say(self.tr("Replacement {order} saved.").format(order=replacement.order_no))
        self.replacement_changed.emit(replacement)
        self.load()

    def _blockers(self) -> list[str]:
        case = self._case
        if case is None:
            return [self.tr("The return is not loaded yet.")]
        if not case.can_exchange:
            return [case.why_not_exchange or self.tr("This return cannot be exchanged.")]
        if not self._picks:
            return [self.tr("Choose the replacement goods.")]
        short = [p for p in self._picks if p.quantity > p.product.available]
        if short:
            return [self.tr("Only {count} of {name} are available.").format(
                count=short[0].product.available, name=self._name(short[0].product))]
        return []

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(PROBLEM_STYLE if problem else HINT_STYLE)

    def _report(self, error: BaseException, doing: str) -> str:
        if isinstance(error, ReturnDeskError):
            return self._errors.report(error, context=doing).message
        return self._errors.present(error, context=doing).message

    # ------------------------------------------------------------------ choosing goods
    def _focus_search(self) -> None:
        if self.pages.currentWidget() is self.form_page:
            self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.search_edit.selectAll()

    def accept_scan(self, text: str) -> bool:
        """Scanner router hook: a scan while the dialog is open finds the product and adds it."""
        code = text.strip()
        if not code:
            return False
        if self.pages.currentWidget() is not self.form_page:
            return True
        self.search_edit.setText(code)
        self.find_products(add_exact=True)
        return True

    def find_products(self, add_exact: bool = False) -> None:
        """Search the field's text; with ``add_exact`` (a scan) a product whose barcode or SKU is
        exactly the text is added at once."""
        text = self.search_edit.text().strip()
        if not text:
            self._showing_found = False
            self._choices = list(self._case.suggestions) if self._case else []
            self._fill_choices()
            return
        self._say(self.tr("Looking for “{text}”…").format(text=text))
        self._tasks.run(self._api.exchange.find_products, text,
                        on_done=lambda found: self._on_found(text, found, add_exact),
                        on_error=self._on_find_failed, busy=[self.find_button], key=("exchange-find", self._key))

    def _on_found(self, text: str, found: list[ProductChoice], add_exact: bool) -> None:
        self._showing_found = True
        self._choices = list(found)
        self._fill_choices()
        self.products_found.emit(len(found))
        if not found:
            self._say(self.tr("No product matches “{text}”. Check the code, or search by name.").format(text=text),
                      problem=True)
            self.search_edit.selectAll()
            return
        self._say("")
        exact = [i for i, p in enumerate(found) if text in (p.barcode, p.sku) or text.upper() == p.sku]
        if add_exact and len(exact) == 1:
            self.add_choice(exact[0])
            return
        self.choices_view.selectRow(exact[0] if exact else 0)
        self.choices_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_find_failed(self, error: BaseException) -> None:
        self._say(self._report(error, self.tr("finding the goods")), problem=True)

    def add_choice(self, row: int) -> None:
        """One more of the product in row ``row`` of the choices on the replacement."""
        case = self._case
        if case is None or not case.can_exchange or not 0 <= row < len(self._choices):
            return
        product = self._choices[row]
        index = next((i for i, pick in enumerate(self._picks) if pick.product.id == product.id), None)
        if index is not None:
            pick = self._picks[index]
            if pick.quantity >= product.available:
                self._say(self.tr("Only {count} of {name} are available.").format(
                    count=product.available, name=self._name(product)), problem=True)
                return
            pick.quantity += 1
        else:
            if product.available <= 0:
                self._say(self.tr("{name} is not available; choose another size or product.").format(
                    name=self._name(product)), problem=True)
                return
            self._picks.append(_Pick(product, 1))
            index = len(self._picks) - 1
        self._say(self.tr("{name} added.").format(name=self._name(product)))
        self._fill_picks()
        self.picks_view.selectRow(index)
        self._render()

    def set_quantity(self, row: int, quantity: int) -> None:
        """The quantity of replacement line ``row`` (0 removes it)."""
        if not 0 <= row < len(self._picks):
            return
        if quantity <= 0:
            del self._picks[row]
            self.picks_view.removeRow(row)
        else:
            self._picks[row].quantity = quantity
        self._fill_picks()
        self._render()

    def _on_quantity_changed(self, value: int) -> None:
        spin = self.sender()
        for row in range(self.picks_view.rowCount()):
            if self.picks_view.cellWidget(row, 1) is spin:
                self._picks[row].quantity = value
                amount = self._picks[row].product.price_minor * value
                item = QTableWidgetItem(format_money(amount, self._currency()))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.picks_view.setItem(row, 3, item)
        self._render()

    def remove_current_pick(self) -> None:
        row = self.picks_view.currentRow()
        if 0 <= row < len(self._picks):
            self.set_quantity(row, 0)

    def picks(self) -> list[tuple[str, int]]:
        """The replacement as the services take it: ``(SKU, quantity)``."""
        return [(p.product.sku, p.quantity) for p in self._picks]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            plain = (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier) == Qt.KeyboardModifier.NoModifier
            if watched is self.choices_view and plain and event.key() in _ENTER_KEYS:
                self.add_choice(self.choices_view.currentRow())
                return True
            if watched is self.picks_view and plain and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.remove_current_pick()
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ the customer changed their mind
    def record_changed_mind(self) -> None:
        """First press asks to confirm; the second records it (audited, with who and when)."""
        case = self._case
        if case is None or not case.can_change_mind or self._busy:
            return
        if not self._confirming_mind:
            self._confirming_mind = True
            self._render()
            return
        self._busy = True
        self._tasks.run(self._api.exchange.record_changed_mind, case.rma_no,
                        expected_version=case.detail.version, on_done=self._on_changed_mind,
                        on_error=self._on_action_failed, busy=[self.changed_mind_button, self.confirm_button],
                        key=("exchange-act", self._key))

    def _on_changed_mind(self, detail: ReturnDetail) -> None:
        self._busy = False
        self._confirming_mind = False
        self.changed_mind.emit(detail)
        self._say(self.tr("Recorded: the customer wants the money back; {rma} can now be refunded.").format(
            rma=detail.rma_no))
        self.load()

    # ------------------------------------------------------------------ exchanging
    def fulfilment(self) -> Fulfilment:
        return Fulfilment.SHIP if self.ship_radio.isChecked() else Fulfilment.COUNTER

    def confirm(self) -> None:
        """Ctrl+Enter: reserve, settle the difference and hand over (or keep to ship)."""
        case = self._case
        if case is None or self._busy or self.pages.currentWidget() is not self.form_page:
            return
        blockers = self._blockers()
        if blockers:
            self._say("\n".join(blockers), problem=True)
            self.refused.emit("\n".join(blockers))
            return
        difference = self.difference_minor()
        self._busy = True
        self._render()
        self._say(self.tr("Exchanging…"))
        self._tasks.run(
            self._api.exchange.exchange_at_counter, case.rma_no, self.picks(), fulfilment=self.fulfilment(),
            collect_method=self.collect_combo.currentData() if difference > 0 else None,
            refund_method=self.refund_combo.currentData() if difference < 0 else None,
            expected_version=case.detail.version, on_done=self._on_exchanged, on_error=self._on_action_failed,
            busy=[self.form_page], key=("exchange-act", self._key))

    def _on_action_failed(self, error: BaseException) -> None:
        self._busy = False
        self._confirming_mind = False
        message = self._report(error, self.tr("exchanging the return"))
        self._say(message, problem=True)
        self._render()
        self.refused.emit(message)
        self.load()  # stock or the return may have changed meanwhile

    def _on_exchanged(self, result: ExchangeResult) -> None:
        self._busy = False
        self._result = result
        self._show_result(result)
        self.pages.setCurrentWidget(self.result_page)
        (self.print_slip_button if self.print_slip_button.isVisible() else self.done_button).setFocus(
            Qt.FocusReason.OtherFocusReason)
        self.exchanged.emit(result)

    def _show_result(self, result: ExchangeResult) -> None:
        ro = result.replacement
        currency = result.detail.currency
        self.result_title_label.setText(self.tr("Exchanged: {order}").format(order=ro.order_no))
        parts = [self.tr(
            "Return {rma} is exchanged for goods worth {value}; the returned goods brought {credit}.").format(
            rma=result.detail.rma_no, value=format_money(ro.value_minor, currency),
            credit=format_money(ro.credit_minor, currency))]
        if ro.collected_minor:
            parts.append(self.tr("The customer paid {amount} by {method}.").format(
                amount=format_money(ro.collected_minor, currency),
                method=display_name(CollectMethod, ro.collected_method or "cash")))
        if result.refund is not None:
            parts.append(self.tr("Refunded {amount} by {method} ({refund}).").format(
                amount=format_money(result.refund.amount_minor, currency),
                method=tr_refund_method(result.refund.method), refund=result.refund.refund_no))
        ship = ro.fulfilment == Fulfilment.SHIP.value
        if ship:
            parts.append(self.tr("The goods are reserved and shipped later: print the packing slip for the parcel."))
        else:
            parts.append(self.tr("The goods were handed over at the counter."))
        self.result_label.setText("\n".join(parts))
        goods = [self.tr("{quantity} × {name} ({sku}) · {amount}").format(
            quantity=line.quantity, sku=line.sku,
            name=line.product_name_zh if _chinese() and line.product_name_zh else line.product_name,
            amount=format_money(line.value_minor, currency)) for line in ro.lines]
        self.result_goods_label.setText(self.tr("Replacement goods:") + "\n" + "\n".join(goods))
        self.print_slip_button.setVisible(ship)

    # ------------------------------------------------------------------ the packing slip
    def _on_print_shortcut(self) -> None:
        if self.pages.currentWidget() is self.result_page and self.print_slip_button.isVisible():
            self.print_packing_slip()

    def print_packing_slip(self) -> None:
        result = self._result
        if result is None:
            return
        lang = "zh_CN" if _chinese() else "en"
        self.print_status_label.setText(self.tr("Printing…"))
        self._tasks.run(self._printer, DocumentType.PACKING_SLIP, result.replacement.order_no, lang,
                        on_done=self._on_printed, on_error=self._on_print_failed, busy=[self.print_slip_button],
                        key=("exchange-print", self._key))

    def _on_printed(self, printed: PrintedDocument) -> None:
        self.print_status_label.setStyleSheet(HINT_STYLE)
        if printed.reprint:
            text = self.tr("Printed again (reprint {count}): {where}").format(
                count=printed.reprint, where=printed.where)
        else:
            text = self.tr("Printed: {where}").format(where=printed.where)
        self.print_status_label.setText(text)
        self.document_printed.emit(printed.where)

    def _on_print_failed(self, error: BaseException) -> None:
        self.print_status_label.setStyleSheet(PROBLEM_STYLE)
        self.print_status_label.setText(self._report(error, self.tr("printing the packing slip")))


def open_exchange(parent: QWidget | None, api: ReturnDeskApi, rma_no: str, *, tasks: TaskRunner | None = None,
                  printer: DocumentPrinter | None = None) -> ExchangeDialog:
    """Open the exchange dialog for ``rma_no`` (window-modal, not blocking) and return it.

    Connect ``exchanged`` / ``changed_mind`` to follow what happened; the dialog runs its calls on
    ``tasks`` (default: a runner of its own).
    """
    runner = tasks if tasks is not None else TaskRunner()
    dialog = ExchangeDialog(api, runner, rma_no, parent, printer=printer)
    if tasks is None:
        runner.setParent(dialog)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.open()
    return dialog


__all__ = ["ExchangeDialog", "open_exchange"]
