"""The ReturnDesk server: station sessions, API keys, idempotency keys, webhooks and their outbox

Revision ID: 0003_server
Revises: 0003_unit_shares
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_server"
down_revision = "0003_unit_shares"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "server_sessions",
        sa.Column("id", Id, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", Id, sa.ForeignKey("users.id", name="fk_server_sessions_user_id_users"), nullable=False),
        sa.Column("station", sa.String(40)),
        sa.Column("client", sa.String(80)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_by", Id, sa.ForeignKey("users.id", name="fk_server_sessions_revoked_by_users")),
        sa.PrimaryKeyConstraint("id", name="pk_server_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_server_sessions_token_hash"),
    )
    op.create_index("ix_server_sessions_user", "server_sessions", ["user_id", "revoked_at"])
    op.create_table(
        "api_keys",
        sa.Column("id", Id, nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("prefix", sa.String(12), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("scopes", sa.String(400), nullable=False),
        sa.Column("user_id", Id, sa.ForeignKey("users.id", name="fk_api_keys_user_id_users"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", Id, sa.ForeignKey("users.id", name="fk_api_keys_created_by_users")),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("name", name="uq_api_keys_name"),
        sa.UniqueConstraint("key_hash", name="uq_api_keys_key_hash"),
    )
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", Id, nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("url", sa.String(400), nullable=False),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("event_types", sa.String(400), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("delivered_through", sa.BigInteger(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.String(400)),
        sa.Column("last_delivered_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_endpoints"),
        sa.UniqueConstraint("name", name="uq_webhook_endpoints_name"),
    )
    op.create_table(
        "outbox_events",
        sa.Column("id", Id, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_type", sa.String(60), nullable=False),
        sa.Column("subject", sa.String(40), nullable=False),
        sa.Column("payload_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_events"),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("principal", sa.String(60), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("principal", "key", name="pk_idempotency_keys"),
    )


def downgrade() -> None:
    op.drop_table("outbox_events")
    op.drop_table("webhook_endpoints")
    op.drop_table("idempotency_keys")
    op.drop_table("api_keys")
    op.drop_index("ix_server_sessions_user", table_name="server_sessions")
    op.drop_table("server_sessions")
