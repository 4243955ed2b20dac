"""The refurbish queue: units inspected for refurbishment, worked, and then back in stock or scrapped.

A unit inspected with the disposition "refurbish" waits in the ``refurbish`` stock location once
its return has left the inspection station. The warehouse scans its item tag, notes the repair and
the parts it used, and either puts it back into available stock at the grade it has now
(:func:`refurbish_unit`) or scraps it with a reason (:func:`scrap_unit`). Scrapping a unit worth
more than the policy's ``scrap_signoff_limit`` (its purchase cost plus the parts spent on it) needs
a supervisor's sign-off, by password or badge, unless the person scrapping is a supervisor.

Each step moves the unit in the stock ledger, writes its journal entry
(:func:`returndesk.domain.postings.refurbished_postings`, :func:`~returndesk.domain.postings.scrapped_postings`)
and an audit event on the entity ``refurbish`` (published to webhooks as ``refurbish.<action>``),
in one transaction. What became of a unit is one ``refurbish_jobs`` row; a unit has at most one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from returndesk.domain.codes import shown
from returndesk.domain.errors import ConcurrentChange, NotFound, PermissionDenied, ValidationFailed
from returndesk.domain.messages import Message, msg
from returndesk.domain.money import format_money
from returndesk.domain.permissions import Permission, can
from returndesk.domain.postings import refurbished_postings, scrapped_postings
from returndesk.domain.types import Disposition, Grade, Location, ReturnStatus, Role
from returndesk.store.schema import InspectionUnit, Product, RefurbishJob, Return, ReturnLine, User

from returndesk.services.tx import audit, stock
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.tx.settlement import LOCK_RETURN_BY_RMA, lock_products, sent_back
from returndesk.services.usecases import auth
from returndesk.services.usecases.auth import SignOff
from returndesk.services.usecases.claims import parse_item_tag
from returndesk.services.usecases.finance import post_entry
from returndesk.services.usecases.sales import load_active_policy

#: Longest repair note and scrap reason kept.
MAX_NOTE = 500
#: Most parts cost one unit may carry (1,000,000.00): a typing slip, not a repair.
MAX_PARTS_COST_MINOR = 100_000_000


class RefurbishStatus:
    WAITING = "waiting"
    REFURBISHED = "refurbished"
    SCRAPPED = "scrapped"


@dataclass(frozen=True)
class RefurbishUnit:
    """One unit of the refurbish queue, named by its item tag (``R0000012340/17``)."""

    tag: str
    rma_no: str
    unit_id: int
    sku: str
    product_name: str
    product_name_zh: str | None
    grade: str | None  # the grade at inspection
    reason: str | None  # the customer's return reason
    inspection_notes: str | None
    cost_minor: int  # purchase cost
    inspected_at: datetime | None
    status: str  # waiting | refurbished | scrapped
    new_grade: str | None = None
    parts_cost_minor: int = 0
    repair_note: str | None = None
    scrap_reason: str | None = None
    signed_off_by: str | None = None  # display name of the supervisor who signed the scrap off
    finished_at: datetime | None = None
    finished_by: str | None = None


@dataclass(frozen=True)
class RefurbishQueue:
    """The units waiting, oldest first; the units finished lately, newest first; and the value above
    which scrapping needs a supervisor."""

    waiting: tuple[RefurbishUnit, ...]
    finished: tuple[RefurbishUnit, ...]
    scrap_signoff_limit_minor: int


# --------------------------------------------------------------------------- reading


def _names(s: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {uid: (display or name) for uid, name, display in s.execute(
        select(User.id, User.username, User.display_name).where(User.id.in_(ids)))}


_Row = tuple[InspectionUnit, str, Product, str | None, RefurbishJob | None]


def _unit_query() -> Select[InspectionUnit, str, Product, str, RefurbishJob]:
    return (
        select(InspectionUnit, Return.rma_no, Product, ReturnLine.reason_code, RefurbishJob)
        .join(Return, Return.id == InspectionUnit.return_id)
        .join(Product, Product.id == InspectionUnit.product_id)
        .outerjoin(ReturnLine, ReturnLine.id == InspectionUnit.return_line_id)
        .outerjoin(RefurbishJob, RefurbishJob.inspection_unit_id == InspectionUnit.id)
    )


def _view(unit: InspectionUnit, rma: str, product: Product, reason: str | None, job: RefurbishJob | None,
          names: dict[int, str]) -> RefurbishUnit:
    tag = f"{rma}/{unit.id}"
    if job is None:
        return RefurbishUnit(tag, rma, unit.id, product.sku, product.name, product.name_zh, unit.grade, reason,
                             unit.notes, int(product.cost_minor), unit.inspected_at, RefurbishStatus.WAITING)
    return RefurbishUnit(
        tag, rma, unit.id, product.sku, product.name, product.name_zh, unit.grade, reason, unit.notes,
        int(job.cost_minor), unit.inspected_at, job.status, new_grade=job.new_grade,
        parts_cost_minor=int(job.parts_cost_minor), repair_note=job.repair_note, scrap_reason=job.scrap_reason,
        signed_off_by=names.get(job.signed_off_by) if job.signed_off_by else None, finished_at=job.finished_at,
        finished_by=names.get(job.finished_by) if job.finished_by else None,
    )


def _views(s: Session, rows: list[_Row]) -> list[RefurbishUnit]:
    ids = {i for *_x, job in rows if job is not None for i in (job.signed_off_by, job.finished_by) if i}
    names = _names(s, ids)
    return [_view(u, rma, p, reason, job, names) for u, rma, p, reason, job in rows]


#: A unit is in the queue once its return has left the inspection station (its units are final).
_STILL_AT_INSPECTION = (ReturnStatus.RECEIVED.value,)


def refurbish_queue(ctx: ServiceContext, actor: Actor, *, limit: int = 200, finished_limit: int = 50) -> RefurbishQueue:
    """The units waiting for refurbishment (oldest first) and the units finished lately."""
    actor.require(Permission.REFURBISH)
    limit = max(1, min(int(limit), 1000))
    finished_limit = max(0, min(int(finished_limit), 1000))
    with ctx.read(actor) as s:
        waiting = s.execute(
            _unit_query()
            .where(InspectionUnit.disposition == Disposition.REFURBISH.value, RefurbishJob.id.is_(None),
                   Return.status.not_in(_STILL_AT_INSPECTION),
                   ~sent_back(InspectionUnit.return_id))  # a refused refund handed the goods back
            .order_by(InspectionUnit.id).limit(limit)
        ).all()
        finished = s.execute(
            _unit_query().where(RefurbishJob.id.is_not(None)).order_by(RefurbishJob.id.desc()).limit(finished_limit)
        ).all() if finished_limit else []
        limit_minor = load_active_policy(s).rules.scrap_signoff_limit
        return RefurbishQueue(tuple(_views(s, list(waiting))), tuple(_views(s, list(finished))), limit_minor)


def _find(s: Session, code: str) -> _Row:
    rma, unit_id = parse_item_tag(code)
    query = _unit_query().where(Return.rma_no == rma)
    if unit_id is not None:
        query = query.where(InspectionUnit.id == unit_id)
    rows = s.execute(query.order_by(InspectionUnit.id)).all()
    if not rows:
        what = f"{rma}/{unit_id}" if unit_id is not None else rma
        raise NotFound(msg("There is no unit {what}; scan the item tag of the unit.",
                           what=what))
    refurbish = [r for r in rows if r[0].disposition == Disposition.REFURBISH.value]
    if not refurbish:
        raise ValidationFailed(
            msg("No unit of {rma} was inspected for refurbishment; only units in the refurbish area are worked "
                "here.",
                rma=rma)
        )
    waiting = [r for r in refurbish if r[4] is None]
    if waiting and s.execute(select(sent_back(waiting[0][0].return_id))).scalar():
        raise ValidationFailed(msg(
            "The goods of {rma} went back to the customer when its refund was refused; none of its units "
            "can be refurbished.", rma=rma))
    return waiting[0] if waiting else refurbish[0]


def find_refurbish_unit(ctx: ServiceContext, actor: Actor, code: str) -> RefurbishUnit:
    """The unit of a scanned item tag (its RMA barcode: the first unit of that return still waiting
    for refurbishment; its reference ``R…/17``: that unit), waiting or finished."""
    actor.require(Permission.REFURBISH)
    with ctx.read(actor) as s:
        return _views(s, [_find(s, code)])[0]


# --------------------------------------------------------------------------- finishing a unit


def _note(text: str | None, what: Message) -> str | None:
    """A note as typed (several lines allowed), trimmed; None when empty."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValidationFailed(msg("{what} must be text.",
                                   what=what))
    stripped = text.strip()
    if len(stripped) > MAX_NOTE:
        raise ValidationFailed(msg("{what} is {length} characters long; keep it to {limit}.",
                                   what=what,
                                   length=len(stripped),
                                   limit=MAX_NOTE))
    if "\x00" in stripped:
        raise ValidationFailed(msg("{what} contains a NUL character; type it again.",
                                   what=what))
    return stripped or None


def _parts(parts_cost_minor: int) -> int:
    if isinstance(parts_cost_minor, bool) or not isinstance(parts_cost_minor, int) or parts_cost_minor < 0:
        raise ValidationFailed(msg("The parts cost must be zero or more."))
    if parts_cost_minor > MAX_PARTS_COST_MINOR:
        raise ValidationFailed(msg("A parts cost of {parts_cost_minor} is not plausible for one unit; check the "
                                   "amount.",
                                   parts_cost_minor=format_money(parts_cost_minor)))
    return parts_cost_minor


def _waiting_unit_for_update(s: Session, code: str, doing: Message
                             ) -> tuple[InspectionUnit, str, Product, str | None]:
    # The return is locked first, as every other step of a return locks it before its products: a
    # refund refused at the same moment (its goods going back to the customer) or another bench
    # finishing a unit of the same return waits, and the unit is chosen after it.
    locked = s.execute(LOCK_RETURN_BY_RMA, {"rma": parse_item_tag(code)[0]}).scalar_one_or_none()
    unit, rma, product, reason, job = _find(s, code)
    tag = f"{rma}/{unit.id}"
    if job is not None:
        # The job's state as words of the user's language, not its stored code.
        done = msg("scrapped") if job.status == RefurbishStatus.SCRAPPED else msg("put back in stock")
        raise ValidationFailed(msg("{tag} was {status} already; scan another unit.",
                                   tag=tag,
                                   status=done))
    status = locked.status if locked is not None and locked.id == unit.return_id else \
        s.execute(select(Return.status).where(Return.id == unit.return_id)).scalar_one()
    if status in _STILL_AT_INSPECTION:
        raise ValidationFailed(msg("The inspection of {rma} is not complete yet, so {tag} cannot be {doing}.",
                                   rma=rma,
                                   tag=tag,
                                   doing=doing))
    lock_products(s, [product.id])
    if stock.on_hand(s, product.id, Location.REFURBISH) < 1:
        raise ValidationFailed(
            msg("No unit of {sku} is in the refurbish area for {tag}: it was moved away since inspection. Find the "
                "unit and put it back first.",
                sku=product.sku,
                tag=tag)
        )
    return unit, rma, product, reason


def _save(s: Session, job: RefurbishJob, tag: str) -> None:
    s.add(job)
    try:
        with s.begin_nested():
            s.flush()
    except IntegrityError:
        raise ConcurrentChange(msg("{tag} was finished at another station a moment ago; scan it again.",
                                   tag=tag)) from None


def _finished(s: Session, unit: InspectionUnit, rma: str, product: Product, reason: str | None,
              job: RefurbishJob) -> RefurbishUnit:
    return _views(s, [(unit, rma, product, reason, job)])[0]


def refurbish_unit(
    ctx: ServiceContext,
    actor: Actor,
    code: str,
    *,
    grade: Grade | str,
    repair_note: str | None = None,
    parts_cost_minor: int = 0,
) -> RefurbishUnit:
    """The unit of a scanned item tag is repaired and goes back into available stock at ``grade``."""
    actor.require(Permission.REFURBISH)
    try:
        new_grade = Grade(str(grade).strip().upper())
    except ValueError:
        raise ValidationFailed(msg("'{value}' is not a grade; choose A, B, C or D.",
                                   value=shown(str(grade)))) from None
    if new_grade is Grade.D:
        raise ValidationFailed(msg("A unit of grade D is not sold again; scrap it instead."))
    parts = _parts(parts_cost_minor)
    note = _note(repair_note, msg("The repair note"))
    with guarded_write(ctx, msg("unit {code}", code=shown(code)), actor) as s:
        unit, rma, product, reason = _waiting_unit_for_update(s, code, msg("put back into stock"))
        tag = f"{rma}/{unit.id}"
        cost = int(product.cost_minor)
        job = RefurbishJob(
            inspection_unit_id=unit.id, product_id=product.id, status=RefurbishStatus.REFURBISHED, cost_minor=cost,
            parts_cost_minor=parts, repair_note=note, new_grade=new_grade.value, finished_at=ctx.now(),
            finished_by=actor.user_id,
        )
        _save(s, job, tag)
        stock.move(s, ctx, actor, product_id=product.id, from_location=Location.REFURBISH,
                   to_location=Location.AVAILABLE, quantity=1, reason="refurbished", return_id=unit.return_id)
        memo = msg("Refurbished {tag}", tag=tag)
        post_entry(s, ctx, memo=memo, return_id=unit.return_id, postings=refurbished_postings(cost, parts, memo))
        audit.record(s, ctx, actor, "refurbish", tag, RefurbishStatus.REFURBISHED,
                     before={"grade": unit.grade},
                     after={"sku": product.sku, "grade": new_grade.value, "parts_cost_minor": parts,
                            "cost_minor": cost, "repair_note": note})
        view = _finished(s, unit, rma, product, reason, job)
    ctx.changed("refurbish", unit.id)
    return view


def _is_supervisor(actor: Actor) -> bool:
    return can(actor.role, Permission.APPROVE_REFUND) and actor.role is not Role.CLERK


def scrap_unit(
    ctx: ServiceContext,
    actor: Actor,
    code: str,
    *,
    reason: str,
    repair_note: str | None = None,
    parts_cost_minor: int = 0,
    sign_off: SignOff | None = None,
) -> RefurbishUnit:
    """The unit of a scanned item tag cannot be repaired and goes to scrap, for ``reason``.

    Worth more than the policy's scrap sign-off limit (purchase cost plus parts), it needs
    ``sign_off`` by a supervisor unless ``actor`` is one; a wrong password counts toward the
    supervisor's lockout, and nothing else is saved then.
    """
    actor.require(Permission.REFURBISH)
    why = _note(reason, msg("The scrap reason"))
    if not why:
        raise ValidationFailed(msg("Enter why the unit is scrapped."))
    parts = _parts(parts_cost_minor)
    note = _note(repair_note, msg("The repair note"))
    with ctx.read(actor) as s:
        unit, rma, product, _reason, _job = _find(s, code)
        tag = f"{rma}/{unit.id}"
        value = int(product.cost_minor) + parts
        limit = load_active_policy(s).rules.scrap_signoff_limit
    supervisor: Actor | None = None
    if value > limit and not _is_supervisor(actor):
        if sign_off is None:
            raise PermissionDenied(
                msg("Scrapping {tag} ({value}) is above the limit of {limit}: a supervisor must sign it off.",
                    tag=tag,
                    value=format_money(value),
                    limit=format_money(limit))
            )
        supervisor = auth.verify_sign_off(ctx, actor, sign_off)
    with guarded_write(ctx, msg("unit {code}", code=shown(code)), actor) as s:
        unit, rma, product, reason_code = _waiting_unit_for_update(s, code, msg("scrapped"))
        tag = f"{rma}/{unit.id}"
        cost = int(product.cost_minor)
        if supervisor is None and cost + parts > limit and not _is_supervisor(actor):
            raise ConcurrentChange(msg("The cost of {sku} changed while you scrapped {tag}; scrap it again.",
                                       sku=product.sku,
                                       tag=tag))
        job = RefurbishJob(
            inspection_unit_id=unit.id, product_id=product.id, status=RefurbishStatus.SCRAPPED, cost_minor=cost,
            parts_cost_minor=parts, repair_note=note, scrap_reason=why, finished_at=ctx.now(),
            finished_by=actor.user_id, signed_off_by=supervisor.user_id if supervisor is not None else None,
        )
        _save(s, job, tag)
        stock.move(s, ctx, actor, product_id=product.id, from_location=Location.REFURBISH,
                   to_location=Location.SCRAP, quantity=1, reason="scrapped", return_id=unit.return_id)
        memo = msg("Scrapped {tag}", tag=tag)
        post_entry(s, ctx, memo=memo, return_id=unit.return_id, postings=scrapped_postings(cost, parts, memo))
        audit.record(s, ctx, actor, "refurbish", tag, RefurbishStatus.SCRAPPED,
                     before={"grade": unit.grade},
                     after={"sku": product.sku, "reason": why, "parts_cost_minor": parts, "cost_minor": cost,
                            "signed_off_by": supervisor.username if supervisor is not None else None})
        view = _finished(s, unit, rma, product, reason_code, job)
    ctx.changed("refurbish", unit.id)
    return view
