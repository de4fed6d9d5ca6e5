"""The inputs of the catalog's mutations, and time limits as inputs."""

from __future__ import annotations

import strawberry
from strawberry import relay

import schema.catalog.enums  # noqa: F401 - describes the model enums these inputs use
from models import Audience, CapacityPeriod, DeliveryMode, ProviderKind, PublicationStatus, Tier, Urgency
from resolvers.editing import TimeLimitOverrides
from resolvers.errors import ClientError


@strawberry.input(
    description="Overridden time limits for orders of one urgency; null hours keep the default."
)
class TimeLimitInput:
    urgency: Urgency = strawberry.field(description="The urgency class.")
    response_hours: int | None = strawberry.field(default=None, description="Hours to answer, 1 to 8784.")
    delivery_hours: int | None = strawberry.field(default=None, description="Hours to deliver, 1 to 8784.")


def time_limit_overrides(limits: list[TimeLimitInput] | None) -> TimeLimitOverrides:
    """The overrides an input gives, by urgency name; each urgency at most once."""
    overrides = {limit.urgency.name: (limit.response_hours, limit.delivery_hours) for limit in limits or ()}
    if len(overrides) < len(limits or ()):
        raise ClientError("Give each urgency at most once in `timeLimits`.", code="INVALID_INPUT")
    return overrides


KEEP = "Left out, it keeps its value."


@strawberry.input(description="A new catalog service. It starts as a DRAFT, seen only by its provider.")
class CreateServiceInput:
    code: str = strawberry.field(description="The catalog code, unique: letters, digits, `-`, `_`, `.`.")
    name: str = strawberry.field(description="The name, at most 200 characters.")
    category_id: relay.GlobalID = strawberry.field(description="The category it belongs to.")
    tier: Tier = strawberry.field(description="The livelihood tier it serves.")
    audiences: list[Audience] = strawberry.field(description="Who it is meant for; at least one.")
    delivery_modes: list[DeliveryMode] = strawberry.field(description="Where it is delivered; at least one.")
    provider_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The provider offering it: required from administrators; provider staff may leave it "
        "out (it is their own).",
    )
    description: str = strawberry.field(default="", description="What it is, at most 5,000 characters.")
    consultable_on_spot: bool = strawberry.field(
        default=False, description="Whether it can be consulted on the spot (当场咨询)."
    )
    completable_on_spot: bool = strawberry.field(
        default=False,
        description="Whether it is handled to completion on the spot (当场办结): then it is also consultable "
        "there, delivered AT_STATION and needs no lead time.",
    )
    capacity_per_period: int | None = strawberry.field(
        default=None,
        description="Orders it takes per period, 1 to 100,000; null with no period for no limit.",
    )
    capacity_period: CapacityPeriod | None = strawberry.field(
        default=None, description="The period of the capacity; given exactly when the capacity is."
    )
    lead_time_days: int = strawberry.field(default=0, description="Days of notice needed, 0 to 365.")
    time_limit_overrides: list[TimeLimitInput] | None = strawberry.field(
        name="timeLimits", default=None, description="Time limits of orders that differ from the defaults."
    )


@strawberry.input(description="Changes to a service: only the fields given change.")
class UpdateServiceInput:
    service_id: relay.GlobalID = strawberry.field(description="The service to change.")
    code: str | None = strawberry.field(default=strawberry.UNSET, description=f"The catalog code. {KEEP}")
    name: str | None = strawberry.field(default=strawberry.UNSET, description=f"The name. {KEEP}")
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"What it is; null empties it. {KEEP}"
    )
    category_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description=f"The category. {KEEP}"
    )
    tier: Tier | None = strawberry.field(default=strawberry.UNSET, description=f"The tier. {KEEP}")
    audiences: list[Audience] | None = strawberry.field(
        default=strawberry.UNSET, description=f"Who it is meant for, replacing the list. {KEEP}"
    )
    delivery_modes: list[DeliveryMode] | None = strawberry.field(
        default=strawberry.UNSET, description=f"Where it is delivered, replacing the list. {KEEP}"
    )
    consultable_on_spot: bool | None = strawberry.field(
        default=strawberry.UNSET, description=f"Whether it can be consulted on the spot. {KEEP}"
    )
    completable_on_spot: bool | None = strawberry.field(
        default=strawberry.UNSET, description=f"Whether it is handled to completion on the spot. {KEEP}"
    )
    capacity_per_period: int | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"Orders per period; null (with the period) for no limit. {KEEP}",
    )
    capacity_period: CapacityPeriod | None = strawberry.field(
        default=strawberry.UNSET, description=f"The period of the capacity. {KEEP}"
    )
    lead_time_days: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"Days of notice needed. {KEEP}"
    )
    time_limit_overrides: list[TimeLimitInput] | None = strawberry.field(
        name="timeLimits",
        default=strawberry.UNSET,
        description=f"Time limits of orders that differ from the defaults, replacing all earlier ones; "
        f"null or empty restores the defaults. {KEEP}",
    )


@strawberry.input(description="A service and the status to move it to.")
class SetServiceStatusInput:
    service_id: relay.GlobalID = strawberry.field(description="The service.")
    status: PublicationStatus = strawberry.field(
        description="The new status; `nextStatuses` of the service lists the allowed ones."
    )


@strawberry.input(description="A new provider: a department or partner unit.")
class CreateProviderInput:
    district_id: relay.GlobalID = strawberry.field(description="The district it serves.")
    code: str = strawberry.field(description="Its code, unique: letters, digits, `-`, `_`, `.`.")
    name: str = strawberry.field(description="The full name, at most 200 characters.")
    short_name: str = strawberry.field(description="The short name, at most 60 characters.")
    kind: ProviderKind = strawberry.field(description="Department or kind of partner unit.")
    description: str = strawberry.field(default="", description="What it does, at most 5,000 characters.")
    phone: str | None = strawberry.field(default=None, description="A contact phone number.")
    address: str | None = strawberry.field(default=None, description="The address.")


@strawberry.input(description="Changes to a provider: only the fields given change.")
class UpdateProviderInput:
    provider_id: relay.GlobalID = strawberry.field(description="The provider to change.")
    code: str | None = strawberry.field(default=strawberry.UNSET, description=f"Its code. {KEEP}")
    name: str | None = strawberry.field(default=strawberry.UNSET, description=f"The full name. {KEEP}")
    short_name: str | None = strawberry.field(default=strawberry.UNSET, description=f"The short name. {KEEP}")
    kind: ProviderKind | None = strawberry.field(default=strawberry.UNSET, description=f"The kind. {KEEP}")
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"What it does; null empties it. {KEEP}"
    )
    phone: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"The phone; null removes it. {KEEP}"
    )
    address: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"The address; null removes it. {KEEP}"
    )


@strawberry.input(description="A new category of the taxonomy.")
class CreateCategoryInput:
    code: str = strawberry.field(
        description="A stable slug, unique: lower-case letters and digits joined by `.`, `_` or `-`."
    )
    name: str = strawberry.field(description="The name, at most 100 characters.")
    parent_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The category above it; null for a major category."
    )
    description: str = strawberry.field(default="", description="What it covers, at most 5,000 characters.")
    position: int = strawberry.field(default=0, description="Where it sits among its siblings, 0 to 10,000.")


@strawberry.input(description="Changes to a category: only the fields given change.")
class UpdateCategoryInput:
    category_id: relay.GlobalID = strawberry.field(description="The category to change.")
    code: str | None = strawberry.field(default=strawberry.UNSET, description=f"The slug. {KEEP}")
    name: str | None = strawberry.field(default=strawberry.UNSET, description=f"The name. {KEEP}")
    parent_id: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The category to move it below (not itself nor one below it); null makes it a major "
        f"category. {KEEP}",
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"What it covers; null empties it. {KEEP}"
    )
    position: int | None = strawberry.field(
        default=strawberry.UNSET, description=f"Where it sits among its siblings. {KEEP}"
    )
