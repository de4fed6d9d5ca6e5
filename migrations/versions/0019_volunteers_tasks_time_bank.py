"""volunteers, tasks dispatched to them, and the time bank's double-entry ledger

Revision ID: 0019
Revises: 0021
Create Date: 2026-11-23 21:07:54

The VOLUNTEER role (users.role is a checked VARCHAR, see models.base.enum_column: the CHECK
constraints naming roles are replaced). Task events get their commit position like order
events (0008). The ledger is guarded in the database: each entry's lines sum to zero (checked
at commit), a volunteer's balance never goes below zero (checked under a lock on its account
row, so concurrent spends queue), and entries and lines refuse UPDATE, DELETE and TRUNCATE.
"""

import re

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0019"
down_revision = "0021"
branch_labels = None
depends_on = None

ROLES_BEFORE = ("ADMIN", "TOWN_STAFF", "STATION_STAFF", "PROVIDER_STAFF")
ROLES = (*ROLES_BEFORE, "VOLUNTEER")
# The CHECK constraints of enum_column(Role) columns: (table, constraint).
ROLE_CHECKS = (
    ("users", "ck_users_role"),
    ("order_events", "ck_order_events_role"),
    ("demand_events", "ck_demand_events_demand_actor_role"),
)
COLUMN_OF_CHECK = {"users": "role", "order_events": "actor_role", "demand_events": "actor_role"}
SCOPE_BEFORE = (
    "(role = 'ADMIN' AND town_id IS NULL AND station_id IS NULL AND provider_id IS NULL)"
    " OR (role = 'TOWN_STAFF' AND town_id IS NOT NULL AND station_id IS NULL AND provider_id IS NULL)"
    " OR (role = 'STATION_STAFF' AND station_id IS NOT NULL AND town_id IS NULL AND provider_id IS NULL)"
    " OR (role = 'PROVIDER_STAFF' AND provider_id IS NOT NULL AND town_id IS NULL AND station_id IS NULL)"
)
SCOPE = (
    SCOPE_BEFORE
    + " OR (role = 'VOLUNTEER' AND station_id IS NOT NULL AND town_id IS NULL AND provider_id IS NULL)"
)
# The key of the advisory lock the task-event trigger holds from drawing a position to the commit.
TASK_POSITION_LOCK = 0x7461736B
NEW_TABLES = (
    "volunteers",
    "volunteer_availability",
    "tasks",
    "task_events",
    "ledger_accounts",
    "ledger_entries",
    "ledger_lines",
    "rewards",
    "redemptions",
)


def _roles(table: str, constraint: str, roles: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{role}'" for role in roles)
    op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")
    op.execute(
        f"ALTER TABLE {table} ADD CONSTRAINT {constraint} CHECK ({COLUMN_OF_CHECK[table]} IN ({listed}))"
    )


def _each(script: str) -> None:
    """Runs a script statement by statement (asyncpg prepares one at a time); a statement ends
    with a semicolon at the end of a line followed by the next statement, a comment or a blank line."""
    for statement in re.split(r";\n(?=CREATE|DROP|--|\n)", script.strip().rstrip(";")):
        op.execute(statement)


def _scope(check: str) -> None:
    op.execute("ALTER TABLE users DROP CONSTRAINT ck_users_scope_matches_role")
    op.execute(f"ALTER TABLE users ADD CONSTRAINT ck_users_scope_matches_role CHECK ({check})")


GUARDS = f"""
CREATE FUNCTION task_event_position() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({TASK_POSITION_LOCK});
    UPDATE task_events SET commit_order = nextval('task_event_positions') WHERE id = NEW.id;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER task_event_position AFTER INSERT ON task_events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION task_event_position();

CREATE FUNCTION doorstep_refuse_task_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.commit_order IS NULL AND NEW.commit_order IS NOT NULL
       AND to_jsonb(NEW) - 'commit_order' = to_jsonb(OLD) - 'commit_order' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'task events are immutable: % refused', TG_OP;
END $$;
CREATE TRIGGER task_events_immutable BEFORE UPDATE OR DELETE ON task_events
    FOR EACH ROW EXECUTE FUNCTION doorstep_refuse_task_event_change();
CREATE TRIGGER task_events_not_truncated BEFORE TRUNCATE ON task_events
    FOR EACH STATEMENT EXECUTE FUNCTION doorstep_refuse_task_event_change();

CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_entries_not_truncated BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_lines_append_only BEFORE UPDATE OR DELETE ON ledger_lines
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_lines_not_truncated BEFORE TRUNCATE ON ledger_lines
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- Checked at commit, when all of an entry's lines are in: they balance, and there are two at least.
CREATE FUNCTION ledger_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total bigint;
    lines integer;
BEGIN
    SELECT coalesce(sum(amount), 0), count(*) INTO total, lines FROM ledger_lines WHERE entry_id = NEW.entry_id;
    IF total <> 0 OR lines < 2 THEN
        RAISE EXCEPTION 'ledger entry % does not balance: % line(s) summing to %', NEW.entry_id, lines, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_entry_balanced AFTER INSERT ON ledger_lines
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced();

-- A volunteer's points never go below zero. The account row is locked first: a concurrent spend
-- waits for this transaction, and its sum (a new snapshot per statement) then sees these lines.
CREATE FUNCTION ledger_balance_not_negative() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    balance bigint;
BEGIN
    IF NEW.amount >= 0 THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM ledger_accounts WHERE id = NEW.account_id AND kind = 'VOLUNTEER' FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(sum(amount), 0) INTO balance FROM ledger_lines WHERE account_id = NEW.account_id;
    IF balance < 0 THEN
        RAISE EXCEPTION 'ledger account % would go negative (%)', NEW.account_id, balance
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_balance_not_negative AFTER INSERT ON ledger_lines
    FOR EACH ROW EXECUTE FUNCTION ledger_balance_not_negative();
"""

UNGUARDS = """
DROP TRIGGER ledger_balance_not_negative ON ledger_lines;
DROP FUNCTION ledger_balance_not_negative();
DROP TRIGGER ledger_entry_balanced ON ledger_lines;
DROP FUNCTION ledger_entry_balanced();
DROP TRIGGER ledger_lines_not_truncated ON ledger_lines;
DROP TRIGGER ledger_lines_append_only ON ledger_lines;
DROP TRIGGER ledger_entries_not_truncated ON ledger_entries;
DROP TRIGGER ledger_entries_append_only ON ledger_entries;
DROP FUNCTION ledger_refuse_change();
DROP TRIGGER task_events_not_truncated ON task_events;
DROP TRIGGER task_events_immutable ON task_events;
DROP FUNCTION doorstep_refuse_task_event_change();
DROP TRIGGER task_event_position ON task_events;
DROP FUNCTION task_event_position();
"""


def upgrade() -> None:
    for table, constraint in ROLE_CHECKS:
        _roles(table, constraint, ROLES)
    _scope(SCOPE)
    op.create_table(
        "rewards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("points_price", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("points_price BETWEEN 1 AND 100000", name=op.f("ck_rewards_points_price_range")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_rewards_created_by_id_users")),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_rewards_district_id_districts")
        ),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], name=op.f("fk_rewards_station_id_stations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rewards")),
    )
    op.create_index(
        "ix_rewards_district_id_points_price_id",
        "rewards",
        ["district_id", "points_price", "id"],
        unique=False,
    )
    op.create_index("ix_rewards_name_id", "rewards", ["name", "id"], unique=False)
    op.create_index("ix_rewards_created_at_id", "rewards", ["created_at", "id"], unique=False)
    op.create_index("ix_rewards_points_price_id", "rewards", ["points_price", "id"], unique=False)
    op.create_index(
        "ix_rewards_station_id_points_price_id", "rewards", ["station_id", "points_price", "id"], unique=False
    )
    op.create_table(
        "volunteers",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("is_party_member", sa.Boolean(), nullable=False),
        sa.Column(
            "skills",
            postgresql.ARRAY(
                sa.Enum(
                    "ELDERLY_CARE",
                    "MEDICAL_ESCORT",
                    "NURSING",
                    "HOUSEHOLD_REPAIR",
                    "CLEANING",
                    "TUTORING",
                    "LEGAL_ADVICE",
                    "COUNSELLING",
                    "DRIVING",
                    "DIGITAL_HELP",
                    "HAIRCUT",
                    "PATROL",
                    "EVENT_SUPPORT",
                    name="skill",
                    native_enum=False,
                    length=32,
                )
            ),
            nullable=False,
        ),
        sa.Column("registered_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["registered_by_id"], ["users.id"], name=op.f("fk_volunteers_registered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["stations.id"], name=op.f("fk_volunteers_station_id_stations")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_volunteers_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_volunteers")),
    )
    op.create_index("ix_volunteers_created_at_user_id", "volunteers", ["created_at", "user_id"], unique=False)
    op.create_index("ix_volunteers_skills", "volunteers", ["skills"], unique=False, postgresql_using="gin")
    op.create_index(
        "ix_volunteers_station_id_created_at_user_id",
        "volunteers",
        ["station_id", "created_at", "user_id"],
        unique=False,
    )
    op.create_table(
        "ledger_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "VOLUNTEER",
                "ISSUED",
                "REDEEMED",
                name="ledgeraccountkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(kind = 'VOLUNTEER') = (volunteer_id IS NOT NULL)",
            name=op.f("ck_ledger_accounts_volunteer_of_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["stations.id"], name=op.f("fk_ledger_accounts_station_id_stations")
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"], ["volunteers.user_id"], name=op.f("fk_ledger_accounts_volunteer_id_volunteers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_accounts")),
    )
    op.create_index(
        "uq_ledger_accounts_station_id_kind",
        "ledger_accounts",
        ["station_id", "kind"],
        unique=True,
        postgresql_where=sa.text("kind <> 'VOLUNTEER'"),
    )
    op.create_index("uq_ledger_accounts_volunteer_id", "ledger_accounts", ["volunteer_id"], unique=True)
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("demand_id", sa.Integer(), nullable=True),
        sa.Column("posted_by_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
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
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "required_skills",
            postgresql.ARRAY(
                sa.Enum(
                    "ELDERLY_CARE",
                    "MEDICAL_ESCORT",
                    "NURSING",
                    "HOUSEHOLD_REPAIR",
                    "CLEANING",
                    "TUTORING",
                    "LEGAL_ADVICE",
                    "COUNSELLING",
                    "DRIVING",
                    "DIGITAL_HELP",
                    "HAIRCUT",
                    "PATROL",
                    "EVENT_SUPPORT",
                    name="skill",
                    native_enum=False,
                    length=32,
                )
            ),
            nullable=False,
        ),
        sa.Column("hours_expected", sa.Numeric(precision=4, scale=1), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "OPEN",
                "TAKEN",
                "IN_PROGRESS",
                "COMPLETED",
                "CANCELLED",
                name="taskstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("volunteer_id", sa.Integer(), nullable=True),
        sa.Column("resident_name", sa.String(length=50), nullable=True),
        sa.Column("resident_phone", sa.String(length=32), nullable=True),
        sa.Column("resident_address", sa.String(length=200), nullable=True),
        sa.Column("take_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("complete_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hours_worked", sa.Numeric(precision=4, scale=1), nullable=True),
        sa.Column("cancellation_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(status IN ('TAKEN', 'IN_PROGRESS', 'COMPLETED')) = (volunteer_id IS NOT NULL)",
            name=op.f("ck_tasks_held_by_one"),
        ),
        sa.CheckConstraint(
            "hours_worked > 0 AND hours_worked <= 24 AND (status = 'COMPLETED') = (hours_worked IS NOT NULL)",
            name=op.f("ck_tasks_hours_worked_when_completed"),
        ),
        sa.CheckConstraint(
            "(resident_name IS NULL) = (resident_phone IS NULL)", name=op.f("ck_tasks_resident_complete")
        ),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_tasks_window_ordered")),
        sa.CheckConstraint(
            "hours_expected > 0 AND hours_expected <= 24", name=op.f("ck_tasks_hours_expected_range")
        ),
        sa.ForeignKeyConstraint(["demand_id"], ["demands.id"], name=op.f("fk_tasks_demand_id_demands")),
        sa.ForeignKeyConstraint(["posted_by_id"], ["users.id"], name=op.f("fk_tasks_posted_by_id_users")),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], name=op.f("fk_tasks_station_id_stations")),
        sa.ForeignKeyConstraint(
            ["volunteer_id"], ["volunteers.user_id"], name=op.f("fk_tasks_volunteer_id_volunteers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    op.create_index(
        "ix_tasks_complete_due_at_awaiting_completion",
        "tasks",
        ["complete_due_at"],
        unique=False,
        postgresql_where=sa.text("status IN ('OPEN', 'TAKEN', 'IN_PROGRESS')"),
    )
    op.create_index("ix_tasks_created_at_id", "tasks", ["created_at", "id"], unique=False)
    op.create_index("ix_tasks_demand_id", "tasks", ["demand_id"], unique=False)
    op.create_index(
        "ix_tasks_required_skills", "tasks", ["required_skills"], unique=False, postgresql_using="gin"
    )
    op.create_index("ix_tasks_starts_at_id", "tasks", ["starts_at", "id"], unique=False)
    op.create_index(
        "ix_tasks_station_id_created_at_id", "tasks", ["station_id", "created_at", "id"], unique=False
    )
    op.create_index(
        "ix_tasks_station_id_starts_at_id", "tasks", ["station_id", "starts_at", "id"], unique=False
    )
    op.create_index(
        "ix_tasks_station_id_starts_at_id_open",
        "tasks",
        ["station_id", "starts_at", "id"],
        unique=False,
        postgresql_where=sa.text("status = 'OPEN'"),
    )
    op.create_index("ix_tasks_status_created_at_id", "tasks", ["status", "created_at", "id"], unique=False)
    op.create_index(
        "ix_tasks_take_due_at_open",
        "tasks",
        ["take_due_at"],
        unique=False,
        postgresql_where=sa.text("status = 'OPEN'"),
    )
    op.create_index("ix_tasks_urgency_created_at_id", "tasks", ["urgency", "created_at", "id"], unique=False)
    op.create_index(
        "ix_tasks_volunteer_id_created_at_id", "tasks", ["volunteer_id", "created_at", "id"], unique=False
    )
    op.create_table(
        "volunteer_availability",
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column(
            "day_part",
            sa.Enum(
                "MORNING",
                "AFTERNOON",
                "EVENING",
                name="daypart",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.CheckConstraint("weekday BETWEEN 1 AND 7", name=op.f("ck_volunteer_availability_weekday_range")),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.user_id"],
            name=op.f("fk_volunteer_availability_volunteer_id_volunteers"),
        ),
        sa.PrimaryKeyConstraint(
            "volunteer_id", "weekday", "day_part", name=op.f("pk_volunteer_availability")
        ),
    )
    op.create_index(
        "ix_volunteer_availability_weekday_day_part",
        "volunteer_availability",
        ["weekday", "day_part"],
        unique=False,
    )
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "EARNING",
                "REDEMPTION",
                name="entrykind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(kind = 'EARNING') = (task_id IS NOT NULL)", name=op.f("ck_ledger_entries_earning_for_a_task")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_ledger_entries_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["stations.id"], name=op.f("fk_ledger_entries_station_id_stations")
        ),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_ledger_entries_task_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    op.create_index("ix_ledger_entries_station_id_id", "ledger_entries", ["station_id", "id"], unique=False)
    op.create_index("uq_ledger_entries_task_id", "ledger_entries", ["task_id"], unique=True)
    op.create_table(
        "task_events",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=True),
        sa.Column(
            "action",
            sa.Enum(
                "POST",
                "TAKE",
                "WITHDRAW",
                "START",
                "CONFIRM",
                "CANCEL",
                name="taskaction",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "from_status",
            sa.Enum(
                "OPEN",
                "TAKEN",
                "IN_PROGRESS",
                "COMPLETED",
                "CANCELLED",
                name="task_from_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "OPEN",
                "TAKEN",
                "IN_PROGRESS",
                "COMPLETED",
                "CANCELLED",
                name="task_to_status",
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
                "VOLUNTEER",
                name="task_actor_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("commit_order", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_task_events_actor_id_users")),
        sa.ForeignKeyConstraint(
            ["station_id"], ["stations.id"], name=op.f("fk_task_events_station_id_stations")
        ),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_task_events_task_id_tasks")),
        sa.ForeignKeyConstraint(
            ["volunteer_id"], ["volunteers.user_id"], name=op.f("fk_task_events_volunteer_id_volunteers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_events")),
    )
    op.create_index("ix_task_events_commit_order", "task_events", ["commit_order"], unique=True)
    op.create_index("ix_task_events_task_id_id", "task_events", ["task_id", "id"], unique=False)
    op.create_index(
        "uq_task_events_task_id_actor_id_take",
        "task_events",
        ["task_id", "actor_id"],
        unique=True,
        postgresql_where=sa.text("action = 'TAKE'"),
    )
    op.create_table(
        "ledger_lines",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_ledger_lines_amount_not_zero")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["ledger_accounts.id"], name=op.f("fk_ledger_lines_account_id_ledger_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["ledger_entries.id"], name=op.f("fk_ledger_lines_entry_id_ledger_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_lines")),
    )
    op.create_index(
        "ix_ledger_lines_account_id_id",
        "ledger_lines",
        ["account_id", "id"],
        unique=False,
        postgresql_include=["amount"],
    )
    op.create_index("ix_ledger_lines_entry_id", "ledger_lines", ["entry_id"], unique=False)
    op.create_table(
        "redemptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("reward_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("redeemed_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["ledger_entries.id"], name=op.f("fk_redemptions_entry_id_ledger_entries")
        ),
        sa.ForeignKeyConstraint(
            ["redeemed_by_id"], ["users.id"], name=op.f("fk_redemptions_redeemed_by_id_users")
        ),
        sa.ForeignKeyConstraint(["reward_id"], ["rewards.id"], name=op.f("fk_redemptions_reward_id_rewards")),
        sa.ForeignKeyConstraint(
            ["volunteer_id"], ["volunteers.user_id"], name=op.f("fk_redemptions_volunteer_id_volunteers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redemptions")),
        sa.UniqueConstraint(
            "volunteer_id", "idempotency_key", name=op.f("uq_redemptions_volunteer_id_idempotency_key")
        ),
    )
    op.create_index("ix_redemptions_reward_id", "redemptions", ["reward_id"], unique=False)
    op.create_index("ix_redemptions_volunteer_id_id", "redemptions", ["volunteer_id", "id"], unique=False)
    op.create_index("uq_redemptions_entry_id", "redemptions", ["entry_id"], unique=True)
    op.execute("CREATE SEQUENCE task_event_positions")
    _each(GUARDS)
    # The response cache (0007) drops what read these tables when they change.
    for table in NEW_TABLES:
        op.execute(
            f"CREATE TRIGGER doorstep_response_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION doorstep_announce_table_change()"
        )


def downgrade() -> None:
    # Dropping the tables drops their triggers (the response cache's among them).
    _each(UNGUARDS)
    op.execute("DROP SEQUENCE task_event_positions")
    op.drop_index("uq_redemptions_entry_id", table_name="redemptions")
    op.drop_index("ix_redemptions_volunteer_id_id", table_name="redemptions")
    op.drop_index("ix_redemptions_reward_id", table_name="redemptions")
    op.drop_table("redemptions")
    op.drop_index("ix_ledger_lines_entry_id", table_name="ledger_lines")
    op.drop_index("ix_ledger_lines_account_id_id", table_name="ledger_lines", postgresql_include=["amount"])
    op.drop_table("ledger_lines")
    op.drop_index(
        "uq_task_events_task_id_actor_id_take",
        table_name="task_events",
        postgresql_where=sa.text("action = 'TAKE'"),
    )
    op.drop_index("ix_task_events_task_id_id", table_name="task_events")
    op.drop_index("ix_task_events_commit_order", table_name="task_events")
    op.drop_table("task_events")
    op.drop_index("uq_ledger_entries_task_id", table_name="ledger_entries")
    op.drop_index("ix_ledger_entries_station_id_id", table_name="ledger_entries")
    op.drop_table("ledger_entries")
    op.drop_index("ix_volunteer_availability_weekday_day_part", table_name="volunteer_availability")
    op.drop_table("volunteer_availability")
    op.drop_index("ix_tasks_volunteer_id_created_at_id", table_name="tasks")
    op.drop_index("ix_tasks_urgency_created_at_id", table_name="tasks")
    op.drop_index(
        "ix_tasks_take_due_at_open", table_name="tasks", postgresql_where=sa.text("status = 'OPEN'")
    )
    op.drop_index("ix_tasks_status_created_at_id", table_name="tasks")
    op.drop_index(
        "ix_tasks_station_id_starts_at_id_open",
        table_name="tasks",
        postgresql_where=sa.text("status = 'OPEN'"),
    )
    op.drop_index("ix_tasks_station_id_starts_at_id", table_name="tasks")
    op.drop_index("ix_tasks_station_id_created_at_id", table_name="tasks")
    op.drop_index("ix_tasks_starts_at_id", table_name="tasks")
    op.drop_index("ix_tasks_required_skills", table_name="tasks", postgresql_using="gin")
    op.drop_index("ix_tasks_demand_id", table_name="tasks")
    op.drop_index("ix_tasks_created_at_id", table_name="tasks")
    op.drop_index(
        "ix_tasks_complete_due_at_awaiting_completion",
        table_name="tasks",
        postgresql_where=sa.text("status IN ('OPEN', 'TAKEN', 'IN_PROGRESS')"),
    )
    op.drop_table("tasks")
    op.drop_index("uq_ledger_accounts_volunteer_id", table_name="ledger_accounts")
    op.drop_index(
        "uq_ledger_accounts_station_id_kind",
        table_name="ledger_accounts",
        postgresql_where=sa.text("kind <> 'VOLUNTEER'"),
    )
    op.drop_table("ledger_accounts")
    op.drop_index("ix_volunteers_station_id_created_at_user_id", table_name="volunteers")
    op.drop_index("ix_volunteers_skills", table_name="volunteers", postgresql_using="gin")
    op.drop_index("ix_volunteers_created_at_user_id", table_name="volunteers")
    op.drop_table("volunteers")
    op.drop_index("ix_rewards_station_id_points_price_id", table_name="rewards")
    op.drop_index("ix_rewards_points_price_id", table_name="rewards")
    op.drop_index("ix_rewards_name_id", table_name="rewards")
    op.drop_index("ix_rewards_created_at_id", table_name="rewards")
    op.drop_index("ix_rewards_district_id_points_price_id", table_name="rewards")
    op.drop_table("rewards")
    op.execute("DELETE FROM users WHERE role = 'VOLUNTEER'")
    _scope(SCOPE_BEFORE)
    for table, constraint in ROLE_CHECKS:
        _roles(table, constraint, ROLES_BEFORE)
