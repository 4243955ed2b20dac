"""The finance desk: refunds, credit notes and journal lines of a period, their totals, and files.

Periods are whole days of the user's site (the station's time zone), both days included, as the
exports count them. Lists are keyset-paged in time order; totals are aggregated by the database.

Files are made here and handed back as bytes, so that the screen of a station working through the
ReturnDesk server saves them where its user chooses:

* ``returns``, ``refunds``, ``journal`` — the exports of the command line (CSV, Excel, JSON);
* ``red_letter`` — the data of red-letter VAT invoices (红字发票) for the shop's e-invoicing
  platform, as Excel: one row per credited line, citing the sale's (blue) invoice number, with
  the tax rate and the amounts as negative figures.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.money import to_major
from returndesk.domain.permissions import Permission
from returndesk.domain.postings import ACCOUNTS
from returndesk.domain.types import RefundMethod
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.views import Page
from returndesk.services.usecases import exporting
from returndesk.services.usecases.sites import (
    site_of_station,
    zone_for_station,
    zone_name_for_site,
)
from returndesk.store.schema import (
    CashShift,
    CreditNote,
    Customer,
    JournalEntry,
    JournalLine,
    Product,
    Refund,
    RefundLine,
    Return,
    ReturnLine,
    SalesOrder,
    User,
)
from returndesk.domain.messages import load_text, msg

RED_LETTER = "red_letter"
FILE_KINDS = (*exporting.KINDS, RED_LETTER)
MAX_PAGE = 500


@dataclass(frozen=True)
class DeskRefund:
    id: int
    refund_no: str
    issued_at: datetime
    rma_no: str
    order_no: str
    customer_name: str | None
    method: str
    amount_minor: int
    currency: str
    credit_note_no: str | None
    station: str | None
    issued_by: str
    cash_shift_no: str | None


@dataclass(frozen=True)
class DeskCreditNote:
    id: int
    number: str
    issued_at: datetime
    rma_no: str
    order_no: str
    invoice_no: str | None
    customer_name: str | None
    net_minor: int
    tax_minor: int
    total_minor: int
    currency: str


@dataclass(frozen=True)
class DeskJournalLine:
    id: int
    entry_no: str
    posted_at: datetime
    rma_no: str | None
    refund_no: str | None
    account: str
    account_name: str
    debit_minor: int
    credit_minor: int
    memo: str | None


@dataclass(frozen=True)
class MethodTotal:
    method: str
    count: int
    amount_minor: int


@dataclass(frozen=True)
class AccountTotal:
    account: str
    name: str
    debit_minor: int
    credit_minor: int


@dataclass(frozen=True)
class DeskTotals:
    """Totals of a period: refunds per method, credit notes, journal per account."""

    date_from: date
    date_to: date
    time_zone: str
    refunds: int
    refunded_minor: int
    methods: tuple[MethodTotal, ...]
    credit_notes: int
    credit_net_minor: int
    credit_tax_minor: int
    credit_total_minor: int
    accounts: tuple[AccountTotal, ...]
    debit_minor: int
    credit_minor: int


@dataclass(frozen=True)
class ExportFile:
    """A file made for the user to save: its proposed name, its bytes, what it holds."""

    file_name: str
    data: bytes
    rows: int
    #: Sum of each amount column, minor units, by column name.
    totals: tuple[tuple[str, int], ...]
    #: Things the user should know before sending the file on (e.g. sales without invoice number).
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- helpers


def _bounds(session: Session, ctx: ServiceContext, actor: Actor | None, date_from: date, date_to: date
            ) -> tuple[datetime, datetime]:
    if not isinstance(date_from, date) or not isinstance(date_to, date):
        raise ValidationFailed(msg("Give the first and the last day of the period."))
    station = (actor.station if actor is not None else None) or ctx.station
    lo, hi = exporting.period_bounds(date_from, date_to, zone_for_station(session, station))
    return exporting._bind(session, lo), exporting._bind(session, hi)


def _limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValidationFailed(msg("The number of rows to list must be at least 1, not {limit!r}.", limit=limit))
    return min(limit, MAX_PAGE)


def _after(stmt: Any, ts_col: Any, id_col: Any, after: str | None, session: Session) -> Any:
    if after is None:
        return stmt
    ts, last_id = Page.decode_cursor(after)
    if not isinstance(ts, datetime) or not isinstance(last_id, int):
        raise ValidationFailed(msg("The list's position is not valid any more; load the list again."))
    ts = exporting._bind(session, ts)
    return stmt.where((ts_col > ts) | ((ts_col == ts) & (id_col > last_id)))


def _page(rows: list[Any], limit: int, make: Any, key: Any) -> Page[Any]:
    more = len(rows) > limit
    rows = rows[:limit]
    items = tuple(make(r) for r in rows)
    return Page(items, Page.encode_cursor(*key(rows[-1])) if more and rows else None)


def _method(value: RefundMethod | str | None) -> str | None:
    if value is None or value == "":
        return None
    try:
        return RefundMethod(value).value
    except ValueError:
        raise ValidationFailed(
            msg(
                "'{value}' is not a refund method; use one of {value2}.",
                value=str(value)[:24], value2=', '.join(m.value for m in RefundMethod))
        ) from None


# --------------------------------------------------------------------------- lists


def find_desk_refunds(ctx: ServiceContext, actor: Actor, date_from: date, date_to: date, *,
                      method: RefundMethod | str | None = None, text: str | None = None,
                      after: str | None = None, limit: int = 100) -> Page[DeskRefund]:
    """Refunds issued in the period, oldest first; ``method`` keeps one refund method, ``text`` the
    refunds whose refund, RMA, order or credit note number is the text, or whose customer's name
    starts with it."""
    actor.require(Permission.VIEW_FINANCE)
    method = _method(method)
    limit = _limit(limit)
    with ctx.read(actor) as s:
        lo, hi = _bounds(s, ctx, actor, date_from, date_to)
        stmt = (
            select(Refund.id, Refund.refund_no, Refund.issued_at, Return.rma_no, SalesOrder.order_no,
                   Customer.name.label("customer_name"), Refund.method, Refund.amount_minor, Refund.currency,
                   CreditNote.number.label("credit_note_no"), Refund.station,
                   User.display_name.label("issued_by"), CashShift.shift_no)
            .join(Return, Return.id == Refund.return_id)
            .join(SalesOrder, SalesOrder.id == Return.order_id)
            .outerjoin(Customer, Customer.id == Return.customer_id)
            .outerjoin(CreditNote, CreditNote.id == Refund.credit_note_id)
            .outerjoin(CashShift, CashShift.id == Refund.cash_shift_id)
            .join(User, User.id == Refund.issued_by)
            .where(Refund.issued_at >= lo, Refund.issued_at < hi)
        )
        if method:
            stmt = stmt.where(Refund.method == method)
        needle = (text or "").strip()
        if needle:
            upper = needle.upper()
            stmt = stmt.where(or_(Refund.refund_no == upper, Return.rma_no == upper, SalesOrder.order_no == upper,
                                  CreditNote.number == upper, Customer.name_fold.startswith(needle.lower())))
        stmt = _after(stmt, Refund.issued_at, Refund.id, after, s)
        rows = s.execute(stmt.order_by(Refund.issued_at, Refund.id).limit(limit + 1)).all()
        return _page(
            list(rows), limit,
            lambda r: DeskRefund(r.id, r.refund_no, r.issued_at, r.rma_no, r.order_no, r.customer_name, r.method,
                                 r.amount_minor, r.currency, r.credit_note_no, r.station, r.issued_by or "",
                                 r.shift_no),
            lambda r: (r.issued_at, r.id),
        )


def find_credit_notes(ctx: ServiceContext, actor: Actor, date_from: date, date_to: date, *,
                      text: str | None = None, after: str | None = None, limit: int = 100) -> Page[DeskCreditNote]:
    """Credit notes issued in the period, oldest first (``text`` as for refunds)."""
    actor.require(Permission.VIEW_FINANCE)
    limit = _limit(limit)
    with ctx.read(actor) as s:
        lo, hi = _bounds(s, ctx, actor, date_from, date_to)
        stmt = (
            select(CreditNote.id, CreditNote.number, CreditNote.issued_at, Return.rma_no, SalesOrder.order_no,
                   SalesOrder.invoice_no, Customer.name.label("customer_name"), CreditNote.net_minor,
                   CreditNote.tax_minor, CreditNote.total_minor, CreditNote.currency)
            .join(Return, Return.id == CreditNote.return_id)
            .join(SalesOrder, SalesOrder.id == Return.order_id)
            .outerjoin(Customer, Customer.id == Return.customer_id)
            .where(CreditNote.issued_at >= lo, CreditNote.issued_at < hi)
        )
        needle = (text or "").strip()
        if needle:
            upper = needle.upper()
            stmt = stmt.where(or_(CreditNote.number == upper, Return.rma_no == upper, SalesOrder.order_no == upper,
                                  SalesOrder.invoice_no == needle, Customer.name_fold.startswith(needle.lower())))
        stmt = _after(stmt, CreditNote.issued_at, CreditNote.id, after, s)
        rows = s.execute(stmt.order_by(CreditNote.issued_at, CreditNote.id).limit(limit + 1)).all()
        return _page(
            list(rows), limit,
            lambda r: DeskCreditNote(r.id, r.number, r.issued_at, r.rma_no, r.order_no, r.invoice_no,
                                     r.customer_name, r.net_minor, r.tax_minor, r.total_minor, r.currency),
            lambda r: (r.issued_at, r.id),
        )


def find_journal_lines(ctx: ServiceContext, actor: Actor, date_from: date, date_to: date, *,
                       account: str | None = None, after: str | None = None,
                       limit: int = 100) -> Page[DeskJournalLine]:
    """Journal lines of the entries posted in the period, in posting order; ``account`` keeps one
    account of the chart."""
    actor.require(Permission.VIEW_FINANCE)
    limit = _limit(limit)
    account = (account or "").strip() or None
    if account is not None and account not in ACCOUNTS:
        raise ValidationFailed(
            msg(
                "'{account}' is not an account of the chart; use one of {accounts}.",
                account=account[:12], accounts=', '.join(sorted(ACCOUNTS)))
        )
    with ctx.read(actor) as s:
        lo, hi = _bounds(s, ctx, actor, date_from, date_to)
        stmt = (
            select(JournalLine.id, JournalEntry.entry_no, JournalEntry.posted_at, Return.rma_no, Refund.refund_no,
                   JournalLine.account, JournalLine.debit_minor, JournalLine.credit_minor, JournalLine.memo)
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .outerjoin(Return, Return.id == JournalEntry.return_id)
            .outerjoin(Refund, Refund.id == JournalEntry.refund_id)
            .where(JournalEntry.posted_at >= lo, JournalEntry.posted_at < hi)
        )
        if account:
            stmt = stmt.where(JournalLine.account == account)
        # Lines of one entry share its time; the line id orders them (ids grow with posting).
        stmt = _after(stmt, JournalEntry.posted_at, JournalLine.id, after, s)
        rows = s.execute(stmt.order_by(JournalEntry.posted_at, JournalLine.id).limit(limit + 1)).all()
        return _page(
            list(rows), limit,
            lambda r: DeskJournalLine(r.id, r.entry_no, r.posted_at, r.rma_no, r.refund_no, r.account,
                                      ACCOUNTS.get(r.account, r.account), r.debit_minor, r.credit_minor,
                                      load_text(r.memo) or None),
            lambda r: (r.posted_at, r.id),
        )


def desk_totals(ctx: ServiceContext, actor: Actor, date_from: date, date_to: date) -> DeskTotals:
    """Refunds per method, credit notes and journal debits and credits per account, of the period."""
    actor.require(Permission.VIEW_FINANCE)
    with ctx.read(actor) as s:
        lo, hi = _bounds(s, ctx, actor, date_from, date_to)
        methods = tuple(
            MethodTotal(m, int(n), int(a))
            for m, n, a in s.execute(
                select(Refund.method, func.count(), func.coalesce(func.sum(Refund.amount_minor), 0))
                .where(Refund.issued_at >= lo, Refund.issued_at < hi)
                .group_by(Refund.method).order_by(Refund.method)
            )
        )
        n, net, tax, total = s.execute(
            select(func.count(), func.coalesce(func.sum(CreditNote.net_minor), 0),
                   func.coalesce(func.sum(CreditNote.tax_minor), 0), func.coalesce(func.sum(CreditNote.total_minor), 0))
            .where(CreditNote.issued_at >= lo, CreditNote.issued_at < hi)
        ).one()
        accounts = tuple(
            AccountTotal(acc, ACCOUNTS.get(acc, acc), int(dr), int(cr))
            for acc, dr, cr in s.execute(
                select(JournalLine.account, func.sum(JournalLine.debit_minor), func.sum(JournalLine.credit_minor))
                .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
                .where(JournalEntry.posted_at >= lo, JournalEntry.posted_at < hi)
                .group_by(JournalLine.account).order_by(JournalLine.account)
            )
        )
        zone = zone_name_for_site(s, site_of_station(s, actor.station or ctx.station))
    return DeskTotals(
        date_from, date_to, zone, sum(m.count for m in methods), sum(m.amount_minor for m in methods), methods,
        int(n), int(net), int(tax), int(total), accounts,
        sum(a.debit_minor for a in accounts), sum(a.credit_minor for a in accounts),
    )


# --------------------------------------------------------------------------- files

#: The red-letter sheet's columns, headed as Chinese e-invoicing platforms head their import.
RED_LETTER_COLUMNS: tuple[str, ...] = (
    "序号", "红字凭证号", "退货单号", "蓝字发票号码", "原销售单号", "购买方名称", "项目名称", "规格型号",
    "数量", "单价", "金额", "税率", "税额", "价税合计", "冲红原因",
)
RED_LETTER_REASON = "销货退回"


def _red_letter(session: Session, lo: datetime, hi: datetime) -> tuple[bytes, int, dict[str, int], list[str]]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "红字发票"
    sheet.append(list(RED_LETTER_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKLMNO", (6, 18, 18, 22, 16, 18, 28, 14, 8, 12, 12, 8, 12, 12, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    line_return = aliased(ReturnLine)
    notes = session.execute(
        select(CreditNote.id, CreditNote.number, Return.id.label("return_id"), Return.rma_no,
               Return.shipping_refund_minor, SalesOrder.order_no, SalesOrder.invoice_no,
               Customer.name.label("customer_name"), Refund.id.label("refund_id"))
        .join(Return, Return.id == CreditNote.return_id)
        .join(SalesOrder, SalesOrder.id == Return.order_id)
        .outerjoin(Customer, Customer.id == Return.customer_id)
        .join(Refund, Refund.credit_note_id == CreditNote.id)
        .where(CreditNote.issued_at >= lo, CreditNote.issued_at < hi)
        .order_by(CreditNote.issued_at, CreditNote.id)
    ).all()
    totals = {"金额": 0, "税额": 0, "价税合计": 0}
    missing: list[str] = []
    row_no = 0
    for note in notes:
        if not note.invoice_no:
            missing.append(note.order_no)
        lines = session.execute(
            select(RefundLine.amount_minor, RefundLine.tax_minor, line_return.qty_accepted, Product.sku,
                   Product.name, Product.name_zh, Product.tax_rate_bp)
            .join(line_return, line_return.id == RefundLine.return_line_id)
            .join(Product, Product.id == line_return.product_id)
            .where(RefundLine.refund_id == note.refund_id, RefundLine.amount_minor > 0)
            .order_by(line_return.line_no)
        ).all()
        items: list[tuple[str, str, int, int, int, int | None]] = [
            (ln.name_zh or ln.name, ln.sku, max(1, ln.qty_accepted), ln.amount_minor, ln.tax_minor, ln.tax_rate_bp)
            for ln in lines
        ]
        if note.shipping_refund_minor:
            items.append(("运费", "", 1, note.shipping_refund_minor, 0, 0))
        for name, sku, qty, amount, tax, rate_bp in items:
            row_no += 1
            net = amount - tax
            sheet.append([
                row_no, note.number, note.rma_no, note.invoice_no or "", note.order_no, note.customer_name or "",
                name, sku, -qty, float(to_major(net) / qty), float(-to_major(net)),
                f"{(rate_bp or 0) / 100:g}%", float(-to_major(tax)), float(-to_major(amount)), RED_LETTER_REASON,
            ])
            for column in "JKMN":
                sheet[f"{column}{row_no + 1}"].number_format = "#,##0.00"
            totals["金额"] -= net
            totals["税额"] -= tax
            totals["价税合计"] -= amount
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), row_no, totals, sorted(set(missing))


def red_letter_file(ctx: ServiceContext, actor: Actor | None, date_from: date, date_to: date) -> ExportFile:
    """The red-letter invoice data (xlsx) of the credit notes of the period, days of the user's
    site (the installation's for the machine administrator, ``actor`` None)."""
    if actor is not None:
        actor.require(Permission.EXPORT)
    with ctx.read(actor) as s:
        lo, hi = _bounds(s, ctx, actor, date_from, date_to)
        data, rows, totals, missing = _red_letter(s, lo, hi)
    warnings: tuple[str, ...] = ()
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        warnings = (
            msg("{count} sale(s) have no invoice number on record ({sales}); their lines have an empty invoice "
                "number. Fill it in on the platform, or import the sales with their invoice numbers first.",
                count=len(missing), sales=shown),
        )
    return ExportFile(f"{RED_LETTER}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx", data, rows, tuple(totals.items()),
                      warnings)


def export_file(ctx: ServiceContext, actor: Actor, kind: str, date_from: date, date_to: date,
                fmt: str = "xlsx") -> ExportFile:
    """One of the finance files of the period (days of the user's site); see the module docstring."""
    actor.require(Permission.EXPORT)
    if kind not in FILE_KINDS:
        raise ValidationFailed(msg(
            "'{kind}' cannot be exported; choose one of {file_kinds}.",
            kind=str(kind)[:24], file_kinds=', '.join(FILE_KINDS)))
    stem = f"{kind}-{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    if kind == RED_LETTER:
        if fmt != "xlsx":
            raise ValidationFailed(msg("Red-letter invoice data is made as an Excel file (xlsx) only."))
        return red_letter_file(ctx, actor, date_from, date_to)
    if fmt not in exporting.FORMATS:
        raise ValidationFailed(
            msg(
                "'{fmt}' is not an export format; choose one of {formats}.",
                fmt=str(fmt)[:12], formats=', '.join(exporting.FORMATS)))
    with ctx.read(actor) as s:
        tz = zone_for_station(s, actor.station or ctx.station)
    with tempfile.TemporaryDirectory(prefix="returndesk-export-") as tmp:
        path = Path(tmp) / f"{stem}.{fmt}"
        result = exporting.export(ctx, actor, kind, start=date_from, end=date_to, fmt=fmt, path=path, tz=tz)
        data = path.read_bytes()
    return ExportFile(path.name, data, result.rows, tuple(result.totals.items()))
