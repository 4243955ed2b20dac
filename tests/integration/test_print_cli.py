"""``returndesk print``: documents of a return to PDF files or a station's printers, from the
command line, counted in the print log like any other print; ``returndesk station``: printers and
company profile of a station.

The command line only parses and calls the services, which test_document_services runs on both
databases; here SQLite is enough.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from returndesk import cli
from returndesk.domain.scan import COMMANDS
from returndesk.domain.types import DocumentType
from returndesk.services.usecases import documents, refunds
from returndesk.services.infra import printer_routing
from returndesk.services.usecases.company_profile import get_company_profile, shipped_profile
from returndesk.services.infra.maintenance import command_line_station
from returndesk.store.schema import PrintLog

from ..unit.documents_support import decoded_texts, page_sizes, pdf_text
from .factories import build_world
from .money_support import LineSpec, approved

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def refunded(ctx):
    """A remote return of two chargers, refunded: (world, RMA, credit note number)."""
    world = build_world(ctx)
    rma = approved(world, [LineSpec("EL-1002", 2)])
    result = refunds.issue_refund(ctx, world.finance, rma)
    return world, rma, result.credit_note_no


def _print(ctx, *args: str) -> int:
    return cli.main(["print", *args, "--url", ctx.db.url])


@sqlite_only
def test_label_receipt_tags_and_credit_note_to_files(ctx, refunded, tmp_path, capsys):
    world, rma, note = refunded

    assert _print(ctx, "label", rma, "--out", str(tmp_path / "label.pdf"), "--size", "100x150") == 0
    assert capsys.readouterr().out.strip() == f"Return label {rma} saved as {tmp_path / 'label.pdf'}."
    label = (tmp_path / "label.pdf").read_bytes()
    assert decoded_texts(label) == [rma]
    assert [(round(w), round(h)) for w, h in page_sizes(label)] == [(283, 425)]

    assert _print(ctx, "receipt", rma.lower(), "--out", str(tmp_path / "receipt.pdf"), "--lang", "zh_CN",
                  "--width", "58") == 0
    receipt = pdf_text((tmp_path / "receipt.pdf").read_bytes())
    assert "65W 充电器" in receipt and "退款总额 ¥298.00" in receipt

    assert _print(ctx, "tag", rma, "--out", str(tmp_path / "tag.pdf")) == 0
    out = capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.glob("tag-unit*.pdf")) == ["tag-unit01.pdf", "tag-unit02.pdf"]
    assert out.count("Item tag") == 2
    assert "Unit 2/2" in pdf_text((tmp_path / "tag-unit02.pdf").read_bytes())
    assert _print(ctx, "tag", rma, "--unit", "1", "--out", str(tmp_path / "one.pdf")) == 0
    assert "REPRINT 1" in pdf_text((tmp_path / "one.pdf").read_bytes())

    assert _print(ctx, "credit-note", note, "--out", str(tmp_path / "note.pdf")) == 0
    assert note in pdf_text((tmp_path / "note.pdf").read_bytes())

    with ctx.db.read() as s:
        logged = s.execute(select(PrintLog.doc_type, PrintLog.copy_no, PrintLog.station, PrintLog.printed_by)
                           .order_by(PrintLog.id)).all()
    station = command_line_station()
    assert logged == [
        ("return_label", 1, station, None), ("counter_receipt", 1, station, None),
        ("item_tag", 1, station, None), ("item_tag", 1, station, None), ("item_tag", 2, station, None),
        ("credit_note", 1, station, None),
    ]


@sqlite_only
def test_command_sheet_and_station_routing(ctx, refunded, tmp_path, capsys):
    world, rma, _ = refunded
    assert _print(ctx, "command-sheet", "--out", str(tmp_path / "commands.pdf"), "--lang", "zh_CN") == 0
    sheet = (tmp_path / "commands.pdf").read_bytes()
    assert "检验台指令条码" in pdf_text(sheet)
    pages = page_sizes(sheet)
    assert {(round(w), round(h)) for w, h in pages} == {(595, 842)}
    decoded = [text for page in range(len(pages)) for text in decoded_texts(sheet, page)]
    assert sorted(decoded) == sorted(COMMANDS.values())

    folder = tmp_path / "dock"
    printer_routing.set_routing(ctx, world.admin, "DOCK-1", DocumentType.RETURN_LABEL, f"pdf:{folder}")
    assert _print(ctx, "label", rma, "--station", "DOCK-1") == 0
    assert (folder / f"return_label-{rma}.pdf").is_file()
    capsys.readouterr()

    assert _print(ctx, "command-sheet") == 1
    assert "Give --out FILE.pdf" in capsys.readouterr().err
    assert _print(ctx, "label", rma) == 1
    assert f"No printer is chosen for return labels at station {command_line_station()}" in capsys.readouterr().err
    assert _print(ctx, "tag", rma, "--unit", "3", "--out", str(tmp_path / "x.pdf")) == 1
    assert "has 2 inspected units; there is no unit 3" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        _print(ctx, "label", rma, "--printer", "PDF", "--out", str(tmp_path / "x.pdf"))
    assert usage.value.code == 2 and "not allowed with argument" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
    entries = documents.find_prints(ctx, world.admin, DocumentType.COMMAND_SHEET, "")
    assert [e.copy_no for e in entries] == [1]


def test_print_help_names_every_document(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["print", "--help"])
    text = capsys.readouterr().out
    assert done.value.code == 0
    for word in ("label", "receipt", "tag", "credit-note", "command-sheet"):
        assert word in text


@sqlite_only
def test_station_printers_and_company_profile_from_the_command_line(ctx, tmp_path, capsys):
    def station(*args: str) -> int:
        return cli.main(["station", *args, "--url", ctx.db.url])

    assert station("printers", "*", "--set", "credit-note=cups:Office", "--set", "label=zpl-tcp:10.1.2.40") == 0
    assert station("printers", "COUNTER-1", "--set", f"receipt=pdf:{tmp_path}", "--preview", "on",
                   "--receipt-width", "58") == 0
    out = capsys.readouterr().out
    assert "label          zpl-tcp:10.1.2.40:9100  (set for all stations)" in out
    assert "preview before printing: on; label size 4x6; receipt roll 58 mm" in out
    printing = printer_routing.get_station_printing(ctx, "COUNTER-1")
    assert printing.own_routing == {DocumentType.COUNTER_RECEIPT: f"pdf:{tmp_path}"}
    assert printing.routing[DocumentType.CREDIT_NOTE] == "cups:Office"

    assert station("printers", "COUNTER-1", "--set", "receipt=zpl:Zebra") == 1
    assert "Counter receipts cannot be printed as ZPL" in capsys.readouterr().err
    assert station("printers", "COUNTER-1", "--clear", "receipt") == 0
    assert printer_routing.get_station_printing(ctx, "COUNTER-1").own_routing == {}

    overrides = tmp_path / "store.json"
    overrides.write_text(json.dumps({"_comment": "Bund store", "store_name": {"en": "Bund store", "zh_CN": "外滩店"}}),
                         "utf-8")
    assert station("company", "COUNTER-1", "--file", str(overrides)) == 0
    out = capsys.readouterr().out
    assert "As printed (zh_CN): 瑞德零售有限公司 | store 外滩店" in out
    assert get_company_profile(ctx, "COUNTER-1", "en").store_name == "Bund store"
    overrides.write_text(json.dumps({"fax": "1"}), "utf-8")
    assert station("company", "COUNTER-1", "--file", str(overrides)) == 1
    assert "'fax' is not part of the company profile" in capsys.readouterr().err
    assert station("company", "COUNTER-1", "--clear", "store_name") == 0
    assert get_company_profile(ctx, "COUNTER-1", "en").store_name == shipped_profile()["store_name"]["en"]
