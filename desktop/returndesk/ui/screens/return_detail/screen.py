"""The return detail page (退货详情): one return whole, and what the user may do with it now.

It opens from every list and queue (Enter or double-click on a row) and by scanning an RMA label
anywhere outside the inspection station's scan field (the main window routes such scans here). One
read (``api.search.get_return_page``) brings everything, as one snapshot:

* the header — customer, order, channel, site, status (since when, set by whom), dates in the
  station's time zone, the approval level and why;
* the lines with the policy's verdict, grade and disposition, checks and refund per line; the units
  seen at inspection with their grade, checks, disposition and note;
* the refund breakdown (paid, tax, grade deductions, restocking fees, shipping, total, method), the
  refund issued, the exchange if there is one;
* the documents that can be printed now — a reprint carries the reprint mark, the print log keeps
  every copy — and the timeline from the audit trail.

The actions: authorize, reject the request, cancel, receive, inspect (opens the inspection station
on this RMA), approve, override the policy, reject the refund, issue the refund, exchange (a slot
the exchange dialog plugs into), close, reopen a request rejected by mistake, and for an exchanged
return whose replacement still holds reserved stock: hand it over at the counter, ship it (its
packing slip printed at once) or cancel the exchange (with a reason; the reservation released). Each button is
enabled exactly as the services' verdict for this user says (``ReturnPage.actions``); a disabled
one says why in its tooltip, and the reasons that are not merely the state (role, segregation of
duties, limit, policy) are listed under the buttons. The services check again and refuse anyway:
a refusal is shown under the buttons and the page is read again.

Keyboard: every action has a shortcut (named in its tooltip), Ctrl+P prints the selected document,
F5 reads the return again, Ctrl+L goes to the reason field.
"""

from __future__ import annotations

from functools import partial

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Actor, ReplacementView, ReturnPage
from returndesk.domain.errors import ReturnDeskError
from returndesk.domain.money import format_money
from returndesk.domain.permissions import REPLACEMENT_ACTIONS, REPLACEMENT_STATE, ActionVerdict, Refusal, ReturnAction
from returndesk.domain.types import CollectMethod, DocumentType, Fulfilment
from returndesk.ui.document_folder import (
    DocumentPrinter,
    PrintedDocument,
    folder_printer,
)
from returndesk.ui.i18n import (
    display_name,
    tr_message,
    tr_approval_level,
    tr_channel,
    tr_refund_method,
    tr_role,
    tr_status,
)
from returndesk.ui.help import add_help_key
from returndesk.ui.local_time import NO_TIME, format_date, format_datetime
from returndesk.ui.printing import PrintService
from returndesk.ui.screens.approval.models import (
    ApprovalLinesTableModel,
    ApprovalTimelineTableModel,
    ReasonNames,
    is_chinese,
)
from returndesk.ui.screens.return_detail.models import (
    DocumentsTableModel,
    PrintLogTableModel,
    UnitsTableModel,
)
from returndesk.ui.screens.return_detail.widgets import (
    DocumentsPaneWidget,
    RefundPaneWidget,
    ReturnActionsPaneWidget,
    ReturnHeaderPaneWidget,
    table,
)
from returndesk.ui.station_screen import StationScreen
from returndesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from returndesk.ui.live import LiveUpdates

#: The shortcut of each action (the approval desk's where it has the same action).
SHORTCUTS: dict[ReturnAction, str] = {
    ReturnAction.AUTHORIZE: "Ctrl+Shift+A",
    ReturnAction.REJECT: "Ctrl+R",
    ReturnAction.CANCEL: "Ctrl+Shift+X",
    ReturnAction.RECEIVE: "Ctrl+Shift+G",
    ReturnAction.INSPECT: "Ctrl+Shift+I",
    ReturnAction.APPROVE: "Ctrl+Return",
    ReturnAction.OVERRIDE: "Ctrl+O",
    ReturnAction.REJECT_REFUND: "Ctrl+Shift+R",
    ReturnAction.ISSUE_REFUND: "Ctrl+I",
    ReturnAction.EXCHANGE: "Ctrl+E",
    ReturnAction.CLOSE: "Ctrl+Shift+D",
    ReturnAction.REOPEN: "Ctrl+Shift+O",
    ReturnAction.HAND_OVER: "Ctrl+Shift+H",
    ReturnAction.SHIP_REPLACEMENT: "Ctrl+Shift+S",
    ReturnAction.CANCEL_EXCHANGE: "Ctrl+Shift+E",
    ReturnAction.COLLECT_DIFFERENCE: "Ctrl+Shift+M",
}
#: Actions that need the written reason.
REASON_ACTIONS = frozenset({ReturnAction.REJECT, ReturnAction.CANCEL, ReturnAction.OVERRIDE,
                            ReturnAction.REJECT_REFUND, ReturnAction.REOPEN, ReturnAction.CANCEL_EXCHANGE})
#: Pause after a change notification before the return is read again (a burst costs one read).
REFRESH_DELAY_MS = 250
#: Where documents are saved when the station has no printer for them.
OUTPUT_SUBFOLDER = "returns"


def _native(sequence: str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


def perform_action(api: ReturnDeskApi, action: ReturnAction, rma_no: str, *, reason: str = "",
                   method: str | None = None, expected_version: int | None = None,
                   order_no: str | None = None) -> object:
    """Carry out ``action`` on the return through the API (the page's buttons call this on the task
    runner). The inspection station and the exchange are opened by the page, not here. ``method``
    is the refund method, or how the customer pays the difference of ``order_no`` (the replacement
    order) when collecting it."""
    if action is ReturnAction.AUTHORIZE:
        # A request outside the policy: a supervisor's authorization overrides it with the reason.
        return api.review.authorize_request(rma_no, override_reason=reason or None,
                                            expected_version=expected_version)
    if action is ReturnAction.REJECT:
        return api.intake.reject_return(rma_no, reason, expected_version=expected_version)
    if action is ReturnAction.CANCEL:
        return api.intake.cancel_return(rma_no, reason, expected_version=expected_version)
    if action is ReturnAction.RECEIVE:
        return api.receiving.receive_return(rma_no, expected_version=expected_version)
    if action is ReturnAction.APPROVE:
        return api.approval.approve_refund(rma_no, note=reason or None, expected_version=expected_version)
    if action is ReturnAction.OVERRIDE:
        return api.approval.override_policy(rma_no, reason, expected_version=expected_version)
    if action is ReturnAction.REJECT_REFUND:
        return api.approval.reject_refund(rma_no, reason, expected_version=expected_version)
    if action is ReturnAction.ISSUE_REFUND:
        return api.refunds.issue_refund(rma_no, method=method, expected_version=expected_version)
    if action is ReturnAction.CLOSE:
        return api.refunds.close_return(rma_no, expected_version=expected_version)
    if action is ReturnAction.REOPEN:
        return api.intake.reopen_return(rma_no, reason, expected_version=expected_version)
    if action is ReturnAction.HAND_OVER:
        return api.exchange.fulfil_exchange(rma_no, Fulfilment.COUNTER, expected_version=expected_version)
    if action is ReturnAction.SHIP_REPLACEMENT:
        return api.exchange.fulfil_exchange(rma_no, Fulfilment.SHIP, expected_version=expected_version)
    if action is ReturnAction.CANCEL_EXCHANGE:
        return api.exchange.cancel_exchange(rma_no, reason, expected_version=expected_version)
    if action is ReturnAction.COLLECT_DIFFERENCE and order_no and method:
        return api.exchange.collect_difference(order_no, method)
    raise ValueError(f"{action.value} is not carried out through perform_action")


class ReturnDetailPage(StationScreen):
    """One return and its actions; see the module documentation.

    ``printer`` saves documents the station has no printer for (default: PDF files in the station's
    output folder); ``print_service`` prints those it has one for. ``exchange_handler`` is called
    with the page's return when Exchange is chosen: by default the exchange dialog on this return
    (``ui.dialogs.exchange``), after which the page reloads; set it to None to hide the button.

    Signals: ``page_loaded(rma)`` after each read, ``load_failed(message)``, ``action_done(action,
    rma)``, ``action_refused(message)``, ``inspect_requested(rma)``, ``exchange_requested(rma)``,
    ``document_printed(where)``.
    """

    page_loaded = Signal(str)
    load_failed = Signal(str)
    action_done = Signal(str, str)
    action_refused = Signal(str)
    inspect_requested = Signal(str)
    exchange_requested = Signal(str)
    document_printed = Signal(str)

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 live: LiveUpdates | None = None, printer: DocumentPrinter | None = None,
                 print_service: PrintService | None = None, output_dir: Path | None = None) -> None:
        super().__init__(api, tasks, actor, parent)
        self.setObjectName("return_detail_page")
        self._printer = printer or folder_printer(api, OUTPUT_SUBFOLDER, output_dir)
        self._print_service = print_service if print_service is not None else self._station_print_service()
        if self._print_service is not None:
            self._print_service.document_printed.connect(self._on_print_service_document_printed)
            self._print_service.failed.connect(self._on_print_service_failed)
        self.exchange_handler: Callable[[ReturnPage], None] | None = self._open_exchange
        self.exchange_dialog: QDialog | None = None
        self._page: ReturnPage | None = None
        self._rma: str | None = None
        self._acting = False
        self._key = ("return-page", id(self))
        self._message = ""
        self._message_is_problem = False
        self._problem = ""

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.reload)

        self._build()
        self._build_shortcuts()
        self.retranslate_ui()
        self._show_page()
        self._start_following(live)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.header_pane = ReturnHeaderPaneWidget()
        self.refund_pane = RefundPaneWidget()
        self.actions_pane = ReturnActionsPaneWidget()
        self.buttons = self.actions_pane.buttons
        self.reason_edit = self.actions_pane.reason_edit
        self.method_combo = self.actions_pane.method_combo
        self.why_label = self.actions_pane.why_label
        self.message_label = self.actions_pane.message_label
        for action, button in self.buttons.items():
            button.clicked.connect(lambda _checked=False, a=action: self.perform(a))

        self.lines_model = ApprovalLinesTableModel(self)
        # The product takes the spare width, so the money columns stay beside the refund (a stretched
        # last column would push the deductions to the far edge).
        self.lines_view = table("lines_view", stretch_last=False, word_wrap=True)
        self.lines_view.setModel(self.lines_model)
        self.lines_view.horizontalHeader().setSectionResizeMode(
            ApprovalLinesTableModel.PRODUCT, QHeaderView.ResizeMode.Stretch)
        # Each line as tall as its wrapped texts need at the widths the columns end up with.
        self.lines_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.units_model = UnitsTableModel(self)
        self.units_view = table("units_view")
        self.units_view.setModel(self.units_model)
        self.timeline_model = ApprovalTimelineTableModel(self)
        self.timeline_view = table("timeline_view")
        self.timeline_view.setModel(self.timeline_model)
        self.documents_pane = DocumentsPaneWidget()
        self.documents_model = DocumentsTableModel(self)
        self.documents_view = self.documents_pane.documents_view
        self.documents_view.setModel(self.documents_model)
        self.documents_view.activated.connect(lambda _index: self.print_selected())
        self.print_button = self.documents_pane.print_button
        self.print_button.clicked.connect(self.print_selected)
        self.print_log_model = PrintLogTableModel(self)
        self.print_log_view = self.documents_pane.print_log_view
        self.print_log_view.setModel(self.print_log_model)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("detail_tabs")
        self.tabs.addTab(self.units_view, "")
        self.tabs.addTab(self.timeline_view, "")
        self.tabs.addTab(self.documents_pane, "")

        self.problem_label = QLabel()
        self.problem_label.setObjectName("problem_label")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020;")

        top = QHBoxLayout()
        top.addWidget(self.header_pane, 3)
        top.addWidget(self.refund_pane, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("detail_splitter")
        splitter.addWidget(self.lines_view)
        splitter.addWidget(self.tabs)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.problem_label)
        layout.addLayout(top)
        layout.addWidget(self.actions_pane)
        layout.addWidget(splitter, 1)

    def _build_shortcuts(self) -> None:
        self.shortcuts: dict[ReturnAction, QShortcut] = {}
        for action, sequence in SHORTCUTS.items():
            self.shortcuts[action] = self._shortcut(sequence, partial(self._on_shortcut, action))
        self.reload_shortcut = self._shortcut("F5", self.reload)
        self.print_shortcut = self._shortcut("Ctrl+P", self.print_selected)
        self.reason_shortcut = self._shortcut("Ctrl+L", self._on_reason_shortcut)

    # ------------------------------------------------------------------ texts
    def _action_title(self, action: ReturnAction) -> str:
        titles = {
            ReturnAction.AUTHORIZE: self.tr("Authorize"),
            ReturnAction.REJECT: self.tr("Reject request"),
            ReturnAction.CANCEL: self.tr("Cancel return"),
            ReturnAction.RECEIVE: self.tr("Receive parcel"),
            ReturnAction.INSPECT: self.tr("Inspect"),
            ReturnAction.APPROVE: self.tr("Approve refund"),
            ReturnAction.OVERRIDE: self.tr("Override policy"),
            ReturnAction.REJECT_REFUND: self.tr("Reject refund"),
            ReturnAction.ISSUE_REFUND: self.tr("Issue refund"),
            ReturnAction.EXCHANGE: self.tr("Exchange…"),
            ReturnAction.CLOSE: self.tr("Close"),
            ReturnAction.REOPEN: self.tr("Reopen request"),
            ReturnAction.HAND_OVER: self.tr("Hand over replacement"),
            ReturnAction.SHIP_REPLACEMENT: self.tr("Ship replacement"),
            ReturnAction.CANCEL_EXCHANGE: self.tr("Cancel exchange"),
            ReturnAction.COLLECT_DIFFERENCE: self.tr("Collect difference"),
        }
        return titles[action]

    def retranslate_ui(self) -> None:
        self.header_pane.setTitle(self.tr("Return"))
        self.refund_pane.setTitle(self.tr("Refund"))
        self.actions_pane.setTitle(self.tr("Actions"))
        self.actions_pane.reason_label.setText(self.tr("Reason:"))
        self.reason_edit.setPlaceholderText(self.tr("Why — needed to reject, cancel, override or reopen ({key})")
                                            .format(key=_native("Ctrl+L")))
        self.actions_pane.method_label.setText(self.tr("Refund by:"))
        self.actions_pane.collect_label.setText(self.tr("Customer pays by:"))
        self.tabs.setTabText(0, self.tr("Units"))
        self.tabs.setTabText(1, self.tr("Timeline"))
        self.tabs.setTabText(2, self.tr("Documents"))
        self.print_button.setText(self.tr("&Print"))
        self.print_button.setToolTip(self.tr("Print the selected document; a copy after the first is marked as a "
                                             "reprint ({key})").format(key=_native("Ctrl+P")))
        self.documents_pane.print_log_label.setText(self.tr("Print log"))
        for model in (self.lines_model, self.units_model, self.timeline_model, self.documents_model,
                      self.print_log_model):
            model.retranslate()
        self._show_page()

    def _on_language_changed(self) -> None:
        self.retranslate_ui()

    # ------------------------------------------------------------------ loading
    @property
    def page(self) -> ReturnPage | None:
        return self._page

    @property
    def rma_no(self) -> str | None:
        return self._rma

    def show_return(self, rma_no: str) -> None:
        """Read the return ``rma_no`` and show it."""
        if rma_no != self._rma:
            self._page = None
            self.reason_edit.clear()
            self._set_message("")
        self._rma = rma_no
        self.reload()

    def _open_exchange(self, page: ReturnPage) -> None:
        """The exchange dialog on this return (pick the replacement, settle the difference, hand
        over or ship); the page reloads when it changes something."""
        from returndesk.ui.dialogs.exchange import open_exchange

        dialog = open_exchange(self, self._api, page.rma_no, tasks=self._tasks, printer=self._printer)
        dialog.exchanged.connect(lambda _result: self.reload())
        dialog.changed_mind.connect(lambda _result: self.reload())
        dialog.replacement_changed.connect(lambda _result: self.reload())
        self.exchange_dialog = dialog

    def reload(self) -> None:
        """Read the return shown again."""
        if not self._rma:
            return
        self._tasks.run(self._api.search.get_return_page, self._rma, on_done=self._on_page_read,
                        on_error=self._on_page_failed, key=self._key)

    def _on_page_read(self, page: ReturnPage) -> None:
        self._page = page
        self._rma = page.rma_no
        self._problem = ""
        self._show_page()
        self.page_loaded.emit(page.rma_no)

    def _on_page_failed(self, error: BaseException) -> None:
        if isinstance(error, ReturnDeskError):
            report = self._errors.report(error, context=self.tr("reading the return"))
        else:
            report = self._errors.present(error, context=self.tr("reading the return"))
        self._problem = report.message
        self._show_page()
        self.load_failed.emit(report.message)

    def _on_data_changed(self, entity: str, entity_id: int) -> None:
        page = self._page
        if entity == "any" or (entity == "return" and (page is None or entity_id == page.detail.id)) \
                or entity == "print_log":
            self._refresh_timer.start()

    def _on_live_resync(self) -> None:
        self._refresh_timer.start()

    # ------------------------------------------------------------------ showing
    def _when(self, moment: Any) -> str:
        return format_datetime(moment, empty=NO_TIME)

    def _show_page(self) -> None:
        self.problem_label.setText(self._problem)
        self.problem_label.setVisible(bool(self._problem))
        page = self._page
        self._show_header(page)
        self._show_refund(page)
        self._show_actions(page)
        if page is None:
            self.lines_model.set_lines(())
            for model in (self.units_model, self.documents_model, self.print_log_model):
                model.set_rows(())
            self.timeline_model.set_entries(())
            return
        detail = page.detail
        names = ReasonNames({r.code: (r.name_en, r.name_zh) for r in page.reasons})
        self.lines_model.set_lines(detail.lines, page.checks, currency=detail.currency, reason_names=names)
        self.units_model.set_rows(page.units)
        self.timeline_model.set_entries(page.timeline, detail.currency)
        chosen = self.documents_view.currentIndex()
        chosen_document = self.documents_model.document(chosen.row()) if chosen.isValid() else None
        self.documents_model.set_rows(page.documents)
        if chosen_document is not None:  # the document chosen stays chosen: Print again prints it again
            row = next((r for r, d in enumerate(page.documents)
                        if (d.doc_type, d.reference) == (chosen_document.doc_type, chosen_document.reference)), 0)
            self.documents_view.setCurrentIndex(self.documents_model.index(row, 0))
        self.print_log_model.set_rows(page.print_log)
        self.print_button.setEnabled(bool(page.documents))
        for view in (self.lines_view, self.units_view, self.timeline_view, self.documents_view,
                     self.print_log_view):
            view.resizeColumnsToContents()
        if page.documents and not self.documents_view.currentIndex().isValid():
            self.documents_view.setCurrentIndex(self.documents_model.index(0, 0))

    def _show_header(self, page: ReturnPage | None) -> None:
        pane = self.header_pane
        if page is None:
            pane.rma_label.setText(self._rma or self.tr("No return chosen"))
            pane.status_pill.set_status(None)
            pane.facts.clear()
            pane.more_facts.clear()
            return
        d = page.detail
        pane.rma_label.setText(d.rma_no)
        pane.status_pill.set_status(d.status)
        status_since = self.tr("{status} since {when}").format(
            status=_status(d.status), when=self._when(d.status_changed_at))
        customer = " · ".join(t for t in (d.customer_name, d.customer_phone) if t) or self.tr("No customer recorded")
        facts = pane.facts
        facts.clear()
        facts.add_row(self.tr("Customer"), customer, key="customer")
        history = page.history
        if history is not None:
            text = self.tr("{in_window} in {days} days, {all_time} in all").format(
                in_window=history.returns_in_window, days=history.window_days, all_time=history.returns_all_time)
            if history.frequent_returner:
                text += " · " + self.tr("frequent returner")
            facts.add_row(self.tr("Their returns"), text, key="history")
        facts.add_row(self.tr("Order"),
                      self.tr("{order}, sold {sold}").format(order=d.order_no, sold=self._when(d.sold_at)),
                      key="order")
        facts.add_row(self.tr("Channel"), _channel(d.channel), key="channel")
        facts.add_row(self.tr("Site"), page.site or "—", key="site")
        facts.add_row(self.tr("Status"), status_since, key="status")
        if d.status_changed_by:  # a row of its own: a long name would wrap the status and be cut
            facts.add_row(self.tr("Set by"), d.status_changed_by_name or d.status_changed_by, key="status_by")
        more = pane.more_facts
        more.clear()
        more.add_row(self.tr("Created"),
                     self.tr("{when} by {who}").format(when=self._when(d.created_at),
                                                      who=d.created_by_name or d.created_by),
                     key="created")
        more.add_row(self.tr("Station"), page.created_station or "—", key="station")
        more.add_row(self.tr("Receive by"), format_date(d.receive_by, empty=NO_TIME), key="receive_by")
        more.add_row(self.tr("Inspected by"), d.inspected_by_name or d.inspected_by or "—", key="inspected_by")
        level = _level(d.approval_level)
        reasons = " ".join(tr_message(d.approval_reasons or "").split("\n")).strip()
        more.add_row(self.tr("Approval"), " — ".join(t for t in (level, reasons) if t) or "—", key="approval")
        if d.override_reason:
            more.add_row(self.tr("Override"), d.override_reason, key="override")
        if d.notes:
            more.add_row(self.tr("Notes"), d.notes, key="notes")

    def _show_refund(self, page: ReturnPage | None) -> None:
        figures = self.refund_pane.figures
        figures.clear()
        label = self.refund_pane.exchange_label
        if page is None:
            label.clear()
            return
        f = page.figures
        def money(minor: int) -> str:
            return format_money(minor, f.currency)

        figures.add_row(self.tr("Paid for the goods"), money(f.paid_minor), key="paid")
        figures.add_row(self.tr("of which tax"), money(f.tax_minor), key="tax")
        figures.add_row(self.tr("Grade deductions"), money(-f.deductions_minor) if f.deductions_minor else "—",
                        key="deductions")
        figures.add_row(self.tr("Restocking fees"), money(-f.fees_minor) if f.fees_minor else "—", key="fees")
        figures.add_row(self.tr("Shipping refunded"), money(f.shipping_minor) if f.shipping_minor else "—",
                        key="shipping")
        figures.add_row(self.tr("Refund total"), money(f.total_minor), key="total")
        figures.add_row(self.tr("Method"), _method(f.method), key="method")
        refund = page.refund
        if refund is not None:
            issued = self.tr("{number} by {who}, {when}").format(
                number=refund.refund_no, who=refund.issued_by, when=self._when(refund.issued_at))
            if refund.credit_note_no:
                issued += " · " + self.tr("credit note {number}").format(number=refund.credit_note_no)
            figures.add_row(self.tr("Refunded"), issued, key="refunded")
        exchange = page.exchange
        if exchange is None:
            label.setText("")
            label.setVisible(False)
        else:
            label.setVisible(True)
            label.setText(self.tr(
                "Exchange: replacement order {order} ({status}), goods {value}, difference {difference}")
                          .format(order=exchange.order_no, status=self._replacement_status(exchange.status),
                                  value=money(exchange.value_minor), difference=money(exchange.difference_minor)))

    def _replacement_status(self, code: str) -> str:
        words = {"reserved": self.tr("stock reserved"), "fulfilled": self.tr("handed over"),
                 "cancelled": self.tr("cancelled")}
        return words.get(code, code)

    def _refusal_text(self, verdict: ActionVerdict) -> str:
        if verdict.refusal is Refusal.STATE and verdict.action in REPLACEMENT_ACTIONS and self._page is not None \
                and self._page.detail.status == REPLACEMENT_STATE:
            return tr_message(verdict.reason or "")  # the replacement's own state: handed over or cancelled already
        if verdict.refusal is Refusal.STATE and self._page is not None:
            return self.tr("Not possible while the return is {status}.").format(
                status=_status(self._page.detail.status))
        if verdict.refusal is Refusal.ROLE and verdict.reason and verdict.reason.startswith("A "):
            return self.tr("Your role ({role}) may not do this.").format(role=_role(self._actor.role))
        kinds = {
            Refusal.ROLE: self.tr("Not your role: {reason}"),
            Refusal.SEGREGATION: self.tr("Segregation of duties: {reason}"),
            Refusal.LIMIT: self.tr("Above your limit: {reason}"),
            Refusal.POLICY: self.tr("Return policy: {reason}"),
        }
        template = kinds.get(verdict.refusal or Refusal.OTHER, "{reason}")
        return template.format(reason=tr_message(verdict.reason or ""))

    def _show_actions(self, page: ReturnPage | None) -> None:
        why: list[str] = []
        for action, button in self.buttons.items():
            title = self._action_title(action)
            button.setText(title)
            shortcut = _native(SHORTCUTS[action])
            if action is ReturnAction.EXCHANGE:
                button.setVisible(self.exchange_handler is not None)
            if action is ReturnAction.COLLECT_DIFFERENCE:
                # Only where the customer owes on a reserved replacement (an exchange made elsewhere).
                button.setVisible(self._owed(page) > 0)
            if page is None:
                button.setEnabled(False)
                button.setToolTip(self.tr("{action} ({key})").format(action=title, key=shortcut))
                continue
            verdict = page.verdict(action)
            button.setEnabled(verdict.allowed and not self._acting)
            if verdict.allowed:
                button.setToolTip(self.tr("{action} ({key})").format(action=title, key=shortcut))
            else:
                text = self._refusal_text(verdict)
                button.setToolTip(self.tr("{action} ({key}): {why}").format(action=title, key=shortcut, why=text))
                if verdict.refusal is not Refusal.STATE and (action is not ReturnAction.EXCHANGE
                                                            or self.exchange_handler is not None):
                    why.append(self.tr("{action}: {why}").format(action=title, why=text))
        self.why_label.setText("\n".join(why))
        self.why_label.setVisible(bool(why))
        self.method_combo.blockSignals(True)
        current = self.method_combo.currentData()
        self.method_combo.clear()
        if page is not None:
            for code in page.refund_methods:
                self.method_combo.addItem(_method(code), code)
            same = current in page.refund_methods and self._rma == page.rma_no
            wanted = current if same else page.detail.refund_method
            index = self.method_combo.findData(wanted)
            self.method_combo.setCurrentIndex(max(index, 0))
        self.method_combo.blockSignals(False)
        refund_open = page is not None and page.verdict(ReturnAction.ISSUE_REFUND).allowed
        self.method_combo.setEnabled(refund_open)
        self._show_collect(page)
        self.message_label.setText(self._message)
        self.message_label.setStyleSheet("color: #b00020;" if self._message_is_problem else "color: #1b5e20;")
        self.message_label.setVisible(bool(self._message))

    @staticmethod
    def _owed(page: ReturnPage | None) -> int:
        """What the customer still owes on the reserved replacement of ``page`` (0: nothing)."""
        if page is None or page.exchange is None or page.exchange.status != "reserved":
            return 0
        return max(page.exchange.outstanding_minor, 0)

    def _show_collect(self, page: ReturnPage | None) -> None:
        """The payment method of the difference, as the counter takes it, beside the amount owed."""
        owed = self._owed(page)
        combo = self.actions_pane.collect_combo
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for method in CollectMethod:
            combo.addItem(display_name(CollectMethod, method), method.value)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)
        combo.setVisible(owed > 0)
        self.actions_pane.collect_label.setVisible(owed > 0)
        combo.setEnabled(page is not None and page.verdict(ReturnAction.COLLECT_DIFFERENCE).allowed
                         and not self._acting)
        if page is not None and owed > 0:
            button = self.buttons[ReturnAction.COLLECT_DIFFERENCE]
            amount = format_money(owed, page.detail.currency)
            button.setText(self.tr("Collect {amount}").format(amount=amount))

    def _set_message(self, text: str, *, problem: bool = False) -> None:
        self._message = text
        self._message_is_problem = problem
        self.message_label.setText(text)
        self.message_label.setStyleSheet("color: #b00020;" if problem else "color: #1b5e20;")
        self.message_label.setVisible(bool(text))

    # ------------------------------------------------------------------ acting
    def _on_shortcut(self, action: ReturnAction) -> None:
        button = self.buttons[action]
        if button.isEnabled() and button.isVisible():
            self.perform(action)

    def _on_reason_shortcut(self) -> None:
        self.reason_edit.setFocus()
        self.reason_edit.selectAll()

    def perform(self, action: ReturnAction | str) -> None:
        """Take ``action`` on the return shown, as its button does."""
        act = ReturnAction(action)
        page = self._page
        if page is None or self._acting:
            return
        rma = page.rma_no
        if act is ReturnAction.INSPECT:
            self.inspect_requested.emit(rma)
            return
        if act is ReturnAction.EXCHANGE:
            if self.exchange_handler is not None:
                self.exchange_handler(page)
            self.exchange_requested.emit(rma)
            return
        reason = " ".join(self.reason_edit.text().split())
        method = self.method_combo.currentData() if act is ReturnAction.ISSUE_REFUND else None
        order_no = None
        if act is ReturnAction.COLLECT_DIFFERENCE:
            if page.exchange is None:
                return
            order_no = page.exchange.order_no
            method = self.actions_pane.collect_combo.currentData()
        self._acting = True
        self._show_actions(page)
        self._set_message(self.tr("Working…"))
        version = page.detail.version

        def run() -> object:
            return perform_action(self._api, act, rma, reason=reason, method=method, expected_version=version,
                                  order_no=order_no)

        def done(result: object) -> None:
            self._on_action_done(act, rma, result)

        def failed(error: BaseException) -> None:
            self._on_action_failed(act, error)

        self._tasks.run(run, on_done=done, on_error=failed)

    def _done_words(self, action: ReturnAction, rma: str) -> str:
        words = {
            ReturnAction.AUTHORIZE: self.tr("Return {rma} is authorized."),
            ReturnAction.REJECT: self.tr("The request {rma} is rejected."),
            ReturnAction.CANCEL: self.tr("Return {rma} is cancelled."),
            ReturnAction.RECEIVE: self.tr("The parcel of {rma} is received."),
            ReturnAction.APPROVE: self.tr("The refund of {rma} is approved."),
            ReturnAction.OVERRIDE: self.tr("The policy is overridden and the refund of {rma} approved."),
            ReturnAction.REJECT_REFUND: self.tr("The refund of {rma} is rejected."),
            ReturnAction.ISSUE_REFUND: self.tr("The refund of {rma} is issued."),
            ReturnAction.CLOSE: self.tr("Return {rma} is closed."),
            ReturnAction.REOPEN: self.tr("The request {rma} is open again and waits for authorization."),
            ReturnAction.HAND_OVER: self.tr("The replacement of {rma} is handed over."),
            ReturnAction.SHIP_REPLACEMENT: self.tr("The replacement of {rma} is shipped; its packing slip is printed."),
            ReturnAction.CANCEL_EXCHANGE: self.tr(
                "The replacement of {rma} is cancelled and its goods are available again; finance settles what "
                "the customer is owed."),
            ReturnAction.COLLECT_DIFFERENCE: self.tr(
                "The difference of {rma} is paid; the replacement can be handed over."),
        }
        return words.get(action, "{rma}").format(rma=rma)

    def _on_action_done(self, action: ReturnAction, rma: str, result: object = None) -> None:
        self._acting = False
        if action in REASON_ACTIONS:
            self.reason_edit.clear()
        self._set_message(self._done_words(action, rma))
        self.action_done.emit(action.value, rma)
        self.reload()
        if action is ReturnAction.SHIP_REPLACEMENT and isinstance(result, ReplacementView):
            self.print_document(DocumentType.PACKING_SLIP, result.order_no)

    def _on_action_failed(self, action: ReturnAction, error: BaseException) -> None:
        self._acting = False
        if isinstance(error, ReturnDeskError):
            message = self._errors.report(error, context=self._action_title(action)).message
        else:
            message = self._errors.present(error, context=self._action_title(action)).message
        self._set_message(message, problem=True)
        self._show_actions(self._page)
        self.action_refused.emit(message)
        if isinstance(error, ReturnDeskError):
            # What the return looks like now (another station may have moved it on: ConcurrentChange).
            self.reload()

    # ------------------------------------------------------------------ printing
    def print_selected(self) -> None:
        """Print (or reprint) the document selected in the Documents tab."""
        page = self._page
        index = self.documents_view.currentIndex()
        if page is None or not index.isValid():
            return
        document = self.documents_model.document(index.row())
        self.print_document(document.doc_type, document.reference)

    def print_document(self, doc_type: DocumentType, reference: str) -> None:
        """Print (or reprint) one document of the return: on the station's printer for it, else as
        a file in the output folder."""
        lang = "zh_CN" if is_chinese() else "en"
        service = self._print_service
        printer = self._printer

        def route() -> PrintedDocument | None:
            if service is not None and service.has_printer_for(doc_type):
                return None
            return printer(doc_type, reference, lang)

        def done(result: PrintedDocument | None) -> None:
            if result is None:
                assert service is not None
                service.print_document(doc_type, reference, lang=lang)
                return
            self._on_document_saved(result)

        self._set_message(self.tr("Printing…"))
        self._tasks.run(route, on_done=done, on_error=self._on_print_failed)

    def _on_document_saved(self, result: PrintedDocument) -> None:
        if result.reprint:
            text = self.tr("Reprint {n} of {reference} saved: {where}").format(
                n=result.reprint, reference=result.reference, where=result.where)
        else:
            text = self.tr("{reference} saved: {where}").format(reference=result.reference, where=result.where)
        self._set_message(text)
        self.document_printed.emit(result.where)
        self.reload()

    def _on_print_service_document_printed(self, outcome: Any) -> None:
        if not self.isVisible():
            return
        self._set_message(self.tr("Printed: {what}").format(what=outcome.message))
        self.document_printed.emit(outcome.destination)
        self.reload()

    def _on_print_service_failed(self, message: str) -> None:
        if self.isVisible():
            self._set_message(message, problem=True)

    def _on_print_failed(self, error: BaseException) -> None:
        if isinstance(error, ReturnDeskError):
            message = self._errors.report(error, context=self.tr("printing")).message
        else:
            message = self._errors.present(error, context=self.tr("printing")).message
        self._set_message(message, problem=True)


def _status(code: str) -> str:
    try:
        return tr_status(code)
    except ValueError:
        return code


def _channel(code: str) -> str:
    try:
        return tr_channel(code)
    except ValueError:
        return code


def _method(code: str) -> str:
    try:
        return tr_refund_method(code)
    except ValueError:
        return code


def _role(code: str) -> str:
    try:
        return tr_role(code)
    except ValueError:
        return code


def _level(code: str | None) -> str:
    if not code:
        return ""
    try:
        return tr_approval_level(code)
    except ValueError:
        return code


#: The detail page's section of the user guide (F1).
HELP_ANCHOR = "everyone-a-return-whole-the-detail-page"


class ReturnDetailDialog(QDialog):
    """The detail page in a window of its own, beside the screen it was opened from (not modal:
    the list stays usable, and the next return opened replaces the one shown)."""

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None,
                 **page_options: Any) -> None:
        super().__init__(parent)
        self.setObjectName("return_detail_dialog")
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.page = ReturnDetailPage(api, tasks, actor, self, **page_options)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.page)
        self.page.page_loaded.connect(self._retitle)
        self.resize(1180, 820)
        self.help_key = add_help_key(self, HELP_ANCHOR)
        self._retitle()

    def open_return(self, rma_no: str) -> None:
        """Show the return ``rma_no`` and bring the window to the front."""
        self.page.show_return(rma_no)
        self._retitle()
        self.show()
        self.raise_()
        self.activateWindow()

    def _retitle(self, *_args: object) -> None:
        rma = self.page.rma_no
        self.setWindowTitle(self.tr("Return {rma}").format(rma=rma) if rma else self.tr("Return"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retitle()
        super().changeEvent(event)


__all__ = ["REASON_ACTIONS", "SHORTCUTS", "ReturnDetailDialog", "ReturnDetailPage", "perform_action"]
