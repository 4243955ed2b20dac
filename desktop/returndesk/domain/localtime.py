"""Local time of a site: calendar days, wall-clock times and the UTC the database keeps.

Every stored time is UTC. People think in the calendar of the site they stand in: a sale at 23:30
in the shop is that day's sale, whatever day it already is in Greenwich. These pure functions turn
one into the other with the IANA time zone database (:mod:`zoneinfo`), daylight saving included.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .errors import ValidationFailed
from returndesk.domain.messages import msg

#: The zone of a new installation whose language is Chinese.
CHINA_ZONE = "Asia/Shanghai"
#: Longest zone name a site stores (IANA names are at most 32 characters; room to spare).
MAX_ZONE_NAME = 64


def check_zone_name(name: object) -> str:
    """The IANA zone name, trimmed; ``ValidationFailed`` when it names no zone."""
    text = str(name or "").strip()
    if not text:
        raise ValidationFailed(msg("No time zone is given; choose one such as Asia/Shanghai."))
    if len(text) > MAX_ZONE_NAME or not text.isprintable():
        raise ValidationFailed(msg("'{text}' is not a time zone; choose one such as Asia/Shanghai.", text=text[:40]))
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed(
            msg("'{text}' is not a time zone; choose one such as Asia/Shanghai or Europe/Berlin.", text=text[:40])
        ) from None
    return text


def zone(name: str | None) -> tzinfo:
    """The zone of an IANA name (UTC for None or empty; ``ValidationFailed`` for an unknown one)."""
    if not name:
        return UTC
    return ZoneInfo(check_zone_name(name))


def zone_names() -> list[str]:
    """All IANA zone names, sorted (for a chooser)."""
    return sorted(n for n in available_timezones() if "/" in n or n == "UTC")


def as_utc(instant: datetime) -> datetime:
    """An instant as aware UTC; a naive value is taken as UTC already (SQLite hands them back so)."""
    if instant.tzinfo is None:
        return instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)


def local_datetime(instant: datetime, site_zone: tzinfo) -> datetime:
    """The wall-clock time of ``instant`` at a site (naive stored values are UTC)."""
    return as_utc(instant).astimezone(site_zone)


def local_day(instant: datetime | None, site_zone: tzinfo) -> date | None:
    """The site's calendar day of ``instant`` (None stays None)."""
    if instant is None:
        return None
    return local_datetime(instant, site_zone).date()


def local_to_utc(wall_clock: datetime, site_zone: tzinfo) -> datetime:
    """A naive wall-clock time at a site as aware UTC.

    An aware value keeps its own offset. In the hour that daylight saving skips, the time is read
    with the offset in force before the change (as a clock not yet moved forward shows it); in the
    hour that repeats, the first of the two is meant.
    """
    if wall_clock.tzinfo is not None:
        return wall_clock.astimezone(UTC)
    return wall_clock.replace(tzinfo=site_zone, fold=0).astimezone(UTC)


def days_between(earlier: date, later: date) -> int:
    """Calendar days from ``earlier`` to ``later``; a date in the future counts as today (0)."""
    return max(0, (later - earlier).days)


def local_days_elapsed(since: datetime, now: datetime, site_zone: tzinfo) -> int:
    """Calendar days of the site between two instants: a sale at 23:30 and a return at 00:10 the
    next morning are one day apart, and a day of a daylight-saving change is one day like any other."""
    start = local_day(since, site_zone)
    end = local_day(now, site_zone)
    assert start is not None and end is not None
    return days_between(start, end)


def start_of_local_day(day: date, site_zone: tzinfo) -> datetime:
    """The UTC instant at which ``day`` begins at the site (the first existing minute of it)."""
    return local_to_utc(datetime.combine(day, datetime.min.time()), site_zone)


def utc_text(instant: datetime) -> str:
    """The canonical text of an instant: UTC, microseconds, no offset (what audit hashes cover).

    The same instant gives the same text whatever zone a database session hands it back in.
    """
    return as_utc(instant).replace(tzinfo=None).isoformat(timespec="microseconds")


def transit_reference(sold_on: date, transit_days: int) -> date:
    """The day an undated delivery is assumed to have arrived: the sale day plus the transit allowance."""
    return sold_on + timedelta(days=transit_days)


#: How long the computer's zone is kept once read (a server asks for it at every sale of a site
#: without a zone of its own, and reading it means reading files).
SYSTEM_ZONE_KEPT_S = 60.0
_system_zone: tuple[str | None, float, str] | None = None  # (TZ then, read at, the name)


def system_zone_name() -> str:
    """The IANA name of this computer's zone (``TZ``, ``/etc/timezone``, ``/etc/localtime``), or a
    fixed-offset zone of the same offset when the system names none (Windows), or UTC. Read again
    after :data:`SYSTEM_ZONE_KEPT_S` seconds, and at once when ``TZ`` changed."""
    global _system_zone
    tz, now = os.environ.get("TZ"), time.monotonic()
    kept = _system_zone
    if kept is not None and kept[0] == tz and now - kept[1] < SYSTEM_ZONE_KEPT_S:
        return kept[2]
    name = _read_system_zone_name()
    _system_zone = (tz, now, name)
    return name


def _read_system_zone_name() -> str:
    candidates: list[str] = []
    if os.environ.get("TZ"):
        candidates.append(os.environ["TZ"].lstrip(":"))
    try:
        candidates.append(Path("/etc/timezone").read_text("utf-8").strip())
    except OSError:
        pass
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        try:
            return check_zone_name(name)
        except ValidationFailed:
            continue
    offset = datetime.now().astimezone().utcoffset()
    if offset is not None and offset.total_seconds() % 3600 == 0:
        hours = int(offset.total_seconds() // 3600)
        # POSIX signs are inverted: Etc/GMT-8 is eight hours ahead of UTC.
        return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"
    return "UTC"
