"""The figures of a group, as the aggregates of `sources` give them, and the rates derived from them.

Non-public figures are None for anonymous callers (`resolvers.access.PUBLIC_FIGURES`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Self, cast

from models import CaseStatus, OrderStatus
from resolvers.access import PUBLIC_FIGURES


def ratio(part: int | None, whole: int | None) -> float | None:
    """part / whole, None when there is nothing to divide (or the figures are not shown)."""
    if part is None or not whole:
        return None
    return part / whole


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, Decimal | float | int) else None


def _reader(name: str, type_: str) -> Callable[[Any], Any]:
    """How a field is read from a result row of its source's aggregates."""
    if name in ("by_status", "by_case_status"):
        statuses: list[tuple[OrderStatus | CaseStatus, str]] = [
            (status, f"status_{status.name}") for status in OrderStatus
        ]
        if name == "by_case_status":
            statuses = [(status, f"case_status_{status.name}") for status in CaseStatus]
        return lambda row: {status: row[column] for status, column in statuses}
    if name.startswith(("median_", "p90_")):
        # Both percentiles of a duration come as one array (sources.median_and_p90), in the rows of
        # statements that computed them.
        which, duration = name.split("_", 1)
        index = 0 if which == "median" else 1

        def percentile(row: Any) -> float | None:
            # Not `row.get`: a result row misses a key by raising inside, `in` looks it up.
            both = row[duration] if duration in row else None  # noqa: SIM401
            return _number(both[index]) if both else None

        return percentile
    if type_.startswith("float"):
        return lambda row: _number(row[name])
    return lambda row: row[name]


class Figures:
    """Figures built from one result row of their source's aggregates."""

    # Built once per class: a statistic reads thousands of rows.
    _readers: ClassVar[tuple[tuple[str, Callable[[Any], Any], bool], ...]] = ()
    _empty: ClassVar[dict[bool, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._empty = {}

    @classmethod
    def _fields(cls) -> tuple[tuple[str, Callable[[Any], Any], bool], ...]:
        if not cls._readers:
            cls._readers = tuple(
                (item.name, _reader(item.name, str(item.type)), item.name in PUBLIC_FIGURES)
                for item in dataclasses.fields(cls)  # type: ignore[arg-type]
            )
        return cls._readers

    @classmethod
    def from_row(cls, row: Any, *, public_only: bool) -> Self:
        return cls(
            **{
                name: None if public_only and not public else read(row)
                for name, read, public in cls._fields()
            }
        )

    @classmethod
    def empty(cls, *, public_only: bool) -> Self:
        """The figures of a group with no row of this source: zero counts, no averages (immutable,
        so one per class and audience serves every group)."""
        if public_only not in cls._empty:
            zero: dict[str, Any] = {f"status_{status.name}": 0 for status in OrderStatus}
            zero.update({f"case_status_{status.name}": 0 for status in CaseStatus})
            zero.update(hours_to_accept=None, hours_to_deliver=None)
            for item in dataclasses.fields(cls):  # type: ignore[arg-type]
                zero[item.name] = None if str(item.type).startswith("float") else 0
            cls._empty[public_only] = cls.from_row(zero, public_only=public_only)
        return cast(Self, cls._empty[public_only])


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
