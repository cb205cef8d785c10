"""draft attachments: the data export an answer carries

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draft_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_pk", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_pk"], ["drafts.id"], name=op.f("fk_draft_attachments_draft_pk_drafts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_attachments")),
    )
    with op.batch_alter_table("draft_attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_attachments_draft_pk"), ["draft_pk"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("draft_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_attachments_draft_pk"))
    op.drop_table("draft_attachments")
