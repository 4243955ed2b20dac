"""The receiving dock: identifying a parcel by its RMA label, receiving it, and parcels without RMA.

Receiving is about the *parcel*: :func:`receive_return` records that the parcel of an authorized
return has arrived (status ``received``, ``received_at``/``received_by``) and moves the units the
return authorizes from the customer into the inspection area of the stock ledger. What the parcel
really holds is counted unit by unit at inspection (:mod:`returndesk.services.usecases.inspection`):
``return_lines.qty_received`` counts the units scanned against a line, and units that were
expected but never turn up go back out of the inspection area as short when inspection completes.

A parcel whose label is missing or unreadable is recorded as an *unexpected parcel* with whatever
can be read from it (tracking number, sender, an order number written on the slip, contents) and
later matched to its return, which receives it, or sent back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from returndesk.domain.codes import MAX_LOOKUP_LENGTH
from returndesk.domain.codes import shown as echo
from returndesk.domain.errors import (
    AlreadyDone,
    IllegalTransition,
    NotFound,
    ValidationFailed,
)
from returndesk.domain.lifecycle import Action
from returndesk.domain.permissions import Permission
from returndesk.domain.scan import (
    CommandScan,
    ItemScan,
    OrderScan,
    RmaScan,
    UnknownScan,
    parse_rma,
)
from returndesk.domain.types import Location, ReturnStatus
from returndesk.store.schema import (
    Return,
    ReturnLine,
    SalesOrder,
    UnexpectedParcel,
)

from returndesk.services.tx import audit, refcache, stock
from returndesk.services.tx.context import Actor, ServiceContext, first_checking_actor
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.tx.updates import write_changes
from returndesk.services.tx.settlement import LOCK_RETURN_BY_RMA
from returndesk.services.usecases.scanning import parse_scan
from returndesk.services.tx.transitions import check_version, transition
from returndesk.services.tx.views import Page, ReturnDetail, read_held, return_detail, return_detail_by_rma
from returndesk.domain.messages import join, msg, template

#: Statuses of an unexpected parcel.
PARCEL_OPEN = "open"
PARCEL_MATCHED = "matched"
PARCEL_RETURNED = "returned"
PARCEL_STATUSES = (PARCEL_OPEN, PARCEL_MATCHED, PARCEL_RETURNED)

#: Longest free text kept on an unexpected parcel, per field (the column sizes).
_PARCEL_LIMITS = {"tracking_no": 80, "sender": 160, "order_hint": 80, "contents": 2000}
_PARCEL_LABELS = {
    "tracking_no": template("tracking number"), "sender": template("sender"), "order_hint": template("order number"),
    "contents": template("description of the contents"),
}

#: States after inspection: the parcel was received and counted already.
_INSPECTED_STATES = frozenset(
    {
        ReturnStatus.INSPECTED,
        ReturnStatus.AWAITING_APPROVAL,
        ReturnStatus.APPROVED,
        ReturnStatus.REFUND_REJECTED,
        ReturnStatus.REFUNDED,
        ReturnStatus.EXCHANGED,
        ReturnStatus.CLOSED,
    }
)


# --------------------------------------------------------------------------- helpers


def canonical_rma(text: str) -> str:
    """The RMA number in canonical form, or ``ValidationFailed`` saying what is wrong with it."""
    return parse_rma(str(text or ""))


def lock_return_by_rma(session: Session, rma_no: str) -> Return:
    """The return, locked and re-read (``populate_existing``: after waiting for another station's
    lock, work on what it committed); ``NotFound`` in words when there is none."""
    rma = canonical_rma(rma_no)
    ret: Return | None = first_checking_actor(session, LOCK_RETURN_BY_RMA, {"rma": rma})
    if ret is None:
        raise NotFound(
            msg(
                "{rma} is not a known RMA. Check the number; a parcel without a known RMA is recorded as a parcel "
                "without RMA.",
                rma=rma)
        )
    return ret


def _when(ts: datetime | None) -> str:
    return f"{ts:%Y-%m-%d %H:%M}" if ts is not None else msg("an unknown time")


def by_on(who: str | None, ts: datetime | None) -> str:
    return msg("by {who} on {when}", who=who, when=_when(ts)) if who else msg("on {when}", when=_when(ts))


def status_words(status: str) -> str:
    """``awaiting_approval`` -> ``awaiting approval``."""
    return status.replace("_", " ")


def parcel_verdict(session: Session, ret: Return) -> tuple[str | None, str | None]:
    """What the receiving dock may do with this return's parcel.

    Returns ``(verdict, next_step)``: ``(None, "receive")`` for an authorized return,
    ``(None, "inspect")`` for a received one, else a sentence saying why the parcel cannot be
    worked on and what to do, and ``None``.
    """
    return _verdict(
        ret.rma_no, ReturnStatus(ret.status), ret.status_changed_at, ret.receive_by,
        set_by=refcache.display_name(session, ret.status_changed_by),
        inspected_by=(refcache.display_name(session, ret.inspected_by)
                      if ret.status in {s.value for s in _INSPECTED_STATES} else None),
        inspected_at=ret.inspected_at,
    )


def _verdict(
    rma: str, status: ReturnStatus, changed_at: datetime | None, receive_by: date | None, *,
    set_by: str | None, inspected_by: str | None, inspected_at: datetime | None,
) -> tuple[str | None, str | None]:
    """:func:`parcel_verdict` of a return's plain values (display names already read)."""
    if status is ReturnStatus.AUTHORIZED:
        return None, "receive"
    if status is ReturnStatus.RECEIVED:
        return None, "inspect"
    set_by_on = by_on(set_by, changed_at)
    if status is ReturnStatus.CANCELLED:
        return msg("{rma} is cancelled ({set_by_on}); do not accept the parcel.", rma=rma, set_by_on=set_by_on), None
    if status is ReturnStatus.REJECTED:
        return msg("{rma} was rejected ({set_by_on}); do not accept the parcel.", rma=rma, set_by_on=set_by_on), None
    if status is ReturnStatus.EXPIRED:
        if receive_by:
            return msg("{rma} expired on {when} (it had to arrive by {deadline:%Y-%m-%d}); do not accept the parcel"
                       " unless customer service issues a new RMA.", rma=rma, when=_when(changed_at),
                       deadline=receive_by), None
        return msg("{rma} expired on {when}; do not accept the parcel unless customer service issues a new RMA.",
                   rma=rma, when=_when(changed_at)), None
    if status in (ReturnStatus.DRAFT, ReturnStatus.REQUESTED, ReturnStatus.WAITING_FOR_CUSTOMER):
        return msg("{rma} is not authorized yet (it is {status}, {set_by_on}); do not accept the parcel until"
                   " customer service authorizes it.", rma=rma, status=status, set_by_on=set_by_on), None
    assert status in _INSPECTED_STATES
    inspected = by_on(inspected_by, inspected_at)
    if status is ReturnStatus.INSPECTED:
        return msg("{rma} was already inspected ({inspected}). Do not inspect it again; a second parcel for it is"
                   " recorded as a parcel without RMA.", rma=rma, inspected=inspected), None
    return msg("{rma} was already inspected ({inspected}); it is now {status}. Do not inspect it again; a second"
               " parcel for it is recorded as a parcel without RMA.", rma=rma, inspected=inspected,
               status=status), None


# --------------------------------------------------------------------------- scanning the label


@dataclass(frozen=True)
class ScanLookup:
    """What the scanning station learned from a scanned RMA label.

    ``detail`` is the return when the label names one; ``verdict`` is ``None`` when the parcel can
    be worked on (``next_step`` says how: ``"receive"`` or ``"inspect"``) and otherwise the
    sentence to show and say, e.g. "R0000012340 is cancelled (by Li on 2026-11-20 14:03); do not
    accept the parcel".
    """

    scanned: str
    rma_no: str | None
    detail: ReturnDetail | None
    verdict: str | None
    next_step: str | None

    @property
    def ok(self) -> bool:
        """True when the parcel can be received or inspected."""
        return self.verdict is None


def _not_a_label(session: Session, text: str, scan: object) -> str:
    shown = echo(text.strip())
    if isinstance(scan, UnknownScan):
        return scan.reason
    if isinstance(scan, CommandScan):
        return msg("'{shown}' is a command from the inspection sheet; scan the RMA label on the parcel first.",
                   shown=shown)
    if isinstance(scan, ItemScan):
        return msg("'{shown}' is a product barcode, not an RMA label; scan the RMA label on the parcel first.",
                   shown=shown)
    if isinstance(scan, OrderScan):
        order = session.execute(
            select(SalesOrder).where(SalesOrder.order_no == scan.order_no)
        ).scalar_one_or_none()
        if order is None:
            return msg("{order_no} is an order number, and no such order exists; scan the RMA label, or record the"
                       " parcel as a parcel without RMA.", order_no=scan.order_no)
        open_rmas = list(
            session.execute(
                select(Return.rma_no)
                .where(Return.order_id == order.id)
                .where(Return.status.in_([ReturnStatus.AUTHORIZED.value, ReturnStatus.RECEIVED.value]))
                .order_by(Return.id)
                .limit(6)
            ).scalars()
        )
        if not open_rmas:
            return msg("{order_no} is an order number, not an RMA label, and the order has no return waiting for its"
                       " parcel. Record the parcel as a parcel without RMA.", order_no=scan.order_no)
        listed = ", ".join(open_rmas[:5])
        return msg(
            "{order_no} is an order number, not an RMA label. Returns of that order waiting for their parcel: "
            "{listed} and more. Scan the RMA label or choose one of them." if len(open_rmas) > 5 else
            "{order_no} is an order number, not an RMA label. Returns of that order waiting for their parcel: "
            "{listed}. Scan the RMA label or choose one of them.", order_no=scan.order_no, listed=listed)
    return msg("'{shown}' is not an RMA label; scan the RMA label on the parcel.", shown=shown)


def find_return_by_scan(ctx: ServiceContext, actor: Actor, text: str) -> ScanLookup:
    """The return a scanned (or typed) RMA label names, with the verdict of the receiving dock.

    Never raises for what the scanner sent: an unreadable code, a product barcode, an order number,
    an unknown RMA, a cancelled, expired, rejected or already inspected return all come back as a
    ``ScanLookup`` whose ``verdict`` says what is wrong and what to do.
    """
    actor.require(Permission.RECEIVE)
    raw = text if isinstance(text, str) else ""
    scan = parse_scan(raw)
    # What the lookup repeats back: the scan as sent, but never a megabyte of it.
    sent = raw if len(raw) <= MAX_LOOKUP_LENGTH else echo(raw)
    if not isinstance(scan, RmaScan):
        with ctx.read(actor) as s:
            return ScanLookup(sent, None, None, _not_a_label(s, sent, scan), None)
    with ctx.read_core(actor) as read:
        found = return_detail_by_rma(read, scan.rma)
        if found is None:
            return ScanLookup(
                sent, scan.rma, None,
                msg("{rma} is not a known RMA; do not accept the parcel as a return. Put it aside and record it as"
                    " a parcel without RMA.", rma=scan.rma),
                None,
            )
        detail, facts = found
        verdict, step = _verdict(
            detail.rma_no, ReturnStatus(detail.status), detail.status_changed_at, detail.receive_by,
            set_by=facts.status_changed_by_name, inspected_by=facts.inspected_by_name,
            inspected_at=facts.inspected_at,
        )
        return ScanLookup(sent, detail.rma_no, detail, verdict, step)


# --------------------------------------------------------------------------- receiving


def receive_return(
    ctx: ServiceContext, actor: Actor, rma_no: str, *, expected_version: int | None = None
) -> ReturnDetail:
    """Record the arrival of an authorized return's parcel: authorized -> received.

    Stamps ``received_at``/``received_by`` and moves the authorized units from the customer into
    the inspection area; they are counted one by one at inspection. A return in any other state is
    refused with ``IllegalTransition`` naming its state, who set it and when.
    """
    actor.require(Permission.RECEIVE)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor, actor_in_first_read=True) as s:
        ret = lock_return_by_rma(s, rma_no)
        check_version(s, ret, expected_version)
        detail = receive_return_in(s, ctx, actor, ret)
    ctx.changed("return", detail.id)
    return detail


def receive_return_in(
    session: Session, ctx: ServiceContext, actor: Actor, ret: Return | str
) -> ReturnDetail:
    """:func:`receive_return` inside the caller's transaction (the counter fast path composes it).

    ``ret`` is the locked Return row, or an RMA number to lock.
    """
    actor.require(Permission.RECEIVE)
    if isinstance(ret, str):
        ret = lock_return_by_rma(session, ret)
    # The lines with what the result shows besides (order, customer, products), in one statement.
    lines, _, held = read_held(session, ret)
    expected = {line.line_no: authorized_units(line) for line in lines}
    transition(
        session, ctx, actor, ret, Action.RECEIVE,
        details={"units_expected": {str(k): v for k, v in expected.items()}},
    )
    ret.received_at = ctx.now()
    ret.received_by = actor.user_id
    # Every line's units into inspection, in one round trip.
    stock.move_many(session, ctx, actor, [
        stock.Move(product_id=line.product_id, from_location=Location.CUSTOMER,
                   to_location=Location.INSPECTION, quantity=expected[line.line_no],
                   reason="return_received", return_id=ret.id)
        for line in lines if expected[line.line_no] > 0
    ])
    write_changes(session)
    # Units are recorded only once a return is received: this one has none yet.
    return return_detail(session, ret, (), held)


def authorized_units(line: ReturnLine) -> int:
    """Units a line expects in the parcel (what was authorized; the request before that)."""
    return line.qty_authorized or line.qty_requested


# --------------------------------------------------------------------------- parcels without RMA


@dataclass(frozen=True)
class ParcelView:
    """A parcel that arrived without a usable RMA, as recorded at the dock."""

    id: int
    received_at: datetime
    received_by: str
    station: str | None
    tracking_no: str | None
    sender: str | None
    order_hint: str | None
    contents: str | None
    status: str
    matched_rma: str | None


def _parcel_view(session: Session, parcel: UnexpectedParcel) -> ParcelView:
    rma = None
    if parcel.matched_return_id is not None:
        rma = session.execute(
            select(Return.rma_no).where(Return.id == parcel.matched_return_id)
        ).scalar_one_or_none()
    return ParcelView(
        id=parcel.id, received_at=parcel.received_at,
        received_by=refcache.display_name(session, parcel.received_by) or "",
        station=parcel.station, tracking_no=parcel.tracking_no, sender=parcel.sender,
        order_hint=parcel.order_hint, contents=parcel.contents, status=parcel.status,
        matched_rma=rma,
    )


def _parcel_fields(**fields: str | None) -> dict[str, str | None]:
    cleaned: dict[str, str | None] = {}
    problems: list[str] = []
    for name, value in fields.items():
        text = " ".join(str(value).split()) if value is not None else ""
        if name == "contents" and value is not None:
            text = str(value).strip()
        limit = _PARCEL_LIMITS[name]
        if len(text) > limit:
            problems.append(
                msg(
                    "The {parcel_labels} is {text_count} characters long; keep it to {limit}.",
                    parcel_labels=msg(_PARCEL_LABELS[name]), text_count=len(text), limit=limit)
            )
        cleaned[name] = text or None
    if not any(cleaned.values()):
        problems.append(
            msg(
                "Write down at least one thing that identifies the parcel: the tracking number, the sender, an order "
                "number or what is inside.")
        )
    if problems:
        message = problems[0] if len(problems) == 1 else msg("The parcel was not recorded: {problems}",
                                                             problems=join(problems))
        raise ValidationFailed(message, problems)
    return cleaned


def record_unexpected_parcel(
    ctx: ServiceContext,
    actor: Actor,
    *,
    tracking_no: str | None = None,
    sender: str | None = None,
    order_hint: str | None = None,
    contents: str | None = None,
) -> ParcelView:
    """Record a parcel that arrived without a usable RMA, so that it is never lost.

    At least one of the fields must say something; the parcel stays ``open`` until it is matched
    to its return (:func:`match_parcel`) or sent back (:func:`return_parcel`).
    """
    actor.require(Permission.RECEIVE)
    fields = _parcel_fields(
        tracking_no=tracking_no, sender=sender, order_hint=order_hint, contents=contents
    )
    with guarded_write(ctx, msg("the parcel"), actor) as s:
        parcel = UnexpectedParcel(
            received_at=ctx.now(), received_by=actor.user_id, station=actor.station or ctx.station,
            status=PARCEL_OPEN, **fields,
        )
        s.add(parcel)
        s.flush()
        audit.record(s, ctx, actor, "parcel", parcel.id, "parcel_recorded", None,
                     {"status": PARCEL_OPEN, **fields})
        view = _parcel_view(s, parcel)
    ctx.changed("parcel", view.id)
    return view


def list_unexpected_parcels(
    ctx: ServiceContext,
    actor: Actor,
    status: str = PARCEL_OPEN,
    *,
    after: str | None = None,
    limit: int = 50,
) -> Page[ParcelView]:
    """Parcels without RMA in ``status`` (open, matched or returned), oldest first, one keyset
    page; pass the page's ``next_cursor`` as ``after`` for the next one."""
    actor.require(Permission.RECEIVE)
    if status not in PARCEL_STATUSES:
        raise ValidationFailed(
            msg(
                "'{status}' is not a parcel status; use one of {parcel_statuses}.",
                status=status, parcel_statuses=', '.join(PARCEL_STATUSES))
        )
    limit = max(1, min(int(limit), 500))
    with ctx.read(actor) as s:
        stmt = select(UnexpectedParcel).where(UnexpectedParcel.status == status)
        if after:
            ts, last_id = Page.decode_cursor(after)
            stmt = stmt.where(tuple_(UnexpectedParcel.received_at, UnexpectedParcel.id) > (ts, last_id))
        rows = list(
            s.execute(
                stmt.order_by(UnexpectedParcel.received_at, UnexpectedParcel.id).limit(limit + 1)
            ).scalars()
        )
        more = len(rows) > limit
        rows = rows[:limit]
        cursor = Page.encode_cursor(rows[-1].received_at, rows[-1].id) if more else None
        return Page(tuple(_parcel_view(s, p) for p in rows), cursor)


def _lock_parcel(session: Session, parcel_id: int) -> UnexpectedParcel:
    parcel = session.execute(
        select(UnexpectedParcel).where(UnexpectedParcel.id == parcel_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if parcel is None:
        raise NotFound(msg(
            "There is no parcel #{parcel_id}; reload the list of parcels without RMA.",
            parcel_id=parcel_id))
    return parcel


def _require_open(session: Session, parcel: UnexpectedParcel) -> None:
    if parcel.status == PARCEL_OPEN:
        return
    view = _parcel_view(session, parcel)
    if parcel.status == PARCEL_MATCHED:
        raise AlreadyDone(msg("Parcel #{id} was already matched to {rma}; reload the list.", id=parcel.id,
                              rma=view.matched_rma))
    raise AlreadyDone(msg("Parcel #{id} was already sent back; reload the list.", id=parcel.id))


def match_parcel(
    ctx: ServiceContext, actor: Actor, parcel_id: int, rma_no: str
) -> ParcelView:
    """Match a parcel without RMA to its return.

    An authorized return is received by the match (its parcel has arrived); a received return
    only gets the parcel linked (a second parcel of the same return). A return in any other state
    cannot take the parcel: ``IllegalTransition`` with the dock's verdict (cancelled, expired,
    already inspected...).
    """
    actor.require(Permission.RECEIVE)
    received_id: int | None = None
    with guarded_write(ctx, msg("parcel #{parcel_id}", parcel_id=parcel_id), actor) as s:
        # Lock order as everywhere: the return first, then the rows that hang off it.
        ret = lock_return_by_rma(s, rma_no)
        parcel = _lock_parcel(s, parcel_id)
        _require_open(s, parcel)
        verdict, step = parcel_verdict(s, ret)
        if verdict is not None:
            raise IllegalTransition(
                msg("Parcel #{id} cannot be matched: {verdict}", id=parcel.id, verdict=verdict), current=ret.status,
                action="match_parcel",
            )
        if step == "receive":
            receive_return_in(s, ctx, actor, ret)
            received_id = ret.id
        parcel.status = PARCEL_MATCHED
        parcel.matched_return_id = ret.id
        audit.record(s, ctx, actor, "parcel", parcel.id, "parcel_matched",
                     {"status": PARCEL_OPEN}, {"status": PARCEL_MATCHED, "rma": ret.rma_no,
                                               "received": step == "receive"})
        s.flush()
        view = _parcel_view(s, parcel)
    ctx.changed("parcel", view.id)
    if received_id is not None:
        ctx.changed("return", received_id)
    return view


def return_parcel(ctx: ServiceContext, actor: Actor, parcel_id: int, *, note: str) -> ParcelView:
    """Send a parcel without RMA back to its sender (no return could be found for it).

    ``note`` says why and how (it is kept in the audit trail).
    """
    actor.require(Permission.RECEIVE)
    text = " ".join(str(note or "").split())
    if len(text) < 5:
        raise ValidationFailed(
            msg("Write why the parcel goes back and how it is sent (at least 5 characters).")
        )
    with guarded_write(ctx, msg("parcel #{parcel_id}", parcel_id=parcel_id), actor) as s:
        parcel = _lock_parcel(s, parcel_id)
        _require_open(s, parcel)
        parcel.status = PARCEL_RETURNED
        audit.record(s, ctx, actor, "parcel", parcel.id, "parcel_returned",
                     {"status": PARCEL_OPEN}, {"status": PARCEL_RETURNED, "note": text})
        s.flush()
        view = _parcel_view(s, parcel)
    ctx.changed("parcel", view.id)
    return view
