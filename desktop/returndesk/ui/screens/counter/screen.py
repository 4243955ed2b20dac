"""The counter clerk's return intake (柜台退货受理).

The clerk finds the sale — order number typed or scanned from the receipt, the customer's phone or
name — and sees its lines: bought, already returned, held by open returns, returnable, the price
paid, and the policy's verdict on each line in words. For each item the customer brings back the
clerk sets the quantity, the reason, refund or exchange, the conditions confirmed with the goods in
hand and notes; for the return, walk-in or remote and the refund method. Every change is judged by
the services a moment later (``intake.preview_return`` on the task runner, the newest request
wins): the verdicts and the expected refund with its deductions follow as the clerk types.

Submitting:

* **remote** — the RMA is issued and authorized (``intake.create_return`` then
  ``intake.authorize_return``); the return label is printed for the customer's parcel;
* **walk-in with the goods in hand** — ``counter.counter_return``: received at once and, when the
  items are simple, within the policy and within the clerk's limit, inspected, approved and
  refunded on the spot in the same transaction; then the counter receipt is printed. Otherwise the
  result says, in words, why it waits (for example for a supervisor's approval).

The return label and the counter receipt go to the station's printer for them when one is chosen
(the application's ``PrintService``, with its preview), else they are saved as PDF files in the
station's output folder (:mod:`.documents`): a PDF is always available.

The services refuse anything wrong whole (nothing is half written); their problems are shown next
to the lines they concern. Lines outside the policy need a supervisor's override with a reason:
users who may override type it in the field that appears, others are told to ask a supervisor.

Keyboard: F2 finds a sale, Enter moves to the next field (and activates a focused button),
Ctrl+PgDown / Ctrl+PgUp choose the next / previous line, Ctrl+Enter submits, Ctrl+P prints the
document of the result, Ctrl+N starts a new return. A scan anywhere on the screen is a search
(receipt barcode, RMA label); a scanned item barcode adds one unit to its line.

Signals for tests and the frame: ``sale_loaded(order_no)``, ``preview_updated(ReturnPreview or
None)`` (only for the draft as it is on screen), ``return_submitted(ReturnDetail or
CounterResult)``, ``submit_refused(message)``, ``document_printed(where)``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from returndesk.domain.errors import PolicyViolation, ReturnDeskError, ValidationFailed
from returndesk.domain.money import format_money
from returndesk.domain.permissions import Permission, can
from returndesk.domain.policy import PolicyRules
from returndesk.domain.scan import ItemScan, classify
from returndesk.domain.types import (
    ApprovalLevel,
    Channel,
    DocumentType,
    PolicyStatus,
    RefundMethod,
    ReturnStatus,
)
from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import (
    Actor,
    CounterResult,
    ExchangeResult,
    ReasonView,
    RefundResult,
    RemoteReturn,
    ReturnDetail,
    ReturnDraft,
    ReturnPreview,
    SaleSummary,
    SaleView,
    StoreCreditBalance,
)
from returndesk.ui.dialogs.exchange import ExchangeDialog, open_exchange
from returndesk.ui.dialogs.sign_off import SupervisorSignOffDialog
from returndesk.ui.printing import PrintService
from returndesk.ui.i18n import QT_TRANSLATE_NOOP, tr_approval_level, tr_refund_method
from returndesk.ui.scanner import ScanRouter
from returndesk.ui.station_screen import StationScreen
from returndesk.ui.screens.counter.blind import BlindReturnDialog
from returndesk.ui.screens.counter.documents import CounterPrinter, PrintedDocument, pdf_folder_printer
from returndesk.ui.screens.counter.models import (
    CounterLinesTableModel,
    CounterSalesTableModel,
    format_day,
    sale_channel_name,
)
from returndesk.ui.screens.counter.widgets import (
    HINT_STYLE,
    PROBLEM_STYLE,
    CounterResultPanel,
    ReturnEditorsPaneWidget,
    SaleLinesView,
    SalePaneWidget,
    SaleResultsView,
    SaleSearchPaneWidget,
    SubmitPaneWidget,
)
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.i18n import tr_message

if TYPE_CHECKING:
    from returndesk.ui.live import LiveUpdates

#: Pause after the last keystroke before the draft is judged again (the services answer fast;
#: this only spares them a request per key).
PREVIEW_DELAY_MS = 200
#: Pause before a sale changed elsewhere is read again.
REFRESH_DELAY_MS = 300
SEARCH_LIMIT = 20

_LINE_PROBLEM = re.compile(r"^Line (\d+)\b")
_ENTER_KEYS = frozenset({int(Qt.Key.Key_Return), int(Qt.Key.Key_Enter)})


def _native(sequence: QKeySequence | str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


#: How sales were paid (codes of the sales import), in words.
_PAYMENTS = {
    "card": QT_TRANSLATE_NOOP("CounterScreen", "card"),
    "cash": QT_TRANSLATE_NOOP("CounterScreen", "cash"),
    "wechat_pay": QT_TRANSLATE_NOOP("CounterScreen", "WeChat Pay"),
    "alipay": QT_TRANSLATE_NOOP("CounterScreen", "Alipay"),
    "cod": QT_TRANSLATE_NOOP("CounterScreen", "cash on delivery"),
    "bank_transfer": QT_TRANSLATE_NOOP("CounterScreen", "bank transfer"),
    "store_credit": QT_TRANSLATE_NOOP("CounterScreen", "store credit"),
}


def payment_words(code: str) -> str:
    """How a sale was paid, in words (an unknown code as it is, without underscores)."""
    source = _PAYMENTS.get(code)
    return QCoreApplication.translate("CounterScreen", source) if source else code.replace("_", " ")


# --------------------------------------------------------------------------- worker-side calls


@dataclass(frozen=True)
class LoadedSale:
    """A sale with what judging it needs, read in one task."""

    sale: SaleView
    reasons: tuple[ReasonView, ...]
    rules: PolicyRules | None


def load_sale(api: ReturnDeskApi, order_no: str) -> LoadedSale:
    """The sale, the active reasons and the policy in force (on a worker thread)."""
    sale = api.search.get_sale(order_no, channel=Channel.COUNTER)
    reasons = tuple(r for r in api.settings.list_reasons() if r.active)
    policy = api.settings.active_policy()
    return LoadedSale(sale, reasons, policy.rules if policy is not None else None)


# --------------------------------------------------------------------------- the screen


class CounterScreen(StationScreen):
    """The counter clerk's return intake; see the module documentation.

    ``scan_router``: the application's keyboard-wedge router (the main window hands it over with
    ``use_scan_router``). ``live``: the application's ``LiveUpdates`` (else the changes of
    this process are followed). ``print_service``: prints documents routed to a printer at this
    station (default: one made for the station of the services); ``printer``: where documents go
    when no printer is chosen for them (default: PDF files in the station's output folder, see
    :mod:`.documents`).
    """

    sale_loaded = Signal(str)
    sale_refreshed = Signal(str)
    search_finished = Signal(int)  # number of sales found
    preview_updated = Signal(object)  # ReturnPreview | None
    return_submitted = Signal(object)  # ReturnDetail (remote) | CounterResult (walk-in)
    sign_off_requested = Signal(object)  # the SupervisorSignOffDialog just opened
    exchange_opened = Signal(object)  # the ExchangeDialog just opened
    exchange_done = Signal(object)  # ExchangeResult
    blind_opened = Signal(object)  # the BlindReturnDialog just opened
    submit_refused = Signal(str)
    document_printed = Signal(str)

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 scan_router: ScanRouter | None = None, live: LiveUpdates | None = None,
                 print_service: PrintService | None = None, printer: CounterPrinter | None = None,
                 preview_delay_ms: int = PREVIEW_DELAY_MS) -> None:
        super().__init__(api, tasks, actor, parent)
        self.setObjectName("counter_screen")
        self._printer = printer or pdf_folder_printer(api)
        self._print_service = print_service if print_service is not None else self._station_print_service()
        self._printing = False  # a document of this screen is on its way to a printer or a file
        self._print_job: tuple[DocumentType, str, str] = (DocumentType.RETURN_LABEL, "", "en")
        if self._print_service is not None:
            self._print_service.document_printed.connect(self._on_print_service_document_printed)
            self._print_service.failed.connect(self._on_print_service_failed)
            self._print_service.declined.connect(self._on_print_service_declined)
        self._may_override = can(actor.role, Permission.OVERRIDE_POLICY)
        self._key = id(self)
        self._sale: SaleView | None = None
        self._query = ""
        self._revision = 0
        self._requested: tuple[int, dict[int, tuple]] | None = None
        self._preview: ReturnPreview | None = None
        self._preview_problem = ""
        self._submit_problems: list[str] = []
        self._submitting = False
        self._submitted_rows: list[int] = []
        self._result: CounterResult | RemoteReturn | None = None
        self._result_document: DocumentType | None = None
        self._prints = 0
        self._current_row: int | None = None
        self.sign_off_dialog: SupervisorSignOffDialog | None = None
        self.exchange_dialog: ExchangeDialog | None = None
        self.blind_dialog: BlindReturnDialog | None = None
        self._may_take_blind = all(can(actor.role, p) for p in (
            Permission.CREATE_RETURN, Permission.AUTHORIZE_RETURN, Permission.RECEIVE, Permission.INSPECT))

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(preview_delay_ms)
        self._preview_timer.timeout.connect(self._on_preview_timer_timeout)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._on_refresh_timer_timeout)

        self._build()
        self._build_shortcuts()
        self.retranslate_ui()
        self._render()

        self.use_scan_router(scan_router)
        self._start_following(live)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        # --- finding the sale
        self.search_pane = SaleSearchPaneWidget()
        self.find_label = self.search_pane.find_label
        self.search_edit = self.search_pane.search_edit
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        self.find_button = self.search_pane.find_button
        self.find_button.clicked.connect(self._on_find_button_clicked)
        self.no_receipt_button = self.search_pane.no_receipt_button
        self.no_receipt_button.clicked.connect(self.open_blind_return)
        self.no_receipt_button.setVisible(self._may_take_blind)
        self.search_status_label = self.search_pane.search_status_label
        self.sales_model = CounterSalesTableModel(self)
        self.results_view = SaleResultsView(self.sales_model)
        self.results_view.activated.connect(self._on_results_view_activated)

        # --- the sale
        self.sale_box = SalePaneWidget()
        self._sale_fields = self.sale_box.fields
        self.earlier_label = self.sale_box.earlier_label
        self.earlier_label.setTextFormat(Qt.TextFormat.RichText)
        self.earlier_label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                                   | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.earlier_label.linkActivated.connect(self.return_detail_requested)
        self.store_credit_label = self.sale_box.store_credit_label
        self.store_credit: StoreCreditBalance | None = None
        self.lines_model = CounterLinesTableModel(self, chinese_names=self._chinese())
        self.lines_model.entry_changed.connect(self._on_lines_model_entry_changed)
        self.lines_view = SaleLinesView(self.lines_model, text_height=self.fontMetrics().height())
        self.lines_view.selectionModel().currentRowChanged.connect(self._on_lines_view_current_row_changed)
        self.lines_view.installEventFilter(self)

        # --- editing
        self.editors_pane = ReturnEditorsPaneWidget()
        self.line_editor = self.editors_pane.line_editor
        self.line_editor.entry_edited.connect(self._on_line_editor_entry_edited)
        self.options = self.editors_pane.options
        self.options.options_changed.connect(self._on_options_changed)
        self.refund_summary = self.editors_pane.refund_summary
        self.submit_pane = SubmitPaneWidget()
        self.problems_label = self.submit_pane.problems_label
        self.submit_button = self.submit_pane.submit_button
        self.submit_button.clicked.connect(self.submit)
        self.clear_button = self.submit_pane.clear_button
        self.clear_button.clicked.connect(self.new_return)

        # --- layout of the form
        self.form_page = QWidget()
        self.form_page.setObjectName("form_page")
        form_layout = QVBoxLayout(self.form_page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(self.search_pane)
        form_layout.addWidget(self.results_view, 1)
        form_layout.addWidget(self.sale_box)
        form_layout.addWidget(self.lines_view, 1)
        form_layout.addWidget(self.editors_pane)
        form_layout.addWidget(self.submit_pane)

        self.result_panel = CounterResultPanel()
        self.result_panel.print_button.clicked.connect(self.print_document)
        self.result_panel.new_button.clicked.connect(self.new_return)
        self.result_panel.sign_off_button.clicked.connect(self.sign_off)
        self.result_panel.exchange_button.clicked.connect(self.open_exchange)

        self.pages = QStackedWidget()
        self.pages.setObjectName("counter_pages")
        self.pages.addWidget(self.form_page)
        self.pages.addWidget(self.result_panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.pages)
        self.setFocusProxy(self.search_edit)

        # Enter moves on from these fields, in this order (see _advance_from).
        for widget in (self.line_editor.quantity_spin, self.line_editor.reason_combo,
                       self.line_editor.resolution_combo, self.line_editor.condition_notes_edit,
                       self.line_editor.serials_edit, self.options.walk_in_radio, self.options.remote_radio,
                       self.options.refund_method_combo, self.options.grade_combo, self.options.on_spot_check,
                       self.options.notes_edit, self.options.override_edit):
            widget.installEventFilter(self)
        self._update_tab_order()

    def _build_shortcuts(self) -> None:
        shortcut = self._shortcut
        self.find_shortcut = shortcut("F2", self.focus_search)
        self.submit_shortcuts = [shortcut("Ctrl+Return", self.submit), shortcut("Ctrl+Enter", self.submit)]
        self.print_shortcut = shortcut("Ctrl+P", self._on_print_shortcut_activated)
        self.new_shortcut = shortcut("Ctrl+N", self.new_return)
        self.exchange_shortcut = shortcut("F7", lambda: None if self.open_exchange() is None else None)
        self.blind_shortcut = shortcut("F6", lambda: None if self.open_blind_return() is None else None)
        self.sign_off_shortcut = shortcut("F9", self.sign_off)
        self.next_line_shortcut = shortcut("Ctrl+PgDown", lambda: self._move_line(1))
        self.previous_line_shortcut = shortcut("Ctrl+PgUp", lambda: self._move_line(-1))

    def _edit_chain(self) -> list[QWidget]:
        """The form's fields in Enter/Tab order."""
        editor, options = self.line_editor, self.options
        return [editor.quantity_spin, editor.reason_combo, editor.resolution_combo, *editor.condition_boxes(),
                editor.condition_notes_edit, editor.serials_edit, options.walk_in_radio, options.remote_radio,
                options.refund_method_combo, options.grade_combo, options.on_spot_check, options.notes_edit,
                options.override_edit]

    def _update_tab_order(self) -> None:
        chain = [self.search_edit, self.find_button, self.results_view, self.lines_view, *self._edit_chain(),
                 self.submit_button, self.clear_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        find_key = _native(self.find_shortcut.key())
        submit_key = _native("Ctrl+Enter")
        new_key = _native(self.new_shortcut.key())
        self.find_label.setText(self.tr("&Find sale ({key})").format(key=find_key))
        self.search_edit.setPlaceholderText(self.tr("Order number, receipt barcode, phone or customer name"))
        self.search_edit.setToolTip(self.tr(
            "Type or scan, then Enter ({key}). Phone: the whole number or its last 4 digits.").format(key=find_key))
        self.find_button.setText(self.tr("Find"))
        self.no_receipt_button.setText(self.tr("No receipt ({key})").format(key=_native(self.blind_shortcut.key())))
        self.no_receipt_button.setToolTip(self.tr(
            "The customer has the item but no receipt, and no sale can be found: store credit at the lowest "
            "recent price, with a supervisor's sign-off"))
        self.find_button.setToolTip(self.tr("Find the sale (Enter)"))
        self.results_view.setToolTip(self.tr("Several sales match: choose one with the arrow keys and Enter"))
        self.sale_box.setTitle(self.tr("Sale"))
        captions = {"customer": self.tr("Customer"), "order": self.tr("Order"), "bought_at": self.tr("Bought at"),
                    "sold": self.tr("Sold"), "delivered": self.tr("Delivered"), "paid": self.tr("Paid")}
        for key, (caption, _value) in self._sale_fields.items():
            caption.setText(captions[key])
        self.lines_view.setToolTip(self.tr(
            "Choose the line with the arrow keys; Enter edits it. Next/previous line: {next} / {previous}").format(
            next=_native(self.next_line_shortcut.key()), previous=_native(self.previous_line_shortcut.key())))
        self.submit_button.setToolTip(self.tr("Issue the RMA ({key})").format(key=submit_key))
        self.clear_button.setText(self.tr("New return ({key})").format(key=new_key))
        self.clear_button.setToolTip(self.tr("Start again with an empty form ({key})").format(key=new_key))
        self.result_panel.new_button.setText(self.tr("New return ({key})").format(key=new_key))
        self.result_panel.new_button.setToolTip(self.tr("Take the next return ({key})").format(key=new_key))
        self.line_editor.retranslate_ui()
        self.options.retranslate_ui()
        self.refund_summary.retranslate_ui()
        self.lines_model.retranslate()
        self.sales_model.retranslate()
        self._render()

    def _on_language_changed(self) -> None:
        chinese = self._chinese()
        self.lines_model.set_chinese_names(chinese)
        self.line_editor.set_reasons(self.lines_model.reasons(), chinese)
        self._show_current_line()
        self.retranslate_ui()
        if self._result is not None:
            self._show_result(self._result)

    @staticmethod
    def _chinese() -> bool:
        return QLocale().language() == QLocale.Language.Chinese

    # ------------------------------------------------------------------ live updates
    def _on_data_changed(self, entity: str, _entity_id: int) -> None:
        # Another return of the same order changes what is returnable: read the sale again,
        # keeping what the clerk entered. Changes do not say which order, and the read is cheap.
        if entity in ("return", "any"):
            self._schedule_refresh()

    def _on_live_resync(self) -> None:
        self._schedule_refresh()

    def _schedule_refresh(self) -> None:
        if self._sale is not None and self.pages.currentWidget() is self.form_page and not self._submitting:
            self._refresh_timer.start()

    def _on_refresh_timer_timeout(self) -> None:
        if self._sale is None or self._submitting or self.pages.currentWidget() is not self.form_page:
            return
        self._tasks.run(load_sale, self._api, self._sale.order_no,
                        on_done=self._on_sale_refreshed, on_error=self._on_refresh_failed,
                        key=("counter-sale", self._key))

    def _on_sale_refreshed(self, loaded: LoadedSale) -> None:
        if self._submitting or self.pages.currentWidget() is not self.form_page:
            return
        self._show_sale(loaded, keep_entries=True)
        self.sale_refreshed.emit(loaded.sale.order_no)

    def _on_refresh_failed(self, error: BaseException) -> None:
        report = self._report(error, "reading the sale again")
        self._set_search_message(report, problem=True)

    # ------------------------------------------------------------------ scans
    def accept_scan(self, text: str) -> bool:
        """Scanner router hook: a scan while the focus is anywhere inside this screen."""
        if not self.isVisible() or self._submitting:
            return False
        self.take_scan(text)
        return True

    def _on_router_scanned(self, text: str) -> None:
        # The router emits ``scanned`` when nothing on the focus path took the scan (the focus is
        # outside this screen). Only the screen on show takes it.
        if self.isVisible() and not self._submitting and QApplication.activeModalWidget() is None:
            self.take_scan(text)

    def take_scan(self, text: str) -> None:
        """A scanned code: an item of the loaded sale adds one unit to its line; anything else
        (receipt barcode, RMA label, phone) is searched for."""
        code = text.strip()
        if not code:
            return
        kind = classify(code)
        if isinstance(kind, ItemScan) and self._sale is not None and self.pages.currentWidget() is self.form_page:
            row = self.lines_model.row_of_code(kind.code)
            if row is None:
                row = self.lines_model.row_of_code(code)
            if row is not None:
                self._add_scanned_unit(row)
                return
        if not isinstance(kind, ItemScan) or self._sale is None or self.pages.currentWidget() is not self.form_page:
            if self.pages.currentWidget() is not self.form_page:
                self.new_return()
            self.search_edit.setText(code)
            self.find_sale(code)
            return
        self._set_search_message(self.tr("{code} is not an item of order {order}.").format(
            code=code, order=self._sale.order_no), problem=True)

    def _add_scanned_unit(self, row: int) -> None:
        line = self.lines_model.line(row)
        entry = self.lines_model.entry(row)
        self._select_row(row)
        if entry.quantity >= line.qty_returnable:
            self._set_search_message(
                self.tr("All {count} returnable units of {item} are on the return already.").format(
                    count=line.qty_returnable, item=self.lines_model.product_name(line)
                ),
                problem=True,
            )
            return
        self.lines_model.update_entry(row, quantity=entry.quantity + 1)
        self._show_current_line()

    # ------------------------------------------------------------------ finding the sale
    def focus_search(self) -> None:
        """F2: to the search field, its text selected for the next search."""
        if self.pages.currentWidget() is not self.form_page:
            self.new_return()
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _on_search_edit_return_pressed(self) -> None:
        self.find_sale(self.search_edit.text())

    def _on_find_button_clicked(self) -> None:
        self.find_sale(self.search_edit.text())

    def find_sale(self, text: str | None = None) -> None:
        """Search for the sale named by ``text`` (default: the search field)."""
        query = (self.search_edit.text() if text is None else text).strip()
        self._query = query
        if not query:
            self._set_search_message(self.tr(
                "Type the order number, scan the receipt, or type the customer's phone or name."), problem=True)
            return
        self._set_search_message(self.tr("Looking for “{query}”…").format(query=query))
        self._tasks.run(self._api.search.find_sales, query, limit=SEARCH_LIMIT,
                        on_done=self._on_sales_found, on_error=self._on_search_failed,
                        busy=[self.find_button], key=("counter-search", self._key))

    def _on_sales_found(self, sales: list[SaleSummary]) -> None:
        self.sales_model.set_sales(sales)
        count = len(sales)
        if count == 0:
            self.results_view.hide()
            self._set_search_message(self.tr(
                "No sale found for “{query}”. Check the number on the receipt, or search by phone or name.").format(
                query=self._query), problem=True)
            self.search_edit.selectAll()
        elif count == 1:
            self.results_view.hide()
            self.open_sale(sales[0].order_no)
        else:
            self.results_view.show()
            self.results_view.resizeColumnsToContents()
            self.results_view.setCurrentIndex(self.sales_model.index(0, 0))
            self.results_view.setFocus(Qt.FocusReason.OtherFocusReason)
            self._set_search_message(self.tr(
                "{count} sales match “{query}”: choose one with the arrow keys and Enter.").format(
                count=count, query=self._query))
        self.search_finished.emit(count)

    def _on_search_failed(self, error: BaseException) -> None:
        self._set_search_message(self._report(error, "finding the sale"), problem=True)
        self.search_finished.emit(0)

    def _on_results_view_activated(self, index) -> None:
        if index.isValid():
            self.results_view.hide()
            self.open_sale(self.sales_model.summary(index.row()).order_no)

    def open_sale(self, order_no: str) -> None:
        """Load the sale ``order_no`` into the form (what was entered for another sale is dropped)."""
        self._set_search_message(self.tr("Opening {order}…").format(order=order_no))
        self._tasks.run(load_sale, self._api, order_no,
                        on_done=self._on_sale_opened, on_error=self._on_open_failed,
                        busy=[self.find_button], key=("counter-sale", self._key))

    def _on_sale_opened(self, loaded: LoadedSale) -> None:
        self._refresh_timer.stop()
        self.options.reset()
        self._submit_problems = []
        self._show_sale(loaded, keep_entries=False)
        sale = loaded.sale
        self._set_search_message(self.tr("{order}: {count} units can still be returned.").format(
            order=sale.order_no, count=sale.returnable_count) if sale.returnable_count else
            self.tr("{order}: every unit of this sale is returned or in process already.").format(order=sale.order_no),
            problem=not sale.returnable_count)
        first = next((i for i, line in enumerate(sale.lines) if line.qty_returnable > 0), 0 if sale.lines else None)
        if first is not None:
            self._select_row(first)
            target = self.line_editor.quantity_spin if sale.lines[first].qty_returnable else self.lines_view
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(target, QAbstractSpinBox):
                target.selectAll()
        self.sale_loaded.emit(sale.order_no)

    def _on_open_failed(self, error: BaseException) -> None:
        self._set_search_message(self._report(error, "opening the sale"), problem=True)

    def _show_sale(self, loaded: LoadedSale, *, keep_entries: bool) -> None:
        current = self._current_row
        self._sale = loaded.sale
        chinese = self._chinese()
        self.lines_model.set_sale(loaded.sale, loaded.reasons, loaded.rules, keep_entries=keep_entries)
        self.lines_model.set_channel(self.options.channel())
        self.line_editor.set_reasons(self.lines_model.reasons(), chinese)
        self.line_editor.set_conditions([code for code, _label in loaded.sale.required_conditions])
        for box in self.line_editor.condition_boxes():
            box.installEventFilter(self)
        self.line_editor.set_channel(self.options.channel())
        self.line_editor.retranslate_ui()
        self._update_tab_order()
        if not keep_entries:
            self._preview = None
            self.refund_summary.show_preview(None, loaded.sale.currency)
        if current is not None and current < self.lines_model.rowCount():
            self._select_row(current)
        self._show_sale_header()
        if not keep_entries:
            self._load_store_credit()
        # A refresh keeps saying why the last submit was refused until the clerk changes something.
        self._changed(keep_problems=keep_entries)

    def _show_sale_header(self) -> None:
        sale = self._sale
        values: dict[str, str] = dict.fromkeys(self._sale_fields, "")
        earlier = ""
        if sale is not None:
            customer = sale.customer
            if customer is not None:
                values["customer"] = (self.tr("{name} · {phone}").format(name=customer.name, phone=customer.phone)
                                      if customer.phone else customer.name)
            else:
                values["customer"] = self.tr("No customer on the sale")
            values["order"] = sale.order_no
            values["bought_at"] = sale_channel_name(sale.sale_channel)
            values["sold"] = format_day(sale.sold_at)
            values["delivered"] = (
                format_day(sale.delivered_at)
                if sale.delivered_at is not None
                else (self.tr("Taken at the shop") if sale.sold_at_counter else self.tr("Not delivered yet"))
            )
            values["paid"] = self.tr("{amount} by {method}").format(
                amount=format_money(sale.total_paid_minor, sale.currency), method=payment_words(sale.payment_method))
            if sale.returns:
                # Each RMA is a link to the return's detail page (click, or Tab to it and Enter).
                shown = ", ".join(f'<a href="{html.escape(r.rma_no)}">{html.escape(r.rma_no)}</a>'
                                  for r in sale.returns[:5])
                more = len(sale.returns) - 5
                earlier = self.tr("Earlier returns of this order: {rmas}").format(rmas=shown)
                if more > 0:
                    earlier += " " + self.tr("and {count} more").format(count=more)
        for key, (_caption, value) in self._sale_fields.items():
            value.setText(values[key] or "—")
        self.earlier_label.setText(earlier)
        self.earlier_label.setVisible(bool(earlier))
        self._show_store_credit()

    def _load_store_credit(self) -> None:
        """Read the balance of the sale's customer (shown under the sale when there is one)."""
        customer = self._sale.customer if self._sale is not None else None
        self.store_credit = None
        self._show_store_credit()
        if customer is None:
            return
        self._tasks.run(self._api.cash.store_credit_balance, customer.id, on_done=self._on_store_credit,
                        on_error=lambda _error: None, key=("counter", "store-credit"))

    def _on_store_credit(self, balance: StoreCreditBalance) -> None:
        sale = self._sale
        if sale is None or sale.customer is None or sale.customer.id != balance.customer_id:
            return
        self.store_credit = balance
        self._show_store_credit()

    def _show_store_credit(self) -> None:
        balance = self.store_credit
        shown = balance is not None and balance.balance_minor > 0
        if shown:
            assert balance is not None
            self.store_credit_label.setText(self.tr("Store credit of this customer: {amount}").format(
                amount=format_money(balance.balance_minor, balance.currency)))
        self.store_credit_label.setVisible(shown)

    # ------------------------------------------------------------------ lines
    def _select_row(self, row: int) -> None:
        if 0 <= row < self.lines_model.rowCount():
            self.lines_view.setCurrentIndex(self.lines_model.index(row, CounterLinesTableModel.QUANTITY))
            self.lines_view.scrollTo(self.lines_model.index(row, 0))
            self._current_row = row
            self._show_current_line()

    def _move_line(self, step: int) -> None:
        if self.pages.currentWidget() is not self.form_page or not self.lines_model.rowCount():
            return
        row = self._current_row if self._current_row is not None else -step
        row = max(0, min(self.lines_model.rowCount() - 1, row + step))
        self._select_row(row)
        self.line_editor.quantity_spin.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.line_editor.quantity_spin.selectAll()

    def _on_lines_view_current_row_changed(self, current, _previous) -> None:
        self._current_row = current.row() if current.isValid() else None
        self._show_current_line()

    def _show_current_line(self) -> None:
        row = self._current_row
        if row is None or not 0 <= row < self.lines_model.rowCount():
            self.line_editor.show_line(None, None)
            return
        line = self.lines_model.line(row)
        title = self.tr("{number}: {name}").format(number=line.line_no, name=self.lines_model.product_name(line))
        self.line_editor.show_line(line, self.lines_model.entry(row), title, self.lines_model.problems(row))

    def _on_line_editor_entry_edited(self, changes: dict) -> None:
        row = self._current_row
        if row is not None:
            self.lines_model.update_entry(row, **changes)

    def _on_lines_model_entry_changed(self, row: int) -> None:
        if row == self._current_row:
            self.line_editor.set_problems(self.lines_model.problems(row))
            # The spin box may have been cut to what is returnable.
            entry = self.lines_model.entry(row)
            if self.line_editor.quantity_spin.value() != entry.quantity:
                self._show_current_line()
        self._changed()

    def _on_options_changed(self) -> None:
        channel = self.options.channel()
        self.lines_model.set_channel(channel)
        self.line_editor.set_channel(channel)
        self._changed()

    # ------------------------------------------------------------------ judging the draft
    def _changed(self, *, keep_problems: bool = False) -> None:
        """Something the verdicts or the refund depend on changed: show what is known now and
        ask the services again after a short pause."""
        self._revision += 1
        if not keep_problems:
            self._submit_problems = []
        self._render()
        if self._sale is not None:
            self._preview_timer.start()

    def _draft(self, *, for_preview: bool = False) -> tuple[ReturnDraft, dict[int, tuple], list[int]] | None:
        """The draft as on screen; the entry keys of its lines; the rows of its lines in order."""
        sale = self._sale
        if sale is None:
            return None
        channel = self.options.channel()
        method = self.options.refund_method()
        if for_preview and not self.options.cash_allowed() and method is RefundMethod.CASH:
            # The refund does not depend on the method; the cash problem is said next to the field.
            method = RefundMethod.ORIGINAL_PAYMENT
        rows_and_lines = self.lines_model.draft_lines()
        if not rows_and_lines:
            return None
        judged = {line.order_line_id: self.lines_model.entry(row).judged_key(channel) for row, line in rows_and_lines}
        draft = ReturnDraft(
            order_no=sale.order_no, channel=channel, refund_method=method,
            lines=tuple(line for _row, line in rows_and_lines),
            notes=self.options.notes() or None,
            override_reason=self.options.override_reason() or None,
        )
        return draft, judged, [row for row, _line in rows_and_lines]

    def _on_preview_timer_timeout(self) -> None:
        built = self._draft(for_preview=True)
        if built is None:
            self._requested = None
            self._preview = None
            self._preview_problem = ""
            self.lines_model.set_preview(None, {})
            self.refund_summary.show_preview(None, self._sale.currency if self._sale else "CNY")
            self._render()
            self.preview_updated.emit(None)
            return
        draft, judged, _rows = built
        self._requested = (self._revision, judged)
        self._tasks.run(self._api.intake.preview_return, draft,
                        on_done=self._on_preview_done, on_error=self._on_preview_failed,
                        key=("counter-preview", self._key))

    def _on_preview_done(self, preview: ReturnPreview) -> None:
        requested = self._requested
        if requested is None or requested[0] != self._revision:
            return  # the clerk changed something since; a newer preview is on its way
        self._preview = preview
        self._preview_problem = ""
        self.lines_model.set_preview(preview, requested[1])
        self.refund_summary.show_preview(preview, preview.currency)
        self._render()
        self.preview_updated.emit(preview)

    def _on_preview_failed(self, error: BaseException) -> None:
        requested = self._requested
        if requested is None or requested[0] != self._revision:
            return
        self._preview = None
        self._preview_problem = self._report(error, "checking the return")
        self.refund_summary.show_preview(None)
        self._render()

    def _blockers(self) -> list[str]:
        """Why the return cannot be submitted as it is, in words (empty: it can)."""
        sale = self._sale
        if sale is None:
            return [self.tr("Find the sale first: type or scan the order number ({key}).").format(
                key=_native(self.find_shortcut.key()))]
        model = self.lines_model
        chosen = model.chosen_rows()
        if not chosen:
            return [self.tr("Set the quantity the customer returns on at least one line.")]
        found: list[str] = []

        def numbers(rows: list[int]) -> str:
            return self.tr(", ").join(str(model.line(r).line_no) for r in rows)

        missing = model.missing_reason_rows()
        if missing:
            found.append(self.tr("Choose the reason for line {lines}.").format(lines=numbers(missing)))
        verdicts = {row: model.verdict(row) for row in chosen}
        refused = [r for r in chosen if verdicts[r].status is PolicyStatus.NOT_RETURNABLE]
        if refused:
            found.append(
                self.tr("Line {lines} cannot be returned: set its quantity to 0.").format(lines=numbers(refused))
            )
        outside = [r for r in chosen if verdicts[r].status is PolicyStatus.OVERRIDE_NEEDED]
        if outside and not self._may_override and self.options.channel() is not Channel.COUNTER:
            found.append(self.tr(
                "Line {lines} is outside the policy: only a supervisor can accept it. Ask a supervisor to take "
                "over, or set the line's quantity to 0.").format(lines=numbers(outside)))
        elif outside and not self.options.override_edit.text().strip():
            found.append(self.tr("Line {lines} is outside the policy: write the override reason.").format(
                lines=numbers(outside)))
        if not self.options.cash_allowed() and self.options.refund_method() is RefundMethod.CASH:
            found.append(self._cash_problem())
        unserialled = self._rows_missing_serials()
        if unserialled:
            found.append(self.tr(
                "Line {lines}: scan or type the serial number of each unit returned; it is checked "
                "against the sale before the return is taken.").format(lines=numbers(unserialled)))
        for row in chosen:
            if row in missing:
                continue
            for problem in model.problems(row):
                if problem not in found:
                    found.append(problem)
        found.extend(p for p in self._general_preview_problems() if p not in found)
        if self._preview_problem:
            found.append(self._preview_problem)
        return found

    def _rows_missing_serials(self) -> list[int]:
        """Chosen serial-numbered lines of a walk-in inspected on the spot that lack a serial per
        unit: without them the goods could only be received, not refunded."""
        if self.options.channel() is not Channel.COUNTER or not self.options.complete_on_spot():
            return []
        model = self.lines_model
        return [row for row in model.chosen_rows()
                if model.line(row).serial_tracked and len(model.entry(row).serials) != model.entry(row).quantity]

    def _cash_problem(self) -> str:
        return self.tr("Cash is paid out at the counter only: choose another refund method for a remote return.")

    def _general_preview_problems(self) -> list[str]:
        """Problems of the current preview that belong to no line and that the screen does not
        say in its own words already."""
        preview = self._preview
        requested = self._requested
        if preview is None or requested is None or requested[0] != self._revision:
            return []
        line_problems = {p for line in preview.lines for p in line.problems}
        rest = [p for p in preview.problems if p not in line_problems]
        if preview.needs_override and rest and not (self._may_override and self.options.override_reason()):
            # The services put their "a supervisor override is needed" sentence last; the screen
            # says it next to the override reason.
            rest = rest[:-1]
        return [tr_message(p) for p in rest]

    # ------------------------------------------------------------------ showing the state
    def _render(self) -> None:
        if not hasattr(self, "submit_button"):
            return
        sale = self._sale
        chosen = self.lines_model.chosen_rows()
        outside = any(self.lines_model.verdict(r).status is PolicyStatus.OVERRIDE_NEEDED for r in chosen)
        self.options.set_override(outside, self._may_override)
        cash_problem = not self.options.cash_allowed() and self.options.refund_method() is RefundMethod.CASH
        self.options.set_method_problem(self._cash_problem() if cash_problem else "")
        blockers = self._blockers()
        problems = self._submit_problems or (blockers if sale is not None and chosen else [])
        self.problems_label.setText("\n".join(f"• {p}" for p in problems))
        self.problems_label.setVisible(bool(problems))
        self.submit_button.setEnabled(not blockers and not self._submitting)
        walk_in = self.options.channel() is Channel.COUNTER
        key = _native("Ctrl+Enter")
        if walk_in:
            self.submit_button.setText(self.tr("Take the return ({key})").format(key=key))
        else:
            self.submit_button.setText(self.tr("Issue the RMA ({key})").format(key=key))
        self.submit_button.setToolTip(
            "\n".join(blockers)
            if blockers
            else (
                self.tr("Receive the goods now; refunded on the spot when the policy allows ({key})").format(key=key)
                if walk_in
                else self.tr("Issue and authorize the RMA; then print the return label ({key})").format(key=key)
            )
        )
        self.sale_box.setVisible(sale is not None)
        if self._current_row is not None and 0 <= self._current_row < self.lines_model.rowCount():
            self.line_editor.set_problems(self.lines_model.problems(self._current_row))

    def _set_search_message(self, text: str, *, problem: bool = False) -> None:
        self.search_status_label.setText(text)
        self.search_status_label.setStyleSheet(PROBLEM_STYLE if problem else HINT_STYLE)
        self.search_status_label.setVisible(bool(text))

    def _report(self, error: BaseException, doing: str) -> str:
        """The words for ``error``: expected errors as the services say them; bugs are shown in
        the error dialog too (with "copy details") and said here as "nothing was saved"."""
        if isinstance(error, ReturnDeskError):
            return self._errors.report(error, context=doing).message
        return self._errors.present(error, context=doing).message

    # ------------------------------------------------------------------ Enter moves on
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in _ENTER_KEYS:
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if modifiers == Qt.KeyboardModifier.NoModifier:
                if watched is self.lines_view:
                    if self._current_row is not None:
                        self.line_editor.quantity_spin.setFocus(Qt.FocusReason.TabFocusReason)
                        self.line_editor.quantity_spin.selectAll()
                    return True
                if isinstance(watched, QWidget) and self._advance_from(watched):
                    return True
        return super().eventFilter(watched, event)

    def _advance_from(self, widget: QWidget) -> bool:
        """Enter in a field: on to the next field that can take input, then the submit button."""
        if isinstance(widget, QComboBox) and widget.view().isVisible():
            return False  # Enter chooses in the open list
        if isinstance(widget, QAbstractSpinBox):
            widget.interpretText()
        chain = self._edit_chain()
        if widget not in chain:
            return False
        if isinstance(widget, QRadioButton):
            # The channel buttons are one stop; Enter leaves the group.
            chain = [w for w in chain if not isinstance(w, QRadioButton) or w is widget]
        for candidate in chain[chain.index(widget) + 1:]:
            if isinstance(candidate, QRadioButton) and not candidate.isChecked():
                continue
            if candidate.isEnabled() and candidate.isVisibleTo(self):
                candidate.setFocus(Qt.FocusReason.TabFocusReason)
                if isinstance(candidate, QLineEdit | QAbstractSpinBox):
                    candidate.selectAll()
                return True
        target = self.submit_button if self.submit_button.isEnabled() else self.problems_label
        if target is self.problems_label:
            self._refuse(self._blockers())
            return True
        self.submit_button.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    # ------------------------------------------------------------------ submitting
    def submit(self) -> None:
        """Ctrl+Enter / the button: issue the RMA (remote) or take the walk-in return."""
        if self.pages.currentWidget() is not self.form_page or self._submitting:
            return
        blockers = self._blockers()
        if blockers:
            self._refuse(blockers)
            unserialled = self._rows_missing_serials()
            if unserialled:  # ask for the serial right where it is typed or scanned
                self._select_row(unserialled[0])
                self.line_editor.serials_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        built = self._draft()
        if built is None:  # pragma: no cover - _blockers said so already
            return
        draft, _judged, rows = built
        self._preview_timer.stop()
        self._submitting = True
        self._submitted_rows = rows
        self._submit_problems = []
        self._render()
        busy = [self.form_page]
        if self.options.channel() is Channel.COUNTER:
            serials = {}
            for row in rows:
                line, entry = self.lines_model.line(row), self.lines_model.entry(row)
                if line.serial_tracked and entry.serials:
                    serials[line.order_line_id] = list(entry.serials)
            on_spot, grade, chosen_serials = self.options.complete_on_spot(), self.options.grade(), serials or None
            if self._needs_sign_off():
                self._ask_sign_off(
                    lambda sign_off: self._api.counter.counter_return(
                        draft, complete_on_spot=on_spot, grade=grade, serials=chosen_serials, sign_off=sign_off),
                    self.tr("Accept the lines outside the policy: “{reason}”.").format(
                        reason=self.options.override_reason()))
                return
            self._tasks.run(self._api.counter.counter_return, draft, complete_on_spot=on_spot, grade=grade,
                            serials=chosen_serials, on_done=self._on_submitted, on_error=self._on_submit_failed,
                            busy=busy, key=("counter-submit", self._key))
        else:
            self._tasks.run(self._api.counter.issue_remote_return, draft,
                            on_done=self._on_submitted, on_error=self._on_submit_failed,
                            busy=busy, key=("counter-submit", self._key))

    def _refuse(self, blockers: list[str]) -> None:
        message = "\n".join(blockers)
        self.problems_label.setText("\n".join(f"• {p}" for p in blockers))
        self.problems_label.setVisible(True)
        QApplication.beep()
        self.submit_refused.emit(message)

    def _on_submitted(self, outcome: CounterResult | RemoteReturn) -> None:
        self._submitting = False
        result = outcome.detail if isinstance(outcome, RemoteReturn) else outcome
        self._result = outcome
        self._prints = 0
        self._print_done()
        self._show_result(outcome)
        self.pages.setCurrentWidget(self.result_panel)
        button = self.result_panel.print_button if self._result_document else self.result_panel.new_button
        button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.return_submitted.emit(result)

    def _on_submit_failed(self, error: BaseException) -> None:
        self._submitting = False
        rows = self._submitted_rows
        if isinstance(error, ValidationFailed) and error.problems:
            by_row: dict[int, list[str]] = {}
            general: list[str] = []
            for problem in error.problems:
                match = _LINE_PROBLEM.match(problem)
                index = int(match.group(1)) - 1 if match else -1
                if 0 <= index < len(rows):
                    by_row.setdefault(rows[index], []).append(problem)
                else:
                    general.append(tr_message(problem))
            self.lines_model.set_problems(by_row)
            lines = self.tr(", ").join(str(self.lines_model.line(r).line_no) for r in sorted(by_row))
            head = (self.tr("The return was not saved; see line {lines}.").format(lines=lines) if by_row
                    else self.tr("The return was not saved."))
            self._submit_problems = [head, *general]
            # Quantities may have moved at another counter: read the sale again.
            self._schedule_refresh()
        elif isinstance(error, PolicyViolation):
            self._submit_problems = [self.tr("The return was not saved."), tr_message(error.message)]
        else:
            report = self._report(error, "taking the return")
            self._submit_problems = [report] if isinstance(error, ReturnDeskError) else [report]
            if isinstance(error, ReturnDeskError):
                self._submit_problems.insert(0, self.tr("The return was not saved."))
        self._render()
        self.submit_refused.emit("\n".join(self._submit_problems))

    # ------------------------------------------------------------------ the result
    def _show_result(self, outcome: CounterResult | RemoteReturn) -> None:
        panel = self.result_panel
        if isinstance(outcome, RemoteReturn):
            detail = outcome.detail
            document = DocumentType.RETURN_LABEL
            caption = self.tr("RMA issued")
            if outcome.authorized:
                due = format_day(detail.receive_by) if detail.receive_by else ""
                headline = (
                    self.tr("Authorized: the customer sends the goods by {date}").format(date=due)
                    if due
                    else self.tr("Authorized: the customer sends the goods")
                )
                next_steps = self.tr("Print the return label ({key}) and give or send it to the customer; it goes on "
                                "the parcel. The refund is paid when the goods have been inspected.")
            else:
                headline = self.tr("Requested: waiting for authorization")
                next_steps = self.tr("A supervisor authorizes the request; then print the return label ({key}).")
            message = self.tr("Order {order}; expected refund {amount} by {method}.").format(
                order=detail.order_no, amount=format_money(detail.refund_total_minor, detail.currency),
                method=self._method_words(detail.refund_method))
            if not outcome.authorized:
                reason = (outcome.authorize_problem if outcome.may_authorize
                          else self.tr("You may not authorize returns; a supervisor authorizes it."))
                message += "\n" + self.tr("Not authorized: {reason}").format(reason=reason)
        else:
            detail = outcome.detail
            caption = self.tr("Walk-in return")
            amount = format_money(detail.refund_total_minor, detail.currency)
            if outcome.refund is not None:
                refund = outcome.refund.refund
                document = DocumentType.COUNTER_RECEIPT
                headline = self.tr("Refunded {amount} by {method}").format(
                    amount=format_money(refund.amount_minor, detail.currency),
                    method=self._method_words(refund.method))
                message = self.tr("Refund {refund}, credit note {note}. The goods were received and inspected at the "
                             "counter.").format(refund=refund.refund_no, note=outcome.refund.credit_note_no or "—")
                next_steps = self.tr("Print the counter receipt ({key}) and ask the customer to sign it.")
            elif outcome.stage == ReturnStatus.AWAITING_APPROVAL.value and outcome.completion is not None:
                document = DocumentType.RETURN_LABEL
                level = self._level_words(outcome.completion.level)
                headline = self.tr("Waiting for {level} approval: {amount}").format(level=level, amount=amount)
                message = self.tr("Why: {reasons}").format(
                    reasons=" ".join(tr_message(r) for r in outcome.completion.reasons))
                next_steps = self.tr("Print the return label ({key}) for the goods and keep them at the counter; the "
                                "customer is refunded by {method} once a {level} approves.").format(
                    key="{key}", method=self._method_words(detail.refund_method), level=level)
            elif outcome.stage == ReturnStatus.APPROVED.value:
                document = DocumentType.RETURN_LABEL
                headline = self.tr("Approved for {amount}, not paid out yet").format(amount=amount)
                message = tr_message(outcome.message)
                next_steps = self.tr("A supervisor pays it out from the return's page. Print the return label ({key}) "
                                "for the goods.")
            else:
                document = DocumentType.RETURN_LABEL
                headline = self.tr("Received at the counter")
                message = tr_message(outcome.message)
                next_steps = self.tr("Print the return label ({key}) and put the goods in the inspection area.")
        key = _native(self.print_shortcut.key())
        self._result_document = document
        panel.caption_label.setText(caption)
        panel.rma_label.setText(detail.rma_no)
        panel.status_pill.set_status(detail.status)
        panel.headline_label.setText(headline)
        panel.message_label.setText(message)
        panel.lines_label.setText("\n".join(self._line_words(line, detail.currency) for line in detail.lines))
        panel.next_title_label.setText(self.tr("Next"))
        panel.next_label.setText(next_steps.format(key=key))
        if document is DocumentType.COUNTER_RECEIPT:
            panel.print_button.setText(self.tr("Print counter receipt ({key})").format(key=key))
        else:
            panel.print_button.setText(self.tr("Print return label ({key})").format(key=key))
        panel.print_button.setToolTip(self.tr("Print it on this station's printer ({key})").format(key=key))
        waiting = isinstance(outcome, CounterResult) and outcome.stage == ReturnStatus.AWAITING_APPROVAL.value
        exchange = isinstance(outcome, CounterResult) and outcome.exchange_wanted
        panel.sign_off_button.setVisible(waiting)
        panel.sign_off_button.setText(self.tr("Supervisor sign-off ({key})").format(
            key=_native(self.sign_off_shortcut.key())))
        panel.sign_off_button.setToolTip(self.tr(
            "A supervisor approves it here with their password or badge; then the customer is refunded"))
        panel.exchange_button.setVisible(exchange)
        panel.exchange_button.setText(self.tr("Choose the replacement ({key})").format(
            key=_native(self.exchange_shortcut.key())))
        panel.exchange_button.setToolTip(self.tr(
            "The customer asked for an exchange: pick the replacement goods and settle the difference"))
        if exchange:
            headline = self.tr("Approved for an exchange worth {amount}").format(
                amount=format_money(detail.refund_total_minor, detail.currency))
            panel.headline_label.setText(headline)
            panel.message_label.setText(self.tr(
                "The customer asked for an exchange, so nothing is refunded. Choose the replacement goods "
                "now; if the customer changed their mind, record it in the exchange window."))
            panel.next_label.setText(self.tr(
                "Choose the replacement ({key}); print the counter receipt afterwards.").format(
                key=_native(self.exchange_shortcut.key())))
        if waiting or exchange:
            (panel.exchange_button if exchange else panel.sign_off_button).setFocus(Qt.FocusReason.OtherFocusReason)
        if not self._prints:
            panel.set_print_status("")

    def _line_words(self, line: Any, currency: str) -> str:
        """One returned line on the result: "2 × Cotton T-shirt (AP-2001) · Changed mind · ¥158.00"."""
        quantity = line.qty_accepted or line.qty_requested
        name = line.product_name_zh if self._chinese() and line.product_name_zh else line.product_name
        return self.tr("{quantity} × {name} ({sku}) · {reason} · {amount}").format(
            quantity=quantity, name=name, sku=line.sku, reason=self.lines_model.reason_name(line.reason_code),
            amount=format_money(line.refund_minor, currency))

    def _method_words(self, method: str) -> str:
        try:
            words = tr_refund_method(method)
        except ValueError:
            return method
        return words if self._chinese() else words.lower()

    @staticmethod
    def _level_words(level: ApprovalLevel | str) -> str:
        try:
            return tr_approval_level(level).lower() if QLocale().language() != QLocale.Language.Chinese \
                else tr_approval_level(level)
        except ValueError:
            return str(level)

    # ------------------------------------------------------------------ supervisor sign-off
    def _needs_sign_off(self) -> bool:
        """A walk-in with lines outside the policy taken by a clerk who may not override them."""
        if self._may_override or self.options.channel() is not Channel.COUNTER:
            return False
        return any(self.lines_model.verdict(r).status is PolicyStatus.OVERRIDE_NEEDED
                   for r in self.lines_model.chosen_rows())

    def _ask_sign_off(self, submit: Callable[[Any], Any], what: str) -> SupervisorSignOffDialog:
        """The sign-off dialog on this screen; its result goes where a submit's result goes."""
        dialog = SupervisorSignOffDialog(self._tasks, submit, what, self)
        self.sign_off_dialog = dialog
        dialog.signed_off.connect(self._on_submitted)
        dialog.rejected.connect(self._on_sign_off_cancelled)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()
        self.sign_off_requested.emit(dialog)
        return dialog

    def _on_sign_off_cancelled(self) -> None:
        if self.pages.currentWidget() is self.form_page:
            self._submitting = False
            self._render()

    def sign_off(self) -> None:
        """F9 on the result of a return waiting for approval: a supervisor approves it here."""
        outcome = self._result
        if (self.pages.currentWidget() is not self.result_panel or not isinstance(outcome, CounterResult)
                or outcome.stage != ReturnStatus.AWAITING_APPROVAL.value):
            return
        detail = outcome.detail
        amount = format_money(detail.refund_total_minor, detail.currency)
        reasons = (" ".join(tr_message(r) for r in outcome.completion.reasons) if outcome.completion is not None
                   else tr_message(outcome.message))
        self._ask_sign_off(
            lambda sign_off: self._api.counter.sign_off_return(detail.rma_no, sign_off,
                                                               expected_version=detail.version),
            self.tr("Refund of {amount} for {rma}. {reasons}").format(amount=amount, rma=detail.rma_no,
                                                                      reasons=reasons))

    # ------------------------------------------------------------------ without a receipt
    def open_blind_return(self) -> BlindReturnDialog | None:
        """F6: a return without a receipt (store credit at the lowest recent price, signed off)."""
        if self._submitting or not self._may_take_blind:
            return None
        if self.pages.currentWidget() is not self.form_page:
            self.new_return()
        dialog = BlindReturnDialog(self._api, self._tasks, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.taken.connect(self._on_submitted)
        self.blind_dialog = dialog
        dialog.open()
        self.blind_opened.emit(dialog)
        return dialog

    # ------------------------------------------------------------------ the exchange
    def open_exchange(self) -> ExchangeDialog | None:
        """F7 on the result of an exchange: the replacement is chosen and the difference settled."""
        outcome = self._result
        if (self.pages.currentWidget() is not self.result_panel or not isinstance(outcome, CounterResult)
                or not outcome.exchange_wanted):
            return None
        dialog = open_exchange(self, self._api, outcome.detail.rma_no, tasks=self._tasks,
                               printer=self._printer)
        self.exchange_dialog = dialog
        dialog.exchanged.connect(self._on_exchanged)
        dialog.changed_mind.connect(self._on_changed_mind)
        self.exchange_opened.emit(dialog)
        return dialog

    def _on_exchanged(self, result: ExchangeResult) -> None:
        outcome = self._result
        if not isinstance(outcome, CounterResult):
            return
        self._result = CounterResult(result.detail, result.detail.status, "", completion=outcome.completion)
        panel = self.result_panel
        panel.status_pill.set_status(result.detail.status)
        panel.exchange_button.setVisible(False)
        ro = result.replacement
        panel.headline_label.setText(self.tr("Exchanged: {order}").format(order=ro.order_no))
        currency = result.detail.currency
        if ro.collected_minor:
            money = self.tr("The customer paid {amount}.").format(amount=format_money(ro.collected_minor, currency))
        elif result.refund is not None:
            money = self.tr("Refunded {amount}.").format(amount=format_money(result.refund.amount_minor, currency))
        else:
            money = self.tr("Even exchange.")
        goods = (self.tr("The replacement is shipped with a packing slip.") if ro.fulfilment == "ship"
                 else self.tr("The replacement was handed over."))
        panel.message_label.setText(f"{money} {goods}")
        self._result_document = DocumentType.COUNTER_RECEIPT
        key = _native(self.print_shortcut.key())
        panel.print_button.setText(self.tr("Print counter receipt ({key})").format(key=key))
        panel.next_label.setText(self.tr("Print the counter receipt ({key}) and ask the customer to sign it.").format(
            key=key))
        self.exchange_done.emit(result)

    def _on_changed_mind(self, detail: ReturnDetail) -> None:
        """The customer wants the money back after all: close the exchange and refund on the spot."""
        dialog = self.exchange_dialog
        if dialog is not None:
            dialog.close()
        self.result_panel.exchange_button.setVisible(False)
        self.result_panel.set_print_status(self.tr("Refunding {rma}…").format(rma=detail.rma_no))
        self._tasks.run(self._api.refunds.issue_refund, detail.rma_no, expected_version=detail.version,
                        on_done=self._on_refunded_after_change, on_error=self._on_refund_after_change_failed,
                        busy=[self.result_panel], key=("counter-refund", self._key))

    def _on_refunded_after_change(self, refund: RefundResult) -> None:
        outcome = CounterResult(refund.detail, refund.detail.status, "", refund=refund)
        self._on_submitted(outcome)

    def _on_refund_after_change_failed(self, error: BaseException) -> None:
        self.result_panel.set_print_status(self._report(error, "refunding the return"), problem=True)

    def result_detail(self) -> ReturnDetail | None:
        """The return the result panel shows (None on the form)."""
        outcome = self._result
        return outcome.detail if outcome is not None else None

    # ------------------------------------------------------------------ printing
    def _on_print_shortcut_activated(self) -> None:
        if self.pages.currentWidget() is self.result_panel and self.result_panel.print_button.isEnabled():
            self.print_document()

    def print_document(self) -> None:
        """Ctrl+P on the result: the return label or the counter receipt (again: a reprint)."""
        detail = self.result_detail()
        document = self._result_document
        if detail is None or document is None or self._printing:
            return
        lang = "zh_CN" if self._chinese() else "en"
        self._printing = True
        self.result_panel.print_button.setEnabled(False)
        self.result_panel.set_print_status(self.tr("Printing…"))
        if self._print_service is None:
            self._print_to_file(document, detail.rma_no, lang)
            return
        self._print_job = (document, detail.rma_no, lang)
        self._tasks.run(self._print_service.has_printer_for, document, on_done=self._on_route_known,
                        on_error=self._on_print_failed, key=("counter-print", self._key))

    def _on_route_known(self, routed: bool) -> None:
        document, rma, lang = self._print_job
        if routed and self._print_service is not None:
            self._print_service.print_document(document, rma, lang=lang)
        else:
            # No printer is chosen for this document at the station: the PDF file is always there.
            self._print_to_file(document, rma, lang)

    def _print_to_file(self, document: DocumentType, rma: str, lang: str) -> None:
        self._tasks.run(self._printer, document, rma, lang, on_done=self._on_document_printed,
                        on_error=self._on_print_failed, key=("counter-print", self._key))

    def _on_print_service_document_printed(self, outcome: Any) -> None:
        if not self._printing:
            return  # another screen's document
        doc = outcome.document
        where = str(outcome.path) if outcome.path is not None else outcome.destination
        self._on_document_printed(PrintedDocument(doc.doc_type, doc.reference, where, doc.reprint))

    def _on_print_service_failed(self, message: str) -> None:
        if not self._printing:
            return
        self._print_done()
        self.result_panel.set_print_status(message, problem=True)

    def _on_print_service_declined(self, _doc_type: str, _reference: str) -> None:
        if not self._printing:
            return
        self._print_done()
        self.result_panel.set_print_status(self.tr("Not printed: the preview was closed."))

    def _print_done(self) -> None:
        self._printing = False
        self.result_panel.print_button.setEnabled(True)

    def _on_document_printed(self, printed: PrintedDocument) -> None:
        self._print_done()
        self._prints += 1
        if printed.reprint:
            text = self.tr("Printed again (reprint {count}): {where}").format(
                count=printed.reprint, where=printed.where
            )
        else:
            text = self.tr("Printed: {where}").format(where=printed.where)
        self.result_panel.set_print_status(text)
        self.document_printed.emit(printed.where)

    def _on_print_failed(self, error: BaseException) -> None:
        self._print_done()
        if isinstance(error, OSError):
            words = self.tr("The document could not be printed ({reason}); check the printer or the folder, then "
                            "print again.").format(reason=error.strerror or str(error))
        else:
            words = self._report(error, "printing the document")
        self.result_panel.set_print_status(words, problem=True)

    # ------------------------------------------------------------------ starting again
    def new_return(self) -> None:
        """Ctrl+N: an empty form, the focus in the search field."""
        if self._submitting:
            return
        self._preview_timer.stop()
        self._refresh_timer.stop()
        self._tasks.invalidate(("counter-preview", self._key))
        self._tasks.invalidate(("counter-sale", self._key))
        self._tasks.invalidate(("counter-print", self._key))
        self._print_done()
        self._sale = None
        self._result = None
        self._result_document = None
        self._preview = None
        self._requested = None
        self._preview_problem = ""
        self._submit_problems = []
        self._current_row = None
        self.lines_model.clear()
        self.sales_model.set_sales([])
        self.results_view.hide()
        self.options.reset()
        self.lines_model.set_channel(self.options.channel())
        self.line_editor.show_line(None, None)
        self.refund_summary.show_preview(None)
        self.search_edit.clear()
        self._set_search_message("")
        self._show_sale_header()
        self._revision += 1
        self.pages.setCurrentWidget(self.form_page)
        self._render()
        self.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.pages.currentWidget() is self.form_page and self._sale is None:
            self.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)


__all__ = ["CounterScreen", "LoadedSale", "load_sale"]
