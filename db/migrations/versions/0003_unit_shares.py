"""Return lines remember which units of their order line they hold (fixed money shares per unit)

Revision ID: 0003_unit_shares
Revises: 0003_sites
Create Date: 2026-12-03

Existing return lines are given the units they hold now, in the order the returns were made: the
units a return holds before inspection are those requested; after inspection the accepted and
rejected ones; once refunded or exchanged the accepted ones; rejected, cancelled and expired
returns, and refunds refused (closed or not), hold none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_unit_shares"
down_revision = "0003_sites"
branch_labels = None
depends_on = None

_REQUESTED = {"draft", "requested", "authorized", "received"}
_COUNTED = {"inspected", "awaiting_approval", "approved"}
_SETTLED = {"refunded", "exchanged"}


def _ranges(first: int, count: int) -> str | None:
    if count <= 0:
        return None
    return str(first) if count == 1 else f"{first}-{first + count - 1}"


def upgrade() -> None:
    with op.batch_alter_table("return_lines") as batch:
        batch.add_column(sa.Column("units_held", sa.Text(), nullable=True))

    bind = op.get_bind()
    meta = sa.MetaData()
    lines = sa.Table("return_lines", meta, autoload_with=bind)
    returns = sa.Table("returns", meta, autoload_with=bind)
    order_lines = sa.Table("sales_order_lines", meta, autoload_with=bind)
    refunds = sa.Table("refunds", meta, autoload_with=bind)
    replacements = sa.Table("replacement_orders", meta, autoload_with=bind)
    settled_ids = set(bind.execute(sa.select(refunds.c.return_id)).scalars())
    settled_ids |= set(bind.execute(sa.select(replacements.c.return_id)).scalars())
    quantity = dict(bind.execute(sa.select(order_lines.c.id, order_lines.c.quantity)).all())
    rows = bind.execute(
        sa.select(lines.c.id, lines.c.order_line_id, lines.c.qty_requested, lines.c.qty_accepted,
                  lines.c.qty_rejected, returns.c.id, returns.c.status)
        .join(returns, returns.c.id == lines.c.return_id)
        .order_by(lines.c.order_line_id, returns.c.id, lines.c.id)
    ).all()
    next_unit: dict[int, int] = {}
    for line_id, ol_id, requested, accepted, rejected, return_id, status in rows:
        if status in _REQUESTED:
            held = requested
        elif status in _COUNTED:
            held = accepted + rejected
        elif status in _SETTLED or (status == "closed" and return_id in settled_ids):
            held = accepted
        else:
            held = 0
        first = next_unit.get(ol_id, 0)
        held = max(0, min(held, quantity.get(ol_id, 0) - first))
        if held:
            next_unit[ol_id] = first + held
            bind.execute(
                lines.update().where(lines.c.id == line_id).values(units_held=_ranges(first, held))
            )


def downgrade() -> None:
    # Plain ALTER (SQLite 3.35+ and PostgreSQL): a batch copy of return_lines would trip over the
    # foreign keys that point at it.
    op.execute("ALTER TABLE return_lines DROP COLUMN units_held")
