"""The inputs of the task mutations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry import relay

from models import Skill, Urgency
from schema.tasks import enums  # noqa: F401  (describes the task enums these inputs take)


@strawberry.input(description="The resident a task helps (personal data, shown to few).")
class TaskResidentInput:
    name: str = strawberry.field(description="The resident's name.")
    phone: str = strawberry.field(description="The resident's phone number.")
    address: str | None = strawberry.field(default=None, description="Where to find the resident.")


@strawberry.input(description="A task to post for a station's volunteers (派单).")
class PostTaskInput:
    title: str = strawberry.field(description="What is to be done, in a line.")
    urgency: Urgency = strawberry.field(
        description="The kind of task (应急单、重点单、常规单): sets its deadlines and the points an hour earns."
    )
    place: str = strawberry.field(description="Where the work happens; no private address (see `resident`).")
    starts_at: datetime = strawberry.field(
        description="When the work may start (Asia/Shanghai without offset)."
    )
    ends_at: datetime = strawberry.field(
        description="When the work should end; within the urgency's completion limit."
    )
    hours_expected: Decimal = strawberry.field(description="Hours the work should take, in half hours.")
    description: str = strawberry.field(default="", description="More about it.")
    required_skills: list[Skill] = strawberry.field(
        default_factory=list, description="What a volunteer must be able to do to take it (up to 5)."
    )
    station_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The station whose volunteers take it: station staff post for their own and may leave it "
        "out; town staff and administrators name it.",
    )
    demand_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The demand of that station the task answers (群众点单), if any."
    )
    resident: TaskResidentInput | None = strawberry.field(
        default=None,
        description="The resident helped, if any: seen by the station and the task's holder only.",
    )


@strawberry.input(description="Take an open task (接单).")
class TakeTaskInput:
    task_id: relay.GlobalID = strawberry.field(description="The task.")


@strawberry.input(description="Give a taken task back before starting it (退单).")
class WithdrawTaskInput:
    task_id: relay.GlobalID = strawberry.field(description="The task.")
    reason: str = strawberry.field(default="", description="Why, for the station.")


@strawberry.input(description="Start the work of a taken task.")
class StartTaskInput:
    task_id: relay.GlobalID = strawberry.field(description="The task.")
    note: str = strawberry.field(default="", description="A note for the history.")


@strawberry.input(description="Confirm a task done, with the hours actually worked; credits the points.")
class ConfirmTaskInput:
    task_id: relay.GlobalID = strawberry.field(description="The task.")
    hours_worked: Decimal = strawberry.field(description="The hours worked, in half hours (0.5 to 24).")
    note: str = strawberry.field(default="", description="A note for the history.")


@strawberry.input(description="Cancel a task not yet done.")
class CancelTaskInput:
    task_id: relay.GlobalID = strawberry.field(description="The task.")
    reason: str = strawberry.field(description="Why, for the volunteer and the history.")
