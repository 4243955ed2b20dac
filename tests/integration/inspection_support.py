"""Returns brought to the receiving dock for the tests of receiving, inspection and worklists.

Intake goes through the intake service (create, then authorize); what the tests check goes through
the receiving and inspection services.
"""

from __future__ import annotations

from sqlalchemy import select

from returndesk.domain.types import Channel, Location, RefundMethod
from returndesk.services.usecases import intake
from returndesk.services.tx import stock
from returndesk.services.tx.context import Actor
from returndesk.store.schema import Product, Return, SalesOrder, SalesOrderLine

from .factories import World, make_order

#: What a counter clerk confirms with the goods in hand.
CONDITIONS = frozenset({"original_packaging", "accessories_complete"})


def order_line_ids(world: World, order_no: str) -> dict[str, int]:
    """Order line id by SKU."""
    with world.ctx.db.read() as s:
        rows = s.execute(
            select(Product.sku, SalesOrderLine.id)
            .join(SalesOrderLine, SalesOrderLine.product_id == Product.id)
            .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
            .where(SalesOrder.order_no == order_no)
        ).all()
    return dict(rows)


def authorized_return(
    world: World,
    lines: list[tuple[str, int, str]],
    *,
    order: list[tuple] | None = None,
    order_no: str | None = None,
    days_ago: int = 5,
    shipping_minor: int = 0,
    customer_id: int | None = None,
    clerk: Actor | None = None,
    override_reason: str | None = None,
    channel: Channel = Channel.REMOTE,
    authorize: bool = True,
) -> str:
    """An authorized return of ``lines`` — (sku, quantity, reason) — through the intake service.

    The order is made from ``order`` (sku, quantity[, discount]) or, by default, exactly the
    returned lines. Returns the RMA number.
    """
    if order_no is None:
        order_no = make_order(
            world, order or [(sku, qty) for sku, qty, _ in lines], days_ago=days_ago,
            shipping_minor=shipping_minor, customer_id=customer_id,
            channel="store" if channel is Channel.COUNTER else "online",
        )
    ids = order_line_ids(world, order_no)
    clerk = clerk or world.clerk
    draft = intake.ReturnDraft(
        order_no=order_no, channel=channel, refund_method=RefundMethod.ORIGINAL_PAYMENT,
        lines=tuple(
            intake.DraftLine(order_line_id=ids[sku], quantity=qty, reason_code=reason,
                             conditions_met=CONDITIONS)
            for sku, qty, reason in lines
        ),
        override_reason=override_reason,
    )
    detail = intake.create_return(world.ctx, clerk, draft)
    if authorize:
        intake.authorize_return(world.ctx, clerk, detail.rma_no)
    return detail.rma_no


def on_hand(world: World, sku: str, location: Location) -> int:
    """Units of ``sku`` at ``location`` (the sum of the stock movements)."""
    with world.ctx.db.read() as s:
        return stock.on_hand(s, world.products[sku], location)


def levels(world: World, sku: str) -> dict[str, int]:
    """On-hand of ``sku`` at every location that the returns flow touches."""
    return {
        loc.value: on_hand(world, sku, loc)
        for loc in (Location.AVAILABLE, Location.INSPECTION, Location.REFURBISH, Location.RTV,
                    Location.SCRAP)
    }


def return_row(world: World, rma: str) -> Return:
    """The Return row, detached (for asserting stored fields)."""
    with world.ctx.db.read() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma)).scalar_one()
        s.expunge(ret)
        return ret


def barcode(sku: str) -> str:
    """The EAN-13 printed on a catalogue product of the factories."""
    from .factories import CATALOGUE

    return next(row[1] for row in CATALOGUE if row[0] == sku)
