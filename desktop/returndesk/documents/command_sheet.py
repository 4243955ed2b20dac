"""The command sheet (A4): every station command as a Code 128 barcode, to laminate and keep at the
inspection station. The commands, their payloads and their labels come from ``domain.scan``.

Commands are grouped (grades, dispositions, other actions) in two columns; the gap between the
columns keeps a scanner's aiming line on one barcode at a time. More commands than fit on a page
flow onto the next one.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from returndesk.domain.scan import COMMAND_SPECS, COMMANDS, command_label

from .barcodes import code128, draw_symbol, fit_x_dimension
from .data import Lang, check_lang
from .layout import draw_lines, draw_text, fit_size, render, wrap
from .pages import A4_SIZE
from .strings import text
from returndesk.domain.messages import msg

COMMAND_X_PREFERRED = 0.4 * mm
COMMAND_X_MINIMUM = 0.25 * mm
COMMAND_BAR_HEIGHT = 12 * mm

_MARGIN = 10 * mm
_COLUMNS = 3
_COLUMN_GAP = 6 * mm
_CELL_HEIGHT = 27 * mm
_CELL_GAP = 2 * mm
_HEADING_HEIGHT = 8 * mm
_HEADER_HEIGHT = 16 * mm
_FOOTER_HEIGHT = 8 * mm
_LABEL_SIZE = 10.5


def command_groups() -> list[tuple[str, list[str]]]:
    """The commands in sheet order, grouped: (caption key, command names)."""
    grades = [name for name, spec in COMMAND_SPECS.items() if spec.grade is not None]
    dispositions = [name for name, spec in COMMAND_SPECS.items() if spec.disposition is not None]
    checks = [name for name, spec in COMMAND_SPECS.items() if spec.check is not None]
    actions = [name for name in COMMANDS if name not in grades and name not in dispositions and name not in checks]
    groups = [("commands.grades", grades), ("commands.dispositions", dispositions), ("commands.actions", actions),
              ("commands.checks", checks)]
    return [(key, names) for key, names in groups if names]


@dataclass(frozen=True)
class _Heading:
    caption: str
    top: float


@dataclass(frozen=True)
class _Cell:
    name: str
    left: float
    top: float


def render_command_sheet(lang: Lang = "en") -> bytes:
    """The command sheet in ``lang`` as an A4 PDF."""
    check_lang(lang)
    pages = _paginate(lang)
    return render(A4_SIZE, text("commands.title", lang), lambda canvas: _draw(canvas, pages, lang))


def _paginate(lang: Lang) -> list[list[_Heading | _Cell]]:
    width, height = A4_SIZE
    column_width = (width - 2 * _MARGIN - (_COLUMNS - 1) * _COLUMN_GAP) / _COLUMNS
    body_top = height - _MARGIN - _HEADER_HEIGHT
    body_bottom = _MARGIN + _FOOTER_HEIGHT
    pages: list[list[_Heading | _Cell]] = [[]]
    y = body_top
    for key, names in command_groups():
        rows = [names[i : i + _COLUMNS] for i in range(0, len(names), _COLUMNS)]
        for row_index, row in enumerate(rows):
            need = _CELL_HEIGHT + (_HEADING_HEIGHT if row_index == 0 else 0)
            if y - need < body_bottom:
                pages.append([])
                y = body_top
            if row_index == 0 or not any(isinstance(item, _Heading) for item in pages[-1]):
                # A group continued on a new page repeats its heading.
                pages[-1].append(_Heading(text(key, lang), y))
                y -= _HEADING_HEIGHT
            for column, name in enumerate(row):
                left = _MARGIN + column * (column_width + _COLUMN_GAP)
                pages[-1].append(_Cell(name, left, y))
            y -= _CELL_HEIGHT
    return pages


def _draw(canvas: Canvas, pages: list[list[_Heading | _Cell]], lang: Lang) -> None:
    width, height = A4_SIZE
    column_width = (width - 2 * _MARGIN - (_COLUMNS - 1) * _COLUMN_GAP) / _COLUMNS
    for number, items in enumerate(pages, start=1):
        top = height - _MARGIN
        draw_text(canvas, text("commands.title", lang), _MARGIN, top - 18, 18, bold=True)
        draw_lines(canvas, wrap(text("commands.subtitle", lang), 9, width - 2 * _MARGIN), _MARGIN, top - 24, 9)
        if len(pages) > 1:
            draw_text(canvas, text("commands.page", lang, n=number, m=len(pages)), width - _MARGIN,
                      _MARGIN, 8, align="right")
        for item in items:
            if isinstance(item, _Heading):
                draw_text(canvas, item.caption, _MARGIN, item.top - _HEADING_HEIGHT + 2.2 * mm, 12, bold=True)
                canvas.saveState()
                canvas.setLineWidth(0.8)
                canvas.line(_MARGIN, item.top - _HEADING_HEIGHT + 1.2 * mm, width - _MARGIN,
                            item.top - _HEADING_HEIGHT + 1.2 * mm)
                canvas.restoreState()
            else:
                _draw_cell(canvas, item, column_width, lang)
        canvas.showPage()


def _draw_cell(canvas: Canvas, cell: _Cell, column_width: float, lang: Lang) -> None:
    payload = COMMANDS[cell.name]
    symbol = code128(payload)
    centre = cell.left + column_width / 2
    x_dim = fit_x_dimension(symbol, column_width, COMMAND_X_PREFERRED, COMMAND_X_MINIMUM, what=msg("command barcode"))

    label = command_label(cell.name, "zh" if lang == "zh_CN" else "en")
    size = fit_size(label, column_width - 4 * mm, _LABEL_SIZE, 8)
    label_base = cell.top - 2 * mm - size
    draw_text(canvas, label, centre, label_base, size, align="center", bold=True,
              max_width=column_width - 4 * mm, min_size=size)

    bars_y = label_base - 2.5 * mm - COMMAND_BAR_HEIGHT
    draw_symbol(canvas, symbol, centre - symbol.width(x_dim) / 2, bars_y, x_dim, COMMAND_BAR_HEIGHT)
    draw_text(canvas, payload, centre, bars_y - 8, 7.5, align="center")

    canvas.saveState()
    canvas.setStrokeColorRGB(0.6, 0.6, 0.6)
    canvas.setLineWidth(0.4)
    canvas.setDash(1.5, 2)
    bottom = cell.top - _CELL_HEIGHT + _CELL_GAP
    canvas.rect(cell.left, bottom, column_width, cell.top - bottom, stroke=1, fill=0)
    canvas.restoreState()
