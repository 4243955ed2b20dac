"""A small rasterizer for the ZPL subset that ``returndesk.documents.zpl`` writes, for tests.

It draws ^GB boxes, ^GFA bitmaps, ^BC Code 128 (mode N, subset B, with the ">" invocation
escapes and ^FH hex escapes a Zebra printer applies) and ^A0 text (approximated with the bundled
font: the printer's font 0 is not available here). The result is an image a barcode reader can
decode and a list of field boxes to check the layout (inside the label, nothing on a barcode's
quiet zone). It is no Zebra emulator; the barcodes, boxes and bitmaps are exact, text is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from barcode.charsets import code128 as c128
from PIL import Image, ImageChops, ImageDraw, ImageFont

from returndesk.documents.fonts import font_path

_HEX = re.compile(r"_([0-9A-Fa-f]{2})")


@dataclass(frozen=True)
class Field:
    kind: str  # "text", "box", "graphic", "barcode"
    x0: int
    y0: int
    x1: int
    y1: int
    data: str = ""
    quiet: int = 0  # barcodes: quiet zone in dots on each side

    def overlaps(self, other: Field, margin: int = 0) -> bool:
        return not (
            self.x1 + margin <= other.x0
            or other.x1 <= self.x0 - margin
            or self.y1 <= other.y0
            or other.y1 <= self.y0
        )


@dataclass
class Raster:
    image: Image.Image
    fields: list[Field]
    width: int
    height: int


def _unescape_hex(data: str) -> str:
    return _HEX.sub(lambda m: chr(int(m.group(1), 16)), data)


def code128_subset_b_modules(field_data: str) -> tuple[str, str]:
    """Modules and decoded text of ^BC mode-N field data that starts with ``>:`` (start B)."""
    if not field_data.startswith(">:"):
        raise ValueError(f"expected an explicit start B, got {field_data!r}")
    body = field_data[2:]
    text = ""
    i = 0
    while i < len(body):
        if body[i] == ">":
            if body[i + 1 : i + 2] != "<":
                raise ValueError(f"unsupported invocation code in {field_data!r}")
            text += ">"
            i += 2
        else:
            text += body[i]
            i += 1
    values = [c128.START_CODES["B"]] + [c128.B[ch] for ch in text]
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    modules = "".join(c128.CODES[v] for v in [*values, check]) + c128.STOP + "11"
    return modules, text


def rasterize(zpl: str) -> Raster:
    assert zpl.startswith("^XA") and zpl.rstrip().endswith("^XZ"), "a label starts with ^XA and ends with ^XZ"
    commands = [c.strip("\n") for c in zpl.split("^")[1:]]
    width = height = 0
    for cmd in commands:
        if cmd.startswith("PW"):
            width = int(cmd[2:])
        elif cmd.startswith("LL"):
            height = int(cmd[2:])
    assert width and height, "^PW and ^LL must be given"
    image = Image.new("L", (width, height), 255)
    fields: list[Field] = []

    origin = (0, 0)
    reverse = False
    font_h = 0
    block: tuple[int, str] | None = None
    hex_escapes = False
    module, bar_height = 2, 10
    barcode_height: int | None = None
    pending_graphic: tuple[int, int, bytes] | None = None
    pending_box: tuple[int, int, int] | None = None
    data: str | None = None

    def paint(layer: Image.Image) -> None:
        nonlocal image
        # layer: 255 where the field puts ink
        if reverse:
            # ^FR: the field flips whatever is under it (white text on a black box).
            image = Image.composite(ImageChops.invert(image), image, layer)
        else:
            image.paste(0, mask=layer)

    for cmd in commands:
        code = cmd[:2]
        if code == "FO":
            x, y = cmd[2:].split(",")
            origin = (int(x), int(y))
        elif code == "FR":
            reverse = True
        elif cmd.startswith("A0"):
            font_h = int(cmd[2:].split(",")[1])
        elif code == "FB":
            parts = cmd[2:].split(",")
            block = (int(parts[0]), parts[3])
        elif code == "FH":
            hex_escapes = True
        elif code == "BY":
            parts = cmd[2:].split(",")
            module, bar_height = int(parts[0]), int(parts[2])
        elif code == "BC":
            parts = cmd[2:].split(",")
            barcode_height = int(parts[1]) if parts[1] else bar_height
            assert parts[5] == "N", "mode N expected"
        elif code == "GB":
            w, h, t = (int(v) for v in cmd[2:].split(","))
            pending_box = (w, h, t)
        elif code == "GF":
            _, total, _, row_bytes, hexdata = cmd[2:].split(",")
            raw = bytes.fromhex(hexdata)
            assert len(raw) == int(total), "^GFA byte count must match its data"
            assert len(raw) % int(row_bytes) == 0, "^GFA data must be whole rows"
            pending_graphic = (int(row_bytes), len(raw) // int(row_bytes), raw)
        elif code == "FD":
            data = cmd[2:]
        elif code == "FS":
            x, y = origin
            layer = Image.new("L", (width, height), 0)
            draw = ImageDraw.Draw(layer)
            if barcode_height is not None and data is not None:
                raw = _unescape_hex(data) if hex_escapes else data
                modules, text = code128_subset_b_modules(raw)
                for i, bit in enumerate(modules):
                    if bit == "1":
                        draw.rectangle([x + i * module, y, x + (i + 1) * module - 1, y + barcode_height - 1], fill=255)
                fields.append(Field("barcode", x, y, x + len(modules) * module, y + barcode_height, text, 10 * module))
            elif pending_graphic is not None:
                row_bytes, rows, raw = pending_graphic
                bitmap = Image.frombytes("1", (row_bytes * 8, rows), raw).convert("L")
                layer.paste(bitmap, (x, y))
                fields.append(Field("graphic", x, y, x + row_bytes * 8, y + rows))
            elif pending_box is not None:
                w, h, t = pending_box
                if t * 2 >= min(w, h):
                    draw.rectangle([x, y, x + w - 1, y + h - 1], fill=255)
                else:
                    draw.rectangle([x, y, x + w - 1, y + h - 1], outline=255, width=t)
                fields.append(Field("box", x, y, x + w, y + h))
            elif data is not None:
                text = _unescape_hex(data) if hex_escapes else data
                font = ImageFont.truetype(font_path(), max(1, int(font_h * 0.9)), index=0)
                text_w = int(font.getlength(text))
                block_w, justify = block if block else (text_w, "L")
                left = x + {"L": 0, "C": (block_w - text_w) // 2, "R": block_w - text_w}[justify]
                draw.text((left, y), text, font=font, fill=255)
                fields.append(Field("text", left, y, left + text_w, y + font_h, text))
            paint(layer)
            reverse = False
            block = None
            hex_escapes = False
            barcode_height = None
            pending_graphic = None
            pending_box = None
            data = None
    return Raster(image, fields, width, height)
