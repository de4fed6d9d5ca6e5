"""GraphQL types of districts, towns and stations."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from models import Facility, StationKind, TownKind
from resolvers import catalog as catalog_resolvers
from resolvers import lists as lists_resolvers
from resolvers import orders as orders_resolvers
from resolvers import places as resolvers
from resolvers.places import StationOrderField, TownOrderField
from schema.common import Connection, OrderDirection, RowNode, decode_id, describe_enum, page_request

if TYPE_CHECKING:
    from schema.catalog import ServiceConnection, ServiceFilter, ServiceOrder
    from schema.lists import DemandConnection, DemandFilter, DemandOrder
    from schema.orders import OrderConnection, OrderFilter, OrderSort

LazyCatalog = "schema.catalog"
LazyLists = "schema.lists"
LazyOrders = "schema.orders"

TownKindEnum = describe_enum(
    TownKind,
    "Whether a town is an urban sub-district or a town.",
    {"SUBDISTRICT": "A sub-district (街道), urban.", "TOWN": "A town (镇), with villages."},
)
StationKindEnum = describe_enum(
    StationKind,
    "The level of a doorstep service station.",
    {
        "SERVICE_CENTER": "A town's doorstep service center (家门口服务中心).",
        "RESIDENTIAL_COMMITTEE": "The station of a residential committee (居委), urban.",
        "VILLAGE": "The station of a village (村), rural.",
    },
)
FacilityEnum = describe_enum(
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
TownOrderFieldEnum = describe_enum(
    TownOrderField,
    "What towns can be ordered by.",
    {"NAME": "The town's name.", "CODE": "The town's administrative code."},
)
StationOrderFieldEnum = describe_enum(
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
class TownOrder:
    field: TownOrderFieldEnum = strawberry.field(description="The field to order by.")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="The direction.")


@strawberry.input(description="How to order stations.")
class StationOrder:
    field: StationOrderFieldEnum = strawberry.field(description="The field to order by.")  # type: ignore[valid-type]
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="The direction.")


@strawberry.input(description="Which towns to list; all conditions must hold.")
class TownFilter:
    district_id: relay.GlobalID | None = strawberry.field(default=None, description="Towns of this district.")
    kind: TownKindEnum | None = strawberry.field(default=None, description="Sub-districts or towns.")  # type: ignore[valid-type]
    search: str | None = strawberry.field(default=None, description="Text the name contains (Chinese works).")

    def to_filter(self) -> resolvers.TownFilter:
        return resolvers.TownFilter(
            district_id=decode_id(self.district_id, District), kind=self.kind, search=self.search
        )


@strawberry.input(description="Which stations to list; all conditions must hold.")
class StationFilter:
    district_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Stations of this district."
    )
    town_id: relay.GlobalID | None = strawberry.field(default=None, description="Stations of this town.")
    kind: StationKindEnum | None = strawberry.field(default=None, description="Stations of this level.")  # type: ignore[valid-type]
    facility: FacilityEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Stations that carry this facility."
    )
    has_extended_hours: bool | None = strawberry.field(
        default=None, description="Stations with (or without) extended opening hours."
    )
    search: str | None = strawberry.field(
        default=None, description="Text the name or address contains (Chinese works)."
    )

    def to_filter(self) -> resolvers.StationFilter:
        return resolvers.StationFilter(
            district_id=decode_id(self.district_id, District),
            town_id=decode_id(self.town_id, Town),
            kind=self.kind,
            facility=self.facility,
            has_extended_hours=self.has_extended_hours,
            search=self.search,
        )


def town_ordering(order: TownOrder | None):
    if order is None:
        return resolvers.town_ordering()
    return resolvers.town_ordering(order.field, order.direction is OrderDirection.DESC)


def station_ordering(order: StationOrder | None):
    if order is None:
        return resolvers.station_ordering()
    return resolvers.station_ordering(order.field, order.direction is OrderDirection.DESC)


@strawberry.type(description="A district (区) of the city: the scope of its departments and towns.")
class District(RowNode):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="The administrative code, e.g. 310115.")
    name: str = strawberry.field(description="The name, e.g. 浦东新区.")

    @classmethod
    def loader(cls, info: Info):
        return resolvers.district_loader(info.context)

    @strawberry.field(description="The towns and sub-districts of the district.")
    async def towns(
        self,
        info: Info,
        filter: TownFilter | None = None,
        order_by: TownOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> TownConnection:
        f = filter.to_filter() if filter else resolvers.TownFilter()
        f = resolvers.TownFilter(district_id=self.id, kind=f.kind, search=f.search)
        page = await resolvers.list_towns(
            info.context, f, town_ordering(order_by), page_request(info, first, after, last, before)
        )
        return TownConnection.from_page(page, Town.from_row)


@strawberry.type(description="A town or sub-district (街镇), grouping stations.")
class Town(RowNode):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="The administrative code.")
    name: str = strawberry.field(description="The name, e.g. 陆家嘴街道.")
    kind: TownKindEnum = strawberry.field(description="Sub-district or town.")  # type: ignore[valid-type]
    district_id: strawberry.Private[int]

    @classmethod
    def loader(cls, info: Info):
        return resolvers.town_loader(info.context)

    @strawberry.field(description="The district the town belongs to.")
    async def district(self, info: Info) -> District:
        return await District.load(info, self.district_id)

    @strawberry.field(description="The stations of the town.")
    async def stations(
        self,
        info: Info,
        filter: StationFilter | None = None,
        order_by: StationOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> StationConnection:
        f = filter.to_filter() if filter else resolvers.StationFilter()
        page = await resolvers.stations_of_town(
            info.context,
            self.id,
            f,
            station_ordering(order_by),
            page_request(info, first, after, last, before),
        )
        return StationConnection.from_page(page, Station.from_row)


@strawberry.type(description="A doorstep service station (家门口服务站) or service center.")
class Station(RowNode):
    id: relay.NodeID[int]
    code: str = strawberry.field(description="The station's code.")
    name: str = strawberry.field(description="The name, e.g. 梅园新村居民区家门口服务站.")
    kind: StationKindEnum = strawberry.field(description="Service center, residential committee or village.")  # type: ignore[valid-type]
    address: str = strawberry.field(description="The street address.")
    phone: str | None = strawberry.field(description="The station's phone number.")
    facilities: list[FacilityEnum] = strawberry.field(  # type: ignore[valid-type]
        description="The facilities of the 'four stations and one room' it carries."
    )
    town_id: strawberry.Private[int]
    opening_hours_rows: strawberry.Private[list[dict]]

    @classmethod
    def from_row(cls, row) -> Station:
        return cls(
            id=row.id,
            code=row.code,
            name=row.name,
            kind=row.kind,
            address=row.address,
            phone=row.phone,
            facilities=row.facilities,
            town_id=row.town_id,
            opening_hours_rows=row.opening_hours,
        )

    @classmethod
    def loader(cls, info: Info):
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
            for period in sorted(self.opening_hours_rows, key=lambda p: (p["day"], p["opens"]))
        ]

    @strawberry.field(description="The town the station belongs to.")
    async def town(self, info: Info) -> Town:
        return await Town.load(info, self.town_id)

    @strawberry.field(
        description="What the station can order: the published services of its district's providers."
    )
    async def menu(
        self,
        info: Info,
        filter: Annotated[ServiceFilter, strawberry.lazy(LazyCatalog)] | None = None,
        order_by: Annotated[ServiceOrder, strawberry.lazy(LazyCatalog)] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[ServiceConnection, strawberry.lazy(LazyCatalog)]:
        from schema.catalog import Service, ServiceConnection, service_ordering

        district_id = await resolvers.district_of_station(info.context, self)
        f = filter.to_filter() if filter else catalog_resolvers.ServiceFilter()
        page = await catalog_resolvers.services_of_district(
            info.context,
            district_id,
            f,
            service_ordering(order_by),
            page_request(info, first, after, last, before),
        )
        return ServiceConnection.from_page(page, Service.from_row)

    @strawberry.field(description="The demands the station has posted.")
    async def demands(
        self,
        info: Info,
        filter: Annotated[DemandFilter, strawberry.lazy(LazyLists)] | None = None,
        order_by: Annotated[DemandOrder, strawberry.lazy(LazyLists)] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[DemandConnection, strawberry.lazy(LazyLists)]:
        from schema.lists import Demand, DemandConnection, demand_ordering

        f = filter.to_filter() if filter else lists_resolvers.DemandFilter()
        page = await lists_resolvers.demands_of_station(
            info.context,
            self.id,
            f,
            demand_ordering(order_by),
            page_request(info, first, after, last, before),
        )
        return DemandConnection.from_page(page, Demand.from_row)

    @strawberry.field(
        description="The orders the station placed, among those you may see; newest first by default."
    )
    async def orders(
        self,
        info: Info,
        filter: Annotated[OrderFilter, strawberry.lazy(LazyOrders)] | None = None,
        order_by: Annotated[OrderSort, strawberry.lazy(LazyOrders)] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[OrderConnection, strawberry.lazy(LazyOrders)]:
        from schema.orders import Order, OrderConnection, order_ordering, orders_filter

        page = await orders_resolvers.orders_of_station(
            info.context,
            self.id,
            orders_filter(filter),
            order_ordering(order_by),
            page_request(info, first, after, last, before),
        )
        return OrderConnection.from_page(page, Order.from_row)


@strawberry.type(description="A page of towns.")
class TownConnection(Connection[Town]):
    pass


@strawberry.type(description="A page of stations.")
class StationConnection(Connection[Station]):
    pass


@strawberry.type
class PlacesQuery:
    @strawberry.field(description="The districts of the city.")
    async def districts(self, info: Info) -> list[District]:
        return [District.from_row(row) for row in await resolvers.list_districts(info.context)]

    @strawberry.field(description="A town by its ID; null when none has it.")
    async def town(self, info: Info, id: relay.GlobalID) -> Town | None:
        return await Town.load(info, decode_id(id, Town))

    @strawberry.field(description="A station by its ID; null when none has it.")
    async def station(self, info: Info, id: relay.GlobalID) -> Station | None:
        return await Station.load(info, decode_id(id, Station))

    @strawberry.field(description="Towns and sub-districts.")
    async def towns(
        self,
        info: Info,
        filter: TownFilter | None = None,
        order_by: TownOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> TownConnection:
        f = filter.to_filter() if filter else resolvers.TownFilter()
        page = await resolvers.list_towns(
            info.context, f, town_ordering(order_by), page_request(info, first, after, last, before)
        )
        return TownConnection.from_page(page, Town.from_row)

    @strawberry.field(description="Doorstep service stations and service centers.")
    async def stations(
        self,
        info: Info,
        filter: StationFilter | None = None,
        order_by: StationOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> StationConnection:
        f = filter.to_filter() if filter else resolvers.StationFilter()
        page = await resolvers.list_stations(
            info.context, f, station_ordering(order_by), page_request(info, first, after, last, before)
        )
        return StationConnection.from_page(page, Station.from_row)
