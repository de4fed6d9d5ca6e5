"""statistics: extended statistics on the calendar period of each order, demand and meeting, so
PostgreSQL estimates how many groups a statistic by day, week, month, quarter or year has; the
category and tier of services and projects in an index

Without them the planner takes a period expression over a timestamp for as many values as rows:
a year of a city's orders by month looks like half a million groups, too many to hash in
`work_mem`, so it sorts every row (on disk) instead of hashing fourteen groups, and cannot split
the work among parallel workers. ANALYZE (and autovacuum's) fills them.

The expressions are those of `resolvers.statistics.sources.Source.period_start` (the same text,
or the planner does not match them).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23 19:30:00
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

MOMENTS = {"orders": "created_at", "demands": "posted_at", "meetings": "held_at"}
PERIODS = ("day", "week", "month", "quarter", "year")


def upgrade() -> None:
    for table in ("services", "projects"):
        # models.catalog.subject_index: statistics hash every subject's category and tier.
        op.create_index(
            f"ix_{table}_statistics_id", table, ["id"], postgresql_include=["category_id", "tier"]
        )
    for table, moment in MOMENTS.items():
        for period in PERIODS:
            op.execute(
                f"CREATE STATISTICS IF NOT EXISTS st_{table}_{period} "
                f"ON ((date_trunc('{period}', timezone('Asia/Shanghai', {moment})))::date) FROM {table}"
            )
        op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    for table in ("services", "projects"):
        op.drop_index(f"ix_{table}_statistics_id", table_name=table)
    for table in MOMENTS:
        for period in PERIODS:
            op.execute(f"DROP STATISTICS IF EXISTS st_{table}_{period}")
