"""Plain, frozen results that leave the services (never ORM objects)."""

from __future__ import annotations

import base64
import binascii
import json
import threading
from functools import lru_cache
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, Generic, TypeVar

from sqlalchemy import BigInteger, ColumnElement, Select, bindparam, case, func, select
from sqlalchemy.orm import Session

from returndesk.domain.errors import NotFound, ValidationFailed
from returndesk.store.entity_rows import entity_rows, loaded_view
from returndesk.store.select_rows import select_first, select_rows
from returndesk.store.schema import (
    Customer,
    InspectionUnit,
    Product,
    Return,
    ReturnLine,
    ReturnReason,
    SalesOrder,
    SalesOrderLine,
    User,
)

from returndesk.services.tx import refcache
from returndesk.services.tx.context import CoreRead
from returndesk.domain.messages import join, load_lines, msg


@dataclass(frozen=True)
class ReturnLineView:
    id: int
    line_no: int
    order_line_id: int
    product_id: int
    sku: str
    barcode: str | None
    product_name: str
    product_name_zh: str | None
    category: str
    qty_purchased: int
    qty_requested: int
    qty_authorized: int
    qty_received: int
    qty_accepted: int
    qty_rejected: int
    reason_code: str
    reason_vendor_fault: bool
    resolution: str
    condition_notes: str | None
    policy_status: str
    policy_note: str | None
    grade: str | None
    disposition: str | None
    short_closed: bool
    unit_paid_minor: int  # paid per unit (line paid / quantity, rounded)
    refund_minor: int
    deduction_minor: int
    fee_minor: int
    serial_tracked: bool
    #: The customer asked for an exchange and changed their mind at the counter: when, and who
    #: recorded it (the line is a refund line since).
    changed_mind_at: datetime | None = None
    changed_mind_by: str | None = None

    @property
    def qty_expected(self) -> int:
        """Units the inspector still expects for this line."""
        base = self.qty_authorized or self.qty_requested
        return 0 if self.short_closed else max(base - self.qty_received, 0)


@dataclass(frozen=True)
class InspectionUnitView:
    id: int
    return_line_id: int | None
    scanned_code: str | None
    outcome: str
    grade: str | None
    disposition: str | None
    inspected_by: str
    inspected_at: datetime


@dataclass(frozen=True)
class ReturnDetail:
    id: int
    rma_no: str
    status: str
    status_changed_at: datetime
    status_changed_by: str | None
    version: int
    channel: str
    order_id: int
    order_no: str
    sold_at: datetime
    delivered_at: datetime | None
    customer_id: int | None
    customer_name: str | None
    customer_phone: str | None
    customer_address: str | None
    refund_method: str
    resolution: str
    in_policy: bool
    override_reason: str | None
    created_by: str
    created_by_id: int
    created_at: datetime
    inspected_by: str | None
    inspected_by_id: int | None
    receive_by: date | None
    approval_level: str | None
    approval_reasons: str | None
    refund_total_minor: int
    deductions_minor: int
    shipping_refund_minor: int
    currency: str
    notes: str | None
    lines: tuple[ReturnLineView, ...]
    units: tuple[InspectionUnitView, ...]
    # The display names of the users named above by their user names (what screens show).
    status_changed_by_name: str | None = None
    created_by_name: str | None = None
    inspected_by_name: str | None = None

    @property
    def item_count(self) -> int:
        return sum(line.qty_authorized or line.qty_requested for line in self.lines)


# Both texts are parsed once per distinct stored value (most lines and returns share a few):
# a message is immutable, so one object serves every view that shows the same note.
@lru_cache(maxsize=4096)
def _note_text(stored: str | None) -> str | None:
    """A line's stored policy note as one text (its sentences as messages when stored as such)."""
    lines = load_lines(stored)
    return join(lines, " ") if lines else None


@lru_cache(maxsize=4096)
def _reasons_text(stored: str | None) -> str | None:
    """The stored routing reasons as one text of lines (each line a message when it was stored as one)."""
    lines = load_lines(stored)
    return join(lines, "\n") if lines else None


def load_return(session: Session, *, return_id: int | None = None, rma_no: str | None = None,
                for_update: bool = False) -> Return:
    """The Return row by id or RMA number, optionally locked; NotFound with the RMA in words."""
    stmt = select(Return)
    if return_id is not None:
        stmt = stmt.where(Return.id == return_id)
    elif rma_no is not None:
        stmt = stmt.where(Return.rma_no == rma_no)
    else:
        raise ValueError("return_id or rma_no is required")
    if for_update:
        stmt = stmt.with_for_update()
    ret = session.execute(stmt).scalar_one_or_none()
    if ret is None:
        what = rma_no if rma_no is not None else f"#{return_id}"
        raise NotFound(msg("No return {what} exists. Check the number or scan the label again.", what=what))
    return ret


def _line_view(x: Any, *, changed_mind_at: datetime | None = None,
               changed_mind_by: str | None = None) -> ReturnLineView:
    """A line's view from a Core row of its line, order line, product and reason columns."""
    return ReturnLineView(
        id=x.id, line_no=x.line_no, order_line_id=x.order_line_id, product_id=x.product_id,
        sku=x.sku, barcode=x.barcode, product_name=x.name, product_name_zh=x.name_zh,
        category=x.category, qty_purchased=x.quantity, qty_requested=x.qty_requested,
        qty_authorized=x.qty_authorized, qty_received=x.qty_received,
        qty_accepted=x.qty_accepted, qty_rejected=x.qty_rejected, reason_code=x.reason_code,
        reason_vendor_fault=x.vendor_fault, resolution=x.resolution,
        condition_notes=x.condition_notes, policy_status=x.policy_status,
        policy_note=_note_text(x.policy_note), grade=x.grade, disposition=x.disposition,
        short_closed=x.short_closed,
        unit_paid_minor=(x.paid_minor + x.quantity // 2) // x.quantity if x.quantity else 0,
        refund_minor=x.refund_minor, deduction_minor=x.deduction_minor, fee_minor=x.fee_minor,
        serial_tracked=x.serial_tracked, changed_mind_at=changed_mind_at, changed_mind_by=changed_mind_by,
    )


def _detail_statement() -> Select[Any]:
    """The statement of :func:`return_detail`, built once per process: the return's order and
    customer with its lines, their order lines, products and reasons, in one statement (the order
    and customer columns repeat on each line; a return without lines still gets its order)."""
    o, c = SalesOrder.__table__.c, Customer.__table__.c
    rl, ol, p, rr = (ReturnLine.__table__.c, SalesOrderLine.__table__.c, Product.__table__.c,
                     ReturnReason.__table__.c)
    return (
        select(
            o.id.label("order_id"), o.order_no, o.sold_at, o.delivered_at,
            c.name.label("customer_name"), c.phone.label("customer_phone"),
            c.address.label("customer_address"),
            rl.id, rl.line_no, rl.order_line_id, p.id.label("product_id"), p.sku, p.barcode, p.name,
            p.name_zh, p.category, ol.quantity, ol.paid_minor, rl.qty_requested, rl.qty_authorized,
            rl.qty_received, rl.qty_accepted, rl.qty_rejected, rl.reason_code, rr.vendor_fault,
            rl.resolution, rl.condition_notes, rl.policy_status, rl.policy_note, rl.grade,
            rl.disposition, rl.short_closed, rl.refund_minor, rl.deduction_minor, rl.fee_minor,
            p.serial_tracked, rl.changed_mind_at, rl.changed_mind_by,
        )
        .select_from(SalesOrder.__table__)
        .outerjoin(Customer.__table__, c.id == bindparam("customer_id"))
        .outerjoin(ReturnLine.__table__, rl.return_id == bindparam("return_id"))
        .outerjoin(SalesOrderLine.__table__, ol.id == rl.order_line_id)
        .outerjoin(Product.__table__, p.id == rl.product_id)
        .outerjoin(ReturnReason.__table__, rr.code == rl.reason_code)
        .where(o.id == bindparam("order_id"))
        .order_by(rl.line_no)
    )


_DETAIL_STATEMENT: list[Select[Any]] = []


@dataclass(frozen=True)
class HeldLine:
    """A return line as its use case holds it (the ORM row it changes) with what the line's view
    shows besides: its product, its reason's vendor-fault flag, its order line's quantity and paid
    amount."""

    line: ReturnLine
    product: Product
    vendor_fault: bool
    quantity: int
    paid_minor: int


@dataclass(frozen=True)
class HeldFacts:
    """What a return's detail shows besides the return's own row, its lines and its units, read by
    a use case together with the lines it works on (:func:`return_detail`'s ``held``): the order,
    the customer, and every line with its product, reason and order line."""

    order_id: int
    order_no: str
    sold_at: datetime
    delivered_at: datetime | None
    customer_name: str | None
    customer_phone: str | None
    customer_address: str | None
    lines: tuple[HeldLine, ...]
    #: The order's row (in the session: ``session.get(SalesOrder, ...)`` reads nothing while held).
    order: SalesOrder
    #: The value of the caller's ``order_column`` (:func:`read_held`), None without one.
    order_value: Any = None


#: :func:`read_held`'s statements by (order column, with units): built once per process for the
#: columns the use cases pass (each a statement part built once).
#: Keyed by the column's identity (a clause compared with ``==`` is a clause, not a truth); the
#: column is kept with its statement so that its identity is not reused.
_HELD: dict[tuple[int, bool], tuple[Any, Any]] = {}
_HELD_LOCK = threading.Lock()


def _held_statement(order_column: ColumnElement[Any] | None, with_units: bool) -> Any:
    key = (id(order_column), with_units)
    found = _HELD.get(key)
    if found is not None and found[0] is order_column:
        return found[1]
    return_id = bindparam("return_id", type_=BigInteger())
    stmt = (
        select(ReturnLine, Product, ReturnReason.vendor_fault, SalesOrderLine.quantity,
               SalesOrderLine.paid_minor, SalesOrder, Customer.name, Customer.phone, Customer.address)
        .join(Product, Product.id == ReturnLine.product_id)
        .join(ReturnReason, ReturnReason.code == ReturnLine.reason_code)
        .join(SalesOrderLine, SalesOrderLine.id == ReturnLine.order_line_id)
        .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .outerjoin(Customer, Customer.id == bindparam("customer_id", type_=BigInteger()))
        .where(ReturnLine.return_id == return_id).order_by(ReturnLine.line_no)
        .execution_options(populate_existing=True)
    )
    if order_column is not None:
        stmt = stmt.add_columns(order_column.label("order_value"))
    if with_units:
        first_line = (select(func.min(ReturnLine.line_no)).where(ReturnLine.return_id == return_id)
                      .scalar_subquery())
        stmt = stmt.add_columns(InspectionUnit).outerjoin(
            InspectionUnit,
            (InspectionUnit.return_id == return_id)
            & ((InspectionUnit.return_line_id == ReturnLine.id)
               | (InspectionUnit.return_line_id.is_(None) & (ReturnLine.line_no == first_line))),
        ).order_by(InspectionUnit.id)
    with _HELD_LOCK:
        if len(_HELD) > 64:  # a caller building its column per call: keep the cache small
            _HELD.clear()
        _HELD[key] = (order_column, stmt)
    return stmt


def read_held(
    session: Session, ret: Return, *, with_units: bool = False,
    order_column: ColumnElement[Any] | None = None,
) -> tuple[list[ReturnLine], list[InspectionUnit], HeldFacts | None]:
    """The return's lines (ORM rows, re-read: ``populate_existing``), with ``with_units`` its
    units (in id order), and what :func:`return_detail` shows besides (``held``), in one statement:
    the lines with their products, reasons' vendor-fault flags, order lines' quantities and paid
    amounts, the order and the customer. Each unit is outer-joined to its line, a unit of no line
    (a wrong item) to the first line, so a line comes once per unit it holds (once when none) and
    no unit twice. ``held`` is None for a return without lines. ``order_column``: a column of the
    order's row (the selling site's zone, say) read as well (``held.order_value``), built once by
    the caller (it keys the statement); it may use the parameter ``return_id``.

    Read after the return's row is locked, in a statement of its own, so that on PostgreSQL it
    sees what a station that held the lock before committed.
    """
    stmt = _held_statement(order_column, with_units)
    rows: list[Any] = entity_rows(session, stmt, {"return_id": ret.id, "customer_id": ret.customer_id})
    at = 10 if order_column is not None else 9  # where the unit is in a row
    units: list[InspectionUnit] = sorted(
        (row[at] for row in rows if with_units and row[at] is not None), key=lambda u: u.id)
    rows = list({row[0].id: row for row in rows}.values())  # one row per line, in line order
    if not rows:
        return [], units, None
    order = rows[0][5]
    held = HeldFacts(
        order_id=order.id, order_no=order.order_no, sold_at=order.sold_at,
        delivered_at=order.delivered_at, customer_name=rows[0][6], customer_phone=rows[0][7],
        customer_address=rows[0][8],
        lines=tuple(HeldLine(line, product, bool(fault), quantity, paid)
                    for line, product, fault, quantity, paid, *_ in rows),
        order=order, order_value=rows[0][9] if order_column is not None else None,
    )
    return [row[0] for row in rows], units, held


def _held_line_row(held: HeldLine) -> SimpleNamespace:
    """A held line with the attributes of a row of :func:`_detail_statement`."""
    line, product = loaded_view(held.line), loaded_view(held.product)
    return SimpleNamespace(
        id=line.id, line_no=line.line_no, order_line_id=line.order_line_id, product_id=product.id,
        sku=product.sku, barcode=product.barcode, name=product.name, name_zh=product.name_zh,
        category=product.category, quantity=held.quantity, paid_minor=held.paid_minor,
        qty_requested=line.qty_requested, qty_authorized=line.qty_authorized,
        qty_received=line.qty_received, qty_accepted=line.qty_accepted, qty_rejected=line.qty_rejected,
        reason_code=line.reason_code, vendor_fault=held.vendor_fault, resolution=line.resolution,
        condition_notes=line.condition_notes, policy_status=line.policy_status,
        policy_note=line.policy_note, grade=line.grade, disposition=line.disposition,
        short_closed=line.short_closed, refund_minor=line.refund_minor,
        deduction_minor=line.deduction_minor, fee_minor=line.fee_minor,
        serial_tracked=product.serial_tracked, changed_mind_at=line.changed_mind_at,
        changed_mind_by=line.changed_mind_by,
    )


def return_detail(session: Session, ret: Return,
                  units: Iterable[InspectionUnit] | None = None,
                  held: HeldFacts | None = None) -> ReturnDetail:
    """Build the full, detached view of a return inside the current transaction.

    One statement reads the order, customer and lines, unless the caller passes ``held`` (read
    with the lines it changed through the ORM, whose rows then hold the values written). The
    inspected units are read with a second one, unless the caller passes ``units`` (every unit of
    the return, as the inspection use cases hold them) or the return has never been received (a
    return has units only once received). User names come from :mod:`refcache`.
    """
    session.flush()  # the statements below are Core: pending changes must be in the database
    ret_id = ret.id  # (a return written by the flush above has its id now)
    view = loaded_view(ret)
    rows: Sequence[Any]
    order: Any
    if held is not None:
        order = held
        rows = sorted((_held_line_row(x) for x in held.lines), key=lambda x: x.line_no)
    else:
        if not _DETAIL_STATEMENT:
            _DETAIL_STATEMENT.append(_detail_statement())
        rows = session.execute(
            _DETAIL_STATEMENT[0],
            {"order_id": view.order_id, "customer_id": view.customer_id, "return_id": ret_id},
        ).all()
        order = rows[0]
    names = refcache.user_names(session, [
        view.status_changed_by, view.created_by, view.inspected_by,
        *(x.changed_mind_by for x in rows if x.id is not None),
    ])

    def username(user_id: int | None) -> str | None:
        found = names.get(user_id) if user_id is not None else None
        return found[0] if found else None

    def display_name(user_id: int | None) -> str | None:
        found = names.get(user_id) if user_id is not None else None
        return found[1] if found else None

    lines = tuple(
        _line_view(x, changed_mind_at=x.changed_mind_at, changed_mind_by=username(x.changed_mind_by))
        for x in rows if x.id is not None
    )
    if units is not None:
        held_units = sorted(units, key=lambda u: u.id)
        inspectors = refcache.user_names(session, {u.inspected_by for u in held_units})
        unit_views = tuple(
            InspectionUnitView(
                id=u.id, return_line_id=u.return_line_id, scanned_code=u.scanned_code,
                outcome=u.outcome, grade=u.grade, disposition=u.disposition,
                inspected_by=inspectors[u.inspected_by][0], inspected_at=u.inspected_at,
            )
            for u in held_units
        )
    elif view.received_at is None:
        unit_views = ()
    else:
        unit_rows = session.execute(
            select(InspectionUnit, User.username)
            .join(User, User.id == InspectionUnit.inspected_by)
            .where(InspectionUnit.return_id == ret_id)
            .order_by(InspectionUnit.id)
        ).all()
        unit_views = tuple(
            InspectionUnitView(
                id=u.id, return_line_id=u.return_line_id, scanned_code=u.scanned_code,
                outcome=u.outcome, grade=u.grade, disposition=u.disposition,
                inspected_by=name, inspected_at=u.inspected_at,
            )
            for u, name in unit_rows
        )
    return ReturnDetail(
        id=ret_id, rma_no=view.rma_no, status=view.status, status_changed_at=view.status_changed_at,
        status_changed_by=username(view.status_changed_by), version=view.version,
        channel=view.channel, order_id=order.order_id, order_no=order.order_no, sold_at=order.sold_at,
        delivered_at=order.delivered_at, customer_id=view.customer_id,
        customer_name=order.customer_name, customer_phone=order.customer_phone,
        customer_address=order.customer_address,
        refund_method=view.refund_method, resolution=view.resolution, in_policy=view.in_policy,
        override_reason=view.override_reason, created_by=username(view.created_by) or "",
        created_by_id=view.created_by, created_at=view.created_at,
        inspected_by=username(view.inspected_by), inspected_by_id=view.inspected_by,
        receive_by=view.receive_by, approval_level=view.approval_level,
        approval_reasons=_reasons_text(view.approval_reasons), refund_total_minor=view.refund_total_minor,
        deductions_minor=view.deductions_minor, shipping_refund_minor=view.shipping_refund_minor,
        currency=view.currency, notes=view.notes, lines=lines, units=unit_views,
        status_changed_by_name=display_name(view.status_changed_by),
        created_by_name=display_name(view.created_by),
        inspected_by_name=display_name(view.inspected_by),
    )


# --------------------------------------------------------------------------- pages and summaries
_T = TypeVar("_T")


def _cursor_value(value: Any) -> Any:
    # datetime is a date subclass: test it first.
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if value is None or isinstance(value, bool | int | str):
        return value
    raise TypeError(f"a page cursor cannot hold {type(value).__name__}")


def _cursor_from(value: Any) -> Any:
    if isinstance(value, dict):
        if "t" in value:
            return datetime.fromisoformat(value["t"])
        if "d" in value:
            return date.fromisoformat(value["d"])
        raise ValueError("unknown cursor value")
    return value


@dataclass(frozen=True)
class Page(Generic[_T]):
    """One page of a keyset-paged list.

    ``next_cursor`` is an opaque text to pass as ``after`` for the next page; ``None`` when this is
    the last page. Cursors hold the sort key of the last row shown (never an offset), so rows added
    or removed meanwhile neither repeat nor go missing from the rows still to come.
    """

    items: tuple[_T, ...]
    next_cursor: str | None = None

    @property
    def has_more(self) -> bool:
        """True when another page follows."""
        return self.next_cursor is not None

    @staticmethod
    def encode_cursor(*values: Any) -> str:
        """An opaque cursor holding ``values`` (datetimes, dates, ints, text or None)."""
        raw = json.dumps([_cursor_value(v) for v in values], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")

    @staticmethod
    def decode_cursor(cursor: str) -> tuple[Any, ...]:
        """The values :meth:`encode_cursor` put into ``cursor``; ``ValidationFailed`` for anything
        that is not such a cursor (a screen kept a cursor across versions, or it was typed)."""
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8"))
            if not isinstance(data, list):
                raise ValueError("not a list")
            return tuple(_cursor_from(v) for v in data)
        except (ValueError, TypeError, UnicodeError, binascii.Error) as exc:
            raise ValidationFailed(
                msg("The list position is no longer valid; reload the list from the top.")
            ) from exc


@dataclass(frozen=True)
class ReturnSummary:
    """One row of a worklist, queue or search result."""

    id: int
    rma_no: str
    status: str
    status_changed_at: datetime
    channel: str
    customer_name: str | None
    customer_phone: str | None
    order_no: str
    item_count: int
    refund_total_minor: int
    currency: str
    created_at: datetime
    receive_by: date | None
    approval_level: str | None

    def age(self, now: datetime) -> timedelta:
        """How long the return has been in its current state at ``now``."""
        return _aware(now) - _aware(self.status_changed_at)

    def days_in_status(self, now: datetime) -> int:
        """Whole days in the current state (for ageing columns)."""
        return max(self.age(now).days, 0)

    def overdue(self, today: date) -> bool:
        """True for an authorized return whose arrival deadline has passed."""
        return self.status == "authorized" and self.receive_by is not None and self.receive_by < today


def _aware(ts: datetime) -> datetime:
    # SQLite hands timestamps back without a zone; they were written in UTC.
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)


def return_summaries(session: Session, rows: Iterable[Return]) -> list[ReturnSummary]:
    """Summaries of ``rows`` (one page of Return rows), in the same order, with three queries for
    the whole page rather than three per row."""
    rets = list(rows)
    if not rets:
        return []
    order_nos = dict(
        session.execute(
            select(SalesOrder.id, SalesOrder.order_no).where(
                SalesOrder.id.in_({r.order_id for r in rets})
            )
        ).all()
    )
    customer_ids = {r.customer_id for r in rets if r.customer_id is not None}
    customers = {
        cid: (name, phone)
        for cid, name, phone in session.execute(
            select(Customer.id, Customer.name, Customer.phone).where(Customer.id.in_(customer_ids))
        )
    } if customer_ids else {}
    units = case(
        (ReturnLine.qty_authorized > 0, ReturnLine.qty_authorized), else_=ReturnLine.qty_requested
    )
    counts: dict[int, int] = dict(
        session.execute(
            select(ReturnLine.return_id, func.sum(units))
            .where(ReturnLine.return_id.in_([r.id for r in rets]))
            .group_by(ReturnLine.return_id)
        ).all()
    )
    out: list[ReturnSummary] = []
    for r in rets:
        name, phone = customers.get(r.customer_id, (None, None)) if r.customer_id else (None, None)
        out.append(
            ReturnSummary(
                id=r.id, rma_no=r.rma_no, status=r.status, status_changed_at=r.status_changed_at,
                channel=r.channel, customer_name=name, customer_phone=phone,
                order_no=order_nos.get(r.order_id, ""), item_count=int(counts.get(r.id) or 0),
                refund_total_minor=r.refund_total_minor, currency=r.currency,
                created_at=r.created_at, receive_by=r.receive_by, approval_level=r.approval_level,
            )
        )
    return out


def _summary_select() -> Select[Any]:
    r, o, c, rl = Return.__table__.c, SalesOrder.__table__.c, Customer.__table__.c, ReturnLine.__table__.c
    units = func.sum(case((rl.qty_authorized > 0, rl.qty_authorized), else_=rl.qty_requested))
    items = select(units).where(rl.return_id == r.id).correlate(Return.__table__).scalar_subquery()
    return (
        select(
            r.id, r.rma_no, r.status, r.status_changed_at, r.channel, c.name.label("customer_name"),
            c.phone.label("customer_phone"), o.order_no, items.label("item_count"), r.refund_total_minor,
            r.currency, r.created_at, r.receive_by, r.approval_level,
        )
        .select_from(Return.__table__)
        .outerjoin(SalesOrder.__table__, o.id == r.order_id)
        .outerjoin(Customer.__table__, c.id == r.customer_id)
    )


#: A page of return summaries in one statement: each return with its order number, customer and
#: item count (a correlated sum over its lines). Use cases add their conditions, order and limit.
SUMMARY_SELECT = _summary_select()


def summary_from_row(row: Any) -> ReturnSummary:
    """A row of :data:`SUMMARY_SELECT` as a :class:`ReturnSummary` (the same as
    :func:`return_summaries` builds from Return rows)."""
    return ReturnSummary(
        id=row.id, rma_no=row.rma_no, status=row.status, status_changed_at=row.status_changed_at,
        channel=row.channel, customer_name=row.customer_name, customer_phone=row.customer_phone,
        order_no=row.order_no or "", item_count=int(row.item_count or 0),
        refund_total_minor=row.refund_total_minor, currency=row.currency, created_at=row.created_at,
        receive_by=row.receive_by, approval_level=row.approval_level,
    )


# --------------------------------------------------------------------------- the scan's Core read


@dataclass(frozen=True)
class ReturnFacts:
    """What the receiving dock's verdict needs beyond :class:`ReturnDetail`: who set the state and
    who inspected it by their display names, and when it was inspected."""

    status_changed_by_name: str | None
    inspected_by_name: str | None
    inspected_at: datetime | None


def _scan_statements() -> tuple[Select[Any], Select[Any], Select[Any]]:
    """The three statements of :func:`return_detail_by_rma`, built once per process (building a
    statement with table aliases costs more than running it)."""
    r, o, c = Return.__table__.c, SalesOrder.__table__.c, Customer.__table__.c
    changer, creator, inspector = (User.__table__.alias(n) for n in ("changer", "creator", "inspector"))
    head = (
        select(
            r.id, r.rma_no, r.status, r.status_changed_at, r.version, r.channel, r.order_id,
            r.customer_id, r.refund_method, r.resolution, r.in_policy, r.override_reason,
            r.created_by, r.created_at, r.inspected_by, r.inspected_at, r.receive_by,
            r.approval_level, r.approval_reasons, r.refund_total_minor, r.deductions_minor,
            r.shipping_refund_minor, r.currency, r.notes,
            o.order_no, o.sold_at, o.delivered_at,
            c.name.label("customer_name"), c.phone.label("customer_phone"),
            c.address.label("customer_address"),
            changer.c.username.label("changer_username"), changer.c.display_name.label("changer_name"),
            creator.c.username.label("creator_username"), creator.c.display_name.label("creator_name"),
            inspector.c.username.label("inspector_username"),
            inspector.c.display_name.label("inspector_name"),
        )
        .select_from(Return.__table__)
        .join(SalesOrder.__table__, o.id == r.order_id)
        .outerjoin(Customer.__table__, c.id == r.customer_id)
        .outerjoin(changer, changer.c.id == r.status_changed_by)
        .outerjoin(creator, creator.c.id == r.created_by)
        .outerjoin(inspector, inspector.c.id == r.inspected_by)
        .where(r.rma_no == bindparam("rma_no"))
    )
    rl, ol, p, rr = (ReturnLine.__table__.c, SalesOrderLine.__table__.c, Product.__table__.c,
                     ReturnReason.__table__.c)
    lines = (
        select(
            rl.id, rl.line_no, rl.order_line_id, p.id.label("product_id"), p.sku, p.barcode,
            p.name, p.name_zh, p.category, ol.quantity, ol.paid_minor, rl.qty_requested,
            rl.qty_authorized, rl.qty_received, rl.qty_accepted, rl.qty_rejected, rl.reason_code,
            rr.vendor_fault, rl.resolution, rl.condition_notes, rl.policy_status, rl.policy_note,
            rl.grade, rl.disposition, rl.short_closed, rl.refund_minor, rl.deduction_minor,
            rl.fee_minor, p.serial_tracked,
        )
        .select_from(ReturnLine.__table__)
        .join(SalesOrderLine.__table__, ol.id == rl.order_line_id)
        .join(Product.__table__, p.id == rl.product_id)
        .join(ReturnReason.__table__, rr.code == rl.reason_code)
        .where(rl.return_id == bindparam("return_id"))
        .order_by(rl.line_no)
    )
    iu, u = InspectionUnit.__table__.c, User.__table__.c
    units = (
        select(iu.id, iu.return_line_id, iu.scanned_code, iu.outcome, iu.grade, iu.disposition,
               u.username, iu.inspected_at)
        .select_from(InspectionUnit.__table__)
        .join(User.__table__, u.id == iu.inspected_by)
        .where(iu.return_id == bindparam("return_id"))
        .order_by(iu.id)
    )
    return head, lines, units


_SCAN_STATEMENTS: list[tuple[Select[Any], Select[Any], Select[Any]]] = []


def return_detail_by_rma(session: Session | CoreRead, rma_no: str) -> tuple[ReturnDetail, ReturnFacts] | None:
    """The full view of the return ``rma_no`` (None when there is none), read as SQLAlchemy Core
    rows mapped straight into the view: no ORM object is built.

    Three statements: the return with its order, customer and the names of the users it names;
    its lines with the order lines, products and reasons; its inspected units with the inspectors'
    names. In a :class:`CoreRead` the actor's check rides on the first.
    """
    if not _SCAN_STATEMENTS:
        _SCAN_STATEMENTS.append(_scan_statements())
    head_stmt, lines_stmt, units_stmt = _SCAN_STATEMENTS[0]
    if isinstance(session, CoreRead):
        head = session.first(head_stmt, {"rma_no": rma_no})
        conn = session.conn
    else:
        conn = session.connection()
        head = select_first(conn, head_stmt, {"rma_no": rma_no})
    if head is None:
        return None
    line_rows = select_rows(conn, lines_stmt, {"return_id": head.id})
    unit_rows = select_rows(conn, units_stmt, {"return_id": head.id})
    lines = tuple(
        _line_view(x) for x in line_rows
    )
    units = tuple(
        InspectionUnitView(
            id=x.id, return_line_id=x.return_line_id, scanned_code=x.scanned_code,
            outcome=x.outcome, grade=x.grade, disposition=x.disposition, inspected_by=x.username,
            inspected_at=x.inspected_at,
        )
        for x in unit_rows
    )
    detail = ReturnDetail(
        id=head.id, rma_no=head.rma_no, status=head.status, status_changed_at=head.status_changed_at,
        status_changed_by=head.changer_username, version=head.version, channel=head.channel,
        order_id=head.order_id, order_no=head.order_no, sold_at=head.sold_at,
        delivered_at=head.delivered_at, customer_id=head.customer_id,
        customer_name=head.customer_name, customer_phone=head.customer_phone,
        customer_address=head.customer_address, refund_method=head.refund_method,
        resolution=head.resolution, in_policy=head.in_policy, override_reason=head.override_reason,
        created_by=head.creator_username or "", created_by_id=head.created_by,
        created_at=head.created_at, inspected_by=head.inspector_username,
        inspected_by_id=head.inspected_by, receive_by=head.receive_by,
        approval_level=head.approval_level, approval_reasons=_reasons_text(head.approval_reasons),
        refund_total_minor=head.refund_total_minor, deductions_minor=head.deductions_minor,
        shipping_refund_minor=head.shipping_refund_minor, currency=head.currency, notes=head.notes,
        lines=lines, units=units, status_changed_by_name=head.changer_name,
        created_by_name=head.creator_name, inspected_by_name=head.inspector_name,
    )
    return detail, ReturnFacts(head.changer_name, head.inspector_name, head.inspected_at)
