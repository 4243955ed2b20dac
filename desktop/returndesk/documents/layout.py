"""Drawing helpers shared by the documents: canvas set-up, fitted and wrapped text, reprint marks.

Every string goes through the bundled WQY font, so Latin and Chinese mix freely. Text never runs
off its box: it is shrunk down to a minimum size, then wrapped or shortened with an ellipsis.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Literal

from reportlab.pdfgen.canvas import Canvas

from returndesk.domain.money import format_money

from .fonts import RENDER_LOCK, register_fonts, text_width

Align = Literal["left", "center", "right"]

# Ideographs, kana, hangul and full-width forms can break anywhere; Latin words only at spaces.
_CJK = ("\u2e80-\u2fff\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
        "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef")
_TOKEN = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+|\s+")
# Chinese line-breaking rule: these never start a line.
_NO_LINE_START = set("，。、；：？！）》」』】〕”’…%,.;:?!)]}")

ELLIPSIS = "…"


def new_canvas(buffer: io.BytesIO, pagesize: tuple[float, float], title: str) -> Canvas:
    """A canvas for one document: bundled font registered, reproducible output, metadata set."""
    font = register_fonts()
    # invariant=1 fixes the creation date and document id, so the same data gives the same bytes.
    # The initial font is ours too: reportlab's default would put an unembedded Helvetica in
    # every page's resources.
    canvas = Canvas(buffer, pagesize=pagesize, invariant=1, pageCompression=1, initialFontName=font)
    canvas.setTitle(title)
    canvas.setAuthor("ReturnDesk")
    canvas.setCreator("ReturnDesk")
    return canvas


def render(pagesize: tuple[float, float], title: str, draw: Callable[[Canvas], None]) -> bytes:
    """Run ``draw`` on a fresh canvas and return the finished PDF."""
    with RENDER_LOCK:
        buffer = io.BytesIO()
        canvas = new_canvas(buffer, pagesize, title)
        draw(canvas)
        canvas.save()
        return buffer.getvalue()


def money(minor: int, currency: str) -> str:
    """An amount as printed: ``¥1,234.50``."""
    return format_money(minor, currency)


def day(value: date) -> str:
    """A date as printed on every document (ISO 8601, read the same way in both languages)."""
    return value.strftime("%Y-%m-%d")


def moment(value: datetime) -> str:
    """A date and time to the minute."""
    return value.strftime("%Y-%m-%d %H:%M")


def fit_size(text: str, width: float, size: float, min_size: float) -> float:
    """The largest size up to ``size`` (but not below ``min_size``) at which ``text`` fits ``width``."""
    natural = text_width(text, size)
    if natural <= width or natural == 0:
        return size
    return max(min_size, size * width / natural)


def ellipsize(text: str, size: float, width: float) -> str:
    """``text`` cut short with an ellipsis so that it fits ``width`` at ``size``."""
    if text_width(text, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip() + ELLIPSIS, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS


def wrap(text: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` at ``size``.

    Latin words break at spaces (a word longer than the line is split), Chinese between any two
    characters except before closing punctuation. Explicit newlines are kept.
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(_wrap_paragraph(paragraph, size, width))
    return lines


def _wrap_paragraph(paragraph: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for token in _TOKEN.findall(paragraph):
        if token.isspace():
            if current:
                current += " "
            continue
        candidate = current + token
        if text_width(candidate.rstrip(), size) <= width:
            current = candidate
            continue
        if token[0] in _NO_LINE_START and current and len(current.rstrip()) > 1:
            # Carry the last character over so that the punctuation does not start the line.
            head = current.rstrip()
            lines.append(head[:-1])
            current = head[-1] + token
            continue
        if current.strip():
            lines.append(current.rstrip())
        current = ""
        while text_width(token, size) > width and len(token) > 1:
            cut = len(token) - 1
            while cut > 1 and text_width(token[:cut], size) > width:
                cut -= 1
            lines.append(token[:cut])
            token = token[cut:]
        current = token
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def draw_text(
    canvas: Canvas,
    text: str,
    x: float,
    y: float,
    size: float,
    *,
    align: Align = "left",
    bold: bool = False,
    max_width: float | None = None,
    min_size: float | None = None,
) -> float:
    """Draw one line with its baseline at ``y``; return the size actually used.

    With ``max_width`` the text shrinks (down to ``min_size``) and is then cut with an ellipsis,
    so it never leaves its box. ``bold`` strokes the outline, since the font has no bold face.
    """
    if max_width is not None:
        size = fit_size(text, max_width, size, min_size if min_size is not None else size)
        text = ellipsize(text, size, max_width)
    width = text_width(text, size)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    font = register_fonts()
    canvas.saveState()
    obj = canvas.beginText(x, y)
    obj.setFont(font, size)
    if bold:
        canvas.setLineWidth(size * 0.045)
        canvas.setLineJoin(1)
        obj.setTextRenderMode(2)  # fill and stroke
    obj.textOut(text)
    canvas.drawText(obj)
    canvas.restoreState()
    return size


def draw_lines(
    canvas: Canvas,
    lines: list[str],
    x: float,
    top: float,
    size: float,
    *,
    leading: float | None = None,
    align: Align = "left",
    bold: bool = False,
) -> float:
    """Draw lines downwards from ``top`` (the top of the first line); return the y below the last."""
    leading = leading or size * 1.25
    y = top
    for line in lines:
        y -= leading
        draw_text(canvas, line, x, y + (leading - size) * 0.5 + size * 0.12, size, align=align, bold=bold)
    return y


def draw_reprint_mark(
    canvas: Canvas, text: str, x: float, top: float, size: float, *, align: Align = "right"
) -> float:
    """A black box with ``text`` in white (``REPRINT 2``), anchored at ``x``; returns its height.

    Reverse print is what catches the eye on a label full of black text.
    """
    if not text:
        return 0.0
    pad = size * 0.35
    width = text_width(text, size) + 2 * pad
    height = size * 1.2 + pad
    left = {"left": x, "center": x - width / 2, "right": x - width}[align]
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.rect(left, top - height, width, height, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setStrokeColorRGB(1, 1, 1)
    draw_text(canvas, text, left + pad, top - height + pad * 0.5 + size * 0.22, size, bold=True)
    canvas.restoreState()
    return height


def rule(canvas: Canvas, x1: float, x2: float, y: float, width: float = 0.6, dash: bool = False) -> None:
    """A horizontal line from ``x1`` to ``x2``."""
    canvas.saveState()
    canvas.setLineWidth(width)
    if dash:
        canvas.setDash(2, 2)
    canvas.line(x1, y, x2, y)
    canvas.restoreState()
