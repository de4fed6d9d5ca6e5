"""Cases (matters) residents bring to a station, owned by whoever first received them (首问责任制)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.accounts import Role
from models.base import Base, Timestamped, enum_column
from models.lists import Urgency


class CaseKind(enum.Enum):
    CONSULTATION = "CONSULTATION"  # 咨询
    HELP = "HELP"  # 求助
    COMPLAINT = "COMPLAINT"  # 投诉
    SUGGESTION = "SUGGESTION"  # 建议


class CaseStatus(enum.Enum):
    RECEIVED = "RECEIVED"
    HANDLED = "HANDLED"  # on the spot (当场办结)
    ORDERED = "ORDERED"  # turned into an order of the catalog
    DEMANDED = "DEMANDED"  # turned into a demand of the station
    WHISTLED = "WHISTLED"  # turned into a whistle to a department (吹哨)
    TASKED = "TASKED"  # turned into a task dispatched to the station's volunteers (派单)
    CLOSED = "CLOSED"  # the result was told to the resident
    EVALUATED = "EVALUATED"  # the resident answered how satisfied they are


class CaseRoute(enum.Enum):
    """How a case was taken on once received, kept after it closes so figures group by it."""

    ON_THE_SPOT = "ON_THE_SPOT"
    ORDER = "ORDER"
    DEMAND = "DEMAND"
    WHISTLE = "WHISTLE"
    TASK = "TASK"


class CaseAction(enum.Enum):
    RECEIVE = "RECEIVE"
    HANDLE_ON_SPOT = "HANDLE_ON_SPOT"
    TURN_INTO_ORDER = "TURN_INTO_ORDER"
    TURN_INTO_DEMAND = "TURN_INTO_DEMAND"
    WHISTLE = "WHISTLE"
    TURN_INTO_TASK = "TURN_INTO_TASK"
    HAND_OVER = "HAND_OVER"
    CLOSE = "CLOSE"
    EVALUATE = "EVALUATE"
    # Town supervision (督办): resolvers.supervision.
    URGE = "URGE"
    ESCALATE = "ESCALATE"
    EXTEND_DEADLINE = "EXTEND_DEADLINE"
    REASSIGN = "REASSIGN"
    # Raised by the server as a deadline nears or passes (resolvers.orders.alerts): no actor.
    DEADLINE_NEARING = "DEADLINE_NEARING"
    DEADLINE_PASSED = "DEADLINE_PASSED"


CASE_ALERTS = (CaseAction.DEADLINE_NEARING, CaseAction.DEADLINE_PASSED)


class CaseDeadline(enum.Enum):
    ANSWER = "ANSWER"  # taken on: handled on the spot or turned into an order, demand or whistle
    CLOSING = "CLOSING"  # closed, the resident told the result


# Cases in these states are still open: they owe their closing, and the town may supervise them.
OPEN_CASES = (
    CaseStatus.RECEIVED,
    CaseStatus.HANDLED,
    CaseStatus.ORDERED,
    CaseStatus.DEMANDED,
    CaseStatus.WHISTLED,
    CaseStatus.TASKED,
)


def _quoted(statuses: tuple[enum.Enum, ...]) -> str:
    return ", ".join(f"'{status.name}'" for status in statuses)


# What the statistics of cases aggregate (resolvers.statistics.sources.case_aggregates).
CASE_STATISTICS_COLUMNS = (
    "urgency",
    "status",
    "answer_due_at",
    "answered_at",
    "closing_due_at",
    "closed_at",
    "satisfaction",
)


class Case(Base, Timestamped):
    """A resident's matter received at a station; one row per case, what it became linked from it.

    Figures (statuses, routes, deadlines kept, satisfaction) read this row alone: when each
    deadline was met is kept here, as orders keep theirs.
    """

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint("(resident_name IS NULL) = (resident_phone IS NULL)", name="resident_complete"),
        CheckConstraint("satisfaction BETWEEN 0 AND 100", name="satisfaction_range"),
        CheckConstraint(
            "(status = 'EVALUATED') = (satisfaction IS NOT NULL)", name="satisfaction_when_evaluated"
        ),
        CheckConstraint("(status = 'RECEIVED') = (route IS NULL)", name="routed_once_taken_on"),
        CheckConstraint("(answered_at IS NULL) = (route IS NULL)", name="answered_when_routed"),
        CheckConstraint(
            f"(status IN ({_quoted(OPEN_CASES)})) = (closed_at IS NULL) AND (closed_at IS NULL) = (result IS NULL)",
            name="result_when_closed",
        ),
        CheckConstraint("route IS DISTINCT FROM 'DEMAND' OR demand_id IS NOT NULL", name="demand_linked"),
        CheckConstraint("route NOT IN ('ORDER', 'WHISTLE') OR order_id IS NOT NULL", name="order_linked"),
        Index("ix_cases_station_id_created_at_id", "station_id", "created_at", "id"),
        # Statistics and rankings of a place's cases read everything they aggregate from this index alone.
        Index(
            "ix_cases_statistics_station_id_created_at",
            "station_id",
            "created_at",
            postgresql_include=list(CASE_STATISTICS_COLUMNS),
        ),
        Index("ix_cases_owner_id_created_at_id", "owner_id", "created_at", "id"),
        Index("ix_cases_status_created_at_id", "status", "created_at", "id"),
        Index("ix_cases_kind_created_at_id", "kind", "created_at", "id"),
        Index("ix_cases_urgency_created_at_id", "urgency", "created_at", "id"),
        Index("ix_cases_created_at_id", "created_at", "id"),
        Index("ix_cases_closing_due_at_id", "closing_due_at", "id"),
        Index("ix_cases_order_id", "order_id"),
        Index("ix_cases_demand_id", "demand_id"),
        # The overdue filter: only the cases that can still be overdue are indexed.
        Index(
            "ix_cases_answer_due_at_received", "answer_due_at", postgresql_where=text("status = 'RECEIVED'")
        ),
        Index(
            "ix_cases_closing_due_at_open",
            "closing_due_at",
            postgresql_where=text(f"status IN ({_quoted(OPEN_CASES)})"),
        ),
        # The alert scan (resolvers.orders.alerts) reads the cases still owing a deadline.
        Index(
            "ix_cases_answer_alert_at_received",
            "answer_alert_at",
            postgresql_where=text("status = 'RECEIVED'"),
        ),
        Index(
            "ix_cases_closing_alert_at_open",
            "closing_alert_at",
            postgresql_where=text(f"status IN ({_quoted(OPEN_CASES)})"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    kind: Mapped[CaseKind] = mapped_column(enum_column(CaseKind), nullable=False)
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), nullable=False)
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), nullable=False)
    route: Mapped[CaseRoute | None] = mapped_column(enum_column(CaseRoute))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Personal data, shown as orders show theirs (resolvers.access.may_see_resident).
    resident_name: Mapped[str | None] = mapped_column(String(50))
    resident_phone: Mapped[str | None] = mapped_column(String(32))
    received_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    # The first-inquiry owner until a hand-over names the next one.
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    demand_id: Mapped[int | None] = mapped_column(ForeignKey("demands.id"))
    version: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=1)
    answer_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    closing_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # When to announce that a deadline nears: with a quarter of its time limit left, as for orders.
    answer_alert_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    closing_alert_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    result: Mapped[str | None] = mapped_column(Text)
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger)
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CaseEvent(Base):
    """One change of a case (who, when, what), appended with it and never changed.

    Positions are drawn at commit as order events' are (migration 0008, 0018), so the
    history is also the outbox of the case feeds. Deadline alerts are events the server raises,
    with no actor and naming their deadline, as order events' are."""

    __tablename__ = "case_events"
    __table_args__ = (
        Index("ix_case_events_case_id_id", "case_id", "id"),
        Index("ix_case_events_commit_order", "commit_order", unique=True),
        CheckConstraint(
            f"(action IN ({_quoted(CASE_ALERTS)})) = (deadline IS NOT NULL)"
            " AND (deadline IS NULL) = (actor_id IS NOT NULL)"
            " AND (actor_id IS NULL) = (actor_role IS NULL)",
            name="alerts_have_a_deadline_and_no_actor",
        ),
        # An alert is raised once per case, deadline and stage, however many processes scan.
        Index(
            "uq_case_events_case_id_deadline_action",
            "case_id",
            "deadline",
            "action",
            unique=True,
            postgresql_where=text("deadline IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), nullable=False)
    action: Mapped[CaseAction] = mapped_column(enum_column(CaseAction), nullable=False)
    from_status: Mapped[CaseStatus | None] = mapped_column(enum_column(CaseStatus, name="from_status"))
    to_status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus, name="to_status"), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[Role | None] = mapped_column(enum_column(Role))
    deadline: Mapped[CaseDeadline | None] = mapped_column(enum_column(CaseDeadline))
    # The owner after the event: the next owner of a hand-over or reassignment.
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    occurred_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    commit_order: Mapped[int | None] = mapped_column(BigInteger)
