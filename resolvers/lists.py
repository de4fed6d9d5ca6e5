"""The three lists: resources, projects and demands."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import Select, false, select

from models import (
    Audience,
    Availability,
    Demand,
    DemandStatus,
    Project,
    Provider,
    PublicationStatus,
    Resource,
    ResourceKind,
    Role,
    Station,
    Tier,
    Town,
    Urgency,
    project_resources,
)
from resolvers.catalog import apply_shared_filters, audience_condition, category_and_descendants, visible
from resolvers.context import Context
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
    return by_id(ctx, Resource, visible(ctx, Resource))


def project_loader(ctx: Context):
    return by_id(ctx, Project, visible(ctx, Project))


def visible_demands(ctx: Context) -> Select:
    """The demands the viewer may see: a station its own, a town its stations',
    a provider those of its district (to answer them), an administrator all.
    Anonymous callers see none."""
    viewer = ctx.viewer
    stmt = select(Demand)
    if viewer.is_admin:
        return stmt
    if viewer.role is Role.STATION_STAFF:
        return stmt.where(Demand.station_id == viewer.station_id)
    if viewer.role is Role.TOWN_STAFF:
        return stmt.where(Demand.station_id.in_(select(Station.id).where(Station.town_id == viewer.town_id)))
    if viewer.role is Role.PROVIDER_STAFF:
        district = select(Provider.district_id).where(Provider.id == viewer.provider_id).scalar_subquery()
        stations = (
            select(Station.id).join(Town, Town.id == Station.town_id).where(Town.district_id == district)
        )
        return stmt.where(Demand.station_id.in_(stations))
    return stmt.where(false())


def demand_loader(ctx: Context):
    return by_id(ctx, Demand, visible_demands(ctx))


def resources_query(ctx: Context, f: ResourceFilter) -> Select:
    stmt = apply_shared_filters(visible(ctx, Resource), Resource, f)
    if f.kind is not None:
        stmt = stmt.where(Resource.kind == f.kind)
    if f.availability is not None:
        stmt = stmt.where(Resource.availability == f.availability)
    return stmt


def projects_query(ctx: Context, f: ProjectFilter) -> Select:
    stmt = apply_shared_filters(visible(ctx, Project), Project, f)
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
    stmt = visible_demands(ctx)
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
