"""The finance desk's lists: one keyset-paged model per list, saying what its columns show."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from returndesk.api.types import (
    CashShiftView,
    DeskCreditNote,
    DeskJournalLine,
    DeskRefund,
)
from returndesk.domain.postings import ACCOUNTS
from returndesk.ui.i18n import QT_TRANSLATE_NOOP, SERVICES_CONTEXT, tr_message, tr_refund_method
from returndesk.ui.paged_model import KeysetTableModel, PageFetcher
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.widgets.money import format_amount
from returndesk.ui.widgets.tables import moment_text

T = TypeVar("T")
CONTEXT = "FinanceModels"

#: The chart of accounts in words (the domain names them in English).
ACCOUNT_NAMES = {
    "1001": QT_TRANSLATE_NOOP("FinanceModels", "Cash on hand"),
    "1002": QT_TRANSLATE_NOOP("FinanceModels", "Bank deposits"),
    "1122": QT_TRANSLATE_NOOP("FinanceModels", "Customer accounts"),
    "1405": QT_TRANSLATE_NOOP("FinanceModels", "Inventory"),
    "1901": QT_TRANSLATE_NOOP("FinanceModels", "Cash over and short (pending)"),
    "2203": QT_TRANSLATE_NOOP("FinanceModels", "Store-credit liability"),
    "2221": QT_TRANSLATE_NOOP("FinanceModels", "VAT output tax payable"),
    "4100": QT_TRANSLATE_NOOP("FinanceModels", "Sales returns and allowances"),
    "4150": QT_TRANSLATE_NOOP("FinanceModels", "Shipping charges refunded"),
    "6001": QT_TRANSLATE_NOOP("FinanceModels", "Sales revenue"),
    "6051": QT_TRANSLATE_NOOP("FinanceModels", "Restocking-fee income"),
    "6401": QT_TRANSLATE_NOOP("FinanceModels", "Cost of goods sold"),
}


def tr_account(code: str) -> str:
    """``1001 Cash on hand`` in the user's language."""
    name = ACCOUNT_NAMES.get(code)
    if name:
        return f"{code} {QCoreApplication.translate(CONTEXT, name)}"
    if code in ACCOUNTS:  # the rest of the chart, named by the domain
        return f"{code} {QCoreApplication.translate(SERVICES_CONTEXT, ACCOUNTS[code])}"
    return code


def tr_method(code: str) -> str:
    try:
        return tr_refund_method(code)
    except ValueError:
        return code


def when(value: Any) -> str:
    return moment_text(value)


Column = tuple[str, Callable[[Any], str], bool]  # title (source text), display, aligned right


class ListModel(KeysetTableModel[T], Generic[T]):
    """A keyset-paged list whose columns are ``(title, display, right-aligned)``."""

    COLUMNS: Sequence[Column] = ()

    def __init__(self, fetch_page: PageFetcher[T], tasks: TaskRunner, name: str, parent: QObject | None = None) -> None:
        super().__init__(fetch_page, tasks, task_name=name, parent=parent)
        self.COLUMN_COUNT = len(self.COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        _title, show, right = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return show(self._rows[index.row()])  # the tooltip: the whole text of a cell cut at the edge
        if role == Qt.ItemDataRole.TextAlignmentRole:
            flag = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
            return int(flag | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if 0 <= section < len(self.COLUMNS):
            return QCoreApplication.translate(CONTEXT, self.COLUMNS[section][0])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, self.COLUMN_COUNT - 1))
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1))


def _shift_no(r: DeskRefund) -> str:
    return r.cash_shift_no or ""


class RefundsModel(ListModel[DeskRefund]):
    COLUMNS = (
        (QT_TRANSLATE_NOOP("FinanceModels", "Refund"), lambda r: r.refund_no, False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Issued"), lambda r: when(r.issued_at), False),
        (QT_TRANSLATE_NOOP("FinanceModels", "RMA"), lambda r: r.rma_no, False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Order"), lambda r: r.order_no, False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Customer"), lambda r: r.customer_name or "", False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Method"), lambda r: tr_method(r.method), False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Amount"), lambda r: format_amount(r.amount_minor, r.currency), True),
        (QT_TRANSLATE_NOOP("FinanceModels", "Credit note"), lambda r: r.credit_note_no or "", False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Cash shift"), _shift_no, False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Station"), lambda r: r.station or "", False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Issued by"), lambda r: r.issued_by, False),
    )


class CreditNotesModel(ListModel[DeskCreditNote]):
    COLUMNS = (
        (QT_TRANSLATE_NOOP("FinanceModels", "Credit note"), lambda n: n.number, False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Issued"), lambda n: when(n.issued_at), False),
        (QT_TRANSLATE_NOOP("FinanceModels", "RMA"), lambda n: n.rma_no, False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Order"), lambda n: n.order_no, False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Invoice"), lambda n: n.invoice_no or "—", False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Customer"), lambda n: n.customer_name or "", False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Net"), lambda n: format_amount(n.net_minor, n.currency), True),
        (QT_TRANSLATE_NOOP("FinanceModels", "Tax"), lambda n: format_amount(n.tax_minor, n.currency), True),
        (QT_TRANSLATE_NOOP("FinanceModels", "Total"), lambda n: format_amount(n.total_minor, n.currency), True),
    )


def _amount_or_blank(minor: int) -> str:
    return format_amount(minor) if minor else ""


class JournalModel(ListModel[DeskJournalLine]):
    COLUMNS = (
        (QT_TRANSLATE_NOOP("FinanceModels", "Entry"), lambda j: j.entry_no, False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Posted"), lambda j: when(j.posted_at), False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Account"), lambda j: tr_account(j.account), False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Debit"), lambda j: _amount_or_blank(j.debit_minor), True),
        (QT_TRANSLATE_NOOP("FinanceModels", "Credit"), lambda j: _amount_or_blank(j.credit_minor), True),
        (QT_TRANSLATE_NOOP("FinanceModels", "RMA"), lambda j: j.rma_no or "", False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Memo"), lambda j: tr_message(j.memo or ""), False),
    )


def _shift_state(s: CashShiftView) -> str:
    if s.is_open:
        return QCoreApplication.translate("FinanceModels", "Open")
    return QCoreApplication.translate("FinanceModels", "Closed")


def _difference(s: CashShiftView) -> str:
    if s.difference_minor is None:
        return ""
    return ("+" if s.difference_minor > 0 else "") + format_amount(s.difference_minor, s.currency)


class ShiftsModel(ListModel[CashShiftView]):
    COLUMNS = (
        (QT_TRANSLATE_NOOP("FinanceModels", "Shift"), lambda s: s.shift_no, False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Station"), lambda s: s.station, False),
        (QT_TRANSLATE_NOOP("FinanceModels", "State"), _shift_state, False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Opened"), lambda s: when(s.opened_at), False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Float"), lambda s: format_amount(s.float_minor, s.currency), True),
        (QT_TRANSLATE_NOOP("FinanceModels", "Cash refunds"), lambda s: format_amount(s.paid_out_minor, s.currency),
         True),
        (QT_TRANSLATE_NOOP("FinanceModels", "Expected"), lambda s: format_amount(s.expected_minor, s.currency), True),
        (QT_TRANSLATE_NOOP("FinanceModels", "Counted"), lambda s: format_amount(s.counted_minor, s.currency), True),
        (QT_TRANSLATE_NOOP("FinanceModels", "Difference"), _difference, True),
        (QT_TRANSLATE_NOOP("FinanceModels", "Closed by"), lambda s: s.closed_by or "", False),
        (QT_TRANSLATE_NOOP("FinanceModels", "Note"), lambda s: s.note or "", False),
    )
