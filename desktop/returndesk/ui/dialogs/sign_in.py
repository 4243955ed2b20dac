"""Signing in: user name and password, Enter signs in.

A wrong password and a locked account get different messages (the services raise
``AuthenticationFailed`` and ``AccountLocked``). On a demo database the dialog lists the demo
users of each role with their passwords; clicking one fills the form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from returndesk.domain.errors import AccountLocked, AuthenticationFailed, ReturnDeskError
from returndesk.api.protocol import SessionApi
from returndesk.ui import help
from returndesk.ui.dialogs import grow_to_fit
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.fonts import scale_font
from returndesk.ui.i18n import tr_message, tr_role
from returndesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from returndesk.api.types import Actor

MAX_DEMO_TABLE_HEIGHT = 360
WRONG_PASSWORD = "wrong_password"
LOCKED = "locked"
OTHER = "other"

_STYLES = {
    WRONG_PASSWORD: "QLabel { color: #b00020; }",
    LOCKED: "QLabel { color: #212121; background: #ffe082; border: 1px solid #ff8f00;"
            " border-radius: 4px; padding: 6px; }",
    OTHER: "QLabel { color: #b00020; }",
}


class SignInDialog(QDialog):
    """Signs a user in through ``session.auth.sign_in`` off the GUI thread.

    ``signed_in(Actor)`` after success (the dialog is then accepted and ``actor`` is set);
    ``sign_in_failed(kind, message)`` after a refusal, ``kind`` being ``"wrong_password"``,
    ``"locked"`` or ``"other"``.

    At a station's start the dialog is shown before its database is open (``session`` None, the
    database named by ``database_text``) so that the password can be typed meanwhile;
    :meth:`attach_session` then gives it the session and the demo users, and a sign-in asked for
    before that runs then.
    """

    signed_in = Signal(object)
    sign_in_failed = Signal(str, str)

    def __init__(self, session: SessionApi | None, tasks: TaskRunner, parent: QWidget | None = None, *,
                 demo_accounts: Sequence[Any] = (), username: str = "",
                 database_text: str | None = None, notice: str | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.SIGNING_IN)
        self.setObjectName("sign_in_dialog")
        self.setModal(True)
        self.setMinimumWidth(480)
        self._session = session
        self._tasks = tasks
        self._demo_accounts = tuple(demo_accounts)
        if database_text is None:
            assert session is not None, "a sign-in window without its session names its database"
            database_text = session.describe_database()
        self._database_text = database_text
        self._sign_in_waiting = False
        self.actor: Actor | None = None
        self.failure_kind: str | None = None
        self.notice = notice

        self.heading_label = QLabel()
        self.heading_label.setObjectName("heading_label")
        scale_font(self.heading_label, 1.4, bold=True)
        self.username_edit = QLineEdit(username)
        self.username_edit.setObjectName("username_edit")
        self.username_edit.setMaxLength(40)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password_edit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.username_label = QLabel()
        self.username_label.setBuddy(self.username_edit)
        self.password_label = QLabel()
        self.password_label.setBuddy(self.password_edit)
        form = QFormLayout()
        form.addRow(self.username_label, self.username_edit)
        form.addRow(self.password_label, self.password_edit)

        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setVisible(False)
        if notice:  # why the station is back here (a session the server ended)
            self.message_label.setStyleSheet(_STYLES[LOCKED])
            self.message_label.setText(notice)
            self.message_label.setVisible(True)

        self.demo_label = QLabel()
        self.demo_label.setObjectName("demo_label")
        self.demo_label.setWordWrap(True)
        self.demo_table = QTableWidget(len(self._demo_accounts), 3)
        self.demo_table.setObjectName("demo_table")
        self.demo_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.demo_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.demo_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.demo_table.verticalHeader().setVisible(False)
        self.demo_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.demo_table.horizontalHeader().setStretchLastSection(True)
        self.demo_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._fill_demo_table()
        self.demo_table.cellClicked.connect(self._on_demo_table_cell_clicked)

        self.database_label = QLabel()
        self.database_label.setObjectName("database_label")
        self.database_label.setWordWrap(True)
        self.database_label.setStyleSheet("color: palette(mid);")

        self.buttons = QDialogButtonBox()
        self.sign_in_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setObjectName("sign_in_button")
        self.sign_in_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading_label)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.demo_label)
        layout.addWidget(self.demo_table)
        layout.addWidget(self.database_label)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        self._fit_demo_table()
        (self.password_edit if username else self.username_edit).setFocus()

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Sign in to ReturnDesk"))
        self.heading_label.setText(self.tr("Sign in"))
        self.username_label.setText(self.tr("&User name:"))
        self.password_label.setText(self.tr("&Password:"))
        self.sign_in_button.setText(self.tr("&Sign in"))
        self.sign_in_button.setToolTip(self.tr("Sign in (Enter)"))
        self.demo_label.setText(self.tr(
            "This is a demo database. Click a user to fill in the form:"))
        self.demo_table.setHorizontalHeaderLabels([self.tr("Role"), self.tr("User name"), self.tr("Password")])
        for row, account in enumerate(self._demo_accounts):
            item = self.demo_table.item(row, 0)
            if item is not None:
                item.setText(tr_role(account.role))
        self.database_label.setText(self.tr("Database: {database}").format(database=tr_message(self._database_text)))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _fill_demo_table(self) -> None:
        self.demo_table.setRowCount(len(self._demo_accounts))
        for row, account in enumerate(self._demo_accounts):
            for col, text in enumerate(("", account.username, account.password)):
                self.demo_table.setItem(row, col, QTableWidgetItem(text))
        for widget in (self.demo_label, self.demo_table):
            widget.setVisible(bool(self._demo_accounts))

    def _fit_demo_table(self) -> None:
        if not self._demo_accounts:
            return
        self.demo_table.resizeColumnsToContents()
        self.demo_table.resizeRowsToContents()
        header = self.demo_table.horizontalHeader().sizeHint().height()
        height = header + self.demo_table.verticalHeader().length() + 2 * self.demo_table.frameWidth()
        # All demo users visible without scrolling, unless there are very many.
        if height <= MAX_DEMO_TABLE_HEIGHT:
            self.demo_table.setFixedHeight(height)
            self.demo_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        else:
            self.demo_table.setMinimumHeight(MAX_DEMO_TABLE_HEIGHT)

    # ------------------------------------------------------------------ the database opened
    @property
    def has_session(self) -> bool:
        return self._session is not None

    def attach_session(self, session: SessionApi, demo_accounts: Sequence[Any] = ()) -> None:
        """The database this window was shown for is open: list its demo users and sign in now
        if that was asked for while it opened."""
        self._session = session
        self._database_text = session.describe_database()
        self._demo_accounts = tuple(demo_accounts)
        self._fill_demo_table()
        self.retranslate_ui()
        self._fit_demo_table()
        if self._demo_accounts:
            grow_to_fit(self)
        if self._sign_in_waiting:
            self._sign_in_waiting = False
            self._set_waiting(False)
            self.sign_in()

    def _set_waiting(self, waiting: bool) -> None:
        for widget in (self.username_edit, self.password_edit, self.sign_in_button):
            widget.setEnabled(not waiting)

    # ------------------------------------------------------------------ signing in
    def sign_in(self) -> None:
        """What Enter and the Sign in button do."""
        username = self.username_edit.text().strip()
        if not username:
            self.username_edit.setFocus()
            return
        if not self.password_edit.text():
            # Enter in the user name field moves on instead of spending a failed attempt.
            self.password_edit.setFocus()
            return
        if self._session is None:
            # The database is still opening: sign in as soon as it is open.
            self._sign_in_waiting = True
            self._set_waiting(True)
            return
        self._tasks.run(self._session.auth.sign_in, username, self.password_edit.text(),
                        on_done=self._on_signed_in, on_error=self._on_sign_in_failed,
                        busy=[self.username_edit, self.password_edit, self.sign_in_button, self.demo_table],
                        key="sign-in")

    def _on_buttons_accepted(self) -> None:
        self.sign_in()

    def _on_signed_in(self, actor: Actor) -> None:
        self.actor = actor
        self.failure_kind = None
        self.message_label.setVisible(False)
        self.signed_in.emit(actor)
        self.accept()

    def _on_sign_in_failed(self, error: BaseException) -> None:
        if isinstance(error, AccountLocked):
            kind, title = LOCKED, self.tr("This account is locked.")
        elif isinstance(error, AuthenticationFailed):
            kind, title = WRONG_PASSWORD, self.tr("Sign-in failed.")
        elif isinstance(error, ReturnDeskError):
            kind, title = OTHER, self.tr("Cannot sign in.")
        else:
            kind, title = OTHER, self.tr("Cannot sign in.")
            error = _Reported(ErrorPresenter(self).present(error, context=self.tr("signing in")).message)
        said = tr_message(error.message) if isinstance(error, ReturnDeskError) else str(error)
        message = f"{title}\n{said}"
        self.failure_kind = kind
        self.message_label.setStyleSheet(_STYLES[kind])
        self.message_label.setText(message)
        self.message_label.setVisible(True)
        grow_to_fit(self)
        self.password_edit.clear()
        self.password_edit.setFocus()
        # While the attempt ran, the fields were disabled and the focus passed to Cancel, which
        # took the default: Enter must sign in again, not cancel (and quit the application).
        self.sign_in_button.setDefault(True)
        self.sign_in_failed.emit(kind, message)

    def _on_demo_table_cell_clicked(self, row: int, _column: int) -> None:
        account = self._demo_accounts[row]
        self.username_edit.setText(account.username)
        self.password_edit.setText(account.password)
        self.sign_in_button.setFocus()


class _Reported(Exception):
    """The user-facing text of a bug that the error presenter has already logged and shown."""
