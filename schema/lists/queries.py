"""ListsQuery: the three lists, and resources, projects and demands by ID."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers.lists import queries as resolvers
from schema.catalog.filters import ServiceOrder
from schema.common import decode_id
from schema.connections import connection_field
from schema.lists.filters import (
    DemandFilter,
    DemandOrder,
    ProjectFilter,
    ResourceFilter,
)
from schema.lists.types import (
    Demand,
    DemandConnection,
    Project,
    ProjectConnection,
    Resource,
    ResourceConnection,
)


@strawberry.type
class ListsQuery:
    @strawberry.field(description="A resource by its ID; null when none has it or it is not visible.")
    async def resource(self, info: Info, id: relay.GlobalID) -> Resource | None:
        return await Resource.load(info, decode_id(id, Resource))

    @strawberry.field(description="A project by its ID; null when none has it or it is not visible.")
    async def project(self, info: Info, id: relay.GlobalID) -> Project | None:
        return await Project.load(info, decode_id(id, Project))

    @strawberry.field(description="A demand by its ID; null when none has it or it is not visible.")
    async def demand(self, info: Info, id: relay.GlobalID) -> Demand | None:
        return await Demand.load(info, decode_id(id, Demand))

    resources = connection_field(
        ResourceConnection,
        resolvers.list_resources,
        description="The resource list: published resources of providers.",
        filter=ResourceFilter,
        sort=ServiceOrder,
        ordering=resolvers.resource_ordering,
    )
    projects = connection_field(
        ProjectConnection,
        resolvers.list_projects,
        description="The project list: published projects of providers.",
        filter=ProjectFilter,
        sort=ServiceOrder,
        ordering=resolvers.project_ordering,
    )
    demands = connection_field(
        DemandConnection,
        resolvers.list_demands,
        description="The demand list: needs posted by stations, newest first by default.",
        filter=DemandFilter,
        sort=DemandOrder,
    )
