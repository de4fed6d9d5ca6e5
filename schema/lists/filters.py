"""How the three lists are filtered and ordered: filter and sort inputs of their connections."""

from __future__ import annotations

import strawberry
from strawberry import relay

from models import Audience, Availability, DemandStatus, PublicationStatus, ResourceKind, Tier, Urgency
from resolvers.lists import proposals as proposal_resolvers
from resolvers.lists import queries as resolvers
from resolvers.lists.proposals import ProposalOrderField
from resolvers.lists.queries import DemandOrderField
from schema.catalog.filters import ENTRY_IDS, SEARCH_DESCRIPTION, STATUS_DESCRIPTION
from schema.catalog.types import Category
from schema.common import OrderDirection
from schema.connections import FilterInput, SortInput
from schema.inputs import fields_of
from schema.lists.types import Resource
from schema.places import District, Station, Town


@strawberry.input(description="How to order the proposals of a demand.")
class ProposalOrder(SortInput):
    field: ProposalOrderField = strawberry.field(description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="The direction.")
    ordering = staticmethod(proposal_resolvers.proposal_ordering)


@strawberry.input(description="How to order demands.")
class DemandOrder(SortInput):
    field: DemandOrderField = strawberry.field(description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="The direction.")
    ordering = staticmethod(resolvers.demand_ordering)


@strawberry.input(description="Which resources to list; all conditions must hold.")
class ResourceFilter(FilterInput):
    district_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Resources of this district's providers."
    )
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Resources of this provider."
    )
    category_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Resources in this category or any category below it."
    )
    tier: Tier | None = strawberry.field(default=None, description="Resources of this tier.")
    audience: Audience | None = strawberry.field(
        default=None, description="Resources meant for this audience, including those meant for everyone."
    )
    kind: ResourceKind | None = strawberry.field(default=None, description="Resources of this kind.")
    availability: Availability | None = strawberry.field(
        default=None, description="Resources with this availability."
    )
    status: PublicationStatus | None = strawberry.field(default=None, description=STATUS_DESCRIPTION)
    search: str | None = strawberry.field(default=None, description=SEARCH_DESCRIPTION)

    def to_filter(self) -> resolvers.ResourceFilter:
        return fields_of(self, resolvers.ResourceFilter, ids=ENTRY_IDS)


@strawberry.input(description="Which projects to list; all conditions must hold.")
class ProjectFilter(FilterInput):
    district_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Projects of this district's providers."
    )
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Projects of this provider."
    )
    category_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Projects in this category or any category below it."
    )
    tier: Tier | None = strawberry.field(default=None, description="Projects of this tier.")
    audience: Audience | None = strawberry.field(
        default=None, description="Projects meant for this audience, including those meant for everyone."
    )
    requires_three_meetings: bool | None = strawberry.field(
        default=None, description="Projects that do (or do not) require the three meetings (三会)."
    )
    resource_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Projects using this resource."
    )
    status: PublicationStatus | None = strawberry.field(default=None, description=STATUS_DESCRIPTION)
    search: str | None = strawberry.field(default=None, description=SEARCH_DESCRIPTION)

    def to_filter(self) -> resolvers.ProjectFilter:
        return fields_of(self, resolvers.ProjectFilter, ids={**ENTRY_IDS, "resource_id": Resource})


@strawberry.input(description="Which demands to list; all conditions must hold.")
class DemandFilter(FilterInput):
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
    audience: Audience | None = strawberry.field(
        default=None, description="Demands of this audience, including those of everyone."
    )
    urgency: Urgency | None = strawberry.field(default=None, description="Demands of this urgency.")
    status: DemandStatus | None = strawberry.field(default=None, description="Demands in this status.")
    search: str | None = strawberry.field(
        default=None, description="Words the title or description contains (Chinese works), all of them."
    )

    def to_filter(self) -> resolvers.DemandFilter:
        return fields_of(
            self,
            resolvers.DemandFilter,
            ids={"district_id": District, "town_id": Town, "station_id": Station, "category_id": Category},
        )
