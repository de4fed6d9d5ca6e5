"""The results of the catalog's mutations."""

from __future__ import annotations

import strawberry

from schema.catalog.types import Category, Provider, Service
from schema.payloads import UserError


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


@strawberry.type(description="The result of creating a provider.")
class CreateProviderPayload:
    provider: Provider | None = strawberry.field(description="The new provider.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was created; empty on success.")


@strawberry.type(description="The result of changing a provider.")
class UpdateProviderPayload:
    provider: Provider | None = strawberry.field(description="The provider as changed.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.type(description="The result of creating a category.")
class CreateCategoryPayload:
    category: Category | None = strawberry.field(description="The new category.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was created; empty on success.")


@strawberry.type(description="The result of changing a category.")
class UpdateCategoryPayload:
    category: Category | None = strawberry.field(description="The category as changed.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")
