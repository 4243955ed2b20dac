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

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Actor, ApprovalCase, Page, RefundResult, ToPayRow
from returndesk.domain.money import format_money
from returndesk.domain.permissions import Permission, can
from returndesk.domain.types import DocumentType, ReturnStatus
from returndesk.ui.printing import PrintService
from returndesk.ui.screens.approval.models import (
    ApprovalLinesTableModel,
    approval_level_name,
    format_when,
    is_chinese,
    refund_method_name,
)
from returndesk.ui.screens.approval.widgets import MessageKind
from returndesk.ui.screens.review.documents import DocumentPrinter, PrintedDocument, ScreenPrinting, pdf_folder_printer
from returndesk.ui.screens.to_pay.models import ToPayTableModel
from returndesk.ui.screens.to_pay.widgets import ToPayActionsPaneWidget, ToPayCasePaneWidget, ToPayQueuePaneWidget
from returndesk.ui.screens.worklist_case import PAGE_SIZE, WorklistCaseScreen, native, show_status
from returndesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from returndesk.ui.live import LiveUpdates


def worklist_fetcher(api: ReturnDeskApi, limit: int = PAGE_SIZE) -> Callable[[str | None], Page[ToPayRow]]:
    def fetch(after: str | None) -> Page[ToPayRow]:
        return api.refunds.to_pay_queue(after=after, limit=limit)

    return fetch


class ToPayScreen(WorklistCaseScreen):
    """The "to pay" worklist; see the module documentation."""

    refund_issued = Signal(str)
    task_prefix = "to-pay"
    _case: ApprovalCase | None

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 live: LiveUpdates | None = None, printer: DocumentPrinter | None = None,
                 print_service: PrintService | None = None, clock: Callable[[], datetime] | None = None,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(api, tasks, actor, parent, clock=clock, page_size=page_size)
        self.setObjectName("to_pay_screen")
        service = print_service if print_service is not None else self._station_print_service()
        self.printing = ScreenPrinting(tasks, printer or pdf_folder_printer(api, "refunds"), service,
                                       self._errors, self)
        self.printing.printed.connect(self._on_printed)
        self.printing.failed.connect(self._on_print_failed)
        self.printing.declined.connect(self._on_print_declined)
        self._paid_rma: str | None = None  # paid here last: stays shown for its documents
        self._finish_setup(live)
        self._read_reasons()
        self.queue_model.reload()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.queue_model = ToPayTableModel(worklist_fetcher(self._api, self._page_size), self._tasks,
                                           now=self._clock, parent=self)
        self._connect_queue_model()
        pane = ToPayQueuePaneWidget(self.queue_model)
        self._bind_queue_pane(pane)
        # Enter in the worklist pays the return shown (a double click only chooses it).
        self._enter_in_queue(self._on_queue_enter)

        self.lines_model = ApprovalLinesTableModel(self)
        body = ToPayCasePaneWidget(self.lines_model)
        self.case_pane = body
        self._make_detail_scroll(body)
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
        self._arrange_case(pane, actions, splitter_name="to_pay_splitter", sizes=(560, 640))
        QWidget.setTabOrder(self.queue_table, self.method_combo)
        QWidget.setTabOrder(self.method_combo, self.issue_button)

    def _build_shortcuts(self) -> None:
        shortcut = self._shortcut
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
            key=native(self.refresh_shortcut.key())))
        self.queue_table.setToolTip(self.tr("Longest waiting first. Up/Down choose a return, Enter pays it."))
        self.empty_label.setText(self.tr("Choose a return in the worklist to pay it."))
        body = self.case_pane
        body.lines_box.setTitle(self.tr("Lines"))
        body.figures_box.retranslate_ui()
        bar = self.refund_bar
        bar.method_label.setText(self.tr("Refund &method ({key}):").format(key=native(self.method_shortcut.key())))
        bar.issue_button.setText(self.tr("Issue refund ({key})").format(key=native(self.issue_shortcut.key())))
        bar.receipt_button.setText(self.tr("Print receipt ({key})").format(key=native(self.receipt_shortcut.key())))
        bar.credit_note_button.setText(self.tr("Print credit note ({key})").format(
            key=native(self.credit_note_shortcut.key())))
        bar.retranslate_methods()
        self._retranslate_rest()

    # ------------------------------------------------------------------ the worklist
    def refresh(self) -> None:
        """Read the worklist and the return shown again (F5)."""
        self._queue_problem = ""
        self.queue_model.refresh()
        # A return being opened (a click, a scan) wins over the one shown until now.
        target = self._loading_rma or self._shown_rma
        if target is not None and not self._acting:
            self.open_return(target)

    def _queue_reading_text(self) -> str:
        return self.tr("Reading the worklist…")

    def _queue_status_text(self, count: int) -> str:
        if count == 0:
            return self.tr("Every approved return is paid.")
        if self.queue_model.exhausted:
            total: dict[str, int] = {}
            for i in range(count):
                item = self.queue_model.row(i).summary
                total[item.currency] = total.get(item.currency, 0) + item.refund_total_minor
            return self.tr("Returns to pay: {count}, together {amount}.").format(
                count=count, amount=" + ".join(format_money(v, c) for c, v in sorted(total.items())))
        return self.tr("Returns shown: {count}; scroll down for more.").format(count=count)

    def _on_queue_enter(self) -> None:
        index = self.queue_table.currentIndex()
        if index.isValid() and self._case is not None and self._case.rma_no == self.queue_model.row(index.row()).rma_no:
            self._trigger(self.issue_button, self.issue_refund)

    def _on_method_shortcut(self) -> None:
        if self.method_combo.isEnabled():
            self.method_combo.setFocus()
            self.method_combo.showPopup()

    # ------------------------------------------------------------------ the return shown
    def open_return(self, rma_no: str) -> None:
        """Show the return ``rma_no`` on the right."""
        self._open(rma_no)

    def _read_case(self, rma_no: str) -> ApprovalCase:
        return self._api.approval.get_case(rma_no)

    def _on_case_loaded(self, case: ApprovalCase) -> None:
        first_time = self._case_arrived(case.rma_no)
        if first_time and case.rma_no != self._paid_rma:
            self.message_label.clear_message()
        self._show_case(case)
        self.case_loaded.emit(case.rma_no)

    def _render_case(self, case: ApprovalCase) -> None:
        d = case.detail
        body = self.case_pane
        body.rma_label.setText(d.rma_no)
        show_status(body.status_pill, d.status)
        body.amount_label.setText(format_money(d.refund_total_minor, d.currency))
        customer = self._customer_words(d, self.tr("Walk-in customer"))
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
        facts.add_row(self.tr("Order"), self._order_words(d), key="order")
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
                amount=amount, key=native(self.issue_shortcut.key())))
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
        self._act(self._api.refunds.issue_refund, case.rma_no, method=self.refund_bar.chosen_method(),
                  expected_version=case.detail.version, on_done=self._on_refund_issued,
                  what=self.tr("issuing the refund"))

    def _on_refund_issued(self, result: RefundResult) -> None:
        self._acting = False
        r = result.refund
        self._paid_rma = r.rma_no
        self._message(MessageKind.OK, self._refund_issued_words(
            result, self.tr("Refund {number} of {amount} issued by {method}."),
            self.tr("Print the receipt ({receipt}) or the credit note {number} ({key}).")))
        # The return stays shown (paid, for its documents); the row leaves the worklist.
        self.open_return(r.rma_no)
        self.queue_model.refresh()
        self.receipt_button.setFocus()
        self.refund_issued.emit(r.rma_no)

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
        self._message(MessageKind.OK, self._printed_words(printed.reprint, printed.where))
        self.document_printed.emit(printed.where)
