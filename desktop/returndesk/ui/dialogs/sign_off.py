"""A supervisor signs off on the clerk's own screen (主管现场授权).

When a counter return is above the clerk's limit or lies outside the policy, the supervisor steps
up to the clerk's station and types their user name and password, or scans their badge, right in
this dialog: nobody signs out, nothing the clerk entered is typed again. The dialog hands the
credentials to ``submit`` (a call of the API, run on the task runner); the services check them
(a wrong password counts toward the supervisor's lockout), check segregation of duties, the level
and the limit, and record the supervisor as the approver. A refusal is shown in the dialog, which
stays open for another try or another supervisor; success closes it with the result.

A badge scan arrives as a scan (the scanner router hands scans to the open modal dialog through
:meth:`accept_scan`), or typed into the badge field.

Signals: ``signed_off(result)`` after the services accepted, ``refused(message)`` after each refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.types import SignOff
from returndesk.domain.errors import ReturnDeskError
from returndesk.ui import help
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.tasks import TaskRunner

PROBLEM_STYLE = "color: #b00020;"
HINT_STYLE = "color: palette(mid);"


class SupervisorSignOffDialog(QDialog):
    """Asks a supervisor's user name and password, or their badge, and signs off with them.

    ``submit(sign_off)`` runs on the task runner and returns the result (e.g. a ``CounterResult``);
    ``what`` says in a sentence what the supervisor authorises ("Refund of ¥599.00 for R0000000013:
    above the clerk's limit").
    """

    signed_off = Signal(object)
    refused = Signal(str)

    def __init__(self, tasks: TaskRunner, submit: Callable[[SignOff], Any], what: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.SIGN_OFF)
        self.setObjectName("sign_off_dialog")
        self.setModal(True)
        self.setMinimumWidth(480)
        self._tasks = tasks
        self._submit = submit
        self._what = what
        self._busy = False
        self.result_value: Any = None
        self._errors = ErrorPresenter(self)

        self.intro_label = QLabel()
        self.intro_label.setObjectName("sign_off_intro_label")
        self.intro_label.setWordWrap(True)
        self.what_label = QLabel(what)
        self.what_label.setObjectName("sign_off_what_label")
        self.what_label.setWordWrap(True)
        font = self.what_label.font()
        font.setBold(True)
        self.what_label.setFont(font)
        self.username_label = QLabel()
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("sign_off_username_edit")
        self.username_label.setBuddy(self.username_edit)
        self.password_label = QLabel()
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("sign_off_password_edit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label.setBuddy(self.password_edit)
        self.badge_label = QLabel()
        self.badge_edit = QLineEdit()
        self.badge_edit.setObjectName("sign_off_badge_edit")
        self.badge_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.badge_edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.badge_label.setBuddy(self.badge_edit)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("sign_off_problem_label")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(PROBLEM_STYLE)
        self.problem_label.setVisible(False)
        self.status_label = QLabel()
        self.status_label.setObjectName("sign_off_status_label")
        self.status_label.setStyleSheet(HINT_STYLE)
        self.status_label.setVisible(False)

        form = QFormLayout()
        form.addRow(self.username_label, self.username_edit)
        form.addRow(self.password_label, self.password_edit)
        form.addRow(self.badge_label, self.badge_edit)
        # Plain buttons, no default one: Enter belongs to the fields (see keyPressEvent).
        self.sign_button = QPushButton()
        self.sign_button.setObjectName("sign_off_button")
        self.sign_button.setAutoDefault(False)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("sign_off_cancel_button")
        self.cancel_button.setAutoDefault(False)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.sign_button)
        self.buttons.addWidget(self.cancel_button)
        self.sign_button.clicked.connect(self.sign)
        self.cancel_button.clicked.connect(self.reject)
        # Enter in a field moves on or signs: the password signs, the badge field signs by badge.
        self.username_edit.returnPressed.connect(self._on_username_return_pressed)
        self.password_edit.returnPressed.connect(self.sign)
        self.badge_edit.returnPressed.connect(self.sign)
        self.sign_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        self.sign_shortcut.activated.connect(self.sign)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.what_label)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.status_label)
        layout.addLayout(self.buttons)
        self.retranslate_ui()
        self.username_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Supervisor sign-off"))
        self.intro_label.setText(self.tr(
            "A supervisor authorises this on your screen: their user name and password, or a scan of "
            "their badge. You stay signed in; the supervisor is recorded as the approver."))
        self.username_label.setText(self.tr("Supervisor &user name:"))
        self.password_label.setText(self.tr("&Password:"))
        self.badge_label.setText(self.tr("or scan the &badge:"))
        self.badge_edit.setPlaceholderText(self.tr("Scan the supervisor's badge"))
        self.sign_button.setText(self.tr("Sign off"))
        self.cancel_button.setText(self.tr("Cancel"))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter is the fields' (next field, or sign); the dialog never closes on it by itself.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # ------------------------------------------------------------------ signing
    def accept_scan(self, text: str) -> bool:
        """Scanner router hook: a scan while the dialog is open is the supervisor's badge."""
        code = text.strip()
        if not code or self._busy:
            return bool(code)
        self.badge_edit.setText(code)
        self.sign()
        return True

    def _on_username_return_pressed(self) -> None:
        self.password_edit.setFocus(Qt.FocusReason.TabFocusReason)

    def sign(self) -> None:
        """Hand the credentials to the services (badge first when one was scanned or typed)."""
        if self._busy:
            return
        badge = self.badge_edit.text().strip()
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if badge:
            sign_off = SignOff(badge=badge)
        elif username and password:
            sign_off = SignOff(username=username, password=password)
        else:
            self._show_problem(self.tr(
                "Type the supervisor's user name and password, or scan their badge."))
            (self.username_edit if not username else self.password_edit).setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._busy = True
        self.problem_label.setVisible(False)
        self.status_label.setText(self.tr("Checking…"))
        self.status_label.setVisible(True)
        self._tasks.run(self._submit, sign_off, on_done=self._on_signed, on_error=self._on_refused,
                        busy=[self.sign_button, self.username_edit, self.password_edit, self.badge_edit],
                        key=("sign-off", id(self)))

    def _on_signed(self, result: Any) -> None:
        self._busy = False
        self.status_label.setVisible(False)
        self.result_value = result
        self.signed_off.emit(result)
        self.accept()

    def _on_refused(self, error: BaseException) -> None:
        self._busy = False
        self.status_label.setVisible(False)
        if isinstance(error, ReturnDeskError):
            message = self._errors.report(error, context=self.tr("signing off")).message
        else:
            message = self._errors.present(error, context=self.tr("signing off")).message
        self.password_edit.clear()
        self.badge_edit.clear()
        self._show_problem(message)
        target = self.password_edit if self.username_edit.text().strip() else self.username_edit
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.refused.emit(message)

    def _show_problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.setVisible(True)


__all__ = ["SupervisorSignOffDialog"]
