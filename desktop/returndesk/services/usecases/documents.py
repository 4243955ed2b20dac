"""Printed documents from the database: what each shows, rendering, sending, and the print log.

* ``*_data`` builders read a return (and its refund, credit note, policy and the company profile)
  and fill the frozen classes of :mod:`returndesk.documents.data`.
* :func:`render_document` renders one document and numbers the copy: ``copy_no`` is one more
  than the copies already in the print log, and a copy after the first says *REPRINT n* on the
  paper (n = copy_no - 1).
* :func:`prepare_print` renders and decides where the document goes (an explicit printer or
  file, else the station's routing, see :mod:`.printer_routing`); :func:`send_prepared` sends it
  and writes the print log; :func:`print_document` does both. The desktop application prepares,
  may show a preview, then sends through the same functions (``qt:`` printers it drives itself and
  logs with :func:`record_print`).

References, as the print log stores them: the RMA number for return labels and receipts,
``<RMA>/<unit id>`` for item tags (:func:`item_tag_reference`), the credit note number for credit
notes, and :data:`COMMAND_SHEET_REFERENCE` for the command sheet.

``actor`` None is the command line run by the machine's administrator (no sign-in).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from returndesk.documents.data import (
    CreditNoteData,
    CreditNoteLine,
    ItemTagData,
    Lang,
    PackingSlipData,
    PackingSlipLine,
    ReceiptData,
    ReturnLabelData,
    check_lang,
)
from returndesk.documents.strings import text as document_text
from returndesk.domain.messages import msg, os_detail, os_reason, upper_first, with_detail

if TYPE_CHECKING:
    from returndesk.documents.zpl import Dpi
from returndesk.documents.printing import (
    PrintingFailed,
    media_for_page,
    print_pdf,
    print_zpl,
    send_zpl,
    write_pdf,
)
from returndesk.domain.errors import NotFound, ValidationFailed
from returndesk.domain.localtime import local_datetime
from returndesk.domain.permissions import Permission, can
from returndesk.domain.codes import clean_text, shown
from returndesk.domain.scan import looks_like_rma, parse_rma
from returndesk.domain.types import Disposition, DocumentType, Grade, RefundMethod, ReturnStatus
from returndesk.store.schema import (
    CreditNote,
    Customer,
    InspectionUnit,
    PrintLog,
    Product,
    Refund,
    ReplacementLine,
    ReplacementOrder,
    Return,
    ReturnLine,
    SalesOrder,
    User,
)

from returndesk.services.tx import audit, refcache
from returndesk.services.usecases.company_profile import profile_in
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.infra.printer_routing import (
    Destination,
    DestinationKind,
    StationPrinting,
    document_words,
    get_station_printing,
    parse_destination,
    printer_destination,
    stored_destination,
)
from returndesk.services.usecases.label_file import NO_LABEL, WALK_IN, label_data, label_title
from returndesk.services.usecases.receiving import authorized_units
from returndesk.services.usecases.sales import load_policy
from returndesk.services.usecases.sites import zone_for_station
from returndesk.services.tx.views import load_return, return_detail

#: The print log's reference of the inspection command sheet (one document in any language).
COMMAND_SHEET_REFERENCE = "COMMANDS"

_WALK_IN = WALK_IN
_TITLES = {
    DocumentType.RETURN_LABEL: "Return label",
    DocumentType.COUNTER_RECEIPT: "Receipt",
    DocumentType.ITEM_TAG: "Item tag",
    DocumentType.CREDIT_NOTE: "Credit note",
    DocumentType.COMMAND_SHEET: "Inspection command sheet",
    DocumentType.PACKING_SLIP: "Packing slip",
}
_NO_LABEL = NO_LABEL
#: States in which the refund is decided, so the receipt's figures are final.
_RECEIPT_STATES = frozenset({
    ReturnStatus.APPROVED, ReturnStatus.REFUNDED, ReturnStatus.EXCHANGED, ReturnStatus.CLOSED,
})
_MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")
_FILE_UNSAFE = re.compile(r"[^0-9A-Za-z_.-]+")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class RenderedDocument:
    """One rendered document, numbered: ``copy_no`` 1 is the original, 2.. are reprints.

    ``page_size`` is the first page's (width, height) in points; ``media`` the CUPS paper size
    for it. ``zpl`` holds the label as ZPL when it was rendered for a Zebra printer.
    """

    pdf: bytes
    doc_type: DocumentType
    reference: str
    copy_no: int
    title: str
    media: str
    page_size: tuple[float, float]
    lang: str = "en"
    zpl: str | None = None

    @property
    def reprint(self) -> int:
        """0 for the original, n for the n-th reprint (what the paper says)."""
        return self.copy_no - 1

    @property
    def file_name(self) -> str:
        """``return_label-R0000012340.pdf``; reprints end in ``-reprint1.pdf``…"""
        stem = _FILE_UNSAFE.sub("_", f"{self.doc_type.value}-{self.reference}").strip("_")
        suffix = f"-reprint{self.reprint}" if self.reprint else ""
        return f"{stem}{suffix}.pdf"


@dataclass(frozen=True)
class PreparedPrint:
    """A rendered document and where it will go."""

    document: RenderedDocument
    destination: Destination


@dataclass(frozen=True)
class PrintOutcome:
    """What was printed where: the CUPS job id or the saved file, and the print-log row."""

    document: RenderedDocument
    destination: str
    print_log_id: int
    job_id: str | None = None
    path: Path | None = None
    message: str = ""


@dataclass(frozen=True)
class PrintLogEntry:
    id: int
    doc_type: DocumentType
    reference: str
    copy_no: int
    printed_at: datetime
    printed_by: str | None
    station: str | None
    destination: str


@dataclass(frozen=True)
class ItemTagRef:
    """An inspected unit that can get an item tag: ``number`` counts the return's units from 1."""

    unit_id: int
    number: int
    sku: str | None
    disposition: str | None
    reference: str


# --------------------------------------------------------------------------- helpers


def _require_print(actor: Actor | None) -> None:
    if actor is not None:
        actor.require(Permission.PRINT)


def _require_credit_note(actor: Actor | None) -> None:
    _require_print(actor)
    if actor is not None and not can(actor.role, Permission.ISSUE_REFUND):
        # Credit notes are finance documents: those who issue refunds or keep the books.
        actor.require(Permission.VIEW_FINANCE)


def _local(moment: datetime, site_zone: tzinfo) -> datetime:
    """A stored time as the site's wall clock shows it (SQLite gives back naive UTC)."""
    return local_datetime(moment, site_zone)


def local_date(moment: datetime, site_zone: tzinfo) -> date:
    """The site's calendar day of a stored time (what the documents print)."""
    return _local(moment, site_zone).date()


def _station_of(ctx: ServiceContext, actor: Actor | None, station: str | None) -> str | None:
    return (station or (actor.station if actor else None) or ctx.station or None)


def _customer(session: Session, customer_id: int | None) -> Customer | None:
    return session.get(Customer, customer_id) if customer_id else None


def _page_size(pdf: bytes) -> tuple[float, float]:
    """(width, height) in points of the first page of a PDF written by reportlab."""
    match = _MEDIA_BOX.search(pdf)
    if not match:
        raise RuntimeError("the rendered PDF has no /MediaBox")
    x0, y0, x1, y1 = (float(v) for v in match.groups())
    return (x1 - x0, y1 - y0)


def item_tag_reference(rma: str, unit_id: int) -> str:
    """The print-log reference of the item tag of one unit: ``R0000012340/17``."""
    return f"{rma}/{unit_id}"


def parse_item_tag_reference(reference: str) -> tuple[str, int]:
    """``(RMA, unit id)`` of an item tag reference."""
    rma_text, sep, unit_text = str(reference).strip().partition("/")
    if not sep or not unit_text.strip().isdigit():
        raise ValidationFailed(
            msg(
                "'{reference}' does not name an item tag: it is the RMA and the unit, e.g. R0000012340/17.",
                reference=reference)
        )
    return parse_rma(rma_text), int(unit_text)


# --------------------------------------------------------------------------- document data


def return_label_data_in(
    session: Session, rma_no: str, lang: Lang = "en", *, reprint: int = 0, station: str | None = None
) -> ReturnLabelData:
    """:func:`return_label_data` inside an open transaction."""
    check_lang(lang)
    ret = load_return(session, rma_no=parse_rma(rma_no))
    status = ReturnStatus(ret.status)
    if status in _NO_LABEL:
        raise ValidationFailed(msg("Return {rma_no} {no_label}.", rma_no=ret.rma_no, no_label=msg(_NO_LABEL[status])))
    detail = return_detail(session, ret)
    profile = profile_in(session, ret.created_station or station, lang)
    site_zone = zone_for_station(session, ret.created_station or station)
    return label_data(rma=ret.rma_no, status=ret.status, created_at=ret.created_at,
                      customer_name=detail.customer_name, item_count=detail.item_count,
                      company_name=profile.company_name, return_to=profile.return_to, site_zone=site_zone,
                      lang=lang, reprint=reprint)


def return_label_data(
    ctx: ServiceContext, actor: Actor | None, rma_no: str, lang: Lang = "en", *, reprint: int = 0,
    station: str | None = None,
) -> ReturnLabelData:
    """The return label of an authorized (or later) return: RMA, customer, item count, the date
    it was taken and the warehouse it goes back to (the company profile of the station that took
    the return)."""
    _require_print(actor)
    with ctx.read(actor) as s:
        return return_label_data_in(s, rma_no, lang, reprint=reprint, station=_station_of(ctx, actor, station))


def receipt_data_in(
    session: Session, rma_no: str, lang: Lang = "en", *, reprint: int = 0, station: str | None = None
) -> ReceiptData:
    """:func:`receipt_data` inside an open transaction."""
    check_lang(lang)
    ret = load_return(session, rma_no=parse_rma(rma_no))
    if ret.status not in _RECEIPT_STATES:
        raise ValidationFailed(
            msg(
                "Return {rma_no} is {status}: its refund is not decided, so there is no receipt to print yet. The "
                "receipt is printed once the refund is approved.",
                rma_no=ret.rma_no, status=ret.status.replace('_', ' '))
        )
    detail = return_detail(session, ret)
    if lang == "zh_CN":
        detail = replace(detail, lines=tuple(
            replace(line, product_name=line.product_name_zh or line.product_name) for line in detail.lines
        ))
    refund = session.execute(select(Refund).where(Refund.return_id == ret.id)).scalar_one_or_none()
    clerk = refcache.display_name(session, refund.issued_by if refund else ret.created_by) or detail.created_by
    profile = profile_in(session, ret.created_station or station, lang)
    rules = load_policy(session, ret.policy_id).rules
    issued_at = refund.issued_at if refund is not None else detail.status_changed_at
    from returndesk.services.usecases.counter import (
        receipt_data as counter_receipt_data,
    )  # the counter's workflow only for receipts

    data = counter_receipt_data(
        detail,
        clerk=clerk,
        store_name=profile.store_name,
        store_address=profile.store_address,
        issued_at=_local(issued_at, zone_for_station(session, ret.created_station or station)),
        policy_text=rules.policy_text_zh if lang == "zh_CN" else rules.policy_text_en,
        lang=lang,
        reprint=reprint,
    )
    if not detail.customer_name:
        data = replace(data, customer_name=_WALK_IN[lang])
    return data


def receipt_data(
    ctx: ServiceContext, actor: Actor | None, rma_no: str, lang: Lang = "en", *, reprint: int = 0,
    station: str | None = None,
) -> ReceiptData:
    """The counter receipt of an inspected return: each accepted line with quantity, unit amount
    paid, deductions and refund; shipping refunded, total and refund method; the text of the policy
    version the return was judged by; the store of the station that took the return.

    Refused (``ValidationFailed``) while no unit has been accepted: there is nothing to refund yet.
    """
    _require_print(actor)
    with ctx.read(actor) as s:
        return receipt_data_in(s, rma_no, lang, reprint=reprint, station=_station_of(ctx, actor, station))


def find_item_tags(ctx: ServiceContext, actor: Actor | None, rma_no: str) -> list[ItemTagRef]:
    """The inspected units of a return in the order they were scanned, numbered as the tags
    number them; units going back to the customer are listed too (``disposition``) but get no tag
    when printed in a batch by the station."""
    _require_print(actor)
    with ctx.read(actor) as s:
        ret = load_return(s, rma_no=parse_rma(rma_no))
        rma = ret.rma_no
        rows = s.execute(
            select(InspectionUnit.id, Product.sku, InspectionUnit.disposition)
            .outerjoin(Product, Product.id == InspectionUnit.product_id)
            .where(InspectionUnit.return_id == ret.id)
            .order_by(InspectionUnit.id)
        ).all()
    return [
        ItemTagRef(unit_id, number, sku, disposition, item_tag_reference(rma, unit_id))
        for number, (unit_id, sku, disposition) in enumerate(rows, start=1)
    ]


def unit_id_of(ctx: ServiceContext, actor: Actor | None, rma_no: str, number: int) -> int:
    """The id of the ``number``-th unit of a return (1-based, as printed "unit 2 of 3")."""
    units = find_item_tags(ctx, actor, rma_no)
    if not units:
        raise NotFound(msg(
            "Return {rma_no} has no inspected units yet; there is no item tag to print.",
            rma_no=parse_rma(rma_no)))
    if not 1 <= number <= len(units):
        raise NotFound(
            msg(
                "Return {rma_no} has 1 inspected unit; there is no unit {number}." if len(units) == 1 else
                "Return {rma_no} has {units_count} inspected units; there is no unit {number}.",
                rma_no=parse_rma(rma_no), units_count=len(units), number=number)
        )
    return units[number - 1].unit_id


def item_tag_data_in(
    session: Session, rma_no: str, unit_id: int, lang: Lang = "en", *, reprint: int = 0
) -> ItemTagData:
    """:func:`item_tag_data` inside an open transaction."""
    check_lang(lang)
    rma = parse_rma(rma_no)
    unit = session.get(InspectionUnit, unit_id)
    ret = session.get(Return, unit.return_id) if unit is not None else None
    if unit is None or ret is None or ret.rma_no != rma:
        raise NotFound(msg(
            "Return {rma} has no inspected unit #{unit_id}; it may have been undone.",
            rma=rma, unit_id=unit_id))
    if not unit.disposition:
        raise ValidationFailed(msg(
            "Unit #{unit_id} of {rma} has no disposition yet, so its tag has nothing to say.",
            unit_id=unit_id, rma=rma))
    ids = list(session.execute(
        select(InspectionUnit.id).where(InspectionUnit.return_id == ret.id).order_by(InspectionUnit.id)
    ).scalars())
    # Numbered as the inspection station numbers them ("2 of 3"): by scan order, out of the units
    # the return authorizes (or more, when more arrived).
    expected = sum(authorized_units(line) for line in session.execute(
        select(ReturnLine).where(ReturnLine.return_id == ret.id)
    ).scalars())
    product = session.get(Product, unit.product_id) if unit.product_id else None
    if product is not None:
        name = (product.name_zh or product.name) if lang == "zh_CN" else product.name
    else:
        name = "目录中没有的商品" if lang == "zh_CN" else "Item not in the catalogue"
    return ItemTagData(
        rma=ret.rma_no,
        sku=product.sku if product else (unit.scanned_code or "UNKNOWN"),
        product_name=name,
        grade=Grade(unit.grade or Grade.A),
        disposition=Disposition(unit.disposition),
        unit_number=ids.index(unit.id) + 1,
        unit_count=max(expected, len(ids)),
        lang=lang,
        reprint=reprint,
    )


def item_tag_data(
    ctx: ServiceContext, actor: Actor | None, rma_no: str, unit_id: int, lang: Lang = "en", *, reprint: int = 0
) -> ItemTagData:
    """The item tag of one inspected unit of the return: RMA, SKU, product (in Chinese on a
    Chinese tag), grade, disposition and the unit's number among the return's units."""
    _require_print(actor)
    with ctx.read(actor) as s:
        return item_tag_data_in(s, rma_no, unit_id, lang, reprint=reprint)


def _credit_note_row(session: Session, reference: str) -> CreditNote:
    text = clean_text(reference, what=msg("The credit note or RMA number"))
    if looks_like_rma(text):
        ret = load_return(session, rma_no=parse_rma(text))
        note = session.execute(
            select(CreditNote).where(CreditNote.return_id == ret.id).order_by(CreditNote.id.desc()).limit(1)
        ).scalar_one_or_none()
        if note is None:
            raise NotFound(
                msg(
                    "Return {rma_no} has no credit note: one is issued with its refund or exchange (the return is "
                    "{status}).",
                    rma_no=ret.rma_no, status=ret.status.replace('_', ' '))
            )
        return note
    note = session.execute(select(CreditNote).where(CreditNote.number == text.upper())).scalar_one_or_none()
    if note is None:
        raise NotFound(msg(
            "There is no credit note {text}. Give its number (CN-2026-000001) or the return's RMA.",
            text=shown(text)))
    return note


def credit_note_data_in(session: Session, reference: str, lang: Lang = "en", *, reprint: int = 0) -> CreditNoteData:
    """:func:`credit_note_data` inside an open transaction."""
    check_lang(lang)
    note = _credit_note_row(session, reference)
    ret = session.get(Return, note.return_id)
    assert ret is not None
    order = session.get(SalesOrder, ret.order_id)
    assert order is not None
    customer = _customer(session, note.customer_id or ret.customer_id)
    rows = session.execute(
        select(ReturnLine, Product)
        .join(Product, Product.id == ReturnLine.product_id)
        .where(ReturnLine.return_id == ret.id)
        .order_by(ReturnLine.line_no)
    ).all()
    lines = [
        CreditNoteLine(
            sku=product.sku,
            description=(product.name_zh or product.name) if lang == "zh_CN" else product.name,
            quantity=max(line.qty_accepted, 1),
            net=line.refund_minor - line.tax_minor,
            tax_rate=Decimal(product.tax_rate_bp) / Decimal(10000),
            tax=line.tax_minor,
            gross=line.refund_minor,
        )
        for line, product in rows
        if line.refund_minor > 0 or line.qty_accepted > 0
    ]
    if ret.shipping_refund_minor > 0:
        lines.append(
            CreditNoteLine(
                sku="SHIPPING",
                description=document_text("receipt.shipping", lang),
                quantity=1,
                net=ret.shipping_refund_minor,
                tax_rate=Decimal(0),
                tax=0,
                gross=ret.shipping_refund_minor,
            )
        )
    sums = (sum(x.net for x in lines), sum(x.tax for x in lines), sum(x.gross for x in lines))
    if not lines or sums != (note.net_minor, note.tax_minor, note.total_minor):
        raise ValidationFailed(
            msg(
                "Credit note {number} records net {net_minor}, tax {tax_minor} and total {total_minor}, but the "
                "lines of return {rma_no} give {sums}, {sums2} and {sums3}. It was not printed; run 'returndesk "
                "check' and ask finance to look at the return.",
                number=note.number, net_minor=note.net_minor, tax_minor=note.tax_minor, total_minor=note.total_minor,
                rma_no=ret.rma_no, sums=sums[0], sums2=sums[1], sums3=sums[2])
        )
    refund_method = session.execute(
        select(Refund.method).where(Refund.credit_note_id == note.id)
    ).scalar_one_or_none()
    profile = profile_in(session, None, lang)
    address = tuple(line.strip() for line in (customer.address or "").splitlines() if line.strip()) if customer else ()
    return CreditNoteData(
        credit_note_number=note.number,
        issued_on=local_date(note.issued_at, zone_for_station(session, ret.created_station)),
        company_name=profile.company_name,
        company_address=profile.company_address,
        company_tax_id=profile.company_tax_id,
        customer_name=customer.name if customer else _WALK_IN[lang],
        customer_address=address,
        rma=ret.rma_no,
        order_number=order.order_no,
        lines=tuple(lines),
        net_total=note.net_minor,
        tax_total=note.tax_minor,
        gross_total=note.total_minor,
        currency=note.currency,
        refund_method=RefundMethod(refund_method) if refund_method else None,
        lang=lang,
        reprint=reprint,
    )


def credit_note_data(
    ctx: ServiceContext, actor: Actor | None, reference: str, lang: Lang = "en", *, reprint: int = 0
) -> CreditNoteData:
    """The credit note named by its number or by the return's RMA: one line per credited return
    line (net, tax at the product's rate, gross) and the shipping refunded, with the totals finance
    booked. Refund-issuers and finance only."""
    _require_credit_note(actor)
    with ctx.read(actor) as s:
        return credit_note_data_in(s, reference, lang, reprint=reprint)


def _replacement_row(session: Session, reference: str) -> ReplacementOrder:
    """A replacement order by its number (RO-…) or by the RMA of its return."""
    text = clean_text(reference, what=msg("The replacement order or RMA number")).upper()
    row = session.execute(select(ReplacementOrder).where(ReplacementOrder.order_no == text)).scalar_one_or_none()
    if row is None and looks_like_rma(text):
        row = session.execute(
            select(ReplacementOrder).join(Return, Return.id == ReplacementOrder.return_id)
            .where(Return.rma_no == parse_rma(text))
        ).scalar_one_or_none()
    if row is None:
        raise NotFound(msg(
            "No replacement order {reference} exists; a packing slip is printed for the replacement of an exchange. "
            "Give the RO number or the return's RMA.",
            reference=shown(reference)))
    return row


def packing_slip_data_in(session: Session, reference: str, lang: Lang = "en", *, reprint: int = 0) -> PackingSlipData:
    """The packing slip of a replacement order (its number or its return's RMA)."""
    check_lang(lang)
    order = _replacement_row(session, reference)
    ret = session.get(Return, order.return_id)
    assert ret is not None
    sale = session.get(SalesOrder, ret.order_id)
    assert sale is not None
    customer = _customer(session, ret.customer_id)
    rows = session.execute(
        select(ReplacementLine, Product).join(Product, Product.id == ReplacementLine.product_id)
        .where(ReplacementLine.replacement_id == order.id).order_by(ReplacementLine.id)
    ).all()

    def describe(product: Product) -> str:
        name = (product.name_zh or product.name) if lang == "zh_CN" else product.name
        return f"{name} · {product.variant}" if product.variant else name

    profile = profile_in(session, ret.created_station, lang)
    address = tuple(x.strip() for x in (customer.address or "").splitlines() if x.strip()) if customer else ()
    return PackingSlipData(
        order_number=order.order_no, rma=ret.rma_no, sales_order=sale.order_no,
        issued_on=local_date(order.created_at, zone_for_station(session, ret.created_station)),
        company_name=profile.company_name, company_address=profile.company_address,
        customer_name=customer.name if customer else _WALK_IN[lang], customer_address=address,
        customer_phone=(customer.phone or "") if customer else "",
        lines=tuple(PackingSlipLine(p.sku, describe(p), line.quantity) for line, p in rows),
        lang=lang, reprint=reprint,
    )


# --------------------------------------------------------------------------- rendering


def _canonical_reference(session: Session, doc_type: DocumentType, reference: str | None) -> str:
    if doc_type is DocumentType.COMMAND_SHEET:
        return COMMAND_SHEET_REFERENCE
    if not reference or not str(reference).strip():
        raise ValidationFailed(msg("Which {titles}? Give the RMA number.", titles=_TITLES[doc_type].lower()))
    if doc_type is DocumentType.ITEM_TAG:
        rma, unit_id = parse_item_tag_reference(reference)
        return item_tag_reference(rma, unit_id)
    if doc_type is DocumentType.CREDIT_NOTE:
        return _credit_note_row(session, reference).number
    if doc_type is DocumentType.PACKING_SLIP:
        return _replacement_row(session, reference).order_no
    return parse_rma(reference)


def copies_printed(session: Session, doc_type: DocumentType, reference: str) -> int:
    """How many copies of the document the print log holds."""
    return session.execute(
        select(func.count()).select_from(PrintLog)
        .where(PrintLog.doc_type == doc_type.value, PrintLog.reference == reference)
    ).scalar_one()


def _zpl_dpi(value: int | None) -> Dpi | None:
    """The printer resolution ZPL is drawn for: 203 or 300 dots per inch (None: no ZPL)."""
    if value is None or value == 0:
        return None
    if value == 203:
        return 203
    if value == 300:
        return 300
    raise ValidationFailed(msg(
        "ZPL is drawn for 203 or 300 dots per inch, not {value}; choose one of them.",
        value=value))


def render_document(
    ctx: ServiceContext,
    actor: Actor | None,
    doc_type: DocumentType | str,
    reference: str | None,
    *,
    lang: Lang = "en",
    size: str = "4x6",
    width_mm: int = 80,
    reprint: int | None = None,
    zpl_dpi: int | None = None,
    station: str | None = None,
) -> RenderedDocument:
    """Render one document as PDF (and as ZPL too when ``zpl_dpi`` is given, for labels and tags).

    ``reprint`` None numbers the copy from the print log (``copy_no`` = 1 + copies logged; a copy
    after the first is marked *REPRINT n* on the paper); an explicit ``reprint`` overrides it.
    ``size`` is the return label's ("4x6" or "100x150"), ``width_mm`` the receipt roll's (80 or 58).
    Nothing is logged here: :func:`record_print` does that once the document was printed.
    """
    doc = DocumentType(doc_type)
    check_lang(lang)
    if doc is DocumentType.CREDIT_NOTE:
        _require_credit_note(actor)
    else:
        _require_print(actor)
    where = _station_of(ctx, actor, station)
    with ctx.read(actor) as s:
        ref = _canonical_reference(s, doc, reference)
        copy_no = copies_printed(s, doc, ref) + 1 if reprint is None else reprint + 1
        again = copy_no - 1
        data: ReturnLabelData | ReceiptData | CreditNoteData | ItemTagData | PackingSlipData | None = None
        if doc is DocumentType.RETURN_LABEL:
            data = return_label_data_in(s, ref, lang, reprint=again, station=where)
        elif doc is DocumentType.COUNTER_RECEIPT:
            data = receipt_data_in(s, ref, lang, reprint=again, station=where)
        elif doc is DocumentType.CREDIT_NOTE:
            data = credit_note_data_in(s, ref, lang, reprint=again)
        elif doc is DocumentType.ITEM_TAG:
            rma, unit_id = parse_item_tag_reference(ref)
            data = item_tag_data_in(s, rma, unit_id, lang, reprint=again)
        elif doc is DocumentType.PACKING_SLIP:
            data = packing_slip_data_in(s, ref, lang, reprint=again)

    # The renderers (and reportlab) are imported at the first print, not when a station starts,
    # and only the one this document needs (the package imports each name at its first use).
    from returndesk import documents as renderers

    dpi = _zpl_dpi(zpl_dpi)
    zpl = None
    if isinstance(data, ReturnLabelData):
        pdf = renderers.render_return_label(data, size)
        zpl = renderers.return_label_zpl(data, size, dpi) if dpi else None
        title: str = label_title(ref, 0)
    elif isinstance(data, ReceiptData):
        pdf = renderers.render_receipt(data, width_mm)
        title = msg("Receipt {ref}", ref=ref)
    elif isinstance(data, ItemTagData):
        pdf = renderers.render_item_tag(data)
        zpl = renderers.item_tag_zpl(data, dpi) if dpi else None
        title = msg("Item tag {rma} {sku} #{unit}", rma=data.rma, sku=data.sku, unit=data.unit_number)
    elif isinstance(data, CreditNoteData):
        pdf = renderers.render_credit_note(data)
        title = msg("Credit note {ref} ({rma})", ref=ref, rma=data.rma)
    elif isinstance(data, PackingSlipData):
        pdf = renderers.render_packing_slip(data)
        title = msg("Packing slip {ref} ({rma})", ref=ref, rma=data.rma)
    else:
        pdf = renderers.render_command_sheet(lang)
        title = msg("Inspection command sheet")
    if zpl_dpi and zpl is None:
        raise ValidationFailed(msg(
            "{document_words} cannot be printed as ZPL.",
            document_words=document_words(doc).capitalize()))
    if again and doc is not DocumentType.COMMAND_SHEET:
        title = msg("{title} (reprint {again})", title=title, again=again)
    page = _page_size(pdf)
    return RenderedDocument(
        pdf=pdf, doc_type=doc, reference=ref, copy_no=copy_no, title=title,
        media=media_for_page(*page), page_size=page, lang=lang, zpl=zpl,
    )


# --------------------------------------------------------------------------- printing


def resolve_destination(
    ctx: ServiceContext,
    actor: Actor | None,
    doc_type: DocumentType | str,
    *,
    printer: str | None = None,
    out: str | Path | None = None,
    station: str | None = None,
    printing: StationPrinting | None = None,
) -> Destination:
    """Where a document goes: ``out`` (a PDF file), else ``printer`` (a CUPS queue or a
    destination such as ``zpl-tcp:10.0.0.9``), else the station's routing."""
    doc = DocumentType(doc_type)
    if out is not None and printer is not None:
        raise ValidationFailed(msg("Give a printer or a file to write, not both."))
    if out is not None:
        path = Path(out).expanduser().absolute()
        return parse_destination(f"{DestinationKind.PDF_FILE.value}:{path}", doc)
    if printer is not None and str(printer).strip():
        return parse_destination(str(printer_destination(str(printer))), doc)
    where = _station_of(ctx, actor, station)
    if where is None:
        raise ValidationFailed(
            msg(
                "No printer is given for {document_words} and this computer has no station name to look one up; give "
                "a printer or a file.",
                document_words=document_words(doc))
        )
    printing = printing or get_station_printing(ctx, where)
    routed = printing.destination(doc)
    if routed is None:
        raise ValidationFailed(
            msg(
                "No printer is chosen for {document_words} at station {where}. Choose one in the printer settings "
                "(or give a printer or a PDF file to print to).",
                document_words=document_words(doc), where=where)
        )
    return routed


def prepare_print(
    ctx: ServiceContext,
    actor: Actor | None,
    doc_type: DocumentType | str,
    reference: str | None,
    *,
    printer: str | None = None,
    out: str | Path | None = None,
    station: str | None = None,
    lang: Lang = "en",
    size: str | None = None,
    width_mm: int | None = None,
) -> PreparedPrint:
    """Decide where the document goes (see :func:`resolve_destination`) and render it for that
    printer: as ZPL for a Zebra route, with the station's label size and receipt width unless
    ``size``/``width_mm`` are given. Nothing is printed or logged yet."""
    doc = DocumentType(doc_type)
    where = _station_of(ctx, actor, station)
    printing = get_station_printing(ctx, where) if where else StationPrinting(station="")
    destination = resolve_destination(ctx, actor, doc, printer=printer, out=out, station=where, printing=printing)
    rendered = render_document(
        ctx, actor, doc, reference, lang=lang,
        size=size or printing.label_size, width_mm=width_mm or printing.receipt_width,
        zpl_dpi=printing.zpl_dpi if destination.is_zpl else None, station=where,
    )
    return PreparedPrint(rendered, destination)


def _deliver(document: RenderedDocument, destination: Destination) -> tuple[str | None, Path | None]:
    kind = destination.kind
    if kind is DestinationKind.CUPS:
        return print_pdf(document.pdf, destination.target, document.title, media=document.media), None
    if kind in (DestinationKind.ZPL_QUEUE, DestinationKind.ZPL_TCP):
        if document.zpl is None:
            raise PrintingFailed(msg(
                "{title} was not rendered as ZPL; nothing was sent to the printer.",
                title=document.title))
        if kind is DestinationKind.ZPL_QUEUE:
            return print_zpl(document.zpl, destination.target, document.title), None
        send_zpl(document.zpl, destination.target, destination.port or 9100)
        return None, None
    if kind is DestinationKind.PDF_FOLDER:
        folder = Path(destination.target)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PrintingFailed(with_detail(
                msg(
                    "The folder {folder} cannot be created ({value}); choose another folder in the printer settings.",
                    folder=folder, value=os_reason(exc)), os_detail(exc))
            ) from None
        return None, write_pdf(document.pdf, folder / document.file_name)
    if kind is DestinationKind.PDF_FILE:
        return None, write_pdf(document.pdf, destination.target)
    raise ValidationFailed(
        msg(
            "{describe} is a printer of the desktop application; print from the application, or choose a CUPS "
            "printer or a PDF folder for this station.",
            describe=upper_first(destination.describe()))
    )


_stored_destination = stored_destination


def record_print(
    ctx: ServiceContext, actor: Actor | None, rendered: RenderedDocument, destination: Destination | str,
    *, station: str | None = None,
) -> int:
    """Write the print log for a document that was printed (and its audit event); returns the
    print-log id. The copy number is the one the paper shows."""
    _require_print(actor)
    text = _stored_destination(destination, None)
    where = _station_of(ctx, actor, station)
    with ctx.write(actor) as s:
        row = PrintLog(
            doc_type=rendered.doc_type.value, reference=rendered.reference, copy_no=rendered.copy_no,
            printed_at=ctx.now(), printed_by=actor.user_id if actor else None,
            station=where[:40] if where else None, destination=text,
        )
        s.add(row)
        s.flush()
        audit.record(s, ctx, actor, "print_log", row.id, "reprint" if rendered.reprint else "print", None, {
            "doc_type": rendered.doc_type.value, "reference": rendered.reference,
            "copy_no": rendered.copy_no, "destination": text,
        })
        log_id = row.id
    ctx.changed("print_log", log_id)
    return log_id


def send_prepared(
    ctx: ServiceContext, actor: Actor | None, prepared: PreparedPrint, *, station: str | None = None
) -> PrintOutcome:
    """Send a prepared document to its destination, then log it. A printer failure raises
    ``PrintingFailed`` and logs nothing (nothing came out)."""
    _require_print(actor)
    job_id, path, stored = deliver_prepared(prepared)
    log_id = record_print(ctx, actor, prepared.document, stored, station=station)
    return delivered_outcome(prepared, job_id, path, stored, log_id)


def deliver_prepared(prepared: PreparedPrint) -> tuple[str | None, Path | None, str]:
    """Send a prepared document to its printer or folder from this computer, without the database
    (a station of a ReturnDesk server prints on its own printers, then logs the copy through the
    server): the job id, the file written, and the destination as the print log keeps it."""
    job_id, path = _deliver(prepared.document, prepared.destination)
    return job_id, path, _stored_destination(prepared.destination, path)


def delivered_outcome(prepared: PreparedPrint, job_id: str | None, path: Path | None, stored: str,
                      log_id: int) -> PrintOutcome:
    """What :func:`send_prepared` answers, from the delivery and the print-log row."""
    document = prepared.document
    if path is not None:
        message = msg("{title} saved as {path}.", title=document.title, path=path)
    elif job_id:
        message = msg("{title} sent to {destination} (job {job_id}).", title=document.title,
                      destination=prepared.destination.describe(), job_id=job_id)
    else:
        message = msg("{title} sent to {destination}.", title=document.title,
                      destination=prepared.destination.describe())
    return PrintOutcome(
        document=document, destination=stored, print_log_id=log_id, job_id=job_id, path=path, message=message,
    )


def print_document(
    ctx: ServiceContext,
    actor: Actor | None,
    doc_type: DocumentType | str,
    reference: str | None,
    *,
    printer: str | None = None,
    out: str | Path | None = None,
    station: str | None = None,
    lang: Lang = "en",
    size: str | None = None,
    width_mm: int | None = None,
) -> PrintOutcome:
    """Render a document, send it to ``printer`` / ``out`` / the station's printer for it, and log
    it (see :func:`prepare_print` and :func:`send_prepared`)."""
    prepared = prepare_print(
        ctx, actor, doc_type, reference, printer=printer, out=out, station=station, lang=lang,
        size=size, width_mm=width_mm,
    )
    return send_prepared(ctx, actor, prepared, station=station)


def find_prints(
    ctx: ServiceContext, actor: Actor | None, doc_type: DocumentType | str, reference: str
) -> list[PrintLogEntry]:
    """The print log of one document, first copy first."""
    _require_print(actor)
    doc = DocumentType(doc_type)
    with ctx.read(actor) as s:
        ref = _canonical_reference(s, doc, reference)
        rows = s.execute(
            select(PrintLog, User.username)
            .outerjoin(User, User.id == PrintLog.printed_by)
            .where(PrintLog.doc_type == doc.value, PrintLog.reference == ref)
            .order_by(PrintLog.id)
        ).all()
        return [
            PrintLogEntry(
                id=row.id, doc_type=DocumentType(row.doc_type), reference=row.reference, copy_no=row.copy_no,
                printed_at=row.printed_at, printed_by=username, station=row.station,
                destination=row.destination,
            )
            for row, username in rows
        ]

