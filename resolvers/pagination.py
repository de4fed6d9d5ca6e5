"""Relay cursor pagination over keyset orderings, for root and nested connections.

A page is read with one statement however deep it sits: root connections take a
keyset window with LIMIT n+1; nested connections (the stations of 36 towns) take
the windows of all their parents at once with ROW_NUMBER() OVER (PARTITION BY …).
Counts are run only when a client asks for the total: in the page's own statement
(COUNT(*) OVER ()) for a first page, by a statement of their own past a cursor.
The rows a page's rows name that the client reads too (a service's provider) can
come in the same statement (`Related`), ready in their loader when asked for.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    UnaryExpression,
    func,
    select,
    tuple_,
)
from sqlalchemy.orm import InstrumentedAttribute, aliased
from strawberry.dataloader import DataLoader

from resolvers.context import Context
from resolvers.errors import ClientError
from resolvers.loading import STATEMENTS_KEPT, Related, among_bound, fetch, selects_objects

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
    count: bool = False
    """Whether the client asks for the total; a first page counts it in its own statement."""
    related: frozenset[str] = frozenset()
    """The foreign keys (`provider_id`) of the rows the client reads through the page's rows."""
    columns: frozenset[str] | None = None
    """The columns the client reads of a page of plain rows (their labels); None for all."""

    @property
    def counted_inline(self) -> bool:
        """Whether the page's statement counts the total: a window past a cursor does not see it all."""
        return self.count and self.after is None and self.before is None

    @classmethod
    def parse(
        cls,
        *,
        first: int | None,
        after: str | None,
        last: int | None,
        before: str | None,
        max_size: int,
        count: bool = False,
        related: frozenset[str] = frozenset(),
        columns: frozenset[str] | None = None,
    ) -> PageRequest:
        if first is not None and last is not None:
            raise ClientError("Pass either `first` or `last`, not both.", code="INVALID_PAGINATION")
        for name, value in (("first", first), ("last", last)):
            if value is not None and not 0 <= value <= max_size:
                raise ClientError(
                    f"`{name}` must be between 0 and {max_size}; got {value}.",
                    code="PAGE_SIZE_OUT_OF_RANGE",
                )
        size, backward = (last, True) if last is not None else (first, False)
        return cls(
            size=size if size is not None else DEFAULT_PAGE_SIZE,
            backward=backward,
            after=after,
            before=before,
            count=count,
            related=related,
            columns=columns,
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


def _asked(page: PageRequest, related: Mapping[str, Related]) -> tuple[Related, ...]:
    return tuple(relation for name, relation in related.items() if name in page.related)


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


def _known(total: int) -> Callable[[], Awaitable[int]]:
    async def count() -> int:
        return total

    return count


TOTAL = "total_count"
"""The label of the total a page's statement counts (`PageRequest.counted_inline`)."""


def _split_totals(rows: list[Any], objects: bool) -> tuple[list[Any], int | None]:
    """The page's rows (model objects without the total beside them) and the total, if any row has it."""
    total = rows[0]._mapping[TOTAL] if rows else None
    return ([row[0] for row in rows] if objects else rows), total


def _narrowed(stmt: Select[Any], ordering: Ordering, page: PageRequest) -> Select[Any]:
    """A statement of plain rows with only the columns the page's query reads, and those its cursors
    and its relations need; a statement of model objects as it is."""
    if page.columns is None or selects_objects(stmt):
        return stmt
    keep = page.columns | {"id", ordering.column.key, ordering.tiebreaker.key} | page.related
    columns = [column for column in stmt.selected_columns if column.key in keep]
    return stmt.with_only_columns(*columns, maintain_column_froms=True)


def _root_query(
    stmt: Select[Any], ordering: Ordering, page: PageRequest, relations: tuple[Related, ...]
) -> Select[Any]:
    query = _windowed(_narrowed(stmt, ordering, page), ordering, page)
    for relation in relations:
        query = relation.joined(query)
    query = query.order_by(*ordering.clauses(reverse=page.backward)).limit(page.size + 1)
    if page.counted_inline:
        query = query.add_columns(func.count().over().label(TOTAL))
    return query


def _children_query(
    stmt: Select[Any],
    parent: SQLColumnExpression[Any],
    ordering: Ordering,
    page: PageRequest,
    relations: tuple[Related, ...],
) -> Select[Any]:
    """The pages of the children of the parents bound as `parent_keys`, each row with its `parent_key`."""
    position = func.row_number().over(partition_by=parent, order_by=ordering.clauses(reverse=page.backward))
    extra = [parent.label("parent_key"), position.label("position")]
    if page.counted_inline:
        extra.append(func.count().over(partition_by=parent).label(TOTAL))
    windowed = _windowed(_narrowed(stmt, ordering, page), ordering, page)
    for relation in relations:
        windowed = relation.joined(windowed)
    windows = windowed.where(among_bound(parent, "parent_keys")).add_columns(*extra).subquery()
    if selects_objects(stmt):
        child = aliased(stmt.column_descriptions[0]["entity"], windows)
        query = select(child, windows.c.parent_key, *([windows.c[TOTAL]] if page.counted_inline else []))
    else:
        query = select(windows)
    return query.where(windows.c.position <= page.size + 1).order_by(windows.c.parent_key, windows.c.position)


def _counts_query(stmt: Select[Any], parent: SQLColumnExpression[Any]) -> Select[Any]:
    return (
        stmt.with_only_columns(parent, func.count(), maintain_column_froms=True)
        .where(among_bound(parent, "parent_keys"))
        .group_by(parent)
        .order_by(None)
    )


# The statements of pages are kept by their shape (the caller's statement, which the
# callers keep per filter and viewer scope, the ordering and the page asked for) and
# reused; a page past a cursor is built each time, its cursor's values being in it.
_kept_root_query = lru_cache(maxsize=STATEMENTS_KEPT)(_root_query)
_kept_children_query = lru_cache(maxsize=STATEMENTS_KEPT)(_children_query)
_kept_counts_query = lru_cache(maxsize=STATEMENTS_KEPT)(_counts_query)


async def paginate(
    ctx: Context,
    stmt: Select[T],
    ordering: Ordering,
    page: PageRequest,
    related: Mapping[str, Related] | None = None,
) -> Page[T]:
    """One page of a root connection over the rows `stmt` selects."""
    relations = _asked(page, related or {})
    objects = selects_objects(stmt)
    build = _root_query if page.after or page.before else _kept_root_query
    query = build(stmt, ordering, page, relations)
    async with ctx.db.session() as session:
        rows = await fetch(session, query, objects and not page.counted_inline)
    for relation in relations:
        relation.prime(ctx, rows)

    async def count() -> int:
        async with ctx.db.session() as session:
            counted = await session.execute(select(func.count()).select_from(stmt.order_by(None).subquery()))
            return counted.scalar_one()

    if page.counted_inline:
        rows, total = _split_totals(rows, objects)
        return _page(rows, ordering, page, _known(total or 0), filtered=stmt)
    return _page(rows, ordering, page, count, filtered=stmt)


def child_pages(
    ctx: Context,
    key: Hashable,
    stmt: Select[T],
    parent: SQLColumnExpression[K],
    ordering: Ordering,
    page: PageRequest,
    related: Mapping[str, Related] | None = None,
) -> DataLoader[K, Page[T]]:
    """A loader from a parent key to the page of that parent's children.

    `parent` is the column (of the child or of a joined table) that names the parent.
    `key` names the connection and every argument that shaped `stmt`, so the pages of
    all parents asked for with the same arguments come from one statement.
    """
    relations = _asked(page, related or {})
    objects = selects_objects(stmt)

    async def load_pages(parent_keys: list[K]) -> list[Page[T]]:
        build = _children_query if page.after or page.before else _kept_children_query
        query = build(stmt, parent, ordering, page, relations)
        async with ctx.db.session() as session:
            rows: list[Any] = list((await session.execute(query, {"parent_keys": parent_keys})).all())
        for relation in relations:
            relation.prime(ctx, rows)
        by_parent: dict[K, list[Any]] = defaultdict(list)
        totals: dict[K, int] = {}
        for row in rows:
            parent_key = row.parent_key
            by_parent[parent_key].append(row[0] if objects else row)
            if page.counted_inline:
                totals[parent_key] = row._mapping[TOTAL]
        if page.counted_inline:
            return [
                _page(by_parent[parent_key], ordering, page, _known(totals.get(parent_key, 0)))
                for parent_key in parent_keys
            ]
        counts = child_counts(ctx, key, stmt, parent)
        return [
            _page(by_parent[parent_key], ordering, page, _count_of(counts, parent_key))
            for parent_key in parent_keys
        ]

    return ctx.loaders.get(("pages", key, page, ordering.key, ordering.descending), load_pages)


def child_counts(
    ctx: Context, key: Hashable, stmt: Select[T], parent: SQLColumnExpression[K]
) -> DataLoader[K, int]:
    query = _kept_counts_query(stmt, parent)

    async def load_counts(parent_keys: list[K]) -> list[int]:
        async with ctx.db.session() as session:
            counts = dict((await session.execute(query, {"parent_keys": parent_keys})).all())
        return [counts.get(parent_key, 0) for parent_key in parent_keys]

    return ctx.loaders.get(("counts", key), load_counts)


def _count_of(loader: DataLoader[K, int], parent_key: K) -> Callable[[], Awaitable[int]]:
    async def count() -> int:
        return await loader.load(parent_key)

    return count
