"""The sign-in dialog: Enter signs in; a wrong password and a locked account say different things."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from returndesk.services.usecases import auth
from returndesk.store.schema import AuditEvent, User
from returndesk.ui.dialogs.sign_in import LOCKED, WRONG_PASSWORD, SignInDialog

from .frame_support import PASSWORD, context_of


@pytest.fixture
def dialog(qtbot, frame_services, tasks, world):
    d = SignInDialog(frame_services, tasks)
    qtbot.addWidget(d)
    d.show()
    return d


def _type_and_enter(qtbot, dialog, username: str, password: str) -> None:
    dialog.username_edit.clear()
    qtbot.keyClicks(dialog.username_edit, username)
    qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)


def test_enter_signs_in_with_the_right_password(qtbot, dialog, frame_services):
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as signal:
        _type_and_enter(qtbot, dialog, "clerk", PASSWORD)

    actor = signal.args[0]
    assert actor.username == "clerk" and actor.role == "clerk"
    assert dialog.actor == actor
    assert dialog.result() == SignInDialog.DialogCode.Accepted
    with context_of(frame_services).db.read() as s:
        events = s.execute(select(AuditEvent.action).where(AuditEvent.entity == "user",
                                                           AuditEvent.entity_id == "clerk")).scalars().all()
    assert "signed_in" in events


def test_enter_in_the_user_field_moves_on_without_spending_an_attempt(qtbot, dialog, frame_services):
    qtbot.keyClicks(dialog.username_edit, "clerk")
    qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Return)

    assert dialog.password_edit.hasFocus()
    assert dialog.isVisible() and dialog.actor is None
    with context_of(frame_services).db.read() as s:
        assert s.execute(select(User.failed_attempts).where(User.username == "clerk")).scalar_one() == 0


def test_wrong_password_and_locked_account_get_different_messages(qtbot, dialog, frame_services):
    with qtbot.waitSignal(dialog.sign_in_failed, timeout=10_000) as wrong:
        _type_and_enter(qtbot, dialog, "clerk", "not the password")
    assert wrong.args[0] == WRONG_PASSWORD
    wrong_text = dialog.message_label.text()
    assert "Wrong user name or password" in wrong_text
    assert dialog.message_label.isVisible()
    assert dialog.password_edit.text() == "" and dialog.password_edit.hasFocus()
    assert dialog.isVisible() and dialog.actor is None

    # The remaining failures lock the account; then even the right password is refused as locked.
    for _ in range(auth.MAX_FAILED_ATTEMPTS - 1):
        with qtbot.waitSignal(dialog.sign_in_failed, timeout=10_000):
            _type_and_enter(qtbot, dialog, "clerk", "still wrong")
    with qtbot.waitSignal(dialog.sign_in_failed, timeout=10_000) as locked:
        _type_and_enter(qtbot, dialog, "clerk", PASSWORD)

    assert locked.args[0] == LOCKED
    locked_text = dialog.message_label.text()
    assert "locked" in locked_text.lower()
    assert locked_text.splitlines()[0] != wrong_text.splitlines()[0]
    assert "Wrong user name or password" not in locked_text
    assert dialog.message_label.styleSheet() != ""
    assert dialog.actor is None
    with context_of(frame_services).db.read() as s:
        assert s.execute(select(User.locked_until).where(User.username == "clerk")).scalar_one() is not None


def test_an_unknown_user_gets_the_wrong_password_message(qtbot, dialog):
    with qtbot.waitSignal(dialog.sign_in_failed, timeout=10_000) as failed:
        _type_and_enter(qtbot, dialog, "nobody", PASSWORD)
    assert failed.args[0] == WRONG_PASSWORD


def test_demo_accounts_are_listed_and_a_click_fills_the_form(qtbot, frame_services, tasks, world):
    from returndesk.devtools.demo import demo_accounts

    accounts = demo_accounts()
    d = SignInDialog(frame_services, tasks, demo_accounts=accounts)
    qtbot.addWidget(d)
    d.show()

    assert d.demo_table.isVisible()
    assert d.demo_table.rowCount() == len(accounts)
    roles = {d.demo_table.item(r, 0).text() for r in range(d.demo_table.rowCount())}
    assert {"Counter clerk", "Warehouse inspector", "Supervisor"} <= roles
    second = accounts[1]
    rect = d.demo_table.visualItemRect(d.demo_table.item(1, 1))
    qtbot.mouseClick(d.demo_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert d.username_edit.text() == second.username
    assert d.password_edit.text() == second.password


def test_no_demo_list_on_an_ordinary_database(qtbot, dialog, frame_services):
    assert frame_services.demo_accounts() == ()
    assert not dialog.demo_table.isVisible()
    assert not dialog.demo_label.isVisible()


def test_after_a_wrong_password_enter_signs_in_and_does_not_cancel(qtbot, dialog, frame_services):
    """The busy state moves the focus off the disabled fields; the default button must stay Sign in."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    with qtbot.waitSignal(dialog.sign_in_failed, timeout=10_000) as wrong:
        _type_and_enter(qtbot, dialog, "clerk", "not the password")
    assert wrong.args[0] == WRONG_PASSWORD
    assert dialog.sign_in_button.isDefault() and not dialog.cancel_button.isDefault()
    assert dialog.password_edit.hasFocus()

    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as signal:
        qtbot.keyClicks(dialog.password_edit, PASSWORD)
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)

    assert signal.args[0].username == "clerk"
    assert dialog.result() == SignInDialog.DialogCode.Accepted and dialog.actor is not None
    with context_of(frame_services).db.read() as s:
        assert s.execute(select(User.failed_attempts).where(User.username == "clerk")).scalar_one() == 0


def test_the_database_is_named_in_the_stations_language(qtbot, qapp, tasks):
    from PySide6.QtCore import QLocale

    from returndesk.domain.messages import msg
    from returndesk.ui.i18n import install_translations, remove_translations

    locale = QLocale()
    install_translations("zh_CN")
    try:
        d = SignInDialog(None, tasks, database_text=msg("local file {path}", path="/srv/returndesk.sqlite3"))
        qtbot.addWidget(d)
        assert d.database_label.text() == "数据库：本地文件 /srv/returndesk.sqlite3"
    finally:
        remove_translations()
        QLocale.setDefault(locale)
