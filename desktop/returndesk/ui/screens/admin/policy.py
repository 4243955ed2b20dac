"""The return policy tab: the published versions, and the draft of the next one with what it
changes against the version in force, published for a day of the administrator's choosing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import PolicyDraftView, PolicyRules, PolicyView, diff_rules
from returndesk.domain.errors import ReturnDeskError, ValidationFailed
from returndesk.domain.money import to_major
from returndesk.domain.policy import CONDITION_LABELS
from returndesk.domain.types import Grade
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.i18n import QT_TRANSLATE_NOOP
from returndesk.ui.local_time import DATE_FORMAT, local_qdate, local_today
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.widgets.money import format_amount
from returndesk.ui.widgets.tables import (
    fill_table,
    make_table,
    moment_text,
    parse_amount,
    selected_value,
    set_headers,
)
from returndesk.ui.i18n import tr_message

CONTEXT = "PolicyTab"
SETTING_NAMES = {
    "window_days": QT_TRANSLATE_NOOP("PolicyTab", "Return window (days)"),
    "defect_window_days": QT_TRANSLATE_NOOP("PolicyTab", "Window for vendor faults (days)"),
    "category_windows": QT_TRANSLATE_NOOP("PolicyTab", "Window of a category (days)"),
    "non_returnable_categories": QT_TRANSLATE_NOOP("PolicyTab", "Non-returnable categories"),
    "required_conditions": QT_TRANSLATE_NOOP("PolicyTab", "Required conditions"),
    "conditions_apply_to_vendor_fault": QT_TRANSLATE_NOOP("PolicyTab", "Conditions also for vendor faults"),
    "grade_factors": QT_TRANSLATE_NOOP("PolicyTab", "Refunded share of grade"),
    "restocking_fee_pct": QT_TRANSLATE_NOOP("PolicyTab", "Restocking fee"),
    "auto_approve_limit": QT_TRANSLATE_NOOP("PolicyTab", "Automatic approval up to"),
    "supervisor_limit": QT_TRANSLATE_NOOP("PolicyTab", "A manager approves above"),
    "frequent_returner_count": QT_TRANSLATE_NOOP("PolicyTab", "Frequent returner: returns"),
    "frequent_returner_days": QT_TRANSLATE_NOOP("PolicyTab", "Frequent returner: within days"),
    "refund_shipping_on_vendor_fault": QT_TRANSLATE_NOOP("PolicyTab", "Refund shipping on vendor faults"),
    "receive_deadline_days": QT_TRANSLATE_NOOP("PolicyTab", "Days for a parcel to arrive"),
    "transit_allowance_days": QT_TRANSLATE_NOOP("PolicyTab", "Transit days without a delivery date"),
    "close_after_days": QT_TRANSLATE_NOOP("PolicyTab", "Close settled returns after (days)"),
    "claim_ageing_days": QT_TRANSLATE_NOOP("PolicyTab", "Supplier's answer overdue after (days)"),
    "scrap_signoff_limit": QT_TRANSLATE_NOOP("PolicyTab", "A supervisor signs off scrap above"),
    "policy_text_en": QT_TRANSLATE_NOOP("PolicyTab", "Policy text (English)"),
    "policy_text_zh": QT_TRANSLATE_NOOP("PolicyTab", "Policy text (Chinese)"),
}
CONDITION_NAMES = {
    "original_packaging": QT_TRANSLATE_NOOP("PolicyTab", "original packaging"),
    "tags_attached": QT_TRANSLATE_NOOP("PolicyTab", "tags attached"),
    "accessories_complete": QT_TRANSLATE_NOOP("PolicyTab", "accessories complete"),
    "proof_of_purchase": QT_TRANSLATE_NOOP("PolicyTab", "proof of purchase"),
    "seal_intact": QT_TRANSLATE_NOOP("PolicyTab", "factory seal intact"),
}


def setting_name(setting: str) -> str:
    """``category_windows[apparel]`` -> "Window of a category (days): apparel", translated."""
    base, _, key = setting.partition("[")
    name = QCoreApplication.translate(CONTEXT, SETTING_NAMES[base]) if base in SETTING_NAMES else base
    return f"{name}: {key.rstrip(']')}" if key else name


def setting_value(setting: str, text: str) -> str:
    """A setting's value as the form shows it: amounts in money, shares in per cent, yes or no."""
    if not text:
        return "—"
    base = setting.partition("[")[0]
    try:
        if base in ("auto_approve_limit", "supervisor_limit", "scrap_signoff_limit"):
            return format_amount(int(text))
        if base in ("restocking_fee_pct", "grade_factors"):
            return f"{(Decimal(text) * 100).normalize():f} %"
    except (ValueError, ArithmeticError):
        return text
    if text in ("true", "false"):
        if text == "true":
            return QCoreApplication.translate("PolicyTab", "Yes")
        return QCoreApplication.translate("PolicyTab", "No")
    return text


def _days(maximum: int = 3650, minimum: int = 0) -> QSpinBox:
    box = QSpinBox()
    box.setRange(minimum, maximum)
    return box


def _pairs(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in text.replace("，", ",").split(","):
        if not part.strip():
            continue
        name, sep, days = part.partition("=")
        if not sep or not days.strip().isdigit() or not name.strip():
            raise ValidationFailed(QCoreApplication.translate(
                "PolicyTab", "“{part}” is not a category window; write them like apparel=60, shoes=45.").format(
                    part=part.strip()[:30]))
        out[name.strip()] = int(days.strip())
    return out


class PolicyForm(QWidget):
    """Every setting of the rules, as fields; :meth:`rules` reads them back (``ValidationFailed``)."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("policy_form")
        self._base = PolicyRules.default()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("policy_name_edit")
        self.window_spin = _days()
        self.window_spin.setObjectName("window_spin")
        self.defect_window_spin = _days()
        self.category_edit = QLineEdit()
        self.category_edit.setObjectName("category_edit")
        self.category_edit.setPlaceholderText("apparel=60, shoes=45")
        self.non_returnable_edit = QLineEdit()
        self.non_returnable_edit.setObjectName("non_returnable_edit")
        self.non_returnable_edit.setPlaceholderText("food, hygiene")
        self.condition_checks = {code: QCheckBox() for code in CONDITION_LABELS}
        self.vendor_conditions_check = QCheckBox()
        self.grade_spins = {grade: QSpinBox() for grade in Grade}
        for grade, spin in self.grade_spins.items():
            spin.setRange(0, 100)
            spin.setSuffix(" %")
            spin.setObjectName(f"grade_{grade.value}_spin")
        self.fee_spin = QDoubleSpinBox()
        self.fee_spin.setObjectName("fee_spin")
        self.fee_spin.setRange(0, 100)
        self.fee_spin.setDecimals(1)
        self.fee_spin.setSuffix(" %")
        self.auto_limit_edit = QLineEdit()
        self.auto_limit_edit.setObjectName("auto_limit_edit")
        self.supervisor_limit_edit = QLineEdit()
        self.supervisor_limit_edit.setObjectName("supervisor_limit_edit")
        self.frequent_count_spin = _days(10000, 1)
        self.frequent_days_spin = _days(3650, 1)
        self.shipping_check = QCheckBox()
        self.receive_spin = _days(3650, 1)
        self.transit_spin = _days(365)
        self.close_spin = _days(365)
        self.claim_ageing_spin = _days(365, 1)
        self.scrap_limit_edit = QLineEdit()
        self.scrap_limit_edit.setObjectName("scrap_limit_edit")
        self.text_en_edit = QPlainTextEdit()
        self.text_zh_edit = QPlainTextEdit()
        for edit in (self.text_en_edit, self.text_zh_edit):
            edit.setFixedHeight(70)
        conditions = QVBoxLayout()
        for box in self.condition_checks.values():
            conditions.addWidget(box)
        grades = QHBoxLayout()
        for grade, spin in self.grade_spins.items():
            grades.addWidget(QLabel(grade.value))
            grades.addWidget(spin)
        grades.addStretch(1)
        self.form = QFormLayout(self)
        self.labels: dict[str, QLabel] = {}

        def row(key: str, field: QWidget | QHBoxLayout | QVBoxLayout) -> None:
            label = QLabel()
            self.labels[key] = label
            self.form.addRow(label, field)

        row("name", self.name_edit)
        row("window_days", self.window_spin)
        row("defect_window_days", self.defect_window_spin)
        row("category_windows", self.category_edit)
        row("non_returnable_categories", self.non_returnable_edit)
        row("required_conditions", conditions)
        row("conditions_apply_to_vendor_fault", self.vendor_conditions_check)
        row("grade_factors", grades)
        row("restocking_fee_pct", self.fee_spin)
        row("auto_approve_limit", self.auto_limit_edit)
        row("supervisor_limit", self.supervisor_limit_edit)
        row("frequent_returner_count", self.frequent_count_spin)
        row("frequent_returner_days", self.frequent_days_spin)
        row("refund_shipping_on_vendor_fault", self.shipping_check)
        row("receive_deadline_days", self.receive_spin)
        row("transit_allowance_days", self.transit_spin)
        row("close_after_days", self.close_spin)
        row("claim_ageing_days", self.claim_ageing_spin)
        row("scrap_signoff_limit", self.scrap_limit_edit)
        row("policy_text_en", self.text_en_edit)
        row("policy_text_zh", self.text_zh_edit)
        for spin in (self.window_spin, self.defect_window_spin, self.frequent_count_spin, self.frequent_days_spin,
                     self.receive_spin, self.transit_spin, self.close_spin, self.claim_ageing_spin,
                     *self.grade_spins.values()):
            spin.valueChanged.connect(lambda _v: self.edited.emit())
        self.fee_spin.valueChanged.connect(lambda _v: self.edited.emit())
        for line in (self.name_edit, self.category_edit, self.non_returnable_edit, self.auto_limit_edit,
                     self.supervisor_limit_edit, self.scrap_limit_edit):
            line.textEdited.connect(lambda _t: self.edited.emit())
        for check in (*self.condition_checks.values(), self.vendor_conditions_check, self.shipping_check):
            check.toggled.connect(lambda _c: self.edited.emit())
        for text in (self.text_en_edit, self.text_zh_edit):
            text.textChanged.connect(self.edited.emit)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        for key, label in self.labels.items():
            label.setText(self.tr("Name of the version") if key == "name" else setting_name(key))
        for code, box in self.condition_checks.items():
            box.setText(QCoreApplication.translate(CONTEXT, CONDITION_NAMES.get(code, code)))
        for box in (self.vendor_conditions_check, self.shipping_check):
            box.setText(self.tr("Yes"))

    def set_rules(self, rules: PolicyRules, name: str) -> None:
        self.blockSignals(True)
        self._base = rules
        self.name_edit.setText(name)
        self.window_spin.setValue(rules.window_days)
        self.defect_window_spin.setValue(rules.defect_window_days)
        self.category_edit.setText(", ".join(f"{k}={v}" for k, v in sorted(rules.category_windows.items())))
        self.non_returnable_edit.setText(", ".join(sorted(rules.non_returnable_categories)))
        for code, box in self.condition_checks.items():
            box.setChecked(code in rules.required_conditions)
        self.vendor_conditions_check.setChecked(rules.conditions_apply_to_vendor_fault)
        for grade, spin in self.grade_spins.items():
            spin.setValue(int(rules.grade_factors[grade] * 100))
        self.fee_spin.setValue(float(rules.restocking_fee_pct * 100))
        self.auto_limit_edit.setText(str(to_major(rules.auto_approve_limit)))
        self.supervisor_limit_edit.setText(str(to_major(rules.supervisor_limit)))
        self.frequent_count_spin.setValue(rules.frequent_returner_count)
        self.frequent_days_spin.setValue(rules.frequent_returner_days)
        self.shipping_check.setChecked(rules.refund_shipping_on_vendor_fault)
        self.receive_spin.setValue(rules.receive_deadline_days)
        self.transit_spin.setValue(rules.transit_allowance_days)
        self.close_spin.setValue(rules.close_after_days)
        self.claim_ageing_spin.setValue(rules.claim_ageing_days)
        self.scrap_limit_edit.setText(str(to_major(rules.scrap_signoff_limit)))
        self.text_en_edit.setPlainText(rules.policy_text_en)
        self.text_zh_edit.setPlainText(rules.policy_text_zh)
        self.blockSignals(False)

    def rules(self) -> PolicyRules:
        """The rules the fields hold; conditions this version does not know are kept as they were."""
        unknown = tuple(c for c in self._base.required_conditions if c not in self.condition_checks)
        return replace(
            self._base,
            window_days=self.window_spin.value(),
            defect_window_days=self.defect_window_spin.value(),
            category_windows=_pairs(self.category_edit.text()),
            non_returnable_categories=frozenset(
                p.strip() for p in self.non_returnable_edit.text().replace("，", ",").split(",") if p.strip()),
            required_conditions=tuple(c for c, box in self.condition_checks.items() if box.isChecked()) + unknown,
            conditions_apply_to_vendor_fault=self.vendor_conditions_check.isChecked(),
            grade_factors={g: Decimal(spin.value()) / 100 for g, spin in self.grade_spins.items()},
            restocking_fee_pct=(Decimal(str(round(self.fee_spin.value(), 1))) / 100).normalize(),
            auto_approve_limit=parse_amount(self.auto_limit_edit.text(), setting_name("auto_approve_limit")),
            supervisor_limit=parse_amount(self.supervisor_limit_edit.text(), setting_name("supervisor_limit")),
            frequent_returner_count=self.frequent_count_spin.value(),
            frequent_returner_days=self.frequent_days_spin.value(),
            refund_shipping_on_vendor_fault=self.shipping_check.isChecked(),
            receive_deadline_days=self.receive_spin.value(),
            transit_allowance_days=self.transit_spin.value(),
            close_after_days=self.close_spin.value(),
            claim_ageing_days=self.claim_ageing_spin.value(),
            scrap_signoff_limit=parse_amount(self.scrap_limit_edit.text(), setting_name("scrap_signoff_limit")),
            policy_text_en=self.text_en_edit.toPlainText().strip(),
            policy_text_zh=self.text_zh_edit.toPlainText().strip(),
        )


class PolicyTab(QWidget):
    """Published versions on the left; the draft, its changes and publishing on the right."""

    changed = Signal()

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, errors: ErrorPresenter,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("policy_tab")
        self._api = api
        self._tasks = tasks
        self._errors = errors
        self.versions: list[PolicyView] = []
        self.in_force: PolicyView | None = None
        self.draft: PolicyDraftView | None = None

        self.versions_box = QGroupBox()
        self.versions_table = make_table("versions_table")
        self.versions_table.itemSelectionChanged.connect(self._update_buttons)
        self.withdraw_button = QPushButton()
        self.withdraw_button.setObjectName("withdraw_button")
        self.withdraw_button.clicked.connect(self.withdraw)
        left = QVBoxLayout(self.versions_box)
        left.addWidget(self.versions_table, 1)
        left.addWidget(self.withdraw_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.draft_box = QGroupBox()
        self.draft_label = QLabel()
        self.draft_label.setObjectName("draft_label")
        self.draft_label.setWordWrap(True)
        self.start_button = QPushButton()
        self.start_button.setObjectName("start_draft_button")
        self.start_button.clicked.connect(self.start_draft)
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_draft_button")
        self.save_button.clicked.connect(self.save_draft)
        self.discard_button = QPushButton()
        self.discard_button.setObjectName("discard_draft_button")
        self.discard_button.clicked.connect(self.discard_draft)
        self.form = PolicyForm()
        self.form.edited.connect(self._show_changes)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.changes_table = make_table("changes_table")
        self.changes_label = QLabel()
        self.changes_label.setObjectName("changes_label")
        self.changes_label.setWordWrap(True)
        self.effective_label = QLabel()
        self.effective_edit = QDateEdit()
        self.effective_edit.setObjectName("effective_edit")
        self.effective_edit.setCalendarPopup(True)
        self.effective_edit.setDisplayFormat(DATE_FORMAT)
        self.publish_button = QPushButton()
        self.publish_button.setObjectName("publish_button")
        self.publish_button.clicked.connect(self.publish)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.save_button, self.discard_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        publish = QHBoxLayout()
        publish.addWidget(self.effective_label)
        publish.addWidget(self.effective_edit)
        publish.addWidget(self.publish_button)
        publish.addStretch(1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scroll)
        changes = QWidget()
        changes_layout = QVBoxLayout(changes)
        changes_layout.setContentsMargins(0, 0, 0, 0)
        changes_layout.addWidget(self.changes_label)
        changes_layout.addWidget(self.changes_table, 1)
        split.addWidget(changes)
        right = QVBoxLayout(self.draft_box)
        right.addWidget(self.draft_label)
        right.addLayout(buttons)
        right.addWidget(split, 1)
        right.addLayout(publish)

        self.status_label = QLabel()
        self.status_label.setObjectName("policy_status_label")
        self.status_label.setWordWrap(True)
        body = QSplitter()
        body.addWidget(self.versions_box)
        body.addWidget(self.draft_box)
        body.setStretchFactor(0, 2)
        body.setStretchFactor(1, 3)
        body.setSizes([440, 760])
        layout = QVBoxLayout(self)
        layout.addWidget(body, 1)
        layout.addWidget(self.status_label)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.versions_box.setTitle(self.tr("Published versions"))
        self.draft_box.setTitle(self.tr("Draft of the next version"))
        set_headers(self.versions_table, [self.tr("Version"), self.tr("Name"), self.tr("In effect from"),
                                          self.tr("State"), self.tr("Published by")])
        set_headers(self.changes_table, [self.tr("Setting"), self.tr("In force"), self.tr("Draft")])
        self.withdraw_button.setText(self.tr("&Withdraw before it takes effect"))
        self.start_button.setText(self.tr("S&tart a draft"))
        self.save_button.setText(self.tr("Sa&ve draft"))
        self.discard_button.setText(self.tr("&Discard draft"))
        self.effective_label.setText(self.tr("Takes effect on"))
        self.publish_button.setText(self.tr("&Publish"))
        self.form.retranslate_ui()
        self._show()

    # ------------------------------------------------------------------ reading
    def reload(self) -> None:
        def read() -> tuple[list[PolicyView], PolicyView, PolicyDraftView | None, datetime]:
            admin = self._api.admin
            return (admin.list_policy_versions(), admin.policy_in_force(), admin.get_policy_draft(),
                    self._api.session.now())

        self._tasks.run(read, on_done=self._on_loaded, on_error=self._on_failed, key=("admin", "policy"))

    def _on_loaded(self, result: tuple[list[PolicyView], PolicyView, PolicyDraftView | None, datetime]) -> None:
        self.versions, self.in_force, self.draft = list(result[0]), result[1], result[2]
        if self.draft is not None:
            self.form.set_rules(self.draft.rules, self.draft.name)
        elif self.in_force is not None:
            self.form.set_rules(self.in_force.rules, self.in_force.name)
        # Today by the services' clock, at the site: the day a version published now takes effect.
        today = local_qdate(result[3]) or local_today()
        self.effective_edit.setMinimumDate(today)
        if self.effective_edit.date() < today:
            self.effective_edit.setDate(today)
        self._show()

    def _on_failed(self, error: BaseException) -> None:
        report = self._errors.report(error) if isinstance(error, ReturnDeskError) else self._errors.present(error)
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(report.message)

    def _state(self, view: PolicyView) -> str:
        if self.in_force is not None and view.id == self.in_force.id:
            return self.tr("In force")
        if not view.active:
            return self.tr("Withdrawn")
        if self.in_force is not None and view.effective_from > self.in_force.effective_from:
            return self.tr("Scheduled")
        return self.tr("Earlier")

    def _show(self) -> None:
        rows = []
        for v in self.versions:
            rows.append([str(v.version), v.name, moment_text(v.effective_from),
                         self._state(v), v.created_by or self.tr("(installation)")])
        fill_table(self.versions_table, rows, [v.version for v in self.versions], right=(0,))
        editing = self.draft is not None
        self.form.setEnabled(editing)
        for widget in (self.save_button, self.discard_button, self.publish_button, self.effective_edit):
            widget.setEnabled(editing)
        self.start_button.setEnabled(not editing and self.in_force is not None)
        if self.draft is not None:
            self.draft_label.setText(self.tr("“{name}”, started from version {base}, saved by {who} at {when}.").format(
                name=self.draft.name, base=self.draft.base_version or "—", who=self.draft.updated_by or "—",
                when=moment_text(self.draft.updated_at)))
        elif self.in_force is not None:
            self.draft_label.setText(self.tr(
                "No draft. Version {version} “{name}” is in force; start a draft from it to prepare the next one."
            ).format(version=self.in_force.version, name=self.in_force.name))
        self._show_changes()
        self._update_buttons()

    def _show_changes(self) -> None:
        if self.in_force is None or self.draft is None:
            fill_table(self.changes_table, [])
            self.changes_label.setText("")
            return
        try:
            rules = self.form.rules()
        except ValidationFailed as exc:
            self.changes_label.setText(tr_message(exc.message))
            self.changes_label.setStyleSheet("color: #b00020;")
            return
        changes = diff_rules(self.in_force.rules, rules)
        self.changes_label.setStyleSheet("")
        self.changes_label.setText(self.tr("%n setting(s) differ from the version in force.", "", len(changes)))
        fill_table(self.changes_table, [[setting_name(c.setting), setting_value(c.setting, c.before),
                                         setting_value(c.setting, c.after)] for c in changes])

    def selected_version(self) -> PolicyView | None:
        number = selected_value(self.versions_table)
        return next((v for v in self.versions if v.version == number), None)

    def _update_buttons(self) -> None:
        chosen = self.selected_version()
        self.withdraw_button.setEnabled(chosen is not None and self._state(chosen) == self.tr("Scheduled"))

    # ------------------------------------------------------------------ acting
    def _then(self, message: str):
        def done(_result: object) -> None:
            self.status_label.setStyleSheet("")
            self.status_label.setText(message)
            self.changed.emit()
            self.reload()
        return done

    def start_draft(self) -> None:
        if self.in_force is None:
            return
        name = self.tr("Next version after {version}").format(version=self.in_force.version)
        self._tasks.run(self._api.admin.save_policy_draft, self.in_force.rules, name,
                        on_done=self._then(self.tr("Draft started from the version in force.")),
                        on_error=self._on_failed, busy=[self.start_button])

    def save_draft(self) -> None:
        if self.draft is None:
            return
        try:
            rules = self.form.rules()
        except ValidationFailed as exc:
            self._on_failed(exc)
            return
        self._tasks.run(self._api.admin.save_policy_draft, rules, self.form.name_edit.text(),
                        expected_version=self.draft.version, on_done=self._then(self.tr("Draft saved.")),
                        on_error=self._on_failed, busy=[self.save_button])

    def discard_draft(self) -> None:
        self._tasks.run(self._api.admin.discard_policy_draft, on_done=self._then(self.tr("Draft discarded.")),
                        on_error=self._on_failed, busy=[self.discard_button])

    def publish(self) -> None:
        """Save the draft as it is on screen, then publish it for the chosen day."""
        if self.draft is None:
            return
        try:
            rules = self.form.rules()
        except ValidationFailed as exc:
            self._on_failed(exc)
            return
        chosen = self.effective_edit.date()
        day = date(chosen.year(), chosen.month(), chosen.day())
        name = self.form.name_edit.text()
        admin = self._api.admin
        draft_version = self.draft.version

        def save_and_publish() -> PolicyView:
            saved = admin.save_policy_draft(rules, name, expected_version=draft_version)
            return admin.publish_policy_draft(day, expected_version=saved.version)

        def done(view: PolicyView) -> None:
            self._then(self.tr("Version {version} published; it judges the returns taken from {when} on.").format(
                version=view.version, when=moment_text(view.effective_from)))(view)

        self._tasks.run(save_and_publish, on_done=done, on_error=self._on_failed, busy=[self.publish_button])

    def withdraw(self) -> None:
        chosen = self.selected_version()
        if chosen is None:
            return
        self._tasks.run(self._api.admin.withdraw_policy_version, chosen.version,
                        on_done=self._then(self.tr("Version {version} withdrawn.").format(version=chosen.version)),
                        on_error=self._on_failed, busy=[self.withdraw_button])

