"""orders: the orders of stations to providers, their history and the three meetings

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-21 05:02:48.277642
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None

TIME_LIMIT_TABLES = ("services", "projects")
TIME_LIMIT_COLUMNS = [
    f"{urgency}_{limit}_hours"
    for urgency in ("emergency", "key", "routine")
    for limit in ("response", "delivery")
]
MAX_TIME_LIMIT_HOURS = 24 * 366

# The history is append-only: a change of an order is a new event, never an edit of an old one.
REFUSE_EVENT_CHANGE = """
CREATE FUNCTION doorstep_refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'order events are immutable: % refused', TG_OP;
END
$$
"""
IMMUTABLE_EVENTS = """
CREATE TRIGGER order_events_are_immutable BEFORE UPDATE OR DELETE ON order_events
    FOR EACH ROW EXECUTE FUNCTION doorstep_refuse_event_change()
"""


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "HEARING",
                "COORDINATION",
                "EVALUATION",
                name="meetingkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attendees", sa.Integer(), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=True),
        sa.Column("votes_against", sa.Integer(), nullable=True),
        sa.Column("votes_abstaining", sa.Integer(), nullable=True),
        sa.Column(
            "decision",
            sa.Enum(
                "APPROVED",
                "REJECTED",
                name="hearingdecision",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(kind = 'HEARING' AND order_id IS NULL AND decision IS NOT NULL AND votes_for IS NOT NULL AND votes_against IS NOT NULL AND votes_abstaining IS NOT NULL) OR (kind <> 'HEARING' AND order_id IS NOT NULL AND decision IS NULL AND votes_for IS NULL AND votes_against IS NULL AND votes_abstaining IS NULL)",
            name=op.f("ck_meetings_shape_of_kind"),
        ),
        sa.CheckConstraint(
            "(service_id IS NULL) <> (project_id IS NULL)", name=op.f("ck_meetings_one_subject")
        ),
        sa.CheckConstraint("attendees > 0", name=op.f("ck_meetings_attendees_positive")),
        sa.CheckConstraint(
            "votes_for >= 0 AND votes_against >= 0 AND votes_abstaining >= 0 AND votes_for + votes_against + votes_abstaining <= attendees",
            name=op.f("ck_meetings_votes_within_attendees"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_meetings_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name=op.f("fk_meetings_provider_id_providers")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_meetings_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_meetings_service_id_services")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["stations.id"], name=op.f("fk_meetings_station_id_stations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    op.create_index("ix_meetings_order_id", "meetings", ["order_id"], unique=False)
    op.create_index(
        "ix_meetings_project_id_station_id", "meetings", ["project_id", "station_id"], unique=False
    )
    op.create_index("ix_meetings_provider_id", "meetings", ["provider_id"], unique=False)
    op.create_index(
        "ix_meetings_service_id_station_id", "meetings", ["service_id", "station_id"], unique=False
    )
    op.create_index(
        "ix_meetings_station_id_held_at_id", "meetings", ["station_id", "held_at", "id"], unique=False
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("demand_id", sa.Integer(), nullable=True),
        sa.Column("hearing_id", sa.Integer(), nullable=True),
        sa.Column("placed_by_id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("requested_start", sa.Date(), nullable=False),
        sa.Column("requested_end", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "urgency",
            sa.Enum(
                "EMERGENCY",
                "KEY",
                "ROUTINE",
                name="urgency",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "SUBMITTED",
                "ACCEPTED",
                "DECLINED",
                "SCHEDULED",
                "IN_PROGRESS",
                "DELIVERED",
                "COMPLETED",
                "EVALUATED",
                "CANCELLED",
                name="orderstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("response_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivery_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resident_name", sa.String(length=50), nullable=True),
        sa.Column("resident_phone", sa.String(length=32), nullable=True),
        sa.Column("responsible_name", sa.String(length=50), nullable=True),
        sa.Column("responsible_phone", sa.String(length=32), nullable=True),
        sa.Column("responsible_user_id", sa.Integer(), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("cancellation_reason", sa.Text(), nullable=True),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rating", sa.SmallInteger(), nullable=True),
        sa.Column("satisfaction", sa.SmallInteger(), nullable=True),
        sa.Column("evaluation_comment", sa.Text(), nullable=True),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(status = 'EVALUATED') = (rating IS NOT NULL)", name=op.f("ck_orders_rated_when_evaluated")
        ),
        sa.CheckConstraint(
            "responsible_name IS NOT NULL OR status IN ('SUBMITTED', 'DECLINED', 'CANCELLED')",
            name=op.f("ck_orders_responsible_once_accepted"),
        ),
        sa.CheckConstraint(
            "(resident_name IS NULL) = (resident_phone IS NULL)", name=op.f("ck_orders_resident_complete")
        ),
        sa.CheckConstraint(
            "(responsible_name IS NULL) = (responsible_phone IS NULL)",
            name=op.f("ck_orders_responsible_complete"),
        ),
        sa.CheckConstraint(
            "(service_id IS NULL) <> (project_id IS NULL)", name=op.f("ck_orders_one_subject")
        ),
        sa.CheckConstraint("quantity BETWEEN 1 AND 10000", name=op.f("ck_orders_quantity_range")),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_orders_rating_range")),
        sa.CheckConstraint("requested_end >= requested_start", name=op.f("ck_orders_window_ordered")),
        sa.CheckConstraint("satisfaction BETWEEN 0 AND 100", name=op.f("ck_orders_satisfaction_range")),
        sa.ForeignKeyConstraint(["demand_id"], ["demands.id"], name=op.f("fk_orders_demand_id_demands")),
        sa.ForeignKeyConstraint(["hearing_id"], ["meetings.id"], name=op.f("fk_orders_hearing_id_meetings")),
        sa.ForeignKeyConstraint(["placed_by_id"], ["users.id"], name=op.f("fk_orders_placed_by_id_users")),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_orders_project_id_projects")),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name=op.f("fk_orders_provider_id_providers")
        ),
        sa.ForeignKeyConstraint(
            ["responsible_user_id"], ["users.id"], name=op.f("fk_orders_responsible_user_id_users")
        ),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"], name=op.f("fk_orders_service_id_services")),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], name=op.f("fk_orders_station_id_stations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint(
            "placed_by_id", "idempotency_key", name=op.f("uq_orders_placed_by_id_idempotency_key")
        ),
    )
    op.create_index("ix_orders_created_at_id", "orders", ["created_at", "id"], unique=False)
    op.create_index(
        "ix_orders_delivery_due_at_awaiting_delivery",
        "orders",
        ["delivery_due_at"],
        unique=False,
        postgresql_where=sa.text("status IN ('SUBMITTED', 'ACCEPTED', 'SCHEDULED', 'IN_PROGRESS')"),
    )
    op.create_index("ix_orders_delivery_due_at_id", "orders", ["delivery_due_at", "id"], unique=False)
    op.create_index("ix_orders_demand_id", "orders", ["demand_id"], unique=False)
    op.create_index("ix_orders_hearing_id", "orders", ["hearing_id"], unique=False)
    op.create_index(
        "ix_orders_project_id_requested_start", "orders", ["project_id", "requested_start"], unique=False
    )
    op.create_index(
        "ix_orders_provider_id_created_at_id", "orders", ["provider_id", "created_at", "id"], unique=False
    )
    op.create_index("ix_orders_requested_start_id", "orders", ["requested_start", "id"], unique=False)
    op.create_index(
        "ix_orders_response_due_at_awaiting_response",
        "orders",
        ["response_due_at"],
        unique=False,
        postgresql_where=sa.text("status = 'SUBMITTED'"),
    )
    op.create_index("ix_orders_response_due_at_id", "orders", ["response_due_at", "id"], unique=False)
    op.create_index(
        "ix_orders_service_id_requested_start", "orders", ["service_id", "requested_start"], unique=False
    )
    op.create_index(
        "ix_orders_station_id_created_at_id", "orders", ["station_id", "created_at", "id"], unique=False
    )
    op.create_index("ix_orders_status_created_at_id", "orders", ["status", "created_at", "id"], unique=False)
    op.create_index(
        "ix_orders_urgency_created_at_id", "orders", ["urgency", "created_at", "id"], unique=False
    )
    op.create_table(
        "order_events",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "PLACE",
                "ACCEPT",
                "DECLINE",
                "SCHEDULE",
                "START",
                "DELIVER",
                "CONFIRM_DELIVERY",
                "REJECT_DELIVERY",
                "CANCEL",
                "EVALUATE",
                "RECORD_COORDINATION_MEETING",
                name="orderaction",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "from_status",
            sa.Enum(
                "SUBMITTED",
                "ACCEPTED",
                "DECLINED",
                "SCHEDULED",
                "IN_PROGRESS",
                "DELIVERED",
                "COMPLETED",
                "EVALUATED",
                "CANCELLED",
                name="from_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "SUBMITTED",
                "ACCEPTED",
                "DECLINED",
                "SCHEDULED",
                "IN_PROGRESS",
                "DELIVERED",
                "COMPLETED",
                "EVALUATED",
                "CANCELLED",
                name="to_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column(
            "actor_role",
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
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_order_events_actor_id_users")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_order_events_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_events")),
    )
    op.create_index("ix_order_events_order_id_id", "order_events", ["order_id", "id"], unique=False)
    # Meetings and orders refer to each other: a hearing precedes its order, later meetings follow it.
    op.create_foreign_key(op.f("fk_meetings_order_id_orders"), "meetings", "orders", ["order_id"], ["id"])
    op.execute(REFUSE_EVENT_CHANGE)
    op.execute(IMMUTABLE_EVENTS)
    for table in TIME_LIMIT_TABLES:
        for column in TIME_LIMIT_COLUMNS:
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
            op.create_check_constraint(
                op.f(f"ck_{table}_{column}_range"), table, f"{column} BETWEEN 1 AND {MAX_TIME_LIMIT_HOURS}"
            )


def downgrade() -> None:
    for table in TIME_LIMIT_TABLES:
        for column in TIME_LIMIT_COLUMNS:
            op.drop_column(table, column)
    op.drop_constraint(op.f("fk_meetings_order_id_orders"), "meetings", type_="foreignkey")
    op.drop_table("order_events")
    op.execute("DROP FUNCTION doorstep_refuse_event_change()")
    op.drop_table("orders")
    op.drop_table("meetings")
