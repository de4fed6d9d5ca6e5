"""Mutation inputs of the three lists, and the resolver fields and changes each one gives."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from models import Audience, Availability, CapacityPeriod, PublicationStatus, ResourceKind, Tier, Urgency
from resolvers.lists.demands import DemandFields
from resolvers.lists.projects import ProjectFields
from resolvers.lists.resources import ResourceFields
from schema.catalog.inputs import TimeLimitInput, time_limit_overrides
from schema.catalog.types import Category, Provider
from schema.common import decode_id
from schema.inputs import changes_of, fields_of
from schema.lists.types import Demand, Project, Resource
from schema.places import Station

KEEP = "Left out, it keeps its value."
# The IDs inputs name other objects by, and the node types they must be IDs of.
IDS = {
    "provider_id": Provider,
    "category_id": Category,
    "station_id": Station,
    "resource_id": Resource,
    "project_id": Project,
    "demand_id": Demand,
    "resource_ids": Resource,
}


def entry_changes(input: Any) -> dict[str, Any]:
    """The model fields a partial update of a resource, project or demand sets."""
    return changes_of(
        input,
        skip=("resource_id", "project_id", "demand_id", "resource_ids"),
        ids=IDS,
        time_limit_overrides=time_limit_overrides,
    )


@strawberry.input(description="A new resource. It starts as a DRAFT, seen only by its provider.")
class CreateResourceInput:
    code: str = strawberry.field(description="The resource code, unique: letters, digits, `-`, `_`, `.`.")
    name: str = strawberry.field(description="The name, at most 200 characters.")
    category_id: relay.GlobalID = strawberry.field(description="The category it belongs to.")
    kind: ResourceKind = strawberry.field(description="What kind of resource it is.")
    tier: Tier = strawberry.field(description="The livelihood tier it serves.")
    audiences: list[Audience] = strawberry.field(description="Who it is meant for; at least one.")
    quantity: Decimal = strawberry.field(description="How much there is, in `unit`: 0 or more, two decimals.")
    unit: str = strawberry.field(description="The unit of `quantity`, e.g. 平方米; at most 20 characters.")
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The provider offering it: required from administrators; provider staff may leave it "
        "out (it is their own).",
    )
    description: str = strawberry.field(default="", description="What it is, at most 5,000 characters.")
    availability: Availability = strawberry.field(
        default=Availability.AVAILABLE, description="Whether it can be used now."
    )
    availability_note: str = strawberry.field(
        default="", description="When or how it is available, at most 200 characters."
    )

    def to_fields(self) -> ResourceFields:
        return fields_of(self, ResourceFields, ids=IDS)


@strawberry.input(description="Changes to a resource: only the fields given change.")
class UpdateResourceInput:
    resource_id: relay.GlobalID = strawberry.field(description="The resource to change.")
    code: str | None = strawberry.field(default=strawberry.UNSET, description=f"The code. {KEEP}")
    name: str | None = strawberry.field(default=strawberry.UNSET, description=f"The name. {KEEP}")
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"What it is; null empties it. {KEEP}"
    )
    category_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description=f"The category. {KEEP}"
    )
    kind: ResourceKind | None = strawberry.field(default=strawberry.UNSET, description=f"The kind. {KEEP}")
    tier: Tier | None = strawberry.field(default=strawberry.UNSET, description=f"The tier. {KEEP}")
    audiences: list[Audience] | None = strawberry.field(
        default=strawberry.UNSET, description=f"Who it is meant for, replacing the list. {KEEP}"
    )
    quantity: Decimal | None = strawberry.field(default=strawberry.UNSET, description=f"How much. {KEEP}")
    unit: str | None = strawberry.field(default=strawberry.UNSET, description=f"The unit. {KEEP}")
    availability: Availability | None = strawberry.field(
        default=strawberry.UNSET, description=f"Whether it can be used now. {KEEP}"
    )
    availability_note: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"When or how it is available; null empties it. {KEEP}"
    )


@strawberry.input(description="A resource and the status to move it to.")
class SetResourceStatusInput:
    resource_id: relay.GlobalID = strawberry.field(description="The resource.")
    status: PublicationStatus = strawberry.field(
        description="The new status; `nextStatuses` of the resource lists the allowed ones."
    )


@strawberry.input(description="A new project. It starts as a DRAFT, seen only by its provider.")
class CreateProjectInput:
    code: str = strawberry.field(description="The project code, unique: letters, digits, `-`, `_`, `.`.")
    name: str = strawberry.field(description="The name, at most 200 characters.")
    category_id: relay.GlobalID = strawberry.field(description="The category it belongs to.")
    tier: Tier = strawberry.field(description="The livelihood tier it serves.")
    audiences: list[Audience] = strawberry.field(description="Who it is meant for; at least one.")
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The provider delivering it: required from administrators; provider staff may leave it "
        "out (it is their own).",
    )
    description: str = strawberry.field(default="", description="What it delivers, at most 5,000 characters.")
    capacity_per_period: int | None = strawberry.field(
        default=None,
        description="Orders it takes per period, 1 to 100,000; null with no period for no limit.",
    )
    capacity_period: CapacityPeriod | None = strawberry.field(
        default=None, description="The period of the capacity; given exactly when the capacity is."
    )
    requires_three_meetings: bool = strawberry.field(
        default=False, description="Whether ordering it needs the three meetings (三会)."
    )
    resource_ids: list[relay.GlobalID] = strawberry.field(
        default_factory=list,
        description="The resources it uses: its own provider's, not retired; at most 50.",
    )
    time_limit_overrides: list[TimeLimitInput] | None = strawberry.field(
        name="timeLimits", default=None, description="Time limits of orders that differ from the defaults."
    )

    def to_fields(self) -> ProjectFields:
        return fields_of(self, ProjectFields, ids=IDS, time_limit_overrides=time_limit_overrides)

    def resources(self) -> list[int]:
        return [decode_id(resource_id, Resource) for resource_id in self.resource_ids]


@strawberry.input(description="Changes to a project: only the fields given change.")
class UpdateProjectInput:
    project_id: relay.GlobalID = strawberry.field(description="The project to change.")
    code: str | None = strawberry.field(default=strawberry.UNSET, description=f"The code. {KEEP}")
    name: str | None = strawberry.field(default=strawberry.UNSET, description=f"The name. {KEEP}")
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"What it delivers; null empties it. {KEEP}"
    )
    category_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description=f"The category. {KEEP}"
    )
    tier: Tier | None = strawberry.field(default=strawberry.UNSET, description=f"The tier. {KEEP}")
    audiences: list[Audience] | None = strawberry.field(
        default=strawberry.UNSET, description=f"Who it is meant for, replacing the list. {KEEP}"
    )
    capacity_per_period: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"Orders per period; null (with the period) for no limit. {KEEP}",
    )
    capacity_period: CapacityPeriod | None = strawberry.field(
        default=strawberry.UNSET, description=f"The period of the capacity. {KEEP}"
    )
    requires_three_meetings: bool | None = strawberry.field(
        default=strawberry.UNSET, description=f"Whether ordering it needs the three meetings. {KEEP}"
    )
    resource_ids: list[relay.GlobalID] | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"The resources it uses, replacing them all; null or [] for none. {KEEP}",
    )
    time_limit_overrides: list[TimeLimitInput] | None = strawberry.field(
        name="timeLimits",
        default=strawberry.UNSET,
        description=f"Time limits of orders that differ from the defaults, replacing all earlier ones; "
        f"null or empty restores the defaults. {KEEP}",
    )

    def resources(self) -> list[int] | None:
        """The resources that replace the project's, or None to keep them."""
        if self.resource_ids is strawberry.UNSET:
            return None
        return [decode_id(resource_id, Resource) for resource_id in self.resource_ids or []]


@strawberry.input(description="A project and the status to move it to.")
class SetProjectStatusInput:
    project_id: relay.GlobalID = strawberry.field(description="The project.")
    status: PublicationStatus = strawberry.field(
        description="The new status; `nextStatuses` of the project lists the allowed ones."
    )


@strawberry.input(description="A new demand of a station. It is posted OPEN.")
class PostDemandInput:
    title: str = strawberry.field(description="A short title, at most 200 characters.")
    category_id: relay.GlobalID = strawberry.field(description="The category of the need.")
    audiences: list[Audience] = strawberry.field(description="Who would benefit; at least one.")
    beneficiaries: int = strawberry.field(description="How many residents would benefit, 1 to 100,000.")
    urgency: Urgency = strawberry.field(description="How urgent it is.")
    station_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The station posting it: required from administrators; station staff may leave it out "
        "(it is their own).",
    )
    description: str = strawberry.field(
        default="", description="What is needed, for whom and why; at most 5,000 characters."
    )
    tier: Tier | None = strawberry.field(
        default=None, description="The livelihood tier the need falls under, when known."
    )

    def to_fields(self) -> DemandFields:
        return fields_of(self, DemandFields, ids=IDS)


@strawberry.input(description="Changes to an open or matched demand: only the fields given change.")
class UpdateDemandInput:
    demand_id: relay.GlobalID = strawberry.field(description="The demand to change.")
    title: str | None = strawberry.field(default=strawberry.UNSET, description=f"The title. {KEEP}")
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"What is needed; null empties it. {KEEP}"
    )
    category_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description=f"The category. {KEEP}"
    )
    audiences: list[Audience] | None = strawberry.field(
        default=strawberry.UNSET, description=f"Who would benefit, replacing the list. {KEEP}"
    )
    beneficiaries: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"How many residents would benefit. {KEEP}"
    )
    urgency: Urgency | None = strawberry.field(default=strawberry.UNSET, description=f"The urgency. {KEEP}")
    tier: Tier | None = strawberry.field(
        default=strawberry.UNSET, description=f"The livelihood tier; null when not known. {KEEP}"
    )


@strawberry.input(description="A demand to withdraw.")
class CloseDemandInput:
    demand_id: relay.GlobalID = strawberry.field(description="The demand; open, matched or in progress.")
    reason: str = strawberry.field(
        default="", description="Why it is withdrawn, up to 1000 characters; kept in its history."
    )


@strawberry.input(description="A demand its station resolves itself, saying how it was met.")
class ResolveDemandInput:
    demand_id: relay.GlobalID = strawberry.field(description="The demand; open, matched or in progress.")
    reason: str = strawberry.field(description="How the demand was met, up to 1000 characters.")


@strawberry.input(description="An offer of one published project or resource for a demand.")
class ProposeForDemandInput:
    demand_id: relay.GlobalID = strawberry.field(description="The demand, open or matched.")
    project_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The project offered; give it or `resourceId`, not both."
    )
    resource_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The resource offered; give it or `projectId`, not both."
    )
    note: str = strawberry.field(default="", description="A word to the station, at most 2,000 characters.")
