"""Helpers for the tests of the application frame: station settings in a temp file, the API
session on a temp SQLite database with the test world, the application itself, returns to list.

The fixtures here are known to every test module (tests/conftest.py loads this module as a plugin):
a test names them as arguments and imports nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from returndesk.domain.types import Channel, RefundMethod
from returndesk.services.usecases import intake, sales
from returndesk.services.infra.bootstrap import ensure_reference_data
from returndesk.services.infra.connection import DatabaseChoice
from returndesk.api.local import LocalSession
from returndesk.services.tx.context import ServiceContext
from returndesk.ui.settings import LocalSettings
from returndesk.ui.tasks import TaskRunner
from tests.integration.factories import PASSWORD, World, build_world, make_order
from tests.integration.keyring_support import MemoryKeyring

__all__ = ["PASSWORD", "MemoryKeyring", "app_controller", "context_of", "frame_services", "make_returns",
           "station_settings", "tasks", "world"]

MET = frozenset({"original_packaging", "accessories_complete"})


@pytest.fixture
def station_settings(tmp_path) -> LocalSettings:
    """The station's settings in a temp INI file (empty: a first start)."""
    return LocalSettings(QSettings(str(tmp_path / "station.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def tasks(qapp):
    runner = TaskRunner()
    yield runner
    runner.wait_idle(10_000)
    runner.shutdown(10_000)


@pytest.fixture
def frame_services(tmp_path, sqlite_template, clock) -> LocalSession:
    """The in-process API session on a migrated temp SQLite database with reference data."""
    path = tmp_path / "frame.sqlite3"
    shutil.copy(sqlite_template, path)
    session = LocalSession.open(DatabaseChoice.local(path), station="TEST-1", clock=clock)
    ensure_reference_data(context_of(session))
    yield session
    session.close()


@pytest.fixture
def app_controller(qtbot, station_settings, tasks):
    """The application on a first start (no live updates), quit afterwards."""
    from returndesk.ui.app import ReturnDeskApp  # the whole client: imported only by the tests that start it

    controller = ReturnDeskApp(station_settings, tasks=tasks, live_updates=False)
    yield controller
    controller.quit()


def context_of(session: LocalSession) -> ServiceContext:
    """The services' context under a session (tests arrange data with the use cases directly)."""
    return session.context


@pytest.fixture
def world(frame_services) -> World:
    """Users of every role (password ``PASSWORD``), catalogue and customers."""
    return build_world(context_of(frame_services))


def make_returns(world: World, count: int) -> list[str]:
    """``count`` returns requested at the counter, one order each; their RMA numbers, oldest first."""
    ctx = world.ctx
    rmas = []
    for _ in range(count):
        order_no = make_order(world, [("AP-2001", 1)], days_ago=3)
        [line] = sales.get_sale(ctx, world.clerk, order_no).lines
        draft = intake.ReturnDraft(
            order_no=order_no, channel=Channel.COUNTER, refund_method=RefundMethod.ORIGINAL_PAYMENT,
            lines=(intake.DraftLine(line.order_line_id, 1, "changed_mind", conditions_met=MET),))
        rmas.append(intake.create_return(ctx, world.clerk, draft).rma_no)
        # Distinct creation times keep "newest first" unambiguous.
        world.ctx.clock.advance(minutes=1)  # type: ignore[attr-defined]
    return rmas


def ini_text(settings: LocalSettings) -> str:
    settings.qsettings.sync()
    return Path(settings.file_name).read_text("utf-8") if Path(settings.file_name).exists() else ""
