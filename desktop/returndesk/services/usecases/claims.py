"""Claims against suppliers (退供单): units going back to their vendor, and the money that comes back.

Units inspected with the disposition "return to vendor" wait in the ``rtv`` stock location. The
warehouse scans their item tags into the open claim of the product's supplier (one is opened when
there is none), asks the supplier for authorisation, records the supplier's RMA number and date,
and ships: the units leave ``rtv`` for the ``supplier`` location and their purchase cost moves into
the RTV clearing account. The supplier's answer — a credit note, a partial acceptance or a refusal
— empties the clearing account again (see :func:`returndesk.domain.postings.claim_answered_postings`);
refused units come back into available stock or go to scrap.

Every step is audited on the entity ``claim``, which is published to webhooks as ``claim.<action>``.
The rules (terms, value, minimum, statuses) are in :mod:`returndesk.domain.claims`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from returndesk.documents.data import Lang, check_lang
from returndesk.domain.claims import (
    ANSWERED,
    COLLECTING,
    ClaimStatus,
    RtvTerms,
    UnitFate,
    below_minimum_message,
    claim_value,
    is_overdue,
    parse_terms,
    settled_status,
)
from returndesk.domain.codes import clean_text, shown
from returndesk.domain.errors import ConcurrentChange, IllegalTransition, NotFound, ValidationFailed
from returndesk.domain.localtime import as_utc, local_day
from returndesk.domain.money import format_money
from returndesk.domain.permissions import Permission
from returndesk.domain.postings import claim_answered_postings, claim_shipped_postings
from returndesk.domain.scan import parse_rma
from returndesk.domain.types import Disposition, Location
from returndesk.services.tx.settlement import sent_back
from returndesk.store.schema import (
    InspectionUnit,
    Product,
    Return,
    ReturnLine,
    ReturnReason,
    RtvClaim,
    RtvClaimUnit,
    Supplier,
)

from returndesk.services.tx import audit, stock
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.tx.sequences import next_document_no
from returndesk.services.tx.settlement import LOCK_RETURN_BY_RMA, lock_products
from returndesk.services.usecases.company_profile import profile_in
from returndesk.services.usecases.finance import post_entry
from returndesk.services.usecases.sales import load_active_policy
from returndesk.services.usecases.sites import zone_for_station
from returndesk.domain.messages import Message, msg

if TYPE_CHECKING:
    from returndesk.documents.rtv import RtvDocumentData


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class ClaimUnitView:
    """One unit on a claim, named by its item tag (``R0000012340/17``)."""

    tag: str
    rma_no: str
    unit_id: int
    sku: str
    product_name: str
    grade: str | None
    reason: str | None
    cost_minor: int
    outcome: str | None  # accepted | available | scrap once the supplier answered
    product_name_zh: str | None = None


@dataclass(frozen=True)
class ClaimSummary:
    claim_no: str
    supplier_code: str
    supplier_name: str
    status: ClaimStatus
    units: int
    cost_minor: int
    value_minor: int  # the credit asked for under the supplier's terms (0: goods replaced)
    below_minimum: bool
    vendor_rma_no: str | None
    shipped_at: datetime | None
    credited_minor: int
    overdue: bool  # shipped and not answered within the policy's claim ageing days


@dataclass(frozen=True)
class ClaimDetail:
    summary: ClaimSummary
    version: int
    terms: RtvTerms
    fee_minor: int
    min_claim_minor: int
    supplier_address: str | None
    supplier_contact: str | None
    requested_at: datetime | None
    authorised_on: date | None
    credit_note_no: str | None
    units: tuple[ClaimUnitView, ...]

    @property
    def claim_no(self) -> str:
        return self.summary.claim_no

    @property
    def status(self) -> ClaimStatus:
        return self.summary.status


@dataclass(frozen=True)
class SupplierTerms:
    terms: RtvTerms
    handling_fee_minor: int
    min_claim_minor: int


def supplier_terms(supplier: Supplier) -> SupplierTerms:
    """The supplier's RTV terms from its master data."""
    return SupplierTerms(
        parse_terms(supplier.rtv_terms or RtvTerms.CREDIT_AT_COST),
        supplier.rtv_handling_fee_minor or 0,
        supplier.rtv_min_claim_minor or 0,
    )


# --------------------------------------------------------------------------- reading


def _claim_for_update(s: Session, claim_no: str) -> RtvClaim:
    number = clean_text(claim_no, what=msg("The claim number"), max_length=24).upper()
    claim = s.execute(select(RtvClaim).where(RtvClaim.claim_no == number).with_for_update()).scalar_one_or_none()
    if claim is None:
        raise NotFound(msg(
            "There is no claim {number}; scan or type the claim number printed on the packing list.",
            number=shown(number)))
    return claim


def _claim_units(s: Session, claim_id: int) -> list[tuple[RtvClaimUnit, InspectionUnit, Return, Product]]:
    rows = s.execute(
        select(RtvClaimUnit, InspectionUnit, Return, Product)
        .join(InspectionUnit, InspectionUnit.id == RtvClaimUnit.inspection_unit_id)
        .join(Return, Return.id == InspectionUnit.return_id)
        .join(Product, Product.id == RtvClaimUnit.product_id)
        .where(RtvClaimUnit.claim_id == claim_id)
        .order_by(RtvClaimUnit.id)
    ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def _reason_of(s: Session, unit: InspectionUnit) -> str | None:
    if unit.return_line_id is None:
        return None
    line = s.get(ReturnLine, unit.return_line_id)
    return line.reason_code if line is not None else None


def _value_of(claim: RtvClaim, supplier: Supplier, costs: list[int]) -> tuple[SupplierTerms, int, int, int, bool]:
    """(terms, cost, fee, value, below minimum): frozen on the claim once it shipped."""
    terms = supplier_terms(supplier)
    if claim.terms is not None:  # shipped: the terms it shipped under, never below the minimum
        return (SupplierTerms(RtvTerms(claim.terms), claim.fee_minor, terms.min_claim_minor),
                claim.cost_minor, claim.fee_minor, claim.value_minor, False)
    value = claim_value(terms.terms, costs, handling_fee_minor=terms.handling_fee_minor,
                        min_claim_minor=terms.min_claim_minor)
    return terms, value.cost_minor, value.fee_minor, value.value_minor, value.below_minimum


def _ageing_days(s: Session) -> int:
    return load_active_policy(s).rules.claim_ageing_days


def _summary(s: Session, ctx: ServiceContext, claim: RtvClaim, supplier: Supplier, costs: list[int],
             ageing_days: int) -> ClaimSummary:
    _terms, cost, _fee, value, below = _value_of(claim, supplier, costs)
    days = None
    if claim.shipped_at is not None:
        days = (as_utc(ctx.now()) - as_utc(claim.shipped_at)).days
    return ClaimSummary(
        claim_no=claim.claim_no,
        supplier_code=supplier.code,
        supplier_name=supplier.name,
        status=ClaimStatus(claim.status),
        units=len(costs),
        cost_minor=cost,
        value_minor=value,
        below_minimum=below,
        vendor_rma_no=claim.vendor_rma_no,
        shipped_at=claim.shipped_at,
        credited_minor=claim.credited_minor,
        overdue=is_overdue(claim.status, days, ageing_days),
    )


def _detail(s: Session, ctx: ServiceContext, claim: RtvClaim) -> ClaimDetail:
    supplier = s.get(Supplier, claim.supplier_id)
    assert supplier is not None
    rows = _claim_units(s, claim.id)
    costs = [cu.cost_minor for cu, _u, _r, _p in rows]
    terms, _cost, fee, _value, _below = _value_of(claim, supplier, costs)
    units = tuple(
        ClaimUnitView(
            tag=f"{ret.rma_no}/{unit.id}", rma_no=ret.rma_no, unit_id=unit.id, sku=product.sku,
            product_name=product.name, grade=unit.grade, reason=_reason_of(s, unit), cost_minor=cu.cost_minor,
            outcome=cu.outcome, product_name_zh=product.name_zh,
        )
        for cu, unit, ret, product in rows
    )
    contact = supplier.rtv_contact
    return ClaimDetail(
        summary=_summary(s, ctx, claim, supplier, costs, _ageing_days(s)),
        version=claim.version,
        terms=terms.terms,
        fee_minor=fee,
        min_claim_minor=terms.min_claim_minor,
        supplier_address=supplier.address,
        supplier_contact=contact,
        requested_at=claim.requested_at,
        authorised_on=claim.authorised_on,
        credit_note_no=claim.credit_note_no,
        units=units,
    )


def list_claims(
    ctx: ServiceContext, actor: Actor, *, statuses: Sequence[ClaimStatus | str] | None = None,
    supplier_code: str | None = None,
) -> list[ClaimSummary]:
    """Claims by supplier and number; by default those not yet answered (the warehouse's worklist)."""
    actor.require_any(Permission.MANAGE_CLAIMS, Permission.SETTLE_CLAIMS, doing=msg("see claims against suppliers"))
    wanted = [ClaimStatus(x).value for x in statuses] if statuses is not None else \
        [x.value for x in ClaimStatus if x not in ANSWERED]
    with ctx.read(actor) as s:
        query = (select(RtvClaim, Supplier).join(Supplier, Supplier.id == RtvClaim.supplier_id)
                 .where(RtvClaim.status.in_(wanted)).order_by(Supplier.code, RtvClaim.id))
        if supplier_code:
            code = clean_text(supplier_code, what=msg("The supplier code"), max_length=32)
            query = query.where(Supplier.code == code)
        rows = s.execute(query).all()
        ids = [claim.id for claim, _ in rows]
        costs: dict[int, list[int]] = {i: [] for i in ids}
        if ids:
            for claim_id, cost in s.execute(
                select(RtvClaimUnit.claim_id, RtvClaimUnit.cost_minor).where(RtvClaimUnit.claim_id.in_(ids))
                .order_by(RtvClaimUnit.id)
            ):
                costs[claim_id].append(int(cost))
        ageing = _ageing_days(s)
        return [_summary(s, ctx, claim, supplier, costs[claim.id], ageing) for claim, supplier in rows]


def get_claim(ctx: ServiceContext, actor: Actor, claim_no: str) -> ClaimDetail:
    actor.require_any(Permission.MANAGE_CLAIMS, Permission.SETTLE_CLAIMS, doing=msg("see claims against suppliers"))
    with ctx.read(actor) as s:
        number = clean_text(claim_no, what=msg("The claim number"), max_length=24).upper()
        claim = s.execute(select(RtvClaim).where(RtvClaim.claim_no == number)).scalar_one_or_none()
        if claim is None:
            raise NotFound(msg("There is no claim {number}.", number=shown(number)))
        return _detail(s, ctx, claim)


@dataclass(frozen=True)
class WaitingUnit:
    """A unit in the ``rtv`` location that is on no claim yet."""

    tag: str
    sku: str
    product_name: str
    supplier_code: str | None
    cost_minor: int


def units_waiting(ctx: ServiceContext, actor: Actor, *, limit: int = 200) -> list[WaitingUnit]:
    """Units disposed to their vendor and on no claim yet, oldest first."""
    actor.require(Permission.MANAGE_CLAIMS)
    with ctx.read(actor) as s:
        rows = s.execute(
            select(InspectionUnit.id, Return.rma_no, Product.sku, Product.name, Supplier.code, Product.cost_minor)
            .join(Return, Return.id == InspectionUnit.return_id)
            .join(Product, Product.id == InspectionUnit.product_id)
            .outerjoin(Supplier, Supplier.id == Product.supplier_id)
            .outerjoin(RtvClaimUnit, RtvClaimUnit.inspection_unit_id == InspectionUnit.id)
            .where(InspectionUnit.disposition == Disposition.RETURN_TO_VENDOR.value, RtvClaimUnit.id.is_(None),
                   # A refused refund sent the return's goods back to the customer: nothing is left to claim.
                   ~sent_back(InspectionUnit.return_id))
            .order_by(InspectionUnit.id).limit(limit)
        ).all()
        return [WaitingUnit(f"{rma}/{uid}", sku, name, code, int(cost)) for uid, rma, sku, name, code, cost in rows]


# --------------------------------------------------------------------------- scanning units in and out


def parse_item_tag(code: str) -> tuple[str, int | None]:
    """``(RMA, unit id or None)`` of a scanned item tag: its reference ``R…/17`` or its RMA barcode."""
    text = clean_text(code, what=msg("The scanned item tag"), max_length=60)
    rma_text, sep, unit_text = text.partition("/")
    if sep:
        if not unit_text.strip().isdigit():
            raise ValidationFailed(
                msg(
                    "'{text}' does not name an item tag: scan the RMA barcode of the tag, or type the RMA and the "
                    "unit, e.g. R0000012340/17.",
                    text=shown(text))
            )
        return parse_rma(rma_text), int(unit_text)
    return parse_rma(text), None


def _rtv_units_of(s: Session, rma: str, unit_id: int | None, sku: str | None) -> list[tuple[InspectionUnit, Product]]:
    # The return locked first, as inspection and a refused refund lock it before its products: a
    # unit undone, changed or sent back to the customer at the same moment is seen as it is now.
    ret = s.execute(LOCK_RETURN_BY_RMA, {"rma": rma}).scalar_one_or_none()
    if ret is None:
        raise NotFound(msg("There is no return {rma}; scan the RMA barcode of the unit's item tag.", rma=rma))
    query = (select(InspectionUnit, Product).join(Product, Product.id == InspectionUnit.product_id)
             .where(InspectionUnit.return_id == ret.id).order_by(InspectionUnit.id))
    if unit_id is not None:
        query = query.where(InspectionUnit.id == unit_id)
    if sku:
        query = query.where(Product.sku == clean_text(sku, what=msg("The SKU"), max_length=40).upper())
    return [(u, p) for u, p in s.execute(query).all()]


def _audit_unit(unit: InspectionUnit, product: Product, rma: str, cost: int) -> dict[str, Any]:
    return {"tag": f"{rma}/{unit.id}", "sku": product.sku, "cost_minor": cost}


def add_unit(ctx: ServiceContext, actor: Actor, code: str, *, sku: str | None = None) -> ClaimDetail:
    """Put the unit of a scanned item tag on its supplier's open claim (opening one if needed).

    ``code`` is the tag's RMA barcode (the first unit of that return going to its vendor and on no
    claim yet is taken; ``sku`` narrows it to one product) or its reference ``R…/unit``.
    """
    actor.require(Permission.MANAGE_CLAIMS)
    rma, unit_id = parse_item_tag(code)
    with guarded_write(ctx, msg("return {rma}", rma=rma), actor) as s:
        candidates = _rtv_units_of(s, rma, unit_id, sku)
        rtv_units = [(u, p) for u, p in candidates if u.disposition == Disposition.RETURN_TO_VENDOR.value]
        if not rtv_units:
            what = msg("unit {unit_id} of {rma}", unit_id=unit_id, rma=rma) if unit_id is not None else msg(
                "return {rma}", rma=rma)
            raise ValidationFailed(
                msg(
                    "No unit of {what}{value} was inspected for return to its vendor; only units in the "
                    "return-to-vendor area go on a claim.",
                    what=what, value=f' ({shown(sku)})' if sku else '')
            )
        if s.execute(select(sent_back(rtv_units[0][0].return_id))).scalar():
            raise ValidationFailed(msg(
                "The goods of {rma} went back to the customer when its refund was refused; none of its units "
                "can go to the vendor.", rma=rma))
        # The products locked before the free units are chosen: two stations scanning units of the
        # same return at once queue up here, and the second chooses among what the first left.
        lock_products(s, [p.id for _u, p in rtv_units])
        on_claims = set(s.execute(select(RtvClaimUnit.inspection_unit_id).where(
            RtvClaimUnit.inspection_unit_id.in_([u.id for u, _ in rtv_units]))).scalars())
        free = [(u, p) for u, p in rtv_units if u.id not in on_claims]
        if not free:
            claim_no = s.execute(select(RtvClaim.claim_no).join(RtvClaimUnit, RtvClaimUnit.claim_id == RtvClaim.id)
                                 .where(RtvClaimUnit.inspection_unit_id == rtv_units[0][0].id)).scalar_one()
            raise ValidationFailed(
                msg(
                    "Every unit of {rma}{value} going to its vendor is on a claim already ({claim_no}); scan another "
                    "unit.",
                    rma=rma, value=f' ({shown(sku)})' if sku else '', claim_no=claim_no)
            )
        unit, product = free[0]
        if product.supplier_id is None:
            raise ValidationFailed(
                msg(
                    "{sku} has no supplier in the catalogue, so no claim can be made for it; enter its supplier in "
                    "the master data first.",
                    sku=product.sku)
            )
        held = s.execute(
            select(func.count(RtvClaimUnit.id)).join(RtvClaim, RtvClaim.id == RtvClaimUnit.claim_id)
            .where(RtvClaimUnit.product_id == product.id,
                   RtvClaim.status.in_([c.value for c in COLLECTING]))
        ).scalar_one()
        if stock.on_hand(s, product.id, Location.RTV) <= int(held):
            raise ValidationFailed(
                msg(
                    "No unit of {sku} is left in the return-to-vendor area for {rma}/{id}: it was moved away since "
                    "inspection. Find the unit and put it back first.",
                    sku=product.sku, rma=rma, id=unit.id)
            )
        # The supplier locked before its open claim is looked for: two stations putting units of
        # two of its products on a claim at once open one claim, not two.
        supplier = s.execute(select(Supplier).where(Supplier.id == product.supplier_id)
                             .with_for_update(key_share=True)).scalar_one()
        claim = s.execute(
            select(RtvClaim).where(RtvClaim.supplier_id == supplier.id,
                                   RtvClaim.status.in_([c.value for c in COLLECTING]))
            .order_by(RtvClaim.id).limit(1).with_for_update()
        ).scalar_one_or_none()
        now = ctx.now()
        if claim is None:
            claim = RtvClaim(
                claim_no=next_document_no(s, "rtv_claim", "RTV", now.year), supplier_id=supplier.id,
                status=ClaimStatus.OPEN.value, created_at=now, created_by=actor.user_id, cost_minor=0, fee_minor=0,
                value_minor=0, credited_minor=0,
            )
            s.add(claim)
            s.flush()
            audit.record(s, ctx, actor, "claim", claim.claim_no, "open",
                         after={"supplier": supplier.code, "status": claim.status})
        if claim.status == ClaimStatus.AUTHORISED.value:
            raise IllegalTransition(
                msg(
                    "Claim {claim_no} to {name} is authorised already under the supplier's RMA {vendor_rma_no}: ship "
                    "it first, then the unit goes on the next claim.",
                    claim_no=claim.claim_no, name=supplier.name, vendor_rma_no=claim.vendor_rma_no)
            )
        cost = int(product.cost_minor)
        s.add(RtvClaimUnit(claim_id=claim.id, inspection_unit_id=unit.id, product_id=product.id, cost_minor=cost,
                           added_at=now, added_by=actor.user_id))
        _units_changed(claim)
        s.flush()
        audit.record(s, ctx, actor, "claim", claim.claim_no, "add_unit", after=_audit_unit(unit, product, rma, cost))
        detail = _detail(s, ctx, claim)
    ctx.changed("claim", claim.id)
    return detail


def remove_unit(ctx: ServiceContext, actor: Actor, claim_no: str, code: str, *, sku: str | None = None) -> ClaimDetail:
    """Take the unit of a scanned item tag off a claim not yet authorised or shipped."""
    actor.require(Permission.MANAGE_CLAIMS)
    rma, unit_id = parse_item_tag(code)
    with ctx.write(actor) as s:
        claim = _claim_for_update(s, claim_no)
        if ClaimStatus(claim.status) not in (ClaimStatus.OPEN, ClaimStatus.REQUESTED):
            raise IllegalTransition(
                msg(
                    "Claim {claim_no} is {value}: its units are fixed now.",
                    claim_no=claim.claim_no, value=ClaimStatus(claim.status).value)
            )
        rows = [(cu, u, r, p) for cu, u, r, p in _claim_units(s, claim.id)
                if r.rma_no == rma and (unit_id is None or u.id == unit_id)
                and (not sku or p.sku == clean_text(sku, what=msg("The SKU"), max_length=40).upper())]
        if not rows:
            raise NotFound(msg(
                "No unit of {rma}{value} is on claim {claim_no}.",
                rma=rma, value=f'/{unit_id}' if unit_id else '', claim_no=claim.claim_no))
        cu, unit, ret, product = rows[-1]
        s.delete(cu)
        _units_changed(claim)
        s.flush()
        audit.record(s, ctx, actor, "claim", claim.claim_no, "remove_unit",
                     before=_audit_unit(unit, product, ret.rma_no, cu.cost_minor))
        detail = _detail(s, ctx, claim)
    ctx.changed("claim", claim.id)
    return detail


# --------------------------------------------------------------------------- authorisation and shipping


def _require_status(claim: RtvClaim, allowed: Sequence[ClaimStatus], doing: Message) -> None:
    if ClaimStatus(claim.status) not in allowed:
        raise IllegalTransition(
            msg(
                "Claim {claim_no} is {value}; it cannot be {doing} now.",
                claim_no=claim.claim_no, value=ClaimStatus(claim.status).value, doing=doing)
        )


def _units_changed(claim: RtvClaim) -> None:
    """A unit went on or off ``claim``: its version moves on, so that a screen knows a claim read
    before the change from one read after it, and an action sent with the older version is refused."""
    flag_modified(claim, "status")


def _check_expected(claim: RtvClaim, expected_version: int | None) -> None:
    if expected_version is not None and claim.version != expected_version:
        raise ConcurrentChange(
            msg(
                "Claim {claim_no} was changed at another station since you opened it; look at it again.",
                claim_no=claim.claim_no)
        )


def _check_minimum(s: Session, claim: RtvClaim) -> tuple[Supplier, list[int]]:
    supplier = s.get(Supplier, claim.supplier_id)
    assert supplier is not None
    costs = [cu.cost_minor for cu, *_ in _claim_units(s, claim.id)]
    terms = supplier_terms(supplier)
    value = claim_value(terms.terms, costs, handling_fee_minor=terms.handling_fee_minor,
                        min_claim_minor=terms.min_claim_minor)
    if value.below_minimum:
        raise ValidationFailed(below_minimum_message(claim.claim_no, supplier.name, value, terms.min_claim_minor))
    return supplier, costs


def request_authorisation(ctx: ServiceContext, actor: Actor, claim_no: str, *,
                          expected_version: int | None = None) -> ClaimDetail:
    """The supplier has been asked to authorise the return of the claim's units."""
    actor.require(Permission.MANAGE_CLAIMS)
    with ctx.write(actor) as s:
        claim = _claim_for_update(s, claim_no)
        _check_expected(claim, expected_version)
        _require_status(claim, (ClaimStatus.OPEN,), msg("sent for authorisation"))
        _check_minimum(s, claim)
        claim.status = ClaimStatus.REQUESTED.value
        claim.requested_at = ctx.now()
        s.flush()
        audit.record(s, ctx, actor, "claim", claim.claim_no, "request",
                     before={"status": ClaimStatus.OPEN.value}, after={"status": claim.status})
        detail = _detail(s, ctx, claim)
    ctx.changed("claim", claim.id)
    return detail


def record_authorisation(ctx: ServiceContext, actor: Actor, claim_no: str, vendor_rma_no: str,
                         authorised_on: date, *, expected_version: int | None = None) -> ClaimDetail:
    """The supplier authorised the return: its RMA number and the date it was given."""
    actor.require(Permission.MANAGE_CLAIMS)
    rma = clean_text(vendor_rma_no, what=msg("The supplier's RMA number"), max_length=40)
    if not rma:
        raise ValidationFailed(msg("Enter the RMA number the supplier gave for this claim."))
    if not isinstance(authorised_on, date):
        raise ValidationFailed(msg("Enter the date the supplier authorised the return."))
    with ctx.write(actor) as s:
        claim = _claim_for_update(s, claim_no)
        _check_expected(claim, expected_version)
        _require_status(claim, (ClaimStatus.OPEN, ClaimStatus.REQUESTED), msg("authorised"))
        _check_minimum(s, claim)
        if authorised_on > as_utc(ctx.now()).date():
            raise ValidationFailed(msg(
                "The authorisation date {authorised_on} lies in the future.",
                authorised_on=authorised_on.isoformat()))
        before = {"status": claim.status}
        claim.status = ClaimStatus.AUTHORISED.value
        claim.vendor_rma_no = rma
        claim.authorised_on = authorised_on
        claim.requested_at = claim.requested_at or ctx.now()
        s.flush()
        audit.record(s, ctx, actor, "claim", claim.claim_no, "authorise", before=before,
                     after={"status": claim.status, "vendor_rma_no": rma, "authorised_on": authorised_on.isoformat()})
        detail = _detail(s, ctx, claim)
    ctx.changed("claim", claim.id)
    return detail


def ship_claim(ctx: ServiceContext, actor: Actor, claim_no: str, *,
               expected_version: int | None = None) -> ClaimDetail:
    """The authorised claim leaves for the supplier: its units move from ``rtv`` to ``supplier`` and
    their purchase cost to the RTV clearing account, at the terms of this day."""
    actor.require(Permission.MANAGE_CLAIMS)
    with guarded_write(ctx, msg("claim {claim_no}", claim_no=shown(claim_no)), actor) as s:
        # The products first, then the claim: the order in which a scan puts a unit on a claim
        # takes them, so that shipping while a unit of the same product is scanned never deadlocks.
        # (An authorised claim's units cannot change; any other claim is refused below.)
        locked = lock_products(s, s.execute(
            select(RtvClaimUnit.product_id).join(RtvClaim, RtvClaim.id == RtvClaimUnit.claim_id)
            .where(RtvClaim.claim_no == clean_text(claim_no, what=msg("The claim number"), max_length=24).upper())
        ).scalars())
        claim = _claim_for_update(s, claim_no)
        _check_expected(claim, expected_version)
        _require_status(claim, (ClaimStatus.AUTHORISED,), msg("shipped before the supplier authorised it"))
        supplier, costs = _check_minimum(s, claim)
        rows = _claim_units(s, claim.id)
        per_product = Counter(p.id for _cu, _u, _r, p in rows)
        skus = {p.id: p.sku for _cu, _u, _r, p in rows}
        lock_products(s, set(per_product) - set(locked))  # a claim authorised since the first read
        for product_id, quantity in sorted(per_product.items()):
            if stock.on_hand(s, product_id, Location.RTV) < quantity:
                raise ValidationFailed(
                    msg(
                        "Claim {claim_no} holds {quantity} × {skus}, but fewer are in the return-to-vendor area; "
                        "find the missing units or take them off the claim.",
                        claim_no=claim.claim_no, quantity=quantity, skus=skus[product_id])
                )
            stock.move(s, ctx, actor, product_id=product_id, from_location=Location.RTV,
                       to_location=Location.SUPPLIER, quantity=quantity, reason=f"claim {claim.claim_no}")
        terms = supplier_terms(supplier)
        value = claim_value(terms.terms, costs, handling_fee_minor=terms.handling_fee_minor)
        now = ctx.now()
        claim.status = ClaimStatus.SHIPPED.value
        claim.shipped_at = now
        claim.shipped_by = actor.user_id
        claim.terms = terms.terms.value
        claim.cost_minor = value.cost_minor
        claim.fee_minor = value.fee_minor
        claim.value_minor = value.value_minor
        post_entry(s, ctx, memo=msg("Claim {claim_no} shipped to {supplier}", claim_no=claim.claim_no,
                                    supplier=supplier.code),
                   postings=claim_shipped_postings(value.cost_minor, msg("Claim {claim_no}", claim_no=claim.claim_no)))
        s.flush()
        audit.record(s, ctx, actor, "claim", claim.claim_no, "ship", before={"status": ClaimStatus.AUTHORISED.value},
                     after={"status": claim.status, "units": len(rows), "terms": claim.terms,
                            "cost_minor": claim.cost_minor, "value_minor": claim.value_minor,
                            "vendor_rma_no": claim.vendor_rma_no})
        detail = _detail(s, ctx, claim)
    ctx.changed("claim", claim.id)
    return detail


# --------------------------------------------------------------------------- the supplier's answer


def record_answer(
    ctx: ServiceContext,
    actor: Actor,
    claim_no: str,
    *,
    credit_note_no: str | None = None,
    credited_minor: int = 0,
    refused: Sequence[str] = (),
    refused_to: UnitFate | str = UnitFate.BACK_TO_STOCK,
    expected_version: int | None = None,
) -> ClaimDetail:
    """What the supplier answered to a shipped claim.

    ``refused`` names the units the supplier did not accept by their item tags (``R…/17``); they come
    back from the supplier into available stock or go to scrap (``refused_to``). For the accepted
    units the supplier sends a credit note (``credit_note_no``, ``credited_minor``), or new goods
    when its terms are replacement. Nothing accepted is a rejected claim.
    """
    actor.require(Permission.SETTLE_CLAIMS)
    fate = UnitFate(refused_to)
    if isinstance(credited_minor, bool) or not isinstance(credited_minor, int) or credited_minor < 0:
        raise ValidationFailed(msg("The credited amount must be zero or more."))
    note = clean_text(credit_note_no, what=msg("The credit note number"), max_length=40) if credit_note_no else None
    refused_tags = {clean_text(t, what=msg("A refused unit's item tag"), max_length=60).upper() for t in refused}
    with ctx.write(actor) as s:
        claim = _claim_for_update(s, claim_no)
        _check_expected(claim, expected_version)
        _require_status(claim, (ClaimStatus.SHIPPED,), msg("answered before it was shipped, or twice"))
        supplier = s.get(Supplier, claim.supplier_id)
        assert supplier is not None
        rows = _claim_units(s, claim.id)
        tags = {f"{r.rma_no}/{u.id}": (cu, p) for cu, u, r, p in rows}
        unknown = sorted(refused_tags - set(tags))
        if unknown:
            raise ValidationFailed(msg(
                "{unknown} is not a unit of claim {claim_no}.",
                unknown=shown(unknown[0]), claim_no=claim.claim_no))
        accepted = [(cu, p) for tag, (cu, p) in tags.items() if tag not in refused_tags]
        replaced = RtvTerms(claim.terms or RtvTerms.CREDIT_AT_COST) is RtvTerms.REPLACEMENT
        if not accepted and credited_minor:
            raise ValidationFailed(msg("The supplier refused every unit, so nothing can have been credited."))
        if accepted and not replaced:
            if credited_minor == 0 or not note:
                raise ValidationFailed(
                    msg(
                        "The supplier accepted {accepted_count} unit(s): enter the number and amount of its credit "
                        "note, or mark every unit refused.",
                        accepted_count=len(accepted))
                )
            if credited_minor > claim.value_minor:
                raise ValidationFailed(
                    msg(
                        "The credit of {credited_minor} is more than claim {claim_no} asked ({value_minor}); check "
                        "the amount on the credit note.",
                        credited_minor=format_money(credited_minor), claim_no=claim.claim_no,
                        value_minor=format_money(claim.value_minor))
                )
        if replaced and credited_minor:
            raise ValidationFailed(
                msg(
                    "{name} replaces the goods of its claims rather than crediting them; record no amount.",
                    name=supplier.name)
            )
        refused_rows = [(cu, p) for tag, (cu, p) in tags.items() if tag in refused_tags]
        back: Counter[int] = Counter()
        for cu, p in refused_rows:
            cu.outcome = fate.value
            back[p.id] += 1
        for cu, _p in accepted:
            cu.outcome = "accepted"
        destination = Location.AVAILABLE if fate is UnitFate.BACK_TO_STOCK else Location.SCRAP
        for product_id, quantity in sorted(back.items()):
            stock.move(s, ctx, actor, product_id=product_id, from_location=Location.SUPPLIER,
                       to_location=destination, quantity=quantity, reason=f"claim {claim.claim_no} refused")
        if replaced:
            for product_id, quantity in sorted(Counter(p.id for _cu, p in accepted).items()):
                stock.move(s, ctx, actor, product_id=product_id, from_location=Location.SUPPLIER,
                           to_location=Location.AVAILABLE, quantity=quantity,
                           reason=f"claim {claim.claim_no} replaced")
        refused_cost = sum(cu.cost_minor for cu, _p in refused_rows)
        post_entry(s, ctx, memo=msg("Claim {claim_no} answered by {supplier}", claim_no=claim.claim_no,
                                    supplier=supplier.code), postings=claim_answered_postings(
            accepted_cost_minor=sum(cu.cost_minor for cu, _p in accepted),
            credited_minor=credited_minor,
            replaced=replaced,
            restocked_cost_minor=refused_cost if fate is UnitFate.BACK_TO_STOCK else 0,
            scrapped_cost_minor=refused_cost if fate is UnitFate.SCRAP else 0,
            memo=msg("Claim {claim_no}", claim_no=claim.claim_no),
        ))
        status = settled_status(len(rows), len(accepted), credited_minor, claim.value_minor, replaced)
        claim.status = status.value
        claim.answered_at = ctx.now()
        claim.answered_by = actor.user_id
        claim.credit_note_no = note
        claim.credited_minor = credited_minor
        s.flush()
        audit.record(s, ctx, actor, "claim", claim.claim_no, status.value,
                     before={"status": ClaimStatus.SHIPPED.value},
                     after={"status": status.value, "credit_note_no": note, "credited_minor": credited_minor,
                            "accepted": len(accepted), "refused": sorted(refused_tags), "refused_to": fate.value})
        detail = _detail(s, ctx, claim)
    ctx.changed("claim", claim.id)
    return detail


def reject_claim(ctx: ServiceContext, actor: Actor, claim_no: str, *,
                 units_to: UnitFate | str = UnitFate.BACK_TO_STOCK,
                 expected_version: int | None = None) -> ClaimDetail:
    """The supplier refused the whole claim: every unit comes back into stock or goes to scrap."""
    actor.require(Permission.SETTLE_CLAIMS)
    detail = get_claim(ctx, actor, claim_no)
    return record_answer(ctx, actor, claim_no, refused=[u.tag for u in detail.units], refused_to=units_to,
                         expected_version=expected_version)


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class ClaimDocuments:
    """The packing list (A4) and the shipping label (100x150 mm) of a claim, as PDF bytes."""

    claim_no: str
    packing_list: bytes
    shipping_label: bytes


def claim_document_data(ctx: ServiceContext, actor: Actor, claim_no: str, lang: Lang = "en") -> RtvDocumentData:
    """What the packing list and the shipping label print: refused (in words) until the supplier has
    authorised the claim, or while the supplier has no return address."""
    from returndesk.documents.rtv import RtvDocumentData, RtvUnitLine  # reportlab only when printing

    actor.require_any(Permission.MANAGE_CLAIMS, Permission.SETTLE_CLAIMS, doing=msg("print claim documents"))
    check_lang(lang)
    with ctx.read(actor) as s:
        number = clean_text(claim_no, what=msg("The claim number"), max_length=24).upper()
        claim = s.execute(select(RtvClaim).where(RtvClaim.claim_no == number)).scalar_one_or_none()
        if claim is None:
            raise NotFound(msg("There is no claim {number}.", number=shown(number)))
        detail = _detail(s, ctx, claim)
        supplier = s.get(Supplier, claim.supplier_id)
        assert supplier is not None
        reasons = {r.code: (r.name_zh if lang == "zh_CN" else r.name_en)
                   for r in s.execute(select(ReturnReason)).scalars()}
        products = s.execute(select(Product).where(Product.sku.in_([u.sku for u in detail.units]))).scalars().all()
        names = {p.sku: ((p.name_zh or p.name) if lang == "zh_CN" else p.name) for p in products}
        vendor_codes = {p.sku: p.supplier_sku or "" for p in products}
        profile = profile_in(s, actor.station or ctx.station, lang)
        address = tuple(line for line in (supplier.address or "").splitlines() if line.strip())
        return RtvDocumentData(
            claim_no=claim.claim_no,
            vendor_rma_no=claim.vendor_rma_no or "",
            authorised_on=claim.authorised_on,
            printed_on=local_day(ctx.now(), zone_for_station(s, actor.station or ctx.station)) or ctx.now().date(),
            terms=detail.terms.value,
            supplier_name=supplier.name,
            supplier_address=address,
            supplier_contact=supplier.rtv_contact or "",
            company_name=profile.company_name,
            return_from=profile.return_to,
            units=tuple(RtvUnitLine(tag=u.tag, sku=u.sku, product_name=names.get(u.sku, u.product_name),
                                    grade=u.grade or "", reason=reasons.get(u.reason or "", u.reason or ""),
                                    cost_minor=u.cost_minor, supplier_code=vendor_codes.get(u.sku, ""))
                         for u in detail.units),
            cost_minor=detail.summary.cost_minor,
            value_minor=detail.summary.value_minor,
            lang=lang,
        )


def claim_documents(ctx: ServiceContext, actor: Actor, claim_no: str, lang: Lang = "en") -> ClaimDocuments:
    """The packing list and the shipping label of an authorised (or shipped) claim."""
    from returndesk.documents.rtv import render_packing_list, render_shipping_label  # reportlab only when printing

    data = claim_document_data(ctx, actor, claim_no, lang)
    return ClaimDocuments(data.claim_no, render_packing_list(data), render_shipping_label(data))
