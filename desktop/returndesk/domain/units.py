"""The units of an order line, and each unit's fixed share of the money paid for the line.

An order line of ``quantity`` units is numbered 0 .. quantity-1. Each unit's share of the line's
paid amount, of its tax and of its part of the order's shipping is fixed once and for all by
largest remainder in unit order (``money.allocate`` with equal weights: the cents that do not
divide go to the first units). A return line holds a set of those unit numbers from the moment the
RMA is made; the refund of a unit is always worked out from the unit's own shares, so partial
returns of a line in any order, any overlap and any mix of cancelled, rejected and refunded returns
add up exactly to what was paid.

Within a return line, accepted units take the lowest numbers it holds, then rejected units; units
that never arrived free the highest ones. Unit sets are stored as text in ranges, ``"0-2,5"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .errors import ValidationFailed
from .money import allocate
from returndesk.domain.messages import msg


def parse_units(text: str | None) -> tuple[int, ...]:
    """``"0-2,5"`` -> ``(0, 1, 2, 5)``; empty or None -> ``()``. Raises ``ValueError`` for
    anything else (a damaged row, never user input)."""
    if not text or not text.strip():
        return ()
    found: list[int] = []
    for part in text.split(","):
        lo, sep, hi = part.strip().partition("-")
        first = int(lo)
        last = int(hi) if sep else first
        if first < 0 or last < first:
            raise ValueError(f"bad unit range {part!r}")
        found.extend(range(first, last + 1))
    ordered = tuple(sorted(set(found)))
    if len(ordered) != len(found):
        raise ValueError(f"unit listed twice in {text!r}")
    return ordered


def format_units(units: Iterable[int]) -> str | None:
    """``(0, 1, 2, 5)`` -> ``"0-2,5"``; no units -> None."""
    ordered = sorted(set(units))
    if not ordered:
        return None
    parts: list[str] = []
    start = prev = ordered[0]
    for n in [*ordered[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ",".join(parts)


def free_units(quantity: int, taken: Iterable[int], count: int) -> tuple[int, ...]:
    """The ``count`` lowest unit numbers of a line of ``quantity`` not in ``taken``.

    Raises ``ValidationFailed`` when fewer are free.
    """
    used = set(taken)
    free = [n for n in range(quantity) if n not in used]
    if count > len(free):
        raise ValidationFailed(
            msg(
                "Only {free_count} of the {quantity} units of the order line are still free to return; {count} were "
                "asked for.",
                free_count=len(free), quantity=quantity, count=count)
        )
    return tuple(free[:count])


def share_of_units(total: int, quantity: int, units: Sequence[int]) -> int:
    """The part of ``total`` (shared over ``quantity`` equal units by largest remainder, in unit
    order) that belongs to ``units``.

    Equal to ``sum(money.allocate(total, [1] * quantity)[i] for i in units)``, without the list.
    """
    if quantity <= 0:
        if units:
            raise ValidationFailed(msg("The order line has no units; nothing can be refunded."))
        return 0
    for n in units:
        if not 0 <= n < quantity:
            raise ValidationFailed(msg(
                "Unit {n} does not exist on a line of {quantity} units.",
                n=n + 1, quantity=quantity))
    if len(set(units)) != len(units):
        raise ValidationFailed(msg("A unit of the order line is counted twice."))
    base, extra = divmod(total, quantity)
    return len(units) * base + sum(1 for n in units if n < extra)


def line_shipping_shares(shipping: int, line_paid: Sequence[int]) -> list[int]:
    """The order's shipping shared over its lines in proportion to what was paid for each (largest
    remainder, ties to the earlier line); the parts add up to ``shipping`` exactly."""
    if not line_paid:
        return []
    return allocate(shipping, list(line_paid))


def average_unit_paid(paid_minor: int, quantity: int) -> int:
    """What one unit of a line cost on average (paid / quantity, rounded half up), for display.

    0 for a line without units. The refund of a unit never uses this: it uses the unit's own share
    (:func:`share_of_units`).
    """
    if quantity <= 0:
        return 0
    return (paid_minor * 2 + quantity) // (quantity * 2)
