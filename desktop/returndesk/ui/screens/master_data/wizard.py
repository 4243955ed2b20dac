"""The import wizard: products, customers, suppliers, categories or sales orders from a file.

Four pages: choose the kind and the file (and a saved column profile); see the first rows and map
each column to a field (prefilled by the guess from its header); see every bad row before anything
is written, and save the mapping as a profile; import, with progress and cancel. Every read and the
import run on the task runner; the import is one transaction, so a cancel writes nothing.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import (
    FileImportResult,
    ImportPreview,
    ImportProfileView,
    ImportProgress,
)
from returndesk.domain.errors import Cancelled
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.help import add_help_key
from returndesk.ui.tasks import TaskRunner

from .labels import field_name, kind_name
from returndesk.ui.i18n import tr_message

KINDS = ("products", "customers", "suppliers", "categories", "orders")
#: How often the import page asks how far the import is (milliseconds).
PROGRESS_INTERVAL_MS = 200


#: The wizard's section of the user guide (F1).
HELP_ANCHOR = "importing-files-the-import-wizard"


class ImportWizard(QWizard):
    """See the module documentation. Signals for whoever opened it: ``preview_ready(ImportPreview)``
    after each check of the file, ``import_finished(FileImportResult)``, ``import_failed(str)``."""

    preview_ready = Signal(object)
    import_finished = Signal(object)
    import_failed = Signal(str)

    FILE_PAGE, MAPPING_PAGE, CHECK_PAGE, IMPORT_PAGE = range(4)

    def __init__(self, api: ReturnDeskApi, tasks: TaskRunner, *, kind: str = "products",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_wizard")
        self._api = api
        self._tasks = tasks
        self._errors = ErrorPresenter(self)
        self.preview: ImportPreview | None = None
        self.import_result: FileImportResult | None = None
        self.data: bytes = b""
        self.file_name = ""
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.help_key = add_help_key(self, HELP_ANCHOR)
        self.file_page = _FilePage(self, kind)
        self.mapping_page = _MappingPage(self)
        self.check_page = _CheckPage(self)
        self.import_page = _ImportPage(self)
        self.setPage(self.FILE_PAGE, self.file_page)
        self.setPage(self.MAPPING_PAGE, self.mapping_page)
        self.setPage(self.CHECK_PAGE, self.check_page)
        self.setPage(self.IMPORT_PAGE, self.import_page)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setMinimumSize(860, 600)
        self.retranslate_ui()

    @property
    def api(self) -> ReturnDeskApi:
        return self._api

    @property
    def tasks(self) -> TaskRunner:
        return self._tasks

    @property
    def errors(self) -> ErrorPresenter:
        return self._errors

    @property
    def kind(self) -> str:
        return str(self.file_page.kind_combo.currentData())

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Import data"))
        for page in (self.file_page, self.mapping_page, self.check_page, self.import_page):
            page.retranslate_ui()

    def reject(self) -> None:
        if self.import_page.running:
            self.import_page.cancel()
            return
        super().reject()

    def check(self, mapping: dict[str, str] | None, profile: str | None, on_done: object) -> None:
        """Preview the file with ``mapping`` / ``profile`` off the GUI thread, then ``on_done()``."""

        def done(preview: ImportPreview) -> None:
            self.preview = preview
            self.preview_ready.emit(preview)
            on_done()  # type: ignore[operator]

        def failed(error: BaseException) -> None:
            report = self._errors.report(error, context=self.tr("reading the file"))
            if self.currentId() == self.FILE_PAGE:
                self.file_page.set_problem(report.message)
            else:
                self.mapping_page.set_problem(report.message)
            self.import_failed.emit(report.message)

        self._tasks.run(self._api.master_data.preview_import, self.kind, self.data, self.file_name,
                        mapping=mapping, profile=profile, on_done=done, on_error=failed, key="import-preview")


class _FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard, kind: str) -> None:
        super().__init__()
        self._wizard = wizard
        self._checked = False
        self.kind_label = QLabel()
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kind_combo")
        for code in KINDS:
            self.kind_combo.addItem("", code)
        self.kind_combo.setCurrentIndex(KINDS.index(kind) if kind in KINDS else 0)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_current_index_changed)
        self.file_label = QLabel()
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("file_edit")
        self.file_edit.textChanged.connect(self._on_file_edit_text_changed)
        self.browse_button = QPushButton()
        self.browse_button.setObjectName("browse_button")
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.profile_label = QLabel()
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profile_combo")
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problem_label")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020;")
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.kind_label, self.kind_combo)
        form.addRow(self.file_label, row)
        form.addRow(self.profile_label, self.profile_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.problem_label)
        layout.addStretch(1)
        self._profiles: list[ImportProfileView] = []
        self._load_profiles()

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Choose the file"))
        self.setSubTitle(self.tr("CSV (UTF-8 or GB18030), Excel workbook (.xlsx) or JSON, with the headers of the "
                                 "system that exported it."))
        self.kind_label.setText(self.tr("&Import"))
        self.kind_label.setBuddy(self.kind_combo)
        for i, code in enumerate(KINDS):
            self.kind_combo.setItemText(i, kind_name(code))
        self.file_label.setText(self.tr("&File"))
        self.file_label.setBuddy(self.file_edit)
        self.file_edit.setPlaceholderText(self.tr("The file to import"))
        self.browse_button.setText(self.tr("&Browse…"))
        self.profile_label.setText(self.tr("Column &profile"))
        self.profile_label.setBuddy(self.profile_combo)
        self._fill_profiles()
        self.hint_label.setText(self.tr("Nothing is written until the last page: the next pages show the first "
                                        "rows, how each column is read, and every row that would be refused."))

    def set_problem(self, text: str) -> None:
        self.problem_label.setText(text)

    def set_file(self, path: str) -> None:
        self.file_edit.setText(path)

    def _on_browse_button_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose the file to import"), self.file_edit.text(),
            self.tr("Import files (*.csv *.xlsx *.json);;All files (*)"))
        if path:
            self.file_edit.setText(path)

    def _on_file_edit_text_changed(self, _text: str) -> None:
        self.problem_label.clear()
        self.completeChanged.emit()

    def _on_kind_combo_current_index_changed(self, _index: int) -> None:
        self._load_profiles()

    def _load_profiles(self) -> None:
        self._wizard.tasks.run(self._wizard.api.master_data.list_profiles, str(self.kind_combo.currentData()),
                               on_done=self._on_profiles_loaded, on_error=lambda _e: None, key="import-profiles")

    def _on_profiles_loaded(self, profiles: list[ImportProfileView]) -> None:
        self._profiles = profiles
        self._fill_profiles()

    def _fill_profiles(self) -> None:
        current = self.profile_combo.currentData()
        self.profile_combo.clear()
        self.profile_combo.addItem(self.tr("None: guess from the headers"), None)
        for profile in self._profiles:
            self.profile_combo.addItem(profile.name, profile.name)
        index = self.profile_combo.findData(current)
        self.profile_combo.setCurrentIndex(max(index, 0))

    def isComplete(self) -> bool:
        return bool(self.file_edit.text().strip())

    def validatePage(self) -> bool:
        if self._checked:
            self._checked = False
            return True
        path = Path(self.file_edit.text().strip())
        try:
            self._wizard.data = path.read_bytes()
        except OSError as exc:
            self.set_problem(self.tr("The file {path} cannot be read: {reason}").format(
                path=str(path), reason=exc.strerror or str(exc)))
            return False
        self._wizard.file_name = path.name
        self._wizard.check(None, self.profile_combo.currentData(), self._go_on)
        return False

    def _go_on(self) -> None:
        self._checked = True
        self._wizard.next()


class _MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self._checked = False
        self.sample_label = QLabel()
        self.sample_table = QTableWidget()
        self.sample_table.setObjectName("sample_table")
        self.sample_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sample_table.setAlternatingRowColors(True)
        self.mapping_label = QLabel()
        self.mapping_table = QTableWidget(0, 2)
        self.mapping_table.setObjectName("mapping_table")
        self.mapping_table.verticalHeader().setVisible(False)
        self.mapping_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.mapping_table.horizontalHeader().setStretchLastSection(True)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020;")
        self.combos: dict[str, QComboBox] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.sample_label)
        layout.addWidget(self.sample_table, 3)
        layout.addWidget(self.mapping_label)
        layout.addWidget(self.mapping_table, 2)
        layout.addWidget(self.problem_label)

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Map the columns"))
        preview = self._wizard.preview
        if preview is not None and preview.joined:
            self.setSubTitle(self.tr(
                "Each column of the file goes to one field, but {fields} can take several columns: a colour and a "
                "size column are joined, such as “Red / XL”. The guess from the header is filled in. Columns mapped "
                "to nothing are not imported.").format(fields=", ".join(field_name(f) for f in preview.joined)))
        else:
            self.setSubTitle(self.tr("Each column of the file goes to one field; the guess from the header is "
                                     "filled in. Columns mapped to nothing are not imported."))
        self.sample_label.setText(self.tr("The first rows of the file:"))
        self.mapping_label.setText(self.tr("Columns:"))
        self.mapping_table.setHorizontalHeaderLabels([self.tr("Column of the file"), self.tr("Field")])
        for combo in self.combos.values():
            combo.setItemText(0, self.tr("(not imported)"))
            for i in range(1, combo.count()):
                combo.setItemText(i, self._field_text(str(combo.itemData(i))))

    def _field_text(self, name: str) -> str:
        preview = self._wizard.preview
        required = preview is not None and name in preview.required
        label = field_name(name)
        return self.tr("{field} (required)").format(field=label) if required else label

    def set_problem(self, text: str) -> None:
        self.problem_label.setText(text)

    def initializePage(self) -> None:
        preview = self._wizard.preview
        assert preview is not None
        self.problem_label.clear()
        headers = list(preview.headers)
        self.sample_table.clear()
        self.sample_table.setColumnCount(len(headers))
        self.sample_table.setRowCount(len(preview.sample))
        self.sample_table.setHorizontalHeaderLabels(headers)
        self.sample_table.setVerticalHeaderLabels([str(n) for n in preview.sample_rows])
        for r, row in enumerate(preview.sample):
            for c, value in enumerate(row):
                self.sample_table.setItem(r, c, QTableWidgetItem(value))
        self.sample_table.resizeColumnsToContents()
        self.mapping_table.setRowCount(len(headers))
        self.combos = {}
        for r, header in enumerate(headers):
            item = QTableWidgetItem(header or self.tr("(no header)"))
            self.mapping_table.setItem(r, 0, item)
            combo = QComboBox()
            combo.setObjectName(f"mapping_combo_{r}")
            combo.addItem(self.tr("(not imported)"), "")
            for name in preview.fields:
                combo.addItem(self._field_text(name), name)
            combo.setCurrentIndex(max(combo.findData(preview.mapping.get(header, "")), 0))
            self.mapping_table.setCellWidget(r, 1, combo)
            self.combos[header] = combo
        self.retranslate_ui()

    def mapping(self) -> dict[str, str]:
        return {header: str(combo.currentData() or "") for header, combo in self.combos.items()}

    def set_field(self, header: str, field: str) -> None:
        """Map ``header`` to ``field`` ("" for not imported), as the user picks it in the list."""
        combo = self.combos[header]
        combo.setCurrentIndex(combo.findData(field))

    def validatePage(self) -> bool:
        if self._checked:
            self._checked = False
            return True
        mapping = self.mapping()
        used = [f for f in mapping.values() if f]
        joined = set(self._wizard.preview.joined) if self._wizard.preview is not None else set()
        twice = sorted({f for f in used if used.count(f) > 1} - joined)
        if twice:
            self.set_problem(self.tr("Each field can take one column: {fields} is chosen more than once.").format(
                fields=", ".join(field_name(f) for f in twice)))
            return False
        self._wizard.check(mapping, None, self._go_on)
        return False

    def _go_on(self) -> None:
        self._checked = True
        self._wizard.next()


class _CheckPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.summary_label = QLabel()
        self.summary_label.setObjectName("summary_label")
        self.summary_label.setWordWrap(True)
        self.problems_list = QListWidget()
        self.problems_list.setObjectName("problems_list")
        self.save_profile_check = QCheckBox()
        self.save_profile_check.setObjectName("save_profile_check")
        self.profile_name_edit = QLineEdit()
        self.profile_name_edit.setObjectName("profile_name_edit")
        self.profile_name_edit.setEnabled(False)
        self.save_profile_check.toggled.connect(self.profile_name_edit.setEnabled)
        self.save_profile_check.toggled.connect(self._on_save_profile_check_toggled)
        self.profile_name_edit.textChanged.connect(self._on_save_profile_check_toggled)
        row = QHBoxLayout()
        row.addWidget(self.save_profile_check)
        row.addWidget(self.profile_name_edit, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.problems_list, 1)
        layout.addLayout(row)
        layout.addStretch(0)

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Check the rows"))
        self.setSubTitle(self.tr("Every row was checked against what ReturnDesk holds; nothing is written yet."))
        self.save_profile_check.setText(self.tr("&Save these columns as profile"))
        self.profile_name_edit.setPlaceholderText(self.tr("e.g. the system the file comes from"))
        if self._wizard.preview is not None:
            self._show(self._wizard.preview)

    def initializePage(self) -> None:
        preview = self._wizard.preview
        assert preview is not None
        if preview.profile and not self.profile_name_edit.text():
            self.profile_name_edit.setText(preview.profile)
        self._show(preview)

    def _show(self, preview: ImportPreview) -> None:
        self.problems_list.clear()
        self.problems_list.setVisible(bool(preview.problems))
        if preview.problems:
            self.summary_label.setStyleSheet("color: #b00020;")
            self.summary_label.setText(self.tr(
                "%n row(s) would be refused, so nothing can be imported. Correct them in the file (or go "
                "back and map the columns differently) and check again.", "", len(preview.problems)))
            self.problems_list.addItems([tr_message(p) for p in preview.problems])
        elif preview.rows == 0:
            self.summary_label.setStyleSheet("color: #b00020;")
            self.summary_label.setText(self.tr("The file holds no rows to import."))
        else:
            self.summary_label.setStyleSheet("")
            if preview.kind == "orders":
                text = self.tr("Read as {encoding}. %n order(s) can be imported.", "", preview.creates)
            else:
                text = self.tr("Read as {encoding}. {rows} rows: {new} new, {changed} changed, {same} unchanged.")
                text = text.replace("{rows}", str(preview.rows)).replace("{new}", str(preview.creates)) \
                    .replace("{changed}", str(preview.updates)).replace("{same}", str(preview.unchanged))
            self.summary_label.setText(text.replace("{encoding}", tr_message(preview.read_as)))
        self.completeChanged.emit()

    def _on_save_profile_check_toggled(self, *_args: object) -> None:
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        preview = self._wizard.preview
        if preview is None or preview.problems or preview.rows == 0:
            return False
        return not self.save_profile_check.isChecked() or bool(self.profile_name_edit.text().strip())


class _ImportPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.running = False
        self._done = False
        self._job_id = ""
        self.stage_label = QLabel()
        self.stage_label.setObjectName("stage_label")
        self.stage_label.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("progress_bar")
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancel_button")
        self.cancel_button.clicked.connect(self.cancel)
        self.result_label = QLabel()
        self.result_label.setObjectName("result_label")
        self.result_label.setWordWrap(True)
        self._timer = QTimer(self)
        self._timer.setInterval(PROGRESS_INTERVAL_MS)
        self._timer.timeout.connect(self._ask_progress)
        row = QHBoxLayout()
        row.addWidget(self.progress_bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stage_label)
        layout.addLayout(row)
        layout.addWidget(self.result_label)
        layout.addStretch(1)

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("Import"))
        self.setSubTitle(self.tr("The rows are written in one go: cancelling before the end writes nothing."))
        self.cancel_button.setText(self.tr("&Cancel import"))

    def initializePage(self) -> None:
        wizard = self._wizard
        self.result_label.clear()
        self._done = False
        self.running = True
        self.cancel_button.setEnabled(True)
        self.progress_bar.setRange(0, 0)
        self.stage_label.setText(self.tr("Starting…"))
        mapping = wizard.mapping_page.mapping()
        self._job_id = f"wizard-{uuid.uuid4().hex}"
        if wizard.check_page.save_profile_check.isChecked():
            # The profile is saved first and the rows imported after it, so that "done" means both are
            # written; a cancel in between stops the job as it starts.
            name = wizard.check_page.profile_name_edit.text().strip()
            wizard.tasks.run(wizard.api.master_data.save_profile, wizard.kind, name, mapping,
                             on_done=lambda _profile: self._start_import(mapping), on_error=self._on_failed,
                             key="import-save-profile")
        else:
            self._start_import(mapping)
        if self.running:  # a synchronous runner (pictures) has finished already
            self._timer.start()

    def _start_import(self, mapping: dict[str, str]) -> None:
        if not self.running:
            return
        wizard = self._wizard
        wizard.tasks.run(wizard.api.master_data.import_file, wizard.kind, wizard.data, wizard.file_name,
                         mapping=mapping, job_id=self._job_id, on_done=self._on_imported, on_error=self._on_failed,
                         key="import-run")

    def cancel(self) -> None:
        if not self.running:
            return
        self.cancel_button.setEnabled(False)
        self.stage_label.setText(self.tr("Cancelling…"))
        self._wizard.tasks.run(self._wizard.api.master_data.cancel_import, self._job_id,
                               on_error=lambda _e: None, key="import-cancel")

    def _ask_progress(self) -> None:
        if self.running:
            self._wizard.tasks.run(self._wizard.api.master_data.import_progress, self._job_id,
                                   on_done=self._on_progress, on_error=lambda _e: None, key="import-progress")

    def _on_progress(self, progress: ImportProgress) -> None:
        if not self.running or progress.cancelled:
            return
        stages = {"reading": self.tr("Reading the file…"), "checking": self.tr("Checking the rows…"),
                  "writing": self.tr("Writing…"), "done": self.tr("Finishing…")}
        self.stage_label.setText(stages.get(progress.stage, progress.stage))
        if progress.total:
            self.progress_bar.setRange(0, progress.total)
            self.progress_bar.setValue(progress.done)

    def _stop(self) -> None:
        self.running = False
        self._timer.stop()
        self.cancel_button.setEnabled(False)
        self.progress_bar.setRange(0, 1)

    def _on_imported(self, result: FileImportResult) -> None:
        self._stop()
        self.progress_bar.setValue(1)
        self._wizard.import_result = result
        self.stage_label.setText(self.tr("Done."))
        if result.kind == "orders" and result.orders is not None:
            text = self.tr("%n order(s) imported.", "", result.orders.orders)
        else:
            text = self.tr("{rows} rows imported: {new} new, {changed} changed, {same} unchanged.")
            text = text.replace("{rows}", str(result.rows)).replace("{new}", str(result.created)) \
                .replace("{changed}", str(result.updated)).replace("{same}", str(result.unchanged))
        self.result_label.setText(text)
        self._done = True
        self.completeChanged.emit()
        self._wizard.import_finished.emit(result)

    def _on_failed(self, error: BaseException) -> None:
        if not self.running:
            return
        self._stop()
        self.progress_bar.setValue(0)
        if isinstance(error, Cancelled):
            message = self.tr("The import was cancelled; nothing was imported.")
        else:
            message = self._wizard.errors.report(error, context=self.tr("importing the file")).message
        self.stage_label.setText(message)
        self._done = True
        self.completeChanged.emit()
        self._wizard.import_failed.emit(message)

    def isComplete(self) -> bool:
        return self._done
