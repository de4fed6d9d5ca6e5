"""What the task mutations answer: the task as it is now, or why the move was refused."""

from __future__ import annotations

from typing import Any, Self

import strawberry

from models import TaskAction, TaskStatus
from resolvers import errors as resolver_errors
from resolvers.errors import ErrorCode
from schema.payloads import spelled
from schema.tasks.types import Task


@strawberry.type(
    description="A problem with a task mutation: its input, or the task's state. Nothing was written."
)
class TaskUserError:
    code: ErrorCode = strawberry.field(description="The kind of problem.")
    field: list[str] | None = strawberry.field(
        description="The path of the input field at fault, e.g. ['input', 'hoursWorked']; null when none is."
    )
    message: str = strawberry.field(description="An explanation for people.")
    current_status: TaskStatus | None = strawberry.field(
        description="The task's status when its state refused the move (ILLEGAL_TRANSITION, CONFLICT); null "
        "otherwise."
    )
    allowed_actions: list[TaskAction] | None = strawberry.field(
        description="What you may do to the task in that status; null when the error is not about its state."
    )

    @classmethod
    def from_error(cls, error: resolver_errors.UserError, input_type: Any) -> Self:
        return cls(
            **spelled(error, input_type),
            current_status=error.details.get("current_status"),
            allowed_actions=error.details.get("allowed_actions"),
        )


@strawberry.type(description="The result of a task mutation.")
class TaskPayload:
    task: Task | None = strawberry.field(description="The task as it is now; null when refused.")
    user_errors: list[TaskUserError] = strawberry.field(description="Why it was refused; empty on success.")
