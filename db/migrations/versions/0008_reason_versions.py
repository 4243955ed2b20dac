"""The return reasons' version, and SQLite's audit chain appended in one statement

* ``reason_versions``: one row whose number the database moves on at every change of
  ``return_reasons`` (a trigger, :mod:`returndesk.store.reason_versions`); stations keep the
  reasons per process and read the number with the order at intake.
* SQLite: the view ``audit_append`` with its ``INSTEAD OF INSERT`` trigger
  (:mod:`returndesk.store.audit_chain`): a transaction's audit events, their webhook outbox rows
  and the chain's head are written by one INSERT, which the trigger refuses unless the events
  follow the head. PostgreSQL appends with its function (0004_harden) and gets nothing here.

Revision ID: 0008_reason_versions
Revises: 0007_analytics_summary
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from returndesk.store.audit_chain import sqlite_append_sql, sqlite_drop_append_sql
from returndesk.store.reason_versions import create_sql, drop_sql

revision = "0008_reason_versions"
down_revision = "0007_analytics_summary"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reason_versions",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reason_versions")),
    )
    bind = op.get_bind()
    bind.execute(sa.text("INSERT INTO reason_versions (id, version) VALUES (1, 1)"))
    dialect = bind.dialect.name
    for statement in create_sql(dialect):
        op.execute(statement)
    if dialect == "sqlite":
        for statement in sqlite_append_sql():
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in sqlite_drop_append_sql():
            op.execute(statement)
    for statement in drop_sql(dialect):
        op.execute(statement)
    op.drop_table("reason_versions")
