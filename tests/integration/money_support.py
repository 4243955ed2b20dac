"""Returns brought to the money side of the lifecycle (awaiting approval, approved) for the tests of
approval, refunds, exchanges and finance, through the real services: intake, receiving and
inspection (units recorded by line, inspection completed and routed).

Routing decides who approves. Tests of the approval side want returns that wait for a supervisor
whatever their amount, so by default the world's policy is republished with an automatic approval
limit of 0 (``review_everything``); ``auto_approve=True`` keeps the standard policy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select

from returndesk.domain.types import (
    Channel,
    Disposition,
    Grade,
    PolicyStatus,
    RefundMethod,
)
from returndesk.services.usecases import approval, inspection, intake, policy_admin, receiving
from returndesk.services.tx.context import Actor
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.usecases.sales import load_active_policy
from returndesk.store.schema import (
    Product,
    Return,
    ReturnLine,
    SalesOrder,
    SalesOrderLine,
)

from .factories import World, make_order

CONDITIONS = frozenset({"original_packaging", "accessories_complete"})


@dataclass(frozen=True)
class LineSpec:
    """One line to return and what inspection finds: ``accepted`` and ``rejected`` default to all
    requested units accepted; rejected units go back to the customer."""

    sku: str
    qty: int
    reason: str = "changed_mind"
    grade: Grade = Grade.A
    accepted: int | None = None
    rejected: int = 0
    disposition: Disposition = Disposition.RESTOCK


def review_everything(world: World) -> None:
    """Make every refund above zero wait for a person (automatic approval limit 0)."""
    with world.ctx.db.read() as s:
        rules = load_active_policy(s).rules
    if rules.auto_approve_limit != 0:
        policy_admin.publish_policy(world.ctx, world.admin, replace(rules, auto_approve_limit=0),
                                    "Everything reviewed")


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


def take_return(
    world: World,
    order_no: str,
    specs: list[LineSpec],
    *,
    clerk: Actor | None = None,
    channel: Channel = Channel.REMOTE,
    method: RefundMethod = RefundMethod.ORIGINAL_PAYMENT,
    auto_approve: bool = False,
) -> str:
    """Create and authorize a return of ``specs`` through the intake service; returns the RMA."""
    if not auto_approve:
        review_everything(world)
    clerk = clerk or world.clerk
    ids = order_line_ids(world, order_no)
    draft = intake.ReturnDraft(
        order_no=order_no, channel=channel, refund_method=method,
        lines=tuple(
            intake.DraftLine(order_line_id=ids[spec.sku], quantity=spec.qty, reason_code=spec.reason,
                             conditions_met=CONDITIONS)
            for spec in specs
        ),
    )
    detail = intake.create_return(world.ctx, clerk, draft)
    intake.authorize_return(world.ctx, clerk, detail.rma_no)
    return detail.rma_no


def receive_and_inspect(
    world: World,
    rma_no: str,
    specs: list[LineSpec],
    *,
    inspector: Actor | None = None,
    in_policy: bool | None = None,
) -> str:
    """Receive the parcel, record the units of each line as ``specs`` say and complete the
    inspection; returns the status routing gave. ``in_policy=False`` records that the goods
    failed a policy condition (the way a return comes to need a supervisor's override)."""
    ctx = world.ctx
    inspector = inspector or world.inspector
    receiving.receive_return(ctx, inspector, rma_no)
    with guarded_write(ctx, rma_no, None) as s:
        lines = s.execute(
            select(ReturnLine, Product.serial_tracked)
            .join(Return, Return.id == ReturnLine.return_id)
            .join(Product, Product.id == ReturnLine.product_id)
            .where(Return.rma_no == rma_no).order_by(ReturnLine.line_no)
        ).all()
        for (line, serial_tracked), spec in zip(lines, specs, strict=True):
            accepted = spec.qty - spec.rejected if spec.accepted is None else spec.accepted
            for kind, count, disposition in (("A", accepted, spec.disposition),
                                             ("R", spec.rejected, Disposition.RETURN_TO_CUSTOMER)):
                if count:
                    serials = ([f"SN{line.id}{kind}{i}" for i in range(count)]
                               if serial_tracked else None)
                    inspection.record_line_in(s, ctx, inspector, rma_no, line.id, quantity=count,
                                              grade=spec.grade, disposition=disposition, serials=serials)
        if in_policy is False:
            ret = s.execute(select(Return).where(Return.rma_no == rma_no)).scalar_one()
            ret.in_policy = False
            for line, _ in lines:
                line.policy_status = PolicyStatus.OVERRIDE_NEEDED.value
                line.policy_note = "Required condition not met: original packaging."
        result = inspection.complete_inspection_in(s, ctx, inspector, rma_no)
        return result.detail.status


def awaiting(
    world: World,
    specs: list[LineSpec],
    *,
    order: list[tuple] | None = None,
    order_no: str | None = None,
    channel: Channel = Channel.REMOTE,
    method: RefundMethod = RefundMethod.ORIGINAL_PAYMENT,
    clerk: Actor | None = None,
    in_policy: bool | None = None,
    shipping_minor: int = 0,
    auto_approve: bool = False,
) -> str:
    """A return waiting for approval (see ``review_everything``). ``order`` lines default to the
    specs' SKUs and quantities."""
    if order_no is None:
        order_no = make_order(
            world, order or [(spec.sku, spec.qty) for spec in specs],
            channel="store" if channel is Channel.COUNTER else "online",
            shipping_minor=shipping_minor,
        )
    rma = take_return(world, order_no, specs, clerk=clerk, channel=channel, method=method,
                      auto_approve=auto_approve)
    receive_and_inspect(world, rma, specs, in_policy=in_policy)
    return rma


def approved(world: World, specs: list[LineSpec], **kwargs) -> str:
    """A return approved by the supervisor (or automatically, when routing says so)."""
    rma = awaiting(world, specs, **kwargs)
    with world.ctx.db.read() as s:
        status = s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one()
        level = s.execute(select(Return.approval_level).where(Return.rma_no == rma)).scalar_one()
    if status == "awaiting_approval":
        approver = world.manager if level == "manager" else world.supervisor
        approval.approve_refund(world.ctx, approver, rma)
    return rma
