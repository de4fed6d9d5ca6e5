"""Reading the time bank: the published rule, the reward catalog, redemptions, a station's totals."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers.time_bank import queries as resolvers
from resolvers.time_bank import rewards
from resolvers.time_bank.rules import HOUR_STEP, POINTS_PER_HOUR
from schema.common import decode_id, lookup_id
from schema.connections import connection_field
from schema.places import Station
from schema.time_bank.types import (
    PointsPerHour,
    RedemptionConnection,
    RedemptionFilter,
    RedemptionOrder,
    Reward,
    RewardConnection,
    RewardFilter,
    RewardOrder,
    StationTimeBank,
    TimeBankRule,
)


@strawberry.type
class TimeBankQuery:
    @strawberry.field(
        description="The published rule of the time bank (时间银行): how confirmed work earns points."
    )
    def time_bank_rule(self) -> TimeBankRule:
        return TimeBankRule(
            points_per_hour=[PointsPerHour(urgency=u, points=p) for u, p in POINTS_PER_HOUR.items()],
            hour_step=float(HOUR_STEP),
        )

    @strawberry.field(description="A reward by its ID; null when none has it or it is not visible to you.")
    async def reward(self, info: Info, id: relay.GlobalID) -> Reward | None:
        return await Reward.load(info, lookup_id(id, Reward))

    rewards = connection_field(
        RewardConnection,
        rewards.list_rewards,
        description="The reward catalog, cheapest first: every reward on offer, and the withdrawn ones of what "
        "you manage.",
        filter=RewardFilter,
        sort=RewardOrder,
    )
    redemptions = connection_field(
        RedemptionConnection,
        resolvers.list_redemptions,
        description="The redemptions you may see, newest first: a volunteer their own, a station its "
        "volunteers', a town its stations', administrators all.",
        filter=RedemptionFilter,
        sort=RedemptionOrder,
    )

    @strawberry.field(
        description="A station's time bank totals: for its staff, its town's staff and administrators."
    )
    async def station_time_bank(self, info: Info, station_id: relay.GlobalID) -> StationTimeBank:
        totals = await resolvers.station_totals(info.context, decode_id(station_id, Station))
        return StationTimeBank(
            issued=totals.issued, redeemed=totals.redeemed, held=totals.held, volunteers=totals.volunteers
        )
