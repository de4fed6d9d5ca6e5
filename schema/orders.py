"""GraphQL types and mutations of orders: stations order, departments deliver (基层订购、部门送订单)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from datetime import date, datetime

import strawberry
from starlette.websockets import WebSocket
from strawberry import relay
from strawberry.types import Info

from doorstep.broker import SubscriberTooSlow
from models import HearingDecision, MeetingKind, OrderAction, OrderStatus, Role
from models import Project as ProjectRow
from models import Service as ServiceRow
from models import Urgency as UrgencyEnum
from models.orders import AWAITING_DELIVERY, Deadline
from resolvers import errors as resolver_errors
from resolvers import orders as resolvers
from resolvers.access import may_see_resident
from resolvers.errors import ClientError, ErrorCode
from resolvers.orders import OrderSortField
from schema.accounts import User
from schema.catalog.types import Provider, Service
from schema.common import Connection, OrderDirection, RowNode, decode_id, describe_enum
from schema.connections import SortInput, page_request
from schema.lists.types import Demand, Project
from schema.payloads import attempt
from schema.places import District, Station, Town

# A private-use websocket close code (4000-4999): the subscriber fell too far behind.
SLOW_SUBSCRIBER_CLOSE_CODE = 4413

OrderStatusEnum = describe_enum(
    OrderStatus,
    "Where an order stands in its lifecycle.",
    {
        "SUBMITTED": "Placed by the station, waiting for the provider to accept or decline it.",
        "ACCEPTED": "Accepted by the provider, with a designated person responsible (指定责任制).",
        "DECLINED": "Declined by the provider, with a reason. Final.",
        "SCHEDULED": "Given a date and time by the provider.",
        "IN_PROGRESS": "Being delivered (again, after the station rejected a delivery).",
        "DELIVERED": "Delivered by the provider, waiting for the station to confirm or reject it.",
        "COMPLETED": "Delivery confirmed by the station, waiting for its evaluation.",
        "EVALUATED": "Evaluated by the station and its residents. Final.",
        "CANCELLED": "Cancelled by the station before work started. Final.",
    },
)
OrderActionEnum = describe_enum(
    OrderAction,
    "Something done to an order: a step of its lifecycle.",
    {
        "PLACE": "The station placed the order (the first event of every order).",
        "ACCEPT": "The provider accepts the order and names the person responsible.",
        "DECLINE": "The provider declines the order, with a reason.",
        "SCHEDULE": "The provider sets (or changes) the date and time of delivery.",
        "START": "The provider starts the work.",
        "DELIVER": "The provider reports the work delivered.",
        "CONFIRM_DELIVERY": "The station confirms the delivery: the order is completed.",
        "REJECT_DELIVERY": "The station rejects the delivery with a reason: the work resumes.",
        "CANCEL": "The station cancels the order, possible until work starts.",
        "EVALUATE": "The station records the residents' evaluation, closing the order.",
        "RECORD_COORDINATION_MEETING": "The station records a coordination meeting (协调会) held during delivery.",
        "DEADLINE_NEARING": "Alert raised by the server: a quarter of a deadline's time limit is left.",
        "DEADLINE_PASSED": "Alert raised by the server: a deadline passed before the order got there.",
    },
)
DeadlineEnum = describe_enum(
    Deadline,
    "The two deadlines of an order, set by its urgency's time limits.",
    {
        "RESPONSE": "The provider's answer: accept or decline.",
        "DELIVERY": "The delivery.",
    },
)
MeetingKindEnum = describe_enum(
    MeetingKind,
    "The three meetings (三会) that govern a project entering a station.",
    {
        "HEARING": "Hearing (听证会) before ordering: residents decide whether to order it.",
        "COORDINATION": "Coordination meeting (协调会) during delivery, with residents taking part.",
        "EVALUATION": "Evaluation meeting (评议会) after completion: residents judge the result.",
    },
)
HearingDecisionEnum = describe_enum(
    HearingDecision,
    "What the residents decided at a hearing.",
    {"APPROVED": "They approved ordering it.", "REJECTED": "They rejected ordering it."},
)
OrderSortFieldEnum = describe_enum(
    OrderSortField,
    "What lists of orders can be sorted by.",
    {
        "CREATED_AT": "When the order was placed.",
        "REQUESTED_START": "The first day the station asked for.",
        "RESPONSE_DUE_AT": "When the provider's answer is due.",
        "DELIVERY_DUE_AT": "When delivery is due.",
    },
)


@strawberry.input(description="How to order a list of orders.")
class OrderSort(SortInput):
    field: OrderSortFieldEnum = strawberry.field(description="The field to order by.")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="The direction.")
    ordering = staticmethod(resolvers.order_ordering)


def order_ordering(sort: OrderSort | None):
    if sort is None:
        return resolvers.order_ordering()
    return resolvers.order_ordering(sort.field, sort.direction is OrderDirection.DESC)


@strawberry.input(description="Which orders to list, among those you may see; all conditions must hold.")
class OrderFilter:
    status: list[OrderStatusEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Orders in any of these statuses."
    )
    urgency: UrgencyEnum | None = strawberry.field(default=None, description="Orders of this urgency.")  # type: ignore[valid-type]
    district_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Orders of this district's stations."
    )
    town_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Orders of this town's stations."
    )
    station_id: relay.GlobalID | None = strawberry.field(default=None, description="Orders of this station.")
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Orders addressed to this provider."
    )
    service_id: relay.GlobalID | None = strawberry.field(default=None, description="Orders of this service.")
    project_id: relay.GlobalID | None = strawberry.field(default=None, description="Orders of this project.")
    demand_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Orders answering this demand."
    )
    overdue: bool | None = strawberry.field(
        default=None,
        description="Orders past a deadline (true) or within their deadlines (false): an answer overdue "
        "while SUBMITTED, or a delivery overdue until DELIVERED.",
    )
    placed_after: datetime | None = strawberry.field(
        default=None,
        description="Orders placed at or after this time (Asia/Shanghai when no offset is given).",
    )
    placed_before: datetime | None = strawberry.field(
        default=None, description="Orders placed before this time (Asia/Shanghai when no offset is given)."
    )

    def to_filter(self) -> resolvers.OrderFilter:
        return resolvers.OrderFilter(
            statuses=tuple(self.status or ()),
            urgency=self.urgency,
            district_id=decode_id(self.district_id, District),
            town_id=decode_id(self.town_id, Town),
            station_id=decode_id(self.station_id, Station),
            provider_id=decode_id(self.provider_id, Provider),
            service_id=decode_id(self.service_id, Service),
            project_id=decode_id(self.project_id, Project),
            demand_id=decode_id(self.demand_id, Demand),
            overdue=self.overdue,
            placed_after=resolvers.aware(self.placed_after),
            placed_before=resolvers.aware(self.placed_before),
        )


def orders_filter(filter: OrderFilter | None) -> resolvers.OrderFilter:
    return filter.to_filter() if filter else resolvers.OrderFilter()


@strawberry.type(description="The person a provider designates as responsible for an order (指定责任制).")
class ResponsiblePerson:
    name: str = strawberry.field(description="Their name.")
    phone: str = strawberry.field(description="Their phone number.")
    user_id: strawberry.Private[int | None]

    @strawberry.field(description="Their staff account, when named and visible to you.")
    async def user(self, info: Info) -> User | None:
        return await User.load(info, self.user_id)


@strawberry.type(description="The resident a station ordered for (proxy service, 代办). Personal data.")
class Resident:
    name: str = strawberry.field(description="The resident's name.")
    phone: str = strawberry.field(description="The resident's phone number.")


@strawberry.type(description="How the station and its residents judged a completed order.")
class OrderEvaluation:
    rating: int = strawberry.field(description="The rating of the delivery, 1 (worst) to 5 (best).")
    satisfaction: int = strawberry.field(description="The residents' satisfaction, 0 to 100.")
    comment: str | None = strawberry.field(description="What they said.")
    evaluated_at: datetime = strawberry.field(description="When the evaluation was recorded.")


@strawberry.type(
    description="A record of one of the three meetings (三会) a station holds with its residents."
)
class Meeting(RowNode):
    id: relay.NodeID[int]
    kind: MeetingKindEnum = strawberry.field(description="Which of the three meetings it was.")  # type: ignore[valid-type]
    held_at: datetime = strawberry.field(description="When it was held.")
    attendees: int = strawberry.field(description="How many people attended.")
    votes_for: int | None = strawberry.field(description="Votes for ordering it; hearings only.")
    votes_against: int | None = strawberry.field(description="Votes against ordering it; hearings only.")
    votes_abstaining: int | None = strawberry.field(description="Abstentions; hearings only.")
    decision: HearingDecisionEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="What the residents decided; hearings only."
    )
    minutes: str = strawberry.field(description="The minutes (会议纪要).")
    created_at: datetime = strawberry.field(description="When it was recorded.")
    station_id: strawberry.Private[int]
    provider_id: strawberry.Private[int]
    service_id: strawberry.Private[int | None]
    project_id: strawberry.Private[int | None]
    order_id: strawberry.Private[int | None]
    recorded_by_id: strawberry.Private[int]

    @classmethod
    def loader(cls, info: Info):
        return resolvers.meeting_loader(info.context)

    @strawberry.field(description="The station that held it.")
    async def station(self, info: Info) -> Station:
        return await Station.load(info, self.station_id)

    @strawberry.field(description="The provider of the service or project discussed.")
    async def provider(self, info: Info) -> Provider:
        return await Provider.load(info, self.provider_id)

    @strawberry.field(description="The service discussed, when it was a service.")
    async def service(self, info: Info) -> Service | None:
        return await _subject(info, Service, self.service_id)

    @strawberry.field(description="The project discussed, when it was a project.")
    async def project(self, info: Info) -> Project | None:
        return await _subject(info, Project, self.project_id)

    @strawberry.field(description="The order it was held for; null for a hearing, which precedes the order.")
    async def order(self, info: Info) -> Order | None:
        return await Order.load(info, self.order_id)

    @strawberry.field(description="Who recorded it, when that account is visible to you.")
    async def recorded_by(self, info: Info) -> User | None:
        return await User.load(info, self.recorded_by_id)


async def _subject(info: Info, node_type: type[Service] | type[Project], identity: int | None):
    """The service or project of an order or meeting, whatever its publication status now."""
    if identity is None:
        return None
    model = ServiceRow if node_type is Service else ProjectRow
    row = await resolvers.subject_loader(info.context, model).load(identity)
    return node_type.from_row(row) if row is not None else None


@strawberry.type(description="A change of an order, kept forever in its history.")
class OrderEvent(RowNode):
    id: relay.NodeID[int]
    action: OrderActionEnum = strawberry.field(description="What was done.")  # type: ignore[valid-type]
    from_status: OrderStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="The status before; null for the placement."
    )
    to_status: OrderStatusEnum = strawberry.field(description="The status after.")  # type: ignore[valid-type]
    actor_role: Role | None = strawberry.field(
        description="The role of who did it; null for deadline alerts, which the server raises."
    )
    deadline: DeadlineEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="The deadline a DEADLINE_NEARING or DEADLINE_PASSED alert is about; null otherwise."
    )
    note: str = strawberry.field(description="The note or reason given with it; empty when none.")
    occurred_at: datetime = strawberry.field(description="When it happened.")
    order_id: strawberry.Private[int]
    actor_id: strawberry.Private[int | None]

    @strawberry.field(
        description="Where this event sits among all events, in commit order: pass it as `after` to a "
        "subscription to resume after it."
    )
    def cursor(self) -> str:
        return resolvers.event_cursor(self.id)

    @classmethod
    def loader(cls, info: Info):
        return resolvers.event_loader(info.context)

    @strawberry.field(description="Who did it, when that account is visible to you; null for alerts.")
    async def actor(self, info: Info) -> User | None:
        return await User.load(info, self.actor_id)

    @strawberry.field(description="The order it changed.")
    async def order(self, info: Info) -> Order | None:
        return await Order.load(info, self.order_id)


@strawberry.type(description="A page of order events, oldest first.")
class OrderEventConnection(Connection[OrderEvent]):
    pass


@strawberry.type(
    description="A station's order of a published service or project, delivered by its provider "
    "(基层订购、部门送订单)."
)
class Order(RowNode):
    id: relay.NodeID[int]
    quantity: int = strawberry.field(description="How many (units or participants) were ordered.")
    requested_start: date = strawberry.field(
        description="The first day the station asked for (Asia/Shanghai)."
    )
    requested_end: date = strawberry.field(description="The last day the station asked for (Asia/Shanghai).")
    notes: str = strawberry.field(description="The station's notes for the provider.")
    urgency: UrgencyEnum = strawberry.field(description="How urgent the order is; sets its deadlines.")  # type: ignore[valid-type]
    status: OrderStatusEnum = strawberry.field(description="Where the order stands.")  # type: ignore[valid-type]
    decline_reason: str | None = strawberry.field(description="Why the provider declined it.")
    rejection_reason: str | None = strawberry.field(
        description="Why the station last rejected a delivery; null when it never did."
    )
    cancellation_reason: str | None = strawberry.field(
        description="Why the station cancelled it, when it said."
    )
    scheduled_at: datetime | None = strawberry.field(description="When the provider scheduled the delivery.")
    response_due_at: datetime = strawberry.field(
        description="When the provider's answer (accept or decline) is due, from the urgency's time limit."
    )
    delivery_due_at: datetime = strawberry.field(
        description="When delivery is due: the urgency's time limit counted from placement, or from the "
        "first requested day when that is later."
    )
    created_at: datetime = strawberry.field(description="When the order was placed.")
    updated_at: datetime = strawberry.field(description="When the order last changed.")
    station_id: strawberry.Private[int]
    provider_id: strawberry.Private[int]
    service_id: strawberry.Private[int | None]
    project_id: strawberry.Private[int | None]
    demand_id: strawberry.Private[int | None]
    placed_by_id: strawberry.Private[int]
    responsible_name: strawberry.Private[str | None]
    responsible_phone: strawberry.Private[str | None]
    responsible_user_id: strawberry.Private[int | None]
    resident_name: strawberry.Private[str | None]
    resident_phone: strawberry.Private[str | None]
    rating: strawberry.Private[int | None]
    satisfaction: strawberry.Private[int | None]
    evaluation_comment: strawberry.Private[str | None]
    evaluated_at: strawberry.Private[datetime | None]

    @classmethod
    def loader(cls, info: Info):
        return resolvers.order_loader(info.context)

    @strawberry.field(description="The station that placed it.")
    async def station(self, info: Info) -> Station:
        return await Station.load(info, self.station_id)

    @strawberry.field(description="The provider that delivers it.")
    async def provider(self, info: Info) -> Provider:
        return await Provider.load(info, self.provider_id)

    @strawberry.field(description="The service ordered, when a service was ordered.")
    async def service(self, info: Info) -> Service | None:
        return await _subject(info, Service, self.service_id)

    @strawberry.field(description="The project ordered, when a project was ordered.")
    async def project(self, info: Info) -> Project | None:
        return await _subject(info, Project, self.project_id)

    @strawberry.field(description="The demand of the station the order answers, if any.")
    async def demand(self, info: Info) -> Demand | None:
        return await Demand.load(info, self.demand_id)

    @strawberry.field(description="Who placed it, when that account is visible to you.")
    async def placed_by(self, info: Info) -> User | None:
        return await User.load(info, self.placed_by_id)

    @strawberry.field(description="The person the provider made responsible; null until accepted.")
    def responsible(self) -> ResponsiblePerson | None:
        if self.responsible_name is None:
            return None
        return ResponsiblePerson(
            name=self.responsible_name, phone=self.responsible_phone, user_id=self.responsible_user_id
        )

    @strawberry.field(
        description="Whether the station placed it on behalf of a resident (proxy service, 代办)."
    )
    def is_proxy(self) -> bool:
        return self.resident_name is not None

    @strawberry.field(
        description="The resident it was placed for. Personal data: only the ordering station's staff and "
        "the delivering provider's staff see it; null for everyone else and when there is none."
    )
    def resident(self, info: Info) -> Resident | None:
        if self.resident_name is None or not may_see_resident(
            info.context.viewer, self.station_id, self.provider_id
        ):
            return None
        return Resident(name=self.resident_name, phone=self.resident_phone)

    @strawberry.field(description="The evaluation that closed it; null until evaluated.")
    def evaluation(self) -> OrderEvaluation | None:
        if self.rating is None:
            return None
        return OrderEvaluation(
            rating=self.rating,
            satisfaction=self.satisfaction,
            comment=self.evaluation_comment,
            evaluated_at=self.evaluated_at,
        )

    @strawberry.field(
        description="Seconds until the answer is due, negative when overdue; null once answered or closed."
    )
    def response_seconds_left(self) -> int | None:
        if self.status is not OrderStatus.SUBMITTED:
            return None
        return int((self.response_due_at - resolvers.now()).total_seconds())

    @strawberry.field(
        description="Seconds until delivery is due, negative when overdue; null once delivered or closed."
    )
    def delivery_seconds_left(self) -> int | None:
        if self.status not in AWAITING_DELIVERY:
            return None
        return int((self.delivery_due_at - resolvers.now()).total_seconds())

    @strawberry.field(
        description="Whether the provider has not answered (still SUBMITTED) past its deadline."
    )
    def is_response_overdue(self) -> bool:
        return resolvers.is_response_overdue(self, resolvers.now())

    @strawberry.field(
        description="Whether delivery is past its deadline and the order is not yet delivered, completed, "
        "evaluated, declined or cancelled."
    )
    def is_delivery_overdue(self) -> bool:
        return resolvers.is_delivery_overdue(self, resolvers.now())

    @strawberry.field(description="What you may do to the order now; empty when nothing.")
    def next_actions(self, info: Info) -> list[OrderActionEnum]:  # type: ignore[valid-type]
        return resolvers.next_actions(info.context.viewer, self.status)

    @strawberry.field(description="Its history: every change, oldest first, starting with the placement.")
    async def history(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> OrderEventConnection:
        page = await resolvers.history_of_order(
            info.context, self.id, page_request(info, first, after, last, before)
        )
        return OrderEventConnection.from_page(page)

    @strawberry.field(
        description="Its three meetings (三会): the hearing it was placed on, coordination meetings during "
        "delivery and the evaluation meeting, in the order they were held."
    )
    async def meetings(self, info: Info) -> list[Meeting]:
        rows = await resolvers.meetings_of_order(info.context).load(self.id)
        return [Meeting.from_row(row) for row in rows]


@strawberry.type(description="A page of orders.")
class OrderConnection(Connection[Order]):
    pass


@strawberry.type(
    description="A problem with an order mutation: its input, or the order's state. Nothing was written."
)
class OrderUserError:
    code: ErrorCode = strawberry.field(description="The kind of problem.")
    field: list[str] | None = strawberry.field(
        description="The path of the input field at fault, e.g. ['input', 'quantity']; null when none is."
    )
    message: str = strawberry.field(description="An explanation for people.")
    current_status: OrderStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="The order's status when its state refused the action (ILLEGAL_TRANSITION, CONFLICT); "
        "null otherwise."
    )
    allowed_actions: list[OrderActionEnum] | None = strawberry.field(  # type: ignore[valid-type]
        description="What you may do to the order in that status; null when the error is not about its state."
    )

    @classmethod
    def from_error(cls, error: resolver_errors.UserError) -> OrderUserError:
        return cls(
            code=error.code,
            field=["input", *error.field] if error.field else None,
            message=error.message,
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
    urgency: UrgencyEnum = strawberry.field(  # type: ignore[valid-type]
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


@strawberry.input(description="Accept an order and name the person responsible (指定责任制).")
class AcceptOrderInput:
    order_id: relay.GlobalID = strawberry.field(description="The order.")
    responsible_name: str = strawberry.field(
        description="The name of the person responsible, up to 50 characters."
    )
    responsible_phone: str = strawberry.field(description="Their phone number.")
    responsible_user_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Their staff account, when they have one at your provider."
    )
    note: str = strawberry.field(default="", description="A note for the station, up to 2000 characters.")


@strawberry.input(description="Decline an order.")
class DeclineOrderInput:
    order_id: relay.GlobalID = strawberry.field(description="The order.")
    reason: str = strawberry.field(description="Why, for the station; up to 1000 characters.")


@strawberry.input(description="Set (or change) when an accepted order is delivered.")
class ScheduleOrderInput:
    order_id: relay.GlobalID = strawberry.field(description="The order.")
    scheduled_at: datetime = strawberry.field(
        description="When: in the future, on one of the days the station asked for (Asia/Shanghai when no "
        "offset is given)."
    )
    note: str = strawberry.field(default="", description="A note for the station, up to 2000 characters.")


@strawberry.input(description="An action on an order with an optional note.")
class OrderNoteInput:
    order_id: relay.GlobalID = strawberry.field(description="The order.")
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
class RejectDeliveryInput:
    order_id: relay.GlobalID = strawberry.field(description="The order.")
    reason: str = strawberry.field(description="What is wrong with it; up to 1000 characters.")


@strawberry.input(description="Cancel an order before work starts.")
class CancelOrderInput:
    order_id: relay.GlobalID = strawberry.field(description="The order.")
    reason: str = strawberry.field(default="", description="Why, for the provider; up to 1000 characters.")


@strawberry.input(description="What a meeting record holds.")
class MeetingRecordInput:
    held_at: datetime = strawberry.field(
        description="When it was held: not in the future (Asia/Shanghai when no offset is given)."
    )
    attendees: int = strawberry.field(description="How many people attended, 1 to 10000.")
    minutes: str = strawberry.field(description="The minutes (会议纪要), up to 20000 characters.")


@strawberry.input(description="The evaluation of a completed order, which closes it.")
class EvaluateOrderInput:
    order_id: relay.GlobalID = strawberry.field(description="The order.")
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
    decision: HearingDecisionEnum = strawberry.field(  # type: ignore[valid-type]
        description="What was decided; an approval needs more votes for than against."
    )
    minutes: str = strawberry.field(description="The minutes (会议纪要), up to 20000 characters.")
    service_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The service discussed; give this or `projectId`."
    )
    project_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The project discussed; give this or `serviceId`."
    )


async def _order_result(payload: type[OrderPayload], operation) -> OrderPayload:
    order, errors = await attempt(operation)
    return payload(
        order=Order.from_row(order) if order is not None else None,
        user_errors=[OrderUserError.from_error(error) for error in errors],
    )


def _order_id(value: relay.GlobalID) -> int:
    return decode_id(value, Order)


@strawberry.type
class OrdersQuery:
    @strawberry.field(description="An order by its ID; null when none has it or it is not visible to you.")
    async def order(self, info: Info, id: relay.GlobalID) -> Order | None:
        return await Order.load(info, decode_id(id, Order))

    @strawberry.field(
        description="A meeting record by its ID; null when none has it or it is not visible to you."
    )
    async def meeting(self, info: Info, id: relay.GlobalID) -> Meeting | None:
        return await Meeting.load(info, decode_id(id, Meeting))

    @strawberry.field(
        description="The orders you may see, newest first by default: a station its own, a provider those "
        "addressed to it, town staff those of their town's stations, administrators all."
    )
    async def orders(
        self,
        info: Info,
        filter: OrderFilter | None = None,
        order_by: OrderSort | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> OrderConnection:
        page = await resolvers.list_orders(
            info.context,
            orders_filter(filter),
            order_ordering(order_by),
            page_request(info, first, after, last, before),
        )
        return OrderConnection.from_page(page)


@strawberry.type
class OrdersMutation:
    @strawberry.mutation(description="Order a published service or project for your station (station staff).")
    async def place_order(self, info: Info, input: PlaceOrderInput) -> PlaceOrderPayload:
        resident = input.resident
        request = resolvers.PlaceOrder(
            idempotency_key=input.idempotency_key,
            service_id=decode_id(input.service_id, Service),
            project_id=decode_id(input.project_id, Project),
            quantity=input.quantity,
            requested_start=input.requested_start,
            requested_end=input.requested_end,
            urgency=input.urgency,
            notes=input.notes,
            demand_id=decode_id(input.demand_id, Demand),
            hearing_id=decode_id(input.hearing_id, Meeting),
            resident=resolvers.Resident(name=resident.name, phone=resident.phone) if resident else None,
        )
        return await _order_result(PlaceOrderPayload, resolvers.place_order(info.context, request))

    @strawberry.mutation(
        description="Accept a submitted order and name the person responsible (provider staff)."
    )
    async def accept_order(self, info: Info, input: AcceptOrderInput) -> AcceptOrderPayload:
        responsible = resolvers.ResponsiblePerson(
            name=input.responsible_name,
            phone=input.responsible_phone,
            user_id=decode_id(input.responsible_user_id, User),
        )
        return await _order_result(
            AcceptOrderPayload,
            resolvers.accept_order(info.context, _order_id(input.order_id), responsible, input.note),
        )

    @strawberry.mutation(description="Decline a submitted order with a reason (provider staff).")
    async def decline_order(self, info: Info, input: DeclineOrderInput) -> DeclineOrderPayload:
        return await _order_result(
            DeclineOrderPayload,
            resolvers.decline_order(info.context, _order_id(input.order_id), input.reason),
        )

    @strawberry.mutation(description="Set or change when an accepted order is delivered (provider staff).")
    async def schedule_order(self, info: Info, input: ScheduleOrderInput) -> ScheduleOrderPayload:
        return await _order_result(
            ScheduleOrderPayload,
            resolvers.schedule_order(
                info.context, _order_id(input.order_id), resolvers.aware(input.scheduled_at), input.note
            ),
        )

    @strawberry.mutation(description="Start work on a scheduled order (provider staff).")
    async def start_order(self, info: Info, input: StartOrderInput) -> StartOrderPayload:
        return await _order_result(
            StartOrderPayload, resolvers.start_order(info.context, _order_id(input.order_id), input.note)
        )

    @strawberry.mutation(description="Report an order in progress delivered (provider staff).")
    async def deliver_order(self, info: Info, input: DeliverOrderInput) -> DeliverOrderPayload:
        return await _order_result(
            DeliverOrderPayload, resolvers.deliver_order(info.context, _order_id(input.order_id), input.note)
        )

    @strawberry.mutation(description="Confirm a delivery, completing the order (station staff).")
    async def confirm_delivery(self, info: Info, input: ConfirmDeliveryInput) -> ConfirmDeliveryPayload:
        return await _order_result(
            ConfirmDeliveryPayload,
            resolvers.confirm_delivery(info.context, _order_id(input.order_id), input.note),
        )

    @strawberry.mutation(description="Reject a delivery with a reason: the work resumes (station staff).")
    async def reject_delivery(self, info: Info, input: RejectDeliveryInput) -> RejectDeliveryPayload:
        return await _order_result(
            RejectDeliveryPayload,
            resolvers.reject_delivery(info.context, _order_id(input.order_id), input.reason),
        )

    @strawberry.mutation(description="Cancel an order until work starts (station staff).")
    async def cancel_order(self, info: Info, input: CancelOrderInput) -> CancelOrderPayload:
        return await _order_result(
            CancelOrderPayload, resolvers.cancel_order(info.context, _order_id(input.order_id), input.reason)
        )

    @strawberry.mutation(
        description="Record the evaluation of a completed order, and optionally its evaluation meeting "
        "(评议会), closing it (station staff)."
    )
    async def evaluate_order(self, info: Info, input: EvaluateOrderInput) -> EvaluateOrderPayload:
        meeting = input.meeting
        return await _order_result(
            EvaluateOrderPayload,
            resolvers.evaluate_order(
                info.context,
                _order_id(input.order_id),
                rating=input.rating,
                satisfaction=input.satisfaction,
                comment=input.comment,
                meeting=resolvers.MeetingRecord(
                    held_at=resolvers.aware(meeting.held_at),
                    attendees=meeting.attendees,
                    minutes=meeting.minutes,
                )
                if meeting
                else None,
            ),
        )

    @strawberry.mutation(
        description="Record a coordination meeting (协调会) held while an order is delivered (station staff)."
    )
    async def record_coordination_meeting(
        self, info: Info, input: RecordCoordinationMeetingInput
    ) -> RecordCoordinationMeetingPayload:
        record = resolvers.MeetingRecord(
            held_at=resolvers.aware(input.held_at), attendees=input.attendees, minutes=input.minutes
        )
        result, errors = await attempt(
            resolvers.record_coordination_meeting(info.context, _order_id(input.order_id), record)
        )
        order, meeting = result if result is not None else (None, None)
        return RecordCoordinationMeetingPayload(
            order=Order.from_row(order) if order is not None else None,
            meeting=Meeting.from_row(meeting) if meeting is not None else None,
            user_errors=[OrderUserError.from_error(error) for error in errors],
        )

    @strawberry.mutation(
        description="Record a hearing (听证会) where your station's residents decided whether to order a "
        "service or project (station staff)."
    )
    async def record_hearing(self, info: Info, input: RecordHearingInput) -> RecordHearingPayload:
        hearing = resolvers.Hearing(
            service_id=decode_id(input.service_id, Service),
            project_id=decode_id(input.project_id, Project),
            record=resolvers.MeetingRecord(
                held_at=resolvers.aware(input.held_at), attendees=input.attendees, minutes=input.minutes
            ),
            votes_for=input.votes_for,
            votes_against=input.votes_against,
            votes_abstaining=input.votes_abstaining,
            decision=input.decision,
        )
        meeting, errors = await attempt(resolvers.record_hearing(info.context, hearing))
        return RecordHearingPayload(
            meeting=Meeting.from_row(meeting) if meeting is not None else None,
            user_errors=[OrderUserError.from_error(error) for error in errors],
        )


@strawberry.type
class OrdersSubscription:
    @strawberry.subscription(
        description="Every event of one order you may see, as it commits. With `after` (the cursor of the "
        "last event you received) it first replays what you missed, then continues live."
    )
    async def order_events(
        self, info: Info, order_id: relay.GlobalID, after: str | None = None
    ) -> AsyncGenerator[OrderEvent, None]:
        scope = await resolvers.order_scope(info.context, decode_id(order_id, Order))
        async for event in _live(info, scope, after):
            yield event

    @strawberry.subscription(
        description="Every event of a station's orders, for its screen: for the station's staff, its town's "
        "staff and administrators. `after` resumes from a cursor."
    )
    async def station_feed(
        self, info: Info, station_id: relay.GlobalID, after: str | None = None
    ) -> AsyncGenerator[OrderEvent, None]:
        scope = await resolvers.station_scope(info.context, decode_id(station_id, Station))
        async for event in _live(info, scope, after):
            yield event

    @strawberry.subscription(
        description="New orders and every change of the orders addressed to a provider, for its console: for "
        "the provider's staff and administrators. `after` resumes from a cursor."
    )
    async def provider_inbox(
        self, info: Info, provider_id: relay.GlobalID, after: str | None = None
    ) -> AsyncGenerator[OrderEvent, None]:
        scope = await resolvers.provider_scope(info.context, decode_id(provider_id, Provider))
        async for event in _live(info, scope, after):
            yield event

    @strawberry.subscription(
        description="Deadline alerts (DEADLINE_NEARING, DEADLINE_PASSED) of the orders you may see: raised once "
        "per order, deadline and stage. `after` resumes from a cursor."
    )
    async def deadline_alerts(self, info: Info, after: str | None = None) -> AsyncGenerator[OrderEvent, None]:
        scope = resolvers.alerts_scope(info.context)
        async for event in _live(info, scope, after):
            yield event


async def _live(info: Info, scope: resolvers.EventScope, after: str | None) -> AsyncIterator[OrderEvent]:
    """Events of a scope as GraphQL objects; a subscriber too slow to keep up is disconnected."""
    try:
        async for row in resolvers.live_events(info.context, scope, after):
            yield OrderEvent.from_row(row)
    except SubscriberTooSlow as too_slow:
        socket = info.context.request
        if isinstance(socket, WebSocket):
            await socket.close(code=SLOW_SUBSCRIBER_CLOSE_CODE, reason=str(too_slow)[:120])
        raise ClientError(str(too_slow), code="SUBSCRIBER_TOO_SLOW") from None
