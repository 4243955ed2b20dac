"""The return label: 4x6 in or 100x150 mm, stuck on the parcel the customer sends back.

The receiving dock scans it at arm's length, so the RMA barcode is big: X-dimension 0.5 mm where
it fits (never below 0.38 mm) and bars 26 mm tall.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .barcodes import DOT_203, code128, draw_symbol, fit_x_dimension
from .data import ReturnLabelData
from .layout import day, draw_lines, draw_reprint_mark, draw_text, fit_size, render, rule, wrap
from .pages import return_label_size
from .strings import field, reprint_text, text
from returndesk.domain.messages import msg

#: Bar width of the RMA barcode: preferred and smallest acceptable.
RMA_X_PREFERRED = 4 * DOT_203  # 0.50 mm
RMA_X_MINIMUM = 0.38 * mm
RMA_BAR_HEIGHT = 26 * mm

_MARGIN = 4 * mm


def render_return_label(data: ReturnLabelData, size: str = "4x6") -> bytes:
    """The return label for ``data`` as a one-page PDF of ``size`` ("4x6" or "100x150")."""
    pagesize = return_label_size(size)
    title = f"{text('label.title', data.lang)} {data.rma}"
    return render(pagesize, title, lambda canvas: _draw(canvas, data, pagesize))


def _draw(canvas: Canvas, data: ReturnLabelData, pagesize: tuple[float, float]) -> None:
    width, height = pagesize
    lang = data.lang
    left, right = _MARGIN, width - _MARGIN
    inner = right - left
    top = height - _MARGIN

    # Header: sender, big title, reprint mark.
    draw_text(canvas, data.company_name, left, top - 10, 10, max_width=inner, min_size=7)
    title_base = top - 14 - 28
    draw_text(canvas, text("label.title", lang), left, title_base, 30, bold=True)
    draw_reprint_mark(canvas, reprint_text(data.reprint, lang), right, top - 16, 14)
    y = title_base - 9
    rule(canvas, left, right, y, width=2.0)

    # Bottom up: instructions, items and date, then the barcode block.
    instructions = wrap(text("label.instructions", lang), 8.5, inner)
    bottom = _MARGIN
    draw_lines(canvas, instructions, left, bottom + len(instructions) * 10.5, 8.5, leading=10.5)
    facts_base = bottom + len(instructions) * 10.5 + 10
    rule(canvas, left, right, facts_base + 17, width=1.0)
    # The item count is short; the date takes whatever width it leaves, and both shrink together.
    items = field("label.items", lang, data.item_count)
    issued = field("label.date", lang, day(data.created_on))
    facts_size = fit_size(f"{items}    {issued}", inner, 13, 7)
    draw_text(canvas, items, left, facts_base, facts_size, bold=True)
    draw_text(canvas, issued, right, facts_base, facts_size, align="right", bold=True)

    symbol = code128(data.rma)
    x_dim = fit_x_dimension(symbol, width - 2 * mm, RMA_X_PREFERRED, RMA_X_MINIMUM, what=msg("RMA barcode"),
                            grid=DOT_203)
    rma_text_base = facts_base + 17 + 10
    draw_text(canvas, data.rma, width / 2, rma_text_base, 24, align="center", bold=True)
    bars_y = rma_text_base + 24 + 2
    draw_symbol(canvas, symbol, (width - symbol.width(x_dim)) / 2, bars_y, x_dim, RMA_BAR_HEIGHT, grid=DOT_203)
    caption_base = bars_y + RMA_BAR_HEIGHT + 5
    draw_text(canvas, text("rma", lang), width / 2, caption_base, 9, align="center")
    block_top = caption_base + 9 + 6
    rule(canvas, left, right, block_top, width=1.0)

    # What remains between the header and the barcode block: addressee and sender.
    y -= 4
    y = _caption_and_lines(canvas, text("label.return_to", lang), list(data.return_to), left, y, inner,
                           available=(y - block_top) * 0.72, size=15, first_bold=True)
    y -= 4
    rule(canvas, left, right, y, width=0.8)
    y -= 4
    _caption_and_lines(canvas, text("label.from", lang), [data.customer_name], left, y, inner,
                       available=y - block_top - 4, size=12, first_bold=False)


def _caption_and_lines(
    canvas: Canvas,
    caption: str,
    lines: list[str],
    left: float,
    top: float,
    width: float,
    *,
    available: float,
    size: float,
    first_bold: bool,
) -> float:
    """A small caption over wrapped lines, shrunk until it fits ``available`` height."""
    caption_size = 8.0
    while True:
        wrapped: list[tuple[str, bool]] = []
        for index, line in enumerate(lines):
            for piece in wrap(line, size, width):
                wrapped.append((piece, first_bold and index == 0))
        leading = size * 1.22
        needed = caption_size + 4 + leading * len(wrapped)
        if needed <= available or size <= 7:
            break
        size -= 0.5
    draw_text(canvas, caption, left, top - caption_size, caption_size)
    y = top - caption_size - 3
    for piece, bold in wrapped:
        y = draw_lines(canvas, [piece], left, y, size, leading=leading, bold=bold)
    return y
