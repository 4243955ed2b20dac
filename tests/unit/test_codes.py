"""Every spelling of a code has one normal form; what no person types is refused in a short sentence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from returndesk.domain.codes import clean_text, normalize_phone, normalize_sku, phone_digits, shown
from returndesk.domain.errors import ValidationFailed
from returndesk.domain.scan import (
    ItemScan,
    OrderScan,
    RmaScan,
    UnknownScan,
    classify,
    format_rma,
    looks_like_order,
    normalize_order,
    parse_rma,
)

FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}  # '!'..'~' -> '！'..'～'
DASHES = ["-", "－", "‐", "‑", "–", "—", "−", " ", "", " - "]
HOSTILE = [None, "SO-1042\x00", "R000001234\x000", "x" * 1_000_000, 42]


@st.composite
def spelled(draw, text: str, *, any_case: bool = True) -> str:
    """``text`` with each character perhaps full-width, perhaps in the other case."""
    out = []
    for ch in text:
        if any_case and ch.isalpha() and draw(st.booleans()):
            ch = ch.swapcase()
        if ch in FULL_WIDTH and draw(st.booleans()):
            ch = FULL_WIDTH[ch]
        out.append(ch)
    return "".join(out)


@st.composite
def padded(draw, text: str) -> str:
    """``text`` with the blanks people and scanners leave around it."""
    blanks = st.sampled_from(["", " ", "\u3000", "\t", "  ", "\r\n"])
    return draw(blanks) + text + draw(blanks)


@st.composite
def order_spellings(draw) -> tuple[str, str]:
    digits = draw(st.from_regex(r"[0-9]{1,18}", fullmatch=True))
    head = draw(spelled("SO"))
    return f"SO-{digits}", draw(padded(head + draw(st.sampled_from(DASHES)) + draw(spelled(digits))))


@given(order_spellings())
def test_every_spelling_of_an_order_number_has_one_normal_form(case):
    canonical, spelling = case
    assert looks_like_order(spelling)
    assert normalize_order(spelling) == canonical
    assert classify(spelling) == OrderScan(canonical)


def test_the_full_width_order_number_of_the_report_is_the_ascii_one():
    assert normalize_order("SO-７７７１") == normalize_order("SO-7771") == "SO-7771"
    assert normalize_order("ＳＯ－７７７１") == "SO-7771"


@pytest.mark.parametrize("text", ["SO-٧٧٧١", "SO-7771x", "SO-", "7771", "SO-1234567890123456789"])
def test_what_is_not_an_order_number_is_refused(text):
    assert not looks_like_order(text)
    with pytest.raises(ValidationFailed, match="is not an order number"):
        normalize_order(text)


@given(st.integers(min_value=1, max_value=999_999_999), st.data())
def test_every_spelling_of_an_rma_number_has_one_normal_form(sequence, data):
    rma = format_rma(sequence)
    body = rma[1:]
    cut = data.draw(st.integers(min_value=0, max_value=len(body)))
    spelling = data.draw(padded(data.draw(spelled("R")) + data.draw(st.sampled_from(DASHES[:6])) + body[:cut]
                                + data.draw(st.sampled_from(DASHES[:6])) + data.draw(spelled(body[cut:]))))
    assert parse_rma(spelling) == rma
    assert classify(spelling) == RmaScan(rma)


MOBILE = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@st.composite
def phone_spellings(draw) -> tuple[str, str]:
    number = draw(MOBILE)
    groups = [number[:3], number[3:7], number[7:]]
    separator = draw(st.sampled_from(["", " ", "-", "－", " - ", "\u3000", "."]))
    body = separator.join(groups) if draw(st.booleans()) else number
    if draw(st.booleans()):
        body = f"({groups[0]}) {groups[1]}-{groups[2]}"
    prefix = draw(st.sampled_from(["", "+86 ", "+86", "+86-", "0086 ", "0086", "86", "＋８６ "]))
    return number, draw(padded(draw(spelled(prefix + body, any_case=False))))


@given(phone_spellings())
def test_every_spelling_of_a_mainland_phone_is_its_eleven_digits(case):
    number, spelling = case
    assert normalize_phone(spelling) == number


@pytest.mark.parametrize(("text", "normal"), [
    ("+852 9123 4567", "+85291234567"),
    ("021-6123 4567", "02161234567"),
    ("86123456", "86123456"),  # a local number that begins with 86 keeps its digits
])
def test_other_phones_keep_what_makes_them_unique(text, normal):
    assert normalize_phone(text) == normal


@pytest.mark.parametrize("text", ["138-0013-800a", "+", "12", "李伟", "1" * 21])
def test_what_is_not_a_phone_is_refused(text):
    with pytest.raises(ValidationFailed, match="phone"):
        normalize_phone(text)
    assert phone_digits(text) is None or not 5 <= len(phone_digits(text).lstrip("+")) <= 20


def test_skus_are_upper_case_ascii_without_surrounding_blanks():
    assert normalize_sku(" ｅｌ－１００１ ") == "EL-1001"
    assert normalize_sku("el‐1001") == "EL-1001"
    with pytest.raises(ValidationFailed, match="no spaces"):
        normalize_sku("EL 1001")


def test_a_full_width_scan_of_a_sku_is_the_sku():
    assert classify("ＥＬ－１００１") == ItemScan(code="EL-1001")


@pytest.mark.parametrize("value", HOSTILE, ids=["none", "nul", "megabyte-order", "megabyte", "int"])
@pytest.mark.parametrize("check", [clean_text, normalize_order, parse_rma, normalize_phone, normalize_sku])
def test_hostile_input_is_refused_in_a_short_sentence(check, value):
    if value == "SO-1042\x00" and check is parse_rma:
        value = "R000001234\x000"
    with pytest.raises(ValidationFailed) as refused:
        check(value)
    assert len(refused.value.message) < 200
    assert "\x00" not in refused.value.message


@pytest.mark.parametrize("value", HOSTILE[:4])
def test_a_hostile_scan_is_unknown_with_a_short_reason(value):
    result = classify(value)
    assert isinstance(result, UnknownScan)
    assert len(result.reason) < 200 and len(result.text) <= 200


def test_echoes_are_short_and_printable():
    assert shown("a\x00b") == "a?b"
    assert shown("x" * 100) == "x" * 32 + "…"


def _clean_by_the_letter(value: str) -> str | None:
    """What clean_text keeps, by its definition: NFKC, dashes unified, blanks stripped; None
    where it must refuse (control characters, lone surrogates, too long)."""
    import unicodedata

    if len(value) > 80 * 4:
        return None
    dashes = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")
    text = unicodedata.normalize("NFKC", value).translate(dashes).strip()
    if len(text) > 80 or any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text):
        return None
    return text


@given(st.one_of(st.text(), st.text(alphabet=st.characters(max_codepoint=0x7F)),
                 st.text(alphabet=st.characters(codec="utf-8")
                         | st.sampled_from("\u2013\ufe63\x85\x00\t-\ud800\udfff"))))
def test_clean_text_keeps_and_refuses_exactly_what_its_definition_does(value):
    expected = _clean_by_the_letter(value)
    if expected is None:
        with pytest.raises(ValidationFailed):
            clean_text(value, max_length=80)
    else:
        assert clean_text(value, max_length=80) == expected
