"""Changes committed by this process, carried from the thread that committed to a widget.

A use case tells its session's listeners after each commit, on whatever thread ran it (a task of
the task runner, most often). :func:`follow_local_changes` gives a widget those changes on the
GUI thread, queued by a signal.

The signal's sender is a relay object without a parent, kept alive by the listener that emits
on it, so it can never be deleted while a thread is emitting; the receiving widget may be
deleted at any moment, and Qt then drops the queued calls meant for it. (A relay owned by the
widget, checked with ``shiboken6.isValid`` before emitting, could be deleted by the GUI thread
between the check and the emit.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from returndesk.api.protocol import SessionApi


class _ChangeRelay(QObject):
    changed = Signal(str, int)


def follow_local_changes(session: SessionApi, receiver: QObject,
                         slot: Callable[[str, int], None]) -> Callable[[], None]:
    """Call ``slot(entity, entity_id)`` of ``receiver`` on the GUI thread after each change this
    process commits through ``session``, until ``receiver`` is destroyed or the returned
    function is called (calling it twice does nothing)."""
    relay = _ChangeRelay()
    relay.changed.connect(slot)

    def listener(entity: str, entity_id: int) -> None:
        relay.changed.emit(entity, int(entity_id))

    unsubscribe = session.subscribe(listener)
    receiver.destroyed.connect(lambda *_args: unsubscribe())
    return unsubscribe
