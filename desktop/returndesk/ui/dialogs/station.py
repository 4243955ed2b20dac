"""File ▸ Station settings: what kind of station this is and its name (kept on this machine)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from returndesk.ui.settings import StationProfile, default_station_name, profile_name


class StationSettingsDialog(QDialog):
    """Station profile and name; ``profile()`` and ``station_name()`` once accepted."""

    def __init__(self, profile: StationProfile, station_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("station_settings_dialog")
        self.setModal(True)
        self.setMinimumWidth(460)
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profile_combo")
        for p in StationProfile:
            self.profile_combo.addItem("", p)
        self.profile_combo.setCurrentIndex(self.profile_combo.findData(StationProfile(profile)))
        self.station_name_edit = QLineEdit(station_name)
        self.station_name_edit.setObjectName("station_name_edit")
        self.station_name_edit.setMaxLength(40)
        self.profile_label = QLabel()
        self.profile_label.setBuddy(self.profile_combo)
        self.name_label = QLabel()
        self.name_label.setBuddy(self.station_name_edit)
        form = QFormLayout()
        form.addRow(self.profile_label, self.profile_combo)
        form.addRow(self.name_label, self.station_name_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Station settings"))
        self.intro_label.setText(self.tr(
            "These settings belong to this computer. The profile chooses the screen shown after "
            "sign-in; both apply from the next sign-in."))
        self.profile_label.setText(self.tr("Station &profile:"))
        self.name_label.setText(self.tr("Station &name:"))
        for i in range(self.profile_combo.count()):
            self.profile_combo.setItemText(i, profile_name(self.profile_combo.itemData(i)))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def profile(self) -> StationProfile:
        return StationProfile(self.profile_combo.currentData())

    def station_name(self) -> str:
        return self.station_name_edit.text().strip() or default_station_name()
