"""Saving printed documents as PDF files in the station's output folder.

A screen hands each print to a *printer*: a callable taking the document type, the RMA and the
language, run on a worker thread, that renders and prints one copy and says where it went
(:class:`PrintedDocument`). The documents and the print log (copy numbers, "REPRINT n" on the
paper) belong to the documents API (``api.documents``). :func:`pdf_folder_printer` is the printer used when the
station has no printer chosen for a document: it saves the PDF in the station's output folder
(``$RETURNDESK_OUTPUT_DIR``, else ``ReturnDesk/<screen>`` in the user's documents folder).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from returndesk.domain.types import DocumentType

if TYPE_CHECKING:
    from returndesk.api.protocol import ReturnDeskApi
    from returndesk.api.types import Lang

#: Environment variable naming the station's output folder (saved documents).
ENV_OUTPUT_DIR = "RETURNDESK_OUTPUT_DIR"


@dataclass(frozen=True)
class PrintedDocument:
    """One copy printed: where it went (a printer, a file) and which copy it was."""

    doc_type: DocumentType
    reference: str
    where: str
    reprint: int = 0  # 0 for the original, n for the n-th reprint


#: Renders and prints one document on a worker thread: (type, RMA, language) -> what was printed.
DocumentPrinter = Callable[[DocumentType, str, str], PrintedDocument]


def output_dir(subfolder: str) -> Path:
    """The station's output folder for the documents of one screen."""
    configured = os.environ.get(ENV_OUTPUT_DIR)
    if configured:
        return Path(configured)
    from platformdirs import user_documents_path

    return user_documents_path() / "ReturnDesk" / subfolder


def folder_printer(api: ReturnDeskApi, subfolder: str, directory: Path | None = None) -> DocumentPrinter:
    """A printer that saves each document as a PDF file in ``directory`` (default: the station's
    output folder for ``subfolder``), numbered and logged by ``api.documents``."""

    def print_to_folder(doc_type: DocumentType, rma: str, lang: str) -> PrintedDocument:
        folder = (directory if directory is not None else output_dir(subfolder)).expanduser().absolute()
        outcome = api.documents.print_document(doc_type, rma, printer=f"pdf:{folder}", lang=cast("Lang", lang))
        where = str(outcome.path) if outcome.path is not None else outcome.destination
        return PrintedDocument(DocumentType(doc_type), outcome.document.reference, where, outcome.document.reprint)

    return print_to_folder

