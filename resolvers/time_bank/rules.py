"""The published rule of the time bank: how many points an hour of confirmed work earns.

Hours are counted in half hours and every factor is even, so points are whole numbers.
"""

from __future__ import annotations

from decimal import Decimal

from models import Urgency

# Points per hour of work, by the kind of task (应急单、重点单、常规单): urgent work counts for more.
POINTS_PER_HOUR = {Urgency.EMERGENCY: 20, Urgency.KEY: 12, Urgency.ROUTINE: 10}
# Hours are given in steps of this many hours.
HOUR_STEP = Decimal("0.5")
MAX_HOURS = Decimal(24)


def is_whole_steps(hours: Decimal) -> bool:
    return hours > 0 and hours <= MAX_HOURS and hours % HOUR_STEP == 0


def points_for(urgency: Urgency, hours: Decimal) -> int:
    """The points `hours` of confirmed work on a task of this urgency earn: hours × the factor."""
    return int(hours * POINTS_PER_HOUR[urgency])
