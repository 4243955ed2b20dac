"""The supervisor's approval workstation driven like a supervisor: the queue, the detail, decisions
by click and by keyboard, refusals, the refund and its documents.

Every test runs on SQLite (the ``ctx`` fixture; test_whole_day drives the screens on PostgreSQL);
returns are brought to "awaiting approval" through the real services (intake, receiving,
inspection). Outcomes are checked in the database (status, approval rows, refunds), not only on
screen. Tests wait on the screen's signals or on conditions, never on the clock.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import QLocale, QModelIndex, QObject, Qt, Signal
from sqlalchemy import select, update

from returndesk.domain.errors import LimitExceeded, SegregationOfDuties
from returndesk.domain.types import DocumentType, Grade, RefundMethod
from returndesk.services.usecases import approval
from returndesk.services.infra import printer_routing
from returndesk.api.local import LocalSession
from returndesk.services.infra.connection import DatabaseChoice, OpenedDatabase
from returndesk.services.tx.context import ServiceContext
from returndesk.store.migrate import SchemaStatus
from returndesk.store.schema import Approval, PrintLog, Refund, Return, User
from returndesk.ui.i18n import install_translations, remove_translations
from returndesk.ui.screens.approval.screen import ApprovalScreen, queue_fetcher
from returndesk.ui.screens.approval.documents import PrintedDocument, pdf_folder_printer
from returndesk.ui.screens.approval.models import (
    ApprovalLinesTableModel,
    ApprovalQueueTableModel,
    ApprovalTimelineTableModel,
)
from returndesk.ui.screens.approval.widgets import MessageKind
from returndesk.ui.tasks import TaskRunner
from tests.integration.factories import build_world, make_order
from tests.integration.money_support import LineSpec, awaiting, receive_and_inspect, take_return
from tests.ui.approval_screenshots import SIZE, clipped_texts, compile_catalogue, stage

WAIT_MS = 20_000
CTRL = Qt.KeyboardModifier.ControlModifier


# --------------------------------------------------------------------------- helpers


class RecordingPrinter:
    """An approval printer that remembers what it was asked to print."""

    def __init__(self) -> None:
        self.printed: list[tuple[DocumentType, str, str]] = []

    def __call__(self, doc_type: DocumentType, rma: str, lang: str) -> PrintedDocument:
        self.printed.append((doc_type, rma, lang))
        return PrintedDocument(doc_type, rma, f"test printer #{len(self.printed)}")


class FakeLive(QObject):
    """What a station screen uses of ``LiveUpdates``: its three signals."""

    changed = Signal(str, int)
    resync = Signal()
    connection_changed = Signal(bool, str)


def facade(ctx) -> LocalSession:
    """The in-process API session over the test's database."""
    status = SchemaStatus(current=None, head="", known=True)
    return LocalSession(OpenedDatabase(ctx=ctx, choice=DatabaseChoice.local("test.sqlite3"), status=status,
                                       created=False))


def status_of(ctx, rma: str) -> str:
    with ctx.db.read() as s:
        return s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one()


def approvals_of(ctx, rma: str) -> list[tuple[str, int, str | None]]:
    with ctx.db.read() as s:
        rows = s.execute(
            select(Approval.decision, Approval.decided_by, Approval.reason)
            .join(Return, Return.id == Approval.return_id)
            .where(Return.rma_no == rma).order_by(Approval.id)
        ).all()
    return [tuple(r) for r in rows]


def queue_rmas(screen: ApprovalScreen) -> list[str]:
    return screen.queue_model.rma_numbers()


def select_row(qtbot, screen: ApprovalScreen, rma: str) -> None:
    """Click the queue row of ``rma`` and wait until the return is shown."""
    index = screen.queue_model.index(screen.queue_model.row_of(rma), ApprovalQueueTableModel.RMA)
    assert index.isValid(), f"{rma} is not in the queue"
    with qtbot.waitSignal(screen.case_loaded, timeout=WAIT_MS, check_params_cb=lambda r: r == rma):
        qtbot.mouseClick(screen.queue_table.viewport(), Qt.MouseButton.LeftButton,
                         pos=screen.queue_table.visualRect(index).center())


def load_all(qtbot, screen: ApprovalScreen) -> None:
    """Page to the end of the queue (the view may have asked for a page already)."""
    model = screen.queue_model
    while not model.exhausted:
        with qtbot.waitSignal(screen.queue_loaded, timeout=WAIT_MS):
            if not model.loading:
                model.fetchMore(QModelIndex())


@dataclass
class Opened:
    screen: ApprovalScreen
    printer: RecordingPrinter


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
def open_screen(qtbot, tasks, services, world):
    """Open the screen as ``actor`` (the supervisor) and wait until the oldest return is shown."""

    def open_(actor=None, *, expect_case: bool = True, created=None, **kwargs) -> Opened:
        printer = kwargs.pop("printer", None) or RecordingPrinter()
        actor = actor or world.supervisor
        screen = ApprovalScreen(services.api_for(actor), tasks, actor, printer=printer, **kwargs)
        qtbot.addWidget(screen)
        if created is not None:
            created(screen)  # before any page arrives: the first reads are still in flight
        screen.resize(1300, 860)
        # With a case, also the reasons' names: the case's lines are named once they arrive.
        signals = [screen.return_selected, screen.facts_loaded] if expect_case else [screen.queue_loaded]
        with qtbot.waitSignals(signals, timeout=WAIT_MS):
            screen.show()
        qtbot.waitExposed(screen)
        screen.activateWindow()
        return Opened(screen, printer)

    return open_


# --------------------------------------------------------------------------- the queue


def test_queue_lists_waiting_returns_oldest_first_and_pages_without_duplicates(qtbot, ctx, clock, world,
                                                                                 services, open_screen):
    waiting = []
    for sku, reason in (("AP-2001", "wrong_size"), ("HM-4001", "changed_mind"), ("EL-1002", "defective"),
                        ("AP-2001", "wrong_size"), ("HM-4001", "changed_mind")):
        waiting.append(awaiting(world, [LineSpec(sku, 1, reason=reason, grade=Grade.D if reason == "defective"
                                                 else Grade.A)]))
        clock.advance(minutes=7)
    decided = awaiting(world, [LineSpec("AP-2001", 1)])
    approval.approve_refund(ctx, world.supervisor2, decided)
    manager_level = awaiting(world, [LineSpec("EL-1003", 1)])  # above the supervisor level

    pages: list[int] = []
    screen = open_screen(page_size=2, created=lambda sc: sc.queue_model.page_loaded.connect(pages.append)).screen
    assert queue_rmas(screen)[:2] == waiting[:2]  # the first keyset page, oldest first
    assert screen.current_rma() == waiting[0]  # the oldest is shown first
    load_all(qtbot, screen)
    # Pages of at most two rows (the view asks for more while it has room), none twice.
    assert pages == [2, 2, 1]
    assert queue_rmas(screen) == waiting
    assert decided not in queue_rmas(screen) and manager_level not in queue_rmas(screen)
    model = screen.queue_model
    assert model.index(0, model.AGE).data() == "35 min"
    assert model.index(0, model.AMOUNT).data() == "¥79.00"
    assert model.index(0, model.REASONS).data() == "Wrong size or fit"
    assert "Waiting for your approval: 5" == screen.queue_size_label.text()

    # Counts by reason in the combo box; choosing one filters the queue.
    combo = screen.reason_combo
    items = {combo.itemData(i): combo.itemText(i) for i in range(combo.count())}
    assert items[None] == "All reasons (5)"
    assert items["wrong_size"] == "Wrong size or fit (2)" and items["changed_mind"].endswith("(2)")
    with qtbot.waitSignal(screen.queue_loaded, timeout=WAIT_MS):
        combo.setCurrentIndex(combo.findData("wrong_size"))
    load_all(qtbot, screen)
    assert queue_rmas(screen) == [waiting[0], waiting[3]]

    # The text filter (an RMA typed in any case) narrows it further; clearing it shows all again.
    with qtbot.waitSignal(screen.queue_loaded, timeout=WAIT_MS):
        combo.setCurrentIndex(combo.findData(None))
    qtbot.keyClicks(screen.filter_edit, waiting[4].lower())
    with qtbot.waitSignal(screen.queue_loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen.filter_edit, Qt.Key.Key_Return)
    assert queue_rmas(screen) == [waiting[4]]
    screen.filter_edit.clear()
    with qtbot.waitSignal(screen.queue_loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen.filter_edit, Qt.Key.Key_Return)
    load_all(qtbot, screen)
    assert queue_rmas(screen) == waiting


def test_selecting_shows_lines_checks_figures_history_and_timeline(qtbot, ctx, clock, world, open_screen):
    first = awaiting(world, [LineSpec("AP-2001", 2, grade=Grade.B), LineSpec("EL-1002", 1, reason="defective")])
    clock.advance(hours=2)
    second = awaiting(world, [LineSpec("HM-4001", 1)])
    screen = open_screen().screen
    assert screen.current_rma() == first

    lines = screen.lines_model
    assert lines.rowCount() == 2
    assert lines.index(0, lines.PRODUCT).data() == "Cotton T-shirt\nAP-2001"
    assert lines.index(0, lines.QUANTITY).data() == "2 of 2"
    assert lines.index(0, lines.GRADE).data() == "B · Restock"
    assert lines.index(0, lines.POLICY).data() == "✓"
    assert lines.index(0, lines.POLICY).data(Qt.ItemDataRole.ToolTipRole) == (
        "Within policy\nDelivered 5 days ago; the policy allows 30 for apparel.")
    assert lines.index(1, lines.REASON).data() == "Defective / does not work"
    detail = screen.current_case().detail
    t_shirt = detail.lines[0]
    # Grade B of a customer-fault return carries the restocking fee; the figures add up.
    assert t_shirt.fee_minor > 0
    assert lines.index(0, lines.DEDUCTED).data() == f"-¥{(t_shirt.fee_minor + t_shirt.deduction_minor) / 100:,.2f}"
    figures = screen.figures_box.amounts
    assert figures["fee"].amount() == -sum(line.fee_minor for line in detail.lines)
    assert figures["total"].amount() == detail.refund_total_minor
    assert figures["gross"].amount() + figures["deduction"].amount() + figures["fee"].amount() \
        + figures["shipping"].amount() == detail.refund_total_minor
    assert "automatic approval limit" in screen.reasons_label.text()
    assert screen.facts_right.value_text("created").startswith("Clerk · ")
    assert screen.facts_right.value_text("inspected").startswith("Inspector · ")
    assert screen.history_box.summary_label.text() == "Returns in the last 90 days: 2 · in all: 2"

    timeline = screen.timeline_model
    whats = [timeline.index(r, timeline.WHAT).data() for r in range(timeline.rowCount())]
    assert whats[0] == "Return created"
    assert "Unit inspected · line 1, AP-2001, grade B, Restock" in whats
    assert whats[-1].startswith("Routed for approval · Inspected → Awaiting approval")
    assert timeline.index(0, timeline.WHO).data() == "Clerk"

    # Down in the queue shows the next return.
    screen.queue_table.setFocus()
    with qtbot.waitSignal(screen.return_selected, timeout=WAIT_MS) as shown:
        qtbot.keyClick(screen.queue_table, Qt.Key.Key_Down)
    assert shown.args == [second] and screen.lines_model.rowCount() == 1
    with qtbot.waitSignal(screen.return_selected, timeout=WAIT_MS) as shown:
        qtbot.keyClick(screen.queue_table, Qt.Key.Key_Up)
    assert shown.args == [first]


# --------------------------------------------------------------------------- deciding


def test_approve_by_click_and_by_ctrl_enter(qtbot, ctx, clock, world, open_screen):
    first = awaiting(world, [LineSpec("AP-2001", 1)])
    clock.advance(minutes=5)
    second = awaiting(world, [LineSpec("HM-4001", 1)])
    screen = open_screen().screen
    bar = screen.decision_bar
    assert bar.approve_button.isEnabled() and "Ctrl+Return" in bar.approve_button.toolTip()

    qtbot.keyClicks(bar.note_edit, "Known customer")
    with qtbot.waitSignal(screen.return_approved, timeout=WAIT_MS) as approved:
        qtbot.mouseClick(bar.approve_button, Qt.MouseButton.LeftButton)
    assert approved.args == [first]
    assert status_of(ctx, first) == "approved"
    assert approvals_of(ctx, first) == [("approved", world.supervisor.user_id, "Known customer")]
    # The approved return leaves the queue; the screen still shows it, ready for the refund.
    qtbot.waitUntil(lambda: queue_rmas(screen) == [second], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: screen.current_case().status == "approved", timeout=WAIT_MS)
    assert screen.refund_bar.isVisibleTo(screen) and screen.refund_bar.issue_button.isEnabled()
    assert not screen.decision_bar.isVisibleTo(screen)

    select_row(qtbot, screen, second)
    screen.queue_table.setFocus()
    with qtbot.waitSignal(screen.return_approved, timeout=WAIT_MS) as approved:
        qtbot.keyClick(screen.queue_table, Qt.Key.Key_Return, CTRL)
    assert approved.args == [second]
    assert status_of(ctx, second) == "approved"
    assert approvals_of(ctx, second) == [("approved", world.supervisor.user_id, None)]


def test_reject_requires_a_written_reason(qtbot, ctx, world, open_screen):
    rma = awaiting(world, [LineSpec("AP-2001", 1)])
    screen = open_screen().screen
    with qtbot.waitSignal(screen.action_refused, timeout=WAIT_MS) as refused:
        qtbot.mouseClick(screen.decision_bar.reject_button, Qt.MouseButton.LeftButton)
    assert "Write why the refund is rejected" in refused.args[0]
    assert screen.message_label.kind is MessageKind.PROBLEM and screen.message_label.isVisibleTo(screen)
    assert status_of(ctx, rma) == "awaiting_approval" and approvals_of(ctx, rma) == []

    # The reason typed, Ctrl+R rejects.
    qtbot.keyClicks(screen.decision_bar.note_edit, "Worn and washed; not resellable")
    with qtbot.waitSignal(screen.return_rejected, timeout=WAIT_MS) as rejected:
        qtbot.keyClick(screen.decision_bar.note_edit, Qt.Key.Key_R, CTRL)
    assert rejected.args == [rma]
    assert status_of(ctx, rma) == "refund_rejected"
    assert approvals_of(ctx, rma) == [("rejected", world.supervisor.user_id, "Worn and washed; not resellable")]
    qtbot.waitUntil(lambda: queue_rmas(screen) == [], timeout=WAIT_MS)


def test_override_policy_requires_a_reason_and_approves(qtbot, ctx, world, open_screen):
    rma = awaiting(world, [LineSpec("SH-3001", 1)], in_policy=False)
    screen = open_screen().screen
    bar = screen.decision_bar
    assert not bar.approve_button.isEnabled() and bar.override_button.isEnabled()
    assert "outside the return policy" in bar.why_label.text()
    with qtbot.waitSignal(screen.action_refused, timeout=WAIT_MS) as refused:
        qtbot.keyClick(bar.note_edit, Qt.Key.Key_O, CTRL)
    assert "Write why the policy is overridden" in refused.args[0]
    qtbot.keyClicks(bar.note_edit, "Box lost by our courier, not the customer")
    with qtbot.waitSignal(screen.return_approved, timeout=WAIT_MS):
        qtbot.keyClick(bar.note_edit, Qt.Key.Key_O, CTRL)
    assert status_of(ctx, rma) == "approved"
    assert approvals_of(ctx, rma) == [("override", world.supervisor.user_id,
                                       "Box lost by our courier, not the customer")]


def test_inspector_supervisor_cannot_approve_the_button_says_why_and_the_service_refuses(
        qtbot, ctx, world, services, open_screen):
    order_no = make_order(world, [("AP-2001", 1)])
    specs = [LineSpec("AP-2001", 1)]
    rma = take_return(world, order_no, specs)
    receive_and_inspect(world, rma, specs, inspector=world.supervisor)
    screen = open_screen().screen
    bar = screen.decision_bar
    assert not bar.approve_button.isEnabled() and not bar.reject_button.isEnabled()
    assert "You inspected this return, so you cannot approve its refund" in bar.why_label.text()
    assert bar.why_label.isVisibleTo(screen)
    assert "You inspected this return" in bar.approve_button.toolTip()
    # Ctrl+Enter on a disabled Approve says why instead of doing nothing.
    qtbot.keyClick(screen.queue_table, Qt.Key.Key_Return, CTRL)
    assert "You inspected this return" in screen.message_label.text()

    # The services refuse anyway: from the screen (as if the button were enabled) and directly.
    with qtbot.waitSignal(screen.action_refused, timeout=WAIT_MS) as refused:
        screen.approve()
    assert "You inspected this return" in refused.args[0]
    assert screen.message_label.kind is MessageKind.PROBLEM
    with pytest.raises(SegregationOfDuties):
        approval.approve_refund(ctx, world.supervisor, rma)
    assert status_of(ctx, rma) == "awaiting_approval" and approvals_of(ctx, rma) == []


def test_amount_above_the_limit_disables_approve_with_both_amounts_and_the_service_refuses(
        qtbot, ctx, world, services, open_screen):
    rma = awaiting(world, [LineSpec("SH-3001", 1)])  # ¥599.00
    with ctx.db.write() as s:
        s.execute(update(User).where(User.id == world.supervisor.user_id).values(approval_limit_minor=30000))
    screen = open_screen().screen
    bar = screen.decision_bar
    assert not bar.approve_button.isEnabled()
    assert bar.reject_button.isEnabled()  # refusing money is never above a limit
    assert "¥599.00 is above your approval limit of ¥300.00" in bar.why_label.text()
    with qtbot.waitSignal(screen.action_refused, timeout=WAIT_MS) as refused:
        screen.approve()
    assert "above your approval limit" in refused.args[0]
    with pytest.raises(LimitExceeded):
        approval.approve_refund(ctx, world.supervisor, rma)
    assert status_of(ctx, rma) == "awaiting_approval"


def test_a_stale_decision_shows_the_concurrent_change_and_reloads(qtbot, ctx, clock, world, services,
                                                                   open_screen):
    rma = awaiting(world, [LineSpec("AP-2001", 1)])
    screen = open_screen().screen
    # Another station (its own context: this screen hears nothing of it) approves first.
    other = ServiceContext(db=ctx.db, clock=clock, station="TEST-2")
    approval.approve_refund(other, world.supervisor2, rma)
    refusals: list[str] = []
    screen.action_refused.connect(refusals.append)
    with qtbot.waitSignals([screen.action_refused, screen.case_loaded], timeout=WAIT_MS):
        qtbot.mouseClick(screen.decision_bar.approve_button, Qt.MouseButton.LeftButton)
    [message] = refusals
    assert f"Return {rma} was changed by Supervisor2 since you opened it" in message
    assert screen.message_label.kind is MessageKind.WARNING
    qtbot.waitUntil(lambda: screen.current_case().status == "approved", timeout=WAIT_MS)
    assert approvals_of(ctx, rma) == [("approved", world.supervisor2.user_id, None)]


# --------------------------------------------------------------------------- after approval


def test_issue_refund_then_print_receipt_and_credit_note(qtbot, ctx, world, tmp_path, services, open_screen):
    rma = awaiting(world, [LineSpec("AP-2001", 1)], method=RefundMethod.STORE_CREDIT)
    # This station sends receipts to a printer (here a PDF folder route); credit notes have no
    # printer chosen, so they are saved as PDF files in the station's output folder.
    printer_routing.set_routing(ctx, world.admin, ctx.station, DocumentType.COUNTER_RECEIPT,
                                f"pdf:{tmp_path / 'receipt printer'}")
    printer = pdf_folder_printer(services.api_for(world.supervisor), tmp_path / "out")
    screen = open_screen(printer=printer).screen
    refund = screen.refund_bar
    assert not refund.isVisibleTo(screen)
    with qtbot.waitSignal(screen.return_approved, timeout=WAIT_MS):
        qtbot.keyClick(screen.queue_table, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: refund.issue_button.isEnabled(), timeout=WAIT_MS)
    assert refund.chosen_method() == "store_credit"  # the return's own method by default
    assert not refund.credit_note_button.isEnabled()  # no credit note before the refund

    with qtbot.waitSignal(screen.refund_issued, timeout=WAIT_MS) as issued:
        qtbot.keyClick(screen.queue_table, Qt.Key.Key_I, CTRL)
    assert issued.args == [rma]
    assert status_of(ctx, rma) == "refunded"
    with ctx.db.read() as s:
        rows = s.execute(select(Refund.method, Refund.amount_minor, Refund.issued_by)
                         .join(Return, Return.id == Refund.return_id).where(Return.rma_no == rma)).all()
    assert [tuple(r) for r in rows] == [("store_credit", 7900, world.supervisor.user_id)]
    qtbot.waitUntil(lambda: refund.credit_note_button.isEnabled(), timeout=WAIT_MS)
    assert not refund.issue_button.isEnabled()
    assert "Refund RF-" in refund.refund_label.text() and "Credit note CN-" in refund.refund_label.text()
    # The queue is read again after the refund (the change it made reaches the screen).
    qtbot.waitUntil(lambda: screen.queue_status_label.text() == "Nothing waits for your approval.", timeout=WAIT_MS)
    assert queue_rmas(screen) == []

    with qtbot.waitSignal(screen.document_printed, timeout=WAIT_MS) as printed:
        qtbot.mouseClick(refund.receipt_button, Qt.MouseButton.LeftButton)
    assert printed.args[0] == str(tmp_path / "receipt printer" / f"counter_receipt-{rma}.pdf")
    with qtbot.waitSignal(screen.document_printed, timeout=WAIT_MS) as printed:
        qtbot.keyClick(screen.queue_table, Qt.Key.Key_P, CTRL)
    assert printed.args[0].endswith(f"counter_receipt-{rma}-reprint1.pdf")
    assert "reprint 1" in screen.message_label.text()
    with qtbot.waitSignal(screen.document_printed, timeout=WAIT_MS) as printed:
        qtbot.keyClick(screen.queue_table, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    [credit_note] = (tmp_path / "out").iterdir()
    assert printed.args[0] == str(credit_note) and credit_note.name.startswith("credit_note-CN-")
    for pdf in (credit_note, *(tmp_path / "receipt printer").iterdir()):
        assert pdf.read_bytes().startswith(b"%PDF")
    with ctx.db.read() as s:
        logged = s.execute(select(PrintLog.doc_type, PrintLog.copy_no).order_by(PrintLog.id)).all()
    assert [tuple(r) for r in logged] == [("counter_receipt", 1), ("counter_receipt", 2), ("credit_note", 1)]


# --------------------------------------------------------------------------- live updates


def test_a_change_elsewhere_refreshes_the_queue_and_keeps_the_selection(qtbot, ctx, clock, world, open_screen):
    first = awaiting(world, [LineSpec("AP-2001", 1)])
    clock.advance(minutes=5)
    second = awaiting(world, [LineSpec("HM-4001", 1)])
    live = FakeLive()
    screen = open_screen(live=live).screen
    select_row(qtbot, screen, second)

    other = ServiceContext(db=ctx.db, clock=clock, station="TEST-2")
    approval.approve_refund(other, world.supervisor2, first)
    clock.advance(minutes=1)
    third = awaiting(world, [LineSpec("EL-1002", 1)])
    with qtbot.waitSignal(screen.queue_loaded, timeout=WAIT_MS):
        live.changed.emit("return", 1)
    assert queue_rmas(screen) == [second, third]
    assert screen.current_rma() == second
    assert screen.queue_table.currentIndex().row() == 0  # still on the same return

    # A change of the return shown reloads it.
    with qtbot.waitSignal(screen.case_loaded, timeout=WAIT_MS):
        live.changed.emit("return", screen.current_case().detail.id)


# --------------------------------------------------------------------------- models


def test_models_pass_the_model_tester(qtbot, qtmodeltester, ctx, clock, world, services, tasks, open_screen):
    made = []
    for _ in range(3):
        made.append(awaiting(world, [LineSpec("AP-2001", 1)]))
        clock.advance(minutes=1)
    model = ApprovalQueueTableModel(queue_fetcher(services.api_for(world.supervisor), limit=2), tasks, now=clock)
    with qtbot.waitSignal(model.page_loaded, timeout=WAIT_MS):
        model.reload()
    assert model.rowCount() == 2 and model.canFetchMore(QModelIndex())
    # The tester calls fetchMore itself: the next page arrives while it watches.
    with qtbot.waitSignal(model.page_loaded, timeout=WAIT_MS):
        qtmodeltester.check(model, force_py=True)
    assert model.rma_numbers() == made and model.exhausted
    # The tester stays connected (each model is checked once): it watches the refresh's reset.
    with qtbot.waitSignal(model.refreshed, timeout=WAIT_MS):
        model.refresh()
    assert model.rma_numbers() == made

    screen = open_screen().screen
    qtmodeltester.check(screen.lines_model, force_py=True)
    qtmodeltester.check(screen.timeline_model, force_py=True)
    with qtbot.waitSignal(screen.case_loaded, timeout=WAIT_MS):
        screen.reload_case()
    qtmodeltester.check(ApprovalLinesTableModel(), force_py=True)
    qtmodeltester.check(ApprovalTimelineTableModel(), force_py=True)


# --------------------------------------------------------------------------- Chinese


def test_screen_speaks_chinese_with_the_catalogue_and_nothing_is_cut_off(qtbot, tmp_path, ctx, clock, world,
                                                                          open_screen):
    oldest, own = stage(world, clock)
    compile_catalogue(tmp_path)
    locale = QLocale()
    install_translations("zh_CN", catalogue_dir=tmp_path)
    try:
        screen = open_screen().screen
        screen.resize(*SIZE)
        assert screen.current_rma() == oldest
        assert screen.title_label.text() == "主管审批"
        assert screen.decision_bar.approve_button.text() == "批准(&A)"
        assert screen.queue_model.headerData(1, Qt.Orientation.Horizontal) == "退货单号 · 顾客"
        assert screen.lines_model.index(1, ApprovalLinesTableModel.PRODUCT).data() == "纯棉T恤\nAP-2001"
        assert screen.timeline_model.index(0, ApprovalTimelineTableModel.WHAT).data() == "创建退货单"
        assert screen.status_pill.text() == "待审批"
        qtbot.waitUntil(lambda: clipped_texts(screen) == [], timeout=WAIT_MS)
        select_row(qtbot, screen, own)
        assert screen.decision_bar.why_label.text().startswith("批准：You inspected this return")
        qtbot.waitUntil(lambda: clipped_texts(screen) == [], timeout=WAIT_MS)
    finally:
        remove_translations()
        QLocale.setDefault(locale)
