"""The inputs of the case mutations; times without an offset are Asia/Shanghai time."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from models import CaseDeadline, CaseKind, Urgency
from schema.cases import types  # noqa: F401  (describes the case enums these inputs take)
from schema.orders.inputs import ResidentInput


@strawberry.input(description="A resident's matter received at your station; you own it (首问责任制).")
class ReceiveCaseInput:
    kind: CaseKind = strawberry.field(description="Consultation, help request, complaint or suggestion.")
    urgency: Urgency = strawberry.field(description="How urgent it is; sets its deadlines as an order's.")
    subject: str = strawberry.field(description="What it is about, in a line (up to 200 characters).")
    description: str = strawberry.field(default="", description="The matter as the resident put it.")
    category_id: relay.GlobalID | None = strawberry.field(default=None, description="Its category, if any.")
    resident: ResidentInput | None = strawberry.field(
        default=None, description="The resident's name and phone, to tell them the result."
    )


@strawberry.input(description="A step of a case with an optional note.")
class CaseNoteInput:
    case_id: relay.GlobalID = strawberry.field(description="The case.")
    note: str = strawberry.field(default="", description="A note for its history, up to 2000 characters.")


@strawberry.input(description="Taking a case on as the catalog order your station placed for it.")
class TurnCaseIntoOrderInput:
    case_id: relay.GlobalID = strawberry.field(description="The case.")
    order_id: relay.GlobalID = strawberry.field(description="The catalog order of the case's station.")
    note: str = strawberry.field(default="", description="A note for its history.")


@strawberry.input(description="Taking a case on as the demand your station posted for it.")
class TurnCaseIntoDemandInput:
    case_id: relay.GlobalID = strawberry.field(description="The case.")
    demand_id: relay.GlobalID = strawberry.field(description="The demand of the case's station.")
    note: str = strawberry.field(default="", description="A note for its history.")


@strawberry.input(description="Handing a case to its next owner.")
class HandOverCaseInput:
    case_id: relay.GlobalID = strawberry.field(description="The case.")
    owner_id: relay.GlobalID = strawberry.field(
        description="The next owner: an active staff account of the case's station or of its town."
    )
    note: str = strawberry.field(default="", description="What the next owner should know.")


@strawberry.input(description="Closing a case with the result the resident is told.")
class CloseCaseInput:
    case_id: relay.GlobalID = strawberry.field(description="The case.")
    result: str = strawberry.field(description="The result, as told to the resident.")


@strawberry.input(description="The resident's answer on how satisfied they are with a closed case.")
class EvaluateCaseInput:
    case_id: relay.GlobalID = strawberry.field(description="The case.")
    satisfaction: int = strawberry.field(description="0 (not at all) to 100 (fully satisfied).")
    comment: str = strawberry.field(default="", description="What they said.")


@strawberry.input(description="Escalating a case to the district (town staff).")
class EscalateCaseInput:
    case_id: relay.GlobalID = strawberry.field(description="The case.")
    reason: str = strawberry.field(description="Why.")


@strawberry.input(description="Extending a deadline of a case (town staff).")
class ExtendCaseDeadlineInput:
    case_id: relay.GlobalID = strawberry.field(description="The case.")
    deadline: CaseDeadline = strawberry.field(description="Which deadline; it must still be owed.")
    due_at: datetime = strawberry.field(description="The new due time, later than the current one.")
    reason: str = strawberry.field(description="Why.")


@strawberry.input(description="Giving a case to another owner (town staff).")
class ReassignCaseInput:
    case_id: relay.GlobalID = strawberry.field(description="The case.")
    owner_id: relay.GlobalID = strawberry.field(
        description="The next owner: an active staff account of the case's station or of its town."
    )
    reason: str = strawberry.field(description="Why.")
