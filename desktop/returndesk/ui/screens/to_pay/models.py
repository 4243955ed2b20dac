"""The table model of the "to pay" worklist (see :mod:`.screen`).

:class:`ToPayTableModel` — approved returns whose refund is not issued yet, the longest waiting
first: how long since approval, RMA and customer, who approved (a supervisor, or routing at
inspection), the method the customer chose, the refund.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from returndesk.api.types import Page, ToPayRow
from returndesk.domain.money import format_money
from returndesk.ui.screens.approval.models import approval_level_name, format_age, format_when, refund_method_name
from returndesk.ui.screens.review.models import RefreshingQueueModel
from returndesk.ui.tasks import TaskRunner

RowRole = Qt.ItemDataRole.UserRole + 1
_RIGHT_TOP = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
_LEFT_TOP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class ToPayTableModel(RefreshingQueueModel[ToPayRow]):
    """Approved, unpaid returns, the longest waiting first."""

    AGE, RMA, APPROVED, METHOD, AMOUNT = range(5)
    COLUMN_COUNT = 5

    def __init__(self, fetch_page: Callable[[str | None], Page[ToPayRow]], tasks: TaskRunner, *,
                 now: Callable[[], datetime], parent: QObject | None = None) -> None:
        super().__init__(fetch_page, tasks, task_name="to-pay", parent=parent)
        self._now = now

    def row(self, row: int) -> ToPayRow:
        return self.row_value(row)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < self.COLUMN_COUNT:
            return None
        row = self._rows[index.row()]
        item = row.summary
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.AGE:
                return format_age(item.age(self._now()))
            if column == self.RMA:
                customer = item.customer_name or self.tr("Walk-in customer")
                return f"{item.rma_no}\n{customer}"
            if column == self.APPROVED:
                who = self.tr("Automatically") if row.approved_automatically else approval_level_name(
                    item.approval_level)
                channel = self.tr("Counter") if item.channel == "counter" else self.tr("Parcel")
                return f"{who}\n{channel}"
            if column == self.METHOD:
                return refund_method_name(row.refund_method)
            if column == self.AMOUNT:
                return format_money(item.refund_total_minor, item.currency)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT_TOP if column in (self.AGE, self.AMOUNT) else _LEFT_TOP
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("{rma} · order {order} · approved {when}").format(
                rma=item.rma_no, order=item.order_no, when=format_when(item.status_changed_at))
        if role == RowRole:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Waiting"), self.tr("RMA · customer"), self.tr("Approved"), self.tr("Method"),
                    self.tr("Refund"))[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section in (self.AGE, self.AMOUNT) else _LEFT
        return None
