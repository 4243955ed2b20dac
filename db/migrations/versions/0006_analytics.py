"""Analytics: the stage targets of the ageing view, kept per stage; serial numbers indexed for the risk review

Revision ID: 0006_analytics
Revises: 0005_suppliers
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_analytics"
down_revision = "0005_suppliers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stage_targets",
        sa.Column("stage", sa.String(length=24), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["set_by"], ["users.id"], name=op.f("fk_stage_targets_set_by_users")),
        sa.PrimaryKeyConstraint("stage", name=op.f("pk_stage_targets")),
    )
    op.create_index("ix_inspection_units_serial", "inspection_units", ["serial_no", "inspected_at"])


def downgrade() -> None:
    op.drop_index("ix_inspection_units_serial", table_name="inspection_units")
    op.drop_table("stage_targets")
