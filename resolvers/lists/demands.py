"""Demands: posted, changed and closed by their station; which statuses allow what."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from models import Audience, Category, Demand, DemandAction, DemandEvent, DemandStatus, Station, Tier, Urgency
from resolvers.access import (
    DEMAND_POSTERS,
    may_post_for_station,
    posts_for_any_station,
    require_role,
    visible_demands,
)
from resolvers.context import Context
from resolvers.editing import (
    MAX_DESCRIPTION_LENGTH,
    Fields,
    check_choices,
    check_exists,
    present,
    save,
    strip,
    unique,
)
from resolvers.errors import Checks, ErrorCode, Refused, UserError
from resolvers.lists.demand_lifecycle import allows, move, statuses_allowing
from resolvers.loading import by_id
from resolvers.pagination import Ordering, Page, PageRequest, child_pages

MAX_BENEFICIARIES = 100_000
MAX_RESOLUTION = 1000
# A demand's station changes it while it still waits for an answer ...
DEMAND_EDITABLE = (DemandStatus.OPEN, DemandStatus.MATCHED)
# ... and withdraws it until it is met (see resolvers.lists.demand_lifecycle).
DEMAND_CLOSABLE = statuses_allowing(DemandAction.CLOSE)
# Providers answer a demand until work on it begins.
PROPOSABLE = (DemandStatus.OPEN, DemandStatus.MATCHED)


@dataclass(frozen=True)
class DemandFields(Fields):
    title: str | None
    category_id: int | None
    audiences: list[Audience] | None
    beneficiaries: int | None
    urgency: Urgency | None
    description: str | None = ""
    tier: Tier | None = None

    def normalized(self) -> DemandFields:
        return replace(
            self,
            title=strip(self.title),
            description=self.description or "",
            audiences=unique(self.audiences),
        )


async def check_demand(session: AsyncSession, f: DemandFields, checks: Checks) -> None:
    checks.text("title", f.title, max_length=200)
    checks.text("description", f.description, max_length=MAX_DESCRIPTION_LENGTH, required=False)
    check_choices(checks, "audiences", f.audiences)
    if present(checks, "beneficiaries", f.beneficiaries):
        checks.between("beneficiaries", f.beneficiaries, 1, MAX_BENEFICIARIES)
    present(checks, "urgency", f.urgency)
    if present(checks, "category_id", f.category_id):
        await check_exists(session, checks, "category_id", Category, f.category_id)


async def demand_to_change(session: AsyncSession, ctx: Context, demand_id: int) -> Demand:
    """A demand the viewer sees, locked until the transaction ends; hidden ones answer like missing ones."""
    stmt = visible_demands(ctx.viewer).where(Demand.id == demand_id).with_for_update(of=Demand)
    demand = await session.scalar(stmt.execution_options(populate_existing=True))
    if demand is None:
        raise Refused(UserError(ErrorCode.NOT_FOUND, "No such demand.", ["demand_id"]))
    return demand


def refuse_status(demand: Demand, action: str) -> Refused:
    return Refused(
        UserError(
            ErrorCode.ILLEGAL_TRANSITION,
            f"A demand that is {demand.status.name.lower().replace('_', ' ')} cannot be {action}.",
            ["demand_id"],
        )
    )


async def station_to_post_for(
    session: AsyncSession, ctx: Context, checks: Checks, station_id: int | None
) -> int | None:
    """Administrators name the station they post for; station staff post for their own."""
    viewer = ctx.viewer
    if posts_for_any_station(viewer):
        if present(checks, "station_id", station_id):
            await check_exists(session, checks, "station_id", Station, station_id)
        return station_id
    if not may_post_for_station(viewer, station_id):
        checks.fail("station_id", ErrorCode.NOT_PERMITTED, "You may only post demands of your own station.")
    return viewer.station_id


async def post_demand(ctx: Context, f: DemandFields, station_id: int | None = None) -> Demand:
    viewer = require_role(ctx, *DEMAND_POSTERS)
    f = f.normalized()
    async with ctx.transaction() as session:
        checks = Checks()
        station_id = await station_to_post_for(session, ctx, checks, station_id)
        await check_demand(session, f, checks)
        checks.done()
        demand = Demand(station_id=station_id, status=DemandStatus.OPEN)
        f.apply(demand, (field.name for field in fields(f)))
        session.add(demand)
        await save(session, demand)
        await move(session, demand, DemandAction.POST, viewer)
        return demand


async def update_demand(ctx: Context, demand_id: int, changes: dict[str, Any]) -> Demand:
    """Change the given fields of a demand while it still waits for an answer."""
    require_role(ctx, *DEMAND_POSTERS)
    async with ctx.transaction() as session:
        demand = await demand_to_change(session, ctx, demand_id)
        if demand.status not in DEMAND_EDITABLE:
            raise refuse_status(demand, "changed")
        f = DemandFields.of(demand).updated(changes).normalized()
        checks = Checks()
        await check_demand(session, f, checks)
        checks.done()
        f.apply(demand, changes)
        return await save(session, demand)


async def close_demand(ctx: Context, demand_id: int, reason: str = "") -> Demand:
    """Withdraw a demand that is no longer needed, saying why if the station wishes."""
    viewer = require_role(ctx, *DEMAND_POSTERS)
    checks = Checks()
    checks.text("reason", reason, max_length=MAX_RESOLUTION, required=False)
    checks.done()
    async with ctx.transaction() as session:
        demand = await demand_to_change(session, ctx, demand_id)
        if not allows(demand.status, DemandAction.CLOSE):
            raise refuse_status(demand, "closed")
        await move(session, demand, DemandAction.CLOSE, viewer, reason=reason.strip())
        return await save(session, demand)


async def resolve_demand(ctx: Context, demand_id: int, reason: str) -> Demand:
    """Resolve a demand met otherwise than by its orders (or before they are all evaluated), saying how."""
    viewer = require_role(ctx, *DEMAND_POSTERS)
    checks = Checks()
    checks.text("reason", reason, max_length=MAX_RESOLUTION)
    checks.done()
    async with ctx.transaction() as session:
        demand = await demand_to_change(session, ctx, demand_id)
        if not allows(demand.status, DemandAction.RESOLVE):
            raise refuse_status(demand, "resolved")
        await move(session, demand, DemandAction.RESOLVE, viewer, reason=reason.strip())
        return await save(session, demand)


DEMAND_EVENT_ORDERING = Ordering(key="demand_event.ID", column=DemandEvent.id, tiebreaker=DemandEvent.id)


def demand_event_loader(ctx: Context) -> DataLoader[int, Any]:
    """Moves of the demands the viewer sees."""
    visible_ids = visible_demands(ctx.viewer).with_only_columns(Demand.id)
    return by_id(ctx, DemandEvent, select(DemandEvent).where(DemandEvent.demand_id.in_(visible_ids)))


async def history_of_demand(ctx: Context, demand_id: int, page: PageRequest) -> Page[DemandEvent]:
    """The moves of a demand the caller has already seen, oldest first."""
    loader = child_pages(
        ctx, "demand.history", select(DemandEvent), DemandEvent.demand_id, DEMAND_EVENT_ORDERING, page
    )
    return await loader.load(demand_id)
