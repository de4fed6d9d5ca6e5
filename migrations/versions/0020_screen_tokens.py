"""screen tokens: read-only credentials of wall screens, one station's or one provider's

Revision ID: 0020
Revises: 0018
Create Date: 2026-11-23 21:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screen_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(station_id IS NULL) <> (provider_id IS NULL)", name=op.f("ck_screen_tokens_one_scope")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["stations.id"], name=op.f("fk_screen_tokens_station_id_stations")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name=op.f("fk_screen_tokens_provider_id_providers")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_screen_tokens_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["users.id"], name=op.f("fk_screen_tokens_revoked_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screen_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_screen_tokens_token_hash")),
    )
    op.create_index(
        "ix_screen_tokens_station_id_created_at_id", "screen_tokens", ["station_id", "created_at", "id"]
    )
    op.create_index(
        "ix_screen_tokens_provider_id_created_at_id", "screen_tokens", ["provider_id", "created_at", "id"]
    )
    op.create_index("ix_screen_tokens_created_at_id", "screen_tokens", ["created_at", "id"])
    # The response cache keeps lists of tokens: it must hear when one is issued or revoked (0007).
    op.execute(
        "CREATE TRIGGER doorstep_response_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON screen_tokens "
        "FOR EACH STATEMENT EXECUTE FUNCTION doorstep_announce_table_change()"
    )


def downgrade() -> None:
    op.drop_table("screen_tokens")
