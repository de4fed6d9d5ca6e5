"""Refusals before a query runs (bad credentials), faults masked, the session released."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    NoSchemaIntrospectionCustomRule,
    SelectionSetNode,
    get_operation_ast,
    validate,
)
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.types import ExecutionContext

from doorstep import metrics
from resolvers.access import screen_may_read
from resolvers.context import Context
from resolvers.errors import ClientError

log = logging.getLogger(__name__)
# What faults count under in the metrics; the client is told only "Internal server error.".
FAULT_CODE = "INTERNAL_SERVER_ERROR"


def is_fault(error: GraphQLError) -> bool:
    """Whether an error is a server fault to hide, rather than a message for the client."""
    original = error.original_error
    return original is not None and not isinstance(original, ClientError | GraphQLError)


def log_errors(errors: list[GraphQLError], execution_context: ExecutionContext | None) -> None:
    """A fault is logged with its traceback; a client's error as one line, without one; both counted.

    Client errors (a refused permission, a missing object, an invalid query) are the
    caller's doing and as many as callers like: a forty-line traceback each would let
    anyone fill the disk, and would bury the faults, which are ours to fix. Their fields
    (`extra`) become fields of the line (`doorstep.logs`), with the request's id.
    """
    operation = execution_context.operation_name if execution_context else None
    for error in errors:
        path = ".".join(str(part) for part in error.path) if error.path else None
        if is_fault(error):
            metrics.ERRORS.labels(FAULT_CODE).inc()
            log.error("Fault in %s (operation %s)", path, operation, exc_info=error.original_error)
            continue
        original = error.original_error
        code = (error.extensions or {}).get("code") or (
            original.code if isinstance(original, ClientError) else "GRAPHQL_VALIDATION_FAILED"
        )
        metrics.ERRORS.labels(code).inc()
        log.info(
            "client_error",
            extra={"code": code, "operation": operation, "path": path, "error": error.message},
        )


def client_error_extensions(error: GraphQLError) -> None:
    if isinstance(error.original_error, ClientError) and not error.extensions:
        error.extensions = {"code": error.original_error.code}


class MaskFaults(MaskErrors):
    """Masks unexpected faults (no stack trace or internals leave the server) and tags client errors."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_fault, error_message="Internal server error.")

    def _process_result(self, result: object) -> None:
        # Most results have no errors; strawberry's check of a runtime Protocol costs more than
        # a live event's whole delivery to one subscriber.
        if getattr(result, "errors", None):
            super()._process_result(result)

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        for error in errors:
            client_error_extensions(error)
        return super()._process_errors(errors)


class RefuseAnonymousIntrospection(SchemaExtension):
    """In production, only signed-in callers may read the schema (`__schema`, `__type`).

    The published schema.graphql is for the project's own clients; strangers probing the
    API learn nothing from it. `__typename` stays allowed, as clients need it.
    """

    def on_validate(self) -> Iterator[None]:
        # Runs after CheckedDocuments has validated (it comes first): a refusal made stands.
        ctx = self.execution_context
        context: Context = ctx.context
        if not ctx.pre_execution_errors and ctx.graphql_document and context.viewer.is_anonymous:
            refused = validate(ctx.schema._schema, ctx.graphql_document, [NoSchemaIntrospectionCustomRule])
            if refused:
                ctx.pre_execution_errors = [
                    GraphQLError(
                        "Introspection is for signed-in callers only.",
                        extensions={"code": "INTROSPECTION_DISABLED"},
                    )
                ]
        yield


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


class ScreensReadTheirBoard(SchemaExtension):
    """Refuses an operation of a screen token that asks for more than its board, its feed and labels.

    The rule (which entry points) is `resolvers.access.screen_may_read`; this names the root
    fields of the operation to run, fragments at the root included.
    """

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        context: Context = ctx.context
        if context.viewer.is_screen and not ctx.pre_execution_errors and ctx.graphql_document:
            operation = get_operation_ast(ctx.graphql_document, ctx.operation_name)
            if operation is not None:
                fragments = {
                    d.name.value: d
                    for d in ctx.graphql_document.definitions
                    if isinstance(d, FragmentDefinitionNode)
                }
                fields = _root_fields(operation.selection_set, fragments)
                try:
                    screen_may_read(context.viewer, [_snake(name) for name in fields])
                except ClientError as refused:
                    ctx.pre_execution_errors = [GraphQLError(str(refused), extensions={"code": refused.code})]
        yield


def _root_fields(selections: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode]) -> set[str]:
    names: set[str] = set()
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            names.add(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            names |= _root_fields(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            names |= _root_fields(fragments[selection.name.value].selection_set, fragments)
    return names


def _snake(name: str) -> str:
    """The resolvers' spelling of a root field (`stationBoard` → `station_board`)."""
    return name if name.startswith("__") else re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
