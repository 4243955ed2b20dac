"""Return label: text, embedded fonts, scannable RMA barcode, exact page size, both languages."""

from __future__ import annotations

import dataclasses

import pytest
from reportlab.lib.units import inch, mm

from returndesk.documents import ReturnLabelData, render_return_label
from returndesk.documents.barcodes import code128
from returndesk.documents.return_label import RMA_BAR_HEIGHT, RMA_X_MINIMUM, RMA_X_PREFERRED
from returndesk.domain.errors import ValidationFailed

from .documents_support import RMA, decoded_texts, fonts, label_data, page_sizes, pdf_text

SIZES = {"4x6": (4 * inch, 6 * inch), "100x150": (100 * mm, 150 * mm)}
LANGS = ["en", "zh_CN"]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_label_text_names_rma_addresses_and_count(lang: str, size: str) -> None:
    data = label_data(lang)
    text = pdf_text(render_return_label(data, size))
    assert RMA in text
    for line in data.return_to:
        assert line in text
    assert data.customer_name in text
    assert data.company_name in text
    assert ("件数：3" if lang == "zh_CN" else "Items: 3") in text
    assert "2026-11-27" in text
    assert ("退货" if lang == "zh_CN" else "RETURN") in text


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_label_embeds_every_font(lang: str, size: str) -> None:
    used = fonts(render_return_label(label_data(lang), size))
    assert used, "the label uses at least one font"
    assert all(used.values()), f"fonts not embedded as TrueType: {[n for n, ok in used.items() if not ok]}"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_label_barcode_decodes_to_exactly_the_rma(lang: str, size: str) -> None:
    assert decoded_texts(render_return_label(label_data(lang), size)) == [RMA]


@pytest.mark.parametrize("size", SIZES)
def test_label_page_size_is_exact(size: str) -> None:
    [(width, height)] = page_sizes(render_return_label(label_data(), size))
    expected = SIZES[size]
    assert width == pytest.approx(expected[0], abs=0.01)
    assert height == pytest.approx(expected[1], abs=0.01)


def test_4x6_is_288_by_432_points() -> None:
    assert page_sizes(render_return_label(label_data(), "4x6")) == [(288.0, 432.0)]


def test_rma_barcode_is_big_enough_for_arms_length() -> None:
    # The module width chosen for a real RMA and the bar height meet the dock's minimum.
    assert RMA_X_PREFERRED >= 0.38 * mm
    assert RMA_BAR_HEIGHT >= 15 * mm
    width_4x6 = 4 * inch - 2 * mm
    assert code128(RMA).width(RMA_X_PREFERRED) <= width_4x6
    assert RMA_X_MINIMUM >= 0.38 * mm - 1e-9


@pytest.mark.parametrize("lang,mark", [("en", "REPRINT 2"), ("zh_CN", "重印 2")])
def test_reprint_is_marked_and_original_is_not(lang: str, mark: str) -> None:
    assert mark in pdf_text(render_return_label(label_data(lang, reprint=2)))
    original = pdf_text(render_return_label(label_data(lang, reprint=0)))
    assert "REPRINT" not in original and "重印" not in original


def test_long_address_shrinks_but_stays_on_the_label() -> None:
    data = label_data()
    long = ReturnLabelData(
        rma=data.rma,
        created_on=data.created_on,
        customer_name="Maximilian Alexander Featherstonehaugh-Worthington III",
        return_to=tuple(f"Address line {i}: Unit {i}0, Industrial Estate Road {i}" for i in range(1, 8)),
        item_count=12,
        company_name=data.company_name,
    )
    pdf = render_return_label(long)
    text = pdf_text(pdf)
    assert "Address line 7" in text
    assert decoded_texts(pdf) == [RMA]


def test_unknown_size_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="4x6"):
        render_return_label(label_data(), "A6")


@pytest.mark.parametrize(
    "change,message",
    [
        ({"rma": "R0000012341"}, "check digit"),
        ({"rma": "r0000012340"}, "canonical"),
        ({"item_count": 0}, "at least one"),
        ({"return_to": ()}, "address"),
        ({"lang": "de"}, "not 'de'"),
        ({"reprint": -1}, "reprint"),
    ],
)
def test_label_data_is_checked(change: dict, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        dataclasses.replace(label_data(), **change)
