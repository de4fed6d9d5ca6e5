"""accounts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 04:42:09.244683
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "ADMIN",
                "TOWN_STAFF",
                "STATION_STAFF",
                "PROVIDER_STAFF",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("town_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(role = 'ADMIN' AND town_id IS NULL AND station_id IS NULL AND provider_id IS NULL) OR (role = 'TOWN_STAFF' AND town_id IS NOT NULL AND station_id IS NULL AND provider_id IS NULL) OR (role = 'STATION_STAFF' AND station_id IS NOT NULL AND town_id IS NULL AND provider_id IS NULL) OR (role = 'PROVIDER_STAFF' AND provider_id IS NOT NULL AND town_id IS NULL AND station_id IS NULL)",
            name=op.f("ck_users_scope_matches_role"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name=op.f("fk_users_provider_id_providers")
        ),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], name=op.f("fk_users_station_id_stations")),
        sa.ForeignKeyConstraint(["town_id"], ["towns.id"], name=op.f("fk_users_town_id_towns")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_index("ix_users_provider_id", "users", ["provider_id"], unique=False)
    op.create_index("ix_users_station_id", "users", ["station_id"], unique=False)
    op.create_index("ix_users_town_id", "users", ["town_id"], unique=False)
    op.create_index("ix_users_username_id", "users", ["username", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_users_username_id", table_name="users")
    op.drop_index("ix_users_town_id", table_name="users")
    op.drop_index("ix_users_station_id", table_name="users")
    op.drop_index("ix_users_provider_id", table_name="users")
    op.drop_table("users")
