"""The task mutations: posting, and each move of the lifecycle (`resolvers.tasks.lifecycle`)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from resolvers.tasks import lifecycle
from schema.common import decode_id
from schema.inputs import changes_of, fields_of
from schema.lists.types import Demand
from schema.payloads import mutate
from schema.places import Station
from schema.tasks.inputs import (
    CancelTaskInput,
    ConfirmTaskInput,
    PostTaskInput,
    StartTaskInput,
    TakeTaskInput,
    WithdrawTaskInput,
)
from schema.tasks.payloads import TaskPayload, TaskUserError
from schema.tasks.types import Task


async def _answer(operation: Any, input: Any) -> TaskPayload:
    return await mutate(TaskPayload, operation, input, errors=TaskUserError, task=Task.from_row)


def _rest(input: Any) -> dict[str, Any]:
    return changes_of(input, skip=("task_id",))


@strawberry.type
class TasksMutation:
    @strawberry.mutation(
        description="Post a task for a station's volunteers (社区派单): station staff for their station, town "
        "staff for their town's stations, administrators for any."
    )
    async def post_task(self, info: Info, input: PostTaskInput) -> TaskPayload:
        new = fields_of(
            input,
            lifecycle.NewTask,
            ids={"station_id": Station, "demand_id": Demand},
            required_skills=tuple,
            resident=lambda given: fields_of(given, lifecycle.Resident) if given is not None else None,
        )
        return await _answer(lifecycle.post_task(info.context, new), input)

    @strawberry.mutation(
        description="Take an open task of your station you qualify for (volunteers; 党员接单). One volunteer "
        "takes a task, and nobody takes one twice: the slower of two gets CONFLICT."
    )
    async def take_task(self, info: Info, input: TakeTaskInput) -> TaskPayload:
        return await _answer(lifecycle.take_task(info.context, decode_id(input.task_id, Task)), input)

    @strawberry.mutation(description="Give a task you took back before starting it; it is open again.")
    async def withdraw_task(self, info: Info, input: WithdrawTaskInput) -> TaskPayload:
        task_id = decode_id(input.task_id, Task)
        return await _answer(lifecycle.withdraw_task(info.context, task_id, **_rest(input)), input)

    @strawberry.mutation(description="Start the work of a task you took.")
    async def start_task(self, info: Info, input: StartTaskInput) -> TaskPayload:
        task_id = decode_id(input.task_id, Task)
        return await _answer(lifecycle.start_task(info.context, task_id, **_rest(input)), input)

    @strawberry.mutation(
        description="Confirm a task done with the hours actually worked (station staff, administrators); the "
        "volunteer's points are credited in the same transaction."
    )
    async def confirm_task(self, info: Info, input: ConfirmTaskInput) -> TaskPayload:
        task_id = decode_id(input.task_id, Task)
        return await _answer(lifecycle.confirm_task(info.context, task_id, **_rest(input)), input)

    @strawberry.mutation(description="Cancel a task not yet done (its station, town, administrators).")
    async def cancel_task(self, info: Info, input: CancelTaskInput) -> TaskPayload:
        task_id = decode_id(input.task_id, Task)
        return await _answer(lifecycle.cancel_task(info.context, task_id, **_rest(input)), input)
