"""Customer service's review queue (客服审核).

Left, the queue: return requests taken by phone or online at the counter and those the web shop
sent, the oldest request first — how long each has waited, RMA and customer, where it came from,
the refund it would bring, the worst policy verdict of its lines, and the customer's history and
flags (count of returns, frequent returner, declined before, answered a question). A second view
lists the requests waiting for their customer's answer.

Right, the request shown: its lines with the policy's verdict on each, the customer's history
(returns in the window and in all, the reasons of their recent returns), the flags, and the
questions asked and answered.

Deciding, keyboard first:

* **Authorize** (Enter in the queue, or Ctrl+Enter): the return label is printed at once through
  the station's printer for labels (else a PDF in the station's folder); a web-shop request's label
  is recorded as sent to the shop instead, and the shop's status lookup shows it. Print the label
  again with Ctrl+P (a marked reprint).
* **Reject** (Ctrl+R) with a reason from the list and words of one's own (required for "other").
* **Ask the customer** (Ctrl+K) with the question typed in its field: the request waits for the
  customer, who reads the question on the status page and answers there or through the web shop;
  an answer given by phone is recorded with **Record answer** (Ctrl+E) in the second view. Either
  way the request comes back to the queue at its place.

Buttons are enabled as ``review.get_review_case`` says (the same checks the services run); a
disabled one says why. Out-of-policy requests were already signed by a supervisor at intake;
everything that needs a supervisor after inspection goes to the approval desk as before.

The screen follows changes (``LiveUpdates`` of the application, else this process's own): the
queue and its counts are read again, keeping the selection. F5 reads them again by hand; F6
switches between the two views.

Signals for tests and the frame: ``queue_loaded(rows)``, ``case_loaded(rma)``,
``request_authorized(rma)``, ``request_rejected(rma)``, ``question_asked(rma)``,
``answer_recorded(rma)``, ``action_refused(message)``, ``document_printed(where)``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import QWidget

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Actor, AuthorizeResult, Page, ReturnDetail, ReviewCase, ReviewCounts, ReviewRow
from returndesk.domain.money import format_money
from returndesk.domain.review import MIN_TEXT_LENGTH, RejectReason
from returndesk.domain.types import DocumentType, ReturnStatus
from returndesk.ui.i18n import tr_message
from returndesk.ui.printing import PrintService
from returndesk.ui.screens.approval.models import format_when, is_chinese, status_name
from returndesk.ui.screens.approval.widgets import MessageKind
from returndesk.ui.screens.review.documents import DocumentPrinter, PrintedDocument, ScreenPrinting, pdf_folder_printer
from returndesk.ui.screens.review.models import (
    ReviewLinesTableModel,
    ReviewQueueTableModel,
    flag_name,
    reject_reason_name,
)
from returndesk.ui.screens.review.widgets import ReviewActionsPaneWidget, ReviewCasePaneWidget, ReviewQueuePaneWidget
from returndesk.ui.screens.worklist_case import PAGE_SIZE, WorklistCaseScreen, native, show_status
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.local_time import format_date

if TYPE_CHECKING:
    from returndesk.ui.live import LiveUpdates

TO_REVIEW, WAITING = 0, 1


def queue_fetcher(api: ReturnDeskApi, *, waiting: bool,
                  limit: int = PAGE_SIZE) -> Callable[[str | None], Page[ReviewRow]]:
    """The page reader of one view of the queue."""

    def fetch(after: str | None) -> Page[ReviewRow]:
        return api.review.review_queue(waiting=waiting, after=after, limit=limit)

    return fetch


class ReviewScreen(WorklistCaseScreen):
    """Customer service's review queue; see the module documentation.

    ``printer`` prints the label when no printer is chosen for it (default: PDF files in the
    station's ``review`` folder); ``print_service`` prints to the station's printers (default: one
    made for the station); ``clock`` is the time ages count to (default: the services' clock).
    """

    request_authorized = Signal(str)
    request_rejected = Signal(str)
    question_asked = Signal(str)
    answer_recorded = Signal(str)
    task_prefix = "review"
    _case: ReviewCase | None

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 live: LiveUpdates | None = None, printer: DocumentPrinter | None = None,
                 print_service: PrintService | None = None, clock: Callable[[], datetime] | None = None,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(api, tasks, actor, parent, clock=clock, page_size=page_size)
        self.setObjectName("review_screen")
        service = print_service if print_service is not None else self._station_print_service()
        self.printing = ScreenPrinting(tasks, printer or pdf_folder_printer(api, "review"), service,
                                       self._errors, self)
        self.printing.printed.connect(self._on_printed)
        self.printing.failed.connect(self._on_print_failed)
        self.printing.declined.connect(self._on_print_declined)
        self._view = TO_REVIEW
        self._counts: ReviewCounts | None = None
        self._keep_message = False  # the next request shown keeps the message of the last decision
        self._after_rma: str | None = None  # decided last: shown again when the list is empty
        self._finish_setup(live)
        self._load_counts()
        self._read_reasons()
        self.queue_model.reload()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.queue_model = ReviewQueueTableModel(queue_fetcher(self._api, waiting=False, limit=self._page_size),
                                                 self._tasks, now=self._clock, parent=self)
        self._connect_queue_model()
        pane = ReviewQueuePaneWidget(self.queue_model)
        self._bind_queue_pane(pane)
        self.view_tabs = pane.view_tabs
        self.view_tabs.currentChanged.connect(self._on_view_tabs_current_changed)
        # Enter in the queue acts on the request shown (a double click only chooses it).
        self._enter_in_queue(self._on_queue_enter)

        self.lines_model = ReviewLinesTableModel(self)
        body = ReviewCasePaneWidget(self.lines_model)
        self.case_pane = body
        self._make_detail_scroll(body)

        actions = ReviewActionsPaneWidget()
        self.actions_pane = actions
        self.authorize_button = actions.authorize_button
        self.authorize_button.clicked.connect(self.authorize)
        self.print_label_button = actions.print_label_button
        self.print_label_button.clicked.connect(self.print_label)
        self.reject_combo = actions.reject_combo
        self.reject_edit = actions.reject_edit
        self.override_edit = actions.override_edit
        self.override_edit.returnPressed.connect(self.authorize)
        self.reject_edit.returnPressed.connect(self.reject)
        self.reject_button = actions.reject_button
        self.reject_button.clicked.connect(self.reject)
        self.question_edit = actions.question_edit
        self.question_edit.returnPressed.connect(self.ask_customer)
        self.ask_button = actions.ask_button
        self.ask_button.clicked.connect(self.ask_customer)
        self.answer_edit = actions.answer_edit
        self.answer_edit.returnPressed.connect(self.record_answer)
        self.answer_button = actions.answer_button
        self.answer_button.clicked.connect(self.record_answer)
        self.message_label = actions.message_label
        for reason in RejectReason:
            self.reject_combo.addItem("", reason.value)

        self._arrange_case(pane, actions, splitter_name="review_splitter", sizes=(560, 640))
        QWidget.setTabOrder(self.queue_table, self.authorize_button)
        QWidget.setTabOrder(self.authorize_button, self.reject_combo)
        QWidget.setTabOrder(self.reject_combo, self.reject_edit)
        QWidget.setTabOrder(self.reject_edit, self.question_edit)
        QWidget.setTabOrder(self.question_edit, self.answer_edit)

    def _build_shortcuts(self) -> None:
        shortcut = self._shortcut
        self.authorize_shortcut = shortcut("Ctrl+Return", lambda: self._trigger(self.authorize_button, self.authorize))
        self.authorize_keypad_shortcut = shortcut("Ctrl+Enter",
                                                  lambda: self._trigger(self.authorize_button, self.authorize))
        self.reject_shortcut = shortcut("Ctrl+R", self._on_reject_shortcut)
        self.ask_shortcut = shortcut("Ctrl+K", self._on_ask_shortcut)
        self.answer_shortcut = shortcut("Ctrl+E", self._on_answer_shortcut)
        self.print_shortcut = shortcut("Ctrl+P", lambda: self._trigger(self.print_label_button, self.print_label))
        self.refresh_shortcut = shortcut("F5", self.refresh)
        self.view_shortcut = shortcut("F6", self._on_view_shortcut)

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.title_label.setText(self.tr("Return requests"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the queue again ({key})").format(
            key=native(self.refresh_shortcut.key())))
        self.view_tabs.setToolTip(self.tr("Switch between the two lists ({key})").format(
            key=native(self.view_shortcut.key())))
        self.queue_table.setToolTip(self.tr("Oldest request first. Up/Down choose a request, Enter authorizes it."))
        self.empty_label.setText(self.tr("Choose a request in the queue to see it here."))
        body = self.case_pane
        body.lines_box.setTitle(self.tr("Lines and the policy's verdict"))
        body.flags_box.setTitle(self.tr("Flags"))
        body.questions_box.setTitle(self.tr("Questions to the customer"))
        body.history_box.retranslate_ui()
        a = self.actions_pane
        keys = {name: native(sc.key()) for name, sc in (
            ("authorize", self.authorize_shortcut), ("reject", self.reject_shortcut), ("ask", self.ask_shortcut),
            ("answer", self.answer_shortcut), ("print", self.print_shortcut))}
        a.authorize_button.setText(self.tr("Authorize ({key})").format(key=keys["authorize"]))
        a.print_label_button.setText(self.tr("Print label ({key})").format(key=keys["print"]))
        a.reject_label.setText(self.tr("Re&ject because:"))
        a.override_edit.setPlaceholderText(self.tr("Outside the policy: why a supervisor accepts it"))
        a.reject_edit.setPlaceholderText(self.tr("Your words for the customer"))
        a.reject_edit.setToolTip(self.tr("Added to the reason chosen; required for “other”. The customer reads "
                                         "them on the status page."))
        a.reject_button.setText(self.tr("Reject ({key})").format(key=keys["reject"]))
        a.question_label.setText(self.tr("&Question:"))
        a.question_edit.setPlaceholderText(self.tr("Your question to the customer"))
        a.question_edit.setToolTip(self.tr("What the customer should tell us; they read it on the status page and "
                                           "answer there, or through the web shop."))
        a.ask_button.setText(self.tr("Ask the customer ({key})").format(key=keys["ask"]))
        a.answer_edit.setPlaceholderText(self.tr("The customer's answer, taken by phone or e-mail"))
        a.answer_button.setText(self.tr("Record answer ({key})").format(key=keys["answer"]))
        for i in range(self.reject_combo.count()):
            self.reject_combo.setItemText(i, reject_reason_name(self.reject_combo.itemData(i)))
        self._update_tabs()
        self._retranslate_rest()

    # ------------------------------------------------------------------ the queue
    def refresh(self) -> None:
        """Read the queue, its counts and the request shown again, keeping the selection (F5)."""
        self._queue_problem = ""
        self._load_counts()
        self.queue_model.refresh()
        if self._shown_rma is not None and not self._acting:
            self.open_request(self._shown_rma)

    def show_view(self, view: int) -> None:
        """Show the requests to review (0) or those waiting for the customer (1)."""
        self.view_tabs.setCurrentIndex(view)

    def _on_view_tabs_current_changed(self, index: int) -> None:
        if index == self._view or index < 0:
            return
        self._view = index
        self._shown_rma = None
        self._show_case(None)
        self.queue_model.set_fetcher(queue_fetcher(self._api, waiting=index == WAITING, limit=self._page_size))
        self._update_queue_status()

    def _on_view_shortcut(self) -> None:
        self.show_view(WAITING if self._view == TO_REVIEW else TO_REVIEW)
        self.queue_table.setFocus()

    def _load_counts(self) -> None:
        self._tasks.run(self._api.review.review_counts, on_done=self._on_counts,
                        on_error=self._on_counts_failed, key=("review-counts", self._key))

    def _on_counts(self, counts: ReviewCounts) -> None:
        self._counts = counts
        self._update_tabs()

    def _on_counts_failed(self, error: BaseException) -> None:
        self._queue_problem = self._report(error, self.tr("counting the requests"))
        self._update_queue_status()

    def _update_tabs(self) -> None:
        c = self._counts
        self.view_tabs.setTabText(TO_REVIEW, self.tr("To review ({count})").format(count=c.requested) if c
                                  else self.tr("To review"))
        self.view_tabs.setTabText(WAITING, self.tr("Waiting for the customer ({count})").format(
            count=c.waiting_for_customer) if c else self.tr("Waiting for the customer"))

    def _on_queue_rows(self, _count: int) -> None:
        self._queue_problem = ""
        model = self.queue_model
        shown = self._shown_rma or self._loading_rma
        row = model.row_of(shown) if shown else -1
        selection = self.queue_table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        if row >= 0:
            selection.setCurrentIndex(model.index(row, 0), flags)
        elif model.rowCount() and (shown is None or not self._acting):
            # Nothing chosen (or the request shown left the list): the oldest request next.
            selection.setCurrentIndex(model.index(0, 0), flags)
        elif shown is None and self._after_rma is not None:
            # The list is empty after a decision: the request decided stays in view (its label).
            self.open_request(self._after_rma)
        self._after_rma = None
        self._update_queue_status()
        self.queue_loaded.emit(model.rowCount())

    def _reading_queue_words(self) -> str:
        return self.tr("reading the review queue")

    def _queue_status_text(self, count: int) -> str:
        if count == 0 and self._view == WAITING:
            return self.tr("No request waits for a customer's answer.")
        if count == 0:
            return self.tr("No request waits for review.")
        if self.queue_model.exhausted:
            return self.tr("Requests shown: {count}.").format(count=count)
        return self.tr("Requests shown: {count}; scroll down for more.").format(count=count)

    def _on_queue_enter(self) -> None:
        # Enter on a request: the main action of the view.
        index = self.queue_table.currentIndex()
        if not index.isValid():
            return
        rma = self.queue_model.row(index.row()).rma_no
        if self._case is None or self._case.rma_no != rma:
            return  # still loading: the buttons decide once it is shown
        if self._view == WAITING:
            self.answer_edit.setFocus()
        else:
            self._trigger(self.authorize_button, self.authorize)

    # ------------------------------------------------------------------ the request shown
    def open_request(self, rma_no: str) -> None:
        """Show the request ``rma_no`` on the right."""
        self._open(rma_no)

    def _read_case(self, rma_no: str) -> ReviewCase:
        return self._api.review.get_review_case(rma_no)

    def _on_case_loaded(self, case: ReviewCase) -> None:
        first_time = self._case_arrived(case.rma_no)
        if first_time and not self._keep_message:
            self.message_label.clear_message()
        self._keep_message = False
        if first_time:
            for edit in (self.reject_edit, self.question_edit, self.answer_edit):
                edit.clear()
        self._show_case(case)
        self.case_loaded.emit(case.rma_no)

    def _reading_case_words(self) -> str:
        return self.tr("reading the request")

    def _render_case(self, case: ReviewCase) -> None:
        d = case.detail
        body = self.case_pane
        body.rma_label.setText(d.rma_no)
        show_status(body.status_pill, d.status)
        body.source_label.setText(self.tr("from the web shop") if case.web_shop
                                  else self.tr("taken by {who}").format(who=d.created_by_name or d.created_by))
        body.amount_label.setText(format_money(d.refund_total_minor, d.currency))
        facts = body.facts
        facts.clear()
        facts.add_row(self.tr("Customer"), self._customer_words(d, self.tr("Walk-in customer")), key="customer")
        facts.add_row(self.tr("Order"), self._order_words(d), key="order")
        facts.add_row(self.tr("Requested"), format_when(d.created_at), key="requested")
        if case.label_sent_at is not None:
            facts.add_row(self.tr("Label"), self.tr("sent to the web shop {when}").format(
                when=format_when(case.label_sent_at)), key="label")
        elif d.receive_by is not None:
            facts.add_row(self.tr("Parcel due"), format_date(d.receive_by), key="label")
        self.lines_model.set_lines(d.lines, currency=d.currency, reason_names=self._reason_names)
        body.notes_label.setText(self.tr("Customer's note: {note}").format(note=d.notes) if d.notes else "")
        body.notes_label.setVisible(bool(d.notes))
        body.history_box.show_history(case.history)
        if case.recent_reasons:
            body.recent_label.setText(self.tr("Reasons of earlier returns: {reasons}").format(
                reasons=self.tr(", ").join(f"{self._reason_names.name(code)} × {n}"
                                           for code, n in case.recent_reasons)))
        else:
            body.recent_label.setText(self.tr("No earlier returns."))
        flags = [flag_name(f) for f in case.flags]
        if case.earlier_rejected:
            flags.append(self.tr("{count} declined before").format(count=case.earlier_rejected))
        body.flags_label.setText("\n".join(f"• {f}" for f in flags) or self.tr("Nothing unusual."))
        rows = []
        for q in case.questions:
            rows.append(self.tr("{when} {who} asked: {question}").format(
                when=format_when(q.asked_at), who=q.asked_by, question=q.question))
            if q.answered_at is not None:
                rows.append(self.tr("{when} {who} answered: {answer}").format(
                    when=format_when(q.answered_at), who=q.answered_by or self.tr("the customer"), answer=q.answer))
            else:
                rows.append(self.tr("No answer yet."))
        body.questions_label.setText("\n".join(rows))
        body.questions_box.setVisible(bool(rows))
        self._update_actions()

    # ------------------------------------------------------------------ what may be done now
    def _update_actions(self) -> None:
        case = self._case
        a = self.actions_pane
        if case is None:
            for button in a.buttons():
                button.setEnabled(False)
            a.setVisible(False)
            return
        a.setVisible(True)
        state = case.state
        status = case.status
        waiting = status == ReturnStatus.WAITING_FOR_CUSTOMER
        verdicts = (
            (a.authorize_button, state.can_authorize, state.why_not_authorize,
             self.tr("Authorize the request; the return label is sent to the web shop") if case.web_shop
             else self.tr("Authorize the request and print its return label")),
            (a.reject_button, state.can_reject, state.why_not_reject,
             self.tr("Decline the request with the reason chosen and your words")),
            (a.ask_button, state.can_ask, state.why_not_ask,
             self.tr("Put the request on hold and ask the customer the question written in the field")),
            (a.answer_button, state.can_record_answer, state.why_not_record_answer,
             self.tr("Record the customer's answer; the request goes back to the queue")),
        )
        why: list[str] = []
        for button, allowed, refusal, hint in verdicts:
            reason = tr_message(refusal) if refusal else refusal
            button.setEnabled(bool(allowed) and not self._acting)
            button.setToolTip(hint if allowed else (reason or ""))
            # What the state explains is said once below; a refusal of the user's role is said here.
            if not allowed and reason and reason not in why and status == ReturnStatus.REQUESTED \
                    and button is not a.answer_button:
                why.append(reason)
        for widget in (a.answer_edit, a.answer_button):
            widget.setVisible(waiting)
        shown: tuple[QWidget, ...] = (a.question_label, a.question_edit, a.ask_button)
        for part in shown:
            part.setVisible(not waiting)
        a.override_edit.setVisible(state.needs_override and status == ReturnStatus.REQUESTED)
        a.override_edit.setEnabled(state.can_authorize and not self._acting)
        a.reject_combo.setEnabled(state.can_reject and not self._acting)
        a.reject_edit.setEnabled(state.can_reject and not self._acting)
        a.question_edit.setEnabled(state.can_ask and not self._acting)
        a.answer_edit.setEnabled(state.can_record_answer and not self._acting)
        label_ok = (status == ReturnStatus.AUTHORIZED and not case.web_shop and not self._acting
                    and not self.printing.busy(DocumentType.RETURN_LABEL))
        a.print_label_button.setVisible(not case.web_shop)
        a.print_label_button.setEnabled(label_ok)
        a.print_label_button.setToolTip(self.tr("Print the return label again (a marked reprint)") if label_ok
                                        else self.tr("The label is printed once the request is authorized."))
        if waiting:
            asked = case.open_question
            why = [self.tr("Waiting for the customer's answer since {when}. It comes back to the queue when they "
                           "answer on the status page; record an answer given by phone here, or decline the "
                           "request.").format(
                when=format_when(asked.asked_at if asked else case.detail.status_changed_at))]
            if not state.can_record_answer and state.why_not_record_answer:
                why.append(tr_message(state.why_not_record_answer))
        elif status != ReturnStatus.REQUESTED:
            why = [self.tr("This request is {status} now; nothing is left to review.").format(
                status=status_name(status).lower())]
        a.why_label.setText("\n".join(why))
        a.why_label.setVisible(bool(why))

    # ------------------------------------------------------------------ deciding
    def authorize(self) -> None:
        """Authorize the request shown (Enter in the queue, Ctrl+Enter)."""
        case = self._case
        if case is None or self._acting:
            return
        reason = None
        if case.state.needs_override:
            reason = " ".join(self.override_edit.text().split())
            if len(reason) < MIN_TEXT_LENGTH:
                self._refuse(self.tr("This request is outside the return policy: write why it is accepted (at least "
                                     "{count} characters), then authorize again.").format(count=MIN_TEXT_LENGTH),
                             self.override_edit)
                return
        self._act(self._api.review.authorize_request, case.rma_no, override_reason=reason,
                  expected_version=case.state.version, on_done=self._on_authorized,
                  what=self.tr("authorizing the request"))

    def reject(self) -> None:
        """Decline the request shown with the reason chosen and the words written (Ctrl+R)."""
        case = self._case
        if case is None or self._acting:
            return
        code = self.reject_combo.currentData()
        words = " ".join(self.reject_edit.text().split())
        if code == RejectReason.OTHER.value and len(words) < MIN_TEXT_LENGTH:
            self._refuse(self.tr("Write why the request is declined (at least {count} characters), then reject "
                                 "again.").format(count=MIN_TEXT_LENGTH), self.reject_edit)
            return
        self._act(self._api.review.reject_request, case.rma_no, code, words or None,
                  expected_version=case.state.version, on_done=self._on_rejected,
                  what=self.tr("rejecting the request"))

    def ask_customer(self) -> None:
        """Ask the customer the question written in its field (Ctrl+K)."""
        case = self._case
        if case is None or self._acting:
            return
        question = " ".join(self.question_edit.text().split())
        if len(question) < MIN_TEXT_LENGTH:
            self._refuse(self.tr("Write the question for the customer (at least {count} characters), then ask "
                                 "again.").format(count=MIN_TEXT_LENGTH), self.question_edit)
            return
        self._act(self._api.review.ask_customer, case.rma_no, question, expected_version=case.state.version,
                  on_done=self._on_asked, what=self.tr("asking the customer"))

    def record_answer(self) -> None:
        """Record the customer's answer written in its field (Ctrl+E)."""
        case = self._case
        if case is None or self._acting:
            return
        answer = " ".join(self.answer_edit.text().split())
        if len(answer) < MIN_TEXT_LENGTH:
            self._refuse(self.tr("Write the customer's answer (at least {count} characters), then record it "
                                 "again.").format(count=MIN_TEXT_LENGTH), self.answer_edit)
            return
        self._act(self._api.review.record_answer, case.rma_no, answer, expected_version=case.state.version,
                  on_done=self._on_answered, what=self.tr("recording the answer"))

    def print_label(self) -> None:
        """Print the return label of the request shown once authorized (Ctrl+P; again: a reprint)."""
        case = self._case
        if case is None:
            return
        self._print_label(case.rma_no)

    def _print_label(self, rma: str) -> None:
        if self.printing.print(DocumentType.RETURN_LABEL, rma, "zh_CN" if is_chinese() else "en"):
            self._message(MessageKind.INFO, self.tr("Printing the return label…"))
            self._update_actions()

    def _refuse(self, message: str, field: QWidget) -> None:
        self._message(MessageKind.PROBLEM, message)
        field.setFocus()
        self.action_refused.emit(message)

    def _done(self, rma: str, message: str) -> None:
        self._acting = False
        self._keep_message = True
        self._after_rma = rma
        self._message(MessageKind.OK, message)
        for edit in (self.reject_edit, self.question_edit, self.answer_edit, self.override_edit):
            edit.clear()
        # The request left this list: the next one (the oldest) is shown when the rows come.
        self._shown_rma = None
        self._load_counts()
        self.queue_model.refresh()
        self.queue_table.setFocus()

    def _on_authorized(self, result: AuthorizeResult) -> None:
        d = result.detail
        due = self.tr(" The parcel is due by {date}.").format(date=format_date(d.receive_by)) if d.receive_by else ""
        if result.web_shop:
            self._done(d.rma_no, self.tr("{rma} authorized; the return label was sent to the web shop.").format(
                rma=d.rma_no) + due)
        else:
            self._done(d.rma_no, self.tr("{rma} authorized; its return label is printing.").format(rma=d.rma_no) + due)
            self._print_label(d.rma_no)
        self.request_authorized.emit(d.rma_no)

    def _on_rejected(self, detail: ReturnDetail) -> None:
        self._done(detail.rma_no, self.tr("{rma} declined; the customer sees it on the status page.").format(
            rma=detail.rma_no))
        self.request_rejected.emit(detail.rma_no)

    def _on_asked(self, detail: ReturnDetail) -> None:
        self._done(detail.rma_no, self.tr(
            "{rma} waits for the customer's answer; it comes back here when they answer.").format(rma=detail.rma_no))
        self.question_asked.emit(detail.rma_no)

    def _on_answered(self, detail: ReturnDetail) -> None:
        self._done(detail.rma_no, self.tr(
            "{rma}: answer recorded; the request is back in the queue to review.").format(rma=detail.rma_no))
        self.answer_recorded.emit(detail.rma_no)

    # ------------------------------------------------------------------ printing
    def _on_printed(self, printed: PrintedDocument) -> None:
        self._update_actions()
        if printed.reprint:
            text = self.tr("Label printed again (reprint {count}): {where}").format(count=printed.reprint,
                                                                                   where=printed.where)
        else:
            text = self.tr("Label printed: {where}").format(where=printed.where)
        self._message(MessageKind.OK, text)
        self.document_printed.emit(printed.where)

    # ------------------------------------------------------------------ shortcuts
    def _on_reject_shortcut(self) -> None:
        if self.reject_button.isEnabled() and not self.reject_edit.hasFocus() and \
                self.reject_combo.currentData() == RejectReason.OTHER.value and not self.reject_edit.text().strip():
            self.reject_edit.setFocus()
            return
        self._trigger(self.reject_button, self.reject)

    def _on_ask_shortcut(self) -> None:
        if self.ask_button.isEnabled() and not self.question_edit.text().strip():
            self.question_edit.setFocus()
            return
        self._trigger(self.ask_button, self.ask_customer)

    def _on_answer_shortcut(self) -> None:
        if self.answer_button.isEnabled() and not self.answer_edit.text().strip():
            self.answer_edit.setFocus()
            return
        self._trigger(self.answer_button, self.record_answer)
