"""Orders counted by status, as boards and statistics show them."""

from __future__ import annotations

import strawberry

from models import OrderStatus
from resolvers.labels import label
from schema.orders import enums  # noqa: F401  (describes OrderStatus)


@strawberry.type(description="How many orders are in a status.")
class StatusCount:
    status: OrderStatus = strawberry.field(description="The status.")
    label: str = strawberry.field(description="The status's Chinese label, e.g. 待受理.")
    count: int = strawberry.field(description="How many orders of the board or group are in it.")


def status_counts(counts: dict[OrderStatus, int]) -> list[StatusCount]:
    return [StatusCount(status=status, label=label(status), count=count) for status, count in counts.items()]
