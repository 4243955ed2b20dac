"""Codes in their one normal form: customers' phones and order numbers stored before it

Phones written as ``+86 138-0013-8000`` and order numbers imported full-width (``SO-７７７１``)
were stored as written, so searches in the normal form missed them and a second import of the
same order in ASCII was taken for another sale. Each is rewritten in the form every door now
uses. An order number whose normal form another order already holds is left as it is: two
sales then exist for one number, and merging them is a person's decision, not a migration's.

Revision ID: 0003_codes
Revises: 0003_server
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from returndesk.domain.errors import ValidationFailed
from returndesk.domain.codes import normalize_phone
from returndesk.domain.scan import normalize_order

revision = "0003_codes"
down_revision = "0003_server"
branch_labels = None
depends_on = None

_PAGE = 10_000
_customers = sa.table("customers", sa.column("id", sa.BigInteger), sa.column("phone", sa.String))
_orders = sa.table("sales_orders", sa.column("id", sa.BigInteger), sa.column("order_no", sa.String))


def _normal(function, value: str) -> str | None:
    try:
        return function(value)
    except ValidationFailed:
        return None


def _rows(bind, table, column):
    last = 0
    while True:
        page = bind.execute(
            sa.select(table.c.id, column).where(table.c.id > last, column.is_not(None))
            .order_by(table.c.id).limit(_PAGE)
        ).all()
        if not page:
            return
        yield from page
        last = page[-1][0]


def upgrade() -> None:
    bind = op.get_bind()
    for cid, phone in _rows(bind, _customers, _customers.c.phone):
        normal = _normal(normalize_phone, phone)
        if normal is not None and normal != phone:
            bind.execute(_customers.update().where(_customers.c.id == cid).values(phone=normal))
    changes = [(oid, normal) for oid, order_no in _rows(bind, _orders, _orders.c.order_no)
               if (normal := _normal(normalize_order, order_no)) is not None and normal != order_no]
    for oid, normal in changes:
        taken = bind.execute(sa.select(_orders.c.id).where(_orders.c.order_no == normal)).first()
        if taken is None:
            bind.execute(_orders.update().where(_orders.c.id == oid).values(order_no=normal))


def downgrade() -> None:
    pass  # the normal forms are valid spellings for the older version too
