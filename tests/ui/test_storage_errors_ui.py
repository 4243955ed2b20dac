"""A locked, read-only or full database reaches the user as a sentence, never as "something went
wrong": through the error presenter and in the sign-in dialog."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from returndesk.api.local import LocalSession
from returndesk.services.usecases import auth
from returndesk.services.infra.connection import DatabaseChoice, OpenedDatabase
from returndesk.services.tx.context import ServiceContext
from returndesk.store.engine import Database
from returndesk.ui.dialogs.sign_in import OTHER, SignInDialog
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.tasks import TaskRunner

WAIT = 10_000


@pytest.fixture
def db_file(tmp_path, sqlite_template):
    path = tmp_path / "returndesk.sqlite3"
    shutil.copy(sqlite_template, path)
    return path


@pytest.fixture
def locked(db_file):
    """Another program holds an exclusive lock on the file."""
    other = sqlite3.connect(db_file, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield db_file
    other.execute("ROLLBACK")
    other.close()


def test_a_driver_error_that_escaped_the_store_is_still_said_in_words(locked):
    engine = create_engine(f"sqlite:///{locked}", connect_args={"timeout": 0.1})
    with pytest.raises(OperationalError) as raw:
        with engine.begin() as conn:
            conn.execute(text("insert into users (username) values ('x')"))
    engine.dispose()
    shown = []
    report = ErrorPresenter(show=shown.append).present(raw.value, context="saving the return")
    assert shown == [report] and not report.unexpected
    assert "in use by another program" in report.message and "nothing was saved" in report.message
    assert "went wrong" not in report.message


def test_a_read_only_database_through_a_task_reaches_the_presenter_as_a_sentence(qtbot, db_file):
    ctx = ServiceContext(db=Database.open(f"sqlite:///file:{db_file}?mode=ro&uri=true"))
    shown = []
    presenter = ErrorPresenter(show=shown.append)
    runner = TaskRunner(error_handler=presenter.present)
    try:
        with qtbot.waitSignal(presenter.presented, timeout=WAIT):
            runner.run(auth.add_user, ctx, None, username="li", display_name="Li", role="clerk",
                       password="s3cret-pass")
        [report] = shown
        assert not report.unexpected and "can be read but not written" in report.message
    finally:
        runner.wait_idle(WAIT)
        runner.shutdown(WAIT)
        ctx.db.dispose()


def test_signing_in_while_another_program_locks_the_database_says_what_to_do(qtbot, locked):
    ctx = ServiceContext(db=Database.open(f"sqlite:///{locked}", busy_timeout_s=0.2), station="TEST-1")
    session = LocalSession(OpenedDatabase(ctx, DatabaseChoice.local(locked), None, False))  # type: ignore[arg-type]
    tasks = TaskRunner()
    dialog = SignInDialog(session, tasks, database_text="local file")
    qtbot.addWidget(dialog)
    dialog.show()
    try:
        qtbot.keyClicks(dialog.username_edit, "clerk")
        dialog.password_edit.setText("whatever it is")
        with qtbot.waitSignal(dialog.sign_in_failed, timeout=WAIT) as failed:
            dialog.sign_in()
        assert failed.args[0] == OTHER
        assert "in use by another program" in dialog.message_label.text()
        assert "went wrong" not in dialog.message_label.text()
        assert dialog.isVisible() and dialog.actor is None
    finally:
        tasks.wait_idle(WAIT)
        tasks.shutdown(WAIT)
        ctx.db.dispose()
