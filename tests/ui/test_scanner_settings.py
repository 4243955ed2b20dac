"""File ▸ Scanners: the settings reach the router and the station's settings; test scans are read."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from returndesk.domain.scan import command_payload, format_rma
from returndesk.ui.dialogs.scanner_settings import ScannerSettingsDialog, describe_scan
from returndesk.ui.scanner import ScannerSettings, ScanRouter
from returndesk.ui.settings import LocalSettings


class _Clock:
    now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def router(qapp):
    r = ScanRouter(ScannerSettings(prefix="\x02"), clock=_Clock(), parent=qapp)
    r.install(qapp)
    yield r
    r.uninstall()
    r.setParent(None)


def _scan(qtbot, widget, text: str) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)  # STX prefix
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_a_scan_while_the_dialog_is_open_is_read_and_explained(qtbot, router):
    dialog = ScannerSettingsDialog(router.settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    dialog.mode_combo.setFocus()
    rma = format_rma(1234)
    with qtbot.waitSignal(dialog.scan_tested, timeout=5000) as got:
        _scan(qtbot, dialog.mode_combo, rma)
    assert got.args == [rma]
    assert f"RMA {rma}" in dialog.test_result.text()
    assert dialog.isVisible()  # the scan's Enter did not press OK


def test_describe_scan_names_each_kind_of_code():
    def tr(s):
        return s

    assert "Return label" in describe_scan(format_rma(7), tr)
    assert "order SO-1042" in describe_scan("SO-1042", tr)
    assert "Inspection command" in describe_scan(command_payload("complete"), tr)
    assert "Product barcode" in describe_scan("6901234567892", tr)


def test_accepting_applies_to_the_router_and_is_kept(qtbot, router, tmp_path, monkeypatch):
    monkeypatch.setenv("RETURNDESK_SETTINGS", str(tmp_path / "station.ini"))
    from returndesk.ui.main_window import MainWindow

    # The menu action's method needs only a parent widget: drive it on a bare one.
    from PySide6.QtWidgets import QWidget

    host = QWidget()
    qtbot.addWidget(host)
    host.scan_router = router  # what the main window is given by the application
    shown = MainWindow.show_scanner_settings(host)  # type: ignore[arg-type]
    shown.mode_combo.setCurrentIndex(shown.mode_combo.findData("timing"))
    shown.gap_spin.setValue(55)
    shown.aim_check.setChecked(True)
    shown.accept()
    assert router.settings.prefix is None and router.settings.max_gap_ms == 55.0
    assert router.settings.aim_symbology is True
    kept = LocalSettings().scanner_settings()
    assert kept.prefix is None and kept.max_gap_ms == 55.0 and kept.aim_symbology
