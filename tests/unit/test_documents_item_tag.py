"""Item tag (62x29 mm): text, embedded fonts, RMA and SKU barcodes, page size."""

from __future__ import annotations

import dataclasses

import pytest
from reportlab.lib.units import mm

from returndesk.documents import BarcodeDoesNotFit, render_item_tag
from returndesk.domain.errors import ValidationFailed

from .documents_support import RMA, decoded_texts, fonts, page_sizes, pdf_text, tag_data

LANGS = ["en", "zh_CN"]


@pytest.mark.parametrize("lang", LANGS)
def test_tag_text_has_rma_sku_grade_disposition_and_unit(lang: str) -> None:
    data = tag_data(lang)
    text = pdf_text(render_item_tag(data))
    assert RMA in text
    assert "SKU-20017" in text
    assert data.product_name in text
    assert "B" in text
    if lang == "zh_CN":
        assert "退回供应商" in text and "第 2/3 件" in text and "等级" in text
    else:
        assert "RETURN TO VENDOR" in text and "Unit 2/3" in text and "Grade" in text


@pytest.mark.parametrize("lang", LANGS)
def test_tag_embeds_every_font(lang: str) -> None:
    used = fonts(render_item_tag(tag_data(lang)))
    assert used and all(used.values()), used


@pytest.mark.parametrize("lang", LANGS)
def test_tag_barcodes_decode_to_exactly_rma_and_sku(lang: str) -> None:
    assert decoded_texts(render_item_tag(tag_data(lang))) == sorted([RMA, "SKU-20017"])


def test_tag_page_is_62_by_29_mm() -> None:
    [(width, height)] = page_sizes(render_item_tag(tag_data()))
    assert width == pytest.approx(62 * mm, abs=0.01)
    assert height == pytest.approx(29 * mm, abs=0.01)


@pytest.mark.parametrize("lang,mark", [("en", "REPRINT 3"), ("zh_CN", "重印 3")])
def test_reprint_is_marked(lang: str, mark: str) -> None:
    assert mark in pdf_text(render_item_tag(tag_data(lang, reprint=3)))
    assert mark not in pdf_text(render_item_tag(tag_data(lang)))


@pytest.mark.parametrize("sku", ["SKU-ABCDEFGHIJKL", "1234567890123456789012345678"])
def test_long_sku_that_still_fits_scans(sku: str) -> None:
    assert decoded_texts(render_item_tag(tag_data(sku=sku))) == sorted([RMA, sku])


def test_sku_too_long_for_the_tag_is_refused_clearly() -> None:
    # 20 letters need 64 mm at two dots per module, quiet zones included: more than the tag.
    with pytest.raises(BarcodeDoesNotFit, match="wider label"):
        render_item_tag(tag_data(sku="SKU-ABCDEFGHIJKLMNOP"))


def test_unit_number_beyond_count_is_refused() -> None:
    data = tag_data()
    with pytest.raises(ValidationFailed, match="only 3 units"):
        dataclasses.replace(data, unit_number=4)


@pytest.mark.parametrize("sku", ["SKU 1", "货号1", ""])
def test_sku_that_cannot_be_a_barcode_is_refused(sku: str) -> None:
    data = tag_data()
    with pytest.raises(ValidationFailed):
        dataclasses.replace(data, sku=sku)
