"""GraphQL types of districts, towns and stations."""

from __future__ import annotations

import enum
from typing import Annotated, Any, ClassVar

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from models import Facility, StationKind, TownKind
from resolvers import places as resolvers
from resolvers.catalog import queries as catalog_resolvers
from resolvers.lists import queries as lists_resolvers
from resolvers.loading import decoded_json
from resolvers.orders import queries as orders_resolvers
from resolvers.places import StationOrderField, TownOrderField
from schema.common import (
    Connection,
    OrderDirection,
    RowNode,
    bounded_list,
    describe_enum,
    node_field,
    related_field,
)
from schema.connections import FilterInput, SortInput, connection_field, lazy
from schema.inputs import fields_of
from schema.statistics.figures import station_rating_summary_field

# The most districts `districts` lists: a city has a few dozen.
MAX_DISTRICTS = 100

describe_enum(
    TownKind,
    "Whether a town is an urban sub-district or a town.",
    {"SUBDISTRICT": "A sub-district (街道), urban.", "TOWN": "A town (镇), with villages."},
)
describe_enum(
    StationKind,
    "The level of a doorstep service station.",
    {
        "SERVICE_CENTER": "A town's doorstep service center (家门口服务中心).",
        "RESIDENTIAL_COMMITTEE": "The station of a residential committee (居委), urban.",
        "VILLAGE": "The station of a village (村), rural.",
    },
)
describe_enum(
    Facility,
    "The 'four stations and one room' (四站一室) a station carries.",
    {
        "PARTY_BUILDING": "Party-building service station (党建服务站).",
        "GOVERNMENT_AFFAIRS": "Government-affairs reception station (政务受理服务站).",
        "CULTURE": "Cultural service station (文化服务站).",
        "JOINT_DUTY": "Joint-duty linkage station (联勤联动站).",
        "CLINIC": "Clinic room (卫生室).",
    },
)
describe_enum(
    TownOrderField,
    "What towns can be ordered by.",
    {"NAME": "The town's name.", "CODE": "The town's administrative code."},
)
describe_enum(
    StationOrderField,
    "What stations can be ordered by.",
    {"NAME": "The station's name.", "CODE": "The station's code."},
)


@strawberry.enum(description="A day of the week, ISO numbering.")
class DayOfWeek(enum.Enum):
    MONDAY = strawberry.enum_value(1, description="Monday.")
    TUESDAY = strawberry.enum_value(2, description="Tuesday.")
    WEDNESDAY = strawberry.enum_value(3, description="Wednesday.")
    THURSDAY = strawberry.enum_value(4, description="Thursday.")
    FRIDAY = strawberry.enum_value(5, description="Friday.")
    SATURDAY = strawberry.enum_value(6, description="Saturday.")
    SUNDAY = strawberry.enum_value(7, description="Sunday.")


@strawberry.type(description="A period a station is open on a day of the week (local time, Asia/Shanghai).")
class OpeningPeriod:
    day: DayOfWeek = strawberry.field(description="The day of the week.")
    opens_at: str = strawberry.field(description="Opening time, HH:MM.")
    closes_at: str = strawberry.field(description="Closing time, HH:MM.")
    extended: bool = strawberry.field(
        description="Whether this is a staggered or extended period (错时延时服务) outside office hours."
    )


@strawberry.input(description="How to order towns.")
class TownOrder(SortInput):
    field: TownOrderField = strawberry.field(description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="The direction.")
    ordering = staticmethod(resolvers.town_ordering)


@strawberry.input(description="How to order stations.")
class StationOrder(SortInput):
    field: StationOrderField = strawberry.field(description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="The direction.")
    ordering = staticmethod(resolvers.station_ordering)


@strawberry.input(description="Which towns to list; all conditions must hold.")
class TownFilter(FilterInput):
    district_id: relay.GlobalID | None = strawberry.field(default=None, description="Towns of this district.")
    kind: TownKind | None = strawberry.field(default=None, description="Sub-districts or towns.")
    search: str | None = strawberry.field(default=None, description="Text the name contains (Chinese works).")

    def to_filter(self) -> resolvers.TownFilter:
        return fields_of(self, resolvers.TownFilter, ids={"district_id": District})


@strawberry.input(description="Which stations to list; all conditions must hold.")
class StationFilter(FilterInput):
    district_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Stations of this district."
    )
    town_id: relay.GlobalID | None = strawberry.field(default=None, description="Stations of this town.")
    kind: StationKind | None = strawberry.field(default=None, description="Stations of this level.")
    facility: Facility | None = strawberry.field(
        default=None, description="Stations that carry this facility."
    )
    has_extended_hours: bool | None = strawberry.field(
        default=None, description="Stations with (or without) extended opening hours."
    )
    search: str | None = strawberry.field(
        default=None, description="Text the name or address contains (Chinese works)."
    )

    def to_filter(self) -> resolvers.StationFilter:
        return fields_of(self, resolvers.StationFilter, ids={"district_id": District, "town_id": Town})


@strawberry.type(description="A district (区) of the city: the scope of its departments and towns.")
class District(RowNode):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="The administrative code, e.g. 310115.")
    name: str = strawberry.field(description="The name, e.g. 浦东新区.")

    needs: ClassVar[dict[str, tuple[str, ...]]] = {"towns": ()}

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.district_loader(info.context)

    towns = connection_field(
        lazy("TownConnection", __name__),
        resolvers.towns_of_district,
        description="The towns and sub-districts of the district.",
        filter=TownFilter,
        sort=TownOrder,
        parent=lambda district: district.id,
    )


@strawberry.type(description="A town or sub-district (街镇), grouping stations.")
class Town(RowNode):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="The administrative code.")
    name: str = strawberry.field(description="The name, e.g. 陆家嘴街道.")
    kind: TownKind = strawberry.field(description="Sub-district or town.")
    district_id: strawberry.Private[int]

    needs: ClassVar[dict[str, tuple[str, ...]]] = {"stations": ()}

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.town_loader(info.context)

    district = related_field(District, "district_id", description="The district the town belongs to.")

    stations = connection_field(
        lazy("StationConnection", __name__),
        resolvers.stations_of_town,
        description="The stations of the town.",
        filter=StationFilter,
        sort=StationOrder,
        parent=lambda town: town.id,
    )


@strawberry.type(description="A doorstep service station (家门口服务站) or service center.")
class Station(RowNode):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="The station's code.")
    name: str = strawberry.field(description="The name, e.g. 梅园新村居民区家门口服务站.")
    kind: StationKind = strawberry.field(description="Service center, residential committee or village.")
    address: str = strawberry.field(description="The street address.")
    phone: str | None = strawberry.field(description="The station's phone number.")
    facilities: list[Facility] = strawberry.field(
        description="The facilities of the 'four stations and one room' it carries."
    )
    town_id: strawberry.Private[int]
    opening_hours_rows: strawberry.Private[Any]
    """The opening hours as the row holds them: JSON text, decoded only when the field is asked."""

    row_names: ClassVar[dict[str, str]] = {"opening_hours_rows": "opening_hours"}
    needs: ClassVar[dict[str, tuple[str, ...]]] = {
        "openingHours": ("opening_hours",),
        "menu": ("town_id",),
        "demands": (),
        "orders": (),
    }

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.station_loader(info.context)

    @strawberry.field(description="When the station is open, office and extended hours, Monday first.")
    def opening_hours(self) -> list[OpeningPeriod]:
        return [
            OpeningPeriod(
                day=DayOfWeek(period["day"]),
                opens_at=period["opens"],
                closes_at=period["closes"],
                extended=period["extended"],
            )
            for period in sorted(decoded_json(self.opening_hours_rows), key=lambda p: (p["day"], p["opens"]))
        ]

    town = related_field(Town, "town_id", description="The town the station belongs to.")
    rating_summary = station_rating_summary_field()

    menu = connection_field(
        lazy("ServiceConnection", "schema.catalog.types"),
        catalog_resolvers.menu_of_town,
        description="What the station can order: the published services of its district's providers.",
        filter=lazy("ServiceFilter", "schema.catalog.filters"),
        sort=lazy("ServiceOrder", "schema.catalog.filters"),
        parent=lambda station: station.town_id,
    )
    demands = connection_field(
        lazy("DemandConnection", "schema.lists.types"),
        lists_resolvers.demands_of_station,
        description="The demands the station has posted.",
        filter=lazy("DemandFilter", "schema.lists.filters"),
        sort=lazy("DemandOrder", "schema.lists.filters"),
        parent=lambda station: station.id,
    )
    orders = connection_field(
        lazy("OrderConnection", "schema.orders.types"),
        orders_resolvers.orders_of_station,
        description="The orders the station placed, among those you may see; newest first by default.",
        filter=lazy("OrderFilter", "schema.orders.filters"),
        sort=lazy("OrderSort", "schema.orders.filters"),
        parent=lambda station: station.id,
    )

    meetings = connection_field(
        lazy("MeetingConnection", "schema.orders.types"),
        orders_resolvers.meetings_of_station,
        description="The three meetings (三会) the station held (hearings, coordination and evaluation "
        "meetings), among those you may see; latest first by default. Filter hearings by project and "
        "decision to see whether a project is approved, and how many orders the approval still allows.",
        filter=lazy("MeetingFilter", "schema.orders.filters"),
        sort=lazy("MeetingSort", "schema.orders.filters"),
        parent=lambda station: station.id,
    )


@strawberry.type(description="A page of towns.")
class TownConnection(Connection[Town]):
    pass


@strawberry.type(description="A page of stations.")
class StationConnection(Connection[Station]):
    pass


@strawberry.type
class PlacesQuery:
    @strawberry.field(description=f"The districts of the city (at most {MAX_DISTRICTS}).")
    async def districts(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description="How many, at most.")] = MAX_DISTRICTS,
    ) -> list[District]:
        rows = await resolvers.list_districts(info.context, limit=MAX_DISTRICTS)
        return [District.from_row(row) for row in bounded_list(rows, first, MAX_DISTRICTS)]

    town = node_field(Town, description="A town by its ID; null when none has it.")
    station = node_field(Station, description="A station by its ID; null when none has it.")

    towns = connection_field(
        TownConnection,
        resolvers.list_towns,
        description="Towns and sub-districts.",
        filter=TownFilter,
        sort=TownOrder,
    )
    stations = connection_field(
        StationConnection,
        resolvers.list_stations,
        description="Doorstep service stations and service centers.",
        filter=StationFilter,
        sort=StationOrder,
    )
