"""The counter's exchange and the supervisor's sign-off driven like a clerk (keys, scans, clicks) on
both databases, outcomes checked in the rows: the customer paying the difference, the shop refunding
it, the customer changing their mind, a supervisor signing off on the clerk's screen (and being
refused: wrong password, the clerk's own name, a limit too low) and an override signed by badge."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from returndesk.domain.types import RefundMethod, Resolution, ReturnStatus
from returndesk.services.usecases import auth
from returndesk.store.schema import Approval, AuditEvent, Refund, ReplacementOrder, Return, ReturnLine, User
from returndesk.ui.tasks import TaskRunner
from tests.integration.factories import PASSWORD, build_world, make_order
from tests.ui.counter_support import CONDITIONS, counter_screen, session_for

pytestmark = pytest.mark.both_databases(
    "money at the counter: the difference collected or refunded and the approval in one transaction")

WAIT_MS = 10_000
ENTER = Qt.Key.Key_Return
CTRL = Qt.KeyboardModifier.ControlModifier
SHOES_EAN = "6901234567922"
MUG_EAN = "6901234567939"


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
def make_screen(qtbot, ctx, runner, tmp_path):
    services = session_for(ctx)

    def make(actor):
        screen = counter_screen(services, runner, actor, tmp_path / "printed")
        qtbot.addWidget(screen)
        screen.show()
        qtbot.waitExposed(screen)
        return screen

    return make


def take_walk_in(qtbot, screen, order_no, *, reason="wrong_size", resolution=Resolution.EXCHANGE,
                 method=RefundMethod.CASH):
    """Find the sale by keyboard, put its first line on the return, and take it (Ctrl+Enter)."""
    screen.search_edit.setFocus()
    qtbot.keyClicks(screen.search_edit, order_no)
    with qtbot.waitSignal(screen.sale_loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen.search_edit, ENTER)
    screen.options.set_refund_method(method)
    screen.lines_model.update_entry(0, quantity=1, reason_code=reason, resolution=resolution, conditions=CONDITIONS)
    qtbot.waitUntil(screen.submit_button.isEnabled, timeout=WAIT_MS)
    with qtbot.waitSignal(screen.return_submitted, timeout=WAIT_MS) as submitted:
        qtbot.keyClick(screen.line_editor.quantity_spin, ENTER, CTRL)
    return submitted.args[0]


def open_exchange_by_key(qtbot, screen):
    with qtbot.waitSignal(screen.exchange_opened, timeout=WAIT_MS) as opened:
        qtbot.keyClick(screen.result_panel.exchange_button, Qt.Key.Key_F7)
    dialog = opened.args[0]
    qtbot.waitUntil(lambda: dialog._case is not None, timeout=WAIT_MS)
    return dialog


def scan_into(qtbot, dialog, code):
    """A scan while the dialog is open (the scanner router hands it to the modal dialog)."""
    with qtbot.waitSignal(dialog.products_found, timeout=WAIT_MS):
        assert dialog.accept_scan(code)


def test_counter_exchange_with_the_customer_paying_the_difference(qtbot, ctx, world, make_screen):
    order_no = make_order(world, [("AP-2001", 1)], channel="store", days_ago=2)
    screen = make_screen(world.clerk)
    result = take_walk_in(qtbot, screen, order_no)
    assert result.exchange_wanted and result.stage == ReturnStatus.APPROVED.value
    panel = screen.result_panel
    assert panel.exchange_button.isVisible() and not panel.sign_off_button.isVisible()
    assert panel.headline_label.text() == "Approved for an exchange worth ¥79.00"

    dialog = open_exchange_by_key(qtbot, screen)
    assert dialog.credit_label.text() == "Credit from the returned goods: ¥79.00"
    assert "asks for an exchange" in dialog.returned_label.text()
    scan_into(qtbot, dialog, SHOES_EAN)  # the running shoes, added at once
    assert dialog.picks() == [("SH-3001", 1)]
    assert dialog.difference_label.text() == "The customer pays ¥520.00"
    assert dialog.collect_combo.isVisibleTo(dialog) and not dialog.refund_combo.isVisibleTo(dialog)
    dialog.collect_combo.setCurrentIndex(dialog.collect_combo.findData("wechat_pay"))
    assert dialog.confirm_button.text().startswith("Take ¥520.00 and exchange")

    with qtbot.waitSignal(screen.exchange_done, timeout=WAIT_MS) as done:
        qtbot.keyClick(dialog.picks_view, ENTER, CTRL)
    exchanged = done.args[0]
    assert dialog.pages.currentWidget() is dialog.result_page
    assert "The customer paid ¥520.00 by WeChat Pay." in dialog.result_label.text()
    assert not dialog.print_slip_button.isVisible()  # handed over now: no packing slip
    assert panel.headline_label.text() == f"Exchanged: {exchanged.replacement.order_no}"
    with ctx.db.read() as s:
        order = s.execute(select(ReplacementOrder)).scalar_one()
        assert (order.status, order.fulfilment, order.difference_minor) == ("fulfilled", "counter", 52000)
        assert (order.collected_minor, order.collected_method, order.collected_by) == (
            52000, "wechat_pay", world.clerk.user_id)
        assert s.execute(select(Return.status)).scalar_one() == "exchanged"
        assert s.execute(select(func.count()).select_from(Refund)).scalar_one() == 0


def test_counter_exchange_where_the_shop_refunds_the_difference_and_ships_with_a_packing_slip(
        qtbot, ctx, world, make_screen, tmp_path):
    order_no = make_order(world, [("HM-4001", 1)], channel="store", days_ago=2)
    screen = make_screen(world.clerk)
    take_walk_in(qtbot, screen, order_no, reason="changed_mind")
    dialog = open_exchange_by_key(qtbot, screen)
    # Search by name, Enter on the found product adds it; two of them, then one taken off again.
    dialog.search_edit.setFocus()
    qtbot.keyClicks(dialog.search_edit, "t-shirt")
    with qtbot.waitSignal(dialog.products_found, timeout=WAIT_MS):
        qtbot.keyClick(dialog.search_edit, ENTER)
    assert QApplication.focusWidget() is dialog.choices_view
    qtbot.keyClick(dialog.choices_view, ENTER)
    assert dialog.picks() == [("AP-2001", 1)]
    # The T-shirt (79.00) for the mug (49.00): the customer pays 30.00 — take a cheaper pick instead.
    assert dialog.difference_label.text() == "The customer pays ¥30.00"
    dialog.picks_view.setFocus()
    dialog.picks_view.selectRow(0)
    qtbot.keyClick(dialog.picks_view, Qt.Key.Key_Delete)
    assert dialog.picks() == []
    assert not dialog.confirm_button.isEnabled()
    with ctx.db.write() as s:
        from returndesk.store.schema import Product
        s.get(Product, world.products["AP-2001"]).price_minor = 3900  # on sale now
    scan_into(qtbot, dialog, "AP-2001")
    assert dialog.picks() == [("AP-2001", 1)]
    assert dialog.difference_label.text() == "The shop refunds ¥10.00"
    assert dialog.refund_combo.isVisibleTo(dialog) and not dialog.collect_combo.isVisibleTo(dialog)
    dialog.refund_combo.setCurrentIndex(dialog.refund_combo.findData("store_credit"))
    dialog.ship_radio.click()
    with qtbot.waitSignal(dialog.exchanged, timeout=WAIT_MS):
        dialog.confirm_button.click()
    assert dialog.print_slip_button.isVisible()
    with qtbot.waitSignal(dialog.document_printed, timeout=WAIT_MS) as printed:
        qtbot.keyClick(dialog.print_slip_button, Qt.Key.Key_P, CTRL)
    assert printed.args[0].endswith(".pdf") and "packing_slip-RO-" in printed.args[0]
    with ctx.db.read() as s:
        order = s.execute(select(ReplacementOrder)).scalar_one()
        assert (order.status, order.fulfilment, order.difference_minor, order.collected_minor) == (
            "reserved", "ship", -1000, None)
        refund = s.execute(select(Refund)).scalar_one()
        assert (refund.amount_minor, refund.method) == (1000, "store_credit")


def test_a_refund_is_refused_on_an_exchange_line_until_the_customer_changes_their_mind(
        qtbot, ctx, world, make_screen):
    order_no = make_order(world, [("AP-2001", 1)], channel="store", days_ago=2)
    screen = make_screen(world.clerk)
    result = take_walk_in(qtbot, screen, order_no)
    rma = result.detail.rma_no
    api = screen._api
    from returndesk.domain.errors import PolicyViolation
    with pytest.raises(PolicyViolation, match="the customer asked for an exchange on line 1"):
        api.refunds.issue_refund(rma)

    dialog = open_exchange_by_key(qtbot, screen)
    assert dialog.changed_mind_button.isVisible()
    dialog.changed_mind_button.click()  # the first press asks to confirm
    assert dialog.changed_mind_button.text() == "Press again to confirm: refund instead of exchange"
    with qtbot.waitSignal(screen.return_submitted, timeout=WAIT_MS) as refunded:
        dialog.changed_mind_button.click()
    outcome = refunded.args[0]
    assert outcome.refunded and screen.result_panel.headline_label.text() == "Refunded ¥79.00 by cash"
    with ctx.db.read() as s:
        line = s.execute(select(ReturnLine)).scalar_one()
        assert (line.resolution, line.changed_mind_by) == ("refund", world.clerk.user_id)
        assert line.changed_mind_at is not None
        assert s.execute(select(Refund.amount_minor)).scalar_one() == 7900
        assert s.execute(select(AuditEvent.username).where(AuditEvent.action == "changed_mind")).scalar_one() == "clerk"


def sign_off_dialog(qtbot, screen, start):
    with qtbot.waitSignal(screen.sign_off_requested, timeout=WAIT_MS) as requested:
        start()
    dialog = requested.args[0]
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    return dialog


def type_credentials(qtbot, dialog, username, password):
    dialog.username_edit.clear()
    qtbot.keyClicks(dialog.username_edit, username)
    qtbot.keyClick(dialog.username_edit, ENTER)
    assert QApplication.focusWidget() is dialog.password_edit
    qtbot.keyClicks(dialog.password_edit, password)


def test_supervisor_signs_off_at_the_counter_after_refusals(qtbot, ctx, world, make_screen):
    order_no = make_order(world, [("SH-3001", 1)], channel="store", days_ago=2)
    screen = make_screen(world.clerk)
    result = take_walk_in(qtbot, screen, order_no, reason="changed_mind", resolution=Resolution.REFUND)
    assert result.stage == ReturnStatus.AWAITING_APPROVAL.value
    assert screen.result_panel.sign_off_button.isVisible()
    dialog = sign_off_dialog(qtbot, screen, lambda: qtbot.keyClick(screen.result_panel.sign_off_button,
                                                                   Qt.Key.Key_F9))
    assert "Refund of ¥599.00" in dialog.what_label.text()

    refusals = [
        ("supervisor", "wrong password", "Wrong user name or password. 4 attempts left"),
        ("clerk", PASSWORD, "You cannot sign off your own return"),
    ]
    auth.change_user(ctx, None, "supervisor2", approval_limit_minor=30000)
    refusals.append(("supervisor2", PASSWORD, "above your approval limit of ¥300.00"))
    for username, password, words in refusals:
        type_credentials(qtbot, dialog, username, password)
        with qtbot.waitSignal(dialog.refused, timeout=WAIT_MS) as refused:
            qtbot.keyClick(dialog.password_edit, ENTER)
        assert words in refused.args[0] and words in dialog.problem_label.text()
        assert dialog.isVisible() and dialog.password_edit.text() == ""
    with ctx.db.read() as s:
        assert s.execute(select(User.failed_attempts).where(User.username == "supervisor")).scalar_one() == 1
        assert s.execute(select(func.count()).select_from(Approval)).scalar_one() == 0
        assert s.execute(select(Return.status)).scalar_one() == "awaiting_approval"

    type_credentials(qtbot, dialog, "supervisor", PASSWORD)
    with qtbot.waitSignal(screen.return_submitted, timeout=WAIT_MS) as submitted:
        qtbot.keyClick(dialog.password_edit, ENTER)
    assert submitted.args[0].refunded
    assert screen.result_panel.headline_label.text() == "Refunded ¥599.00 by cash"
    with ctx.db.read() as s:
        approval = s.execute(select(Approval)).scalar_one()
        assert (approval.decision, approval.decided_by) == ("approved", world.supervisor.user_id)
        # Above the clerk's cash limit: the supervisor who signed off paid it out.
        assert s.execute(select(Refund.issued_by)).scalar_one() == world.supervisor.user_id
        assert s.execute(select(User.failed_attempts).where(User.username == "supervisor")).scalar_one() == 0


def test_an_override_at_the_counter_is_signed_with_a_badge_scan(qtbot, ctx, world, make_screen):
    auth.set_badge(ctx, world.admin, "supervisor", "SUP-BADGE-42")
    order_no = make_order(world, [("AP-2001", 1)], channel="store", days_ago=45)
    screen = make_screen(world.clerk)
    screen.search_edit.setFocus()
    qtbot.keyClicks(screen.search_edit, order_no)
    with qtbot.waitSignal(screen.sale_loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen.search_edit, ENTER)
    screen.lines_model.update_entry(0, quantity=1, reason_code="changed_mind", conditions=CONDITIONS)
    override = screen.options.override_edit
    qtbot.waitUntil(lambda: override.isVisibleTo(screen), timeout=WAIT_MS)
    assert "a supervisor signs off on this screen" in screen.options.override_hint_label.text()
    qtbot.keyClicks(override, "Gift, receipt came late")
    qtbot.waitUntil(screen.submit_button.isEnabled, timeout=WAIT_MS)
    dialog = sign_off_dialog(qtbot, screen, lambda: qtbot.keyClick(override, ENTER, CTRL))
    assert "Gift, receipt came late" in dialog.what_label.text()
    with qtbot.waitSignal(dialog.refused, timeout=WAIT_MS) as refused:
        assert dialog.accept_scan("NOT-A-BADGE")
    assert "This badge is not known" in refused.args[0]
    with qtbot.waitSignal(screen.return_submitted, timeout=WAIT_MS) as submitted:
        assert dialog.accept_scan("SUP-BADGE-42")
    assert submitted.args[0].refunded
    with ctx.db.read() as s:
        ret = s.execute(select(Return)).scalar_one()
        assert (ret.in_policy, ret.override_reason, ret.override_by, ret.created_by) == (
            False, "Gift, receipt came late", world.supervisor.user_id, world.clerk.user_id)
        assert set(s.execute(select(Approval.decided_by)).scalars()) == {world.supervisor.user_id}


def test_a_blind_return_at_the_counter(qtbot, ctx, world, make_screen):
    make_order(world, [("SH-3001", 1, 3900)], channel="store", days_ago=8)  # sold at 560.00
    screen = make_screen(world.clerk)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow, timeout=WAIT_MS)
    screen.search_edit.setFocus()
    assert screen.no_receipt_button.text() == "No receipt (F6)"
    with qtbot.waitSignal(screen.blind_opened, timeout=WAIT_MS) as opened:
        qtbot.keyClick(screen.search_edit, Qt.Key.Key_F6)
    dialog = opened.args[0]
    qtbot.waitUntil(lambda: dialog.reason_combo.count() > 0, timeout=WAIT_MS)
    assert not dialog.take_button.isEnabled()
    with qtbot.waitSignal(dialog.quoted, timeout=WAIT_MS) as quoted:
        assert dialog.accept_scan(SHOES_EAN)  # the item scanned
    quote = quoted.args[0]
    assert (quote.sku, quote.unit_price_minor, quote.days) == ("SH-3001", 56000, 90)
    assert "the lowest price of the last 90 days" in dialog.quote_label.text()
    assert dialog.total_label.text() == "Store credit: ¥560.00"
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData("changed_mind"))
    for _code, box in dialog.condition_boxes:
        box.setChecked(True)
    dialog.phone_edit.setFocus()
    with qtbot.waitSignal(dialog.quoted, timeout=WAIT_MS) as quoted:
        qtbot.keyClicks(dialog.phone_edit, "13900139000")
    assert quoted.args[0].customer_name == "Anna Smith" and dialog.name_edit.text() == "Anna Smith"
    qtbot.waitUntil(dialog.take_button.isEnabled, timeout=WAIT_MS)

    with qtbot.waitSignal(dialog.sign_off_requested, timeout=WAIT_MS) as requested:
        qtbot.keyClick(dialog.phone_edit, ENTER, CTRL)
    sign = requested.args[0]
    assert "store credit ¥560.00" in sign.what_label.text()
    with qtbot.waitSignal(sign.refused, timeout=WAIT_MS) as refused:
        sign.username_edit.setText("clerk")
        sign.password_edit.setText(PASSWORD)
        sign.sign()
    assert "cannot sign off your own return" in refused.args[0]
    with qtbot.waitSignal(screen.return_submitted, timeout=WAIT_MS) as submitted:
        sign.username_edit.setText("supervisor")
        sign.password_edit.setText(PASSWORD)
        sign.sign()
    result = submitted.args[0]
    assert result.refunded and screen.result_panel.headline_label.text() == "Refunded ¥560.00 by store credit"
    with ctx.db.read() as s:
        from returndesk.store.schema import SalesOrder
        ret = s.execute(select(Return)).scalar_one()
        assert (ret.refund_method, ret.override_by, ret.customer_id) == (
            "store_credit", world.supervisor.user_id, world.customer2_id)
        assert s.get(SalesOrder, ret.order_id).channel == "no_receipt"
        assert s.execute(select(Refund.amount_minor)).scalar_one() == 56000


def test_the_exchange_window_of_an_exchanged_return_collects_what_is_owed_and_hands_over(
        qtbot, ctx, world, runner):
    from returndesk.services.usecases import exchange
    from returndesk.ui.dialogs.exchange import open_exchange
    from tests.integration.money_support import LineSpec, approved

    rma = approved(world, [LineSpec("AP-2001", 1, reason="wrong_size")])
    exchange.create_exchange(ctx, world.clerk2, rma, [("SH-3001", 1)])  # made without the customer
    api = session_for(ctx).api_for(world.clerk)
    dialog = open_exchange(None, api, rma, tasks=runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog._case is not None, timeout=WAIT_MS)
    assert "The customer still owes ¥520.00." in dialog.replacement_label.text()
    assert not dialog.problem_label.isVisible() and not dialog.confirm_button.isEnabled()
    dialog.collect_now_combo.setCurrentIndex(dialog.collect_now_combo.findData("alipay"))
    with qtbot.waitSignal(dialog.replacement_changed, timeout=WAIT_MS):
        dialog.collect_now_button.click()
    qtbot.waitUntil(lambda: not dialog.collect_now_button.isVisible(), timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.replacement_changed, timeout=WAIT_MS):
        dialog.fulfil_button.click()
    qtbot.waitUntil(lambda: "handed over" in dialog.replacement_label.text(), timeout=WAIT_MS)
    with ctx.db.read() as s:
        order = s.execute(select(ReplacementOrder)).scalar_one()
        assert (order.status, order.collected_minor, order.collected_method) == ("fulfilled", 52000, "alipay")
