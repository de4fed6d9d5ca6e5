"""The GraphQL types of volunteer tasks: `Task`, its history (`TaskEvent`), the resident it helps."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from models import Role, Skill, TaskAction, TaskStatus, Urgency
from resolvers.access import may_see_task_resident
from resolvers.orders.deadlines import TASK_COMPLETION, TASK_TAKE, now
from resolvers.orders.events import event_cursor
from resolvers.tasks import queries as resolvers
from resolvers.tasks.lifecycle import next_actions
from resolvers.time_bank.rules import points_for
from schema.accounts import User
from schema.common import Connection, RowNode
from schema.connections import connection_field
from schema.lists.types import Demand
from schema.places import Station
from schema.tasks import enums  # noqa: F401  (describes the task enums these types show)

if TYPE_CHECKING:
    from schema.volunteers import Volunteer


@strawberry.type(
    description="The resident a task helps. Personal data: for the station's staff, and for the volunteer "
    "only while they hold the task (taken or in progress)."
)
class TaskResident:
    name: str = strawberry.field(description="The resident's name.")
    phone: str = strawberry.field(description="The resident's phone number.")
    address: str | None = strawberry.field(description="Where to find the resident, when given.")


@strawberry.type(description="One move of a task, appended when it happened and never changed.")
class TaskEvent(RowNode):
    id: relay.NodeID[int]
    action: TaskAction = strawberry.field(description="What happened.")
    from_status: TaskStatus | None = strawberry.field(description="The status before; null for the posting.")
    to_status: TaskStatus = strawberry.field(description="The status after.")
    actor_role: Role = strawberry.field(description="The role of who did it.")
    note: str = strawberry.field(description="The note or reason given with it; empty when none.")
    occurred_at: datetime = strawberry.field(description="When it happened.")
    task_id: strawberry.Private[int]
    actor_id: strawberry.Private[int]
    commit_order: strawberry.Private[int | None]

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.task_event_loader(info.context)

    @strawberry.field(
        description="Where this event sits among all task events, in commit order: pass it as `after` to a "
        "task feed to resume after it."
    )
    def cursor(self) -> str:
        return event_cursor(self.commit_order if self.commit_order is not None else self.id)

    @strawberry.field(description="Who did it, when that account is visible to you.")
    async def actor(self, info: Info) -> User | None:
        return await User.load(info, self.actor_id)

    @strawberry.field(description="The task it moved; null when you may no longer see it.")
    async def task(self, info: Info) -> Task | None:
        return await Task.load(info, self.task_id)


@strawberry.type(description="A page of task events, oldest first.")
class TaskEventConnection(Connection[TaskEvent]):
    pass


@strawberry.type(
    description="Work a station (or its town) posts for its volunteers (社区派单), taken by one of them "
    "(党员接单) and confirmed by the station, which credits time-bank points."
)
class Task(RowNode):
    id: relay.NodeID[int]
    title: str = strawberry.field(description="What is to be done, in a line.")
    description: str = strawberry.field(description="More about it.")
    urgency: Urgency = strawberry.field(
        description="The kind of task (应急单、重点单、常规单): sets its deadlines and the points an hour earns."
    )
    place: str = strawberry.field(description="Where the work happens (a neighbourhood or venue).")
    starts_at: datetime = strawberry.field(description="When the work may start.")
    ends_at: datetime = strawberry.field(description="When the work should end.")
    required_skills: list[Skill] = strawberry.field(
        description="What a volunteer must be able to do to take it."
    )
    hours_expected: Decimal = strawberry.field(description="How many hours the work should take.")
    status: TaskStatus = strawberry.field(description="Where the task stands.")
    take_due_at: datetime = strawberry.field(
        description="When a volunteer must have taken it: the urgency's response limit after posting (即接即办)."
    )
    complete_due_at: datetime = strawberry.field(
        description="When it must be done and confirmed: the urgency's delivery limit after work may begin."
    )
    taken_at: datetime | None = strawberry.field(description="When its volunteer took it; null while open.")
    completed_at: datetime | None = strawberry.field(description="When the station confirmed it done.")
    hours_worked: Decimal | None = strawberry.field(
        description="The hours the station confirmed worked; null until confirmed."
    )
    cancellation_reason: str | None = strawberry.field(description="Why it was cancelled.")
    created_at: datetime = strawberry.field(description="When it was posted.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    station_id: strawberry.Private[int]
    demand_id: strawberry.Private[int | None]
    posted_by_id: strawberry.Private[int]
    volunteer_id: strawberry.Private[int | None]
    resident_name: strawberry.Private[str | None]
    resident_phone: strawberry.Private[str | None]
    resident_address: strawberry.Private[str | None]

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.task_loader(info.context)

    @strawberry.field(description="The station whose volunteers take it.")
    async def station(self, info: Info) -> Station:
        return await Station.load_related(info, self.station_id)

    @strawberry.field(description="The station's demand it answers, when it answers one and you see it.")
    async def demand(self, info: Info) -> Demand | None:
        return await Demand.load(info, self.demand_id)

    @strawberry.field(description="Who posted it, when that account is visible to you.")
    async def posted_by(self, info: Info) -> User | None:
        return await User.load(info, self.posted_by_id)

    @strawberry.field(description="The volunteer holding (or who held) it, when you may see them.")
    async def volunteer(
        self, info: Info
    ) -> Annotated[Volunteer, strawberry.lazy("schema.volunteers")] | None:
        from schema.volunteers import Volunteer

        return await Volunteer.load(info, self.volunteer_id)

    @strawberry.field(
        description="The resident the task helps. Personal data: the station's staff see it, the volunteer "
        "only while they hold the task; null for everyone else and when there is none."
    )
    def resident(self, info: Info) -> TaskResident | None:
        if self.resident_name is None or self.resident_phone is None:
            return None
        if not may_see_task_resident(info.context.viewer, self):
            return None
        return TaskResident(name=self.resident_name, phone=self.resident_phone, address=self.resident_address)

    @strawberry.field(
        description="The points the work earns by the published rule: the hours worked once confirmed (the "
        "hours expected before) × the points per hour of its urgency."
    )
    def points(self) -> int:
        return points_for(self.urgency, self.hours_worked or self.hours_expected)

    @strawberry.field(description="Seconds until it must be taken, negative when overdue; null once taken.")
    def take_seconds_left(self) -> int | None:
        return TASK_TAKE.seconds_left(self, now())

    @strawberry.field(description="Seconds until it must be done, negative when overdue; null once done.")
    def complete_seconds_left(self) -> int | None:
        return TASK_COMPLETION.seconds_left(self, now())

    @strawberry.field(
        description="Whether it is past a deadline it still owes: not taken in time, or not done in time."
    )
    def is_overdue(self) -> bool:
        moment = now()
        return TASK_TAKE.is_overdue(self, moment) or TASK_COMPLETION.is_overdue(self, moment)

    @strawberry.field(description="What you may do to the task now; empty when nothing.")
    def next_actions(self, info: Info) -> list[TaskAction]:
        return next_actions(info.context.viewer, self)

    history = connection_field(
        TaskEventConnection,
        resolvers.history_of_task,
        description="Its history: every move, oldest first, starting with the posting.",
        parent=lambda task: task.id,
    )


@strawberry.type(description="A page of tasks.")
class TaskConnection(Connection[Task]):
    pass
