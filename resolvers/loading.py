"""Loading rows by primary key in batches, the filter every batch loader uses, and plain rows.

Reads that need no ORM identity (nothing is changed or lazily loaded through them) select
plain rows: `rows_of(Model)` selects the model's loaded columns as a Core statement, so a
result is a list of `Row` tuples read by attribute like the model's objects, without the
ORM's per-object bookkeeping (an identity map entry and instance state per row, the largest
cost of a large page). JSON columns come as their text, decoded only by a field that shows
them (`decoded_json`), not for every row a page or a batch reads.

Statements are built once and reused where their shape repeats (a batch by id binds its
ids as a parameter, `among_bound`): SQLAlchemy keeps a statement's cache key on the
statement, so a reused one finds its compiled form at once, while a statement built
again for every request is traversed again for its key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, lru_cache
from typing import Any, ClassVar, Protocol, TypeVar

import orjson
from sqlalchemy import (
    JSON,
    ColumnElement,
    Label,
    Select,
    SQLColumnExpression,
    Text,
    any_,
    bindparam,
    cast,
    inspect,
    literal,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, Mapped
from strawberry.dataloader import DataLoader

from resolvers.context import Context


class Identified(Protocol):
    # A class-level descriptor, as mapped columns are: a column on the class, an int on a row.
    id: ClassVar[Mapped[int]]


M = TypeVar("M", bound=Identified)
K = TypeVar("K")


def among(column: SQLColumnExpression[K], keys: Sequence[K]) -> ColumnElement[bool]:
    """`column = ANY($1)`, the keys bound as one array of the column's type.

    `column.in_(keys)` spells one parameter per key, so each batch size is another statement
    text, which asyncpg prepares again (a round trip per new size and connection) and which
    crowds its statement cache; this is one text whatever the number of keys, and PostgreSQL
    plans it on the same btree indexes.
    """
    # inspect() gives the column itself, or the mapped attribute, either one carrying its type.
    return column == any_(literal(list(keys), ARRAY(inspect(column).type)))


def among_bound(column: SQLColumnExpression[K], name: str) -> ColumnElement[bool]:
    """`column = ANY($1)` as `among` spells it, the array bound at execution as the parameter `name`."""
    return column == any_(bindparam(name, type_=ARRAY(inspect(column).type)))


# An execution option marks statements of plain rows (it follows a statement through `where`,
# `order_by` and the rest), so telling them from statements of model objects costs a lookup.
PLAIN_ROWS = "doorstep_plain_rows"
# How many built statements each cache keeps: a shape per filter and viewer scope in use.
STATEMENTS_KEPT = 1024


@cache
def row_columns(model: type[Any]) -> tuple[ColumnElement[Any], ...]:
    """The table columns a model loads (deferred ones, the search vectors, left out); JSON as text."""
    columns: list[ColumnElement[Any]] = []
    for attribute in inspect(model).column_attrs:
        if attribute.deferred:
            continue
        column = attribute.columns[0]
        # asyncpg decodes json on the wire for every row; as text it is decoded where it is shown.
        columns.append(cast(column, Text).label(attribute.key) if isinstance(column.type, JSON) else column)
    return tuple(columns)


def as_rows(stmt: Select[Any]) -> Select[Any]:
    """The rows a statement of one model selects, as plain rows of its loaded columns."""
    model = stmt.column_descriptions[0]["entity"]
    plain = stmt.with_only_columns(*row_columns(model), maintain_column_froms=True)
    return plain.execution_options(**{PLAIN_ROWS: True})


def rows_of(model: type[Any]) -> Select[Any]:
    """Every row of a model, as plain rows (`as_rows`)."""
    return as_rows(select(model))


def decoded_json(value: Any) -> Any:
    """A JSON column's value: as a plain row carries it (text), or as a model object does."""
    return orjson.loads(value) if isinstance(value, str) else value


def selects_objects(stmt: Select[Any]) -> bool:
    """Whether a statement of one model selects model objects, rather than plain rows (`as_rows`)."""
    return not stmt.get_execution_options().get(PLAIN_ROWS, False)


async def fetch(
    session: AsyncSession, stmt: Select[Any], objects: bool, parameters: dict[str, Any] | None = None
) -> list[Any]:
    """The model objects (`objects`) or the rows a statement selects."""
    if objects:
        return list((await session.scalars(stmt, parameters)).all())
    return list((await session.execute(stmt, parameters)).all())


@cache
def _every(model: type[Any]) -> Select[Any]:
    return select(model)


@lru_cache(maxsize=STATEMENTS_KEPT)
def _by_ids(stmt: Select[Any], model: type[Identified], relations: tuple[Related, ...]) -> Select[Any]:
    stmt = stmt.where(among_bound(model.id, "ids"))
    for relation in relations:
        stmt = relation.joined(stmt)
    return stmt


class Related:
    """Rows that a page's rows name by a foreign key, read in the page's statement (one join).

    A client reading a page of services and each one's provider gets the providers with the
    page, put in the provider loader, where the provider field finds them: no second round
    trip. Only for rows whoever sees the page may see (providers, categories): the loader they
    fill has no visibility rule of its own. Pages of plain rows only (`resolvers.loading.as_rows`).
    `above` names the related row's own key to the row above it in a tree of its model (a
    category's parent), read along (one more join) and put in the same loader.
    """

    def __init__(
        self,
        key: InstrumentedAttribute[Any],
        model: type[Any],
        loader: Callable[[Context], DataLoader[int, Any]],
        above: str | None = None,
    ) -> None:
        self.key = key
        """The foreign key of the page's rows, e.g. `Service.provider_id`."""
        self.loader = loader
        self.names = [attribute.key for attribute in inspect(model).column_attrs if not attribute.deferred]
        self.target = model.__table__.alias(f"related_{key.key}")
        self.columns = self._labelled(self.target, f"{key.key}.")
        self.above = above
        self.upper = model.__table__.alias(f"related_{key.key}_above")
        self.upper_columns = self._labelled(self.upper, f"{key.key}^.") if above else []

    def _labelled(self, table: Any, prefix: str) -> list[Label[Any]]:
        labelled = []
        for name in self.names:
            column = table.c[name]
            labelled.append(
                (cast(column, Text) if isinstance(column.type, JSON) else column).label(prefix + name)
            )
        return labelled

    def joined(self, stmt: Select[Any]) -> Select[Any]:
        """The statement with the columns of the related row, labelled `<key>.<column>`."""
        stmt = stmt.outerjoin(self.target, self.target.c.id == self.key).add_columns(*self.columns)
        if self.above:
            above = self.upper.c.id == self.target.c[self.above]
            stmt = stmt.outerjoin(self.upper, above).add_columns(*self.upper_columns)
        return stmt

    def prime(self, ctx: Context, rows: list[Any]) -> None:
        """Puts the related rows read with a page in their loader."""
        if not rows:
            return
        fields = rows[0]._fields
        loader = self.loader(ctx)
        self._prime(loader, rows, fields.index(self.key.key), fields.index(self.columns[0].name))
        if self.above:
            identity = fields.index(f"{self.key.key}.{self.above}")
            self._prime(loader, rows, identity, fields.index(self.upper_columns[0].name))

    def _prime(self, loader: DataLoader[int, Any], rows: list[Any], identity: int, first: int) -> None:
        last = first + len(self.names)
        for row in rows:
            if row[identity] is not None:
                loader.prime(row[identity], Record(zip(self.names, row[first:last], strict=True)))


class Record:
    """A related row read with a page, its columns as attributes (as a model object has them)."""

    def __init__(self, values: Iterable[tuple[str, Any]]) -> None:
        self.__dict__.update(values)


def loaded(loader: DataLoader[K, Any], key: K) -> tuple[bool, Any]:
    """(True, the value) when the loader holds the key's value already, else (False, None).

    A field whose value is there (a row a page brought along, `resolvers.pagination.Related`)
    can then answer at once rather than await: no task for the executor to schedule.
    """
    future = loader.cache_map.get(key)
    if future is None or not future.done() or future.cancelled() or future.exception() is not None:
        return False, None
    return True, future.result()


def by_id(
    ctx: Context,
    model: type[M],
    visible: Select[Any] | None = None,
    related: Mapping[str, Related] | None = None,
) -> DataLoader[int, Any]:
    """A loader from id to the row, or None when it does not exist or is not visible.

    `visible` selects the rows the viewer may see (model objects, or plain rows: `as_rows`);
    both cases answer None alike, so a caller cannot tell a hidden row from a missing one.
    `related` are rows the loaded rows name to read along (plain rows only), as a page does.
    """
    key = ("by_id", model, *sorted(related or ()))
    made = ctx.loaders.find(key)
    if made is not None:
        return made
    visible = visible if visible is not None else _every(model)
    relations = tuple((related or {}).values())
    stmt, objects = _by_ids(visible, model, relations), selects_objects(visible)

    async def load(ids: list[int]) -> list[Any]:
        async with ctx.db.session() as session:
            rows = await fetch(session, stmt, objects, {"ids": ids})
        for relation in relations:
            relation.prime(ctx, rows)
        found = {row.id: row for row in rows}
        return [found.get(identity) for identity in ids]

    return ctx.loaders.get(key, load)
