"""Loading rows by primary key in batches, and the filter every batch loader uses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol, TypeVar

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, any_, inspect, literal, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped
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


def by_id(ctx: Context, model: type[M], visible: Select[M] | None = None) -> DataLoader[int, M | None]:
    """A loader from id to the row, or None when it does not exist or is not visible.

    `visible` selects the rows the viewer may see; both cases answer None alike, so
    a caller cannot tell a hidden row from a missing one.
    """
    stmt = visible if visible is not None else select(model)

    async def load(ids: list[int]) -> list[M | None]:
        async with ctx.db.session() as session:
            rows = (await session.scalars(stmt.where(among(model.id, ids)))).all()
        found = {row.id: row for row in rows}
        return [found.get(identity) for identity in ids]

    return ctx.loaders.get(("by_id", model), load)
