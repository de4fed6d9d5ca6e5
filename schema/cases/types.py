"""The GraphQL types of cases: `Case`, its history (`CaseEvent`), and the case enums."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from models import CaseAction, CaseDeadline, CaseKind, CaseRoute, CaseStatus, Role, Urgency
from resolvers.access import may_see_resident
from resolvers.cases import queries as resolvers
from resolvers.cases.lifecycle import next_case_actions
from resolvers.orders.deadlines import CASE_ANSWER, CASE_CLOSING, now
from resolvers.orders.events import event_cursor
from resolvers.tasks import queries as task_resolvers
from schema.accounts import User
from schema.catalog.types import Category
from schema.common import Connection, RowNode, describe_enum
from schema.connections import connection_field
from schema.lists.types import Demand
from schema.orders.types import Order, Resident
from schema.places import Station

if TYPE_CHECKING:
    from schema.tasks.types import Task

describe_enum(
    CaseKind,
    "What a resident brings to a station.",
    {
        "CONSULTATION": "A consultation (咨询).",
        "HELP": "A request for help (求助).",
        "COMPLAINT": "A complaint (投诉).",
        "SUGGESTION": "A suggestion (建议).",
    },
)
describe_enum(
    CaseStatus,
    "Where a case stands.",
    {
        "RECEIVED": "Recorded by the staff member who first received it (首问责任制), not yet taken on.",
        "HANDLED": "Handled on the spot (当场办结); to be closed with its result.",
        "ORDERED": "Turned into an order of the catalog (`order`).",
        "DEMANDED": "Turned into a demand of the station (`demand`).",
        "WHISTLED": "Turned into a whistle (吹哨) to a department (`order`, of kind WHISTLE).",
        "TASKED": "Turned into a task dispatched to the station's volunteers (`task`, 派单).",
        "CLOSED": "Closed: the resident was told the result.",
        "EVALUATED": "The resident answered how satisfied they are. Final.",
    },
)
describe_enum(
    CaseRoute,
    "How a case was taken on.",
    {
        "ON_THE_SPOT": "Handled on the spot.",
        "ORDER": "Through an order of the catalog.",
        "DEMAND": "Through a demand of the station.",
        "WHISTLE": "Through a whistle to a department.",
        "TASK": "Through a task dispatched to the station's volunteers.",
    },
)
describe_enum(
    CaseAction,
    "Something done to a case; every one names who did it.",
    {
        "RECEIVE": "A station's staff member received it and owns it.",
        "HANDLE_ON_SPOT": "The owner handled it on the spot.",
        "TURN_INTO_ORDER": "The owner linked the catalog order placed for it.",
        "TURN_INTO_DEMAND": "The owner linked the demand posted for it.",
        "WHISTLE": "The owner blew a whistle to a department for it.",
        "TURN_INTO_TASK": "The owner dispatched a volunteer task for it, posted with it.",
        "HAND_OVER": "The owner handed it to the next owner (`owner` after the event).",
        "CLOSE": "The owner closed it with the result told to the resident (the note).",
        "EVALUATE": "The resident's satisfaction was recorded.",
        "URGE": "Town staff urged (督办) it on.",
        "ESCALATE": "Town staff escalated it to the district.",
        "EXTEND_DEADLINE": "Town staff extended a deadline, with a reason (the note says which and to when).",
        "REASSIGN": "Town staff gave it to another owner.",
        "DEADLINE_NEARING": "The server's alert: a deadline it still owes is near (`deadline` says which).",
        "DEADLINE_PASSED": "The server's alert: a deadline it still owes has passed (`deadline` says which).",
    },
)
describe_enum(
    CaseDeadline,
    "The two deadlines of a case, set by its urgency's time limits (those of orders).",
    {
        "ANSWER": "Taken on (handled on the spot, or turned into an order, demand, whistle or task): the "
        "urgency's "
        "response limit.",
        "CLOSING": "Closed, the result told: the urgency's delivery limit.",
    },
)


@strawberry.type(description="How many cases of a statistics group are in a status.")
class CaseStatusCount:
    status: CaseStatus = strawberry.field(description="The status.")
    label: str = strawberry.field(description="The status's Chinese label, e.g. 已办结.")
    count: int = strawberry.field(description="How many cases are in it.")


@strawberry.type(description="A change of a case, kept forever in its history: who, when, what.")
class CaseEvent(RowNode):
    max_id: ClassVar[int] = 2**63 - 1
    id: relay.NodeID[int]
    action: CaseAction = strawberry.field(description="What was done.")
    from_status: CaseStatus | None = strawberry.field(description="The status before; null for the receipt.")
    to_status: CaseStatus = strawberry.field(description="The status after.")
    actor_role: Role | None = strawberry.field(
        description="The role of who did it; null for a deadline alert, which the server raises."
    )
    deadline: CaseDeadline | None = strawberry.field(
        description="The deadline a DEADLINE_NEARING or DEADLINE_PASSED alert is about; null otherwise."
    )
    note: str = strawberry.field(description="The note, reason or result given with it; empty when none.")
    occurred_at: datetime = strawberry.field(description="When it happened.")
    case_id: strawberry.Private[int]
    actor_id: strawberry.Private[int | None]
    owner_id: strawberry.Private[int]
    commit_order: strawberry.Private[int | None]

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.case_event_loader(info.context)

    @strawberry.field(
        description="Where this event sits among all case events, in commit order: pass it as `after` to a "
        "case feed to resume after it."
    )
    def cursor(self) -> str:
        return event_cursor(self.commit_order if self.commit_order is not None else self.id)

    @strawberry.field(description="Who did it, when that account is visible to you; null for an alert.")
    async def actor(self, info: Info) -> User | None:
        return await User.load(info, self.actor_id)

    @strawberry.field(
        description="The owner of the case after the event, when that account is visible to you."
    )
    async def owner(self, info: Info) -> User | None:
        return await User.load(info, self.owner_id)

    @strawberry.field(description="The case it changed, as it was after the event when delivered live.")
    async def case(self, info: Info) -> Case | None:
        # A live event carries the case as the broker read it (schema.cases.subscriptions).
        live_case = getattr(self, "live_case", None)
        if live_case is not None:
            return Case.from_row(live_case)
        return await Case.load(info, self.case_id)


@strawberry.type(description="A page of case events, oldest first.")
class CaseEventConnection(Connection[CaseEvent]):
    pass


@strawberry.type(
    description="A resident's matter received at a station and owned by whoever first received it (首问责任制) "
    "until a hand-over names the next owner."
)
class Case(RowNode):
    id: relay.NodeID[int]
    kind: CaseKind = strawberry.field(description="Consultation, help request, complaint or suggestion.")
    urgency: Urgency = strawberry.field(description="How urgent it is; sets its deadlines.")
    status: CaseStatus = strawberry.field(description="Where it stands.")
    route: CaseRoute | None = strawberry.field(description="How it was taken on; null while received.")
    subject: str = strawberry.field(description="What it is about, in a line.")
    description: str = strawberry.field(description="The matter as the resident put it.")
    result: str | None = strawberry.field(description="The result the resident was told; null until closed.")
    satisfaction: int | None = strawberry.field(
        description="The resident's satisfaction, 0 to 100; null until they answered."
    )
    answer_due_at: datetime = strawberry.field(description="When it must be taken on.")
    closing_due_at: datetime = strawberry.field(description="When it must be closed.")
    answered_at: datetime | None = strawberry.field(description="When it was taken on.")
    closed_at: datetime | None = strawberry.field(description="When it was closed.")
    escalated_at: datetime | None = strawberry.field(
        description="When town staff last escalated it to the district; null if never."
    )
    created_at: datetime = strawberry.field(description="When it was received.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    station_id: strawberry.Private[int]
    category_id: strawberry.Private[int | None]
    received_by_id: strawberry.Private[int]
    owner_id: strawberry.Private[int]
    order_id: strawberry.Private[int | None]
    demand_id: strawberry.Private[int | None]
    resident_name: strawberry.Private[str | None]
    resident_phone: strawberry.Private[str | None]

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.case_loader(info.context)

    @strawberry.field(description="The station that received it.")
    async def station(self, info: Info) -> Station:
        return await Station.load_related(info, self.station_id)

    @strawberry.field(description="Its category, when given.")
    async def category(self, info: Info) -> Category | None:
        return await Category.load(info, self.category_id)

    @strawberry.field(description="Who first received it (首问), when that account is visible to you.")
    async def received_by(self, info: Info) -> User | None:
        return await User.load(info, self.received_by_id)

    @strawberry.field(description="Who owns it now, when that account is visible to you.")
    async def owner(self, info: Info) -> User | None:
        return await User.load(info, self.owner_id)

    @strawberry.field(description="The order or whistle it became, when visible to you.")
    async def order(self, info: Info) -> Order | None:
        return await Order.load(info, self.order_id)

    @strawberry.field(description="The demand it became, when visible to you.")
    async def demand(self, info: Info) -> Demand | None:
        return await Demand.load(info, self.demand_id)

    @strawberry.field(
        description="The volunteer task dispatched for it, when visible to you: its status and `completedAt` "
        "tell whether the work is done."
    )
    async def task(self, info: Info) -> Annotated[Task, strawberry.lazy("schema.tasks.types")] | None:
        from schema.tasks.types import Task

        if self.route is not CaseRoute.TASK:
            return None
        row = await task_resolvers.task_of_case_loader(info.context).load(self.id)
        return None if row is None else Task.from_row(row)

    @strawberry.field(
        description="The resident it is about. Personal data: only the station's staff see it, as with orders; "
        "null for everyone else and when there is none."
    )
    def resident(self, info: Info) -> Resident | None:
        if self.resident_name is None or self.resident_phone is None:
            return None
        if not may_see_resident(info.context.viewer, self.station_id, None):
            return None
        return Resident(name=self.resident_name, phone=self.resident_phone)

    @strawberry.field(
        description="Seconds until it must be taken on, negative when overdue; null once taken on."
    )
    def answer_seconds_left(self) -> int | None:
        return CASE_ANSWER.seconds_left(self, now())

    @strawberry.field(description="Seconds until it must be closed, negative when overdue; null once closed.")
    def closing_seconds_left(self) -> int | None:
        return CASE_CLOSING.seconds_left(self, now())

    @strawberry.field(
        description="Whether it is past a deadline it still owes (the `overdue` filter counts the same)."
    )
    def is_overdue(self) -> bool:
        moment = now()
        return CASE_ANSWER.is_overdue(self, moment) or CASE_CLOSING.is_overdue(self, moment)

    @strawberry.field(
        description="Whether it was closed by its closing deadline: null while it may still be."
    )
    def closed_on_time(self) -> bool | None:
        return CASE_CLOSING.kept(self, now())

    @strawberry.field(description="What you may do to it now; empty when nothing.")
    def next_actions(self, info: Info) -> list[CaseAction]:
        return next_case_actions(info.context.viewer, self)

    history = connection_field(
        CaseEventConnection,
        resolvers.history_of_case,
        description="Its history: every change, oldest first, starting with its receipt.",
        parent=lambda case: case.id,
    )


@strawberry.type(description="A page of cases.")
class CaseConnection(Connection[Case]):
    pass
