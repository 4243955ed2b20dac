"""Refund arithmetic: unit prices, grade factors, restocking fees, caps, tax and shipping."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.money import allocate
from returndesk.domain.policy import PolicyRules
from returndesk.domain.refund import (
    LineRefund,
    compute_line_refund,
    compute_refund,
    paid_for_units,
    refund_methods_for,
    unit_paid,
)
from returndesk.domain.types import Channel, Grade, RefundMethod

RULES = PolicyRules.default()


def line(**overrides: object) -> LineRefund:
    args: dict[str, object] = {
        "paid_total": 10000,
        "purchased_qty": 1,
        "accepted_qty": 1,
        "previously_accepted_qty": 0,
        "already_refunded": 0,
        "grade": Grade.A,
        "vendor_fault": False,
        "rules": RULES,
        "tax_total": 0,
    }
    args.update(overrides)
    return compute_line_refund(**args)  # type: ignore[arg-type]


def assert_adds_up(refund: LineRefund) -> None:
    assert refund.gross - refund.grade_deduction - refund.restocking_fee - refund.cap_reduction == refund.net
    assert min(refund.net, refund.grade_deduction, refund.restocking_fee, refund.cap_reduction) >= 0


# ---------------------------------------------------------------- unit prices


def test_unit_paid_matches_allocate() -> None:
    # 100.00 over 3 units: 33.34, 33.33, 33.33 (the first unit carries the extra cent).
    assert [unit_paid(10000, 3, i) for i in range(3)] == [3334, 3333, 3333]
    assert [unit_paid(10000, 3, i) for i in range(3)] == allocate(10000, [1, 1, 1])


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=60))
def test_unit_prices_add_up_to_paid_total(total: int, qty: int) -> None:
    units = [unit_paid(total, qty, i) for i in range(qty)]
    assert units == allocate(total, [1] * qty)
    assert sum(units) == total
    assert max(units) - min(units) <= 1


@pytest.mark.parametrize(("qty", "index"), [(3, 3), (3, -1), (0, 0)])
def test_unit_paid_refuses_missing_units(qty: int, index: int) -> None:
    with pytest.raises(ValidationFailed):
        unit_paid(1000, qty, index)


def test_paid_for_units_refuses_too_many() -> None:
    with pytest.raises(ValidationFailed, match="do not exist"):
        paid_for_units(1000, 3, 2, 2)


@settings(deadline=None)
@given(
    st.integers(min_value=0, max_value=10**9),
    st.lists(st.integers(min_value=1, max_value=7), min_size=1, max_size=12),
)
def test_refunding_all_units_in_any_split_gives_back_exactly_the_paid_total(
    total: int, batches: list[int]
) -> None:
    qty = sum(batches)
    refunded = 0
    accepted = 0
    for batch in batches:
        r = line(
            paid_total=total, purchased_qty=qty, accepted_qty=batch,
            previously_accepted_qty=accepted, already_refunded=refunded,
        )
        assert r.factor == 1 and r.net == r.gross
        refunded += r.net
        accepted += batch
        assert refunded <= total
    assert refunded == total


@settings(deadline=None)
@given(
    st.integers(min_value=0, max_value=10**8),
    st.integers(min_value=0, max_value=10**8),
    st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=8),
)
def test_tax_parts_of_full_refunds_add_up_to_the_tax(total: int, tax_seed: int, batches: list[int]) -> None:
    tax = tax_seed % (total + 1)
    qty = sum(batches)
    accepted = refunded = tax_refunded = 0
    for batch in batches:
        r = line(
            paid_total=total, purchased_qty=qty, accepted_qty=batch,
            previously_accepted_qty=accepted, already_refunded=refunded, tax_total=tax,
            vendor_fault=True, grade=Grade.D,
        )
        accepted += batch
        refunded += r.net
        tax_refunded += r.tax_part
        assert 0 <= r.tax_part <= r.net
    assert (refunded, tax_refunded) == (total, tax)


# ---------------------------------------------------------------- factors and fees


def test_grade_a_customer_fault_is_full_refund() -> None:
    r = line(grade=Grade.A)
    assert (r.gross, r.factor, r.grade_deduction, r.restocking_fee, r.net) == (
        10000, Decimal(1), 0, 0, 10000,
    )


def test_grade_b_customer_fault_pays_restocking_fee() -> None:
    r = line(grade=Grade.B)
    assert (r.grade_deduction, r.restocking_fee, r.net) == (0, 1000, 9000)


def test_grade_c_customer_fault_factor_and_fee() -> None:
    r = line(grade=Grade.C)
    assert r.factor == Decimal("0.8")
    assert (r.grade_deduction, r.restocking_fee, r.net) == (2000, 1000, 7000)


def test_grade_d_customer_fault_factor_without_fee() -> None:
    r = line(grade=Grade.D)
    assert (r.grade_deduction, r.restocking_fee, r.net) == (5000, 0, 5000)


@pytest.mark.parametrize("grade", list(Grade))
def test_vendor_fault_refunds_in_full(grade: Grade) -> None:
    r = line(grade=grade, vendor_fault=True)
    assert (r.factor, r.grade_deduction, r.restocking_fee, r.net) == (Decimal(1), 0, 0, 10000)


def test_rounding_is_half_up_once_per_line() -> None:
    # 0.8 × 0.05 = 0.04 exactly; 0.8 × 0.03 = 0.024 -> 0.02; 0.5 × 0.01 = 0.005 -> 0.01 (half up).
    assert line(paid_total=5, grade=Grade.C).grade_deduction == 1
    assert line(paid_total=1, grade=Grade.D).net == 1
    assert line(paid_total=3, grade=Grade.D).net == 2  # 1.5 rounds up
    # Fee 10% of 0.05 = 0.005 -> 0.01.
    assert line(paid_total=5, grade=Grade.B).restocking_fee == 1


def test_fee_gives_way_rather_than_going_negative() -> None:
    rules = PolicyRules(
        grade_factors={Grade.A: Decimal(1), Grade.B: Decimal(1), Grade.C: Decimal("0.05"),
                       Grade.D: Decimal(0)},
        restocking_fee_pct=Decimal("0.10"),
    )
    r = line(grade=Grade.C, rules=rules)
    assert r.net == 0
    assert r.grade_deduction == 9500 and r.restocking_fee == 500


def test_fee_configurable() -> None:
    r = line(grade=Grade.B, rules=PolicyRules(restocking_fee_pct=Decimal("0.15")))
    assert r.restocking_fee == 1500


# ---------------------------------------------------------------- cap


def test_never_more_than_paid_minus_already_refunded() -> None:
    r = line(paid_total=10000, purchased_qty=2, accepted_qty=1, already_refunded=8000)
    assert r.gross == 5000
    assert r.net == 2000
    assert r.cap_reduction == 3000
    assert_adds_up(r)
    assert line(already_refunded=15000).net == 0


@settings(deadline=None)
@given(
    total=st.integers(min_value=0, max_value=10**7),
    qty=st.integers(min_value=1, max_value=20),
    data=st.data(),
    grade=st.sampled_from(list(Grade)),
    vendor_fault=st.booleans(),
    tax_share=st.integers(min_value=0, max_value=100),
)
def test_line_refund_invariants(
    total: int, qty: int, data: st.DataObject, grade: Grade, vendor_fault: bool, tax_share: int
) -> None:
    prev = data.draw(st.integers(min_value=0, max_value=qty))
    accepted = data.draw(st.integers(min_value=0, max_value=qty - prev))
    already = data.draw(st.integers(min_value=0, max_value=total + 1000))
    tax = total * tax_share // 100
    r = line(
        paid_total=total, purchased_qty=qty, accepted_qty=accepted, previously_accepted_qty=prev,
        already_refunded=already, grade=grade, vendor_fault=vendor_fault, tax_total=tax,
    )
    assert_adds_up(r)
    assert r.net <= max(0, total - already)
    assert r.net <= r.gross
    assert 0 <= r.tax_part <= r.net or r.net == 0 and r.tax_part == 0
    if vendor_fault:
        assert r.restocking_fee == 0 and r.grade_deduction == 0
    if grade not in (Grade.B, Grade.C) or vendor_fault:
        assert r.restocking_fee == 0


def test_tax_part_is_proportional_after_deductions() -> None:
    # 113.00 paid including 13.00 tax; grade C customer fault: net 70% -> tax 9.10.
    r = line(paid_total=11300, tax_total=1300, grade=Grade.C)
    assert r.net == 7910
    assert r.tax_part == 910


@pytest.mark.parametrize(
    "overrides",
    [
        {"accepted_qty": 2},
        {"previously_accepted_qty": 1},
        {"accepted_qty": -1},
        {"paid_total": -5},
        {"already_refunded": -1},
        {"tax_total": 20000},
        {"grade": "E"},
    ],
)
def test_invalid_line_inputs_are_refused(overrides: dict[str, object]) -> None:
    with pytest.raises((ValidationFailed, ValueError)):
        line(**overrides)


def test_too_many_accepted_message() -> None:
    with pytest.raises(ValidationFailed, match="would make 3 returned of 2 bought"):
        line(purchased_qty=2, previously_accepted_qty=1, accepted_qty=2)


# ---------------------------------------------------------------- the whole return


def test_compute_refund_totals_and_shipping_on_vendor_fault() -> None:
    lines = [line(grade=Grade.C), line(grade=Grade.A, vendor_fault=True, paid_total=5000)]
    b = compute_refund(lines, shipping_paid=1200, vendor_fault_any=True, rules=RULES)
    assert b.lines == tuple(lines)
    assert b.subtotal == 15000
    assert b.deductions == 3000
    assert b.shipping_refund == 1200
    assert b.total == 13200
    assert b.restocking_fees == 1000
    assert b.lines_net == 12000


def test_no_shipping_refund_on_customer_fault() -> None:
    b = compute_refund([line()], shipping_paid=1200, vendor_fault_any=False, rules=RULES)
    assert b.shipping_refund == 0
    assert b.total == 10000


def test_no_shipping_refund_when_policy_says_so() -> None:
    rules = PolicyRules(refund_shipping_on_vendor_fault=False)
    b = compute_refund([line()], shipping_paid=1200, vendor_fault_any=True, rules=rules)
    assert b.shipping_refund == 0


def test_refund_tax_total() -> None:
    b = compute_refund(
        [line(paid_total=11300, tax_total=1300), line(paid_total=2260, tax_total=260)],
        shipping_paid=0, vendor_fault_any=False, rules=RULES,
    )
    assert b.tax_total == 1560


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10**6),
            st.sampled_from(list(Grade)),
            st.booleans(),
        ),
        max_size=6,
    ),
    st.integers(min_value=0, max_value=10**5),
)
def test_breakdown_adds_up(specs: list[tuple[int, Grade, bool]], shipping: int) -> None:
    lines = [line(paid_total=p, grade=g, vendor_fault=v) for p, g, v in specs]
    vendor_any = any(v for _, _, v in specs)
    b = compute_refund(lines, shipping, vendor_any, RULES)
    assert b.subtotal - b.deductions + b.shipping_refund == b.total
    assert b.total == sum(x.net for x in lines) + b.shipping_refund
    assert b.shipping_refund == (shipping if vendor_any else 0)


def test_negative_shipping_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        compute_refund([], shipping_paid=-1, vendor_fault_any=True, rules=RULES)


@pytest.mark.parametrize("channel", list(Channel))
def test_cash_is_paid_out_at_the_counter_only(channel):
    methods = refund_methods_for(channel)
    assert (RefundMethod.CASH in methods) == (channel is Channel.COUNTER)
    assert set(methods) | {RefundMethod.CASH} == set(RefundMethod)
    assert refund_methods_for(channel.value) == methods


def test_a_product_exempt_from_the_restocking_fee_is_refunded_without_it():
    common = dict(paid_total=10000, purchased_qty=1, accepted_qty=1, already_refunded=0, grade="B",
                  vendor_fault=False, rules=PolicyRules.default())
    standard = compute_line_refund(**common)
    exempt = compute_line_refund(**common, fee_exempt=True)
    assert standard.restocking_fee == 1000 and exempt.restocking_fee == 0
    assert exempt.net == standard.net + 1000
