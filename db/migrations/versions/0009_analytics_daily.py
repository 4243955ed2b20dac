"""Analytics day roll-ups and stage-time histograms; open returns indexed on their own

* ``analytics_days``: the calendar days of the roll-ups (the installation's zone) with their UTC hours.
* ``analytics_sold_daily``, ``analytics_returned_daily``, ``analytics_refunds_daily``,
  ``analytics_moves_daily``: the hourly summaries of rates and money summed per day.
* ``analytics_return_stages``: per return and stage its ended stays summed, with a histogram bucket.
* ``analytics_stage_daily``, ``analytics_trend_daily``: histograms (counts and sums per stage and
  bucket) per day of creation and per day a stay began.
* ``analytics_stays.bucket``: each stay's bucket (-1 for a return in the stage more than once).
* ``ix_returns_open_status``, ``ix_returns_open_since``: partial indexes over open returns only.

The new tables start empty; the next refresh fills them from the hourly summaries and the stays
(no watermark moves back: the hourly summaries are not summed again).

Revision ID: 0009_analytics_daily
Revises: 0008_reason_versions
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_analytics_daily"
down_revision = "0008_reason_versions"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OPEN = ("status IN ('requested', 'waiting_for_customer', 'authorized', 'received', 'inspected', "
        "'awaiting_approval', 'approved')")

_DAILY = {
    "analytics_sold_daily": [
        ("site", sa.String(32), True), ("channel", sa.String(16), False), ("product_id", sa.BigInteger(), False),
        ("units", sa.Integer(), False), ("value_minor", sa.BigInteger(), False)],
    "analytics_returned_daily": [
        ("site", sa.String(32), True), ("channel", sa.String(16), False), ("product_id", sa.BigInteger(), False),
        ("units", sa.Integer(), False), ("value_minor", sa.BigInteger(), False)],
    "analytics_refunds_daily": [
        ("order_site", sa.String(32), True), ("station", sa.String(40), True), ("method", sa.String(24), False),
        ("refunds", sa.Integer(), False), ("amount_minor", sa.BigInteger(), False),
        ("deductions_minor", sa.BigInteger(), False), ("fees_minor", sa.BigInteger(), False)],
    "analytics_moves_daily": [
        ("order_site", sa.String(32), True), ("station", sa.String(40), True),
        ("product_id", sa.BigInteger(), False), ("location_id", sa.BigInteger(), False),
        ("units", sa.Integer(), False)],
    "analytics_stage_daily": [
        ("stage", sa.String(24), False), ("bucket", sa.Integer(), False), ("returns", sa.Integer(), False),
        ("seconds", sa.Float(), False), ("max_seconds", sa.Float(), False)],
    "analytics_trend_daily": [
        ("stage", sa.String(24), False), ("bucket", sa.Integer(), False), ("stays", sa.Integer(), False),
        ("seconds", sa.Float(), False)],
}


def upgrade() -> None:
    op.create_table(
        "analytics_days",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("first_hour", sa.String(length=13), nullable=False),
        sa.Column("end_hour", sa.String(length=13), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_analytics_days")),
    )
    for name, columns in _DAILY.items():
        op.create_table(
            name,
            sa.Column("id", Id, nullable=False),
            sa.Column("day", sa.String(length=10), nullable=False),
            *[sa.Column(col, type_, nullable=nullable) for col, type_, nullable in columns],
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        )
        op.create_index(f"ix_{name}_day", name, ["day"])
    op.create_table(
        "analytics_return_stages",
        sa.Column("id", Id, nullable=False),
        sa.Column("return_id", sa.BigInteger(), nullable=False),
        sa.Column("stage", sa.String(length=24), nullable=False),
        sa.Column("stays", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("order_site", sa.String(length=32), nullable=True),
        sa.Column("station", sa.String(length=40), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_return_stages")),
    )
    op.create_index("ix_analytics_return_stages_bucket", "analytics_return_stages",
                    ["stage", "bucket", "created_at", "seconds"])
    op.create_index("ix_analytics_return_stages_created", "analytics_return_stages", ["created_at"])
    op.create_index("ix_analytics_return_stages_return", "analytics_return_stages", ["return_id"])
    op.add_column("analytics_stays", sa.Column("bucket", sa.Integer(), nullable=True))
    op.create_index("ix_analytics_stays_bucket", "analytics_stays", ["stage", "bucket", "entered_at", "seconds"])
    op.create_index("ix_analytics_stays_repeated", "analytics_stays", ["entered_at"],
                    sqlite_where=sa.text("bucket = -1"), postgresql_where=sa.text("bucket = -1"))
    op.create_index("ix_returns_open_status", "returns", ["status", "status_changed_at"],
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    op.create_index("ix_returns_open_since", "returns", ["status_changed_at", "id"],
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade() -> None:
    op.drop_index("ix_returns_open_since", table_name="returns")
    op.drop_index("ix_returns_open_status", table_name="returns")
    op.drop_index("ix_analytics_stays_repeated", table_name="analytics_stays")
    op.drop_index("ix_analytics_stays_bucket", table_name="analytics_stays")
    with op.batch_alter_table("analytics_stays") as batch:
        batch.drop_column("bucket")
    op.drop_table("analytics_return_stages")
    for name in reversed(list(_DAILY)):
        op.drop_index(f"ix_{name}_day", table_name=name)
        op.drop_table(name)
    op.drop_table("analytics_days")
