"""A SQLite file's write-ahead log is checkpointed on a thread of its own after every so many write
transactions, not inside the commit of whichever station's step finds it long (store/engine.py)."""

from __future__ import annotations

import shutil
import sqlite3
import threading

import pytest
from sqlalchemy import text

from returndesk.store import engine as store_engine
from returndesk.store.engine import BACKSTOP_CHECKPOINT_PAGES, CHECKPOINT_EVERY_WRITES, Database

WAIT_S = 30


def _open(tmp_path, sqlite_template) -> tuple[Database, object]:
    path = tmp_path / "returndesk.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database.open(f"sqlite:///{path}")
    with db.write_connection() as conn:
        conn.execute(text("CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT)"))
    return db, path


@pytest.fixture
def opened(tmp_path, sqlite_template):
    """(database, its file, its checkpointer) with a table to write into; disposed of afterwards."""
    db, path = _open(tmp_path, sqlite_template)
    checkpointer = db.checkpointer
    assert checkpointer is not None
    yield db, path, checkpointer
    db.dispose()


def _checkpointed(checkpointer, count: int = 1) -> bool:
    return checkpointer.wait_for(lambda: checkpointer.done >= count, WAIT_S)


def _writes(db: Database, count: int) -> None:
    for i in range(count):
        # Both kinds of write count: a transaction, and a statement that is one by itself.
        with db.write_connection(one_statement=i % 2 == 1) as conn:
            conn.execute(text("INSERT INTO scratch (body) VALUES (:body)"), {"body": "x" * 3000})


def test_the_log_is_checkpointed_by_a_thread_of_its_own_after_so_many_writes(opened):
    db, _path, checkpointer = opened
    with db.engine.connect() as conn:
        # A commit checkpoints by itself only when the log is far longer than the thread lets it grow.
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BACKSTOP_CHECKPOINT_PAGES
    _writes(db, CHECKPOINT_EVERY_WRITES - 2)  # with the table's creation: one short of a checkpoint
    assert checkpointer.started == 0
    _writes(db, 1)
    assert checkpointer.started == 1  # as its connection went back to the pool
    assert _checkpointed(checkpointer)
    assert checkpointer.last is not None
    log_pages, copied = checkpointer.last
    assert log_pages > 0 and copied == log_pages  # every page of the log is in the database file


def test_the_rows_written_are_in_the_database_file_once_checkpointed(opened, tmp_path):
    db, path, checkpointer = opened
    _writes(db, CHECKPOINT_EVERY_WRITES - 1)
    assert _checkpointed(checkpointer)
    # A copy of the file alone, without its log, holds every row.
    alone = tmp_path / "alone.sqlite3"
    shutil.copy(path, alone)
    copy = sqlite3.connect(alone)
    try:
        assert copy.execute("SELECT count(*) FROM scratch").fetchone()[0] == CHECKPOINT_EVERY_WRITES - 1
    finally:
        copy.close()


def test_a_checkpoint_of_a_database_file_that_is_gone_creates_no_file(opened, tmp_path):
    db, path, checkpointer = opened
    _writes(db, 2)  # the pool's connection stays open on the file
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"returndesk.sqlite3{suffix}").unlink()
    _writes(db, CHECKPOINT_EVERY_WRITES - 3)
    assert _checkpointed(checkpointer)
    assert checkpointer.last is None
    assert not path.exists()


def test_a_database_in_memory_and_postgresql_have_no_checkpointer():
    assert Database.open("sqlite://").checkpointer is None
    assert Database.open("postgresql+psycopg://nobody@127.0.0.1:1/none").checkpointer is None
    assert store_engine.CHECKPOINT_EVERY_WRITES > 1


def test_disposing_of_the_database_waits_for_a_checkpoint_under_way(tmp_path, sqlite_template, monkeypatch):
    """Once ``dispose()`` returns the file may be moved or removed: no checkpoint holds it open."""
    db, path = _open(tmp_path, sqlite_template)
    checkpointer = db.checkpointer
    assert checkpointer is not None
    release = threading.Event()
    order: list[str] = []
    connect = checkpointer._connect

    def held_connect():
        release.wait(WAIT_S)
        order.append("checkpoint")
        return connect()

    monkeypatch.setattr(checkpointer, "_connect", held_connect)
    _writes(db, CHECKPOINT_EVERY_WRITES - 1)  # a checkpoint starts and waits for release

    def dispose():
        db.dispose()
        order.append("disposed")

    disposing = threading.Thread(target=dispose)
    disposing.start()
    try:
        assert checkpointer.wait_for(lambda: checkpointer.draining == 1, WAIT_S)
        assert disposing.is_alive() and order == []
    finally:
        release.set()
        disposing.join(WAIT_S)
    assert order == ["checkpoint", "disposed"]
    assert checkpointer.last is not None


def test_a_write_rolled_back_is_not_counted(opened):
    db, _path, checkpointer = opened
    _writes(db, CHECKPOINT_EVERY_WRITES - 2)  # with the table's creation: one short of a checkpoint
    for _ in range(3):
        try:
            with db.write_connection() as conn:
                conn.execute(text("INSERT INTO scratch (body) VALUES ('gone')"))
                raise LookupError("refused")
        except LookupError:
            pass
        with db.read_connection() as conn:  # a read's COMMIT on the same pooled connection
            conn.execute(text("SELECT count(*) FROM scratch")).scalar()
    assert checkpointer.started == 0
    _writes(db, 1)
    assert checkpointer.started == 1
    assert _checkpointed(checkpointer)


def test_a_checkpoint_that_cannot_start_fails_no_commit(tmp_path, sqlite_template, monkeypatch):
    db, _path = _open(tmp_path, sqlite_template)
    checkpointer = db.checkpointer
    assert checkpointer is not None

    class NoThread:
        def __init__(self, *args, **kwargs):
            pass

        def start(self):
            raise RuntimeError("can't start new thread")

    monkeypatch.setattr(store_engine.threading, "Thread", NoThread)
    _writes(db, 2 * CHECKPOINT_EVERY_WRITES)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM scratch").scalar() == 2 * CHECKPOINT_EVERY_WRITES
    assert checkpointer.done == 0
    db.dispose()  # returns: no checkpoint is taken to be under way
    monkeypatch.undo()
    db2 = Database.open(db.url)
    try:
        with db2.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM scratch").scalar() == 2 * CHECKPOINT_EVERY_WRITES
    finally:
        db2.dispose()


def _session_writes(db: Database, count: int) -> list[object]:
    """``count`` write transactions through an ORM session (``Database.write``); the driver's
    connection of each."""
    drivers = []
    for _ in range(count):
        with db.write() as session:
            session.execute(text("INSERT INTO scratch (body) VALUES (:body)"), {"body": "x" * 3000})
            drivers.append(session.connection().connection.driver_connection)
    return drivers


def test_write_transactions_keep_their_connection_and_its_checkpoints(opened):
    """SQLite's write transactions run one after another on the connection kept from the last one
    (its cache of pages still valid, no pool checkout): a write that raised gives it back to the
    pool, a write while another holds it takes one of the pool and one connection is kept after,
    the checkpoint still starts after so many writes, and disposal closes the kept connection,
    also when it comes while a write is under way."""
    db, _path, checkpointer = opened
    pool = db.engine.pool
    drivers = _session_writes(db, 3)
    assert drivers[0] is drivers[1] is drivers[2]
    assert pool.checkedout() == 1 and not drivers[0].in_transaction

    # A write that raised: its connection goes back to the pool (which resets it), none is kept.
    with pytest.raises(ZeroDivisionError):
        with db.write() as session:
            session.execute(text("INSERT INTO scratch (body) VALUES ('rolled back')"))
            raise ZeroDivisionError
    assert pool.checkedout() == 0
    _session_writes(db, 1)
    assert pool.checkedout() == 1
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM scratch WHERE body = 'rolled back'").scalar() == 0

    # While another thread's write holds the kept connection, a write takes one from the pool,
    # and after both one connection is kept.
    kept_write = db._kept_write
    assert kept_write is not None
    taken, generation = kept_write.take()
    assert taken is not None
    here = _session_writes(db, 1)[0]
    assert here is not taken.connection.driver_connection and pool.checkedout() == 2
    assert not kept_write.keep(taken, generation)
    taken.close()
    assert pool.checkedout() == 1

    # The checkpoint starts after so many writes, as when connections go back to the pool.
    started, done = checkpointer.started, checkpointer.done
    _session_writes(db, CHECKPOINT_EVERY_WRITES)
    assert checkpointer.started == started + 1
    assert _checkpointed(checkpointer, done + 1)

    # Disposal closes the kept connection; the next write opens a new one.
    kept = _session_writes(db, 1)[0]
    db.dispose()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        kept.execute("SELECT 1")
    assert _session_writes(db, 1)[0] is not kept

    # A write under way at the disposal: its connection is closed at its end, not kept.
    with db.write() as session:
        session.execute(text("INSERT INTO scratch (body) VALUES ('during')"))
        during = session.connection().connection.driver_connection
        db.dispose()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        during.execute("SELECT 1")
    assert db.engine.pool.checkedout() == 0
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM scratch WHERE body = 'during'").scalar() == 1

    # A write that begins and ends while the disposal runs (after the kept connection was closed,
    # before the pool is replaced) keeps nothing of the old pool once the disposal is done.
    engine_dispose = db.engine.dispose
    between: list[object] = []

    def dispose_after_a_write(*args, **kwargs):
        between.extend(_session_writes(db, 1))
        engine_dispose(*args, **kwargs)

    db.engine.dispose = dispose_after_a_write
    try:
        db.dispose()
    finally:
        del db.engine.dispose
    assert between and kept_write.connections == []
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        between[0].execute("SELECT 1")

    # A connection given options of its own within a write is not kept (it would keep them).
    with db.write() as session:
        session.connection().execution_options(stream_results=False)
        session.execute(text("INSERT INTO scratch (body) VALUES ('options')"))
    assert db.engine.pool.checkedout() == 0
