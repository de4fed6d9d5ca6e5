"""What the order mutations answer: the changed order or meeting, or why the change was refused."""

from __future__ import annotations

from typing import Any, Self

import strawberry

from models import OrderAction, OrderStatus
from resolvers import errors as resolver_errors
from resolvers.errors import ErrorCode
from schema.orders.types import Meeting, Order
from schema.payloads import spelled


@strawberry.type(
    description="A problem with an order mutation: its input, or the order's state. Nothing was written."
)
class OrderUserError:
    code: ErrorCode = strawberry.field(description="The kind of problem.")
    field: list[str] | None = strawberry.field(
        description="The path of the input field at fault, e.g. ['input', 'quantity']; null when none is."
    )
    message: str = strawberry.field(description="An explanation for people.")
    current_status: OrderStatus | None = strawberry.field(
        description="The order's status when its state refused the action (ILLEGAL_TRANSITION, CONFLICT); "
        "null otherwise."
    )
    allowed_actions: list[OrderAction] | None = strawberry.field(
        description="What you may do to the order in that status; null when the error is not about its state."
    )

    @classmethod
    def from_error(cls, error: resolver_errors.UserError, input_type: Any) -> Self:
        return cls(
            **spelled(error, input_type),
            current_status=error.details.get("current_status"),
            allowed_actions=error.details.get("allowed_actions"),
        )


@strawberry.type(description="The result of an order mutation.")
class OrderPayload:
    order: Order | None = strawberry.field(description="The order as it is now; null when refused.")
    user_errors: list[OrderUserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of placing an order.")
class PlaceOrderPayload(OrderPayload):
    pass


@strawberry.type(description="The result of accepting an order.")
class AcceptOrderPayload(OrderPayload):
    pass


@strawberry.type(description="The result of declining an order.")
class DeclineOrderPayload(OrderPayload):
    pass


@strawberry.type(description="The result of scheduling an order.")
class ScheduleOrderPayload(OrderPayload):
    pass


@strawberry.type(description="The result of starting work on an order.")
class StartOrderPayload(OrderPayload):
    pass


@strawberry.type(description="The result of reporting an order delivered.")
class DeliverOrderPayload(OrderPayload):
    pass


@strawberry.type(description="The result of confirming a delivery.")
class ConfirmDeliveryPayload(OrderPayload):
    pass


@strawberry.type(description="The result of rejecting a delivery.")
class RejectDeliveryPayload(OrderPayload):
    pass


@strawberry.type(description="The result of cancelling an order.")
class CancelOrderPayload(OrderPayload):
    pass


@strawberry.type(description="The result of evaluating an order.")
class EvaluateOrderPayload(OrderPayload):
    pass


@strawberry.type(description="The result of recording a coordination meeting.")
class RecordCoordinationMeetingPayload(OrderPayload):
    meeting: Meeting | None = strawberry.field(description="The meeting recorded; null when refused.")


@strawberry.type(description="The result of recording a hearing.")
class RecordHearingPayload:
    meeting: Meeting | None = strawberry.field(description="The hearing recorded; null when refused.")
    user_errors: list[OrderUserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The result of planning a hearing.")
class PlanHearingPayload:
    meeting: Meeting | None = strawberry.field(description="The hearing planned; null when refused.")
    user_errors: list[OrderUserError] = strawberry.field(description="Why it was refused; empty on success.")
