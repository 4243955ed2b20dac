"""The server password, asked at start when the system keyring does not hold it."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.connection import ServerAddress


class ServerPasswordDialog(QDialog):
    """Asks the password of the station's database login (``password()``, ``remember()``)."""

    def __init__(self, server: ServerAddress, parent: QWidget | None = None, *, keyring_works: bool,
                 message: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("server_password_dialog")
        self.setModal(True)
        self.setMinimumWidth(460)
        self._server = server
        self._keyring_works = keyring_works
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.problem_label = QLabel(message or "")
        self.problem_label.setObjectName("problem_label")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.setVisible(bool(message))
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password_edit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_check = QCheckBox()
        self.remember_check.setObjectName("remember_check")
        self.remember_check.setChecked(keyring_works)
        self.remember_check.setEnabled(keyring_works)
        self.keyring_note = QLabel()
        self.keyring_note.setObjectName("keyring_note")
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setStyleSheet("color: palette(mid);")
        self.keyring_note.setVisible(not keyring_works)
        self.password_label = QLabel()
        self.password_label.setBuddy(self.password_edit)
        form = QFormLayout()
        form.addRow(self.password_label, self.password_edit)
        form.addRow("", self.remember_check)
        form.addRow("", self.keyring_note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.problem_label)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        self.password_edit.setFocus()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Database password"))
        self.intro_label.setText(self.tr("Enter the password of the database login {login}.").format(
            login=self._server.keyring_user))
        self.password_label.setText(self.tr("&Password:"))
        self.remember_check.setText(self.tr("&Remember it in the system keyring"))
        self.remember_check.setToolTip(
            self.tr("The password is never written to the settings file.") if self._keyring_works else
            self.tr("No system keyring works on this computer: the password will be asked at each start."))
        self.keyring_note.setText(
            self.tr("No system keyring works on this computer: the password will be asked at each start."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def password(self) -> str:
        return self.password_edit.text()

    def remember(self) -> bool:
        return self._keyring_works and self.remember_check.isChecked()
