"""Reading import files: bytes in, numbered records out, without a database.

The shop's and the ERP's files arrive as CSV (UTF-8 with or without a byte-order mark, or GB18030
as a Chinese Excel saves "CSV"), as Excel workbooks (.xlsx) or as JSON. This module turns the bytes
into text or cells and numbers every record by where it is in the file, so that a message can send
the clerk to the right line: a CSV record is numbered by the physical line where it starts (blank
lines and line breaks inside quoted cells count), a worksheet row by the sheet's row number.
Everything it cannot read is refused with ``ImportRefused`` and a sentence; nothing here writes.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple
from xml.etree.ElementTree import ParseError

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.messages import msg

#: Characters of a few dozen at most are echoed back from the file.
ECHO = 40

_UTF8_NAMES = {"utf-8", "utf_8", "utf8", "utf-8-sig", "utf_8_sig"}
_GB_CODECS = {"gb18030", "gbk", "gb2312"}  # codecs.lookup() names of the mainland Chinese encodings
_GB18030_BOM = "\ufeff".encode("gb18030")
_ZIP_MAGIC = b"PK\x03\x04"
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{1,12}")
_BEYOND_TWO_BYTES = re.compile("[\u0800-\U0010ffff]")  # three- and four-byte UTF-8
# Control characters (Unicode category Cc) but tab and line breaks, and lone surrogates (Cs):
# PostgreSQL refuses NUL and unencodable text, and nobody can read the others on a receipt.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class ImportRefused(ValidationFailed):
    """The file was refused whole; ``problems`` holds "row N: reason" for every bad row."""


def echo(value: Any) -> str:
    """Text from the file as a message may quote it: trimmed and cut to a few dozen characters."""
    text = str(value).strip() if isinstance(value, str | int | float | Decimal) else type(value).__name__
    return text if len(text) <= ECHO else text[:ECHO - 1] + "…"


def _refuse(message: str) -> ImportRefused:
    return ImportRefused(message, [message])


# --------------------------------------------------------------------------- text encodings


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # what was used and why, for the clerk: "GB18030 (detected)"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _detect(data: bytes) -> tuple[str, str] | None:
    """(text, name) read as UTF-8 if it is valid UTF-8, else as GB18030 if that reads, else None.

    Valid UTF-8 wins: Chinese text in GB18030 is almost never valid UTF-8 (only a few characters
    are, and only when no other Chinese character is near them), while UTF-8 Chinese text usually
    also "reads" as GB18030, as mojibake.
    """
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "UTF-8"
    text = _strict(data, "gb18030")
    if text is not None:
        return text.removeprefix("\ufeff"), "GB18030"
    return None


def _reread(utf8_text: str, codec: str) -> tuple[str, str]:
    """The first non-ASCII run of a UTF-8 text, and what it becomes when its bytes are read as ``codec``."""
    run = _NON_ASCII_RUN.search(utf8_text)
    original = run.group(0) if run else utf8_text[:12]
    return original, original.encode("utf-8").decode(codec, errors="replace")


def decode_text(data: bytes, name: str, encoding: str | None) -> DecodedText:
    """The text of a CSV or JSON file.

    ``encoding`` None detects UTF-8 (with or without a byte-order mark) or GB18030. A UTF-8
    byte-order mark is believed over ``encoding``. A given encoding that would turn the file into
    mojibake (a UTF-8 file read as GBK: 李伟 -> 鏉庝紵) is refused with the likely encoding named.
    """
    if data.startswith(_ZIP_MAGIC):
        raise _refuse(msg(
            "{name} is an Excel workbook or another zip file, not text: name it .xlsx (or give --format xlsx), or "
            "save it as CSV.",
            name=name))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _refuse(msg(
            "{name} is UTF-16 text (Excel's \"Unicode Text\"): save it as \"CSV UTF-8\" or as an Excel workbook "
            "(.xlsx) and import that.",
            name=name))
    codec = None
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise _refuse(msg(
                "'{encoding}' is not a text encoding ReturnDesk knows; leave out --encoding to detect UTF-8 or "
                "GB18030.",
                encoding=echo(encoding))) from None
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[len(codecs.BOM_UTF8):], "utf-8")
        if text is None:
            raise _refuse(msg(
                "{name} starts with a UTF-8 byte-order mark but is not UTF-8 text (line {line_of}); save it again as "
                "\"CSV UTF-8\".",
                name=name, line_of=_line_of(data, _first_bad(data, 'utf-8'))))
        used = msg("UTF-8 with byte-order mark")
        if codec is not None and codec not in _UTF8_NAMES:
            used = msg("UTF-8 with byte-order mark; the mark overrides --encoding {encoding}", encoding=encoding)
        return _checked(DecodedText(text, used), name)
    if codec is None:
        found = _detect(data)
        if found is None:
            raise _refuse(
                msg(
                    "{name} is neither UTF-8 nor GB18030 text (line {line_of} cannot be read). Save it as \"CSV "
                    "UTF-8\", or give its encoding with --encoding.",
                    name=name, line_of=_line_of(data, _first_bad(data, 'gb18030')))
            )
        used = msg("{found} (detected)", found=found[1])
        if found[1] == "UTF-8" and not found[0].isascii() and not _BEYOND_TWO_BYTES.search(found[0]):
            gb = _strict(data, "gb18030")
            if gb is not None and _CJK.search(gb):
                # No Chinese as UTF-8, but Chinese as GB18030: the rare GB18030 file that is valid UTF-8.
                original, other = _reread(found[0], "gb18030")
                used = msg("UTF-8 (detected; it also reads as GB18030, '{original}' as '{other}': if that is "
                           "right, give --encoding gb18030)", original=original, other=other)
        return _checked(DecodedText(found[0], used), name)
    return _checked(_decode_as(data, name, encoding or codec, codec), name)


def _decode_as(data: bytes, name: str, given: str, codec: str) -> DecodedText:
    likely = _detect(data)
    if codec in _UTF8_NAMES:
        text = _strict(data, "utf-8")
        if text is None:
            hint = (msg("it reads as GB18030: leave out --encoding, or give --encoding gb18030")
                    if likely else msg("save it as \"CSV UTF-8\", or give its encoding with --encoding"))
            raise _refuse(msg(
                "{name} is not UTF-8 text (line {line_of}); {hint}.",
                name=name, line_of=_line_of(data, _first_bad(data, 'utf-8')), hint=hint))
        return DecodedText(text, "UTF-8 (--encoding)")
    utf8 = _strict(data, "utf-8")
    # A GB18030 file can pass for UTF-8 only with characters below U+0800; Chinese (and any
    # other three-byte UTF-8) in a file that is valid UTF-8 means the file is UTF-8.
    if utf8 is not None and (_BEYOND_TWO_BYTES.search(utf8)
                             or (codec not in _GB_CODECS and not utf8.isascii())):
        original, garbled = _reread(utf8, codec)
        raise _refuse(msg(
            "{name} is UTF-8 text, not {given}: read as {given}, '{original}' would be stored as '{garbled}'. Leave "
            "out --encoding (ReturnDesk recognises UTF-8 and GB18030) or give --encoding utf-8.",
            name=name, given=given, original=original, garbled=garbled))
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        hint = (msg("it reads as {encoding}: leave out --encoding", encoding=likely[1]) if likely
                else msg("check the encoding the file was saved in"))
        raise _refuse(
            msg(
                "{name} is not {given} text (line {line_of} cannot be read); {hint}.",
                name=name, given=given, line_of=_line_of(data, exc.start), hint=hint)
        ) from None
    text = text.removeprefix("\ufeff")
    if likely and likely[1] == "GB18030" and codec not in _GB_CODECS and _CJK.search(likely[0]) \
            and not _CJK.search(text):
        raise _refuse(msg(
            "{name} looks like GB18030 text (Chinese as a Chinese Excel saves it), not {given}: leave out "
            "--encoding, or give --encoding gb18030.",
            name=name, given=given))
    return DecodedText(text, f"{given} (--encoding)")


def _first_bad(data: bytes, codec: str) -> int:
    try:
        data.decode(codec)
    except UnicodeDecodeError as exc:
        return exc.start
    return 0


def _checked(decoded: DecodedText, name: str) -> DecodedText:
    if "\x00" in decoded.text:
        raise _refuse(msg(
            "{name} holds NUL characters, so it is not a text file: save it as CSV or JSON text.",
            name=name))
    return decoded


def bad_characters(value: str) -> str | None:
    """A reason if text holds characters that cannot be stored or shown (controls, lone surrogates)."""
    found = _BAD_CHARACTER.search(value)
    return msg("contains the control character U+{code}", code=f"{ord(found.group(0)):04X}") if found else None


# --------------------------------------------------------------------------- CSV


class Record(NamedTuple):
    """One row of a table file: ``row`` is its line (CSV) or sheet row (xlsx)."""

    row: int
    cells: list[Any]


def csv_records(text: str) -> Iterator[Record]:
    """Every record of a CSV text with the physical line where it starts, blank lines included."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _refuse(msg(
                "row {start}: the CSV cannot be read from this line on ({exc}); check the quotes and the length of "
                "the cells there. Nothing was imported.",
                start=start, exc=exc)) from None
        yield Record(start, cells)


# --------------------------------------------------------------------------- Excel workbooks


@dataclass(frozen=True)
class Sheet:
    title: str
    records: list[Record]
    serial_shift: int  # days to add to the sheet's date serial numbers to count from EXCEL_EPOCH


def xlsx_records(data: bytes, name: str) -> Sheet:
    """The first worksheet's rows (values, not formulas), numbered by the sheet's row numbers."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not data.startswith(_ZIP_MAGIC):
        raise _refuse(msg(
            "{name} is not an Excel workbook (.xlsx); an old .xls must be saved again as .xlsx or CSV.",
            name=name))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            records = [Record(number, [_cell(v) for v in values])
                       for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)]
            return Sheet(sheet.title, records, (book.epoch - EXCEL_EPOCH).days)
        finally:
            book.close()
    except (zipfile.BadZipFile, zlib.error, InvalidFileException, KeyError, IndexError, ValueError, TypeError,
            EOFError, ParseError, OSError, NotImplementedError, RuntimeError) as exc:
        # What a damaged or unusual zip or XML raises (NotImplementedError: a compression method or
        # zip version the zipfile module lacks; RuntimeError: an encrypted member).
        raise _refuse(msg(
            "{name} cannot be read as an Excel workbook ({value}); open it in Excel and save it again as .xlsx.",
            name=name, value=echo(str(exc)) or type(exc).__name__)) from None


def _cell(value: Any) -> Any:
    """Workbook values as the parser takes them: whole floats as int (Excel stores 2 as 2.0), other
    numbers as Excel shows them, to 15 significant digits (a formula's 797.4999999999999 is 797.5)."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**63:
            return int(value)
        return Decimal(format(value, ".15g"))
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, datetime.min.time())
    return value


#: Day 0 of Excel's (Windows) date serial numbers; serial 61 is 1900-03-01 (Excel counts a
#: 29 February 1900 that never was, so earlier serials are not dates of this century anyway).
EXCEL_EPOCH = datetime(1899, 12, 30)
EXCEL_SERIALS = (Decimal(61), Decimal(2958466))  # 1900-03-01 up to the end of 9999


def excel_serial(value: Decimal | int) -> datetime:
    """An Excel date serial number (days since 1899-12-30, the fraction is the time of day) as a
    naive date-time to the second; ``ValueError`` outside 1900-03-01 .. 9999-12-31."""
    number = Decimal(value)
    if not number.is_finite() or not EXCEL_SERIALS[0] <= number < EXCEL_SERIALS[1]:
        raise ValueError("out of range")
    return EXCEL_EPOCH + timedelta(seconds=int((number * 86400).to_integral_value()))


# --------------------------------------------------------------------------- JSON


def load_json(text: str) -> Any:
    """The parsed JSON with amounts kept as ``Decimal``; refused whole when it cannot be parsed."""
    try:
        return json.loads(text, parse_float=Decimal, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise _refuse(msg(
            "The file is not valid JSON: {msg} at line {lineno}, column {colno}.",
            msg=exc.msg, lineno=exc.lineno, colno=exc.colno)) from None
    except RecursionError:
        raise _refuse(msg("The JSON file is nested too deeply to be a list of orders; nothing was imported.")) from None


def _json_int(text: str) -> int | Decimal:
    # Python refuses to turn more than 4300 digits into an int; such a number is too large anyway.
    return int(text) if len(text) <= 30 else Decimal(text)
