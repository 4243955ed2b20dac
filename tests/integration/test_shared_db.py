"""The shared PostgreSQL set-up: schema by Alembic, the server's one login and what it may not do.

Every station-fraud attempt of issue 14 is tried here with a real psycopg connection as the
server's login (the only login besides the owner), and each is refused by PostgreSQL itself; what
the server's login may do by design (read password hashes, change users) no client can reach,
because no other login may connect. ``audit verify`` catches what the owner's login could do.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from sqlalchemy import event, text

from returndesk.domain.errors import ValidationFailed
from returndesk.services.infra.shared_db import init_shared_database
from returndesk.services.tx import audit
from returndesk.services.tx.context import ServiceContext
from returndesk.services.usecases import refunds
from returndesk.store.changes import PgChangeListener
from returndesk.store.engine import Database

from ..conftest import PG_ADMIN_URL
from .factories import build_world
from .money_support import LineSpec, approved

pytestmark = pytest.mark.pg

PASSWORD = "server login pass 1"


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@dataclass
class Shared:
    owner_url: str  # the database's owner (the test cluster's superuser)
    login: str
    server_url: str  # the server's login (trust on the test cluster; SCRAM in production)
    database: str


@pytest.fixture
def shared() -> Iterator[Shared]:
    name = f"rd_init_{uuid.uuid4().hex[:8]}"
    admin = _plain(PG_ADMIN_URL)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    owner_url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    login = f"{name}_srv"
    result = init_shared_database(owner_url, server_login=login, password=lambda: PASSWORD)
    assert result.login_created and result.password_set
    yield Shared(owner_url, login, owner_url.replace("postgres@", f"{login}@", 1), name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'DROP ROLE IF EXISTS "{login}"')


def _server_ctx(shared: Shared) -> ServiceContext:
    return ServiceContext(db=Database.open(shared.server_url), station="SRV-1")


@pytest.fixture
def world(shared):
    """A refunded return, written by the services through the server's login."""
    ctx = _server_ctx(shared)
    world = build_world(ctx)
    rma = approved(world, [LineSpec("AP-2001", 1)])
    refunds.issue_refund(ctx, world.finance, rma)
    yield world
    ctx.db.dispose()


def _refused(shared: Shared, statement: str, params: tuple = ()) -> str:
    """Run ``statement`` as the server's login; it must be refused. Returns PostgreSQL's message."""
    with psycopg.connect(_plain(shared.server_url)) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
            conn.execute(statement, params)
        return str(refused.value)


def _verify(shared: Shared) -> audit.ChainVerification:
    db = Database.open(shared.owner_url)
    try:
        return audit.verify_chain(ServiceContext(db=db))
    finally:
        db.dispose()


def test_the_services_work_through_the_server_login_and_the_chain_verifies(shared, world):
    verdict = _verify(shared)
    assert verdict.ok, verdict.message
    assert verdict.events > 5
    with psycopg.connect(_plain(shared.owner_url)) as conn:
        versions = conn.execute("SELECT DISTINCT hash_version FROM audit_events").fetchall()
        outbox = conn.execute("SELECT count(*) FROM outbox_events").fetchone()[0]
    assert versions == [(2,)]
    assert outbox > 0, "the webhook outbox is written by the append function too"


def test_the_server_login_cannot_change_the_schema(shared, world):
    for statement in ("CREATE TABLE sneaky (id int)", "ALTER TABLE returns ADD COLUMN x int",
                      "DROP TABLE stations", "CREATE INDEX ix_sneaky ON returns (notes)",
                      "ALTER TABLE audit_events DISABLE TRIGGER ALL",
                      "CREATE OR REPLACE FUNCTION returndesk_audit_hash(bigint, timestamptz, integer, text, text, "
                      "text, text, text, text, text, text) RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$"):
        message = _refused(shared, statement)
        assert "permission denied" in message or "must be owner" in message, message
    _refused(shared, "UPDATE alembic_version SET version_num = '0001'")


@pytest.mark.parametrize("table", ["audit_events", "refunds", "refund_lines", "credit_notes",
                                   "journal_entries", "journal_lines", "stock_movements"])
def test_the_server_login_cannot_update_or_delete_the_records_of_money_and_the_audit_trail(shared, world, table):
    column = {"audit_events": "action", "refunds": "amount_minor", "refund_lines": "amount_minor",
              "credit_notes": "total_minor", "journal_entries": "entry_no", "journal_lines": "debit_minor",
              "stock_movements": "quantity"}[table]
    with psycopg.connect(_plain(shared.owner_url)) as conn:
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, "there is a row to attack"
    assert f"permission denied for table {table}" in _refused(shared, f"UPDATE {table} SET {column} = {column}")
    assert f"permission denied for table {table}" in _refused(shared, f"DELETE FROM {table}")
    assert f"permission denied for table {table}" in _refused(shared, f"TRUNCATE {table}")


def test_raising_an_issued_refund_is_refused(shared, world):
    """The issue's attack: a larger refund with a matching credit note and a balanced journal."""
    for statement in ("UPDATE refunds SET amount_minor = amount_minor * 10",
                      "UPDATE credit_notes SET net_minor = net_minor * 10, total_minor = total_minor * 10",
                      "UPDATE journal_lines SET debit_minor = debit_minor * 10, credit_minor = credit_minor * 10"):
        _refused(shared, statement)


def test_a_forged_audit_event_or_a_row_that_jams_the_chain_cannot_be_written(shared, world):
    with psycopg.connect(_plain(shared.owner_url)) as conn:
        last_seq, last_hash = conn.execute("SELECT last_seq, last_hash FROM audit_head").fetchone()
    forged = ("INSERT INTO audit_events (seq, occurred_at, entity, entity_id, action, prev_hash, hash, hash_version) "
              "VALUES (%s, now(), 'return', 'R1', 'approve', %s, %s, 2)")
    _refused(shared, forged, (last_seq + 1, last_hash, "f" * 64))
    # A row one ahead of the chain would make every later append fail on its key: refused too.
    _refused(shared, forged, (last_seq + 1, "0" * 64, "0" * 64))
    _refused(shared, "INSERT INTO outbox_events (id, occurred_at, event_type, subject, payload_json) "
                     "VALUES (%s, now(), 'return.refund', 'R1', '{}')", (last_seq + 1,))
    _refused(shared, "UPDATE audit_head SET last_seq = last_seq + 5")
    _refused(shared, "SELECT * FROM audit_head FOR UPDATE")  # not even holding the chain's lock
    # The append function is the only way in, and it takes no sequence number or hash from its caller.
    with psycopg.connect(_plain(shared.server_url)) as conn:
        seq = conn.execute(
            "SELECT returndesk_append_audit(ARRAY[now()], ARRAY[NULL::int], ARRAY['mallory'], ARRAY['X'], "
            "ARRAY['return'], ARRAY['R1'], ARRAY['approve'], ARRAY[NULL], ARRAY['{\"a\":\"x|中\\n\"}'], "
            "ARRAY[NULL], ARRAY[NULL])").fetchone()[0]
        conn.commit()
    assert seq == last_seq + 1
    verdict = _verify(shared)
    assert verdict.ok, "whatever goes through the function is chained correctly: " + verdict.message


def test_no_client_can_reach_the_database_the_server_login_is_the_only_one(shared, world):
    """The password hashes, users' roles and limits are the server's to read and change; no station
    has a login to try it with, and a login of an earlier version can no longer connect."""
    with psycopg.connect(_plain(shared.owner_url), autocommit=True) as conn:
        may_connect = {row[0] for row in conn.execute(
            "SELECT rolname FROM pg_roles WHERE NOT rolsuper AND rolcanlogin "
            "AND has_database_privilege(oid, current_database(), 'CONNECT')")}
        grantees = {row[0] for row in conn.execute(
            "SELECT DISTINCT grantee FROM information_schema.role_table_grants WHERE table_schema = 'public'")}
    assert may_connect == {shared.login}
    assert grantees == {"postgres", shared.login}, "no role but the owner and the server's has a right on a table"


def test_a_station_login_of_an_earlier_version_loses_its_access(shared):
    station = f"counter_{uuid.uuid4().hex[:6]}"
    admin = _plain(PG_ADMIN_URL)
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'returndesk_client'").fetchone() is None:
            conn.execute("CREATE ROLE returndesk_client NOLOGIN")
        conn.execute(f'CREATE ROLE "{station}" LOGIN IN ROLE returndesk_client')
    try:
        with psycopg.connect(_plain(shared.owner_url), autocommit=True) as conn:
            conn.execute(f'GRANT CONNECT ON DATABASE "{shared.database}" TO returndesk_client')
            conn.execute("GRANT SELECT, UPDATE ON users TO returndesk_client")
        result = init_shared_database(shared.owner_url, server_login=shared.login, password=lambda: PASSWORD)
        assert station in result.legacy_logins
        assert not result.password_set, "an existing server login keeps its password"
        with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
            psycopg.connect(_plain(shared.owner_url.replace("postgres@", f"{station}@", 1)))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{station}"')


def test_the_server_login_runs_with_timeouts_and_a_scram_password(shared):
    with psycopg.connect(_plain(shared.server_url)) as conn:
        settings = {name: conn.execute(f"SHOW {name}").fetchone()[0]
                    for name in ("lock_timeout", "statement_timeout", "idle_in_transaction_session_timeout")}
    assert settings == {"lock_timeout": "10s", "statement_timeout": "1min",
                        "idle_in_transaction_session_timeout": "1min"}
    with psycopg.connect(_plain(PG_ADMIN_URL)) as conn:
        stored = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (shared.login,)).fetchone()[0]
    assert stored.startswith("SCRAM-SHA-256$4096:")


def test_the_password_is_never_sent_in_clear(shared):
    sent: list[str] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        sent.append(f"{statement} {parameters!r}")

    event.listen(__import__("sqlalchemy").engine.Engine, "before_cursor_execute", capture)
    try:
        secret = "a brand new secret 42"
        result = init_shared_database(shared.owner_url, server_login=shared.login, password=lambda: secret,
                                      set_password=True)
    finally:
        event.remove(__import__("sqlalchemy").engine.Engine, "before_cursor_execute", capture)
    assert result.password_set
    assert any("SCRAM-SHA-256$" in s for s in sent), "the verifier was sent"
    assert not any(secret in s for s in sent)


def test_login_names_and_owner_are_checked(shared):
    with pytest.raises(ValidationFailed, match="not a valid login name"):
        init_shared_database(shared.owner_url, server_login="Robert'); DROP TABLE returns;--",
                             password=lambda: PASSWORD)
    with pytest.raises(ValidationFailed, match="must not be the owner"):
        init_shared_database(shared.owner_url, server_login="postgres", password=lambda: PASSWORD)
    with pytest.raises(ValidationFailed, match="at least 12 characters"):
        init_shared_database(shared.owner_url, server_login=shared.login, password=lambda: "short",
                             set_password=True)


def test_audit_verify_finds_what_the_owner_login_could_do(shared, world):
    assert _verify(shared).ok
    with psycopg.connect(_plain(shared.owner_url)) as conn:
        seq = conn.execute("SELECT min(seq) + 2 FROM audit_events").fetchone()[0]
        original = conn.execute("SELECT after_json FROM audit_events WHERE seq = %s", (seq,)).fetchone()[0]
        conn.execute("UPDATE audit_events SET after_json = '{\"amount\":1}' WHERE seq = %s", (seq,))
        conn.commit()
        verdict = _verify(shared)
        assert not verdict.ok and verdict.first_broken_seq == seq and "altered" in verdict.message
        conn.execute("UPDATE audit_events SET after_json = %s WHERE seq = %s", (original, seq))
        conn.execute("DELETE FROM outbox_events WHERE id = %s", (seq + 1,))
        conn.execute("DELETE FROM audit_events WHERE seq = %s", (seq + 1,))
        conn.commit()
    verdict = _verify(shared)
    assert not verdict.ok and verdict.first_broken_seq == seq + 1 and "missing" in verdict.message


def test_the_change_of_a_return_is_announced_on_commit(shared):
    listener = PgChangeListener(shared.owner_url)
    db = Database.open(shared.owner_url)
    try:
        assert listener.drain() == []
        with db.engine.begin() as conn:
            conn.execute(text(
                "SELECT pg_notify('returndesk_changes', json_build_object('entity','return','id',42,"
                "'status','approved','app','other')::text)"))
        changes = []
        for _ in range(50):  # bounded: the notification is already sent at commit
            listener.conn.execute("SELECT 1")
            changes = listener.drain()
            if changes:
                break
        assert [(c.entity, c.entity_id, c.status) for c in changes] == [("return", 42, "approved")]
        with db.engine.connect() as conn:
            trig = conn.execute(text(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'returns_notify'")).scalar_one()
        assert trig == 1
    finally:
        listener.close()
        db.dispose()


@pytest.fixture(params=["sqlite", "pg"])
def empty_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    name = f"rd_old_{uuid.uuid4().hex[:8]}"
    admin = _plain(PG_ADMIN_URL)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("empty_url", ["sqlite", pytest.param("pg", marks=pytest.mark.pg)], indirect=True)
def test_a_chain_written_before_0004_still_verifies_and_goes_on_in_the_new_format(empty_url, clock):
    from alembic import command
    from datetime import timedelta

    from returndesk.services.infra.bootstrap import open_database
    from returndesk.store.audit_chain import hash_v1
    from returndesk.store.migrate import alembic_config

    db = Database.open(empty_url)
    try:
        command.upgrade(alembic_config(db.engine), "0003_codes")
        prev = audit.GENESIS
        with db.engine.begin() as conn:
            for seq in (1, 2, 3):  # as ReturnDesk wrote them before: format 1, no version column yet
                row = dict(seq=seq, occurred_at=clock() + timedelta(minutes=seq), user_id=None, username="wang",
                           station="CTR-1", entity="return", entity_id=f"R{seq}", action="created",
                           before_json=None, after_json='{"lines":[1,"中文 | x"]}', prev_hash=prev)
                row["hash"] = hash_v1(**row)
                conn.execute(text("INSERT INTO audit_events (seq, occurred_at, user_id, username, station, entity, "
                                  "entity_id, action, before_json, after_json, prev_hash, hash) VALUES (:seq, "
                                  ":occurred_at, :user_id, :username, :station, :entity, :entity_id, :action, "
                                  ":before_json, :after_json, :prev_hash, :hash)"), row)
                prev = row["hash"]
            conn.execute(text("INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 3, :h)"), {"h": prev})
        ctx = ServiceContext(db=db, clock=clock, station="CTR-2")
        open_database(ctx)  # to 0004_harden and beyond
        assert audit.verify_chain(ctx).ok
        with ctx.db.write() as s:
            audit.record(s, ctx, None, "return", "R4", "created", None, {"note": "line\nbreak \"quoted\" |"})
            audit.record(s, ctx, None, "user", "li", "added", {"role": None}, {"role": "clerk"})
        verdict = audit.verify_chain(ctx)
        assert verdict.ok and verdict.events == 5, verdict.message
        with db.engine.connect() as conn:
            versions = conn.execute(text("SELECT seq, hash_version FROM audit_events ORDER BY seq")).all()
        assert [v for _, v in versions] == [1, 1, 1, 2, 2]
    finally:
        db.dispose()


def test_the_server_refuses_an_old_schema_it_may_not_upgrade(shared):
    from returndesk.server.app import open_server_context

    with psycopg.connect(_plain(shared.owner_url)) as conn:
        head = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        conn.execute("UPDATE alembic_version SET version_num = '0003_codes'")
        conn.commit()
    with pytest.raises(ValidationFailed, match="Upgrade it with the owner's login: returndesk db init"):
        open_server_context(shared.server_url)
    with psycopg.connect(_plain(shared.owner_url)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0003_codes"
        conn.execute("UPDATE alembic_version SET version_num = %s", (head,))
        conn.commit()
    open_server_context(shared.server_url).db.dispose()  # up to date: it starts


def test_audit_verify_and_check_run_with_the_server_login_too(shared, world, capsys):
    from returndesk import cli

    assert cli.main(["audit", "verify", "--url", shared.server_url]) == 0
    assert "is intact" in capsys.readouterr().out
    assert cli.main(["check", "--url", shared.server_url]) == 0
    assert "The books are sound" in capsys.readouterr().out


def test_a_database_not_in_utf8_is_refused_before_anything_is_written():
    name = f"rd_latin_{uuid.uuid4().hex[:8]}"
    admin = _plain(PG_ADMIN_URL)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0")
    try:
        with pytest.raises(ValidationFailed, match="encoding LATIN1; ReturnDesk needs UTF8"):
            init_shared_database(PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, server_login=f"{name}_srv",
                                 password=lambda: PASSWORD)
        with psycopg.connect(admin, autocommit=True) as conn:
            assert conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (f"{name}_srv",)).fetchone() is None
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
