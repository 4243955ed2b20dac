"""``returndesk print label RMA --out FILE`` through the database driver alone
(:mod:`returndesk.services.usecases.label_file`): the same label, byte for byte, as the services
render, counted in the same print log with its audit event chained, on both databases; and a
process that prints one without importing SQLAlchemy (a list of modules, not a time).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import select

from returndesk import cli
from returndesk.domain.errors import NotFound, ValidationFailed
from returndesk.domain.scan import format_rma
from returndesk.domain.types import DocumentType
from returndesk.services.infra import printer_routing
from returndesk.services.infra.maintenance import command_line_station
from returndesk.services.tx import audit
from returndesk.services.usecases import documents
from returndesk.services.usecases.company_profile import set_company_profile
from returndesk.services.usecases.label_file import print_label_file
from returndesk.services.usecases.sites import set_station_time_zone
from returndesk.store.schema import AuditEvent, PrintLog, Return

from ..unit.documents_support import decoded_texts, page_sizes, pdf_text
from .factories import build_world
from .money_support import LineSpec, approved

pytestmark = pytest.mark.both_databases("the driver's own SQL, parameters and instants on each database")


@pytest.fixture
def label_world(ctx):
    """An approved return of two chargers taken at a station of a far site with its own company
    name, and a command line whose station prints 100x150 mm labels: (world, RMA)."""
    world = build_world(ctx)
    rma = approved(world, [LineSpec("EL-1002", 2)])
    set_station_time_zone(ctx, None, ctx.station, "Pacific/Auckland", site="NZ1")
    set_company_profile(ctx, None, ctx.station, {"company_name": {"en": "Kiwi Returns", "zh_CN": "奇异果退货"}})
    set_company_profile(ctx, None, "*", {"return_to": ["Returns dept.", "1 Harbour Rd", "Auckland"]})
    printer_routing.save_station_printing(ctx, None, command_line_station(), label_size="100x150")
    return world, rma


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_label_is_the_one_the_services_render_and_each_copy_is_logged_and_audited(ctx, label_world, tmp_path,
                                                                                      lang):
    _, rma = label_world
    station = command_line_station()
    for copy_no in (1, 2):
        out = tmp_path / f"label-{copy_no}.pdf"
        said = print_label_file(ctx.db.url, rma.lower(), out, station=station, lang=lang)
        reprint = f" (reprint {copy_no - 1})" if copy_no > 1 else ""
        assert said == f"Return label {rma}{reprint} saved as {out}."
        expected = documents.render_document(ctx, None, DocumentType.RETURN_LABEL, rma, lang=lang, size="100x150",
                                             reprint=copy_no - 1, station=station)
        assert out.read_bytes() == expected.pdf

    label = (tmp_path / "label-2.pdf").read_bytes()
    assert decoded_texts(label) == [rma]
    assert [(round(w), round(h)) for w, h in page_sizes(label)] == [(283, 425)]
    text = pdf_text(label)
    assert ("Kiwi Returns" if lang == "en" else "奇异果退货") in text and "1 Harbour Rd" in text
    assert ("REPRINT 1" if lang == "en" else "重印 1") in text

    with ctx.db.read() as s:
        logged = s.execute(select(PrintLog.id, PrintLog.doc_type, PrintLog.reference, PrintLog.copy_no,
                                  PrintLog.station, PrintLog.printed_by, PrintLog.destination)
                           .order_by(PrintLog.id)).all()
        events = s.execute(select(AuditEvent.entity, AuditEvent.entity_id, AuditEvent.action, AuditEvent.station,
                                  AuditEvent.after_json)
                           .where(AuditEvent.entity == "print_log").order_by(AuditEvent.seq)).all()
    assert [row[1:] for row in logged] == [
        ("return_label", rma, 1, station, None, f"file:{tmp_path / 'label-1.pdf'}"),
        ("return_label", rma, 2, station, None, f"file:{tmp_path / 'label-2.pdf'}"),
    ]
    assert [(e.entity_id, e.action, e.station, json.loads(e.after_json)["copy_no"]) for e in events] == [
        (str(logged[0][0]), "print", station, 1), (str(logged[1][0]), "reprint", station, 2)]
    assert audit.verify_chain(ctx).ok


def test_the_command_line_prints_the_label_so_and_says_what_the_services_say_otherwise(ctx, label_world, tmp_path,
                                                                                        capsys):
    _, rma = label_world
    out = tmp_path / "label.pdf"
    assert cli.main(["print", "label", rma, "--out", str(out), "--size", "4x6", "--url", ctx.db.url]) == 0
    assert capsys.readouterr().out.strip() == f"Return label {rma} saved as {out}."
    assert [(round(w), round(h)) for w, h in page_sizes(out.read_bytes())] == [(288, 432)]
    # Another station's printers (--station): the copy is logged at that station, by the command line.
    assert cli.main(["print", "label", rma, "--out", str(out), "--station", "DOCK-9", "--url", ctx.db.url]) == 0
    capsys.readouterr()
    with ctx.db.read() as s:
        log_station = s.execute(select(PrintLog.station).order_by(PrintLog.id.desc()).limit(1)).scalar_one()
        audit_station = s.execute(select(AuditEvent.station).where(AuditEvent.entity == "print_log")
                                  .order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()
    assert (log_station, audit_station) == ("DOCK-9", command_line_station())

    with ctx.db.write() as s:
        s.execute(select(Return).where(Return.rma_no == rma)).scalar_one().status = "requested"
    assert cli.main(["print", "label", rma, "--out", str(out), "--url", ctx.db.url]) == 1
    assert f"Return {rma} is not authorized yet" in capsys.readouterr().err
    with pytest.raises(ValidationFailed):
        documents.render_document(ctx, None, DocumentType.RETURN_LABEL, rma)

    missing = format_rma(999_999)
    with pytest.raises(NotFound) as services_said:
        documents.render_document(ctx, None, DocumentType.RETURN_LABEL, missing)
    assert cli.main(["print", "label", missing, "--out", str(out), "--url", ctx.db.url]) == 1
    assert services_said.value.message in capsys.readouterr().err

    assert cli.main(["print", "label", rma, "--out", str(tmp_path / "label.png"), "--url", ctx.db.url]) == 1
    assert "must end in .pdf" in capsys.readouterr().err


def test_a_database_file_that_does_not_exist_goes_through_the_services(tmp_path):
    assert print_label_file(f"sqlite:///{tmp_path / 'none.sqlite3'}", "R0000000013", tmp_path / "x.pdf",
                            station="cli-x") is None
    assert not (tmp_path / "none.sqlite3").exists()


@pytest.mark.slow
def test_a_process_that_prints_a_label_imports_neither_sqlalchemy_nor_the_use_cases(ctx, label_world, tmp_path):
    _, rma = label_world
    out = tmp_path / "label.pdf"
    code = textwrap.dedent(f"""
        import json, sys
        from returndesk.cli import main
        assert main(["--url", {ctx.db.url!r}, "print", "label", {rma!r}, "--out", {str(out)!r}]) == 0
        print(json.dumps(sorted(sys.modules)))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120,
                          env={"PATH": "", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-3000:]
    modules = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert decoded_texts(out.read_bytes()) == [rma]
    assert "returndesk.services.usecases.label_file" in modules
    loaded = [name for name in ("sqlalchemy", "alembic", "returndesk.store.schema", "returndesk.store.engine",
                                "returndesk.services.tx", "returndesk.services.usecases.documents")
              if name in modules or any(m.startswith(name + ".") for m in modules)]
    assert loaded == []
