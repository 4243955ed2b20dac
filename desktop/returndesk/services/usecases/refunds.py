"""Issuing a refund — exactly once — with its credit note and balanced journal; closing a return.

A refund is issued at most once per return. Three things make that hold: the return row is locked
(``FOR UPDATE``) for the whole transaction, so a second station waits and then finds the return
refunded; an existing refund is looked for before anything is written, giving the clear
``AlreadyDone`` sentence; and the unique constraint on ``refunds.return_id`` refuses whatever still
slips through, translated to the same sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, bindparam, inspect, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, make_transient_to_detached

from returndesk.domain.errors import AlreadyDone, NotFound, PolicyViolation
from returndesk.domain.lifecycle import Action
from returndesk.domain.money import format_money
from returndesk.domain.permissions import Permission, can
from returndesk.domain.scan import parse_rma
from returndesk.domain.types import RefundMethod, Resolution, ReturnStatus
from returndesk.store.schema import (
    Base,
    CreditNote,
    JournalEntry,
    Product,
    Refund,
    RefundLine,
    ReplacementOrder,
    Return,
    ReturnLine,
)
from returndesk.store.select_rows import write_returning, write_rows

from returndesk.services.usecases import cash, finance, store_credit
from returndesk.services.tx import refcache
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.tx.updates import write_changes
from returndesk.services.tx.inserts import insert_one
from returndesk.services.tx.sequences import document_no, next_values
from returndesk.services.tx.settlement import (
    check_cash,
    approved_refund,
    check_lines_add_up,
    lock_order_lines,
    lock_return,
    payment_method,
    refunded_lines_held,
    require_state,
    settle_line,
)
from returndesk.services.tx.transitions import check_version, transition
from returndesk.services.tx.views import ReturnDetail, read_held, return_detail
from returndesk.domain.messages import msg


@dataclass(frozen=True)
class RefundLineView:
    return_line_id: int
    line_no: int
    sku: str
    amount_minor: int
    tax_minor: int


@dataclass(frozen=True)
class RefundView:
    id: int
    refund_no: str
    return_id: int
    rma_no: str
    method: str
    amount_minor: int
    currency: str
    issued_by: str
    issued_by_id: int
    issued_at: datetime
    station: str | None
    external_ref: str | None
    credit_note_no: str | None
    lines: tuple[RefundLineView, ...]


@dataclass(frozen=True)
class RefundResult:
    """What a refund produced; ``detail`` is the return as refunded (ready for the receipt)."""

    refund: RefundView
    credit_note_no: str | None
    entry_no: str | None
    detail: ReturnDetail


def refund_view(
    session: Session, refund: Refund, *, rma_no: str | None = None, credit_note_no: str | None = None,
    lines: tuple[RefundLineView, ...] | None = None,
) -> RefundView:
    """The detached view of a refund row; ``rma_no``, ``credit_note_no`` and the refund's
    ``lines`` when the caller has them at hand (else they are read)."""
    if rma_no is None:
        rma_no = session.execute(select(Return.rma_no).where(Return.id == refund.return_id)).scalar_one()
    issuer = refcache.display_name(session, refund.issued_by)
    note = credit_note_no
    if note is None and refund.credit_note_id is not None:
        note = session.execute(
            select(CreditNote.number).where(CreditNote.id == refund.credit_note_id)
        ).scalar_one()
    lines = lines if lines is not None else tuple(
        RefundLineView(rl.return_line_id, line_no, sku, rl.amount_minor, rl.tax_minor)
        for rl, line_no, sku in session.execute(
            select(RefundLine, ReturnLine.line_no, Product.sku)
            .join(ReturnLine, ReturnLine.id == RefundLine.return_line_id)
            .join(Product, Product.id == ReturnLine.product_id)
            .where(RefundLine.refund_id == refund.id)
            .order_by(ReturnLine.line_no)
        )
    )
    return RefundView(
        id=refund.id, refund_no=refund.refund_no, return_id=refund.return_id, rma_no=rma_no,
        method=refund.method, amount_minor=refund.amount_minor, currency=refund.currency,
        issued_by=issuer or "", issued_by_id=refund.issued_by, issued_at=refund.issued_at,
        station=refund.station, external_ref=refund.external_ref, credit_note_no=note, lines=lines,
    )


def _already_done(session: Session, ret: Return, refund: Refund) -> AlreadyDone:
    view = refund_view(session, refund)
    exchanged = session.execute(
        select(ReplacementOrder.order_no).where(ReplacementOrder.return_id == ret.id)
    ).scalar_one_or_none()
    return AlreadyDone(
        msg(
            "Return {rma_no} was exchanged already ({exchanged}; difference refunded as {refund_no}, {amount_minor}, "
            "by {value}, at {issued_at:%Y-%m-%d %H:%M}). Nothing was paid again." if exchanged else
            "Return {rma_no} was refunded already ({refund_no}, {amount_minor}, by {value}, at "
            "{issued_at:%Y-%m-%d %H:%M}). Nothing was paid again.",
            rma_no=ret.rma_no, exchanged=exchanged, refund_no=view.refund_no,
            amount_minor=format_money(view.amount_minor, view.currency),
            value=view.issued_by or msg('another user'), issued_at=view.issued_at)
    )


def existing_refund(session: Session, return_id: int) -> Refund | None:
    """The refund of a return, if one was issued."""
    return session.execute(
        select(Refund).where(Refund.return_id == return_id)
    ).scalar_one_or_none()


_REFUNDS = Base.metadata.tables[Refund.__tablename__]
_INSERT_REFUND_LINE = insert(Base.metadata.tables[RefundLine.__tablename__])
#: :func:`insert_refund_once`'s statement, by dialect (its values are the parameters).
_INSERT_REFUND: dict[str, Any] = {}


def _insert_refund(dialect: str) -> Any:
    found = _INSERT_REFUND.get(dialect)
    if found is None:
        dialect_insert = pg_insert if dialect == "postgresql" else sqlite_insert
        found = _INSERT_REFUND[dialect] = (
            dialect_insert(_REFUNDS).on_conflict_do_nothing(index_elements=[_REFUNDS.c.return_id])
            .returning(_REFUNDS.c.id))
    return found


def insert_refund_once(session: Session, ret: Return, refund: Refund) -> None:
    """Insert ``refund`` (in the session from then on, its id set), turning a violation of "one
    refund per return" into ``AlreadyDone``.

    One statement, ``INSERT ... ON CONFLICT (return_id) DO NOTHING RETURNING id``: when another
    refund of the return is there already nothing is inserted and no error is raised, so the
    transaction (on PostgreSQL too) stays usable to read the refund that won and name it.
    """
    table = _REFUNDS
    state = inspect(refund)
    values = {c.key: state.dict[c.key] for c in table.columns if c.key != "id" and c.key in state.dict}
    conn = session.connection()
    returned = write_returning(conn, _insert_refund(conn.dialect.name), values)
    new_id = returned[0][0] if returned else None
    if new_id is None:
        winner = existing_refund(session, ret.id)
        if winner is None:  # pragma: no cover - the conflict was on return_id
            raise RuntimeError(f"the refund of return {ret.rma_no} was refused, yet none is there")
        raise _already_done(session, ret, winner)
    refund.id = new_id
    # The row is written: the object joins the session as what it is, without another insert.
    make_transient_to_detached(refund)
    session.add(refund)


def exchange_lines(lines: Iterable[ReturnLine]) -> list[ReturnLine]:
    """The lines the customer asked to exchange (and did not change their mind about) that hold
    accepted units or may still receive some."""
    return [
        line for line in lines
        if line.resolution == Resolution.EXCHANGE.value
        and (line.qty_accepted or line.qty_authorized or line.qty_requested)
    ]


def check_resolution_allows_refund(session: Session, ret: Return, lines: list[ReturnLine]) -> None:
    """A line the customer asked to exchange never ends in a refund unless the customer changed
    their mind at the counter (``exchange.record_changed_mind``); refuse with the lines named."""
    wanted = [line for line in exchange_lines(lines) if line.qty_accepted]
    if not wanted:
        return
    names = dict(session.execute(
        select(Product.id, Product.name).where(Product.id.in_({line.product_id for line in wanted}))
    ).all())
    which = "; ".join(f"line {line.line_no} ({names.get(line.product_id, '?')})" for line in wanted)
    raise PolicyViolation(
        msg(
            "Return {rma_no} cannot be refunded: the customer asked for an exchange on {which}. Exchange the goods, "
            "or record at the counter that the customer changed their mind and wants the money back.",
            rma_no=ret.rma_no, which=which)
    )


@dataclass(frozen=True)
class _Numbers:
    refund_no: str
    credit_note_no: str | None


def issue_refund(
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    *,
    method: RefundMethod | str | None = None,
    external_ref: str | None = None,
    expected_version: int | None = None,
) -> RefundResult:
    """Pay back an approved return: approved -> refunded, with credit note and journal entry.

    ``method`` defaults to the method recorded on the return. Cash is paid only for counter returns
    and only up to the acting user's own limit. A second call for the same return raises
    ``AlreadyDone`` naming the refund, who issued it and when.
    """
    actor.require(Permission.ISSUE_REFUND)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor, actor_in_first_read=True) as s:
        result = issue_refund_in(
            s, ctx, actor, rma_no, method=method, external_ref=external_ref,
            expected_version=expected_version,
        )
    ctx.changed("return", result.detail.id)
    return result


#: Whether the return has a refund already, read with its lines (parameter ``return_id``).
_REFUND_OF_RETURN = (select(Refund.id).where(Refund.return_id == bindparam("return_id", type_=BigInteger()))
                     .scalar_subquery())


def issue_refund_in(
    s: Session,
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    *,
    method: RefundMethod | str | None = None,
    external_ref: str | None = None,
    expected_version: int | None = None,
) -> RefundResult:
    """:func:`issue_refund` inside the caller's transaction."""
    actor.require(Permission.ISSUE_REFUND)
    ret = lock_return(s, rma_no)
    # The lines and units, with what the result shows besides and whether a refund exists, in one
    # statement after the lock (on PostgreSQL it sees a refund another station committed while
    # this one waited for the lock).
    lines, units, held = read_held(s, ret, with_units=True, order_column=_REFUND_OF_RETURN)
    if held is None or held.order_value is not None:
        done = existing_refund(s, ret.id)
        if done is not None:
            raise _already_done(s, ret, done)
    check_version(s, ret, expected_version)
    require_state(s, ret, Action.REFUND)
    check_resolution_allows_refund(s, ret, lines)
    how = payment_method(ret.refund_method, method)
    amount = ret.refund_total_minor
    if how is RefundMethod.CASH:
        check_cash(s, actor, ret, amount)
    shift_id = cash.shift_for_cash(s, ctx, actor, how, amount) if amount > 0 else None

    check_lines_add_up(approved_refund(ret, lines))
    order_lines = lock_order_lines(s, (line.order_line_id for line in lines))
    for line in lines:
        settle_line(s, ret, line, order_lines[line.order_line_id], line.refund_minor)

    now = ctx.now()
    refunded = refunded_lines_held(held, units, lines)
    # The numbers in one statement, locked in the fixed order of settlement.py: refund, credit
    # note, journal (a journal entry only when the refund posts something).
    wanted = ["refund"]
    if amount > 0:
        wanted.append("credit_note")
    if finance.needs_entry(finance.refund_postings(refunded, ret.shipping_refund_minor, how, "")):
        wanted.append("journal")
    numbers = next_values(s, wanted)
    refund_no = document_no("RF", now.year, numbers["refund"])
    note: CreditNote | None = None
    if amount > 0:
        tax = sum(line.tax_minor for line in lines)
        note = CreditNote(
            number=document_no("CN", now.year, numbers["credit_note"]), return_id=ret.id,
            customer_id=ret.customer_id, issued_at=now, net_minor=amount - tax, tax_minor=tax,
            total_minor=amount, currency=ret.currency,
        )
        insert_one(s, note)
    refund = Refund(
        refund_no=refund_no, return_id=ret.id, method=how.value, amount_minor=amount,
        currency=ret.currency, issued_by=actor.user_id, issued_at=now,
        station=actor.station or ctx.station, external_ref=(external_ref or "").strip() or None,
        credit_note_id=note.id if note else None, cash_shift_id=shift_id,
    )
    insert_refund_once(s, ret, refund)
    if how is RefundMethod.STORE_CREDIT and amount > 0 and ret.customer_id is not None:
        # On the customer's balance; an anonymous sale's store credit stays a voucher (2203 only).
        store_credit.issue_in(s, ctx, actor, ret.customer_id, amount, currency=ret.currency,
                              refund_id=refund.id, reference=ret.rma_no,
                              memo=msg("Refund {refund_no}", refund_no=refund_no))
    refund_lines = [
        (line, RefundLineView(line.id, line.line_no, "", line.refund_minor, line.tax_minor))
        for line in lines if line.refund_minor or line.qty_accepted
    ]
    if refund_lines:
        # The refund's lines in one round trip (their ids are never needed here).
        write_rows(s.connection(), _INSERT_REFUND_LINE, [
            {"refund_id": refund.id, "return_line_id": line.id, "order_line_id": line.order_line_id,
             "amount_minor": line.refund_minor, "tax_minor": line.tax_minor}
            for line, _ in refund_lines
        ])

    memo = msg("Refund {refund_no} of return {rma_no}", refund_no=refund_no, rma_no=ret.rma_no)
    entry = finance.post_entry(
        s, ctx, memo=memo, return_id=ret.id, refund_id=refund.id,
        postings=finance.refund_postings(refunded, ret.shipping_refund_minor, how, memo),
        entry_no=document_no("JE", now.year, numbers["journal"]) if "journal" in numbers else None,
    )
    ret.refund_method = how.value
    transition(s, ctx, actor, ret, Action.REFUND, details={
        "refund_no": refund_no,
        "amount_minor": amount,
        "method": how.value,
        "credit_note": note.number if note else None,
        "journal_entry": entry.entry_no if entry else None,
    })
    write_changes(s)
    detail = return_detail(s, ret, units, held)
    skus = {line.id: line.sku for line in detail.lines}
    views = tuple(
        replace(rl, sku=skus[line.id])
        for line, rl in sorted(refund_lines, key=lambda pair: pair[0].line_no)
    )
    return RefundResult(
        refund=refund_view(s, refund, rma_no=ret.rma_no, credit_note_no=note.number if note else None,
                           lines=views),
        credit_note_no=note.number if note else None,
        entry_no=entry.entry_no if entry else None,
        detail=detail,
    )


def find_refund(ctx: ServiceContext, actor: Actor, rma_no: str) -> RefundView | None:
    """The refund of a return (None when none was issued yet)."""
    if not can(actor.role, Permission.ISSUE_REFUND):
        actor.require(Permission.VIEW_FINANCE)
    with ctx.read(actor) as s:
        ret_id = s.execute(
            select(Return.id).where(Return.rma_no == parse_rma(rma_no))
        ).scalar_one_or_none()
        if ret_id is None:
            raise NotFound(msg(
                "No return {rma_no} exists. Check the number or scan the label again.",
                rma_no=rma_no))
        refund = existing_refund(s, ret_id)
        return refund_view(s, refund) if refund else None


def find_refunds(
    ctx: ServiceContext,
    actor: Actor,
    *,
    after: tuple[datetime, int] | None = None,
    limit: int = 100,
) -> list[RefundView]:
    """Issued refunds, oldest first, keyset-paged: pass the last one's ``(issued_at, id)`` as
    ``after`` for the next page."""
    actor.require(Permission.VIEW_FINANCE)
    limit = max(1, min(int(limit), 1000))
    with ctx.read(actor) as s:
        stmt = select(Refund)
        if after is not None:
            ts, last_id = after
            stmt = stmt.where(
                (Refund.issued_at > ts) | ((Refund.issued_at == ts) & (Refund.id > last_id))
            )
        rows = s.execute(stmt.order_by(Refund.issued_at, Refund.id).limit(limit)).scalars().all()
        return [refund_view(s, r) for r in rows]


def journal_entry_of(session: Session, refund_id: int) -> JournalEntry | None:
    return session.execute(
        select(JournalEntry).where(JournalEntry.refund_id == refund_id)
    ).scalar_one_or_none()


# --------------------------------------------------------------------------- closing


def close_return(
    ctx: ServiceContext, actor: Actor, rma_no: str, *, expected_version: int | None = None
) -> ReturnDetail:
    """Record a finished return as complete: refunded, exchanged or refund rejected -> closed.

    An exchange closes only once its replacement order was handed over or cancelled, so no
    reserved stock is left behind a closed return.
    """
    actor.require(Permission.ISSUE_REFUND)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        detail = close_return_in(s, ctx, actor, rma_no, expected_version=expected_version)
    ctx.changed("return", detail.id)
    return detail


def close_return_in(
    s: Session, ctx: ServiceContext, actor: Actor, rma_no: str, *, expected_version: int | None = None
) -> ReturnDetail:
    """:func:`close_return` inside the caller's transaction."""
    actor.require(Permission.ISSUE_REFUND)
    ret = lock_return(s, rma_no)
    check_version(s, ret, expected_version)
    require_state(s, ret, Action.CLOSE)
    if ret.status == ReturnStatus.EXCHANGED.value:
        pending = s.execute(
            select(ReplacementOrder.order_no).where(
                ReplacementOrder.return_id == ret.id, ReplacementOrder.status == "reserved"
            )
        ).scalar_one_or_none()
        if pending is not None:
            raise PolicyViolation(
                msg(
                    "Return {rma_no} cannot be closed yet: its replacement order {pending} still holds reserved "
                    "stock. Hand the replacement over or cancel it first.",
                    rma_no=ret.rma_no, pending=pending)
            )
    transition(s, ctx, actor, ret, Action.CLOSE)
    s.flush()
    return return_detail(s, ret)
