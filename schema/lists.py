"""GraphQL types of the three lists: resources, projects and demands."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import Availability, DemandStatus, ResourceKind, Urgency
from models import Project as ProjectRow
from models import Resource as ResourceRow
from resolvers import lists as resolvers
from resolvers.lists import DemandOrderField
from schema.catalog import (
    AudienceEnum,
    CapacityPeriodEnum,
    Category,
    CategoryFacet,
    Provider,
    PublicationStatusEnum,
    ServiceOrder,
    TierEnum,
    TierFacet,
    catalog_ordering,
)
from schema.common import Connection, OrderDirection, RowNode, decode_id, describe_enum, page_request
from schema.places import District, Station, Town

ResourceKindEnum = describe_enum(
    ResourceKind,
    "What a resource is.",
    {
        "VENUE": "A venue or room (场地).",
        "FUNDS": "Funding (资金).",
        "EXPERT": "Experts or professionals (专家).",
        "VOLUNTEER_TEAM": "A volunteer team (志愿者队伍).",
        "MATERIALS": "Materials and supplies (物资).",
        "EQUIPMENT": "Equipment (设备).",
    },
)
AvailabilityEnum = describe_enum(
    Availability,
    "Whether a resource can be used now.",
    {
        "AVAILABLE": "Available.",
        "LIMITED": "Available in part or at some times; see the availability note.",
        "UNAVAILABLE": "Not available at the moment.",
    },
)
UrgencyEnum = describe_enum(
    Urgency,
    "How urgent a demand or order is (应急 / 重点 / 常规).",
    {
        "EMERGENCY": "Emergency (应急): taken on receipt, handled within hours.",
        "KEY": "Key (重点): priority work with a short time limit.",
        "ROUTINE": "Routine (常规): answered within a day, never overnight.",
    },
)
DemandStatusEnum = describe_enum(
    DemandStatus,
    "Where a demand stands.",
    {
        "OPEN": "Posted and waiting for an offer.",
        "MATCHED": "A provider has offered a project or resource.",
        "IN_PROGRESS": "Being addressed.",
        "RESOLVED": "Met.",
        "CLOSED": "Closed without being met (withdrawn or obsolete).",
    },
)
DemandOrderFieldEnum = describe_enum(
    DemandOrderField,
    "What demands can be ordered by.",
    {"POSTED_AT": "When the demand was posted.", "TITLE": "The title."},
)

ResourceOrder = ServiceOrder
ProjectOrder = ServiceOrder


@strawberry.input(description="How to order demands.")
class DemandOrder:
    field: DemandOrderFieldEnum = strawberry.field(description="The field to order by.")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="The direction.")


@strawberry.input(description="Which resources to list; all conditions must hold.")
class ResourceFilter:
    district_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Resources of this district's providers."
    )
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Resources of this provider."
    )
    category_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Resources in this category or any category below it."
    )
    tier: TierEnum | None = strawberry.field(default=None, description="Resources of this tier.")  # type: ignore[valid-type]
    audience: AudienceEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Resources meant for this audience, including those meant for everyone."
    )
    kind: ResourceKindEnum | None = strawberry.field(default=None, description="Resources of this kind.")  # type: ignore[valid-type]
    availability: AvailabilityEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Resources with this availability."
    )
    status: PublicationStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None,
        description="Entries in this status. Only published entries are visible, except to their provider's "
        "staff and to administrators.",
    )
    search: str | None = strawberry.field(
        default=None, description="Words the name or description contains (Chinese works), all of them."
    )

    def to_filter(self) -> resolvers.ResourceFilter:
        return resolvers.ResourceFilter(
            district_id=decode_id(self.district_id, District),
            provider_id=decode_id(self.provider_id, Provider),
            category_id=decode_id(self.category_id, Category),
            tier=self.tier,
            audience=self.audience,
            kind=self.kind,
            availability=self.availability,
            status=self.status,
            search=self.search,
        )


@strawberry.input(description="Which projects to list; all conditions must hold.")
class ProjectFilter:
    district_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Projects of this district's providers."
    )
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Projects of this provider."
    )
    category_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Projects in this category or any category below it."
    )
    tier: TierEnum | None = strawberry.field(default=None, description="Projects of this tier.")  # type: ignore[valid-type]
    audience: AudienceEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Projects meant for this audience, including those meant for everyone."
    )
    requires_three_meetings: bool | None = strawberry.field(
        default=None, description="Projects that do (or do not) require the three meetings (三会)."
    )
    resource_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Projects using this resource."
    )
    status: PublicationStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None,
        description="Entries in this status. Only published entries are visible, except to their provider's "
        "staff and to administrators.",
    )
    search: str | None = strawberry.field(
        default=None, description="Words the name or description contains (Chinese works), all of them."
    )

    def to_filter(self) -> resolvers.ProjectFilter:
        return resolvers.ProjectFilter(
            district_id=decode_id(self.district_id, District),
            provider_id=decode_id(self.provider_id, Provider),
            category_id=decode_id(self.category_id, Category),
            tier=self.tier,
            audience=self.audience,
            requires_three_meetings=self.requires_three_meetings,
            resource_id=decode_id(self.resource_id, Resource),
            status=self.status,
            search=self.search,
        )


@strawberry.input(description="Which demands to list; all conditions must hold.")
class DemandFilter:
    district_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Demands of this district."
    )
    town_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Demands of this town's stations."
    )
    station_id: relay.GlobalID | None = strawberry.field(default=None, description="Demands of this station.")
    category_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Demands in this category or any category below it."
    )
    audience: AudienceEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Demands of this audience, including those of everyone."
    )
    urgency: UrgencyEnum | None = strawberry.field(default=None, description="Demands of this urgency.")  # type: ignore[valid-type]
    status: DemandStatusEnum | None = strawberry.field(default=None, description="Demands in this status.")  # type: ignore[valid-type]
    search: str | None = strawberry.field(
        default=None, description="Words the title or description contains (Chinese works), all of them."
    )

    def to_filter(self) -> resolvers.DemandFilter:
        return resolvers.DemandFilter(
            district_id=decode_id(self.district_id, District),
            town_id=decode_id(self.town_id, Town),
            station_id=decode_id(self.station_id, Station),
            category_id=decode_id(self.category_id, Category),
            audience=self.audience,
            urgency=self.urgency,
            status=self.status,
            search=self.search,
        )


def resource_ordering(order: ResourceOrder | None):
    return catalog_ordering(ResourceRow, order)


def project_ordering(order: ProjectOrder | None):
    return catalog_ordering(ProjectRow, order)


def demand_ordering(order: DemandOrder | None):
    if order is None:
        return resolvers.demand_ordering()
    return resolvers.demand_ordering(order.field, order.direction is OrderDirection.DESC)


@strawberry.type(
    description="Something a provider can offer (资源清单): a venue, funds, experts, volunteers…"
)
class Resource(RowNode):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="The resource code.")
    name: str = strawberry.field(description="The name.")
    description: str = strawberry.field(description="What it is and how it can be used.")
    kind: ResourceKindEnum = strawberry.field(description="What kind of resource it is.")  # type: ignore[valid-type]
    tier: TierEnum = strawberry.field(description="The livelihood tier it serves.")  # type: ignore[valid-type]
    audiences: list[AudienceEnum] = strawberry.field(description="Who it is meant for.")  # type: ignore[valid-type]
    quantity: Decimal = strawberry.field(description="How much of it there is, in `unit`.")
    unit: str = strawberry.field(description="The unit of `quantity`, e.g. 平方米, 万元, 人.")
    availability: AvailabilityEnum = strawberry.field(description="Whether it can be used now.")  # type: ignore[valid-type]
    availability_note: str = strawberry.field(
        description="When or how it is available, e.g. 工作日 9:00-17:00."
    )
    status: PublicationStatusEnum = strawberry.field(description="Whether it is offered.")  # type: ignore[valid-type]
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    provider_id: strawberry.Private[int]
    category_id: strawberry.Private[int]

    @classmethod
    def loader(cls, info: Info):
        return resolvers.resource_loader(info.context)

    @strawberry.field(description="The provider that offers it.")
    async def provider(self, info: Info) -> Provider:
        return await Provider.load(info, self.provider_id)

    @strawberry.field(description="The category it belongs to.")
    async def category(self, info: Info) -> Category:
        return await Category.load(info, self.category_id)

    @strawberry.field(description="The published projects that use it.")
    async def projects(
        self,
        info: Info,
        filter: ProjectFilter | None = None,
        order_by: ProjectOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> ProjectConnection:
        f = filter.to_filter() if filter else resolvers.ProjectFilter()
        page = await resolvers.projects_of_resource(
            info.context,
            self.id,
            f,
            project_ordering(order_by),
            page_request(info, first, after, last, before),
        )
        return ProjectConnection.from_page(page, Project.from_row)


@strawberry.type(description="A packaged, deliverable project of a provider (项目清单).")
class Project(RowNode):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="The project code.")
    name: str = strawberry.field(description="The name.")
    description: str = strawberry.field(description="What the project delivers.")
    tier: TierEnum = strawberry.field(description="The livelihood tier it serves.")  # type: ignore[valid-type]
    audiences: list[AudienceEnum] = strawberry.field(description="Who it is meant for.")  # type: ignore[valid-type]
    capacity_per_period: int | None = strawberry.field(
        description="How many orders it takes per period; null when unlimited."
    )
    capacity_period: CapacityPeriodEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="The period the capacity applies to; null when unlimited."
    )
    requires_three_meetings: bool = strawberry.field(
        description="Whether ordering it needs the three meetings (三会), starting with an approving hearing."
    )
    status: PublicationStatusEnum = strawberry.field(description="Whether it is offered.")  # type: ignore[valid-type]
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    provider_id: strawberry.Private[int]
    category_id: strawberry.Private[int]

    @classmethod
    def loader(cls, info: Info):
        return resolvers.project_loader(info.context)

    @strawberry.field(description="The provider that delivers it.")
    async def provider(self, info: Info) -> Provider:
        return await Provider.load(info, self.provider_id)

    @strawberry.field(description="The category it belongs to.")
    async def category(self, info: Info) -> Category:
        return await Category.load(info, self.category_id)

    @strawberry.field(description="The published resources it uses.")
    async def resources(
        self,
        info: Info,
        filter: ResourceFilter | None = None,
        order_by: ResourceOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> ResourceConnection:
        f = filter.to_filter() if filter else resolvers.ResourceFilter()
        page = await resolvers.resources_of_project(
            info.context,
            self.id,
            f,
            resource_ordering(order_by),
            page_request(info, first, after, last, before),
        )
        return ResourceConnection.from_page(page, Resource.from_row)


@strawberry.type(description="A need a station has posted (需求清单).")
class Demand(RowNode):
    id: relay.NodeID[int]
    title: str = strawberry.field(description="A short title.")
    description: str = strawberry.field(description="What is needed, for whom and why.")
    audiences: list[AudienceEnum] = strawberry.field(description="Who would benefit.")  # type: ignore[valid-type]
    beneficiaries: int = strawberry.field(description="How many residents would benefit.")
    urgency: UrgencyEnum = strawberry.field(description="How urgent it is.")  # type: ignore[valid-type]
    status: DemandStatusEnum = strawberry.field(description="Where it stands.")  # type: ignore[valid-type]
    posted_at: datetime = strawberry.field(description="When it was posted.")
    station_id: strawberry.Private[int]
    category_id: strawberry.Private[int]

    @classmethod
    def loader(cls, info: Info):
        return resolvers.demand_loader(info.context)

    @strawberry.field(description="The station that posted it.")
    async def station(self, info: Info) -> Station:
        return await Station.load(info, self.station_id)

    @strawberry.field(description="The category it belongs to.")
    async def category(self, info: Info) -> Category:
        return await Category.load(info, self.category_id)


@strawberry.type(description="A page of resources.")
class ResourceConnection(Connection[Resource], TierFacet, CategoryFacet):
    pass


@strawberry.type(description="A page of projects.")
class ProjectConnection(Connection[Project], TierFacet, CategoryFacet):
    pass


@strawberry.type(description="A page of demands.")
class DemandConnection(Connection[Demand], CategoryFacet):
    pass


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

    @strawberry.field(description="The resource list: published resources of providers.")
    async def resources(
        self,
        info: Info,
        filter: ResourceFilter | None = None,
        order_by: ResourceOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> ResourceConnection:
        f = filter.to_filter() if filter else resolvers.ResourceFilter()
        page = await resolvers.list_resources(
            info.context, f, resource_ordering(order_by), page_request(info, first, after, last, before)
        )
        return ResourceConnection.from_page(page, Resource.from_row)

    @strawberry.field(description="The project list: published projects of providers.")
    async def projects(
        self,
        info: Info,
        filter: ProjectFilter | None = None,
        order_by: ProjectOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> ProjectConnection:
        f = filter.to_filter() if filter else resolvers.ProjectFilter()
        page = await resolvers.list_projects(
            info.context, f, project_ordering(order_by), page_request(info, first, after, last, before)
        )
        return ProjectConnection.from_page(page, Project.from_row)

    @strawberry.field(description="The demand list: needs posted by stations, newest first by default.")
    async def demands(
        self,
        info: Info,
        filter: DemandFilter | None = None,
        order_by: DemandOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> DemandConnection:
        f = filter.to_filter() if filter else resolvers.DemandFilter()
        page = await resolvers.list_demands(
            info.context, f, demand_ordering(order_by), page_request(info, first, after, last, before)
        )
        return DemandConnection.from_page(page, Demand.from_row)
