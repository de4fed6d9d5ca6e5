"""Volunteers and the tasks a station dispatches to them (群众点单、社区派单、党员接单)."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, synonym

from models.accounts import Role
from models.base import Base, Timestamped, enum_array, enum_column, name_column
from models.lists import Urgency


class Skill(enum.Enum):
    """What a volunteer can do and a task requires: a closed set, so matching is equality and
    every skill has its Chinese label. Stored unconstrained in arrays: a new skill is a code change."""

    ELDERLY_CARE = "ELDERLY_CARE"
    MEDICAL_ESCORT = "MEDICAL_ESCORT"
    NURSING = "NURSING"
    HOUSEHOLD_REPAIR = "HOUSEHOLD_REPAIR"
    CLEANING = "CLEANING"
    TUTORING = "TUTORING"
    LEGAL_ADVICE = "LEGAL_ADVICE"
    COUNSELLING = "COUNSELLING"
    DRIVING = "DRIVING"
    DIGITAL_HELP = "DIGITAL_HELP"
    HAIRCUT = "HAIRCUT"
    PATROL = "PATROL"
    EVENT_SUPPORT = "EVENT_SUPPORT"


class DayPart(enum.Enum):
    MORNING = "MORNING"
    AFTERNOON = "AFTERNOON"
    EVENING = "EVENING"


class Volunteer(Base, Timestamped):
    """The volunteer profile of a VOLUNTEER account: keyed by the account, registered at its station."""

    __tablename__ = "volunteers"
    __table_args__ = (
        Index("ix_volunteers_station_id_created_at_user_id", "station_id", "created_at", "user_id"),
        Index("ix_volunteers_created_at_user_id", "created_at", "user_id"),
        Index("ix_volunteers_skills", "skills", postgresql_using="gin"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    # The account's station, kept here too so lists of a station's volunteers need no join.
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    is_party_member: Mapped[bool] = mapped_column(Boolean, nullable=False)
    skills: Mapped[list[Skill]] = mapped_column(enum_array(Skill), nullable=False)
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    # The id loaders and global IDs use: the account's.
    id: Mapped[int] = synonym("user_id")


class VolunteerAvailability(Base):
    """A weekly slot (weekday, part of the day) in which a volunteer is usually free."""

    __tablename__ = "volunteer_availability"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 1 AND 7", name="weekday_range"),
        Index("ix_volunteer_availability_weekday_day_part", "weekday", "day_part"),
    )

    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.user_id"), primary_key=True)
    weekday: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    """ISO weekday: 1 is Monday, 7 Sunday."""
    day_part: Mapped[DayPart] = mapped_column(enum_column(DayPart), primary_key=True)


class TaskStatus(enum.Enum):
    OPEN = "OPEN"
    TAKEN = "TAKEN"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


# A task in these states has its volunteer (the taker); in the others it has none.
HELD = (TaskStatus.TAKEN, TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED)
# Tasks in these states still owe their completion (the deadline rule and partial indexes share it).
AWAITING_COMPLETION = (TaskStatus.OPEN, TaskStatus.TAKEN, TaskStatus.IN_PROGRESS)


class TaskAction(enum.Enum):
    POST = "POST"
    TAKE = "TAKE"
    WITHDRAW = "WITHDRAW"
    START = "START"
    CONFIRM = "CONFIRM"
    CANCEL = "CANCEL"
    # Town supervision (督办): resolvers.supervision.
    URGE = "URGE"
    ESCALATE = "ESCALATE"
    EXTEND_DEADLINE = "EXTEND_DEADLINE"
    REASSIGN = "REASSIGN"
    # Raised by the server as a deadline nears or passes (resolvers.orders.alerts): no actor.
    DEADLINE_NEARING = "DEADLINE_NEARING"
    DEADLINE_PASSED = "DEADLINE_PASSED"


TASK_ALERTS = (TaskAction.DEADLINE_NEARING, TaskAction.DEADLINE_PASSED)


class TaskDeadline(enum.Enum):
    TAKE = "TAKE"  # a volunteer takes it (即接即办)
    COMPLETION = "COMPLETION"  # the station confirms it done (限时办结)


def _quoted(statuses: tuple[enum.Enum, ...]) -> str:
    return ", ".join(f"'{status.name}'" for status in statuses)


# What the statistics of tasks aggregate (resolvers.statistics.sources.task_aggregates).
TASK_STATISTICS_COLUMNS = (
    "urgency",
    "status",
    "take_due_at",
    "taken_at",
    "complete_due_at",
    "completed_at",
    "hours_worked",
)


class Task(Base, Timestamped):
    """Work a station (or its town) posts for the volunteers of the station, taken by one of them.

    The urgency is the kind of the work (应急单、重点单、常规单): it sets the deadlines
    (resolvers.orders.deadlines) and the points an hour earns (resolvers.time_bank.rules).
    """

    __tablename__ = "tasks"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="window_ordered"),
        CheckConstraint("hours_expected > 0 AND hours_expected <= 24", name="hours_expected_range"),
        CheckConstraint(
            "hours_worked > 0 AND hours_worked <= 24 AND (status = 'COMPLETED') = (hours_worked IS NOT NULL)",
            name="hours_worked_when_completed",
        ),
        CheckConstraint(f"(status IN ({_quoted(HELD)})) = (volunteer_id IS NOT NULL)", name="held_by_one"),
        CheckConstraint("(resident_name IS NULL) = (resident_phone IS NULL)", name="resident_complete"),
        Index("ix_tasks_station_id_created_at_id", "station_id", "created_at", "id"),
        # Statistics and rankings of a place's tasks read everything they aggregate from this index alone.
        Index(
            "ix_tasks_statistics_station_id_created_at",
            "station_id",
            "created_at",
            postgresql_include=list(TASK_STATISTICS_COLUMNS),
        ),
        Index("ix_tasks_station_id_starts_at_id", "station_id", "starts_at", "id"),
        Index("ix_tasks_created_at_id", "created_at", "id"),
        Index("ix_tasks_starts_at_id", "starts_at", "id"),
        Index("ix_tasks_status_created_at_id", "status", "created_at", "id"),
        Index("ix_tasks_urgency_created_at_id", "urgency", "created_at", "id"),
        Index("ix_tasks_volunteer_id_created_at_id", "volunteer_id", "created_at", "id"),
        Index("ix_tasks_demand_id", "demand_id"),
        Index("ix_tasks_case_id", "case_id"),
        Index("ix_tasks_required_skills", "required_skills", postgresql_using="gin"),
        # What a volunteer browses: the open tasks of its station.
        Index(
            "ix_tasks_station_id_starts_at_id_open",
            "station_id",
            "starts_at",
            "id",
            postgresql_where=text("status = 'OPEN'"),
        ),
        # The overdue filter: only the tasks that can still be overdue are indexed.
        Index("ix_tasks_take_due_at_open", "take_due_at", postgresql_where=text("status = 'OPEN'")),
        Index(
            "ix_tasks_complete_due_at_awaiting_completion",
            "complete_due_at",
            postgresql_where=text(f"status IN ({_quoted(AWAITING_COMPLETION)})"),
        ),
        # The alert scan (resolvers.orders.alerts) reads the tasks still owing a deadline.
        Index("ix_tasks_take_alert_at_open", "take_alert_at", postgresql_where=text("status = 'OPEN'")),
        Index(
            "ix_tasks_complete_alert_at_awaiting_completion",
            "complete_alert_at",
            postgresql_where=text(f"status IN ({_quoted(AWAITING_COMPLETION)})"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    demand_id: Mapped[int | None] = mapped_column(ForeignKey("demands.id"))
    # The case it was dispatched for (a case TASKED), whose history shows its completion.
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    posted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    title: Mapped[str] = name_column()
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), nullable=False)
    place: Mapped[str] = mapped_column(String(200), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    required_skills: Mapped[list[Skill]] = mapped_column(enum_array(Skill), nullable=False)
    hours_expected: Mapped[Decimal] = mapped_column(Numeric(4, 1), nullable=False)
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus), nullable=False)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.user_id"))
    # The resident helped: personal data, for the station and the volunteer holding the task only.
    resident_name: Mapped[str | None] = mapped_column(String(50))
    resident_phone: Mapped[str | None] = mapped_column(String(32))
    resident_address: Mapped[str | None] = mapped_column(String(200))
    take_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    complete_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # When to announce that a deadline nears: with a quarter of its time limit left, as for orders.
    take_alert_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    complete_alert_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hours_worked: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    cancellation_reason: Mapped[str | None] = mapped_column(Text)


class TaskEvent(Base):
    """One move of a task, appended in the transaction that made it and never changed.

    Like order events, `commit_order` is drawn at commit (migration 0019) and is the live cursor.
    """

    __tablename__ = "task_events"
    __table_args__ = (
        Index("ix_task_events_task_id_id", "task_id", "id"),
        Index("ix_task_events_commit_order", "commit_order", unique=True),
        # Nobody takes a task twice: not at once, nor again after withdrawing from it.
        Index(
            "uq_task_events_task_id_actor_id_take",
            "task_id",
            "actor_id",
            unique=True,
            postgresql_where=text("action = 'TAKE'"),
        ),
        CheckConstraint(
            f"(action IN ({_quoted(TASK_ALERTS)})) = (deadline IS NOT NULL)"
            " AND (deadline IS NULL) = (actor_id IS NOT NULL)"
            " AND (actor_id IS NULL) = (actor_role IS NULL)",
            name="alerts_have_a_deadline_and_no_actor",
        ),
        # An alert is raised once per task, deadline and stage, however many processes scan.
        Index(
            "uq_task_events_task_id_deadline_action",
            "task_id",
            "deadline",
            "action",
            unique=True,
            postgresql_where=text("deadline IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), nullable=False)
    # The task's station and volunteer at the event, so feeds filter events without the task.
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.user_id"))
    action: Mapped[TaskAction] = mapped_column(enum_column(TaskAction), nullable=False)
    from_status: Mapped[TaskStatus | None] = mapped_column(enum_column(TaskStatus, name="task_from_status"))
    to_status: Mapped[TaskStatus] = mapped_column(
        enum_column(TaskStatus, name="task_to_status"), nullable=False
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[Role | None] = mapped_column(enum_column(Role, name="task_actor_role"))
    deadline: Mapped[TaskDeadline | None] = mapped_column(enum_column(TaskDeadline))
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    occurred_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    commit_order: Mapped[int | None] = mapped_column(BigInteger)
