"""How the approval workstation prints the receipt and the credit note of a decided return (see
:mod:`returndesk.ui.document_folder`); without a station printer, PDFs go to ``ReturnDesk/approvals``."""

from __future__ import annotations

from pathlib import Path

from returndesk.api.protocol import ReturnDeskApi
from returndesk.ui.document_folder import ENV_OUTPUT_DIR, DocumentPrinter, PrintedDocument, folder_printer, output_dir

__all__ = ["ENV_OUTPUT_DIR", "ApprovalPrinter", "PrintedDocument", "default_output_dir", "pdf_folder_printer"]

ApprovalPrinter = DocumentPrinter


def default_output_dir() -> Path:
    """The station's output folder for the documents printed at the approval workstation."""
    return output_dir("approvals")


def pdf_folder_printer(api: ReturnDeskApi, directory: Path | None = None) -> ApprovalPrinter:
    """An approval printer that saves each document as a PDF file (default: the output folder)."""
    return folder_printer(api, "approvals", directory)
