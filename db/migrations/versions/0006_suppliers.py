"""Refurbish and scrap: what became of each unit inspected for refurbishment; the supplier's own
product code

Revision ID: 0006_suppliers
Revises: 0005_suppliers
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_suppliers"
down_revision = "0006_analytics"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "refurbish_jobs",
        sa.Column("id", _Id, nullable=False),
        sa.Column("inspection_unit_id", _Id,
                  sa.ForeignKey("inspection_units.id", name="fk_refurbish_jobs_inspection_unit_id_inspection_units"),
                  nullable=False),
        sa.Column("product_id", _Id, sa.ForeignKey("products.id", name="fk_refurbish_jobs_product_id_products"),
                  nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("cost_minor", sa.BigInteger(), nullable=False),
        sa.Column("parts_cost_minor", sa.BigInteger(), nullable=False),
        sa.Column("repair_note", sa.Text(), nullable=True),
        sa.Column("new_grade", sa.String(1), nullable=True),
        sa.Column("scrap_reason", sa.Text(), nullable=True),
        sa.Column("signed_off_by", _Id, sa.ForeignKey("users.id", name="fk_refurbish_jobs_signed_off_by_users"),
                  nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_by", _Id, sa.ForeignKey("users.id", name="fk_refurbish_jobs_finished_by_users"),
                  nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_refurbish_jobs"),
        sa.UniqueConstraint("inspection_unit_id", name="uq_refurbish_jobs_inspection_unit_id"),
    )
    op.create_index("ix_refurbish_jobs_status", "refurbish_jobs", ["status", "id"])
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("supplier_sku", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.drop_column("supplier_sku")
    op.drop_index("ix_refurbish_jobs_status", table_name="refurbish_jobs")
    op.drop_table("refurbish_jobs")
