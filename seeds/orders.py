"""Demo orders of the demo station to 区民政局, in every state of the lifecycle, with their history.

So that `make run` shows station screens and department consoles something to work
on: the demo `station` and `provider` accounts see these orders and can act on them.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from models import (
    Order,
    OrderAction,
    OrderEvent,
    OrderStatus,
    PublicationStatus,
    Role,
    Service,
    Urgency,
    User,
)
from resolvers.orders.deadlines import LOCAL_TIME, deadlines
from seeds.accounts import PROVIDER, STATION

DEMO_ORDERS = 40
# Orders are placed over the weeks before this moment; the newest still await an answer.
PLACED_BEFORE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

# The lifecycle the demo orders follow, as (action, the account that takes it, the status reached).
PATH = [
    (OrderAction.ACCEPT, PROVIDER, OrderStatus.ACCEPTED),
    (OrderAction.SCHEDULE, PROVIDER, OrderStatus.SCHEDULED),
    (OrderAction.START, PROVIDER, OrderStatus.IN_PROGRESS),
    (OrderAction.DELIVER, PROVIDER, OrderStatus.DELIVERED),
    (OrderAction.CONFIRM_DELIVERY, STATION, OrderStatus.COMPLETED),
    (OrderAction.EVALUATE, STATION, OrderStatus.EVALUATED),
]
ENDINGS = [status for _, _, status in PATH] + [
    OrderStatus.SUBMITTED,
    OrderStatus.DECLINED,
    OrderStatus.CANCELLED,
]
NOTES = [
    "请安排社工上门",
    "老人行动不便，需上门服务",
    "居民集中办理，请提前联系",
    "请携带相关材料",
    "周末优先",
]
RESIDENTS = [("王阿姨", "13800001111"), ("李大爷", "13900002222"), ("张奶奶", "13700003333")]
RESPONSIBLE = ("陈建华", "021-58880001")


async def insert_demo_orders(connection: AsyncConnection, rng: random.Random) -> int:
    """Insert the demo orders and their events; return how many orders."""
    accounts = select(User.username, User.id).where(User.username.in_([STATION.username, PROVIDER.username]))
    users = dict((await connection.execute(accounts)).all())
    station_id = await connection.scalar(select(User.station_id).where(User.username == STATION.username))
    provider_id = await connection.scalar(select(User.provider_id).where(User.username == PROVIDER.username))
    services = (
        await connection.execute(
            select(Service.id, Service.lead_time_days)
            .where(
                Service.provider_id == provider_id,
                Service.status == PublicationStatus.PUBLISHED,
                # Seeded orders bypass the capacity check, so they keep to unlimited services.
                Service.capacity_per_period.is_(None),
            )
            .order_by(Service.id)
        )
    ).all()
    actors = {
        STATION: (users[STATION.username], Role.STATION_STAFF),
        PROVIDER: (users[PROVIDER.username], Role.PROVIDER_STAFF),
    }
    # Never added to a session: a service with the default time limits, as the seeded ones have.
    default_limits = Service()
    order_rows, histories = [], []
    for number in range(DEMO_ORDERS):
        service_id, lead_time = services[number % len(services)]
        ending = ENDINGS[number % len(ENDINGS)]
        urgency = rng.choice([Urgency.ROUTINE, Urgency.ROUTINE, Urgency.KEY, Urgency.EMERGENCY])
        placed_at = PLACED_BEFORE - timedelta(hours=rng.randint(1, 24 * 40))
        start = (placed_at.astimezone(LOCAL_TIME) + timedelta(days=lead_time + rng.randint(1, 10))).date()
        due = deadlines(default_limits, urgency, placed_at, start)
        resident = rng.choice(RESIDENTS) if rng.random() < 0.3 else (None, None)
        steps = [(OrderAction.PLACE, STATION, OrderStatus.SUBMITTED)]
        if ending is OrderStatus.DECLINED:
            steps.append((OrderAction.DECLINE, PROVIDER, ending))
        elif ending is OrderStatus.CANCELLED:
            steps.append((OrderAction.CANCEL, STATION, ending))
        elif ending is not OrderStatus.SUBMITTED:
            steps += PATH[: [status for _, _, status in PATH].index(ending) + 1]
        moments = [placed_at]
        for _ in steps[1:]:
            moments.append(moments[-1] + timedelta(hours=rng.randint(1, 30)))
        accepted = any(action is OrderAction.ACCEPT for action, _, _ in steps)
        order_rows.append(
            {
                "station_id": station_id,
                "provider_id": provider_id,
                "service_id": service_id,
                "placed_by_id": users["station"],
                "idempotency_key": f"demo-{number:03d}",
                "quantity": rng.randint(1, 3),
                "requested_start": start,
                "requested_end": start + timedelta(days=rng.randint(0, 7)),
                "notes": rng.choice(NOTES),
                "urgency": urgency,
                "status": ending,
                "version": len(steps),
                "response_due_at": due.response_due_at,
                "delivery_due_at": due.delivery_due_at,
                "response_alert_at": due.response_alert_at,
                "delivery_alert_at": due.delivery_alert_at,
                "resident_name": resident[0],
                "resident_phone": resident[1],
                "responsible_name": RESPONSIBLE[0] if accepted else None,
                "responsible_phone": RESPONSIBLE[1] if accepted else None,
                "decline_reason": "本月服务名额已满" if ending is OrderStatus.DECLINED else None,
                "cancellation_reason": "居民已自行解决" if ending is OrderStatus.CANCELLED else None,
                "scheduled_at": datetime.combine(start, time(10), LOCAL_TIME)
                if len(steps) > 2 and accepted
                else None,
                "rating": rng.randint(3, 5) if ending is OrderStatus.EVALUATED else None,
                "satisfaction": rng.randint(75, 100) if ending is OrderStatus.EVALUATED else None,
                "evaluation_comment": "服务及时，居民满意" if ending is OrderStatus.EVALUATED else None,
                "evaluated_at": moments[-1] if ending is OrderStatus.EVALUATED else None,
                "created_at": placed_at,
                "updated_at": moments[-1],
            }
        )
        histories.append(list(zip(steps, moments, strict=True)))
    order_ids = (
        (
            await connection.execute(
                insert(Order.__table__).returning(Order.id, sort_by_parameter_order=True), order_rows
            )
        )
        .scalars()
        .all()
    )
    events: list[dict] = []
    for order_id, history in zip(order_ids, histories, strict=True):
        previous = None
        for (action, account, status), moment in history:
            actor_id, actor_role = actors[account]
            events.append(
                {
                    "order_id": order_id,
                    "action": action,
                    "from_status": previous,
                    "to_status": status,
                    "actor_id": actor_id,
                    "actor_role": actor_role,
                    "note": "",
                    "occurred_at": moment,
                }
            )
            previous = status
    # In time order, so that event ids (the subscription cursors) follow the story.
    events.sort(key=lambda event: event["occurred_at"])
    await connection.execute(insert(OrderEvent.__table__), events)
    return len(order_rows)
