"""Printing from the desktop client: :class:`PrintService`, the preview, and Qt printers.

Every document is a PDF rendered by the services (reportlab). Where it goes is the station's
routing (:mod:`returndesk.services.infra.printer_routing`):

* ``cups:``, ``zpl:``, ``zpl-tcp:``, ``pdf:`` — the services send it (``lp``, the Zebra's raw port,
  a file) and write the print log: exactly what ``returndesk print`` does;
* ``qt:<printer>`` — any printer the system offers, Windows included: each page is rendered with
  QtPdf at the printer's *useful* resolution (``min(printer resolution, 600)`` dpi — a driver that
  claims 1200 dpi would cost half a gigabyte per A4 page for nothing), composited on white
  (QtPdf renders transparency, which printers and barcode readers see as black), and painted onto
  a ``QPrinter`` set to the page's exact size with zero margins (a driver's "fit to page" would
  scale the barcodes); then the services log the copy.

Rendering, sending and rasterising run on the task runner, never on the GUI thread; QPainter may
paint on a QPrinter and QImage outside the GUI thread. Only the preview and the progress dialog
live on the GUI thread.

Signals for screens and tests: :attr:`PrintService.printed` ``(doc_type, reference, copy_no)``
after each printed document, :attr:`PrintService.failed` ``(message)``,
:attr:`PrintService.declined` when the user closed the preview without printing, and
:attr:`PrintService.batch_finished` ``(printed, total, cancelled)``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QObject, QRectF, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from returndesk.api.printing import PrinterNotFound, PrintingFailed
from returndesk.domain.types import DocumentType
from returndesk.api.protocol import ReturnDeskApi
from returndesk.api.types import DestinationKind, PreparedPrint, PrintOutcome, RenderedDocument, StationPrinting
from returndesk.ui import help
from returndesk.ui.errors import ErrorPresenter, describe_error
from returndesk.ui.i18n import tr_document_type, tr_message
from returndesk.ui.tasks import TaskRunner

#: Highest resolution pages are rendered at for a Qt printer; more only costs memory and time.
MAX_RASTER_DPI = 600

#: Makes the QPrinter for a ``qt:<name>`` destination (tests print into a PDF file instead).
PrinterFactory = Callable[[str], QPrinter]


def system_printer(name: str) -> QPrinter:
    """The system printer ``name`` at high resolution; ``PrinterNotFound`` when it is gone."""
    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        raise PrinterNotFound(
            f"There is no printer '{name}' on this computer (any more). Choose another one in the"
            " printer settings of this station."
        )
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


def open_pdf(pdf: bytes, parent: QObject | None = None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument reading ``pdf`` from memory; keep the buffer alive as long as the document."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(cast(QObject, parent))  # a document without a parent is allowed
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PrintingFailed(f"The document could not be read for printing ({document.error().name}).")
    return document, buffer


def page_layout(size_pt: QSizeF) -> QPageLayout:
    """The exact page of ``size_pt`` (points), zero margins, as given (a landscape tag stays wide)."""
    page = QPageSize(size_pt, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch)
    return QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)


def render_page(document: QPdfDocument, page: int, dpi: int) -> QImage:
    """Page ``page`` at ``dpi``, composited on white (QtPdf leaves the paper transparent)."""
    size_pt = document.pagePointSize(page)
    pixels = QSize(max(1, round(size_pt.width() * dpi / 72)), max(1, round(size_pt.height() * dpi / 72)))
    rendered = document.render(page, pixels)
    image = QImage(pixels, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return image


def raster_print(pdf: bytes, printer: QPrinter, *, title: str = "ReturnDesk", max_dpi: int = MAX_RASTER_DPI) -> int:
    """Print every page of ``pdf`` on ``printer`` as images at ``min(printer resolution, max_dpi)``
    dpi, each page on paper of its own exact size with zero margins; returns the page count.

    Raises ``PrintingFailed`` when the printer refuses the page size or cannot be opened.
    """
    document, buffer = open_pdf(pdf)
    try:
        dpi = max(72, min(printer.resolution(), max_dpi))
        printer.setDocName(title)
        printer.setFullPage(True)  # the origin at the paper's corner: nothing shifted by margins
        if not printer.setPageLayout(page_layout(document.pagePointSize(0))):
            raise PrintingFailed(
                f"The printer '{printer.printerName()}' does not accept the page size of {title}; check the"
                " paper loaded and the printer's settings."
            )
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintingFailed(
                f"The printer '{printer.printerName() or printer.outputFileName()}' could not be opened;"
                " check that it is switched on and connected, then print again."
            )
        try:
            for page in range(document.pageCount()):
                if page:
                    printer.setPageLayout(page_layout(document.pagePointSize(page)))
                    printer.newPage()
                image = render_page(document, page, dpi)
                target = QRectF(0, 0, printer.width(), printer.height())
                painter.drawImage(target, image)
        finally:
            painter.end()
        return document.pageCount()
    finally:
        document.close()
        buffer.close()


# --------------------------------------------------------------------------- preview


class PrintPreviewDialog(QDialog):
    """Shows a rendered document before it is printed: Print accepts, Cancel rejects."""

    def __init__(self, document: RenderedDocument, destination: str, parent: QWidget | None = None, *,
                 zpl: bool = False) -> None:
        super().__init__(parent)
        self.help_key = help.add_help_key(self, None)
        self._zpl = zpl
        self.setObjectName("print_preview_dialog")
        self.rendered = document
        self.pdf_document, self._buffer = open_pdf(document.pdf, self)
        self.heading_label = QLabel()
        self.heading_label.setObjectName("heading_label")
        self.heading_label.setWordWrap(True)
        font = self.heading_label.font()
        font.setBold(True)
        self.heading_label.setFont(font)
        self.pdf_view = QPdfView(self)
        self.pdf_view.setObjectName("pdf_view")
        self.pdf_view.setDocument(self.pdf_document)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitInView)
        # Fixed scroll bars: with "as needed" ones, fitting the page can show a bar, which shrinks
        # the view, which refits the page, which hides the bar... and the layout never settles.
        self.pdf_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.pdf_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pdf_view.setStyleSheet("QPdfView { background: palette(mid); }")
        self.destination_label = QLabel()
        self.destination_label.setObjectName("destination_label")
        self.destination_label.setWordWrap(True)
        self.destination_label.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox()
        self.print_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button.setObjectName("print_button")
        self.print_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.pdf_view, 1)
        layout.addWidget(self.destination_label)
        layout.addWidget(self.buttons)
        self._destination = destination
        width_pt, height_pt = document.page_size
        # Big enough to read a label at a glance, within a laptop screen.
        scale = min(1.6, 640 / height_pt, 720 / width_pt)
        self.resize(max(420, round(width_pt * scale) + 60), round(height_pt * scale) + 150)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        doc = self.rendered
        self.setWindowTitle(self.tr("Print preview"))
        heading = self.tr("{document} {reference}").format(
            document=tr_document_type(doc.doc_type), reference=doc.reference)
        if doc.reprint:
            heading += "  " + self.tr("(reprint {n})").format(n=doc.reprint)
        self.heading_label.setText(heading)
        count = self.pdf_document.pageCount()
        pages = self.tr("1 page") if count == 1 else self.tr("{n} pages").format(n=count)
        text = self.tr("{pages} · goes to {destination}").format(pages=pages, destination=self._destination)
        if self._zpl:
            text += "\n" + self.tr("The label printer draws the same label from ZPL at its own resolution.")
        self.destination_label.setText(text)
        self.print_button.setText(self.tr("&Print"))


# --------------------------------------------------------------------------- the service


@dataclass(eq=False)
class _Batch:
    doc_type: DocumentType
    references: list[str]
    options: dict[str, Any]
    dialog: QProgressDialog
    index: int = 0
    printed: int = 0
    outcomes: list[PrintOutcome] = field(default_factory=list)


class PrintService(QObject):
    """Prints documents for the screens of one signed-in user at one station.

    ``api`` is the signed-in user's API (``api.documents``, ``api.settings``);
    ``printer_factory`` makes the QPrinter of a ``qt:`` destination (default: the system printer
    of that name). ``ask_preview`` shows the preview and calls back with True (print) or False;
    the default opens :class:`PrintPreviewDialog` without blocking.
    """

    printed = Signal(str, str, int)
    document_printed = Signal(object)  # the PrintOutcome, for status lines
    failed = Signal(str)
    declined = Signal(str, str)
    preview_opened = Signal(object)  # the PrintPreviewDialog
    batch_started = Signal(object)  # the QProgressDialog
    batch_item_started = Signal(int, str)  # index (0-based), reference
    batch_finished = Signal(int, int, bool)

    def __init__(
        self,
        api: ReturnDeskApi,
        tasks: TaskRunner,
        *,
        station: str,
        language: str = "en",
        printer_factory: PrinterFactory | None = None,
        errors: ErrorPresenter | None = None,
        parent_widget: QWidget | None = None,
        ask_preview: Callable[[PreparedPrint, Callable[[bool], None]], None] | None = None,
    ) -> None:
        super().__init__(parent_widget)
        self._api = api
        self._tasks = tasks
        self.station = station
        self.language = language
        self._printer_factory = printer_factory or system_printer
        self._errors = errors
        self._parent_widget = parent_widget
        self._ask_preview = ask_preview or self._open_preview
        self._batch: _Batch | None = None
        self.last_outcome: PrintOutcome | None = None

    # ------------------------------------------------------------------ public API
    def station_printing(self) -> StationPrinting:
        """The station's printing set-up, read now (blocking: call it from a task)."""
        return self._api.settings.get_station_printing(self.station)

    def has_printer_for(self, doc_type: DocumentType) -> bool:
        """True when the station routes ``doc_type`` to a printer (blocking: call it from a task)."""
        return self.station_printing().destination(doc_type) is not None

    def print_document(
        self,
        doc_type: DocumentType | str,
        reference: str | None,
        *,
        lang: str | None = None,
        size: str | None = None,
        width_mm: int | None = None,
        printer: str | None = None,
        preview: bool | None = None,
    ) -> None:
        """Print one document; ``preview`` None follows the station's setting. The outcome arrives
        as :attr:`printed` (or :attr:`failed`, or :attr:`declined` from the preview)."""
        doc = DocumentType(doc_type)
        options = self._options(lang, size, width_mm, printer)
        self._tasks.run(self._prepare, doc, reference, options,
                        on_done=functools.partial(self._on_prepared, preview),
                        on_error=self._on_failed)

    def print_batch(
        self,
        doc_type: DocumentType | str,
        references: Sequence[str],
        *,
        lang: str | None = None,
        size: str | None = None,
        width_mm: int | None = None,
        printer: str | None = None,
    ) -> QProgressDialog:
        """Print many documents one after the other (no preview) with a progress dialog that can
        be cancelled: the document being printed when Cancel is pressed is finished (and logged),
        the rest are not printed. Ends with :attr:`batch_finished`."""
        if self._batch is not None:
            raise PrintingFailed("A batch is being printed at this station already; wait for it to finish.")
        doc = DocumentType(doc_type)
        refs = [str(r) for r in references]
        dialog = QProgressDialog(self._parent_widget)
        dialog.setObjectName("batch_progress_dialog")
        dialog.setWindowTitle(self.tr("Printing"))
        dialog.setCancelButtonText(self.tr("Cancel"))
        dialog.setRange(0, len(refs))
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumWidth(420)
        self._batch = _Batch(doc, refs, self._options(lang, size, width_mm, printer), dialog)
        dialog.setValue(0)
        dialog.show()
        self.batch_started.emit(dialog)
        self._next_in_batch()
        return dialog

    # ------------------------------------------------------------------ worker side
    def _options(self, lang: str | None, size: str | None, width_mm: int | None, printer: str | None) -> dict:
        return {"lang": lang or self.language, "size": size, "width_mm": width_mm, "printer": printer}

    def _prepare(self, doc_type: DocumentType, reference: str | None, options: dict) -> tuple[PreparedPrint, bool]:
        printing = self.station_printing()
        prepared = self._api.documents.prepare_print(doc_type, reference, station=self.station, **options)
        return prepared, printing.preview

    def _send(self, prepared: PreparedPrint) -> PrintOutcome:
        """Send (services) or raster-print (Qt) a prepared document, then log it."""
        destination = prepared.destination
        if destination.kind is not DestinationKind.QT:
            return self._api.documents.send_prepared(prepared, station=self.station)
        document = prepared.document
        printer = self._printer_factory(destination.target)
        raster_print(document.pdf, printer, title=document.title)
        log_id = self._api.documents.record_print(document, destination, station=self.station)
        return PrintOutcome(
            document=document, destination=str(destination), print_log_id=log_id,
            message=self.tr("{title} sent to {destination}.").format(
                title=tr_message(document.title), destination=tr_message(destination.describe())),
        )

    def _prepare_and_send(self, doc_type: DocumentType, reference: str, options: dict) -> PrintOutcome:
        prepared, _ = self._prepare(doc_type, reference, options)
        return self._send(prepared)

    # ------------------------------------------------------------------ GUI side
    def _on_prepared(self, preview: bool | None, result: tuple[PreparedPrint, bool]) -> None:
        prepared, station_preview = result
        if preview if preview is not None else station_preview:
            self._ask_preview(prepared, functools.partial(self._on_preview_answered, prepared))
        else:
            self._start_send(prepared)

    def _on_preview_answered(self, prepared: PreparedPrint, accepted: bool) -> None:
        if accepted:
            self._start_send(prepared)
        else:
            self.declined.emit(prepared.document.doc_type.value, prepared.document.reference)

    def _start_send(self, prepared: PreparedPrint) -> None:
        self._tasks.run(self._send, prepared, on_done=self._on_sent, on_error=self._on_failed)

    def _on_sent(self, outcome: PrintOutcome) -> None:
        self.last_outcome = outcome
        doc = outcome.document
        self.document_printed.emit(outcome)
        self.printed.emit(doc.doc_type.value, doc.reference, doc.copy_no)

    def _message(self, error: BaseException) -> str:
        if self._errors is not None:
            return self._errors.report(error, context=self.tr("printing")).message
        return describe_error(error, self.tr("printing")).message

    def _on_failed(self, error: BaseException) -> None:
        self.failed.emit(self._message(error))

    def _open_preview(self, prepared: PreparedPrint, answer: Callable[[bool], None]) -> None:
        dialog = PrintPreviewDialog(prepared.document, tr_message(prepared.destination.describe()), self._parent_widget,
                                    zpl=prepared.destination.is_zpl)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda result: answer(result == QDialog.DialogCode.Accepted))
        self.preview_opened.emit(dialog)
        dialog.open()

    # ------------------------------------------------------------------ batches
    def _next_in_batch(self) -> None:
        batch = self._batch
        assert batch is not None
        total = len(batch.references)
        if batch.dialog.wasCanceled() or batch.index >= total:
            self._finish_batch(cancelled=batch.dialog.wasCanceled() and batch.index < total)
            return
        reference = batch.references[batch.index]
        batch.dialog.setLabelText(self.tr("Printing {document} {n} of {total}: {reference}").format(
            document=tr_document_type(batch.doc_type), n=batch.index + 1, total=total, reference=reference))
        self.batch_item_started.emit(batch.index, reference)
        self._tasks.run(self._prepare_and_send, batch.doc_type, reference, batch.options,
                        on_done=self._on_batch_item_done, on_error=self._on_batch_item_failed)

    def _on_batch_item_done(self, outcome: PrintOutcome) -> None:
        batch = self._batch
        assert batch is not None
        batch.index += 1
        batch.printed += 1
        batch.outcomes.append(outcome)
        self._on_sent(outcome)
        if not batch.dialog.wasCanceled():
            batch.dialog.setValue(batch.index)
        self._next_in_batch()

    def _on_batch_item_failed(self, error: BaseException) -> None:
        batch = self._batch
        assert batch is not None
        message = self._message(error)
        self.failed.emit(self.tr("{reason} {printed} of {total} were printed before it; the rest were not.").format(
            reason=message, printed=batch.printed, total=len(batch.references)))
        self._finish_batch(cancelled=False)

    def _finish_batch(self, *, cancelled: bool) -> None:
        batch = self._batch
        assert batch is not None
        self._batch = None
        batch.dialog.hide()
        batch.dialog.deleteLater()
        self.batch_finished.emit(batch.printed, len(batch.references), cancelled)
