"""The risk review's window summed per customer

* ``analytics_risk_customers``: per customer with returns in the last 90 of the installation's days,
  the review's figures over them and the units the customer ever bought.

The table starts empty; the next refresh of the summaries fills it (``risk_from`` and
``risk_until`` watermarks absent).

Revision ID: 0010_analytics_risk
Revises: 0009_analytics_daily
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_analytics_risk"
down_revision = "0009_analytics_daily"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_risk_customers",
        sa.Column("customer_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("returns", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("units_bought", sa.Integer(), nullable=False),
        sa.Column("high_value_d", sa.Integer(), nullable=False),
        sa.Column("serials_seen_before", sa.Integer(), nullable=False),
        sa.Column("no_receipt", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_analytics_risk_customers")),
    )


def downgrade() -> None:
    op.drop_table("analytics_risk_customers")
