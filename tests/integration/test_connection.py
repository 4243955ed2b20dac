"""Reaching the database: connection tests with clear messages, opening and upgrading, refusing a
newer schema, and the server password in the keyring (an in-memory one here)."""

from __future__ import annotations

import shutil
import socket
import uuid

import keyring
import keyring.backends.fail
import psycopg
import pytest
from sqlalchemy import Integer, bindparam, create_engine, func, select, text
from sqlalchemy.engine import make_url

from returndesk.domain.errors import DatabaseUnavailable, SchemaTooNew, ValidationFailed
from returndesk.services.infra import connection
from returndesk.services.infra.connection import (
    DatabaseChoice,
    ServerAddress,
    SslMode,
    check_connection,
    open_database_at,
)
from returndesk.api.local import LocalSession
from returndesk.store.migrate import schema_status
from tests.conftest import PG_ADMIN_URL


def _pg_server(database: str | None = None) -> ServerAddress:
    u = make_url(PG_ADMIN_URL)
    return ServerAddress(host=u.host or "127.0.0.1", port=u.port or 5432, database=database or u.database,
                         user=u.username or "postgres", sslmode=SslMode.PREFER)


def _closed_port() -> int:
    # A port that was free a moment ago: nothing listens there.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def fresh_pg_database():
    """An empty PostgreSQL database of its own, dropped afterwards."""
    name = f"rd_conn_{uuid.uuid4().hex[:10]}"
    admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --------------------------------------------------------------------------- connection tests


@pytest.mark.pg
def test_connection_to_the_real_server_succeeds_and_describes_the_schema(fresh_pg_database):
    check = check_connection(_pg_server(), None)
    assert check.ok, check.message
    assert check.message.startswith("Connected to PostgreSQL")
    assert check.server_version and check.server_version[0].isdigit()

    empty = check_connection(_pg_server(fresh_pg_database), None)
    assert empty.ok
    assert empty.schema is not None and empty.schema.current is None
    assert "no ReturnDesk tables yet" in empty.message


def test_a_closed_port_fails_with_a_clear_message():
    port = _closed_port()
    check = check_connection(ServerAddress("127.0.0.1", port, "returndesk", "returndesk"), "secret")
    assert not check.ok
    assert f"Nothing answers on 127.0.0.1 port {port}" in check.message
    assert "PostgreSQL is not running there" in check.message
    assert "secret" not in check.message


@pytest.mark.pg
def test_an_unknown_database_and_an_unknown_login_are_named():
    missing = check_connection(_pg_server("no_such_returndesk_db"), None)
    assert not missing.ok
    assert "no database named no_such_returndesk_db" in missing.message

    stranger = check_connection(ServerAddress(_pg_server().host, _pg_server().port, "postgres",
                                              "no_such_login"), None)
    assert not stranger.ok
    assert "no_such_login" in stranger.message


def test_an_unknown_host_is_named():
    check = check_connection(ServerAddress("no-such-host.invalid", 5432, "returndesk", "returndesk"), None)
    assert not check.ok
    assert "host name no-such-host.invalid is unknown" in check.message


def test_incomplete_server_settings_are_listed_before_any_connection():
    check = check_connection(ServerAddress("", 5432, "", "returndesk"), None)
    assert not check.ok
    assert "host name or IP address" in check.message and "name of the database" in check.message
    with pytest.raises(ValidationFailed) as refused:
        ServerAddress("db.example", 0, "rd", "").validate()
    assert len(refused.value.problems) == 2


# --------------------------------------------------------------------------- opening


def test_opening_a_new_local_file_creates_the_schema(tmp_path):
    path = tmp_path / "sub" / "new.sqlite3"
    opened = open_database_at(DatabaseChoice.local(path), station="COUNTER-1")
    try:
        assert path.is_file()
        assert opened.created
        assert opened.status.up_to_date
        assert opened.ctx.station == "COUNTER-1"
    finally:
        opened.ctx.db.dispose()
    again = open_database_at(DatabaseChoice.local(path))
    try:
        assert not again.created
    finally:
        again.ctx.db.dispose()


@pytest.mark.pg
def test_opening_a_server_database_upgrades_it_and_describes_it_without_the_password(fresh_pg_database):
    server = _pg_server(fresh_pg_database)
    session = LocalSession.open(DatabaseChoice.shared(server), "a password 1", station="DOCK-2")
    try:
        assert session.created
        assert session.schema_revision == schema_status(session.context.db.engine).head
        description = session.describe_database()
        assert description == f"PostgreSQL {server.user}@{server.host}:{server.port}/{fresh_pg_database}"
        assert "a password 1" not in description
        assert not session.is_local
        assert not session.auth.has_users()
    finally:
        session.close()


def test_a_schema_from_a_newer_returndesk_is_refused(tmp_path, sqlite_template):
    path = tmp_path / "newer.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("update alembic_version set version_num = 'zz99'"))
    engine.dispose()

    with pytest.raises(SchemaTooNew) as refused:
        open_database_at(DatabaseChoice.local(path))
    assert "zz99" in refused.value.message and "newer ReturnDesk" in refused.value.message
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:  # untouched
        assert conn.execute(text("select version_num from alembic_version")).scalar_one() == "zz99"
    engine.dispose()


def test_a_server_that_does_not_answer_is_a_clear_database_unavailable():
    server = ServerAddress("127.0.0.1", _closed_port(), "returndesk", "returndesk")
    with pytest.raises(DatabaseUnavailable) as failed:
        open_database_at(DatabaseChoice.shared(server), "pw")
    assert "Nothing answers on 127.0.0.1" in failed.value.message


def test_the_url_carries_the_password_the_description_does_not():
    server = ServerAddress("db.shop.example", 5433, "returns", "station_7", SslMode.REQUIRE)
    choice = DatabaseChoice.shared(server)
    url = make_url(choice.url("p@ss:word/1"))
    assert url.password == "p@ss:word/1"
    assert url.query["sslmode"] == "require"
    assert url.drivername == "postgresql+psycopg"
    assert "p@ss" not in choice.describe()
    assert choice.describe() == "PostgreSQL station_7@db.shop.example:5433/returns"


# --------------------------------------------------------------------------- keyring


def test_a_password_kept_by_an_older_station_is_removed(memory_keyring):
    """Stations no longer keep a database password; the one an older version kept is removed."""
    server = ServerAddress("db.shop.example", 5432, "returns", "station_7")
    other = ServerAddress("db.shop.example", 5432, "returns", "station_8")
    memory_keyring.secrets[(connection.KEYRING_SERVICE, server.keyring_user)] = "s3cret station"
    memory_keyring.secrets[(connection.KEYRING_SERVICE, other.keyring_user)] = "another"
    assert connection.keyring_available()
    connection.forget_password(server)
    assert memory_keyring.secrets == {(connection.KEYRING_SERVICE, "station_8@db.shop.example:5432/returns"): "another"}
    connection.forget_password(server)  # nothing left to forget: no error
    assert not hasattr(connection, "save_password") and not hasattr(connection, "load_password")


def test_without_a_working_keyring_there_is_nothing_to_remove():
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        server = ServerAddress("db.shop.example", 5432, "returns", "station_7")
        assert not connection.keyring_available()
        connection.forget_password(server)  # no keyring: nothing kept, no error
    finally:
        keyring.set_keyring(previous)



def _end_own_connections(url: str, application_name: str) -> int:
    """What a restart of PostgreSQL does to a client: its connections end under it."""
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE application_name = %s", (application_name,)).fetchone()[0]


def _counted_pings(db, monkeypatch) -> list[object]:
    """The connections the pool tries before handing them out, from now on."""
    pings: list[object] = []
    real_ping = db.engine.dialect.do_ping

    def counted_ping(dbapi_conn):
        pings.append(dbapi_conn)
        return real_ping(dbapi_conn)

    monkeypatch.setattr(db.engine.dialect, "do_ping", counted_ping)
    return pings


@pytest.mark.pg
def test_a_connection_that_sat_idle_is_tried_first_and_replaced_when_postgresql_ended_it(pg_database, monkeypatch):
    from returndesk.store import engine as store_engine
    from returndesk.store.engine import Database

    name = f"rd-idle-{uuid.uuid4().hex[:8]}"
    db = Database.open(pg_database, application_name=name)
    try:
        with db.read_connection() as conn:
            assert conn.execute(text("select 1")).scalar_one() == 1
        assert _end_own_connections(pg_database, name) == 1
        monkeypatch.setattr(store_engine, "PING_AFTER_IDLE_S", 0.0)  # it has sat idle long enough
        pings = _counted_pings(db, monkeypatch)
        with db.read_connection() as conn:  # tried, found gone, replaced: the read works
            assert conn.execute(text("select 2")).scalar_one() == 2
        assert len(pings) == 1  # the fresh connection that replaced it was not tried
    finally:
        db.dispose()


@pytest.mark.pg
def test_a_connection_used_a_moment_ago_is_not_tried_and_one_lost_under_it_is_an_outage_then_replaced(
        pg_database, monkeypatch):
    from returndesk.store import engine as store_engine
    from returndesk.store.engine import Database

    monkeypatch.setattr(store_engine, "PING_AFTER_IDLE_S", 3600.0)  # always "a moment ago"
    name = f"rd-busy-{uuid.uuid4().hex[:8]}"
    db = Database.open(pg_database, application_name=name)
    pings = _counted_pings(db, monkeypatch)
    try:
        with db.read_connection() as conn:
            assert conn.execute(text("select 1")).scalar_one() == 1
        with db.read_connection() as conn:  # no round trip before the statement
            assert conn.execute(text("select 1")).scalar_one() == 1
        assert pings == []
        assert _end_own_connections(pg_database, name) == 1
        with pytest.raises(DatabaseUnavailable), db.read_connection() as conn:
            conn.execute(text("select 1"))
        with db.read_connection() as conn:  # the pool let the dead connection go
            assert conn.execute(text("select 3")).scalar_one() == 3
    finally:
        db.dispose()


@pytest.mark.pg
def test_after_a_rolled_back_transaction_each_statement_is_prepared_at_its_second_run(pg_database):
    """psycopg forgets a connection's prepared statements at every ROLLBACK (a refused command);
    the statements after it are prepared again at their second run, not after five more runs of
    each. A text of several statements, which PostgreSQL cannot prepare, still runs every time."""
    from returndesk.store.engine import Database

    db = Database.open(pg_database, application_name=f"rd-prep-{uuid.uuid4().hex[:8]}")
    prepared = text("SELECT statement FROM pg_prepared_statements")
    try:
        with pytest.raises(RuntimeError), db.write() as session:  # a command refused after its reads
            session.execute(text("SELECT 41 + :n"), {"n": 1})
            raise RuntimeError("refused")
        with db.read_connection() as conn:
            for n in (2, 2):
                assert conn.execute(text("SELECT 40 + :n"), {"n": n}).scalar_one() == 42
            for _ in range(3):
                conn.exec_driver_sql("SELECT 1; SELECT 2")
            statements = conn.execute(prepared).scalars().all()
        assert any("SELECT 40 + $1" in s for s in statements), statements
        assert not any("SELECT 41 + $1" in s for s in statements), statements  # forgotten at the rollback
    finally:
        db.dispose()


@pytest.mark.pg
def test_a_read_through_the_orm_keeps_the_connections_prepared_statements_and_never_commits_a_change(pg_database):
    """A read that wrote nothing ends with a COMMIT (a rollback would make psycopg forget the
    statements it prepared on the connection); one that changed or wrote anything is rolled back."""
    from returndesk.store.engine import Database
    from returndesk.store.schema import NumberSequence

    db = Database.open(pg_database, application_name=f"rd-read-{uuid.uuid4().hex[:8]}")
    prepared = text("SELECT statement FROM pg_prepared_statements")
    try:
        with db.write() as session:
            session.add(NumberSequence(name="rd-test", next_value=7))
        forty_two = select(func.abs(bindparam("n", type_=Integer)) + 30)
        with db.read() as session:
            for _ in range(2):  # prepared at its second run
                assert session.execute(forty_two, {"n": -12}).scalar_one() == 42
        with db.read() as session:  # the same, only pooled, connection
            statements = session.execute(prepared).scalars().all()
        assert any("abs($1" in s for s in statements), statements

        with db.read() as session:  # an object changed in a read: not written
            session.get(NumberSequence, "rd-test").next_value = 99
        with db.read() as session:  # a statement that writes, run in a read: not kept
            session.execute(text("UPDATE number_sequences SET next_value = 98 WHERE name = 'rd-test'"))
        with db.read() as session:  # a flush in a read: not kept either
            session.get(NumberSequence, "rd-test").next_value = 97
            session.flush()
        from returndesk.services.tx import audit
        from returndesk.services.tx.context import ServiceContext
        from returndesk.store.schema import AuditEvent

        ctx = ServiceContext(db=db, station="READ")
        with db.read() as session:  # an audit event recorded in a read: not chained
            audit.record(session, ctx, None, "number_sequence", "rd-test", "looked_at")
        with db.read() as session:
            assert session.get(NumberSequence, "rd-test").next_value == 7
            assert session.query(AuditEvent).filter_by(entity_id="rd-test").count() == 0
    finally:
        db.dispose()


@pytest.mark.pg
def test_a_refused_transaction_that_wrote_nothing_keeps_the_prepared_statements_and_one_that_wrote_keeps_nothing(
        pg_database):
    """A transaction rolled back after it only read and locked rows ends with a COMMIT (psycopg
    forgets every prepared statement at a ROLLBACK); after anything that may have written, or a
    statement that failed, it is rolled back as before and nothing of it stays."""
    from sqlalchemy import update
    from sqlalchemy.exc import DBAPIError

    from returndesk.services.tx import audit, bulk
    from returndesk.services.tx.context import ServiceContext
    from returndesk.store.engine import Database
    from returndesk.store.schema import AuditEvent, NumberSequence

    db = Database.open(pg_database, application_name="rd-refused")
    ctx = ServiceContext(db=db, station="REFUSED")
    forty_two = select(func.abs(bindparam("n", type_=Integer)) + 30)
    sequences = NumberSequence.__table__
    name = f"rd-refused-{uuid.uuid4().hex[:8]}"  # the numbers' table is not emptied between tests

    def warm() -> None:
        with db.read() as session:
            for _ in range(2):  # prepared at its second run
                assert session.execute(forty_two, {"n": -12}).scalar_one() == 42

    def still_prepared() -> bool:
        with db.read() as session:
            return any("abs($1" in s for s in session.execute(
                text("SELECT statement FROM pg_prepared_statements")).scalars())

    def refused(work) -> None:
        with pytest.raises(ValidationFailed), db.write() as session:
            row = session.execute(select(NumberSequence).where(NumberSequence.name == name)
                                  .with_for_update()).scalar_one()
            work(session, row)
            raise ValidationFailed("refused")

    try:
        with db.write() as session:
            session.add(NumberSequence(name=name, next_value=7))

        def read_change_and_record(session, row):
            assert session.execute(forty_two, {"n": -12}).scalar_one() == 42
            row.next_value = 50  # changed, never written
            audit.record(session, ctx, None, "number_sequence", name, "looked_at")  # never chained

        warm()
        refused(read_change_and_record)
        assert still_prepared()

        writes = {
            "a flush": lambda session, row: (setattr(row, "next_value", 51), session.flush()),
            "an UPDATE on the connection": lambda session, _row: session.connection().execute(
                update(sequences).where(sequences.c.name == name).values(next_value=52)),
            "a SELECT that changes a setting": lambda session, _row: session.execute(
                text("SELECT set_config('application_name', 'changed', false)")),
            "a SET LOCAL": lambda session, _row: session.execute(text("SET LOCAL statement_timeout = 1234")),
            "a SELECT INTO": lambda session, _row: session.execute(text("SELECT 1 AS v INTO TEMP rd_into")),
            "a COPY on the driver's connection": lambda session, _row: bulk.insert_rows(
                session, "number_sequences", [{"name": f"{name}-copied", "next_value": 1}]),
        }
        for what, work in writes.items():
            warm()
            refused(work)
            assert not still_prepared(), what  # rolled back: psycopg let its statements go
        with db.read() as session:
            assert session.execute(text("SHOW application_name")).scalar_one() == "rd-refused"
            assert session.get(NumberSequence, name).next_value == 7
            assert session.get(NumberSequence, f"{name}-copied") is None
            assert session.execute(text("SELECT to_regclass('pg_temp.rd_into')")).scalar_one() is None
            assert session.query(AuditEvent).filter_by(entity_id=name).count() == 0

        warm()
        with pytest.raises(DBAPIError, match="division by zero"), db.write() as session:  # failed: rolled back
            session.execute(text("SELECT 1 / 0"))
        assert not still_prepared()
        with db.read() as session:  # and the connection serves the next transaction
            assert session.execute(forty_two, {"n": 2}).scalar_one() == 32
    finally:
        db.dispose()
