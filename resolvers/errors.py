"""Errors: what a client caused and may read, and user errors mutations return.

Anything else raised in a resolver is a fault and is masked before it leaves.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from datetime import date
from typing import Any


class ClientError(Exception):
    """A request the server refuses as a GraphQL error, with a message for the caller."""

    code = "BAD_REQUEST"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


class NotAuthenticated(ClientError):
    code = "UNAUTHENTICATED"


class SubscriberTooSlow(ClientError):
    """A subscriber's queue overflowed: it missed events and must resume by cursor."""

    code = "SUBSCRIBER_TOO_SLOW"


class AccountDeactivated(NotAuthenticated):
    """The account a live connection signed in with was deactivated (or changed) since."""

    code = "ACCOUNT_DEACTIVATED"


class TokenExpired(NotAuthenticated):
    """The access token a live connection signed in with has expired."""

    code = "TOKEN_EXPIRED"


class ErrorCode(enum.Enum):
    """The closed set of reasons a mutation refuses its input."""

    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    INVALID = "INVALID"
    IN_THE_PAST = "IN_THE_PAST"
    NOT_FOUND = "NOT_FOUND"
    TAKEN = "TAKEN"
    NOT_PERMITTED = "NOT_PERMITTED"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    NOT_ORDERABLE = "NOT_ORDERABLE"
    CAPACITY_EXCEEDED = "CAPACITY_EXCEEDED"
    HEARING_REQUIRED = "HEARING_REQUIRED"
    HEARING_REJECTED = "HEARING_REJECTED"
    HEARING_SUPERSEDED = "HEARING_SUPERSEDED"
    HEARING_USED_UP = "HEARING_USED_UP"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
    CONFLICT = "CONFLICT"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    INSUFFICIENT_POINTS = "INSUFFICIENT_POINTS"


@dataclass
class UserError:
    code: ErrorCode
    message: str
    field: list[str] | None = None
    details: dict[str, Any] = dataclasses.field(default_factory=dict)
    """Extra facts for typed errors (the current state and allowed actions of an order)."""


class Refused(Exception):
    """Raised inside a mutation to roll it back and answer with user errors."""

    def __init__(self, *errors: UserError) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = list(errors)


class Checks:
    """Collects every problem of an input, so a client learns all of them at once."""

    def __init__(self) -> None:
        self.errors: list[UserError] = []

    def fail(self, field: str | list[str] | None, code: ErrorCode, message: str) -> None:
        """`field` is the input field at fault; a dotted name (`resident.phone`) is a nested one."""
        path = field.split(".") if isinstance(field, str) else field
        self.errors.append(UserError(code=code, message=message, field=path))

    def text(self, field: str, value: str | None, *, max_length: int, required: bool = True) -> None:
        if value is None or not value.strip():
            if required:
                self.fail(field, ErrorCode.REQUIRED, f"`{field}` must not be blank.")
            return
        if len(value) > max_length:
            self.fail(field, ErrorCode.TOO_LONG, f"`{field}` is limited to {max_length} characters.")
        elif "\x00" in value:
            self.fail(field, ErrorCode.INVALID, f"`{field}` cannot contain NUL characters.")

    def between(self, field: str, value: float | None, low: float, high: float) -> None:
        if value is not None and not low <= value <= high:
            self.fail(field, ErrorCode.OUT_OF_RANGE, f"`{field}` must be between {low} and {high}.")

    def not_in_past(self, field: str, value: date | None, now: date) -> None:
        """`now` is a datetime for instants, the local date for calendar days."""
        if value is not None and value < now:
            self.fail(field, ErrorCode.IN_THE_PAST, f"`{field}` lies in the past.")

    def ordered(self, start_field: str, start: date | None, end_field: str, end: date | None) -> None:
        if start is not None and end is not None and end < start:
            self.fail(end_field, ErrorCode.INVALID, f"`{end_field}` must not be before `{start_field}`.")

    def done(self) -> None:
        if self.errors:
            raise Refused(*self.errors)
