"""cases at stations (first inquiry), whistles as orders of their own kind, town supervision

Revision ID: 0018
Revises: 0021
Create Date: 2026-11-23 21:10:00

Case events take their position at commit as order events do (0008), under a lock of
their own, and are immutable but for it; both new tables announce changes to the
response cache (0007).
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0019"
branch_labels = None
depends_on = None

# The advisory lock case events hold from drawing a position to the end of the commit.
CASE_POSITION_LOCK = 0x63617365

ORDER_ACTIONS = (
    "PLACE", "ACCEPT", "DECLINE", "SCHEDULE", "START", "DELIVER", "CONFIRM_DELIVERY", "REJECT_DELIVERY",
    "CANCEL", "EVALUATE", "RECORD_COORDINATION_MEETING", "DEADLINE_NEARING", "DEADLINE_PASSED",
)  # fmt: skip
NEW_ORDER_ACTIONS = ("REFER", "URGE", "ESCALATE", "EXTEND_DEADLINE", "REASSIGN")
CATALOG_SUBJECT = "(service_id IS NULL) <> (project_id IS NULL)"
ANY_SUBJECT = (
    "(kind = 'CATALOG' AND (service_id IS NULL) <> (project_id IS NULL) AND matter IS NULL)"
    " OR (kind = 'WHISTLE' AND service_id IS NULL AND project_id IS NULL AND matter IS NOT NULL)"
)


def _actions_check(actions: tuple[str, ...]) -> None:
    op.drop_constraint(op.f("ck_order_events_orderaction"), "order_events", type_="check")
    listed = ", ".join(f"'{action}'" for action in actions)
    op.create_check_constraint(op.f("ck_order_events_orderaction"), "order_events", f"action IN ({listed})")


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "CONSULTATION",
                "HELP",
                "COMPLAINT",
                "SUGGESTION",
                name="casekind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
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
                "RECEIVED",
                "HANDLED",
                "ORDERED",
                "DEMANDED",
                "WHISTLED",
                "CLOSED",
                "EVALUATED",
                name="casestatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "route",
            sa.Enum(
                "ON_THE_SPOT",
                "ORDER",
                "DEMAND",
                "WHISTLE",
                name="caseroute",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("resident_name", sa.String(length=50), nullable=True),
        sa.Column("resident_phone", sa.String(length=32), nullable=True),
        sa.Column("received_by_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("demand_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.SmallInteger(), nullable=False),
        sa.Column("answer_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closing_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("satisfaction", sa.SmallInteger(), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(status = 'EVALUATED') = (satisfaction IS NOT NULL)",
            name=op.f("ck_cases_satisfaction_when_evaluated"),
        ),
        sa.CheckConstraint(
            "(status = 'RECEIVED') = (route IS NULL)", name=op.f("ck_cases_routed_once_taken_on")
        ),
        sa.CheckConstraint(
            "(status IN ('RECEIVED', 'HANDLED', 'ORDERED', 'DEMANDED', 'WHISTLED')) = (closed_at IS NULL) AND (closed_at IS NULL) = (result IS NULL)",
            name=op.f("ck_cases_result_when_closed"),
        ),
        sa.CheckConstraint(
            "route IS DISTINCT FROM 'DEMAND' OR demand_id IS NOT NULL", name=op.f("ck_cases_demand_linked")
        ),
        sa.CheckConstraint(
            "route NOT IN ('ORDER', 'WHISTLE') OR order_id IS NOT NULL", name=op.f("ck_cases_order_linked")
        ),
        sa.CheckConstraint(
            "(answered_at IS NULL) = (route IS NULL)", name=op.f("ck_cases_answered_when_routed")
        ),
        sa.CheckConstraint(
            "(resident_name IS NULL) = (resident_phone IS NULL)", name=op.f("ck_cases_resident_complete")
        ),
        sa.CheckConstraint("satisfaction BETWEEN 0 AND 100", name=op.f("ck_cases_satisfaction_range")),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], name=op.f("fk_cases_category_id_categories")
        ),
        sa.ForeignKeyConstraint(["demand_id"], ["demands.id"], name=op.f("fk_cases_demand_id_demands")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_cases_order_id_orders")),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_cases_owner_id_users")),
        sa.ForeignKeyConstraint(["received_by_id"], ["users.id"], name=op.f("fk_cases_received_by_id_users")),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], name=op.f("fk_cases_station_id_stations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    op.create_index(
        "ix_cases_answer_due_at_received",
        "cases",
        ["answer_due_at"],
        unique=False,
        postgresql_where=sa.text("status = 'RECEIVED'"),
    )
    op.create_index("ix_cases_closing_due_at_id", "cases", ["closing_due_at", "id"], unique=False)
    op.create_index(
        "ix_cases_closing_due_at_open",
        "cases",
        ["closing_due_at"],
        unique=False,
        postgresql_where=sa.text("status IN ('RECEIVED', 'HANDLED', 'ORDERED', 'DEMANDED', 'WHISTLED')"),
    )
    op.create_index("ix_cases_created_at_id", "cases", ["created_at", "id"], unique=False)
    op.create_index("ix_cases_demand_id", "cases", ["demand_id"], unique=False)
    op.create_index("ix_cases_kind_created_at_id", "cases", ["kind", "created_at", "id"], unique=False)
    op.create_index("ix_cases_order_id", "cases", ["order_id"], unique=False)
    op.create_index(
        "ix_cases_owner_id_created_at_id", "cases", ["owner_id", "created_at", "id"], unique=False
    )
    op.create_index(
        "ix_cases_station_id_created_at_id", "cases", ["station_id", "created_at", "id"], unique=False
    )
    op.create_index("ix_cases_status_created_at_id", "cases", ["status", "created_at", "id"], unique=False)
    op.create_index("ix_cases_urgency_created_at_id", "cases", ["urgency", "created_at", "id"], unique=False)
    op.create_table(
        "case_events",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "RECEIVE",
                "HANDLE_ON_SPOT",
                "TURN_INTO_ORDER",
                "TURN_INTO_DEMAND",
                "WHISTLE",
                "HAND_OVER",
                "CLOSE",
                "EVALUATE",
                "URGE",
                "ESCALATE",
                "EXTEND_DEADLINE",
                "REASSIGN",
                name="caseaction",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "from_status",
            sa.Enum(
                "RECEIVED",
                "HANDLED",
                "ORDERED",
                "DEMANDED",
                "WHISTLED",
                "CLOSED",
                "EVALUATED",
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
                "RECEIVED",
                "HANDLED",
                "ORDERED",
                "DEMANDED",
                "WHISTLED",
                "CLOSED",
                "EVALUATED",
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
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("commit_order", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_case_events_actor_id_users")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases")),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_case_events_owner_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    op.create_index("ix_case_events_case_id_id", "case_events", ["case_id", "id"], unique=False)
    op.create_index("ix_case_events_commit_order", "case_events", ["commit_order"], unique=True)
    op.add_column(
        "orders",
        sa.Column(
            "kind",
            sa.Enum(
                "CATALOG", "WHISTLE", name="orderkind", native_enum=False, create_constraint=True, length=32
            ),
            server_default="CATALOG",
            nullable=False,
        ),
    )
    op.add_column("orders", sa.Column("matter", sa.Text(), nullable=True))
    op.create_index("ix_orders_kind_created_at_id", "orders", ["kind", "created_at", "id"], unique=False)

    op.drop_constraint(op.f("ck_orders_one_subject"), "orders", type_="check")
    op.create_check_constraint(op.f("ck_orders_one_subject"), "orders", ANY_SUBJECT)
    _actions_check(ORDER_ACTIONS + NEW_ORDER_ACTIONS)
    op.execute(
        "CREATE TRIGGER case_events_are_immutable BEFORE UPDATE OR DELETE ON case_events "
        "FOR EACH ROW EXECUTE FUNCTION doorstep_refuse_event_change()"
    )
    op.execute("CREATE SEQUENCE case_event_positions")
    op.execute(
        f"""
        CREATE FUNCTION case_event_position() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock({CASE_POSITION_LOCK});
            UPDATE case_events SET commit_order = nextval('case_event_positions') WHERE id = NEW.id;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE CONSTRAINT TRIGGER case_event_position AFTER INSERT ON case_events "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION case_event_position()"
    )
    for table in ("cases", "case_events"):
        op.execute(
            f"CREATE TRIGGER doorstep_response_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION doorstep_announce_table_change()"
        )


def downgrade() -> None:
    for table in ("cases", "case_events"):
        op.execute(f"DROP TRIGGER doorstep_response_cache ON {table}")
    op.drop_table("case_events")
    op.execute("DROP FUNCTION case_event_position()")
    op.execute("DROP SEQUENCE case_event_positions")
    op.drop_table("cases")
    # Whistles and supervision have no place in the older schema: their rows go with it.
    op.execute("ALTER TABLE order_events DISABLE TRIGGER order_events_are_immutable")
    op.execute(
        "DELETE FROM order_events WHERE action IN ('REFER', 'URGE', 'ESCALATE', 'EXTEND_DEADLINE', 'REASSIGN')"
        " OR order_id IN (SELECT id FROM orders WHERE kind = 'WHISTLE')"
    )
    op.execute("ALTER TABLE order_events ENABLE TRIGGER order_events_are_immutable")
    op.execute("DELETE FROM orders WHERE kind = 'WHISTLE'")
    _actions_check(ORDER_ACTIONS)
    op.drop_constraint(op.f("ck_orders_one_subject"), "orders", type_="check")
    op.create_check_constraint(op.f("ck_orders_one_subject"), "orders", CATALOG_SUBJECT)
    op.drop_index("ix_orders_kind_created_at_id", table_name="orders")
    op.drop_column("orders", "matter")
    op.drop_column("orders", "kind")
