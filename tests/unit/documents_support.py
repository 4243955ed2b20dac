"""Helpers for the document tests: sample data, and the three ways a PDF is checked
(text extracted, fonts embedded, page rendered and its barcodes decoded)."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pypdf
import pypdfium2 as pdfium
import zxingcpp
from PIL import Image

from returndesk.documents.data import (
    CreditNoteData,
    CreditNoteLine,
    ItemTagData,
    ReceiptData,
    ReceiptLine,
    ReturnLabelData,
)
from returndesk.domain.scan import format_rma
from returndesk.domain.types import Disposition, Grade, RefundMethod

RMA = format_rma(1234)  # R0000012340
PRINTER_DPI = 203  # thermal label printers

# --------------------------------------------------------------------------------------------
# Sample data
# --------------------------------------------------------------------------------------------


def label_data(lang: str = "en", reprint: int = 0, rma: str = RMA) -> ReturnLabelData:
    chinese = lang == "zh_CN"
    return ReturnLabelData(
        rma=rma,
        created_on=date(2026, 11, 27),
        customer_name="张伟" if chinese else "Jane Doe",
        return_to=("退货处理中心", "上海市浦东新区物流路88号5号楼", "邮编 201300")
        if chinese
        else ("Returns Centre", "Building 5, 88 Logistics Road", "Pudong, Shanghai 201300"),
        item_count=3,
        company_name="海港户外用品" if chinese else "Harbor Lane Outfitters",
        lang=lang,  # type: ignore[arg-type]
        reprint=reprint,
    )


def receipt_lines(lang: str = "en") -> tuple[ReceiptLine, ...]:
    chinese = lang == "zh_CN"
    return (
        ReceiptLine("SKU-10042", "越野跑鞋 42码" if chinese else "Trail running shoes, size 42", 1, 59900, 0, 59900),
        ReceiptLine(
            "SKU-20017", "美利奴羊毛袜 三双装" if chinese else "Merino wool socks, 3-pack", 2, 8900, 1780, 16020
        ),
    )


def receipt_data(lang: str = "en", reprint: int = 0, lines: tuple[ReceiptLine, ...] | None = None) -> ReceiptData:
    chinese = lang == "zh_CN"
    lines = lines if lines is not None else receipt_lines(lang)
    subtotal = sum(line.gross for line in lines)
    deductions = sum(line.deductions for line in lines) + 1000
    shipping = 1500
    return ReceiptData(
        store_name="海港户外用品 南京西路店" if chinese else "Harbor Lane Outfitters",
        store_address=("上海市静安区南京西路1266号",) if chinese else ("1266 West Nanjing Road, Shanghai",),
        rma=RMA,
        issued_at=datetime(2026, 11, 27, 14, 5),
        clerk="李娜" if chinese else "Li Na",
        customer_name="张伟" if chinese else "Jane Doe",
        order_number="SO-1042",
        lines=lines,
        subtotal=subtotal,
        deductions=deductions,
        shipping_refund=shipping,
        total=subtotal - deductions + shipping,
        refund_method=RefundMethod.ORIGINAL_PAYMENT,
        policy_text="凭收据于购买后30天内退货。" if chinese else "Returns within 30 days of purchase with the receipt.",
        lang=lang,  # type: ignore[arg-type]
        reprint=reprint,
    )


def tag_data(lang: str = "en", reprint: int = 0, sku: str = "SKU-20017") -> ItemTagData:
    return ItemTagData(
        rma=RMA,
        sku=sku,
        product_name="美利奴羊毛袜 三双装" if lang == "zh_CN" else "Merino wool socks, 3-pack",
        grade=Grade.B,
        disposition=Disposition.RETURN_TO_VENDOR,
        unit_number=2,
        unit_count=3,
        lang=lang,  # type: ignore[arg-type]
        reprint=reprint,
    )


def credit_lines(count: int = 3, lang: str = "en") -> tuple[CreditNoteLine, ...]:
    chinese = lang == "zh_CN"
    base = [
        ("SKU-10042", "越野跑鞋 42码" if chinese else "Trail running shoes, size 42", 1, 53009, "0.13", 6891),
        ("SKU-20017", "美利奴羊毛袜 三双装" if chinese else "Merino wool socks, 3-pack", 2, 14177, "0.13", 1843),
        ("BOOK-3", "海岸鸟类图鉴" if chinese else "Field guide to coastal birds", 1, 8257, "0.09", 743),
    ]
    lines = []
    for i in range(count):
        sku, desc, qty, net, rate, tax = base[i % len(base)]
        lines.append(CreditNoteLine(sku, desc, qty, net, Decimal(rate), tax, net + tax))
    return tuple(lines)


def credit_data(lang: str = "en", reprint: int = 0, count: int = 3) -> CreditNoteData:
    chinese = lang == "zh_CN"
    lines = credit_lines(count, lang)
    return CreditNoteData(
        credit_note_number="CN-2026-000871",
        issued_on=date(2026, 11, 27),
        company_name="海港户外用品有限公司" if chinese else "Harbor Lane Outfitters Co., Ltd.",
        company_address=("上海市静安区南京西路1266号",) if chinese else ("1266 West Nanjing Road", "Shanghai 200040"),
        company_tax_id="91310000MA1K4XYZ7Q",
        customer_name="张伟" if chinese else "Jane Doe",
        customer_address=("杭州市西湖区花园巷22号",) if chinese else ("22 Garden Lane", "Hangzhou 310000"),
        rma=RMA,
        order_number="SO-1042",
        lines=lines,
        net_total=sum(line.net for line in lines),
        tax_total=sum(line.tax for line in lines),
        gross_total=sum(line.gross for line in lines),
        refund_method=RefundMethod.ORIGINAL_PAYMENT,
        lang=lang,  # type: ignore[arg-type]
        reprint=reprint,
    )


# --------------------------------------------------------------------------------------------
# Checking a PDF
# --------------------------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    """All text pypdf extracts, pages joined by newlines."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of every page's media box."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]


def fonts(pdf: bytes) -> dict[str, bool]:
    """Every font used on any page, by base font name -> whether its glyph program is embedded.

    Simple TrueType fonts carry /FontFile2 in their /FontDescriptor; composite (Type0) fonts in the
    /FontDescriptor of their /DescendantFonts. Standard Type 1 fonts (Helvetica...) have none.
    """
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        font_dict = resources.get_object().get("/Font")
        if font_dict is None:
            continue
        for ref in font_dict.get_object().values():
            font = ref.get_object()
            name = str(font.get("/BaseFont"))
            descriptors = []
            if font.get("/Subtype") == "/Type0":
                for descendant in font["/DescendantFonts"].get_object():
                    descriptors.append(descendant.get_object().get("/FontDescriptor"))
            else:
                descriptors.append(font.get("/FontDescriptor"))
            embedded = bool(descriptors) and all(
                d is not None
                and any(key in d.get_object() for key in ("/FontFile2", "/FontFile", "/FontFile3"))
                for d in descriptors
            )
            truetype = bool(descriptors) and all(d is not None and "/FontFile2" in d.get_object() for d in descriptors)
            found[name] = embedded and truetype
    return found


def render_page(pdf: bytes, page: int = 0, dpi: int = PRINTER_DPI) -> Image.Image:
    """One page rendered by pdfium at ``dpi``, composited on white (pdfium renders transparency)."""
    document = pdfium.PdfDocument(pdf)
    try:
        bitmap = document[page].render(scale=dpi / 72, may_draw_forms=False)
        image = bitmap.to_pil().convert("RGBA")
    finally:
        document.close()
    white = Image.new("RGBA", image.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, image).convert("L")


def decode(image: Image.Image) -> list[tuple[str, str]]:
    """(format name, text) of every barcode zxing-cpp finds in ``image``."""
    return sorted((str(r.format).split(".")[-1], r.text) for r in zxingcpp.read_barcodes(image))


def decoded_texts(pdf: bytes, page: int = 0, dpi: int = PRINTER_DPI) -> list[str]:
    """The texts of all barcodes on a page, sorted."""
    return sorted(text for _, text in decode(render_page(pdf, page, dpi)))
