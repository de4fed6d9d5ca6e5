"""response cache: every table a response can read announces its committed changes

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 18:00:00

A statement-level trigger on each table sends `pg_notify('doorstep_table_changes', <table>)`.
Notifications are delivered only when the transaction commits, and one transaction
sends each table's name once however many statements changed it, so a process drops
the responses that read a table exactly when a change to it becomes visible. The
processes find the tables that have the trigger (by its name) when they start
listening, and never keep a response that read a table without it.
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = [
    "districts",
    "towns",
    "stations",
    "providers",
    "categories",
    "services",
    "resources",
    "projects",
    "demands",
    "demand_proposals",
    "project_resources",
    "users",
    "orders",
    "order_events",
    "meetings",
]


def upgrade() -> None:
    op.execute(
        """
CREATE FUNCTION doorstep_announce_table_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('doorstep_table_changes', TG_TABLE_NAME);
  RETURN NULL;
END $$"""
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER doorstep_response_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION doorstep_announce_table_change()"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER doorstep_response_cache ON {table}")
    op.execute("DROP FUNCTION doorstep_announce_table_change()")
