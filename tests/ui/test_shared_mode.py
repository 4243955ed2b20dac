"""Shared mode: the desktop client through a real ReturnDesk server (uvicorn on a free loopback port,
TLS with a self-signed certificate, PostgreSQL).

The first start confirms the server's certificate by its fingerprint and keeps it; a changed
certificate is refused with a sentence; a station holds no database login. Each station screen —
counter, inspection, approval, returns list — works through the server as it does in process; an
answer lost on the way is not acted on twice; a disabled user stops at the next action.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox
from returndesk.api.connection import DatabaseChoice, ServerAddress
from returndesk.domain.errors import DatabaseUnavailable
from returndesk.domain.types import DocumentType, RefundMethod, ReturnStatus
from returndesk.services.infra import printer_routing
from returndesk.store.schema import PrintLog, Refund, Return, ServerSession, User
from returndesk.ui.app import ReturnDeskApp
from returndesk.ui.scanner import ScanRouter
from returndesk.ui.screens.approval.documents import (
    pdf_folder_printer as approval_printer,
)
from returndesk.ui.screens.approval.screen import ApprovalScreen
from returndesk.ui.screens.counter.documents import pdf_folder_printer
from returndesk.ui.screens.counter.screen import CounterScreen
from returndesk.ui.screens.inspection.screen import InspectionScreen
from returndesk.ui.screens.returns_list import ReturnsListScreen
from sqlalchemy import select, update

from tests.integration.factories import PASSWORD, build_world, make_order
from tests.integration.money_support import LineSpec, awaiting
from tests.integration.station_server import make_certificate, signed_in

from .frame_support import ini_text
from .test_inspection_screen import (
    BARCODE,
    FakeLive,
    WrappedModule,
    WrappedServices,
    authorized_return,
    scan,
    units_of,
)

WAIT = 30_000
CTRL = Qt.KeyboardModifier.ControlModifier

server_test = [pytest.mark.pg, pytest.mark.slow]  # a real server


def _status(ctx, rma: str) -> str:
    with ctx.db.read() as s:
        return s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one()


@pytest.fixture
def station_of(app_controller, running_server):
    """The application on station TEST-1 of ``running_server``; it quits before the server stops
    (a server waits for the connections still open)."""
    app_controller.settings.station_name = "TEST-1"
    yield app_controller
    app_controller.quit()


# --------------------------------------------------------------------------- first start


@pytest.mark.pg
@pytest.mark.slow
def test_first_start_shows_the_fingerprint_to_confirm_and_keeps_it(qtbot, station_of, station_settings,
                                                                    server_ctx, running_server):
    app_controller = station_of
    world = build_world(server_ctx)
    with qtbot.waitSignal(app_controller.first_start_shown) as shown:
        app_controller.start()
    dialog = shown.args[0]
    qtbot.waitExposed(dialog)
    radio = dialog.server_radio
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
    assert dialog.server_box.isEnabled() and not dialog.local_box.isEnabled()
    qtbot.keyClicks(dialog.server_url_edit, running_server.base_url)
    with qtbot.waitSignal(dialog.connection_checked, timeout=WAIT) as checked:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert checked.args[0].problem is None
    assert running_server.fingerprint in dialog.test_result_label.text()

    with qtbot.waitSignal(app_controller.certificate_shown, timeout=WAIT) as asked:
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    confirm = asked.args[0]
    assert confirm.fingerprint_value.text().replace("\n", ":") == running_server.fingerprint
    assert confirm.address_value.text() == running_server.base_url
    assert "127.0.0.1" in confirm.names_value.text()
    assert confirm.cancel_button.isDefault(), "Enter must not trust a certificate by accident"
    assert station_settings.database_choice() is None  # nothing kept before the confirmation

    with qtbot.waitSignal(app_controller.sign_in_shown, timeout=WAIT) as signing:
        qtbot.mouseClick(confirm.trust_button, Qt.MouseButton.LeftButton)
    assert station_settings.database_choice() == running_server.choice()
    ini = ini_text(station_settings)
    assert running_server.fingerprint in ini and "password" not in ini.lower() and "postgresql" not in ini

    sign_in = signing.args[0]
    sign_in.username_edit.setText("clerk")
    qtbot.keyClicks(sign_in.password_edit, PASSWORD)
    with qtbot.waitSignal(app_controller.main_window_shown, timeout=WAIT) as main:
        qtbot.keyClick(sign_in.password_edit, Qt.Key.Key_Return)
    window = main.args[0]
    assert window.database_label.text() == f"Server: {running_server.base_url}"
    assert window.api.user.user_id == world.clerk.user_id and not window.api.session.is_local
    with server_ctx.db.read() as s:
        sessions = s.execute(select(ServerSession.station, ServerSession.revoked_at)).all()
    assert [tuple(r) for r in sessions] == [("TEST-1", None)]

    with qtbot.waitSignal(app_controller.sign_in_shown, timeout=WAIT):
        window.sign_out_action.trigger()
    app_controller.tasks.wait_idle(WAIT)
    with server_ctx.db.read() as s:
        assert s.execute(select(ServerSession.revoked_at)).scalar_one() is not None  # signed out at the server


@pytest.mark.pg
@pytest.mark.slow
def test_a_changed_certificate_is_refused_with_a_sentence(qtbot, station_of, station_settings, server_ctx,
                                                          running_server, tmp_path):
    app_controller = station_of
    station_settings.set_database_choice(running_server.choice())
    make_certificate(tmp_path / "other-tls")
    running_server.restart(tls_dir=tmp_path / "other-tls")
    with qtbot.waitSignal(app_controller.first_start_shown, timeout=WAIT) as shown:
        app_controller.start()
    problem = shown.args[0].problem_label.text()
    assert "shows a different certificate than the one this station confirmed" in problem
    assert running_server.fingerprint in problem
    assert app_controller.session is None
    assert station_settings.database_choice() == running_server.choice(), "the confirmed fingerprint is kept"
    assert shown.args[0].server_radio.isChecked() and shown.args[0].server_url_edit.text() == running_server.base_url


@pytest.mark.pg
@pytest.mark.slow
def test_a_certificate_not_confirmed_connects_nothing(qtbot, station_of, station_settings, server_ctx,
                                                      running_server):
    app_controller = station_of
    station_settings.set_database_choice(running_server.choice(pinned=False))
    with qtbot.waitSignal(app_controller.certificate_shown, timeout=WAIT) as asked:
        app_controller.start()
    with qtbot.waitSignal(app_controller.first_start_shown, timeout=WAIT) as shown:
        qtbot.keyClick(asked.args[0], Qt.Key.Key_Return)  # Enter is Cancel here
    assert "was not confirmed" in shown.args[0].problem_label.text()
    assert app_controller.session is None


def test_a_station_that_logged_in_to_postgresql_forgets_the_login(qtbot, app_controller, station_settings,
                                                                   memory_keyring):
    from returndesk.services.infra.connection import KEYRING_SERVICE

    old = ServerAddress("db.shop.example", 5432, "returndesk", "counter_01")
    memory_keyring.secrets[(KEYRING_SERVICE, old.keyring_user)] = "station password"
    for key, value in (("kind", "server"), ("host", old.host), ("port", old.port), ("name", old.database),
                       ("user", old.user), ("sslmode", "prefer")):
        station_settings.qsettings.setValue(f"database/{key}", value)
    with qtbot.waitSignal(app_controller.first_start_shown, timeout=WAIT) as shown:
        app_controller.start()
    assert "the old login was removed from this computer" in shown.args[0].problem_label.text()
    assert memory_keyring.secrets == {}
    assert "counter_01" not in ini_text(station_settings)
    with pytest.raises(ValueError):
        station_settings.set_database_choice(DatabaseChoice.shared(old))


def test_the_address_is_checked_before_anything_is_sent(qtbot, tasks):
    import socket

    from returndesk.ui.dialogs.first_start import FirstStartDialog

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dialog = FirstStartDialog(tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.server_radio.setChecked(True)
    dialog.server_url_edit.setText("http://returns.example.lan:8443")
    with qtbot.waitSignal(dialog.connection_checked, timeout=WAIT):
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert "Plain http is only allowed to this computer" in dialog.test_result_label.text()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "https://returns.example.lan:8443" in dialog.problem_label.text()
    dialog.server_url_edit.setText(f"http://127.0.0.1:{port}")
    with qtbot.waitSignal(dialog.connection_checked, timeout=WAIT) as checked:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert checked.args[0].problem and "cannot be reached" in dialog.test_result_label.text()
    assert dialog.test_button.isEnabled()


# --------------------------------------------------------------------------- the screens through the server


@pytest.mark.pg
@pytest.mark.slow
def test_counter_takes_a_return_and_prints_its_label_on_this_station(qtbot, tasks, server_ctx, remote_session,
                                                                      tmp_path):
    world = build_world(server_ctx)
    api, clerk = signed_in(remote_session, world.clerk)
    screen = CounterScreen(api, tasks, clerk, printer=pdf_folder_printer(api, tmp_path / "labels"))
    screen.resize(1000, 720)
    qtbot.addWidget(screen)
    screen.show()
    order_no = make_order(world, [("AP-2001", 2)], days_ago=3)
    screen.search_edit.setFocus()
    qtbot.keyClicks(screen.search_edit, order_no)
    with qtbot.waitSignal(screen.sale_loaded, timeout=WAIT):
        qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    screen.options.remote_radio.click()
    screen.lines_model.update_entry(0, quantity=1, reason_code="wrong_size",
                                    conditions=frozenset({"original_packaging", "accessories_complete"}))
    qtbot.waitSignal(screen.preview_updated, timeout=WAIT, check_params_cb=lambda p: p is not None and p.ready).wait()
    with qtbot.waitSignal(screen.return_submitted, timeout=WAIT) as submitted:
        qtbot.keyClick(screen.line_editor.quantity_spin, Qt.Key.Key_Return, CTRL)
    rma = submitted.args[0].rma_no
    assert _status(server_ctx, rma) == ReturnStatus.AUTHORIZED
    with qtbot.waitSignal(screen.document_printed, timeout=WAIT) as printed:
        qtbot.mouseClick(screen.result_panel.print_button, Qt.MouseButton.LeftButton)
    label = tmp_path / "labels" / f"return_label-{rma}.pdf"
    assert printed.args[0] == str(label) and label.read_bytes().startswith(b"%PDF")
    with server_ctx.db.read() as s:
        logged = s.execute(select(PrintLog.doc_type, PrintLog.printed_by, PrintLog.station, PrintLog.destination)).all()
    assert [tuple(r) for r in logged] == [("return_label", clerk.user_id, "TEST-1", f"file:{label}")]


@pytest.mark.pg
@pytest.mark.slow
def test_inspection_applies_a_scan_once_when_its_answer_was_lost(qtbot, tasks, server_ctx, remote_session):
    world = build_world(server_ctx)
    api, inspector = signed_in(remote_session, world.inspector)
    lost = []

    def record_unit_answer_lost(*args, **kwargs):
        result = api.inspection.record_unit(*args, **kwargs)  # it reached the server and was saved …
        if not lost:
            lost.append(result)
            raise DatabaseUnavailable("The ReturnDesk server did not answer in time.")  # … the answer did not arrive
        return result

    live = FakeLive()
    wrapped = WrappedServices(api, inspection=WrappedModule(api.inspection, record_unit=record_unit_answer_lost))
    screen = InspectionScreen(wrapped, tasks, inspector, scan_router=ScanRouter(), live=live, tag_printer=None)
    qtbot.addWidget(screen)
    screen.resize(1100, 760)
    screen.show()
    rma = authorized_return(server_ctx, world, [("AP-2001", 1), ("HM-4001", 1)])
    assert scan(qtbot, screen, rma).feedback == "ok"
    assert scan(qtbot, screen, BARCODE["AP-2001"]).pending
    assert screen.pending_inputs() == [BARCODE["AP-2001"]] and live.failures
    assert len(units_of(server_ctx, rma)) == 1  # saved at the server, though the station did not hear it
    live.connection_changed.emit(True, "Connected")  # the server answers again: the kept scan is applied
    qtbot.waitUntil(lambda: screen.pending_inputs() == [] and not screen.is_busy(), timeout=WAIT)
    assert scan(qtbot, screen, BARCODE["HM-4001"]).feedback == "ok"
    assert [code for code, *_ in units_of(server_ctx, rma)] == [BARCODE["AP-2001"], BARCODE["HM-4001"]]


@pytest.mark.pg
@pytest.mark.slow
def test_approval_approves_refunds_and_prints_on_the_stations_route(qtbot, tasks, server_ctx, remote_session,
                                                                     tmp_path):
    world = build_world(server_ctx)
    rma = awaiting(world, [LineSpec("AP-2001", 1)], method=RefundMethod.STORE_CREDIT)
    printer_routing.set_routing(server_ctx, world.admin, "TEST-1", DocumentType.COUNTER_RECEIPT,
                                f"pdf:{tmp_path / 'receipt printer'}")
    api, supervisor = signed_in(remote_session, world.supervisor)
    screen = ApprovalScreen(api, tasks, supervisor, printer=approval_printer(api, tmp_path / "out"))
    qtbot.addWidget(screen)
    screen.resize(1300, 860)
    with qtbot.waitSignal(screen.return_selected, timeout=WAIT):
        screen.show()
    assert screen.current_rma() == rma
    with qtbot.waitSignal(screen.return_approved, timeout=WAIT):
        qtbot.keyClick(screen.queue_table, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: screen.refund_bar.issue_button.isEnabled(), timeout=WAIT)
    with qtbot.waitSignal(screen.refund_issued, timeout=WAIT):
        qtbot.keyClick(screen.queue_table, Qt.Key.Key_I, CTRL)
    with server_ctx.db.read() as s:
        rows = s.execute(select(Refund.method, Refund.amount_minor, Refund.issued_by)
                         .join(Return, Return.id == Refund.return_id).where(Return.rma_no == rma)).all()
    assert [tuple(r) for r in rows] == [("store_credit", 7900, supervisor.user_id)]
    with qtbot.waitSignal(screen.document_printed, timeout=WAIT) as printed:
        qtbot.mouseClick(screen.refund_bar.receipt_button, Qt.MouseButton.LeftButton)
    receipt = tmp_path / "receipt printer" / f"counter_receipt-{rma}.pdf"
    assert printed.args[0] == str(receipt) and receipt.read_bytes().startswith(b"%PDF")


@pytest.mark.pg
@pytest.mark.slow
def test_returns_list_searches_and_follows_this_stations_commits(qtbot, tasks, server_ctx, remote_session):
    world = build_world(server_ctx)
    first = authorized_return(server_ctx, world, [("AP-2001", 1)])
    api, clerk = signed_in(remote_session, world.clerk)
    screen = ReturnsListScreen(api, tasks, clerk)
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1 and not screen.model.loading, timeout=WAIT)
    order_no = make_order(world, [("HM-4001", 1)])
    from returndesk.domain.types import Channel
    from returndesk.services.usecases import intake

    sale = api.search.get_sale(order_no, channel=Channel.REMOTE)
    draft = intake.ReturnDraft(order_no=order_no, channel=Channel.REMOTE, refund_method=RefundMethod.ORIGINAL_PAYMENT,
                               lines=(intake.DraftLine(sale.lines[0].order_line_id, 1, "changed_mind"),))
    with qtbot.waitSignal(screen.model.page_loaded, timeout=WAIT):
        second = api.intake.create_return(draft)  # another screen of this station, through the server
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2, timeout=WAIT)
    qtbot.keyClicks(screen.search_edit, first)
    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1 and not screen.model.loading, timeout=WAIT)
    assert screen.model.summary(0).rma_no == first and second.rma_no != first


@pytest.mark.pg
@pytest.mark.slow
def test_a_disabled_user_stops_at_the_next_action_on_the_screen(qtbot, tasks, server_ctx, remote_session):
    world = build_world(server_ctx)
    rma = authorized_return(server_ctx, world, [("AP-2001", 1)])
    api, inspector = signed_in(remote_session, world.inspector)
    screen = InspectionScreen(api, tasks, inspector, scan_router=ScanRouter(), tag_printer=None)
    qtbot.addWidget(screen)
    screen.show()
    with server_ctx.db.write() as s:  # an administrator disables the account while the inspector works
        s.execute(update(User).where(User.username == "inspector").values(active=False))
    outcome = scan(qtbot, screen, rma)
    assert outcome.feedback == "error" and "The account inspector has been disabled" in outcome.message
    assert "has been disabled" in screen.feedback_bar.message()
    assert _status(server_ctx, rma) == ReturnStatus.AUTHORIZED  # not received: nothing was done


@pytest.mark.pg
@pytest.mark.slow
def test_a_server_that_goes_away_is_offline_and_kept_scans_are_applied_when_it_is_back(
        qtbot, tasks, server_ctx, remote_session, running_server):
    from returndesk.ui.live import LiveUpdates

    world = build_world(server_ctx)
    rma = authorized_return(server_ctx, world, [("AP-2001", 1)])
    api, inspector = signed_in(remote_session, world.inspector)
    live = LiveUpdates(remote_session, heartbeat_ms=500, retry_ms=(200, 500))
    with qtbot.waitSignal(live.connection_changed, timeout=WAIT, check_params_cb=lambda online, _m: online):
        live.start()
    screen = InspectionScreen(api, tasks, inspector, scan_router=ScanRouter(), live=live, tag_printer=None)
    qtbot.addWidget(screen)
    screen.show()
    try:
        assert scan(qtbot, screen, rma).feedback == "ok"
        with qtbot.waitSignal(live.connection_changed, timeout=WAIT, check_params_cb=lambda online, _m: not online):
            running_server.crash()
        kept = scan(qtbot, screen, BARCODE["AP-2001"])
        assert kept.pending and screen.pending_inputs() == [BARCODE["AP-2001"]]
        assert units_of(server_ctx, rma) == []
        with qtbot.waitSignal(live.resync, timeout=WAIT):
            running_server.restart()
        qtbot.waitUntil(lambda: screen.pending_inputs() == [] and not screen.is_busy(), timeout=WAIT)
        assert [code for code, *_ in units_of(server_ctx, rma)] == [BARCODE["AP-2001"]]
    finally:
        live.stop()


@pytest.mark.pg
@pytest.mark.slow
def test_the_supervisors_desk_sees_another_stations_work_through_the_servers_feed(
        qtbot, station_settings, tasks, server_ctx, running_server):
    from returndesk.ui.settings import StationProfile

    world = build_world(server_ctx)
    station_settings.set_database_choice(running_server.choice())
    station_settings.station_profile = StationProfile.SUPERVISOR
    station_settings.station_name = "DESK-1"
    controller = ReturnDeskApp(station_settings, tasks=tasks)  # live updates on, as at a real desk
    try:
        with qtbot.waitSignal(controller.sign_in_shown, timeout=WAIT) as shown:
            controller.start()
        dialog = shown.args[0]
        dialog.username_edit.setText("supervisor")
        qtbot.keyClicks(dialog.password_edit, PASSWORD)
        with qtbot.waitSignal(controller.main_window_shown, timeout=WAIT) as main:
            qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
        window = main.args[0]
        qtbot.waitUntil(lambda: window.connection_label.text() == "Connected" and controller.live.online,
                        timeout=WAIT)
        desk = window.screens[window.current_screen_key()]
        assert isinstance(desk, ApprovalScreen)
        qtbot.waitUntil(lambda: desk.queue_model.rowCount() == 0 and not desk.queue_model.loading, timeout=WAIT)
        rma = awaiting(world, [LineSpec("AP-2001", 1)])  # an inspection station finishes a return
        qtbot.waitUntil(lambda: desk.current_rma() == rma, timeout=WAIT)

        with qtbot.waitSignal(controller.sign_in_shown, timeout=WAIT):
            window.sign_out_action.trigger()
        assert controller.live is None  # the feed followed the session; the next user opens their own
        controller.tasks.wait_idle(WAIT)
        with server_ctx.db.read() as s:
            assert s.execute(select(ServerSession.station, ServerSession.revoked_at.is_not(None))).all() == [
                ("DESK-1", True)]
    finally:
        controller.quit()
