"""What the worklist-with-a-case screens share: :class:`WorklistCaseScreen`.

The review queue, the approval desk and the "to pay" worklist each show, left, a paged worklist
of returns and, right, the return chosen in it ("the case") with the actions under it. The base
holds what they do alike:

* the state: the case shown, the RMA being read and the one shown, whether an action runs, the
  worklist's problem, the return reasons' names;
* building: the queue pane's common parts, the case page (an empty label, the case in a scroll
  area, the actions under it) beside the queue in a splitter, the busy overlay, screen shortcuts;
* the worklist: rows read (the shown return stays selected, else the first is chosen), its
  status line, a row chosen opens its return;
* the case: reading it off the GUI thread, showing it or the empty label;
* acting: one action at a time, "Saving…", refusals and concurrent changes said in the message
  line (the return read again), printing outcomes, shortcuts that say why nothing happens;
* live updates: a change to a return reads the worklist again after a short pause.

A subclass builds its panes (calling :meth:`_bind_queue_pane` and :meth:`_arrange_case`), sets its
texts in ``retranslate_ui``, shows a case in ``_render_case``, enables its actions in
``_update_actions`` and calls :meth:`_finish_setup` at the end of its constructor.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QScrollArea, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Actor, RefundResult, ReturnDetail
from returndesk.domain.errors import ConcurrentChange, ReturnDeskError
from returndesk.domain.money import format_money
from returndesk.ui.i18n import tr_message
from returndesk.ui.screens.approval.models import ReasonNames, format_when, refund_method_name
from returndesk.ui.screens.approval.widgets import MessageKind
from returndesk.ui.station_screen import StationScreen
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.widgets import BusyOverlay

if TYPE_CHECKING:
    from returndesk.api.types import ReasonView
    from returndesk.ui.live import LiveUpdates
    from returndesk.ui.widgets import StatusPill

PAGE_SIZE = 50
#: Pause after a change notification before the worklist is read again (a burst costs one read).
REFRESH_DELAY_MS = 250


def native(sequence: QKeySequence | str) -> str:
    """A key sequence as the user reads it (``Ctrl+P``)."""
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


def show_status(pill: StatusPill, status: str) -> None:
    """The return's status in ``pill`` (none for a status it does not know)."""
    try:
        pill.set_status(status)
    except ValueError:
        pill.set_status(None)


class WorklistCaseScreen(StationScreen):
    """The base of the worklist-with-a-case screens; see the module documentation.

    ``task_prefix`` names the screen's background tasks (one of each kind runs at a time).
    """

    queue_loaded = Signal(int)
    case_loaded = Signal(str)
    action_refused = Signal(str)
    document_printed = Signal(str)

    task_prefix = "worklist"

    # Set by the subclass while it builds.
    queue_model: Any
    lines_model: Any
    message_label: Any
    actions_pane: Any
    receipt_shortcut: QShortcut
    credit_note_shortcut: QShortcut

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 clock: Callable[[], datetime] | None = None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(api, tasks, actor, parent)
        self._clock = clock or api.session.now
        self._page_size = page_size
        self._key = id(self)
        self._case: Any = None
        self._loading_rma: str | None = None
        self._shown_rma: str | None = None
        self._acting = False
        self._queue_problem = ""
        self._reason_names = ReasonNames()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._on_refresh_timer_timeout)

    def _finish_setup(self, live: LiveUpdates | None) -> None:
        """Build, name the texts, show no case and follow changes (end of the constructor)."""
        self._build()
        self._build_shortcuts()
        self.retranslate_ui()
        self._show_case(None)
        self._start_following(live)

    def _read_reasons(self) -> None:
        """Read the return reasons' names (for the lines shown)."""
        self._tasks.run(self._api.settings.list_reasons, include_inactive=True, on_done=self._on_reasons,
                        on_error=lambda error: None, key=(f"{self.task_prefix}-reasons", self._key))

    def _on_reasons(self, reasons: list[ReasonView]) -> None:
        self._reason_names = ReasonNames.from_reasons(reasons)
        if self._case is not None:
            self._render_case(self._case)

    # ------------------------------------------------------------------ what a subclass gives
    def _build(self) -> None:
        raise NotImplementedError

    def _build_shortcuts(self) -> None:
        raise NotImplementedError

    def retranslate_ui(self) -> None:
        raise NotImplementedError

    def _render_case(self, case: Any) -> None:
        raise NotImplementedError

    def _update_actions(self) -> None:
        raise NotImplementedError

    def _read_case(self, rma_no: str) -> Any:
        """The case of ``rma_no`` (on a worker thread)."""
        raise NotImplementedError

    def refresh(self) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ building
    def _bind_queue_pane(self, pane: Any) -> None:
        """Take the queue pane's common parts: title, refresh button, table and status line."""
        self.queue_pane = pane
        self.title_label = pane.title_label
        self.refresh_button = pane.refresh_button
        self.refresh_button.clicked.connect(self.refresh)
        self.queue_table = pane.queue_table
        self.queue_table.selectionModel().currentRowChanged.connect(self._on_queue_current_row_changed)
        self.queue_status_label = pane.queue_status_label

    def _connect_queue_model(self) -> None:
        self.queue_model.page_loaded.connect(self._on_queue_rows)
        self.queue_model.refreshed.connect(self._on_queue_rows)
        self.queue_model.load_failed.connect(self._on_queue_failed)

    def _enter_in_queue(self, slot: Callable[[], None]) -> None:
        """Enter in the worklist calls ``slot`` (a double click only chooses a row)."""
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.queue_table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(slot)

    def _make_detail_scroll(self, body: QWidget) -> None:
        """The empty label and the case ``body`` in its scroll area."""
        self.empty_label = QLabel()
        self.empty_label.setObjectName("empty_label")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setMargin(30)
        self.detail_scroll = QScrollArea()
        self.detail_scroll.setObjectName("detail_scroll")
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail_scroll.setWidget(body)

    def _arrange_case(self, queue_pane: QWidget, actions: QWidget, *, splitter_name: str,
                      sizes: tuple[int, int]) -> None:
        """The queue (left) and the case with its actions under it (right) in a splitter."""
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
        self.splitter.setObjectName(splitter_name)
        self.splitter.addWidget(queue_pane)
        self.splitter.addWidget(self.detail_stack)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes(list(sizes))
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

    # ------------------------------------------------------------------ texts
    def _retranslate_rest(self) -> None:
        """The models' words, the status line and the case shown, in the language now set."""
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

    def _customer_words(self, d: ReturnDetail, walk_in: str) -> str:
        """The customer's name and phone (``walk_in``: the words for a customer without a name)."""
        customer = d.customer_name or walk_in
        if d.customer_phone:
            customer = self.tr("{name} · {phone}").format(name=customer, phone=d.customer_phone)
        return customer

    def _order_words(self, d: ReturnDetail) -> str:
        return self.tr("{order} · sold {sold}").format(order=d.order_no, sold=format_when(d.sold_at))

    # ------------------------------------------------------------------ live updates
    def _on_data_changed(self, entity: str, entity_id: int) -> None:
        if entity in ("return", "any"):
            self._refresh_timer.start()

    def _on_live_resync(self) -> None:
        self._refresh_timer.start()

    def _on_refresh_timer_timeout(self) -> None:
        self.refresh()

    # ------------------------------------------------------------------ the worklist
    def _on_queue_rows(self, _count: int) -> None:
        self._queue_problem = ""
        model = self.queue_model
        shown = self._loading_rma or self._shown_rma
        row = model.row_of(shown) if shown else -1
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        selection = self.queue_table.selectionModel()
        if row >= 0:
            # The same return stays selected (no reload: the handler sees it is shown already).
            selection.setCurrentIndex(model.index(row, 0), flags)
        elif shown is None and model.rowCount():
            # Nothing chosen yet: the first row.
            selection.setCurrentIndex(model.index(0, 0), flags)
        self._update_queue_status()
        self.queue_loaded.emit(model.rowCount())

    def _on_queue_failed(self, error: BaseException) -> None:
        self._queue_problem = self._report(error, self._reading_queue_words())
        self._update_queue_status()

    def _reading_queue_words(self) -> str:
        """What was being done when the worklist could not be read."""
        return self.tr("reading the worklist")

    def _update_queue_status(self) -> None:
        count = self.queue_model.rowCount()
        label = self.queue_status_label
        label.setStyleSheet("color: #b00020;" if self._queue_problem else "")
        if self._queue_problem:
            text = self._queue_problem
        elif self.queue_model.loading and count == 0:
            text = self._queue_reading_text()
        else:
            text = self._queue_status_text(count)
        label.setText(text)

    def _queue_reading_text(self) -> str:
        return self.tr("Reading the queue…")

    def _queue_status_text(self, count: int) -> str:
        """The status line under a worklist of ``count`` rows (read, no problem)."""
        raise NotImplementedError

    def _on_queue_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        rma = self.queue_model.row(current.row()).rma_no
        if rma not in (self._shown_rma, self._loading_rma):
            self._open(rma)

    # ------------------------------------------------------------------ the case shown
    def current_rma(self) -> str | None:
        """The RMA of the return shown on the right (None when none is)."""
        return self._shown_rma

    def current_case(self) -> Any:
        return self._case

    def _open(self, rma_no: str) -> None:
        """Read the case of ``rma_no`` and show it on the right."""
        self._loading_rma = rma_no
        self.detail_busy.start()
        self._tasks.run(self._read_case, rma_no, on_done=self._on_case_loaded,
                        on_error=self._on_case_failed, key=(f"{self.task_prefix}-case", self._key))

    def _case_arrived(self, rma_no: str) -> bool:
        """The case of ``rma_no`` was read; True when another return than the one shown until now."""
        self.detail_busy.stop()
        first_time = rma_no != self._shown_rma
        self._loading_rma = None
        self._shown_rma = rma_no
        return first_time

    def _on_case_loaded(self, case: Any) -> None:
        raise NotImplementedError

    def _on_case_failed(self, error: BaseException) -> None:
        self.detail_busy.stop()
        self._loading_rma = None
        self._message(MessageKind.PROBLEM, self._report(error, self._reading_case_words()))

    def _reading_case_words(self) -> str:
        """What was being done when the case could not be read."""
        return self.tr("reading the return")

    def _show_case(self, case: Any) -> None:
        self._case = case
        if case is None:
            self.detail_stack.setCurrentWidget(self.empty_label)
            self._clear_case()
            self._update_actions()
            return
        self.detail_stack.setCurrentWidget(self._case_page)
        self._render_case(case)

    def _clear_case(self) -> None:
        """Empty the models of the case (no case shown)."""
        self.lines_model.clear()

    # ------------------------------------------------------------------ acting
    def _act(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None], what: str,
             **kwargs: Any) -> None:
        """Run the action ``fn`` (``what`` names it in a refusal); one at a time."""
        self._release_focus()
        self._acting = True
        self._update_actions()
        self._message(MessageKind.INFO, self.tr("Saving…"))

        def failed(error: BaseException) -> None:
            self._on_action_failed(error, what)

        self._tasks.run(fn, *args, on_done=on_done, on_error=failed, key=(f"{self.task_prefix}-act", self._key),
                        **kwargs)

    def _release_focus(self) -> None:
        """The action's buttons are about to be disabled: the screen keeps the focus meanwhile."""
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_action_failed(self, error: BaseException, what: str) -> None:
        self._acting = False
        self._update_actions()
        if isinstance(error, ConcurrentChange):
            message = tr_message(error.message)
            self._message(MessageKind.WARNING, message)
            self.action_refused.emit(message)
            self._after_conflict()
            return
        message = self._report(error, what)
        self._message(MessageKind.PROBLEM, message)
        if isinstance(error, ReturnDeskError):
            self.action_refused.emit(message)
            self._after_refusal()

    def _after_conflict(self) -> None:
        """The return changed meanwhile: read it and the worklist again."""
        self.refresh()

    def _after_refusal(self) -> None:
        """An action was refused: what it rests on may have changed, read the return again."""
        if self._shown_rma:
            self._open(self._shown_rma)

    def _refund_issued_words(self, result: RefundResult, issued: str, print_hint: str) -> str:
        """What the message line says once a refund is issued: ``issued`` ("Refund {number} of {amount}
        issued by {method}.") and, when there is a credit note, ``print_hint`` (its shortcuts to print:
        {receipt}, {number}, {key})."""
        r = result.refund
        text = issued.format(number=r.refund_no, amount=format_money(r.amount_minor, r.currency),
                             method=refund_method_name(r.method))
        if result.credit_note_no:
            text += " " + print_hint.format(
                receipt=native(self.receipt_shortcut.key()), number=result.credit_note_no,
                key=native(self.credit_note_shortcut.key()))
        return text

    # ------------------------------------------------------------------ printing
    def _printed_words(self, reprint: int, where: str) -> str:
        if reprint:
            return self.tr("Printed again (reprint {count}): {where}").format(count=reprint, where=where)
        return self.tr("Printed: {where}").format(where=where)

    def _on_print_failed(self, _doc_type: Any, message: Any) -> None:
        self._update_actions()
        self._message(MessageKind.PROBLEM, message)

    def _on_print_declined(self, _doc_type: str) -> None:
        self._update_actions()
        self._message(MessageKind.INFO, self._not_printed_words())

    def _not_printed_words(self) -> str:
        return self.tr("Not printed: the preview was closed.")

    # ------------------------------------------------------------------ shortcuts and messages
    def _trigger(self, button: QPushButton, action: Callable[[], None]) -> None:
        if button.isVisible() and button.isEnabled():
            action()
        elif self._case is not None and button.toolTip():
            # Say why nothing happens, rather than nothing at all.
            self._message(MessageKind.WARNING, button.toolTip())

    def _message(self, kind: MessageKind, text: str) -> None:
        self.message_label.show_message(kind, text)

    def _report(self, error: BaseException, context: str) -> str:
        """Expected refusals are said inline; bugs get the error dialog as well."""
        if isinstance(error, ReturnDeskError):
            return self._errors.report(error, context=context).message
        return self._errors.present(error, context=context).message
