"""GraphQL types of the three lists: resources, projects and demands."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import partial

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import Audience as AudienceEnum
from models import Availability, DemandStatus, ResourceKind
from models import CapacityPeriod as CapacityPeriodEnum
from models import Project as ProjectRow
from models import PublicationStatus as PublicationStatusEnum
from models import Resource as ResourceRow
from models import Tier as TierEnum
from models import Urgency as UrgencyEnum
from resolvers import lists as resolvers
from resolvers.catalog.queries import catalog_ordering
from resolvers.lists import DemandOrderField, ProposalOrderField, SuggestionReason
from schema.accounts import User
from schema.catalog.filters import ServiceOrder
from schema.catalog.inputs import TimeLimitInput, time_limit_overrides
from schema.catalog.types import (
    Category,
    CategoryFacet,
    Provider,
    Publishable,
    TierFacet,
    TimeLimit,
    time_limits_of,
)
from schema.common import Connection, OrderDirection, RowNode, decode_id, describe_enum
from schema.connections import SortInput, page_request
from schema.inputs import changes_of
from schema.payloads import UserError, attempt
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
ProposalOrderFieldEnum = describe_enum(
    ProposalOrderField,
    "What the proposals of a demand can be ordered by.",
    {"CREATED_AT": "When the proposal was made."},
)
SuggestionReasonEnum = describe_enum(
    SuggestionReason,
    "Why a project or resource is suggested for a demand.",
    {
        "IN_CATEGORY": "It is filed in the demand's category or one below it.",
        "IN_MAJOR_CATEGORY": "It is filed elsewhere in the demand's major category.",
        "SHARED_AUDIENCE": "It is meant for some of the demand's audiences.",
        "FOR_EVERYONE": "It (or the demand) is meant for everyone: a partial audience match.",
        "SAME_TIER": "It serves the livelihood tier the demand is filed under.",
        "SIMILAR_TEXT": "Its name or description shares words with the demand's title.",
    },
)
DemandOrderFieldEnum = describe_enum(
    DemandOrderField,
    "What demands can be ordered by.",
    {"POSTED_AT": "When the demand was posted.", "TITLE": "The title."},
)
ResourceOrder = ServiceOrder
ProjectOrder = ServiceOrder


@strawberry.input(description="How to order the proposals of a demand.")
class ProposalOrder:
    field: ProposalOrderFieldEnum = strawberry.field(description="The field to order by.")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="The direction.")


@strawberry.input(description="How to order demands.")
class DemandOrder(SortInput):
    field: DemandOrderFieldEnum = strawberry.field(description="The field to order by.")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="The direction.")
    ordering = staticmethod(resolvers.demand_ordering)


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
    return ResourceOrder.to_ordering(order, partial(catalog_ordering, ResourceRow))


def project_ordering(order: ProjectOrder | None):
    return ProjectOrder.to_ordering(order, partial(catalog_ordering, ProjectRow))


def proposal_ordering(order: ProposalOrder | None):
    if order is None:
        return resolvers.proposal_ordering()
    return resolvers.proposal_ordering(order.field, order.direction is OrderDirection.DESC)


def demand_ordering(order: DemandOrder | None):
    if order is None:
        return resolvers.demand_ordering()
    return resolvers.demand_ordering(order.field, order.direction is OrderDirection.DESC)


@strawberry.type(
    description="Something a provider can offer (资源清单): a venue, funds, experts, volunteers…"
)
class Resource(RowNode, Publishable):
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
        return ProjectConnection.from_page(page)


@strawberry.type(description="A packaged, deliverable project of a provider (项目清单).")
class Project(RowNode, Publishable):
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

    time_limit_overrides: strawberry.Private[dict[str, tuple[int | None, int | None]]]

    @classmethod
    def loader(cls, info: Info):
        return resolvers.project_loader(info.context)

    @strawberry.field(description="How long its provider has to answer and deliver orders, by urgency.")
    def time_limits(self) -> list[TimeLimit]:
        return time_limits_of(self.time_limit_overrides)

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
        return ResourceConnection.from_page(page)


@strawberry.type(description="A need a station has posted (需求清单).")
class Demand(RowNode):
    id: relay.NodeID[int]
    title: str = strawberry.field(description="A short title.")
    description: str = strawberry.field(description="What is needed, for whom and why.")
    audiences: list[AudienceEnum] = strawberry.field(description="Who would benefit.")  # type: ignore[valid-type]
    beneficiaries: int = strawberry.field(description="How many residents would benefit.")
    urgency: UrgencyEnum = strawberry.field(description="How urgent it is.")  # type: ignore[valid-type]
    tier: TierEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="The livelihood tier the station files the need under; null when not given."
    )
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

    @strawberry.field(description="What providers have offered for it, first offer first by default.")
    async def proposals(
        self,
        info: Info,
        order_by: ProposalOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> DemandProposalConnection:
        page = await resolvers.proposals_of_demand(
            info.context, self.id, proposal_ordering(order_by), page_request(info, first, after, last, before)
        )
        return DemandProposalConnection.from_page(page)

    @strawberry.field(
        description="Published projects and resources of the demand's district that fit it, best first: "
        "by category (its own before its major category), audience (everyone counts in part), tier and "
        "the words of its title."
    )
    async def suggestions(self, info: Info, first: int = 5) -> list[DemandSuggestion]:
        suggestions = await resolvers.suggestions_for_demand(info.context, self.id, first)
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
    def loader(cls, info: Info):
        return resolvers.proposal_loader(info.context)

    @strawberry.field(description="The demand it answers.")
    async def demand(self, info: Info) -> Demand:
        return await Demand.load(info, self.demand_id)

    @strawberry.field(description="The provider offering it.")
    async def provider(self, info: Info) -> Provider:
        return await Provider.load(info, self.provider_id)

    @strawberry.field(
        description="The project offered, when a project is; null too once it is no longer visible to you."
    )
    async def project(self, info: Info) -> Project | None:
        return await Project.load(info, self.project_id)

    @strawberry.field(
        description="The resource offered, when a resource is; null too once it is no longer visible to you."
    )
    async def resource(self, info: Info) -> Resource | None:
        return await Resource.load(info, self.resource_id)

    @strawberry.field(
        description="The account that made the offer; visible to administrators and to its owner, else null."
    )
    async def created_by(self, info: Info) -> User | None:
        return await User.load(info, self.created_by_id)


@strawberry.type(description="A project or resource that fits a demand, with how well and why.")
class DemandSuggestion:
    score: float = strawberry.field(
        description="How well it fits, up to 12: category 4 (2 for the major category only), audience 3 "
        "(1 for everyone), tier 1, words of the title 4."
    )
    reasons: list[SuggestionReasonEnum] = strawberry.field(description="Why it fits.")  # type: ignore[valid-type]
    project_id: strawberry.Private[int | None]
    resource_id: strawberry.Private[int | None]

    @classmethod
    def of(cls, suggestion: resolvers.Suggestion) -> DemandSuggestion:
        return cls(
            score=suggestion.score,
            reasons=list(suggestion.reasons),
            project_id=suggestion.project_id,
            resource_id=suggestion.resource_id,
        )

    @strawberry.field(description="The project suggested; null when a resource is.")
    async def project(self, info: Info) -> Project | None:
        return await Project.load(info, self.project_id)

    @strawberry.field(description="The resource suggested; null when a project is.")
    async def resource(self, info: Info) -> Resource | None:
        return await Resource.load(info, self.resource_id)


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
        return ResourceConnection.from_page(page)

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
        return ProjectConnection.from_page(page)

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
        return DemandConnection.from_page(page)


KEEP = "Left out, it keeps its value."


def decode_resources(values: list[relay.GlobalID] | None) -> list[int]:
    return [decode_id(value, Resource) for value in values or []]


@strawberry.input(description="A new resource. It starts as a DRAFT, seen only by its provider.")
class CreateResourceInput:
    code: str = strawberry.field(description="The resource code, unique: letters, digits, `-`, `_`, `.`.")
    name: str = strawberry.field(description="The name, at most 200 characters.")
    category_id: relay.GlobalID = strawberry.field(description="The category it belongs to.")
    kind: ResourceKindEnum = strawberry.field(description="What kind of resource it is.")  # type: ignore[valid-type]
    tier: TierEnum = strawberry.field(description="The livelihood tier it serves.")  # type: ignore[valid-type]
    audiences: list[AudienceEnum] = strawberry.field(description="Who it is meant for; at least one.")  # type: ignore[valid-type]
    quantity: Decimal = strawberry.field(description="How much there is, in `unit`: 0 or more, two decimals.")
    unit: str = strawberry.field(description="The unit of `quantity`, e.g. 平方米; at most 20 characters.")
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The provider offering it: required from administrators; provider staff may leave it "
        "out (it is their own).",
    )
    description: str = strawberry.field(default="", description="What it is, at most 5,000 characters.")
    availability: AvailabilityEnum = strawberry.field(  # type: ignore[valid-type]
        default=Availability.AVAILABLE, description="Whether it can be used now."
    )
    availability_note: str = strawberry.field(
        default="", description="When or how it is available, at most 200 characters."
    )

    def to_fields(self) -> resolvers.ResourceFields:
        return resolvers.ResourceFields(
            **changes_of(self, skip=("provider_id",), ids={"category_id": Category})
        )


@strawberry.input(description="Changes to a resource: only the fields given change.")
class UpdateResourceInput:
    resource_id: relay.GlobalID = strawberry.field(description="The resource to change.")
    code: str | None = strawberry.field(default=strawberry.UNSET, description=f"The code. {KEEP}")
    name: str | None = strawberry.field(default=strawberry.UNSET, description=f"The name. {KEEP}")
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"What it is; null empties it. {KEEP}"
    )
    category_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description=f"The category. {KEEP}"
    )
    kind: ResourceKindEnum | None = strawberry.field(
        default=strawberry.UNSET, description=f"The kind. {KEEP}"
    )  # type: ignore[valid-type]
    tier: TierEnum | None = strawberry.field(default=strawberry.UNSET, description=f"The tier. {KEEP}")  # type: ignore[valid-type]
    audiences: list[AudienceEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description=f"Who it is meant for, replacing the list. {KEEP}"
    )
    quantity: Decimal | None = strawberry.field(default=strawberry.UNSET, description=f"How much. {KEEP}")
    unit: str | None = strawberry.field(default=strawberry.UNSET, description=f"The unit. {KEEP}")
    availability: AvailabilityEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description=f"Whether it can be used now. {KEEP}"
    )
    availability_note: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"When or how it is available; null empties it. {KEEP}"
    )


@strawberry.input(description="A resource and the status to move it to.")
class SetResourceStatusInput:
    resource_id: relay.GlobalID = strawberry.field(description="The resource.")
    status: PublicationStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="The new status; `nextStatuses` of the resource lists the allowed ones."
    )


@strawberry.type(description="The result of creating a resource.")
class CreateResourcePayload:
    resource: Resource | None = strawberry.field(description="The new resource, a draft.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was created; empty on success.")


@strawberry.type(description="The result of changing a resource.")
class UpdateResourcePayload:
    resource: Resource | None = strawberry.field(description="The resource as changed.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.type(description="The result of moving a resource to another status.")
class SetResourceStatusPayload:
    resource: Resource | None = strawberry.field(description="The resource in its new status.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.input(description="A new project. It starts as a DRAFT, seen only by its provider.")
class CreateProjectInput:
    code: str = strawberry.field(description="The project code, unique: letters, digits, `-`, `_`, `.`.")
    name: str = strawberry.field(description="The name, at most 200 characters.")
    category_id: relay.GlobalID = strawberry.field(description="The category it belongs to.")
    tier: TierEnum = strawberry.field(description="The livelihood tier it serves.")  # type: ignore[valid-type]
    audiences: list[AudienceEnum] = strawberry.field(description="Who it is meant for; at least one.")  # type: ignore[valid-type]
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The provider delivering it: required from administrators; provider staff may leave it "
        "out (it is their own).",
    )
    description: str = strawberry.field(default="", description="What it delivers, at most 5,000 characters.")
    capacity_per_period: int | None = strawberry.field(
        default=None,
        description="Orders it takes per period, 1 to 100,000; null with no period for no limit.",
    )
    capacity_period: CapacityPeriodEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="The period of the capacity; given exactly when the capacity is."
    )
    requires_three_meetings: bool = strawberry.field(
        default=False, description="Whether ordering it needs the three meetings (三会)."
    )
    resource_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list,
        description="The resources it uses: its own provider's, not retired; at most 50.",
    )
    time_limit_overrides: list[TimeLimitInput] | None = strawberry.field(
        name="timeLimits", default=None, description="Time limits of orders that differ from the defaults."
    )

    def to_fields(self) -> resolvers.ProjectFields:
        return resolvers.ProjectFields(
            **changes_of(
                self,
                skip=("provider_id", "resource_ids"),
                ids={"category_id": Category},
                time_limit_overrides=time_limit_overrides,
            )
        )


@strawberry.input(description="Changes to a project: only the fields given change.")
class UpdateProjectInput:
    project_id: relay.GlobalID = strawberry.field(description="The project to change.")
    code: str | None = strawberry.field(default=strawberry.UNSET, description=f"The code. {KEEP}")
    name: str | None = strawberry.field(default=strawberry.UNSET, description=f"The name. {KEEP}")
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"What it delivers; null empties it. {KEEP}"
    )
    category_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description=f"The category. {KEEP}"
    )
    tier: TierEnum | None = strawberry.field(default=strawberry.UNSET, description=f"The tier. {KEEP}")  # type: ignore[valid-type]
    audiences: list[AudienceEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description=f"Who it is meant for, replacing the list. {KEEP}"
    )
    capacity_per_period: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"Orders per period; null (with the period) for no limit. {KEEP}",
    )
    capacity_period: CapacityPeriodEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description=f"The period of the capacity. {KEEP}"
    )
    requires_three_meetings: bool | None = strawberry.field(
        default=strawberry.UNSET, description=f"Whether ordering it needs the three meetings. {KEEP}"
    )
    resource_ids: list[relay.GlobalID] | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"The resources it uses, replacing them all; null or [] for none. {KEEP}",
    )
    time_limit_overrides: list[TimeLimitInput] | None = strawberry.field(
        name="timeLimits",
        default=strawberry.UNSET,
        description=f"Time limits of orders that differ from the defaults, replacing all earlier ones; "
        f"null or empty restores the defaults. {KEEP}",
    )


@strawberry.input(description="A project and the status to move it to.")
class SetProjectStatusInput:
    project_id: relay.GlobalID = strawberry.field(description="The project.")
    status: PublicationStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="The new status; `nextStatuses` of the project lists the allowed ones."
    )


@strawberry.type(description="The result of creating a project.")
class CreateProjectPayload:
    project: Project | None = strawberry.field(description="The new project, a draft.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was created; empty on success.")


@strawberry.type(description="The result of changing a project.")
class UpdateProjectPayload:
    project: Project | None = strawberry.field(description="The project as changed.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.type(description="The result of moving a project to another status.")
class SetProjectStatusPayload:
    project: Project | None = strawberry.field(description="The project in its new status.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.input(description="A new demand of a station. It is posted OPEN.")
class PostDemandInput:
    title: str = strawberry.field(description="A short title, at most 200 characters.")
    category_id: relay.GlobalID = strawberry.field(description="The category of the need.")
    audiences: list[AudienceEnum] = strawberry.field(description="Who would benefit; at least one.")  # type: ignore[valid-type]
    beneficiaries: int = strawberry.field(description="How many residents would benefit, 1 to 100,000.")
    urgency: UrgencyEnum = strawberry.field(description="How urgent it is.")  # type: ignore[valid-type]
    station_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The station posting it: required from administrators; station staff may leave it out "
        "(it is their own).",
    )
    description: str = strawberry.field(
        default="", description="What is needed, for whom and why; at most 5,000 characters."
    )
    tier: TierEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="The livelihood tier the need falls under, when known."
    )

    def to_fields(self) -> resolvers.DemandFields:
        return resolvers.DemandFields(**changes_of(self, skip=("station_id",), ids={"category_id": Category}))


@strawberry.input(description="Changes to an open or matched demand: only the fields given change.")
class UpdateDemandInput:
    demand_id: relay.GlobalID = strawberry.field(description="The demand to change.")
    title: str | None = strawberry.field(default=strawberry.UNSET, description=f"The title. {KEEP}")
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"What is needed; null empties it. {KEEP}"
    )
    category_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description=f"The category. {KEEP}"
    )
    audiences: list[AudienceEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description=f"Who would benefit, replacing the list. {KEEP}"
    )
    beneficiaries: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"How many residents would benefit. {KEEP}"
    )
    urgency: UrgencyEnum | None = strawberry.field(
        default=strawberry.UNSET, description=f"The urgency. {KEEP}"
    )  # type: ignore[valid-type]
    tier: TierEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description=f"The livelihood tier; null when not known. {KEEP}"
    )


@strawberry.input(description="A demand to withdraw.")
class CloseDemandInput:
    demand_id: relay.GlobalID = strawberry.field(description="The demand; open, matched or in progress.")


@strawberry.type(description="The result of posting a demand.")
class PostDemandPayload:
    demand: Demand | None = strawberry.field(description="The new demand, OPEN.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was posted; empty on success.")


@strawberry.type(description="The result of changing a demand.")
class UpdateDemandPayload:
    demand: Demand | None = strawberry.field(description="The demand as changed.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.type(description="The result of closing a demand.")
class CloseDemandPayload:
    demand: Demand | None = strawberry.field(description="The demand, now CLOSED.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.input(description="An offer of one published project or resource for a demand.")
class ProposeForDemandInput:
    demand_id: relay.GlobalID = strawberry.field(description="The demand, open or matched.")
    project_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The project offered; give it or `resourceId`, not both."
    )
    resource_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The resource offered; give it or `projectId`, not both."
    )
    note: str = strawberry.field(default="", description="A word to the station, at most 2,000 characters.")


@strawberry.type(description="The result of proposing for a demand.")
class ProposeForDemandPayload:
    proposal: DemandProposal | None = strawberry.field(description="The new proposal.")
    demand: Demand | None = strawberry.field(description="The demand, now MATCHED if it was OPEN.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was proposed; empty on success.")


@strawberry.type
class ListsMutation:
    @strawberry.mutation(
        description="Create a resource as a draft (provider staff for their provider, administrators for any)."
    )
    async def create_resource(self, info: Info, input: CreateResourceInput) -> CreateResourcePayload:
        resource, errors = await attempt(
            resolvers.create_resource(info.context, input.to_fields(), decode_id(input.provider_id, Provider))
        )
        return CreateResourcePayload(
            resource=Resource.from_row(resource) if resource else None,
            user_errors=[UserError.from_error(error) for error in errors],
        )

    @strawberry.mutation(
        description="Change some fields of a resource (its provider's staff, administrators)."
    )
    async def update_resource(self, info: Info, input: UpdateResourceInput) -> UpdateResourcePayload:
        changes = changes_of(input, skip=("resource_id",), ids={"category_id": Category})
        resource, errors = await attempt(
            resolvers.update_resource(info.context, decode_id(input.resource_id, Resource), changes)
        )
        return UpdateResourcePayload(
            resource=Resource.from_row(resource) if resource else None,
            user_errors=[UserError.from_error(error) for error in errors],
        )

    @strawberry.mutation(
        description="Publish, suspend or retire a resource (its provider's staff, administrators)."
    )
    async def set_resource_status(
        self, info: Info, input: SetResourceStatusInput
    ) -> SetResourceStatusPayload:
        resource, errors = await attempt(
            resolvers.set_resource_status(info.context, decode_id(input.resource_id, Resource), input.status)
        )
        return SetResourceStatusPayload(
            resource=Resource.from_row(resource) if resource else None,
            user_errors=[UserError.from_error(error) for error in errors],
        )

    @strawberry.mutation(
        description="Create a project as a draft (provider staff for their provider, administrators for any)."
    )
    async def create_project(self, info: Info, input: CreateProjectInput) -> CreateProjectPayload:
        project, errors = await attempt(
            resolvers.create_project(
                info.context,
                input.to_fields(),
                decode_resources(input.resource_ids),
                decode_id(input.provider_id, Provider),
            )
        )
        return CreateProjectPayload(
            project=Project.from_row(project) if project else None,
            user_errors=[UserError.from_error(error) for error in errors],
        )

    @strawberry.mutation(
        description="Change some fields of a project, or replace its resources (its provider's staff, "
        "administrators)."
    )
    async def update_project(self, info: Info, input: UpdateProjectInput) -> UpdateProjectPayload:
        changes = changes_of(
            input,
            skip=("project_id", "resource_ids"),
            ids={"category_id": Category},
            time_limit_overrides=time_limit_overrides,
        )
        resource_ids = (
            None if input.resource_ids is strawberry.UNSET else decode_resources(input.resource_ids)
        )
        project, errors = await attempt(
            resolvers.update_project(
                info.context, decode_id(input.project_id, Project), changes, resource_ids
            )
        )
        return UpdateProjectPayload(
            project=Project.from_row(project) if project else None,
            user_errors=[UserError.from_error(error) for error in errors],
        )

    @strawberry.mutation(
        description="Publish, suspend or retire a project (its provider's staff, administrators)."
    )
    async def set_project_status(self, info: Info, input: SetProjectStatusInput) -> SetProjectStatusPayload:
        project, errors = await attempt(
            resolvers.set_project_status(info.context, decode_id(input.project_id, Project), input.status)
        )
        return SetProjectStatusPayload(
            project=Project.from_row(project) if project else None,
            user_errors=[UserError.from_error(error) for error in errors],
        )

    @strawberry.mutation(
        description="Post a demand (station staff for their station, administrators for any station)."
    )
    async def post_demand(self, info: Info, input: PostDemandInput) -> PostDemandPayload:
        demand, errors = await attempt(
            resolvers.post_demand(info.context, input.to_fields(), decode_id(input.station_id, Station))
        )
        return PostDemandPayload(
            demand=Demand.from_row(demand) if demand else None,
            user_errors=[UserError.from_error(error) for error in errors],
        )

    @strawberry.mutation(
        description="Change some fields of an open or matched demand (its station's staff, administrators)."
    )
    async def update_demand(self, info: Info, input: UpdateDemandInput) -> UpdateDemandPayload:
        changes = changes_of(input, skip=("demand_id",), ids={"category_id": Category})
        demand, errors = await attempt(
            resolvers.update_demand(info.context, decode_id(input.demand_id, Demand), changes)
        )
        return UpdateDemandPayload(
            demand=Demand.from_row(demand) if demand else None,
            user_errors=[UserError.from_error(error) for error in errors],
        )

    @strawberry.mutation(description="Withdraw a demand (its station's staff, administrators).")
    async def close_demand(self, info: Info, input: CloseDemandInput) -> CloseDemandPayload:
        demand, errors = await attempt(
            resolvers.close_demand(info.context, decode_id(input.demand_id, Demand))
        )
        return CloseDemandPayload(
            demand=Demand.from_row(demand) if demand else None,
            user_errors=[UserError.from_error(error) for error in errors],
        )

    @strawberry.mutation(
        description="Offer a published project or resource of your provider for a demand you see "
        "(provider staff; administrators for the item's provider). An OPEN demand becomes MATCHED."
    )
    async def propose_for_demand(self, info: Info, input: ProposeForDemandInput) -> ProposeForDemandPayload:
        result, errors = await attempt(
            resolvers.propose_for_demand(
                info.context,
                decode_id(input.demand_id, Demand),
                project_id=decode_id(input.project_id, Project),
                resource_id=decode_id(input.resource_id, Resource),
                note=input.note,
            )
        )
        if result is None:
            return ProposeForDemandPayload(
                proposal=None, demand=None, user_errors=[UserError.from_error(error) for error in errors]
            )
        proposal, demand = result
        return ProposeForDemandPayload(
            proposal=DemandProposal.from_row(proposal), demand=Demand.from_row(demand), user_errors=[]
        )
