"""Demo volunteers at the demo station, tasks in every state, and a time-bank history with rewards.

The balances are the sums the confirmed tasks earn by the published rule minus the rewards
redeemed, written as balanced ledger entries in the order they happened (the database checks
both as the rows go in). Deterministic: everything is placed relative to `until`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from models import (
    DayPart,
    EntryKind,
    LedgerAccount,
    LedgerAccountKind,
    LedgerEntry,
    LedgerLine,
    Redemption,
    Reward,
    Role,
    Skill,
    Station,
    Task,
    TaskAction,
    TaskEvent,
    TaskStatus,
    Town,
    Urgency,
    User,
    Volunteer,
    VolunteerAvailability,
)
from resolvers.orders.deadlines import task_deadlines
from resolvers.time_bank.rules import POINTS_PER_HOUR, points_for

VOLUNTEER_PASSWORD = "doorstep-volunteer"
M, A, E = DayPart.MORNING, DayPart.AFTERNOON, DayPart.EVENING


@dataclass(frozen=True)
class DemoVolunteer:
    username: str
    display_name: str
    phone: str
    is_party_member: bool
    skills: tuple[Skill, ...]
    availability: tuple[tuple[int, DayPart], ...]


DEMO_VOLUNTEERS = (
    DemoVolunteer(
        "volunteer",
        "陈志愿",
        "13916000001",
        True,
        (Skill.ELDERLY_CARE, Skill.MEDICAL_ESCORT, Skill.DIGITAL_HELP),
        ((6, M), (6, A), (3, E)),
    ),
    DemoVolunteer(
        "volunteer2",
        "刘红梅",
        "13916000002",
        True,
        (Skill.ELDERLY_CARE, Skill.CLEANING, Skill.EVENT_SUPPORT),
        ((1, M), (2, M), (7, A)),
    ),
    DemoVolunteer(
        "volunteer3",
        "王建华",
        "13916000003",
        False,
        (Skill.HOUSEHOLD_REPAIR, Skill.DRIVING, Skill.PATROL),
        ((5, E), (6, E)),
    ),
    DemoVolunteer(
        "volunteer4",
        "赵敏",
        "13916000004",
        True,
        (Skill.TUTORING, Skill.COUNSELLING, Skill.DIGITAL_HELP),
        ((4, E),),
    ),
)


@dataclass(frozen=True)
class DemoTask:
    title: str
    urgency: Urgency
    place: str
    skills: tuple[Skill, ...]
    hours: str
    days: int
    """When its window starts, in days from `until` (negative: in the past)."""
    status: TaskStatus
    taker: int | None = None
    """The index of the volunteer holding it (DEMO_VOLUNTEERS)."""
    hours_worked: str | None = None
    resident: tuple[str, str, str] | None = None
    """The resident helped: name, phone, address."""


DEMO_TASKS = (
    DemoTask(
        "陪同独居老人复诊",
        Urgency.KEY,
        "潍坊一村",
        (Skill.MEDICAL_ESCORT,),
        "3",
        -20,
        TaskStatus.COMPLETED,
        0,
        "3",
        ("李阿婆", "13800000011", "潍坊一村5号201室"),
    ),
    DemoTask(
        "教老人使用随申办",
        Urgency.ROUTINE,
        "服务站活动室",
        (Skill.DIGITAL_HELP,),
        "2",
        -15,
        TaskStatus.COMPLETED,
        3,
        "2",
    ),
    DemoTask(
        "暴雨后楼道积水清理",
        Urgency.EMERGENCY,
        "潍坊二村",
        (Skill.CLEANING,),
        "2",
        -12,
        TaskStatus.COMPLETED,
        1,
        "2.5",
    ),
    DemoTask(
        "独居老人上门探访",
        Urgency.ROUTINE,
        "潍坊一村",
        (Skill.ELDERLY_CARE,),
        "1.5",
        -8,
        TaskStatus.COMPLETED,
        0,
        "2",
    ),
    DemoTask(
        "为困难家庭修理热水器",
        Urgency.KEY,
        "潍坊三村",
        (Skill.HOUSEHOLD_REPAIR,),
        "2",
        -5,
        TaskStatus.COMPLETED,
        2,
        "1.5",
    ),
    DemoTask(
        "周末平安巡逻", Urgency.ROUTINE, "潍坊新村街区", (Skill.PATROL,), "3", -1, TaskStatus.IN_PROGRESS, 2
    ),
    DemoTask(
        "重阳节敬老活动保障",
        Urgency.ROUTINE,
        "服务站广场",
        (Skill.EVENT_SUPPORT,),
        "4",
        2,
        TaskStatus.TAKEN,
        1,
    ),
    DemoTask(
        "陪同老人体检",
        Urgency.KEY,
        "社区卫生服务中心",
        (Skill.MEDICAL_ESCORT,),
        "2",
        1,
        TaskStatus.OPEN,
        resident=("王阿姨", "13800000000", "潍坊一村12号301室"),
    ),
    DemoTask("学生课后作业辅导", Urgency.ROUTINE, "服务站活动室", (Skill.TUTORING,), "2", 3, TaskStatus.OPEN),
    DemoTask("社区集市秩序维护", Urgency.ROUTINE, "服务站广场", (), "2", 4, TaskStatus.CANCELLED),
)
# Rewards of the demo station (name, points), and one of the whole district.
STATION_REWARDS = (("义务理发一次", 20), ("家政保洁一小时", 40), ("社区食堂午餐券", 15))
DISTRICT_REWARD = ("浦东图书馆文创礼包", 60)
# Redemptions: (volunteer index, reward name, when in days from `until`).
REDEMPTIONS = ((0, "义务理发一次", -3), (1, "社区食堂午餐券", -2), (3, "社区食堂午餐券", -1))
MOVE_ORDER = {
    TaskStatus.OPEN: [],
    TaskStatus.CANCELLED: [TaskAction.CANCEL],
    TaskStatus.TAKEN: [TaskAction.TAKE],
    TaskStatus.IN_PROGRESS: [TaskAction.TAKE, TaskAction.START],
    TaskStatus.COMPLETED: [TaskAction.TAKE, TaskAction.START, TaskAction.CONFIRM],
}
STEPS = {
    TaskAction.TAKE: (TaskStatus.OPEN, TaskStatus.TAKEN),
    TaskAction.START: (TaskStatus.TAKEN, TaskStatus.IN_PROGRESS),
    TaskAction.CONFIRM: (TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED),
    TaskAction.CANCEL: (TaskStatus.OPEN, TaskStatus.CANCELLED),
}


async def _station_account(connection: AsyncConnection, station_id: int, kind: LedgerAccountKind) -> int:
    return int(
        (
            await connection.execute(
                insert(LedgerAccount).values(kind=kind, station_id=station_id).returning(LedgerAccount.id)
            )
        ).scalar_one()
    )


async def _entry(
    connection: AsyncConnection,
    *,
    kind: EntryKind,
    station_id: int,
    source: int,
    target: int,
    points: int,
    memo: str,
    by: int,
    at: datetime,
    task_id: int | None = None,
) -> int:
    entry_id = (
        await connection.execute(
            insert(LedgerEntry)
            .values(
                kind=kind,
                station_id=station_id,
                task_id=task_id,
                memo=memo,
                recorded_by_id=by,
                recorded_at=at,
            )
            .returning(LedgerEntry.id)
        )
    ).scalar_one()
    await connection.execute(
        insert(LedgerLine),
        [
            {"entry_id": entry_id, "account_id": source, "amount": -points},
            {"entry_id": entry_id, "account_id": target, "amount": points},
        ],
    )
    return int(entry_id)


async def insert_volunteers(
    connection: AsyncConnection, password_hash: str, until: datetime
) -> dict[str, int]:
    """The demo volunteers at the `station` demo account's station, their tasks and time bank."""
    staff_id, station_id = (
        await connection.execute(select(User.id, User.station_id).where(User.username == "station"))
    ).one()
    assert station_id is not None, "the station demo account has its station"
    admin_id = (await connection.execute(select(User.id).where(User.username == "admin"))).scalar_one()
    district_id = (
        await connection.execute(
            select(Town.district_id).join(Station, Station.town_id == Town.id).where(Station.id == station_id)
        )
    ).scalar_one()
    volunteer_ids = []
    for position, demo in enumerate(DEMO_VOLUNTEERS):
        joined = until - timedelta(days=90 - position)
        user_id = (
            await connection.execute(
                insert(User)
                .values(
                    username=demo.username,
                    password_hash=password_hash,
                    display_name=demo.display_name,
                    phone=demo.phone,
                    role=Role.VOLUNTEER,
                    station_id=station_id,
                    is_active=True,
                    created_at=joined,
                    updated_at=joined,
                )
                .returning(User.id)
            )
        ).scalar_one()
        volunteer_ids.append(user_id)
        await connection.execute(
            insert(Volunteer).values(
                user_id=user_id,
                station_id=station_id,
                is_party_member=demo.is_party_member,
                skills=list(demo.skills),
                registered_by_id=staff_id,
                created_at=joined,
                updated_at=joined,
            )
        )
        await connection.execute(
            insert(VolunteerAvailability),
            [{"volunteer_id": user_id, "weekday": day, "day_part": part} for day, part in demo.availability],
        )
    accounts = {}
    for volunteer_id in volunteer_ids:
        accounts[volunteer_id] = (
            await connection.execute(
                insert(LedgerAccount)
                .values(kind=LedgerAccountKind.VOLUNTEER, station_id=station_id, volunteer_id=volunteer_id)
                .returning(LedgerAccount.id)
            )
        ).scalar_one()
    issued = await _station_account(connection, station_id, LedgerAccountKind.ISSUED)
    redeemed = await _station_account(connection, station_id, LedgerAccountKind.REDEEMED)

    events = entries = 0
    for demo_task in DEMO_TASKS:
        starts = until + timedelta(days=demo_task.days, hours=1)
        posted = min(starts, until) - timedelta(days=2)
        due = task_deadlines(demo_task.urgency, posted, starts)
        taker = volunteer_ids[demo_task.taker] if demo_task.taker is not None else None
        hours = Decimal(demo_task.hours)
        worked = Decimal(demo_task.hours_worked) if demo_task.hours_worked else None
        moves = MOVE_ORDER[demo_task.status]
        times = {action: posted + timedelta(hours=1 + index) for index, action in enumerate(moves)}
        if TaskAction.CONFIRM in times:
            times[TaskAction.START] = starts
            times[TaskAction.CONFIRM] = starts + timedelta(hours=float(worked or hours) + 1)
        task_id = (
            await connection.execute(
                insert(Task)
                .values(
                    station_id=station_id,
                    posted_by_id=staff_id,
                    title=demo_task.title,
                    description="",
                    urgency=demo_task.urgency,
                    place=demo_task.place,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=float(hours)),
                    required_skills=list(demo_task.skills),
                    hours_expected=hours,
                    status=demo_task.status,
                    volunteer_id=taker if demo_task.status is not TaskStatus.CANCELLED else None,
                    take_due_at=due.take_due_at,
                    complete_due_at=due.complete_due_at,
                    taken_at=times.get(TaskAction.TAKE),
                    completed_at=times.get(TaskAction.CONFIRM),
                    hours_worked=worked,
                    cancellation_reason="活动延期" if demo_task.status is TaskStatus.CANCELLED else None,
                    resident_name=demo_task.resident[0] if demo_task.resident else None,
                    resident_phone=demo_task.resident[1] if demo_task.resident else None,
                    resident_address=demo_task.resident[2] if demo_task.resident else None,
                    created_at=posted,
                    updated_at=max([posted, *times.values()]),
                )
                .returning(Task.id)
            )
        ).scalar_one()
        rows = [
            {
                "task_id": task_id,
                "station_id": station_id,
                "volunteer_id": None,
                "action": TaskAction.POST,
                "from_status": None,
                "to_status": TaskStatus.OPEN,
                "actor_id": staff_id,
                "actor_role": Role.STATION_STAFF,
                "note": "",
                "occurred_at": posted,
            }
        ]
        for action in moves:
            by_volunteer = action in (TaskAction.TAKE, TaskAction.START)
            before, after = STEPS[action]
            rows.append(
                {
                    "task_id": task_id,
                    "station_id": station_id,
                    "volunteer_id": taker,
                    "action": action,
                    "from_status": before,
                    "to_status": after,
                    "actor_id": taker if by_volunteer else staff_id,
                    "actor_role": Role.VOLUNTEER if by_volunteer else Role.STATION_STAFF,
                    "note": "活动延期" if action is TaskAction.CANCEL else "",
                    "occurred_at": times[action],
                }
            )
        await connection.execute(insert(TaskEvent), rows)
        events += len(rows)
        if worked is not None and taker is not None:
            await _entry(
                connection,
                kind=EntryKind.EARNING,
                station_id=station_id,
                source=issued,
                target=accounts[taker],
                points=points_for(demo_task.urgency, worked),
                memo=f"{demo_task.title}: {worked} h × {POINTS_PER_HOUR[demo_task.urgency]}",
                by=staff_id,
                at=times[TaskAction.CONFIRM],
                task_id=task_id,
            )
            entries += 1

    rewards = {}
    for name, price in STATION_REWARDS:
        rewards[name] = (
            await connection.execute(
                insert(Reward)
                .values(
                    district_id=district_id,
                    station_id=station_id,
                    name=name,
                    description="",
                    points_price=price,
                    created_by_id=staff_id,
                    created_at=until - timedelta(days=60),
                )
                .returning(Reward.id, Reward.points_price)
            )
        ).one()
    name, price = DISTRICT_REWARD
    await connection.execute(
        insert(Reward).values(
            district_id=district_id,
            name=name,
            description="区级积分兑换奖励",
            points_price=price,
            created_by_id=admin_id,
            created_at=until - timedelta(days=60),
        )
    )
    for position, (taker_index, reward_name, days) in enumerate(REDEMPTIONS):
        reward_id, price = rewards[reward_name]
        volunteer_id = volunteer_ids[taker_index]
        at = until + timedelta(days=days)
        entry_id = await _entry(
            connection,
            kind=EntryKind.REDEMPTION,
            station_id=station_id,
            source=accounts[volunteer_id],
            target=redeemed,
            points=price,
            memo=reward_name,
            by=volunteer_id,
            at=at,
        )
        entries += 1
        await connection.execute(
            insert(Redemption).values(
                volunteer_id=volunteer_id,
                reward_id=reward_id,
                entry_id=entry_id,
                points=price,
                idempotency_key=f"demo-{position + 1}",
                redeemed_by_id=volunteer_id,
                created_at=at,
            )
        )
    return {
        "volunteers": len(volunteer_ids),
        "tasks": len(DEMO_TASKS),
        "task_events": events,
        "ledger_entries": entries,
        "rewards": len(STATION_REWARDS) + 1,
        "redemptions": len(REDEMPTIONS),
    }
