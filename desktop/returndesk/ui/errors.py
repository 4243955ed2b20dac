"""Expected errors versus bugs: :class:`ErrorPresenter`.

An expected error (:class:`returndesk.domain.errors.ReturnDeskError`) carries a sentence the
clerk can act on; it is shown in the user's language (:func:`returndesk.ui.i18n.tr_message`).
Any other exception is a bug: it is logged with its traceback and the user is told "Something
went wrong; nothing was saved", with a "Copy details" button that puts the traceback on the
clipboard for the support ticket. Nothing is swallowed:
every exception handed to the presenter is logged and shown (or returned for inline display).

The presenter does not block: the default dialog is opened with ``QDialog.open()``, never
``exec()``. Tests and scanning screens inject their own ``show`` function (scanning screens show
errors inline in their status line rather than in a box)::

    presenter = ErrorPresenter(window)                    # dialogs
    runner = TaskRunner(error_handler=presenter.present)  # every unhandled task error

    report = presenter.report(exc)                        # inline: log, then
    feedback_bar.show_error(report.message)               # show it yourself
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, UTC
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

import returndesk
from returndesk.domain.errors import ReturnDeskError, ValidationFailed, concurrency_problem, storage_problem
from returndesk.ui import help
from returndesk.ui.i18n import tr_message

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class ErrorReport:
    """What to tell the user about one exception.

    ``unexpected`` is True for bugs; then ``details`` holds the text "Copy details" copies.
    """

    title: str
    message: str
    details: str
    unexpected: bool
    error: BaseException


def describe_error(error: BaseException, context: str = "") -> ErrorReport:
    """Build the report for ``error`` without logging or showing anything.

    ``context`` is a translated phrase naming what the user was doing ("approving the refund").
    """
    # Literal translate() calls (not a helper) so that pyside6-lupdate finds the strings.
    # A locked, read-only or full database that reached the screen without passing the store's
    # translation (a driver error from a migration, say) is still said in words, not as a bug.
    storage = None if isinstance(error, ReturnDeskError) else storage_problem(error) or concurrency_problem(error)
    if storage is not None:
        return ErrorReport(QCoreApplication.translate("ErrorPresenter", "ReturnDesk"), tr_message(storage.message),
                           error_details(error, context), False, error)
    if isinstance(error, ReturnDeskError):
        message = tr_message(error.message)
        if isinstance(error, ValidationFailed) and error.problems:
            message = "\n".join([message, *(f"• {tr_message(p)}" for p in error.problems)])
        return ErrorReport(QCoreApplication.translate("ErrorPresenter", "ReturnDesk"), message, "", False, error)
    if context:
        message = QCoreApplication.translate(
            "ErrorPresenter", "Something went wrong while {action}; nothing was saved."
        ).format(action=context)
    else:
        message = QCoreApplication.translate("ErrorPresenter", "Something went wrong; nothing was saved.")
    title = QCoreApplication.translate("ErrorPresenter", "ReturnDesk: unexpected error")
    return ErrorReport(title, message, error_details(error, context), True, error)


def error_details(error: BaseException, context: str = "") -> str:
    """The text for a support ticket: version, time, context and the full traceback."""
    when = datetime.now(UTC).isoformat(timespec="seconds")
    lines = [f"ReturnDesk {returndesk.__version__}, Python {sys.version.split()[0]}, {when}"]
    if context:
        lines.append(f"While: {context}")
    lines.append("".join(traceback.format_exception(error)).rstrip())
    return "\n".join(lines) + "\n"


ShowFunction = Callable[[ErrorReport], object]


class ErrorPresenter(QObject):
    """Logs every exception handed to it and shows it to the user.

    ``show`` replaces the default non-modal :class:`ErrorDialog` (tests record the reports;
    a scanning screen may route them to its status line). :attr:`presented` is emitted with each
    report after it was shown.
    """

    presented = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        show: ShowFunction | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        super().__init__(parent)
        self._parent_widget = parent
        self._show = show
        self._log = logger or log
        self._dialogs: list[ErrorDialog] = []

    def report(self, error: BaseException, *, context: str = "") -> ErrorReport:
        """Log ``error`` (bugs with traceback) and return its report, without showing it."""
        report = describe_error(error, context)
        if report.unexpected:
            self._log.error(
                "unexpected error%s", f" while {context}" if context else "", exc_info=_exc_info(error)
            )
        else:
            self._log.info("%s: %s", type(error).__name__, report.message)
        return report

    def present(self, error: BaseException, *, context: str = "") -> ErrorReport:
        """Log ``error`` and show it to the user; returns the report."""
        report = self.report(error, context=context)
        if self._show is not None:
            self._show(report)
        else:
            self._open_dialog(report)
        self.presented.emit(report)
        return report

    def install_excepthook(self) -> Callable[[], None]:
        """Present exceptions that escape Qt slots; returns a function that restores the hook.

        The previous hook still runs afterwards (it may print or record the exception too).
        """
        previous = sys.excepthook

        def hook(exc_type: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
            if error.__traceback__ is None and tb is not None:
                error = error.with_traceback(tb)
            try:
                self.present(error, context="")
            finally:
                previous(exc_type, error, tb)

        sys.excepthook = hook

        def restore() -> None:
            sys.excepthook = previous

        return restore

    def open_dialogs(self) -> list[ErrorDialog]:
        """Error dialogs this presenter opened that are still open."""
        return list(self._dialogs)

    def _open_dialog(self, report: ErrorReport) -> None:
        parent = self._parent_widget
        dialog = ErrorDialog(report, parent if isinstance(parent, QWidget) else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._dialogs.append(dialog)
        dialog.finished.connect(self._on_dialog_finished)
        dialog.open()

    def _on_dialog_finished(self, _result: int) -> None:
        self._dialogs = [d for d in self._dialogs if d.isVisible()]


def _exc_info(error: BaseException) -> tuple[type[BaseException], BaseException, TracebackType | None]:
    return type(error), error, error.__traceback__


class ErrorDialog(QDialog):
    """Shows one :class:`ErrorReport`; for bugs, with a "Copy details" button."""

    def __init__(self, report: ErrorReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, None)
        self.report = report
        self.setWindowTitle(report.title)

        icon = QLabel(self)
        pixmap = (
            QStyle.StandardPixmap.SP_MessageBoxCritical
            if report.unexpected
            else QStyle.StandardPixmap.SP_MessageBoxWarning
        )
        icon.setPixmap(self.style().standardIcon(pixmap).pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.message_label = QLabel(report.message, self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setMinimumWidth(360)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.copy_button: QPushButton | None = None
        if report.details:
            self.copy_button = self.buttons.addButton(self.tr("Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
            self.copy_button.setAutoDefault(False)
            self.copy_button.clicked.connect(self._on_copy_button_clicked)

        body = QHBoxLayout()
        body.addWidget(icon)
        body.addWidget(self.message_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(self.buttons)

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.report.details)
        if self.copy_button is not None:
            self.copy_button.setText(self.tr("Details copied"))
