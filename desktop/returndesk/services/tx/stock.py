"""The stock ledger: every change of stock is a movement between two locations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from returndesk.domain.types import Location
from returndesk.store.schema import Base, StockLocation, StockMovement
from returndesk.store.select_rows import session_connection, write_rows

from returndesk.services.tx import refcache
from returndesk.services.tx.context import Actor, ServiceContext


def location_id(session: Session, code: Location | str) -> int:
    loc = refcache.location_id(session, str(code))
    if loc is None:
        raise LookupError(f"stock location {code!r} is missing; run 'returndesk db upgrade'")
    return int(loc)


#: One movement's row, built once (every step that moves a unit writes one).
_INSERT_MOVE = insert(Base.metadata.tables[StockMovement.__tablename__])


def move(
    session: Session,
    ctx: ServiceContext,
    actor: Actor | None,
    *,
    product_id: int,
    from_location: Location | str,
    to_location: Location | str,
    quantity: int,
    reason: str,
    return_id: int | None = None,
) -> None:
    """Record one movement inside the caller's transaction, written at once (its id is not
    needed, so it does not wait for the session's unit of work)."""
    if quantity <= 0:
        raise ValueError("a stock movement moves a positive quantity")
    write_rows(session_connection(session), _INSERT_MOVE, {
        "product_id": product_id,
        "from_location_id": location_id(session, from_location),
        "to_location_id": location_id(session, to_location),
        "quantity": quantity,
        "return_id": return_id,
        "reason": reason,
        "created_at": ctx.now(),
        "created_by": actor.user_id if actor else None,
    })


@dataclass(frozen=True)
class Move:
    """One movement for :func:`move_many`."""

    product_id: int
    from_location: Location | str
    to_location: Location | str
    quantity: int
    reason: str
    return_id: int | None = None


def move_many(session: Session, ctx: ServiceContext, actor: Actor | None, moves: Sequence[Move]) -> None:
    """Record ``moves`` inside the caller's transaction in one round trip (an executemany; their
    ids are not needed), as :func:`move` would one by one."""
    if any(m.quantity <= 0 for m in moves):
        raise ValueError("a stock movement moves a positive quantity")
    if not moves:
        return
    now = ctx.now()
    write_rows(session_connection(session), _INSERT_MOVE, [
        {"product_id": m.product_id, "from_location_id": location_id(session, m.from_location),
         "to_location_id": location_id(session, m.to_location), "quantity": m.quantity,
         "return_id": m.return_id, "reason": m.reason, "created_at": now,
         "created_by": actor.user_id if actor else None}
        for m in moves
    ])


def on_hand(session: Session, product_id: int, location: Location | str) -> int:
    """Units of ``product_id`` at ``location``: movements in minus movements out."""
    loc = location_id(session, location)
    incoming = session.execute(
        select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
            StockMovement.product_id == product_id, StockMovement.to_location_id == loc
        )
    ).scalar_one()
    outgoing = session.execute(
        select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
            StockMovement.product_id == product_id, StockMovement.from_location_id == loc
        )
    ).scalar_one()
    return int(incoming) - int(outgoing)


@dataclass(frozen=True)
class StockLevel:
    product_id: int
    location: str
    quantity: int


def stock_levels(ctx: ServiceContext, product_id: int) -> list[StockLevel]:
    """On-hand of one product at every internal location."""
    with ctx.db.read() as s:
        locs = s.execute(select(StockLocation).where(StockLocation.internal.is_(True))).scalars().all()
        return [StockLevel(product_id, loc.code, on_hand(s, product_id, loc.code)) for loc in locs]
