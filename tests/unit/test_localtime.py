"""Calendar days of a site: midnight, daylight saving, and the UTC the database keeps."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.localtime import (
    check_zone_name,
    local_day,
    local_days_elapsed,
    local_to_utc,
    start_of_local_day,
    utc_text,
)
from returndesk.domain.policy import PolicyRules, evaluate_line
from returndesk.domain.types import PolicyStatus

# Far east and far west of UTC, half-hour and 45-minute offsets, and zones with daylight saving
# on either hemisphere.
ZONES = ["Asia/Shanghai", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata", "Asia/Kathmandu",
         "America/New_York", "Europe/Berlin", "Australia/Sydney", "America/Santiago", "UTC"]
zones = st.sampled_from(ZONES).map(ZoneInfo)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2037, 12, 31))
wall_times = st.times()


def _wall(day: date, t: time, zone: ZoneInfo) -> datetime:
    """An instant that the site's clock shows as ``day t`` (the first one, if the hour repeats)."""
    return local_to_utc(datetime.combine(day, t), zone)


def test_a_shop_sale_at_23_30_is_that_local_day():
    shanghai, new_york = ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York")
    # 23:30 in New York on 27 October is already the 28th in UTC.
    sale = _wall(date(2026, 10, 27), time(23, 30), new_york)
    assert sale.date() == date(2026, 10, 28)
    assert local_day(sale, new_york) == date(2026, 10, 27)
    # 00:30 in Shanghai on 28 October is still the 27th in UTC.
    sale = _wall(date(2026, 10, 28), time(0, 30), shanghai)
    assert sale.date() == date(2026, 10, 27)
    assert local_day(sale, shanghai) == date(2026, 10, 28)


@given(zones, days, wall_times, wall_times, st.integers(min_value=0, max_value=400))
def test_elapsed_days_are_calendar_days_of_the_site(zone, day, sold_time, now_time, gap):
    """Whatever the hour of the sale and of the return, and across any DST change, the days
    elapsed are the difference of the site's calendar days."""
    sold = _wall(day, sold_time, zone)
    now = _wall(day + timedelta(days=gap), now_time, zone)
    assert local_days_elapsed(sold, now, zone) == gap


@given(zones, days, wall_times)
def test_local_day_is_the_day_the_site_clock_shows(zone, day, t):
    instant = _wall(day, t, zone)
    assert instant.tzinfo is UTC
    # A time in a skipped hour moves past it, but never into another day.
    assert local_day(instant, zone) == day
    # SQLite hands back naive UTC: the same instant, the same day.
    assert local_day(instant.replace(tzinfo=None), zone) == day


@given(zones, days)
def test_one_minute_before_and_after_local_midnight(zone, day):
    midnight = start_of_local_day(day, zone)
    assert local_day(midnight, zone) == day
    assert local_day(midnight - timedelta(minutes=1), zone) == day - timedelta(days=1)


@given(zones, st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31), timezones=zones))
def test_utc_text_is_the_same_for_one_instant_in_any_zone(zone, instant):
    other = instant.astimezone(zone)
    assert utc_text(other) == utc_text(instant) == utc_text(instant.astimezone(UTC).replace(tzinfo=None))


def test_daylight_saving_gap_and_repeat():
    new_york = ZoneInfo("America/New_York")
    # 02:30 does not exist on 8 March 2026: read with the offset before the change (EST).
    assert local_to_utc(datetime(2026, 3, 8, 2, 30), new_york) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    # 01:30 happens twice on 1 November 2026: the first (EDT) is meant.
    assert local_to_utc(datetime(2026, 11, 1, 1, 30), new_york) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    # A day with 23 or 25 hours is still one calendar day.
    sale = _wall(date(2026, 3, 7), time(23, 30), new_york)
    assert local_days_elapsed(sale, _wall(date(2026, 3, 8), time(23, 59), new_york), new_york) == 1


def test_zone_names_are_checked():
    assert check_zone_name(" Asia/Shanghai ") == "Asia/Shanghai"
    for bad in ("", "Mars/Olympus", "../etc/passwd", "x" * 200):
        with pytest.raises(ValidationFailed) as caught:
            check_zone_name(bad)
        assert "time zone" in caught.value.message and len(caught.value.message) < 120


# --------------------------------------------------------------------------- transit allowance


def _judge(rules, *, reference, sold, today):
    return evaluate_line(rules, category=None, product_returnable=True, vendor_fault=False,
                         reference_date=reference, today=today, requested_qty=1, returnable_qty=1,
                         sold_date=sold)


def test_an_undelivered_online_sale_does_not_stay_returnable_forever():
    rules = PolicyRules(window_days=30, transit_allowance_days=7)
    verdict = _judge(rules, reference=None, sold=date(2026, 1, 1), today=date(2026, 11, 27))
    assert verdict.status is PolicyStatus.OVERRIDE_NEEDED
    assert verdict.transit_days == 7
    assert "No delivery date on record" in verdict.summary and "2026-01-01" in verdict.summary
    assert "7 days in transit" in verdict.summary
    # Inside sale + transit + window it is within, and says how it was counted.
    verdict = _judge(rules, reference=None, sold=date(2026, 11, 1), today=date(2026, 11, 27))
    assert verdict.status is PolicyStatus.WITHIN and verdict.days_elapsed == 19
    assert "in transit" in verdict.summary


@given(st.integers(0, 60), st.integers(0, 365), st.integers(0, 500))
def test_transit_window_edge(transit, window, age):
    rules = PolicyRules(window_days=window, transit_allowance_days=transit)
    today = date(2026, 11, 27)
    verdict = _judge(rules, reference=None, sold=today - timedelta(days=age), today=today)
    late = age > transit + window
    assert (verdict.status is PolicyStatus.OVERRIDE_NEEDED) == late
    assert verdict.days_elapsed == max(0, age - transit)


def test_a_known_delivery_date_wins_over_the_transit_allowance():
    rules = PolicyRules(window_days=30, transit_allowance_days=7)
    verdict = _judge(rules, reference=date(2026, 11, 20), sold=date(2026, 1, 1), today=date(2026, 11, 27))
    assert verdict.status is PolicyStatus.WITHIN and verdict.transit_days is None
    assert verdict.summary.startswith("Delivered 7 days ago")


def test_transit_allowance_is_validated_and_round_trips():
    rules = PolicyRules(transit_allowance_days=12)
    assert PolicyRules.from_json(rules.to_json()).transit_allowance_days == 12
    with pytest.raises(ValidationFailed, match="transit_allowance_days"):
        PolicyRules(transit_allowance_days=-1)
    # A policy stored before the setting existed loads with the default.
    assert PolicyRules.from_dict({"window_days": 30}).transit_allowance_days == 7


def test_the_computers_zone_is_read_once_a_minute_and_again_at_once_when_tz_changes(monkeypatch):
    from returndesk.domain import localtime

    reads: list[str | None] = []

    def read() -> str:
        reads.append(os.environ.get("TZ"))
        return check_zone_name(os.environ.get("TZ") or "UTC")

    clock = [1000.0]
    monkeypatch.setattr(localtime, "_read_system_zone_name", read)
    monkeypatch.setattr(localtime, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    monkeypatch.setattr(localtime, "_system_zone", None)
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    assert [localtime.system_zone_name() for _ in range(3)] == ["Asia/Shanghai"] * 3
    assert len(reads) == 1
    monkeypatch.setenv("TZ", "Europe/Berlin")  # changed: read at once
    assert localtime.system_zone_name() == "Europe/Berlin" and len(reads) == 2
    clock[0] += localtime.SYSTEM_ZONE_KEPT_S - 1
    assert localtime.system_zone_name() == "Europe/Berlin" and len(reads) == 2
    clock[0] += 2  # a minute on: read again (the computer's zone may have been changed)
    assert localtime.system_zone_name() == "Europe/Berlin" and len(reads) == 3
