"""A year (or `months`) of order history across every station, town and provider of each district.

Stations order in proportion to their size and habits, on working days and office hours
more than weekends and evenings; providers range from clearly good to clearly bad
(`lifecycle.Quality`), which their response times, declines, late deliveries and
ratings show. Projects that require the three meetings (三会) are ordered on an
approving hearing (some hearings reject), are coordinated during delivery and evaluated
in a meeting. The demands the catalog seed posted get the orders their status implies:
IN_PROGRESS ones an open order, most RESOLVED ones an evaluated order, some CLOSED ones an
order that came to nothing; seeds.demand_history adds the offers made for them and their
moves through the demand lifecycle. Everything is drawn from the seed's `random.Random`.
"""

from __future__ import annotations

import asyncio
import random
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from models import (
    Category,
    Demand,
    DemandEvent,
    DemandProposal,
    DemandStatus,
    Meeting,
    OrderEvent,
    Project,
    Provider,
    PublicationStatus,
    Resource,
    Service,
    Station,
    StationKind,
    Town,
    Urgency,
)
from models import Order as OrderRow
from resolvers.orders.deadlines import LOCAL_TIME, capacity_period, local_midnight
from seeds.bulk import loading_in_bulk
from seeds.demand_history import write_demand_history
from seeds.lifecycle import Outcome, Quality, tell
from seeds.plan import District, Order, Subject
from seeds.records import write_district
from seeds.staff import Staff

ORDERS_PER_YEAR = 30_000  # per district, besides the orders placed for demands
URGENCY_SHARES = {Urgency.ROUTINE: 0.75, Urgency.KEY: 0.2, Urgency.EMERGENCY: 0.05}
PROJECT_SHARE = 0.35
STATION_ACTIVITY = {
    StationKind.SERVICE_CENTER: 3.0,
    StationKind.RESIDENTIAL_COMMITTEE: 1.0,
    StationKind.VILLAGE: 0.7,
}
SHOWCASE_ACTIVITY = 12.0  # the demo station orders often, so its screen is busy
BEST_PROVIDERS, WORST_PROVIDERS = 2, 2
# Resolved demands met otherwise than by an order (a proposed venue or volunteers), resolved by their staff.
STAFF_RESOLVED_SHARE = 0.15
WEEKDAY_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 0.95, 0.45, 0.25)  # Monday first


async def insert_order_history(
    connection: AsyncConnection,
    rng: random.Random,
    staff: Staff,
    *,
    months: int,
    until: datetime,
    progress: Callable[[str], None] | None = None,
) -> Counter[str]:
    """Insert the history of every district; return rows inserted per table.

    The next district is planned in a thread while the database takes in the one
    before: Python draws the stories while PostgreSQL indexes the rows. Each district
    draws from its own generator, seeded in turn from `rng`, so the rows stay the same.
    """
    counts: Counter[str] = Counter()
    districts = await _read_districts(connection, staff)
    generators = [random.Random(rng.getrandbits(64)) for _ in districts]

    def plan(index: int) -> asyncio.Future[list[Order]]:
        return asyncio.ensure_future(
            asyncio.to_thread(
                _plan_district, generators[index], districts[index], staff, months=months, until=until
            )
        )

    tables = [OrderRow, OrderEvent, Meeting, DemandProposal, DemandEvent]
    async with loading_in_bulk(connection, [table.__table__ for table in tables]):
        planned = plan(0)
        for index, district in enumerate(districts):
            orders = await planned
            if index + 1 < len(districts):
                planned = plan(index + 1)
            rng = generators[index]
            counts.update(await write_district(connection, rng, district, staff, orders))
            counts.update(await write_demand_history(connection, rng, district, staff, orders, until))
            if progress is not None:
                progress(f"district {index + 1} of {len(districts)}: order history")
    return counts


async def _read_districts(connection: AsyncConnection, staff: Staff) -> list[District]:
    top_category = {
        id: parent_id or id
        for id, parent_id in await connection.execute(select(Category.id, Category.parent_id))
    }
    stations = await connection.execute(
        select(Town.district_id, Station.id, Station.kind, Station.name)
        .join(Town, Town.id == Station.town_id)
        .order_by(Station.id)
    )
    providers = await connection.execute(select(Provider.district_id, Provider.id).order_by(Provider.id))
    published = PublicationStatus.PUBLISHED
    services = await connection.execute(
        select(
            Provider.district_id,
            Service.id,
            Service.provider_id,
            Service.category_id,
            Service.name,
            Service.lead_time_days,
            Service.capacity_per_period,
            Service.capacity_period,
            func.coalesce(Service.published_at, Service.created_at),
        )
        .join(Provider, Provider.id == Service.provider_id)
        .where(Service.status == published)
        .order_by(Service.id)
    )
    projects = await connection.execute(
        select(
            Provider.district_id,
            Project.id,
            Project.provider_id,
            Project.category_id,
            Project.name,
            Project.capacity_per_period,
            Project.capacity_period,
            Project.created_at,
            Project.requires_three_meetings,
        )
        .join(Provider, Provider.id == Project.provider_id)
        .where(Project.status == published)
        .order_by(Project.id)
    )
    resources = await connection.execute(
        select(
            Provider.district_id, Resource.id, Resource.provider_id, Resource.category_id, Resource.created_at
        )
        .join(Provider, Provider.id == Resource.provider_id)
        .where(Resource.status == published)
        .order_by(Resource.id)
    )
    demands = await connection.execute(
        select(Town.district_id, Demand.id, Demand.station_id, Demand.category_id, Demand.urgency)
        .add_columns(Demand.status, Demand.posted_at)
        .join(Station, Station.id == Demand.station_id)
        .join(Town, Town.id == Station.town_id)
        .order_by(Demand.id)
    )
    districts: dict[int, District] = {}

    def of(district_id: int) -> District:
        return districts.setdefault(district_id, District(district_id))

    for district_id, id, kind, name in stations:
        of(district_id).stations.append((id, kind, name))
    for district_id, id in providers:
        of(district_id).providers.append(id)
    for district_id, id, provider_id, category_id, name, lead, capacity, period, since in services:
        subject = Subject(
            id, provider_id, False, top_category[category_id], name, lead, capacity, period, since
        )
        of(district_id).subjects.append(subject)
    for district_id, id, provider_id, category_id, name, capacity, period, since, meetings in projects:
        subject = Subject(
            id, provider_id, True, top_category[category_id], name, 0, capacity, period, since, meetings
        )
        of(district_id).subjects.append(subject)
    for district_id, id, provider_id, category_id, since in resources:
        of(district_id).resources.append((id, provider_id, top_category[category_id], since))
    for district_id, id, station_id, category_id, urgency, status, posted_at in demands:
        of(district_id).demands.append(
            (id, station_id, top_category[category_id], urgency, status, posted_at)
        )
    return [districts[id] for id in sorted(districts)]


@dataclass
class _Booking:
    """Capacity booked per subject and period, so the history never overbooks a subject."""

    booked: Counter[tuple[bool, int, date]]

    def fits(self, subject: Subject, day: date, quantity: int) -> bool:
        if subject.capacity is None or subject.period is None:
            return True
        period = capacity_period(day, subject.period)[0]
        return self.booked[(subject.is_project, subject.id, period)] + quantity <= subject.capacity

    def book(self, subject: Subject, day: date, quantity: int) -> None:
        if subject.capacity is not None and subject.period is not None:
            period = capacity_period(day, subject.period)[0]
            self.booked[(subject.is_project, subject.id, period)] += quantity


def _plan_district(
    rng: random.Random, district: District, staff: Staff, *, months: int, until: datetime
) -> list[Order]:
    """Every order of the district with its story, in placement order."""
    district.quality = _qualities(rng, district.providers)
    booking = _Booking(Counter())
    orders = _ordinary_orders(rng, district, staff, booking, months=months, until=until)
    orders += _demand_orders(rng, district, booking, until=until)
    orders.sort(key=lambda order: order.story.placed_at)
    return orders


def _qualities(rng: random.Random, providers: list[int]) -> dict[int, Quality]:
    """Most providers near the usual; a few clearly the best and a few clearly the worst."""
    scores = {provider: max(-1.2, min(1.2, rng.gauss(0, 0.45))) for provider in providers}
    chosen = rng.sample(providers, BEST_PROVIDERS + WORST_PROVIDERS)
    for provider in chosen[:BEST_PROVIDERS]:
        scores[provider] = rng.uniform(1.7, 2.1)
    for provider in chosen[BEST_PROVIDERS:]:
        scores[provider] = rng.uniform(-2.4, -2.0)
    return {provider: Quality(score) for provider, score in scores.items()}


def _placement_times(rng: random.Random, count: int, *, months: int, until: datetime) -> list[datetime]:
    """When orders are placed: more on working days and as the year goes on, in office hours mostly."""
    first_day = (until - timedelta(days=round(months * 30.44))).astimezone(LOCAL_TIME).date()
    last_day = until.astimezone(LOCAL_TIME).date()
    days = [first_day + timedelta(days=offset) for offset in range((last_day - first_day).days + 1)]
    weights = [
        WEEKDAY_WEIGHTS[day.weekday()] * (0.85 + 0.3 * index / len(days)) for index, day in enumerate(days)
    ]
    moments = []
    for day in rng.choices(days, cum_weights=list(accumulate(weights)), k=count):
        hours = rng.triangular(8, 20, 10) if rng.random() < 0.93 else rng.uniform(17, 20)
        moment = (local_midnight(day) + timedelta(hours=hours)).astimezone(UTC)
        if moment > until:
            moment = until - timedelta(minutes=rng.uniform(1, 600))
        moments.append(moment)
    moments.sort()
    return moments


def _ordinary_orders(
    rng: random.Random, district: District, staff: Staff, booking: _Booking, *, months: int, until: datetime
) -> list[Order]:
    count = round(ORDERS_PER_YEAR * months / 12)
    station_weights = [
        STATION_ACTIVITY[kind]
        * rng.lognormvariate(0, 0.5)
        * (SHOWCASE_ACTIVITY if ("station", station_id) in staff.demo_units else 1)
        for station_id, kind, _ in district.stations
    ]
    stations = rng.choices(district.stations, cum_weights=list(accumulate(station_weights)), k=count)
    services = [subject for subject in district.subjects if not subject.is_project]
    projects = [subject for subject in district.subjects if subject.is_project]
    pickers = [_Picker(rng, services), _Picker(rng, projects)]
    urgencies = rng.choices(list(URGENCY_SHARES), weights=list(URGENCY_SHARES.values()), k=count)
    orders = []
    for placed_at, (station_id, _, _), urgency in zip(
        _placement_times(rng, count, months=months, until=until), stations, urgencies, strict=True
    ):
        picker = pickers[rng.random() < PROJECT_SHARE]
        quantity = 1 if rng.random() < 0.8 else rng.randint(2, 5)
        order = _order(rng, district, booking, picker, station_id, placed_at, urgency, quantity, until)
        if order is not None:
            orders.append(order)
    return orders


class _Picker:
    """Draws subjects by popularity: some services are ordered far more than others."""

    def __init__(self, rng: random.Random, subjects: list[Subject]) -> None:
        self.subjects = subjects
        self.cumulative = list(accumulate(rng.lognormvariate(0, 0.9) for _ in subjects))

    def pick(self, rng: random.Random) -> Subject:
        index = bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
        return self.subjects[min(index, len(self.subjects) - 1)]


def _order(
    rng: random.Random,
    district: District,
    booking: _Booking,
    picker: _Picker,
    station_id: int,
    placed_at: datetime,
    urgency: Urgency,
    quantity: int,
    until: datetime,
    *,
    demand_id: int | None = None,
    outcome: Outcome | None = None,
) -> Order | None:
    """An order of a subject the station could order then (published, capacity left), with its story."""
    placed_day = placed_at.astimezone(LOCAL_TIME).date()
    extra_days = {Urgency.EMERGENCY: 0, Urgency.KEY: rng.randint(0, 2), Urgency.ROUTINE: rng.randint(0, 10)}
    for _ in range(8):
        subject = picker.pick(rng)
        start = placed_day + timedelta(days=subject.lead_days + extra_days[urgency])
        if (
            subject.available_from <= placed_at
            and quantity <= (subject.capacity or quantity)
            and booking.fits(subject, start, quantity)
        ):
            break
    else:
        return None
    window = 0 if urgency is Urgency.EMERGENCY else rng.randint(0, 2 if urgency is Urgency.KEY else 14)
    story = tell(
        rng,
        placed_at=placed_at,
        urgency=urgency,
        start=start,
        window_days=window,
        quality=district.quality[subject.provider_id],
        coordinated=subject.three_meetings,
        until=until,
        outcome=outcome,
    )
    # The story may move the requested start before the visit it tells of: book the day it keeps.
    booking.book(subject, story.requested_start, quantity)
    return Order(station_id, subject, quantity, story, demand_id)


def _demand_orders(
    rng: random.Random, district: District, booking: _Booking, *, until: datetime
) -> list[Order]:
    """The orders the demands' statuses tell of, placed by the demand's station in its field."""
    ready = [subject for subject in district.subjects if subject.lead_days == 0]
    by_field: dict[int, list[Subject]] = {}
    for subject in ready:
        by_field.setdefault(subject.top_category, []).append(subject)
    pickers = {field: _Picker(rng, subjects) for field, subjects in by_field.items()}
    anywhere = _Picker(rng, ready)
    orders: list[Order] = []
    day = timedelta(days=1)
    for demand_id, station_id, field, urgency, status, posted_at in district.demands:
        picker = pickers.get(field, anywhere)
        soon = min(posted_at + day * rng.uniform(0.3, 6), until - 2 * day)
        endings: list[tuple[datetime, Outcome]] = []
        # The others resolved are met by a proposed resource, and their staff resolve them.
        if status is DemandStatus.RESOLVED and rng.random() >= STAFF_RESOLVED_SHARE:
            if rng.random() < 0.2:
                endings.append((soon, Outcome.DECLINED))
                soon = min(soon + day * rng.uniform(0.5, 4), until - day)
            endings.append((soon, Outcome.EVALUATED))
        elif status is DemandStatus.IN_PROGRESS:
            # An earlier order that came to nothing: had it been evaluated before the open one was
            # placed, its evaluation would have resolved the demand (demand_lifecycle.order_evaluated).
            if rng.random() < 0.25:
                endings.append((soon, rng.choice([Outcome.DECLINED, Outcome.CANCELLED])))
            recent = max(soon + day / 2, until - day * rng.uniform(0.2, 8))
            endings.append((min(recent, until - timedelta(hours=1)), Outcome.OPEN))
        elif status is DemandStatus.CLOSED and rng.random() < 0.5:
            endings.append((soon, rng.choice([Outcome.DECLINED, Outcome.CANCELLED])))
        for placed_at, outcome in endings:
            order = _order(
                rng, district, booking, picker, station_id, placed_at, urgency, 1, until,
                demand_id=demand_id, outcome=outcome,
            )  # fmt: skip
            if order is None:  # the demand's field is fully booked then: any ready subject will do
                order = _order(
                    rng, district, booking, anywhere, station_id, placed_at, urgency, 1, until,
                    demand_id=demand_id, outcome=outcome,
                )  # fmt: skip
            if order is None:
                raise AssertionError(f"no subject to order for demand {demand_id}")
            orders.append(order)
    return orders
