"""File ▸ Station settings: what kind of station this is and its name (kept on this machine), and
the site it stands in with that site's time zone (kept in the database)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.localtime import check_zone_name, zone_names
from returndesk.ui import help
from returndesk.ui.settings import StationProfile, default_station_name, profile_name
from returndesk.ui.i18n import tr_message


def make_zone_combo(zone_name: str) -> QComboBox:
    """An editable chooser of IANA time zones: pick from the list or type part of a name."""
    combo = QComboBox()
    combo.setObjectName("zone_combo")
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(zone_names())
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    combo.setCompleter(completer)
    set_zone(combo, zone_name)
    return combo


def set_zone(combo: QComboBox, zone_name: str) -> None:
    index = combo.findText(zone_name)
    if index >= 0:
        combo.setCurrentIndex(index)
    else:
        combo.setEditText(zone_name)


class StationSettingsDialog(QDialog):
    """Station profile and name; the site and its time zone. ``profile()``, ``station_name()``,
    ``site()`` and ``time_zone()`` once accepted (a zone that names no zone is not accepted)."""

    def __init__(self, profile: StationProfile, station_name: str, parent: QWidget | None = None, *,
                 site: str | None = None, time_zone: str = "UTC", can_set_zone: bool = True) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.ADMINISTRATOR)
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
        self.site_edit = QLineEdit(site or "")
        self.site_edit.setObjectName("site_edit")
        self.site_edit.setMaxLength(32)
        self.site_label = QLabel()
        self.site_label.setBuddy(self.site_edit)
        self.zone_combo = make_zone_combo(time_zone)
        self.zone_label = QLabel()
        self.zone_label.setBuddy(self.zone_combo)
        self.zone_note = QLabel()
        self.zone_note.setObjectName("zone_note")
        self.zone_note.setWordWrap(True)
        self.zone_note.setStyleSheet("color: palette(mid);")
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problem_label")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.setVisible(False)
        self._initial_zone = (site or "", time_zone)
        self._can_set_zone = can_set_zone
        self.site_edit.setEnabled(can_set_zone)
        self.zone_combo.setEnabled(can_set_zone)
        form = QFormLayout()
        form.addRow(self.profile_label, self.profile_combo)
        form.addRow(self.name_label, self.station_name_edit)
        form.addRow(self.site_label, self.site_edit)
        form.addRow(self.zone_label, self.zone_combo)
        form.addRow("", self.zone_note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Station settings"))
        self.intro_label.setText(self.tr(
            "These settings belong to this computer. The profile chooses the screen shown after "
            "sign-in; both apply from the next sign-in."))
        self.profile_label.setText(self.tr("Station &profile:"))
        self.name_label.setText(self.tr("Station &name:"))
        self.site_label.setText(self.tr("&Site code:"))
        self.site_edit.setPlaceholderText(self.tr("shop or warehouse code, e.g. SH01 (blank: the whole installation)"))
        self.zone_label.setText(self.tr("&Time zone:"))
        self.zone_note.setText(self.tr(
            "The site's time zone applies at once to every station of the site: return windows count "
            "its calendar days, and screens and documents show its time.") if self._can_set_zone else self.tr(
            "Only an administrator can change the site and its time zone: they decide the return windows."))
        for i in range(self.profile_combo.count()):
            self.profile_combo.setItemText(i, profile_name(self.profile_combo.itemData(i)))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def profile(self) -> StationProfile:
        return StationProfile(self.profile_combo.currentData())

    def station_name(self) -> str:
        return self.station_name_edit.text().strip() or default_station_name()

    def site(self) -> str | None:
        return self.site_edit.text().strip() or None

    def time_zone(self) -> str:
        return self.zone_combo.currentText().strip()

    def zone_changed(self) -> bool:
        """True when the site or its time zone differ from what the dialog was opened with."""
        return self._can_set_zone and (self.site() or "", self.time_zone()) != self._initial_zone

    def _on_buttons_accepted(self) -> None:
        try:
            if self.zone_changed():
                check_zone_name(self.time_zone())
        except ValidationFailed as exc:
            self.problem_label.setText(tr_message(exc.message))
            self.problem_label.setVisible(True)
            self.zone_combo.setFocus()
            return
        self.accept()
