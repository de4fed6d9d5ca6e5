"""Orders of stations to providers (基层订购、部门送订单) and their history; the three meetings (三会)
about them are `models.meetings`."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.accounts import Role
from models.base import Base, Timestamped, enum_column
from models.lists import Urgency


class OrderKind(enum.Enum):
    CATALOG = "CATALOG"  # a published service or project (基层订购、部门送订单)
    WHISTLE = "WHISTLE"  # a matter outside any catalog, a department called in (吹哨报到)


class OrderStatus(enum.Enum):
    SUBMITTED = "SUBMITTED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    SCHEDULED = "SCHEDULED"
    IN_PROGRESS = "IN_PROGRESS"
    DELIVERED = "DELIVERED"
    COMPLETED = "COMPLETED"
    EVALUATED = "EVALUATED"
    CANCELLED = "CANCELLED"


# Orders in these states still owe a delivery: the partial indexes below and the delivery
# deadline of resolvers.orders.deadlines share the list.
AWAITING_DELIVERY = (
    OrderStatus.SUBMITTED,
    OrderStatus.ACCEPTED,
    OrderStatus.SCHEDULED,
    OrderStatus.IN_PROGRESS,
)


# Orders in these states take no capacity and no authorization of a hearing.
RELEASED = (OrderStatus.DECLINED, OrderStatus.CANCELLED)


class OrderAction(enum.Enum):
    PLACE = "PLACE"
    ACCEPT = "ACCEPT"
    DECLINE = "DECLINE"
    SCHEDULE = "SCHEDULE"
    START = "START"
    DELIVER = "DELIVER"
    CONFIRM_DELIVERY = "CONFIRM_DELIVERY"
    REJECT_DELIVERY = "REJECT_DELIVERY"
    CANCEL = "CANCEL"
    EVALUATE = "EVALUATE"
    RECORD_COORDINATION_MEETING = "RECORD_COORDINATION_MEETING"
    # Raised by the server, not by a person: see resolvers.orders.alerts.
    DEADLINE_NEARING = "DEADLINE_NEARING"
    DEADLINE_PASSED = "DEADLINE_PASSED"
    # A called department hands a whistle on to another (resolvers.orders.whistles).
    REFER = "REFER"
    # Town supervision (督办): resolvers.supervision.
    URGE = "URGE"
    ESCALATE = "ESCALATE"
    EXTEND_DEADLINE = "EXTEND_DEADLINE"
    REASSIGN = "REASSIGN"


DEADLINE_ALERTS = (OrderAction.DEADLINE_NEARING, OrderAction.DEADLINE_PASSED)


class Deadline(enum.Enum):
    RESPONSE = "RESPONSE"  # accept or decline
    DELIVERY = "DELIVERY"


# The columns statistics aggregate and group by, besides when the order was placed.
STATISTICS_COLUMNS = (
    "station_id",
    "provider_id",
    "service_id",
    "project_id",
    "urgency",
    "status",
    "responded_at",
    "delivered_at",
    "response_due_at",
    "delivery_due_at",
    "rating",
    "satisfaction",
    "hours_to_accept",
    "hours_to_deliver",
)


# The times statistics sort within groups, held by the indexes of orders by station, provider,
# urgency and kind.
TIMES = ["hours_to_accept", "hours_to_deliver"]


# The columns statistics read of an order whose deadline passed unmet, besides the due time.
OVERDUE_STATISTICS_COLUMNS = (
    "created_at",
    "station_id",
    "provider_id",
    "service_id",
    "project_id",
    "urgency",
    "responded_at",
    "delivered_at",
)


def _quoted(statuses: Iterable[enum.Enum]) -> str:
    return ", ".join(f"'{status.name}'" for status in statuses)


class Order(Base, Timestamped):
    """A station's order of a published service or project from its provider."""

    __tablename__ = "orders"
    __table_args__ = (
        # A catalog order names its service or project; a whistle names none and describes its matter.
        CheckConstraint(
            "(kind = 'CATALOG' AND (service_id IS NULL) <> (project_id IS NULL) AND matter IS NULL)"
            " OR (kind = 'WHISTLE' AND service_id IS NULL AND project_id IS NULL AND matter IS NOT NULL)",
            name="one_subject",
        ),
        CheckConstraint("quantity BETWEEN 1 AND 10000", name="quantity_range"),
        CheckConstraint("requested_end >= requested_start", name="window_ordered"),
        CheckConstraint("(resident_name IS NULL) = (resident_phone IS NULL)", name="resident_complete"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint("satisfaction BETWEEN 0 AND 100", name="satisfaction_range"),
        CheckConstraint(
            "(responsible_name IS NULL) = (responsible_phone IS NULL)", name="responsible_complete"
        ),
        CheckConstraint(
            "responsible_name IS NOT NULL OR status IN ('SUBMITTED', 'DECLINED', 'CANCELLED')",
            name="responsible_once_accepted",
        ),
        CheckConstraint("(status = 'EVALUATED') = (rating IS NOT NULL)", name="rated_when_evaluated"),
        # Retrying a placement with the same key finds the first order (see resolvers.orders.placement).
        UniqueConstraint("placed_by_id", "idempotency_key"),
        Index("ix_orders_created_at_id", "created_at", "id"),
        Index("ix_orders_requested_start_id", "requested_start", "id"),
        Index("ix_orders_response_due_at_id", "response_due_at", "id"),
        Index("ix_orders_delivery_due_at_id", "delivery_due_at", "id"),
        # A station's, provider's, urgency's and kind's orders by time (lists, keyset pages), each
        # holding the times statistics sort within groups by it: narrower than the covering
        # indexes below, and in the order of the groups.
        Index(
            "ix_orders_station_id_created_at_id",
            "station_id",
            "created_at",
            "id",
            postgresql_include=TIMES,
        ),
        Index(
            "ix_orders_provider_id_created_at_id",
            "provider_id",
            "created_at",
            "id",
            postgresql_include=TIMES,
        ),
        Index("ix_orders_status_created_at_id", "status", "created_at", "id"),
        Index("ix_orders_urgency_created_at_id", "urgency", "created_at", "id", postgresql_include=TIMES),
        Index("ix_orders_kind_created_at_id", "kind", "created_at", "id", postgresql_include=TIMES),
        # Capacity sums the live orders of a subject by requested start.
        Index("ix_orders_service_id_requested_start", "service_id", "requested_start"),
        Index("ix_orders_project_id_requested_start", "project_id", "requested_start"),
        # Statistics and rankings (resolvers.statistics) read every column they aggregate from these
        # two, without visiting the table: by date range over all stations, and station by station
        # (a town's or district's stations, one index range each).
        Index("ix_orders_statistics_created_at", "created_at", postgresql_include=list(STATISTICS_COLUMNS)),
        Index(
            "ix_orders_statistics_station_id_created_at",
            "station_id",
            "created_at",
            postgresql_include=[column for column in STATISTICS_COLUMNS if column != "station_id"],
        ),
        Index("ix_orders_demand_id", "demand_id"),
        Index("ix_orders_hearing_id", "hearing_id"),
        # The deadline-alert scan: only the orders that can still be late are indexed.
        Index(
            "ix_orders_response_alert_at_awaiting_response",
            "response_alert_at",
            postgresql_where=text("status = 'SUBMITTED'"),
        ),
        Index(
            "ix_orders_delivery_alert_at_awaiting_delivery",
            "delivery_alert_at",
            postgresql_where=text(f"status IN ({_quoted(AWAITING_DELIVERY)})"),
        ),
        # The overdue filter: only the orders that can still be overdue are indexed. Statistics
        # count the overdue ones of a range live from these alone (resolvers.statistics.summary).
        Index(
            "ix_orders_response_due_at_awaiting_response",
            "response_due_at",
            postgresql_include=list(OVERDUE_STATISTICS_COLUMNS),
            postgresql_where=text("status = 'SUBMITTED'"),
        ),
        Index(
            "ix_orders_delivery_due_at_awaiting_delivery",
            "delivery_due_at",
            postgresql_include=list(OVERDUE_STATISTICS_COLUMNS),
            postgresql_where=text(f"status IN ({_quoted(AWAITING_DELIVERY)})"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrderKind] = mapped_column(
        enum_column(OrderKind),
        nullable=False,
        default=OrderKind.CATALOG,
        server_default=OrderKind.CATALOG.name,
    )
    # A whistle's matter, as the station describes it; null for catalog orders.
    matter: Mapped[str | None] = mapped_column(Text)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    # The provider of the subject (the called department of a whistle), kept on the order so visibility and lists need no join.
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), nullable=False)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    demand_id: Mapped[int | None] = mapped_column(ForeignKey("demands.id"))
    hearing_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    placed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    idempotency_key: Mapped[str] = mapped_column(String(100), nullable=False)
    request_hash: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of the normalized placement request: a retry under the key must match it whole.
    Null for orders placed before it was kept (their retry is compared field by field)."""
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    requested_start: Mapped[date] = mapped_column(Date, nullable=False)
    requested_end: Mapped[date] = mapped_column(Date, nullable=False)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), nullable=False)
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus), nullable=False)
    # Optimistic concurrency: every change is `… WHERE version = <the version read>`.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    response_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    delivery_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # When the deadlines are near enough to alert the provider: a quarter of the time limit before.
    response_alert_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    delivery_alert_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # Proxy service (代办): the resident the station orders for. Personal data, shown to few.
    resident_name: Mapped[str | None] = mapped_column(String(50))
    resident_phone: Mapped[str | None] = mapped_column(String(32))
    # Designated responsibility (指定责任制): named when the provider accepts.
    responsible_name: Mapped[str | None] = mapped_column(String(50))
    responsible_phone: Mapped[str | None] = mapped_column(String(32))
    responsible_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    scheduled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger)
    evaluation_comment: Mapped[str | None] = mapped_column(Text)
    evaluated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When each deadline was met (resolvers.orders.deadlines): the provider's answer (accept or
    # decline), and the delivery (cleared when the station rejects it, set again at the next).
    # Kept on the order so statistics read one row per order, never its history.
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The times whose median and p90 statistics give, in hours, computed by the database when the
    # order changes (not for every order a statistic counts) and held in its covering indexes.
    hours_to_accept: Mapped[float | None] = mapped_column(
        Float,
        Computed(
            "CASE WHEN responded_at IS NOT NULL AND status <> 'DECLINED' "
            "THEN date_part('epoch', responded_at - created_at) / 3600.0 END",
            persisted=True,
        ),
    )
    hours_to_deliver: Mapped[float | None] = mapped_column(
        Float,
        Computed(
            "CASE WHEN delivered_at IS NOT NULL THEN date_part('epoch', delivered_at - created_at) / 3600.0 END",
            persisted=True,
        ),
    )


class OrderEvent(Base):
    """One change of an order, appended in the transaction that made it and never changed.

    The order history is also the outbox subscriptions read: `commit_order` grows in commit
    order (drawn at commit by a deferred trigger, see resolvers.orders.events.append_event),
    so it serves as the subscription cursor. Deadline alerts are events the server raises,
    with no actor and naming their deadline.
    """

    __tablename__ = "order_events"
    __table_args__ = (
        Index("ix_order_events_order_id_id", "order_id", "id"),
        Index("ix_order_events_commit_order", "commit_order", unique=True),
        CheckConstraint(
            f"(action IN ({_quoted(DEADLINE_ALERTS)})) = (deadline IS NOT NULL)"
            " AND (deadline IS NULL) = (actor_id IS NOT NULL)"
            " AND (actor_id IS NULL) = (actor_role IS NULL)",
            name="alerts_have_a_deadline_and_no_actor",
        ),
        # An alert is raised once per order, deadline and stage, however many processes scan.
        Index(
            "uq_order_events_order_id_deadline_action",
            "order_id",
            "deadline",
            "action",
            unique=True,
            postgresql_where=text("deadline IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), nullable=False)
    action: Mapped[OrderAction] = mapped_column(enum_column(OrderAction), nullable=False)
    from_status: Mapped[OrderStatus | None] = mapped_column(enum_column(OrderStatus, name="from_status"))
    to_status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus, name="to_status"), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[Role | None] = mapped_column(enum_column(Role))
    deadline: Mapped[Deadline | None] = mapped_column(enum_column(Deadline))
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    occurred_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    commit_order: Mapped[int | None] = mapped_column(BigInteger)
    """Where the event sits in commit order; drawn as the transaction commits, so null only
    inside the transaction that writes it."""
