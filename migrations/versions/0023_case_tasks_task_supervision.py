"""cases turned into volunteer tasks (tasks.case_id), town supervision of tasks, deadline alerts of cases and tasks

Revision ID: 0023
Revises: 0017
Create Date: 2026-11-23 22:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0017"
branch_labels = None
depends_on = None

CASE_STATUSES = ("RECEIVED", "HANDLED", "ORDERED", "DEMANDED", "WHISTLED", "CLOSED", "EVALUATED")
OPEN_CASES = ("RECEIVED", "HANDLED", "ORDERED", "DEMANDED", "WHISTLED")
CASE_ROUTES = ("ON_THE_SPOT", "ORDER", "DEMAND", "WHISTLE")
CASE_ACTIONS = (
    "RECEIVE", "HANDLE_ON_SPOT", "TURN_INTO_ORDER", "TURN_INTO_DEMAND", "WHISTLE", "HAND_OVER", "CLOSE",
    "EVALUATE", "URGE", "ESCALATE", "EXTEND_DEADLINE", "REASSIGN",
)  # fmt: skip
TASK_ACTIONS = ("POST", "TAKE", "WITHDRAW", "START", "CONFIRM", "CANCEL")
SUPERVISION = ("URGE", "ESCALATE", "EXTEND_DEADLINE", "REASSIGN")


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _check(table: str, name: str, condition: str) -> None:
    op.drop_constraint(op.f(f"ck_{table}_{name}"), table, type_="check")
    op.create_check_constraint(op.f(f"ck_{table}_{name}"), table, condition)


def _case_checks(statuses: tuple[str, ...], open_cases: tuple[str, ...], routes: tuple[str, ...]) -> None:
    _check("cases", "casestatus", f"status IN ({_listed(statuses)})")
    _check("case_events", "from_status", f"from_status IN ({_listed(statuses)})")
    _check("case_events", "to_status", f"to_status IN ({_listed(statuses)})")
    _check("cases", "caseroute", f"route IN ({_listed(routes)})")
    _check(
        "cases",
        "result_when_closed",
        f"(status IN ({_listed(open_cases)})) = (closed_at IS NULL) AND (closed_at IS NULL) = (result IS NULL)",
    )
    op.drop_index("ix_cases_closing_due_at_open", table_name="cases")
    op.create_index(
        "ix_cases_closing_due_at_open",
        "cases",
        ["closing_due_at"],
        unique=False,
        postgresql_where=sa.text(f"status IN ({_listed(open_cases)})"),
    )


ALERTS = ("DEADLINE_NEARING", "DEADLINE_PASSED")
# subject table, its events, the key naming it, its deadlines' due and alert columns, the deadline enum,
# and which statuses owe each deadline (as the partial indexes of the alert scan read them).
ALERTED = (
    (
        "cases",
        "case_events",
        "case_id",
        "casedeadline",
        (("answer", "status = 'RECEIVED'", "received"), ("closing", None, "open")),
        ("ANSWER", "CLOSING"),
    ),
    (
        "tasks",
        "task_events",
        "task_id",
        "taskdeadline",
        (("take", "status = 'OPEN'", "open"), ("complete", None, "awaiting_completion")),
        ("TAKE", "COMPLETION"),
    ),
)
AWAITING_COMPLETION = ("OPEN", "TAKEN", "IN_PROGRESS")
DUE = {
    "answer": "answer_due_at",
    "closing": "closing_due_at",
    "take": "take_due_at",
    "complete": "complete_due_at",
}
IMMUTABLE = {"case_events": "case_events_are_immutable", "task_events": "task_events_immutable"}


def _alerts_up() -> None:
    open_statuses = {"cases": (*OPEN_CASES, "TASKED"), "tasks": AWAITING_COMPLETION}
    for table, events, key, enum_name, deadlines, names in ALERTED:
        for prefix, where, suffix in deadlines:
            due = DUE[prefix]
            op.add_column(table, sa.Column(f"{prefix}_alert_at", sa.DateTime(timezone=True), nullable=True))
            # As the API sets it: a quarter of the time limit before the deadline.
            op.execute(f"UPDATE {table} SET {prefix}_alert_at = {due} - ({due} - created_at) / 4")
            op.alter_column(table, f"{prefix}_alert_at", nullable=False)
            condition = where or f"status IN ({_listed(open_statuses[table])})"
            op.create_index(
                f"ix_{table}_{prefix}_alert_at_{suffix}",
                table,
                [f"{prefix}_alert_at"],
                unique=False,
                postgresql_where=sa.text(condition),
            )
        op.alter_column(events, "actor_id", nullable=True)
        op.alter_column(events, "actor_role", nullable=True)
        op.add_column(
            events,
            sa.Column(
                "deadline",
                sa.Enum(*names, name=enum_name, native_enum=False, create_constraint=True, length=32),
                nullable=True,
            ),
        )
        op.create_check_constraint(
            op.f(f"ck_{events}_alerts_have_a_deadline_and_no_actor"),
            events,
            f"(action IN ({_listed(ALERTS)})) = (deadline IS NOT NULL)"
            " AND (deadline IS NULL) = (actor_id IS NOT NULL)"
            " AND (actor_id IS NULL) = (actor_role IS NULL)",
        )
        op.create_index(
            f"uq_{events}_{key}_deadline_action",
            events,
            [key, "deadline", "action"],
            unique=True,
            postgresql_where=sa.text("deadline IS NOT NULL"),
        )


def _alerts_down() -> None:
    for table, events, key, _, deadlines, _ in ALERTED:
        op.execute(f"ALTER TABLE {events} DISABLE TRIGGER {IMMUTABLE[events]}")
        op.execute(f"DELETE FROM {events} WHERE deadline IS NOT NULL")
        op.execute(f"ALTER TABLE {events} ENABLE TRIGGER {IMMUTABLE[events]}")
        op.drop_index(f"uq_{events}_{key}_deadline_action", table_name=events)
        op.drop_constraint(op.f(f"ck_{events}_alerts_have_a_deadline_and_no_actor"), events, type_="check")
        op.drop_column(events, "deadline")
        op.alter_column(events, "actor_id", nullable=False)
        op.alter_column(events, "actor_role", nullable=False)
        for prefix, _, suffix in deadlines:
            op.drop_index(f"ix_{table}_{prefix}_alert_at_{suffix}", table_name=table)
            op.drop_column(table, f"{prefix}_alert_at")


def upgrade() -> None:
    op.add_column("tasks", sa.Column("case_id", sa.Integer(), nullable=True))
    op.create_foreign_key(op.f("fk_tasks_case_id_cases"), "tasks", "cases", ["case_id"], ["id"])
    op.create_index("ix_tasks_case_id", "tasks", ["case_id"], unique=False)
    _case_checks((*CASE_STATUSES, "TASKED"), (*OPEN_CASES, "TASKED"), (*CASE_ROUTES, "TASK"))
    _check("case_events", "caseaction", f"action IN ({_listed((*CASE_ACTIONS, 'TURN_INTO_TASK', *ALERTS))})")
    _check("task_events", "taskaction", f"action IN ({_listed((*TASK_ACTIONS, *SUPERVISION, *ALERTS))})")
    _alerts_up()


def downgrade() -> None:
    _alerts_down()
    # The histories are immutable but for a downgrade, which forgets what the older schema cannot hold.
    op.execute("ALTER TABLE task_events DISABLE TRIGGER task_events_immutable")
    op.execute(f"DELETE FROM task_events WHERE action IN ({_listed(SUPERVISION)})")
    op.execute("ALTER TABLE task_events ENABLE TRIGGER task_events_immutable")
    _check("task_events", "taskaction", f"action IN ({_listed(TASK_ACTIONS)})")
    op.drop_index("ix_tasks_case_id", table_name="tasks")
    op.drop_constraint(op.f("fk_tasks_case_id_cases"), "tasks", type_="foreignkey")
    op.drop_column("tasks", "case_id")
    # Cases taken on through a task lose their history of it: no earlier status holds them.
    op.execute("ALTER TABLE case_events DISABLE TRIGGER case_events_are_immutable")
    op.execute("DELETE FROM case_events WHERE case_id IN (SELECT id FROM cases WHERE route = 'TASK')")
    op.execute("ALTER TABLE case_events ENABLE TRIGGER case_events_are_immutable")
    op.execute("DELETE FROM cases WHERE route = 'TASK'")
    _check("case_events", "caseaction", f"action IN ({_listed(CASE_ACTIONS)})")
    _case_checks(CASE_STATUSES, OPEN_CASES, CASE_ROUTES)
