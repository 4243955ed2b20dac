"""What ReturnDesk puts on paper: return labels, counter receipts, item tags, credit notes and
the station command sheet, as PDF bytes (reportlab) or, for Zebra printers, as ZPL.

No Qt and no database here: the services fill the dataclasses of :mod:`.data`, the UI previews
and prints the bytes; :mod:`.printing` sends them to CUPS or a label printer directly.

Importing this package loads none of its modules: each name is imported from its module at
first use (reportlab with the first document rendered), so that a station starts without them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .barcodes import BarcodeDoesNotFit
    from .command_sheet import render_command_sheet
    from .credit_note import render_credit_note
    from .data import (
        LANGUAGES,
        CreditNoteData,
        CreditNoteLine,
        ItemTagData,
        Lang,
        PackingSlipData,
        PackingSlipLine,
        ReceiptData,
        ReceiptLine,
        ReturnLabelData,
    )
    from .item_tag import render_item_tag
    from .packing_slip import render_packing_slip
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

#: Where each public name lives.
_HOME = {
    "BarcodeDoesNotFit": "barcodes",
    "render_command_sheet": "command_sheet",
    "render_credit_note": "credit_note",
    "LANGUAGES": "data",
    "CreditNoteData": "data",
    "CreditNoteLine": "data",
    "ItemTagData": "data",
    "Lang": "data",
    "ReceiptData": "data",
    "ReceiptLine": "data",
    "ReturnLabelData": "data",
    "render_item_tag": "item_tag",
    "render_packing_slip": "packing_slip",
    "PackingSlipData": "data",
    "PackingSlipLine": "data",
    "PrinterNotFound": "printing",
    "PrintingFailed": "printing",
    "default_printer": "printing",
    "list_printers": "printing",
    "media_for_page": "printing",
    "print_pdf": "printing",
    "print_raw": "printing",
    "print_zpl": "printing",
    "send_zpl": "printing",
    "write_pdf": "printing",
    "render_receipt": "receipt",
    "render_return_label": "return_label",
    "item_tag_zpl": "zpl",
    "return_label_zpl": "zpl",
}

__all__ = [
    "LANGUAGES",
    "BarcodeDoesNotFit",
    "CreditNoteData",
    "CreditNoteLine",
    "ItemTagData",
    "PackingSlipData",
    "PackingSlipLine",
    "Lang",
    "ReceiptData",
    "ReceiptLine",
    "PrinterNotFound",
    "PrintingFailed",
    "ReturnLabelData",
    "default_printer",
    "item_tag_zpl",
    "render_packing_slip",
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


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
