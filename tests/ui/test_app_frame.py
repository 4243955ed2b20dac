"""The frame: first start, opening the database, sign-in into the main window, navigation by
role, start screen by station profile, status bar, menus, and the "Returns" screen's model."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWidget
from sqlalchemy import create_engine, func, select, text, update

from returndesk.domain.permissions import Permission, can
from returndesk.domain.types import Role
from returndesk.services.infra.connection import DatabaseChoice
from returndesk.store.schema import Return, User
from returndesk.ui import navigation
from returndesk.ui.main_window import MainWindow
from returndesk.ui.screens.returns_list import ReturnsListScreen, ReturnsTableModel, SummaryRole
from returndesk.ui.settings import StationProfile

from .frame_support import PASSWORD, ini_text, make_returns

WAIT = 20_000


# --------------------------------------------------------------------------- first start


def _click_ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_first_start_on_a_chosen_local_file_creates_the_database_and_asks_for_the_administrator(
        qtbot, tmp_path, app_controller, station_settings):
    path = tmp_path / "station" / "returns.sqlite3"
    with qtbot.waitSignal(app_controller.first_start_shown) as shown:
        app_controller.start()
    dialog = shown.args[0]
    assert dialog.local_radio.isChecked()  # the default: nothing to type
    dialog.set_local_path(path)
    dialog.demo_check.setChecked(False)
    dialog.profile_combo.setCurrentIndex(dialog.profile_combo.findData(StationProfile.INSPECTION))

    with qtbot.waitSignal(app_controller.administrator_needed, timeout=WAIT) as needed:
        _click_ok(qtbot, dialog)

    assert path.is_file()
    assert station_settings.database_choice() == DatabaseChoice.local(path)
    assert station_settings.station_profile == StationProfile.INSPECTION
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar_one()
        assert conn.execute(select(func.count()).select_from(User)).scalar_one() == 0
    engine.dispose()

    admin = needed.args[0]
    qtbot.keyClicks(admin.display_name_edit, "Station Admin")
    qtbot.keyClicks(admin.password_edit, "admin password 1")
    qtbot.keyClicks(admin.repeat_edit, "admin password 1")
    with qtbot.waitSignal(app_controller.main_window_shown, timeout=WAIT) as main:
        _click_ok(qtbot, admin)
    window = main.args[0]
    assert window.actor.username == "admin" and window.actor.role == Role.ADMIN
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.execute(select(User.role).where(User.username == "admin")).scalar_one() == "admin"
    engine.dispose()


@pytest.mark.slow  # generates the whole first-start demo database
def test_first_start_with_demo_data_shows_sign_in_with_the_demo_users(
        qtbot, tmp_path, app_controller, station_settings):
    from returndesk.devtools.demo import demo_accounts

    path = tmp_path / "demo.sqlite3"
    with qtbot.waitSignal(app_controller.first_start_shown) as shown:
        app_controller.start()
    dialog = shown.args[0]
    dialog.set_local_path(path)
    assert dialog.demo_check.isChecked()

    with qtbot.waitSignal(app_controller.sign_in_shown, timeout=120_000) as shown:
        _click_ok(qtbot, dialog)

    sign_in = shown.args[0]
    assert path.is_file()
    listed = {sign_in.demo_table.item(r, 1).text() for r in range(sign_in.demo_table.rowCount())}
    assert listed == {a.username for a in demo_accounts()}
    assert {a.role for a in demo_accounts()} >= {Role.CLERK, Role.INSPECTOR, Role.SUPERVISOR}
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Return)).scalar_one() > 0
    engine.dispose()

    # A demo clerk signs in by clicking their row.
    row = next(
        r for r in range(sign_in.demo_table.rowCount()) if sign_in.demo_table.item(r, 0).text() == "Counter clerk"
    )
    rect = sign_in.demo_table.visualItemRect(sign_in.demo_table.item(row, 1))
    qtbot.mouseClick(sign_in.demo_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(app_controller.main_window_shown, timeout=WAIT) as main:
        qtbot.keyClick(sign_in.password_edit, Qt.Key.Key_Return)
    window = main.args[0]
    assert window.actor.role == Role.CLERK
    returns = window.open_screen("returns")
    qtbot.waitUntil(lambda: returns.model.rowCount() > 0, timeout=WAIT)


def test_a_second_start_goes_straight_to_sign_in(qtbot, app_controller, station_settings, frame_services,
                                                 world):
    station_settings.set_database_choice(frame_services.database)
    with qtbot.waitSignal(app_controller.sign_in_shown, timeout=WAIT) as shown:
        app_controller.start()
    assert app_controller.first_start_dialog is None
    assert shown.args[0].database_label.text().endswith(str(frame_services.database.path))


def test_the_sign_in_window_comes_before_the_database_is_open_and_a_sign_in_typed_at_once_waits_for_it(
        qtbot, app_controller, station_settings, frame_services, world):
    station_settings.set_database_choice(frame_services.database)
    station_settings.last_username = "clerk"
    with qtbot.waitSignal(app_controller.sign_in_window_shown, timeout=WAIT) as shown:
        app_controller.start()
    dialog = shown.args[0]
    # On screen at once: the database opens behind it (the next turn of the event loop).
    assert dialog.isVisible() and not dialog.has_session and app_controller.session is None
    assert dialog.database_label.text().endswith(str(frame_services.database.path))
    assert dialog.username_edit.text() == "clerk"
    dialog.password_edit.setText(PASSWORD)
    dialog.sign_in()
    # Asked before the database is open: the form waits, disabled, and signs in once it is.
    assert not dialog.password_edit.isEnabled() and not dialog.sign_in_button.isEnabled()
    with qtbot.waitSignal(app_controller.main_window_shown, timeout=WAIT) as main:
        pass
    assert dialog.has_session and dialog.actor is not None and dialog.actor.username == "clerk"
    assert main.args[0].actor.username == "clerk"


def test_a_wrong_password_typed_before_the_database_is_open_is_refused_once_it_is(
        qtbot, app_controller, station_settings, frame_services, world):
    station_settings.set_database_choice(frame_services.database)
    with qtbot.waitSignal(app_controller.sign_in_window_shown, timeout=WAIT) as shown:
        app_controller.start()
    dialog = shown.args[0]
    dialog.username_edit.setText("clerk")
    dialog.password_edit.setText("not the password")
    with qtbot.waitSignal(dialog.sign_in_failed, timeout=WAIT) as failed:
        dialog.sign_in()
    assert failed.args[0] == "wrong_password"
    assert dialog.isVisible() and dialog.password_edit.isEnabled() and dialog.password_edit.text() == ""
    assert app_controller.main_window is None


def test_cancelling_the_sign_in_window_while_the_database_opens_quits_and_keeps_no_session(
        qtbot, app_controller, station_settings, frame_services, world):
    station_settings.set_database_choice(frame_services.database)
    with qtbot.waitSignal(app_controller.sign_in_window_shown, timeout=WAIT) as shown:
        app_controller.start()
    with qtbot.waitSignal(app_controller.finished, timeout=WAIT):
        shown.args[0].reject()
    qtbot.waitUntil(app_controller.tasks.is_idle, timeout=WAIT)
    assert app_controller.session is None and app_controller.main_window is None
    assert app_controller.sign_in_dialog is None


def test_a_database_from_a_newer_returndesk_is_refused(qtbot, tmp_path, sqlite_template, app_controller,
                                                       station_settings):
    path = tmp_path / "newer.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("update alembic_version set version_num = '9999_from_the_future'"))
    engine.dispose()
    station_settings.set_database_choice(DatabaseChoice.local(path))

    with qtbot.waitSignal(app_controller.refused, timeout=WAIT) as refused:
        app_controller.start()

    assert "newer ReturnDesk" in refused.args[0]
    assert "9999_from_the_future" in refused.args[0]
    box = app_controller.message_box
    assert box is not None and box.isVisible()
    assert app_controller.session is None and app_controller.main_window is None
    assert app_controller.sign_in_dialog is None  # the window shown while it opened is gone
    # "Choose another database…" goes back to the first-start dialog, saying why.
    other = next(b for b in box.buttons() if b.text().startswith("Choose another database"))
    with qtbot.waitSignal(app_controller.first_start_shown) as shown:
        other.click()
    assert "newer ReturnDesk" in shown.args[0].problem_label.text()


def test_a_database_that_cannot_be_opened_brings_back_the_first_start_with_the_reason(
        qtbot, tmp_path, app_controller, station_settings):
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("x")
    station_settings.set_database_choice(DatabaseChoice.local(blocker / "returndesk.sqlite3"))

    with qtbot.waitSignal(app_controller.first_start_shown, timeout=WAIT) as shown:
        app_controller.start()

    problem = shown.args[0].problem_label
    assert problem.isVisibleTo(shown.args[0]) and problem.text()


# --------------------------------------------------------------------------- sign-in and navigation


class _Probe(QWidget):
    """A stand-in screen registered by these tests only, to see what the navigation offers."""

    def __init__(self, api, tasks, actor) -> None:
        super().__init__()
        self.actor = actor
        QLabel(f"probe for {actor.username}", self)


@pytest.fixture
def probe_screens():
    """Screens with the permissions of the three stations; removed again afterwards."""
    added = [
        navigation.register("probe_counter", "Counter intake", Permission.CREATE_RETURN, _Probe,
                            start_for=(StationProfile.COUNTER,)),
        navigation.register("probe_inspection", "Inspection", Permission.INSPECT, _Probe,
                            start_for=(StationProfile.INSPECTION,)),
        navigation.register("probe_approval", "Approvals", Permission.APPROVE_REFUND, _Probe,
                            start_for=(StationProfile.SUPERVISOR,)),
        navigation.register("probe_queues", "Queues", Permission.VIEW_QUEUES, _Probe),
    ]
    yield {e.key for e in added}
    for entry in added:
        navigation.unregister(entry.key)


@pytest.mark.parametrize(
    ("username", "profile", "expected", "hidden"),
    [
        ("clerk", StationProfile.COUNTER,
         ["probe_counter", "probe_inspection", "probe_approval"], ["probe_queues"]),
        ("supervisor", StationProfile.SUPERVISOR,
         ["probe_counter", "probe_inspection", "probe_approval", "probe_queues"], []),
        ("inspector", StationProfile.INSPECTION,
         ["probe_inspection"], ["probe_counter", "probe_approval", "probe_queues"]),
        # An inspector at a counter: no counter screen is theirs, so their first screen shows.
        ("inspector", StationProfile.COUNTER, ["probe_inspection"], ["probe_counter"]),
    ],
)
def test_sign_in_opens_the_start_screen_of_the_station_and_only_allowed_entries(
        qtbot, app_controller, station_settings, frame_services, world, probe_screens,
        username, profile, expected, hidden):
    station_settings.set_database_choice(frame_services.database)
    station_settings.station_profile = profile
    with qtbot.waitSignal(app_controller.sign_in_shown, timeout=WAIT) as shown:
        app_controller.start()
    dialog = shown.args[0]
    qtbot.keyClicks(dialog.username_edit, username)
    qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    with qtbot.waitSignal(app_controller.main_window_shown, timeout=WAIT) as main:
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)

    window: MainWindow = main.args[0]
    keys = window.navigation_keys()
    role = window.actor.role
    allowed = [e for e in navigation.registered() if can(role, e.permission)]
    assert keys == [e.key for e in allowed]
    for key in expected:
        assert key in keys
    for key in hidden:
        assert key not in keys
    # The start screen: the first allowed screen made for this station profile, else the first one.
    current = window.current_screen_key()
    for_profile = [e.key for e in allowed if profile in e.start_for]
    if for_profile:
        assert current == for_profile[0]
    else:
        assert current == keys[0]
    if username == "inspector" and profile == StationProfile.COUNTER:
        assert not for_profile
    else:
        assert for_profile
    assert window.navigation.currentItem().data(Qt.ItemDataRole.UserRole + 1) == current
    # The status bar: who, where, which database (no password), connection.
    assert window.actor.display_name in window.user_label.text()
    assert "Station:" in window.station_label.text()
    assert str(frame_services.database.path) in window.database_label.text()
    assert window.connection_label.text() == "Connected"


def test_navigation_opens_screens_and_shortcuts_are_shown(qtbot, frame_services, tasks, world,
                                                         probe_screens):
    window = MainWindow(
        frame_services.api_for(world.supervisor),
        tasks,
        world.supervisor,
        profile=StationProfile.SUPERVISOR,
        station_name="DESK-7",
    )
    qtbot.addWidget(window)
    window.show()
    supervisor_screens = [e.key for e in window.entries if StationProfile.SUPERVISOR in e.start_for]
    assert window.current_screen_key() == supervisor_screens[0]

    row = window.navigation_keys().index("probe_queues")
    item = window.navigation.item(row)
    qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.navigation.visualItemRect(item).center())
    assert window.current_screen_key() == "probe_queues"
    assert isinstance(window.screens["probe_queues"], _Probe)

    first = window.navigation_keys()[0]
    window.screen_actions[first].trigger()
    assert window.current_screen_key() == first
    assert "Ctrl+1" in window.navigation.item(0).toolTip()
    assert window.screen_actions[first].shortcut().toString() == "Ctrl+1"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert "Ctrl+Q" in window.quit_action.toolTip()
    assert "DESK-7" in window.station_label.text()
    assert "Supervisor workstation" in window.station_label.text()


def test_connection_state_label_follows_the_live_updates(qtbot, frame_services, tasks, world):
    window = MainWindow(frame_services.api_for(world.clerk), tasks, world.clerk)
    qtbot.addWidget(window)
    window.set_connection_state(False, "Offline: the database cannot be reached. Reconnecting…")
    assert window.connection_label.text() == "Offline"
    assert "Reconnecting" in window.connection_label.toolTip()
    window.set_connection_state(True, "Connected")
    assert window.connection_label.text() == "Connected"


def test_sign_out_returns_to_sign_in_and_quit_finishes(qtbot, app_controller, station_settings,
                                                       frame_services, world):
    station_settings.set_database_choice(frame_services.database)
    with qtbot.waitSignal(app_controller.sign_in_shown, timeout=WAIT) as shown:
        app_controller.start()
    dialog = shown.args[0]
    qtbot.keyClicks(dialog.username_edit, "clerk")
    qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    with qtbot.waitSignal(app_controller.main_window_shown, timeout=WAIT) as main:
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    window = main.args[0]

    with qtbot.waitSignal(app_controller.sign_in_shown, timeout=WAIT) as again:
        window.sign_out_action.trigger()
    assert app_controller.main_window is None
    assert again.args[0].username_edit.text() == "clerk"  # remembered, the password is not
    assert again.args[0].password_edit.text() == ""
    assert "password" not in ini_text(station_settings).lower()

    with qtbot.waitSignal(app_controller.finished, timeout=WAIT):
        again.args[0].reject()
    assert app_controller.session is None


def test_while_a_user_is_signed_in_what_the_station_holds_is_frozen_for_the_collector(
        qtbot, app_controller, station_settings, frame_services, world):
    import gc

    gc.unfreeze()
    station_settings.set_database_choice(frame_services.database)
    with qtbot.waitSignal(app_controller.sign_in_shown, timeout=WAIT) as shown:
        app_controller.start()
    windows = []
    for turn in range(2):
        dialog = shown.args[0]
        if turn == 0:
            qtbot.keyClicks(dialog.username_edit, "clerk")
        qtbot.keyClicks(dialog.password_edit, PASSWORD)
        with qtbot.waitSignal(app_controller.main_window_shown, timeout=WAIT) as main:
            qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
        window = main.args[0]
        windows.append(window)
        qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=WAIT)
        # The window is out of the collector's generations (frozen objects are not listed).
        assert not any(obj is window for obj in gc.get_objects())
        with qtbot.waitSignal(app_controller.sign_in_shown, timeout=WAIT) as shown:
            window.sign_out_action.trigger()
        # Signed out: everything is the collector's again, the closed window's objects included.
        assert gc.get_freeze_count() == 0
        assert any(obj is window for obj in gc.get_objects())
    assert windows[0] is not windows[1]


def test_language_switch_retranslates_the_frame_at_once(qtbot, app_controller, station_settings,
                                                        frame_services, tasks, world):
    window = MainWindow(frame_services.api_for(world.clerk), tasks, world.clerk)
    qtbot.addWidget(window)
    app_controller.session = frame_services
    window.language_requested.connect(app_controller.set_language)
    calls = []
    original = window.retranslate_ui
    window.retranslate_ui = lambda: (calls.append(1), original())  # type: ignore[method-assign]
    try:
        window.language_actions["zh_CN"].trigger()
        QCoreApplication.processEvents()
        assert station_settings.language == "zh_CN"
        assert calls, "the window did not receive QEvent.LanguageChange"
        assert window.language_actions["zh_CN"].isChecked()
    finally:
        app_controller.set_language("en")


# --------------------------------------------------------------------------- the Returns screen


def test_returns_model_passes_the_model_tester_and_pages_by_keyset(qtbot, qtmodeltester, frame_services,
                                                                    tasks, world):
    rmas = make_returns(world, 12)

    def fetch(after):
        return frame_services.api_for(world.clerk).search.find_returns("", after=after, limit=5)

    model = ReturnsTableModel(fetch, tasks)
    with qtbot.waitSignal(model.page_loaded, timeout=WAIT):
        model.reload()
    assert model.rowCount() == 5
    assert model.canFetchMore(QModelIndex())
    # Newest first; the status is shown by its translated name.
    assert [model.index(r, model.RMA).data() for r in range(5)] == list(reversed(rmas))[:5]
    assert model.index(0, model.STATUS).data() == "Requested"
    assert model.index(0, 0).data(SummaryRole).rma_no == rmas[-1]
    assert model.headerData(model.STATUS, Qt.Orientation.Horizontal) == "Status"

    # The tester calls fetchMore itself: the next page arrives while it watches.
    with qtbot.waitSignal(model.page_loaded, timeout=WAIT):
        qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 10
    with qtbot.waitSignal(model.page_loaded, timeout=WAIT):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 12 and model.exhausted
    assert not model.canFetchMore(QModelIndex())
    assert [model.index(r, model.RMA).data() for r in range(12)] == list(reversed(rmas))
    qtmodeltester.check(model, force_py=True)


def test_returns_screen_fetches_more_pages_when_scrolled(qtbot, frame_services, tasks, world):
    rmas = make_returns(world, 30)
    screen = ReturnsListScreen(frame_services.api_for(world.clerk), tasks, world.clerk, page_size=10)
    qtbot.addWidget(screen)
    screen.resize(900, 320)
    screen.show()
    model = screen.model
    # The view asks for pages until its viewport is full, then waits for the user to scroll.
    qtbot.waitUntil(lambda: model.rowCount() >= 10 and not model.loading, timeout=WAIT)
    shown = model.rowCount()
    assert shown < 30 and model.canFetchMore(QModelIndex())

    scrollbar = screen.table.verticalScrollBar()
    while not model.exhausted:
        before = model.rowCount()
        # The view lays out the new rows in its own time; then there is further to scroll.
        qtbot.waitUntil(lambda: scrollbar.maximum() > scrollbar.value(), timeout=WAIT)
        with qtbot.waitSignal(model.page_loaded, timeout=WAIT):
            scrollbar.setValue(scrollbar.maximum())
        qtbot.waitUntil(lambda: not model.loading, timeout=WAIT)
        assert model.rowCount() > before
    assert [model.summary(r).rma_no for r in range(model.rowCount())] == list(reversed(rmas))
    assert screen.status_label.text() == "30 return(s)."


def test_returns_search_by_rma_order_and_phone(qtbot, frame_services, tasks, world):
    rmas = make_returns(world, 3)
    screen = ReturnsListScreen(frame_services.api_for(world.clerk), tasks, world.clerk)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 3 and not screen.model.loading, timeout=WAIT)

    with qtbot.waitSignal(screen.results_shown, timeout=WAIT):
        qtbot.keyClicks(screen.search_edit, rmas[1])
        qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    assert screen.model.rowCount() == 1
    summary = screen.model.summary(0)
    assert summary.rma_no == rmas[1]

    with qtbot.waitSignal(screen.results_shown, timeout=WAIT):
        screen.search_edit.setText(summary.order_no)
        qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    assert [screen.model.summary(r).rma_no for r in range(screen.model.rowCount())] == [rmas[1]]

    with qtbot.waitSignal(screen.results_shown, timeout=WAIT):
        screen.search_edit.setText("138 0013 8000")  # the test customer's phone, as people type it
        qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    assert screen.model.rowCount() == 3

    with qtbot.waitSignal(screen.results_shown, timeout=WAIT):
        screen.search_edit.setText("SO-NOSUCH")
        qtbot.keyClick(screen.search_edit, Qt.Key.Key_Return)
    assert screen.model.rowCount() == 0
    assert "No return matches" in screen.status_label.text()


def test_returns_screen_reloads_when_a_return_changes(qtbot, frame_services, tasks, world):
    make_returns(world, 2)
    screen = ReturnsListScreen(frame_services.api_for(world.clerk), tasks, world.clerk)
    qtbot.addWidget(screen)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2 and not screen.model.loading, timeout=WAIT)

    with qtbot.waitSignal(screen.model.page_loaded, timeout=WAIT):
        make_returns(world, 1)  # the use case announces the change after its commit
    qtbot.waitUntil(lambda: screen.model.rowCount() == 3, timeout=WAIT)


# --------------------------------------------------------------------------- a shared server


def test_station_settings_change_the_profile_and_name_for_the_next_sign_in(
        qtbot, app_controller, station_settings, frame_services, world):
    station_settings.set_database_choice(frame_services.database)
    station_settings.station_profile = StationProfile.COUNTER
    with qtbot.waitSignal(app_controller.sign_in_shown, timeout=WAIT) as shown:
        app_controller.start()
    dialog = shown.args[0]
    dialog.username_edit.setText("supervisor")
    dialog.password_edit.setText(PASSWORD)
    with qtbot.waitSignal(app_controller.main_window_shown, timeout=WAIT) as main:
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    window = main.args[0]

    settings_dialog = window.show_station_settings()
    settings_dialog.profile_combo.setCurrentIndex(settings_dialog.profile_combo.findData(StationProfile.SUPERVISOR))
    settings_dialog.station_name_edit.setText("DESK-9")
    with qtbot.waitSignal(window.station_settings_changed):
        settings_dialog.accept()
    assert station_settings.station_profile == StationProfile.SUPERVISOR
    assert station_settings.station_name == "DESK-9"
    assert app_controller.session.station == "DESK-9"

    with qtbot.waitSignal(app_controller.sign_in_shown, timeout=WAIT) as again:
        window.sign_out_action.trigger()
    again.args[0].password_edit.setText(PASSWORD)
    with qtbot.waitSignal(app_controller.main_window_shown, timeout=WAIT) as main:
        qtbot.keyClick(again.args[0].password_edit, Qt.Key.Key_Return)
    window = main.args[0]
    assert window.actor.station == "DESK-9"
    assert "DESK-9" in window.station_label.text() and "Supervisor workstation" in window.station_label.text()
    for_supervisor = [e.key for e in window.entries if StationProfile.SUPERVISOR in e.start_for]
    if for_supervisor:
        assert window.current_screen_key() == for_supervisor[0]


def test_screens_follow_the_live_updates_of_the_window(qtbot, frame_services, tasks, world):
    from returndesk.ui.live import LiveUpdates

    window = MainWindow(
        frame_services.api_for(world.supervisor), tasks, world.supervisor, profile=StationProfile.SUPERVISOR
    )
    qtbot.addWidget(window)
    live = LiveUpdates(frame_services)  # not started: only the wiring is under test
    window.attach_live_updates(live)
    attached = [w for w in window.screens.values() if getattr(w, "_live", None) is live]
    assert attached, "the start screen follows the live updates"
    for key in window.navigation_keys():
        screen = window.open_screen(key)
        if hasattr(screen, "attach_live_updates"):
            assert getattr(screen, "_live", None) is live, key
    live.stop()


def test_the_local_application_does_the_housekeeping_at_start_and_every_hour(
        qtbot, app_controller, station_settings, frame_services, world, clock):
    from datetime import UTC, datetime, timedelta

    from returndesk.services.usecases import refunds
    from tests.integration.money_support import LineSpec, approved

    ctx = frame_services.context
    # Settled three weeks ago: the application runs on the real clock.
    clock.current = datetime.now(UTC) - timedelta(days=21)
    first = approved(world, [LineSpec("AP-2001", 1)])
    refunds.issue_refund(ctx, world.finance, first)
    second = approved(world, [LineSpec("AP-2001", 1)])
    refunds.issue_refund(ctx, world.finance, second)
    with ctx.db.write() as s:  # the second was settled yesterday: not due yet
        s.execute(update(Return).where(Return.rma_no == second)
                  .values(status_changed_at=datetime.now(UTC) - timedelta(days=1)))

    station_settings.set_database_choice(frame_services.database)
    with qtbot.waitSignal(app_controller.sign_in_shown, timeout=WAIT) as shown:
        app_controller.start()
    dialog = shown.args[0]
    qtbot.keyClicks(dialog.username_edit, "clerk")
    qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    with qtbot.waitSignal(app_controller.housekeeping_done, timeout=WAIT) as done:
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert done.args[0].closed == [first]
    assert app_controller.housekeeping_timer.isActive()
    assert app_controller.housekeeping_timer.interval() == 60 * 60 * 1000

    def status(rma):
        with ctx.db.read() as s:
            return s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one()

    assert (status(first), status(second)) == ("closed", "refunded")
    with ctx.db.write() as s:  # a day on, the second is due too
        s.execute(update(Return).where(Return.rma_no == second)
                  .values(status_changed_at=datetime.now(UTC) - timedelta(days=15)))
    app_controller.housekeeping_timer.timeout.emit()  # the hour has come
    qtbot.waitUntil(lambda: status(second) == "closed", timeout=WAIT)
