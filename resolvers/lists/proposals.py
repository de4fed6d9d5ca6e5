"""Proposals: a provider offers a published project or resource for a demand; reading the offers."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from models import (
    Demand,
    DemandAction,
    DemandProposal,
    Project,
    Provider,
    PublicationStatus,
    Resource,
    Station,
    Town,
)
from resolvers.access import PROPOSERS, acts_for_provider, require_role, visible_entries, visible_proposals
from resolvers.context import Context, Viewer
from resolvers.editing import save
from resolvers.errors import Checks, ErrorCode, Refused, UserError
from resolvers.lists.demand_lifecycle import allows, move
from resolvers.lists.demands import PROPOSABLE, demand_to_change, refuse_status
from resolvers.loading import by_id
from resolvers.pagination import Ordering, Page, PageRequest, child_pages

MAX_NOTE_LENGTH = 2000
ALREADY_PROPOSED = "This {noun} is already proposed for the demand."


class ProposalOrderField(enum.Enum):
    CREATED_AT = "CREATED_AT"


def proposal_ordering(
    field: ProposalOrderField = ProposalOrderField.CREATED_AT, descending: bool = False
) -> Ordering:
    return Ordering(
        key=f"proposal.{field.name}",
        column=DemandProposal.created_at,
        tiebreaker=DemandProposal.id,
        descending=descending,
    )


def proposal_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, DemandProposal, visible_proposals(ctx.viewer))


async def proposals_of_demand(
    ctx: Context, demand_id: int, ordering: Ordering, page: PageRequest
) -> Page[Any]:
    """The parent demand was loaded under the viewer's visibility, and its proposals go with it."""
    loader = child_pages(
        ctx, "demand.proposals", select(DemandProposal), DemandProposal.demand_id, ordering, page
    )
    return await loader.load(demand_id)


def check_offer(project_id: int | None, resource_id: int | None, note: str) -> None:
    """An offer names exactly one project or resource."""
    checks = Checks()
    if project_id is None and resource_id is None:
        checks.fail("project_id", ErrorCode.REQUIRED, "Propose a project or a resource.")
    elif project_id is not None and resource_id is not None:
        checks.fail("resource_id", ErrorCode.INVALID, "Propose a project or a resource, not both at once.")
    checks.text("note", note, max_length=MAX_NOTE_LENGTH, required=False)
    checks.done()


async def item_to_offer(
    session: AsyncSession, viewer: Viewer, demand: Demand, model: type[Project] | type[Resource], item_id: int
) -> Project | Resource:
    """The published project or resource of the viewer's provider, serving the demand's district."""
    noun = model.__name__.lower()
    field = f"{noun}_id"

    def refused(code: ErrorCode, message: str) -> Refused:
        return Refused(UserError(code, message, [field]))

    item = await session.scalar(visible_entries(viewer, model).where(model.id == item_id))
    if item is None:
        raise refused(ErrorCode.NOT_FOUND, f"No such {noun}.")
    if not acts_for_provider(viewer, item.provider_id):
        raise refused(ErrorCode.NOT_PERMITTED, f"You may only propose your own provider's {noun}s.")
    if item.status is not PublicationStatus.PUBLISHED:
        raise refused(ErrorCode.INVALID, f"Only a published {noun} can be proposed.")
    district_of_demand = (
        select(Town.district_id)
        .join(Station, Station.town_id == Town.id)
        .where(Station.id == demand.station_id)
        .scalar_subquery()
    )
    serves_district = select(Provider.id).where(
        Provider.id == item.provider_id, Provider.district_id == district_of_demand
    )
    if await session.scalar(serves_district) is None:
        raise refused(ErrorCode.INVALID, f"The {noun}'s provider serves another district.")
    item_column = DemandProposal.project_id if model is Project else DemandProposal.resource_id
    already = select(DemandProposal.id).where(DemandProposal.demand_id == demand.id, item_column == item.id)
    if await session.scalar(already) is not None:
        raise refused(ErrorCode.TAKEN, ALREADY_PROPOSED.format(noun=noun))
    return item


async def propose_for_demand(
    ctx: Context,
    demand_id: int,
    project_id: int | None = None,
    resource_id: int | None = None,
    note: str | None = "",
) -> tuple[DemandProposal, Demand]:
    """Offer a published project or resource for a demand; an open demand becomes matched."""
    viewer = require_role(ctx, *PROPOSERS)
    note = (note or "").strip()
    check_offer(project_id, resource_id, note)
    model: type[Project] | type[Resource] = Project if project_id is not None else Resource
    item_id = project_id if project_id is not None else resource_id
    assert item_id is not None  # check_offer refused an offer of neither
    async with ctx.transaction() as session:
        # Locking the demand orders concurrent proposals and closing: none lands on a closed demand.
        demand = await demand_to_change(session, ctx, demand_id)
        if demand.status not in PROPOSABLE:
            raise refuse_status(demand, "answered")
        item = await item_to_offer(session, viewer, demand, model, item_id)
        proposal = DemandProposal(
            demand_id=demand.id,
            provider_id=item.provider_id,
            project_id=project_id,
            resource_id=resource_id,
            note=note,
            created_by_id=viewer.user_id,
        )
        session.add(proposal)
        noun = model.__name__.lower()
        await save(session, proposal, f"{noun}_id", ALREADY_PROPOSED.format(noun=noun))
        if allows(demand.status, DemandAction.PROPOSE):
            await move(session, demand, DemandAction.PROPOSE, viewer)
        await session.refresh(demand)
        return proposal, demand
