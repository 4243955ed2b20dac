"""The installation's time zone at first start, the site's zone in station settings, and screens
that show the site's time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import create_engine, select

from returndesk.services.usecases import sites
from returndesk.store.schema import Site, Station
from returndesk.ui.dialogs.first_start import FirstStartDialog
from returndesk.ui.local_time import display_zone_name, set_display_zone
from returndesk.ui.main_window import MainWindow
from returndesk.ui.screens.approval.models import format_when
from returndesk.ui.screens.counter.models import format_day
from returndesk.ui.settings import StationProfile

from .test_app_frame import WAIT, _click_ok

pytestmark = pytest.mark.usefixtures("_computer_zone_afterwards")


@pytest.fixture
def _computer_zone_afterwards():
    yield
    set_display_zone(None)


def test_first_start_proposes_shanghai_for_chinese_and_the_computers_zone_otherwise(qtbot, tasks):
    chinese = FirstStartDialog(tasks, language="zh_CN")
    qtbot.addWidget(chinese)
    assert chinese.time_zone() == "Asia/Shanghai"
    english = FirstStartDialog(tasks, language="en")
    qtbot.addWidget(english)
    assert english.time_zone() == sites.system_zone_name()
    # Until someone picks a zone, it follows the language chosen in the dialog.
    english.language_combo.setCurrentIndex(english.language_combo.findData("zh_CN"))
    assert english.time_zone() == "Asia/Shanghai"
    # A zone typed by hand stays whatever the language.
    english.zone_combo.lineEdit().selectAll()
    qtbot.keyClicks(english.zone_combo.lineEdit(), "Europe/Berlin")
    english.language_combo.setCurrentIndex(english.language_combo.findData("en"))
    assert english.time_zone() == "Europe/Berlin"


def test_first_start_refuses_a_zone_that_does_not_exist(qtbot, tasks):
    dialog = FirstStartDialog(tasks, language="en")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.zone_combo.setEditText("Mars/Olympus")
    _click_ok(qtbot, dialog)
    assert dialog.isVisible() and dialog.result() == 0
    assert "'Mars/Olympus' is not a time zone" in dialog.problem_label.text()
    assert dialog.problem_label.isVisibleTo(dialog)


def test_first_start_gives_a_new_database_the_zone_chosen(qtbot, tmp_path, app_controller,
                                                         station_settings):
    path = tmp_path / "station" / "returns.sqlite3"
    with qtbot.waitSignal(app_controller.first_start_shown) as shown:
        app_controller.start()
    dialog = shown.args[0]
    dialog.set_local_path(path)
    dialog.demo_check.setChecked(False)
    dialog.zone_combo.setEditText("America/New_York")
    with qtbot.waitSignal(app_controller.administrator_needed, timeout=WAIT):
        _click_ok(qtbot, dialog)
    qtbot.waitUntil(lambda: app_controller.station_time is not None, timeout=WAIT)
    assert app_controller.station_time.time_zone == "America/New_York"
    assert display_zone_name() == "America/New_York"
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.execute(select(Site.time_zone).where(Site.code == sites.ALL_SITES)).scalar_one() \
            == "America/New_York"
    engine.dispose()


def test_station_settings_set_the_sites_zone_and_the_screens_follow(qtbot, frame_services, tasks,
                                                                    world):
    sites.set_station_time_zone(frame_services.context, None, "TEST-1", "Asia/Shanghai", site="SH01")
    window = MainWindow(frame_services.api_for(world.admin), tasks, world.admin, profile=StationProfile.SUPERVISOR,
                        station_name="TEST-1", station_time=frame_services.station_time())
    qtbot.addWidget(window)
    assert "Asia/Shanghai" in window.station_label.text()
    stamp = datetime(2026, 11, 27, 16, 30)  # naive UTC as SQLite hands it back: 00:30 on the 28th there
    assert format_day(stamp) == format_day(datetime(2026, 11, 28).date())

    dialog = window.show_station_settings()
    assert dialog.site_edit.text() == "SH01" and dialog.time_zone() == "Asia/Shanghai"
    dialog.zone_combo.lineEdit().selectAll()
    qtbot.keyClicks(dialog.zone_combo.lineEdit(), "America/New_York")
    with qtbot.waitSignal(window.station_time_changed, timeout=WAIT) as saved:
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert saved.args[0] == sites.StationTime("TEST-1", "SH01", "America/New_York")
    with frame_services.context.db.read() as s:
        assert s.get(Site, "SH01").time_zone == "America/New_York"
        assert s.execute(select(Station.site).where(Station.code == "TEST-1")).scalar_one() == "SH01"
    assert "America/New_York" in window.station_label.text()
    # The same stored instant is now the 27th, at 11:30 in the morning.
    assert format_day(stamp) == format_day(datetime(2026, 11, 27).date())
    assert "11:30" in format_when(stamp.replace(tzinfo=UTC))


def test_station_settings_refuse_an_unknown_zone(qtbot, frame_services, tasks, world):
    window = MainWindow(frame_services.api_for(world.admin), tasks, world.admin, profile=StationProfile.SUPERVISOR,
                        station_name="TEST-1")
    qtbot.addWidget(window)
    dialog = window.show_station_settings()
    dialog.zone_combo.setEditText("Atlantis/Capital")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "not a time zone" in dialog.problem_label.text()
    with frame_services.context.db.read() as s:
        assert s.execute(select(Site)).first() is None


def test_counter_words_for_a_sale_without_delivery_count_from_sale_plus_transit(qapp):
    from returndesk.domain.types import PolicyStatus
    from returndesk.ui.screens.counter.models import VerdictFacts, verdict_reasons

    def facts(status, elapsed):
        return VerdictFacts(status=status, window_days=30, days_elapsed=elapsed, service_reasons=("x",),
                            reference_known=False, sold_at_counter=False, vendor_fault=False,
                            product_returnable=True, category_returnable=True, category_name="Shoes",
                            quantity=1, qty_returnable=1, transit_days=7)

    late = verdict_reasons(facts(PolicyStatus.OVERRIDE_NEEDED, 40))
    assert late == ("No delivery date: counted from the sale plus 7 days in transit, 40 days ago; 30 days allowed.",)
    within = verdict_reasons(facts(PolicyStatus.WITHIN, 5))
    assert within == ("No delivery date: counted from the sale plus 7 days in transit, 5 days ago; 30 days allowed.",)


def test_only_an_administrator_may_change_the_sites_zone(qtbot, frame_services, tasks, world):
    window = MainWindow(
        frame_services.api_for(world.clerk), tasks, world.clerk, profile=StationProfile.COUNTER, station_name="TEST-1"
    )
    qtbot.addWidget(window)
    dialog = window.show_station_settings()
    assert not dialog.zone_combo.isEnabled() and not dialog.site_edit.isEnabled()
    assert "Only an administrator" in dialog.zone_note.text()
    with qtbot.waitSignal(window.station_settings_changed):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert not dialog.zone_changed()
