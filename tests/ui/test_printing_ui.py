"""Printing from the desktop client: Qt printers (pages rasterised onto a QPrinter), the preview,
batches with a cancellable progress dialog, and the printer settings dialog.

A Qt printer here is a ``QPrinter`` writing a PDF file (``QPrinter.OutputFormat.PdfFormat``): the
same painting as on paper, and a file whose page size and barcode can be checked.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from returndesk.documents.printing import PrinterNotFound
from returndesk.domain.types import Channel, DocumentType, RefundMethod
from returndesk.services.usecases import counter, documents, intake
from returndesk.services.infra import printer_routing
from returndesk.store.schema import PrintLog
from returndesk.ui.dialogs.printer_settings import PrinterSettingsDialog
from returndesk.ui.printing import PrintService
from tests.integration.factories import make_order
from tests.integration.money_support import CONDITIONS, LineSpec, order_line_ids, take_return
from tests.unit.documents_support import decoded_texts, page_sizes

from .frame_support import context_of

DOCS = DocumentType
WAIT = 60_000  # ms: rendering a label at 600 dpi takes well under a second; this only catches a hang


class PdfPrinters:
    """A printer factory for ``qt:`` destinations: each printer writes ``<name>.pdf`` in a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.names: list[str] = []

    def __call__(self, name: str) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.folder / f"{name}.pdf"))
        self.names.append(name)
        return printer


def _log(ctx) -> list[tuple[str, str, int, str]]:
    with ctx.db.read() as s:
        return [tuple(row) for row in s.execute(
            select(PrintLog.doc_type, PrintLog.reference, PrintLog.copy_no, PrintLog.destination).order_by(PrintLog.id)
        ).all()]


def _authorized(world, sku: str = "EL-1002") -> str:
    return take_return(world, make_order(world, [(sku, 1)]), [LineSpec(sku, 1)])


def _service(frame_services, tasks, world, tmp_path, **kwargs) -> PrintService:
    return PrintService(frame_services.api_for(world.clerk), tasks, station="TEST-1",
                        printer_factory=kwargs.pop("printer_factory", PdfPrinters(tmp_path)), **kwargs)


def test_qt_printer_gets_the_exact_page_and_the_barcode_scans(qtbot, frame_services, world, tasks, tmp_path):
    ctx = context_of(frame_services)
    rma = _authorized(world)
    printer_routing.set_routing(ctx, world.clerk, "TEST-1", DOCS.RETURN_LABEL, "qt:Label printer")
    printers = PdfPrinters(tmp_path)
    service = _service(frame_services, tasks, world, tmp_path, printer_factory=printers)

    with qtbot.waitSignal(service.printed, timeout=WAIT) as printed:
        service.print_document(DOCS.RETURN_LABEL, rma, preview=False)

    assert printed.args == ["return_label", rma, 1]
    assert printers.names == ["Label printer"]
    paper = (tmp_path / "Label printer.pdf").read_bytes()
    assert [(round(w), round(h)) for w, h in page_sizes(paper)] == [(288, 432)]
    assert decoded_texts(paper) == [rma]
    # The PDF printer claims 1200 dpi; the page was rendered at 600 (4 x 6 in = 2400 x 3600 dots).
    [image] = pypdf.PdfReader(io.BytesIO(paper)).pages[0].images
    assert image.image.size == (2400, 3600)
    assert _log(ctx) == [("return_label", rma, 1, "qt:Label printer")]
    assert service.last_outcome.message == f"Return label {rma} sent to the printer 'Label printer'."


def test_qt_printer_keeps_a_landscape_tag_landscape(qtbot, frame_services, world, tasks, tmp_path):
    ctx = context_of(frame_services)
    order_no = make_order(world, [("EL-1002", 1)], channel="store", days_ago=2)
    ids = order_line_ids(world, order_no)
    draft = intake.ReturnDraft(order_no=order_no, channel=Channel.COUNTER, refund_method=RefundMethod.CASH,
                               lines=(intake.DraftLine(ids["EL-1002"], 1, "changed_mind", conditions_met=CONDITIONS),))
    rma = counter.counter_return(ctx, world.clerk, draft).detail.rma_no
    [tag] = documents.find_item_tags(ctx, world.clerk, rma)
    printer_routing.set_routing(ctx, world.clerk, "TEST-1", DOCS.ITEM_TAG, "qt:Tag printer")
    service = _service(frame_services, tasks, world, tmp_path)

    with qtbot.waitSignal(service.printed, timeout=WAIT):
        service.print_document(DOCS.ITEM_TAG, tag.reference, preview=False)

    paper = (tmp_path / "Tag printer.pdf").read_bytes()
    [(width, height)] = page_sizes(paper)
    # 62 x 29 mm = 175.7 x 82.2 pt; Qt writes whole points.
    assert (width, height) == pytest.approx((175.75, 82.2), abs=0.6)
    assert decoded_texts(paper, dpi=300) == ["EL-1002", rma]


def test_preview_prints_on_print_and_nothing_on_cancel(qtbot, frame_services, world, tasks, tmp_path):
    ctx = context_of(frame_services)
    rma = _authorized(world)
    printer_routing.save_station_printing(ctx, world.clerk, "TEST-1", preview=True,
                                          routing={DOCS.RETURN_LABEL: f"pdf:{tmp_path / 'labels'}"})
    service = _service(frame_services, tasks, world, tmp_path)

    with qtbot.waitSignal(service.preview_opened, timeout=WAIT) as opened:
        service.print_document(DOCS.RETURN_LABEL, rma)  # the station's setting: preview
    dialog = opened.args[0]
    assert dialog.isVisible() and dialog.pdf_document.pageCount() == 1
    assert "PDF files in" in dialog.destination_label.text() and _log(ctx) == []
    with qtbot.waitSignal(service.printed, timeout=WAIT):
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "labels" / f"return_label-{rma}.pdf").is_file()

    with qtbot.waitSignal(service.preview_opened, timeout=WAIT) as opened:
        service.print_document(DOCS.RETURN_LABEL, rma)
    assert "(reprint 1)" in opened.args[0].heading_label.text()
    with qtbot.waitSignal(service.declined, timeout=WAIT) as declined, qtbot.assertNotEmitted(service.printed):
        qtbot.mouseClick(opened.args[0].cancel_button, Qt.MouseButton.LeftButton)
    assert declined.args == ["return_label", rma]
    assert _log(ctx) == [("return_label", rma, 1, f"file:{tmp_path / 'labels' / f'return_label-{rma}.pdf'}")]

    # A Zebra route previews the PDF and says the printer draws it from ZPL (the scroll bars are
    # fixed: fitting the page with bars "as needed" made this very layout loop for ever).
    printer_routing.set_routing(ctx, world.clerk, "TEST-1", DOCS.RETURN_LABEL, "zpl-tcp:127.0.0.1:9")
    with qtbot.waitSignal(service.preview_opened, timeout=WAIT) as opened:
        service.print_document(DOCS.RETURN_LABEL, rma)
    zebra = opened.args[0]
    assert "Zebra printer at 127.0.0.1:9" in zebra.destination_label.text()
    assert "from ZPL" in zebra.destination_label.text()
    with qtbot.waitSignal(service.declined, timeout=WAIT):
        zebra.reject()


def test_missing_qt_printer_fails_with_its_name_and_logs_nothing(qtbot, frame_services, world, tasks, tmp_path):
    ctx = context_of(frame_services)
    rma = _authorized(world)
    printer_routing.set_routing(ctx, world.clerk, "TEST-1", DOCS.RETURN_LABEL, "qt:Gone printer")

    def gone(name: str) -> QPrinter:
        raise PrinterNotFound(f"There is no printer '{name}' on this computer (any more).")

    service = _service(frame_services, tasks, world, tmp_path, printer_factory=gone)
    with qtbot.waitSignal(service.failed, timeout=WAIT) as failed, qtbot.assertNotEmitted(service.printed):
        service.print_document(DOCS.RETURN_LABEL, rma, preview=False)
    assert "There is no printer 'Gone printer'" in failed.args[0]
    assert _log(ctx) == []


def test_no_printer_chosen_says_so(qtbot, frame_services, world, tasks, tmp_path):
    rma = _authorized(world)
    service = _service(frame_services, tasks, world, tmp_path)
    with qtbot.waitSignal(service.failed, timeout=WAIT) as failed:
        service.print_document(DOCS.RETURN_LABEL, rma, preview=False)
    assert "No printer is chosen for return labels at station TEST-1" in failed.args[0]


def test_cancelling_a_batch_stops_after_the_label_being_printed(qtbot, frame_services, world, tasks, tmp_path):
    ctx = context_of(frame_services)
    rmas = [_authorized(world) for _ in range(4)]
    folder = tmp_path / "labels"
    printer_routing.set_routing(ctx, world.clerk, "TEST-1", DOCS.RETURN_LABEL, f"pdf:{folder}")
    service = _service(frame_services, tasks, world, tmp_path)
    dialogs = []
    service.batch_started.connect(dialogs.append)
    printed = []
    service.printed.connect(lambda doc, ref, copy: printed.append(ref))

    def cancel_during_the_second(index: int, _reference: str) -> None:
        if index == 1:
            [cancel] = dialogs[0].findChildren(QPushButton)
            qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)

    service.batch_item_started.connect(cancel_during_the_second)
    with qtbot.waitSignal(service.batch_finished, timeout=WAIT) as finished:
        service.print_batch(DOCS.RETURN_LABEL, rmas)

    assert finished.args == [2, 4, True]
    assert printed == rmas[:2]
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"return_label-{r}.pdf" for r in rmas[:2])
    assert [(ref, copy) for _, ref, copy, _ in _log(ctx)] == [(rmas[0], 1), (rmas[1], 1)]
    assert not dialogs[0].isVisible()


def test_a_whole_batch_advances_the_progress_dialog(qtbot, frame_services, world, tasks, tmp_path):
    ctx = context_of(frame_services)
    rmas = [_authorized(world) for _ in range(3)]
    printer_routing.set_routing(ctx, world.clerk, "TEST-1", DOCS.RETURN_LABEL, f"pdf:{tmp_path}")
    service = _service(frame_services, tasks, world, tmp_path)
    values = []
    service.batch_item_started.connect(lambda index, ref: values.append(service._batch.dialog.value()))
    with qtbot.waitSignal(service.batch_finished, timeout=WAIT) as finished:
        dialog = service.print_batch(DOCS.RETURN_LABEL, rmas, lang="zh_CN")
    assert finished.args == [3, 3, False]
    assert values == [0, 1, 2] and dialog.labelText().endswith(rmas[2])
    assert len(_log(ctx)) == 3


# --------------------------------------------------------------------------- settings dialog


def _settings_dialog(qtbot, frame_services, tasks, actor, station="TEST-1") -> PrinterSettingsDialog:
    dialog = PrinterSettingsDialog(
        frame_services.api_for(actor), tasks, station, station_kind="counter",
        qt_printers=lambda: ["Front desk laser", "Brother QL-820NWB"],
        list_cups_queues=lambda: (["PDF", "Zebra-raw"], ""),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=WAIT)
    return dialog


def _choose(row, kind: str, target: str) -> None:
    row.kind_combo.setCurrentIndex(row.kind_combo.findData(kind))
    row.target_combo.setEditText(target)


def test_printer_settings_dialog_stores_the_routing_of_the_station(qtbot, frame_services, world, tasks, tmp_path):
    ctx = context_of(frame_services)
    printer_routing.set_routing(ctx, world.admin, "*", DOCS.CREDIT_NOTE, "cups:Office")
    dialog = _settings_dialog(qtbot, frame_services, tasks, world.clerk)
    rows = dialog.rows
    assert rows[DOCS.CREDIT_NOTE].destination() == "cups:Office"  # chosen for all stations
    assert rows[DOCS.COUNTER_RECEIPT].kind_combo.findData("zpl-tcp") == -1  # ZPL is for labels and tags
    rows[DOCS.RETURN_LABEL].kind_combo.setCurrentIndex(rows[DOCS.RETURN_LABEL].kind_combo.findData("qt"))
    assert [rows[DOCS.RETURN_LABEL].target_combo.itemText(i) for i in range(2)] == ["Front desk laser",
                                                                                     "Brother QL-820NWB"]

    _choose(rows[DOCS.RETURN_LABEL], "cups", "PDF")
    _choose(rows[DOCS.ITEM_TAG], "zpl-tcp", "10.0.0.9")
    _choose(rows[DOCS.COUNTER_RECEIPT], "pdf", str(tmp_path / "receipts"))
    dialog.preview_check.setChecked(True)
    dialog.label_size_combo.setCurrentIndex(dialog.label_size_combo.findData("100x150"))
    with qtbot.waitSignal(dialog.saved, timeout=WAIT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    printing = printer_routing.get_station_printing(ctx, "TEST-1")
    assert printing.own_routing == {
        DOCS.RETURN_LABEL: "cups:PDF",
        DOCS.ITEM_TAG: "zpl-tcp:10.0.0.9:9100",
        DOCS.COUNTER_RECEIPT: f"pdf:{tmp_path / 'receipts'}",
    }
    assert printing.routing[DOCS.CREDIT_NOTE] == "cups:Office"
    assert (printing.preview, printing.label_size, printing.receipt_width) == (True, "100x150", 80)
    assert dialog.result() == dialog.DialogCode.Accepted

    again = _settings_dialog(qtbot, frame_services, tasks, world.clerk)
    assert again.rows[DOCS.ITEM_TAG].destination() == "zpl-tcp:10.0.0.9:9100"
    assert again.preview_check.isChecked()


def test_printer_settings_dialog_shows_why_a_choice_is_refused(qtbot, frame_services, world, tasks):
    ctx = context_of(frame_services)
    dialog = _settings_dialog(qtbot, frame_services, tasks, world.clerk)
    _choose(dialog.rows[DOCS.COUNTER_RECEIPT], "pdf", "receipts")
    with qtbot.waitSignal(dialog.save_failed, timeout=WAIT) as refused:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "is not a full folder path" in refused.args[0]
    assert dialog.message_label.isVisible() and dialog.isVisible()

    other = _settings_dialog(qtbot, frame_services, tasks, world.clerk, station="COUNTER-9")
    _choose(other.rows[DOCS.RETURN_LABEL], "cups", "PDF")
    with qtbot.waitSignal(other.save_failed, timeout=WAIT) as refused:
        qtbot.mouseClick(other.save_button, Qt.MouseButton.LeftButton)
    assert "station they are signed in at (TEST-1) only" in refused.args[0]
    assert printer_routing.get_routing(ctx, "TEST-1") == {} == printer_routing.get_routing(ctx, "COUNTER-9")
