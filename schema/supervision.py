"""Town supervision (督办) of orders and whistles; that of cases is among the case mutations."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from models.orders import Deadline
from resolvers import supervision
from schema.accounts import User
from schema.catalog.types import Provider
from schema.orders.mutations import order_step
from schema.orders.payloads import OrderPayload


@strawberry.input(description="Urging (督办) an order or whistle on.")
class UrgeOrderInput:
    order_id: relay.GlobalID = strawberry.field(description="The order or whistle, still owing its delivery.")
    note: str = strawberry.field(default="", description="What the provider should hear.")


@strawberry.input(description="Escalating an order or whistle to the district.")
class EscalateOrderInput:
    order_id: relay.GlobalID = strawberry.field(description="The order or whistle, still owing its delivery.")
    reason: str = strawberry.field(description="Why.")


@strawberry.input(description="Extending a deadline of an order or whistle.")
class ExtendOrderDeadlineInput:
    order_id: relay.GlobalID = strawberry.field(description="The order or whistle.")
    deadline: Deadline = strawberry.field(description="Which deadline; it must still be owed.")
    due_at: datetime = strawberry.field(description="The new due time, later than the current one.")
    reason: str = strawberry.field(description="Why.")


@strawberry.input(description="Reassigning an order or whistle.")
class ReassignOrderInput:
    order_id: relay.GlobalID = strawberry.field(description="The order or whistle, still owing its delivery.")
    reason: str = strawberry.field(description="Why.")
    responsible_user_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The next person responsible: an active staff account, with a phone, of the (new) provider; "
        "required once the order is accepted.",
    )
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None, description="For a whistle only: another department of the district to take it."
    )


@strawberry.type
class SupervisionMutation:
    urge_order = order_step(
        supervision.urge_order,
        UrgeOrderInput,
        OrderPayload,
        description="Urge (督办) an order or whistle of your town's stations on (town staff).",
    )
    escalate_order = order_step(
        supervision.escalate_order,
        EscalateOrderInput,
        OrderPayload,
        description="Escalate an order or whistle of your town's stations to the district (town staff).",
    )
    extend_order_deadline = order_step(
        supervision.extend_order_deadline,
        ExtendOrderDeadlineInput,
        OrderPayload,
        description="Extend a deadline of an order or whistle, with a reason (town staff): overdue flags, "
        "boards and statistics follow the new due time.",
    )
    reassign_order = order_step(
        supervision.reassign_order,
        ReassignOrderInput,
        OrderPayload,
        description="Reassign an order or whistle (town staff): another responsible person of the provider, or "
        "another department for a whistle.",
        ids={"responsible_user_id": User, "provider_id": Provider},
    )
