"""Districts, towns and stations."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, select
from strawberry.dataloader import DataLoader

from models import District, Facility, Station, StationKind, Town, TownKind
from resolvers.context import Context
from resolvers.loading import STATEMENTS_KEPT, by_id, rows_of
from resolvers.pagination import Ordering, Page, PageRequest, child_pages, paginate
from resolvers.search import apply_search


class TownOrderField(enum.Enum):
    NAME = "NAME"
    CODE = "CODE"


class StationOrderField(enum.Enum):
    NAME = "NAME"
    CODE = "CODE"


def town_ordering(field: TownOrderField = TownOrderField.CODE, descending: bool = False) -> Ordering:
    column = {TownOrderField.NAME: Town.name, TownOrderField.CODE: Town.code}[field]
    return Ordering(key=f"town.{field.name}", column=column, tiebreaker=Town.id, descending=descending)


def station_ordering(field: StationOrderField = StationOrderField.CODE, descending: bool = False) -> Ordering:
    column = {StationOrderField.NAME: Station.name, StationOrderField.CODE: Station.code}[field]
    return Ordering(key=f"station.{field.name}", column=column, tiebreaker=Station.id, descending=descending)


@dataclass(frozen=True)
class TownFilter:
    district_id: int | None = None
    kind: TownKind | None = None
    search: str | None = None


@dataclass(frozen=True)
class StationFilter:
    district_id: int | None = None
    town_id: int | None = None
    kind: StationKind | None = None
    facility: Facility | None = None
    has_extended_hours: bool | None = None
    search: str | None = None


# Places are read as plain rows (`resolvers.loading.as_rows`).
DISTRICTS = rows_of(District)
TOWNS = rows_of(Town)
STATIONS = rows_of(Station)


def district_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, District, DISTRICTS)


def town_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, Town, TOWNS)


def station_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, Station, STATIONS)


async def list_districts(ctx: Context, limit: int) -> list[District]:
    async with ctx.db.session() as session:
        return list((await session.execute(DISTRICTS.order_by(District.code).limit(limit))).all())


# Kept per filter, so that pages reuse their statements (`resolvers.loading`).
@lru_cache(maxsize=STATEMENTS_KEPT)
def towns_query(f: TownFilter) -> Select:
    stmt = TOWNS
    if f.district_id is not None:
        stmt = stmt.where(Town.district_id == f.district_id)
    if f.kind is not None:
        stmt = stmt.where(Town.kind == f.kind)
    return apply_search(stmt, Town, f.search)


@lru_cache(maxsize=STATEMENTS_KEPT)
def stations_query(f: StationFilter) -> Select:
    stmt = STATIONS
    if f.district_id is not None:
        stmt = stmt.where(Station.town_id.in_(select(Town.id).where(Town.district_id == f.district_id)))
    if f.town_id is not None:
        stmt = stmt.where(Station.town_id == f.town_id)
    if f.kind is not None:
        stmt = stmt.where(Station.kind == f.kind)
    if f.facility is not None:
        stmt = stmt.where(Station.facilities.contains([f.facility]))
    if f.has_extended_hours is not None:
        extended = Station.opening_hours.contains([{"extended": True}])
        stmt = stmt.where(extended if f.has_extended_hours else ~extended)
    return apply_search(stmt, Station, f.search)


async def list_towns(ctx: Context, f: TownFilter, ordering: Ordering, page: PageRequest) -> Page[Town]:
    return await paginate(ctx, towns_query(f), ordering, page)


async def towns_of_district(
    ctx: Context, district_id: int, f: TownFilter, ordering: Ordering, page: PageRequest
) -> Page[Town]:
    return await list_towns(ctx, replace(f, district_id=district_id), ordering, page)


async def list_stations(
    ctx: Context, f: StationFilter, ordering: Ordering, page: PageRequest
) -> Page[Station]:
    return await paginate(ctx, stations_query(f), ordering, page)


async def stations_of_town(
    ctx: Context, town_id: int, f: StationFilter, ordering: Ordering, page: PageRequest
) -> Page[Station]:
    loader = child_pages(ctx, ("town.stations", f), stations_query(f), Station.town_id, ordering, page)
    return await loader.load(town_id)
