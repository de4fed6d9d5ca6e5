"""The delivery queue: order events owed to endpoints, claimed by one worker at a time, and their outcomes.

The order history is the outbox (`resolvers.orders.events`). `enqueue` turns the events
after each active endpoint's position into delivery rows, in the transaction that moves
the position on, so an event is owed exactly once to each endpoint whatever processes run.
`claim` leases due deliveries (`FOR UPDATE SKIP LOCKED`, then a lease that outlives the
request): two processes never send one at the same time, and a worker that dies loses its
lease so another sends again (at least once). A delivery is due only when no earlier
event of its order is still owed to its endpoint: events of one order arrive in order.
`record` writes the attempt to the log and decides what follows: done, a retry after an
exponential backoff with jitter, or given up after the retry window; an endpoint whose
attempts keep failing is paused, with the reason its owner reads.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, and_, any_, exists, func, insert, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from doorstep.settings import WebhookSettings
from models import (
    DeliveryStatus,
    EndpointStatus,
    Order,
    OrderEvent,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


async def enqueue(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    """Owes each active endpoint the events of its provider's orders committed since its position.

    One transaction for all the endpoints it locks; endpoints another process is enqueuing
    for are skipped, not waited for. Returns how many deliveries were added.
    """
    async with sessionmaker() as session, session.begin():
        newest = await session.scalar(select(func.coalesce(func.max(OrderEvent.commit_order), 0)))
        endpoint_ids = list(
            await session.scalars(
                select(WebhookEndpoint.id)
                .where(WebhookEndpoint.status == EndpointStatus.ACTIVE, WebhookEndpoint.position < newest)
                .with_for_update(skip_locked=True)
            )
        )
        if not endpoint_ids:
            return 0
        # Every event up to `newest` is committed already: positions are drawn in commit
        # order, so none below it can commit later (resolvers.orders.events.append_event).
        owed = (
            select(
                WebhookEndpoint.id,
                OrderEvent.id,
                OrderEvent.order_id,
                OrderEvent.commit_order,
                literal(DeliveryStatus.PENDING.name),
            )
            .join(
                OrderEvent,
                and_(OrderEvent.commit_order > WebhookEndpoint.position, OrderEvent.commit_order <= newest),
            )
            .join(
                Order, and_(Order.id == OrderEvent.order_id, Order.provider_id == WebhookEndpoint.provider_id)
            )
            .where(
                WebhookEndpoint.id.in_(endpoint_ids),
                or_(
                    func.cardinality(WebhookEndpoint.event_types) == 0,
                    OrderEvent.action == any_(WebhookEndpoint.event_types),
                ),
            )
        )
        added = await session.execute(
            pg_insert(WebhookDelivery)
            .from_select(["endpoint_id", "event_id", "order_id", "position", "status"], owed)
            .on_conflict_do_nothing()
            .returning(WebhookDelivery.id)
        )
        await session.execute(
            update(WebhookEndpoint).where(WebhookEndpoint.id.in_(endpoint_ids)).values(position=newest)
        )
        return len(added.all())


@dataclass(frozen=True)
class Claimed:
    """A delivery leased to this worker, with what its request needs."""

    delivery_id: int
    attempt: int
    """1 for the first attempt, 2 for the first retry…"""
    created_at: datetime
    endpoint_id: int
    url: str
    secret: str
    event: OrderEvent
    order: Order


def _first_owed_of_its_order() -> ColumnElement[bool]:
    """No earlier event of the delivery's order is still owed to its endpoint."""
    earlier = aliased(WebhookDelivery)
    return ~exists().where(
        earlier.endpoint_id == WebhookDelivery.endpoint_id,
        earlier.order_id == WebhookDelivery.order_id,
        earlier.status == DeliveryStatus.PENDING,
        earlier.position < WebhookDelivery.position,
    )


async def claim(
    sessionmaker: async_sessionmaker[AsyncSession], limit: int, lease: timedelta
) -> list[Claimed]:
    """Leases up to `limit` due deliveries of active endpoints, the earliest due first."""
    now = func.now()
    due = (
        select(WebhookDelivery.id)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_attempt_at <= now,
            or_(WebhookDelivery.leased_until.is_(None), WebhookDelivery.leased_until < now),
            WebhookEndpoint.status == EndpointStatus.ACTIVE,
            _first_owed_of_its_order(),
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.position)
        .limit(limit)
        .with_for_update(of=WebhookDelivery, skip_locked=True)
        .cte("due")
    )
    async with sessionmaker() as session, session.begin():
        leased = list(
            await session.scalars(
                update(WebhookDelivery)
                .where(WebhookDelivery.id.in_(select(due.c.id)))
                .values(leased_until=now + lease, attempts=WebhookDelivery.attempts + 1)
                .returning(WebhookDelivery.id)
            )
        )
        if not leased:
            return []
        rows = await session.execute(
            select(WebhookDelivery, WebhookEndpoint.url, WebhookEndpoint.secret, OrderEvent, Order)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .join(OrderEvent, OrderEvent.id == WebhookDelivery.event_id)
            .join(Order, Order.id == WebhookDelivery.order_id)
            .where(WebhookDelivery.id.in_(leased))
            .order_by(WebhookDelivery.position)
        )
        return [
            Claimed(
                delivery_id=delivery.id,
                attempt=delivery.attempts,
                created_at=delivery.created_at,
                endpoint_id=delivery.endpoint_id,
                url=url,
                secret=secret,
                event=event,
                order=order,
            )
            for delivery, url, secret, event, order in rows
        ]


@dataclass(frozen=True)
class Outcome:
    """What one request came to."""

    attempted_at: datetime
    duration_ms: int
    status_code: int | None = None
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.error is None and self.status_code is not None and 200 <= self.status_code < 300


def retry_delay(settings: WebhookSettings, attempt: int) -> float:
    """Seconds before the attempt after `attempt`: doubling from the base up to the cap, with
    "equal jitter" (half fixed, half random), so endpoints that failed together do not all
    retry at the same instant, yet no retry comes much sooner than its schedule."""
    ceiling = min(settings.retry_max_seconds, settings.retry_base_seconds * 2 ** min(attempt - 1, 40))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


@dataclass(frozen=True)
class Recorded:
    """What `record` decided: the delivery's status now, and whether its endpoint was paused by it."""

    status: DeliveryStatus
    next_retry_at: datetime | None
    paused_endpoint: bool


def _pause_reason(failures: int, outcome: Outcome) -> str:
    last = outcome.error or f"HTTP {outcome.status_code}"
    return f"Paused after {failures} failed attempts in a row; the last one: {last}."


async def record(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: WebhookSettings,
    claimed: Claimed,
    outcome: Outcome,
) -> Recorded | None:
    """Logs the attempt and moves the delivery on; None when the endpoint was deleted meanwhile."""
    now = datetime.now(UTC)
    status, next_retry_at = DeliveryStatus.DELIVERED, None
    if not outcome.succeeded:
        retry_at = now + timedelta(seconds=retry_delay(settings, claimed.attempt))
        if retry_at - claimed.created_at > timedelta(seconds=settings.retry_window_seconds):
            # Given up: the next event of its order goes out; the log keeps every attempt.
            status = DeliveryStatus.GIVEN_UP
        else:
            status, next_retry_at = DeliveryStatus.PENDING, retry_at
    async with sessionmaker() as session, session.begin():
        # The endpoint before the delivery, the order in which deleting or resuming an
        # endpoint locks them too: never each waiting for the other.
        paused = False
        if outcome.succeeded:
            await session.execute(
                update(WebhookEndpoint)
                .where(WebhookEndpoint.id == claimed.endpoint_id, WebhookEndpoint.consecutive_failures != 0)
                .values(consecutive_failures=0)
            )
        else:
            failures = await session.scalar(
                update(WebhookEndpoint)
                .where(WebhookEndpoint.id == claimed.endpoint_id)
                .values(consecutive_failures=WebhookEndpoint.consecutive_failures + 1)
                .returning(WebhookEndpoint.consecutive_failures)
            )
            if failures is not None and failures >= settings.pause_after_failures:
                paused = (
                    await session.scalar(
                        update(WebhookEndpoint)
                        .where(
                            WebhookEndpoint.id == claimed.endpoint_id,
                            WebhookEndpoint.status == EndpointStatus.ACTIVE,
                        )
                        .values(
                            status=EndpointStatus.PAUSED,
                            paused_reason=_pause_reason(failures, outcome),
                            paused_at=now,
                        )
                        .returning(WebhookEndpoint.id)
                    )
                    is not None
                )
        changed = await session.scalar(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == claimed.delivery_id)
            .values(
                status=status,
                leased_until=None,
                next_attempt_at=next_retry_at or WebhookDelivery.next_attempt_at,
                finished_at=None if status is DeliveryStatus.PENDING else now,
            )
            .returning(WebhookDelivery.id)
        )
        if changed is None:
            return None
        await session.execute(
            insert(WebhookAttempt).values(
                delivery_id=claimed.delivery_id,
                endpoint_id=claimed.endpoint_id,
                event_id=claimed.event.id,
                order_id=claimed.order.id,
                number=claimed.attempt,
                attempted_at=outcome.attempted_at,
                status_code=outcome.status_code,
                duration_ms=outcome.duration_ms,
                succeeded=outcome.succeeded,
                error=outcome.error,
                next_retry_at=next_retry_at,
            )
        )
    return Recorded(status=status, next_retry_at=next_retry_at, paused_endpoint=paused)


async def next_due(sessionmaker: async_sessionmaker[AsyncSession]) -> datetime | None:
    """When the soonest delivery that could be claimed falls due (or its lease ends); events
    waiting behind an earlier one of their order are not, however long they have waited."""
    async with sessionmaker() as session:
        return await session.scalar(
            select(func.min(func.greatest(WebhookDelivery.next_attempt_at, WebhookDelivery.leased_until)))
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(
                WebhookDelivery.status == DeliveryStatus.PENDING,
                WebhookEndpoint.status == EndpointStatus.ACTIVE,
                _first_owed_of_its_order(),
            )
        )
