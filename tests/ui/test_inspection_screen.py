"""The inspection station driven like an inspector: scans typed as keystrokes ending in Enter.

Every test runs on SQLite (the ``ctx`` fixture; test_whole_day drives the screens on PostgreSQL) and
checks the database afterwards (units, stock on hand per location, the return's status), not only
the screen. Tests wait on the screen's signals or on conditions, never on the clock.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTranslator, Signal
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from returndesk.domain.errors import DatabaseUnavailable
from returndesk.domain.scan import COMMANDS, format_rma
from returndesk.domain.types import Channel, Disposition, Grade, Location, RefundMethod, ReturnStatus
from returndesk.services.usecases import documents, inspection, intake, receiving, sales, worklists
from returndesk.services.tx import stock
from returndesk.api.local import LocalSession
from returndesk.api.protocol import ReturnDeskApi
from returndesk.services.infra.connection import DatabaseChoice, OpenedDatabase
from returndesk.services.usecases.scanning import parse_scan
from returndesk.services.tx.views import InspectionUnitView, ReturnDetail, ReturnLineView
from returndesk.store.migrate import SchemaStatus
from returndesk.store.schema import InspectionUnit, Return, UnexpectedParcel
from returndesk.ui.feedback import FeedbackKind, Sound
from returndesk.ui.scanner import ScanRouter, ScannerSettings
from returndesk.ui.screens.inspection.screen import InspectionScreen, ScanOutcome
from returndesk.ui.screens.inspection.models import InspectionLinesTableModel, WorklistTableModel
from returndesk.ui.screens.inspection.state import InspectionState, LineDefaults
from returndesk.ui.screens.inspection.tags import PrintedTag, pdf_folder_printer
from returndesk.ui.tasks import TaskRunner
from tests.integration.factories import CATALOGUE, build_world, make_order

BARCODE = {sku: ean for sku, ean, *_ in CATALOGUE}
WAIT_MS = 20_000


# --------------------------------------------------------------------------- helpers


class RecordingSounds:
    def __init__(self) -> None:
        self.played: list[Sound] = []

    def play(self, sound: Sound) -> None:
        self.played.append(sound)


class RecordingTagPrinter:
    """The default tag printer (PDF files, logged by the services), recording what it printed."""

    def __init__(self, services, actor, folder: Path) -> None:
        self._print = pdf_folder_printer(services.api_for(actor), folder)
        self.tags: list[PrintedTag] = []
        self.languages: list[str] = []

    def __call__(self, reference: str, lang: str) -> PrintedTag:
        printed = self._print(reference, lang)
        self.tags.append(printed)
        self.languages.append(lang)
        return printed


class FakeLive(QObject):
    """What the screen uses of ``LiveUpdates``: its three signals and ``report_failure``."""

    changed = Signal(str, int)
    resync = Signal()
    connection_changed = Signal(bool, str)

    def __init__(self) -> None:
        super().__init__()
        self.failures: list[str] = []

    def report_failure(self, message: str) -> None:
        self.failures.append(message)


class WrappedModule:
    """A group of the API with one use case replaced."""

    def __init__(self, inner, **replacements) -> None:
        self._inner = inner
        self.__dict__.update(replacements)

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


class WrappedServices:
    """The API with some groups wrapped (a gate, an outage)."""

    def __init__(self, inner: ReturnDeskApi, **modules) -> None:
        self._inner = inner
        self.__dict__.update(modules)

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


def facade(ctx) -> LocalSession:
    """The in-process API session over the test's database."""
    status = SchemaStatus(current=None, head="", known=True)
    return LocalSession(OpenedDatabase(ctx=ctx, choice=DatabaseChoice.local("test.sqlite3"), status=status,
                                       created=False))


def authorized_return(ctx, world, lines, *, reason="changed_mind") -> str:
    """A remote return of a new order, created and authorized by the clerk: its parcel is due."""
    order_no = make_order(world, [(sku, qty) for sku, qty in lines])
    ids = {line.sku: line.order_line_id for line in sales.get_sale(ctx, world.clerk, order_no).lines}
    draft = intake.ReturnDraft(
        order_no=order_no, channel=Channel.REMOTE, refund_method=RefundMethod.ORIGINAL_PAYMENT,
        lines=tuple(intake.DraftLine(ids[sku], qty, reason) for sku, qty in lines),
    )
    rma = intake.create_return(ctx, world.clerk, draft).rma_no
    intake.authorize_return(ctx, world.clerk, rma)
    return rma


def units_of(ctx, rma: str) -> list[tuple[str | None, str, str | None, str | None]]:
    """(scanned code, outcome, grade, disposition) of each unit of a return, in scan order."""
    with ctx.db.read() as s:
        rows = s.execute(
            select(InspectionUnit.scanned_code, InspectionUnit.outcome, InspectionUnit.grade,
                   InspectionUnit.disposition)
            .join(Return, Return.id == InspectionUnit.return_id)
            .where(Return.rma_no == rma).order_by(InspectionUnit.id)
        ).all()
    return [tuple(r) for r in rows]


def status_of(ctx, rma: str) -> str:
    with ctx.db.read() as s:
        return s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one()


def on_hand(ctx, world, sku: str, location: Location) -> int:
    with ctx.db.read() as s:
        return stock.on_hand(s, world.products[sku], location)


def scan(qtbot, screen: InspectionScreen, text: str) -> ScanOutcome:
    """Type ``text`` into the scan field as the scanner does and press Enter; the outcome."""
    with qtbot.waitSignal(screen.scan_processed, timeout=WAIT_MS) as blocker:
        qtbot.keyClicks(screen.scan_edit, text)
        qtbot.keyClick(screen.scan_edit, Qt.Key.Key_Return)
    return blocker.args[0]


def press(qtbot, screen: InspectionScreen, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> ScanOutcome:
    with qtbot.waitSignal(screen.scan_processed, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(screen.scan_edit, key, modifier)
    return blocker.args[0]


class MouseCounter(QObject):
    """Counts mouse presses anywhere in the application."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self.count += 1
        return False


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def world(ctx):
    return build_world(ctx)


@pytest.fixture
def services(ctx) -> LocalSession:
    return facade(ctx)


@pytest.fixture
def tasks(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle(WAIT_MS)
    runner.shutdown(WAIT_MS)


@pytest.fixture
def sounds() -> RecordingSounds:
    return RecordingSounds()


@pytest.fixture
def tag_printer(services, world, tmp_path) -> RecordingTagPrinter:
    return RecordingTagPrinter(services, world.inspector, tmp_path / "tags")


@pytest.fixture
def make_screen(qtbot, tasks, world, sounds, tag_printer):
    def make(api, **kwargs) -> InspectionScreen:
        if isinstance(api, LocalSession):
            api = api.api_for(world.inspector)
        # A router that is not installed: no stray router of another test is picked up.
        kwargs.setdefault("scan_router", ScanRouter())
        kwargs.setdefault("tag_printer", tag_printer)
        if kwargs["tag_printer"] is None:
            del kwargs["tag_printer"]
        screen = InspectionScreen(api, tasks, world.inspector, sound_player=sounds, **kwargs)
        qtbot.addWidget(screen)
        screen.resize(1100, 760)
        screen.show()
        return screen

    return make


@pytest.fixture
def screen(make_screen, services) -> InspectionScreen:
    return make_screen(services)


# --------------------------------------------------------------------------- the normal return


def test_three_line_return_takes_five_scans_and_no_mouse(qtbot, ctx, world, screen, tag_printer):
    skus = ["EL-1002", "AP-2001", "HM-4001"]
    rma = authorized_return(ctx, world, [(sku, 1) for sku in skus])
    inspection_before = {sku: on_hand(ctx, world, sku, Location.INSPECTION) for sku in skus}
    available_before = {sku: on_hand(ctx, world, sku, Location.AVAILABLE) for sku in skus}
    mice = MouseCounter()
    QApplication.instance().installEventFilter(mice)
    scans = [rma, *(BARCODE[sku] for sku in skus), COMMANDS["complete"]]
    outcomes = []
    try:
        with qtbot.waitSignal(screen.return_opened, timeout=WAIT_MS) as opened:
            outcomes.append(scan(qtbot, screen, scans[0]))
        assert opened.args == [rma]
        assert status_of(ctx, rma) == ReturnStatus.RECEIVED
        for code in scans[1:4]:
            outcomes.append(scan(qtbot, screen, code))
        with qtbot.waitSignal(screen.inspection_completed, timeout=WAIT_MS) as completed:
            outcomes.append(scan(qtbot, screen, scans[4]))
    finally:
        QApplication.instance().removeEventFilter(mice)

    assert len(scans) == 5
    assert len(outcomes) == 5
    assert mice.count == 0
    assert completed.args == [rma]
    assert [o.feedback for o in outcomes] == [FeedbackKind.OK] * 5, [o.message for o in outcomes]
    # Every unit counted, grade A, restocked; the parcel passed through inspection into stock.
    assert units_of(ctx, rma) == [(BARCODE[sku], "accepted", "A", "restock") for sku in skus]
    for sku in skus:
        assert on_hand(ctx, world, sku, Location.INSPECTION) == inspection_before[sku]
        assert on_hand(ctx, world, sku, Location.AVAILABLE) == available_before[sku] + 1
    with ctx.db.read() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        level, status = ret.approval_level, ret.status
    assert status in (ReturnStatus.APPROVED, ReturnStatus.AWAITING_APPROVAL)
    if status == ReturnStatus.APPROVED:
        assert level == "auto"
        assert "approved automatically" in outcomes[-1].message
    else:
        assert "routed for approval" in outcomes[-1].message
    # One tag per unit put away, in scan order, saved and logged as the first copy.
    unit_ids = _unit_ids(ctx, rma)
    assert [t.reference for t in tag_printer.tags] == [f"{rma}/{uid}" for uid in unit_ids]
    assert [t.reprint for t in tag_printer.tags] == [0, 0, 0]
    assert all(t.path.read_bytes().startswith(b"%PDF") for t in tag_printer.tags)
    assert str(tag_printer.tags[0].path.parent) in outcomes[-1].message
    assert screen.feedback_bar.kind() is FeedbackKind.OK
    # The five scans recorded every check of every unit as passed (the policy's conditions and
    # function), nothing failed and no note.
    assert _checks(ctx, rma) == [(True, True, True, None)] * 3


def _checks(ctx, rma: str) -> list[tuple]:
    """(packaging intact, accessories complete, functional, note) of each unit, in scan order."""
    with ctx.db.read() as s:
        return [tuple(r) for r in s.execute(
            select(InspectionUnit.packaging_intact, InspectionUnit.accessories_complete,
                   InspectionUnit.functional, InspectionUnit.notes)
            .join(Return, Return.id == InspectionUnit.return_id)
            .where(Return.rma_no == rma).order_by(InspectionUnit.id)).all()]


@pytest.mark.both_databases("a unit's checks change its grade, disposition and stock in one transaction")
def test_checks_and_notes_per_unit_by_keys_and_command_barcodes(qtbot, ctx, world, screen):
    rma = authorized_return(ctx, world, [("AP-2001", 1), ("HM-4001", 1)])
    scans = 0
    scan(qtbot, screen, rma)
    scan(qtbot, screen, BARCODE["AP-2001"])
    scans += 2
    # The packaging of the T-shirt is torn: the key (Ctrl+1) marks it failed; grade B, restock.
    outcome = press(qtbot, screen, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert outcome.feedback is FeedbackKind.WARNING
    assert outcome.message == "Unit checked: packaging not intact — grade B, Restock."
    # A note on it, by the note key: typed, Enter keeps it.
    outcome = press(qtbot, screen, Qt.Key.Key_F10)
    assert screen.note_edit.isVisible() and QApplication.focusWidget() is screen.note_edit
    qtbot.keyClicks(screen.note_edit, "Box torn at one corner")
    with qtbot.waitSignal(screen.scan_processed, timeout=WAIT_MS) as noted:
        qtbot.keyClick(screen.note_edit, Qt.Key.Key_Return)
    assert noted.args[0].message == "Note kept with the unit: “Box torn at one corner”."
    assert QApplication.focusWidget() is screen.scan_edit and not screen.note_edit.isVisible()
    # The mug does not work: its command barcode, scanned. Scanned twice it works after all.
    scan(qtbot, screen, BARCODE["HM-4001"])
    outcome = scan(qtbot, screen, COMMANDS["fail_function"])
    assert outcome.message == "Unit checked: does not work — grade D, Scrap."
    outcome = scan(qtbot, screen, COMMANDS["fail_function"])
    assert outcome.message.startswith("Unit checked: works after all")
    outcome = scan(qtbot, screen, COMMANDS["fail_function"])
    scans += 4
    assert units_of(ctx, rma) == [(BARCODE["AP-2001"], "accepted", "B", "restock"),
                                  (BARCODE["HM-4001"], "accepted", "D", "scrap")]
    assert _checks(ctx, rma) == [(False, True, True, "Box torn at one corner"), (True, True, False, None)]
    # Esc in the note field drops the note; nothing is saved.
    press(qtbot, screen, Qt.Key.Key_F10)
    qtbot.keyClicks(screen.note_edit, "never mind")
    qtbot.keyClick(screen.note_edit, Qt.Key.Key_Escape)
    assert not screen.note_edit.isVisible()
    assert _checks(ctx, rma)[1][3] is None
    assert scans == 6  # a normal unit needs no check scans at all; only failures cost one each


def test_scanning_a_received_return_again_continues_where_it_left_off(qtbot, ctx, world, screen):
    rma = authorized_return(ctx, world, [("AP-2001", 2)])
    scan(qtbot, screen, rma)
    scan(qtbot, screen, BARCODE["AP-2001"])
    outcome = press(qtbot, screen, Qt.Key.Key_Escape)  # put aside
    assert outcome.feedback == FeedbackKind.IDLE
    assert screen.open_rma is None
    outcome = scan(qtbot, screen, rma)
    assert outcome.feedback == FeedbackKind.OK
    assert "1 of 2" in outcome.message  # units scanned so far
    assert screen.state.scanned == 1
    assert status_of(ctx, rma) == ReturnStatus.RECEIVED


# --------------------------------------------------------------------------- refusals


def test_unknown_rma_is_red_with_the_error_sound(qtbot, ctx, world, screen, sounds):
    unknown = format_rma(987_654)
    outcome = scan(qtbot, screen, unknown)
    assert outcome.kind == "rma"
    assert outcome.feedback == FeedbackKind.ERROR
    assert unknown in outcome.message and "parcel without RMA" in outcome.message
    assert screen.feedback_bar.kind() is FeedbackKind.ERROR
    assert sounds.played[-1] is Sound.ERROR
    assert screen.open_rma is None
    # A misread (wrong check digit) is refused before any lookup.
    misread = unknown[:-1] + str((int(unknown[-1]) + 1) % 10)
    outcome = scan(qtbot, screen, misread)
    assert outcome.kind == "unknown"
    assert outcome.feedback == FeedbackKind.ERROR
    assert sounds.played[-1] is Sound.ERROR
    # An item scanned with no return open says what to do first.
    outcome = scan(qtbot, screen, BARCODE["AP-2001"])
    assert outcome.feedback == FeedbackKind.ERROR
    assert "RMA label" in outcome.message


def test_a_return_already_inspected_or_cancelled_is_refused(qtbot, ctx, world, screen, sounds):
    done = authorized_return(ctx, world, [("HM-4001", 1)])
    scan(qtbot, screen, done)
    scan(qtbot, screen, BARCODE["HM-4001"])
    with qtbot.waitSignal(screen.inspection_completed, timeout=WAIT_MS):
        scan(qtbot, screen, COMMANDS["complete"])
    outcome = scan(qtbot, screen, done)
    assert outcome.feedback == FeedbackKind.ERROR
    assert "already inspected" in outcome.message
    cancelled = authorized_return(ctx, world, [("AP-2001", 1)])
    intake.cancel_return(ctx, world.clerk, cancelled, "Customer kept the item")
    outcome = scan(qtbot, screen, cancelled)
    assert outcome.feedback == FeedbackKind.ERROR
    assert "cancelled" in outcome.message.lower()
    assert sounds.played[-1] is Sound.ERROR
    assert status_of(ctx, cancelled) == ReturnStatus.CANCELLED


# --------------------------------------------------------------------------- grades and dispositions


def test_number_key_grades_the_last_unit_and_the_next_units_of_its_line(qtbot, ctx, world, screen):
    rma = authorized_return(ctx, world, [("HM-4001", 2), ("AP-2001", 1)])
    scan(qtbot, screen, rma)
    scan(qtbot, screen, BARCODE["HM-4001"])
    outcome = scan(qtbot, screen, "2")  # the number key, then Enter
    assert outcome.kind == "command"
    assert units_of(ctx, rma) == [(BARCODE["HM-4001"], "accepted", "B", "restock")]
    # The grade is now the line's default: the second mug is B without another key.
    scan(qtbot, screen, BARCODE["HM-4001"])
    # Another line keeps grade A.
    scan(qtbot, screen, BARCODE["AP-2001"])
    assert units_of(ctx, rma) == [
        (BARCODE["HM-4001"], "accepted", "B", "restock"),
        (BARCODE["HM-4001"], "accepted", "B", "restock"),
        (BARCODE["AP-2001"], "accepted", "A", "restock"),
    ]
    # F8 scraps the unit scanned last; its stock moves from available to scrap.
    scrap_before = on_hand(ctx, world, "AP-2001", Location.SCRAP)
    available_before = on_hand(ctx, world, "AP-2001", Location.AVAILABLE)
    press(qtbot, screen, Qt.Key.Key_F8)
    assert units_of(ctx, rma)[-1] == (BARCODE["AP-2001"], "accepted", "A", "scrap")
    assert on_hand(ctx, world, "AP-2001", Location.SCRAP) == scrap_before + 1
    assert on_hand(ctx, world, "AP-2001", Location.AVAILABLE) == available_before - 1


def test_with_prefix_scanners_a_lone_digit_grades_at_once(qtbot, ctx, world, make_screen, services):
    # Prefix-programmed scanners never type into the field, so a digit alone cannot start a scan.
    screen = make_screen(services, scan_router=ScanRouter(ScannerSettings(prefix="\x02")))
    assert screen.legend_keys[0][0].text() == "1–4"
    rma = authorized_return(ctx, world, [("AP-2001", 1)])
    scan(qtbot, screen, rma)
    scan(qtbot, screen, BARCODE["AP-2001"])
    outcome = press(qtbot, screen, Qt.Key.Key_4)
    assert outcome.kind == "command"
    assert screen.scan_edit.text() == ""
    # Grade D of a reason that is not the vendor's fault goes to scrap.
    assert units_of(ctx, rma) == [(BARCODE["AP-2001"], "accepted", "D", "scrap")]


def test_grade_command_barcode_before_a_unit_sets_the_current_line(qtbot, ctx, world, screen):
    rma = authorized_return(ctx, world, [("AP-2001", 1), ("HM-4001", 1)])
    scan(qtbot, screen, rma)
    scan(qtbot, screen, COMMANDS["next"])  # line 2 is current; nothing scanned last
    outcome = scan(qtbot, screen, COMMANDS["grade_c"])
    assert outcome.feedback == FeedbackKind.OK
    assert units_of(ctx, rma) == []  # nothing to change yet
    scan(qtbot, screen, BARCODE["HM-4001"])
    scan(qtbot, screen, BARCODE["AP-2001"])
    # Grade C goes to refurbishment by default; line 1 kept A.
    assert units_of(ctx, rma) == [
        (BARCODE["HM-4001"], "accepted", "C", "refurbish"),
        (BARCODE["AP-2001"], "accepted", "A", "restock"),
    ]
    assert on_hand(ctx, world, "HM-4001", Location.REFURBISH) == 1


def test_undo_and_short(qtbot, ctx, world, screen):
    rma = authorized_return(ctx, world, [("HM-4001", 2), ("AP-2001", 1)])
    scan(qtbot, screen, rma)
    scan(qtbot, screen, BARCODE["HM-4001"])
    scan(qtbot, screen, BARCODE["HM-4001"])
    outcome = press(qtbot, screen, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert outcome.feedback == FeedbackKind.OK
    assert len(units_of(ctx, rma)) == 1
    outcome = scan(qtbot, screen, COMMANDS["short"])  # line 1 (the mug) is short by one
    assert outcome.feedback == FeedbackKind.WARNING
    scan(qtbot, screen, BARCODE["AP-2001"])
    with qtbot.waitSignal(screen.inspection_completed, timeout=WAIT_MS):
        outcome = press(qtbot, screen, Qt.Key.Key_F12)
    assert "short: 1" in outcome.message
    assert status_of(ctx, rma) in (ReturnStatus.APPROVED, ReturnStatus.AWAITING_APPROVAL)
    # The missing mug never left the customer: nothing of it is left in inspection.
    assert on_hand(ctx, world, "HM-4001", Location.INSPECTION) == 0


# --------------------------------------------------------------------------- wrong and over items


def test_wrong_and_over_items_are_recorded_in_amber(qtbot, ctx, world, screen, sounds):
    rma = authorized_return(ctx, world, [("AP-2001", 1)])
    scan(qtbot, screen, rma)
    outcome = scan(qtbot, screen, BARCODE["SH-3001"])  # in the catalogue, not on the return
    assert outcome.feedback == FeedbackKind.WARNING
    assert "Wrong item" in outcome.message
    assert sounds.played[-1] is Sound.WARNING
    scan(qtbot, screen, BARCODE["AP-2001"])
    outcome = scan(qtbot, screen, BARCODE["AP-2001"])  # one more than authorized
    assert outcome.feedback == FeedbackKind.WARNING
    # An unknown code is refused as a misread unless "wrong item" is armed first.
    outcome = scan(qtbot, screen, "NOT-OURS-77")
    assert outcome.feedback == FeedbackKind.ERROR
    outcome = press(qtbot, screen, Qt.Key.Key_F4)
    assert outcome.feedback == FeedbackKind.WARNING
    outcome = scan(qtbot, screen, "NOT-OURS-77")
    assert outcome.feedback == FeedbackKind.WARNING
    assert [(code, result) for code, result, _g, _d in units_of(ctx, rma)] == [
        (BARCODE["SH-3001"], "wrong_item"),
        (BARCODE["AP-2001"], "accepted"),
        (BARCODE["AP-2001"], "over"),
        ("NOT-OURS-77", "wrong_item"),
    ]
    # Wrong items are listed under the lines.
    model = screen.lines_model
    items = [model.index(r, InspectionLinesTableModel.ITEM).data() for r in range(model.rowCount())]
    assert any("NOT-OURS-77" in text for text in items)
    assert model.rowCount() == 1 + 2


# --------------------------------------------------------------------------- queueing and outages


def test_a_scan_arriving_while_a_task_runs_is_processed_afterwards(qtbot, ctx, world, make_screen, services):
    gate = threading.Event()
    entered = threading.Event()

    def gated_record_unit(*args, **kwargs):
        entered.set()
        assert gate.wait(WAIT_MS / 1000), "the test never opened the gate"
        return api.inspection.record_unit(*args, **kwargs)

    api = services.api_for(world.inspector)
    wrapped = WrappedServices(api, inspection=WrappedModule(api.inspection, record_unit=gated_record_unit))
    screen = make_screen(wrapped)
    rma = authorized_return(ctx, world, [("AP-2001", 1), ("HM-4001", 1)])
    scan(qtbot, screen, rma)
    outcomes: list[ScanOutcome] = []
    screen.scan_processed.connect(outcomes.append)

    qtbot.keyClicks(screen.scan_edit, BARCODE["AP-2001"])
    qtbot.keyClick(screen.scan_edit, Qt.Key.Key_Return)
    assert screen.is_busy()
    assert not screen.complete_button.isEnabled()
    qtbot.keyClicks(screen.scan_edit, BARCODE["HM-4001"])
    qtbot.keyClick(screen.scan_edit, Qt.Key.Key_Return)
    assert screen.waiting_inputs() == [BARCODE["HM-4001"]]
    assert screen.activity_label.isVisible()
    assert outcomes == []
    assert entered.wait(WAIT_MS / 1000)
    gate.set()
    qtbot.waitUntil(lambda: len(outcomes) == 2, timeout=WAIT_MS)
    assert [o.input.text for o in outcomes] == [BARCODE["AP-2001"], BARCODE["HM-4001"]]
    assert [code for code, *_ in units_of(ctx, rma)] == [BARCODE["AP-2001"], BARCODE["HM-4001"]]
    assert screen.waiting_inputs() == []
    # The screen reloads the return after its own changes too; then the buttons are back.
    qtbot.waitUntil(lambda: not screen.is_busy(), timeout=WAIT_MS)
    assert screen.complete_button.isEnabled()


def test_scans_during_an_outage_wait_and_are_applied_when_the_database_is_back(
    qtbot, ctx, world, make_screen, services
):
    down = threading.Event()

    def flaky_record_unit(*args, **kwargs):
        if down.is_set():
            raise DatabaseUnavailable("The database cannot be reached; nothing was saved.")
        return api.inspection.record_unit(*args, **kwargs)

    live = FakeLive()
    api = services.api_for(world.inspector)
    wrapped = WrappedServices(api, inspection=WrappedModule(api.inspection, record_unit=flaky_record_unit))
    screen = make_screen(wrapped, live=live)
    rma = authorized_return(ctx, world, [("AP-2001", 1), ("HM-4001", 1)])
    scan(qtbot, screen, rma)
    down.set()
    first = scan(qtbot, screen, BARCODE["AP-2001"])
    second = scan(qtbot, screen, BARCODE["HM-4001"])
    assert first.pending and second.pending
    assert screen.pending_inputs() == [BARCODE["AP-2001"], BARCODE["HM-4001"]]
    assert screen.pending_box.isVisible()
    assert live.failures, "the outage was reported so that the connection is retried"
    assert units_of(ctx, rma) == []
    down.clear()
    live.connection_changed.emit(True, "Connected")
    qtbot.waitUntil(lambda: len(units_of(ctx, rma)) == 2, timeout=WAIT_MS)
    assert [code for code, *_ in units_of(ctx, rma)] == [BARCODE["AP-2001"], BARCODE["HM-4001"]]
    assert screen.pending_inputs() == []
    assert not screen.pending_box.isVisible()


def test_a_scan_queued_behind_a_reload_that_meets_an_outage_is_kept_and_reported(
    qtbot, ctx, world, make_screen, services
):
    gate = threading.Event()
    entered = threading.Event()
    reloads = 0

    def failing_reload(*args, **kwargs):
        nonlocal reloads
        reloads += 1
        if reloads == 1:  # the scan of the RMA opens the return
            return api.receiving.find_return_by_scan(*args, **kwargs)
        entered.set()
        assert gate.wait(WAIT_MS / 1000), "the test never opened the gate"
        raise DatabaseUnavailable("The database cannot be reached; nothing was saved.")

    live = FakeLive()
    api = services.api_for(world.inspector)
    wrapped = WrappedServices(api, receiving=WrappedModule(api.receiving, find_return_by_scan=failing_reload))
    screen = make_screen(wrapped, live=live)
    rma = authorized_return(ctx, world, [("AP-2001", 1)])
    scan(qtbot, screen, rma)
    outcomes: list[ScanOutcome] = []
    screen.scan_processed.connect(outcomes.append)
    live.changed.emit("return", screen.state.detail.id)  # another station changed it: the screen reloads
    assert entered.wait(WAIT_MS / 1000) and screen.is_busy()
    qtbot.keyClicks(screen.scan_edit, BARCODE["AP-2001"])
    qtbot.keyClick(screen.scan_edit, Qt.Key.Key_Return)
    assert outcomes == [] and screen.waiting_inputs() == [BARCODE["AP-2001"]]
    with qtbot.waitSignal(screen.scan_processed, timeout=WAIT_MS):
        gate.set()
    assert [(o.input.text, o.pending) for o in outcomes] == [(BARCODE["AP-2001"], True)]
    assert screen.pending_inputs() == [BARCODE["AP-2001"]]
    assert units_of(ctx, rma) == []


def test_a_change_at_another_station_reloads_the_open_return(qtbot, ctx, world, screen, services):
    rma = authorized_return(ctx, world, [("HM-4001", 2)])
    scan(qtbot, screen, rma)
    scan(qtbot, screen, BARCODE["HM-4001"])
    with qtbot.waitSignal(screen.return_refreshed, timeout=WAIT_MS):
        # Another inspector's station records the second mug.
        inspection.record_unit(ctx, world.supervisor, rma, scanned_code=BARCODE["HM-4001"])
    assert screen.state.scanned == 2
    assert screen.feedback_bar.kind() is FeedbackKind.WARNING
    assert "another station" in screen.feedback_bar.message()


def test_a_scan_while_the_focus_is_elsewhere_reaches_the_screen(qtbot, ctx, world, make_screen, services, scan_clock):
    router = ScanRouter(ScannerSettings(), clock=scan_clock)
    router.install()
    try:
        screen = make_screen(services, scan_router=router)
        rma = authorized_return(ctx, world, [("AP-2001", 1)])
        screen.queue_view.setFocus()
        with qtbot.waitSignal(screen.return_opened, timeout=WAIT_MS):
            router.submit_scan(rma)
        assert status_of(ctx, rma) == ReturnStatus.RECEIVED
    finally:
        router.uninstall()


# --------------------------------------------------------------------------- worklists and parcels


def test_enter_on_an_expected_return_receives_and_opens_it(qtbot, ctx, world, screen):
    rma = authorized_return(ctx, world, [("AP-2001", 1)])
    screen.reload_worklists()
    qtbot.waitUntil(lambda: screen.expected_model.row_of(rma) is not None, timeout=WAIT_MS)
    view = screen.expected_view
    view.setFocus()
    view.setCurrentIndex(screen.expected_model.index(screen.expected_model.row_of(rma), 0))
    with qtbot.waitSignal(screen.return_opened, timeout=WAIT_MS):
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert status_of(ctx, rma) == ReturnStatus.RECEIVED
    # The worklists follow: the return left the expected list and waits for inspection.
    qtbot.waitUntil(lambda: screen.queue_model.row_of(rma) is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: screen.expected_model.row_of(rma) is None, timeout=WAIT_MS)


def test_parcel_without_rma_is_recorded(qtbot, ctx, world, screen):
    qtbot.keyClick(screen.scan_edit, Qt.Key.Key_F11)
    dialog = screen._parcel_dialog
    assert dialog is not None and dialog.isVisible()
    # Saving nothing is refused in the dialog, which stays open.
    dialog.save_button.click()
    assert dialog.problem_label.isVisible()
    qtbot.keyClicks(dialog.tracking_edit, "SF1234567890")
    qtbot.keyClick(dialog.tracking_edit, Qt.Key.Key_Return)
    assert dialog.tracking_edit.text() == "SF1234567890"
    # QTest types ASCII only; Chinese comes through an input method, which commits whole words.
    dialog.sender_edit.insert("王芳")
    qtbot.keyClicks(dialog.sender_edit, ", Hangzhou")
    qtbot.keyClicks(dialog.contents_edit, "1 mug, no paperwork")
    with qtbot.waitSignal(screen.parcel_recorded, timeout=WAIT_MS) as recorded:
        dialog.save_button.click()
    parcel = recorded.args[0]
    with ctx.db.read() as s:
        row = s.get(UnexpectedParcel, parcel.id)
        assert (row.tracking_no, row.sender, row.contents, row.status) == (
            "SF1234567890", "王芳, Hangzhou", "1 mug, no paperwork", "open")
    qtbot.waitUntil(lambda: screen._parcel_dialog is None, timeout=WAIT_MS)
    assert screen.feedback_bar.kind() is FeedbackKind.OK


def test_tags_go_to_the_output_folder_and_reprints_are_marked(qtbot, ctx, world, make_screen, services, tmp_path: Path,
                                                              monkeypatch):
    monkeypatch.setenv("RETURNDESK_OUTPUT_DIR", str(tmp_path / "out"))
    screen = make_screen(services, tag_printer=None)  # the default printer: the station's output folder
    rma = authorized_return(ctx, world, [("HM-4001", 1), ("AP-2001", 1)])
    scan(qtbot, screen, rma)
    scan(qtbot, screen, BARCODE["HM-4001"])
    scan(qtbot, screen, BARCODE["AP-2001"])
    press(qtbot, screen, Qt.Key.Key_F9)  # the T-shirt goes back to the customer: no tag
    with qtbot.waitSignal(screen.inspection_completed, timeout=WAIT_MS):
        scan(qtbot, screen, COMMANDS["complete"])
    (mug_unit, _shirt_unit) = _unit_ids(ctx, rma)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"item_tag-{rma}_{mug_unit}.pdf"]
    # Print again: the print log numbers the copy, the paper and the file say it is a reprint.
    qtbot.waitUntil(screen.reprint_button.isEnabled, timeout=WAIT_MS)
    with qtbot.waitSignal(screen.scan_processed, timeout=WAIT_MS) as blocker:
        screen.reprint_button.click()
    assert blocker.args[0].feedback == FeedbackKind.OK
    assert f"item_tag-{rma}_{mug_unit}-reprint1.pdf" in {p.name for p in (tmp_path / "out").iterdir()}
    assert [e.copy_no for e in documents.find_prints(ctx, world.inspector, "item_tag", f"{rma}/{mug_unit}")] == [1, 2]


def _unit_ids(ctx, rma: str) -> list[int]:
    with ctx.db.read() as s:
        return list(s.execute(select(InspectionUnit.id).join(Return, Return.id == InspectionUnit.return_id)
                              .where(Return.rma_no == rma).order_by(InspectionUnit.id)).scalars())


# --------------------------------------------------------------------------- table models


def _load_all(qtbot, model: WorklistTableModel) -> None:
    with qtbot.waitSignal(model.page_loaded, timeout=WAIT_MS):
        model.reload()
    while model.canFetchMore():
        with qtbot.waitSignal(model.page_loaded, timeout=WAIT_MS):
            model.fetchMore()


def test_worklist_models_page_by_keyset_and_pass_the_model_tester(qtbot, qtmodeltester, ctx, world, services, tasks):
    expected = [authorized_return(ctx, world, [("AP-2001", 1)]) for _ in range(5)]
    received = expected[:3]
    for rma in received:
        receiving.receive_return(ctx, world.inspector, rma)
    actor = world.inspector
    waiting = WorklistTableModel(lambda after: worklists.inspection_queue(ctx, actor, after=after, limit=2),
                                 tasks, date_column="since")
    due = WorklistTableModel(lambda after: worklists.expected_returns(ctx, actor, after=after, limit=2),
                             tasks, date_column="receive_by")
    pages: list[int] = []
    waiting.page_loaded.connect(pages.append)
    _load_all(qtbot, waiting)
    _load_all(qtbot, due)
    assert pages == [2, 1]  # two keyset pages of at most two rows
    assert [waiting.summary(r).rma_no for r in range(waiting.rowCount())] == received
    assert [due.summary(r).rma_no for r in range(due.rowCount())] == expected[3:]
    assert waiting.exhausted and not waiting.canFetchMore()
    qtmodeltester.check(waiting)
    qtmodeltester.check(due)


def test_lines_model_passes_the_model_tester(qtbot, qtmodeltester, ctx, world, screen):
    rma = authorized_return(ctx, world, [("AP-2001", 1), ("HM-4001", 2)])
    scan(qtbot, screen, rma)
    scan(qtbot, screen, BARCODE["HM-4001"])
    scan(qtbot, screen, BARCODE["SH-3001"])
    model = screen.lines_model
    assert model.rowCount() == 3
    assert model.highlighted_row() == 2  # the wrong item scanned last
    qtmodeltester.check(model)
    empty = InspectionLinesTableModel()
    qtmodeltester.check(empty)


# --------------------------------------------------------------------------- the working memory


def _line(line_id: int, sku: str, barcode: str | None, qty: int, *, serial: bool = False) -> ReturnLineView:
    return ReturnLineView(
        id=line_id, line_no=line_id, order_line_id=line_id, product_id=line_id, sku=sku, barcode=barcode,
        product_name=sku, product_name_zh=None, category="home", qty_purchased=qty, qty_requested=qty,
        qty_authorized=qty, qty_received=0, qty_accepted=0, qty_rejected=0, reason_code="changed_mind",
        reason_vendor_fault=False, resolution="refund", condition_notes=None, policy_status="within",
        policy_note=None, grade=None, disposition=None, short_closed=False, unit_paid_minor=100,
        refund_minor=0, deduction_minor=0, fee_minor=0, serial_tracked=serial,
    )


def _detail(lines, units=()) -> ReturnDetail:
    now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    return ReturnDetail(
        id=1, rma_no=format_rma(1), status="received", status_changed_at=now, status_changed_by="li",
        version=1, channel="remote", order_id=1, order_no="SO-1", sold_at=now, delivered_at=now,
        customer_id=None, customer_name=None, customer_phone=None, customer_address=None,
        refund_method="original_payment", resolution="refund", in_policy=True, override_reason=None,
        created_by="li", created_by_id=1, created_at=now, inspected_by=None, inspected_by_id=None,
        receive_by=None, approval_level=None, approval_reasons=None, refund_total_minor=0,
        deductions_minor=0, shipping_refund_minor=0, currency="CNY", notes=None, lines=tuple(lines),
        units=tuple(units),
    )


def _unit(unit_id: int, line_id: int | None, outcome: str = "accepted") -> InspectionUnitView:
    return InspectionUnitView(id=unit_id, return_line_id=line_id, scanned_code="x", outcome=outcome, grade="A",
                              disposition="restock", inspected_by="li",
                              inspected_at=datetime(2026, 11, 27, tzinfo=UTC))


def test_state_matches_items_by_gtin_sku_or_barcode_and_walks_open_lines():
    upc = "036000291452"  # UPC-A; its GTIN-14 is 00036000291452
    lines = [_line(1, "AP-2001", "6901234567915", 1), _line(2, "HM-4001", upc, 2), _line(3, "SH-3001", None, 1)]
    state = InspectionState()
    state.open(_detail(lines, [_unit(10, 1)]))
    assert state.current_line_id == 2  # line 1 is complete already
    assert state.match_line(parse_scan("0036000291452")).id == 2  # EAN-13 form of the UPC-A
    assert state.match_line(parse_scan("sh-3001")).id == 3  # SKU, any case
    assert state.match_line(parse_scan("6901234567922")) is None  # not on the return
    assert state.next_line().id == 3
    assert state.next_line().id == 2  # wraps round, skipping the complete line 1
    assert state.set_default(2, grade=Grade.C) == LineDefaults(Grade.C, None)
    assert state.set_default(2, disposition=Disposition.SCRAP) == LineDefaults(Grade.C, Disposition.SCRAP)
    assert state.defaults_for(3) == LineDefaults()


def test_state_asks_for_a_serial_only_while_a_serial_tracked_line_expects_units():
    line = _line(1, "EL-1001", "6901234567892", 1, serial=True)
    state = InspectionState()
    state.open(_detail([line]))
    assert state.needs_serial(line, parse_scan("6901234567892"))
    gs1 = parse_scan("]C1010690123456789221SN0001")  # GTIN with its serial (AI 21)
    assert gs1.serial == "SN0001"
    assert not state.needs_serial(line, gs1)
    state.update(_detail([line], [_unit(5, 1)]))
    assert not state.needs_serial(line, parse_scan("6901234567892"))  # a further unit is over


# --------------------------------------------------------------------------- the Chinese catalogue


CATALOGUE_TS = Path(__file__).resolve().parents[2] / "resources" / "i18n" / "rd_zh_CN.ts"


def test_chinese_catalogue_keeps_every_placeholder_and_is_complete():
    root = ElementTree.parse(CATALOGUE_TS).getroot()
    messages = list(root.iter("message"))
    assert messages
    for message in messages:
        source = message.findtext("source")
        translation = message.find("translation")
        assert translation.get("type") is None, f"unfinished: {source!r}"
        # A plural message holds its forms in <numerusform> children; each keeps every placeholder.
        forms = [form.text for form in translation.iter("numerusform")] or [translation.text]
        for text in forms:
            assert text and text.strip(), f"empty: {source!r}"
            assert sorted(re.findall(r"\{\w+\}", text)) == sorted(re.findall(r"\{\w+\}", source)), source


def test_screen_speaks_chinese_with_the_catalogue(qtbot, tmp_path, services, make_screen):
    qm = tmp_path / "rd_zh_CN.qm"
    code = ("import sys; from PySide6.scripts.pyside_tool import lrelease; sys.argv[0] = 'lrelease'; "
            "sys.exit(lrelease())")
    subprocess.run([sys.executable, "-c", code, str(CATALOGUE_TS), "-qm", str(qm)], check=True, capture_output=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        screen = make_screen(services)
        assert screen.legend_box.title() == "按键与指令条码"
        assert screen.rma_label.text() == "未打开退货单"
        outcome = scan(qtbot, screen, format_rma(987_654))
        assert "不是已知的退货单" in outcome.message
    finally:
        QCoreApplication.removeTranslator(translator)
