"""How much work a parsed document asks for: depth, aliases and nodes, each fragment walked once.

A fragment may be spread many times, and each spread may sit in a fragment spread many
times itself: expanding spreads doubles the work at every level, so an attacker's
kilobyte of fragments would take hours. Here every fragment's figure is computed once
and reused at each spread, so the cost of an analysis is linear in the document's size.

The node count depends on the request's variables (`first: $n`), so for each operation
it is compiled once into a small expression (`NodePlan`) that the request's coerced
variables evaluate; one without variables folds to a plain number.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
)

from resolvers.pagination import DEFAULT_PAGE_SIZE

PAGE_ARGUMENTS = ("first", "last")


def fragments_of(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def operations_of(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def _fold(
    document: DocumentNode, per_field: Callable[[FieldNode, int], int], combine: Callable[[list[int]], int]
) -> dict[OperationDefinitionNode, int]:
    """A figure per operation, from `per_field(field, figure of its selection)` over its selections.

    A fragment's figure is computed at its first spread and reused at every other.
    Only for validated documents: they have no fragment cycles and no unknown fragments.
    """
    fragments = fragments_of(document)
    known: dict[str, int] = {}

    def figure(selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        parts = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                parts.append(per_field(selection, figure(selection.selection_set)))
            elif isinstance(selection, InlineFragmentNode):
                parts.append(figure(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in known:
                    known[name] = figure(fragments[name].selection_set)
                parts.append(known[name])
        return combine(parts)

    return {operation: figure(operation.selection_set) for operation in operations_of(document)}


def depth_errors(document: DocumentNode, max_depth: int) -> list[GraphQLError]:
    """Operations nested deeper than `max_depth` fields (introspection fields not counted)."""

    def field_depth(field: FieldNode, inner: int) -> int:
        if field.selection_set is None or field.name.value.startswith("__"):
            return 0
        return 1 + inner

    depths = _fold(document, field_depth, lambda parts: max(parts, default=0))
    return [
        GraphQLError(
            f"'{operation.name.value if operation.name else 'anonymous'}' "
            f"exceeds maximum operation depth of {max_depth}",
            [operation],
        )
        for operation, depth in depths.items()
        if depth > max_depth
    ]


def alias_errors(document: DocumentNode, max_aliases: int) -> list[GraphQLError]:
    """Too many aliases over all operations, each fragment's counted once per spread."""
    aliases = _fold(document, lambda field, inner: inner + (field.alias is not None), sum)
    total = sum(aliases.values())
    if total > max_aliases:
        return [GraphQLError(f"{total} aliases found. Allowed: {max_aliases}")]
    return []


@dataclass(frozen=True)
class Many:
    """`size` nodes, each with the nodes of `inner`: a connection's page, or one node per ID asked."""

    size: tuple[int | str, ...]
    """Where the size comes from, the first that has a value: a number, or a variable's name."""
    counts_list: bool
    """Whether a variable holds a list whose length is the size (`ids: $ids`), not a number."""
    inner: NodePlan

    def evaluate(self, variables: Mapping[str, Any], known: dict[int, int]) -> int:
        return self.size_in(variables) * (1 + evaluate(self.inner, variables, known))

    def size_in(self, variables: Mapping[str, Any]) -> int:
        for source in self.size:
            value = source if isinstance(source, int) else variables.get(source)
            if self.counts_list and isinstance(value, list):
                return len(value)
            if isinstance(value, int) and not isinstance(value, bool):
                return max(value, 0)
        # A missing page size is the connection's default; a missing list (a required
        # argument) fails coercion and never runs.
        return 0 if self.counts_list else DEFAULT_PAGE_SIZE


@dataclass(frozen=True, eq=False)
class Sum:
    """The nodes of several selections; compared by identity, so a fragment's is evaluated once."""

    parts: tuple[NodePlan, ...]

    def evaluate(self, variables: Mapping[str, Any], known: dict[int, int]) -> int:
        if id(self) not in known:
            known[id(self)] = sum(evaluate(part, variables, known) for part in self.parts)
        return known[id(self)]


NodePlan = int | Many | Sum
"""The nodes an operation may return, as a number or an expression over its variables."""


def evaluate(plan: NodePlan, variables: Mapping[str, Any], known: dict[int, int] | None = None) -> int:
    """The nodes of a plan for the request's coerced variables, each shared part evaluated once."""
    if isinstance(plan, int):
        return plan
    return plan.evaluate(variables, {} if known is None else known)


def _sum(parts: list[NodePlan]) -> NodePlan:
    variable = [part for part in parts if not isinstance(part, int)]
    constant = sum(part for part in parts if isinstance(part, int))
    if not variable:
        return constant
    return Sum((constant, *variable) if constant else tuple(variable))


def _many(size: tuple[int | str, ...], counts_list: bool, inner: NodePlan) -> NodePlan:
    plan = Many(size, counts_list, inner)
    if isinstance(inner, int) and (not size or isinstance(size[0], int)):
        return plan.size_in({}) * (1 + inner)
    return plan


def _size(field: FieldNode, names: tuple[str, ...] | None) -> tuple[int | str, ...]:
    """Where a field's page size or list length comes from, in the order the arguments count."""
    sources: list[int | str] = []
    for argument in field.arguments or ():
        if names is not None and argument.name.value not in names:
            continue
        value = argument.value
        if isinstance(value, VariableNode):
            sources.append(value.name.value)
        elif isinstance(value, IntValueNode):
            sources.append(int(value.value))
        elif isinstance(value, ListValueNode):
            sources.append(len(value.values))
    return tuple(sources)


def node_plan(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode) -> NodePlan:
    """The nodes `operation` may return, as GitHub counts them: each connection may return
    its page size of nodes for every node it is nested in, a capped list its `first`, and a
    list asked for by a list argument (`nodes(ids:)`) one node per element. A fragment is
    planned once.
    """
    fragments = fragments_of(document)
    planned: dict[str, NodePlan] = {}

    def plan(selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None) -> NodePlan:
        if selection_set is None:
            return 0
        parts: list[NodePlan] = []
        for selection in selection_set.selections:
            if isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in planned:
                    fragment = fragments[name]
                    target = schema.get_type(fragment.type_condition.name.value)
                    planned[name] = plan(fragment.selection_set, target)
                parts.append(planned[name])
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = schema.get_type(condition.name.value) if condition else parent
                parts.append(plan(selection.selection_set, target))
            elif isinstance(selection, FieldNode):
                parts.append(field_plan(selection, parent))
        return _sum(parts)

    def field_plan(field: FieldNode, parent: GraphQLNamedType | None) -> NodePlan:
        definition = (getattr(parent, "fields", None) or {}).get(field.name.value)
        if definition is None:
            return 0
        field_type = get_named_type(definition.type)
        inner = plan(field.selection_set, field_type)
        if isinstance(field_type, GraphQLObjectType) and field_type.name.endswith("Connection"):
            return _many(_size(field, PAGE_ARGUMENTS), False, inner)
        returns_list = isinstance(get_nullable_type(definition.type), GraphQLList)
        if returns_list and "first" in definition.args:
            # A capped list (`districts`, `suggestions(first:)`): `first` nodes, its default when not given.
            default = definition.args["first"].default_value
            return _many(
                _size(field, ("first",)) + ((default,) if isinstance(default, int) else ()), False, inner
            )
        list_arguments = tuple(
            name
            for name, argument in definition.args.items()
            if isinstance(get_nullable_type(argument.type), GraphQLList)
        )
        if list_arguments and returns_list:
            return _many(_size(field, list_arguments), True, inner)
        return inner

    return plan(operation.selection_set, schema.get_root_type(operation.operation))
