"""Who sees and registers providers' webhook endpoints and their delivery log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false, select

from models import (
    Role,
    WebhookAttempt,
    WebhookEndpoint,
)
from resolvers.access.catalog import acts_for_provider
from resolvers.context import Viewer


def visible_webhook_endpoints(viewer: Viewer) -> Select[Any]:
    """A provider's staff see and manage their provider's endpoints, administrators all; nobody else any."""
    stmt = select(WebhookEndpoint)
    if viewer.is_admin:
        return stmt
    if viewer.role is Role.PROVIDER_STAFF:
        return stmt.where(WebhookEndpoint.provider_id == viewer.provider_id)
    return stmt.where(false())


def visible_webhook_attempts(viewer: Viewer) -> Select[Any]:
    """The delivery log of an endpoint is seen by whoever sees the endpoint."""
    endpoint_ids = visible_webhook_endpoints(viewer).with_only_columns(WebhookEndpoint.id)
    return select(WebhookAttempt).where(WebhookAttempt.endpoint_id.in_(endpoint_ids))


def may_register_webhooks_for(viewer: Viewer, provider_id: int | None) -> bool:
    """Staff register endpoints for their own provider (named or left out); administrators for any."""
    return (
        acts_for_provider(viewer, provider_id)
        if provider_id is not None
        else viewer.role is Role.PROVIDER_STAFF
    )
