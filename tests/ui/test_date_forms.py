"""Every screen writes days and times one way, in English and in Chinese: ``2026-11-30 14:05``.

A locale's short form (``12/3/26`` in English, ``2026/12/3`` in Chinese) leaves the reader to guess
which number is the month; the screens format through ``returndesk.ui.local_time`` instead. The
test renders each registered screen with returns on it in both languages and scans every text it
shows for a slashed or dotted date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QLocale
from PySide6.QtWidgets import QLabel, QWidget

from returndesk.domain.permissions import can
from returndesk.ui import navigation
from returndesk.ui.i18n import install_translations, remove_translations
from returndesk.ui.local_time import format_date, format_datetime, format_recent, set_display_zone
from tests.integration.factories import make_order
from tests.integration.money_support import LineSpec, awaiting, take_return
from tests.ui.frame_support import make_returns
from tests.ui.test_translations import shown_texts

WAIT_MS = 20_000
#: A day written with slashes or dots (12/3/26, 2026/12/3, 3.12.2026): the order is the reader's guess.
AMBIGUOUS_DATE = re.compile(r"(?<![\w/.])(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})(?![\w/])")
#: A day as the screens write it.
ISO_DAY = re.compile(r"\b20\d\d-[01]\d-[0-3]\d\b")


def ambiguous(texts: list[tuple[str, str]]) -> list[str]:
    """The shown texts that hold a day in a locale's short form."""
    found = []
    for where, text in texts:
        for match in AMBIGUOUS_DATE.finditer(text):
            if "." in match.group(0) and len(match.group(3)) < 2:
                continue  # "1.2.3": a version, not a day
            found.append(f"{where}: {text!r}")
    return found


@pytest.fixture(params=["en", "zh_CN"])
def language(request, qapp) -> Iterator[str]:
    locale = QLocale()
    install_translations(request.param)
    yield request.param
    remove_translations()
    QLocale.setDefault(locale)


@pytest.fixture
def returns_on_screens(world) -> dict[str, str]:
    """Returns in the states the stations' screens list (awaiting approval, expected at the
    warehouse, requested at the counter)."""
    waiting = awaiting(world, [LineSpec("AP-2001", 1)])
    order_no = make_order(world, [("HM-4001", 1)], days_ago=2)
    expected = take_return(world, order_no, [LineSpec("HM-4001", 1)])
    make_returns(world, 1)
    return {"approval": waiting, "inspection": expected, "returns": waiting}


def _actor_for(world, entry: navigation.ScreenEntry):
    people = [world.clerk, world.inspector, world.supervisor, world.manager, world.finance, world.admin]
    return next(actor for actor in people if can(actor.role, entry.permission))


@pytest.mark.parametrize("key", [entry.key for entry in navigation.registered()])
def test_no_screen_writes_an_ambiguous_date(qtbot, language, frame_services, tasks, world, returns_on_screens, key):
    entry = next(e for e in navigation.registered() if e.key == key)
    actor = _actor_for(world, entry)
    screen = entry.factory(frame_services.api_for(actor), tasks, actor)
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    if key in returns_on_screens:
        rma = returns_on_screens[key]
        qtbot.waitUntil(lambda: any(rma in text for _, text in shown_texts(screen)), timeout=WAIT_MS)
    qtbot.waitUntil(tasks.is_idle, timeout=WAIT_MS)
    QCoreApplication.processEvents()
    qtbot.waitUntil(tasks.is_idle, timeout=WAIT_MS)

    texts = shown_texts(screen)
    assert texts, f"{key}: the screen shows nothing"
    found = ambiguous(texts)
    assert not found, f"{key} in {language}: days in a short form:\n" + "\n".join(found)
    if key == "returns":  # the list shows when each return was created: a day in the one form
        assert any(ISO_DAY.search(text) for _, text in texts), texts


@pytest.mark.parametrize("shown", ["en_US", "zh_CN"])
def test_the_scan_catches_a_locale_short_form(qtbot, shown):
    """The check can fail: Qt's short form in either language is reported, ours is not."""
    root = QWidget()
    qtbot.addWidget(root)
    day = QDate(2026, 12, 3)
    QLabel(QLocale(shown).toString(day, QLocale.FormatType.ShortFormat), root)
    QLabel(f"Version 1.2.3 · {format_date(date(2026, 12, 3))}", root)
    root.show()
    found = ambiguous(shown_texts(root))
    assert len(found) == 1, found


def test_the_forms_are_the_same_in_every_language(language):
    set_display_zone("Asia/Shanghai")
    try:
        moment = datetime(2026, 11, 30, 6, 5, tzinfo=UTC)  # 14:05 in Shanghai
        assert format_date(moment) == "2026-11-30"
        assert format_date(date(2026, 12, 3)) == "2026-12-03"
        assert format_datetime(moment) == "2026-11-30 14:05"
        assert format_datetime(None, empty="—") == "—"
        assert format_recent(moment) == "2026-11-30 14:05"  # not today: the day as well
        assert format_recent(datetime.now(UTC)).count(":") == 1 and "-" not in format_recent(datetime.now(UTC))
    finally:
        set_display_zone(None)
