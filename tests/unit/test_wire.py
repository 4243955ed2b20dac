"""The API's JSON form: every value the protocol carries comes back as the same value and type."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from returndesk.api.wire import WireError, from_wire, to_wire
from returndesk.domain.types import Grade, ReturnStatus


class Colour(enum.StrEnum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True)
class Line:
    sku: str
    qty: int
    grade: Grade | None = None


@dataclass(frozen=True)
class Case:
    rma: str
    status: ReturnStatus
    lines: tuple[Line, ...]
    amount: Decimal
    created_at: datetime
    due: date | None
    tags: frozenset[str] = frozenset()
    by_colour: dict[Colour, int] = field(default_factory=dict)
    counts: dict[int, str] = field(default_factory=dict)
    pair: tuple[int, str] = (0, "")
    wait: timedelta = timedelta(0)
    folder: Path | None = None
    blob: bytes = b""


def _round_trip(value, tp):
    return from_wire(json.loads(json.dumps(to_wire(value))), tp)


def test_a_nested_dataclass_comes_back_equal():
    case = Case("R-1", ReturnStatus.AUTHORIZED, (Line("A", 2, Grade.B), Line("B", 1)), Decimal("12.30"),
                datetime(2026, 12, 3, 8, 30, tzinfo=timezone(timedelta(hours=8))), date(2026, 12, 31),
                frozenset({"x", "y"}), {Colour.RED: 2}, {7: "seven"}, (3, "three"), timedelta(minutes=5),
                Path("/tmp/x.pdf"), b"\x00\xffpdf")
    back = _round_trip(case, Case)
    assert back == case
    assert isinstance(back.lines, tuple) and isinstance(back.status, ReturnStatus)
    assert back.created_at.utcoffset() == timedelta(hours=8)


def test_wrong_shapes_are_refused():
    with pytest.raises(WireError):
        from_wire("3", int)
    with pytest.raises(WireError):
        from_wire(True, int)
    with pytest.raises(WireError):
        from_wire({"sku": "A"}, Line)
    with pytest.raises(WireError):
        to_wire(object())


@given(st.builds(
    Line, sku=st.text(max_size=20), qty=st.integers(-2**63, 2**63 - 1),
    grade=st.none() | st.sampled_from(Grade)))
def test_any_line_round_trips(line):
    assert _round_trip(line, Line) == line


@given(st.lists(st.tuples(st.decimals(allow_nan=False, allow_infinity=False),
                          st.datetimes(timezones=st.just(UTC)))))
def test_decimals_and_aware_datetimes_round_trip(values):
    assert _round_trip(tuple(values), tuple[tuple[Decimal, datetime], ...]) == tuple(values)


T = __import__("typing").TypeVar("T")


@dataclass(frozen=True)
class Box(__import__("typing").Generic[T]):
    items: tuple[T, ...]
    cursor: str | None = None


def test_a_generic_dataclass_decodes_its_items_by_the_argument():
    box = Box((Line("A", 1), Line("B", 2, Grade.D)), "c1")
    back = _round_trip(box, Box[Line])
    assert back == box and isinstance(back.items[1], Line)


def test_a_unions_options_are_tried_in_their_order_whichever_order_came_first():
    # Equal as hints (int | float == float | int), yet the first option that fits wins.
    assert type(from_wire(5, int | float)) is int
    assert type(from_wire(5, float | int)) is float
    assert type(from_wire([5], list[float | int])[0]) is float
    assert from_wire("2026-12-03", date | datetime) == date(2026, 12, 3)
    assert from_wire("2026-12-03", datetime | date) == datetime(2026, 12, 3)
