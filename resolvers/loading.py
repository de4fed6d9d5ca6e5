"""Loading rows by primary key in batches."""

from __future__ import annotations

from typing import ClassVar, Protocol, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Mapped
from strawberry.dataloader import DataLoader

from resolvers.context import Context


class Identified(Protocol):
    # A class-level descriptor, as mapped columns are: a column on the class, an int on a row.
    id: ClassVar[Mapped[int]]


M = TypeVar("M", bound=Identified)


def by_id(ctx: Context, model: type[M], visible: Select[M] | None = None) -> DataLoader[int, M | None]:
    """A loader from id to the row, or None when it does not exist or is not visible.

    `visible` selects the rows the viewer may see; both cases answer None alike, so
    a caller cannot tell a hidden row from a missing one.
    """
    stmt = visible if visible is not None else select(model)

    async def load(ids: list[int]) -> list[M | None]:
        async with ctx.db.session() as session:
            rows = (await session.scalars(stmt.where(model.id.in_(ids)))).all()
        found = {row.id: row for row in rows}
        return [found.get(identity) for identity in ids]

    return ctx.loaders.get(("by_id", model), load)
