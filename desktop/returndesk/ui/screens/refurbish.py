"""The refurbish queue (翻新与报废): units inspected for refurbishment, worked at the bench.

Left, the units waiting (oldest first) and, below, the units finished lately. Right, the unit
chosen: what the inspection found, then the repair note and the parts used, and either **Back to
stock** at the grade the unit has now (Ctrl+Return) or **Scrap** with a reason (Ctrl+D). Scrapping
a unit worth more than the policy's limit (its cost plus the parts) asks a supervisor to sign off
on this screen, by password or badge, unless the user is a supervisor.

Scanning an item tag anywhere on the screen (or typing it in the scan field and pressing Enter)
finds its unit. F5 reads the queue again.

Signals for tests: ``queue_loaded(waiting)``, ``unit_shown(tag)``, ``unit_finished(tag)``,
``action_refused(message)``, ``sign_off_requested(dialog)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
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
from returndesk.api.types import Actor, RefurbishQueue, RefurbishStatus, RefurbishUnit, SignOff
from returndesk.domain.money import format_money, to_minor
from returndesk.domain.permissions import Permission, can
from returndesk.domain.types import Role
from returndesk.ui.dialogs.sign_off import SupervisorSignOffDialog
from returndesk.ui.i18n import QT_TRANSLATE_NOOP
from returndesk.ui.local_time import local_moment
from returndesk.ui.screens.approval.models import is_chinese
from returndesk.ui.screens.scan_act import RowsTableModel, ScanActScreen
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.widgets.tables import model_table

if TYPE_CHECKING:
    from returndesk.ui.live import LiveUpdates

CONTEXT = "RefurbishScreen"

_STATUS_WORDS = {
    RefurbishStatus.WAITING: QT_TRANSLATE_NOOP("RefurbishScreen", "Waiting"),
    RefurbishStatus.REFURBISHED: QT_TRANSLATE_NOOP("RefurbishScreen", "Back in stock"),
    RefurbishStatus.SCRAPPED: QT_TRANSLATE_NOOP("RefurbishScreen", "Scrapped"),
}


_BACK_IN_STOCK = QT_TRANSLATE_NOOP("RefurbishScreen", "Back in stock, grade {grade}")
_SCRAPPED_FOR = QT_TRANSLATE_NOOP("RefurbishScreen", "Scrapped: {reason}")
_SIGNED_OFF_BY = QT_TRANSLATE_NOOP("RefurbishScreen", "{who}, signed off by {supervisor}")


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def _native(sequence: QKeySequence | str) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


def _product(unit: RefurbishUnit) -> str:
    return (unit.product_name_zh or unit.product_name) if is_chinese() else unit.product_name


class WaitingUnitsModel(RowsTableModel[RefurbishUnit]):
    """The units waiting for refurbishment."""

    TAG, SKU, PRODUCT, GRADE, COST = range(5)
    TITLES = (QT_TRANSLATE_NOOP("RefurbishScreen", "Item tag"), QT_TRANSLATE_NOOP("RefurbishScreen", "SKU"),
              QT_TRANSLATE_NOOP("RefurbishScreen", "Product"), QT_TRANSLATE_NOOP("RefurbishScreen", "Grade"),
              QT_TRANSLATE_NOOP("RefurbishScreen", "Cost"))
    COLUMNS = len(TITLES)

    def cells(self, unit: RefurbishUnit) -> tuple[str, ...]:
        return unit.tag, unit.sku, _product(unit), unit.grade or "", format_money(unit.cost_minor)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(self.rows[index.row()])[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == len(self.TITLES) - 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return _tr(self.TITLES[section]) if 0 <= section < len(self.TITLES) else None


class FinishedUnitsModel(WaitingUnitsModel):
    """The units finished lately: back in stock at a grade, or scrapped."""

    TITLES = (QT_TRANSLATE_NOOP("RefurbishScreen", "Item tag"), QT_TRANSLATE_NOOP("RefurbishScreen", "SKU"),
              QT_TRANSLATE_NOOP("RefurbishScreen", "Result"), QT_TRANSLATE_NOOP("RefurbishScreen", "Parts"),
              QT_TRANSLATE_NOOP("RefurbishScreen", "By"))

    def cells(self, unit: RefurbishUnit) -> tuple[str, ...]:
        if unit.status == RefurbishStatus.REFURBISHED:
            result = _tr(_BACK_IN_STOCK).format(grade=unit.new_grade or "")
        else:
            result = _tr(_SCRAPPED_FOR).format(reason=unit.scrap_reason or "")
        who = unit.finished_by or ""
        if unit.signed_off_by:
            who = _tr(_SIGNED_OFF_BY).format(who=who, supervisor=unit.signed_off_by)
        return unit.tag, unit.sku, result, format_money(unit.parts_cost_minor), who

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return None
        return super().data(index, role)


class RefurbishScreen(ScanActScreen):
    """The refurbish queue; see the module documentation."""

    queue_loaded = Signal(int)
    unit_shown = Signal(str)
    unit_finished = Signal(str)
    sign_off_requested = Signal(object)
    followed_entities = ("refurbish", "return", "any")

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 live: LiveUpdates | None = None) -> None:
        super().__init__(api, tasks, actor, parent)
        self.setObjectName("refurbish_screen")
        self._unit: RefurbishUnit | None = None
        self._queue: RefurbishQueue | None = None
        self._is_supervisor = can(actor.role, Permission.APPROVE_REFUND) and actor.role is not Role.CLERK
        self.sign_off_dialog: SupervisorSignOffDialog | None = None
        self._finish_setup(live)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        top = self._scan_row()

        self.waiting_model = WaitingUnitsModel(self)
        self.waiting_table = model_table(self.waiting_model, "waiting_table")
        self.waiting_table.horizontalHeader().setStretchLastSection(False)
        self.waiting_table.horizontalHeader().setSectionResizeMode(WaitingUnitsModel.PRODUCT,
                                                                   QHeaderView.ResizeMode.Stretch)
        self.waiting_table.selectionModel().currentRowChanged.connect(self._on_waiting_row_changed)
        self.waiting_label = QLabel()
        self.waiting_label.setObjectName("waiting_label")
        self.finished_model = FinishedUnitsModel(self)
        self.finished_table = model_table(self.finished_model, "finished_table")
        self.finished_table.selectionModel().currentRowChanged.connect(self._on_finished_row_changed)
        self.finished_label = QLabel()
        self.finished_label.setObjectName("finished_label")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 4, 0)
        left_layout.addWidget(self.waiting_label)
        left_layout.addWidget(self.waiting_table, 3)
        left_layout.addWidget(self.finished_label)
        left_layout.addWidget(self.finished_table, 2)

        self._item_labels()

        self.work_box = QGroupBox()
        self.work_box.setObjectName("work_box")
        self.repair_note_edit = QLineEdit()
        self.repair_note_edit.setObjectName("repair_note_edit")
        self.parts_edit = QLineEdit()
        self.parts_edit.setObjectName("parts_edit")
        self.parts_edit.setPlaceholderText("0.00")
        self.grade_combo = QComboBox()
        self.grade_combo.setObjectName("grade_combo")
        for grade in ("A", "B", "C"):
            self.grade_combo.addItem(grade, grade)
        self.grade_combo.setCurrentIndex(1)
        self.restock_button = QPushButton()
        self.restock_button.setObjectName("restock_button")
        self.restock_button.clicked.connect(self.put_back)
        self.scrap_reason_edit = QLineEdit()
        self.scrap_reason_edit.setObjectName("scrap_reason_edit")
        self.scrap_reason_edit.returnPressed.connect(self.scrap)
        self.scrap_button = QPushButton()
        self.scrap_button.setObjectName("scrap_button")
        self.scrap_button.clicked.connect(self.scrap)
        self.limit_label = QLabel()
        self.limit_label.setObjectName("limit_label")
        self.limit_label.setWordWrap(True)
        form = QFormLayout(self.work_box)
        self.repair_note_label = QLabel()
        self.parts_label = QLabel()
        self.grade_label = QLabel()
        self.scrap_reason_label = QLabel()
        form.addRow(self.repair_note_label, self.repair_note_edit)
        form.addRow(self.parts_label, self.parts_edit)
        restock_row = QHBoxLayout()
        restock_row.addWidget(self.grade_combo)
        restock_row.addWidget(self.restock_button)
        restock_row.addStretch(1)
        form.addRow(self.grade_label, restock_row)
        scrap_row = QHBoxLayout()
        scrap_row.addWidget(self.scrap_reason_edit, 1)
        scrap_row.addWidget(self.scrap_button)
        form.addRow(self.scrap_reason_label, scrap_row)
        form.addRow(self.limit_label)

        self._make_message_label()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 0, 0, 0)
        right_layout.addWidget(self.header_label)
        right_layout.addWidget(self.facts_label)
        right_layout.addWidget(self.work_box)
        right_layout.addWidget(self.message_label)
        right_layout.addStretch(1)

        self._arrange(top, left, right, splitter_name="refurbish_splitter", sizes=(620, 580))

    def _build_shortcuts(self) -> None:
        shortcut = self._shortcut
        self.restock_shortcut = shortcut("Ctrl+Return", self.put_back)
        self.scrap_shortcut = shortcut("Ctrl+D", self._focus_scrap)
        self.refresh_shortcut = shortcut("F5", self.refresh)
        self.scan_shortcut = shortcut("Ctrl+L", self.scan_edit.setFocus)

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.title_label.setText(self.tr("Refurbish and scrap"))
        self.scan_edit.setPlaceholderText(self.tr("Scan an item tag to find its unit ({key})").format(
            key=_native(self.scan_shortcut.key())))
        self.refresh_button.setText(self.tr("Refresh ({key})").format(key=_native(self.refresh_shortcut.key())))
        self.work_box.setTitle(self.tr("Work on the unit"))
        self.repair_note_label.setText(self.tr("Repair note:"))
        self.repair_note_edit.setPlaceholderText(self.tr("What was done, e.g. new cable, cleaned"))
        self.parts_label.setText(self.tr("Parts cost:"))
        self.grade_label.setText(self.tr("New grade:"))
        self.restock_button.setText(self.tr("Back to stock ({key})").format(key=_native(self.restock_shortcut.key())))
        self.scrap_reason_label.setText(self.tr("Scrap reason:"))
        self.scrap_reason_edit.setPlaceholderText(self.tr("Why it cannot be repaired"))
        self.scrap_button.setText(self.tr("Scrap ({key})").format(key=_native(self.scrap_shortcut.key())))
        for model in (self.waiting_model, self.finished_model):
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(model.TITLES) - 1)
        self._update_counts()
        self._show(self._unit)

    # ------------------------------------------------------------------ the queue
    def refresh(self) -> None:
        """Read the queue again (F5)."""
        self._refresh_timer.stop()  # this read covers a change notice waiting to be read
        self._tasks.run(self._api.refurbish.refurbish_queue, on_done=self._on_queue, on_error=self._on_refused,
                        key=("refurbish-queue", id(self)))

    def _on_queue(self, queue: RefurbishQueue) -> None:
        self._queue = queue
        self.waiting_model.set_rows(queue.waiting)
        self.finished_model.set_rows(queue.finished)
        self._update_counts()
        if self._unit is None and queue.waiting:
            self.waiting_table.selectRow(0)
        else:
            self._show(self._unit)
        self.queue_loaded.emit(len(queue.waiting))

    def _update_counts(self) -> None:
        waiting = len(self.waiting_model.rows)
        self.waiting_label.setText(self.tr("%n unit(s) waiting for refurbishment", "", waiting) if waiting else
                                   self.tr("No unit is waiting for refurbishment."))
        self.finished_label.setText(self.tr("Finished lately"))

    def _on_waiting_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.waiting_model.rows):
            self._show(self.waiting_model.rows[current.row()])

    def _on_finished_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.finished_model.rows):
            self._show(self.finished_model.rows[current.row()])

    # ------------------------------------------------------------------ the unit shown
    def _show(self, unit: RefurbishUnit | None) -> None:
        changed = (unit.tag if unit else None) != (self._unit.tag if self._unit else None)
        self._unit = unit
        if changed:
            self.repair_note_edit.clear()
            self.parts_edit.clear()
            self.scrap_reason_edit.clear()
        if unit is None:
            self.header_label.setText(self.tr("No unit chosen"))
            self.facts_label.setText(self.tr("Choose a unit in the list, or scan its item tag."))
        else:
            status = _tr(_STATUS_WORDS.get(unit.status, unit.status))
            self.header_label.setText(self.tr("{tag} · {sku} {product} — {status}").format(
                tag=unit.tag, sku=unit.sku, product=_product(unit), status=status))
            facts = [self.tr("Graded {grade} at inspection; cost {cost}").format(
                grade=unit.grade or "—", cost=format_money(unit.cost_minor))]
            if unit.inspection_notes:
                facts.append(self.tr("Inspection note: {note}").format(note=unit.inspection_notes))
            if unit.status != RefurbishStatus.WAITING:
                moment = local_moment(unit.finished_at)
                when = moment.toString("yyyy-MM-dd HH:mm") if moment is not None else ""
                facts.append(self.tr("Finished {when} by {who}").format(when=when, who=unit.finished_by or ""))
                if unit.repair_note:
                    facts.append(self.tr("Repair note: {note}").format(note=unit.repair_note))
                if unit.parts_cost_minor:
                    facts.append(self.tr("Parts: {amount}").format(amount=format_money(unit.parts_cost_minor)))
                if unit.scrap_reason:
                    facts.append(self.tr("Scrap reason: {reason}").format(reason=unit.scrap_reason))
                if unit.signed_off_by:
                    facts.append(self.tr("Signed off by {name}").format(name=unit.signed_off_by))
            self.facts_label.setText("\n".join(facts))
            if changed:
                self.unit_shown.emit(unit.tag)
        waiting = unit is not None and unit.status == RefurbishStatus.WAITING
        self.work_box.setEnabled(waiting)
        limit = self._queue.scrap_signoff_limit_minor if self._queue is not None else None
        if limit is None:
            self.limit_label.clear()
        elif self._is_supervisor:
            self.limit_label.setText(self.tr("Scrapping above {limit} (cost and parts) needs a supervisor: you are"
                                             " one.").format(limit=format_money(limit)))
        else:
            self.limit_label.setText(self.tr("Scrapping above {limit} (cost and parts) needs a supervisor's"
                                             " sign-off.").format(limit=format_money(limit)))
        self._show_message()

    def _refusal_context(self) -> str:
        return self.tr("working on the refurbish queue")

    # ------------------------------------------------------------------ scanning
    def scan(self, text: str) -> None:
        """An item tag scanned: its unit is shown."""
        self._tasks.run(self._api.refurbish.find_refurbish_unit, text, on_done=self._on_found,
                        on_error=self._on_refused, key=("refurbish-scan", id(self)))

    def _on_found(self, unit: RefurbishUnit) -> None:
        self._say("")
        tags = [u.tag for u in self.waiting_model.rows]
        if unit.tag in tags:
            self.waiting_table.selectRow(tags.index(unit.tag))
        else:
            self.waiting_table.clearSelection()
        self._show(unit)
        if unit.status == RefurbishStatus.WAITING:
            self.repair_note_edit.setFocus()

    def _focus_scrap(self) -> None:
        if self.work_box.isEnabled():
            self.scrap_reason_edit.setFocus()
            if self.scrap_reason_edit.text().strip():
                self.scrap()

    # ------------------------------------------------------------------ actions
    def _parts_minor(self) -> int | None:
        text = self.parts_edit.text().strip() or "0"
        try:
            return to_minor(text)
        except (ValueError, TypeError):
            self._say(self.tr("“{text}” is not an amount; type the parts cost, e.g. 8.50.").format(text=text),
                      error=True)
            self.parts_edit.setFocus()
            return None

    def put_back(self) -> None:
        """The unit shown is repaired: back into available stock at the grade chosen."""
        unit = self._unit
        if unit is None or not self.work_box.isEnabled():
            return
        parts = self._parts_minor()
        if parts is None:
            return
        grade = str(self.grade_combo.currentData())
        self._tasks.run(self._api.refurbish.refurbish_unit, unit.tag, grade=grade,
                        repair_note=self.repair_note_edit.text().strip() or None, parts_cost_minor=parts,
                        on_done=self._finished(self.tr("{tag} is back in available stock at grade {grade}.")),
                        on_error=self._on_refused, busy=[self.work_box], key=("refurbish-action", id(self)))

    def scrap(self) -> None:
        """The unit shown goes to scrap, with the reason typed; a supervisor signs off above the limit."""
        unit = self._unit
        if unit is None or not self.work_box.isEnabled():
            return
        reason = self.scrap_reason_edit.text().strip()
        if not reason:
            self._say(self.tr("Type why the unit is scrapped."), error=True)
            self.scrap_reason_edit.setFocus()
            return
        parts = self._parts_minor()
        if parts is None:
            return
        note = self.repair_note_edit.text().strip() or None
        limit = self._queue.scrap_signoff_limit_minor if self._queue is not None else 0
        value = unit.cost_minor + parts
        done = self._finished(self.tr("{tag} is scrapped."))
        if value > limit and not self._is_supervisor:
            def submit(sign_off: SignOff) -> RefurbishUnit:
                return self._api.refurbish.scrap_unit(unit.tag, reason=reason, repair_note=note,
                                                      parts_cost_minor=parts, sign_off=sign_off)

            what = self.tr("Scrap {tag} ({sku}), worth {value}: above the limit of {limit}.").format(
                tag=unit.tag, sku=unit.sku, value=format_money(value), limit=format_money(limit))
            dialog = SupervisorSignOffDialog(self._tasks, submit, what, self)
            self.sign_off_dialog = dialog
            dialog.signed_off.connect(done)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            dialog.open()
            self.sign_off_requested.emit(dialog)
            return
        self._tasks.run(self._api.refurbish.scrap_unit, unit.tag, reason=reason, repair_note=note,
                        parts_cost_minor=parts, on_done=done, on_error=self._on_refused, busy=[self.work_box],
                        key=("refurbish-action", id(self)))

    def _finished(self, message: str) -> Callable[[RefurbishUnit], None]:
        def done(unit: RefurbishUnit) -> None:
            self._say(message.format(tag=unit.tag, grade=unit.new_grade or ""))
            self._unit = None
            self._show(unit)
            self.scan_edit.setFocus()
            self.unit_finished.emit(unit.tag)
            self.refresh()

        return done
