"""The receiving dock's and the inspection station's worklists, and finding a return by what the
customer or the parcel carries.

Every list is keyset-paged on an index (``WHERE (key, id) > (:key, :id) ORDER BY key, id LIMIT n``),
never with OFFSET and never by loading a table: a page costs the same with a thousand returns or
with millions. ``Page.next_cursor`` is passed back as ``after`` for the next page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, literal, or_, select, tuple_
from sqlalchemy.orm import Session

from returndesk.domain.codes import clean_text, phone_digits
from returndesk.domain.errors import ValidationFailed
from returndesk.domain.permissions import Permission
from returndesk.domain.scan import OrderScan, RmaScan, UnknownScan, looks_like_rma
from returndesk.domain.types import ApprovalLevel, Channel, Resolution, ReturnStatus
from returndesk.store.schema import Customer, Return, SalesOrder

from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.usecases.scanning import parse_scan
from returndesk.services.tx.views import SUMMARY_SELECT, Page, ReturnSummary, return_summaries, summary_from_row
from returndesk.domain.messages import msg

#: Most rows one page may hold.
MAX_PAGE = 500
#: Fewest digits that are searched as a phone number.
MIN_PHONE_DIGITS = 7

# Cursor tags of the expected-returns list: rows with a deadline come first, then those without.
_WITH_DEADLINE = "d"
_WITHOUT_DEADLINE = "n"


def _limit(limit: int) -> int:
    try:
        n = int(limit)
    except (TypeError, ValueError):
        raise ValidationFailed(msg("A page size must be a whole number, not {limit!r}.", limit=limit)) from None
    return max(1, min(n, MAX_PAGE))


def expected_returns(
    ctx: ServiceContext, actor: Actor, *, after: str | None = None, limit: int = 50
) -> Page[ReturnSummary]:
    """Authorized remote returns whose parcel has not arrived yet, the earliest deadline
    (``receive_by``) first; returns without a deadline follow, oldest first.

    Walks the index ``(status, receive_by, id)``.
    """
    actor.require_any(Permission.RECEIVE, Permission.VIEW_QUEUES)
    n = _limit(limit)
    phase, key, last_id = _WITH_DEADLINE, None, None
    if after:
        values = Page.decode_cursor(after)
        if len(values) != 3 or values[0] not in (_WITH_DEADLINE, _WITHOUT_DEADLINE):
            raise ValidationFailed(msg("The list position is no longer valid; reload the list from the top."))
        phase, key, last_id = values
    with_deadline, without_deadline = _EXPECTED
    with ctx.read_core(actor) as read:
        rows: list[Any] = []
        if phase == _WITH_DEADLINE:
            # Every authorized remote return has a deadline, so this part most often fills the
            # page by itself. When it finds none, the actor's check rides on the next statement.
            if key is None:
                rows = list(read.rows(with_deadline[0], {"limit": n + 1}, check_when_empty=False))
            else:
                rows = list(read.rows(with_deadline[1], {"limit": n + 1, "after_key": key, "after_id": last_id},
                                      check_when_empty=False))
            last_id = None
        if len(rows) <= n:
            params: dict[str, Any] = {"limit": n + 1 - len(rows)}
            if phase == _WITHOUT_DEADLINE and last_id is not None:
                params["after_id"] = last_id
                rows += read.rows(without_deadline[1], params)
            else:
                rows += read.rows(without_deadline[0], params)
    more = len(rows) > n
    items = tuple(summary_from_row(row) for row in rows[:n])
    cursor = None
    if more:
        last = items[-1]
        cursor = (
            Page.encode_cursor(_WITH_DEADLINE, last.receive_by, last.id)
            if last.receive_by is not None
            else Page.encode_cursor(_WITHOUT_DEADLINE, None, last.id)
        )
    return Page(items, cursor)


def _expected_statements() -> tuple[tuple[Select[Any], Select[Any]], tuple[Select[Any], Select[Any]]]:
    r = Return.__table__.c
    base = and_(r.status == ReturnStatus.AUTHORIZED.value, r.channel == Channel.REMOTE.value)
    with_deadline = _keyset_statements(and_(base, r.receive_by.is_not(None)), r.receive_by)
    # Ordered as the index (status, receive_by, id) is, which for these rows is by id alone: ordered
    # by id, PostgreSQL walked the primary key from the oldest return and filtered (at a million
    # returns, past 460,000 others to the first of those without a deadline: 70-150 ms a page,
    # against under 1 ms along this index).
    without = (SUMMARY_SELECT.where(base, r.receive_by.is_(None))
               .order_by(r.status, r.receive_by, r.id).limit(bindparam("limit")))
    return with_deadline, (without, without.where(r.id > bindparam("after_id", type_=r.id.type)))


def inspection_queue(
    ctx: ServiceContext, actor: Actor, *, after: str | None = None, limit: int = 50
) -> Page[ReturnSummary]:
    """Received returns not yet inspected, the longest waiting first.

    Walks the index ``(status, status_changed_at, id)`` (see :func:`_status_statements`); a
    received return's ``status_changed_at`` is when its parcel arrived.
    """
    actor.require_any(Permission.INSPECT, Permission.VIEW_QUEUES)
    return _status_page(ctx, actor, ReturnStatus.RECEIVED, after, _limit(limit))


def _keyset_statements(condition: ColumnElement[bool] | None, key: Any, *, newest_first: bool = False,
                       extra: tuple[Any, ...] = ()) -> tuple[Select[Any], Select[Any]]:
    """A page of :data:`SUMMARY_SELECT` (with the ``extra`` columns) in ``(key, id)`` order
    (descending with ``newest_first``): the first page and the page after a cursor (parameters
    ``limit``, ``after_key``, ``after_id``)."""
    r = Return.__table__.c
    page = SUMMARY_SELECT.add_columns(*extra) if extra else SUMMARY_SELECT
    page = page if condition is None else page.where(condition)
    order = (key.desc(), r.id.desc()) if newest_first else (key, r.id)
    page = page.order_by(*order).limit(bindparam("limit"))
    ts, last_id = bindparam("after_key", type_=key.type), bindparam("after_id", type_=r.id.type)
    after = tuple_(key, r.id) < tuple_(ts, last_id) if newest_first else tuple_(key, r.id) > tuple_(ts, last_id)
    return page, page.where(after)


#: The statements of the pages by state (first page, page after a cursor), built once per state.
_STATUS_PAGES: dict[str, tuple[Select[Any], Select[Any]]] = {}
#: The newest-first list of all returns (first page, page after a cursor).
_LATEST = _keyset_statements(None, Return.__table__.c.created_at, newest_first=True)
#: The expected returns: with a deadline by (receive_by, id), then those without by id.
_EXPECTED = _expected_statements()


def _keyset_page(ctx: ServiceContext, actor: Actor, statements: tuple[Select[Any], Select[Any]],
                 after: str | None, n: int, key: str) -> Page[ReturnSummary]:
    """One page read in one statement (with the actor's check); ``key`` names the cursor's column."""
    rows, more = _keyset_rows(ctx, actor, statements, after, n)
    items = tuple(summary_from_row(row) for row in rows)
    cursor = Page.encode_cursor(getattr(items[-1], key), items[-1].id) if more else None
    return Page(items, cursor)


def _keyset_rows(ctx: ServiceContext, actor: Actor, statements: tuple[Select[Any], Select[Any]],
                 after: str | None, n: int) -> tuple[Sequence[Any], bool]:
    """The rows of one page (at most ``n``) and whether more follow, in one statement."""
    params: dict[str, Any] = {"limit": n + 1}
    stmt = statements[0]
    if after:
        values = Page.decode_cursor(after)
        if len(values) != 2:
            raise ValidationFailed(msg("The list position is no longer valid; reload the list from the top."))
        params["after_key"], params["after_id"] = values
        stmt = statements[1]
    with ctx.read_core(actor, one_statement=True) as read:
        rows = read.rows(stmt, params)
    return rows[:n], len(rows) > n


def _status_page(
    ctx: ServiceContext, actor: Actor, status: ReturnStatus, after: str | None, n: int
) -> Page[ReturnSummary]:
    statements = _STATUS_PAGES.get(status.value)
    if statements is None:
        statements = _STATUS_PAGES[status.value] = _status_statements(status.value)
    return _keyset_page(ctx, actor, statements, after, n, "status_changed_at")


def _status_statements(status: str) -> tuple[Select[Any], Select[Any]]:
    """The returns in one state in ``(status_changed_at, id)`` order (the first page, the page after
    a cursor), read along the index ``(status, status_changed_at, id)`` on both databases.

    Asked for as ``status = …``, PostgreSQL took the partial index of open returns by
    ``status_changed_at`` instead and skipped the open returns of the other states (at a million
    returns, 17,487 of them before the first received one: 10 ms for the inspection queue's page
    against 0.1). So the state is asked for as a range of one value, ordered by the index's own
    columns, and the page after a cursor as the rows after ``(status, changed at, id)`` of the
    cursor, no state above this one: each database then seeks in that index.
    """
    r = Return.__table__.c
    order = (r.status, r.status_changed_at, r.id)
    first = (SUMMARY_SELECT.where(r.status.between(status, status)).order_by(*order)
             .limit(bindparam("limit")))
    ts, last_id = bindparam("after_key", type_=r.status_changed_at.type), bindparam("after_id", type_=r.id.type)
    after = (SUMMARY_SELECT.where(r.status <= status, tuple_(*order) > tuple_(literal(status), ts, last_id))
             .order_by(*order).limit(bindparam("limit")))
    return first, after


def _match(session: Session, text: str) -> ColumnElement[bool] | None:
    """The condition on returns that ``text`` names, or ``None`` when it names nothing."""
    scan = parse_scan(text)
    if isinstance(scan, RmaScan):
        return Return.rma_no == scan.rma
    if isinstance(scan, UnknownScan) and looks_like_rma(text):
        # Shaped like an RMA with a wrong check digit: say so rather than find nothing.
        raise ValidationFailed(scan.reason)
    conditions: list[ColumnElement[bool]] = []
    order_nos = {text.strip()}
    if isinstance(scan, OrderScan):
        order_nos.add(scan.order_no)
    order_ids = list(session.execute(
        select(SalesOrder.id).where(SalesOrder.order_no.in_(sorted(order_nos)))
    ).scalars())
    if order_ids:
        conditions.append(Return.order_id.in_(order_ids))
    digits = phone_digits(text)
    if digits is not None and len(digits) >= MIN_PHONE_DIGITS:
        customer_ids = list(session.execute(
            select(Customer.id).where(Customer.phone == digits).limit(50)
        ).scalars())
        if customer_ids:
            conditions.append(Return.customer_id.in_(customer_ids))
    if not conditions:
        return None
    return or_(*conditions)


def find_returns(
    ctx: ServiceContext, actor: Actor, text: str, *, after: str | None = None, limit: int = 50
) -> Page[ReturnSummary]:
    """Returns named by an RMA number, an order number (as printed on the receipt) or the
    customer's full phone number, newest first.

    Each kind is an indexed lookup (``returns.rma_no``, ``sales_orders.order_no`` then
    ``returns.order_id``, ``customers.phone`` then ``returns.customer_id``). An RMA number whose
    check digit does not match raises ``ValidationFailed`` saying so.
    """
    actor.require_any(Permission.FIND_SALES, Permission.RECEIVE, Permission.INSPECT,
                       Permission.VIEW_QUEUES)
    words = " ".join(clean_text(text, what=msg("The search text")).split()) if text is not None else ""
    if not words:
        raise ValidationFailed(
            msg("Type or scan an RMA number, an order number or the customer's phone number.")
        )
    n = _limit(limit)
    with ctx.read(actor) as s:
        condition = _match(s, words)
        if condition is None:
            return Page((), None)
        return _newest_first(s, select(Return).where(condition), after, n)


def latest_returns(ctx: ServiceContext, actor: Actor, *, after: str | None = None,
                   limit: int = 50) -> Page[ReturnSummary]:
    """All returns, newest first, one keyset page over the index ``(created_at, id)``."""
    actor.require_any(Permission.FIND_SALES, Permission.RECEIVE, Permission.INSPECT,
                       Permission.VIEW_QUEUES)
    return _keyset_page(ctx, actor, _LATEST, after, _limit(limit), "created_at")


def search_returns(ctx: ServiceContext, actor: Actor, text: str = "", *, after: str | None = None,
                   limit: int = 50) -> Page[ReturnSummary]:
    """The returns list: :func:`find_returns` for the text, or with no text the newest returns of
    all (:func:`latest_returns`). One keyset page; pass ``next_cursor`` back as ``after``."""
    if " ".join(str(text or "").split()):
        return find_returns(ctx, actor, text, after=after, limit=limit)
    return latest_returns(ctx, actor, after=after, limit=limit)


def _newest_first(s: Session, stmt: Select[Return], after: str | None, n: int) -> Page[ReturnSummary]:
    if after:
        values = Page.decode_cursor(after)
        if len(values) != 2:
            raise ValidationFailed(msg("The list position is no longer valid; reload the list from the top."))
        ts, last_id = values
        stmt = stmt.where(or_(Return.created_at < ts, and_(Return.created_at == ts, Return.id < last_id)))
    rows = list(s.execute(stmt.order_by(Return.created_at.desc(), Return.id.desc()).limit(n + 1)).scalars())
    more = len(rows) > n
    rows = rows[:n]
    cursor = Page.encode_cursor(rows[-1].created_at, rows[-1].id) if more else None
    return Page(tuple(return_summaries(s, rows)), cursor)


# --------------------------------------------------------------------------- to pay


@dataclass(frozen=True)
class ToPayRow:
    """One approved, unpaid return of the "to pay" worklist."""

    summary: ReturnSummary
    refund_method: str  # the method recorded on the return (the customer's choice)
    approved_automatically: bool  # routing approved it at inspection; no person signed

    @property
    def rma_no(self) -> str:
        return self.summary.rma_no


def to_pay_queue(
    ctx: ServiceContext, actor: Actor, *, after: str | None = None, limit: int = 50
) -> Page[ToPayRow]:
    """Approved returns whose refund was not issued yet, the longest waiting first — approved by a
    supervisor or automatically at inspection. Returns the customer asked to exchange are left to
    the exchange (they end in replacement goods, not in a refund).

    Walks the index ``(status, status_changed_at, id)``; an approved return's ``status_changed_at``
    is when it was approved.
    """
    actor.require(Permission.ISSUE_REFUND)
    rows, more = _keyset_rows(ctx, actor, _TO_PAY, after, _limit(limit))
    items = tuple(ToPayRow(summary_from_row(row), row.refund_method, row.approval_level == ApprovalLevel.AUTO.value)
                  for row in rows)
    cursor = Page.encode_cursor(items[-1].summary.status_changed_at, items[-1].summary.id) if more else None
    return Page(items, cursor)


#: The "to pay" worklist's pages: approved returns to be refunded, the longest waiting first, with
#: the refund method the customer chose.
_TO_PAY = _keyset_statements(
    (Return.__table__.c.status == ReturnStatus.APPROVED.value)
    & (Return.__table__.c.resolution == Resolution.REFUND.value),
    Return.__table__.c.status_changed_at, extra=(Return.__table__.c.refund_method,))


#: The newest-first keyset page of any statement over returns (the analytics' drill-down uses it).
newest_first = _newest_first
