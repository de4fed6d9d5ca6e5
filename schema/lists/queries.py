"""ListsQuery: the three lists, and resources, projects and demands by ID."""

from __future__ import annotations

import strawberry

from resolvers.lists import queries as resolvers
from schema.catalog.filters import ServiceOrder
from schema.common import node_field
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
    resource = node_field(
        Resource, description="A resource by its ID; null when none has it or it is not visible."
    )
    project = node_field(
        Project, description="A project by its ID; null when none has it or it is not visible."
    )
    demand = node_field(Demand, description="A demand by its ID; null when none has it or it is not visible.")

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
