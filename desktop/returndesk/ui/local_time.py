"""Times on screen as the clock of the station's site shows them, written one way everywhere.

Stored times are UTC (SQLite hands them back without a zone). The frame sets the zone of the
station's site once it knows it (:func:`set_display_zone`); every screen formats through these
helpers, so a shop in Shanghai sees Shanghai time whatever zone the computer itself is set to.

Every screen, table, document preview and export meant for people writes days and times through
:func:`format_date`, :func:`format_datetime` and :func:`format_time`: ``2026-11-30`` and
``2026-11-30 14:05`` in English and in Chinese alike, never a locale's short form such as
``12/3/26`` or ``2026/12/3`` whose order a reader has to guess. Amounts go through
``returndesk.ui.widgets.money.format_amount`` (``¥1,234.50``).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Final

from PySide6.QtCore import QDate, QDateTime, QTime

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.localtime import local_datetime, zone

_display_zone: tzinfo | None = None  # None: the computer's own zone

#: The written forms (Qt format strings): ISO 8601 day order in every language.
DATE_FORMAT: Final = "yyyy-MM-dd"
TIME_FORMAT: Final = "HH:mm"
DATETIME_FORMAT: Final = f"{DATE_FORMAT} {TIME_FORMAT}"
#: What is shown where there is no time (not yet, never).
NO_TIME: Final = "—"


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


def format_date(value: datetime | date | QDate | None, empty: str = "") -> str:
    """A day as ``2026-11-30``; a stored time gives its calendar day at the site."""
    day = value if isinstance(value, QDate) else local_qdate(value)
    return day.toString(DATE_FORMAT) if day is not None and day.isValid() else empty


def format_datetime(value: datetime | QDateTime | None, empty: str = "") -> str:
    """A stored time as the site's clock shows it: ``2026-11-30 14:05``."""
    moment = value if isinstance(value, QDateTime) else local_moment(value)
    return moment.toString(DATETIME_FORMAT) if moment is not None and moment.isValid() else empty


def format_time(value: datetime | QDateTime | None, empty: str = "") -> str:
    """The time of day of a stored time at the site: ``14:05``."""
    moment = value if isinstance(value, QDateTime) else local_moment(value)
    return moment.toString(TIME_FORMAT) if moment is not None and moment.isValid() else empty


def format_recent(value: datetime | QDateTime | None, empty: str = "") -> str:
    """A stored time in a list: its time alone when it is today at the site, else its day and time."""
    moment = value if isinstance(value, QDateTime) else local_moment(value)
    if moment is None or not moment.isValid():
        return empty
    if moment.date() == local_today():
        return moment.toString(TIME_FORMAT)
    return moment.toString(DATETIME_FORMAT)
