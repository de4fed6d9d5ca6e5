"""GraphQL types of providers, categories and the service catalog, and their connections."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Protocol

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

import schema.catalog.enums  # noqa: F401 - describes the model enums these types use
from models import Audience, CapacityPeriod, DeliveryMode, ProviderKind, PublicationStatus, Tier, Urgency
from resolvers.catalog import facets
from resolvers.catalog import queries as resolvers
from resolvers.editing import STATUS_CHANGES, TimeLimitOverrides
from resolvers.lists import queries as lists_resolvers
from resolvers.orders import queries as orders_resolvers
from resolvers.orders.deadlines import time_limit
from resolvers.pagination import Page
from schema.common import Connection, RowNode, bounded_list, related_field
from schema.connections import connection_field, lazy
from schema.places import District
from schema.statistics.figures import provider_rating_summary_field

# The most categories one list holds: the taxonomy has a few dozen.
MAX_CATEGORIES = 200


@strawberry.type(description="How long a provider has to answer and to deliver orders of one urgency.")
class TimeLimit:
    urgency: Urgency = strawberry.field(description="The urgency class.")
    response_hours: int = strawberry.field(description="Hours to accept or decline an order.")
    delivery_hours: int = strawberry.field(description="Hours to deliver it, from when work may begin.")
    is_default: bool = strawberry.field(
        description="Whether these are the urgency's defaults, not overridden."
    )


def time_limits_of(overrides: TimeLimitOverrides) -> list[TimeLimit]:
    """The limits in force for each urgency, overridden or default."""
    return [
        TimeLimit(
            urgency=urgency,
            response_hours=limit.response_hours,
            delivery_hours=limit.delivery_hours,
            is_default=urgency.name not in overrides,
        )
        for urgency in Urgency
        for limit in [time_limit(overrides, urgency)]
    ]


class HasStatus(Protocol):
    @property
    def status(self) -> PublicationStatus: ...


@strawberry.type(description="What a catalog entry's status allows next.")
class Publishable:
    # Each entry type declares `status` among its own fields, where the API lists it.
    @strawberry.field(
        description="The statuses the entry may move to next (for the buttons of a console): "
        "DRAFT → PUBLISHED or RETIRED, PUBLISHED ⇄ SUSPENDED, either → RETIRED; RETIRED is final."
    )
    def next_statuses(self: HasStatus) -> list[PublicationStatus]:
        return list(STATUS_CHANGES[self.status])


@strawberry.type(
    description="A district department or partner unit that offers services, resources and projects."
)
class Provider(RowNode):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="The provider's code.")
    name: str = strawberry.field(description="The full name, e.g. 浦东新区民政局.")
    short_name: str = strawberry.field(description="The short name, e.g. 区民政局.")
    kind: ProviderKind = strawberry.field(description="Department or kind of partner unit.")
    description: str = strawberry.field(description="What the provider does.")
    phone: str | None = strawberry.field(description="The contact phone number.")
    address: str | None = strawberry.field(description="The address.")
    district_id: strawberry.Private[int]

    needs: ClassVar[dict[str, tuple[str, ...]]] = {
        "services": (),
        "resources": (),
        "projects": (),
        "orders": (),
    }

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.provider_loader(info.context)

    district = related_field(District, "district_id", description="The district the provider serves.")
    rating_summary = provider_rating_summary_field()

    services = connection_field(
        lazy("ServiceConnection", __name__),
        resolvers.services_of_provider,
        description="The provider's published catalog services.",
        filter=lazy("ServiceFilter", "schema.catalog.filters"),
        sort=lazy("ServiceOrder", "schema.catalog.filters"),
        parent=lambda provider: provider.id,
    )
    resources = connection_field(
        lazy("ResourceConnection", "schema.lists.types"),
        lists_resolvers.resources_of_provider,
        description="The provider's published resources.",
        filter=lazy("ResourceFilter", "schema.lists.filters"),
        sort=lazy("ServiceOrder", "schema.catalog.filters"),
        ordering=lists_resolvers.resource_ordering,
        parent=lambda provider: provider.id,
    )
    projects = connection_field(
        lazy("ProjectConnection", "schema.lists.types"),
        lists_resolvers.projects_of_provider,
        description="The provider's published projects.",
        filter=lazy("ProjectFilter", "schema.lists.filters"),
        sort=lazy("ServiceOrder", "schema.catalog.filters"),
        ordering=lists_resolvers.project_ordering,
        parent=lambda provider: provider.id,
    )
    orders = connection_field(
        lazy("OrderConnection", "schema.orders.types"),
        orders_resolvers.orders_of_provider,
        description="The orders addressed to the provider, among those you may see; newest first by default.",
        filter=lazy("OrderFilter", "schema.orders.filters"),
        sort=lazy("OrderSort", "schema.orders.filters"),
        parent=lambda provider: provider.id,
    )


@strawberry.type(
    description="A node of the category taxonomy: the six major categories of the three lists at the top, "
    "the domains of the service menu below them."
)
class Category(RowNode):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="A stable English slug, e.g. `health.family-doctor`.")
    name: str = strawberry.field(description="The name, e.g. 健康医疗.")
    description: str = strawberry.field(description="What the category covers.")
    position: int = strawberry.field(description="Where the category sits among its siblings in menus.")
    parent_id: strawberry.Private[int | None]

    needs: ClassVar[dict[str, tuple[str, ...]]] = {"parent": ("parent_id",), "children": ()}

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.category_loader(info.context)

    @strawberry.field(description="The category above this one; null for a major category.")
    def parent(self, info: Info) -> Category | None:
        # Not async: a category loaded already is answered at once (`RowNode.lookup`).
        return Category.lookup(info, self.parent_id, optional=True)

    @strawberry.field(
        description=f"The categories directly below this one, in menu order (at most {MAX_CATEGORIES})."
    )
    async def children(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description="How many, at most.")] = MAX_CATEGORIES,
    ) -> list[Category]:
        rows = await resolvers.children_of_category(info.context).load(self.id)
        return [Category.from_row(row) for row in bounded_list(rows, first, MAX_CATEGORIES)]


@strawberry.type
class ProviderEntry(RowNode, Publishable):
    """What a service, resource or project keeps of its row besides the fields the API shows."""

    provider_id: strawberry.Private[int]
    category_id: strawberry.Private[int]


@strawberry.type
class TimeLimited:
    time_limit_overrides: strawberry.Private[TimeLimitOverrides]


# `timeLimits` is declared in each type with this resolver, not inherited: a base class's fields
# would come first in the API, where it comes last.
def time_limits_in_force(root: TimeLimited) -> list[TimeLimit]:
    return time_limits_of(root.time_limit_overrides)


def time_limits_field() -> list[TimeLimit]:
    """The `timeLimits` field, described alike wherever it stands."""
    return strawberry.field(
        resolver=time_limits_in_force,
        description="How long its provider has to answer and deliver orders, by urgency.",
    )


@strawberry.type(description="A catalog entry of a department that stations can order.")
class Service(ProviderEntry, TimeLimited):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="The catalog code.")
    name: str = strawberry.field(description="The name, e.g. 高龄老人居家养老服务.")
    description: str = strawberry.field(description="What the service is and how it is delivered.")
    tier: Tier = strawberry.field(description="The livelihood tier it serves.")
    audiences: list[Audience] = strawberry.field(description="Who it is meant for.")
    delivery_modes: list[DeliveryMode] = strawberry.field(description="Where it is delivered.")
    consultable_on_spot: bool = strawberry.field(
        description="Whether it can be consulted on the spot (当场咨询)."
    )
    completable_on_spot: bool = strawberry.field(
        description="Whether it is handled to completion on the spot (当场办结)."
    )
    capacity_per_period: int | None = strawberry.field(
        description="How many orders it takes per period; null when unlimited."
    )
    capacity_period: CapacityPeriod | None = strawberry.field(
        description="The period the capacity applies to; null when unlimited."
    )
    lead_time_days: int = strawberry.field(description="Days of notice the provider needs before delivery.")
    status: PublicationStatus = strawberry.field(description="Whether it is offered.")
    published_at: datetime | None = strawberry.field(description="When it was first published.")
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")

    computed: ClassVar[frozenset[str]] = frozenset({"time_limit_overrides"})
    needs: ClassVar[dict[str, tuple[str, ...]]] = {
        "timeLimits": resolvers.TIME_LIMIT_COLUMNS,
        "nextStatuses": ("status",),
    }

    @classmethod
    def compute(cls, row: Any) -> dict[str, Any]:
        # A row of only the columns a query reads has the limits when it reads them.
        if not hasattr(row, resolvers.TIME_LIMIT_COLUMNS[0]):
            return {}
        return {"time_limit_overrides": resolvers.time_limit_overrides(row)}

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.service_loader(info.context)

    @classmethod
    def loader_with(cls, info: Info, related: frozenset[str]) -> DataLoader[int, Any]:
        return resolvers.service_loader(info.context, related)

    time_limits = time_limits_field()
    provider = related_field(
        Provider, "provider_id", description="The department that offers and delivers it."
    )
    category = related_field(Category, "category_id", description="The category it belongs to.")


@strawberry.type(description="How many entries of a tier match.")
class TierCount:
    tier: Tier = strawberry.field(description="The tier.")
    count: int = strawberry.field(description="How many entries match in it.")


@strawberry.type(description="How many entries of a major category (and the categories below it) match.")
class CategoryCount:
    category: Category = strawberry.field(description="The major category.")
    count: int = strawberry.field(description="How many entries match in it.")


@strawberry.type(description="Counts per tier of the entries a top-level connection matches.")
class TierFacet:
    page: strawberry.Private[Page[Any]]

    @strawberry.field(
        description="How many entries match per tier, over all pages (for screen headers). "
        "Available on top-level connections; null on nested ones."
    )
    async def counts_by_tier(self, info: Info) -> list[TierCount] | None:
        if self.page.filtered is None:
            return None
        counts = await facets.counts_by_tier(info.context, self.page.filtered)
        return [TierCount(tier=tier, count=count) for tier, count in counts.items()]


@strawberry.type(description="Counts per major category of the entries a top-level connection matches.")
class CategoryFacet:
    page: strawberry.Private[Page[Any]]

    @strawberry.field(
        description="How many entries match per major category, over all pages (for screen headers). "
        "Available on top-level connections; null on nested ones."
    )
    async def counts_by_category(self, info: Info) -> list[CategoryCount] | None:
        if self.page.filtered is None:
            return None
        counts = await facets.counts_by_major_category(info.context, self.page.filtered)
        categories = await resolvers.category_loader(info.context).load_many([cid for cid, _ in counts])
        return [
            CategoryCount(category=Category.from_row(category), count=count)
            for category, (_, count) in zip(categories, counts, strict=True)
        ]


@strawberry.type(description="A page of services.")
class ServiceConnection(Connection[Service], TierFacet, CategoryFacet):
    pass


@strawberry.type(description="A page of providers.")
class ProviderConnection(Connection[Provider]):
    pass
