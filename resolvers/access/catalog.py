"""Who sees and edits the catalog entries (services, resources, projects) of providers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select

from models import (
    Project,
    PublicationStatus,
    Resource,
    Role,
    Service,
)
from resolvers.context import Viewer


def visible_entries(viewer: Viewer, model: type[Service] | type[Resource] | type[Project]) -> Select[Any]:
    """The catalog entries (services, resources, projects) the viewer may see.

    Everyone sees what is published; provider staff also see their own drafts and
    withdrawn entries; administrators see everything.
    """
    stmt = select(model)
    if viewer.is_admin:
        return stmt
    published = model.status == PublicationStatus.PUBLISHED
    if viewer.role is Role.PROVIDER_STAFF:
        return stmt.where(or_(published, model.provider_id == viewer.provider_id))
    return stmt.where(published)


def acts_for_provider(viewer: Viewer, provider_id: int) -> bool:
    """Whether the viewer acts for a provider: changes its entries, proposes them for demands."""
    return viewer.is_admin or provider_id == viewer.provider_id


def may_create_for_provider(viewer: Viewer, provider_id: int | None) -> bool:
    """Staff create entries of their own provider (named or left out); administrators of any."""
    return viewer.is_admin or provider_id is None or provider_id == viewer.provider_id


def creates_for_any_provider(viewer: Viewer) -> bool:
    """Administrators create entries for any provider, so they name it; staff create their own."""
    return viewer.is_admin
