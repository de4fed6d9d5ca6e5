"""Districts, towns (街镇) and the doorstep service stations (家门口服务站)."""

from __future__ import annotations

import enum
from typing import ClassVar

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped, enum_array, enum_column, name_column, search_vector


class TownKind(enum.Enum):
    SUBDISTRICT = "SUBDISTRICT"  # 街道
    TOWN = "TOWN"  # 镇


class StationKind(enum.Enum):
    SERVICE_CENTER = "SERVICE_CENTER"  # 服务中心
    RESIDENTIAL_COMMITTEE = "RESIDENTIAL_COMMITTEE"  # 居委
    VILLAGE = "VILLAGE"  # 村


class Facility(enum.Enum):
    """The "four stations and one room" (四站一室)."""

    PARTY_BUILDING = "PARTY_BUILDING"  # 党建服务站
    GOVERNMENT_AFFAIRS = "GOVERNMENT_AFFAIRS"  # 政务受理服务站
    CULTURE = "CULTURE"  # 文化服务站
    JOINT_DUTY = "JOINT_DUTY"  # 联勤联动站
    CLINIC = "CLINIC"  # 卫生室


class District(Base, Timestamped):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = name_column()


class Town(Base, Timestamped):
    __tablename__ = "towns"
    __search_columns__: ClassVar[tuple[str, ...]] = ("name",)
    __table_args__ = (
        Index("ix_towns_name_id", "name", "id"),
        Index("ix_towns_search_vector", "search_vector", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True, nullable=False)
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = name_column()
    kind: Mapped[TownKind] = mapped_column(enum_column(TownKind), nullable=False)
    search_vector: Mapped[str] = search_vector(*__search_columns__)

    district: Mapped[District] = relationship(lazy="raise")


class Station(Base, Timestamped):
    __tablename__ = "stations"
    __search_columns__: ClassVar[tuple[str, ...]] = ("name", "address")
    __table_args__ = (
        Index("ix_stations_town_id_name_id", "town_id", "name", "id"),
        Index("ix_stations_name_id", "name", "id"),
        Index("ix_stations_kind", "kind"),
        Index("ix_stations_facilities", "facilities", postgresql_using="gin"),
        Index("ix_stations_search_vector", "search_vector", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"), nullable=False)
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = name_column()
    kind: Mapped[StationKind] = mapped_column(enum_column(StationKind), nullable=False)
    address: Mapped[str] = mapped_column(String(300), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(32))
    # A list of {"day": 1..7, "opens": "HH:MM", "closes": "HH:MM", "extended": bool};
    # extended periods are the staggered and extended hours (错时延时服务).
    opening_hours: Mapped[list[dict]] = mapped_column(JSONB, nullable=False, default=list)
    facilities: Mapped[list[Facility]] = mapped_column(enum_array(Facility), nullable=False, default=list)
    search_vector: Mapped[str] = search_vector(*__search_columns__)

    town: Mapped[Town] = relationship(lazy="raise")
