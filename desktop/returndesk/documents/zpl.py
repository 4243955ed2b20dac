"""The return label and the item tag as raw ZPL II for Zebra label printers.

The printer draws the barcodes itself (``^BC``, Code 128) at its own resolution, so the bars are
whole dots and crisp. Text that is printable ASCII goes in the printer's scalable font 0; any
other text (Chinese captions, names, addresses) is rendered with the bundled WQY font into a
1-bit bitmap and sent as ``^GFA``. That costs a few kilobytes per label but needs no CJK font
on the printer: most Zebra printers sold outside Asia have none, and downloading a 5 MB font
with every label is not an option.

Code 128 is sent in mode N with subset B throughout: the printer needs no invocation codes
beyond ``>:`` (start B), ``>`` in the data is escaped as ``><``, and the symbol width is exactly
``11 * len(data) + 35`` modules, so the fit is checked here before the printer would clip it.
"""

from __future__ import annotations

from typing import Literal

from returndesk.domain.errors import ValidationFailed

from .barcodes import CODE128_QUIET, BarcodeDoesNotFit
from .data import ItemTagData, Lang, ReturnLabelData
from .fonts import font_path, text_width
from .layout import day, fit_size, wrap
from .strings import disposition_text, field, reprint_text, text
from returndesk.domain.messages import msg

Dpi = Literal[203, 300]
Justify = Literal["L", "C", "R"]

#: Label sizes in mm (width, height) as the printer is told with ^PW / ^LL.
ZPL_RETURN_LABEL_SIZES: dict[str, tuple[float, float]] = {"4x6": (101.6, 152.4), "100x150": (100.0, 150.0)}
ZPL_ITEM_TAG_SIZE: tuple[float, float] = (62.0, 29.0)

# Font 0 (CG Triumvirate Bold Condensed) is narrow; 0.6 x height per character is a safe upper
# bound for its average advance, used to shrink ASCII text so that it stays on one line.
_FONT0_ADVANCE = 0.6


def code128_modules_subset_b(data: str) -> int:
    """Modules of a Code 128 symbol in subset B: start, data, check, stop (13)."""
    return 11 * (len(data) + 2) + 13


class ZplLabel:
    """A label under construction; coordinates are in mm from the top-left corner."""

    def __init__(self, width_mm: float, height_mm: float, dpi: Dpi) -> None:
        if dpi not in (203, 300):
            raise ValidationFailed(msg("Zebra printers print at 203 or 300 dpi, not {dpi}.", dpi=dpi))
        self.dpi = dpi
        self.width_mm = width_mm
        self.height_mm = height_mm
        self._fields: list[str] = []

    def dots(self, mm: float) -> int:
        """Millimetres to printer dots."""
        return round(mm * self.dpi / 25.4)

    def text(
        self,
        x: float,
        y: float,
        height: float,
        value: str,
        *,
        width: float,
        justify: Justify = "L",
        reverse: bool = False,
    ) -> None:
        """One line of text whose cell starts at (x, y), ``height`` mm tall, within ``width`` mm."""
        if not value:
            return
        if value.isascii() and value.isprintable():
            h = min(self.dots(height), int(self.dots(width) / (_FONT0_ADVANCE * len(value))))
            h = max(h, 10)
            block = self.dots(width)
            self._fields.append(
                f"^FO{self.dots(x)},{self.dots(y) + (self.dots(height) - h)}"
                f"{'^FR' if reverse else ''}^A0N,{h},{h}^FB{block},1,0,{justify},0^FH_^FD{_escape_text(value)}^FS"
            )
            return
        self._bitmap_text(x, y, height, value, width=width, justify=justify, reverse=reverse)

    def paragraph(self, x: float, y: float, height: float, value: str, *, width: float, leading: float) -> float:
        """Text wrapped onto as many lines as it needs; returns the y below the last line."""
        for line in self.wrap(value, height, width):
            self.text(x, y, height, line, width=width)
            y += leading
        return y

    def wrap(self, value: str, height: float, width: float) -> list[str]:
        """The lines ``value`` takes at ``height`` mm within ``width`` mm."""
        if value.isascii():
            # Font 0's widths are not known here; wrap by the conservative average advance.
            per_line = max(1, int(self.dots(width) / (_FONT0_ADVANCE * self.dots(height))))
            lines: list[str] = []
            current = ""
            for word in value.split():
                candidate = f"{current} {word}" if current else word
                if len(candidate) <= per_line or not current:
                    current = candidate
                else:
                    lines.append(current)
                    current = word
            return [*lines, current] if current else lines
        return wrap(value, float(self.dots(height)), float(self.dots(width)))

    def _bitmap_text(
        self, x: float, y: float, height: float, value: str, *, width: float, justify: Justify, reverse: bool
    ) -> None:
        from PIL import Image, ImageDraw, ImageFont

        box_w = self.dots(width)
        size = fit_size(value, box_w, float(self.dots(height)), float(self.dots(height)) * 0.6)
        line = value
        if text_width(line, size) > box_w:
            line = wrap(value, size, box_w)[0]
        font = ImageFont.truetype(font_path(), max(1, round(size)), index=0)
        ascent, descent = font.getmetrics()
        text_w = min(box_w, max(1, round(font.getlength(line))))
        img_w = (text_w + 7) // 8 * 8
        img_h = ascent + descent
        image = Image.new("L", (img_w, img_h), 0)
        ImageDraw.Draw(image).text((0, 0), line, font=font, fill=255)
        # Pillow's mode "1" packs 8 pixels per byte, leftmost in the high bit, 255 -> bit 1 = dot.
        bitmap = image.point(lambda v: 255 if v >= 128 else 0).convert("1")
        offset = {"L": 0, "C": (box_w - img_w) // 2, "R": box_w - img_w}[justify]
        top = self.dots(y) + max(0, self.dots(height) - ascent)
        self.graphic(self.dots(x) + max(0, offset), top, bitmap.tobytes(), img_w // 8, reverse=reverse)

    def graphic(self, x_dots: int, y_dots: int, packed: bytes, row_bytes: int, *, reverse: bool = False) -> None:
        """A 1-bit bitmap (rows of ``row_bytes`` bytes, most significant bit left, 1 = black).

        ``reverse`` prints it with ^FR: white where it meets black (text on a filled box).
        """
        total = len(packed)
        self._fields.append(
            f"^FO{x_dots},{y_dots}{'^FR' if reverse else ''}^GFA,{total},{total},{row_bytes},{packed.hex().upper()}^FS"
        )

    def box(self, x: float, y: float, width: float, height: float, thickness: float) -> None:
        """A rectangle (a rule when one side equals the thickness); thickness = height fills it."""
        t = max(1, self.dots(thickness))
        self._fields.append(
            f"^FO{self.dots(x)},{self.dots(y)}^GB{max(t, self.dots(width))},{max(t, self.dots(height))},{t}^FS"
        )

    def code128(self, y: float, data: str, *, module_dots: int, height: float, x: float | None = None,
                max_width: float | None = None) -> float:
        """Code 128 at ``y`` (top of the bars), centred unless ``x`` (left of the bars) is given.

        Returns the printed width in mm, quiet zones included. Raises :class:`BarcodeDoesNotFit`
        when bars and quiet zones reach past ``max_width`` mm from the left edge (default: the label).
        """
        if not data or not data.isascii() or not data.isprintable():
            raise ValidationFailed(msg(
                "'{data}' cannot be a Code 128 barcode: only printable ASCII can be encoded.",
                data=data))
        modules = code128_modules_subset_b(data)
        bars = modules * module_dots
        quiet = CODE128_QUIET * module_dots
        right = self.dots(max_width if max_width is not None else self.width_mm)
        if x is None:
            left = (self.dots(self.width_mm) - bars) // 2
            fits = bars + 2 * quiet <= right
        else:
            left = max(quiet, self.dots(x))
            fits = left + bars + quiet <= right
        if not fits:
            raise BarcodeDoesNotFit(
                msg(
                    "The barcode '{data}' needs {bars:.1f} mm at {module_dots} dots per module, but only {right:.1f} "
                    "mm are available on this label. Use a wider label or a shorter code.",
                    data=data, bars=(bars + 2 * quiet) * 25.4 / self.dpi, module_dots=module_dots,
                    right=right * 25.4 / self.dpi)
            )
        self._fields.append(
            f"^BY{module_dots},3,{self.dots(height)}^FO{left},{self.dots(y)}"
            f"^BCN,{self.dots(height)},N,N,N,N^FH_^FD>:{_escape_code128(data)}^FS"
        )
        return (bars + 2 * quiet) * 25.4 / self.dpi

    def zpl(self) -> str:
        """The finished label, one command group per line."""
        head = [
            "^XA",
            "^CI28",
            f"^PW{self.dots(self.width_mm)}",
            f"^LL{self.dots(self.height_mm)}",
            "^LH0,0",
        ]
        return "\n".join([*head, *self._fields, "^PQ1", "^XZ"]) + "\n"


def _escape_text(value: str) -> str:
    # ^FH_ makes "_" the hex escape: the command prefixes and the escape itself are sent as hex.
    return "".join(f"_{ord(ch):02X}" if ch in "^~_" else ch for ch in value)


def _escape_code128(data: str) -> str:
    return _escape_text(data.replace(">", "><"))


def _module_dots(dpi: Dpi, minimum_mm: float) -> int:
    """The smallest whole number of dots per module that is at least ``minimum_mm`` wide."""
    dots = 1
    while dots * 25.4 / dpi < minimum_mm - 1e-9:
        dots += 1
    return dots


def return_label_zpl(data: ReturnLabelData, size: str = "4x6", dpi: Dpi = 203) -> str:
    """The return label as ZPL for a Zebra printer with ``size`` media at ``dpi``."""
    try:
        width, height = ZPL_RETURN_LABEL_SIZES[size]
    except KeyError:
        raise ValidationFailed(
            msg(
                "'{size}' is not a return label size; choose one of {zpl_return_label_sizes}.",
                size=size, zpl_return_label_sizes=', '.join(ZPL_RETURN_LABEL_SIZES))
        ) from None
    lang: Lang = data.lang
    label = ZplLabel(width, height, dpi)
    m = 4.0
    inner = width - 2 * m

    label.text(m, m, 3.6, data.company_name, width=inner)
    label.text(m, m + 5, 10, text("label.title", lang), width=inner * 0.6)
    mark = reprint_text(data.reprint, lang)
    if mark:
        label.box(width - m - 30, m + 5.5, 30, 7, 7)
        label.text(width - m - 29, m + 6.5, 5, mark, width=28, justify="C", reverse=True)
    label.box(m, 21, inner, 0.7, 0.7)

    y = 23.0
    label.text(m, y, 2.8, text("label.return_to", lang), width=inner)
    y += 3.8
    for index, line in enumerate(data.return_to):
        label.text(m, y, 5.2, line, width=inner)
        y += 6.4
        if index == 5:
            break
    y += 1
    label.box(m, y, inner, 0.3, 0.3)
    y += 2
    label.text(m, y, 2.8, text("label.from", lang), width=inner)
    label.text(m, y + 3.8, 4.2, data.customer_name, width=inner)

    # Bottom block, laid out from the bottom edge up as on the PDF.
    bottom = height - m
    instructions = text("label.instructions", lang)
    y_instr = bottom - 3.6 * len(label.wrap(instructions, 2.8, inner))
    label.paragraph(m, y_instr, 2.8, instructions, width=inner, leading=3.6)
    facts = y_instr - 8
    # The count is short, the date long: give the date two thirds of the line.
    label.text(m, facts, 4.6, field("label.items", lang, data.item_count), width=inner / 3 - 2)
    label.text(m + inner / 3, facts, 4.6, field("label.date", lang, day(data.created_on)),
               width=inner * 2 / 3, justify="R")
    label.box(m, facts - 2.5, inner, 0.3, 0.3)
    rma_text = facts - 12
    label.text(m, rma_text, 8, data.rma, width=inner, justify="C")
    bar_height = 26.0
    bars_top = rma_text - 1.5 - bar_height
    label.code128(bars_top, data.rma, module_dots=_module_dots(dpi, 0.5), height=bar_height)
    label.text(m, bars_top - 4.5, 3.2, text("rma", lang), width=inner, justify="C")
    label.box(m, bars_top - 7, inner, 0.3, 0.3)
    return label.zpl()


def item_tag_zpl(data: ItemTagData, dpi: Dpi = 203) -> str:
    """The item tag (62x29 mm) as ZPL."""
    width, height = ZPL_ITEM_TAG_SIZE
    lang: Lang = data.lang
    label = ZplLabel(width, height, dpi)
    m = 1.5
    box = 9.5
    box_left = width - m - box
    beside = box_left - m - 1

    label.box(box_left, m, box, box, 0.4)
    label.text(box_left, m + 0.8, 1.8, text("tag.grade", lang), width=box, justify="C")
    label.text(box_left, m + 3.0, 5.6, str(data.grade), width=box, justify="C")

    mark = reprint_text(data.reprint, lang)
    disposition_width = beside
    if mark:
        label.box(box_left - 15, m, 14, 3.2, 3.2)
        label.text(box_left - 14.5, m + 0.4, 2.4, mark, width=13, justify="C", reverse=True)
        disposition_width = beside - 15
    label.text(m, m, 3.6, disposition_text(data.disposition, lang).upper(), width=disposition_width)
    label.text(m, m + 4.4, 2.4, data.product_name, width=beside)

    module = _module_dots(dpi, 0.25)
    label.code128(9.0, data.rma, module_dots=module, height=4.8, x=m, max_width=box_left - 1)
    label.text(m, 14.2, 2.3, f"{text('rma', lang)} {data.rma}", width=beside * 0.7)
    unit = (text("tag.unit", lang, n=data.unit_number) if data.unit_count is None
            else text("tag.unit_of", lang, n=data.unit_number, m=data.unit_count))
    label.text(width - m - 20, 14.2, 2.3, unit, width=20, justify="R")
    label.code128(17.6, data.sku, module_dots=module, height=4.8, x=m)
    label.text(m, 23.9, 2.8, data.sku, width=width - 2 * m)
    return label.zpl()
