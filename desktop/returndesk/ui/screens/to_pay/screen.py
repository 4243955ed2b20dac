"""The "to pay" worklist (待退款): approved returns whose refund is not issued yet.

Left, the worklist: every approved, unpaid return — approved by a supervisor at the approval desk
or automatically by routing at inspection (a remote return within the policy and the limits) —
the longest waiting first: how long since approval, RMA and customer, who approved it and whether
the goods came to the counter or by parcel, the method the customer chose and the refund.
Returns the customer asked to exchange are not here: they end in replacement goods.

Right, the return chosen: its lines with grades and checks, and the refund's figures. Under it,
the refund method (the methods the return's channel allows: cash only at the counter) and
**Issue refund** (Enter in the worklist, or Ctrl+I): the refund, its credit note and its journal
entry are written in one transaction, audited as at the approval desk; the row leaves the list,
the return stays shown and its receipt (Ctrl+P) and credit note (Ctrl+Shift+P) can be printed
through the station's printers (else as PDFs in the station's folder).

Counter staff and finance see it; the services refuse everyone else, and refuse cash above the
clerk's cash limit with a sentence saying so. The screen follows changes like the other queues;
F5 reads the worklist again.

Signals for tests: ``queue_loaded(rows)``, ``case_loaded(rma)``, ``refund_issued(rma)``,
``action_refused(message)``, ``document_printed(where)``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QScrollArea, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Actor, ApprovalCase, Page, RefundResult, ToPayRow
from returndesk.domain.errors import ConcurrentChange, ReturnDeskError
from returndesk.domain.money import format_money
from returndesk.domain.permissions import Permission, can
from returndesk.domain.types import DocumentType, ReturnStatus
from returndesk.ui.printing import PrintService
from returndesk.ui.screens.approval.models import (
    ApprovalLinesTableModel,
    ReasonNames,
    approval_level_name,
    format_when,
    is_chinese,
    refund_method_name,
)
from returndesk.ui.screens.approval.widgets import MessageKind
from returndesk.ui.screens.review.documents import DocumentPrinter, PrintedDocument, ScreenPrinting, pdf_folder_printer
from returndesk.ui.screens.to_pay.models import ToPayTableModel
from returndesk.ui.screens.to_pay.widgets import ToPayActionsPaneWidget, ToPayCasePaneWidget, ToPayQueuePaneWidget
from returndesk.ui.station_screen import StationScreen
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.widgets import BusyOverlay
from returndesk.ui.i18n import tr_message

if TYPE_CHECKING:
    from returndesk.api.types import ReasonView
    from returndesk.ui.live import LiveUpdates

PAGE_SIZE = 50
REFRESH_DELAY_MS = 250


def _native(sequence: QKeySequence | str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


def worklist_fetcher(api: ReturnDeskApi, limit: int = PAGE_SIZE) -> Callable[[str | None], Page[ToPayRow]]:
    def fetch(after: str | None) -> Page[ToPayRow]:
        return api.refunds.to_pay_queue(after=after, limit=limit)

    return fetch


class ToPayScreen(StationScreen):
    """The "to pay" worklist; see the module documentation."""

    queue_loaded = Signal(int)
    case_loaded = Signal(str)
    refund_issued = Signal(str)
    action_refused = Signal(str)
    document_printed = Signal(str)

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 live: LiveUpdates | None = None, printer: DocumentPrinter | None = None,
                 print_service: PrintService | None = None, clock: Callable[[], datetime] | None = None,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(api, tasks, actor, parent)
        self.setObjectName("to_pay_screen")
        self._clock = clock or api.session.now
        self._page_size = page_size
        service = print_service if print_service is not None else self._station_print_service()
        self.printing = ScreenPrinting(tasks, printer or pdf_folder_printer(api, "refunds"), service,
                                       self._errors, self)
        self.printing.printed.connect(self._on_printed)
        self.printing.failed.connect(self._on_print_failed)
        self.printing.declined.connect(self._on_print_declined)
        self._key = id(self)
        self._case: ApprovalCase | None = None
        self._loading_rma: str | None = None
        self._shown_rma: str | None = None
        self._paid_rma: str | None = None  # paid here last: stays shown for its documents
        self._acting = False
        self._queue_problem = ""
        self._reason_names = ReasonNames()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._build()
        self._build_shortcuts()
        self.retranslate_ui()
        self._show_case(None)
        self._start_following(live)
        self._tasks.run(self._api.settings.list_reasons, include_inactive=True, on_done=self._on_reasons,
                        on_error=lambda error: None, key=("to-pay-reasons", self._key))
        self.queue_model.reload()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.queue_model = ToPayTableModel(worklist_fetcher(self._api, self._page_size), self._tasks,
                                           now=self._clock, parent=self)
        self.queue_model.page_loaded.connect(self._on_queue_rows)
        self.queue_model.refreshed.connect(self._on_queue_rows)
        self.queue_model.load_failed.connect(self._on_queue_failed)
        pane = ToPayQueuePaneWidget(self.queue_model)
        self.queue_pane = pane
        self.title_label = pane.title_label
        self.refresh_button = pane.refresh_button
        self.refresh_button.clicked.connect(self.refresh)
        self.queue_table = pane.queue_table
        self.queue_table.selectionModel().currentRowChanged.connect(self._on_queue_current_row_changed)
        # Enter in the worklist pays the return shown (a double click only chooses it).
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.queue_table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self._on_queue_enter)
        self.queue_status_label = pane.queue_status_label

        self.empty_label = QLabel()
        self.empty_label.setObjectName("empty_label")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setMargin(30)
        self.lines_model = ApprovalLinesTableModel(self)
        body = ToPayCasePaneWidget(self.lines_model)
        self.case_pane = body
        self.detail_scroll = QScrollArea()
        self.detail_scroll.setObjectName("detail_scroll")
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail_scroll.setWidget(body)
        actions = ToPayActionsPaneWidget()
        self.actions_pane = actions
        self.refund_bar = actions.refund_bar
        self.method_combo = self.refund_bar.method_combo
        self.issue_button = self.refund_bar.issue_button
        self.issue_button.clicked.connect(self.issue_refund)
        self.receipt_button = self.refund_bar.receipt_button
        self.receipt_button.clicked.connect(self.print_receipt)
        self.credit_note_button = self.refund_bar.credit_note_button
        self.credit_note_button.clicked.connect(self.print_credit_note)
        self.message_label = actions.message_label

        case_page = QWidget()
        case_page.setObjectName("case_page")
        case_layout = QVBoxLayout(case_page)
        case_layout.setContentsMargins(4, 0, 0, 0)
        case_layout.addWidget(self.detail_scroll, 1)
        case_layout.addWidget(actions)
        self._case_page = case_page
        self.detail_stack = QStackedWidget()
        self.detail_stack.setObjectName("detail_stack")
        self.detail_stack.addWidget(self.empty_label)
        self.detail_stack.addWidget(case_page)
        self.detail_busy = BusyOverlay(self.detail_stack)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("to_pay_splitter")
        self.splitter.addWidget(pane)
        self.splitter.addWidget(self.detail_stack)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([560, 640])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        QWidget.setTabOrder(self.queue_table, self.method_combo)
        QWidget.setTabOrder(self.method_combo, self.issue_button)

    def _build_shortcuts(self) -> None:
        def shortcut(keys: str, slot: Callable[[], None]) -> QShortcut:
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
            return sc

        self.issue_shortcut = shortcut("Ctrl+I", lambda: self._trigger(self.issue_button, self.issue_refund))
        self.receipt_shortcut = shortcut("Ctrl+P", lambda: self._trigger(self.receipt_button, self.print_receipt))
        self.credit_note_shortcut = shortcut("Ctrl+Shift+P",
                                             lambda: self._trigger(self.credit_note_button, self.print_credit_note))
        self.method_shortcut = shortcut("Ctrl+M", self._on_method_shortcut)
        self.refresh_shortcut = shortcut("F5", self.refresh)

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.title_label.setText(self.tr("Refunds to pay"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the worklist again ({key})").format(
            key=_native(self.refresh_shortcut.key())))
        self.queue_table.setToolTip(self.tr("Longest waiting first. Up/Down choose a return, Enter pays it."))
        self.empty_label.setText(self.tr("Choose a return in the worklist to pay it."))
        body = self.case_pane
        body.lines_box.setTitle(self.tr("Lines"))
        body.figures_box.retranslate_ui()
        bar = self.refund_bar
        bar.method_label.setText(self.tr("Refund &method ({key}):").format(key=_native(self.method_shortcut.key())))
        bar.issue_button.setText(self.tr("Issue refund ({key})").format(key=_native(self.issue_shortcut.key())))
        bar.receipt_button.setText(self.tr("Print receipt ({key})").format(key=_native(self.receipt_shortcut.key())))
        bar.credit_note_button.setText(self.tr("Print credit note ({key})").format(
            key=_native(self.credit_note_shortcut.key())))
        bar.retranslate_methods()
        self.queue_model.retranslate()
        self.lines_model.retranslate()
        self._update_queue_status()
        if self._case is not None:
            self._render_case(self._case)
        else:
            self._update_actions()

    def _on_language_changed(self) -> None:
        if hasattr(self, "actions_pane"):
            self.retranslate_ui()

    # ------------------------------------------------------------------ live updates
    def _on_data_changed(self, entity: str, entity_id: int) -> None:
        if entity in ("return", "any"):
            self._refresh_timer.start()

    def _on_live_resync(self) -> None:
        self._refresh_timer.start()

    # ------------------------------------------------------------------ the worklist
    def refresh(self) -> None:
        """Read the worklist and the return shown again (F5)."""
        self._queue_problem = ""
        self.queue_model.refresh()
        # A return being opened (a click, a scan) wins over the one shown until now.
        target = self._loading_rma or self._shown_rma
        if target is not None and not self._acting:
            self.open_return(target)

    def _on_reasons(self, reasons: list[ReasonView]) -> None:
        self._reason_names = ReasonNames.from_reasons(reasons)
        if self._case is not None:
            self._render_case(self._case)

    def _on_queue_rows(self, _count: int) -> None:
        self._queue_problem = ""
        model = self.queue_model
        shown = self._loading_rma or self._shown_rma
        row = model.row_of(shown) if shown else -1
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        selection = self.queue_table.selectionModel()
        if row >= 0:
            selection.setCurrentIndex(model.index(row, 0), flags)
        elif shown is None and model.rowCount():
            selection.setCurrentIndex(model.index(0, 0), flags)
        self._update_queue_status()
        self.queue_loaded.emit(model.rowCount())

    def _on_queue_failed(self, error: BaseException) -> None:
        self._queue_problem = self._report(error, self.tr("reading the worklist"))
        self._update_queue_status()

    def _update_queue_status(self) -> None:
        count = self.queue_model.rowCount()
        label = self.queue_status_label
        label.setStyleSheet("color: #b00020;" if self._queue_problem else "")
        if self._queue_problem:
            text = self._queue_problem
        elif self.queue_model.loading and count == 0:
            text = self.tr("Reading the worklist…")
        elif count == 0:
            text = self.tr("Every approved return is paid.")
        elif self.queue_model.exhausted:
            total: dict[str, int] = {}
            for i in range(count):
                item = self.queue_model.row(i).summary
                total[item.currency] = total.get(item.currency, 0) + item.refund_total_minor
            text = self.tr("Returns to pay: {count}, together {amount}.").format(
                count=count, amount=" + ".join(format_money(v, c) for c, v in sorted(total.items())))
        else:
            text = self.tr("Returns shown: {count}; scroll down for more.").format(count=count)
        label.setText(text)

    def _on_queue_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        rma = self.queue_model.row(current.row()).rma_no
        if rma not in (self._shown_rma, self._loading_rma):
            self.open_return(rma)

    def _on_queue_enter(self) -> None:
        index = self.queue_table.currentIndex()
        if index.isValid() and self._case is not None and self._case.rma_no == self.queue_model.row(index.row()).rma_no:
            self._trigger(self.issue_button, self.issue_refund)

    def _on_method_shortcut(self) -> None:
        if self.method_combo.isEnabled():
            self.method_combo.setFocus()
            self.method_combo.showPopup()

    # ------------------------------------------------------------------ the return shown
    def current_case(self) -> ApprovalCase | None:
        return self._case

    def open_return(self, rma_no: str) -> None:
        """Show the return ``rma_no`` on the right."""
        self._loading_rma = rma_no
        self.detail_busy.start()
        self._tasks.run(self._api.approval.get_case, rma_no, on_done=self._on_case_loaded,
                        on_error=self._on_case_failed, key=("to-pay-case", self._key))

    def _on_case_loaded(self, case: ApprovalCase) -> None:
        self.detail_busy.stop()
        first_time = case.rma_no != self._shown_rma
        self._loading_rma = None
        self._shown_rma = case.rma_no
        if first_time and case.rma_no != self._paid_rma:
            self.message_label.clear_message()
        self._show_case(case)
        self.case_loaded.emit(case.rma_no)

    def _on_case_failed(self, error: BaseException) -> None:
        self.detail_busy.stop()
        self._loading_rma = None
        self._message(MessageKind.PROBLEM, self._report(error, self.tr("reading the return")))

    def _show_case(self, case: ApprovalCase | None) -> None:
        self._case = case
        if case is None:
            self.detail_stack.setCurrentWidget(self.empty_label)
            self.lines_model.clear()
            self._update_actions()
            return
        self.detail_stack.setCurrentWidget(self._case_page)
        self._render_case(case)

    def _render_case(self, case: ApprovalCase) -> None:
        d = case.detail
        body = self.case_pane
        body.rma_label.setText(d.rma_no)
        try:
            body.status_pill.set_status(d.status)
        except ValueError:
            body.status_pill.set_status(None)
        body.amount_label.setText(format_money(d.refund_total_minor, d.currency))
        customer = d.customer_name or self.tr("Walk-in customer")
        if d.customer_phone:
            customer = self.tr("{name} · {phone}").format(name=customer, phone=d.customer_phone)
        approved = next((e for e in reversed(case.timeline) if e.action in ("approve", "auto_approve")), None)
        if approved is not None and approved.action == "auto_approve":
            how = self.tr("automatically at inspection · {when}").format(when=format_when(approved.at))
        elif approved is not None:
            how = self.tr("{who} ({level}) · {when}").format(who=approved.who,
                                                             level=approval_level_name(d.approval_level),
                                                             when=format_when(approved.at))
        else:
            how = "—"
        facts = body.facts
        facts.clear()
        facts.add_row(self.tr("Customer"), customer, key="customer")
        facts.add_row(self.tr("Order"), self.tr("{order} · sold {sold}").format(
            order=d.order_no, sold=format_when(d.sold_at)), key="order")
        facts.add_row(self.tr("Channel"), self.tr("At the counter") if d.channel == "counter"
                      else self.tr("Phone or online (parcel)"), key="channel")
        facts.add_row(self.tr("Approved"), how, key="approved")
        facts.add_row(self.tr("Customer chose"), refund_method_name(d.refund_method), key="method")
        if case.refund is not None:
            r = case.refund
            paid = self.tr("{number}: {amount} by {method}, {who} at {when}").format(
                number=r.refund_no, amount=format_money(r.amount_minor, r.currency),
                method=refund_method_name(r.method), who=r.issued_by, when=format_when(r.issued_at))
            if r.credit_note_no:
                paid += " · " + self.tr("credit note {number}").format(number=r.credit_note_no)
            facts.add_row(self.tr("Refund"), paid, key="refund")
        self.lines_model.set_lines(d.lines, case.checks, currency=d.currency, reason_names=self._reason_names)
        body.figures_box.show_detail(d)
        self.refund_bar.set_methods(case.methods, case.refund.method if case.refund else d.refund_method)
        self._update_actions()

    # ------------------------------------------------------------------ what may be done now
    def _update_actions(self) -> None:
        case = self._case
        bar = self.refund_bar
        if case is None:
            self.actions_pane.setVisible(False)
            for button in (bar.issue_button, bar.receipt_button, bar.credit_note_button):
                button.setEnabled(False)
            return
        self.actions_pane.setVisible(True)
        may_refund = can(self._actor.role, Permission.ISSUE_REFUND)
        approved = case.status == ReturnStatus.APPROVED and case.refund is None
        issue = approved and may_refund and not self._acting
        bar.issue_button.setEnabled(issue)
        bar.method_combo.setEnabled(issue)
        amount = format_money(case.detail.refund_total_minor, case.detail.currency)
        if issue:
            bar.issue_button.setToolTip(self.tr("Pay back {amount} by the chosen method ({key})").format(
                amount=amount, key=_native(self.issue_shortcut.key())))
        elif not may_refund:
            bar.issue_button.setToolTip(self.tr("Your role may not issue refunds."))
        elif case.refund is not None:
            bar.issue_button.setToolTip(self.tr("The refund was issued already."))
        else:
            bar.issue_button.setToolTip(self.tr("Only an approved return is paid here."))
        may_print = can(self._actor.role, Permission.PRINT)
        paid = case.refund is not None
        receipt = may_print and paid and not self._acting and not self.printing.busy(DocumentType.COUNTER_RECEIPT)
        bar.receipt_button.setEnabled(receipt)
        bar.receipt_button.setToolTip(self.tr("Print the receipt of this refund") if receipt
                                      else self.tr("The receipt is printed once the refund is issued."))
        note = case.refund.credit_note_no if case.refund else None
        credit = may_print and note is not None and not self._acting and not self.printing.busy(
            DocumentType.CREDIT_NOTE)
        bar.credit_note_button.setEnabled(credit)
        bar.credit_note_button.setToolTip(self.tr("Print credit note {number}").format(number=note) if credit
                                          else self.tr("The credit note exists once the refund is issued."))
        if case.refund is not None:
            bar.refund_label.setText(self.tr("Paid. Print the receipt and the credit note for the customer."))
        elif approved:
            bar.refund_label.setText(self.tr("Approved: issue the refund of {amount}.").format(amount=amount))
        else:
            bar.refund_label.setText(bar.issue_button.toolTip())

    # ------------------------------------------------------------------ paying
    def issue_refund(self) -> None:
        """Pay the return shown by the chosen method (Enter in the worklist, Ctrl+I)."""
        case = self._case
        if case is None or self._acting:
            return
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self._acting = True
        self._update_actions()
        self._message(MessageKind.INFO, self.tr("Saving…"))
        self._tasks.run(self._api.refunds.issue_refund, case.rma_no, method=self.refund_bar.chosen_method(),
                        expected_version=case.detail.version, on_done=self._on_refund_issued,
                        on_error=self._on_refund_failed, key=("to-pay-act", self._key))

    def _on_refund_issued(self, result: RefundResult) -> None:
        self._acting = False
        r = result.refund
        text = self.tr("Refund {number} of {amount} issued by {method}.").format(
            number=r.refund_no, amount=format_money(r.amount_minor, r.currency), method=refund_method_name(r.method))
        if result.credit_note_no:
            text += " " + self.tr("Print the receipt ({receipt}) or the credit note {number} ({key}).").format(
                receipt=_native(self.receipt_shortcut.key()), number=result.credit_note_no,
                key=_native(self.credit_note_shortcut.key()))
        self._paid_rma = r.rma_no
        self._message(MessageKind.OK, text)
        # The return stays shown (paid, for its documents); the row leaves the worklist.
        self.open_return(r.rma_no)
        self.queue_model.refresh()
        self.receipt_button.setFocus()
        self.refund_issued.emit(r.rma_no)

    def _on_refund_failed(self, error: BaseException) -> None:
        self._acting = False
        self._update_actions()
        if isinstance(error, ConcurrentChange):
            self._message(MessageKind.WARNING, tr_message(error.message))
            self.action_refused.emit(tr_message(error.message))
            self.refresh()
            return
        message = self._report(error, self.tr("issuing the refund"))
        self._message(MessageKind.PROBLEM, message)
        if isinstance(error, ReturnDeskError):
            self.action_refused.emit(message)
            if self._shown_rma:
                self.open_return(self._shown_rma)

    # ------------------------------------------------------------------ printing
    def print_receipt(self) -> None:
        """Print the receipt of the refund shown (Ctrl+P; again: a marked reprint)."""
        self._print(DocumentType.COUNTER_RECEIPT)

    def print_credit_note(self) -> None:
        """Print the credit note of the refund shown (Ctrl+Shift+P)."""
        self._print(DocumentType.CREDIT_NOTE)

    def _print(self, doc_type: DocumentType) -> None:
        case = self._case
        if case is None:
            return
        if self.printing.print(doc_type, case.rma_no, "zh_CN" if is_chinese() else "en"):
            self._message(MessageKind.INFO, self.tr("Printing…"))
            self._update_actions()

    def _on_printed(self, printed: PrintedDocument) -> None:
        self._update_actions()
        if printed.reprint:
            text = self.tr("Printed again (reprint {count}): {where}").format(count=printed.reprint,
                                                                             where=printed.where)
        else:
            text = self.tr("Printed: {where}").format(where=printed.where)
        self._message(MessageKind.OK, text)
        self.document_printed.emit(printed.where)

    def _on_print_failed(self, _doc_type: str, message: str) -> None:
        self._update_actions()
        self._message(MessageKind.PROBLEM, message)

    def _on_print_declined(self, _doc_type: str) -> None:
        self._update_actions()
        self._message(MessageKind.INFO, self.tr("Not printed: the preview was closed."))

    # ------------------------------------------------------------------ helpers
    def _trigger(self, button: QPushButton, action: Callable[[], None]) -> None:
        if button.isVisible() and button.isEnabled():
            action()
        elif self._case is not None and button.toolTip():
            self._message(MessageKind.WARNING, button.toolTip())

    def _message(self, kind: MessageKind, text: str) -> None:
        self.message_label.show_message(kind, text)

    def _report(self, error: BaseException, context: str) -> str:
        if isinstance(error, ReturnDeskError):
            return self._errors.report(error, context=context).message
        return self._errors.present(error, context=context).message
