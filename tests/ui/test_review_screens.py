"""Customer service's review queue and the "to pay" worklist, driven like their users.

A web-shop request (made through the integration service with a real API key) and a phone request
are reviewed and authorized from the queue by keyboard; a request is declined with a reason from
the list; a question to the customer puts a request on hold until the customer answers on the
status lookup (or customer service records the answer), and it comes back to the queue. An
automatically approved remote return is paid from the "to pay" worklist with its documents.
Outcomes are checked in the database (status, questions, refunds, credit notes, journal, audit
and webhook outbox), not only on screen.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from returndesk.domain.types import DocumentType, RefundMethod
from returndesk.services.usecases import integration, intake, sessions
from returndesk.store.schema import (
    AuditEvent,
    CreditNote,
    JournalEntry,
    OutboxEvent,
    Refund,
    Return,
    ReturnQuestion,
    SalesOrderLine,
)
from returndesk.ui.navigation import entries_for
from returndesk.ui.screens.review.models import ReviewLinesTableModel, ReviewQueueTableModel
from returndesk.ui.screens.review.screen import ReviewScreen
from returndesk.ui.screens.to_pay.models import ToPayTableModel
from returndesk.ui.screens.to_pay.screen import ToPayScreen
from returndesk.ui.tasks import TaskRunner
from tests.integration.factories import build_world, make_order
from tests.integration.money_support import CONDITIONS, LineSpec, order_line_ids, receive_and_inspect, take_return
from tests.ui.counter_support import session_for
from tests.ui.test_approval_screen import RecordingPrinter

pytestmark = pytest.mark.both_databases(
    "the queues page by keyset over timestamps, and the decisions write the new state and money")

WAIT_MS = 20_000
CTRL = Qt.KeyboardModifier.ControlModifier


# --------------------------------------------------------------------------- helpers


def web_shop_request(world, order_no: str, sku: str = "AP-2001") -> str:
    """A return request as the web shop sends it: through its API key's user."""
    key = sessions.create_api_key(world.ctx, world.admin, f"Web shop {order_no}", ["returns:create", "returns:read"])
    client = sessions.resolve_api_key(world.ctx, key.secret)
    detail = integration.request_return(world.ctx, client.actor, integration.ShopReturnRequest(
        order_no=order_no, notes="Colour is not as on the photos",
        lines=(integration.ShopReturnLine(quantity=1, reason="changed_mind", sku=sku),)))
    assert detail.status == "requested"
    return detail.rma_no


def phone_request(world, order_no: str, sku: str = "AP-2001") -> str:
    """A return request the counter took by phone (remote, left requested)."""
    ids = order_line_ids(world, order_no)
    draft = intake.ReturnDraft(order_no=order_no, channel="remote", refund_method="original_payment",
                               lines=(intake.DraftLine(order_line_id=ids[sku], quantity=1,
                                                       reason_code="wrong_size", conditions_met=CONDITIONS),))
    return intake.create_return(world.ctx, world.clerk, draft).rma_no


def status_of(ctx, rma: str) -> str:
    with ctx.db.read() as s:
        return s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one()


def audit_of(ctx, rma: str) -> list[tuple[str, dict]]:
    with ctx.db.read() as s:
        rows = s.execute(select(AuditEvent.action, AuditEvent.after_json)
                         .where(AuditEvent.entity == "return", AuditEvent.entity_id == rma)
                         .order_by(AuditEvent.seq)).all()
    return [(action, json.loads(after) if after else {}) for action, after in rows]


def click_row(qtbot, screen, rma: str) -> None:
    model = screen.queue_model
    index = model.index(model.row_of(rma), 1)
    assert index.isValid(), f"{rma} is not in the list"
    with qtbot.waitSignal(screen.case_loaded, timeout=WAIT_MS, check_params_cb=lambda r: r == rma):
        qtbot.mouseClick(screen.queue_table.viewport(), Qt.MouseButton.LeftButton,
                         pos=screen.queue_table.visualRect(index).center())


@pytest.fixture
def world(ctx):
    return build_world(ctx)


@pytest.fixture
def services(ctx):
    return session_for(ctx)


@pytest.fixture
def tasks(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle(WAIT_MS)
    runner.shutdown(WAIT_MS)


@pytest.fixture
def printer():
    return RecordingPrinter()


@pytest.fixture
def open_review(qtbot, tasks, services, world, printer):
    def open_(actor=None, *, expect_case: bool = True) -> ReviewScreen:
        actor = actor or world.clerk
        screen = ReviewScreen(services.api_for(actor), tasks, actor, printer=printer, print_service=None)
        qtbot.addWidget(screen)
        screen.resize(1300, 860)
        with qtbot.waitSignal(screen.case_loaded if expect_case else screen.queue_loaded, timeout=WAIT_MS):
            screen.show()
        qtbot.waitExposed(screen)
        screen.activateWindow()
        return screen

    return open_


# --------------------------------------------------------------------------- the review queue


def test_a_web_shop_request_is_reviewed_and_authorized_from_the_queue(qtbot, ctx, clock, world, open_review,
                                                                      printer):
    phone = phone_request(world, make_order(world, [("AP-2001", 1)]))
    clock.advance(minutes=20)
    shop = web_shop_request(world, make_order(world, [("AP-2001", 1)]))

    screen = open_review()
    model = screen.queue_model
    assert model.rma_numbers() == [phone, shop]  # the oldest request first
    assert screen.current_case().rma_no == phone
    assert model.index(0, model.SOURCE).data() == "Phone or online"
    assert model.index(1, model.SOURCE).data() == "Web shop"
    assert model.index(0, model.AGE).data() == "20 min"
    assert model.index(1, model.POLICY).data() == "✓"
    # The counts are a read of their own, which may end after the first case is shown.
    qtbot.waitUntil(lambda: screen.view_tabs.tabText(0) == "To review (2)", timeout=WAIT_MS)

    click_row(qtbot, screen, shop)
    case = screen.current_case()
    assert case.web_shop and case.state.can_authorize
    assert screen.case_pane.source_label.text() == "from the web shop"
    assert screen.lines_model.index(0, ReviewLinesTableModel.POLICY).data() == "✓"
    assert screen.case_pane.notes_label.text() == "Customer's note: Colour is not as on the photos"
    assert not screen.print_label_button.isVisible()  # the shop sends its label itself

    # A double click only chooses a request: nothing is decided by it.
    index = model.index(model.row_of(shop), 1)
    qtbot.mouseDClick(screen.queue_table.viewport(), Qt.MouseButton.LeftButton,
                      pos=screen.queue_table.visualRect(index).center())
    assert "Saving" not in screen.message_label.text() and status_of(ctx, shop) == "requested"

    # Enter in the queue authorizes the request shown.
    screen.queue_table.setFocus()
    with qtbot.waitSignal(screen.request_authorized, timeout=WAIT_MS, check_params_cb=lambda r: r == shop):
        qtbot.keyClick(screen.queue_table, Qt.Key.Key_Return)
    assert status_of(ctx, shop) == "authorized"
    with ctx.db.read() as s:
        sent = s.execute(select(Return.label_sent_at).where(Return.rma_no == shop)).scalar_one()
        events = set(s.execute(select(OutboxEvent.event_type).where(OutboxEvent.subject == shop)).scalars())
    assert sent is not None
    assert "return.authorize" in events  # the webhook fires as for any authorization
    assert [a for a, _ in audit_of(ctx, shop)][-2:] == ["authorize", "label_sent"]
    status = integration.customer_return_status(ctx, shop, "13800138000")
    assert status.status == "authorized" and status.label_sent_at is not None and status.receive_by
    assert printer.printed == []  # nothing printed for the web shop's request
    assert "sent to the web shop" in screen.message_label.text()

    # The phone request is next: authorized, its label printed through the printing path.
    qtbot.waitUntil(lambda: model.rma_numbers() == [phone] and screen.current_rma() == phone, timeout=WAIT_MS)
    with qtbot.waitSignal(screen.document_printed, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_Return, CTRL)
    assert status_of(ctx, phone) == "authorized"
    assert printer.printed == [(DocumentType.RETURN_LABEL, phone, "en")]
    qtbot.waitUntil(lambda: model.rowCount() == 0 and screen.queue_status_label.text() == "No request waits for "
                    "review.", timeout=WAIT_MS)
    # The request decided last stays in view for a reprint of its label.
    qtbot.waitUntil(lambda: screen.current_rma() == phone and screen.print_label_button.isEnabled(), timeout=WAIT_MS)


def test_a_web_shop_request_outside_the_policy_is_authorized_by_a_supervisor_with_a_written_reason(
        qtbot, ctx, world, open_review):
    """Sent after the return window: the clerk's override field and Authorize are disabled and the
    request stays requested; the supervisor is first asked for a reason, then types it and
    authorizes with Enter in the field, the override recorded on the return."""
    rma = web_shop_request(world, make_order(world, [("AP-2001", 1)], days_ago=60))

    clerk_screen = open_review(world.clerk)
    assert clerk_screen.current_case().state.needs_override
    assert clerk_screen.override_edit.isVisible() and not clerk_screen.override_edit.isEnabled()
    assert not clerk_screen.authorize_button.isEnabled()
    clerk_screen.authorize_button.click()
    assert status_of(ctx, rma) == "requested"
    clerk_screen.close()

    screen = open_review(world.supervisor)
    assert screen.current_rma() == rma
    qtbot.waitUntil(lambda: screen.override_edit.isEnabled() and screen.authorize_button.isEnabled(),
                    timeout=WAIT_MS)
    qtbot.mouseClick(screen.authorize_button, Qt.MouseButton.LeftButton)  # no reason written yet
    assert "write why it is accepted" in screen.message_label.text()
    assert status_of(ctx, rma) == "requested"
    screen.override_edit.setFocus()
    qtbot.keyClicks(screen.override_edit, "Loyal customer, goods unopened")
    with qtbot.waitSignal(screen.request_authorized, timeout=WAIT_MS, check_params_cb=lambda r: r == rma):
        qtbot.keyClick(screen.override_edit, Qt.Key.Key_Return)
    with ctx.db.read() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        assert (ret.status, ret.in_policy, ret.override_reason, ret.override_by) == (
            "authorized", False, "Loyal customer, goods unopened", world.supervisor.user_id)
    assert "override_policy" in [action for action, _ in audit_of(ctx, rma)]


def test_a_request_is_declined_with_a_reason_from_the_list(qtbot, ctx, world, open_review):
    order_no = make_order(world, [("AP-2001", 1)])
    rma = web_shop_request(world, order_no)
    screen = open_review()
    assert screen.current_rma() == rma

    # "Other" needs words: refused on screen, nothing saved.
    screen.reject_combo.setCurrentIndex(screen.reject_combo.findData("other"))
    with qtbot.waitSignal(screen.action_refused, timeout=WAIT_MS):
        screen.reject()
    assert status_of(ctx, rma) == "requested"

    screen.reject_combo.setCurrentIndex(screen.reject_combo.findData("used_or_damaged"))
    qtbot.keyClicks(screen.reject_edit, "Photos show wear on the collar")
    with qtbot.waitSignal(screen.request_rejected, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_R, CTRL)
    assert status_of(ctx, rma) == "rejected"
    reject = next(after for action, after in audit_of(ctx, rma) if action == "reject")
    assert reject["reason"] == "The item was used or damaged by the customer: Photos show wear on the collar"
    assert reject["reason_code"] == "used_or_damaged"
    with ctx.db.read() as s:
        assert s.execute(select(SalesOrderLine.qty_in_process)).scalars().all() == [0]  # freed
    qtbot.waitUntil(lambda: screen.queue_model.rowCount() == 0, timeout=WAIT_MS)


def test_asking_the_customer_holds_the_request_until_the_answer_brings_it_back(qtbot, ctx, clock, world,
                                                                               open_review):
    first = web_shop_request(world, make_order(world, [("AP-2001", 1)]))
    clock.advance(minutes=5)
    second = phone_request(world, make_order(world, [("AP-2001", 1)]))
    screen = open_review()
    assert screen.current_rma() == first

    question = "Please send a photo of the colour you received."
    qtbot.keyClicks(screen.question_edit, question)
    with qtbot.waitSignal(screen.question_asked, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_K, CTRL)
    assert status_of(ctx, first) == "waiting_for_customer"
    with ctx.db.read() as s:
        asked = s.execute(select(ReturnQuestion.question, ReturnQuestion.asked_by, ReturnQuestion.answered_at)).one()
    assert asked == (question, world.clerk.user_id, None)
    # The customer sees the question on the status lookup.
    assert integration.customer_return_status(ctx, first, "li.wei@example.com").question == question
    qtbot.waitUntil(lambda: screen.queue_model.rma_numbers() == [second], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: screen.view_tabs.tabText(1) == "Waiting for the customer (1)", timeout=WAIT_MS)

    # F6: the requests waiting for their customer.
    with qtbot.waitSignal(screen.queue_loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_F6)
    assert screen.queue_model.rma_numbers() == [first]
    assert screen.queue_model.index(0, ReviewQueueTableModel.FLAGS).data() == f"Asked: {question}"
    qtbot.waitUntil(lambda: screen.current_rma() == first, timeout=WAIT_MS)
    assert screen.answer_button.isVisible() and not screen.ask_button.isVisible()

    # The customer answers on the status page: the request leaves this view (followed live).
    integration.answer_customer_question(ctx, None, first, "13800138000", "It is dark blue, not black.")
    qtbot.waitUntil(lambda: screen.queue_model.rowCount() == 0, timeout=WAIT_MS)
    assert status_of(ctx, first) == "requested"

    # Back in the queue, at its place (the oldest request first), flagged as answered.
    with qtbot.waitSignal(screen.queue_loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: screen.queue_model.rma_numbers() == [first, second], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: screen.current_rma() == first, timeout=WAIT_MS)
    assert "answered" in screen.current_case().flags
    text = screen.case_pane.questions_label.text()
    assert question in text and "the customer answered: It is dark blue, not black." in text
    assert "Customer answered" in screen.queue_model.index(0, ReviewQueueTableModel.FLAGS).data()

    # A question answered by phone is recorded by customer service.
    click_row(qtbot, screen, second)
    qtbot.keyClicks(screen.question_edit, "Which size do you need instead?")
    with qtbot.waitSignal(screen.question_asked, timeout=WAIT_MS):
        screen.ask_button.click()
    screen.show_view(1)
    qtbot.waitUntil(lambda: screen.current_rma() == second, timeout=WAIT_MS)
    qtbot.keyClicks(screen.answer_edit, "Size M, she called the hotline")
    with qtbot.waitSignal(screen.answer_recorded, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_E, CTRL)
    assert status_of(ctx, second) == "requested"
    with ctx.db.read() as s:
        answered = s.execute(select(ReturnQuestion.answer, ReturnQuestion.answered_by)
                             .join(Return, Return.id == ReturnQuestion.return_id)
                             .where(Return.rma_no == second)).one()
    assert answered == ("Size M, she called the hotline", world.clerk.user_id)
    actions = [a for a, _ in audit_of(ctx, second)]
    assert actions[-2:] == ["ask_customer", "customer_reply"]


def test_review_models_pass_the_model_tester(qtbot, qtmodeltester, world, open_review):
    web_shop_request(world, make_order(world, [("AP-2001", 1)]))
    screen = open_review()
    qtmodeltester.check(screen.queue_model, force_py=True)
    qtmodeltester.check(screen.lines_model, force_py=True)


# --------------------------------------------------------------------------- to pay


def test_an_automatically_approved_remote_return_is_paid_from_the_worklist(qtbot, ctx, world, services, tasks,
                                                                           printer, qtmodeltester):
    order_no = make_order(world, [("AP-2001", 1)])
    rma = take_return(world, order_no, [LineSpec("AP-2001", 1)], auto_approve=True)
    assert receive_and_inspect(world, rma, [LineSpec("AP-2001", 1)]) == "approved"
    assert status_of(ctx, rma) == "approved"  # nobody signed: routing approved it

    screen = ToPayScreen(services.api_for(world.clerk), tasks, world.clerk, printer=printer, print_service=None)
    qtbot.addWidget(screen)
    screen.resize(1300, 860)
    with qtbot.waitSignal(screen.case_loaded, timeout=WAIT_MS):
        screen.show()
    qtbot.waitExposed(screen)
    model = screen.queue_model
    assert model.rma_numbers() == [rma]
    assert model.index(0, ToPayTableModel.APPROVED).data() == "Automatically\nParcel"
    assert model.index(0, ToPayTableModel.AMOUNT).data() == "¥79.00"
    qtmodeltester.check(model, force_py=True)
    combo = screen.method_combo
    methods = [combo.itemData(i) for i in range(combo.count())]
    assert "cash" not in methods and combo.currentData() == "original_payment"  # a parcel is never paid in cash
    combo.setCurrentIndex(combo.findData(RefundMethod.STORE_CREDIT.value))

    screen.queue_table.setFocus()
    screen.queue_table.setCurrentIndex(model.index(0, 1))
    with qtbot.waitSignal(screen.refund_issued, timeout=WAIT_MS):
        qtbot.keyClick(screen.queue_table, Qt.Key.Key_Return)
    with ctx.db.read() as s:
        refund_id, refund_no, method, amount, issued_by, note_id = s.execute(
            select(Refund.id, Refund.refund_no, Refund.method, Refund.amount_minor, Refund.issued_by,
                   Refund.credit_note_id).join(Return, Return.id == Refund.return_id).where(Return.rma_no == rma)).one()
        note_no, note_total = s.execute(select(CreditNote.number, CreditNote.total_minor)
                                        .where(CreditNote.id == note_id)).one()
        entry_no = s.execute(select(JournalEntry.entry_no).where(JournalEntry.refund_id == refund_id)).scalar_one()
    assert (method, amount, issued_by) == ("store_credit", 7900, world.clerk.user_id)
    assert note_total == 7900 and entry_no
    assert status_of(ctx, rma) == "refunded"
    refund_event = next(after for action, after in audit_of(ctx, rma) if action == "refund")
    assert refund_event["refund_no"] == refund_no and refund_event["credit_note"] == note_no
    # The row leaves the worklist; the return stays shown for its documents.
    qtbot.waitUntil(lambda: model.rowCount() == 0 and screen.credit_note_button.isEnabled(), timeout=WAIT_MS)
    assert screen.queue_status_label.text() == "Every approved return is paid."
    with qtbot.waitSignal(screen.document_printed, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_P, CTRL)
    with qtbot.waitSignal(screen.document_printed, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert printer.printed == [(DocumentType.COUNTER_RECEIPT, rma, "en"), (DocumentType.CREDIT_NOTE, rma, "en")]


def test_the_screens_are_in_the_navigation_of_the_right_roles(world):
    def keys(actor) -> set[str]:
        return {entry.key for entry in entries_for(actor)}

    assert {"review", "to_pay"} <= keys(world.clerk)
    assert {"review", "to_pay"} <= keys(world.supervisor)
    assert "to_pay" in keys(world.finance) and "review" not in keys(world.finance)
    assert not {"review", "to_pay"} & keys(world.inspector)


def test_cash_above_the_clerks_limit_is_refused_on_the_worklist_and_nothing_is_paid(qtbot, ctx, world, services,
                                                                                    tasks, printer):
    from returndesk.domain.types import Channel

    from tests.integration.money_support import approved

    rma = approved(world, [LineSpec("SH-3001", 1)], channel=Channel.COUNTER, method=RefundMethod.CASH)
    assert status_of(ctx, rma) == "approved"
    screen = ToPayScreen(services.api_for(world.clerk), tasks, world.clerk, printer=printer, print_service=None)
    qtbot.addWidget(screen)
    screen.resize(1300, 860)
    with qtbot.waitSignal(screen.case_loaded, timeout=WAIT_MS):
        screen.show()
    qtbot.waitExposed(screen)
    assert screen.method_combo.currentData() == "cash"  # the counter pays cash: the customer's choice
    assert screen.queue_model.index(0, ToPayTableModel.APPROVED).data() == "Supervisor\nCounter"
    with qtbot.waitSignal(screen.action_refused, timeout=WAIT_MS) as refused:
        qtbot.keyClick(screen, Qt.Key.Key_I, CTRL)
    assert "above your cash limit of ¥500.00" in refused.args[0]
    assert "above your cash limit" in screen.message_label.text()
    assert status_of(ctx, rma) == "approved"
    with ctx.db.read() as s:
        assert s.execute(select(Refund.id)).first() is None
    # Another method is within reach: store credit pays it.
    screen.method_combo.setCurrentIndex(screen.method_combo.findData("store_credit"))
    qtbot.waitUntil(lambda: screen.issue_button.isEnabled(), timeout=WAIT_MS)
    with qtbot.waitSignal(screen.refund_issued, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_I, CTRL)
    assert status_of(ctx, rma) == "refunded"
