"""The inputs of statistics and rankings: a range of days and the filter by dimensions."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay

import schema.catalog.enums  # noqa: F401 - describes Tier and Urgency before the filter uses them
import schema.orders.enums  # noqa: F401 - describes OrderKind before the filter uses it
from models import OrderKind, Tier, Urgency
from resolvers.statistics.rankings import RankedUnit, RankingList
from resolvers.statistics.report import MAX_DAYS, MAX_VALUES, check_values
from resolvers.statistics.report import StatisticsFilter as FilterValues
from resolvers.statistics.sources import StatisticsDimension, StatisticsPeriod
from schema.common import decode_id, describe_enum

describe_enum(
    StatisticsDimension,
    "What statistics are grouped and filtered by. Demands have no provider, hearings no urgency, cases "
    "and tasks no provider, category or tier, and only orders a kind: a source's figures are null when "
    "one it lacks is asked for.",
    {
        "DISTRICT": "The district (区) of the station.",
        "TOWN": "The town or sub-district (街镇) of the station.",
        "STATION": "The station that ordered, posted the demand or held the hearing.",
        "PROVIDER": "The provider of the order or of the hearing's subject.",
        "CATEGORY": "The category of the service or project (or of the demand); brings its major category.",
        "MAJOR_CATEGORY": "The major category (one of the six) of the category.",
        "TIER": "The livelihood tier (三生).",
        "URGENCY": "The urgency class of the order, demand, case or task.",
        "KIND": "The kind of order: from the catalog, or a whistle (吹哨) to a department.",
    },
)
describe_enum(
    StatisticsPeriod,
    "Calendar periods in the district's time zone (Asia/Shanghai); weeks start on Monday.",
    {
        "DAY": "Days.",
        "WEEK": "Weeks, Monday to Sunday.",
        "MONTH": "Calendar months.",
        "QUARTER": "Calendar quarters.",
        "YEAR": "Calendar years.",
    },
)
describe_enum(
    RankedUnit,
    "What a ranking ranks.",
    {
        "PROVIDER": "Providers (departments and partner units), by their orders (whistles included): every "
        "signed-in account sees this ranking.",
        "STATION": "Stations: town staff see their town's, administrators all.",
        "TOWN": "Towns and sub-districts: administrators only.",
    },
)
describe_enum(
    RankingList,
    "Which end of a ranking (红黑榜).",
    {
        "RED": "The red list (红榜): the best first, from rank 1.",
        "BLACK": "The black list (黑榜): the last places first (末位), for last-place accountability.",
    },
)


@strawberry.input(
    description=f"A range of days (Asia/Shanghai), both included, at most {MAX_DAYS} days. Without `from` "
    "and `to`, the last 30 days up to today; with one of them, 30 days from or up to it."
)
class DateRange:
    start: date | None = strawberry.field(default=None, name="from", description="The first day.")
    end: date | None = strawberry.field(default=None, name="to", description="The last day.")

    def to_filter(self) -> FilterValues:
        return FilterValues(start=self.start, end=self.end)


@strawberry.input(
    description="Which rows statistics and rankings count: a range of days, and for each dimension the "
    f"values to keep (at most {MAX_VALUES} each; all conditions must hold). A major category keeps its "
    "subcategories. Anonymous callers may filter by district only."
)
class StatisticsFilter:
    start: date | None = strawberry.field(
        default=None, name="from", description="The first day (Asia/Shanghai); see `to`."
    )
    end: date | None = strawberry.field(
        default=None,
        name="to",
        description=f"The last day, included; at most {MAX_DAYS} days after `from`. Without either, the "
        "last 30 days up to today.",
    )
    districts: list[relay.GlobalID] | None = strawberry.field(default=None, description="These districts.")
    towns: list[relay.GlobalID] | None = strawberry.field(default=None, description="These towns.")
    stations: list[relay.GlobalID] | None = strawberry.field(default=None, description="These stations.")
    providers: list[relay.GlobalID] | None = strawberry.field(default=None, description="These providers.")
    categories: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="These categories, or their subcategories."
    )
    tiers: list[Tier] | None = strawberry.field(default=None, description="These livelihood tiers.")
    urgencies: list[Urgency] | None = strawberry.field(default=None, description="These urgency classes.")
    kinds: list[OrderKind] | None = strawberry.field(
        default=None, description="These kinds of order (WHISTLE for the whistles alone); orders only."
    )

    def to_filter(self) -> FilterValues:
        # Imported here: the node types' modules import this one, for `ratingSummary(range)`.
        from schema.catalog.types import Category, Provider
        from schema.places import District, Station, Town

        ids = {
            StatisticsDimension.DISTRICT: (self.districts, District),
            StatisticsDimension.TOWN: (self.towns, Town),
            StatisticsDimension.STATION: (self.stations, Station),
            StatisticsDimension.PROVIDER: (self.providers, Provider),
            StatisticsDimension.CATEGORY: (self.categories, Category),
        }
        for dimension, (given, _) in ids.items():
            if given is not None:
                check_values(dimension, given)
        values: dict[StatisticsDimension, list] = {
            dimension: [decode_id(value, node) for value in given]
            for dimension, (given, node) in ids.items()
            if given is not None
        }
        if self.tiers is not None:
            values[StatisticsDimension.TIER] = list(self.tiers)
        if self.urgencies is not None:
            values[StatisticsDimension.URGENCY] = list(self.urgencies)
        if self.kinds is not None:
            values[StatisticsDimension.KIND] = list(self.kinds)
        return FilterValues(start=self.start, end=self.end, values=values)
