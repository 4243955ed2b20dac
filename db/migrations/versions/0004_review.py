"""Customer service's review of return requests: questions to the customer, the label sent to the
web shop, and the review queue's index

Revision ID: 0004_review
Revises: 0004_harden
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_review"
down_revision = "0004_harden"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "return_questions",
        sa.Column("id", Id, nullable=False),
        sa.Column("return_id", Id, sa.ForeignKey("returns.id", name="fk_return_questions_return_id_returns"),
                  nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("asked_by", Id, sa.ForeignKey("users.id", name="fk_return_questions_asked_by_users"),
                  nullable=False),
        sa.Column("answer", sa.Text()),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.Column("answered_by", Id, sa.ForeignKey("users.id", name="fk_return_questions_answered_by_users")),
        sa.PrimaryKeyConstraint("id", name="pk_return_questions"),
    )
    op.create_index("ix_return_questions_return", "return_questions", ["return_id", "id"])
    op.add_column("returns", sa.Column("label_sent_at", sa.DateTime(timezone=True)))
    op.create_index("ix_returns_status_created", "returns", ["status", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_returns_status_created", table_name="returns")
    with op.batch_alter_table("returns") as batch:
        batch.drop_column("label_sent_at")
    op.drop_index("ix_return_questions_return", table_name="return_questions")
    op.drop_table("return_questions")
