"""Master data: several barcodes per product, restocking-fee classes, suppliers' RTV terms,
categories' own return windows, and saved column mappings of import files

Revision ID: 0004_master
Revises: 0004_analytics
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_master"
down_revision = "0004_analytics"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("categories") as batch:
        batch.add_column(sa.Column("return_window_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("returnable", sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table("suppliers") as batch:
        batch.add_column(sa.Column("phone", sa.String(32), nullable=True))
        batch.add_column(sa.Column("email", sa.String(160), nullable=True))
        batch.add_column(sa.Column("rtv_terms", sa.String(24), nullable=False, server_default="credit_at_cost"))
        batch.add_column(sa.Column("rtv_handling_fee_minor", sa.BigInteger(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("rtv_min_claim_minor", sa.BigInteger(), nullable=False, server_default="0"))
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("restocking_fee_class", sa.String(16), nullable=False, server_default="standard"))
    op.create_table(
        "product_barcodes",
        sa.Column("id", _Id, nullable=False),
        sa.Column("product_id", _Id, sa.ForeignKey("products.id", name="fk_product_barcodes_product_id_products"),
                  nullable=False),
        sa.Column("barcode", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_product_barcodes"),
        sa.UniqueConstraint("barcode", name="uq_product_barcodes_barcode"),
    )
    op.create_index("ix_product_barcodes_product_id", "product_barcodes", ["product_id"])
    op.create_table(
        "import_profiles",
        sa.Column("id", _Id, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("mapping_json", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", _Id, sa.ForeignKey("users.id", name="fk_import_profiles_updated_by_users"),
                  nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_import_profiles"),
        sa.UniqueConstraint("kind", "name", name="uq_import_profiles_kind"),
    )
    # The barcodes products already carry become their first barcode.
    op.execute("INSERT INTO product_barcodes (product_id, barcode) "
               "SELECT MIN(id), barcode FROM products WHERE barcode IS NOT NULL AND barcode <> '' GROUP BY barcode")


def downgrade() -> None:
    op.drop_table("import_profiles")
    op.drop_index("ix_product_barcodes_product_id", table_name="product_barcodes")
    op.drop_table("product_barcodes")
    with op.batch_alter_table("products") as batch:
        batch.drop_column("restocking_fee_class")
    with op.batch_alter_table("suppliers") as batch:
        for name in ("rtv_min_claim_minor", "rtv_handling_fee_minor", "rtv_terms", "email", "phone"):
            batch.drop_column(name)
    with op.batch_alter_table("categories") as batch:
        batch.drop_column("returnable")
        batch.drop_column("return_window_days")
