"""notices sent: the weekly digest and reminders, each once

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices_sent",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_notices_sent")),
    )


def downgrade() -> None:
    op.drop_table("notices_sent")
