"""The admin log tab (who changed what, when, from where) and the reasons tab."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import ADMIN_ENTITIES, AdminLogEntry, ReasonView
from returndesk.domain.errors import ReturnDeskError
from returndesk.domain.types import Resolution
from returndesk.ui import help
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.i18n import QT_TRANSLATE_NOOP, tr_resolution, tr_role
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.widgets.money import format_amount
from returndesk.ui.widgets.tables import (
    fill_table,
    make_table,
    moment_text,
    selected_value,
    set_headers,
)

PAGE = 100
ENTITY_NAMES = {
    "user": QT_TRANSLATE_NOOP("AdminLogTab", "User"),
    "policy": QT_TRANSLATE_NOOP("AdminLogTab", "Return policy"),
    "policy_draft": QT_TRANSLATE_NOOP("AdminLogTab", "Policy draft"),
    "reason": QT_TRANSLATE_NOOP("AdminLogTab", "Return reason"),
    "site": QT_TRANSLATE_NOOP("AdminLogTab", "Site"),
    "station": QT_TRANSLATE_NOOP("AdminLogTab", "Station"),
    "api_key": QT_TRANSLATE_NOOP("AdminLogTab", "API key"),
    "webhook": QT_TRANSLATE_NOOP("AdminLogTab", "Webhook"),
}
ACTION_NAMES = {
    "created": QT_TRANSLATE_NOOP("AdminLogTab", "created"),
    "changed": QT_TRANSLATE_NOOP("AdminLogTab", "changed"),
    "unlocked": QT_TRANSLATE_NOOP("AdminLogTab", "unlocked"),
    "locked": QT_TRANSLATE_NOOP("AdminLogTab", "locked after failed sign-ins"),
    "password_changed": QT_TRANSLATE_NOOP("AdminLogTab", "password changed"),
    "publish": QT_TRANSLATE_NOOP("AdminLogTab", "published"),
    "withdraw": QT_TRANSLATE_NOOP("AdminLogTab", "withdrawn"),
    "saved": QT_TRANSLATE_NOOP("AdminLogTab", "saved"),
    "discarded": QT_TRANSLATE_NOOP("AdminLogTab", "discarded"),
    "add": QT_TRANSLATE_NOOP("AdminLogTab", "added"),
    "update": QT_TRANSLATE_NOOP("AdminLogTab", "changed"),
    "deactivate": QT_TRANSLATE_NOOP("AdminLogTab", "retired"),
    "site_saved": QT_TRANSLATE_NOOP("AdminLogTab", "saved"),
    "site_changed": QT_TRANSLATE_NOOP("AdminLogTab", "moved to another site"),
    "station_saved": QT_TRANSLATE_NOOP("AdminLogTab", "saved"),
    "printing_settings": QT_TRANSLATE_NOOP("AdminLogTab", "printers saved"),
    "company_settings": QT_TRANSLATE_NOOP("AdminLogTab", "company details saved"),
}


FIELD_NAMES = {
    "role": QT_TRANSLATE_NOOP("AdminLogTab", "role"),
    "active": QT_TRANSLATE_NOOP("AdminLogTab", "active"),
    "approval_limit_minor": QT_TRANSLATE_NOOP("AdminLogTab", "approval limit"),
    "display_name": QT_TRANSLATE_NOOP("AdminLogTab", "display name"),
    "name": QT_TRANSLATE_NOOP("AdminLogTab", "name"),
    "kind": QT_TRANSLATE_NOOP("AdminLogTab", "kind"),
    "time_zone": QT_TRANSLATE_NOOP("AdminLogTab", "time zone"),
    "return_address": QT_TRANSLATE_NOOP("AdminLogTab", "return address"),
    "site": QT_TRANSLATE_NOOP("AdminLogTab", "site"),
    "name_en": QT_TRANSLATE_NOOP("AdminLogTab", "English name"),
    "name_zh": QT_TRANSLATE_NOOP("AdminLogTab", "Chinese name"),
    "vendor_fault": QT_TRANSLATE_NOOP("AdminLogTab", "vendor fault"),
    "allowed_resolutions": QT_TRANSLATE_NOOP("AdminLogTab", "allowed resolutions"),
    "sort_order": QT_TRANSLATE_NOOP("AdminLogTab", "order"),
    "version": QT_TRANSLATE_NOOP("AdminLogTab", "version"),
    "rules": QT_TRANSLATE_NOOP("AdminLogTab", "rules"),
    "effective_from": QT_TRANSLATE_NOOP("AdminLogTab", "in effect from"),
    "until": QT_TRANSLATE_NOOP("AdminLogTab", "locked until"),
    "scopes": QT_TRANSLATE_NOOP("AdminLogTab", "scopes"),
    "event_types": QT_TRANSLATE_NOOP("AdminLogTab", "event types"),
    "url": QT_TRANSLATE_NOOP("AdminLogTab", "address"),
}
#: Longest value shown in the changes column (the whole text is in the cell's tooltip).
VALUE_LIMIT = 60


def _value(field: str, text: str) -> str:
    if not text:
        return "—"
    if field == "approval_limit_minor" and text.lstrip("-").isdigit():
        return format_amount(int(text))
    if field == "role":
        try:
            return tr_role(text)
        except ValueError:
            return text
    if text in ("true", "false"):
        return QCoreApplication.translate("AdminLogTab", "yes") if text == "true" else \
            QCoreApplication.translate("AdminLogTab", "no")
    return text if len(text) <= VALUE_LIMIT else text[:VALUE_LIMIT - 1] + "…"


def _tr(names: dict[str, str], code: str) -> str:
    return QCoreApplication.translate("AdminLogTab", names[code]) if code in names else code


class AdminLogTab(QWidget):
    """Administrative changes, newest first, filtered by kind or by a name or code."""

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, errors: ErrorPresenter,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("admin_log_tab")
        self._api = api
        self._tasks = tasks
        self._errors = errors
        self.entries: list[AdminLogEntry] = []
        self._more = False
        self.entity_combo = QComboBox()
        self.entity_combo.setObjectName("entity_combo")
        self.entity_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("log_text_edit")
        self.text_edit.setClearButtonEnabled(True)
        self.text_edit.returnPressed.connect(self.reload)
        self.more_button = QPushButton()
        self.more_button.setObjectName("more_button")
        self.more_button.clicked.connect(self.load_more)
        self.table = make_table("admin_log_table")
        self.status_label = QLabel()
        self.status_label.setObjectName("log_status_label")
        row = QHBoxLayout()
        row.addWidget(self.entity_combo)
        row.addWidget(self.text_edit, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.more_button)
        layout.addLayout(bottom)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        current = self.entity_combo.currentData()
        self.entity_combo.blockSignals(True)
        self.entity_combo.clear()
        self.entity_combo.addItem(self.tr("Everything"), "")
        for code in ADMIN_ENTITIES:
            self.entity_combo.addItem(_tr(ENTITY_NAMES, code), code)
        self.entity_combo.setCurrentIndex(max(0, self.entity_combo.findData(current or "")))
        self.entity_combo.blockSignals(False)
        self.text_edit.setPlaceholderText(self.tr("User name, code or version (Enter)"))
        self.more_button.setText(self.tr("Load &more"))
        set_headers(self.table, [self.tr("When"), self.tr("Who"), self.tr("Station"), self.tr("What"),
                                 self.tr("Which"), self.tr("Done"), self.tr("Changes")])
        self._show()

    def _query(self, before: int | None) -> None:
        entity = str(self.entity_combo.currentData() or "") or None
        text = self.text_edit.text().strip() or None
        self._tasks.run(self._api.admin.admin_log, entity=entity, text=text, before_seq=before, limit=PAGE,
                        on_done=lambda rows: self._on_loaded(rows, before is not None),
                        on_error=self._on_failed, key=("admin", "log"))

    def reload(self) -> None:
        self._query(None)

    def load_more(self) -> None:
        if self.entries:
            self._query(self.entries[-1].seq)

    def _on_loaded(self, rows: list[AdminLogEntry], appended: bool) -> None:
        self.entries = (self.entries if appended else []) + list(rows)
        self._more = len(rows) == PAGE
        self._show()

    def _on_failed(self, error: BaseException) -> None:
        self.status_label.setText(self._errors.report(error).message if isinstance(error, ReturnDeskError)
                                  else self._errors.present(error).message)

    def _show(self) -> None:
        rows = []
        for e in self.entries:
            changes = "; ".join(
                f"{_tr(FIELD_NAMES, name)}: {_value(name, before)} → {_value(name, after)}"
                for name, before, after in e.changes
            )
            rows.append([moment_text(e.occurred_at),
                         e.username or self.tr("(command line)"), e.station or "", _tr(ENTITY_NAMES, e.entity),
                         e.entity_id, _tr(ACTION_NAMES, e.action), changes])
        fill_table(self.table, rows)
        for column in range(self.table.columnCount()):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 220 if column < 6 else 640))
        self.more_button.setEnabled(self._more)
        self.status_label.setText(self.tr("%n change(s) shown.", "", len(self.entries)))


# --------------------------------------------------------------------------- reasons


class ReasonDialog(QDialog):
    """A reason's code (new ones only), names, vendor-fault flag and the resolutions it allows."""

    def __init__(self, reason: ReasonView | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.ADMINISTRATOR)
        self.setObjectName("reason_dialog")
        self.setModal(True)
        self.setMinimumWidth(420)
        self.setWindowTitle(self.tr("Return reason {code}").format(code=reason.code) if reason
                            else self.tr("Add return reason"))
        self.code_edit = QLineEdit(reason.code if reason else "")
        self.code_edit.setObjectName("code_edit")
        self.code_edit.setReadOnly(reason is not None)
        self.code_edit.setPlaceholderText("arrived_late")
        self.name_en_edit = QLineEdit(reason.name_en if reason else "")
        self.name_en_edit.setObjectName("name_en_edit")
        self.name_zh_edit = QLineEdit(reason.name_zh if reason else "")
        self.name_zh_edit.setObjectName("name_zh_edit")
        self.vendor_check = QCheckBox(self.tr("The vendor's fault (longer window, full refund with shipping)"))
        self.vendor_check.setObjectName("vendor_check")
        self.vendor_check.setChecked(bool(reason and reason.vendor_fault))
        allowed = set(reason.allowed_resolutions) if reason else set(Resolution)
        self.resolution_checks: dict[Resolution, QCheckBox] = {}
        checks = QHBoxLayout()
        for res in Resolution:
            box = QCheckBox(tr_resolution(res))
            box.setObjectName(f"{res.value}_check")
            box.setChecked(res in allowed)
            self.resolution_checks[res] = box
            checks.addWidget(box)
        checks.addStretch(1)
        self.problem_label = QLabel()
        self.problem_label.setStyleSheet("color: #b00020;")
        self.problem_label.hide()
        form = QFormLayout()
        form.addRow(self.tr("Code"), self.code_edit)
        form.addRow(self.tr("English name"), self.name_en_edit)
        form.addRow(self.tr("Chinese name"), self.name_zh_edit)
        form.addRow("", self.vendor_check)
        form.addRow(self.tr("Allowed resolutions"), checks)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(buttons)

    def resolutions(self) -> tuple[Resolution, ...]:
        return tuple(res for res, box in self.resolution_checks.items() if box.isChecked())

    def _on_accepted(self) -> None:
        if not self.resolutions():
            self.problem_label.setText(self.tr("Allow at least one resolution: refund or exchange."))
            self.problem_label.show()
            return
        self.accept()


def _exec(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


class ReasonsTab(QWidget):
    """Return reasons: their names, vendor-fault flag and allowed resolutions; retired, never deleted."""

    changed = Signal()

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, errors: ErrorPresenter,
                 run_dialog: Callable[[QDialog], bool] = _exec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reasons_tab")
        self._api = api
        self._tasks = tasks
        self._errors = errors
        self._run_dialog = run_dialog
        self.reasons: list[ReasonView] = []
        self.table = make_table("reasons_table")
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_reason_button")
        self.add_button.clicked.connect(lambda: self._edit(None))
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("edit_reason_button")
        self.edit_button.clicked.connect(self.edit_selected)
        self.active_button = QPushButton()
        self.active_button.setObjectName("active_reason_button")
        self.active_button.clicked.connect(self.toggle_active)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.active_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        set_headers(self.table, [self.tr("Code"), self.tr("English"), self.tr("Chinese"), self.tr("Vendor fault"),
                                 self.tr("Allowed resolutions"), self.tr("In use")])
        self.add_button.setText(self.tr("&Add reason…"))
        self.edit_button.setText(self.tr("&Change…"))
        self._show()

    def reload(self) -> None:
        self._tasks.run(self._api.settings.list_reasons, include_inactive=True, on_done=self._on_loaded,
                        on_error=self._on_failed, key=("admin", "reasons"))

    def _on_loaded(self, reasons: list[ReasonView]) -> None:
        self.reasons = list(reasons)
        self._show()

    def _on_failed(self, error: BaseException) -> None:
        self.status_label.setText(self._errors.report(error).message if isinstance(error, ReturnDeskError)
                                  else self._errors.present(error).message)

    def _show(self) -> None:
        yes, no = self.tr("Yes"), self.tr("No")
        rows = [[r.code, r.name_en, r.name_zh, yes if r.vendor_fault else no,
                 ", ".join(tr_resolution(res) for res in r.allowed_resolutions), yes if r.active else no]
                for r in self.reasons]
        fill_table(self.table, rows, [r.code for r in self.reasons])
        self._update_buttons()

    def selected(self) -> ReasonView | None:
        code = selected_value(self.table)
        return next((r for r in self.reasons if r.code == code), None)

    def _update_buttons(self) -> None:
        reason = self.selected()
        self.edit_button.setEnabled(reason is not None)
        self.active_button.setEnabled(reason is not None)
        self.active_button.setText(self.tr("&Reinstate") if reason is not None and not reason.active
                                   else self.tr("&Retire"))

    def edit_selected(self) -> None:
        reason = self.selected()
        if reason is not None:
            self._edit(reason)

    def _done(self, code: str) -> Callable[[object], None]:
        def done(_view: object) -> None:
            self.status_label.setText(self.tr("Return reason {code} saved.").format(code=code))
            self.changed.emit()
            self.reload()
        return done

    def _edit(self, reason: ReasonView | None) -> None:
        dialog = ReasonDialog(reason, self)
        if not self._run_dialog(dialog):
            return
        code = dialog.code_edit.text().strip()
        if reason is None:
            self._tasks.run(self._api.admin.add_reason, code, dialog.name_en_edit.text(), dialog.name_zh_edit.text(),
                            vendor_fault=dialog.vendor_check.isChecked(), allowed_resolutions=dialog.resolutions(),
                            on_done=self._done(code), on_error=self._on_failed, busy=[self.add_button])
        else:
            self._tasks.run(self._api.admin.update_reason, code, name_en=dialog.name_en_edit.text(),
                            name_zh=dialog.name_zh_edit.text(), vendor_fault=dialog.vendor_check.isChecked(),
                            allowed_resolutions=dialog.resolutions(),
                            on_done=self._done(code), on_error=self._on_failed, busy=[self.edit_button])

    def toggle_active(self) -> None:
        reason = self.selected()
        if reason is None:
            return
        self._tasks.run(self._api.admin.update_reason, reason.code, active=not reason.active,
                        on_done=self._done(reason.code), on_error=self._on_failed, busy=[self.active_button])

