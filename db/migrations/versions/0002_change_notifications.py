"""PostgreSQL: announce changes of returns with NOTIFY (other stations refresh at once)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

from returndesk.store.changes import notify_sql_trigger

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite stations watch PRAGMA data_version instead
    for statement in notify_sql_trigger():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS returns_notify ON returns")
    op.execute("DROP FUNCTION IF EXISTS returndesk_notify_return()")
