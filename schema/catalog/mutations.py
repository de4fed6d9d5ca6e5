"""The catalog's mutations: services by their provider's staff, providers and categories by administrators."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.catalog import categories, providers, services
from schema.catalog.inputs import (
    CreateCategoryInput,
    CreateProviderInput,
    CreateServiceInput,
    SetServiceStatusInput,
    UpdateCategoryInput,
    UpdateProviderInput,
    UpdateServiceInput,
    time_limit_overrides,
)
from schema.catalog.payloads import (
    CreateCategoryPayload,
    CreateProviderPayload,
    CreateServicePayload,
    SetServiceStatusPayload,
    UpdateCategoryPayload,
    UpdateProviderPayload,
    UpdateServicePayload,
)
from schema.catalog.types import Category, Provider, Service
from schema.common import decode_id
from schema.inputs import changes_of, fields_of
from schema.payloads import mutate
from schema.places import District

CATEGORY_ID = {"category_id": Category}
PARENT_ID = {"parent_id": Category}


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(
        description="Create a service as a draft (provider staff for their provider, administrators for any)."
    )
    async def create_service(self, info: Info, input: CreateServiceInput) -> CreateServicePayload:
        f = fields_of(
            input, services.ServiceFields, ids=CATEGORY_ID, time_limit_overrides=time_limit_overrides
        )
        return await mutate(
            CreateServicePayload,
            services.create_service(info.context, f, decode_id(input.provider_id, Provider)),
            input,
            service=Service.from_row,
        )

    @strawberry.mutation(
        description="Change some fields of a service (its provider's staff, administrators)."
    )
    async def update_service(self, info: Info, input: UpdateServiceInput) -> UpdateServicePayload:
        changes = changes_of(
            input, skip=("service_id",), ids=CATEGORY_ID, time_limit_overrides=time_limit_overrides
        )
        return await mutate(
            UpdateServicePayload,
            services.update_service(info.context, decode_id(input.service_id, Service), changes),
            input,
            service=Service.from_row,
        )

    @strawberry.mutation(
        description="Publish, suspend or retire a service (its provider's staff, administrators). "
        "Publishing first sets `publishedAt`."
    )
    async def set_service_status(self, info: Info, input: SetServiceStatusInput) -> SetServiceStatusPayload:
        return await mutate(
            SetServiceStatusPayload,
            services.set_service_status(info.context, decode_id(input.service_id, Service), input.status),
            input,
            service=Service.from_row,
        )

    @strawberry.mutation(description="Add a department or partner unit (administrators only).")
    async def create_provider(self, info: Info, input: CreateProviderInput) -> CreateProviderPayload:
        district_id = decode_id(input.district_id, District)
        f = fields_of(input, providers.ProviderFields)
        return await mutate(
            CreateProviderPayload,
            providers.create_provider(info.context, district_id, f),
            input,
            provider=Provider.from_row,
        )

    @strawberry.mutation(description="Change some fields of a provider (administrators only).")
    async def update_provider(self, info: Info, input: UpdateProviderInput) -> UpdateProviderPayload:
        changes = changes_of(input, skip=("provider_id",))
        update = providers.update_provider(info.context, decode_id(input.provider_id, Provider), changes)
        return await mutate(UpdateProviderPayload, update, input, provider=Provider.from_row)

    @strawberry.mutation(description="Add a category to the taxonomy (administrators only).")
    async def create_category(self, info: Info, input: CreateCategoryInput) -> CreateCategoryPayload:
        f = fields_of(input, categories.CategoryFields, ids=PARENT_ID)
        return await mutate(
            CreateCategoryPayload,
            categories.create_category(info.context, f),
            input,
            category=Category.from_row,
        )

    @strawberry.mutation(description="Rename, describe, reorder or move a category (administrators only).")
    async def update_category(self, info: Info, input: UpdateCategoryInput) -> UpdateCategoryPayload:
        changes = changes_of(input, skip=("category_id",), ids=PARENT_ID)
        update = categories.update_category(info.context, decode_id(input.category_id, Category), changes)
        return await mutate(UpdateCategoryPayload, update, input, category=Category.from_row)
