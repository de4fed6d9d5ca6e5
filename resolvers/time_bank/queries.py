"""Reading the time bank: balances, a volunteer's history of points, redemptions, a station's totals.

Balances are sums of ledger lines, read in one statement for any number of volunteers; a
history is a page of the lines of the volunteer's account with their entries.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select, case, func, select
from strawberry.dataloader import DataLoader

from models import (
    LedgerAccount,
    LedgerAccountKind,
    LedgerEntry,
    LedgerLine,
    Redemption,
    Station,
    Volunteer,
)
from resolvers.access import (
    may_follow_station,
    not_visible,
    require_role,
    visible_ledger_accounts,
    visible_redemptions,
)
from resolvers.context import Context
from resolvers.loading import PLAIN_ROWS, among, by_id
from resolvers.pagination import Ordering, Page, PageRequest, child_pages, paginate


def balance_loader(ctx: Context) -> DataLoader[int, int]:
    """A volunteer's points now (the sum of their account's lines), by volunteer id."""

    async def load(volunteer_ids: list[int]) -> list[int]:
        stmt = (
            select(LedgerAccount.volunteer_id, func.coalesce(func.sum(LedgerLine.amount), 0))
            .outerjoin(LedgerLine, LedgerLine.account_id == LedgerAccount.id)
            .where(among(LedgerAccount.volunteer_id, volunteer_ids))
            .group_by(LedgerAccount.volunteer_id)
        )
        async with ctx.db.session() as session:
            found = dict((await session.execute(stmt)).all())
        return [int(found.get(volunteer_id, 0)) for volunteer_id in volunteer_ids]

    return ctx.loaders.get("volunteer.balance", load)


# A line with what the history shows of its entry, as plain columns.
HISTORY_COLUMNS = (
    LedgerLine.id,
    LedgerLine.amount,
    LedgerEntry.kind,
    LedgerEntry.memo,
    LedgerEntry.task_id,
    LedgerEntry.recorded_at,
    LedgerEntry.id.label("entry_id"),
)
LINE_ORDERING = Ordering(
    key="pointsMovement.ID", column=LedgerLine.id, tiebreaker=LedgerLine.id, descending=True
)


def _history_query(ctx: Context) -> Select[Any]:
    accounts = visible_ledger_accounts(ctx.viewer).with_only_columns(LedgerAccount.id)
    stmt = (
        select(*HISTORY_COLUMNS, LedgerAccount.volunteer_id)
        .join(LedgerEntry, LedgerEntry.id == LedgerLine.entry_id)
        .join(LedgerAccount, LedgerAccount.id == LedgerLine.account_id)
        .where(LedgerLine.account_id.in_(accounts))
        .execution_options(**{PLAIN_ROWS: True})
    )
    # Plain rows of several tables: the pagination reads them by column name like one model's rows.
    return cast(Select[Any], stmt)


def movement_loader(ctx: Context) -> DataLoader[int, Any]:
    """Movements (ledger lines with their entries) by line id, of the accounts the viewer may see."""
    return by_id(ctx, LedgerLine, _history_query(ctx))


async def history_of_volunteer(ctx: Context, volunteer_id: int, page: PageRequest) -> Page[Any]:
    """The movements of a volunteer's points, newest first."""
    loader = child_pages(
        ctx, "volunteer.points", _history_query(ctx), LedgerAccount.volunteer_id, LINE_ORDERING, page
    )
    return await loader.load(volunteer_id)


def redemption_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, Redemption, visible_redemptions(ctx.viewer))


class RedemptionOrderField(enum.Enum):
    CREATED_AT = "CREATED_AT"


def redemption_ordering(
    field: RedemptionOrderField = RedemptionOrderField.CREATED_AT, descending: bool = True
) -> Ordering:
    return Ordering(
        key=f"redemption.{field.name}", column=Redemption.id, tiebreaker=Redemption.id, descending=descending
    )


@dataclass(frozen=True)
class RedemptionFilter:
    volunteer_id: int | None = None
    station_id: int | None = None
    reward_id: int | None = None


def redemptions_query(ctx: Context, f: RedemptionFilter) -> Select[Any]:
    stmt = visible_redemptions(ctx.viewer)
    if f.volunteer_id is not None:
        stmt = stmt.where(Redemption.volunteer_id == f.volunteer_id)
    if f.reward_id is not None:
        stmt = stmt.where(Redemption.reward_id == f.reward_id)
    if f.station_id is not None:
        stmt = stmt.where(
            Redemption.volunteer_id.in_(select(Volunteer.user_id).where(Volunteer.station_id == f.station_id))
        )
    return stmt


async def list_redemptions(
    ctx: Context, f: RedemptionFilter, ordering: Ordering, page: PageRequest
) -> Page[Any]:
    require_role(ctx)
    return await paginate(ctx, redemptions_query(ctx, f), ordering, page)


async def redemptions_of_volunteer(
    ctx: Context, volunteer_id: int, f: RedemptionFilter, ordering: Ordering, page: PageRequest
) -> Page[Any]:
    loader = child_pages(
        ctx, ("volunteer.redemptions", f), redemptions_query(ctx, f), Redemption.volunteer_id, ordering, page
    )
    return await loader.load(volunteer_id)


@dataclass(frozen=True)
class StationTotals:
    station_id: int
    issued: int
    redeemed: int
    held: int
    volunteers: int


async def station_totals(ctx: Context, station_id: int) -> StationTotals:
    """A station's time bank: points issued for its volunteers' work, redeemed, still held by them.
    For its staff, its town's staff and administrators."""
    viewer = require_role(ctx)
    async with ctx.db.session() as session:
        town_id = await session.scalar(select(Station.town_id).where(Station.id == station_id))
        if town_id is None or not may_follow_station(viewer, station_id, town_id):
            raise not_visible("station")
        sums = (
            await session.execute(
                select(
                    func.coalesce(
                        func.sum(case((LedgerAccount.kind == LedgerAccountKind.ISSUED, -LedgerLine.amount))),
                        0,
                    ),
                    func.coalesce(
                        func.sum(case((LedgerAccount.kind == LedgerAccountKind.REDEEMED, LedgerLine.amount))),
                        0,
                    ),
                    func.coalesce(
                        func.sum(
                            case((LedgerAccount.kind == LedgerAccountKind.VOLUNTEER, LedgerLine.amount))
                        ),
                        0,
                    ),
                )
                .join(LedgerAccount, LedgerAccount.id == LedgerLine.account_id)
                .where(LedgerAccount.station_id == station_id)
            )
        ).one()
        volunteers = await session.scalar(
            select(func.count()).select_from(Volunteer).where(Volunteer.station_id == station_id)
        )
    return StationTotals(station_id, int(sums[0]), int(sums[1]), int(sums[2]), int(volunteers or 0))
