"""The arguments of every list of tasks: which tasks (`TaskFilter`) in which order (`TaskOrder`)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from models import Skill, TaskStatus, Urgency
from resolvers.tasks import queries as resolvers
from resolvers.tasks.queries import TaskOrderField
from schema.common import OrderDirection
from schema.connections import FilterInput, SortInput
from schema.inputs import fields_of
from schema.lists.types import Demand
from schema.places import District, Station, Town
from schema.tasks import enums  # noqa: F401  (describes the task enums these inputs take)
from schema.volunteers import Volunteer

FILTER_IDS = {
    "district_id": District,
    "town_id": Town,
    "station_id": Station,
    "volunteer_id": Volunteer,
    "demand_id": Demand,
}


@strawberry.input(description="How to order a list of tasks.")
class TaskOrder(SortInput):
    field: TaskOrderField = strawberry.field(description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="The direction.")
    ordering = staticmethod(resolvers.task_ordering)


@strawberry.input(description="Which tasks to list, among those you may see; all conditions must hold.")
class TaskFilter(FilterInput):
    status: list[TaskStatus] | None = strawberry.field(
        default=None, description="Tasks in any of these statuses."
    )
    urgency: Urgency | None = strawberry.field(default=None, description="Tasks of this kind (urgency).")
    district_id: relay.GlobalID | None = strawberry.field(default=None, description="Tasks of this district.")
    town_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Tasks of this town's stations."
    )
    station_id: relay.GlobalID | None = strawberry.field(default=None, description="Tasks of this station.")
    volunteer_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Tasks this volunteer holds or held."
    )
    demand_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Tasks answering this demand."
    )
    skills: list[Skill] | None = strawberry.field(
        default=None, description="Tasks requiring all of these skills."
    )
    takeable: bool | None = strawberry.field(
        default=None,
        description="For a volunteer, the open tasks of their station they qualify for (true) or the others; "
        "for staff, open tasks (true) or the others.",
    )
    overdue: bool | None = strawberry.field(
        default=None,
        description="Tasks past a deadline they still owe (true): not taken in time, or not done in time.",
    )
    starts_after: datetime | None = strawberry.field(
        default=None,
        description="Tasks starting at or after this time (Asia/Shanghai when no offset is given).",
    )
    starts_before: datetime | None = strawberry.field(
        default=None, description="Tasks starting before this time (Asia/Shanghai when no offset is given)."
    )

    def to_filter(self) -> resolvers.TaskFilter:
        return fields_of(
            self,
            resolvers.TaskFilter,
            ids=FILTER_IDS,
            status=lambda given: tuple(given or ()),
            skills=lambda given: tuple(given or ()),
        )
