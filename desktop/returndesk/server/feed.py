"""The change feed, relayed from the database to the stations over a WebSocket.

Each server process listens to the database once (PostgreSQL LISTEN, or SQLite's data version)
on a thread of its own and hands every change to the stations connected to it. When the database
link drops, the relay reconnects with back-off and then tells every station to resync (``{"resync":
true}``), because notifications sent meanwhile are not kept. A station that reconnects resyncs by
itself.
"""

from __future__ import annotations

import asyncio
import json
import logging
import select
import threading
from dataclasses import dataclass, field

from returndesk.services.tx.context import ServiceContext
from returndesk.services.infra.live import FeedLost, open_change_feed

log = logging.getLogger("returndesk.server.feed")

#: How often an SQLite database (which cannot push) is asked whether it changed.
POLL_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 30.0


@dataclass
class _Subscriber:
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[str]


@dataclass
class FeedRelay:
    ctx: ServiceContext
    _by_id: dict[int, _Subscriber] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="feed-relay", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    # ------------------------------------------------------------------ stations
    def subscribe(self) -> tuple[int, asyncio.Queue[str]]:
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=1000)
        subscriber = _Subscriber(asyncio.get_running_loop(), queue)
        with self._lock:
            key = id(subscriber)
            self._by_id[key] = subscriber
        return key, queue

    def unsubscribe(self, key: int) -> None:
        with self._lock:
            self._by_id.pop(key, None)

    def broadcast(self, message: dict[str, object]) -> None:
        text = json.dumps(message)
        with self._lock:
            subscribers = list(self._by_id.values())
        for subscriber in subscribers:
            subscriber.loop.call_soon_threadsafe(_offer, subscriber.queue, text)

    # ------------------------------------------------------------------ the database side
    def _run(self) -> None:
        backoff = 0.5
        lost = False
        while not self._stopping.is_set():
            try:
                feed = open_change_feed(self.ctx)
            except FeedLost as exc:
                log.warning("change feed: cannot listen to the database (%s); retrying", exc)
                lost = True
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            if lost:
                self.broadcast({"resync": True})
                lost = False
            backoff = 0.5
            try:
                self._relay(feed)
            except FeedLost as exc:
                log.warning("change feed lost (%s); reconnecting", exc)
                lost = True
            finally:
                feed.close()

    def _relay(self, feed) -> None:
        while not self._stopping.is_set():
            fileno = feed.fileno()
            if fileno is not None:
                ready, _, _ = select.select([fileno], [], [], 1.0)
                if not ready:
                    feed.heartbeat()
                    continue
            else:
                self._stopping.wait(POLL_SECONDS)
            for change in feed.drain():
                self.broadcast({"entity": change.entity, "id": change.entity_id, "status": change.status,
                                "origin": change.origin})


def _offer(queue: asyncio.Queue[str], text: str) -> None:
    if queue.full():  # a station that stopped reading: tell it to resync instead of queueing forever
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait(json.dumps({"resync": True}))
    else:
        queue.put_nowait(text)
