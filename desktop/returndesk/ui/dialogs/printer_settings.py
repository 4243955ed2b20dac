"""The printers of a station, per document type: :class:`PrinterSettingsDialog`.

Each document type gets a way to print and a target:

* *System printer* — the printers Qt sees (``QPrinterInfo.availablePrinterNames()``; on Windows
  every installed printer), printed through Qt;
* *CUPS printer* — a CUPS queue (``lpstat``), the PDF goes to it with the exact paper size;
* *PDF files in a folder* — always available, no printer needed;
* *Zebra, raw CUPS queue* / *Zebra on the network* — ZPL for return labels and item tags.

Plus the station's options: preview before printing, return label size, receipt roll width and
the Zebra's resolution. The choices are stored in the database for the station
(``api.settings.save_station_printing``), so they stay with the station
when its computer is replaced. Only rows the user changed are saved: a document that follows the
choice made for all stations keeps following it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.printing import PrintingFailed, list_printers
from returndesk.domain.errors import ReturnDeskError, ValidationFailed
from returndesk.domain.types import DocumentType
from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import (
    LABEL_SIZES,
    RECEIPT_WIDTHS,
    ZPL_DOCUMENTS,
    ZPL_DPIS,
    DestinationKind,
    StationPrinting,
    parse_destination,
)
from returndesk.ui import help
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.fonts import scale_font
from returndesk.ui.i18n import tr_document_type
from returndesk.ui.tasks import TaskRunner
from returndesk.ui.i18n import tr_message

NOT_SET = ""
#: The ways to print offered in the dialog, in order (ZPL ones only for labels and tags).
KINDS = (
    NOT_SET,
    DestinationKind.QT.value,
    DestinationKind.CUPS.value,
    DestinationKind.PDF_FOLDER.value,
    DestinationKind.ZPL_QUEUE.value,
    DestinationKind.ZPL_TCP.value,
)

FolderChooser = Callable[[QWidget, str], str]


def cups_queues() -> tuple[list[str], str]:
    """The CUPS queues of this computer, and a note when CUPS cannot be asked (else "")."""
    try:
        return list_printers(), ""
    except PrintingFailed as exc:
        return [], tr_message(exc.message)


def _choose_folder(parent: QWidget, start: str) -> str:
    title = QCoreApplication.translate("PrinterSettingsDialog", "Folder for the PDF files")
    return QFileDialog.getExistingDirectory(parent, title, start)


class _RouteRow:
    """The widgets of one document type's row."""

    def __init__(self, doc_type: DocumentType) -> None:
        self.doc_type = doc_type
        self.label = QLabel()
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName(f"{doc_type.value}_kind_combo")
        self.target_combo = QComboBox()
        self.target_combo.setObjectName(f"{doc_type.value}_target_combo")
        self.target_combo.setEditable(True)
        self.target_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.target_combo.setMinimumContentsLength(26)
        self.target_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.browse_button = QPushButton()
        self.browse_button.setObjectName(f"{doc_type.value}_browse_button")
        self.label.setBuddy(self.kind_combo)
        self.initial = ""

    @property
    def kinds(self) -> tuple[str, ...]:
        if self.doc_type in ZPL_DOCUMENTS:
            return KINDS
        return tuple(k for k in KINDS if k not in (DestinationKind.ZPL_QUEUE.value, DestinationKind.ZPL_TCP.value))

    @property
    def kind(self) -> str:
        return self.kind_combo.currentData() or NOT_SET

    def destination(self) -> str:
        """The destination as typed ("" when not set)."""
        kind = self.kind
        target = self.target_combo.currentText().strip()
        return f"{kind}:{target}" if kind else ""


class PrinterSettingsDialog(QDialog):
    """Where each document of a station is printed, and the station's printing options.

    ``saved(StationPrinting)`` after the choices were stored (the dialog then closes);
    ``save_failed(message)`` when the services refused them (the message is shown in the dialog);
    ``loaded()`` once the stored choices and the CUPS queues are shown.
    """

    saved = Signal(object)
    save_failed = Signal(str)
    loaded = Signal()

    def __init__(
        self,
        api: ReturnDeskApi,
        tasks: TaskRunner,
        station: str,
        parent: QWidget | None = None,
        *,
        station_kind: str | None = None,
        qt_printers: Callable[[], list[str]] | None = None,
        list_cups_queues: Callable[[], tuple[list[str], str]] | None = None,
        choose_folder: FolderChooser | None = None,
    ) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, help.ADMINISTRATOR)
        self.setObjectName("printer_settings_dialog")
        self._api = api
        self._tasks = tasks
        self.station = station
        self._station_kind = station_kind
        self._qt_printers = (qt_printers or QPrinterInfo.availablePrinterNames)()
        self._list_cups_queues = list_cups_queues or cups_queues
        self._choose_folder = choose_folder or _choose_folder
        self._cups_queues: list[str] = []
        self._cups_note = ""
        self.printing: StationPrinting | None = None

        self.heading_label = QLabel()
        self.heading_label.setObjectName("heading_label")
        scale_font(self.heading_label, 1.3, bold=True)
        self.intro_label = QLabel()
        self.intro_label.setObjectName("intro_label")
        self.intro_label.setWordWrap(True)

        self.rows = {doc: _RouteRow(doc) for doc in DocumentType}
        self.routes_box = QGroupBox()
        grid = QGridLayout(self.routes_box)
        self.document_header = QLabel()
        self.kind_header = QLabel()
        self.target_header = QLabel()
        for col, header in enumerate((self.document_header, self.kind_header, self.target_header)):
            header.setStyleSheet("font-weight: bold;")
            grid.addWidget(header, 0, col)
        for r, row in enumerate(self.rows.values(), start=1):
            grid.addWidget(row.label, r, 0)
            grid.addWidget(row.kind_combo, r, 1)
            grid.addWidget(row.target_combo, r, 2)
            grid.addWidget(row.browse_button, r, 3)
            row.kind_combo.currentIndexChanged.connect(lambda _i, row=row: self._on_kind_changed(row))
            row.browse_button.clicked.connect(lambda _checked=False, row=row: self._on_browse_clicked(row))
        grid.setColumnStretch(2, 1)

        self.options_box = QGroupBox()
        self.preview_check = QCheckBox()
        self.preview_check.setObjectName("preview_check")
        self.label_size_combo = QComboBox()
        self.label_size_combo.setObjectName("label_size_combo")
        self.receipt_width_combo = QComboBox()
        self.receipt_width_combo.setObjectName("receipt_width_combo")
        self.zpl_dpi_combo = QComboBox()
        self.zpl_dpi_combo.setObjectName("zpl_dpi_combo")
        for size in LABEL_SIZES:
            self.label_size_combo.addItem("", size)
        for width in RECEIPT_WIDTHS:
            self.receipt_width_combo.addItem("", width)
        for dpi in ZPL_DPIS:
            self.zpl_dpi_combo.addItem("", dpi)
        self.label_size_label = QLabel()
        self.label_size_label.setBuddy(self.label_size_combo)
        self.receipt_width_label = QLabel()
        self.receipt_width_label.setBuddy(self.receipt_width_combo)
        self.zpl_dpi_label = QLabel()
        self.zpl_dpi_label.setBuddy(self.zpl_dpi_combo)
        options = QFormLayout(self.options_box)
        options.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        options.addRow(self.preview_check)
        options.addRow(self.label_size_label, self.label_size_combo)
        options.addRow(self.receipt_width_label, self.receipt_width_combo)
        options.addRow(self.zpl_dpi_label, self.zpl_dpi_combo)

        self.cups_note_label = QLabel()
        self.cups_note_label.setObjectName("cups_note_label")
        self.cups_note_label.setWordWrap(True)
        self.cups_note_label.setStyleSheet("color: palette(mid);")
        self.cups_note_label.setVisible(False)
        self.message_label = QLabel()
        self.message_label.setObjectName("message_label")
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setStyleSheet("QLabel { color: #b00020; }")
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setVisible(False)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save_button")
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.routes_box)
        layout.addWidget(self.cups_note_label)
        layout.addWidget(self.options_box)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(760)
        self.retranslate_ui()
        for row in self.rows.values():
            self._on_kind_changed(row)
        self._set_enabled(False)
        self._tasks.run(
            self._load, on_done=self._on_loaded, on_error=self._on_load_failed, key=("printer-settings", id(self))
        )

    # ------------------------------------------------------------------ texts
    def _kind_text(self, kind: str) -> str:
        return {
            NOT_SET: self.tr("Not set"),
            DestinationKind.QT.value: self.tr("System printer"),
            DestinationKind.CUPS.value: self.tr("CUPS printer"),
            DestinationKind.PDF_FOLDER.value: self.tr("PDF files in a folder"),
            DestinationKind.ZPL_QUEUE.value: self.tr("Zebra, raw CUPS queue (ZPL)"),
            DestinationKind.ZPL_TCP.value: self.tr("Zebra on the network (ZPL)"),
        }[kind]

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Printers of this station"))
        self.heading_label.setText(self.tr("Printers of station {station}").format(station=self.station))
        self.intro_label.setText(self.tr(
            "Choose where each document is printed at this station. A PDF folder works without any"
            " printer. Return labels and item tags can also go to a Zebra label printer as ZPL."))
        self.routes_box.setTitle(self.tr("Printer per document"))
        self.document_header.setText(self.tr("Document"))
        self.kind_header.setText(self.tr("Print with"))
        self.target_header.setText(self.tr("Printer, queue, folder or address"))
        for row in self.rows.values():
            row.label.setText(tr_document_type(row.doc_type) + ":")
            current = row.kind
            row.kind_combo.blockSignals(True)
            row.kind_combo.clear()
            for kind in row.kinds:
                row.kind_combo.addItem(self._kind_text(kind), kind)
            row.kind_combo.setCurrentIndex(max(0, row.kind_combo.findData(current)))
            row.kind_combo.blockSignals(False)
            row.browse_button.setText(self.tr("Folder…"))
        self.options_box.setTitle(self.tr("Options"))
        self.preview_check.setText(self.tr("Show a &preview before printing"))
        self.label_size_label.setText(self.tr("Return &label size:"))
        self.label_size_combo.setItemText(0, self.tr("4 × 6 in (101.6 × 152.4 mm)"))
        self.label_size_combo.setItemText(1, self.tr("100 × 150 mm"))
        self.receipt_width_label.setText(self.tr("&Receipt roll:"))
        self.receipt_width_combo.setItemText(0, self.tr("80 mm"))
        self.receipt_width_combo.setItemText(1, self.tr("58 mm"))
        self.zpl_dpi_label.setText(self.tr("&Zebra resolution:"))
        self.zpl_dpi_combo.setItemText(0, self.tr("203 dpi (8 dots/mm)"))
        self.zpl_dpi_combo.setItemText(1, self.tr("300 dpi (12 dots/mm)"))
        if self._cups_note:
            self.cups_note_label.setText(
                self.tr("CUPS printers are not listed: {reason}").format(reason=self._cups_note)
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # ------------------------------------------------------------------ loading
    def _load(self) -> tuple[StationPrinting, list[str], str]:
        printing = self._api.settings.get_station_printing(self.station)
        queues, note = self._list_cups_queues()
        return printing, queues, note

    def _on_loaded(self, result: tuple[StationPrinting, list[str], str]) -> None:
        printing, self._cups_queues, self._cups_note = result
        self.show_printing(printing)
        self.cups_note_label.setVisible(bool(self._cups_note))
        self.retranslate_ui()
        self._set_enabled(True)
        self._fit_height()
        self.loaded.emit()

    def _on_load_failed(self, error: BaseException) -> None:
        self._show_message(ErrorPresenter(self).report(error, context=self.tr("reading the printer settings")).message)
        self._set_enabled(False)
        self.cancel_button.setEnabled(True)

    def show_printing(self, printing: StationPrinting) -> None:
        """Fill the dialog with the station's stored choices."""
        self.printing = printing
        for doc, row in self.rows.items():
            text = printing.routing.get(doc, "")
            kind, _, target = text.partition(":") if text else (NOT_SET, "", "")
            row.kind_combo.setCurrentIndex(max(0, row.kind_combo.findData(kind)))
            self._on_kind_changed(row)
            row.target_combo.setEditText(target)
            row.initial = row.destination()
            inherited = doc in printing.routing and doc not in printing.own_routing
            row.label.setToolTip(self.tr("Chosen for all stations") if inherited else "")
        self.preview_check.setChecked(printing.preview)
        self.label_size_combo.setCurrentIndex(max(0, self.label_size_combo.findData(printing.label_size)))
        self.receipt_width_combo.setCurrentIndex(max(0, self.receipt_width_combo.findData(printing.receipt_width)))
        self.zpl_dpi_combo.setCurrentIndex(max(0, self.zpl_dpi_combo.findData(printing.zpl_dpi)))

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.routes_box, self.options_box, self.save_button):
            widget.setEnabled(enabled)

    # ------------------------------------------------------------------ editing
    def _on_kind_changed(self, row: _RouteRow) -> None:
        kind = row.kind
        text = row.target_combo.currentText()
        suggestions: list[str] = []
        if kind == DestinationKind.QT.value:
            suggestions = list(self._qt_printers)
        elif kind in (DestinationKind.CUPS.value, DestinationKind.ZPL_QUEUE.value):
            suggestions = list(self._cups_queues)
        row.target_combo.blockSignals(True)
        row.target_combo.clear()
        row.target_combo.addItems(suggestions)
        # A queue name makes no sense as a folder: the target starts afresh with the new kind.
        keep = text if text in suggestions else (suggestions[0] if suggestions else "")
        row.target_combo.setEditText(keep)
        row.target_combo.blockSignals(False)
        placeholder = {
            DestinationKind.PDF_FOLDER.value: self.tr("/home/counter/labels"),
            DestinationKind.ZPL_TCP.value: self.tr("192.168.1.40:9100"),
        }.get(kind, "")
        edit = row.target_combo.lineEdit()
        if edit is not None:
            edit.setPlaceholderText(placeholder)
        row.target_combo.setEnabled(bool(kind))
        row.browse_button.setVisible(kind == DestinationKind.PDF_FOLDER.value)

    def _on_browse_clicked(self, row: _RouteRow) -> None:
        folder = self._choose_folder(self, row.target_combo.currentText())
        if folder:
            row.target_combo.setEditText(folder)

    # ------------------------------------------------------------------ saving
    def routing_changes(self) -> dict[DocumentType, str | None]:
        """The rows the user changed: destination, or None to remove the station's own choice."""
        changes: dict[DocumentType, str | None] = {}
        for doc, row in self.rows.items():
            value = row.destination()
            if value != row.initial:
                changes[doc] = value or None
        return changes

    def save(self) -> None:
        """Store the choices (what Save and Enter do)."""
        self.message_label.setVisible(False)
        changes = self.routing_changes()
        problems = []
        for doc, value in changes.items():
            if value is None:
                continue
            try:
                parse_destination(value, doc)
            except ValidationFailed as exc:
                problems.append(f"{tr_document_type(doc)}: {tr_message(exc.message)}")
        if problems:
            self._refused("\n".join(problems))
            return
        self._tasks.run(
            self._api.settings.save_station_printing, self.station,
            routing=changes, preview=self.preview_check.isChecked(),
            label_size=self.label_size_combo.currentData(),
            receipt_width=self.receipt_width_combo.currentData(),
            zpl_dpi=self.zpl_dpi_combo.currentData(), kind=self._station_kind,
            on_done=self._on_saved, on_error=self._on_save_failed,
            busy=[self.save_button, self.routes_box, self.options_box],
            key=("printer-settings-save", id(self)),
        )

    def _on_saved(self, printing: StationPrinting) -> None:
        self.printing = printing
        self.saved.emit(printing)
        self.accept()

    def _on_save_failed(self, error: BaseException) -> None:
        if isinstance(error, ReturnDeskError):
            message = tr_message(error.message)
            if isinstance(error, ValidationFailed) and error.problems:
                message = "\n".join(tr_message(p) for p in error.problems)
        else:
            message = ErrorPresenter(self).report(error, context=self.tr("saving the printer settings")).message
        self._refused(message)

    def _refused(self, message: str) -> None:
        self._show_message(message)
        self.save_failed.emit(message)

    def _show_message(self, message: str) -> None:
        self.message_label.setText(message)
        self.message_label.setVisible(True)
        self._fit_height()

    def _fit_height(self) -> None:
        # A top-level dialog does not grow by itself when a wrapped label gets longer.
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        width = max(self.width(), self.minimumWidth())
        needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        if needed > self.height():
            self.resize(width, needed)
