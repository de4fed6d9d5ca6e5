"""How one order of the demo history goes: its steps in time, the status they reach, its evaluation.

An order is told as it would have happened under `resolvers.orders.lifecycle`: each step
a (status, action) pair of `LIFECYCLE`, taken by the side allowed to take it, later than
the one before. The story runs past the end of the history (`until`) and is cut there, so
the newest orders are still open and the old ones closed, as in a real year. Deadline
alerts are told too, when the scanner of `resolvers.orders.alerts` would have raised them,
so a server started on the seed has no backlog of alerts for long-past deadlines.
"""

from __future__ import annotations

import enum
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from operator import attrgetter
from typing import NamedTuple

from models import OrderAction, OrderStatus, Urgency
from models.orders import AWAITING_DELIVERY, Deadline
from resolvers.orders.deadlines import DEFAULT_TIME_LIMITS, LOCAL_TIME, local_midnight
from resolvers.orders.lifecycle import LIFECYCLE
from seeds.phrases import (
    CANCEL_REASONS,
    COMMENTS_BY_RATING,
    CONFIRM_NOTES,
    DECLINE_REASONS,
    DELIVER_NOTES,
    REJECTION_REASONS,
    SATISFACTION_BY_RATING,
    SCHEDULE_NOTES,
)

A, S = OrderAction, OrderStatus
HOUR = timedelta(hours=1)
FINAL = (S.DECLINED, S.CANCELLED, S.COMPLETED, S.EVALUATED)


class Side(enum.Enum):
    STATION = "STATION"
    PROVIDER = "PROVIDER"


class Outcome(enum.Enum):
    """An ending a demand's story needs of its order; other orders end as chance has it."""

    EVALUATED = "EVALUATED"
    OPEN = "OPEN"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class Quality:
    """How well a provider works: 0 is the district's usual, +2 the best, -2 the worst."""

    score: float

    def chance(self, usual: float, steepness: float, low: float, high: float) -> float:
        return min(high, max(low, usual * math.exp(-steepness * self.score)))

    @property
    def late_response(self) -> float:
        return self.chance(0.07, 1.1, 0.005, 0.6)

    @property
    def decline(self) -> float:
        return self.chance(0.04, 0.8, 0.005, 0.3)

    @property
    def late_delivery(self) -> float:
        return self.chance(0.09, 1.0, 0.01, 0.6)

    @property
    def rejected_delivery(self) -> float:
        return self.chance(0.03, 0.9, 0.003, 0.25)


class Step(NamedTuple):
    at: datetime
    action: OrderAction
    side: Side | None  # None: an alert the server raised
    to: OrderStatus
    note: str = ""
    deadline: Deadline | None = None


@dataclass
class Story:
    placed_at: datetime
    urgency: Urgency
    requested_start: date
    requested_end: date
    steps: list[Step]
    scheduled_at: datetime | None = None
    decline_reason: str | None = None
    cancellation_reason: str | None = None
    rejection_reason: str | None = None
    rating: int | None = None
    satisfaction: int | None = None
    comment: str | None = None
    coordination_at: datetime | None = None
    due: dict[Deadline, tuple[datetime, datetime]] = field(default_factory=dict)  # (alert at, due at)

    @property
    def status(self) -> OrderStatus:
        return self.steps[-1].to

    def taken(self, action: OrderAction) -> Step | None:
        return next((step for step in reversed(self.steps) if step.action is action), None)


def tell(
    rng: random.Random,
    *,
    placed_at: datetime,
    urgency: Urgency,
    start: date,
    window_days: int,
    quality: Quality,
    coordinated: bool,
    until: datetime,
    outcome: Outcome | None = None,
) -> Story:
    """The story of an order placed at `placed_at`, as far as it got by `until`."""
    limit = DEFAULT_TIME_LIMITS[urgency]
    respond_within = timedelta(hours=limit.response_hours)
    deliver_within = timedelta(hours=limit.delivery_hours)
    story = Story(placed_at, urgency, start, start + timedelta(days=window_days), [])
    steps = story.steps
    steps.append(Step(placed_at, A.PLACE, Side.STATION, S.SUBMITTED))

    if outcome is Outcome.CANCELLED or (outcome is None and rng.random() < 0.015):
        story.cancellation_reason = rng.choice(CANCEL_REASONS) or None
        moment = placed_at + respond_within * rng.uniform(0.1, 0.9)
        steps.append(Step(moment, A.CANCEL, Side.STATION, S.CANCELLED, story.cancellation_reason or ""))
        return _finish(story, until, outcome)
    if rng.random() < quality.late_response:
        answered = placed_at + respond_within * rng.uniform(1.05, 2.5)
    else:
        answered = placed_at + respond_within * rng.uniform(0.02, 0.9) ** (1.3 + 0.5 * quality.score)
    if outcome is Outcome.DECLINED or (outcome is None and rng.random() < quality.decline):
        story.decline_reason = rng.choice(DECLINE_REASONS)
        steps.append(Step(answered, A.DECLINE, Side.PROVIDER, S.DECLINED, story.decline_reason))
        return _finish(story, until, outcome)
    steps.append(Step(answered, A.ACCEPT, Side.PROVIDER, S.ACCEPTED))
    if outcome is None and rng.random() < 0.015:
        story.cancellation_reason = rng.choice(CANCEL_REASONS) or None
        moment = answered + HOUR * rng.uniform(1, 48)
        steps.append(Step(moment, A.CANCEL, Side.STATION, S.CANCELLED, story.cancellation_reason or ""))
        return _finish(story, until, outcome)

    work_may_begin = max(placed_at, local_midnight(start).astimezone(UTC))
    late = rng.random() < quality.late_delivery
    fraction = rng.uniform(1.02, 1.5) if late else rng.uniform(0.1, 0.95)
    delivered = work_may_begin + deliver_within * fraction
    if urgency is Urgency.EMERGENCY:
        takes = HOUR * rng.uniform(0.5, 3)
    else:  # a visit takes hours, a project runs for days
        takes = HOUR * (rng.uniform(8, 120) if coordinated or rng.random() < 0.15 else rng.uniform(1, 4))
    begins = delivered - takes
    # The visit falls on a requested day (from 8:00), after the answer.
    earliest = max(answered + HOUR / 2, local_midnight(start).astimezone(UTC) + 8 * HOUR)
    if begins < earliest:
        begins = earliest + HOUR * rng.uniform(0, 2)
        delivered = begins + takes
    story.scheduled_at = begins
    scheduled = answered + (begins - answered) * rng.uniform(0.05, 0.4)
    steps.append(Step(scheduled, A.SCHEDULE, Side.PROVIDER, S.SCHEDULED, rng.choice(SCHEDULE_NOTES)))
    if coordinated:
        story.coordination_at = scheduled + (begins - scheduled) * rng.uniform(0.2, 0.9)
        steps.append(Step(story.coordination_at, A.RECORD_COORDINATION_MEETING, Side.STATION, S.SCHEDULED))
    steps.append(Step(begins, A.START, Side.PROVIDER, S.IN_PROGRESS))
    steps.append(Step(delivered, A.DELIVER, Side.PROVIDER, S.DELIVERED, rng.choice(DELIVER_NOTES)))
    rejected = rng.random() < quality.rejected_delivery
    if rejected:
        story.rejection_reason = rng.choice(REJECTION_REASONS)
        moment = delivered + HOUR * rng.uniform(2, 48)
        steps.append(Step(moment, A.REJECT_DELIVERY, Side.STATION, S.IN_PROGRESS, story.rejection_reason))
        delivered = moment + HOUR * rng.uniform(12, 96)
        late = late or delivered > work_may_begin + deliver_within
        steps.append(Step(delivered, A.DELIVER, Side.PROVIDER, S.DELIVERED, rng.choice(DELIVER_NOTES)))
    if outcome is None and rng.random() < 0.02:  # never confirmed: stays delivered
        return _finish(story, until, outcome)
    confirmed = delivered + HOUR * 72 * rng.random() ** 2.5 + HOUR / 2
    steps.append(Step(confirmed, A.CONFIRM_DELIVERY, Side.STATION, S.COMPLETED, rng.choice(CONFIRM_NOTES)))
    if outcome is None and rng.random() < 0.1:  # never evaluated: stays completed
        return _finish(story, until, outcome)
    evaluated = confirmed + HOUR * 240 * rng.random() ** 3 + HOUR
    mean = 4.15 + 0.4 * quality.score - (0.9 if late else 0) - (0.6 if rejected else 0)
    story.rating = min(5, max(1, round(rng.gauss(mean, 0.6))))
    satisfaction = SATISFACTION_BY_RATING[story.rating] + rng.gauss(0, 5)
    story.satisfaction = min(100, max(0, round(satisfaction)))
    story.comment = rng.choice(COMMENTS_BY_RATING[story.rating])
    steps.append(Step(evaluated, A.EVALUATE, Side.STATION, S.EVALUATED, story.comment))
    return _finish(story, until, outcome)


def _finish(story: Story, until: datetime, outcome: Outcome | None) -> Story:
    """Cut the story at `until` (or fit a demand's ending before it), then fix the requested
    days around the visit and the deadlines and alerts the steps imply."""
    steps = story.steps
    if outcome in (None, Outcome.OPEN):
        while steps[-1].at > until:
            steps.pop()
        if outcome is Outcome.OPEN:
            while steps[-1].to in FINAL:
                steps.pop()
    elif steps[-1].at > until:
        _compress(story, until - timedelta(minutes=5))
    if story.taken(A.SCHEDULE) is None:
        story.scheduled_at = None
    if story.taken(A.RECORD_COORDINATION_MEETING) is None:
        story.coordination_at = None
    if story.taken(A.REJECT_DELIVERY) is None:
        story.rejection_reason = None
    if story.taken(A.EVALUATE) is None:
        story.rating = story.satisfaction = story.comment = None
    if story.scheduled_at is not None:
        visit = story.scheduled_at.astimezone(LOCAL_TIME).date()
        story.requested_start = min(story.requested_start, visit)
        story.requested_end = max(story.requested_end, visit)
    _check_lifecycle(steps)
    _raise_alerts(story, until)
    return story


def _compress(story: Story, end: datetime) -> None:
    """Tell the same story faster, so that it ends by `end`."""
    start = story.placed_at
    factor = (end - start) / (story.steps[-1].at - start)

    def sooner(moment: datetime) -> datetime:
        return start + (moment - start) * factor

    story.steps[:] = [
        Step(sooner(step.at), step.action, step.side, step.to, step.note, step.deadline)
        for step in story.steps
    ]
    if story.scheduled_at is not None:
        story.scheduled_at = sooner(story.scheduled_at)
    if story.coordination_at is not None:
        story.coordination_at = sooner(story.coordination_at)


def _check_lifecycle(steps: list[Step]) -> None:
    """Every step is one the lifecycle allows, in time order (a seed bug fails loudly here)."""
    for before, after in zip(steps, steps[1:], strict=False):
        transition = LIFECYCLE.get((before.to, after.action))
        if transition is None or transition.to is not after.to or after.at <= before.at:
            raise AssertionError(f"seed told an impossible step: {before} then {after}")


# The deadlines of `resolvers.orders.deadlines`: owed while the order is in these statuses.
OWED = {Deadline.RESPONSE: (S.SUBMITTED,), Deadline.DELIVERY: AWAITING_DELIVERY}
# The alert scanner of the server looks every few seconds.
SCAN_DELAY = timedelta(seconds=10)


def _raise_alerts(story: Story, until: datetime) -> None:
    """Add the deadline alerts the server would have raised by `until` (see resolvers.orders.alerts):
    once per deadline and stage, while the order still owes the deadline."""
    limit = DEFAULT_TIME_LIMITS[story.urgency]
    respond, deliver = timedelta(hours=limit.response_hours), timedelta(hours=limit.delivery_hours)
    work_may_begin = max(story.placed_at, local_midnight(story.requested_start).astimezone(UTC))
    story.due = {
        Deadline.RESPONSE: (story.placed_at + respond * 3 / 4, story.placed_at + respond),
        Deadline.DELIVERY: (work_may_begin + deliver * 3 / 4, work_may_begin + deliver),
    }
    steps = story.steps
    last = len(steps) - 1
    alerts: list[Step] = []
    for deadline, (alert_at, due_at) in story.due.items():
        owed = OWED[deadline]
        stages = [(A.DEADLINE_NEARING, alert_at), (A.DEADLINE_PASSED, due_at)]
        for index, step in enumerate(steps):
            if step.to not in owed:
                continue
            # While the order is in this status it owes the deadline: the scanner raises what is due.
            ends = steps[index + 1].at if index < last else until + SCAN_DELAY
            if alert_at >= ends:
                continue
            earliest = step.at + SCAN_DELAY
            while stages:
                stage, moment = stages[0]
                raised = max(moment, earliest)
                if raised >= ends or raised > until:
                    break
                del stages[0]
                # Found already past its due time, it is raised as passed only.
                if stage is not A.DEADLINE_NEARING or raised < due_at:
                    alerts.append(Step(raised, stage, None, step.to, deadline=deadline))
            if not stages:
                break
    if alerts:
        story.steps = sorted(steps + alerts, key=attrgetter("at"))
