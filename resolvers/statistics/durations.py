"""The times of orders whose median and p90 statistics give (to accept, to deliver), and the
aggregate that sorts them (`median_and_p90`); `percentiles` reads them at their ranks instead."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Float, and_, func, literal_column

from models import Order, OrderStatus


@dataclass(frozen=True)
class Duration:
    """A time of orders whose median and p90 statistics give: its value in hours, the orders that
    have it, and the figure counting those."""

    figure: str
    count: str
    value: Any
    """Its column of orders."""
    condition: ColumnElement[bool]


ACCEPTED = and_(Order.responded_at.is_not(None), Order.status != OrderStatus.DECLINED)
DELIVERED = Order.delivered_at.is_not(None)
# The columns are NULL exactly where the order was not accepted, not delivered (models.orders).
DURATIONS = (
    Duration("hours_to_accept", "accepted", Order.hours_to_accept, Order.hours_to_accept.is_not(None)),
    Duration("hours_to_deliver", "delivered", Order.hours_to_deliver, Order.hours_to_deliver.is_not(None)),
)
# The fractions of each duration's `median_and_p90` array, in its order.
FRACTIONS = (0.5, 0.9)


def median_and_p90(duration: Duration) -> Any:
    """Both percentiles from one sort: `percentile_cont(ARRAY[0.5, 0.9])` answers an array."""
    fractions: ColumnElement[Any] = literal_column(f"ARRAY{list(FRACTIONS)}::float8[]")
    return (
        func.percentile_cont(fractions, type_=ARRAY(Float))
        .within_group(duration.value)
        .filter(duration.condition)
    )


# The aggregates that sort: both percentiles of each duration.
PERCENTILES = tuple(duration.figure for duration in DURATIONS)
