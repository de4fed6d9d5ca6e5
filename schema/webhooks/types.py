"""Webhook endpoints and the attempts of their delivery log, as their owners read them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from models import EndpointStatus, OrderAction
from resolvers.webhooks import queries as resolvers
from schema.catalog.types import Provider
from schema.common import Connection, RowNode, describe_enum, related_field
from schema.connections import connection_field, lazy
from schema.orders import enums  # noqa: F401  (describes OrderAction, which endpoints filter on)
from schema.orders.types import Order, OrderEvent

describe_enum(
    EndpointStatus,
    "Whether an endpoint is sent its events.",
    {
        "ACTIVE": "Events are sent as they happen.",
        "PAUSED": "Nothing is sent; events are kept and sent in order once it is resumed. "
        "`pausedReason` says whether its owner paused it or repeated failures did.",
    },
)


@strawberry.type(
    description="A URL of a provider's own system that receives the events of the provider's orders, signed "
    "as the Standard Webhooks specification says (headers webhook-id, webhook-timestamp, webhook-signature)."
)
class WebhookEndpoint(RowNode):
    id: relay.NodeID[int]
    url: str = strawberry.field(description="Where events are posted (http or https).")
    description: str = strawberry.field(description="What the endpoint is for, as its owner wrote.")
    event_types: list[OrderAction] = strawberry.field(
        description="The order actions whose events are sent; empty sends every event."
    )
    status: EndpointStatus = strawberry.field(description="Whether events are being sent.")
    paused_reason: str | None = strawberry.field(
        description="Why the endpoint is paused (by its owner, or after repeated failures and the last "
        "error); null while active."
    )
    paused_at: datetime | None = strawberry.field(description="When it was paused; null while active.")
    consecutive_failures: int = strawberry.field(
        description="Failed attempts in a row since the last success; reaching the server's limit pauses it."
    )
    created_at: datetime = strawberry.field(description="When it was registered.")
    provider_id: strawberry.Private[int]

    computed: ClassVar[frozenset[str]] = frozenset({"event_types"})
    needs: ClassVar[dict[str, tuple[str, ...]]] = {"eventTypes": ("event_types",), "attempts": ()}

    @classmethod
    def compute(cls, row: Any) -> dict[str, Any]:
        return {"event_types": [OrderAction[name] for name in row.event_types]}

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.endpoint_loader(info.context)

    provider = related_field(
        Provider, "provider_id", description="The provider whose orders' events it receives."
    )
    attempts = connection_field(
        lazy("WebhookAttemptConnection", __name__),
        resolvers.attempts_of_endpoint,
        description="The delivery log: every request sent to the endpoint, newest first.",
        filter=lazy("WebhookAttemptFilter", "schema.webhooks.filters"),
        parent=lambda endpoint: endpoint.id,
    )


@strawberry.type(description="One request sent to a webhook endpoint, as the delivery log keeps it.")
class WebhookAttempt(RowNode):
    max_id: ClassVar[int] = 2**63 - 1
    id: relay.NodeID[int]
    number: int = strawberry.field(
        description="Which attempt at the event this was: 1 for the first, 2 for the first retry…"
    )
    attempted_at: datetime = strawberry.field(description="When the request was sent.")
    status_code: int | None = strawberry.field(
        description="The HTTP status the endpoint answered; null when no answer came (see `error`)."
    )
    duration_ms: int = strawberry.field(description="How long the attempt took, in milliseconds.")
    succeeded: bool = strawberry.field(description="Whether the endpoint answered with a 2xx status.")
    error: str | None = strawberry.field(
        description="Why no answer came (refused address, timeout, connection error); null when one came."
    )
    next_retry_at: datetime | None = strawberry.field(
        description="When the event is tried again; null when it succeeded or was given up (retries last a day)."
    )
    event_id: strawberry.Private[int]
    order_id: strawberry.Private[int]

    @strawberry.field(description="The `webhook-id` sent: the same for every attempt at one event.")
    def message_id(self) -> str:
        return f"evt_{self.event_id}"

    order = related_field(Order, "order_id", description="The order the event is about.")
    event = related_field(OrderEvent, "event_id", description="The order event that was sent.")


@strawberry.type(description="A page of webhook endpoints.")
class WebhookEndpointConnection(Connection[WebhookEndpoint]):
    pass


@strawberry.type(description="A page of a webhook endpoint's delivery log.")
class WebhookAttemptConnection(Connection[WebhookAttempt]):
    pass
