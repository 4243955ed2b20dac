"""Credit note (A4): text and amounts, embedded fonts, RMA barcode, page size, pagination."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from reportlab.lib.pagesizes import A4

from returndesk.documents import CreditNoteLine, render_credit_note
from returndesk.domain.errors import ValidationFailed

from .documents_support import RMA, credit_data, decoded_texts, fonts, page_sizes, pdf_text

LANGS = ["en", "zh_CN"]


@pytest.mark.parametrize("lang", LANGS)
def test_credit_note_text_has_references_lines_and_totals(lang: str) -> None:
    data = credit_data(lang)
    text = pdf_text(render_credit_note(data))
    for expected in (data.credit_note_number, RMA, "SO-1042", "2026-11-27", data.customer_name, data.company_name,
                     "91310000MA1K4XYZ7Q"):
        assert expected in text
    for line in data.lines:
        assert line.sku in text
        assert line.description in " ".join(text.split()) or line.description in text
    # nets 530.09 + 141.77 + 82.57 = 754.43; taxes 68.91 + 18.43 + 7.43 = 94.77; gross 849.20
    for amount in ("530.09", "68.91", "599.00", "13%", "9%", "¥754.43", "¥94.77", "¥849.20"):
        assert amount in text, amount
    assert ("贷项通知单" if lang == "zh_CN" else "CREDIT NOTE") in text


@pytest.mark.parametrize("lang", LANGS)
def test_credit_note_embeds_every_font(lang: str) -> None:
    used = fonts(render_credit_note(credit_data(lang, count=60)))
    assert used and all(used.values()), used


@pytest.mark.parametrize("lang", LANGS)
def test_credit_note_barcode_decodes_to_exactly_the_rma(lang: str) -> None:
    assert decoded_texts(render_credit_note(credit_data(lang))) == [RMA]


def test_credit_note_is_a4() -> None:
    for width, height in page_sizes(render_credit_note(credit_data())):
        assert width == pytest.approx(A4[0], abs=0.01)
        assert height == pytest.approx(A4[1], abs=0.01)


@pytest.mark.parametrize("lang,page", [("en", "Page {n} of {m}"), ("zh_CN", "第 {n} 页，共 {m} 页")])
def test_many_lines_flow_onto_numbered_pages(lang: str, page: str) -> None:
    pdf = render_credit_note(credit_data(lang, count=80))
    pages = len(page_sizes(pdf))
    assert pages >= 2
    text = pdf_text(pdf)
    for n in range(1, pages + 1):
        assert page.format(n=n, m=pages) in text
    assert text.count(credit_data(lang).credit_note_number) >= pages  # header on every page
    assert "80" in text.split()  # the last line's number


@pytest.mark.parametrize("lang,mark", [("en", "REPRINT 1"), ("zh_CN", "重印 1")])
def test_reprint_is_marked(lang: str, mark: str) -> None:
    assert mark in pdf_text(render_credit_note(credit_data(lang, reprint=1)))
    assert mark not in pdf_text(render_credit_note(credit_data(lang)))


def test_line_gross_must_be_net_plus_tax() -> None:
    with pytest.raises(ValidationFailed, match="gross"):
        CreditNoteLine("SKU-1", "Thing", 1, 1000, Decimal("0.13"), 130, 1131)


def test_tax_rate_must_not_be_a_float() -> None:
    with pytest.raises(ValidationFailed, match="float"):
        CreditNoteLine("SKU-1", "Thing", 1, 1000, 0.13, 130, 1130)  # type: ignore[arg-type]


def test_totals_must_be_the_sum_of_the_lines() -> None:
    data = credit_data()
    with pytest.raises(ValidationFailed, match="sum of its lines"):
        dataclasses.replace(data, tax_total=data.tax_total + 1)
