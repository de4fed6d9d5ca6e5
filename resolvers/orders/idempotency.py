"""Idempotency keys of orders and whistles: what an account placed with a key, and an insert that
places nothing when the key placed something already.

A station's screen retries a placement it got no answer to with the same key; the retry must
answer the first order, never place a second. The unique `(placed_by_id, idempotency_key)` keeps
that without a lock: the insert does nothing on a conflict, and a retry racing its original
waits on the key for the original's commit, then finds it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import Order


def with_key(placed_by_id: int | None, key: str) -> ColumnElement[bool]:
    return and_(Order.placed_by_id == placed_by_id, Order.idempotency_key == key)


async def placed_with_key(session: AsyncSession, placed_by_id: int | None, key: str) -> Order | None:
    """The order (or whistle) an account placed with an idempotency key."""
    return await session.scalar(select(Order).where(with_key(placed_by_id, key)))


async def insert_unless_placed(session: AsyncSession, values: dict[str, Any]) -> Order | None:
    """Insert an order (or whistle), unless its account's idempotency key placed one already: then
    None. A retry racing its original waits here, on the unique key, for the original to end."""
    inserted = (
        insert(Order)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[Order.placed_by_id, Order.idempotency_key])
        .returning(Order)
    )
    return await session.scalar(inserted)
