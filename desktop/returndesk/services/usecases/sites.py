"""Sites (shops and warehouses) and their time zones.

A sale names the site that made it (``sales_orders.site``) and a station the site it stands in
(``stations.site``). The site's IANA time zone decides which calendar day a moment belongs to: the
return window of a sale counts the selling site's days, and screens and documents show the site's
wall-clock time. Stored times stay UTC.

The site row named :data:`ALL_SITES` (``"*"``) holds the installation's own zone: it applies to
sales and stations that name no site, or a site not (yet) in the table. Without it the computer's
zone is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.localtime import CHINA_ZONE, check_zone_name, zone
from returndesk.domain.localtime import system_zone_name as system_zone_name  # where it was before
from returndesk.domain.permissions import Permission
from returndesk.store.schema import SalesOrder, Site, Station

from returndesk.services.tx import audit
from returndesk.services.tx.context import Actor, ServiceContext
from returndesk.services.tx.guarded import guarded_write
from returndesk.services.infra.station_settings import _lock_station, check_station_code
from returndesk.domain.messages import msg

#: The site code whose time zone applies wherever no site (or an unknown one) is named.
ALL_SITES = "*"
#: Longest site code (the width of ``sites.code``, ``stations.site`` and ``sales_orders.site``).
MAX_SITE_CODE = 32
SITE_KINDS = ("store", "warehouse")


@dataclass(frozen=True)
class SiteView:
    code: str
    name: str
    kind: str
    time_zone: str
    return_address: str | None


@dataclass(frozen=True)
class StationTime:
    """The site a station stands in and the zone its screens show (``site_code`` None: no site)."""

    station: str | None
    site_code: str | None
    time_zone: str


# --------------------------------------------------------------------------- the computer's zone


def default_zone_name(language: str | None) -> str:
    """The zone a new installation proposes: China's for a Chinese one, else the computer's."""
    if language and language.lower().startswith("zh"):
        return CHINA_ZONE
    return system_zone_name()


# --------------------------------------------------------------------------- reading zones


def _zone_names(session: Session, codes: set[str]) -> dict[str, str]:
    codes = {c for c in codes if c} | {ALL_SITES}
    return dict(session.execute(select(Site.code, Site.time_zone).where(Site.code.in_(codes))).all())


def zone_name_for_site(session: Session, code: str | None) -> str:
    """The zone name of a site, falling back to the installation's (then the computer's)."""
    names = _zone_names(session, {code} if code else set())
    return (code and names.get(code)) or names.get(ALL_SITES) or system_zone_name()


def zone_for_site(session: Session, code: str | None) -> tzinfo:
    """The zone of a site (see :func:`zone_name_for_site`)."""
    return zone(zone_name_for_site(session, code))


def zone_for_order(session: Session, order: SalesOrder) -> tzinfo:
    """The zone of the site that made a sale: its return window counts that site's days."""
    return zone_for_site(session, order.site)


def order_zone_name_column() -> ColumnElement[str | None]:
    """The zone name of the site that made the sale of the statement's ``sales_orders`` row, else
    the installation's (NULL when neither has one): a column to read with the order."""
    site_zone = select(Site.time_zone).where(Site.code == SalesOrder.site).scalar_subquery()
    installation_zone = select(Site.time_zone).where(Site.code == ALL_SITES).scalar_subquery()
    return func.coalesce(site_zone, installation_zone)


def zone_name_for_order_id(session: Session, order_id: int) -> str:
    """The zone name of the site that made a sale known by id, in one query (else the installation's)."""
    name = session.execute(
        select(order_zone_name_column()).where(SalesOrder.id == order_id)
    ).scalar_one()
    return name or system_zone_name()


def zone_for_order_id(session: Session, order_id: int) -> tzinfo:
    """:func:`zone_for_order` of a sale known by id, in one query (site's zone, else the installation's)."""
    return zone(zone_name_for_order_id(session, order_id))


def site_of_station(session: Session, station: str | None) -> str | None:
    if not station:
        return None
    return session.execute(select(Station.site).where(Station.code == station)).scalar_one_or_none()


def zone_for_station(session: Session, station: str | None) -> tzinfo:
    """The zone a station shows times in: its site's, else the installation's."""
    return zone_for_site(session, site_of_station(session, station))


def station_time(ctx: ServiceContext, station: str | None = None) -> StationTime:
    """The site and zone of a station (the context's station when none is named)."""
    station = station or ctx.station
    with ctx.db.read() as s:
        site = site_of_station(s, station)
        return StationTime(station, site, zone_name_for_site(s, site))


def list_sites(ctx: ServiceContext, actor: Actor | None = None) -> list[SiteView]:
    """Every site, the installation's own (``*``) first (an administrator's list; ``actor`` None is
    the command line)."""
    if actor is not None:
        actor.require(Permission.ADMIN_POLICY)
    with ctx.read(actor) as s:
        rows = s.execute(select(Site).order_by(Site.code)).scalars()
        return [SiteView(r.code, r.name, r.kind, r.time_zone, r.return_address) for r in rows]


# --------------------------------------------------------------------------- writing


def check_site_code(code: str | None) -> str:
    text = (code or "").strip()
    if not text:
        raise ValidationFailed(msg("No site is named. Give the shop's or warehouse's code, e.g. SH01."))
    if len(text) > MAX_SITE_CODE or not text.isprintable():
        raise ValidationFailed(
            msg(
                "'{text}' cannot name a site: use at most {max_site_code} printable characters.",
                text=text[:40], max_site_code=MAX_SITE_CODE)
        )
    return text


def _upsert(session: Session, ctx: ServiceContext, actor: Actor | None, code: str, *,
            time_zone: str, name: str | None = None, kind: str | None = None,
            return_address: str | None = None, only_if_new: bool = False) -> Site:
    row = session.execute(select(Site).where(Site.code == code).with_for_update()).scalar_one_or_none()
    if row is not None and only_if_new:
        return row
    before = None if row is None else {"name": row.name, "kind": row.kind, "time_zone": row.time_zone,
                                       "return_address": row.return_address}
    if row is None:
        default_name = "All sites" if code == ALL_SITES else code
        row = Site(code=code, name=(name or default_name)[:80], kind=kind or "store", time_zone=time_zone,
                   return_address=return_address, created_at=ctx.now())
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:  # another station created it at the same moment
            row = session.execute(select(Site).where(Site.code == code).with_for_update()).scalar_one()
            if only_if_new:
                return row
    row.time_zone = time_zone
    if name:
        row.name = name[:80]
    if kind:
        row.kind = kind
    if return_address is not None:
        row.return_address = return_address or None
    after = {"name": row.name, "kind": row.kind, "time_zone": row.time_zone, "return_address": row.return_address}
    if after != before:
        audit.record(session, ctx, actor, "site", code, "site_saved", before, after)
    return row


def save_site(ctx: ServiceContext, actor: Actor | None, code: str, *, time_zone: str,
              name: str | None = None, kind: str | None = None,
              return_address: str | None = None) -> SiteView:
    """Create or change a site (an administrator; ``actor`` None is the command line)."""
    if actor is not None:
        actor.require(Permission.ADMIN_POLICY)
    code = check_site_code(code)
    time_zone = check_zone_name(time_zone)
    if kind is not None and kind not in SITE_KINDS:
        raise ValidationFailed(msg("'{kind}' is not a kind of site; use store or warehouse.", kind=kind[:20]))
    with guarded_write(ctx, msg("site {code}", code=code), actor) as s:
        row = _upsert(s, ctx, actor, code, time_zone=time_zone, name=name, kind=kind,
                      return_address=return_address)
        view = SiteView(row.code, row.name, row.kind, row.time_zone, row.return_address)
    ctx.changed("site", 0)
    return view


def ensure_installation_zone(ctx: ServiceContext, time_zone: str) -> str:
    """At first start: give the installation its zone unless the database already has one (a
    station joining a shared server keeps the server's). Returns the zone in force."""
    time_zone = check_zone_name(time_zone)
    with ctx.db.write() as s:
        row = _upsert(s, ctx, None, ALL_SITES, time_zone=time_zone, only_if_new=True)
        return row.time_zone


def set_station_time_zone(ctx: ServiceContext, actor: Actor | None, station: str, time_zone: str,
                          *, site: str | None = None) -> StationTime:
    """File ▸ Station settings: the zone of the site this station stands in.

    ``site`` names the station's site (created when new); None keeps the station's site, and a
    station without one sets the installation's zone. The zone decides return windows for every
    station of the site, so only an administrator may change it (``actor`` None: the machine's
    administrator at first start or on the command line).
    """
    if actor is not None:
        actor.require(Permission.ADMIN_POLICY)
    station = check_station_code(station)
    time_zone = check_zone_name(time_zone)
    site = check_site_code(site) if site is not None and site.strip() else None
    with guarded_write(ctx, msg("the time zone of station {station}", station=station), actor) as s:
        row = _lock_station(s, station, None)
        if site is not None and row.site != site:
            audit.record(s, ctx, actor, "station", station, "site_changed", {"site": row.site}, {"site": site})
            row.site = site
        code = row.site or ALL_SITES
        _upsert(s, ctx, actor, code, time_zone=time_zone)
        result = StationTime(station, row.site, time_zone)
    ctx.changed("site", 0)
    return result
