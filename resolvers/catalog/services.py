"""Editing services: their own fields and checks; the steps they share with resources and projects
are `resolvers.editing`'s."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Self

from sqlalchemy.ext.asyncio import AsyncSession

from models import DeliveryMode, PublicationStatus, Service
from resolvers.context import Context
from resolvers.editing import (
    OrderableFields,
    change_status,
    check_choices,
    check_entry,
    check_orderable,
    create_entry,
    present,
    unique,
    update_entry,
)
from resolvers.errors import Checks, ErrorCode

MAX_LEAD_TIME_DAYS = 365


@dataclass(frozen=True, kw_only=True)
class ServiceFields(OrderableFields):
    delivery_modes: list[DeliveryMode] | None
    consultable_on_spot: bool | None = False
    completable_on_spot: bool | None = False
    lead_time_days: int | None = 0

    def normalized(self) -> Self:
        return replace(super().normalized(), delivery_modes=unique(self.delivery_modes))


async def check_service(session: AsyncSession, f: ServiceFields, own_id: int | None, checks: Checks) -> None:
    await check_entry(session, checks, Service, f, own_id)
    check_choices(checks, "delivery_modes", f.delivery_modes)
    present(checks, "consultable_on_spot", f.consultable_on_spot)
    present(checks, "completable_on_spot", f.completable_on_spot)
    check_orderable(checks, f)
    if present(checks, "lead_time_days", f.lead_time_days):
        checks.between("lead_time_days", f.lead_time_days, 0, MAX_LEAD_TIME_DAYS)
    if f.completable_on_spot:
        # Handled to completion on the spot (当场办结): at the station, at once, and so consultable there.
        if not f.consultable_on_spot:
            checks.fail(
                "consultable_on_spot",
                ErrorCode.INVALID,
                "A service completed on the spot is consulted there too.",
            )
        if f.lead_time_days:
            checks.fail(
                "lead_time_days", ErrorCode.INVALID, "A service completed on the spot needs no lead time."
            )
        if f.delivery_modes and DeliveryMode.AT_STATION not in f.delivery_modes:
            checks.fail(
                "delivery_modes",
                ErrorCode.INVALID,
                "A service completed on the spot is delivered AT_STATION.",
            )


async def create_service(ctx: Context, f: ServiceFields, provider_id: int | None = None) -> Service:
    return await create_entry(ctx, Service, f, check_service, provider_id)


async def update_service(ctx: Context, service_id: int, changes: dict[str, Any]) -> Service:
    return await update_entry(ctx, Service, ServiceFields, check_service, service_id, changes)


async def set_service_status(ctx: Context, service_id: int, status: PublicationStatus) -> Service:
    return await change_status(ctx, Service, service_id, status, "service_id")
