"""Table models of customer service's review queue (see :mod:`.screen`).

* :class:`RefreshingQueueModel` — a keyset-paged queue that can read the rows shown again in one
  task when the data changed (the "to pay" worklist uses it too);
* :class:`ReviewQueueTableModel` — the requests, oldest first: how long each waits, RMA and
  customer, where it came from, the refund, the worst verdict of its lines and the flags;
* :class:`ReviewLinesTableModel` — the lines of the request shown: what, how many, why, what the
  customer asks for, the policy's verdict and the expected refund.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from returndesk.api.types import Page, ReturnLineView, ReviewRow
from returndesk.domain.money import format_money
from returndesk.domain.review import RejectReason, ReviewFlag
from returndesk.domain.types import PolicyStatus, ReturnStatus
from returndesk.ui.i18n import QT_TRANSLATE_NOOP, tr_policy_status, tr_resolution
from returndesk.ui.paged_model import KeysetTableModel
from returndesk.ui.screens.approval.models import (
    PROBLEM_COLOUR,
    WARNING_COLOUR,
    ReasonNames,
    ReturnLinesModelBase,
    aware,
    format_age,
    format_when,
    product_name,
)
from returndesk.ui.tasks import TaskRunner

RowRole = Qt.ItemDataRole.UserRole + 1
_RIGHT_TOP = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
_LEFT_TOP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

RowT = TypeVar("RowT")


# --------------------------------------------------------------------------- names of codes

_FLAG_NAMES = {
    ReviewFlag.WEB_SHOP: QT_TRANSLATE_NOOP("ReviewFlag", "Web shop"),
    ReviewFlag.OUT_OF_POLICY: QT_TRANSLATE_NOOP("ReviewFlag", "Outside the policy"),
    ReviewFlag.FREQUENT_RETURNER: QT_TRANSLATE_NOOP("ReviewFlag", "Frequent returner"),
    ReviewFlag.EARLIER_REJECTED: QT_TRANSLATE_NOOP("ReviewFlag", "Declined before"),
    ReviewFlag.ANSWERED: QT_TRANSLATE_NOOP("ReviewFlag", "Customer answered"),
}

_REJECT_NAMES = {
    RejectReason.OUTSIDE_WINDOW: QT_TRANSLATE_NOOP("RejectReason", "The return window has passed"),
    RejectReason.NOT_RETURNABLE: QT_TRANSLATE_NOOP("RejectReason", "The item cannot be returned"),
    RejectReason.USED_OR_DAMAGED: QT_TRANSLATE_NOOP("RejectReason", "Used or damaged by the customer"),
    RejectReason.NOT_OUR_SALE: QT_TRANSLATE_NOOP("RejectReason", "The purchase could not be confirmed"),
    RejectReason.DUPLICATE: QT_TRANSLATE_NOOP("RejectReason", "Already on another request"),
    RejectReason.NO_ANSWER: QT_TRANSLATE_NOOP("RejectReason", "The customer did not answer"),
    RejectReason.OTHER: QT_TRANSLATE_NOOP("RejectReason", "Other reason (write it)"),
}

#: Flags that call for a closer look (shown in the warning colour).
WARNING_FLAGS = frozenset({ReviewFlag.OUT_OF_POLICY.value, ReviewFlag.FREQUENT_RETURNER.value,
                           ReviewFlag.EARLIER_REJECTED.value})


def flag_name(code: str) -> str:
    source = _FLAG_NAMES.get(ReviewFlag(code)) if code in ReviewFlag._value2member_map_ else None
    return QCoreApplication.translate("ReviewFlag", source) if source else code.replace("_", " ")


def reject_reason_name(code: RejectReason | str) -> str:
    return QCoreApplication.translate("RejectReason", _REJECT_NAMES[RejectReason(code)])


def policy_name(code: str) -> str:
    try:
        return tr_policy_status(code)
    except ValueError:
        return code


# --------------------------------------------------------------------------- a queue that refreshes


@dataclass(frozen=True)
class _Refreshed(Generic[RowT]):
    rows: tuple[RowT, ...]
    next_cursor: str | None


def fetch_rows(fetch_page: Callable[[str | None], Page[RowT]], wanted: int) -> _Refreshed[RowT]:
    """Pages from the top until ``wanted`` rows are read or the queue ends (on a worker thread)."""
    rows: list[RowT] = []
    cursor: str | None = None
    while True:
        page = fetch_page(cursor)
        rows.extend(page.items)
        cursor = page.next_cursor
        if cursor is None or len(rows) >= wanted:
            return _Refreshed(tuple(rows), cursor)


class RefreshingQueueModel(KeysetTableModel[RowT]):
    """A keyset-paged queue whose rows are read again, as many as are shown, by :meth:`refresh`
    (one task; ``refreshed(row_count)`` when done). Rows are told apart by their RMA."""

    refreshed = Signal(int)

    def row_key(self, row: RowT) -> Hashable:
        return getattr(row, "rma_no")  # noqa: B009 - every queue row has one

    def refresh(self) -> None:
        self._loading = True
        self._failed = False
        self._tasks.run(fetch_rows, self._fetch_page, max(len(self._rows), 1),
                        on_done=self._on_refreshed, on_error=self._on_failed, key=self._key)

    def _on_refreshed(self, result: _Refreshed[RowT]) -> None:
        self._loading = False
        self.beginResetModel()
        self._rows = list(result.rows)
        self._cursor = result.next_cursor
        self._more = result.next_cursor is not None
        self.endResetModel()
        self.refreshed.emit(len(self._rows))

    def row_of(self, rma_no: str) -> int:
        """The row showing ``rma_no``, or -1."""
        return next((i for i, r in enumerate(self._rows) if self.row_key(r) == rma_no), -1)

    def rma_numbers(self) -> list[str]:
        return [str(self.row_key(r)) for r in self._rows]

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1))


# --------------------------------------------------------------------------- the review queue


class ReviewQueueTableModel(RefreshingQueueModel[ReviewRow]):
    """Requests waiting for review (or for their customer), oldest request first."""

    AGE, RMA, SOURCE, AMOUNT, POLICY, FLAGS = range(6)
    COLUMN_COUNT = 6

    def __init__(self, fetch_page: Callable[[str | None], Page[ReviewRow]], tasks: TaskRunner, *,
                 now: Callable[[], datetime], parent: QObject | None = None) -> None:
        super().__init__(fetch_page, tasks, task_name="review-queue", parent=parent)
        self._now = now

    def row(self, row: int) -> ReviewRow:
        return self.row_value(row)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < self.COLUMN_COUNT:
            return None
        row = self._rows[index.row()]
        item = row.summary
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.AGE:
                # A request waits from when it was made (an answered question does not reset it).
                return format_age(aware(self._now()) - aware(item.created_at))
            if column == self.RMA:
                customer = item.customer_name or self.tr("Walk-in customer")
                return f"{item.rma_no}\n{customer}"
            if column == self.SOURCE:
                return self.tr("Web shop") if row.web_shop else self.tr("Phone or online")
            if column == self.AMOUNT:
                return format_money(item.refund_total_minor, item.currency)
            if column == self.POLICY:
                if row.policy_status == PolicyStatus.WITHIN.value:
                    return "✓"
                return policy_name(row.policy_status)
            if column == self.FLAGS:
                if item.status == ReturnStatus.WAITING_FOR_CUSTOMER.value and row.question:
                    return self.tr("Asked: {question}").format(question=row.question)
                names = [flag_name(f) for f in row.flags if f != ReviewFlag.WEB_SHOP.value]
                if row.customer_returns > 1:
                    names.insert(0, self.tr("{count} returns").format(count=row.customer_returns))
                return self.tr(", ").join(names)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT_TOP if column in (self.AGE, self.AMOUNT) else _LEFT_TOP
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.POLICY and row.policy_status != PolicyStatus.WITHIN.value:
                return QBrush(QColor(PROBLEM_COLOUR))
            if column == self.FLAGS and WARNING_FLAGS & set(row.flags):
                return QBrush(QColor(WARNING_COLOUR))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == RowRole:
            return row
        return None

    def _tooltip(self, row: ReviewRow) -> str:
        item = row.summary
        lines = [self.tr("{rma} · order {order} · requested {when}").format(
            rma=item.rma_no, order=item.order_no, when=format_when(item.created_at))]
        if row.flags:
            lines.append(self.tr(", ").join(flag_name(f) for f in row.flags))
        if row.question:
            lines.append(self.tr("Asked: {question}").format(question=row.question))
        if row.answer:
            lines.append(self.tr("Answer: {answer}").format(answer=row.answer))
        return "\n".join(lines)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Waiting"), self.tr("RMA · customer"), self.tr("From"), self.tr("Refund"),
                    self.tr("Policy"), self.tr("History and flags"))[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section in (self.AGE, self.AMOUNT) else _LEFT
        return None


# --------------------------------------------------------------------------- the lines


class ReviewLinesTableModel(ReturnLinesModelBase):
    """The lines of the request shown, with the policy's verdict on each."""

    LINE, PRODUCT, QUANTITY, REASON, WANTS, POLICY, REFUND = range(7)
    COLUMN_COUNT = 7

    def set_lines(self, lines: Sequence[ReturnLineView], *, currency: str = "CNY",
                  reason_names: ReasonNames | None = None) -> None:
        self._reset_lines(lines, currency, reason_names)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines) \
                or not 0 <= index.column() < self.COLUMN_COUNT:
            return None
        line = self._lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.LINE:
                return str(line.line_no)
            if column == self.PRODUCT:
                return f"{product_name(line)}\n{line.sku}"
            if column == self.QUANTITY:
                return self.tr("{requested} of {bought}").format(requested=line.qty_requested,
                                                                 bought=line.qty_purchased)
            if column == self.REASON:
                return self._reason_names.name(line.reason_code)
            if column == self.WANTS:
                try:
                    return tr_resolution(line.resolution)
                except ValueError:
                    return line.resolution
            if column == self.POLICY:
                return "✓" if line.policy_status == PolicyStatus.WITHIN.value else policy_name(line.policy_status)
            if column == self.REFUND:
                return format_money(line.refund_minor, self._currency)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in (self.QUANTITY, self.REFUND) else _LEFT
        if role == Qt.ItemDataRole.ForegroundRole and column == self.POLICY \
                and line.policy_status != PolicyStatus.WITHIN.value:
            return QBrush(QColor(PROBLEM_COLOUR))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.POLICY:
                return "\n".join(t for t in (policy_name(line.policy_status), line.policy_note) if t)
            if column == self.REASON:
                return line.condition_notes or None
        if role == RowRole:
            return line
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("#"), self.tr("Product"), self.tr("Qty"), self.tr("Reason"), self.tr("Wants"),
                    self.tr("Policy"), self.tr("Refund"))[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section in (self.QUANTITY, self.REFUND) else _LEFT
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        if self._lines:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._lines) - 1, self.COLUMN_COUNT - 1))
