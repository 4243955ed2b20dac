"""Scan codes: RMA numbers, order numbers, GTINs, command barcodes and classification."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from returndesk.domain import scan
from returndesk.domain.errors import ValidationFailed
from returndesk.domain.scan import (
    COMMAND_PREFIX,
    COMMANDS,
    CommandScan,
    ItemScan,
    OrderScan,
    RmaScan,
    UnknownScan,
    classify,
    command_label,
    command_payload,
    damm_check_digit,
    format_rma,
    gtin_check_digit,
    gtin_to_ean13,
    is_reserved_code,
    is_valid_gtin,
    looks_like_order,
    mod37_36_check_char,
    mod37_36_is_valid,
    normalize_gtin,
    normalize_order,
    parse_rma,
    rma_sequence,
)
from returndesk.domain.types import Disposition, Grade

sequences = st.integers(min_value=1, max_value=scan.MAX_RMA_SEQUENCE)


# ---------------------------------------------------------------- Damm and RMA numbers


def test_damm_published_example() -> None:
    # The worked example of Damm's algorithm: 572 -> 4.
    assert damm_check_digit("572") == "4"


def test_format_rma_shape_and_digit() -> None:
    assert format_rma(1234) == "R0000012340"
    assert format_rma(1) == "R0000000013"
    assert format_rma(scan.MAX_RMA_SEQUENCE).startswith("R999999999")


@pytest.mark.parametrize("bad", [0, -5, 10**9])
def test_format_rma_out_of_range(bad: int) -> None:
    with pytest.raises(ValidationFailed, match="out of range"):
        format_rma(bad)


def test_format_rma_rejects_non_int() -> None:
    with pytest.raises(TypeError):
        format_rma("12")  # type: ignore[arg-type]


@settings(deadline=None)
@given(sequences)
def test_rma_round_trip(seq: int) -> None:
    rma = format_rma(seq)
    assert len(rma) == scan.RMA_LENGTH
    assert parse_rma(rma) == rma
    assert rma_sequence(rma) == seq


@settings(deadline=None)
@given(sequences, st.sampled_from([" ", "-", "  ", " - "]), st.booleans())
def test_parse_rma_forgives_case_spaces_and_hyphens(seq: int, sep: str, lower: bool) -> None:
    rma = format_rma(seq)
    typed = rma[:1] + sep + rma[1:5] + sep + rma[5:]
    if lower:
        typed = typed.lower()
    assert parse_rma("  " + typed + " ") == rma


def test_parse_rma_misread_message() -> None:
    with pytest.raises(ValidationFailed) as info:
        parse_rma("R0000012349")
    assert str(info.value) == (
        "R0000012349 is not a valid RMA number: the check digit does not match;"
        " rescan or type it again"
    )


@pytest.mark.parametrize("text", ["R123", "X0000012340", "R00000123400", "R00000A2340", ""])
def test_parse_rma_wrong_shape(text: str) -> None:
    with pytest.raises(ValidationFailed, match="is not an RMA number"):
        parse_rma(text)


@settings(deadline=None)
@given(sequences, st.integers(min_value=1, max_value=10), st.integers(min_value=1, max_value=9))
def test_damm_catches_every_single_digit_substitution(seq: int, pos: int, delta: int) -> None:
    rma = format_rma(seq)
    digit = (int(rma[pos]) + delta) % 10
    misread = rma[:pos] + str(digit) + rma[pos + 1 :]
    with pytest.raises(ValidationFailed, match="check digit does not match"):
        parse_rma(misread)


@settings(deadline=None)
@given(sequences, st.integers(min_value=1, max_value=9))
def test_damm_catches_every_adjacent_transposition(seq: int, pos: int) -> None:
    rma = format_rma(seq)
    assume(rma[pos] != rma[pos + 1])
    swapped = rma[:pos] + rma[pos + 1] + rma[pos] + rma[pos + 2 :]
    with pytest.raises(ValidationFailed, match="check digit does not match"):
        parse_rma(swapped)


def test_damm_exhaustive_single_errors_on_short_bodies() -> None:
    # Every 3-digit body: every substitution and transposition in body+check is caught.
    for n in range(1000):
        body = f"{n:03d}"
        word = body + damm_check_digit(body)
        for i in range(4):
            for d in "0123456789":
                if d != word[i]:
                    assert not scan.damm_is_valid(word[:i] + d + word[i + 1 :])
        for i in range(3):
            if word[i] != word[i + 1]:
                assert not scan.damm_is_valid(word[:i] + word[i + 1] + word[i] + word[i + 2 :])


# ---------------------------------------------------------------- order numbers


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("SO-1042", "SO-1042"), ("so-1042", "SO-1042"), ("SO1042", "SO-1042"), (" SO - 7 ", "SO-7")],
)
def test_order_numbers(text: str, canonical: str) -> None:
    assert looks_like_order(text)
    assert normalize_order(text) == canonical


@pytest.mark.parametrize("text", ["SO-", "SO-12A", "PO-1042", "1042", "SO-1-2"])
def test_not_order_numbers(text: str) -> None:
    assert not looks_like_order(text)
    with pytest.raises(ValidationFailed, match="not an order number"):
        normalize_order(text)


# ---------------------------------------------------------------- GTIN


@pytest.mark.parametrize(
    "code", ["4006381333931", "036000291452", "96385074", "10614141000415", "6901234567892"]
)
def test_known_valid_gtins(code: str) -> None:
    assert is_valid_gtin(code)


def test_upc_a_is_the_same_product_as_its_ean13() -> None:
    assert normalize_gtin("036000291452") == normalize_gtin("0036000291452") == "00036000291452"
    assert gtin_to_ean13("036000291452") == "0036000291452"
    assert gtin_to_ean13("00036000291452") == "0036000291452"


def test_gtin14_with_indicator_has_no_ean13() -> None:
    assert normalize_gtin("10614141000415") == "10614141000415"
    with pytest.raises(ValidationFailed, match="no\\s+EAN-13 form"):
        gtin_to_ean13("10614141000415")


def test_normalize_gtin_errors() -> None:
    with pytest.raises(ValidationFailed, match="check digit does not match"):
        normalize_gtin("4006381333932")
    with pytest.raises(ValidationFailed, match="8, 12, 13 or 14 digits"):
        normalize_gtin("12345")
    with pytest.raises(ValidationFailed, match="8, 12, 13 or 14 digits"):
        normalize_gtin("40063813339A1")


@settings(deadline=None)
@given(
    st.sampled_from([7, 11, 12, 13]).flatmap(
        lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)
    ),
    st.data(),
)
def test_gtin_check_digit_catches_every_single_substitution(body: str, data: st.DataObject) -> None:
    code = body + gtin_check_digit(body)
    assert is_valid_gtin(code)
    pos = data.draw(st.integers(min_value=0, max_value=len(code) - 1))
    delta = data.draw(st.integers(min_value=1, max_value=9))
    wrong = code[:pos] + str((int(code[pos]) + delta) % 10) + code[pos + 1 :]
    assert not is_valid_gtin(wrong)


@settings(deadline=None)
@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_upc_and_ean13_normalize_alike(body: str) -> None:
    upc = body + gtin_check_digit(body)
    assert normalize_gtin(upc) == normalize_gtin("0" + upc)
    assert classify(upc) == classify("0" + upc)


# ---------------------------------------------------------------- MOD 37,36 and commands


def test_mod37_36_reference_vector() -> None:
    # Reference value from ISO 7064 implementations (e.g. python-stdnum's documentation).
    assert mod37_36_check_char("A12425GABC1234002") == "M"
    assert mod37_36_is_valid("A12425GABC1234002M")


@settings(deadline=None)
@given(
    st.text(alphabet=scan.MOD37_36_ALPHABET, min_size=1, max_size=12),
    st.data(),
)
def test_mod37_36_catches_every_substitution(text: str, data: st.DataObject) -> None:
    word = text + mod37_36_check_char(text)
    assert mod37_36_is_valid(word)
    pos = data.draw(st.integers(min_value=0, max_value=len(word) - 1))
    other = data.draw(st.sampled_from(scan.MOD37_36_ALPHABET).filter(lambda c: c != word[pos]))
    assert not mod37_36_is_valid(word[:pos] + other + word[pos + 1 :])


def test_mod37_36_misses_only_a_few_adjacent_swaps() -> None:
    # A hybrid ISO 7064 system is not a pure one: a handful of the 1,260 swaps of two different
    # characters pass (e.g. IJ <-> JI). Command barcodes are scanned, not typed, so the check's
    # job is single misreads; swaps are still caught 998 times in 1,000.
    import itertools

    missed = total = 0
    for prefix in ("", "RD", "X9Q"):
        for a, b in itertools.permutations(scan.MOD37_36_ALPHABET, 2):
            check = mod37_36_check_char(prefix + a + b)
            total += 1
            missed += mod37_36_is_valid(prefix + b + a + check)
    assert missed / total < 0.002
    assert mod37_36_is_valid("JI" + mod37_36_check_char("IJ"))  # the known blind spot


EXPECTED_COMMANDS = [
    "grade_a", "grade_b", "grade_c", "grade_d",
    "restock", "refurbish", "rtv", "scrap", "return_to_customer",
    "complete", "short", "undo", "next", "wrong_item", "cancel",
    "fail_packaging", "fail_accessories", "fail_function", "note",
]


def test_command_set_and_order() -> None:
    assert list(COMMANDS) == EXPECTED_COMMANDS


@pytest.mark.parametrize("name", EXPECTED_COMMANDS)
def test_command_payload_round_trips(name: str) -> None:
    payload = command_payload(name)
    assert payload == COMMANDS[name]
    assert payload.startswith(COMMAND_PREFIX)
    # Code 128 set B friendly: printable ASCII only, and scanners with Caps Lock still work.
    assert payload.isascii() and payload.isprintable() and " " not in payload
    assert classify(payload) == CommandScan(name)
    assert classify(payload.lower()) == CommandScan(name)
    assert classify(f"  {payload}\n") == CommandScan(name)


def test_command_payloads_are_distinct() -> None:
    assert len(set(COMMANDS.values())) == len(COMMANDS)


@pytest.mark.parametrize("name", EXPECTED_COMMANDS)
def test_damaged_command_is_refused(name: str) -> None:
    payload = command_payload(name)
    wrong_char = "0" if payload[-1] != "0" else "1"
    result = classify(payload[:-1] + wrong_char)
    assert isinstance(result, UnknownScan)
    assert "did not read correctly" in result.reason


def test_well_formed_unknown_command() -> None:
    code = "ZZTOP"
    result = classify(COMMAND_PREFIX + code + mod37_36_check_char(code))
    assert isinstance(result, UnknownScan)
    assert "does not know" in result.reason


def test_command_prefix_never_in_other_codes() -> None:
    samples = [format_rma(s) for s in (1, 1234, 987654321)] + ["SO-1042", "4006381333931"]
    assert all(COMMAND_PREFIX not in s for s in samples)
    assert "$" not in scan.MOD37_36_ALPHABET


def test_grade_and_disposition_commands() -> None:
    assert CommandScan("grade_c").grade is Grade.C
    assert CommandScan("grade_c").disposition is None
    assert CommandScan("rtv").disposition is Disposition.RETURN_TO_VENDOR
    assert CommandScan("complete").grade is None
    assert set(scan.GRADE_COMMANDS) == set(Grade)
    assert set(scan.DISPOSITION_COMMANDS) == set(Disposition)


def test_command_labels() -> None:
    assert command_label("grade_a") == "Grade A — new, resealable"
    assert command_label("grade_a", "zh") == "A级 — 全新未拆封"
    assert command_label("grade_a", "zh_CN") == "A级 — 全新未拆封"
    for name in COMMANDS:
        assert command_label(name, "en")
        assert not command_label(name, "zh").isascii()


def test_unknown_command_name() -> None:
    with pytest.raises(ValidationFailed, match="not a station command"):
        command_payload("grade_e")
    with pytest.raises(ValidationFailed, match="not a station command"):
        command_label("launch")


def test_reserved_codes() -> None:
    assert is_reserved_code("$RDX1")
    assert is_reserved_code(format_rma(5))
    assert is_reserved_code("so-77")
    assert not is_reserved_code("ABC-123")


# ---------------------------------------------------------------- classify


def test_classify_kinds() -> None:
    assert classify("r 000001234-0") == RmaScan("R0000012340")
    assert classify("so-1042") == OrderScan("SO-1042")
    assert classify("4006381333931") == ItemScan(code="4006381333931", gtin="04006381333931")
    assert classify("036000291452") == ItemScan(code="0036000291452", gtin="00036000291452")
    assert classify("96385074") == ItemScan(code="96385074", gtin="00000096385074")
    assert classify("10614141000415") == ItemScan(code="10614141000415", gtin="10614141000415")
    assert classify("abc-12") == ItemScan(code="ABC-12")


def test_classify_misread_rma_is_unknown_with_reason() -> None:
    result = classify("R0000012349")
    assert isinstance(result, UnknownScan)
    assert "check digit does not match" in result.reason


def test_classify_numeric_code_with_bad_check_digit_is_plain_item() -> None:
    assert classify("4006381333932") == ItemScan(code="4006381333932", gtin=None)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Nothing was scanned"),
        ("   ", "Nothing was scanned"),
        ("退货", "input method"),
        ("AB\x1dCD", "control characters"),
        ("AB CD", "contains spaces"),
        ("A" * 49, "49 characters"),
    ],
)
def test_classify_unknown(text: str, fragment: str) -> None:
    result = classify(text)
    assert isinstance(result, UnknownScan)
    assert result.text == text
    assert fragment in result.reason


@settings(deadline=None)
@given(st.text(max_size=60))
def test_classify_is_total(text: str) -> None:
    # Any input gives one of the five kinds, never an exception.
    assert isinstance(classify(text), RmaScan | OrderScan | ItemScan | CommandScan | UnknownScan)


@settings(deadline=None)
@given(sequences)
def test_classify_every_valid_rma(seq: int) -> None:
    assert classify(format_rma(seq)) == RmaScan(format_rma(seq))
