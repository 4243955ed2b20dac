"""Change feeds for live screens, independent of Qt.

``open_change_feed(ctx)`` gives a PostgreSQL LISTEN feed (``fileno()`` to wait on, ``drain()`` to
read without blocking) or, on SQLite, a ``PRAGMA data_version`` watcher (``fileno()`` is None: the
caller polls ``drain()`` on a timer). Both raise :class:`FeedLost` when the database went away; the
caller then reconnects with :func:`open_change_feed` and refreshes everything it shows, because
notifications sent while disconnected are not kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from returndesk.domain.errors import DatabaseUnavailable
from returndesk.domain.messages import msg, with_detail
from returndesk.store.changes import Change, ConnectionLost, PgChangeListener, SqliteChangeWatcher

from returndesk.services.tx.context import ServiceContext

__all__ = ["Change", "ChangeFeed", "FeedLost", "open_change_feed", "ping"]


class FeedLost(Exception):
    """The change feed lost its database connection.

    ``message`` says it for people (a message, translated on the screen); what the driver or the
    operating system said is kept as its secondary detail.
    """

    def __init__(self, message: str, detail: object = "") -> None:
        self.message = with_detail(message, detail)
        super().__init__(self.message)


def _lost_database(exc: BaseException) -> FeedLost:
    return FeedLost(msg("The connection to the database for live updates was lost; the station reconnects by "
                        "itself. If it stays offline, check the network and the database server."), exc)


@dataclass
class ChangeFeed:
    _pg: PgChangeListener | None = None
    _sqlite: SqliteChangeWatcher | None = None

    @property
    def pushes(self) -> bool:
        """True when changes arrive on a socket (PostgreSQL); False when they must be polled."""
        return self._pg is not None

    def fileno(self) -> int | None:
        return self._pg.fileno() if self._pg else None

    def drain(self) -> list[Change]:
        if self._pg is not None:
            try:
                return self._pg.drain()
            except ConnectionLost as exc:
                raise _lost_database(exc) from exc
        assert self._sqlite is not None
        try:
            return [Change("any", 0)] if self._sqlite.poll() else []
        except Exception as exc:  # sqlite3 errors: the file went away or is unreadable
            raise FeedLost(msg("The database file cannot be checked for changes any more; check that it is still "
                               "there and readable. The station tries again by itself."), exc) from exc

    def heartbeat(self) -> None:
        """A round trip on the feed's own connection; raises FeedLost when the server is gone."""
        if self._pg is None:
            return
        try:
            self._pg.conn.execute("SELECT 1")
        except Exception as exc:  # psycopg OperationalError and friends
            raise _lost_database(exc) from exc

    def close(self) -> None:
        if self._pg is not None:
            self._pg.close()
        if self._sqlite is not None:
            self._sqlite.close()


def open_change_feed(ctx: ServiceContext) -> ChangeFeed:
    """Open the right feed for the context's database; raises FeedLost if it cannot connect."""
    url = ctx.db.url
    try:
        if ctx.db.is_sqlite:
            return ChangeFeed(_sqlite=SqliteChangeWatcher(url))
        return ChangeFeed(_pg=PgChangeListener(url, application_name=f"returndesk-live/{ctx.station or '-'}"))
    except Exception as exc:
        raise FeedLost(msg("Live updates cannot connect to the database; the station tries again by itself. If it "
                           "stays offline, check the network and the database server."), exc) from exc


def ping(ctx: ServiceContext) -> bool:
    """True when the database answers a trivial query (pool pre-ping reconnects if needed)."""
    try:
        with ctx.db.read() as s:
            s.execute(text("SELECT 1"))
        return True
    except (DatabaseUnavailable, Exception):
        return False
