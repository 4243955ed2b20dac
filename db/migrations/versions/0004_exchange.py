"""Exchanges at the counter, the customer's changed mind, supervisor badges and product variants

* ``return_lines.changed_mind_at`` / ``changed_mind_by``: a line the customer asked to exchange
  may end in a refund only once the customer changed their mind at the counter; who recorded it
  and when.
* ``replacement_orders``: how the replacement reaches the customer (``fulfilment``: handed over
  at the counter or shipped) and the difference collected from the customer (amount, method, who,
  when).
* ``users.badge_hash``: the SHA-256 of a supervisor's badge code, for signing off on a clerk's
  screen with a badge scan.
* ``products.style_code`` / ``variant``: products that are one article in several sizes or
  colours share a style code; the exchange offers the other variants first.

Revision ID: 0004_exchange
Revises: 0004_review
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_exchange"
down_revision = "0004_review"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("return_lines") as batch:
        batch.add_column(sa.Column("changed_mind_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("changed_mind_by", Id, sa.ForeignKey(
            "users.id", name="fk_return_lines_changed_mind_by_users")))
    with op.batch_alter_table("replacement_orders") as batch:
        batch.add_column(sa.Column("fulfilment", sa.String(16)))
        batch.add_column(sa.Column("collected_minor", sa.BigInteger()))
        batch.add_column(sa.Column("collected_method", sa.String(24)))
        batch.add_column(sa.Column("collected_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("collected_by", Id, sa.ForeignKey(
            "users.id", name="fk_replacement_orders_collected_by_users")))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("badge_hash", sa.String(64)))
        batch.create_unique_constraint("uq_users_badge_hash", ["badge_hash"])
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("style_code", sa.String(40)))
        batch.add_column(sa.Column("variant", sa.String(60)))
    op.create_index("ix_products_style_code", "products", ["style_code"])


def downgrade() -> None:
    op.drop_index("ix_products_style_code", table_name="products")
    with op.batch_alter_table("products") as batch:
        batch.drop_column("variant")
        batch.drop_column("style_code")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("uq_users_badge_hash", type_="unique")
        batch.drop_column("badge_hash")
    with op.batch_alter_table("replacement_orders") as batch:
        for column in ("collected_by", "collected_at", "collected_method", "collected_minor", "fulfilment"):
            batch.drop_column(column)
    with op.batch_alter_table("return_lines") as batch:
        batch.drop_column("changed_mind_by")
        batch.drop_column("changed_mind_at")
