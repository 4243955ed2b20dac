"""The lists of the master-data screen: one keyset-paged table model per kind of record."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import QLocale, QModelIndex, QObject, QPersistentModelIndex, Qt

from returndesk.api.types import (
    CategoryRecord,
    CustomerRecord,
    Page,
    ProductRecord,
    SupplierRecord,
)
from returndesk.domain.money import format_money
from returndesk.ui.paged_model import KeysetTableModel
from returndesk.ui.tasks import TaskRunner

from .labels import field_name, terms_name

Record = ProductRecord | CustomerRecord | SupplierRecord | CategoryRecord
RecordRole = Qt.ItemDataRole.UserRole + 1

#: The columns each list shows, by field.
COLUMNS: dict[str, tuple[str, ...]] = {
    "products": ("sku", "name_zh", "name_en", "style_code", "variant", "category", "price", "barcodes", "supplier",
                 "returnable"),
    "customers": ("code", "name", "phone", "email", "address"),
    "suppliers": ("code", "name", "contact", "phone", "rtv_terms", "address"),
    "categories": ("code", "name_zh", "name_en", "return_window_days", "returnable"),
}
_RIGHT = {"price", "return_window_days"}


class MasterDataTableModel(KeysetTableModel[Record]):
    """Records of one kind, in code order, a keyset page at a time."""

    def __init__(self, kind: str, fetch_page: Callable[[str | None], Page[Any]], tasks: TaskRunner,
                 parent: QObject | None = None) -> None:
        super().__init__(fetch_page, tasks, task_name=f"master-{kind}", parent=parent)
        self.kind = kind
        self.columns = COLUMNS[kind]
        self.COLUMN_COUNT = len(self.columns)

    def row_key(self, row: Record) -> Hashable | None:
        return row.sku if isinstance(row, ProductRecord) else row.code

    def record(self, row: int) -> Record:
        return self.row_value(row)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        item = self._rows[index.row()]
        name = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, name)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if name in _RIGHT else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == RecordRole:
            return item
        return None

    def _text(self, item: Record, name: str) -> str:
        if name == "price" and isinstance(item, ProductRecord):
            return format_money(item.price_minor)
        if name == "barcodes" and isinstance(item, ProductRecord):
            return "; ".join(item.barcodes)
        if name == "category" and isinstance(item, ProductRecord):
            chinese = QLocale().language() == QLocale.Language.Chinese
            return (item.category_name_zh if chinese else item.category_name_en) or item.category
        if name == "supplier" and isinstance(item, ProductRecord):
            return item.supplier_name or ""
        if name == "returnable":
            return self.tr("Yes") if getattr(item, "returnable", True) else self.tr("No")
        if name == "rtv_terms" and isinstance(item, SupplierRecord):
            return terms_name(item.rtv_terms)
        if name == "return_window_days" and isinstance(item, CategoryRecord):
            return self.tr("Policy") if item.return_window_days is None else QLocale().toString(item.return_window_days)
        value = getattr(item, name, None)
        return "" if value is None else str(value)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return field_name(self.columns[section]) if 0 <= section < len(self.columns) else None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1))
