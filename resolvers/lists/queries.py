"""Reading the three lists: loaders, filters, orderings and pages of resources, projects, demands."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, FromClause, Select, SQLColumnExpression, select
from strawberry.dataloader import DataLoader

from models import (
    Audience,
    Availability,
    Demand,
    DemandStatus,
    Project,
    Resource,
    ResourceKind,
    Station,
    Town,
    Urgency,
    project_resources,
)
from resolvers.access import visible_demands, visible_entries
from resolvers.catalog.queries import (
    EntryFilter,
    apply_shared_filters,
    audience_condition,
    catalog_ordering,
    category_and_descendants,
)
from resolvers.context import Context, Viewer
from resolvers.loading import STATEMENTS_KEPT, by_id
from resolvers.pagination import Ordering, Page, PageRequest, child_pages, paginate
from resolvers.search import apply_search

F = TypeVar("F")
# The rows a filter selects for a viewer.
Query = Callable[[Viewer, F], Select[Any]]
"""The rows of a list a viewer may see that match a filter."""
# A root connection: (context, filter, ordering, page request).
RootList = Callable[[Context, F, Ordering, PageRequest], Awaitable[Page[Any]]]
# A nested connection: (context, parent id, filter, ordering, page request).
ChildList = Callable[[Context, int, F, Ordering, PageRequest], Awaitable[Page[Any]]]


class DemandOrderField(enum.Enum):
    POSTED_AT = "POSTED_AT"
    TITLE = "TITLE"


def demand_ordering(
    field: DemandOrderField = DemandOrderField.POSTED_AT, descending: bool = True
) -> Ordering:
    column = {DemandOrderField.POSTED_AT: Demand.posted_at, DemandOrderField.TITLE: Demand.title}[field]
    return Ordering(key=f"demand.{field.name}", column=column, tiebreaker=Demand.id, descending=descending)


# Resources and projects are ordered as services are, by the catalog's fields.
resource_ordering = partial(catalog_ordering, Resource)
project_ordering = partial(catalog_ordering, Project)


@dataclass(frozen=True)
class ResourceFilter(EntryFilter):
    kind: ResourceKind | None = None
    availability: Availability | None = None


@dataclass(frozen=True)
class ProjectFilter(EntryFilter):
    requires_three_meetings: bool | None = None
    resource_id: int | None = None


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


def resource_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, Resource, visible_entries(ctx.viewer, Resource))


def project_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, Project, visible_entries(ctx.viewer, Project))


def demand_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, Demand, visible_demands(ctx.viewer))


def resources_query(viewer: Viewer, f: ResourceFilter) -> Select[Any]:
    stmt = apply_shared_filters(visible_entries(viewer, Resource), Resource, f)
    if f.kind is not None:
        stmt = stmt.where(Resource.kind == f.kind)
    if f.availability is not None:
        stmt = stmt.where(Resource.availability == f.availability)
    return stmt


def projects_query(viewer: Viewer, f: ProjectFilter) -> Select[Any]:
    stmt = apply_shared_filters(visible_entries(viewer, Project), Project, f)
    if f.requires_three_meetings is not None:
        stmt = stmt.where(Project.requires_three_meetings == f.requires_three_meetings)
    if f.resource_id is not None:
        stmt = stmt.where(
            Project.id.in_(
                select(project_resources.c.project_id).where(project_resources.c.resource_id == f.resource_id)
            )
        )
    return stmt


def demands_query(viewer: Viewer, f: DemandFilter) -> Select[Any]:
    stmt = visible_demands(viewer)
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


@lru_cache(maxsize=STATEMENTS_KEPT)
def _kept(query: Query[Any], viewer: Viewer, f: Any) -> Select[Any]:
    """A list's statement for a viewer and a filter, built once and reused (`resolvers.loading`)."""
    return query(viewer, f)


def root_list(query: Query[F]) -> RootList[F]:
    """A top-level connection over the rows `query` selects."""

    async def load(ctx: Context, f: F, ordering: Ordering, page: PageRequest) -> Page[Any]:
        return await paginate(ctx, _kept(query, ctx.viewer, f), ordering, page)

    return load


def child_list(
    name: str,
    query: Query[F],
    parent: SQLColumnExpression[int],
    link: tuple[FromClause, ColumnElement[bool]] | None = None,
) -> ChildList[F]:
    """A nested connection: the rows `query` selects whose `parent` column is the parent's id,
    through the `link` table (and its join condition) when the rows name their parents there."""

    async def load(ctx: Context, parent_id: int, f: F, ordering: Ordering, page: PageRequest) -> Page[Any]:
        stmt = _kept(query, ctx.viewer, f)
        if link is not None:
            stmt = stmt.join(*link)
        return await child_pages(ctx, (name, f), stmt, parent, ordering, page).load(parent_id)

    return load


list_resources = root_list(resources_query)
list_projects = root_list(projects_query)
list_demands = root_list(demands_query)
resources_of_provider = child_list("provider.resources", resources_query, Resource.provider_id)
projects_of_provider = child_list("provider.projects", projects_query, Project.provider_id)
demands_of_station = child_list("station.demands", demands_query, Demand.station_id)
resources_of_project = child_list(
    "project.resources",
    resources_query,
    project_resources.c.project_id,
    (project_resources, project_resources.c.resource_id == Resource.id),
)
projects_of_resource = child_list(
    "resource.projects",
    projects_query,
    project_resources.c.resource_id,
    (project_resources, project_resources.c.project_id == Project.id),
)
