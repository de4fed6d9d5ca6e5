"""A small, written-out history of orders, demands and hearings that the statistics, ranking and
export tests compute their expected figures from by hand.

All in March and April 2024 (Asia/Shanghai), long past, so every deadline has been judged:

| # | station | provider | placed (local) | status    | answered | delivered | rating | satisfaction |
|---|---------|----------|----------------|-----------|----------|-----------|--------|--------------|
| 1 | S1      | P1       | 03-02 09:00    | EVALUATED | +2 h     | +48 h     | 5      | 90           |
| 2 | S1      | P1       | 03-03 09:00    | EVALUATED | +30 h    | +400 h    | 3      | 70           |
| 3 | S1      | P1       | 03-10 09:00    | COMPLETED | +4 h     | +100 h    |        |              |
| 4 | S2      | P1       | 03-11 09:00    | DECLINED  | +1 h     |           |        |              |
| 5 | S2      | P2       | 03-20 09:00    | SUBMITTED |          |           |        |              |
| 6 | S3      | P2       | 04-02 09:00    | EVALUATED | +10 h    | +200 h    | 4      | 80           |
| 7 | S3      | P2       | 04-05 09:00    | CANCELLED |          |           |        |              |

Every order is ROUTINE: the answer is due 24 h after placement, delivery 360 h after.
S1 is the demo `station` and S2 another station of the demo `town` (T1); S3 is a station of
another town (T2). P1 is the demo `provider` (区民政局), P2 another provider.
Demands: S1 posts three in March (two RESOLVED, one OPEN), S3 one in April (CLOSED).
Hearings: S1 approves a service of P1 (15 attending, 10/2/1), S2 rejects one of P2 (12, 3/8/0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

SHANGHAI = ZoneInfo("Asia/Shanghai")
RANGE = {"from": "2024-03-01", "to": "2024-04-30"}

ORDERS = [
    # (station, provider, placed (month, day), status, answered after h, delivered after h, rating, sat)
    ("S1", "P1", (3, 2), "EVALUATED", 2, 48, 5, 90),
    ("S1", "P1", (3, 3), "EVALUATED", 30, 400, 3, 70),
    ("S1", "P1", (3, 10), "COMPLETED", 4, 100, None, None),
    ("S2", "P1", (3, 11), "DECLINED", 1, None, None, None),
    ("S2", "P2", (3, 20), "SUBMITTED", None, None, None, None),
    ("S3", "P2", (4, 2), "EVALUATED", 10, 200, 4, 80),
    ("S3", "P2", (4, 5), "CANCELLED", None, None, None, None),
]
DEMANDS = [
    ("S1", (3, 4), "RESOLVED"),
    ("S1", (3, 5), "RESOLVED"),
    ("S1", (3, 6), "OPEN"),
    ("S3", (4, 7), "CLOSED"),
]


@dataclass(frozen=True)
class Ids:
    stations: dict[str, int]
    towns: dict[str, int]
    providers: dict[str, int]
    services: dict[str, int]
    district: int
    orders: list[int]


def placed(month: int, day: int) -> datetime:
    return datetime(2024, month, day, 9, 0, tzinfo=SHANGHAI)


async def _one(connection, sql: str, **params):
    return (await connection.execute(text(sql), params)).scalar_one()


async def insert_order(
    connection,
    *,
    station_id: int,
    provider_id: int,
    service_id: int,
    user_id: int,
    key: str,
    at: datetime,
    status: str,
    answered: int | None,
    delivered: int | None,
    rating: int | None,
    satisfaction: int | None,
) -> int:
    """A ROUTINE order placed `at`, answered and delivered that many hours after (None: not)."""
    accepted = answered is not None and status != "DECLINED"
    row = {
        "station_id": station_id,
        "provider_id": provider_id,
        "service_id": service_id,
        "placed_by_id": user_id,
        "key": key,
        "start": at.date(),
        "status": status,
        "response_due_at": at + timedelta(hours=24),
        "delivery_due_at": at + timedelta(hours=360),
        "responsible": "张建国" if accepted else None,
        "phone": "13800138000" if accepted else None,
        "responded_at": at + timedelta(hours=answered) if answered is not None else None,
        "delivered_at": at + timedelta(hours=delivered) if delivered is not None else None,
        "rating": rating,
        "satisfaction": satisfaction,
        "evaluated_at": at + timedelta(hours=500) if rating is not None else None,
        "created_at": at,
    }
    return await _one(
        connection,
        """INSERT INTO orders (station_id, provider_id, service_id, placed_by_id, idempotency_key,
            quantity, requested_start, requested_end, notes, urgency, status, version,
            response_due_at, delivery_due_at, response_alert_at, delivery_alert_at,
            responsible_name, responsible_phone, responded_at, delivered_at, rating, satisfaction,
            evaluated_at, created_at, updated_at)
        VALUES (:station_id, :provider_id, :service_id, :placed_by_id, :key, 1, :start, :start, '',
            'ROUTINE', :status, 1, :response_due_at, :delivery_due_at, :response_due_at,
            :delivery_due_at, :responsible, :phone, :responded_at, :delivered_at, :rating, :satisfaction,
            :evaluated_at, :created_at, :created_at)
        RETURNING id""",
        **row,
    )


async def load_history(engine: AsyncEngine) -> Ids:
    async with engine.begin() as connection:
        s1 = await _one(connection, "SELECT station_id FROM users WHERE username = 'station'")
        t1 = await _one(connection, "SELECT town_id FROM users WHERE username = 'town'")
        p1 = await _one(connection, "SELECT provider_id FROM users WHERE username = 'provider'")
        station_user = await _one(connection, "SELECT id FROM users WHERE username = 'station'")
        s2 = await _one(
            connection, "SELECT min(id) FROM stations WHERE town_id = :t AND id <> :s", t=t1, s=s1
        )
        t2 = await _one(connection, "SELECT min(id) FROM towns WHERE id <> :t", t=t1)
        s3 = await _one(connection, "SELECT min(id) FROM stations WHERE town_id = :t", t=t2)
        district = await _one(connection, "SELECT district_id FROM towns WHERE id = :t", t=t1)
        svc1 = await _one(
            connection, "SELECT min(id) FROM services WHERE provider_id = :p AND status = 'PUBLISHED'", p=p1
        )
        svc2, p2 = (
            await connection.execute(
                text(
                    "SELECT id, provider_id FROM services WHERE provider_id <> :p AND status = 'PUBLISHED'"
                    " ORDER BY id LIMIT 1"
                ),
                {"p": p1},
            )
        ).one()
        category = await _one(connection, "SELECT category_id FROM services WHERE id = :s", s=svc1)
        stations = {"S1": s1, "S2": s2, "S3": s3}
        providers = {"P1": p1, "P2": p2}
        services = {"P1": svc1, "P2": svc2}
        order_ids = []
        for number, (station, provider, (month, day), status, answered, delivered, rating, sat) in enumerate(
            ORDERS
        ):
            order_ids.append(
                await insert_order(
                    connection,
                    station_id=stations[station],
                    provider_id=providers[provider],
                    service_id=services[provider],
                    user_id=station_user,
                    key=f"statistics-{number}",
                    at=placed(month, day),
                    status=status,
                    answered=answered,
                    delivered=delivered,
                    rating=rating,
                    satisfaction=sat,
                )
            )
        for station, (month, day), status in DEMANDS:
            await connection.execute(
                text(
                    """INSERT INTO demands (station_id, category_id, title, description, audiences,
                        beneficiaries, urgency, status, posted_at, created_at, updated_at)
                    VALUES (:station, :category, '老人助餐', '', '{ELDERLY}', 20, 'ROUTINE', :status, :at, :at, :at)"""
                ),
                {
                    "station": stations[station],
                    "category": category,
                    "status": status,
                    "at": placed(month, day),
                },
            )
        for station, provider, (month, day), decision, attendees, votes in (
            ("S1", "P1", (3, 1), "APPROVED", 15, (10, 2, 1)),
            ("S2", "P2", (3, 15), "REJECTED", 12, (3, 8, 0)),
        ):
            await connection.execute(
                text(
                    """INSERT INTO meetings (kind, station_id, provider_id, service_id, held_at, attendees,
                        votes_for, votes_against, votes_abstaining, decision, orders_authorized, minutes,
                        recorded_by_id, created_at, updated_at)
                    VALUES ('HEARING', :station, :provider, :service, :at, :attendees, :for, :against,
                        :abstaining, :decision, :authorized, '居民听证', :user, :at, :at)"""
                ),
                {
                    "station": stations[station],
                    "provider": providers[provider],
                    "service": services[provider],
                    "at": placed(month, day),
                    "attendees": attendees,
                    "for": votes[0],
                    "against": votes[1],
                    "abstaining": votes[2],
                    "authorized": 1 if decision == "APPROVED" else None,
                    "decision": decision,
                    "user": station_user,
                },
            )
    return Ids(
        stations=stations,
        towns={"T1": t1, "T2": t2},
        providers=providers,
        services=services,
        district=district,
        orders=order_ids,
    )
