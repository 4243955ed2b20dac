"""Finding the original sale at the counter and judging its lines against the return policy.

The clerk types or scans what the customer brings: the receipt (its barcode is the order number),
a phone number (all of it or the last digits), a name, or the RMA label of an earlier return. Every
lookup goes through an index (``sales_orders.order_no``, ``returns.rma_no``,
``customers.phone_tail``, ``customers.name_fold``, ``sales_orders.customer_id``), so the search stays
instant however many sales the database holds.

Dates: the policy counts calendar days of the site that sold (its zone in the ``sites`` table; see
:mod:`.sites`); timestamps that come back from SQLite without a zone were written in UTC.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast
from datetime import UTC, date, datetime, tzinfo

from sqlalchemy import (
    ColumnElement,
    Integer,
    Row,
    Select,
    String,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from returndesk.domain import scan
from returndesk.domain.codes import clean_text, phone_digits, shown
from returndesk.domain.errors import NotFound, ValidationFailed
from returndesk.domain.localtime import local_day
from returndesk.domain.localtime import zone as zone_of
from returndesk.domain.permissions import Permission
from returndesk.domain.policy import (
    PolicyRules,
    PolicyVerdict,
    condition_label,
    evaluate_line,
    returnable_quantity,
)
from returndesk.domain.refund import refund_methods_for
from returndesk.domain.types import Channel, RefundMethod, Resolution
from returndesk.domain.units import average_unit_paid
from returndesk.store.schema import (
    Category,
    Customer,
    Product,
    ReasonVersion,
    Return,
    ReturnPolicy,
    ReturnReason,
    SalesOrder,
    SalesOrderLine,
)

from returndesk.services.tx import refcache
from returndesk.services.tx.refcache import PolicyRow
from returndesk.services.tx.context import (
    Actor,
    ServiceContext,
    first_checking_actor,
    first_row_checking_actor,
    utcnow,
)
from returndesk.services.usecases.sites import order_zone_name_column, system_zone_name, zone_for_order
from returndesk.domain.messages import msg

#: Fewest digits that search phone numbers by their end ("the last four digits").
MIN_PHONE_DIGITS = 4
#: Most results a search returns, whatever the caller asks for.
MAX_SEARCH_LIMIT = 200
#: Sale channel of goods bought in a shop: the policy window runs from the sale, not a delivery.
STORE_SALE_CHANNEL = "store"

_SPACES = re.compile(r"\s+")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ReasonView:
    """A return reason as the counter offers it."""

    code: str
    name_en: str
    name_zh: str
    vendor_fault: bool
    allowed_resolutions: tuple[Resolution, ...]
    active: bool
    sort_order: int

    def allows(self, resolution: Resolution | str) -> bool:
        """True when this reason may end in ``resolution`` (refund or exchange)."""
        return str(resolution) in {r.value for r in self.allowed_resolutions}


@dataclass(frozen=True)
class PolicyView:
    """One version of the return policy."""

    id: int
    version: int
    name: str
    rules: PolicyRules
    effective_from: datetime
    created_at: datetime
    created_by: str | None
    active: bool


@dataclass(frozen=True)
class SaleSummary:
    """One search hit; ``matched_by`` says why it was found (order, rma, phone or name)."""

    order_id: int
    order_no: str
    channel: str
    sold_at: datetime
    delivered_at: datetime | None
    customer_id: int | None
    customer_name: str | None
    customer_phone: str | None
    total_paid_minor: int
    currency: str
    line_count: int
    item_count: int
    returnable_count: int
    matched_by: str


@dataclass(frozen=True)
class CustomerView:
    id: int
    code: str
    name: str
    phone: str | None
    email: str | None
    address: str | None


@dataclass(frozen=True)
class SaleLineView:
    """An order line with what can still be returned and the policy's verdicts on it.

    ``verdict_customer_fault`` and ``verdict_vendor_fault`` judge the whole returnable quantity
    for a reason that is the customer's doing (changed mind, wrong size) and for one that is the
    vendor's (defective, wrong item, damaged in transit). Conditions are not judged here: they are
    checked when the goods are seen (see ``SaleView.required_conditions``).
    """

    order_line_id: int
    line_no: int
    product_id: int
    sku: str
    barcode: str | None
    product_name: str
    product_name_zh: str | None
    category: str
    category_name_en: str | None
    category_name_zh: str | None
    product_returnable: bool
    serial_tracked: bool
    serial_numbers: tuple[str, ...]
    quantity: int
    qty_returned: int
    qty_in_process: int
    qty_returnable: int
    unit_price_minor: int
    discount_minor: int
    paid_minor: int
    unit_paid_minor: int
    tax_minor: int
    tax_rate_bp: int
    refunded_minor: int
    verdict_customer_fault: PolicyVerdict
    verdict_vendor_fault: PolicyVerdict

    def verdict(self, vendor_fault: bool) -> PolicyVerdict:
        """The verdict for a reason of the given kind."""
        return self.verdict_vendor_fault if vendor_fault else self.verdict_customer_fault


@dataclass(frozen=True)
class OrderReturnView:
    """An earlier return of the same order, for the clerk's information."""

    rma_no: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class SaleView:
    """Everything the counter shows about a sale before a return is recorded.

    ``return_channel`` is the channel of the return being prepared (counter or remote);
    ``refund_methods`` are the methods allowed for it. ``reference_date`` is the day the policy
    window runs from: the sale day for a shop sale, else the delivery day (None: not delivered).
    Days are those of the selling site, whose zone is ``time_zone``. A phone or online sale with
    no delivery on record counts from the sale day plus ``transit_days`` (then set).
    """

    order_id: int
    order_no: str
    sale_channel: str
    return_channel: Channel
    sold_at: datetime
    delivered_at: datetime | None
    reference_date: date | None
    sold_at_counter: bool
    today: date
    time_zone: str
    sold_on: date
    transit_days: int | None
    payment_method: str
    currency: str
    shipping_minor: int
    total_paid_minor: int
    customer: CustomerView | None
    lines: tuple[SaleLineView, ...]
    policy_id: int
    policy_version: int
    required_conditions: tuple[tuple[str, str], ...]
    conditions_apply_to_vendor_fault: bool
    refund_methods: tuple[RefundMethod, ...]
    returns: tuple[OrderReturnView, ...]

    @property
    def returnable_count(self) -> int:
        """Units of the whole order that can still be returned."""
        return sum(line.qty_returnable for line in self.lines)


# --------------------------------------------------------------------------- building blocks


def business_today(ctx: ServiceContext) -> date:
    """Today's date on the context's clock, for deadlines kept as dates (``receive_by``)."""
    return ctx.now().date()


def parse_resolutions(text: str | None) -> tuple[Resolution, ...]:
    """The stored ``allowed_resolutions`` text ("refund,exchange") as resolutions, in enum order."""
    codes = {part.strip() for part in (text or "").split(",") if part.strip()}
    return tuple(r for r in Resolution if r.value in codes)


def reason_view(row: ReturnReason) -> ReasonView:
    return ReasonView(
        code=row.code,
        name_en=row.name_en,
        name_zh=row.name_zh,
        vendor_fault=bool(row.vendor_fault),
        allowed_resolutions=parse_resolutions(row.allowed_resolutions),
        active=bool(row.active),
        sort_order=row.sort_order,
    )


def reason_version_column() -> ColumnElement[int | None]:
    """The return reasons' version (``reason_versions``, moved on by the database at every change
    of the reasons) as a column to read with another statement; NULL when the row is missing."""
    return select(ReasonVersion.version).where(ReasonVersion.id == 1).scalar_subquery()


_REASONS = "return_reasons"


def reasons_at(session: Session, version: int | None) -> dict[str, ReasonView]:
    """All return reasons by code, in display order, as they are at the reasons' ``version`` (read
    by the caller with its own statement, :func:`reason_version_column`): kept per process and
    read again, with their version in the same statement, only when the version differs from the
    one kept (another station, connection or tool changed them)."""
    if version is not None:
        kept = refcache.versioned(session, _REASONS, int(version))
        if kept is not None:
            return cast(dict[str, ReasonView], kept)
    rows = session.execute(
        select(ReturnReason, reason_version_column()).order_by(ReturnReason.sort_order, ReturnReason.code)
    ).all()
    reasons = {row.code: reason_view(row) for row, _ in rows}
    read_version = rows[0][1] if rows else None
    if read_version is not None:
        refcache.keep_versioned(session, _REASONS, int(read_version), reasons)
    return reasons


def load_reasons(session: Session, *, include_inactive: bool = True) -> dict[str, ReasonView]:
    """All return reasons by code, in display order (a small reference table)."""
    stmt = select(ReturnReason).order_by(ReturnReason.sort_order, ReturnReason.code)
    if not include_inactive:
        stmt = stmt.where(ReturnReason.active.is_(True))
    return {row.code: reason_view(row) for row in session.execute(stmt).scalars()}


def policy_view(session: Session, row: ReturnPolicy) -> PolicyView:
    created_by = refcache.username(session, row.created_by)
    return PolicyView(
        id=row.id,
        version=row.version,
        name=row.name,
        rules=PolicyRules.from_json(row.rules_json),
        effective_from=row.effective_from,
        created_at=row.created_at,
        created_by=created_by,
        active=bool(row.active),
    )


def load_active_policy(session: Session, at: datetime | None = None) -> PolicyView:
    """The policy new returns are judged by at the moment ``at`` (the services' clock; None: now):
    of the active versions already in effect then, the one that took effect last (the newest
    version if two took effect at once). A version published for a later day waits until then.
    Before the first version took effect (a sale dated before the installation), the first
    version applies: a database's first policy holds from the start."""
    when = at if at is not None else utcnow()
    if session.get_bind().dialect.name == "sqlite":
        when = when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo is not None else when
    active = select(ReturnPolicy).where(ReturnPolicy.active.is_(True))
    row = session.execute(
        active.where(ReturnPolicy.effective_from <= when)
        .order_by(ReturnPolicy.effective_from.desc(), ReturnPolicy.version.desc())
        .limit(1)
    ).scalar_one_or_none()
    if row is None:
        row = session.execute(
            active.order_by(ReturnPolicy.effective_from, ReturnPolicy.version).limit(1)
        ).scalar_one_or_none()
    if row is None:
        raise NotFound(
            msg("No return policy is in force. An administrator must publish one before returns can be taken.")
        )
    return policy_view(session, row)


def policy_at(session: Session, at: datetime) -> datetime:
    """``at`` as the parameter ``policy_at`` of :data:`ORDER_FOR_RETURN_COLUMNS` takes it (a
    naive UTC time on SQLite, which keeps times as UTC text)."""
    if session.get_bind().dialect.name == "sqlite" and at.tzinfo is not None:
        return at.astimezone(UTC).replace(tzinfo=None)
    return at


def policy_in_force_column(when: Any) -> ColumnElement[int | None]:
    """The id of the policy version in force at ``when`` (a value or a bound parameter): the
    active version that took effect last by then, else the first active one to come; NULL when no
    version is active."""
    active = select(ReturnPolicy.id).where(ReturnPolicy.active.is_(True))
    in_force = (active.where(ReturnPolicy.effective_from <= when)
                .order_by(ReturnPolicy.effective_from.desc(), ReturnPolicy.version.desc()).limit(1))
    first = active.order_by(ReturnPolicy.effective_from, ReturnPolicy.version).limit(1)
    return func.coalesce(in_force.scalar_subquery(), first.scalar_subquery())


def policy_by_id(session: Session, policy_id: int) -> PolicyView:
    """The active policy version ``policy_id`` (from :data:`ORDER_FOR_RETURN_COLUMNS`), its row
    read and its rules parsed once per process (``refcache.policy_row``: a published version
    never changes)."""
    row = refcache.policy_row(session, policy_id)
    if row is None:  # pragma: no cover - the id was read from the table in this transaction
        raise NotFound(msg(
            "No return policy is in force. An administrator must publish one before returns can be taken."))
    return PolicyView(
        id=row.id, version=row.version, name=row.name, rules=row.rules,
        effective_from=row.effective_from, created_at=row.created_at,
        created_by=refcache.username(session, row.created_by), active=True,
    )


@dataclass(frozen=True)
class OrderForReturn:
    """A sale with what judging a return of it needs besides: the policy in force and the zone
    of the site that made the sale (its return window counts that site's days)."""

    order: SalesOrder
    policy_id: int | None
    zone_name: str
    #: The customer's name, phone and address (None each for a sale without a customer).
    customer: tuple[str | None, str | None, str | None]
    #: The return reasons' version (:func:`reasons_at`); None when the database has none.
    reasons_version: int | None = None


#: What :class:`OrderForReturn` holds besides the order, as columns to read with a statement that
#: has the ``sales_orders`` row and the ``customers`` row (outer joined) in it: the id of the
#: policy in force at the parameter ``policy_at`` (:func:`policy_at`), the sale's site zone, the
#: customer's name, phone and address, the return reasons' version (see :func:`order_for_return`).
#: Built once, so that a statement built with them is too.
ORDER_FOR_RETURN_COLUMNS = (
    policy_in_force_column(bindparam("policy_at", type_=ReturnPolicy.__table__.c.effective_from.type)),
    order_zone_name_column(), Customer.name, Customer.phone, Customer.address, reason_version_column(),
)


def order_for_return(order: SalesOrder, columns: Sequence[Any]) -> OrderForReturn:
    """The :class:`OrderForReturn` of ``order`` from the values of :data:`ORDER_FOR_RETURN_COLUMNS`."""
    policy_id, zone_name, name, phone, address, reasons_version = columns
    return OrderForReturn(order, policy_id, zone_name or system_zone_name(), (name, phone, address),
                          reasons_version)


#: The order of a number (parameter ``order_no``) with :data:`ORDER_FOR_RETURN_COLUMNS`.
_ORDER_FOR_RETURN = (
    select(SalesOrder, *ORDER_FOR_RETURN_COLUMNS)
    .outerjoin(Customer, Customer.id == SalesOrder.customer_id)
    .where(SalesOrder.order_no == bindparam("order_no"))
)


def find_order_for_return(session: Session, order_no: str, at: datetime) -> OrderForReturn | None:
    """:func:`find_order`, with the id of the policy in force at ``at``, the sale's site zone and
    its customer's name, phone and address and the return reasons' version read in the same
    statement (and the transaction's actor checked in it, see ``context.first_checking_actor``)."""
    row = first_row_checking_actor(
        session, _ORDER_FOR_RETURN,
        {"order_no": canonical_order_no(order_no), "policy_at": policy_at(session, at)},
    )
    if row is None:
        return None
    return order_for_return(row[0], row[1:])


def with_category_rules(view: PolicyView, rows: Iterable[tuple[str, int | None, bool]]) -> PolicyView:
    """``view`` with the categories' own windows and non-returnable flags (master data) applied,
    from ``(code, return_window_days, returnable)`` rows (see ``PolicyRules.with_categories``)."""
    windows: dict[str, int] = {}
    blocked: list[str] = []
    for code, days, returnable in rows:
        if days is not None:
            windows[code] = days
        if not returnable:
            blocked.append(code)
    rules = view.rules.with_categories(windows, blocked)
    return view if rules is view.rules else replace(view, rules=rules)


def load_judging_policy(session: Session, at: datetime | None = None) -> PolicyView:
    """The active policy as new returns are judged by it at ``at`` (see :func:`load_active_policy`):
    with every category's own window and non-returnable flag applied."""
    return with_category_rules(load_active_policy(session, at), session.execute(
        select(Category.code, Category.return_window_days, Category.returnable)
        .where((Category.return_window_days.is_not(None)) | (Category.returnable.is_(False)))))


def load_policy(session: Session, policy_id: int) -> PolicyView:
    """A policy version by id (the one a return was judged by)."""
    row = session.get(ReturnPolicy, policy_id)
    if row is None:
        raise NotFound(msg("Return policy #{policy_id} does not exist.", policy_id=policy_id))
    return policy_view(session, row)


def policy_rules(session: Session, policy_id: int) -> PolicyRules:
    """The rules of the policy version ``policy_id`` (a return's own), cached per process: a
    published version's rules never change."""
    rules = refcache.policy_rules(session, policy_id)
    if rules is None:
        raise NotFound(msg("Return policy #{policy_id} does not exist.", policy_id=policy_id))
    return rules


#: How an order number is named when it cannot be read.
_THE_ORDER_NUMBER = msg("The order number")


def canonical_order_no(text: str) -> str:
    """The order number as stored: receipt barcodes (``so 1042``, ``ＳＯ－１０４２``) become
    ``SO-1042``; ``ValidationFailed`` for None, control characters or overlong text."""
    return scan.order_or_text(clean_text(text, what=_THE_ORDER_NUMBER))


def find_order(session: Session, order_no: str, *, for_update: bool = False) -> SalesOrder | None:
    """The sale with this order number (as typed, scanned or stored), or None."""
    stmt = select(SalesOrder).where(SalesOrder.order_no == canonical_order_no(order_no))
    if for_update:
        stmt = stmt.with_for_update()
    found: SalesOrder | None = first_checking_actor(session, stmt)
    return found


def order_not_found(order_no: str) -> str:
    """The sentence for an unknown order number."""
    return msg(
        "No sale with order number '{order_no}' was found. Check the number on the receipt, or search by the"
        " customer's phone or name.", order_no=shown(order_no.strip()))


@dataclass(frozen=True)
class SaleDays:
    """The selling site's calendar days a sale is judged by."""

    zone: tzinfo
    today: date
    sold_on: date
    reference: date | None
    at_counter: bool


def sale_days(session: Session, order: SalesOrder, now: datetime, zone_name: str | None = None) -> SaleDays:
    """Today, the sale day and the day the policy window runs from, in the selling site's zone
    (``zone_name`` when the caller read it with the order).

    A shop sale counts from the day of the sale; anything delivered counts from the delivery; a
    phone or online sale with no delivery on record is left to the policy's transit allowance.
    """
    zone = zone_for_order(session, order) if zone_name is None else zone_of(zone_name)
    return sale_days_of(order.channel, order.sold_at, order.delivered_at, now, zone)


def sale_days_of(channel: str, sold_at: datetime, delivered_at: datetime | None, now: datetime,
                 zone: tzinfo) -> SaleDays:
    """:func:`sale_days` of a sale made through ``channel`` at ``sold_at`` (delivered at
    ``delivered_at``) by a site in ``zone``."""
    sold_on = local_day(sold_at, zone)
    today = local_day(now, zone)
    assert sold_on is not None and today is not None
    if channel == STORE_SALE_CHANNEL:
        return SaleDays(zone, today, sold_on, sold_on, True)
    return SaleDays(zone, today, sold_on, local_day(delivered_at, zone), False)


def judge(
    rules: PolicyRules,
    *,
    category: str,
    product_returnable: bool,
    vendor_fault: bool,
    requested_qty: int,
    returnable_qty: int,
    reference: date | None,
    sold_at_counter: bool,
    today: date,
    conditions_met: frozenset[str] | None,
    sold_on: date | None = None,
) -> PolicyVerdict:
    """The policy's verdict on returning ``requested_qty`` units of a product of ``category``."""
    return evaluate_line(
        rules,
        category=category,
        product_returnable=product_returnable,
        vendor_fault=vendor_fault,
        reference_date=reference,
        today=today,
        requested_qty=requested_qty,
        returnable_qty=returnable_qty,
        conditions_met=conditions_met,
        sold_at_counter=sold_at_counter,
        sold_date=sold_on,
    )


def line_returnable(quantity: int, returned: int, in_process: int) -> int:
    """Units of an order line (``quantity`` sold) that are neither returned nor held by an open
    return."""
    return returnable_quantity(quantity, returned + in_process)


# --------------------------------------------------------------------------- search


def _next_prefix(prefix: str) -> str | None:
    """The smallest string above every string that starts with ``prefix`` (code point order)."""
    last = ord(prefix[-1])
    if last >= 0x10FFFF:
        return None
    nxt = last + 1
    if 0xD800 <= nxt <= 0xDFFF:  # surrogates cannot be stored; skip to the next real character
        nxt = 0xE000
    return prefix[:-1] + chr(nxt)


def find_sales(ctx: ServiceContext, actor: Actor, query: str, *, limit: int = 20) -> list[SaleSummary]:
    """Sales matching what the clerk typed or scanned, best matches first.

    ``query`` may be an order number (or the receipt barcode, ``SO-…`` in any case), an RMA label
    of an earlier return of the sale, a phone number (the whole number, or at least its last
    ``MIN_PHONE_DIGITS`` digits), or the beginning of the customer's name (any case). Digits alone
    are also tried as an order number. Each interpretation is one index lookup; hits of an exact
    number come before phone hits, which come before name hits, and within those the newest sale
    comes first. An empty or too short query finds nothing.
    """
    actor.require(Permission.FIND_SALES)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValidationFailed(msg("The number of results must be at least 1, not {limit!r}.", limit=limit))
    limit = min(limit, MAX_SEARCH_LIMIT)
    text = clean_text(query, what=msg("The search text"))
    if not text:
        return []
    # Every reading of the query in one statement: the text as an order number (and, for digits,
    # the receipt's number), the RMA of an earlier return, the customers whose phone ends with its
    # digits or whose name begins with it, and the newest sales of those customers with their line
    # totals. A reading that does not apply gets NULL parameters and finds nothing.
    params: dict[str, Any] = {"no1": None, "no2": None, "rma": None, "tail": None, "pattern": None, "digits": None,
                              "prefix": None, "limit": limit, "limit4": limit * 4}
    by_customer = "phone"
    kind = scan.classify(text)
    if isinstance(kind, scan.OrderScan):
        params["no1"] = canonical_order_no(kind.order_no)
    elif isinstance(kind, scan.RmaScan):
        params["rma"] = kind.rma
    else:
        params["no1"] = canonical_order_no(text)
        digits = phone_digits(text)
        if digits is not None:
            if text.isascii() and text.isdigit() and len(text) <= 18:
                params["no2"] = canonical_order_no(scan.ORDER_PREFIX + text)
            if len(digits) >= MIN_PHONE_DIGITS:
                # phone_tail (indexed) narrows to the customers whose number ends like the query;
                # the LIKE then checks the rest of the digits on those few rows. Exact numbers first.
                params.update(tail=digits[-MIN_PHONE_DIGITS:], pattern=f"%{digits}", digits=digits)
        elif any(ch.isalpha() for ch in text):
            # The database folds the query exactly as it folded the stored names (SQLite's lower()
            # only folds ASCII, PostgreSQL's all of Unicode); a range on the index finds the prefix.
            params["prefix"] = _SPACES.sub(" ", text.strip())
            by_customer = "name"
    first = "rma" if isinstance(kind, scan.RmaScan) else "order"
    with ctx.read_core(actor, one_statement=True) as read:
        rows = read.rows(_SEARCH, params)
    return [
        SaleSummary(
            order_id=row.id, order_no=row.order_no, channel=row.channel, sold_at=row.sold_at,
            delivered_at=row.delivered_at, customer_id=row.customer_id, customer_name=row.customer_name,
            customer_phone=row.customer_phone, total_paid_minor=row.total_paid_minor, currency=row.currency,
            line_count=int(row.lines or 0), item_count=int(row.items or 0),
            returnable_count=max(0, int(row.returnable or 0)), matched_by=first if row.grp == 0 else by_customer,
        )
        for row in rows
    ]


#: Above every character a name can hold: ``prefix || _TOP`` bounds the names that begin with ``prefix``.
_TOP = "\U0010ffff"


def _search_statement() -> Select[Any]:
    """The statement of :func:`find_sales`, built once per process: the matching sales with their
    customer and line totals, ``grp`` 0 for a match by number (the text, then the receipt's
    number) or RMA, 1 for a customer's sale (newest first), at most ``limit``."""
    o, c, r, ol = (SalesOrder.__table__.c, Customer.__table__.c, Return.__table__.c,
                   SalesOrderLine.__table__.c)
    limit: Any = bindparam("limit", type_=Integer())
    no1, no2 = bindparam("no1", type_=o.order_no.type), bindparam("no2", type_=o.order_no.type)
    by_phone = (
        select(c.id, c.phone)
        .where(c.phone_tail == bindparam("tail", type_=c.phone_tail.type),
               c.phone.like(bindparam("pattern", type_=c.phone.type)))
        .order_by(c.id).limit(bindparam("limit4", type_=Integer()))
        .subquery("by_phone")
    )
    phone_first = (
        select(by_phone.c.id)
        .order_by(case((by_phone.c.phone == bindparam("digits", type_=c.phone.type), 0), else_=1), by_phone.c.id)
        .limit(limit)
    )
    folded = func.lower(bindparam("prefix", type_=String()))
    by_name = (
        select(c.id).where(c.name_fold >= folded, c.name_fold < folded.concat(literal(_TOP, String())))
        .order_by(c.name_fold, c.id).limit(limit)
    )
    customers = union_all(select(phone_first.subquery().c.id), select(by_name.subquery().c.id)).subquery("matched")
    newest = (
        select(o.id, o.sold_at).where(o.customer_id.in_(select(customers.c.id)))
        .order_by(o.sold_at.desc(), o.id.desc()).limit(limit).subquery("newest")
    )
    found = union_all(
        select(o.id.label("oid"), literal(0).label("grp"), case((o.order_no == no1, 0), else_=1).label("k"))
        .where(or_(o.order_no == no1, o.order_no == no2)),
        select(r.order_id, literal(0), literal(0)).where(r.rma_no == bindparam("rma", type_=r.rma_no.type)),
        select(newest.c.id, literal(1),
               func.row_number().over(order_by=(newest.c.sold_at.desc(), newest.c.id.desc()))),
    ).subquery("found")
    hits = (select(found.c.oid, func.min(found.c.grp).label("grp"), func.min(found.c.k).label("k"))
            .group_by(found.c.oid).subquery("hits"))
    return (
        select(
            o.id, o.order_no, o.channel, o.sold_at, o.delivered_at, o.customer_id,
            c.name.label("customer_name"), c.phone.label("customer_phone"), o.total_paid_minor, o.currency,
            func.count(ol.id).label("lines"), func.sum(ol.quantity).label("items"),
            func.sum(ol.quantity - ol.qty_returned - ol.qty_in_process).label("returnable"),
            hits.c.grp,
        )
        .select_from(hits)
        .join(SalesOrder.__table__, o.id == hits.c.oid)
        .outerjoin(Customer.__table__, c.id == o.customer_id)
        .outerjoin(SalesOrderLine.__table__, ol.order_id == o.id)
        .group_by(o.id, c.id, hits.c.grp, hits.c.k)
        .order_by(hits.c.grp, hits.c.k)
        .limit(limit)
    )


_SEARCH = _search_statement()


# --------------------------------------------------------------------------- one sale


def _sale_statement() -> Select[Any]:
    """The statement of :func:`get_sale`, built once per process: one row per line of the order
    (``kind`` 0) with the order, its customer, the id of the policy in force at ``now``, the site's
    zone, the line's product and category (the category's own window and returnable flag judge the
    line); and one row per return of the order (``kind`` 1, the latest 50). An order without lines
    still has its row (the line's columns NULL); an unknown order number finds no row."""
    o, c, ol, p, cat, r = (SalesOrder.__table__.c, Customer.__table__.c, SalesOrderLine.__table__.c,
                           Product.__table__.c, Category.__table__.c, Return.__table__.c)
    order_no = bindparam("order_no", type_=o.order_no.type)
    when = bindparam("now", type_=ReturnPolicy.__table__.c.effective_from.type)
    sale_columns = [
        o.id.label("order_id"), o.order_no, o.channel, o.sold_at, o.delivered_at, o.payment_method, o.currency,
        o.shipping_minor, o.total_paid_minor,
        c.id.label("customer_id"), c.code.label("customer_code"), c.name.label("customer_name"),
        c.phone.label("customer_phone"), c.email.label("customer_email"), c.address.label("customer_address"),
        policy_in_force_column(when).label("policy_id"),
        order_zone_name_column().label("zone_name"),
        ol.id.label("line_id"), ol.line_no, ol.quantity, ol.qty_returned, ol.qty_in_process, ol.unit_price_minor,
        ol.discount_minor, ol.paid_minor, ol.tax_minor, ol.refunded_minor, ol.serial_numbers,
        p.id.label("product_id"), p.sku, p.barcode, p.name.label("product_name"),
        p.name_zh.label("product_name_zh"), p.category, p.returnable.label("product_returnable"),
        p.serial_tracked, p.tax_rate_bp,
        cat.code.label("category_code"), cat.name_en.label("category_name_en"),
        cat.name_zh.label("category_name_zh"), cat.return_window_days.label("category_window_days"),
        cat.returnable.label("category_returnable"),
    ]
    return_columns = [r.rma_no, r.status, r.created_at.label("return_created_at"), r.id.label("return_id")]
    lines = (
        select(literal_column("0", Integer).label("kind"), *sale_columns,
               *(type_coerce(null(), col.type).label(col.name) for col in return_columns))
        .select_from(SalesOrder.__table__)
        .outerjoin(Customer.__table__, c.id == o.customer_id)
        .outerjoin(SalesOrderLine.__table__, ol.order_id == o.id)
        .outerjoin(Product.__table__, p.id == ol.product_id)
        .outerjoin(Category.__table__, cat.code == p.category)
        .where(o.order_no == order_no)
    )
    latest = (
        select(*return_columns)
        .where(r.order_id == select(o.id).where(o.order_no == order_no).scalar_subquery())
        .order_by(r.created_at.desc(), r.id.desc())
        .limit(50)
        .subquery("latest")
    )
    returns = select(literal_column("1", Integer), *(null() for _ in sale_columns), *latest.c)
    # No ORDER BY on the whole: the caller puts the few rows in order (a sort in the database
    # would cost more than the statement's lookups).
    both = union_all(lines, returns).subquery("sale")
    return select(*both.c)


_SALE = _sale_statement()
#: A row of :data:`_SALE` as a named tuple: its columns are read by name many times over (a
#: ``Row``'s attribute lookup costs ten times a tuple's).
_SaleRow = namedtuple("_SaleRow", list(_SALE.selected_columns.keys()))  # type: ignore[misc]
_SALE_WIDTH = len(_SaleRow._fields)


def _sale_view(found: Sequence[Row[Any]], policy: PolicyRow, channel: Channel, now: datetime) -> SaleView:
    """The sale's view from the rows of :data:`_SALE`, judged by the policy version ``policy``
    (the one in force, with the lines' categories' own windows and non-returnable flags: only
    the lines' categories judge anything here)."""
    rows: list[Any] = [_SaleRow._make(row[:_SALE_WIDTH]) for row in found]
    head = next(row for row in rows if row.kind == 0)
    lines = sorted((row for row in rows if row.kind == 0 and row.line_id is not None), key=lambda row: row.line_no)
    earlier = sorted((row for row in rows if row.kind == 1),
                     key=lambda row: (row.return_created_at, row.return_id), reverse=True)
    zone = zone_of(head.zone_name or system_zone_name())
    days = sale_days_of(head.channel, head.sold_at, head.delivered_at, now, zone)
    today, reference, at_counter, sold_on = days.today, days.reference, days.at_counter, days.sold_on
    rules = policy.rules
    windows: dict[str, int] = {}
    blocked: list[str] = []
    for row in lines:
        if row.category_code is not None:
            if row.category_window_days is not None:
                windows[row.category_code] = row.category_window_days
            if not row.category_returnable:
                blocked.append(row.category_code)
    if windows or blocked:
        rules = rules.with_categories(windows, blocked)

    def verdict(row: Any, returnable: int, vendor_fault: bool) -> PolicyVerdict:
        # As judge() does; nothing left to return is still judged (for one unit) so the verdict
        # says why.
        return evaluate_line(
            rules, category=row.category, product_returnable=bool(row.product_returnable),
            vendor_fault=vendor_fault, reference_date=reference, today=today, requested_qty=max(returnable, 1),
            returnable_qty=returnable, conditions_met=None, sold_at_counter=at_counter, sold_date=sold_on,
        )

    views = []
    for row in lines:
        returnable = line_returnable(row.quantity, row.qty_returned, row.qty_in_process)
        found_category = row.category_code is not None
        views.append(SaleLineView(
            order_line_id=row.line_id, line_no=row.line_no, product_id=row.product_id, sku=row.sku,
            barcode=row.barcode, product_name=row.product_name, product_name_zh=row.product_name_zh,
            category=row.category, category_name_en=row.category_name_en if found_category else None,
            category_name_zh=row.category_name_zh if found_category else None,
            product_returnable=bool(row.product_returnable), serial_tracked=bool(row.serial_tracked),
            serial_numbers=tuple(sn.strip() for sn in (row.serial_numbers or "").split(",") if sn.strip()),
            quantity=row.quantity, qty_returned=row.qty_returned, qty_in_process=row.qty_in_process,
            qty_returnable=returnable, unit_price_minor=row.unit_price_minor, discount_minor=row.discount_minor,
            paid_minor=row.paid_minor, unit_paid_minor=average_unit_paid(row.paid_minor, row.quantity),
            tax_minor=row.tax_minor, tax_rate_bp=row.tax_rate_bp, refunded_minor=row.refunded_minor,
            verdict_customer_fault=verdict(row, returnable, False),
            verdict_vendor_fault=verdict(row, returnable, True),
        ))
    return SaleView(
        order_id=head.order_id, order_no=head.order_no, sale_channel=head.channel, return_channel=channel,
        sold_at=head.sold_at, delivered_at=head.delivered_at, reference_date=reference, sold_at_counter=at_counter,
        today=today, time_zone=str(zone), sold_on=sold_on,
        transit_days=None if reference is not None or at_counter else rules.transit_allowance_days,
        payment_method=head.payment_method, currency=head.currency, shipping_minor=head.shipping_minor,
        total_paid_minor=head.total_paid_minor,
        customer=(
            CustomerView(id=head.customer_id, code=head.customer_code, name=head.customer_name,
                         phone=head.customer_phone, email=head.customer_email, address=head.customer_address)
            if head.customer_id is not None else None
        ),
        lines=tuple(views), policy_id=policy.id, policy_version=policy.version,
        required_conditions=tuple((c, condition_label(c)) for c in rules.required_conditions),
        conditions_apply_to_vendor_fault=rules.conditions_apply_to_vendor_fault,
        refund_methods=refund_methods_for(channel),
        returns=tuple(OrderReturnView(row.rma_no, row.status, row.return_created_at) for row in earlier),
    )


def get_sale(
    ctx: ServiceContext, actor: Actor, order_no: str, *, channel: Channel | str = Channel.COUNTER
) -> SaleView:
    """The sale with its lines, what is returnable, and the policy's verdict on each line.

    ``order_no`` may be typed or scanned from the receipt. ``channel`` is the channel of the
    return being prepared; it decides the refund methods offered. Raises ``NotFound`` for an
    unknown order number.
    """
    actor.require(Permission.FIND_SALES)
    try:
        channel = Channel(channel)
    except ValueError:
        raise ValidationFailed(
            msg("'{channel}' is not a return channel; use counter or remote.", channel=channel)
        ) from None
    now = ctx.now()
    with ctx.read_core(actor, one_statement=True) as read:
        # The order with its customer, the policy in force, the site's zone, its lines and its
        # returns, and the actor's check: one statement (the policy version's row once per process).
        rows = read.rows(_SALE, {"order_no": canonical_order_no(order_no), "now": now})
        if not rows:
            raise NotFound(order_not_found(order_no))
        policy_id = next(row.policy_id for row in rows if row.kind == 0)
        # The version's row is read once per process (a published version never changes).
        policy = refcache.policy_row(read.conn, policy_id) if policy_id is not None else None
    if policy is None:
        raise NotFound(
            msg("No return policy is in force. An administrator must publish one before returns can be taken.")
        )
    return _sale_view(rows, policy, channel, now)


def list_reasons(ctx: ServiceContext, *, include_inactive: bool = False) -> list[ReasonView]:
    """Return reasons in display order; the counter offers the active ones only."""
    with ctx.db.read() as s:
        return list(load_reasons(s, include_inactive=include_inactive).values())


def active_policy(ctx: ServiceContext) -> PolicyView:
    """The policy version new returns are judged by."""
    with ctx.db.read() as s:
        return load_active_policy(s, ctx.now())
