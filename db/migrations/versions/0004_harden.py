"""The audit chain written by the database: a hash format PostgreSQL computes, and its append function

Events get ``hash_version``: those already written keep format 1 and still verify; new ones are
written in format 2 (:mod:`returndesk.store.audit_chain`). On PostgreSQL the schema owner gets the
``SECURITY DEFINER`` function that appends events, so that the server's login needs no right to
write the audit trail, its head or the webhook outbox directly (``returndesk db init`` grants it
the call). The chain's head row is created here if missing: the server's login cannot insert it.

Revision ID: 0004_harden
Revises: 0003_codes
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from returndesk.store.audit_chain import create_functions_sql, drop_functions_sql

revision = "0004_harden"
down_revision = "0003_codes"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("hash_version", sa.Integer(), server_default="1", nullable=False))
    bind = op.get_bind()
    bind.execute(sa.text(
        "INSERT INTO audit_head (id, last_seq, last_hash) SELECT 1, 0, :genesis "
        "WHERE NOT EXISTS (SELECT 1 FROM audit_head WHERE id = 1)"
    ), {"genesis": GENESIS})
    if bind.dialect.name != "postgresql":
        return
    for statement in create_functions_sql():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in drop_functions_sql():
            op.execute(statement)
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("hash_version")
