"""The order mutations: each maps its input to the resolver's arguments and answers a payload.

Most of them take one step of an order's lifecycle with the rest of their input
(`order_step`); placing an order and recording meetings have mutations of their own.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import strawberry
from strawberry.types import Info

from models import Order as OrderRow
from resolvers.orders import lifecycle, meetings, placement
from schema.accounts import User
from schema.catalog.types import Service
from schema.common import decode_id, signed
from schema.inputs import changes_of, fields_of
from schema.lists.types import Demand, Project
from schema.orders.inputs import (
    AcceptOrderInput,
    CancelOrderInput,
    ConfirmDeliveryInput,
    DeclineOrderInput,
    DeliverOrderInput,
    EvaluateOrderInput,
    PlaceOrderInput,
    PlanHearingInput,
    RecordCoordinationMeetingInput,
    RecordHearingInput,
    RejectDeliveryInput,
    ScheduleOrderInput,
    StartOrderInput,
)
from schema.orders.payloads import (
    AcceptOrderPayload,
    CancelOrderPayload,
    ConfirmDeliveryPayload,
    DeclineOrderPayload,
    DeliverOrderPayload,
    EvaluateOrderPayload,
    OrderPayload,
    OrderUserError,
    PlaceOrderPayload,
    PlanHearingPayload,
    RecordCoordinationMeetingPayload,
    RecordHearingPayload,
    RejectDeliveryPayload,
    ScheduleOrderPayload,
    StartOrderPayload,
)
from schema.orders.types import Meeting, Order
from schema.payloads import mutate

D = TypeVar("D")
SUBJECT_IDS = {"service_id": Service, "project_id": Project}


def _nested(target: type[D]) -> Callable[[Any], D | None]:
    """A converter of an optional nested input to the resolver dataclass of the same fields."""
    return lambda given: fields_of(given, target) if given is not None else None


def order_step(
    step: Callable[..., Awaitable[OrderRow]],
    input_type: type,
    payload: type[OrderPayload],
    *,
    description: str,
    ids: Mapping[str, type] | None = None,
    **convert: Callable[[Any], Any],
) -> Any:
    """A mutation that takes a step of the order `input.orderId`: `step(context, order id, **the
    input's other fields)`, with IDs among them decoded and nested inputs converted as named."""

    async def resolve(info: Info, input: Any) -> OrderPayload:
        fields = changes_of(input, skip=("order_id",), ids=ids, **convert)
        operation = step(info.context, decode_id(input.order_id, Order), **fields)
        return await mutate(payload, operation, input, errors=OrderUserError, order=Order.from_row)

    info = inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info)
    given = inspect.Parameter("input", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=input_type)
    return strawberry.mutation(resolver=signed(resolve, [info, given], payload), description=description)


@strawberry.type
class OrdersMutation:
    @strawberry.mutation(description="Order a published service or project for your station (station staff).")
    async def place_order(self, info: Info, input: PlaceOrderInput) -> PlaceOrderPayload:
        request = fields_of(
            input,
            placement.PlaceOrder,
            ids={**SUBJECT_IDS, "demand_id": Demand, "hearing_id": Meeting},
            resident=_nested(placement.Resident),
        )
        placing = placement.place_order(info.context, request)
        return await mutate(PlaceOrderPayload, placing, input, errors=OrderUserError, order=Order.from_row)

    accept_order = order_step(
        lifecycle.accept_order,
        AcceptOrderInput,
        AcceptOrderPayload,
        description="Accept a submitted order and name the person responsible (provider staff).",
        ids={"responsible_user_id": User},
    )
    decline_order = order_step(
        lifecycle.decline_order,
        DeclineOrderInput,
        DeclineOrderPayload,
        description="Decline a submitted order with a reason (provider staff).",
    )
    schedule_order = order_step(
        lifecycle.schedule_order,
        ScheduleOrderInput,
        ScheduleOrderPayload,
        description="Set or change when an accepted order is delivered (provider staff).",
    )
    start_order = order_step(
        lifecycle.start_order,
        StartOrderInput,
        StartOrderPayload,
        description="Start work on a scheduled order (provider staff).",
    )
    deliver_order = order_step(
        lifecycle.deliver_order,
        DeliverOrderInput,
        DeliverOrderPayload,
        description="Report an order in progress delivered (provider staff).",
    )
    confirm_delivery = order_step(
        lifecycle.confirm_delivery,
        ConfirmDeliveryInput,
        ConfirmDeliveryPayload,
        description="Confirm a delivery, completing the order (station staff).",
    )
    reject_delivery = order_step(
        lifecycle.reject_delivery,
        RejectDeliveryInput,
        RejectDeliveryPayload,
        description="Reject a delivery with a reason: the work resumes (station staff).",
    )
    cancel_order = order_step(
        lifecycle.cancel_order,
        CancelOrderInput,
        CancelOrderPayload,
        description="Cancel an order until work starts (station staff).",
    )
    evaluate_order = order_step(
        meetings.evaluate_order,
        EvaluateOrderInput,
        EvaluateOrderPayload,
        description="Record the evaluation of a completed order, and optionally its evaluation meeting "
        "(评议会), closing it (station staff).",
        meeting=_nested(meetings.MeetingRecord),
    )

    @strawberry.mutation(
        description="Record a coordination meeting (协调会) held while an order is delivered (station staff)."
    )
    async def record_coordination_meeting(
        self, info: Info, input: RecordCoordinationMeetingInput
    ) -> RecordCoordinationMeetingPayload:
        record = fields_of(input, meetings.MeetingRecord)
        return await mutate(
            RecordCoordinationMeetingPayload,
            meetings.record_coordination_meeting(info.context, decode_id(input.order_id, Order), record),
            input,
            errors=OrderUserError,
            order=lambda recorded: Order.from_row(recorded[0]),
            meeting=lambda recorded: Meeting.from_row(recorded[1]),
        )

    @strawberry.mutation(
        description="Record a hearing (听证会) where your station's residents decided whether to order a "
        "service or project, or the outcome of one planned ahead (station staff). The latest hearing about "
        "it decides: a rejection stops new orders of it, an approval authorizes the orders it names."
    )
    async def record_hearing(self, info: Info, input: RecordHearingInput) -> RecordHearingPayload:
        hearing = fields_of(input, meetings.Hearing, ids={**SUBJECT_IDS, "hearing_id": Meeting})
        recording = meetings.record_hearing(info.context, hearing)
        return await mutate(
            RecordHearingPayload, recording, input, errors=OrderUserError, meeting=Meeting.from_row
        )

    @strawberry.mutation(
        description="Announce a hearing (听证会) your station will hold about a service or project, so screens "
        "show it among the upcoming meetings; record its outcome with `recordHearing(hearingId:)` (station "
        "staff). A planned hearing authorizes nothing until then."
    )
    async def plan_hearing(self, info: Info, input: PlanHearingInput) -> PlanHearingPayload:
        planning = meetings.plan_hearing(
            info.context, fields_of(input, meetings.PlannedHearing, ids=SUBJECT_IDS)
        )
        return await mutate(
            PlanHearingPayload, planning, input, errors=OrderUserError, meeting=Meeting.from_row
        )
