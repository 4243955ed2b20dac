"""Two stations doing the same money step at the same moment, on SQLite and PostgreSQL.

Each station is a real thread with its own Database (its own connections) on the same URL; a
Barrier releases them together. Exactly one wins; the other gets the clear error; the books stay
sound.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from returndesk.domain.errors import (
    AlreadyDone,
    ConcurrentChange,
    PermissionDenied,
    SessionEnded,
    IllegalTransition,
    NotFound,
    ReturnDeskError,
    ValidationFailed,
)
from returndesk.domain.types import Disposition, Grade, Location, Role
from returndesk.domain.policy import PolicyRules
from returndesk.services.usecases import (
    approval,
    auth,
    blind,
    claims,
    counter,
    exchange,
    finance,
    inspection,
    intake,
    policy_admin,
    receiving,
    refunds,
    refurbish,
)
from returndesk.services.usecases.auth import SignOff
from returndesk.services.tx import stock
from returndesk.services.tx.context import ServiceContext
from returndesk.store.engine import Database
from returndesk.store.schema import (
    Approval,
    CreditNote,
    Customer,
    JournalEntry,
    PolicyDraft,
    Refund,
    ReplacementOrder,
    Return,
    ReturnReason,
    RtvClaim,
    RtvClaimUnit,
    SalesOrderLine,
    User,
)

from .factories import PASSWORD, build_world, make_order
from .money_support import CONDITIONS, LineSpec, approved, awaiting, order_line_ids, take_return

pytestmark = pytest.mark.both_databases("races: row locks and isolation differ")


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None


def race(ctx: ServiceContext, *steps: Callable[[ServiceContext], object]) -> list[Outcome]:
    """Run each step in its own thread with its own Database, all released at once."""
    barrier = threading.Barrier(len(steps))
    outcomes = [Outcome() for _ in steps]

    def station(i: int, step: Callable[[ServiceContext], object]) -> None:
        db = Database.open(ctx.db.url)
        own = ServiceContext(db=db, clock=ctx.clock, station=f"STATION-{i}")
        try:
            barrier.wait(timeout=30)
            outcomes[i].value = step(own)
        except BaseException as exc:
            outcomes[i].error = exc
        finally:
            db.dispose()

    threads = [threading.Thread(target=station, args=(i, step)) for i, step in enumerate(steps)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a station never finished: a lock was never released"
    return outcomes


def _one_winner(outcomes: list[Outcome], *losing: type[ReturnDeskError]) -> Outcome:
    bugs = [o.error for o in outcomes if o.error is not None and not isinstance(o.error, losing)]
    assert not bugs, f"unexpected errors: {bugs!r}"
    winners = [o for o in outcomes if o.error is None]
    assert len(winners) == 1, [o.error for o in outcomes]
    loser = next(o for o in outcomes if o.error is not None)
    assert str(loser.error)  # a sentence the user can act on
    return winners[0]


def test_two_approvals_of_one_return_exactly_one_wins(ctx):
    world = build_world(ctx)
    rma = awaiting(world, [LineSpec("EL-1002", 2)])
    outcomes = race(
        ctx,
        lambda c: approval.approve_refund(c, world.supervisor, rma, expected_version=None),
        lambda c: approval.approve_refund(c, world.supervisor2, rma),
    )
    winner = _one_winner(outcomes, IllegalTransition, ConcurrentChange)
    assert winner.value.status == "approved"
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(Approval)).scalar_one() == 1
        assert s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one() == "approved"


def test_approve_and_reject_at_once_leave_one_decision(ctx):
    world = build_world(ctx)
    rma = awaiting(world, [LineSpec("AP-2001", 2)])
    outcomes = race(
        ctx,
        lambda c: approval.approve_refund(c, world.supervisor, rma),
        lambda c: approval.reject_refund(c, world.supervisor2, rma, "Stained, not resellable"),
    )
    winner = _one_winner(outcomes, IllegalTransition, ConcurrentChange)
    with ctx.db.read() as s:
        decisions = s.execute(select(Approval.decision)).scalars().all()
        status = s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one()
        available = stock.on_hand(s, world.products["AP-2001"], Location.AVAILABLE)
        in_process = s.execute(select(SalesOrderLine.qty_in_process)).scalar_one()
    assert len(decisions) == 1 and status == winner.value.status
    # Rejected: the two T-shirts went back to the customer; approved: they are in stock, still held.
    assert (available, in_process) == ((18, 0) if status == "refund_rejected" else (20, 2))
    assert finance.check_books(ctx) == []


def test_two_refunds_of_one_return_pay_once(ctx):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("SH-3001", 1), LineSpec("AP-2001", 2)])
    outcomes = race(
        ctx,
        lambda c: refunds.issue_refund(c, world.finance, rma),
        lambda c: refunds.issue_refund(c, world.clerk2, rma),
    )
    winner = _one_winner(outcomes, AlreadyDone, IllegalTransition, ConcurrentChange)
    loser = next(o for o in outcomes if o.error is not None)
    if isinstance(loser.error, AlreadyDone):
        assert winner.value.refund.refund_no in str(loser.error)
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(Refund)).scalar_one() == 1
        assert s.execute(select(func.count()).select_from(CreditNote)).scalar_one() == 1
        assert s.execute(select(func.count()).select_from(JournalEntry)).scalar_one() == 1
        refunded = s.execute(select(func.sum(SalesOrderLine.refunded_minor))).scalar_one()
    assert refunded == winner.value.refund.amount_minor == 59900 + 15800
    assert finance.check_books(ctx) == []
    assert finance.journal_totals(ctx, world.finance).balanced


def test_two_exchanges_for_the_last_unit_never_oversell(ctx):
    world = build_world(ctx)
    first = approved(world, [LineSpec("SH-3001", 1, reason="wrong_size")])
    second = approved(world, [LineSpec("SH-3001", 1, reason="wrong_size")])
    tv = world.products["EL-1003"]
    with ctx.db.write() as s:
        stock.move(s, ctx, None, product_id=tv, from_location=Location.AVAILABLE,
                   to_location=Location.SCRAP, quantity=19, reason="test: last unit left")
    outcomes = race(
        ctx,
        lambda c: exchange.create_exchange(c, world.clerk, first, [("EL-1003", 1)]),
        lambda c: exchange.create_exchange(c, world.clerk2, second, [("EL-1003", 1)]),
    )
    _one_winner(outcomes, ValidationFailed)
    loser = next(o for o in outcomes if o.error is not None)
    assert "EL-1003 4K television 55in: 1 wanted, only 0 available." in str(loser.error)
    with ctx.db.read() as s:
        assert stock.on_hand(s, tv, Location.AVAILABLE) == 0
        assert stock.on_hand(s, tv, Location.RESERVED) == 1
    assert finance.check_books(ctx) == []


def test_counter_fast_path_and_refunds_at_other_desks_never_deadlock(ctx):
    """The walk-in transaction writes audit events early and draws document numbers late; refunds
    at other desks draw numbers first and audit last. The fast path takes its locks up front in
    the common order, so all three commit (without that, PostgreSQL aborts one as a deadlock)."""
    world = build_world(ctx)
    desks = [approved(world, [LineSpec("AP-2001", 1)]) for _ in range(2)]
    policy_admin.publish_policy(ctx, world.admin, PolicyRules.default(), "Standard again")
    order_no = make_order(world, [("HM-4001", 2)], channel="store", days_ago=1)
    draft = intake.ReturnDraft(
        order_no=order_no, channel="counter", refund_method="cash",
        lines=(intake.DraftLine(order_line_id=order_line_ids(world, order_no)["HM-4001"], quantity=2,
                                reason_code="changed_mind", conditions_met=CONDITIONS),),
    )
    outcomes = race(
        ctx,
        lambda c: counter.counter_return(c, world.clerk, draft),
        lambda c: refunds.issue_refund(c, world.finance, desks[0]),
        lambda c: refunds.issue_refund(c, world.clerk2, desks[1]),
    )
    assert [o.error for o in outcomes] == [None, None, None]
    assert outcomes[0].value.refunded
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(Refund)).scalar_one() == 3
    assert finance.check_books(ctx) == []


@pytest.mark.parametrize("units", [2, 1])
def test_two_stations_scanning_one_returns_tags_onto_a_claim_at_once(ctx, units):
    """Two scanning stations put units of the same return on its vendor's claim at the same moment:
    with two units each takes its own; with one the second is told it is on the claim already."""
    world = build_world(ctx)
    rma = approved(world, [LineSpec("EL-1002", units, reason="defective", grade=Grade.D,
                                    disposition=Disposition.RETURN_TO_VENDOR)])
    outcomes = race(
        ctx,
        lambda c: claims.add_unit(c, world.inspector, rma),
        lambda c: claims.add_unit(c, world.supervisor, rma),
    )
    if units == 2:
        assert [o.error for o in outcomes] == [None, None]
    else:
        _one_winner(outcomes, ValidationFailed, ConcurrentChange)
    with ctx.db.read() as s:
        on_claim = s.execute(select(RtvClaimUnit.inspection_unit_id)).scalars().all()
        assert s.execute(select(func.count()).select_from(RtvClaim)).scalar_one() == 1
    assert len(on_claim) == len(set(on_claim)) == units
    assert finance.check_books(ctx) == []


def test_two_stations_putting_two_products_of_one_supplier_on_a_claim_open_one_claim(ctx):
    world = build_world(ctx)
    rtv = {"reason": "defective", "grade": Grade.D, "disposition": Disposition.RETURN_TO_VENDOR}
    first = approved(world, [LineSpec("EL-1002", 1, **rtv)])
    second = approved(world, [LineSpec("AP-2001", 1, **rtv)])
    outcomes = race(
        ctx,
        lambda c: claims.add_unit(c, world.inspector, first),
        lambda c: claims.add_unit(c, world.supervisor, second),
    )
    assert [o.error for o in outcomes] == [None, None]
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(RtvClaim)).scalar_one() == 1
        assert s.execute(select(func.count()).select_from(RtvClaimUnit)).scalar_one() == 2


def test_shipping_a_claim_while_a_unit_of_its_product_is_scanned_never_deadlocks(ctx):
    world = build_world(ctx)
    rtv = {"reason": "defective", "grade": Grade.D, "disposition": Disposition.RETURN_TO_VENDOR}
    claim = claims.add_unit(ctx, world.inspector, approved(world, [LineSpec("EL-1002", 1, **rtv)]))
    claims.record_authorisation(ctx, world.supervisor, claim.claim_no, "ACME-RMA-7",
                                ctx.now().date() - timedelta(days=1))
    later = approved(world, [LineSpec("EL-1002", 1, **rtv)])
    outcomes = race(
        ctx,
        lambda c: claims.ship_claim(c, world.supervisor, claim.claim_no),
        lambda c: claims.add_unit(c, world.inspector, later),
    )
    shipped, scanned = (o.error for o in outcomes)
    assert shipped is None, shipped
    # Scanned after the shipment, the unit opens the next claim; before it, the scan is told to
    # ship the authorised claim first.
    assert scanned is None or isinstance(scanned, IllegalTransition), scanned
    with ctx.db.read() as s:
        claims_now = dict(s.execute(select(RtvClaim.claim_no, RtvClaim.status)).all())
    assert claims_now[claim.claim_no] == "shipped" and len(claims_now) == (2 if scanned is None else 1)
    assert finance.check_books(ctx) == []


def test_a_unit_refurbished_while_its_refund_is_refused_moves_once(ctx):
    """The bench finishing a unit and the supervisor refusing the return's refund (its goods go
    back to the customer) at once: one of them is first, and the unit moves once."""
    world = build_world(ctx)
    spec = LineSpec("EL-1002", 1, reason="changed_mind", grade=Grade.C, disposition=Disposition.REFURBISH)
    approved(world, [spec])  # another return's unit of the product waits in the refurbish area
    refused = awaiting(world, [spec])
    outcomes = race(
        ctx,
        lambda c: refurbish.refurbish_unit(c, world.inspector, refused, grade="B"),
        lambda c: approval.reject_refund(c, world.supervisor, refused, "Used beyond the policy"),
    )
    errors = [o.error for o in outcomes]
    assert errors[1] is None, errors  # the refusal always goes through
    assert errors[0] is None or isinstance(errors[0], ValidationFailed | ConcurrentChange), errors
    waiting = refurbish.refurbish_queue(ctx, world.inspector).waiting
    with ctx.db.read() as s:
        in_area = stock.on_hand(s, world.products["EL-1002"], Location.REFURBISH)
    # What waits on the bench is what is in the area: the other return's unit, and the refused
    # return's unit only if it was not refurbished before the refusal sent it back.
    assert in_area == len(waiting) == 1
    assert finance.check_books(ctx) == []


def test_two_counters_adding_the_same_new_customer_without_a_receipt_add_them_once(ctx):
    world = build_world(ctx)
    draft = blind.BlindDraft(product="6901234567939", quantity=1, reason_code="changed_mind",
                             customer_phone="13700137000", customer_name="Wang Fang",
                             conditions_met=CONDITIONS)
    outcomes = race(
        ctx,
        lambda c: blind.blind_return(c, world.clerk, draft, SignOff(username="supervisor", password=PASSWORD)),
        lambda c: blind.blind_return(c, world.clerk2, draft, SignOff(username="supervisor2", password=PASSWORD)),
    )
    assert [o.error for o in outcomes] == [None, None]
    with ctx.db.read() as s:
        assert s.execute(select(Customer.code).where(Customer.phone == "13700137000")).scalars().all() == ["C-000001"]
    quote = blind.quote_blind_return(ctx, world.clerk, "6901234567939", customer_phone="13700137000")
    assert quote.earlier_no_receipt == 2


def test_two_administrators_saving_the_first_policy_draft_at_once_make_one_draft(ctx):
    world = build_world(ctx)
    outcomes = race(
        ctx,
        lambda c: policy_admin.save_policy_draft(c, world.admin, PolicyRules.default(), "Draft A"),
        lambda c: policy_admin.save_policy_draft(c, world.admin, PolicyRules.default(), "Draft B"),
    )
    assert [o.error for o in outcomes] == [None, None]
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(PolicyDraft)).scalar_one() == 1


def test_two_administrators_retiring_the_last_two_reasons_at_once_leave_one(ctx):
    world = build_world(ctx)
    with ctx.db.read() as s:
        codes = s.execute(select(ReturnReason.code).where(ReturnReason.active.is_(True))
                          .order_by(ReturnReason.code)).scalars().all()
    for code in codes[2:]:
        policy_admin.deactivate_reason(ctx, world.admin, code)
    first, second = codes[:2]
    outcomes = race(
        ctx,
        lambda c: policy_admin.deactivate_reason(c, world.admin, first),
        lambda c: policy_admin.update_reason(c, world.admin, second, active=False),
    )
    _one_winner(outcomes, ValidationFailed, ConcurrentChange)
    with ctx.db.read() as s:
        assert len(s.execute(select(ReturnReason.code).where(ReturnReason.active.is_(True))).all()) == 1


def test_two_administrators_disabling_each_other_at_once_leave_one_administrator(ctx):
    world = build_world(ctx)
    auth.add_user(ctx, world.admin, username="admin2", display_name="Admin 2", role=Role.ADMIN,
                  password="admin2-secret-1")
    other = auth.sign_in(ctx, "admin2", "admin2-secret-1")
    outcomes = race(
        ctx,
        lambda c: auth.change_user(c, world.admin, "admin2", active=False),
        lambda c: auth.change_user(c, other, world.admin.username, active=False),
    )
    _one_winner(outcomes, SessionEnded, PermissionDenied, ConcurrentChange)
    with ctx.db.read() as s:
        admins = s.execute(select(User.username).where(User.role == "admin", User.active.is_(True))).scalars().all()
    assert len(admins) == 1


def test_a_unit_undone_at_inspection_while_the_warehouse_puts_it_on_a_claim(ctx):
    """One of the two goes first: the unit is either undone (and the scan finds nothing to put on
    a claim) or on the claim (and the undo is told to take it off first); never a unit on a claim
    that no longer exists."""
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1002", 1)])
    rma = take_return(world, order_no, [LineSpec("EL-1002", 1, reason="defective")])
    receiving.receive_return(ctx, world.inspector, rma)
    inspection.record_unit(ctx, world.inspector, rma, scanned_code="6901234567908", grade="D",
                           disposition=Disposition.RETURN_TO_VENDOR)
    outcomes = race(
        ctx,
        lambda c: inspection.undo_last_unit(c, world.inspector, rma),
        lambda c: claims.add_unit(c, world.supervisor, rma),
    )
    winner = _one_winner(outcomes, ValidationFailed, NotFound)
    with ctx.db.read() as s:
        on_claims = s.execute(select(func.count()).select_from(RtvClaimUnit)).scalar_one()
    assert on_claims == (1 if winner is outcomes[1] else 0)
    assert finance.check_books(ctx) == []


def test_two_benches_scanning_one_returns_barcode_each_finish_their_own_unit(ctx):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("EL-1002", 2, reason="changed_mind", grade=Grade.C,
                                    disposition=Disposition.REFURBISH)])
    outcomes = race(
        ctx,
        lambda c: refurbish.refurbish_unit(c, world.inspector, rma, grade="B"),
        lambda c: refurbish.refurbish_unit(c, world.supervisor, rma, grade="B"),
    )
    assert [o.error for o in outcomes] == [None, None]
    assert len({o.value.tag for o in outcomes}) == 2
    assert refurbish.refurbish_queue(ctx, world.inspector).waiting == ()
    assert finance.check_books(ctx) == []


def _let_the_other_go(ctx: ServiceContext, theirs: threading.Event) -> None:
    """Hold on (with the locks taken so far) until the other station sets ``theirs`` or waits for a
    lock on PostgreSQL: the interleaving a forced race test needs, whichever way the locks fall."""
    while not theirs.is_set():
        with ctx.db.read_connection() as conn:
            if conn.exec_driver_sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                    "AND wait_event_type = 'Lock'").scalar_one():
                return
        theirs.wait(0.05)


@pytest.mark.parametrize("db_url", [pytest.param("pg", marks=pytest.mark.pg)], indirect=True)
@pytest.mark.parametrize("difference", ["refunded", "collected"])
def test_a_cash_refund_and_a_cash_exchange_difference_at_one_counter_never_deadlock(ctx, monkeypatch, difference):
    """Both use the counter's shift (cash out for a cheaper replacement, cash in for a dearer one)
    and draw the refund or credit-note numbers. The refund held the shift while the exchange held
    such a number, each waiting for the other (PostgreSQL aborted one as a deadlock). Forced here:
    the refund, once it has the shift, lets the exchange go first until the exchange has its
    number or waits for a lock. Both lock the shift after the return and before the order lines,
    products and numbers now, so the exchange waits for the shift and both commit. (SQLite writes
    one transaction at a time.)"""
    from returndesk.domain.types import Channel, RefundMethod, Resolution
    from returndesk.services.usecases import cash

    world = build_world(ctx)
    cash.open_shift(ctx, world.clerk, 500000)
    order_no = make_order(world, [("AP-2001", 1)], channel="store", days_ago=2)
    # Cheaper goods: the difference refunded in cash; dearer goods: the customer pays it in cash
    # (the return itself refunded to the card).
    refunded = difference == "refunded"
    draft = intake.ReturnDraft(
        order_no=order_no, channel=Channel.COUNTER,
        refund_method=RefundMethod.CASH if refunded else RefundMethod.ORIGINAL_PAYMENT,
        lines=(intake.DraftLine(order_line_id=order_line_ids(world, order_no)["AP-2001"], quantity=1,
                                reason_code="wrong_size", resolution=Resolution.EXCHANGE, conditions_met=CONDITIONS),))
    to_exchange = counter.counter_return(ctx, world.clerk, draft).detail.rma_no
    # (approved() routes every later return to review: the exchange's return is taken first.)
    to_refund = approved(world, [LineSpec("HM-4001", 1)], channel=Channel.COUNTER, method=RefundMethod.CASH)

    exchange_has_refund_no = threading.Event()
    refund_thread: list[threading.Thread] = []
    shift_for_cash, next_document_no = cash.shift_for_cash, exchange.next_document_no

    def refund_lets_the_exchange_go_first(*args, **kwargs):
        shift = shift_for_cash(*args, **kwargs)
        if refund_thread and threading.current_thread() is refund_thread[0]:
            _let_the_other_go(ctx, exchange_has_refund_no)
        return shift

    def exchange_numbers(session, name, *args, **kwargs):
        number = next_document_no(session, name, *args, **kwargs)
        if name in ("refund", "credit_note"):  # numbers the refund draws too
            exchange_has_refund_no.set()
        return number

    monkeypatch.setattr(cash, "shift_for_cash", refund_lets_the_exchange_go_first)
    monkeypatch.setattr(exchange, "next_document_no", exchange_numbers)

    def refund(c):
        refund_thread.append(threading.current_thread())
        return refunds.issue_refund(c, world.clerk, to_refund)

    def exchange_it(c):
        if refunded:
            return exchange.exchange_at_counter(c, world.clerk, to_exchange, [("HM-4001", 1)], refund_method="cash")
        return exchange.exchange_at_counter(c, world.clerk, to_exchange, [("SH-3001", 1)], collect_method="cash")

    outcomes = race(ctx, refund, exchange_it)
    assert [o.error for o in outcomes] == [None, None]
    with ctx.db.read() as s:
        paid_out = s.execute(select(func.count()).select_from(Refund).where(Refund.cash_shift_id.is_not(None)))
        assert paid_out.scalar_one() == (2 if refunded else 1)
        taken_in = s.execute(select(func.count()).select_from(ReplacementOrder)
                             .where(ReplacementOrder.cash_shift_id.is_not(None)))
        assert taken_in.scalar_one() == (0 if refunded else 1)
    assert finance.check_books(ctx) == []


@pytest.mark.parametrize("db_url", [pytest.param("pg", marks=pytest.mark.pg)], indirect=True)
def test_a_counter_return_of_a_serial_item_and_an_exchange_for_one_never_deadlock(ctx, monkeypatch):
    """A counter return refunded on the spot takes its number sequences up front; inspecting its
    serial-numbered unit locks the product. An exchange for that product locks the product, then
    draws its credit-note number. With the product locked after the numbers, each held what the
    other waited for. Forced here: each, once it holds its first lock, lets the other go until the
    other holds its own or waits for a lock. The counter return locks the serial-numbered product
    with its order lines now, before the numbers, so one waits for the other and both commit."""
    from returndesk.domain.types import Channel, RefundMethod, Resolution

    world = build_world(ctx)

    def counter_draft(order_no: str, sku: str, resolution: Resolution) -> intake.ReturnDraft:
        return intake.ReturnDraft(
            order_no=order_no, channel=Channel.COUNTER, refund_method=RefundMethod.ORIGINAL_PAYMENT,
            lines=(intake.DraftLine(order_line_id=order_line_ids(world, order_no)[sku], quantity=1,
                                    reason_code="changed_mind", resolution=resolution, conditions_met=CONDITIONS),))

    exchange_order = make_order(world, [("AP-2001", 1)], channel="store", days_ago=2)
    to_exchange = counter.counter_return(ctx, world.clerk, counter_draft(exchange_order, "AP-2001",
                                                                         Resolution.EXCHANGE)).detail.rma_no
    phones = make_order(world, [("EL-1001", 1)], channel="store", days_ago=2)
    phone_line = order_line_ids(world, phones)["EL-1001"]
    with ctx.db.write() as s:
        s.get(SalesOrderLine, phone_line).serial_numbers = "SN-A"

    counter_holds, exchange_holds = threading.Event(), threading.Event()
    prelock, lock_products = counter._prelock, exchange.lock_products

    def counter_prelock(*args, **kwargs):
        prelock(*args, **kwargs)
        counter_holds.set()
        _let_the_other_go(ctx, exchange_holds)

    def exchange_locks_products(*args, **kwargs):
        locked = lock_products(*args, **kwargs)
        exchange_holds.set()
        _let_the_other_go(ctx, counter_holds)
        return locked

    monkeypatch.setattr(counter, "_prelock", counter_prelock)
    monkeypatch.setattr(exchange, "lock_products", exchange_locks_products)
    outcomes = race(
        ctx,
        lambda c: counter.counter_return(c, world.clerk, counter_draft(phones, "EL-1001", Resolution.REFUND),
                                         serials={phone_line: ["SN-A"]}),
        lambda c: exchange.exchange_at_counter(c, world.clerk2, to_exchange, [("EL-1001", 1)],
                                               collect_method="card"),
    )
    assert [o.error for o in outcomes] == [None, None]
    assert outcomes[0].value.detail.units and outcomes[1].value.replacement.order_no  # inspected; exchanged
    assert finance.check_books(ctx) == []
