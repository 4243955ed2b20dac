"""First start: where this station's data is, and what kind of station it is.

The local database needs nothing typed (its file is in the user's data folder). Several stations
work through a ReturnDesk server: only its address is asked (``https://host:8443``); "Test
connection" reaches it off the GUI thread and says in words what it found. The station holds no
database login: users sign in at the server. A self-signed certificate is confirmed by its
fingerprint when the station first connects (see ``ServerCertificateDialog``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.localtime import check_zone_name
from returndesk.api.connection import DatabaseChoice, check_server_url, default_local_path
from returndesk.api.remote import ServerCheck, check_server
from returndesk.api.types import default_zone_name
from returndesk.ui import help
from returndesk.ui.dialogs import grow_to_fit
from returndesk.ui.dialogs.station import make_zone_combo, set_zone
from returndesk.ui.settings import LANGUAGE_NAMES, LANGUAGES, StationProfile, default_station_name, profile_name
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.i18n import tr_message

class FirstStartDialog(QDialog):
    """Choose where the data is (this computer by default, or a ReturnDesk server), the station
    profile and the language.

    ``connection_checked(ServerCheck)`` is emitted when a connection test has finished.
    """

    connection_checked = Signal(object)

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None, *,
                 choice: DatabaseChoice | None = None, profile: StationProfile = StationProfile.COUNTER,
                 station_name: str | None = None, language: str = "en", demo_data: bool = True,
                 message: str | None = None, time_zone: str | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.SIGNING_IN)
        self._tasks = tasks
        self.setObjectName("first_start_dialog")
        self.setModal(True)
        self.setMinimumWidth(620)

        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problem_label")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_label.setVisible(bool(message))
        self.problem_label.setText(message or "")

        # --- where the data lives
        self.local_radio = QRadioButton()
        self.local_radio.setObjectName("local_radio")
        self.server_radio = QRadioButton()
        self.server_radio.setObjectName("server_radio")
        self._kind_group = QButtonGroup(self)
        self._kind_group.addButton(self.local_radio)
        self._kind_group.addButton(self.server_radio)

        initial_path = Path(choice.path) if choice is not None and choice.is_local and choice.path else \
            default_local_path()
        self.local_path_edit = QLineEdit(str(initial_path))
        self.local_path_edit.setObjectName("local_path_edit")
        self.local_path_edit.setReadOnly(True)
        self.browse_button = QPushButton()
        self.browse_button.setObjectName("browse_button")
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.demo_check = QCheckBox()
        self.demo_check.setObjectName("demo_check")
        self.demo_check.setChecked(demo_data)
        local_row = QHBoxLayout()
        local_row.addWidget(self.local_path_edit, 1)
        local_row.addWidget(self.browse_button)
        self.local_box = QWidget()
        local_layout = QVBoxLayout(self.local_box)
        local_layout.setContentsMargins(24, 0, 0, 0)
        local_layout.addLayout(local_row)
        local_layout.addWidget(self.demo_check)

        remote = choice if choice is not None and choice.is_remote else None
        # The fingerprint confirmed for this address stays confirmed while the address is the same.
        self._confirmed = (remote.server_url, remote.fingerprint) if remote is not None else None
        self.server_url_edit = QLineEdit(remote.server_url if remote is not None else "")
        self.server_url_edit.setObjectName("server_url_edit")
        self.server_url_edit.setMaxLength(300)
        self.test_button = QPushButton()
        self.test_button.setObjectName("test_button")
        self.test_button.clicked.connect(self._on_test_button_clicked)
        self.test_result_label = QLabel()
        self.test_result_label.setObjectName("test_result_label")
        self.test_result_label.setWordWrap(True)
        self.test_result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.server_url_label = QLabel()
        self.server_url_label.setBuddy(self.server_url_edit)
        self.server_note = QLabel()
        self.server_note.setObjectName("server_note")
        self.server_note.setWordWrap(True)
        self.server_note.setStyleSheet("color: palette(mid);")
        url_row = QHBoxLayout()
        url_row.addWidget(self.server_url_label)
        url_row.addWidget(self.server_url_edit, 1)
        url_row.addWidget(self.test_button)
        # The result goes below the row: it wraps.
        self.server_box = QWidget()
        server_layout = QVBoxLayout(self.server_box)
        server_layout.setContentsMargins(24, 0, 0, 0)
        server_layout.addLayout(url_row)
        server_layout.addWidget(self.server_note)
        server_layout.addWidget(self.test_result_label)

        self.database_group = QGroupBox()
        database_layout = QVBoxLayout(self.database_group)
        database_layout.addWidget(self.local_radio)
        database_layout.addWidget(self.local_box)
        database_layout.addWidget(self.server_radio)
        database_layout.addWidget(self.server_box)

        # --- the station
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profile_combo")
        for p in StationProfile:
            self.profile_combo.addItem("", p)
        self.profile_combo.setCurrentIndex(self.profile_combo.findData(StationProfile(profile)))
        self.station_name_edit = QLineEdit(station_name or default_station_name())
        self.station_name_edit.setObjectName("station_name_edit")
        self.station_name_edit.setMaxLength(40)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("language_combo")
        for code in LANGUAGES:
            self.language_combo.addItem(LANGUAGE_NAMES[code], code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(language)))
        # The installation's time zone: China's for a Chinese installation, else the computer's,
        # following the language until someone picks a zone.
        self._zone_chosen = time_zone is not None
        self.zone_combo = make_zone_combo(time_zone or default_zone_name(language))
        self.zone_combo.activated.connect(self._on_zone_combo_activated)
        zone_edit = self.zone_combo.lineEdit()  # the combo is editable: it has its line edit
        assert zone_edit is not None
        zone_edit.textEdited.connect(self._on_zone_combo_activated)
        self.language_combo.currentIndexChanged.connect(self._on_language_combo_changed)
        self.station_group = QGroupBox()
        station_form = QFormLayout(self.station_group)
        self._station_labels = [QLabel() for _ in range(4)]
        for label, field in zip(self._station_labels, (self.profile_combo, self.station_name_edit,
                                                       self.language_combo, self.zone_combo), strict=True):
            label.setBuddy(field)
            station_form.addRow(label, field)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("ok_button")

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.database_group)
        layout.addWidget(self.station_group)
        layout.addWidget(self.buttons)

        self.local_radio.toggled.connect(self._on_kind_toggled)
        (self.server_radio if remote else self.local_radio).setChecked(True)
        self._on_kind_toggled()
        self.retranslate_ui()

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Set up this station"))
        self.intro_label.setText(self.tr(
            "Choose where this station keeps its data. This computer needs nothing else; several "
            "stations work together through a ReturnDesk server."))
        self.database_group.setTitle(self.tr("Data"))
        self.local_radio.setText(self.tr("&This computer (a local file; for one station)"))
        self.browse_button.setText(self.tr("Other &file…"))
        self.browse_button.setToolTip(self.tr("Keep the local database in another file"))
        self.demo_check.setText(self.tr("Fill a new database with &demo data (users, products, sales, returns)"))
        self.server_radio.setText(self.tr("A ReturnDesk &server (several stations)"))
        self.server_url_label.setText(self.tr("&Address:"))
        self.server_url_edit.setPlaceholderText(self.tr("https://returns.example.lan:8443"))
        self.server_note.setText(self.tr(
            "Users sign in at the server with their own name and password; this station keeps no "
            "database password. On the first connection the station shows the server certificate's "
            "fingerprint: compare it with the one the administrator got from 'returndesk server init'."))
        self.test_button.setText(self.tr("&Test connection"))
        self.test_button.setToolTip(self.tr("Reach the server once and report what happened (Alt+T)"))
        self.station_group.setTitle(self.tr("This station"))
        for label, text in zip(self._station_labels, (
                self.tr("Station &profile:"), self.tr("Station &name:"), self.tr("Lan&guage:"),
                self.tr("&Time zone:")), strict=True):
            label.setText(text)
        self.zone_combo.setToolTip(self.tr(
            "Return windows count the calendar days of this zone; screens and documents show its time"))
        for i in range(self.profile_combo.count()):
            self.profile_combo.setItemText(i, profile_name(self.profile_combo.itemData(i)))
        self.profile_combo.setToolTip(self.tr("Chooses the screen shown after sign-in"))
        self.station_name_edit.setToolTip(self.tr("Recorded in the audit trail and the print log"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # ------------------------------------------------------------------ results
    def server_url(self) -> str:
        """The server address as typed (checked by :func:`check_server_url` on OK)."""
        return self.server_url_edit.text().strip()

    def choice(self) -> DatabaseChoice:
        if self.local_radio.isChecked():
            return DatabaseChoice.local(self.local_path_edit.text().strip() or None)
        url = check_server_url(self.server_url())
        pinned = self._confirmed[1] if self._confirmed is not None and self._confirmed[0] == url else None
        return DatabaseChoice.remote(url, pinned)

    def station_profile(self) -> StationProfile:
        return StationProfile(self.profile_combo.currentData())

    def station_name(self) -> str:
        return self.station_name_edit.text().strip() or default_station_name()

    def language(self) -> str:
        return str(self.language_combo.currentData())

    def time_zone(self) -> str:
        """The installation's time zone (an IANA name such as Asia/Shanghai)."""
        return self.zone_combo.currentText().strip()

    def demo_data(self) -> bool:
        return self.local_radio.isChecked() and self.demo_check.isChecked()

    def set_local_path(self, path: str | Path) -> None:
        """Use another file for the local database (what "Other file…" does)."""
        self.local_path_edit.setText(str(path))
        self.local_radio.setChecked(True)

    def show_problem(self, message: str) -> None:
        """Show why the last choice could not be used (the dialog is shown again after a failure)."""
        self.problem_label.setText(message)
        self.problem_label.setVisible(bool(message))
        grow_to_fit(self)

    # ------------------------------------------------------------------ handlers
    def _on_zone_combo_activated(self, *_args: object) -> None:
        self._zone_chosen = True

    def _on_language_combo_changed(self, *_args: object) -> None:
        if not self._zone_chosen:
            set_zone(self.zone_combo, default_zone_name(self.language()))

    def _on_kind_toggled(self, *_args: object) -> None:
        local = self.local_radio.isChecked()
        self.local_box.setEnabled(local)
        self.server_box.setEnabled(not local)
        if not local:
            self.server_url_edit.setFocus()

    def _on_browse_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Local database file"), self.local_path_edit.text(),
            self.tr("ReturnDesk database (*.sqlite3);;All files (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.set_local_path(path)

    def _on_test_button_clicked(self) -> None:
        try:
            url = check_server_url(self.server_url())
        except ValidationFailed as exc:
            self._show_check(ServerCheck(self.server_url(), tr_message(exc.message)))
            return
        self.test_result_label.setStyleSheet("")
        self.test_result_label.setText(self.tr("Connecting to {address}…").format(address=url))
        grow_to_fit(self)
        self._tasks.run(check_server, url, on_done=self._show_check, busy=[self.test_button, self.ok_button],
                        key="first-start-test-connection")

    def _show_check(self, check: ServerCheck) -> None:
        ok = check.problem is None
        self.test_result_label.setStyleSheet("color: #1b5e20;" if ok else "color: #b00020;")
        if not ok:
            text = tr_message(check.problem or "")
        elif check.fingerprint:
            text = self.tr("Reached ReturnDesk server {version} at {address}. Its certificate is self-signed; "
                           "when the station connects you confirm its fingerprint:\n{fingerprint}").format(
                version=check.version, address=check.server_url, fingerprint=check.fingerprint)
        elif check.encrypted:
            text = self.tr("Reached ReturnDesk server {version} at {address}; its certificate is signed by a "
                           "certificate authority this computer trusts.").format(
                version=check.version, address=check.server_url)
        else:
            text = self.tr("Reached ReturnDesk server {version} at {address} on this computer "
                           "(without encryption).").format(version=check.version, address=check.server_url)
        self.test_result_label.setText(text)
        grow_to_fit(self)
        self.connection_checked.emit(check)

    def _on_buttons_accepted(self) -> None:
        try:
            check_zone_name(self.time_zone())
        except ValidationFailed as exc:
            self.show_problem(tr_message(exc.message))
            return
        if self.server_radio.isChecked():
            try:
                check_server_url(self.server_url())
            except ValidationFailed as exc:
                self.show_problem(tr_message(exc.message))
                return
        self.accept()
