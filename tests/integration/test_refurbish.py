"""The refurbish queue: units inspected for refurbishment come back to stock at a new grade, or go to
scrap with a reason and, above the policy's limit, a supervisor's sign-off. Stock, journal and the
books check agree after each step."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from returndesk.domain.errors import AuthenticationFailed, PermissionDenied, ValidationFailed
from returndesk.domain.postings import COST_OF_GOODS, INVENTORY, REFURBISH_COSTS, SCRAP_WRITE_OFF, SPARE_PARTS
from returndesk.domain.types import Disposition, Grade, Location
from returndesk.services.tx import stock
from returndesk.services.usecases import approval, finance, refurbish
from returndesk.services.usecases.auth import SignOff
from returndesk.store.schema import AuditEvent, JournalLine, OutboxEvent, RefurbishJob, WebhookEndpoint

from .factories import PASSWORD, build_world
from .money_support import LineSpec, approved, awaiting

pytestmark = pytest.mark.both_databases("refurbish locks products and sums money and stock in SQL")

SKU = "EL-1002"  # cost 60.00


def _refurbish_return(world, qty=1):
    return approved(world, [LineSpec(SKU, qty, reason="changed_mind", grade=Grade.C,
                                     disposition=Disposition.REFURBISH)])


def _stock(ctx, world):
    with ctx.db.read() as s:
        pid = world.products[SKU]
        return {loc: stock.on_hand(s, pid, loc) for loc in (Location.REFURBISH, Location.AVAILABLE, Location.SCRAP)}


def _balance(ctx, account):
    with ctx.db.read() as s:
        lines = s.execute(select(JournalLine).where(JournalLine.account == account)).scalars().all()
        return sum(line.debit_minor - line.credit_minor for line in lines)


@pytest.fixture
def world(ctx):
    return build_world(ctx)


def test_refurbish_returns_a_unit_to_available_stock_at_grade_b(ctx, world):
    with ctx.db.write() as s:
        s.add(WebhookEndpoint(name="erp", url="https://erp.example/hook", secret="s" * 32,
                              event_types="refurbish.", created_at=ctx.now()))
    rma = _refurbish_return(world, 2)
    before = _stock(ctx, world)
    assert before[Location.REFURBISH] == 2
    queue = refurbish.refurbish_queue(ctx, world.inspector)
    assert [u.rma_no for u in queue.waiting] == [rma, rma] and queue.finished == ()
    assert queue.scrap_signoff_limit_minor == 50000
    found = refurbish.find_refurbish_unit(ctx, world.inspector, rma)
    assert found.tag == queue.waiting[0].tag and found.status == "waiting" and found.cost_minor == 6000
    inventory, cogs = _balance(ctx, INVENTORY), _balance(ctx, COST_OF_GOODS)

    with pytest.raises(ValidationFailed, match="grade D"):
        refurbish.refurbish_unit(ctx, world.inspector, found.tag, grade="D")
    done = refurbish.refurbish_unit(ctx, world.inspector, found.tag, grade=Grade.B,
                                    repair_note="New cable, cleaned", parts_cost_minor=850)
    assert done.status == "refurbished" and done.new_grade == "B" and done.parts_cost_minor == 850
    assert done.finished_by == "Inspector"
    after = _stock(ctx, world)
    assert after[Location.REFURBISH] == 1 and after[Location.AVAILABLE] == before[Location.AVAILABLE] + 1
    assert _balance(ctx, INVENTORY) == inventory + 6000
    assert _balance(ctx, COST_OF_GOODS) == cogs - 6000
    assert _balance(ctx, REFURBISH_COSTS) == 850 and _balance(ctx, SPARE_PARTS) == -850
    assert finance.check_books(ctx) == []

    with pytest.raises(ValidationFailed, match="put back in stock already") as refused:
        refurbish.refurbish_unit(ctx, world.inspector, found.tag, grade="B")
    # The state is a sentence of its own (translated on Chinese screens), not the stored code.
    assert refused.value.message.params["status"].template == "put back in stock"
    # The RMA barcode now finds the other unit of the return.
    assert refurbish.find_refurbish_unit(ctx, world.inspector, rma).tag == queue.waiting[1].tag
    queue = refurbish.refurbish_queue(ctx, world.inspector)
    assert len(queue.waiting) == 1 and [u.tag for u in queue.finished] == [found.tag]
    with ctx.db.read() as s:
        events = s.execute(select(OutboxEvent.event_type).where(OutboxEvent.subject == found.tag)).scalars().all()
        audit = s.execute(select(AuditEvent.action).where(AuditEvent.entity == "refurbish")).scalars().all()
    assert events == ["refurbish.refurbished"] and audit == ["refurbished"]

    # The books check compares the queue with the stock ledger: a unit moved without its job is found.
    with ctx.db.write() as s:
        stock.move(s, ctx, None, product_id=world.products[SKU], from_location=Location.REFURBISH,
                   to_location=Location.AVAILABLE, quantity=1, reason="refurbished")
    assert [p.kind for p in finance.check_books(ctx)] == ["refurbish_stock_mismatch"]


def test_scrap_needs_a_reason_and_above_the_limit_a_supervisor(ctx, world):
    rma = _refurbish_return(world, 2)
    first, second = (u.tag for u in refurbish.refurbish_queue(ctx, world.inspector).waiting)
    with pytest.raises(ValidationFailed, match="why"):
        refurbish.scrap_unit(ctx, world.inspector, first, reason="  ")

    # 60.00 cost + 450.00 parts = 510.00, above the 500.00 limit: refused without a supervisor.
    with pytest.raises(PermissionDenied, match="supervisor"):
        refurbish.scrap_unit(ctx, world.inspector, first, reason="Board burnt", parts_cost_minor=45000)
    with pytest.raises(AuthenticationFailed):
        refurbish.scrap_unit(ctx, world.inspector, first, reason="Board burnt", parts_cost_minor=45000,
                             sign_off=SignOff(username="supervisor", password="wrong"))
    with pytest.raises(PermissionDenied):
        refurbish.scrap_unit(ctx, world.inspector, first, reason="Board burnt", parts_cost_minor=45000,
                             sign_off=SignOff(username="clerk", password=PASSWORD))
    assert _stock(ctx, world)[Location.REFURBISH] == 2
    with ctx.db.read() as s:
        assert s.execute(select(RefurbishJob)).first() is None

    write_off = _balance(ctx, SCRAP_WRITE_OFF)
    done = refurbish.scrap_unit(ctx, world.inspector, first, reason="Board burnt", parts_cost_minor=45000,
                                sign_off=SignOff(username="supervisor", password=PASSWORD))
    assert done.status == "scrapped" and done.signed_off_by == "Supervisor" and done.scrap_reason == "Board burnt"
    assert _balance(ctx, SCRAP_WRITE_OFF) == write_off + 6000 + 45000
    stock_now = _stock(ctx, world)
    assert stock_now[Location.REFURBISH] == 1 and stock_now[Location.SCRAP] == 1
    assert finance.check_books(ctx) == []

    # Below the limit the inspector scraps alone; a supervisor never needs a second person.
    done = refurbish.scrap_unit(ctx, world.inspector, second, reason="Casing cracked")
    assert done.signed_off_by is None and _stock(ctx, world)[Location.SCRAP] == 2
    assert refurbish.refurbish_queue(ctx, world.inspector).waiting == ()
    assert finance.check_books(ctx) == []
    with ctx.db.read() as s:
        jobs = s.execute(select(RefurbishJob.status, RefurbishJob.signed_off_by).order_by(RefurbishJob.id)).all()
    assert [j[0] for j in jobs] == ["scrapped", "scrapped"] and jobs[0][1] == world.supervisor.user_id
    assert rma


def test_only_the_warehouse_works_the_queue_and_only_finished_inspections_enter_it(ctx, world):
    _refurbish_return(world)
    with pytest.raises(PermissionDenied):
        refurbish.refurbish_queue(ctx, world.clerk)
    with pytest.raises(PermissionDenied):
        refurbish.refurbish_unit(ctx, world.finance, "R0000000001/1", grade="B")
    supervisor_queue = refurbish.refurbish_queue(ctx, world.supervisor)
    assert len(supervisor_queue.waiting) == 1
    with pytest.raises(ValidationFailed, match="not a grade"):
        refurbish.refurbish_unit(ctx, world.supervisor, supervisor_queue.waiting[0].tag, grade="Z")
    with pytest.raises(ValidationFailed, match="zero or more"):
        refurbish.refurbish_unit(ctx, world.supervisor, supervisor_queue.waiting[0].tag, grade="B",
                                 parts_cost_minor=-1)


def test_a_unit_whose_refund_was_refused_went_back_to_the_customer_and_waits_for_no_repair(ctx, world):
    kept = _refurbish_return(world)
    refused = awaiting(world, [LineSpec(SKU, 1, reason="changed_mind", grade=Grade.C,
                                        disposition=Disposition.REFURBISH)])
    assert {u.tag.split("/")[0] for u in refurbish.refurbish_queue(ctx, world.inspector).waiting} == {kept, refused}
    approval.reject_refund(ctx, world.supervisor, refused, "Used beyond what the policy accepts")
    # The goods were handed back to the customer: only the other return's unit waits for repair.
    assert {u.tag.split("/")[0] for u in refurbish.refurbish_queue(ctx, world.inspector).waiting} == {kept}
    with pytest.raises(ValidationFailed, match="went back to the customer when its refund was refused"):
        refurbish.find_refurbish_unit(ctx, world.inspector, refused)
    assert refurbish.find_refurbish_unit(ctx, world.inspector, kept).tag.startswith(kept)
