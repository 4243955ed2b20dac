"""The report to a supplier on the returns of its products: an A4 PDF (landscape, as many pages as
its suppliers need) and an Excel workbook, in English or Chinese.

Per supplier: units and value sold and returned with their rates, the reasons most units came back
for, the share of units back for the vendor's fault, the claims still open and the claims answered
in the period with what was asked and what was credited.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from returndesk.domain.supplier_report import SupplierFigures, SupplierReport

from .data import Lang, check_lang
from .fonts import RENDER_LOCK, register_fonts
from .layout import money as _money


def money(minor: int) -> str:
    return _money(minor, "CNY")

_TEXT: dict[str, tuple[str, str]] = {
    "title": ("Returns of your products", "贵司商品退货报告"),
    "period": ("{company} · period {start} to {end}", "{company} · 统计期间 {start} 至 {end}"),
    "supplier": ("Supplier", "供应商"),
    "sold": ("Sold (units / value)", "售出（件数 / 金额）"),
    "returned": ("Returned (units / value)", "退回（件数 / 金额）"),
    "rate": ("Return rate (units / value)", "退货率（件数 / 金额）"),
    "fault": ("Vendor fault", "供应商责任"),
    "reasons": ("Top reasons (units)", "主要退货原因（件数）"),
    "open": ("Claims open (claims / units, cost)", "未结退供单（单数 / 件数，成本）"),
    "answered": ("Claims answered (count, asked / credited)", "已答复退供单（单数，索赔 / 已贷记）"),
    "none": ("No returns or claims in this period.", "本期没有退货或退供单。"),
    "note": ("Units count returns not rejected, cancelled or expired of the units sold in the period. Vendor fault:"
             " defective, damaged in transit, wrong item, not as described.",
             "退回件数按本期售出商品中未被拒绝、取消或过期的退货计算。供应商责任：质量问题、运输损坏、发错货、与描述不符。"),
    "page": ("Page {n}", "第 {n} 页"),
}

_SHEET_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("supplier", "Supplier code", "供应商编码"),
    ("name", "Supplier", "供应商"),
    ("sold_units", "Units sold", "售出件数"),
    ("returned_units", "Units returned", "退回件数"),
    ("unit_rate", "Return rate (units)", "退货率（件数）"),
    ("sold", "Value sold", "售出金额"),
    ("returned", "Value returned", "退回金额"),
    ("value_rate", "Return rate (value)", "退货率（金额）"),
    ("fault_units", "Units back for vendor fault", "供应商责任件数"),
    ("fault_share", "Vendor-fault share", "供应商责任占比"),
    ("reasons", "Top reasons (units)", "主要退货原因（件数）"),
    ("claims_open", "Claims open", "未结退供单"),
    ("open_units", "Units on open claims", "未结件数"),
    ("open_cost", "Cost on open claims", "未结成本"),
    ("claims_answered", "Claims answered", "已答复退供单"),
    ("claimed", "Asked on answered claims", "索赔金额"),
    ("recovered", "Credited", "已贷记金额"),
)


def _t(key: str, lang: Lang, **fields: object) -> str:
    english, chinese = _TEXT[key]
    value = chinese if lang == "zh_CN" else english
    return value.format(**fields) if fields else value


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _reasons(f: SupplierFigures, lang: Lang) -> str:
    return "\n".join(f"{r.units} × {r.name_zh if lang == 'zh_CN' else r.name_en}" for r in f.top_reasons) or "—"


def supplier_report_workbook(report: SupplierReport, lang: Lang = "en") -> Workbook:
    """The report as one sheet, a row per supplier (amounts in the currency, rates as percentages)."""
    check_lang(lang)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "供应商退货" if lang == "zh_CN" else "Supplier returns"
    sheet.append([_t("title", lang)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_t("period", lang, company=report.company_name, start=report.date_from.isoformat(),
                     end=report.date_to.isoformat())])
    sheet.append([])
    sheet.append([zh if lang == "zh_CN" else en for _key, en, zh in _SHEET_COLUMNS])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for f in report.suppliers:
        sheet.append([f.supplier_code, f.supplier_name, f.sold_units, f.returned_units, f.unit_rate,
                      f.sold_minor / 100, f.returned_minor / 100, f.value_rate, f.vendor_fault_units,
                      f.vendor_fault_share, _reasons(f, lang).replace("\n", "; "), f.claims_open,
                      f.claims_open_units, f.claims_open_cost_minor / 100, f.claims_answered, f.claimed_minor / 100,
                      f.recovered_minor / 100])
        row = sheet.max_row
        for column in ("E", "H", "J"):
            sheet[f"{column}{row}"].number_format = "0.0%"
        for column in ("F", "G", "N", "P", "Q"):
            sheet[f"{column}{row}"].number_format = "#,##0.00"
    widths = (14, 36, 10, 10, 12, 14, 14, 12, 12, 12, 40, 10, 10, 14, 10, 14, 14)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append([])
    sheet.append([_t("note", lang)])
    return book


def render_supplier_report(report: SupplierReport, lang: Lang = "en") -> bytes:
    """The report as an A4 landscape PDF."""
    check_lang(lang)
    font = register_fonts()
    buffer = io.BytesIO()
    pagesize = landscape(A4)
    doc = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=_t("title", lang), author="ReturnDesk", creator="ReturnDesk",
                            invariant=1, initialFontName=font)
    wrap = "CJK" if lang == "zh_CN" else None
    base = ParagraphStyle("base", fontName=font, fontSize=8.5, leading=11, wordWrap=wrap)
    num = ParagraphStyle("num", parent=base, alignment=TA_RIGHT)
    head = ParagraphStyle("head", parent=base, textColor=colors.white, fontSize=8)
    title = ParagraphStyle("title", parent=base, fontSize=16, leading=20)
    small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=10, textColor=colors.HexColor("#555555"))

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story: list[Any] = [
        p(_t("title", lang), title), Spacer(1, 2 * mm),
        p(_t("period", lang, company=report.company_name, start=report.date_from.isoformat(),
             end=report.date_to.isoformat())),
        Spacer(1, 5 * mm),
    ]
    keys = ("supplier", "sold", "returned", "rate", "fault", "reasons", "open", "answered")
    head_num = ParagraphStyle("head_num", parent=head, alignment=TA_RIGHT)
    rows: list[list[Any]] = [[p(_t(k, lang), head if k in ("supplier", "reasons") else head_num) for k in keys]]
    for f in report.suppliers:
        rows.append([
            p(f"{f.supplier_name}\n{f.supplier_code}"),
            p(f"{f.sold_units}\n{money(f.sold_minor)}", num),
            p(f"{f.returned_units}\n{money(f.returned_minor)}", num),
            p(f"{_pct(f.unit_rate)}\n{_pct(f.value_rate)}", num),
            p(f"{f.vendor_fault_units}\n{_pct(f.vendor_fault_share)}", num),
            p(_reasons(f, lang)),
            p(f"{f.claims_open} / {f.claims_open_units}\n{money(f.claims_open_cost_minor)}", num),
            p(f"{f.claims_answered}\n{money(f.claimed_minor)} / {money(f.recovered_minor)}", num),
        ])
    if not report.suppliers:
        story.append(p(_t("none", lang)))
    else:
        width = pagesize[0] - 24 * mm
        fixed = [62 * mm, 28 * mm, 28 * mm, 26 * mm, 22 * mm, 0, 30 * mm, 36 * mm]
        rest = width - sum(fixed)
        table = Table(rows, colWidths=[w or rest for w in fixed], repeatRows=1)
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#333333")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#999999")),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f3f3")]),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        story.append(table)
    story += [Spacer(1, 5 * mm), p(_t("note", lang), small)]

    def footer(canvas: Any, document: Any) -> None:
        canvas.setFont(font, 7.5)
        canvas.drawRightString(pagesize[0] - 12 * mm, 8 * mm, _t("page", lang, n=document.page))

    with RENDER_LOCK:
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
