"""One demo account per role, documented in the README."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from models import Provider, Role, Station, StationKind, Town, User
from resolvers.accounts import hash_password


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    display_name: str
    role: Role


ADMIN = DemoAccount("admin", "doorstep-admin", "区管理员", Role.ADMIN)
TOWN = DemoAccount("town", "doorstep-town", "潍坊新村街道工作人员", Role.TOWN_STAFF)
STATION = DemoAccount("station", "doorstep-station", "服务站工作人员", Role.STATION_STAFF)
PROVIDER = DemoAccount("provider", "doorstep-provider", "区民政局工作人员", Role.PROVIDER_STAFF)
DEMO_ACCOUNTS = (ADMIN, TOWN, STATION, PROVIDER)

DEMO_PROVIDER_SHORT_NAME = "区民政局"


async def hash_passwords(passwords: Iterable[str]) -> dict[str, str]:
    """Hash each password once, in threads side by side (argon2 releases the GIL): a few of
    these at ~0.25 s each would otherwise add a second to every demo load."""
    unique = list(dict.fromkeys(passwords))
    hashes = await asyncio.gather(*(asyncio.to_thread(hash_password, password) for password in unique))
    return dict(zip(unique, hashes, strict=True))


async def insert_demo_accounts(connection: AsyncConnection, hashes: dict[str, str]) -> int:
    """The demo accounts work in the first town, its first residential station and 区民政局."""
    town_id = await connection.scalar(select(Town.id).order_by(Town.id).limit(1))
    station_id = await connection.scalar(
        select(Station.id)
        .where(Station.town_id == town_id, Station.kind != StationKind.SERVICE_CENTER)
        .order_by(Station.id)
        .limit(1)
    )
    provider_id = await connection.scalar(
        select(Provider.id)
        .where(Provider.short_name == DEMO_PROVIDER_SHORT_NAME)
        .order_by(Provider.id)
        .limit(1)
    )
    scopes = {
        Role.ADMIN: {},
        Role.TOWN_STAFF: {"town_id": town_id},
        Role.STATION_STAFF: {"station_id": station_id},
        Role.PROVIDER_STAFF: {"provider_id": provider_id},
    }
    rows = [
        {
            "username": account.username,
            "password_hash": hashes[account.password],
            "display_name": account.display_name,
            "role": account.role,
            "town_id": None,
            "station_id": None,
            "provider_id": None,
            "is_active": True,
            **scopes[account.role],
        }
        for account in DEMO_ACCOUNTS
    ]
    await connection.execute(insert(User.__table__), rows)
    return len(rows)
