"""The counter receipt on an 80 or 58 mm roll; the page is as long as its content.

The content is laid out first as a list of blocks with known heights, then the page is created
exactly that long and the blocks are drawn from the top, so a receipt with forty lines is one
long strip rather than several pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .barcodes import DOT_203, code128, draw_symbol, fit_x_dimension
from .data import ReceiptData, ReceiptLine
from .fonts import text_width
from .layout import draw_reprint_mark, draw_text, moment, money, render, rule, wrap
from .pages import receipt_printable_width
from .strings import refund_method_text, reprint_text, text
from returndesk.domain.messages import msg

RMA_X_PREFERRED = 3 * DOT_203  # 0.375 mm
RMA_X_MINIMUM = 0.25 * mm
RMA_BAR_HEIGHT = 12 * mm

_TOP = 4 * mm
# Room below the last line so that the cutter does not run through the text.
_BOTTOM = 10 * mm


@dataclass
class _Block:
    height: float
    draw: Callable[[Canvas, float], None]  # receives the y of the block's top edge


class _Flow:
    """Blocks stacked top to bottom within the printable band ``left``..``left + width``."""

    def __init__(self, left: float, width: float, small: bool) -> None:
        self.left = left
        self.width = width
        self.right = left + width
        self.centre = left + width / 2
        # A 58 mm roll gets slightly smaller type so that amounts stay on one line.
        self.base = 7.5 if small else 8.5
        self.blocks: list[_Block] = []

    @property
    def height(self) -> float:
        return sum(block.height for block in self.blocks)

    def add(self, height: float, draw: Callable[[Canvas, float], None]) -> None:
        self.blocks.append(_Block(height, draw))

    def space(self, height: float) -> None:
        self.add(height, lambda canvas, top: None)

    def text(self, line: str, size: float, *, align: str = "left", bold: bool = False) -> None:
        """Wrapped text, one block per printed line."""
        leading = size * 1.3
        for piece in wrap(line, size, self.width):
            x = {"left": self.left, "center": self.centre, "right": self.right}[align]
            self.add(
                leading,
                lambda canvas, top, piece=piece, x=x: draw_text(
                    canvas, piece, x, top - size * 1.05, size, align=align, bold=bold  # type: ignore[arg-type]
                ),
            )

    def pair(self, label: str, value: str, size: float | None = None, *, bold: bool = False) -> None:
        """``label`` on the left, ``value`` on the right; a long value moves under the label."""
        size = size or self.base
        leading = size * 1.35
        gap = size
        if text_width(label, size) + gap + text_width(value, size) <= self.width:
            self.add(
                leading,
                lambda canvas, top: (
                    draw_text(canvas, label, self.left, top - size * 1.05, size, bold=bold),
                    draw_text(canvas, value, self.right, top - size * 1.05, size, align="right", bold=bold),
                ),
            )
            return
        self.text(label, size, bold=bold)
        for piece in wrap(value, size, self.width - size):
            self.add(
                leading,
                lambda canvas, top, piece=piece: draw_text(
                    canvas, piece, self.right, top - size * 1.05, size, align="right", bold=bold
                ),
            )

    def rule(self, *, dash: bool = True, width: float = 0.6) -> None:
        self.add(6, lambda canvas, top: rule(canvas, self.left, self.right, top - 3, width=width, dash=dash))


def render_receipt(data: ReceiptData, width_mm: int = 80) -> bytes:
    """The counter receipt for ``data`` as a one-page PDF ``width_mm`` (80 or 58) wide."""
    printable = receipt_printable_width(width_mm)
    page_width = width_mm * mm
    flow = _Flow((page_width - printable) / 2, printable, small=width_mm < 80)
    _compose(flow, data)
    page_height = _TOP + flow.height + _BOTTOM

    def draw(canvas: Canvas) -> None:
        top = page_height - _TOP
        for block in flow.blocks:
            block.draw(canvas, top)
            top -= block.height

    return render((page_width, page_height), f"{text('receipt.title', data.lang)} {data.rma}", draw)


def _compose(flow: _Flow, data: ReceiptData) -> None:
    lang = data.lang
    base = flow.base
    cur = data.currency

    flow.text(data.store_name, base + 3.5, align="center", bold=True)
    for line in data.store_address:
        flow.text(line, base - 1, align="center")
    flow.space(4)
    flow.text(text("receipt.title", lang), base + 4, align="center", bold=True)
    mark = reprint_text(data.reprint, lang)
    if mark:
        size = base + 2
        flow.space(2)
        flow.add(
            size * 1.6 + 4, lambda canvas, top: draw_reprint_mark(canvas, mark, flow.centre, top, size, align="center")
        )
    flow.rule()

    flow.pair(text("rma", lang), data.rma, bold=True)
    flow.pair(text("receipt.time", lang), moment(data.issued_at))
    flow.pair(text("order", lang), data.order_number)
    flow.pair(text("customer", lang), data.customer_name)
    flow.pair(text("receipt.clerk", lang), data.clerk)
    flow.rule()

    for line in data.lines:
        _compose_line(flow, line, lang, cur)
    flow.rule()

    flow.pair(text("receipt.subtotal", lang), money(data.subtotal, cur))
    if data.deductions:
        flow.pair(text("receipt.deductions", lang), money(-data.deductions, cur))
    if data.shipping_refund:
        flow.pair(text("receipt.shipping", lang), money(data.shipping_refund, cur))
    flow.rule(dash=False, width=1.2)
    flow.pair(text("receipt.total", lang), money(data.total, cur), base + 3, bold=True)
    flow.pair(text("receipt.method", lang), refund_method_text(data.refund_method, lang))
    flow.rule()

    symbol = code128(data.rma)
    x_dim = fit_x_dimension(symbol, flow.width, RMA_X_PREFERRED, RMA_X_MINIMUM, what=msg("RMA barcode"), grid=DOT_203)
    bar_left = flow.centre - symbol.width(x_dim) / 2
    flow.space(3)
    flow.add(
        RMA_BAR_HEIGHT,
        lambda canvas, top: draw_symbol(
            canvas, symbol, bar_left, top - RMA_BAR_HEIGHT, x_dim, RMA_BAR_HEIGHT, grid=DOT_203
        ),
    )
    flow.text(data.rma, base + 1, align="center")

    if data.policy_text.strip():
        flow.rule()
        flow.text(text("receipt.policy", lang), base - 0.5, bold=True)
        flow.text(data.policy_text, base - 1.5)
    if data.signature_line:
        flow.space(12 * mm)
        flow.rule(dash=False, width=0.8)
        flow.text(text("receipt.signature", lang), base - 1)
    flow.space(3)
    flow.text(text("receipt.keep", lang), base - 1.5, align="center")


def _compose_line(flow: _Flow, line: ReceiptLine, lang: str, cur: str) -> None:
    base = flow.base
    flow.text(line.name, base, bold=True)
    detail = f"{line.quantity} × {money(line.unit_amount, cur)}"
    amount = money(line.gross, cur)
    combined = f"{line.sku}  {detail}"
    if text_width(combined, base) + base + text_width(amount, base) <= flow.width:
        flow.pair(combined, amount)
    else:
        flow.text(line.sku, base)
        flow.pair("  " + detail, amount)
    if line.deductions:
        flow.pair("  " + text("receipt.deduction", lang), money(-line.deductions, cur))  # type: ignore[arg-type]
        flow.pair("  " + text("receipt.line_refund", lang), money(line.refund_amount, cur))  # type: ignore[arg-type]
