"""Relay building blocks: nodes, global IDs, connections, ordering direction."""

from __future__ import annotations

import dataclasses
import enum
import inspect
from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter
from typing import Any, ClassVar, Generic, Self, TypeVar, get_args, get_origin, overload

import strawberry
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLResolveInfo,
    SelectionSetNode,
)
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info
from strawberry.types.base import get_object_definition
from strawberry.types.enum import has_enum_definition
from strawberry.utils.str_converters import to_camel_case

from resolvers.errors import ClientError
from resolvers.loading import loaded
from resolvers.pagination import Ordering, Page
from schema.cost import count_returned

NodeType = TypeVar("NodeType", bound="RowNode")
T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)
F = TypeVar("F", bound=Callable[..., Any])


@strawberry.enum(description="The direction of an ordering.")
class OrderDirection(enum.Enum):
    ASC = strawberry.enum_value("ASC", description="Smallest (or earliest) first.")
    DESC = strawberry.enum_value("DESC", description="Largest (or latest) first.")


def bounded_list(rows: list[T], first: int, maximum: int) -> list[T]:
    """The first `first` rows of a list field that takes no page: `first` refused beyond `maximum`.

    Such lists are short by nature (the districts, a category's children, an order's
    meetings); the cap keeps them so however the data grows, and the query's node count
    (`schema.limits`) counts each as `first` nodes, its default being the maximum.
    """
    if not 0 <= first <= maximum:
        raise ClientError(
            f"`first` must be between 0 and {maximum}; got {first}.", code="PAGE_SIZE_OUT_OF_RANGE"
        )
    count_returned(min(len(rows), first))
    return rows[:first]


def describe_enum(enum_class: type[E], description: str, values: dict[str, str]) -> type[E]:
    """Expose a model enum in GraphQL with descriptions on the type and every value.

    Strawberry registers the definition on the model enum itself, so fields annotate
    the model enum (`tier: Tier`) once this has run for it.
    """
    missing = {member.name for member in enum_class} - values.keys()
    if missing:
        raise ValueError(f"{enum_class.__name__} lacks descriptions for {sorted(missing)}")
    wrapped = strawberry.enum(enum_class, description=description)
    assert has_enum_definition(wrapped)
    for value in wrapped.__strawberry_definition__.values:
        value.description = values[value.name]
    return enum_class


INTEGER_MAX = 2**31 - 1
"""The largest PostgreSQL `integer`, the type of most primary keys."""


def id_number(node_id: str, maximum: int = INTEGER_MAX) -> int | None:
    """The row id a global ID's node part names, or None when it cannot name a row.

    Checked here, before any statement: the database refuses a parameter outside its
    column's type with an error, which would surface as a fault rather than "not found".
    """
    if not _digits(node_id) or len(node_id) > len(str(maximum)):
        return None
    number = int(node_id)
    return number if 1 <= number <= maximum else None


def _digits(text: str) -> bool:
    # ASCII only: str.isdigit() accepts "²" and "٣", which int() then refuses or reads.
    return text.isascii() and text.isdigit()


class RowNode(relay.Node):
    """A node built from a database row and loaded in batches by a data loader."""

    max_id: ClassVar[int] = INTEGER_MAX
    """The largest id its table's key holds."""
    row_names: ClassVar[dict[str, str]] = {}
    """The fields read from a row attribute of another name (a private field beside a resolver's)."""
    computed: ClassVar[frozenset[str]] = frozenset()
    """The fields not read from the row but computed from it, by `compute`."""
    needs: ClassVar[dict[str, tuple[str, ...]]] = {}
    """The row attributes each field with a resolver reads, by the field's API name (`columns_for`)."""

    @classmethod
    def columns_for(cls, fields: set[str]) -> frozenset[str] | None:
        """The row attributes a page's rows need for these fields of their nodes; None for all.

        A data field reads its own attribute, a related field its foreign key, a field with
        a resolver what `needs` names; the id is always read. A field with a resolver that
        `needs` does not name takes every column, so a resolver never finds one missing.
        """
        data, related = _data_fields(cls), related_fields(cls)
        columns = {"id"}
        for name in fields:
            if name in cls.needs:
                columns.update(cls.needs[name])
            elif name in related:
                columns.add(related[name].key)
            elif name in data:
                columns.add(data[name])
            elif name not in ("id", "__typename"):
                return None
        return frozenset(columns)

    @classmethod
    def compute(cls, row: Any) -> dict[str, Any]:
        """The `computed` fields of the node of a row."""
        return {}

    @classmethod
    def from_row(cls, row: Any) -> Self:
        """The node of a model object or a plain row, which carry the node's fields by name.

        The row's values go straight into the new object's attributes, as the dataclass
        `__init__` would put them (these types have no `__post_init__`): a page builds
        hundreds of nodes, and the keyword call costs more than the reading.
        """
        shape = (cls, getattr(row, "_fields", None))
        names, read = _ROW_FIELDS.get(shape) or _row_fields(*shape)
        node = cls.__new__(cls)
        node.__dict__.update(zip(names, read(row), strict=True))
        if cls.computed:
            node.__dict__.update(cls.compute(row))
        return node

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        raise NotImplementedError

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # loads rows in batches, not by relay's default
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        numbers = [id_number(node_id, cls.max_id) for node_id in node_ids]
        ids = [number for number in numbers if number is not None]
        rows = dict(zip(ids, await cls.loader(info).load_many(ids), strict=True))
        found = [rows.get(number) if number is not None else None for number in numbers]
        return [cls.from_row(row) if row is not None else None for row in found]

    @classmethod
    def loader_with(cls, info: Info, related: frozenset[str]) -> DataLoader[int, Any]:
        """The loader, reading along the rows that the foreign keys `related` name, if it can."""
        return cls.loader(info)

    @classmethod
    async def load(
        cls, info: Info, identity: int | None, related: frozenset[str] = frozenset()
    ) -> Self | None:
        if identity is None:
            return None
        row = await (cls.loader_with(info, related) if related else cls.loader(info)).load(identity)
        return cls.from_row(row) if row is not None else None

    @classmethod
    def lookup(cls, info: Info | GraphQLResolveInfo, identity: int | None, optional: bool) -> Any:
        """The node of an id: at once when its row is loaded already (brought along with a page),
        else an awaitable of it, which the executor awaits. Null for none when `optional`,
        else the id must name a node whoever sees the referring row may see (`load_related`)."""
        if identity is not None:
            found, row = loaded(cls.loader(info), identity)  # type: ignore[arg-type]  # both carry the context
            if found and (row is not None or optional):
                return cls.from_row(row) if row is not None else None
        return cls.load(info, identity) if optional else cls.load_related(info, identity)  # type: ignore[arg-type]

    @classmethod
    async def load_related(cls, info: Info, identity: int) -> Self:
        """The node a foreign key names: it exists, and whoever sees the referring row may see it."""
        node = await cls.load(info, identity)
        if node is None:
            raise LookupError(f"{cls.__name__} {identity} is referred to but not found")
        return node


RowFields = tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]
_ROW_FIELDS: dict[tuple[type[RowNode], tuple[str, ...] | None], RowFields] = {}


def _row_fields(node: type[RowNode], present: tuple[str, ...] | None) -> RowFields:
    """The names of a node type's fields set from a row, and a getter of their values as a tuple.

    `present` names the columns of a plain row, which may hold only those its query asks
    for (`RowNode.columns_for`); the node then has only the fields read from them."""
    names = tuple(
        f.name
        for f in dataclasses.fields(node)
        if f.init
        and f.name not in node.computed
        and (present is None or node.row_names.get(f.name, f.name) in present)
    )
    read = attrgetter(*(node.row_names.get(name, name) for name in names))
    # attrgetter of one name gives the value itself, not a tuple of it.
    fields = _ROW_FIELDS[node, present] = (names, read if len(names) > 1 else (lambda row: (read(row),)))
    return fields


_DATA_FIELDS: dict[type[Any], dict[str, str]] = {}


def _data_fields(node: type[RowNode]) -> dict[str, str]:
    """A node type's fields without a resolver, by API name, each with the row attribute it reads."""
    if node not in _DATA_FIELDS:
        _DATA_FIELDS[node] = {
            field.graphql_name or to_camel_case(field.python_name): node.row_names.get(
                field.python_name, field.python_name
            )
            for field in get_object_definition(node, strict=True).fields
            if field.base_resolver is None
        }
    return _DATA_FIELDS[node]


@overload
def decode_id(value: relay.GlobalID, *types: type) -> int: ...
@overload
def decode_id(value: relay.GlobalID | None, *types: type) -> int | None: ...
def decode_id(value: relay.GlobalID | None, *types: type) -> int | None:
    """The database id inside a global ID, refusing IDs of another type."""
    if value is None:
        return None
    names = [t.__name__ for t in types]
    if value.type_name not in names or not _digits(value.node_id):
        raise ClientError(f"Expected the ID of a {' or '.join(names)}.", code="INVALID_ID")
    number = id_number(value.node_id, max(getattr(t, "max_id", INTEGER_MAX) for t in types))
    if number is None:
        raise ClientError(f"No {value.type_name} has the ID {value}.", code="NOT_FOUND")
    return number


def lookup_id(value: relay.GlobalID, node: type[RowNode]) -> int | None:
    """The id to look a node up by: None (so null) for a number no row can have, as for any missing row."""
    if value.type_name == node.__name__ and _digits(value.node_id):
        return id_number(value.node_id, node.max_id)
    return decode_id(value, node)


def fields_below(info: GraphQLResolveInfo, fields: list[FieldNode]) -> Iterator[tuple[str, FieldNode]]:
    """The (name, node) of the fields selected below `fields`, through fragments, directives aside.

    A field skipped by `@skip`/`@include` counts as selected: the page then reads a little more
    than it shows, never less.
    """
    for field in fields:
        if field.selection_set is not None:
            yield from _selected(info, field.selection_set)


def _selected(info: GraphQLResolveInfo, selections: SelectionSetNode) -> Iterator[tuple[str, FieldNode]]:
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            yield selection.name.value, selection
            continue
        if isinstance(selection, FragmentSpreadNode):
            fragment: FragmentDefinitionNode | None = info.fragments.get(selection.name.value)
            if fragment is not None:
                yield from _selected(info, fragment.selection_set)
            continue
        selection_set = getattr(selection, "selection_set", None)
        if selection_set is not None:
            yield from _selected(info, selection_set)


def node_field(node: type[RowNode], *, description: str) -> Any:
    """A root field `(id: ID!)` that finds one node of this type by its global ID, or null.

    The node comes with the nodes its related fields name when the query reads them and
    its loader can read them along (`RowNode.loader_with`)."""

    async def resolve(info: Info, id: relay.GlobalID) -> Any:
        raw = info._raw_info
        keys = related_keys(node)
        related = frozenset(keys[name] for name, _ in fields_below(raw, raw.field_nodes) if name in keys)
        return await node.load(info, lookup_id(id, node), related)

    # The field's type is the node's, known only here: strawberry reads it from the annotations.
    resolve.__annotations__ = {"info": Info, "id": relay.GlobalID, "return": node | None}
    return strawberry.field(resolver=resolve, description=description)


def related_field(node: type[RowNode], key: str, *, description: str, optional: bool = False) -> Any:
    """A field for the node that the object's private foreign key `key` names.

    A required key names a node whoever sees the object may see (`load_related`); an
    `optional` one may name none, or one hidden from the viewer, and the field is then null.
    """

    # Not async: a node already loaded (brought along with a page) is answered at once.
    def resolve(root: Any, info: Info) -> Any:
        return node.lookup(info, getattr(root, key), optional)

    resolve.__annotations__ = {"info": Info, "return": node | None if optional else node}
    _RELATED[resolve] = RelatedField(node, key, optional)
    return strawberry.field(resolver=resolve, description=description)


@dataclasses.dataclass(frozen=True)
class RelatedField:
    """What a `related_field` follows: the foreign key `key` to a node of type `node`."""

    node: type[RowNode]
    key: str
    optional: bool

    def __call__(self, root: Any, info: GraphQLResolveInfo) -> Any:
        """The field's resolver as graphql-core calls it (`schema.answer_directly`)."""
        return self.node.lookup(info, getattr(root, self.key), self.optional)


_RELATED: dict[Callable[..., Any], RelatedField] = {}
_RELATED_BY_TYPE: dict[type[Any], dict[str, RelatedField]] = {}


def related_fields(node: type[Any]) -> dict[str, RelatedField]:
    """A node type's related fields by their API name."""
    if node in _RELATED_BY_TYPE:
        return _RELATED_BY_TYPE[node]
    definition = get_object_definition(node, strict=True)
    fields = _RELATED_BY_TYPE[node] = {}
    for field in definition.fields:
        resolver = field.base_resolver
        related = _RELATED.get(resolver.wrapped_func) if resolver is not None else None  # type: ignore[arg-type]
        if related is not None:
            fields[field.graphql_name or to_camel_case(field.python_name)] = related
    return fields


def related_keys(node: type[Any]) -> dict[str, str]:
    """A node type's related fields by their API name, each with the foreign key it follows.

    A page whose query reads a related field can read the rows it names with its own
    (`resolvers.pagination.Related`)."""
    return {name: related.key for name, related in related_fields(node).items()}


@strawberry.type(description="Where a page sits in its connection (Relay).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether items precede this page.")
    start_cursor: str | None = strawberry.field(description="The cursor of the first item of the page.")
    end_cursor: str | None = strawberry.field(description="The cursor of the last item of the page.")


@strawberry.type(description="An item of a connection with its cursor.")
class Edge(Generic[NodeType]):
    node: NodeType = strawberry.field(description="The item.")
    row: strawberry.Private[Any]
    ordering: strawberry.Private[Ordering]

    @strawberry.field(description="Pass it as `after` or `before` to page from this item.")
    def cursor(self) -> str:
        return self.ordering.encode(self.row)


@strawberry.type(description="A page of items (Relay cursor connection).")
class Connection(Generic[NodeType]):
    edges: list[Edge[NodeType]] = strawberry.field(description="The items of the page with their cursors.")
    nodes: list[NodeType] = strawberry.field(description="The items of the page.")
    page_info: PageInfo = strawberry.field(description="Cursors and whether more pages exist.")
    page: strawberry.Private[Page]

    @strawberry.field(description="How many items match, over all pages. Counted only when asked for.")
    async def total_count(self) -> int:
        return await self.page.count()

    @classmethod
    def node_type(cls) -> type[NodeType]:
        """The type of the items, as the class names it: `class ServiceConnection(Connection[Service])`."""
        for klass in cls.__mro__:
            for base in getattr(klass, "__orig_bases__", ()):
                if get_origin(base) is Connection:
                    return get_args(base)[0]
        raise TypeError(f"{cls.__name__} does not name its node type")

    @classmethod
    def from_page(cls, page: Page) -> Self:
        nodes = [cls.node_type().from_row(row) for row in page.rows]
        return cls(
            edges=[
                Edge(node=node, row=row, ordering=page.ordering)
                for row, node in zip(page.rows, nodes, strict=True)
            ],
            nodes=nodes,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=page.ordering.encode(page.rows[0]) if page.rows else None,
                end_cursor=page.ordering.encode(page.rows[-1]) if page.rows else None,
            ),
            page=page,
        )


def signed(resolver: F, parameters: list[inspect.Parameter], returns: Any) -> F:
    """A resolver built at run time, given the signature strawberry reads its arguments and type from."""
    # A function carries its signature in an attribute typeshed does not declare.
    resolver.__signature__ = inspect.Signature(parameters, return_annotation=returns)  # type: ignore[attr-defined]
    return resolver
