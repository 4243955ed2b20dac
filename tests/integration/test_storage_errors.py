"""The local database is private to its user, and a locked, read-only or full database is said in
words ("what happened, what to do"), with nothing half written.

Tests run as root, whom file permissions do not stop; a read-only database is opened the way
SQLite opens a file it may not write (``mode=ro``), which fails writes with the same
SQLITE_READONLY error. "Locked" is another connection holding an exclusive lock; "full" is
``PRAGMA max_page_count`` at the database's current size.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select

from returndesk.domain.errors import DatabaseBusy, DatabaseReadOnly, StorageFull, storage_problem
from returndesk.services.usecases import auth
from returndesk.services.infra.connection import DatabaseChoice
from returndesk.services.tx.context import ServiceContext
from returndesk.api.local import LocalSession
from returndesk.store.engine import Database
from returndesk.store.schema import User


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_local_database_its_folders_and_wal_files_are_private(tmp_path):
    os.chmod(tmp_path, 0o755)
    path = tmp_path / "ReturnDesk" / "station" / "returndesk.sqlite3"
    umask = os.umask(0o000)  # the most permissive umask: privacy must not depend on it
    try:
        session = LocalSession.open(DatabaseChoice.local(path), station="TEST-1")
        try:
            assert session.auth.has_users() is False
            wal, shm = path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")
            assert wal.exists() and shm.exists()  # open while the engine holds connections
            assert {p.name: _mode(p) for p in (path.parent.parent, path.parent, path, wal, shm)} == {
                "ReturnDesk": 0o700, "station": 0o700, path.name: 0o600, wal.name: 0o600, shm.name: 0o600}
        finally:
            session.close()
        assert os.umask(0o000) == 0o000  # the process's umask was not touched
    finally:
        os.umask(umask)
    assert _mode(tmp_path) == 0o755  # a folder that existed already is left alone


@pytest.fixture
def db_file(tmp_path, sqlite_template):
    path = tmp_path / "returndesk.sqlite3"
    shutil.copy(sqlite_template, path)
    return path


def _users(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("select count(*) from users").fetchone()[0]


def _add_user(ctx: ServiceContext, name: str = "wang.fang") -> None:
    auth.add_user(ctx, None, username=name, display_name=name, role="clerk", password="s3cret-pass")


def test_a_read_only_database_says_so_and_nothing_is_written(db_file, clock):
    ctx = ServiceContext(db=Database.open(f"sqlite:///file:{db_file}?mode=ro&uri=true"), clock=clock)
    try:
        assert auth.list_users(ctx) == []  # reading still works
        with pytest.raises(DatabaseReadOnly) as refused:
            _add_user(ctx)
    finally:
        ctx.db.dispose()
    message = refused.value.message
    assert "can be read but not written" in message and "nothing was saved" in message
    assert "bug" not in message.lower() and str(db_file) in message
    assert _users(db_file) == 0


def test_a_database_locked_by_another_program_says_so_and_works_once_released(db_file, clock):
    other = sqlite3.connect(db_file, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    ctx = ServiceContext(db=Database.open(f"sqlite:///{db_file}", busy_timeout_s=0.2), clock=clock)
    try:
        with pytest.raises(DatabaseBusy) as refused:
            _add_user(ctx)
        assert "in use by another program" in refused.value.message
        assert "within 0.2 seconds" in refused.value.message and "try again" in refused.value.message
        other.execute("ROLLBACK")
        _add_user(ctx)
    finally:
        other.close()
        ctx.db.dispose()
    assert _users(db_file) == 1


def test_a_full_disk_says_so_and_the_transaction_is_rolled_back(db_file):
    db = Database.open(f"sqlite:///{db_file}")

    @event.listens_for(db.engine, "connect")
    def _no_room_to_grow(dbapi_conn, _record):
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    try:
        with pytest.raises(StorageFull) as refused, db.write() as s:
            _add_user_in(s, "first", "First")
            _add_user_in(s, "second", "x" * 2_000_000)  # far more than the pages left
        assert "is full" in refused.value.message and "Free some space" in refused.value.message
        with db.read() as s:
            assert s.execute(select(func.count()).select_from(User)).scalar_one() == 0
    finally:
        db.dispose()


def _add_user_in(s, name: str, display_name: str) -> None:
    s.add(User(username=name, display_name=display_name, role="clerk", password_hash="x", approval_limit_minor=0,
               active=True, failed_attempts=0, created_at=datetime(2026, 1, 5, tzinfo=UTC)))
    s.flush()


def test_the_driver_s_own_words_are_recognised_behind_any_wrapper():
    locked = sqlite3.OperationalError("database is locked")
    try:
        try:
            raise locked
        except sqlite3.OperationalError as exc:
            raise RuntimeError("while migrating") from exc
    except RuntimeError as wrapped:
        problem = storage_problem(wrapped, "local file /x.sqlite3")
    assert isinstance(problem, DatabaseBusy) and "(local file /x.sqlite3)" in problem.message
    assert isinstance(storage_problem(sqlite3.OperationalError("database or disk is full")), StorageFull)
    assert isinstance(storage_problem(OSError(28, "No space left on device")), StorageFull)
    assert storage_problem(sqlite3.OperationalError("no such table: users")) is None
    assert storage_problem(ValueError("bad value")) is None


def test_a_connection_reset_while_postgresql_restarts_is_an_outage():
    """Met by a station that connects while PostgreSQL restarts: "offline, try again", not a bug."""
    import psycopg
    from sqlalchemy.exc import OperationalError

    from returndesk.domain.errors import DatabaseUnavailable

    reset = psycopg.OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 '
                                     "failed: Connection reset by peer")
    db = Database.open("postgresql://nobody@127.0.0.1:5432/none")  # no connection is made
    try:
        with pytest.raises(DatabaseUnavailable), db.translate_errors():
            raise OperationalError("SELECT 1", {}, reset)
    finally:
        db.dispose()


@pytest.mark.pg
def test_a_read_only_postgresql_session_says_so(pg_database, clock):
    db = Database.open(pg_database)

    @event.listens_for(db.engine, "connect")
    def _read_only(dbapi_conn, _record):
        with dbapi_conn.cursor() as cur:
            cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        dbapi_conn.commit()

    ctx = ServiceContext(db=db, clock=clock)
    try:
        with pytest.raises(DatabaseReadOnly) as refused:
            _add_user(ctx, "pg.reader")
        assert "can be read but not written" in refused.value.message
    finally:
        db.dispose()
