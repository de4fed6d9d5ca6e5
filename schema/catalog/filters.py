"""Which providers and services to list, and in what order."""

from __future__ import annotations

import strawberry
from strawberry import relay

import schema.catalog.enums  # noqa: F401 - describes the model enums these inputs use
from models import Audience, DeliveryMode, ProviderKind, PublicationStatus, Tier
from resolvers.catalog import queries as resolvers
from resolvers.catalog.queries import CatalogOrderField, ProviderOrderField
from schema.catalog.types import Category, Provider
from schema.common import OrderDirection
from schema.connections import FilterInput, SortInput
from schema.inputs import fields_of
from schema.places import District

# The IDs, and the descriptions of the conditions, the filters of services, resources and projects share.
ENTRY_IDS = {"district_id": District, "provider_id": Provider, "category_id": Category}
STATUS_DESCRIPTION = (
    "Entries in this status. Only published entries are visible, except to their provider's "
    "staff and to administrators."
)
SEARCH_DESCRIPTION = "Words the name or description contains (Chinese works), all of them."


@strawberry.input(description="How to order providers.")
class ProviderOrder(SortInput):
    field: ProviderOrderField = strawberry.field(description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="The direction.")
    ordering = staticmethod(resolvers.provider_ordering)


@strawberry.input(description="How to order services.")
class ServiceOrder(SortInput):
    """The API orders services, resources and projects with this one input. Another kind of entry
    subclasses it without `@strawberry.input` (so it stays `ServiceOrder` in the API) and sets
    `ordering = staticmethod(partial(catalog_ordering, TheModel))`."""

    field: CatalogOrderField = strawberry.field(description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="The direction.")
    ordering = staticmethod(resolvers.service_ordering)


@strawberry.input(description="Which providers to list; all conditions must hold.")
class ProviderFilter(FilterInput):
    district_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Providers of this district."
    )
    kind: ProviderKind | None = strawberry.field(default=None, description="Providers of this kind.")
    search: str | None = strawberry.field(default=None, description="Text the name contains (Chinese works).")

    def to_filter(self) -> resolvers.ProviderFilter:
        return fields_of(self, resolvers.ProviderFilter, ids={"district_id": District})


@strawberry.input(description="Which services to list; all conditions must hold.")
class ServiceFilter(FilterInput):
    district_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Services of this district's providers."
    )
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Services of this provider."
    )
    category_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Services in this category or any category below it."
    )
    tier: Tier | None = strawberry.field(default=None, description="Services of this tier.")
    audience: Audience | None = strawberry.field(
        default=None, description="Services meant for this audience, including those meant for everyone."
    )
    delivery_mode: DeliveryMode | None = strawberry.field(
        default=None, description="Services delivered this way."
    )
    consultable_on_spot: bool | None = strawberry.field(
        default=None, description="Services that can (or cannot) be consulted on the spot."
    )
    completable_on_spot: bool | None = strawberry.field(
        default=None, description="Services that are (or are not) handled to completion on the spot."
    )
    status: PublicationStatus | None = strawberry.field(default=None, description=STATUS_DESCRIPTION)
    search: str | None = strawberry.field(default=None, description=SEARCH_DESCRIPTION)

    def to_filter(self) -> resolvers.ServiceFilter:
        return fields_of(self, resolvers.ServiceFilter, ids=ENTRY_IDS)
