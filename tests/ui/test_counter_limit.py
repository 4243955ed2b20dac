"""The counter shows the clerk the limit that decides an on-the-spot refund, before submitting."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from returndesk.ui.tasks import TaskRunner
from tests.integration.factories import build_world, make_order
from tests.ui.counter_support import CONDITIONS, counter_screen, session_for

WAIT_MS = 10_000


@pytest.fixture
def runner(qapp):
    tasks = TaskRunner()
    yield tasks
    tasks.wait_idle(WAIT_MS)
    assert tasks.shutdown(WAIT_MS)


def _preview_of(qtbot, ctx, runner, tmp_path, sku: str):
    world = build_world(ctx)  # the clerk's own limit: 500.00; the policy's automatic limit: 200.00
    order_no = make_order(world, [(sku, 1)], channel="store", days_ago=2)
    screen = counter_screen(session_for(ctx), runner, world.clerk, tmp_path / "printed")
    qtbot.addWidget(screen)
    screen.show()
    screen.search_edit.setFocus()
    qtbot.keyClicks(screen.search_edit, order_no)
    with qtbot.waitSignal(screen.sale_loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    with qtbot.waitSignal(screen.preview_updated, timeout=WAIT_MS, check_params_cb=lambda p: p is not None) as shown:
        screen.lines_model.update_entry(0, quantity=1, reason_code="changed_mind", conditions=CONDITIONS)
    return screen, shown.args[0]


def test_the_clerk_sees_the_automatic_limit_below_their_own(qtbot, ctx, runner, tmp_path):
    screen, preview = _preview_of(qtbot, ctx, runner, tmp_path, "HM-4001")
    label = screen.refund_summary.spot_limit_label
    assert label.isVisible()
    assert label.text() == ("Refunded on the spot up to ¥200.00 (the policy's automatic approval limit; "
                            "your own limit is ¥500.00).")
    assert preview.spot_limit.amount == 20000


def test_above_the_limit_the_clerk_is_told_before_submitting(qtbot, ctx, runner, tmp_path):
    screen, preview = _preview_of(qtbot, ctx, runner, tmp_path, "SH-3001")
    assert preview.total_minor == 59900
    text = screen.refund_summary.spot_limit_label.text()
    assert text.startswith("Above ¥200.00 (the policy's automatic approval limit; your own limit is ¥500.00)")
    assert "supervisor approves" in text
