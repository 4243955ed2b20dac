"""Inspection at the scanning station: counting, grading and disposing of each unit of a return.

How units are counted
---------------------
The parcel's arrival (:func:`returndesk.services.usecases.receiving.receive_return`) moves the units the
return authorizes from the customer into the inspection area. Inspection then records every
physical unit as one ``inspection_units`` row, matched by its scanned code (EAN-13/UPC-A, GTIN-14
or GS1 element string, or the SKU) or by the line the inspector chose:

* a unit of a line that still expects units is *counted* against it: ``ACCEPTED``, or ``REJECTED``
  when its disposition is *return to customer* (it goes back, nothing is refunded for it);
* a unit beyond what a line authorizes is ``OVER`` (linked to the line, never refunded);
* an item that is on no line of the return is ``WRONG_ITEM`` (with its product when the code is in
  the catalogue). A code the catalogue does not know is refused as a probable misread, unless the
  inspector marks the unit as a wrong item first (the *Wrong item* command).

``return_lines.qty_received`` counts the units scanned against a line (over units included),
not the parcel; ``qty_accepted``/``qty_rejected`` follow the units. Units expected but not scanned
are *short*: :func:`close_line_short` marks a line so before completion, and
:func:`complete_inspection` treats whatever is still outstanding the same way.

Grades and dispositions (the defaults; the inspector may choose otherwise)
--------------------------------------------------------------------------
* Failed checks set a floor under the grade: packaging not intact -> at least B, accessories
  missing -> at least C, not functional -> D. The worse of the floor and the grade given counts.
* Disposition by grade: A and B -> restock; C -> refurbish; D -> return to vendor when the product
  has a supplier and the line's reason is the vendor's fault, else scrap.
* A serial number that was not sold on the order line (``serial_matches`` False) means this is not
  the unit that was sold: it goes back to the customer (and so is rejected).
* Over-received and wrong items go back to the customer by default.
* When only the grade is changed later, a disposition that was the default for the old grade
  follows the new grade; a disposition the inspector chose stays.

Stock
-----
Each counted unit moves from inspection to its disposition's location
(:data:`returndesk.domain.types.DISPOSITION_LOCATION`); over and wrong items first move from the
customer into inspection (they were not expected), then to their disposition's location. Changing
a unit's disposition moves it back to inspection and on to the new location; undoing a unit
reverses its movements. Old movements are never edited. When inspection completes, short units
move from inspection back to the customer (they never arrived) and free the quantity their return
held on the order line, so that what the return still holds is exactly ``qty_accepted +
qty_rejected`` (see :func:`returndesk.services.tx.settlement.held_quantity`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, cast
from datetime import timedelta

from sqlalchemy import Select, Table, bindparam, func, select, update
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.attributes import flag_modified

from returndesk.domain.approval import Routing, grade_reason_mismatch, is_frequent_returner, route
from returndesk.domain.errors import (
    IllegalTransition,
    NotFound,
    PolicyViolation,
    ValidationFailed,
)
from returndesk.domain.inspection import (
    DEFECT_CLAIM_REASONS,
    GRADE_ORDER,
    UnitChecks,
    default_disposition,
    grade_floor,
    line_disposition,
    worst_grade,
)
from returndesk.domain.lifecycle import Action
from returndesk.domain.money import format_money
from returndesk.domain.permissions import Permission
from returndesk.domain.policy import PolicyRules
from returndesk.domain.refund import LineRefund, RefundBreakdown, compute_line_refund, compute_refund
from returndesk.domain.scan import CommandScan, ItemScan, OrderScan, RmaScan, UnknownScan
from returndesk.domain.types import (
    DISPOSITION_LOCATION,
    ApprovalLevel,
    Disposition,
    Grade,
    Location,
    Role,
    ReturnStatus,
    UnitOutcome,
)
from returndesk.domain.units import share_of_units
from returndesk.store.schema import (
    Approval,
    CustomerWatch,
    InspectionUnit,
    Product,
    ProductBarcode,
    Return,
    ReturnLine,
    ReturnReason,
    RtvClaim,
    RtvClaimUnit,
    SalesOrder,
    SalesOrderLine,
    User,
)

from returndesk.services.tx import audit, refcache, stock, unit_shares
from returndesk.services.tx.context import Actor, ServiceContext, first_row_checking_actor
from returndesk.store.entity_rows import entity_shape, held_object, materialize
from returndesk.store.select_rows import session_rows
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.tx.inserts import insert_one
from returndesk.services.usecases.receiving import (
    authorized_units,
    by_on,
    canonical_rma,
    lock_return_by_rma,
)
from returndesk.services.usecases.scanning import parse_scan
from returndesk.services.tx.settlement import lock_order_lines, lock_products, require_state
from returndesk.services.tx.transitions import check_version, transition
from returndesk.services.tx.updates import write_changes, write_columns
from returndesk.services.tx.views import HeldFacts, InspectionUnitView, ReturnDetail, read_held, return_detail
from returndesk.domain.messages import Message, dump_lines, join, msg, template

#: Statuses whose accepted units and refunds are decided but not yet settled on the order line.
_PENDING_STATES = (
    ReturnStatus.INSPECTED.value,
    ReturnStatus.AWAITING_APPROVAL.value,
    ReturnStatus.APPROVED.value,
)

#: Longest inspector's note kept on a unit.
MAX_NOTES = 2000

_DISPOSITION_WORDS = {
    Disposition.RESTOCK: template("back to available stock"),
    Disposition.REFURBISH: template("to refurbishment"),
    Disposition.RETURN_TO_VENDOR: template("to be returned to the vendor"),
    Disposition.SCRAP: template("to scrap"),
    Disposition.RETURN_TO_CUSTOMER: template("back to the customer"),
}

_COUNTED = (UnitOutcome.ACCEPTED.value, UnitOutcome.REJECTED.value)


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class UnitResult:
    """What recording, changing or undoing a unit did.

    ``unit`` is the unit as it is now (as it was, for an undone unit); ``unit_number`` is its
    position among the return's units (1-based, for the item tag); ``message`` is the sentence
    for the station's status line.
    """

    detail: ReturnDetail
    unit: InspectionUnitView
    outcome: UnitOutcome
    message: str
    line_no: int | None
    sku: str | None
    product_name: str | None
    grade: Grade
    disposition: Disposition
    unit_number: int
    serial_no: str | None = None
    checks: UnitChecks = UnitChecks()


@dataclass(frozen=True)
class LineCountResult:
    """Units recorded for one line at once (keyboard fallback, goods in hand at the counter)."""

    detail: ReturnDetail
    units: tuple[InspectionUnitView, ...]
    outcomes: tuple[UnitOutcome, ...]
    message: str


@dataclass(frozen=True)
class CompletionLine:
    """The outcome of one line when inspection completed.

    ``gross_minor - deduction_minor - fee_minor == refund_minor``; ``deduction_minor`` is the grade
    deduction (and any cap), ``fee_minor`` the restocking fee, ``tax_minor`` the tax inside the
    refund.
    """

    line_id: int
    line_no: int
    sku: str
    qty_authorized: int
    qty_received: int
    qty_accepted: int
    qty_rejected: int
    qty_short: int
    qty_over: int
    grade: Grade | None
    disposition: Disposition | None
    vendor_fault: bool
    gross_minor: int
    deduction_minor: int
    fee_minor: int
    refund_minor: int
    tax_minor: int


@dataclass(frozen=True)
class CompletionResult:
    """The return as inspected and routed, with the refund worked out (not issued).

    ``level`` is who must approve (``AUTO``: approved by the system, status ``approved``);
    ``reasons`` say why, one sentence each; ``breakdown`` is the refund
    (``subtotal - deductions + shipping_refund == total``).
    """

    detail: ReturnDetail
    level: ApprovalLevel
    reasons: tuple[str, ...]
    breakdown: RefundBreakdown
    lines: tuple[CompletionLine, ...]
    short_units: int
    over_units: int
    wrong_items: int
    message: str


# --------------------------------------------------------------------------- parsing


def _as_grade(value: Grade | str | None) -> Grade:
    if value is None:
        return Grade.A  # nothing said: the unit came back as sold
    try:
        return Grade(str(value).strip().upper())
    except ValueError:
        raise ValidationFailed(msg("'{value}' is not a grade; use A, B, C or D.", value=value)) from None


def _as_disposition(value: Disposition | str) -> Disposition:
    try:
        return Disposition(str(value).strip().lower())
    except ValueError:
        allowed = ", ".join(d.value for d in Disposition)
        raise ValidationFailed(msg(
            "'{value}' is not a disposition; use one of {allowed}.",
            value=value, allowed=allowed)) from None


def _clean(text: str | None, limit: int, what: str) -> str | None:
    if text is None:
        return None
    stripped = str(text).strip()
    if len(stripped) > limit:
        raise ValidationFailed(msg(
            "The {what} is {stripped_count} characters long; keep it to {limit}.",
            what=what, stripped_count=len(stripped), limit=limit))
    if "\x00" in stripped:
        raise ValidationFailed(msg(
            "The {what} contains a NUL character that no one types; type or scan it again.",
            what=what))
    return stripped or None


# --------------------------------------------------------------------------- loading


def _lock_return(session: Session, ret: Return | str) -> Return:
    if isinstance(ret, Return):
        return ret
    return lock_return_by_rma(session, ret)


_BUMPED = "returndesk_inspection_bumped"
#: The return of an RMA number (parameter ``rma``) with its version moved on, returned whole.
_RETURN_SHAPE = entity_shape(Return)
_RETURNS_TABLE = cast(Table, Return.__table__)
_RETURNS = _RETURNS_TABLE.c
_BUMP_BY_RMA = (
    update(_RETURNS_TABLE).where(_RETURNS.rma_no == bindparam("rma"))
    .values(version=_RETURNS.version + 1).returning(*_RETURN_SHAPE.columns)
)


def _lock_and_bump(session: Session, rma_no: str) -> Return:
    """The return locked by moving its version on, in one statement (UPDATE ... RETURNING: the row
    lock :func:`_lock_return` takes and the version step :func:`_bump` would write, with the
    actor's check), re-read as it is after the update; ``NotFound`` in words when there is none.

    For a use case that changes the return's units and nothing else of the row: the version
    moves on once (:func:`_bump` then writes nothing), and a refusal rolls it back."""
    row = first_row_checking_actor(session, _BUMP_BY_RMA, {"rma": canonical_rma(rma_no)})
    if row is None:
        return lock_return_by_rma(session, rma_no)  # raises NotFound in the usual words
    ret = cast(Return, materialize(session, _RETURN_SHAPE, row))  # as the ORM loads it, re-read
    session.info.setdefault(_BUMPED, set()).add(ret.id)
    return ret


def _check_version_bumped(session: Session, ret: Return, expected_version: int | None) -> None:
    """:func:`check_version` of a return :func:`_lock_and_bump` moved on: the version the user saw
    is the one before that step."""
    check_version(session, ret, None if expected_version is None else expected_version + 1)


def _lock_return_by_id(session: Session, return_id: int) -> Return:
    ret = session.execute(
        select(Return).where(Return.id == return_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if ret is None:  # pragma: no cover - a unit always belongs to a return (foreign key)
        raise NotFound(msg("Return #{return_id} does not exist.", return_id=return_id))
    return ret


_VENDOR_FAULT = "returndesk_reason_vendor_fault"
_HELD_FACTS = "returndesk_inspection_held_facts"


def _lines(session: Session, ret: Return) -> list[ReturnLine]:
    """The return's lines, in one statement with their products (then in the session, so
    ``session.get(Product, ...)`` reads nothing), their reasons' vendor-fault flags (kept for
    :func:`_vendor_fault` for the rest of the transaction), their order lines' quantities and
    paid amounts, the order (in the session too) and the customer's name, phone and address: what
    the result's detail shows (:func:`_held`), so that the result is built without a read."""
    return _lines_and_units(session, ret, with_units=False)[0]


def _lines_and_units(
    session: Session, ret: Return, *, with_units: bool = True
) -> tuple[list[ReturnLine], list[InspectionUnit]]:
    """:func:`_lines`, and with ``with_units`` the return's units (in id order) in the same
    statement (``views.read_held``)."""
    lines, units, facts = read_held(session, ret, with_units=with_units)
    faults: dict[str, bool] = session.info.setdefault(_VENDOR_FAULT, {})
    held: dict[int, HeldFacts] = session.info.setdefault(_HELD_FACTS, {})
    held.pop(ret.id, None)
    if facts is not None:
        faults.update((x.line.reason_code, x.vendor_fault) for x in facts.lines)
        # The session holds its objects weakly: the facts keep the products and the order.
        held[ret.id] = facts
    return lines, units


def _held(session: Session, ret: Return) -> HeldFacts | None:
    """What :func:`_lines` read for ``ret``'s detail in this transaction (None when it did not)."""
    held: dict[int, HeldFacts] = session.info.get(_HELD_FACTS, {})
    return held.get(ret.id)


def _units(session: Session, ret: Return) -> list[InspectionUnit]:
    return list(
        session.execute(
            select(InspectionUnit).where(InspectionUnit.return_id == ret.id)
            .order_by(InspectionUnit.id).execution_options(populate_existing=True)
        ).scalars()
    )


def _require_inspecting(session: Session, ret: Return, doing: str) -> None:
    """Units change only while the return is received and not yet inspected (``doing``: what was
    being done, a :func:`template`)."""
    if ret.status == ReturnStatus.RECEIVED.value:
        return
    who = refcache.display_name(session, ret.status_changed_by)
    what = msg(doing)
    if ret.status == ReturnStatus.AUTHORIZED.value:
        message = msg("Return {rma} has not been received yet, so you cannot {doing}: receive the parcel first (scan"
                      " its RMA label).", rma=ret.rma_no, doing=what)
    else:
        message = msg("Return {rma} cannot {doing}: it is {status} (set {by_on}). Units can be recorded and changed"
                      " only while a return is received and not yet inspected.", rma=ret.rma_no, doing=what,
                      status=ReturnStatus(ret.status), by_on=by_on(who, ret.status_changed_at))
    raise IllegalTransition(message, current=ret.status, action=doing.replace(" ", "_"))


def _bump(ret: Return) -> None:
    # The units hang off the return; changing them changes the return, so its version moves on and
    # a station completing on a stale view gets ConcurrentChange instead of a surprise. A return
    # locked by :func:`_lock_and_bump` has moved on already.
    session = object_session(ret)
    if session is not None and ret.id in session.info.get(_BUMPED, ()):
        return
    flag_modified(ret, "status")


def find_product_by_code(session: Session, scan: ItemScan) -> Product | None:
    """The catalogue product a scanned item code names: by GTIN in any of its lengths, then by SKU,
    then by a non-GTIN barcode."""
    if scan.gtin:
        g = scan.gtin
        forms = {g, g[1:]}
        if g.startswith("00"):
            forms.add(g[2:])  # UPC-A stored as 12 digits
        if g.startswith("000000"):
            forms.add(g[6:])  # EAN-8
        found = session.execute(
            select(Product).where(Product.barcode.in_(sorted(forms))).order_by(Product.id).limit(1)
        ).scalar_one_or_none()
        if found is not None:
            return found
    found = session.execute(select(Product).where(Product.sku == scan.code)).scalar_one_or_none()
    if found is not None:
        return found
    found = session.execute(
        select(Product).where(Product.barcode == scan.code).order_by(Product.id).limit(1)
    ).scalar_one_or_none()
    if found is not None:
        return found
    # Any other barcode the product is sold under (master data keeps several per product).
    forms = {scan.code}
    if scan.gtin:
        forms |= {scan.gtin, scan.gtin[1:], scan.gtin[2:] if scan.gtin.startswith("00") else scan.gtin}
    return session.execute(
        select(Product).join(ProductBarcode, ProductBarcode.product_id == Product.id)
        .where(ProductBarcode.barcode.in_(sorted(forms))).order_by(Product.id).limit(1)
    ).scalar_one_or_none()


def _not_an_item(text: str, scan: object) -> str:
    shown = str(text).strip()
    if isinstance(scan, UnknownScan):
        return scan.reason
    if isinstance(scan, RmaScan):
        return msg("{rma} is an RMA label, not an item. Finish this return first, or open that return to inspect it.",
                   rma=scan.rma)
    if isinstance(scan, OrderScan):
        return msg("{order_no} is an order number, not an item; scan the item's own barcode.", order_no=scan.order_no)
    if isinstance(scan, CommandScan):
        return msg("'{shown}' is a command barcode; the station handles commands before recording units.",
                   shown=shown)
    return msg("'{shown}' is not an item code; scan the item's barcode.", shown=shown)


def sold_serials(serial_numbers: str | None) -> set[str]:
    """The serial numbers sold on an order line (upper case), from its comma-separated list."""
    return {s.strip().upper() for s in (serial_numbers or "").split(",") if s.strip()}


@dataclass(frozen=True)
class SerialHolder:
    """The return that already has a serial-numbered unit back from the customer."""

    rma_no: str
    status: str


def serial_elsewhere(
    session: Session, product_id: int, serial: str, return_id: int | None
) -> SerialHolder | None:
    """The return (other than ``return_id``) on which the unit with ``serial`` is already back
    from the customer and accepted, in any state from receipt on; None when there is none.

    A return whose refund was refused gave its goods back, so it no longer holds the serial.
    """
    stmt = (
        select(Return.rma_no, Return.status)
        .join(InspectionUnit, InspectionUnit.return_id == Return.id)
        .where(
            InspectionUnit.product_id == product_id,
            InspectionUnit.serial_no == serial.strip().upper(),
            InspectionUnit.outcome == UnitOutcome.ACCEPTED.value,
            unit_shares.holds_goods(),
        )
        .order_by(Return.id)
        .limit(1)
    )
    if return_id is not None:
        stmt = stmt.where(Return.id != return_id)
    row = session.execute(stmt).first()
    return SerialHolder(row[0], row[1]) if row else None


def _serial_held_words(serial: str, holder: SerialHolder) -> str:
    return msg("Serial {serial} is already back from the customer on {rma_no} ({status}); one unit is refunded once.",
               serial=serial, rma_no=holder.rma_no, status=ReturnStatus(holder.status))


def _check_foreign_serial(disposition: Disposition, why: str) -> None:
    """A unit whose serial was not sold on the line, or is back on another return already, is
    not the unit this return is for: it can only go back to the customer."""
    if disposition is not Disposition.RETURN_TO_CUSTOMER:
        raise ValidationFailed(
            msg(
                "{why} This unit cannot be accepted on this return: send it back to the customer (disposition "
                "'return to customer'), or put it aside for a supervisor.",
                why=why.strip())
        )


def _rules(session: Session, ret: Return) -> PolicyRules:
    rules = refcache.policy_rules(session, ret.policy_id)
    if rules is None:  # pragma: no cover - foreign key
        raise NotFound(msg(
            "Return policy #{policy_id} of return {rma_no} does not exist.",
            policy_id=ret.policy_id, rma_no=ret.rma_no))
    return rules


def _product(session: Session, product_id: int) -> Product:
    product = held_object(session, Product, product_id)
    assert product is not None  # a line's product is a foreign key
    return product


def _vendor_fault(session: Session, line: ReturnLine | None) -> bool:
    if line is None:
        return False
    known: dict[str, bool] = session.info.get(_VENDOR_FAULT, {})
    if line.reason_code in known:
        return known[line.reason_code]
    return bool(
        session.execute(
            select(ReturnReason.vendor_fault).where(ReturnReason.code == line.reason_code)
        ).scalar_one_or_none()
    )


def _recount(session: Session, line: ReturnLine, units: list[InspectionUnit] | None = None) -> None:
    """Keep a line's unit counters equal to its units: counted in ``units`` when the caller holds
    every unit of the return (the return's row is locked and its version checked, so no other
    station adds one meanwhile), else in the database."""
    counts: dict[str, int]
    if units is not None:
        counts = Counter(u.outcome for u in units if u.return_line_id == line.id)
    else:
        session.flush()
        counts = dict(
            session.execute(
                select(InspectionUnit.outcome, func.count())
                .where(InspectionUnit.return_line_id == line.id)
                .group_by(InspectionUnit.outcome)
            ).all()
        )
    accepted = int(counts.get(UnitOutcome.ACCEPTED.value, 0))
    rejected = int(counts.get(UnitOutcome.REJECTED.value, 0))
    write_columns(session, line, qty_accepted=accepted, qty_rejected=rejected,
                  qty_received=accepted + rejected + int(counts.get(UnitOutcome.OVER.value, 0)))


def _disposition_of(unit: InspectionUnit) -> Disposition:
    # Every unit is recorded with its disposition; the column allows none, the rules do not.
    assert unit.disposition is not None, f"inspection unit #{unit.id} has no disposition"
    return Disposition(unit.disposition)


def _unit_payload(unit: InspectionUnit, sku: str | None, line_no: int | None) -> dict[str, Any]:
    return {
        "unit_id": unit.id,
        "line_no": line_no,
        "sku": sku,
        "code": unit.scanned_code,
        "serial": unit.serial_no,
        "outcome": unit.outcome,
        "grade": unit.grade,
        "disposition": unit.disposition,
        "checks": {
            "packaging_intact": unit.packaging_intact,
            "accessories_complete": unit.accessories_complete,
            "serial_matches": unit.serial_matches,
            "functional": unit.functional,
        },
    }


def _checks_of(unit: InspectionUnit) -> UnitChecks:
    return UnitChecks(unit.packaging_intact, unit.accessories_complete, unit.serial_matches,
                      unit.functional)


def _move_unit(
    session: Session, ctx: ServiceContext, actor: Actor, ret: Return, product_id: int | None,
    src: Location, dst: Location, reason: str,
) -> None:
    if product_id is None or src == dst:
        return
    stock.move(session, ctx, actor, product_id=product_id, from_location=src, to_location=dst,
               quantity=1, reason=reason, return_id=ret.id)


def _take_back_unit(
    session: Session, ret: Return, product: Product, disposition: Disposition, doing: str
) -> None:
    """Make sure the unit put ``disposition``'s way is still there before it is moved again.

    Another desk may have reserved or moved it since (a restocked unit reserved for an exchange,
    say); moving it anyway would leave stock negative. The product row is locked so that no other
    desk takes the unit between the count and the move.
    """
    location = DISPOSITION_LOCATION[disposition]
    if location is Location.CUSTOMER:
        return
    lock_products(session, [product.id])
    if stock.on_hand(session, product.id, location) < 1:
        raise PolicyViolation(
            msg(
                "{sku} of return {rma_no} went {disposition_words}, and no unit of it is there now: another desk has "
                "reserved or moved it. The unit cannot be {doing}; nothing was changed. Find the unit and bring it "
                "back first.",
                sku=product.sku, rma_no=ret.rma_no, disposition_words=_DISPOSITION_WORDS[disposition], doing=doing)
        )


def _dispose_reason(disposition: Disposition) -> str:
    return f"inspected_{disposition.value}"


# --------------------------------------------------------------------------- recording one unit


@dataclass
class _Recorded:
    unit: InspectionUnit
    outcome: UnitOutcome
    message: str
    line: ReturnLine | None
    product: Product | None


def _record(
    session: Session,
    ctx: ServiceContext,
    actor: Actor,
    ret: Return,
    lines: list[ReturnLine],
    units: list[InspectionUnit],
    *,
    scanned_code: str | None,
    line_id: int | None,
    grade: Grade | str | None,
    disposition: Disposition | str | None,
    checks: UnitChecks | None,
    serial_no: str | None,
    notes: str | None,
    wrong_item: bool,
) -> _Recorded:
    """Record one unit; ``units`` is the return's units so far and gets the new one appended."""
    grade_given = _as_grade(grade)
    chosen = _as_disposition(disposition) if disposition is not None else None
    checks = checks or UnitChecks()
    notes = _clean(notes, MAX_NOTES, msg("note"))
    serial = _clean(serial_no, 80, msg("serial number"))
    by_id = {line.id: line for line in lines}

    code: str | None = None
    product: Product | None = None
    if scanned_code is not None and str(scanned_code).strip():
        scan = parse_scan(str(scanned_code))
        if not isinstance(scan, ItemScan):
            raise ValidationFailed(_not_an_item(str(scanned_code), scan))
        code = scan.code
        product = find_product_by_code(session, scan)
        if serial is None and scan.serial:
            serial = scan.serial

    chosen_line: ReturnLine | None = None
    if line_id is not None:
        chosen_line = by_id.get(line_id)
        if chosen_line is None:
            raise NotFound(msg(
                "Line #{line_id} is not part of return {rma_no}; reload the return.",
                line_id=line_id, rma_no=ret.rma_no))
    elif code is None:
        raise ValidationFailed(msg("Scan the item's barcode, or choose the line the unit belongs to."))
    if wrong_item and code is None:
        raise ValidationFailed(msg("Scan the wrong item's barcode (or type its code) to record it."))

    if code is not None and product is None and not wrong_item:
        raise NotFound(
            msg(
                "No product has the code {code}. Scan it again; if the item is not one of ours, scan 'Wrong item' "
                "first to record it as a wrong item.",
                code=code)
        )
    if chosen_line is not None and not wrong_item:
        if product is not None and product.id != chosen_line.product_id:
            line_sku = session.execute(
                select(Product.sku).where(Product.id == chosen_line.product_id)
            ).scalar_one()
            raise ValidationFailed(
                msg(
                    "The scanned item is {sku} ({name}), but line {line_no} is {line_sku}. Scan the item without "
                    "choosing a line, or choose its own line.",
                    sku=product.sku, name=product.name, line_no=chosen_line.line_no, line_sku=line_sku)
            )
        if product is None:
            product = held_object(session, Product, chosen_line.product_id)

    # Which line does the unit belong to, and how?
    outcome_kind: UnitOutcome
    target: ReturnLine | None = None
    reopened = False
    if wrong_item:
        outcome_kind = UnitOutcome.WRONG_ITEM
    else:
        assert product is not None
        candidates = [chosen_line] if chosen_line is not None else [
            line for line in lines if line.product_id == product.id
        ]
        counted = Counter(u.return_line_id for u in units if u.outcome in _COUNTED)
        expecting = [
            line for line in candidates
            if not line.short_closed and counted[line.id] < authorized_units(line)
        ]
        closed_short = [
            line for line in candidates
            if line.short_closed and counted[line.id] < authorized_units(line)
        ]
        if expecting:
            target, outcome_kind = expecting[0], UnitOutcome.ACCEPTED
        elif closed_short:
            # The unit that was missing turned up after all: the line is no longer short.
            target, outcome_kind, reopened = closed_short[0], UnitOutcome.ACCEPTED, True
            target.short_closed = False
        elif candidates:
            target, outcome_kind = candidates[0], UnitOutcome.OVER
        else:
            outcome_kind = UnitOutcome.WRONG_ITEM

    counted_unit = outcome_kind is UnitOutcome.ACCEPTED
    sku = product.sku if product is not None else None

    # Serial numbers.
    if counted_unit and product is not None and product.serial_tracked and not serial:
        raise ValidationFailed(
            msg(
                "{sku} ({name}) is serial-tracked: scan or type the serial number of this unit.",
                sku=product.sku, name=product.name)
        )
    serial_matches = checks.serial_matches
    serial_note = ""
    if serial:
        serial = serial.upper()
        twice = next(
            (
                (i, u) for i, u in enumerate(units, start=1)
                if u.serial_no == serial and u.product_id == (product.id if product else None)
            ),
            None,
        )
        if twice is not None:
            raise ValidationFailed(
                msg(
                    "Serial {serial} was already recorded on {rma_no} (unit {twice}); the same unit was scanned "
                    "twice. Scan the next unit.",
                    serial=serial, rma_no=ret.rma_no, twice=twice[0])
            )
        if target is not None:
            ol = session.get(SalesOrderLine, target.order_line_id)
            sold = sold_serials(ol.serial_numbers if ol is not None else None)
            if sold:
                serial_matches = serial in sold
                if not serial_matches:
                    serial_note = msg(" Serial {serial} was not sold on this order line.", serial=serial)
        if counted_unit and product is not None:
            # One serial, one refund: a unit already back from the customer on another return
            # cannot be accepted here as well.
            lock_products(session, [product.id])
            holder = serial_elsewhere(session, product.id, serial, ret.id)
            if holder is not None:
                serial_matches = False
                serial_note = msg(" {note}", note=_serial_held_words(serial, holder))
    effective_checks = replace(checks, serial_matches=serial_matches)

    floor, why = grade_floor(effective_checks)
    effective_grade = worst_grade([grade_given, floor]) or grade_given
    grade_note = (msg(" (graded {grade}: {why})", grade=effective_grade, why=why)
                  if effective_grade != grade_given else "")

    vendor_fault = _vendor_fault(session, target)
    has_supplier = bool(product is not None and product.supplier_id is not None)
    default = default_disposition(
        effective_grade, vendor_fault=vendor_fault, has_supplier=has_supplier,
        serial_matches=serial_matches, outcome=outcome_kind,
    )
    final_disposition = chosen or default
    _check_disposition(final_disposition, product)
    if counted_unit and serial_note:
        _check_foreign_serial(final_disposition, serial_note)

    outcome = outcome_kind
    if counted_unit and final_disposition is Disposition.RETURN_TO_CUSTOMER:
        outcome = UnitOutcome.REJECTED

    # Stock: unexpected units arrive now; every unit then goes where its disposition says.
    if product is not None:
        if outcome in (UnitOutcome.OVER, UnitOutcome.WRONG_ITEM):
            reason = "over_receipt" if outcome is UnitOutcome.OVER else "wrong_item_received"
            _move_unit(session, ctx, actor, ret, product.id, Location.CUSTOMER, Location.INSPECTION,
                       reason)
        _move_unit(session, ctx, actor, ret, product.id, Location.INSPECTION,
                   DISPOSITION_LOCATION[final_disposition], _dispose_reason(final_disposition))

    unit = InspectionUnit(
        return_id=ret.id,
        return_line_id=target.id if target is not None else None,
        product_id=product.id if product is not None else None,
        scanned_code=(code or sku),
        serial_no=serial,
        outcome=outcome.value,
        grade=effective_grade.value,
        disposition=final_disposition.value,
        packaging_intact=effective_checks.packaging_intact,
        accessories_complete=effective_checks.accessories_complete,
        serial_matches=effective_checks.serial_matches,
        functional=effective_checks.functional,
        notes=notes,
        inspected_by=actor.user_id,
        inspected_at=ctx.now(),
        station=actor.station or ctx.station,
    )
    insert_one(session, unit)
    units.append(unit)
    if target is not None:
        _recount(session, target, units)

    where = msg(_DISPOSITION_WORDS[final_disposition])
    name = f"{sku} {product.name}" if product is not None else f"'{code}'"
    message: str
    if outcome is UnitOutcome.ACCEPTED or outcome is UnitOutcome.REJECTED:
        assert target is not None
        n = sum(1 for u in units if u.return_line_id == target.id and u.outcome in _COUNTED)
        parts: list[str] = [msg("Line {line_no}: {name}, unit {n} of {authorized}", line_no=target.line_no,
                                name=name, n=n, authorized=authorized_units(target))]
        if reopened:
            parts.append(msg(" (the line was closed short; this unit reopens it)"))
        parts.append(msg(" — grade {grade}", grade=effective_grade))
        parts.append(grade_note)
        if outcome is UnitOutcome.REJECTED:
            parts.append(msg(", rejected: {where}.", where=where))
        else:
            parts.append(msg(", {where}.", where=where))
        parts.append(serial_note)
        message = join([p for p in parts if p], "")
    elif outcome is UnitOutcome.OVER:
        assert target is not None
        message = msg("Over-receipt: line {line_no} authorizes {authorized} x {sku} and all are counted; this extra"
                      " unit is recorded as over, {where}.", line_no=target.line_no,
                      authorized=authorized_units(target), sku=sku, where=where)
    elif product is not None:
        message = msg("Wrong item: {name} is not on {rma_no}; recorded as a wrong item, {where}.", name=name,
                      rma_no=ret.rma_no, where=where)
    else:
        message = msg("Wrong item: {name} (not in the catalogue) is not on {rma_no}; recorded as a wrong item,"
                      " {where}.", name=name, rma_no=ret.rma_no, where=where)

    _bump(ret)
    audit.record(session, ctx, actor, "return", ret.rma_no, "unit_recorded", None,
                 _unit_payload(unit, sku, target.line_no if target else None))
    return _Recorded(unit, outcome, message, target, product)


def _check_disposition(disposition: Disposition, product: Product | None) -> None:
    if product is None and disposition not in (Disposition.RETURN_TO_CUSTOMER, Disposition.SCRAP):
        raise ValidationFailed(
            msg("An item that is not in the catalogue can only go back to the customer or to scrap.")
        )
    if disposition is Disposition.RETURN_TO_VENDOR and product is not None and product.supplier_id is None:
        raise ValidationFailed(
            msg(
                "{sku} ({name}) has no supplier to return it to; choose refurbish or scrap.",
                sku=product.sku, name=product.name)
        )


def _result(session: Session, ret: Return, rec: _Recorded,
            units: list[InspectionUnit] | None = None) -> UnitResult:
    write_changes(session)
    detail = return_detail(session, ret, units, _held(session, ret))
    view = next(u for u in detail.units if u.id == rec.unit.id)
    number = next(i for i, u in enumerate(detail.units, start=1) if u.id == rec.unit.id)
    return UnitResult(
        detail=detail, unit=view, outcome=rec.outcome, message=rec.message,
        line_no=rec.line.line_no if rec.line is not None else None,
        sku=rec.product.sku if rec.product is not None else None,
        product_name=rec.product.name if rec.product is not None else None,
        grade=Grade(rec.unit.grade or Grade.A), disposition=_disposition_of(rec.unit),
        unit_number=number, serial_no=rec.unit.serial_no, checks=_checks_of(rec.unit),
    )


def record_unit(
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    *,
    scanned_code: str | None = None,
    line_id: int | None = None,
    grade: Grade | str | None = Grade.A,
    disposition: Disposition | str | None = None,
    checks: UnitChecks | None = None,
    serial_no: str | None = None,
    notes: str | None = None,
    wrong_item: bool = False,
    expected_version: int | None = None,
) -> UnitResult:
    """Record one unit found in a received return's parcel (see the module docstring).

    ``scanned_code`` is what the scanner sent for the item (EAN-13, UPC-A, GTIN-14, a GS1 element
    string with serial, or the SKU); ``line_id`` chooses the line instead (keyboard fallback) or
    as well. ``disposition`` ``None`` takes the default for the grade and checks; ``wrong_item``
    records the unit as a wrong item whatever its code. Serial-tracked products need the unit's
    serial number (``serial_no`` or inside the GS1 scan). The unit's stock moves at once.
    """
    actor.require(Permission.INSPECT)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor, actor_in_first_read=True) as s:
        result = record_unit_in(
            s, ctx, actor, rma_no, scanned_code=scanned_code, line_id=line_id, grade=grade,
            disposition=disposition, checks=checks, serial_no=serial_no, notes=notes,
            wrong_item=wrong_item, expected_version=expected_version,
        )
    ctx.changed("return", result.detail.id)
    return result


def record_unit_in(
    session: Session,
    ctx: ServiceContext,
    actor: Actor,
    ret: Return | str,
    *,
    scanned_code: str | None = None,
    line_id: int | None = None,
    grade: Grade | str | None = Grade.A,
    disposition: Disposition | str | None = None,
    checks: UnitChecks | None = None,
    serial_no: str | None = None,
    notes: str | None = None,
    wrong_item: bool = False,
    expected_version: int | None = None,
) -> UnitResult:
    """:func:`record_unit` inside the caller's transaction; ``ret`` is the locked row or an RMA."""
    actor.require(Permission.INSPECT)
    if isinstance(ret, str):
        ret = _lock_and_bump(session, ret)
        _check_version_bumped(session, ret, expected_version)
    else:
        check_version(session, ret, expected_version)
    _require_inspecting(session, ret, template("record a unit"))
    lines, units = _lines_and_units(session, ret)
    rec = _record(
        session, ctx, actor, ret, lines, units,
        scanned_code=scanned_code, line_id=line_id, grade=grade, disposition=disposition,
        checks=checks, serial_no=serial_no, notes=notes, wrong_item=wrong_item,
    )
    return _result(session, ret, rec, units)


def record_line(
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    line_id: int,
    *,
    quantity: int | None = None,
    grade: Grade | str | None = Grade.A,
    disposition: Disposition | str | None = None,
    checks: UnitChecks | None = None,
    serials: list[str] | tuple[str, ...] | None = None,
    notes: str | None = None,
    expected_version: int | None = None,
) -> LineCountResult:
    """Record ``quantity`` units of one line at once, all alike (the keyboard fallback for a line of
    many identical units, and the counter, where the goods are in hand).

    ``quantity`` ``None`` records every unit the line still expects. Units beyond that are over.
    Serial-tracked products need one serial number per unit in ``serials``.
    """
    actor.require(Permission.INSPECT)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        result = record_line_in(
            s, ctx, actor, rma_no, line_id, quantity=quantity, grade=grade,
            disposition=disposition, checks=checks, serials=serials, notes=notes,
            expected_version=expected_version,
        )
    ctx.changed("return", result.detail.id)
    return result


def record_line_in(
    session: Session,
    ctx: ServiceContext,
    actor: Actor,
    ret: Return | str,
    line_id: int,
    *,
    quantity: int | None = None,
    grade: Grade | str | None = Grade.A,
    disposition: Disposition | str | None = None,
    checks: UnitChecks | None = None,
    serials: list[str] | tuple[str, ...] | None = None,
    notes: str | None = None,
    expected_version: int | None = None,
) -> LineCountResult:
    """:func:`record_line` inside the caller's transaction (the counter fast path composes it)."""
    actor.require(Permission.INSPECT)
    ret = _lock_return(session, ret)
    check_version(session, ret, expected_version)
    _require_inspecting(session, ret, template("record units"))
    lines = _lines(session, ret)
    units = _units(session, ret)
    line = next((x for x in lines if x.id == line_id), None)
    if line is None:
        raise NotFound(msg(
            "Line #{line_id} is not part of return {rma_no}; reload the return.",
            line_id=line_id, rma_no=ret.rma_no))
    outstanding = max(
        authorized_units(line)
        - sum(1 for u in units if u.return_line_id == line.id and u.outcome in _COUNTED),
        0,
    )
    if quantity is None:
        quantity = outstanding
        if quantity == 0:
            raise ValidationFailed(
                msg(
                    "Line {line_no} of {rma_no} has all its units counted already.",
                    line_no=line.line_no, rma_no=ret.rma_no)
            )
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise ValidationFailed(msg("The number of units must be at least 1, not {quantity!r}.", quantity=quantity))
    serial_list = [str(x) for x in (serials or [])]
    if serial_list and len(serial_list) != quantity:
        raise ValidationFailed(
            msg(
                "{quantity} units need {quantity} serial numbers; {serial_list_count} were given.",
                quantity=quantity, serial_list_count=len(serial_list))
        )
    recorded = [
        _record(
            session, ctx, actor, ret, lines, units, scanned_code=None, line_id=line.id,
            grade=grade, disposition=disposition, checks=checks,
            serial_no=serial_list[i] if serial_list else None, notes=notes, wrong_item=False,
        )
        for i in range(quantity)
    ]
    session.flush()
    detail = return_detail(session, ret, units)
    ids = {r.unit.id for r in recorded}
    views = tuple(u for u in detail.units if u.id in ids)
    outcomes = tuple(r.outcome for r in recorded)
    tally = Counter(outcomes)
    parts = [msg("{count} {outcome}", count=n, outcome=kind) for kind, n in tally.items()]
    message = msg("Line {line_no}: recorded {quantity} units ({counts}).", line_no=line.line_no, quantity=quantity,
                  counts=join(parts, ", "))
    return LineCountResult(detail, views, outcomes, message)


# --------------------------------------------------------------------------- changing and undoing


def update_unit(
    ctx: ServiceContext,
    actor: Actor,
    unit_id: int,
    *,
    grade: Grade | str | None = None,
    disposition: Disposition | str | None = None,
    checks: UnitChecks | None = None,
    notes: str | None = None,
    expected_version: int | None = None,
) -> UnitResult:
    """Change a unit's grade, disposition, checks or note until the return's inspection completes.

    Stock follows as new movements: from the old disposition's location back to inspection, then
    to the new one. A counted unit sent back to the customer becomes rejected, and accepted again
    when its disposition changes to anything else.
    """
    actor.require(Permission.INSPECT)
    with guarded_write(ctx, msg("unit #{unit_id}", unit_id=unit_id), actor) as s:
        result = update_unit_in(s, ctx, actor, unit_id, grade=grade, disposition=disposition,
                                checks=checks, notes=notes, expected_version=expected_version)
    ctx.changed("return", result.detail.id)
    return result


def update_unit_in(
    session: Session,
    ctx: ServiceContext,
    actor: Actor,
    unit_id: int,
    *,
    grade: Grade | str | None = None,
    disposition: Disposition | str | None = None,
    checks: UnitChecks | None = None,
    notes: str | None = None,
    expected_version: int | None = None,
) -> UnitResult:
    """:func:`update_unit` inside the caller's transaction."""
    actor.require(Permission.INSPECT)
    return_id = session.execute(
        select(InspectionUnit.return_id).where(InspectionUnit.id == unit_id)
    ).scalar_one_or_none()
    if return_id is None:
        raise NotFound(msg(
            "There is no inspected unit #{unit_id}; it may have been undone. Reload the return.",
            unit_id=unit_id))
    ret = _lock_return_by_id(session, return_id)
    check_version(session, ret, expected_version)
    _require_inspecting(session, ret, template("change a unit"))
    unit = session.execute(
        select(InspectionUnit).where(InspectionUnit.id == unit_id)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if unit is None:  # undone by another station while this one waited for the lock
        raise NotFound(msg(
            "There is no inspected unit #{unit_id}; it may have been undone. Reload the return.",
            unit_id=unit_id))
    if unit.disposition == Disposition.RETURN_TO_VENDOR.value:
        _refuse_if_on_claim(session, ret, unit, msg("change it"))
    line = session.get(ReturnLine, unit.return_line_id) if unit.return_line_id else None
    product = session.get(Product, unit.product_id) if unit.product_id else None
    before = _unit_payload(unit, product.sku if product else None, line.line_no if line else None)

    old_grade = Grade(unit.grade or Grade.A)
    old_disposition = _disposition_of(unit)
    old_checks = _checks_of(unit)
    new_checks = old_checks
    if checks is not None:
        # A serial compared with the sale stays a fact, whatever else the inspector changes.
        serial_matches = checks.serial_matches
        if unit.serial_no and line is not None:
            sold_line = session.get(SalesOrderLine, line.order_line_id)
            sold = sold_serials(sold_line.serial_numbers if sold_line is not None else None)
            if sold:
                serial_matches = unit.serial_no in sold
        new_checks = replace(checks, serial_matches=serial_matches)
    floor, why = grade_floor(new_checks)
    asked = _as_grade(grade) if grade is not None else old_grade
    new_grade = worst_grade([asked, floor]) or asked
    grade_note = msg(" (graded {grade}: {why})", grade=new_grade, why=why) if new_grade != asked else ""

    kind = UnitOutcome(unit.outcome)
    if kind is UnitOutcome.REJECTED:
        kind = UnitOutcome.ACCEPTED  # counted units: the disposition decides below
    vendor_fault = _vendor_fault(session, line)
    has_supplier = bool(product is not None and product.supplier_id is not None)
    old_default = default_disposition(old_grade, vendor_fault=vendor_fault, has_supplier=has_supplier,
                                      serial_matches=old_checks.serial_matches, outcome=kind)
    new_default = default_disposition(new_grade, vendor_fault=vendor_fault, has_supplier=has_supplier,
                                      serial_matches=new_checks.serial_matches, outcome=kind)
    if disposition is not None:
        new_disposition = _as_disposition(disposition)
    elif old_disposition is old_default:
        new_disposition = new_default
    else:
        new_disposition = old_disposition
    _check_disposition(new_disposition, product)
    if (unit.serial_no and product is not None and line is not None
            and new_disposition is not Disposition.RETURN_TO_CUSTOMER):
        why = _foreign_serial(session, unit, product, line, ret)
        if why:
            _check_foreign_serial(new_disposition, why)

    outcome = UnitOutcome(unit.outcome)
    if outcome in (UnitOutcome.ACCEPTED, UnitOutcome.REJECTED):
        outcome = (
            UnitOutcome.REJECTED if new_disposition is Disposition.RETURN_TO_CUSTOMER
            else UnitOutcome.ACCEPTED
        )

    old_loc = DISPOSITION_LOCATION[old_disposition]
    new_loc = DISPOSITION_LOCATION[new_disposition]
    if product is not None and old_loc != new_loc:
        _take_back_unit(session, ret, product, old_disposition, "changed")
        _move_unit(session, ctx, actor, ret, product.id, old_loc, Location.INSPECTION,
                   "disposition_changed")
        _move_unit(session, ctx, actor, ret, product.id, Location.INSPECTION, new_loc,
                   _dispose_reason(new_disposition))

    unit.grade = new_grade.value
    unit.disposition = new_disposition.value
    unit.outcome = outcome.value
    unit.packaging_intact = new_checks.packaging_intact
    unit.accessories_complete = new_checks.accessories_complete
    unit.serial_matches = new_checks.serial_matches
    unit.functional = new_checks.functional
    if notes is not None:
        unit.notes = _clean(notes, MAX_NOTES, msg("note"))
    if line is not None:
        _recount(session, line)
    _bump(ret)
    after = _unit_payload(unit, product.sku if product else None, line.line_no if line else None)
    audit.record(session, ctx, actor, "return", ret.rma_no, "unit_changed", before, after)

    name = f"{product.sku} {product.name}" if product else f"'{unit.scanned_code}'"
    where = msg(_DISPOSITION_WORDS[new_disposition])
    message = join([part for part in (
        msg("Unit changed: {name} — grade {grade}", name=name, grade=new_grade),
        grade_note,
        msg(", rejected: {where}.", where=where) if outcome is UnitOutcome.REJECTED else msg(", {where}.", where=where),
    ) if part], "")
    return _result(session, ret, _Recorded(unit, outcome, message, line, product))


def _foreign_serial(
    session: Session, unit: InspectionUnit, product: Product, line: ReturnLine, ret: Return
) -> str | None:
    """Why the unit's serial keeps it from being accepted on ``ret``, in words; None when it may."""
    serial = unit.serial_no or ""
    sold_line = session.get(SalesOrderLine, line.order_line_id)
    sold = sold_serials(sold_line.serial_numbers if sold_line is not None else None)
    if sold and serial not in sold:
        return msg("Serial {serial} was not sold on this order line.", serial=serial)
    lock_products(session, [product.id])
    holder = serial_elsewhere(session, product.id, serial, ret.id)
    return _serial_held_words(serial, holder) if holder is not None else None


def _refuse_if_on_claim(session: Session, ret: Return, unit: InspectionUnit, doing: Message) -> None:
    """A unit the warehouse put on a claim to its supplier stays as it is until it is taken off."""
    claim_no = session.execute(
        select(RtvClaim.claim_no).join(RtvClaimUnit, RtvClaimUnit.claim_id == RtvClaim.id)
        .where(RtvClaimUnit.inspection_unit_id == unit.id)
    ).scalar_one_or_none()
    if claim_no is not None:
        raise ValidationFailed(msg(
            "Unit {rma_no}/{unit_id} is on claim {claim_no} to its supplier; take it off the claim on the claims "
            "screen first, then {doing}.",
            rma_no=ret.rma_no, unit_id=unit.id, claim_no=claim_no, doing=doing))


def undo_last_unit(
    ctx: ServiceContext, actor: Actor, rma_no: str, *, expected_version: int | None = None
) -> UnitResult:
    """Remove the unit recorded last on a received return (a wrong scan), reversing its stock
    movements; the audit trail keeps what was removed. ``unit`` in the result is the removed one."""
    actor.require(Permission.INSPECT)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        result = undo_last_unit_in(s, ctx, actor, rma_no, expected_version=expected_version)
    ctx.changed("return", result.detail.id)
    return result


def undo_last_unit_in(
    session: Session,
    ctx: ServiceContext,
    actor: Actor,
    ret: Return | str,
    *,
    expected_version: int | None = None,
) -> UnitResult:
    """:func:`undo_last_unit` inside the caller's transaction."""
    actor.require(Permission.INSPECT)
    ret = _lock_return(session, ret)
    check_version(session, ret, expected_version)
    _require_inspecting(session, ret, template("undo a unit"))
    units = _units(session, ret)
    if not units:
        raise ValidationFailed(msg(
            "No unit has been recorded on {rma_no} yet; there is nothing to undo.",
            rma_no=ret.rma_no))
    unit = units[-1]
    if unit.disposition == Disposition.RETURN_TO_VENDOR.value:
        _refuse_if_on_claim(session, ret, unit, msg("undo it"))
    number = len(units)
    line = session.get(ReturnLine, unit.return_line_id) if unit.return_line_id else None
    product = session.get(Product, unit.product_id) if unit.product_id else None
    outcome = UnitOutcome(unit.outcome)
    disposition = _disposition_of(unit)
    payload = _unit_payload(unit, product.sku if product else None, line.line_no if line else None)
    inspector = refcache.username(session, unit.inspected_by) or ""
    view = InspectionUnitView(
        id=unit.id, return_line_id=unit.return_line_id, scanned_code=unit.scanned_code,
        outcome=unit.outcome, grade=unit.grade, disposition=unit.disposition,
        inspected_by=inspector, inspected_at=unit.inspected_at,
    )
    checks = _checks_of(unit)

    if product is not None:
        _take_back_unit(session, ret, product, disposition, "undone")
        _move_unit(session, ctx, actor, ret, product.id, DISPOSITION_LOCATION[disposition],
                   Location.INSPECTION, "inspection_undone")
        if outcome in (UnitOutcome.OVER, UnitOutcome.WRONG_ITEM):
            _move_unit(session, ctx, actor, ret, product.id, Location.INSPECTION, Location.CUSTOMER,
                       "inspection_undone")
    session.delete(unit)
    session.flush()
    if line is not None:
        _recount(session, line)
    _bump(ret)
    audit.record(session, ctx, actor, "return", ret.rma_no, "unit_undone", payload, None)
    session.flush()
    name = f"{product.sku} {product.name}" if product else f"'{view.scanned_code}'"
    if line is not None:
        message = msg("Undone: unit {number} ({name}, {outcome}) removed from line {line_no}.", number=number,
                      name=name, outcome=outcome, line_no=line.line_no)
    else:
        message = msg("Undone: unit {number} ({name}, {outcome}) removed from the return.", number=number,
                      name=name, outcome=outcome)
    return UnitResult(
        detail=return_detail(session, ret), unit=view, outcome=outcome, message=message,
        line_no=line.line_no if line else None, sku=product.sku if product else None,
        product_name=product.name if product else None, grade=Grade(view.grade or Grade.A),
        disposition=disposition, unit_number=number, serial_no=payload["serial"], checks=checks,
    )


def close_line_short(
    ctx: ServiceContext,
    actor: Actor,
    rma_no: str,
    line_id: int,
    *,
    expected_version: int | None = None,
) -> ReturnDetail:
    """Close a line as short: the customer sent fewer units than authorized.

    The line stops expecting units; the missing ones leave the inspection area and free their
    quantity when inspection completes. A unit of the line scanned after all reopens it.
    """
    actor.require(Permission.INSPECT)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor) as s:
        detail = close_line_short_in(s, ctx, actor, rma_no, line_id, expected_version=expected_version)
    ctx.changed("return", detail.id)
    return detail


def close_line_short_in(
    session: Session,
    ctx: ServiceContext,
    actor: Actor,
    ret: Return | str,
    line_id: int,
    *,
    expected_version: int | None = None,
) -> ReturnDetail:
    """:func:`close_line_short` inside the caller's transaction."""
    actor.require(Permission.INSPECT)
    ret = _lock_return(session, ret)
    check_version(session, ret, expected_version)
    _require_inspecting(session, ret, template("close a line short"))
    line = next((x for x in _lines(session, ret) if x.id == line_id), None)
    if line is None:
        raise NotFound(msg(
            "Line #{line_id} is not part of return {rma_no}; reload the return.",
            line_id=line_id, rma_no=ret.rma_no))
    counted = session.execute(
        select(func.count()).select_from(InspectionUnit).where(
            InspectionUnit.return_line_id == line.id, InspectionUnit.outcome.in_(_COUNTED)
        )
    ).scalar_one()
    missing = authorized_units(line) - int(counted)
    if missing <= 0:
        raise ValidationFailed(
            msg(
                "Line {line_no} of {rma_no} has all {authorized_units} units counted; nothing is short.",
                line_no=line.line_no, rma_no=ret.rma_no, authorized_units=authorized_units(line))
        )
    if line.short_closed:
        raise ValidationFailed(msg(
            "Line {line_no} of {rma_no} is closed short already.",
            line_no=line.line_no, rma_no=ret.rma_no))
    line.short_closed = True
    _bump(ret)
    audit.record(session, ctx, actor, "return", ret.rma_no, "line_closed_short",
                 {"line_no": line.line_no, "short_closed": False},
                 {"line_no": line.line_no, "short_closed": True, "units_missing": missing})
    session.flush()
    return return_detail(session, ret)


# --------------------------------------------------------------------------- completing


def complete_inspection(
    ctx: ServiceContext, actor: Actor, rma_no: str, *, expected_version: int | None = None
) -> CompletionResult:
    """Finish inspecting a received return and route its refund for approval.

    received -> inspected, then inspected -> approved (``AUTO``, with an ``auto`` approval row) or
    inspected -> awaiting_approval with the level and the reasons. Lines get their counts, grade
    (the worst accepted unit's), disposition (most units') and refund; units still expected are
    treated as short (said in the message). Refunds are not issued here.
    """
    actor.require(Permission.INSPECT)
    with guarded_write(ctx, msg("return {rma_no}", rma_no=rma_no), actor, actor_in_first_read=True) as s:
        result = complete_inspection_in(s, ctx, actor, rma_no, expected_version=expected_version)
    ctx.changed("return", result.detail.id)
    return result


@dataclass
class _LineWork:
    line: ReturnLine
    ol: SalesOrderLine
    product: Product
    vendor_fault: bool
    accepted: list[InspectionUnit]
    rejected: list[InspectionUnit]
    over: int
    short: int
    refunds: list[LineRefund]


def complete_inspection_in(
    session: Session,
    ctx: ServiceContext,
    actor: Actor,
    ret: Return | str,
    *,
    expected_version: int | None = None,
) -> CompletionResult:
    """:func:`complete_inspection` inside the caller's transaction."""
    actor.require(Permission.INSPECT)
    ret = _lock_return(session, ret)
    check_version(session, ret, expected_version)
    # Refuse a wrong state before anything is written (transition() below would, but later).
    require_state(session, ret, Action.COMPLETE_INSPECTION)
    rules = _rules(session, ret)
    lines, units = _lines_and_units(session, ret)
    order_lines = lock_order_lines(session, (line.order_line_id for line in lines))
    # The products came with the lines (in the session now); so did the reasons' flags.
    products = {line.product_id: _product(session, line.product_id) for line in lines}
    # Read before anything is changed, so that the return's row is written once, at the end; the
    # other returns' pending refunds on the order lines with them, after the order lines' lock.
    facts, pending = _routing_facts(session, ctx, ret, rules, list(order_lines))
    order = held_object(session, SalesOrder, ret.order_id)
    assert order is not None

    work: list[_LineWork] = []
    for line in lines:
        mine = [u for u in units if u.return_line_id == line.id]
        w = _LineWork(
            line=line, ol=order_lines[line.order_line_id], product=products[line.product_id],
            vendor_fault=_vendor_fault(session, line),
            accepted=[u for u in mine if u.outcome == UnitOutcome.ACCEPTED.value],
            rejected=[u for u in mine if u.outcome == UnitOutcome.REJECTED.value],
            over=sum(1 for u in mine if u.outcome == UnitOutcome.OVER.value),
            short=0, refunds=[],
        )
        w.short = max(authorized_units(line) - len(w.accepted) - len(w.rejected), 0)
        work.append(w)

    # Short units never arrived: out of inspection, back to the customer, and no longer held.
    # The units a line keeps are its lowest: accepted first, then rejected (domain.units).
    kept_units: dict[int, tuple[int, ...]] = {}
    for w in work:
        kept = len(w.accepted) + len(w.rejected)
        kept_units[w.line.id] = unit_shares.ensure_held(session, w.line, w.ol, kept)
        if w.short:
            stock.move(session, ctx, actor, product_id=w.line.product_id,
                       from_location=Location.INSPECTION, to_location=Location.CUSTOMER,
                       quantity=w.short, reason="short_receipt", return_id=ret.id)
            w.line.short_closed = True
        release = w.line.qty_requested - kept
        if release > 0:
            if release > w.ol.qty_in_process:
                raise PolicyViolation(
                    msg(
                        "Return {rma_no} line {line_no} would free {release} units, but only {qty_in_process} are in "
                        "process on its order line. The quantities do not agree; nothing was changed. Ask an "
                        "administrator to check the order line.",
                        rma_no=ret.rma_no, line_no=w.line.line_no, release=release,
                        qty_in_process=w.ol.qty_in_process)
                )
            w.ol.qty_in_process -= release
        unit_shares.keep_first(w.line, kept)

    # Refunds, one grade group at a time: units of a line may differ in grade. Each accepted unit
    # is priced at its own fixed share of the line, so no other return changes the figures.
    line_shipping = (
        unit_shares.order_shipping_shares(unit_shares.order_lines_of(session, order.id), order.shipping_minor)
        if order.shipping_minor > 0 else {}
    )
    unit_shipping = 0
    for w in work:
        # Refunds decided by other returns but not yet paid count against what was paid, too.
        refunded = w.ol.refunded_minor + pending.get(w.ol.id, 0)
        accepted_units = list(kept_units[w.line.id][:len(w.accepted)])
        by_grade = Counter(Grade(u.grade or Grade.A) for u in w.accepted)
        for g in GRADE_ORDER:
            n = by_grade.get(g, 0)
            if not n:
                continue
            group, accepted_units = accepted_units[:n], accepted_units[n:]
            lr = compute_line_refund(
                paid_total=w.ol.paid_minor, purchased_qty=w.ol.quantity, accepted_qty=n,
                units=group, already_refunded=refunded, grade=g,
                vendor_fault=w.vendor_fault, rules=rules, tax_total=w.ol.tax_minor,
                fee_exempt=w.product.restocking_fee_class == "exempt",
            )
            refunded += lr.net
            w.refunds.append(lr)
            if w.vendor_fault:
                unit_shipping += share_of_units(line_shipping.get(w.ol.id, 0), w.ol.quantity, tuple(group))

    shipping = (
        _shipping_share(session, ret, order, unit_shipping)
        if rules.refund_shipping_on_vendor_fault else 0
    )
    all_refunds = [lr for w in work for lr in w.refunds]
    breakdown = compute_refund(all_refunds, shipping, shipping > 0, rules)

    completion_lines: list[CompletionLine] = []
    for w in work:
        line = w.line
        line.qty_accepted = len(w.accepted)
        line.qty_rejected = len(w.rejected)
        line.qty_received = line.qty_accepted + line.qty_rejected + w.over
        line_grade = worst_grade([Grade(u.grade) for u in w.accepted if u.grade]) or worst_grade(
            [Grade(u.grade) for u in w.rejected if u.grade]
        )
        line.grade = line_grade.value if line_grade else None
        line.disposition = line_disposition(u.disposition for u in w.accepted + w.rejected)
        gross = sum(lr.gross for lr in w.refunds)
        fee = sum(lr.restocking_fee for lr in w.refunds)
        deduction = sum(lr.grade_deduction + lr.cap_reduction for lr in w.refunds)
        line.refund_minor = sum(lr.net for lr in w.refunds)
        line.fee_minor = fee
        line.deduction_minor = deduction
        line.tax_minor = sum(lr.tax_part for lr in w.refunds)
        completion_lines.append(CompletionLine(
            line_id=line.id, line_no=line.line_no, sku=w.product.sku,
            qty_authorized=authorized_units(line), qty_received=line.qty_received,
            qty_accepted=line.qty_accepted, qty_rejected=line.qty_rejected, qty_short=w.short,
            qty_over=w.over, grade=Grade(line.grade) if line.grade else None,
            disposition=Disposition(line.disposition) if line.disposition else None,
            vendor_fault=w.vendor_fault, gross_minor=gross, deduction_minor=deduction,
            fee_minor=fee, refund_minor=line.refund_minor, tax_minor=line.tax_minor,
        ))

    now = ctx.now()
    ret.refund_total_minor = breakdown.total
    ret.deductions_minor = breakdown.deductions
    ret.shipping_refund_minor = breakdown.shipping_refund
    ret.inspected_at = now
    ret.inspected_by = actor.user_id
    short_units = sum(w.short for w in work)
    over_units = sum(w.over for w in work)
    wrong_items = sum(1 for u in units if u.outcome == UnitOutcome.WRONG_ITEM.value)
    transition(session, ctx, actor, ret, Action.COMPLETE_INSPECTION, details={
        "accepted": sum(cl.qty_accepted for cl in completion_lines),
        "rejected": sum(cl.qty_rejected for cl in completion_lines),
        "short": short_units,
        "over": over_units,
        "wrong_items": wrong_items,
        "refund_total_minor": breakdown.total,
        "deductions_minor": breakdown.deductions,
        "shipping_refund_minor": breakdown.shipping_refund,
        "lines": [
            {"line_no": cl.line_no, "accepted": cl.qty_accepted, "rejected": cl.qty_rejected,
             "short": cl.qty_short, "over": cl.qty_over, "grade": cl.grade.value if cl.grade else None,
             "refund_minor": cl.refund_minor}
            for cl in completion_lines
        ],
    })

    routing = _route(ret, work, rules, breakdown.total, facts)
    if routing.automatic:
        ret.approval_level = ApprovalLevel.AUTO.value
        ret.approval_reasons = None
        insert_one(session, Approval(
            return_id=ret.id, level=ApprovalLevel.AUTO.value, decision="auto", decided_by=None,
            decided_at=now,
            reason=msg("Within the policy and the automatic approval limit; approved by the system."),
            amount_minor=breakdown.total,
        ))
        transition(session, ctx, actor, ret, Action.AUTO_APPROVE, details={
            "level": ApprovalLevel.AUTO.value, "amount_minor": breakdown.total,
        })
    else:
        ret.approval_level = routing.level.value
        ret.approval_reasons = dump_lines(routing.reasons)
        transition(session, ctx, actor, ret, Action.ROUTE_FOR_APPROVAL, details={
            "level": routing.level.value, "reasons": list(routing.reasons),
            "amount_minor": breakdown.total,
        })
    write_changes(session)
    detail = return_detail(session, ret, units, _held(session, ret))
    message = _completion_message(ret, completion_lines, short_units, over_units, wrong_items,
                                  breakdown, routing.level)
    return CompletionResult(
        detail=detail, level=routing.level, reasons=routing.reasons, breakdown=breakdown,
        lines=tuple(completion_lines), short_units=short_units, over_units=over_units,
        wrong_items=wrong_items, message=message,
    )


def _shipping_share(session: Session, ret: Return, order: SalesOrder, unit_shipping: int) -> int:
    """The part of the order's shipping this return gives back: the fixed shipping shares of its
    accepted vendor-fault units (see :mod:`returndesk.domain.units`), never more than other
    returns of the order leave of it — the rule intake uses for its expectation."""
    if order.shipping_minor <= 0 or unit_shipping <= 0:
        return 0
    left = unit_shares.shipping_left(session, order.id, order.shipping_minor, besides=ret.id)
    return min(unit_shipping, left)


@dataclass(frozen=True)
class _RoutingFacts:
    frequent_returner: bool
    watched_customer: bool
    creator_limit: int | None  # the approval limit of the clerk who took the return


#: :func:`_routing_facts`'s statements, by the number of order lines they sum for (built once each).
_ROUTING_FACTS: dict[int, Select[Any]] = {}
#: More order lines than this: the statement is built for the call (not kept).
_ROUTING_FACTS_KEPT = 16


def _routing_facts_statement(order_lines: int) -> Select[Any]:
    """The statement of :func:`_routing_facts` for ``order_lines`` order lines (parameters
    ``customer_id``, ``since``, ``created_by``, ``return_id`` and ``ol_0``, ``ol_1``...). A return
    without a customer compares ``customer_id = NULL`` (no row: no recent returns, no watch flag),
    which :func:`_routing_facts` does not read for such a return anyway."""
    found = _ROUTING_FACTS.get(order_lines)
    if found is not None:
        return found
    recent = select(func.count()).select_from(Return).where(
        Return.customer_id == bindparam("customer_id"),
        Return.created_at >= bindparam("since"),
        Return.status.not_in([ReturnStatus.DRAFT.value, ReturnStatus.CANCELLED.value]),
    ).scalar_subquery()
    watch = (select(CustomerWatch.watched).where(CustomerWatch.customer_id == bindparam("customer_id"))
             .scalar_subquery())
    role = select(User.role).where(User.id == bindparam("created_by")).scalar_subquery()
    limit = select(User.approval_limit_minor).where(User.id == bindparam("created_by")).scalar_subquery()
    pending = [
        select(func.sum(ReturnLine.refund_minor))
        .join(Return, Return.id == ReturnLine.return_id)
        .where(ReturnLine.order_line_id == bindparam(f"ol_{i}"), Return.id != bindparam("return_id"),
               Return.status.in_(_PENDING_STATES))
        .scalar_subquery()
        for i in range(order_lines)
    ]
    found = select(recent, watch, role, limit, *pending)
    if order_lines <= _ROUTING_FACTS_KEPT:
        _ROUTING_FACTS[order_lines] = found
    return found


def _routing_facts(
    session: Session, ctx: ServiceContext, ret: Return, rules: PolicyRules, order_line_ids: list[int]
) -> tuple[_RoutingFacts, dict[int, int]]:
    """The customer's recent returns, their watch flag and the creator's role and limit, and per
    order line of ``order_line_ids`` the refund decided by *other* returns that are inspected but
    not yet settled (settled ones are in the order line's ``refunded_minor`` already): one read."""
    params: dict[str, Any] = {
        "customer_id": ret.customer_id, "since": ctx.now() - timedelta(days=rules.frequent_returner_days),
        "created_by": ret.created_by, "return_id": ret.id,
    }
    params.update((f"ol_{i}", ol_id) for i, ol_id in enumerate(order_line_ids))
    count, watch_flag, creator_role, limit_minor, *amounts = session_rows(
        session, _routing_facts_statement(len(order_line_ids)), params)[0]
    return _RoutingFacts(
        frequent_returner=ret.customer_id is not None and is_frequent_returner(int(count or 0), rules),
        watched_customer=ret.customer_id is not None and bool(watch_flag),
        creator_limit=limit_minor if creator_role == Role.CLERK.value else None,
    ), {ol_id: int(amount or 0) for ol_id, amount in zip(order_line_ids, amounts, strict=True)}


def _route(ret: Return, work: list[_LineWork], rules: PolicyRules, amount: int,
           facts: _RoutingFacts) -> Routing:
    mismatch = False
    for w in work:
        g = worst_grade([Grade(u.grade) for u in w.accepted if u.grade])
        if g is None:
            continue
        claims = w.line.reason_code in DEFECT_CLAIM_REASONS if w.vendor_fault else False
        if grade_reason_mismatch(w.vendor_fault, g, defect_claimed=claims):
            mismatch = True
    return route(
        amount=amount, in_policy=ret.in_policy, overridden=ret.override_reason is not None,
        frequent_returner=facts.frequent_returner, grade_reason_mismatch=mismatch, rules=rules,
        creator_limit=facts.creator_limit, currency=ret.currency, watched_customer=facts.watched_customer,
    )


def _completion_message(
    ret: Return, lines: list[CompletionLine], short_units: int, over_units: int, wrong_items: int,
    breakdown: RefundBreakdown, level: ApprovalLevel,
) -> str:
    accepted = sum(cl.qty_accepted for cl in lines)
    rejected = sum(cl.qty_rejected for cl in lines)
    parts = [msg("{count} accepted", count=accepted)]
    if rejected:
        parts.append(msg("{count} rejected", count=rejected))
    if over_units:
        parts.append(msg("{count} over", count=over_units))
    if wrong_items:
        parts.append(msg("1 wrong item") if wrong_items == 1 else msg("{count} wrong items", count=wrong_items))
    sentences = [msg("{rma} inspected: {parts}.", rma=ret.rma_no, parts=join(parts, ", "))]
    shorts = [cl for cl in lines if cl.qty_short]
    if shorts:
        listed = join((msg("line {line_no} ({sku}) {short} of {authorized} not in the parcel", line_no=cl.line_no,
                           sku=cl.sku, short=cl.qty_short, authorized=cl.qty_authorized) for cl in shorts), "; ")
        sentences.append(msg("Short: {listed}.", listed=listed))
    refund = format_money(breakdown.total, ret.currency)
    if breakdown.deductions:
        sentences.append(msg("Refund {amount} after {deductions} deductions.", amount=refund,
                             deductions=format_money(breakdown.deductions, ret.currency)))
    else:
        sentences.append(msg("Refund {amount}.", amount=refund))
    if level is ApprovalLevel.AUTO:
        sentences.append(msg("Approved automatically."))
    else:
        sentences.append(msg("Waiting for {level} approval.", level=level))
    return join(sentences)
