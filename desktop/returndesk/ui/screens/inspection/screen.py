"""The inspection station (仓库质检扫描): scan a parcel's RMA label, its items and the commands.

Scan-first: the large scan field at the top has the focus; whatever the scanner sends (or someone
types and ends with Enter) is one *input*. Inputs are processed strictly one after another, in the
order they arrived: each that needs the database becomes one task on the task runner (never on the
GUI thread), and inputs that arrive meanwhile wait in a queue (shown on screen) — a scan is never
dropped because the station was busy. The buttons are disabled while a task runs; the scan field
stays open so the scanner can keep going.

What an input does:

* **RMA label** — opens that return. An authorized return is received by the same scan (its
  parcel has arrived); a received one is opened where inspection left off. Anything else (unknown,
  cancelled, expired, not yet authorized, already inspected) is said in red, with the error sound.
* **Item barcode** (EAN/UPC/GTIN, GS1 with serial, SKU) — one unit counted against its line with
  the line's grade and disposition (default: grade A, disposition by grade, so A goes to restock):
  a normal line needs the item scan alone. Over-received and wrong items are recorded and shown in
  amber. A serial-tracked item scanned without its serial waits for the serial scan.
* **Grade / disposition** — number keys 1–4 then Enter (grades A–D; with a prefix-programmed
  scanner the digit alone), F5–F9 (restock, refurbish, return to vendor, scrap, return to
  customer) or the command barcodes. See :mod:`.state` for the rule; it is shown in
  the legend on screen.
* **Commands** (barcode or key): complete (F12), short (F3), undo (Ctrl+Z), next line (F2), wrong
  item (F4, the next scan is recorded as a wrong item), cancel (Esc: drops an armed mode, else puts
  the open return aside — its units stay saved).

Complete routes the return for approval or approves it automatically (said in words) and prints
one item tag per unit that stays in the warehouse (see :mod:`.tags`).

A normal 3-line return (one unit each, grade A, restock) takes five scans and no mouse: the RMA
label, three items, "complete".

When the database cannot be reached, the input that failed and every input after it wait in the
visible pending list, and are applied in order when the connection is back (``LiveUpdates``
reports it, or "Try again"), or dropped visibly with "Discard". Each input carries its own
idempotency key (:mod:`returndesk.api.idempotency`): through a ReturnDesk server, an input whose
request arrived but whose answer was lost is applied once, not twice. When another station changes the
open return, the screen reloads it and says so if this station was in the middle of it.

Signals for tests and the frame: ``scan_processed(ScanOutcome)`` after every input,
``return_opened(rma)``, ``inspection_completed(rma)``, ``return_refreshed(rma)`` and
``parcel_recorded(ParcelView)``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QLocale, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.types import Lang
from returndesk.domain.errors import DatabaseUnavailable, ReturnDeskError
from returndesk.domain.money import format_money
from returndesk.domain.scan import COMMANDS, CommandScan, ItemScan, OrderScan, RmaScan, UnknownScan
from returndesk.domain.types import ApprovalLevel, Disposition, Grade, ReturnStatus, UnitOutcome
from returndesk.api.idempotency import command_key, new_command_key
from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import (
    Actor,
    CompletionResult,
    Page,
    ReturnDetail,
    ReturnSummary,
    ScanLookup,
    UnitChecks,
    parse_scan,
)
from returndesk.ui.errors import describe_error
from returndesk.ui.feedback import FeedbackBar, FeedbackKind, SoundPlayer
from returndesk.ui.i18n import tr_approval_level, tr_message, tr_status
from returndesk.ui.scanner import ScanLineEdit, ScanRouter
from returndesk.ui.station_screen import StationScreen
from returndesk.ui.screens.inspection.models import (
    InspectionLinesTableModel,
    SummaryRole,
    WorklistTableModel,
    disposition_name,
)
from returndesk.ui.screens.inspection.parcel import ParcelEntry, UnexpectedParcelDialog
from returndesk.ui.screens.inspection.parcels import ParcelsDialog
from returndesk.ui.screens.inspection.state import HeldItem, InspectionState, authorized_units, counted_units
from returndesk.ui.screens.inspection.tags import (
    PrintedTag,
    TagPrinter,
    common_folder,
    pdf_folder_printer,
    print_item_tags,
    tag_references,
)
from returndesk.ui.screens.inspection.widgets import (
    CommandButtonsPaneWidget,
    CommandLegendPaneWidget,
    InspectionLinesView,
    PendingInputsPaneWidget,
    ReturnHeaderPaneWidget,
    WorklistsPaneWidget,
)
from returndesk.ui.fonts import scale_font
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.local_time import format_date

if TYPE_CHECKING:
    from returndesk.ui.live import LiveUpdates

PAGE_SIZE = 50

#: Typed in the scan field and ended with Enter: the grade keys.
TYPED_GRADES = {"1": "grade_a", "2": "grade_b", "3": "grade_c", "4": "grade_d"}
_DIGIT_GRADES = {int(Qt.Key.Key_1): "grade_a", int(Qt.Key.Key_2): "grade_b",
                 int(Qt.Key.Key_3): "grade_c", int(Qt.Key.Key_4): "grade_d"}

#: Function keys and shortcuts of the station commands (no modifiers unless named).
KEY_COMMANDS: dict[tuple[int, int], str] = {
    (int(Qt.Key.Key_F5), 0): "restock",
    (int(Qt.Key.Key_F6), 0): "refurbish",
    (int(Qt.Key.Key_F7), 0): "rtv",
    (int(Qt.Key.Key_F8), 0): "scrap",
    (int(Qt.Key.Key_F9), 0): "return_to_customer",
    (int(Qt.Key.Key_F2), 0): "next",
    (int(Qt.Key.Key_F3), 0): "short",
    (int(Qt.Key.Key_F4), 0): "wrong_item",
    (int(Qt.Key.Key_F12), 0): "complete",
    (int(Qt.Key.Key_1), int(Qt.KeyboardModifier.ControlModifier.value)): "fail_packaging",
    (int(Qt.Key.Key_2), int(Qt.KeyboardModifier.ControlModifier.value)): "fail_accessories",
    (int(Qt.Key.Key_3), int(Qt.KeyboardModifier.ControlModifier.value)): "fail_function",
    (int(Qt.Key.Key_F10), 0): "note",
    (int(Qt.Key.Key_Escape), 0): "cancel",
    (int(Qt.Key.Key_Z), int(Qt.KeyboardModifier.ControlModifier.value)): "undo",
}
#: The input of the "Print tags again" button (not a command of the sheet).
REPRINT = "reprint"
#: The input of a note typed for the unit scanned last (not a command of the sheet).
NOTE_TEXT = "note_text"
#: The checks of a unit the station records (passed unless a command says otherwise), and the
#: condition of the policy each stands for; "function" is always checked.
CHECK_CONDITIONS = {"packaging": "original_packaging", "accessories": "accessories_complete"}
_CHECK_COMMANDS = {"fail_packaging": "packaging", "fail_accessories": "accessories", "fail_function": "function"}
#: The key that opens the "parcel without RMA" dialog.
PARCEL_KEY = int(Qt.Key.Key_F11)

_GRADE_COMMANDS = {"grade_a": Grade.A, "grade_b": Grade.B, "grade_c": Grade.C, "grade_d": Grade.D}
_DISPOSITION_COMMANDS = {
    "restock": Disposition.RESTOCK, "refurbish": Disposition.REFURBISH, "rtv": Disposition.RETURN_TO_VENDOR,
    "scrap": Disposition.SCRAP, "return_to_customer": Disposition.RETURN_TO_CUSTOMER,
}
_INSPECTED_STATES = frozenset({
    ReturnStatus.INSPECTED, ReturnStatus.AWAITING_APPROVAL, ReturnStatus.APPROVED, ReturnStatus.REFUND_REJECTED,
    ReturnStatus.REFUNDED, ReturnStatus.EXCHANGED, ReturnStatus.CLOSED,
})


class InputSource(StrEnum):
    SCAN = "scan"  # the scanner (or typing ended with Enter) in the scan field or anywhere
    KEY = "key"  # a function key, Ctrl+Z, Esc or a grade digit
    LIST = "list"  # a return chosen in a worklist (Enter or double-click)
    BUTTON = "button"  # a button clicked


@dataclass(frozen=True)
class StationInput:
    """One input of the station, in arrival order. ``command`` is set for keys and buttons."""

    text: str
    source: InputSource = InputSource.SCAN
    command: str | None = None
    refresh: bool = False  # internal: reload the open return (changed elsewhere)
    # The idempotency key of what this input changes: the same when a kept input is applied after
    # an outage, so that a request whose answer was lost is not carried out twice.
    key: str = field(default_factory=new_command_key, compare=False, repr=False)

    def shown(self) -> str:
        """How the input is listed (pending list)."""
        if self.command is not None and self.source is not InputSource.SCAN:
            return f"[{self.command}]"
        return self.text


@dataclass(frozen=True)
class ScanOutcome:
    """What one input did, as shown in the status line (``scan_processed`` carries it).

    ``kind`` is ``rma``, ``item``, ``serial``, ``command``, ``order`` or ``unknown``;
    ``feedback`` the colour (``ok``, ``warning``, ``error``, ``idle``); ``pending`` is True when
    the input waits for the database to come back.
    """

    input: StationInput
    kind: str
    feedback: str
    message: str
    rma: str | None = None
    unit_id: int | None = None
    pending: bool = False


@dataclass(frozen=True)
class _Opened:
    lookup: ScanLookup
    detail: ReturnDetail | None
    received: bool


@dataclass(frozen=True)
class _Completed:
    result: CompletionResult
    tags: list[PrintedTag] = field(default_factory=list)
    tag_error: BaseException | None = None


@dataclass
class _Running:
    """The input whose task is running, and how its result is turned into an outcome."""

    item: StationInput
    kind: str
    then: Callable[[StationInput, Any], ScanOutcome | None]


class InspectionScreen(StationScreen):
    """The warehouse inspector's scanning station; see the module documentation.

    Scanned RMA labels open the return here, for inspection (``keeps_rma_scans``); Ctrl+D on a
    worklist row opens the return's detail page.

    ``scan_router``: the application's keyboard-wedge router (the main window hands it over with
    ``use_scan_router``) — scans that arrive while the focus is elsewhere come from it.
    ``live``: the :class:`~returndesk.ui.live.LiveUpdates` of the application (or
    :meth:`attach_live_updates` later); without it, changes made in this process are followed.
    ``sound_player``: for the feedback sounds. ``tag_printer``: prints (and logs) one item tag on a
    worker thread (default: PDF files in the station's output folder, see :mod:`.tags`).
    """

    keeps_rma_scans = True

    scan_processed = Signal(object)  # ScanOutcome
    return_opened = Signal(str)
    inspection_completed = Signal(str)
    return_refreshed = Signal(str)
    parcel_recorded = Signal(object)  # receiving.ParcelView
    parcels_opened = Signal(object)  # the ParcelsDialog just opened
    queue_changed = Signal(int)  # inputs waiting (queue + pending)

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 scan_router: ScanRouter | None = None, live: LiveUpdates | None = None,
                 sound_player: SoundPlayer | None = None, tag_printer: TagPrinter | None = None,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(api, tasks, actor, parent)
        self.setObjectName("inspection_screen")
        self._page_size = page_size
        self._tag_printer: TagPrinter = tag_printer or pdf_folder_printer(api)
        self._state = InspectionState()
        self._queue: deque[StationInput] = deque()
        self._pending: list[StationInput] = []
        self._offline = False
        self._running: _Running | None = None
        self._pumping = False
        self._refresh_queued = False
        self._worklists_dirty = True
        self._worklists_reload_scheduled = False
        self._last_completed: tuple[str, tuple[str, ...]] | None = None  # RMA, tag references
        self._parcel_dialog: UnexpectedParcelDialog | None = None
        self.parcels_dialog: ParcelsDialog | None = None
        self._checks_in_use: set[str] = {"packaging", "accessories", "function"}
        self._failed_checks: dict[int, set[str]] = {}
        self._note_unit_id: int | None = None
        self.use_scan_router(scan_router)  # before building: the hints depend on how scanners send

        self._build(sound_player)
        self.retranslate_ui()
        self._render()
        self._start_following(live)
        # The checks the station records per unit follow the policy's conditions.
        self._tasks.run(self._api.settings.active_policy, on_done=self._on_policy_loaded,
                        on_error=lambda error: self._errors.report(error, context="reading the return policy"))

    # ------------------------------------------------------------------ building
    def _build(self, sound_player: SoundPlayer | None) -> None:
        self.scan_edit = ScanLineEdit(self, scale=1.8)
        self.scan_edit.setObjectName("scan_edit")
        self.scan_edit.scanned.connect(self._on_scan_edit_scanned)
        self.scan_edit.installEventFilter(self)
        # Keeps its own object name: its style sheet selects on it.
        self.feedback_bar = FeedbackBar(self, sound_player=sound_player)
        # The note on the unit scanned last (F10 or the note barcode): Enter keeps it, Esc drops it.
        self.note_edit = QLineEdit(self)
        self.note_edit.setObjectName("unit_note_edit")
        self.note_edit.setVisible(False)
        self.note_edit.returnPressed.connect(self._on_note_edit_return_pressed)
        self.note_edit.installEventFilter(self)
        self.activity_label = QLabel()
        self.activity_label.setObjectName("activity_label")

        # --- the open return
        self.header_pane = ReturnHeaderPaneWidget()
        self.rma_label = self.header_pane.rma_label
        self.status_pill = self.header_pane.status_pill
        self.progress_label = self.header_pane.progress_label
        self.customer_label = self.header_pane.customer_label
        self.order_label = self.header_pane.order_label
        self.lines_model = InspectionLinesTableModel(self, chinese_names=self._chinese())
        self.lines_view = InspectionLinesView(self.lines_model)

        self.next_label = QLabel()
        self.next_label.setObjectName("next_label")
        self.next_label.setWordWrap(True)
        scale_font(self.next_label, 1.2, bold=True)
        self.policy_label = QLabel()
        self.policy_label.setObjectName("policy_label")
        self.policy_label.setWordWrap(True)
        self.policy_label.setTextFormat(Qt.TextFormat.PlainText)
        self.mode_label = QLabel()
        self.mode_label.setObjectName("mode_label")
        self.mode_label.setWordWrap(True)
        scale_font(self.mode_label, 1.2, bold=True)
        self.mode_label.setStyleSheet(
            "QLabel { background: #ffe082; color: #212121; padding: 4px 8px; border-radius: 4px; }"
        )

        # --- inputs waiting for the database
        self.pending_box = PendingInputsPaneWidget(text_height=self.fontMetrics().height())
        self.pending_list = self.pending_box.pending_list
        self.retry_button = self.pending_box.retry_button
        self.retry_button.clicked.connect(self.retry_pending)
        self.discard_button = self.pending_box.discard_button
        self.discard_button.clicked.connect(self.discard_pending)

        # --- buttons (the keyboard and the command barcodes do the same)
        self.commands_pane = CommandButtonsPaneWidget()
        for command, button in self.commands_pane.buttons.items():
            button.clicked.connect(lambda _checked=False, c=command: self._on_command_button_clicked(c))
        buttons = self.commands_pane.buttons
        self.complete_button, self.undo_button = buttons["complete"], buttons["undo"]
        self.short_button, self.next_button = buttons["short"], buttons["next"]
        self.wrong_button, self.cancel_button = buttons["wrong_item"], buttons["cancel"]

        # --- legend
        self.legend_box = CommandLegendPaneWidget()
        self.legend_keys = self.legend_box.legend_keys
        self.rule_label = self.legend_box.rule_label

        # --- side panel: worklists and the parcel without RMA
        self.expected_model = WorklistTableModel(
            self._expected_page, self._tasks, date_column="receive_by", parent=self
        )
        self.queue_model = WorklistTableModel(self._queue_page, self._tasks, date_column="since", parent=self)
        for model in (self.expected_model, self.queue_model):
            model.load_failed.connect(self._on_worklist_load_failed)
        side = WorklistsPaneWidget(self.expected_model, self.queue_model)
        self.worklists_pane = side
        self.expected_title = side.expected_title
        self.expected_view = side.expected_view
        self.queue_title = side.queue_title
        self.queue_view = side.queue_view
        for view in (self.expected_view, self.queue_view):
            view.activated.connect(self._on_worklist_activated)
            details = QShortcut(QKeySequence("Ctrl+D"), view)
            details.setContext(Qt.ShortcutContext.WidgetShortcut)
            details.activated.connect(lambda v=view: self._open_worklist_details(v))
        self.parcel_button = side.parcel_button
        self.parcel_button.clicked.connect(self.open_parcel_dialog)
        self.parcels_button = side.parcels_button
        self.parcels_button.clicked.connect(self.open_parcels_list)
        self.reprint_button = side.reprint_button
        self.reprint_button.clicked.connect(self.reprint_tags)

        self._arrange(side)

    def _arrange(self, side: QWidget) -> None:
        """The scan column (left, three quarters) and the worklists (right) in a splitter."""
        main = QWidget()
        main_layout = QVBoxLayout(main)
        main_layout.setContentsMargins(0, 0, 6, 0)
        main_layout.addWidget(self.scan_edit)
        main_layout.addWidget(self.note_edit)
        main_layout.addWidget(self.feedback_bar)
        main_layout.addWidget(self.activity_label)
        main_layout.addWidget(self.header_pane)
        main_layout.addWidget(self.lines_view, 1)
        main_layout.addWidget(self.next_label)
        main_layout.addWidget(self.policy_label)
        main_layout.addWidget(self.mode_label)
        main_layout.addWidget(self.pending_box)
        main_layout.addWidget(self.commands_pane)
        main_layout.addWidget(self.legend_box)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("inspection_splitter")
        self.splitter.addWidget(main)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.splitter)
        self.setFocusProxy(self.scan_edit)

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.scan_edit.setPlaceholderText(self.tr("Scan the RMA label, the items and the commands"))
        self.scan_edit.setToolTip(self.tr("Scans land here; typing works too: type the code, then Enter."))
        self.complete_button.setText(self.tr("Complete (F12)"))
        self.undo_button.setText(self.tr("Undo (Ctrl+Z)"))
        self.short_button.setText(self.tr("Line short (F3)"))
        self.next_button.setText(self.tr("Next line (F2)"))
        self.wrong_button.setText(self.tr("Wrong item (F4)"))
        self.cancel_button.setText(self.tr("Cancel (Esc)"))
        self.reprint_button.setText(self.tr("Print tags again"))
        self.reprint_button.setToolTip(
            self.tr("Print the item tags of the return completed last once more, marked as a reprint")
        )
        self.pending_box.setTitle(self.tr("Waiting for the database"))
        self.retry_button.setText(self.tr("Try again"))
        self.discard_button.setText(self.tr("Discard"))
        self.discard_button.setToolTip(self.tr("Drop the waiting scans; they are listed in the status line"))
        self.expected_title.setText(self.tr("Expected returns"))
        self.expected_view.setToolTip(
            self.tr("Authorized returns whose parcel has not arrived; Enter or double-click receives and opens one")
        )
        self.queue_title.setText(self.tr("Waiting for inspection"))
        self.queue_view.setToolTip(
            self.tr("Received returns not inspected yet, the longest waiting first; Enter or double-click opens one")
        )
        self.parcel_button.setText(self.tr("Parcel without RMA… (F11)"))
        self.parcels_button.setText(self.tr("Unmatched parcels… (Shift+F11)"))
        self.parcels_button.setToolTip(self.tr(
            "The parcels without RMA on the shelf: match one to its return or send it back"))
        self.legend_box.setTitle(self.tr("Keys and command barcodes"))
        grade_keys = self.tr("1–4") if self._digits_act_at_once() else self.tr("1–4, Enter")
        entries = [
            (grade_keys, self.tr("Grade A, B, C, D")),
            (self.tr("F5–F9"), self.tr("Restock, refurbish, return to vendor, scrap, return to customer")),
            (self.tr("F12"), self.tr("Complete: route for approval, print item tags")),
            (self.tr("Ctrl+Z"), self.tr("Undo the unit scanned last")),
            (self.tr("F2"), self.tr("Next line")),
            (self.tr("F3"), self.tr("Close the current line as short")),
            (self.tr("F4"), self.tr("Wrong item: the next scan is recorded as one")),
            (self.tr("Esc"), self.tr("Cancel: drop the armed mode, or put the return aside")),
            (self.tr("F11 · Shift+F11"), self.tr("Parcel without RMA · the list: match or send back")),
            (self.tr("Ctrl+1–3 · F10"), self.tr("Unit scanned last: packaging, accessories, function failed · a note")),
        ]
        for (key_label, text_label), (key, text) in zip(self.legend_keys, entries, strict=True):
            key_label.setText(key)
            text_label.setText(text)
        self.rule_label.setText(self.tr(
            "A grade or disposition changes the unit scanned last and is kept for the next units of its "
            "line; with no unit scanned last it is set for the current line ▶. Without one, units get "
            "grade A and the disposition of their grade: A and B restock, C refurbish, D return to vendor "
            "or scrap. Units pass their checks (packaging, accessories, function) unless Ctrl+1–3 marks one "
            "failed, which can lower the grade. The command sheet's barcodes do the same as the keys."))
        self.lines_model.retranslate()
        self.expected_model.retranslate()
        self.queue_model.retranslate()
        self._render()

    def _on_language_changed(self) -> None:
        self.lines_model.set_chinese_names(self._chinese())
        self.retranslate_ui()

    @staticmethod
    def _chinese() -> bool:
        return QLocale().language() == QLocale.Language.Chinese

    def _tag_lang(self) -> Lang:
        return "zh_CN" if self._chinese() else "en"

    def use_scan_router(self, router: ScanRouter | None) -> None:
        super().use_scan_router(router)
        if hasattr(self, "scan_edit"):
            self.retranslate_ui()  # the grade keys' hint depends on how the scanners send

    def _digits_act_at_once(self) -> bool:
        """With prefix-programmed scanners no scanned key reaches the field, so a lone digit is
        unambiguous; with the timing heuristic a scan may start with 1–4, so Enter confirms."""
        router = self._router
        return router is not None and router.is_enabled() and router.settings.prefix is not None

    # ------------------------------------------------------------------ live updates
    def _on_data_changed(self, entity: str, entity_id: int) -> None:
        if entity not in ("return", "any"):
            return
        detail = self._state.detail
        if detail is not None and (entity == "any" or entity_id == detail.id):
            self._queue_refresh()
        self._schedule_worklist_reload()

    def _on_live_resync(self) -> None:
        if self._state.detail is not None:
            self._queue_refresh()
        self._schedule_worklist_reload()

    def _on_live_connection_changed(self, online: bool, _message: str) -> None:
        if online and self._offline:
            self.retry_pending()

    # ------------------------------------------------------------------ scans in
    def accept_scan(self, text: str) -> bool:
        """Scanner router hook: a scan while the focus is anywhere inside this screen."""
        if not self.isVisible():
            return False
        self.submit(text)
        return True

    def _on_router_scanned(self, text: str) -> None:
        # The router emits ``scanned`` when no widget on the focus path took the scan (the focus
        # is outside this screen, e.g. in the navigation). Only the screen on show takes it.
        if self.isVisible() and QApplication.activeModalWidget() is None:
            self.submit(text)

    def _on_scan_edit_scanned(self, text: str) -> None:
        self.submit(text)

    def submit(self, text: str, *, source: InputSource = InputSource.SCAN) -> None:
        """Take one scanned or typed input; it is processed after those before it."""
        self._enqueue(StationInput(text, source))

    def command(self, name: str, *, source: InputSource = InputSource.KEY) -> None:
        """Give a station command (a name of ``domain.scan.COMMANDS``) as if its barcode was scanned."""
        if name not in COMMANDS:
            raise ValueError(f"{name!r} is not a station command")
        self._enqueue(StationInput(COMMANDS[name], source, command=name))

    def _on_command_button_clicked(self, name: str) -> None:
        self.command(name, source=InputSource.BUTTON)

    def _open_worklist_details(self, view: QWidget) -> None:
        index = view.currentIndex() if hasattr(view, "currentIndex") else QModelIndex()
        summary = index.data(SummaryRole) if index.isValid() else None
        if summary is not None:
            self.return_detail_requested.emit(summary.rma_no)

    def _on_worklist_activated(self, index: QModelIndex) -> None:
        summary = index.data(SummaryRole)
        if summary is not None:
            self._enqueue(StationInput(summary.rma_no, InputSource.LIST))
            self.scan_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                self._drop_note()
                return True
        if watched is self.scan_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self._handle_key(event, in_scan_field=True):
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._handle_key(event, in_scan_field=False):
            return
        super().keyPressEvent(event)

    def _handle_key(self, event: QKeyEvent, *, in_scan_field: bool) -> bool:
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key == PARCEL_KEY and modifiers == Qt.KeyboardModifier.ShiftModifier:
            self.open_parcels_list()
            return True
        if key == PARCEL_KEY and modifiers == Qt.KeyboardModifier.NoModifier:
            self.open_parcel_dialog()
            return True
        name = KEY_COMMANDS.get((key, int(modifiers.value)))
        if name is not None:
            if name == "cancel" and in_scan_field and self.scan_edit.text():
                self.scan_edit.clear()  # Esc first clears what was typed
                return True
            self.command(name)
            return True
        if (in_scan_field and key in _DIGIT_GRADES and modifiers == Qt.KeyboardModifier.NoModifier
                and not self.scan_edit.text() and self._digits_act_at_once()):
            self.command(_DIGIT_GRADES[key])
            return True
        return False

    # ------------------------------------------------------------------ the queue
    def waiting_inputs(self) -> list[str]:
        """Inputs not processed yet, in order: the queue, then those waiting for the database."""
        return [i.shown() for i in self._queue if not i.refresh] + [i.shown() for i in self._pending]

    def pending_inputs(self) -> list[str]:
        """Inputs kept because the database could not be reached, in order."""
        return [i.shown() for i in self._pending]

    def is_busy(self) -> bool:
        return self._running is not None

    def _enqueue(self, item: StationInput) -> None:
        if self._offline:
            self._pending.append(item)
            self._show_pending_feedback(item)
            return
        self._queue.append(item)
        self._pump()

    def _queue_refresh(self) -> None:
        if self._refresh_queued or self._offline or self._state.detail is None:
            return
        self._refresh_queued = True
        self._queue.append(StationInput("", InputSource.KEY, refresh=True))
        self._pump()

    def _pump(self) -> None:
        if self._pumping:
            return
        self._pumping = True
        try:
            while self._queue and self._running is None and not self._offline:
                self._process(self._queue.popleft())
        finally:
            self._pumping = False
        self._update_controls()

    def _process(self, item: StationInput) -> None:
        if item.refresh:
            self._refresh_queued = False
            self._start_refresh()
            return
        text = item.text.strip()
        if item.command == REPRINT:
            self._reprint(item)
            return
        if item.command == NOTE_TEXT:
            self._save_note(item)
            return
        if item.command is not None:
            scan: Any = CommandScan(item.command)
        elif text in TYPED_GRADES:
            scan = CommandScan(TYPED_GRADES[text])
        else:
            scan = parse_scan(item.text)
        held = self._state.held_item
        if held is not None and not isinstance(scan, CommandScan | RmaScan):
            self._record_item(item, held.code, serial=text, line_id=held.line_id)
            return
        if isinstance(scan, RmaScan):
            self._open_return(item, scan.rma)
        elif isinstance(scan, ItemScan):
            self._scan_item(item, scan)
        elif isinstance(scan, CommandScan):
            self._command(item, scan.name)
        elif isinstance(scan, OrderScan):
            self._order_scanned(item)
        else:
            assert isinstance(scan, UnknownScan)
            self._finish(ScanOutcome(item, "unknown", FeedbackKind.ERROR, self.tr(
                "Not a code of ReturnDesk: {reason}").format(reason=tr_message(scan.reason)), self._state.rma))

    def _start(self, item: StationInput, kind: str, work: Callable[[], Any],
               then: Callable[[StationInput, Any], ScanOutcome | None]) -> None:
        self._running = _Running(item, kind, then)
        self._update_controls()

        def keyed() -> Any:
            with command_key(item.key):
                return work()

        self._tasks.run(keyed, on_done=self._on_task_done, on_error=self._on_task_failed)

    def _on_task_done(self, result: Any) -> None:
        running, self._running = self._running, None
        assert running is not None
        try:
            outcome = running.then(running.item, result)
        except Exception as exc:
            outcome = self._failure_outcome(running, exc)
        if outcome is not None:
            self._finish(outcome)
        self._pump()

    def _on_task_failed(self, error: BaseException) -> None:
        running, self._running = self._running, None
        assert running is not None
        if isinstance(error, DatabaseUnavailable):
            self._go_offline(running.item, error)
        elif running.item.refresh:
            # A reload that failed is not the inspector's input: say it, keep what is shown.
            self._errors.report(error, context="reloading the open return")
            self.feedback_bar.show_warning(self.tr("The open return could not be reloaded: {reason}").format(
                reason=describe_error(error).message))
        else:
            self._finish(self._failure_outcome(running, error))
        self._pump()

    def _failure_outcome(self, running: _Running, error: BaseException) -> ScanOutcome:
        if isinstance(error, ReturnDeskError):
            self._errors.report(error)
            message = describe_error(error).message
            if running.kind == "serial":
                message = self.tr("{reason} Scan the item again.").format(reason=message)
        else:
            message = self._errors.present(error, context="processing a scan").message
        if self._state.held_item is not None and running.kind == "serial":
            self._state.held_item = None
        return ScanOutcome(running.item, running.kind, FeedbackKind.ERROR, message, self._state.rma)

    def _then(self, first: str, second: str) -> str:
        """Two sentences in a row (a space in English, none after a Chinese full stop)."""
        return self.tr("{first} {second}").format(first=first, second=second)

    def _finish(self, outcome: ScanOutcome) -> None:
        self.feedback_bar.show_feedback(outcome.feedback, outcome.message)
        self._render()
        self.scan_processed.emit(outcome)

    # ------------------------------------------------------------------ outage
    def _go_offline(self, item: StationInput, error: BaseException) -> None:
        self._errors.report(error)
        self._offline = True
        # The failed input first, then everything that was queued behind it: order is kept. A
        # reload is not kept: the screen reloads when the connection is back.
        waiting = ([] if item.refresh else [item]) + [i for i in self._queue if not i.refresh]
        self._queue.clear()
        self._refresh_queued = False
        self._pending = waiting + self._pending
        report = getattr(self._live, "report_failure", None)
        if report is not None:
            report(describe_error(error).message)
        message = self.tr(
            "The database cannot be reached. Scans kept: {count}; they are applied in order when the "
            "connection is back, nothing is lost.").format(count=len(self._pending))
        self.feedback_bar.show_warning(message)
        self._render()
        # Every input that now waits has its outcome, whether it failed itself or was queued behind
        # the task that failed (a reload of the open return, or another scan).
        for kept in waiting:
            self.scan_processed.emit(ScanOutcome(kept, "pending", FeedbackKind.WARNING, message, self._state.rma,
                                                 pending=True))

    def _show_pending_feedback(self, item: StationInput) -> None:
        message = self.tr("Kept until the database is back: {scan} (waiting: {count}).").format(
            scan=item.shown(), count=len(self._pending))
        self.feedback_bar.show_warning(message)
        self._render()
        self.scan_processed.emit(ScanOutcome(item, "pending", FeedbackKind.WARNING, message, self._state.rma,
                                             pending=True))

    def retry_pending(self) -> None:
        """Apply the inputs kept during an outage, in order (they wait again if it goes on)."""
        if not self._offline and not self._pending:
            return
        self._offline = False
        waiting, self._pending = self._pending, []
        self._queue.extendleft(reversed(waiting))
        self._render()
        if self._state.detail is not None:
            self._queue_refresh()
        self._schedule_worklist_reload()
        self._pump()

    def discard_pending(self) -> None:
        """Drop the kept inputs, saying which (the inspector scans them again if needed)."""
        if not self._pending:
            return
        dropped, self._pending = self._pending, []
        self._offline = False
        listed = ", ".join(i.shown() for i in dropped)
        self.feedback_bar.show_error(self.tr("Discarded the scans that were waiting for the database ({count}): "
                                             "{scans}. Scan them again.").format(count=len(dropped), scans=listed))
        self._render()
        self._pump()

    # ------------------------------------------------------------------ RMA labels
    def _open_return(self, item: StationInput, rma: str) -> None:
        api = self._api

        def work() -> _Opened:
            lookup = api.receiving.find_return_by_scan(rma)
            if lookup.ok and lookup.next_step == "receive":
                assert lookup.rma_no is not None and lookup.detail is not None
                detail = api.receiving.receive_return(lookup.rma_no, expected_version=lookup.detail.version)
                return _Opened(lookup, detail, received=True)
            return _Opened(lookup, lookup.detail, received=False)

        self._start(item, "rma", work, self._after_open)

    def _after_open(self, item: StationInput, opened: _Opened) -> ScanOutcome:
        lookup = opened.lookup
        if not lookup.ok or opened.detail is None:
            return ScanOutcome(item, "rma", FeedbackKind.ERROR, self._refusal(lookup), self._state.rma)
        detail = opened.detail
        again = self._state.rma == detail.rma_no
        self._state.open(detail)
        self._render()
        self.return_opened.emit(detail.rma_no)
        expected = self._state.expected
        if opened.received:
            message = self.tr("{rma} received and opened; units expected: {count}. Scan the items.").format(
                rma=detail.rma_no, count=expected)
        elif again:
            message = self.tr("{rma} is open; units scanned: {scanned} of {count}.").format(
                rma=detail.rma_no, scanned=self._state.scanned, count=expected)
        else:
            message = self.tr("{rma} opened; units scanned so far: {scanned} of {count}. Scan the items.").format(
                rma=detail.rma_no, scanned=self._state.scanned, count=expected)
        return ScanOutcome(item, "rma", FeedbackKind.OK, message, detail.rma_no)

    def _refusal(self, lookup: Any) -> str:
        """Why a scanned label cannot be worked on, in the station's language."""
        detail: ReturnDetail | None = lookup.detail
        rma = lookup.rma_no
        if rma is None:
            return tr_message(lookup.verdict) if lookup.verdict else self.tr(
                "This is not an RMA label; scan the RMA label on the parcel.")
        if detail is None:
            return self.tr("{rma} is not a known RMA. Do not accept the parcel as a return: put it aside and "
                           "record it as a parcel without RMA (F11).").format(rma=rma)
        status = ReturnStatus(detail.status)
        who = detail.status_changed_by_name or detail.status_changed_by or "?"
        when = self._when(detail.status_changed_at)
        if status in (ReturnStatus.CANCELLED, ReturnStatus.REJECTED):
            return self.tr("{rma} is {status} (by {who}, {when}); do not accept the parcel.").format(
                rma=rma, status=tr_status(status).lower(), who=who, when=when)
        if status is ReturnStatus.EXPIRED:
            return self.tr("{rma} expired on {when}; do not accept the parcel unless customer service issues a "
                           "new RMA.").format(rma=rma, when=when)
        if status in (ReturnStatus.DRAFT, ReturnStatus.REQUESTED, ReturnStatus.WAITING_FOR_CUSTOMER):
            return self.tr("{rma} is not authorized yet (it is {status}); do not accept the parcel until customer "
                           "service authorizes it.").format(rma=rma, status=tr_status(status).lower())
        if status in _INSPECTED_STATES:
            return self.tr("{rma} was already inspected (by {who}); it is now {status}. Do not inspect it again; "
                           "a second parcel is recorded as a parcel without RMA.").format(
                rma=rma, who=detail.inspected_by_name or detail.inspected_by or "?", status=tr_status(status).lower())
        return tr_message(lookup.verdict) if lookup.verdict else self.tr("{rma} cannot be inspected now.").format(
            rma=rma)

    @staticmethod
    def _when(ts: Any) -> str:
        if ts is None:
            return "?"
        return format_date(ts)

    def _order_scanned(self, item: StationInput) -> None:
        api, text = self._api, item.text

        def work() -> Any:
            return api.receiving.find_return_by_scan(text)

        self._start(item, "order", work, lambda it, lookup: ScanOutcome(
            it, "order", FeedbackKind.WARNING, tr_message(lookup.verdict or ""), self._state.rma))

    # ------------------------------------------------------------------ items
    def _need_open_return(self, item: StationInput, kind: str) -> bool:
        """True (and the red state) when no return can take units now."""
        detail = self._state.detail
        if detail is None:
            self._finish(ScanOutcome(item, kind, FeedbackKind.ERROR, self.tr(
                "No return is open: scan the RMA label on the parcel first."), None))
            return True
        if detail.status != ReturnStatus.RECEIVED.value:
            self._finish(ScanOutcome(item, kind, FeedbackKind.ERROR, self.tr(
                "{rma} is {status}: nothing more can be scanned on it. Scan the RMA label of the next parcel.").format(
                rma=detail.rma_no, status=tr_status(detail.status).lower()), detail.rma_no))
            return True
        return False

    def _scan_item(self, item: StationInput, scan: ItemScan) -> None:
        if self._need_open_return(item, "item"):
            return
        state = self._state
        line = None if state.wrong_item_armed else state.match_line(scan)
        if not state.wrong_item_armed and state.needs_serial(line, scan):
            assert line is not None
            state.held_item = HeldItem(item.text.strip(), line.id, line.sku)
            self._finish(ScanOutcome(item, "item", FeedbackKind.WARNING, self.tr(
                "{sku} is serial-tracked: now scan the serial number of this unit (Esc cancels).").format(
                sku=line.sku), state.rma))
            return
        self._record_item(item, item.text.strip(), serial=None, line_id=line.id if line is not None else None)

    def _record_item(self, item: StationInput, code: str, *, serial: str | None, line_id: int | None) -> None:
        """Record one unit. ``line_id`` is the line the station expects the unit on (for its
        default grade and disposition); the services match the code to the line themselves."""
        kind = "serial" if serial else "item"
        if self._need_open_return(item, kind):
            return
        state = self._state
        wrong = state.wrong_item_armed
        defaults = state.defaults_for(None if wrong else line_id)
        api, rma = self._api, state.rma
        assert rma is not None
        grade, disposition = defaults.grade, defaults.disposition

        checks = None if wrong else self._unit_checks(set())

        def work() -> Any:
            return api.inspection.record_unit(rma, scanned_code=code, grade=grade, disposition=disposition,
                                              checks=checks, serial_no=serial, wrong_item=wrong)

        self._start(item, kind, work, lambda it, result: self._after_unit(it, result, kind))

    def _after_unit(self, item: StationInput, result: Any, kind: str) -> ScanOutcome:
        state = self._state
        unit = result.unit
        state.unit_recorded(result.detail, unit.id, unit.return_line_id)
        self._render()
        outcome = UnitOutcome(result.outcome)
        name = self._item_name(result)
        disposition = disposition_name(result.disposition)
        line = state.line(unit.return_line_id)
        if outcome is UnitOutcome.ACCEPTED and line is not None:
            return ScanOutcome(item, kind, FeedbackKind.OK, self.tr(
                "Line {line}: {item} — unit {n} of {m}, grade {grade}, {disposition}.").format(
                line=line.line_no, item=name, n=counted_units(result.detail, line.id), m=authorized_units(line),
                grade=Grade(result.grade).value, disposition=disposition), state.rma, unit.id)
        if outcome is UnitOutcome.REJECTED and line is not None:
            return ScanOutcome(item, kind, FeedbackKind.WARNING, self.tr(
                "Line {line}: {item} — unit {n} of {m}, grade {grade}, rejected: {disposition}.").format(
                line=line.line_no, item=name, n=counted_units(result.detail, line.id), m=authorized_units(line),
                grade=Grade(result.grade).value, disposition=disposition), state.rma, unit.id)
        if outcome is UnitOutcome.OVER and line is not None:
            return ScanOutcome(item, kind, FeedbackKind.WARNING, self.tr(
                "More than authorized: line {line} expects {m} × {sku}, all counted. This extra unit is recorded "
                "as over: {disposition}.").format(line=line.line_no, m=authorized_units(line), sku=result.sku or "",
                                                  disposition=disposition), state.rma, unit.id)
        return ScanOutcome(item, kind, FeedbackKind.WARNING, self.tr(
            "Wrong item: {item} is not on {rma}. Recorded as a wrong item: {disposition}.").format(
            item=name, rma=state.rma, disposition=disposition), state.rma, unit.id)

    def _item_name(self, result: Any) -> str:
        sku = result.sku
        if sku is None:
            return f"'{result.unit.scanned_code or '?'}'"
        line = self._state.line(result.unit.return_line_id)
        if line is not None:
            return f"{sku} {self.lines_model.product_name(line)}"
        return f"{sku} {result.product_name or ''}".strip()

    # ------------------------------------------------------------------ commands
    def _command(self, item: StationInput, name: str) -> None:
        if name in _GRADE_COMMANDS or name in _DISPOSITION_COMMANDS:
            self._grade_or_disposition(item, name)
        elif name == "cancel":
            self._cancel(item)
        elif name == "next":
            if self._need_open_return(item, "command"):
                return
            line = self._state.next_line()
            self._render()
            assert line is not None and self._state.detail is not None
            self._finish(ScanOutcome(item, "command", FeedbackKind.OK, self.tr(
                "Current line ▶ {line}: {sku} {name}, {scanned} of {count} scanned.").format(
                line=line.line_no, sku=line.sku, name=self.lines_model.product_name(line),
                scanned=counted_units(self._state.detail, line.id), count=authorized_units(line)), self._state.rma))
        elif name == "wrong_item":
            if self._need_open_return(item, "command"):
                return
            self._state.wrong_item_armed = True
            self._state.held_item = None
            self._finish(ScanOutcome(item, "command", FeedbackKind.WARNING, self.tr(
                "Wrong item: scan the item now; it is recorded as a wrong item, not counted (Esc cancels)."),
                self._state.rma))
        elif name == "undo":
            self._undo(item)
        elif name == "short":
            self._short(item)
        elif name == "complete":
            self._complete(item)
        elif name in _CHECK_COMMANDS:
            self._toggle_check(item, _CHECK_COMMANDS[name])
        elif name == "note":
            self._ask_note(item)
        else:  # pragma: no cover - every command of domain.scan is handled above
            self._finish(ScanOutcome(item, "command", FeedbackKind.ERROR, self.tr(
                "The command {name} is not used at this station.").format(name=name), self._state.rma))

    def _grade_or_disposition(self, item: StationInput, name: str) -> None:
        if self._need_open_return(item, "command"):
            return
        state = self._state
        grade = _GRADE_COMMANDS.get(name)
        disposition = _DISPOSITION_COMMANDS.get(name)
        unit_id = state.last_unit_id
        if state.held_item is not None or unit_id is None:
            # No unit to change: the choice is for the next units of the current (or waiting) line.
            line_id = state.held_item.line_id if state.held_item is not None else state.current_line_id
            defaults = state.set_default(line_id, grade=grade, disposition=disposition)
            line = state.line(line_id)
            self._render()
            self._finish(ScanOutcome(item, "command", FeedbackKind.OK, self.tr(
                "Line {line}: the next units get {next}.").format(
                line=line.line_no if line else "?", next=self.lines_model.next_unit_text(defaults, line)), state.rma))
            return
        api = self._api

        def work() -> Any:
            return api.inspection.update_unit(unit_id, grade=grade, disposition=disposition)

        def then(it: StationInput, result: Any) -> ScanOutcome:
            line_id = result.unit.return_line_id
            state.update(result.detail)
            defaults = state.set_default(line_id, grade=grade, disposition=disposition)
            self._render()
            line = state.line(line_id)
            message = self.tr("Unit changed: grade {grade}, {disposition}.").format(
                grade=Grade(result.grade).value, disposition=disposition_name(result.disposition))
            if line is not None:
                message = self._then(message, self.tr("Next units of line {line}: {next}.").format(
                    line=line.line_no, next=self.lines_model.next_unit_text(defaults, line)))
            feedback = FeedbackKind.WARNING if result.outcome == UnitOutcome.REJECTED else FeedbackKind.OK
            return ScanOutcome(it, "command", feedback, message, state.rma, result.unit.id)

        self._start(item, "command", work, then)

    # ------------------------------------------------------------------ checks and notes per unit
    def _on_policy_loaded(self, policy: Any) -> None:
        conditions = set(policy.rules.required_conditions)
        self._checks_in_use = {check for check, condition in CHECK_CONDITIONS.items() if condition in conditions}
        self._checks_in_use.add("function")

    def _unit_checks(self, failed: set[str]) -> UnitChecks:
        """The checks recorded for a unit: passed for the station's checks, failed for ``failed``,
        not checked (None) for the rest."""
        def value(check: str) -> bool | None:
            if check in failed:
                return False
            return True if check in self._checks_in_use else None

        return UnitChecks(packaging_intact=value("packaging"), accessories_complete=value("accessories"),
                          functional=value("function"))

    def _toggle_check(self, item: StationInput, check: str) -> None:
        """A check of the unit scanned last failed (or, given again, passed after all)."""
        if self._need_open_return(item, "command"):
            return
        state = self._state
        unit_id = state.last_unit_id
        if unit_id is None:
            self._finish(ScanOutcome(item, "command", FeedbackKind.ERROR, self.tr(
                "Scan the item first: a check is recorded for the unit scanned last."), state.rma))
            return
        failed = set(self._failed_checks.get(unit_id, set()))
        now_failed = check not in failed
        failed.symmetric_difference_update({check})
        checks = self._unit_checks(failed)
        api = self._api

        def work() -> Any:
            return api.inspection.update_unit(unit_id, checks=checks)

        def then(it: StationInput, result: Any) -> ScanOutcome:
            self._failed_checks[unit_id] = failed
            state.update(result.detail)
            self._render()
            words = {
                ("packaging", True): self.tr("packaging not intact"),
                ("packaging", False): self.tr("packaging intact after all"),
                ("accessories", True): self.tr("accessories missing"),
                ("accessories", False): self.tr("accessories complete after all"),
                ("function", True): self.tr("does not work"),
                ("function", False): self.tr("works after all"),
            }[(check, now_failed)]
            message = self.tr("Unit checked: {check} — grade {grade}, {disposition}.").format(
                check=words, grade=Grade(result.grade).value, disposition=disposition_name(result.disposition))
            feedback = FeedbackKind.WARNING if now_failed else FeedbackKind.OK
            return ScanOutcome(it, "command", feedback, message, state.rma, result.unit.id)

        self._start(item, "command", work, then)

    def _ask_note(self, item: StationInput) -> None:
        """F10 or the note barcode: the note field opens for the unit scanned last."""
        if self._need_open_return(item, "command"):
            return
        state = self._state
        if state.last_unit_id is None:
            self._finish(ScanOutcome(item, "command", FeedbackKind.ERROR, self.tr(
                "Scan the item first: a note is kept with the unit scanned last."), state.rma))
            return
        self._note_unit_id = state.last_unit_id
        self.note_edit.clear()
        self.note_edit.setVisible(True)
        self.note_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._finish(ScanOutcome(item, "command", FeedbackKind.OK, self.tr(
            "Type the note for the unit scanned last; Enter keeps it, Esc drops it."), state.rma,
            state.last_unit_id))

    def _on_note_edit_return_pressed(self) -> None:
        text = " ".join(self.note_edit.text().split())
        self.note_edit.setVisible(False)
        self.scan_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        if text and self._note_unit_id is not None:
            self._enqueue(StationInput(text, InputSource.KEY, command=NOTE_TEXT))

    def _drop_note(self) -> None:
        self._note_unit_id = None
        self.note_edit.clear()
        self.note_edit.setVisible(False)
        self.scan_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _save_note(self, item: StationInput) -> None:
        unit_id, self._note_unit_id = self._note_unit_id, None
        if unit_id is None or self._need_open_return(item, "command"):
            return
        api, text, state = self._api, item.text, self._state

        def work() -> Any:
            return api.inspection.update_unit(unit_id, notes=text)

        def then(it: StationInput, result: Any) -> ScanOutcome:
            state.update(result.detail)
            self._render()
            return ScanOutcome(it, "command", FeedbackKind.OK, self.tr("Note kept with the unit: “{note}”.").format(
                note=text), state.rma, result.unit.id)

        self._start(item, "command", work, then)

    def _cancel(self, item: StationInput) -> None:
        state = self._state
        if state.held_item is not None or state.wrong_item_armed:
            state.held_item = None
            state.wrong_item_armed = False
            self._render()
            self._finish(ScanOutcome(item, "command", FeedbackKind.IDLE, self.tr("Cancelled: scan the next item."),
                                     state.rma))
            return
        if state.detail is not None:
            rma, scanned, expected = state.rma, state.scanned, state.expected
            received = state.detail.status == ReturnStatus.RECEIVED.value
            state.close()
            self._render()
            if received:
                message = self.tr("{rma} put aside: the units scanned ({scanned} of {count}) are saved; it stays in "
                                  "the inspection queue.").format(rma=rma, scanned=scanned, count=expected)
            else:
                message = self.tr("{rma} closed. Scan the next RMA label.").format(rma=rma)
            self._finish(ScanOutcome(item, "command", FeedbackKind.IDLE, message, None))
            return
        self._finish(ScanOutcome(item, "command", FeedbackKind.IDLE, self.tr("Nothing to cancel."), None))

    def _undo(self, item: StationInput) -> None:
        if self._need_open_return(item, "command"):
            return
        api, rma = self._api, self._state.rma
        assert rma is not None

        def work() -> Any:
            return api.inspection.undo_last_unit(rma)

        def then(it: StationInput, result: Any) -> ScanOutcome:
            self._state.unit_undone(result.detail, result.unit.return_line_id)
            self._render()
            what = result.sku or result.unit.scanned_code or "?"
            return ScanOutcome(it, "command", FeedbackKind.OK, self.tr(
                "Undone: unit {n} ({item}) is removed; its stock moves are reversed.").format(
                n=result.unit_number, item=what), self._state.rma, result.unit.id)

        self._start(item, "command", work, then)

    def _short(self, item: StationInput) -> None:
        if self._need_open_return(item, "command"):
            return
        state = self._state
        line = state.current_line
        if line is None:
            self._finish(ScanOutcome(item, "command", FeedbackKind.ERROR, self.tr(
                "Choose the line first: scan one of its items, or Next line (F2)."), state.rma))
            return
        api, rma, line_id = self._api, state.rma, line.id
        assert rma is not None and state.detail is not None
        missing = authorized_units(line) - counted_units(state.detail, line.id)

        def work() -> Any:
            return api.inspection.close_line_short(rma, line_id)

        def then(it: StationInput, detail: ReturnDetail) -> ScanOutcome:
            state.update(detail)
            state.last_unit_id = None
            following = state.next_line()
            self._render()
            message = self.tr("Line {line} closed short: {missing} of {count} not in the parcel.").format(
                line=line.line_no, missing=missing, count=authorized_units(line))
            if following is not None and following.id != line_id:
                message = self._then(message, self.tr("Current line ▶ {line}.").format(line=following.line_no))
            return ScanOutcome(it, "command", FeedbackKind.WARNING, message, state.rma)

        self._start(item, "command", work, then)

    # ------------------------------------------------------------------ completing
    def _complete(self, item: StationInput) -> None:
        if self._need_open_return(item, "command"):
            return
        state = self._state
        api, rma = self._api, state.rma
        assert rma is not None and state.detail is not None
        # Completing decides the refund from the units: refuse it on a view that is out of date.
        version = state.detail.version
        lang = self._tag_lang()
        printer = self._tag_printer

        def work() -> _Completed:
            result = api.inspection.complete_inspection(rma, expected_version=version)
            try:
                tags = print_item_tags(tag_references(rma, result.detail.units), printer, lang)
            except Exception as exc:
                return _Completed(result, [], exc)
            return _Completed(result, tags, None)

        self._start(item, "command", work, self._after_complete)

    def _after_complete(self, item: StationInput, completed: _Completed) -> ScanOutcome:
        result = completed.result
        detail: ReturnDetail = result.detail
        self._state.update(detail)
        self._state.held_item = None
        self._state.wrong_item_armed = False
        self._last_completed = (detail.rma_no, tuple(tag_references(detail.rma_no, detail.units)))
        amount = format_money(result.breakdown.total, detail.currency)
        level = ApprovalLevel(result.level)
        if level is ApprovalLevel.AUTO:
            message = self.tr("{rma} inspected and approved automatically: refund {amount}.").format(
                rma=detail.rma_no, amount=amount)
        else:
            message = self.tr("{rma} inspected and routed for approval by a {level}: refund {amount}.").format(
                rma=detail.rma_no, level=tr_approval_level(level).lower(), amount=amount)
        counts = []
        if result.short_units:
            counts.append(self.tr("short: {n}").format(n=result.short_units))
        if result.over_units:
            counts.append(self.tr("over: {n}").format(n=result.over_units))
        if result.wrong_items:
            counts.append(self.tr("wrong items: {n}").format(n=result.wrong_items))
        if counts:
            message = self._then(message, self.tr("Recorded: {counts}.").format(
                counts=self.tr(", ").join(counts)))
        feedback = FeedbackKind.WARNING if counts else FeedbackKind.OK
        tag_message, tag_ok = self._tags_printed(completed.tags, completed.tag_error)
        message = self._then(message, tag_message)
        if not tag_ok:
            feedback = FeedbackKind.WARNING
        self._render()
        self.inspection_completed.emit(detail.rma_no)
        self._schedule_worklist_reload()
        return ScanOutcome(item, "command", feedback, message, detail.rma_no)

    def _tags_printed(self, tags: list[PrintedTag], error: BaseException | None) -> tuple[str, bool]:
        """The sentence for the status line about the item tags, and whether they all printed."""
        if error is not None:
            report = self._errors.report(error, context="printing item tags")
            return self.tr("Item tags: {reason}").format(reason=report.message), False
        if not tags:
            return self.tr("No item tags: no unit stays in the warehouse."), True
        folder = common_folder(tags)
        places = {t.where for t in tags}
        if folder is not None:
            where = self.tr("PDF files in {folder}").format(folder=folder)
        elif len(places) == 1:
            where = places.pop()
        else:
            return self.tr("Item tags printed: {count}.").format(count=len(tags)), True
        return self.tr("Item tags printed: {count} ({where}).").format(count=len(tags), where=where), True

    def reprint_tags(self) -> None:
        """Print the item tags of the return completed last again, marked as a reprint (queued
        behind the inputs before it, like a scan)."""
        self._enqueue(StationInput("", InputSource.BUTTON, command=REPRINT))

    def _reprint(self, item: StationInput) -> None:
        if self._last_completed is None:
            self._finish(ScanOutcome(item, "command", FeedbackKind.ERROR, self.tr(
                "No inspection was completed at this station yet: there are no tags to print again."), None))
            return
        rma, references = self._last_completed
        printer, lang = self._tag_printer, self._tag_lang()

        def work() -> list[PrintedTag]:
            # The print log numbers the copies: the paper says "REPRINT n".
            return print_item_tags(references, printer, lang)

        def then(it: StationInput, tags: list[PrintedTag]) -> ScanOutcome:
            message, ok = self._tags_printed(tags, None)
            return ScanOutcome(it, "command", FeedbackKind.OK if ok else FeedbackKind.WARNING, message, rma)

        self._start(item, "command", work, then)

    # ------------------------------------------------------------------ reload
    def _start_refresh(self) -> None:
        rma = self._state.rma
        if rma is None:
            return
        api = self._api
        item = StationInput("", InputSource.KEY, refresh=True)

        def work() -> Any:
            return api.receiving.find_return_by_scan(rma)

        self._start(item, "refresh", work, self._after_refresh)

    def _after_refresh(self, _item: StationInput, lookup: Any) -> None:
        state = self._state
        detail: ReturnDetail | None = lookup.detail
        if state.detail is None or detail is None or detail.rma_no != state.rma:
            return None
        if detail.version == state.detail.version:
            return None  # the change was this station's own
        midway = state.units_here > 0 or state.held_item is not None or state.wrong_item_armed
        state.update(detail)
        self._render()
        self.return_refreshed.emit(detail.rma_no)
        if midway or detail.status != ReturnStatus.RECEIVED.value:
            self.feedback_bar.show_warning(self.tr(
                "{rma} was changed at another station; the screen shows it as it is now ({status}, units "
                "scanned: {scanned} of {count}). Check it before you go on.").format(
                rma=detail.rma_no, status=tr_status(detail.status).lower(), scanned=state.scanned,
                count=state.expected))
        return None

    # ------------------------------------------------------------------ worklists
    def _expected_page(self, after: str | None) -> Page[ReturnSummary]:
        return self._api.receiving.expected_returns(after=after, limit=self._page_size)

    def _queue_page(self, after: str | None) -> Page[ReturnSummary]:
        return self._api.inspection.inspection_queue(after=after, limit=self._page_size)

    def reload_worklists(self) -> None:
        """Load both worklists again from the top."""
        self._worklists_dirty = False
        self.expected_model.reload()
        self.queue_model.reload()

    def _schedule_worklist_reload(self) -> None:
        self._worklists_dirty = True
        if self._worklists_reload_scheduled or not self.isVisible():
            return
        # Coalesce a burst of notifications (one per unit scanned) into one reload.
        self._worklists_reload_scheduled = True
        QTimer.singleShot(0, self._on_worklist_reload_due)

    def _on_worklist_reload_due(self) -> None:
        self._worklists_reload_scheduled = False
        if self._worklists_dirty and self.isVisible():
            self.reload_worklists()

    def _on_worklist_load_failed(self, error: BaseException) -> None:
        if isinstance(error, DatabaseUnavailable):
            report = getattr(self._live, "report_failure", None)
            if report is not None:
                report(describe_error(error).message)
        message = self._errors.report(error, context="loading a worklist").message
        self.feedback_bar.show_feedback(
            FeedbackKind.WARNING,
            self.tr("A worklist could not be loaded: {reason}").format(reason=message),
            sound=False,
        )

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._worklists_dirty:
            self.reload_worklists()
        self.scan_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------------ parcel without RMA
    def open_parcel_dialog(self) -> UnexpectedParcelDialog:
        """Open (or bring up) the dialog that records a parcel without RMA."""
        if self._parcel_dialog is not None:
            self._parcel_dialog.raise_()
            return self._parcel_dialog
        dialog = UnexpectedParcelDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.save_requested.connect(self._on_parcel_dialog_save_requested)
        dialog.finished.connect(self._on_parcel_dialog_finished)
        self._parcel_dialog = dialog
        dialog.open()
        return dialog

    def _on_parcel_dialog_save_requested(self, entry: ParcelEntry) -> None:
        api = self._api

        def work() -> Any:
            return api.receiving.record_unexpected_parcel(
                tracking_no=entry.tracking_no, sender=entry.sender, order_hint=entry.order_hint, contents=entry.contents
            )

        self._tasks.run(work, on_done=self._on_parcel_saved, on_error=self._on_parcel_failed)

    def _on_parcel_saved(self, parcel: Any) -> None:
        if self._parcel_dialog is not None:
            self._parcel_dialog.saved()
        what = parcel.tracking_no or parcel.order_hint or parcel.sender or ""
        self.feedback_bar.show_ok(self.tr("Parcel without RMA recorded as #{id} {what}: put it on the shelf for "
                                          "parcels without RMA.").format(id=parcel.id, what=what).replace("  ", " "))
        self.parcel_recorded.emit(parcel)

    def _on_parcel_failed(self, error: BaseException) -> None:
        report = describe_error(error)
        if report.unexpected:
            self._errors.present(error, context="recording a parcel without RMA")
        else:
            self._errors.report(error)
        if self._parcel_dialog is not None:
            self._parcel_dialog.failed(report.message)

    def _on_parcel_dialog_finished(self, _result: int) -> None:
        self._parcel_dialog = None
        self.scan_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_parcels_list(self) -> ParcelsDialog:
        """Shift+F11: the parcels without RMA on the shelf; match one to its return or send it back."""
        dialog = ParcelsDialog(self._api, self._tasks, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_parcel_dialog_finished)
        self.parcels_dialog = dialog
        dialog.open()
        self.parcels_opened.emit(dialog)
        return dialog

    # ------------------------------------------------------------------ drawing
    def _update_controls(self) -> None:
        state = self._state
        busy = self._running is not None
        inspecting = state.detail is not None and state.detail.status == ReturnStatus.RECEIVED.value
        for button in (self.complete_button, self.next_button, self.wrong_button, self.short_button):
            button.setEnabled(not busy and inspecting)
        self.undo_button.setEnabled(not busy and inspecting and bool(state.detail and state.detail.units))
        self.cancel_button.setEnabled(not busy and (state.detail is not None or state.held_item is not None))
        self.reprint_button.setEnabled(not busy and self._last_completed is not None)
        self.parcel_button.setEnabled(not busy)
        self.retry_button.setEnabled(not busy)
        self.discard_button.setEnabled(not busy)
        waiting = len([i for i in self._queue if not i.refresh])
        if busy:
            if waiting:
                text = self.tr("Saving… waiting in order: {count}").format(count=waiting)
            else:
                text = self.tr("Saving…")
        else:
            text = ""
        self.activity_label.setText(text)
        self.activity_label.setVisible(bool(text))
        self.queue_changed.emit(waiting + len(self._pending))

    def _render(self) -> None:
        state = self._state
        detail = state.detail
        if self.lines_model.detail() is not detail:
            self.lines_model.set_detail(detail)
        self.lines_model.set_marks(current_line_id=state.current_line_id, last_unit_id=state.last_unit_id,
                                   defaults=state.defaults)
        highlighted = self.lines_model.highlighted_row()
        if highlighted is not None:
            self.lines_view.scrollTo(self.lines_model.index(highlighted, 0))
        if detail is None:
            self.rma_label.setText(self.tr("No return open"))
            self.status_pill.set_status(None)
            self.progress_label.clear()
            self.customer_label.setText(self.tr("Scan the RMA label on the parcel to start."))
            self.order_label.clear()
            self.next_label.clear()
        else:
            self.rma_label.setText(detail.rma_no)
            self.status_pill.set_status(detail.status)
            self.progress_label.setText(self.tr("Units: {scanned} / {count}").format(
                scanned=state.scanned, count=state.expected))
            customer = detail.customer_name or self.tr("(no customer)")
            if detail.customer_phone:
                customer = f"{customer} · {detail.customer_phone}"
            self.customer_label.setText(self.tr("Customer: {customer}").format(customer=customer))
            self.order_label.setText(self.tr("Order: {order}").format(order=detail.order_no))
            line = state.line(state.held_item.line_id) if state.held_item is not None else state.current_line
            if line is not None and detail.status == ReturnStatus.RECEIVED.value:
                self.next_label.setText(self.tr("▶ Line {line} {sku}: next unit {next}").format(
                    line=line.line_no, sku=line.sku,
                    next=self.lines_model.next_unit_text(state.defaults_for(line.id), line)))
                self.policy_label.setText(self.tr("Policy, line {line}: {policy}").format(
                    line=line.line_no, policy=self.lines_model.policy_text(line)))
            else:
                self.next_label.clear()
                self.policy_label.clear()
        if detail is None:
            self.policy_label.clear()
        self.next_label.setVisible(bool(self.next_label.text()))
        self.policy_label.setVisible(bool(self.policy_label.text()))
        if state.held_item is not None:
            self.mode_label.setText(self.tr("Waiting for the serial number of {sku}").format(sku=state.held_item.sku))
        elif state.wrong_item_armed:
            self.mode_label.setText(self.tr("Wrong item: the next scan is recorded as a wrong item"))
        else:
            self.mode_label.clear()
        self.mode_label.setVisible(bool(self.mode_label.text()))
        self.pending_list.clear()
        self.pending_list.addItems([i.shown() for i in self._pending])
        self.pending_box.setVisible(bool(self._pending))
        self._update_controls()

    # ------------------------------------------------------------------ for tests and the frame
    @property
    def state(self) -> InspectionState:
        """The station's working memory (read it; the screen changes it)."""
        return self._state

    @property
    def open_rma(self) -> str | None:
        return self._state.rma
