"""Providers, the category taxonomy and the departmental service catalog."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import (
    Base,
    Timestamped,
    UrgencyTimeLimits,
    enum_array,
    enum_column,
    name_column,
    search_vector,
)


class ProviderKind(enum.Enum):
    DEPARTMENT = "DEPARTMENT"  # 区职能部门
    HOSPITAL = "HOSPITAL"
    SCHOOL = "SCHOOL"
    COMPANY = "COMPANY"
    SOCIAL_ORGANIZATION = "SOCIAL_ORGANIZATION"  # 社会组织
    PUBLIC_INSTITUTION = "PUBLIC_INSTITUTION"  # 事业单位 and people's organisations


class Tier(enum.Enum):
    """The three livelihoods (三生)."""

    BOTTOM_LINE = "BOTTOM_LINE"  # 底线民生
    BASIC = "BASIC"  # 基本民生
    QUALITY = "QUALITY"  # 品质民生


class Audience(enum.Enum):
    EVERYONE = "EVERYONE"
    ELDERLY = "ELDERLY"
    CHILDREN = "CHILDREN"
    YOUTH = "YOUTH"
    WOMEN = "WOMEN"
    FAMILIES = "FAMILIES"
    DISABLED = "DISABLED"
    JOB_SEEKERS = "JOB_SEEKERS"
    LOW_INCOME = "LOW_INCOME"
    VETERANS = "VETERANS"
    PARTY_MEMBERS = "PARTY_MEMBERS"
    NEWCOMERS = "NEWCOMERS"


class DeliveryMode(enum.Enum):
    AT_STATION = "AT_STATION"
    AT_HOME = "AT_HOME"
    ONLINE = "ONLINE"
    AT_DEPARTMENT = "AT_DEPARTMENT"


class PublicationStatus(enum.Enum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    SUSPENDED = "SUSPENDED"
    RETIRED = "RETIRED"


class CapacityPeriod(enum.Enum):
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"


class Provider(Base, Timestamped):
    __tablename__ = "providers"
    __search_columns__: ClassVar[tuple[str, ...]] = ("name", "short_name", "description")
    __table_args__ = (
        Index("ix_providers_name_id", "name", "id"),
        Index("ix_providers_kind", "kind"),
        Index("ix_providers_search_vector", "search_vector", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True, nullable=False)
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = name_column()
    short_name: Mapped[str] = mapped_column(String(60), nullable=False)
    kind: Mapped[ProviderKind] = mapped_column(enum_column(ProviderKind), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    phone: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(300))
    search_vector: Mapped[str] = search_vector(*__search_columns__)


class Category(Base, Timestamped):
    """A node of the taxonomy: the six major categories at the top, menu domains below."""

    __tablename__ = "categories"
    __table_args__ = (Index("ix_categories_parent_id_position_id", "parent_id", "position", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    code: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    name: Mapped[str] = name_column(100)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class ProviderEntry(Timestamped):
    """The columns every entry a provider publishes shares: services, resources and projects.

    Each table names its own indexes, so they come from `entry_indexes`."""

    __search_columns__: ClassVar[tuple[str, ...]] = ("name", "description")

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), nullable=False)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), nullable=False)
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = name_column()
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    tier: Mapped[Tier] = mapped_column(enum_column(Tier), nullable=False)
    audiences: Mapped[list[Audience]] = mapped_column(enum_array(Audience), nullable=False)
    status: Mapped[PublicationStatus] = mapped_column(enum_column(PublicationStatus), nullable=False)
    search_vector: Mapped[str] = search_vector(*__search_columns__)


def subject_index(table: str) -> Index:
    """What statistics read of an order's service or project (its category and tier), in an index:
    PostgreSQL hashes all of them from a few hundred kB instead of the whole table."""
    return Index(f"ix_{table}_statistics_id", "id", postgresql_include=["category_id", "tier"])


def entry_indexes(table: str) -> tuple[Index, ...]:
    """The indexes of a `ProviderEntry` table that its lists filter, sort and search by."""
    return (
        Index(f"ix_{table}_provider_id", "provider_id"),
        Index(f"ix_{table}_category_id", "category_id"),
        Index(f"ix_{table}_name_id", "name", "id"),
        Index(f"ix_{table}_created_at_id", "created_at", "id"),
        Index(f"ix_{table}_audiences", "audiences", postgresql_using="gin"),
        Index(f"ix_{table}_search_vector", "search_vector", postgresql_using="gin"),
    )


class PeriodCapacity:
    """How many orders an entry takes a period; both null for no limit."""

    capacity_per_period: Mapped[int | None] = mapped_column(Integer)
    capacity_period: Mapped[CapacityPeriod | None] = mapped_column(enum_column(CapacityPeriod))


def capacity_constraints() -> tuple[CheckConstraint, ...]:
    return (
        CheckConstraint("capacity_per_period IS NULL OR capacity_per_period > 0", name="capacity_positive"),
        CheckConstraint(
            "(capacity_per_period IS NULL) = (capacity_period IS NULL)", name="capacity_has_period"
        ),
    )


class Service(Base, ProviderEntry, PeriodCapacity, UrgencyTimeLimits):
    """An entry of a department's catalog that stations can order (the 147 "三生" projects)."""

    __tablename__ = "services"
    __table_args__ = (
        *capacity_constraints(),
        CheckConstraint("lead_time_days >= 0", name="lead_time_not_negative"),
        Index("ix_services_status_tier", "status", "tier"),
        Index("ix_services_delivery_modes", "delivery_modes", postgresql_using="gin"),
        subject_index("services"),
        *entry_indexes("services"),
    )

    delivery_modes: Mapped[list[DeliveryMode]] = mapped_column(enum_array(DeliveryMode), nullable=False)
    consultable_on_spot: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    completable_on_spot: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    lead_time_days: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    provider: Mapped[Provider] = relationship(lazy="raise")
    category: Mapped[Category] = relationship(lazy="raise")
