"""The demands' side of a district's history: the offers providers made for them, and each demand's moves.

The catalog seed posts demands with a status and seeds.history places the orders that
status implies; here providers offer projects and resources (`demand_proposals`) where
the status says they did, and every demand gets the moves (`demand_events`) that took it
there, each one a move `DEMAND_LIFECYCLE` allows, as the live code would have recorded
it: posted by its station's staff account, matched by the first offer made before any
order, in progress with its first order (by whoever placed it), resolved by the last
evaluation of its orders (by whoever evaluated it), or resolved or closed by its staff
with a reason. Offers are only made while a demand is open or matched (`PROPOSABLE`),
so every offer comes before the demand's first order and before its staff settle it.
Both tables are COPied with their ids, the moves numbered in the order they happened.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from models import DemandAction, DemandEvent, DemandProposal, DemandStatus, OrderAction, Role
from resolvers.lists.demand_lifecycle import DEMAND_LIFECYCLE
from seeds.bulk import copy_rows, move_sequence_past_rows, next_id
from seeds.phrases import CLOSING_REASONS, CLOSING_REASONS_AFTER_ORDERS, PROPOSAL_NOTES, RESOLUTION_REASONS
from seeds.plan import District, Order
from seeds.staff import Staff

S, A = DemandStatus, DemandAction
DAY = timedelta(days=1)
PROPOSAL_COLUMNS = (
    "id",
    "demand_id",
    "provider_id",
    "project_id",
    "resource_id",
    "note",
    "created_by_id",
    "created_at",
)
EVENT_COLUMNS = (
    "id",
    "demand_id",
    "action",
    "from_status",
    "to_status",
    "actor_id",
    "actor_role",
    "order_id",
    "reason",
    "occurred_at",
)
STATION_STAFF, PROVIDER_STAFF = Role.STATION_STAFF.name, Role.PROVIDER_STAFF.name


@dataclass(frozen=True)
class _Item:
    """A published project or resource a provider can offer, and since when."""

    is_project: bool
    id: int
    provider_id: int
    since: datetime


@dataclass(frozen=True)
class _Offer:
    at: datetime
    item: _Item
    created_by: int
    note: str


@dataclass(frozen=True)
class _Move:
    at: datetime
    action: DemandAction
    actor: int
    role: str
    order_id: int | None = None
    reason: str = ""


async def write_demand_history(
    connection: AsyncConnection,
    rng: random.Random,
    district: District,
    staff: Staff,
    orders: list[Order],
    until: datetime,
) -> Counter[str]:
    """COPY the district's offers and demand moves, after its orders (their ids and placers are known)."""
    by_field: dict[int, list[_Item]] = {}
    for subject in district.subjects:
        if subject.is_project:
            item = _Item(True, subject.id, subject.provider_id, subject.available_from)
            by_field.setdefault(subject.top_category, []).append(item)
    for resource_id, provider_id, field, since in district.resources:
        by_field.setdefault(field, []).append(_Item(False, resource_id, provider_id, since))
    everything = [item for items in by_field.values() for item in items]
    orders_of: dict[int, list[Order]] = {}
    for order in orders:
        if order.demand_id is not None:
            orders_of.setdefault(order.demand_id, []).append(order)

    offers: list[tuple] = []
    moves: list[tuple] = []
    for demand_id, station_id, field, _, status, posted_at in district.demands:
        own = sorted(orders_of.get(demand_id, []), key=lambda order: order.story.placed_at)
        demand_offers = _offers(rng, staff, by_field.get(field) or everything, status, posted_at, own, until)
        offers += [(offer, demand_id) for offer in demand_offers]
        story = _moves(rng, staff.stations[station_id][0], status, posted_at, demand_offers, own, until)
        previous: DemandStatus | None = None
        for sequence, move in enumerate(story):
            to = DEMAND_LIFECYCLE[(previous, move.action)]
            moves.append((move.at, demand_id, sequence, move, previous, to))
            previous = to
        if previous is not status:
            raise AssertionError(f"the moves of demand {demand_id} end {previous}, not {status}")

    first_offer = await next_id(connection, DemandProposal.__table__)
    offer_rows = [
        (
            offer_id,
            demand_id,
            offer.item.provider_id,
            offer.item.id if offer.item.is_project else None,
            None if offer.item.is_project else offer.item.id,
            offer.note,
            offer.created_by,
            offer.at,
        )
        for offer_id, (offer, demand_id) in enumerate(offers, start=first_offer)
    ]
    # Numbered in the order they happened, as live moves are: (time, demand, step) is unique.
    moves.sort(key=lambda move: move[:3])
    first_move = await next_id(connection, DemandEvent.__table__)
    move_rows = [
        (
            move_id,
            demand_id,
            move.action._value_,
            previous and previous._value_,
            to._value_,
            move.actor,
            move.role,
            move.order_id,
            move.reason,
            move.at,
        )
        for move_id, (_, demand_id, _, move, previous, to) in enumerate(moves, start=first_move)
    ]
    await copy_rows(connection, DemandProposal.__table__, PROPOSAL_COLUMNS, offer_rows)
    await copy_rows(connection, DemandEvent.__table__, EVENT_COLUMNS, move_rows)
    for table in (DemandProposal.__table__, DemandEvent.__table__):
        await move_sequence_past_rows(connection, table)
    return Counter({"demand_proposals": len(offer_rows), "demand_events": len(move_rows)})


def _offers(
    rng: random.Random,
    staff: Staff,
    items: list[_Item],
    status: DemandStatus,
    posted_at: datetime,
    own: list[Order],
    until: datetime,
) -> list[_Offer]:
    """The offers made for a demand, oldest first: while it was open or matched, so before its
    first order; a matched one has at least one, an open one none."""
    if status is S.OPEN:
        return []
    if own:
        count = (rng.random() < 0.45) + (rng.random() < 0.1)
        end = own[0].story.placed_at
    elif status is S.MATCHED:
        count = 1 + (rng.random() < 0.4) + (rng.random() < 0.15)
        end = min(posted_at + 20 * DAY, until - timedelta(hours=1))
    else:  # settled by its staff: a resolved one met by what was offered, a closed one perhaps offered to
        count = (1 + (rng.random() < 0.3)) if status is S.RESOLVED else int(rng.random() < 0.3)
        end = posted_at + min(10 * DAY, (until - posted_at) / 3)
    times = sorted(posted_at + (end - posted_at) * rng.uniform(0.1, 0.9) for _ in range(count))
    offers: list[_Offer] = []
    offered: set[_Item] = set()
    for at in times:
        # What was published by then; resources first for a demand its staff resolve.
        available = [item for item in items if item.since <= at and item not in offered]
        if status is S.RESOLVED and not own and not offered:
            available = [item for item in available if not item.is_project] or available
        if not available:
            continue
        item = rng.choice(available)
        offered.add(item)
        offers.append(
            _Offer(at, item, rng.choice(staff.providers[item.provider_id]), rng.choice(PROPOSAL_NOTES))
        )
    if status is S.MATCHED and not offers:
        raise AssertionError("nothing was published to offer for a matched demand")
    return offers


def _moves(
    rng: random.Random,
    station_user: int,
    status: DemandStatus,
    posted_at: datetime,
    offers: list[_Offer],
    own: list[Order],
    until: datetime,
) -> list[_Move]:
    """The moves that took a demand to `status`, oldest first."""
    moves = [_Move(posted_at, A.POST, station_user, STATION_STAFF)]
    if offers:  # all made before its first order
        moves.append(_Move(offers[0].at, A.PROPOSE, offers[0].created_by, PROVIDER_STAFF))
    if own:
        first = own[0]
        moves.append(_Move(first.story.placed_at, A.ORDER, first.placed_by, STATION_STAFF, first.id))
    evaluations = [
        (step.at, order) for order in own if (step := order.story.taken(OrderAction.EVALUATE)) is not None
    ]
    if status is S.RESOLVED and evaluations:
        # Resolved demands have no order left open: the last evaluation finished them.
        at, order = max(evaluations, key=lambda evaluation: evaluation[0])
        # The station account that placed an order is the one that evaluates it (seeds.records).
        moves.append(_Move(at, A.ORDERS_EVALUATED, order.placed_by, STATION_STAFF, order.id))
    elif status in (S.RESOLVED, S.CLOSED):
        since = max([moves[-1].at, *(max(step.at for step in order.story.steps) for order in own)])
        at = since + min(DAY * rng.uniform(0.5, 15), (until - since) * rng.uniform(0.2, 0.5))
        if status is S.RESOLVED:
            moves.append(
                _Move(at, A.RESOLVE, station_user, STATION_STAFF, reason=rng.choice(RESOLUTION_REASONS))
            )
        else:
            reasons = CLOSING_REASONS_AFTER_ORDERS if own else CLOSING_REASONS
            moves.append(_Move(at, A.CLOSE, station_user, STATION_STAFF, reason=rng.choice(reasons)))
    return moves
