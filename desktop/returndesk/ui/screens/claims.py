"""The warehouse's worklist of claims against suppliers (退供单), scanner and keyboard first.

Left, the claims not yet answered, per supplier: status, units, the value asked for, the supplier's
RMA number, and a flag on claims shipped and waiting too long for the supplier's answer. Right, the
claim chosen: its units (item tag, SKU, product, grade, cost) and what can be done with it.

Scanning an item tag anywhere on the screen (or typing it in the scan field and pressing Enter) puts
the unit on its supplier's open claim; with **Take off** checked (Ctrl+R) a scan takes it off the
claim shown. Then, each with its key: ask the supplier for authorisation (Ctrl+Q), record the
supplier's RMA number and date (Ctrl+A), print the packing list and the shipping label as PDFs in the
station's folder (Ctrl+P), ship (Ctrl+S), and record the supplier's answer — its credit note for
the units not selected in the list, the selected ones refused (Ctrl+K) — or a refusal of the whole
claim (Ctrl+J). F5 reads the worklist again.

Signals for tests: ``claims_loaded(count)``, ``claim_shown(claim_no)``, ``action_refused(message)``,
``documents_saved(folder)``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import (
    Actor,
    ClaimDetail,
    ClaimDocuments,
    ClaimStatus,
    ClaimSummary,
    ClaimUnitView,
    SupplierReportFiles,
)
from returndesk.domain.money import format_money, to_minor
from returndesk.domain.permissions import Permission, can
from returndesk.ui.document_folder import output_dir
from returndesk.ui.i18n import QT_TRANSLATE_NOOP
from returndesk.ui.screens.approval.models import is_chinese
from returndesk.ui.screens.scan_act import RowsTableModel, ScanActScreen
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.local_time import DATE_FORMAT, format_date
from returndesk.ui.widgets.tables import model_table

if TYPE_CHECKING:
    from returndesk.ui.live import LiveUpdates

_STATUS_WORDS = {
    ClaimStatus.OPEN: QT_TRANSLATE_NOOP("ClaimsScreen", "Open"),
    ClaimStatus.REQUESTED: QT_TRANSLATE_NOOP("ClaimsScreen", "Authorisation asked"),
    ClaimStatus.AUTHORISED: QT_TRANSLATE_NOOP("ClaimsScreen", "Authorised"),
    ClaimStatus.SHIPPED: QT_TRANSLATE_NOOP("ClaimsScreen", "Shipped"),
    ClaimStatus.CREDITED: QT_TRANSLATE_NOOP("ClaimsScreen", "Credited"),
    ClaimStatus.PARTLY_CREDITED: QT_TRANSLATE_NOOP("ClaimsScreen", "Partly credited"),
    ClaimStatus.REJECTED: QT_TRANSLATE_NOOP("ClaimsScreen", "Rejected"),
}
_TERMS_WORDS = {
    "credit_at_cost": QT_TRANSLATE_NOOP("ClaimsScreen", "Credit at cost"),
    "cost_minus_fee": QT_TRANSLATE_NOOP("ClaimsScreen", "Credit at cost less handling fee"),
    "replacement": QT_TRANSLATE_NOOP("ClaimsScreen", "Replacement goods"),
}
_OUTCOME_WORDS = {
    "accepted": QT_TRANSLATE_NOOP("ClaimsScreen", "Accepted"),
    "available": QT_TRANSLATE_NOOP("ClaimsScreen", "Refused, back in stock"),
    "scrap": QT_TRANSLATE_NOOP("ClaimsScreen", "Refused, scrapped"),
}


def _words(table: dict[Any, str], key: Any) -> str:
    source = table.get(key)
    return QCoreApplication.translate("ClaimsScreen", source) if source else str(key or "")


def _native(sequence: QKeySequence | str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


class ClaimsTableModel(RowsTableModel[ClaimSummary]):
    """The claims of the worklist."""

    CLAIM, SUPPLIER, STATUS, UNITS, VALUE, VENDOR_RMA = range(6)
    COLUMNS = 6

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.CLAIM:
                return row.claim_no
            if column == self.SUPPLIER:
                return row.supplier_name
            if column == self.STATUS:
                status = _words(_STATUS_WORDS, row.status)
                return self.tr("{status} — overdue").format(status=status) if row.overdue else status
            if column == self.UNITS:
                return str(row.units)
            if column == self.VALUE:
                return format_money(row.value_minor or row.cost_minor)
            return row.vendor_rma_no or ""
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATUS and (row.overdue or row.below_minimum):
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.ToolTipRole and column == self.STATUS and row.below_minimum:
            return self.tr("Below the supplier's minimum claim: collect more units before asking.")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.UNITS, self.VALUE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("Claim"), self.tr("Supplier"), self.tr("Status"), self.tr("Units"), self.tr("Value"),
                  self.tr("Supplier RMA"))
        return titles[section] if 0 <= section < len(titles) else None


class ClaimUnitsTableModel(RowsTableModel[ClaimUnitView]):
    """The units of the claim shown."""

    TAG, SKU, PRODUCT, GRADE, COST, OUTCOME = range(6)
    COLUMNS = 6

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        unit, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            name = (unit.product_name_zh or unit.product_name) if is_chinese() else unit.product_name
            return (unit.tag, unit.sku, name, unit.grade or "", format_money(unit.cost_minor),
                    _words(_OUTCOME_WORDS, unit.outcome) if unit.outcome else "")[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COST:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("Item tag"), self.tr("SKU"), self.tr("Product"), self.tr("Grade"), self.tr("Cost"),
                  self.tr("Answer"))
        return titles[section] if 0 <= section < len(titles) else None


class ClaimsScreen(ScanActScreen):
    """The claims worklist; see the module documentation."""

    claims_loaded = Signal(int)
    claim_shown = Signal(str)
    documents_saved = Signal(str)
    report_saved = Signal(str)
    followed_entities = ("claim", "any")

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 live: LiveUpdates | None = None, folder: Path | None = None) -> None:
        super().__init__(api, tasks, actor, parent)
        self.setObjectName("claims_screen")
        self._folder = folder
        self._detail: ClaimDetail | None = None
        self._shown: str | None = None
        self._may_settle = can(actor.role, Permission.SETTLE_CLAIMS)
        self._may_manage = can(actor.role, Permission.MANAGE_CLAIMS)
        self._finish_setup(live)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.remove_check = QCheckBox()
        self.remove_check.setObjectName("remove_check")
        top = self._scan_row(self.remove_check)

        self.claims_model = ClaimsTableModel(self)
        self.claims_table = model_table(self.claims_model, "claims_table")
        self.claims_table.selectionModel().currentRowChanged.connect(self._on_claim_row_changed)
        # The supplier's name takes what the other columns leave, elided: status and value stay in view.
        header = self.claims_table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(ClaimsTableModel.SUPPLIER, QHeaderView.ResizeMode.Stretch)
        self.claims_status_label = QLabel()
        self.claims_status_label.setObjectName("claims_status_label")
        self.claims_status_label.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 4, 0)
        left_layout.addWidget(self.claims_table, 1)
        left_layout.addWidget(self.claims_status_label)
        self.report_box = QGroupBox()
        self.report_box.setObjectName("report_box")
        today = self._api.session.now().date()
        self.report_from = QDateEdit()
        self.report_from.setObjectName("report_from")
        self.report_to = QDateEdit()
        self.report_to.setObjectName("report_to")
        for edit, day in ((self.report_from, today - timedelta(days=89)), (self.report_to, today)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate(day.year, day.month, day.day))
        self.report_button = QPushButton()
        self.report_button.setObjectName("report_button")
        self.report_button.clicked.connect(self.save_supplier_report)
        self.report_dash = QLabel("–")
        report_row = QHBoxLayout(self.report_box)
        report_row.addWidget(self.report_from)
        report_row.addWidget(self.report_dash)
        report_row.addWidget(self.report_to)
        report_row.addWidget(self.report_button, 1)
        left_layout.addWidget(self.report_box)

        self._item_labels()
        self.units_model = ClaimUnitsTableModel(self)
        self.units_table = model_table(self.units_model, "units_table", multi=True)

        self.ask_button = QPushButton()
        self.ask_button.setObjectName("ask_button")
        self.ask_button.clicked.connect(self.request_authorisation)
        self.print_button = QPushButton()
        self.print_button.setObjectName("print_button")
        self.print_button.clicked.connect(self.print_documents)
        self.ship_button = QPushButton()
        self.ship_button.setObjectName("ship_button")
        self.ship_button.clicked.connect(self.ship)
        buttons = QHBoxLayout()
        for button in (self.ask_button, self.print_button, self.ship_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.authorise_box = QGroupBox()
        self.authorise_box.setObjectName("authorise_box")
        self.vendor_rma_edit = QLineEdit()
        self.vendor_rma_edit.setObjectName("vendor_rma_edit")
        self.vendor_rma_edit.returnPressed.connect(self.record_authorisation)
        self.authorised_date = QDateEdit()
        self.authorised_date.setObjectName("authorised_date")
        self.authorised_date.setCalendarPopup(True)
        self.authorised_date.setDisplayFormat(DATE_FORMAT)
        self.set_authorised_date(self._api.session.now().date())
        self.authorise_button = QPushButton()
        self.authorise_button.setObjectName("authorise_button")
        self.authorise_button.clicked.connect(self.record_authorisation)
        auth_form = QFormLayout(self.authorise_box)
        self.vendor_rma_label = QLabel()
        self.authorised_label = QLabel()
        auth_form.addRow(self.vendor_rma_label, self.vendor_rma_edit)
        auth_form.addRow(self.authorised_label, self.authorised_date)
        auth_form.addRow(self.authorise_button)

        self.answer_box = QGroupBox()
        self.answer_box.setObjectName("answer_box")
        self.credit_note_edit = QLineEdit()
        self.credit_note_edit.setObjectName("credit_note_edit")
        self.amount_edit = QLineEdit()
        self.amount_edit.setObjectName("amount_edit")
        self.amount_edit.returnPressed.connect(self.record_answer)
        self.refused_to_combo = QComboBox()
        self.refused_to_combo.setObjectName("refused_to_combo")
        self.refused_to_combo.addItem("", "available")
        self.refused_to_combo.addItem("", "scrap")
        self.answer_button = QPushButton()
        self.answer_button.setObjectName("answer_button")
        self.answer_button.clicked.connect(self.record_answer)
        self.reject_button = QPushButton()
        self.reject_button.setObjectName("reject_button")
        self.reject_button.clicked.connect(self.reject)
        answer_form = QFormLayout(self.answer_box)
        self.credit_note_label = QLabel()
        self.amount_label = QLabel()
        self.refused_to_label = QLabel()
        self.refused_hint_label = QLabel()
        self.refused_hint_label.setWordWrap(True)
        answer_form.addRow(self.credit_note_label, self.credit_note_edit)
        answer_form.addRow(self.amount_label, self.amount_edit)
        answer_form.addRow(self.refused_to_label, self.refused_to_combo)
        answer_form.addRow(self.refused_hint_label)
        answer_buttons = QHBoxLayout()
        answer_buttons.addWidget(self.answer_button)
        answer_buttons.addWidget(self.reject_button)
        answer_buttons.addStretch(1)
        answer_form.addRow(answer_buttons)

        self._make_message_label()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 0, 0, 0)
        right_layout.addWidget(self.header_label)
        right_layout.addWidget(self.facts_label)
        right_layout.addWidget(self.units_table, 1)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.authorise_box)
        right_layout.addWidget(self.answer_box)
        right_layout.addWidget(self.message_label)

        self._arrange(top, left, right, splitter_name="claims_splitter", sizes=(520, 680))

    def _build_shortcuts(self) -> None:
        shortcut = self._shortcut
        self.remove_shortcut = shortcut("Ctrl+R", self.remove_check.toggle)
        self.ask_shortcut = shortcut("Ctrl+Q", self.request_authorisation)
        self.authorise_shortcut = shortcut("Ctrl+A", self._focus_authorisation)
        self.print_shortcut = shortcut("Ctrl+P", self.print_documents)
        self.ship_shortcut = shortcut("Ctrl+S", self.ship)
        self.answer_shortcut = shortcut("Ctrl+K", self._focus_answer)
        self.reject_shortcut = shortcut("Ctrl+J", self.reject)
        self.refresh_shortcut = shortcut("F5", self.refresh)
        self.scan_shortcut = shortcut("Ctrl+L", self._focus_scan)
        self.report_shortcut = shortcut("Ctrl+E", self.save_supplier_report)

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.title_label.setText(self.tr("Claims against suppliers"))
        self.scan_edit.setPlaceholderText(self.tr("Scan an item tag to put the unit on its supplier's claim ({key})")
                                          .format(key=_native(self.scan_shortcut.key())))
        self.remove_check.setText(self.tr("Take off ({key})").format(key=_native(self.remove_shortcut.key())))
        self.remove_check.setToolTip(self.tr("When checked, a scan takes the unit off the claim shown"))
        self.refresh_button.setText(self.tr("Refresh ({key})").format(key=_native(self.refresh_shortcut.key())))
        self.ask_button.setText(self.tr("Ask for authorisation ({key})").format(key=_native(self.ask_shortcut.key())))
        self.print_button.setText(self.tr("Packing list and label ({key})").format(
            key=_native(self.print_shortcut.key())))
        self.ship_button.setText(self.tr("Ship ({key})").format(key=_native(self.ship_shortcut.key())))
        self.authorise_box.setTitle(self.tr("Supplier's authorisation ({key})").format(
            key=_native(self.authorise_shortcut.key())))
        self.vendor_rma_label.setText(self.tr("Supplier RMA:"))
        self.authorised_label.setText(self.tr("Authorised on:"))
        self.authorise_button.setText(self.tr("Record authorisation"))
        self.answer_box.setTitle(self.tr("Supplier's answer ({key})").format(key=_native(self.answer_shortcut.key())))
        self.credit_note_label.setText(self.tr("Credit note no.:"))
        self.amount_label.setText(self.tr("Amount credited:"))
        self.refused_to_label.setText(self.tr("Refused units go:"))
        self.refused_to_combo.setItemText(0, self.tr("Back to available stock"))
        self.refused_to_combo.setItemText(1, self.tr("To scrap"))
        self.refused_hint_label.setText(self.tr("Select the units the supplier refused in the list above."))
        self.answer_button.setText(self.tr("Record credit"))
        self.reject_button.setText(self.tr("Supplier refused all ({key})").format(
            key=_native(self.reject_shortcut.key())))
        self.report_box.setTitle(self.tr("Report to the supplier"))
        self.report_button.setText(self.tr("Save as Excel and PDF ({key})").format(
            key=_native(self.report_shortcut.key())))
        self.report_button.setToolTip(self.tr("Return rates, reasons and claims of the supplier of the claim shown"
                                              " (all suppliers when none is shown), for the days chosen"))
        self.claims_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 5)
        self.units_model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 5)
        self._update_claims_status()
        self._show(self._detail)

    # ------------------------------------------------------------------ the worklist
    def refresh(self) -> None:
        """Read the worklist (and the claim shown) again (F5)."""
        self._refresh_timer.stop()  # this read covers a change notice waiting to be read
        self._tasks.run(self._api.claims.list_claims, on_done=self._on_claims, on_error=self._on_refused,
                        key=("claims-list", id(self)))

    def _on_claims(self, rows: list[ClaimSummary]) -> None:
        self.claims_model.set_rows(rows)
        self._update_claims_status()
        numbers = [r.claim_no for r in rows]
        if self._shown in numbers:
            self.claims_table.selectRow(numbers.index(self._shown))
            self.open_claim(self._shown)
        elif rows and self._shown is None:
            self.claims_table.selectRow(0)
        self.claims_loaded.emit(len(rows))

    def _update_claims_status(self) -> None:
        rows = self.claims_model.rows
        overdue = sum(1 for r in rows if r.overdue)
        text = self.tr("%n claim(s) not yet answered.", "", len(rows)) if rows else \
            self.tr("No open claims. Scan the item tag of a unit going back to its supplier.")
        if overdue:
            text += " " + self.tr("%n shipped too long ago without an answer.", "", overdue)
        self.claims_status_label.setText(text)

    def _on_claim_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.claims_model.rows):
            self.open_claim(self.claims_model.rows[current.row()].claim_no)

    def open_claim(self, claim_no: str) -> None:
        self._tasks.run(self._api.claims.get_claim, claim_no, on_done=self._show, on_error=self._on_refused,
                        key=("claim", id(self)))

    # ------------------------------------------------------------------ the claim shown
    def _show(self, detail: ClaimDetail | None) -> None:
        shown = self._detail
        if (detail is not None and shown is not None and detail.claim_no == shown.claim_no
                and detail.version < shown.version):
            return  # a read that started before the last change came back late: keep the newer claim
        self._detail = detail
        self._shown = detail.claim_no if detail is not None else self._shown
        if detail is None:
            self.header_label.setText(self.tr("No claim chosen"))
            self.facts_label.setText(self.tr("Choose a claim in the list, or scan an item tag."))
            self.units_model.set_rows(())
        else:
            s = detail.summary
            self.header_label.setText(self.tr("{claim} to {supplier} — {status}").format(
                claim=s.claim_no, supplier=s.supplier_name, status=_words(_STATUS_WORDS, s.status)))
            facts = [self.tr("Terms: {terms}").format(terms=_words(_TERMS_WORDS, detail.terms.value)),
                     self.tr("Units: {n}, cost {cost}, credit asked {value}").format(
                         n=s.units, cost=format_money(s.cost_minor), value=format_money(s.value_minor))]
            if detail.min_claim_minor:
                facts.append(self.tr("Minimum claim: {amount}").format(amount=format_money(detail.min_claim_minor)))
            if s.vendor_rma_no:
                facts.append(self.tr("Supplier RMA {rma} of {day}").format(
                    rma=s.vendor_rma_no, day=format_date(detail.authorised_on)))
            if s.below_minimum and s.units:
                facts.append(self.tr("Below the supplier's minimum claim: collect more units before asking."))
            if s.overdue:
                facts.append(self.tr("Shipped too long ago without the supplier's answer: remind the supplier."))
            self.facts_label.setText("\n".join(facts))
            self.units_model.set_rows(detail.units)
            self.claim_shown.emit(detail.claim_no)
        self._update_actions()
        self._show_message()

    def _update_actions(self) -> None:
        status = self._detail.status if self._detail is not None else None
        units = bool(self._detail and self._detail.units)
        manage = self._may_manage
        self.scan_edit.setEnabled(manage)
        self.remove_check.setEnabled(manage)
        self.ask_button.setEnabled(manage and status is ClaimStatus.OPEN and units)
        self.authorise_box.setEnabled(manage and status in (ClaimStatus.OPEN, ClaimStatus.REQUESTED) and units)
        self.print_button.setEnabled(status in (ClaimStatus.AUTHORISED, ClaimStatus.SHIPPED))
        self.ship_button.setEnabled(manage and status is ClaimStatus.AUTHORISED)
        self.answer_box.setEnabled(status is ClaimStatus.SHIPPED and self._may_settle)
        self.answer_box.setToolTip("" if self._may_settle else
                                   self.tr("Supervisors and finance record the supplier's answer."))

    def _refusal_context(self) -> str:
        return self.tr("working on claims")

    def _done(self, message: str, **fields: str) -> Callable[[ClaimDetail], None]:
        def done(detail: ClaimDetail) -> None:
            self._shown = detail.claim_no
            self._say(message.format(claim=detail.claim_no, **fields))
            self._show(detail)
            focused = self.focusWidget()
            if focused is None or not focused.isEnabled() or not focused.isVisible():
                self.scan_edit.setFocus()  # the box just used is closed now: back to scanning
            self.refresh()

        return done

    # ------------------------------------------------------------------ scanning
    def scan(self, text: str) -> None:
        """An item tag scanned: on its supplier's claim, or off the claim shown with Take off checked."""
        if not self._may_manage:
            message = self.tr("The warehouse puts units on claims; you can read claims and record the"
                              " supplier's answer.")
            self._say(message, error=True)
            self.action_refused.emit(message)
            return
        if self.remove_check.isChecked():
            if self._detail is None:
                self._say(self.tr("Choose the claim to take the unit off first."), error=True)
                return
            self._tasks.run(self._api.claims.remove_unit, self._detail.claim_no, text,
                            on_done=self._done(self.tr("{tag} taken off {claim}."), tag=text),
                            on_error=self._on_refused, key=("claim-scan", id(self)))
            return
        self._tasks.run(self._api.claims.add_unit, text,
                        on_done=self._done(self.tr("{tag} put on {claim}."), tag=text),
                        on_error=self._on_refused, key=("claim-scan", id(self)))

    def _focus_scan(self) -> None:
        self.scan_edit.setFocus()

    def _focus_authorisation(self) -> None:
        if self.authorise_box.isEnabled():
            self.vendor_rma_edit.setFocus()
            self.vendor_rma_edit.selectAll()

    def _focus_answer(self) -> None:
        if self.answer_box.isEnabled():
            self.credit_note_edit.setFocus()

    # ------------------------------------------------------------------ actions
    def _action_widgets(self) -> list[QWidget]:
        """What starts an action on the claim: held while one runs (its answer carries the next version)."""
        return [self.ask_button, self.authorise_box, self.print_button, self.ship_button, self.answer_box]

    def request_authorisation(self) -> None:
        if self._detail is None or not self.ask_button.isEnabled():
            return
        self._tasks.run(self._api.claims.request_authorisation, self._detail.claim_no,
                        expected_version=self._detail.version,
                        on_done=self._done(self.tr("Authorisation of {claim} asked; record the supplier's RMA when it"
                                                   " comes.")),
                        on_error=self._on_refused, key=("claim-action", id(self)), busy=self._action_widgets())

    def record_authorisation(self) -> None:
        if self._detail is None or not self.authorise_box.isEnabled():
            return
        rma = self.vendor_rma_edit.text().strip()
        if not rma:
            self._say(self.tr("Enter the RMA number the supplier gave."), error=True)
            self.vendor_rma_edit.setFocus()
            return
        day: date = self.authorised_date.date().toPython()  # type: ignore[assignment]
        self._tasks.run(self._api.claims.record_authorisation, self._detail.claim_no, rma, day,
                        expected_version=self._detail.version,
                        on_done=self._done(self.tr("{claim} authorised; print the packing list and ship it.")),
                        on_error=self._on_refused, key=("claim-action", id(self)), busy=self._action_widgets())

    def ship(self) -> None:
        if self._detail is None or not self.ship_button.isEnabled():
            return
        self._tasks.run(self._api.claims.ship_claim, self._detail.claim_no, expected_version=self._detail.version,
                        on_done=self._done(self.tr("{claim} shipped to the supplier.")),
                        on_error=self._on_refused, key=("claim-action", id(self)), busy=self._action_widgets())

    def _selected_tags(self) -> list[str]:
        rows = sorted({index.row() for index in self.units_table.selectionModel().selectedRows()})
        return [self.units_model.rows[r].tag for r in rows if r < len(self.units_model.rows)]

    def record_answer(self) -> None:
        if self._detail is None or not self.answer_box.isEnabled():
            return
        text = self.amount_edit.text().strip() or "0"
        try:
            amount = to_minor(text)
        except (ValueError, TypeError):
            self._say(self.tr("“{text}” is not an amount; type it as on the credit note, e.g. 150.00.").format(
                text=text), error=True)
            self.amount_edit.setFocus()
            return
        self._tasks.run(self._api.claims.record_answer, self._detail.claim_no,
                        credit_note_no=self.credit_note_edit.text().strip() or None, credited_minor=amount,
                        refused=self._selected_tags(), refused_to=str(self.refused_to_combo.currentData()),
                        expected_version=self._detail.version,
                        on_done=self._done(self.tr("The supplier's answer to {claim} is recorded.")),
                        on_error=self._on_refused, key=("claim-action", id(self)), busy=self._action_widgets())

    def reject(self) -> None:
        if self._detail is None or not self.answer_box.isEnabled():
            return
        self._tasks.run(self._api.claims.reject_claim, self._detail.claim_no,
                        units_to=str(self.refused_to_combo.currentData()), expected_version=self._detail.version,
                        on_done=self._done(self.tr("{claim} refused by the supplier; its units are back.")),
                        on_error=self._on_refused, key=("claim-action", id(self)), busy=self._action_widgets())

    def print_documents(self) -> None:
        if self._detail is None or not self.print_button.isEnabled():
            return
        lang = "zh_CN" if is_chinese() else "en"
        self._tasks.run(self._api.claims.claim_documents, self._detail.claim_no, lang, on_done=self._on_documents,
                        on_error=self._on_refused, key=("claim-documents", id(self)))

    def _on_documents(self, docs: ClaimDocuments) -> None:
        folder = (self._folder or output_dir("claims")).expanduser().absolute()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{docs.claim_no}-packing-list.pdf").write_bytes(docs.packing_list)
            (folder / f"{docs.claim_no}-shipping-label.pdf").write_bytes(docs.shipping_label)
        except OSError as exc:
            self._say(self.tr("The documents could not be saved in {folder}: {error}").format(
                folder=str(folder), error=exc.strerror or str(exc)), error=True)
            return
        self._say(self.tr("Packing list and shipping label of {claim} saved in {folder}.").format(
            claim=docs.claim_no, folder=str(folder)))
        self.documents_saved.emit(str(folder))

    def save_supplier_report(self) -> None:
        """The report of the supplier of the claim shown (all suppliers when none), saved as an
        Excel workbook and a PDF in the station's folder (Ctrl+E)."""
        start: date = self.report_from.date().toPython()  # type: ignore[assignment]
        end: date = self.report_to.date().toPython()  # type: ignore[assignment]
        supplier = self._detail.summary.supplier_code if self._detail is not None else None
        lang = "zh_CN" if is_chinese() else "en"
        self._tasks.run(self._api.claims.get_supplier_report_files, start, end, supplier_code=supplier, lang=lang,
                        on_done=self._on_report, on_error=self._on_refused, busy=[self.report_button],
                        key=("supplier-report", id(self)))

    def _on_report(self, files: SupplierReportFiles) -> None:
        folder = (self._folder or output_dir("claims")).expanduser().absolute()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{files.name}.xlsx").write_bytes(files.xlsx)
            (folder / f"{files.name}.pdf").write_bytes(files.pdf)
        except OSError as exc:
            self._say(self.tr("The report could not be saved in {folder}: {error}").format(
                folder=str(folder), error=exc.strerror or str(exc)), error=True)
            return
        self._say(self.tr("Supplier report saved in {folder} as {name}.xlsx and .pdf.").format(
            folder=str(folder), name=files.name))
        self.report_saved.emit(str(folder / files.name))

    def set_authorised_date(self, day: date) -> None:
        self.authorised_date.setDate(QDate(day.year, day.month, day.day))
