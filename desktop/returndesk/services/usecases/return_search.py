"""The returns search: returns by status, days, reason, channel, station, customer and amount,
sorted, one keyset page at a time, and the same result as a CSV or Excel file.

Days are calendar days of the searching station's site (``date_from``..``date_to``, both
included, on the day the return was created). Sorting is by the creation time or by the refund
amount, each either way; a page's cursor holds the sort key of its last row and the row's id, so
paging stays correct while returns are added.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from returndesk.domain.codes import clean_text, phone_digits
from returndesk.domain.errors import ValidationFailed
from returndesk.domain.localtime import local_datetime
from returndesk.domain.permissions import Permission
from returndesk.domain.types import Channel, ReturnStatus
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.views import Page, ReturnSummary, return_summaries
from returndesk.services.usecases.exporting import (
    INT,
    MONEY,
    TEXT,
    TIMESTAMP,
    _CsvWriter,
    _XlsxWriter,
    period_bounds,
)
from returndesk.services.usecases.sites import zone_for_station
from returndesk.services.usecases.worklists import MAX_PAGE, _match
from returndesk.store.schema import Customer, Return, ReturnLine
from returndesk.domain.messages import msg

#: Most rows one export writes (a year of a busy shop fits; a mistake does not fill the disk).
MAX_EXPORT_ROWS = 200_000
#: Rows read per statement while exporting.
EXPORT_PAGE = 1000
#: Formats the search exports to.
EXPORT_FORMATS = ("xlsx", "csv")
#: The searchers: who finds returns at all.
_SEARCHERS = (Permission.FIND_SALES, Permission.RECEIVE, Permission.INSPECT, Permission.VIEW_QUEUES)


class ReturnSort(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    AMOUNT_HIGH = "amount_high"
    AMOUNT_LOW = "amount_low"


@dataclass(frozen=True)
class ReturnFilter:
    """What the returns search looks for; every part left empty matches every return.

    ``text`` is an RMA, order number or the customer's phone (as in the returns list);
    ``customer`` part of the customer's name or phone; amounts are the refund total in minor units,
    both bounds included; ``station`` the station that issued the RMA.
    """

    text: str = ""
    statuses: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    reason_code: str | None = None
    channel: str | None = None
    station: str | None = None
    customer: str | None = None
    amount_min_minor: int | None = None
    amount_max_minor: int | None = None
    sort: ReturnSort = ReturnSort.NEWEST


@dataclass(frozen=True)
class ExportedFile:
    """A search result as a file: its suggested name, its bytes and how many returns it holds."""

    file_name: str
    fmt: str
    data: bytes
    rows: int


# --------------------------------------------------------------------------- the conditions


def _words(text: str | None, what: str) -> str:
    return " ".join(clean_text(text, what=what).split()) if text else ""


def _conditions(s: Session, ctx: ServiceContext, actor: Actor, flt: ReturnFilter) -> list[ColumnElement[bool]] | None:
    """The SQL conditions of ``flt``, or None when it can match nothing (a text naming nothing)."""
    problems: list[str] = []
    conditions: list[ColumnElement[bool]] = []
    text = _words(flt.text, "The search text")
    if text:
        match = _match(s, text)
        if match is None:
            return None
        conditions.append(match)
    statuses = []
    for code in flt.statuses:
        try:
            statuses.append(ReturnStatus(code).value)
        except ValueError:
            problems.append(msg("'{code}' is not a status of a return.", code=code))
    if statuses:
        conditions.append(Return.status.in_(statuses))
    if flt.channel:
        try:
            conditions.append(Return.channel == Channel(flt.channel).value)
        except ValueError:
            problems.append(msg("'{channel}' is not a channel; use counter or remote.", channel=flt.channel))
    if flt.date_from is not None and flt.date_to is not None and flt.date_to < flt.date_from:
        problems.append(msg(
            "The period ends ({date_to}) before it starts ({date_from}); swap the dates.",
            date_to=flt.date_to, date_from=flt.date_from))
    if (flt.amount_min_minor is not None and flt.amount_max_minor is not None
            and flt.amount_max_minor < flt.amount_min_minor):
        problems.append(msg("The lowest amount is above the highest; swap them."))
    if problems:
        raise ValidationFailed(" ".join(problems), problems)
    if flt.date_from is not None or flt.date_to is not None:
        zone = zone_for_station(s, actor.station or ctx.station)
        lo, hi = period_bounds(flt.date_from or date(2000, 1, 1), flt.date_to or date(9998, 12, 30), zone)
        if flt.date_from is not None:
            conditions.append(Return.created_at >= _bind(s, lo))
        if flt.date_to is not None:
            conditions.append(Return.created_at < _bind(s, hi))
    if flt.reason_code:
        conditions.append(exists().where(ReturnLine.return_id == Return.id,
                                         ReturnLine.reason_code == flt.reason_code.strip()))
    station = _words(flt.station, "The station")
    if station:
        conditions.append(func.lower(Return.created_station) == station.lower())
    customer = _words(flt.customer, "The customer")
    if customer:
        digits = phone_digits(customer)
        who = [func.lower(Customer.name).like(f"%{_escape(customer.lower())}%", escape="\\")]
        if digits:
            who.append(Customer.phone.like(f"%{digits}%"))
        conditions.append(exists().where(Customer.id == Return.customer_id, or_(*who)))
    if flt.amount_min_minor is not None:
        conditions.append(Return.refund_total_minor >= int(flt.amount_min_minor))
    if flt.amount_max_minor is not None:
        conditions.append(Return.refund_total_minor <= int(flt.amount_max_minor))
    return conditions


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _bind(session: Session, value: datetime) -> datetime:
    # SQLite keeps the UTC wall clock without a zone; compare like with like.
    return value.replace(tzinfo=None) if session.get_bind().dialect.name == "sqlite" else value


def _sort_columns(sort: ReturnSort) -> tuple[Any, bool]:
    """The sort key's column and whether it runs downwards."""
    if sort in (ReturnSort.NEWEST, ReturnSort.OLDEST):
        return Return.created_at, sort is ReturnSort.NEWEST
    return Return.refund_total_minor, sort is ReturnSort.AMOUNT_HIGH


def _page(s: Session, conditions: list[ColumnElement[bool]], sort: ReturnSort, after: str | None,
          n: int) -> tuple[list[Return], str | None]:
    key, descending = _sort_columns(sort)
    stmt = select(Return).where(*conditions)
    if after:
        values = Page.decode_cursor(after)
        if len(values) != 3 or values[0] != sort.value:
            raise ValidationFailed(msg("The list position is no longer valid; reload the list from the top."))
        _, last_key, last_id = values
        if descending:
            stmt = stmt.where(or_(key < last_key, and_(key == last_key, Return.id < last_id)))
        else:
            stmt = stmt.where(or_(key > last_key, and_(key == last_key, Return.id > last_id)))
    order = (key.desc(), Return.id.desc()) if descending else (key.asc(), Return.id.asc())
    rows = list(s.execute(stmt.order_by(*order).limit(n + 1)).scalars())
    more = len(rows) > n
    rows = rows[:n]
    cursor = None
    if more:
        last = rows[-1]
        value = last.created_at if key is Return.created_at else last.refund_total_minor
        cursor = Page.encode_cursor(sort.value, value, last.id)
    return rows, cursor


def _sort_of(flt: ReturnFilter) -> ReturnSort:
    try:
        return ReturnSort(flt.sort)
    except ValueError:
        raise ValidationFailed(msg("'{sort}' is not a way to sort returns.", sort=flt.sort)) from None


# --------------------------------------------------------------------------- searching


def search_returns(
    ctx: ServiceContext, actor: Actor, flt: ReturnFilter, *, after: str | None = None, limit: int = 50
) -> Page[ReturnSummary]:
    """The returns ``flt`` matches, in its order, one keyset page (pass ``next_cursor`` back as
    ``after``)."""
    actor.require_any(*_SEARCHERS, doing=msg("search returns"))
    sort = _sort_of(flt)
    n = max(1, min(int(limit), MAX_PAGE))
    with ctx.read(actor) as s:
        conditions = _conditions(s, ctx, actor, flt)
        if conditions is None:
            return Page((), None)
        rows, cursor = _page(s, conditions, sort, after, n)
        return Page(tuple(return_summaries(s, rows)), cursor)


# --------------------------------------------------------------------------- exporting

#: The columns of the export: those of the returns list, in its order.
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("rma_no", TEXT), ("status", TEXT), ("order_no", TEXT), ("customer_name", TEXT),
    ("customer_phone", TEXT), ("items", INT), ("refund", MONEY), ("channel", TEXT), ("created_at", TIMESTAMP),
)


def _export_rows(s: Session, conditions: list[ColumnElement[bool]], sort: ReturnSort,
                 words: Mapping[str, str]) -> Iterator[dict[str, Any]]:
    after: str | None = None
    count = 0
    while True:
        rows, after = _page(s, conditions, sort, after, EXPORT_PAGE)
        for item in return_summaries(s, rows):
            count += 1
            if count > MAX_EXPORT_ROWS:
                raise ValidationFailed(
                    msg(
                        "The search finds more than {max_export_rows:,} returns; narrow it (a shorter period, a "
                        "status) and export again.",
                        max_export_rows=MAX_EXPORT_ROWS)
                )
            yield {
                "rma_no": item.rma_no, "status": words.get(item.status, item.status), "order_no": item.order_no,
                "customer_name": item.customer_name, "customer_phone": item.customer_phone,
                "items": item.item_count, "refund": item.refund_total_minor,
                "channel": words.get(item.channel, item.channel), "created_at": _utc(item.created_at),
            }
        if after is None:
            return


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def export_returns(
    ctx: ServiceContext, actor: Actor, flt: ReturnFilter, fmt: str, *,
    headers: Sequence[str] | None = None, words: Mapping[str, str] | None = None,
) -> ExportedFile:
    """Every return ``flt`` matches, in its order, as an Excel workbook (``xlsx``) or a CSV file
    (UTF-8 with a byte-order mark, for Excel), with the columns of the returns list.

    ``headers`` are the column titles (the screen's, in the user's language; the column names
    otherwise); ``words`` turns status and channel codes into the words the screen shows. Times are
    the wall clock of the station's site. One read transaction: the file is one consistent
    snapshot.
    """
    actor.require(Permission.EXPORT)
    if fmt not in EXPORT_FORMATS:
        raise ValidationFailed(msg("'{fmt}' is not an export format; choose xlsx or csv.", fmt=fmt))
    if headers is not None and len(headers) != len(EXPORT_COLUMNS):
        raise ValidationFailed(msg(
            "The export has {export_columns_count} columns; {headers_count} titles were given.",
            export_columns_count=len(EXPORT_COLUMNS), headers_count=len(headers)))
    sort = _sort_of(flt)
    words = dict(words or {})
    with ctx.read(actor) as s:
        zone = zone_for_station(s, actor.station or ctx.station)
        conditions = _conditions(s, ctx, actor, flt)
        rows = 0
        if fmt == "csv":
            text = io.StringIO(newline="")
            writer: Any = _CsvWriter(text, "returns", zone, columns=EXPORT_COLUMNS, headers=headers)
        else:
            binary = io.BytesIO()
            writer = _XlsxWriter(binary, "returns", zone, columns=EXPORT_COLUMNS, headers=headers)
        if conditions is not None:
            for data in _export_rows(s, conditions, sort, words):
                writer.row(data)
                rows += 1
        writer.close(rows, {})
        stamp = local_datetime(ctx.now(), zone).strftime("%Y%m%d-%H%M")
    content = ("\ufeff" + text.getvalue()).encode("utf-8") if fmt == "csv" else binary.getvalue()
    return ExportedFile(f"returns-{stamp}.{fmt}", fmt, content, rows)
