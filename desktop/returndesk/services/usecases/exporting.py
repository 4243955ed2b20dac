"""Exporting returns, refunds and journal lines for accounting and analysis (CSV, Excel, JSON).

Rows are read page by page with keyset pagination (``WHERE (ts, id) > (:ts, :id) ORDER BY ts, id
LIMIT n``) inside one read transaction, and written as they come, so a year of data never sits in
memory and the file is one consistent snapshot. The file appears only when it is complete: it is
written under a temporary name next to the target and renamed at the end.

Dates ``start``..``end`` are whole days, both included, in the time zone given (UTC unless told
otherwise); timestamps in the file are in that zone too (ISO 8601 with offset in CSV and JSON).
Amounts are decimal strings with two decimals in CSV and JSON (``"123.45"``) and numbers in Excel.
CSV files are UTF-8 with a byte-order mark, so that Excel shows Chinese names correctly.

* ``returns`` — one row per return created in the period (status, order, customer, refund figures)
* ``refunds`` — one row per refund issued in the period (method, amount, credit note)
* ``journal`` — one row per journal line of the entries posted in the period (account, debit,
  credit); debits equal credits per entry

A file is data for other systems and reads the same whatever the language of whoever writes it
(the command line or the finance desk): statuses, methods and accounts as their codes, column
names as above, journal memos as their English text.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Row, Select, func, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.money import to_major
from returndesk.domain.permissions import Permission
from returndesk.store.schema import (
    CreditNote,
    Customer,
    JournalEntry,
    JournalLine,
    Refund,
    Return,
    ReturnLine,
    SalesOrder,
    User,
)

from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.domain.messages import load_text, msg, os_detail, os_reason, text_of, with_detail

KINDS = ("returns", "refunds", "journal")
FORMATS = ("csv", "xlsx", "json")
PAGE = 1000

TEXT, INT, MONEY, TIMESTAMP, BOOL = "text", "int", "money", "timestamp", "bool"

COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "returns": (
        ("rma_no", TEXT), ("status", TEXT), ("created_at", TIMESTAMP), ("status_changed_at", TIMESTAMP),
        ("order_no", TEXT), ("customer_code", TEXT), ("customer_name", TEXT), ("customer_phone", TEXT),
        ("channel", TEXT), ("resolution", TEXT), ("refund_method", TEXT), ("in_policy", BOOL),
        ("override_reason", TEXT), ("approval_level", TEXT), ("lines", INT), ("units_requested", INT),
        ("units_received", INT), ("units_accepted", INT), ("refund_total", MONEY), ("deductions", MONEY),
        ("shipping_refund", MONEY), ("currency", TEXT), ("created_by", TEXT), ("created_station", TEXT),
    ),
    "refunds": (
        ("refund_no", TEXT), ("issued_at", TIMESTAMP), ("rma_no", TEXT), ("order_no", TEXT),
        ("customer_code", TEXT), ("customer_name", TEXT), ("method", TEXT), ("amount", MONEY),
        ("currency", TEXT), ("credit_note_no", TEXT), ("credit_note_net", MONEY),
        ("credit_note_tax", MONEY), ("issued_by", TEXT), ("station", TEXT), ("external_ref", TEXT),
    ),
    "journal": (
        ("entry_no", TEXT), ("posted_at", TIMESTAMP), ("rma_no", TEXT), ("refund_no", TEXT),
        ("entry_memo", TEXT), ("account", TEXT), ("debit", MONEY), ("credit", MONEY), ("line_memo", TEXT),
    ),
}


@dataclass(frozen=True)
class ExportResult:
    """What was exported: rows written and the sum of each amount column (minor units)."""

    kind: str
    fmt: str
    path: str
    rows: int
    totals: dict[str, int]
    start: date
    end: date


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    # SQLite hands back naive UTC, PostgreSQL aware timestamps.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def period_bounds(start: date, end: date, tz: tzinfo = UTC) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in ``tz``, as UTC instants."""
    if end < start:
        raise ValidationFailed(msg(
            "The period ends ({end}) before it starts ({start}); swap --from and --to.",
            end=end, start=start))
    lo = datetime.combine(start, time(0), tzinfo=tz).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return lo, hi


def _bind(session: Session, value: datetime) -> datetime:
    # SQLite stores the UTC wall clock as text; compare like with like.
    return value.replace(tzinfo=None) if session.get_bind().dialect.name == "sqlite" else value


# --------------------------------------------------------------------------- the readers (one page at a time)


def _pages(
    session: Session,
    ts_col: InstrumentedAttribute[datetime],
    id_col: InstrumentedAttribute[int],
    base: Select[*tuple[Any, ...]],
    lo: datetime,
    hi: datetime,
    page: int,
) -> Iterator[Sequence[Row[*tuple[Any, ...]]]]:
    """Yield pages of rows of ``base`` ordered by (ts, id) within [lo, hi), by keyset."""
    last: tuple[Any, Any] | None = None
    while True:
        stmt = base.where(ts_col >= _bind(session, lo), ts_col < _bind(session, hi))
        if last is not None:
            stmt = stmt.where(tuple_(ts_col, id_col) > tuple_(*last))
        rows = session.execute(stmt.order_by(ts_col, id_col).limit(page)).all()
        if not rows:
            return
        yield rows
        last_row = rows[-1]
        last = (last_row._mapping[ts_col.key], last_row._mapping[id_col.key])
        if len(rows) < page:
            return


def _return_rows(session: Session, lo: datetime, hi: datetime, page: int) -> Iterator[dict[str, Any]]:
    creator = aliased(User)
    base = (
        select(Return.id, Return.created_at, Return.rma_no, Return.status, Return.status_changed_at,
               SalesOrder.order_no, Customer.code.label("customer_code"), Customer.name.label("customer_name"),
               Customer.phone.label("customer_phone"), Return.channel, Return.resolution, Return.refund_method,
               Return.in_policy, Return.override_reason, Return.approval_level, Return.refund_total_minor,
               Return.deductions_minor, Return.shipping_refund_minor, Return.currency,
               creator.username.label("created_by"), Return.created_station)
        .join(SalesOrder, SalesOrder.id == Return.order_id)
        .outerjoin(Customer, Customer.id == Return.customer_id)
        .join(creator, creator.id == Return.created_by)
    )
    for rows in _pages(session, Return.created_at, Return.id, base, lo, hi, page):
        ids = [r.id for r in rows]
        units = {
            rid: (n, req, rec, acc)
            for rid, n, req, rec, acc in session.execute(
                select(ReturnLine.return_id, func.count(), func.sum(ReturnLine.qty_requested),
                       func.sum(ReturnLine.qty_received), func.sum(ReturnLine.qty_accepted))
                .where(ReturnLine.return_id.in_(ids)).group_by(ReturnLine.return_id)
            )
        }
        for r in rows:
            n, req, rec, acc = units.get(r.id, (0, 0, 0, 0))
            yield {
                "rma_no": r.rma_no, "status": r.status, "created_at": _utc(r.created_at),
                "status_changed_at": _utc(r.status_changed_at), "order_no": r.order_no,
                "customer_code": r.customer_code, "customer_name": r.customer_name,
                "customer_phone": r.customer_phone, "channel": r.channel, "resolution": r.resolution,
                "refund_method": r.refund_method, "in_policy": r.in_policy,
                "override_reason": r.override_reason, "approval_level": r.approval_level,
                "lines": int(n or 0), "units_requested": int(req or 0), "units_received": int(rec or 0),
                "units_accepted": int(acc or 0), "refund_total": r.refund_total_minor,
                "deductions": r.deductions_minor, "shipping_refund": r.shipping_refund_minor,
                "currency": r.currency, "created_by": r.created_by, "created_station": r.created_station,
            }


def _refund_rows(session: Session, lo: datetime, hi: datetime, page: int) -> Iterator[dict[str, Any]]:
    base = (
        select(Refund.id, Refund.issued_at, Refund.refund_no, Return.rma_no, SalesOrder.order_no,
               Customer.code.label("customer_code"), Customer.name.label("customer_name"), Refund.method,
               Refund.amount_minor, Refund.currency, CreditNote.number.label("credit_note_no"),
               CreditNote.net_minor, CreditNote.tax_minor, User.username.label("issued_by"), Refund.station,
               Refund.external_ref)
        .join(Return, Return.id == Refund.return_id)
        .join(SalesOrder, SalesOrder.id == Return.order_id)
        .outerjoin(Customer, Customer.id == Return.customer_id)
        .outerjoin(CreditNote, CreditNote.id == Refund.credit_note_id)
        .join(User, User.id == Refund.issued_by)
    )
    for rows in _pages(session, Refund.issued_at, Refund.id, base, lo, hi, page):
        for r in rows:
            yield {
                "refund_no": r.refund_no, "issued_at": _utc(r.issued_at), "rma_no": r.rma_no,
                "order_no": r.order_no, "customer_code": r.customer_code, "customer_name": r.customer_name,
                "method": r.method, "amount": r.amount_minor, "currency": r.currency,
                "credit_note_no": r.credit_note_no, "credit_note_net": r.net_minor,
                "credit_note_tax": r.tax_minor, "issued_by": r.issued_by, "station": r.station,
                "external_ref": r.external_ref,
            }


def _memo(stored: str | None) -> str | None:
    # A file for accounting is the same whoever writes it: codes as codes, memos in English.
    return text_of(load_text(stored)) if stored else stored


def _journal_rows(session: Session, lo: datetime, hi: datetime, page: int) -> Iterator[dict[str, Any]]:
    base = (
        select(JournalEntry.id, JournalEntry.posted_at, JournalEntry.entry_no, JournalEntry.memo,
               Return.rma_no, Refund.refund_no)
        .outerjoin(Return, Return.id == JournalEntry.return_id)
        .outerjoin(Refund, Refund.id == JournalEntry.refund_id)
    )
    for entries in _pages(session, JournalEntry.posted_at, JournalEntry.id, base, lo, hi, page):
        by_entry: dict[int, list[Any]] = {}
        for line in session.execute(
            select(JournalLine.entry_id, JournalLine.id, JournalLine.account, JournalLine.debit_minor,
                   JournalLine.credit_minor, JournalLine.memo)
            .where(JournalLine.entry_id.in_([e.id for e in entries])).order_by(JournalLine.id)
        ):
            by_entry.setdefault(line.entry_id, []).append(line)
        for e in entries:
            for line in by_entry.get(e.id, []):
                yield {
                    "entry_no": e.entry_no, "posted_at": _utc(e.posted_at), "rma_no": e.rma_no,
                    "refund_no": e.refund_no, "entry_memo": _memo(e.memo), "account": line.account,
                    "debit": line.debit_minor, "credit": line.credit_minor, "line_memo": _memo(line.memo),
                }


_READERS: dict[str, Callable[[Session, datetime, datetime, int], Iterator[dict[str, Any]]]] = {
    "returns": _return_rows,
    "refunds": _refund_rows,
    "journal": _journal_rows,
}


# --------------------------------------------------------------------------- the writers


def _money_text(minor: int | None) -> str:
    return "" if minor is None else str(to_major(minor))


def _local(value: datetime | None, tz: tzinfo) -> datetime | None:
    return None if value is None else value.astimezone(tz)


class _CsvWriter:
    def __init__(self, out: IO[str], kind: str, tz: tzinfo, *,
                 columns: tuple[tuple[str, str], ...] | None = None, headers: Sequence[str] | None = None) -> None:
        self.columns = columns if columns is not None else COLUMNS[kind]
        self.tz = tz
        self.writer = csv.writer(out, lineterminator="\r\n")
        self.writer.writerow(list(headers) if headers is not None else [name for name, _ in self.columns])

    def row(self, data: dict[str, Any]) -> None:
        out = []
        for name, kind in self.columns:
            value = data.get(name)
            if kind == MONEY:
                out.append(_money_text(value))
            elif kind == TIMESTAMP:
                stamp = _local(value, self.tz)
                out.append(stamp.isoformat(timespec="seconds") if stamp else "")
            elif kind == BOOL:
                out.append("" if value is None else ("true" if value else "false"))
            else:
                out.append("" if value is None else value)
        self.writer.writerow(out)

    def close(self, rows: int, totals: dict[str, int]) -> None:
        pass


class _JsonWriter:
    def __init__(self, out: IO[str], kind: str, tz: tzinfo, header: dict[str, Any]) -> None:
        self.out = out
        self.columns = COLUMNS[kind]
        self.tz = tz
        self.first = True
        head = json.dumps(header, ensure_ascii=False)
        # The envelope is written around the streamed rows: head fields, then "rows", then totals.
        out.write(head[:-1] + ', "rows": [')

    def row(self, data: dict[str, Any]) -> None:
        item: dict[str, Any] = {}
        for name, kind in self.columns:
            value = data.get(name)
            if kind == MONEY:
                item[name] = None if value is None else _money_text(value)
            elif kind == TIMESTAMP:
                stamp = _local(value, self.tz)
                item[name] = stamp.isoformat(timespec="seconds") if stamp else None
            else:
                item[name] = value
        self.out.write(("\n  " if self.first else ",\n  ") + json.dumps(item, ensure_ascii=False))
        self.first = False

    def close(self, rows: int, totals: dict[str, int]) -> None:
        tail = {"count": rows, "totals": {k: _money_text(v) for k, v in totals.items()}}
        self.out.write("\n], " + json.dumps(tail, ensure_ascii=False)[1:] + "\n")


class _XlsxWriter:
    def __init__(self, path: Path | IO[bytes], kind: str, tz: tzinfo, *,
                 columns: tuple[tuple[str, str], ...] | None = None, headers: Sequence[str] | None = None) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        self.path = path
        self.columns = columns if columns is not None else COLUMNS[kind]
        self.tz = tz
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet(title=kind)
        self.sheet.freeze_panes = "A2"
        widths = {TEXT: 18, INT: 9, MONEY: 13, TIMESTAMP: 20, BOOL: 9}
        for i, (_name, kind_) in enumerate(self.columns):
            letter = _column_letter(i)
            self.sheet.column_dimensions[letter].width = widths[kind_]
        self._cell = WriteOnlyCell
        bold = Font(bold=True)
        header = []
        for name in (list(headers) if headers is not None else [name for name, _ in self.columns]):
            cell = WriteOnlyCell(self.sheet, value=name)
            cell.font = bold
            header.append(cell)
        self.sheet.append(header)

    def row(self, data: dict[str, Any]) -> None:
        out: list[Any] = []
        for name, kind in self.columns:
            value = data.get(name)
            if kind == MONEY:
                cell = self._cell(self.sheet, value=None if value is None else to_major(value))
                cell.number_format = "#,##0.00"
                out.append(cell)
            elif kind == TIMESTAMP:
                stamp = _local(value, self.tz)
                # Excel has no time zones: the local wall clock of the export's zone.
                cell = self._cell(self.sheet, value=stamp.replace(tzinfo=None) if stamp else None)
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
                out.append(cell)
            else:
                out.append(value)
        self.sheet.append(out)

    def close(self, rows: int, totals: dict[str, int]) -> None:
        self.book.save(self.path)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def write_file(path: str | Path, data: bytes) -> Path:
    """Write a finished document (a PDF, an xlsx made in memory) to ``path``: whole or not at all."""
    if str(path) == "-":
        raise ValidationFailed(msg("This file is not text; give a file name to write it to."))
    with _target(path, binary=True) as (partial, _out):
        assert partial is not None
        partial.write_bytes(data)
    return Path(path)


@contextmanager
def _target(path: str | Path, binary: bool) -> Iterator[tuple[Path | None, IO[str] | None]]:
    """A temporary file next to ``path`` renamed over it on success (or stdout for "-")."""
    if str(path) == "-":
        yield None, sys.stdout
        sys.stdout.flush()
        return
    final = Path(path)
    if final.is_dir():
        raise ValidationFailed(msg(
            "{final} is a folder; give a file name, e.g. {final2}.",
            final=final, final2=final / 'export.csv'))
    if not final.parent.exists():
        raise ValidationFailed(msg(
            "The folder {parent} does not exist; create it or choose another.",
            parent=final.parent))
    partial = final.with_name(f".{final.name}.partial")
    try:
        if binary:
            yield partial, None
        else:
            with open(partial, "w", encoding="utf-8-sig" if final.suffix.lower() == ".csv" else "utf-8",
                      newline="") as out:
                yield partial, out
        os.replace(partial, final)
    except PermissionError as exc:
        raise ValidationFailed(with_detail(msg(
            "Cannot write {final}: {reason}. Choose another place.",
            final=final, reason=os_reason(exc)), os_detail(exc))) from None
    finally:
        if partial.exists():
            partial.unlink()


def export(
    ctx: ServiceContext,
    actor: Actor | None,
    kind: str,
    *,
    start: date,
    end: date,
    fmt: str,
    path: str | Path,
    tz: tzinfo = UTC,
    page: int = PAGE,
) -> ExportResult:
    """Write the ``kind`` rows of the days ``start``..``end`` (in ``tz``) to ``path`` as ``fmt``.

    ``actor`` None is the command line run by the machine's administrator. ``path`` "-" writes
    CSV or JSON to standard output.
    """
    if actor is not None:
        actor.require(Permission.EXPORT)
    if kind not in KINDS:
        raise ValidationFailed(msg(
            "'{kind}' cannot be exported; choose one of {kinds}.",
            kind=kind, kinds=', '.join(KINDS)))
    if fmt not in FORMATS:
        raise ValidationFailed(msg(
            "'{fmt}' is not an export format; choose one of {formats}.",
            fmt=fmt, formats=', '.join(FORMATS)))
    if fmt == "xlsx" and str(path) == "-":
        raise ValidationFailed(msg("An Excel file cannot go to the screen; give a file name with -o."))
    lo, hi = period_bounds(start, end, tz)
    money_columns = [name for name, k in COLUMNS[kind] if k == MONEY]
    totals = dict.fromkeys(money_columns, 0)
    rows = 0
    with _target(path, binary=(fmt == "xlsx")) as (partial, out):
        writer: _CsvWriter | _JsonWriter | _XlsxWriter
        if fmt == "csv":
            assert out is not None  # a text target
            writer = _CsvWriter(out, kind, tz)
        elif fmt == "json":
            assert out is not None  # a text target
            header = {"export": kind, "from": start.isoformat(), "to": end.isoformat(),
                      "timezone": str(tz), "generated_at": ctx.now().astimezone(tz).isoformat(timespec="seconds")}
            writer = _JsonWriter(out, kind, tz, header)
        else:
            assert partial is not None
            writer = _XlsxWriter(partial, kind, tz)
        with ctx.read(actor) as s:
            for data in _READERS[kind](s, lo, hi, page):
                writer.row(data)
                rows += 1
                for name in money_columns:
                    totals[name] += data.get(name) or 0
        writer.close(rows, totals)
    return ExportResult(kind, fmt, str(path), rows, totals, start, end)
