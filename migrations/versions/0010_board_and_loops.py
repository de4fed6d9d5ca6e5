"""board and loops: demand history, how many orders a hearing authorizes, planned hearings,
meeting list indexes

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

DEMAND_STATUSES = ("OPEN", "MATCHED", "IN_PROGRESS", "RESOLVED", "CLOSED")
DEMAND_ACTIONS = ("POST", "PROPOSE", "ORDER", "ORDERS_EVALUATED", "RESOLVE", "CLOSE")
ROLES = ("ADMIN", "TOWN_STAFF", "STATION_STAFF", "PROVIDER_STAFF")
SHAPE_OF_KIND = (
    "(kind = 'HEARING' AND order_id IS NULL AND (decision IS NULL) = (votes_for IS NULL)"
    " AND (decision IS NULL) = (votes_against IS NULL) AND (decision IS NULL) = (votes_abstaining IS NULL)"
    " AND (decision IS NULL) = (attendees IS NULL))"
    " OR (kind <> 'HEARING' AND order_id IS NOT NULL AND decision IS NULL AND votes_for IS NULL"
    " AND votes_against IS NULL AND votes_abstaining IS NULL AND attendees IS NOT NULL)"
)
OLD_SHAPE_OF_KIND = (
    "(kind = 'HEARING' AND order_id IS NULL AND decision IS NOT NULL AND votes_for IS NOT NULL"
    " AND votes_against IS NOT NULL AND votes_abstaining IS NOT NULL)"
    " OR (kind <> 'HEARING' AND order_id IS NOT NULL AND decision IS NULL AND votes_for IS NULL"
    " AND votes_against IS NULL AND votes_abstaining IS NULL)"
)


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "demand_events",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("demand_id", sa.Integer(), nullable=False),
        sa.Column("action", _enum(DEMAND_ACTIONS, "demandaction"), nullable=False),
        sa.Column("from_status", _enum(DEMAND_STATUSES, "demand_from_status"), nullable=True),
        sa.Column("to_status", _enum(DEMAND_STATUSES, "demand_to_status"), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("actor_role", _enum(ROLES, "demand_actor_role"), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_demand_events_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["demand_id"], ["demands.id"], name=op.f("fk_demand_events_demand_id_demands")
        ),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_demand_events_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand_events")),
    )
    op.create_index("ix_demand_events_demand_id_id", "demand_events", ["demand_id", "id"], unique=False)

    # Approvals recorded before hearings named a number authorized one order each.
    op.add_column("meetings", sa.Column("orders_authorized", sa.Integer(), nullable=True))
    op.execute("UPDATE meetings SET orders_authorized = 1 WHERE decision = 'APPROVED'")
    op.create_check_constraint(
        op.f("ck_meetings_approval_authorizes_orders"),
        "meetings",
        "(decision IS NOT DISTINCT FROM 'APPROVED') = (orders_authorized IS NOT NULL)"
        " AND orders_authorized BETWEEN 1 AND 10000",
    )
    # A hearing may be planned ahead: no attendance, votes nor decision until it is held.
    op.alter_column("meetings", "attendees", existing_type=sa.Integer(), nullable=True)
    op.drop_constraint(op.f("ck_meetings_shape_of_kind"), "meetings", type_="check")
    op.create_check_constraint(op.f("ck_meetings_shape_of_kind"), "meetings", SHAPE_OF_KIND)
    op.create_index(
        "ix_meetings_station_id_decision_held_at_id",
        "meetings",
        ["station_id", "decision", "held_at", "id"],
        unique=False,
        postgresql_where=sa.text("decision IS NOT NULL"),
    )
    op.create_index(
        "ix_meetings_station_id_kind_held_at_id",
        "meetings",
        ["station_id", "kind", "held_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_meetings_station_id_kind_held_at_id", table_name="meetings")
    op.drop_index("ix_meetings_station_id_decision_held_at_id", table_name="meetings")
    op.execute("DELETE FROM meetings WHERE kind = 'HEARING' AND decision IS NULL")
    op.drop_constraint(op.f("ck_meetings_shape_of_kind"), "meetings", type_="check")
    op.create_check_constraint(op.f("ck_meetings_shape_of_kind"), "meetings", OLD_SHAPE_OF_KIND)
    op.alter_column("meetings", "attendees", existing_type=sa.Integer(), nullable=False)
    op.drop_constraint(op.f("ck_meetings_approval_authorizes_orders"), "meetings", type_="check")
    op.drop_column("meetings", "orders_authorized")
    op.drop_index("ix_demand_events_demand_id_id", table_name="demand_events")
    op.drop_table("demand_events")
