"""Scans as they arrive from the scanner: AIM identifiers, GS1 element strings, fallbacks."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from returndesk.domain.scan import (
    COMMANDS,
    CommandScan,
    ItemScan,
    OrderScan,
    RmaScan,
    UnknownScan,
    classify,
    format_rma,
    gtin_check_digit,
)
from returndesk.services.usecases.scanning import parse_scan, strip_symbology_identifier

GS = "\x1d"
GTIN = "09501101020917"


def test_gs1_128_with_symbology_id_and_gs() -> None:
    raw = "]C1" + "01" + GTIN + "17261231" + "10ABC123" + GS + "21SN0001\r\n"
    assert parse_scan(raw) == ItemScan(
        code="9501101020917", serial="SN0001", gtin=GTIN, batch="ABC123", expiry=date(2026, 12, 31)
    )


@pytest.mark.parametrize("aim", ["]C1", "]d2", "]Q3", "]e0"])
def test_gs1_symbologies(aim: str) -> None:
    result = parse_scan(aim + "01" + GTIN + "21" + "X1")
    assert result == ItemScan(code="9501101020917", serial="X1", gtin=GTIN)


def test_substitute_separator_from_a_keyboard_wedge() -> None:
    raw = "]C1" + "01" + GTIN + "10LOT7|21S42"
    assert parse_scan(raw) == ItemScan(code="9501101020917", serial="S42", gtin=GTIN, batch="LOT7")


def test_other_substitute_and_none() -> None:
    raw = "01" + GTIN + "10LOT7#21S42"
    assert parse_scan(raw, gs_substitute="#") == ItemScan(
        code="9501101020917", serial="S42", gtin=GTIN, batch="LOT7"
    )
    # Without a substitute '#' is no separator: the scan is refused rather than read as a batch
    # that swallowed the serial ('#' is outside the GS1 character set).
    result = parse_scan("]C1" + raw, gs_substitute=None)
    assert isinstance(result, UnknownScan)
    assert "could not be read" in result.reason
    result = parse_scan("]C1" + "01" + GTIN + "10LOT7|21S42", gs_substitute="#")
    assert isinstance(result, UnknownScan)


def test_gs1_without_symbology_id() -> None:
    assert parse_scan("01" + GTIN + "21SN9") == ItemScan(code="9501101020917", serial="SN9", gtin=GTIN)
    assert parse_scan(GS + "01" + GTIN) == ItemScan(code="9501101020917", gtin=GTIN)


def test_human_readable_form_typed_by_hand() -> None:
    assert parse_scan("(01)09501101020917(17)261231(21)SN0001") == ItemScan(
        code="9501101020917", serial="SN0001", gtin=GTIN, expiry=date(2026, 12, 31)
    )


def test_gs1_digital_link() -> None:
    assert parse_scan("https://id.gs1.org/01/09501101020917/21/SN1") == ItemScan(
        code="9501101020917", serial="SN1", gtin=GTIN
    )


def test_ean_and_upc_with_symbology_id() -> None:
    assert parse_scan("]E04006381333931") == ItemScan(code="4006381333931", gtin="04006381333931")
    assert parse_scan("]E0036000291452") == ItemScan(code="0036000291452", gtin="00036000291452")
    assert parse_scan("]E496385074") == ItemScan(code="96385074", gtin="00000096385074")


def test_upc_in_gs1_is_the_same_product_as_plain_upc() -> None:
    gs1 = parse_scan("]C101" + "00036000291452" + "21A")
    plain = parse_scan("036000291452")
    assert isinstance(gs1, ItemScan) and isinstance(plain, ItemScan)
    assert gs1.gtin == plain.gtin == "00036000291452"
    assert gs1.code == plain.code


def test_our_own_codes_through_code_128() -> None:
    rma = format_rma(1234)
    assert parse_scan("]C0" + rma + "\r") == RmaScan(rma)
    assert parse_scan("]C0SO-1042\n") == OrderScan("SO-1042")
    assert parse_scan("]C0" + COMMANDS["complete"]) == CommandScan("complete")
    assert parse_scan("]Q1ABC-7") == ItemScan(code="ABC-7")


def test_plain_scans_delegate_to_classify() -> None:
    for text in [format_rma(77), "so-9", COMMANDS["grade_b"], "SKU-001", "4006381333931"]:
        assert parse_scan(text) == classify(text)


def test_gs1_with_bad_gtin_check_digit_is_unknown() -> None:
    result = parse_scan("]C10109501101020918" + "21X")
    assert isinstance(result, UnknownScan)
    assert "check digit does not match" in result.reason
    result = parse_scan("(01)09501101020918")
    assert isinstance(result, UnknownScan)


def test_gs1_with_invalid_date_is_unknown() -> None:
    result = parse_scan("]C101" + GTIN + "17991331")
    assert isinstance(result, UnknownScan)
    assert "could not be read" in result.reason


def test_sscc_is_not_a_product() -> None:
    sscc = "37613032110910342"
    sscc += gtin_check_digit(sscc)
    result = parse_scan("]C100" + sscc)
    assert isinstance(result, UnknownScan)
    assert "shipping container code" in result.reason


def test_gs1_without_gtin() -> None:
    result = parse_scan("]C110LOT1")
    assert isinstance(result, UnknownScan)
    assert "no product number" in result.reason


def test_garbage_with_gs1_identifier() -> None:
    result = parse_scan("]C1hello")
    assert isinstance(result, UnknownScan)
    assert result.text == "]C1hello"


def test_unknown_keeps_raw_text() -> None:
    result = parse_scan("]C0R0000012349")
    assert isinstance(result, UnknownScan)
    assert result.text == "]C0R0000012349"
    assert "check digit does not match" in result.reason


def test_numeric_sixteen_digits_with_bad_gtin_falls_back_to_item() -> None:
    # Not certainly GS1: an internal numeric code stays an item without GTIN.
    assert parse_scan("0109501101020918") == ItemScan(code="0109501101020918")


def test_strip_symbology_identifier() -> None:
    assert strip_symbology_identifier("]C1010") == ("]C1", "010")
    assert strip_symbology_identifier("]x") == (None, "]x")
    assert strip_symbology_identifier("ABC") == (None, "ABC")


@settings(deadline=None)
@given(
    st.text(alphabet="0123456789", min_size=13, max_size=13),
    st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=20),
    st.sampled_from(["]C1", "]d2", "]Q3", ""]),
    st.sampled_from([GS, "|"]),
)
def test_gs1_gtin_and_serial_round_trip(body: str, serial: str, aim: str, sep: str) -> None:
    gtin = body + gtin_check_digit(body)
    raw = f"{aim}01{gtin}21{serial}{sep}10B1"
    result = parse_scan(raw)
    assert isinstance(result, ItemScan)
    assert result.gtin == gtin
    assert result.serial == serial
    assert result.batch == "B1"


@settings(deadline=None)
@given(st.text(max_size=40))
def test_parse_scan_is_total(text: str) -> None:
    assert isinstance(parse_scan(text), RmaScan | OrderScan | ItemScan | CommandScan | UnknownScan)
