"""Table models of the inspection station.

* :class:`InspectionLinesTableModel` — the lines of the open return with what was scanned against
  each, the wrong items at the bottom, the line of the unit scanned last highlighted.
* :class:`WorklistTableModel` — a worklist (returns expected at the dock, returns waiting for
  inspection) over keyset pages: ``canFetchMore``/``fetchMore`` load the next page off the GUI
  thread as the view scrolls; the model never holds more than what has been scrolled through.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from returndesk.domain.inspection import default_disposition
from returndesk.domain.types import Disposition, Grade, UnitOutcome
from returndesk.api.types import InspectionUnitView, Page, ReturnDetail, ReturnLineView, ReturnSummary
from returndesk.ui.i18n import tr_disposition, tr_policy_status, tr_status
from returndesk.ui.paged_model import KeysetTableModel
from returndesk.ui.screens.inspection.state import LineDefaults, authorized_units, counted_units, over_units
from returndesk.ui.local_time import format_date, format_recent
from returndesk.ui.tasks import TaskRunner

_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ALIGN_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_ALIGN_CENTER = int(Qt.AlignmentFlag.AlignCenter)

#: Row colours: the line of the unit scanned last (ok / not ok), a line that is done, wrong items.
LAST_OK_BACKGROUND = "#c8e6c9"
LAST_WARNING_BACKGROUND = "#ffe082"
DONE_FOREGROUND = "#1b5e20"
WRONG_BACKGROUND = "#fff3e0"

LineRole = Qt.ItemDataRole.UserRole + 1  # ReturnLineView, or InspectionUnitView for a wrong item
SummaryRole = Qt.ItemDataRole.UserRole + 2  # ReturnSummary of a worklist row


def grade_letter(code: str | None) -> str:
    return Grade(code).value if code else ""


def disposition_name(code: Disposition | str | None) -> str:
    if not code:
        return ""
    try:
        return tr_disposition(code)
    except ValueError:
        return str(code)


def _tally(values: list[str]) -> str:
    """``["A", "A", "B"]`` -> ``"A ×2, B"`` (in order of first appearance)."""
    counts = Counter(values)
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return ", ".join(v if counts[v] == 1 else f"{v} ×{counts[v]}" for v in seen)


@dataclass(frozen=True)
class _Row:
    line: ReturnLineView | None
    unit: InspectionUnitView | None  # wrong items: the unit itself


class InspectionLinesTableModel(QAbstractTableModel):
    """The lines of the open return (one row per line, then one per wrong item).

    ``set_detail`` replaces everything; ``set_marks`` says which line is current (▶), which line
    the unit scanned last belongs to (highlighted, green or amber) and the per-line defaults shown
    in the "Next unit" column.
    """

    LINE, ITEM, SCANNED, ACCEPTED, GRADE, DISPOSITION, NEXT, POLICY = range(8)
    COLUMN_COUNT = 8

    def __init__(self, parent: QObject | None = None, *, chinese_names: bool = False) -> None:
        super().__init__(parent)
        self._detail: ReturnDetail | None = None
        self._rows: list[_Row] = []
        self._current_line_id: int | None = None
        self._last_unit: InspectionUnitView | None = None
        self._defaults: dict[int, LineDefaults] = {}
        self._chinese_names = chinese_names
        self._bold = QFont()
        self._bold.setBold(True)

    # ------------------------------------------------------------------ content
    def set_detail(self, detail: ReturnDetail | None) -> None:
        self.beginResetModel()
        self._detail = detail
        self._rows = []
        if detail is not None:
            self._rows = [_Row(line, None) for line in detail.lines]
            self._rows += [_Row(None, u) for u in detail.units if u.return_line_id is None]
        if self._last_unit is not None and (detail is None or all(u.id != self._last_unit.id for u in detail.units)):
            self._last_unit = None
        self.endResetModel()

    def set_marks(self, *, current_line_id: int | None, last_unit_id: int | None,
                  defaults: dict[int, LineDefaults]) -> None:
        self._current_line_id = current_line_id
        self._defaults = dict(defaults)
        self._last_unit = None
        if self._detail is not None and last_unit_id is not None:
            self._last_unit = next((u for u in self._detail.units if u.id == last_unit_id), None)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1))

    def set_chinese_names(self, chinese: bool) -> None:
        self._chinese_names = chinese
        self.retranslate()

    def detail(self) -> ReturnDetail | None:
        return self._detail

    def row_of_line(self, line_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.line is not None and r.line.id == line_id), None)

    def highlighted_row(self) -> int | None:
        """The row of the unit scanned last (its line, or the wrong item itself)."""
        unit = self._last_unit
        if unit is None:
            return None
        if unit.return_line_id is not None:
            return self.row_of_line(unit.return_line_id)
        return next((i for i, r in enumerate(self._rows) if r.unit is not None and r.unit.id == unit.id), None)

    # ------------------------------------------------------------------ model
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < self.COLUMN_COUNT:
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if row.line is not None:
                return self._line_text(row.line, column)
            assert row.unit is not None
            return self._wrong_item_text(row.unit, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (self.SCANNED, self.ACCEPTED):
                return _ALIGN_RIGHT
            if column in (self.LINE, self.GRADE):
                return _ALIGN_CENTER
            return _ALIGN_LEFT
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(index.row(), row)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.line is not None and self._line_done(row.line) and index.row() != self.highlighted_row():
                return QBrush(QColor(DONE_FOREGROUND))
            return None
        if role == Qt.ItemDataRole.FontRole:
            if index.row() == self.highlighted_row() or (
                row.line is not None and row.line.id == self._current_line_id and column == self.LINE
            ):
                return self._bold
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == LineRole:
            return row.line if row.line is not None else row.unit
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                self.tr("Line"), self.tr("Item"), self.tr("Scanned"), self.tr("Accepted"), self.tr("Grade"),
                self.tr("Disposition"), self.tr("Next unit"), self.tr("Policy"),
            )[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == self.NEXT:
                return self.tr("The grade and disposition the next unit of the line gets")
            if section == self.SCANNED:
                return self.tr("Units counted against the line of those it expects, and units over that")
        return None

    def retranslate(self) -> None:
        """Texts come from tr() at display time: tell the views to ask again."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1))

    # ------------------------------------------------------------------ cells
    def _units_of(self, line: ReturnLineView) -> list[InspectionUnitView]:
        assert self._detail is not None
        return [u for u in self._detail.units if u.return_line_id == line.id]

    def _line_done(self, line: ReturnLineView) -> bool:
        assert self._detail is not None
        return counted_units(self._detail, line.id) >= authorized_units(line)

    def product_name(self, line: ReturnLineView) -> str:
        if self._chinese_names and line.product_name_zh:
            return line.product_name_zh
        return line.product_name

    def _line_text(self, line: ReturnLineView, column: int) -> str:
        assert self._detail is not None
        if column == self.LINE:
            marker = "▶ " if line.id == self._current_line_id else ""
            return f"{marker}{line.line_no}"
        if column == self.ITEM:
            return f"{line.sku}  {self.product_name(line)}"
        if column == self.SCANNED:
            counted = counted_units(self._detail, line.id)
            over = over_units(self._detail, line.id)
            text = self.tr("{counted} / {expected}").format(
                counted=QLocale().toString(counted), expected=QLocale().toString(authorized_units(line)))
            if over:
                text = self.tr("{counted} +{over} over").format(counted=text, over=QLocale().toString(over))
            if line.short_closed:
                text = self.tr("{counted} (short)").format(counted=text)
            elif counted >= authorized_units(line):
                text = f"✓ {text}"
            return text
        if column == self.ACCEPTED:
            return QLocale().toString(sum(1 for u in self._units_of(line) if u.outcome == UnitOutcome.ACCEPTED.value))
        if column == self.GRADE:
            return _tally([grade_letter(u.grade) for u in self._units_of(line) if u.grade]) or "—"
        if column == self.DISPOSITION:
            return _tally([disposition_name(u.disposition) for u in self._units_of(line) if u.disposition]) or "—"
        if column == self.NEXT:
            return self.next_unit_text(self._defaults.get(line.id, LineDefaults()), line)
        if column == self.POLICY:
            return self._policy_status(line)
        return ""

    def next_unit_text(self, defaults: LineDefaults, line: ReturnLineView | None) -> str:
        """``"A · Restock"``: the grade and disposition the next unit of ``line`` gets."""
        if defaults.disposition is not None:
            disposition = disposition_name(defaults.disposition)
        else:
            disposition = self.default_disposition_text(defaults.grade, line)
        return self.tr("{grade} · {disposition}").format(grade=defaults.grade.value, disposition=disposition)

    def default_disposition_text(self, grade: Grade, line: ReturnLineView | None) -> str:
        """Where a unit of ``grade`` goes unless the inspector says otherwise
        (:func:`returndesk.domain.inspection.default_disposition`); the line does not say whether
        the product has a supplier, so a grade D vendor fault reads "return to vendor or scrap"."""
        vendor_fault = line is not None and line.reason_vendor_fault
        with_supplier, without = (default_disposition(grade, vendor_fault=vendor_fault, has_supplier=has)
                                  for has in (True, False))
        if with_supplier is without:
            return disposition_name(without)
        return self.tr("{rtv} or {scrap}").format(rtv=disposition_name(with_supplier),
                                                  scrap=disposition_name(without).lower())

    @staticmethod
    def _policy_status(line: ReturnLineView) -> str:
        try:
            return tr_policy_status(line.policy_status)
        except ValueError:
            return line.policy_status

    def policy_text(self, line: ReturnLineView) -> str:
        """The policy verdict of a line with its note, e.g. "Within policy: delivered 5 days ago"."""
        status = self._policy_status(line)
        return f"{status}: {line.policy_note}" if line.policy_note else status

    def _wrong_item_text(self, unit: InspectionUnitView, column: int) -> str:
        if column == self.LINE:
            return "—"
        if column == self.ITEM:
            return self.tr("Wrong item: {code}").format(code=unit.scanned_code or "?")
        if column == self.SCANNED:
            return QLocale().toString(1)
        if column == self.ACCEPTED:
            return QLocale().toString(0)
        if column == self.GRADE:
            return grade_letter(unit.grade) or "—"
        if column == self.DISPOSITION:
            return disposition_name(unit.disposition) or "—"
        return ""

    def _background(self, row_index: int, row: _Row) -> QBrush | None:
        if row_index == self.highlighted_row():
            unit = self._last_unit
            ok = unit is not None and unit.outcome == UnitOutcome.ACCEPTED.value
            return QBrush(QColor(LAST_OK_BACKGROUND if ok else LAST_WARNING_BACKGROUND))
        if row.unit is not None:
            return QBrush(QColor(WRONG_BACKGROUND))
        return None

    def _tooltip(self, row: _Row, column: int) -> str | None:
        if row.line is not None:
            line = row.line
            if column == self.ITEM:
                tips = [f"{line.sku}  {line.product_name}"]
                if line.product_name_zh:
                    tips.append(line.product_name_zh)
                if line.barcode:
                    tips.append(self.tr("Barcode {code}").format(code=line.barcode))
                if line.serial_tracked:
                    tips.append(self.tr("Serial-tracked: each unit needs its serial number"))
                if line.condition_notes:
                    tips.append(line.condition_notes)
                return "\n".join(tips)
            if column == self.POLICY:
                return self.policy_text(line)
            return None
        if row.unit is not None and column == self.ITEM:
            return self.tr("Scanned {code}: not on this return").format(code=row.unit.scanned_code or "?")
        return None


# --------------------------------------------------------------------------- worklists

PageFetcher = Callable[[str | None], Page[ReturnSummary]]  # after-cursor -> the next page


class WorklistTableModel(KeysetTableModel[ReturnSummary]):
    """Returns of one worklist, one keyset page at a time (see
    :class:`~returndesk.ui.paged_model.KeysetTableModel`). ``date_column`` names what the last
    column shows: ``"receive_by"`` (the date the parcel must arrive by) or ``"since"`` (when the
    return entered its status).
    """

    RMA, CUSTOMER, ITEMS, WHEN = range(4)
    COLUMN_COUNT = 4

    def __init__(self, fetch_page: PageFetcher, tasks: TaskRunner, *, date_column: str = "since",
                 parent: QObject | None = None) -> None:
        if date_column not in ("since", "receive_by"):
            raise ValueError(f"date_column must be 'since' or 'receive_by', not {date_column!r}")
        super().__init__(fetch_page, tasks, task_name="inspection-worklist", parent=parent)
        self._date_column = date_column

    def row_key(self, row: ReturnSummary) -> int:
        # A row that moved while paging (keyset cursors never repeat one, but a reload may race)
        # is shown once.
        return row.id

    def summary(self, row: int) -> ReturnSummary:
        return self.row_value(row)

    def row_of(self, rma_no: str) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.rma_no == rma_no), None)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < self.COLUMN_COUNT:
            return None
        item = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN_RIGHT if column == self.ITEMS else _ALIGN_LEFT
        if role == Qt.ItemDataRole.ForegroundRole and column == self.WHEN and self._date_column == "receive_by":
            if item.receive_by is not None and item.receive_by < date.today():
                return QBrush(QColor("#c62828"))  # overdue: the parcel should have arrived
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [item.rma_no, self._status(item.status), self.tr("order {order}").format(order=item.order_no)]
            if item.customer_name:
                parts.append(item.customer_name)
            if item.customer_phone:
                parts.append(item.customer_phone)
            return " · ".join(parts)
        if role == SummaryRole:
            return item
        return None

    @staticmethod
    def _status(code: str) -> str:
        try:
            return tr_status(code)
        except ValueError:
            return code  # a status this version does not know (a newer station wrote it)

    def _display(self, item: ReturnSummary, column: int) -> str:
        if column == self.RMA:
            return item.rma_no
        if column == self.CUSTOMER:
            return item.customer_name or ""
        if column == self.ITEMS:
            return QLocale().toString(item.item_count)
        if column == self.WHEN:
            if self._date_column == "receive_by":
                if item.receive_by is None:
                    return "—"
                return format_date(item.receive_by)
            return format_recent(item.status_changed_at)
        return ""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        when = self.tr("Due by") if self._date_column == "receive_by" else self.tr("Since")
        titles = (self.tr("RMA"), self.tr("Customer"), self.tr("Items"), when)
        return titles[section] if 0 <= section < len(titles) else None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1))
