"""Reading cases: loaders, the case filter and orderings, lists and history.

Every read starts from `resolvers.access.visible_cases`, so lists, lookups and nested
lists show a viewer the same cases.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from strawberry.dataloader import DataLoader

from models import Case, CaseEvent, CaseKind, CaseStatus, Station, Urgency
from resolvers.access import visible_cases
from resolvers.context import Context
from resolvers.loading import by_id
from resolvers.orders.deadlines import CASE_DEADLINES, aware, overdue_condition
from resolvers.pagination import Ordering, Page, PageRequest, child_pages, paginate


def case_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, Case, visible_cases(ctx.viewer))


def case_event_loader(ctx: Context) -> DataLoader[int, Any]:
    visible_ids = visible_cases(ctx.viewer).with_only_columns(Case.id)
    return by_id(ctx, CaseEvent, select(CaseEvent).where(CaseEvent.case_id.in_(visible_ids)))


class CaseSortField(enum.Enum):
    CREATED_AT = "CREATED_AT"
    CLOSING_DUE_AT = "CLOSING_DUE_AT"


SORT_COLUMNS = {CaseSortField.CREATED_AT: Case.created_at, CaseSortField.CLOSING_DUE_AT: Case.closing_due_at}


def case_ordering(field: CaseSortField = CaseSortField.CREATED_AT, descending: bool = True) -> Ordering:
    return Ordering(
        key=f"case.{field.name}", column=SORT_COLUMNS[field], tiebreaker=Case.id, descending=descending
    )


CASE_EVENT_ORDERING = Ordering(key="case_event.ID", column=CaseEvent.id, tiebreaker=CaseEvent.id)


@dataclass(frozen=True)
class CaseFilter:
    """Which cases to list; times without an offset are the district's local time."""

    status: tuple[CaseStatus, ...] = ()
    kind: CaseKind | None = None
    urgency: Urgency | None = None
    town_id: int | None = None
    station_id: int | None = None
    owner_id: int | None = None
    overdue: bool | None = None
    received_after: datetime | None = None
    received_before: datetime | None = None


def cases_query(ctx: Context, f: CaseFilter) -> Select[Any]:
    stmt = visible_cases(ctx.viewer)
    if f.status:
        stmt = stmt.where(Case.status.in_(f.status))
    for column, value in (
        (Case.kind, f.kind),
        (Case.urgency, f.urgency),
        (Case.station_id, f.station_id),
        (Case.owner_id, f.owner_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if f.town_id is not None:
        stmt = stmt.where(Case.station_id.in_(select(Station.id).where(Station.town_id == f.town_id)))
    if f.overdue is not None:
        overdue = overdue_condition(CASE_DEADLINES)
        stmt = stmt.where(overdue if f.overdue else ~overdue)
    if f.received_after is not None:
        stmt = stmt.where(Case.created_at >= aware(f.received_after))
    if f.received_before is not None:
        stmt = stmt.where(Case.created_at < aware(f.received_before))
    return stmt


async def list_cases(ctx: Context, f: CaseFilter, ordering: Ordering, page: PageRequest) -> Page[Case]:
    return await paginate(ctx, cases_query(ctx, f), ordering, page)


async def history_of_case(ctx: Context, case_id: int, page: PageRequest) -> Page[CaseEvent]:
    """The events of a case the caller has already seen, oldest first."""
    loader = child_pages(ctx, "case.history", select(CaseEvent), CaseEvent.case_id, CASE_EVENT_ORDERING, page)
    return await loader.load(case_id)
