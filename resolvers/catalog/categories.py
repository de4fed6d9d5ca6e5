"""Editing the category taxonomy (administrators): a tree that must never loop."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Self

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Category
from resolvers.access import MANAGERS, require_role
from resolvers.catalog.queries import category_and_descendants
from resolvers.context import Context
from resolvers.editing import (
    Fields,
    add_checked,
    change_checked,
    check_code_free,
    check_exists,
    check_named,
    present,
    row_to_change,
    strip,
)
from resolvers.errors import Checks, ErrorCode

MAX_CATEGORY_POSITION = 10_000
CATEGORY_CODE = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")
# An advisory lock key ("cats") held while the category tree changes shape.
CATEGORY_TREE_LOCK = 0x63617473


@dataclass(frozen=True)
class CategoryFields(Fields):
    code: str | None
    name: str | None
    parent_id: int | None = None
    description: str | None = ""
    position: int | None = 0

    def normalized(self) -> Self:
        return replace(self, code=strip(self.code), name=strip(self.name), description=self.description or "")


async def check_category(
    session: AsyncSession, f: CategoryFields, own_id: int | None, checks: Checks
) -> None:
    check_named(checks, f, CATEGORY_CODE, 64, 100)
    if present(checks, "position", f.position):
        checks.between("position", f.position, 0, MAX_CATEGORY_POSITION)
    await check_exists(session, checks, "parent_id", Category, f.parent_id)
    if own_id is not None and f.parent_id is not None:
        below = set((await session.scalars(category_and_descendants(own_id))).all())
        if f.parent_id in below:
            checks.fail(
                "parent_id", ErrorCode.INVALID, "A category cannot sit below itself or its own children."
            )
    await check_code_free(session, checks, Category, f.code, own_id)


async def create_category(ctx: Context, f: CategoryFields) -> Category:
    require_role(ctx, *MANAGERS)
    f = f.normalized()
    async with ctx.transaction() as session:
        return await add_checked(session, Checks(), Category(), f, check_category)


async def update_category(ctx: Context, category_id: int, changes: dict[str, Any]) -> Category:
    require_role(ctx, *MANAGERS)
    async with ctx.transaction() as session:
        # Moving categories is serialised: two concurrent moves could each pass the cycle check.
        await session.execute(select(func.pg_advisory_xact_lock(CATEGORY_TREE_LOCK)))
        category = await row_to_change(session, Category, category_id, "category_id")
        return await change_checked(session, category, CategoryFields, check_category, changes)
