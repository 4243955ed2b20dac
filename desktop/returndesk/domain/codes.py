"""Codes as people type, paste and scan them: one normal form per kind, used at every door.

A clerk may type a full-width ``ＳＯ－７７７１`` through a Chinese input method, a phone as
``+86 138-0013-8000``, or paste a SKU with a trailing space; an ERP may export any of these. Each
kind of code has one function that turns every spelling of it into the form stored and looked
up, so that import, search, scan, intake and the command line agree on what is the same thing:

* order numbers — :func:`returndesk.domain.scan.normalize_order` (``SO-`` + ASCII digits)
* RMA numbers — :func:`returndesk.domain.scan.parse_rma` (``R`` + 10 digits, check digit verified)
* phone numbers — :func:`normalize_phone` (digits only; the +86 country code dropped)
* SKUs — :func:`normalize_sku` (upper case, no surrounding blanks)

All of them start with :func:`clean_text`: Unicode NFKC (full-width letters and digits become
ASCII), the dashes of other scripts become ``-``, surrounding blanks go, and anything no person
types (``None``, NUL and other control characters, a megabyte of text) is refused with a short
sentence that echoes at most :data:`ECHO_LENGTH` characters of it.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import ValidationFailed
from returndesk.domain.messages import msg

#: Longest text accepted at a search or lookup; no code, phone or name is anywhere near it.
MAX_LOOKUP_LENGTH = 200
#: Most characters of what someone typed that a message repeats back.
ECHO_LENGTH = 32

# NFKC maps the full-width hyphen-minus; these dashes it leaves alone, though IMEs and word
# processors produce them in place of a hyphen.
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")
#: Unicode's control characters (category Cc) and lone surrogates (Cs).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_PHONE_SEPARATORS = re.compile(r"[\s\-().]+")
_PHONE_SHAPE = re.compile(r"\+?[0-9]+", re.ASCII)
#: Mainland China's country code, as dialled from abroad (+86, 0086) or written without the plus.
CHINA_COUNTRY_CODE = "86"
_CHINA_MOBILE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
MIN_PHONE_DIGITS = 5
MAX_PHONE_DIGITS = 20
MAX_SKU_LENGTH = 40


def shown(text: object, length: int = ECHO_LENGTH) -> str:
    """What a message may repeat of user input: at most ``length`` characters, control
    characters shown as ``?``, an ellipsis when cut."""
    value = "" if text is None else str(text)
    cut = value[:length]
    visible = "".join(ch if ch.isprintable() else "?" for ch in cut)
    return visible + ("…" if len(value) > length else "")


def clean_text(value: object, *, what: str = msg("The text"), max_length: int = MAX_LOOKUP_LENGTH) -> str:
    """``value`` as NFKC text without surrounding blanks, dashes unified; ``ValidationFailed``
    for ``None``, anything that is not text, control characters or more than ``max_length``
    characters. ``what`` starts the sentence ("The order number")."""
    if value is None:
        raise ValidationFailed(msg("{what} is missing; type or scan it.", what=what))
    if not isinstance(value, str):
        raise ValidationFailed(msg("{what} must be text, not {name__}.", what=what, name__=type(value).__name__))
    # Refuse the absurd before normalising it: NFKC may lengthen text, never by this much.
    if len(value) > max_length * 4:
        raise ValidationFailed(
            msg(
                "{what} is {count:,} characters long; at most {max_length} are accepted (it starts '{value}').",
                what=what, count=len(value), max_length=max_length, value=shown(value.strip()))
        )
    # NFKC leaves ASCII as it is, and every dash it unifies lies outside ASCII.
    text = value.strip() if value.isascii() else unicodedata.normalize("NFKC", value).translate(_DASHES).strip()
    if len(text) > max_length:
        raise ValidationFailed(
            msg(
                "{what} is {text_count:,} characters long; at most {max_length} are accepted (it starts '{text}').",
                what=what, text_count=len(text), max_length=max_length, text=shown(text))
        )
    if _CONTROL.search(text):
        raise ValidationFailed(
            msg(
                "{what} '{text}' contains control characters (such as NUL) that no one types; type or scan it again.",
                what=what, text=shown(text))
        )
    return text


def phone_digits(text: str) -> str | None:
    """The digits of something written like a phone number (``+86 138-0013 8000`` ->
    ``13800138000``), the +86 country code dropped; ``None`` when ``text`` is not written like one.

    Other country codes keep their ``+`` (``+85291234567``). Input should have passed
    :func:`clean_text` (NFKC) already.
    """
    compact = _PHONE_SEPARATORS.sub("", text)
    if not _PHONE_SHAPE.fullmatch(compact):
        return None
    if compact.startswith("+"):
        digits = compact[1:]
        if digits.startswith(CHINA_COUNTRY_CODE):
            return digits[len(CHINA_COUNTRY_CODE):] or None
        return "+" + digits if digits else None
    if compact.startswith("00" + CHINA_COUNTRY_CODE):
        return compact[4:] or None
    if compact.startswith(CHINA_COUNTRY_CODE) and _CHINA_MOBILE.fullmatch(compact[2:]):
        return compact[2:]
    return compact


def normalize_phone(value: object, *, what: str = msg("The phone number")) -> str:
    """The stored form of a phone number: digits only (``+86 138-0013-8000`` and
    ``１３８００１３８０００`` -> ``13800138000``); numbers of other countries as ``+`` and digits.
    Raises ``ValidationFailed`` for text that is not a phone number."""
    text = clean_text(value, what=what)
    digits = phone_digits(text)
    count = len(digits.lstrip("+")) if digits else 0
    if digits is None or not MIN_PHONE_DIGITS <= count <= MAX_PHONE_DIGITS:
        raise ValidationFailed(
            msg(
                "'{text}' is not a phone number: write {min_phone_digits} to {max_phone_digits} digits; spaces, "
                "hyphens, brackets and a leading +86 are allowed.",
                text=shown(text), min_phone_digits=MIN_PHONE_DIGITS, max_phone_digits=MAX_PHONE_DIGITS)
        )
    return digits


def normalize_sku(value: object, *, what: str = msg("The SKU")) -> str:
    """The catalogue form of a SKU: NFKC, trimmed, upper case (``ｅｌ－１００１ `` -> ``EL-1001``).

    Scanners with Caps Lock on send lower case, so SKUs are compared in upper case everywhere.
    Raises ``ValidationFailed`` for an empty SKU, inner blanks or more than 40 characters.
    """
    text = clean_text(value, what=what).upper()
    if not text:
        raise ValidationFailed(msg("{what} is empty; type or scan the product's SKU.", what=what))
    if len(text) > MAX_SKU_LENGTH or any(ch.isspace() for ch in text):
        raise ValidationFailed(
            msg(
                "'{text}' is not a SKU: SKUs have at most {max_sku_length} characters and no spaces.",
                text=shown(text), max_sku_length=MAX_SKU_LENGTH)
        )
    return text
