"""The report to a supplier: return rates of its products, top reasons, vendor-fault share, claims
open and recovered, summed in SQL and checked against the same figures summed here row by row; the
PDF and the workbook carry them; the command line writes both."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from returndesk.cli import main
from returndesk.domain.errors import NotFound, PermissionDenied
from returndesk.domain.types import Disposition, Grade, ReturnStatus
from returndesk.services.usecases import claims, supplier_report
from returndesk.store.schema import Product, Return, ReturnLine, ReturnReason, SalesOrderLine, Supplier

from ..unit.documents_support import pdf_text
from .factories import build_world
from .money_support import LineSpec, approved

pytestmark = pytest.mark.both_databases("the report groups and sums money in SQL")

RTV = Disposition.RETURN_TO_VENDOR


@pytest.fixture
def world(ctx):
    world = build_world(ctx)
    for _ in range(2):
        claims.add_unit(ctx, world.inspector, approved(world, [LineSpec("EL-1002", 1, reason="defective",
                                                                        grade=Grade.D, disposition=RTV)]))
    claim_no = claims.list_claims(ctx, world.inspector)[0].claim_no
    claims.record_authorisation(ctx, world.inspector, claim_no, "V-1", ctx.now().date())
    claims.ship_claim(ctx, world.inspector, claim_no)
    claims.record_answer(ctx, world.finance, claim_no, credit_note_no="CN-9", credited_minor=10000)
    claims.add_unit(ctx, world.inspector, approved(world, [LineSpec("EL-1002", 1, reason="defective",
                                                                    grade=Grade.D, disposition=RTV)]))
    approved(world, [LineSpec("EL-1002", 1, reason="changed_mind", grade=Grade.A)])
    return world


def _by_hand(ctx):
    """The same figures summed in Python over the rows."""
    with ctx.db.read() as s:
        sup_id = s.execute(select(Supplier.id).where(Supplier.code == "SUP-1")).scalar_one()
        products = set(s.execute(select(Product.id).where(Product.supplier_id == sup_id)).scalars())
        sold = [line for line in s.execute(select(SalesOrderLine)).scalars() if line.product_id in products]
        fault = {r.code: r.vendor_fault for r in s.execute(select(ReturnReason)).scalars()}
        returned = [(line, ret) for line, ret in s.execute(select(ReturnLine, Return).join(Return))
                    if line.product_id in products and ret.status not in (
                        ReturnStatus.DRAFT, ReturnStatus.CANCELLED, ReturnStatus.REJECTED, ReturnStatus.EXPIRED)]
        paid = {line.id: (line.paid_minor, line.quantity) for line in sold}
        units = sum(line.qty_requested for line, _ in returned)
        value = sum(paid[line.order_line_id][0] * line.qty_requested // paid[line.order_line_id][1]
                    for line, _ in returned)
        return (sum(line.quantity for line in sold), sum(line.paid_minor for line in sold), units, value,
                sum(line.qty_requested for line, _ in returned if fault[line.reason_code]))


def test_the_figures_per_supplier_agree_with_the_rows(ctx, world):
    today = ctx.now().date()
    report = supplier_report.supplier_report(ctx, world.finance, today - timedelta(days=90), today)
    (acme,) = [f for f in report.suppliers if f.supplier_code == "SUP-1"]
    sold_units, sold_minor, returned_units, returned_minor, fault_units = _by_hand(ctx)
    assert (acme.sold_units, acme.sold_minor, acme.returned_units, acme.returned_minor) == (
        sold_units, sold_minor, returned_units, returned_minor)
    assert returned_units == 4 and fault_units == 3 and acme.vendor_fault_units == 3
    assert acme.unit_rate == pytest.approx(returned_units / sold_units)
    assert acme.vendor_fault_share == pytest.approx(0.75)
    assert [(r.code, r.units) for r in acme.top_reasons] == [("defective", 3), ("changed_mind", 1)]
    assert (acme.claims_open, acme.claims_open_units, acme.claims_open_cost_minor) == (1, 1, 6000)
    assert (acme.claims_answered, acme.claimed_minor, acme.recovered_minor) == (1, 12000, 10000)

    # Nothing sold or claimed before the period.
    old = supplier_report.supplier_report(ctx, world.finance, today - timedelta(days=900), today - timedelta(days=800),
                                          supplier_code="SUP-1")
    assert [(f.sold_units, f.returned_units, f.claims_answered) for f in old.suppliers] == [(0, 0, 0)]
    assert old.suppliers[0].claims_open == 1  # open claims are open whatever the period
    with pytest.raises(NotFound):
        supplier_report.supplier_report(ctx, world.finance, today, today, supplier_code="NOPE")
    with pytest.raises(PermissionDenied):
        supplier_report.supplier_report(ctx, world.clerk, today, today)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_pdf_and_the_workbook_carry_the_figures(ctx, world, lang):
    today = ctx.now().date()
    files = supplier_report.supplier_report_files(ctx, world.inspector, today - timedelta(days=90), today,
                                                  supplier_code="SUP-1", lang=lang)
    text = " ".join(pdf_text(files.pdf).split())
    assert "Acme Supplies" in text and "SUP-1" in text and "75.0%" in text
    assert ("贵司商品退货报告" if lang == "zh_CN" else "Returns of your products") in text
    assert ("3 × 质量问题" if lang == "zh_CN" else "3 × Defective") in text
    sheet = load_workbook(io.BytesIO(files.xlsx)).active
    rows = list(sheet.iter_rows(values_only=True))
    acme = next(r for r in rows if r and r[0] == "SUP-1")
    assert acme[3] == 4 and acme[8] == 3 and acme[16] == 100.0
    assert files.name.startswith("SUP-1-returns-")


def test_the_same_report_made_twice_is_the_same_workbook(ctx, world, monkeypatch):
    today = ctx.now().date()
    first = supplier_report.supplier_report_files(ctx, world.inspector, today - timedelta(days=90), today)
    # Saved at another moment: openpyxl would stamp it with the moment of saving.
    import openpyxl.writer.excel as excel
    later = datetime(2031, 5, 6, 7, 8, 9)
    monkeypatch.setattr(excel.datetime, "datetime", type("Later", (datetime,), {"now": classmethod(
        lambda cls, tz=None: later.replace(tzinfo=tz))}))
    second = supplier_report.supplier_report_files(ctx, world.inspector, today - timedelta(days=90), today)
    assert first.xlsx == second.xlsx
    book = load_workbook(io.BytesIO(second.xlsx))
    assert book.properties.modified == datetime.combine(today, time())  # as of the period's end


def test_the_command_line_writes_the_pdf_the_workbook_and_the_table(ctx, world, tmp_path, capsys):
    today = ctx.now().date()
    span = ["--from", (today - timedelta(days=90)).isoformat(), "--to", today.isoformat()]
    base = ["report", "supplier", *span, "--url", ctx.db.url]
    assert main([*base, "--supplier", "SUP-1", "--lang", "zh_CN", "--out", str(tmp_path / "acme.pdf")]) == 0
    assert "Acme Supplies" in pdf_text((tmp_path / "acme.pdf").read_bytes())
    assert main([*base, "--out", str(tmp_path / "all.xlsx")]) == 0
    assert any(r[0] == "SUP-1" for r in load_workbook(tmp_path / "all.xlsx").active.iter_rows(values_only=True))
    capsys.readouterr()
    assert main([*base, "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("supplier,name,sold_units,returned_units")
    assert "SUP-1,Acme Supplies" in out
