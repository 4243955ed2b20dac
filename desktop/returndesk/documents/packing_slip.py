"""The packing slip on A4 that goes into the parcel of an exchange's replacement goods.

The replacement order's number as text and as a Code 128 barcode (the warehouse scans it when the
parcel leaves), the addresses, the return it replaces, the lines to pack and places to sign for
packing and checking. Lines that do not fit one page continue on the next, the header repeated.
"""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .barcodes import code128, draw_symbol, fit_x_dimension
from .data import PackingSlipData
from .fonts import RENDER_LOCK, register_fonts
from .layout import day, draw_reprint_mark, draw_text
from .pages import A4_SIZE
from .strings import reprint_text, text
from returndesk.domain.messages import msg

_MARGIN = 18 * mm
_BAR_HEIGHT = 12 * mm
_X_PREFERRED = 0.4 * mm
_X_MINIMUM = 0.25 * mm
_ROW = 7 * mm
_BOTTOM = 40 * mm


def render_packing_slip(data: PackingSlipData) -> bytes:
    """The packing slip for ``data`` as an A4 PDF."""
    register_fonts()
    buffer = io.BytesIO()
    with RENDER_LOCK:
        canvas = Canvas(buffer, pagesize=A4_SIZE, invariant=1)
        canvas.setTitle(f"{text('slip.title', data.lang)} {data.order_number}")
        canvas.setAuthor("ReturnDesk")
        canvas.setCreator("ReturnDesk")
        lines = list(data.lines)
        first = True
        while first or lines:
            y = _header(canvas, data, full=first)
            y = _table_head(canvas, data, y)
            while lines and y - _ROW > _BOTTOM:
                line = lines.pop(0)
                y -= _ROW
                _row(canvas, data, line.sku, line.description, line.quantity, y)
            if not lines:
                _footer(canvas, data, y)
            canvas.showPage()
            first = False
        canvas.save()
    return buffer.getvalue()


def _header(canvas: Canvas, data: PackingSlipData, *, full: bool) -> float:
    width, height = A4_SIZE
    lang = data.lang
    left, right = _MARGIN, width - _MARGIN
    top = height - _MARGIN
    draw_text(canvas, text("slip.title", lang), left, top - 8 * mm, 22, bold=True)
    draw_reprint_mark(canvas, reprint_text(data.reprint, lang), right, height - 9 * mm, 11)
    draw_text(canvas, f"{text('slip.number', lang)} {data.order_number}", right, top - 8 * mm, 11,
              align="right", bold=True)
    symbol = code128(data.order_number)
    x_dim = fit_x_dimension(symbol, 80 * mm, _X_PREFERRED, _X_MINIMUM, what=msg("replacement order barcode"))
    draw_symbol(canvas, symbol, right - symbol.width(x_dim), top - 24 * mm, x_dim, _BAR_HEIGHT)
    y = top - 16 * mm
    draw_text(canvas, f"{text('date', lang)}: {day(data.issued_on)}", left, y, 10)
    y -= 5.5 * mm
    draw_text(canvas, f"{text('slip.exchange_for', lang)}: {data.rma}", left, y, 10)
    y -= 5.5 * mm
    draw_text(canvas, f"{text('order', lang)}: {data.sales_order}", left, y, 10)
    y -= 10 * mm
    if not full:
        return y
    column = (right - left) / 2
    draw_text(canvas, text("slip.ship_to", lang), left, y, 9, bold=True)
    draw_text(canvas, text("slip.from", lang), left + column, y, 9, bold=True)
    to_lines = [data.customer_name, *data.customer_address, data.customer_phone]
    from_lines = [data.company_name, *data.company_address]
    for i in range(max(len(to_lines), len(from_lines))):
        y -= 6 * mm
        if i < len(to_lines) and to_lines[i]:
            draw_text(canvas, to_lines[i], left, y, 13 if i == 0 else 11, bold=i == 0,
                      max_width=column - 6 * mm, min_size=8)
        if i < len(from_lines) and from_lines[i]:
            draw_text(canvas, from_lines[i], left + column, y, 10, max_width=column, min_size=7)
    return y - 10 * mm


def _table_head(canvas: Canvas, data: PackingSlipData, y: float) -> float:
    width, _height = A4_SIZE
    left, right = _MARGIN, width - _MARGIN
    canvas.saveState()
    canvas.setFillGray(0.15)
    canvas.rect(left, y - 2 * mm, right - left, 7 * mm, stroke=0, fill=1)
    canvas.restoreState()
    canvas.saveState()
    canvas.setFillGray(1)
    draw_text(canvas, text("sku", data.lang), left + 2 * mm, y, 9)
    draw_text(canvas, text("slip.description", data.lang), left + 40 * mm, y, 9)
    draw_text(canvas, text("slip.qty", data.lang), right - 2 * mm, y, 9, align="right")
    canvas.restoreState()
    return y - 2 * mm


def _row(canvas: Canvas, data: PackingSlipData, sku: str, description: str, quantity: int, y: float) -> None:
    width, _height = A4_SIZE
    left, right = _MARGIN, width - _MARGIN
    draw_text(canvas, sku, left + 2 * mm, y + 2 * mm, 10, max_width=36 * mm, min_size=7)
    draw_text(canvas, description, left + 40 * mm, y + 2 * mm, 10, max_width=right - left - 60 * mm, min_size=7)
    draw_text(canvas, str(quantity), right - 2 * mm, y + 2 * mm, 12, align="right", bold=True)
    canvas.saveState()
    canvas.setLineWidth(0.3)
    canvas.setStrokeGray(0.6)
    canvas.line(left, y, right, y)
    canvas.restoreState()


def _footer(canvas: Canvas, data: PackingSlipData, y: float) -> None:
    width, _height = A4_SIZE
    left, right = _MARGIN, width - _MARGIN
    y -= 10 * mm
    draw_text(canvas, text("slip.note", data.lang, rma=data.rma), left, y, 10, max_width=right - left, min_size=7)
    y -= 16 * mm
    half = (right - left) / 2
    for x, key in ((left, "slip.packed_by"), (left + half, "slip.checked_by")):
        draw_text(canvas, f"{text(key, data.lang)}:", x, y, 10)
        canvas.line(x + 24 * mm, y - 1 * mm, x + half - 8 * mm, y - 1 * mm)
