"""The case mutations: each maps its input to the resolver's arguments and answers a `CasePayload`."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import strawberry
from strawberry.types import Info

from models import Case as CaseRow
from resolvers import supervision
from resolvers.cases import lifecycle
from schema.accounts import User
from schema.cases.inputs import (
    CaseNoteInput,
    CloseCaseInput,
    EscalateCaseInput,
    EvaluateCaseInput,
    ExtendCaseDeadlineInput,
    HandOverCaseInput,
    ReassignCaseInput,
    ReceiveCaseInput,
    TurnCaseIntoDemandInput,
    TurnCaseIntoOrderInput,
)
from schema.cases.payloads import CasePayload, CaseUserError
from schema.cases.types import Case
from schema.catalog.types import Category
from schema.common import decode_id, signed
from schema.inputs import changes_of
from schema.lists.types import Demand
from schema.orders.types import Order
from schema.payloads import mutate


def case_step(
    step: Callable[..., Awaitable[CaseRow]],
    input_type: type,
    *,
    description: str,
    ids: Mapping[str, type] | None = None,
) -> Any:
    """A mutation that takes a step of the case `input.caseId`: `step(context, case id, **the input's
    other fields)`, with IDs among them decoded."""

    async def resolve(info: Info, input: Any) -> CasePayload:
        fields = changes_of(input, skip=("case_id",), ids=ids)
        operation = step(info.context, decode_id(input.case_id, Case), **fields)
        return await mutate(CasePayload, operation, input, errors=CaseUserError, case=Case.from_row)

    info = inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info)
    given = inspect.Parameter("input", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=input_type)
    return strawberry.mutation(resolver=signed(resolve, [info, given], CasePayload), description=description)


@strawberry.type
class CasesMutation:
    @strawberry.mutation(
        description="Record a resident's consultation, help request, complaint or suggestion at your station; "
        "you own it until you hand it over (首问责任制; station staff)."
    )
    async def receive_case(self, info: Info, input: ReceiveCaseInput) -> CasePayload:
        fields = changes_of(input, ids={"category_id": Category})
        resident = fields.pop("resident", None)
        request = lifecycle.ReceiveCase(
            **fields,
            resident_name=resident.name if resident is not None else None,
            resident_phone=resident.phone if resident is not None else None,
        )
        return await mutate(
            CasePayload,
            lifecycle.receive_case(info.context, request),
            input,
            errors=CaseUserError,
            case=Case.from_row,
        )

    handle_case_on_spot = case_step(
        lifecycle.handle_on_spot, CaseNoteInput, description="Handle a received case on the spot (its owner)."
    )
    turn_case_into_order = case_step(
        lifecycle.turn_into_order,
        TurnCaseIntoOrderInput,
        description="Take a received case on as the catalog order placed for it (its owner).",
        ids={"order_id": Order},
    )
    turn_case_into_demand = case_step(
        lifecycle.turn_into_demand,
        TurnCaseIntoDemandInput,
        description="Take a received case on as the demand posted for it (its owner).",
        ids={"demand_id": Demand},
    )
    hand_over_case = case_step(
        lifecycle.hand_over,
        HandOverCaseInput,
        description="Hand an open case to its next owner, staff of its station or town (its owner).",
        ids={"owner_id": User},
    )
    close_case = case_step(
        lifecycle.close_case,
        CloseCaseInput,
        description="Close a case taken on, with the result the resident is told (its owner).",
    )
    evaluate_case = case_step(
        lifecycle.evaluate_case,
        EvaluateCaseInput,
        description="Record the resident's satisfaction with a closed case (its owner).",
    )
    urge_case = case_step(
        supervision.urge_case,
        CaseNoteInput,
        description="Urge (督办) an open case of your town on (town staff).",
    )
    escalate_case = case_step(
        supervision.escalate_case,
        EscalateCaseInput,
        description="Escalate an open case of your town to the district (town staff).",
    )
    extend_case_deadline = case_step(
        supervision.extend_case_deadline,
        ExtendCaseDeadlineInput,
        description="Extend a deadline of an open case of your town, with a reason (town staff).",
    )
    reassign_case = case_step(
        supervision.reassign_case,
        ReassignCaseInput,
        description="Give an open case of your town to another owner (town staff).",
        ids={"owner_id": User},
    )
