"""Command line: db init and loadtest."""

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
def test_db_init_makes_the_servers_login_and_says_how_to_start_the_server(fresh_pg, capsys, monkeypatch):
    login = fresh_pg.rsplit("/", 1)[1] + "_srv"
    admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        monkeypatch.setattr("sys.stdin", io.StringIO("a long server password\n"))
        assert main(["db", "init", "--url", fresh_pg, "--server-login", login, "--password-stdin"]) == 0
        out = capsys.readouterr().out
        assert f"The server's login {login} was created" in out
        assert f"returndesk server --url postgresql://{login}@127.0.0.1:5432/" in out
        assert "a long server password" not in out
        # Again after an upgrade: the password stays, nothing is asked.
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        assert main(["db", "init", "--url", fresh_pg, "--server-login", login, "--password-stdin"]) == 0
        assert "keeps its password" in capsys.readouterr().out
        with psycopg.connect(admin, autocommit=True) as conn:
            stored = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (login,)).fetchone()[0]
        assert stored.startswith("SCRAM-SHA-256$")
        with pytest.raises(SystemExit) as wrong:  # station logins are gone: no such command
            main(["db", "add-login", "--url", fresh_pg, "counter_01"])
        assert wrong.value.code == 2
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{fresh_pg.rsplit("/", 1)[1]}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{login}"')


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
