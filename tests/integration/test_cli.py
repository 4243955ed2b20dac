"""The ``returndesk`` command line, in-process through ``main(argv)`` and once as the installed
program: database, users, imports, demo, audit verification and the books check."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from returndesk import cli
from returndesk.domain.errors import AccountLocked, AuthenticationFailed
from returndesk.services.usecases import auth, refunds
from returndesk.services.infra import maintenance
from returndesk.store.engine import Database

from ..conftest import PG_ADMIN_URL
from .factories import build_world
from .money_support import LineSpec, approved
from .test_import import good_rows, write_csv


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def empty_url(request, tmp_path):
    """A database address with nothing behind it yet (no file; an empty PostgreSQL database)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'new' / 'returndesk.sqlite3'}"
        return
    request.getfixturevalue("pg_database")  # PostgreSQL is up (or the run fails loudly)
    name = f"rd_cli_{uuid.uuid4().hex[:8]}"
    admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_db_upgrade_and_status(empty_url, capsys):
    code, out, _ = run(capsys, "db", "status", "--url", empty_url)
    assert code == 1 and "returndesk db upgrade" in out
    if empty_url.startswith("sqlite"):
        assert "no database file yet" in out
        assert not Path(empty_url.removeprefix("sqlite:///")).exists(), "status creates nothing"

    code, out, _ = run(capsys, "db", "upgrade", "--url", empty_url)
    assert code == 0 and "upgraded from revision (empty)" in out

    code, out, _ = run(capsys, "--url", empty_url, "db", "status")
    assert code == 0
    assert "up to date" in out and "Returns:   0" in out
    assert "awaiting approval" in out and "expired" in out
    assert "password" not in out.lower()

    code, out, _ = run(capsys, "db", "upgrade", "--url", empty_url)
    assert code == 0 and "is up to date" in out


def test_status_counts_returns_by_status(ctx, capsys):
    world = build_world(ctx)
    approved(world, [LineSpec("EL-1002", 1)])
    code, out, _ = run(capsys, "db", "status", "--url", ctx.db.url)
    assert code == 0 and "Returns:   1" in out
    line = next(ln for ln in out.splitlines() if ln.strip().startswith("approved"))
    assert line.split()[-1] == "1"


def test_user_commands(ctx, capsys, monkeypatch):
    db_url = ctx.db.url
    # The command line runs on the real clock; sign in on the same clock to see its lockouts.
    ctx = maintenance.connect(db_url)
    monkeypatch.setattr(sys, "stdin", io.StringIO("s3cret-pass\n"))
    code, out, _ = run(capsys, "user", "add", "wang.fang", "--role", "clerk", "--limit", "500",
                       "--display-name", "王芳", "--password-stdin", "--url", db_url)
    assert code == 0 and "¥500.00" in out
    actor = auth.sign_in(ctx, "wang.fang", "s3cret-pass")
    assert (actor.role.value, actor.display_name, actor.approval_limit_minor) == ("clerk", "王芳", 50000)

    # The password asked twice at the prompt.
    answers = iter(["another-pass", "another-pass"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code, _, _ = run(capsys, "user", "add", "li", "--role", "supervisor", "--limit", "2000.50", "--url", db_url)
    assert code == 0 and auth.sign_in(ctx, "li", "another-pass").approval_limit_minor == 200050
    answers = iter(["one-password", "other-password"])
    code, _, err = run(capsys, "user", "add", "zhou", "--role", "clerk", "--url", db_url)
    assert code == 1 and "differ" in err

    monkeypatch.setattr(sys, "stdin", io.StringIO("s3cret-pass\n"))
    code, _, err = run(capsys, "user", "add", "wang.fang", "--role", "clerk", "--password-stdin", "--url", db_url)
    assert code == 1 and "exists already" in err and "Traceback" not in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    code, _, err = run(capsys, "user", "add", "x", "--role", "clerk", "--password-stdin", "--url", db_url)
    assert code == 1 and "at least 8 characters" in err
    with pytest.raises(SystemExit) as usage:
        cli.main(["user", "add", "x", "--role", "boss", "--url", db_url])
    assert usage.value.code == 2
    with pytest.raises(SystemExit):
        cli.main(["user", "add", "x", "--role", "clerk", "--limit", "lots", "--url", db_url])
    capsys.readouterr()

    code, out, _ = run(capsys, "user", "list", "--url", db_url)
    assert code == 0
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert set(rows) == {"wang.fang", "li"} and "¥2,000.50" in rows["li"] and "active" in rows["li"]

    # Five wrong passwords lock the account; unlock opens it again.
    for _ in range(5):
        with pytest.raises((AuthenticationFailed, AccountLocked)):
            auth.sign_in(ctx, "wang.fang", "wrong password")
    code, out, _ = run(capsys, "user", "list", "--url", db_url)
    assert "locked" in next(ln for ln in out.splitlines() if ln.startswith("wang.fang"))
    code, out, _ = run(capsys, "user", "unlock", "wang.fang", "--url", db_url)
    assert code == 0 and "unlocked" in out
    auth.sign_in(ctx, "wang.fang", "s3cret-pass")

    monkeypatch.setattr(sys, "stdin", io.StringIO("new-pass-2026\n"))
    code, _, _ = run(capsys, "user", "passwd", "wang.fang", "--password-stdin", "--url", db_url)
    assert code == 0
    auth.sign_in(ctx, "wang.fang", "new-pass-2026")
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(ctx, "wang.fang", "s3cret-pass")
    code, _, err = run(capsys, "user", "unlock", "nobody", "--url", db_url)
    assert code == 1 and "no user named nobody" in err

    # A badge to sign off with: only its hash is stored; one badge is one person's.
    code, out, _ = run(capsys, "user", "badge", "li", "BADGE-0042", "--url", db_url)
    assert code == 0 and "signs off" in out
    assert _sql(db_url, "SELECT badge_hash FROM users WHERE username = 'li'") == auth.badge_hash("badge-0042")
    code, _, err = run(capsys, "user", "badge", "wang.fang", "BADGE-0042", "--url", db_url)
    assert code == 1 and "belongs to li already" in err
    code, out, _ = run(capsys, "user", "badge", "li", "--remove", "--url", db_url)
    assert code == 0 and _sql(db_url, "SELECT badge_hash FROM users WHERE username = 'li'") is None
    maintenance.close(ctx)


def _sql(url: str, statement: str, **params: object) -> object:
    db = Database.open(url)
    try:
        with db.engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return result.scalar() if result.returns_rows else None
    finally:
        db.dispose()


def test_audit_verify_detects_tampering(ctx, capsys, monkeypatch):
    db_url = ctx.db.url
    for name in ("anna", "bo", "chen"):
        monkeypatch.setattr(sys, "stdin", io.StringIO("long enough 1\n"))
        assert cli.main(["user", "add", name, "--role", "clerk", "--password-stdin", "--url", db_url]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "audit", "verify", "--url", db_url)
    assert code == 0 and "chain of 3 events is intact" in out

    original = _sql(db_url, "SELECT after_json FROM audit_events WHERE seq = 2")
    assert '"role":"clerk"' in original
    _sql(db_url, "UPDATE audit_events SET after_json = :after WHERE seq = 2",
         after=original.replace('"role":"clerk"', '"role":"admin"'))
    code, _, err = run(capsys, "audit", "verify", "--url", db_url)
    assert code == 1
    assert "Audit event 2 was altered" in err and "first broken link is event 2" in err

    _sql(db_url, "UPDATE audit_events SET after_json = :after WHERE seq = 2", after=original)
    assert run(capsys, "audit", "verify", "--url", db_url)[0] == 0, "the original content verifies again"
    _sql(db_url, "DELETE FROM audit_events WHERE seq = 3")
    code, _, err = run(capsys, "audit", "verify", "--url", db_url)
    assert code == 1 and "removed from the end" in err and "event 3" in err


def test_check_reports_what_does_not_add_up(ctx, capsys):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("EL-1002", 2)])
    result = refunds.issue_refund(ctx, world.finance, rma)
    code, out, _ = run(capsys, "check", "--url", ctx.db.url)
    assert code == 0 and "sound" in out
    _sql(ctx.db.url, "UPDATE journal_lines SET debit_minor = debit_minor + 1 WHERE id = "
                     "(SELECT min(id) FROM journal_lines WHERE debit_minor > 0)")
    code, _, err = run(capsys, "check", "--url", ctx.db.url)
    assert code == 1
    assert "[unbalanced_entry]" in err and result.entry_no in err


def test_import_orders_from_the_command_line(ctx, capsys, tmp_path):
    build_world(ctx)
    path = write_csv(tmp_path / "shop.csv", good_rows())
    code, out, _ = run(capsys, "import", "orders", str(path), "--url", ctx.db.url)
    assert code == 0 and "Imported 3 orders (4 lines, 7 units" in out and "SO-5001 .. SO-5003" in out
    code, _, err = run(capsys, "import", "orders", str(path), "--url", ctx.db.url)
    assert code == 1
    assert "nothing was imported" in err
    # Each order is named once, at its first row.
    for row, order_no in ((2, "SO-5001"), (4, "SO-5002"), (5, "SO-5003")):
        assert f"row {row}: order {order_no} is already in the database" in err
    assert "Traceback" not in err


def test_import_reads_what_chinese_shops_and_excel_write(ctx, capsys, tmp_path):
    build_world(ctx)
    rows = good_rows()
    text = write_csv(tmp_path / "shop.csv", rows[:2]).read_text(encoding="utf-8")
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    code, out, err = run(capsys, "import", "orders", str(bom), "--encoding", "gb18030", "--url", ctx.db.url)
    assert code == 0, err
    assert "Imported 1 order" in out and "Read as UTF-8 with byte-order mark; the mark overrides --encoding" in out
    gb = tmp_path / "excel.csv"
    gb.write_bytes(write_csv(tmp_path / "rest.csv", rows[2:3]).read_text(encoding="utf-8").encode("gb18030"))
    code, out, err = run(capsys, "import", "orders", str(gb), "--url", ctx.db.url)
    assert code == 0 and "Imported 1 order" in out and "Read as GB18030 (detected)." in out, err
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(list(rows[3]))
    book.active.append([*{**rows[3], "sold_at": 46027.5}.values()])
    book.save(tmp_path / "orders.xlsx")
    code, out, err = run(capsys, "import", "orders", str(tmp_path / "orders.xlsx"), "--url", ctx.db.url)
    assert code == 0 and "Imported 1 order" in out and "Read as Excel workbook, sheet 'Sheet'." in out, err


def test_import_refuses_hostile_files_with_exit_1_never_a_traceback(ctx, capsys, tmp_path):
    build_world(ctx)
    order = {"order_no": "SO-1", "channel": "online", "customer": {"code": "C-1"}, "sold_at": "2026-11-01",
             "payment_method": "card", "lines": [{"line_no": 1, "sku": "EL-1002", "quantity": 1,
                                                  "unit_price": "149.00", "paid": "149.00"}]}
    twice = tmp_path / "twice.json"
    twice.write_text(json.dumps([order, order]), encoding="utf-8")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100000 + "]" * 100000, encoding="utf-8")
    rows = good_rows()
    rows[2]["customer_email"] = "x" * 200 + "@example.cn"
    long_text = write_csv(tmp_path / "long.csv", rows)
    mojibake = tmp_path / "utf8.csv"
    mojibake.write_bytes(write_csv(tmp_path / "plain.csv", good_rows()).read_bytes())
    for path, options, words in [
        (twice, [], "order 2 (SO-1): order SO-1 appears twice in the file"),
        (deep, [], "nested too deeply"),
        (long_text, [], "row 4: customer_email 'xxxxx"),
        (mojibake, ["--encoding", "gbk"], "is UTF-8 text, not gbk"),
    ]:
        code, out, err = run(capsys, "import", "orders", str(path), *options, "--url", ctx.db.url)
        assert (code, out) == (1, ""), (path.name, err)
        assert words in err and "Traceback" not in err, err
    with ctx.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM sales_orders WHERE order_no IN ('SO-1', 'SO-5002')")).scalar() == 0


@pytest.mark.slow
def test_demo_command(db_url, capsys):
    code, out, err = run(capsys, "demo", "--orders", "120", "--returns", "30", "--seed", "5", "--via-services", "0",
                         "--url", db_url)
    assert code == 0, err
    assert "120 orders" in out and "30 returns: 0 through the use cases, 30 in bulk" in out
    for account in ("clerk", "clerk123", "inspector", "inspect123", "supervisor", "super123", "manager",
                    "manager123", "finance", "finance123", "admin", "admin123"):
        assert account in out
    assert "sales orders: 120/120" in err and "returns in bulk: 30/30" in err
    code, out, _ = run(capsys, "db", "status", "--url", db_url)
    assert code == 0 and "Returns:   30" in out
    assert run(capsys, "audit", "verify", "--url", db_url)[0] == 0
    assert run(capsys, "check", "--url", db_url)[0] == 0


def test_help_speaks_to_an_administrator(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for command in ("db", "user", "demo", "import", "export", "audit", "check"):
        assert command in out
    with pytest.raises(SystemExit):
        cli.main(["import", "orders", "--help"])
    out = capsys.readouterr().out
    assert "unit_price" in out and "every bad row" in out and "SO-1042" in out
    with pytest.raises(SystemExit):
        cli.main(["user", "add", "--help"])
    assert "supervisor" in capsys.readouterr().out
    assert cli.main([]) == 2 and "COMMAND" in capsys.readouterr().err


def test_errors_are_sentences_not_tracebacks(capsys, tmp_path):
    code, _, err = run(capsys, "db", "status", "--url", "mysql://somewhere/db")
    assert code == 1 and "SQLite and PostgreSQL" in err and "Traceback" not in err
    code, _, err = run(capsys, "import", "orders", str(tmp_path / "missing.csv"),
                       "--url", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert code == 1 and "does not exist" in err and "Traceback" not in err
    code, _, err = run(capsys, "db", "status", "--url", "postgresql://nobody@127.0.0.1:1/none")
    assert code == 1 and "cannot be reached" in err and "Traceback" not in err


@pytest.mark.slow
def test_the_installed_program(tmp_path):
    """One run of the console script as a user starts it: a new file, then its status."""
    program = Path(sys.executable).with_name("returndesk")
    assert program.exists(), "the project is installed in the virtual environment (make install)"
    env = {**os.environ, "RETURNDESK_DB_URL": f"sqlite:///{tmp_path / 'shop.sqlite3'}"}
    upgrade = subprocess.run([str(program), "db", "upgrade"], capture_output=True, text=True, env=env, timeout=300)
    assert upgrade.returncode == 0, upgrade.stderr
    status = subprocess.run([str(program), "db", "status"], capture_output=True, text=True, env=env, timeout=300)
    assert status.returncode == 0, status.stderr
    assert f"local file {tmp_path / 'shop.sqlite3'}" in status.stdout and "up to date" in status.stdout
    assert (tmp_path / "shop.sqlite3").exists()


@pytest.mark.both_databases("the settled time is moved back in each dialect's SQL")
def test_housekeeping_closes_what_is_settled_and_says_so(ctx, capsys):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("AP-2001", 1)])
    refunds.issue_refund(ctx, world.finance, rma)
    code, out, _ = run(capsys, "housekeeping", "--url", ctx.db.url)
    assert code == 0 and "nothing to do" in out
    # Settled three weeks ago (the command runs on the real clock).
    _sql(ctx.db.url, "UPDATE returns SET status_changed_at = status_changed_at - INTERVAL '21 days'"
         if ctx.db.url.startswith("postgresql") else
         "UPDATE returns SET status_changed_at = datetime(status_changed_at, '-21 days')")
    code, out, _ = run(capsys, "housekeeping", "--url", ctx.db.url)
    assert code == 0 and "closed 1 settled return" in out and f"Closed: {rma}" in out
    with ctx.db.read() as s:
        assert s.execute(text("SELECT status FROM returns")).scalar_one() == "closed"
