"""Table models of the return detail page (see :mod:`.screen`).

* :class:`UnitsTableModel` — the units seen at inspection: line, SKU, serial, outcome, grade, the
  four checks, the disposition and the inspector's note;
* :class:`DocumentsTableModel` — the documents of the return that can be printed now, with the
  copies printed so far (the next copy carries the reprint mark);
* :class:`PrintLogTableModel` — every copy printed of the return's documents.

The lines and the timeline use the approval desk's models (the same columns, the same words).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from returndesk.api.types import PrintableDocument, PrintedCopy, UnitView
from returndesk.ui.i18n import tr_document_type, tr_unit_outcome
from returndesk.ui.screens.approval.models import (
    PROBLEM_COLOUR,
    QUIET_COLOUR,
    disposition_name,
    format_when,
)

RowRole = Qt.ItemDataRole.UserRole + 1  # the row's dataclass

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)


def _outcome(code: str) -> str:
    try:
        return tr_unit_outcome(code)
    except ValueError:
        return code


def _document(code: str) -> str:
    try:
        return tr_document_type(code)
    except ValueError:
        return code


class _RowsModel(QAbstractTableModel):
    """Rows of frozen dataclasses shown in fixed columns."""

    COLUMN_COUNT = 0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_value(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def _valid(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        return (index.isValid() and 0 <= index.row() < len(self._rows)
                and 0 <= index.column() < self.COLUMN_COUNT)

    def _titles(self) -> tuple[str, ...]:
        return ()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._titles()[section]
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1))


class UnitsTableModel(_RowsModel):
    """The units of a return seen at inspection, in scan order."""

    NUMBER, LINE, SKU, SERIAL, OUTCOME, GRADE, CHECKS, DISPOSITION, NOTE, WHO = range(10)
    COLUMN_COUNT = 10

    def _titles(self) -> tuple[str, ...]:
        return (self.tr("Unit"), self.tr("Line"), self.tr("SKU"), self.tr("Serial"), self.tr("Outcome"),
                self.tr("Grade"), self.tr("Checks"), self.tr("Disposition"), self.tr("Note"),
                self.tr("Inspected"))

    def _checks(self, unit: UnitView) -> str:
        names = (
            (unit.packaging_intact, self.tr("packaging")),
            (unit.accessories_complete, self.tr("accessories")),
            (unit.serial_matches, self.tr("serial")),
            (unit.functional, self.tr("function")),
        )
        asked = [(value, name) for value, name in names if value is not None]
        if not asked:
            return "—"
        failed = [name for value, name in asked if not value]
        if not failed:
            return self.tr("All passed")
        return self.tr("Failed: {checks}").format(checks=self.tr(", ").join(failed))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        unit: UnitView = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NUMBER:
                return str(unit.number)
            if column == self.LINE:
                return str(unit.line_no) if unit.line_no is not None else "—"
            if column == self.SKU:
                return unit.sku or unit.scanned_code or "—"
            if column == self.SERIAL:
                return unit.serial_no or "—"
            if column == self.OUTCOME:
                return _outcome(unit.outcome)
            if column == self.GRADE:
                return unit.grade or "—"
            if column == self.CHECKS:
                return self._checks(unit)
            if column == self.DISPOSITION:
                return disposition_name(unit.disposition) or "—"
            if column == self.NOTE:
                return unit.notes or ""
            if column == self.WHO:
                return self.tr("{who}, {when}").format(who=unit.inspected_by, when=format_when(unit.inspected_at))
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTER if column in (self.NUMBER, self.LINE, self.GRADE) else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.OUTCOME and unit.outcome != "accepted":
                return QBrush(QColor(PROBLEM_COLOUR))
            if column == self.CHECKS and False in (unit.packaging_intact, unit.accessories_complete,
                                                   unit.serial_matches, unit.functional):
                return QBrush(QColor(PROBLEM_COLOUR))
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NOTE and unit.notes:
            return unit.notes
        if role == RowRole:
            return unit
        return None


class DocumentsTableModel(_RowsModel):
    """The documents that can be printed now and how many copies exist already."""

    DOCUMENT, REFERENCE, COPIES = range(3)
    COLUMN_COUNT = 3

    def _titles(self) -> tuple[str, ...]:
        return (self.tr("Document"), self.tr("Reference"), self.tr("Printed"))

    def document(self, row: int) -> PrintableDocument:
        value: PrintableDocument = self._rows[row]
        return value

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        doc: PrintableDocument = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.DOCUMENT:
                name = _document(doc.doc_type.value)
                if doc.unit_number is not None:
                    return self.tr("{document} — unit {number} ({sku})").format(
                        document=name, number=doc.unit_number, sku=doc.sku or "—")
                return name
            if column == self.REFERENCE:
                return doc.reference
            if column == self.COPIES:
                if not doc.copies:
                    return self.tr("not yet")
                return self.tr("%n copy(ies); the next is a reprint", "", doc.copies)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COPIES and not doc.copies:
            return QBrush(QColor(QUIET_COLOUR))
        if role == RowRole:
            return doc
        return None


class PrintLogTableModel(_RowsModel):
    """Every copy printed of the return's documents, first first."""

    WHEN, DOCUMENT, REFERENCE, COPY, WHO, STATION, WHERE = range(7)
    COLUMN_COUNT = 7

    def _titles(self) -> tuple[str, ...]:
        return (self.tr("When"), self.tr("Document"), self.tr("Reference"), self.tr("Copy"), self.tr("Who"),
                self.tr("Station"), self.tr("Where"))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        copy: PrintedCopy = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.WHEN:
                return format_when(copy.printed_at)
            if column == self.DOCUMENT:
                return _document(copy.doc_type.value)
            if column == self.REFERENCE:
                return copy.reference
            if column == self.COPY:
                if copy.copy_no <= 1:
                    return self.tr("original")
                return self.tr("reprint {n}").format(n=copy.copy_no - 1)
            if column == self.WHO:
                return copy.printed_by or "—"
            if column == self.STATION:
                return copy.station or "—"
            if column == self.WHERE:
                return copy.destination
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column == self.COPY else _LEFT
        if role == RowRole:
            return copy
        return None
