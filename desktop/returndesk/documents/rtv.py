"""The documents of a claim against a supplier: the RTV packing list (A4) and the shipping label.

The packing list goes into the parcel: the claim number as a barcode (the supplier's goods-in scans
it), the supplier's RMA number, and one row per unit with the unit's item tag as a barcode, so that
the supplier can check the parcel unit by unit. The shipping label (100x150 mm) goes on the outside,
addressed to the supplier's return address.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4 as _A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from returndesk.domain.errors import ValidationFailed

from .barcodes import DOT_203, LinearSymbol, code128, draw_symbol, fit_x_dimension
from .data import Lang, check_lang
from .fonts import RENDER_LOCK, register_fonts
from .layout import day, draw_lines, draw_text, money, render, rule, wrap
from .pages import return_label_size
from returndesk.domain.messages import msg

#: Bars of three dots of a 203 dpi printer where they fit, never thinner than two.
X_PREFERRED = 3 * DOT_203
X_MINIMUM = 2 * DOT_203
CLAIM_BAR_HEIGHT = 12 * mm
TAG_BAR_HEIGHT = 8 * mm

_MARGIN_X = 18 * mm
_MARGIN_TOP = 30 * mm
_MARGIN_BOTTOM = 20 * mm
_FRAME_PAD = 6

_TEXT: dict[str, tuple[str, str]] = {
    "title": ("RTV PACKING LIST", "退供装箱单"),
    "label_title": ("RETURN TO VENDOR", "退货给供应商"),
    "claim": ("Claim", "退供单号"),
    "vendor_rma": ("Supplier RMA", "供应商退货授权号"),
    "authorised": ("Authorised on", "授权日期"),
    "date": ("Date", "日期"),
    "terms": ("Terms", "退供条款"),
    "from": ("FROM", "寄件人"),
    "to": ("TO", "收件人"),
    "attn": ("Attn.", "联系人"),
    "no": ("No.", "序号"),
    "tag": ("Item tag", "商品标签"),
    "sku": ("SKU", "商品编码"),
    "supplier_code": ("Supplier code", "供应商编码"),
    "product": ("Product", "商品"),
    "grade": ("Grade", "等级"),
    "reason": ("Reason", "退货原因"),
    "cost": ("Cost", "成本"),
    "units": ("Units", "件数"),
    "total_cost": ("Total cost", "成本合计"),
    "claimed": ("Credit claimed", "申请退款金额"),
    "page": ("Page {n} of {m}", "第 {n} 页，共 {m} 页"),
    "packed_by": ("Packed by", "装箱人"),
    "received_by": ("Received by (supplier)", "供应商签收"),
    "note": (
        "Please check the units against this list, quote claim {claim} and RMA {rma} on your credit note.",
        "请按本单核对商品，并在贷项通知单上注明退供单号 {claim} 和退货授权号 {rma}。",
    ),
    "parcel": ("{n} unit(s) · RMA {rma}", "{n} 件 · 授权号 {rma}"),
    "terms.credit_at_cost": ("Credit at cost", "按成本退款"),
    "terms.cost_minus_fee": ("Credit at cost less handling fee", "按成本扣除手续费退款"),
    "terms.replacement": ("Replacement goods", "换货"),
}


def _t(key: str, lang: Lang, **fields: object) -> str:
    english, chinese = _TEXT[key]
    value = chinese if lang == "zh_CN" else english
    return value.format(**fields) if fields else value


@dataclass(frozen=True)
class RtvUnitLine:
    tag: str  # the item tag's reference, R0000012340/17
    sku: str
    product_name: str
    grade: str
    reason: str
    cost_minor: int
    supplier_code: str = ""


@dataclass(frozen=True)
class RtvDocumentData:
    claim_no: str
    vendor_rma_no: str
    authorised_on: date | None
    printed_on: date
    terms: str
    supplier_name: str
    supplier_address: tuple[str, ...]
    supplier_contact: str
    company_name: str
    return_from: tuple[str, ...]  # the warehouse the parcel leaves from
    units: tuple[RtvUnitLine, ...]
    cost_minor: int
    value_minor: int
    currency: str = "CNY"
    lang: Lang = "en"

    def __post_init__(self) -> None:
        check_lang(self.lang)
        if not self.units:
            raise ValidationFailed(msg(
                "Claim {claim_no} holds no units; there is nothing to pack.",
                claim_no=self.claim_no))
        if not self.vendor_rma_no:
            raise ValidationFailed(
                msg(
                    "Claim {claim_no} has no supplier RMA number yet; record the supplier's authorisation first.",
                    claim_no=self.claim_no)
            )
        if not self.supplier_address:
            raise ValidationFailed(
                msg(
                    "{supplier_name} has no return address; enter it in the supplier's master data first.",
                    supplier_name=self.supplier_name)
            )


class _Barcode(Flowable):
    """A Code 128 symbol in the flow, bars from the left edge, on the 203 dpi grid."""

    def __init__(self, value: str, width: float, height: float) -> None:
        super().__init__()
        self.symbol: LinearSymbol = code128(value)
        self.x_dim = fit_x_dimension(self.symbol, width, X_PREFERRED, X_MINIMUM, what=msg("barcode"), grid=DOT_203)
        self.width = self.symbol.width(self.x_dim)
        self.bar_height = height
        self.height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        draw_symbol(self.canv, self.symbol, 0, 0, self.x_dim, self.bar_height, grid=DOT_203)


def render_packing_list(data: RtvDocumentData) -> bytes:
    """The packing list of ``data`` as an A4 PDF, as many pages as its units need."""
    font = register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=_A4, leftMargin=_MARGIN_X - _FRAME_PAD, rightMargin=_MARGIN_X - _FRAME_PAD,
        topMargin=_MARGIN_TOP, bottomMargin=_MARGIN_BOTTOM, title=f"{_t('title', data.lang)} {data.claim_no}",
        author="ReturnDesk", creator="ReturnDesk", invariant=1, initialFontName=font,
    )

    def make_canvas(*args: Any, **kwargs: Any) -> Canvas:
        return _NumberedCanvas(*args, data=data, **kwargs)

    with RENDER_LOCK:
        doc.build(_story(data, font, doc.width - 2 * _FRAME_PAD), canvasmaker=make_canvas)
    return buffer.getvalue()


class _NumberedCanvas(Canvas):
    """Holds every page back until the end so that each can say "page n of m"."""

    def __init__(self, *args: Any, data: RtvDocumentData, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._data = data
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        count = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            _page_frame(self, self._data, number, count)
            super().showPage()
        super().save()


def _page_frame(canvas: Canvas, data: RtvDocumentData, number: int, count: int) -> None:
    width, height = _A4
    lang = data.lang
    left, right = _MARGIN_X, width - _MARGIN_X
    baseline = height - 21 * mm
    draw_text(canvas, _t("title", lang), left, baseline, 20, bold=True)
    draw_text(canvas, f"{_t('claim', lang)} {data.claim_no}", right, baseline, 10, align="right", bold=True)
    canvas.saveState()
    canvas.setLineWidth(1.2)
    canvas.line(left, height - _MARGIN_TOP + 6 * mm, right, height - _MARGIN_TOP + 6 * mm)
    canvas.setLineWidth(0.5)
    canvas.line(left, _MARGIN_BOTTOM - 5 * mm, right, _MARGIN_BOTTOM - 5 * mm)
    canvas.restoreState()
    footer_y = _MARGIN_BOTTOM - 10 * mm
    draw_text(canvas, f"{data.claim_no} · {_t('vendor_rma', lang)} {data.vendor_rma_no}", left, footer_y, 8)
    draw_text(canvas, _t("page", lang, n=number, m=count), right, footer_y, 8, align="right")


def _p(value: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(value).replace("\n", "<br/>"), style)


def _story(data: RtvDocumentData, font: str, width: float) -> list[Any]:
    lang = data.lang
    wrap_mode = "CJK" if lang == "zh_CN" else None
    base = ParagraphStyle("base", fontName=font, fontSize=9, leading=12, wordWrap=wrap_mode)
    caption = ParagraphStyle("caption", parent=base, fontSize=7.5, leading=10, textColor=colors.HexColor("#444444"))
    name = ParagraphStyle("name", parent=base, fontSize=10.5, leading=14)
    cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5)
    num = ParagraphStyle("num", parent=cell, alignment=TA_RIGHT)
    head = ParagraphStyle("head", parent=base, fontSize=8, leading=10, textColor=colors.white)
    head_num = ParagraphStyle("head_num", parent=head, alignment=TA_RIGHT)
    plain = [("FONTNAME", (0, 0), (-1, -1), font), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]

    sender = [_p(_t("from", lang), caption), _p(data.company_name, name)] + [_p(x, base) for x in data.return_from]
    receiver = [_p(_t("to", lang), caption), _p(data.supplier_name, name)]
    receiver += [_p(x, base) for x in data.supplier_address]
    if data.supplier_contact:
        receiver.append(_p(f"{_t('attn', lang)} {data.supplier_contact}", base))
    refs = [(_t("claim", lang), data.claim_no), (_t("vendor_rma", lang), data.vendor_rma_no),
            (_t("authorised", lang), day(data.authorised_on) if data.authorised_on else "—"),
            (_t("date", lang), day(data.printed_on)), (_t("terms", lang), _terms(data.terms, lang))]
    ref_table = Table([[_p(k, caption), _p(v, base)] for k, v in refs], colWidths=[30 * mm, 45 * mm],
                      style=TableStyle(plain + [("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
    parties = Table(
        [[sender, ref_table], [receiver, [Spacer(1, 3 * mm), _Barcode(data.claim_no, 75 * mm, CLAIM_BAR_HEIGHT)]]],
        colWidths=[width - 77 * mm, 77 * mm],
        style=TableStyle(plain + [("TOPPADDING", (0, 1), (-1, 1), 6 * mm)]),
    )
    story: list[Any] = [parties, Spacer(1, 8 * mm)]

    # The supplier's own code goes under the SKU, so the product and the reason keep their width.
    with_codes = any(u.supplier_code for u in data.units)
    keys = ["no", "tag", "sku", "product", "grade", "reason", "cost"]
    rows: list[list[Any]] = [[_p(_t(k, lang), head_num if k == "cost" else head) for k in keys]]
    if with_codes:
        rows[0][2] = [_p(_t("sku", lang), head), _p(_t("supplier_code", lang), head)]
    tag_width = 62 * mm
    for index, unit in enumerate(data.units, start=1):
        sku_cell: list[Any] = [_p(unit.sku, cell)]
        if unit.supplier_code:
            sku_cell.append(_p(unit.supplier_code, cell))
        rows.append([_p(str(index), cell), [_Barcode(unit.tag, tag_width, TAG_BAR_HEIGHT), Spacer(1, 1 * mm),
                                             _p(unit.tag, cell)], sku_cell,
                     _p(unit.product_name, cell), _p(unit.grade, cell), _p(unit.reason, cell),
                     _p(money(unit.cost_minor, data.currency), num)])
    fixed = [9 * mm, tag_width + 4 * mm, (26 if with_codes else 24) * mm, 0, 11 * mm, 0, 20 * mm]
    rest = width - sum(fixed)
    fixed = [w if w else rest / 2 for w in fixed]
    table = Table(rows, colWidths=fixed, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#333333")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#999999")),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    story += [table, Spacer(1, 5 * mm)]
    totals = [(_t("units", lang), str(len(data.units))),
              (_t("total_cost", lang), money(data.cost_minor, data.currency))]
    if data.terms != "replacement":
        totals.append((_t("claimed", lang), money(data.value_minor, data.currency)))
    story.append(Table([[_p(k, num), _p(v, num)] for k, v in totals], colWidths=[45 * mm, 35 * mm], hAlign="RIGHT",
                       style=TableStyle([("FONTNAME", (0, 0), (-1, -1), font),
                                         ("LINEABOVE", (0, -1), (-1, -1), 1.0, colors.black)])))
    story += [Spacer(1, 8 * mm), _p(_t("note", lang, claim=data.claim_no, rma=data.vendor_rma_no), base),
              Spacer(1, 14 * mm)]
    story.append(Table([[_p(_t("packed_by", lang), caption), _p(_t("received_by", lang), caption)]],
                       colWidths=[width / 2, width / 2],
                       style=TableStyle(plain + [("LINEABOVE", (0, 0), (0, 0), 0.5, colors.black),
                                                 ("LINEABOVE", (1, 0), (1, 0), 0.5, colors.black)])))
    return story


def _terms(terms: str, lang: Lang) -> str:
    key = f"terms.{terms}"
    return _t(key, lang) if key in _TEXT else terms


# --------------------------------------------------------------------------- shipping label


def render_shipping_label(data: RtvDocumentData, size: str = "100x150") -> bytes:
    """The parcel's label to the supplier's return address, one page of ``size``."""
    pagesize = return_label_size(size)
    return render(pagesize, f"{_t('label_title', data.lang)} {data.claim_no}",
                  lambda canvas: _draw_label(canvas, data, pagesize))


def _draw_label(canvas: Canvas, data: RtvDocumentData, pagesize: tuple[float, float]) -> None:
    width, height = pagesize
    lang = data.lang
    margin = 4 * mm
    left, right = margin, width - margin
    inner = right - left
    y = height - margin - 4
    draw_text(canvas, _t("from", lang), left, y, 7)
    y -= 2
    sender: list[str] = []
    for line in [data.company_name, *data.return_from]:
        sender += wrap(line, 8, inner)
    y = draw_lines(canvas, sender, left, y, 8, leading=10)
    y -= 4
    rule(canvas, left, right, y)
    y -= 22
    draw_text(canvas, _t("label_title", lang), left, y, 16, bold=True, max_width=inner)
    y -= 18
    draw_text(canvas, _t("to", lang), left, y, 8)
    y -= 16
    draw_text(canvas, data.supplier_name, left, y, 14, bold=True, max_width=inner, min_size=9)
    y -= 6
    lines: list[str] = []
    for line in data.supplier_address:
        lines += wrap(line, 12, inner)
    if data.supplier_contact:
        lines.append(f"{_t('attn', lang)} {data.supplier_contact}")
    y = draw_lines(canvas, lines, left, y, 12, leading=15)
    y -= 6
    rule(canvas, left, right, y)
    y -= 18
    draw_text(canvas, f"{_t('vendor_rma', lang)}: {data.vendor_rma_no}", left, y, 13, bold=True, max_width=inner,
              min_size=8)
    y -= 14
    draw_text(canvas, _t("parcel", lang, n=len(data.units), rma=data.vendor_rma_no), left, y, 9, max_width=inner)
    symbol = code128(data.claim_no)
    x_dim = fit_x_dimension(symbol, width, 4 * DOT_203, X_MINIMUM, what=msg("claim barcode"), grid=DOT_203)
    bar_height = 20 * mm
    bottom = margin + 16
    x = max(0.0, (width - symbol.width(x_dim)) / 2)
    draw_symbol(canvas, symbol, x, bottom, x_dim, bar_height, grid=DOT_203)
    draw_text(canvas, f"{_t('claim', lang)} {data.claim_no}", width / 2, margin + 2, 10, align="center", bold=True)
