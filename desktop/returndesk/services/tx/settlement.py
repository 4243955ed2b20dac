"""What refunds, exchanges and approval decisions share: locking a return and its order lines in
one fixed order, releasing the quantity a return holds, and the running totals that keep "never more
than bought, never more than paid" true under races.

Lock order, the same in every money transaction so that two stations can never wait on each other
in a circle: the return row, then the counter's open cash shift (a transaction that may pay cash
out of it: ``cash.lock_open_shift``, ``cash.shift_for_cash``), then its order lines (by id), then
products (by id), then number sequences (replacement, refund, credit note, journal), and the audit
head last (every audit event locks it, so audit events are written after all other locks are held).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Exists, Select, bindparam, case, exists, func, select
from sqlalchemy.orm import Session

from returndesk.domain.errors import (
    LimitExceeded,
    PermissionDenied,
    PolicyViolation,
    ValidationFailed,
)
from returndesk.domain.lifecycle import Action
from returndesk.domain.money import format_money
from returndesk.domain.permissions import Permission
from returndesk.domain.scan import parse_rma
from returndesk.domain.types import Channel, Disposition, Location, RefundMethod, UnitOutcome
from returndesk.store.schema import (
    InspectionUnit,
    Product,
    Return,
    ReturnLine,
    SalesOrder,
    SalesOrderLine,
    StockLocation,
    StockMovement,
)
from returndesk.store.entity_rows import entity_rows

from returndesk.services.tx import stock, unit_shares
from returndesk.services.tx.context import Actor, ActingUser, ServiceContext, acting_user_row, first_checking_actor
from returndesk.domain.postings import RefundedLine
from returndesk.services.tx.transitions import next_status_of
from returndesk.services.tx.views import HeldFacts, load_return
from returndesk.domain.messages import msg


#: The return of an RMA number (parameter ``rma``), locked for the rest of the transaction and
#: re-read (``populate_existing``); built once for every use case that locks a return by its number.
LOCK_RETURN_BY_RMA = (
    select(Return).where(Return.rma_no == bindparam("rma")).with_for_update()
    .execution_options(populate_existing=True)
)
#: Order lines by id (parameter ``ids``), locked in id order and re-read.
_LOCK_ORDER_LINES = (
    select(SalesOrderLine).where(SalesOrderLine.id.in_(bindparam("ids", expanding=True)))
    .order_by(SalesOrderLine.id).with_for_update().execution_options(populate_existing=True)
)
#: Products by id (parameter ``ids``), locked in id order.
_LOCK_PRODUCTS = (
    select(Product).where(Product.id.in_(bindparam("ids", expanding=True))).order_by(Product.id)
    .with_for_update()
)


def lock_return(session: Session, rma_no: str) -> Return:
    """The return, locked for the rest of the transaction and re-read from the database.

    ``populate_existing`` matters on PostgreSQL: after waiting for another station's lock, the row
    must be the one that station committed, not a copy this session held before.
    """
    rma = parse_rma(rma_no)
    ret: Return | None = first_checking_actor(session, LOCK_RETURN_BY_RMA, {"rma": rma})
    if ret is None:
        # The same words as everywhere else a return is looked up.
        return load_return(session, rma_no=rma)
    return ret


def require_state(session: Session, ret: Return, action: Action) -> None:
    """Raise ``IllegalTransition`` (naming the state, who set it and when) unless ``action`` fits."""
    next_status_of(session, ret, action)


def acting_user(session: Session, actor: Actor) -> ActingUser:
    """The actor's user row as this transaction read it: a limit lowered or an account disabled
    since sign-in counts at once (the transaction's own check of the actor read it)."""
    user = acting_user_row(session, actor.user_id)
    if user is None or not user.active:
        raise PermissionDenied(
            msg("The account {username} is disabled or no longer exists; sign in again.", username=actor.username)
        )
    return user


def lock_order_lines(session: Session, order_line_ids: Iterable[int]) -> dict[int, SalesOrderLine]:
    """Lock the order lines (in id order, see the module docstring) and return them by id."""
    ids = sorted(set(order_line_ids))
    if not ids:
        return {}
    return {row[0].id: row[0] for row in entity_rows(session, _LOCK_ORDER_LINES, {"ids": ids})}


def lock_products(session: Session, product_ids: Iterable[int]) -> dict[int, Product]:
    """Lock product rows so that two stations taking the last units of a product queue up."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    rows = session.execute(_LOCK_PRODUCTS, {"ids": ids}).scalars().all()
    return {p.id: p for p in rows}


def held_quantity(line: ReturnLine) -> int:
    """Units of the order line this return line holds "in process" once it is inspected.

    Intake holds the requested units; inspection completes with every unit counted as accepted or
    rejected and frees the units that never arrived, so what is still held is exactly those two.
    """
    return line.qty_accepted + line.qty_rejected


def order_label(session: Session, ol: SalesOrderLine) -> str:
    order_no = session.execute(
        select(SalesOrder.order_no).where(SalesOrder.id == ol.order_id)
    ).scalar_one()
    sku = session.execute(select(Product.sku).where(Product.id == ol.product_id)).scalar_one()
    return f"order {order_no} line {ol.line_no} ({sku})"


def release_hold(session: Session, ret: Return, line: ReturnLine, ol: SalesOrderLine) -> int:
    """Take this line's held units off ``qty_in_process``; returns how many were released."""
    held = held_quantity(line)
    if held > ol.qty_in_process:
        raise PolicyViolation(
            msg(
                "Return {rma_no} line {line_no} holds {held} units, but only {qty_in_process} are in process on "
                "{order_label}. The quantities do not agree; nothing was changed. Ask an administrator to check the "
                "order line.",
                rma_no=ret.rma_no, line_no=line.line_no, held=held, qty_in_process=ol.qty_in_process,
                order_label=order_label(session, ol))
        )
    ol.qty_in_process -= held
    unit_shares.hold(line, ())
    return held


def settle_line(
    session: Session, ret: Return, line: ReturnLine, ol: SalesOrderLine, amount_minor: int
) -> None:
    """Count ``line``'s accepted units as returned and ``amount_minor`` as refunded (or credited,
    in an exchange) on its order line, refusing anything above what was bought or paid."""
    if amount_minor < 0:
        raise PolicyViolation(
            msg(
                "Return {rma_no} line {line_no} has a negative refund ({amount_minor}); re-inspect the return.",
                rma_no=ret.rma_no, line_no=line.line_no, amount_minor=format_money(amount_minor, ret.currency))
        )
    if ol.refunded_minor + amount_minor > ol.paid_minor:
        raise PolicyViolation(
            msg(
                "The customer paid {paid_minor} for {order_label} and {refunded_minor} of it is refunded already; "
                "{amount_minor} more for return {rma_no} would give back more than was paid. Nothing was refunded.",
                paid_minor=format_money(ol.paid_minor, ret.currency), order_label=order_label(session, ol),
                refunded_minor=format_money(ol.refunded_minor, ret.currency),
                amount_minor=format_money(amount_minor, ret.currency), rma_no=ret.rma_no)
        )
    if ol.qty_returned + line.qty_accepted > ol.quantity:
        raise PolicyViolation(
            msg(
                "{quantity} were bought on {order_label} and {qty_returned} are returned already; return {rma_no} "
                "accepts {qty_accepted} more. Nothing was refunded.",
                quantity=ol.quantity, order_label=order_label(session, ol), qty_returned=ol.qty_returned,
                rma_no=ret.rma_no, qty_accepted=line.qty_accepted)
        )
    units = unit_shares.ensure_held(session, line, ol, held_quantity(line))
    release_hold(session, ret, line, ol)
    # The accepted units (the lowest the line holds) are returned for good; the rejected ones,
    # sent back to the customer, are free again.
    unit_shares.hold(line, units[:line.qty_accepted])
    ol.qty_returned += line.qty_accepted
    ol.refunded_minor += amount_minor


def restocked_units(session: Session, line: ReturnLine) -> int:
    """Accepted units of ``line`` that went back into available stock.

    Counted per inspected unit when units were scanned; a line inspected as a whole counts its
    accepted quantity when its disposition is restock.
    """
    counts = session.execute(_unit_counts(line)).one()
    return _restocked(line, counts[0], counts[1])


def _unit_counts(line: ReturnLine) -> Select[int, int]:
    """``(inspected units, accepted units restocked)`` of ``line``, one statement."""
    restocked = (InspectionUnit.outcome == UnitOutcome.ACCEPTED.value) & (
        InspectionUnit.disposition == Disposition.RESTOCK.value)
    return (
        select(func.count().label("units"),
                func.coalesce(func.sum(case((restocked, 1), else_=0)), 0).label("restocked"))
        .select_from(InspectionUnit)
        .where(InspectionUnit.return_line_id == line.id)
    )


def _restocked(line: ReturnLine, units: int, restocked: int) -> int:
    if units:
        return int(restocked)
    return line.qty_accepted if line.disposition == Disposition.RESTOCK.value else 0


def refunded_lines(session: Session, lines: Sequence[ReturnLine]) -> list[RefundedLine]:
    """:func:`refunded_line` of every line of ``lines``, in one statement for them all."""
    if not lines:
        return []
    restocked = (InspectionUnit.outcome == UnitOutcome.ACCEPTED.value) & (
        InspectionUnit.disposition == Disposition.RESTOCK.value)
    of_line = InspectionUnit.return_line_id == ReturnLine.id
    units = select(func.count()).select_from(InspectionUnit).where(of_line).correlate(ReturnLine)
    kept = (select(func.coalesce(func.sum(case((restocked, 1), else_=0)), 0))
            .select_from(InspectionUnit).where(of_line).correlate(ReturnLine))
    found = {
        line_id: (cost, n_units, n_restocked)
        for line_id, cost, n_units, n_restocked in session.execute(
            select(ReturnLine.id, Product.cost_minor, units.scalar_subquery(), kept.scalar_subquery())
            .join(Product, Product.id == ReturnLine.product_id)
            .where(ReturnLine.id.in_([line.id for line in lines]))
        )
    }
    out = []
    for line in lines:
        cost, n_units, n_restocked = found[line.id]
        out.append(RefundedLine(
            refund_minor=line.refund_minor, tax_minor=line.tax_minor, fee_minor=line.fee_minor,
            restock_cost_minor=cost * _restocked(line, n_units, n_restocked),
        ))
    return out


def refunded_lines_held(held: HeldFacts | None, units: Sequence[InspectionUnit],
                        lines: Sequence[ReturnLine]) -> list[RefundedLine]:
    """:func:`refunded_lines` from rows the caller holds (``views.read_held`` with units): no read."""
    products = {x.line.id: x.product for x in held.lines} if held is not None else {}
    out = []
    for line in lines:
        mine = [u for u in units if u.return_line_id == line.id]
        restocked = sum(1 for u in mine if u.outcome == UnitOutcome.ACCEPTED.value
                        and u.disposition == Disposition.RESTOCK.value)
        out.append(RefundedLine(
            refund_minor=line.refund_minor, tax_minor=line.tax_minor, fee_minor=line.fee_minor,
            restock_cost_minor=products[line.id].cost_minor * _restocked(line, len(mine), restocked),
        ))
    return out


def refunded_line(session: Session, line: ReturnLine) -> RefundedLine:
    """The figures of ``line`` the journal needs (the product's cost and the unit counts in one
    statement)."""
    counts = _unit_counts(line)
    units = counts.with_only_columns(counts.selected_columns.units).scalar_subquery()
    restocked = counts.with_only_columns(counts.selected_columns.restocked).scalar_subquery()
    cost, n_units, n_restocked = session.execute(
        select(Product.cost_minor, units, restocked).where(Product.id == line.product_id)
    ).one()
    return RefundedLine(
        refund_minor=line.refund_minor,
        tax_minor=line.tax_minor,
        fee_minor=line.fee_minor,
        restock_cost_minor=cost * _restocked(line, n_units, n_restocked),
    )


def check_cash(session: Session, actor: Actor, ret: Return, amount_minor: int) -> None:
    """Cash leaves the drawer only at the counter, and only up to the clerk's own limit."""
    actor.require(Permission.ISSUE_CASH_REFUND)
    if ret.channel != Channel.COUNTER.value:
        raise PolicyViolation(
            msg(
                "Return {rma_no} came in by parcel, not at the counter; cash is paid out only for counter returns. "
                "Choose the original payment, store credit or a bank transfer.",
                rma_no=ret.rma_no)
        )
    user = acting_user(session, actor)
    if amount_minor > user.approval_limit_minor:
        raise LimitExceeded(
            msg(
                "A cash refund of {amount_minor} is above your cash limit of {approval_limit_minor}; a supervisor "
                "must pay it out, or choose another refund method.",
                amount_minor=format_money(amount_minor, ret.currency),
                approval_limit_minor=format_money(user.approval_limit_minor, ret.currency))
        )


@dataclass(frozen=True)
class ApprovedRefund:
    """What a return was approved to pay back, and the parts that must add up to it."""

    rma_no: str
    currency: str
    line_refunds: tuple[int, ...]
    shipping: int
    total: int


def approved_refund(ret: Return, lines: Iterable[ReturnLine]) -> ApprovedRefund:
    """The return's approved total with its lines' refunds and its shipping refund."""
    return ApprovedRefund(ret.rma_no, ret.currency, tuple(line.refund_minor for line in lines),
                          ret.shipping_refund_minor, ret.refund_total_minor)


def check_lines_add_up(refund: ApprovedRefund) -> None:
    """The approved total must be the lines plus shipping, or the books would not match the
    receipt; refuse rather than pay out a figure nobody can explain."""
    lines_total = sum(refund.line_refunds)
    if lines_total + refund.shipping != refund.total:
        raise PolicyViolation(
            msg(
                "The refund of return {rma_no} does not add up: the lines give {lines_total} and shipping "
                "{shipping}, but the approved total is {total}. Nothing was paid; re-inspect the return.",
                rma_no=refund.rma_no, lines_total=format_money(lines_total, refund.currency),
                shipping=format_money(refund.shipping, refund.currency),
                total=format_money(refund.total, refund.currency))
        )


def return_lines(session: Session, ret: Return) -> list[ReturnLine]:
    """The return's lines in line order, re-read under the return's lock."""
    return list(session.execute(
        select(ReturnLine).where(ReturnLine.return_id == ret.id).order_by(ReturnLine.line_no)
        .execution_options(populate_existing=True)
    ).scalars())


@dataclass(frozen=True)
class Holding:
    product_id: int
    location: str
    quantity: int


def goods_held(session: Session, return_id: int) -> list[Holding]:
    """What of this return's goods is still inside, per product and internal location, from the
    movements recorded against the return."""
    internal = {
        loc_id: code
        for loc_id, code in session.execute(
            select(StockLocation.id, StockLocation.code).where(StockLocation.internal.is_(True))
        )
    }
    net: dict[tuple[int, str], int] = {}
    for product_id, src, dst, qty in session.execute(
        select(StockMovement.product_id, StockMovement.from_location_id,
               StockMovement.to_location_id, StockMovement.quantity)
        .where(StockMovement.return_id == return_id)
    ):
        if dst in internal:
            net[(product_id, internal[dst])] = net.get((product_id, internal[dst]), 0) + qty
        if src in internal:
            net[(product_id, internal[src])] = net.get((product_id, internal[src]), 0) - qty
    return [
        Holding(pid, loc, qty)
        for (pid, loc), qty in sorted(net.items())
        if qty > 0 and loc != Location.RESERVED.value
    ]


#: The reason of the stock moves that hand a return's goods back when its refund is refused.
SENT_BACK_ON_REFUSAL = "refund_rejected"


def sent_back(return_id: Any) -> Exists:
    """Whether the goods of the return ``return_id`` (a value or a column) were handed back to the
    customer because its refund was refused: none of its units is left to claim or to work on."""
    return exists().where(StockMovement.return_id == return_id, StockMovement.reason == SENT_BACK_ON_REFUSAL)


def send_back_to_customer(
    session: Session, ctx: ServiceContext, actor: Actor, ret: Return, reason: str
) -> list[Holding]:
    """Move every unit of this return still inside back to the customer (a refused refund)."""
    held = goods_held(session, ret.id)
    products = lock_products(session, (h.product_id for h in held))
    for h in held:
        # Restocked units may have been sold or reserved again meanwhile, units sent to refurbish,
        # the vendor or scrap moved on by another desk; never drive stock negative.
        have = stock.on_hand(session, h.product_id, h.location)
        if have < h.quantity:
            raise PolicyViolation(
                msg(
                    "{quantity} x {sku} of return {rma_no} were put into {location} stock, and only {have} are there "
                    "now; the goods cannot be handed back. Nothing was changed; find the units first.",
                    quantity=h.quantity, sku=products[h.product_id].sku, rma_no=ret.rma_no,
                    location=h.location.replace('_', ' '), have=have)
            )
        stock.move(
            session, ctx, actor, product_id=h.product_id, from_location=h.location,
            to_location=Location.CUSTOMER, quantity=h.quantity, reason=reason, return_id=ret.id,
        )
    return held


def payment_method(recorded: str, asked: RefundMethod | str | None) -> RefundMethod:
    """The method ``asked`` for, else the one ``recorded`` on the return."""
    chosen = asked or recorded
    try:
        return RefundMethod(chosen)
    except ValueError:
        allowed = ", ".join(m.value for m in RefundMethod)
        raise ValidationFailed(msg(
            "'{chosen}' is not a refund method; use one of {allowed}.",
            chosen=chosen, allowed=allowed)) from None
