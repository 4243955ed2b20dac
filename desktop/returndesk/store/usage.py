"""Processor time a process and its PostgreSQL connections have used, for the load test's figures.

The ReturnDesk server reports its own processor time and that of the PostgreSQL server processes
behind its connections (``GET /api/v1/admin/usage``); the load test reads the same for the stations
that talk to the database themselves. The database's share can be read only for a PostgreSQL
server on this machine (Linux ``/proc``); elsewhere it is None.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

LOCAL_HOSTS = (None, "", "localhost", "127.0.0.1", "::1")


def process_cpu_seconds(pid: int) -> float | None:
    """Processor seconds (user and system) a process on this machine has used; None if unreadable."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


class BackendCpu:
    """The processor time of the PostgreSQL server processes behind an engine's connections.

    Each new connection asks its server process id (``pg_backend_pid()``) once. A process whose
    connection has closed keeps the time last read for it, so the sum never goes back; what such a
    process used after the last reading is not counted (a pool seldom closes connections). Create
    it before the engine opens its first connection, or connections opened earlier are missed.
    """

    def __init__(self, engine: Engine) -> None:
        self._lock = threading.Lock()
        self._last: dict[int, float] = {}  # server process id -> processor seconds last read
        self._gone = 0.0  # processor seconds of server processes whose id now names another process
        self.measurable = engine.dialect.name == "postgresql" and engine.url.host in LOCAL_HOSTS
        if self.measurable:
            event.listen(engine, "connect", self._on_connect)

    def _on_connect(self, dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT pg_backend_pid()")
            pid = int(cursor.fetchone()[0])
        finally:
            cursor.close()
        dbapi_connection.commit()
        with self._lock:  # a process id used again by a new server process: the old one's time is kept
            self._gone += self._last.get(pid, 0.0)
            self._last[pid] = 0.0

    def seconds(self) -> float | None:
        """The processor seconds all of them have used so far; None when it cannot be read here."""
        if not self.measurable:
            return None
        with self._lock:
            for pid in list(self._last):
                now = process_cpu_seconds(pid)
                if now is None:
                    continue  # ended: its last reading stands
                if now < self._last[pid]:  # the id names a new process now
                    self._gone += self._last[pid]
                self._last[pid] = now
            return self._gone + sum(self._last.values())
