"""The refurbish queue driven at the bench: an item tag scanned, the repair noted, the unit back to
stock at grade B by keys; a scrap above the limit signed off by a supervisor on the screen — with
the unit's job, the stock and the journal checked in the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from returndesk.domain.types import Disposition, Grade, Location
from returndesk.services.tx import stock
from returndesk.services.usecases import finance
from returndesk.store.schema import RefurbishJob
from returndesk.ui.navigation import entries_for
from returndesk.ui.screens.refurbish import RefurbishScreen
from returndesk.ui.tasks import TaskRunner
from tests.integration.factories import PASSWORD, build_world
from tests.integration.money_support import LineSpec, approved
from tests.ui.counter_support import session_for

pytestmark = pytest.mark.both_databases("refurbishing locks products and moves stock")

WAIT_MS = 20_000
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def world(ctx):
    return build_world(ctx)


@pytest.fixture
def tasks(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle(WAIT_MS)
    runner.shutdown(WAIT_MS)


def _jobs(ctx):
    with ctx.db.read() as s:
        return s.execute(select(RefurbishJob.status, RefurbishJob.new_grade, RefurbishJob.parts_cost_minor,
                                RefurbishJob.signed_off_by).order_by(RefurbishJob.id)).all()


def test_a_unit_scanned_back_to_stock_at_grade_b_and_another_scrapped_with_a_supervisor(qtbot, tasks, ctx, world):
    rma = approved(world, [LineSpec("EL-1002", 2, reason="changed_mind", grade=Grade.C,
                                    disposition=Disposition.REFURBISH)])
    assert "refurbish" in [e.key for e in entries_for(world.inspector)]
    assert "refurbish" not in [e.key for e in entries_for(world.clerk)]
    screen = RefurbishScreen(session_for(ctx).api_for(world.inspector), tasks, world.inspector)
    qtbot.addWidget(screen)
    screen.resize(1300, 820)
    with qtbot.waitSignal(screen.queue_loaded, timeout=WAIT_MS):
        screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    assert screen.waiting_model.rowCount() == 2
    second = screen.waiting_model.rows[1].tag

    # The tag scanned: its unit is shown and the repair note has the focus.
    screen.scan_edit.setFocus()
    qtbot.keyClicks(screen.scan_edit, second)
    with qtbot.waitSignal(screen.unit_shown, timeout=WAIT_MS) as shown:
        qtbot.keyClick(screen.scan_edit, Qt.Key.Key_Return)
    assert shown.args == [second]
    qtbot.waitUntil(screen.repair_note_edit.hasFocus, timeout=WAIT_MS)
    qtbot.keyClicks(screen.repair_note_edit, "New cable")
    qtbot.keyClick(screen.repair_note_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(screen.parts_edit, "8.50")
    assert screen.grade_combo.currentData() == "B"
    with qtbot.waitSignal(screen.queue_loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen.parts_edit, Qt.Key.Key_Return, CTRL)
    assert _jobs(ctx) == [("refurbished", "B", 850, None)]
    assert screen.waiting_model.rowCount() == 1 and screen.finished_model.rows[0].tag == second
    assert "grade B" in screen.message_label.text()

    # A scrap worth 60.00 + 450.00 parts asks for a supervisor; the wrong password is refused in the
    # dialog, the right one scraps the unit.
    first = screen.waiting_model.rows[0].tag
    screen.scan(first)
    qtbot.waitUntil(lambda: screen._unit is not None and screen._unit.tag == first, timeout=WAIT_MS)
    screen.parts_edit.setText("450.00")
    screen.scrap_reason_edit.setText("Board burnt")
    with qtbot.waitSignal(screen.sign_off_requested, timeout=WAIT_MS) as asked:
        qtbot.keyClick(screen.scrap_reason_edit, Qt.Key.Key_Return)
    dialog = asked.args[0]
    dialog.username_edit.setText("supervisor")
    dialog.password_edit.setText("wrong")
    with qtbot.waitSignal(dialog.refused, timeout=WAIT_MS):
        dialog.sign()
    assert len(_jobs(ctx)) == 1
    dialog.password_edit.setText(PASSWORD)
    with qtbot.waitSignal(screen.unit_finished, timeout=WAIT_MS):
        dialog.sign()
    jobs = _jobs(ctx)
    assert jobs[1][:3] == ("scrapped", None, 45000) and jobs[1][3] == world.supervisor.user_id
    with ctx.db.read() as s:
        pid = world.products["EL-1002"]
        assert stock.on_hand(s, pid, Location.REFURBISH) == 0 and stock.on_hand(s, pid, Location.SCRAP) == 1
    assert finance.check_books(ctx) == []
    qtbot.waitUntil(lambda: screen.waiting_model.rowCount() == 0, timeout=WAIT_MS)
    assert rma
