"""Reading webhook endpoints and their delivery logs, as their owners see them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Select
from strawberry.dataloader import DataLoader

from models import EndpointStatus, WebhookAttempt, WebhookEndpoint
from resolvers.access import require_role, visible_webhook_attempts, visible_webhook_endpoints
from resolvers.context import Context, Viewer
from resolvers.loading import STATEMENTS_KEPT, by_id
from resolvers.pagination import Ordering, Page, PageRequest, child_pages, paginate

# Newest first: an owner looks for what was registered, and what was tried, last.
ENDPOINT_ORDERING = Ordering(
    key="webhook_endpoint.ID", column=WebhookEndpoint.id, tiebreaker=WebhookEndpoint.id, descending=True
)
ATTEMPT_ORDERING = Ordering(
    key="webhook_attempt.ID", column=WebhookAttempt.id, tiebreaker=WebhookAttempt.id, descending=True
)


def endpoint_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, WebhookEndpoint, visible_webhook_endpoints(ctx.viewer))


@dataclass(frozen=True)
class EndpointFilter:
    provider_id: int | None = None
    status: EndpointStatus | None = None


async def endpoints(ctx: Context, f: EndpointFilter, page: PageRequest) -> Page[WebhookEndpoint]:
    """The endpoints the viewer manages (its provider's, or any for an administrator)."""
    return await paginate(ctx, _endpoints_query(require_role(ctx), f), ENDPOINT_ORDERING, page)


# Statements kept per viewer and filter, so that pages reuse theirs (`resolvers.loading`).
@lru_cache(maxsize=STATEMENTS_KEPT)
def _endpoints_query(viewer: Viewer, f: EndpointFilter) -> Select[Any]:
    stmt = visible_webhook_endpoints(viewer)
    if f.provider_id is not None:
        stmt = stmt.where(WebhookEndpoint.provider_id == f.provider_id)
    if f.status is not None:
        stmt = stmt.where(WebhookEndpoint.status == f.status)
    return stmt


@dataclass(frozen=True)
class AttemptFilter:
    succeeded: bool | None = None


async def attempts_of_endpoint(
    ctx: Context, endpoint_id: int, f: AttemptFilter, page: PageRequest
) -> Page[WebhookAttempt]:
    """Every request sent to the endpoint, newest first."""
    stmt = _attempts_query(ctx.viewer, f)
    loader = child_pages(
        ctx, ("webhook_endpoint.attempts", f), stmt, WebhookAttempt.endpoint_id, ATTEMPT_ORDERING, page
    )
    return await loader.load(endpoint_id)


@lru_cache(maxsize=STATEMENTS_KEPT)
def _attempts_query(viewer: Viewer, f: AttemptFilter) -> Select[Any]:
    stmt = visible_webhook_attempts(viewer)
    if f.succeeded is not None:
        stmt = stmt.where(WebhookAttempt.succeeded == f.succeeded)
    return stmt
