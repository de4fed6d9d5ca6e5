"""The "three lists" (三大清单): resources, projects and demands."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.accounts import Role
from models.base import (
    Base,
    Timestamped,
    UrgencyTimeLimits,
    enum_array,
    enum_column,
    name_column,
    search_vector,
)
from models.catalog import (
    Audience,
    PeriodCapacity,
    ProviderEntry,
    Tier,
    capacity_constraints,
    entry_indexes,
    subject_index,
)


class ResourceKind(enum.Enum):
    VENUE = "VENUE"
    FUNDS = "FUNDS"
    EXPERT = "EXPERT"
    VOLUNTEER_TEAM = "VOLUNTEER_TEAM"
    MATERIALS = "MATERIALS"
    EQUIPMENT = "EQUIPMENT"


class Availability(enum.Enum):
    AVAILABLE = "AVAILABLE"
    LIMITED = "LIMITED"
    UNAVAILABLE = "UNAVAILABLE"


class Urgency(enum.Enum):
    """Urgency classes of dispatched work (应急 / 重点 / 常规)."""

    EMERGENCY = "EMERGENCY"
    KEY = "KEY"
    ROUTINE = "ROUTINE"


class DemandStatus(enum.Enum):
    OPEN = "OPEN"
    MATCHED = "MATCHED"
    IN_PROGRESS = "IN_PROGRESS"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"


class DemandAction(enum.Enum):
    """What moves a demand (resolvers.lists.demand_lifecycle.DEMAND_LIFECYCLE)."""

    POST = "POST"
    PROPOSE = "PROPOSE"
    ORDER = "ORDER"
    ORDERS_EVALUATED = "ORDERS_EVALUATED"
    RESOLVE = "RESOLVE"
    CLOSE = "CLOSE"


project_resources = Table(
    "project_resources",
    Base.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("resource_id", ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Resource(Base, ProviderEntry):
    __tablename__ = "resources"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        Index("ix_resources_status_kind", "status", "kind"),
        Index("ix_resources_tier", "tier"),
        Index("ix_resources_availability", "availability"),
        *entry_indexes("resources"),
    )

    kind: Mapped[ResourceKind] = mapped_column(enum_column(ResourceKind), nullable=False)
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)
    unit: Mapped[str] = mapped_column(String(20), nullable=False)
    availability: Mapped[Availability] = mapped_column(enum_column(Availability), nullable=False)
    availability_note: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class Project(Base, ProviderEntry, PeriodCapacity, UrgencyTimeLimits):
    """A packaged, deliverable project from a provider (项目清单)."""

    __tablename__ = "projects"
    __table_args__ = (
        *capacity_constraints(),
        Index("ix_projects_status_tier", "status", "tier"),
        subject_index("projects"),
        *entry_indexes("projects"),
    )

    requires_three_meetings: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class Demand(Base, Timestamped):
    """A need posted by a station (需求清单)."""

    __tablename__ = "demands"
    __search_columns__: ClassVar[tuple[str, ...]] = ("title", "description")
    __table_args__ = (
        CheckConstraint("beneficiaries >= 0", name="beneficiaries_not_negative"),
        Index("ix_demands_station_id_posted_at_id", "station_id", "posted_at", "id"),
        Index("ix_demands_category_id", "category_id"),
        Index("ix_demands_status_urgency", "status", "urgency"),
        Index("ix_demands_posted_at_id", "posted_at", "id"),
        # Statistics (resolvers.statistics) read demands from this index alone: the rows are wide.
        Index(
            "ix_demands_statistics_posted_at",
            "posted_at",
            postgresql_include=["station_id", "category_id", "tier", "urgency", "status"],
        ),
        Index("ix_demands_audiences", "audiences", postgresql_using="gin"),
        Index("ix_demands_search_vector", "search_vector", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), nullable=False)
    title: Mapped[str] = name_column()
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    audiences: Mapped[list[Audience]] = mapped_column(enum_array(Audience), nullable=False)
    beneficiaries: Mapped[int] = mapped_column(Integer, nullable=False)
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), nullable=False)
    # The livelihood tier the station files the need under, when it knows; suggestions prefer it.
    tier: Mapped[Tier | None] = mapped_column(enum_column(Tier))
    status: Mapped[DemandStatus] = mapped_column(enum_column(DemandStatus), nullable=False)
    posted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    search_vector: Mapped[str] = search_vector(*__search_columns__)


class DemandProposal(Base):
    """A provider's answer to a demand: one of its published projects or resources."""

    __tablename__ = "demand_proposals"
    __table_args__ = (
        CheckConstraint("(project_id IS NULL) <> (resource_id IS NULL)", name="one_item"),
        UniqueConstraint("demand_id", "project_id"),
        UniqueConstraint("demand_id", "resource_id"),
        Index("ix_demand_proposals_demand_id_created_at_id", "demand_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demands.id"), nullable=False)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), nullable=False)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id"))
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class DemandEvent(Base):
    """One move of a demand through its lifecycle, appended in the transaction that made it."""

    __tablename__ = "demand_events"
    __table_args__ = (Index("ix_demand_events_demand_id_id", "demand_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demands.id"), nullable=False)
    action: Mapped[DemandAction] = mapped_column(enum_column(DemandAction), nullable=False)
    from_status: Mapped[DemandStatus | None] = mapped_column(
        enum_column(DemandStatus, name="demand_from_status")
    )
    to_status: Mapped[DemandStatus] = mapped_column(
        enum_column(DemandStatus, name="demand_to_status"), nullable=False
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    actor_role: Mapped[Role] = mapped_column(enum_column(Role, name="demand_actor_role"), nullable=False)
    # The order whose placement or evaluation moved it, when an order did.
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    occurred_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
