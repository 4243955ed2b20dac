"""The client finds its database as the command line does: ``--url``, else ``$RETURNDESK_DB_URL``,
else the station's own choice (the local file by default). A database given by address is for
that run only: the station's settings and keyring keep what they had."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy.engine import make_url

from returndesk.domain.errors import ValidationFailed
from returndesk.services.infra.connection import (
    DatabaseChoice,
    ServerAddress,
    SslMode,
    choice_from_url,
    given_database_url,
)
from PySide6.QtWidgets import QApplication

from returndesk.ui.app import ReturnDeskApp

from .frame_support import ini_text

WAIT = 20_000
ENV = {"RETURNDESK_DB_URL": "sqlite:///from/the/environment.sqlite3"}


# --------------------------------------------------------------------------- which address


def test_url_on_the_command_line_comes_before_the_environment():
    assert given_database_url(["--url", "sqlite:///given.sqlite3"], ENV) == "sqlite:///given.sqlite3"
    assert given_database_url(["-platform", "xcb", "--url=sqlite:///given.sqlite3"], ENV) == "sqlite:///given.sqlite3"


def test_the_environment_names_the_database_when_the_command_line_does_not():
    assert given_database_url(["-platform", "xcb"], ENV) == ENV["RETURNDESK_DB_URL"]


def test_without_either_the_station_settings_decide():
    assert given_database_url([], {}) is None
    assert given_database_url([], {"RETURNDESK_DB_URL": ""}) is None


def test_addresses_become_the_choices_the_first_start_dialog_makes(tmp_path):
    path = tmp_path / "station.sqlite3"
    assert choice_from_url(f"sqlite:///{path}") == (DatabaseChoice.local(path), None)
    choice, password = choice_from_url("postgresql://counter_01:s3cret@db.shop:5433/returns?sslmode=require")
    assert choice == DatabaseChoice.shared(ServerAddress("db.shop", 5433, "returns", "counter_01", SslMode.REQUIRE))
    assert password == "s3cret"
    choice, password = choice_from_url("postgresql+psycopg://clerk@db.shop/returndesk")
    assert choice.server == ServerAddress("db.shop", 5432, "returndesk", "clerk", SslMode.PREFER)
    assert password is None


@pytest.mark.parametrize("url, says", [
    ("mysql://u:p@host/db", "SQLite and PostgreSQL"),
    ("not an address", "not one ReturnDesk can use"),
    ("sqlite://", "needs a file"),
    ("postgresql:///returndesk", "host name"),
    ("postgresql://u@host/db?sslmode=sometimes", "not an SSL mode"),
])
def test_an_address_that_cannot_work_is_refused_with_a_sentence(url, says):
    with pytest.raises(ValidationFailed) as refused:
        choice_from_url(url)
    assert says in refused.value.message


def test_a_refused_address_does_not_echo_its_password():
    with pytest.raises(ValidationFailed) as refused:
        choice_from_url("mysql://user:TopSecret99@host/db")
    assert "TopSecret99" not in refused.value.message


# --------------------------------------------------------------------------- the client


@pytest.fixture
def station_with_another_database(tmp_path, sqlite_template, station_settings):
    """Station settings that remember a different local database than the one the test gives."""
    other = tmp_path / "the station's own.sqlite3"
    shutil.copy(sqlite_template, other)
    station_settings.set_database_choice(DatabaseChoice.local(other))
    return station_settings


def test_the_client_opens_the_database_given_by_address_for_this_run_only(
        qtbot, tasks, frame_services, world, station_with_another_database):
    remembered = station_with_another_database.database_choice()
    controller = ReturnDeskApp(station_with_another_database, tasks=tasks, live_updates=False,
                               database_url=f"sqlite:///{frame_services.database.path}")
    try:
        with qtbot.waitSignal(controller.sign_in_shown, timeout=WAIT) as shown:
            controller.start()
        assert controller.first_start_dialog is None
        assert controller.session.database == frame_services.database
        assert shown.args[0].database_label.text().endswith(str(frame_services.database.path))
        assert station_with_another_database.database_choice() == remembered
    finally:
        controller.quit()


def test_the_environment_names_the_client_s_database_without_a_command_line_address(
        qtbot, tasks, frame_services, world, station_with_another_database, monkeypatch):
    monkeypatch.setenv("RETURNDESK_DB_URL", f"sqlite:///{frame_services.database.path}")
    controller = ReturnDeskApp(station_with_another_database, tasks=tasks, live_updates=False,
                               database_url=given_database_url([]))
    try:
        with qtbot.waitSignal(controller.database_opened, timeout=WAIT) as opened:
            controller.start()
        assert opened.args[0].database == frame_services.database
    finally:
        controller.quit()


def test_without_an_address_the_station_s_own_database_opens(
        qtbot, tasks, frame_services, world, station_with_another_database):
    controller = ReturnDeskApp(station_with_another_database, tasks=tasks, live_updates=False,
                               database_url=given_database_url([], {}))
    try:
        with qtbot.waitSignal(controller.database_opened, timeout=WAIT) as opened:
            controller.start()
        assert opened.args[0].database == station_with_another_database.database_choice()
    finally:
        controller.quit()


def test_an_unusable_address_brings_the_first_start_with_the_reason(
        qtbot, tasks, station_settings):
    controller = ReturnDeskApp(station_settings, tasks=tasks, live_updates=False,
                               database_url="mysql://someone@somewhere/db")
    try:
        with qtbot.waitSignal(controller.first_start_shown, timeout=WAIT) as shown:
            controller.start()
        assert "SQLite and PostgreSQL" in shown.args[0].problem_label.text()
        assert station_settings.database_choice() is None
    finally:
        controller.quit()


@pytest.mark.pg
def test_a_server_address_with_its_password_opens_without_touching_settings_or_keyring(
        qtbot, tasks, station_settings, memory_keyring, pg_database):
    u = make_url(pg_database)
    url = u.set(drivername="postgresql", password="given on the command line").render_as_string(hide_password=False)
    controller = ReturnDeskApp(station_settings, tasks=tasks, live_updates=False, database_url=url)
    try:
        with qtbot.waitSignal(controller.database_opened, timeout=WAIT) as opened:
            controller.start()
        services = opened.args[0]
        assert not services.is_local and services.database.server.database == u.database
        assert memory_keyring.secrets == {}
        assert station_settings.database_choice() is None
        assert "given on the command line" not in ini_text(station_settings)
    finally:
        controller.quit()


def test_no_sign_in_window_opens_once_the_station_quit(
        qtbot, tasks, frame_services, world, station_with_another_database):
    """Quitting just as the database opened: the tasks that would show the sign-in window finish
    while the station waits for them, and open nothing (a window left open would hold every scan
    of the screens that come after it)."""
    from returndesk.ui.dialogs.sign_in import SignInDialog

    controller = ReturnDeskApp(station_with_another_database, tasks=tasks, live_updates=False,
                               database_url=f"sqlite:///{frame_services.database.path}")
    shown: list[object] = []
    controller.sign_in_shown.connect(shown.append)
    with qtbot.waitSignal(controller.database_opened, timeout=WAIT):
        controller.start()
    controller.quit()  # waits for the tasks, which deliver meanwhile
    qtbot.waitUntil(tasks.is_idle, timeout=WAIT)
    assert shown == []
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, SignInDialog) and w.isVisible()]
