"""Managing projects: their fields and checks, and the resources each project uses."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import delete, func, insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import Project, PublicationStatus, Resource, project_resources
from resolvers.access import CATALOG_EDITORS, require_role, visible_entries
from resolvers.context import Context
from resolvers.editing import (
    OrderableFields,
    change_status,
    check_entry,
    check_orderable,
    entry_to_edit,
    present,
    provider_of_new_entry,
    save,
    unique,
)
from resolvers.errors import Checks, ErrorCode
from resolvers.loading import among

MAX_PROJECT_RESOURCES = 50


@dataclass(frozen=True, kw_only=True)
class ProjectFields(OrderableFields):
    requires_three_meetings: bool | None = False


async def check_project(session: AsyncSession, f: ProjectFields, own_id: int | None, checks: Checks) -> None:
    await check_entry(session, checks, Project, f, own_id)
    check_orderable(checks, f)
    present(checks, "requires_three_meetings", f.requires_three_meetings)


async def check_project_resources(
    session: AsyncSession, ctx: Context, checks: Checks, provider_id: int | None, resource_ids: list[int]
) -> None:
    """A project draws on resources of its own provider that are still offered."""
    if len(resource_ids) > MAX_PROJECT_RESOURCES:
        checks.fail(
            "resource_ids", ErrorCode.INVALID, f"A project uses at most {MAX_PROJECT_RESOURCES} resources."
        )
        return
    rows = (
        await session.scalars(visible_entries(ctx.viewer, Resource).where(among(Resource.id, resource_ids)))
    ).all()
    found = {row.id: row for row in rows}
    for index, resource_id in enumerate(resource_ids):
        field = ["resource_ids", str(index)]
        resource = found.get(resource_id)
        if resource is None:
            checks.fail(field, ErrorCode.NOT_FOUND, "No such resource.")
        elif provider_id is not None and resource.provider_id != provider_id:
            checks.fail(field, ErrorCode.INVALID, "A project uses only resources of its own provider.")
        elif resource.status is PublicationStatus.RETIRED:
            checks.fail(field, ErrorCode.INVALID, "A retired resource cannot be used.")


async def link_resources(session: AsyncSession, project_id: int, resource_ids: list[int]) -> None:
    """Replace the resources a project uses with these."""
    await session.execute(delete(project_resources).where(project_resources.c.project_id == project_id))
    if resource_ids:
        await session.execute(
            insert(project_resources),
            [{"project_id": project_id, "resource_id": resource_id} for resource_id in resource_ids],
        )


async def create_project(
    ctx: Context, f: ProjectFields, resource_ids: list[int], provider_id: int | None = None
) -> Project:
    """A new project, as the editing kit's `create_entry` makes one, with the resources it uses."""
    require_role(ctx, *CATALOG_EDITORS)
    f = f.normalized()
    resource_ids = unique(resource_ids) or []
    async with ctx.transaction() as session:
        checks = Checks()
        provider_id = await provider_of_new_entry(session, ctx, checks, provider_id)
        await check_project(session, f, None, checks)
        await check_project_resources(session, ctx, checks, provider_id, resource_ids)
        checks.done()
        project = Project(provider_id=provider_id, status=PublicationStatus.DRAFT)
        f.apply(project, (field.name for field in fields(f)))
        session.add(project)
        await save(session, project)
        await link_resources(session, project.id, resource_ids)
        return project


async def update_project(
    ctx: Context, project_id: int, changes: dict[str, Any], resource_ids: list[int] | None = None
) -> Project:
    """Change the given fields of a project; `resource_ids`, when given, replaces its resources."""
    require_role(ctx, *CATALOG_EDITORS)
    async with ctx.transaction() as session:
        project = await entry_to_edit(session, ctx, Project, project_id, "project_id")
        f = ProjectFields.of(project).updated(changes).normalized()
        checks = Checks()
        await check_project(session, f, project.id, checks)
        if resource_ids is not None:
            resource_ids = unique(resource_ids) or []
            await check_project_resources(session, ctx, checks, project.provider_id, resource_ids)
        checks.done()
        f.apply(project, changes)
        if resource_ids is not None:
            await link_resources(session, project.id, resource_ids)
            # The project changed even when only its resources did.
            project.updated_at = func.now()
        return await save(session, project)


async def set_project_status(ctx: Context, project_id: int, status: PublicationStatus) -> Project:
    return await change_status(ctx, Project, project_id, status, "project_id")
