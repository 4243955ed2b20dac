"""ErrorPresenter: expected errors show their sentence; bugs are logged and offer their details."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from returndesk.domain.errors import PolicyViolation, ValidationFailed
from returndesk.ui.errors import ErrorDialog, ErrorPresenter, describe_error
from returndesk.ui.tasks import TaskRunner


def raise_and_catch(error: BaseException) -> BaseException:
    try:
        raise error
    except BaseException as caught:
        return caught


def compute_refund_bug() -> None:
    {}["grade_factor"]  # a bug: KeyError


@pytest.fixture
def shown():
    return []


@pytest.fixture
def presenter(shown):
    return ErrorPresenter(show=shown.append)


def test_expected_error_shows_its_message_and_is_not_logged_as_a_bug(presenter, shown, caplog):
    error = raise_and_catch(PolicyViolation("Order SO-1042 was delivered 47 days ago; the policy allows 30."))
    with caplog.at_level(logging.INFO, logger="returndesk.ui.errors"):
        report = presenter.present(error)

    assert shown == [report]
    assert report.message == "Order SO-1042 was delivered 47 days ago; the policy allows 30."
    assert report.unexpected is False
    assert report.details == ""
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("SO-1042" in r.getMessage() for r in caplog.records)


def test_validation_problems_are_listed():
    report = describe_error(ValidationFailed("The return cannot be saved.", ["Quantity 3 is more than 2 bought."]))
    assert report.message == "The return cannot be saved.\n• Quantity 3 is more than 2 bought."


def test_a_bug_is_logged_with_traceback_and_shown_generically(presenter, shown, caplog):
    try:
        compute_refund_bug()
    except KeyError as exc:
        error = exc
    with caplog.at_level(logging.ERROR, logger="returndesk.ui.errors"):
        report = presenter.present(error, context="approving the refund")

    assert shown == [report]
    assert report.unexpected is True
    assert report.message == "Something went wrong while approving the refund; nothing was saved."
    assert "grade_factor" not in report.message
    assert "Traceback (most recent call last)" in report.details
    assert "compute_refund_bug" in report.details
    assert "While: approving the refund" in report.details
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.exc_info is not None and record.exc_info[1] is error


def test_generic_message_without_context():
    report = describe_error(raise_and_catch(RuntimeError("boom")))
    assert report.message == "Something went wrong; nothing was saved."


def test_copy_details_puts_the_traceback_on_the_clipboard(qtbot):
    report = describe_error(raise_and_catch(ZeroDivisionError("division by zero")))
    dialog = ErrorDialog(report)
    qtbot.addWidget(dialog)
    QGuiApplication.clipboard().clear()

    assert dialog.copy_button is not None
    dialog.copy_button.click()

    assert QGuiApplication.clipboard().text() == report.details
    assert "ZeroDivisionError: division by zero" in QGuiApplication.clipboard().text()
    assert dialog.copy_button.text() == "Details copied"


def test_expected_error_dialog_has_no_copy_button(qtbot):
    dialog = ErrorDialog(describe_error(PolicyViolation("Not returnable: gift cards.")))
    qtbot.addWidget(dialog)
    assert dialog.copy_button is None
    assert dialog.message_label.text() == "Not returnable: gift cards."


def test_default_presentation_opens_a_dialog_without_blocking(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    presenter = ErrorPresenter(window)

    with qtbot.waitSignal(presenter.presented):
        presenter.present(raise_and_catch(RuntimeError("boom")))

    [dialog] = presenter.open_dialogs()
    assert dialog.isVisible()
    assert dialog.copy_button is not None
    with qtbot.waitSignal(dialog.finished):
        dialog.reject()
    assert presenter.open_dialogs() == []


def test_task_errors_reach_the_presenter(qtbot, presenter, shown):
    runner = TaskRunner(error_handler=presenter.present)
    with qtbot.waitSignal(runner.all_idle):
        runner.run(compute_refund_bug)
    [report] = shown
    assert report.unexpected
    assert isinstance(report.error, KeyError)
    assert "compute_refund_bug" in report.details
    assert runner.shutdown(5_000)


def test_excepthook_presents_and_chains_to_the_previous_hook(presenter, shown, monkeypatch):
    chained: list[type] = []
    monkeypatch.setattr(sys, "excepthook", lambda t, e, tb: chained.append(t))
    restore = presenter.install_excepthook()
    try:
        error = raise_and_catch(ValueError("bad"))
        sys.excepthook(ValueError, error, error.__traceback__)
    finally:
        restore()
    assert [r.error for r in shown] == [error]
    assert chained == [ValueError]
