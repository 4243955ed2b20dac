"""Analytics: the customer watch list of the risk review, and sales by sale time for return rates

Revision ID: 0004_analytics
Revises: 0004_admin
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_analytics"
down_revision = "0004_admin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_watch",
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("watched", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("set_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_customer_watch_customer_id_customers")),
        sa.ForeignKeyConstraint(["set_by"], ["users.id"], name=op.f("fk_customer_watch_set_by_users")),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_watch")),
    )
    op.create_index("ix_sales_orders_sold", "sales_orders", ["sold_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_sales_orders_sold", table_name="sales_orders")
    op.drop_table("customer_watch")
