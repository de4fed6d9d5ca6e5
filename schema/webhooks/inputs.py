"""The inputs of the webhook mutations."""

from __future__ import annotations

import strawberry
from strawberry import relay

from models import OrderAction


@strawberry.input(description="A webhook endpoint to register.")
class CreateWebhookEndpointInput:
    url: str = strawberry.field(
        description="Where to post events: an http or https URL whose host resolves to public addresses."
    )
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The provider whose orders' events it receives: administrators name it; staff may "
        "leave it out for their own.",
    )
    description: str = strawberry.field(default="", description="What the endpoint is for.")
    event_types: list[OrderAction] = strawberry.field(
        default_factory=list, description="The order actions to send; empty or left out sends every event."
    )


@strawberry.input(description="A webhook endpoint to act on.")
class WebhookEndpointInput:
    endpoint_id: relay.GlobalID = strawberry.field(description="The endpoint.")
