"""Changes committed on another thread reach a widget on the GUI thread, and stop when it goes."""

from __future__ import annotations

import threading

from PySide6.QtCore import QEvent, QThread
from PySide6.QtWidgets import QApplication, QWidget
from returndesk.ui.changes import follow_local_changes


class _Session:
    """The one part of the session API followed: its change listeners."""

    def __init__(self) -> None:
        self.listeners: list = []

    def subscribe(self, listener):
        self.listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self.listeners:
                self.listeners.remove(listener)

        return unsubscribe

    def commit_on_a_worker(self, entity: str, entity_id: int) -> None:
        listeners = list(self.listeners)
        thread = threading.Thread(target=lambda: [listener(entity, entity_id) for listener in listeners])
        thread.start()
        thread.join()


class _Screen(QWidget):
    def __init__(self, seen: list) -> None:
        super().__init__()
        self.seen = seen

    def on_changed(self, entity: str, entity_id: int) -> None:
        self.seen.append((entity, entity_id, QThread.currentThread() is QApplication.instance().thread()))


def test_a_change_committed_on_a_worker_reaches_the_widget_on_the_gui_thread(qtbot):
    session = _Session()
    seen: list[tuple[str, int, bool]] = []
    widget = _Screen(seen)
    qtbot.addWidget(widget)
    follow_local_changes(session, widget, widget.on_changed)
    session.commit_on_a_worker("return", 7)
    qtbot.waitUntil(lambda: seen == [("return", 7, True)])


def test_a_widget_deleted_stops_following_and_a_listener_still_running_harms_nothing(qtbot):
    session = _Session()
    seen: list[tuple[str, int, bool]] = []
    widget = _Screen(seen)
    follow_local_changes(session, widget, widget.on_changed)
    (listener,) = session.listeners
    widget.deleteLater()
    qtbot.waitUntil(lambda: session.listeners == [])  # unsubscribed as the widget was destroyed
    # A worker that took the listener before the widget went still calls it: nothing happens.
    thread = threading.Thread(target=listener, args=("return", 1))
    thread.start()
    thread.join()
    QApplication.processEvents()
    assert seen == []


def test_the_following_ends_when_asked(qtbot):
    session = _Session()
    widget = QWidget()
    qtbot.addWidget(widget)
    unsubscribe = follow_local_changes(session, widget, lambda *_args: None)
    unsubscribe()
    unsubscribe()
    assert session.listeners == []


def test_the_relay_belongs_to_the_application_and_goes_with_the_widget(qtbot):
    """Owned by the application object, the relay is never deleted by Python's garbage collector on
    whichever thread runs it (a QObject deleted on a worker takes Qt's locks there); it is deleted
    on the GUI thread after the widget."""
    from returndesk.ui import changes

    app = QApplication.instance()

    def relays() -> list:
        return app.findChildren(changes._ChangeRelay)

    before = len(relays())
    session = _Session()
    widget = _Screen([])
    follow_local_changes(session, widget, widget.on_changed)
    assert len(relays()) == before + 1
    widget.deleteLater()

    def relay_deleted() -> bool:
        # The deletions a running event loop makes as it returns to its top level.
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return len(relays()) == before

    qtbot.waitUntil(relay_deleted)
