"""The shared PostgreSQL set-up: schema by Alembic, least-privilege client logins, NOTIFY."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from returndesk.services.infra.shared_db import add_database_login, init_shared_database
from returndesk.store.changes import PgChangeListener
from returndesk.store.engine import Database

from ..conftest import PG_ADMIN_URL

pytestmark = pytest.mark.pg


@pytest.fixture
def fresh_pg():
    name = f"rd_init_{uuid.uuid4().hex[:8]}"
    admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _as(url: str, login: str) -> str:
    return url.replace("postgres@", f"{login}@", 1)


def test_client_login_cannot_change_schema_audit_or_delete_finance(fresh_pg):
    result = init_shared_database(fresh_pg)
    assert result.revision
    login = f"station_{uuid.uuid4().hex[:6]}"
    add_database_login(fresh_pg, login, None)
    db = Database.open(_as(fresh_pg, login))
    try:
        with db.engine.connect() as conn:
            # Reading and writing ordinary data works.
            assert conn.execute(text("SELECT count(*) FROM return_reasons")).scalar_one() > 0
            conn.execute(text("UPDATE stock_locations SET name = name"))
            conn.rollback()
        forbidden = [
            "CREATE TABLE sneaky (id int)",
            "ALTER TABLE returns ADD COLUMN x int",
            "UPDATE audit_events SET action = 'x'",
            "DELETE FROM audit_events",
            "TRUNCATE audit_events",
            "DELETE FROM refunds",
            "DELETE FROM journal_lines",
            "DELETE FROM stock_movements",
            "UPDATE alembic_version SET version_num = 'x'",
        ]
        for statement in forbidden:
            with db.engine.connect() as conn:
                with pytest.raises(ProgrammingError, match="permission denied|must be owner"):
                    conn.execute(text(statement))
    finally:
        db.dispose()
    # Running init again (after an upgrade) is harmless.
    assert init_shared_database(fresh_pg).revision == result.revision


def test_login_names_are_validated(fresh_pg):
    from returndesk.domain.errors import ValidationFailed

    init_shared_database(fresh_pg)
    with pytest.raises(ValidationFailed, match="not a valid login name"):
        add_database_login(fresh_pg, "Robert'); DROP TABLE returns;--", "x")


def test_change_of_a_return_is_announced_on_commit(fresh_pg):
    init_shared_database(fresh_pg)
    listener = PgChangeListener(fresh_pg)
    db = Database.open(fresh_pg)
    try:
        assert listener.drain() == []
        with db.engine.begin() as conn:
            # The trigger fires on any change of returns; an UPDATE of no rows sends nothing,
            # so use a real row through the notify function directly.
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
