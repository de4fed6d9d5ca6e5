"""Reading orders: an order or meeting by ID, and the orders a viewer may see."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers.orders import queries as resolvers
from schema.common import lookup_id
from schema.connections import connection_field
from schema.orders.filters import OrderFilter, OrderSort
from schema.orders.types import Meeting, Order, OrderConnection


@strawberry.type
class OrdersQuery:
    @strawberry.field(description="An order by its ID; null when none has it or it is not visible to you.")
    async def order(self, info: Info, id: relay.GlobalID) -> Order | None:
        return await Order.load(info, lookup_id(id, Order))

    @strawberry.field(
        description="A meeting record by its ID; null when none has it or it is not visible to you."
    )
    async def meeting(self, info: Info, id: relay.GlobalID) -> Meeting | None:
        return await Meeting.load(info, lookup_id(id, Meeting))

    orders = connection_field(
        OrderConnection,
        resolvers.list_orders,
        description="The orders you may see, newest first by default: a station its own, a provider those "
        "addressed to it, town staff those of their town's stations, administrators all.",
        filter=OrderFilter,
        sort=OrderSort,
    )
