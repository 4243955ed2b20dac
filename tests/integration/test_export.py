"""Exports of returns, refunds and journal lines: CSV, Excel and JSON parse back with the right
rows and totals; the period is whole days in the chosen time zone; pages follow each other."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import func, select

from returndesk import cli
from returndesk.domain.errors import PermissionDenied, ValidationFailed
from returndesk.domain.money import to_minor
from returndesk.domain.types import Grade
from returndesk.services.usecases import exchange, refunds
from returndesk.services.usecases.exporting import COLUMNS, export
from returndesk.store.schema import JournalEntry, JournalLine, Refund, Return

from .factories import build_world
from .money_support import LineSpec, approved, awaiting

pytestmark = pytest.mark.both_databases(
    "periods cut in SQL on timestamps (aware on PostgreSQL, naive on SQLite); money sums"
)

DAY = date(2026, 11, 27)


@pytest.fixture
def books(ctx, clock):
    """Returns refunded, exchanged and waiting, on 2026-11-27 (UTC) and one on the 28th."""
    world = build_world(ctx)
    first = approved(world, [LineSpec("EL-1002", 2)])
    refunds.issue_refund(ctx, world.finance, first)
    second = approved(world, [LineSpec("AP-2001", 3, grade=Grade.C)])
    refunds.issue_refund(ctx, world.clerk2, second)
    third = approved(world, [LineSpec("EL-1001", 1, reason="defective")])
    exchange.create_exchange(ctx, world.clerk2, third, [("EL-1001", 1)])
    awaiting(world, [LineSpec("HM-4001", 1)])
    clock.advance(days=1)
    late = approved(world, [LineSpec("SH-3001", 1)])
    refunds.issue_refund(ctx, world.finance, late)
    return world


def _db_totals(ctx):
    lo, hi = "2026-11-27 00:00:00", "2026-11-28 00:00:00"

    def day(col):
        return (col >= _ts(lo)) & (col < _ts(hi))

    with ctx.db.read() as s:
        returns = s.execute(
            select(func.count(), func.sum(Return.refund_total_minor)).where(day(Return.created_at))
        ).one()
        refund_rows = s.execute(select(func.count(), func.sum(Refund.amount_minor)).where(day(Refund.issued_at))).one()
        journal = s.execute(
            select(func.count(), func.sum(JournalLine.debit_minor), func.sum(JournalLine.credit_minor))
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id).where(day(JournalEntry.posted_at))
        ).one()
    return returns, refund_rows, journal


def _ts(text):
    from datetime import datetime

    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _read(path, fmt):
    """Rows of an export as dicts of text (csv/json) or values (xlsx)."""
    if fmt == "csv":
        with open(path, encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f)), None
    if fmt == "json":
        data = json.loads(path.read_text(encoding="utf-8"))
        return data["rows"], data
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    # Empty cells at the end of a row are not stored.
    return [dict(zip(header, list(r) + [None] * (len(header) - len(r)), strict=True)) for r in rows[1:]], None


def _amount(value) -> int:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return to_minor(Decimal(str(value)))
    return to_minor(value)


def test_exports_parse_back_with_the_right_totals(ctx, books, tmp_path):
    (n_ret, sum_ret), (n_ref, sum_ref), (n_jl, dr, cr) = _db_totals(ctx)
    assert n_ret == 4 and n_ref == 2 and dr == cr and n_jl > 0
    for fmt in ("csv", "xlsx", "json"):
        _check_format(ctx, books, tmp_path, fmt, (n_ret, sum_ret), (n_ref, sum_ref), (n_jl, dr, cr))


def _check_format(ctx, books, tmp_path, fmt, returns, refunds_, journal):
    (n_ret, sum_ret), (n_ref, sum_ref), (n_jl, dr, cr) = returns, refunds_, journal

    path = tmp_path / f"returns.{fmt}"
    result = export(ctx, books.finance, "returns", start=DAY, end=DAY, fmt=fmt, path=path, page=2)
    rows, envelope = _read(path, fmt)
    assert result.rows == len(rows) == n_ret
    assert sum(_amount(r["refund_total"]) for r in rows) == sum_ret == result.totals["refund_total"]
    assert {r["status"] for r in rows} == {"refunded", "exchanged", "awaiting_approval"}
    assert list(rows[0]) == [name for name, _ in COLUMNS["returns"]]
    # Oldest first, across pages of two.
    rmas = [r["rma_no"] for r in rows]
    assert rmas == sorted(rmas)

    path = tmp_path / f"refunds.{fmt}"
    result = export(ctx, books.finance, "refunds", start=DAY, end=DAY, fmt=fmt, path=path, page=2)
    rows, envelope = _read(path, fmt)
    assert result.rows == len(rows) == n_ref
    assert sum(_amount(r["amount"]) for r in rows) == sum_ref
    assert all(r["credit_note_no"] for r in rows)
    if fmt == "json":
        assert envelope["count"] == n_ref and _amount(envelope["totals"]["amount"]) == sum_ref
        assert (envelope["export"], envelope["from"], envelope["to"]) == ("refunds", "2026-11-27", "2026-11-27")
        assert isinstance(rows[0]["amount"], str) and "." in rows[0]["amount"]
    if fmt == "xlsx":
        assert isinstance(rows[0]["amount"], int | float)

    path = tmp_path / f"journal.{fmt}"
    result = export(ctx, books.finance, "journal", start=DAY, end=DAY, fmt=fmt, path=path, page=2)
    rows, _ = _read(path, fmt)
    assert result.rows == len(rows) == n_jl
    debits = sum(_amount(r["debit"]) for r in rows)
    credits = sum(_amount(r["credit"]) for r in rows)
    assert debits == credits == dr == cr == result.totals["debit"] == result.totals["credit"]
    by_entry: dict[str, list[int]] = {}
    for r in rows:
        by_entry.setdefault(r["entry_no"], [0, 0])
        by_entry[r["entry_no"]][0] += _amount(r["debit"])
        by_entry[r["entry_no"]][1] += _amount(r["credit"])
    assert all(d == c for d, c in by_entry.values()), "every exported entry balances"


def test_period_and_time_zone(ctx, books, tmp_path):
    both = export(ctx, books.finance, "returns", start=DAY, end=date(2026, 11, 28), fmt="csv",
                  path=tmp_path / "a.csv")
    next_day = export(ctx, books.finance, "returns", start=date(2026, 11, 28), end=date(2026, 11, 28),
                      fmt="csv", path=tmp_path / "b.csv")
    assert (both.rows, next_day.rows) == (5, 1)
    # 09:00 UTC on the 28th is 17:00 in Shanghai the same day; 09:00 UTC on the 27th is 17:00 there too.
    shanghai = export(ctx, books.finance, "returns", start=date(2026, 11, 28), end=date(2026, 11, 28),
                      fmt="csv", path=tmp_path / "c.csv", tz=ZoneInfo("Asia/Shanghai"))
    assert shanghai.rows == 1
    rows, _ = _read(tmp_path / "c.csv", "csv")
    assert rows[0]["created_at"].endswith("+08:00") and rows[0]["created_at"].startswith("2026-11-28T17:00")
    # Honolulu is 10 hours behind: 09:00 UTC on the 27th is still the 26th there.
    honolulu = export(ctx, books.finance, "returns", start=date(2026, 11, 26), end=date(2026, 11, 26),
                      fmt="csv", path=tmp_path / "d.csv", tz=ZoneInfo("Pacific/Honolulu"))
    assert honolulu.rows == 4
    empty = export(ctx, books.finance, "refunds", start=date(2025, 1, 1), end=date(2025, 1, 31), fmt="json",
                   path=tmp_path / "e.json")
    assert empty.rows == 0 and json.loads((tmp_path / "e.json").read_text())["rows"] == []


def test_refusals_leave_no_file(ctx, books, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(ValidationFailed, match="before it starts"):
        export(ctx, books.finance, "returns", start=DAY, end=date(2026, 11, 1), fmt="csv", path=tmp_path / "x.csv")
    with pytest.raises(ValidationFailed, match="does not exist"):
        export(ctx, books.finance, "returns", start=DAY, end=DAY, fmt="csv", path=tmp_path / "no" / "x.csv")
    with pytest.raises(PermissionDenied):
        export(ctx, books.inspector, "refunds", start=DAY, end=DAY, fmt="csv", path=tmp_path / "x.csv")
    assert list(tmp_path.iterdir()) == []


def test_export_from_the_command_line(ctx, books, tmp_path, capsys):
    url = ctx.db.url
    path = tmp_path / "journal.xlsx"
    code = cli.main(["export", "journal", "--from", "2026-11-27", "--to", "2026-11-27", "-o", str(path),
                     "--url", url])
    assert code == 0
    rows, _ = _read(path, "xlsx")
    assert sum(_amount(r["debit"]) for r in rows) == sum(_amount(r["credit"]) for r in rows) > 0
    err = capsys.readouterr().err
    assert f"Exported {len(rows)} rows of journal" in err

    code = cli.main(["--url", url, "export", "refunds", "--from", "2026-11-27", "--to", "2026-11-28",
                     "--format", "json", "-o", "-", "--timezone", "Asia/Shanghai"])
    out = capsys.readouterr().out
    assert code == 0 and json.loads(out)["timezone"] == "Asia/Shanghai"

    # Without --timezone the days and times are the installation's own.
    from returndesk.services.usecases import sites

    zone = sites.ensure_installation_zone(ctx, "America/New_York")
    assert zone == sites.station_time(ctx).time_zone != "UTC"
    code = cli.main(["--url", url, "export", "refunds", "--from", "2026-11-27", "--to", "2026-11-28",
                     "--format", "json", "-o", "-"])
    out = capsys.readouterr().out
    assert code == 0 and json.loads(out)["timezone"] == zone

    code = cli.main(["export", "refunds", "--from", "2026-11-27", "--to", "2026-11-27", "-o", str(tmp_path / "r.txt"),
                     "--url", url])
    assert code == 1 and "Cannot tell the format" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        cli.main(["export", "refunds", "--from", "27.11.2026", "--to", "2026-11-27", "-o", "x.csv", "--url", url])
    assert usage.value.code == 2 and "not a date" in capsys.readouterr().err
    assert not (tmp_path / "r.txt").exists()


def test_csv_is_excel_friendly(ctx, books, tmp_path):
    path = tmp_path / "refunds.csv"
    export(ctx, books.finance, "refunds", start=DAY, end=DAY, fmt="csv", path=path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a byte-order mark makes Excel read UTF-8"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows and all(r["amount"].count(".") == 1 and len(r["amount"].split(".")[1]) == 2 for r in rows)
