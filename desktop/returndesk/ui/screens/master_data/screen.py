"""The master-data screen: find, view and edit the shop's products, customers, suppliers and
categories; import them (and sales orders) with the import wizard; export them.

The list of each kind is keyset-paged (``api.master_data.find_*``) and searched by code, name,
barcode or phone. Choosing a row fills the edit form; Save sends the whole record to the services,
which check it as an import row is checked and audit the change. Users whose role may not change
master data see the form read-only, with the reason said.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import Actor, FileImportResult, Page
from returndesk.domain.permissions import Permission, can
from returndesk.ui.live import LiveUpdates
from returndesk.ui.station_screen import StationScreen
from returndesk.ui.tasks import TaskRunner

from .labels import fee_class_name, field_name, kind_name, terms_name
from .models import MasterDataTableModel, Record
from .widgets import CHOICES, KINDS, ListPaneWidget, RecordFormWidget
from .wizard import ImportWizard

PAGE_SIZE = 100


class MasterDataScreen(StationScreen):
    """See the module documentation. ``record_saved(record)`` after a save, ``page_shown(rows)``
    after each page of the list."""

    record_saved = Signal(object)
    page_shown = Signal(int)

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, actor: Actor, parent: QWidget | None = None, *,
                 live: LiveUpdates | None = None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(api, tasks, actor, parent)
        self.setObjectName("master_data_screen")
        self._page_size = page_size
        self._query = ""
        self._editing_new = False
        self.may_edit = can(actor.role, Permission.MANAGE_MASTER_DATA)
        self.may_import = can(actor.role, Permission.IMPORT)
        self.may_export = can(actor.role, Permission.EXPORT) or self.may_edit or self.may_import
        self.wizard: ImportWizard | None = None
        self._build()
        self.retranslate_ui()
        self.show_kind("products")
        self._start_following(live)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        self.list_pane = ListPaneWidget()
        self.kind_tabs = self.list_pane.kind_tabs
        self.search_edit = self.list_pane.search_edit
        self.table = self.list_pane.table
        self.status_label = self.list_pane.status_label
        self.import_button = self.list_pane.import_button
        self.export_button = self.list_pane.export_button
        self.models = {kind: MasterDataTableModel(kind, self._fetcher(kind, ""), self._tasks, self) for kind in KINDS}
        for model in self.models.values():
            model.page_loaded.connect(self._on_model_page_loaded)
            model.load_failed.connect(self._on_model_load_failed)
        self.forms = {kind: RecordFormWidget(kind) for kind in KINDS}
        self.form_stack = QStackedWidget()
        for kind in KINDS:
            self.form_stack.addWidget(self.forms[kind])
        self.new_button = QPushButton()
        self.new_button.setObjectName("new_button")
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_button")
        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.form_stack)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.message_label)
        right_layout.addStretch(1)
        right.setMinimumWidth(420)  # names and addresses readable in the form
        splitter = QSplitter()
        splitter.addWidget(self.list_pane)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(splitter, 1)

        self.kind_tabs.currentChanged.connect(self._on_kind_tabs_current_changed)
        self.search_edit.returnPressed.connect(self.search)
        self.list_pane.search_button.clicked.connect(self.search)
        self.table.activated.connect(self._on_table_activated)
        self.table.clicked.connect(self._on_table_activated)
        self.new_button.clicked.connect(self.new_record)
        self.save_button.clicked.connect(self.save)
        self.import_button.clicked.connect(self.open_import_wizard)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.import_button.setVisible(self.may_import)
        self.export_button.setVisible(self.may_export)
        if not self.may_edit:
            self.new_button.setEnabled(False)
            self.save_button.setEnabled(False)
            for form in self.forms.values():
                form.setEnabled(False)

    def retranslate_ui(self) -> None:
        self.title_label.setText(self.tr("Products, customers and suppliers"))
        for i, kind in enumerate(KINDS):
            self.kind_tabs.setTabText(i, kind_name(kind))
        self.search_edit.setPlaceholderText(self.tr("Code, name, barcode or phone"))
        self.list_pane.search_button.setText(self.tr("&Search"))
        self.import_button.setText(self.tr("&Import…"))
        self.export_button.setText(self.tr("E&xport…"))
        self.new_button.setText(self.tr("&New"))
        self.save_button.setText(self.tr("Sa&ve"))
        if not self.may_edit:
            reason = self.tr("Your role may look at the master data but not change it; ask a manager.")
            self.save_button.setToolTip(reason)
            self.message_label.setText(reason)
        for kind, form in self.forms.items():
            form.setTitle(kind_name(kind))
            for name, label in form.labels.items():
                label.setText(field_name(name))
            for name, codes in CHOICES.items():
                editor = form.editors.get(name)
                if editor is not None:
                    for i, code in enumerate(codes):
                        editor.setItemText(i, terms_name(code) if name == "rtv_terms" else fee_class_name(code))  # type: ignore[attr-defined]
            window = form.editors.get("return_window_days")
            if window is not None:
                window.setSpecialValueText(self.tr("The policy's window"))  # type: ignore[attr-defined]
                window.setSuffix(self.tr(" days"))  # type: ignore[attr-defined]
            barcodes = form.editors.get("barcodes")
            if barcodes is not None:
                barcodes.setPlaceholderText(self.tr("Several separated by ;"))  # type: ignore[attr-defined]
            for name in ("category", "supplier"):
                editor = form.editors.get(name)
                if editor is not None:
                    editor.setPlaceholderText(self.tr("Code or name"))  # type: ignore[attr-defined]
        for model in self.models.values():
            model.retranslate()
        self._update_status()

    def _on_language_changed(self) -> None:
        self.retranslate_ui()

    # ------------------------------------------------------------------ the list
    @property
    def kind(self) -> str:
        return KINDS[max(self.kind_tabs.currentIndex(), 0)]

    @property
    def model(self) -> MasterDataTableModel:
        return self.models[self.kind]

    def show_kind(self, kind: str) -> None:
        self.kind_tabs.setCurrentIndex(KINDS.index(kind))
        self._on_kind_tabs_current_changed(KINDS.index(kind))

    def _on_kind_tabs_current_changed(self, _index: int) -> None:
        self.table.setModel(self.model)
        self.form_stack.setCurrentWidget(self.forms[self.kind])
        self.new_record()
        self.search()

    def _fetcher(self, kind: str, query: str):
        group, size = self._api.master_data, self._page_size
        find = {"products": group.find_products, "customers": group.find_customers,
                "suppliers": group.find_suppliers, "categories": group.find_categories}[kind]

        def fetch(after: str | None) -> Page[Record]:
            return find(query, after=after, limit=size)  # type: ignore[return-value]

        return fetch

    def search(self) -> None:
        self._query = self.search_edit.text().strip()
        self.model.set_fetcher(self._fetcher(self.kind, self._query))
        self._update_status()

    def _on_model_page_loaded(self, added: int) -> None:
        if added:
            self.table.resizeColumnsToContents()
        self._update_status()
        self.page_shown.emit(self.model.rowCount())

    def _on_model_load_failed(self, error: BaseException) -> None:
        self.status_label.setText(self._errors.report(error, context=self.tr("loading the list")).message)

    def _update_status(self) -> None:
        count = self.model.rowCount()
        if self.model.loading and count == 0:
            text = self.tr("Searching…")
        elif count == 0 and self._query:
            text = self.tr("Nothing matches “{query}”.").format(query=self._query)
        elif count == 0:
            text = self.tr("None yet: import a file or add one with New.")
        elif self.model.exhausted:
            text = self.tr("%n record(s).", "", count)
        else:
            text = self.tr("%n record(s) shown; scroll down for more.", "", count)
        self.status_label.setText(text)

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit(self.model.record(index.row()))

    # ------------------------------------------------------------------ editing
    def edit(self, record: Record) -> None:
        form = self.forms[self.kind]
        form.load(record)
        form.set_key_editable(False)
        self._editing_new = False
        if self.may_edit:
            self.message_label.clear()

    def new_record(self) -> None:
        form = self.forms[self.kind]
        form.clear()
        form.set_key_editable(True)
        self._editing_new = True
        if self.may_edit:
            self.message_label.clear()

    def save(self) -> None:
        form = self.forms[self.kind]
        record = form.record()
        group = self._api.master_data
        save: Callable[..., object]
        if self.kind == "products":
            save = group.save_product
        elif self.kind == "customers":
            save = group.save_customer
        elif self.kind == "suppliers":
            save = group.save_supplier
        else:
            save = group.save_category
        self.message_label.setStyleSheet("")
        self.message_label.setText(self.tr("Saving…"))
        self._tasks.run(save, record, on_done=self._on_saved, on_error=self._on_save_failed,
                        busy=[self.save_button], key="master-save")

    def _on_saved(self, record: Record) -> None:
        self.forms[self.kind].load(record)
        self.forms[self.kind].set_key_editable(False)
        self._editing_new = False
        self.message_label.setText(self.tr("Saved."))
        self.model.reload()
        self.record_saved.emit(record)

    def _on_save_failed(self, error: BaseException) -> None:
        report = self._errors.report(error, context=self.tr("saving"))
        self.message_label.setStyleSheet("color: #b00020;")
        self.message_label.setText(report.message)

    # ------------------------------------------------------------------ import and export
    def open_import_wizard(self) -> ImportWizard:
        self.wizard = ImportWizard(self._api, self._tasks, kind=self.kind, parent=self)
        self.wizard.import_finished.connect(self._on_wizard_import_finished)
        self.wizard.show()
        return self.wizard

    def _on_wizard_import_finished(self, result: FileImportResult) -> None:
        if result.kind in self.models:
            self.models[result.kind].reload()

    def _on_export_button_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export {kind}").format(kind=kind_name(self.kind)), f"{self.kind}.xlsx",
            self.tr("Excel workbook (*.xlsx);;CSV (*.csv);;JSON (*.json)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        """Write every record of the kind shown to ``path`` (.xlsx, .csv or .json)."""
        target = Path(path)
        fmt = target.suffix.lstrip(".").lower() or "xlsx"
        if fmt not in ("xlsx", "csv", "json"):
            fmt = "xlsx"
            target = target.with_suffix(".xlsx")
        self._tasks.run(self._api.master_data.export_records, self.kind, fmt,
                        on_done=partial(self._on_exported, target), on_error=self._on_save_failed,
                        busy=[self.export_button], key="master-export")

    def _on_exported(self, target: Path, data: bytes) -> None:
        try:
            target.write_bytes(data)
        except OSError as exc:
            self.message_label.setText(self.tr("{path} cannot be written: {reason}").format(
                path=str(target), reason=exc.strerror or str(exc)))
            return
        self.message_label.setStyleSheet("")
        self.message_label.setText(self.tr("Exported to {path}.").format(path=str(target)))

    # ------------------------------------------------------------------ changes elsewhere
    def _on_data_changed(self, entity: str, _entity_id: int) -> None:
        if entity in self.models:
            self.models[entity].reload()
        elif entity == "any":
            self.model.reload()
