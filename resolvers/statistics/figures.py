"""The figures of a group, as the aggregates of `sources` give them, and the rates derived from them.

Non-public figures are None for anonymous callers (`resolvers.access.PUBLIC_FIGURES`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Self

from models import CaseStatus, OrderStatus
from resolvers.access import PUBLIC_FIGURES


def ratio(part: int | None, whole: int | None) -> float | None:
    """part / whole, None when there is nothing to divide (or the figures are not shown)."""
    if part is None or not whole:
        return None
    return part / whole


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, Decimal | float | int) else None


class Figures:
    """Figures built from one result row of their source's aggregates."""

    @classmethod
    def from_row(cls, row: Any, *, public_only: bool) -> Self:
        values: dict[str, Any] = {}
        for item in dataclasses.fields(cls):  # type: ignore[arg-type]
            if item.name == "by_status":
                values[item.name] = {status: row[f"status_{status.name}"] for status in OrderStatus}
            elif item.name == "by_case_status":
                values[item.name] = {status: row[f"case_status_{status.name}"] for status in CaseStatus}
            elif item.name.startswith(("median_", "p90_")):
                # Both percentiles of a duration come as one array (sources.median_and_p90).
                which, duration = item.name.split("_", 1)
                both = row.get(duration)
                values[item.name] = _number(both[0 if which == "median" else 1]) if both else None
            elif item.type.startswith("float"):
                values[item.name] = _number(row[item.name])
            else:
                values[item.name] = row[item.name]
            if public_only and item.name not in PUBLIC_FIGURES:
                values[item.name] = None
        return cls(**values)

    @classmethod
    def empty(cls, *, public_only: bool) -> Self:
        """The figures of a group with no row of this source: zero counts, no averages."""
        zero: dict[str, Any] = {f"status_{status.name}": 0 for status in OrderStatus}
        zero.update({f"case_status_{status.name}": 0 for status in CaseStatus})
        zero.update(hours_to_accept=None, hours_to_deliver=None)
        for item in dataclasses.fields(cls):  # type: ignore[arg-type]
            zero[item.name] = None if item.type.startswith("float") else 0
        return cls.from_row(zero, public_only=public_only)


@dataclass(frozen=True)
class OrderFigures(Figures):
    placed: int
    by_status: dict[OrderStatus, int]
    accepted: int
    declined: int
    cancelled: int
    delivered: int
    completed: int
    evaluated: int
    median_hours_to_accept: float | None
    p90_hours_to_accept: float | None
    median_hours_to_deliver: float | None
    p90_hours_to_deliver: float | None
    responses_judged: int | None
    responses_on_time: int | None
    deliveries_judged: int | None
    deliveries_on_time: int | None
    mean_rating: float | None
    mean_satisfaction: float | None

    @property
    def response_on_time_rate(self) -> float | None:
        return ratio(self.responses_on_time, self.responses_judged)

    @property
    def delivery_on_time_rate(self) -> float | None:
        return ratio(self.deliveries_on_time, self.deliveries_judged)

    @property
    def on_time_rate(self) -> float | None:
        """Both deadlines together: every deadline judged counts once."""
        if self.responses_on_time is None or self.deliveries_on_time is None:
            return None
        return ratio(
            self.responses_on_time + self.deliveries_on_time,
            (self.responses_judged or 0) + (self.deliveries_judged or 0),
        )

    @property
    def decline_rate(self) -> float | None:
        """Of the orders the provider answered, the share it declined."""
        return ratio(self.declined, self.accepted + self.declined)


@dataclass(frozen=True)
class DemandFigures(Figures):
    posted: int
    matched: int
    resolved: int
    closed: int

    @property
    def resolution_rate(self) -> float | None:
        """Of the demands posted, the share resolved (Pudong publishes 38,929 of 39,187: 99.3 %)."""
        return ratio(self.resolved, self.posted)


@dataclass(frozen=True)
class HearingFigures(Figures):
    held: int
    approved: int
    rejected: int
    attendees: int | None
    votes_for: int | None
    votes_against: int | None
    votes_abstaining: int | None

    @property
    def approval_rate(self) -> float | None:
        return ratio(self.approved, self.held)


@dataclass(frozen=True)
class CaseFigures(Figures):
    received: int
    by_case_status: dict[CaseStatus, int]
    answers_judged: int | None
    answered_on_time: int | None
    closings_judged: int | None
    closed_on_time: int | None
    closed: int | None
    evaluated: int
    mean_satisfaction: float | None

    @property
    def resolution_rate(self) -> float | None:
        """Of the cases received, the share closed with a result told to the resident."""
        return ratio(self.closed, self.received)

    @property
    def answered_on_time_rate(self) -> float | None:
        return ratio(self.answered_on_time, self.answers_judged)

    @property
    def closed_on_time_rate(self) -> float | None:
        return ratio(self.closed_on_time, self.closings_judged)


@dataclass(frozen=True)
class TaskFigures(Figures):
    posted: int
    taken: int | None
    completed: int
    cancelled: int
    takes_judged: int | None
    taken_on_time: int | None
    completions_judged: int | None
    completed_on_time: int | None
    hours_worked: float | None
    points: int | None

    @property
    def completion_rate(self) -> float | None:
        return ratio(self.completed, self.posted)


FIGURES: dict[str, type[Figures]] = {
    "orders": OrderFigures,
    "demands": DemandFigures,
    "hearings": HearingFigures,
    "cases": CaseFigures,
    "tasks": TaskFigures,
}
