"""Analytics summaries: the dashboard's figures per UTC hour, and each return's stays per stage

* ``analytics_watermarks``: how far the summaries have been brought (the last audit event, sales
  order and stock movement summed).
* ``analytics_created_hourly``, ``analytics_sold_hourly``, ``analytics_returned_hourly``,
  ``analytics_refunds_hourly``, ``analytics_moves_hourly``, ``analytics_inspections_hourly``:
  counts, units and values per UTC hour and the dimensions the filters need.
* ``analytics_stays``: one row per stay of a return in a stage, with its length.

They start empty; the first refresh (the first dashboard read or housekeeping round) fills them,
which on a database of a million returns takes some minutes.

Revision ID: 0007_analytics_summary
Revises: 0006_lifecycle
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_analytics_summary"
down_revision = "0006_lifecycle"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_HOURLY = {
    "analytics_created_hourly": [
        ("order_site", sa.String(32), True), ("station", sa.String(40), True), ("channel", sa.String(16), False),
        ("reason_code", sa.String(32), False), ("returns", sa.Integer(), False),
        ("first_returns", sa.Integer(), False), ("units", sa.Integer(), False),
        ("value_minor", sa.BigInteger(), False)],
    "analytics_sold_hourly": [
        ("site", sa.String(32), True), ("channel", sa.String(16), False), ("product_id", sa.BigInteger(), False),
        ("units", sa.Integer(), False), ("value_minor", sa.BigInteger(), False)],
    "analytics_returned_hourly": [
        ("site", sa.String(32), True), ("channel", sa.String(16), False), ("product_id", sa.BigInteger(), False),
        ("units", sa.Integer(), False), ("value_minor", sa.BigInteger(), False)],
    "analytics_refunds_hourly": [
        ("order_site", sa.String(32), True), ("station", sa.String(40), True), ("method", sa.String(24), False),
        ("refunds", sa.Integer(), False), ("amount_minor", sa.BigInteger(), False),
        ("deductions_minor", sa.BigInteger(), False), ("fees_minor", sa.BigInteger(), False)],
    "analytics_moves_hourly": [
        ("order_site", sa.String(32), True), ("station", sa.String(40), True),
        ("product_id", sa.BigInteger(), False), ("location_id", sa.BigInteger(), False),
        ("units", sa.Integer(), False)],
    "analytics_inspections_hourly": [
        ("station", sa.String(40), True), ("inspector_id", sa.BigInteger(), False), ("units", sa.Integer(), False),
        ("station_returns", sa.Integer(), False), ("inspector_returns", sa.Integer(), False)],
}


def upgrade() -> None:
    op.create_table(
        "analytics_watermarks",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_analytics_watermarks")),
    )
    for name, columns in _HOURLY.items():
        op.create_table(
            name,
            sa.Column("id", Id, nullable=False),
            sa.Column("hour", sa.String(length=13), nullable=False),
            *[sa.Column(col, type_, nullable=nullable) for col, type_, nullable in columns],
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        )
        op.create_index(f"ix_{name}_hour", name, ["hour"])
    op.create_table(
        "analytics_stays",
        sa.Column("id", Id, nullable=False),
        sa.Column("return_id", sa.BigInteger(), nullable=False),
        sa.Column("stage", sa.String(length=24), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("order_site", sa.String(length=32), nullable=True),
        sa.Column("station", sa.String(length=40), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_stays")),
    )
    op.create_index("ix_analytics_stays_created", "analytics_stays", ["created_at", "stage"])
    op.create_index("ix_analytics_stays_entered", "analytics_stays", ["entered_at", "stage"])
    op.create_index("ix_analytics_stays_return", "analytics_stays", ["return_id"])


def downgrade() -> None:
    op.drop_table("analytics_stays")
    for name in reversed(list(_HOURLY)):
        op.drop_index(f"ix_{name}_hour", table_name=name)
        op.drop_table(name)
    op.drop_table("analytics_watermarks")
