"""The exact daily summary of orders that statistics read instead of the orders themselves.

An order is reduced to the facts statistics add up (`ORDER_FACTS`: counts by status, deadlines met
and kept, rating and satisfaction sums), keyed by its local day, its station's district and its
urgency: a city's 500,000 orders of a year are about 20,000 such keys, while at any finer grain
(a town, a station, a provider, a service) there are nearly as many keys as orders.

How the summary stays exact without making writers wait on each other: triggers on `orders`
append one delta row per key a statement changed (+ the new facts, − the old) to
`order_daily_figure_deltas`, insert-only, so 32 clients writing orders at once never lock a
shared row; an UPDATE of a hot summary row per order write would serialize every writer of a
district's day. Readers add the summary and the deltas in one statement (one snapshot).
`resolvers.statistics.summary.compact` folds the deltas into `order_daily_figures` in one
transaction (delete them, add them), which a reader sees whole or not at all.

What depends on the moment asked, an owed deadline passing unmet, is not summarized: statistics
count it live from the open orders (few, and indexed).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, enum_column
from models.lists import Urgency
from models.orders import OrderStatus

# Each fact as SQL over a row `r` of orders: 1/0 counts, or the value summed.
ORDER_FACTS: dict[str, str] = {
    "placed": "1",
    **{f"status_{status.name.lower()}": f"(r.status = '{status.name}')::int" for status in OrderStatus},
    "accepted": "(r.responded_at IS NOT NULL AND r.status <> 'DECLINED')::int",
    "delivered": "(r.delivered_at IS NOT NULL)::int",
    "responses_met": "(r.responded_at IS NOT NULL)::int",
    "responses_on_time": "(r.responded_at IS NOT NULL AND r.responded_at <= r.response_due_at)::int",
    "deliveries_met": "(r.delivered_at IS NOT NULL)::int",
    "deliveries_on_time": "(r.delivered_at IS NOT NULL AND r.delivered_at <= r.delivery_due_at)::int",
    "ratings": "(r.rating IS NOT NULL)::int",
    "rating_sum": "coalesce(r.rating, 0)",
    "satisfactions": "(r.satisfaction IS NOT NULL)::int",
    "satisfaction_sum": "coalesce(r.satisfaction, 0)",
}

# The key of a row `r` of orders, with its station `s` and town `t` joined.
ORDER_KEY: dict[str, str] = {
    "day": "(r.created_at AT TIME ZONE 'Asia/Shanghai')::date",
    "district_id": "t.district_id",
    "urgency": "r.urgency",
}


def order_facts_select(*parts: tuple[str, int]) -> str:
    """SQL summing the facts of each (table of orders rows, sign) by key; keys whose facts all sum
    to zero (an update no statistic sees, an order moved and moved back) are left out."""
    rows = " UNION ALL ".join(f"SELECT {sign} AS sign, * FROM {table}" for table, sign in parts)
    keys = ", ".join(ORDER_KEY.values())
    sums = [f"sum(r.sign * {fact})" for fact in ORDER_FACTS.values()]
    nonzero = " OR ".join(f"{total} <> 0" for total in sums)
    return (
        f"SELECT {keys}, {', '.join(sums)} FROM ({rows}) r JOIN stations s ON s.id = r.station_id"
        f" JOIN towns t ON t.id = s.town_id GROUP BY {keys} HAVING {nonzero}"
    )


SUMMARY_COLUMNS = ", ".join([*ORDER_KEY, *ORDER_FACTS])


class _Facts:
    placed: Mapped[int] = mapped_column(Integer, nullable=False)
    status_submitted: Mapped[int] = mapped_column(Integer, nullable=False)
    status_accepted: Mapped[int] = mapped_column(Integer, nullable=False)
    status_declined: Mapped[int] = mapped_column(Integer, nullable=False)
    status_scheduled: Mapped[int] = mapped_column(Integer, nullable=False)
    status_in_progress: Mapped[int] = mapped_column(Integer, nullable=False)
    status_delivered: Mapped[int] = mapped_column(Integer, nullable=False)
    status_completed: Mapped[int] = mapped_column(Integer, nullable=False)
    status_evaluated: Mapped[int] = mapped_column(Integer, nullable=False)
    status_cancelled: Mapped[int] = mapped_column(Integer, nullable=False)
    accepted: Mapped[int] = mapped_column(Integer, nullable=False)
    delivered: Mapped[int] = mapped_column(Integer, nullable=False)
    responses_met: Mapped[int] = mapped_column(Integer, nullable=False)
    responses_on_time: Mapped[int] = mapped_column(Integer, nullable=False)
    deliveries_met: Mapped[int] = mapped_column(Integer, nullable=False)
    deliveries_on_time: Mapped[int] = mapped_column(Integer, nullable=False)
    ratings: Mapped[int] = mapped_column(Integer, nullable=False)
    rating_sum: Mapped[int] = mapped_column(Integer, nullable=False)
    satisfactions: Mapped[int] = mapped_column(Integer, nullable=False)
    satisfaction_sum: Mapped[int] = mapped_column(Integer, nullable=False)


class OrderDailyFigures(_Facts, Base):
    """The facts of the orders placed on a local day in a district with an urgency (compacted)."""

    __tablename__ = "order_daily_figures"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), primary_key=True)
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), primary_key=True)


class OrderDailyFigureDelta(_Facts, Base):
    """A change to `OrderDailyFigures` not yet folded in: appended by the triggers on orders."""

    __tablename__ = "order_daily_figure_deltas"
    __table_args__ = (Index("ix_order_daily_figure_deltas_day", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, nullable=False)
    district_id: Mapped[int] = mapped_column(Integer, nullable=False)
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), nullable=False)
