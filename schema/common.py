"""Relay building blocks: nodes, global IDs, connections, ordering direction."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Generic, Self, TypeVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers import errors as resolver_errors
from resolvers.errors import ClientError, ErrorCode
from resolvers.pagination import Ordering, Page, PageRequest

NodeType = TypeVar("NodeType")
T = TypeVar("T")


@strawberry.enum(description="The direction of an ordering.")
class OrderDirection(enum.Enum):
    ASC = strawberry.enum_value("ASC", description="Smallest (or earliest) first.")
    DESC = strawberry.enum_value("DESC", description="Largest (or latest) first.")


def describe_enum(enum_class: type[enum.Enum], description: str, values: dict[str, str]):
    """Expose a model enum in GraphQL with descriptions on the type and every value."""
    missing = {member.name for member in enum_class} - values.keys()
    if missing:
        raise ValueError(f"{enum_class.__name__} lacks descriptions for {sorted(missing)}")
    wrapped = strawberry.enum(enum_class, description=description)
    for value in wrapped.__strawberry_definition__.values:
        value.description = values[value.name]
    return wrapped


class RowNode(relay.Node):
    """A node built from a database row and loaded in batches by a data loader."""

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(**{f.name: getattr(row, f.name) for f in dataclasses.fields(cls) if f.init})

    @classmethod
    def loader(cls, info: Info):
        raise NotImplementedError

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        node_ids = list(node_ids)
        ids = [int(node_id) for node_id in node_ids if node_id.isdigit()]
        rows = dict(zip(ids, await cls.loader(info).load_many(ids), strict=True))
        found = [rows.get(int(node_id)) if node_id.isdigit() else None for node_id in node_ids]
        return [cls.from_row(row) if row is not None else None for row in found]

    @classmethod
    async def load(cls, info: Info, identity: int | None) -> Self | None:
        if identity is None:
            return None
        row = await cls.loader(info).load(identity)
        return cls.from_row(row) if row is not None else None


def decode_id(value: relay.GlobalID | None, *types: type) -> int | None:
    """The database id inside a global ID, refusing IDs of another type."""
    if value is None:
        return None
    names = [t.__name__ for t in types]
    if value.type_name not in names or not value.node_id.isdigit():
        raise ClientError(f"Expected the ID of a {' or '.join(names)}.", code="INVALID_ID")
    return int(value.node_id)


def page_request(
    info: Info, first: int | None, after: str | None, last: int | None, before: str | None
) -> PageRequest:
    return PageRequest.parse(
        first=first, after=after, last=last, before=before, max_size=info.context.settings.max_page_size
    )


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
    def from_page(cls, page: Page, convert: Callable[[Any], NodeType]) -> Self:
        nodes = [convert(row) for row in page.rows]
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


ErrorCodeEnum = describe_enum(
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
        "TOO_MANY_ATTEMPTS": "Too many failed sign-ins in a row: the account refuses them for 15 minutes.",
        "NOT_ORDERABLE": "Your station cannot order the service or project: its provider serves another district.",
        "CAPACITY_EXCEEDED": "The service or project is fully booked for that period.",
        "HEARING_REQUIRED": "The project needs an approving hearing (听证会) before it is ordered.",
        "ILLEGAL_TRANSITION": "The object's current state (an order's, a demand's, a catalog entry's "
        "publication status) does not allow that action.",
        "CONFLICT": "Someone else changed the object at the same moment; reload and retry.",
    },
)


@strawberry.type(description="A problem with a mutation's input, for the user to fix. Nothing was written.")
class UserError:
    code: ErrorCodeEnum = strawberry.field(description="The kind of problem.")  # type: ignore[valid-type]
    field: list[str] | None = strawberry.field(
        description="The path of the input field at fault, e.g. ['input', 'quantity']; null when none is."
    )
    message: str = strawberry.field(description="An explanation for people.")

    @classmethod
    def from_error(cls, error: resolver_errors.UserError) -> UserError:
        field = ["input", *error.field] if error.field else None
        return cls(code=error.code, field=field, message=error.message)


async def attempt(operation: Awaitable[T]) -> tuple[T | None, list[resolver_errors.UserError]]:
    """Run a mutation's resolver: its result, or the user errors that refused (and rolled back) it."""
    try:
        return await operation, []
    except resolver_errors.Refused as refused:
        return None, refused.errors
