"""Redeeming points for a reward: idempotent by key, and never spending points twice.

A redemption locks the volunteer's ledger account first (`ledger.locked_volunteer_account`):
every redemption of one volunteer, concurrent ones and retries under one key alike, runs one
after the other. Under the lock a retry finds the redemption its key made and answers it
again; a new one reads the balance the one before left and is refused when it falls short.
The database's own check (no volunteer balance below zero) stands behind it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import EntryKind, LedgerAccountKind, Redemption, Reward, Role, Station, Town, User, Volunteer
from resolvers.access import REDEEMERS, acts_for_volunteer, require_role, visible_volunteers
from resolvers.context import Context, Viewer
from resolvers.errors import Checks, ErrorCode, Refused, UserError
from resolvers.orders.checks import MAX_IDEMPOTENCY_KEY
from resolvers.time_bank.ledger import Movement, balance, locked_volunteer_account, record, station_account


@dataclass(frozen=True)
class RedemptionRequest:
    reward_id: int
    idempotency_key: str
    volunteer_id: int | None = None


def _volunteer_of(viewer: Viewer, checks: Checks, volunteer_id: int | None) -> int | None:
    """Volunteers redeem their own points; station staff name the volunteer they redeem for (代办)."""
    if viewer.role is Role.VOLUNTEER:
        if volunteer_id not in (None, viewer.user_id):
            checks.fail("volunteer_id", ErrorCode.NOT_PERMITTED, "You redeem your own points only.")
        return viewer.user_id
    if volunteer_id is None:
        checks.fail("volunteer_id", ErrorCode.REQUIRED, "Name the volunteer whose points are redeemed.")
    return volunteer_id


async def _offered_reward(session: AsyncSession, reward_id: int, volunteer: Volunteer) -> Reward | None:
    """The reward, if active and offered at the volunteer's station (its own, or district-wide)."""
    district = (
        select(Town.district_id)
        .join(Station, Station.town_id == Town.id)
        .where(Station.id == volunteer.station_id)
        .scalar_subquery()
    )
    reward: Reward | None = await session.scalar(
        select(Reward).where(
            Reward.id == reward_id,
            Reward.is_active,
            or_(
                Reward.station_id == volunteer.station_id,
                Reward.station_id.is_(None) & (Reward.district_id == district),
            ),
        )
    )
    return reward


async def redeem(ctx: Context, request: RedemptionRequest) -> Redemption:
    viewer = require_role(ctx, *REDEEMERS)
    checks = Checks()
    volunteer_id = _volunteer_of(viewer, checks, request.volunteer_id)
    checks.text("idempotency_key", request.idempotency_key, max_length=MAX_IDEMPOTENCY_KEY)
    checks.done()
    async with ctx.transaction() as session:
        volunteer = await session.scalar(visible_volunteers(viewer).where(Volunteer.user_id == volunteer_id))
        if volunteer is None or not acts_for_volunteer(viewer, volunteer):
            raise Refused(UserError(ErrorCode.NOT_FOUND, "No such volunteer of yours.", ["volunteer_id"]))
        account_id = await locked_volunteer_account(session, volunteer.user_id)
        earlier = await session.scalar(
            select(Redemption).where(
                Redemption.volunteer_id == volunteer.user_id,
                Redemption.idempotency_key == request.idempotency_key,
            )
        )
        if earlier is not None:
            if earlier.reward_id != request.reward_id:
                raise Refused(
                    UserError(
                        ErrorCode.IDEMPOTENCY_KEY_REUSED,
                        "That idempotency key was used for another reward; use a new key for a new redemption.",
                        ["idempotency_key"],
                    )
                )
            return earlier
        if not await session.scalar(select(User.is_active).where(User.id == volunteer.user_id)):
            raise Refused(UserError(ErrorCode.NOT_PERMITTED, "The volunteer's account is deactivated."))
        reward = await _offered_reward(session, request.reward_id, volunteer)
        if reward is None:
            raise Refused(
                UserError(
                    ErrorCode.NOT_FOUND, "No such reward offered at the volunteer's station.", ["reward_id"]
                )
            )
        available = await balance(session, account_id)
        if available < reward.points_price:
            raise Refused(
                UserError(
                    ErrorCode.INSUFFICIENT_POINTS,
                    f"{reward.name} costs {reward.points_price} points; the balance is {available}.",
                    ["reward_id"],
                )
            )
        assert viewer.user_id is not None
        entry_id = await record(
            session,
            Movement(
                kind=EntryKind.REDEMPTION,
                station_id=volunteer.station_id,
                source_account_id=account_id,
                target_account_id=await station_account(
                    session, volunteer.station_id, LedgerAccountKind.REDEEMED
                ),
                points=reward.points_price,
                memo=reward.name,
                recorded_by_id=viewer.user_id,
            ),
        )
        redemption = Redemption(
            volunteer_id=volunteer.user_id,
            reward_id=reward.id,
            entry_id=entry_id,
            points=reward.points_price,
            idempotency_key=request.idempotency_key,
            redeemed_by_id=viewer.user_id,
        )
        session.add(redemption)
        await session.flush()
        await session.refresh(redemption)
        return redemption
