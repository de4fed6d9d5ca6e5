"""The whistle mutations (吹哨报到): a station calls a department in; the department refers it on."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import Urgency
from resolvers.orders import whistles
from schema.cases.types import Case
from schema.catalog.types import Provider
from schema.inputs import fields_of
from schema.orders.mutations import order_step
from schema.orders.payloads import OrderPayload, OrderUserError
from schema.orders.types import Order
from schema.payloads import mutate


@strawberry.input(
    description="A whistle (吹哨): your station calls a named department in for a matter outside any catalog."
)
class BlowWhistleInput:
    idempotency_key: str = strawberry.field(
        description="A key you make up for this whistle, up to 100 characters: sending it again returns the "
        "whistle it blew."
    )
    provider_id: relay.GlobalID = strawberry.field(description="The department called in, of your district.")
    matter: str = strawberry.field(
        description="The matter, described for the department (up to 2000 characters)."
    )
    urgency: Urgency = strawberry.field(
        description="How urgent it is: the department must answer within its response limit."
    )
    case_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The received case the whistle takes on (you must own it): it becomes WHISTLED, linked to the "
        "whistle, and the department sees the resident as a proxy order's provider does.",
    )


@strawberry.input(description="A called department hands a whistle on to another department.")
class ReferWhistleInput:
    order_id: relay.GlobalID = strawberry.field(description="The whistle, still unanswered.")
    provider_id: relay.GlobalID = strawberry.field(description="The department to answer it instead.")
    reason: str = strawberry.field(description="Why it is theirs.")


@strawberry.type
class WhistlesMutation:
    @strawberry.mutation(
        description="Blow a whistle (吹哨报到): call a department in for a matter outside any catalog (station "
        "staff). It is an order of kind WHISTLE: the department accepts it naming the person responsible, or "
        "refers it, within the urgency's response limit; then it follows the order lifecycle."
    )
    async def blow_whistle(self, info: Info, input: BlowWhistleInput) -> OrderPayload:
        request = fields_of(input, whistles.BlowWhistle, ids={"provider_id": Provider, "case_id": Case})
        blowing = whistles.blow_whistle(info.context, request)
        return await mutate(OrderPayload, blowing, input, errors=OrderUserError, order=Order.from_row)

    refer_whistle = order_step(
        whistles.refer_whistle,
        ReferWhistleInput,
        OrderPayload,
        description="Refer an unanswered whistle to another department of the district, by the same response "
        "deadline (provider staff of the called department).",
        ids={"provider_id": Provider},
    )
