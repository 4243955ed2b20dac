"""The return detail page driven like its users: opened from the Returns list (double-click, Enter)
and by scanning an RMA label; every action refused where the lifecycle and the role say so — on
the page and by the services; cancel, reject, reopen and close carried out from the page, checked
in the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from returndesk.domain.errors import ReturnDeskError
from returndesk.domain.money import format_money
from returndesk.domain.lifecycle import TRANSITIONS
from returndesk.domain.permissions import (
    REPLACEMENT_ACTIONS,
    REPLACEMENT_STATE,
    RETURN_ACTIONS,
    ReturnAction,
    can,
)
from returndesk.domain.types import ReturnStatus
from returndesk.store.schema import AuditEvent, Return, ReturnLine, SalesOrderLine
from returndesk.ui.main_window import MainWindow
from returndesk.ui.scanner import ScanRouter
from returndesk.ui.screens.return_detail.models import (
    DocumentsTableModel,
    PrintLogTableModel,
    UnitsTableModel,
)
from returndesk.ui.screens.return_detail.screen import ReturnDetailPage, perform_action
from returndesk.ui.tasks import TaskRunner
from sqlalchemy import select

from tests.integration.factories import build_world
from tests.integration.return_states import return_in, status_of
from tests.ui.counter_support import session_for
from tests.ui.test_scanner import scan

WAIT = 20_000


@pytest.fixture
def tasks(qapp):
    runner = TaskRunner()
    yield runner
    runner.wait_idle(10_000)
    runner.shutdown(10_000)


def page_for(qtbot, session, tasks, actor, rma, tmp_path) -> ReturnDetailPage:
    page = ReturnDetailPage(session.api_for(actor), tasks, actor, output_dir=tmp_path)
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.page_loaded, timeout=WAIT):
        page.show_return(rma)
    return page


def service_call(api, action: ReturnAction, rma: str):
    """What the action does in the services, bypassing the page."""
    if action is ReturnAction.INSPECT:
        return api.inspection.complete_inspection(rma)
    if action is ReturnAction.EXCHANGE:
        return api.exchange.create_exchange(rma, [("AP-2001", 1)])
    if action is ReturnAction.COLLECT_DIFFERENCE:
        return api.exchange.collect_difference(_order_no(api, rma), "card")
    return perform_action(api, action, rma, reason="Checked with the customer")


def _order_no(api, rma: str) -> str:
    """The replacement order of ``rma``, or a number no order has (the services refuse both alike)."""
    exchange = api.search.get_return_page(rma).exchange
    return exchange.order_no if exchange is not None else "RO-999999"


# --------------------------------------------------------------------------- opening


def test_the_page_opens_from_the_list_by_double_click_and_enter_and_by_scan(qtbot, qapp, ctx, tasks, scan_clock,
                                                                          tmp_path, monkeypatch):
    monkeypatch.setenv("RETURNDESK_OUTPUT_DIR", str(tmp_path))
    world = build_world(ctx)
    rmas = [return_in(world, ReturnStatus.REQUESTED) for _ in range(3)]
    session = session_for(ctx)
    router = ScanRouter(clock=scan_clock)
    router.install(qapp)
    try:
        window = MainWindow(session.api_for(world.supervisor), tasks, world.supervisor, scan_router=router)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        screen = window.open_screen("returns")
        model = screen.model
        qtbot.waitUntil(lambda: model.rowCount() == 3 and not model.loading, timeout=WAIT)
        table = screen.table

        # Double-click on the second row.
        rect = table.visualRect(model.index(1, 0))
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.waitUntil(lambda: window.detail_dialog is not None, timeout=WAIT)
        dialog = window.detail_dialog
        page = dialog.page
        qtbot.waitUntil(lambda: page.page is not None and page.page.rma_no == model.summary(1).rma_no, timeout=WAIT)
        assert dialog.isVisible()
        assert page.header_pane.rma_label.text() == model.summary(1).rma_no
        assert page.lines_model.rowCount() == 2

        # Enter on the third row (the list's window in front again).
        window.activateWindow()
        table.setFocus()
        table.setCurrentIndex(model.index(2, 0))
        with qtbot.waitSignal(page.page_loaded, timeout=WAIT):
            QTest.keyClick(table, Qt.Key.Key_Return)
        assert page.page.rma_no == model.summary(2).rma_no

        # A scanned RMA label, the focus in the list (no scan field): its page.
        wanted = next(r for r in rmas if r not in (model.summary(1).rma_no, model.summary(2).rma_no))
        table.setFocus()
        with qtbot.waitSignal(page.page_loaded, timeout=WAIT):
            scan(table, wanted, scan_clock)
        assert page.page.rma_no == wanted
        assert page.header_pane.status_pill.text()
    finally:
        router.uninstall()


def test_the_approval_queue_opens_the_page_with_enter(qtbot, ctx, tasks, tmp_path, monkeypatch):
    monkeypatch.setenv("RETURNDESK_OUTPUT_DIR", str(tmp_path))
    world = build_world(ctx)
    rma = return_in(world, ReturnStatus.AWAITING_APPROVAL)
    session = session_for(ctx)
    window = MainWindow(session.api_for(world.supervisor2), tasks, world.supervisor2)
    qtbot.addWidget(window)
    window.show()
    screen = window.open_screen("approval")
    qtbot.waitUntil(lambda: screen.queue_model.rowCount() == 1, timeout=WAIT)
    screen.queue_table.setFocus()
    screen.queue_table.setCurrentIndex(screen.queue_model.index(0, 0))
    QTest.keyClick(screen.queue_table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.detail_dialog is not None and window.detail_dialog.page.page is not None,
                    timeout=WAIT)
    page = window.detail_dialog.page
    assert page.page.rma_no == rma
    # The second supervisor may approve (the first one's return, inspected by the inspector).
    assert page.buttons[ReturnAction.APPROVE].isEnabled()
    # The customer's returns, from the same read.
    assert "in all" in page.header_pane.facts.value_text("history")
    assert page.refund_pane.figures.value_text("total") == format_money(page.page.figures.total_minor)


# --------------------------------------------------------------------------- refusals


ROLES = ("clerk", "inspector", "supervisor", "manager", "finance", "admin")


@pytest.mark.both_databases("the verdicts read locks, limits and the lifecycle on both databases")
@pytest.mark.parametrize("status", list(ReturnStatus), ids=lambda s: s.value)
def test_every_action_is_refused_where_the_lifecycle_or_the_role_says_so(qtbot, ctx, tasks, tmp_path, status):
    world = build_world(ctx)
    rma = return_in(world, status)
    session = session_for(ctx)
    for role in ROLES:
        actor = getattr(world, role)
        page = page_for(qtbot, session, tasks, actor, rma, tmp_path)
        api = session.api_for(actor)
        rules = {action: (permission, (status, step) in TRANSITIONS)
                 for action, (permission, step) in RETURN_ACTIONS.items()}
        rules.update({action: (permission, status is REPLACEMENT_STATE)
                      for action, permission in REPLACEMENT_ACTIONS.items()})
        assert set(rules) == set(ReturnAction)
        for action, (permission, possible) in rules.items():
            button = page.buttons[action]
            verdict = page.page.verdict(action)
            assert button.isEnabled() == verdict.allowed, (role, action)
            must_refuse = not can(actor.role, permission) or not possible
            if not must_refuse:
                continue
            assert not verdict.allowed, (role, action)
            assert not button.isEnabled()
            assert ":" in button.toolTip()  # "{action} ({key}): why"
            # The services refuse on their own, and nothing changes.
            with pytest.raises(ReturnDeskError):
                service_call(api, action, rma)
            assert status_of(world, rma) == status.value, (role, action)
        page.close()


def test_segregation_of_duties_and_limits_are_said_on_the_page(qtbot, ctx, tasks, tmp_path):
    world = build_world(ctx)
    rma = return_in(world, ReturnStatus.AWAITING_APPROVAL)
    session = session_for(ctx)
    # The clerk created it: approving is refused for that reason (and for the level).
    page = page_for(qtbot, session, tasks, world.supervisor, rma, tmp_path)
    assert page.buttons[ReturnAction.APPROVE].isEnabled()
    inspector_page = page_for(qtbot, session, tasks, world.inspector, rma, tmp_path)
    assert not inspector_page.buttons[ReturnAction.APPROVE].isEnabled()
    assert "role" in inspector_page.buttons[ReturnAction.APPROVE].toolTip().lower()
    assert inspector_page.why_label.text()


# --------------------------------------------------------------------------- acting


def audit_actions(ctx, rma: str) -> list[str]:
    with ctx.db.read() as s:
        return list(s.execute(select(AuditEvent.action).where(AuditEvent.entity == "return",
                                                               AuditEvent.entity_id == rma)
                              .order_by(AuditEvent.seq)).scalars())


def in_process(ctx, rma: str) -> list[int]:
    with ctx.db.read() as s:
        return list(s.execute(
            select(SalesOrderLine.qty_in_process)
            .join(ReturnLine, ReturnLine.order_line_id == SalesOrderLine.id)
            .join(Return, Return.id == ReturnLine.return_id)
            .where(Return.rma_no == rma).order_by(ReturnLine.line_no)
        ).scalars())


def test_cancel_reject_reopen_and_close_from_the_page(qtbot, ctx, tasks, tmp_path):
    world = build_world(ctx)
    session = session_for(ctx)

    # Cancel, with the reason typed and the button clicked.
    cancelled = return_in(world, ReturnStatus.REQUESTED)
    page = page_for(qtbot, session, tasks, world.clerk, cancelled, tmp_path)
    qtbot.keyClicks(page.reason_edit, "Customer kept the goods")
    with qtbot.waitSignal(page.action_done, timeout=WAIT):
        qtbot.mouseClick(page.buttons[ReturnAction.CANCEL], Qt.MouseButton.LeftButton)
    assert status_of(world, cancelled) == "cancelled"
    assert in_process(ctx, cancelled) == [0, 0]
    qtbot.waitUntil(lambda: page.page.detail.status == "cancelled", timeout=WAIT)
    assert not page.buttons[ReturnAction.CANCEL].isEnabled()

    # Reject without a reason: refused by the services, nothing changes; then with one, by its key.
    rejected = return_in(world, ReturnStatus.REQUESTED)
    page = page_for(qtbot, session, tasks, world.clerk, rejected, tmp_path)
    with qtbot.waitSignal(page.action_refused, timeout=WAIT) as refused:
        qtbot.mouseClick(page.buttons[ReturnAction.REJECT], Qt.MouseButton.LeftButton)
    assert "reason" in refused.args[0]
    assert status_of(world, rejected) == "requested"
    qtbot.waitUntil(lambda: page.buttons[ReturnAction.REJECT].isEnabled(), timeout=WAIT)
    page.reason_edit.setText("Bought more than 30 days ago")
    page.activateWindow()
    page.reason_edit.setFocus()
    with qtbot.waitSignal(page.action_done, timeout=WAIT):
        QTest.keyClick(page.reason_edit, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert status_of(world, rejected) == "rejected"
    assert in_process(ctx, rejected) == [0, 0]

    # The clerk may not reopen it; a supervisor may, with a reason: it holds its goods again.
    qtbot.waitUntil(lambda: page.page.detail.status == "rejected", timeout=WAIT)
    assert not page.buttons[ReturnAction.REOPEN].isEnabled()
    supervisor_page = page_for(qtbot, session, tasks, world.supervisor, rejected, tmp_path)
    assert supervisor_page.buttons[ReturnAction.REOPEN].isEnabled()
    supervisor_page.reason_edit.setText("Rejected by mistake: the receipt shows 20 days")
    with qtbot.waitSignal(supervisor_page.action_done, timeout=WAIT):
        qtbot.mouseClick(supervisor_page.buttons[ReturnAction.REOPEN], Qt.MouseButton.LeftButton)
    assert status_of(world, rejected) == "requested"
    assert in_process(ctx, rejected) == [2, 1]
    assert audit_actions(ctx, rejected)[-2:] == ["reopen", "hold_quantity"]
    with ctx.db.read() as s:
        units = list(s.execute(select(ReturnLine.units_held).join(Return, Return.id == ReturnLine.return_id)
                               .where(Return.rma_no == rejected).order_by(ReturnLine.line_no)).scalars())
    assert units == ["0-1", "0"]

    # Close a refunded return.
    refunded = return_in(world, ReturnStatus.REFUNDED)
    page = page_for(qtbot, session, tasks, world.clerk, refunded, tmp_path)
    assert page.page.refund is not None and page.page.figures.total_minor == page.page.refund.amount_minor
    with qtbot.waitSignal(page.action_done, timeout=WAIT):
        qtbot.mouseClick(page.buttons[ReturnAction.CLOSE], Qt.MouseButton.LeftButton)
    assert status_of(world, refunded) == "closed"


def test_a_reopen_is_refused_when_another_return_took_the_goods(ctx):
    from returndesk.domain.errors import PolicyViolation
    from returndesk.services.usecases import intake, return_page

    from tests.integration.money_support import CONDITIONS, order_line_ids

    world = build_world(ctx)
    rejected = return_in(world, ReturnStatus.REJECTED)
    with ctx.db.read() as s:
        order_no = s.execute(
            select(Return.order_id).where(Return.rma_no == rejected)).scalar_one()
        from returndesk.store.schema import SalesOrder
        order_no = s.execute(select(SalesOrder.order_no).where(SalesOrder.id == order_no)).scalar_one()
    ids = order_line_ids(world, order_no)
    intake.create_return(world.ctx, world.clerk, intake.ReturnDraft(
        order_no=order_no, channel="remote", refund_method="original_payment",
        lines=(intake.DraftLine(order_line_id=ids["HM-4001"], quantity=1, reason_code="changed_mind",
                                conditions_met=CONDITIONS),)))
    with pytest.raises(PolicyViolation, match="line 2"):
        return_page.reopen_return(ctx, world.supervisor, rejected, "Rejected by mistake")
    assert status_of(world, rejected) == "rejected"


def test_a_document_is_reprinted_with_the_mark_and_logged(qtbot, ctx, tasks, tmp_path):
    world = build_world(ctx)
    rma = return_in(world, ReturnStatus.REFUNDED)
    session = session_for(ctx)
    page = page_for(qtbot, session, tasks, world.clerk, rma, tmp_path)
    receipt = next(r for r in range(page.documents_model.rowCount())
                   if page.documents_model.document(r).doc_type.value == "counter_receipt")
    page.documents_view.setCurrentIndex(page.documents_model.index(receipt, 0))

    def receipts_logged() -> int:
        return len([c for c in page.page.print_log if c.doc_type.value == "counter_receipt"])

    for copies_logged in (1, 2):
        with qtbot.waitSignal(page.document_printed, timeout=WAIT):
            page.print_selected()
        # The page reads its print log again after a print: the next print waits for that read.
        qtbot.waitUntil(lambda n=copies_logged: receipts_logged() == n, timeout=WAIT)
        # The page read again keeps the receipt chosen, so that Print prints it again.
        assert page.documents_model.document(page.documents_view.currentIndex().row()).doc_type.value \
            == "counter_receipt"
    copies = [c.copy_no for c in page.page.print_log if c.doc_type.value == "counter_receipt"]
    assert copies == [1, 2]
    assert any(p.name.endswith("-reprint1.pdf") for p in tmp_path.iterdir())
    assert page.print_log_model.rowCount() == 2


def test_the_new_models_pass_the_model_tester(qtbot, qtmodeltester, ctx, tasks, tmp_path):
    world = build_world(ctx)
    rma = return_in(world, ReturnStatus.REFUNDED)
    page = page_for(qtbot, session_for(ctx), tasks, world.clerk, rma, tmp_path)
    for model in (page.units_model, page.documents_model, page.print_log_model):
        assert isinstance(model, UnitsTableModel | DocumentsTableModel | PrintLogTableModel)
        qtmodeltester.check(model, force_py=True)
    assert page.units_model.rowCount() == 3
    assert page.units_model.index(0, UnitsTableModel.GRADE).data() == "A"
    assert page.documents_model.rowCount() >= 3
    assert QModelIndex().isValid() is False


def test_the_inspection_worklists_open_the_page_with_ctrl_d_and_keep_rma_scans(qtbot, qapp, ctx, tasks, scan_clock,
                                                                              tmp_path, monkeypatch):
    monkeypatch.setenv("RETURNDESK_OUTPUT_DIR", str(tmp_path))
    world = build_world(ctx)
    received = return_in(world, ReturnStatus.RECEIVED)
    other = return_in(world, ReturnStatus.AUTHORIZED)
    session = session_for(ctx)
    router = ScanRouter(clock=scan_clock)
    router.install(qapp)
    try:
        window = MainWindow(session.api_for(world.inspector), tasks, world.inspector, scan_router=router)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        screen = window.open_screen("inspection")
        qtbot.waitUntil(lambda: screen.queue_model.rowCount() == 1, timeout=WAIT)
        view = screen.queue_view
        view.setFocus()
        view.setCurrentIndex(screen.queue_model.index(0, 0))
        QTest.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: window.detail_dialog is not None and window.detail_dialog.page.page is not None,
                        timeout=WAIT)
        page = window.detail_dialog.page
        assert page.page.rma_no == received
        # The inspector may inspect it: the page's Inspect opens the station on it.
        assert page.buttons[ReturnAction.INSPECT].isEnabled()
        with qtbot.waitSignal(screen.return_opened, timeout=WAIT):
            qtbot.mouseClick(page.buttons[ReturnAction.INSPECT], Qt.MouseButton.LeftButton)
        assert window.current_screen_key() == "inspection"

        # At the station (its window in front), a scanned RMA label opens the return there, not the page.
        window.detail_dialog.hide()
        window.activateWindow()
        qtbot.waitUntil(lambda: qapp.activeWindow() is window, timeout=WAIT)
        view.setFocus()
        with qtbot.waitSignal(screen.return_opened, timeout=WAIT) as opened:
            scan(view, other, scan_clock)
        assert opened.args[0] == other
        assert page.page.rma_no == received
    finally:
        router.uninstall()


def test_the_counter_links_the_earlier_returns_of_a_sale_to_their_pages(qtbot, ctx, tasks, tmp_path, monkeypatch):
    monkeypatch.setenv("RETURNDESK_OUTPUT_DIR", str(tmp_path))
    world = build_world(ctx)
    earlier = return_in(world, ReturnStatus.REQUESTED)
    with ctx.db.read() as s:
        from returndesk.store.schema import SalesOrder

        order_no = s.execute(select(SalesOrder.order_no).join(Return, Return.order_id == SalesOrder.id)
                             .where(Return.rma_no == earlier)).scalar_one()
    session = session_for(ctx)
    window = MainWindow(session.api_for(world.clerk), tasks, world.clerk)
    qtbot.addWidget(window)
    window.show()
    screen = window.open_screen("counter")
    with qtbot.waitSignal(screen.sale_loaded, timeout=WAIT):
        screen.find_sale(order_no)
    label = screen.earlier_label
    qtbot.waitUntil(label.isVisible, timeout=WAIT)
    assert f'href="{earlier}"' in label.text()
    label.linkActivated.emit(earlier)  # what a click on the RMA (or Enter on it) does
    qtbot.waitUntil(lambda: window.detail_dialog is not None and window.detail_dialog.page.page is not None,
                    timeout=WAIT)
    assert window.detail_dialog.page.page.rma_no == earlier


def test_exchange_on_the_page_opens_the_exchange_dialog_on_that_return(qtbot, ctx, tasks, tmp_path):
    from returndesk.ui.dialogs.exchange import ExchangeDialog

    world = build_world(ctx)
    rma = return_in(world, ReturnStatus.APPROVED)
    session = session_for(ctx)
    page = page_for(qtbot, session, tasks, world.clerk, rma, tmp_path)
    button = page.buttons[ReturnAction.EXCHANGE]
    assert not button.isHidden()
    assert button.isEnabled() == page.page.verdict(ReturnAction.EXCHANGE).allowed
    assert button.isEnabled(), button.toolTip()
    with qtbot.waitSignal(page.exchange_requested, timeout=WAIT) as opened:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert opened.args == [rma]
    dialog = page.exchange_dialog
    assert isinstance(dialog, ExchangeDialog)
    qtbot.waitUntil(lambda: dialog.isVisible() and rma in dialog.windowTitle(), timeout=WAIT)
    dialog.close()


def _replacement(ctx, rma: str):
    from returndesk.store.schema import ReplacementOrder

    with ctx.db.read() as s:
        return s.execute(select(ReplacementOrder.status, ReplacementOrder.fulfilment)
                         .join(Return, Return.id == ReplacementOrder.return_id)
                         .where(Return.rma_no == rma)).one()


def test_an_exchange_is_handed_over_shipped_or_cancelled_from_the_page(qtbot, ctx, tasks, tmp_path):
    """An exchanged return whose replacement still holds reserved stock: Close is refused and says
    why; Hand over, Ship (its packing slip printed) and Cancel exchange (with a reason) move it on,
    after which it closes. Not for an inspector."""
    world = build_world(ctx)
    session = session_for(ctx)
    handed, shipped, cancelled = (return_in(world, ReturnStatus.EXCHANGED) for _ in range(3))

    inspector_page = page_for(qtbot, session, tasks, world.inspector, handed, tmp_path)
    assert not inspector_page.buttons[ReturnAction.HAND_OVER].isEnabled()
    assert "role" in inspector_page.buttons[ReturnAction.HAND_OVER].toolTip().lower()
    inspector_page.close()

    page = page_for(qtbot, session, tasks, world.clerk, handed, tmp_path)
    assert not page.buttons[ReturnAction.CLOSE].isEnabled()
    assert "reserved stock" in page.why_label.text()
    for action in (ReturnAction.HAND_OVER, ReturnAction.SHIP_REPLACEMENT, ReturnAction.CANCEL_EXCHANGE):
        assert page.buttons[action].isEnabled(), action
    with qtbot.waitSignal(page.action_done, timeout=WAIT):
        qtbot.mouseClick(page.buttons[ReturnAction.HAND_OVER], Qt.MouseButton.LeftButton)
    assert tuple(_replacement(ctx, handed)) == ("fulfilled", "counter")
    qtbot.waitUntil(lambda: page.page.exchange.status == "fulfilled", timeout=WAIT)
    assert not page.buttons[ReturnAction.HAND_OVER].isEnabled()
    assert "fulfilled already" in page.buttons[ReturnAction.HAND_OVER].toolTip()
    assert "fulfilled already" not in page.why_label.text()  # the replacement's state, not a problem
    with qtbot.waitSignal(page.action_done, timeout=WAIT):
        qtbot.mouseClick(page.buttons[ReturnAction.CLOSE], Qt.MouseButton.LeftButton)
    assert status_of(world, handed) == "closed"

    # Shipped by its key: the packing slip is printed with it and listed for a reprint.
    page = page_for(qtbot, session, tasks, world.clerk, shipped, tmp_path)
    page.activateWindow()
    page.reason_edit.setFocus()
    with qtbot.waitSignal(page.document_printed, timeout=WAIT) as printed:
        QTest.keyClick(page.reason_edit, Qt.Key.Key_S,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert tuple(_replacement(ctx, shipped)) == ("fulfilled", "ship")
    assert printed.args[0].endswith(".pdf") and "RO-" in printed.args[0]
    qtbot.waitUntil(lambda: any(d.doc_type.value == "packing_slip" and d.copies == 1
                                for d in page.page.documents), timeout=WAIT)

    # Cancelled: a reason is needed; the reserved goods are available again.
    page = page_for(qtbot, session, tasks, world.clerk, cancelled, tmp_path)
    with qtbot.waitSignal(page.action_refused, timeout=WAIT) as refused:
        qtbot.mouseClick(page.buttons[ReturnAction.CANCEL_EXCHANGE], Qt.MouseButton.LeftButton)
    assert "Write why" in refused.args[0]
    assert tuple(_replacement(ctx, cancelled))[0] == "reserved"
    qtbot.waitUntil(lambda: page.buttons[ReturnAction.CANCEL_EXCHANGE].isEnabled(), timeout=WAIT)
    page.reason_edit.setText("The customer no longer wants the goods")
    with qtbot.waitSignal(page.action_done, timeout=WAIT):
        qtbot.mouseClick(page.buttons[ReturnAction.CANCEL_EXCHANGE], Qt.MouseButton.LeftButton)
    assert tuple(_replacement(ctx, cancelled))[0] == "cancelled"
    assert audit_actions(ctx, cancelled)[-1] == "cancel_replacement"
    qtbot.waitUntil(lambda: page.buttons[ReturnAction.CLOSE].isEnabled(), timeout=WAIT)


def _collected(ctx, rma: str):
    from returndesk.store.schema import ReplacementOrder

    with ctx.db.read() as s:
        return s.execute(select(ReplacementOrder.collected_minor, ReplacementOrder.collected_method,
                                ReplacementOrder.cash_shift_id)
                         .join(Return, Return.id == ReplacementOrder.return_id)
                         .where(Return.rma_no == rma)).one()


@pytest.mark.parametrize("method", ["cash", "wechat_pay"])
def test_a_difference_owed_is_collected_from_the_page_and_the_replacement_handed_over(
        qtbot, ctx, tasks, tmp_path, method):
    """An exchange for dearer goods made through the API leaves the customer owing: Hand over is
    refused and points to Collect difference, which only an exchange role may use; the payment is
    taken by the method chosen (cash into the counter's open shift), then Hand over works."""
    from returndesk.services.usecases import cash, exchange

    world = build_world(ctx)
    shift = cash.open_shift(ctx, world.clerk, 10000)
    rma = return_in(world, ReturnStatus.APPROVED)
    ordered = exchange.create_exchange(ctx, world.clerk, rma, [("SH-3001", 1)])
    owed = ordered.to_collect_minor
    assert owed > 0
    session = session_for(ctx)

    inspector_page = page_for(qtbot, session, tasks, world.inspector, rma, tmp_path)
    collect = inspector_page.buttons[ReturnAction.COLLECT_DIFFERENCE]
    assert collect.isVisibleTo(inspector_page) and not collect.isEnabled()
    assert "role" in collect.toolTip().lower()
    inspector_page.close()

    page = page_for(qtbot, session, tasks, world.clerk, rma, tmp_path)
    collect = page.buttons[ReturnAction.COLLECT_DIFFERENCE]
    assert collect.isVisible() and collect.isEnabled()
    assert format_money(owed, "CNY") in collect.text()
    assert page.actions_pane.collect_combo.isVisible()
    with qtbot.waitSignal(page.action_refused, timeout=WAIT) as refused:
        page.perform(ReturnAction.HAND_OVER)
    assert "Collect difference" in refused.args[0]
    assert tuple(_replacement(ctx, rma))[0] == "reserved"

    qtbot.waitUntil(lambda: page.buttons[ReturnAction.COLLECT_DIFFERENCE].isEnabled(), timeout=WAIT)
    combo = page.actions_pane.collect_combo
    combo.setCurrentIndex(combo.findData(method))
    page.activateWindow()
    page.reason_edit.setFocus()
    with qtbot.waitSignal(page.action_done, timeout=WAIT):  # by its key
        QTest.keyClick(page.reason_edit, Qt.Key.Key_M,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert tuple(_collected(ctx, rma)) == (owed, method, shift.id if method == "cash" else None)
    assert "collect_difference" in audit_actions(ctx, rma)
    qtbot.waitUntil(lambda: not page.buttons[ReturnAction.COLLECT_DIFFERENCE].isVisible(), timeout=WAIT)
    assert page.buttons[ReturnAction.HAND_OVER].isEnabled()
    with qtbot.waitSignal(page.action_done, timeout=WAIT):
        qtbot.mouseClick(page.buttons[ReturnAction.HAND_OVER], Qt.MouseButton.LeftButton)
    assert tuple(_replacement(ctx, rma)) == ("fulfilled", "counter")


def _actions_recorded_on_returns() -> set[str]:
    """Every action the services write to the audit trail of a return: the lifecycle's steps and
    those recorded by name (``audit.record(s, ctx, actor, "return", rma, "<action>", …)``)."""
    import ast
    import pathlib

    import returndesk.services
    from returndesk.domain.lifecycle import Action

    found = {action.value for action in Action} | {"create"}
    for path in pathlib.Path(returndesk.services.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "record" and len(node.args) >= 6
                    and isinstance(node.args[3], ast.Constant) and node.args[3].value == "return"
                    and isinstance(node.args[5], ast.Constant)):
                found.add(node.args[5].value)
    return found


def test_every_step_recorded_on_a_return_has_a_name_in_the_timeline_in_both_languages(qapp, chinese_station):
    from returndesk.ui.screens.approval.models import _ACTIONS, action_name

    recorded = _actions_recorded_on_returns()
    assert {"replacement_to_ship", "collect_difference", "signed_off", "unit_recorded"} <= recorded
    assert sorted(recorded - _ACTIONS.keys()) == []
    assert sorted(a for a in recorded if action_name(a) == _ACTIONS[a]) == []  # each one in Chinese
