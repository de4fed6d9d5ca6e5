"""The GraphQL types of the time bank: movements of points, rewards, redemptions, totals and the rule."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from models import EntryKind, Urgency
from resolvers.time_bank import queries as resolvers
from resolvers.time_bank import rewards as reward_resolvers
from resolvers.time_bank.queries import RedemptionOrderField
from resolvers.time_bank.rewards import RewardOrderField
from schema.common import Connection, OrderDirection, RowNode, describe_enum
from schema.connections import FilterInput, SortInput
from schema.inputs import fields_of
from schema.places import District, Station

if TYPE_CHECKING:
    from schema.tasks.types import Task
    from schema.volunteers import Volunteer

describe_enum(
    EntryKind,
    "Why points moved.",
    {
        "EARNING": "Earned for confirmed volunteer work (服务积分).",
        "REDEMPTION": "Spent on a reward (积分兑换).",
    },
)
describe_enum(
    RewardOrderField,
    "What rewards can be ordered by.",
    {"POINTS_PRICE": "The price in points.", "NAME": "The name.", "CREATED_AT": "When it was published."},
)
describe_enum(
    RedemptionOrderField, "What redemptions can be ordered by.", {"CREATED_AT": "When it was made."}
)


@strawberry.type(
    description="One movement of a volunteer's points: a line of a balanced ledger entry, never changed."
)
class PointsMovement(RowNode):
    id: relay.NodeID[int]
    amount: int = strawberry.field(
        description="Points in (positive) or out (negative) of the volunteer's account."
    )
    kind: EntryKind = strawberry.field(description="Why they moved.")
    memo: str = strawberry.field(description="What for: the task and hours, or the reward.")
    recorded_at: datetime = strawberry.field(description="When the entry was recorded.")
    task_id: strawberry.Private[int | None]
    entry_id: strawberry.Private[int]
    volunteer_id: strawberry.Private[int]

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.movement_loader(info.context)

    @strawberry.field(description="The confirmed task the points were earned for; null for a redemption.")
    async def task(self, info: Info) -> Annotated[Task, strawberry.lazy("schema.tasks.types")] | None:
        from schema.tasks.types import Task

        return await Task.load(info, self.task_id)


@strawberry.type(description="A page of movements of points, newest first.")
class PointsMovementConnection(Connection[PointsMovement]):
    pass


@strawberry.type(description="A reward of the published catalog that volunteers exchange points for.")
class Reward(RowNode):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="What it is.")
    description: str = strawberry.field(description="More about it.")
    points_price: int = strawberry.field(description="Its price in points.")
    is_active: bool = strawberry.field(description="Whether it is offered now.")
    created_at: datetime = strawberry.field(description="When it was published.")
    station_id: strawberry.Private[int | None]
    district_id: strawberry.Private[int]

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return reward_resolvers.reward_loader(info.context)

    @strawberry.field(description="The station offering it; null for a reward of the whole district.")
    async def station(self, info: Info) -> Station | None:
        return await Station.load(info, self.station_id)

    @strawberry.field(description="The district it is offered in.")
    async def district(self, info: Info) -> District:
        return await District.load_related(info, self.district_id)


@strawberry.type(description="A page of rewards.")
class RewardConnection(Connection[Reward]):
    pass


@strawberry.input(description="How to order rewards.")
class RewardOrder(SortInput):
    field: RewardOrderField = strawberry.field(description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="The direction.")
    ordering = staticmethod(reward_resolvers.reward_ordering)


@strawberry.input(description="Which rewards to list; all conditions must hold.")
class RewardFilter(FilterInput):
    station_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The rewards offered at this station: its own and its district's."
    )
    is_active: bool | None = strawberry.field(default=None, description="Offered (or withdrawn) rewards.")
    max_points_price: int | None = strawberry.field(default=None, description="Rewards costing at most this.")

    def to_filter(self) -> reward_resolvers.RewardFilter:
        return fields_of(self, reward_resolvers.RewardFilter, ids={"station_id": Station})


@strawberry.type(description="A volunteer's exchange of points for a reward.")
class Redemption(RowNode):
    id: relay.NodeID[int]
    points: int = strawberry.field(description="The points it cost.")
    idempotency_key: str = strawberry.field(
        description="The key it was made under; a retry with it answers it."
    )
    created_at: datetime = strawberry.field(description="When it was made.")
    volunteer_id: strawberry.Private[int]
    reward_id: strawberry.Private[int]

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.redemption_loader(info.context)

    @strawberry.field(description="The volunteer whose points it spent.")
    async def volunteer(
        self, info: Info
    ) -> Annotated[Volunteer, strawberry.lazy("schema.volunteers")] | None:
        from schema.volunteers import Volunteer

        return await Volunteer.load(info, self.volunteer_id)

    @strawberry.field(description="The reward, when it is still offered or you manage it.")
    async def reward(self, info: Info) -> Reward | None:
        return await Reward.load(info, self.reward_id)


@strawberry.type(description="A page of redemptions.")
class RedemptionConnection(Connection[Redemption]):
    pass


@strawberry.input(description="How to order redemptions.")
class RedemptionOrder(SortInput):
    field: RedemptionOrderField = strawberry.field(description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="The direction.")
    ordering = staticmethod(resolvers.redemption_ordering)


@strawberry.input(description="Which redemptions to list, among those you may see; all conditions must hold.")
class RedemptionFilter(FilterInput):
    volunteer_id: relay.GlobalID | None = strawberry.field(default=None, description="Of this volunteer.")
    station_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Of this station's volunteers."
    )
    reward_id: relay.GlobalID | None = strawberry.field(default=None, description="Of this reward.")

    def to_filter(self) -> resolvers.RedemptionFilter:
        from schema.volunteers import Volunteer

        return fields_of(
            self,
            resolvers.RedemptionFilter,
            ids={"volunteer_id": Volunteer, "station_id": Station, "reward_id": Reward},
        )


@strawberry.type(description="A station's time bank: the points of its volunteers.")
class StationTimeBank:
    issued: int = strawberry.field(description="Points issued for its volunteers' confirmed work.")
    redeemed: int = strawberry.field(description="Points its volunteers spent on rewards.")
    held: int = strawberry.field(description="Points its volunteers hold now: issued minus redeemed.")
    volunteers: int = strawberry.field(description="How many volunteers are registered at it.")


@strawberry.type(description="Points per hour of confirmed work for one kind of task.")
class PointsPerHour:
    urgency: Urgency = strawberry.field(description="The kind of task (应急单、重点单、常规单).")
    points: int = strawberry.field(description="Points one hour of it earns.")


@strawberry.type(
    description="The published rule of the time bank: confirmed work earns hours worked × the points per "
    "hour of the task's kind."
)
class TimeBankRule:
    points_per_hour: list[PointsPerHour] = strawberry.field(description="The factor of each kind of task.")
    hour_step: float = strawberry.field(description="Hours are counted in steps of this many hours.")
