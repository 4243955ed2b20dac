"""The inspection rules: how checks floor a grade, and where a unit goes by default.

* Failed checks set a floor under the grade: packaging not intact -> at least B, accessories
  missing -> at least C, not functional -> D. The worse of the floor and the grade given counts.
* Disposition by grade: A and B -> restock; C -> refurbish; D -> return to vendor when the product
  has a supplier and the line's reason is the vendor's fault, else scrap.
* A serial number that was not sold on the order line (``serial_matches`` False) means this is not
  the unit that was sold: it goes back to the customer.
* Over-received and wrong items go back to the customer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .messages import msg
from .types import Disposition, Grade, UnitOutcome

#: Grades from best to worst.
GRADE_ORDER: tuple[Grade, ...] = (Grade.A, Grade.B, Grade.C, Grade.D)

#: Reasons that claim the goods are defective or damaged; a unit of such a line graded A or B
#: contradicts the claim. Other vendor faults (wrong item sent, not as described) fit any grade.
DEFECT_CLAIM_REASONS = frozenset({"defective", "damaged_in_transit"})


@dataclass(frozen=True)
class UnitChecks:
    """The inspector's checks of one unit; ``None`` means not checked."""

    packaging_intact: bool | None = None
    accessories_complete: bool | None = None
    serial_matches: bool | None = None
    functional: bool | None = None


def worst_grade(grades: Iterable[Grade | str]) -> Grade | None:
    """The worst of ``grades`` (D is worst); ``None`` for none."""
    found = [Grade(g) for g in grades]
    if not found:
        return None
    return max(found, key=GRADE_ORDER.index)


def grade_floor(checks: UnitChecks) -> tuple[Grade, str | None]:
    """The best grade a unit with these checks can have, and why in words (None: no floor)."""
    if checks.functional is False:
        return Grade.D, msg("it does not work")
    if checks.accessories_complete is False:
        return Grade.C, msg("accessories are missing")
    if checks.packaging_intact is False:
        return Grade.B, msg("the packaging is not intact")
    return Grade.A, None


def default_disposition(
    grade: Grade,
    *,
    vendor_fault: bool,
    has_supplier: bool,
    serial_matches: bool | None = None,
    outcome: UnitOutcome = UnitOutcome.ACCEPTED,
) -> Disposition:
    """Where a unit goes unless the inspector says otherwise (see the module docstring)."""
    if outcome in (UnitOutcome.OVER, UnitOutcome.WRONG_ITEM) or serial_matches is False:
        return Disposition.RETURN_TO_CUSTOMER
    grade = Grade(grade)
    if grade in (Grade.A, Grade.B):
        return Disposition.RESTOCK
    if grade is Grade.C:
        return Disposition.REFURBISH
    if vendor_fault and has_supplier:
        return Disposition.RETURN_TO_VENDOR
    return Disposition.SCRAP


def line_disposition(dispositions: Iterable[Disposition | str | None]) -> str | None:
    """The disposition most of a line's units got (ties: the first in the enum's order); None for
    a line without units (units without a disposition are not counted)."""
    tally: dict[str, int] = {}
    for d in dispositions:
        if d is not None:
            value = _DISPOSITION_VALUES.get(d) or Disposition(d).value  # (the lookup refuses what is none)
            tally[value] = tally.get(value, 0) + 1
    if not tally:
        return None
    return max(tally, key=lambda d: (tally[d], -_DISPOSITION_ORDER[d]))


#: Each disposition's place in the enum's order (ties of :func:`line_disposition`); and each
#: disposition's value by its value (a member of the enum finds its own value too, being equal to it).
_DISPOSITION_ORDER = {d.value: i for i, d in enumerate(Disposition)}
_DISPOSITION_VALUES: dict[Disposition | str, str] = {d.value: d.value for d in Disposition}
