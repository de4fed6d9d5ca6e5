"""lists management: demand proposals and the tier of a demand

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 05:03:16.270924
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "demand_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("demand_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("resource_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(project_id IS NULL) <> (resource_id IS NULL)", name=op.f("ck_demand_proposals_one_item")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_demand_proposals_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["demand_id"], ["demands.id"], name=op.f("fk_demand_proposals_demand_id_demands")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_demand_proposals_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name=op.f("fk_demand_proposals_provider_id_providers")
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"], ["resources.id"], name=op.f("fk_demand_proposals_resource_id_resources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand_proposals")),
        sa.UniqueConstraint("demand_id", "project_id", name=op.f("uq_demand_proposals_demand_id_project_id")),
        sa.UniqueConstraint(
            "demand_id", "resource_id", name=op.f("uq_demand_proposals_demand_id_resource_id")
        ),
    )
    op.create_index(
        "ix_demand_proposals_demand_id_created_at_id",
        "demand_proposals",
        ["demand_id", "created_at", "id"],
        unique=False,
    )
    op.add_column(
        "demands",
        sa.Column(
            "tier",
            sa.Enum(
                "BOTTOM_LINE",
                "BASIC",
                "QUALITY",
                name="tier",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
    )


def downgrade() -> None:
    op.drop_column("demands", "tier")
    op.drop_index("ix_demand_proposals_demand_id_created_at_id", table_name="demand_proposals")
    op.drop_table("demand_proposals")
