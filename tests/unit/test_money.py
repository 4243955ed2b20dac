"""Money in minor units: conversion, scaling, allocation and display."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from returndesk.domain.money import allocate, format_money, scale, to_major, to_minor


@pytest.mark.parametrize(
    ("text", "minor"),
    [("12.34", 1234), ("0.005", 1), ("0.004", 0), ("1,234.50", 123450), (" 7 ", 700), ("-2.50", -250)],
)
def test_to_minor(text: str, minor: int) -> None:
    assert to_minor(text) == minor


def test_to_minor_accepts_decimal_and_int() -> None:
    assert to_minor(Decimal("9.99")) == 999
    assert to_minor(3) == 300


def test_to_minor_refuses_floats() -> None:
    with pytest.raises(TypeError, match="float"):
        to_minor(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["abc", "", "NaN", "Infinity", "1.2.3"])
def test_to_minor_refuses_non_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount of money"):
        to_minor(text)


@settings(deadline=None)
@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_minor_major_round_trip(minor: int) -> None:
    assert to_minor(to_major(minor)) == minor
    assert to_major(minor).as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("minor", "factor", "expected"),
    [(1000, "0.8", 800), (5, "0.5", 3), (15, "0.1", 2), (14, "0.1", 1), (999, Decimal("0.333"), 333)],
)
def test_scale_rounds_half_up_once(minor: int, factor: object, expected: int) -> None:
    assert scale(minor, factor) == expected  # type: ignore[arg-type]


@settings(deadline=None)
@given(
    st.integers(min_value=0, max_value=10**12),
    st.decimals(min_value=0, max_value=1, places=4, allow_nan=False, allow_infinity=False),
)
def test_scale_stays_within_half_a_unit(minor: int, factor: Decimal) -> None:
    exact = Decimal(minor) * factor
    assert abs(Decimal(scale(minor, factor)) - exact) <= Decimal("0.5")
    assert 0 <= scale(minor, factor) <= minor


@settings(deadline=None)
@given(
    st.integers(min_value=-(10**9), max_value=10**12),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30),
)
def test_allocate_sums_exactly(total: int, weights: list[int]) -> None:
    parts = allocate(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts) == total


@settings(deadline=None)
@given(
    st.integers(min_value=0, max_value=10**12),
    st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=30),
)
def test_allocate_is_proportional_within_one_unit(total: int, weights: list[int]) -> None:
    parts = allocate(total, weights)
    wsum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Decimal(total) * weight / wsum
        assert Decimal(part) - exact < 1
        assert exact - Decimal(part) < 1
        assert part >= 0


def test_allocate_leftover_goes_to_earliest_of_equal_weights() -> None:
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(2, [1, 1, 1]) == [1, 1, 0]


def test_allocate_edge_cases() -> None:
    assert allocate(100, []) == []
    assert allocate(100, [0, 0]) == [100, 0]


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [(123450, "CNY", "¥1,234.50"), (-300, "CNY", "-¥3.00"), (5, "USD", "$0.05"), (100, "JPY", "JPY 1.00")],
)
def test_format_money(minor: int, currency: str, text: str) -> None:
    assert format_money(minor, currency) == text
