"""Reading tasks: a task by ID, and the tasks a viewer may see."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers.tasks import queries as resolvers
from schema.common import lookup_id
from schema.connections import connection_field
from schema.tasks.filters import TaskFilter, TaskOrder
from schema.tasks.types import Task, TaskConnection


@strawberry.type
class TasksQuery:
    @strawberry.field(description="A task by its ID; null when none has it or it is not visible to you.")
    async def task(self, info: Info, id: relay.GlobalID) -> Task | None:
        return await Task.load(info, lookup_id(id, Task))

    tasks = connection_field(
        TaskConnection,
        resolvers.list_tasks,
        description="The tasks you may see, newest first: a station its own, a town its stations', "
        "administrators all; a volunteer the open tasks of their station they qualify for and the tasks "
        "they hold or held.",
        filter=TaskFilter,
        sort=TaskOrder,
    )
