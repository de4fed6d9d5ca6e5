"""Each distinct query text parsed, validated and measured once: a bounded cache of documents.

Screens send the same few query texts all day; parsing and validating them again for
every request was most of a small read's cost. The cache keeps, per text, the parsed
document, its validation errors (with the depth and alias limits, which depend on the
document only) and per operation a plan of its node count, which the request's coerced
variables complete. That count, with the nodes the operation really returned, is the
response's `extensions.cost` (`schema.cost`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode
from graphql.execution.values import get_variable_values
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

from schema.cost import Cost
from schema.limits import NodePlan, alias_errors, depth_errors, evaluate, node_plan, operations_of


@dataclass(frozen=True)
class Limits:
    max_depth: int
    max_aliases: int
    max_nodes: int


@dataclass
class CachedDocument:
    document: DocumentNode
    errors: list[GraphQLError] | None = None
    """Its validation errors and exceeded limits; None until validated."""
    plans: dict[str | None, NodePlan] = field(default_factory=dict)
    """The node plan of each operation validated, by the operation name asked for."""


@dataclass
class DocumentCache:
    """The most recently used documents, at most `size` of them, by their query text."""

    size: int
    parsed: int = 0
    """How many texts were parsed (each a miss); observable so tests and operators can tell."""
    validated: int = 0
    hits: int = 0
    entries: OrderedDict[str, CachedDocument] = field(default_factory=OrderedDict)

    def get(self, query: str) -> CachedDocument | None:
        entry = self.entries.get(query)
        if entry is not None:
            self.hits += 1
            self.entries.move_to_end(query)
        return entry

    def peek(self, query: str) -> CachedDocument | None:
        """The entry of a text, without counting a hit or making it recent (the response cache's look)."""
        return self.entries.get(query)

    def add(self, query: str, document: DocumentNode) -> CachedDocument:
        self.parsed += 1
        entry = self.entries[query] = CachedDocument(document)
        while len(self.entries) > max(self.size, 0):
            self.entries.popitem(last=False)
        return entry


class CheckedDocuments(SchemaExtension):
    """Reads documents from the cache, and refuses those over the limits before they run.

    Strawberry parses a text the cache lacks (and answers a syntax error itself); this
    keeps what it parsed. Validation runs here, once per document, so the node count's
    verdict joins the validation errors and nothing executes. The same count is the
    response's requested cost; a subscription's events do not report one.
    """

    def __init__(self, documents: DocumentCache, limits: Limits) -> None:
        self.documents = documents
        self.limits = limits
        self.entry: CachedDocument | None = None
        self.cost: Cost | None = None

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        query = ctx.query
        if query is None:
            yield
            return
        self.entry = self.documents.get(query)
        if self.entry is not None:
            ctx.graphql_document = self.entry.document
        yield
        if self.entry is None and ctx.graphql_document is not None:
            self.entry = self.documents.add(query, ctx.graphql_document)

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        entry = self.entry
        # A refusal made already (bad credentials) stands; an unparsed text has nothing to check.
        if ctx.pre_execution_errors or entry is None:
            yield
            return
        if entry.errors is None:
            self.documents.validated += 1
            entry.errors = self._validate(ctx, entry.document)
        ctx.pre_execution_errors = (
            entry.errors or self._unnamed_choice(ctx, entry.document) or self._node_errors(ctx, entry)
        )
        yield

    def on_execute(self) -> Iterator[None]:
        if self.cost is None:
            yield
            return
        with self.cost.counting():
            yield

    def get_results(self) -> dict[str, Any]:
        return {} if self.cost is None else {"cost": self.cost.as_extension()}

    def _validate(self, ctx: ExecutionContext, document: DocumentNode) -> list[GraphQLError]:
        errors = validate_document(ctx.schema._schema, document, ctx.validation_rules)
        if errors:
            return errors
        return depth_errors(document, self.limits.max_depth) + alias_errors(document, self.limits.max_aliases)

    @staticmethod
    def _unnamed_choice(ctx: ExecutionContext, document: DocumentNode) -> list[GraphQLError]:
        """A document of several operations needs `operationName` (GraphQL spec, GetOperation).

        Strawberry runs the first operation when none is named; the name the client sent
        (or did not) is kept only in the context's private field.
        """
        provided = getattr(ctx, "_provided_operation_name", None)
        if provided is None and len(operations_of(document)) > 1:
            return [GraphQLError("Must provide operation name if query contains multiple operations.")]
        return []

    def _node_errors(self, ctx: ExecutionContext, entry: CachedDocument) -> list[GraphQLError]:
        nodes = self._requested_nodes(ctx, entry)
        if nodes is None:
            return []  # execution refuses the variables, with the errors that say why
        maximum = self.limits.max_nodes
        if ctx.operation_type is not OperationType.SUBSCRIPTION:
            self.cost = Cost(nodes, maximum)
        if nodes <= maximum:
            return []
        return [
            GraphQLError(
                f"This query could return {nodes:,} nodes; the limit is {maximum:,}. "
                "Ask for smaller pages or fewer nested connections.",
                extensions={"code": "QUERY_TOO_LARGE", "requestedNodes": nodes, "maximumNodes": maximum},
            )
        ]

    def _requested_nodes(self, ctx: ExecutionContext, entry: CachedDocument) -> int | None:
        """The nodes the operation may return, or None when its variables are not of their types."""
        schema = ctx.schema._schema
        nodes = 0
        for operation in self._operations(entry.document, ctx.operation_name):
            key = operation.name.value if operation.name else None
            if key not in entry.plans:
                entry.plans[key] = node_plan(schema, entry.document, operation)
            plan = entry.plans[key]
            if isinstance(plan, int):
                nodes += plan
                continue
            variables = self._coerced_variables(schema, operation, ctx.variables or {})
            if variables is None:
                return None
            nodes += evaluate(plan, variables)
        return nodes

    @staticmethod
    def _operations(document: DocumentNode, name: str | None) -> list[OperationDefinitionNode]:
        operations = operations_of(document)
        if name:
            return [o for o in operations if o.name and o.name.value == name]
        return operations

    @staticmethod
    def _coerced_variables(
        schema: GraphQLSchema, operation: OperationDefinitionNode, variables: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The variables as execution will see them: defaults filled in, values of their types."""
        coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
        return None if isinstance(coerced, list) else coerced.coerced
