"""Reading statistics and rankings."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers.statistics.rankings import (
    DEFAULT_MINIMUM,
    MAX_ENTRIES,
    RankedUnit,
    RankingList,
    RankingSubject,
    compute_ranking,
)
from resolvers.statistics.report import MAX_GROUPS, compute_statistics
from resolvers.statistics.sources import StatisticsDimension, StatisticsPeriod
from schema.statistics.inputs import StatisticsFilter
from schema.statistics.rankings import CaseRanking, Ranking, TaskRanking, ranking_of
from schema.statistics.types import StatisticsReport, percentiles_selected, sources_selected

UnitArgument = Annotated[RankedUnit, strawberry.argument(description="What to rank.")]
ListArgument = Annotated[RankingList, strawberry.argument(description="Which end of the ranking.")]
FirstArgument = Annotated[int, strawberry.argument(description=f"How many entries, 1 to {MAX_ENTRIES}.")]


@strawberry.type
class StatisticsQuery:
    @strawberry.field(
        description="Figures of orders, demands and hearings, computed by the database: by status and "
        "step, times to accept and deliver, deadlines kept, ratings and satisfaction, demands resolved, "
        "hearings and their outcomes; grouped by any dimensions and a calendar period, filtered by the "
        "same and a range of days. Each figure counts what you may see: a provider its own orders, town "
        "staff their town's, a station its own, administrators all. Anonymous callers see the published "
        "figures (counts, satisfaction, resolution rate) by district and period only. At most "
        f"{MAX_GROUPS} groups."
    )
    async def statistics(
        self,
        info: Info,
        filter: Annotated[
            StatisticsFilter | None,
            strawberry.argument(description="What to count; the last 30 days by default."),
        ] = None,
        group_by: Annotated[
            list[StatisticsDimension] | None, strawberry.argument(description="The dimensions to group by.")
        ] = None,
        period: Annotated[
            StatisticsPeriod | None, strawberry.argument(description="The calendar period to group by.")
        ] = None,
    ) -> StatisticsReport:
        report = await compute_statistics(
            info.context,
            (filter or StatisticsFilter()).to_filter(),
            group_by or [],
            period,
            sources_selected(info),
            percentiles=percentiles_selected(info),
        )
        return StatisticsReport.of(report)

    @strawberry.field(
        description="The red list (the best first) or the black list (the last places first, 末位) of "
        "providers, stations or towns over a range of days, by the published score (see `Ranking`), each "
        "entry with the figures behind its place. Signed-in accounts only; see `RankedUnit` for who sees "
        "which ranking."
    )
    async def ranking(
        self,
        info: Info,
        unit: UnitArgument,
        list: ListArgument = RankingList.RED,
        filter: Annotated[
            StatisticsFilter | None,
            strawberry.argument(description="Which orders count; the last 30 days by default."),
        ] = None,
        first: FirstArgument = 10,
        minimum_orders: Annotated[
            int, strawberry.argument(description="The orders a unit needs in the range to be ranked.")
        ] = DEFAULT_MINIMUM["orders"],
    ) -> Ranking:
        return await _ranking(info, RankingSubject.ORDERS, unit, list, filter, first, minimum_orders)

    @strawberry.field(
        description="The red or black list of stations or towns by the cases they received (first "
        "inquiry, 首问责任制): answered and closed on time, resolved, residents satisfied; see "
        "`CaseRanking` for the score. Town staff see their town's stations, administrators all."
    )
    async def case_ranking(
        self,
        info: Info,
        unit: UnitArgument,
        list: ListArgument = RankingList.RED,
        filter: Annotated[
            StatisticsFilter | None,
            strawberry.argument(
                description="Which cases count (by when they were received; place and urgency "
                "dimensions); the last 30 days by default."
            ),
        ] = None,
        first: FirstArgument = 10,
        minimum_cases: Annotated[
            int, strawberry.argument(description="The cases a unit needs in the range to be ranked.")
        ] = DEFAULT_MINIMUM["cases"],
    ) -> CaseRanking:
        return await _ranking(info, RankingSubject.CASES, unit, list, filter, first, minimum_cases)

    @strawberry.field(
        description="The red or black list of stations or towns by the volunteer tasks they posted "
        "(社区派单): taken and completed on time, completed; see `TaskRanking` for the score. Town staff "
        "see their town's stations, administrators all."
    )
    async def task_ranking(
        self,
        info: Info,
        unit: UnitArgument,
        list: ListArgument = RankingList.RED,
        filter: Annotated[
            StatisticsFilter | None,
            strawberry.argument(
                description="Which tasks count (by when they were posted; place and urgency "
                "dimensions); the last 30 days by default."
            ),
        ] = None,
        first: FirstArgument = 10,
        minimum_tasks: Annotated[
            int, strawberry.argument(description="The tasks a unit needs in the range to be ranked.")
        ] = DEFAULT_MINIMUM["tasks"],
    ) -> TaskRanking:
        return await _ranking(info, RankingSubject.TASKS, unit, list, filter, first, minimum_tasks)


async def _ranking(
    info: Info,
    subject: RankingSubject,
    unit: RankedUnit,
    which: RankingList,
    filter: StatisticsFilter | None,
    first: int,
    minimum: int,
) -> Any:
    values = (filter or StatisticsFilter()).to_filter()
    ranking = await compute_ranking(
        info.context,
        unit,
        which,
        values,
        first=first,
        minimum=minimum,
        percentiles=percentiles_selected(info),
        subject=subject,
    )
    return ranking_of(ranking, *values.bounds())
