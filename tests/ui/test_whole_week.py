"""One whole week of returns of every kind, each taken from its request to an end state through the
screens only: walk-ins at the counter, phone and web-shop requests authorised, rejected or
cancelled on their detail pages, parcels received and scanned at the inspection station, refunds
approved or rejected and issued from the detail page, and housekeeping with the clock moved past the
close period and the receive-by dates. Afterwards no return is left where no screen can move it."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from returndesk.domain.lifecycle import allowed_actions
from returndesk.domain.permissions import ReturnAction
from returndesk.domain.types import Location, ReturnStatus
from returndesk.services.tx import stock
from returndesk.store.schema import Refund, Return
from returndesk.ui.scanner import ScanRouter
from returndesk.ui.screens.counter.documents import pdf_folder_printer
from returndesk.ui.screens.counter.screen import CounterScreen
from returndesk.ui.screens.inspection.screen import InspectionScreen
from returndesk.ui.screens.return_detail.screen import ReturnDetailPage
from returndesk.ui.tasks import TaskRunner
from tests.integration.factories import build_world, make_order
from tests.integration.return_states import requested, return_in

from .counter_support import session_for
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
_TO_REFUND = {S.REQUESTED: ("clerk", ReturnAction.AUTHORIZE), S.AUTHORIZED: ("inspector", ReturnAction.RECEIVE),
              S.RECEIVED: "scan", S.AWAITING_APPROVAL: ("supervisor", ReturnAction.APPROVE),
              S.APPROVED: ("finance", ReturnAction.ISSUE_REFUND)}
PLANS: dict[str, dict[S, tuple[str, ReturnAction] | str]] = {
    "refunded": _TO_REFUND,
    "refunded, closed at once": {**_TO_REFUND, S.REFUNDED: ("clerk", ReturnAction.CLOSE)},
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
    "walk-in refunded": {S.RECEIVED: "scan", S.AWAITING_APPROVAL: ("supervisor", ReturnAction.APPROVE),
                         S.APPROVED: ("finance", ReturnAction.ISSUE_REFUND)},
    "walk-in refund rejected": {S.RECEIVED: "scan",
                                S.AWAITING_APPROVAL: ("supervisor", ReturnAction.REJECT_REFUND),
                                S.REFUND_REJECTED: ("clerk", ReturnAction.CLOSE)},
    "walk-in by parcel, never sent": {},
}
WEB_RETURNS = 42
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


def test_a_whole_week_of_returns_ends_where_it_should(qtbot, ctx, clock, tasks, tmp_path):
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
    for i in range(COUNTER_RETURNS):
        kind = counter_kinds[i % len(counter_kinds)]
        order = make_order(world, [("SH-3001", 1)], channel="store", days_ago=1 + i % 5)
        rma = _take_return(qtbot, counter, order, [(0, 1, "wrong_size")], remote=kind.endswith("never sent"))
        plans[rma], barcodes[rma] = (kind, COUNTER_PLANS[kind]), [SHOE_BARCODE]
    web_kinds = list(PLANS)
    for i in range(WEB_RETURNS):  # phone and web-shop requests, in customer service's queue
        kind = web_kinds[i % len(web_kinds)] if i < len(web_kinds) else rng.choice(web_kinds)
        rma = requested(world)
        plans[rma], barcodes[rma] = (kind, PLANS[kind]), WEB_BARCODES
    assert len(plans) == 50 and {k for k, _ in plans.values()} == set(PLANS) | set(COUNTER_PLANS)

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
            else:
                role, action = step
                act(role, action, rma)
            assert _status(ctx, rma) != state, (rma, kind, state)
            steps += 1
    assert steps > 100

    # ------------------------------------------------------------ housekeeping, a month on
    before = {rma: _status(ctx, rma) for rma in plans}
    clock.advance(days=45)
    report = session.run_housekeeping()
    after = {rma: _status(ctx, rma) for rma in plans}
    assert sorted(report.closed) == sorted(r for r, st in before.items() if st is S.REFUNDED)
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
