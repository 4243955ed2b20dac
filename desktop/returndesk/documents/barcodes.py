"""Linear barcodes drawn as vector bars at an exact X-dimension.

python-barcode encodes the data into a module string (``"11010010000…"``, one character per
module, ``1`` = bar); the bars are drawn here as filled rectangles, so the printed width of every
module is exactly the chosen X-dimension and nothing is resampled. Code 128 carries RMA numbers,
SKUs and command codes; EAN-13 and UPC-A carry product GTINs.

Sizes are in PDF points (1 mm = 72 / 25.4 pt). The width of a symbol is known before it is
drawn (:meth:`LinearSymbol.width`), so a layout can pick the largest X-dimension that fits and
refuse clearly (:class:`BarcodeDoesNotFit`) when even the smallest allowed one does not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import barcode
from barcode.errors import BarcodeError
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from returndesk.domain.errors import ReturnDeskError, ValidationFailed
from returndesk.domain.scan import gtin_check_digit, normalize_gtin

from .fonts import register_fonts
from returndesk.domain.messages import msg


class BarcodeDoesNotFit(ReturnDeskError):
    """A barcode would be narrower than its minimum X-dimension to fit the space on the page."""


#: One dot of a 203 dpi thermal print head, in points. Labels and receipts use whole multiples of
#: it for the X-dimension and put the bars on its grid, so that every bar is a whole number of
#: dots: a bar of 1.99 dots comes out as 1 or 2 dots depending on where it falls.
DOT_203 = 72 / 203

# Quiet zones in modules on each side. Code 128 (ISO/IEC 15417): at least 10 X. EAN-13 (GS1):
# 11 X on the left, 7 X on the right; UPC-A: 9 X on both sides.
CODE128_QUIET = 10


@dataclass(frozen=True)
class LinearSymbol:
    """An encoded one-dimensional barcode, ready to be drawn at any X-dimension.

    ``modules`` has one character per module (``"1"`` bar, ``"0"`` space); ``guards`` marks the
    modules drawn longer (EAN/UPC guard bars and, for UPC-A, the first and last digit).
    """

    symbology: str
    data: str
    modules: str
    quiet_left: int
    quiet_right: int
    guards: frozenset[int] = frozenset()

    @property
    def module_count(self) -> int:
        """Modules of the symbol itself, without quiet zones."""
        return len(self.modules)

    @property
    def total_modules(self) -> int:
        """Modules including both quiet zones."""
        return self.quiet_left + len(self.modules) + self.quiet_right

    def width(self, x_dimension: float) -> float:
        """Width in points, quiet zones included, at ``x_dimension`` points per module."""
        return self.total_modules * x_dimension

    def bars(self) -> list[tuple[int, int, bool]]:
        """Runs of bar modules as ``(first module, run length, is guard)``."""
        runs: list[tuple[int, int, bool]] = []
        i = 0
        n = len(self.modules)
        while i < n:
            if self.modules[i] != "1":
                i += 1
                continue
            start = i
            guard = start in self.guards
            while i < n and self.modules[i] == "1" and (i in self.guards) == guard:
                i += 1
            runs.append((start, i - start, guard))
        return runs


def code128(data: str) -> LinearSymbol:
    """Encode ``data`` (printable ASCII) as Code 128.

    python-barcode chooses the code sets (C for digit runs) and adds the check character.
    """
    if not data or not data.isascii() or not data.isprintable():
        raise ValidationFailed(
            msg("'{data}' cannot be a Code 128 barcode: only printable ASCII characters can be encoded.", data=data)
        )
    try:
        # A fresh encoder per call: python-barcode's Code128 keeps its code set as state.
        modules = barcode.get("code128", data).build()[0]
    except BarcodeError as exc:
        raise ValidationFailed(msg("'{data}' cannot be a Code 128 barcode: {exc}", data=data, exc=exc)) from exc
    return LinearSymbol("code128", data, modules, CODE128_QUIET, CODE128_QUIET)


def _digits(kind: str, code: str, lengths: tuple[int, int]) -> str:
    text = code.strip()
    if not text.isascii() or not text.isdigit() or len(text) not in lengths:
        raise ValidationFailed(
            msg(
                "'{code}' is not an {kind}: it needs {lengths} digits, or {lengths2} with the check digit.",
                code=code, kind=kind, lengths=lengths[0], lengths2=lengths[1])
        )
    body = text[: lengths[0]]
    check = gtin_check_digit(body)
    if len(text) == lengths[1] and text[-1] != check:
        # python-barcode silently replaces a wrong check digit; a label must never do that.
        raise ValidationFailed(
            msg(
                "{text} is not a valid {kind}: its check digit should be {check}. Check the product's barcode.",
                text=text, kind=kind, check=check)
        )
    return body + check


def ean13(code: str) -> LinearSymbol:
    """Encode an EAN-13 (12 digits, or 13 with a check digit that must match)."""
    full = _digits("EAN-13", code, (12, 13))
    modules = barcode.get("ean13", full).build()[0]
    guards = frozenset([0, 1, 2, 45, 46, 47, 48, 49, 92, 93, 94])
    return LinearSymbol("ean13", full, modules, 11, 7, guards)


def upca(code: str) -> LinearSymbol:
    """Encode a UPC-A (11 digits, or 12 with a check digit that must match)."""
    full = _digits("UPC-A", code, (11, 12))
    modules = barcode.get("upca", full[:11]).build()[0]
    # Guard bars plus the first and last digit's bars run down to the text baseline in UPC-A.
    guards = frozenset([*range(0, 10), *range(45, 50), *range(85, 95)])
    return LinearSymbol("upca", full, modules, 9, 9, guards)


def product_barcode(gtin: str) -> LinearSymbol:
    """The retail symbol of a product GTIN given with its check digit: UPC-A for 12 digits,
    EAN-13 for 13 (and for a GTIN-14 whose packaging indicator is 0).

    Raises ``ValidationFailed`` for anything else (a wrong check digit, EAN-8, a case code).
    """
    digits = gtin.strip()
    gtin14 = normalize_gtin(digits)  # checks the digits and the check digit
    if len(digits) == 12:
        return upca(digits)
    if len(digits) in (13, 14) and gtin14[0] == "0":
        return ean13(gtin14[1:])
    raise ValidationFailed(
        msg(
            "{digits} cannot be printed as a retail barcode here: labels carry UPC-A (12 digits) or EAN-13 (13 "
            "digits) product codes.",
            digits=digits)
    )


def fit_x_dimension(
    symbol: LinearSymbol,
    available: float,
    preferred: float,
    minimum: float,
    *,
    what: str = "barcode",
    grid: float | None = None,
) -> float:
    """The largest X-dimension up to ``preferred`` at which ``symbol`` fits ``available`` points.

    With ``grid`` (e.g. :data:`DOT_203`) the result is a whole multiple of it whenever such a
    multiple is at least ``minimum``. Raises :class:`BarcodeDoesNotFit` when it would need less
    than ``minimum``: a barcode printed thinner than that would not scan reliably, so the caller
    must choose a larger medium.
    """
    fitting = available / symbol.total_modules
    x = min(preferred, fitting)
    if grid is not None:
        snapped = math.floor(x / grid + 1e-9) * grid
        if snapped >= minimum - 1e-9:
            return snapped
    if x < minimum - 1e-9:
        raise BarcodeDoesNotFit(
            msg(
                "The {what} '{data}' needs {width:.1f} mm at its smallest bar width ({minimum:.2f} mm) but only "
                "{available:.1f} mm are available. Print it on a wider label or shorten the code.",
                what=what, data=symbol.data, width=symbol.width(minimum) / mm, minimum=minimum / mm,
                available=available / mm)
        )
    return x


def draw_symbol(
    canvas: Canvas,
    symbol: LinearSymbol,
    x: float,
    y: float,
    x_dimension: float,
    bar_height: float,
    *,
    guard_extension: float = 0.0,
    grid: float | None = None,
) -> float:
    """Draw the bars with the left edge of the left quiet zone at ``x`` and the bars' foot at ``y``.

    Guard bars reach ``guard_extension`` below ``y``. With ``grid``, ``x`` moves to the nearest
    multiple of it (the print head's dot grid). Returns the width drawn (quiet zones included).
    """
    if grid is not None:
        x = round(x / grid) * grid
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    left = x + symbol.quiet_left * x_dimension
    for start, length, guard in symbol.bars():
        bottom = y - guard_extension if guard else y
        height = bar_height + (guard_extension if guard else 0.0)
        canvas.rect(left + start * x_dimension, bottom, length * x_dimension, height, stroke=0, fill=1)
    canvas.restoreState()
    return symbol.width(x_dimension)


def draw_retail_barcode(
    canvas: Canvas, symbol: LinearSymbol, x: float, y: float, x_dimension: float, bar_height: float
) -> float:
    """Draw an EAN-13 or UPC-A in the retail layout: bars, longer guards and the digits below.

    ``y`` is the bottom of the digits. Returns the width drawn (quiet zones included).
    """
    if symbol.symbology not in ("ean13", "upca"):
        raise ValueError(f"{symbol.symbology} has no retail layout")
    font = register_fonts()
    digit_size = 9 * x_dimension  # digits about as tall as 9 modules are wide, as on retail packs
    extension = 5 * x_dimension
    bars_y = y + digit_size * 0.9 + extension * 0.2
    draw_symbol(canvas, symbol, x, bars_y, x_dimension, bar_height, guard_extension=extension)
    left = x + symbol.quiet_left * x_dimension
    digits = symbol.data
    canvas.saveState()
    canvas.setFont(font, digit_size)

    def centred(text: str, first_module: int, module_span: int, size: float = digit_size) -> None:
        canvas.setFont(font, size)
        cx = left + (first_module + module_span / 2) * x_dimension
        canvas.drawCentredString(cx, y, text)

    if symbol.symbology == "ean13":
        canvas.drawRightString(left - x_dimension, y, digits[0])
        centred(digits[1:7], 3, 42)
        centred(digits[7:13], 50, 42)
    else:
        small = digit_size * 0.75
        canvas.setFont(font, small)
        canvas.drawRightString(left - x_dimension, y, digits[0])
        canvas.drawString(left + (symbol.module_count + 1) * x_dimension, y, digits[11])
        centred(digits[1:6], 10, 35)
        centred(digits[6:11], 50, 35)
    canvas.restoreState()
    return symbol.width(x_dimension)

