"""Reading webhook endpoints and their delivery logs."""

from __future__ import annotations

import strawberry

from resolvers.webhooks import queries as resolvers
from schema.common import node_field
from schema.connections import connection_field
from schema.webhooks.filters import WebhookEndpointFilter
from schema.webhooks.types import WebhookEndpoint, WebhookEndpointConnection


@strawberry.type
class WebhooksQuery:
    webhook_endpoint = node_field(
        WebhookEndpoint,
        description="A webhook endpoint by its ID; null when none has it or you do not manage it.",
    )
    webhook_endpoints = connection_field(
        WebhookEndpointConnection,
        resolvers.endpoints,
        description="The webhook endpoints you manage, newest first: a provider's staff its own, "
        "administrators all.",
        filter=WebhookEndpointFilter,
    )
