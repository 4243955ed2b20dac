"""The counters' cash: one shift per counter station, from its float to its count.

A clerk opens the station's shift with the float put into the drawer. Every cash refund paid at
that station while the shift is open is recorded against it (``refunds.cash_shift_id``, written
by :func:`returndesk.services.usecases.refunds.issue_refund_in` and by an exchange refunding its
difference, through :func:`shift_for_cash`), and so is the cash a customer pays for dearer
replacement goods (``replacement_orders.cash_shift_id``, through :func:`shift_for_collection`).
At the end the clerk counts the drawer and closes the shift: the drawer should hold the float less
the cash paid out plus the cash taken in; the difference (counted − expected) is kept on the shift and posted to the
journal (``1001`` cash against ``1901`` pending gains and losses) until someone explains it.

A station that has ever opened a shift keeps shifts: from then on cash is paid out there only
while a shift is open. A station that never did pays cash as before, outside any shift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from returndesk.domain.errors import (
    AlreadyDone,
    NotFound,
    PolicyViolation,
    ValidationFailed,
)
from returndesk.domain.money import format_money
from returndesk.domain.permissions import Permission, can
from returndesk.domain.postings import cash_difference_postings
from returndesk.domain.types import RefundMethod
from returndesk.services.tx import audit, refcache
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.tx.sequences import next_document_no
from returndesk.services.tx.views import Page
from returndesk.services.usecases import finance
from returndesk.services.usecases.sites import site_of_station, zone_for_station
from returndesk.store.schema import CashShift, Refund, ReplacementOrder, Return
from returndesk.domain.messages import Message, msg

OPEN, CLOSED = "open", "closed"
#: The largest float or count accepted (a typing slip of a few zeros is refused, not posted).
MAX_CASH_MINOR = 100_000_000  # 1,000,000.00


@dataclass(frozen=True)
class CashPayment:
    """One cash refund paid out of a shift's drawer."""

    refund_no: str
    rma_no: str
    paid_at: datetime
    amount_minor: int
    paid_by: str


@dataclass(frozen=True)
class CashShiftView:
    """A cash shift; ``expected_minor`` is what the drawer should hold now (open) or held (closed)."""

    id: int
    shift_no: str
    station: str
    site: str | None
    status: str
    currency: str
    float_minor: int
    paid_out_minor: int
    payments: int
    expected_minor: int
    opened_by: str
    opened_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    counted_minor: int | None
    difference_minor: int | None
    entry_no: str | None
    note: str | None
    version: int
    taken_in_minor: int = 0  # exchange differences the customers paid in cash into the drawer
    collections: int = 0

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


@dataclass(frozen=True)
class CashShiftReport:
    """A shift with every cash payment of it, for the shift report."""

    shift: CashShiftView
    payments: tuple[CashPayment, ...]
    time_zone: str
    #: Cash taken in: exchange differences paid by customers (``refund_no`` holds the replacement
    #: order's number, ``paid_by`` who took the money).
    collections: tuple[CashPayment, ...] = ()


def _station(ctx: ServiceContext, actor: Actor) -> str:
    station = actor.station or ctx.station
    if not station:
        raise ValidationFailed(
            msg(
                "This computer has no station name, and a cash shift belongs to a counter station. Name the station "
                "in File ▸ Station settings first.")
        )
    return station


def _check_amount(what: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(msg("The {what} must be an amount, not {value!r}.", what=what, value=value))
    if value < 0:
        raise ValidationFailed(msg("The {what} cannot be negative ({value}).", what=what, value=format_money(value)))
    if value > MAX_CASH_MINOR:
        raise ValidationFailed(
            msg(
                "The {what} of {value} is more than a drawer holds; check the amount.",
                what=what, value=format_money(value))
        )
    return value


def _paid_out(session: Session, shift_id: int) -> tuple[int, int]:
    total, count = session.execute(
        select(func.coalesce(func.sum(Refund.amount_minor), 0), func.count(Refund.id))
        .where(Refund.cash_shift_id == shift_id)
    ).one()
    return int(total), int(count)


def _taken_in(session: Session, shift_id: int) -> tuple[int, int]:
    total, count = session.execute(
        select(func.coalesce(func.sum(ReplacementOrder.collected_minor), 0), func.count(ReplacementOrder.id))
        .where(ReplacementOrder.cash_shift_id == shift_id)
    ).one()
    return int(total or 0), int(count)


def _in_drawer(session: Session, row: CashShift) -> int:
    """What the drawer of the open shift ``row`` should hold now: the float, less the cash paid
    out, plus the cash taken in."""
    paid, _count = _paid_out(session, row.id)
    taken, _count = _taken_in(session, row.id)
    return row.float_minor - paid + taken


def _view(session: Session, row: CashShift) -> CashShiftView:
    paid, count = _paid_out(session, row.id)
    taken, collections = _taken_in(session, row.id)
    names = refcache.user_names(session, [row.opened_by, row.closed_by])
    expected = row.expected_minor if row.expected_minor is not None else row.float_minor - paid + taken
    return CashShiftView(
        id=row.id, shift_no=row.shift_no, station=row.station, site=row.site, status=row.status,
        currency=row.currency, float_minor=row.float_minor, paid_out_minor=paid, payments=count,
        expected_minor=expected, opened_by=names.get(row.opened_by, ("", ""))[1],
        opened_at=row.opened_at,
        closed_by=names[row.closed_by][1] if row.closed_by in names else None,
        closed_at=row.closed_at, counted_minor=row.counted_minor, difference_minor=row.difference_minor,
        entry_no=row.entry_no, note=row.note, version=row.version, taken_in_minor=taken, collections=collections,
    )


def _open_row(session: Session, station: str, *, lock: bool = False) -> CashShift | None:
    stmt = select(CashShift).where(CashShift.open_station == station)
    if lock:
        stmt = stmt.with_for_update()
    return session.execute(stmt).scalar_one_or_none()


def lock_open_shift(session: Session, ctx: ServiceContext, actor: Actor) -> None:
    """Lock the open shift of the user's station, if one is open, ahead of the order lines and the
    number sequences: the place of the counter's drawer in the lock order of every money
    transaction (see ``settlement``), for a transaction that may pay cash out of it later (an
    exchange refunding a difference, a counter return refunded on the spot). Refuses nothing:
    paying out checks the shift as before."""
    station = actor.station or ctx.station
    if station:
        _open_row(session, station, lock=True)


# --------------------------------------------------------------------------- the counter's side


def current_shift(ctx: ServiceContext, actor: Actor) -> CashShiftView | None:
    """The open shift of the station the user is signed in at (None: no shift is open)."""
    actor.require(Permission.ISSUE_CASH_REFUND)
    station = _station(ctx, actor)
    with ctx.read(actor) as s:
        row = _open_row(s, station)
        return _view(s, row) if row is not None else None


def open_shift(ctx: ServiceContext, actor: Actor, float_minor: int, *, currency: str = "CNY") -> CashShiftView:
    """Open the cash shift of the user's station with ``float_minor`` in the drawer."""
    actor.require(Permission.ISSUE_CASH_REFUND)
    station = _station(ctx, actor)
    float_minor = _check_amount(msg("float"), float_minor)
    try:
        with guarded_write(ctx, msg("the cash shift of station {station}", station=station), actor) as s:
            existing = _open_row(s, station, lock=True)
            if existing is not None:
                raise AlreadyDone(
                    msg(
                        "Station {station} has an open cash shift already ({shift_no}, opened {opened_at:%Y-%m-%d "
                        "%H:%M} UTC); close it before opening another.",
                        station=station, shift_no=existing.shift_no, opened_at=existing.opened_at)
                )
            now = ctx.now()
            row = CashShift(
                shift_no=next_document_no(s, "cash_shift", "CS", now.year), station=station,
                open_station=station, site=site_of_station(s, station), status=OPEN, currency=currency,
                float_minor=float_minor, opened_by=actor.user_id, opened_at=now,
            )
            s.add(row)
            s.flush()
            audit.record(s, ctx, actor, "cash_shift", row.shift_no, "opened", None,
                         {"station": station, "float_minor": float_minor})
            view = _view(s, row)
    except IntegrityError as exc:
        raise AlreadyDone(
            msg(
                "Another user opened the cash shift of station {station} at the same moment; use that one.",
                station=station)
        ) from exc
    ctx.changed("cash_shift", view.id)
    return view


def close_shift(ctx: ServiceContext, actor: Actor, counted_minor: int, *, note: str | None = None) -> CashShiftView:
    """Close the open shift of the user's station with the cash counted in the drawer.

    The difference to what the drawer should hold (computed here, under the shift's lock, so a
    refund paid a moment before counts) is kept on the shift and posted to the journal. A
    difference needs a note saying what is known of it.
    """
    actor.require(Permission.ISSUE_CASH_REFUND)
    station = _station(ctx, actor)
    counted_minor = _check_amount(msg("counted amount"), counted_minor)
    note = (note or "").strip() or None
    if note is not None and len(note) > 500:
        raise ValidationFailed(msg(
            "The note is {note_count} characters long; keep it to 500.",
            note_count=len(note)))
    with guarded_write(ctx, msg("the cash shift of station {station}", station=station), actor) as s:
        row = _open_row(s, station, lock=True)
        if row is None:
            raise NotFound(msg("Station {station} has no open cash shift to close.", station=station))
        expected = _in_drawer(s, row)
        difference = counted_minor - expected
        if difference and note is None:
            raise ValidationFailed(
                msg(
                    "The drawer holds {counted_minor} but should hold {expected}: write a note on the difference of "
                    "{difference} before closing.",
                    counted_minor=format_money(counted_minor, row.currency),
                    expected=format_money(expected, row.currency), difference=format_money(difference, row.currency))
            )
        now = ctx.now()
        memo = (msg("Cash shift {shift_no} at {station}: over", shift_no=row.shift_no, station=station)
                if difference > 0 else
                msg("Cash shift {shift_no} at {station}: short", shift_no=row.shift_no, station=station))
        entry = finance.post_entry(s, ctx, memo=memo, postings=cash_difference_postings(difference, memo))
        row.status = CLOSED
        row.open_station = None
        row.closed_by = actor.user_id
        row.closed_at = now
        row.expected_minor = expected
        row.counted_minor = counted_minor
        row.difference_minor = difference
        row.entry_no = entry.entry_no if entry is not None else None
        row.note = note
        s.flush()
        audit.record(s, ctx, actor, "cash_shift", row.shift_no, "closed", None, {
            "expected_minor": expected, "counted_minor": counted_minor, "difference_minor": difference,
            "journal_entry": row.entry_no, "note": note,
        })
        view = _view(s, row)
    ctx.changed("cash_shift", view.id)
    return view


def shift_for_cash(session: Session, ctx: ServiceContext, actor: Actor, refund_method: RefundMethod | str,
                   amount_minor: int) -> int | None:
    """The id of the shift a cash refund of ``amount_minor`` is paid out of, inside the refund's
    transaction (the shift row is locked so that its close waits for the refund); None for other
    methods and at stations that keep no shifts. Refused when the station keeps shifts but none
    is open, or when the drawer does not hold the amount."""
    if RefundMethod(refund_method) is not RefundMethod.CASH:
        return None
    row = _shift_for_drawer(session, ctx, actor, msg("paying out cash, or choose another refund method"))
    if row is None:
        return None
    held = _in_drawer(session, row)
    if amount_minor > held:
        raise PolicyViolation(
            msg(
                "The drawer of shift {shift_no} should hold {float_minor}, less than the {amount_minor} to pay out. "
                "Choose another refund method, or close the shift and open it with a larger float.",
                shift_no=row.shift_no, float_minor=format_money(held, row.currency),
                amount_minor=format_money(amount_minor, row.currency))
        )
    return row.id


def shift_for_collection(session: Session, ctx: ServiceContext, actor: Actor) -> int | None:
    """The id of the shift whose drawer takes cash a customer pays at the counter (an exchange's
    difference), inside that payment's transaction (the shift row locked, so that its close waits);
    None at stations that keep no shifts. Refused when the station keeps shifts but none is open."""
    row = _shift_for_drawer(session, ctx, actor, msg("taking cash, or let the customer pay another way"))
    return row.id if row is not None else None


def _shift_for_drawer(session: Session, ctx: ServiceContext, actor: Actor, before: Message) -> CashShift | None:
    """The station's open shift, locked; None at a station that keeps no shifts. Refused, saying to
    open the shift before ``before``, when the station keeps shifts but none is open."""
    station = actor.station or ctx.station
    if not station:
        return None
    row = _open_row(session, station, lock=True)
    if row is None:
        kept = session.execute(select(CashShift.id).where(CashShift.station == station).limit(1)).first()
        if kept is None:
            return None
        raise PolicyViolation(
            msg("Station {station} has no open cash shift: open the shift with its float before {before}.",
                station=station, before=before)
        )
    return row


# --------------------------------------------------------------------------- finance's side


def _may_read(actor: Actor) -> None:
    if not can(actor.role, Permission.ISSUE_CASH_REFUND):
        actor.require(Permission.VIEW_FINANCE)


def find_shifts(ctx: ServiceContext, actor: Actor, date_from: date, date_to: date, *,
                station: str | None = None, after: str | None = None, limit: int = 100) -> Page[CashShiftView]:
    """Shifts opened in the period (days of the user's site), newest first, one keyset page."""
    actor.require(Permission.VIEW_FINANCE)
    from returndesk.services.usecases.exporting import _bind, period_bounds

    limit = max(1, min(int(limit), 500))
    with ctx.read(actor) as s:
        lo, hi = period_bounds(date_from, date_to, zone_for_station(s, actor.station or ctx.station))
        stmt = select(CashShift).where(CashShift.opened_at >= _bind(s, lo), CashShift.opened_at < _bind(s, hi))
        if station:
            stmt = stmt.where(CashShift.station == station.strip())
        if after is not None:
            ts, last_id = Page.decode_cursor(after)
            ts = _bind(s, ts)
            stmt = stmt.where((CashShift.opened_at < ts) | ((CashShift.opened_at == ts) & (CashShift.id < last_id)))
        stmt = stmt.order_by(CashShift.opened_at.desc(), CashShift.id.desc()).limit(limit + 1)
        rows = s.execute(stmt).scalars().all()
        more = len(rows) > limit
        rows = rows[:limit]
        items = tuple(_view(s, r) for r in rows)
        cursor = Page.encode_cursor(rows[-1].opened_at, rows[-1].id) if more and rows else None
        return Page(items, cursor)


def shift_report(ctx: ServiceContext, actor: Actor, shift_no: str) -> CashShiftReport:
    """A shift with its cash payments (the clerks of the counter and finance may read it)."""
    _may_read(actor)
    shift_no = (shift_no or "").strip().upper()
    with ctx.read(actor) as s:
        row = s.execute(select(CashShift).where(CashShift.shift_no == shift_no)).scalar_one_or_none()
        if row is None:
            raise NotFound(msg("There is no cash shift {shift_no}. Check the number.", shift_no=shift_no[:30]))
        refunds = s.execute(
            select(Refund.refund_no, Return.rma_no, Refund.issued_at, Refund.amount_minor, Refund.issued_by)
            .join(Return, Return.id == Refund.return_id)
            .where(Refund.cash_shift_id == row.id)
            .order_by(Refund.issued_at, Refund.id)
        ).all()
        taken = s.execute(
            select(ReplacementOrder.order_no, Return.rma_no, ReplacementOrder.collected_at,
                   ReplacementOrder.collected_minor, ReplacementOrder.collected_by)
            .join(Return, Return.id == ReplacementOrder.return_id)
            .where(ReplacementOrder.cash_shift_id == row.id)
            .order_by(ReplacementOrder.collected_at, ReplacementOrder.id)
        ).all()
        names = refcache.user_names(s, [r.issued_by for r in refunds] + [t.collected_by for t in taken])
        payments = tuple(
            CashPayment(r.refund_no, r.rma_no, r.issued_at, r.amount_minor, names.get(r.issued_by, ("", ""))[1])
            for r in refunds
        )
        collections = tuple(
            CashPayment(t.order_no, t.rma_no, t.collected_at, int(t.collected_minor or 0),
                        names.get(t.collected_by, ("", ""))[1])
            for t in taken
        )
        from returndesk.services.usecases.sites import zone_name_for_site

        return CashShiftReport(_view(s, row), payments, zone_name_for_site(s, row.site), collections)


def shift_report_pdf(ctx: ServiceContext, actor: Actor, shift_no: str, *, lang: str = "en") -> bytes:
    """The shift report as an A4 PDF, times in the shift's site's zone."""
    from returndesk.documents.cash_shift import (
        CashShiftData,
        ShiftPaymentData,
        render_cash_shift,
    )
    from returndesk.documents.data import check_lang
    from returndesk.domain.localtime import zone

    check_lang(lang)
    report = shift_report(ctx, actor, shift_no)
    tz = zone(report.time_zone)
    shift = report.shift

    def local(value: datetime) -> datetime:
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(tz)

    data = CashShiftData(
        shift_no=shift.shift_no, station=shift.station, site=shift.site, currency=shift.currency,
        opened_at=local(shift.opened_at), opened_by=shift.opened_by,
        closed_at=local(shift.closed_at) if shift.closed_at else None, closed_by=shift.closed_by,
        float_minor=shift.float_minor, paid_out_minor=shift.paid_out_minor, expected_minor=shift.expected_minor,
        counted_minor=shift.counted_minor, difference_minor=shift.difference_minor, entry_no=shift.entry_no,
        note=shift.note,
        payments=[ShiftPaymentData(local(p.paid_at), p.refund_no, p.rma_no, p.amount_minor, p.paid_by)
                  for p in report.payments],
        collections=[ShiftPaymentData(local(c.paid_at), c.refund_no, c.rma_no, c.amount_minor, c.paid_by)
                     for c in report.collections],
        taken_in_minor=shift.taken_in_minor,
        time_zone=report.time_zone, lang=lang,  # type: ignore[arg-type]
    )
    return render_cash_shift(data)
