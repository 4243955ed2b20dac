"""Codes that the stations scan or type: RMA numbers, order numbers, product codes and commands.

Everything a scanner can send to ReturnDesk falls into one of five kinds, told apart by
:func:`classify`:

* **RMA numbers** — ``R`` + a 9-digit sequence + one Damm check digit (``R0000012340``). Damm
  catches every single-digit error and every adjacent transposition, so a misread or mistyped RMA
  is refused instead of opening the wrong return.
* **Order numbers** — the receipt barcode, ``SO-`` + digits (``SO-1042``).
* **Product codes** — GTINs (EAN-13, UPC-A, EAN-8, GTIN-14, check digit verified) or any other
  printable code (a SKU, an internal code).
* **Command barcodes** — printed on the inspection station's laminated sheet: grades, dispositions
  and actions. ``$RD`` + a command code + one ISO 7064 MOD 37,36 check character. ``$`` never
  occurs in RMA numbers, order numbers or GTINs; catalogue SKUs must not start with
  :data:`COMMAND_PREFIX` (see :func:`is_reserved_code`).
* **Unknown** — anything else, with the reason in words.

Scanners in keyboard-wedge mode may arrive with Caps Lock inverted, so letters are accepted in
either case and normalized to upper case. This module is pure standard library; GS1 element
strings (``(01)…(21)…``) are parsed one layer up, in ``services.scanning``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from .codes import MAX_LOOKUP_LENGTH, clean_text, shown
from .errors import ValidationFailed
from .types import Disposition, Grade
from returndesk.domain.messages import msg

# --------------------------------------------------------------------------------------------
# Damm check digit (RMA numbers)
# --------------------------------------------------------------------------------------------

# The totally anti-symmetric quasigroup of order 10 published by H. Michael Damm (2004).
_DAMM_TABLE = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def damm_check_digit(digits: str) -> str:
    """The Damm check digit of a string of decimal digits (``"572"`` -> ``"4"``)."""
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"'{digits}' is not a string of digits")
    interim = 0
    for ch in digits:
        interim = _DAMM_TABLE[interim][ord(ch) - 48]
    return str(interim)


def damm_is_valid(digits_with_check: str) -> bool:
    """True when the last digit is the Damm check digit of the ones before it."""
    if not digits_with_check or not digits_with_check.isascii() or not digits_with_check.isdigit():
        return False
    return damm_check_digit(digits_with_check) == "0"


# --------------------------------------------------------------------------------------------
# RMA numbers
# --------------------------------------------------------------------------------------------

RMA_PREFIX = "R"
RMA_SEQUENCE_DIGITS = 9
RMA_LENGTH = len(RMA_PREFIX) + RMA_SEQUENCE_DIGITS + 1
MAX_RMA_SEQUENCE = 10**RMA_SEQUENCE_DIGITS - 1

_RMA_SHAPE = re.compile(r"R\d{10}", re.ASCII)
# Scanners and people add separators; they carry no meaning in an RMA number.
_RMA_SEPARATORS = re.compile(r"[\s\-]+")
#: What :func:`clean_text` names in its refusals, made once (every scan passes through here).
_THE_RMA_NUMBER = msg("The RMA number")
_THE_ORDER_NUMBER = msg("The order number")
_THE_SCAN = msg("The scan")


def format_rma(sequence: int) -> str:
    """The RMA number for a sequence value: ``format_rma(1234) == "R0000012340"``."""
    if isinstance(sequence, bool) or not isinstance(sequence, int):
        raise TypeError("an RMA sequence must be an int")
    if not 1 <= sequence <= MAX_RMA_SEQUENCE:
        raise ValidationFailed(
            msg(
                "RMA sequence {sequence} is out of range: it must be between 1 and {max_rma_sequence}.",
                sequence=sequence, max_rma_sequence=MAX_RMA_SEQUENCE)
        )
    body = f"{sequence:0{RMA_SEQUENCE_DIGITS}d}"
    return f"{RMA_PREFIX}{body}{damm_check_digit(body)}"


def _rma_candidate(text: str) -> str:
    return _RMA_SEPARATORS.sub("", clean_text(text, what=_THE_RMA_NUMBER)).upper()


def looks_like_rma(text: str) -> bool:
    """True when ``text`` has the shape of an RMA number (check digit not verified)."""
    try:
        return bool(_RMA_SHAPE.fullmatch(_rma_candidate(text)))
    except ValidationFailed:
        return False


def parse_rma(text: str) -> str:
    """Normalize and validate a scanned or typed RMA number; return it as ``R`` + 10 digits.

    Lower case, full-width characters, spaces and hyphens are accepted (``r 000001234-0``).
    Raises ``ValidationFailed`` when the text is not shaped like an RMA number or its check digit
    does not match (a misread), and for ``None``, control characters or overlong text.
    """
    if type(text) is str and len(text) <= _RMA_KEPT_LENGTH:
        return _parse_rma_kept(text)  # a return's steps parse its number again and again
    return _parse_rma(text)


#: Texts of at most this length are parsed once and their numbers kept (:func:`parse_rma`).
_RMA_KEPT_LENGTH = 40


@functools.lru_cache(maxsize=4096)
def _parse_rma_kept(text: str) -> str:
    return _parse_rma(text)


def _parse_rma(text: str) -> str:
    candidate = _rma_candidate(text)
    if not _RMA_SHAPE.fullmatch(candidate):
        raise ValidationFailed(
            msg(
                "'{candidate}' is not an RMA number: an RMA number is R followed by 10 digits, for example "
                "R0000012340.",
                candidate=shown(candidate))
        )
    if not damm_is_valid(candidate[1:]):
        raise ValidationFailed(
            msg(
                "{candidate} is not a valid RMA number: the check digit does not match; rescan or type it again",
                candidate=candidate)
        )
    return candidate


def rma_sequence(rma: str) -> int:
    """The sequence value inside a valid RMA number (``"R0000012340"`` -> ``1234``)."""
    canonical = parse_rma(rma)
    return int(canonical[1 : 1 + RMA_SEQUENCE_DIGITS])


# --------------------------------------------------------------------------------------------
# Order numbers (receipt barcode)
# --------------------------------------------------------------------------------------------

ORDER_PREFIX = "SO-"
_ORDER_SHAPE = re.compile(r"SO[\s\-]*(\d{1,18})", re.ASCII)


def looks_like_order(text: str) -> bool:
    """True when ``text`` is an order number: ``SO-`` + digits (case, full-width characters and
    the hyphen are forgiven)."""
    try:
        return bool(_ORDER_SHAPE.fullmatch(clean_text(text).upper()))
    except ValidationFailed:
        return False


def order_or_text(cleaned: str) -> str:
    """``cleaned`` (text that passed ``clean_text``) as the canonical order number when it is
    one (:func:`normalize_order`), else unchanged."""
    match = _ORDER_SHAPE.fullmatch(cleaned.upper())
    return ORDER_PREFIX + match.group(1) if match else cleaned


def normalize_order(text: str) -> str:
    """The canonical order number (``"so 1042"``, ``"ＳＯ－１０４２"`` -> ``"SO-1042"``) or
    ``ValidationFailed``. The one form order numbers are stored and looked up in."""
    cleaned = clean_text(text, what=_THE_ORDER_NUMBER).upper()
    match = _ORDER_SHAPE.fullmatch(cleaned)
    if not match:
        raise ValidationFailed(
            msg(
                "'{cleaned}' is not an order number: order numbers are SO- followed by digits, as printed on the "
                "receipt (for example SO-1042).",
                cleaned=shown(cleaned))
        )
    return ORDER_PREFIX + match.group(1)


# --------------------------------------------------------------------------------------------
# GTIN (EAN-13, UPC-A, EAN-8, GTIN-14)
# --------------------------------------------------------------------------------------------

GTIN_LENGTHS = frozenset({8, 12, 13, 14})


def gtin_check_digit(body: str) -> str:
    """The GS1 mod-10 check digit for a GTIN body (all digits but the last).

    Weights 3 and 1 alternate from the right-most body digit, so the same function serves
    EAN-8, UPC-A, EAN-13 and GTIN-14.
    """
    if not body or not body.isascii() or not body.isdigit():
        raise ValueError(f"'{body}' is not a string of digits")
    total = 0
    for i, ch in enumerate(reversed(body)):
        total += (ord(ch) - 48) * (3 if i % 2 == 0 else 1)
    return str((10 - total % 10) % 10)


def is_valid_gtin(code: str) -> bool:
    """True for an 8, 12, 13 or 14 digit code whose GS1 check digit matches."""
    if len(code) not in GTIN_LENGTHS or not code.isascii() or not code.isdigit():
        return False
    return gtin_check_digit(code[:-1]) == code[-1]


def normalize_gtin(code: str) -> str:
    """A GTIN as its 14-digit form, the one key under which a product is found.

    Leading zeros are padding in GS1: a UPC-A ``036000291452``, its EAN-13 ``0036000291452`` and the
    GTIN-14 ``00036000291452`` are one product. Raises ``ValidationFailed`` for a code that is not a
    GTIN or whose check digit does not match.
    """
    text = code.strip()
    if len(text) not in GTIN_LENGTHS or not text.isascii() or not text.isdigit():
        raise ValidationFailed(
            msg(
                "'{text}' is not a GTIN: a GTIN has 8, 12, 13 or 14 digits (EAN-8, UPC-A, EAN-13, GTIN-14).",
                text=text)
        )
    if not is_valid_gtin(text):
        raise ValidationFailed(
            msg("{text} is not a valid GTIN: the check digit does not match; rescan or type it again.", text=text)
        )
    return text.zfill(14)


def gtin_to_ean13(code: str) -> str:
    """The 13-digit form of a GTIN (UPC-A and EAN-8 get leading zeros).

    Raises ``ValidationFailed`` for a GTIN-14 with a packaging indicator (first digit not 0): such a
    code names a case of products and has no EAN-13 form.
    """
    gtin14 = normalize_gtin(code)
    if gtin14[0] != "0":
        raise ValidationFailed(
            msg(
                "{code} is a GTIN-14 for a case or pack (indicator {gtin14}); it has no EAN-13 form. Scan the "
                "barcode of the single item.",
                code=code.strip(), gtin14=gtin14[0])
        )
    return gtin14[1:]


def gtin_display(gtin14: str) -> str:
    """The familiar printed form of a normalized GTIN.

    EAN-8 for a GTIN-8 (six leading zeros: GS1 keeps that prefix free for GTIN-8), EAN-13 for a
    GTIN-14 without packaging indicator (UPC-A therefore shows with its leading 0), else GTIN-14.
    """
    if len(gtin14) != 14:
        return gtin14
    if gtin14.startswith("000000"):
        return gtin14[6:]
    if gtin14[0] == "0":
        return gtin14[1:]
    return gtin14


# --------------------------------------------------------------------------------------------
# ISO 7064 MOD 37,36 (command barcodes)
# --------------------------------------------------------------------------------------------

MOD37_36_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _mod37_36_checksum(text: str) -> int:
    modulus = len(MOD37_36_ALPHABET)
    check = modulus // 2
    for ch in text:
        check = (((check or modulus) * 2) % (modulus + 1) + MOD37_36_ALPHABET.index(ch)) % modulus
    return check


def mod37_36_check_char(text: str) -> str:
    """The ISO 7064 MOD 37,36 check character of an upper-case alphanumeric string."""
    if any(ch not in MOD37_36_ALPHABET for ch in text):
        raise ValueError(f"'{text}' has characters outside 0-9 and A-Z")
    modulus = len(MOD37_36_ALPHABET)
    value = (1 - ((_mod37_36_checksum(text) or modulus) * 2) % (modulus + 1)) % modulus
    return MOD37_36_ALPHABET[value]


def mod37_36_is_valid(text_with_check: str) -> bool:
    """True when the last character is the MOD 37,36 check character of the rest."""
    if len(text_with_check) < 2 or any(ch not in MOD37_36_ALPHABET for ch in text_with_check):
        return False
    return _mod37_36_checksum(text_with_check) == 1


# --------------------------------------------------------------------------------------------
# Command barcodes
# --------------------------------------------------------------------------------------------

#: Prefix of every command barcode. ``$`` is in Code 128 set B and typed the same way with Caps
#: Lock on or off; no RMA number, order number or GTIN contains it.
COMMAND_PREFIX = "$RD"


@dataclass(frozen=True)
class CommandSpec:
    """One command on the inspection sheet: its name, the code inside the barcode, labels."""

    name: str
    code: str
    label_en: str
    label_zh: str
    grade: Grade | None = None
    disposition: Disposition | None = None
    #: The check of the unit scanned last that this command marks as failed (scanned again:
    #: passed), or "note" for the note on that unit.
    check: str | None = None

    @property
    def payload(self) -> str:
        """The text to encode in the barcode (Code 128, set B)."""
        return COMMAND_PREFIX + self.code + mod37_36_check_char(self.code)


_COMMAND_SPECS: tuple[CommandSpec, ...] = (
    CommandSpec("grade_a", "GA", "Grade A — new, resealable", "A级 — 全新未拆封", grade=Grade.A),
    CommandSpec("grade_b", "GB", "Grade B — opened, like new", "B级 — 已拆封，如新", grade=Grade.B),
    CommandSpec(
        "grade_c", "GC", "Grade C — used or cosmetically damaged", "C级 — 使用过或外观损伤",
        grade=Grade.C,
    ),
    CommandSpec(
        "grade_d", "GD", "Grade D — defective or unusable", "D级 — 有故障或无法使用", grade=Grade.D
    ),
    CommandSpec(
        "restock", "RESTOCK", "Restock — back to available stock", "重新上架 — 回到可售库存",
        disposition=Disposition.RESTOCK,
    ),
    CommandSpec(
        "refurbish", "REFURB", "Refurbish", "送修翻新", disposition=Disposition.REFURBISH
    ),
    CommandSpec(
        "rtv", "RTV", "Return to vendor (RTV)", "退回供应商", disposition=Disposition.RETURN_TO_VENDOR
    ),
    CommandSpec("scrap", "SCRAP", "Scrap", "报废", disposition=Disposition.SCRAP),
    CommandSpec(
        "return_to_customer", "RTC", "Return to customer", "退回客户",
        disposition=Disposition.RETURN_TO_CUSTOMER,
    ),
    CommandSpec("complete", "DONE", "Complete — finish the inspection", "完成 — 结束检验"),
    CommandSpec("short", "SHORT", "Short — close the current line as short", "短少 — 当前行按短收关闭"),
    CommandSpec("undo", "UNDO", "Undo — remove the last unit", "撤销 — 移除上一件"),
    CommandSpec("next", "NEXT", "Next line", "下一行"),
    CommandSpec("wrong_item", "WRONG", "Wrong item — not on this return", "错误商品 — 不在本退货单上"),
    CommandSpec("cancel", "CANCEL", "Cancel", "取消"),
    CommandSpec("fail_packaging", "NOPKG", "Packaging not intact — last unit", "包装不完好 — 上一件",
                check="packaging"),
    CommandSpec("fail_accessories", "NOACC", "Accessories missing — last unit", "配件缺失 — 上一件",
                check="accessories"),
    CommandSpec("fail_function", "NOWORK", "Does not work — last unit", "无法使用 — 上一件", check="function"),
    CommandSpec("note", "NOTE", "Note on the last unit", "上一件备注", check="note"),
)

COMMAND_SPECS: dict[str, CommandSpec] = {spec.name: spec for spec in _COMMAND_SPECS}

#: Every command, in sheet order: name -> barcode payload.
COMMANDS: dict[str, str] = {spec.name: spec.payload for spec in _COMMAND_SPECS}

_COMMAND_BY_CODE: dict[str, CommandSpec] = {spec.code: spec for spec in _COMMAND_SPECS}

#: Command names that set a grade, by grade; and that set a disposition, by disposition.
GRADE_COMMANDS: dict[Grade, str] = {s.grade: s.name for s in _COMMAND_SPECS if s.grade}
DISPOSITION_COMMANDS: dict[Disposition, str] = {
    s.disposition: s.name for s in _COMMAND_SPECS if s.disposition
}
#: Command names that mark a check of the last unit as failed, by check; and the note command.
CHECK_COMMANDS: dict[str, str] = {s.check: s.name for s in _COMMAND_SPECS if s.check and s.check != "note"}


def _spec(name: str) -> CommandSpec:
    try:
        return COMMAND_SPECS[name]
    except KeyError:
        known = ", ".join(COMMAND_SPECS)
        raise ValidationFailed(msg(
            "'{name}' is not a station command. Known commands: {known}.",
            name=name, known=known)) from None


def command_payload(name: str) -> str:
    """The barcode text of a command (``command_payload("grade_a")``)."""
    return _spec(name).payload


def command_label(name: str, language: str = "en") -> str:
    """The label printed under a command barcode, in English (``"en"``) or Chinese (``"zh"``)."""
    spec = _spec(name)
    if language.lower().startswith("zh"):
        return spec.label_zh
    return spec.label_en


def is_reserved_code(code: str) -> bool:
    """True when ``code`` cannot be used as a product SKU because scans of it would be taken as
    something else (a command, an RMA number or an order number)."""
    text = code.strip().upper()
    return text.startswith(COMMAND_PREFIX) or looks_like_rma(text) or looks_like_order(text)


# --------------------------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RmaScan:
    """A valid RMA number (canonical form)."""

    rma: str


@dataclass(frozen=True)
class OrderScan:
    """An order number from a receipt (canonical form ``SO-<digits>``)."""

    order_no: str


@dataclass(frozen=True)
class ItemScan:
    """A product code.

    ``gtin`` is the 14-digit GTIN when the code is one (the key to look products up by), else None
    for a SKU or internal code. ``code`` is what to show and to match SKUs against: the EAN-13 form
    of a GTIN that has one, otherwise the code as scanned (upper-cased, trimmed). ``serial``,
    ``batch`` and ``expiry`` come from GS1 element strings.
    """

    code: str
    serial: str | None = None
    gtin: str | None = None
    batch: str | None = None
    expiry: date | None = None


@dataclass(frozen=True)
class CommandScan:
    """A command barcode from the inspection sheet."""

    name: str

    @property
    def grade(self) -> Grade | None:
        """The grade this command sets, if it is a grade command."""
        return COMMAND_SPECS[self.name].grade

    @property
    def disposition(self) -> Disposition | None:
        """The disposition this command sets, if it is a disposition command."""
        return COMMAND_SPECS[self.name].disposition


@dataclass(frozen=True)
class UnknownScan:
    """Text that fits nothing; ``reason`` says why, in words for the status line."""

    text: str
    reason: str


ScanResult = RmaScan | OrderScan | ItemScan | CommandScan | UnknownScan

#: Longest product code accepted; GS1 serials are at most 20 characters and SKUs are short.
MAX_ITEM_CODE_LENGTH = 48


def _classify_command(raw: str, text: str) -> ScanResult:
    body = text[len(COMMAND_PREFIX) :]
    if mod37_36_is_valid(body):
        spec = _COMMAND_BY_CODE.get(body[:-1])
        if spec is not None:
            return CommandScan(spec.name)
        return UnknownScan(raw, msg("{code} is a command barcode this version of ReturnDesk does not know; print a"
                                    " new command sheet.", code=text))
    return UnknownScan(raw, msg("{code} looks like a command barcode but did not read correctly; scan it again.",
                                code=text))


def classify(text: str) -> ScanResult:
    """Tell what a scanned or typed text is.

    Order of the checks: commands (their prefix cannot be anything else), RMA numbers, order
    numbers, GTINs, then any other printable code as an item. A text shaped like an RMA number with
    a wrong check digit is an :class:`UnknownScan` (a misread must not look up a product). A numeric
    code of GTIN length whose check digit does not match is an item with ``gtin=None``, since
    internal codes may be numeric.
    """
    raw = text
    try:
        stripped = clean_text(text, what=_THE_SCAN)
    except ValidationFailed as exc:
        # Keep what was scanned for the station's log, but never a megabyte of it.
        kept = raw if isinstance(raw, str) and len(raw) <= MAX_LOOKUP_LENGTH else shown(raw)
        return UnknownScan(kept, exc.message)
    if not stripped:
        return UnknownScan(raw, msg("Nothing was scanned."))
    if not stripped.isascii():
        return UnknownScan(
            raw,
            msg("'{code}' contains characters a barcode does not: the scanner may be typing through"
                " a Chinese input method. Switch the input method to English and scan again.", code=stripped),
        )
    if not stripped.isprintable():
        return UnknownScan(raw, msg("The scan contains control characters; scan it again."))
    upper = stripped.upper()
    if upper.startswith(COMMAND_PREFIX):
        return _classify_command(raw, upper)
    if looks_like_rma(upper):
        try:
            return RmaScan(parse_rma(upper))
        except ValidationFailed as exc:
            return UnknownScan(raw, exc.message)
    if looks_like_order(upper):
        return OrderScan(normalize_order(upper))
    if any(ch.isspace() for ch in upper):
        return UnknownScan(raw, msg("'{code}' contains spaces; it is not a code ReturnDesk knows.", code=stripped))
    if len(upper) > MAX_ITEM_CODE_LENGTH:
        return UnknownScan(
            raw, msg("The scan is {length} characters long; no product code is that long.", length=len(upper))
        )
    if is_valid_gtin(upper):
        gtin14 = upper.zfill(14)
        return ItemScan(code=gtin_display(gtin14), gtin=gtin14)
    return ItemScan(code=upper)
