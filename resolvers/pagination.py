"""Relay cursor pagination over keyset orderings, for root and nested connections.

A page is read with one statement however deep it sits: root connections take a
keyset window with LIMIT n+1; nested connections (the stations of 36 towns) take
the windows of all their parents at once with ROW_NUMBER() OVER (PARTITION BY …).
Counts are separate statements, run only when a client asks for the total.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, UnaryExpression, func, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, aliased
from strawberry.dataloader import DataLoader

from resolvers.context import Context
from resolvers.errors import ClientError
from resolvers.loading import among

T = TypeVar("T")
K = TypeVar("K")

DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True)
class PageRequest:
    size: int
    backward: bool
    """Whether the page counts back from `before` (a `last` page) rather than on from `after`."""
    after: str | None
    before: str | None

    @classmethod
    def parse(
        cls,
        *,
        first: int | None,
        after: str | None,
        last: int | None,
        before: str | None,
        max_size: int,
    ) -> PageRequest:
        if first is not None and last is not None:
            raise ClientError("Pass either `first` or `last`, not both.", code="INVALID_PAGINATION")
        for name, value in (("first", first), ("last", last)):
            if value is not None and not 0 <= value <= max_size:
                raise ClientError(
                    f"`{name}` must be between 0 and {max_size}; got {value}.",
                    code="PAGE_SIZE_OUT_OF_RANGE",
                )
        if last is not None:
            return cls(size=last, backward=True, after=after, before=before)
        return cls(
            size=first if first is not None else DEFAULT_PAGE_SIZE, backward=False, after=after, before=before
        )


@dataclass(frozen=True)
class Ordering:
    """A sort on one column, made total by the primary key, e.g. (name, id)."""

    key: str
    """Names the ordering inside cursors, so a cursor of one ordering is refused by another."""
    column: InstrumentedAttribute[Any]
    tiebreaker: InstrumentedAttribute[int]
    descending: bool = False

    def clauses(self, reverse: bool = False) -> list[UnaryExpression[Any]]:
        descending = self.descending != reverse
        return [c.desc() if descending else c.asc() for c in (self.column, self.tiebreaker)]

    def beyond(self, cursor: str, *, before: bool) -> ColumnElement[bool]:
        """The keyset condition for rows after (or before) the cursor's row."""
        value, identity = self.decode(cursor)
        keys = tuple_(self.column, self.tiebreaker)
        bound = tuple_(value, identity)
        if before != self.descending:
            return keys < bound
        return keys > bound

    def encode(self, row: object) -> str:
        value = getattr(row, self.column.key)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        raw = json.dumps([self.key, value, getattr(row, self.tiebreaker.key)], ensure_ascii=False)
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> tuple[object, int]:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            key, value, identity = json.loads(base64.urlsafe_b64decode(padded.encode()))
            if key != self.key or not isinstance(identity, int):
                raise ValueError
            return self._coerce(value), identity
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise ClientError(
                "Invalid cursor: use a cursor returned by this connection with the same ordering.",
                code="INVALID_CURSOR",
            ) from None

    def _coerce(self, value: Any) -> object:
        """The column's value from its JSON form in a cursor, which a client may have altered."""
        python_type = self.column.type.python_type
        if python_type in (datetime, date):
            return python_type.fromisoformat(value)
        if python_type is Decimal:
            return Decimal(value)
        if not isinstance(value, python_type):
            raise ValueError
        return value


@dataclass
class Page(Generic[T]):
    rows: list[T]
    ordering: Ordering
    """Encodes the cursor of a row, only for the rows a client asks cursors of."""
    has_next_page: bool
    has_previous_page: bool
    count: Callable[[], Awaitable[int]]
    filtered: Select[T] | None = field(default=None)
    """The filtered statement of a root page, for facet counts over all its rows."""


def _windowed(stmt: Select[T], ordering: Ordering, page: PageRequest) -> Select[T]:
    if page.after:
        stmt = stmt.where(ordering.beyond(page.after, before=False))
    if page.before:
        stmt = stmt.where(ordering.beyond(page.before, before=True))
    return stmt


def _page(
    rows: list[T],
    ordering: Ordering,
    page: PageRequest,
    count: Callable[[], Awaitable[int]],
    filtered: Select[T] | None = None,
) -> Page[T]:
    extra = len(rows) > page.size
    rows = rows[: page.size]
    if page.backward:
        rows.reverse()
        has_next, has_previous = page.before is not None, extra
    else:
        has_next, has_previous = extra, page.after is not None
    return Page(
        rows=rows,
        ordering=ordering,
        has_next_page=has_next,
        has_previous_page=has_previous,
        count=count,
        filtered=filtered,
    )


async def paginate(ctx: Context, stmt: Select[T], ordering: Ordering, page: PageRequest) -> Page[T]:
    """One page of a root connection over the rows `stmt` selects."""
    query = (
        _windowed(stmt, ordering, page)
        .order_by(*ordering.clauses(reverse=page.backward))
        .limit(page.size + 1)
    )
    async with ctx.db.session() as session:
        rows = list((await session.scalars(query)).all())

    async def count() -> int:
        async with ctx.db.session() as session:
            counted = await session.execute(select(func.count()).select_from(stmt.order_by(None).subquery()))
            return counted.scalar_one()

    return _page(rows, ordering, page, count, filtered=stmt)


def child_pages(
    ctx: Context,
    key: Hashable,
    stmt: Select[T],
    parent: SQLColumnExpression[K],
    ordering: Ordering,
    page: PageRequest,
) -> DataLoader[K, Page[T]]:
    """A loader from a parent key to the page of that parent's children.

    `parent` is the column (of the child or of a joined table) that names the parent.
    `key` names the connection and every argument that shaped `stmt`, so the pages of
    all parents asked for with the same arguments come from one statement.
    """

    async def load_pages(parent_keys: list[K]) -> list[Page[T]]:
        position = func.row_number().over(
            partition_by=parent, order_by=ordering.clauses(reverse=page.backward)
        )
        windows = (
            _windowed(stmt, ordering, page)
            .where(among(parent, parent_keys))
            .add_columns(parent.label("parent_key"), position.label("position"))
            .subquery()
        )
        child = aliased(stmt.column_descriptions[0]["entity"], windows)
        query = (
            select(child, windows.c.parent_key)
            .where(windows.c.position <= page.size + 1)
            .order_by(windows.c.parent_key, windows.c.position)
        )
        async with ctx.db.session() as session:
            rows = (await session.execute(query)).all()
        by_parent: dict[K, list[T]] = defaultdict(list)
        for row, parent_key in rows:
            by_parent[parent_key].append(row)
        counts = child_counts(ctx, key, stmt, parent)
        return [
            _page(by_parent[parent_key], ordering, page, _count_of(counts, parent_key))
            for parent_key in parent_keys
        ]

    return ctx.loaders.get(("pages", key, page, ordering.key, ordering.descending), load_pages)


def child_counts(
    ctx: Context, key: Hashable, stmt: Select[T], parent: SQLColumnExpression[K]
) -> DataLoader[K, int]:
    async def load_counts(parent_keys: list[K]) -> list[int]:
        query = (
            stmt.with_only_columns(parent, func.count(), maintain_column_froms=True)
            .where(among(parent, parent_keys))
            .group_by(parent)
            .order_by(None)
        )
        async with ctx.db.session() as session:
            counts = dict((await session.execute(query)).all())
        return [counts.get(parent_key, 0) for parent_key in parent_keys]

    return ctx.loaders.get(("counts", key), load_counts)


def _count_of(loader: DataLoader[K, int], parent_key: K) -> Callable[[], Awaitable[int]]:
    async def count() -> int:
        return await loader.load(parent_key)

    return count
