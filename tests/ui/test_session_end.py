"""A station whose session the server ended goes back to the sign-in window by itself and says why:
an administrator ended it, it expired, or the account was disabled. A real server (uvicorn on
loopback, TLS, PostgreSQL) that checks connected stations' sessions every half second."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from returndesk.services.usecases import sessions
from returndesk.store.schema import ServerSession, User
from returndesk.ui.app import ReturnDeskApp
from returndesk.ui.main_window import MainWindow
from returndesk.ui.settings import StationProfile
from sqlalchemy import select, update

from tests.integration.factories import PASSWORD, build_world
from tests.integration.server_support import _start
from tests.integration.station_server import RunningServer, make_certificate

pytestmark = [pytest.mark.pg, pytest.mark.slow]  # a real server

WAIT = 60_000
#: The feed retries by itself: an attempt that meets a stalled server gives up after its own
#: time-out (30 s) and the next one connects, so getting online may take two attempts.
ONLINE_WAIT = 120_000


@pytest.fixture
def checking_server(server_ctx, pg_database, tmp_path):
    tls_dir = tmp_path / "server-tls"
    fingerprint = make_certificate(tls_dir)
    process = _start(pg_database, "--tls-dir", str(tls_dir), env={"RETURNDESK_FEED_SESSION_CHECK": "0.5"})
    server = RunningServer(pg_database, process, tls_dir, fingerprint)
    yield server
    server.process.stop()
    # Shown by pytest only when the test failed: what the server did meanwhile.
    print("".join(process.log[-200:]))


def _end_by_admin(ctx, username):
    sessions.revoke_sessions(ctx, None, username)


def _expire(ctx, username):
    with ctx.db.write() as s:
        user_id = s.execute(select(User.id).where(User.username == username)).scalar_one()
        s.execute(update(ServerSession).where(ServerSession.user_id == user_id)
                  .values(expires_at=ctx.now() - timedelta(seconds=1)))


def _disable(ctx, username):
    with ctx.db.write() as s:
        s.execute(update(User).where(User.username == username).values(active=False))


@pytest.mark.parametrize("end, notice", [
    (_end_by_admin, "An administrator ended your session. Sign in again to go on."),
    (_expire, "Your session has expired. Sign in again to go on."),
    (_disable, "Your account has been disabled. Ask an administrator."),
], ids=["ended-by-admin", "expired", "account-disabled"])
def test_a_station_whose_session_ended_is_back_at_sign_in_saying_why(
        qtbot, station_settings, tasks, server_ctx, checking_server, end, notice):
    build_world(server_ctx)
    station_settings.set_database_choice(checking_server.choice())
    station_settings.station_profile = StationProfile.SUPERVISOR
    station_settings.station_name = "DESK-1"
    controller = ReturnDeskApp(station_settings, tasks=tasks)
    try:
        with qtbot.waitSignal(controller.sign_in_shown, timeout=WAIT) as shown:
            controller.start()
        dialog = shown.args[0]
        assert not dialog.message_label.isVisible()
        dialog.username_edit.setText("supervisor")
        qtbot.keyClicks(dialog.password_edit, PASSWORD)
        with qtbot.waitSignal(controller.main_window_shown, timeout=WAIT) as main:
            qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
        assert isinstance(main.args[0], MainWindow)
        qtbot.waitUntil(lambda: controller.live is not None and controller.live.online, timeout=ONLINE_WAIT)

        # Nobody touches the station: the server's next look at the session ends it.
        with qtbot.waitSignal(controller.sign_in_shown, timeout=WAIT) as again:
            end(server_ctx, "supervisor")
        dialog = again.args[0]
        assert controller.main_window is None and controller.live is None
        assert dialog.notice == notice
        assert dialog.message_label.isVisible() and dialog.message_label.text() == notice
        assert dialog.username_edit.text() == "supervisor"  # the same user signs in again at once
    finally:
        controller.quit()
