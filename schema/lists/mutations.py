"""ListsMutation: managing resources and projects, posting demands and answering them."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.lists import demands, projects, proposals, resources
from schema.catalog.types import Provider
from schema.common import decode_id
from schema.inputs import changes_of
from schema.lists.inputs import (
    IDS,
    CloseDemandInput,
    CreateProjectInput,
    CreateResourceInput,
    PostDemandInput,
    ProposeForDemandInput,
    ResolveDemandInput,
    SetProjectStatusInput,
    SetResourceStatusInput,
    UpdateDemandInput,
    UpdateProjectInput,
    UpdateResourceInput,
    entry_changes,
)
from schema.lists.payloads import (
    CloseDemandPayload,
    CreateProjectPayload,
    CreateResourcePayload,
    PostDemandPayload,
    ProposeForDemandPayload,
    ResolveDemandPayload,
    SetProjectStatusPayload,
    SetResourceStatusPayload,
    UpdateDemandPayload,
    UpdateProjectPayload,
    UpdateResourcePayload,
)
from schema.lists.types import Demand, DemandProposal, Project, Resource
from schema.payloads import mutate
from schema.places import Station


@strawberry.type
class ListsMutation:
    @strawberry.mutation(
        description="Create a resource as a draft (provider staff for their provider, administrators for any)."
    )
    async def create_resource(self, info: Info, input: CreateResourceInput) -> CreateResourcePayload:
        return await mutate(
            CreateResourcePayload,
            resources.create_resource(
                info.context, input.to_fields(), decode_id(input.provider_id, Provider)
            ),
            input,
            resource=Resource.from_row,
        )

    @strawberry.mutation(
        description="Change some fields of a resource (its provider's staff, administrators)."
    )
    async def update_resource(self, info: Info, input: UpdateResourceInput) -> UpdateResourcePayload:
        return await mutate(
            UpdateResourcePayload,
            resources.update_resource(
                info.context, decode_id(input.resource_id, Resource), entry_changes(input)
            ),
            input,
            resource=Resource.from_row,
        )

    @strawberry.mutation(
        description="Publish, suspend or retire a resource (its provider's staff, administrators)."
    )
    async def set_resource_status(
        self, info: Info, input: SetResourceStatusInput
    ) -> SetResourceStatusPayload:
        return await mutate(
            SetResourceStatusPayload,
            resources.set_resource_status(info.context, decode_id(input.resource_id, Resource), input.status),
            input,
            resource=Resource.from_row,
        )

    @strawberry.mutation(
        description="Create a project as a draft (provider staff for their provider, administrators for any)."
    )
    async def create_project(self, info: Info, input: CreateProjectInput) -> CreateProjectPayload:
        return await mutate(
            CreateProjectPayload,
            projects.create_project(
                info.context, input.to_fields(), input.resources(), decode_id(input.provider_id, Provider)
            ),
            input,
            project=Project.from_row,
        )

    @strawberry.mutation(
        description="Change some fields of a project, or replace its resources (its provider's staff, "
        "administrators)."
    )
    async def update_project(self, info: Info, input: UpdateProjectInput) -> UpdateProjectPayload:
        return await mutate(
            UpdateProjectPayload,
            projects.update_project(
                info.context, decode_id(input.project_id, Project), entry_changes(input), input.resources()
            ),
            input,
            project=Project.from_row,
        )

    @strawberry.mutation(
        description="Publish, suspend or retire a project (its provider's staff, administrators)."
    )
    async def set_project_status(self, info: Info, input: SetProjectStatusInput) -> SetProjectStatusPayload:
        return await mutate(
            SetProjectStatusPayload,
            projects.set_project_status(info.context, decode_id(input.project_id, Project), input.status),
            input,
            project=Project.from_row,
        )

    @strawberry.mutation(
        description="Post a demand (station staff for their station, administrators for any station)."
    )
    async def post_demand(self, info: Info, input: PostDemandInput) -> PostDemandPayload:
        return await mutate(
            PostDemandPayload,
            demands.post_demand(info.context, input.to_fields(), decode_id(input.station_id, Station)),
            input,
            demand=Demand.from_row,
        )

    @strawberry.mutation(
        description="Change some fields of an open or matched demand (its station's staff, administrators)."
    )
    async def update_demand(self, info: Info, input: UpdateDemandInput) -> UpdateDemandPayload:
        return await mutate(
            UpdateDemandPayload,
            demands.update_demand(info.context, decode_id(input.demand_id, Demand), entry_changes(input)),
            input,
            demand=Demand.from_row,
        )

    @strawberry.mutation(description="Withdraw a demand (its station's staff, administrators).")
    async def close_demand(self, info: Info, input: CloseDemandInput) -> CloseDemandPayload:
        return await mutate(
            CloseDemandPayload,
            demands.close_demand(info.context, decode_id(input.demand_id, Demand), input.reason),
            input,
            demand=Demand.from_row,
        )

    @strawberry.mutation(
        description="Resolve a demand met otherwise than by the evaluation of its last order, with how "
        "(its station's staff, administrators). Recorded in its history."
    )
    async def resolve_demand(self, info: Info, input: ResolveDemandInput) -> ResolveDemandPayload:
        return await mutate(
            ResolveDemandPayload,
            demands.resolve_demand(info.context, decode_id(input.demand_id, Demand), input.reason),
            input,
            demand=Demand.from_row,
        )

    @strawberry.mutation(
        description="Offer a published project or resource of your provider for a demand you see "
        "(provider staff; administrators for the item's provider). An OPEN demand becomes MATCHED."
    )
    async def propose_for_demand(self, info: Info, input: ProposeForDemandInput) -> ProposeForDemandPayload:
        return await mutate(
            ProposeForDemandPayload,
            proposals.propose_for_demand(info.context, **changes_of(input, ids=IDS)),
            input,
            proposal=lambda result: DemandProposal.from_row(result[0]),
            demand=lambda result: Demand.from_row(result[1]),
        )
