"""Administration through the server: ``returndesk --server URL --user NAME …`` signs in, acts as
that user (the server checks the role and audits the user), and trusts the server by its pinned
certificate fingerprint. A real server (its own database login) on a real PostgreSQL."""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import select

from returndesk import cli
from returndesk.domain.types import Role
from returndesk.services.infra.bootstrap import open_database
from returndesk.services.tx.context import ServiceContext
from returndesk.services.usecases import auth
from returndesk.store.engine import Database
from returndesk.store.schema import AuditEvent, Station, User

from .server_support import _start, server_login

pytestmark = [pytest.mark.pg, pytest.mark.slow]  # a real server

PG_ADMIN_URL = os.environ.get("RETURNDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="module")
def owner_url() -> Iterator[str]:
    name = f"rd_cliremote_{uuid.uuid4().hex[:8]}"
    admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    db = Database.open(url)
    ctx = ServiceContext(db=db)
    open_database(ctx)
    for username, role in (("admin", Role.ADMIN), ("clerk", Role.CLERK), ("locked.li", Role.CLERK),
                           ("cashier.wu", Role.CLERK), ("fang", Role.FINANCE)):
        auth.add_user(ctx, None, username=username, display_name=username.title(), role=role,
                      password=f"{username}-secret", approval_limit_minor=50_000)
    db.dispose()
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'DROP ROLE IF EXISTS "{name}_srv"')


@pytest.fixture(scope="module")
def tls(owner_url, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """A server with the certificate of ``server init``: its https address and the fingerprint."""
    tls_dir = tmp_path_factory.mktemp("tls")
    assert cli.main(["server", "init", "--tls-dir", str(tls_dir), "--name", "127.0.0.1"]) == 0
    from returndesk.server.tls import fingerprint_of_pem

    fingerprint = fingerprint_of_pem((tls_dir / "server.crt").read_bytes())
    served_by, _login = server_login(owner_url)
    running = _start(served_by, "--tls-dir", str(tls_dir))
    try:
        yield f"https://127.0.0.1:{running.port}", fingerprint
    finally:
        running.stop()


def _run(monkeypatch, capsys, password: str, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    asked: list[str] = []

    def ask(prompt: str = "") -> str:
        asked.append(prompt)
        return password

    monkeypatch.setattr("getpass.getpass", ask)
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert len(asked) <= 1, "only the sign-in password is asked"
    return status, out, err


def _users(owner_url: str) -> dict[str, tuple[str, int, bool]]:
    """Each user's role, approval limit and active flag as the database holds them."""
    db = Database.open(owner_url)
    try:
        with db.read() as s:
            return {u.username: (u.role, u.approval_limit_minor, u.active) for u in s.execute(select(User)).scalars()}
    finally:
        db.dispose()


def _events(owner_url: str, entity_id: str) -> list[tuple[str, str | None, str | None]]:
    db = Database.open(owner_url)
    try:
        with db.read() as s:
            return [tuple(row) for row in s.execute(
                select(AuditEvent.action, AuditEvent.username, AuditEvent.station)
                .where(AuditEvent.entity_id == entity_id).order_by(AuditEvent.seq)).all()]
    finally:
        db.dispose()


def test_an_administrator_manages_users_through_the_server(tls, owner_url, monkeypatch, capsys):
    base, fingerprint = tls
    remote = ("--server", base, "--fingerprint", fingerprint.lower().replace(":", ""), "--user", "admin")
    status, out, err = _run(monkeypatch, capsys, "admin-secret", *remote, "user", "add", "zhao.lei", "--role",
                            "supervisor", "--limit", "800", "--display-name", "赵磊", "--password-stdin",
                            stdin="zhao-secret-1\n")
    assert status == 0, err
    assert "User zhao.lei (赵磊) added as supervisor" in out
    assert _run(monkeypatch, capsys, "admin-secret", *remote, "user", "set", "zhao.lei", "--limit", "1200")[0] == 0
    assert _run(monkeypatch, capsys, "admin-secret", *remote, "user", "set", "clerk", "--disable")[0] == 0
    assert _run(monkeypatch, capsys, "admin-secret", *remote, "user", "passwd", "zhao.lei", "--password-stdin",
                stdin="zhao-secret-2\n")[0] == 0
    status, out, _ = _run(monkeypatch, capsys, "admin-secret", *remote, "user", "list")
    assert status == 0 and "zhao.lei" in out and "赵磊" in out
    users = _users(owner_url)
    assert users["zhao.lei"] == ("supervisor", 120_000, True)
    assert users["clerk"][2] is False
    db = Database.open(owner_url)
    try:
        assert auth.sign_in(ServiceContext(db=db), "zhao.lei", "zhao-secret-2").role == Role.SUPERVISOR
    finally:
        db.dispose()
    # The audit trail names the administrator who signed in, and the command line as the station.
    assert ("created", "admin", "command-line") in _events(owner_url, "zhao.lei")
    assert ("changed", "admin", "command-line") in _events(owner_url, "zhao.lei")
    assert ("password_changed", "admin", "command-line") in _events(owner_url, "zhao.lei")


def test_station_printers_and_housekeeping_through_the_server(tls, owner_url, monkeypatch, capsys):
    base, fingerprint = tls
    remote = ("--server", base, "--fingerprint", fingerprint, "--user", "admin")
    status, out, err = _run(monkeypatch, capsys, "admin-secret", *remote, "station", "printers", "DOCK-1",
                            "--set", "label=cups:Zebra-Dock1")
    assert status == 0, err
    assert "cups:Zebra-Dock1" in out
    db = Database.open(owner_url)
    try:
        with db.read() as s:
            stored = s.execute(select(Station.settings_json).where(Station.code == "DOCK-1")).scalar_one()
    finally:
        db.dispose()
    assert "cups:Zebra-Dock1" in stored, "the station's printer is in the database"
    status, out, _ = _run(monkeypatch, capsys, "admin-secret", *remote, "housekeeping")
    assert status == 0 and "Housekeeping" in out


def test_a_clerk_cannot_make_himself_admin_or_raise_his_limit_through_the_server(tls, owner_url, monkeypatch,
                                                                                  capsys):
    base, fingerprint = tls
    db = Database.open(owner_url)
    try:
        auth.change_user(ServiceContext(db=db), None, "locked.li", active=True)
    finally:
        db.dispose()
    remote = ("--server", base, "--fingerprint", fingerprint, "--user", "locked.li")
    for change in (("--role", "admin"), ("--limit", "99999")):
        status, _, err = _run(monkeypatch, capsys, "locked.li-secret", *remote, "user", "set", "locked.li", *change)
        assert status == 1
        assert "(clerk) may not admin users" in err, err
    assert _users(owner_url)["locked.li"] == ("clerk", 50_000, True)


def test_a_wrong_fingerprint_stops_before_anything_is_sent(tls, monkeypatch, capsys):
    base, _fingerprint = tls
    status, _, err = _run(monkeypatch, capsys, "admin-secret", "--server", base, "--fingerprint", "AB" * 32,
                          "--user", "admin", "user", "list")
    assert status == 1
    assert "Nothing was sent" in err and "someone may be in between" in err


def test_wrong_password_and_database_commands_are_refused_in_words(tls, monkeypatch, capsys):
    base, fingerprint = tls
    status, _, err = _run(monkeypatch, capsys, "not-the-password", "--server", base, "--fingerprint", fingerprint,
                          "--user", "admin", "user", "list")
    assert status == 1 and "password" in err.lower()
    status, _, err = _run(monkeypatch, capsys, "admin-secret", "--server", base, "--user", "admin", "audit", "verify")
    assert status == 1 and "--url on the database host" in err
    status, _, err = _run(monkeypatch, capsys, "admin-secret", "--server", base, "--url", "sqlite:///x.db",
                          "user", "list")
    assert status == 1 and "not both" in err
    status, _, err = _run(monkeypatch, capsys, "x", "--server", "http://192.0.2.1:8443", "user", "list")
    assert status == 1 and "https://" in err


def test_a_cash_shift_and_the_finance_files_through_the_server(tls, owner_url, monkeypatch, capsys, tmp_path):
    base, fingerprint = tls
    trust = ("--server", base, "--fingerprint", fingerprint)
    clerk = (*trust, "--user", "cashier.wu")
    status, out, err = _run(monkeypatch, capsys, "cashier.wu-secret", *clerk, "shift", "open",
                            "--station", "COUNTER-9", "--float", "300")
    assert status == 0, err
    assert "opened at COUNTER-9 with a float of ¥300.00" in out
    shift_no = out.split()[2]
    status, out, err = _run(monkeypatch, capsys, "cashier.wu-secret", *clerk, "shift", "close",
                            "--station", "COUNTER-9", "--counted", "310", "--note", "a customer's change left")
    assert status == 0, err
    assert "difference ¥10.00 over, posted as journal entry" in out
    # The shift belongs to the station the clerk signed in at, and the audit trail says so.
    assert ("closed", "cashier.wu", "COUNTER-9") in _events(owner_url, shift_no)

    finance = (*trust, "--user", "fang")
    status, out, err = _run(monkeypatch, capsys, "fang-secret", *finance, "shift", "list",
                            "--from", "2020-01-01", "--to", "2099-12-31")
    assert status == 0, err
    assert shift_no in out and "difference ¥10.00 over" in out
    target = tmp_path / "refunds.csv"
    status, out, err = _run(monkeypatch, capsys, "fang-secret", *finance, "export", "refunds",
                            "--from", "2020-01-01", "--to", "2099-12-31", "-o", str(target))
    assert status == 0, err
    assert target.read_bytes().startswith(b"\xef\xbb\xbf") or target.stat().st_size > 0
    status, out, err = _run(monkeypatch, capsys, "fang-secret", *finance, "export", "red-letter",
                            "--from", "2020-01-01", "--to", "2099-12-31", "-o", str(tmp_path / "red.xlsx"))
    assert status == 0, err
    assert (tmp_path / "red.xlsx").read_bytes().startswith(b"PK")
    # A clerk may not export; the server refuses and the command line says so.
    status, out, err = _run(monkeypatch, capsys, "cashier.wu-secret", *clerk, "export", "refunds",
                            "--from", "2020-01-01", "--to", "2099-12-31", "-o", str(tmp_path / "no.csv"))
    assert status == 1 and "Traceback" not in err and not (tmp_path / "no.csv").exists()
def test_an_administrator_lists_and_ends_sessions_through_the_server(tls, owner_url, monkeypatch, capsys):
    from returndesk.api.remote import ServerConnection
    from returndesk.cli_remote import pinned_trust
    from returndesk.domain.errors import AuthenticationFailed

    base, fingerprint = tls
    db = Database.open(owner_url)
    try:
        for name in ("wu.dock", "he.counter"):
            auth.add_user(ServiceContext(db=db), None, username=name, display_name=name, role=Role.CLERK,
                          password=f"{name}-secret", approval_limit_minor=0)
    finally:
        db.dispose()
    stations = {}
    for name, station in (("wu.dock", "DOCK-1"), ("wu.dock", "DOCK-2"), ("he.counter", "COUNTER-1")):
        connection = ServerConnection(base, pinned_trust(base, fingerprint), station=station)
        connection.sign_in(name, f"{name}-secret")
        stations[station] = connection
    try:
        remote = ("--server", base, "--fingerprint", fingerprint, "--user", "admin")
        status, out, err = _run(monkeypatch, capsys, "admin-secret", *remote, "sessions", "list")
        assert status == 0, err
        assert "DOCK-1" in out and "DOCK-2" in out and "COUNTER-1" in out and "wu.dock" in out

        status, out, err = _run(monkeypatch, capsys, "admin-secret", *remote, "sessions", "end", "wu.dock")
        assert status == 0, err
        assert "2 sessions of wu.dock ended" in out
        for station in ("DOCK-1", "DOCK-2"):
            with pytest.raises(AuthenticationFailed, match="session has ended"):
                stations[station].request("GET", "/api/v1/session")
        assert stations["COUNTER-1"].request("GET", "/api/v1/session")["user"]["username"] == "he.counter"

        # A clerk may not end anyone's session.
        status, _, err = _run(monkeypatch, capsys, "he.counter-secret", "--server", base, "--fingerprint",
                              fingerprint, "--user", "he.counter", "sessions", "end", "--all")
        assert status == 1 and "admin" in err.lower()
        assert stations["COUNTER-1"].request("GET", "/api/v1/session")["user"]["username"] == "he.counter"

        status, out, err = _run(monkeypatch, capsys, "admin-secret", *remote, "sessions", "end", "--all")
        assert status == 0, err
        assert "1 session ended" in out  # the counter's; the administrator's own command was not cut off
        with pytest.raises(AuthenticationFailed, match="session has ended"):
            stations["COUNTER-1"].request("GET", "/api/v1/session")
        assert ("sessions_revoked", "admin", "command-line") in _events(owner_url, "wu.dock")
    finally:
        for connection in stations.values():
            connection.close()
    # On the database host, without a server: nobody is signed in any more.
    status, out, err = _run(monkeypatch, capsys, "", "--url", owner_url, "sessions", "list")
    assert status == 0, err
    assert "No one is signed in at the server." in out


def test_sessions_end_needs_a_name_or_all(owner_url, monkeypatch, capsys):
    status, _, err = _run(monkeypatch, capsys, "", "--url", owner_url, "sessions", "end")
    assert status == 1 and "--all" in err
    status, _, err = _run(monkeypatch, capsys, "", "--url", owner_url, "sessions", "end", "amy", "--all")
    assert status == 1 and "not both" in err
