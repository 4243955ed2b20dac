"""The supervisor's approval workstation (主管审批).

Left, the queue: the returns waiting for this user's approval, oldest first (how long each has
waited, RMA, customer, refund, reasons), filtered by return reason — the combo box counts the
returns of each reason — and by text (RMA or order number, part of the customer's name or phone).
The queue is an :class:`~.models.ApprovalQueueTableModel` over keyset pages.

Right, the selected return: its lines with grades, dispositions, checks and the policy's verdict,
the computed refund and its deductions (grade deduction, restocking fee, shipping), why routing
asked for a person, the customer's return history (count and rate) and the timeline from the
audit trail (who, when, where, what).

Deciding: Approve, Reject (a written reason is required) or Override policy (a written reason is
required), with the note or reason typed in the field above the buttons. Each button is enabled as
``approval.approval_state`` says; a disabled one says why, on screen and in its tooltip ("You
inspected this return…", "¥6,000.00 is above your approval limit of ¥5,000.00…"). The services run
the same checks and refuse anyway; a refusal is shown in the status line. A decision taken on a
return that changed meanwhile is refused by the services (``ConcurrentChange``): the message is
shown and the return is read again.

After approval: Issue refund (the method defaults to the return's), then Print receipt and Print
credit note: through the station's printer for that document when one is chosen (the application's
``PrintService``, with its preview), else as a PDF file in the station's output folder (see
:mod:`.documents`) — a PDF is always available.

Keyboard: Up/Down move in the queue, Ctrl+Enter approves, Ctrl+R rejects, Ctrl+O overrides,
Ctrl+I issues the refund, Ctrl+P prints the receipt, Ctrl+Shift+P the credit note, Ctrl+F goes to
the filter, F5 reads the queue again. Shortcuts are named in the tooltips.

The screen follows changes (``LiveUpdates`` of the application, else the changes of this process):
the queue is read again, keeping the selection, and the return shown is reloaded when it changed.

Signals for tests and the frame: ``queue_loaded(rows shown)``, ``return_selected(rma)`` when another
return is shown, ``case_loaded(rma)`` each time the detail was (re)loaded, ``return_approved(rma)``
(also after an override), ``return_rejected(rma)``, ``refund_issued(rma)``, ``action_refused(message)``
and ``document_printed(where)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from returndesk.domain.money import format_money
from returndesk.domain.permissions import Permission, can
from returndesk.domain.types import DocumentType, ReturnStatus
from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Actor, ApprovalCase, ReasonView, RefundResult, ReturnDetail
from returndesk.ui.printing import PrintService
from returndesk.ui.screens.approval.documents import ApprovalPrinter, PrintedDocument, pdf_folder_printer
from returndesk.ui.screens.approval.models import (
    ApprovalLinesTableModel,
    ApprovalQueuePage,
    ApprovalQueueRow,
    ApprovalQueueTableModel,
    ApprovalTimelineTableModel,
    QueuePageFetcher,
    ReasonNames,
    approval_level_name,
    aware,
    format_age,
    format_when,
    is_chinese,
    refund_method_name,
)
from returndesk.ui.screens.approval.widgets import (
    MIN_REASON_LENGTH,
    ApprovalActionsPaneWidget,
    ApprovalCasePaneWidget,
    ApprovalQueuePaneWidget,
    MessageKind,
)
from returndesk.ui.screens.worklist_case import (
    PAGE_SIZE,
    REFRESH_DELAY_MS,
    WorklistCaseScreen,
    native,
    show_status,
)
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.i18n import tr_message

if TYPE_CHECKING:
    from returndesk.ui.live import LiveUpdates

#: Pause after the last keystroke in the filter before the queue is read with it.
FILTER_DELAY_MS = 400
#: States in which the refund is decided: the receipt can be printed.
RECEIPT_STATES = frozenset({ReturnStatus.APPROVED, ReturnStatus.REFUNDED, ReturnStatus.EXCHANGED,
                            ReturnStatus.CLOSED})
#: States after approval, when the refund bar is shown.
DECIDED_STATES = RECEIPT_STATES | {ReturnStatus.REFUND_REJECTED}


# --------------------------------------------------------------------------- worker-side reads


@dataclass(frozen=True)
class QueueFacts:
    """What the queue's header shows: its size, the count per return reason, the reasons' names."""

    size: int
    counts: tuple[tuple[str, int], ...]
    reasons: tuple[ReasonView, ...]


def load_queue_facts(api: ReturnDeskApi) -> QueueFacts:
    """The queue's size and counts by reason, and the reasons' names (on a worker thread)."""
    return QueueFacts(
        size=api.approval.queue_size(),
        counts=tuple(api.approval.queue_counts_by_reason()),
        reasons=tuple(api.settings.list_reasons(include_inactive=True)),
    )


def queue_fetcher(api: ReturnDeskApi, *, reason_code: str | None = None, text: str = "",
                  limit: int = PAGE_SIZE) -> QueuePageFetcher:
    """The page reader of the queue with these filters: each page with its rows' notes."""

    def fetch(after: str | None) -> ApprovalQueuePage:
        page = api.approval.approval_queue(reason_code=reason_code or None, text=text or None,
                                           after=after, limit=limit)
        notes = api.approval.find_queue_notes([item.id for item in page.items])
        rows = tuple(ApprovalQueueRow(item, notes.get(item.id)) for item in page.items)
        return ApprovalQueuePage(rows, page.next_cursor)

    return fetch


# --------------------------------------------------------------------------- the screen


class ApprovalScreen(WorklistCaseScreen):
    """The supervisor's approval workstation; see the module documentation.

    ``live``: the application's ``LiveUpdates`` (else the changes of this process are followed).
    ``print_service``: prints documents routed to a printer at this station (default: one made for
    the station); ``printer``: prints the others (default: PDF files in the station's output
    folder). ``clock``: the time the queue's ages count to (default: the services' clock).
    """

    return_selected = Signal(str)
    return_approved = Signal(str)
    return_rejected = Signal(str)
    refund_issued = Signal(str)
    facts_loaded = Signal()  # the queue's size, counts by reason and the reasons' names arrived
    task_prefix = "approval"
    _case: ApprovalCase | None

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 live: LiveUpdates | None = None, printer: ApprovalPrinter | None = None,
                 print_service: PrintService | None = None, clock: Callable[[], datetime] | None = None,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(api, tasks, actor, parent, clock=clock, page_size=page_size)
        self.setObjectName("approval_screen")
        self._printer = printer or pdf_folder_printer(api)
        self._print_service = print_service if print_service is not None else self._station_print_service()
        self._printing: set[str] = set()  # document types on their way to a printer or a file
        if self._print_service is not None:
            self._print_service.document_printed.connect(self._on_print_service_document_printed)
            self._print_service.failed.connect(self._on_print_service_failed)
            self._print_service.declined.connect(self._on_print_service_declined)
        self._reason_code: str | None = None
        self._filter_text = ""
        self._facts: QueueFacts | None = None
        self._focus_next_step = False
        self._case_timer = QTimer(self)
        self._case_timer.setSingleShot(True)
        self._case_timer.setInterval(REFRESH_DELAY_MS)
        self._case_timer.timeout.connect(self.reload_case)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)

        self._finish_setup(live)
        self._load_facts()
        self.queue_model.reload()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        # --- the queue
        self.queue_model = ApprovalQueueTableModel(
            queue_fetcher(self._api, limit=self._page_size), self._tasks,
            now=self._clock, parent=self)
        self._connect_queue_model()
        queue_pane = ApprovalQueuePaneWidget(self.queue_model)
        self._bind_queue_pane(queue_pane)
        self.queue_size_label = queue_pane.queue_size_label
        self.reason_combo = queue_pane.reason_combo
        self.reason_combo.currentIndexChanged.connect(self._on_reason_combo_current_index_changed)
        self.filter_edit = queue_pane.filter_edit
        self.filter_edit.textEdited.connect(self._on_filter_edit_text_edited)
        self.filter_edit.returnPressed.connect(self.apply_filter)
        self.queue_table.activated.connect(self._on_queue_table_activated)

        # --- the detail
        self.lines_model = ApprovalLinesTableModel(self)
        self.timeline_model = ApprovalTimelineTableModel(self)
        detail_body = ApprovalCasePaneWidget(self.lines_model, self.timeline_model)
        self.case_pane = detail_body
        self.rma_label = detail_body.rma_label
        self.status_pill = detail_body.status_pill
        self.level_label = detail_body.level_label
        self.amount_label = detail_body.amount_label
        self.facts_left = detail_body.facts_left
        self.facts_right = detail_body.facts_right
        self.reasons_box = detail_body.reasons_box
        self.reasons_label = detail_body.reasons_label
        self.lines_table = detail_body.lines_table
        self.lines_box = detail_body.lines_box
        self.figures_box = detail_body.figures_box
        self.history_box = detail_body.history_box
        self.timeline_table = detail_body.timeline_table
        self.timeline_box = detail_body.timeline_box
        self._make_detail_scroll(detail_body)

        actions = ApprovalActionsPaneWidget()
        self.actions_pane = actions
        self.decision_bar = actions.decision_bar
        self.decision_bar.approve_button.clicked.connect(self.approve)
        self.decision_bar.reject_button.clicked.connect(self.reject)
        self.decision_bar.override_button.clicked.connect(self.override_policy)
        self.refund_bar = actions.refund_bar
        self.refund_bar.issue_button.clicked.connect(self.issue_refund)
        self.refund_bar.receipt_button.clicked.connect(self.print_receipt)
        self.refund_bar.credit_note_button.clicked.connect(self.print_credit_note)
        self.message_label = actions.message_label
        self._arrange(queue_pane, actions)

    def _arrange(self, queue_pane: QWidget, actions: QWidget) -> None:
        """The queue (left) and the case with its actions under it (right) in a splitter; the tab order."""
        self._arrange_case(queue_pane, actions, splitter_name="approval_splitter", sizes=(480, 720))
        # The tab order follows the work: filter, queue, note, the decisions, the refund.
        QWidget.setTabOrder(self.reason_combo, self.filter_edit)
        QWidget.setTabOrder(self.filter_edit, self.queue_table)
        QWidget.setTabOrder(self.queue_table, self.decision_bar.note_edit)
        QWidget.setTabOrder(self.decision_bar.note_edit, self.decision_bar.approve_button)
        QWidget.setTabOrder(self.decision_bar.approve_button, self.decision_bar.reject_button)
        QWidget.setTabOrder(self.decision_bar.reject_button, self.decision_bar.override_button)
        QWidget.setTabOrder(self.decision_bar.override_button, self.refund_bar.method_combo)
        QWidget.setTabOrder(self.refund_bar.method_combo, self.refund_bar.issue_button)

    def _build_shortcuts(self) -> None:
        shortcut = self._shortcut
        self.approve_shortcut = shortcut("Ctrl+Return", self._on_approve_shortcut_activated)
        # The keypad's Enter is another key: both approve.
        self.approve_keypad_shortcut = shortcut("Ctrl+Enter", self._on_approve_shortcut_activated)
        self.reject_shortcut = shortcut("Ctrl+R", self._on_reject_shortcut_activated)
        self.override_shortcut = shortcut("Ctrl+O", self._on_override_shortcut_activated)
        self.issue_shortcut = shortcut("Ctrl+I", self._on_issue_shortcut_activated)
        self.receipt_shortcut = shortcut("Ctrl+P", self._on_receipt_shortcut_activated)
        self.credit_note_shortcut = shortcut("Ctrl+Shift+P", self._on_credit_note_shortcut_activated)
        self.filter_shortcut = shortcut(QKeySequence.StandardKey.Find, self._on_filter_shortcut_activated)
        self.refresh_shortcut = shortcut("F5", self.refresh)

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.title_label.setText(self.tr("Approvals"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the queue again ({key})").format(
            key=native(self.refresh_shortcut.key())))
        self.filter_edit.setPlaceholderText(self.tr("RMA, order, name or phone"))
        self.filter_edit.setToolTip(self.tr("Filter the queue: type and press Enter ({key})").format(
            key=native(self.filter_shortcut.key())))
        self.reason_combo.setToolTip(self.tr("Show only returns with a line of this reason"))
        self.queue_table.setToolTip(self.tr("Oldest first. Up/Down choose a return."))
        self.empty_label.setText(self.tr("Choose a return in the queue to see it here."))
        for key, text in (("customer", self.tr("Customer")), ("order", self.tr("Order")),
                          ("channel", self.tr("Channel"))):
            self.facts_left._rows[key][0].setText(text)
        for key, text in (("created", self.tr("Taken by")), ("inspected", self.tr("Inspected by")),
                          ("waiting", self.tr("Waiting"))):
            self.facts_right._rows[key][0].setText(text)
        self.reasons_box.setTitle(self.tr("Why it needs your approval"))
        self.lines_box.setTitle(self.tr("Lines"))
        self.timeline_box.setTitle(self.tr("Timeline"))
        bar = self.decision_bar
        bar.note_label.setText(self.tr("&Note or reason:"))
        bar.note_edit.setPlaceholderText(self.tr("Optional when approving; required to reject or override"))
        bar.approve_button.setText(self.tr("&Approve"))
        bar.reject_button.setText(self.tr("&Reject…"))
        bar.override_button.setText(self.tr("&Override policy…"))
        refund = self.refund_bar
        refund.method_label.setText(self.tr("Refund &method:"))
        refund.issue_button.setText(self.tr("&Issue refund"))
        refund.receipt_button.setText(self.tr("Print &receipt"))
        refund.credit_note_button.setText(self.tr("Print &credit note"))
        refund.retranslate_methods()
        self.figures_box.retranslate_ui()
        self.history_box.retranslate_ui()
        self.timeline_model.retranslate()
        self._fill_reason_combo()
        self._retranslate_rest()

    # ------------------------------------------------------------------ live updates
    def _on_data_changed(self, entity: str, entity_id: int) -> None:
        if entity not in ("return", "any"):
            return
        self._refresh_timer.start()
        if self._case is not None and (entity == "any" or entity_id == self._case.detail.id):
            self._case_timer.start()

    def _on_live_resync(self) -> None:
        self._refresh_timer.start()
        if self._case is not None:
            self._case_timer.start()

    def _on_refresh_timer_timeout(self) -> None:
        self._load_facts()
        self.queue_model.refresh()

    # ------------------------------------------------------------------ the queue
    def refresh(self) -> None:
        """Read the queue (and its counts) again, keeping the selection (F5)."""
        self._queue_problem = ""
        self._load_facts()
        self.queue_model.refresh()
        self._update_queue_status()

    def apply_filter(self) -> None:
        """Read the queue with the text in the filter field (Enter, or a pause in typing)."""
        self._filter_timer.stop()
        text = " ".join(self.filter_edit.text().split())
        self._filter_text = text
        self._reload_queue()

    def set_reason_filter(self, code: str | None) -> None:
        """Show only returns with a line of reason ``code`` (None: all)."""
        index = self.reason_combo.findData(code)
        if index < 0 and code is not None:
            self._reason_code = code
            self._fill_reason_combo()
            index = self.reason_combo.findData(code)
        self.reason_combo.setCurrentIndex(max(index, 0))

    def _reload_queue(self) -> None:
        self._queue_problem = ""
        self.queue_model.set_fetcher(queue_fetcher(
            self._api, reason_code=self._reason_code, text=self._filter_text,
            limit=self._page_size))
        self._update_queue_status()

    def _on_filter_edit_text_edited(self, _text: str) -> None:
        self._filter_timer.start()

    def _on_reason_combo_current_index_changed(self, index: int) -> None:
        code = self.reason_combo.itemData(index) if index >= 0 else None
        if code == self._reason_code:
            return
        self._reason_code = code
        self._reload_queue()

    def _load_facts(self) -> None:
        self._tasks.run(load_queue_facts, self._api, on_done=self._on_facts_loaded,
                        on_error=self._on_facts_failed, key=("approval-facts", self._key))

    def _on_facts_loaded(self, facts: QueueFacts) -> None:
        self._facts = facts
        self._reason_names = ReasonNames.from_reasons(facts.reasons)
        self.queue_model.set_reason_names(self._reason_names)
        if self._case is not None:
            self.lines_model.set_lines(self._case.detail.lines, self._case.checks,
                                       currency=self._case.detail.currency, reason_names=self._reason_names)
        self._fill_reason_combo()
        self._update_queue_status()
        self.facts_loaded.emit()

    def _on_facts_failed(self, error: BaseException) -> None:
        self._queue_problem = self._report(error, self.tr("counting the queue"))
        self._update_queue_status()

    def _fill_reason_combo(self) -> None:
        counts = dict(self._facts.counts) if self._facts is not None else {}
        size = self._facts.size if self._facts is not None else None
        combo = self.reason_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("All reasons ({count})").format(count=size) if size is not None
                      else self.tr("All reasons"), None)
        codes = list(counts)
        if self._reason_code is not None and self._reason_code not in counts:
            codes.append(self._reason_code)  # keep the chosen filter even when nothing is left
        for code in codes:
            combo.addItem(self.tr("{reason} ({count})").format(reason=self._reason_names.name(code),
                                                               count=counts.get(code, 0)), code)
        combo.setCurrentIndex(max(combo.findData(self._reason_code), 0))
        combo.blockSignals(False)

    def _reading_queue_words(self) -> str:
        return self.tr("reading the approval queue")

    def _update_queue_status(self) -> None:
        size = self._facts.size if self._facts is not None else None
        self.queue_size_label.setText(
            self.tr("Waiting for your approval: {count}").format(count=size) if size is not None else "")
        super()._update_queue_status()

    def _queue_status_text(self, count: int) -> str:
        if count == 0 and (self._filter_text or self._reason_code):
            return self.tr("No return waiting for you matches this filter.")
        if count == 0:
            return self.tr("Nothing waits for your approval.")
        if self.queue_model.exhausted:
            oldest = self.queue_model.row(0).summary
            return self.tr("Returns shown: {count}; the oldest has waited {age}.").format(
                count=count, age=format_age(oldest.age(self._clock())))
        return self.tr("Returns shown: {count}; scroll down for more.").format(count=count)

    def _on_queue_table_activated(self, index: QModelIndex) -> None:
        # Enter or double-click: the return whole, on its detail page.
        if index.isValid():
            self.return_detail_requested.emit(self.queue_model.row(index.row()).rma_no)

    # ------------------------------------------------------------------ the selected return
    def open_return(self, rma_no: str) -> None:
        """Show the return ``rma_no`` on the right (any state: decided returns stay readable)."""
        self._open(rma_no)

    def _read_case(self, rma_no: str) -> ApprovalCase:
        return self._api.approval.get_case(rma_no)

    def reload_case(self) -> None:
        """Read the return shown again (after a decision, or when it changed elsewhere)."""
        # A return being opened wins over the one still shown: the user moved on.
        rma = self._loading_rma or self._shown_rma
        if rma is not None:
            self.open_return(rma)

    def _on_case_loaded(self, case: ApprovalCase) -> None:
        first_time = self._case_arrived(case.rma_no)
        self._show_case(case)
        if first_time:
            self.message_label.clear_message()
            self.decision_bar.note_edit.clear()
            self.return_selected.emit(case.rma_no)
        elif self._focus_next_step:
            self._focus_next_step = False
            # After a decision the keyboard goes on with the next step: the refund, then printing.
            for button in (self.refund_bar.issue_button, self.refund_bar.receipt_button):
                if button.isVisibleTo(self) and button.isEnabled():
                    if self.focusWidget() in (None, self):
                        button.setFocus(Qt.FocusReason.OtherFocusReason)
                    break
        self.case_loaded.emit(case.rma_no)

    def _clear_case(self) -> None:
        self.lines_model.clear()
        self.timeline_model.clear()

    def _render_case(self, case: ApprovalCase) -> None:
        d = case.detail
        self.rma_label.setText(d.rma_no)
        show_status(self.status_pill, d.status)
        self.level_label.setText(self.tr("{level} approval").format(level=approval_level_name(d.approval_level))
                                 if d.approval_level else "")
        self.amount_label.setText(format_money(d.refund_total_minor, d.currency))
        self.facts_left.set_value("customer", self._customer_words(d, self.tr("Walk-in customer")))
        self.facts_left.set_value("order", self._order_words(d))
        channel = self.tr("At the counter") if d.channel == "counter" else self.tr("Phone or online (parcel)")
        self.facts_left.set_value("channel", channel)
        # People by the names the timeline gives them (display names), else by user name.
        created = next((e for e in case.timeline if e.action == "create"), None)
        inspected = next((e for e in reversed(case.timeline) if e.action == "complete_inspection"), None)
        self.facts_right.set_value("created", self.tr("{who} · {when}").format(
            who=created.who if created else (d.created_by_name or d.created_by), when=format_when(d.created_at)))
        self.facts_right.set_value("inspected", self.tr("{who} · {when}").format(
            who=inspected.who, when=format_when(inspected.at))
            if inspected else (d.inspected_by_name or d.inspected_by or "—"))
        age = aware(self._clock()) - aware(d.status_changed_at)
        self.facts_right.set_value("waiting", self.tr("{status} for {age}").format(
            status=self.status_pill.text(), age=format_age(age)))

        lines = [f"• {tr_message(r)}" for r in case.state.routing_reasons]
        if d.override_reason:
            lines.append(self.tr("Policy overridden: “{reason}”").format(reason=d.override_reason))
        self.reasons_label.setText("\n".join(lines) or self.tr("No routing reason recorded."))
        self.reasons_box.setVisible(bool(lines) or d.status == ReturnStatus.AWAITING_APPROVAL)

        self.lines_model.set_lines(d.lines, case.checks, currency=d.currency, reason_names=self._reason_names)
        self.figures_box.show_detail(d)
        self.history_box.show_history(case.history)
        self.timeline_model.set_entries(case.timeline, d.currency)
        self.timeline_table.scrollToBottom()
        self.refund_bar.set_methods(case.methods, case.refund.method if case.refund else d.refund_method)
        self._update_actions()

    # ------------------------------------------------------------------ what may be done now
    def _update_actions(self) -> None:
        case = self._case
        bar, refund = self.decision_bar, self.refund_bar
        if case is None:
            for button in (*bar.buttons(), refund.issue_button, refund.receipt_button, refund.credit_note_button):
                button.setEnabled(False)
            bar.setVisible(False)
            refund.setVisible(False)
            return
        state = case.state
        status = case.status
        waiting = status == ReturnStatus.AWAITING_APPROVAL
        bar.setVisible(waiting)
        keys = {
            "approve": native(self.approve_shortcut.key()),
            "reject": native(self.reject_shortcut.key()),
            "override": native(self.override_shortcut.key()),
        }
        amount = format_money(state.amount_minor, state.currency)
        verdicts = (
            (bar.approve_button, state.can_approve, state.why_not_approve,
             self.tr("Approve the refund of {amount} ({key})").format(amount=amount, key=keys["approve"])),
            (bar.reject_button, state.can_reject, state.why_not_reject,
             self.tr("Refuse the refund with the reason written in the field; the goods go back to the "
                     "customer ({key})").format(key=keys["reject"])),
            (bar.override_button, state.can_override, state.why_not_override,
             self.tr("Approve although the return is outside the policy, with the reason written in the "
                     "field ({key})").format(key=keys["override"])),
        )
        why_lines: list[str] = []
        names = (self.tr("Approve"), self.tr("Reject"), self.tr("Override policy"))
        said: set[str] = set()
        for (button, allowed, why, hint), name in zip(verdicts, names, strict=True):
            button.setEnabled(bool(allowed) and not self._acting)
            if allowed:
                button.setToolTip(hint)
                continue
            button.setToolTip(tr_message(why or ""))
            # A disabled override is worth a line only when the return is outside the policy, and
            # a reason shared by two buttons (you inspected it) is said once.
            if why and why not in said and (button is not bar.override_button or not state.in_policy):
                said.add(why)
                why_lines.append(self.tr("{action}: {why}").format(action=name, why=why))
        bar.set_why_not(why_lines if waiting else [])

        decided = status in DECIDED_STATES
        refund.setVisible(decided)
        may_refund = can(self._actor.role, Permission.ISSUE_REFUND)
        issue = status == ReturnStatus.APPROVED and may_refund and not self._acting
        refund.issue_button.setEnabled(issue)
        refund.method_combo.setEnabled(issue)
        refund.issue_button.setToolTip(
            self.tr("Pay back {amount} by the chosen method ({key})").format(
                amount=amount, key=native(self.issue_shortcut.key())) if issue
            else self._why_no_refund(case, may_refund))
        may_print = can(self._actor.role, Permission.PRINT)
        receipt = (may_print and status in RECEIPT_STATES and not self._acting
                   and DocumentType.COUNTER_RECEIPT.value not in self._printing)
        refund.receipt_button.setEnabled(receipt)
        refund.receipt_button.setToolTip(self.tr("Print the receipt of this return ({key})").format(
            key=native(self.receipt_shortcut.key())) if receipt else self.tr("The receipt is printed once the "
                                                                             "refund is approved."))
        note = case.refund.credit_note_no if case.refund else None
        credit = (may_print and note is not None and not self._acting
                  and DocumentType.CREDIT_NOTE.value not in self._printing)
        refund.credit_note_button.setEnabled(credit)
        refund.credit_note_button.setToolTip(self.tr("Print credit note {number} ({key})").format(
            number=note, key=native(self.credit_note_shortcut.key())) if credit
            else self.tr("The credit note exists once the refund is issued."))
        refund.refund_label.setText(self._refund_words(case))

    def _why_no_refund(self, case: ApprovalCase, may_refund: bool) -> str:
        if not may_refund:
            return self.tr("Your role may not issue refunds.")
        if case.status == ReturnStatus.REFUND_REJECTED:
            return self.tr("The refund was rejected; nothing is paid.")
        if case.refund is not None:
            return self.tr("The refund was issued already.")
        return self.tr("The refund is issued once it is approved.")

    def _refund_words(self, case: ApprovalCase) -> str:
        r = case.refund
        if r is not None:
            text = self.tr("Refund {number}: {amount} by {method}, issued by {who} at {when}.").format(
                number=r.refund_no, amount=format_money(r.amount_minor, r.currency),
                method=refund_method_name(r.method), who=r.issued_by, when=format_when(r.issued_at))
            if r.credit_note_no:
                text += " " + self.tr("Credit note {number}.").format(number=r.credit_note_no)
            return text
        if case.status == ReturnStatus.APPROVED:
            return self.tr("Approved: issue the refund of {amount}.").format(
                amount=format_money(case.detail.refund_total_minor, case.detail.currency))
        if case.status == ReturnStatus.REFUND_REJECTED:
            return self.tr("The refund was rejected; the goods go back to the customer.")
        return ""

    # ------------------------------------------------------------------ deciding
    def approve(self) -> None:
        """Approve the refund of the return shown, with the note in the field (Ctrl+Enter).

        Runs even when the button is disabled by a stale state: the services decide and refuse.
        """
        case = self._case
        if case is None or self._acting:
            return
        note = " ".join(self.decision_bar.note_edit.text().split()) or None
        self._act(self._api.approval.approve_refund, case.rma_no, note=note,
                  expected_version=case.state.version, on_done=self._on_approved, what=self.tr("approving the refund"))

    def reject(self) -> None:
        """Refuse the refund of the return shown with the reason written in the field (Ctrl+R)."""
        case = self._case
        if case is None or self._acting:
            return
        reason = self._written_reason(self.tr(
            "Write why the refund is rejected in the “Note or reason” field (at least {count} characters), "
            "then reject again; the reason is kept with the return."))
        if reason is None:
            return
        self._act(self._api.approval.reject_refund, case.rma_no, reason,
                  expected_version=case.state.version, on_done=self._on_rejected, what=self.tr("rejecting the refund"))

    def override_policy(self) -> None:
        """Approve the out-of-policy return shown, with the reason written in the field (Ctrl+O)."""
        case = self._case
        if case is None or self._acting:
            return
        reason = self._written_reason(self.tr(
            "Write why the policy is overridden in the “Note or reason” field (at least {count} characters), "
            "then override again; the reason is kept with the return."))
        if reason is None:
            return
        self._act(self._api.approval.override_policy, case.rma_no, reason,
                  expected_version=case.state.version, on_done=self._on_approved,
                  what=self.tr("overriding the policy"))

    def _written_reason(self, refusal: str) -> str | None:
        reason = " ".join(self.decision_bar.note_edit.text().split())
        if len(reason) >= MIN_REASON_LENGTH:
            return reason
        message = refusal.format(count=MIN_REASON_LENGTH)
        self._message(MessageKind.PROBLEM, message)
        self.decision_bar.note_edit.setFocus()
        self.action_refused.emit(message)
        return None

    def _release_focus(self) -> None:
        # The buttons are about to be disabled or hidden: Qt would pass the focus on along the tab
        # chain, to the queue, which would then open the next return under the user's hands.
        focused = self.focusWidget()
        if focused is not None and (self.decision_bar.isAncestorOf(focused) or self.refund_bar.isAncestorOf(focused)):
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_approved(self, detail: ReturnDetail) -> None:
        self._acting = False
        self.decision_bar.note_edit.clear()
        self._message(MessageKind.OK, self.tr(
            "{rma}: refund of {amount} approved. Issue it now ({key}) or leave it for the counter.").format(
            rma=detail.rma_no, amount=format_money(detail.refund_total_minor, detail.currency),
            key=native(self.issue_shortcut.key())))
        self._after_change(detail.rma_no)
        self.return_approved.emit(detail.rma_no)

    def _on_rejected(self, detail: ReturnDetail) -> None:
        self._acting = False
        self.decision_bar.note_edit.clear()
        self._message(MessageKind.OK, self.tr(
            "{rma}: refund rejected. The goods go back to the customer.").format(rma=detail.rma_no))
        self._after_change(detail.rma_no)
        self.return_rejected.emit(detail.rma_no)

    def _after_change(self, rma: str) -> None:
        self._shown_rma = rma
        self._focus_next_step = True
        self._update_actions()
        self.reload_case()
        self.refresh()

    def _after_conflict(self) -> None:
        self.reload_case()
        self.refresh()

    def _after_refusal(self) -> None:
        # What was refused may rest on a state that changed (a limit lowered): read it again.
        self.reload_case()

    # ------------------------------------------------------------------ the refund
    def issue_refund(self) -> None:
        """Pay back the approved return shown by the chosen method (Ctrl+I)."""
        case = self._case
        if case is None or self._acting:
            return
        self._act(self._api.refunds.issue_refund, case.rma_no,
                  method=self.refund_bar.chosen_method(), expected_version=case.state.version,
                  on_done=self._on_refund_issued, what=self.tr("issuing the refund"))

    def _on_refund_issued(self, result: RefundResult) -> None:
        self._acting = False
        self._message(MessageKind.OK, self._refund_issued_words(
            result, self.tr("Refund {number} of {amount} issued by {method}."),
            self.tr("Print the receipt ({receipt}) or the credit note {number} ({key}).")))
        self._after_change(result.refund.rma_no)
        self.refund_issued.emit(result.refund.rma_no)

    # ------------------------------------------------------------------ printing
    def print_receipt(self) -> None:
        """Print the receipt of the return shown (Ctrl+P); again: a marked reprint."""
        self._print(DocumentType.COUNTER_RECEIPT)

    def print_credit_note(self) -> None:
        """Print the credit note of the refunded return shown (Ctrl+Shift+P)."""
        self._print(DocumentType.CREDIT_NOTE)

    def _print(self, doc_type: DocumentType) -> None:
        case = self._case
        if case is None or doc_type.value in self._printing:
            return
        rma, lang = case.rma_no, "zh_CN" if is_chinese() else "en"
        self._printing.add(doc_type.value)
        self._update_actions()
        self._message(MessageKind.INFO, self.tr("Printing…"))
        if self._print_service is None:
            self._print_to_file(doc_type, rma, lang)
            return
        self._tasks.run(self._print_service.has_printer_for, doc_type,
                        on_done=lambda routed: self._on_route_known(doc_type, rma, lang, routed),
                        on_error=lambda error: self._on_print_failed(error, doc_type),
                        key=("approval-print", self._key, doc_type.value))

    def _on_route_known(self, doc_type: DocumentType, rma: str, lang: str, routed: bool) -> None:
        if routed and self._print_service is not None:
            self._print_service.print_document(doc_type, rma, lang=lang)
        else:
            # No printer is chosen for it at this station: the PDF file is always there.
            self._print_to_file(doc_type, rma, lang)

    def _print_to_file(self, doc_type: DocumentType, rma: str, lang: str) -> None:
        self._tasks.run(self._printer, doc_type, rma, lang, on_done=self._on_document_printed,
                        on_error=lambda error: self._on_print_failed(error, doc_type),
                        key=("approval-print", self._key, doc_type.value))

    def _on_print_service_document_printed(self, outcome: Any) -> None:
        doc = outcome.document
        if doc.doc_type.value not in self._printing:
            return  # another screen's document
        where = str(outcome.path) if outcome.path is not None else outcome.destination
        self._on_document_printed(PrintedDocument(doc.doc_type, doc.reference, where, doc.reprint))

    def _on_print_service_failed(self, message: str) -> None:
        if not self._printing:
            return  # another screen's document
        self._printing.clear()
        self._update_actions()
        self._message(MessageKind.PROBLEM, message)

    def _on_print_service_declined(self, doc_type: str, _reference: str) -> None:
        if doc_type not in self._printing:
            return
        self._printing.discard(doc_type)
        self._update_actions()
        self._message(MessageKind.INFO, self._not_printed_words())

    def _on_document_printed(self, printed: PrintedDocument) -> None:
        self._printing.discard(DocumentType(printed.doc_type).value)
        self._update_actions()
        self._message(MessageKind.OK, self._printed_words(printed.reprint, printed.where))
        self.document_printed.emit(printed.where)

    def _on_print_failed(self, error: BaseException, doc_type: DocumentType) -> None:
        self._printing.discard(doc_type.value)
        self._update_actions()
        if isinstance(error, OSError):
            message = self.tr("The document could not be printed ({reason}); check the printer or the folder, "
                              "then print again.").format(reason=error.strerror or str(error))
        else:
            message = self._report(error, self.tr("printing the document"))
        self._message(MessageKind.PROBLEM, message)

    # ------------------------------------------------------------------ shortcuts
    def _on_approve_shortcut_activated(self) -> None:
        self._trigger(self.decision_bar.approve_button, self.approve)

    def _on_reject_shortcut_activated(self) -> None:
        self._trigger(self.decision_bar.reject_button, self.reject)

    def _on_override_shortcut_activated(self) -> None:
        self._trigger(self.decision_bar.override_button, self.override_policy)

    def _on_issue_shortcut_activated(self) -> None:
        self._trigger(self.refund_bar.issue_button, self.issue_refund)

    def _on_receipt_shortcut_activated(self) -> None:
        self._trigger(self.refund_bar.receipt_button, self.print_receipt)

    def _on_credit_note_shortcut_activated(self) -> None:
        self._trigger(self.refund_bar.credit_note_button, self.print_credit_note)

    def _on_filter_shortcut_activated(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()
