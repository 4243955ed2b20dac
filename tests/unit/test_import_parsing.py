"""Import files as shops, ERPs and Excel write them, parsed without a database: dates, encodings,
workbooks, physical row numbers, and hostile files refused with a sentence, never a traceback."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from returndesk.domain.errors import ValidationFailed
from returndesk.services.usecases.import_files import EXCEL_EPOCH, decode_text
from returndesk.services.usecases.importing import (
    COLUMNS,
    MAX_AMOUNT,
    MAX_QUANTITY,
    ImportRefused,
    parse_orders,
    parse_timestamp,
)

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def row(i: int = 1, **values: object) -> dict[str, object]:
    base: dict[str, object] = dict(order_no=f"SO-{9000 + i}", channel="online", customer_code="C-1",
                                   customer_name="李伟", sold_at="2026-11-01", payment_method="card",
                                   line_no="1", sku="EL-1002", quantity="1", unit_price="149.00",
                                   tax="17.14", paid="149.00")
    base.update(values)
    return base


def csv_text(rows: list[dict[str, object]], header: list[str] | None = None) -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=header or list(COLUMNS), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def parse(data: bytes, name: str = "shop.csv", **kwargs):
    return parse_orders(data, name, now=NOW, **kwargs)


def rows_named(problems: list[str]) -> set[int]:
    return {int(p.split(":")[0].split()[1]) for p in problems}


def xlsx_bytes(rows: list[list[object]], *, epoch_1904: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Orders"
    if epoch_1904:
        book.epoch = datetime(1904, 1, 1)
    for number, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row=number, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize("text, expected", [
    ("2026/1/5 14:30", datetime(2026, 1, 5, 14, 30)),
    ("2026/1/5 14:30:07", datetime(2026, 1, 5, 14, 30, 7)),
    ("2026-1-5", datetime(2026, 1, 5)),
    ("2026-01-05 9:05", datetime(2026, 1, 5, 9, 5)),
    ("2026.1.5", datetime(2026, 1, 5)),
    ("2026年1月5日 14:30", datetime(2026, 1, 5, 14, 30)),
    ("２０２６／１／５　１４：３０", datetime(2026, 1, 5, 14, 30)),
    ("46027.60417", datetime(2026, 1, 5, 14, 30)),
    ("46027", datetime(2026, 1, 5)),
    ("2026-11-20T14:30:00+08:00", datetime(2026, 11, 20, 14, 30, tzinfo=timezone(timedelta(hours=8)))),
    ("2026-11-20 09:15:00Z", datetime(2026, 11, 20, 9, 15, tzinfo=UTC)),
    ("2026/11/20 14:30 +0800", datetime(2026, 11, 20, 14, 30, tzinfo=timezone(timedelta(hours=8)))),
])
def test_dates_as_excel_and_erps_write_them(text, expected):
    stamp = parse_timestamp(text)
    assert stamp == expected and (stamp.tzinfo is None) == (expected.tzinfo is None)


@pytest.mark.parametrize("text", ["10/11/2026", "31/31/2026", "2026-13-01", "2026-2-30", "2026", "someday",
                                  "2026-1-5 25:00", "1e5", "99999999", "0001-01-01", "9999-12-31 23:59"])
def test_what_is_not_a_date_is_refused_with_the_forms(text):
    with pytest.raises(ValueError, match="2026/1/5 14:30|Excel date|between 1900 and 9998"):
        parse_timestamp(text)


stamps = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)).map(
    lambda d: d.replace(microsecond=0))


@given(stamps, st.sampled_from(["-", "/", "."]), st.booleans(), st.booleans(), st.booleans())
def test_any_date_time_in_any_excel_spelling_reads_back(stamp, sep, pad, with_time, with_seconds):
    """Zero-padded or not, any separator, with or without the time and the seconds: the same
    naive date-time comes back (the site's clock is applied later, in one place)."""
    def two(n: int) -> str:
        return f"{n:02d}" if pad else str(n)
    text = f"{stamp.year}{sep}{two(stamp.month)}{sep}{two(stamp.day)}"
    expected = stamp.replace(hour=0, minute=0, second=0)
    if with_time:
        text += f" {two(stamp.hour)}:{stamp.minute:02d}"
        expected = stamp.replace(second=0)
        if with_seconds:
            text += f":{stamp.second:02d}"
            expected = stamp
    assert parse_timestamp(text) == expected


@given(stamps)
def test_any_excel_serial_number_reads_to_the_second(stamp):
    serial = Decimal((stamp - EXCEL_EPOCH).total_seconds()) / Decimal(86400)
    assert parse_timestamp(serial.quantize(Decimal("0.0000001"))) == stamp
    assert parse_timestamp(str(serial.quantize(Decimal("0.0000001")))) == stamp


# --------------------------------------------------------------------------- encodings

CJK = "李伟周杰王芳张敏上海市浦东新区南京路号楼室退货订单耳机充电器"
texts = st.text(alphabet=st.sampled_from(CJK + "abcXYZ 019-,.@éüñ"), min_size=1, max_size=40)


@given(texts, st.booleans())
def test_utf8_with_or_without_bom_is_detected(text, bom):
    data = ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")
    decoded = decode_text(data, "x.csv", None)
    assert decoded.text == text
    assert decoded.encoding.startswith("UTF-8 with byte-order mark" if bom else "UTF-8 (detected")


@given(texts)
def test_gb18030_is_detected_when_it_is_not_also_utf8(text):
    data = text.encode("gb18030")
    valid_utf8 = True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        valid_utf8 = False
    assume(not valid_utf8)  # pure ASCII (and a few lone characters) read the same either way
    decoded = decode_text(data, "x.csv", None)
    assert (decoded.text, decoded.encoding) == (text, "GB18030 (detected)")


def test_a_gb18030_file_imports_without_encoding_and_says_so():
    parsed = parse(csv_text([row(1), row(2, customer_name="周杰")]).encode("gb18030"))
    assert parsed.problems == [] and parsed.read_as == "GB18030 (detected)"
    assert [o.customer_name for o in parsed.orders] == ["李伟", "周杰"]


def test_a_gb18030_file_that_is_also_valid_utf8_is_read_as_utf8_and_says_so():
    """毛 in GB18030 is the bytes of ë in UTF-8: such a file is ambiguous; the output names both."""
    data = csv_text([row(1, customer_name="毛")]).encode("gb18030")
    parsed = parse(data)
    assert parsed.orders[0].customer_name == "ë"
    assert parsed.read_as == ("UTF-8 (detected; it also reads as GB18030, 'ë' as '毛': "
                              "if that is right, give --encoding gb18030)")
    assert parse(data, encoding="gb18030").orders[0].customer_name == "毛"
    # Latin letters alone are ambiguous the same way; the note lets the clerk see which is right.
    assert "'ü' as '眉'" in parse(csv_text([row(1, customer_name="Müller")]).encode("utf-8")).read_as
    assert parse(csv_text([row(1, customer_name="Müller 李")]).encode("utf-8")).read_as == "UTF-8 (detected)"


@pytest.mark.parametrize("encoding", ["gb18030", "GBK", "utf-8", None])
def test_a_utf8_byte_order_mark_wins_over_the_encoding_given(encoding):
    parsed = parse(b"\xef\xbb\xbf" + csv_text([row()]).encode("utf-8"), encoding=encoding)
    assert parsed.problems == [] and parsed.orders[0].customer_name == "李伟"
    assert parsed.read_as.startswith("UTF-8 with byte-order mark")


@pytest.mark.parametrize("encoding", ["gb18030", None])
def test_a_gb18030_byte_order_mark_is_not_part_of_the_header(encoding):
    parsed = parse(("\ufeff" + csv_text([row()])).encode("gb18030"), encoding=encoding)
    assert parsed.problems == [] and parsed.orders[0].customer_name == "李伟"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "cp936", "latin-1", "cp1252"])
def test_utf8_read_as_another_encoding_is_refused_naming_utf8(encoding):
    """Today: a UTF-8 file read as GBK stores 李伟 as 鏉庝紵, silently."""
    with pytest.raises(ImportRefused) as caught:
        parse(csv_text([row()]).encode("utf-8"), encoding=encoding)
    message = caught.value.message
    assert "is UTF-8 text" in message and "'李伟'" in message and "--encoding utf-8" in message
    if encoding in ("gbk", "gb18030", "cp936"):
        assert "鏉庝紵" in message


def test_gb18030_read_as_latin1_is_refused_naming_gb18030():
    with pytest.raises(ImportRefused, match="looks like GB18030"):
        parse(csv_text([row()]).encode("gb18030"), encoding="latin-1")


def test_gb18030_read_as_utf8_is_refused_naming_gb18030():
    with pytest.raises(ImportRefused, match="reads as GB18030.*--encoding gb18030"):
        parse(csv_text([row()]).encode("gb18030"), encoding="utf-8")


@pytest.mark.parametrize("data, words", [
    (b"order_no\n\xff\xfe\xfd\x80\n", "neither UTF-8 nor GB18030 text (line 2"),
    (b"\xef\xbb\xbforder_no\n\xff\n", "byte-order mark but is not UTF-8 text (line 2)"),
    ("order_no\n李伟".encode("utf-16"), "UTF-16"),
    (b"order_no,channel\nSO-1,\x00store\n", "NUL"),
    (b"PK\x03\x04rest of a workbook", "name it .xlsx"),
])
def test_unreadable_text_is_refused_with_a_sentence(data, words):
    with pytest.raises(ImportRefused) as caught:
        parse(data)
    assert words in caught.value.message


def test_a_cell_beyond_the_csv_reader_is_named_by_its_line():
    text = csv_text([row(1), row(2, customer_address="x" * 200_000)])
    with pytest.raises(ImportRefused, match=r"^row 3: the CSV cannot be read from this line on \(field larger"):
        parse(text.encode())


def test_an_unknown_encoding_is_a_sentence():
    with pytest.raises(ImportRefused, match="not a text encoding"):
        parse(b"order_no\n", encoding="klingon-8")


# --------------------------------------------------------------------------- physical row numbers


def test_rows_are_physical_lines_blank_lines_and_line_breaks_in_cells_included():
    text = csv_text([row(1), row(2, customer_address="上海市\n浦东新区\n88号"), row(3, quantity="x")])
    header, first, second, third, end = text.split("\r\n")
    # line 1 header, 2 first, 3-4 blank, 5-7 second (two line breaks in its address), 8 blank, 9 third
    text = "\r\n".join([header, first, "", "", second, "", third, end])
    parsed = parse(text.encode("utf-8"))
    assert [p.split(":")[0] for p in parsed.problems] == ["row 9"], parsed.problems
    assert [o.where for o in parsed.orders] == ["row 2", "row 5"]


@settings(max_examples=60)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 2), st.booleans()), min_size=1, max_size=10))
def test_every_bad_record_is_named_by_the_line_where_it_starts(shape):
    """Any mix of good and bad records, blank lines before them and multi-line addresses."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    line = 2
    expected = set()
    for i, (bad, blanks, multiline) in enumerate(shape):
        out.write("\n" * blanks)
        line += blanks
        values = row(i, quantity="-1" if bad else "1",
                     customer_address="1 Road\nFloor 2" if multiline else "1 Road")
        if bad:
            expected.add(line)
        writer.writerow(values)
        line += 2 if multiline else 1
    parsed = parse(out.getvalue().encode("utf-8"))
    assert rows_named(parsed.problems) == expected
    assert len(parsed.orders) == sum(1 for bad, _b, _m in shape if not bad)


# --------------------------------------------------------------------------- Excel workbooks

HEADER = list(COLUMNS)


def sheet_row(**values: object) -> list[object]:
    return [values.get(c) for c in HEADER]


def test_an_xlsx_workbook_with_excel_dates_and_numbers():
    data = xlsx_bytes([
        HEADER,
        sheet_row(order_no="SO-1", channel="online", customer_code="C-1", sold_at=datetime(2026, 1, 5, 14, 30),
                  payment_method="alipay", line_no=1, sku="EL-1001", quantity=2.0, unit_price=399,
                  discount=0.5, paid=797.5, customer_phone=13800138000),
        [],
        sheet_row(order_no="SO-2", channel="phone", customer_code="C-1", sold_at=46027.60416666667,
                  delivered_at="2026/1/7 9:00", payment_method="cod", line_no=1, sku="EL-1002", quantity=1,
                  unit_price="149.00", paid=149),
        sheet_row(order_no="SO-3", channel="phone", customer_code="C-1", sold_at="2026/1/5 14:30",
                  payment_method="cod", line_no=1, sku="EL-1002", quantity=1.5, unit_price=149, paid=149),
    ])
    parsed = parse(data, "orders.xlsx")
    assert parsed.read_as == "Excel workbook, sheet 'Orders'"
    assert parsed.problems == ["row 5: quantity '1.5' is not a whole number"]
    first, second = parsed.orders
    # Wall-clock times of the selling site (naive); the site's zone turns them into UTC when stored.
    assert first.sold_at == datetime(2026, 1, 5, 14, 30)
    assert first.customer_phone == "13800138000"
    assert (first.lines[0].quantity, first.lines[0].discount, first.lines[0].paid) == (2, 50, 79750)
    assert second.where == "row 4" and second.sold_at == datetime(2026, 1, 5, 14, 30)
    assert second.delivered_at == datetime(2026, 1, 7, 9, 0)


def test_amounts_computed_by_excel_formulas_read_as_excel_shows_them():
    paid = 797.1 + 0.2 + 0.2  # binary floating point: 797.5000000000001, shown by Excel as 797.50
    assert repr(paid) == "797.5000000000001"
    data = xlsx_bytes([HEADER, sheet_row(order_no="SO-1", channel="store", sold_at="2026-1-5", payment_method="cash",
                                         line_no=1, sku="EL-1002", quantity=1, unit_price=paid, paid=paid,
                                         tax=paid * 0.13)])
    parsed = parse(data, "formulas.xlsx")
    assert parsed.problems == ["row 2: tax '103.675' has more than two decimals"]
    data = xlsx_bytes([HEADER, sheet_row(order_no="SO-1", channel="store", sold_at="2026-1-5", payment_method="cash",
                                         line_no=1, sku="EL-1002", quantity=1, unit_price=paid, paid=paid)])
    assert parse(data, "formulas.xlsx").orders[0].lines[0].paid == 79750


def test_a_1904_workbook_counts_its_serials_from_1904():
    data = xlsx_bytes([HEADER, sheet_row(order_no="SO-1", channel="store", sold_at=44565.5, payment_method="cash",
                                         line_no=1, sku="EL-1002", quantity=1, unit_price=149, paid=149)],
                      epoch_1904=True)
    parsed = parse(data, "mac.xlsx")
    assert parsed.problems == []
    assert parsed.orders[0].sold_at == datetime(2026, 1, 5, 12, 0)


@pytest.mark.parametrize("data, words", [
    (b"", "is empty"),
    (b"not a zip at all", "not an Excel workbook"),
    (b"PK\x03\x04broken zip", "cannot be read as an Excel workbook"),
])
def test_what_is_not_a_workbook_is_refused(data, words):
    with pytest.raises(ImportRefused, match=words):
        parse(data, "orders.xlsx")


GOOD_WORKBOOK = xlsx_bytes([HEADER, sheet_row(order_no="SO-1", channel="store", sold_at="2026-1-5",
                                             payment_method="cash", line_no=1, sku="EL-1002", quantity=1,
                                             unit_price=149, paid=149)])


@pytest.mark.parametrize("seed", range(4))
def test_a_damaged_workbook_gives_orders_or_a_sentence_never_a_traceback(seed):
    """Bytes changed anywhere (uniformly: the compressed members, not only the zip headers) and
    files cut short: the zip and XML layers raise many kinds of errors, each must become a sentence."""
    rnd = random.Random(seed)
    for _ in range(150):
        data = bytearray(GOOD_WORKBOOK)
        for _change in range(rnd.randint(1, 8)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        if rnd.random() < 0.3:
            data = data[:rnd.randrange(100, len(data))]
        try:
            parse(bytes(data), "damaged.xlsx")
        except ValidationFailed as exc:
            assert exc.message


def test_an_old_xls_is_named():
    with pytest.raises(ValidationFailed, match=r"\.xls\b.*save it as \.xlsx"):
        parse(b"\xd0\xcf\x11\xe0", "orders.xls")


# --------------------------------------------------------------------------- hostile content


@pytest.mark.parametrize("values, words", [
    ({"quantity": str(MAX_QUANTITY + 1)}, "quantity 2147483648 is more than ReturnDesk can store"),
    ({"quantity": "9" * 5000}, "quantity " + "9" * 39 + "… is more than"),
    ({"unit_price": "1" + "0" * 20, "paid": "1" + "0" * 20}, "unit_price 100000000000000000000 is more than"),
    ({"paid": "1e999999999"}, "paid 1e999999999 is more than ReturnDesk can store"),
    ({"line_no": "3000000000"}, "line_no 3000000000 is more than"),
    ({"customer_email": "a" * 200 + "@example.com"}, "customer_email 'aaaa"),
    ({"customer_name": "名" * 121}, "customer_name '名名"),
    ({"customer_code": "C" * 33}, "is 33 characters long; at most 32 fit"),
    ({"site": "S" * 33}, "site 'SSSS"),
    ({"sku": "K" * 41}, "sku 'KKKK"),
    ({"customer_address": "88 Road\x07"}, "customer_address contains the control character U+0007"),
    ({"order_no": "SO-" + "1" * 100000}, "order_no 'SO-111111111111111111111111111111111111…' is not"),
])
def test_values_beyond_the_columns_are_refused_with_their_row(values, words):
    parsed = parse(csv_text([row(1), row(2, **values)]).encode("utf-8"))
    assert any(p.startswith("row 3: ") and words in p for p in parsed.problems), parsed.problems
    assert all(len(p) < 400 for p in parsed.problems), "a few dozen characters of input at most"
    assert [o.order_no for o in parsed.orders] == ["SO-9001"]


def test_an_order_total_beyond_the_column_is_refused():
    big = f"{Decimal(MAX_AMOUNT) / 100 - 1:.2f}"
    parsed = parse(csv_text([row(1, line_no=1, unit_price=big, paid=big, tax="0"),
                             row(1, line_no=2, unit_price=big, paid=big, tax="0")]).encode("utf-8"))
    assert any(p.startswith("row 2: order SO-9001 totals") for p in parsed.problems), parsed.problems


def test_the_same_line_twice_is_named_at_parse_time():
    parsed = parse(csv_text([row(1), row(2), row(1)]).encode("utf-8"))
    assert parsed.problems == ["row 4: line_no 1 of order SO-9001 appears twice (also row 2)"]


def json_bytes(orders: object) -> bytes:
    return json.dumps(orders, ensure_ascii=False).encode("utf-8")


def json_order(number: str = "SO-1", **extra: object) -> dict[str, object]:
    order: dict[str, object] = {"order_no": number, "channel": "online", "customer": {"code": "C-1"},
                                "sold_at": "2026/1/5 14:30", "payment_method": "card",
                                "lines": [{"line_no": 1, "sku": "EL-1002", "quantity": 1, "unit_price": "149.00",
                                           "paid": "149.00"}]}
    order.update(extra)
    return order


def test_the_same_order_twice_in_json_is_refused():
    parsed = parse(json_bytes({"orders": [json_order("SO-1"), json_order("SO-2"), json_order("so 1")]}), "x.json")
    assert parsed.problems == ["order 3 (so 1): order SO-1 appears twice in the file (also order 1 (SO-1)); "
                               "write each order once with all its lines"]
    assert [o.order_no for o in parsed.orders] == ["SO-1", "SO-2"]


@pytest.mark.parametrize("depth", [50, 5000, 200000])
def test_deeply_nested_json_is_refused_with_a_sentence(depth):
    nested = "[" * depth + "]" * depth
    for text in (nested, '{"orders": [{"order_no": ' + nested + "}]}"):
        try:
            parsed = parse(text.encode(), "deep.json")
        except ImportRefused as exc:
            assert "nested too deeply" in exc.message or "must hold" in exc.message
        else:
            assert parsed.orders == [] and parsed.problems


@pytest.mark.parametrize("order, words", [
    (json_order(customer={"code": "C-1", "name": ["李", ["伟"]]}), "customer_name is not a text or a number"),
    (json_order(sold_at={"date": "2026-01-05"}), "sold_at is not a text or a number"),
    (json_order(site="SH\u0000"), "site contains the control character U+0000"),
    (json_order(customer={"code": "C-1", "name": "\ud800"}), "customer_name contains the control character U+D800"),
    (json_order(lines=[{"line_no": 1, "sku": "EL-1002", "quantity": 10**40, "unit_price": 1, "paid": 1}]),
     "quantity 100000000000000000000000000000000000000… is more than"),
    (json_order(lines=[{"line_no": 1, "sku": "EL-1002", "quantity": 2.0, "unit_price": 1, "paid": 2,
                        "serials": ["A", {"b": 1}]}]), "serials is not a text or a number"),
])
def test_json_values_no_column_can_hold_are_named(order, words):
    parsed = parse(json.dumps([order]).encode("utf-8"), "x.json")
    assert any(words in p for p in parsed.problems), parsed.problems
    assert not any(order.lines for order in parsed.orders)


def test_json_numbers_of_any_length_and_whole_floats():
    order = json_order(lines=[{"line_no": 1, "sku": "EL-1002", "quantity": 2.0, "unit_price": 149,
                               "paid": "298.00", "tax": 0}])
    assert parse(json_bytes([order]), "x.json").orders[0].lines[0].quantity == 2
    with pytest.raises(ImportRefused, match="not valid JSON"):
        parse(b'{"orders": [1' + b"0" * 100000 + b"e]}", "x.json")


@pytest.mark.parametrize("data, name", [
    (b"", "x.csv"), (b"   \n\n", "x.csv"), (b"", "x.json"), (b"\n", "x.json"), (b"", "x.xlsx"),
])
def test_an_empty_file_is_refused(data, name):
    with pytest.raises(ImportRefused, match="is empty"):
        parse(data, name)


def test_a_header_only_file_holds_no_orders_and_missing_columns_are_named():
    assert parse(csv_text([]).encode()).orders == []
    with pytest.raises(ImportRefused) as caught:
        parse(b"\n\n" + csv_text([row()], header=[c for c in COLUMNS if c != "paid"]).encode())
    assert caught.value.problems[0].startswith("row 3: The header row lacks the column(s) paid.")


@settings(max_examples=300)
@given(st.binary(max_size=400), st.sampled_from(["x.csv", "x.json", "x.xlsx"]),
       st.sampled_from([None, "utf-8", "gb18030", "latin-1"]))
def test_any_bytes_give_orders_or_a_sentence_never_a_traceback(data, name, encoding):
    try:
        parse(data, name, encoding=encoding)
    except ValidationFailed as exc:
        assert exc.message


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.sampled_from([*COLUMNS, "lines", "customer", "orders", "code",
                                                              "name"]), inner, max_size=5), max_leaves=25)


@settings(max_examples=300)
@given(json_values)
def test_any_json_gives_orders_or_a_sentence_never_a_traceback(value):
    try:
        parsed = parse(json.dumps(value).encode(), "x.json")
    except ValidationFailed as exc:
        assert exc.message
    else:
        assert all(":" in p for p in parsed.problems)
