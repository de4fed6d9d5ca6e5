"""Reading the catalog: loaders, filters, orderings and pages of providers, categories and services.

What a viewer may see comes from `resolvers.access`. The filters services share with
resources and projects (`apply_shared_filters`) live here, and the lists use them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, ClassVar, Protocol

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Mapped, aliased
from strawberry.dataloader import DataLoader

from models import (
    Audience,
    Category,
    DeliveryMode,
    Provider,
    ProviderKind,
    PublicationStatus,
    Service,
    Tier,
    Town,
)
from models.base import URGENCY_COLUMN_PREFIXES, UrgencyTimeLimits
from resolvers.access import visible_entries
from resolvers.context import Context, Viewer
from resolvers.editing import Entry, TimeLimitOverrides
from resolvers.loading import STATEMENTS_KEPT, Related, among, as_rows, by_id, rows_of
from resolvers.pagination import Ordering, Page, PageRequest, child_pages, paginate
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
    model: type[Entry], field: CatalogOrderField = CatalogOrderField.CODE, descending: bool = False
) -> Ordering:
    column = {
        CatalogOrderField.NAME: model.name,
        CatalogOrderField.CODE: model.code,
        CatalogOrderField.CREATED_AT: model.created_at,
    }[field]
    return Ordering(
        key=f"{model.__tablename__}.{field.name}", column=column, tiebreaker=model.id, descending=descending
    )


service_ordering = partial(catalog_ordering, Service)


@dataclass(frozen=True)
class ProviderFilter:
    district_id: int | None = None
    kind: ProviderKind | None = None
    search: str | None = None


@dataclass(frozen=True)
class EntryFilter:
    """The conditions services, resources and projects share (`apply_shared_filters`)."""

    district_id: int | None = None
    provider_id: int | None = None
    category_id: int | None = None
    tier: Tier | None = None
    audience: Audience | None = None
    status: PublicationStatus | None = None
    search: str | None = None


@dataclass(frozen=True)
class ServiceFilter(EntryFilter):
    delivery_mode: DeliveryMode | None = None
    consultable_on_spot: bool | None = None
    completable_on_spot: bool | None = None


# Providers, categories and services are read as plain rows (`resolvers.loading.as_rows`).
PROVIDERS = rows_of(Provider)
CATEGORIES = rows_of(Category)


def provider_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, Provider, PROVIDERS)


def category_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, Category, CATEGORIES)


def service_loader(ctx: Context, related: frozenset[str] = frozenset()) -> DataLoader[int, Any]:
    """Services by id; with the providers and categories they name when `related` names their keys."""
    relations = {name: SERVICE_RELATED[name] for name in related if name in SERVICE_RELATED}
    return by_id(ctx, Service, _visible_services(ctx.viewer), relations)


@lru_cache(maxsize=STATEMENTS_KEPT)
def _visible_services(viewer: Viewer) -> Select[Any]:
    return as_rows(visible_entries(viewer, Service))


# Everyone who sees a service sees its provider and its category (neither has a visibility
# rule), so a page of services can bring those its query reads along (`Related`).
SERVICE_RELATED = {
    "provider_id": Related(Service.provider_id, Provider, provider_loader),
    "category_id": Related(Service.category_id, Category, category_loader, above="parent_id"),
}


TIME_LIMIT_COLUMNS = tuple(
    f"{urgency}_{limit}_hours" for urgency in URGENCY_COLUMN_PREFIXES for limit in ("response", "delivery")
)
"""The columns of a service's overridden time limits (`time_limit_overrides` reads them)."""


def time_limit_overrides(row: Any) -> TimeLimitOverrides:
    """The overridden time limits of a service's row, plain or a model object."""
    return UrgencyTimeLimits.time_limit_overrides.fget(row)  # type: ignore[attr-defined]


def category_and_descendants(category_id: int) -> Select[int]:
    """Ids of a category and every category below it, so a major category finds all its domains."""
    tree = select(Category.id).where(Category.id == category_id).cte("category_tree", recursive=True)
    below = aliased(Category)
    tree = tree.union_all(select(below.id).where(below.parent_id == tree.c.id))
    return select(tree.c.id)


class ForAudiences(Protocol):
    # A class-level descriptor, as mapped columns are: the column on the class.
    audiences: ClassVar[Mapped[list[Audience]]]


def audience_condition(model: type[ForAudiences], audience: Audience) -> ColumnElement[bool]:
    """Entries meant for the audience, including those meant for everyone."""
    return model.audiences.overlap([audience, Audience.EVERYONE])


def apply_shared_filters(stmt: Select[Any], model: type[Entry], f: EntryFilter) -> Select[Any]:
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


def services_query(ctx: Context, f: ServiceFilter) -> Select[Any]:
    """The services matching the filter that the viewer may see, as plain rows."""
    return _services_query(ctx.viewer, f)


# Kept per viewer and filter, so that pages reuse their statements (`resolvers.loading`).
@lru_cache(maxsize=STATEMENTS_KEPT)
def _services_query(viewer: Viewer, f: ServiceFilter) -> Select[Any]:
    stmt = apply_shared_filters(_visible_services(viewer), Service, f)
    if f.delivery_mode is not None:
        stmt = stmt.where(Service.delivery_modes.contains([f.delivery_mode]))
    if f.consultable_on_spot is not None:
        stmt = stmt.where(Service.consultable_on_spot == f.consultable_on_spot)
    if f.completable_on_spot is not None:
        stmt = stmt.where(Service.completable_on_spot == f.completable_on_spot)
    return stmt


@lru_cache(maxsize=STATEMENTS_KEPT)
def providers_query(f: ProviderFilter) -> Select[Any]:
    stmt = PROVIDERS
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
    return await paginate(ctx, services_query(ctx, f), ordering, page, SERVICE_RELATED)


async def services_of_provider(
    ctx: Context, provider_id: int, f: ServiceFilter, ordering: Ordering, page: PageRequest
) -> Page[Service]:
    loader = child_pages(
        ctx,
        ("provider.services", f),
        services_query(ctx, f),
        Service.provider_id,
        ordering,
        page,
        SERVICE_RELATED,
    )
    return await loader.load(provider_id)


async def menu_of_town(
    ctx: Context, town_id: int, f: ServiceFilter, ordering: Ordering, page: PageRequest
) -> Page[Service]:
    """What the stations of a town can order: the published services of its district's providers.

    The town's district is joined in, not looked up first: the menu is one statement."""
    stmt = _menu_query(ctx.viewer, f)
    loader = child_pages(ctx, ("town.menu", f), stmt, Town.id, ordering, page, SERVICE_RELATED)
    return await loader.load(town_id)


@lru_cache(maxsize=STATEMENTS_KEPT)
def _menu_query(viewer: Viewer, f: ServiceFilter) -> Select[Any]:
    return (
        _services_query(viewer, f)
        .join(Provider, Provider.id == Service.provider_id)
        .join(Town, Town.district_id == Provider.district_id)
    )


async def list_categories(
    ctx: Context, parent_id: int | None, top_level_only: bool, limit: int
) -> list[Category]:
    stmt = CATEGORIES.order_by(Category.position, Category.id).limit(limit)
    if parent_id is not None:
        stmt = stmt.where(Category.parent_id == parent_id)
    elif top_level_only:
        stmt = stmt.where(Category.parent_id.is_(None))
    async with ctx.db.session() as session:
        return list((await session.execute(stmt)).all())


def children_of_category(ctx: Context) -> DataLoader[int, list[Category]]:
    """A loader from category id to its sub-categories, in menu order."""

    async def load(parent_ids: list[int]) -> list[list[Category]]:
        stmt = CATEGORIES.where(among(Category.parent_id, parent_ids)).order_by(
            Category.position, Category.id
        )
        async with ctx.db.session() as session:
            rows = (await session.execute(stmt)).all()
        children: dict[int | None, list[Category]] = {parent_id: [] for parent_id in parent_ids}
        for row in rows:
            children[row.parent_id].append(row)
        return [children[parent_id] for parent_id in parent_ids]

    return ctx.loaders.get("category.children", load)
