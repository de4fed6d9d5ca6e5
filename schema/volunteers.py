"""Volunteers (党员接单): their type, lists, registration and profile mutations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from models import DayPart, Skill
from resolvers import volunteers as resolvers
from resolvers.tasks import queries as task_queries
from resolvers.time_bank import queries as time_bank
from resolvers.volunteers import VolunteerOrderField
from schema.common import (
    Connection,
    OrderDirection,
    RowNode,
    decode_id,
    describe_enum,
    lookup_id,
    related_field,
)
from schema.connections import FilterInput, SortInput, connection_field, lazy
from schema.inputs import changes_of, fields_of
from schema.payloads import UserError, mutate
from schema.places import Station, Town
from schema.tasks import enums  # noqa: F401  (describes Skill and DayPart, which tasks share)

describe_enum(
    VolunteerOrderField, "What volunteers can be ordered by.", {"REGISTERED_AT": "When they registered."}
)


@strawberry.type(description="A weekly slot in which a volunteer is usually free.")
class AvailabilitySlot:
    weekday: int = strawberry.field(description="The ISO weekday: 1 is Monday, 7 Sunday.")
    day_part: DayPart = strawberry.field(description="The part of that day.")


@strawberry.input(description="A weekly slot in which a volunteer is usually free.")
class AvailabilitySlotInput:
    weekday: int = strawberry.field(description="The ISO weekday: 1 is Monday, 7 Sunday.")
    day_part: DayPart = strawberry.field(description="The part of that day.")


def _slots(given: list[AvailabilitySlotInput] | None) -> tuple[resolvers.Slot, ...] | None:
    if given is None:
        return None
    return tuple(resolvers.Slot(slot.weekday, slot.day_part) for slot in given)


@strawberry.type(
    description="A resident volunteer registered at a station (party member or not), who takes tasks the "
    "station dispatches (党员接单) and earns time-bank points. Seen by the volunteer, their station's and "
    "town's staff and administrators."
)
class Volunteer(RowNode):
    id: relay.NodeID[int]
    is_party_member: bool = strawberry.field(description="Whether the volunteer is a Party member (党员).")
    skills: list[Skill] = strawberry.field(description="What the volunteer can do.")
    created_at: datetime = strawberry.field(description="When the volunteer registered.")
    updated_at: datetime = strawberry.field(description="When the profile last changed.")
    station_id: strawberry.Private[int]

    @classmethod
    def loader(cls, info: Info) -> DataLoader[int, Any]:
        return resolvers.volunteer_loader(info.context)

    station = related_field(Station, "station_id", description="The station the volunteer is registered at.")

    async def _account(self, info: Info) -> Any:
        return await resolvers.account_loader(info.context).load(self.id)

    @strawberry.field(description="The volunteer's name.")
    async def display_name(self, info: Info) -> str:
        return str((await self._account(info)).display_name)

    @strawberry.field(description="The volunteer's sign-in name.")
    async def username(self, info: Info) -> str:
        return str((await self._account(info)).username)

    @strawberry.field(description="The volunteer's phone number.")
    async def phone(self, info: Info) -> str | None:
        phone: str | None = (await self._account(info)).phone
        return phone

    @strawberry.field(description="Whether the volunteer's account may sign in (false once deactivated).")
    async def is_active(self, info: Info) -> bool:
        return bool((await self._account(info)).is_active)

    @strawberry.field(description="The weekly slots the volunteer is usually free in, Monday morning first.")
    async def availability(self, info: Info) -> list[AvailabilitySlot]:
        slots = await resolvers.availability_loader(info.context).load(self.id)
        return [AvailabilitySlot(weekday=slot.weekday, day_part=slot.day_part) for slot in slots]

    @strawberry.field(
        description="The volunteer's time-bank points now: the sum of their ledger lines (never negative)."
    )
    async def points_balance(self, info: Info) -> int:
        return await time_bank.balance_loader(info.context).load(self.id)

    points_history = connection_field(
        lazy("PointsMovementConnection", "schema.time_bank.types"),
        time_bank.history_of_volunteer,
        description="Every movement of the volunteer's points, newest first: earned for confirmed work, "
        "spent on rewards.",
        parent=lambda volunteer: volunteer.id,
    )
    tasks = connection_field(
        lazy("TaskConnection", "schema.tasks.types"),
        task_queries.tasks_of_volunteer,
        description="The tasks the volunteer holds or held (taken, in progress, completed), newest first.",
        filter=lazy("TaskFilter", "schema.tasks.filters"),
        sort=lazy("TaskOrder", "schema.tasks.filters"),
        parent=lambda volunteer: volunteer.id,
    )
    redemptions = connection_field(
        lazy("RedemptionConnection", "schema.time_bank.types"),
        time_bank.redemptions_of_volunteer,
        description="The rewards the volunteer redeemed points for, newest first.",
        filter=lazy("RedemptionFilter", "schema.time_bank.types"),
        sort=lazy("RedemptionOrder", "schema.time_bank.types"),
        parent=lambda volunteer: volunteer.id,
    )


@strawberry.type(description="A page of volunteers.")
class VolunteerConnection(Connection[Volunteer]):
    pass


@strawberry.input(description="How to order volunteers.")
class VolunteerOrder(SortInput):
    field: VolunteerOrderField = strawberry.field(description="The field to order by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="The direction.")
    ordering = staticmethod(resolvers.volunteer_ordering)


@strawberry.input(description="Which volunteers to list, among those you may see; all conditions must hold.")
class VolunteerFilter(FilterInput):
    station_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Volunteers of this station."
    )
    town_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Volunteers of this town's stations."
    )
    skills: list[Skill] | None = strawberry.field(
        default=None, description="Volunteers with all of these skills."
    )
    is_party_member: bool | None = strawberry.field(default=None, description="Party members (or not).")
    is_active: bool | None = strawberry.field(default=None, description="Active (or deactivated) volunteers.")
    available: AvailabilitySlotInput | None = strawberry.field(
        default=None, description="Volunteers usually free in this weekly slot."
    )
    search: str | None = strawberry.field(
        default=None, description="Words the volunteer's name or username contains, all of them."
    )

    def to_filter(self) -> resolvers.VolunteerFilter:
        return fields_of(
            self,
            resolvers.VolunteerFilter,
            ids={"station_id": Station, "town_id": Town},
            skills=lambda given: tuple(given or ()),
            available=lambda given: resolvers.Slot(given.weekday, given.day_part) if given else None,
        )


@strawberry.input(description="A volunteer to register at a station, with their account.")
class RegisterVolunteerInput:
    username: str = strawberry.field(description="The sign-in name, unique.")
    password: str = strawberry.field(description="At least 8 characters.")
    display_name: str = strawberry.field(description="The volunteer's name.")
    phone: str = strawberry.field(description="The volunteer's phone number.")
    is_party_member: bool = strawberry.field(description="Whether the volunteer is a Party member (党员).")
    skills: list[Skill] = strawberry.field(default_factory=list, description="What the volunteer can do.")
    availability: list[AvailabilitySlotInput] = strawberry.field(
        default_factory=list, description="The weekly slots the volunteer is usually free in."
    )
    station_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The station; station staff register at their own and may leave it out."
    )


@strawberry.input(description="Changes to a volunteer's profile: only the fields given change.")
class UpdateVolunteerInput:
    volunteer_id: relay.GlobalID = strawberry.field(description="The volunteer to change.")
    skills: list[Skill] | None = strawberry.field(
        default=strawberry.UNSET, description="What the volunteer can do, replacing the list."
    )
    availability: list[AvailabilitySlotInput] | None = strawberry.field(
        default=strawberry.UNSET, description="The weekly slots, replacing them."
    )
    is_party_member: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Party membership; recorded by the station, not the volunteer."
    )


@strawberry.input(description="Deactivate or reactivate a volunteer's account.")
class SetVolunteerActiveInput:
    volunteer_id: relay.GlobalID = strawberry.field(description="The volunteer.")
    is_active: bool = strawberry.field(
        description="False refuses the volunteer's tokens from the next request on; true lets them sign in again."
    )


@strawberry.type(description="The result of a volunteer mutation.")
class VolunteerPayload:
    volunteer: Volunteer | None = strawberry.field(
        description="The volunteer as it is now; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type
class VolunteersQuery:
    @strawberry.field(description="A volunteer by ID; null when none has it or you may not see them.")
    async def volunteer(self, info: Info, id: relay.GlobalID) -> Volunteer | None:
        return await Volunteer.load(info, lookup_id(id, Volunteer))

    @strawberry.field(description="Your own volunteer profile; null unless you signed in as a volunteer.")
    async def my_volunteer_profile(self, info: Info) -> Volunteer | None:
        return await Volunteer.load(info, info.context.viewer.user_id)

    volunteers = connection_field(
        VolunteerConnection,
        resolvers.list_volunteers,
        description="The volunteers you may see, newest first: a station its own, a town its stations', "
        "administrators all, a volunteer only themselves.",
        filter=VolunteerFilter,
        sort=VolunteerOrder,
    )


@strawberry.type
class VolunteersMutation:
    @strawberry.mutation(
        description="Register a volunteer at a station with their account, profile and points account "
        "(station staff for their station, administrators for any)."
    )
    async def register_volunteer(self, info: Info, input: RegisterVolunteerInput) -> VolunteerPayload:
        new = fields_of(
            input,
            resolvers.NewVolunteer,
            ids={"station_id": Station},
            skills=tuple,
            availability=_slots,
        )
        return await mutate(
            VolunteerPayload,
            resolvers.register_volunteer(info.context, new),
            input,
            volunteer=Volunteer.from_row,
        )

    @strawberry.mutation(
        description="Change a volunteer's skills and availability (the volunteer themselves, their station, "
        "administrators) or party membership (their station, administrators)."
    )
    async def update_volunteer(self, info: Info, input: UpdateVolunteerInput) -> VolunteerPayload:
        changes = changes_of(
            input,
            skip=("volunteer_id",),
            skills=lambda given: tuple(given) if given is not None else None,
            availability=_slots,
        )
        operation = resolvers.update_volunteer(
            info.context, decode_id(input.volunteer_id, Volunteer), changes
        )
        return await mutate(VolunteerPayload, operation, input, volunteer=Volunteer.from_row)

    @strawberry.mutation(
        description="Deactivate or reactivate a volunteer (their station's staff, administrators). A volunteer "
        "holding a task not yet done is not deactivated."
    )
    async def set_volunteer_active(self, info: Info, input: SetVolunteerActiveInput) -> VolunteerPayload:
        operation = resolvers.set_volunteer_active(
            info.context, decode_id(input.volunteer_id, Volunteer), input.is_active
        )
        return await mutate(VolunteerPayload, operation, input, volunteer=Volunteer.from_row)
