"""The station's own printers, as the client sees them: listing them and the errors of sending a job.

Printing happens on the station in both modes (its printers are local to it); the documents come
from the API (``documents.prepare_print``). Re-exported here so the UI needs nothing from
``returndesk.documents``.
"""

from __future__ import annotations

from returndesk.documents.printing import PrinterNotFound, PrintingFailed, list_printers

__all__ = ["PrinterNotFound", "PrintingFailed", "list_printers"]
