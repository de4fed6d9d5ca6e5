"""Mutation payloads of the three lists: the object changed, or why nothing was."""

from __future__ import annotations

import strawberry

from schema.lists.types import Demand, DemandProposal, Project, Resource
from schema.payloads import UserError

NOTHING_CREATED = "Why nothing was created; empty on success."
NOTHING_CHANGED = "Why nothing changed; empty on success."


@strawberry.type(description="The result of creating a resource.")
class CreateResourcePayload:
    resource: Resource | None = strawberry.field(description="The new resource, a draft.")
    user_errors: list[UserError] = strawberry.field(description=NOTHING_CREATED)


@strawberry.type(description="The result of changing a resource.")
class UpdateResourcePayload:
    resource: Resource | None = strawberry.field(description="The resource as changed.")
    user_errors: list[UserError] = strawberry.field(description=NOTHING_CHANGED)


@strawberry.type(description="The result of moving a resource to another status.")
class SetResourceStatusPayload:
    resource: Resource | None = strawberry.field(description="The resource in its new status.")
    user_errors: list[UserError] = strawberry.field(description=NOTHING_CHANGED)


@strawberry.type(description="The result of creating a project.")
class CreateProjectPayload:
    project: Project | None = strawberry.field(description="The new project, a draft.")
    user_errors: list[UserError] = strawberry.field(description=NOTHING_CREATED)


@strawberry.type(description="The result of changing a project.")
class UpdateProjectPayload:
    project: Project | None = strawberry.field(description="The project as changed.")
    user_errors: list[UserError] = strawberry.field(description=NOTHING_CHANGED)


@strawberry.type(description="The result of moving a project to another status.")
class SetProjectStatusPayload:
    project: Project | None = strawberry.field(description="The project in its new status.")
    user_errors: list[UserError] = strawberry.field(description=NOTHING_CHANGED)


@strawberry.type(description="The result of posting a demand.")
class PostDemandPayload:
    demand: Demand | None = strawberry.field(description="The new demand, OPEN.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was posted; empty on success.")


@strawberry.type(description="The result of changing a demand.")
class UpdateDemandPayload:
    demand: Demand | None = strawberry.field(description="The demand as changed.")
    user_errors: list[UserError] = strawberry.field(description=NOTHING_CHANGED)


@strawberry.type(description="The result of closing a demand.")
class CloseDemandPayload:
    demand: Demand | None = strawberry.field(description="The demand, now CLOSED.")
    user_errors: list[UserError] = strawberry.field(description=NOTHING_CHANGED)


@strawberry.type(description="The result of resolving a demand.")
class ResolveDemandPayload:
    demand: Demand | None = strawberry.field(description="The demand, now RESOLVED.")
    user_errors: list[UserError] = strawberry.field(description=NOTHING_CHANGED)


@strawberry.type(description="The result of proposing for a demand.")
class ProposeForDemandPayload:
    proposal: DemandProposal | None = strawberry.field(description="The new proposal.")
    demand: Demand | None = strawberry.field(description="The demand, now MATCHED if it was OPEN.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was proposed; empty on success.")
