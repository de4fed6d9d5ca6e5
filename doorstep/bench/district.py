"""The cast of the live and write benchmarks: station and provider accounts, what they order, the calls.

The benchmarks run on any doorstep database holding a district (the demo one will do):
`prepare` makes (or refreshes) `bench-station-NN` accounts for stations of one district
and `bench-provider-NN` accounts for the providers of the services they order, signs
them in over HTTP, and picks those services: unlimited ones, and one with a capacity
for the write benchmark's capacity invariant.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from doorstep.bench.client import BenchError
from models import PublicationStatus, Role, Service, Station, Town, User
from resolvers.accounts import hash_password

PASSWORD = "doorstep-bench-password"
LOGIN = "mutation($input: LoginInput!) { login(input: $input) { token userErrors { code message } } }"
PLACE = """mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
    order { id status requestedStart } userErrors { code message } } }"""
# The happy path of an order after its placement: (action, mutation, who takes it, extra input).
STEPS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("ACCEPT", "acceptOrder", "provider", {"responsibleName": "张建国", "responsiblePhone": "13800138000"}),
    ("SCHEDULE", "scheduleOrder", "provider", {}),
    ("START", "startOrder", "provider", {}),
    ("DELIVER", "deliverOrder", "provider", {"note": "已上门服务"}),
    ("CONFIRM_DELIVERY", "confirmDelivery", "station", {}),
    ("EVALUATE", "evaluateOrder", "station", {"rating": 5, "satisfaction": 90}),
]


@dataclass(frozen=True)
class Account:
    username: str
    scope_id: int
    """The station's or the provider's database id."""
    scope_global_id: str
    token: str = ""


@dataclass(frozen=True)
class Orderable:
    service_id: str
    """Its global ID."""
    provider_id: int
    lead_time_days: int
    capacity: int | None


@dataclass
class District:
    stations: list[Account]
    providers: dict[int, Account]
    """By provider id."""
    unlimited: list[Orderable]
    limited: Orderable | None
    http: httpx.AsyncClient = field(repr=False)

    async def call(self, query: str, variables: dict, token: str) -> dict:
        response = await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise BenchError(f"{query.split('(')[0]} answered {response.status_code}: {body}")
        data: dict = next(iter(body["data"].values()))
        return data

    async def place(self, station: Account, orderable: Orderable, key: str | None = None) -> dict:
        start = date.today() + timedelta(days=orderable.lead_time_days + 2)
        payload = await self.call(
            PLACE,
            {
                "input": {
                    "idempotencyKey": key or str(uuid.uuid4()),
                    "serviceId": orderable.service_id,
                    "quantity": 1,
                    "requestedStart": start.isoformat(),
                    "requestedEnd": (start + timedelta(days=5)).isoformat(),
                    "urgency": "ROUTINE",
                }
            },
            station.token,
        )
        return payload

    async def step(self, index: int, order: dict, station: Account, provider: Account) -> dict:
        action, name, side, extra = STEPS[index]
        values = {"orderId": order["id"], **extra}
        if action == "SCHEDULE":
            values["scheduledAt"] = f"{order['requestedStart']}T10:00:00+08:00"
        input_type = name[0].upper() + name[1:] + "Input"
        query = f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ order {{ id status }} userErrors {{ code message }} }} }}"
        return await self.call(query, {"input": values}, (provider if side == "provider" else station).token)


def global_id(type_name: str, identity: int) -> str:
    return base64.b64encode(f"{type_name}:{identity}".encode()).decode()


async def prepare(engine: AsyncEngine, http: httpx.AsyncClient, stations: int, providers: int) -> District:
    """Accounts for `stations` stations and the providers of up to `providers` unlimited services."""
    async with engine.begin() as connection:
        services = (
            await connection.execute(
                select(Service.id, Service.provider_id, Service.lead_time_days, Service.capacity_per_period)
                .where(Service.status == PublicationStatus.PUBLISHED)
                .order_by(Service.id)
            )
        ).all()
        unlimited: dict[int, Orderable] = {}
        limited: Orderable | None = None
        for service_id, provider_id, lead_time, capacity in services:
            orderable = Orderable(global_id("Service", service_id), provider_id, lead_time, capacity)
            if capacity is None and provider_id not in unlimited and len(unlimited) < providers:
                unlimited[provider_id] = orderable
            elif capacity is not None and limited is None and capacity >= 5:
                limited = orderable
        if not unlimited:
            raise BenchError("the database has no published service without a capacity: seed it first")
        district = await connection.scalar(
            text("SELECT district_id FROM providers WHERE id = :id"), {"id": next(iter(unlimited))}
        )
        station_ids = (
            await connection.scalars(
                select(Station.id)
                .join(Town, Town.id == Station.town_id)
                .where(Town.district_id == district)
                .order_by(Station.id)
                .limit(stations)
            )
        ).all()
        if len(station_ids) < stations:
            raise BenchError(f"the district has {len(station_ids)} stations, fewer than {stations}")
        provider_ids = sorted({*unlimited, *([limited.provider_id] if limited else [])})
        password_hash = hash_password(PASSWORD)
        rows: list[dict[str, Any]] = [
            {"username": f"bench-station-{n:02}", "role": Role.STATION_STAFF, "station_id": station_id}
            for n, station_id in enumerate(station_ids, 1)
        ] + [
            {"username": f"bench-provider-{n:02}", "role": Role.PROVIDER_STAFF, "provider_id": provider_id}
            for n, provider_id in enumerate(provider_ids, 1)
        ]
        for row in rows:
            values = {
                "display_name": row["username"],
                "password_hash": password_hash,
                "is_active": True,
                "station_id": row.get("station_id"),
                "provider_id": row.get("provider_id"),
                "role": row["role"],
            }
            await connection.execute(
                insert(User)
                .values(username=row["username"], **values)
                .on_conflict_do_update(index_elements=[User.username], set_=values)
            )
    accounts = [
        Account(
            row["username"],
            row.get("station_id") or row["provider_id"],
            global_id("Station", row["station_id"])
            if "station_id" in row
            else global_id("Provider", row["provider_id"]),
            await _sign_in(http, row["username"]),
        )
        for row in rows
    ]
    return District(
        stations=accounts[:stations],
        providers={account.scope_id: account for account in accounts[stations:]},
        unlimited=list(unlimited.values()),
        limited=limited,
        http=http,
    )


async def _sign_in(http: httpx.AsyncClient, username: str) -> str:
    response = await http.post(
        "/graphql",
        json={"query": LOGIN, "variables": {"input": {"username": username, "password": PASSWORD}}},
    )
    login = response.json()["data"]["login"]
    if login["userErrors"]:
        raise BenchError(f"{username} could not sign in: {login['userErrors']}")
    token: str = login["token"]
    return token
