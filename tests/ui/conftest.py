"""Fixtures for the pytest-qt tests of the desktop client."""

from __future__ import annotations

import os

# Before any QApplication exists: the tests run without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


class ManualClock:
    """A monotonic clock (seconds) that only moves when the test says so.

    QTest key events carry timestamp 0, so the scanner's timing is driven by this clock.
    """

    def __init__(self) -> None:
        self._ms = 1_000_000

    def __call__(self) -> float:
        return self._ms / 1000.0

    def advance(self, ms: int) -> None:
        self._ms += ms


@pytest.fixture
def scan_clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def chinese_station(qapp):
    """The station set to 中文 (the committed catalogue); English again afterwards."""
    from returndesk.ui.i18n import install_translations, remove_translations

    install_translations("zh_CN")
    yield
    remove_translations()
    install_translations("en")
