"""The users tab: who may sign in, in which role, with which approval limit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import UserView
from returndesk.domain.errors import ReturnDeskError, ValidationFailed
from returndesk.domain.money import to_major
from returndesk.domain.types import Role
from returndesk.ui import help
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.i18n import choices, tr_role
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.widgets.money import format_amount
from returndesk.ui.widgets.tables import (
    fill_table,
    make_table,
    parse_amount,
    selected_value,
    set_headers,
)
from returndesk.ui.i18n import tr_message


class UserDialog(QDialog):
    """Add a user (with a first password) or change one (display name, role, limit)."""

    def __init__(self, user: UserView | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.ADMINISTRATOR)
        self.setObjectName("user_dialog")
        self.setModal(True)
        self.setMinimumWidth(420)
        self.user = user
        self.username_edit = QLineEdit(user.username if user else "")
        self.username_edit.setObjectName("username_edit")
        self.username_edit.setReadOnly(user is not None)
        self.display_name_edit = QLineEdit(user.display_name if user else "")
        self.display_name_edit.setObjectName("display_name_edit")
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("role_combo")
        for code, name in choices(Role):
            self.role_combo.addItem(name, code)
        self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(user.role if user else Role.CLERK.value)))
        self.limit_edit = QLineEdit(str(to_major(user.approval_limit_minor)) if user else "0")
        self.limit_edit.setObjectName("limit_edit")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password_edit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problem_label")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.hide()
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username_edit)
        form.addRow(self.tr("Display name"), self.display_name_edit)
        form.addRow(self.tr("Role"), self.role_combo)
        form.addRow(self.tr("Approval limit (¥)"), self.limit_edit)
        if user is None:
            form.addRow(self.tr("First password"), self.password_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.setWindowTitle(self.tr("Change user {name}").format(name=user.username) if user else self.tr("Add user"))
        self.limit_minor = 0

    def _on_accepted(self) -> None:
        try:
            self.limit_minor = parse_amount(self.limit_edit.text(), self.tr("approval limit"))
            if not self.username_edit.text().strip():
                raise ValidationFailed(self.tr("Enter the user name the person signs in with."))
            if self.user is None and len(self.password_edit.text()) < 8:
                raise ValidationFailed(self.tr("The first password needs at least 8 characters."))
        except ValidationFailed as exc:
            self.problem_label.setText(tr_message(exc.message))
            self.problem_label.show()
            return
        self.accept()

    def role(self) -> str:
        return str(self.role_combo.currentData())


class PasswordDialog(QDialog):
    """A new password for a user, typed twice."""

    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.ADMINISTRATOR)
        self.setObjectName("password_dialog")
        self.setModal(True)
        self.setWindowTitle(self.tr("New password for {name}").format(name=username))
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password_edit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit()
        self.repeat_edit.setObjectName("repeat_edit")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem_label = QLabel()
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.hide()
        form = QFormLayout()
        form.addRow(self.tr("New password"), self.password_edit)
        form.addRow(self.tr("Repeat it"), self.repeat_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(buttons)

    def _on_accepted(self) -> None:
        if self.password_edit.text() != self.repeat_edit.text():
            self.problem_label.setText(self.tr("The two passwords differ; type the same password twice."))
            self.problem_label.show()
            return
        self.accept()


DialogRunner = Callable[[QDialog], bool]


def _exec(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


class UsersTab(QWidget):
    """The users: add, change, disable or enable, new password, unlock."""

    changed = Signal()

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, errors: ErrorPresenter,
                 run_dialog: DialogRunner = _exec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("users_tab")
        self._api = api
        self._tasks = tasks
        self._errors = errors
        self._run_dialog = run_dialog
        self.users: list[UserView] = []
        self.table = make_table("users_table")
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_user_button")
        self.add_button.clicked.connect(self.add_user)
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("edit_user_button")
        self.edit_button.clicked.connect(self.edit_selected)
        self.active_button = QPushButton()
        self.active_button.setObjectName("active_user_button")
        self.active_button.clicked.connect(self.toggle_active)
        self.password_button = QPushButton()
        self.password_button.setObjectName("password_user_button")
        self.password_button.clicked.connect(self.reset_password)
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("unlock_user_button")
        self.unlock_button.clicked.connect(self.unlock)
        self.status_label = QLabel()
        self.status_label.setObjectName("users_status_label")
        self.status_label.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.active_button, self.password_button,
                       self.unlock_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        set_headers(self.table, [self.tr("User"), self.tr("Role"), self.tr("Own limit"), self.tr("Limit applied"),
                                 self.tr("Status")])
        self.add_button.setText(self.tr("&Add user…"))
        self.edit_button.setText(self.tr("&Change…"))
        self.password_button.setText(self.tr("New &password…"))
        self.unlock_button.setText(self.tr("&Unlock"))
        self._show()

    # ------------------------------------------------------------------ reading
    def reload(self) -> None:
        self._tasks.run(self._api.admin.list_users, on_done=self._on_loaded, on_error=self._on_failed,
                        key=("admin", "users"))

    def _on_loaded(self, users: list[UserView]) -> None:
        self.users = list(users)
        self._show()

    def _on_failed(self, error: BaseException) -> None:
        self.status_label.setText(self._errors.report(error).message if isinstance(error, ReturnDeskError)
                                  else self._errors.present(error).message)

    def _status(self, user: UserView) -> str:
        if not user.active:
            return self.tr("Disabled")
        if user.locked:
            return self.tr("Locked")
        return self.tr("Active")

    def _show(self) -> None:
        rows = []
        for u in self.users:
            applied = u.applied_limit.amount if u.applied_limit is not None else u.approval_limit_minor
            # The name colleagues know, with the one the user signs in with.
            shown = u.username if u.display_name == u.username else self.tr("{display} ({username})").format(
                display=u.display_name, username=u.username)
            rows.append([shown, tr_role(u.role), format_amount(u.approval_limit_minor), format_amount(applied),
                         self._status(u)])
        fill_table(self.table, rows, [u.username for u in self.users], right=(2, 3))
        self._update_buttons()

    def selected(self) -> UserView | None:
        name = selected_value(self.table)
        return next((u for u in self.users if u.username == name), None)

    def select(self, username: str) -> None:
        for row, user in enumerate(self.users):
            if user.username == username:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        user = self.selected()
        for button in (self.edit_button, self.active_button, self.password_button):
            button.setEnabled(user is not None)
        self.unlock_button.setEnabled(user is not None and user.locked)
        self.active_button.setText(self.tr("&Enable") if user is not None and not user.active else self.tr("&Disable"))

    # ------------------------------------------------------------------ changing
    def _done(self, message: str) -> Callable[[object], None]:
        def done(_result: object) -> None:
            self.status_label.setText(message)
            self.changed.emit()
            self.reload()
        return done

    def add_user(self) -> None:
        dialog = UserDialog(parent=self)
        if not self._run_dialog(dialog):
            return
        name = dialog.username_edit.text().strip()
        self._tasks.run(self._api.admin.add_user, username=name,
                        display_name=dialog.display_name_edit.text().strip() or name, role=dialog.role(),
                        password=dialog.password_edit.text(), approval_limit_minor=dialog.limit_minor,
                        on_done=self._done(self.tr("User {name} added.").format(name=name)),
                        on_error=self._on_failed, busy=[self.add_button])

    def edit_selected(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = UserDialog(user, parent=self)
        if not self._run_dialog(dialog):
            return
        self._tasks.run(self._api.admin.change_user, user.username, role=dialog.role(),
                        approval_limit_minor=dialog.limit_minor,
                        display_name=dialog.display_name_edit.text().strip(),
                        on_done=self._done(self.tr("User {name} changed.").format(name=user.username)),
                        on_error=self._on_failed, busy=[self.edit_button])

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        message = (self.tr("User {name} enabled.") if not user.active else self.tr("User {name} disabled.")).format(
            name=user.username)
        self._tasks.run(self._api.admin.change_user, user.username, active=not user.active,
                        on_done=self._done(message), on_error=self._on_failed, busy=[self.active_button])

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = PasswordDialog(user.username, self)
        if not self._run_dialog(dialog):
            return
        self._tasks.run(self._api.admin.set_password, user.username, dialog.password_edit.text(),
                        on_done=self._done(self.tr("The password of {name} was changed.").format(name=user.username)),
                        on_error=self._on_failed, busy=[self.password_button])

    def unlock(self) -> None:
        user = self.selected()
        if user is None:
            return
        self._tasks.run(self._api.admin.unlock_user, user.username,
                        on_done=self._done(self.tr("User {name} unlocked.").format(name=user.username)),
                        on_error=self._on_failed, busy=[self.unlock_button])
