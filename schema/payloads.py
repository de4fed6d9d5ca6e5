"""Mutation payloads: run the resolver, spell its user errors as the API does, build the payload.

Resolvers refuse an input with `Refused`, naming each field at fault by its Python
path (`["resident", "phone"]`) and quoting field names in messages the same way
(`` `lead_time_days` ``). This module is the one place that spells them as a client
sees them: `["input", "resident", "phone"]` and `` `leadTimeDays` ``, by the input
type's own field names (`time_limit_overrides` is `timeLimits`), so resolvers know
nothing of GraphQL spelling.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, Self, TypeVar

import strawberry
from strawberry.types.base import StrawberryContainer, has_object_definition
from strawberry.utils.str_converters import to_camel_case

from resolvers import errors as resolver_errors
from resolvers.errors import ErrorCode
from schema.common import describe_enum

T = TypeVar("T")
P = TypeVar("P")

describe_enum(
    ErrorCode,
    "Why a mutation refused its input.",
    {
        "REQUIRED": "A required value is missing or blank.",
        "TOO_LONG": "A text is longer than allowed.",
        "OUT_OF_RANGE": "A number or date is outside the allowed range.",
        "INVALID": "A value is malformed or contradicts another.",
        "IN_THE_PAST": "A date or time lies in the past.",
        "NOT_FOUND": "The object does not exist or is not visible to you.",
        "TAKEN": "The value is already used by another object.",
        "NOT_PERMITTED": "Your role or scope does not allow this on this object.",
        "INVALID_CREDENTIALS": "Wrong username or password.",
        "TOO_MANY_ATTEMPTS": "Too many failed sign-ins of this username from your address: wait the time "
        "the message gives (it doubles with each further failure).",
        "NOT_ORDERABLE": "Your station cannot order the service or project: its provider serves another district.",
        "CAPACITY_EXCEEDED": "The service or project is fully booked for that period.",
        "HEARING_REQUIRED": "The project needs an approving hearing (听证会) before it is ordered.",
        "HEARING_REJECTED": "Your station's latest hearing (听证会) about it rejected ordering it; that "
        "decision stands until a later hearing approves it.",
        "HEARING_SUPERSEDED": "A later hearing decided on it since the one named; the latest decision stands.",
        "HEARING_USED_UP": "The approving hearing already authorized as many orders as it named; hold a "
        "new hearing to order more.",
        "ILLEGAL_TRANSITION": "The object's current state (an order's, a demand's, a task's, a catalog entry's "
        "publication status) does not allow that action.",
        "CONFLICT": "Someone else changed the object at the same moment; reload and retry.",
        "IDEMPOTENCY_KEY_REUSED": "The idempotency key was already used for a different request; "
        "use a new key for a new order.",
        "INSUFFICIENT_POINTS": "The volunteer's time-bank balance does not cover the reward's price.",
    },
)

# A field name quoted in a message: `lead_time_days`, or a path `resident.phone`.
QUOTED_NAME = re.compile(r"`([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)`")


def _field_type(input_type: Any, python_name: str) -> tuple[str, Any]:
    """The API name of an input's field, and the input type inside it (for nested paths)."""
    if input_type is not None and has_object_definition(input_type):
        for field in input_type.__strawberry_definition__.fields:
            if field.python_name == python_name:
                inner = field.type
                while isinstance(inner, StrawberryContainer):
                    inner = inner.of_type
                return field.graphql_name or to_camel_case(python_name), inner
    return to_camel_case(python_name), None


def api_path(input_type: Any, path: list[str]) -> list[str]:
    """A resolver's field path as the API spells it; list positions stay numbers."""
    spelled = []
    for segment in path:
        if segment.isdigit():
            spelled.append(segment)
            continue
        name, input_type = _field_type(input_type, segment)
        spelled.append(name)
    return spelled


def api_message(input_type: Any, message: str) -> str:
    return QUOTED_NAME.sub(
        lambda quoted: f"`{'.'.join(api_path(input_type, quoted[1].split('.')))}`", message
    )


class FromError(Protocol):
    @classmethod
    def from_error(cls, error: resolver_errors.UserError, input_type: Any) -> Self: ...


@strawberry.type(description="A problem with a mutation's input, for the user to fix. Nothing was written.")
class UserError:
    code: ErrorCode = strawberry.field(description="The kind of problem.")
    field: list[str] | None = strawberry.field(
        description="The path of the input field at fault, e.g. ['input', 'quantity']; null when none is."
    )
    message: str = strawberry.field(description="An explanation for people.")

    @classmethod
    def from_error(cls, error: resolver_errors.UserError, input_type: Any) -> Self:
        return cls(**spelled(error, input_type))


def spelled(error: resolver_errors.UserError, input_type: Any) -> dict[str, Any]:
    """The code, API field path and message of a resolver's user error."""
    return {
        "code": error.code,
        "field": ["input", *api_path(input_type, error.field)] if error.field else None,
        "message": api_message(input_type, error.message),
    }


async def mutate(
    payload: Callable[..., P],
    operation: Awaitable[T],
    input: object | None = None,
    *,
    errors: type[FromError] = UserError,
    **results: Callable[[T], Any],
) -> P:
    """Run a mutation's resolver and build its payload.

    On success each payload field named in `results` is built from the resolver's
    result (`service=Service.from_row`); when the resolver refuses the input (and
    rolled its transaction back) those fields are null and `userErrors` says why.
    """
    try:
        result = await operation
    except resolver_errors.Refused as refused:
        input_type = type(input) if input is not None else None
        return payload(
            **dict.fromkeys(results), user_errors=[errors.from_error(e, input_type) for e in refused.errors]
        )
    return payload(**{name: build(result) for name, build in results.items()}, user_errors=[])
