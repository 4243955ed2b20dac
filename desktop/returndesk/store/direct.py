"""The database through its driver alone, for a short command-line process that reads a few
columns and writes one row: ``returndesk print label`` (:mod:`returndesk.services.usecases.label_file`).

Importing SQLAlchemy costs a process about twice a bare Python process that writes a PDF, more
than the whole of what printing a label needs; the standard library's ``sqlite3`` costs nothing.
Everything else goes through the engine of :mod:`.engine`. What this module shares with it, so that
both reach a database the same way:

- the address: :func:`~.location.resolve_url` (``--url``, else ``$RETURNDESK_DB_URL``, else the
  local file); a local file is opened as the engine opens it (WAL, foreign keys, the same busy
  timeout, ``BEGIN IMMEDIATE`` for a writer and a plain ``BEGIN`` for a reader); a PostgreSQL
  server through psycopg with the engine's connection parameters;
- the SQL: one text per statement for both databases, with ``:name`` parameters (turned into
  psycopg's ``%(name)s``);
- the errors: a locked, read-only or full database and an unreachable server become the same
  sentences (:func:`~returndesk.domain.errors.storage_problem`, :class:`DatabaseUnavailable`);
- stored instants: SQLite keeps them as SQLAlchemy writes them (naive UTC text, microseconds
  included), PostgreSQL as ``timestamptz``.

:func:`open_direct` answers None for an address it does not open itself (another driver, URL
options, a SQLite file that does not exist yet): the caller then goes through the engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from returndesk.domain.errors import DatabaseUnavailable, storage_problem
from returndesk.domain.messages import msg
from returndesk.store.location import resolve_url

#: How long a SQLite writer waits for another one (the engine's ``SQLITE_BUSY_TIMEOUT_S``).
SQLITE_BUSY_TIMEOUT_S = 30.0
#: The connection parameters the engine gives psycopg (:func:`~.engine.make_engine`).
PG_CONNECT_ARGS: dict[str, Any] = {"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 30,
                                   "application_name": "returndesk"}
#: SQLSTATEs of a server that is gone, going or not yet back: connection exceptions (class 08),
#: administrator/crash shutdown and "cannot connect now" (57P01-57P03).
OUTAGE_SQLSTATES = ("08", "57P01", "57P02", "57P03")
#: Words of the drivers' messages that say the database cannot be reached.
OUTAGE_WORDS = (
    "connection refused", "could not connect", "server closed the connection",
    "terminating connection", "connection timeout", "timeout expired", "no route to host",
    "connection is closed", "the connection is lost", "network is unreachable",
    "consuming input failed", "unable to open database file", "database system is shutting down",
    "database system is starting up", "server closed the connection unexpectedly",
    "connection reset by peer",  # a connection being made while PostgreSQL restarts
)

_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_SQLITE_PREFIXES = ("sqlite:///", "sqlite+pysqlite:///")
_PG_PREFIX = "postgresql+psycopg://"


def is_outage(error: BaseException) -> bool:
    """True when a driver's error says the database cannot be reached (SQLSTATE or words)."""
    state = str(getattr(error, "sqlstate", "") or "")
    if state and state.startswith(OUTAGE_SQLSTATES):
        return True
    return any(word in str(error).lower() for word in OUTAGE_WORDS)


def _unavailable() -> DatabaseUnavailable:
    return DatabaseUnavailable(msg(
        "The database cannot be reached; nothing was saved. Check the network or the server and try again."))


class DirectTransaction:
    """One transaction on a driver connection: statements with ``:name`` parameters."""

    def __init__(self, cursor: Any, dialect: str) -> None:
        self._cursor = cursor
        self.dialect = dialect

    def _sql(self, sql: str) -> str:
        return _PARAMETER.sub(r"%(\1)s", sql) if self.dialect == "postgresql" else sql

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        self._cursor.execute(self._sql(sql), dict(params or {}))

    def execute_many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        self._cursor.executemany(self._sql(sql), [dict(row) for row in rows])

    def all(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        self.execute(sql, params)
        return [tuple(row) for row in self._cursor.fetchall()]

    def first(self, sql: str, params: Mapping[str, Any] | None = None) -> tuple[Any, ...] | None:
        rows = self.all(sql, params)
        return rows[0] if rows else None

    def instant(self, value: datetime) -> Any:
        """An aware instant as the column stores it: naive UTC text on SQLite (as SQLAlchemy
        writes it), the aware value on PostgreSQL."""
        if self.dialect == "postgresql":
            return value
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")

    def stored_instant(self, value: Any) -> datetime:
        """A stored instant as SQLAlchemy gives it back: naive UTC from SQLite, aware from PostgreSQL."""
        return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


class DirectDatabase:
    """A database opened through its driver (see the module's docstring)."""

    def __init__(self, dialect: str, target: str, description: str) -> None:
        self.dialect = dialect
        self._target = target
        self._description = description
        self._connection: Any = None

    def describe(self) -> str:
        """What the engine's ``describe`` says of the same address."""
        return self._description

    def _connect(self) -> Any:
        if self._connection is None:
            if self.dialect == "sqlite":
                import sqlite3

                conn = sqlite3.connect(self._target, timeout=SQLITE_BUSY_TIMEOUT_S, isolation_level=None,
                                       check_same_thread=False)
                conn.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA foreign_keys=ON")
                conn.execute("PRAGMA synchronous=NORMAL")
            else:
                import psycopg

                conn = psycopg.connect(self._target, **PG_CONNECT_ARGS)
            self._connection = conn
        return self._connection

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[DirectTransaction]:
        """One transaction: committed when the block ends (a writer's), rolled back on an exception
        (and at the end of a reader's)."""
        wait_s = SQLITE_BUSY_TIMEOUT_S if self.dialect == "sqlite" else None
        try:
            conn = self._connect()
            cursor = conn.cursor()
            if self.dialect == "sqlite":
                cursor.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield DirectTransaction(cursor, self.dialect)
            except BaseException:
                conn.rollback() if self.dialect == "postgresql" else cursor.execute("ROLLBACK")
                raise
            if write:
                conn.commit() if self.dialect == "postgresql" else cursor.execute("COMMIT")
            else:
                conn.rollback() if self.dialect == "postgresql" else cursor.execute("ROLLBACK")
        except DatabaseUnavailable:
            raise
        except Exception as exc:
            if type(exc).__module__.split(".")[0] not in ("sqlite3", "psycopg"):
                raise
            problem = storage_problem(exc, self._description, wait_s=wait_s)
            if problem is not None:
                raise problem from exc
            if is_outage(exc):
                raise _unavailable() from exc
            raise

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def open_direct(url: str | None = None) -> DirectDatabase | None:
    """The database at ``url`` (resolved as the engine resolves it) through its driver, or None
    when the address is not one opened that way: the caller then uses the engine."""
    resolved = resolve_url(url)
    for prefix in _SQLITE_PREFIXES:
        if resolved.startswith(prefix):
            path = resolved[len(prefix):]
            if not path or path == ":memory:" or path.startswith("file:") or any(c in path for c in "?%#"):
                return None
            if not Path(path).is_file():
                return None  # the engine creates a new file privately, or says why it cannot
            return DirectDatabase("sqlite", path, msg("local file {path}", path=path))
    if resolved.startswith(_PG_PREFIX):
        parts = urlsplit("postgresql://" + resolved[len(_PG_PREFIX):])
        if parts.query or parts.fragment:
            return None
        try:
            port = parts.port
        except ValueError:
            return None
        database = unquote(parts.path.lstrip("/"))
        user = unquote(parts.username or "")
        description = f"PostgreSQL {user}@{parts.hostname or 'localhost'}:{port or 5432}/{database}"
        return DirectDatabase("postgresql", "postgresql://" + resolved[len(_PG_PREFIX):], description)
    return None
