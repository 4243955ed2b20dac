"""Units of an order line and their fixed shares: any interleaving of partial returns of a line
(taken, cancelled, rejected, refunded in any order) refunds exactly what was paid, tax and
shipping."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.money import allocate
from returndesk.domain.policy import PolicyRules
from returndesk.domain.refund import compute_line_refund
from returndesk.domain.units import (
    format_units,
    free_units,
    line_shipping_shares,
    parse_units,
    share_of_units,
)


@given(st.sets(st.integers(0, 60)))
def test_unit_sets_read_back_as_written(units):
    text = format_units(units)
    assert parse_units(text) == tuple(sorted(units))
    assert (text is None) == (not units)


def test_unit_ranges():
    assert format_units([5, 0, 1, 2, 7, 8]) == "0-2,5,7-8"
    assert parse_units("0-2,5") == (0, 1, 2, 5)
    with pytest.raises(ValueError):
        parse_units("2-1")
    with pytest.raises(ValueError):
        parse_units("1,1")


@given(total=st.integers(0, 10**7), quantity=st.integers(1, 40), data=st.data())
def test_share_of_units_is_the_allocation(total, quantity, data):
    units = data.draw(st.sets(st.integers(0, quantity - 1)))
    parts = allocate(total, [1] * quantity)
    assert share_of_units(total, quantity, tuple(units)) == sum(parts[i] for i in units)


def test_the_example_line_three_mugs_for_146_99():
    assert [share_of_units(14699, 3, (i,)) for i in range(3)] == [4900, 4900, 4899]
    assert [share_of_units(1691, 3, (i,)) for i in range(3)] == [564, 564, 563]
    # Shipping of 10.00 over three units: the shares add up to the shipping.
    assert [share_of_units(1000, 3, (i,)) for i in range(3)] == [334, 333, 333]


def test_free_units_are_the_lowest_not_taken():
    assert free_units(5, {0, 2}, 2) == (1, 3)
    with pytest.raises(ValidationFailed):
        free_units(3, {0, 1}, 2)


def test_a_unit_outside_the_line_is_refused():
    with pytest.raises(ValidationFailed):
        share_of_units(100, 2, (2,))
    with pytest.raises(ValidationFailed):
        share_of_units(100, 2, (1, 1))


# Steps of a line's life: open k units, cancel a return, receive one with some units rejected,
# refund one, refuse one's refund. Units are taken, kept and freed by the rules of domain.units.
STEPS = st.lists(
    st.tuples(st.sampled_from(["open", "cancel", "inspect", "refund", "refuse"]),
              st.integers(0, 9), st.integers(1, 4)),
    max_size=30,
)


@given(quantity=st.integers(1, 12), paid=st.integers(0, 10**6), tax_pct=st.integers(0, 17),
       shipping=st.integers(0, 5000), other_line=st.integers(0, 10**5), steps=STEPS)
def test_any_interleaving_of_partial_returns_sums_to_paid_tax_and_shipping(
    quantity, paid, tax_pct, shipping, other_line, steps
):
    tax = paid * tax_pct // 117
    line_shipping = line_shipping_shares(shipping, [paid, other_line])[0]
    rules = PolicyRules()
    taken: set[int] = set()
    open_: list[tuple[int, ...]] = []  # requested, not inspected
    waiting: list[tuple[tuple[int, ...], int]] = []  # units kept, of which the first n accepted
    refunded = refunded_tax = refunded_shipping = 0

    def refund(units: tuple[int, ...]) -> None:
        nonlocal refunded, refunded_tax, refunded_shipping
        if not units:
            return
        lr = compute_line_refund(paid_total=paid, purchased_qty=quantity, accepted_qty=len(units), units=units,
                                 already_refunded=refunded, grade="A", vendor_fault=True, rules=rules,
                                 tax_total=tax)
        assert lr.net == lr.gross == share_of_units(paid, quantity, units)
        refunded += lr.net
        refunded_tax += lr.tax_part
        refunded_shipping += share_of_units(line_shipping, quantity, units)

    for step, pick, n in steps:
        free = quantity - len(taken)
        if step == "open" and free:
            units = free_units(quantity, taken, min(n, free))
            taken |= set(units)
            open_.append(units)
        elif step == "cancel" and open_:
            taken -= set(open_.pop(pick % len(open_)))
        elif step == "inspect" and open_:
            units = open_.pop(pick % len(open_))
            kept = max(len(units) - n + 1, 1)  # the highest units never arrived: freed
            taken -= set(units[kept:])
            accepted = max(kept - pick % 2, 0) if kept > 1 else kept
            waiting.append((units[:kept], accepted))
        elif step == "refund" and waiting:
            units, accepted = waiting.pop(pick % len(waiting))
            refund(units[:accepted])
            taken -= set(units[accepted:])  # rejected units go back to the customer
        elif step == "refuse" and waiting:
            units, _ = waiting.pop(pick % len(waiting))
            taken -= set(units)
    for units in open_:
        waiting.append((units, len(units)))
    for units, accepted in waiting:
        refund(units[:accepted])
        taken -= set(units[accepted:])
    rest = free_units(quantity, taken, quantity - len(taken))
    refund(rest)
    assert (refunded, refunded_tax, refunded_shipping) == (paid, tax, line_shipping)


@given(shipping=st.integers(0, 10**5), paid=st.lists(st.integers(0, 10**6), min_size=1, max_size=6))
def test_line_shipping_shares_add_up(shipping, paid):
    assert sum(line_shipping_shares(shipping, paid)) == shipping


def test_a_deducted_refund_of_the_same_units_is_the_same_whatever_came_before():
    rules = PolicyRules()
    common = dict(paid_total=14699, purchased_qty=3, accepted_qty=1, grade="B", vendor_fault=False,
                  rules=rules, tax_total=1691)
    alone = compute_line_refund(units=(2,), already_refunded=0, **common)
    after_others = compute_line_refund(units=(2,), already_refunded=9800, **common)
    assert alone == after_others
    assert alone.gross == 4899 and alone.factor == Decimal(rules.grade_factors["B"])
