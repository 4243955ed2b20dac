"""Administration and the finance desk: cash shifts of the counters, store-credit balances, policy
drafts, and the invoice number of a sale (cited by red-letter credit notes)

Revision ID: 0004_admin
Revises: 0004_exchange
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_admin"
down_revision = "0004_exchange"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "cash_shifts",
        sa.Column("id", Id, nullable=False),
        sa.Column("shift_no", sa.String(24), nullable=False),
        sa.Column("station", sa.String(40), nullable=False),
        sa.Column("open_station", sa.String(40), nullable=True),
        sa.Column("site", sa.String(32), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("float_minor", sa.BigInteger(), nullable=False),
        sa.Column("opened_by", Id, sa.ForeignKey("users.id", name="fk_cash_shifts_opened_by_users"), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", Id, sa.ForeignKey("users.id", name="fk_cash_shifts_closed_by_users"), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expected_minor", sa.BigInteger(), nullable=True),
        sa.Column("counted_minor", sa.BigInteger(), nullable=True),
        sa.Column("difference_minor", sa.BigInteger(), nullable=True),
        sa.Column("entry_no", sa.String(24), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cash_shifts"),
        sa.UniqueConstraint("shift_no", name="uq_cash_shifts_shift_no"),
        sa.UniqueConstraint("open_station", name="uq_cash_shifts_open_station"),
    )
    op.create_index("ix_cash_shifts_station", "cash_shifts", ["station"])
    op.create_index("ix_cash_shifts_opened", "cash_shifts", ["opened_at", "id"])

    op.create_table(
        "store_credit_entries",
        sa.Column("id", Id, nullable=False),
        sa.Column("customer_id", Id,
                  sa.ForeignKey("customers.id", name="fk_store_credit_entries_customer_id_customers"),
                  nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("refund_id", Id, sa.ForeignKey("refunds.id", name="fk_store_credit_entries_refund_id_refunds"),
                  nullable=True),
        sa.Column("reference", sa.String(40), nullable=True),
        sa.Column("memo", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", Id, sa.ForeignKey("users.id", name="fk_store_credit_entries_created_by_users"),
                  nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_store_credit_entries"),
    )
    op.create_index("ix_store_credit_entries_customer", "store_credit_entries", ["customer_id", "id"])

    op.create_table(
        "policy_drafts",
        sa.Column("id", Id, nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("rules_json", sa.Text(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("created_by", Id, sa.ForeignKey("users.id", name="fk_policy_drafts_created_by_users"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", Id, sa.ForeignKey("users.id", name="fk_policy_drafts_updated_by_users"), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_policy_drafts"),
    )

    with op.batch_alter_table("refunds") as batch:
        batch.add_column(sa.Column("cash_shift_id", Id, nullable=True))
        batch.create_foreign_key("fk_refunds_cash_shift_id_cash_shifts", "cash_shifts", ["cash_shift_id"], ["id"])
        batch.create_index("ix_refunds_cash_shift_id", ["cash_shift_id"])
    with op.batch_alter_table("sales_orders") as batch:
        batch.add_column(sa.Column("invoice_no", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sales_orders") as batch:
        batch.drop_column("invoice_no")
    with op.batch_alter_table("refunds") as batch:
        batch.drop_index("ix_refunds_cash_shift_id")
        batch.drop_constraint("fk_refunds_cash_shift_id_cash_shifts", type_="foreignkey")
        batch.drop_column("cash_shift_id")
    op.drop_table("policy_drafts")
    op.drop_index("ix_store_credit_entries_customer", table_name="store_credit_entries")
    op.drop_table("store_credit_entries")
    op.drop_index("ix_cash_shifts_opened", table_name="cash_shifts")
    op.drop_index("ix_cash_shifts_station", table_name="cash_shifts")
    op.drop_table("cash_shifts")
