"""What the database remembers per station: ``stations.settings_json``, one JSON object per station.

Sections of the object belong to their modules (``"printing"`` to :mod:`.printer_routing`,
``"company"`` to :mod:`.company_profile`). The station row named :data:`ALL_STATIONS` (``"*"``) holds
what applies to every station unless a station sets its own value; a station row is created the
first time something is stored for it, so a new station needs no set-up before it can be
configured.

Kept in the database rather than in the station's own settings file because the administrator
configures stations from anywhere (a replaced PC keeps its printers), and because the same
station code is used by the audit trail and the print log.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from returndesk.domain.errors import PermissionDenied, ValidationFailed
from returndesk.domain.permissions import Permission, can
from returndesk.domain.messages import msg

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from returndesk.services.tx.context import Actor, ServiceContext
    from returndesk.store.schema import Station

# What the stored settings mean (parsing, the layers of sections) needs no database library:
# ``returndesk print label`` reads them without SQLAlchemy (:mod:`.label_file`). The functions that
# read or write the table import it when called.

#: The station code whose settings apply to every station (unless a station overrides them).
ALL_STATIONS = "*"
#: Longest station code (the column width of ``stations.code`` and ``print_log.station``).
MAX_STATION_CODE = 40

#: ``stations.kind`` of a row created by a settings change when the caller does not say.
GENERIC_KIND = "station"
_ALL_STATIONS_KIND = "defaults"


def check_station_code(code: str | None) -> str:
    """The station code, trimmed; ``ValidationFailed`` when it cannot name a station."""
    text = (code or "").strip()
    if not text:
        raise ValidationFailed(
            msg(
                "No station is named. Give the station's name (as shown in the status bar) or '*' for all stations.")
        )
    if len(text) > MAX_STATION_CODE or not text.isprintable():
        raise ValidationFailed(
            msg(
                "'{text}' cannot name a station: use at most {max_station_code} printable characters.",
                text=text, max_station_code=MAX_STATION_CODE)
        )
    return text


def command_line_station() -> str:
    """The station name recorded in audit events written from the command line."""
    host = socket.gethostname().split(".")[0] or "localhost"
    return f"cli-{host}"[:40]


def describe_station(code: str) -> str:
    """``station COUNTER-1`` or ``all stations``, for messages."""
    return "all stations" if code == ALL_STATIONS else f"station {code}"


def require_configure(actor: Actor | None, station_code: str, what: str) -> None:
    """An administrator may configure any station; anyone who may print may configure the
    station they are signed in at. ``actor`` None is the command line (the machine's
    administrator)."""
    if actor is None or can(actor.role, Permission.ADMIN_USERS):
        return
    actor.require(Permission.PRINT)
    if station_code == ALL_STATIONS or actor.station != station_code:
        own = f" ({actor.station})" if actor.station else ""
        raise PermissionDenied(
            msg(
                "{value} may set the {what} of the station they are signed in at{own} only, not of {station_code}. "
                "Ask an administrator.",
                value=actor.display_name or actor.username, what=what, own=own,
                station_code=describe_station(station_code))
        )


def parse_settings(code: str, text: str | None) -> dict[str, Any]:
    """The settings object of a station from its stored text (``{}`` for none)."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise ValidationFailed(
            msg(
                "The stored settings of {code} are damaged (not a JSON object). An administrator can reset them by "
                "saving the station's settings again.",
                code=describe_station(code))
        )
    return value


_parse = parse_settings


def sections_of(code: str, settings: dict[str, dict[str, Any]], section: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(all stations' section, the station's own section)`` from the settings objects by station
    code (a station without a row is missing)."""
    common = settings.get(ALL_STATIONS, {}).get(section) or {}
    own = settings.get(code, {}).get(section) or {} if code != ALL_STATIONS else {}
    return dict(common), dict(own)


def read_settings(session: Session, code: str) -> dict[str, Any]:
    """The settings object of one station (``{}`` when the station has no row yet)."""
    from sqlalchemy import select

    from returndesk.store.schema import Station

    text = session.execute(select(Station.settings_json).where(Station.code == code)).scalar_one_or_none()
    return _parse(code, text)


def read_section(session: Session, code: str, section: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(all stations' section, the station's own section)`` of the settings."""
    settings = {ALL_STATIONS: read_settings(session, ALL_STATIONS)}
    if code != ALL_STATIONS:
        settings[code] = read_settings(session, code)
    return sections_of(code, settings, section)


def _lock_station(session: Session, code: str, kind: str | None) -> Station:
    """The station row, locked; created on first use (another station creating it at the same
    moment is caught by the unique code and the row is read again)."""
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    from returndesk.store.schema import Station

    stmt = select(Station).where(Station.code == code).with_for_update()
    row = session.execute(stmt).scalar_one_or_none()
    if row is not None:
        return row
    if code == ALL_STATIONS:
        row = Station(code=code, name="All stations", kind=_ALL_STATIONS_KIND, site=None, settings_json="{}")
    else:
        row = Station(code=code, name=code, kind=(kind or GENERIC_KIND)[:16], site=None, settings_json="{}")
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        row = session.execute(stmt).scalar_one()
    return row


def update_section(
    ctx: ServiceContext,
    actor: Actor | None,
    code: str,
    section: str,
    change: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    kind: str | None = None,
) -> dict[str, Any]:
    """Replace one section of a station's settings by ``change(old section)`` in one transaction,
    with an audit event holding the section before and after; returns the new section.

    ``change`` validates and raises ``ValidationFailed``; then nothing is written.
    """
    from returndesk.services.tx import audit
    from returndesk.services.tx.guarded import guarded_write

    code = check_station_code(code)
    with guarded_write(ctx, msg("the settings of {station}", station=describe_station(code)), actor) as s:
        row = _lock_station(s, code, kind)
        settings = _parse(code, row.settings_json)
        before = dict(settings.get(section) or {})
        after = change(dict(before))
        if after:
            settings[section] = after
        else:
            settings.pop(section, None)
        if after != before:
            row.settings_json = json.dumps(settings, ensure_ascii=False, sort_keys=True)
            audit.record(s, ctx, actor, "station", code, f"{section}_settings", before, after)
        station_id = row.id
    ctx.changed("station", station_id)
    return after
