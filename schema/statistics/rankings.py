"""Rankings (红黑榜) as the API shows them: orders rank providers, stations and towns; cases and
tasks rank stations and towns. Each entry carries the figures and components behind its place."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers.statistics import rankings as resolvers
from resolvers.statistics.rankings import SCORINGS, RankedUnit, RankingList, RankingSubject
from schema.catalog.types import Provider
from schema.places import Station, Town
from schema.statistics.figures import CaseFigures, OrderFigures, TaskFigures


@strawberry.type(description="The weight of one component of a ranking score.")
class ScoreWeight:
    component: str = strawberry.field(description="The component, named as in the entries' `components`.")
    weight: float = strawberry.field(description="Its weight; the weights of a ranking add up to 1.")


@strawberry.type(
    description="The components of an order ranking's score, each 0 to 1; null when it has none."
)
class ScoreComponents:
    on_time: float | None = strawberry.field(description="The on-time rate, both deadlines together.")
    rating: float | None = strawberry.field(description="(mean rating − 1) / 4.")
    satisfaction: float | None = strawberry.field(description="mean satisfaction / 100.")
    acceptance: float | None = strawberry.field(description="1 − the decline rate.")


@strawberry.type(description="The components of a case ranking's score, each 0 to 1; null when it has none.")
class CaseScoreComponents:
    answered_on_time: float | None = strawberry.field(description="Cases taken on in time, of those judged.")
    closed_on_time: float | None = strawberry.field(description="Cases closed in time, of those judged.")
    resolution: float | None = strawberry.field(description="Cases closed, of those received.")
    satisfaction: float | None = strawberry.field(description="The residents' mean satisfaction / 100.")


@strawberry.type(description="The components of a task ranking's score, each 0 to 1; null when it has none.")
class TaskScoreComponents:
    taken_on_time: float | None = strawberry.field(description="Tasks taken in time, of those judged.")
    completed_on_time: float | None = strawberry.field(
        description="Tasks completed in time, of those judged."
    )
    completion: float | None = strawberry.field(description="Tasks completed, of those posted.")


@strawberry.interface(description="One place of a red or black list, whatever the list ranks.")
class RankingPlace:
    rank: int = strawberry.field(description="The place in the whole ranking: 1 is the best.")
    score: float = strawberry.field(description="The score, 0 to 100, rounded to two decimals.")
    unit: strawberry.Private[RankedUnit]
    unit_id: strawberry.Private[int]

    @strawberry.field(description="The station ranked, in a ranking of stations.")
    async def station(self, info: Info) -> Station | None:
        return await Station.load(info, self.unit_id) if self.unit is RankedUnit.STATION else None

    @strawberry.field(description="The town ranked, in a ranking of towns.")
    async def town(self, info: Info) -> Town | None:
        return await Town.load(info, self.unit_id) if self.unit is RankedUnit.TOWN else None


@strawberry.type(description="One place of an order ranking, with the figures behind it.")
class RankingEntry(RankingPlace):
    components: ScoreComponents = strawberry.field(description="What the score is made of.")
    figures: OrderFigures = strawberry.field(description="The figures of the unit's orders in the range.")

    @strawberry.field(description="The provider ranked, in a ranking of providers.")
    async def provider(self, info: Info) -> Provider | None:
        return await Provider.load(info, self.unit_id) if self.unit is RankedUnit.PROVIDER else None


@strawberry.type(description="One place of a case ranking, with the figures behind it.")
class CaseRankingEntry(RankingPlace):
    components: CaseScoreComponents = strawberry.field(description="What the score is made of.")
    figures: CaseFigures = strawberry.field(
        description="The figures of the cases the unit received in the range."
    )


@strawberry.type(description="One place of a task ranking, with the figures behind it.")
class TaskRankingEntry(RankingPlace):
    components: TaskScoreComponents = strawberry.field(description="What the score is made of.")
    figures: TaskFigures = strawberry.field(
        description="The figures of the tasks the unit posted in the range."
    )


@strawberry.interface(description="A red or black list (红黑榜) over a range of days, by a published score.")
class RedBlackList:
    unit: RankedUnit = strawberry.field(description="What is ranked.")
    which: RankingList = strawberry.field(
        name="list", description="Which end of the ranking the entries are."
    )
    start: date = strawberry.field(name="from", description="The first day counted (Asia/Shanghai).")
    end: date = strawberry.field(name="to", description="The last day counted, included.")
    ranked_count: int = strawberry.field(description="How many units were ranked.")
    weights: list[ScoreWeight] = strawberry.field(description="The published weights of the score.")


@strawberry.type(
    description="A red or black list of orders. score = 100 × Σ weight × component / Σ weight of the "
    "components the unit has: on-time rate 0.35, (mean rating − 1) / 4 0.30, mean satisfaction / 100 "
    "0.25, 1 − decline rate 0.10. Only units with at least `minimumOrders` orders placed in the range "
    "are ranked; ties go to more orders, then to the earlier-created unit."
)
class Ranking(RedBlackList):
    minimum_orders: int = strawberry.field(description="The orders a unit needs in the range to be ranked.")
    entries: list[RankingEntry] = strawberry.field(
        description="The red list from rank 1 down, or the black list from the last place up."
    )


@strawberry.type(
    description="A red or black list of stations or towns by their cases (首问责任制). score = 100 × Σ "
    "weight × component / Σ weight of the components the unit has: answered on time 0.35, closed on "
    "time 0.25, resolution (closed of received) 0.20, mean satisfaction / 100 0.20. Only units with at "
    "least `minimumCases` cases received in the range are ranked; ties go to more cases, then to the "
    "earlier-created unit."
)
class CaseRanking(RedBlackList):
    minimum_cases: int = strawberry.field(description="The cases a unit needs in the range to be ranked.")
    entries: list[CaseRankingEntry] = strawberry.field(
        description="The red list from rank 1 down, or the black list from the last place up."
    )


@strawberry.type(
    description="A red or black list of stations or towns by their volunteer tasks. score = 100 × Σ "
    "weight × component / Σ weight of the components the unit has: taken on time 0.35, completed on "
    "time 0.35, completion (completed of posted) 0.30. Only units with at least `minimumTasks` tasks "
    "posted in the range are ranked; ties go to more tasks, then to the earlier-created unit."
)
class TaskRanking(RedBlackList):
    minimum_tasks: int = strawberry.field(description="The tasks a unit needs in the range to be ranked.")
    entries: list[TaskRankingEntry] = strawberry.field(
        description="The red list from rank 1 down, or the black list from the last place up."
    )


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _header(ranking: resolvers.Ranking, start: date, end: date) -> dict[str, Any]:
    weights = SCORINGS[ranking.subject].weights
    return {
        "unit": ranking.unit,
        "which": ranking.which,
        "start": start,
        "end": end,
        "ranked_count": ranking.ranked,
        "weights": [ScoreWeight(component=_camel(n), weight=w) for n, w in weights.items()],
    }


def _place(entry: resolvers.RankingEntry, unit: RankedUnit) -> dict[str, Any]:
    return {"rank": entry.rank, "score": entry.score, "unit": unit, "unit_id": entry.unit_id}


# Each subject's list, entry, components and figures types, and the name of its minimum.
SHAPES: dict[RankingSubject, tuple[type, type, type, Any, str]] = {
    RankingSubject.ORDERS: (Ranking, RankingEntry, ScoreComponents, OrderFigures, "minimum_orders"),
    RankingSubject.CASES: (CaseRanking, CaseRankingEntry, CaseScoreComponents, CaseFigures, "minimum_cases"),
    RankingSubject.TASKS: (TaskRanking, TaskRankingEntry, TaskScoreComponents, TaskFigures, "minimum_tasks"),
}


def ranking_of(ranking: resolvers.Ranking, start: date, end: date) -> Any:
    """The API's list of the subject ranked: `Ranking`, `CaseRanking` or `TaskRanking`."""
    kind, entry, components, figures, minimum = SHAPES[ranking.subject]
    return kind(
        **_header(ranking, start, end),
        **{minimum: ranking.minimum},
        entries=[
            entry(
                **_place(e, ranking.unit),
                components=components(**e.components),
                figures=figures.of(e.figures),
            )
            for e in ranking.entries
        ],
    )
