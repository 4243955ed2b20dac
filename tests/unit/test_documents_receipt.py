"""Counter receipt: amounts and lines in the text, embedded fonts, RMA barcode, roll width."""

from __future__ import annotations

import dataclasses

import pytest
from reportlab.lib.units import mm

from returndesk.documents import ReceiptLine, render_receipt
from returndesk.domain.errors import ValidationFailed

from .documents_support import RMA, decoded_texts, fonts, page_sizes, pdf_text, receipt_data

LANGS = ["en", "zh_CN"]
WIDTHS = [80, 58]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_receipt_text_has_rma_skus_and_amounts(lang: str, width: int) -> None:
    data = receipt_data(lang)
    text = pdf_text(render_receipt(data, width))
    assert RMA in text
    assert "SO-1042" in text
    for line in data.lines:
        assert line.sku in text
        assert line.name in text
    # 599.00 + 2 x 89.00 = 777.00; deductions 17.80 + 10.00 fee; shipping 15.00; total 764.20
    for amount in ("¥599.00", "¥178.00", "-¥17.80", "¥160.20", "¥777.00", "-¥27.80", "¥15.00", "¥764.20"):
        assert amount in text, amount
    assert ("原路退回" if lang == "zh_CN" else "Original payment") in text
    assert data.policy_text in " ".join(text.split())
    assert ("客户签名" if lang == "zh_CN" else "Customer signature") in text


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_receipt_embeds_every_font(lang: str, width: int) -> None:
    used = fonts(render_receipt(receipt_data(lang), width))
    assert used and all(used.values()), used


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_receipt_barcode_decodes_to_exactly_the_rma(lang: str, width: int) -> None:
    assert decoded_texts(render_receipt(receipt_data(lang), width)) == [RMA]


@pytest.mark.parametrize("width", WIDTHS)
def test_receipt_is_as_wide_as_the_roll_and_as_long_as_its_lines(width: int) -> None:
    short = receipt_data()
    many = tuple(
        ReceiptLine(f"SKU-{i:05d}", f"Item number {i}", 1, 1000 + i, 0, 1000 + i) for i in range(30)
    )
    long = receipt_data(lines=many)
    [(w_short, h_short)] = page_sizes(render_receipt(short, width))
    [(w_long, h_long)] = page_sizes(render_receipt(long, width))
    assert w_short == pytest.approx(width * mm, abs=0.01)
    assert w_long == pytest.approx(width * mm, abs=0.01)
    # One page however many lines: each added line (description and amount rows) makes it longer.
    assert h_long > h_short + 28 * 15


def test_long_receipt_is_one_page_with_every_line() -> None:
    many = tuple(ReceiptLine(f"SKU-{i:05d}", f"Item number {i}", 1, 500, 0, 500) for i in range(40))
    pdf = render_receipt(receipt_data(lines=many))
    assert len(page_sizes(pdf)) == 1
    text = pdf_text(pdf)
    assert all(f"SKU-{i:05d}" in text for i in range(40))
    assert decoded_texts(pdf) == [RMA]


@pytest.mark.parametrize("lang,mark", [("en", "REPRINT 1"), ("zh_CN", "重印 1")])
def test_reprint_is_marked(lang: str, mark: str) -> None:
    assert mark in pdf_text(render_receipt(receipt_data(lang, reprint=1)))
    assert mark not in pdf_text(render_receipt(receipt_data(lang)))


def test_long_sku_and_amount_move_to_their_own_line_on_58_mm() -> None:
    line = ReceiptLine("SKU-ABCDEFGHIJ-0123456789", "Espresso machine", 3, 1299900, 0, 3899700)
    pdf = render_receipt(receipt_data(lines=(line,)), 58)
    text = pdf_text(pdf)
    assert "SKU-ABCDEFGHIJ-0123456789" in text
    assert "¥38,997.00" in text


def test_unsupported_roll_width_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="80 or 58"):
        render_receipt(receipt_data(), 110)


def test_totals_that_do_not_add_up_are_refused() -> None:
    data = receipt_data()
    with pytest.raises(ValidationFailed, match="does not add up"):
        dataclasses.replace(data, total=data.total + 1)
    with pytest.raises(ValidationFailed, match="sum of its lines"):
        dataclasses.replace(data, subtotal=data.subtotal - 100, total=data.total - 100)


def test_line_refund_must_equal_gross_minus_deductions() -> None:
    with pytest.raises(ValidationFailed, match="refund amount"):
        ReceiptLine("SKU-1", "Thing", 2, 1000, 100, 1950)


def test_money_must_be_integer_minor_units() -> None:
    with pytest.raises(ValidationFailed, match="minor units"):
        ReceiptLine("SKU-1", "Thing", 1, 10.5, 0, 10.5)  # type: ignore[arg-type]


def test_receipt_without_lines_is_refused() -> None:
    data = receipt_data()
    with pytest.raises(ValidationFailed, match="at least one"):
        dataclasses.replace(data, lines=(), subtotal=0, deductions=0, total=data.shipping_refund)
