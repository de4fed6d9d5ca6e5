"""The editing kit of publishable catalog entries: services, resources and projects.

Entries of all three kinds are drafted by their provider's staff (or an
administrator), checked field by field, saved with unique codes, changed by
partial updates and moved along DRAFT → PUBLISHED ⇄ SUSPENDED → RETIRED. The
catalog and the three lists share these steps; each kind adds only its own fields
and checks. Providers and categories, which administrators manage, are checked,
added and changed the same way (`add_checked`, `change_checked`).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar, Protocol, Self, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped

from models import (
    Audience,
    CapacityPeriod,
    Category,
    Project,
    Provider,
    PublicationStatus,
    Resource,
    Service,
    Tier,
)
from models.base import MAX_TIME_LIMIT_HOURS
from resolvers.access import (
    CATALOG_EDITORS,
    acts_for_provider,
    creates_for_any_provider,
    may_create_for_provider,
    require_role,
    visible_entries,
)
from resolvers.context import Context
from resolvers.errors import Checks, ErrorCode, Refused, UserError

# Overridden time limits of orders by urgency name: (response hours, delivery hours), None for a default.
TimeLimitOverrides = dict[str, tuple[int | None, int | None]]

MAX_DESCRIPTION_LENGTH = 5000
MAX_CAPACITY_PER_PERIOD = 100_000
ENTRY_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
UNIQUE_VIOLATION = "23505"

STATUS_CHANGES: dict[PublicationStatus, tuple[PublicationStatus, ...]] = {
    PublicationStatus.DRAFT: (PublicationStatus.PUBLISHED, PublicationStatus.RETIRED),
    PublicationStatus.PUBLISHED: (PublicationStatus.SUSPENDED, PublicationStatus.RETIRED),
    PublicationStatus.SUSPENDED: (PublicationStatus.PUBLISHED, PublicationStatus.RETIRED),
    # Retiring is final: stations may still hold orders and links to a retired entry.
    PublicationStatus.RETIRED: (),
}

T = TypeVar("T")
R = TypeVar("R")
# The publishable entries: each function generic over them keeps the kind it was given.
Entry = TypeVar("Entry", Service, Resource, Project)
# The rows administrators manage.
Managed = TypeVar("Managed", Provider, Category)
# Every row the kit changes.
Row = TypeVar("Row", Service, Resource, Project, Provider, Category)


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def unique(values: Iterable[T] | None) -> list[T] | None:
    return None if values is None else list(dict.fromkeys(values))


@dataclass(frozen=True)
class Fields:
    """A create input as a frozen dataclass of model attributes; a partial update replaces some."""

    @classmethod
    def of(cls, row: object) -> Self:
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})

    def updated(self, changes: dict[str, Any]) -> Self:
        unknown = changes.keys() - set(self.names())
        if unknown:
            raise ValueError(f"{type(self).__name__} has no fields {sorted(unknown)}")
        return replace(self, **changes)

    def normalized(self) -> Self:
        """The fields as the row keeps them: text stripped, choices without repeats, nulls defaulted."""
        return self

    def names(self) -> Iterator[str]:
        return (f.name for f in fields(self))

    def apply(self, row: object, names: Iterable[str]) -> None:
        for name in names:
            setattr(row, name, getattr(self, name))


F = TypeVar("F", bound=Fields)
# Checks a kind's fields: (session, fields, the row's own id when it exists, checks).
EntryCheck = Callable[[AsyncSession, F, int | None, Checks], Awaitable[None]]


class Named(Protocol):
    @property
    def code(self) -> str | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def description(self) -> str | None: ...


@dataclass(frozen=True, kw_only=True)
class EntryFields(Fields):
    """The fields services, resources and projects have in common; each kind adds its own."""

    code: str | None
    name: str | None
    category_id: int | None
    tier: Tier | None
    audiences: list[Audience] | None
    description: str | None = ""

    def normalized(self) -> Self:
        return replace(
            self,
            code=strip(self.code),
            name=strip(self.name),
            description=self.description or "",
            audiences=unique(self.audiences),
        )


@dataclass(frozen=True, kw_only=True)
class OrderableFields(EntryFields):
    """The fields of the entries stations order (services and projects): capacity and time limits."""

    capacity_per_period: int | None = None
    capacity_period: CapacityPeriod | None = None
    time_limit_overrides: TimeLimitOverrides | None = None

    def normalized(self) -> Self:
        return replace(super().normalized(), time_limit_overrides=self.time_limit_overrides or {})


class Coded(Protocol):
    # Class-level descriptors, as mapped columns are: columns on the class.
    id: ClassVar[Mapped[int]]
    code: ClassVar[Mapped[str]]


def present(checks: Checks, field: str, value: object) -> bool:
    """Whether a value a partial update may set to null, but the row cannot hold empty, is there."""
    if value is None:
        checks.fail(field, ErrorCode.REQUIRED, f"`{field}` is required.")
        return False
    return True


def check_code(
    checks: Checks, field: str, value: str | None, max_length: int, pattern: re.Pattern[str]
) -> None:
    problems = len(checks.errors)
    checks.text(field, value, max_length=max_length)
    if len(checks.errors) == problems and not pattern.fullmatch(value or ""):
        checks.fail(field, ErrorCode.INVALID, f"`{field}` holds characters a code cannot: {value!r}.")


def check_choices(checks: Checks, field: str, values: list[Any] | None) -> None:
    if not values:
        checks.fail(field, ErrorCode.REQUIRED, f"Choose at least one value for `{field}`.")


def check_capacity(checks: Checks, per_period: int | None, period: CapacityPeriod | None) -> None:
    """A capacity is a number per period, or no limit at all."""
    if (per_period is None) != (period is None):
        checks.fail(
            "capacity_per_period" if per_period is None else "capacity_period",
            ErrorCode.INVALID,
            "Give both `capacity_per_period` and `capacity_period`, or neither for no limit.",
        )
    checks.between("capacity_per_period", per_period, 1, MAX_CAPACITY_PER_PERIOD)


async def check_exists(
    session: AsyncSession, checks: Checks, field: str, model: type[Any], identity: int | None
) -> None:
    if identity is not None and await session.get(model, identity) is None:
        checks.fail(field, ErrorCode.NOT_FOUND, f"No such {model.__name__.lower()}.")


async def check_code_free(
    session: AsyncSession, checks: Checks, model: type[Coded], code: str | None, own_id: int | None
) -> None:
    if not code:
        return
    stmt = select(model.id).where(model.code == code)
    if own_id is not None:
        stmt = stmt.where(model.id != own_id)
    if await session.scalar(stmt.limit(1)) is not None:
        checks.fail("code", ErrorCode.TAKEN, f"Another {model.__name__.lower()} has the code {code}.")


def check_orderable(checks: Checks, f: OrderableFields) -> None:
    check_capacity(checks, f.capacity_per_period, f.capacity_period)
    check_time_limits(checks, f.time_limit_overrides)


def check_time_limits(checks: Checks, overrides: TimeLimitOverrides | None) -> None:
    """Overridden time limits (services and projects), in whole hours up to a year."""
    for urgency, hours in (overrides or {}).items():
        for name, value in zip(("response_hours", "delivery_hours"), hours, strict=True):
            if value is not None and not 1 <= value <= MAX_TIME_LIMIT_HOURS:
                checks.fail(
                    ["time_limit_overrides", name],
                    ErrorCode.OUT_OF_RANGE,
                    f"The {urgency} `{name}` must be between 1 and {MAX_TIME_LIMIT_HOURS}.",
                )


def check_named(checks: Checks, f: Named, code: re.Pattern[str], code_length: int, name_length: int) -> None:
    """The code, name and description that entries and categories all have, in that order."""
    check_code(checks, "code", f.code, code_length, code)
    checks.text("name", f.name, max_length=name_length)
    checks.text("description", f.description, max_length=MAX_DESCRIPTION_LENGTH, required=False)


async def check_entry(
    session: AsyncSession, checks: Checks, model: type[Entry], f: EntryFields, own_id: int | None
) -> None:
    """What services, resources and projects have in common."""
    check_named(checks, f, ENTRY_CODE, 32, 200)
    present(checks, "tier", f.tier)
    check_choices(checks, "audiences", f.audiences)
    if present(checks, "category_id", f.category_id):
        await check_exists(session, checks, "category_id", Category, f.category_id)
    await check_code_free(session, checks, model, f.code, own_id)


async def flush_unique(session: AsyncSession, field: str, message: str) -> None:
    """Write pending changes; a unique value another request took since the checks answers TAKEN."""
    try:
        await session.flush()
    except IntegrityError as error:
        if getattr(error.orig, "sqlstate", None) != UNIQUE_VIOLATION:
            raise
        raise Refused(UserError(ErrorCode.TAKEN, message, [field])) from None


async def save(session: AsyncSession, row: R, field: str = "code", message: str | None = None) -> R:
    """Flush a new or changed row and read back what the database set (timestamps, defaults)."""
    await flush_unique(session, field, message or f"Another {type(row).__name__.lower()} has that {field}.")
    await session.refresh(row)
    return row


async def add_checked(session: AsyncSession, checks: Checks, row: R, f: F, check: EntryCheck[F]) -> R:
    """Check a new row's fields (after whatever `checks` already found), then write them to it."""
    await check(session, f, None, checks)
    checks.done()
    f.apply(row, f.names())
    session.add(row)
    return await save(session, row)


async def row_to_change(session: AsyncSession, model: type[Managed], identity: int, field: str) -> Managed:
    """A provider or category to change, locked until the transaction ends."""
    row = await session.get(model, identity, with_for_update=True, populate_existing=True)
    if row is None:
        raise Refused(UserError(ErrorCode.NOT_FOUND, f"No such {model.__name__.lower()}.", [field]))
    return row


async def change_checked(
    session: AsyncSession, row: Row, fields_of: type[F], check: EntryCheck[F], changes: dict[str, Any]
) -> Row:
    """Check a row as the changes leave it, then write only the changed fields."""
    f = fields_of.of(row).updated(changes).normalized()
    checks = Checks()
    await check(session, f, row.id, checks)
    checks.done()
    f.apply(row, changes)
    return await save(session, row)


async def provider_of_new_entry(
    session: AsyncSession, ctx: Context, checks: Checks, provider_id: int | None
) -> int | None:
    """Staff create entries of their own provider; administrators name the provider."""
    viewer = ctx.viewer
    if creates_for_any_provider(viewer):
        if present(checks, "provider_id", provider_id):
            await check_exists(session, checks, "provider_id", Provider, provider_id)
        return provider_id
    if not may_create_for_provider(viewer, provider_id):
        checks.fail(
            "provider_id", ErrorCode.NOT_PERMITTED, "You may only create entries of your own provider."
        )
    return viewer.provider_id


async def entry_to_edit(
    session: AsyncSession, ctx: Context, model: type[Entry], identity: int, field: str
) -> Entry:
    """A service, resource or project the viewer may change, locked until the transaction ends.

    An entry the viewer cannot see answers like a missing one; a published entry of
    another provider is seen but not theirs to change.
    """
    stmt = visible_entries(ctx.viewer, model).where(model.id == identity).with_for_update()
    row: Entry | None = await session.scalar(stmt.execution_options(populate_existing=True))
    noun = model.__name__.lower()
    if row is None:
        raise Refused(UserError(ErrorCode.NOT_FOUND, f"No such {noun}.", [field]))
    if not acts_for_provider(ctx.viewer, row.provider_id):
        raise Refused(
            UserError(
                ErrorCode.NOT_PERMITTED, f"Only the staff of its provider may change this {noun}.", [field]
            )
        )
    return row


async def change_status(
    ctx: Context, model: type[Entry], identity: int, status: PublicationStatus, field: str
) -> Entry:
    """Move a catalog entry along DRAFT → PUBLISHED ⇄ SUSPENDED → RETIRED."""
    require_role(ctx, *CATALOG_EDITORS)
    async with ctx.transaction() as session:
        row = await entry_to_edit(session, ctx, model, identity, field)
        if status not in STATUS_CHANGES[row.status]:
            noun = model.__name__.lower()
            raise Refused(
                UserError(
                    ErrorCode.ILLEGAL_TRANSITION,
                    f"A {row.status.name.lower()} {noun} cannot become {status.name.lower()}.",
                    ["status"],
                )
            )
        row.status = status
        if isinstance(row, Service) and status is PublicationStatus.PUBLISHED and row.published_at is None:
            row.published_at = func.now()
        return await save(session, row)


async def create_entry(
    ctx: Context, model: type[Entry], f: F, check: EntryCheck[F], provider_id: int | None
) -> Entry:
    """A new service or resource, as a draft of the viewer's provider (or the one an administrator names)."""
    require_role(ctx, *CATALOG_EDITORS)
    f = f.normalized()
    async with ctx.transaction() as session:
        checks = Checks()
        provider_id = await provider_of_new_entry(session, ctx, checks, provider_id)
        entry = model(provider_id=provider_id, status=PublicationStatus.DRAFT)
        return await add_checked(session, checks, entry, f, check)


async def update_entry(
    ctx: Context,
    model: type[Entry],
    fields_of: type[F],
    check: EntryCheck[F],
    identity: int,
    changes: dict[str, Any],
) -> Entry:
    """Change the given fields of a service or resource; the others keep their values."""
    require_role(ctx, *CATALOG_EDITORS)
    async with ctx.transaction() as session:
        entry = await entry_to_edit(session, ctx, model, identity, f"{model.__name__.lower()}_id")
        return await change_checked(session, entry, fields_of, check, changes)
