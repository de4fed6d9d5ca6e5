"""capacity: a service or project is never booked beyond its capacity, checked as the order commits

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-24 07:30:00

The placement used to lock the subject's row with its first statement and count its bookings,
so the lock was held through every later round trip of the placement, a worker's turn each under
load: placements of one limited service queued for hundreds of milliseconds. Now a deferred
constraint trigger counts them as the transaction commits, under the row lock (FOR NO KEY
UPDATE), which it takes only for a limited subject and holds from there to the end of the commit,
inside the server: placements of one service queue only for each other's commit records. Every
way an order is inserted is held to it, not only the placement's resolver. An order beyond the
capacity fails its commit with SQLSTATE DS001 and what the refusal says in its DETAIL (JSON);
`resolvers.orders.placement` answers it as CAPACITY_EXCEEDED. Orders never change their subject,
quantity or requested start after placement, so insertion is the only moment to check.
"""

from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

CAPACITY_CHECK = """
CREATE FUNCTION order_capacity_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    capacity integer;
    period text;
    first_day date;
    next_day date;
    booked bigint;
BEGIN
    IF NEW.service_id IS NOT NULL THEN
        SELECT capacity_per_period INTO capacity FROM services WHERE id = NEW.service_id;
    ELSIF NEW.project_id IS NOT NULL THEN
        SELECT capacity_per_period INTO capacity FROM projects WHERE id = NEW.project_id;
    END IF;
    IF capacity IS NULL THEN
        -- Unlimited: nothing to count, and no lock for placements side by side.
        RETURN NULL;
    END IF;
    -- Read again under the lock: the capacity that counts is the one of the locked row. Weeks
    -- start on Monday, as date_trunc has them.
    IF NEW.service_id IS NOT NULL THEN
        SELECT capacity_per_period, capacity_period INTO capacity, period
        FROM services WHERE id = NEW.service_id FOR NO KEY UPDATE;
        first_day := date_trunc(lower(period), NEW.requested_start)::date;
        next_day := (first_day + ('1 ' || lower(period))::interval)::date;
        SELECT coalesce(sum(quantity), 0) INTO booked FROM orders
        WHERE service_id = NEW.service_id AND requested_start >= first_day AND requested_start < next_day
          AND status NOT IN ('DECLINED', 'CANCELLED');
    ELSE
        SELECT capacity_per_period, capacity_period INTO capacity, period
        FROM projects WHERE id = NEW.project_id FOR NO KEY UPDATE;
        first_day := date_trunc(lower(period), NEW.requested_start)::date;
        next_day := (first_day + ('1 ' || lower(period))::interval)::date;
        SELECT coalesce(sum(quantity), 0) INTO booked FROM orders
        WHERE project_id = NEW.project_id AND requested_start >= first_day AND requested_start < next_day
          AND status NOT IN ('DECLINED', 'CANCELLED');
    END IF;
    IF capacity IS NULL THEN
        RETURN NULL;
    END IF;
    IF booked > capacity THEN
        RAISE EXCEPTION 'the order would book more than the capacity of its period'
            USING ERRCODE = 'DS001',
                  DETAIL = json_build_object(
                      'booked', booked - NEW.quantity, 'capacity', capacity,
                      'first_day', first_day, 'last_day', next_day - 1)::text;
    END IF;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.execute(CAPACITY_CHECK)
    op.execute(
        "CREATE CONSTRAINT TRIGGER order_capacity AFTER INSERT ON orders "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION order_capacity_check()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER order_capacity ON orders")
    op.execute("DROP FUNCTION order_capacity_check()")
