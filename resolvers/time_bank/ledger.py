"""The ledger: accounts, balanced journal entries, and balances derived from their lines.

Points are never a column that changes: each movement is an entry whose lines (one per
account, positive into it, negative out of it) sum to zero, and an account's balance is
the sum of its lines. The database refuses an unbalanced entry, a volunteer balance below
zero, and any change or removal of what is written (migration 0019); the code here writes
entries the way those rules expect and answers the user before they would refuse.

Confirmed work moves points from the station's ISSUED account to the volunteer's; a
redemption from the volunteer's to the station's REDEEMED account. So a station's points
issued are minus its ISSUED balance, and the points its volunteers hold are the issued ones
not yet redeemed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import EntryKind, LedgerAccount, LedgerAccountKind, LedgerEntry, LedgerLine


async def station_account(session: AsyncSession, station_id: int, kind: LedgerAccountKind) -> int:
    """The id of a station's account of a kind (ISSUED, REDEEMED), opened at its first use."""
    await session.execute(
        pg_insert(LedgerAccount)
        .values(kind=kind, station_id=station_id)
        .on_conflict_do_nothing(
            index_elements=["station_id", "kind"],
            index_where=LedgerAccount.kind != LedgerAccountKind.VOLUNTEER,
        )
    )
    account_id: int = (
        await session.execute(
            select(LedgerAccount.id).where(LedgerAccount.station_id == station_id, LedgerAccount.kind == kind)
        )
    ).scalar_one()
    return account_id


async def open_volunteer_account(session: AsyncSession, volunteer_id: int, station_id: int) -> None:
    await session.execute(
        insert(LedgerAccount).values(
            kind=LedgerAccountKind.VOLUNTEER, station_id=station_id, volunteer_id=volunteer_id
        )
    )


async def locked_volunteer_account(session: AsyncSession, volunteer_id: int) -> int:
    """The volunteer's account id, its row locked to the end of the transaction: spends of one
    volunteer queue here, each reading the balance the one before it left."""
    account_id: int = (
        await session.execute(
            select(LedgerAccount.id).where(LedgerAccount.volunteer_id == volunteer_id).with_for_update()
        )
    ).scalar_one()
    return account_id


async def balance(session: AsyncSession, account_id: int) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(LedgerLine.amount), 0)).where(LedgerLine.account_id == account_id)
    )
    return int(total or 0)


@dataclass(frozen=True)
class Movement:
    """Points moved from one account to another by one entry."""

    kind: EntryKind
    station_id: int
    source_account_id: int
    target_account_id: int
    points: int
    memo: str
    recorded_by_id: int
    task_id: int | None = None


async def record(session: AsyncSession, movement: Movement) -> int:
    """Write the entry and its two lines (out of the source, into the target); its id."""
    entry_id: int = (
        await session.execute(
            insert(LedgerEntry)
            .values(
                kind=movement.kind,
                station_id=movement.station_id,
                task_id=movement.task_id,
                memo=movement.memo,
                recorded_by_id=movement.recorded_by_id,
            )
            .returning(LedgerEntry.id)
        )
    ).scalar_one()
    await session.execute(
        insert(LedgerLine),
        [
            {"entry_id": entry_id, "account_id": movement.source_account_id, "amount": -movement.points},
            {"entry_id": entry_id, "account_id": movement.target_account_id, "amount": movement.points},
        ],
    )
    return entry_id
