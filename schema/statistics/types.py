"""Statistics reports as the API shows them: groups keyed by nodes and periods."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from models import OrderKind, Tier, Urgency
from resolvers.statistics import report as resolvers
from resolvers.statistics.figures import CaseFigures as CaseRow
from resolvers.statistics.figures import DemandFigures as DemandRow
from resolvers.statistics.figures import HearingFigures as HearingRow
from resolvers.statistics.figures import OrderFigures as OrderRow
from resolvers.statistics.figures import TaskFigures as TaskRow
from resolvers.statistics.sources import StatisticsDimension, StatisticsPeriod
from schema.catalog.types import Category, Provider
from schema.places import District, Station, Town
from schema.statistics.figures import CaseFigures, DemandFigures, HearingFigures, OrderFigures, TaskFigures

D = StatisticsDimension


@strawberry.type(
    description="What a group is: the period it starts (when grouped by period) and its value of each "
    "dimension grouped by; null for the others and in the totals."
)
class StatisticsKey:
    period_start: date | None = strawberry.field(description="The first day of the period (Asia/Shanghai).")
    tier: Tier | None = strawberry.field(description="The livelihood tier.")
    urgency: Urgency | None = strawberry.field(description="The urgency class.")
    kind: OrderKind | None = strawberry.field(description="The kind of order (catalog, or whistle).")
    ids: strawberry.Private[dict[StatisticsDimension, int | None]]

    @strawberry.field(description="The district.")
    async def district(self, info: Info) -> District | None:
        return await District.load(info, self.ids.get(D.DISTRICT))

    @strawberry.field(description="The town or sub-district.")
    async def town(self, info: Info) -> Town | None:
        return await Town.load(info, self.ids.get(D.TOWN))

    @strawberry.field(description="The station.")
    async def station(self, info: Info) -> Station | None:
        return await Station.load(info, self.ids.get(D.STATION))

    @strawberry.field(description="The provider.")
    async def provider(self, info: Info) -> Provider | None:
        return await Provider.load(info, self.ids.get(D.PROVIDER))

    @strawberry.field(description="The category (of the service, project or demand).")
    async def category(self, info: Info) -> Category | None:
        return await Category.load(info, self.ids.get(D.CATEGORY))

    @strawberry.field(description="The major category (one of the six), also given with `category`.")
    async def major_category(self, info: Info) -> Category | None:
        return await Category.load(info, self.ids.get(D.MAJOR_CATEGORY))

    @classmethod
    def of(cls, key: resolvers.GroupKey) -> StatisticsKey:
        values = dict(key.values)
        return cls(
            period_start=key.period_start,
            tier=values.get(D.TIER),
            urgency=values.get(D.URGENCY),
            kind=values.get(D.KIND),
            ids={d: values.get(d) for d in D if d not in (D.TIER, D.URGENCY, D.KIND)},
        )


@strawberry.type(description="The figures of one group (or of all, the totals).")
class StatisticsGroup:
    key: StatisticsKey = strawberry.field(description="What the group is.")
    orders: OrderFigures | None = strawberry.field(
        description="Figures of the orders placed in the range; null when a filtered or grouped dimension "
        "does not apply to orders."
    )
    demands: DemandFigures | None = strawberry.field(
        description="Figures of the demands posted in the range; null when grouped or filtered by provider."
    )
    hearings: HearingFigures | None = strawberry.field(
        description="Figures of the hearings held in the range; null when grouped or filtered by urgency."
    )
    cases: CaseFigures | None = strawberry.field(
        description="Figures of the cases received in the range (首问); null when grouped or filtered by a "
        "provider, category, tier or kind."
    )
    tasks: TaskFigures | None = strawberry.field(
        description="Figures of the volunteer tasks posted in the range; null when grouped or filtered by a "
        "provider, category, tier or kind."
    )

    @classmethod
    def of(cls, group: resolvers.StatisticsGroup) -> StatisticsGroup:
        orders, demands, hearings, cases, tasks = (
            group.figures.get(name) for name in ("orders", "demands", "hearings", "cases", "tasks")
        )
        return cls(
            key=StatisticsKey.of(group.key),
            orders=OrderFigures.of(orders) if isinstance(orders, OrderRow) else None,
            demands=DemandFigures.of(demands) if isinstance(demands, DemandRow) else None,
            hearings=HearingFigures.of(hearings) if isinstance(hearings, HearingRow) else None,
            cases=CaseFigures.of(cases) if isinstance(cases, CaseRow) else None,
            tasks=TaskFigures.of(tasks) if isinstance(tasks, TaskRow) else None,
        )


@strawberry.type(description="Statistics over a range of days, grouped as asked, with the totals.")
class StatisticsReport:
    start: date = strawberry.field(name="from", description="The first day counted (Asia/Shanghai).")
    end: date = strawberry.field(name="to", description="The last day counted, included.")
    group_by: list[StatisticsDimension] = strawberry.field(
        description="The dimensions grouped by (a category brings its major category)."
    )
    period: StatisticsPeriod | None = strawberry.field(description="The period grouped by, if any.")
    groups: list[StatisticsGroup] = strawberry.field(
        description="The groups with any row, by period and then by key; empty when not grouped."
    )
    totals: StatisticsGroup = strawberry.field(description="All the rows counted, together.")

    @classmethod
    def of(cls, report: resolvers.StatisticsReport) -> StatisticsReport:
        return cls(
            start=report.start,
            end=report.end,
            group_by=report.group_by,
            period=report.period,
            groups=[StatisticsGroup.of(group) for group in report.groups],
            totals=StatisticsGroup.of(report.totals),
        )


def _selected(info: Info) -> set[str]:
    """The names of every field the query selects below this one (fragments included)."""
    names: set[str] = set()

    def visit(selections: Any) -> None:
        for selection in selections:
            name = getattr(selection, "name", None)
            if name is not None:
                names.add(name)
            visit(getattr(selection, "selections", []))

    visit(info.selected_fields)
    return names


def sources_selected(info: Info) -> list[str]:
    """The sources (orders, demands, hearings, cases, tasks) the query asks figures of, so no other is
    computed."""
    names = _selected(info)
    return [name for name in ("orders", "demands", "hearings", "cases", "tasks") if name in names]


PERCENTILE_FIELDS = {"medianHoursToAccept", "p90HoursToAccept", "medianHoursToDeliver", "p90HoursToDeliver"}


def percentiles_selected(info: Info) -> bool:
    """Whether the query asks for a median or p90 time, the figures that cost a sort."""
    return bool(_selected(info) & PERCENTILE_FIELDS)
