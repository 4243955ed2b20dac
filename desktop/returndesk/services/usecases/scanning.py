"""What a scanner sent, as one of the scan kinds of :mod:`returndesk.domain.scan`.

Scanners in keyboard-wedge or serial mode may prefix the data with an AIM symbology identifier
(``]C0`` Code 128, ``]C1`` GS1-128, ``]E0`` EAN-13, ``]d2`` GS1 DataMatrix, ``]Q3`` GS1 QR, ...).
The identifier is removed; GS1 element strings (``01`` GTIN, ``21`` serial, ``10`` batch, ``17``
expiry) are parsed with biip into an :class:`~returndesk.domain.scan.ItemScan`; everything else
is classified by the domain.

Keyboard wedges often lose the GS separator between variable-length GS1 fields; stations configure
their scanners to send a printable substitute instead (``|`` by default), which is accepted here as
a separator too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.messages import msg, with_detail
from returndesk.domain.scan import (
    ItemScan,
    ScanResult,
    UnknownScan,
    classify,
    gtin_display,
    normalize_gtin,
)

if TYPE_CHECKING:  # biip is imported at the first GS1 scan, not with the module
    from biip import ParseConfig
    from biip.gs1_element_strings import GS1ElementString

GS = "\x1d"

#: AIM symbology identifiers whose data is always a GS1 element string.
GS1_SYMBOLOGY_IDS = frozenset({"]C1", "]e0", "]e1", "]e2", "]d2", "]Q3", "]J1", "]I1"})

_AIM_ID = re.compile(r"\][A-Za-z][0-9A-Za-z]")
# A GS1 element string read without symbology identifier: (01) + 14 digits, then more fields.
_BARE_GS1 = re.compile(r"01\d{14}\S*")


def strip_symbology_identifier(raw: str) -> tuple[str | None, str]:
    """Split ``"]C1010950..."`` into ``("]C1", "010950...")``; ``(None, raw)`` without one."""
    if _AIM_ID.match(raw):
        return raw[:3], raw[3:]
    return None, raw


def parse_scan(raw: str, *, gs_substitute: str | None = "|") -> ScanResult:
    """Classify one scan as it arrived from the scanner (CR/LF and AIM identifier included).

    GS1 data (a GS1 symbology identifier, a GS separator, the human-readable ``(01)…`` form or a
    GS1 Digital Link URI) becomes an ``ItemScan`` with ``gtin``, ``serial``, ``batch`` and
    ``expiry``; a GS1 scan that cannot be parsed or holds no GTIN is an ``UnknownScan`` with the
    reason. Anything else goes to :func:`returndesk.domain.scan.classify`.
    """
    # Only line ends and blanks: a leading GS is a GS1 marker (FNC1) and must survive.
    text = raw.strip(" \t\r\n")
    symbology, data = strip_symbology_identifier(text)
    separators = [GS]
    if gs_substitute:
        separators.append(gs_substitute)
    config = _ParseConfigOnDemand(separators)

    if symbology in GS1_SYMBOLOGY_IDS or data.startswith(GS):
        certain = _gs1_item(raw, data.lstrip(GS), config, certain=True)
        assert certain is not None  # certain GS1: what does not parse is an UnknownScan, never None
        return certain
    if data.startswith("("):
        result = _gs1_item(raw, data, config, certain=False, hri=True)
        if result is not None:
            return result
    elif data.lower().startswith(("https://", "http://")):
        result = _gs1_digital_link(raw, data, config)
        if result is not None:
            return result
    elif GS in data or (gs_substitute and gs_substitute in data) or _BARE_GS1.fullmatch(data):
        result = _gs1_item(raw, data, config, certain=False)
        if result is not None:
            return result
    result = classify(data)
    if isinstance(result, UnknownScan) and result.text != raw:
        return UnknownScan(raw, result.reason)
    return result


class _ParseConfigOnDemand:
    """biip's ParseConfig, made (and biip imported) only when a scan needs GS1 parsing."""

    def __init__(self, separators: list[str]) -> None:
        self.separators = separators

    def get(self) -> ParseConfig:
        from biip import ParseConfig

        return ParseConfig(separator_chars=self.separators)


def _gs1_item(
    raw: str, data: str, config: _ParseConfigOnDemand, *, certain: bool, hri: bool = False
) -> ScanResult | None:
    """An ItemScan from a GS1 element string; UnknownScan if ``certain`` and it fails, else None."""
    from biip import ParseError
    from biip.gs1_messages import GS1Message

    try:
        message = GS1Message.parse_hri(data, config=config.get()) if hri else GS1Message.parse(
            data, config=config.get()
        )
    except ParseError as exc:
        if not certain:
            return None
        return UnknownScan(
            raw, with_detail(msg("The GS1 barcode could not be read. Scan it again or type the code."), exc)
        )
    # Once the text parsed as GS1 in human-readable form or with several fields, it is GS1 beyond
    # doubt, and a bad GTIN in it is a misread rather than some other kind of code.
    elements = message.element_strings
    return _item_from_elements(raw, elements, certain=certain or hri or len(elements) > 1)


def _gs1_digital_link(raw: str, data: str, config: _ParseConfigOnDemand) -> ScanResult | None:
    from biip import parse

    result = parse(data, config=config.get())
    if result.gs1_digital_link_uri is None:
        return None
    return _item_from_elements(raw, result.gs1_digital_link_uri.element_strings, certain=True)


def _item_from_elements(
    raw: str, elements: list[GS1ElementString], *, certain: bool
) -> ScanResult | None:
    by_ai = {element.ai.ai: element for element in elements}
    gtin_element = by_ai.get("01")
    if gtin_element is None:
        if not certain:
            return None
        if "00" in by_ai:
            return UnknownScan(
                raw,
                msg("This is a shipping container code (SSCC {sscc}), not a product or an RMA label. Scan"
                    " the RMA label or the item's own barcode.", sscc=by_ai["00"].value),
            )
        return UnknownScan(
            raw, msg("The GS1 barcode holds no product number (GTIN); scan the item's product barcode.")
        )
    try:
        gtin14 = normalize_gtin(gtin_element.value)
    except ValidationFailed as exc:
        return UnknownScan(raw, exc.message) if certain else None
    serial = by_ai["21"].value if "21" in by_ai else None
    batch = by_ai["10"].value if "10" in by_ai else None
    expiry = by_ai["17"].date if "17" in by_ai else None
    return ItemScan(
        code=gtin_display(gtin14), serial=serial, gtin=gtin14, batch=batch, expiry=expiry
    )
