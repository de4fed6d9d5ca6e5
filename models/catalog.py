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


class Service(Base, Timestamped, UrgencyTimeLimits):
    """An entry of a department's catalog that stations can order (the 147 "三生" projects)."""

    __tablename__ = "services"
    __search_columns__: ClassVar[tuple[str, ...]] = ("name", "description")
    __table_args__ = (
        CheckConstraint("capacity_per_period IS NULL OR capacity_per_period > 0", name="capacity_positive"),
        CheckConstraint(
            "(capacity_per_period IS NULL) = (capacity_period IS NULL)", name="capacity_has_period"
        ),
        CheckConstraint("lead_time_days >= 0", name="lead_time_not_negative"),
        Index("ix_services_status_tier", "status", "tier"),
        Index("ix_services_provider_id", "provider_id"),
        Index("ix_services_category_id", "category_id"),
        Index("ix_services_name_id", "name", "id"),
        Index("ix_services_created_at_id", "created_at", "id"),
        Index("ix_services_audiences", "audiences", postgresql_using="gin"),
        Index("ix_services_delivery_modes", "delivery_modes", postgresql_using="gin"),
        Index("ix_services_search_vector", "search_vector", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), nullable=False)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), nullable=False)
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = name_column()
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    tier: Mapped[Tier] = mapped_column(enum_column(Tier), nullable=False)
    audiences: Mapped[list[Audience]] = mapped_column(enum_array(Audience), nullable=False)
    delivery_modes: Mapped[list[DeliveryMode]] = mapped_column(enum_array(DeliveryMode), nullable=False)
    consultable_on_spot: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    completable_on_spot: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    capacity_per_period: Mapped[int | None] = mapped_column(Integer)
    capacity_period: Mapped[CapacityPeriod | None] = mapped_column(enum_column(CapacityPeriod))
    lead_time_days: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    status: Mapped[PublicationStatus] = mapped_column(enum_column(PublicationStatus), nullable=False)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    search_vector: Mapped[str] = search_vector(*__search_columns__)

    provider: Mapped[Provider] = relationship(lazy="raise")
    category: Mapped[Category] = relationship(lazy="raise")
