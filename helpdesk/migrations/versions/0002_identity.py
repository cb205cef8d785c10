"""identity: earlier known addresses, authentication, request flags

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "known_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_pk", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_pk"], ["customers.id"], name=op.f("fk_known_addresses_customer_pk_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_addresses")),
        sa.UniqueConstraint("customer_pk", "address", name=op.f("uq_known_addresses_customer_pk")),
    )
    with op.batch_alter_table("known_addresses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_known_addresses_customer_pk"), ["customer_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_known_addresses_address"), ["address"], unique=False)

    with op.batch_alter_table("privacy_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("authenticated", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("awaiting_identity_since", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("flags", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("likely_customer_pk", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("related_request_pk", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_privacy_requests_likely_customer_pk_customers"),
            "customers",
            ["likely_customer_pk"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_privacy_requests_related_request_pk_privacy_requests"),
            "privacy_requests",
            ["related_request_pk"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("privacy_requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_privacy_requests_related_request_pk_privacy_requests"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_privacy_requests_likely_customer_pk_customers"), type_="foreignkey"
        )
        batch_op.drop_column("related_request_pk")
        batch_op.drop_column("likely_customer_pk")
        batch_op.drop_column("flags")
        batch_op.drop_column("awaiting_identity_since")
        batch_op.drop_column("authenticated")
    with op.batch_alter_table("known_addresses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_known_addresses_address"))
        batch_op.drop_index(batch_op.f("ix_known_addresses_customer_pk"))
    op.drop_table("known_addresses")
