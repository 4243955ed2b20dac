"""What the inspection station remembers between scans about the return that is open.

The database keeps every unit as soon as it is scanned; this is only the station's working memory:
which line is current, which unit was scanned last, the grade and disposition the next units of
each line get, and whether the next scan is taken as a wrong item or as a serial number. Plain
Python (no Qt, no database), so the rules can be read and tested on their own.

The rules (shown on screen in the legend):

* A unit gets its line's *default*: grade A and the disposition that goes with its grade (A and B
  restock) unless a grade or disposition was given for that line.
* A grade or disposition (number key, function key or command barcode) applies to the unit
  scanned last, if there is one, and becomes the default for the next units of that unit's line.
  Without a unit scanned last (just opened, after "next line" or "undo") it becomes the default
  of the current line.
* The current line (marked ▶) is the line of the unit scanned last; "next line" moves it on to
  the next line that still expects units. "Short" closes the current line as short.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from returndesk.domain.scan import ItemScan, is_valid_gtin
from returndesk.domain.types import Disposition, Grade, UnitOutcome
from returndesk.api.types import ReturnDetail, ReturnLineView

_COUNTED = (UnitOutcome.ACCEPTED.value, UnitOutcome.REJECTED.value)


@dataclass(frozen=True)
class LineDefaults:
    """The grade and disposition the next unit of a line gets; ``disposition`` None: by grade."""

    grade: Grade = Grade.A
    disposition: Disposition | None = None

    @property
    def is_standard(self) -> bool:
        return self.grade is Grade.A and self.disposition is None


@dataclass(frozen=True)
class HeldItem:
    """An item of a serial-tracked line, scanned without its serial: waits for the serial scan."""

    code: str
    line_id: int
    sku: str


def counted_units(detail: ReturnDetail, line_id: int) -> int:
    """Units counted against a line (accepted or rejected; over units are not counted)."""
    return sum(1 for u in detail.units if u.return_line_id == line_id and u.outcome in _COUNTED)


def over_units(detail: ReturnDetail, line_id: int) -> int:
    return sum(1 for u in detail.units if u.return_line_id == line_id and u.outcome == UnitOutcome.OVER.value)


def authorized_units(line: ReturnLineView) -> int:
    """Units the line expects in the parcel (authorized; the request before authorization)."""
    return line.qty_authorized or line.qty_requested


def expects_units(detail: ReturnDetail, line: ReturnLineView) -> bool:
    """True while a line still waits for units (a line closed short is reopened by its unit)."""
    return counted_units(detail, line.id) < authorized_units(line)


def line_open(detail: ReturnDetail, line: ReturnLineView) -> bool:
    """True while a line waits for units and is not closed short."""
    return not line.short_closed and expects_units(detail, line)


def _gtin14(code: str | None) -> str | None:
    if code and is_valid_gtin(code):
        return code.zfill(14)
    return None


def item_matches(line: ReturnLineView, scan: ItemScan) -> bool:
    """True when ``scan`` names the product of ``line`` (GTIN in any length, SKU or barcode)."""
    code = scan.code.upper()
    if code == line.sku.upper():
        return True
    if line.barcode and code == line.barcode.upper():
        return True
    return scan.gtin is not None and scan.gtin == _gtin14(line.barcode)


@dataclass
class InspectionState:
    """The station's working memory for the open return (see the module docstring)."""

    detail: ReturnDetail | None = None
    current_line_id: int | None = None
    last_unit_id: int | None = None
    defaults: dict[int, LineDefaults] = field(default_factory=dict)
    wrong_item_armed: bool = False
    held_item: HeldItem | None = None
    #: Units this station recorded on the open return since it was opened (for "changed elsewhere").
    units_here: int = 0

    # ------------------------------------------------------------------ opening and closing
    def open(self, detail: ReturnDetail) -> None:
        """Start on ``detail``: the first line still expecting units is current."""
        self.close()
        self.detail = detail
        self.current_line_id = self.first_open_line_id()

    def close(self) -> None:
        self.detail = None
        self.current_line_id = None
        self.last_unit_id = None
        self.defaults = {}
        self.wrong_item_armed = False
        self.held_item = None
        self.units_here = 0

    @property
    def rma(self) -> str | None:
        return self.detail.rma_no if self.detail is not None else None

    def update(self, detail: ReturnDetail) -> None:
        """Take a newer state of the same return (after a unit, or a reload)."""
        self.detail = detail
        ids = {line.id for line in detail.lines}
        if self.current_line_id not in ids:
            self.current_line_id = self.first_open_line_id()
        if self.last_unit_id is not None and all(u.id != self.last_unit_id for u in detail.units):
            self.last_unit_id = None  # undone here or at another station
        self.defaults = {k: v for k, v in self.defaults.items() if k in ids}

    # ------------------------------------------------------------------ lines
    def line(self, line_id: int | None) -> ReturnLineView | None:
        if self.detail is None or line_id is None:
            return None
        return next((line for line in self.detail.lines if line.id == line_id), None)

    @property
    def current_line(self) -> ReturnLineView | None:
        return self.line(self.current_line_id)

    def first_open_line_id(self) -> int | None:
        if self.detail is None or not self.detail.lines:
            return None
        for line in self.detail.lines:
            if line_open(self.detail, line):
                return line.id
        return self.detail.lines[0].id

    def next_line(self) -> ReturnLineView | None:
        """Move the current line on to the next line that still expects units (wrapping round;
        any next line when none does). Forgets the unit scanned last."""
        if self.detail is None or not self.detail.lines:
            return None
        lines = list(self.detail.lines)
        start = next((i for i, line in enumerate(lines) if line.id == self.current_line_id), -1)
        order = lines[start + 1:] + lines[: start + 1]
        chosen = next((line for line in order if line_open(self.detail, line)), order[0])
        self.current_line_id = chosen.id
        self.last_unit_id = None
        return chosen

    def match_line(self, scan: ItemScan) -> ReturnLineView | None:
        """The line a scanned item will most likely be counted against: the first matching line
        that still expects units, else the first matching line; None for an item on no line."""
        if self.detail is None:
            return None
        matches = [line for line in self.detail.lines if item_matches(line, scan)]
        for line in matches:
            if expects_units(self.detail, line):
                return line
        return matches[0] if matches else None

    def needs_serial(self, line: ReturnLineView | None, scan: ItemScan) -> bool:
        """True when the unit will be counted on a serial-tracked line and the scan has no serial."""
        return (
            self.detail is not None and line is not None and line.serial_tracked and not scan.serial
            and expects_units(self.detail, line)
        )

    # ------------------------------------------------------------------ defaults
    def defaults_for(self, line_id: int | None) -> LineDefaults:
        if line_id is None:
            return LineDefaults()
        return self.defaults.get(line_id, LineDefaults())

    def set_default(self, line_id: int | None, *, grade: Grade | None = None,
                    disposition: Disposition | None = None) -> LineDefaults:
        """Change the default of a line (grade and/or disposition); returns the new default."""
        current = self.defaults_for(line_id)
        new = LineDefaults(grade or current.grade, disposition or current.disposition)
        if line_id is not None:
            self.defaults[line_id] = new
        return new

    # ------------------------------------------------------------------ units
    def unit_recorded(self, detail: ReturnDetail, unit_id: int, line_id: int | None) -> None:
        self.update(detail)
        self.last_unit_id = unit_id
        self.units_here += 1
        if line_id is not None:
            self.current_line_id = line_id
        self.wrong_item_armed = False
        self.held_item = None

    def unit_undone(self, detail: ReturnDetail, line_id: int | None) -> None:
        self.update(detail)
        self.last_unit_id = None
        if line_id is not None:
            self.current_line_id = line_id

    def last_unit_line_id(self) -> int | None:
        if self.detail is None or self.last_unit_id is None:
            return None
        unit = next((u for u in self.detail.units if u.id == self.last_unit_id), None)
        return unit.return_line_id if unit is not None else None

    @property
    def scanned(self) -> int:
        """Units counted so far on the open return (all lines)."""
        if self.detail is None:
            return 0
        return sum(counted_units(self.detail, line.id) for line in self.detail.lines)

    @property
    def expected(self) -> int:
        if self.detail is None:
            return 0
        return sum(authorized_units(line) for line in self.detail.lines)
