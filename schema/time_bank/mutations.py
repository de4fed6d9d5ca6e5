"""The time-bank mutations: managing the reward catalog, and redeeming points."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers.time_bank import redemption, rewards
from schema.common import decode_id
from schema.inputs import changes_of, fields_of
from schema.payloads import UserError, mutate
from schema.places import District, Station
from schema.time_bank.types import Redemption, Reward


@strawberry.input(description="A reward to publish in the catalog.")
class CreateRewardInput:
    name: str = strawberry.field(description="What it is.")
    points_price: int = strawberry.field(description="Its price in points (1 to 100,000).")
    description: str = strawberry.field(default="", description="More about it.")
    station_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The station offering it: station staff's own (may be left out)."
    )
    district_id: relay.GlobalID | None = strawberry.field(
        default=None, description="For administrators: the district of a reward offered at every station."
    )


@strawberry.input(description="Changes to a reward: only the fields given change.")
class UpdateRewardInput:
    reward_id: relay.GlobalID = strawberry.field(description="The reward.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="What it is.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="More about it.")
    points_price: int | None = strawberry.field(
        default=strawberry.UNSET, description="Its price; redemptions made keep theirs."
    )
    is_active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="False withdraws it from the catalog; true offers it again."
    )


@strawberry.type(description="The result of a reward mutation.")
class RewardPayload:
    reward: Reward | None = strawberry.field(description="The reward as it is now; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.input(description="Exchange points for a reward.")
class RedeemRewardInput:
    reward_id: relay.GlobalID = strawberry.field(
        description="The reward, offered at the volunteer's station."
    )
    idempotency_key: str = strawberry.field(
        description="A key the client makes for this redemption: a retry with the same key answers the same "
        "redemption and spends nothing more."
    )
    volunteer_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="For station staff redeeming for a volunteer (代办); volunteers leave it out.",
    )


@strawberry.type(description="The result of redeeming points.")
class RedeemRewardPayload:
    redemption: Redemption | None = strawberry.field(description="The redemption; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused (INSUFFICIENT_POINTS when the balance falls short); empty on success."
    )


@strawberry.type
class TimeBankMutation:
    @strawberry.mutation(
        description="Publish a reward: station staff for their station, administrators for a station or "
        "their whole district."
    )
    async def create_reward(self, info: Info, input: CreateRewardInput) -> RewardPayload:
        new = fields_of(input, rewards.NewReward, ids={"station_id": Station, "district_id": District})
        return await mutate(
            RewardPayload, rewards.create_reward(info.context, new), input, reward=Reward.from_row
        )

    @strawberry.mutation(description="Change a reward, or withdraw it from the catalog (who published it).")
    async def update_reward(self, info: Info, input: UpdateRewardInput) -> RewardPayload:
        operation = rewards.update_reward(
            info.context, decode_id(input.reward_id, Reward), changes_of(input, skip=("reward_id",))
        )
        return await mutate(RewardPayload, operation, input, reward=Reward.from_row)

    @strawberry.mutation(
        description="Exchange a volunteer's points for a reward: the volunteer, or their station's staff for "
        "them. Idempotent by key; never spends more than the balance, however many requests run at once."
    )
    async def redeem_reward(self, info: Info, input: RedeemRewardInput) -> RedeemRewardPayload:
        from schema.volunteers import Volunteer

        request = fields_of(
            input, redemption.RedemptionRequest, ids={"reward_id": Reward, "volunteer_id": Volunteer}
        )
        return await mutate(
            RedeemRewardPayload,
            redemption.redeem(info.context, request),
            input,
            redemption=Redemption.from_row,
        )
