"""Claims against suppliers: return-to-vendor claims and their units, the supplier stock location

Revision ID: 0005_suppliers
Revises: 0004_master
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_suppliers"
down_revision = "0004_master"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "rtv_claims",
        sa.Column("id", _Id, nullable=False),
        sa.Column("claim_no", sa.String(24), nullable=False),
        sa.Column("supplier_id", _Id, sa.ForeignKey("suppliers.id", name="fk_rtv_claims_supplier_id_suppliers"),
                  nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", _Id, sa.ForeignKey("users.id", name="fk_rtv_claims_created_by_users"), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("vendor_rma_no", sa.String(40), nullable=True),
        sa.Column("authorised_on", sa.Date(), nullable=True),
        sa.Column("shipped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shipped_by", _Id, sa.ForeignKey("users.id", name="fk_rtv_claims_shipped_by_users"), nullable=True),
        sa.Column("terms", sa.String(24), nullable=True),
        sa.Column("cost_minor", sa.BigInteger(), nullable=False),
        sa.Column("fee_minor", sa.BigInteger(), nullable=False),
        sa.Column("value_minor", sa.BigInteger(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", _Id, sa.ForeignKey("users.id", name="fk_rtv_claims_answered_by_users"),
                  nullable=True),
        sa.Column("credit_note_no", sa.String(40), nullable=True),
        sa.Column("credited_minor", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rtv_claims"),
        sa.UniqueConstraint("claim_no", name="uq_rtv_claims_claim_no"),
    )
    op.create_index("ix_rtv_claims_supplier_status", "rtv_claims", ["supplier_id", "status", "id"])
    op.create_index("ix_rtv_claims_status", "rtv_claims", ["status", "id"])
    op.create_table(
        "rtv_claim_units",
        sa.Column("id", _Id, nullable=False),
        sa.Column("claim_id", _Id, sa.ForeignKey("rtv_claims.id", name="fk_rtv_claim_units_claim_id_rtv_claims"),
                  nullable=False),
        sa.Column("inspection_unit_id", _Id,
                  sa.ForeignKey("inspection_units.id", name="fk_rtv_claim_units_inspection_unit_id_inspection_units"),
                  nullable=False),
        sa.Column("product_id", _Id, sa.ForeignKey("products.id", name="fk_rtv_claim_units_product_id_products"),
                  nullable=False),
        sa.Column("cost_minor", sa.BigInteger(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", _Id, sa.ForeignKey("users.id", name="fk_rtv_claim_units_added_by_users"), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_rtv_claim_units"),
        sa.UniqueConstraint("inspection_unit_id", name="uq_rtv_claim_units_inspection_unit_id"),
    )
    op.create_index("ix_rtv_claim_units_claim_id", "rtv_claim_units", ["claim_id"])
    op.execute("INSERT INTO stock_locations (code, name, internal) SELECT 'supplier', "
               "'Suppliers (outside): goods shipped back on claims', false "
               "WHERE NOT EXISTS (SELECT 1 FROM stock_locations WHERE code = 'supplier')")
    op.execute("INSERT INTO number_sequences (name, next_value) SELECT 'rtv_claim', 1 "
               "WHERE NOT EXISTS (SELECT 1 FROM number_sequences WHERE name = 'rtv_claim')")


def downgrade() -> None:
    op.drop_index("ix_rtv_claim_units_claim_id", table_name="rtv_claim_units")
    op.drop_table("rtv_claim_units")
    op.drop_index("ix_rtv_claims_status", table_name="rtv_claims")
    op.drop_index("ix_rtv_claims_supplier_status", table_name="rtv_claims")
    op.drop_table("rtv_claims")
