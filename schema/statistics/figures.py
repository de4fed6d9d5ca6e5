"""The figures of a statistics group, a ranking entry or a rating summary, as the API shows them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

import schema.orders.enums  # noqa: F401 - describes OrderStatus before these types use it
from models import OrderStatus
from resolvers.labels import label
from resolvers.statistics import figures as resolvers
from resolvers.statistics.ratings import RatingSummary as RatingSummaryRow
from resolvers.statistics.ratings import provider_rating_summary, station_rating_summary
from schema.orders.counts import StatusCount, status_counts
from schema.statistics.inputs import DateRange

if TYPE_CHECKING:
    from schema.cases.types import CaseStatusCount

HIDDEN = " Null for anonymous callers, who see only the published figures."


@strawberry.type(
    description="Figures of the orders placed in the range (by when they were placed). Deadlines are "
    "judged as `Order.responseOnTime` and `Order.deliveryOnTime` judge them: once met, or once overdue "
    "and still owed; an order cancelled before is not judged."
)
class OrderFigures:
    placed: int = strawberry.field(description="Orders placed.")
    by_status: list[StatusCount] = strawberry.field(description="The orders placed, by their status now.")
    accepted: int = strawberry.field(
        description="Orders the provider accepted (including those cancelled after)."
    )
    declined: int = strawberry.field(description="Orders the provider declined.")
    cancelled: int = strawberry.field(description="Orders the station cancelled.")
    delivered: int = strawberry.field(description="Orders delivered (and not sent back by the station).")
    completed: int = strawberry.field(description="Orders completed: delivery confirmed, evaluated or not.")
    evaluated: int = strawberry.field(description="Orders the station evaluated.")
    median_hours_to_accept: float | None = strawberry.field(
        description="Median hours from placement to acceptance, of the accepted orders." + HIDDEN
    )
    p90_hours_to_accept: float | None = strawberry.field(
        description="90th percentile of the hours from placement to acceptance." + HIDDEN
    )
    median_hours_to_deliver: float | None = strawberry.field(
        description="Median hours from placement to delivery, of the delivered orders." + HIDDEN
    )
    p90_hours_to_deliver: float | None = strawberry.field(
        description="90th percentile of the hours from placement to delivery." + HIDDEN
    )
    responses_judged: int | None = strawberry.field(
        description="Orders judged against the response deadline: answered, or unanswered past it." + HIDDEN
    )
    responses_on_time: int | None = strawberry.field(
        description="Orders answered (accepted or declined) by the response deadline." + HIDDEN
    )
    deliveries_judged: int | None = strawberry.field(
        description="Orders judged against the delivery deadline: delivered, or undelivered past it." + HIDDEN
    )
    deliveries_on_time: int | None = strawberry.field(
        description="Orders delivered by the delivery deadline." + HIDDEN
    )
    response_on_time_rate: float | None = strawberry.field(
        description="responsesOnTime / responsesJudged, 0 to 1 (不过夜 for routine orders)." + HIDDEN
    )
    delivery_on_time_rate: float | None = strawberry.field(
        description="deliveriesOnTime / deliveriesJudged, 0 to 1." + HIDDEN
    )
    on_time_rate: float | None = strawberry.field(
        description="Both deadlines together: (responsesOnTime + deliveriesOnTime) / (responsesJudged + "
        "deliveriesJudged), 0 to 1." + HIDDEN
    )
    decline_rate: float | None = strawberry.field(
        description="declined / (accepted + declined), 0 to 1; null when none was answered."
    )
    mean_rating: float | None = strawberry.field(
        description="The mean rating (1 to 5) of the evaluated orders." + HIDDEN
    )
    mean_satisfaction: float | None = strawberry.field(
        description="The mean satisfaction (0 to 100) of the evaluated orders; null when none."
    )

    @classmethod
    def of(cls, figures: resolvers.OrderFigures) -> OrderFigures:
        # The rates are properties of the resolvers' figures, None where their counts are hidden.
        copied = {name: getattr(figures, name) for name in cls.__annotations__ if name != "by_status"}
        by_status = status_counts({s: figures.by_status[s] for s in OrderStatus})
        return cls(**{**copied, "by_status": by_status})


@strawberry.type(description="Figures of the demands posted in the range (需求清单), by their status now.")
class DemandFigures:
    posted: int = strawberry.field(description="Demands posted.")
    matched: int = strawberry.field(
        description="Demands that found a match: matched, in progress or resolved now."
    )
    resolved: int = strawberry.field(description="Demands resolved.")
    closed: int = strawberry.field(description="Demands closed without being resolved.")
    resolution_rate: float | None = strawberry.field(
        description="resolved / posted, 0 to 1 (Pudong publishes 38,929 of 39,187: 0.993)."
    )

    @classmethod
    def of(cls, figures: resolvers.DemandFigures) -> DemandFigures:
        return cls(
            posted=figures.posted,
            matched=figures.matched,
            resolved=figures.resolved,
            closed=figures.closed,
            resolution_rate=figures.resolution_rate,
        )


@strawberry.type(description="Figures of the hearings (听证会) held in the range, and their outcomes.")
class HearingFigures:
    held: int = strawberry.field(description="Hearings held.")
    approved: int = strawberry.field(description="Hearings that approved ordering their subject.")
    rejected: int = strawberry.field(description="Hearings that rejected it.")
    approval_rate: float | None = strawberry.field(description="approved / held, 0 to 1.")
    attendees: int | None = strawberry.field(description="Residents attending, summed." + HIDDEN)
    votes_for: int | None = strawberry.field(description="Votes for, summed." + HIDDEN)
    votes_against: int | None = strawberry.field(description="Votes against, summed." + HIDDEN)
    votes_abstaining: int | None = strawberry.field(description="Abstentions, summed." + HIDDEN)

    @classmethod
    def of(cls, figures: resolvers.HearingFigures) -> HearingFigures:
        return cls(
            held=figures.held,
            approved=figures.approved,
            rejected=figures.rejected,
            approval_rate=figures.approval_rate,
            attendees=figures.attendees,
            votes_for=figures.votes_for,
            votes_against=figures.votes_against,
            votes_abstaining=figures.votes_abstaining,
        )


@strawberry.type(description="How many evaluations gave one rating.")
class RatingCount:
    rating: int = strawberry.field(description="The rating, 1 to 5.")
    count: int = strawberry.field(description="How many evaluations gave it.")


@strawberry.type(description="How residents rated the orders of a provider or station over a range of days.")
class RatingSummary:
    start: date = strawberry.field(name="from", description="The first day counted (Asia/Shanghai).")
    end: date = strawberry.field(name="to", description="The last day counted (Asia/Shanghai).")
    evaluated: int = strawberry.field(description="Orders placed in the range and evaluated.")
    mean_rating: float | None = strawberry.field(description="The mean rating, 1 to 5; null when none.")
    mean_satisfaction: float | None = strawberry.field(
        description="The mean satisfaction, 0 to 100; null when none."
    )
    rating_counts: list[RatingCount] = strawberry.field(description="Evaluations by rating, 1 to 5.")
    orders: OrderFigures = strawberry.field(description="All the figures of the orders behind the ratings.")

    @classmethod
    def of(cls, summary: RatingSummaryRow | None) -> RatingSummary | None:
        if summary is None:
            return None
        return cls(
            start=summary.start,
            end=summary.end,
            evaluated=summary.figures.evaluated,
            mean_rating=summary.figures.mean_rating,
            mean_satisfaction=summary.figures.mean_satisfaction,
            rating_counts=[RatingCount(rating=r, count=n) for r, n in summary.rating_counts.items()],
            orders=OrderFigures.of(summary.figures),
        )


async def _provider_summary(root: Any, info: Info, range: DateRange | None = None) -> RatingSummary | None:
    summary = await provider_rating_summary(info.context, root.id, (range or DateRange()).to_filter())
    return RatingSummary.of(summary)


def provider_rating_summary_field() -> Any:
    """`Provider.ratingSummary(range)`."""
    return strawberry.field(
        resolver=_provider_summary,
        description="How residents rated the provider's orders placed in the range (the last 30 days when "
        "none is given), with the figures behind. Published to every signed-in account; null for "
        "anonymous callers.",
    )


async def _station_summary(root: Any, info: Info, range: DateRange | None = None) -> RatingSummary | None:
    summary = await station_rating_summary(
        info.context, root.id, root.town_id, (range or DateRange()).to_filter()
    )
    return RatingSummary.of(summary)


def station_rating_summary_field() -> Any:
    """`Station.ratingSummary(range)`."""
    return strawberry.field(
        resolver=_station_summary,
        description="How residents rated the orders the station placed in the range (the last 30 days when "
        "none is given), with the figures behind. For the station's staff, its town's staff and "
        "administrators; null for everyone else.",
    )


@strawberry.type(
    description="Figures of the cases received in the range (by when they were received). Deadlines are "
    "judged as `Case.closedOnTime` judges them: once met, or once overdue and still owed."
)
class CaseFigures:
    received: int = strawberry.field(description="Cases received.")
    by_status: list[Annotated[CaseStatusCount, strawberry.lazy("schema.cases.types")]] = strawberry.field(
        description="The cases received, by their status now."
    )
    answers_judged: int | None = strawberry.field(
        description="Cases judged against the answer deadline: taken on, or not past it." + HIDDEN
    )
    answered_on_time: int | None = strawberry.field(
        description="Cases taken on (handled, or turned into an order, demand, whistle or task) in time."
        + HIDDEN
    )
    closings_judged: int | None = strawberry.field(
        description="Cases judged against the closing deadline: closed, or open past it." + HIDDEN
    )
    closed_on_time: int | None = strawberry.field(description="Cases closed by their deadline." + HIDDEN)
    closed: int | None = strawberry.field(description="Cases closed (evaluated or not)." + HIDDEN)
    evaluated: int = strawberry.field(description="Cases whose resident answered how satisfied they are.")
    resolution_rate: float | None = strawberry.field(description="closed / received, 0 to 1." + HIDDEN)
    answered_on_time_rate: float | None = strawberry.field(
        description="answeredOnTime / answersJudged, 0 to 1." + HIDDEN
    )
    closed_on_time_rate: float | None = strawberry.field(
        description="closedOnTime / closingsJudged, 0 to 1." + HIDDEN
    )
    mean_satisfaction: float | None = strawberry.field(
        description="The residents' mean satisfaction, 0 to 100, of the cases evaluated."
    )

    @classmethod
    def of(cls, figures: resolvers.CaseFigures) -> CaseFigures:
        from schema.cases.types import CaseStatusCount

        return cls(
            received=figures.received,
            by_status=[
                CaseStatusCount(status=status, label=label(status), count=count)
                for status, count in figures.by_case_status.items()
            ],
            answers_judged=figures.answers_judged,
            answered_on_time=figures.answered_on_time,
            closings_judged=figures.closings_judged,
            closed_on_time=figures.closed_on_time,
            closed=figures.closed,
            evaluated=figures.evaluated,
            resolution_rate=figures.resolution_rate,
            answered_on_time_rate=figures.answered_on_time_rate,
            closed_on_time_rate=figures.closed_on_time_rate,
            mean_satisfaction=figures.mean_satisfaction,
        )


@strawberry.type(
    description="Figures of the volunteer tasks posted in the range (by when they were posted), and the "
    "work and points of those completed."
)
class TaskFigures:
    posted: int = strawberry.field(description="Tasks posted.")
    taken: int | None = strawberry.field(description="Tasks a volunteer holds or held now." + HIDDEN)
    completed: int = strawberry.field(description="Tasks completed (the station confirmed the work).")
    cancelled: int = strawberry.field(description="Tasks cancelled.")
    takes_judged: int | None = strawberry.field(
        description="Tasks judged against the take deadline: taken, or open past it." + HIDDEN
    )
    taken_on_time: int | None = strawberry.field(description="Tasks taken by their deadline." + HIDDEN)
    completions_judged: int | None = strawberry.field(
        description="Tasks judged against the completion deadline: completed, or not done past it." + HIDDEN
    )
    completed_on_time: int | None = strawberry.field(
        description="Tasks completed by their deadline." + HIDDEN
    )
    completion_rate: float | None = strawberry.field(description="completed / posted, 0 to 1.")
    hours_worked: float | None = strawberry.field(
        description="Hours of work the station confirmed, summed." + HIDDEN
    )
    points: int | None = strawberry.field(
        description="Points the confirmed work earned by the time bank's rule, summed." + HIDDEN
    )

    @classmethod
    def of(cls, figures: resolvers.TaskFigures) -> TaskFigures:
        return cls(
            posted=figures.posted,
            taken=figures.taken,
            completed=figures.completed,
            cancelled=figures.cancelled,
            takes_judged=figures.takes_judged,
            taken_on_time=figures.taken_on_time,
            completions_judged=figures.completions_judged,
            completed_on_time=figures.completed_on_time,
            completion_rate=figures.completion_rate,
            hours_worked=figures.hours_worked,
            points=figures.points,
        )
