"""The arguments of lists of cases: which to list, and in what order."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from models import CaseKind, CaseStatus, Urgency
from resolvers.cases import queries as resolvers
from resolvers.cases.queries import CaseSortField
from schema.accounts import User
from schema.cases import types  # noqa: F401  (describes the case enums these inputs take)
from schema.common import OrderDirection, describe_enum
from schema.connections import FilterInput, SortInput
from schema.inputs import fields_of
from schema.places import Station, Town

describe_enum(
    CaseSortField,
    "What lists of cases can be sorted by.",
    {"CREATED_AT": "When the case was received.", "CLOSING_DUE_AT": "When its closing is due."},
)

FILTER_IDS = {"town_id": Town, "station_id": Station, "owner_id": User}


@strawberry.input(description="How to order a list of cases.")
class CaseSort(SortInput):
    field: CaseSortField = strawberry.field(description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="The direction.")
    ordering = staticmethod(resolvers.case_ordering)


@strawberry.input(description="Which cases to list, among those you may see; all conditions must hold.")
class CaseFilter(FilterInput):
    status: list[CaseStatus] | None = strawberry.field(
        default=None, description="Cases in any of these statuses."
    )
    kind: CaseKind | None = strawberry.field(default=None, description="Cases of this kind.")
    urgency: Urgency | None = strawberry.field(default=None, description="Cases of this urgency.")
    town_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Cases of this town's stations."
    )
    station_id: relay.GlobalID | None = strawberry.field(default=None, description="Cases of this station.")
    owner_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Cases this account owns now."
    )
    overdue: bool | None = strawberry.field(
        default=None, description="Cases past a deadline they still owe (true), or not (false)."
    )
    received_after: datetime | None = strawberry.field(
        default=None,
        description="Cases received at or after this time (Asia/Shanghai when no offset is given).",
    )
    received_before: datetime | None = strawberry.field(
        default=None, description="Cases received before this time (Asia/Shanghai when no offset is given)."
    )

    def to_filter(self) -> resolvers.CaseFilter:
        return fields_of(self, resolvers.CaseFilter, ids=FILTER_IDS, status=lambda given: tuple(given or ()))
