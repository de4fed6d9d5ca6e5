"""The planned history of a district: its stations, providers, subjects and demands, and its orders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from models import CapacityPeriod, DemandStatus, StationKind, Urgency
from seeds.lifecycle import Quality, Story


@dataclass(frozen=True)
class Subject:
    """A published service or project of the district, as the history orders it."""

    id: int
    provider_id: int
    is_project: bool
    top_category: int
    name: str
    lead_days: int
    capacity: int | None
    period: CapacityPeriod | None
    available_from: datetime
    three_meetings: bool = False


@dataclass
class District:
    """What the history of a district draws on, read from the catalog seed; `quality` per provider."""

    id: int
    stations: list[tuple[int, StationKind, str]] = field(default_factory=list)
    providers: list[int] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    # Published resources: (id, provider id, top category id, published since).
    resources: list[tuple[int, int, int, datetime]] = field(default_factory=list)
    demands: list[tuple[int, int, int, Urgency, DemandStatus, datetime]] = field(default_factory=list)
    quality: dict[int, Quality] = field(default_factory=dict)


@dataclass
class Order:
    """An order of the history: who ordered what, how much, and its story."""

    station_id: int
    subject: Subject
    quantity: int
    story: Story
    demand_id: int | None = None
    # Given when its rows are written (seeds.records): its id and the station account that placed it.
    id: int = 0
    placed_by: int = 0
