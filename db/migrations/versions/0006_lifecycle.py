"""The difference of an exchange collected in cash is taken into the counter's cash shift

* ``replacement_orders.cash_shift_id``: the shift whose drawer took the cash a customer paid for
  dearer replacement goods (NULL for other methods and at stations that keep no shifts); the
  shift's expected cash counts it, and its report lists it.

Revision ID: 0006_lifecycle
Revises: 0005_suppliers
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_lifecycle"
down_revision = "0006_suppliers"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("replacement_orders") as batch:
        batch.add_column(sa.Column("cash_shift_id", Id, sa.ForeignKey(
            "cash_shifts.id", name="fk_replacement_orders_cash_shift_id_cash_shifts")))
    op.create_index("ix_replacement_orders_cash_shift_id", "replacement_orders", ["cash_shift_id"])


def downgrade() -> None:
    op.drop_index("ix_replacement_orders_cash_shift_id", table_name="replacement_orders")
    with op.batch_alter_table("replacement_orders") as batch:
        batch.drop_column("cash_shift_id")
