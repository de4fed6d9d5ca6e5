"""GraphQL types of providers, categories and the service catalog."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import Audience, CapacityPeriod, DeliveryMode, ProviderKind, PublicationStatus, Tier, Urgency
from models import Service as ServiceRow
from resolvers import catalog as resolvers
from resolvers import lists as lists_resolvers
from resolvers.catalog import CatalogOrderField, ProviderOrderField
from resolvers.editing import STATUS_CHANGES
from resolvers.errors import ClientError
from resolvers.orders import queries as orders_resolvers
from resolvers.orders.deadlines import time_limit
from schema.common import Connection, OrderDirection, RowNode, decode_id, describe_enum
from schema.connections import SortInput, connection_field, lazy, page_request
from schema.payloads import UserError, attempt
from schema.places import District

if TYPE_CHECKING:
    from schema.lists import (
        ProjectConnection,
        ProjectFilter,
        ProjectOrder,
        ResourceConnection,
        ResourceFilter,
        ResourceOrder,
    )

TierEnum = describe_enum(
    Tier,
    "The three livelihoods (三生) a catalog entry serves.",
    {
        "BOTTOM_LINE": "Bottom-line livelihood (底线民生): the safety net.",
        "BASIC": "Basic livelihood (基本民生): universal public services.",
        "QUALITY": "Quality livelihood (品质民生): services that raise the quality of life.",
    },
)
AudienceEnum = describe_enum(
    Audience,
    "Who an entry is meant for.",
    {
        "EVERYONE": "All residents.",
        "ELDERLY": "Older residents.",
        "CHILDREN": "Children.",
        "YOUTH": "Young people.",
        "WOMEN": "Women.",
        "FAMILIES": "Families.",
        "DISABLED": "Residents with disabilities.",
        "JOB_SEEKERS": "Residents looking for work.",
        "LOW_INCOME": "Low-income and subsistence-aid households.",
        "VETERANS": "Veterans and their families.",
        "PARTY_MEMBERS": "Party members.",
        "NEWCOMERS": "Residents who have recently moved in.",
    },
)
DeliveryModeEnum = describe_enum(
    DeliveryMode,
    "Where a service is delivered.",
    {
        "AT_STATION": "At the doorstep service station.",
        "AT_HOME": "At the resident's home.",
        "ONLINE": "Online.",
        "AT_DEPARTMENT": "At the department's own office.",
    },
)
PublicationStatusEnum = describe_enum(
    PublicationStatus,
    "Whether a catalog entry is offered.",
    {
        "DRAFT": "Being written; not visible to stations.",
        "PUBLISHED": "Offered to stations.",
        "SUSPENDED": "Temporarily not offered.",
        "RETIRED": "No longer offered.",
    },
)
ProviderKindEnum = describe_enum(
    ProviderKind,
    "What kind of unit a provider is.",
    {
        "DEPARTMENT": "A district department (区职能部门).",
        "HOSPITAL": "A hospital or community health centre.",
        "SCHOOL": "A school or college.",
        "COMPANY": "A company.",
        "SOCIAL_ORGANIZATION": "A social organisation (社会组织).",
        "PUBLIC_INSTITUTION": "A public institution or people's organisation.",
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
CapacityPeriodEnum = describe_enum(
    CapacityPeriod,
    "The period a capacity applies to.",
    {"DAY": "Per day.", "WEEK": "Per week.", "MONTH": "Per month."},
)
ProviderOrderFieldEnum = describe_enum(
    ProviderOrderField,
    "What providers can be ordered by.",
    {"NAME": "The provider's name.", "CODE": "The provider's code."},
)
CatalogOrderFieldEnum = describe_enum(
    CatalogOrderField,
    "What services, resources and projects can be ordered by.",
    {"NAME": "The name.", "CODE": "The catalog code.", "CREATED_AT": "When the entry was created."},
)


@strawberry.type(description="How long a provider has to answer and to deliver orders of one urgency.")
class TimeLimit:
    urgency: UrgencyEnum = strawberry.field(description="The urgency class.")  # type: ignore[valid-type]
    response_hours: int = strawberry.field(description="Hours to accept or decline an order.")
    delivery_hours: int = strawberry.field(description="Hours to deliver it, from when work may begin.")
    is_default: bool = strawberry.field(
        description="Whether these are the urgency's defaults, not overridden."
    )


@strawberry.input(
    description="Overridden time limits for orders of one urgency; null hours keep the default."
)
class TimeLimitInput:
    urgency: UrgencyEnum = strawberry.field(description="The urgency class.")  # type: ignore[valid-type]
    response_hours: int | None = strawberry.field(default=None, description="Hours to answer, 1 to 8784.")
    delivery_hours: int | None = strawberry.field(default=None, description="Hours to deliver, 1 to 8784.")


def time_limit_overrides(limits: list[TimeLimitInput] | None) -> dict[str, tuple[int | None, int | None]]:
    """The overrides an input gives, by urgency name; each urgency at most once."""
    overrides = {limit.urgency.name: (limit.response_hours, limit.delivery_hours) for limit in limits or ()}
    if len(overrides) < len(limits or ()):
        raise ClientError("Give each urgency at most once in `timeLimits`.", code="INVALID_INPUT")
    return overrides


def time_limits_of(overrides: dict[str, tuple[int | None, int | None]]) -> list[TimeLimit]:
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


@strawberry.input(description="How to order providers.")
class ProviderOrder:
    field: ProviderOrderFieldEnum = strawberry.field(description="The field to order by.")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="The direction.")


@strawberry.input(description="How to order services.")
class ServiceOrder(SortInput):
    field: CatalogOrderFieldEnum = strawberry.field(description="The field to order by.")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="The direction.")
    ordering = staticmethod(partial(resolvers.catalog_ordering, ServiceRow))


@strawberry.input(description="Which providers to list; all conditions must hold.")
class ProviderFilter:
    district_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Providers of this district."
    )
    kind: ProviderKindEnum | None = strawberry.field(default=None, description="Providers of this kind.")  # type: ignore[valid-type]
    search: str | None = strawberry.field(default=None, description="Text the name contains (Chinese works).")

    def to_filter(self) -> resolvers.ProviderFilter:
        return resolvers.ProviderFilter(
            district_id=decode_id(self.district_id, District), kind=self.kind, search=self.search
        )


@strawberry.input(description="Which services to list; all conditions must hold.")
class ServiceFilter:
    district_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Services of this district's providers."
    )
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Services of this provider."
    )
    category_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Services in this category or any category below it."
    )
    tier: TierEnum | None = strawberry.field(default=None, description="Services of this tier.")  # type: ignore[valid-type]
    audience: AudienceEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Services meant for this audience, including those meant for everyone."
    )
    delivery_mode: DeliveryModeEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Services delivered this way."
    )
    consultable_on_spot: bool | None = strawberry.field(
        default=None, description="Services that can (or cannot) be consulted on the spot."
    )
    completable_on_spot: bool | None = strawberry.field(
        default=None, description="Services that are (or are not) handled to completion on the spot."
    )
    status: PublicationStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None,
        description="Entries in this status. Only published entries are visible, except to their provider's "
        "staff and to administrators.",
    )
    search: str | None = strawberry.field(
        default=None, description="Words the name or description contains (Chinese works), all of them."
    )

    def to_filter(self) -> resolvers.ServiceFilter:
        return resolvers.ServiceFilter(
            district_id=decode_id(self.district_id, District),
            provider_id=decode_id(self.provider_id, Provider),
            category_id=decode_id(self.category_id, Category),
            tier=self.tier,
            audience=self.audience,
            delivery_mode=self.delivery_mode,
            consultable_on_spot=self.consultable_on_spot,
            completable_on_spot=self.completable_on_spot,
            status=self.status,
            search=self.search,
        )


def provider_ordering(order: ProviderOrder | None):
    if order is None:
        return resolvers.provider_ordering()
    return resolvers.provider_ordering(order.field, order.direction is OrderDirection.DESC)


def catalog_ordering(model: type, order) -> object:
    if order is None:
        return resolvers.catalog_ordering(model)
    return resolvers.catalog_ordering(model, order.field, order.direction is OrderDirection.DESC)


def service_ordering(order: ServiceOrder | None):
    from models import Service as ServiceRow

    return catalog_ordering(ServiceRow, order)


@strawberry.type(description="What a catalog entry's status allows next.")
class Publishable:
    @strawberry.field(
        description="The statuses the entry may move to next (for the buttons of a console): "
        "DRAFT → PUBLISHED or RETIRED, PUBLISHED ⇄ SUSPENDED, either → RETIRED; RETIRED is final."
    )
    def next_statuses(self) -> list[PublicationStatusEnum]:  # type: ignore[valid-type]
        return list(STATUS_CHANGES[self.status])


@strawberry.type(
    description="A district department or partner unit that offers services, resources and projects."
)
class Provider(RowNode):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="The provider's code.")
    name: str = strawberry.field(description="The full name, e.g. 浦东新区民政局.")
    short_name: str = strawberry.field(description="The short name, e.g. 区民政局.")
    kind: ProviderKindEnum = strawberry.field(description="Department or kind of partner unit.")  # type: ignore[valid-type]
    description: str = strawberry.field(description="What the provider does.")
    phone: str | None = strawberry.field(description="The contact phone number.")
    address: str | None = strawberry.field(description="The address.")
    district_id: strawberry.Private[int]

    @classmethod
    def loader(cls, info: Info):
        return resolvers.provider_loader(info.context)

    @strawberry.field(description="The district the provider serves.")
    async def district(self, info: Info) -> District:
        return await District.load(info, self.district_id)

    @strawberry.field(description="The provider's published catalog services.")
    async def services(
        self,
        info: Info,
        filter: ServiceFilter | None = None,
        order_by: ServiceOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> ServiceConnection:
        f = filter.to_filter() if filter else resolvers.ServiceFilter()
        page = await resolvers.services_of_provider(
            info.context,
            self.id,
            f,
            service_ordering(order_by),
            page_request(info, first, after, last, before),
        )
        return ServiceConnection.from_page(page)

    @strawberry.field(description="The provider's published resources.")
    async def resources(
        self,
        info: Info,
        filter: Annotated[ResourceFilter, strawberry.lazy("schema.lists")] | None = None,
        order_by: Annotated[ResourceOrder, strawberry.lazy("schema.lists")] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[ResourceConnection, strawberry.lazy("schema.lists")]:
        from schema.lists import ResourceConnection, resource_ordering

        f = filter.to_filter() if filter else lists_resolvers.ResourceFilter()
        page = await lists_resolvers.resources_of_provider(
            info.context,
            self.id,
            f,
            resource_ordering(order_by),
            page_request(info, first, after, last, before),
        )
        return ResourceConnection.from_page(page)

    @strawberry.field(description="The provider's published projects.")
    async def projects(
        self,
        info: Info,
        filter: Annotated[ProjectFilter, strawberry.lazy("schema.lists")] | None = None,
        order_by: Annotated[ProjectOrder, strawberry.lazy("schema.lists")] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[ProjectConnection, strawberry.lazy("schema.lists")]:
        from schema.lists import ProjectConnection, project_ordering

        f = filter.to_filter() if filter else lists_resolvers.ProjectFilter()
        page = await lists_resolvers.projects_of_provider(
            info.context,
            self.id,
            f,
            project_ordering(order_by),
            page_request(info, first, after, last, before),
        )
        return ProjectConnection.from_page(page)

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

    @classmethod
    def loader(cls, info: Info):
        return resolvers.category_loader(info.context)

    @strawberry.field(description="The category above this one; null for a major category.")
    async def parent(self, info: Info) -> Category | None:
        return await Category.load(info, self.parent_id)

    @strawberry.field(description="The categories directly below this one, in menu order.")
    async def children(self, info: Info) -> list[Category]:
        rows = await resolvers.children_of_category(info.context).load(self.id)
        return [Category.from_row(row) for row in rows]


@strawberry.type(description="A catalog entry of a department that stations can order.")
class Service(RowNode, Publishable):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="The catalog code.")
    name: str = strawberry.field(description="The name, e.g. 高龄老人居家养老服务.")
    description: str = strawberry.field(description="What the service is and how it is delivered.")
    tier: TierEnum = strawberry.field(description="The livelihood tier it serves.")  # type: ignore[valid-type]
    audiences: list[AudienceEnum] = strawberry.field(description="Who it is meant for.")  # type: ignore[valid-type]
    delivery_modes: list[DeliveryModeEnum] = strawberry.field(description="Where it is delivered.")  # type: ignore[valid-type]
    consultable_on_spot: bool = strawberry.field(
        description="Whether it can be consulted on the spot (当场咨询)."
    )
    completable_on_spot: bool = strawberry.field(
        description="Whether it is handled to completion on the spot (当场办结)."
    )
    capacity_per_period: int | None = strawberry.field(
        description="How many orders it takes per period; null when unlimited."
    )
    capacity_period: CapacityPeriodEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="The period the capacity applies to; null when unlimited."
    )
    lead_time_days: int = strawberry.field(description="Days of notice the provider needs before delivery.")
    status: PublicationStatusEnum = strawberry.field(description="Whether it is offered.")  # type: ignore[valid-type]
    published_at: datetime | None = strawberry.field(description="When it was first published.")
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    provider_id: strawberry.Private[int]
    category_id: strawberry.Private[int]
    time_limit_overrides: strawberry.Private[dict[str, tuple[int | None, int | None]]]

    @classmethod
    def loader(cls, info: Info):
        return resolvers.service_loader(info.context)

    @strawberry.field(description="How long its provider has to answer and deliver orders, by urgency.")
    def time_limits(self) -> list[TimeLimit]:
        return time_limits_of(self.time_limit_overrides)

    @strawberry.field(description="The department that offers and delivers it.")
    async def provider(self, info: Info) -> Provider:
        return await Provider.load(info, self.provider_id)

    @strawberry.field(description="The category it belongs to.")
    async def category(self, info: Info) -> Category:
        return await Category.load(info, self.category_id)


@strawberry.type(description="How many entries of a tier match.")
class TierCount:
    tier: TierEnum = strawberry.field(description="The tier.")  # type: ignore[valid-type]
    count: int = strawberry.field(description="How many entries match in it.")


@strawberry.type(description="How many entries of a major category (and the categories below it) match.")
class CategoryCount:
    category: Category = strawberry.field(description="The major category.")
    count: int = strawberry.field(description="How many entries match in it.")


@strawberry.type(description="Counts per tier of the entries a top-level connection matches.")
class TierFacet:
    @strawberry.field(
        description="How many entries match per tier, over all pages (for screen headers). "
        "Available on top-level connections; null on nested ones."
    )
    async def counts_by_tier(self, info: Info) -> list[TierCount] | None:
        if self.page.filtered is None:
            return None
        counts = await resolvers.counts_by_tier(info.context, self.page.filtered)
        return [TierCount(tier=tier, count=count) for tier, count in counts.items()]


@strawberry.type(description="Counts per major category of the entries a top-level connection matches.")
class CategoryFacet:
    @strawberry.field(
        description="How many entries match per major category, over all pages (for screen headers). "
        "Available on top-level connections; null on nested ones."
    )
    async def counts_by_category(self, info: Info) -> list[CategoryCount] | None:
        if self.page.filtered is None:
            return None
        counts = await resolvers.counts_by_major_category(info.context, self.page.filtered)
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


@strawberry.type
class CatalogQuery:
    @strawberry.field(description="A provider by its ID; null when none has it.")
    async def provider(self, info: Info, id: relay.GlobalID) -> Provider | None:
        return await Provider.load(info, decode_id(id, Provider))

    @strawberry.field(description="A category by its ID; null when none has it.")
    async def category(self, info: Info, id: relay.GlobalID) -> Category | None:
        return await Category.load(info, decode_id(id, Category))

    @strawberry.field(description="A catalog service by its ID; null when none has it or it is not visible.")
    async def service(self, info: Info, id: relay.GlobalID) -> Service | None:
        return await Service.load(info, decode_id(id, Service))

    @strawberry.field(description="District departments and partner units.")
    async def providers(
        self,
        info: Info,
        filter: ProviderFilter | None = None,
        order_by: ProviderOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> ProviderConnection:
        f = filter.to_filter() if filter else resolvers.ProviderFilter()
        page = await resolvers.list_providers(
            info.context, f, provider_ordering(order_by), page_request(info, first, after, last, before)
        )
        return ProviderConnection.from_page(page)

    @strawberry.field(
        description="Categories in menu order: the major categories by default, the children of `parentId` "
        "when given, or the whole taxonomy with `topLevelOnly: false`."
    )
    async def categories(
        self, info: Info, parent_id: relay.GlobalID | None = None, top_level_only: bool = True
    ) -> list[Category]:
        rows = await resolvers.list_categories(info.context, decode_id(parent_id, Category), top_level_only)
        return [Category.from_row(row) for row in rows]

    @strawberry.field(description="The published catalog services of the departments.")
    async def services(
        self,
        info: Info,
        filter: ServiceFilter | None = None,
        order_by: ServiceOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> ServiceConnection:
        f = filter.to_filter() if filter else resolvers.ServiceFilter()
        page = await resolvers.list_services(
            info.context, f, service_ordering(order_by), page_request(info, first, after, last, before)
        )
        return ServiceConnection.from_page(page)


def user_errors(errors) -> list[UserError]:
    return [UserError.from_error(error) for error in errors]


def changes_of(input: Any, *, skip: tuple[str, ...] = (), **convert: Callable[[Any], Any]) -> dict[str, Any]:
    """The fields a partial update gives (null included), by model attribute, converted where asked."""
    changes = {}
    for field in dataclasses.fields(input):
        value = getattr(input, field.name)
        if field.name in skip or value is strawberry.UNSET:
            continue
        changes[field.name] = convert[field.name](value) if field.name in convert else value
    return changes


def decode_category(value: relay.GlobalID | None) -> int | None:
    return decode_id(value, Category)


KEEP = "Left out, it keeps its value."


@strawberry.input(description="A new catalog service. It starts as a DRAFT, seen only by its provider.")
class CreateServiceInput:
    code: str = strawberry.field(description="The catalog code, unique: letters, digits, `-`, `_`, `.`.")
    name: str = strawberry.field(description="The name, at most 200 characters.")
    category_id: relay.GlobalID = strawberry.field(description="The category it belongs to.")
    tier: TierEnum = strawberry.field(description="The livelihood tier it serves.")  # type: ignore[valid-type]
    audiences: list[AudienceEnum] = strawberry.field(description="Who it is meant for; at least one.")  # type: ignore[valid-type]
    delivery_modes: list[DeliveryModeEnum] = strawberry.field(  # type: ignore[valid-type]
        description="Where it is delivered; at least one."
    )
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The provider offering it: required from administrators; provider staff may leave it "
        "out (it is their own).",
    )
    description: str = strawberry.field(default="", description="What it is, at most 5,000 characters.")
    consultable_on_spot: bool = strawberry.field(
        default=False, description="Whether it can be consulted on the spot (当场咨询)."
    )
    completable_on_spot: bool = strawberry.field(
        default=False,
        description="Whether it is handled to completion on the spot (当场办结): then it is also consultable "
        "there, delivered AT_STATION and needs no lead time.",
    )
    capacity_per_period: int | None = strawberry.field(
        default=None,
        description="Orders it takes per period, 1 to 100,000; null with no period for no limit.",
    )
    capacity_period: CapacityPeriodEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="The period of the capacity; given exactly when the capacity is."
    )
    lead_time_days: int = strawberry.field(default=0, description="Days of notice needed, 0 to 365.")
    time_limit_overrides: list[TimeLimitInput] | None = strawberry.field(
        name="timeLimits", default=None, description="Time limits of orders that differ from the defaults."
    )

    def to_fields(self) -> resolvers.ServiceFields:
        return resolvers.ServiceFields(
            **changes_of(
                self,
                skip=("provider_id",),
                category_id=decode_category,
                time_limit_overrides=time_limit_overrides,
            )
        )


@strawberry.input(description="Changes to a service: only the fields given change.")
class UpdateServiceInput:
    service_id: relay.GlobalID = strawberry.field(description="The service to change.")
    code: str | None = strawberry.field(default=strawberry.UNSET, description=f"The catalog code. {KEEP}")
    name: str | None = strawberry.field(default=strawberry.UNSET, description=f"The name. {KEEP}")
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"What it is; null empties it. {KEEP}"
    )
    category_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description=f"The category. {KEEP}"
    )
    tier: TierEnum | None = strawberry.field(default=strawberry.UNSET, description=f"The tier. {KEEP}")  # type: ignore[valid-type]
    audiences: list[AudienceEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description=f"Who it is meant for, replacing the list. {KEEP}"
    )
    delivery_modes: list[DeliveryModeEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description=f"Where it is delivered, replacing the list. {KEEP}"
    )
    consultable_on_spot: bool | None = strawberry.field(
        default=strawberry.UNSET, description=f"Whether it can be consulted on the spot. {KEEP}"
    )
    completable_on_spot: bool | None = strawberry.field(
        default=strawberry.UNSET, description=f"Whether it is handled to completion on the spot. {KEEP}"
    )
    capacity_per_period: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"Orders per period; null (with the period) for no limit. {KEEP}",
    )
    capacity_period: CapacityPeriodEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=strawberry.UNSET, description=f"The period of the capacity. {KEEP}"
    )
    lead_time_days: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"Days of notice needed. {KEEP}"
    )
    time_limit_overrides: list[TimeLimitInput] | None = strawberry.field(
        name="timeLimits",
        default=strawberry.UNSET,
        description=f"Time limits of orders that differ from the defaults, replacing all earlier ones; "
        f"null or empty restores the defaults. {KEEP}",
    )


@strawberry.input(description="A service and the status to move it to.")
class SetServiceStatusInput:
    service_id: relay.GlobalID = strawberry.field(description="The service.")
    status: PublicationStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="The new status; `nextStatuses` of the service lists the allowed ones."
    )


@strawberry.type(description="The result of creating a service.")
class CreateServicePayload:
    service: Service | None = strawberry.field(description="The new service, a draft.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was created; empty on success.")


@strawberry.type(description="The result of changing a service.")
class UpdateServicePayload:
    service: Service | None = strawberry.field(description="The service as changed.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.type(description="The result of moving a service to another status.")
class SetServiceStatusPayload:
    service: Service | None = strawberry.field(description="The service in its new status.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.input(description="A new provider: a department or partner unit.")
class CreateProviderInput:
    district_id: relay.GlobalID = strawberry.field(description="The district it serves.")
    code: str = strawberry.field(description="Its code, unique: letters, digits, `-`, `_`, `.`.")
    name: str = strawberry.field(description="The full name, at most 200 characters.")
    short_name: str = strawberry.field(description="The short name, at most 60 characters.")
    kind: ProviderKindEnum = strawberry.field(description="Department or kind of partner unit.")  # type: ignore[valid-type]
    description: str = strawberry.field(default="", description="What it does, at most 5,000 characters.")
    phone: str | None = strawberry.field(default=None, description="A contact phone number.")
    address: str | None = strawberry.field(default=None, description="The address.")

    def to_fields(self) -> resolvers.ProviderFields:
        return resolvers.ProviderFields(**changes_of(self, skip=("district_id",)))


@strawberry.input(description="Changes to a provider: only the fields given change.")
class UpdateProviderInput:
    provider_id: relay.GlobalID = strawberry.field(description="The provider to change.")
    code: str | None = strawberry.field(default=strawberry.UNSET, description=f"Its code. {KEEP}")
    name: str | None = strawberry.field(default=strawberry.UNSET, description=f"The full name. {KEEP}")
    short_name: str | None = strawberry.field(default=strawberry.UNSET, description=f"The short name. {KEEP}")
    kind: ProviderKindEnum | None = strawberry.field(
        default=strawberry.UNSET, description=f"The kind. {KEEP}"
    )  # type: ignore[valid-type]
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"What it does; null empties it. {KEEP}"
    )
    phone: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"The phone; null removes it. {KEEP}"
    )
    address: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"The address; null removes it. {KEEP}"
    )


@strawberry.type(description="The result of creating a provider.")
class CreateProviderPayload:
    provider: Provider | None = strawberry.field(description="The new provider.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was created; empty on success.")


@strawberry.type(description="The result of changing a provider.")
class UpdateProviderPayload:
    provider: Provider | None = strawberry.field(description="The provider as changed.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.input(description="A new category of the taxonomy.")
class CreateCategoryInput:
    code: str = strawberry.field(
        description="A stable slug, unique: lower-case letters and digits joined by `.`, `_` or `-`."
    )
    name: str = strawberry.field(description="The name, at most 100 characters.")
    parent_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The category above it; null for a major category."
    )
    description: str = strawberry.field(default="", description="What it covers, at most 5,000 characters.")
    position: int = strawberry.field(default=0, description="Where it sits among its siblings, 0 to 10,000.")

    def to_fields(self) -> resolvers.CategoryFields:
        return resolvers.CategoryFields(**changes_of(self, parent_id=decode_category))


@strawberry.input(description="Changes to a category: only the fields given change.")
class UpdateCategoryInput:
    category_id: relay.GlobalID = strawberry.field(description="The category to change.")
    code: str | None = strawberry.field(default=strawberry.UNSET, description=f"The slug. {KEEP}")
    name: str | None = strawberry.field(default=strawberry.UNSET, description=f"The name. {KEEP}")
    parent_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The category to move it below (not itself nor one below it); null makes it a major "
        f"category. {KEEP}",
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"What it covers; null empties it. {KEEP}"
    )
    position: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"Where it sits among its siblings. {KEEP}"
    )


@strawberry.type(description="The result of creating a category.")
class CreateCategoryPayload:
    category: Category | None = strawberry.field(description="The new category.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was created; empty on success.")


@strawberry.type(description="The result of changing a category.")
class UpdateCategoryPayload:
    category: Category | None = strawberry.field(description="The category as changed.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(
        description="Create a service as a draft (provider staff for their provider, administrators for any)."
    )
    async def create_service(self, info: Info, input: CreateServiceInput) -> CreateServicePayload:
        service, errors = await attempt(
            resolvers.create_service(info.context, input.to_fields(), decode_id(input.provider_id, Provider))
        )
        return CreateServicePayload(
            service=Service.from_row(service) if service else None, user_errors=user_errors(errors)
        )

    @strawberry.mutation(
        description="Change some fields of a service (its provider's staff, administrators)."
    )
    async def update_service(self, info: Info, input: UpdateServiceInput) -> UpdateServicePayload:
        changes = changes_of(
            input,
            skip=("service_id",),
            category_id=decode_category,
            time_limit_overrides=time_limit_overrides,
        )
        service, errors = await attempt(
            resolvers.update_service(info.context, decode_id(input.service_id, Service), changes)
        )
        return UpdateServicePayload(
            service=Service.from_row(service) if service else None, user_errors=user_errors(errors)
        )

    @strawberry.mutation(
        description="Publish, suspend or retire a service (its provider's staff, administrators). "
        "Publishing first sets `publishedAt`."
    )
    async def set_service_status(self, info: Info, input: SetServiceStatusInput) -> SetServiceStatusPayload:
        service, errors = await attempt(
            resolvers.set_service_status(info.context, decode_id(input.service_id, Service), input.status)
        )
        return SetServiceStatusPayload(
            service=Service.from_row(service) if service else None, user_errors=user_errors(errors)
        )

    @strawberry.mutation(description="Add a department or partner unit (administrators only).")
    async def create_provider(self, info: Info, input: CreateProviderInput) -> CreateProviderPayload:
        provider, errors = await attempt(
            resolvers.create_provider(info.context, decode_id(input.district_id, District), input.to_fields())
        )
        return CreateProviderPayload(
            provider=Provider.from_row(provider) if provider else None, user_errors=user_errors(errors)
        )

    @strawberry.mutation(description="Change some fields of a provider (administrators only).")
    async def update_provider(self, info: Info, input: UpdateProviderInput) -> UpdateProviderPayload:
        changes = changes_of(input, skip=("provider_id",))
        provider, errors = await attempt(
            resolvers.update_provider(info.context, decode_id(input.provider_id, Provider), changes)
        )
        return UpdateProviderPayload(
            provider=Provider.from_row(provider) if provider else None, user_errors=user_errors(errors)
        )

    @strawberry.mutation(description="Add a category to the taxonomy (administrators only).")
    async def create_category(self, info: Info, input: CreateCategoryInput) -> CreateCategoryPayload:
        category, errors = await attempt(resolvers.create_category(info.context, input.to_fields()))
        return CreateCategoryPayload(
            category=Category.from_row(category) if category else None, user_errors=user_errors(errors)
        )

    @strawberry.mutation(description="Rename, describe, reorder or move a category (administrators only).")
    async def update_category(self, info: Info, input: UpdateCategoryInput) -> UpdateCategoryPayload:
        changes = changes_of(input, skip=("category_id",), parent_id=decode_category)
        category, errors = await attempt(
            resolvers.update_category(info.context, decode_id(input.category_id, Category), changes)
        )
        return UpdateCategoryPayload(
            category=Category.from_row(category) if category else None, user_errors=user_errors(errors)
        )
