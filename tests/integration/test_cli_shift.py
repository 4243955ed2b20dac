"""Counter cash shifts and the red-letter invoice data from the command line, on the database
itself: ``returndesk --user NAME shift open|status|close|report|list`` and
``returndesk export red-letter``. (Through the server: tests/integration/test_cli_remote.py.)"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from returndesk import cli
from returndesk.domain.types import Channel, RefundMethod
from returndesk.services.usecases import counter, intake
from returndesk.store.schema import AuditEvent, CashShift, JournalEntry, Refund
from sqlalchemy import select

from .factories import PASSWORD, build_world, make_order
from .money_support import CONDITIONS, order_line_ids


def run(monkeypatch, capsys, url: str, *argv: str, password: str = PASSWORD) -> tuple[int, str, str]:
    asked: list[str] = []

    def ask(prompt: str = "") -> str:
        asked.append(prompt)
        return password

    monkeypatch.setattr("getpass.getpass", ask)
    code = cli.main([*argv, "--url", url])
    out, err = capsys.readouterr()
    assert len(asked) <= 1, "only the user's password is asked"
    return code, out, err


def _cash_return(world, sku: str) -> str:
    order_no = make_order(world, [(sku, 1)], channel="store", days_ago=1)
    ids = order_line_ids(world, order_no)
    draft = intake.ReturnDraft(
        order_no=order_no, channel=Channel.COUNTER, refund_method=RefundMethod.CASH,
        lines=(intake.DraftLine(order_line_id=ids[sku], quantity=1, reason_code="changed_mind",
                                conditions_met=CONDITIONS),))
    result = counter.counter_return(world.ctx, world.clerk, draft)
    assert result.refunded
    return result.refund.refund.refund_no


def test_a_clerk_runs_the_drawer_from_the_command_line(ctx, db_url, monkeypatch, capsys, tmp_path):
    world = build_world(ctx)
    user, station = world.clerk.username, world.clerk.station

    code, out, err = run(monkeypatch, capsys, db_url, "--user", user, "shift", "open", "--station", station,
                         "--float", "500")
    assert code == 0, err
    assert out.strip() == f"Cash shift CS-2026-000001 opened at {station} with a float of ¥500.00."
    refunds = [_cash_return(world, "AP-2001"), _cash_return(world, "HM-4001")]  # ¥79.00 and ¥49.00

    code, out, err = run(monkeypatch, capsys, db_url, "--user", user, "shift", "status", "--station", station)
    assert code == 0, err
    assert "cash paid out ¥128.00 in 2 refunds" in out and "expected      ¥372.00" in out

    code, out, err = run(monkeypatch, capsys, db_url, "--user", user, "shift", "close", "--station", station,
                         "--counted", "370")
    assert code == 1 and "write a note on the difference of -¥2.00" in err
    code, out, err = run(monkeypatch, capsys, db_url, "--user", user, "shift", "close", "--station", station,
                         "--counted", "370", "--note", "Coin roll missing")
    assert code == 0, err
    assert "expected ¥372.00, counted ¥370.00, difference ¥2.00 short, posted as journal entry" in out
    with ctx.db.read() as s:
        shift = s.execute(select(CashShift)).scalar_one()
        assert (shift.status, shift.counted_minor, shift.difference_minor, shift.closed_by) == (
            "closed", 37000, -200, world.clerk.user_id)
        assert s.execute(select(JournalEntry.entry_no).where(JournalEntry.entry_no == shift.entry_no)).scalar_one()
        assert sorted(s.execute(select(Refund.refund_no).where(Refund.cash_shift_id == shift.id)).scalars()) \
            == sorted(refunds)
        audited = s.execute(select(AuditEvent.action, AuditEvent.username)
                            .where(AuditEvent.entity == "cash_shift").order_by(AuditEvent.seq)).all()
    assert [tuple(a) for a in audited] == [("opened", user), ("closed", user)]

    # Finance reads the report on the screen and as the PDF, and lists the period's shifts.
    fin = world.finance.username
    code, out, err = run(monkeypatch, capsys, db_url, "--user", fin, "shift", "report", "cs-2026-000001")
    assert code == 0, err
    assert "difference    ¥2.00 short" in out and "note          Coin roll missing" in out
    assert all(no in out for no in refunds)
    pdf = tmp_path / "shift.pdf"
    code, out, err = run(monkeypatch, capsys, db_url, "--user", fin, "shift", "report", "CS-2026-000001",
                         "-o", str(pdf), "--lang", "zh_CN")
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")
    day = ctx.now().date().isoformat()
    code, out, err = run(monkeypatch, capsys, db_url, "--user", fin, "shift", "list", "--from", "2026-01-01",
                         "--to", "2026-12-31")
    assert code == 0, err
    assert out.startswith("CS-2026-000001") and "difference ¥2.00 short" in out and "1 cash shift" in err

    # The credit notes of the two refunds as the e-invoicing platform imports them.
    target = tmp_path / "red-letter.xlsx"
    code, out, err = cli.main(["export", "red-letter", "--from", day, "--to", day, "-o", str(target),
                               "--url", db_url]), *capsys.readouterr()
    assert code == 0, err
    sheet = load_workbook(io.BytesIO(target.read_bytes())).active
    assert sheet.max_row >= 3  # the header and a line per credit note line
    assert "Exported 2 rows" in err


def test_the_command_line_refuses_a_wrong_password_a_second_shift_and_a_csv_red_letter(
        ctx, db_url, monkeypatch, capsys, tmp_path):
    world = build_world(ctx)
    user, station = world.clerk.username, world.clerk.station
    code, _out, err = run(monkeypatch, capsys, db_url, "--user", user, "shift", "open", "--station", station,
                          "--float", "500", password="wrong")
    assert code == 1 and "Wrong user name or password" in err
    assert run(monkeypatch, capsys, db_url, "--user", user, "shift", "open", "--station", station,
               "--float", "500")[0] == 0
    code, _out, err = run(monkeypatch, capsys, db_url, "--user", user, "shift", "open", "--station", station,
                          "--float", "100")
    assert code == 1 and "has an open cash shift already" in err
    code, _out, err = run(monkeypatch, capsys, db_url, "--user", world.inspector.username, "shift", "status",
                          "--station", station)
    assert code == 1 and "Traceback" not in err
    with pytest.raises(SystemExit) as refused:
        cli.main(["--user", user, "shift", "open", "--station", station, "--float", "abc", "--url", db_url])
    assert refused.value.code == 2 and "is not an amount" in capsys.readouterr().err
    code = cli.main(["export", "red-letter", "--from", "2026-11-01", "--to", "2026-11-30",
                     "-o", str(tmp_path / "r.csv"), "--url", db_url])
    assert code == 1 and "Excel file only" in capsys.readouterr().err
    assert not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize("argv", [["shift", "--help"], ["shift", "close", "--help"], ["export", "--help"]])
def test_the_help_names_the_shift_commands_and_red_letter(capsys, argv):
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert ("red-letter" in out) if argv[0] == "export" else ("--station" in out or "close" in out)
