"""Table models and the policy verdict in words for the counter intake screen.

* :class:`CounterLinesTableModel` — the lines of the sale with what the clerk chose for each
  (:class:`LineEntry`: quantity, reason, resolution, conditions confirmed, notes, serials) and the
  policy's verdict on it, in words, as the clerk types.
* :class:`CounterSalesTableModel` — the sales a search found, to pick one from.

Where a line's verdict comes from: the services judge the draft (``intake.preview_return``) off the
GUI thread; until that answer for the line's current entry has arrived, the line shows the verdict
the sale was loaded with for a reason of the same kind (the customer's doing or the vendor's), so a
change of reason is reflected at once and refined a moment later.

The services state verdicts in English sentences. The words shown here are built from the verdict's
facts (status, window, days elapsed, the line's quantities, the conditions the clerk did not
confirm) through ``tr()``, so they follow the user's language; a verdict these facts do not explain
(a rule newer than this screen) is shown in the services' own words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
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
from PySide6.QtGui import QBrush, QColor, QFont

from returndesk.domain.money import format_money
from returndesk.domain.policy import PolicyRules, condition_label
from returndesk.domain.types import Channel, PolicyStatus, Resolution
from returndesk.api.types import DraftLine, PreviewLine, ReturnPreview
from returndesk.api.types import ReasonView, SaleLineView, SaleSummary, SaleView
from returndesk.ui.i18n import QT_TRANSLATE_NOOP, tr_message, tr_policy_status
from returndesk.ui.local_time import format_date

_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ALIGN_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_ALIGN_CENTER = int(Qt.AlignmentFlag.AlignCenter)

LineRole = Qt.ItemDataRole.UserRole + 1  # SaleLineView of the row
EntryRole = Qt.ItemDataRole.UserRole + 2  # LineEntry of the row
VerdictRole = Qt.ItemDataRole.UserRole + 3  # LineVerdict of the row
SaleSummaryRole = Qt.ItemDataRole.UserRole + 4  # SaleSummary of a search result

#: (background, text) of a verdict: green within policy, amber needs an override, red refused.
VERDICT_COLOURS: dict[PolicyStatus, tuple[str, str]] = {
    PolicyStatus.WITHIN: ("#e8f5e9", "#1b5e20"),
    PolicyStatus.OVERRIDE_NEEDED: ("#fff3cd", "#6d4c00"),
    PolicyStatus.NOT_RETURNABLE: ("#ffebee", "#b71c1c"),
}
MISSING_COLOUR = "#b71c1c"

_CONTEXT = "CounterVerdict"

#: Words for the condition codes the policy can require (``domain.policy.CONDITION_LABELS``).
_CONDITIONS = {
    "original_packaging": QT_TRANSLATE_NOOP("CounterVerdict", "original packaging"),
    "tags_attached": QT_TRANSLATE_NOOP("CounterVerdict", "tags attached"),
    "accessories_complete": QT_TRANSLATE_NOOP("CounterVerdict", "accessories complete"),
    "proof_of_purchase": QT_TRANSLATE_NOOP("CounterVerdict", "proof of purchase"),
    "seal_intact": QT_TRANSLATE_NOOP("CounterVerdict", "factory seal intact"),
}


def tr_condition(code: str) -> str:
    """The translated words for a condition code (unknown codes in the policy's own words)."""
    source = _CONDITIONS.get(code)
    return QCoreApplication.translate(_CONTEXT, source) if source else condition_label(code)


def format_day(value: datetime | date | None) -> str:
    """A day (of a stored time: at the station's site) in the user's short date format ("" when unknown)."""
    return format_date(value)


# --------------------------------------------------------------------------- entries and verdicts


@dataclass(frozen=True)
class LineEntry:
    """What the clerk chose for one order line."""

    quantity: int = 0
    reason_code: str | None = None
    resolution: Resolution = Resolution.REFUND
    conditions: frozenset[str] = frozenset()
    condition_notes: str = ""
    serials: tuple[str, ...] = ()

    @property
    def chosen(self) -> bool:
        """True when the line is part of the return (a quantity is set)."""
        return self.quantity > 0

    def judged_key(self, channel: Channel) -> tuple:
        """What the policy's verdict on this entry depends on (a preview answers one key)."""
        conditions = self.conditions if channel is Channel.COUNTER else frozenset()
        return (self.quantity, self.reason_code, conditions, channel)


@dataclass(frozen=True)
class LineVerdict:
    """A line's verdict as shown: the status and the reasons in words.

    ``preliminary`` is True while the services' answer for the line as it is now has not arrived
    (the verdict the sale was loaded with is shown meanwhile); ``reason_missing`` is True for a
    line with a quantity but no reason yet.
    """

    status: PolicyStatus
    reasons: tuple[str, ...]
    preliminary: bool = False
    reason_missing: bool = False

    @property
    def headline(self) -> str:
        return tr_policy_status(self.status)

    def text(self) -> str:
        """One line for the table: the status and the first reason."""
        if not self.reasons:
            return self.headline
        return QCoreApplication.translate("CounterVerdict", "{status}: {reason}").format(
            status=self.headline, reason=self.reasons[0])

    def full_text(self) -> str:
        """The status and every reason, one per line."""
        return "\n".join([self.headline, *(f"• {reason}" for reason in self.reasons)])


@dataclass(frozen=True)
class VerdictFacts:
    """Everything the words of a verdict are built from."""

    status: PolicyStatus
    window_days: int
    days_elapsed: int
    service_reasons: tuple[str, ...]
    reference_known: bool
    sold_at_counter: bool
    vendor_fault: bool
    product_returnable: bool
    category_returnable: bool
    category_name: str
    quantity: int
    qty_returnable: int
    missing_conditions: tuple[str, ...] = ()
    #: Set when no delivery is on record: the window runs from the sale plus this many days.
    transit_days: int | None = None


def verdict_reasons(facts: VerdictFacts) -> tuple[str, ...]:
    """The reasons of a verdict in the user's language (see the module documentation)."""
    # Literal translate() calls (not a helper) so that pyside6-lupdate finds the strings.
    window = window_words(facts)
    if facts.status is PolicyStatus.WITHIN:
        return (window,)
    reasons: list[str] = []
    if facts.status is PolicyStatus.NOT_RETURNABLE:
        if not facts.product_returnable:
            reasons.append(QCoreApplication.translate("CounterVerdict", "This product is marked as not returnable."))
        if not facts.category_returnable:
            reasons.append(QCoreApplication.translate(
                "CounterVerdict", "{category} is a non-returnable category.").format(category=facts.category_name))
        if facts.qty_returnable == 0:
            reasons.append(QCoreApplication.translate(
                "CounterVerdict", "Nothing left to return: every unit bought is returned or in process."))
        elif facts.quantity > facts.qty_returnable:
            reasons.append(QCoreApplication.translate(
                "CounterVerdict", "{requested} requested, but only {returnable} can still be returned.").format(
                requested=facts.quantity, returnable=facts.qty_returnable))
    late = (facts.reference_known or facts.transit_days is not None) and facts.days_elapsed > facts.window_days
    if late:
        reasons.append(window)
    if facts.missing_conditions:
        separator = QCoreApplication.translate("CounterVerdict", ", ")
        reasons.append(QCoreApplication.translate("CounterVerdict", "Not confirmed: {conditions}.").format(
            conditions=separator.join(tr_condition(c) for c in facts.missing_conditions)))
    explained = reasons if facts.status is PolicyStatus.NOT_RETURNABLE else (late or facts.missing_conditions)
    if not explained:
        # A rule this screen does not know about: the services' own words.
        return tuple(facts.service_reasons) or (window,)
    return tuple(reasons)


def window_words(facts: VerdictFacts) -> str:
    """The time window of a verdict: "Delivered 3 days ago; 30 days allowed"."""
    # Singular and plural as separate sentences: English reads right without a plural catalogue.
    days, window = facts.days_elapsed, facts.window_days
    if facts.transit_days is not None:
        return QCoreApplication.translate(
            "CounterVerdict", "No delivery date: counted from the sale plus {transit} days in transit, {days} days ago;"
            " {window} days allowed.").format(transit=facts.transit_days, days=days, window=window)
    if not facts.reference_known:
        return QCoreApplication.translate(
            "CounterVerdict", "Not delivered yet; {window} days allowed from delivery.").format(window=window)
    if facts.sold_at_counter:
        if days == 0:
            elapsed = QCoreApplication.translate("CounterVerdict", "Sold today")
        elif days == 1:
            elapsed = QCoreApplication.translate("CounterVerdict", "Sold yesterday")
        else:
            elapsed = QCoreApplication.translate("CounterVerdict", "Sold {days} days ago").format(days=days)
    elif days == 0:
        elapsed = QCoreApplication.translate("CounterVerdict", "Delivered today")
    elif days == 1:
        elapsed = QCoreApplication.translate("CounterVerdict", "Delivered yesterday")
    else:
        elapsed = QCoreApplication.translate("CounterVerdict", "Delivered {days} days ago").format(days=days)
    if facts.vendor_fault:
        allowed = QCoreApplication.translate(
            "CounterVerdict", "{window} days allowed for vendor faults.").format(window=window)
    else:
        allowed = QCoreApplication.translate("CounterVerdict", "{window} days allowed.").format(window=window)
    return QCoreApplication.translate("CounterVerdict", "{elapsed}; {allowed}").format(elapsed=elapsed, allowed=allowed)


# --------------------------------------------------------------------------- the lines


@dataclass(frozen=True)
class _PreviewAnswer:
    line: PreviewLine
    key: tuple


@dataclass
class _Row:
    line: SaleLineView
    entry: LineEntry = field(default_factory=LineEntry)
    answer: _PreviewAnswer | None = None
    problems: tuple[str, ...] = ()  # from the services when the return was refused


class CounterLinesTableModel(QAbstractTableModel):
    """The sale's lines with the clerk's entries and the live policy verdicts.

    Read-only for views: entries are changed with :meth:`update_entry` (the line editor does),
    which emits ``entry_changed(row)``.
    """

    entry_changed = Signal(int)

    LINE, ITEM, PURCHASED, RETURNED, IN_PROCESS, RETURNABLE, PAID, QUANTITY, REASON, VERDICT = range(10)
    COLUMN_COUNT = 10
    _NUMBER_COLUMNS = frozenset({PURCHASED, RETURNED, IN_PROCESS, RETURNABLE, PAID, QUANTITY})

    def __init__(self, parent: QObject | None = None, *, chinese_names: bool = False) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []
        self._sale: SaleView | None = None
        self._reasons: dict[str, ReasonView] = {}
        self._rules: PolicyRules | None = None
        self._channel = Channel.COUNTER
        self._chinese = chinese_names

    # ------------------------------------------------------------------ loading
    def set_sale(self, sale: SaleView | None, reasons: Iterable[ReasonView] = (), rules: PolicyRules | None = None,
                 *, keep_entries: bool = False) -> None:
        """Show ``sale`` (None: nothing). ``keep_entries`` keeps what the clerk chose on lines
        that are still there (the sale was reloaded), with quantities cut to what is returnable."""
        previous = {row.line.order_line_id: row for row in self._rows} if keep_entries else {}
        self.beginResetModel()
        self._sale = sale
        self._reasons = {reason.code: reason for reason in reasons}
        self._rules = rules
        self._rows = []
        for line in sale.lines if sale is not None else ():
            before = previous.get(line.order_line_id)
            row = _Row(line, before.entry, problems=before.problems) if before is not None else _Row(line)
            if row.entry.quantity > line.qty_returnable:
                # Another return took units meanwhile: say so on the line rather than change it silently.
                row.problems = (self.tr("Only {count} can still be returned now; the quantity was set to {count}.")
                                .format(count=line.qty_returnable),)
                row.entry = replace(row.entry, quantity=line.qty_returnable)
            self._rows.append(row)
        self.endResetModel()

    def clear(self) -> None:
        self.set_sale(None)

    @property
    def sale(self) -> SaleView | None:
        return self._sale

    def reasons(self) -> list[ReasonView]:
        """The active reasons, in display order."""
        return [r for r in self._reasons.values() if r.active]

    def reason(self, code: str | None) -> ReasonView | None:
        return self._reasons.get(code or "")

    def reason_name(self, code: str | None) -> str:
        reason = self.reason(code)
        if reason is None:
            return code or ""
        return reason.name_zh if self._chinese and reason.name_zh else reason.name_en

    def set_channel(self, channel: Channel | str) -> None:
        """The channel of the return: conditions are judged at the counter only."""
        channel = Channel(channel)
        if channel is not self._channel:
            self._channel = channel
            self._emit_rows_changed()

    def set_chinese_names(self, chinese: bool) -> None:
        if chinese != self._chinese:
            self._chinese = chinese
            self._emit_rows_changed()

    # ------------------------------------------------------------------ entries
    def line(self, row: int) -> SaleLineView:
        return self._rows[row].line

    def entry(self, row: int) -> LineEntry:
        return self._rows[row].entry

    def row_of(self, order_line_id: int) -> int | None:
        """The row of an order line, or None."""
        return next((i for i, r in enumerate(self._rows) if r.line.order_line_id == order_line_id), None)

    def row_of_code(self, code: str) -> int | None:
        """The row whose product has this barcode or SKU (a scanned item), or None."""
        wanted = code.strip().upper()
        for i, r in enumerate(self._rows):
            if wanted in {(r.line.barcode or "").upper(), r.line.sku.upper()}:
                return i
        return None

    def update_entry(self, row: int, **changes: Any) -> bool:
        """Change what the clerk chose for ``row``; True when something changed."""
        current = self._rows[row]
        entry = replace(current.entry, **changes)
        entry = replace(entry, quantity=max(0, min(entry.quantity, current.line.qty_returnable)))
        if entry == current.entry:
            return False
        current.entry = entry
        current.problems = ()
        self._emit_row_changed(row)
        self.entry_changed.emit(row)
        return True

    def reset_entries(self) -> None:
        for r in self._rows:
            r.entry = LineEntry()
            r.answer = None
            r.problems = ()
        self._emit_rows_changed()

    def chosen_rows(self) -> list[int]:
        """Rows with a quantity to return, in order."""
        return [i for i, r in enumerate(self._rows) if r.entry.chosen]

    def draft_lines(self) -> list[tuple[int, DraftLine]]:
        """``(row, DraftLine)`` for every chosen row that has a reason (the others cannot be judged)."""
        lines = []
        for i, r in enumerate(self._rows):
            entry = r.entry
            if not entry.chosen or not entry.reason_code:
                continue
            conditions = entry.conditions if self._channel is Channel.COUNTER else frozenset()
            lines.append((i, DraftLine(
                order_line_id=r.line.order_line_id, quantity=entry.quantity, reason_code=entry.reason_code,
                resolution=entry.resolution, condition_notes=entry.condition_notes.strip() or None,
                conditions_met=frozenset(conditions))))
        return lines

    def missing_reason_rows(self) -> list[int]:
        return [i for i, r in enumerate(self._rows) if r.entry.chosen and not r.entry.reason_code]

    # ------------------------------------------------------------------ verdicts
    def set_preview(self, preview: ReturnPreview | None, judged: Mapping[int, tuple]) -> None:
        """Take the services' verdicts: ``judged`` maps each previewed order line id to the
        :meth:`LineEntry.judged_key` of the entry the preview was asked for."""
        by_line = {pl.order_line_id: pl for pl in (preview.lines if preview is not None else ())}
        for r in self._rows:
            pl = by_line.get(r.line.order_line_id)
            key = judged.get(r.line.order_line_id)
            r.answer = _PreviewAnswer(pl, key) if pl is not None and key is not None else None
        self._emit_rows_changed()

    def set_problems(self, problems: Mapping[int, Sequence[str]]) -> None:
        """Problems the services found with rows (by row), shown until the row is edited."""
        for i, r in enumerate(self._rows):
            r.problems = tuple(problems.get(i, ()))
        self._emit_rows_changed()

    def problems(self, row: int) -> tuple[str, ...]:
        """What is wrong with ``row`` in words, in the station's language: a missing reason, the
        services' line problems."""
        r = self._rows[row]
        found: list[str] = []
        if r.entry.chosen and not r.entry.reason_code:
            found.append(self.tr("Choose the reason for returning this item."))
        answer = self._current_answer(r)
        if answer is not None:
            found.extend(tr_message(p) for p in self._extra_problems(answer.line))
        found.extend(shown for shown in (tr_message(p) for p in r.problems) if shown not in found)
        return tuple(found)

    @staticmethod
    def _extra_problems(pl: PreviewLine) -> list[str]:
        # The line's problems other than its "not returnable" reasons (those are the verdict's,
        # shown in words); the services put the verdict's reasons last.
        problems = list(pl.problems)
        if pl.policy_status is PolicyStatus.NOT_RETURNABLE and pl.policy_reasons:
            problems = problems[: max(0, len(problems) - len(pl.policy_reasons))]
        return problems

    def _current_answer(self, r: _Row) -> _PreviewAnswer | None:
        if r.answer is None or not r.entry.chosen:
            return None
        return r.answer if r.answer.key == r.entry.judged_key(self._channel) else None

    def verdict(self, row: int) -> LineVerdict:
        """The verdict on ``row`` as the clerk has it now (see the module documentation)."""
        r = self._rows[row]
        line, entry = r.line, r.entry
        reason = self.reason(entry.reason_code)
        vendor_fault = bool(reason and reason.vendor_fault)
        missing = self._missing_conditions(entry, vendor_fault)
        answer = self._current_answer(r)
        if answer is not None and (status_now := answer.line.policy_status) is not None:
            pl = answer.line
            facts = self._facts(line, status_now, pl.window_days or 0, pl.days_elapsed or 0, pl.policy_reasons,
                                vendor_fault=pl.vendor_fault, quantity=pl.quantity or entry.quantity,
                                qty_returnable=pl.qty_returnable, missing=missing)
            return LineVerdict(status_now, verdict_reasons(facts))
        base = line.verdict(vendor_fault)
        status = base.status
        if status is PolicyStatus.WITHIN and missing:
            status = PolicyStatus.OVERRIDE_NEEDED  # what the services will say once asked
        facts = self._facts(line, status, base.window_days, base.days_elapsed, base.reasons,
                            vendor_fault=vendor_fault, quantity=max(entry.quantity, 1),
                            qty_returnable=line.qty_returnable, missing=missing)
        return LineVerdict(status, verdict_reasons(facts), preliminary=entry.chosen,
                           reason_missing=entry.chosen and reason is None)

    def _missing_conditions(self, entry: LineEntry, vendor_fault: bool) -> tuple[str, ...]:
        sale = self._sale
        if sale is None or self._channel is not Channel.COUNTER or not entry.chosen:
            return ()
        if vendor_fault and not sale.conditions_apply_to_vendor_fault:
            return ()
        return tuple(code for code, _label in sale.required_conditions if code not in entry.conditions)

    def _facts(self, line: SaleLineView, status: PolicyStatus, window: int, elapsed: int,
               service_reasons: Sequence[str], *, vendor_fault: bool, quantity: int, qty_returnable: int,
               missing: tuple[str, ...]) -> VerdictFacts:
        sale = self._sale
        assert sale is not None
        category_ok = self._rules.is_category_returnable(line.category) if self._rules is not None else True
        return VerdictFacts(
            status=status, window_days=window, days_elapsed=elapsed, service_reasons=tuple(service_reasons),
            reference_known=sale.reference_date is not None, sold_at_counter=sale.sold_at_counter,
            transit_days=sale.transit_days,
            vendor_fault=vendor_fault, product_returnable=line.product_returnable, category_returnable=category_ok,
            category_name=self.category_name(line), quantity=quantity, qty_returnable=qty_returnable,
            missing_conditions=missing,
        )

    def category_name(self, line: SaleLineView) -> str:
        if self._chinese and line.category_name_zh:
            return line.category_name_zh
        return line.category_name_en or line.category

    def product_name(self, line: SaleLineView) -> str:
        return line.product_name_zh if self._chinese and line.product_name_zh else line.product_name

    # ------------------------------------------------------------------ model
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < self.COLUMN_COUNT:
            return None
        row, column = index.row(), index.column()
        r = self._rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, r, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, r, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN_RIGHT if column in self._NUMBER_COLUMNS else _ALIGN_LEFT
        if role == Qt.ItemDataRole.BackgroundRole and column == self.VERDICT:
            return QBrush(QColor(VERDICT_COLOURS[self.verdict(row).status][0]))
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.VERDICT:
                return QBrush(QColor(VERDICT_COLOURS[self.verdict(row).status][1]))
            if column == self.REASON and r.entry.chosen and not r.entry.reason_code:
                return QBrush(QColor(MISSING_COLOUR))
            if self.problems(row) and column == self.LINE:
                return QBrush(QColor(MISSING_COLOUR))
            return None
        if role == Qt.ItemDataRole.FontRole and (r.entry.chosen or column == self.VERDICT):
            font = QFont()
            font.setBold(r.entry.chosen)
            font.setItalic(column == self.VERDICT and r.entry.chosen and self.verdict(row).preliminary)
            return font
        if role == LineRole:
            return r.line
        if role == EntryRole:
            return r.entry
        if role == VerdictRole:
            return self.verdict(row)
        return None

    def _display(self, row: int, r: _Row, column: int) -> str | None:
        line, entry = r.line, r.entry
        number = QLocale().toString
        if column == self.LINE:
            return ("⚠ " if self.problems(row) else "") + number(line.line_no)
        if column == self.ITEM:
            return self.tr("{name} ({sku})").format(name=self.product_name(line), sku=line.sku)
        if column == self.PURCHASED:
            return number(line.quantity)
        if column == self.RETURNED:
            return number(line.qty_returned)
        if column == self.IN_PROCESS:
            return number(line.qty_in_process)
        if column == self.RETURNABLE:
            return number(line.qty_returnable)
        if column == self.PAID:
            return format_money(line.unit_paid_minor, self._currency())
        if column == self.QUANTITY:
            return number(entry.quantity) if entry.chosen else ""
        if column == self.REASON:
            if entry.reason_code:
                return self.reason_name(entry.reason_code)
            return self.tr("Choose a reason") if entry.chosen else ""
        if column == self.VERDICT:
            return self.verdict(row).text()
        return None

    def _tooltip(self, row: int, r: _Row, column: int) -> str | None:
        line = r.line
        if column == self.VERDICT or column == self.LINE:
            verdict = self.verdict(row)
            parts = [verdict.full_text()]
            if verdict.preliminary:
                parts.append(self.tr("(checking the line as entered…)"))
            problems = self.problems(row)
            if problems:
                parts.append(self.tr("To fix:"))
                parts.extend(f"• {p}" for p in problems)
            return "\n".join(parts)
        if column == self.PAID:
            return self.tr("{total} paid for {count} (after discounts, tax included)").format(
                total=format_money(line.paid_minor, self._currency()), count=QLocale().toString(line.quantity))
        if column == self.ITEM:
            return self.tr("{name} · {category}").format(
                name=self.product_name(line), category=self.category_name(line)
            )
        return None

    def _currency(self) -> str:
        return self._sale.currency if self._sale is not None else "CNY"

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            titles = (self.tr("#"), self.tr("Item"), self.tr("Bought"), self.tr("Returned"), self.tr("In process"),
                      self.tr("Returnable"), self.tr("Paid each"), self.tr("To return"), self.tr("Reason"),
                      self.tr("Policy verdict"))
            return titles[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = {
                self.RETURNED: self.tr("Units already returned by earlier returns"),
                self.IN_PROCESS: self.tr("Units held by returns still open"),
                self.RETURNABLE: self.tr("Units that can still be returned"),
                self.PAID: self.tr("Price paid per unit, after discounts, tax included"),
                self.QUANTITY: self.tr("Units the customer returns now"),
            }
            return tips.get(section)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN_RIGHT if section in self._NUMBER_COLUMNS else _ALIGN_LEFT
        return None

    def retranslate(self) -> None:
        """Texts come from tr() at display time: tell the views to ask again."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        self._emit_rows_changed()

    def _emit_row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.COLUMN_COUNT - 1))

    def _emit_rows_changed(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1))


# --------------------------------------------------------------------------- search results

_SALE_CHANNELS = {
    "store": QT_TRANSLATE_NOOP("CounterSalesTableModel", "Shop"),
    "online": QT_TRANSLATE_NOOP("CounterSalesTableModel", "Online"),
    "phone": QT_TRANSLATE_NOOP("CounterSalesTableModel", "Phone"),
}
_MATCHED_BY = {
    "order": QT_TRANSLATE_NOOP("CounterSalesTableModel", "Order number"),
    "rma": QT_TRANSLATE_NOOP("CounterSalesTableModel", "Earlier return"),
    "phone": QT_TRANSLATE_NOOP("CounterSalesTableModel", "Phone"),
    "name": QT_TRANSLATE_NOOP("CounterSalesTableModel", "Name"),
}


def sale_channel_name(code: str) -> str:
    """Where the goods were bought (shop, online, phone) in words."""
    source = _SALE_CHANNELS.get(code)
    return QCoreApplication.translate("CounterSalesTableModel", source) if source else code


class CounterSalesTableModel(QAbstractTableModel):
    """The sales a search found (at most a page of the services' best matches)."""

    ORDER, SOLD, CUSTOMER, PHONE, ITEMS, RETURNABLE, PAID, CHANNEL, MATCHED = range(9)
    COLUMN_COUNT = 9

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SaleSummary] = []

    def set_sales(self, sales: Iterable[SaleSummary]) -> None:
        self.beginResetModel()
        self._rows = list(sales)
        self.endResetModel()

    def summary(self, row: int) -> SaleSummary:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < self.COLUMN_COUNT:
            return None
        sale = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            number = QLocale().toString
            values = {
                self.ORDER: sale.order_no,
                self.SOLD: format_day(sale.sold_at),
                self.CUSTOMER: sale.customer_name or "",
                self.PHONE: sale.customer_phone or "",
                self.ITEMS: number(sale.item_count),
                self.RETURNABLE: number(sale.returnable_count),
                self.PAID: format_money(sale.total_paid_minor, sale.currency),
                self.CHANNEL: sale_channel_name(sale.channel),
                self.MATCHED: self._matched(sale.matched_by),
            }
            return values[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (self.ITEMS, self.RETURNABLE, self.PAID):
                return _ALIGN_RIGHT
            return _ALIGN_LEFT
        if role == Qt.ItemDataRole.ForegroundRole and sale.returnable_count == 0:
            return QBrush(QColor("#757575"))
        if role == SaleSummaryRole:
            return sale
        return None

    @staticmethod
    def _matched(code: str) -> str:
        source = _MATCHED_BY.get(code)
        return QCoreApplication.translate("CounterSalesTableModel", source) if source else code

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("Order"), self.tr("Sold"), self.tr("Customer"), self.tr("Phone"), self.tr("Items"),
                  self.tr("Returnable"), self.tr("Paid"), self.tr("Bought at"), self.tr("Found by"))
        return titles[section] if 0 <= section < len(titles) else None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1))
