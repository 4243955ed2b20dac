"""The counter intake screen driven like a clerk: typing, Enter, shortcuts and scans; the outcome
checked in the database (on SQLite; test_whole_day drives the screens on PostgreSQL)."""

from __future__ import annotations

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication, QLabel
from sqlalchemy import func, select

from returndesk.domain.types import Channel, DocumentType, Location, PolicyStatus, RefundMethod, ReturnStatus
from returndesk.services.usecases import documents, intake, sales
from returndesk.services.infra import printer_routing
from returndesk.services.tx import stock
from returndesk.services.tx.context import ServiceContext
from returndesk.store.schema import InspectionUnit, Refund, Return, ReturnLine, SalesOrderLine
from returndesk.ui.scanner import ScannerSettings, ScanRouter
from returndesk.ui.screens.counter.models import CounterLinesTableModel, VerdictFacts, verdict_reasons, window_words
from returndesk.ui.tasks import TaskRunner
from tests.integration.factories import build_world, make_order
from tests.ui.counter_screenshots import compile_catalogue
from tests.ui.counter_support import CONDITIONS, clipped_texts, counter_screen, fill_form, session_for, stage_sale

WAIT_MS = 10_000
ENTER = Qt.Key.Key_Return
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def runner(qapp):
    tasks = TaskRunner()
    yield tasks
    tasks.wait_idle(WAIT_MS)
    assert tasks.shutdown(WAIT_MS)


@pytest.fixture
def world(ctx):
    return build_world(ctx)


@pytest.fixture
def services(ctx):
    return session_for(ctx)


@pytest.fixture
def make_screen(qtbot, services, runner, tmp_path):
    def make(actor):
        screen = counter_screen(services, runner, actor, tmp_path / "printed")
        qtbot.addWidget(screen)
        screen.show()
        qtbot.waitExposed(screen)
        return screen

    return make


def find_by_keyboard(qtbot, screen, text: str) -> None:
    """Type ``text`` in the search field and press Enter; wait until the sale is open."""
    screen.search_edit.setFocus()
    qtbot.keyClicks(screen.search_edit, text)
    with qtbot.waitSignal(screen.sale_loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen.search_edit, ENTER)


def wait_preview(qtbot, screen, check=lambda preview: preview is not None):
    """Wait for the preview of the draft as it is on screen; returns it."""
    blocker = qtbot.waitSignal(screen.preview_updated, timeout=WAIT_MS, check_params_cb=check)
    blocker.wait()
    return blocker.args[0]


def returns_of(ctx: ServiceContext) -> list[tuple]:
    """(RMA, status, in policy, override reason, override by, station) of every return."""
    with ctx.db.read() as s:
        return [tuple(row) for row in s.execute(
            select(Return.rma_no, Return.status, Return.in_policy, Return.override_reason, Return.override_by,
                   Return.created_station).order_by(Return.id)).all()]


def settle_layouts() -> None:
    """Let the layouts apply the size changes they posted (new texts, shown rows)."""
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def set_line(screen, row: int, **changes) -> None:
    screen.lines_model.update_entry(row, **changes)


def test_clerk_finds_the_sale_sets_quantity_and_reason_by_keyboard_and_sees_the_refund(
        qtbot, ctx, world, make_screen):
    order_no = make_order(world, [("AP-2001", 2), ("EL-1002", 1)], days_ago=3)
    screen = make_screen(world.clerk)

    find_by_keyboard(qtbot, screen, order_no.lower())  # as a scanner with Caps Lock might send it

    assert screen.sale_box.isVisible()
    assert screen.findChild(QLabel, "sale_order_label").text() == order_no
    assert screen.lines_model.rowCount() == 2
    editor = screen.line_editor
    assert QApplication.focusWidget() is editor.quantity_spin  # the first returnable line, ready
    assert editor.quantity_spin.maximum() == 2

    qtbot.keyClicks(editor.quantity_spin, "2")
    qtbot.keyClick(editor.quantity_spin, ENTER)
    assert QApplication.focusWidget() is editor.reason_combo
    qtbot.keyClicks(editor.reason_combo, "Ch")  # keyboard search: "Changed mind / no longer needed"
    assert editor.reason_combo.currentData() == "changed_mind"
    qtbot.keyClick(editor.reason_combo, ENTER)
    assert QApplication.focusWidget() is editor.resolution_combo
    qtbot.keyClick(editor.resolution_combo, ENTER)
    packaging, accessories = editor.condition_boxes()
    assert QApplication.focusWidget() is packaging
    qtbot.keyClick(packaging, Qt.Key.Key_Space)
    qtbot.keyClick(packaging, ENTER)
    assert QApplication.focusWidget() is accessories
    qtbot.keyClick(accessories, Qt.Key.Key_Space)

    preview = wait_preview(qtbot, screen, lambda p: p is not None and p.lines[0].policy_status is PolicyStatus.WITHIN)
    assert preview.total_minor == 15800  # two T-shirts at 79.00, grade A, nothing deducted
    assert screen.refund_summary.total_money.text() == "¥158.00"
    assert screen.refund_summary.goods_money.text() == "¥158.00"
    entry = screen.lines_model.entry(0)
    assert (entry.quantity, entry.reason_code, entry.conditions) == (2, "changed_mind", CONDITIONS)
    verdict = screen.lines_model.verdict(0)
    assert verdict.status is PolicyStatus.WITHIN and not verdict.preliminary
    assert verdict.text() == "Within policy: Delivered 3 days ago; 30 days allowed."
    assert screen.submit_button.isEnabled()
    # Enter walks on to the return's fields and finally to the submit button.
    qtbot.keyClick(accessories, ENTER)
    assert QApplication.focusWidget() is editor.condition_notes_edit


def test_a_remote_return_is_issued_authorized_and_its_label_printed(qtbot, ctx, world, make_screen, tmp_path):
    order_no = make_order(world, [("AP-2001", 3), ("EL-1002", 1)], days_ago=4)
    screen = make_screen(world.clerk)
    find_by_keyboard(qtbot, screen, order_no)
    screen.options.remote_radio.click()
    set_line(screen, 0, quantity=2, reason_code="wrong_size")
    set_line(screen, 1, quantity=1, reason_code="defective")
    preview = wait_preview(qtbot, screen, lambda p: p is not None and len(p.lines) == 2)
    assert preview.channel == Channel.REMOTE and preview.ready

    with qtbot.waitSignal(screen.return_submitted, timeout=WAIT_MS) as submitted:
        qtbot.keyClick(screen.line_editor.quantity_spin, ENTER, CTRL)
    detail = submitted.args[0]
    assert detail.status == ReturnStatus.AUTHORIZED.value
    assert screen.result_panel.rma_label.text() == detail.rma_no
    assert screen.result_panel.status_pill.status() is ReturnStatus.AUTHORIZED
    with ctx.db.read() as s:
        ret = s.execute(select(Return).where(Return.rma_no == detail.rma_no)).scalar_one()
        assert (ret.status, ret.channel, ret.refund_method) == ("authorized", "remote", "original_payment")
        assert ret.receive_by is not None
        lines = (
            s.execute(select(ReturnLine).where(ReturnLine.return_id == ret.id).order_by(ReturnLine.line_no))
            .scalars()
            .all()
        )
        assert [(line.qty_requested, line.qty_authorized, line.reason_code) for line in lines] == [
            (2, 2, "wrong_size"), (1, 1, "defective")]
        held = dict(s.execute(select(SalesOrderLine.line_no, SalesOrderLine.qty_in_process)).all())
        assert held == {1: 2, 2: 1}
        assert ret.refund_total_minor == preview.total_minor

    assert "Print return label" in screen.result_panel.print_button.text()
    with qtbot.waitSignal(screen.document_printed, timeout=WAIT_MS) as printed:
        qtbot.keyClick(screen.result_panel.print_button, Qt.Key.Key_P, CTRL)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(printed.args[0]).pages)
    assert detail.rma_no in text


def test_a_small_walk_in_return_is_refunded_on_the_spot(qtbot, ctx, world, make_screen):
    order_no = make_order(world, [("AP-2001", 2)], channel="store", days_ago=2)
    tshirt = world.products["AP-2001"]
    screen = make_screen(world.clerk)
    find_by_keyboard(qtbot, screen, order_no)
    screen.options.set_refund_method(RefundMethod.CASH)
    set_line(screen, 0, quantity=1, reason_code="changed_mind", conditions=CONDITIONS)
    preview = wait_preview(qtbot, screen, lambda p: p is not None and p.refund_method == "cash")
    assert preview.total_minor == 7900

    with qtbot.waitSignal(screen.return_submitted, timeout=WAIT_MS) as submitted:
        qtbot.keyClick(screen.line_editor.quantity_spin, Qt.Key.Key_Enter, CTRL)
    result = submitted.args[0]
    assert result.refunded and result.stage == ReturnStatus.REFUNDED.value
    assert screen.result_panel.headline_label.text() == "Refunded ¥79.00 by cash"
    with ctx.db.read() as s:
        refund = s.execute(select(Refund)).scalar_one()
        assert (refund.method, refund.amount_minor) == ("cash", 7900)
        ret = s.execute(select(Return)).scalar_one()
        assert ret.status == ReturnStatus.REFUNDED.value and ret.rma_no == result.detail.rma_no
        # Sold 2 of the opening 20, one came back into available stock.
        assert stock.on_hand(s, tshirt, Location.AVAILABLE) == 19
        assert stock.on_hand(s, tshirt, Location.INSPECTION) == 0
        line = s.execute(select(SalesOrderLine)).scalar_one()
        assert (line.qty_returned, line.qty_in_process, line.refunded_minor) == (1, 0, 7900)

    assert "Print counter receipt" in screen.result_panel.print_button.text()
    with qtbot.waitSignal(screen.document_printed, timeout=WAIT_MS) as printed:
        screen.result_panel.print_button.click()
    text = "".join(page.extract_text() for page in pypdf.PdfReader(printed.args[0]).pages)
    assert result.detail.rma_no in text and "79.00" in text

    qtbot.keyClick(screen.result_panel.print_button, Qt.Key.Key_N, CTRL)
    assert screen.pages.currentWidget() is screen.form_page
    assert screen.lines_model.rowCount() == 0 and screen.search_edit.text() == ""
    assert QApplication.focusWidget() is screen.search_edit


def test_a_walk_in_serial_numbered_item_asks_for_the_serial_before_it_is_taken(qtbot, ctx, world, make_screen):
    order_no = make_order(world, [("EL-1001", 1)], channel="store", days_ago=2)
    with ctx.db.write() as s:
        s.execute(select(SalesOrderLine)).scalar_one().serial_numbers = "SN-1"
    screen = make_screen(world.clerk)
    find_by_keyboard(qtbot, screen, order_no)
    set_line(screen, 0, quantity=1, reason_code="changed_mind", conditions=CONDITIONS)
    wait_preview(qtbot, screen, lambda p: p is not None and p.lines[0].quantity == 1)
    editor = screen.line_editor
    assert editor.serials_edit.isVisible()
    assert not screen.submit_button.isEnabled()

    with qtbot.waitSignal(screen.submit_refused, timeout=WAIT_MS) as refused:
        qtbot.keyClick(editor.quantity_spin, ENTER, CTRL)
    assert "Line 1: scan or type the serial number of each unit returned" in refused.args[0]
    assert QApplication.focusWidget() is editor.serials_edit  # asked right where it is typed
    assert returns_of(ctx) == []

    qtbot.keyClicks(editor.serials_edit, "sn-1")
    qtbot.waitUntil(screen.submit_button.isEnabled, timeout=WAIT_MS)
    with qtbot.waitSignal(screen.return_submitted, timeout=WAIT_MS) as submitted:
        qtbot.keyClick(editor.serials_edit, ENTER, CTRL)
    result = submitted.args[0]
    assert result.stage != ReturnStatus.RECEIVED.value
    with ctx.db.read() as s:
        line = s.execute(select(ReturnLine)).scalar_one()
        assert (line.qty_accepted, line.units_held) == (1, "0")
        assert s.execute(select(InspectionUnit.serial_no)).scalar_one() == "SN-1"


def test_above_the_automatic_limit_the_walk_in_waits_for_a_supervisor_and_says_why(qtbot, ctx, world, make_screen):
    order_no = make_order(world, [("SH-3001", 1)], channel="store", days_ago=2)
    screen = make_screen(world.clerk)
    find_by_keyboard(qtbot, screen, order_no)
    set_line(screen, 0, quantity=1, reason_code="changed_mind", conditions=CONDITIONS)
    wait_preview(qtbot, screen)
    with qtbot.waitSignal(screen.return_submitted, timeout=WAIT_MS) as submitted:
        screen.submit()
    result = submitted.args[0]
    assert result.stage == ReturnStatus.AWAITING_APPROVAL.value and not result.refunded
    assert screen.result_panel.headline_label.text() == "Waiting for supervisor approval: ¥599.00"
    assert "above the automatic approval limit" in screen.result_panel.message_label.text()
    assert "Print return label" in screen.result_panel.print_button.text()
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(Refund)).scalar_one() == 0


def test_a_line_outside_the_policy_blocks_the_clerk_and_a_supervisor_overrides_it(qtbot, ctx, world, make_screen):
    order_no = make_order(world, [("HM-4001", 2)], days_ago=45)
    clerk_screen = make_screen(world.clerk)
    find_by_keyboard(qtbot, clerk_screen, order_no)
    clerk_screen.options.remote_radio.click()
    set_line(clerk_screen, 0, quantity=1, reason_code="changed_mind")
    preview = wait_preview(qtbot, clerk_screen)
    assert preview.needs_override
    verdict = clerk_screen.lines_model.verdict(0)
    assert verdict.status is PolicyStatus.OVERRIDE_NEEDED
    assert verdict.reasons == ("Delivered 45 days ago; 30 days allowed.",)
    assert not clerk_screen.submit_button.isEnabled()
    assert not clerk_screen.options.override_edit.isVisibleTo(clerk_screen)
    assert "only a supervisor can accept it" in clerk_screen.options.override_hint_label.text()

    with qtbot.waitSignal(clerk_screen.submit_refused, timeout=WAIT_MS) as refused:
        qtbot.keyClick(clerk_screen.line_editor.quantity_spin, ENTER, CTRL)
    assert "only a supervisor can accept it" in refused.args[0]
    assert "only a supervisor can accept it" in clerk_screen.problems_label.text()
    assert returns_of(ctx) == []

    boss_screen = make_screen(world.supervisor)
    find_by_keyboard(qtbot, boss_screen, order_no)
    boss_screen.options.remote_radio.click()
    set_line(boss_screen, 0, quantity=1, reason_code="changed_mind")
    wait_preview(qtbot, boss_screen)
    override = boss_screen.options.override_edit
    assert override.isVisibleTo(boss_screen) and not boss_screen.submit_button.isEnabled()
    assert "write the override reason" in boss_screen.problems_label.text()
    qtbot.keyClicks(override, "Loyal customer, mug unused")
    preview = wait_preview(qtbot, boss_screen, lambda p: p is not None and p.ready)
    assert preview.needs_override
    assert boss_screen.submit_button.isEnabled()
    with qtbot.waitSignal(boss_screen.return_submitted, timeout=WAIT_MS):
        qtbot.keyClick(override, ENTER, CTRL)
    [(_rma, status, in_policy, reason, by, _station)] = returns_of(ctx)
    assert (status, in_policy, reason, by) == ("authorized", False, "Loyal customer, mug unused",
                                                world.supervisor.user_id)


def test_cash_is_refused_for_a_remote_return(qtbot, ctx, world, make_screen):
    order_no = make_order(world, [("AP-2001", 1)], days_ago=2)
    screen = make_screen(world.clerk)
    find_by_keyboard(qtbot, screen, order_no)
    combo = screen.options.refund_method_combo
    cash = combo.findData(RefundMethod.CASH.value)
    model = combo.model()
    assert isinstance(model, QStandardItemModel)
    assert model.item(cash).isEnabled()  # walk-in: cash can be paid out
    screen.options.remote_radio.click()
    assert not model.item(cash).isEnabled()  # remote: it cannot be chosen

    combo.setCurrentIndex(cash)  # even if set anyway, the screen refuses it
    set_line(screen, 0, quantity=1, reason_code="changed_mind")
    preview = wait_preview(qtbot, screen)
    assert preview.total_minor == 7900
    assert screen.options.method_problem_label.isVisibleTo(screen)
    assert "Cash is paid out at the counter only" in screen.options.method_problem_label.text()
    assert not screen.submit_button.isEnabled()
    with qtbot.waitSignal(screen.submit_refused, timeout=WAIT_MS) as refused:
        screen.submit()
    assert "Cash is paid out at the counter only" in refused.args[0]
    assert returns_of(ctx) == []

    screen.options.set_refund_method(RefundMethod.STORE_CREDIT)
    wait_preview(qtbot, screen, lambda p: p is not None and p.refund_method == "store_credit")
    assert not screen.options.method_problem_label.isVisibleTo(screen)
    assert screen.submit_button.isEnabled()


def test_a_line_taken_meanwhile_at_another_counter_is_refused_next_to_it_and_nothing_is_saved(
        qtbot, ctx, clock, world, make_screen):
    order_no = make_order(world, [("AP-2001", 1), ("HM-4001", 1)], channel="store", days_ago=1)
    screen = make_screen(world.clerk)
    find_by_keyboard(qtbot, screen, order_no)
    set_line(screen, 0, quantity=1, reason_code="changed_mind", conditions=CONDITIONS)
    set_line(screen, 1, quantity=1, reason_code="changed_mind", conditions=CONDITIONS)
    wait_preview(qtbot, screen, lambda p: p is not None and p.ready and len(p.lines) == 2)

    # Another counter (its own context: this screen hears nothing of it) takes the mug.
    other = ServiceContext(db=ctx.db, clock=clock, station="TEST-2")
    [_shirt, mug] = sales.get_sale(other, world.clerk2, order_no).lines
    taken = intake.create_return(other, world.clerk2, intake.ReturnDraft(
        order_no, Channel.COUNTER, RefundMethod.CASH,
        (intake.DraftLine(mug.order_line_id, 1, "changed_mind", conditions_met=CONDITIONS),)))

    with qtbot.waitSignal(screen.submit_refused, timeout=WAIT_MS) as refused:
        screen.submit()
    assert "The return was not saved; see line 2." in refused.args[0]
    assert screen.pages.currentWidget() is screen.form_page
    model = screen.lines_model
    assert "nothing of this line can be returned any more" in " ".join(model.problems(1))
    assert model.problems(0) == ()
    assert model.data(model.index(1, CounterLinesTableModel.LINE)).startswith("⚠")
    [only] = returns_of(ctx)  # the other counter's return; nothing of this one was written
    assert only[0] == taken.rma_no

    # The sale is read again: the mug's quantity is cut to what is left, and the line says why.
    with qtbot.waitSignal(screen.sale_refreshed, timeout=WAIT_MS):
        pass
    assert model.line(1).qty_returnable == 0 and model.entry(1).quantity == 0
    assert "the quantity was set to 0" in " ".join(model.problems(1))
    assert "The return was not saved; see line 2." in screen.problems_label.text()


def test_several_matches_are_listed_and_one_is_picked_with_the_keyboard(qtbot, world, make_screen):
    first = make_order(world, [("AP-2001", 1)], days_ago=10)
    second = make_order(world, [("HM-4001", 1)], days_ago=2)
    screen = make_screen(world.clerk)
    screen.search_edit.setFocus()
    qtbot.keyClicks(screen.search_edit, "8000")  # the last digits of Li Wei's phone
    with qtbot.waitSignal(screen.search_finished, timeout=WAIT_MS) as found:
        qtbot.keyClick(screen.search_edit, ENTER)
    assert found.args == [2]
    view = screen.results_view
    assert view.isVisible() and QApplication.focusWidget() is view
    assert [screen.sales_model.summary(r).order_no for r in range(2)] == [second, first]  # newest first
    qtbot.keyClick(view, Qt.Key.Key_Down)
    with qtbot.waitSignal(screen.sale_loaded, timeout=WAIT_MS) as loaded:
        qtbot.keyClick(view, ENTER)
    assert loaded.args == [first]
    assert not view.isVisible()


def test_scans_open_the_receipts_sale_and_count_items_against_their_line(qtbot, world, make_screen):
    order_no = make_order(world, [("AP-2001", 2), ("EL-1002", 1)], channel="store", days_ago=1)
    screen = make_screen(world.clerk)
    with qtbot.waitSignal(screen.sale_loaded, timeout=WAIT_MS):
        assert screen.accept_scan(order_no)
    screen.line_editor.quantity_spin.setFocus()
    assert screen.accept_scan("6901234567915")  # the T-shirt's EAN-13, twice
    assert screen.accept_scan("6901234567915")
    assert screen.accept_scan("6901234567915")  # a third: only two were bought
    assert screen.lines_model.entry(0).quantity == 2
    assert "on the return already" in screen.search_status_label.text()
    assert screen.accept_scan("EL-1002")  # by SKU
    assert screen.lines_model.entry(1).quantity == 1
    assert screen.accept_scan("6901234567922")  # running shoes: not on this receipt
    assert "is not an item of order" in screen.search_status_label.text()


def test_unknown_sale_is_said_in_words(qtbot, world, make_screen):
    screen = make_screen(world.clerk)
    screen.search_edit.setText("SO-999999")
    with qtbot.waitSignal(screen.search_finished, timeout=WAIT_MS) as found:
        qtbot.keyClick(screen.search_edit, ENTER)
    assert found.args == [0]
    assert "No sale found for “SO-999999”" in screen.search_status_label.text()
    assert screen.lines_model.rowCount() == 0


def test_table_models_pass_the_model_tester(qtbot, qtmodeltester, world, make_screen):
    order_no = make_order(world, [("AP-2001", 2), ("FD-5001", 1), ("EL-1002", 1)], days_ago=40)
    make_order(world, [("HM-4001", 1)], days_ago=2)
    screen = make_screen(world.clerk)
    find_by_keyboard(qtbot, screen, order_no)
    set_line(screen, 0, quantity=1, reason_code="changed_mind")
    set_line(screen, 1, quantity=1)
    set_line(screen, 2, quantity=1, reason_code="defective")
    wait_preview(qtbot, screen)
    model = screen.lines_model
    assert [model.verdict(r).status for r in range(3)] == [
        PolicyStatus.OVERRIDE_NEEDED, PolicyStatus.NOT_RETURNABLE, PolicyStatus.WITHIN]
    qtmodeltester.check(model)

    with qtbot.waitSignal(screen.search_finished, timeout=WAIT_MS):
        screen.find_sale("Li")
    assert screen.sales_model.rowCount() == 2
    qtmodeltester.check(screen.sales_model)


def test_nothing_is_cut_off_in_english_or_chinese(qtbot, tmp_path, world, make_screen):
    screen = make_screen(world.clerk)
    find_by_keyboard(qtbot, screen, stage_sale(world))
    fill_form(screen)
    wait_preview(qtbot, screen, lambda p: p is not None and len(p.lines) == 4)
    model = screen.lines_model
    assert [model.verdict(r).status for r in range(4)] == [
        PolicyStatus.WITHIN, PolicyStatus.WITHIN, PolicyStatus.NOT_RETURNABLE, PolicyStatus.OVERRIDE_NEEDED]
    settle_layouts()
    assert clipped_texts(screen) == []

    translator = QTranslator()
    assert translator.load(str(compile_catalogue(tmp_path) / "rd_zh_CN.qm"))
    QCoreApplication.installTranslator(translator)  # every widget gets a LanguageChange
    locale = QLocale()
    QLocale.setDefault(QLocale("zh_CN"))
    try:
        qtbot.waitUntil(lambda: screen.submit_button.text().startswith("受理退货"), timeout=WAIT_MS)
        assert model.verdict(3).text() == "需主管特批：未确认：原包装。"
        assert model.headerData(CounterLinesTableModel.VERDICT, Qt.Orientation.Horizontal) == "政策判定"
        assert model.data(model.index(0, CounterLinesTableModel.ITEM)) == "纯棉T恤（AP-2001）"
        assert screen.line_editor.reason_combo.currentText() == "不想要了"
        settle_layouts()
        assert clipped_texts(screen) == []
    finally:
        QCoreApplication.removeTranslator(translator)
        QLocale.setDefault(locale)


def test_the_label_goes_to_the_stations_printer_and_a_second_copy_is_a_reprint(
        qtbot, ctx, world, services, make_screen, tmp_path):
    routed = tmp_path / "label-printer"
    printer_routing.set_routing(ctx, None, ctx.station, DocumentType.RETURN_LABEL, f"pdf:{routed}")
    order_no = make_order(world, [("EL-1002", 1)], days_ago=4)
    screen = make_screen(world.clerk)
    find_by_keyboard(qtbot, screen, order_no)
    screen.options.remote_radio.click()
    set_line(screen, 0, quantity=1, reason_code="defective")
    wait_preview(qtbot, screen, lambda p: p is not None and p.ready)
    with qtbot.waitSignal(screen.return_submitted, timeout=WAIT_MS) as submitted:
        screen.submit()
    rma = submitted.args[0].rma_no

    with qtbot.waitSignal(screen.document_printed, timeout=WAIT_MS) as first:
        qtbot.keyClick(screen.result_panel.print_button, Qt.Key.Key_P, CTRL)
    assert first.args[0] == str(routed / f"return_label-{rma}.pdf")
    assert screen.result_panel.print_status_label.text() == f"Printed: {first.args[0]}"
    with qtbot.waitSignal(screen.document_printed, timeout=WAIT_MS) as second:
        qtbot.keyClick(screen.result_panel.print_button, Qt.Key.Key_P, CTRL)
    assert second.args[0] == str(routed / f"return_label-{rma}-reprint1.pdf")
    assert "reprint 1" in screen.result_panel.print_status_label.text()
    copies = documents.find_prints(ctx, world.clerk, DocumentType.RETURN_LABEL, rma)
    assert [entry.copy_no for entry in copies] == [1, 2]


def test_a_scanner_types_into_any_field_and_the_screen_takes_the_scan(qtbot, world, services, runner, tmp_path):
    router = ScanRouter(ScannerSettings(prefix="\x02"))  # scanners programmed to send STX (Ctrl+B) first
    router.install()
    try:
        order_no = make_order(world, [("AP-2001", 2)], channel="store", days_ago=1)
        screen = counter_screen(services, runner, world.clerk, tmp_path / "printed", scan_router=router)
        qtbot.addWidget(screen)
        screen.show()
        qtbot.waitExposed(screen)

        def scan_into(widget, code: str) -> None:
            qtbot.keyClick(widget, Qt.Key.Key_B, CTRL)
            qtbot.keyClicks(widget, code)
            qtbot.keyClick(widget, ENTER)

        screen.search_edit.setFocus()
        with qtbot.waitSignal(screen.sale_loaded, timeout=WAIT_MS):
            scan_into(screen.search_edit, order_no)
        assert screen.search_edit.text() == order_no
        spin = screen.line_editor.quantity_spin
        assert QApplication.focusWidget() is spin
        scan_into(spin, "6901234567915")  # the T-shirt's barcode while the quantity has the focus
        qtbot.waitUntil(lambda: screen.lines_model.entry(0).quantity == 1, timeout=WAIT_MS)
        assert spin.value() == 1 and spin.text() == "1"
    finally:
        router.uninstall()


@settings(max_examples=200, deadline=None)
@given(
    status=st.sampled_from(list(PolicyStatus)),
    window=st.integers(0, 400), elapsed=st.integers(0, 400), vendor=st.booleans(), known=st.booleans(),
    at_counter=st.booleans(), product_ok=st.booleans(), category_ok=st.booleans(),
    quantity=st.integers(1, 9), returnable=st.integers(0, 9),
    missing=st.lists(st.sampled_from(["original_packaging", "tags_attached", "seal_intact", "box_unopened"]),
                     unique=True, max_size=3),
)
def test_every_verdict_has_words_without_template_left_overs(qapp, status, window, elapsed, vendor, known,
                                                             at_counter, product_ok, category_ok, quantity,
                                                             returnable, missing):
    facts = VerdictFacts(status=status, window_days=window, days_elapsed=elapsed,
                         service_reasons=("The services' own words.",), reference_known=known,
                         sold_at_counter=at_counter, vendor_fault=vendor, product_returnable=product_ok,
                         category_returnable=category_ok, category_name="Food", quantity=quantity,
                         qty_returnable=returnable, missing_conditions=tuple(missing))
    reasons = verdict_reasons(facts)
    assert reasons and all(reason.strip() for reason in reasons)
    assert not any("{" in reason or "}" in reason for reason in reasons)
    if status is PolicyStatus.WITHIN:
        assert reasons == (window_words(facts),)
    if status is PolicyStatus.OVERRIDE_NEEDED and missing:
        assert any(reason.startswith("Not confirmed: ") for reason in reasons)
