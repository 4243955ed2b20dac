"""A counter receipt printed through a real CUPS server, by the code path of the desktop client:
``ui.printing.PrintService`` with the station's ``cups:`` destination, which renders and sends
through ``services.documents`` (prepare_print, send_prepared -> print_pdf) and logs the copy.

Needs CUPS with the cups-pdf printer "PDF" (scripts/ensure-cups.sh); the printed file lands in the
cups-pdf output folder and must still scan as the RMA.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from returndesk.domain.types import Channel, DocumentType, RefundMethod
from returndesk.services.usecases import counter, intake
from returndesk.services.infra import printer_routing
from returndesk.store.schema import PrintLog
from returndesk.ui.printing import PrintService

from ..unit.documents_support import decoded_texts, page_sizes
from .factories import make_order
from .money_support import CONDITIONS, order_line_ids
from .cups_support import output_directory, wait_for_new_pdf

pytestmark = [pytest.mark.cups, pytest.mark.slow]


def test_receipt_printed_through_cups_from_the_gui_code_path(qtbot, cups_pdf_queue, frame_services, world, tasks):
    ctx = frame_services.context
    order_no = make_order(world, [("AP-2001", 2, 1)], channel="store", days_ago=2)
    ids = order_line_ids(world, order_no)
    draft = intake.ReturnDraft(order_no=order_no, channel=Channel.COUNTER, refund_method=RefundMethod.CASH,
                               lines=(intake.DraftLine(ids["AP-2001"], 2, "changed_mind", conditions_met=CONDITIONS),))
    rma = counter.counter_return(ctx, world.clerk, draft).detail.rma_no
    printer_routing.set_routing(ctx, world.clerk, "TEST-1", DocumentType.COUNTER_RECEIPT, f"cups:{cups_pdf_queue}")
    service = PrintService(frame_services.api_for(world.clerk), tasks, station="TEST-1", language="zh_CN")
    directory = output_directory()
    before = set(directory.glob("*.pdf")) if directory.is_dir() else set()

    with qtbot.waitSignal(service.printed, timeout=60_000) as printed:
        service.print_document(DocumentType.COUNTER_RECEIPT, rma, preview=False)

    assert printed.args == ["counter_receipt", rma, 1]
    outcome = service.last_outcome
    assert outcome.job_id.startswith(f"{cups_pdf_queue}-") and outcome.destination == f"cups:{cups_pdf_queue}"
    path, paper = wait_for_new_pdf(directory, before, outcome.job_id)
    path.unlink()
    assert decoded_texts(paper) == [rma]
    [(width, height)] = page_sizes(paper)
    # The 80 mm roll's page, as Ghostscript writes it (whole points).
    assert (width, height) == pytest.approx(outcome.document.page_size, abs=1)
    assert outcome.document.page_size[0] == pytest.approx(80 * 72 / 25.4)
    with ctx.db.read() as s:
        logged = s.execute(select(PrintLog.doc_type, PrintLog.reference, PrintLog.copy_no, PrintLog.destination)).all()
    assert [tuple(row) for row in logged] == [("counter_receipt", rma, 1, f"cups:{cups_pdf_queue}")]
