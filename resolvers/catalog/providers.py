"""Editing providers: the district departments and partner units, managed by administrators."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Self

from sqlalchemy.ext.asyncio import AsyncSession

from models import District, Provider, ProviderKind
from resolvers.access import MANAGERS, require_role
from resolvers.context import Context
from resolvers.editing import (
    ENTRY_CODE,
    MAX_DESCRIPTION_LENGTH,
    Fields,
    add_checked,
    change_checked,
    check_code,
    check_code_free,
    check_exists,
    present,
    row_to_change,
    strip,
)
from resolvers.errors import Checks


@dataclass(frozen=True)
class ProviderFields(Fields):
    code: str | None
    name: str | None
    short_name: str | None
    kind: ProviderKind | None
    description: str | None = ""
    phone: str | None = None
    address: str | None = None

    def normalized(self) -> Self:
        return replace(
            self,
            code=strip(self.code),
            name=strip(self.name),
            short_name=strip(self.short_name),
            description=self.description or "",
            phone=strip(self.phone) or None,
            address=strip(self.address) or None,
        )


async def check_provider(
    session: AsyncSession, f: ProviderFields, own_id: int | None, checks: Checks
) -> None:
    check_code(checks, "code", f.code, 32, ENTRY_CODE)
    checks.text("name", f.name, max_length=200)
    checks.text("short_name", f.short_name, max_length=60)
    present(checks, "kind", f.kind)
    checks.text("description", f.description, max_length=MAX_DESCRIPTION_LENGTH, required=False)
    checks.text("phone", f.phone, max_length=32, required=False)
    checks.text("address", f.address, max_length=300, required=False)
    await check_code_free(session, checks, Provider, f.code, own_id)


async def create_provider(ctx: Context, district_id: int, f: ProviderFields) -> Provider:
    require_role(ctx, *MANAGERS)
    f = f.normalized()
    async with ctx.transaction() as session:
        checks = Checks()
        await check_exists(session, checks, "district_id", District, district_id)
        return await add_checked(session, checks, Provider(district_id=district_id), f, check_provider)


async def update_provider(ctx: Context, provider_id: int, changes: dict[str, Any]) -> Provider:
    require_role(ctx, *MANAGERS)
    async with ctx.transaction() as session:
        provider = await row_to_change(session, Provider, provider_id, "provider_id")
        return await change_checked(session, provider, ProviderFields, check_provider, changes)
