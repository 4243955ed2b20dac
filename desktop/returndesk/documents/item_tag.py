"""The item tag: a 62x29 mm label stuck on an inspected unit for put-away.

From top to bottom: the disposition (where the unit goes) and the grade in a box, the product
name, then the RMA and the SKU each as a Code 128 barcode with its text underneath.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .barcodes import DOT_203, LinearSymbol, code128, draw_symbol, fit_x_dimension
from .data import ItemTagData
from .fonts import text_width
from .layout import draw_reprint_mark, draw_text, render
from .pages import ITEM_TAG_SIZE
from .strings import disposition_text, reprint_text, text
from returndesk.domain.messages import msg

#: Two dots of a 203 dpi head (0.25 mm), and no less: one and a half dots would print as an
#: uneven mix of 1- and 2-dot bars. A SKU longer than the tag allows at that width is refused.
TAG_X_PREFERRED = 2 * DOT_203
TAG_X_MINIMUM = 2 * DOT_203
TAG_BAR_HEIGHT = 5.0 * mm

_MARGIN = 1.5 * mm
_GRADE_BOX = 9.5 * mm


def render_item_tag(data: ItemTagData) -> bytes:
    """The item tag for one unit as a one-page 62x29 mm PDF."""
    title = f"{data.rma} {data.sku} #{data.unit_number}"
    return render(ITEM_TAG_SIZE, title, lambda canvas: _draw(canvas, data))


def _unit_text(data: ItemTagData) -> str:
    if data.unit_count is None:
        return text("tag.unit", data.lang, n=data.unit_number)
    return text("tag.unit_of", data.lang, n=data.unit_number, m=data.unit_count)


def _draw(canvas: Canvas, data: ItemTagData) -> None:
    width, height = ITEM_TAG_SIZE
    lang = data.lang
    left, right = _MARGIN, width - _MARGIN
    inner = right - left
    top = height - _MARGIN

    # Grade box, top right.
    box_left = right - _GRADE_BOX
    canvas.saveState()
    canvas.setLineWidth(1.2)
    canvas.rect(box_left, top - _GRADE_BOX, _GRADE_BOX, _GRADE_BOX, stroke=1, fill=0)
    canvas.restoreState()
    draw_text(canvas, text("tag.grade", lang), box_left + _GRADE_BOX / 2, top - 6.2, 5, align="center")
    draw_text(canvas, str(data.grade), box_left + _GRADE_BOX / 2, top - _GRADE_BOX + 3.2, 17,
              align="center", bold=True)

    beside = box_left - left - 2
    mark = reprint_text(data.reprint, lang)
    mark_width = 0.0
    if mark:
        mark_width = text_width(mark, 6) + 6 * 0.7 + 2
        draw_reprint_mark(canvas, mark, box_left - 2, top, 6)
    draw_text(canvas, disposition_text(data.disposition, lang).upper(), left, top - 9, 10, bold=True,
              max_width=beside - mark_width, min_size=7)
    draw_text(canvas, data.product_name, left, top - 17, 6.5, max_width=beside, min_size=5.5)

    # Two barcodes, each with its text underneath; the text also keeps them apart for the aimer.
    # The RMA barcode (fixed length) sits beside the grade box, the SKU one may use the full width.
    y = top - 22.5
    rma = code128(data.rma)
    sku = code128(data.sku)
    x_rma = fit_x_dimension(rma, box_left - 2, TAG_X_PREFERRED, TAG_X_MINIMUM, what=msg("RMA barcode"), grid=DOT_203)
    x_sku = fit_x_dimension(sku, width, TAG_X_PREFERRED, TAG_X_MINIMUM, what=msg("SKU barcode"), grid=DOT_203)

    y -= TAG_BAR_HEIGHT
    draw_symbol(canvas, rma, _bar_x(rma, x_rma, left, box_left - 2), y, x_rma, TAG_BAR_HEIGHT, grid=DOT_203)
    y -= 7
    draw_text(canvas, f"{text('rma', lang)} {data.rma}", left, y, 6.5, max_width=inner * 0.62, min_size=5.5)
    draw_text(canvas, _unit_text(data), right, y, 6.5, align="right", bold=True, max_width=inner * 0.36,
              min_size=5)
    y -= 4.5 + TAG_BAR_HEIGHT
    draw_symbol(canvas, sku, _bar_x(sku, x_sku, left, width), y, x_sku, TAG_BAR_HEIGHT, grid=DOT_203)
    y -= 7.5
    draw_text(canvas, data.sku, left, y, 7.5, bold=True, max_width=inner, min_size=5.5)


def _bar_x(symbol: LinearSymbol, x_dim: float, left: float, page_width: float) -> float:
    """Left edge of the quiet zone: bars aligned with the text margin where the quiet zone still
    lies on the label, else as far left as the quiet zone allows, else centred."""
    start = max(0.0, left - symbol.quiet_left * x_dim)
    if start + symbol.width(x_dim) <= page_width:
        return start
    return (page_width - symbol.width(x_dim)) / 2
