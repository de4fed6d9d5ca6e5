"""Connection fields: one factory for every cursor-paginated list of the API.

Every connection field takes the same arguments (an optional `filter`, an optional
`orderBy`, then `first`/`after`/`last`/`before`) and does the same three things:
turn the inputs into the resolver's filter, ordering and page request, ask the
resolver for one page, wrap the page as a Relay connection. `connection_field`
writes that body once; a domain names only what is its own.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Awaitable, Callable
from functools import cache
from typing import Annotated, Any, ClassVar, ForwardRef, Self, get_args, get_origin

import strawberry
from strawberry.types import Info
from strawberry.types.lazy_type import StrawberryLazyReference

from resolvers.pagination import Ordering, Page, PageRequest
from schema.common import Connection, OrderDirection, RowNode, fields_below, related_keys, signed
from schema.cost import count_returned


class FilterInput:
    """A strawberry input that states which rows a connection lists."""

    def to_filter(self) -> Any:
        """The resolver's filter dataclass for these conditions."""
        raise NotImplementedError


class SortInput:
    """A strawberry input `{field, direction}` that orders a connection.

    `ordering` is the resolver's ordering function: `ordering()` is the connection's
    default order, `ordering(field, descending)` the one asked for.
    """

    ordering: ClassVar[Callable[..., Ordering]]
    field: Any
    direction: OrderDirection

    @classmethod
    def to_ordering(cls, sort: Self | None, ordering: Callable[..., Ordering] | None = None) -> Ordering:
        """The ordering asked for, by `ordering` when given instead of the input's own."""
        ordering = ordering or cls.ordering
        if sort is None:
            return ordering()
        return ordering(sort.field, sort.direction is OrderDirection.DESC)


def lazy(name: str, module: str) -> Any:
    """A reference to a type of another module, for fields whose modules import each other."""
    return Annotated[name, strawberry.lazy(module)]


@cache
def _resolve(annotation: Any) -> Any:
    """The class an annotation names, importing its module when it is a lazy reference."""
    if get_origin(annotation) is not Annotated:
        return annotation
    name, *metadata = get_args(annotation)
    for reference in metadata:
        if isinstance(reference, StrawberryLazyReference):
            type_name = name.__forward_arg__ if isinstance(name, ForwardRef) else name
            return getattr(importlib.import_module(reference.module), type_name)
    return name


def _parameter(name: str, annotation: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation | None, default=None)


def connection_field(
    connection: Any,
    load: Callable[..., Awaitable[Page[Any]]],
    *,
    description: str,
    filter: Any = None,
    sort: Any = None,
    parent: Callable[[Any], Any] | None = None,
    ordering: Callable[..., Ordering] | None = None,
) -> Any:
    """A connection field that lists a page of what `load` finds.

    `connection` is the connection type (or `lazy(...)` of one); `filter` and `sort`
    the input types of its `filter` and `orderBy` arguments, when it has them. `load`
    is called as `load(context, [parent key], [filter], [ordering], page request)`,
    where the parent key is `parent(the object the field is on)` for nested
    connections. `ordering` replaces the sort input's own ordering function where
    one input orders several kinds of rows (`ServiceOrder` orders resources and projects too).
    """

    async def resolve(root: Any, info: Info, **arguments: Any) -> Connection[Any]:
        leading: list[Any] = [parent(root)] if parent is not None else []
        if filter is not None:
            given = arguments.pop("filter")
            leading.append((given if given is not None else _resolve(filter)()).to_filter())
        if sort is not None:
            leading.append(_resolve(sort).to_ordering(arguments.pop("order_by"), ordering))
        node_type = _resolve(connection).node_type()
        page = await load(info.context, *leading, page_request(info, node_type, **arguments))
        count_returned(len(page.rows))
        return _resolve(connection).from_page(page)

    parameters = [
        inspect.Parameter("root", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info),
    ]
    if filter is not None:
        parameters.append(_parameter("filter", filter))
    if sort is not None:
        parameters.append(_parameter("order_by", sort))
    parameters += [_parameter(name, kind) for name, kind in PAGE_ARGUMENTS.items()]
    return strawberry.field(resolver=signed(resolve, parameters, connection), description=description)


PAGE_ARGUMENTS: dict[str, type] = {"first": int, "after": str, "last": int, "before": str}


def page_request(
    info: Info,
    node_type: type[Any] | None,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> PageRequest:
    """The page asked for, with what the query reads of it: the total, and rows its rows name."""
    raw = info._raw_info
    count = False
    node_fields: set[str] = set()
    for name, field in fields_below(raw, raw.field_nodes):
        if name == "totalCount":
            count = True
        elif name == "nodes":
            node_fields.update(name for name, _ in fields_below(raw, [field]))
        elif name == "edges":
            for edge_name, edge_field in fields_below(raw, [field]):
                if edge_name == "node":
                    node_fields.update(name for name, _ in fields_below(raw, [edge_field]))
    keys = related_keys(node_type) if node_type is not None else {}
    columns = (
        node_type.columns_for(node_fields)
        if isinstance(node_type, type) and issubclass(node_type, RowNode)
        else None
    )
    return PageRequest.parse(
        first=first,
        after=after,
        last=last,
        before=before,
        max_size=info.context.settings.max_page_size,
        count=count,
        related=frozenset(keys[name] for name in node_fields if name in keys),
        columns=columns,
    )
