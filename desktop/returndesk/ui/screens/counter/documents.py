"""How the counter screen prints the return label and the counter receipt (see
:mod:`returndesk.ui.document_folder`); without a station printer, PDFs go to ``ReturnDesk/counter``."""

from __future__ import annotations

from pathlib import Path
from returndesk.api.protocol import ReturnDeskApi
from returndesk.ui.document_folder import ENV_OUTPUT_DIR, DocumentPrinter, PrintedDocument, folder_printer, output_dir

__all__ = ["ENV_OUTPUT_DIR", "CounterPrinter", "PrintedDocument", "default_output_dir", "pdf_folder_printer"]

CounterPrinter = DocumentPrinter


def default_output_dir() -> Path:
    """The station's output folder for counter documents."""
    return output_dir("counter")


def pdf_folder_printer(api: ReturnDeskApi, directory: Path | None = None) -> CounterPrinter:
    """A counter printer that saves each document as a PDF file (default: the output folder)."""
    return folder_printer(api, "counter", directory)
