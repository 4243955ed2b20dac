"""Parcels without an RMA at the inspection station: the list of open parcels, matching one to its
return by a scan (an authorized return is received by it) and sending another back with a note,
driven by keys and scans, rows checked on both databases."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from returndesk.services.usecases import receiving
from returndesk.store.schema import AuditEvent, Return, UnexpectedParcel
from tests.integration.factories import build_world
from tests.ui.test_inspection_screen import WAIT_MS, authorized_return, facade
from returndesk.ui.scanner import ScanRouter
from returndesk.ui.screens.inspection.screen import InspectionScreen
from returndesk.ui.tasks import TaskRunner

pytestmark = pytest.mark.both_databases("parcels matched under the return's row lock; keyset paging over timestamps")


@pytest.fixture
def world(ctx):
    return build_world(ctx)


@pytest.fixture
def tasks(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle(WAIT_MS)
    runner.shutdown(WAIT_MS)


@pytest.fixture
def screen(qtbot, ctx, world, tasks):
    api = facade(ctx).api_for(world.inspector)
    widget = InspectionScreen(api, tasks, world.inspector, scan_router=ScanRouter())
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_parcel_without_rma_is_matched_by_a_scan_and_another_is_sent_back(qtbot, ctx, world, screen):
    rma = authorized_return(ctx, world, [("AP-2001", 1)])
    first = receiving.record_unexpected_parcel(ctx, world.inspector, tracking_no="SF1234567890",
                                               sender="Li Wei", contents="One white T-shirt")
    second = receiving.record_unexpected_parcel(ctx, world.inspector, sender="Unknown", contents="A mug, no note")

    with qtbot.waitSignal(screen.parcels_opened, timeout=WAIT_MS) as opened:
        qtbot.keyClick(screen.scan_edit, Qt.Key.Key_F11, Qt.KeyboardModifier.ShiftModifier)
    dialog = opened.args[0]
    qtbot.waitUntil(lambda: dialog.view.rowCount() == 2, timeout=WAIT_MS)
    assert dialog.view.item(0, 1).text() == "SF1234567890" and dialog.view.item(1, 2).text() == "Unknown"
    assert dialog.current_parcel().id == first.id
    assert not dialog.match_button.isEnabled() and not dialog.send_back_button.isEnabled()

    # A wrong RMA is refused in words and nothing changes; the right one, scanned, matches.
    with qtbot.waitSignal(dialog.refused, timeout=WAIT_MS) as refused:
        assert dialog.accept_scan("R0000009999")
    assert "R0000009999" in refused.args[0]
    with qtbot.waitSignal(dialog.matched, timeout=WAIT_MS) as matched:
        assert dialog.accept_scan(rma)
    assert matched.args[0].matched_rma == rma
    qtbot.waitUntil(lambda: dialog.view.rowCount() == 1, timeout=WAIT_MS)
    assert dialog.current_parcel().id == second.id

    dialog.note_edit.setFocus()
    qtbot.keyClicks(dialog.note_edit, "No order found; sent back by SF Express, collect")
    with qtbot.waitSignal(dialog.sent_back, timeout=WAIT_MS):
        qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.view.rowCount() == 0, timeout=WAIT_MS)
    assert dialog.status_label.text() == "No parcel without RMA is waiting."

    with ctx.db.read() as s:
        one, two = s.get(UnexpectedParcel, first.id), s.get(UnexpectedParcel, second.id)
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        assert (one.status, one.matched_return_id) == ("matched", ret.id)
        assert ret.status == "received" and ret.received_by == world.inspector.user_id
        assert (two.status, two.matched_return_id) == ("returned", None)
        note = s.execute(select(AuditEvent.after_json).where(AuditEvent.action == "parcel_returned")).scalar_one()
        assert "sent back by SF Express" in note
