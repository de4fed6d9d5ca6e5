"""Suggestions: the published projects and resources of a demand's district that fit it, best first.

Scoring happens in the database, in one statement for any number of demands: a
LATERAL top-N per demand over the district's items, read once for all of them.
"""

from __future__ import annotations

import enum
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Float,
    Row,
    Select,
    SQLColumnExpression,
    any_,
    case,
    cast,
    desc,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSQUERY, array
from sqlalchemy.orm import aliased

from models import (
    Audience,
    Availability,
    Category,
    Demand,
    Project,
    Provider,
    PublicationStatus,
    Resource,
    Station,
    Town,
)
from resolvers.context import Context
from resolvers.errors import ClientError
from resolvers.loading import among

MAX_SUGGESTIONS = 20
# What each kind of fit adds to a suggestion's score (at most 12).
IN_CATEGORY_SCORE = 4.0
"""The item sits in the demand's category or below it."""
IN_MAJOR_CATEGORY_SCORE = 2.0
"""The item sits elsewhere in the demand's major category."""
AUDIENCE_SCORE = 3.0
"""Times the share of the demand's audiences the item is meant for."""
EVERYONE_SCORE = 1.0
"""No audience in common, but the item (or the demand) is for everyone."""
TIER_SCORE = 1.0
TEXT_SCORE = 4.0
"""Times the share of the demand title's bigrams found in the item's name and description."""
# Search vectors hold no positions, so ts_rank gives each bigram of an OR query the item
# contains 0.1 (weight D) / ζ(2), divided by the query's number of bigrams: a rank over
# this constant is the share of the title's bigrams found.
RANK_OF_FULL_MATCH = 0.1 / (math.pi**2 / 6)


class SuggestionReason(enum.Enum):
    IN_CATEGORY = "IN_CATEGORY"
    IN_MAJOR_CATEGORY = "IN_MAJOR_CATEGORY"
    SHARED_AUDIENCE = "SHARED_AUDIENCE"
    FOR_EVERYONE = "FOR_EVERYONE"
    SAME_TIER = "SAME_TIER"
    SIMILAR_TEXT = "SIMILAR_TEXT"


@dataclass(frozen=True)
class Suggestion:
    score: float
    reasons: tuple[SuggestionReason, ...]
    project_id: int | None = None
    resource_id: int | None = None


def category_paths() -> CTE:
    """Every category with its major category and the ids from the top down to it."""
    paths = (
        select(
            Category.id.label("id"),
            Category.id.label("major_id"),
            array([Category.id]).label("path"),
        )
        .where(Category.parent_id.is_(None))
        .cte("category_paths", recursive=True)
    )
    child = aliased(Category)
    return paths.union_all(
        select(child.id, paths.c.major_id, paths.c.path.op("||")(child.id)).where(
            child.parent_id == paths.c.id
        )
    )


def title_bigram_query(title: SQLColumnExpression[str]) -> ColumnElement[Any]:
    """An OR tsquery of the bigrams of a title, quoted as `resolvers.search` quotes lexemes."""
    grams = (
        func.unnest(func.tsvector_to_array(func.doorstep_ngrams(title)))
        .table_valued("gram")
        .render_derived("grams")
    )
    escaped = func.replace(func.replace(grams.c.gram, "\\", "\\\\"), "'", "''")
    quoted = literal("'") + escaped + literal("'")
    query = (
        select(func.string_agg(quoted, literal(" | ")))
        .select_from(grams)
        .where(func.char_length(grams.c.gram) == 2)
        .scalar_subquery()
    )
    return cast(query, TSQUERY)


def requested_demands(demand_ids: list[int], paths: CTE) -> CTE:
    """The demands asked about, with their district, major category and title query."""
    return (
        select(
            Demand.id,
            Demand.category_id,
            Demand.audiences,
            Demand.tier,
            Town.district_id,
            paths.c.major_id,
            title_bigram_query(Demand.title).label("title_query"),
        )
        .join(Station, Station.id == Demand.station_id)
        .join(Town, Town.id == Station.town_id)
        .join(paths, paths.c.id == Demand.category_id)
        .where(among(Demand.id, demand_ids))
        .cte("requested")
    )


def candidate_items(requested: CTE, paths: CTE) -> CTE:
    """The published projects and usable resources of the requested demands' districts."""
    items = union_all(
        *(
            select(
                literal(kind).label("kind"),
                model.id,
                model.provider_id,
                model.category_id,
                model.tier,
                model.audiences,
                model.search_vector,
            ).where(model.status == PublicationStatus.PUBLISHED, *conditions)
            for kind, model, conditions in (
                ("PROJECT", Project, ()),
                ("RESOURCE", Resource, (Resource.availability != Availability.UNAVAILABLE,)),
            )
        )
    ).subquery("items")
    # Read once for all the demands rather than once per demand (MATERIALIZED keeps
    # PostgreSQL from inlining it into the LATERAL).
    return (
        select(items, Provider.district_id, paths.c.major_id, paths.c.path)
        .join(Provider, Provider.id == items.c.provider_id)
        .join(paths, paths.c.id == items.c.category_id)
        .where(Provider.district_id.in_(select(requested.c.district_id)))
        .cte("candidates")
        .prefix_with("MATERIALIZED")
    )


def audience_score(requested: CTE, candidates: CTE) -> ColumnElement[float]:
    """The share of the demand's audiences the item is meant for, or a little for everyone."""
    demand_audience = (
        func.unnest(requested.c.audiences).table_valued("audience").render_derived("demand_audiences")
    )
    shared_audiences = (
        select(func.count())
        .select_from(demand_audience)
        .where(demand_audience.c.audience == any_(candidates.c.audiences))
        .correlate(requested, candidates)
        .scalar_subquery()
    )
    for_everyone = or_(
        candidates.c.audiences.contains([Audience.EVERYONE]),
        requested.c.audiences.contains([Audience.EVERYONE]),
    )
    return case(
        (
            candidates.c.audiences.overlap(requested.c.audiences),
            AUDIENCE_SCORE * cast(shared_audiences, Float) / func.cardinality(requested.c.audiences),
        ),
        (for_everyone, EVERYONE_SCORE),
        else_=0.0,
    )


def suggestions_statement(demand_ids: list[int], first: int) -> Select[Any]:
    """The `first` best items for each demand: one statement, a LATERAL top-N per demand."""
    paths = category_paths()
    requested = requested_demands(demand_ids, paths)
    candidates = candidate_items(requested, paths)
    in_major = candidates.c.major_id == requested.c.major_id
    category_score = case(
        (requested.c.category_id == any_(candidates.c.path), IN_CATEGORY_SCORE),
        (in_major, IN_MAJOR_CATEGORY_SCORE),
        else_=0.0,
    )
    tier_score = case((candidates.c.tier == requested.c.tier, TIER_SCORE), else_=0.0)
    text_rank = func.ts_rank(candidates.c.search_vector, requested.c.title_query)
    text_score = TEXT_SCORE * func.least(func.coalesce(text_rank, 0) / RANK_OF_FULL_MATCH, 1.0)
    # The parts of the score, computed once per item and demand, then added up to rank.
    fit = (
        select(
            category_score.label("category_score"),
            candidates.c.audiences.overlap(requested.c.audiences).label("shares_audience"),
            audience_score(requested, candidates).label("audience_score"),
            tier_score.label("tier_score"),
            text_score.label("text_score"),
        )
        .correlate(requested, candidates)
        .lateral("fit")
    )
    score = fit.c.category_score + fit.c.audience_score + fit.c.tier_score + fit.c.text_score
    best = (
        select(candidates.c.kind, candidates.c.id, fit, score.label("score"))
        .select_from(candidates)
        .join(fit, true())
        .where(
            candidates.c.district_id == requested.c.district_id,
            or_(in_major, candidates.c.search_vector.op("@@")(requested.c.title_query)),
        )
        .order_by(desc("score"), candidates.c.kind, candidates.c.id)
        .limit(first)
        .lateral("best")
    )
    return select(requested.c.id.label("demand_id"), best).select_from(requested.join(best, true()))


def reasons_of(row: Row[Any]) -> tuple[SuggestionReason, ...]:
    reasons: list[SuggestionReason] = []
    if row.category_score == IN_CATEGORY_SCORE:
        reasons.append(SuggestionReason.IN_CATEGORY)
    elif row.category_score == IN_MAJOR_CATEGORY_SCORE:
        reasons.append(SuggestionReason.IN_MAJOR_CATEGORY)
    if row.shares_audience:
        reasons.append(SuggestionReason.SHARED_AUDIENCE)
    elif row.audience_score > 0:
        reasons.append(SuggestionReason.FOR_EVERYONE)
    if row.tier_score > 0:
        reasons.append(SuggestionReason.SAME_TIER)
    if row.text_score > 0:
        reasons.append(SuggestionReason.SIMILAR_TEXT)
    return tuple(reasons)


async def suggestions_for_demand(ctx: Context, demand_id: int, first: int) -> list[Suggestion]:
    if not 0 <= first <= MAX_SUGGESTIONS:
        raise ClientError(
            f"`first` must be between 0 and {MAX_SUGGESTIONS}; got {first}.", code="PAGE_SIZE_OUT_OF_RANGE"
        )

    async def load(demand_ids: list[int]) -> list[list[Suggestion]]:
        async with ctx.db.session() as session:
            rows = (await session.execute(suggestions_statement(demand_ids, first))).all()
        found: dict[int, list[Suggestion]] = defaultdict(list)
        for row in rows:
            found[row.demand_id].append(
                Suggestion(
                    score=round(row.score, 3),
                    reasons=reasons_of(row),
                    project_id=row.id if row.kind == "PROJECT" else None,
                    resource_id=row.id if row.kind == "RESOURCE" else None,
                )
            )
        return [found[demand_id] for demand_id in demand_ids]

    return await ctx.loaders.get(("demand.suggestions", first), load).load(demand_id)
