"""Times on screen as the clock of the station's site shows them.

Stored times are UTC (SQLite hands them back without a zone). The frame sets the zone of the
station's site once it knows it (:func:`set_display_zone`); every screen formats through these
helpers, so a shop in Shanghai sees Shanghai time whatever zone the computer itself is set to.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from PySide6.QtCore import QDate, QDateTime, QTime

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.localtime import local_datetime, zone

_display_zone: tzinfo | None = None  # None: the computer's own zone


def set_display_zone(name: str | None) -> None:
    """Show times in the IANA zone ``name`` from now on (None or an unknown name: the computer's)."""
    global _display_zone
    try:
        _display_zone = zone(name) if name else None
    except ValidationFailed:
        _display_zone = None


def display_zone() -> tzinfo:
    """The zone screens show times in (the computer's until the frame sets the site's)."""
    global _display_zone
    if _display_zone is None:
        from returndesk.api.types import system_zone_name

        _display_zone = zone(system_zone_name())
    return _display_zone


def display_zone_name() -> str:
    """The IANA name of the zone screens show times in (for the status bar and settings)."""
    return str(display_zone())


def local_moment(ts: datetime | None) -> QDateTime | None:
    """A stored time as the site's wall clock shows it (None stays None)."""
    if ts is None:
        return None
    wall = local_datetime(ts, display_zone())
    return QDateTime(QDate(wall.year, wall.month, wall.day), QTime(wall.hour, wall.minute, wall.second))


def local_qdate(value: datetime | date | None) -> QDate | None:
    """A stored time's calendar day at the site; a plain date is already a day."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = local_datetime(value, display_zone()).date()
    return QDate(value.year, value.month, value.day)


def local_today() -> QDate:
    """Today at the site."""
    day = datetime.now(display_zone()).date()
    return QDate(day.year, day.month, day.day)
