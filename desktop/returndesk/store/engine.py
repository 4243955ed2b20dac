"""Engines and transactions for SQLite (one machine) and PostgreSQL (many stations).

One code path serves both. SQLite gets WAL, foreign keys, a busy timeout and ``BEGIN IMMEDIATE``
for writers, because a deferred transaction that must upgrade its read lock to a write lock fails at
once with "database is locked" when another writer is active; readers use a plain ``BEGIN``.
PostgreSQL uses psycopg 3; a pooled connection that sat idle for over 2 seconds is tried before it
is handed out, so that a server restarted while the station was quiet costs one reconnect, not an
error (see ``_ping_when_idle``).
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.base import OptionEngine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import FlushError
from sqlalchemy.pool import QueuePool

from returndesk.domain.errors import DatabaseUnavailable, storage_problem
from returndesk.store.location import ENV_URL as ENV_URL, default_sqlite_path as default_sqlite_path
from returndesk.store.location import resolve_url as resolve_url
from returndesk.store.direct import PG_CONNECT_ARGS, SQLITE_BUSY_TIMEOUT_S as SQLITE_BUSY_TIMEOUT_S, is_outage
from returndesk.domain.messages import msg


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def describe_url(url: str) -> str:
    """A short, password-free description for status bars and logs."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return msg("local file {path}", path=u.database)
    return f"PostgreSQL {u.username or ''}@{u.host or 'localhost'}:{u.port or 5432}/{u.database}"


def create_private_file(path: Path) -> None:
    """Create the SQLite file ``path`` (and the folders missing above it) readable by this user only.

    Folders made here get 0700 and the file 0600; SQLite gives its -wal and -shm files the mode of
    the database file. An existing file or folder is left as it is (it may be shared on purpose).
    """
    missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    # The modes are given at creation, so the umask can only take bits away: nothing made here is
    # readable by others, not even for a moment, and the process-wide umask is left alone.
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass


def make_engine(url: str, *, application_name: str = "returndesk", pool_size: int = 5,
                busy_timeout_s: float = SQLITE_BUSY_TIMEOUT_S) -> Engine:
    """Create the engine for ``url`` with the settings each backend needs."""
    url = resolve_url(url)
    if is_sqlite(url):
        db = make_url(url).database
        engine = create_engine(url, connect_args={"timeout": busy_timeout_s, "check_same_thread": False})
        busy_ms = int(busy_timeout_s * 1000)

        if db and db != ":memory:" and not db.startswith("file:"):
            @event.listens_for(engine, "do_connect")
            def _before_connect(_dialect, _record, _cargs, _cparams):
                # Before SQLite would create the file with the umask's mode; only when a connection
                # is really made (``db status`` on a missing file creates nothing). A folder that
                # cannot be made is left to SQLite's own "unable to open database file".
                try:
                    create_private_file(Path(db))
                except OSError:
                    pass

        checkpointer = (_Checkpointer(Path(db)) if db and db != ":memory:" and not db.startswith("file:")
                        else None)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):
            # SQLAlchemy emits BEGIN itself (see "begin" below) instead of the sqlite3 module.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout={busy_ms}")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            if checkpointer is not None:
                cur.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_CHECKPOINT_PAGES}")
            cur.close()

        if checkpointer is not None:
            @event.listens_for(engine, "commit")
            def _on_commit(conn):
                # Before the COMMIT itself: the checkpoint starts once the connection is back in
                # the pool, its transaction committed (so that it copies this one too).
                if conn.info.pop(_WROTE, False) and checkpointer.wrote():
                    conn.info[_CHECKPOINT_DUE] = True

            @event.listens_for(engine, "rollback")
            def _on_rollback(conn):
                conn.info.pop(_WROTE, None)

            @event.listens_for(engine, "checkin")
            def _on_checkin(_dbapi_conn, record):
                if record is not None and record.info.pop(_CHECKPOINT_DUE, False):
                    checkpointer.start()

            @event.listens_for(engine, "engine_disposed")
            def _on_disposed(_engine):
                checkpointer.drain()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            options = conn.get_execution_options()
            if options.get("readonly"):
                # Straight to the driver: a deferred BEGIN takes no lock, so it cannot meet a busy
                # database, and it needs none of a statement's machinery (compiling, a result).
                # A read of one statement needs none: SQLite runs it in a transaction of its own.
                if not options.get("one_statement"):
                    conn.connection.driver_connection.execute("BEGIN")
            else:
                conn.info[_WROTE] = True  # counted for the log's checkpoint at its commit
                if not options.get("one_statement"):
                    # Straight to the driver as well (a statement's machinery costs several times
                    # the BEGIN); an error (a database locked past the busy timeout) is wrapped and
                    # handled by the connection as a statement's would be.
                    try:
                        conn.connection.driver_connection.execute("BEGIN IMMEDIATE")
                    except BaseException as error:  # as a statement's (an interrupt invalidates it)
                        conn._handle_dbapi_exception(error, "BEGIN IMMEDIATE", (), None, None)
                # else a write of one statement (Database.write_connection(one_statement=True)): it
                # is a transaction by itself, SQLite takes the write lock for it and commits it.

        if checkpointer is not None:
            _checkpointers[engine] = checkpointer
        return engine
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=1800,
        connect_args={**PG_CONNECT_ARGS, "application_name": application_name,
                      "prepare_threshold": PG_PREPARE_THRESHOLD},
    )
    _ping_when_idle(engine)
    _end_unwritten_with_commit(engine)

    @event.listens_for(engine, "connect")
    def _on_connect_pg(dbapi_conn, _record):
        dbapi_conn.prepared_max = PG_PREPARED_MAX

    return engine


#: Set in a PostgreSQL connection's ``info`` by a statement that may have written, until its
#: transaction ends.
_TX_MAY_HAVE_WRITTEN = "returndesk.tx_may_have_written"
#: Words that make a SELECT one that may write or change the connection: the database's own
#: functions (the audit chain's), sequences, settings, advisory locks, notifications, a
#: ``SELECT ... INTO`` (a new table), a text of several statements.
_WRITING_SELECT_WORDS = ("returndesk_", "setval", "nextval", "set_config", "advisory", "pg_notify",
                         " into ", "\ninto ", ";")
@functools.lru_cache(maxsize=2000)  # a statement is compiled once: its text comes back again and again
def may_write(statement: str) -> bool:
    """Whether a statement may write or change the connection: anything but a SELECT, and a
    SELECT with any of :data:`_WRITING_SELECT_WORDS` (the functions that write which this
    application's statements call, ``INTO``, several statements). It errs on the side of "may":
    a transaction it marks is rolled back, as every transaction was."""
    return (statement.lstrip()[:6].upper() != "SELECT"
            or any(word in statement.lower() for word in _WRITING_SELECT_WORDS))


def note_driver_write(conn: Connection) -> None:
    """Mark the transaction of ``conn`` as one that wrote, for a write sent on its driver
    connection directly (which :func:`_end_unwritten_with_commit` does not see): it is rolled
    back, never committed in place of a rollback."""
    conn.info[_TX_MAY_HAVE_WRITTEN] = True


def _end_unwritten_with_commit(engine: Engine) -> None:
    """End a PostgreSQL transaction that wrote nothing with a COMMIT where it would be rolled back.

    psycopg forgets every statement it prepared on a connection at a ROLLBACK, and PostgreSQL
    then parses and plans each again, five times over before it settles on a generic plan. A
    transaction is rolled back when its use case refuses (a return another station moved on, a
    state that does not allow the step) or a read raises, most often after it only read and
    locked rows; for such a transaction a COMMIT does the same (nothing to keep, its locks let
    go). Every statement sent through SQLAlchemy is judged as it is sent (:func:`may_write`),
    and what is written on the driver's connection directly (a COPY) is marked by its writer
    (:func:`note_driver_write`): after anything that may have written, or in a transaction that
    failed, the rollback goes ahead as before."""
    from psycopg.pq import TransactionStatus

    in_transaction = TransactionStatus.INTRANS

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.info.pop(_TX_MAY_HAVE_WRITTEN, None)

    @event.listens_for(engine, "before_cursor_execute")
    def _on_statement(conn: Connection, _cursor: object, statement: str, _parameters: object,
                      _context: object, _executemany: bool) -> None:
        if may_write(statement):
            conn.info[_TX_MAY_HAVE_WRITTEN] = True

    @event.listens_for(engine, "rollback")
    def _on_rollback(conn: Connection) -> None:
        if conn.closed or conn.invalidated or conn.info.pop(_TX_MAY_HAVE_WRITTEN, False):
            return
        try:
            driver = conn.connection.driver_connection
            if driver is not None and driver.info.transaction_status == in_transaction:
                driver.commit()  # the rollback that follows finds no transaction and sends nothing
        except Exception:  # the rollback that follows ends it, or finds the connection gone
            pass


#: psycopg prepares a statement on a connection (PostgreSQL parses and plans it once, then only
#: binds and runs it) from its second run, not its sixth as by default: psycopg forgets all of a
#: connection's prepared statements at every ROLLBACK (a refused command that wrote something;
#: one that wrote nothing ends with a COMMIT, see :func:`_end_unwritten_with_commit`), and a
#: server connection that rolled back a few times a minute was otherwise running a quarter of its
#: statements unprepared, parsed and planned each time. Not from the first: the first run,
#: unprepared, tells psycopg a text of several statements (which PostgreSQL cannot prepare) and it
#: leaves such a text unprepared. Room for every statement a server connection runs (about 130
#: kinds), so that none is deallocated to make room for another.
PG_PREPARE_THRESHOLD = 1
PG_PREPARED_MAX = 400


#: A SQLite file's write-ahead log is checkpointed (its pages copied into the database file) on a
#: thread of its own after this many write transactions, about 600 pages of the log for the steps
#: of a return; SQLite's own checkpoint, run by whichever commit finds the log longer than
#: ``BACKSTOP_CHECKPOINT_PAGES``, is left for writes far larger than those (an import).
CHECKPOINT_EVERY_WRITES = 32
BACKSTOP_CHECKPOINT_PAGES = 4000
_WROTE = "returndesk.wrote"
_CHECKPOINT_DUE = "returndesk.checkpoint_due"
#: How long disposing of an engine waits at most for a checkpoint under way.
DRAIN_TIMEOUT_S = 30.0


class _Checkpointer:
    """Checkpoints a SQLite file's write-ahead log off the committing thread.

    SQLite checkpoints inside the commit that finds the log past 1,000 pages: that commit copies
    the pages and syncs the database file, 5 ms on this kind of machine and over 60 ms for the
    first one after a start, so every few returns one station's step stalls. Here the commits
    only count (:meth:`wrote`); after every ``CHECKPOINT_EVERY_WRITES``-th, once its connection
    is back in the pool, a short thread runs a PASSIVE checkpoint on a connection of its own
    (:meth:`start`; it waits for no reader or writer and holds no lock they need, and the sqlite3
    module lets go of the interpreter while SQLite works). One runs at a time; nothing of it can
    fail a commit; a database file that is gone is not created again, and a checkpoint that fails
    leaves the log to the next one and to SQLite's own. Disposing of the engine waits for a
    checkpoint under way (:meth:`drain`): once ``Database.dispose()`` returns, nothing of this
    process has the file open, and it may be moved, copied or removed."""

    def __init__(self, path: Path) -> None:
        self._path = str(path.resolve())
        self._uri = f"{path.resolve().as_uri()}?mode=rw"
        self._lock = threading.Lock()
        self._writes = 0
        self._running = False
        #: Checkpoints made, and the last one's (log pages, pages checkpointed): for tests.
        self.done = 0
        self.last: tuple[int, int] | None = None
        #: Checkpoints started, and disposals waiting for one under way (for tests).
        self.started = 0
        self.draining = 0
        self._finished = threading.Condition(self._lock)

    def wrote(self) -> bool:
        """A write transaction is being committed; whether a checkpoint is due after it."""
        with self._lock:
            self._writes += 1
            if self._writes < CHECKPOINT_EVERY_WRITES:
                return False
            self._writes = 0
            return True

    def start(self) -> None:
        """Start a checkpoint on a thread of its own, unless one is under way."""
        with self._lock:
            if self._running:
                return
            self._running = True
            self.started += 1
        try:
            threading.Thread(target=self._checkpoint, name="returndesk-sqlite-checkpoint", daemon=True).start()
        except RuntimeError:  # no thread to be had: SQLite's own checkpoint is still there
            with self._lock:
                self._running = False
                self._finished.notify_all()

    def _checkpoint(self) -> None:
        last = None
        try:
            conn = self._connect()
            try:
                row = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                if row is not None:
                    last = (int(row[1]), int(row[2]))
            finally:
                conn.close()
        except sqlite3.Error:
            pass  # the file is gone or unreadable: the next checkpoint, or SQLite's own, does it
        finally:
            with self._lock:
                self._running = False
                self.done += 1
                self.last = last
                self._finished.notify_all()

    def _connect(self) -> sqlite3.Connection:
        if os.name == "nt":
            # A file URI of a mapped or network drive is not one SQLite opens: the path itself,
            # after making sure the file is there (connecting would create a missing one).
            if not os.path.exists(self._path):
                raise sqlite3.OperationalError(f"{self._path} is gone")
            return sqlite3.connect(self._path, check_same_thread=False)
        return sqlite3.connect(self._uri, uri=True, check_same_thread=False)

    def drain(self) -> None:
        """Wait until no checkpoint is under way (the engine is being disposed of)."""
        with self._lock:
            self.draining += 1
            self._finished.notify_all()
            try:
                self._finished.wait_for(lambda: not self._running, DRAIN_TIMEOUT_S)
            finally:
                self.draining -= 1

    def wait_for(self, condition: Callable[[], bool], timeout_s: float) -> bool:
        """Wait until ``condition()`` holds, checked whenever a checkpoint ends or a disposal
        starts waiting (for tests); whether it held."""
        with self._lock:
            return self._finished.wait_for(condition, timeout_s)


#: Each SQLite engine's checkpointer (None for a database in memory).
_checkpointers: weakref.WeakKeyDictionary[Engine, _Checkpointer] = weakref.WeakKeyDictionary()


#: A pooled PostgreSQL connection unused for longer than this is tried (a round trip) before it is
#: handed out; one in use more often is not.
PING_AFTER_IDLE_S = 2.0


def _ping_when_idle(engine: Engine) -> None:
    """The pool's pre-ping, only for connections that sat idle: a PostgreSQL restarted (or a
    firewall that dropped the link) while the station or server was quiet is met with a fresh
    connection instead of an error. Pinging at every checkout, as ``pool_pre_ping`` does, costs a
    round trip per transaction; a server under load hands its connections out many times a
    second. A connection that breaks between two uses a moment apart fails its statement, the
    pool is invalidated as on any lost connection, and the station is told to try again."""
    from time import monotonic

    from sqlalchemy.exc import InvalidatePoolError

    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn, record):
        if record is not None:
            record.info["rd_idle_since"] = monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn, record, _proxy):
        since = record.info.get("rd_idle_since")
        if since is None or monotonic() - since < PING_AFTER_IDLE_S:
            return
        try:
            dialect.do_ping(dbapi_conn)
        except Exception as exc:  # the driver's error: the connection is gone
            raise InvalidatePoolError() from exc


class _Committing:
    """A write's session committed when the block ends without an exception, rolled back when it
    raises, as the session's own commit does it and in the same order (its ``before_commit``
    listeners, which append the audit events; its flushes until it has nothing left; the commit
    of each of its connections' transactions; its ``after_commit`` listeners), without its
    transaction's state machine, which costs more than SQLite's commit of a step. Unlike a
    ``session.begin()`` block, the session's transaction begins (``after_transaction_create``)
    with its first statement, and ends (``after_transaction_end``) when the session is closed,
    the ``with`` of :meth:`Database.write`; a block that raised before its first statement has no
    transaction to roll back. Nothing in ReturnDesk listens to those three."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def __enter__(self) -> Session:
        return self._session

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        session = self._session
        if exc_type is not None:
            session.rollback()
            return
        try:
            session.dispatch.before_commit(session)
            for _ in range(_FLUSHES_AT_COMMIT):
                if session._is_clean():
                    break
                session.flush()
            else:
                raise FlushError(f"Over {_FLUSHES_AT_COMMIT} subsequent flushes have occurred within a commit; "
                                 "a listener keeps changing the session.")
            transaction = session.get_transaction()
            if transaction is not None:
                for _conn, core, should_commit, _autoclose in set(transaction._connections.values()):
                    if should_commit:
                        core.commit()  # (one ended behind the session's back refuses, as in its commit)
                session.dispatch.after_commit(session)
        except BaseException:
            session.rollback()
            raise


#: As SQLAlchemy's commit: flushes of the session's changes, each made by listeners of the last.
_FLUSHES_AT_COMMIT = 100


def root_engine(bind: Engine | Connection) -> Engine:
    """The engine a connection (or an engine) belongs to, under the copies with options of their
    own that share its pool (``Engine.execution_options``): what caches per database are keyed by."""
    engine = bind if isinstance(bind, Engine) else bind.engine
    while isinstance(engine, OptionEngine):
        engine = engine._proxied
    return engine


@dataclass
class Database:
    """An engine plus the two kinds of transactions the services use."""

    engine: Engine
    #: How long a SQLite writer waits for another before "database is locked" (the sentence says it).
    busy_timeout_s: float = SQLITE_BUSY_TIMEOUT_S

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=True)
        # Named in every outage sentence; rendered once (each transaction would parse the URL again).
        self._described = describe_url(self.engine.url.render_as_string(hide_password=True))
        self._read_options: dict[str, object] = {"readonly": True}
        self._snapshot_options: dict[str, object] = {"readonly": True, "isolation_level": "REPEATABLE READ"}
        # A read answered by one statement needs no transaction around it (the statement sees
        # one snapshot by itself): on PostgreSQL no BEGIN and ROLLBACK round trips (autocommit),
        # on SQLite no BEGIN (see make_engine; its driver then has no transaction to roll back).
        self._one_statement_options: dict[str, object] = (
            {"readonly": True, "one_statement": True} if self.is_sqlite
            else {"readonly": True, "isolation_level": "AUTOCOMMIT"})
        # SQLite's options of a one-statement read are the engine's own on a copy of it (sharing
        # its pool and listeners): its connections need no options set at each checkout.
        # (PostgreSQL's autocommit is a setting of the connection, set at each checkout either way.)
        self._one_statement_engine: Engine | None = (
            self.engine.execution_options(**self._one_statement_options) if self.is_sqlite else None)
        # Connections of that copy kept checked out between reads of one statement (SQLite's
        # pool of a file only): such a read then costs no pool checkout and checkin, which are
        # most of what it costs beside its statement. See :class:`_KeptReadConnection`.
        self._kept_reads: _KeptConnections | None = (
            _KeptConnections(self._one_statement_engine)
            if self._one_statement_engine is not None and isinstance(self.engine.pool, QueuePool) else None)
        # SQLite's write transactions on one connection kept checked out between them (the pool
        # of a file only): a station's writes come one after another, and on the connection that
        # committed the last one SQLite's cache of pages is still valid (another connection's
        # commit empties it), besides sparing the pool's checkout and checkin. See :meth:`write`.
        self._kept_write: _KeptConnections | None = (
            _KeptConnections(self.engine, capacity=1) if self._kept_reads is not None else None)
        # The same for a write of one statement (which is atomic by itself).
        self._write_statement_options: dict[str, object] = (
            {"one_statement": True} if self.is_sqlite else {"isolation_level": "AUTOCOMMIT"})

    @classmethod
    def open(cls, url: str | None = None, **kwargs: object) -> Database:
        engine = make_engine(resolve_url(url), **kwargs)  # type: ignore[arg-type]
        return cls(engine, float(kwargs.get("busy_timeout_s", SQLITE_BUSY_TIMEOUT_S)))  # type: ignore[arg-type]

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def describe(self) -> str:
        return self._described

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commit on success, roll back on any exception.

        On SQLite's file (its pool, not a test's single connection) the transaction runs on the
        connection kept from the last write (a new one from the pool while another thread's
        write has it), which is kept again when the transaction committed and left nothing open
        at the driver. A write that raised closes its connection (the pool resets it), and one
        that began before ``dispose`` invalidates it, as a kept read does. Nothing of the
        session outlives it: the session is bound to the connection for this transaction only."""
        kept = self._kept_write
        if kept is None:
            with self.translate_errors(), self._sessions() as session:
                with _Committing(session):
                    yield session
            return
        conn, generation = kept.take()
        if conn is None:
            with self.translate_errors():
                conn = self.engine.connect()
        try:
            with self.translate_errors(), self._sessions(bind=conn) as session:
                with _Committing(session):
                    yield session
        except BaseException:
            self._let_go(conn, generation)
            raise
        try:
            # As the pool's checkin would: the log's checkpoint, once this transaction committed.
            if conn.info.pop(_CHECKPOINT_DUE, False):
                checkpointer = _checkpointers.get(self.engine)
                if checkpointer is not None:
                    checkpointer.start()
            # Not kept: one in doubt, or one given options of its own (a Connection keeps them).
            if (conn.invalidated or conn.in_transaction() or conn.connection.driver_connection.in_transaction
                    or conn.get_execution_options() or not kept.keep(conn, generation)):
                self._let_go(conn, generation)
        except BaseException:
            self._let_go(conn, generation)
            raise

    def _let_go(self, conn: Connection, generation: int) -> None:
        """Give a write's connection back to the pool (invalidated when the pool it came from
        was disposed of meanwhile: it would keep the file open)."""
        kept = self._kept_write
        with self.translate_errors():
            if kept is not None and generation != kept.generation and not conn.invalidated:
                conn.invalidate()
            conn.close()

    @contextmanager
    def read(self, *, snapshot: bool = False) -> Iterator[Session]:
        """One read-only transaction (plain BEGIN on SQLite, so readers never queue behind writers).

        ``snapshot``: every statement sees the database as of the first one (REPEATABLE READ on
        PostgreSQL; a SQLite read transaction is a snapshot anyway), for reads of several parts
        that must agree with each other.
        """
        options: dict[str, object] = {"readonly": True}
        if snapshot and not self.is_sqlite:
            options["isolation_level"] = "REPEATABLE READ"
        with self.translate_errors(), self._sessions() as session:
            session.connection(execution_options=options)
            yield session
            # Closing the session rolls the transaction back (on PostgreSQL a read that wrote
            # nothing ends with a COMMIT instead, see _end_unwritten_with_commit).

    @contextmanager
    def write_connection(self, *, one_statement: bool = False) -> Iterator[Connection]:
        """:meth:`write` on a bare Core connection, without an ORM session: for a write of a
        statement or two (a session's unit of work costs more than they do). Commit on success,
        roll back on any exception.

        ``one_statement``: the write is one statement (an INSERT, UPDATE or DELETE that nothing
        else must be atomic with); it runs without a transaction around it, as a transaction of
        its own: on PostgreSQL no ``BEGIN`` and ``COMMIT`` round trips (autocommit), on SQLite no
        ``BEGIN IMMEDIATE`` (the statement takes the write lock itself, waiting for another
        writer as long as any write does)."""
        if not one_statement:
            with self.translate_errors(), self.engine.begin() as conn:
                yield conn
            return
        with self.translate_errors(), self.engine.connect() as conn:
            conn.execution_options(**self._write_statement_options)
            yield conn
            if conn.in_transaction():
                conn.commit()  # nothing to commit at the driver: ends SQLAlchemy's own transaction

    def read_connection(self, *, snapshot: bool = False, one_statement: bool = False) -> ReadConnection:
        """:meth:`read` on a bare Core connection, without an ORM session: for reads that select
        columns and map rows straight into their results (a session's set-up and tear-down cost
        more than such a read's statements). The transaction begins with the first statement and
        ends with a COMMIT when the read is done (it wrote nothing; a read that raised is closed,
        which on PostgreSQL ends it with a COMMIT too, see :func:`_end_unwritten_with_commit`). A
        rollback would also make psycopg forget the statements it has prepared on the connection,
        and PostgreSQL would plan the read's statements afresh every time.

        ``one_statement``: the read is answered by one statement (a second one only in a rare
        case, which needs no snapshot shared with the first); each statement then runs on its
        own, without a transaction around it (see ``__post_init__``)."""
        if one_statement:
            if self._kept_reads is not None:
                return _KeptReadConnection(self, self._kept_reads)
            if self._one_statement_engine is not None:
                return ReadConnection(self, None, self._one_statement_engine)
            options = self._one_statement_options
        else:
            options = self._snapshot_options if snapshot and not self.is_sqlite else self._read_options
        return ReadConnection(self, options, self.engine)

    def dispose(self) -> None:
        kept = [k for k in (self._kept_reads, self._kept_write) if k is not None]
        for k in kept:
            k.close_all()
        self.engine.dispose()
        # One kept by a read or write that began in between came from the pool that is gone: it
        # would keep the file open (and SQLite's log unmerged).
        for k in kept:
            k.close_all(invalidate=True)

    @property
    def checkpointer(self) -> _Checkpointer | None:
        """What checkpoints a SQLite file's write-ahead log (None for PostgreSQL and a database in
        memory)."""
        return _checkpointers.get(self.engine)

    def translate_errors(self) -> _TranslateOutage:
        """Turn a locked, read-only or full database and an unreachable server into user-facing
        errors (``DatabaseBusy``, ``DatabaseReadOnly``, ``StorageFull``, ``DatabaseUnavailable``)."""
        return _TranslateOutage(self._described, self.busy_timeout_s if self.is_sqlite else None)


class ReadConnection:
    """:meth:`Database.read_connection`: a pooled connection with the read's options, its
    transaction committed at the end (closed when the read raised), errors translated as in
    :meth:`Database.translate_errors`.
    (A class rather than a generator, as :class:`_TranslateOutage`.)"""

    __slots__ = ("_db", "_options", "_engine", "_conn")

    def __init__(self, db: Database, options: dict[str, object] | None, engine: Engine) -> None:
        self._db = db
        self._options = options  # None: the engine's own options are the read's
        self._engine = engine

    def __enter__(self) -> Connection:
        with self._db.translate_errors():
            conn = self._engine.connect()
            if self._options is not None:
                try:
                    conn.execution_options(**self._options)
                except BaseException:
                    conn.close()
                    raise
        self._conn = conn
        return conn

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        translate = self._db.translate_errors()
        with translate:
            try:
                if exc_type is None and self._conn.in_transaction():
                    self._conn.commit()
            finally:
                self._conn.close()
        translate.__exit__(exc_type, exc, tb)


#: Connections kept for SQLite's reads of one statement, at most (a station's threads that read
#: at the same moment; the pool holds five, and ten more on demand).
KEPT_READS = 2


class _KeptConnections:
    """The connections kept checked out between SQLite's reads of one statement
    (:class:`_KeptReadConnection`), or between its write transactions (:meth:`Database.write`),
    at most ``capacity``, with the pool's generation: a read or write that began before
    ``Database.dispose`` (which closes the kept ones) gives its connection up at its end instead
    of keeping one of a pool that is gone."""

    __slots__ = ("engine", "connections", "lock", "generation", "capacity")

    def __init__(self, engine: Engine, capacity: int = KEPT_READS) -> None:
        self.engine = engine
        self.connections: list[Connection] = []
        self.lock = threading.Lock()
        self.generation = 0
        self.capacity = capacity

    def take(self) -> tuple[Connection | None, int]:
        """A kept connection (None when none is free) and the generation it is read in."""
        with self.lock:
            return (self.connections.pop() if self.connections else None), self.generation

    def keep(self, conn: Connection, generation: int) -> bool:
        """Keep ``conn`` for the next read or write, if there is room and the pool is the one it came from."""
        with self.lock:
            if generation != self.generation or len(self.connections) >= self.capacity:
                return False
            self.connections.append(conn)
            return True

    def close_all(self, *, invalidate: bool = False) -> None:
        """Close the kept connections (``invalidate``: close their driver's connections at once
        instead of giving them back to their pool, one that is gone)."""
        with self.lock:
            self.generation += 1
            connections, self.connections = self.connections, []
        for conn in connections:
            if invalidate and not conn.invalidated:
                conn.invalidate()
            conn.close()


class _KeptReadConnection:
    """:meth:`Database.read_connection` of one statement on SQLite: a connection of the read's
    copy of the engine, taken from those kept checked out by earlier such reads (a new one from
    the pool when none is free), and kept again at the end, up to :data:`KEPT_READS`.

    Nothing of a transaction is left on a kept connection: its statements each run on their own
    (SQLite's autocommit; a statement run by SQLAlchemy begins a transaction, which is committed
    here before the connection is kept), and the callers read their rows inside the read (a
    statement left unfinished would hold its snapshot, which the driver does not report). A read
    that raised closes its connection as any read does, so a connection in doubt goes back to the
    pool (and is reset there) instead of being kept. ``Database.dispose`` closes the kept ones; a
    read still running then ends by invalidating its connection, which closes the file at once
    (the pool it came from is gone). Kept connections take no part in the pool's checkouts: two
    of its slots stay taken while they are kept."""

    __slots__ = ("_db", "_kept", "_conn", "_generation")

    def __init__(self, db: Database, kept: _KeptConnections) -> None:
        self._db = db
        self._kept = kept

    def __enter__(self) -> Connection:
        conn, self._generation = self._kept.take()
        if conn is None:
            with self._db.translate_errors():
                conn = self._kept.engine.connect()
        self._conn = conn
        return conn

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        conn = self._conn
        translate = self._db.translate_errors()
        with translate:
            if exc_type is None and not conn.invalidated:
                if conn.in_transaction():
                    try:
                        conn.commit()
                    except BaseException:
                        conn.close()
                        raise
                if not conn.connection.driver_connection.in_transaction and self._kept.keep(conn, self._generation):
                    return
            if self._generation != self._kept.generation and not conn.invalidated:
                conn.invalidate()  # disposed meanwhile: the pool it came from would keep the file open
            conn.close()
        translate.__exit__(exc_type, exc, tb)


class _TranslateOutage:
    """Turn "cannot reach the server" and storage problems (locked, read-only, full) into
    user-facing errors; other database errors stay bugs. (A class rather than a generator: it
    wraps every transaction, and a station read costs a few hundredths of a millisecond.)"""

    __slots__ = ("where", "wait_s")

    def __init__(self, where: str = "", wait_s: float | None = None) -> None:
        self.where = where
        self.wait_s = wait_s

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        # Raises the user-facing error in place of a database error; anything else goes on as it is.
        if isinstance(exc, DBAPIError):
            problem = storage_problem(exc, self.where, wait_s=self.wait_s)
            if problem is not None:
                raise problem from exc
            if isinstance(exc, OperationalError) and _is_connection_problem(exc):
                raise DatabaseUnavailable(
                    msg(
                        "The database cannot be reached; nothing was saved. Check the network or the server and "
                        "try again.")
                ) from exc


def _is_connection_problem(exc: DBAPIError) -> bool:
    if exc.connection_invalidated:
        return True
    return is_outage(exc.orig if exc.orig is not None else exc)
