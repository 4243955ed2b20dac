"""Printing through a real CUPS server: the return label goes to the cups-pdf queue "PDF" with
documents.printing.print_pdf and comes out as a PDF file whose barcode still scans.

Needs CUPS with the PDF printer (scripts/ensure-cups.sh sets it up). These tests fail rather
than skip when it is missing, unless RETURNDESK_TEST_CUPS=off says so on purpose.
"""

from __future__ import annotations


import pytest

from returndesk.documents import render_return_label
from returndesk.documents.pages import RETURN_LABEL_SIZES
from returndesk.documents.printing import PrinterNotFound, list_printers, media_for_page, print_pdf

from ..unit.documents_support import RMA, decoded_texts, fonts, label_data, page_sizes
from .cups_support import output_directory, wait_for_new_pdf

pytestmark = [pytest.mark.cups, pytest.mark.slow]

def test_pdf_queue_is_listed(cups_pdf_queue: str) -> None:
    assert cups_pdf_queue in list_printers()


def test_return_label_printed_through_cups_lands_as_a_scannable_pdf(cups_pdf_queue: str, qapp) -> None:
    directory = output_directory()
    before = set(directory.glob("*.pdf")) if directory.is_dir() else set()
    pdf = render_return_label(label_data("zh_CN"), "4x6")

    job = print_pdf(pdf, cups_pdf_queue, f"Return label {RMA}", media=media_for_page(*RETURN_LABEL_SIZES["4x6"]))
    assert job.startswith(f"{cups_pdf_queue}-")

    path, printed = wait_for_new_pdf(directory, before, job)
    path.unlink()
    assert decoded_texts(printed) == [RMA]
    [(width, height)] = page_sizes(printed)
    assert (round(width), round(height)) == (288, 432)
    assert fonts(printed) and all(fonts(printed).values()), "the Chinese font is still embedded after CUPS"


def test_unknown_queue_is_reported_by_name(cups_pdf_queue: str) -> None:
    with pytest.raises(PrinterNotFound, match="No-Such-Printer"):
        print_pdf(render_return_label(label_data()), "No-Such-Printer", "label")
