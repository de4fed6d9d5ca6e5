"""The payloads of the webhook mutations."""

from __future__ import annotations

import strawberry
from strawberry import relay

from schema.payloads import UserError
from schema.webhooks.types import WebhookEndpoint


@strawberry.type(description="The result of registering a webhook endpoint.")
class CreateWebhookEndpointPayload:
    endpoint: WebhookEndpoint | None = strawberry.field(description="The new endpoint, active.")
    secret: str | None = strawberry.field(
        description="The signing secret (whsec_…), shown this once: keep it to verify signatures."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing was created; empty on success.")


@strawberry.type(description="The result of pausing or resuming a webhook endpoint.")
class WebhookEndpointPayload:
    endpoint: WebhookEndpoint | None = strawberry.field(description="The endpoint as it is now.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed; empty on success.")


@strawberry.type(description="The result of deleting a webhook endpoint.")
class DeleteWebhookEndpointPayload:
    deleted_endpoint_id: relay.GlobalID | None = strawberry.field(
        description="The ID the deleted endpoint had; its deliveries and log went with it."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing was deleted; empty on success.")
