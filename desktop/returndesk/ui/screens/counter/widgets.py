"""The panels of the counter intake screen.

* :class:`CounterLineEditor` — what the customer returns of the line chosen in the table:
  quantity, reason, resolution, conditions confirmed with the goods in hand, notes, serials.
* :class:`CounterReturnOptions` — the return as a whole: walk-in or remote, refund method, the
  condition seen at the counter, notes, and the override reason when a line needs one.
* :class:`CounterRefundSummary` — the expected refund with its deductions.
* :class:`CounterResultPanel` — what happened after submitting: the RMA, its status, next steps.

The panes the screen's form is built from, top to bottom: :class:`SaleSearchPaneWidget` (the
search field and its status), :class:`SaleResultsView` (the sales that match), :class:`SalePaneWidget`
(the sale found), :class:`SaleLinesView` (its lines), :class:`ReturnEditorsPaneWidget` (the three
panels above side by side) and :class:`SubmitPaneWidget` (the problems, New return, Issue RMA).

The panels only show and collect values; the screen decides what they mean.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from returndesk.domain.money import format_money
from returndesk.domain.types import Channel, Grade, RefundMethod, Resolution
from returndesk.api.types import ReturnPreview
from returndesk.api.types import ReasonView, SaleLineView, refund_methods_for
from returndesk.ui.i18n import choices, tr_refund_method, tr_resolution
from returndesk.ui.fonts import scale_font
from returndesk.ui.screens.counter.models import CounterLinesTableModel, LineEntry, tr_condition
from returndesk.ui.widgets import MoneyLabel, StatusPill

PROBLEM_STYLE = "QLabel { color: #b71c1c; }"
HINT_STYLE = "QLabel { color: #546e7a; }"


def _label(name: str, *, wrap: bool = True, style: str = "") -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if style:
        label.setStyleSheet(style)
    return label


def split_serials(text: str) -> tuple[str, ...]:
    """Serial numbers typed or scanned into one field, separated by commas, spaces or new lines."""
    parts = text.replace(",", " ").replace(";", " ").split()
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


# --------------------------------------------------------------------------- one line


class CounterLineEditor(QGroupBox):
    """Edits the entry of one sale line; ``entry_edited(dict)`` carries the changed fields."""

    entry_edited = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("line_editor")
        self._line: SaleLineView | None = None
        self._conditions: list[tuple[str, QCheckBox]] = []
        self._channel = Channel.COUNTER
        self._reasons: dict[str, ReasonView] = {}
        self._chinese = False
        self._title = ""

        self.quantity_label = QLabel()
        self.quantity_spin = QSpinBox()
        self.quantity_spin.setObjectName("quantity_spin")
        self.quantity_spin.setAccelerated(True)
        self.quantity_spin.setMinimumWidth(70)
        self.quantity_spin.valueChanged.connect(self._on_quantity_spin_value_changed)
        self.quantity_label.setBuddy(self.quantity_spin)
        self.returnable_label = _label("returnable_label", wrap=False, style=HINT_STYLE)
        quantity_row = QHBoxLayout()
        quantity_row.setContentsMargins(0, 0, 0, 0)
        quantity_row.addWidget(self.quantity_spin)
        quantity_row.addWidget(self.returnable_label, 1)

        self.reason_label = QLabel()
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("reason_combo")
        self.reason_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.reason_combo.setMinimumContentsLength(16)
        self.reason_combo.currentIndexChanged.connect(self._on_reason_combo_current_index_changed)
        self.reason_label.setBuddy(self.reason_combo)

        self.resolution_label = QLabel()
        self.resolution_combo = QComboBox()
        self.resolution_combo.setObjectName("resolution_combo")
        for resolution in Resolution:
            self.resolution_combo.addItem("", resolution.value)
        self.resolution_combo.currentIndexChanged.connect(self._on_resolution_combo_current_index_changed)
        self.resolution_label.setBuddy(self.resolution_combo)

        self.conditions_label = QLabel()
        self.conditions_box = QWidget()
        self.conditions_box.setObjectName("conditions_box")
        self._conditions_layout = QVBoxLayout(self.conditions_box)
        self._conditions_layout.setContentsMargins(0, 0, 0, 0)
        self._conditions_layout.setSpacing(2)
        self.conditions_hint_label = _label("conditions_hint_label", style=HINT_STYLE)
        self._conditions_layout.addWidget(self.conditions_hint_label)

        self.condition_notes_label = QLabel()
        self.condition_notes_edit = QLineEdit()
        self.condition_notes_edit.setObjectName("condition_notes_edit")
        self.condition_notes_edit.setClearButtonEnabled(True)
        self.condition_notes_edit.textEdited.connect(self._on_condition_notes_edit_text_edited)
        self.condition_notes_label.setBuddy(self.condition_notes_edit)

        self.serials_label = QLabel()
        self.serials_edit = QLineEdit()
        self.serials_edit.setObjectName("serials_edit")
        # Serial numbers are scanned from the goods: no input method may compose them.
        self.serials_edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.serials_edit.textEdited.connect(self._on_serials_edit_text_edited)
        self.serials_label.setBuddy(self.serials_edit)

        self.problems_label = _label("line_problems_label", style=PROBLEM_STYLE)
        self.empty_label = _label("line_empty_label", style=HINT_STYLE)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow(self.quantity_label, quantity_row)
        self.form.addRow(self.reason_label, self.reason_combo)
        self.form.addRow(self.resolution_label, self.resolution_combo)
        self.form.addRow(self.conditions_label, self.conditions_box)
        self.form.addRow(self.condition_notes_label, self.condition_notes_edit)
        self.form.addRow(self.serials_label, self.serials_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addLayout(self.form)
        layout.addWidget(self.problems_label)
        layout.addStretch(1)
        self._set_editing(False)
        self._update_serials_row()

    # ------------------------------------------------------------------ texts
    def retranslate_ui(self) -> None:
        self.quantity_label.setText(self.tr("&Quantity"))
        self.quantity_spin.setToolTip(self.tr("Units the customer returns now (Enter: next field)"))
        self.reason_label.setText(self.tr("Rea&son"))
        self.reason_combo.setPlaceholderText(self.tr("Choose a reason…"))
        self.reason_combo.setToolTip(self.tr("Why the customer returns the item; needed for every line returned"))
        self.resolution_label.setText(self.tr("Customer &wants"))
        for i in range(self.resolution_combo.count()):
            self.resolution_combo.setItemText(i, tr_resolution(self.resolution_combo.itemData(i)))
        self.conditions_label.setText(self.tr("Confirmed"))
        self.condition_notes_label.setText(self.tr("Condition &notes"))
        self.condition_notes_edit.setPlaceholderText(self.tr("What the goods look like (optional)"))
        self.serials_label.setText(self.tr("Serial n&umbers"))
        self.serials_edit.setPlaceholderText(self.tr("Scan or type each unit's serial number"))
        self.serials_edit.setToolTip(
            self.tr("Needed to inspect serial-tracked items at the counter; separate several with spaces")
        )
        self.empty_label.setText(self.tr("Find a sale, then choose a line in the table to return it."))
        for code, box in self._conditions:
            box.setText(tr_condition(code).capitalize())
        self._update_title()
        self._update_returnable()
        self._update_conditions_hint()
        self._refill_reason_names()

    # ------------------------------------------------------------------ showing a line
    def set_conditions(self, codes: Sequence[str]) -> None:
        """The conditions the policy requires (one check box each)."""
        for _code, box in self._conditions:
            self._conditions_layout.removeWidget(box)
            box.deleteLater()
        self._conditions = []
        for code in codes:
            box = QCheckBox(tr_condition(code).capitalize())
            box.setObjectName(f"condition_{code}")
            box.toggled.connect(self._on_condition_toggled)
            self._conditions_layout.insertWidget(len(self._conditions), box)
            box.show()  # at once, not from the layout's queued show: Enter may move here next
            self._conditions.append((code, box))
        self._update_conditions_hint()

    def set_reasons(self, reasons: Sequence[ReasonView], chinese: bool) -> None:
        with QSignalBlocker(self.reason_combo):
            self.reason_combo.clear()
            for reason in reasons:
                self.reason_combo.addItem(reason.name_zh if chinese and reason.name_zh else reason.name_en, reason.code)
            self.reason_combo.setCurrentIndex(-1)
        self._reasons = {r.code: r for r in reasons}
        self._chinese = chinese

    def _refill_reason_names(self) -> None:
        for i in range(self.reason_combo.count()):
            reason = self._reasons.get(self.reason_combo.itemData(i))
            if reason is not None:
                name = reason.name_zh if self._chinese and reason.name_zh else reason.name_en
                self.reason_combo.setItemText(i, name)

    def set_channel(self, channel: Channel) -> None:
        self._channel = Channel(channel)
        walk_in = self._channel is Channel.COUNTER
        for _code, box in self._conditions:
            box.setEnabled(walk_in and self._line is not None)
        self._update_conditions_hint()
        self._update_serials_row()

    def show_line(self, line: SaleLineView | None, entry: LineEntry | None, title: str = "",
                  problems: Sequence[str] = ()) -> None:
        """Show ``line`` with ``entry`` (None: no line chosen)."""
        self._line = line
        self._title = title
        self._set_editing(line is not None)
        entry = entry or LineEntry()
        with QSignalBlocker(self.quantity_spin):
            self.quantity_spin.setRange(0, line.qty_returnable if line is not None else 0)
            self.quantity_spin.setValue(entry.quantity)
        with QSignalBlocker(self.reason_combo):
            self.reason_combo.setCurrentIndex(
                self.reason_combo.findData(entry.reason_code) if entry.reason_code else -1
            )
        with QSignalBlocker(self.resolution_combo):
            self.resolution_combo.setCurrentIndex(
                max(0, self.resolution_combo.findData(Resolution(entry.resolution).value))
            )
        self._limit_resolutions(entry.reason_code)
        for code, box in self._conditions:
            with QSignalBlocker(box):
                box.setChecked(code in entry.conditions)
        if self.condition_notes_edit.text() != entry.condition_notes:
            self.condition_notes_edit.setText(entry.condition_notes)
        serials = " ".join(entry.serials)
        if tuple(split_serials(self.serials_edit.text())) != entry.serials:
            self.serials_edit.setText(serials)
        self.set_channel(self._channel)
        self.set_problems(problems)
        self._update_title()
        self._update_returnable()

    def set_problems(self, problems: Sequence[str]) -> None:
        self.problems_label.setText("\n".join(f"• {p}" for p in problems))
        self.problems_label.setVisible(bool(problems))

    def _set_editing(self, editing: bool) -> None:
        for widget in (self.quantity_spin, self.reason_combo, self.resolution_combo, self.condition_notes_edit,
                       self.serials_edit):
            widget.setEnabled(editing)
        for _code, box in self._conditions:
            box.setEnabled(editing and self._channel is Channel.COUNTER)
        self.empty_label.setVisible(not editing)

    def _update_title(self) -> None:
        title = self._title
        self.setTitle(self.tr("Line {title}").format(title=title) if self._line is not None and title
                      else self.tr("Line to return"))

    def _update_returnable(self) -> None:
        line = self._line
        if line is None:
            self.returnable_label.setText("")
            return
        self.returnable_label.setText(self.tr("of {count} returnable").format(count=line.qty_returnable)
                                      if line.qty_returnable else self.tr("nothing left to return"))

    def _update_conditions_hint(self) -> None:
        if self._line is None:
            text = ""
        elif not self._conditions:
            text = self.tr("The policy requires no particular condition.")
        elif self._channel is not Channel.COUNTER:
            text = self.tr("Checked when the parcel arrives.")
        else:
            text = ""
        self.conditions_hint_label.setText(text)
        self.conditions_hint_label.setVisible(bool(text))

    def _update_serials_row(self) -> None:
        visible = bool(self._line is not None and self._line.serial_tracked and self._channel is Channel.COUNTER)
        self.form.setRowVisible(self.serials_edit, visible)

    def _limit_resolutions(self, reason_code: str | None) -> None:
        """Offer only the resolutions the reason allows (e.g. "better price" is refund only)."""
        reason = self._reasons.get(reason_code or "")
        model = self.resolution_combo.model()
        assert isinstance(model, QStandardItemModel)
        for i in range(self.resolution_combo.count()):
            allowed = reason is None or reason.allows(self.resolution_combo.itemData(i))
            model.item(i).setEnabled(allowed)

    # ------------------------------------------------------------------ edits
    def current_conditions(self) -> frozenset[str]:
        return frozenset(code for code, box in self._conditions if box.isChecked())

    def condition_boxes(self) -> list[QCheckBox]:
        return [box for _code, box in self._conditions]

    def _emit(self, **changes: object) -> None:
        if self._line is not None:
            self.entry_edited.emit(changes)

    def _on_quantity_spin_value_changed(self, value: int) -> None:
        self._emit(quantity=value)

    def _on_reason_combo_current_index_changed(self, index: int) -> None:
        code = self.reason_combo.itemData(index) if index >= 0 else None
        self._limit_resolutions(code)
        changes: dict[str, object] = {"reason_code": code}
        reason = self._reasons.get(code or "")
        current = self.resolution_combo.currentData()
        if reason is not None and not reason.allows(current) and reason.allowed_resolutions:
            allowed = reason.allowed_resolutions[0]
            with QSignalBlocker(self.resolution_combo):
                self.resolution_combo.setCurrentIndex(self.resolution_combo.findData(allowed.value))
            changes["resolution"] = allowed
        self._emit(**changes)

    def _on_resolution_combo_current_index_changed(self, index: int) -> None:
        if index >= 0:
            self._emit(resolution=Resolution(self.resolution_combo.itemData(index)))

    def _on_condition_toggled(self, _checked: bool) -> None:
        self._emit(conditions=self.current_conditions())

    def _on_condition_notes_edit_text_edited(self, text: str) -> None:
        self._emit(condition_notes=text)

    def _on_serials_edit_text_edited(self, text: str) -> None:
        self._emit(serials=split_serials(text))


# --------------------------------------------------------------------------- the return


class CounterReturnOptions(QGroupBox):
    """Walk-in or remote, refund method, condition seen, notes, override reason.

    ``options_changed`` when anything that changes the return's judgement or refund changes.
    """

    options_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("return_options")
        self._override_needed = False
        self._may_override = False

        self.walk_in_radio = QRadioButton()
        self.walk_in_radio.setObjectName("walk_in_radio")
        self.remote_radio = QRadioButton()
        self.remote_radio.setObjectName("remote_radio")
        self.channel_group = QButtonGroup(self)
        self.channel_group.addButton(self.walk_in_radio)
        self.channel_group.addButton(self.remote_radio)
        self.walk_in_radio.setChecked(True)
        self.walk_in_radio.toggled.connect(self._on_walk_in_radio_toggled)

        self.method_label = QLabel()
        self.refund_method_combo = QComboBox()
        self.refund_method_combo.setObjectName("refund_method_combo")
        for method in RefundMethod:
            self.refund_method_combo.addItem("", method.value)
        self.refund_method_combo.currentIndexChanged.connect(self._on_refund_method_combo_current_index_changed)
        self.method_label.setBuddy(self.refund_method_combo)
        self.method_problem_label = _label("method_problem_label", style=PROBLEM_STYLE)
        self.method_problem_label.hide()

        self.grade_label = QLabel()
        self.grade_combo = QComboBox()
        self.grade_combo.setObjectName("grade_combo")
        for code, _name in choices(Grade):
            self.grade_combo.addItem("", code)
        self.grade_combo.currentIndexChanged.connect(self._on_grade_combo_current_index_changed)
        self.grade_label.setBuddy(self.grade_combo)
        self.on_spot_check = QCheckBox()
        self.on_spot_check.setObjectName("on_spot_check")
        self.on_spot_check.setChecked(True)

        self.notes_label = QLabel()
        self.notes_edit = QLineEdit()
        self.notes_edit.setObjectName("notes_edit")
        self.notes_edit.setClearButtonEnabled(True)
        self.notes_label.setBuddy(self.notes_edit)

        self.override_label = QLabel()
        self.override_edit = QLineEdit()
        self.override_edit.setObjectName("override_edit")
        self.override_edit.setClearButtonEnabled(True)
        self.override_edit.textEdited.connect(self._on_override_edit_text_edited)
        self.override_label.setBuddy(self.override_edit)
        self.override_hint_label = _label("override_hint_label")

        channel_row = QVBoxLayout()
        channel_row.setSpacing(2)
        channel_row.addWidget(self.walk_in_radio)
        channel_row.addWidget(self.remote_radio)
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.channel_label = QLabel()
        self.form.addRow(self.channel_label, channel_row)
        self.form.addRow(self.method_label, self.refund_method_combo)
        self.form.addRow("", self.method_problem_label)
        self.form.addRow(self.grade_label, self.grade_combo)
        self.form.addRow("", self.on_spot_check)
        self.form.addRow(self.notes_label, self.notes_edit)
        self.form.addRow(self.override_label, self.override_edit)
        self.form.addRow(self.override_hint_label)
        self._update_channel()

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Return"))
        self.channel_label.setText(self.tr("Channel"))
        self.walk_in_radio.setText(self.tr("&Walk-in, goods in hand"))
        self.walk_in_radio.setToolTip(
            self.tr("The goods are received at the counter now, and refunded on the spot when the policy allows")
        )
        self.remote_radio.setText(self.tr("&Remote (phone, online)"))
        self.remote_radio.setToolTip(self.tr("An RMA is issued; the customer sends the goods with the return label"))
        self.method_label.setText(self.tr("Refund &method"))
        for i in range(self.refund_method_combo.count()):
            self.refund_method_combo.setItemText(i, tr_refund_method(self.refund_method_combo.itemData(i)))
        self.grade_label.setText(self.tr("Condition &seen"))
        for i, (_code, name) in enumerate(choices(Grade)):
            self.grade_combo.setItemText(i, name)
        self.grade_combo.setToolTip(
            self.tr("How the goods look at the counter; opened or used goods may carry deductions")
        )
        self.on_spot_check.setText(self.tr("&Inspect and refund on the spot when allowed"))
        self.on_spot_check.setToolTip(
            self.tr("Otherwise the goods go to the inspection area and are inspected at a station")
        )
        self.notes_label.setText(self.tr("N&otes"))
        self.notes_edit.setPlaceholderText(self.tr("Anything the next person should know (optional)"))
        self.override_label.setText(self.tr("O&verride reason"))
        self.override_edit.setPlaceholderText(self.tr("Why the return is accepted outside the policy"))
        self._update_channel()
        self._update_override()

    # ------------------------------------------------------------------ values
    def channel(self) -> Channel:
        return Channel.COUNTER if self.walk_in_radio.isChecked() else Channel.REMOTE

    def set_channel(self, channel: Channel) -> None:
        (self.walk_in_radio if Channel(channel) is Channel.COUNTER else self.remote_radio).setChecked(True)

    def refund_method(self) -> RefundMethod:
        return RefundMethod(self.refund_method_combo.currentData())

    def set_refund_method(self, method: RefundMethod) -> None:
        self.refund_method_combo.setCurrentIndex(self.refund_method_combo.findData(RefundMethod(method).value))

    def grade(self) -> Grade:
        return Grade(self.grade_combo.currentData())

    def complete_on_spot(self) -> bool:
        return self.on_spot_check.isChecked()

    def notes(self) -> str:
        return self.notes_edit.text().strip()

    def override_reason(self) -> str:
        writes = self._may_override or self.channel() is Channel.COUNTER  # a clerk's is signed off
        return self.override_edit.text().strip() if self._override_needed and writes else ""

    def reset(self) -> None:
        """Back to a new walk-in return paid back to the original payment."""
        with QSignalBlocker(self.walk_in_radio), QSignalBlocker(self.remote_radio):
            self.walk_in_radio.setChecked(True)
        with QSignalBlocker(self.refund_method_combo):
            self.refund_method_combo.setCurrentIndex(0)
        with QSignalBlocker(self.grade_combo):
            self.grade_combo.setCurrentIndex(0)
        self.on_spot_check.setChecked(True)
        self.notes_edit.clear()
        self.override_edit.clear()
        self.set_method_problem("")
        self._override_needed = False
        self._update_channel()
        self._update_override()

    # ------------------------------------------------------------------ states
    def set_override(self, needed: bool, may_override: bool) -> None:
        """Show the override reason when a line needs one; only users who may override type it."""
        self._override_needed = needed
        self._may_override = may_override
        self._update_override()

    def set_method_problem(self, text: str) -> None:
        self.method_problem_label.setText(text)
        self.method_problem_label.setVisible(bool(text))

    def cash_allowed(self) -> bool:
        return RefundMethod.CASH in refund_methods_for(self.channel())

    def _update_override(self) -> None:
        walk_in = self.channel() is Channel.COUNTER
        # A clerk writes the reason too at the counter: a supervisor signs off on this screen.
        self.form.setRowVisible(self.override_edit, self._override_needed and (self._may_override or walk_in))
        self.form.setRowVisible(self.override_hint_label, self._override_needed)
        if not self._override_needed:
            self.override_hint_label.setText("")
        elif self._may_override:
            self.override_hint_label.setStyleSheet(HINT_STYLE)
            self.override_hint_label.setText(self.tr(
                "A line is outside the policy: write why it is accepted; the override is kept with the return."))
        elif walk_in:
            self.override_hint_label.setStyleSheet(HINT_STYLE)
            self.override_hint_label.setText(self.tr(
                "A line is outside the policy: write why it is accepted; a supervisor signs off on this screen "
                "when you take the return."))
        else:
            self.override_hint_label.setStyleSheet(PROBLEM_STYLE)
            self.override_hint_label.setText(self.tr(
                "A line is outside the policy: only a supervisor can accept it."))

    def _update_channel(self) -> None:
        walk_in = self.channel() is Channel.COUNTER
        model = self.refund_method_combo.model()
        assert isinstance(model, QStandardItemModel)
        cash_row = self.refund_method_combo.findData(RefundMethod.CASH.value)
        cash_item = model.item(cash_row)
        cash_item.setEnabled(walk_in)
        cash_item.setToolTip("" if walk_in else self.tr("Cash is paid out at the counter only"))
        self.form.setRowVisible(self.grade_combo, walk_in)
        self.form.setRowVisible(self.on_spot_check, walk_in)

    def _on_walk_in_radio_toggled(self, _checked: bool) -> None:
        self._update_channel()
        self.options_changed.emit()

    def _on_refund_method_combo_current_index_changed(self, _index: int) -> None:
        self.options_changed.emit()

    def _on_grade_combo_current_index_changed(self, _index: int) -> None:
        self.options_changed.emit()

    def _on_override_edit_text_edited(self, _text: str) -> None:
        self.options_changed.emit()


# --------------------------------------------------------------------------- the refund


class CounterRefundSummary(QGroupBox):
    """The expected refund of the draft: goods, deductions, shipping and the total."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("refund_summary")
        self.goods_label, self.goods_money = QLabel(), MoneyLabel()
        self.fee_label, self.fee_money = QLabel(), MoneyLabel()
        self.grade_label, self.grade_money = QLabel(), MoneyLabel()
        self.shipping_label, self.shipping_money = QLabel(), MoneyLabel()
        self.total_label, self.total_money = QLabel(), MoneyLabel()
        self.total_money.setObjectName("total_money")
        self.goods_money.setObjectName("goods_money")
        self.fee_money.setObjectName("fee_money")
        self.grade_money.setObjectName("grade_money")
        self.shipping_money.setObjectName("shipping_money")
        scale_font(self.total_label, 1.3, bold=True)
        scale_font(self.total_money, 1.8, bold=True)
        self.basis_label = _label("basis_label", style=HINT_STYLE)
        self.opened_label = _label("opened_label", style=HINT_STYLE)
        # The limit that actually applies to an on-the-spot refund (the policy's automatic limit
        # may be below the clerk's own): the clerk sees it before taking the return.
        self.spot_limit_label = _label("spot_limit_label", style=HINT_STYLE)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        grid = QGridLayout()
        grid.setColumnStretch(0, 1)
        for row, (label, money) in enumerate(((self.goods_label, self.goods_money), (self.fee_label, self.fee_money),
                                              (self.grade_label, self.grade_money),
                                              (self.shipping_label, self.shipping_money))):
            grid.addWidget(label, row, 0)
            grid.addWidget(money, row, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(rule, 4, 0, 1, 2)
        grid.addWidget(self.total_label, 5, 0, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.total_money, 5, 1, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.basis_label)
        layout.addWidget(self.opened_label)
        layout.addWidget(self.spot_limit_label)
        layout.addStretch(1)
        self._preview: ReturnPreview | None = None
        self.show_preview(None)

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Expected refund"))
        self.goods_label.setText(self.tr("Goods"))
        self.fee_label.setText(self.tr("Restocking fee"))
        self.grade_label.setText(self.tr("Grade deduction"))
        self.shipping_label.setText(self.tr("Shipping refunded"))
        self.total_label.setText(self.tr("Refund"))
        self.basis_label.setText(self.tr("Grade A assumed: as sold."))
        self.basis_label.setToolTip(self.tr("The refund assumes the goods come back as they were sold; inspection "
                                            "decides the final amount."))
        self.show_preview(self._preview)

    def show_preview(self, preview: ReturnPreview | None, currency: str = "CNY") -> None:
        """Show the figures of ``preview`` (None: nothing chosen yet)."""
        self._preview = preview
        if preview is None:
            for money in (self.goods_money, self.fee_money, self.grade_money, self.shipping_money, self.total_money):
                money.set_amount(None, currency)
            self.opened_label.setText("")
            self.opened_label.hide()
            self._show_spot_limit(None)
            return
        currency = preview.currency
        fees = sum(line.restocking_fee_minor for line in preview.lines)
        grade = sum(line.deduction_minor for line in preview.lines)
        self.goods_money.set_amount(preview.subtotal_minor, currency)
        self.fee_money.set_amount(-fees, currency)
        self.grade_money.set_amount(-grade, currency)
        self.shipping_money.set_amount(preview.shipping_refund_minor, currency)
        self.total_money.set_amount(preview.total_minor, currency)
        extra = preview.fees_if_opened_minor
        self.opened_label.setVisible(extra > 0)
        self.opened_label.setText(self.tr("If opened: fee up to {amount}.").format(
            amount=format_money(extra, currency)) if extra > 0 else "")
        self.opened_label.setToolTip(self.tr("Opened goods returned for a reason of the customer's own carry the "
                                             "restocking fee") if extra > 0 else "")
        self._show_spot_limit(preview)

    def _show_spot_limit(self, preview: ReturnPreview | None) -> None:
        limit = preview.spot_limit if preview is not None else None
        if preview is None or limit is None or limit.amount is None or preview.channel != Channel.COUNTER.value:
            self.spot_limit_label.hide()
            self.spot_limit_label.setText("")
            return
        amount = format_money(limit.amount, preview.currency)
        if limit.policy_limit is None:
            source = self.tr("your approval limit")
        elif limit.own > limit.amount:
            source = self.tr("the policy's automatic approval limit; your own limit is {own}").format(
                own=format_money(limit.own, preview.currency))
        else:
            source = self.tr("the policy's automatic approval limit")
        if preview.total_minor > limit.amount:
            text = self.tr("Above {amount} ({source}): a supervisor approves the refund; it is not paid "
                           "on the spot.").format(amount=amount, source=source)
            self.spot_limit_label.setStyleSheet(PROBLEM_STYLE)
        else:
            text = self.tr("Refunded on the spot up to {amount} ({source}).").format(amount=amount, source=source)
            self.spot_limit_label.setStyleSheet(HINT_STYLE)
        self.spot_limit_label.setText(text)
        self.spot_limit_label.show()


# --------------------------------------------------------------------------- the result


class CounterResultPanel(QWidget):
    """What the submitted return came to: the RMA, its status, what happened and what next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("result_panel")
        self.caption_label = _label("result_caption_label", wrap=False, style=HINT_STYLE)
        self.rma_label = QLabel()
        self.rma_label.setObjectName("result_rma_label")
        self.rma_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scale_font(self.rma_label, 3.0, bold=True)
        self.status_pill = StatusPill()
        self.status_pill.setObjectName("result_status_pill")
        scale_font(self.status_pill, 1.3, bold=True)
        self.headline_label = _label("result_headline_label")
        scale_font(self.headline_label, 1.6, bold=True)
        self.message_label = _label("result_message_label")
        scale_font(self.message_label, 1.1)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lines_label = _label("result_lines_label")
        self.lines_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.next_title_label = _label("result_next_title_label", wrap=False)
        scale_font(self.next_title_label, 1.1, bold=True)
        self.next_label = _label("result_next_label")
        scale_font(self.next_label, 1.1)
        self.print_button = QPushButton()
        self.print_button.setObjectName("print_button")
        self.print_button.setAutoDefault(True)
        self.new_button = QPushButton()
        self.new_button.setObjectName("new_return_button")
        self.new_button.setAutoDefault(True)
        # Shown when the return waits for a supervisor, or for the replacement of an exchange.
        self.sign_off_button = QPushButton()
        self.sign_off_button.setObjectName("sign_off_button")
        self.sign_off_button.setAutoDefault(True)
        self.sign_off_button.setVisible(False)
        self.exchange_button = QPushButton()
        self.exchange_button.setObjectName("exchange_button")
        self.exchange_button.setAutoDefault(True)
        self.exchange_button.setVisible(False)
        for button in (self.sign_off_button, self.exchange_button, self.print_button, self.new_button):
            scale_font(button, 1.2, bold=True)
            button.setStyleSheet("QPushButton { padding: 8px 18px; }")
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.print_status_label = _label("print_status_label")

        rma_row = QHBoxLayout()
        rma_row.addWidget(self.rma_label)
        rma_row.addSpacing(16)
        rma_row.addWidget(self.status_pill, 0, Qt.AlignmentFlag.AlignVCenter)
        rma_row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_off_button)
        buttons.addWidget(self.exchange_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        card = QFrame()
        card.setObjectName("result_card")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(24, 20, 24, 20)
        card_layout.setSpacing(10)
        card_layout.addWidget(self.caption_label)
        card_layout.addLayout(rma_row)
        card_layout.addWidget(self.headline_label)
        card_layout.addWidget(self.message_label)
        card_layout.addWidget(self.lines_label)
        card_layout.addSpacing(8)
        card_layout.addWidget(self.next_title_label)
        card_layout.addWidget(self.next_label)
        card_layout.addSpacing(8)
        card_layout.addLayout(buttons)
        card_layout.addWidget(self.print_status_label)
        layout = QVBoxLayout(self)
        layout.addWidget(card)
        layout.addStretch(1)

    def set_print_status(self, text: str, *, problem: bool = False) -> None:
        self.print_status_label.setStyleSheet(PROBLEM_STYLE if problem else HINT_STYLE)
        self.print_status_label.setText(text)
        self.print_status_label.setVisible(bool(text))


# ---------------------------------------------------------------------------- the form's panes
class SaleSearchPaneWidget(QWidget):
    """The search row (caption, field, Find) and the line saying what the search found."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.find_label = QLabel()
        # A plain line edit: a customer's Chinese name needs the input method. Scans do not land
        # here but go to the screen (``accept_scan``), which tells a receipt from an item.
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("search_edit")
        self.search_edit.setClearButtonEnabled(True)
        scale_font(self.search_edit, 1.3)
        self.find_label.setBuddy(self.search_edit)
        self.find_button = QPushButton()
        self.find_button.setObjectName("find_button")
        self.find_button.setAutoDefault(True)
        # A customer with an item and no receipt, and no sale to be found.
        self.no_receipt_button = QPushButton()
        self.no_receipt_button.setObjectName("no_receipt_button")
        self.search_status_label = QLabel()
        self.search_status_label.setObjectName("search_status_label")
        self.search_status_label.setWordWrap(True)

        search_row = QHBoxLayout()
        search_row.addWidget(self.find_label)
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.find_button)
        search_row.addWidget(self.no_receipt_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(search_row)
        layout.addWidget(self.search_status_label)


class SaleResultsView(QTableView):
    """The sales a search matched, one row each (hidden until a search matches several)."""

    def __init__(self, model: QAbstractItemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("results_view")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.hide()


class SalePaneWidget(QGroupBox):
    """The sale found: customer, order, shop, sold, delivered, paid, and its earlier returns.

    ``fields`` maps each key to its (caption, value) labels; the screen writes both.
    """

    KEYS = ("customer", "order", "bought_at", "sold", "delivered", "paid")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sale_box")
        self.fields: dict[str, tuple[QLabel, QLabel]] = {}
        sale_grid = QGridLayout(self)
        sale_grid.setHorizontalSpacing(10)
        for i, key in enumerate(self.KEYS):
            caption = QLabel()
            caption.setStyleSheet(HINT_STYLE)
            value = QLabel()
            value.setObjectName(f"sale_{key}_label")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setTextFormat(Qt.TextFormat.PlainText)
            row, col = divmod(i, 3)
            sale_grid.addWidget(caption, row, col * 2, Qt.AlignmentFlag.AlignRight)
            sale_grid.addWidget(value, row, col * 2 + 1)
            sale_grid.setColumnStretch(col * 2 + 1, 1)
            self.fields[key] = (caption, value)
        self.earlier_label = QLabel()
        self.earlier_label.setObjectName("earlier_returns_label")
        self.earlier_label.setWordWrap(True)
        self.earlier_label.setStyleSheet(HINT_STYLE)
        sale_grid.addWidget(self.earlier_label, 2, 0, 1, 6)
        # The customer's store-credit balance (shown when there is one).
        self.store_credit_label = QLabel()
        self.store_credit_label.setObjectName("store_credit_label")
        self.store_credit_label.setStyleSheet("QLabel { color: #2e7d32; }")
        self.store_credit_label.hide()
        sale_grid.addWidget(self.store_credit_label, 3, 0, 1, 6)


class SaleLinesView(QTableView):
    """The sale's lines with what the customer returns of each and the policy's verdict."""

    def __init__(self, model: CounterLinesTableModel, *, text_height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lines_view")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        # Verdicts wrap onto a second line rather than being cut off.
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setAlternatingRowColors(True)
        self.setMinimumHeight(text_height * 8)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setMinimumSectionSize(text_height + 10)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CounterLinesTableModel.VERDICT, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)


class ReturnEditorsPaneWidget(QWidget):
    """The chosen line's editor, the return's options and the expected refund, side by side."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line_editor = CounterLineEditor()
        self.options = CounterReturnOptions()
        self.refund_summary = CounterRefundSummary()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line_editor, 5)
        layout.addWidget(self.options, 5)
        layout.addWidget(self.refund_summary, 3)


class SubmitPaneWidget(QWidget):
    """What stops the RMA being issued, and the New return and Issue RMA buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems_label = QLabel()
        self.problems_label.setObjectName("problems_label")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problems_label.setStyleSheet(PROBLEM_STYLE)
        self.submit_button = QPushButton()
        self.submit_button.setObjectName("submit_button")
        self.submit_button.setAutoDefault(True)
        scale_font(self.submit_button, 1.15, bold=True)
        self.clear_button = QPushButton()
        self.clear_button.setObjectName("clear_button")
        self.clear_button.setAutoDefault(True)
        for button in (self.submit_button, self.clear_button):
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.problems_label, 1)
        layout.addStretch(0)
        layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addWidget(self.submit_button, 0, Qt.AlignmentFlag.AlignBottom)
