"""Two stations at the same moment: each thread has its own Database on the same URL (its own
connections, as two workstations would), and a barrier starts them together. Run on SQLite and
PostgreSQL; several rounds per test so that the two transactions really overlap."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from returndesk.domain.errors import IllegalTransition, ValidationFailed
from returndesk.domain.types import Channel, RefundMethod
from returndesk.services.tx import audit
from returndesk.services.usecases import intake, sales
from returndesk.services.tx.context import ServiceContext
from returndesk.store.engine import Database
from returndesk.store.schema import Return, ReturnLine, SalesOrderLine

from .factories import build_world, make_order

pytestmark = pytest.mark.both_databases("races: row locks and isolation differ")

MET = frozenset({"original_packaging", "accessories_complete"})
ROUNDS = 4


def _draft(order_no, order_line_id, qty):
    return intake.ReturnDraft(
        order_no=order_no, channel=Channel.COUNTER, refund_method=RefundMethod.ORIGINAL_PAYMENT,
        lines=(intake.DraftLine(order_line_id, qty, "changed_mind", conditions_met=MET),),
    )


def _returning(actor, draft):
    return lambda station_ctx: intake.create_return(station_ctx, actor, draft)


def _authorizing(actor, rma):
    return lambda station_ctx: intake.authorize_return(station_ctx, actor, rma)


def _rejecting(actor, rma, reason):
    return lambda station_ctx: intake.reject_return(station_ctx, actor, rma, reason)


def _at_once(ctx, *calls):
    """Run each ``call(station_ctx)`` in its own thread with its own Database; return outcomes
    (the result or the exception) in call order."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)
    databases = [Database.open(ctx.db.url) for _ in calls]

    def worker(i):
        station = ServiceContext(db=databases[i], clock=ctx.clock, station=f"COUNTER-{i + 1}")
        try:
            barrier.wait(timeout=30)
            outcomes[i] = calls[i](station)
        except Exception as exc:
            outcomes[i] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a station never finished"
    for db in databases:
        db.dispose()
    return outcomes


def _line_totals(ctx, order_line_id):
    with ctx.db.read() as s:
        return s.execute(
            select(SalesOrderLine.quantity, SalesOrderLine.qty_returned, SalesOrderLine.qty_in_process)
            .where(SalesOrderLine.id == order_line_id)
        ).one()


def test_two_counters_cannot_return_more_than_was_bought(ctx):
    world = build_world(ctx)
    for _ in range(ROUNDS):
        order_no = make_order(world, [("AP-2001", 4)])
        shirt = sales.get_sale(ctx, world.clerk, order_no).lines[0].order_line_id
        # 2 + 3 > 4: exactly one of them fits.
        outcomes = _at_once(
            ctx,
            _returning(world.clerk, _draft(order_no, shirt, 2)),
            _returning(world.clerk2, _draft(order_no, shirt, 3)),
        )
        winners = [o for o in outcomes if not isinstance(o, Exception)]
        losers = [o for o in outcomes if isinstance(o, Exception)]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        assert isinstance(losers[0], ValidationFailed), repr(losers[0])
        assert "can still be returned" in losers[0].problems[0]
        won_qty = winners[0].lines[0].qty_requested
        quantity, returned, in_process = _line_totals(ctx, shirt)
        assert in_process == won_qty and returned + in_process <= quantity
        with ctx.db.read() as s:
            held = s.execute(
                select(func.sum(ReturnLine.qty_requested)).where(ReturnLine.order_line_id == shirt)
            ).scalar_one()
        assert held == won_qty
    assert audit.verify_chain(ctx).ok


def test_two_counters_returning_different_lines_both_succeed_with_distinct_rmas(ctx):
    world = build_world(ctx)
    for _ in range(ROUNDS):
        order_no = make_order(world, [("AP-2001", 1), ("HM-4001", 1)])
        ids = {ln.sku: ln.order_line_id for ln in sales.get_sale(ctx, world.clerk, order_no).lines}
        outcomes = _at_once(
            ctx,
            _returning(world.clerk, _draft(order_no, ids["AP-2001"], 1)),
            _returning(world.clerk2, _draft(order_no, ids["HM-4001"], 1)),
        )
        assert not any(isinstance(o, Exception) for o in outcomes), outcomes
        assert outcomes[0].rma_no != outcomes[1].rma_no
        assert _line_totals(ctx, ids["AP-2001"])[2] == 1 and _line_totals(ctx, ids["HM-4001"])[2] == 1
    with ctx.db.read() as s:
        assert s.execute(select(func.count(func.distinct(Return.rma_no)))).scalar_one() == 2 * ROUNDS


@pytest.mark.parametrize("second", ["authorize", "reject"])
def test_authorize_against_authorize_or_reject_one_wins(ctx, second):
    world = build_world(ctx)
    for _ in range(ROUNDS):
        order_no = make_order(world, [("HM-4001", 1)])
        mug = sales.get_sale(ctx, world.clerk, order_no).lines[0].order_line_id
        rma = intake.create_return(ctx, world.clerk, _draft(order_no, mug, 1)).rma_no
        if second == "authorize":
            other = _authorizing(world.supervisor, rma)
        else:
            other = _rejecting(world.supervisor, rma, "Worn")
        outcomes = _at_once(ctx, _authorizing(world.clerk2, rma), other)
        errors = [o for o in outcomes if isinstance(o, Exception)]
        assert len(errors) == 1 and isinstance(errors[0], IllegalTransition), outcomes
        with ctx.db.read() as s:
            status = s.execute(select(Return.status).where(Return.rma_no == rma)).scalar_one()
        winner = next(o for o in outcomes if not isinstance(o, Exception))
        assert status == winner.status
        # Rejecting gives the unit back; an authorized return still holds it.
        assert _line_totals(ctx, mug)[2] == (0 if status == "rejected" else 1)
        assert f"it is {status}" in errors[0].message
