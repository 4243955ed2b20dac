"""``returndesk print label RMA --out FILE``: the return label saved as a PDF file, in a process that
imports neither SQLAlchemy nor the other use cases.

A shell or a script prints one label per process, so the process's start is most of its cost.
The label needs a few columns of one return, the station settings and the print log; they are read
with three statements through the database driver (:mod:`returndesk.store.direct`) and the copy is
logged, with its audit event chained as every other event is (:mod:`returndesk.store.audit_chain`),
in one write transaction. What the label says and where the copy is counted are those of
:func:`returndesk.services.usecases.documents.print_document` (the station's label size, the
company profile and time zone of the station that took the return, the copy number from the print
log, ``REPRINT n`` after the first copy); ``tests/integration/test_label_file.py`` holds the two
side by side on both databases.

:func:`print_label_file` answers None when the database is not one the driver opens alone (see
:func:`~returndesk.store.direct.open_direct`); the command line then prints through the services.
The command line is the machine's administrator: no user signs in, as for every other print from it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from returndesk.documents.data import Lang, ReturnLabelData, check_lang
from returndesk.domain.errors import NotFound, ValidationFailed
from returndesk.domain.events import event_type
from returndesk.domain.localtime import local_datetime, system_zone_name, zone
from returndesk.domain.messages import Message, msg, template
from returndesk.domain.scan import parse_rma
from returndesk.domain.types import DocumentType, ReturnStatus
from returndesk.services.infra.printer_routing import (
    SECTION as PRINTING,
    DestinationKind,
    parse_destination,
    station_printing,
    stored_destination,
)
from returndesk.services.infra.station_settings import ALL_STATIONS, check_station_code, parse_settings, sections_of
from returndesk.services.usecases.company_profile import SECTION as COMPANY
from returndesk.services.usecases.company_profile import resolve_profile, shipped_profile
from returndesk.store import audit_chain
from returndesk.store.direct import DirectDatabase, DirectTransaction, open_direct

#: What a label says for a return without a customer.
WALK_IN = {"en": "Walk-in customer", "zh_CN": "到店顾客"}
#: States in which a return label is not (or no longer) valid, with the advice.
NO_LABEL = {
    ReturnStatus.DRAFT: template("is still a draft: submit and authorize it before printing its return label"),
    ReturnStatus.REQUESTED: template("is not authorized yet: authorize it before printing its return label"),
    ReturnStatus.WAITING_FOR_CUSTOMER: template("waits for the customer's answer: authorize it before printing its "
                                                "return label"),
    ReturnStatus.REJECTED: template("was rejected, so it has no valid return label"),
    ReturnStatus.CANCELLED: template("was cancelled, so it has no valid return label"),
    ReturnStatus.EXPIRED: template("expired, so its return label is no longer valid"),
}

_LABEL = DocumentType.RETURN_LABEL.value

#: The return, its customer's name, the copies of its label in the print log and its item count
#: (each line's authorized quantity, else its requested one, as ``ReturnDetail.item_count``).
_RETURN_SQL = (
    "SELECT r.rma_no, r.status, r.created_at, r.created_station, c.name,"
    " (SELECT COUNT(*) FROM print_log p WHERE p.doc_type = :doc_type AND p.reference = :rma),"
    " (SELECT COALESCE(SUM(CASE WHEN l.qty_authorized <> 0 THEN l.qty_authorized ELSE l.qty_requested END), 0)"
    " FROM return_lines l WHERE l.return_id = r.id)"
    " FROM returns r LEFT JOIN customers c ON c.id = r.customer_id WHERE r.rma_no = :rma"
)
_STATIONS_SQL = "SELECT code, site, settings_json FROM stations WHERE code IN (:all, :printing, :label, :profile)"
_ZONES_SQL = "SELECT code, time_zone FROM sites WHERE code IN (:site, :all)"
_PRINT_LOG_SQL = (
    "INSERT INTO print_log (doc_type, reference, copy_no, printed_at, printed_by, station, destination)"
    " VALUES (:doc_type, :reference, :copy_no, :printed_at, NULL, :station, :destination) RETURNING id"
)
_HEAD_SQL = "SELECT last_seq, last_hash FROM audit_head WHERE id = 1"
_MOVE_HEAD_SQL = "UPDATE audit_head SET last_seq = :last_seq, last_hash = :last_hash WHERE id = 1"
_EVENT_SQL = (
    "INSERT INTO audit_events (seq, occurred_at, user_id, username, station, entity, entity_id, action,"
    " before_json, after_json, prev_hash, hash, hash_version) VALUES (:seq, :occurred_at, :user_id, :username,"
    " :station, :entity, :entity_id, :action, :before_json, :after_json, :prev_hash, :hash, :hash_version)"
)
_OUTBOX_SQL = (
    "INSERT INTO outbox_events (id, occurred_at, event_type, subject, payload_json)"
    " VALUES (:id, :occurred_at, :event_type, :subject, :payload_json)"
)


def label_title(rma: str, reprint: int) -> Message:
    """``Return label R0000012340`` (``… (reprint 1)`` for a reprint), as the print log's messages say."""
    title = msg("Return label {ref}", ref=rma)
    return msg("{title} (reprint {again})", title=title, again=reprint) if reprint else title


def label_data(*, rma: str, status: str, created_at: datetime, customer_name: str | None, item_count: int,
               company_name: str, return_to: tuple[str, ...], site_zone: tzinfo, lang: Lang,
               reprint: int) -> ReturnLabelData:
    """What the label of a return says; ``ValidationFailed`` for a return whose state has no valid
    label (a draft, a request not yet authorized, a rejected, cancelled or expired return)."""
    state = ReturnStatus(status)
    if state in NO_LABEL:
        raise ValidationFailed(msg("Return {rma_no} {no_label}.", rma_no=rma, no_label=msg(NO_LABEL[state])))
    return ReturnLabelData(
        rma=rma,
        created_on=local_datetime(created_at, site_zone).date(),
        customer_name=customer_name or WALK_IN[lang],
        return_to=return_to,
        item_count=item_count,
        company_name=company_name,
        lang=lang,
        reprint=reprint,
    )


def print_label_file(
    url: str | None,
    reference: str,
    out: str | Path,
    *,
    station: str,
    printing_station: str | None = None,
    lang: Lang = "en",
    size: str | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> str | None:
    """Save the return label of ``reference`` as the PDF file ``out`` and log the copy; the
    sentence that says so. None when the database at ``url`` is to be reached through the services
    (or no RMA is given: they say so).

    ``station`` is the command line's station (the print log's and the audit trail's);
    ``printing_station`` the station whose label size applies (``--station``, else ``station``).
    """
    if not str(reference).strip():
        return None  # the services say what is missing
    db = open_direct(url)
    if db is None:
        return None
    try:
        return _print(db, reference, out, station=station, printing_station=printing_station or station,
                      lang=lang, size=size, clock=clock)
    finally:
        db.close()


def _print(db: DirectDatabase, reference: str, out: str | Path, *, station: str, printing_station: str, lang: Lang,
           size: str | None, clock: Callable[[], datetime]) -> str:
    check_lang(lang)
    printing_code = check_station_code(printing_station)
    path = Path(out).expanduser().absolute()
    destination = parse_destination(f"{DestinationKind.PDF_FILE.value}:{path}", DocumentType.RETURN_LABEL)
    rma = parse_rma(reference)
    with db.transaction() as tx:
        row = tx.first(_RETURN_SQL, {"doc_type": _LABEL, "rma": rma})
        if row is None:
            raise NotFound(msg("No return {what} exists. Check the number or scan the label again.", what=rma))
        rma_no, status, created_at, created_station, customer_name, copies, item_count = row
        label_station = created_station or printing_station
        profile_code = label_station.strip() or ALL_STATIONS
        stations = {code: (site, text) for code, site, text in tx.all(_STATIONS_SQL, {
            "all": ALL_STATIONS, "printing": printing_code, "label": label_station, "profile": profile_code})}
        site = stations.get(label_station, (None, None))[0]
        zones = dict(tx.all(_ZONES_SQL, {"site": site or ALL_STATIONS, "all": ALL_STATIONS}))
        created = tx.stored_instant(created_at)
    settings = {code: parse_settings(code, text) for code, (_, text) in sorted(
        stations.items(), key=lambda item: item[0] != ALL_STATIONS)}
    label_size = size or station_printing(printing_code, *sections_of(printing_code, settings, PRINTING)).label_size
    common, own = sections_of(profile_code, settings, COMPANY)
    profile = resolve_profile([own, common, shipped_profile()], lang)
    zone_name = (site and zones.get(site)) or zones.get(ALL_STATIONS) or system_zone_name()
    reprint = int(copies)
    data = label_data(rma=rma_no, status=status, created_at=created, customer_name=customer_name,
                      item_count=int(item_count), company_name=profile.company_name, return_to=profile.return_to,
                      site_zone=zone(zone_name), lang=lang, reprint=reprint)

    from returndesk.documents.printing import write_pdf
    from returndesk.documents.return_label import render_return_label

    written = write_pdf(render_return_label(data, label_size), destination.target)
    stored = stored_destination(destination, written)
    with db.transaction(write=True) as tx:
        _log_copy(tx, clock(), rma_no, reprint + 1, printing_station, station, stored)
    return msg("{title} saved as {path}.", title=label_title(rma_no, reprint), path=written)


def _log_copy(tx: DirectTransaction, now: datetime, rma: str, copy_no: int, printing_station: str, station: str,
              destination: str) -> None:
    """The print log's row of the copy (at ``printing_station``) and its audit event (written by
    ``station``), chained: as ``documents.record_print`` for the command line."""
    now = now.astimezone(UTC)
    log_id = tx.first(_PRINT_LOG_SQL, {"doc_type": _LABEL, "reference": rma, "copy_no": copy_no,
                                       "printed_at": tx.instant(now), "station": printing_station[:40],
                                       "destination": destination})
    assert log_id is not None
    action = "reprint" if copy_no > 1 else "print"
    fields = audit_chain.event_fields(
        occurred_at=now, user_id=None, username=None, station=station, entity="print_log", entity_id=log_id[0],
        action=action, before=None,
        after={"doc_type": _LABEL, "reference": rma, "copy_no": copy_no, "destination": destination})
    published = event_type("print_log", action)
    outbox = [(published, audit_chain.webhook_payload(published, fields) if published is not None else None)]
    if tx.dialect == "postgresql":
        tx.execute(audit_chain.APPEND_CALL, audit_chain.append_parameters([fields], outbox))
        return
    head_row = tx.first(_HEAD_SQL)
    if head_row is None:
        raise RuntimeError("the audit chain has no head row (audit_head id 1)")
    last_seq, last_hash = head_row
    events, published_rows, seq, head = audit_chain.chain_events([fields], outbox, int(last_seq), str(last_hash))
    tx.execute(_MOVE_HEAD_SQL, {"last_seq": seq, "last_hash": head})
    tx.execute_many(_EVENT_SQL, [dict(event, occurred_at=tx.instant(event["occurred_at"])) for event in events])
    if published_rows:
        tx.execute_many(_OUTBOX_SQL, [dict(row, occurred_at=tx.instant(row["occurred_at"]))
                                      for row in published_rows])
