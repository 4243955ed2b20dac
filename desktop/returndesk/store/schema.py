"""The database schema (SQLAlchemy 2.x typed declarative).

Money columns hold integer minor units (``*_minor``). Codes (status, grade, disposition...) are the
values of the enums in :mod:`returndesk.domain.types`, stored as short strings. Every table a
station searches has an index for that search.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text, true
from sqlalchemy.orm import DeclarativeBase, Mapped, instrumentation, mapped_column, relationship
from sqlalchemy.orm.attributes import instance_dict

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = BigInteger
#: The statuses of open returns (domain.analytics.OPEN_STAGES), as the partial indexes' condition.
OPEN_RETURNS_SQL = ("status IN ('requested', 'waiting_for_customer', 'authorized', 'received', 'inspected', "
                    "'awaiting_approval', 'approved')")
# SQLite only auto-increments INTEGER PRIMARY KEY; BigInteger ids map to INTEGER there.
Id = BigInteger().with_variant(Integer(), "sqlite")


#: Per mapped class, the attributes its constructor writes straight into the new object's state
#: (see :meth:`Base.__init__`).
_PLAIN_KEYS: dict[type, frozenset[str]] = {}


def _plain_keys(cls: type) -> frozenset[str]:
    """The attributes of ``cls`` that are a column of its own, with nothing listening to their
    changes: what the constructor may write without the attribute's instrumentation."""
    manager = instrumentation.manager_of_class(cls)
    mapper = manager.mapper
    keys = frozenset(
        prop.key for prop in mapper.column_attrs
        if not manager[prop.key].dispatch.set and prop.key not in mapper.validators)
    _PLAIN_KEYS[cls] = keys
    return keys


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)

    def __init__(self, **kwargs: object) -> None:
        """A new row's object from its attributes by keyword, as SQLAlchemy's declarative
        constructor makes it, its columns written straight into the object's state: a new
        object has no history to keep (its first INSERT writes every value it holds, and then
        holds them as loaded). Anything else (a relationship, say) is set as an attribute."""
        cls = type(self)
        plain = _PLAIN_KEYS.get(cls) or _plain_keys(cls)
        loaded = instance_dict(self)
        for key, value in kwargs.items():
            if key in plain:
                loaded[key] = value
            elif hasattr(cls, key):
                setattr(self, key, value)
            else:
                raise TypeError(f"{key!r} is an invalid keyword argument for {cls.__name__}")


def _ts() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True))


# --------------------------------------------------------------------------- reference data


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    email: Mapped[str | None] = mapped_column(String(160))
    address: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _ts()
    # Search keys computed by the database, so every writer (counter, import, bulk load) keeps
    # them right. The folded name is byte-ordered ("C") on PostgreSQL so that a range on its index
    # finds a name prefix whatever the server's locale; the phone tail (last four characters)
    # turns "the last digits of the phone" into an index lookup instead of a table scan.
    name_fold: Mapped[str | None] = mapped_column(
        String(120).with_variant(String(120, collation="C"), "postgresql"),
        Computed("lower(name)", persisted=True),
        index=True,
    )
    phone_tail: Mapped[str | None] = mapped_column(
        String(32), Computed("substr(phone, length(phone) - 3)", persisted=True), index=True
    )


class CustomerWatch(Base):
    """A customer a supervisor put on the watch list after a risk review: refunds to them are never
    approved automatically. The note says why; clearing the flag keeps the row (and the audit)."""

    __tablename__ = "customer_watch"
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    watched: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = _ts()


class StageTarget(Base):
    """How many hours a return may wait in a stage before the ageing view counts it late, as the
    shop set it (stages without a row keep the default of ``domain.analytics``)."""

    __tablename__ = "stage_targets"
    stage: Mapped[str] = mapped_column(String(24), primary_key=True)
    hours: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = _ts()


class Supplier(Base):
    __tablename__ = "suppliers"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(Text)  # where returns to the vendor are sent
    rtv_contact: Mapped[str | None] = mapped_column(String(160))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(160))
    # What the supplier gives back for a return to vendor: credit_at_cost | cost_minus_fee | replacement
    rtv_terms: Mapped[str] = mapped_column(String(24), default="credit_at_cost", server_default="credit_at_cost")
    rtv_handling_fee_minor: Mapped[int] = mapped_column(Money, default=0, server_default="0")  # per unit
    rtv_min_claim_minor: Mapped[int] = mapped_column(Money, default=0, server_default="0")  # no claim below


class Category(Base):
    __tablename__ = "categories"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(80))
    name_zh: Mapped[str] = mapped_column(String(80))
    # The category's own return window in days (None: the policy's general window) and whether its
    # goods can be returned at all; the policy in force applies both (sales.load_active_policy).
    return_window_days: Mapped[int | None] = mapped_column(Integer)
    returnable: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    barcode: Mapped[str | None] = mapped_column(String(20), index=True)  # EAN-13 / UPC-A as EAN-13
    name: Mapped[str] = mapped_column(String(160))
    name_zh: Mapped[str | None] = mapped_column(String(160))
    category: Mapped[str] = mapped_column(ForeignKey("categories.code"))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))
    price_minor: Mapped[int] = mapped_column(Money)
    cost_minor: Mapped[int] = mapped_column(Money)
    tax_rate_bp: Mapped[int] = mapped_column(Integer, default=1300)  # basis points: 1300 = 13 %
    returnable: Mapped[bool] = mapped_column(Boolean, default=True)
    serial_tracked: Mapped[bool] = mapped_column(Boolean, default=False)
    # One article in several sizes or colours: its products share a style code; ``variant`` says
    # which one this is ("Size 42", "Blue"). An exchange offers the other variants first.
    style_code: Mapped[str | None] = mapped_column(String(40), index=True)
    variant: Mapped[str | None] = mapped_column(String(60))
    # standard: the policy's restocking fee applies; exempt: never charged for this product.
    restocking_fee_class: Mapped[str] = mapped_column(String(16), default="standard", server_default="standard")
    # The supplier's own code for this product (its article number), printed on claims' packing lists.
    supplier_sku: Mapped[str | None] = mapped_column(String(40))


class ProductBarcode(Base):
    """Every barcode a product is sold under (EAN-13, UPC-A, the shop's own); ``products.barcode``
    keeps the first of them for documents and quick scans."""

    __tablename__ = "product_barcodes"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    barcode: Mapped[str] = mapped_column(String(40), unique=True)


class ImportProfile(Base):
    """A saved column mapping of one source's files (the ERP's product export, the shop's orders):
    ``mapping_json`` maps each header of the file to a field, or to "" to leave the column out."""

    __tablename__ = "import_profiles"
    __table_args__ = (UniqueConstraint("kind", "name"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # products | customers | suppliers | categories | orders
    name: Mapped[str] = mapped_column(String(80))
    mapping_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = _ts()
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SalesOrder(Base):
    __tablename__ = "sales_orders"
    # Return rates divide by what was sold in a period.
    __table_args__ = (Index("ix_sales_orders_sold", "sold_at", "id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    order_no: Mapped[str] = mapped_column(String(40), unique=True)
    channel: Mapped[str] = mapped_column(String(16))  # store | online | phone
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    sold_at: Mapped[datetime] = _ts()
    delivered_at: Mapped[datetime | None] = _ts()
    payment_method: Mapped[str] = mapped_column(String(24))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    shipping_minor: Mapped[int] = mapped_column(Money, default=0)
    total_paid_minor: Mapped[int] = mapped_column(Money)
    site: Mapped[str | None] = mapped_column(String(32))
    # The number of the (blue) VAT invoice issued for the sale, which a red-letter credit note cites.
    invoice_no: Mapped[str | None] = mapped_column(String(40))
    lines: Mapped[list[SalesOrderLine]] = relationship(
        back_populates="order", order_by="SalesOrderLine.line_no"
    )


class SalesOrderLine(Base):
    __tablename__ = "sales_order_lines"
    __table_args__ = (UniqueConstraint("order_id", "line_no", name="order_line_no"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"))
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_minor: Mapped[int] = mapped_column(Money)  # list price per unit, before discount
    discount_minor: Mapped[int] = mapped_column(Money, default=0)  # whole line
    tax_minor: Mapped[int] = mapped_column(Money, default=0)  # whole line, included in paid
    paid_minor: Mapped[int] = mapped_column(Money)  # whole line, after discount, with tax
    serial_numbers: Mapped[str | None] = mapped_column(Text)  # comma separated
    # Running totals kept by the services under a row lock, so that concurrent returns of the
    # same line can never exceed what was purchased or paid.
    qty_in_process: Mapped[int] = mapped_column(Integer, default=0)
    qty_returned: Mapped[int] = mapped_column(Integer, default=0)
    refunded_minor: Mapped[int] = mapped_column(Money, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    order: Mapped[SalesOrder] = relationship(back_populates="lines")
    __mapper_args__ = {"version_id_col": version}


class ReturnPolicy(Base):
    __tablename__ = "return_policies"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(80))
    rules_json: Mapped[str] = mapped_column(Text)
    effective_from: Mapped[datetime] = _ts()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = _ts()
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ReturnReason(Base):
    __tablename__ = "return_reasons"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(80))
    name_zh: Mapped[str] = mapped_column(String(80))
    vendor_fault: Mapped[bool] = mapped_column(Boolean, default=False)
    allowed_resolutions: Mapped[str] = mapped_column(String(40), default="refund,exchange")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class ReasonVersion(Base):
    """One row (id 1): a number the database moves on whenever the return reasons change (a
    trigger on ``return_reasons``, :mod:`returndesk.store.reason_versions`). Stations keep the
    reasons per process and read this number with the order at intake: a different number means
    the reasons are read again."""

    __tablename__ = "reason_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    approval_limit_minor: Mapped[int] = mapped_column(Money, default=0)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = _ts()
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = _ts()
    version: Mapped[int] = mapped_column(Integer, default=1)
    # SHA-256 of the code on the user's badge: a supervisor signs off on a clerk's screen by
    # scanning it. Only the hash is kept.
    badge_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    __mapper_args__ = {"version_id_col": version}


class Site(Base):
    """A shop or warehouse. Its time zone decides the calendar days of its sales' return windows
    and the times its screens and documents show; stored times stay UTC."""

    __tablename__ = "sites"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16), default="store")  # store | warehouse
    time_zone: Mapped[str] = mapped_column(String(64))  # IANA name, e.g. Asia/Shanghai
    return_address: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = _ts()


class Station(Base):
    __tablename__ = "stations"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))  # counter | inspection | supervisor
    site: Mapped[str | None] = mapped_column(String(32))
    settings_json: Mapped[str] = mapped_column(Text, default="{}")  # printer routing etc.


# --------------------------------------------------------------------------- returns


class Return(Base):
    __tablename__ = "returns"
    __table_args__ = (
        Index("ix_returns_status_changed", "status", "status_changed_at", "id"),
        Index("ix_returns_created", "created_at", "id"),
        Index("ix_returns_approval_queue", "approval_level", "status", "status_changed_at"),
        # The receiving dock's expected-returns list: authorized returns by arrival deadline.
        Index("ix_returns_expected", "status", "receive_by", "id"),
        # Customer service's review queue: requests in the order they were made.
        Index("ix_returns_status_created", "status", "created_at", "id"),
        # The analytics' ageing and stuck returns: open returns only (a small index at any size).
        Index("ix_returns_open_status", "status", "status_changed_at",
              sqlite_where=text(OPEN_RETURNS_SQL), postgresql_where=text(OPEN_RETURNS_SQL)),
        Index("ix_returns_open_since", "status_changed_at", "id",
              sqlite_where=text(OPEN_RETURNS_SQL), postgresql_where=text(OPEN_RETURNS_SQL)),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    rma_no: Mapped[str] = mapped_column(String(20), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(24))
    status_changed_at: Mapped[datetime] = _ts()
    status_changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    policy_id: Mapped[int] = mapped_column(ForeignKey("return_policies.id"))
    in_policy: Mapped[bool] = mapped_column(Boolean, default=True)
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    refund_method: Mapped[str] = mapped_column(String(24))
    resolution: Mapped[str] = mapped_column(String(16), default="refund")
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = _ts()
    created_station: Mapped[str | None] = mapped_column(String(40))
    receive_by: Mapped[date | None] = mapped_column(Date)
    received_at: Mapped[datetime | None] = _ts()
    received_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    inspected_at: Mapped[datetime | None] = _ts()
    inspected_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approval_level: Mapped[str | None] = mapped_column(String(16))
    approval_reasons: Mapped[str | None] = mapped_column(Text)
    refund_total_minor: Mapped[int] = mapped_column(Money, default=0)
    deductions_minor: Mapped[int] = mapped_column(Money, default=0)
    shipping_refund_minor: Mapped[int] = mapped_column(Money, default=0)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    notes: Mapped[str | None] = mapped_column(Text)
    # When customer service sent the return label to the web shop that made the request.
    label_sent_at: Mapped[datetime | None] = _ts()
    version: Mapped[int] = mapped_column(Integer, default=1)
    lines: Mapped[list[ReturnLine]] = relationship(
        back_populates="ret", order_by="ReturnLine.line_no"
    )
    __mapper_args__ = {"version_id_col": version}


class ReturnLine(Base):
    __tablename__ = "return_lines"
    __table_args__ = (
        UniqueConstraint("return_id", "line_no", name="return_line_no"),
        CheckConstraint("qty_requested > 0", name="qty_positive"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"))
    line_no: Mapped[int] = mapped_column(Integer)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("sales_order_lines.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    qty_requested: Mapped[int] = mapped_column(Integer)
    qty_authorized: Mapped[int] = mapped_column(Integer, default=0)
    qty_received: Mapped[int] = mapped_column(Integer, default=0)
    qty_accepted: Mapped[int] = mapped_column(Integer, default=0)
    qty_rejected: Mapped[int] = mapped_column(Integer, default=0)
    reason_code: Mapped[str] = mapped_column(ForeignKey("return_reasons.code"))
    resolution: Mapped[str] = mapped_column(String(16), default="refund")
    condition_notes: Mapped[str | None] = mapped_column(Text)
    conditions_met: Mapped[str | None] = mapped_column(String(200))  # comma separated codes
    policy_status: Mapped[str] = mapped_column(String(20))
    policy_note: Mapped[str | None] = mapped_column(Text)
    grade: Mapped[str | None] = mapped_column(String(1))
    disposition: Mapped[str | None] = mapped_column(String(24))
    short_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    refund_minor: Mapped[int] = mapped_column(Money, default=0)
    fee_minor: Mapped[int] = mapped_column(Money, default=0)
    deduction_minor: Mapped[int] = mapped_column(Money, default=0)
    tax_minor: Mapped[int] = mapped_column(Money, default=0)
    exchange_product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    # Which units of the order line this line holds ("0-2,5"; see returndesk.domain.units): each
    # unit's share of paid, tax and shipping is fixed, so a refund never depends on other returns.
    # Held from the RMA on; units never received or rejected are freed, refunded units stay.
    units_held: Mapped[str | None] = mapped_column(Text)
    # The customer asked for an exchange and changed their mind at the counter: the line may then
    # be refunded. Who recorded it and when.
    changed_mind_at: Mapped[datetime | None] = _ts()
    changed_mind_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ret: Mapped[Return] = relationship(back_populates="lines")


class ReturnQuestion(Base):
    """A question customer service asked the customer about a return request, and the answer
    (``answered_by`` None: the customer answered through the status page or the web shop)."""

    __tablename__ = "return_questions"
    __table_args__ = (Index("ix_return_questions_return", "return_id", "id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"))
    question: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = _ts()
    asked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = _ts()
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class InspectionUnit(Base):
    """One physical unit seen at inspection (also over-received and wrong items)."""

    __tablename__ = "inspection_units"
    # The risk review looks up each returned serial number on earlier returns.
    __table_args__ = (Index("ix_inspection_units_serial", "serial_no", "inspected_at"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    return_line_id: Mapped[int | None] = mapped_column(ForeignKey("return_lines.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    scanned_code: Mapped[str | None] = mapped_column(String(80))
    serial_no: Mapped[str | None] = mapped_column(String(80))
    outcome: Mapped[str] = mapped_column(String(16))
    grade: Mapped[str | None] = mapped_column(String(1))
    disposition: Mapped[str | None] = mapped_column(String(24))
    packaging_intact: Mapped[bool | None] = mapped_column(Boolean)
    accessories_complete: Mapped[bool | None] = mapped_column(Boolean)
    serial_matches: Mapped[bool | None] = mapped_column(Boolean)
    functional: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)
    inspected_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    inspected_at: Mapped[datetime] = _ts()
    station: Mapped[str | None] = mapped_column(String(40))


class UnexpectedParcel(Base):
    """A parcel that arrived without a usable RMA."""

    __tablename__ = "unexpected_parcels"
    __table_args__ = (Index("ix_unexpected_parcels_status", "status", "received_at", "id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    received_at: Mapped[datetime] = _ts()
    received_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str | None] = mapped_column(String(40))
    tracking_no: Mapped[str | None] = mapped_column(String(80))
    sender: Mapped[str | None] = mapped_column(String(160))
    order_hint: Mapped[str | None] = mapped_column(String(80))
    contents: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | matched | returned
    matched_return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"))


class Approval(Base):
    __tablename__ = "approvals"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    level: Mapped[str] = mapped_column(String(16))
    decision: Mapped[str] = mapped_column(String(16))  # approved | rejected | override | auto
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = _ts()
    reason: Mapped[str | None] = mapped_column(Text)
    amount_minor: Mapped[int] = mapped_column(Money, default=0)


class Refund(Base):
    __tablename__ = "refunds"
    # Finance exports refunds by issue date, page by page.
    __table_args__ = (Index("ix_refunds_issued", "issued_at", "id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    refund_no: Mapped[str] = mapped_column(String(24), unique=True)
    # One refund per return: the unique constraint makes "issued at most once" hold even if two
    # stations race past every other check.
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), unique=True)
    method: Mapped[str] = mapped_column(String(24))
    amount_minor: Mapped[int] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    issued_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = _ts()
    station: Mapped[str | None] = mapped_column(String(40))
    external_ref: Mapped[str | None] = mapped_column(String(80))
    credit_note_id: Mapped[int | None] = mapped_column(ForeignKey("credit_notes.id"))
    # The counter's cash shift a cash refund was paid out of (None: not cash, or no shift kept).
    cash_shift_id: Mapped[int | None] = mapped_column(ForeignKey("cash_shifts.id"), index=True)


class RefundLine(Base):
    __tablename__ = "refund_lines"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    refund_id: Mapped[int] = mapped_column(ForeignKey("refunds.id"), index=True)
    return_line_id: Mapped[int] = mapped_column(ForeignKey("return_lines.id"))
    order_line_id: Mapped[int] = mapped_column(ForeignKey("sales_order_lines.id"), index=True)
    amount_minor: Mapped[int] = mapped_column(Money)
    tax_minor: Mapped[int] = mapped_column(Money, default=0)


class ReplacementOrder(Base):
    """The replacement side of an exchange; reserves stock until shipped or handed over."""

    __tablename__ = "replacement_orders"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    order_no: Mapped[str] = mapped_column(String(24), unique=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16))  # reserved | fulfilled | cancelled
    value_minor: Mapped[int] = mapped_column(Money)  # price of the replacement goods
    credit_minor: Mapped[int] = mapped_column(Money)  # approved value of the returned goods
    difference_minor: Mapped[int] = mapped_column(Money)  # >0 collect from customer, <0 refund
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = _ts()
    fulfilment: Mapped[str | None] = mapped_column(String(16))  # counter | ship
    # The positive difference as collected from the customer at the counter.
    collected_minor: Mapped[int | None] = mapped_column(Money)
    collected_method: Mapped[str | None] = mapped_column(String(24))
    collected_at: Mapped[datetime | None] = _ts()
    collected_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The counter's cash shift whose drawer took a difference paid in cash.
    cash_shift_id: Mapped[int | None] = mapped_column(ForeignKey("cash_shifts.id"), index=True)
    lines: Mapped[list[ReplacementLine]] = relationship(back_populates="order")


class ReplacementLine(Base):
    __tablename__ = "replacement_lines"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    replacement_id: Mapped[int] = mapped_column(ForeignKey("replacement_orders.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_minor: Mapped[int] = mapped_column(Money)
    order: Mapped[ReplacementOrder] = relationship(back_populates="lines")


# --------------------------------------------------------------------------- stock and finance


class StockLocation(Base):
    __tablename__ = "stock_locations"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    internal: Mapped[bool] = mapped_column(Boolean, default=True)  # False: customer / outside


class StockMovement(Base):
    __tablename__ = "stock_movements"
    __table_args__ = (
        Index("ix_stock_movements_product_to", "product_id", "to_location_id"),
        Index("ix_stock_movements_product_from", "product_id", "from_location_id"),
        CheckConstraint("quantity > 0", name="qty_positive"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    from_location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"))
    to_location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = _ts()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class RtvClaim(Base):
    """A claim against a supplier (退供单): units going back to it, and what it owes for them."""

    __tablename__ = "rtv_claims"
    __table_args__ = (Index("ix_rtv_claims_supplier_status", "supplier_id", "status", "id"),
                      Index("ix_rtv_claims_status", "status", "id"))
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    claim_no: Mapped[str] = mapped_column(String(24), unique=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = _ts()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime | None] = _ts()
    vendor_rma_no: Mapped[str | None] = mapped_column(String(40))
    authorised_on: Mapped[date | None] = mapped_column(Date)
    shipped_at: Mapped[datetime | None] = _ts()
    shipped_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The supplier's terms when the claim shipped (the master data may change afterwards).
    terms: Mapped[str | None] = mapped_column(String(24))
    cost_minor: Mapped[int] = mapped_column(Money, default=0)
    fee_minor: Mapped[int] = mapped_column(Money, default=0)
    value_minor: Mapped[int] = mapped_column(Money, default=0)
    answered_at: Mapped[datetime | None] = _ts()
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    credit_note_no: Mapped[str | None] = mapped_column(String(40))
    credited_minor: Mapped[int] = mapped_column(Money, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class RtvClaimUnit(Base):
    """One inspected unit on a claim; a unit is on at most one claim."""

    __tablename__ = "rtv_claim_units"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("rtv_claims.id"), index=True)
    inspection_unit_id: Mapped[int] = mapped_column(ForeignKey("inspection_units.id"), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    cost_minor: Mapped[int] = mapped_column(Money)  # purchase cost when added
    added_at: Mapped[datetime] = _ts()
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(String(16))  # accepted | available | scrap


class RefurbishJob(Base):
    """A unit disposed for refurbishment and what became of it: worked and back in available stock at
    a new grade, or scrapped (with its reason and, above the policy's limit, who signed it off)."""

    __tablename__ = "refurbish_jobs"
    __table_args__ = (Index("ix_refurbish_jobs_status", "status", "id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    inspection_unit_id: Mapped[int] = mapped_column(ForeignKey("inspection_units.id"), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    status: Mapped[str] = mapped_column(String(16))  # refurbished | scrapped
    cost_minor: Mapped[int] = mapped_column(Money)  # the unit's purchase cost when finished
    parts_cost_minor: Mapped[int] = mapped_column(Money, default=0)
    repair_note: Mapped[str | None] = mapped_column(Text)
    new_grade: Mapped[str | None] = mapped_column(String(1))
    scrap_reason: Mapped[str | None] = mapped_column(Text)
    signed_off_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    finished_at: Mapped[datetime] = _ts()
    finished_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CreditNote(Base):
    __tablename__ = "credit_notes"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    issued_at: Mapped[datetime] = _ts()
    net_minor: Mapped[int] = mapped_column(Money)
    tax_minor: Mapped[int] = mapped_column(Money)
    total_minor: Mapped[int] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")


class JournalEntry(Base):
    __tablename__ = "journal_entries"
    __table_args__ = (Index("ix_journal_entries_posted", "posted_at", "id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    entry_no: Mapped[str] = mapped_column(String(24), unique=True)
    posted_at: Mapped[datetime] = _ts()
    return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"), index=True)
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refunds.id"))
    memo: Mapped[str] = mapped_column(String(200))
    lines: Mapped[list[JournalLine]] = relationship(back_populates="entry")


class JournalLine(Base):
    __tablename__ = "journal_lines"
    __table_args__ = (
        CheckConstraint("debit_minor >= 0 AND credit_minor >= 0", name="non_negative"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entries.id"), index=True)
    account: Mapped[str] = mapped_column(String(40))
    debit_minor: Mapped[int] = mapped_column(Money, default=0)
    credit_minor: Mapped[int] = mapped_column(Money, default=0)
    memo: Mapped[str | None] = mapped_column(String(200))
    entry: Mapped[JournalEntry] = relationship(back_populates="lines")


class CashShift(Base):
    """A counter station's cash drawer from opening (with its float) to closing (counted).

    ``open_station`` holds the station code while the shift is open and NULL once it is closed:
    its unique constraint lets each station have one open shift at most, on either database.
    """

    __tablename__ = "cash_shifts"
    __table_args__ = (Index("ix_cash_shifts_opened", "opened_at", "id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    shift_no: Mapped[str] = mapped_column(String(24), unique=True)
    station: Mapped[str] = mapped_column(String(40), index=True)
    open_station: Mapped[str | None] = mapped_column(String(40), unique=True)
    site: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))  # open | closed
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    float_minor: Mapped[int] = mapped_column(Money)
    opened_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = _ts()
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = _ts()
    expected_minor: Mapped[int | None] = mapped_column(Money)
    counted_minor: Mapped[int | None] = mapped_column(Money)
    difference_minor: Mapped[int | None] = mapped_column(Money)  # counted - expected
    entry_no: Mapped[str | None] = mapped_column(String(24))  # the journal entry of the difference
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class StoreCreditEntry(Base):
    """One movement of a customer's store-credit balance: issued by a refund (positive) or spent
    (negative). The balance is the sum; it never goes below zero."""

    __tablename__ = "store_credit_entries"
    __table_args__ = (Index("ix_store_credit_entries_customer", "customer_id", "id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    amount_minor: Mapped[int] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refunds.id"))
    reference: Mapped[str | None] = mapped_column(String(40))  # RMA, replacement order, ...
    memo: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = _ts()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class PolicyDraft(Base):
    """The return policy being prepared by an administrator before it is published."""

    __tablename__ = "policy_drafts"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    rules_json: Mapped[str] = mapped_column(Text)
    base_version: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = _ts()
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = _ts()
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class NumberSequence(Base):
    __tablename__ = "number_sequences"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_value: Mapped[int] = mapped_column(BigInteger, default=1)


class AuditEvent(Base):
    """Append-only; each event's hash covers its content and the previous event's hash.

    ``hash_version`` names the hash's format (:mod:`returndesk.store.audit_chain`): events written
    before the format that PostgreSQL computes itself keep theirs and still verify."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity", "entity_id", "seq"),)
    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime] = _ts()
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str | None] = mapped_column(String(40))
    station: Mapped[str | None] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    hash_version: Mapped[int] = mapped_column(Integer, server_default="1")


class AuditHead(Base):
    """One row: the last sequence number and hash. Locking it serialises the chain."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


class PrintLog(Base):
    __tablename__ = "print_log"
    __table_args__ = (Index("ix_print_log_doc", "doc_type", "reference"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(24))
    reference: Mapped[str] = mapped_column(String(40))  # RMA, credit note number, ...
    copy_no: Mapped[int] = mapped_column(Integer)  # 1 = original, 2.. = reprints
    printed_at: Mapped[datetime] = _ts()
    printed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str | None] = mapped_column(String(40))
    destination: Mapped[str] = mapped_column(String(160))  # printer name or "pdf:<file>"


# --------------------------------------------------------------------------- the server


class ServerSession(Base):
    """A station's signed-in session at the ReturnDesk server. Only the token's SHA-256 is kept."""

    __tablename__ = "server_sessions"
    __table_args__ = (Index("ix_server_sessions_user", "user_id", "revoked_at"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str | None] = mapped_column(String(40))
    client: Mapped[str | None] = mapped_column(String(80))  # address the sign-in came from
    created_at: Mapped[datetime] = _ts()
    expires_at: Mapped[datetime] = _ts()
    last_seen_at: Mapped[datetime] = _ts()
    revoked_at: Mapped[datetime | None] = _ts()
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ApiKey(Base):
    """A key another system (web shop, ERP, supplier portal) calls the API with; stored hashed."""

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown to tell keys apart; not a secret
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(400))  # space-separated
    # The user the key acts as in the audit trail and on the returns it creates (cannot sign in).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = _ts()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None] = _ts()
    revoked_at: Mapped[datetime | None] = _ts()


class IdempotencyKey(Base):
    """The answer given to a request that carried an idempotency key, replayed on a retry."""

    __tablename__ = "idempotency_keys"
    principal: Mapped[str] = mapped_column(String(60), primary_key=True)  # "user:7" or "key:3"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = _ts()


class WebhookEndpoint(Base):
    """A receiver of events (finance, purchasing, a supplier portal). Delivered in order, per endpoint."""

    __tablename__ = "webhook_endpoints"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    url: Mapped[str] = mapped_column(String(400))
    secret: Mapped[str] = mapped_column(String(100))  # signs each delivery (HMAC-SHA256)
    event_types: Mapped[str] = mapped_column(String(400))  # space-separated prefixes; "*" for all
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    delivered_through: Mapped[int] = mapped_column(BigInteger, default=0)  # last outbox id delivered
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failures of the event now due
    next_attempt_at: Mapped[datetime | None] = _ts()
    last_error: Mapped[str | None] = mapped_column(String(400))
    last_delivered_at: Mapped[datetime | None] = _ts()
    created_at: Mapped[datetime] = _ts()


class OutboxEvent(Base):
    """An event for webhooks, written in the same transaction as the change it reports."""

    __tablename__ = "outbox_events"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    occurred_at: Mapped[datetime] = _ts()
    event_type: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(40))  # RMA, claim number, ...
    payload_json: Mapped[str] = mapped_column(Text)


# --------------------------------------------------------------------------- analytics summaries
#
# The dashboard's figures read these instead of the base tables. They are refreshed from a
# watermark (:mod:`returndesk.services.tx.summaries`), never written by a station's transaction.
# ``hour`` is the UTC hour as text, 'YYYY-MM-DD HH': any site's calendar days are whole hours.


class AnalyticsWatermark(Base):
    """How far each summary has been brought: the last audit sequence, sales order and stock move."""

    __tablename__ = "analytics_watermarks"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
    refreshed_at: Mapped[datetime] = _ts()


class AnalyticsCreatedHour(Base):
    """Returns created (not drafts, not cancelled) per hour, sale's site and channel, station and reason."""

    __tablename__ = "analytics_created_hourly"
    __table_args__ = (Index("ix_analytics_created_hourly_hour", "hour"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    hour: Mapped[str] = mapped_column(String(13))
    order_site: Mapped[str | None] = mapped_column(String(32))
    station: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(16))
    reason_code: Mapped[str] = mapped_column(String(32))
    returns: Mapped[int] = mapped_column(Integer)  # with a line of this reason
    first_returns: Mapped[int] = mapped_column(Integer)  # whose first line has this reason (they add up)
    units: Mapped[int] = mapped_column(Integer)
    value_minor: Mapped[int] = mapped_column(Money)


class AnalyticsSoldHour(Base):
    """Units and paid value sold per hour of the sale, site, channel and product."""

    __tablename__ = "analytics_sold_hourly"
    __table_args__ = (Index("ix_analytics_sold_hourly_hour", "hour"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    hour: Mapped[str] = mapped_column(String(13))
    site: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    product_id: Mapped[int] = mapped_column(BigInteger)
    units: Mapped[int] = mapped_column(Integer)
    value_minor: Mapped[int] = mapped_column(Money)


class AnalyticsReturnedHour(Base):
    """Units and value that came back (not rejected, cancelled or expired) per hour of their sale."""

    __tablename__ = "analytics_returned_hourly"
    __table_args__ = (Index("ix_analytics_returned_hourly_hour", "hour"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    hour: Mapped[str] = mapped_column(String(13))
    site: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    product_id: Mapped[int] = mapped_column(BigInteger)
    units: Mapped[int] = mapped_column(Integer)
    value_minor: Mapped[int] = mapped_column(Money)


class AnalyticsRefundHour(Base):
    """Refunds issued per hour, the return's sale site and station, and method, with what they kept."""

    __tablename__ = "analytics_refunds_hourly"
    __table_args__ = (Index("ix_analytics_refunds_hourly_hour", "hour"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    hour: Mapped[str] = mapped_column(String(13))
    order_site: Mapped[str | None] = mapped_column(String(32))
    station: Mapped[str | None] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(24))
    refunds: Mapped[int] = mapped_column(Integer)
    amount_minor: Mapped[int] = mapped_column(Money)
    deductions_minor: Mapped[int] = mapped_column(Money)
    fees_minor: Mapped[int] = mapped_column(Money)


class AnalyticsMoveHour(Base):
    """Units of returns moved into (+) and out of (-) a stock location per hour and product."""

    __tablename__ = "analytics_moves_hourly"
    __table_args__ = (Index("ix_analytics_moves_hourly_hour", "hour"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    hour: Mapped[str] = mapped_column(String(13))
    order_site: Mapped[str | None] = mapped_column(String(32))
    station: Mapped[str | None] = mapped_column(String(40))
    product_id: Mapped[int] = mapped_column(BigInteger)
    location_id: Mapped[int] = mapped_column(BigInteger)
    units: Mapped[int] = mapped_column(Integer)


class AnalyticsInspectionHour(Base):
    """Units inspected per hour, station and inspector; a return counts where its first unit was."""

    __tablename__ = "analytics_inspections_hourly"
    __table_args__ = (Index("ix_analytics_inspections_hourly_hour", "hour"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    hour: Mapped[str] = mapped_column(String(13))
    station: Mapped[str | None] = mapped_column(String(40))
    inspector_id: Mapped[int] = mapped_column(BigInteger)
    units: Mapped[int] = mapped_column(Integer)
    station_returns: Mapped[int] = mapped_column(Integer)  # first unit of the return at this station
    inspector_returns: Mapped[int] = mapped_column(Integer)  # first unit of the return by this inspector


class AnalyticsStay(Base):
    """One stay of a return (not a draft, not cancelled) in a stage: from the audit event that
    entered it to the next one that entered another (``seconds`` NULL while it lasts)."""

    __tablename__ = "analytics_stays"
    __table_args__ = (
        Index("ix_analytics_stays_created", "created_at", "stage"),
        Index("ix_analytics_stays_entered", "entered_at", "stage"),
        Index("ix_analytics_stays_return", "return_id"),
        # The trend's exact median: the stays of one stage and bucket begun in a period (covering).
        Index("ix_analytics_stays_bucket", "stage", "bucket", "entered_at", "seconds"),
        # Stays of a return that was in the stage more than once (summed per return when read).
        Index("ix_analytics_stays_repeated", "entered_at", sqlite_where=text("bucket = -1"),
              postgresql_where=text("bucket = -1")),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    return_id: Mapped[int] = mapped_column(BigInteger)
    stage: Mapped[str] = mapped_column(String(24))
    entered_at: Mapped[datetime] = _ts()
    seconds: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = _ts()
    order_site: Mapped[str | None] = mapped_column(String(32))
    station: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(16))
    #: The histogram bucket of ``seconds`` (summaries.stay_bucket); -1 when the return has more
    #: than one ended stay in the stage, NULL while the stay lasts.
    bucket: Mapped[int | None] = mapped_column(Integer)


# Day roll-ups: the hourly summaries summed per calendar day of the installation's zone
# (``analytics_days`` lists each day with its UTC hours), so that a period of months reads a row
# per day and key; the hours of a period not covered by whole days are read from the hourly ones.


class AnalyticsDay(Base):
    """A calendar day of the roll-ups: its first UTC hour and the first hour after it."""

    __tablename__ = "analytics_days"
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    first_hour: Mapped[str] = mapped_column(String(13))
    end_hour: Mapped[str] = mapped_column(String(13))


class AnalyticsSoldDay(Base):
    __tablename__ = "analytics_sold_daily"
    __table_args__ = (Index("ix_analytics_sold_daily_day", "day"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    day: Mapped[str] = mapped_column(String(10))
    site: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    product_id: Mapped[int] = mapped_column(BigInteger)
    units: Mapped[int] = mapped_column(Integer)
    value_minor: Mapped[int] = mapped_column(Money)


class AnalyticsReturnedDay(Base):
    __tablename__ = "analytics_returned_daily"
    __table_args__ = (Index("ix_analytics_returned_daily_day", "day"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    day: Mapped[str] = mapped_column(String(10))
    site: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    product_id: Mapped[int] = mapped_column(BigInteger)
    units: Mapped[int] = mapped_column(Integer)
    value_minor: Mapped[int] = mapped_column(Money)


class AnalyticsRefundDay(Base):
    __tablename__ = "analytics_refunds_daily"
    __table_args__ = (Index("ix_analytics_refunds_daily_day", "day"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    day: Mapped[str] = mapped_column(String(10))
    order_site: Mapped[str | None] = mapped_column(String(32))
    station: Mapped[str | None] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(24))
    refunds: Mapped[int] = mapped_column(Integer)
    amount_minor: Mapped[int] = mapped_column(Money)
    deductions_minor: Mapped[int] = mapped_column(Money)
    fees_minor: Mapped[int] = mapped_column(Money)


class AnalyticsMoveDay(Base):
    __tablename__ = "analytics_moves_daily"
    __table_args__ = (Index("ix_analytics_moves_daily_day", "day"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    day: Mapped[str] = mapped_column(String(10))
    order_site: Mapped[str | None] = mapped_column(String(32))
    station: Mapped[str | None] = mapped_column(String(40))
    product_id: Mapped[int] = mapped_column(BigInteger)
    location_id: Mapped[int] = mapped_column(BigInteger)
    units: Mapped[int] = mapped_column(Integer)


class AnalyticsRiskCustomer(Base):
    """Per customer, the risk review's figures over its window (the last ``RISK_WINDOW_DAYS`` of the
    installation's days, up to the refresh): returns and units requested (drafts and cancelled left
    out), units graded D worth at least the default threshold, serials seen on an earlier return,
    returns without a receipt; and the units they ever bought. Rebuilt per customer by the refresh
    as their returns change or leave the window; the watch flag is read live."""

    __tablename__ = "analytics_risk_customers"
    customer_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    returns: Mapped[int] = mapped_column(Integer)
    units: Mapped[int] = mapped_column(Integer)
    units_bought: Mapped[int] = mapped_column(Integer)
    high_value_d: Mapped[int] = mapped_column(Integer)
    serials_seen_before: Mapped[int] = mapped_column(Integer)
    no_receipt: Mapped[int] = mapped_column(Integer)


class AnalyticsReturnStage(Base):
    """Per return and stage, its ended stays summed (what the stage times rank), with its bucket."""

    __tablename__ = "analytics_return_stages"
    __table_args__ = (
        Index("ix_analytics_return_stages_bucket", "stage", "bucket", "created_at", "seconds"),
        Index("ix_analytics_return_stages_created", "created_at"),
        Index("ix_analytics_return_stages_return", "return_id"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    return_id: Mapped[int] = mapped_column(BigInteger)
    stage: Mapped[str] = mapped_column(String(24))
    stays: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    bucket: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = _ts()
    order_site: Mapped[str | None] = mapped_column(String(32))
    station: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(16))


class AnalyticsStageDay(Base):
    """Histogram of the stage times per day of the returns' creation: per stage and bucket."""

    __tablename__ = "analytics_stage_daily"
    __table_args__ = (Index("ix_analytics_stage_daily_day", "day"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    day: Mapped[str] = mapped_column(String(10))
    stage: Mapped[str] = mapped_column(String(24))
    bucket: Mapped[int] = mapped_column(Integer)
    returns: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    max_seconds: Mapped[float] = mapped_column(Float)


class AnalyticsTrendDay(Base):
    """Histogram of single stays (bucket >= 0) per day they began: per stage and bucket."""

    __tablename__ = "analytics_trend_daily"
    __table_args__ = (Index("ix_analytics_trend_daily_day", "day"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    day: Mapped[str] = mapped_column(String(10))
    stage: Mapped[str] = mapped_column(String(24))
    bucket: Mapped[int] = mapped_column(Integer)
    stays: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
