"""What the supervisor's approval workstation reads besides the queue and the return itself.

* :func:`find_queue_notes` — for one page of the approval queue, each return's line reasons and the
  routing reasons (why it waits for a person), in one query per page rather than one per row;
* :func:`find_line_checks` — for one return, what inspection found per line: how many units failed
  each check (packaging, accessories, serial, function), the inspectors' notes, and the conditions
  the clerk confirmed at intake;
* :func:`get_case` — everything the desk shows of one return, in one snapshot.

Reads only; the decisions themselves are in :mod:`.approval`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from returndesk.domain.errors import PermissionDenied
from returndesk.domain.permissions import Permission, can
from returndesk.domain.scan import parse_rma
from returndesk.store.schema import InspectionUnit, Return, ReturnLine

from .approval import ApprovalState, approval_state_in
from .context import Actor, ServiceContext
from .history import CustomerHistory, TimelineEntry, customer_history_in, timeline_in
from .refunds import RefundView, existing_refund, refund_view
from .sales import refund_methods_for
from .views import ReturnDetail, load_return, return_detail

#: The checks of an inspected unit, in the order the station asks them.
CHECKS = ("packaging_intact", "accessories_complete", "serial_matches", "functional")
#: Most returns one call of :func:`find_queue_notes` answers for (a page of the queue).
MAX_RETURNS = 500


def _require_reader(actor: Actor) -> None:
    if not (can(actor.role, Permission.VIEW_QUEUES) or can(actor.role, Permission.FIND_SALES)):
        raise PermissionDenied(
            f"{actor.display_name or actor.username} ({actor.role}) may not look at returns waiting"
            " for approval."
        )


@dataclass(frozen=True)
class QueueNotes:
    """What the approval queue shows of one return besides its summary."""

    return_id: int
    reason_codes: tuple[str, ...]  # the lines' return reasons, each once, in line order
    routing_reasons: tuple[str, ...]  # why routing asked for a person, one sentence each
    in_policy: bool


def find_queue_notes(ctx: ServiceContext, actor: Actor, return_ids: Iterable[int]) -> dict[int, QueueNotes]:
    """Line reasons and routing reasons of the given returns (one page of a queue), by return id.

    Ids that name no return are left out. At most :data:`MAX_RETURNS` ids per call.
    """
    actor.require(Permission.VIEW_QUEUES)
    ids = sorted({int(i) for i in return_ids})
    if len(ids) > MAX_RETURNS:
        raise ValueError(f"find_queue_notes answers for at most {MAX_RETURNS} returns at a time")
    if not ids:
        return {}
    with ctx.read(actor) as s:
        heads = s.execute(
            select(Return.id, Return.approval_reasons, Return.in_policy).where(Return.id.in_(ids))
        ).all()
        codes: dict[int, list[str]] = {rid: [] for rid, _, _ in heads}
        for rid, code in s.execute(
            select(ReturnLine.return_id, ReturnLine.reason_code)
            .where(ReturnLine.return_id.in_(ids))
            .order_by(ReturnLine.return_id, ReturnLine.line_no)
        ):
            if code not in codes[rid]:
                codes[rid].append(code)
        return {
            rid: QueueNotes(
                return_id=rid,
                reason_codes=tuple(codes[rid]),
                routing_reasons=tuple(r.strip() for r in (reasons or "").split("\n") if r.strip()),
                in_policy=bool(in_policy),
            )
            for rid, reasons, in_policy in heads
        }


@dataclass(frozen=True)
class CheckCount:
    """How the inspected units of a line fared on one check (units not asked are not counted)."""

    check: str  # one of CHECKS
    passed: int
    failed: int


@dataclass(frozen=True)
class LineChecks:
    """What inspection found on one line of a return, and what the clerk confirmed at intake."""

    return_line_id: int
    line_no: int
    units_inspected: int
    checks: tuple[CheckCount, ...]  # only the checks asked for at least one unit
    notes: tuple[str, ...]  # the inspectors' notes on the units, in scan order
    conditions_met: tuple[str, ...]  # condition codes confirmed at intake

    @property
    def failed(self) -> tuple[CheckCount, ...]:
        """The checks at least one unit failed."""
        return tuple(c for c in self.checks if c.failed)


def find_line_checks(ctx: ServiceContext, actor: Actor, rma_no: str) -> tuple[LineChecks, ...]:
    """Per line of the return (in line order), the inspection checks of its units and the
    conditions confirmed at intake. Units recorded as wrong items belong to no line and are not
    counted here (the return's detail lists them)."""
    _require_reader(actor)
    rma = parse_rma(str(rma_no or ""))
    with ctx.read(actor) as s:
        return line_checks_in(s, load_return(s, rma_no=rma))


def line_checks_in(s: Session, ret: Return) -> tuple[LineChecks, ...]:
    """:func:`find_line_checks` inside the caller's transaction."""
    lines = s.execute(
        select(ReturnLine.id, ReturnLine.line_no, ReturnLine.conditions_met)
        .where(ReturnLine.return_id == ret.id)
        .order_by(ReturnLine.line_no)
    ).all()
    units = s.execute(
        select(
            InspectionUnit.return_line_id, InspectionUnit.packaging_intact,
            InspectionUnit.accessories_complete, InspectionUnit.serial_matches,
            InspectionUnit.functional, InspectionUnit.notes,
        )
        .where(InspectionUnit.return_id == ret.id, InspectionUnit.return_line_id.is_not(None))
        .order_by(InspectionUnit.id)
    ).all()
    tallies: dict[int, dict[str, list[int]]] = {lid: {c: [0, 0] for c in CHECKS} for lid, _, _ in lines}
    counts: dict[int, int] = dict.fromkeys(tallies, 0)
    notes: dict[int, list[str]] = {lid: [] for lid in tallies}
    for line_id, *values, note in units:
        if line_id not in tallies:
            continue
        counts[line_id] += 1
        for check, value in zip(CHECKS, values, strict=True):
            if value is not None:
                tallies[line_id][check][0 if value else 1] += 1
        if note and note.strip():
            notes[line_id].append(note.strip())
    return tuple(
        LineChecks(
            return_line_id=lid,
            line_no=line_no,
            units_inspected=counts[lid],
            checks=tuple(
                CheckCount(check, passed, failed)
                for check, (passed, failed) in tallies[lid].items()
                if passed or failed
            ),
            notes=tuple(notes[lid]),
            conditions_met=tuple(c.strip() for c in (conditions or "").split(",") if c.strip()),
        )
        for lid, line_no, conditions in lines
    )


# --------------------------------------------------------------------------- one case


@dataclass(frozen=True)
class ApprovalCase:
    """Everything the approval desk shows of one return, read in one snapshot."""

    detail: ReturnDetail
    state: ApprovalState
    checks: tuple[LineChecks, ...]
    history: CustomerHistory | None  # None for a return without a customer
    timeline: tuple[TimelineEntry, ...]
    refund: RefundView | None  # None when none was issued, or the reader may not see refunds
    methods: tuple[str, ...]  # refund methods this return may be paid by

    @property
    def rma_no(self) -> str:
        return self.detail.rma_no

    @property
    def status(self) -> str:
        return self.detail.status


def get_case(ctx: ServiceContext, actor: Actor, rma_no: str) -> ApprovalCase:
    """One return as the approval desk shows it: its detail, what ``actor`` may decide on it and
    why not, the inspection checks per line, the customer's history, the timeline, the refund (to
    those who may see refunds) and the refund methods it may be paid by.

    One read transaction (a repeatable-read snapshot on PostgreSQL), so the parts agree with each
    other even while other stations change the return. ``ValidationFailed`` when the text is not
    an RMA number, ``NotFound`` when no such return exists.
    """
    _require_reader(actor)
    rma = parse_rma(str(rma_no or ""))
    sees_refunds = can(actor.role, Permission.ISSUE_REFUND) or can(actor.role, Permission.VIEW_FINANCE)
    with ctx.read(actor) as s:
        ret = load_return(s, rma_no=rma)
        detail = return_detail(s, ret)
        refund = existing_refund(s, ret.id) if sees_refunds else None
        return ApprovalCase(
            detail=detail,
            state=approval_state_in(s, actor, ret),
            checks=line_checks_in(s, ret),
            history=(customer_history_in(s, ctx, detail.customer_id)
                     if detail.customer_id is not None else None),
            timeline=tuple(timeline_in(s, ret.rma_no)),
            refund=refund_view(s, refund) if refund is not None else None,
            methods=tuple(m.value for m in refund_methods_for(detail.channel)),
        )
