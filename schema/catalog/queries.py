"""The catalog's entry points: providers, categories and services, one by ID or a page at a time."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers.catalog import queries as resolvers
from schema.catalog.filters import ProviderFilter, ProviderOrder, ServiceFilter, ServiceOrder
from schema.catalog.types import (
    MAX_CATEGORIES,
    Category,
    Provider,
    ProviderConnection,
    Service,
    ServiceConnection,
)
from schema.common import bounded_list, decode_id, node_field
from schema.connections import connection_field


@strawberry.type
class CatalogQuery:
    provider = node_field(Provider, description="A provider by its ID; null when none has it.")
    category = node_field(Category, description="A category by its ID; null when none has it.")
    service = node_field(
        Service, description="A catalog service by its ID; null when none has it or it is not visible."
    )

    providers = connection_field(
        ProviderConnection,
        resolvers.list_providers,
        description="District departments and partner units.",
        filter=ProviderFilter,
        sort=ProviderOrder,
    )

    @strawberry.field(
        description="Categories in menu order: the major categories by default, the children of `parentId` "
        "when given, or the whole taxonomy with `topLevelOnly: false`."
    )
    async def categories(
        self,
        info: Info,
        parent_id: relay.GlobalID | None = None,
        top_level_only: bool = True,
        first: Annotated[int, strawberry.argument(description="How many, at most.")] = MAX_CATEGORIES,
    ) -> list[Category]:
        rows = await resolvers.list_categories(
            info.context, decode_id(parent_id, Category), top_level_only, limit=MAX_CATEGORIES
        )
        return [Category.from_row(row) for row in bounded_list(rows, first, MAX_CATEGORIES)]

    services = connection_field(
        ServiceConnection,
        resolvers.list_services,
        description="The published catalog services of the departments.",
        filter=ServiceFilter,
        sort=ServiceOrder,
    )
