"""response cache: demand histories announce their committed changes too

Revision ID: 0016
Revises: 0014
Create Date: 2026-11-23 19:20:00

`demand_events` (0010) came after the tables of 0007; until it has the trigger, a
response that reads a demand's history is never kept. Sign-in throttles (0013) are
read by no response and need none.
"""

from alembic import op

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE TRIGGER doorstep_response_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON demand_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION doorstep_announce_table_change()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER doorstep_response_cache ON demand_events")
