"""The three lists: resources, projects and demands; proposals and suggestions that answer demands."""

from __future__ import annotations

import enum
import math
from collections import defaultdict
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Float,
    Select,
    any_,
    case,
    cast,
    delete,
    desc,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSQUERY, array
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import (
    Audience,
    Availability,
    CapacityPeriod,
    Category,
    Demand,
    DemandProposal,
    DemandStatus,
    Project,
    Provider,
    PublicationStatus,
    Resource,
    ResourceKind,
    Station,
    Tier,
    Town,
    Urgency,
    project_resources,
)
from resolvers.access import (
    CATALOG_EDITORS,
    DEMAND_POSTERS,
    PROPOSERS,
    acts_for_provider,
    may_post_for_station,
    require_role,
    visible_demands,
    visible_entries,
)
from resolvers.catalog.queries import apply_shared_filters, audience_condition, category_and_descendants
from resolvers.context import Context
from resolvers.editing import (
    MAX_DESCRIPTION_LENGTH,
    Fields,
    TimeLimitOverrides,
    change_status,
    check_capacity,
    check_choices,
    check_entry,
    check_exists,
    check_time_limits,
    create_entry,
    entry_to_edit,
    present,
    provider_of_new_entry,
    save,
    strip,
    unique,
    update_entry,
)
from resolvers.errors import Checks, ClientError, ErrorCode, Refused, UserError
from resolvers.loading import by_id
from resolvers.pagination import Ordering, Page, PageRequest, child_pages, paginate
from resolvers.search import apply_search


class DemandOrderField(enum.Enum):
    POSTED_AT = "POSTED_AT"
    TITLE = "TITLE"


def demand_ordering(
    field: DemandOrderField = DemandOrderField.POSTED_AT, descending: bool = True
) -> Ordering:
    column = {DemandOrderField.POSTED_AT: Demand.posted_at, DemandOrderField.TITLE: Demand.title}[field]
    return Ordering(key=f"demand.{field.name}", column=column, tiebreaker=Demand.id, descending=descending)


@dataclass(frozen=True)
class ResourceFilter:
    district_id: int | None = None
    provider_id: int | None = None
    category_id: int | None = None
    tier: Tier | None = None
    audience: Audience | None = None
    kind: ResourceKind | None = None
    availability: Availability | None = None
    status: PublicationStatus | None = None
    search: str | None = None


@dataclass(frozen=True)
class ProjectFilter:
    district_id: int | None = None
    provider_id: int | None = None
    category_id: int | None = None
    tier: Tier | None = None
    audience: Audience | None = None
    requires_three_meetings: bool | None = None
    resource_id: int | None = None
    status: PublicationStatus | None = None
    search: str | None = None


@dataclass(frozen=True)
class DemandFilter:
    district_id: int | None = None
    town_id: int | None = None
    station_id: int | None = None
    category_id: int | None = None
    audience: Audience | None = None
    urgency: Urgency | None = None
    status: DemandStatus | None = None
    search: str | None = None


def resource_loader(ctx: Context):
    return by_id(ctx, Resource, visible_entries(ctx.viewer, Resource))


def project_loader(ctx: Context):
    return by_id(ctx, Project, visible_entries(ctx.viewer, Project))


def demand_loader(ctx: Context):
    return by_id(ctx, Demand, visible_demands(ctx.viewer))


def resources_query(ctx: Context, f: ResourceFilter) -> Select:
    stmt = apply_shared_filters(visible_entries(ctx.viewer, Resource), Resource, f)
    if f.kind is not None:
        stmt = stmt.where(Resource.kind == f.kind)
    if f.availability is not None:
        stmt = stmt.where(Resource.availability == f.availability)
    return stmt


def projects_query(ctx: Context, f: ProjectFilter) -> Select:
    stmt = apply_shared_filters(visible_entries(ctx.viewer, Project), Project, f)
    if f.requires_three_meetings is not None:
        stmt = stmt.where(Project.requires_three_meetings == f.requires_three_meetings)
    if f.resource_id is not None:
        stmt = stmt.where(
            Project.id.in_(
                select(project_resources.c.project_id).where(project_resources.c.resource_id == f.resource_id)
            )
        )
    return stmt


def demands_query(ctx: Context, f: DemandFilter) -> Select:
    stmt = visible_demands(ctx.viewer)
    if f.district_id is not None:
        stmt = stmt.where(
            Demand.station_id.in_(
                select(Station.id)
                .join(Town, Town.id == Station.town_id)
                .where(Town.district_id == f.district_id)
            )
        )
    if f.town_id is not None:
        stmt = stmt.where(Demand.station_id.in_(select(Station.id).where(Station.town_id == f.town_id)))
    if f.station_id is not None:
        stmt = stmt.where(Demand.station_id == f.station_id)
    if f.category_id is not None:
        stmt = stmt.where(Demand.category_id.in_(category_and_descendants(f.category_id)))
    if f.audience is not None:
        stmt = stmt.where(audience_condition(Demand, f.audience))
    if f.urgency is not None:
        stmt = stmt.where(Demand.urgency == f.urgency)
    if f.status is not None:
        stmt = stmt.where(Demand.status == f.status)
    return apply_search(stmt, Demand, f.search)


async def list_resources(ctx: Context, f: ResourceFilter, ordering: Ordering, page: PageRequest) -> Page:
    return await paginate(ctx, resources_query(ctx, f), ordering, page)


async def list_projects(ctx: Context, f: ProjectFilter, ordering: Ordering, page: PageRequest) -> Page:
    return await paginate(ctx, projects_query(ctx, f), ordering, page)


async def list_demands(ctx: Context, f: DemandFilter, ordering: Ordering, page: PageRequest) -> Page:
    return await paginate(ctx, demands_query(ctx, f), ordering, page)


async def resources_of_provider(
    ctx: Context, provider_id: int, f: ResourceFilter, ordering: Ordering, page: PageRequest
) -> Page:
    loader = child_pages(
        ctx, ("provider.resources", f), resources_query(ctx, f), Resource.provider_id, ordering, page
    )
    return await loader.load(provider_id)


async def projects_of_provider(
    ctx: Context, provider_id: int, f: ProjectFilter, ordering: Ordering, page: PageRequest
) -> Page:
    loader = child_pages(
        ctx, ("provider.projects", f), projects_query(ctx, f), Project.provider_id, ordering, page
    )
    return await loader.load(provider_id)


async def demands_of_station(
    ctx: Context, station_id: int, f: DemandFilter, ordering: Ordering, page: PageRequest
) -> Page:
    loader = child_pages(
        ctx, ("station.demands", f), demands_query(ctx, f), Demand.station_id, ordering, page
    )
    return await loader.load(station_id)


async def resources_of_project(
    ctx: Context, project_id: int, f: ResourceFilter, ordering: Ordering, page: PageRequest
) -> Page:
    stmt = resources_query(ctx, f).join(project_resources, project_resources.c.resource_id == Resource.id)
    loader = child_pages(ctx, ("project.resources", f), stmt, project_resources.c.project_id, ordering, page)
    return await loader.load(project_id)


async def projects_of_resource(
    ctx: Context, resource_id: int, f: ProjectFilter, ordering: Ordering, page: PageRequest
) -> Page:
    stmt = projects_query(ctx, f).join(project_resources, project_resources.c.project_id == Project.id)
    loader = child_pages(ctx, ("resource.projects", f), stmt, project_resources.c.resource_id, ordering, page)
    return await loader.load(resource_id)


# Managing resources and projects (their provider's staff and administrators).

MAX_QUANTITY = Decimal("999999999999.99")
MAX_PROJECT_RESOURCES = 50


@dataclass(frozen=True)
class ResourceFields(Fields):
    code: str | None
    name: str | None
    category_id: int | None
    kind: ResourceKind | None
    tier: Tier | None
    audiences: list[Audience] | None
    quantity: Decimal | None
    unit: str | None
    description: str | None = ""
    availability: Availability | None = Availability.AVAILABLE
    availability_note: str | None = ""

    def normalized(self) -> ResourceFields:
        return replace(
            self,
            code=strip(self.code),
            name=strip(self.name),
            unit=strip(self.unit),
            description=self.description or "",
            availability_note=strip(self.availability_note) or "",
            audiences=unique(self.audiences),
        )


async def check_resource(
    session: AsyncSession, f: ResourceFields, own_id: int | None, checks: Checks
) -> None:
    await check_entry(session, checks, Resource, f, own_id)
    present(checks, "kind", f.kind)
    present(checks, "availability", f.availability)
    checks.text("unit", f.unit, max_length=20)
    checks.text("availabilityNote", f.availability_note, max_length=200, required=False)
    if present(checks, "quantity", f.quantity):
        if not f.quantity.is_finite():
            checks.fail("quantity", ErrorCode.INVALID, "`quantity` must be a number.")
        else:
            checks.between("quantity", f.quantity, 0, MAX_QUANTITY)
            if f.quantity != f.quantity.quantize(Decimal("0.01")):
                checks.fail("quantity", ErrorCode.INVALID, "`quantity` has at most two decimals.")


async def create_resource(ctx: Context, f: ResourceFields, provider_id: int | None = None) -> Resource:
    return await create_entry(ctx, Resource, f, check_resource, provider_id)


async def update_resource(ctx: Context, resource_id: int, changes: dict[str, Any]) -> Resource:
    return await update_entry(ctx, Resource, ResourceFields, check_resource, resource_id, changes)


async def set_resource_status(ctx: Context, resource_id: int, status: PublicationStatus) -> Resource:
    return await change_status(ctx, Resource, resource_id, status, "resourceId")


@dataclass(frozen=True)
class ProjectFields(Fields):
    code: str | None
    name: str | None
    category_id: int | None
    tier: Tier | None
    audiences: list[Audience] | None
    description: str | None = ""
    capacity_per_period: int | None = None
    capacity_period: CapacityPeriod | None = None
    requires_three_meetings: bool | None = False
    time_limit_overrides: TimeLimitOverrides | None = None

    def normalized(self) -> ProjectFields:
        return replace(
            self,
            time_limit_overrides=self.time_limit_overrides or {},
            code=strip(self.code),
            name=strip(self.name),
            description=self.description or "",
            audiences=unique(self.audiences),
        )


async def check_project(session: AsyncSession, f: ProjectFields, own_id: int | None, checks: Checks) -> None:
    await check_entry(session, checks, Project, f, own_id)
    check_capacity(checks, f.capacity_per_period, f.capacity_period)
    check_time_limits(checks, f.time_limit_overrides)
    present(checks, "requiresThreeMeetings", f.requires_three_meetings)


async def check_project_resources(
    session: AsyncSession, ctx: Context, checks: Checks, provider_id: int | None, resource_ids: list[int]
) -> None:
    """A project draws on resources of its own provider that are still offered."""
    if len(resource_ids) > MAX_PROJECT_RESOURCES:
        checks.fail(
            "resourceIds", ErrorCode.INVALID, f"A project uses at most {MAX_PROJECT_RESOURCES} resources."
        )
        return
    rows = (
        await session.scalars(visible_entries(ctx.viewer, Resource).where(Resource.id.in_(resource_ids)))
    ).all()
    found = {row.id: row for row in rows}
    for index, resource_id in enumerate(resource_ids):
        field = ["resourceIds", str(index)]
        resource = found.get(resource_id)
        if resource is None:
            checks.fail(field, ErrorCode.NOT_FOUND, "No such resource.")
        elif provider_id is not None and resource.provider_id != provider_id:
            checks.fail(field, ErrorCode.INVALID, "A project uses only resources of its own provider.")
        elif resource.status is PublicationStatus.RETIRED:
            checks.fail(field, ErrorCode.INVALID, "A retired resource cannot be used.")


async def link_resources(session: AsyncSession, project_id: int, resource_ids: list[int]) -> None:
    """Replace the resources a project uses with these."""
    await session.execute(delete(project_resources).where(project_resources.c.project_id == project_id))
    if resource_ids:
        await session.execute(
            insert(project_resources),
            [{"project_id": project_id, "resource_id": resource_id} for resource_id in resource_ids],
        )


async def create_project(
    ctx: Context, f: ProjectFields, resource_ids: list[int], provider_id: int | None = None
) -> Project:
    require_role(ctx, *CATALOG_EDITORS)
    f = f.normalized()
    resource_ids = unique(resource_ids) or []
    async with ctx.transaction() as session:
        checks = Checks()
        provider_id = await provider_of_new_entry(session, ctx, checks, provider_id)
        await check_project(session, f, None, checks)
        await check_project_resources(session, ctx, checks, provider_id, resource_ids)
        checks.done()
        project = Project(provider_id=provider_id, status=PublicationStatus.DRAFT)
        f.apply(project, (field.name for field in fields(f)))
        session.add(project)
        await save(session, project)
        await link_resources(session, project.id, resource_ids)
        return project


async def update_project(
    ctx: Context, project_id: int, changes: dict[str, Any], resource_ids: list[int] | None = None
) -> Project:
    """Change the given fields of a project; `resource_ids`, when given, replaces its resources."""
    require_role(ctx, *CATALOG_EDITORS)
    async with ctx.transaction() as session:
        project = await entry_to_edit(session, ctx, Project, project_id, "projectId")
        f = ProjectFields.of(project).updated(changes).normalized()
        checks = Checks()
        await check_project(session, f, project.id, checks)
        if resource_ids is not None:
            resource_ids = unique(resource_ids) or []
            await check_project_resources(session, ctx, checks, project.provider_id, resource_ids)
        checks.done()
        f.apply(project, changes)
        if resource_ids is not None:
            await link_resources(session, project.id, resource_ids)
            # The project changed even when only its resources did.
            project.updated_at = func.now()
        return await save(session, project)


async def set_project_status(ctx: Context, project_id: int, status: PublicationStatus) -> Project:
    return await change_status(ctx, Project, project_id, status, "projectId")


# Demands: posted and kept up by their station.

MAX_BENEFICIARIES = 100_000
DEMAND_EDITABLE = (DemandStatus.OPEN, DemandStatus.MATCHED)
DEMAND_CLOSABLE = (DemandStatus.OPEN, DemandStatus.MATCHED, DemandStatus.IN_PROGRESS)


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
    if present(checks, "categoryId", f.category_id):
        await check_exists(session, checks, "categoryId", Category, f.category_id)


async def demand_to_change(session: AsyncSession, ctx: Context, demand_id: int) -> Demand:
    """A demand the viewer sees, locked until the transaction ends; hidden ones answer like missing ones."""
    stmt = visible_demands(ctx.viewer).where(Demand.id == demand_id).with_for_update(of=Demand)
    demand = await session.scalar(stmt.execution_options(populate_existing=True))
    if demand is None:
        raise Refused(UserError(ErrorCode.NOT_FOUND, "No such demand.", ["demandId"]))
    return demand


def refuse_status(demand: Demand, action: str) -> Refused:
    return Refused(
        UserError(
            ErrorCode.ILLEGAL_TRANSITION,
            f"A demand that is {demand.status.name.lower().replace('_', ' ')} cannot be {action}.",
            ["demandId"],
        )
    )


async def post_demand(ctx: Context, f: DemandFields, station_id: int | None = None) -> Demand:
    viewer = require_role(ctx, *DEMAND_POSTERS)
    f = f.normalized()
    async with ctx.transaction() as session:
        checks = Checks()
        if viewer.is_admin:
            if present(checks, "stationId", station_id):
                await check_exists(session, checks, "stationId", Station, station_id)
        elif not may_post_for_station(viewer, station_id):
            checks.fail(
                "stationId", ErrorCode.NOT_PERMITTED, "You may only post demands of your own station."
            )
        else:
            station_id = viewer.station_id
        await check_demand(session, f, checks)
        checks.done()
        demand = Demand(station_id=station_id, status=DemandStatus.OPEN)
        f.apply(demand, (field.name for field in fields(f)))
        session.add(demand)
        return await save(session, demand)


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


async def close_demand(ctx: Context, demand_id: int) -> Demand:
    """Withdraw a demand that is no longer needed."""
    require_role(ctx, *DEMAND_POSTERS)
    async with ctx.transaction() as session:
        demand = await demand_to_change(session, ctx, demand_id)
        if demand.status not in DEMAND_CLOSABLE:
            raise refuse_status(demand, "closed")
        demand.status = DemandStatus.CLOSED
        return await save(session, demand)


# Proposals: a provider answers a demand with a published project or resource.

MAX_NOTE_LENGTH = 2000
PROPOSABLE = (DemandStatus.OPEN, DemandStatus.MATCHED)


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


def proposal_loader(ctx: Context):
    """Proposals by id, visible to whoever sees their demand."""
    demand_ids = visible_demands(ctx.viewer).with_only_columns(Demand.id)
    return by_id(ctx, DemandProposal, select(DemandProposal).where(DemandProposal.demand_id.in_(demand_ids)))


async def proposals_of_demand(ctx: Context, demand_id: int, ordering: Ordering, page: PageRequest) -> Page:
    """The parent demand was loaded under the viewer's visibility, and its proposals go with it."""
    loader = child_pages(
        ctx, "demand.proposals", select(DemandProposal), DemandProposal.demand_id, ordering, page
    )
    return await loader.load(demand_id)


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
    checks = Checks()
    if project_id is None and resource_id is None:
        checks.fail("projectId", ErrorCode.REQUIRED, "Propose a project or a resource.")
    elif project_id is not None and resource_id is not None:
        checks.fail("resourceId", ErrorCode.INVALID, "Propose a project or a resource, not both at once.")
    checks.text("note", note, max_length=MAX_NOTE_LENGTH, required=False)
    checks.done()
    model, item_id, field = (
        (Project, project_id, "projectId")
        if project_id is not None
        else (Resource, resource_id, "resourceId")
    )
    noun = model.__name__.lower()
    async with ctx.transaction() as session:
        # Locking the demand orders concurrent proposals and closing: none lands on a closed demand.
        demand = await demand_to_change(session, ctx, demand_id)
        if demand.status not in PROPOSABLE:
            raise refuse_status(demand, "answered")
        item = await session.scalar(visible_entries(ctx.viewer, model).where(model.id == item_id))
        if item is None:
            raise Refused(UserError(ErrorCode.NOT_FOUND, f"No such {noun}.", [field]))
        if not acts_for_provider(viewer, item.provider_id):
            raise Refused(
                UserError(
                    ErrorCode.NOT_PERMITTED, f"You may only propose your own provider's {noun}s.", [field]
                )
            )
        if item.status is not PublicationStatus.PUBLISHED:
            raise Refused(UserError(ErrorCode.INVALID, f"Only a published {noun} can be proposed.", [field]))
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
            raise Refused(
                UserError(ErrorCode.INVALID, f"The {noun}'s provider serves another district.", [field])
            )
        item_column = DemandProposal.project_id if model is Project else DemandProposal.resource_id
        already = select(DemandProposal.id).where(
            DemandProposal.demand_id == demand.id, item_column == item.id
        )
        if await session.scalar(already) is not None:
            raise Refused(
                UserError(ErrorCode.TAKEN, f"This {noun} is already proposed for the demand.", [field])
            )
        proposal = DemandProposal(
            demand_id=demand.id,
            provider_id=item.provider_id,
            project_id=project_id,
            resource_id=resource_id,
            note=note,
            created_by_id=viewer.user_id,
        )
        session.add(proposal)
        if demand.status is DemandStatus.OPEN:
            demand.status = DemandStatus.MATCHED
        await save(session, proposal, field, f"This {noun} is already proposed for the demand.")
        await session.refresh(demand)
        return proposal, demand


# Suggestions: the published projects and resources of the demand's district that fit it, best first.

MAX_SUGGESTIONS = 20
# What each kind of fit adds to a suggestion's score (at most 12).
IN_CATEGORY_SCORE = 4.0
"""The item sits in the demand's category or below it."""
IN_MAJOR_CATEGORY_SCORE = 2.0
"""The item sits elsewhere in the demand's major category."""
AUDIENCE_SCORE = 3.0
"""Times the share of the demand's audiences the item is meant for."""
EVERYONE_SCORE = 1.0
"""No audience in common, but the item (or the demand) is for everyone."""
TIER_SCORE = 1.0
TEXT_SCORE = 4.0
"""Times the share of the demand title's bigrams found in the item's name and description."""
# Search vectors hold no positions, so ts_rank gives each bigram of an OR query the item
# contains 0.1 (weight D) / ζ(2), divided by the query's number of bigrams: a rank over
# this constant is the share of the title's bigrams found.
RANK_OF_FULL_MATCH = 0.1 / (math.pi**2 / 6)


class SuggestionReason(enum.Enum):
    IN_CATEGORY = "IN_CATEGORY"
    IN_MAJOR_CATEGORY = "IN_MAJOR_CATEGORY"
    SHARED_AUDIENCE = "SHARED_AUDIENCE"
    FOR_EVERYONE = "FOR_EVERYONE"
    SAME_TIER = "SAME_TIER"
    SIMILAR_TEXT = "SIMILAR_TEXT"


@dataclass(frozen=True)
class Suggestion:
    score: float
    reasons: tuple[SuggestionReason, ...]
    project_id: int | None = None
    resource_id: int | None = None


def category_paths():
    """Every category with its major category and the ids from the top down to it."""
    paths = (
        select(
            Category.id.label("id"),
            Category.id.label("major_id"),
            array([Category.id]).label("path"),
        )
        .where(Category.parent_id.is_(None))
        .cte("category_paths", recursive=True)
    )
    child = aliased(Category)
    return paths.union_all(
        select(child.id, paths.c.major_id, paths.c.path.op("||")(child.id)).where(
            child.parent_id == paths.c.id
        )
    )


def title_bigram_query(title):
    """An OR tsquery of the bigrams of a title, quoted as `resolvers.search` quotes lexemes."""
    grams = (
        func.unnest(func.tsvector_to_array(func.doorstep_ngrams(title)))
        .table_valued("gram")
        .render_derived("grams")
    )
    escaped = func.replace(func.replace(grams.c.gram, "\\", "\\\\"), "'", "''")
    quoted = literal("'") + escaped + literal("'")
    query = (
        select(func.string_agg(quoted, literal(" | ")))
        .select_from(grams)
        .where(func.char_length(grams.c.gram) == 2)
        .scalar_subquery()
    )
    return cast(query, TSQUERY)


def suggestions_statement(demand_ids: list[int], first: int) -> Select:
    """The `first` best items for each demand: one statement, a LATERAL top-N per demand."""
    paths = category_paths()
    requested = (
        select(
            Demand.id,
            Demand.category_id,
            Demand.audiences,
            Demand.tier,
            Town.district_id,
            paths.c.major_id,
            title_bigram_query(Demand.title).label("title_query"),
        )
        .join(Station, Station.id == Demand.station_id)
        .join(Town, Town.id == Station.town_id)
        .join(paths, paths.c.id == Demand.category_id)
        .where(Demand.id.in_(demand_ids))
        .cte("requested")
    )
    published = PublicationStatus.PUBLISHED
    items = union_all(
        *(
            select(
                literal(kind).label("kind"),
                model.id,
                model.provider_id,
                model.category_id,
                model.tier,
                model.audiences,
                model.search_vector,
            ).where(model.status == published, *conditions)
            for kind, model, conditions in (
                ("PROJECT", Project, ()),
                ("RESOURCE", Resource, (Resource.availability != Availability.UNAVAILABLE,)),
            )
        )
    ).subquery("items")
    # The published items of the demands' districts, read once for all the demands rather
    # than once per demand (MATERIALIZED keeps PostgreSQL from inlining it into the LATERAL).
    candidates = (
        select(items, Provider.district_id, paths.c.major_id, paths.c.path)
        .join(Provider, Provider.id == items.c.provider_id)
        .join(paths, paths.c.id == items.c.category_id)
        .where(Provider.district_id.in_(select(requested.c.district_id)))
        .cte("candidates")
        .prefix_with("MATERIALIZED")
    )

    in_major = candidates.c.major_id == requested.c.major_id
    category_score = case(
        (requested.c.category_id == any_(candidates.c.path), IN_CATEGORY_SCORE),
        (in_major, IN_MAJOR_CATEGORY_SCORE),
        else_=0.0,
    )
    demand_audience = (
        func.unnest(requested.c.audiences).table_valued("audience").render_derived("demand_audiences")
    )
    shared_audiences = (
        select(func.count())
        .select_from(demand_audience)
        .where(demand_audience.c.audience == any_(candidates.c.audiences))
        .correlate(requested, candidates)
        .scalar_subquery()
    )
    shares_audience = candidates.c.audiences.overlap(requested.c.audiences)
    for_everyone = or_(
        candidates.c.audiences.contains([Audience.EVERYONE]),
        requested.c.audiences.contains([Audience.EVERYONE]),
    )
    audience_score = case(
        (
            shares_audience,
            AUDIENCE_SCORE * cast(shared_audiences, Float) / func.cardinality(requested.c.audiences),
        ),
        (for_everyone, EVERYONE_SCORE),
        else_=0.0,
    )
    tier_score = case((candidates.c.tier == requested.c.tier, TIER_SCORE), else_=0.0)
    text_rank = func.ts_rank(candidates.c.search_vector, requested.c.title_query)
    text_score = TEXT_SCORE * func.least(func.coalesce(text_rank, 0) / RANK_OF_FULL_MATCH, 1.0)
    # The parts of the score, computed once per item and demand, then added up to rank.
    fit = (
        select(
            category_score.label("category_score"),
            shares_audience.label("shares_audience"),
            audience_score.label("audience_score"),
            tier_score.label("tier_score"),
            text_score.label("text_score"),
        )
        .correlate(requested, candidates)
        .lateral("fit")
    )
    score = fit.c.category_score + fit.c.audience_score + fit.c.tier_score + fit.c.text_score
    best = (
        select(candidates.c.kind, candidates.c.id, fit, score.label("score"))
        .select_from(candidates)
        .join(fit, true())
        .where(
            candidates.c.district_id == requested.c.district_id,
            or_(in_major, candidates.c.search_vector.op("@@")(requested.c.title_query)),
        )
        .order_by(desc("score"), candidates.c.kind, candidates.c.id)
        .limit(first)
        .lateral("best")
    )
    return select(requested.c.id.label("demand_id"), best).select_from(requested.join(best, true()))


def reasons_of(row) -> tuple[SuggestionReason, ...]:
    reasons = []
    if row.category_score == IN_CATEGORY_SCORE:
        reasons.append(SuggestionReason.IN_CATEGORY)
    elif row.category_score == IN_MAJOR_CATEGORY_SCORE:
        reasons.append(SuggestionReason.IN_MAJOR_CATEGORY)
    if row.shares_audience:
        reasons.append(SuggestionReason.SHARED_AUDIENCE)
    elif row.audience_score > 0:
        reasons.append(SuggestionReason.FOR_EVERYONE)
    if row.tier_score > 0:
        reasons.append(SuggestionReason.SAME_TIER)
    if row.text_score > 0:
        reasons.append(SuggestionReason.SIMILAR_TEXT)
    return tuple(reasons)


async def suggestions_for_demand(ctx: Context, demand_id: int, first: int) -> list[Suggestion]:
    if not 0 <= first <= MAX_SUGGESTIONS:
        raise ClientError(
            f"`first` must be between 0 and {MAX_SUGGESTIONS}; got {first}.", code="PAGE_SIZE_OUT_OF_RANGE"
        )

    async def load(demand_ids: list[int]) -> list[list[Suggestion]]:
        async with ctx.db.session() as session:
            rows = (await session.execute(suggestions_statement(demand_ids, first))).all()
        found: dict[int, list[Suggestion]] = defaultdict(list)
        for row in rows:
            found[row.demand_id].append(
                Suggestion(
                    score=round(row.score, 3),
                    reasons=reasons_of(row),
                    project_id=row.id if row.kind == "PROJECT" else None,
                    resource_id=row.id if row.kind == "RESOURCE" else None,
                )
            )
        return [found[demand_id] for demand_id in demand_ids]

    return await ctx.loaders.get(("demand.suggestions", first), load).load(demand_id)
