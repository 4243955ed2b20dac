"""Command sheet (A4): every station command from domain.scan, scannable, in both languages."""

from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import A4

from returndesk.documents import render_command_sheet
from returndesk.documents.command_sheet import command_groups
from returndesk.domain.errors import ValidationFailed
from returndesk.domain.scan import COMMANDS, CommandScan, classify, command_label

from .documents_support import decoded_texts, fonts, page_sizes, pdf_text

LANGS = ["en", "zh_CN"]


@pytest.mark.parametrize("lang", LANGS)
def test_sheet_lists_every_command_with_its_label_and_payload(lang: str) -> None:
    text = pdf_text(render_command_sheet(lang))
    for name, payload in COMMANDS.items():
        assert payload in text
        assert command_label(name, "zh" if lang == "zh_CN" else "en") in text


@pytest.mark.parametrize("lang", LANGS)
def test_sheet_embeds_every_font(lang: str) -> None:
    used = fonts(render_command_sheet(lang))
    assert used and all(used.values()), used


@pytest.mark.parametrize("lang", LANGS)
def test_every_barcode_decodes_to_exactly_a_command_payload(lang: str) -> None:
    pdf = render_command_sheet(lang)
    decoded = [text for page in range(len(page_sizes(pdf))) for text in decoded_texts(pdf, page)]
    assert sorted(decoded) == sorted(COMMANDS.values())
    # and each one is read back by the station as the command it stands for
    assert {classify(text).name for text in decoded if isinstance(classify(text), CommandScan)} == set(COMMANDS)


def test_sheet_is_one_a4_page() -> None:
    sizes = page_sizes(render_command_sheet("en"))
    assert len(sizes) == 1
    assert sizes[0][0] == pytest.approx(A4[0], abs=0.01)
    assert sizes[0][1] == pytest.approx(A4[1], abs=0.01)


def test_groups_cover_each_command_once() -> None:
    names = [name for _, group in command_groups() for name in group]
    assert sorted(names) == sorted(COMMANDS)


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        render_command_sheet("fr")  # type: ignore[arg-type]
