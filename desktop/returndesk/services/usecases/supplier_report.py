"""The supplier's side of returns: a report per supplier to send it (供应商退货报告).

For the units of its products sold in the period (calendar days of the installation): how many came
back and their value (returns not rejected, cancelled or expired, as the analytics' return rates
count them), the rate of each, the reasons most units came back for, the share of units back for a
fault of the vendor (defective, damaged in transit, wrong item, not as described), the claims still
open against it (units and their cost) and the claims it answered in the period (asked, credited).

Every figure is summed in SQL, grouped by supplier. The report travels as an Excel workbook and an
A4 PDF (:mod:`returndesk.documents.supplier_report`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from returndesk.documents.data import Lang, check_lang
from returndesk.domain.analytics import rate
from returndesk.domain.claims import ANSWERED
from returndesk.domain.codes import clean_text, shown
from returndesk.domain.errors import NotFound
from returndesk.domain.messages import msg
from returndesk.domain.permissions import Permission
from returndesk.domain.supplier_report import ReasonUnits, SupplierFigures, SupplierReport
from returndesk.store.schema import (
    Product,
    Return,
    ReturnLine,
    ReturnReason,
    RtvClaim,
    RtvClaimUnit,
    SalesOrder,
    SalesOrderLine,
    Supplier,
)

from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.usecases.analytics import _NOT_RETURNED, _line_value, _n, _window
from returndesk.services.usecases.company_profile import profile_in

#: Reasons listed per supplier, most units first.
TOP_REASONS = 3


@dataclass(frozen=True)
class SupplierReportFiles:
    """The report as an Excel workbook and an A4 PDF, with the file name both share (no ending)."""

    name: str
    xlsx: bytes
    pdf: bytes


def _grouped(s: Session, stmt: Any) -> dict[str, tuple[int, ...]]:
    return {str(row[0]): tuple(_n(v) for v in row[1:]) for row in s.execute(stmt)}


def supplier_report(ctx: ServiceContext, actor: Actor | None, date_from: date, date_to: date, *,
                    supplier_code: str | None = None, lang: Lang = "en") -> SupplierReport:
    """The figures per supplier (every supplier, or the one of ``supplier_code``) for the period;
    the company named in ``lang``."""
    if actor is not None:
        actor.require_any(Permission.VIEW_CLAIMS, Permission.VIEW_QUEUES, doing=msg("read the suppliers' report"))
    code = clean_text(supplier_code, what=msg("The supplier code"), max_length=32) if supplier_code else None
    with ctx.read(actor, snapshot=True) as s:
        start, end = _window(s, date_from, date_to, None)
        suppliers_q = select(Supplier.id, Supplier.code, Supplier.name).order_by(Supplier.code)
        if code is not None:
            suppliers_q = suppliers_q.where(Supplier.code == code)
        suppliers = s.execute(suppliers_q).all()
        if code is not None and not suppliers:
            raise NotFound(msg("There is no supplier {code}.",
                               code=shown(code)))
        sold = _grouped(s, (
            select(Supplier.code, func.sum(SalesOrderLine.quantity), func.sum(SalesOrderLine.paid_minor))
            .select_from(SalesOrderLine)
            .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
            .join(Product, Product.id == SalesOrderLine.product_id)
            .join(Supplier, Supplier.id == Product.supplier_id)
            .where(SalesOrder.sold_at >= start, SalesOrder.sold_at < end)
            .group_by(Supplier.code)))
        units = func.sum(ReturnLine.qty_requested)
        reasons = s.execute(
            select(Supplier.code, ReturnLine.reason_code, ReturnReason.name_en, ReturnReason.name_zh,
                   ReturnReason.vendor_fault, units, func.sum(_line_value()))
            .select_from(ReturnLine)
            .join(Return, Return.id == ReturnLine.return_id)
            .join(SalesOrderLine, SalesOrderLine.id == ReturnLine.order_line_id)
            .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
            .join(Product, Product.id == ReturnLine.product_id)
            .join(Supplier, Supplier.id == Product.supplier_id)
            .join(ReturnReason, ReturnReason.code == ReturnLine.reason_code)
            .where(SalesOrder.sold_at >= start, SalesOrder.sold_at < end, Return.status.not_in(_NOT_RETURNED))
            .group_by(Supplier.code, ReturnLine.reason_code, ReturnReason.name_en, ReturnReason.name_zh,
                      ReturnReason.vendor_fault)
            .order_by(Supplier.code, units.desc(), ReturnLine.reason_code)
        ).all()
        open_claims = _grouped(s, (
            select(Supplier.code, func.count(func.distinct(RtvClaim.id)), func.count(RtvClaimUnit.id),
                   func.sum(RtvClaimUnit.cost_minor))
            .select_from(RtvClaim)
            .join(Supplier, Supplier.id == RtvClaim.supplier_id)
            .outerjoin(RtvClaimUnit, RtvClaimUnit.claim_id == RtvClaim.id)
            .where(RtvClaim.status.not_in([st.value for st in ANSWERED]))
            .group_by(Supplier.code)))
        answered = _grouped(s, (
            select(Supplier.code, func.count(RtvClaim.id), func.sum(RtvClaim.value_minor),
                   func.sum(RtvClaim.credited_minor))
            .select_from(RtvClaim)
            .join(Supplier, Supplier.id == RtvClaim.supplier_id)
            .where(RtvClaim.status.in_([st.value for st in ANSWERED]), RtvClaim.answered_at >= start,
                   RtvClaim.answered_at < end)
            .group_by(Supplier.code)))
        company = profile_in(s, actor.station if actor is not None else ctx.station, lang).company_name
    by_supplier: dict[str, list[tuple[Any, ...]]] = {}
    for row in reasons:
        by_supplier.setdefault(str(row[0]), []).append(tuple(row[1:]))
    figures = []
    for _sid, sup_code, name in suppliers:
        sold_units, sold_minor = sold.get(sup_code, (0, 0))
        rows = by_supplier.get(sup_code, [])
        returned_units = sum(_n(r[4]) for r in rows)
        returned_minor = sum(_n(r[5]) for r in rows)
        fault = sum(_n(r[4]) for r in rows if r[3])
        claims_open, open_units, open_cost = open_claims.get(sup_code, (0, 0, 0))
        claims_answered, claimed, recovered = answered.get(sup_code, (0, 0, 0))
        if not (sold_units or returned_units or claims_open or claims_answered) and code is None:
            continue
        figures.append(SupplierFigures(
            sup_code, name, sold_units, sold_minor, returned_units, returned_minor, rate(returned_units, sold_units),
            rate(returned_minor, sold_minor), fault, rate(fault, returned_units),
            tuple(ReasonUnits(str(r[0]), str(r[1]), str(r[2]), _n(r[4]), bool(r[3])) for r in rows[:TOP_REASONS]),
            claims_open, open_units, open_cost, claims_answered, claimed, recovered,
        ))
    return SupplierReport(date_from, date_to, company, tuple(figures))


#: The columns of the report as a table (amounts in minor units, rates 0..1).
COLUMNS = ("supplier", "name", "sold_units", "returned_units", "unit_rate", "sold_minor", "returned_minor",
           "value_rate", "vendor_fault_units", "vendor_fault_share", "top_reasons", "claims_open",
           "claims_open_units", "claims_open_cost_minor", "claims_answered", "claimed_minor", "recovered_minor")


def report_rows(report: SupplierReport, lang: Lang = "en") -> list[tuple[Any, ...]]:
    """The report as rows of :data:`COLUMNS` (the reasons named in ``lang``)."""
    def reasons(f: SupplierFigures) -> str:
        return "; ".join(f"{r.name_zh if lang == 'zh_CN' else r.name_en} {r.units}" for r in f.top_reasons)

    def r4(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    return [(f.supplier_code, f.supplier_name, f.sold_units, f.returned_units, r4(f.unit_rate), f.sold_minor,
             f.returned_minor, r4(f.value_rate), f.vendor_fault_units, r4(f.vendor_fault_share), reasons(f),
             f.claims_open, f.claims_open_units, f.claims_open_cost_minor, f.claims_answered, f.claimed_minor,
             f.recovered_minor) for f in report.suppliers]


def supplier_report_files(ctx: ServiceContext, actor: Actor | None, date_from: date, date_to: date, *,
                          supplier_code: str | None = None, lang: Lang = "en") -> SupplierReportFiles:
    """The report as an Excel workbook and an A4 PDF in ``lang``, to send the supplier."""
    from returndesk.documents.supplier_report import render_supplier_report, supplier_report_workbook
    from returndesk.documents.xlsx import workbook_bytes

    check_lang(lang)
    report = supplier_report(ctx, actor, date_from, date_to, supplier_code=supplier_code, lang=lang)
    who = supplier_code.strip().upper() if supplier_code else "suppliers"
    name = f"{who}-returns-{date_from.isoformat()}-{date_to.isoformat()}"
    # Stamped with the period's end, not the moment of saving: the same report is the same file.
    xlsx = workbook_bytes(supplier_report_workbook(report, lang), datetime.combine(date_to, time()))
    return SupplierReportFiles(name, xlsx, render_supplier_report(report, lang))


__all__: Sequence[str] = ("COLUMNS", "ReasonUnits", "SupplierFigures", "SupplierReport", "SupplierReportFiles",
                          "report_rows", "supplier_report", "supplier_report_files")
