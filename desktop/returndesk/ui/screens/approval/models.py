"""Table models of the supervisor's approval workstation (see :mod:`.screen`).

* :class:`ApprovalQueueTableModel` — the returns waiting for the user's approval, oldest first, one
  keyset page at a time (``canFetchMore``/``fetchMore``, each page loaded off the GUI thread);
  :meth:`~ApprovalQueueTableModel.refresh` reads the rows shown again in one task when the data
  changed, without losing the scroll position's worth of rows;
* :class:`ApprovalLinesTableModel` — the lines of the selected return: what was returned, why,
  the grade, disposition and checks inspection found, the policy's verdict and the refund;
* :class:`ApprovalTimelineTableModel` — the return's audit trail: when, who, where, what.

Codes are shown by their translated names (:mod:`returndesk.ui.i18n`); money through
``domain.money.format_money``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from returndesk.domain.money import format_money
from returndesk.domain.types import PolicyStatus
from returndesk.api.types import LineChecks, Page, QueueNotes, ReturnLineView, ReturnSummary, TimelineEntry
from returndesk.ui.i18n import (
    tr_message,
    QT_TRANSLATE_NOOP,
    tr_approval_level,
    tr_disposition,
    tr_grade,
    tr_policy_status,
    tr_refund_method,
    tr_resolution,
    tr_status,
    tr_unit_outcome,
)
from returndesk.ui.local_time import format_datetime
from returndesk.ui.paged_model import KeysetTableModel
from returndesk.ui.tasks import TaskRunner

RowRole = Qt.ItemDataRole.UserRole + 1  # the row's dataclass (queue row, line, timeline entry)

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_TOP_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
_TOP_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
PROBLEM_COLOUR = "#c62828"
WARNING_COLOUR = "#8d6e00"
QUIET_COLOUR = "#616161"


# --------------------------------------------------------------------------- small helpers


def is_chinese() -> bool:
    """True when the screens speak Chinese (product and reason names then come in Chinese)."""
    return QLocale().language() == QLocale.Language.Chinese


def aware(ts: datetime) -> datetime:
    """A stored time with its zone (SQLite hands back UTC without it)."""
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)


def format_when(ts: datetime | None) -> str:
    """A stored time in the zone of the station's site: ``2026-11-30 14:05``."""
    return format_datetime(ts)


def format_age(age: timedelta) -> str:
    """How long something has waited: "3 d 4 h", "5 h 20 min", "12 min"."""
    minutes = max(int(age.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return QCoreApplication.translate("ApprovalAge", "{days} d {hours} h").format(days=days, hours=hours)
    if hours:
        return QCoreApplication.translate("ApprovalAge", "{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    return QCoreApplication.translate("ApprovalAge", "{minutes} min").format(minutes=minutes)


def product_name(line: ReturnLineView) -> str:
    """The product's name in the screen's language."""
    if is_chinese() and line.product_name_zh:
        return line.product_name_zh
    return line.product_name


def _display(translate: Callable[[str], str], code: str | None) -> str:
    # A code this version does not know (a newer station wrote it) is shown as it is.
    if not code:
        return ""
    try:
        return translate(code)
    except ValueError:
        return code


def status_name(code: str | None) -> str:
    return _display(tr_status, code)


def grade_name(code: str | None) -> str:
    return _display(tr_grade, code)


def disposition_name(code: str | None) -> str:
    return _display(tr_disposition, code)


def refund_method_name(code: str | None) -> str:
    return _display(tr_refund_method, code)


def approval_level_name(code: str | None) -> str:
    return _display(tr_approval_level, code)


class ReasonNames:
    """Display names of return reason codes (the reasons table carries English and Chinese)."""

    def __init__(self, names: Mapping[str, tuple[str, str]] | None = None) -> None:
        self._names = dict(names or {})

    @classmethod
    def from_reasons(cls, reasons: Sequence[Any]) -> ReasonNames:
        """From the services' ``ReasonView`` rows (``code``, ``name_en``, ``name_zh``)."""
        return cls({r.code: (r.name_en, r.name_zh) for r in reasons})

    def name(self, code: str) -> str:
        en, zh = self._names.get(code, (code.replace("_", " "), ""))
        return zh if is_chinese() and zh else en


_CHECK_NAMES = {
    "packaging_intact": QT_TRANSLATE_NOOP("ApprovalCheck", "Packaging"),
    "accessories_complete": QT_TRANSLATE_NOOP("ApprovalCheck", "Accessories"),
    "serial_matches": QT_TRANSLATE_NOOP("ApprovalCheck", "Serial number"),
    "functional": QT_TRANSLATE_NOOP("ApprovalCheck", "Function"),
}

_CONDITION_NAMES = {
    "original_packaging": QT_TRANSLATE_NOOP("ApprovalCheck", "original packaging"),
    "tags_attached": QT_TRANSLATE_NOOP("ApprovalCheck", "tags attached"),
    "accessories_complete": QT_TRANSLATE_NOOP("ApprovalCheck", "accessories complete"),
    "proof_of_purchase": QT_TRANSLATE_NOOP("ApprovalCheck", "proof of purchase"),
    "seal_intact": QT_TRANSLATE_NOOP("ApprovalCheck", "factory seal intact"),
}


def check_name(code: str) -> str:
    source = _CHECK_NAMES.get(code)
    return QCoreApplication.translate("ApprovalCheck", source) if source else code.replace("_", " ")


def condition_name(code: str) -> str:
    source = _CONDITION_NAMES.get(code)
    return QCoreApplication.translate("ApprovalCheck", source) if source else code.replace("_", " ")


def checks_text(checks: LineChecks | None) -> str:
    """One cell: "All passed", "Packaging failed (1 of 3)", or "—" when nothing was checked."""
    if checks is None or not checks.checks:
        return "—"
    failed = checks.failed
    if not failed:
        return QCoreApplication.translate("ApprovalCheck", "All passed")
    parts = [
        QCoreApplication.translate("ApprovalCheck", "{check} failed ({failed} of {units})").format(
            check=check_name(c.check), failed=c.failed, units=c.passed + c.failed)
        for c in failed
    ]
    return QCoreApplication.translate("ApprovalCheck", "; ").join(parts)


def checks_tooltip(checks: LineChecks | None) -> str:
    if checks is None:
        return ""
    rows = [
        QCoreApplication.translate("ApprovalCheck", "{check}: {passed} passed, {failed} failed").format(
            check=check_name(c.check), passed=c.passed, failed=c.failed)
        for c in checks.checks
    ]
    if checks.conditions_met:
        rows.append(QCoreApplication.translate("ApprovalCheck", "Confirmed at intake: {conditions}").format(
            conditions=QCoreApplication.translate("ApprovalCheck", ", ").join(
                condition_name(c) for c in checks.conditions_met)))
    for note in checks.notes:
        rows.append(QCoreApplication.translate("ApprovalCheck", "Inspector's note: {note}").format(note=note))
    return "\n".join(rows)


# --------------------------------------------------------------------------- the queue


@dataclass(frozen=True)
class ApprovalQueueRow:
    """One return of the queue: its summary and what the queue shows besides."""

    summary: ReturnSummary
    notes: QueueNotes | None

    @property
    def rma_no(self) -> str:
        return self.summary.rma_no

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return self.notes.reason_codes if self.notes else ()


#: One keyset page of queue rows; ``next_cursor`` None on the last page.
ApprovalQueuePage = Page[ApprovalQueueRow]
QueuePageFetcher = Callable[[str | None], ApprovalQueuePage]  # after-cursor -> next page


@dataclass(frozen=True)
class _Refreshed:
    rows: tuple[ApprovalQueueRow, ...]
    next_cursor: str | None


def fetch_rows(fetch_page: QueuePageFetcher, wanted: int) -> _Refreshed:
    """Pages from the top until ``wanted`` rows are read or the queue ends (on a worker thread)."""
    rows: list[ApprovalQueueRow] = []
    cursor: str | None = None
    while True:
        page = fetch_page(cursor)
        rows.extend(page.items)
        cursor = page.next_cursor
        if cursor is None or len(rows) >= wanted:
            return _Refreshed(tuple(rows), cursor)


class ApprovalQueueTableModel(KeysetTableModel[ApprovalQueueRow]):
    """The approval queue, oldest first, one keyset page at a time (see
    :class:`~returndesk.ui.paged_model.KeysetTableModel`).

    Besides the pages: ``refreshed(row_count)`` after :meth:`refresh` (a failed refresh is a
    ``load_failed`` too). ``now`` gives the time the ages are counted to.
    """

    refreshed = Signal(int)

    # Rows are two lines tall: the customer under the RMA, the reasons wrapped.
    AGE, RMA, AMOUNT, REASONS = range(4)
    COLUMN_COUNT = 4

    def __init__(self, fetch_page: QueuePageFetcher, tasks: TaskRunner, *, now: Callable[[], datetime],
                 reason_names: ReasonNames | None = None, parent: QObject | None = None) -> None:
        super().__init__(fetch_page, tasks, task_name="approval-queue", parent=parent)
        self._now = now
        self._reason_names = reason_names or ReasonNames()

    def row_key(self, row: ApprovalQueueRow) -> str:
        # A return that moved while paging (its age changed) could come round again: never twice.
        return row.rma_no

    def set_reason_names(self, names: ReasonNames) -> None:
        self._reason_names = names
        self._changed_all()

    def refresh(self) -> None:
        """Read again, in one task, as many rows as are shown (at least one page): the data
        changed. The rows are replaced at once when they arrive (views keep their scroll)."""
        self._loading = True
        self._failed = False
        self._tasks.run(fetch_rows, self._fetch_page, max(len(self._rows), 1),
                        on_done=self._on_refreshed, on_error=self._on_failed, key=self._key)

    def _on_refreshed(self, result: _Refreshed) -> None:
        self._loading = False
        self.beginResetModel()
        self._rows = list(result.rows)
        self._cursor = result.next_cursor
        self._more = result.next_cursor is not None
        self.endResetModel()
        self.refreshed.emit(len(self._rows))

    def row(self, row: int) -> ApprovalQueueRow:
        return self.row_value(row)

    def row_of(self, rma_no: str) -> int:
        """The row showing ``rma_no``, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.rma_no == rma_no), -1)

    def rma_numbers(self) -> list[str]:
        return [r.rma_no for r in self._rows]

    # ------------------------------------------------------------------ model
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
            if column == self.AMOUNT:
                return format_money(item.refund_total_minor, item.currency)
            if column == self.REASONS:
                return self.tr(", ").join(self._reason_names.name(code) for code in row.reason_codes)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _TOP_RIGHT if column in (self.AGE, self.AMOUNT) else _TOP_LEFT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.RMA and row.notes and not row.notes.in_policy:
            return QBrush(QColor(PROBLEM_COLOUR))
        if role == RowRole:
            return row
        return None

    def _tooltip(self, row: ApprovalQueueRow) -> str:
        item = row.summary
        lines = [self.tr("{rma} · order {order} · {level} approval").format(
            rma=item.rma_no, order=item.order_no, level=approval_level_name(item.approval_level))]
        lines.append(self.tr("Waiting since {when}").format(when=format_when(item.status_changed_at)))
        if row.notes and not row.notes.in_policy:
            lines.append(self.tr("Outside the return policy: needs an override with a reason."))
        if row.notes and row.notes.routing_reasons:
            lines.append(self.tr("Why it needs approval:"))
            lines.extend(f"• {tr_message(reason)}" for reason in row.notes.routing_reasons)
        return "\n".join(lines)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Waiting"), self.tr("RMA · customer"), self.tr("Refund"), self.tr("Reasons"))[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section in (self.AGE, self.AMOUNT) else _LEFT
        return None

    def retranslate(self) -> None:
        """Texts come from tr() at display time: tell the views to ask again."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        self._changed_all()

    def _changed_all(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1))


# --------------------------------------------------------------------------- the lines


class ReturnLinesModelBase(QAbstractTableModel):
    """The lines of one return (the approval desk's, the review queue's and the "to pay" list's
    tables derive from it): the lines, what inspection checked on them, their currency and the
    reasons' names; ``COLUMN_COUNT`` columns."""

    COLUMN_COUNT = 0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[ReturnLineView] = []
        self._checks: dict[int, LineChecks] = {}
        self._currency = "CNY"
        self._reason_names = ReasonNames()

    def _reset_lines(self, lines: Sequence[ReturnLineView], currency: str, reason_names: ReasonNames | None,
                     checks: Sequence[LineChecks] = ()) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self._checks = {c.return_line_id: c for c in checks}
        self._currency = currency
        if reason_names is not None:
            self._reason_names = reason_names
        self.endResetModel()

    def clear(self) -> None:
        self._reset_lines((), "CNY", None)

    def line(self, row: int) -> ReturnLineView:
        return self._lines[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMN_COUNT


class ApprovalLinesTableModel(ReturnLinesModelBase):
    """The lines of one return with what inspection and the policy said about each."""

    LINE, PRODUCT, QUANTITY, REASON, GRADE, CHECKS, POLICY, REFUND, DEDUCTED = range(9)
    COLUMN_COUNT = 9

    def set_lines(self, lines: Sequence[ReturnLineView], checks: Sequence[LineChecks] = (), *,
                  currency: str = "CNY", reason_names: ReasonNames | None = None) -> None:
        self._reset_lines(lines, currency, reason_names, checks)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            not index.isValid()
            or not 0 <= index.row() < len(self._lines)
            or not 0 <= index.column() < self.COLUMN_COUNT
        ):
            return None
        line = self._lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (self.REFUND, self.DEDUCTED, self.QUANTITY):
                return _RIGHT
            return _CENTER if column in (self.LINE, self.GRADE, self.POLICY) else _LEFT
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.POLICY and line.policy_status != PolicyStatus.WITHIN.value:
                return QBrush(QColor(PROBLEM_COLOUR))
            checks = self._checks.get(line.id)
            if column == self.CHECKS and checks is not None and checks.failed:
                return QBrush(QColor(WARNING_COLOUR))
            if column == self.DEDUCTED and (line.deduction_minor or line.fee_minor):
                return QBrush(QColor(PROBLEM_COLOUR))
        if role == RowRole:
            return line
        return None

    def _display(self, line: ReturnLineView, column: int) -> str | None:
        if column == self.LINE:
            return str(line.line_no)
        if column == self.PRODUCT:
            return f"{product_name(line)}\n{line.sku}"
        if column == self.QUANTITY:
            if line.qty_rejected:
                return self.tr("{accepted} of {requested}, {rejected} refused").format(
                    accepted=line.qty_accepted, requested=line.qty_authorized or line.qty_requested,
                    rejected=line.qty_rejected)
            return self.tr("{accepted} of {requested}").format(
                accepted=line.qty_accepted, requested=line.qty_authorized or line.qty_requested)
        if column == self.REASON:
            return self._reason_names.name(line.reason_code)
        if column == self.GRADE:
            if not line.grade:
                return "—"
            return self.tr("{grade} · {disposition}").format(
                grade=line.grade, disposition=disposition_name(line.disposition) or "—")
        if column == self.CHECKS:
            return checks_text(self._checks.get(line.id))
        if column == self.POLICY:
            # Within the policy is the rule: a tick (the words are in the tooltip); the exceptions
            # are spelled out.
            if line.policy_status == PolicyStatus.WITHIN.value:
                return "✓"
            return _display(tr_policy_status, line.policy_status)
        if column == self.REFUND:
            return format_money(line.refund_minor, self._currency)
        if column == self.DEDUCTED:
            taken = line.deduction_minor + line.fee_minor
            return format_money(-taken, self._currency) if taken else "—"
        return None

    def _tooltip(self, line: ReturnLineView, column: int) -> str | None:
        if column == self.PRODUCT:
            return self.tr("{name}\nSKU {sku} · {category} · {resolution}").format(
                name=product_name(line), sku=line.sku, category=line.category,
                resolution=_display(tr_resolution, line.resolution))
        if column == self.QUANTITY:
            return self.tr("Bought {bought}, returned {requested}, authorized {authorized}, received {received}, "
                           "accepted {accepted}, refused {rejected}").format(
                bought=line.qty_purchased, requested=line.qty_requested, authorized=line.qty_authorized,
                received=line.qty_received, accepted=line.qty_accepted, rejected=line.qty_rejected)
        if column == self.REASON:
            note = line.condition_notes or ""
            fault = self.tr("The seller's fault: refunded in full.") if line.reason_vendor_fault else ""
            return "\n".join(t for t in (fault, note) if t) or None
        if column == self.GRADE:
            return "\n".join(t for t in (grade_name(line.grade), disposition_name(line.disposition)) if t) or None
        if column == self.CHECKS:
            return checks_tooltip(self._checks.get(line.id)) or None
        if column == self.POLICY:
            return "\n".join(t for t in (_display(tr_policy_status, line.policy_status), line.policy_note) if t)
        if column == self.DEDUCTED:
            return self.tr("Paid per unit {unit}\nGrade deduction {deduction}\nRestocking fee {fee}").format(
                unit=format_money(line.unit_paid_minor, self._currency),
                deduction=format_money(line.deduction_minor, self._currency),
                fee=format_money(line.fee_minor, self._currency))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("#"), self.tr("Product"), self.tr("Qty"), self.tr("Reason"),
                    self.tr("Grade"), self.tr("Checks"), self.tr("Policy"), self.tr("Refund"),
                    self.tr("Deducted"))[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section in (self.REFUND, self.DEDUCTED, self.QUANTITY) else _LEFT
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        if self._lines:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._lines) - 1, self.COLUMN_COUNT - 1))


# --------------------------------------------------------------------------- the timeline

_ACTIONS = {
    "create": QT_TRANSLATE_NOOP("TimelineAction", "Return created"),
    "submit": QT_TRANSLATE_NOOP("TimelineAction", "Submitted"),
    "authorize": QT_TRANSLATE_NOOP("TimelineAction", "Authorized"),
    "reject": QT_TRANSLATE_NOOP("TimelineAction", "Request rejected"),
    "ask_customer": QT_TRANSLATE_NOOP("TimelineAction", "Customer asked for information"),
    "customer_reply": QT_TRANSLATE_NOOP("TimelineAction", "Customer answered"),
    "label_sent": QT_TRANSLATE_NOOP("TimelineAction", "Label sent to the web shop"),
    "cancel": QT_TRANSLATE_NOOP("TimelineAction", "Cancelled"),
    "expire": QT_TRANSLATE_NOOP("TimelineAction", "Expired"),
    "receive": QT_TRANSLATE_NOOP("TimelineAction", "Parcel received"),
    "unit_recorded": QT_TRANSLATE_NOOP("TimelineAction", "Unit inspected"),
    "unit_changed": QT_TRANSLATE_NOOP("TimelineAction", "Unit changed"),
    "unit_undone": QT_TRANSLATE_NOOP("TimelineAction", "Unit removed"),
    "line_closed_short": QT_TRANSLATE_NOOP("TimelineAction", "Line closed short"),
    "complete_inspection": QT_TRANSLATE_NOOP("TimelineAction", "Inspection completed"),
    "route_for_approval": QT_TRANSLATE_NOOP("TimelineAction", "Routed for approval"),
    "auto_approve": QT_TRANSLATE_NOOP("TimelineAction", "Approved automatically"),
    "approve": QT_TRANSLATE_NOOP("TimelineAction", "Refund approved"),
    "override_policy": QT_TRANSLATE_NOOP("TimelineAction", "Policy overridden"),
    "reject_refund": QT_TRANSLATE_NOOP("TimelineAction", "Refund rejected"),
    "refund": QT_TRANSLATE_NOOP("TimelineAction", "Refund issued"),
    "exchange": QT_TRANSLATE_NOOP("TimelineAction", "Exchanged"),
    "close": QT_TRANSLATE_NOOP("TimelineAction", "Closed"),
    "release_quantity": QT_TRANSLATE_NOOP("TimelineAction", "Held quantity released"),
    "reopen": QT_TRANSLATE_NOOP("TimelineAction", "Request reopened"),
    "hold_quantity": QT_TRANSLATE_NOOP("TimelineAction", "Quantity held again"),
    "fulfil_replacement": QT_TRANSLATE_NOOP("TimelineAction", "Replacement shipped"),
    "cancel_replacement": QT_TRANSLATE_NOOP("TimelineAction", "Replacement cancelled"),
    "replacement_to_ship": QT_TRANSLATE_NOOP("TimelineAction", "Replacement to be shipped"),
    "collect_difference": QT_TRANSLATE_NOOP("TimelineAction", "Difference collected"),
    "changed_mind": QT_TRANSLATE_NOOP("TimelineAction", "Customer chose a refund instead of an exchange"),
    "signed_off": QT_TRANSLATE_NOOP("TimelineAction", "Signed off by a supervisor at the counter"),
}


_REPLACEMENT_ACTIONS = frozenset({"fulfil_replacement", "cancel_replacement"})
_REPLACEMENT_STATES = {
    "reserved": QT_TRANSLATE_NOOP("TimelineAction", "stock reserved"),
    "fulfilled": QT_TRANSLATE_NOOP("TimelineAction", "handed over"),
    "cancelled": QT_TRANSLATE_NOOP("TimelineAction", "cancelled"),
}


def _replacement_status(code: str) -> str:
    source = _REPLACEMENT_STATES.get(code)
    return QCoreApplication.translate("TimelineAction", source) if source else code


def action_name(code: str) -> str:
    """The translated name of an audit action on a return."""
    source = _ACTIONS.get(code)
    return QCoreApplication.translate("TimelineAction", source) if source else code.replace("_", " ")


def describe_entry(entry: TimelineEntry, currency: str = "CNY") -> str:
    """What happened, in one line: the step's name and what it changed."""
    # Literal translate() calls (not a helper) so that pyside6-lupdate finds the strings.
    after = entry.after or {}
    before = entry.before or {}
    parts = [action_name(entry.action)]
    if "status" in after and before.get("status") and before.get("status") != after.get("status"):
        # A replacement order's states (the exchange's steps) are not a return's.
        name = _replacement_status if entry.action in _REPLACEMENT_ACTIONS else status_name
        parts.append(QCoreApplication.translate("TimelineAction", "{before} → {after}").format(
            before=name(before["status"]), after=name(after["status"])))
    if entry.action in ("unit_recorded", "unit_changed"):
        unit = after or before
        bits = []
        if unit.get("line_no"):
            bits.append(QCoreApplication.translate("TimelineAction", "line {line}").format(line=unit["line_no"]))
        if unit.get("sku"):
            bits.append(str(unit["sku"]))
        if unit.get("outcome") and unit.get("outcome") != "accepted":
            bits.append(_display(tr_unit_outcome, unit["outcome"]))
        if unit.get("grade"):
            bits.append(QCoreApplication.translate("TimelineAction", "grade {grade}").format(grade=unit["grade"]))
        if unit.get("disposition"):
            bits.append(disposition_name(unit["disposition"]))
        if bits:
            parts.append(QCoreApplication.translate("TimelineAction", ", ").join(bits))
    if after.get("level") and entry.action == "route_for_approval":
        parts.append(QCoreApplication.translate("TimelineAction", "{level} approval").format(
            level=approval_level_name(after["level"])))
    if isinstance(after.get("amount_minor"), int) and entry.action in (
            "approve", "refund", "route_for_approval", "auto_approve"):
        parts.append(format_money(after["amount_minor"], currency))
    if after.get("method") and entry.action == "refund":
        parts.append(refund_method_name(after["method"]))
    for key in ("refund_no", "credit_note"):
        if after.get(key):
            parts.append(str(after[key]))
    for key in ("reason", "override_reason", "note", "question", "answer"):
        if after.get(key) and isinstance(after[key], str):
            parts.append(QCoreApplication.translate("TimelineAction", "“{text}”").format(text=after[key]))
    return QCoreApplication.translate("TimelineAction", " · ").join(parts)


class ApprovalTimelineTableModel(QAbstractTableModel):
    """A return's audit trail, oldest first."""

    WHEN, WHO, STATION, WHAT = range(4)
    COLUMN_COUNT = 4

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[TimelineEntry] = []
        self._currency = "CNY"

    def set_entries(self, entries: Sequence[TimelineEntry], currency: str = "CNY") -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self._currency = currency
        self.endResetModel()

    def clear(self) -> None:
        self.set_entries(())

    def entry(self, row: int) -> TimelineEntry:
        return self._entries[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            not index.isValid()
            or not 0 <= index.row() < len(self._entries)
            or not 0 <= index.column() < self.COLUMN_COUNT
        ):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.WHEN:
                return format_when(entry.at)
            if column == self.WHO:
                return entry.who
            if column == self.STATION:
                return entry.station or "—"
            if column == self.WHAT:
                return describe_entry(entry, self._currency)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column == self.WHAT and entry.action in (
                "reject_refund", "reject", "cancel", "expire"):
            return QBrush(QColor(PROBLEM_COLOUR))
        if role == Qt.ItemDataRole.ForegroundRole and column in (self.WHEN, self.STATION):
            return QBrush(QColor(QUIET_COLOUR))
        if role == RowRole:
            return entry
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("When"), self.tr("Who"), self.tr("Station"), self.tr("What"))[section]
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        if self._entries:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._entries) - 1, self.COLUMN_COUNT - 1))
