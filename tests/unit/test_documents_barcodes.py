"""Barcodes drawn from python-barcode's module strings, the bundled font and text layout helpers."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.units import mm
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from returndesk.documents import strings
from returndesk.documents.barcodes import (
    DOT_203,
    BarcodeDoesNotFit,
    code128,
    draw_retail_barcode,
    draw_symbol,
    ean13,
    fit_x_dimension,
    product_barcode,
    upca,
)
from returndesk.documents.fonts import FONT, font_path, register_fonts, text_width
from returndesk.documents.layout import ellipsize, new_canvas, wrap
from returndesk.domain.errors import ValidationFailed
from returndesk.domain.scan import COMMAND_SPECS

from .documents_support import decode, fonts, render_page

PRINTABLE = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=16)


def _pdf_with(draw) -> bytes:
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (100 * mm, 40 * mm), "test")
    draw(canvas)
    canvas.save()
    return buffer.getvalue()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=PRINTABLE)
def test_code128_drawn_from_modules_decodes_to_the_data(data: str) -> None:
    symbol = code128(data)
    x = fit_x_dimension(symbol, 100 * mm, 3 * DOT_203, 2 * DOT_203, grid=DOT_203)
    pdf = _pdf_with(lambda c: draw_symbol(c, symbol, 0, 5 * mm, x, 15 * mm, grid=DOT_203))
    assert decode(render_page(pdf)) == [("Code 128", data)]


@pytest.mark.parametrize("data", ["R0000012340", "SKU-20017", "$RDGAP"])
def test_code128_module_string_has_the_code128_structure(data: str) -> None:
    symbol = code128(data)
    # every symbol character is 11 modules, the stop pattern 13, and it starts and ends with a bar
    assert (symbol.module_count - 13) % 11 == 0
    assert symbol.modules[0] == "1" and symbol.modules[-1] == "1"
    assert symbol.total_modules == symbol.module_count + 20


def test_code128_refuses_text_a_barcode_cannot_carry() -> None:
    with pytest.raises(ValidationFailed, match="printable ASCII"):
        code128("退货")
    with pytest.raises(ValidationFailed):
        code128("")


@pytest.mark.parametrize(
    "symbol,expected",
    [
        (product_barcode("5901234123457"), "5901234123457"),
        (ean13("590123412345"), "5901234123457"),  # check digit computed
        # UPC-A is EAN-13 with number system 0; zxing reports it in its 13-digit form.
        (product_barcode("036000291452"), "0036000291452"),
        (upca("03600029145"), "0036000291452"),
        (product_barcode("00036000291452"), "0036000291452"),  # GTIN-14 without indicator
    ],
)
def test_retail_barcodes_decode_with_their_check_digit(symbol, expected: str) -> None:
    pdf = _pdf_with(lambda c: draw_retail_barcode(c, symbol, 5 * mm, 4 * mm, 3 * DOT_203, 20 * mm))
    [(fmt, text)] = decode(render_page(pdf))
    assert fmt in ("EAN13", "EAN-13", "UPCA", "UPC-A")
    assert text == expected


def test_retail_barcode_has_95_modules_and_extended_guards() -> None:
    assert ean13("5901234123457").module_count == 95
    assert upca("036000291452").module_count == 95
    assert {0, 2, 46, 48, 92, 94} <= ean13("5901234123457").guards


@pytest.mark.parametrize("code", ["5901234123458", "036000291453"])
def test_wrong_check_digit_is_refused_not_silently_fixed(code: str) -> None:
    with pytest.raises(ValidationFailed, match="check digit"):
        product_barcode(code)
    with pytest.raises(ValidationFailed, match="check digit"):
        (ean13 if len(code) == 13 else upca)(code)


@pytest.mark.parametrize("code", ["96385074", "10036000291459"])
def test_codes_without_a_retail_form_are_refused(code: str) -> None:
    with pytest.raises(ValidationFailed, match="UPC-A"):
        product_barcode(code)


@given(
    modules=st.integers(min_value=30, max_value=400),
    available_mm=st.floats(min_value=10, max_value=200),
)
def test_fit_x_dimension_fits_or_refuses(modules: int, available_mm: float) -> None:
    symbol = code128("A" * max(1, (modules - 35) // 11))
    available = available_mm * mm
    preferred, minimum = 4 * DOT_203, 2 * DOT_203
    try:
        x = fit_x_dimension(symbol, available, preferred, minimum, grid=DOT_203)
    except BarcodeDoesNotFit as exc:
        assert symbol.width(minimum) > available
        assert "mm" in str(exc)
        return
    assert minimum - 1e-9 <= x <= preferred + 1e-9
    assert symbol.width(x) <= available + 1e-6
    assert abs(x / DOT_203 - round(x / DOT_203)) < 1e-6  # whole dots


def test_font_is_bundled_and_embedded_truetype() -> None:
    assert font_path().endswith("wqy-microhei.ttc")
    assert register_fonts() == FONT == register_fonts()
    pdf = _pdf_with(lambda c: c.drawString(10, 10, "退货 RMA"))
    assert fonts(pdf) and all(fonts(pdf).values())


def _all_document_strings() -> list[str]:
    texts = [pair[i] for pair in strings._TEXT.values() for i in (0, 1)]
    for table in (strings._GRADE, strings._DISPOSITION, strings._REFUND_METHOD):
        texts += [pair[i] for pair in table.values() for i in (0, 1)]
    texts += [spec.label_en for spec in COMMAND_SPECS.values()] + [spec.label_zh for spec in COMMAND_SPECS.values()]
    return texts


def test_every_printed_caption_has_glyphs_in_the_bundled_font() -> None:
    # A character missing from the font would print as an empty box (tofu).
    face = TTFont("coverage-check", font_path(), subfontIndex=0).face
    missing = {
        ch for text in _all_document_strings() for ch in text if not ch.isspace() and ord(ch) not in face.charToGlyph
    }
    assert not missing, f"characters without a glyph: {sorted(missing)}"


@given(
    text=st.text(
        alphabet=st.sampled_from(list("abc defghij KLM 0123456789 退货单号上海市浦东新区，。、") + [" "]),
        max_size=80,
    ),
    width=st.floats(min_value=20, max_value=300),
)
def test_wrap_keeps_every_character_and_every_line_within_the_width(text: str, width: float) -> None:
    size = 9.0
    lines = wrap(text, size, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        # A single character wider than the box is the only thing allowed to overflow;
        # a closing mark may hang after its character.
        assert text_width(line, size) <= width + 1e-6 or len(line) <= 2


def test_wrap_does_not_start_a_line_with_closing_punctuation() -> None:
    lines = wrap("上海市浦东新区物流路，八十八号。", 9, 9 * 10)
    assert all(line[0] not in "，。" for line in lines if line)


@given(text=st.text(min_size=1, max_size=40), width=st.floats(min_value=15, max_value=200))
def test_ellipsize_fits(text: str, width: float) -> None:
    register_fonts()
    short = ellipsize(text, 9, width)
    assert text_width(short, 9) <= width or short == "…"


def test_canvas_has_no_unembedded_default_font() -> None:
    buffer = io.BytesIO()
    canvas: Canvas = new_canvas(buffer, (100, 100), "empty")
    canvas.showPage()
    canvas.save()
    assert all(fonts(buffer.getvalue()).values())
