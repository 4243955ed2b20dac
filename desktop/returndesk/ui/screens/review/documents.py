"""How the review queue and the "to pay" worklist print: the return label of an authorized request,
the receipt and the credit note of a refund.

:class:`ScreenPrinting` sends a document to the station's printer for it when one is chosen (the
application's :class:`~returndesk.ui.printing.PrintService`, with its preview), else saves it as a
PDF in the station's output folder (:mod:`returndesk.ui.document_folder`); the documents API numbers
and logs every copy, so a second print is a marked reprint. Signals (GUI thread):
``printed(PrintedDocument)``, ``failed(doc_type, message)``, ``declined(doc_type)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from returndesk.api.protocol import ReturnDeskApi
from returndesk.domain.errors import ReturnDeskError
from returndesk.domain.types import DocumentType
from returndesk.ui.document_folder import DocumentPrinter, PrintedDocument, folder_printer
from returndesk.ui.errors import ErrorPresenter
from returndesk.ui.printing import PrintService
from returndesk.ui.tasks import TaskRunner

__all__ = ["DocumentPrinter", "PrintedDocument", "ScreenPrinting", "pdf_folder_printer"]


def pdf_folder_printer(api: ReturnDeskApi, subfolder: str, directory: Path | None = None) -> DocumentPrinter:
    """A printer that saves each document as a PDF file (default: the station's output folder)."""
    return folder_printer(api, subfolder, directory)


class ScreenPrinting(QObject):
    """Prints one document at a time per type for a screen; see the module documentation."""

    printed = Signal(object)  # PrintedDocument
    failed = Signal(str, str)  # document type, message
    declined = Signal(str)  # document type

    def __init__(self, tasks: TaskRunner, printer: DocumentPrinter, print_service: PrintService | None,
                 errors: ErrorPresenter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._printer = printer
        self._service = print_service
        self._errors = errors
        self._busy: set[str] = set()
        if print_service is not None:
            print_service.document_printed.connect(self._on_service_printed)
            print_service.failed.connect(self._on_service_failed)
            print_service.declined.connect(self._on_service_declined)

    def busy(self, doc_type: DocumentType) -> bool:
        """True while ``doc_type`` is on its way to a printer or a file."""
        return doc_type.value in self._busy

    def print(self, doc_type: DocumentType, reference: str, lang: str) -> bool:
        """Print ``doc_type`` of ``reference`` (an RMA); False when one is on its way already."""
        if doc_type.value in self._busy:
            return False
        self._busy.add(doc_type.value)
        if self._service is None:
            self._to_file(doc_type, reference, lang)
            return True
        self._tasks.run(self._service.has_printer_for, doc_type,
                        on_done=lambda routed: self._on_route_known(doc_type, reference, lang, routed),
                        on_error=lambda error: self._on_failed(error, doc_type),
                        key=("screen-print", id(self), doc_type.value))
        return True

    def _on_route_known(self, doc_type: DocumentType, reference: str, lang: str, routed: bool) -> None:
        if routed and self._service is not None:
            self._service.print_document(doc_type, reference, lang=lang)
        else:
            self._to_file(doc_type, reference, lang)

    def _to_file(self, doc_type: DocumentType, reference: str, lang: str) -> None:
        self._tasks.run(self._printer, doc_type, reference, lang, on_done=self._on_printed,
                        on_error=lambda error: self._on_failed(error, doc_type),
                        key=("screen-print", id(self), doc_type.value))

    def _on_printed(self, printed: PrintedDocument) -> None:
        self._busy.discard(DocumentType(printed.doc_type).value)
        self.printed.emit(printed)

    def _on_failed(self, error: BaseException, doc_type: DocumentType) -> None:
        self._busy.discard(doc_type.value)
        if isinstance(error, OSError):
            message = self.tr("The document could not be printed ({reason}); check the printer or the folder, "
                              "then print again.").format(reason=error.strerror or str(error))
        elif isinstance(error, ReturnDeskError):
            message = self._errors.report(error, context=self.tr("printing the document")).message
        else:
            message = self._errors.present(error, context=self.tr("printing the document")).message
        self.failed.emit(doc_type.value, message)

    def _on_service_printed(self, outcome: Any) -> None:
        doc = outcome.document
        if doc.doc_type.value not in self._busy:
            return  # another screen's document
        where = str(outcome.path) if outcome.path is not None else outcome.destination
        self._on_printed(PrintedDocument(doc.doc_type, doc.reference, where, doc.reprint))

    def _on_service_failed(self, message: str) -> None:
        if not self._busy:
            return  # another screen's document
        busy = sorted(self._busy)
        self._busy.clear()
        for doc_type in busy:
            self.failed.emit(doc_type, message)

    def _on_service_declined(self, doc_type: str, _reference: str) -> None:
        if doc_type in self._busy:
            self._busy.discard(doc_type)
            self.declined.emit(doc_type)
