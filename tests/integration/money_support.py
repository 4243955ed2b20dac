"""Returns brought to the money side of the lifecycle (awaiting approval, approved) for the tests of
approval, refunds, exchanges and finance.

Intake goes through the intake service. Receiving and inspection are written here the way those
modules record them — units counted and graded, accepted/rejected quantities, the refund figures of
each line computed with the domain's refund math, the quantity held on the order lines reduced to
the units counted, stock moved by disposition, the approval level from the domain's routing — so
that what the money side reads is what it will read in production.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from returndesk.domain.approval import grade_reason_mismatch, route
from returndesk.domain.lifecycle import Action
from returndesk.domain.refund import compute_line_refund, compute_refund
from returndesk.domain.types import (
    DISPOSITION_LOCATION,
    Channel,
    Disposition,
    Grade,
    Location,
    PolicyStatus,
    RefundMethod,
    UnitOutcome,
)
from returndesk.services import approval, intake, receiving, stock
from returndesk.services.context import Actor
from returndesk.services.sales import load_policy, load_reasons
from returndesk.services.transitions import transition
from returndesk.store.schema import (
    InspectionUnit,
    Return,
    ReturnLine,
    SalesOrder,
    SalesOrderLine,
    User,
)

from .factories import World, make_order

CONDITIONS = frozenset({"original_packaging", "accessories_complete"})


@dataclass(frozen=True)
class LineSpec:
    """One line to return and what inspection finds: ``accepted`` and ``rejected`` default to all
    requested units accepted."""

    sku: str
    qty: int
    reason: str = "changed_mind"
    grade: Grade = Grade.A
    accepted: int | None = None
    rejected: int = 0
    disposition: Disposition = Disposition.RESTOCK


def order_line_ids(world: World, order_no: str) -> dict[str, int]:
    """Order line id by SKU."""
    with world.ctx.db.read() as s:
        from returndesk.store.schema import Product

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
) -> str:
    """Create and authorize a return of ``specs`` through the intake service; returns the RMA."""
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
    frequent_returner: bool = False,
) -> str:
    """Receive (unless already received) and inspect the return; route it. Returns the status."""
    ctx = world.ctx
    inspector = inspector or world.inspector
    with ctx.db.read() as s:
        status = s.execute(select(Return.status).where(Return.rma_no == rma_no)).scalar_one()
    if status == "authorized":
        receiving.receive_return(ctx, inspector, rma_no)
    with ctx.db.write() as s:
        ret = s.execute(select(Return).where(Return.rma_no == rma_no)).scalar_one()
        lines = list(s.execute(
            select(ReturnLine).where(ReturnLine.return_id == ret.id).order_by(ReturnLine.line_no)
        ).scalars())
        rules = load_policy(s, ret.policy_id).rules
        reasons = load_reasons(s)
        refunds = []
        mismatch = False
        vendor_any = False
        for line, spec in zip(lines, specs, strict=True):
            accepted = spec.qty - spec.rejected if spec.accepted is None else spec.accepted
            ol = s.execute(
                select(SalesOrderLine).where(SalesOrderLine.id == line.order_line_id).with_for_update()
            ).scalar_one()
            vendor = reasons[line.reason_code].vendor_fault
            # Units never counted are freed; the line holds what was counted.
            ol.qty_in_process -= line.qty_authorized - accepted - spec.rejected
            ahead = ol.qty_returned + ol.qty_in_process - accepted - spec.rejected
            lr = compute_line_refund(
                paid_total=ol.paid_minor, purchased_qty=ol.quantity, accepted_qty=accepted,
                previously_accepted_qty=ahead, already_refunded=ol.refunded_minor,
                grade=spec.grade, vendor_fault=vendor, rules=rules, tax_total=ol.tax_minor,
            )
            refunds.append(lr)
            vendor_any = vendor_any or (vendor and accepted > 0)
            mismatch = mismatch or grade_reason_mismatch(vendor, spec.grade)
            line.qty_received = accepted + spec.rejected
            line.qty_accepted = accepted
            line.qty_rejected = spec.rejected
            line.grade = spec.grade.value
            line.disposition = spec.disposition.value
            line.refund_minor = lr.net
            line.fee_minor = lr.restocking_fee
            line.deduction_minor = lr.grade_deduction + lr.cap_reduction
            line.tax_minor = lr.tax_part
            for outcome, count, disposition in (
                (UnitOutcome.ACCEPTED, accepted, spec.disposition),
                (UnitOutcome.REJECTED, spec.rejected, Disposition.RETURN_TO_CUSTOMER),
            ):
                for _ in range(count):
                    s.add(InspectionUnit(
                        return_id=ret.id, return_line_id=line.id, product_id=line.product_id,
                        outcome=outcome.value, grade=spec.grade.value, disposition=disposition.value,
                        inspected_by=inspector.user_id, inspected_at=ctx.now(), station="INSP-1",
                    ))
                if count:
                    stock.move(s, ctx, inspector, product_id=line.product_id,
                               from_location=Location.INSPECTION,
                               to_location=DISPOSITION_LOCATION[disposition], quantity=count,
                               reason="disposition", return_id=ret.id)
        if in_policy is False:
            ret.in_policy = False
            for line in lines:
                line.policy_status = PolicyStatus.OVERRIDE_NEEDED.value
                line.policy_note = "Required condition not met: original packaging."
        breakdown = compute_refund(refunds, ret.shipping_refund_minor, vendor_any, rules)
        ret.refund_total_minor = breakdown.total
        ret.deductions_minor = breakdown.deductions
        ret.shipping_refund_minor = breakdown.shipping_refund
        ret.inspected_at = ctx.now()
        ret.inspected_by = inspector.user_id
        transition(s, ctx, inspector, ret, Action.COMPLETE_INSPECTION)
        creator_limit = s.get(User, ret.created_by).approval_limit_minor
        routing = route(
            amount=breakdown.total, in_policy=ret.in_policy, overridden=bool(ret.override_reason),
            frequent_returner=frequent_returner, grade_reason_mismatch=mismatch, rules=rules,
            creator_limit=creator_limit, currency=ret.currency,
        )
        ret.approval_level = routing.level.value
        ret.approval_reasons = "\n".join(routing.reasons) or None
        if routing.automatic:
            transition(s, ctx, inspector, ret, Action.AUTO_APPROVE)
        else:
            transition(s, ctx, inspector, ret, Action.ROUTE_FOR_APPROVAL,
                       details={"level": routing.level.value})
        return ret.status


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
    frequent_returner: bool = True,
    shipping_minor: int = 0,
) -> str:
    """A return waiting for approval (frequent returner by default, so routing never auto-approves
    small amounts). ``order`` lines default to the specs' SKUs and quantities."""
    if order_no is None:
        order_no = make_order(
            world, order or [(spec.sku, spec.qty) for spec in specs],
            channel="store" if channel is Channel.COUNTER else "online",
            shipping_minor=shipping_minor,
        )
    rma = take_return(world, order_no, specs, clerk=clerk, channel=channel, method=method)
    receive_and_inspect(world, rma, specs, in_policy=in_policy, frequent_returner=frequent_returner)
    return rma


def approved(world: World, specs: list[LineSpec], **kwargs) -> str:  # noqa: ANN003
    """A return approved by the supervisor (or automatically, when routing says so)."""
    rma = awaiting(world, specs, **kwargs)
    with world.ctx.db.read() as s:
        status = s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one()
        level = s.execute(select(Return.approval_level).where(Return.rma_no == rma)).scalar_one()
    if status == "awaiting_approval":
        approver = world.manager if level == "manager" else world.supervisor
        approval.approve_refund(world.ctx, approver, rma)
    return rma
