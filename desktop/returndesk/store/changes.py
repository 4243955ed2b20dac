"""Change notifications between stations, without polling the tables.

PostgreSQL: a trigger on ``returns`` (migration 0002) sends ``pg_notify('returndesk_changes',
'{"entity": "return", "id": ..., "status": ..., "app": <application_name>}')``; notifications sent
inside a transaction arrive at COMMIT. :class:`PgChangeListener` holds a dedicated autocommit
connection (never one from the pool) and exposes its socket so that the GUI can wait on it with a
``QSocketNotifier`` instead of a thread. Notifications are not durable: after a reconnect the
caller must refresh everything it shows.

SQLite (several application instances on one machine): ``PRAGMA data_version`` changes on a
connection whenever *another* connection has committed to the file — one cheap call, no table read.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from sqlalchemy.engine import make_url

CHANNEL = "returndesk_changes"


@dataclass(frozen=True)
class Change:
    entity: str
    entity_id: int
    status: str | None = None
    origin: str | None = None  # application_name of the writer


def _psycopg_dsn(url: str) -> str:
    u = make_url(url)
    return u.set(drivername="postgresql").render_as_string(hide_password=False)


class PgChangeListener:
    """LISTEN on a dedicated connection; ``drain()`` never blocks."""

    def __init__(self, url: str, *, application_name: str = "returndesk-listener") -> None:
        import psycopg

        self._psycopg = psycopg
        self.conn = psycopg.connect(_psycopg_dsn(url), autocommit=True, connect_timeout=5,
                                    application_name=application_name)
        self.conn.execute(f"LISTEN {CHANNEL}")

    def fileno(self) -> int:
        return self.conn.fileno()

    def drain(self) -> list[Change]:
        """Changes that have arrived; raises ``ConnectionLost`` when the server went away."""
        try:
            notes = list(self.conn.notifies(timeout=0))
        except self._psycopg.OperationalError as exc:
            raise ConnectionLost(str(exc)) from exc
        if self.conn.broken or self.conn.closed:
            raise ConnectionLost("the listening connection was closed")
        changes = []
        for n in notes:
            try:
                data = json.loads(n.payload)
                changes.append(Change(data.get("entity", "return"), int(data["id"]),
                                      data.get("status"), data.get("app")))
            except (ValueError, KeyError, TypeError):
                changes.append(Change("unknown", 0))
        return changes

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:
            pass


class ConnectionLost(Exception):
    """The change feed's connection is gone; reconnect, then refresh everything."""


class SqliteChangeWatcher:
    """Detects commits by other connections to the same SQLite file."""

    def __init__(self, url: str) -> None:
        path = make_url(url).database
        if not path:
            raise ValueError("a SQLite change watcher needs a database file")
        self.conn = sqlite3.connect(path, check_same_thread=False)
        self._last = self._version()

    def _version(self) -> int:
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def poll(self) -> bool:
        """True when another connection committed since the last poll."""
        current = self._version()
        changed = current != self._last
        self._last = current
        return changed

    def close(self) -> None:
        self.conn.close()


def notify_sql_trigger() -> list[str]:
    """DDL of the PostgreSQL trigger that announces changes of returns."""
    return [
        f"""
        CREATE OR REPLACE FUNCTION returndesk_notify_return() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', json_build_object(
                'entity', 'return', 'id', NEW.id, 'status', NEW.status,
                'app', current_setting('application_name', true))::text);
            RETURN NEW;
        END $$
        """,
        "DROP TRIGGER IF EXISTS returns_notify ON returns",
        """
        CREATE TRIGGER returns_notify AFTER INSERT OR UPDATE ON returns
        FOR EACH ROW EXECUTE FUNCTION returndesk_notify_return()
        """,
    ]
