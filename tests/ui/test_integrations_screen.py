"""The integrations screen driven like a user: an administrator sees a failed webhook delivery with
its error and sends it again, creates an API key (its secret shown once, only its hash stored) and
revokes it (the server's key check refuses it then). A clerk is refused by the services."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from returndesk.domain.errors import AuthenticationFailed, PermissionDenied
from returndesk.domain.types import ReturnStatus
from returndesk.services.usecases import sessions, webhooks
from returndesk.store.schema import ApiKey, WebhookEndpoint
from returndesk.ui import navigation
from returndesk.ui.screens.integrations.screen import IntegrationsScreen
from returndesk.ui.tasks import TaskRunner

from tests.integration.factories import build_world
from tests.integration.return_states import return_in
from tests.ui.counter_support import session_for

WAIT = 20_000


@pytest.fixture
def tasks(qapp):
    runner = TaskRunner()
    yield runner
    runner.wait_idle(10_000)
    runner.shutdown(10_000)


def _refusing(url: str, body: bytes, headers: dict[str, str]) -> int:
    raise ConnectionRefusedError("[Errno 111] Connection refused")


def _screen(qtbot, ctx, tasks, actor, **kwargs) -> IntegrationsScreen:
    screen = IntegrationsScreen(session_for(ctx).api_for(actor), tasks, actor, **kwargs)
    qtbot.addWidget(screen)
    screen.resize(1300, 760)
    screen.show()
    return screen


def test_a_failed_delivery_is_said_in_chinese_on_a_chinese_station(qtbot, ctx, tasks, chinese_station):
    world = build_world(ctx)
    webhooks.add_webhook(ctx, world.admin, "ERP", "https://erp.example.com/hooks", "return.", from_now=False)
    return_in(world, ReturnStatus.AUTHORIZED)
    webhooks.deliver_due(ctx, _refusing)

    screen = _screen(qtbot, ctx, tasks, world.admin)
    qtbot.waitUntil(lambda: screen.webhooks_model.rowCount() == 1, timeout=WAIT)
    column = screen.webhooks_model.columnCount() - 1
    shown = screen.webhooks_model.index(0, column).data()
    assert shown == "erp.example.com 的接收方拒绝连接或无法访问。请确认它正在运行；稍后会再次推送。"
    assert screen.webhooks_model.index(0, column).data(Qt.ItemDataRole.ToolTipRole) == (
        shown + "\n技术细节：ConnectionRefusedError: [Errno 111] Connection refused")


def _select(view, row: int) -> None:
    view.selectRow(row)


def test_an_admin_sees_a_failed_delivery_and_sends_it_again(qtbot, qtmodeltester, ctx, tasks):
    world = build_world(ctx)
    webhooks.add_webhook(ctx, world.admin, "ERP", "https://erp.example.com/hooks", "return.", from_now=False)
    return_in(world, ReturnStatus.AUTHORIZED)
    report = webhooks.deliver_due(ctx, _refusing)
    assert report.failed_endpoints == ("ERP",)

    screen = _screen(qtbot, ctx, tasks, world.admin)
    qtbot.waitUntil(lambda: screen.webhooks_model.rowCount() == 1 and screen.keys_model.rowCount() == 0, timeout=WAIT)
    with qtbot.waitSignal(screen.outbox_loaded, timeout=WAIT):
        screen.status_combo.setCurrentIndex(screen.status_combo.findData("failed"))
    assert screen.outbox_model.rowCount() == 1
    failed = screen.outbox_model.row_at(0)
    texts = [screen.outbox_model.index(0, c).data() for c in range(screen.outbox_model.columnCount())]
    assert failed.webhook == "ERP" and failed.attempts == 1
    # The sentence in the table, the system's text only in the tooltip.
    assert texts[-1] == ("The receiver at erp.example.com refused the connection or cannot be reached. "
                         "Check that it is running; the delivery is tried again later.") and "1" in texts
    assert screen.outbox_model.index(0, len(texts) - 1).data(Qt.ItemDataRole.ToolTipRole).endswith(
        "\nTechnical detail: ConnectionRefusedError: [Errno 111] Connection refused")
    assert texts[1].startswith("return.")
    qtmodeltester.check(screen.outbox_model, force_py=True)
    qtmodeltester.check(screen.webhooks_model, force_py=True)
    assert not screen.replay_button.isEnabled()

    _select(screen.outbox_view, 0)
    assert screen.replay_button.isEnabled()
    with qtbot.waitSignal(screen.action_done, timeout=WAIT):
        qtbot.mouseClick(screen.replay_button, Qt.MouseButton.LeftButton)
    with ctx.db.read() as s:
        endpoint = s.execute(select(WebhookEndpoint).where(WebhookEndpoint.name == "ERP")).scalar_one()
        assert endpoint.attempts == 0 and endpoint.next_attempt_at is None
        assert endpoint.delivered_through < failed.event_id
    # Back to pending: the failed filter is empty, the pending one holds the event.
    qtbot.waitUntil(lambda: screen.outbox_model.rowCount() == 0, timeout=WAIT)
    with qtbot.waitSignal(screen.outbox_loaded, timeout=WAIT):
        screen.status_combo.setCurrentIndex(screen.status_combo.findData("pending"))
    pending = screen.outbox_model.rows()
    assert [r.event_id for r in pending][0] == failed.event_id and pending[0].status == "pending"

    # Disable the webhook from its table.
    _select(screen.webhooks_view, 0)
    with qtbot.waitSignal(screen.action_done, timeout=WAIT):
        qtbot.mouseClick(screen.toggle_button, Qt.MouseButton.LeftButton)
    with ctx.db.read() as s:
        assert s.execute(select(WebhookEndpoint.active).where(WebhookEndpoint.name == "ERP")).scalar_one() is False


def test_an_admin_creates_a_key_sees_its_secret_once_and_revokes_it(qtbot, qtmodeltester, ctx, tasks):
    world = build_world(ctx)
    asked: list[str] = []
    screen = _screen(qtbot, ctx, tasks, world.admin, confirm=lambda _w, q: asked.append(q) or True)
    screen.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "returns:create" in screen.scope_boxes, timeout=WAIT)
    qtbot.keyClicks(screen.key_name, "Web shop")
    screen.scope_boxes["returns:create"].setChecked(True)
    screen.scope_boxes["returns:read"].setChecked(True)
    with qtbot.waitSignal(screen.action_done, timeout=WAIT):
        qtbot.mouseClick(screen.create_key_button, Qt.MouseButton.LeftButton)
    secret = screen.key_secret.field.text()
    assert secret.startswith("rdk_") and screen.key_secret.isVisible()
    qtbot.mouseClick(screen.key_secret.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == secret
    with ctx.db.read() as s:
        key = s.execute(select(ApiKey).where(ApiKey.name == "Web shop")).scalar_one()
        assert key.key_hash != secret and secret not in key.key_hash and key.scopes == "returns:create returns:read"
    assert sessions.resolve_api_key(ctx, secret).name == "Web shop"
    qtbot.waitUntil(lambda: screen.keys_model.rowCount() == 1, timeout=WAIT)
    shown = " ".join(str(screen.keys_model.index(0, c).data()) for c in range(screen.keys_model.columnCount()))
    assert secret not in shown and "returns:create" in shown
    qtmodeltester.check(screen.keys_model, force_py=True)

    # Shown once: after the next action the secret is gone from the screen.
    _select(screen.keys_view, 0)
    with qtbot.waitSignal(screen.action_done, timeout=WAIT):
        qtbot.mouseClick(screen.revoke_button, Qt.MouseButton.LeftButton)
    assert asked and "Web shop" in asked[0]
    assert screen.key_secret.field.text() == "" and not screen.key_secret.isVisible()
    with ctx.db.read() as s:
        assert s.execute(select(ApiKey.revoked_at).where(ApiKey.name == "Web shop")).scalar_one() is not None
    with pytest.raises(AuthenticationFailed):
        sessions.resolve_api_key(ctx, secret)
    qtbot.waitUntil(lambda: screen.keys_model.rowCount() == 1 and screen.keys_model.row_at(0).revoked, timeout=WAIT)
    assert not screen.revoke_button.isEnabled() or screen.selected_key() is None


def test_a_bad_key_name_is_refused_with_a_sentence(qtbot, ctx, tasks):
    world = build_world(ctx)
    screen = _screen(qtbot, ctx, tasks, world.admin)
    screen.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "returns:create" in screen.scope_boxes, timeout=WAIT)
    with qtbot.waitSignal(screen.action_refused, timeout=WAIT) as refused:
        qtbot.mouseClick(screen.create_key_button, Qt.MouseButton.LeftButton)
    assert "name" in refused.args[0] and "scope" in refused.args[0]
    assert not screen.key_secret.isVisible()
    with ctx.db.read() as s:
        assert s.execute(select(ApiKey)).first() is None


def test_a_clerk_is_refused_by_the_services_and_not_offered_the_screen(ctx):
    world = build_world(ctx)
    api = session_for(ctx).api_for(world.clerk).integrations
    for call in (lambda: api.list_outbox("failed"), api.list_webhooks, api.list_api_keys, api.list_api_scopes,
                 lambda: api.create_api_key("Mine", ["returns:read"]), lambda: api.replay_webhook("ERP", 1),
                 lambda: api.revoke_api_key("Web shop")):
        with pytest.raises(PermissionDenied):
            call()
    with ctx.db.read() as s:
        assert s.execute(select(ApiKey)).first() is None
    assert "integrations" not in [e.key for e in navigation.entries_for(world.clerk)]
    assert "integrations" in [e.key for e in navigation.entries_for(world.admin)]
