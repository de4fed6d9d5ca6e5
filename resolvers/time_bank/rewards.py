"""The reward catalog: what volunteers exchange points for, published by administrators
(district-wide) and station staff (their station), with a price in points."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from strawberry.dataloader import DataLoader

from models import District, Reward, Station, Town
from resolvers.access import REWARD_MANAGERS, may_manage_reward, require_role, visible_rewards
from resolvers.context import Context
from resolvers.errors import Checks, ErrorCode, Refused, UserError
from resolvers.loading import by_id
from resolvers.orders.checks import MAX_NOTE
from resolvers.pagination import Ordering, Page, PageRequest, paginate

MAX_PRICE = 100_000


def reward_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, Reward, visible_rewards(ctx.viewer))


def _check(checks: Checks, changes: dict[str, Any]) -> None:
    if "name" in changes:
        checks.text("name", changes["name"], max_length=200)
    if "description" in changes:
        checks.text("description", changes["description"] or "", max_length=MAX_NOTE, required=False)
    if "points_price" in changes:
        price = changes["points_price"]
        if price is None:
            checks.fail("points_price", ErrorCode.REQUIRED, "`points_price` is required.")
        else:
            checks.between("points_price", price, 1, MAX_PRICE)
    if "is_active" in changes and changes["is_active"] is None:
        checks.fail("is_active", ErrorCode.REQUIRED, "`is_active` cannot be null.")


@dataclass(frozen=True)
class NewReward:
    name: str
    points_price: int
    description: str = ""
    station_id: int | None = None
    district_id: int | None = None


async def create_reward(ctx: Context, new: NewReward) -> Reward:
    """Publish a reward: station staff for their station; administrators for a station, or for the
    whole district (naming the district, no station)."""
    viewer = require_role(ctx, *REWARD_MANAGERS)
    station_id = new.station_id if viewer.is_admin else viewer.station_id
    checks = Checks()
    _check(checks, {"name": new.name, "description": new.description, "points_price": new.points_price})
    if not viewer.is_admin and new.station_id not in (None, viewer.station_id):
        checks.fail("station_id", ErrorCode.NOT_PERMITTED, "You publish rewards of your own station only.")
    if viewer.is_admin and (station_id is None) == (new.district_id is None):
        checks.fail(
            "station_id", ErrorCode.INVALID, "Name a station, or a district for a district-wide reward."
        )
    checks.done()
    async with ctx.transaction() as session:
        district_id = new.district_id
        if station_id is not None:
            district_id = await session.scalar(
                select(Town.district_id)
                .join(Station, Station.town_id == Town.id)
                .where(Station.id == station_id)
            )
            if district_id is None:
                raise Refused(UserError(ErrorCode.NOT_FOUND, "No such station.", ["station_id"]))
        elif await session.get(District, district_id) is None:
            raise Refused(UserError(ErrorCode.NOT_FOUND, "No such district.", ["district_id"]))
        reward = Reward(
            district_id=district_id,
            station_id=station_id,
            name=new.name.strip(),
            description=new.description.strip(),
            points_price=new.points_price,
            created_by_id=viewer.user_id,
        )
        session.add(reward)
        await session.flush()
        await session.refresh(reward)
        return reward


async def update_reward(ctx: Context, reward_id: int, changes: dict[str, Any]) -> Reward:
    """Change a reward's name, description, price, or withdraw it (is_active false) from the catalog.
    Redemptions made keep the price they paid."""
    viewer = require_role(ctx, *REWARD_MANAGERS)
    checks = Checks()
    _check(checks, changes)
    checks.done()
    async with ctx.transaction() as session:
        reward = await session.scalar(
            visible_rewards(viewer)
            .where(Reward.id == reward_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if reward is None:
            raise Refused(UserError(ErrorCode.NOT_FOUND, "No such reward.", ["reward_id"]))
        if not may_manage_reward(viewer, reward.station_id):
            raise Refused(
                UserError(ErrorCode.NOT_PERMITTED, "Only its station or an administrator changes it.")
            )
        for name, value in changes.items():
            setattr(reward, name, value.strip() if isinstance(value, str) else value)
        reward.updated_at = func.now()
        await session.flush()
        await session.refresh(reward)
        return reward


class RewardOrderField(enum.Enum):
    POINTS_PRICE = "POINTS_PRICE"
    NAME = "NAME"
    CREATED_AT = "CREATED_AT"


REWARD_SORT = {
    RewardOrderField.POINTS_PRICE: Reward.points_price,
    RewardOrderField.NAME: Reward.name,
    RewardOrderField.CREATED_AT: Reward.created_at,
}


def reward_ordering(
    field: RewardOrderField = RewardOrderField.POINTS_PRICE, descending: bool = False
) -> Ordering:
    return Ordering(
        key=f"reward.{field.name}", column=REWARD_SORT[field], tiebreaker=Reward.id, descending=descending
    )


@dataclass(frozen=True)
class RewardFilter:
    station_id: int | None = None
    """The rewards offered at this station: its own and its district's district-wide ones."""
    is_active: bool | None = None
    max_points_price: int | None = None


def rewards_query(ctx: Context, f: RewardFilter) -> Select[Any]:
    stmt = visible_rewards(ctx.viewer)
    if f.station_id is not None:
        district = (
            select(Town.district_id)
            .join(Station, Station.town_id == Town.id)
            .where(Station.id == f.station_id)
            .scalar_subquery()
        )
        stmt = stmt.where(
            or_(
                Reward.station_id == f.station_id,
                Reward.station_id.is_(None) & (Reward.district_id == district),
            )
        )
    if f.is_active is not None:
        stmt = stmt.where(Reward.is_active == f.is_active)
    if f.max_points_price is not None:
        stmt = stmt.where(Reward.points_price <= f.max_points_price)
    return stmt


async def list_rewards(ctx: Context, f: RewardFilter, ordering: Ordering, page: PageRequest) -> Page[Any]:
    return await paginate(ctx, rewards_query(ctx, f), ordering, page)
