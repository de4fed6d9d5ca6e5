"""What the case mutations answer: the changed case, or why the change was refused."""

from __future__ import annotations

from typing import Any, Self

import strawberry

from models import CaseAction, CaseStatus
from resolvers import errors as resolver_errors
from resolvers.errors import ErrorCode
from schema.cases.types import Case
from schema.payloads import spelled


@strawberry.type(
    description="A problem with a case mutation: its input, or the case's state. Nothing was written."
)
class CaseUserError:
    code: ErrorCode = strawberry.field(description="The kind of problem.")
    field: list[str] | None = strawberry.field(
        description="The path of the input field at fault; null when none is."
    )
    message: str = strawberry.field(description="An explanation for people.")
    current_status: CaseStatus | None = strawberry.field(
        description="The case's status when its state refused the action; null otherwise."
    )
    allowed_actions: list[CaseAction] | None = strawberry.field(
        description="What you may do to the case now; null when the error is not about its state."
    )

    @classmethod
    def from_error(cls, error: resolver_errors.UserError, input_type: Any) -> Self:
        return cls(
            **spelled(error, input_type),
            current_status=error.details.get("current_status"),
            allowed_actions=error.details.get("allowed_actions"),
        )


@strawberry.type(description="The result of a case mutation.")
class CasePayload:
    case: Case | None = strawberry.field(description="The case as it is now; null when refused.")
    user_errors: list[CaseUserError] = strawberry.field(description="Why it was refused; empty on success.")
