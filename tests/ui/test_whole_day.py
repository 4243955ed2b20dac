"""One whole day across the three stations, driven like the people who work them.

A clerk takes a walk-in return (goods left for the warehouse) and a remote one; an inspector scans
both parcels; a supervisor approves one and rejects the other; the refund is issued; and the queues
and the database show all of it. The day runs in process (SQLite and PostgreSQL) and through a real
ReturnDesk server, each person signed in there, as the stations of a shop work.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from returndesk.domain.types import Location, RefundMethod, ReturnStatus
from returndesk.services.tx import stock
from returndesk.store.schema import Approval, AuditEvent, Refund, Return
from returndesk.ui.scanner import ScanRouter
from returndesk.ui.screens.approval.screen import ApprovalScreen
from returndesk.ui.screens.counter.screen import CounterScreen
from returndesk.ui.screens.counter.documents import pdf_folder_printer
from returndesk.ui.screens.inspection.screen import InspectionScreen
from returndesk.ui.tasks import TaskRunner
from tests.integration.factories import build_world, make_order

from tests.integration.station_server import signed_in

from .counter_support import CONDITIONS, session_for

pytestmark = pytest.mark.both_databases("the one UI test that runs a whole day on PostgreSQL as well")

WAIT_MS = 20000
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def tasks(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle(WAIT_MS)
    runner.shutdown(WAIT_MS)


def _status(ctx, rma: str) -> str:
    with ctx.db.read() as s:
        return s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one()


def _take_return(qtbot, screen, order_no: str, lines: list[tuple[int, int, str]], *, remote: bool):
    """The clerk finds the sale by keyboard, fills the lines and submits with Ctrl+Enter."""
    screen.search_edit.setFocus()
    qtbot.keyClicks(screen.search_edit, order_no)
    with qtbot.waitSignal(screen.sale_loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    if remote:
        screen.options.remote_radio.click()
    else:
        screen.options.on_spot_check.setChecked(False)  # leave the goods for the warehouse
    for row, qty, reason in lines:
        screen.lines_model.update_entry(row, quantity=qty, reason_code=reason, conditions=CONDITIONS)
    qtbot.waitSignal(screen.preview_updated, timeout=WAIT_MS,
                     check_params_cb=lambda p: p is not None and p.ready and len(p.lines) == len(lines)).wait()
    with qtbot.waitSignal(screen.return_submitted, timeout=WAIT_MS) as submitted:
        qtbot.keyClick(screen.line_editor.quantity_spin, Qt.Key.Key_Return, CTRL)
    result = submitted.args[0]
    detail = getattr(result, "detail", result)
    qtbot.keyClick(screen.result_panel.print_button, Qt.Key.Key_N, CTRL)  # next customer
    return detail.rma_no


def _scan(qtbot, screen, text: str):
    with qtbot.waitSignal(screen.scan_processed, timeout=WAIT_MS) as blocker:
        qtbot.keyClicks(screen.scan_edit, text)
        qtbot.keyClick(screen.scan_edit, Qt.Key.Key_Return)
    return blocker.args[0]


def test_one_whole_day_at_the_counter_the_dock_and_the_supervisors_desk(qtbot, ctx, tasks, tmp_path):
    services = session_for(ctx)
    _whole_day(qtbot, ctx, tasks, tmp_path, lambda user: (services.api_for(user), user))


@pytest.mark.pg
@pytest.mark.slow
def test_one_whole_day_through_a_returndesk_server(qtbot, server_ctx, remote_session, tasks, tmp_path):
    _whole_day(qtbot, server_ctx, tasks, tmp_path, lambda user: signed_in(remote_session, user))


def _whole_day(qtbot, ctx, tasks, tmp_path, sign_in):
    """``sign_in(user)`` gives (the API a screen of ``user`` receives, the signed-in actor)."""
    world = build_world(ctx)
    walk_in_order = make_order(world, [("SH-3001", 1)], channel="store", days_ago=2)
    remote_order = make_order(world, [("AP-2001", 2), ("EL-1002", 1)], days_ago=4)

    # ---------------------------------------------------------------- the counter
    clerk_api, clerk = sign_in(world.clerk)
    counter = CounterScreen(clerk_api, tasks, clerk, printer=pdf_folder_printer(clerk_api, tmp_path / "counter"))
    counter.resize(1000, 720)
    qtbot.addWidget(counter)
    counter.show()
    walk_in = _take_return(qtbot, counter, walk_in_order, [(0, 1, "wrong_size")], remote=False)
    remote = _take_return(qtbot, counter, remote_order, [(0, 2, "wrong_size"), (1, 1, "defective")], remote=True)
    assert _status(ctx, walk_in) == ReturnStatus.RECEIVED  # goods in hand, left for the warehouse
    assert _status(ctx, remote) == ReturnStatus.AUTHORIZED  # the parcel is on its way

    # ---------------------------------------------------------------- the scanning station
    inspector_api, inspector = sign_in(world.inspector)
    inspection = InspectionScreen(inspector_api, tasks, inspector, scan_router=ScanRouter(), tag_printer=None)
    qtbot.addWidget(inspection)
    inspection.show()
    qtbot.waitUntil(lambda: inspection.expected_model.row_of(remote) is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: inspection.queue_model.row_of(walk_in) is not None, timeout=WAIT_MS)

    inputs = 0
    for rma, barcodes in ((walk_in, ["6901234567922"]),
                          (remote, ["6901234567915", "6901234567915", "6901234567908"])):
        assert _scan(qtbot, inspection, rma).feedback == "ok"
        for code in barcodes:
            assert _scan(qtbot, inspection, code).feedback == "ok"
        with qtbot.waitSignal(inspection.inspection_completed, timeout=WAIT_MS):
            _scan(qtbot, inspection, "$RDDONEL")  # the command sheet's "Complete"
        inputs += 2 + len(barcodes)
    assert inputs == 8  # label, items, complete: nothing else was needed
    assert _status(ctx, walk_in) == ReturnStatus.AWAITING_APPROVAL  # ¥599.00: above the automatic limit
    assert _status(ctx, remote) == ReturnStatus.AWAITING_APPROVAL
    inspection.reload_worklists()
    qtbot.waitUntil(lambda: inspection.expected_model.row_of(remote) is None
                    and inspection.queue_model.row_of(walk_in) is None, timeout=WAIT_MS)

    # ---------------------------------------------------------------- the supervisor's desk
    desk, supervisor = sign_in(world.supervisor)
    approval = ApprovalScreen(desk, tasks, supervisor, printer=pdf_folder_printer(desk, tmp_path / "desk"))
    qtbot.addWidget(approval)
    approval.resize(1300, 860)
    with qtbot.waitSignal(approval.return_selected, timeout=WAIT_MS):
        approval.show()
    assert sorted(approval.queue_model.rma_numbers()) == sorted([walk_in, remote])
    assert approval.current_rma() == walk_in  # the oldest first

    # Reject the walk-in (reason required), approve the remote one and refund it.
    qtbot.keyClicks(approval.decision_bar.note_edit, "Worn outdoors; not resellable")
    with qtbot.waitSignal(approval.return_rejected, timeout=WAIT_MS):
        qtbot.keyClick(approval.decision_bar.note_edit, Qt.Key.Key_R, CTRL)
    qtbot.waitUntil(lambda: approval.queue_model.rma_numbers() == [remote], timeout=WAIT_MS)
    if approval.current_rma() != remote:
        index = approval.queue_model.index(approval.queue_model.row_of(remote), 1)
        with qtbot.waitSignal(approval.case_loaded, timeout=WAIT_MS, check_params_cb=lambda r: r == remote):
            qtbot.mouseClick(approval.queue_table.viewport(), Qt.MouseButton.LeftButton,
                             pos=approval.queue_table.visualRect(index).center())
    with qtbot.waitSignal(approval.return_approved, timeout=WAIT_MS):
        qtbot.keyClick(approval.queue_table, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: approval.refund_bar.issue_button.isEnabled(), timeout=WAIT_MS)
    with qtbot.waitSignal(approval.refund_issued, timeout=WAIT_MS):
        qtbot.keyClick(approval.queue_table, Qt.Key.Key_I, CTRL)
    qtbot.waitUntil(lambda: approval.queue_model.rma_numbers() == [], timeout=WAIT_MS)

    # ---------------------------------------------------------------- what the books say
    assert _status(ctx, walk_in) == ReturnStatus.REFUND_REJECTED
    assert _status(ctx, remote) == ReturnStatus.REFUNDED
    with ctx.db.read() as s:
        refunds = s.execute(select(Return.rma_no, Refund.method, Refund.amount_minor)
                            .join(Refund, Refund.return_id == Return.id)).all()
        assert [tuple(r) for r in refunds] == [(remote, RefundMethod.ORIGINAL_PAYMENT.value, 2 * 7900 + 14900)]
        decisions = s.execute(select(Return.rma_no, Approval.decision).join(Approval, Approval.return_id == Return.id)
                              .order_by(Approval.id)).all()
        assert [tuple(d) for d in decisions] == [(walk_in, "rejected"), (remote, "approved")]
        # The rejected shoes went back to the customer; the T-shirts are back on the shelf.
        assert stock.on_hand(s, world.products["SH-3001"], Location.INSPECTION) == 0
        assert stock.on_hand(s, world.products["AP-2001"], Location.AVAILABLE) == 20
        actions = set(s.execute(select(AuditEvent.action).where(AuditEvent.entity_id.in_([walk_in, remote])))
                      .scalars())
    assert {"receive", "complete_inspection", "approve", "reject_refund", "refund"} <= actions
