"""Changes committed by this process, carried from the thread that committed to a widget.

A use case tells its session's listeners after each commit, on whatever thread ran it (a task of
the task runner, most often). :func:`follow_local_changes` gives a widget those changes on the
GUI thread, queued by a signal.

The signal's sender is a relay object of its own, owned by the application object (so neither
the widget's deletion nor Python's garbage collector on a worker thread deletes it), emitted on
under a lock while the widget lives; when the widget is destroyed, the GUI thread takes the lock,
marks the relay dead, unsubscribes and deletes it later on its own thread. So a worker never emits
on a relay being deleted, and never deletes it either. (A relay owned by the widget, checked with
``shiboken6.isValid`` before emitting, could be deleted by the GUI thread between the check and
the emit.) Qt drops queued calls meant for a receiver deleted before they are delivered.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal

if TYPE_CHECKING:
    from returndesk.api.protocol import SessionApi


class _ChangeRelay(QObject):
    changed = Signal(str, int)


def follow_local_changes(session: SessionApi, receiver: QObject,
                         slot: Callable[[str, int], None]) -> Callable[[], None]:
    """Call ``slot(entity, entity_id)`` of ``receiver`` on the GUI thread after each change this
    process commits through ``session``, until ``receiver`` is destroyed or the returned
    function is called (calling it twice does nothing)."""
    # Owned by the application object (C++), never by Python: a relay owned by Python would be
    # deleted by whichever thread's garbage collection found it last, and a QObject deleted on a
    # worker thread takes Qt's locks there while waiting for the interpreter (a deadlock with the
    # GUI thread). It is deleted on the GUI thread, by ``deleteLater`` when the widget goes.
    relay = _ChangeRelay(QCoreApplication.instance())
    relay.changed.connect(slot)
    lock = threading.RLock()  # a use case run on the GUI thread may close the widget from the slot
    alive = [True]

    def listener(entity: str, entity_id: int) -> None:
        with lock:
            if alive[0]:
                relay.changed.emit(entity, int(entity_id))

    unsubscribe = session.subscribe(listener)

    def end(*_args: object) -> None:
        with lock:
            if not alive[0]:
                return
            alive[0] = False
        unsubscribe()
        relay.deleteLater()

    receiver.destroyed.connect(end)
    return end
