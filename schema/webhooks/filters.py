"""Which webhook endpoints, and which attempts of a delivery log, to list."""

from __future__ import annotations

import strawberry
from strawberry import relay

from models import EndpointStatus
from resolvers.webhooks import queries as resolvers
from schema.catalog.types import Provider
from schema.connections import FilterInput
from schema.inputs import fields_of


@strawberry.input(description="Which webhook endpoints to list, among those you manage.")
class WebhookEndpointFilter(FilterInput):
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Endpoints of this provider."
    )
    status: EndpointStatus | None = strawberry.field(default=None, description="Endpoints in this status.")

    def to_filter(self) -> resolvers.EndpointFilter:
        return fields_of(self, resolvers.EndpointFilter, ids={"provider_id": Provider})


@strawberry.input(description="Which attempts of a delivery log to list.")
class WebhookAttemptFilter(FilterInput):
    succeeded: bool | None = strawberry.field(
        default=None, description="Only successful (true) or failed (false) attempts."
    )

    def to_filter(self) -> resolvers.AttemptFilter:
        return resolvers.AttemptFilter(succeeded=self.succeeded)
