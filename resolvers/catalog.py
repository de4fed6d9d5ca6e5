"""Providers, categories and the service catalog, with what each viewer may see."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import Select, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import (
    Audience,
    CapacityPeriod,
    Category,
    DeliveryMode,
    District,
    Provider,
    ProviderKind,
    PublicationStatus,
    Service,
    Tier,
)
from resolvers.access import (
    MANAGERS,
    require_role,
    visible_entries,
)
from resolvers.context import Context
from resolvers.editing import (
    ENTRY_CODE,
    MAX_DESCRIPTION_LENGTH,
    Fields,
    TimeLimitOverrides,
    change_status,
    check_capacity,
    check_choices,
    check_code,
    check_code_free,
    check_entry,
    check_exists,
    check_time_limits,
    create_entry,
    present,
    save,
    strip,
    unique,
    update_entry,
)
from resolvers.errors import Checks, ErrorCode, Refused, UserError
from resolvers.loading import by_id
from resolvers.pagination import Ordering, Page, PageRequest, child_pages, paginate
from resolvers.places import district_of_town
from resolvers.search import apply_search


class ProviderOrderField(enum.Enum):
    NAME = "NAME"
    CODE = "CODE"


class CatalogOrderField(enum.Enum):
    """Orderings shared by services, resources and projects."""

    NAME = "NAME"
    CODE = "CODE"
    CREATED_AT = "CREATED_AT"


def provider_ordering(
    field: ProviderOrderField = ProviderOrderField.CODE, descending: bool = False
) -> Ordering:
    column = {ProviderOrderField.NAME: Provider.name, ProviderOrderField.CODE: Provider.code}[field]
    return Ordering(
        key=f"provider.{field.name}", column=column, tiebreaker=Provider.id, descending=descending
    )


def catalog_ordering(
    model: type, field: CatalogOrderField = CatalogOrderField.CODE, descending: bool = False
) -> Ordering:
    column = {
        CatalogOrderField.NAME: model.name,
        CatalogOrderField.CODE: model.code,
        CatalogOrderField.CREATED_AT: model.created_at,
    }[field]
    return Ordering(
        key=f"{model.__tablename__}.{field.name}", column=column, tiebreaker=model.id, descending=descending
    )


@dataclass(frozen=True)
class ProviderFilter:
    district_id: int | None = None
    kind: ProviderKind | None = None
    search: str | None = None


@dataclass(frozen=True)
class ServiceFilter:
    district_id: int | None = None
    provider_id: int | None = None
    category_id: int | None = None
    tier: Tier | None = None
    audience: Audience | None = None
    delivery_mode: DeliveryMode | None = None
    consultable_on_spot: bool | None = None
    completable_on_spot: bool | None = None
    status: PublicationStatus | None = None
    search: str | None = None


def provider_loader(ctx: Context):
    return by_id(ctx, Provider)


def category_loader(ctx: Context):
    return by_id(ctx, Category)


def service_loader(ctx: Context):
    return by_id(ctx, Service, visible_entries(ctx.viewer, Service))


def category_and_descendants(category_id: int):
    """Ids of a category and every category below it, so a major category finds all its domains."""
    tree = select(Category.id).where(Category.id == category_id).cte("category_tree", recursive=True)
    below = aliased(Category)
    tree = tree.union_all(select(below.id).where(below.parent_id == tree.c.id))
    return select(tree.c.id)


def audience_condition(model: type, audience: Audience):
    """Entries meant for the audience, including those meant for everyone."""
    return model.audiences.overlap([audience, Audience.EVERYONE])


def apply_shared_filters(stmt: Select, model: type, f) -> Select:
    """The filters services, resources and projects have in common."""
    if f.district_id is not None:
        stmt = stmt.where(
            model.provider_id.in_(select(Provider.id).where(Provider.district_id == f.district_id))
        )
    if f.provider_id is not None:
        stmt = stmt.where(model.provider_id == f.provider_id)
    if f.category_id is not None:
        stmt = stmt.where(model.category_id.in_(category_and_descendants(f.category_id)))
    if f.tier is not None:
        stmt = stmt.where(model.tier == f.tier)
    if f.audience is not None:
        stmt = stmt.where(audience_condition(model, f.audience))
    if f.status is not None:
        stmt = stmt.where(model.status == f.status)
    return apply_search(stmt, model, f.search)


def services_query(ctx: Context, f: ServiceFilter) -> Select:
    stmt = apply_shared_filters(visible_entries(ctx.viewer, Service), Service, f)
    if f.delivery_mode is not None:
        stmt = stmt.where(Service.delivery_modes.contains([f.delivery_mode]))
    if f.consultable_on_spot is not None:
        stmt = stmt.where(Service.consultable_on_spot == f.consultable_on_spot)
    if f.completable_on_spot is not None:
        stmt = stmt.where(Service.completable_on_spot == f.completable_on_spot)
    return stmt


def providers_query(f: ProviderFilter) -> Select:
    stmt = select(Provider)
    if f.district_id is not None:
        stmt = stmt.where(Provider.district_id == f.district_id)
    if f.kind is not None:
        stmt = stmt.where(Provider.kind == f.kind)
    return apply_search(stmt, Provider, f.search)


async def list_providers(
    ctx: Context, f: ProviderFilter, ordering: Ordering, page: PageRequest
) -> Page[Provider]:
    return await paginate(ctx, providers_query(f), ordering, page)


async def list_services(
    ctx: Context, f: ServiceFilter, ordering: Ordering, page: PageRequest
) -> Page[Service]:
    return await paginate(ctx, services_query(ctx, f), ordering, page)


async def services_of_provider(
    ctx: Context, provider_id: int, f: ServiceFilter, ordering: Ordering, page: PageRequest
) -> Page[Service]:
    loader = child_pages(
        ctx, ("provider.services", f), services_query(ctx, f), Service.provider_id, ordering, page
    )
    return await loader.load(provider_id)


async def services_of_district(
    ctx: Context, district_id: int, f: ServiceFilter, ordering: Ordering, page: PageRequest
) -> Page[Service]:
    """What the stations of a district can order: its providers' published services."""
    stmt = services_query(ctx, f).join(Provider, Provider.id == Service.provider_id)
    loader = child_pages(ctx, ("district.services", f), stmt, Provider.district_id, ordering, page)
    return await loader.load(district_id)


async def menu_of_town(
    ctx: Context, town_id: int, f: ServiceFilter, ordering: Ordering, page: PageRequest
) -> Page[Service]:
    """What the stations of a town can order: the published services of its district's providers."""
    return await services_of_district(ctx, await district_of_town(ctx, town_id), f, ordering, page)


async def list_categories(ctx: Context, parent_id: int | None, top_level_only: bool) -> list[Category]:
    stmt = select(Category).order_by(Category.position, Category.id)
    if parent_id is not None:
        stmt = stmt.where(Category.parent_id == parent_id)
    elif top_level_only:
        stmt = stmt.where(Category.parent_id.is_(None))
    async with ctx.db.session() as session:
        return list((await session.scalars(stmt)).all())


def children_of_category(ctx: Context):
    """A loader from category id to its sub-categories, in menu order."""

    async def load(parent_ids: list[int]) -> list[list[Category]]:
        stmt = (
            select(Category)
            .where(Category.parent_id.in_(parent_ids))
            .order_by(Category.position, Category.id)
        )
        async with ctx.db.session() as session:
            rows = (await session.scalars(stmt)).all()
        children: dict[int, list[Category]] = {parent_id: [] for parent_id in parent_ids}
        for row in rows:
            children[row.parent_id].append(row)
        return [children[parent_id] for parent_id in parent_ids]

    return ctx.loaders.get("category.children", load)


async def counts_by_tier(ctx: Context, filtered: Select) -> dict[Tier, int]:
    rows = filtered.order_by(None).subquery()
    stmt = select(rows.c.tier, func.count()).group_by(rows.c.tier)
    async with ctx.db.session() as session:
        counts = dict((await session.execute(stmt)).all())
    return {tier: counts.get(tier, 0) for tier in Tier}


async def counts_by_major_category(ctx: Context, filtered: Select) -> list[tuple[int, int]]:
    """(major category id, count) for every top-level category, in menu order."""
    rows = filtered.order_by(None).subquery()
    category = aliased(Category)
    major = func.coalesce(category.parent_id, category.id)
    counted = (
        select(major.label("major_id"), func.count().label("count"))
        .select_from(rows)
        .join(category, category.id == rows.c.category_id)
        .group_by(major)
        .subquery()
    )
    stmt = (
        select(Category.id, func.coalesce(counted.c.count, literal(0)))
        .outerjoin(counted, counted.c.major_id == Category.id)
        .where(Category.parent_id.is_(None))
        .order_by(Category.position, Category.id)
    )
    async with ctx.db.session() as session:
        return list((await session.execute(stmt)).all())


# Managing the catalog: providers and categories (administrators), services (their provider's staff).

MAX_LEAD_TIME_DAYS = 365
MAX_CATEGORY_POSITION = 10_000
CATEGORY_CODE = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")
# An advisory lock key ("cats") held while the category tree changes shape.
CATEGORY_TREE_LOCK = 0x63617473


@dataclass(frozen=True)
class ServiceFields(Fields):
    code: str | None
    name: str | None
    category_id: int | None
    tier: Tier | None
    audiences: list[Audience] | None
    delivery_modes: list[DeliveryMode] | None
    description: str | None = ""
    consultable_on_spot: bool | None = False
    completable_on_spot: bool | None = False
    capacity_per_period: int | None = None
    capacity_period: CapacityPeriod | None = None
    lead_time_days: int | None = 0
    time_limit_overrides: TimeLimitOverrides | None = None

    def normalized(self) -> ServiceFields:
        return replace(
            self,
            time_limit_overrides=self.time_limit_overrides or {},
            code=strip(self.code),
            name=strip(self.name),
            description=self.description or "",
            audiences=unique(self.audiences),
            delivery_modes=unique(self.delivery_modes),
        )


async def check_service(session: AsyncSession, f: ServiceFields, own_id: int | None, checks: Checks) -> None:
    await check_entry(session, checks, Service, f, own_id)
    check_choices(checks, "deliveryModes", f.delivery_modes)
    present(checks, "consultableOnSpot", f.consultable_on_spot)
    present(checks, "completableOnSpot", f.completable_on_spot)
    check_capacity(checks, f.capacity_per_period, f.capacity_period)
    check_time_limits(checks, f.time_limit_overrides)
    if present(checks, "leadTimeDays", f.lead_time_days):
        checks.between("leadTimeDays", f.lead_time_days, 0, MAX_LEAD_TIME_DAYS)
    if f.completable_on_spot:
        # Handled to completion on the spot (当场办结): at the station, at once, and so consultable there.
        if not f.consultable_on_spot:
            checks.fail(
                "consultableOnSpot",
                ErrorCode.INVALID,
                "A service completed on the spot is consulted there too.",
            )
        if f.lead_time_days:
            checks.fail(
                "leadTimeDays", ErrorCode.INVALID, "A service completed on the spot needs no lead time."
            )
        if f.delivery_modes and DeliveryMode.AT_STATION not in f.delivery_modes:
            checks.fail(
                "deliveryModes", ErrorCode.INVALID, "A service completed on the spot is delivered AT_STATION."
            )


async def create_service(ctx: Context, f: ServiceFields, provider_id: int | None = None) -> Service:
    return await create_entry(ctx, Service, f, check_service, provider_id)


async def update_service(ctx: Context, service_id: int, changes: dict[str, Any]) -> Service:
    return await update_entry(ctx, Service, ServiceFields, check_service, service_id, changes)


async def set_service_status(ctx: Context, service_id: int, status: PublicationStatus) -> Service:
    return await change_status(ctx, Service, service_id, status, "serviceId")


@dataclass(frozen=True)
class ProviderFields(Fields):
    code: str | None
    name: str | None
    short_name: str | None
    kind: ProviderKind | None
    description: str | None = ""
    phone: str | None = None
    address: str | None = None

    def normalized(self) -> ProviderFields:
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
    checks.text("shortName", f.short_name, max_length=60)
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
        await check_exists(session, checks, "districtId", District, district_id)
        await check_provider(session, f, None, checks)
        checks.done()
        provider = Provider(district_id=district_id)
        f.apply(provider, (field.name for field in fields(f)))
        session.add(provider)
        return await save(session, provider)


async def update_provider(ctx: Context, provider_id: int, changes: dict[str, Any]) -> Provider:
    require_role(ctx, *MANAGERS)
    async with ctx.transaction() as session:
        provider = await session.get(Provider, provider_id, with_for_update=True, populate_existing=True)
        if provider is None:
            raise Refused(UserError(ErrorCode.NOT_FOUND, "No such provider.", ["providerId"]))
        f = ProviderFields.of(provider).updated(changes).normalized()
        checks = Checks()
        await check_provider(session, f, provider.id, checks)
        checks.done()
        f.apply(provider, changes)
        return await save(session, provider)


@dataclass(frozen=True)
class CategoryFields(Fields):
    code: str | None
    name: str | None
    parent_id: int | None = None
    description: str | None = ""
    position: int | None = 0

    def normalized(self) -> CategoryFields:
        return replace(self, code=strip(self.code), name=strip(self.name), description=self.description or "")


async def check_category(
    session: AsyncSession, f: CategoryFields, own_id: int | None, checks: Checks
) -> None:
    check_code(checks, "code", f.code, 64, CATEGORY_CODE)
    checks.text("name", f.name, max_length=100)
    checks.text("description", f.description, max_length=MAX_DESCRIPTION_LENGTH, required=False)
    if present(checks, "position", f.position):
        checks.between("position", f.position, 0, MAX_CATEGORY_POSITION)
    await check_exists(session, checks, "parentId", Category, f.parent_id)
    if own_id is not None and f.parent_id is not None:
        below = set((await session.scalars(category_and_descendants(own_id))).all())
        if f.parent_id in below:
            checks.fail(
                "parentId", ErrorCode.INVALID, "A category cannot sit below itself or its own children."
            )
    await check_code_free(session, checks, Category, f.code, own_id)


async def create_category(ctx: Context, f: CategoryFields) -> Category:
    require_role(ctx, *MANAGERS)
    f = f.normalized()
    async with ctx.transaction() as session:
        checks = Checks()
        await check_category(session, f, None, checks)
        checks.done()
        category = Category()
        f.apply(category, (field.name for field in fields(f)))
        session.add(category)
        return await save(session, category)


async def update_category(ctx: Context, category_id: int, changes: dict[str, Any]) -> Category:
    require_role(ctx, *MANAGERS)
    async with ctx.transaction() as session:
        # Moving categories is serialised: two concurrent moves could each pass the cycle check.
        await session.execute(select(func.pg_advisory_xact_lock(CATEGORY_TREE_LOCK)))
        category = await session.get(Category, category_id, with_for_update=True, populate_existing=True)
        if category is None:
            raise Refused(UserError(ErrorCode.NOT_FOUND, "No such category.", ["categoryId"]))
        f = CategoryFields.of(category).updated(changes).normalized()
        checks = Checks()
        await check_category(session, f, category.id, checks)
        checks.done()
        f.apply(category, changes)
        return await save(session, category)
