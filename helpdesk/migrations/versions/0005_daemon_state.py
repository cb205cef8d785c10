"""daemon state: the one-daemon lock and its heartbeat

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daemon_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("last_pass_at", sa.DateTime(), nullable=True),
        sa.Column("last_pass", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_daemon_state")),
    )
    op.execute("INSERT INTO daemon_state (id) VALUES (1)")


def downgrade() -> None:
    op.drop_table("daemon_state")
