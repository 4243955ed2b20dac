"""The administrator's reads and the stations: the admin log, and each station's name, kind and site.

The admin log is the part of the audit trail (``audit_events``) that records administration:
users, the return policy and its drafts, reasons, sites, stations, API keys and webhooks. It is
read from the chained trail itself, so it cannot differ from what ``returndesk audit verify``
proves. Sign-ins are left out (they are not administration); lockouts stay in.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.permissions import Permission
from returndesk.services.infra.printer_routing import _routing_of
from returndesk.services.infra.station_settings import (
    ALL_STATIONS,
    _lock_station,
    check_station_code,
    read_section,
)
from returndesk.services.tx import audit
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.usecases.sites import check_site_code
from returndesk.store.schema import AuditEvent, Station
from returndesk.domain.messages import msg

#: The audit entities that make up the admin log.
ADMIN_ENTITIES: tuple[str, ...] = (
    "user", "policy", "policy_draft", "reason", "site", "station", "api_key", "webhook",
)
#: Audit actions of those entities that are not administration.
_NOT_ADMINISTRATION = ("signed_in",)
STATION_KINDS = ("counter", "inspection", "supervisor", "station")


@dataclass(frozen=True)
class AdminLogEntry:
    """One administrative change: who, when, where, what, and the values before and after."""

    seq: int
    occurred_at: datetime
    username: str | None
    station: str | None
    entity: str
    entity_id: str
    action: str
    #: ``(field, before, after)`` of each value that changed, as text ("" for none).
    changes: tuple[tuple[str, str, str], ...]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _changes(before_json: str | None, after_json: str | None) -> tuple[tuple[str, str, str], ...]:
    def load(text: str | None) -> dict[str, Any]:
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError:
            return {"value": text}
        return value if isinstance(value, dict) else {"value": value}

    before, after = load(before_json), load(after_json)
    out = []
    for key in list(before) + [k for k in after if k not in before]:
        old, new = before.get(key), after.get(key)
        if old != new or key not in before or key not in after:
            out.append((key, _text(old), _text(new)))
    return tuple(out)


def admin_log(
    ctx: ServiceContext,
    actor: Actor,
    *,
    entity: str | None = None,
    text: str | None = None,
    before_seq: int | None = None,
    limit: int = 100,
) -> list[AdminLogEntry]:
    """Administrative changes, newest first; page on with ``before_seq`` = the last ``seq`` shown.

    ``entity`` keeps one kind ("user", "policy", …); ``text`` keeps the changes of one user name,
    code or version (who made them or what they concern).
    """
    actor.require(Permission.ADMIN_USERS)
    if entity is not None and entity not in ADMIN_ENTITIES:
        raise ValidationFailed(
            msg(
                "'{entity}' is not part of the admin log; choose one of {admin_entities}.",
                entity=entity[:32], admin_entities=', '.join(ADMIN_ENTITIES))
        )
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValidationFailed(msg(
            "The number of log entries to list must be at least 1, not {limit!r}.",
            limit=limit))
    with ctx.read(actor) as s:
        stmt = (
            select(AuditEvent)
            .where(AuditEvent.entity.in_([entity] if entity else ADMIN_ENTITIES))
            .where(AuditEvent.action.not_in(_NOT_ADMINISTRATION))
            .order_by(AuditEvent.seq.desc())
            .limit(min(limit, 500))
        )
        if before_seq is not None:
            stmt = stmt.where(AuditEvent.seq < before_seq)
        needle = (text or "").strip()
        if needle:
            stmt = stmt.where(or_(AuditEvent.entity_id == needle, AuditEvent.username == needle))
        return [
            AdminLogEntry(e.seq, e.occurred_at, e.username, e.station, e.entity, e.entity_id, e.action,
                          _changes(e.before_json, e.after_json))
            for e in s.execute(stmt).scalars()
        ]


# --------------------------------------------------------------------------- stations


@dataclass(frozen=True)
class StationView:
    """A station as the administrator sees it: what it is, where it stands, where it prints."""

    code: str
    name: str
    kind: str
    site: str | None
    #: Printer destination per document type (code -> destination), the station's own choices.
    printers: tuple[tuple[str, str], ...]


def _station_view(session: Any, row: Station) -> StationView:
    _common, own = read_section(session, row.code, "printing")
    routing = _routing_of(own)
    return StationView(row.code, row.name, row.kind, row.site,
                       tuple(sorted((doc.value, dest) for doc, dest in routing.items())))


def list_stations(ctx: ServiceContext, actor: Actor) -> list[StationView]:
    """Every station the database knows (a station row appears the first time it is configured)."""
    actor.require(Permission.ADMIN_USERS)
    with ctx.read(actor) as s:
        rows = s.execute(select(Station).where(Station.code != ALL_STATIONS).order_by(Station.code)).scalars()
        return [_station_view(s, row) for row in rows]


def save_station(ctx: ServiceContext, actor: Actor, code: str, *, name: str | None = None,
                 kind: str | None = None, site: str | None = None) -> StationView:
    """Create or change a station's name, kind and site (``site`` "" takes it out of its site)."""
    actor.require(Permission.ADMIN_USERS)
    code = check_station_code(code)
    if code == ALL_STATIONS:
        raise ValidationFailed(msg("'*' stands for all stations; give the code of one station."))
    problems: list[str] = []
    if name is not None:
        name = name.strip()
        if not name or len(name) > 80:
            problems.append(msg("The station's name must have 1 to 80 characters."))
    if kind is not None and kind not in STATION_KINDS:
        problems.append(msg(
            "'{kind}' is not a kind of station; use one of {station_kinds}.",
            kind=kind[:20], station_kinds=', '.join(STATION_KINDS)))
    site_code: str | None = None
    if site is not None and site.strip():
        try:
            site_code = check_site_code(site)
        except ValidationFailed as exc:
            problems.append(exc.message)
    if problems:
        raise ValidationFailed(problems[0] if len(problems) == 1 else " ".join(problems), problems)
    with guarded_write(ctx, msg("station {code}", code=code), actor) as s:
        row = _lock_station(s, code, kind)
        before = {"name": row.name, "kind": row.kind, "site": row.site}
        if name is not None:
            row.name = name
        if kind is not None:
            row.kind = kind
        if site is not None:
            row.site = site_code
        after = {"name": row.name, "kind": row.kind, "site": row.site}
        if after != before:
            audit.record(s, ctx, actor, "station", code, "station_saved",
                         {k: v for k, v in before.items() if after[k] != v},
                         {k: v for k, v in after.items() if before[k] != v})
        s.flush()
        view = _station_view(s, row)
    ctx.changed("station", 0)
    return view


def station_codes(views: Sequence[StationView]) -> list[str]:
    return [v.code for v in views]
