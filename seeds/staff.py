"""A staff account for every town, station and provider of the demo: one documented password pattern.

Username: the unit's code in lower case (town `310115001`, station `310115001001`,
provider `310115-dep-01`); password: `doorstep-staff` for all of them (README, "Demo
data"). The password is hashed once with the production argon2 parameters and the one
hash is stored for every account: thousands of accounts at ~0.25 s a hash would take
minutes, and weaker demo-only parameters would make the demo lie about sign-in cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from models import Provider, Role, Station, Town, User
from seeds.accounts import PROVIDER, STATION
from seeds.bulk import copy_rows, move_sequence_past_rows, next_id

STAFF_PASSWORD = "doorstep-staff"
STAFF_DISPLAY_SUFFIX = "工作人员"

USER_COLUMNS = (
    "id",
    "username",
    "display_name",
    "password_hash",
    "role",
    "town_id",
    "station_id",
    "provider_id",
    "is_active",
)


def staff_username(code: str) -> str:
    """The sign-in name of a town's, station's or provider's staff account."""
    return code.lower()


@dataclass
class Staff:
    """Who acts for each station and provider in the order history: their accounts' ids."""

    stations: dict[int, list[int]] = field(default_factory=dict)
    providers: dict[int, list[int]] = field(default_factory=dict)
    # The units of the demo `station` and `provider` accounts: the showcase of the demo.
    demo_units: set[tuple[str, int]] = field(default_factory=set)


async def insert_staff_accounts(connection: AsyncConnection, password_hash: str) -> tuple[int, Staff]:
    """One STAFF account per town, station and provider, all with `password_hash` (of
    STAFF_PASSWORD); return how many and who acts for whom."""
    units = [
        *[
            (Role.TOWN_STAFF, code, name, {"town_id": id})
            for id, code, name in await connection.execute(select(Town.id, Town.code, Town.name))
        ],
        *[
            (Role.STATION_STAFF, code, name, {"station_id": id})
            for id, code, name in await connection.execute(select(Station.id, Station.code, Station.name))
        ],
        *[
            (Role.PROVIDER_STAFF, code, name, {"provider_id": id})
            for id, code, name in await connection.execute(
                select(Provider.id, Provider.code, Provider.short_name)
            )
        ],
    ]
    units.sort(key=lambda unit: (unit[0].name, unit[1]))
    first = await next_id(connection, User.__table__)
    rows = []
    staff = Staff()
    for user_id, (role, code, name, scope) in enumerate(units, start=first):
        rows.append(
            (
                user_id,
                staff_username(code),
                f"{name}{STAFF_DISPLAY_SUFFIX}"[:100],
                password_hash,
                role.name,
                scope.get("town_id"),
                scope.get("station_id"),
                scope.get("provider_id"),
                True,
            )
        )
        if "station_id" in scope:
            staff.stations[scope["station_id"]] = [user_id]
        if "provider_id" in scope:
            staff.providers[scope["provider_id"]] = [user_id]
    await copy_rows(connection, User.__table__, USER_COLUMNS, rows)
    await move_sequence_past_rows(connection, User.__table__)
    # The demo `station` and `provider` accounts work beside the staff of their units.
    demo = select(User.id, User.station_id, User.provider_id).where(
        User.username.in_([STATION.username, PROVIDER.username])
    )
    for user_id, station_id, provider_id in await connection.execute(demo):
        if station_id is not None:
            staff.stations[station_id].append(user_id)
            staff.demo_units.add(("station", station_id))
        if provider_id is not None:
            staff.providers[provider_id].append(user_id)
            staff.demo_units.add(("provider", provider_id))
    return len(rows), staff
