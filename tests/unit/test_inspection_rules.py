"""The inspection rules without a database: the grade floor of failed checks, the worst grade and
the default disposition of a unit."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from returndesk.domain.inspection import (
    GRADE_ORDER,
    UnitChecks,
    default_disposition,
    grade_floor,
    line_disposition,
    worst_grade,
)
from returndesk.domain.types import Disposition, Grade, UnitOutcome
from returndesk.domain.units import average_unit_paid

checks = st.builds(
    UnitChecks,
    packaging_intact=st.sampled_from([None, True, False]),
    accessories_complete=st.sampled_from([None, True, False]),
    serial_matches=st.sampled_from([None, True, False]),
    functional=st.sampled_from([None, True, False]),
)


@pytest.mark.parametrize(("given_checks", "floor", "why"), [
    (UnitChecks(), Grade.A, None),
    (UnitChecks(True, True, True, True), Grade.A, None),
    (UnitChecks(packaging_intact=False), Grade.B, "the packaging is not intact"),
    (UnitChecks(accessories_complete=False), Grade.C, "accessories are missing"),
    (UnitChecks(functional=False), Grade.D, "it does not work"),
    (UnitChecks(packaging_intact=False, accessories_complete=False), Grade.C, "accessories are missing"),
    (UnitChecks(packaging_intact=False, accessories_complete=False, functional=False), Grade.D,
     "it does not work"),
    (UnitChecks(serial_matches=False), Grade.A, None),
])
def test_failed_checks_set_the_floor_of_the_worst_failure(given_checks, floor, why):
    assert grade_floor(given_checks) == (floor, why)


@given(checks)
def test_the_floor_has_a_reason_exactly_when_a_check_failed(c):
    floor, why = grade_floor(c)
    failed = False in (c.packaging_intact, c.accessories_complete, c.functional)
    assert (why is not None) == failed
    assert (floor is Grade.A) == (not failed)


@given(st.lists(st.sampled_from(list(Grade))))
def test_worst_grade_is_the_latest_in_grade_order(grades):
    worst = worst_grade(grades)
    if not grades:
        assert worst is None
    else:
        assert worst in grades
        assert all(GRADE_ORDER.index(g) <= GRADE_ORDER.index(worst) for g in grades)
        assert worst_grade([*grades, "A"]) is worst  # strings are read as grades too


def test_worst_grade_examples():
    assert worst_grade([Grade.B, Grade.A]) is Grade.B
    assert worst_grade((Grade.C, Grade.D, Grade.A)) is Grade.D
    assert worst_grade([]) is None


@pytest.mark.parametrize(("grade", "vendor_fault", "has_supplier", "expected"), [
    (Grade.A, False, False, Disposition.RESTOCK),
    (Grade.B, True, True, Disposition.RESTOCK),
    (Grade.C, True, True, Disposition.REFURBISH),
    (Grade.D, True, True, Disposition.RETURN_TO_VENDOR),
    (Grade.D, True, False, Disposition.SCRAP),
    (Grade.D, False, True, Disposition.SCRAP),
    (Grade.D, False, False, Disposition.SCRAP),
])
def test_disposition_follows_the_grade(grade, vendor_fault, has_supplier, expected):
    assert default_disposition(grade, vendor_fault=vendor_fault, has_supplier=has_supplier) is expected


@given(st.sampled_from(list(Grade)), st.booleans(), st.booleans(), st.sampled_from([None, True, False]),
       st.sampled_from(list(UnitOutcome)))
def test_units_that_are_not_the_sold_ones_go_back_to_the_customer(grade, vendor_fault, has_supplier,
                                                                   serial_matches, outcome):
    got = default_disposition(grade, vendor_fault=vendor_fault, has_supplier=has_supplier,
                              serial_matches=serial_matches, outcome=outcome)
    not_sold_unit = serial_matches is False or outcome in (UnitOutcome.OVER, UnitOutcome.WRONG_ITEM)
    assert (got is Disposition.RETURN_TO_CUSTOMER) == not_sold_unit
    if not not_sold_unit:
        assert got is default_disposition(grade, vendor_fault=vendor_fault, has_supplier=has_supplier)


@given(st.integers(0, 10**9), st.integers(1, 10_000))
def test_average_unit_paid_rounds_half_up(paid, quantity):
    expected = int((Decimal(paid) / Decimal(quantity)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert average_unit_paid(paid, quantity) == expected


@pytest.mark.parametrize(("paid", "quantity", "expected"), [(1000, 3, 333), (1001, 2, 501), (5, 0, 0), (5, -1, 0)])
def test_average_unit_paid_examples(paid, quantity, expected):
    assert average_unit_paid(paid, quantity) == expected


@given(st.lists(st.sampled_from(list(Disposition))))
def test_a_line_takes_the_disposition_most_of_its_units_got(dispositions):
    got = line_disposition(dispositions)
    if not dispositions:
        assert got is None
        return
    counts = {d: dispositions.count(d) for d in Disposition}
    most = max(counts.values())
    assert counts[Disposition(got)] == most
    # ties go to the first disposition in the enum's order
    assert got == next(d for d in Disposition if counts[d] == most).value


def test_line_disposition_examples():
    assert line_disposition(["scrap", "restock", "scrap"]) == "scrap"
    assert line_disposition([Disposition.SCRAP, Disposition.RESTOCK]) == "restock"
    assert line_disposition([None]) is None
