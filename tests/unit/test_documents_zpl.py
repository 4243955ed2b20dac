"""ZPL for Zebra printers: golden output, and the labels rasterized (barcodes, boxes and bitmaps
exactly as a printer draws them) to decode the barcodes and check the layout."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import zxingcpp

from returndesk.documents import BarcodeDoesNotFit
from returndesk.documents.zpl import (
    ZPL_ITEM_TAG_SIZE,
    ZPL_RETURN_LABEL_SIZES,
    code128_modules_subset_b,
    item_tag_zpl,
    return_label_zpl,
)
from returndesk.domain.errors import ValidationFailed

from .documents_support import RMA, label_data, tag_data
from .zpl_raster import Raster, code128_subset_b_modules, rasterize

GOLDEN = Path(__file__).parent / "golden"
LANGS = ["en", "zh_CN"]


def _decoded(raster: Raster) -> list[str]:
    return sorted(result.text for result in zxingcpp.read_barcodes(raster.image))


def _check_layout(raster: Raster) -> None:
    for field in raster.fields:
        assert 0 <= field.x0 and field.x1 <= raster.width, f"{field} runs off the label's width"
        assert 0 <= field.y0 and field.y1 <= raster.height, f"{field} runs off the label's length"
    barcodes = [f for f in raster.fields if f.kind == "barcode"]
    for barcode in barcodes:
        assert barcode.x0 - barcode.quiet >= 0 and barcode.x1 + barcode.quiet <= raster.width, (
            "quiet zone off the label"
        )
        for other in raster.fields:
            if other is not barcode:
                assert not barcode.overlaps(other, margin=barcode.quiet), f"{other} is on {barcode.data}'s quiet zone"


def test_return_label_matches_golden_zpl() -> None:
    expected = (GOLDEN / "return_label_4x6_en_203dpi.zpl").read_text(encoding="utf-8")
    assert return_label_zpl(label_data("en"), "4x6", 203) == expected


def test_item_tag_matches_golden_zpl() -> None:
    expected = (GOLDEN / "item_tag_en_203dpi.zpl").read_text(encoding="utf-8")
    assert item_tag_zpl(tag_data("en"), 203) == expected


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("size", ZPL_RETURN_LABEL_SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_return_label_zpl_scans_and_fits(lang: str, size: str, dpi: int) -> None:
    zpl = return_label_zpl(label_data(lang, reprint=2), size, dpi)  # type: ignore[arg-type]
    assert zpl.isascii(), "ZPL goes to the printer as ASCII; other text travels as ^GFA bitmaps"
    width_mm, height_mm = ZPL_RETURN_LABEL_SIZES[size]
    assert f"^PW{round(width_mm * dpi / 25.4)}" in zpl
    assert f"^LL{round(height_mm * dpi / 25.4)}" in zpl
    raster = rasterize(zpl)
    assert _decoded(raster) == [RMA]
    _check_layout(raster)
    # the RMA barcode keeps its minimum bar width at the printer's resolution
    module = int(zpl.split("^BY")[1].split(",")[0])
    assert module * 25.4 / dpi >= 0.38


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("lang", LANGS)
def test_item_tag_zpl_scans_and_fits(lang: str, dpi: int) -> None:
    zpl = item_tag_zpl(tag_data(lang, reprint=1), dpi)  # type: ignore[arg-type]
    assert zpl.isascii()
    raster = rasterize(zpl)
    assert (raster.width, raster.height) == tuple(round(v * dpi / 25.4) for v in ZPL_ITEM_TAG_SIZE)
    assert _decoded(raster) == sorted([RMA, "SKU-20017"])
    _check_layout(raster)


def test_chinese_text_travels_as_bitmaps_and_english_as_printer_text() -> None:
    english = return_label_zpl(label_data("en"))
    chinese = return_label_zpl(label_data("zh_CN"))
    assert "^GFA" not in english
    assert "^FDRETURN TO^FS" in english
    assert chinese.count("^GFA") >= 8  # captions, addresses, customer, instructions
    assert "RETURN TO" not in chinese
    # every bitmap has ink
    for field in rasterize(chinese).fields:
        if field.kind == "graphic":
            assert field.x1 > field.x0 and field.y1 > field.y0


def test_chinese_name_on_an_english_label_is_a_bitmap() -> None:
    data = label_data("en")
    zpl = return_label_zpl(dataclasses.replace(data, customer_name="张伟"))
    assert zpl.count("^GFA") == 1
    assert "张伟" not in zpl


@pytest.mark.parametrize("lang,marker", [("en", "^FR^A0N"), ("zh_CN", "^FR^GFA")])
def test_reprint_prints_reversed_on_a_black_box(lang: str, marker: str) -> None:
    assert marker in return_label_zpl(label_data(lang, reprint=2))
    assert "^FR" not in return_label_zpl(label_data(lang, reprint=0))
    assert "REPRINT 2" in return_label_zpl(label_data("en", reprint=2))


def test_special_characters_are_escaped_and_scan_back_unchanged() -> None:
    sku = "A>B_C^D~E"
    zpl = item_tag_zpl(dataclasses.replace(tag_data(), sku=sku))
    assert "^FD>:A><B_5FC_5ED_7EE^FS" in zpl
    assert "^FDA>B_5FC_5ED_7EE^FS" in zpl
    assert sku in _decoded(rasterize(zpl))


def test_subset_b_width_is_predictable() -> None:
    for data in ["R0000012340", "SKU-20017", "A"]:
        modules, text = code128_subset_b_modules(">:" + data)
        assert text == data
        assert len(modules) == code128_modules_subset_b(data)


def test_sku_too_long_for_the_tag_is_refused_clearly() -> None:
    with pytest.raises(BarcodeDoesNotFit, match="wider label"):
        item_tag_zpl(dataclasses.replace(tag_data(), sku="SKU-ABCDEFGHIJKLMNOP"))


def test_unknown_resolution_and_size_are_refused() -> None:
    with pytest.raises(ValidationFailed, match="203 or 300"):
        return_label_zpl(label_data(), "4x6", 600)  # type: ignore[arg-type]
    with pytest.raises(ValidationFailed, match="not a return label size"):
        return_label_zpl(label_data(), "A6")
