"""Shared widgets: MoneyLabel, KeyValueView, StatusPill, BusyOverlay."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from returndesk.domain.types import ReturnStatus
from returndesk.ui.widgets import (
    STATUS_COLOURS,
    BusyOverlay,
    KeyValueView,
    MoneyLabel,
    StatusPill,
    format_amount,
    status_colours,
)


def test_format_amount_uses_the_domain_rules():
    assert format_amount(123450) == "¥1,234.50"
    assert format_amount(-300) == "-¥3.00"
    assert format_amount(999, "USD") == "$9.99"
    assert format_amount(None) == "—"
    with pytest.raises(TypeError, match="int minor units"):
        format_amount(12.5)  # type: ignore[arg-type]


def test_money_label_shows_amounts_and_marks_deductions(qtbot):
    label = MoneyLabel(123450)
    qtbot.addWidget(label)
    assert label.text() == "¥1,234.50"
    assert label.amount() == 123450
    assert "color" not in label.styleSheet()

    label.set_amount(-1500)
    assert label.text() == "-¥15.00"
    assert "#c62828" in label.styleSheet()

    label.set_amount(500, "EUR")
    assert label.text() == "€5.00"
    assert label.currency() == "EUR"
    label.set_amount(None)
    assert label.text() == "—"


def test_key_value_view_rows_by_key(qtbot):
    view = KeyValueView()
    qtbot.addWidget(view)
    view.add_row("RMA", "R0000012340", key="rma")
    view.add_row("Notes")
    pill = StatusPill(ReturnStatus.RECEIVED)
    view.add_row("Status", pill, key="status")

    assert view.keys() == ["rma", "Notes", "status"]
    assert view.value_text("rma") == "R0000012340"
    assert view.value_text("Notes") == "—"
    assert view.value_widget("status") is pill

    view.set_value("rma", "R0000000018")
    assert view.value_text("rma") == "R0000000018"
    with pytest.raises(TypeError, match="holds a widget"):
        view.set_value("status", "x")
    with pytest.raises(ValueError, match="already has a row 'rma'"):
        view.add_row("RMA again", key="rma")
    with pytest.raises(KeyError, match="no row 'customer'"):
        view.value_text("customer")

    view.set_rows([("Customer", "王小明"), ("Phone", None)])
    assert view.keys() == ["Customer", "Phone"]
    assert view.value_text("Customer") == "王小明"


def test_status_pill_text_and_colour(qtbot):
    pill = StatusPill()
    qtbot.addWidget(pill)
    assert pill.status() is None and pill.isHidden()

    pill.set_status("awaiting_approval")
    pill.show()
    qtbot.waitExposed(pill)
    assert pill.status() is ReturnStatus.AWAITING_APPROVAL
    assert pill.text() == "Awaiting approval"
    image = pill.grab().toImage()
    assert image.pixelColor(image.width() // 2, image.height() - 4) == QColor(
        STATUS_COLOURS[ReturnStatus.AWAITING_APPROVAL][0]
    )

    pill.set_status(None)
    assert pill.status() is None and pill.isHidden()


def test_every_status_has_readable_colours():
    def luminance(hex_colour: str) -> float:
        c = QColor(hex_colour)

        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())

    assert set(STATUS_COLOURS) == set(ReturnStatus)
    for status in ReturnStatus:
        background, foreground = status_colours(status.value)
        lighter, darker = sorted((luminance(background), luminance(foreground)), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, status  # WCAG AA for normal text


def test_busy_overlay_covers_its_parent_and_stops_clicks(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    button = QPushButton("Approve", host)
    QVBoxLayout(host).addWidget(button)
    host.resize(300, 200)
    host.show()
    qtbot.waitExposed(host)
    clicks: list[bool] = []
    button.clicked.connect(lambda: clicks.append(True))
    overlay = BusyOverlay(host, delay_ms=0)
    window = host.windowHandle()
    on_button = button.geometry().center()

    overlay.set_busy(True)
    assert overlay.is_active() and overlay.isVisible()
    assert overlay.geometry() == host.rect()
    assert overlay.message() == "Working…"
    assert host.childAt(on_button) is overlay
    QTest.mouseClick(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, on_button)
    assert clicks == []

    host.resize(400, 260)
    qtbot.waitUntil(lambda: overlay.geometry() == host.rect())

    overlay.set_busy(False)
    assert not overlay.isVisible()
    on_button = button.geometry().center()
    QTest.mouseClick(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, on_button)
    assert clicks == [True]


def test_busy_overlay_waits_before_appearing(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    host.show()
    overlay = BusyOverlay(host, "Loading queue…", delay_ms=50)
    overlay.start()
    assert overlay.is_active() and not overlay.isVisible()
    qtbot.waitUntil(overlay.isVisible)
    assert overlay.message() == "Loading queue…"
    overlay.stop()
    assert not overlay.isVisible()


def test_busy_overlay_that_stops_before_the_delay_never_shows(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    host.show()
    stopped = BusyOverlay(host, delay_ms=10)
    control = BusyOverlay(host, delay_ms=30)
    stopped.start()
    stopped.stop()
    control.start()
    # The control's longer delay has passed, so the stopped overlay's would have too.
    qtbot.waitUntil(control.isVisible)
    assert not stopped.is_active()
    assert not stopped.isVisible()
