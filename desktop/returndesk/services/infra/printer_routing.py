"""Which printer each station uses for each document type, and how it prints there.

A *destination* is one line of text, so that it can be stored, shown and typed alike:

==========================  ================================================================
``cups:<queue>``            the PDF goes to a CUPS queue (``lp``), with the exact paper size
``qt:<printer name>``       the desktop application prints through Qt (any system printer,
                            Windows included): pages are rasterised at the printer's useful
                            resolution; only the desktop application can use this route
``pdf:<folder>``            a PDF file per document is saved in the folder
``zpl:<queue>``             raw ZPL to a Zebra printer's raw CUPS queue (labels and tags only)
``zpl-tcp:<host>:<port>``   raw ZPL to a Zebra printer on the network, port 9100 by default
``file:<path>``             one PDF file (what ``returndesk print --out`` uses)
==========================  ================================================================

Stored in the ``"printing"`` section of the station's settings (:mod:`.station_settings`)::

    {"routing": {"return_label": "zpl-tcp:10.1.2.3:9100", "counter_receipt": "cups:TM-T88"},
     "preview": true, "label_size": "4x6", "receipt_width": 80, "zpl_dpi": 203}

A station's own value wins over the value stored for all stations (``"*"``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.types import DocumentType

from returndesk.services.infra.station_settings import (
    ALL_STATIONS,
    check_station_code,
    describe_station,
    read_section,
    require_configure,
    update_section,
)
from returndesk.domain.messages import msg

if TYPE_CHECKING:
    from returndesk.services.tx.context import Actor, ServiceContext

SECTION = "printing"

#: Documents that also exist as ZPL (the label printer draws them itself).
ZPL_DOCUMENTS = frozenset({DocumentType.RETURN_LABEL, DocumentType.ITEM_TAG})

_T = TypeVar("_T")

LABEL_SIZES = ("4x6", "100x150")
RECEIPT_WIDTHS = (80, 58)
ZPL_DPIS = (203, 300)
DEFAULT_LABEL_SIZE = "4x6"
DEFAULT_RECEIPT_WIDTH = 80
DEFAULT_ZPL_DPI = 203
RAW_PORT = 9100

_DOCUMENT_WORDS = {
    DocumentType.RETURN_LABEL: "return labels",
    DocumentType.COUNTER_RECEIPT: "counter receipts",
    DocumentType.ITEM_TAG: "item tags",
    DocumentType.CREDIT_NOTE: "credit notes",
    DocumentType.COMMAND_SHEET: "command sheets",
    DocumentType.PACKING_SLIP: "packing slips",
}
_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,252})")
_MAX_DESTINATION = 500


def document_words(doc_type: DocumentType | str) -> str:
    """``return labels``, ``item tags``…: a document type in words, for messages."""
    return _DOCUMENT_WORDS[DocumentType(doc_type)]


class DestinationKind(StrEnum):
    CUPS = "cups"
    QT = "qt"
    PDF_FOLDER = "pdf"
    ZPL_QUEUE = "zpl"
    ZPL_TCP = "zpl-tcp"
    PDF_FILE = "file"


ZPL_KINDS = frozenset({DestinationKind.ZPL_QUEUE, DestinationKind.ZPL_TCP})


@dataclass(frozen=True)
class Destination:
    """Where a document goes; ``str()`` gives the stored form (``cups:PDF``)."""

    kind: DestinationKind
    target: str
    port: int | None = None

    def __str__(self) -> str:
        if self.kind is DestinationKind.ZPL_TCP:
            host = f"[{self.target}]" if ":" in self.target else self.target
            return f"{self.kind.value}:{host}:{self.port}"
        return f"{self.kind.value}:{self.target}"

    @property
    def is_zpl(self) -> bool:
        return self.kind in ZPL_KINDS

    def describe(self) -> str:
        """The destination in words: ``the CUPS printer 'PDF'``, ``PDF files in /srv/labels``."""
        if self.kind is DestinationKind.CUPS:
            return msg("the CUPS printer '{name}'", name=self.target)
        if self.kind is DestinationKind.QT:
            return msg("the printer '{name}'", name=self.target)
        if self.kind is DestinationKind.PDF_FOLDER:
            return msg("PDF files in {folder}", folder=self.target)
        if self.kind is DestinationKind.ZPL_QUEUE:
            return msg("the Zebra printer on the raw queue '{queue}'", queue=self.target)
        if self.kind is DestinationKind.ZPL_TCP:
            return msg("the Zebra printer at {address}", address=f"{self.target}:{self.port}")
        return msg("the PDF file {path}", path=self.target)


def _queue(kind: DestinationKind, name: str) -> str:
    # lp takes the queue as an argument: a leading "-" would read as an option, and CUPS queue
    # names never hold spaces, "/" or "#".
    if not name or name.startswith("-") or any(ch.isspace() or ch in "/#" or not ch.isprintable() for ch in name):
        raise ValidationFailed(
            msg(
                "'{name}' is not a CUPS printer name (after '{value}:'): CUPS names have no spaces, '/' or '#'. Pick "
                "the printer from the list of this computer's printers.",
                name=name, value=kind.value)
        )
    return name


def _folder(kind: DestinationKind, text: str, what: str) -> str:
    path = Path(text).expanduser()
    if not text or not path.is_absolute():
        raise ValidationFailed(
            msg(
                "'{text}' is not a full {what} path (after '{value}:'); give it from the top, e.g. {value2}.",
                text=text, what=what, value=kind.value,
                value2='/home/counter/labels' if what == 'folder' else '/home/counter/label.pdf')
        )
    return str(path)


def _host_port(text: str) -> tuple[str, int]:
    host, port_text = text, ""
    if text.startswith("["):  # [IPv6]:port
        end = text.find("]")
        if end < 0:
            raise ValidationFailed(msg("'{text}' is missing the closing ']' of the IPv6 address.", text=text))
        host, rest = text[1:end], text[end + 1:]
        if rest and not rest.startswith(":"):
            raise ValidationFailed(msg("'{text}' is not host:port.", text=text))
        port_text = rest[1:]
    elif ":" in text:
        host, port_text = text.rsplit(":", 1)
    if not host or (":" not in host and not _HOST.fullmatch(host)):
        raise ValidationFailed(
            msg(
                "'{text}' does not name a printer on the network; write the printer's address and port, e.g. "
                "zpl-tcp:192.168.1.40:9100 or zpl-tcp:zebra-dock1.local:9100.",
                text=text)
        )
    if not port_text:
        return host, RAW_PORT
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ValidationFailed(
            msg(
                "'{port_text}' is not a port number (1-65535); Zebra printers listen on {raw_port}.",
                port_text=port_text, raw_port=RAW_PORT)
        )
    return host, int(port_text)


def parse_destination(text: str, doc_type: DocumentType | str | None = None) -> Destination:
    """Read a destination (see the module docstring); ``ValidationFailed`` says what is wrong.

    With ``doc_type``, ZPL routes are refused for documents that have no ZPL form.
    """
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(msg("No printer is given."))
    if len(text) > _MAX_DESTINATION:
        raise ValidationFailed(msg(
            "A printer setting of {text_count} characters is too long (at most {max_destination}).",
            text_count=len(text), max_destination=_MAX_DESTINATION))
    prefix, sep, rest = text.partition(":")
    try:
        kind = DestinationKind(prefix.lower()) if sep else None
    except ValueError:
        kind = None
    if kind is None:
        choices = ", ".join(f"{k.value}:" for k in DestinationKind)
        raise ValidationFailed(
            msg(
                "'{text}' does not say how to print: start it with one of {choices} (e.g. cups:PDF or "
                "pdf:/home/counter/labels).",
                text=text, choices=choices)
        )
    rest = rest.strip()
    if kind in (DestinationKind.CUPS, DestinationKind.ZPL_QUEUE):
        destination = Destination(kind, _queue(kind, rest))
    elif kind is DestinationKind.QT:
        if not rest or not rest.isprintable():
            raise ValidationFailed(msg("Give the name of the printer after 'qt:', as the print dialog lists it."))
        destination = Destination(kind, rest)
    elif kind is DestinationKind.PDF_FOLDER:
        destination = Destination(kind, _folder(kind, rest, "folder"))
    elif kind is DestinationKind.PDF_FILE:
        path = _folder(kind, rest, "file")
        if not path.lower().endswith(".pdf"):
            raise ValidationFailed(msg("The file name {path} must end in .pdf.", path=path))
        destination = Destination(kind, path)
    else:
        host, port = _host_port(rest)
        destination = Destination(kind, host, port)
    if doc_type is not None and destination.is_zpl and DocumentType(doc_type) not in ZPL_DOCUMENTS:
        raise ValidationFailed(
            msg(
                "{document_words} cannot be printed as ZPL; only return labels and item tags can. Choose a CUPS "
                "printer, a system printer or a PDF folder for them.",
                document_words=document_words(doc_type).capitalize())
        )
    return destination


def printer_destination(name: str) -> Destination:
    """What a ``--printer NAME`` means: a destination when it has one of the prefixes, else the
    CUPS queue ``NAME``."""
    prefix = name.strip().partition(":")[0].lower()
    if ":" in name and prefix in {k.value for k in DestinationKind}:
        return parse_destination(name)
    return parse_destination(f"cups:{name.strip()}")


#: Width of ``print_log.destination``.
DESTINATION_WIDTH = 160


def stored_destination(destination: Destination | str, path: Path | None) -> str:
    """A destination as the print log keeps it: a PDF folder as the file written in it, and a text
    longer than the column cut to its kind and its end (the file name says the most)."""
    text = str(destination)
    if path is not None and isinstance(destination, Destination) and destination.kind is DestinationKind.PDF_FOLDER:
        text = f"{DestinationKind.PDF_FILE.value}:{path}"
    if len(text) > DESTINATION_WIDTH:
        head = text.partition(":")[0] + ":…"
        text = head + text[-(DESTINATION_WIDTH - len(head)):]
    return text


# --------------------------------------------------------------------------- station settings


@dataclass(frozen=True)
class StationPrinting:
    """How one station prints: destinations by document type and the page options.

    ``routing`` is what applies (the station's own choice, else the one for all stations);
    ``own_routing`` only what the station itself chose.
    """

    station: str
    routing: Mapping[DocumentType, str] = field(default_factory=dict)
    own_routing: Mapping[DocumentType, str] = field(default_factory=dict)
    preview: bool = False
    label_size: str = DEFAULT_LABEL_SIZE
    receipt_width: int = DEFAULT_RECEIPT_WIDTH
    zpl_dpi: int = DEFAULT_ZPL_DPI

    def destination(self, doc_type: DocumentType | str) -> Destination | None:
        """The parsed destination of a document type, None when none is chosen."""
        text = self.routing.get(DocumentType(doc_type))
        return parse_destination(text, doc_type) if text else None


def _routing_of(section: Mapping[str, Any]) -> dict[DocumentType, str]:
    routing = section.get("routing") or {}
    out: dict[DocumentType, str] = {}
    for key, value in routing.items() if isinstance(routing, dict) else ():
        try:
            out[DocumentType(key)] = str(value)
        except ValueError:
            continue  # a document type of a newer version: not ours to print
    return out


def _option(name: str, common: Mapping[str, Any], own: Mapping[str, Any], allowed: tuple[_T, ...], default: _T) -> _T:
    for source in (own, common):
        for value in allowed:
            if name in source and source[name] == value:
                return value
    return default


def station_printing(station: str, common: dict[str, Any], own: dict[str, Any]) -> StationPrinting:
    """How ``station`` prints, from the printing sections stored for all stations and for itself."""
    own_routing = _routing_of(own)
    routing = {**_routing_of(common), **own_routing}
    preview = own.get("preview", common.get("preview", False))
    return StationPrinting(
        station=station,
        routing=routing,
        own_routing=own_routing,
        preview=bool(preview),
        label_size=_option("label_size", common, own, LABEL_SIZES, DEFAULT_LABEL_SIZE),
        receipt_width=_option("receipt_width", common, own, RECEIPT_WIDTHS, DEFAULT_RECEIPT_WIDTH),
        zpl_dpi=_option("zpl_dpi", common, own, ZPL_DPIS, DEFAULT_ZPL_DPI),
    )


def get_station_printing(ctx: ServiceContext, station_code: str) -> StationPrinting:
    """How ``station_code`` prints (``"*"``: what all stations share)."""
    code = check_station_code(station_code)
    with ctx.db.read() as s:
        common, own = read_section(s, code, SECTION)
    return station_printing(code, common, own)


def get_routing(ctx: ServiceContext, station_code: str) -> dict[DocumentType, str]:
    """``{document type: destination}`` that applies at the station (its own choices over those
    for all stations); document types without a destination are missing."""
    return dict(get_station_printing(ctx, station_code).routing)


def _check_option(name: str, value: object, allowed: tuple[_T, ...]) -> _T:
    for option in allowed:
        if value == option:
            return option
    raise ValidationFailed(
        msg(
            "{value!r} is not a {name}; choose one of {allowed}.",
            value=value, name=name.replace('_', ' '), allowed=', '.join(map(str, allowed)))
    )


def save_station_printing(
    ctx: ServiceContext,
    actor: Actor | None,
    station_code: str,
    *,
    routing: Mapping[DocumentType | str, str | None] | None = None,
    preview: bool | None = None,
    label_size: str | None = None,
    receipt_width: int | None = None,
    zpl_dpi: int | None = None,
    kind: str | None = None,
) -> StationPrinting:
    """Store the station's printing choices in one transaction (audited). Only what is given
    changes; a routing value of None or "" removes the station's own choice for that document.

    Every destination is checked first; a wrong one refuses the whole change and names the
    document. ``kind`` ("counter", "inspection"…) is recorded when the station row is created.
    """
    code = check_station_code(station_code)
    require_configure(actor, code, "printers")
    checked: dict[str, str | None] = {}
    problems: list[str] = []
    for key, text in (routing or {}).items():
        try:
            doc_type = DocumentType(key)
        except ValueError:
            problems.append(msg("'{key}' is not a document type.", key=key))
            continue
        if text is None or not str(text).strip():
            checked[doc_type.value] = None
            continue
        try:
            checked[doc_type.value] = str(parse_destination(str(text), doc_type))
        except ValidationFailed as exc:
            words = document_words(doc_type).capitalize()
            problems.append(exc.message if exc.message.startswith(words) else f"{words}: {exc.message}")
    if problems:
        raise ValidationFailed(
            msg(
                "The printers of {code} were not saved: {problems}",
                code=describe_station(code), problems=' '.join(problems)), problems
        )
    options: dict[str, object] = {
        "preview": None if preview is None else bool(preview),
        "label_size": None if label_size is None else _check_option("label size", label_size, LABEL_SIZES),
        "receipt_width": None if receipt_width is None else _check_option(
            "receipt width", receipt_width, RECEIPT_WIDTHS),
        "zpl_dpi": None if zpl_dpi is None else _check_option("ZPL resolution", zpl_dpi, ZPL_DPIS),
    }

    def change(section: dict[str, Any]) -> dict[str, Any]:
        stored = dict(section.get("routing") or {})
        for key, value in checked.items():
            if value is None:
                stored.pop(key, None)
            else:
                stored[key] = value
        if stored:
            section["routing"] = stored
        else:
            section.pop("routing", None)
        for name, option in options.items():
            if option is not None:
                section[name] = option
        return section

    update_section(ctx, actor, code, SECTION, change, kind=kind)
    return get_station_printing(ctx, code)


def set_routing(
    ctx: ServiceContext,
    actor: Actor | None,
    station_code: str,
    doc_type: DocumentType | str,
    destination: str | None,
    *,
    kind: str | None = None,
) -> dict[DocumentType, str]:
    """Send ``doc_type`` to ``destination`` at the station (None or "" removes the station's own
    choice); returns the routing that now applies there. ``ALL_STATIONS`` ("*") sets the choice
    for every station that has none of its own (administrators only)."""
    try:
        doc = DocumentType(doc_type)
    except ValueError:
        kinds = ", ".join(d.value for d in DocumentType)
        raise ValidationFailed(msg(
            "'{doc_type}' is not a document type; use one of {kinds}.",
            doc_type=doc_type, kinds=kinds)) from None
    printing = save_station_printing(ctx, actor, station_code, routing={doc: destination}, kind=kind)
    return dict(printing.routing)


def set_preview(ctx: ServiceContext, actor: Actor | None, station_code: str, enabled: bool) -> StationPrinting:
    """Whether the station shows a preview before it prints."""
    return save_station_printing(ctx, actor, station_code, preview=enabled)


__all__ = [
    "ALL_STATIONS",
    "Destination",
    "DestinationKind",
    "StationPrinting",
    "ZPL_DOCUMENTS",
    "document_words",
    "get_routing",
    "get_station_printing",
    "parse_destination",
    "printer_destination",
    "save_station_printing",
    "set_preview",
    "set_routing",
]
