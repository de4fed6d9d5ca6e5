"""The exact summaries of orders that statistics read instead of the orders themselves.

An order is reduced to the facts statistics add up (`ORDER_FACTS`: counts by status, deadlines met
and kept, rating and satisfaction sums), keyed by a grain (`GRAINS`) coarse enough to shrink a
city's 500,000 orders of a year: by day × district × urgency about 20,000 keys, by month × town ×
urgency 24,000, by month × provider × district × urgency 40,000, by month × district × category
× tier × urgency 35,000. At a finer grain (a day
and a town, a station, a provider, a service) there are nearly as many keys as orders.

How the summary stays exact without making writers wait on each other: triggers on `orders`
append one delta row per key a statement changed (+ the new facts, − the old) to each
summary's delta table, insert-only, so 32 clients writing orders at once never lock a
shared row; an UPDATE of a hot summary row per order write would serialize every writer of a
district's day. Readers add the summary and the deltas in one statement (one snapshot).
`resolvers.statistics.summary.compact` folds each summary's deltas into it in one
transaction (delete them, add them), which a reader sees whole or not at all.

What depends on the moment asked, an owed deadline passing unmet, is not summarized: statistics
count it live from the open orders (few, and indexed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Date, ForeignKey, Index, Integer, func, literal
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, enum_column
from models.catalog import Tier
from models.lists import Urgency
from models.orders import Order, OrderStatus

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

# The district's time zone (resolvers.orders.deadlines.LOCAL_TIME), as summaries and indexes spell it.
LOCAL_ZONE = "Asia/Shanghai"
LOCAL_DAY = f"(r.created_at AT TIME ZONE '{LOCAL_ZONE}')"


@dataclass(frozen=True)
class Grain:
    """A summary of orders: its table, the delta table its triggers append to, and its key, each
    column as SQL over a row `r` of orders with its station `s`, town `t` and, for `subjects`, its
    service `sv`, project `p` and category `c`."""

    table: str
    keys: dict[str, str]
    subjects: bool = False
    monthly: bool = False

    @property
    def deltas(self) -> str:
        return f"{self.table}_deltas"

    @property
    def columns(self) -> str:
        return ", ".join([*self.keys, *ORDER_FACTS])

    def rows(self, source: str) -> str:
        """FROM `source` (rows of orders, aliased r) joined to what the key reads."""
        joined = f"{source} r JOIN stations s ON s.id = r.station_id JOIN towns t ON t.id = s.town_id"
        if self.subjects:
            joined += (
                " LEFT JOIN services sv ON sv.id = r.service_id LEFT JOIN projects p ON p.id = r.project_id"
                " JOIN categories c ON c.id = coalesce(sv.category_id, p.category_id)"
            )
        return joined

    def facts_select(self, *parts: tuple[str, int]) -> str:
        """SQL summing the facts of each (table of orders rows, sign) by key; keys whose facts all
        sum to zero (an update no statistic sees) are left out."""
        rows = " UNION ALL ".join(f"SELECT {sign} AS sign, * FROM {table}" for table, sign in parts)
        keys = ", ".join(self.keys.values())
        sums = [f"sum(r.sign * {fact})" for fact in ORDER_FACTS.values()]
        nonzero = " OR ".join(f"{total} <> 0" for total in sums)
        return (
            f"SELECT {keys}, {', '.join(sums)} FROM {self.rows(f'({rows})')} GROUP BY {keys} HAVING {nonzero}"
        )


# By day, district and urgency: any range of days, grouped by any period. By month, a town, a
# provider or a subject's category and tier: the whole months of a range (the days of its partial months are
# read from the orders), grouped by month, quarter or year.
DAILY = Grain(
    "order_daily_figures",
    {"day": f"{LOCAL_DAY}::date", "district_id": "t.district_id", "urgency": "r.urgency"},
)
TOWNS = Grain(
    "order_town_month_figures",
    {
        "month": f"date_trunc('month', {LOCAL_DAY})::date",
        "town_id": "s.town_id",
        "urgency": "r.urgency",
        "district_id": "t.district_id",
    },
    monthly=True,
)
PROVIDERS = Grain(
    "order_provider_month_figures",
    {
        "month": f"date_trunc('month', {LOCAL_DAY})::date",
        "provider_id": "r.provider_id",
        "district_id": "t.district_id",
        "urgency": "r.urgency",
    },
    monthly=True,
)
SUBJECTS = Grain(
    "order_subject_month_figures",
    {
        "month": f"date_trunc('month', {LOCAL_DAY})::date",
        "district_id": "t.district_id",
        "category_id": "c.id",
        "tier": "coalesce(sv.tier, p.tier)",
        "urgency": "r.urgency",
        "major_category_id": "coalesce(c.parent_id, c.id)",
    },
    subjects=True,
    monthly=True,
)
GRAINS = (DAILY, TOWNS, PROVIDERS, SUBJECTS)


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

    __tablename__ = DAILY.table
    # A district's rows, for a statistic filtered by district (the key leads with the day).
    __table_args__ = (Index("ix_order_daily_figures_district_id_day", "district_id", "day"),)

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), primary_key=True)
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), primary_key=True)


class OrderDailyFiguresDelta(_Facts, Base):
    """A change to `OrderDailyFigures` not yet folded in: appended by the triggers on orders."""

    __tablename__ = DAILY.deltas

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, nullable=False)
    district_id: Mapped[int] = mapped_column(Integer, nullable=False)
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), nullable=False)


class OrderTownMonthFigures(_Facts, Base):
    """The facts of the orders placed in a local month in a town with an urgency (compacted)."""

    __tablename__ = TOWNS.table
    # A district's rows, for a statistic filtered by district (the key leads with the month).
    __table_args__ = (Index("ix_order_town_month_figures_district_id_month", "district_id", "month"),)

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"), primary_key=True)
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), primary_key=True)
    district_id: Mapped[int] = mapped_column(Integer, nullable=False)


class OrderTownMonthFiguresDelta(_Facts, Base):
    """A change to `OrderTownMonthFigures` not yet folded in."""

    __tablename__ = TOWNS.deltas

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, nullable=False)
    town_id: Mapped[int] = mapped_column(Integer, nullable=False)
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), nullable=False)
    district_id: Mapped[int] = mapped_column(Integer, nullable=False)


class OrderProviderMonthFigures(_Facts, Base):
    """The facts of the orders a provider received in a local month from a district's stations,
    with an urgency (compacted)."""

    __tablename__ = PROVIDERS.table
    # A district's rows, for a statistic filtered by district (the key leads with the month).
    __table_args__ = (Index("ix_order_provider_month_figures_district_id_month", "district_id", "month"),)

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), primary_key=True)
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), primary_key=True)


class OrderProviderMonthFiguresDelta(_Facts, Base):
    """A change to `OrderProviderMonthFigures` not yet folded in."""

    __tablename__ = PROVIDERS.deltas

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, nullable=False)
    provider_id: Mapped[int] = mapped_column(Integer, nullable=False)
    district_id: Mapped[int] = mapped_column(Integer, nullable=False)
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), nullable=False)


class OrderSubjectMonthFigures(_Facts, Base):
    """The facts of the orders placed in a local month in a district, of a category and tier,
    with an urgency (compacted)."""

    __tablename__ = SUBJECTS.table
    # A district's rows, for a statistic filtered by district (the key leads with the month).
    __table_args__ = (Index("ix_order_subject_month_figures_district_id_month", "district_id", "month"),)

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), primary_key=True)
    tier: Mapped[Tier] = mapped_column(enum_column(Tier), primary_key=True)
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), primary_key=True)
    major_category_id: Mapped[int] = mapped_column(Integer, nullable=False)


class OrderSubjectMonthFiguresDelta(_Facts, Base):
    """A change to `OrderSubjectMonthFigures` not yet folded in."""

    __tablename__ = SUBJECTS.deltas

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, nullable=False)
    district_id: Mapped[int] = mapped_column(Integer, nullable=False)
    category_id: Mapped[int] = mapped_column(Integer, nullable=False)
    tier: Mapped[Tier] = mapped_column(enum_column(Tier), nullable=False)
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), nullable=False)
    major_category_id: Mapped[int] = mapped_column(Integer, nullable=False)


# The times of orders whose median and p90 statistics give (`Order.hours_to_accept`,
# `hours_to_deliver`) in order, overall and by local month, so that they are read at their ranks
# instead of sorted (resolvers.statistics.percentiles): a range's totals read the first in order,
# skipping the range's other rows; a month's rows are the second's range.
def _written(value: Any) -> Any:
    # In the SQL text, not a parameter: PostgreSQL matches a query to an expression index only
    # through the same constants, whatever plan it caches.
    return literal(value, literal_execute=True)


def local_month(moment: Any) -> ColumnElement[datetime]:
    """The local month a moment falls in, as the timestamp of its first midnight."""
    return func.date_trunc(_written("month"), func.timezone(_written(LOCAL_ZONE), moment))


_orders = Order.__table__.c
for _time in (_orders.hours_to_accept, _orders.hours_to_deliver):
    Index(
        f"ix_orders_{_time.name}",
        _time,
        postgresql_include=["created_at"],
        postgresql_where=_time.is_not(None),
    )
    Index(
        f"ix_orders_local_month_{_time.name}",
        local_month(_orders.created_at),
        _time,
        postgresql_include=["created_at"],
        postgresql_where=_time.is_not(None),
    )
