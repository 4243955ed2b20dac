"""Small read-only tables filled from a list of rows, and amounts typed by the user.

For lists that fit in one read (users, stations, sites, reasons, totals); long lists page
through :class:`~returndesk.ui.paged_model.KeysetTableModel` instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
)

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.money import to_minor

ValueRole = Qt.ItemDataRole.UserRole + 1


def model_table(model: QAbstractItemModel, object_name: str, *, multi: bool = False) -> QTableView:
    """A worklist's view of ``model``: whole rows selected (several with ``multi``), columns sized
    to their contents, the last one stretched, long texts elided."""
    view = QTableView()
    view.setObjectName(object_name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                          else QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    return view


def make_table(object_name: str, *, stretch_last: bool = True) -> QTableWidget:
    """A read-only table of whole rows, one selected at a time."""
    table = QTableWidget()
    table.setObjectName(object_name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_last)
    return table


def set_headers(table: QTableWidget, titles: Sequence[str]) -> None:
    table.setColumnCount(len(titles))
    table.setHorizontalHeaderLabels(list(titles))


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]], values: Sequence[Any] | None = None, *,
               right: Sequence[int] = ()) -> None:
    """Replace the rows; ``values[i]`` is kept on row i (``ValueRole`` of its first cell); columns in
    ``right`` are aligned right (amounts, counts). The selected value stays selected."""
    selected = selected_value(table)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c in right:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if c == 0 and values is not None:
                item.setData(ValueRole, values[r])
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    if values is not None and selected is not None:
        for r, value in enumerate(values):
            if value == selected:
                table.selectRow(r)
                break


def selected_value(table: QTableWidget) -> Any:
    """The value kept on the selected row, None when no row is selected."""
    rows = table.selectionModel().selectedRows() if table.selectionModel() else []
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    return item.data(ValueRole) if item is not None else None


def parse_amount(text: str, what: str) -> int:
    """An amount typed by the user ("150", "1,234.50", "¥80") in minor units; ``ValidationFailed``
    naming ``what`` (already translated) when it is not an amount or is negative."""
    cleaned = text.strip().replace("¥", "").replace("￥", "").replace(" ", "")
    if not cleaned:
        raise ValidationFailed(QCoreApplication.translate("Amounts", "Enter the {what}.").format(what=what))
    try:
        minor = to_minor(cleaned)
    except ValueError:
        raise ValidationFailed(QCoreApplication.translate(
            "Amounts", "“{text}” is not an amount; write the {what} like 150 or 1234.50.").format(
                text=text.strip()[:20], what=what)) from None
    if minor < 0:
        raise ValidationFailed(
            QCoreApplication.translate("Amounts", "The {what} cannot be negative.").format(what=what))
    return minor


def moment_text(value: datetime | None) -> str:
    """A stored time as the site's clock shows it, written ``2026-12-03 14:05`` in every language
    (never an ambiguous 12/3/26)."""
    from returndesk.ui.local_time import format_datetime

    return format_datetime(value)
