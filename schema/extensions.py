"""Refusals before a query runs (bad credentials), faults masked, the session released."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

from graphql import GraphQLError
from strawberry.extensions import MaskErrors, SchemaExtension

from resolvers.context import Context
from resolvers.errors import ClientError

log = logging.getLogger(__name__)


def is_fault(error: GraphQLError) -> bool:
    """Whether an error is a server fault to hide, rather than a message for the client."""
    original = error.original_error
    if original is None or isinstance(original, ClientError | GraphQLError):
        return False
    log.error("Unexpected error in %s", error.path, exc_info=original)
    return True


def client_error_extensions(error: GraphQLError) -> None:
    if isinstance(error.original_error, ClientError) and not error.extensions:
        error.extensions = {"code": error.original_error.code}


class MaskFaults(MaskErrors):
    """Masks unexpected faults (no stack trace or internals leave the server) and tags client errors."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_fault, error_message="Internal server error.")

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        for error in errors:
            client_error_extensions(error)
        return super()._process_errors(errors)


class RefuseBadCredentials(SchemaExtension):
    """Answers an operation sent with an invalid or expired token with only that error.

    Treating it as anonymous instead would hide the problem: the client would get
    empty lists and never learn to sign in again.
    """

    def on_validate(self) -> Iterator[None]:
        context: Context = self.execution_context.context
        error = context.credentials_error
        if error is not None:
            self.execution_context.pre_execution_errors = [
                GraphQLError(str(error), extensions={"code": error.code})
            ]
        yield


class ReleaseSession(SchemaExtension):
    """Returns the request's database connection to the pool when its operation ends."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context: Context = self.execution_context.context
        await context.db.close()
