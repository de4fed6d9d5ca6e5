"""Whistles (吹哨报到): a station calls a named department in for a matter outside any catalog.

A whistle is an order of kind WHISTLE with no service or project: the called department is
its provider and must answer it within the urgency's response limit, by accepting it and
naming the person responsible, or by referring it to another department (REFER, in
`resolvers.orders.lifecycle.LIFECYCLE`). From there it follows the order lifecycle, deadlines,
events, feeds, boards and statistics. Blown from a case, the case takes its WHISTLE step in
the same transaction and links the whistle.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CaseAction, Order, OrderAction, OrderKind, Provider, Station, Town, Urgency
from resolvers.access import WHISTLERS, require_role
from resolvers.cases.lifecycle import CaseStep, changing_case
from resolvers.context import Context
from resolvers.errors import Checks, ErrorCode, Refused, UserError
from resolvers.orders.checks import MAX_IDEMPOTENCY_KEY, MAX_NOTE, MAX_REASON, check_text
from resolvers.orders.deadlines import deadlines, today
from resolvers.orders.events import append_event
from resolvers.orders.idempotency import insert_unless_placed, placed_with_key
from resolvers.orders.lifecycle import Step, authorize, take


@dataclass(frozen=True)
class BlowWhistle:
    idempotency_key: str
    provider_id: int
    matter: str
    urgency: Urgency
    case_id: int | None = None


def _digest(request: BlowWhistle) -> str:
    fields = {
        "kind": OrderKind.WHISTLE.name,
        "provider_id": request.provider_id,
        "matter": request.matter.strip(),
        "urgency": request.urgency.name,
        "case_id": request.case_id,
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


async def department_of_district(session: AsyncSession, provider_id: int, station_id: int | None) -> bool:
    """Whether the provider serves the district of the station."""
    found = await session.scalar(
        select(Provider.id)
        .join(Town, Town.district_id == Provider.district_id)
        .join(Station, Station.town_id == Town.id)
        .where(Provider.id == provider_id, Station.id == station_id)
    )
    return found is not None


def _retried(whistle: Order, digest: str) -> Order:
    """The whistle a retry's key placed, if the retry asks for the same; refused otherwise."""
    if whistle.request_hash != digest:
        raise Refused(
            UserError(
                ErrorCode.IDEMPOTENCY_KEY_REUSED,
                "This idempotency key was used for something else; use a new key for a new whistle.",
                ["idempotency_key"],
            )
        )
    return whistle


async def blow_whistle(ctx: Context, request: BlowWhistle) -> Order:
    """Call a department in for the viewer's station; a retry with the same key returns the first whistle."""
    viewer = require_role(ctx, *WHISTLERS)
    checks = Checks()
    checks.text("idempotency_key", request.idempotency_key, max_length=MAX_IDEMPOTENCY_KEY)
    checks.text("matter", request.matter, max_length=MAX_NOTE)
    checks.done()
    digest = _digest(request)
    async with ctx.transaction() as session:
        existing = await placed_with_key(session, viewer.user_id, request.idempotency_key)
        if existing is not None:
            return _retried(existing, digest)
        if not await department_of_district(session, request.provider_id, viewer.station_id):
            raise Refused(
                UserError(ErrorCode.NOT_FOUND, "No such department in your district.", ["provider_id"])
            )
        placed_at = (await session.execute(select(func.now()))).scalar_one()
        due = deadlines(None, request.urgency, placed_at, today())
        whistle = await insert_unless_placed(
            session,
            {
                "kind": OrderKind.WHISTLE,
                "matter": request.matter.strip(),
                "station_id": viewer.station_id,
                "provider_id": request.provider_id,
                "placed_by_id": viewer.user_id,
                "idempotency_key": request.idempotency_key,
                "request_hash": digest,
                "quantity": 1,
                # The work may begin at once; it is due by the urgency's delivery limit.
                "requested_start": today(),
                "requested_end": due.delivery_due_at.date(),
                "notes": "",
                "urgency": request.urgency,
                **due.submitted(placed_at),
            },
        )
        if whistle is None:
            # The original committed since this retry's first read: the insert waited for it.
            twin = await placed_with_key(session, viewer.user_id, request.idempotency_key)
            assert twin is not None  # the conflicting order is committed, and orders are never deleted
            return _retried(twin, digest)
        if request.case_id is not None:
            try:
                case = await changing_case(
                    session, viewer, request.case_id, CaseStep(CaseAction.WHISTLE, {"order_id": whistle.id})
                )
            except Refused as refused:
                # Answered as an order mutation's errors: about the case named, not the order's state.
                raise Refused(*(UserError(e.code, e.message, ["case_id"]) for e in refused.errors)) from None
            # The department reaches the resident the case is about, as a proxy order's provider does.
            whistle.resident_name, whistle.resident_phone = case.resident_name, case.resident_phone
            whistle.updated_at = placed_at
            await session.flush()
            # The case's step ran statements of its own in the session: the whistle is read back whole.
            await session.refresh(whistle)
        await append_event(
            session,
            whistle,
            action=OrderAction.PLACE,
            from_status=None,
            actor=viewer,
            note=whistle.matter or "",
        )
    return whistle


async def refer_whistle(ctx: Context, order_id: int, *, provider_id: int, reason: str) -> Order:
    """The called department hands the whistle on to another department of the district, which must
    answer it by the same response deadline: a referral does not restart the clock."""
    authorize(ctx, OrderAction.REFER)
    check_text("reason", reason, MAX_REASON, required=True)

    async def validate(session: AsyncSession, order: Order) -> None:
        if provider_id == order.provider_id:
            raise Refused(
                UserError(ErrorCode.INVALID, "The whistle is already with that department.", ["provider_id"])
            )
        if not await department_of_district(session, provider_id, order.station_id):
            raise Refused(
                UserError(ErrorCode.NOT_FOUND, "No such department in the district.", ["provider_id"])
            )

    step = Step(OrderAction.REFER, {"provider_id": provider_id}, reason.strip(), validate)
    return await take(ctx, order_id, step)
