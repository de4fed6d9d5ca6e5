"""Webhook endpoints of providers, the deliveries of order events to them, and every attempt."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, enum_column


class EndpointStatus(enum.Enum):
    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"


class DeliveryStatus(enum.Enum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    GIVEN_UP = "GIVEN_UP"


class WebhookEndpoint(Base):
    """A URL of a provider's own system that receives the events of the provider's orders.

    `position` is the endpoint's cursor in the order-event outbox (`order_events.commit_order`):
    events up to it have a delivery row. It starts at the newest event when the endpoint is
    registered, so an endpoint receives what happens from then on.
    """

    __tablename__ = "webhook_endpoints"
    __table_args__ = (Index("ix_webhook_endpoints_provider_id_id", "provider_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), nullable=False)
    url: Mapped[str] = mapped_column(String(2000), nullable=False)
    description: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # Kept as issued, not hashed: Standard Webhooks signs with an HMAC, so the sender needs the
    # secret itself. Encrypting it under a key from the environment would keep it out of a bare
    # database dump, but ties every endpoint to that key's rotation and adds a dependency; the
    # same database already holds residents' personal data. It is never read back by the API.
    secret: Mapped[str] = mapped_column(String(100), nullable=False)
    event_types: Mapped[list[str]] = mapped_column(
        ARRAY(String(32)), nullable=False, default=list, server_default=text("'{}'")
    )
    """Names of order actions to send; empty sends every event."""
    status: Mapped[EndpointStatus] = mapped_column(
        enum_column(EndpointStatus), nullable=False, default=EndpointStatus.ACTIVE
    )
    paused_reason: Mapped[str | None] = mapped_column(Text)
    paused_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    consecutive_failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    position: Mapped[int] = mapped_column(BigInteger, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class WebhookDelivery(Base):
    """One order event owed to one endpoint, until it is delivered or given up.

    Workers of any process claim a due delivery by leasing it (`leased_until`) in a short
    transaction with `FOR UPDATE SKIP LOCKED`, send it outside any transaction, then record
    the outcome; a worker that dies loses its lease when it expires and another sends again.
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id"),
        # The claim: pending deliveries by when they are due.
        Index(
            "ix_webhook_deliveries_next_attempt_at",
            "next_attempt_at",
            postgresql_where=text("status = 'PENDING'"),
        ),
        # In order per order: whether an earlier event of the same order is still owed.
        Index(
            "ix_webhook_deliveries_endpoint_id_order_id_position",
            "endpoint_id",
            "order_id",
            "position",
            postgresql_where=text("status = 'PENDING'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("order_events.id"), nullable=False)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), nullable=False)
    position: Mapped[int] = mapped_column(BigInteger, nullable=False)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus), nullable=False, default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    leased_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WebhookAttempt(Base):
    """One request sent to an endpoint, as its owner reads it in the delivery log."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (
        Index("ix_webhook_attempts_endpoint_id_id", "endpoint_id", "id"),
        Index("ix_webhook_attempts_delivery_id", "delivery_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), nullable=False
    )
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("order_events.id"), nullable=False)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    """1 for the first attempt at the delivery, 2 for its first retry…"""
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer, nullable=False)
    succeeded: Mapped[bool] = mapped_column(Boolean, nullable=False)
    error: Mapped[str | None] = mapped_column(Text)
    next_retry_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
