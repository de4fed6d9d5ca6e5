"""The GraphQL types of orders: `Order`, its history (`OrderEvent`), `Meeting`, and their parts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, TypeVar

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from models import HearingDecision, MeetingKind, OrderAction, OrderKind, OrderStatus, Role, Urgency
from models import Project as ProjectRow
from models import Service as ServiceRow
from models.orders import Deadline
from resolvers.access import may_see_resident
from resolvers.orders import queries as resolvers
from resolvers.orders.deadlines import DELIVERY, RESPONSE, now
from resolvers.orders.events import event_cursor
from resolvers.orders.lifecycle import next_actions
from resolvers.orders.queries import Subject
from schema.accounts import User
from schema.catalog.types import Provider, Service
from schema.common import Connection, RowNode, bounded_list
from schema.connections import connection_field
from schema.lists.types import Demand, Project
from schema.orders import enums  # noqa: F401  (describes the order enums these types show)
from schema.places import Station

# The most meetings an order lists: its hearing, its evaluation and the coordination between.
MAX_MEETINGS = 50

NodeType = TypeVar("NodeType", bound=RowNode)


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


async def _subject(
    info: Info, node_type: type[NodeType], model: type[Subject], identity: int | None
) -> NodeType | None:
    """The service or project of an order or meeting, whatever its publication status now."""
    if identity is None:
        return None
    row = await resolvers.subject_loader(info.context, model).load(identity)
    return node_type.from_row(row) if row is not None else None


@strawberry.type(
    description="A record of one of the three meetings (三会) a station holds with its residents."
)
class Meeting(RowNode):
    id: relay.NodeID[int]
    kind: MeetingKind = strawberry.field(description="Which of the three meetings it was.")
    held_at: datetime = strawberry.field(description="When it was held.")
    attendees: int | None = strawberry.field(
        description="How many people attended; null for a hearing planned and not yet held."
    )
    votes_for: int | None = strawberry.field(description="Votes for ordering it; hearings only.")
    votes_against: int | None = strawberry.field(description="Votes against ordering it; hearings only.")
    votes_abstaining: int | None = strawberry.field(description="Abstentions; hearings only.")
    decision: HearingDecision | None = strawberry.field(
        description="What the residents decided; hearings only, null while a hearing is planned."
    )
    minutes: str = strawberry.field(description="The minutes (会议纪要); a planned hearing's agenda.")
    orders_authorized: int | None = strawberry.field(
        description="How many orders an approving hearing authorizes; null for other meetings."
    )
    created_at: datetime = strawberry.field(description="When it was recorded.")
    station_id: strawberry.Private[int]
    provider_id: strawberry.Private[int]
    service_id: strawberry.Private[int | None]
    project_id: strawberry.Private[int | None]
    order_id: strawberry.Private[int | None]
    recorded_by_id: strawberry.Private[int]

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.meeting_loader(info.context)

    @strawberry.field(description="The station that held it.")
    async def station(self, info: Info) -> Station:
        return await Station.load_related(info, self.station_id)

    @strawberry.field(description="The provider of the service or project discussed.")
    async def provider(self, info: Info) -> Provider:
        return await Provider.load_related(info, self.provider_id)

    @strawberry.field(description="The service discussed, when it was a service.")
    async def service(self, info: Info) -> Service | None:
        return await _subject(info, Service, ServiceRow, self.service_id)

    @strawberry.field(description="The project discussed, when it was a project.")
    async def project(self, info: Info) -> Project | None:
        return await _subject(info, Project, ProjectRow, self.project_id)

    @strawberry.field(description="The order it was held for; null for a hearing, which precedes the order.")
    async def order(self, info: Info) -> Order | None:
        return await Order.load(info, self.order_id)

    @strawberry.field(
        description="Whether it is a hearing announced ahead whose outcome is not yet recorded (see `planHearing`)."
    )
    def is_planned(self) -> bool:
        return self.kind is MeetingKind.HEARING and self.decision is None

    @strawberry.field(description="Who recorded it, when that account is visible to you.")
    async def recorded_by(self, info: Info) -> User | None:
        return await User.load(info, self.recorded_by_id)

    @strawberry.field(
        description="How many orders rest on an approving hearing, declined and cancelled ones aside; null for "
        "other meetings. Once it reaches `ordersAuthorized`, ordering again needs a new hearing."
    )
    async def orders_placed(self, info: Info) -> int | None:
        if self.orders_authorized is None:
            return None
        return await resolvers.orders_on_hearing(info.context).load(self.id)


@strawberry.type(description="A change of an order, kept forever in its history.")
class OrderEvent(RowNode):
    max_id: ClassVar[int] = 2**63 - 1  # a bigint key: events outnumber everything else
    id: relay.NodeID[int]
    action: OrderAction = strawberry.field(description="What was done.")
    from_status: OrderStatus | None = strawberry.field(
        description="The status before; null for the placement."
    )
    to_status: OrderStatus = strawberry.field(description="The status after.")
    actor_role: Role | None = strawberry.field(
        description="The role of who did it; null for deadline alerts, which the server raises."
    )
    deadline: Deadline | None = strawberry.field(
        description="The deadline a DEADLINE_NEARING or DEADLINE_PASSED alert is about; null otherwise."
    )
    note: str = strawberry.field(description="The note or reason given with it; empty when none.")
    occurred_at: datetime = strawberry.field(description="When it happened.")
    order_id: strawberry.Private[int]
    actor_id: strawberry.Private[int | None]
    commit_order: strawberry.Private[int | None]

    @strawberry.field(
        description="Where this event sits among all events, in commit order: pass it as `after` to a "
        "subscription to resume after it."
    )
    def cursor(self) -> str:
        # Committed events all have their position; one being written has none yet.
        return event_cursor(self.commit_order if self.commit_order is not None else self.id)

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.event_loader(info.context)

    @strawberry.field(description="Who did it, when that account is visible to you; null for alerts.")
    async def actor(self, info: Info) -> User | None:
        return await User.load(info, self.actor_id)

    @strawberry.field(description="The order it changed.")
    async def order(self, info: Info) -> Order | None:
        return await Order.load(info, self.order_id)


@strawberry.type(description="A page of meetings.")
class MeetingConnection(Connection[Meeting]):
    pass


@strawberry.type(description="A page of order events, oldest first.")
class OrderEventConnection(Connection[OrderEvent]):
    pass


@strawberry.type(
    description="A station's order of a published service or project, delivered by its provider "
    "(基层订购、部门送订单), or a whistle (吹哨报到) calling a department in for a matter outside any catalog."
)
class Order(RowNode):
    id: relay.NodeID[int]
    kind: OrderKind = strawberry.field(
        description="A catalog order, or a whistle (吹哨) calling a department in for a matter outside any catalog."
    )
    matter: str | None = strawberry.field(
        description="A whistle's matter as the station described it; null for catalog orders."
    )
    quantity: int = strawberry.field(description="How many (units or participants) were ordered.")
    requested_start: date = strawberry.field(
        description="The first day the station asked for (Asia/Shanghai)."
    )
    requested_end: date = strawberry.field(description="The last day the station asked for (Asia/Shanghai).")
    notes: str = strawberry.field(description="The station's notes for the provider.")
    urgency: Urgency = strawberry.field(description="How urgent the order is; sets its deadlines.")
    status: OrderStatus = strawberry.field(description="Where the order stands.")
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
    responded_at: datetime | None = strawberry.field(
        description="When the provider answered (accepted or declined); null until it did."
    )
    delivered_at: datetime | None = strawberry.field(
        description="When the provider delivered; null until it did, and again after the station rejects "
        "the delivery."
    )
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
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.order_loader(info.context)

    @strawberry.field(description="The station that placed it.")
    async def station(self, info: Info) -> Station:
        return await Station.load_related(info, self.station_id)

    @strawberry.field(description="The provider that delivers it.")
    async def provider(self, info: Info) -> Provider:
        return await Provider.load_related(info, self.provider_id)

    @strawberry.field(description="The service ordered, when a service was ordered.")
    async def service(self, info: Info) -> Service | None:
        return await _subject(info, Service, ServiceRow, self.service_id)

    @strawberry.field(description="The project ordered, when a project was ordered.")
    async def project(self, info: Info) -> Project | None:
        return await _subject(info, Project, ProjectRow, self.project_id)

    @strawberry.field(description="The demand of the station the order answers, if any.")
    async def demand(self, info: Info) -> Demand | None:
        return await Demand.load(info, self.demand_id)

    @strawberry.field(description="Who placed it, when that account is visible to you.")
    async def placed_by(self, info: Info) -> User | None:
        return await User.load(info, self.placed_by_id)

    @strawberry.field(description="The person the provider made responsible; null until accepted.")
    def responsible(self) -> ResponsiblePerson | None:
        if self.responsible_name is None or self.responsible_phone is None:
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
        if self.resident_name is None or self.resident_phone is None:
            return None
        if not may_see_resident(info.context.viewer, self.station_id, self.provider_id):
            return None
        return Resident(name=self.resident_name, phone=self.resident_phone)

    @strawberry.field(description="The evaluation that closed it; null until evaluated.")
    def evaluation(self) -> OrderEvaluation | None:
        if self.rating is None or self.satisfaction is None or self.evaluated_at is None:
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
        return RESPONSE.seconds_left(self, now())

    @strawberry.field(
        description="Seconds until delivery is due, negative when overdue; null once delivered or closed."
    )
    def delivery_seconds_left(self) -> int | None:
        return DELIVERY.seconds_left(self, now())

    @strawberry.field(
        description="Whether the provider has not answered (still SUBMITTED) past its deadline."
    )
    def is_response_overdue(self) -> bool:
        return RESPONSE.is_overdue(self, now())

    @strawberry.field(
        description="Whether delivery is past its deadline and the order is not yet delivered, completed, "
        "evaluated, declined or cancelled."
    )
    def is_delivery_overdue(self) -> bool:
        return DELIVERY.is_overdue(self, now())

    @strawberry.field(
        description="Whether the provider answered by the response deadline: null while it may still; "
        "false once overdue. The statistics' response on-time rate counts the same."
    )
    def response_on_time(self) -> bool | None:
        return RESPONSE.kept(self, now())

    @strawberry.field(
        description="Whether the provider delivered by the delivery deadline: null while it may still; "
        "false once overdue. The statistics' delivery on-time rate counts the same."
    )
    def delivery_on_time(self) -> bool | None:
        return DELIVERY.kept(self, now())

    @strawberry.field(description="What you may do to the order now; empty when nothing.")
    def next_actions(self, info: Info) -> list[OrderAction]:
        return next_actions(info.context.viewer, self.status, self.kind)

    history = connection_field(
        OrderEventConnection,
        resolvers.history_of_order,
        description="Its history: every change, oldest first, starting with the placement.",
        parent=lambda order: order.id,
    )

    @strawberry.field(
        description="Its three meetings (三会): the hearing it was placed on, coordination meetings during "
        f"delivery and the evaluation meeting, in the order they were held (at most {MAX_MEETINGS})."
    )
    async def meetings(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description="How many, at most.")] = MAX_MEETINGS,
    ) -> list[Meeting]:
        rows = await resolvers.meetings_of_order(info.context).load(self.id)
        return [Meeting.from_row(row) for row in bounded_list(rows, first, MAX_MEETINGS)]


@strawberry.type(description="A page of orders.")
class OrderConnection(Connection[Order]):
    pass
