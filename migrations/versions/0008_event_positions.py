"""event positions: each event's cursor position is drawn at commit, under a lock held only by the commit

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 18:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The key of the advisory lock the trigger holds from drawing a position to the end of the commit.
POSITION_LOCK = 0x6576656E74


# Events stay immutable, but for the one change each takes: its position, set once at commit.
IMMUTABLE_BUT_POSITION = """
CREATE OR REPLACE FUNCTION doorstep_refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.commit_order IS NULL AND NEW.commit_order IS NOT NULL
       AND to_jsonb(NEW) - 'commit_order' = to_jsonb(OLD) - 'commit_order' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'order events are immutable: % refused', TG_OP;
END
$$
"""
IMMUTABLE = """
CREATE OR REPLACE FUNCTION doorstep_refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'order events are immutable: % refused', TG_OP;
END
$$
"""


def upgrade() -> None:
    op.add_column("order_events", sa.Column("commit_order", sa.BigInteger(), nullable=True))
    op.execute(IMMUTABLE_BUT_POSITION)
    op.execute("CREATE SEQUENCE order_event_positions")
    # Events committed so far keep their id as their position: cursors handed out stay valid.
    op.execute("UPDATE order_events SET commit_order = id")
    op.execute(
        "SELECT setval('order_event_positions', coalesce((SELECT max(commit_order) FROM order_events), 0) + 1, false)"
    )
    op.create_index("ix_order_events_commit_order", "order_events", ["commit_order"], unique=True)
    op.execute(
        f"""
        CREATE FUNCTION order_event_position() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock({POSITION_LOCK});
            UPDATE order_events SET commit_order = nextval('order_event_positions') WHERE id = NEW.id;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE CONSTRAINT TRIGGER order_event_position AFTER INSERT ON order_events "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION order_event_position()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER order_event_position ON order_events")
    op.execute("DROP FUNCTION order_event_position()")
    op.drop_index("ix_order_events_commit_order", table_name="order_events")
    op.execute("DROP SEQUENCE order_event_positions")
    op.drop_column("order_events", "commit_order")
    op.execute(IMMUTABLE)
