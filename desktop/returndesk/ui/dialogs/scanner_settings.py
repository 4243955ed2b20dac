"""File ▸ Scanners: how this station's barcode scanners are programmed, with a live test area.

The settings must match what the scanners were programmed to send (docs/scanners.md). The dialog is
a scan target: while it is open every scan lands in the test area, which says how the station
understood it (RMA label, order receipt, item, command...), so a wrongly programmed scanner is
found before the first parcel.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from returndesk.domain import scan as codes
from returndesk.api.types import parse_scan
from returndesk.ui import help
from returndesk.ui.scanner import ScannerSettings
from returndesk.ui.i18n import QT_TRANSLATE_NOOP
from returndesk.ui.fonts import scale_font

STX = "\x02"


# Templates of describe_scan(), marked in the dialog's translation context (lupdate cannot
# know the context of a translate function passed in).
_MEANINGS = {
    "rma": QT_TRANSLATE_NOOP("ScannerSettingsDialog", "Return label: RMA {rma}"),
    "order": QT_TRANSLATE_NOOP("ScannerSettingsDialog", "Sales receipt: order {order}"),
    "command": QT_TRANSLATE_NOOP("ScannerSettingsDialog", "Inspection command: {name}"),
    "serial": QT_TRANSLATE_NOOP("ScannerSettingsDialog", ", serial {serial}"),
    "gtin": QT_TRANSLATE_NOOP("ScannerSettingsDialog", "Product barcode {code}{extra}"),
    "sku": QT_TRANSLATE_NOOP("ScannerSettingsDialog", "Item code {code} (not a GTIN: looked up as a SKU)"),
    "unknown": QT_TRANSLATE_NOOP("ScannerSettingsDialog", "Not understood: {reason}"),
}


def describe_scan(text: str, tr) -> str:
    """How a station reads ``text``, in words."""
    result = parse_scan(text)
    if isinstance(result, codes.RmaScan):
        return tr(_MEANINGS["rma"]).format(rma=result.rma)
    if isinstance(result, codes.OrderScan):
        return tr(_MEANINGS["order"]).format(order=result.order_no)
    if isinstance(result, codes.CommandScan):
        return tr(_MEANINGS["command"]).format(name=codes.command_label(result.name, QLocale().name()))
    if isinstance(result, codes.ItemScan):
        if result.gtin:
            extra = tr(_MEANINGS["serial"]).format(serial=result.serial) if result.serial else ""
            return tr(_MEANINGS["gtin"]).format(code=result.code, extra=extra)
        return tr(_MEANINGS["sku"]).format(code=result.code)
    return tr(_MEANINGS["unknown"]).format(reason=getattr(result, "reason", ""))


class ScannerSettingsDialog(QDialog):
    """Edit :class:`ScannerSettings`; ``settings()`` once accepted. Emits ``scan_tested(text)``."""

    scan_tested = Signal(str)

    def __init__(self, settings: ScannerSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.ADMINISTRATOR)
        self.setObjectName("scanner_settings_dialog")
        self.setModal(True)
        self.setMinimumWidth(520)
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)

        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("mode_combo")
        self.mode_combo.addItem("", "prefix")
        self.mode_combo.addItem("", "timing")
        self.mode_combo.setCurrentIndex(0 if settings.prefix else 1)
        self.aim_check = QCheckBox()
        self.aim_check.setObjectName("aim_check")
        self.aim_check.setChecked(settings.aim_symbology)
        self.gap_spin = QSpinBox()
        self.gap_spin.setObjectName("gap_spin")
        self.gap_spin.setRange(10, 200)
        self.gap_spin.setSuffix(" ms")
        self.gap_spin.setValue(int(settings.max_gap_ms))
        self.length_spin = QSpinBox()
        self.length_spin.setObjectName("length_spin")
        self.length_spin.setRange(2, 40)
        self.length_spin.setValue(settings.min_length)

        self.mode_label = QLabel()
        self.mode_label.setBuddy(self.mode_combo)
        self.gap_label = QLabel()
        self.gap_label.setBuddy(self.gap_spin)
        self.length_label = QLabel()
        self.length_label.setBuddy(self.length_spin)
        form = QFormLayout()
        form.addRow(self.mode_label, self.mode_combo)
        form.addRow("", self.aim_check)
        form.addRow(self.gap_label, self.gap_spin)
        form.addRow(self.length_label, self.length_spin)

        self.test_group = QGroupBox()
        self.test_hint = QLabel()
        self.test_hint.setWordWrap(True)
        self.test_result = QLabel()
        self.test_result.setObjectName("test_result")
        self.test_result.setWordWrap(True)
        scale_font(self.test_result, 1.3, bold=True)
        box = QVBoxLayout(self.test_group)
        box.addWidget(self.test_hint)
        box.addWidget(self.test_result)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.test_group)
        layout.addWidget(self.buttons)
        self.mode_combo.currentIndexChanged.connect(self._on_mode_combo_current_index_changed)
        self.retranslate_ui()
        self._on_mode_combo_current_index_changed()

    # ------------------------------------------------------------------ ScanTarget
    def accept_scan(self, text: str) -> bool:
        """Every scan while the dialog is open is a test scan."""
        self.test_result.setText(self.tr("Scanned “{text}” — {meaning}").format(
            text=text, meaning=describe_scan(text, self.tr)))
        self.scan_tested.emit(text)
        return True

    def settings(self) -> ScannerSettings:
        return ScannerSettings(
            prefix=STX if self.mode_combo.currentData() == "prefix" else None,
            aim_symbology=self.aim_check.isChecked(),
            max_gap_ms=float(self.gap_spin.value()),
            min_length=self.length_spin.value(),
        )

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Scanners"))
        self.intro_label.setText(self.tr(
            "Set this to match how the station's USB scanners are programmed. With a prefix, the "
            "scanners send STX (Ctrl+B) before each code and Enter after it: scans are recognised "
            "whatever has the focus, even over remote desktops. Without a prefix, a fast burst of "
            "keys ending with Enter counts as a scan."))
        self.mode_label.setText(self.tr("&Recognise scans by:"))
        self.mode_combo.setItemText(0, self.tr("Prefix STX (recommended)"))
        self.mode_combo.setItemText(1, self.tr("Typing speed only"))
        self.aim_check.setText(self.tr("Scanners send the AIM symbology identifier (]C0, ]E0, …)"))
        self.gap_label.setText(self.tr("Longest &gap between keys:"))
        self.length_label.setText(self.tr("Shortest &code:"))
        self.test_group.setTitle(self.tr("Try a scan"))
        self.test_hint.setText(self.tr(
            "Scan any label, receipt, product or command barcode now: this area says how the "
            "station reads it."))
        if not self.test_result.text():
            self.test_result.setText(self.tr("Waiting for a scan…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _on_mode_combo_current_index_changed(self, *_args: object) -> None:
        timing = self.mode_combo.currentData() == "timing"
        self.gap_spin.setEnabled(timing)
        self.length_spin.setEnabled(timing)
