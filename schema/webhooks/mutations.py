"""Registering and managing webhook endpoints (a provider's staff for it, administrators for any)."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers.webhooks import endpoints
from schema.catalog.types import Provider
from schema.common import decode_id
from schema.payloads import mutate
from schema.webhooks.inputs import CreateWebhookEndpointInput, WebhookEndpointInput
from schema.webhooks.payloads import (
    CreateWebhookEndpointPayload,
    DeleteWebhookEndpointPayload,
    WebhookEndpointPayload,
)
from schema.webhooks.types import WebhookEndpoint


@strawberry.type
class WebhooksMutation:
    @strawberry.mutation(
        description="Register an endpoint for the events of a provider's orders (its staff, administrators). "
        "The answer carries the signing secret, shown only this once."
    )
    async def create_webhook_endpoint(
        self, info: Info, input: CreateWebhookEndpointInput
    ) -> CreateWebhookEndpointPayload:
        fields = endpoints.EndpointFields(
            url=input.url, description=input.description, event_types=list(input.event_types)
        )
        return await mutate(
            CreateWebhookEndpointPayload,
            endpoints.create_endpoint(info.context, decode_id(input.provider_id, Provider), fields),
            input,
            endpoint=lambda new: WebhookEndpoint.from_row(new.endpoint),
            secret=lambda new: new.secret,
        )

    @strawberry.mutation(
        description="Stop sending to an endpoint; its events wait, in order, until it is resumed."
    )
    async def pause_webhook_endpoint(self, info: Info, input: WebhookEndpointInput) -> WebhookEndpointPayload:
        pause = endpoints.pause_endpoint(info.context, decode_id(input.endpoint_id, WebhookEndpoint))
        return await mutate(WebhookEndpointPayload, pause, input, endpoint=WebhookEndpoint.from_row)

    @strawberry.mutation(
        description="Send to a paused endpoint again, starting at once with the events it is owed."
    )
    async def resume_webhook_endpoint(
        self, info: Info, input: WebhookEndpointInput
    ) -> WebhookEndpointPayload:
        resume = endpoints.resume_endpoint(info.context, decode_id(input.endpoint_id, WebhookEndpoint))
        return await mutate(WebhookEndpointPayload, resume, input, endpoint=WebhookEndpoint.from_row)

    @strawberry.mutation(description="Delete an endpoint with its pending deliveries and its log.")
    async def delete_webhook_endpoint(
        self, info: Info, input: WebhookEndpointInput
    ) -> DeleteWebhookEndpointPayload:
        return await mutate(
            DeleteWebhookEndpointPayload,
            endpoints.delete_endpoint(info.context, decode_id(input.endpoint_id, WebhookEndpoint)),
            input,
            deleted_endpoint_id=lambda deleted: relay.GlobalID("WebhookEndpoint", str(deleted)),
        )
