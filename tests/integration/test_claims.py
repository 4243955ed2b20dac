"""Claims against suppliers: units from customer returns go back to their vendor, and the credit comes back.

At each step the stock per location, the journal and the books check (`returndesk check`) agree."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from returndesk.domain.claims import ClaimStatus, UnitFate
from returndesk.domain.errors import ConcurrentChange, IllegalTransition, PermissionDenied, ValidationFailed
from returndesk.domain.postings import COST_OF_GOODS, INVENTORY, RTV_CLEARING, RTV_LOSS, SUPPLIER_RECEIVABLE
from returndesk.domain.types import Disposition, Grade, Location
from returndesk.services.tx import stock
from returndesk.services.usecases import approval, claims, finance, inspection, receiving
from returndesk.store.schema import AuditEvent, JournalLine, OutboxEvent, Supplier, WebhookEndpoint

from .factories import build_world, make_order
from .money_support import LineSpec, approved, awaiting, take_return

pytestmark = pytest.mark.both_databases("claims lock products and sum money and stock in SQL")

RTV = Disposition.RETURN_TO_VENDOR


def _rtv_return(world, qty=1, sku="EL-1002"):
    return approved(world, [LineSpec(sku, qty, reason="defective", grade=Grade.D, disposition=RTV)])


def _stock(ctx, sku, world):
    with ctx.db.read() as s:
        pid = world.products[sku]
        return {loc: stock.on_hand(s, pid, loc) for loc in (Location.RTV, Location.SUPPLIER, Location.AVAILABLE,
                                                            Location.SCRAP)}


def _balance(ctx, account):
    with ctx.db.read() as s:
        lines = s.execute(select(JournalLine).where(JournalLine.account == account)).scalars().all()
        return sum(line.debit_minor - line.credit_minor for line in lines)


def _books_sound(ctx):
    assert finance.check_books(ctx) == []


@pytest.fixture
def world(ctx):
    return build_world(ctx)


def test_units_of_three_returns_collect_into_one_claim_ship_and_are_credited_in_part(ctx, world):
    with ctx.db.write() as s:
        s.add(WebhookEndpoint(name="supplier portal", url="https://portal.example/hook", secret="s" * 32,
                              event_types="claim.", created_at=ctx.now()))
    rmas = [_rtv_return(world, 1), _rtv_return(world, 2), _rtv_return(world, 1)]
    before = _stock(ctx, "EL-1002", world)
    assert before[Location.RTV] == 4
    waiting = claims.units_waiting(ctx, world.inspector)
    assert len(waiting) == 4 and {w.supplier_code for w in waiting} == {"SUP-1"}

    # Scanning the tags: the RMA barcode takes the next unit of that return.
    detail = None
    for rma, count in zip(rmas, (1, 2, 1), strict=True):
        for _ in range(count):
            detail = claims.add_unit(ctx, world.inspector, rma)
    assert detail is not None
    claim_no = detail.claim_no
    assert detail.status is ClaimStatus.OPEN
    assert len(detail.units) == 4 and {u.rma_no for u in detail.units} == set(rmas)
    assert detail.summary.cost_minor == 4 * 6000 and detail.summary.value_minor == 24000
    with pytest.raises(ValidationFailed, match="on a claim already"):
        claims.add_unit(ctx, world.inspector, rmas[0])
    assert [c.claim_no for c in claims.list_claims(ctx, world.inspector)] == [claim_no]
    _books_sound(ctx)

    # Removed by its tag and scanned again: still one claim.
    tag = detail.units[1].tag
    detail = claims.remove_unit(ctx, world.inspector, claim_no, tag)
    assert len(detail.units) == 3 and tag not in {u.tag for u in detail.units}
    detail = claims.add_unit(ctx, world.inspector, tag)
    assert len(detail.units) == 4

    with pytest.raises(IllegalTransition, match="authorised"):
        claims.ship_claim(ctx, world.inspector, claim_no)
    claims.request_authorisation(ctx, world.inspector, claim_no)
    detail = claims.record_authorisation(ctx, world.inspector, claim_no, "ACME-RMA-7781", ctx.now().date())
    assert detail.status is ClaimStatus.AUTHORISED and detail.summary.vendor_rma_no == "ACME-RMA-7781"
    _books_sound(ctx)
    assert _stock(ctx, "EL-1002", world)[Location.RTV] == 4

    detail = claims.ship_claim(ctx, world.inspector, claim_no)
    assert detail.status is ClaimStatus.SHIPPED
    after_ship = _stock(ctx, "EL-1002", world)
    assert after_ship[Location.RTV] == 0 and after_ship[Location.SUPPLIER] == 4
    assert _balance(ctx, RTV_CLEARING) == 24000
    _books_sound(ctx)

    # The supplier accepts three units and credits 150.00 of the 180.00 they cost; one unit comes back.
    refused = detail.units[0].tag
    with pytest.raises(PermissionDenied):
        claims.record_answer(ctx, world.inspector, claim_no, credit_note_no="CN-ACME-55", credited_minor=15000,
                             refused=[refused])
    with pytest.raises(ValidationFailed, match="more than claim"):
        claims.record_answer(ctx, world.finance, claim_no, credit_note_no="CN-ACME-55", credited_minor=99999)
    detail = claims.record_answer(ctx, world.finance, claim_no, credit_note_no="CN-ACME-55", credited_minor=15000,
                                  refused=[refused], refused_to=UnitFate.BACK_TO_STOCK)
    assert detail.status is ClaimStatus.PARTLY_CREDITED
    assert [u.outcome for u in detail.units].count("accepted") == 3
    answered = _stock(ctx, "EL-1002", world)
    assert answered[Location.SUPPLIER] == 3
    assert answered[Location.AVAILABLE] == before[Location.AVAILABLE] + 1
    assert _balance(ctx, RTV_CLEARING) == 0
    assert _balance(ctx, SUPPLIER_RECEIVABLE) == 15000
    assert _balance(ctx, RTV_LOSS) == 18000 - 15000
    assert _balance(ctx, INVENTORY) >= 6000
    assert _balance(ctx, COST_OF_GOODS) <= -24000 + 0  # the cost recovered from the goods sold
    _books_sound(ctx)
    assert claims.list_claims(ctx, world.inspector) == []

    with ctx.db.read() as s:
        actions = s.execute(select(AuditEvent.action).where(AuditEvent.entity == "claim",
                                                            AuditEvent.entity_id == claim_no)
                            .order_by(AuditEvent.seq)).scalars().all()
        events = s.execute(select(OutboxEvent.event_type, OutboxEvent.payload_json)
                           .where(OutboxEvent.subject == claim_no).order_by(OutboxEvent.id)).all()
    assert actions[0] == "open" and actions[-3:] == ["authorise", "ship", "partly_credited"]
    assert actions.count("add_unit") == 5 and actions.count("remove_unit") == 1
    assert [kind for kind, _payload in events][-2:] == ["claim.ship", "claim.partly_credited"]
    assert "CN-ACME-55" in json.dumps(json.loads(events[-1][1]))


def test_a_rejected_claim_brings_the_units_back(ctx, world):
    rma = _rtv_return(world, 2)
    claims.add_unit(ctx, world.inspector, rma)
    claim_no = claims.add_unit(ctx, world.inspector, rma).claim_no
    claims.record_authorisation(ctx, world.inspector, claim_no, "RMA-1", ctx.now().date())
    claims.ship_claim(ctx, world.inspector, claim_no)
    start = _stock(ctx, "EL-1002", world)
    detail = claims.reject_claim(ctx, world.supervisor, claim_no, units_to=UnitFate.BACK_TO_STOCK)
    assert detail.status is ClaimStatus.REJECTED
    assert {u.outcome for u in detail.units} == {"available"}
    back = _stock(ctx, "EL-1002", world)
    assert back[Location.SUPPLIER] == 0 and back[Location.AVAILABLE] == start[Location.AVAILABLE] + 2
    assert _balance(ctx, RTV_CLEARING) == 0
    _books_sound(ctx)


def test_a_rejected_claim_may_send_the_units_to_scrap(ctx, world):
    rma = _rtv_return(world, 1)
    claim_no = claims.add_unit(ctx, world.inspector, rma).claim_no
    claims.record_authorisation(ctx, world.inspector, claim_no, "RMA-2", ctx.now().date())
    claims.ship_claim(ctx, world.inspector, claim_no)
    claims.reject_claim(ctx, world.finance, claim_no, units_to=UnitFate.SCRAP)
    assert _stock(ctx, "EL-1002", world)[Location.SCRAP] == 1
    _books_sound(ctx)


def test_terms_minimum_and_ageing(ctx, world):
    with ctx.db.write() as s:
        supplier = s.execute(select(Supplier).where(Supplier.code == "SUP-1")).scalar_one()
        supplier.rtv_terms = "cost_minus_fee"
        supplier.rtv_handling_fee_minor = 1000
        supplier.rtv_min_claim_minor = 10000
    rma = _rtv_return(world, 2)
    detail = claims.add_unit(ctx, world.inspector, rma)
    assert detail.summary.value_minor == 6000 - 1000 and detail.summary.below_minimum
    with pytest.raises(ValidationFailed, match="below the supplier's minimum"):
        claims.request_authorisation(ctx, world.inspector, detail.claim_no)
    detail = claims.add_unit(ctx, world.inspector, rma)
    assert detail.summary.value_minor == 11000 and not detail.summary.below_minimum
    claims.record_authorisation(ctx, world.inspector, detail.claim_no, "RMA-3", ctx.now().date())
    claims.ship_claim(ctx, world.inspector, detail.claim_no)
    assert not claims.list_claims(ctx, world.inspector)[0].overdue
    later = ctx.now() + timedelta(days=31)
    ctx.clock = lambda: later
    assert claims.list_claims(ctx, world.inspector)[0].overdue
    _books_sound(ctx)


def test_an_authorisation_needs_the_suppliers_rma_and_a_past_date(ctx, world):
    claim_no = claims.add_unit(ctx, world.inspector, _rtv_return(world)).claim_no
    with pytest.raises(ValidationFailed, match="RMA number"):
        claims.record_authorisation(ctx, world.inspector, claim_no, "  ", ctx.now().date())
    with pytest.raises(ValidationFailed, match="future"):
        claims.record_authorisation(ctx, world.inspector, claim_no, "R-9", ctx.now().date() + timedelta(days=3))
    assert claims.get_claim(ctx, world.inspector, claim_no).status is ClaimStatus.OPEN


def test_a_unit_on_or_off_a_claim_moves_its_version_on(ctx, world):
    """A station that read the claim before another put a unit on it (or took one off) asks for
    authorisation of a set of units that is no longer the claim's: it is refused."""
    rma = _rtv_return(world, 2)
    first = claims.add_unit(ctx, world.inspector, rma)
    second = claims.add_unit(ctx, world.inspector, rma)
    assert second.version > first.version
    with pytest.raises(ConcurrentChange):
        claims.request_authorisation(ctx, world.inspector, first.claim_no, expected_version=first.version)
    third = claims.remove_unit(ctx, world.inspector, second.claim_no, second.units[-1].tag)
    assert third.version > second.version and len(third.units) == 1
    assert claims.get_claim(ctx, world.inspector, first.claim_no).version == third.version
    asked = claims.request_authorisation(ctx, world.inspector, first.claim_no, expected_version=third.version)
    assert asked.status is ClaimStatus.REQUESTED


def test_a_unit_on_a_claim_is_neither_undone_nor_changed_at_inspection(ctx, world):
    """The warehouse put a unit on its claim while the return's inspection was still open: the
    inspector is told to take it off the claim first, and nothing changes."""
    order_no = make_order(world, [("EL-1002", 1)])
    rma = take_return(world, order_no, [LineSpec("EL-1002", 1, reason="defective")])
    receiving.receive_return(ctx, world.inspector, rma)
    recorded = inspection.record_unit(ctx, world.inspector, rma, scanned_code="6901234567908", grade="D",
                                      disposition=Disposition.RETURN_TO_VENDOR)
    claim = claims.add_unit(ctx, world.supervisor, rma)
    with pytest.raises(ValidationFailed, match=f"on claim {claim.claim_no}.*take it off the claim") as undone:
        inspection.undo_last_unit(ctx, world.inspector, rma)
    assert "undo it" in str(undone.value)
    with pytest.raises(ValidationFailed, match="take it off the claim"):
        inspection.update_unit(ctx, world.inspector, recorded.unit.id, grade="C", disposition=Disposition.RESTOCK)
    assert len(claims.get_claim(ctx, world.inspector, claim.claim_no).units) == 1
    assert _stock(ctx, "EL-1002", world)[Location.RTV] == 1
    # Taken off the claim, the unit can be undone.
    claims.remove_unit(ctx, world.supervisor, claim.claim_no, rma)
    assert inspection.undo_last_unit(ctx, world.inspector, rma).unit.id == recorded.unit.id
    _books_sound(ctx)


def test_only_units_going_to_the_vendor_go_on_a_claim(ctx, world):
    rma = approved(world, [LineSpec("EL-1002", 1, reason="defective", grade=Grade.A)])
    with pytest.raises(ValidationFailed, match="only units in the return-to-vendor area"):
        claims.add_unit(ctx, world.inspector, rma)
    with pytest.raises(PermissionDenied):
        claims.add_unit(ctx, world.clerk, rma)


def test_a_unit_whose_refund_was_refused_went_back_to_the_customer_and_waits_for_no_claim(ctx, world):
    kept = _rtv_return(world)
    refused = awaiting(world, [LineSpec("EL-1002", 1, reason="defective", grade=Grade.D, disposition=RTV)])
    assert {u.tag.split("/")[0] for u in claims.units_waiting(ctx, world.inspector)} == {kept, refused}
    approval.reject_refund(ctx, world.supervisor, refused, "The fault is not covered")
    # The goods were handed back to the customer: only the other return's unit can go to its vendor.
    assert {u.tag.split("/")[0] for u in claims.units_waiting(ctx, world.inspector)} == {kept}
    with pytest.raises(ValidationFailed, match="went back to the customer when its refund was refused"):
        claims.add_unit(ctx, world.inspector, refused)
    assert claims.add_unit(ctx, world.inspector, kept).units[0].tag.startswith(kept)
