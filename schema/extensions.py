"""What keeps one request from asking the server for unbounded work, and faults masked."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    value_from_ast_untyped,
)
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.schema.schema import validate_document

from resolvers.context import Context
from resolvers.errors import ClientError
from resolvers.pagination import DEFAULT_PAGE_SIZE

log = logging.getLogger(__name__)


class NodeLimit(SchemaExtension):
    """Refuses operations that could return more nodes than a limit, before running them.

    Each connection may return `first` (or `last`) nodes for every node of the
    connection it is nested in, as GitHub counts: `towns(first: 36) { stations(first:
    100) }` is 36 + 3,600 nodes. Runs the validation itself so its verdict joins the
    validation errors and nothing executes.
    """

    def __init__(self, max_nodes: int) -> None:
        self.max_nodes = max_nodes

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        # Without a document the operation was never parsed: there is nothing to count.
        if ctx.pre_execution_errors or document is None:
            yield
            return
        errors = validate_document(ctx.schema._schema, document, ctx.validation_rules)
        if not errors:
            nodes = self._operation_nodes(document)
            if nodes > self.max_nodes:
                errors = [
                    GraphQLError(
                        f"This query could return {nodes:,} nodes; the limit is {self.max_nodes:,}. "
                        "Ask for smaller pages or fewer nested connections.",
                        extensions={"code": "QUERY_TOO_LARGE"},
                    )
                ]
        ctx.pre_execution_errors = errors
        yield

    def _operation_nodes(self, document: DocumentNode) -> int:
        ctx = self.execution_context
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if ctx.operation_name:
            operations = [o for o in operations if o.name and o.name.value == ctx.operation_name]
        schema = ctx.schema._schema
        variables = ctx.variables or {}
        total = 0
        for operation in operations:
            root = schema.get_root_type(operation.operation)
            total += self._count(operation.selection_set, root, 1, fragments, variables, schema)
        return total

    def _count(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType | None,
        multiplier: int,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        schema: GraphQLSchema,
    ) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    target = schema.get_type(fragment.type_condition.name.value)
                    total += self._count(
                        fragment.selection_set, target, multiplier, fragments, variables, schema
                    )
            elif isinstance(selection, InlineFragmentNode):
                target = (
                    schema.get_type(selection.type_condition.name.value)
                    if selection.type_condition
                    else parent
                )
                total += self._count(
                    selection.selection_set, target, multiplier, fragments, variables, schema
                )
            elif isinstance(selection, FieldNode):
                fields = getattr(parent, "fields", None) or {}
                definition = fields.get(selection.name.value)
                if definition is None:
                    continue
                field_type = get_named_type(definition.type)
                inner = multiplier
                if isinstance(field_type, GraphQLObjectType) and field_type.name.endswith("Connection"):
                    inner = multiplier * self._page_size(selection, variables)
                    total += inner
                total += self._count(selection.selection_set, field_type, inner, fragments, variables, schema)
        return total

    @staticmethod
    def _page_size(field: FieldNode, variables: dict[str, Any]) -> int:
        for argument in field.arguments or ():
            if argument.name.value in ("first", "last"):
                value = value_from_ast_untyped(argument.value, variables)
                if isinstance(value, int):
                    return max(value, 0)
        return DEFAULT_PAGE_SIZE


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
