"""The shop's own time zone: sites, return windows in local days, import times, audit hashes.

Each test runs on SQLite and PostgreSQL and checks what the database holds or what the use case
decided from it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select, update

from returndesk.domain.errors import PermissionDenied, ValidationFailed
from returndesk.domain.localtime import local_to_utc
from returndesk.domain.policy import PolicyRules
from returndesk.domain.types import Channel, PolicyStatus, RefundMethod
from returndesk.services.tx import audit
from returndesk.services.usecases import documents, importing, intake, policy_admin, sales, sites
from returndesk.services.tx.context import ServiceContext
from returndesk.store.engine import Database
from returndesk.store.schema import AuditEvent, Return, ReturnPolicy, SalesOrder, Site, Station

from .factories import build_world, make_order
from .test_import import write_csv

pytestmark = pytest.mark.both_databases(
    "local days cut from timestamps stored per dialect (aware on PostgreSQL, naive on SQLite)"
)

NEW_YORK = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")
MET = frozenset({"original_packaging", "accessories_complete"})


def _sale_at(world, *, site, zone, day, at, channel="store", delivered=True) -> str:
    """A sale of one charger made at a site at the given wall-clock time there."""
    order_no = make_order(world, [("EL-1002", 1)], channel=channel)
    sold = local_to_utc(datetime.combine(day, at), zone)
    with world.ctx.db.write() as s:
        s.execute(update(SalesOrder).where(SalesOrder.order_no == order_no).values(
            site=site, sold_at=sold, delivered_at=sold if delivered else None))
    return order_no


def _verdict(ctx, world, order_no, channel=Channel.COUNTER):
    sale = sales.get_sale(ctx, world.clerk, order_no, channel=channel)
    return sale, sale.lines[0].verdict_customer_fault


def _preview(ctx, world, order_no, channel=Channel.COUNTER):
    sale = sales.get_sale(ctx, world.clerk, order_no, channel=channel)
    draft = intake.ReturnDraft(order_no=order_no, channel=channel, refund_method=RefundMethod.STORE_CREDIT,
                               lines=(intake.DraftLine(sale.lines[0].order_line_id, 1, "changed_mind",
                                                       conditions_met=MET),))
    return intake.preview_return(ctx, world.clerk, draft).lines[0]


def test_a_shop_sale_at_23_30_local_counts_that_local_day(ctx, clock):
    """New York: 23:30 on 27 October is 28 October in UTC. On 27 November at 10:00 the sale is
    31 local days old, outside a 30-day window (UTC days would say 30, within)."""
    world = build_world(ctx)
    sites.save_site(ctx, world.admin, "NY1", name="Fifth Avenue", time_zone="America/New_York")
    order_no = _sale_at(world, site="NY1", zone=NEW_YORK, day=date(2026, 10, 27), at=time(23, 30))
    clock.current = local_to_utc(datetime(2026, 11, 27, 10, 0), NEW_YORK)
    sale, verdict = _verdict(ctx, world, order_no)
    assert sale.reference_date == date(2026, 10, 27) and sale.today == date(2026, 11, 27)
    assert sale.time_zone == "America/New_York"
    assert verdict.days_elapsed == 31 and verdict.status is PolicyStatus.OVERRIDE_NEEDED
    preview = _preview(ctx, world, order_no)
    assert preview.days_elapsed == 31 and preview.policy_status is PolicyStatus.OVERRIDE_NEEDED


def test_a_shanghai_sale_just_after_midnight_is_within_on_its_thirtieth_day(ctx, clock):
    """00:30 on 28 October in Shanghai is 27 October in UTC: on 27 November it is 30 local days
    old, within the window (UTC days would say 31 and ask for an override)."""
    world = build_world(ctx)
    sites.save_site(ctx, world.admin, "SH01", name="Nanjing Rd.", time_zone="Asia/Shanghai")
    order_no = _sale_at(world, site="SH01", zone=SHANGHAI, day=date(2026, 10, 28), at=time(0, 30))
    clock.current = local_to_utc(datetime(2026, 11, 27, 17, 0), SHANGHAI)
    _sale, verdict = _verdict(ctx, world, order_no)
    assert verdict.days_elapsed == 30 and verdict.status is PolicyStatus.WITHIN
    preview = _preview(ctx, world, order_no)
    assert preview.policy_status is PolicyStatus.WITHIN and not preview.problems
    detail = intake.counter_intake(ctx, world.clerk, intake.ReturnDraft(
        order_no=order_no, channel=Channel.COUNTER, refund_method=RefundMethod.STORE_CREDIT,
        lines=(intake.DraftLine(_sale.lines[0].order_line_id, 1, "changed_mind", conditions_met=MET),)))
    assert detail.rma_no


def test_a_sale_without_a_site_uses_the_installation_zone(ctx, clock):
    world = build_world(ctx)
    assert sites.ensure_installation_zone(ctx, "America/New_York") == "America/New_York"
    # A second first start (another station joining) keeps the zone the database has.
    assert sites.ensure_installation_zone(ctx, "Asia/Shanghai") == "America/New_York"
    order_no = _sale_at(world, site=None, zone=NEW_YORK, day=date(2026, 10, 27), at=time(23, 30))
    clock.current = local_to_utc(datetime(2026, 11, 27, 10, 0), NEW_YORK)
    assert _verdict(ctx, world, order_no)[1].days_elapsed == 31
    # An unknown site code falls back to it as well.
    with ctx.db.write() as s:
        s.execute(update(SalesOrder).where(SalesOrder.order_no == order_no).values(site="NOWHERE"))
    assert _verdict(ctx, world, order_no)[1].days_elapsed == 31


def test_an_online_sale_without_delivery_runs_from_sale_plus_transit(ctx, clock):
    world = build_world(ctx)
    sites.save_site(ctx, world.admin, "WEB", time_zone="Asia/Shanghai")
    order_no = _sale_at(world, site="WEB", zone=SHANGHAI, day=date(2026, 6, 1), at=time(12, 0),
                        channel="online", delivered=False)
    sale, verdict = _verdict(ctx, world, order_no, channel=Channel.REMOTE)
    assert sale.reference_date is None and sale.transit_days == 7 and sale.sold_on == date(2026, 6, 1)
    assert verdict.status is PolicyStatus.OVERRIDE_NEEDED and verdict.transit_days == 7
    assert "No delivery date on record" in verdict.summary and "7 days in transit" in verdict.summary
    preview = _preview(ctx, world, order_no, channel=Channel.REMOTE)
    assert preview.policy_status is PolicyStatus.OVERRIDE_NEEDED and "in transit" in preview.policy_summary
    # A recent undelivered sale is still within, counted the same way.
    recent = _sale_at(world, site="WEB", zone=SHANGHAI, day=date(2026, 11, 20), at=time(12, 0),
                      channel="online", delivered=False)
    _sale, verdict = _verdict(ctx, world, recent, channel=Channel.REMOTE)
    assert verdict.status is PolicyStatus.WITHIN and verdict.days_elapsed == 0


NEAR_MIDNIGHT = st.one_of(st.times(min_value=time(23, 0)), st.times(max_value=time(0, 59)))


@pytest.fixture
def midnight_world(ctx):
    """One shop sale that the examples move around the clock (built once for all of them)."""
    world = build_world(ctx)
    make_order(world, [("EL-1002", 1)], order_no="SO-900001", channel="store")
    return world


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(zone_name=st.sampled_from(["Asia/Shanghai", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago",
                                  "Europe/Berlin", "Australia/Sydney"]),
       sold_day=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
       sold_time=NEAR_MIDNIGHT, now_time=NEAR_MIDNIGHT, gap=st.integers(0, 45))
def test_the_counter_counts_the_selling_sites_days_around_midnight(ctx, clock, midnight_world, zone_name, sold_day,
                                                                   sold_time, now_time, gap):
    """Whatever the zone and however close to midnight the sale and the return, the days the
    counter counts are the selling site's calendar days (a shop sale: from the sale day)."""
    zone = ZoneInfo(zone_name)
    world = midnight_world
    sites.save_site(ctx, None, "ZZ1", time_zone=zone_name)
    sold = local_to_utc(datetime.combine(sold_day, sold_time), zone)
    with ctx.db.write() as s:
        s.execute(update(SalesOrder).where(SalesOrder.order_no == "SO-900001").values(
            site="ZZ1", sold_at=sold, delivered_at=sold))
    clock.current = local_to_utc(datetime.combine(sold_day + timedelta(days=gap), now_time), zone)
    sale = sales.get_sale(ctx, world.clerk, "SO-900001")
    assert sale.reference_date == sold_day
    assert sale.lines[0].verdict_customer_fault.days_elapsed == gap


# --------------------------------------------------------------------------- sites and stations


def test_station_time_zone_is_kept_per_site_with_an_audit_event(ctx):
    world = build_world(ctx)
    result = sites.set_station_time_zone(ctx, world.admin, "COUNTER-9", "Europe/Berlin", site="BER1")
    assert (result.site_code, result.time_zone) == ("BER1", "Europe/Berlin")
    assert sites.station_time(ctx, "COUNTER-9").time_zone == "Europe/Berlin"
    with ctx.db.read() as s:
        assert s.execute(select(Station.site).where(Station.code == "COUNTER-9")).scalar_one() == "BER1"
        assert s.get(Site, "BER1").time_zone == "Europe/Berlin"
        actions = set(s.execute(select(AuditEvent.action).where(AuditEvent.entity.in_(("site", "station"))))
                      .scalars())
    assert {"site_saved", "site_changed"} <= actions
    # A station without a site sets the installation's zone.
    sites.set_station_time_zone(ctx, world.admin, "COUNTER-8", "Asia/Shanghai")
    assert sites.station_time(ctx, "COUNTER-8") == sites.StationTime("COUNTER-8", None, "Asia/Shanghai")
    assert audit.verify_chain(ctx).ok


def test_station_time_zone_refuses_bad_zones_and_other_stations(ctx):
    world = build_world(ctx)
    with pytest.raises(ValidationFailed, match="not a time zone"):
        sites.set_station_time_zone(ctx, world.admin, "COUNTER-9", "Mars/Olympus")
    with pytest.raises(PermissionDenied):
        sites.set_station_time_zone(ctx, world.clerk, "ELSEWHERE", "Asia/Shanghai")
    # Not even at the clerk's own station: the zone decides the return windows of the whole site.
    with pytest.raises(PermissionDenied):
        sites.set_station_time_zone(ctx, world.clerk, world.clerk.station, "Asia/Shanghai")
    with pytest.raises(PermissionDenied):
        sites.save_site(ctx, world.clerk, "X1", time_zone="Asia/Shanghai")
    with ctx.db.read() as s:
        assert s.execute(select(Site)).first() is None


# --------------------------------------------------------------------------- import


def _import_row(order_no, sold_at, site):
    return dict(order_no=order_no, channel="store", customer_code="", customer_name="", customer_phone="",
                customer_email="", customer_address="", sold_at=sold_at, delivered_at="", payment_method="cash",
                currency="CNY", shipping="", site=site, line_no="1", sku="EL-1002", quantity="1",
                unit_price="149.00", discount="", tax="17.14", paid="149.00", serials="")


def test_import_times_without_offset_are_the_sites_local_time(ctx, tmp_path):
    world = build_world(ctx)
    sites.save_site(ctx, world.admin, "SH01", time_zone="Asia/Shanghai")
    sites.save_site(ctx, world.admin, "NY1", time_zone="America/New_York")
    path = write_csv(tmp_path / "sales.csv", [
        _import_row("SO-6001", "2026-11-20 09:15", "SH01"),
        _import_row("SO-6002", "2026-11-20 09:15", "NY1"),
        _import_row("SO-6003", "2026-11-20T09:15:00+00:00", "SH01"),  # an offset is kept
    ])
    importing.import_orders(ctx, world.admin, path)
    with ctx.db.read() as s:
        got = {o.order_no: o.sold_at.replace(tzinfo=None) if o.sold_at.tzinfo is None
               else o.sold_at.astimezone(UTC).replace(tzinfo=None)
               for o in s.execute(select(SalesOrder).where(SalesOrder.order_no.like("SO-600%"))).scalars()}
    assert got == {"SO-6001": datetime(2026, 11, 20, 1, 15), "SO-6002": datetime(2026, 11, 20, 14, 15),
                   "SO-6003": datetime(2026, 11, 20, 9, 15)}


def test_import_refuses_a_local_time_in_the_sites_future(ctx, clock, tmp_path):
    world = build_world(ctx)
    sites.save_site(ctx, world.admin, "NY1", time_zone="America/New_York")
    # 09:00 UTC is 04:00 in New York: 08:00 there is still to come.
    path = write_csv(tmp_path / "sales.csv", [_import_row("SO-6101", "2026-11-27 08:00", "NY1")])
    with pytest.raises(importing.ImportRefused) as caught:
        importing.import_orders(ctx, world.admin, path)
    assert any(p.startswith("row 2:") and "in the future" in p for p in caught.value.problems)
    with ctx.db.read() as s:
        assert s.execute(select(SalesOrder).where(SalesOrder.order_no == "SO-6101")).first() is None


# --------------------------------------------------------------------------- audit


def test_audit_times_are_stored_in_utc_whatever_the_clock_zone(ctx, clock):
    clock.current = datetime(2026, 11, 27, 23, 30, tzinfo=SHANGHAI)
    with ctx.db.write() as s:
        audit.record(s, ctx, None, "test", 1, "did", None, {"n": 1})
    with ctx.db.read() as s:
        stored = s.execute(select(AuditEvent.occurred_at)).scalar_one()
    instant = stored if stored.tzinfo else stored.replace(tzinfo=UTC)
    assert instant == datetime(2026, 11, 27, 15, 30, tzinfo=UTC)
    assert audit.verify_chain(ctx).ok


@pytest.mark.pg
def test_audit_verify_passes_in_a_shanghai_database_session(ctx, db_url):
    if db_url.startswith("sqlite"):
        pytest.skip("the session time zone is PostgreSQL's")
    world = build_world(ctx)
    make_order(world, [("EL-1002", 1)])
    with ctx.db.write() as s:
        audit.record(s, ctx, world.admin, "test", 1, "did", None, {"n": 1})
    shanghai_db = Database.open(db_url)

    @event.listens_for(shanghai_db.engine, "connect")
    def _shanghai(dbapi_conn, _record):
        # As a server whose timezone setting is Asia/Shanghai: for the whole session, committed
        # so that the pool's rollback on return does not undo it.
        with dbapi_conn.cursor() as cur:
            cur.execute("SET TIME ZONE 'Asia/Shanghai'")
        dbapi_conn.commit()

    try:
        other = ServiceContext(db=shanghai_db, clock=ctx.clock)
        result = audit.verify_chain(other)
        with shanghai_db.read() as s:
            first = s.execute(select(AuditEvent.occurred_at).order_by(AuditEvent.seq).limit(1)).scalar_one()
        assert first.utcoffset() == timedelta(hours=8), "the session hands times back in Shanghai time"
        assert result.ok, result.message
        # Events appended through the Shanghai session verify from a UTC session as well.
        with shanghai_db.write() as s:
            audit.record(s, other, None, "test", 2, "did", None, {"n": 2})
        assert audit.verify_chain(ctx).ok and audit.verify_chain(other).ok
    finally:
        shanghai_db.dispose()


# --------------------------------------------------------------------------- documents


def test_documents_print_the_sites_local_day(ctx, clock):
    """A return made at 23:30 in New York (already the next day in UTC) prints that local day."""
    world = build_world(ctx)
    sites.set_station_time_zone(ctx, world.admin, ctx.station, "America/New_York", site="NY1")
    order_no = _sale_at(world, site="NY1", zone=NEW_YORK, day=date(2026, 11, 20), at=time(12, 0))
    clock.current = local_to_utc(datetime(2026, 11, 26, 23, 30), NEW_YORK)
    sale = sales.get_sale(ctx, world.clerk, order_no)
    detail = intake.counter_intake(ctx, world.clerk, intake.ReturnDraft(
        order_no=order_no, channel=Channel.COUNTER, refund_method=RefundMethod.STORE_CREDIT,
        lines=(intake.DraftLine(sale.lines[0].order_line_id, 1, "changed_mind", conditions_met=MET),)))
    label = documents.return_label_data(ctx, world.clerk, detail.rma_no)
    assert label.created_on == date(2026, 11, 26)


# --------------------------------------------------------------------------- command line


def test_site_commands(ctx, capsys):
    from returndesk import cli

    url = ctx.db.url
    assert cli.main(["site", "set", "SH01", "--time-zone", "Asia/Shanghai", "--name", "上海南京路店",
                     "--url", url]) == 0
    assert cli.main(["site", "set", "X1", "--time-zone", "Mars/Olympus", "--url", url]) == 1
    capsys.readouterr()
    assert cli.main(["site", "list", "--url", url]) == 0
    out = capsys.readouterr().out
    assert "SH01" in out and "Asia/Shanghai" in out and "X1" not in out


@pytest.mark.pg
def test_audit_verify_command_in_a_shanghai_session(ctx, db_url, capsys):
    """The command line on a connection whose time zone is Asia/Shanghai (the connection option a
    server configured so gives every session)."""
    from returndesk import cli

    if db_url.startswith("sqlite"):
        pytest.skip("the session time zone is PostgreSQL's")
    world = build_world(ctx)
    sites.save_site(ctx, world.admin, "SH01", time_zone="Asia/Shanghai")
    capsys.readouterr()
    shanghai_url = ctx.db.url + "?options=-c%20TimeZone%3DAsia%2FShanghai"
    assert cli.main(["audit", "verify", "--url", shanghai_url]) == 0, capsys.readouterr().err
    assert "is intact" in capsys.readouterr().out


def test_a_policy_published_or_a_zone_changed_by_another_station_counts_at_its_next_return(ctx, clock):
    """Intake reads the policy in force and the sale's site zone with the order, and authorization
    reads the zone with the return's lines: what an administrator changed from another process
    counts at once, though this process has taken returns already (its per-process caches warm)."""
    world = build_world(ctx)
    sites.save_site(ctx, world.admin, "SH01", name="Nanjing Rd.", time_zone="Asia/Shanghai")
    # 20:00 UTC on 27 November is already 28 November in Shanghai, still 27 November in New York.
    clock.current = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)

    def remote_return():
        order_no = _sale_at(world, site="SH01", zone=SHANGHAI, day=date(2026, 11, 20), at=time(12, 0))
        sale = sales.get_sale(ctx, world.clerk, order_no)
        detail = intake.create_return(ctx, world.clerk, intake.ReturnDraft(
            order_no=order_no, channel=Channel.REMOTE, refund_method=RefundMethod.STORE_CREDIT,
            lines=(intake.DraftLine(sale.lines[0].order_line_id, 1, "changed_mind", conditions_met=MET),)))
        with ctx.db.read() as s:
            version = s.execute(select(ReturnPolicy.version).join(Return, Return.policy_id == ReturnPolicy.id)
                                .where(Return.rma_no == detail.rma_no)).scalar_one()
        return version, intake.authorize_return(ctx, world.clerk, detail.rma_no).receive_by

    assert remote_return() == (1, date(2026, 11, 28) + timedelta(days=30))

    other = ServiceContext(db=Database.open(ctx.db.url), clock=clock, station="ADMIN-2")
    try:
        policy_admin.publish_policy(other, world.admin, replace(PolicyRules.default(), receive_deadline_days=10),
                                    "Short deadline")
        sites.save_site(other, world.admin, "SH01", name="Nanjing Rd.", time_zone="America/New_York")
    finally:
        other.db.dispose()

    assert remote_return() == (2, date(2026, 11, 27) + timedelta(days=10))
