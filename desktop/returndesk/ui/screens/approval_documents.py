"""How the approval workstation prints the receipt and the credit note of a decided return.

The screen hands each print to an *approval printer*: a callable taking the document type, the RMA
and the language, run on a task-runner thread, that renders the document, sends it somewhere, logs
the copy and says where it went (:class:`PrintedDocument`). The documents and the print log (copy
numbers, "REPRINT n" on the paper) belong to ``services.documents``.

:func:`pdf_folder_printer` saves each document as a PDF file in the station's output folder
(``$RETURNDESK_OUTPUT_DIR``, else ``ReturnDesk/approvals`` in the user's documents folder); the
station's printing set-up plugs in its own printer instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from returndesk.domain.types import DocumentType
from returndesk.services.context import Actor

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
ApprovalPrinter = Callable[[DocumentType, str, str], PrintedDocument]


def default_output_dir() -> Path:
    """The station's output folder for the documents printed at the approval workstation."""
    configured = os.environ.get(ENV_OUTPUT_DIR)
    if configured:
        return Path(configured)
    from platformdirs import user_documents_path

    return user_documents_path() / "ReturnDesk" / "approvals"


def pdf_folder_printer(services: Any, actor: Actor, directory: Path | None = None) -> ApprovalPrinter:
    """An approval printer that saves each document as a PDF file in ``directory`` (default: the
    station's output folder), numbered and logged by ``services.documents``."""

    def print_to_folder(doc_type: DocumentType, rma: str, lang: str) -> PrintedDocument:
        folder = (directory if directory is not None else default_output_dir()).expanduser().absolute()
        outcome = services.documents.print_document(actor, doc_type, rma, printer=f"pdf:{folder}", lang=lang)
        where = str(outcome.path) if outcome.path is not None else outcome.destination
        return PrintedDocument(DocumentType(doc_type), outcome.document.reference, where, outcome.document.reprint)

    return print_to_folder
