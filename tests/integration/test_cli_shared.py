"""Command line: db init, db add-login and loadtest."""

from __future__ import annotations

import io
import uuid

import psycopg
import pytest

from returndesk.cli import main

from ..conftest import PG_ADMIN_URL


@pytest.fixture
def fresh_pg():
    name = f"rd_cli_{uuid.uuid4().hex[:8]}"
    admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.pg
def test_db_init_then_add_login(fresh_pg, capsys, monkeypatch):
    assert main(["db", "init", "--url", fresh_pg]) == 0
    assert "returndesk_client" in capsys.readouterr().out
    login = f"counter_{uuid.uuid4().hex[:6]}"
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret pass\n"))
    assert main(["db", "add-login", "--url", fresh_pg, login, "--password-stdin"]) == 0
    with psycopg.connect(PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        member = conn.execute(
            "SELECT pg_has_role(%s, 'returndesk_client', 'MEMBER')", (login,)).fetchone()[0]
    assert member is True


def test_db_init_refuses_sqlite(tmp_path, capsys):
    assert main(["db", "init", "--url", f"sqlite:///{tmp_path / 'x.sqlite3'}"]) == 1
    assert "shared PostgreSQL" in capsys.readouterr().err


def test_loadtest_needs_an_explicit_database(capsys, monkeypatch):
    monkeypatch.delenv("RETURNDESK_DB_URL", raising=False)
    assert main(["loadtest", "--stations", "1", "--seconds", "1"]) == 1
    assert "--url" in capsys.readouterr().err


@pytest.mark.slow
def test_loadtest_prints_latencies_and_proves_invariants(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'lt.sqlite3'}"
    assert main(["loadtest", "--url", url, "--stations", "2", "--operations", "6", "--seconds", "600",
                 "--orders", "6"]) == 0
    out = capsys.readouterr().out
    assert "p99 ms" in out and "Invariants hold" in out
    assert ", 12 operations," in out, "each station stops after its 6 operations"


def test_loadtest_refuses_a_count_of_nothing(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'lt.sqlite3'}"
    assert main(["loadtest", "--url", url, "--operations", "0"]) == 1
    assert "--operations" in capsys.readouterr().err
