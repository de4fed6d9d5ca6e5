"""Facet counts of a top-level catalog connection, for screen headers: by tier and by major category."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import aliased

from models import Category, Tier
from resolvers.context import Context


async def counts_by_tier(ctx: Context, filtered: Select[Any]) -> dict[Tier, int]:
    rows = filtered.order_by(None).subquery()
    stmt = select(rows.c.tier, func.count()).group_by(rows.c.tier)
    async with ctx.db.session() as session:
        counts: dict[Tier, int] = {tier: count for tier, count in (await session.execute(stmt)).all()}
    return {tier: counts.get(tier, 0) for tier in Tier}


async def counts_by_major_category(ctx: Context, filtered: Select[Any]) -> list[tuple[int, int]]:
    """(major category id, count) for every top-level category, in menu order."""
    rows = filtered.order_by(None).subquery()
    category = aliased(Category)
    major = func.coalesce(category.parent_id, category.id)
    counted = (
        select(major.label("major_id"), func.count().label("count"))
        .select_from(rows)
        .join(category, category.id == rows.c.category_id)
        .group_by(major)
        .subquery()
    )
    stmt = (
        select(Category.id, func.coalesce(counted.c.count, literal(0)))
        .outerjoin(counted, counted.c.major_id == Category.id)
        .where(Category.parent_id.is_(None))
        .order_by(Category.position, Category.id)
    )
    async with ctx.db.session() as session:
        return [(major_id, count) for major_id, count in (await session.execute(stmt)).all()]
