"""The inputs of the order mutations; times without an offset are Asia/Shanghai time."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry import relay

from models import HearingDecision, Urgency
from schema.orders import enums  # noqa: F401  (describes the order enums these inputs take)


@strawberry.input(description="The resident a proxy order (代办) is placed for.")
class ResidentInput:
    name: str = strawberry.field(description="The resident's name, up to 50 characters.")
    phone: str = strawberry.field(description="The resident's phone number.")


@strawberry.input(description="An order of a published service or project for your station.")
class PlaceOrderInput:
    idempotency_key: str = strawberry.field(
        description="A key you make up for this order (e.g. a UUID), up to 100 characters. Sending the same "
        "key again from the same account returns the order it placed instead of placing another, so retries "
        "are safe; sending it with a different order is refused."
    )
    quantity: int = strawberry.field(
        description="How many units or participants: 1 to the capacity per period (or 10000)."
    )
    requested_start: date = strawberry.field(
        description="The first day wanted (Asia/Shanghai): not in the past, nor before the service's lead time."
    )
    requested_end: date = strawberry.field(
        description="The last day wanted: not before `requestedStart`, at most 366 days ahead."
    )
    urgency: Urgency = strawberry.field(
        description="How urgent it is; sets the deadlines of the answer and of delivery."
    )
    service_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The service to order; give this or `projectId`."
    )
    project_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The project to order; give this or `serviceId`."
    )
    notes: str = strawberry.field(default="", description="Notes for the provider, up to 2000 characters.")
    demand_id: relay.GlobalID | None = strawberry.field(
        default=None, description="A demand of your station the order answers."
    )
    hearing_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The approving hearing (听证会) the order rests on. Projects that require the three "
        "meetings need one; when omitted, your station's latest approving hearing about it is used.",
    )
    resident: ResidentInput | None = strawberry.field(
        default=None, description="The resident you order for (proxy service, 代办), if any."
    )


@strawberry.input(description="An input about one order.")
class OrderInput:
    order_id: relay.GlobalID = strawberry.field(description="The order.")


@strawberry.input(description="Accept an order and name the person responsible (指定责任制).")
class AcceptOrderInput(OrderInput):
    responsible_name: str = strawberry.field(
        description="The name of the person responsible, up to 50 characters."
    )
    responsible_phone: str = strawberry.field(description="Their phone number.")
    responsible_user_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Their staff account, when they have one at your provider."
    )
    note: str = strawberry.field(default="", description="A note for the station, up to 2000 characters.")


@strawberry.input(description="Decline an order.")
class DeclineOrderInput(OrderInput):
    reason: str = strawberry.field(description="Why, for the station; up to 1000 characters.")


@strawberry.input(description="Set (or change) when an accepted order is delivered.")
class ScheduleOrderInput(OrderInput):
    scheduled_at: datetime = strawberry.field(
        description="When: in the future, on one of the days the station asked for (Asia/Shanghai when no "
        "offset is given)."
    )
    note: str = strawberry.field(default="", description="A note for the station, up to 2000 characters.")


@strawberry.input(description="An action on an order with an optional note.")
class OrderNoteInput(OrderInput):
    note: str = strawberry.field(default="", description="A note for the history, up to 2000 characters.")


@strawberry.input(description="Start work on a scheduled order.")
class StartOrderInput(OrderNoteInput):
    pass


@strawberry.input(description="Report an order delivered.")
class DeliverOrderInput(OrderNoteInput):
    pass


@strawberry.input(description="Confirm a delivery, completing the order.")
class ConfirmDeliveryInput(OrderNoteInput):
    pass


@strawberry.input(description="Reject a delivery: the provider resumes the work.")
class RejectDeliveryInput(OrderInput):
    reason: str = strawberry.field(description="What is wrong with it; up to 1000 characters.")


@strawberry.input(description="Cancel an order before work starts.")
class CancelOrderInput(OrderInput):
    reason: str = strawberry.field(default="", description="Why, for the provider; up to 1000 characters.")


@strawberry.input(description="What a meeting record holds.")
class MeetingRecordInput:
    held_at: datetime = strawberry.field(
        description="When it was held: not in the future (Asia/Shanghai when no offset is given)."
    )
    attendees: int = strawberry.field(description="How many people attended, 1 to 10000.")
    minutes: str = strawberry.field(description="The minutes (会议纪要), up to 20000 characters.")


@strawberry.input(description="The evaluation of a completed order, which closes it.")
class EvaluateOrderInput(OrderInput):
    rating: int = strawberry.field(description="The rating of the delivery, 1 (worst) to 5 (best).")
    satisfaction: int = strawberry.field(description="The residents' satisfaction, 0 to 100.")
    comment: str = strawberry.field(default="", description="What they said, up to 2000 characters.")
    meeting: MeetingRecordInput | None = strawberry.field(
        default=None,
        description="The evaluation meeting (评议会) where residents judged it, if one was held.",
    )


@strawberry.input(description="A coordination meeting (协调会) held while an order is delivered.")
class RecordCoordinationMeetingInput:
    order_id: relay.GlobalID = strawberry.field(description="The order, between accepted and delivered.")
    held_at: datetime = strawberry.field(
        description="When it was held: not in the future nor before the order (Asia/Shanghai when no "
        "offset is given)."
    )
    attendees: int = strawberry.field(description="How many people attended, 1 to 10000.")
    minutes: str = strawberry.field(description="The minutes (会议纪要), up to 20000 characters.")


@strawberry.input(
    description="A hearing (听证会) where your station's residents decided whether to order something."
)
class RecordHearingInput:
    held_at: datetime = strawberry.field(
        description="When it was held: not in the future (Asia/Shanghai when no offset is given)."
    )
    attendees: int = strawberry.field(description="How many people attended, 1 to 10000.")
    votes_for: int = strawberry.field(description="Votes for ordering it.")
    votes_against: int = strawberry.field(description="Votes against ordering it.")
    votes_abstaining: int = strawberry.field(
        description="Abstentions. All votes together are at most `attendees`."
    )
    decision: HearingDecision = strawberry.field(
        description="What was decided; an approval needs more votes for than against."
    )
    minutes: str = strawberry.field(description="The minutes (会议纪要), up to 20000 characters.")
    service_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The service discussed; give this or `projectId` (unless `hearingId`)."
    )
    project_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The project discussed; give this or `serviceId` (unless `hearingId`)."
    )
    orders_authorized: int | None = strawberry.field(
        default=None,
        description="How many orders an approval authorizes, 1 to 10000; 1 when not given. Not given for a "
        "rejection.",
    )
    hearing_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The hearing your station planned (`planHearing`) whose outcome this is; the service or "
        "project may then be left out.",
    )


@strawberry.input(
    description="A hearing (听证会) your station announces ahead, to record its outcome when held."
)
class PlanHearingInput:
    held_at: datetime = strawberry.field(
        description="When it will be held: in the future (Asia/Shanghai when no offset is given)."
    )
    agenda: str = strawberry.field(description="What residents will decide, up to 20000 characters.")
    service_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The service to discuss; give this or `projectId`."
    )
    project_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The project to discuss; give this or `serviceId`."
    )
