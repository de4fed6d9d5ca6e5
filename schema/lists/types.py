"""GraphQL types of the three lists: resources, projects, demands, proposals and suggestions."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

import schema.lists.enums  # noqa: F401  # describes the model enums the fields below annotate
from models import (
    Audience,
    Availability,
    CapacityPeriod,
    DemandAction,
    DemandStatus,
    PublicationStatus,
    ResourceKind,
    Role,
    Tier,
    Urgency,
)
from resolvers.lists import demands as demand_resolvers
from resolvers.lists import proposals as proposal_resolvers
from resolvers.lists import queries as resolvers
from resolvers.lists.suggestions import Suggestion, SuggestionReason, suggestions_for_demand
from schema.accounts import User
from schema.catalog.filters import ServiceOrder
from schema.catalog.types import (
    Category,
    CategoryFacet,
    Provider,
    ProviderEntry,
    TierFacet,
    TimeLimited,
    time_limits_field,
)
from schema.common import Connection, RowNode, related_field
from schema.connections import connection_field, lazy
from schema.places import Station

if TYPE_CHECKING:
    from schema.orders.types import Order

FILTERS = "schema.lists.filters"


@strawberry.type(
    description="Something a provider can offer (资源清单): a venue, funds, experts, volunteers…"
)
class Resource(ProviderEntry):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="The resource code.")
    name: str = strawberry.field(description="The name.")
    description: str = strawberry.field(description="What it is and how it can be used.")
    kind: ResourceKind = strawberry.field(description="What kind of resource it is.")
    tier: Tier = strawberry.field(description="The livelihood tier it serves.")
    audiences: list[Audience] = strawberry.field(description="Who it is meant for.")
    quantity: Decimal = strawberry.field(description="How much of it there is, in `unit`.")
    unit: str = strawberry.field(description="The unit of `quantity`, e.g. 平方米, 万元, 人.")
    availability: Availability = strawberry.field(description="Whether it can be used now.")
    availability_note: str = strawberry.field(
        description="When or how it is available, e.g. 工作日 9:00-17:00."
    )
    status: PublicationStatus = strawberry.field(description="Whether it is offered.")
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.resource_loader(info.context)

    provider = related_field(Provider, "provider_id", description="The provider that offers it.")
    category = related_field(Category, "category_id", description="The category it belongs to.")

    projects = connection_field(
        lazy("ProjectConnection", __name__),
        resolvers.projects_of_resource,
        description="The published projects that use it.",
        filter=lazy("ProjectFilter", FILTERS),
        sort=ServiceOrder,
        parent=lambda resource: resource.id,
        ordering=resolvers.project_ordering,
    )


@strawberry.type(description="A packaged, deliverable project of a provider (项目清单).")
class Project(ProviderEntry, TimeLimited):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="The project code.")
    name: str = strawberry.field(description="The name.")
    description: str = strawberry.field(description="What the project delivers.")
    tier: Tier = strawberry.field(description="The livelihood tier it serves.")
    audiences: list[Audience] = strawberry.field(description="Who it is meant for.")
    capacity_per_period: int | None = strawberry.field(
        description="How many orders it takes per period; null when unlimited."
    )
    capacity_period: CapacityPeriod | None = strawberry.field(
        description="The period the capacity applies to; null when unlimited."
    )
    requires_three_meetings: bool = strawberry.field(
        description="Whether ordering it needs the three meetings (三会), starting with an approving hearing."
    )
    status: PublicationStatus = strawberry.field(description="Whether it is offered.")
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.project_loader(info.context)

    time_limits = time_limits_field()
    provider = related_field(Provider, "provider_id", description="The provider that delivers it.")
    category = related_field(Category, "category_id", description="The category it belongs to.")

    resources = connection_field(
        lazy("ResourceConnection", __name__),
        resolvers.resources_of_project,
        description="The published resources it uses.",
        filter=lazy("ResourceFilter", FILTERS),
        sort=ServiceOrder,
        parent=lambda project: project.id,
        ordering=resolvers.resource_ordering,
    )


@strawberry.type(description="A need a station has posted (需求清单).")
class Demand(RowNode):
    id: relay.NodeID[int]
    title: str = strawberry.field(description="A short title.")
    description: str = strawberry.field(description="What is needed, for whom and why.")
    audiences: list[Audience] = strawberry.field(description="Who would benefit.")
    beneficiaries: int = strawberry.field(description="How many residents would benefit.")
    urgency: Urgency = strawberry.field(description="How urgent it is.")
    tier: Tier | None = strawberry.field(
        description="The livelihood tier the station files the need under; null when not given."
    )
    status: DemandStatus = strawberry.field(description="Where it stands.")
    posted_at: datetime = strawberry.field(description="When it was posted.")
    station_id: strawberry.Private[int]
    category_id: strawberry.Private[int]

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.demand_loader(info.context)

    station = related_field(Station, "station_id", description="The station that posted it.")
    category = related_field(Category, "category_id", description="The category it belongs to.")

    proposals = connection_field(
        lazy("DemandProposalConnection", __name__),
        proposal_resolvers.proposals_of_demand,
        description="What providers have offered for it, first offer first by default.",
        sort=lazy("ProposalOrder", FILTERS),
        parent=lambda demand: demand.id,
    )

    history = connection_field(
        lazy("DemandEventConnection", __name__),
        demand_resolvers.history_of_demand,
        description="How it moved through its lifecycle, oldest first: posted, matched by an offer, in "
        "progress with its first order, resolved (by the evaluation of its last open order or by its staff) "
        "or closed, each with who and when.",
        parent=lambda demand: demand.id,
    )

    @strawberry.field(
        description="Published projects and resources of the demand's district that fit it, best first: "
        "by category (its own before its major category), audience (everyone counts in part), tier and "
        "the words of its title."
    )
    async def suggestions(self, info: Info, first: int = 5) -> list[DemandSuggestion]:
        suggestions = await suggestions_for_demand(info.context, self.id, first)
        return [DemandSuggestion.of(suggestion) for suggestion in suggestions]


@strawberry.type(description="A provider's offer of one of its projects or resources for a demand.")
class DemandProposal(RowNode):
    id: relay.NodeID[int]
    note: str = strawberry.field(description="What the provider says about the offer.")
    created_at: datetime = strawberry.field(description="When the offer was made.")
    demand_id: strawberry.Private[int]
    provider_id: strawberry.Private[int]
    project_id: strawberry.Private[int | None]
    resource_id: strawberry.Private[int | None]
    created_by_id: strawberry.Private[int]

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return proposal_resolvers.proposal_loader(info.context)

    demand = related_field(Demand, "demand_id", description="The demand it answers.")
    provider = related_field(Provider, "provider_id", description="The provider offering it.")
    project = related_field(
        Project,
        "project_id",
        description="The project offered, when a project is; null too once it is no longer visible to you.",
        optional=True,
    )
    resource = related_field(
        Resource,
        "resource_id",
        description="The resource offered, when a resource is; null too once it is no longer visible to you.",
        optional=True,
    )
    created_by = related_field(
        User,
        "created_by_id",
        description="The account that made the offer; visible to administrators and to its owner, else null.",
        optional=True,
    )


@strawberry.type(description="A project or resource that fits a demand, with how well and why.")
class DemandSuggestion:
    score: float = strawberry.field(
        description="How well it fits, up to 12: category 4 (2 for the major category only), audience 3 "
        "(1 for everyone), tier 1, words of the title 4."
    )
    reasons: list[SuggestionReason] = strawberry.field(description="Why it fits.")
    project_id: strawberry.Private[int | None]
    resource_id: strawberry.Private[int | None]

    @classmethod
    def of(cls, suggestion: Suggestion) -> DemandSuggestion:
        return cls(
            score=suggestion.score,
            reasons=list(suggestion.reasons),
            project_id=suggestion.project_id,
            resource_id=suggestion.resource_id,
        )

    project = related_field(
        Project, "project_id", description="The project suggested; null when a resource is.", optional=True
    )
    resource = related_field(
        Resource, "resource_id", description="The resource suggested; null when a project is.", optional=True
    )


@strawberry.type(description="A move of a demand through its lifecycle, kept forever in its history.")
class DemandEvent(RowNode):
    id: relay.NodeID[int]
    action: DemandAction = strawberry.field(description="What moved it.")
    from_status: DemandStatus | None = strawberry.field(
        description="The status before; null for the posting."
    )
    to_status: DemandStatus = strawberry.field(description="The status after.")
    actor_role: Role = strawberry.field(description="The role of who moved it.")
    reason: str = strawberry.field(
        description="The reason given (a resolution says how it was met); or empty."
    )
    occurred_at: datetime = strawberry.field(description="When it moved.")
    demand_id: strawberry.Private[int]
    actor_id: strawberry.Private[int]
    order_id: strawberry.Private[int | None]

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return demand_resolvers.demand_event_loader(info.context)

    demand = related_field(Demand, "demand_id", description="The demand it moved.")
    actor = related_field(
        User,
        "actor_id",
        description="Who moved it; visible to administrators and to its owner, else null.",
        optional=True,
    )

    @strawberry.field(
        description="The order whose placement or evaluation moved it; null for other moves or when not "
        "visible to you."
    )
    async def order(self, info: Info) -> Annotated[Order, strawberry.lazy("schema.orders.types")] | None:
        # Orders refer to demands, so their module imports this one: the type is looked up when asked for.
        from schema.orders.types import Order

        return await Order.load(info, self.order_id)


@strawberry.type(description="A page of a demand's moves, oldest first.")
class DemandEventConnection(Connection[DemandEvent]):
    pass


@strawberry.type(description="A page of proposals.")
class DemandProposalConnection(Connection[DemandProposal]):
    pass


@strawberry.type(description="A page of resources.")
class ResourceConnection(Connection[Resource], TierFacet, CategoryFacet):
    pass


@strawberry.type(description="A page of projects.")
class ProjectConnection(Connection[Project], TierFacet, CategoryFacet):
    pass


@strawberry.type(description="A page of demands.")
class DemandConnection(Connection[Demand], CategoryFacet):
    pass
