"""Returns brought into each state of the lifecycle through the real services, for the tests of
the return's detail page (its actions per state and role) and of the returns search.

``inspected`` is a state the services pass through inside one transaction (inspection completes
and routing decides at once); the test setup puts a received return there directly, as a station
that stopped between the two steps would leave it.
"""

from __future__ import annotations

from returndesk.domain.types import Channel, ReturnStatus
from returndesk.services.usecases import approval, exchange, intake, receiving, refunds, review
from returndesk.store.schema import Return
from sqlalchemy import select, update

from .factories import World, make_order
from .money_support import (
    CONDITIONS,
    LineSpec,
    approved,
    awaiting,
    order_line_ids,
    review_everything,
)

#: Two lines, so that the page shows several lines, units and refund lines.
SPECS = [LineSpec("AP-2001", 2, reason="wrong_size"), LineSpec("HM-4001", 1)]


def requested(world: World, *, submit: bool = True, channel: Channel = Channel.REMOTE) -> str:
    review_everything(world)
    order_no = make_order(world, [(spec.sku, spec.qty) for spec in SPECS], shipping_minor=1000)
    ids = order_line_ids(world, order_no)
    draft = intake.ReturnDraft(
        order_no=order_no, channel=channel, refund_method="original_payment",
        lines=tuple(intake.DraftLine(order_line_id=ids[spec.sku], quantity=spec.qty, reason_code=spec.reason,
                                     conditions_met=CONDITIONS) for spec in SPECS),
    )
    return intake.create_return(world.ctx, world.clerk, draft, submit=submit).rma_no


def return_in(world: World, status: ReturnStatus | str) -> str:
    """A return of :data:`SPECS` in ``status``, created by the world's clerk (inspected by its
    inspector, decided by its supervisor)."""
    ctx, state = world.ctx, ReturnStatus(status)
    if state is ReturnStatus.DRAFT:
        return requested(world, submit=False)
    if state is ReturnStatus.REQUESTED:
        return requested(world)
    if state is ReturnStatus.WAITING_FOR_CUSTOMER:
        rma = requested(world)
        review.ask_customer(ctx, world.clerk, rma, "Which size did you receive?")
        return rma
    if state is ReturnStatus.REJECTED:
        rma = requested(world)
        intake.reject_return(ctx, world.clerk, rma, "Outside the return window")
        return rma
    if state is ReturnStatus.CANCELLED:
        rma = requested(world)
        intake.cancel_return(ctx, world.clerk, rma, "Customer kept the goods")
        return rma
    if state in (ReturnStatus.AUTHORIZED, ReturnStatus.EXPIRED, ReturnStatus.RECEIVED, ReturnStatus.INSPECTED):
        rma = requested(world)
        intake.authorize_return(ctx, world.clerk, rma)
        if state is ReturnStatus.EXPIRED:
            with ctx.db.write() as s:
                s.execute(update(Return).where(Return.rma_no == rma).values(status=state.value))
        elif state is not ReturnStatus.AUTHORIZED:
            receiving.receive_return(ctx, world.inspector, rma)
            if state is ReturnStatus.INSPECTED:
                with ctx.db.write() as s:
                    s.execute(update(Return).where(Return.rma_no == rma).values(status=state.value))
        return rma
    if state is ReturnStatus.AWAITING_APPROVAL:
        return awaiting(world, SPECS, shipping_minor=1000)
    if state is ReturnStatus.REFUND_REJECTED:
        rma = awaiting(world, SPECS, shipping_minor=1000)
        approval.reject_refund(ctx, world.supervisor, rma, "Goods damaged by the customer")
        return rma
    if state not in (ReturnStatus.APPROVED, ReturnStatus.EXCHANGED, ReturnStatus.REFUNDED, ReturnStatus.CLOSED):
        raise ValueError(f"no way to bring a return into {state.value} here yet")
    rma = approved(world, SPECS, shipping_minor=1000)
    if state is ReturnStatus.APPROVED:
        return rma
    if state is ReturnStatus.EXCHANGED:
        exchange.create_exchange(ctx, world.clerk, rma, [("AP-2001", 2), ("HM-4001", 1)])
        return rma
    refunds.issue_refund(ctx, world.clerk2, rma)
    if state is ReturnStatus.CLOSED:
        refunds.close_return(ctx, world.clerk2, rma)
    return rma


def status_of(world: World, rma: str) -> str:
    with world.ctx.db.read() as s:
        return s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one()
