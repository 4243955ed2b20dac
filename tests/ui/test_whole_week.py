"""One whole week of returns of every kind, each taken from its request to an end state through the
screens only: walk-ins at the counter (refunds, and exchanges with the customer paying the
difference), phone and web-shop requests authorised, rejected or cancelled on their detail pages,
parcels received and scanned at the inspection station, refunds approved on the approval screen or
rejected, paid from the to-pay worklist, exchanges made in the exchange window of a detail page and
shipped from it, and housekeeping with the clock moved past the close period and the receive-by
dates. Afterwards no return is left where no screen can move it."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from returndesk.domain.lifecycle import allowed_actions
from returndesk.domain.permissions import ReturnAction
from returndesk.domain.types import Location, RefundMethod, Resolution, ReturnStatus
from returndesk.services.tx import stock
from returndesk.store.schema import Refund, Return
from returndesk.ui.scanner import ScanRouter
from returndesk.store.schema import ReplacementOrder
from returndesk.ui.screens.approval.screen import ApprovalScreen
from returndesk.ui.screens.counter.documents import pdf_folder_printer
from returndesk.ui.screens.counter.screen import CounterScreen
from returndesk.ui.screens.inspection.screen import InspectionScreen
from returndesk.ui.screens.return_detail.screen import ReturnDetailPage
from returndesk.ui.screens.to_pay.screen import ToPayScreen
from returndesk.ui.tasks import TaskRunner
from tests.integration.factories import build_world, make_order
from tests.integration.return_states import requested, return_in

from .counter_support import CONDITIONS, session_for
from .test_counter_exchange_ui import SHOES_EAN, scan_into
from .test_whole_day import _scan, _take_return

pytestmark = pytest.mark.slow

WAIT_MS = 20000
S = ReturnStatus
ROLES = ("clerk", "inspector", "supervisor", "manager", "finance", "admin")
#: Where a return of the week may end: the terminal states and a request refused for good.
END_STATES = {S.CLOSED, S.EXPIRED, S.CANCELLED, S.REJECTED}
#: The barcodes of ``return_states.SPECS`` (two T-shirts, one mug) and of the counter's shoes.
WEB_BARCODES = ["6901234567915", "6901234567915", "6901234567939"]
SHOE_BARCODE = "6901234567922"

#: Per kind of request: the next step from each state, as (role, detail-page action) or "scan" for
#: the inspection station; a state missing from a kind's table is where that kind stops (and
#: housekeeping takes over: refunded returns close, authorised ones expire).
#: "approval": the supervisor's approval screen; "to pay": the to-pay worklist; "exchange": the
#: exchange window opened from the detail page (the replacement reserved, to be shipped).
_TO_REFUND = {S.REQUESTED: ("clerk", ReturnAction.AUTHORIZE), S.AUTHORIZED: ("inspector", ReturnAction.RECEIVE),
              S.RECEIVED: "scan", S.AWAITING_APPROVAL: "approval", S.APPROVED: "to pay"}
PLANS: dict[str, dict[S, tuple[str, ReturnAction] | str]] = {
    "refunded": _TO_REFUND,
    "refunded, closed at once": {**_TO_REFUND, S.REFUNDED: ("clerk", ReturnAction.CLOSE)},
    "exchanged on its page, shipped": {**_TO_REFUND, S.APPROVED: "exchange",
                                       S.EXCHANGED: ("clerk", ReturnAction.SHIP_REPLACEMENT)},
    # Housekeeping closes only settled returns; a rejected refund is closed on its page once the goods
    # went back to the customer.
    "refund rejected": {**_TO_REFUND, S.AWAITING_APPROVAL: ("supervisor", ReturnAction.REJECT_REFUND),
                        S.REFUND_REJECTED: ("clerk", ReturnAction.CLOSE)},
    "request rejected": {S.REQUESTED: ("clerk", ReturnAction.REJECT)},
    "request cancelled": {S.REQUESTED: ("clerk", ReturnAction.CANCEL)},
    "cancelled after authorisation": {S.REQUESTED: ("clerk", ReturnAction.AUTHORIZE),
                                      S.AUTHORIZED: ("clerk", ReturnAction.CANCEL)},
    "never sent": {S.REQUESTED: ("clerk", ReturnAction.AUTHORIZE)},
}
#: Counter walk-ins: left for the warehouse (received), or sent by parcel (authorised).
COUNTER_PLANS: dict[str, dict[S, tuple[str, ReturnAction] | str]] = {
    "walk-in refunded": {S.RECEIVED: "scan", S.AWAITING_APPROVAL: "approval", S.APPROVED: "to pay"},
    # Exchanged on the spot at the counter (the customer pays the dearer shoes); closed by housekeeping.
    "walk-in exchanged at the counter": {},
    "walk-in refund rejected": {S.RECEIVED: "scan",
                                S.AWAITING_APPROVAL: ("supervisor", ReturnAction.REJECT_REFUND),
                                S.REFUND_REJECTED: ("clerk", ReturnAction.CLOSE)},
    "walk-in by parcel, never sent": {},
}
#: Every kind twice in a fixed order, then a few drawn at random; the walk-ins cover each counter
#: kind twice. The work of the week then comes in a shuffled order.
WEB_RETURNS = 20
COUNTER_RETURNS = 8


@pytest.fixture
def tasks(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle(WAIT_MS)
    runner.shutdown(WAIT_MS)


def _status(ctx, rma: str) -> S:
    with ctx.db.read() as s:
        return S(s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one())


def test_a_whole_week_of_returns_ends_where_it_should(qtbot, ctx, clock, tasks, tmp_path, monkeypatch):
    monkeypatch.setenv("RETURNDESK_OUTPUT_DIR", str(tmp_path / "documents"))
    world = build_world(ctx)
    session = session_for(ctx)
    rng = random.Random(20261203)
    with ctx.db.write() as s:  # the week's deliveries: enough on the shelf for all its sales
        for sku in ("AP-2001", "HM-4001", "SH-3001"):
            stock.move(s, ctx, None, product_id=world.products[sku], from_location=Location.CUSTOMER,
                       to_location=Location.AVAILABLE, quantity=200, reason="opening_stock")

    # ------------------------------------------------------------ the week's requests
    plans: dict[str, tuple[str, dict[S, tuple[str, ReturnAction] | str]]] = {}
    barcodes: dict[str, list[str]] = {}
    counter = CounterScreen(session.api_for(world.clerk), tasks, world.clerk,
                            printer=pdf_folder_printer(session.api_for(world.clerk), tmp_path / "counter"))
    counter.resize(1000, 720)
    qtbot.addWidget(counter)
    counter.show()
    counter_kinds = list(COUNTER_PLANS)
    counter_days = {}
    for i in range(COUNTER_RETURNS):
        counter_days.setdefault(counter_kinds[i % len(counter_kinds)], []).append(1 + i % 5)
    for kind, days in counter_days.items():
        if kind == "walk-in exchanged at the counter":
            continue
        for days_ago in days:
            order = make_order(world, [("SH-3001", 1)], channel="store", days_ago=days_ago)
            rma = _take_return(qtbot, counter, order, [(0, 1, "wrong_size")], remote=kind.endswith("never sent"))
            plans[rma], barcodes[rma] = (kind, COUNTER_PLANS[kind]), [SHOE_BARCODE]
    # The exchanges at the counter last: the customer pays the dearer shoes in cash, handed over now.
    kind = "walk-in exchanged at the counter"
    for days_ago in counter_days[kind]:
        # Another customer: the walk-ins above made the first one a frequent returner, whose returns
        # a supervisor decides.
        order = make_order(world, [("AP-2001", 1)], channel="store", days_ago=days_ago,
                           customer_id=world.customer2_id)
        counter.new_return()  # Ctrl+N: the next customer
        counter.search_edit.clear()
        counter.options.on_spot_check.setChecked(True)  # settled on the spot
        counter.search_edit.setFocus()
        qtbot.keyClicks(counter.search_edit, order)
        with qtbot.waitSignal(counter.sale_loaded, timeout=WAIT_MS):
            qtbot.keyClick(counter.search_edit, Qt.Key.Key_Return)
        counter.options.set_refund_method(RefundMethod.CASH)
        counter.lines_model.update_entry(0, quantity=1, reason_code="wrong_size", resolution=Resolution.EXCHANGE,
                                         conditions=CONDITIONS)
        qtbot.waitSignal(counter.preview_updated, timeout=WAIT_MS,
                         check_params_cb=lambda p: p is not None and p.ready and len(p.lines) == 1).wait()
        with qtbot.waitSignal(counter.return_submitted, timeout=WAIT_MS) as submitted:
            qtbot.mouseClick(counter.submit_button, Qt.MouseButton.LeftButton)
        result = submitted.args[0]
        assert result.exchange_wanted and result.stage == S.APPROVED.value
        qtbot.waitUntil(counter.result_panel.exchange_button.isVisible, timeout=WAIT_MS)
        with qtbot.waitSignal(counter.exchange_opened, timeout=WAIT_MS) as opened:
            qtbot.mouseClick(counter.result_panel.exchange_button, Qt.MouseButton.LeftButton)
        dialog = opened.args[0]
        qtbot.waitUntil(lambda d=dialog: d._case is not None, timeout=WAIT_MS)
        scan_into(qtbot, dialog, SHOES_EAN)
        dialog.collect_combo.setCurrentIndex(dialog.collect_combo.findData("cash"))
        with qtbot.waitSignal(counter.exchange_done, timeout=WAIT_MS):
            qtbot.keyClick(dialog.picks_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        with qtbot.waitSignal(dialog.destroyed, timeout=WAIT_MS):  # the window gone, with its shortcuts
            dialog.reject()
            dialog.deleteLater()
        plans[result.detail.rma_no], barcodes[result.detail.rma_no] = (kind, COUNTER_PLANS[kind]), []
    web_kinds = list(PLANS)
    for i in range(WEB_RETURNS):  # phone and web-shop requests, in customer service's queue
        kind = web_kinds[i % len(web_kinds)] if i < 2 * len(web_kinds) else rng.choice(web_kinds)
        rma = requested(world)
        plans[rma], barcodes[rma] = (kind, PLANS[kind]), WEB_BARCODES
    assert len(plans) == WEB_RETURNS + COUNTER_RETURNS
    assert {k for k, _ in plans.values()} == set(PLANS) | set(COUNTER_PLANS)

    # ------------------------------------------------------------ the stations
    pages: dict[str, ReturnDetailPage] = {}
    for role in ROLES:
        actor = getattr(world, role)
        page = ReturnDetailPage(session.api_for(actor), tasks, actor, output_dir=tmp_path / role)
        qtbot.addWidget(page)
        page.resize(1100, 800)
        pages[role] = page
    inspection = InspectionScreen(session.api_for(world.inspector), tasks, world.inspector,
                                  scan_router=ScanRouter(), tag_printer=None)
    qtbot.addWidget(inspection)
    inspection.show()
    approval = ApprovalScreen(session.api_for(world.supervisor), tasks, world.supervisor)
    qtbot.addWidget(approval)
    approval.resize(1200, 800)
    approval.show()
    to_pay = ToPayScreen(session.api_for(world.finance), tasks, world.finance, print_service=None)
    qtbot.addWidget(to_pay)
    to_pay.resize(1200, 800)
    to_pay.show()

    def approve(rma: str) -> None:
        """The supervisor picks the return on the approval screen and approves it."""
        with qtbot.waitSignal(approval.case_loaded, timeout=WAIT_MS, check_params_cb=lambda r: r == rma):
            approval.open_return(rma)
        button = approval.decision_bar.approve_button
        qtbot.waitUntil(button.isEnabled, timeout=WAIT_MS)
        with qtbot.waitSignal(approval.return_approved, timeout=WAIT_MS):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def pay(rma: str) -> None:
        """Finance pays the approved return from the to-pay worklist, by the method agreed."""
        qtbot.waitUntil(lambda: rma in to_pay.queue_model.rma_numbers(), timeout=WAIT_MS)
        with qtbot.waitSignal(to_pay.case_loaded, timeout=WAIT_MS, check_params_cb=lambda r: r == rma):
            to_pay.open_return(rma)
        qtbot.waitUntil(to_pay.issue_button.isEnabled, timeout=WAIT_MS)
        with qtbot.waitSignal(to_pay.refund_issued, timeout=WAIT_MS):
            qtbot.mouseClick(to_pay.issue_button, Qt.MouseButton.LeftButton)

    def exchange_on_page(rma: str) -> None:
        """The clerk opens the exchange window from the detail page: the same goods again (the two
        T-shirts and the mug scanned), shipped later."""
        page = pages["clerk"]
        page.show()
        with qtbot.waitSignal(page.page_loaded, timeout=WAIT_MS):
            page.show_return(rma)
        qtbot.waitUntil(lambda: page.buttons[ReturnAction.EXCHANGE].isEnabled(), timeout=WAIT_MS)
        qtbot.mouseClick(page.buttons[ReturnAction.EXCHANGE], Qt.MouseButton.LeftButton)
        dialog = page.exchange_dialog
        qtbot.waitUntil(lambda: dialog._case is not None, timeout=WAIT_MS)
        for code in WEB_BARCODES:
            scan_into(qtbot, dialog, code)
        dialog.ship_radio.setChecked(True)
        with qtbot.waitSignal(dialog.exchanged, timeout=WAIT_MS):
            qtbot.keyClick(dialog.picks_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        dialog.close()

    def act(role: str, action: ReturnAction, rma: str) -> None:
        page = pages[role]
        page.show()
        with qtbot.waitSignal(page.page_loaded, timeout=WAIT_MS):
            page.show_return(rma)
        assert page.page.verdict(action).allowed, (rma, role, action, page.page.verdict(action))
        qtbot.waitUntil(lambda: page.buttons[action].isEnabled(), timeout=WAIT_MS)
        page.reason_edit.setText("Checked with the customer this week")
        outcome: list[str] = []
        page.action_done.connect(lambda *_: outcome.append("done"))
        page.action_refused.connect(outcome.append)
        qtbot.mouseClick(page.buttons[action], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(outcome), timeout=WAIT_MS)
        page.action_done.disconnect()
        page.action_refused.disconnect()
        assert outcome == ["done"], (rma, role, action, outcome)

    def inspect(rma: str) -> None:
        assert _scan(qtbot, inspection, rma).feedback == "ok"
        for code in barcodes[rma]:
            assert _scan(qtbot, inspection, code).feedback == "ok"
        with qtbot.waitSignal(inspection.inspection_completed, timeout=WAIT_MS):
            _scan(qtbot, inspection, "$RDDONEL")

    order = list(plans)
    rng.shuffle(order)  # the week's work comes in any order
    steps = 0
    for rma in order:
        kind, plan = plans[rma]
        while (state := _status(ctx, rma)) in plan:
            step = plan[state]
            if step == "scan":
                inspect(rma)
            elif step == "approval":
                approve(rma)
            elif step == "to pay":
                pay(rma)
            elif step == "exchange":
                exchange_on_page(rma)
            else:
                role, action = step
                act(role, action, rma)
            steps += 1
            if step == ("clerk", ReturnAction.SHIP_REPLACEMENT):
                # The return stays exchanged, its replacement shipped: housekeeping closes it.
                assert _status(ctx, rma) is S.EXCHANGED
                break
            assert _status(ctx, rma) != state, (rma, kind, state)
    assert steps > 2 * len(plans)  # most returns take several steps

    # ------------------------------------------------------------ housekeeping, a month on
    before = {rma: _status(ctx, rma) for rma in plans}
    clock.advance(days=45)
    report = session.run_housekeeping()
    after = {rma: _status(ctx, rma) for rma in plans}
    assert sorted(report.closed) == sorted(r for r, st in before.items() if st in (S.REFUNDED, S.EXCHANGED))
    assert sorted(report.expired) == sorted(r for r, st in before.items() if st is S.AUTHORIZED)
    assert report.closed and report.expired

    # Every return of the week ended in an end state, the one its kind leads to.
    assert set(after.values()) <= END_STATES, {r: s for r, s in after.items() if s not in END_STATES}
    expected_end = {"request rejected": S.REJECTED, "request cancelled": S.CANCELLED,
                    "cancelled after authorisation": S.CANCELLED, "never sent": S.EXPIRED,
                    "walk-in by parcel, never sent": S.EXPIRED}
    for rma, (kind, _) in plans.items():
        assert after[rma] is expected_end.get(kind, S.CLOSED), (rma, kind)

    # ------------------------------------------------------------ what the books say
    exchanged = {r for r, (k, _) in plans.items() if "exchanged" in k}
    with ctx.db.read() as s:
        replacements = dict(s.execute(select(Return.rma_no, ReplacementOrder.fulfilment)
                                      .join(ReplacementOrder, ReplacementOrder.return_id == Return.id)).all())
        collected = dict(s.execute(select(Return.rma_no, ReplacementOrder.collected_minor)
                                   .join(ReplacementOrder, ReplacementOrder.return_id == Return.id)).all())
    assert set(replacements) == exchanged
    for rma in exchanged:
        at_counter = plans[rma][0].startswith("walk-in")
        assert replacements[rma] == ("counter" if at_counter else "ship"), rma
        assert (collected[rma] or 0) == (52000 if at_counter else 0), rma
    refunded = {r for r, (k, _) in plans.items() if k in ("refunded", "refunded, closed at once", "walk-in refunded")}
    with ctx.db.read() as s:
        paid = dict(s.execute(select(Return.rma_no, func.sum(Refund.amount_minor))
                              .join(Refund, Refund.return_id == Return.id).group_by(Return.rma_no)).all())
        assert set(paid) == refunded
        for rma in refunded:
            assert paid[rma] == (59900 if plans[rma][0].startswith("walk-in") else 2 * 7900 + 4900), rma
        walk_ins_refunded = sum(1 for r in refunded if plans[r][0].startswith("walk-in"))
        web_refunded = len(refunded) - walk_ins_refunded
        # Refunded goods are back on the shelf: none is left at inspection.
        assert stock.on_hand(s, world.products["AP-2001"], Location.INSPECTION) == 0
        assert stock.on_hand(s, world.products["SH-3001"], Location.INSPECTION) == 0
    assert walk_ins_refunded and web_refunded


#: The states a return can stand in and still be moved on: every state of the lifecycle with a way
#: out, but the ends of the week and ``inspected``. ``inspected`` is never left standing: completing
#: an inspection routes the return (to the supervisor, or approved automatically) in the same
#: transaction, so no screen needs to move it.
MOVABLE = [s for s in S if allowed_actions(s) and s not in END_STATES and s is not S.INSPECTED]


def test_the_lifecycle_leaves_only_inspected_to_the_services():
    assert {a.value for a in allowed_actions(S.INSPECTED)} == {"route_for_approval", "auto_approve"}
    assert S.DRAFT in MOVABLE and S.WAITING_FOR_CUSTOMER in MOVABLE and S.EXCHANGED in MOVABLE


@pytest.mark.parametrize("state", MOVABLE, ids=lambda s: s.value)
def test_every_state_a_return_can_stop_in_has_a_screen_that_moves_it(ctx, state):
    """The map "state -> a role's detail-page action that moves it", read from the page's own
    verdicts, has at least one entry for every state a return can stop in."""
    world = build_world(ctx)
    session = session_for(ctx)
    rma = return_in(world, state)
    movers = [(role, verdict.action) for role in ROLES
              for verdict in session.api_for(getattr(world, role)).search.get_return_page(rma).actions
              if verdict.allowed]
    assert movers, state
    expected = {S.RECEIVED: ("inspector", ReturnAction.INSPECT),
                S.APPROVED: ("finance", ReturnAction.ISSUE_REFUND),
                S.AWAITING_APPROVAL: ("supervisor", ReturnAction.APPROVE),
                S.REQUESTED: ("clerk", ReturnAction.AUTHORIZE),
                S.REFUNDED: ("clerk", ReturnAction.CLOSE),
                S.EXCHANGED: ("clerk", ReturnAction.HAND_OVER)}
    if state in expected:
        assert expected[state] in movers, movers
