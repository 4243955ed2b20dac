"""Printed documents built from the database: what they show, reprint marks and the print log,
printer routing per station, and the company profile.

Every document is checked on paper: the text pypdf extracts, and the barcodes pdfium renders at a
thermal printer's 203 dpi decoded with zxing-cpp.
"""

from __future__ import annotations

import socket
import threading

import pytest
from sqlalchemy import func, select

from returndesk.documents.printing import PrinterNotFound
from returndesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from returndesk.domain.scan import format_rma
from returndesk.domain.types import Channel, DocumentType, Grade, RefundMethod
from returndesk.services.usecases import counter, documents, intake, refunds
from returndesk.services.infra import printer_routing
from returndesk.services.usecases.company_profile import get_company_profile, set_company_profile, shipped_profile
from returndesk.services.infra.station_settings import ALL_STATIONS
from returndesk.store.schema import AuditEvent, CreditNote, PrintLog, Station

from ..unit.documents_support import decoded_texts, fonts, page_sizes, pdf_text
from .factories import build_world, make_order
from .money_support import CONDITIONS, LineSpec, approved, order_line_ids, take_return

DOCS = DocumentType


def _counter_refund(world, lines=(("AP-2001", 2, 1),), grade=Grade.A, method=RefundMethod.CASH):
    """A walk-in return refunded on the spot (standard policy, within the clerk's limit)."""
    order_no = make_order(world, list(lines), channel="store", days_ago=2)
    ids = order_line_ids(world, order_no)
    draft = intake.ReturnDraft(
        order_no=order_no, channel=Channel.COUNTER, refund_method=method,
        lines=tuple(intake.DraftLine(order_line_id=ids[sku], quantity=qty, reason_code="changed_mind",
                                     conditions_met=CONDITIONS) for sku, qty, *_ in lines),
    )
    result = counter.counter_return(world.ctx, world.clerk, draft, grade=grade)
    assert result.refunded, result.message
    return result


def _log(ctx, doc_type, reference):
    with ctx.db.read() as s:
        return [
            (row.copy_no, row.station, row.destination)
            for row in s.execute(
                select(PrintLog).where(PrintLog.doc_type == doc_type.value, PrintLog.reference == reference)
                .order_by(PrintLog.id)
            ).scalars()
        ]


# --------------------------------------------------------------------------- return label


def test_return_label_shows_the_return_and_the_warehouse_and_scans(ctx):
    world = build_world(ctx)
    rma = take_return(world, make_order(world, [("EL-1002", 2), ("AP-2001", 1)]),
                      [LineSpec("EL-1002", 2), LineSpec("AP-2001", 1)])

    english = documents.render_document(ctx, world.clerk, DOCS.RETURN_LABEL, rma)
    chinese = documents.render_document(ctx, world.clerk, DOCS.RETURN_LABEL, rma.lower(), lang="zh_CN",
                                        size="100x150")

    text = pdf_text(english.pdf)
    assert rma in text and "Li Wei" in text and "Items: 3" in text and "REPRINT" not in text
    for line in shipped_profile()["return_to"]["en"]:
        assert line in text
    assert "退回至" in pdf_text(chinese.pdf) and "瑞德零售退货处理中心" in pdf_text(chinese.pdf)
    assert decoded_texts(english.pdf) == [rma] == decoded_texts(chinese.pdf)
    assert [(round(w), round(h)) for w, h in page_sizes(english.pdf)] == [(288, 432)]
    assert (english.page_size, english.media) == ((288.0, 432.0), "Custom.4x6in")
    assert chinese.media == "Custom.100x150mm" and chinese.reference == rma
    assert all(fonts(chinese.pdf).values())
    assert (english.copy_no, english.title) == (1, f"Return label {rma}")


def test_no_label_before_authorization_nor_after_cancellation(ctx):
    world = build_world(ctx)
    order_no = make_order(world, [("EL-1002", 1)])
    ids = order_line_ids(world, order_no)
    draft = intake.ReturnDraft(order_no=order_no, channel=Channel.REMOTE, refund_method=RefundMethod.ORIGINAL_PAYMENT,
                               lines=(intake.DraftLine(ids["EL-1002"], 1, "changed_mind", conditions_met=CONDITIONS),))
    rma = intake.create_return(ctx, world.clerk, draft).rma_no
    with pytest.raises(ValidationFailed, match=f"{rma} is not authorized yet: authorize it"):
        documents.render_document(ctx, world.clerk, DOCS.RETURN_LABEL, rma)
    intake.cancel_return(ctx, world.clerk, rma, reason="customer changed plans")
    with pytest.raises(ValidationFailed, match=f"{rma} was cancelled"):
        documents.print_document(ctx, world.clerk, DOCS.RETURN_LABEL, rma, out="/tmp/never.pdf")
    unknown = format_rma(999_999)
    with pytest.raises(NotFound, match=f"No return {unknown} exists"):
        documents.render_document(ctx, world.clerk, DOCS.RETURN_LABEL, unknown)
    assert _log(ctx, DOCS.RETURN_LABEL, rma) == []


# --------------------------------------------------------------------------- receipt


def test_counter_receipt_has_lines_amounts_method_and_the_policy_text(ctx):
    world = build_world(ctx)
    detail = _counter_refund(world).detail  # 157.99 for two shirts: 79.00 and 78.99
    rma = detail.rma_no

    english = documents.render_document(ctx, world.clerk, DOCS.COUNTER_RECEIPT, rma)
    text = pdf_text(english.pdf)
    assert f"RMA {rma}" in text and f"Order {detail.order_no}" in text and "Customer Li Wei" in text
    assert "AP-2001  1 × ¥79.00 ¥79.00" in text and "AP-2001  1 × ¥78.99 ¥78.99" in text
    assert "TOTAL REFUND ¥157.99" in text and "Refunded by Cash" in text
    assert "Items may be returned within 30 days" in text  # the policy version the return was judged by
    assert "ReturnDesk Retail, Nanjing Road" in text and "Clerk Clerk" in text
    assert decoded_texts(english.pdf) == [rma]
    assert english.page_size[0] == pytest.approx(80 * 72 / 25.4)

    narrow = documents.render_document(ctx, world.clerk, DOCS.COUNTER_RECEIPT, rma, lang="zh_CN", width_mm=58)
    chinese = pdf_text(narrow.pdf)
    assert "纯棉T恤" in chinese and "退款总额 ¥157.99" in chinese and "退款方式 现金" in chinese
    assert "商品自签收之日起30天内" in chinese and "瑞德零售 南京西路店" in chinese
    assert narrow.page_size[0] == pytest.approx(58 * 72 / 25.4) and decoded_texts(narrow.pdf) == [rma]


def test_receipt_shows_deductions_of_opened_goods(ctx):
    world = build_world(ctx)
    rma = _counter_refund(world, [("HM-4001", 3)], grade=Grade.B, method=RefundMethod.STORE_CREDIT).detail.rma_no
    text = pdf_text(documents.render_document(ctx, world.clerk, DOCS.COUNTER_RECEIPT, rma).pdf)
    assert "3 × ¥49.00 ¥147.00" in text
    assert "Deductions -¥14.70" in text or "-¥14.70" in text
    assert "TOTAL REFUND ¥132.30" in text and "Refunded by Store credit" in text


def test_no_receipt_while_the_refund_waits_for_approval(ctx):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("EL-1002", 1)])
    refunds_pending = documents.render_document(ctx, world.clerk, DOCS.COUNTER_RECEIPT, rma)  # approved: final
    assert "TOTAL REFUND ¥149.00" in pdf_text(refunds_pending.pdf)
    waiting = take_return(world, make_order(world, [("AP-2001", 1)]), [LineSpec("AP-2001", 1)])
    with pytest.raises(ValidationFailed, match=f"{waiting} is authorized: its refund is not decided"):
        documents.render_document(ctx, world.clerk, DOCS.COUNTER_RECEIPT, waiting)


# --------------------------------------------------------------------------- credit note


def test_credit_note_lines_tax_and_shipping_match_what_finance_booked(ctx):
    world = build_world(ctx)
    rma = approved(world, [LineSpec("EL-1002", 2, reason="defective")], shipping_minor=1500)
    result = refunds.issue_refund(ctx, world.finance, rma)
    number = result.credit_note_no
    with ctx.db.read() as s:
        note = s.execute(select(CreditNote).where(CreditNote.number == number)).scalar_one()
        net, tax, total = note.net_minor, note.tax_minor, note.total_minor
    assert total == 29800 + 1500

    by_rma = documents.render_document(ctx, world.finance, DOCS.CREDIT_NOTE, rma)
    by_number = documents.render_document(ctx, world.finance, DOCS.CREDIT_NOTE, number.lower(), lang="zh_CN")
    assert by_rma.reference == by_number.reference == number
    text = pdf_text(by_rma.pdf)
    assert number in text and rma in text and "USB-C charger 65W" in text and "Shipping refund" in text
    assert f"¥{net / 100:,.2f}" in text and f"¥{tax / 100:,.2f}" in text and "¥313.00" in text
    assert "91310000MA1K000000" in text and "Original payment" in text
    assert "65W 充电器" in pdf_text(by_number.pdf) and "运费退还" in pdf_text(by_number.pdf)
    assert decoded_texts(by_rma.pdf, dpi=150) == [rma]
    assert [(round(w), round(h)) for w, h in page_sizes(by_rma.pdf)] == [(595, 842)]

    with pytest.raises(PermissionDenied):
        documents.render_document(ctx, world.inspector, DOCS.CREDIT_NOTE, rma)
    other = take_return(world, make_order(world, [("AP-2001", 1)]), [LineSpec("AP-2001", 1)])
    with pytest.raises(NotFound, match=f"Return {other} has no credit note"):
        documents.render_document(ctx, world.finance, DOCS.CREDIT_NOTE, other)
    with pytest.raises(NotFound, match="There is no credit note CN-2026-999999"):
        documents.render_document(ctx, world.finance, DOCS.CREDIT_NOTE, "CN-2026-999999")


# --------------------------------------------------------------------------- item tags


def test_item_tags_are_numbered_per_unit_and_scan_to_rma_and_sku(ctx, tmp_path):
    world = build_world(ctx)
    rma = _counter_refund(world).detail.rma_no
    tags = documents.find_item_tags(ctx, world.inspector, rma)
    assert [(t.number, t.sku, t.disposition) for t in tags] == [(1, "AP-2001", "restock"), (2, "AP-2001", "restock")]
    assert documents.unit_id_of(ctx, world.inspector, rma, 2) == tags[1].unit_id

    outcome = documents.print_document(ctx, world.inspector, DOCS.ITEM_TAG, tags[1].reference,
                                       out=tmp_path / "tag.pdf", lang="zh_CN")
    text = pdf_text((tmp_path / "tag.pdf").read_bytes())
    assert "纯棉T恤" in text and "第 2/2 件" in text and "重新上架" in text
    assert decoded_texts(outcome.document.pdf) == ["AP-2001", rma]
    assert outcome.document.media == "Custom.62x29mm"
    with pytest.raises(NotFound, match="has 2 inspected units; there is no unit 3"):
        documents.unit_id_of(ctx, world.inspector, rma, 3)
    with pytest.raises(ValidationFailed, match="does not name an item tag"):
        documents.render_document(ctx, world.inspector, DOCS.ITEM_TAG, rma)


# --------------------------------------------------------------------------- reprints and the log


def test_reprints_are_marked_on_paper_and_counted_in_the_print_log(ctx, tmp_path):
    world = build_world(ctx)
    rma = take_return(world, make_order(world, [("EL-1002", 1)]), [LineSpec("EL-1002", 1)])

    outcomes = [
        documents.print_document(ctx, world.clerk, DOCS.RETURN_LABEL, rma, out=tmp_path / f"label{i}.pdf")
        for i in (1, 2, 3)
    ]

    assert [o.document.copy_no for o in outcomes] == [1, 2, 3]
    texts = [pdf_text((tmp_path / f"label{i}.pdf").read_bytes()) for i in (1, 2, 3)]
    assert "REPRINT" not in texts[0] and "REPRINT 1" in texts[1] and "REPRINT 2" in texts[2]
    assert all(decoded_texts((tmp_path / f"label{i}.pdf").read_bytes()) == [rma] for i in (1, 2, 3))
    assert _log(ctx, DOCS.RETURN_LABEL, rma) == [
        (n, "TEST-1", f"file:{tmp_path / f'label{n}.pdf'}") for n in (1, 2, 3)
    ]
    entries = documents.find_prints(ctx, world.clerk, DOCS.RETURN_LABEL, rma)
    assert [(e.copy_no, e.printed_by) for e in entries] == [(1, "clerk"), (2, "clerk"), (3, "clerk")]
    with ctx.db.read() as s:
        actions = s.execute(
            select(AuditEvent.action).where(AuditEvent.entity == "print_log").order_by(AuditEvent.seq)
        ).scalars().all()
    assert actions == ["print", "reprint", "reprint"]
    # Another document of the same return keeps its own count.
    other = documents.render_document(ctx, world.clerk, DOCS.RETURN_LABEL, rma, reprint=0)
    assert other.copy_no == 1 and "REPRINT" not in pdf_text(other.pdf)


def test_a_failed_print_is_not_logged(ctx):
    world = build_world(ctx)
    rma = take_return(world, make_order(world, [("EL-1002", 1)]), [LineSpec("EL-1002", 1)])
    with pytest.raises(PrinterNotFound, match="No-Such-Queue"):
        documents.print_document(ctx, world.clerk, DOCS.RETURN_LABEL, rma, printer="No-Such-Queue")
    assert _log(ctx, DOCS.RETURN_LABEL, rma) == []
    # Still the original: nothing came out of a printer.
    assert documents.render_document(ctx, world.clerk, DOCS.RETURN_LABEL, rma).copy_no == 1


def test_labels_go_to_a_zebra_printer_on_the_network_as_zpl(ctx):
    world = build_world(ctx)
    rma = take_return(world, make_order(world, [("EL-1002", 1)]), [LineSpec("EL-1002", 1)])
    server = socket.create_server(("127.0.0.1", 0))
    received = bytearray()

    def accept_one() -> None:
        connection, _ = server.accept()
        with connection:
            while chunk := connection.recv(65536):
                received.extend(chunk)

    thread = threading.Thread(target=accept_one)
    thread.start()
    try:
        port = server.getsockname()[1]
        printer_routing.set_routing(ctx, world.clerk, "TEST-1", DOCS.RETURN_LABEL, f"zpl-tcp:127.0.0.1:{port}")
        outcome = documents.print_document(ctx, world.clerk, DOCS.RETURN_LABEL, rma)
    finally:
        thread.join(10)
        server.close()
    zpl = received.decode("utf-8")
    assert zpl.startswith("^XA") and f">:{rma}" in zpl and zpl.rstrip().endswith("^XZ")
    assert outcome.document.zpl == zpl and outcome.job_id is None
    assert _log(ctx, DOCS.RETURN_LABEL, rma) == [(1, "TEST-1", f"zpl-tcp:127.0.0.1:{port}")]


# --------------------------------------------------------------------------- routing


@pytest.mark.both_databases("a station row is created in a savepoint under a row lock")
def test_routing_is_remembered_per_station_over_the_all_stations_default(ctx, tmp_path):
    world = build_world(ctx)
    assert printer_routing.get_routing(ctx, "TEST-1") == {}
    printer_routing.set_routing(ctx, world.admin, ALL_STATIONS, DOCS.CREDIT_NOTE, "cups:Office")
    printer_routing.set_routing(ctx, world.admin, ALL_STATIONS, DOCS.RETURN_LABEL, "cups:Zebra")
    routing = printer_routing.set_routing(ctx, world.clerk, "TEST-1", "return_label", f"pdf:{tmp_path}")
    assert routing == {DOCS.RETURN_LABEL: f"pdf:{tmp_path}", DOCS.CREDIT_NOTE: "cups:Office"}
    assert printer_routing.get_routing(ctx, "COUNTER-9") == {
        DOCS.RETURN_LABEL: "cups:Zebra", DOCS.CREDIT_NOTE: "cups:Office"}
    with ctx.db.read() as s:
        rows = {r.code: (r.kind, r.name) for r in s.execute(select(Station)).scalars()}
        events = s.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.entity == "station")
        ).scalar_one()
    assert rows == {"*": ("defaults", "All stations"), "TEST-1": ("station", "TEST-1")}
    assert events == 3

    # The station's own choice removed: the default for all stations applies again.
    assert printer_routing.set_routing(ctx, world.clerk, "TEST-1", DOCS.RETURN_LABEL, None)[DOCS.RETURN_LABEL] \
        == "cups:Zebra"
    settings = printer_routing.save_station_printing(
        ctx, world.clerk, "TEST-1", routing={DOCS.ITEM_TAG: "zpl:Zebra-raw"}, preview=True, label_size="100x150",
        receipt_width=58, zpl_dpi=300)
    assert (settings.preview, settings.label_size, settings.receipt_width, settings.zpl_dpi) == (
        True,
        "100x150",
        58,
        300,
    )
    assert settings.own_routing == {DOCS.ITEM_TAG: "zpl:Zebra-raw"}
    assert printer_routing.get_station_printing(ctx, "COUNTER-9").preview is False


WRONG_DESTINATIONS = [
    ("Zebra", DOCS.RETURN_LABEL, "does not say how to print"),
    ("cups:", DOCS.RETURN_LABEL, "is not a CUPS printer name"),
    ("cups:Office Printer", DOCS.RETURN_LABEL, "is not a CUPS printer name"),
    ("pdf:labels", DOCS.RETURN_LABEL, "is not a full folder path"),
    ("zpl:Zebra", DOCS.COUNTER_RECEIPT, "Counter receipts cannot be printed as ZPL"),
    ("zpl-tcp:10.0.0.5:99999", DOCS.ITEM_TAG, "is not a port number"),
    ("zpl-tcp::9100", DOCS.ITEM_TAG, "does not name a printer on the network"),
]


def test_wrong_destinations_are_refused_with_the_reason(ctx):
    world = build_world(ctx)
    for destination, doc_type, message in WRONG_DESTINATIONS:
        with pytest.raises(ValidationFailed, match=message):
            printer_routing.set_routing(ctx, world.clerk, "TEST-1", doc_type, destination)
    with pytest.raises(ValidationFailed) as refused:
        printer_routing.save_station_printing(ctx, world.clerk, "TEST-1", routing={
            DOCS.RETURN_LABEL: "cups:Zebra", DOCS.COUNTER_RECEIPT: "zpl:Zebra"})
    assert refused.value.problems == [
        "Counter receipts cannot be printed as ZPL; only return labels and item tags can."
        " Choose a CUPS printer, a system printer or a PDF folder for them."]
    assert printer_routing.get_routing(ctx, "TEST-1") == {}  # nothing of a refused change is kept


def test_destinations_parse_to_their_stored_form():
    parse = printer_routing.parse_destination
    assert str(parse("zpl-tcp:zebra-dock1.local")) == "zpl-tcp:zebra-dock1.local:9100"
    assert str(parse("ZPL-TCP:[fe80::1]:6101")) == "zpl-tcp:[fe80::1]:6101"
    assert str(parse("qt:HP LaserJet (Office 2)")) == "qt:HP LaserJet (Office 2)"
    assert str(printer_routing.printer_destination("PDF")) == "cups:PDF"
    assert str(printer_routing.printer_destination("pdf:/srv/labels")) == "pdf:/srv/labels"


def test_only_an_administrator_sets_other_stations_printers(ctx):
    world = build_world(ctx)
    with pytest.raises(PermissionDenied, match="station they are signed in at \\(TEST-1\\) only"):
        printer_routing.set_routing(ctx, world.clerk, "COUNTER-9", DOCS.RETURN_LABEL, "cups:Zebra")
    with pytest.raises(PermissionDenied):
        printer_routing.set_routing(ctx, world.clerk, ALL_STATIONS, DOCS.RETURN_LABEL, "cups:Zebra")
    printer_routing.set_routing(ctx, world.admin, "COUNTER-9", DOCS.RETURN_LABEL, "cups:Zebra")
    assert printer_routing.get_routing(ctx, "COUNTER-9") == {DOCS.RETURN_LABEL: "cups:Zebra"}


def test_printing_follows_the_station_routing_into_a_pdf_folder(ctx, tmp_path):
    world = build_world(ctx)
    rma = take_return(world, make_order(world, [("EL-1002", 1)]), [LineSpec("EL-1002", 1)])
    with pytest.raises(ValidationFailed, match="No printer is chosen for return labels at station TEST-1"):
        documents.print_document(ctx, world.clerk, DOCS.RETURN_LABEL, rma)
    folder = tmp_path / "labels" / "today"
    printer_routing.save_station_printing(ctx, world.clerk, "TEST-1", routing={DOCS.RETURN_LABEL: f"pdf:{folder}"},
                                          label_size="100x150")

    first = documents.print_document(ctx, world.clerk, DOCS.RETURN_LABEL, rma)
    second = documents.print_document(ctx, world.clerk, DOCS.RETURN_LABEL, rma)

    assert first.path == folder / f"return_label-{rma}.pdf"
    assert second.path == folder / f"return_label-{rma}-reprint1.pdf"
    assert [(round(w), round(h)) for w, h in page_sizes(first.path.read_bytes())] == [(283, 425)]
    assert "REPRINT 1" in pdf_text(second.path.read_bytes())
    assert first.message == f"Return label {rma} saved as {first.path}."
    printer_routing.set_routing(ctx, world.clerk, "TEST-1", DOCS.RETURN_LABEL, "qt:Office")
    with pytest.raises(ValidationFailed, match="is a printer of the desktop application"):
        documents.print_document(ctx, world.clerk, DOCS.RETURN_LABEL, rma)
    assert len(_log(ctx, DOCS.RETURN_LABEL, rma)) == 2


# --------------------------------------------------------------------------- company profile


def test_company_profile_overrides_per_station_and_for_all(ctx):
    world = build_world(ctx)
    detail = _counter_refund(world).detail
    set_company_profile(ctx, world.admin, ALL_STATIONS, {
        "company_name": {"en": "Harbor Lane Outfitters", "zh_CN": "海港户外用品"},
        "return_to": ["Harbor Lane Returns", "Dock 4, 1 Port Road", "Ningbo 315000"],
    })
    set_company_profile(
        ctx, world.admin, "TEST-1", {"store_name": {"en": "Harbor Lane, Bund store", "zh_CN": "外滩店"}}
    )

    profile = get_company_profile(ctx, "TEST-1", "zh_CN")
    assert (profile.company_name, profile.store_name) == ("海港户外用品", "外滩店")
    assert profile.return_to == ("Harbor Lane Returns", "Dock 4, 1 Port Road", "Ningbo 315000")
    assert get_company_profile(ctx, "OTHER", "en").store_name == shipped_profile()["store_name"]["en"]

    receipt = pdf_text(documents.render_document(ctx, world.clerk, DOCS.COUNTER_RECEIPT, detail.rma_no).pdf)
    assert "Harbor Lane, Bund store" in receipt
    set_company_profile(ctx, world.admin, "TEST-1", {"store_name": None})
    assert get_company_profile(ctx, "TEST-1").store_name == shipped_profile()["store_name"]["en"]

    with pytest.raises(PermissionDenied):
        set_company_profile(ctx, world.clerk, "TEST-1", {"store_name": "Mine"})
    with pytest.raises(ValidationFailed, match="'fax' is not part of the company profile"):
        set_company_profile(ctx, world.admin, "TEST-1", {"fax": "123"})
    with pytest.raises(ValidationFailed, match="return-to address cannot be empty"):
        set_company_profile(ctx, world.admin, "TEST-1", {"return_to": []})
