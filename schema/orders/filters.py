"""The arguments of every list of orders: which orders (`OrderFilter`) in which order (`OrderSort`)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from models import HearingDecision, MeetingKind, OrderKind, OrderStatus, Urgency
from resolvers.orders import queries as resolvers
from resolvers.orders.queries import MeetingSortField, OrderSortField
from schema.catalog.types import Provider, Service
from schema.common import OrderDirection
from schema.connections import FilterInput, SortInput
from schema.inputs import fields_of
from schema.lists.types import Demand, Project
from schema.orders import enums  # noqa: F401  (describes the order enums these inputs take)
from schema.places import District, Station, Town

FILTER_IDS = {
    "district_id": District,
    "town_id": Town,
    "station_id": Station,
    "provider_id": Provider,
    "service_id": Service,
    "project_id": Project,
    "demand_id": Demand,
}


@strawberry.input(description="How to order a list of orders.")
class OrderSort(SortInput):
    field: OrderSortField = strawberry.field(description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="The direction.")
    ordering = staticmethod(resolvers.order_ordering)


@strawberry.input(description="Which orders to list, among those you may see; all conditions must hold.")
class OrderFilter(FilterInput):
    status: list[OrderStatus] | None = strawberry.field(
        default=None, description="Orders in any of these statuses."
    )
    urgency: Urgency | None = strawberry.field(default=None, description="Orders of this urgency.")
    kind: OrderKind | None = strawberry.field(
        default=None, description="Catalog orders only, or whistles (吹哨) only."
    )
    district_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Orders of this district's stations."
    )
    town_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Orders of this town's stations."
    )
    station_id: relay.GlobalID | None = strawberry.field(default=None, description="Orders of this station.")
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Orders addressed to this provider."
    )
    service_id: relay.GlobalID | None = strawberry.field(default=None, description="Orders of this service.")
    project_id: relay.GlobalID | None = strawberry.field(default=None, description="Orders of this project.")
    demand_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Orders answering this demand."
    )
    overdue: bool | None = strawberry.field(
        default=None,
        description="Orders past a deadline (true) or within their deadlines (false): an answer overdue "
        "while SUBMITTED, or a delivery overdue until DELIVERED.",
    )
    placed_after: datetime | None = strawberry.field(
        default=None,
        description="Orders placed at or after this time (Asia/Shanghai when no offset is given).",
    )
    placed_before: datetime | None = strawberry.field(
        default=None, description="Orders placed before this time (Asia/Shanghai when no offset is given)."
    )

    def to_filter(self) -> resolvers.OrderFilter:
        # A tuple, not a list: the filter is part of the key nested lists are loaded under.
        return fields_of(self, resolvers.OrderFilter, ids=FILTER_IDS, status=lambda given: tuple(given or ()))


@strawberry.input(description="How to order a list of meetings.")
class MeetingSort(SortInput):
    field: MeetingSortField = strawberry.field(description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="The direction.")
    ordering = staticmethod(resolvers.meeting_ordering)


@strawberry.input(description="Which meetings to list, among those you may see; all conditions must hold.")
class MeetingFilter(FilterInput):
    kind: list[MeetingKind] | None = strawberry.field(
        default=None, description="Meetings of any of these kinds."
    )
    decision: HearingDecision | None = strawberry.field(
        default=None, description="Hearings that decided this way."
    )
    service_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Meetings about this service."
    )
    project_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Meetings about this project."
    )
    held_after: datetime | None = strawberry.field(
        default=None,
        description="Meetings held at or after this time (Asia/Shanghai when no offset is given).",
    )
    held_before: datetime | None = strawberry.field(
        default=None, description="Meetings held before this time (Asia/Shanghai when no offset is given)."
    )
    upcoming: bool | None = strawberry.field(
        default=None,
        description="Meetings still ahead, i.e. planned hearings (true), or those already held (false).",
    )

    def to_filter(self) -> resolvers.MeetingFilter:
        return fields_of(self, resolvers.MeetingFilter, ids=FILTER_IDS, kind=lambda given: tuple(given or ()))
