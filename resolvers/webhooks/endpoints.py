"""Registering, pausing, resuming and deleting webhook endpoints (a provider's staff, administrators)."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    DeliveryStatus,
    EndpointStatus,
    OrderAction,
    OrderEvent,
    Provider,
    WebhookDelivery,
    WebhookEndpoint,
)
from resolvers.access import (
    WEBHOOK_OWNERS,
    may_register_webhooks_for,
    require_role,
    visible_webhook_endpoints,
)
from resolvers.context import Context
from resolvers.editing import check_exists
from resolvers.errors import Checks, ErrorCode, Refused, UserError
from resolvers.webhooks.addresses import MAX_URL_LENGTH, AddressRefused, resolve

PAUSED_BY_OWNER = "Paused by its owner."


def new_secret() -> str:
    """A signing secret as Standard Webhooks spells it: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


@dataclass(frozen=True)
class EndpointFields:
    url: str | None
    description: str | None = ""
    event_types: list[OrderAction] = field(default_factory=list)
    """The order actions to send; empty sends all."""


@dataclass(frozen=True)
class NewEndpoint:
    endpoint: WebhookEndpoint
    secret: str
    """Shown once, in the answer to its registration."""


async def create_endpoint(ctx: Context, provider_id: int | None, f: EndpointFields) -> NewEndpoint:
    viewer = require_role(ctx, *WEBHOOK_OWNERS)
    checks = Checks()
    if provider_id is None and viewer.is_admin:
        checks.fail("provider_id", ErrorCode.REQUIRED, "`provider_id` is required: name the provider.")
    elif not may_register_webhooks_for(viewer, provider_id):
        checks.fail(
            "provider_id", ErrorCode.NOT_PERMITTED, "You may register webhooks only for your provider."
        )
    owner = provider_id if provider_id is not None else viewer.provider_id
    url = (f.url or "").strip()
    checks.text("url", url, max_length=MAX_URL_LENGTH)
    checks.text("description", f.description, max_length=200, required=False)
    if url and len(url) <= MAX_URL_LENGTH:
        # Resolved before the transaction: a slow name server holds no row and no connection.
        try:
            await resolve(url, allow_private=ctx.settings.webhooks.allow_private)
        except AddressRefused as refused:
            checks.fail("url", ErrorCode.INVALID, f"`url` cannot receive webhooks: {refused}.")
    secret = new_secret()
    async with ctx.transaction() as session:
        await check_exists(session, checks, "provider_id", Provider, owner)
        checks.done()
        # From the newest event on: an endpoint receives what happens after it is registered.
        position = await session.scalar(select(func.coalesce(func.max(OrderEvent.commit_order), 0)))
        endpoint = WebhookEndpoint(
            provider_id=owner,
            url=url,
            description=(f.description or "").strip(),
            secret=secret,
            event_types=sorted({action.value for action in f.event_types}),
            status=EndpointStatus.ACTIVE,
            consecutive_failures=0,
            position=position,
            created_by_id=viewer.user_id,
        )
        session.add(endpoint)
        await session.flush()
        await session.refresh(endpoint)
    return NewEndpoint(endpoint=endpoint, secret=secret)


async def _endpoint_to_change(ctx: Context, session: AsyncSession, endpoint_id: int) -> WebhookEndpoint:
    """The endpoint, locked until the transaction ends; one the viewer may not see is not found."""
    stmt = (
        visible_webhook_endpoints(ctx.viewer)
        .where(WebhookEndpoint.id == endpoint_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    endpoint = await session.scalar(stmt)
    if endpoint is None:
        raise Refused(UserError(ErrorCode.NOT_FOUND, "No such webhook endpoint.", ["endpoint_id"]))
    return endpoint


async def pause_endpoint(ctx: Context, endpoint_id: int) -> WebhookEndpoint:
    """Stops sending to the endpoint; its events are kept and sent in order once it is resumed."""
    require_role(ctx, *WEBHOOK_OWNERS)
    async with ctx.transaction() as session:
        endpoint = await _endpoint_to_change(ctx, session, endpoint_id)
        if endpoint.status is EndpointStatus.ACTIVE:
            endpoint.status = EndpointStatus.PAUSED
            endpoint.paused_reason = PAUSED_BY_OWNER
            endpoint.paused_at = datetime.now(UTC)
        return endpoint


async def resume_endpoint(ctx: Context, endpoint_id: int) -> WebhookEndpoint:
    """Sends to the endpoint again, starting with what is owed to it, at once."""
    require_role(ctx, *WEBHOOK_OWNERS)
    async with ctx.transaction() as session:
        endpoint = await _endpoint_to_change(ctx, session, endpoint_id)
        endpoint.status = EndpointStatus.ACTIVE
        endpoint.paused_reason = None
        endpoint.paused_at = None
        endpoint.consecutive_failures = 0
        await session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.endpoint_id == endpoint_id,
                WebhookDelivery.status == DeliveryStatus.PENDING,
            )
            .values(next_attempt_at=func.now())
        )
        return endpoint


async def delete_endpoint(ctx: Context, endpoint_id: int) -> int:
    """Deletes the endpoint with its deliveries and log; the id it had."""
    require_role(ctx, *WEBHOOK_OWNERS)
    async with ctx.transaction() as session:
        await _endpoint_to_change(ctx, session, endpoint_id)
        await session.execute(delete(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id))
    return endpoint_id
