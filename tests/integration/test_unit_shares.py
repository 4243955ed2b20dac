"""Money to the cent across partial returns of one order line: each unit keeps its own share of
paid, tax and shipping, whatever other returns of the line are open, refunded, cancelled or
rejected, so the refunds of a line add up exactly to what was paid."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from returndesk.services.usecases import approval, finance, intake, refunds
from returndesk.store.schema import Refund, RefundLine, Return, ReturnLine, SalesOrder, SalesOrderLine

from .factories import build_world, make_order
from .money_support import LineSpec, receive_and_inspect, take_return

pytestmark = pytest.mark.both_databases("money to the cent: shares summed in SQL (numeric on PostgreSQL)")


def _expected(ctx, rma):
    with ctx.db.read() as s:
        return s.execute(
            select(Return.refund_total_minor, Return.shipping_refund_minor).where(Return.rma_no == rma)
        ).one()


def _refund_all(world, rmas, specs):
    for rma in rmas:
        receive_and_inspect(world, rma, specs)
        approval.approve_refund(world.ctx, world.supervisor, rma)
    return [refunds.issue_refund(world.ctx, world.finance, rma).refund for rma in rmas]


def _refund_tax(ctx, refund_ids):
    with ctx.db.read() as s:
        return int(s.execute(
            select(func.coalesce(func.sum(RefundLine.tax_minor), 0)).where(RefundLine.refund_id.in_(refund_ids))
        ).scalar_one())


def test_three_open_returns_of_one_unit_each_refund_exactly_what_was_paid(ctx):
    world = build_world(ctx)
    # 3 mugs for 146.99 (tax 16.91): the units cost 49.00, 49.00 and 48.99.
    order_no = make_order(world, [("HM-4001", 3, 1)])
    spec = [LineSpec("HM-4001", 1)]
    rmas = [take_return(world, order_no, spec) for _ in range(3)]
    promised = [_expected(ctx, rma)[0] for rma in rmas]
    assert promised == [4900, 4900, 4899]
    paid = _refund_all(world, rmas, spec)
    # The RMA promises what is refunded for the same grade.
    assert [r.amount_minor for r in paid] == promised
    assert sum(r.amount_minor for r in paid) == 14699
    assert _refund_tax(ctx, [r.id for r in paid]) == 1691
    with ctx.db.read() as s:
        ol = s.execute(select(SalesOrderLine)).scalar_one()
        assert (ol.qty_returned, ol.qty_in_process, ol.refunded_minor) == (3, 0, 14699)
        assert sorted(s.execute(select(ReturnLine.units_held)).scalars()) == ["0", "1", "2"]
    assert finance.check_books(ctx) == []


def test_shipping_shares_add_up_to_the_shipping_paid(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("HM-4001", 3)], shipping_minor=1000)
    spec = [LineSpec("HM-4001", 1, reason="wrong_item")]
    rmas = [take_return(world, order_no, spec) for _ in range(3)]
    assert [_expected(ctx, rma)[1] for rma in rmas] == [334, 333, 333]
    paid = _refund_all(world, rmas, spec)
    assert sum(r.amount_minor for r in paid) == 3 * 4900 + 1000
    assert [_expected(ctx, rma)[1] for rma in rmas] == [334, 333, 333]


def test_a_refused_refund_frees_the_units_and_their_shipping(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("HM-4001", 2, 1)], shipping_minor=1000)
    spec = [LineSpec("HM-4001", 2, reason="wrong_item")]
    first = take_return(world, order_no, spec)
    receive_and_inspect(world, first, spec)
    approval.reject_refund(ctx, world.supervisor, first, "The goods are not ours.")
    refunds.close_return(ctx, world.finance, first)
    second = take_return(world, order_no, spec)
    assert _expected(ctx, second) == (9799 + 1000, 1000)
    [paid] = _refund_all(world, [second], spec)
    assert paid.amount_minor == 9799 + 1000
    assert finance.check_books(ctx) == []


def test_a_cancelled_return_frees_its_units_for_the_next_at_the_same_price(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("HM-4001", 3, 1)])
    spec = [LineSpec("HM-4001", 1)]
    first, second = (take_return(world, order_no, spec) for _ in range(2))
    intake.cancel_return(ctx, world.clerk, first, "Customer changed their mind.")
    third = take_return(world, order_no, spec)
    fourth = take_return(world, order_no, spec)
    assert [_expected(ctx, rma)[0] for rma in (second, third, fourth)] == [4900, 4900, 4899]
    paid = _refund_all(world, [fourth, second, third], spec)
    assert sorted(r.amount_minor for r in paid) == [4899, 4900, 4900]


OPS = st.lists(
    st.tuples(st.sampled_from(["open", "cancel", "partial", "refund", "refuse"]),
              st.integers(0, 7), st.integers(1, 3)),
    max_size=8,
)


def test_any_interleaving_of_partial_returns_adds_up_to_paid_tax_and_shipping(ctx):
    world = build_world(ctx)

    # One database for all examples (each adds a sale), as in test_finance.
    @settings(max_examples=8, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(quantity=st.integers(2, 4), discount=st.integers(0, 7), shipping=st.integers(0, 1001), ops=OPS)
    @example(quantity=3, discount=1, shipping=1000, ops=[("open", 0, 1)] * 3 + [("partial", 0, 1)] * 3)
    @example(quantity=3, discount=2, shipping=1001,
             ops=[("open", 0, 2), ("open", 0, 1), ("partial", 1, 1), ("refuse", 0, 1), ("partial", 0, 2),
                  ("open", 0, 1), ("refund", 0, 1), ("cancel", 0, 1), ("open", 0, 3)])
    def interleaving(quantity, discount, shipping, ops):
        order_no = make_order(world, [("HM-4001", quantity, discount)], shipping_minor=shipping)
        free = quantity
        requested: list[tuple[str, int]] = []  # authorized, not received
        waiting: list[tuple[str, int]] = []  # inspected, awaiting approval; units held
        paid: list[int] = []
        for op, pick, n in ops:
            if op == "open" and free:
                qty = min(n, free)
                requested.append((take_return(world, order_no, [LineSpec("HM-4001", qty, reason="wrong_item")]), qty))
                free -= qty
            elif op == "cancel" and requested:
                rma, qty = requested.pop(pick % len(requested))
                intake.cancel_return(ctx, world.clerk, rma, "Not coming after all.")
                free += qty
            elif op == "partial" and requested:
                rma, qty = requested.pop(pick % len(requested))
                rejected = min(n, qty) - 1 if qty > 1 else 0
                receive_and_inspect(world, rma, [LineSpec("HM-4001", qty, reason="wrong_item", rejected=rejected)])
                waiting.append((rma, qty))
            elif op == "refund" and waiting:
                rma, qty = waiting.pop(pick % len(waiting))
                approval.approve_refund(ctx, world.supervisor, rma)
                paid.append(refunds.issue_refund(ctx, world.finance, rma).refund.id)
                with ctx.db.read() as s:  # rejected units went back to the customer: free again
                    free += qty - s.execute(select(ReturnLine.qty_accepted).join(Return)
                                            .where(Return.rma_no == rma)).scalar_one()
            elif op == "refuse" and waiting:
                rma, qty = waiting.pop(pick % len(waiting))
                approval.reject_refund(ctx, world.supervisor, rma, "Refused for the test.")
                free += qty
        # Everything still open is refunded, and whatever is free is returned last.
        for rma, qty in requested:
            receive_and_inspect(world, rma, [LineSpec("HM-4001", qty, reason="wrong_item")])
            waiting.append((rma, qty))
        for rma, _ in waiting:
            approval.approve_refund(ctx, world.supervisor, rma)
            paid.append(refunds.issue_refund(ctx, world.finance, rma).refund.id)
        with ctx.db.read() as s:
            ol_id = s.execute(select(SalesOrderLine.id).join(SalesOrder)
                              .where(SalesOrder.order_no == order_no)).scalar_one()
            free = quantity - s.get(SalesOrderLine, ol_id).qty_returned
        if free:
            spec = [LineSpec("HM-4001", free, reason="wrong_item")]
            rma = take_return(world, order_no, spec)
            receive_and_inspect(world, rma, spec)
            approval.approve_refund(ctx, world.supervisor, rma)
            paid.append(refunds.issue_refund(ctx, world.finance, rma).refund.id)
        with ctx.db.read() as s:
            order = s.execute(select(SalesOrder).where(SalesOrder.order_no == order_no)).scalar_one()
            ol = s.execute(select(SalesOrderLine).where(SalesOrderLine.order_id == order.id)).scalar_one()
            total = int(s.execute(select(func.sum(Refund.amount_minor)).where(Refund.id.in_(paid))).scalar_one())
            assert (ol.qty_returned, ol.qty_in_process, ol.refunded_minor) == (quantity, 0, ol.paid_minor)
            line_paid, line_tax = ol.paid_minor, ol.tax_minor
        assert total == line_paid + shipping
        assert _refund_tax(ctx, paid) == line_tax
        assert finance.check_books(ctx) == []

    interleaving()


@pytest.mark.database_owner("migrations run with the owner's login")
def test_the_migration_gives_existing_returns_the_units_they_hold(ctx):
    from alembic import command

    from returndesk.store.migrate import alembic_config

    world = build_world(ctx)
    order_no = make_order(world, [("HM-4001", 4)])
    refunded = take_return(world, order_no, [LineSpec("HM-4001", 2)])
    _refund_all(world, [refunded], [LineSpec("HM-4001", 2)])
    waiting = take_return(world, order_no, [LineSpec("HM-4001", 1)])
    receive_and_inspect(world, waiting, [LineSpec("HM-4001", 1)])
    cancelled = take_return(world, order_no, [LineSpec("HM-4001", 1)])
    intake.cancel_return(ctx, world.clerk, cancelled, "Not coming.")
    requested = take_return(world, order_no, [LineSpec("HM-4001", 1)])

    def units():
        with ctx.db.read() as s:
            return dict(s.execute(select(Return.rma_no, ReturnLine.units_held).join(ReturnLine)).all())

    written = units()
    assert written == {refunded: "0-1", waiting: "2", cancelled: None, requested: "3"}
    config = alembic_config(ctx.db.engine)
    # The schema is the newest (another test may have left a made-up revision in the shared database).
    command.stamp(config, "head", purge=True)
    command.downgrade(config, "-1")
    command.upgrade(config, "head")
    assert units() == written
