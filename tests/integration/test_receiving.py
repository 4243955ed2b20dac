"""The receiving dock: RMA label verdicts, receiving a parcel, parcels without RMA."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from returndesk.domain.errors import (
    AlreadyDone,
    ConcurrentChange,
    IllegalTransition,
    PermissionDenied,
    ValidationFailed,
)
from returndesk.domain.scan import format_rma
from returndesk.domain.types import Location
from returndesk.services.usecases import inspection, intake, receiving
from returndesk.services.tx.context import ServiceContext
from returndesk.store.engine import Database
from returndesk.store.schema import AuditEvent, StockMovement, UnexpectedParcel

from .factories import build_world
from .inspection_support import authorized_return, barcode, on_hand, return_row


def test_an_authorized_label_offers_receiving_and_receiving_moves_the_units_into_inspection(ctx, clock):
    w = build_world(ctx)
    rma = authorized_return(w, [("EL-1002", 2, "changed_mind"), ("HM-4001", 1, "defective")])
    look = receiving.find_return_by_scan(ctx, w.inspector, f"  {rma.lower()}\r\n")
    assert look.ok and look.next_step == "receive" and look.verdict is None
    assert look.rma_no == rma and look.detail is not None and look.detail.item_count == 3

    clock.advance(days=3)
    detail = receiving.receive_return(ctx, w.inspector, rma, expected_version=look.detail.version)
    assert detail.status == "received"
    ret = return_row(w, rma)
    assert ret.received_by == w.inspector.user_id
    assert ret.received_at.replace(tzinfo=None) == clock.current.replace(tzinfo=None)
    # The parcel is received; its units are counted at inspection, not here.
    assert [line.qty_received for line in detail.lines] == [0, 0]
    assert [line.qty_expected for line in detail.lines] == [2, 1]
    assert on_hand(w, "EL-1002", Location.INSPECTION) == 2
    assert on_hand(w, "HM-4001", Location.INSPECTION) == 1
    with ctx.db.read() as s:
        event = s.execute(
            select(AuditEvent).where(AuditEvent.entity_id == rma, AuditEvent.action == "receive")
        ).scalar_one()
        assert event.username == "inspector"
        moves = s.execute(
            select(func.count()).select_from(StockMovement).where(
                StockMovement.return_id == ret.id, StockMovement.reason == "return_received"
            )
        ).scalar_one()
        assert moves == 2

    again = receiving.find_return_by_scan(ctx, w.inspector, rma)
    assert again.ok and again.next_step == "inspect"


def test_receiving_twice_names_the_state_and_who_received_it(ctx):
    w = build_world(ctx)
    rma = authorized_return(w, [("HM-4001", 1, "changed_mind")])
    receiving.receive_return(ctx, w.inspector, rma)
    with pytest.raises(IllegalTransition, match=r"cannot receive: it is received \(set by Inspector"):
        receiving.receive_return(ctx, w.clerk, rma)
    assert on_hand(w, "HM-4001", Location.INSPECTION) == 1


def test_a_stale_version_is_refused_and_nothing_moves(ctx):
    w = build_world(ctx)
    rma = authorized_return(w, [("HM-4001", 1, "changed_mind")])
    seen = receiving.find_return_by_scan(ctx, w.inspector, rma).detail
    # Another station changes the return (a note) after this one looked at it.
    with ctx.db.write() as s:
        from returndesk.store.schema import Return

        s.execute(select(Return).where(Return.rma_no == rma)).scalar_one().notes = "call first"
    with pytest.raises(ConcurrentChange, match=f"Return {rma} was changed"):
        receiving.receive_return(ctx, w.inspector, rma, expected_version=seen.version)
    assert return_row(w, rma).status == "authorized"
    assert on_hand(w, "HM-4001", Location.INSPECTION) == 0


def test_a_cancelled_rma_says_do_not_accept_the_parcel(ctx, clock):
    w = build_world(ctx)
    rma = authorized_return(w, [("HM-4001", 1, "changed_mind")])
    clock.advance(hours=2)
    intake.cancel_return(ctx, w.clerk, rma, "Customer kept the mug")
    look = receiving.find_return_by_scan(ctx, w.inspector, rma)
    assert not look.ok and look.next_step is None
    assert look.verdict == f"{rma} is cancelled (by Clerk on 2026-11-27 11:00); do not accept the parcel."
    assert look.detail is not None and look.detail.status == "cancelled"
    with pytest.raises(IllegalTransition, match="cannot receive: it is cancelled"):
        receiving.receive_return(ctx, w.inspector, rma)


def test_unknown_misread_and_non_label_scans_get_a_verdict_in_words(ctx):
    w = build_world(ctx)
    order_rma = authorized_return(w, [("HM-4001", 1, "changed_mind")])
    unknown = format_rma(424242)
    look = receiving.find_return_by_scan(ctx, w.inspector, unknown)
    assert look.detail is None and look.rma_no == unknown
    assert look.verdict.startswith(f"{unknown} is not a known RMA; do not accept the parcel")

    misread = unknown[:-1] + str((int(unknown[-1]) + 1) % 10)
    assert "check digit does not match" in receiving.find_return_by_scan(ctx, w.inspector, misread).verdict
    product = receiving.find_return_by_scan(ctx, w.inspector, barcode("HM-4001"))
    assert "is a product barcode, not an RMA label" in product.verdict
    order = receiving.find_return_by_scan(ctx, w.inspector, "so-100001")
    assert "SO-100001 is an order number" in order.verdict and order_rma in order.verdict


def test_expired_and_already_inspected_returns_are_refused_at_the_dock(ctx, clock):
    w = build_world(ctx)
    late = authorized_return(w, [("HM-4001", 1, "changed_mind")])
    done = authorized_return(w, [("AP-2001", 1, "changed_mind")])
    receiving.receive_return(ctx, w.inspector, done)
    inspection.record_unit(ctx, w.inspector, done, scanned_code=barcode("AP-2001"))
    inspection.complete_inspection(ctx, w.inspector, done)
    clock.advance(days=31)
    assert intake.expire_overdue(ctx, w.supervisor) == 1

    expired = receiving.find_return_by_scan(ctx, w.inspector, late).verdict
    assert expired.startswith(f"{late} expired on 2026-12-28 09:00 (it had to arrive by 2026-12-27)")
    assert "do not accept the parcel" in expired
    inspected = receiving.find_return_by_scan(ctx, w.inspector, done).verdict
    assert inspected.startswith(f"{done} was already inspected (by Inspector on 2026-11-27 09:00);"
                                " it is now approved.")


def test_finance_cannot_receive(ctx):
    w = build_world(ctx)
    rma = authorized_return(w, [("HM-4001", 1, "changed_mind")])
    with pytest.raises(PermissionDenied):
        receiving.receive_return(ctx, w.finance, rma)
    with pytest.raises(PermissionDenied):
        receiving.find_return_by_scan(ctx, w.finance, rma)


@pytest.mark.both_databases("a race: row locks differ")
def test_two_stations_receiving_the_same_parcel_receive_it_once(ctx, clock):
    w = build_world(ctx)
    rma = authorized_return(w, [("EL-1002", 2, "changed_mind")])
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def station(actor) -> None:
        db = Database.open(ctx.db.url)
        try:
            other = ServiceContext(db=db, clock=clock, station=actor.station)
            barrier.wait()
            try:
                outcomes.append(receiving.receive_return(other, actor, rma).status)
            except (IllegalTransition, ConcurrentChange) as exc:
                outcomes.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=station, args=(a,)) for a in (w.inspector, w.clerk)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("received") == 1
    (refused,) = [o for o in outcomes if o != "received"]
    assert isinstance(refused, IllegalTransition | ConcurrentChange)
    assert on_hand(w, "EL-1002", Location.INSPECTION) == 2


# --------------------------------------------------------------------------- parcels without RMA


def test_a_parcel_without_rma_is_recorded_listed_and_matched_which_receives_the_return(ctx, clock):
    w = build_world(ctx)
    rma = authorized_return(w, [("AP-2001", 1, "wrong_size")])
    parcel = receiving.record_unexpected_parcel(
        ctx, w.inspector, tracking_no=" SF1234567890 ", sender="Li Wei", order_hint="SO-100001",
        contents="one T-shirt, label torn off",
    )
    assert parcel.status == "open" and parcel.tracking_no == "SF1234567890"
    assert parcel.received_by == "Inspector" and parcel.matched_rma is None
    assert [p.id for p in receiving.list_unexpected_parcels(ctx, w.inspector).items] == [parcel.id]

    clock.advance(minutes=5)
    matched = receiving.match_parcel(ctx, w.inspector, parcel.id, rma)
    assert matched.status == "matched" and matched.matched_rma == rma
    assert return_row(w, rma).status == "received"
    assert on_hand(w, "AP-2001", Location.INSPECTION) == 1
    assert receiving.list_unexpected_parcels(ctx, w.inspector).items == ()
    assert [p.id for p in receiving.list_unexpected_parcels(ctx, w.inspector, "matched").items] == [parcel.id]
    with pytest.raises(AlreadyDone, match=f"already matched to {rma}"):
        receiving.match_parcel(ctx, w.inspector, parcel.id, rma)
    with ctx.db.read() as s:
        actions = list(s.execute(
            select(AuditEvent.action).where(AuditEvent.entity == "parcel").order_by(AuditEvent.seq)
        ).scalars())
    assert actions == ["parcel_recorded", "parcel_matched"]


def test_a_parcel_cannot_be_matched_to_a_cancelled_return_and_can_be_sent_back(ctx):
    w = build_world(ctx)
    rma = authorized_return(w, [("AP-2001", 1, "wrong_size")])
    intake.cancel_return(ctx, w.clerk, rma, "Customer changed plans")
    parcel = receiving.record_unexpected_parcel(ctx, w.inspector, sender="Anna Smith")
    with pytest.raises(IllegalTransition, match=f"cannot be matched: {rma} is cancelled"):
        receiving.match_parcel(ctx, w.inspector, parcel.id, rma)
    with pytest.raises(ValidationFailed, match="Write why the parcel goes back"):
        receiving.return_parcel(ctx, w.inspector, parcel.id, note="no")
    back = receiving.return_parcel(ctx, w.inspector, parcel.id, note="Refused, returned by courier")
    assert back.status == "returned"
    with ctx.db.read() as s:
        assert s.get(UnexpectedParcel, parcel.id).status == "returned"


def test_a_parcel_needs_something_that_identifies_it(ctx):
    w = build_world(ctx)
    with pytest.raises(ValidationFailed, match="at least one thing that identifies the parcel"):
        receiving.record_unexpected_parcel(ctx, w.inspector, tracking_no="  ", sender=None)
    with pytest.raises(ValidationFailed, match="tracking number is 81 characters"):
        receiving.record_unexpected_parcel(ctx, w.inspector, tracking_no="X" * 81)
    with ctx.db.read() as s:
        assert s.execute(select(func.count()).select_from(UnexpectedParcel)).scalar_one() == 0


def test_open_parcels_page_oldest_first_without_repeats(ctx, clock):
    w = build_world(ctx)
    ids = []
    for i in range(5):
        ids.append(receiving.record_unexpected_parcel(ctx, w.inspector, tracking_no=f"T{i}").id)
        if i != 2:  # two parcels at the same moment: the id breaks the tie
            clock.advance(minutes=1)
    seen, after = [], None
    while True:
        page = receiving.list_unexpected_parcels(ctx, w.inspector, after=after, limit=2)
        seen += [p.id for p in page.items]
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert seen == ids
    with pytest.raises(ValidationFailed, match="not a parcel status"):
        receiving.list_unexpected_parcels(ctx, w.inspector, "lost")
