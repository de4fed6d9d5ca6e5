"""Small helpers shared by the tests."""

from __future__ import annotations

import base64

from sqlalchemy import text


def global_id(type_name: str, identity: int | str) -> str:
    """The Relay global ID the API gives an object (base64 of "Type:id")."""
    return base64.b64encode(f"{type_name}:{identity}".encode()).decode()


async def scalar(api, sql: str, **params):
    async with api.engine.connect() as connection:
        return (await connection.execute(text(sql), params)).scalar()


async def execute(api, sql: str, **params) -> None:
    async with api.engine.begin() as connection:
        await connection.execute(text(sql), params)
