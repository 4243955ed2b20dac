"""The first administrator of a database that has no users yet."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from returndesk.domain.errors import ReturnDeskError
from returndesk.api.types import Actor
from returndesk.api.protocol import SessionApi
from returndesk.ui import help
from returndesk.ui.dialogs import grow_to_fit
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.i18n import tr_message

MIN_PASSWORD_LENGTH = 8  # the services refuse shorter ones too; checked here to say so at once


class FirstAdministratorDialog(QDialog):
    """Creates the administrator and signs them in; ``actor`` holds the result once accepted."""

    administrator_created = Signal(object)  # Actor

    def __init__(self, session: SessionApi, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.SIGNING_IN)
        self.setObjectName("first_admin_dialog")
        self.setModal(True)
        self.setMinimumWidth(520)
        self._session = session
        self._tasks = tasks
        self.actor: Actor | None = None
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.username_edit = QLineEdit("admin")
        self.username_edit.setObjectName("username_edit")
        self.username_edit.setMaxLength(40)
        self.display_name_edit = QLineEdit()
        self.display_name_edit.setObjectName("display_name_edit")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password_edit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit()
        self.repeat_edit.setObjectName("repeat_edit")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problem_label")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._labels = [QLabel() for _ in range(4)]
        form = QFormLayout()
        for label, field in zip(self._labels, (self.username_edit, self.display_name_edit,
                                               self.password_edit, self.repeat_edit), strict=True):
            label.setBuddy(field)
            form.addRow(label, field)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Create the administrator"))
        self.intro_label.setText(self.tr(
            "Nobody can sign in to this database yet. Create its administrator, who then adds the "
            "other users and sets their roles and limits."))
        for label, text in zip(self._labels, (self.tr("&User name:"), self.tr("&Full name:"),
                                              self.tr("&Password:"), self.tr("&Repeat password:")), strict=True):
            label.setText(text)
        self.password_edit.setPlaceholderText(self.tr("at least {n} characters").format(n=MIN_PASSWORD_LENGTH))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _on_buttons_accepted(self) -> None:
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if not username:
            self._problem(self.tr("Enter a user name."))
            return
        if len(password) < MIN_PASSWORD_LENGTH:
            self._problem(self.tr("The password must have at least {n} characters.").format(n=MIN_PASSWORD_LENGTH))
            return
        if password != self.repeat_edit.text():
            self._problem(self.tr("The two passwords differ; type the same password twice."))
            return
        self._problem("")
        self._tasks.run(self._session.auth.create_first_administrator, username,
                        self.display_name_edit.text().strip() or username, password,
                        on_done=self._on_created, on_error=self._on_failed,
                        busy=[self.buttons], key="create-first-administrator")

    def _on_created(self, actor: Actor) -> None:
        self.actor = actor
        self.administrator_created.emit(actor)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, ReturnDeskError):
            self._problem(tr_message(error.message))
            return
        self._problem(ErrorPresenter(self).present(error, context=self.tr("creating the administrator")).message)

    def _problem(self, text: str) -> None:
        self.problem_label.setText(text)
        grow_to_fit(self)
