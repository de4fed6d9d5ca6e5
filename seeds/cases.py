"""Demo cases, whistles and town supervision at the demo station (seeds.accounts), told as stories.

Each story is a list of steps taken in order, each checked against the lifecycle tables
(`CASE_LIFECYCLE`, `LIFECYCLE`) as the API would check it, and written as the row's
state and its history: cases handled on the spot, turned into an order, a demand or a
whistle, handed over, closed with the resident's satisfaction; whistles referred,
accepted and delivered; supervision (urging, escalating, extending, reassigning) by the
town's staff. Times count back from the end of the order history, so the newest stories
are live on the boards; deadlines come from the same time limits as the API's.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from models import (
    Case,
    CaseAction,
    CaseEvent,
    CaseKind,
    CaseStatus,
    Demand,
    Order,
    OrderAction,
    OrderEvent,
    OrderKind,
    OrderStatus,
    Provider,
    Role,
    Urgency,
    User,
)
from resolvers.cases.lifecycle import CASE_LIFECYCLE, TAKEN_ON
from resolvers.orders.deadlines import LOCAL_TIME, case_deadlines, deadlines
from resolvers.orders.lifecycle import LIFECYCLE
from seeds.accounts import PROVIDER, STATION, TOWN

RESIDENTS = [
    ("王阿姨", "13916020011"),
    ("李老伯", "13816020022"),
    ("陈先生", "13716020033"),
    ("张女士", "13616020044"),
]


@dataclass
class People:
    station: int  # the demo station's account (the first-inquiry owner of most stories)
    colleague: int  # another staff account of the demo station
    town: int  # the demo town's account
    provider: int  # the demo provider's account
    provider_id: int
    station_id: int
    departments: list[tuple[int, int]]  # other departments of the district and a staff account of each


@dataclass
class CaseStory:
    row: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)


async def insert_cases(connection: AsyncConnection, rng: random.Random, until: datetime) -> Counter[str]:
    """The demo station's cases and whistles with their histories; rows inserted per table."""
    people = await _people(connection)
    if people is None:
        return Counter()
    counts: Counter[str] = Counter()
    demand_id = await connection.scalar(
        select(Demand.id).where(Demand.station_id == people.station_id).order_by(Demand.id.desc()).limit(1)
    )
    order_id = await connection.scalar(
        select(Order.id)
        .where(Order.station_id == people.station_id, Order.kind == OrderKind.CATALOG)
        .order_by(Order.created_at.desc())
        .limit(1)
    )
    p = people
    dept, dept_staff = p.departments[0]
    other_dept, other_staff = p.departments[1]
    hours = timedelta(hours=1)

    # Consulted and settled on the spot, closed, the resident satisfied.
    story = _case(
        p, CaseKind.CONSULTATION, Urgency.ROUTINE, "咨询高龄津贴申请材料", until - 20 * 24 * hours, rng
    )
    case_step(
        story, CaseAction.HANDLE_ON_SPOT, p.station, Role.STATION_STAFF, until - 20 * 24 * hours + hours / 2
    )
    _close(story, p.station, until - 20 * 24 * hours + hours, "已当场告知所需材料及办理地点", 96)
    await _write_case(connection, story, counts)

    # Handed to a colleague, whistled to a department, delivered; closed and evaluated.
    received = until - 10 * 24 * hours
    story = _case(p, CaseKind.HELP, Urgency.KEY, "独居老人家中漏水无人处理", received, rng)
    case_step(
        story,
        CaseAction.HAND_OVER,
        p.station,
        Role.STATION_STAFF,
        received + hours,
        "交网格员跟进",
        owner=p.colleague,
    )
    whistle = _whistle(
        p,
        story,
        dept,
        "独居老人住房漏水，需要房管部门上门维修",
        Urgency.KEY,
        received + 2 * hours,
        p.colleague,
    )
    _order_step(
        whistle,
        OrderAction.ACCEPT,
        dept_staff,
        Role.PROVIDER_STAFF,
        received + 5 * hours,
        responsible=(dept_staff, "赵师傅", "13500001111"),
    )
    _order_step(
        whistle,
        OrderAction.SCHEDULE,
        dept_staff,
        Role.PROVIDER_STAFF,
        received + 6 * hours,
        scheduled=received + 24 * hours,
    )
    _order_step(whistle, OrderAction.START, dept_staff, Role.PROVIDER_STAFF, received + 24 * hours)
    _order_step(
        whistle, OrderAction.DELIVER, dept_staff, Role.PROVIDER_STAFF, received + 30 * hours, "已更换水管"
    )
    _order_step(whistle, OrderAction.CONFIRM_DELIVERY, p.colleague, Role.STATION_STAFF, received + 32 * hours)
    _order_step(
        whistle,
        OrderAction.EVALUATE,
        p.colleague,
        Role.STATION_STAFF,
        received + 33 * hours,
        rating=5,
        satisfaction=92,
    )
    case_step(story, CaseAction.WHISTLE, p.colleague, Role.STATION_STAFF, received + 2 * hours)
    _close(story, p.colleague, received + 33 * hours, "房管所已上门维修，已电话告知老人", 90)
    await _write_whistle_and_case(connection, whistle, story, counts)

    # An emergency whistled two days ago, referred to the right department, accepted; the town urges it.
    received = until - 2 * 24 * hours
    story = _case(p, CaseKind.COMPLAINT, Urgency.EMERGENCY, "小区河道漂浮垃圾发臭", received, rng)
    whistle = _whistle(
        p,
        story,
        p.provider_id,
        "河道漂浮垃圾，需清理并查明来源",
        Urgency.EMERGENCY,
        received + hours / 2,
        p.station,
    )
    _order_step(
        whistle,
        OrderAction.REFER,
        p.provider,
        Role.PROVIDER_STAFF,
        received + hours,
        "属水务部门职责",
        provider=other_dept,
    )
    _order_step(
        whistle,
        OrderAction.ACCEPT,
        other_staff,
        Role.PROVIDER_STAFF,
        received + 3 * hours / 2,
        responsible=(other_staff, "钱工", "13500002222"),
    )
    _order_step(
        whistle,
        OrderAction.URGE,
        p.town,
        Role.TOWN_STAFF,
        received + 20 * hours,
        "居民反映仍有异味，请加快清理",
    )
    case_step(story, CaseAction.WHISTLE, p.station, Role.STATION_STAFF, received + hours / 2)
    await _write_whistle_and_case(connection, whistle, story, counts)

    # A suggestion posted as the station's demand; a help request taken on as a catalog order.
    if demand_id is not None:
        received = until - 5 * 24 * hours
        story = _case(p, CaseKind.SUGGESTION, Urgency.ROUTINE, "建议增设老年助餐点", received, rng)
        case_step(
            story,
            CaseAction.TURN_INTO_DEMAND,
            p.station,
            Role.STATION_STAFF,
            received + hours,
            changes={"demand_id": demand_id},
        )
        await _write_case(connection, story, counts)
    if order_id is not None:
        received = until - 3 * 24 * hours
        story = _case(p, CaseKind.HELP, Urgency.ROUTINE, "为行动不便的老人预约上门服务", received, rng)
        case_step(
            story,
            CaseAction.TURN_INTO_ORDER,
            p.station,
            Role.STATION_STAFF,
            received + hours,
            changes={"order_id": order_id},
        )
        await _write_case(connection, story, counts)

    # Late and unanswered: the town urges, extends the answer deadline, and gives it to a colleague.
    received = until - 4 * 24 * hours
    story = _case(p, CaseKind.HELP, Urgency.KEY, "楼道堆物占用消防通道", received, rng)
    case_step(
        story, CaseAction.URGE, p.town, Role.TOWN_STAFF, received + 30 * hours, "已超过响应时限，请今日答复"
    )
    _extend(story, p.town, received + 31 * hours, until + 24 * hours, "需联合物业与消防共同处置")
    case_step(
        story,
        CaseAction.REASSIGN,
        p.town,
        Role.TOWN_STAFF,
        received + 32 * hours,
        "原承办人外出培训",
        owner=p.colleague,
    )
    await _write_case(connection, story, counts)

    # Handled on the spot but never closed: past its closing deadline, escalated to the district.
    received = until - 6 * 24 * hours
    story = _case(p, CaseKind.COMPLAINT, Urgency.KEY, "夜间施工噪音扰民", received, rng)
    case_step(
        story,
        CaseAction.HANDLE_ON_SPOT,
        p.station,
        Role.STATION_STAFF,
        received + hours,
        "已联系施工方暂停夜间作业",
    )
    case_step(
        story,
        CaseAction.ESCALATE,
        p.town,
        Role.TOWN_STAFF,
        received + 5 * 24 * hours,
        "反复投诉，需区城管协调",
        changes={"escalated_at": received + 5 * 24 * hours},
    )
    await _write_case(connection, story, counts)

    # Just received.
    story = _case(p, CaseKind.CONSULTATION, Urgency.ROUTINE, "咨询社区助老服务时间", until - hours, rng)
    await _write_case(connection, story, counts)
    return counts


async def _people(connection: AsyncConnection) -> People | None:
    """The demo accounts, a colleague at the demo station, and two other departments with a staff account each."""
    names = [STATION.username, TOWN.username, PROVIDER.username]
    accounts = dict(
        (await connection.execute(select(User.username, User.id).where(User.username.in_(names)))).all()
    )
    station_id = await connection.scalar(select(User.station_id).where(User.id == accounts[STATION.username]))
    provider_id = await connection.scalar(
        select(User.provider_id).where(User.id == accounts[PROVIDER.username])
    )
    colleague = await connection.scalar(
        select(User.id)
        .where(User.station_id == station_id, User.id != accounts[STATION.username])
        .order_by(User.id)
        .limit(1)
    )
    district = select(Provider.district_id).where(Provider.id == provider_id).scalar_subquery()
    departments = (
        await connection.execute(
            select(User.provider_id, func.min(User.id))
            .join(Provider, Provider.id == User.provider_id)
            .where(Provider.district_id == district, User.provider_id != provider_id)
            .group_by(User.provider_id)
            .order_by(User.provider_id)
            .limit(2)
        )
    ).all()
    if colleague is None or station_id is None or provider_id is None or len(departments) < 2:
        return None
    return People(
        station=accounts[STATION.username],
        colleague=colleague,
        town=accounts[TOWN.username],
        provider=accounts[PROVIDER.username],
        provider_id=provider_id,
        station_id=station_id,
        departments=[(provider, user) for provider, user in departments if provider is not None],
    )


def _case(
    p: People, kind: CaseKind, urgency: Urgency, subject: str, received: datetime, rng: random.Random
) -> CaseStory:
    name, phone = rng.choice(RESIDENTS)
    row = {
        "station_id": p.station_id,
        "kind": kind,
        "urgency": urgency,
        "status": CaseStatus.RECEIVED,
        "route": None,
        "subject": subject,
        "description": "",
        "resident_name": name,
        "resident_phone": phone,
        "received_by_id": p.station,
        "owner_id": p.station,
        "order_id": None,
        "demand_id": None,
        "version": 1,
        **asdict(case_deadlines(urgency, received)),
        "created_at": received,
        "updated_at": received,
    }
    story = CaseStory(row)
    story.events.append(
        _case_event(story, CaseAction.RECEIVE, None, p.station, Role.STATION_STAFF, received, "")
    )
    return story


def _case_event(
    story: CaseStory,
    action: CaseAction,
    from_status: CaseStatus | None,
    actor: int,
    role: Role,
    at: datetime,
    note: str,
) -> dict[str, Any]:
    row = story.row
    return {
        "action": action,
        "from_status": from_status,
        "to_status": row["status"],
        "actor_id": actor,
        "actor_role": role,
        "owner_id": row["owner_id"],
        "note": note,
        "occurred_at": at,
    }


def case_step(
    story: CaseStory,
    action: CaseAction,
    actor: int,
    role: Role,
    at: datetime,
    note: str = "",
    *,
    owner: int | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    """Take a step of the case as `CASE_LIFECYCLE` allows it, writing what the API's step writes."""
    row = story.row
    transition = CASE_LIFECYCLE[(row["status"], action)]
    assert role in transition.roles, (action, role)
    assert not transition.owner_only or actor == row["owner_id"], (action, actor)
    from_status = row["status"]
    if action in TAKEN_ON:
        row["route"], row["answered_at"] = TAKEN_ON[action][1], at
    if owner is not None:
        row["owner_id"] = owner
    row.update(changes or {})
    row["status"], row["updated_at"] = transition.to, at
    row["version"] += 1
    story.events.append(_case_event(story, action, from_status, actor, role, at, note))


def _close(story: CaseStory, actor: int, at: datetime, result: str, satisfaction: int) -> None:
    case_step(
        story,
        CaseAction.CLOSE,
        actor,
        Role.STATION_STAFF,
        at,
        result,
        changes={"result": result, "closed_at": at},
    )
    case_step(
        story,
        CaseAction.EVALUATE,
        actor,
        Role.STATION_STAFF,
        at + timedelta(days=1),
        changes={"satisfaction": satisfaction},
    )


def _extend(story: CaseStory, actor: int, at: datetime, due: datetime, reason: str) -> None:
    note = f"ANSWER → {due.astimezone(LOCAL_TIME).isoformat()}: {reason}"
    # The alert keeps its distance before the deadline, as `AlertedRule.extended` moves it.
    alert = story.row["answer_alert_at"] + (due - story.row["answer_due_at"])
    changes = {"answer_due_at": due, "answer_alert_at": alert}
    case_step(story, CaseAction.EXTEND_DEADLINE, actor, Role.TOWN_STAFF, at, note, changes=changes)


@dataclass
class WhistleStory:
    row: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)


def _whistle(
    p: People, case: CaseStory, provider_id: int, matter: str, urgency: Urgency, at: datetime, by: int
) -> WhistleStory:
    day = at.astimezone(LOCAL_TIME).date()
    due = deadlines(None, urgency, at, day)
    row = {
        "kind": OrderKind.WHISTLE,
        "matter": matter,
        "station_id": p.station_id,
        "provider_id": provider_id,
        "placed_by_id": by,
        "idempotency_key": f"seed-whistle-{at.isoformat()}",
        "quantity": 1,
        "requested_start": day,
        "requested_end": due.delivery_due_at.astimezone(LOCAL_TIME).date(),
        "notes": "",
        "urgency": urgency,
        "resident_name": case.row["resident_name"],
        "resident_phone": case.row["resident_phone"],
        **due.submitted(at),
    }
    story = WhistleStory(row)
    story.events.append(_order_event(row, OrderAction.PLACE, None, by, Role.STATION_STAFF, at, matter))
    return story


def _order_event(
    row: dict[str, Any],
    action: OrderAction,
    from_status: OrderStatus | None,
    actor: int,
    role: Role,
    at: datetime,
    note: str,
) -> dict[str, Any]:
    return {
        "action": action,
        "from_status": from_status,
        "to_status": row["status"],
        "actor_id": actor,
        "actor_role": role,
        "note": note,
        "occurred_at": at,
    }


def _order_step(
    story: WhistleStory,
    action: OrderAction,
    actor: int,
    role: Role,
    at: datetime,
    note: str = "",
    **changes: Any,
) -> None:
    """Take a step of the whistle as `LIFECYCLE` allows it, writing what the API's step writes."""
    row = story.row
    transition = LIFECYCLE[(row["status"], action)]
    assert role in transition.roles and OrderKind.WHISTLE in transition.kinds, (action, role)
    written = {
        OrderAction.ACCEPT: lambda: {"responded_at": at},
        OrderAction.DELIVER: lambda: {"delivered_at": at},
        OrderAction.EVALUATE: lambda: {"evaluated_at": at},
    }.get(action, dict)()
    if "responsible" in changes:
        user, name, phone = changes.pop("responsible")
        written.update(responsible_user_id=user, responsible_name=name, responsible_phone=phone)
    if "scheduled" in changes:
        written["scheduled_at"] = changes.pop("scheduled")
    if "provider" in changes:
        written["provider_id"] = changes.pop("provider")
    written.update(changes)
    from_status = row["status"]
    row.update(written)
    row["status"], row["updated_at"] = transition.to, at
    row["version"] += 1
    story.events.append(_order_event(row, action, from_status, actor, role, at, note))


async def _write_case(connection: AsyncConnection, story: CaseStory, counts: Counter[str]) -> None:
    case_id = await connection.scalar(insert(Case).values(**story.row).returning(Case.id))
    await connection.execute(insert(CaseEvent), [{"case_id": case_id, **event} for event in story.events])
    counts.update({"cases": 1, "case_events": len(story.events)})


async def _write_whistle_and_case(
    connection: AsyncConnection, whistle: WhistleStory, case: CaseStory, counts: Counter[str]
) -> None:
    order_id = await connection.scalar(insert(Order).values(**whistle.row).returning(Order.id))
    await connection.execute(
        insert(OrderEvent), [{"order_id": order_id, **event} for event in whistle.events]
    )
    counts.update({"orders": 1, "order_events": len(whistle.events)})
    case.row["order_id"] = order_id
    await _write_case(connection, case, counts)
