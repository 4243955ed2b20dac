"""Live updates in the Qt event loop: other stations' changes, and the connection state.

PostgreSQL notifications are read when their socket becomes readable (``QSocketNotifier``: no
thread, no polling of tables); SQLite is polled with one cheap ``PRAGMA data_version`` every
``poll_ms``. When the connection is lost the object says so at once (``connection_changed``),
retries with a growing pause, and after reconnecting emits ``resync`` so every screen reloads what
it shows: notifications sent while offline are not kept by the server.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRunnable, QSocketNotifier, QThreadPool, QTimer, Signal, Slot

from returndesk.api.protocol import ChangeFeed, SessionApi
from returndesk.api.types import FeedLost
from returndesk.ui.changes import follow_local_changes
from returndesk.ui.i18n import tr_message

log = logging.getLogger(__name__)


class _Signals(QObject):
    opened = Signal(object)
    failed = Signal(object)  # the FeedLost's message
    beat_failed = Signal(object)


class _OpenFeed(QRunnable):
    def __init__(self, session: SessionApi, signals: _Signals) -> None:
        super().__init__()
        self.session = session
        self.signals = signals

    def run(self) -> None:
        try:
            feed = self.session.open_change_feed()
        except FeedLost as exc:
            self.signals.failed.emit(exc.message)
        else:
            self.signals.opened.emit(feed)


class _Heartbeat(QRunnable):
    def __init__(self, feed: ChangeFeed, signals: _Signals) -> None:
        super().__init__()
        self.feed = feed
        self.signals = signals

    def run(self) -> None:
        try:
            self.feed.heartbeat()
        except FeedLost as exc:
            self.signals.beat_failed.emit(exc.message)


class LiveUpdates(QObject):
    """Emits ``changed(entity, id)`` for each change; ``resync()`` after a reconnect."""

    changed = Signal(str, int)
    resync = Signal()
    connection_changed = Signal(bool, str)  # online, message for the status bar

    def __init__(self, session: SessionApi, *, poll_ms: int = 500, heartbeat_ms: int = 5000,
                 retry_ms: tuple[int, ...] = (500, 1000, 2000, 5000), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.online = False
        #: Why the connection was lost last, in the station's language ("" while it never was).
        self.reason = ""
        self._feed: ChangeFeed | None = None
        self._notifier: QSocketNotifier | None = None
        self._retry_ms = retry_ms
        self._attempt = 0
        self._had_feed = False
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.opened.connect(self._on_feed_opened)
        self._signals.failed.connect(self._on_feed_failed)
        self._signals.beat_failed.connect(self._on_heartbeat_failed)
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self._drain)
        self._beat = QTimer(self)
        self._beat.setInterval(heartbeat_ms)
        self._beat.timeout.connect(self._on_beat)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.start)
        # Changes made by this process are announced at once, without waiting for the database:
        # carried from the committing thread to this object's by a relay of their own, which a
        # worker never emits on once it is being deleted (ui/changes.py).
        self._unsubscribe = follow_local_changes(session, self, self._local_change)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Open the feed off the GUI thread (a connect may wait for a network timeout)."""
        self._pool.start(_OpenFeed(self.session, self._signals))

    def stop(self) -> None:
        self._poll.stop()
        self._beat.stop()
        self._retry.stop()
        self._drop_feed()
        self._unsubscribe()
        self._pool.waitForDone(10000)

    def report_failure(self, message: str) -> None:
        """A use case failed with DatabaseUnavailable: show offline now and start reconnecting."""
        self._lost(message)

    # ------------------------------------------------------------------ internals
    @Slot(str, int)
    def _local_change(self, entity: str, entity_id: int) -> None:
        self.changed.emit(entity, int(entity_id))

    @Slot(object)
    def _on_feed_opened(self, feed: ChangeFeed) -> None:
        self._drop_feed()
        log.info("change feed open (after %d failed attempt(s))", self._attempt)
        self._feed = feed
        self._attempt = 0
        if feed.pushes:
            fd = feed.fileno()
            assert fd is not None
            self._notifier = QSocketNotifier(fd, QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self._drain)
            self._beat.start()
        else:
            self._poll.start()
        was_online = self.online
        self.online = True
        self.connection_changed.emit(True, self.tr("Connected"))
        if self._had_feed and not was_online:
            self.resync.emit()
        self._had_feed = True

    @Slot(object)
    def _on_feed_failed(self, message: str) -> None:
        self._lost(message)

    @Slot(object)
    def _on_heartbeat_failed(self, message: str) -> None:
        self._lost(message)

    def _on_beat(self) -> None:
        if self._feed is not None:
            self._pool.start(_Heartbeat(self._feed, self._signals))

    def _drain(self, *_args: object) -> None:
        if self._feed is None:
            return
        try:
            changes = self._feed.drain()
        except FeedLost as exc:
            self._lost(exc.message)
            return
        for change in changes:
            self.changed.emit(change.entity, change.entity_id)

    def _lost(self, message: str) -> None:
        """``message``: why, a service's message (said here in the station's language) or a text
        already in it; the status bar's tooltip shows it under the offline sentence."""
        log.warning("database connection lost: %s", message)
        self.reason = tr_message(message)
        self._poll.stop()
        self._beat.stop()
        self._drop_feed()
        if self.online or self._attempt == 0:
            self.online = False
            offline = (self.tr("Offline: the ReturnDesk server cannot be reached. Reconnecting…")
                       if self.session.database.is_remote
                       else self.tr("Offline: the database cannot be reached. Reconnecting…"))
            self.connection_changed.emit(False, f"{offline}\n{self.reason}" if self.reason else offline)
        delay = self._retry_ms[min(self._attempt, len(self._retry_ms) - 1)]
        self._attempt += 1
        if not self._retry.isActive():
            self._retry.start(delay)

    def _drop_feed(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._feed is not None:
            self._feed.close()
            self._feed = None
