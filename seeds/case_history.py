"""A year of cases at every station (首问责任制), for the case statistics, boards and rankings.

Each station receives a few cases a week, each told step by step through `CASE_LIFECYCLE` as the
API would take it (seeds.cases.case_step): received by one of the station's staff accounts, its
first-inquiry owner; taken on the spot; closed with the result told to the resident; most of them
evaluated. A quality drawn once per station (a few clearly better, a few clearly worse) sets how
soon it answers and closes against the urgency's limits and how satisfied its residents are, so
deadlines are met and missed and the case ranking has both a red and a black end. The newest cases
are still open, as a station's would be. Rows go in with COPY (seeds.bulk), and each event's
commit position is written as the `case_event_position` trigger would.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from models import Case, CaseAction, CaseDeadline, CaseEvent, CaseKind, CaseRoute, CaseStatus, Role, Urgency
from resolvers.orders.deadlines import DEFAULT_TIME_LIMITS, case_deadlines
from seeds.bulk import copy_rows, loading_in_bulk, move_sequence_past_rows, next_id
from seeds.cases import RESIDENTS, CaseStory, case_step
from seeds.staff import Staff

SUBJECTS = {
    CaseKind.CONSULTATION: [
        "咨询高龄津贴申请材料",
        "咨询居家养老服务补贴",
        "咨询医保异地备案",
        "咨询长护险评估",
    ],
    CaseKind.HELP: ["独居老人需要助浴", "楼道灯坏了无人修", "老人就医需要陪同", "家中水管漏水"],
    CaseKind.COMPLAINT: ["小区垃圾清运不及时", "夜间施工噪音扰民", "电动车楼道充电", "助餐点饭菜偏咸"],
    CaseKind.SUGGESTION: [
        "建议增设老年助餐点",
        "建议开设智能手机课程",
        "建议增加健身器材",
        "建议延长活动室开放时间",
    ],
}
RESULTS = ["已当场答复居民", "已协调物业处理完毕", "已上门办理", "已落实并回访居民"]
KINDS = {CaseKind.CONSULTATION: 0.35, CaseKind.HELP: 0.3, CaseKind.COMPLAINT: 0.2, CaseKind.SUGGESTION: 0.15}
URGENCIES = {Urgency.ROUTINE: 0.7, Urgency.KEY: 0.22, Urgency.EMERGENCY: 0.08}
CASES_PER_STATION_AND_MONTH = (1, 3)
EVALUATED_SHARE = 0.8

CASE_COLUMNS = [
    "id",
    "station_id",
    "kind",
    "urgency",
    "status",
    "route",
    "subject",
    "description",
    "resident_name",
    "resident_phone",
    "received_by_id",
    "owner_id",
    "version",
    "answer_due_at",
    "closing_due_at",
    "answer_alert_at",
    "closing_alert_at",
    "answered_at",
    "closed_at",
    "result",
    "satisfaction",
    "created_at",
    "updated_at",
]
EVENT_COLUMNS = [
    "id",
    "case_id",
    "action",
    "from_status",
    "to_status",
    "actor_id",
    "actor_role",
    "owner_id",
    "note",
    "occurred_at",
    "deadline",
    "commit_order",
]


def _quality(rng: random.Random, index: int) -> float:
    """How well a station keeps its promises, 0 to 1: most good, every tenth clearly better or worse."""
    if index % 10 == 3:
        return rng.uniform(0.2, 0.45)
    if index % 10 == 7:
        return rng.uniform(0.93, 1.0)
    return rng.betavariate(6, 2)


def _delay(rng: random.Random, quality: float, limit_hours: float) -> timedelta:
    """A step's time against its limit: in time with the station's quality as the chance, else late."""
    share = rng.uniform(0.05, 0.9) if rng.random() < quality else rng.uniform(1.05, 3.0)
    return timedelta(hours=limit_hours * share)


def _tell(
    rng: random.Random,
    station_id: int,
    staff: Sequence[int],
    quality: float,
    received: datetime,
    until: datetime,
) -> CaseStory:
    kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    urgency = rng.choices(list(URGENCIES), weights=list(URGENCIES.values()))[0]
    owner = rng.choice(staff)
    name, phone = rng.choice(RESIDENTS)
    story = CaseStory(
        {
            "station_id": station_id,
            "kind": kind,
            "urgency": urgency,
            "status": CaseStatus.RECEIVED,
            "route": None,
            "subject": rng.choice(SUBJECTS[kind]),
            "description": "",
            "resident_name": name,
            "resident_phone": phone,
            "received_by_id": owner,
            "owner_id": owner,
            "version": 1,
            **asdict(case_deadlines(urgency, received)),
            "answered_at": None,
            "closed_at": None,
            "result": None,
            "satisfaction": None,
            "created_at": received,
            "updated_at": received,
        }
    )
    story.events.append(_event(story, CaseAction.RECEIVE, None, owner, received, ""))
    _tell_steps(rng, story, owner, quality, until)
    _raise_alerts(story, until)
    return story


def _tell_steps(rng: random.Random, story: CaseStory, owner: int, quality: float, until: datetime) -> None:
    received = story.row["created_at"]
    limit = DEFAULT_TIME_LIMITS[story.row["urgency"]]
    answered = received + _delay(rng, quality, limit.response_hours)
    if answered > until:
        return
    case_step(story, CaseAction.HANDLE_ON_SPOT, owner, Role.STATION_STAFF, answered)
    closed = max(received + _delay(rng, quality, limit.delivery_hours), answered + timedelta(minutes=30))
    if closed > until:
        return
    result = rng.choice(RESULTS)
    changes = {"result": result, "closed_at": closed}
    case_step(story, CaseAction.CLOSE, owner, Role.STATION_STAFF, closed, result, changes=changes)
    evaluated = closed + timedelta(hours=rng.uniform(2, 72))
    if evaluated > until or rng.random() > EVALUATED_SHARE:
        return
    satisfaction = round(min(100.0, max(0.0, rng.gauss(45 + 50 * quality, 8))))
    case_step(
        story,
        CaseAction.EVALUATE,
        owner,
        Role.STATION_STAFF,
        evaluated,
        changes={"satisfaction": satisfaction},
    )


def _raise_alerts(story: CaseStory, until: datetime) -> None:
    """Add the deadline alerts the server's scanner (resolvers.orders.alerts) would have raised by
    `until`: each stage once, while the case still owed the deadline (until it was met, or until
    `until`), so a server started on the seed raises no backlog of a year's alerts."""
    row = story.row
    owed = {
        CaseDeadline.ANSWER: (row["answer_alert_at"], row["answer_due_at"], row["answered_at"] or until),
        CaseDeadline.CLOSING: (row["closing_alert_at"], row["closing_due_at"], row["closed_at"] or until),
    }
    alerts = []
    for deadline, (alert_at, due_at, ends) in owed.items():
        for action, moment in ((CaseAction.DEADLINE_NEARING, alert_at), (CaseAction.DEADLINE_PASSED, due_at)):
            if moment >= ends:
                continue
            answered = row["answered_at"]
            status = CaseStatus.RECEIVED if answered is None or moment < answered else CaseStatus.HANDLED
            alerts.append(
                {
                    "action": action,
                    "from_status": status,
                    "to_status": status,
                    "actor_id": None,
                    "actor_role": None,
                    "owner_id": row["owner_id"],
                    "note": "",
                    "occurred_at": moment,
                    "deadline": deadline,
                }
            )
    story.events = sorted(story.events + alerts, key=lambda event: event["occurred_at"])


def _event(
    story: CaseStory, action: CaseAction, from_status: CaseStatus | None, actor: int, at: datetime, note: str
) -> dict[str, Any]:
    return {
        "action": action,
        "from_status": from_status,
        "to_status": story.row["status"],
        "actor_id": actor,
        "actor_role": Role.STATION_STAFF,
        "owner_id": story.row["owner_id"],
        "note": note,
        "occurred_at": at,
        "deadline": None,
    }


def _plain(value: Any) -> Any:
    return (
        value.value
        if isinstance(value, CaseKind | CaseStatus | CaseRoute | CaseAction | CaseDeadline | Urgency | Role)
        else value
    )


async def insert_case_history(
    connection: AsyncConnection, rng: random.Random, staff: Staff, *, months: int, until: datetime
) -> Counter[str]:
    """`months` of cases up to `until` at every station with staff; rows inserted per table."""
    start = until - timedelta(days=30 * months)
    stories: list[CaseStory] = []
    for index, (station_id, accounts) in enumerate(sorted(staff.stations.items())):
        quality = _quality(rng, index)
        count = rng.randint(*CASES_PER_STATION_AND_MONTH) * months
        moments = sorted(start + (until - start) * rng.random() for _ in range(count))
        stories += [_tell(rng, station_id, accounts, quality, moment, until) for moment in moments]
    stories.sort(key=lambda story: story.row["created_at"])
    case_id = await next_id(connection, Case.__table__)
    event_id = await next_id(connection, CaseEvent.__table__)
    cases, events = [], []
    for story in stories:
        cases.append(tuple(_plain(story.row[column]) for column in CASE_COLUMNS[1:]))
        for event in story.events:
            events.append((case_id, {"deadline": None, **event}))
        case_id += 1
    first_case = case_id - len(stories)
    # Positions in the order the events happened, as they would have committed.
    events.sort(key=lambda pair: pair[1]["occurred_at"])
    async with loading_in_bulk(connection, [Case.__table__, CaseEvent.__table__]):
        await copy_rows(
            connection,
            Case.__table__,
            CASE_COLUMNS,
            ((first_case + number, *row) for number, row in enumerate(cases)),
        )
        await copy_rows(
            connection,
            CaseEvent.__table__,
            EVENT_COLUMNS,
            (
                (event_id + position, owner, *(_plain(event[c]) for c in EVENT_COLUMNS[2:-1]), position + 1)
                for position, (owner, event) in enumerate(events)
            ),
        )
    for table in (Case.__table__, CaseEvent.__table__):
        await move_sequence_past_rows(connection, table)
    await connection.execute(
        text(
            "SELECT setval('case_event_positions', (SELECT coalesce(max(commit_order), 0) + 1 FROM case_events), false)"
        )
    )
    return Counter({"cases": len(cases), "case_events": len(events)})
