"""The boards of a station screen and a provider console: one query draws each, subscriptions keep it current."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers.orders import board as resolvers
from resolvers.orders import queries as order_resolvers
from schema.catalog.types import Provider
from schema.common import decode_id
from schema.connections import connection_field, lazy
from schema.lists.types import DemandConnection
from schema.orders import enums  # noqa: F401  (describes the order enums these types show)
from schema.orders.counts import StatusCount, status_counts
from schema.orders.filters import MeetingFilter, MeetingSort
from schema.orders.types import MeetingConnection, OrderConnection
from schema.places import Station

LIVE_CURSOR = (
    "The position of the live feed just before the board was read: subscribe with it as `after` "
    "(`{feed}`) to receive every change since, missing none. Some may already show on the board; "
    "applying an event again changes nothing."
)


def _board_list(load: resolvers.OrderList, description: str) -> object:
    return connection_field(OrderConnection, load, description=description, parent=lambda board: board.board)


@strawberry.type(
    description="What a station's screen shows at a glance: today's orders, what is late or due within the "
    "hour, what waits for the station, its open demands and its meetings."
)
class StationBoard:
    board: strawberry.Private[resolvers.Board]

    @strawberry.field(description="The station.")
    async def station(self, info: Info) -> Station:
        return await Station.load_related(info, self.board.owner_id)

    @strawberry.field(description="The day the board shows (Asia/Shanghai).")
    def day(self) -> date:
        return self.board.day

    @strawberry.field(description=LIVE_CURSOR.format(feed="stationFeed"))
    def live_cursor(self) -> str:
        return self.board.live_cursor

    @strawberry.field(
        description="The orders the station placed today (Asia/Shanghai), counted by status; every status "
        "is listed, with 0 when none."
    )
    async def today_by_status(self, info: Info) -> list[StatusCount]:
        return status_counts(await resolvers.placed_today_by_status(info.context, self.board, "station"))

    overdue = _board_list(
        resolvers.station_overdue,
        "The station's orders past a deadline they still owe (the answer or the delivery), oldest first.",
    )
    due_within_hour = _board_list(
        resolvers.station_due_soon,
        "The station's orders whose answer or delivery falls due within the hour (not yet overdue), oldest first.",
    )
    awaiting_confirmation = _board_list(
        resolvers.awaiting_confirmation,
        "Orders delivered by their provider, waiting for the station to confirm or reject the delivery.",
    )
    awaiting_evaluation = _board_list(
        resolvers.awaiting_evaluation,
        "Completed orders waiting for the station's evaluation.",
    )
    open_demands = connection_field(
        DemandConnection,
        resolvers.open_demands,
        description="The station's demands still to be met (open, matched, in progress), newest first; each "
        "with its `suggestions`.",
        parent=lambda board: board.board,
    )
    next_meetings = connection_field(
        MeetingConnection,
        resolvers.next_meetings,
        description="The station's meetings still ahead (hearings planned with `planHearing`), soonest first.",
        parent=lambda board: board.board,
    )
    open_cases = connection_field(
        lazy("CaseConnection", "schema.cases.types"),
        resolvers.open_cases,
        description="The station's cases not yet closed (首问: received, or taken on and still open), oldest first.",
        parent=lambda board: board.board,
    )
    open_tasks = connection_field(
        lazy("TaskConnection", "schema.tasks.types"),
        resolvers.open_tasks,
        description="The station's volunteer tasks not yet done (open, taken, in progress), soonest start first.",
        parent=lambda board: board.board,
    )
    meetings = connection_field(
        MeetingConnection,
        order_resolvers.meetings_of_station,
        description="The station's meetings, latest first by default; `filter` as on `Station.meetings`.",
        filter=MeetingFilter,
        sort=MeetingSort,
        parent=lambda board: board.board.owner_id,
    )


@strawberry.type(
    description="What a provider's console shows at a glance: new orders to answer, what is late and what "
    "falls due today."
)
class ProviderBoard:
    board: strawberry.Private[resolvers.Board]

    @strawberry.field(description="The provider.")
    async def provider(self, info: Info) -> Provider:
        return await Provider.load_related(info, self.board.owner_id)

    @strawberry.field(description="The day the board shows (Asia/Shanghai).")
    def day(self) -> date:
        return self.board.day

    @strawberry.field(description=LIVE_CURSOR.format(feed="providerInbox"))
    def live_cursor(self) -> str:
        return self.board.live_cursor

    @strawberry.field(
        description="The orders addressed to the provider placed today (Asia/Shanghai), counted by status; "
        "every status is listed, with 0 when none."
    )
    async def today_by_status(self, info: Info) -> list[StatusCount]:
        return status_counts(await resolvers.placed_today_by_status(info.context, self.board, "provider"))

    new_orders = _board_list(
        resolvers.provider_new_orders,
        "Orders waiting for the provider to accept or decline them, oldest first.",
    )
    overdue = _board_list(
        resolvers.provider_overdue,
        "The provider's orders past a deadline they still owe (the answer or the delivery), oldest first.",
    )
    due_today = _board_list(
        resolvers.provider_due_today,
        "The provider's orders whose answer or delivery falls due before the end of today (Asia/Shanghai), "
        "not yet overdue, oldest first.",
    )


@strawberry.type
class BoardQuery:
    @strawberry.field(
        description="A station's board, the first read of its screen: your own station's when `stationId` "
        "is left out. For the station's staff, its town's staff and administrators."
    )
    async def station_board(self, info: Info, station_id: relay.GlobalID | None = None) -> StationBoard:
        board = await resolvers.station_board(info.context, decode_id(station_id, Station))
        return StationBoard(board=board)

    @strawberry.field(
        description="A provider's board, the first read of its console: your own provider's when "
        "`providerId` is left out. For the provider's staff and administrators."
    )
    async def provider_board(self, info: Info, provider_id: relay.GlobalID | None = None) -> ProviderBoard:
        board = await resolvers.provider_board(info.context, decode_id(provider_id, Provider))
        return ProviderBoard(board=board)
