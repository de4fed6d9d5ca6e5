"""The three meetings (三会) of the history: hearings with their votes, coordination and evaluation meetings."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from models import HearingDecision, MeetingKind
from seeds.phrases import HEARING_MINUTES
from seeds.plan import District, Order, Subject
from seeds.staff import Staff

HOUR = timedelta(hours=1)
# Of the station–project pairs a hearing approved, this share had rejected the project before;
# and for every few approving hearings, one rejected a project that was then never ordered.
REJECTED_BEFORE_SHARE = 0.1
REJECTED_ONLY_SHARE = 0.25


MEETING_COLUMNS = (
    "id",
    "kind",
    "station_id",
    "provider_id",
    "service_id",
    "project_id",
    "order_id",
    "held_at",
    "attendees",
    "votes_for",
    "votes_against",
    "votes_abstaining",
    "decision",
    "orders_authorized",
    "minutes",
    "recorded_by_id",
    "created_at",
    "updated_at",
)


def meeting_row(
    meeting_id: int,
    kind: MeetingKind,
    about: tuple,
    held_at: datetime,
    rng: random.Random,
    minutes: str,
    recorded_by: int,
) -> tuple:
    attendees = rng.randint(8, 40)
    return (
        meeting_id,
        kind.name,
        *about,
        held_at,
        attendees,
        None,
        None,
        None,
        None,
        None,
        minutes,
        recorded_by,
        held_at,
        held_at,
    )


def _hearing(
    meeting_id: int,
    rng: random.Random,
    station_id: int,
    subject: Subject,
    held_at: datetime,
    approved: bool,
    recorded_by: int,
) -> tuple:
    """A hearing (听证会) on a project, with votes that carry its decision."""
    attendees = rng.randint(15, 80)
    voters = attendees - rng.randint(0, attendees // 5)
    majority = rng.randint(voters // 2 + 1, voters)
    minority = rng.randint(0, voters - majority)
    votes_for, votes_against = (majority, minority) if approved else (minority, majority)
    abstaining = voters - votes_for - votes_against
    decision = HearingDecision.APPROVED if approved else HearingDecision.REJECTED
    minutes = rng.choice(HEARING_MINUTES[approved]).format(subject=subject.name)
    # Residents meet in the evening, after work, some days before the order.
    recorded = held_at + HOUR * rng.uniform(1, 20)
    return (
        meeting_id, MeetingKind.HEARING.name, station_id, subject.provider_id, None, subject.id, None, held_at,
        attendees, votes_for, votes_against, abstaining, decision.name,
        # Each approval authorizes the one order that rests on it.
        1 if approved else None,
        minutes, recorded_by, recorded, recorded,
    )  # fmt: skip


def _evening_before(rng: random.Random, moment: datetime, days: float, not_before: datetime) -> datetime:
    held_at = moment - timedelta(days=days)
    held_at = held_at.replace(
        hour=11, minute=rng.choice((0, 30)), second=0, microsecond=0
    )  # 19:00 or 19:30 local
    if held_at < not_before:
        held_at = not_before + (moment - not_before) / 3
    return held_at if held_at < moment - HOUR * 2 else moment - HOUR * 2


def hearings_for(
    rng: random.Random, hearing_id: int, meeting_ids: Iterator[int], order: Order, recorded_by: int
) -> list[tuple]:
    """The approving hearing an order of a three-meetings project rests on, sometimes after a rejection."""
    story, subject = order.story, order.subject
    held_at = _evening_before(rng, story.placed_at, rng.uniform(2, 25), subject.available_from)
    rows = [_hearing(hearing_id, rng, order.station_id, subject, held_at, True, recorded_by)]
    if rng.random() < REJECTED_BEFORE_SHARE:
        earlier = _evening_before(rng, held_at, rng.uniform(20, 90), subject.available_from)
        rows.append(_hearing(next(meeting_ids), rng, order.station_id, subject, earlier, False, recorded_by))
    return rows


def rejections_only(
    rng: random.Random, district: District, meeting_ids: Iterator[int], staff: Staff, orders: list[Order]
) -> list[tuple]:
    """Hearings where the residents turned a project down, and it was not ordered."""
    projects = [subject for subject in district.subjects if subject.three_meetings]
    approved = sum(order.subject.three_meetings for order in orders)
    if not projects or not orders:
        return []
    first, last = orders[0].story.placed_at, orders[-1].story.placed_at
    rows = []
    for _ in range(round(approved * REJECTED_ONLY_SHARE)):
        station_id, _, _ = rng.choice(district.stations)
        subject = rng.choice(projects)
        moment = first + (last - first) * rng.random()
        held_at = _evening_before(rng, moment, 0, subject.available_from)
        if held_at < subject.available_from:
            continue
        rows.append(
            _hearing(
                next(meeting_ids), rng, station_id, subject, held_at, False, staff.stations[station_id][0]
            )
        )
    return rows
