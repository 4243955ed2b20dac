"""The credit note on A4, for finance: seller, customer, references, lines with tax, totals.

Laid out with reportlab's platypus so that a long list of lines flows onto further pages with
the table header repeated; every page carries the number, the reprint mark and "page n of m".
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from returndesk.domain.money import to_major

from .barcodes import code128, draw_symbol, fit_x_dimension
from .data import CreditNoteData, Lang
from .fonts import RENDER_LOCK, register_fonts
from .layout import day, draw_reprint_mark, draw_text, money
from .pages import A4_SIZE
from .strings import field, refund_method_text, reprint_text, text
from returndesk.domain.messages import msg

RMA_X_PREFERRED = 0.33 * mm
RMA_X_MINIMUM = 0.25 * mm
RMA_BAR_HEIGHT = 8 * mm

_MARGIN_X = 18 * mm
_MARGIN_TOP = 30 * mm
_MARGIN_BOTTOM = 20 * mm
# platypus frames pad their content by 6 pt; the margins given to it are that much smaller so that
# the body lines up with the header and footer drawn at _MARGIN_X.
_FRAME_PAD = 6


def render_credit_note(data: CreditNoteData) -> bytes:
    """The credit note for ``data`` as an A4 PDF (as many pages as its lines need)."""
    font = register_fonts()
    buffer = io.BytesIO()
    title = f"{text('credit.title', data.lang)} {data.credit_note_number}"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4_SIZE,
        leftMargin=_MARGIN_X - _FRAME_PAD,
        rightMargin=_MARGIN_X - _FRAME_PAD,
        topMargin=_MARGIN_TOP,
        bottomMargin=_MARGIN_BOTTOM,
        title=title,
        author="ReturnDesk",
        creator="ReturnDesk",
        invariant=1,
        # Our font from the start, or reportlab puts an unembedded Helvetica on every page.
        initialFontName=font,
    )

    def make_canvas(*args: Any, **kwargs: Any) -> Canvas:
        return _NumberedCanvas(*args, data=data, **kwargs)

    with RENDER_LOCK:
        doc.build(_story(data, font, doc.width - 2 * _FRAME_PAD), canvasmaker=make_canvas)
    return buffer.getvalue()


class _Barcode(Flowable):
    """A Code 128 symbol in the flow, bars starting at the frame's left edge."""

    def __init__(self, data: str, width: float) -> None:
        super().__init__()
        self.symbol = code128(data)
        self.x_dim = fit_x_dimension(self.symbol, width, RMA_X_PREFERRED, RMA_X_MINIMUM, what=msg("RMA barcode"))
        self.width = self.symbol.width(self.x_dim)
        self.height = RMA_BAR_HEIGHT

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        draw_symbol(self.canv, self.symbol, -self.symbol.quiet_left * self.x_dim, 0, self.x_dim, RMA_BAR_HEIGHT)


class _NumberedCanvas(Canvas):
    """Holds every page back until the end so that each can say "page n of m"."""

    def __init__(self, *args: Any, data: CreditNoteData, **kwargs: Any) -> None:
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


def _page_frame(canvas: Canvas, data: CreditNoteData, number: int, count: int) -> None:
    """Header and footer of every page."""
    width, height = A4_SIZE
    lang = data.lang
    left, right = _MARGIN_X, width - _MARGIN_X
    baseline = height - 21 * mm
    draw_text(canvas, text("credit.title", lang), left, baseline, 20, bold=True)
    draw_reprint_mark(canvas, reprint_text(data.reprint, lang), right, height - 9 * mm, 11)
    draw_text(canvas, f"{text('credit.number', lang)} {data.credit_note_number}", right, baseline, 10,
              align="right", bold=True)
    canvas.saveState()
    canvas.setLineWidth(1.2)
    canvas.line(left, height - _MARGIN_TOP + 6 * mm, right, height - _MARGIN_TOP + 6 * mm)
    canvas.setLineWidth(0.5)
    canvas.line(left, _MARGIN_BOTTOM - 5 * mm, right, _MARGIN_BOTTOM - 5 * mm)
    canvas.restoreState()
    footer_y = _MARGIN_BOTTOM - 10 * mm
    draw_text(canvas, f"{data.credit_note_number} · {data.rma}", left, footer_y, 8)
    draw_text(canvas, text("credit.page", lang, n=number, m=count), right, footer_y, 8, align="right")


def _styles(font: str, lang: Lang) -> dict[str, ParagraphStyle]:
    wrap = "CJK" if lang == "zh_CN" else None
    base = ParagraphStyle("base", fontName=font, fontSize=9, leading=12, wordWrap=wrap)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5),
        "caption": ParagraphStyle(
            "caption", parent=base, fontSize=7.5, leading=10, textColor=colors.HexColor("#444444")
        ),
        "name": ParagraphStyle("name", parent=base, fontSize=10.5, leading=14),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "num": ParagraphStyle("num", parent=base, fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=base, fontSize=8, leading=10, textColor=colors.white),
        "head_num": ParagraphStyle(
            "head_num", parent=base, fontSize=8, leading=10, textColor=colors.white, alignment=TA_RIGHT
        ),
    }


def _p(value: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(value).replace("\n", "<br/>"), style)


def _amount(minor: int) -> str:
    return f"{to_major(minor):,.2f}"


def _rate(rate: Decimal) -> str:
    percent = (rate * 100).quantize(Decimal("0.01")).normalize()
    return f"{percent:f}%"


def _story(data: CreditNoteData, font: str, width: float) -> list[Any]:
    lang = data.lang
    st = _styles(font, lang)
    story: list[Any] = []

    # Parties and references side by side.
    seller = [_p(data.company_name, st["name"])] + [_p(line, st["base"]) for line in data.company_address]
    if data.company_tax_id:
        seller.append(_p(field("credit.tax_id", lang, data.company_tax_id), st["base"]))
    customer = [_p(text("credit.customer", lang), st["caption"]), _p(data.customer_name, st["name"])]
    customer += [_p(line, st["base"]) for line in data.customer_address]
    refs = [
        (text("credit.number", lang), data.credit_note_number),
        (text("date", lang), day(data.issued_on)),
        (text("rma", lang), data.rma),
        (text("order", lang), data.order_number),
    ]
    if data.refund_method is not None:
        refs.append((text("credit.method", lang), refund_method_text(data.refund_method, lang)))
    ref_table = Table(
        [[_p(k, st["caption"]), _p(v, st["base"])] for k, v in refs],
        colWidths=[30 * mm, 40 * mm],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ]
        ),
    )
    # The RMA barcode lets whoever files the note open the return with a scan.
    parties = Table(
        [[seller, ref_table], [customer, [Spacer(1, 3 * mm), _Barcode(data.rma, 70 * mm)]]],
        colWidths=[width - 72 * mm, 72 * mm],
        style=TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 1), (-1, 1), 6 * mm),
        ]),
    )
    story += [parties, Spacer(1, 8 * mm)]

    # The lines.
    head = [text(k, lang) for k in ("credit.no", "sku", "credit.description", "credit.qty", "credit.net",
                                    "credit.tax_rate", "credit.tax", "credit.gross")]
    rows: list[list[Any]] = [[
        _p(h, st["head_num"] if i >= 3 else st["head"]) for i, h in enumerate(head)
    ]]
    for index, line in enumerate(data.lines, start=1):
        rows.append([
            _p(str(index), st["cell"]),
            _p(line.sku, st["cell"]),
            _p(line.description, st["cell"]),
            _p(str(line.quantity), st["num"]),
            _p(_amount(line.net), st["num"]),
            _p(_rate(line.tax_rate), st["num"]),
            _p(_amount(line.tax), st["num"]),
            _p(_amount(line.gross), st["num"]),
        ])
    fixed = [9 * mm, 27 * mm, 0, 12 * mm, 24 * mm, 16 * mm, 21 * mm, 24 * mm]
    fixed[2] = width - sum(fixed)
    lines_table = Table(rows, colWidths=fixed, repeatRows=1)
    lines_table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#333333")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#999999")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f2f2")]),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    story += [lines_table, Spacer(1, 5 * mm)]

    # Totals, right-aligned under the amount columns.
    totals = [
        (text("credit.net_total", lang), money(data.net_total, data.currency), st["num"]),
        (text("credit.tax_total", lang), money(data.tax_total, data.currency), st["num"]),
        (text("credit.gross_total", lang), money(data.gross_total, data.currency),
         ParagraphStyle("total", parent=st["num"], fontSize=11, leading=14)),
    ]
    totals_table = Table(
        [[_p(k, style), _p(v, style)] for k, v, style in totals],
        colWidths=[45 * mm, 35 * mm],
        hAlign="RIGHT",
        style=TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("LINEABOVE", (0, 2), (-1, 2), 1.0, colors.black),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]),
    )
    story += [totals_table, Spacer(1, 8 * mm)]
    story.append(_p(text("credit.reference", lang, rma=data.rma, order=data.order_number,
                         currency=data.currency), st["small"]))
    return story
