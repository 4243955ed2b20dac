"""Which units of an order line each return line holds, and the money shares that follow.

The rules are in :mod:`returndesk.domain.units`; this module reads and writes
``return_lines.units_held`` inside the caller's transaction. The caller holds the order line's row
lock (``FOR UPDATE``) whenever it takes or frees units, as it does for ``qty_in_process``, so two
returns of one line never take the same unit.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from returndesk.domain.types import RELEASING_STATES, ReturnStatus
from returndesk.domain.units import (
    format_units,
    free_units,
    line_shipping_shares,
    parse_units,
)
from returndesk.store.schema import (
    Refund,
    ReplacementOrder,
    Return,
    ReturnLine,
    SalesOrderLine,
)


def held(line: ReturnLine) -> tuple[int, ...]:
    """The unit numbers ``line`` holds, lowest first."""
    return parse_units(line.units_held)


def taken_units(
    session: Session, order_line_ids: Iterable[int], *, besides: Iterable[int] = ()
) -> dict[int, set[int]]:
    """Per order line: the units held by its return lines (other than the lines ``besides``)."""
    ids = sorted(set(order_line_ids))
    skip = set(besides)
    taken: dict[int, set[int]] = {i: set() for i in ids}
    if not ids:
        return taken
    for line_id, ol_id, text in session.execute(
        select(ReturnLine.id, ReturnLine.order_line_id, ReturnLine.units_held)
        .where(ReturnLine.order_line_id.in_(ids), ReturnLine.units_held.is_not(None))
    ):
        if line_id not in skip:
            taken[ol_id].update(parse_units(text))
    return taken


def hold(line: ReturnLine, units: Iterable[int]) -> None:
    """Let ``line`` hold exactly ``units``."""
    line.units_held = format_units(units)


def ensure_held(session: Session, line: ReturnLine, ol: SalesOrderLine, count: int) -> tuple[int, ...]:
    """The units ``line`` holds, topped up with free ones when it holds fewer than ``count``
    (a line written before units were recorded); the lowest ``count`` of them."""
    mine = held(line)
    if len(mine) < count:
        others = taken_units(session, [ol.id], besides=[line.id])[ol.id]
        extra = free_units(ol.quantity, others | set(mine), count - len(mine))
        mine = tuple(sorted((*mine, *extra)))
        hold(line, mine)
    return mine[:count]


def keep_first(line: ReturnLine, count: int) -> tuple[int, ...]:
    """Keep the lowest ``count`` units of ``line`` and free the rest; returns those freed."""
    mine = held(line)
    hold(line, mine[:count])
    return mine[count:]


def order_shipping_shares(lines: Iterable[SalesOrderLine], shipping: int) -> dict[int, int]:
    """Per order line (by id): its fixed part of the order's shipping; ``lines`` are all the
    lines of the order."""
    ordered = sorted(lines, key=lambda ol: (ol.line_no, ol.id))
    shares = line_shipping_shares(shipping, [max(ol.paid_minor, 0) for ol in ordered])
    return {ol.id: share for ol, share in zip(ordered, shares, strict=True)}


def order_lines_of(session: Session, order_id: int) -> list[SalesOrderLine]:
    """All lines of an order (read, not locked: what was bought and paid never changes)."""
    return list(session.execute(
        select(SalesOrderLine).where(SalesOrderLine.order_id == order_id)
    ).scalars())


def holds_goods() -> ColumnElement[bool]:
    """Returns that keep what they took back from the customer (goods, and the shipping given back
    for them): not rejected, cancelled or expired, no refund refused, and a closed return only
    when it was refunded or exchanged."""
    settled = or_(
        exists().where(Refund.return_id == Return.id),
        exists().where(ReplacementOrder.return_id == Return.id),
    )
    gone = [s.value for s in (*RELEASING_STATES, ReturnStatus.REFUND_REJECTED)]
    return and_(
        Return.status.not_in(gone),
        or_(Return.status != ReturnStatus.CLOSED.value, settled),
    )


def shipping_left(session: Session, order_id: int, shipping: int, *, besides: int | None = None) -> int:
    """What of the order's shipping other returns (not ``besides``) do not give back already."""
    stmt = (
        select(func.coalesce(func.sum(Return.shipping_refund_minor), 0))
        .where(Return.order_id == order_id, holds_goods())
    )
    if besides is not None:
        stmt = stmt.where(Return.id != besides)
    return max(0, shipping - int(session.execute(stmt).scalar_one()))
