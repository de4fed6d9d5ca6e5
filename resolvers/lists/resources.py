"""Managing resources: their fields and checks; created, changed and published with the editing kit."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Self

from sqlalchemy.ext.asyncio import AsyncSession

from models import Availability, PublicationStatus, Resource, ResourceKind
from resolvers.context import Context
from resolvers.editing import (
    EntryFields,
    change_status,
    check_entry,
    create_entry,
    present,
    strip,
    update_entry,
)
from resolvers.errors import Checks, ErrorCode

MAX_QUANTITY = Decimal("999999999999.99")


@dataclass(frozen=True, kw_only=True)
class ResourceFields(EntryFields):
    kind: ResourceKind | None
    quantity: Decimal | None
    unit: str | None
    availability: Availability | None = Availability.AVAILABLE
    availability_note: str | None = ""

    def normalized(self) -> Self:
        return replace(
            super().normalized(),
            unit=strip(self.unit),
            availability_note=strip(self.availability_note) or "",
        )


async def check_resource(
    session: AsyncSession, f: ResourceFields, own_id: int | None, checks: Checks
) -> None:
    await check_entry(session, checks, Resource, f, own_id)
    present(checks, "kind", f.kind)
    present(checks, "availability", f.availability)
    checks.text("unit", f.unit, max_length=20)
    checks.text("availability_note", f.availability_note, max_length=200, required=False)
    check_quantity(checks, f.quantity)


def check_quantity(checks: Checks, quantity: Decimal | None) -> None:
    """A quantity is required: a number from 0 up, with at most two decimals."""
    if quantity is None:
        present(checks, "quantity", quantity)
        return
    if not quantity.is_finite():
        checks.fail("quantity", ErrorCode.INVALID, "`quantity` must be a number.")
        return
    # Compared as Decimals: `Checks.between` takes floats, which would round at the bound.
    if not 0 <= quantity <= MAX_QUANTITY:
        checks.fail("quantity", ErrorCode.OUT_OF_RANGE, f"`quantity` must be between 0 and {MAX_QUANTITY}.")
    # Only within the range: quantizing 1e999999 to cents needs more digits than a Decimal holds.
    elif quantity != quantity.quantize(Decimal("0.01")):
        checks.fail("quantity", ErrorCode.INVALID, "`quantity` has at most two decimals.")


async def create_resource(ctx: Context, f: ResourceFields, provider_id: int | None = None) -> Resource:
    return await create_entry(ctx, Resource, f, check_resource, provider_id)


async def update_resource(ctx: Context, resource_id: int, changes: dict[str, Any]) -> Resource:
    return await update_entry(ctx, Resource, ResourceFields, check_resource, resource_id, changes)


async def set_resource_status(ctx: Context, resource_id: int, status: PublicationStatus) -> Resource:
    return await change_status(ctx, Resource, resource_id, status, "resource_id")
