"""Deterministic demo data: Pudong's doorstep service system, once per district.

Every value comes from one `random.Random(seed)` and fixed dates, so a seed always
produces the same rows; ids follow from insertion order.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import Table, insert, text
from sqlalchemy.ext.asyncio import AsyncConnection

from models import (
    Audience,
    Availability,
    Base,
    CapacityPeriod,
    Category,
    DeliveryMode,
    Demand,
    DemandStatus,
    District,
    Facility,
    Project,
    Provider,
    ProviderKind,
    PublicationStatus,
    Resource,
    Service,
    Station,
    StationKind,
    Tier,
    Town,
    TownKind,
    Urgency,
    project_resources,
)
from resolvers.statistics.summary import rebuild as rebuild_order_summary
from seeds.accounts import DEMO_ACCOUNTS, hash_passwords, insert_demo_accounts
from seeds.case_history import insert_case_history
from seeds.cases import insert_cases
from seeds.history import insert_order_history
from seeds.staff import STAFF_PASSWORD, insert_staff_accounts
from seeds.templates import (
    AT_HOME_SENTENCE,
    AVAILABILITY_NOTES,
    COMPLETABLE_ON_SPOT_SENTENCE,
    CONSULTABLE_ON_SPOT_SENTENCE,
    NEEDS,
    ONLINE_SENTENCE,
    PROJECT_DELIVERY_SENTENCES,
    PROJECT_TEMPLATES,
    REFERRED_SENTENCE,
    RESOURCE_ITEMS,
    RESOURCE_KIND_SENTENCES,
    RESOURCE_KINDS_BY_PROVIDER_KIND,
    RESOURCE_MEASURES,
    SERVICES_BY_DEPARTMENT,
    THREE_MEETINGS_SENTENCE,
    URGENCY_REQUESTS,
    Need,
    ServiceEntry,
)
from seeds.vocabulary import (
    AUDIENCE_LABELS,
    CATEGORIES,
    DEPARTMENTS,
    DISTRICTS,
    ESTATE_PREFIXES,
    ESTATE_SUFFIXES,
    PARTNER_DESCRIPTIONS,
    PARTNER_UNITS,
    ROADS,
    TOWNS,
    VILLAGE_FIRST_CHARACTERS,
    VILLAGE_SECOND_CHARACTERS,
    ShanghaiDistrict,
    town_place_name,
)
from seeds.volunteers import VOLUNTEER_PASSWORD, insert_volunteers

T = TypeVar("T")

PUBLISHED = PublicationStatus.PUBLISHED

# The published figures of Pudong; the rest are this data set's own choices.
STATIONS_BY_KIND = {
    StationKind.SERVICE_CENTER: len(TOWNS),
    StationKind.RESIDENTIAL_COMMITTEE: 889,
    StationKind.VILLAGE: 360,
}
PUBLISHED_SERVICES_BY_TIER = {Tier.BOTTOM_LINE: 35, Tier.BASIC: 62, Tier.QUALITY: 50}
DRAFT, SUSPENDED, RETIRED = PublicationStatus.DRAFT, PublicationStatus.SUSPENDED, PublicationStatus.RETIRED
UNPUBLISHED_SERVICES = {DRAFT: 3, SUSPENDED: 3, RETIRED: 2}
SERVICES_COMPLETABLE_ON_SPOT = 29
PUBLISHED_RESOURCES_BY_AVAILABILITY = {
    Availability.AVAILABLE: 835,
    Availability.LIMITED: 157,
    Availability.UNAVAILABLE: 52,
}
UNPUBLISHED_RESOURCES = {DRAFT: 2, SUSPENDED: 2, RETIRED: 2}
PUBLISHED_PROJECTS = 965
PROJECTS_REQUIRING_THREE_MEETINGS = 241
UNPUBLISHED_PROJECTS = {DRAFT: 2, SUSPENDED: 2, RETIRED: 1}
DEMANDS_BY_URGENCY = {Urgency.EMERGENCY: 160, Urgency.KEY: 800, Urgency.ROUTINE: 2240}
DEMANDS_BY_STATUS = {
    DemandStatus.OPEN: 1440,
    DemandStatus.MATCHED: 480,
    DemandStatus.IN_PROGRESS: 448,
    DemandStatus.RESOLVED: 640,
    DemandStatus.CLOSED: 192,
}


def _by_name(counts: Mapping) -> dict[str, int]:
    return {key.name: count for key, count in counts.items()}


# Per district, except the categories, which the whole city shares.
DEMO_FIGURES = {
    "towns": len(TOWNS),
    "subdistricts": sum(kind is TownKind.SUBDISTRICT for _, kind in TOWNS),
    "stations": sum(STATIONS_BY_KIND.values()),
    "stations_by_kind": _by_name(STATIONS_BY_KIND),
    "departments": len(DEPARTMENTS),
    "partner_units": len(PARTNER_UNITS),
    "categories": len(CATEGORIES),
    "subcategories": sum(len(children) for _, children in CATEGORIES),
    "services": sum(PUBLISHED_SERVICES_BY_TIER.values()),
    "services_by_tier": _by_name(PUBLISHED_SERVICES_BY_TIER),
    "services_completable_on_spot": SERVICES_COMPLETABLE_ON_SPOT,
    "unpublished_services": sum(UNPUBLISHED_SERVICES.values()),
    "resources": sum(PUBLISHED_RESOURCES_BY_AVAILABILITY.values()),
    "resources_by_availability": _by_name(PUBLISHED_RESOURCES_BY_AVAILABILITY),
    "unpublished_resources": sum(UNPUBLISHED_RESOURCES.values()),
    "projects": PUBLISHED_PROJECTS,
    "projects_requiring_three_meetings": PROJECTS_REQUIRING_THREE_MEETINGS,
    "unpublished_projects": sum(UNPUBLISHED_PROJECTS.values()),
    "demands": sum(DEMANDS_BY_URGENCY.values()),
    "demands_by_urgency": _by_name(DEMANDS_BY_URGENCY),
    "demands_by_status": _by_name(DEMANDS_BY_STATUS),
}

# Fixed dates keep the data independent of the day it is loaded.
CATALOG_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
CATALOG_HISTORY = timedelta(days=730)
DEMANDS_FROM = datetime(2025, 6, 1, tzinfo=UTC)
DEMANDS_UNTIL = datetime(2026, 11, 1, tzinfo=UTC)

WEEKDAY_HOURS = (("08:30", "17:00"), ("09:00", "17:30"), ("08:00", "16:30"))
DAY, WEEK, MONTH = CapacityPeriod.DAY, CapacityPeriod.WEEK, CapacityPeriod.MONTH
SERVICE_CAPACITIES = ((5, DAY), (10, DAY), (20, WEEK), (30, WEEK), (50, MONTH), (100, MONTH))
PROJECT_CAPACITIES = ((1, WEEK), (2, WEEK), (1, MONTH), (2, MONTH), (4, MONTH))
# Share of the three lists filed under a major category rather than one of its domains.
TOP_LEVEL_SHARE = 0.05

CATEGORY_NAMES = {
    category.code: category.name for top, children in CATEGORIES for category in (top, *children)
}


@dataclass(frozen=True)
class SeededStation:
    id: int
    kind: StationKind
    place: str  # what residents call the place: 梅园新村, 登三村, 潍坊新村


@dataclass(frozen=True)
class SeededProvider:
    id: int
    short_name: str
    kind: ProviderKind
    fields: tuple[str, ...]  # category codes; a top-level code covers all its domains

    def covers(self, category_code: str) -> bool:
        return any(category_code == field or category_code.startswith(f"{field}.") for field in self.fields)


@dataclass(frozen=True)
class SeededResource:
    id: int
    provider_id: int
    top_category: str


async def load_demo(
    connection: AsyncConnection,
    *,
    districts: int = 1,
    seed: int = 20241121,
    orders: bool = True,
    months: int = 12,
    until: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Insert the categories and `districts` districts shaped like Pudong; return rows inserted per table.

    `progress` is told each of the `load_steps(districts, orders)` steps as it ends.

    Expects empty tables. The first district is 浦东新区; the others are further Shanghai districts.
    With `orders`, every town, station and provider gets a staff account (seeds.staff) and
    each district `months` of order history ending at `until` (default: now, to the minute,
    so the newest orders are live on the boards), seeds.history, every station `months` of cases
    (seeds.case_history), and the demo station its volunteers, their tasks and a time-bank
    history (seeds.volunteers).
    """
    if not 1 <= districts <= len(DISTRICTS):
        raise ValueError(f"districts must be between 1 and {len(DISTRICTS)}, not {districts}")
    if not 1 <= months <= 24:
        raise ValueError(f"months must be between 1 and 24, not {months}")
    until = until or datetime.now(UTC).replace(second=0, microsecond=0)
    if until < DEMANDS_UNTIL + timedelta(days=3):
        raise ValueError(f"the history must end after {(DEMANDS_UNTIL + timedelta(days=3)).isoformat()}")
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    step = progress or (lambda _step: None)
    # Hashing runs in threads while the catalog loads.
    passwords = [account.password for account in DEMO_ACCOUNTS] + (
        [STAFF_PASSWORD, VOLUNTEER_PASSWORD] if orders else []
    )
    hashing = asyncio.ensure_future(hash_passwords(passwords))
    try:
        category_ids = await _insert_categories(connection, counts)
        for district in DISTRICTS[:districts]:
            await _load_district(connection, rng, district, category_ids, counts)
            step(f"{district.name}: places and catalog")
    finally:
        hashes = await hashing
    counts["users"] += await insert_demo_accounts(connection, hashes)
    if orders:
        staff_accounts, staff = await insert_staff_accounts(connection, hashes[STAFF_PASSWORD])
        counts["users"] += staff_accounts
        step("staff accounts")
        counts.update(
            await insert_order_history(connection, rng, staff, months=months, until=until, progress=step)
        )
        counts.update(await insert_volunteers(connection, hashes[VOLUNTEER_PASSWORD], until))
        counts.update(
            await insert_case_history(
                connection, random.Random(rng.getrandbits(64)), staff, months=months, until=until
            )
        )
        counts.update(await insert_cases(connection, random.Random(rng.getrandbits(64)), until))
    # The bulk loads bypass the triggers that keep the daily summary of orders (models.statistics).
    await rebuild_order_summary(connection)
    # Statistics for the planner: autovacuum would gather them only after the load, and until then
    # PostgreSQL plans the statistics and boards over tables it believes empty. ANALYZE inside the
    # loading transaction samples the rows it inserted.
    loaded = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    await connection.execute(text(f"ANALYZE {loaded}"))
    step("planner statistics")
    return dict(counts)


def load_steps(districts: int, orders: bool = True) -> int:
    """How many steps `load_demo` reports: each district's places, its history, and the ends."""
    return districts + 1 + (districts + 1 if orders else 0)


async def _insert_categories(connection: AsyncConnection, counts: Counter[str]) -> dict[str, int]:
    top_rows: list[dict] = [
        {"code": top.code, "name": top.name, "description": top.description, "position": position}
        for position, (top, _) in enumerate(CATEGORIES, start=1)
    ]
    top_ids = await _insert(connection, Category.__table__, top_rows, counts)
    child_rows: list[dict] = [
        {
            "parent_id": parent_id,
            "code": child.code,
            "name": child.name,
            "description": child.description,
            "position": position,
        }
        for parent_id, (_, children) in zip(top_ids, CATEGORIES, strict=True)
        for position, child in enumerate(children, start=1)
    ]
    child_ids = await _insert(connection, Category.__table__, child_rows, counts)
    codes = [row["code"] for row in top_rows + child_rows]
    return dict(zip(codes, top_ids + child_ids, strict=True))


async def _load_district(
    connection: AsyncConnection,
    rng: random.Random,
    district: ShanghaiDistrict,
    category_ids: dict[str, int],
    counts: Counter[str],
) -> None:
    [district_id] = await _insert(
        connection, District.__table__, [{"code": district.code, "name": district.name}], counts
    )
    stations = await _insert_places(connection, rng, district, district_id, counts)
    providers = await _insert_providers(connection, rng, district, district_id, counts)
    await _insert_services(connection, rng, district, providers, category_ids, counts)
    resources = await _insert_resources(connection, rng, district, providers, category_ids, counts)
    await _insert_projects(connection, rng, district, providers, resources, category_ids, counts)
    await _insert_demands(connection, rng, stations, category_ids, counts)


async def _insert_places(
    connection: AsyncConnection,
    rng: random.Random,
    district: ShanghaiDistrict,
    district_id: int,
    counts: Counter[str],
) -> list[SeededStation]:
    town_codes = _town_codes(district)
    town_rows = [
        {"district_id": district_id, "code": code, "name": district.localise(name), "kind": kind}
        for code, (name, kind) in zip(town_codes, TOWNS, strict=True)
    ]
    town_ids = await _insert(connection, Town.__table__, town_rows, counts)

    # Sub-districts are dense with residential committees; villages belong to the towns.
    committee_weights = [
        rng.uniform(1.6, 2.8) if kind is TownKind.SUBDISTRICT else rng.uniform(0.5, 1.2) for _, kind in TOWNS
    ]
    village_weights = [0.0 if kind is TownKind.SUBDISTRICT else rng.uniform(0.4, 1.6) for _, kind in TOWNS]
    committees_per_town = _apportion(STATIONS_BY_KIND[StationKind.RESIDENTIAL_COMMITTEE], committee_weights)
    villages_per_town = _apportion(STATIONS_BY_KIND[StationKind.VILLAGE], village_weights)
    estate_names = [prefix + suffix for prefix in ESTATE_PREFIXES for suffix in ESTATE_SUFFIXES]
    village_names = [
        first + second
        for first in VILLAGE_FIRST_CHARACTERS
        for second in VILLAGE_SECOND_CHARACTERS
        if first != second
    ]
    estates = iter(rng.sample(estate_names, sum(committees_per_town)))
    villages = iter(rng.sample(village_names, sum(villages_per_town)))

    rows: list[dict] = []
    places: list[str] = []
    for town_id, town_code, (town, _), committees, village_count in zip(
        town_ids, town_codes, TOWNS, committees_per_town, villages_per_town, strict=True
    ):
        rows.append(
            _station_row(
                rng,
                town_id,
                StationKind.SERVICE_CENTER,
                f"{town_code}000",
                f"{district.localise(town)}家门口服务中心",
                _street_address(rng, district),
            )
        )
        places.append(town_place_name(town))
        # Statistical codes number residential committees from 001 and villages from 201.
        for number in range(1, committees + 1):
            estate = next(estates)
            address = f"{district.name}{rng.choice(ROADS)}{rng.randint(1, 2999)}弄{rng.randint(1, 80)}号"
            rows.append(
                _station_row(
                    rng,
                    town_id,
                    StationKind.RESIDENTIAL_COMMITTEE,
                    f"{town_code}{number:03d}",
                    f"{estate}居民区家门口服务站",
                    address,
                )
            )
            places.append(estate)
        for number in range(201, 201 + village_count):
            village = f"{next(villages)}村"
            address = f"{district.name}{town}{village}{rng.randint(1, 999)}号"
            rows.append(
                _station_row(
                    rng,
                    town_id,
                    StationKind.VILLAGE,
                    f"{town_code}{number:03d}",
                    f"{village}家门口服务站",
                    address,
                )
            )
            places.append(village)

    ids = await _insert(connection, Station.__table__, rows, counts)
    return [SeededStation(id, row["kind"], place) for id, row, place in zip(ids, rows, places, strict=True)]


def _station_row(
    rng: random.Random, town_id: int, kind: StationKind, code: str, name: str, address: str
) -> dict:
    return {
        "town_id": town_id,
        "code": code,
        "name": name,
        "kind": kind,
        "address": address,
        "phone": _phone(rng),
        "opening_hours": _opening_hours(rng, kind),
        "facilities": _facilities(rng, kind),
    }


def _town_codes(district: ShanghaiDistrict) -> list[str]:
    """Statistical-style codes: sub-districts 001…, towns 101…, prefixed with the district code."""
    codes = []
    numbers = {TownKind.SUBDISTRICT: 1, TownKind.TOWN: 101}
    for _, kind in TOWNS:
        codes.append(f"{district.code}{numbers[kind]:03d}")
        numbers[kind] += 1
    return codes


def _opening_hours(rng: random.Random, kind: StationKind) -> list[dict]:
    opens, closes = rng.choice(WEEKDAY_HOURS)
    hours = [_period(day, opens, closes, extended=False) for day in range(1, 6)]
    # Staggered and extended hours (错时延时): weekday evenings after office hours and
    # weekend mornings; service centers stay open all weekend.
    for day in rng.sample(range(1, 6), rng.randint(1, 3)):
        hours.append(_period(day, closes, "20:00", extended=True))
    if kind is StationKind.SERVICE_CENTER:
        hours += [_period(6, "09:00", "16:00", extended=True), _period(7, "09:00", "16:00", extended=True)]
    elif rng.random() < 0.8:
        hours.append(_period(6, "09:00", "12:00", extended=True))
    return sorted(hours, key=lambda period: (period["day"], period["opens"]))


def _period(day: int, opens: str, closes: str, *, extended: bool) -> dict:
    return {"day": day, "opens": opens, "closes": closes, "extended": extended}


def _facilities(rng: random.Random, kind: StationKind) -> list[Facility]:
    missing = []
    if kind is StationKind.VILLAGE:
        if rng.random() < 0.12:
            missing.append(Facility.CLINIC)
        if rng.random() < 0.10:
            missing.append(Facility.JOINT_DUTY)
    return [facility for facility in Facility if facility not in missing]


async def _insert_providers(
    connection: AsyncConnection,
    rng: random.Random,
    district: ShanghaiDistrict,
    district_id: int,
    counts: Counter[str],
) -> list[SeededProvider]:
    rows = []
    fields = []
    for number, department in enumerate(DEPARTMENTS, start=1):
        rows.append(
            _provider_row(
                rng,
                district,
                district_id,
                f"DEP-{number:02d}",
                department.name,
                department.short_name,
                ProviderKind.DEPARTMENT,
                department.description,
            )
        )
        # A department offers resources and projects in the fields of its own catalog.
        catalog = SERVICES_BY_DEPARTMENT[department.short_name]
        fields.append(tuple(dict.fromkeys(entry.category for entry in catalog)))
    for number, unit in enumerate(PARTNER_UNITS, start=1):
        rows.append(
            _provider_row(
                rng,
                district,
                district_id,
                f"ORG-{number:02d}",
                unit.name,
                unit.short_name,
                unit.kind,
                PARTNER_DESCRIPTIONS[unit.kind],
            )
        )
        fields.append(unit.fields)
    ids = await _insert(connection, Provider.__table__, rows, counts)
    return [
        SeededProvider(id, row["short_name"], row["kind"], provider_fields)
        for id, row, provider_fields in zip(ids, rows, fields, strict=True)
    ]


def _provider_row(
    rng: random.Random,
    district: ShanghaiDistrict,
    district_id: int,
    code: str,
    name: str,
    short_name: str,
    kind: ProviderKind,
    description: str,
) -> dict:
    return {
        "district_id": district_id,
        "code": f"{district.code}-{code}",
        "name": district.localise(name),
        "short_name": short_name.format(district=district.name, area=district.area),
        "kind": kind,
        "description": description,
        "phone": _phone(rng),
        "address": _street_address(rng, district),
    }


async def _insert_services(
    connection: AsyncConnection,
    rng: random.Random,
    district: ShanghaiDistrict,
    providers: list[SeededProvider],
    category_ids: dict[str, int],
    counts: Counter[str],
) -> None:
    department_ids = {
        provider.short_name: provider.id for provider in providers if provider.kind is ProviderKind.DEPARTMENT
    }
    catalog = [
        (department, entry) for department, entries in SERVICES_BY_DEPARTMENT.items() for entry in entries
    ]
    # Each department's first entry stays published, so every department publishes.
    first_entries = {entries[0].name for entries in SERVICES_BY_DEPARTMENT.values()}
    withdrawn = []
    for tier, published in PUBLISHED_SERVICES_BY_TIER.items():
        of_tier = [index for index, (_, entry) in enumerate(catalog) if entry.tier is tier]
        candidates = [index for index in of_tier if catalog[index][1].name not in first_entries]
        withdrawn += rng.sample(candidates, len(of_tier) - published)
    statuses = [PUBLISHED] * len(catalog)
    for index, status in zip(withdrawn, _deal(rng, UNPUBLISHED_SERVICES), strict=True):
        statuses[index] = status
    published_indexes = [index for index, status in enumerate(statuses) if status is PUBLISHED]
    completable = set(rng.sample(published_indexes, SERVICES_COMPLETABLE_ON_SPOT))

    rows = []
    for index, ((department, entry), status) in enumerate(zip(catalog, statuses, strict=True)):
        completable_on_spot = index in completable
        consultable_on_spot = completable_on_spot or rng.random() < 0.8
        delivery_modes = _delivery_modes(rng, entry.audiences, completable_on_spot)
        capacity, period = rng.choice(SERVICE_CAPACITIES) if rng.random() < 0.5 else (None, None)
        created_at = _catalog_creation_time(rng)
        published_at = None
        if status is not DRAFT:
            published_at = min(created_at + timedelta(days=rng.randint(1, 30)), CATALOG_EPOCH)
        if completable_on_spot:
            lead_time_days = 0
        elif entry.tier is Tier.BOTTOM_LINE:
            lead_time_days = rng.randint(0, 3)
        else:
            lead_time_days = rng.randint(0, 14)
        rows.append(
            {
                "provider_id": department_ids[department],
                "category_id": category_ids[entry.category],
                "code": f"{district.code}-SVC-{index + 1:03d}",
                "name": entry.name,
                "description": _service_description(
                    department, entry, delivery_modes, completable_on_spot, consultable_on_spot
                ),
                "tier": entry.tier,
                "audiences": list(entry.audiences),
                "delivery_modes": delivery_modes,
                "consultable_on_spot": consultable_on_spot,
                "completable_on_spot": completable_on_spot,
                "capacity_per_period": capacity,
                "capacity_period": period,
                "lead_time_days": lead_time_days,
                "status": status,
                "published_at": published_at,
                "created_at": created_at,
            }
        )
    await _insert(connection, Service.__table__, rows, counts, returning_ids=False)


def _delivery_modes(
    rng: random.Random, audiences: Sequence[Audience], completable_on_spot: bool
) -> list[DeliveryMode]:
    homebound = Audience.ELDERLY in audiences or Audience.DISABLED in audiences
    chances = {
        DeliveryMode.AT_STATION: 1.0 if completable_on_spot else 0.9,
        DeliveryMode.AT_HOME: 0.5 if homebound else 0.05,
        DeliveryMode.ONLINE: 0.35,
        DeliveryMode.AT_DEPARTMENT: 0.2,
    }
    modes = [mode for mode, chance in chances.items() if rng.random() < chance]
    return modes or [DeliveryMode.AT_DEPARTMENT]


def _service_description(
    department: str,
    entry: ServiceEntry,
    delivery_modes: Sequence[DeliveryMode],
    completable_on_spot: bool,
    consultable_on_spot: bool,
) -> str:
    if completable_on_spot:
        on_spot = COMPLETABLE_ON_SPOT_SENTENCE
    elif consultable_on_spot:
        on_spot = CONSULTABLE_ON_SPOT_SENTENCE
    else:
        on_spot = REFERRED_SENTENCE
    sentences = [
        f"{department}通过家门口服务站为{_audience_text(entry.audiences)}提供{entry.name}。",
        on_spot,
    ]
    if DeliveryMode.AT_HOME in delivery_modes:
        sentences.append(AT_HOME_SENTENCE)
    if DeliveryMode.ONLINE in delivery_modes:
        sentences.append(ONLINE_SENTENCE)
    return "".join(sentences)


async def _insert_resources(
    connection: AsyncConnection,
    rng: random.Random,
    district: ShanghaiDistrict,
    providers: list[SeededProvider],
    category_ids: dict[str, int],
    counts: Counter[str],
) -> list[SeededResource]:
    offers = [
        (provider, item)
        for provider in providers
        for item in RESOURCE_ITEMS
        if provider.covers(item.category) and item.kind in RESOURCE_KINDS_BY_PROVIDER_KIND[provider.kind]
    ]
    published = sum(PUBLISHED_RESOURCES_BY_AVAILABILITY.values())
    statuses = _deal(rng, {PUBLISHED: published, **UNPUBLISHED_RESOURCES})
    chosen = rng.sample(offers, len(statuses))
    availabilities = iter(_deal(rng, PUBLISHED_RESOURCES_BY_AVAILABILITY))
    rows = []
    for number, ((provider, item), status) in enumerate(zip(chosen, statuses, strict=True), start=1):
        availability = next(availabilities) if status is PUBLISHED else rng.choice(list(Availability))
        measure = RESOURCE_MEASURES[item.kind]
        if measure.tenths:
            quantity = Decimal(rng.randint(measure.smallest * 10, measure.largest * 10)) / 10
        else:
            quantity = Decimal(rng.randrange(measure.smallest, measure.largest + 1, measure.step))
        rows.append(
            {
                "provider_id": provider.id,
                "category_id": category_ids[_filed_under(rng, item.category)],
                "code": f"{district.code}-RES-{number:04d}",
                "name": f"{provider.short_name}{item.item}",
                "description": f"{provider.short_name}向家门口服务站开放{item.item}，共{quantity}{measure.unit}。"
                + RESOURCE_KIND_SENTENCES[item.kind],
                "kind": item.kind,
                "tier": item.tier,
                "audiences": list(item.audiences),
                "quantity": quantity,
                "unit": measure.unit,
                "availability": availability,
                "availability_note": rng.choice(AVAILABILITY_NOTES[availability]),
                "status": status,
                "created_at": _catalog_creation_time(rng),
            }
        )
    ids = await _insert(connection, Resource.__table__, rows, counts)
    # Projects only draw on resources the public can see.
    return [
        SeededResource(id, provider.id, _top_level(item.category))
        for id, (provider, item), status in zip(ids, chosen, statuses, strict=True)
        if status is PUBLISHED
    ]


async def _insert_projects(
    connection: AsyncConnection,
    rng: random.Random,
    district: ShanghaiDistrict,
    providers: list[SeededProvider],
    resources: list[SeededResource],
    category_ids: dict[str, int],
    counts: Counter[str],
) -> None:
    offers = [
        (provider, template)
        for provider in providers
        for template in PROJECT_TEMPLATES
        if provider.covers(template.category)
    ]
    statuses = _deal(rng, {PUBLISHED: PUBLISHED_PROJECTS, **UNPUBLISHED_PROJECTS})
    chosen = rng.sample(offers, len(statuses))
    three_meetings = iter(
        _deal(
            rng,
            {
                True: PROJECTS_REQUIRING_THREE_MEETINGS,
                False: PUBLISHED_PROJECTS - PROJECTS_REQUIRING_THREE_MEETINGS,
            },
        )
    )
    rows = []
    for number, ((provider, template), status) in enumerate(zip(chosen, statuses, strict=True), start=1):
        requires_three_meetings = next(three_meetings) if status is PUBLISHED else rng.random() < 0.25
        capacity, period = rng.choice(PROJECT_CAPACITIES) if rng.random() < 0.4 else (None, None)
        description = (
            f"{template.title}：由{provider.short_name}面向{_audience_text(template.audiences)}实施的"
            f"{CATEGORY_NAMES[template.category]}项目。{rng.choice(PROJECT_DELIVERY_SENTENCES)}"
        )
        if requires_three_meetings:
            description += THREE_MEETINGS_SENTENCE
        rows.append(
            {
                "provider_id": provider.id,
                "category_id": category_ids[_filed_under(rng, template.category)],
                "code": f"{district.code}-PRJ-{number:04d}",
                "name": f"{provider.short_name}{template.title}",
                "description": description,
                "tier": template.tier,
                "audiences": list(template.audiences),
                "capacity_per_period": capacity,
                "capacity_period": period,
                "requires_three_meetings": requires_three_meetings,
                "status": status,
                "created_at": _catalog_creation_time(rng),
            }
        )
    project_ids = await _insert(connection, Project.__table__, rows, counts)

    resources_by_provider: dict[int, list[SeededResource]] = {}
    resources_by_field: dict[str, list[SeededResource]] = {}
    for resource in resources:
        resources_by_provider.setdefault(resource.provider_id, []).append(resource)
        resources_by_field.setdefault(resource.top_category, []).append(resource)
    links = []
    for project_id, (provider, template) in zip(project_ids, chosen, strict=True):
        wanted = rng.randint(1, 3)
        field = _top_level(template.category)
        own = resources_by_provider.get(provider.id, [])
        # The provider's own resources in the project's field first, then its others,
        # then what other providers offer in the same field.
        candidates = _shuffled(rng, [r for r in own if r.top_category == field])
        candidates += _shuffled(rng, [r for r in own if r.top_category != field])
        if len(candidates) < wanted:
            others = resources_by_field.get(field, [])
            candidates += _shuffled(rng, [r for r in others if r.provider_id != provider.id])
        links += [{"project_id": project_id, "resource_id": resource.id} for resource in candidates[:wanted]]
    await _insert(connection, project_resources, links, counts, returning_ids=False)


async def _insert_demands(
    connection: AsyncConnection,
    rng: random.Random,
    stations: list[SeededStation],
    category_ids: dict[str, int],
    counts: Counter[str],
) -> None:
    needs_by_kind: dict[StationKind, list[Need]] = {
        kind: [need for need in NEEDS if need.only_at in (None, kind)] for kind in StationKind
    }
    urgencies = _deal(rng, DEMANDS_BY_URGENCY)
    statuses = _deal(rng, DEMANDS_BY_STATUS)
    posting_window = int((DEMANDS_UNTIL - DEMANDS_FROM).total_seconds())
    rows = []
    for urgency, status in zip(urgencies, statuses, strict=True):
        station = rng.choice(stations)
        need = rng.choice(needs_by_kind[station.kind])
        beneficiaries = int(rng.triangular(5, 500, 30))
        rows.append(
            {
                "station_id": station.id,
                "category_id": category_ids[_filed_under(rng, need.category)],
                "title": f"{station.place}{need.need}需求",
                "description": f"{need.situation}，涉及{_audience_text(need.audiences)}约{beneficiaries}人。"
                + URGENCY_REQUESTS[urgency],
                "audiences": list(need.audiences),
                "beneficiaries": beneficiaries,
                "urgency": urgency,
                "status": status,
                "posted_at": DEMANDS_FROM + timedelta(seconds=rng.randrange(posting_window)),
            }
        )
    await _insert(connection, Demand.__table__, rows, counts, returning_ids=False)


async def _insert(
    connection: AsyncConnection,
    table: Table,
    rows: list[dict],
    counts: Counter[str],
    *,
    returning_ids: bool = True,
) -> list[int]:
    """One executemany per table; ids come back in the order of `rows`."""
    counts[table.name] += len(rows)
    if not returning_ids:
        await connection.execute(insert(table), rows)
        return []
    result = await connection.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return list(result.scalars())


def _deal(rng: random.Random, counts: Mapping[T, int]) -> list[T]:
    """Exactly `count` of each value, in random order."""
    cards = [value for value, count in counts.items() for _ in range(count)]
    rng.shuffle(cards)
    return cards


def _shuffled(rng: random.Random, items: list[T]) -> list[T]:
    return rng.sample(items, len(items))


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainders), summing exactly to `total`."""
    quotas = [weight * total / sum(weights) for weight in weights]
    shares = [int(quota) for quota in quotas]
    by_remainder = sorted(range(len(weights)), key=lambda index: quotas[index] - shares[index], reverse=True)
    for index in by_remainder[: total - sum(shares)]:
        shares[index] += 1
    return shares


def _top_level(category_code: str) -> str:
    return category_code.split(".")[0]


def _filed_under(rng: random.Random, category_code: str) -> str:
    return _top_level(category_code) if rng.random() < TOP_LEVEL_SHARE else category_code


def _catalog_creation_time(rng: random.Random) -> datetime:
    return CATALOG_EPOCH - timedelta(seconds=rng.randrange(int(CATALOG_HISTORY.total_seconds())))


def _audience_text(audiences: Sequence[Audience]) -> str:
    return "、".join(AUDIENCE_LABELS[audience] for audience in audiences)


def _phone(rng: random.Random) -> str:
    return f"021-5{rng.randrange(10_000_000):07d}"


def _street_address(rng: random.Random, district: ShanghaiDistrict) -> str:
    return f"{district.name}{rng.choice(ROADS)}{rng.randint(1, 2999)}号"
