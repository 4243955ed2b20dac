"""What ReturnDesk puts on paper: return labels, counter receipts, item tags, credit notes and
the station command sheet, as PDF bytes (reportlab) or, for Zebra printers, as ZPL.

No Qt and no database here: the services fill the dataclasses of :mod:`.data`, the UI previews
and prints the bytes; :mod:`.printing` sends them to CUPS or a label printer directly.
"""

from .barcodes import BarcodeDoesNotFit
from .command_sheet import render_command_sheet
from .credit_note import render_credit_note
from .data import (
    LANGUAGES,
    CreditNoteData,
    CreditNoteLine,
    ItemTagData,
    Lang,
    ReceiptData,
    ReceiptLine,
    ReturnLabelData,
)
from .item_tag import render_item_tag
from .printing import (
    PrinterNotFound,
    PrintingFailed,
    default_printer,
    list_printers,
    media_for_page,
    print_pdf,
    print_raw,
    print_zpl,
    send_zpl,
    write_pdf,
)
from .receipt import render_receipt
from .return_label import render_return_label
from .zpl import item_tag_zpl, return_label_zpl

__all__ = [
    "LANGUAGES",
    "BarcodeDoesNotFit",
    "CreditNoteData",
    "CreditNoteLine",
    "ItemTagData",
    "Lang",
    "ReceiptData",
    "ReceiptLine",
    "PrinterNotFound",
    "PrintingFailed",
    "ReturnLabelData",
    "default_printer",
    "item_tag_zpl",
    "list_printers",
    "media_for_page",
    "print_pdf",
    "print_raw",
    "print_zpl",
    "render_command_sheet",
    "render_credit_note",
    "render_item_tag",
    "render_receipt",
    "render_return_label",
    "return_label_zpl",
    "send_zpl",
    "write_pdf",
]
