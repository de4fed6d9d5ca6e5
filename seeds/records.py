"""The rows of a district's order history: hearings, orders, meetings and events, COPied in.

Ids are given here, not by the sequences: orders in placement order, events in the
order they happened (the subscription cursor of `resolvers.orders.events` is an event
id, and a replay must tell each order's story in time), then the sequences are moved
past them so that live inserts continue above.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from models import Meeting, MeetingKind, OrderAction, OrderEvent, OrderStatus, Role
from models import Order as OrderRow
from models.orders import Deadline
from seeds.bulk import copy_rows, move_sequence_past_rows, next_id
from seeds.lifecycle import Side
from seeds.meetings import MEETING_COLUMNS, hearings_for, meeting_row, rejections_only
from seeds.phrases import (
    COORDINATION_MINUTES,
    EVALUATION_MINUTES,
    GIVEN_NAMES,
    ORDER_NOTES,
    RESIDENT_TITLES,
    SURNAMES,
    VERDICTS,
)
from seeds.plan import District, Order
from seeds.staff import Staff

A = OrderAction
HOUR = timedelta(hours=1)
# The statuses in which an order's delivery stands.
DELIVERED = (OrderStatus.DELIVERED, OrderStatus.COMPLETED, OrderStatus.EVALUATED)

ORDER_COLUMNS = (
    "id",
    "station_id",
    "provider_id",
    "service_id",
    "project_id",
    "demand_id",
    "hearing_id",
    "placed_by_id",
    "idempotency_key",
    "quantity",
    "requested_start",
    "requested_end",
    "notes",
    "urgency",
    "status",
    "version",
    "response_due_at",
    "delivery_due_at",
    "response_alert_at",
    "delivery_alert_at",
    "resident_name",
    "resident_phone",
    "responsible_name",
    "responsible_phone",
    "responsible_user_id",
    "decline_reason",
    "rejection_reason",
    "cancellation_reason",
    "scheduled_at",
    "rating",
    "satisfaction",
    "evaluation_comment",
    "evaluated_at",
    "responded_at",
    "delivered_at",
    "created_at",
    "updated_at",
)
EVENT_COLUMNS = (
    "id",
    "order_id",
    "action",
    "from_status",
    "to_status",
    "actor_id",
    "actor_role",
    "deadline",
    "note",
    "occurred_at",
    "commit_order",
)
ROLES = {Side.STATION: Role.STATION_STAFF.name, Side.PROVIDER: Role.PROVIDER_STAFF.name}


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


async def write_district(
    connection: AsyncConnection, rng: random.Random, district: District, staff: Staff, orders: list[Order]
) -> Counter[str]:
    """COPY the district's hearings, orders, meetings and events; return rows per table."""
    first_order = await next_id(connection, OrderRow.__table__)
    meeting_ids = iter(range(await next_id(connection, Meeting.__table__), 1 << 62))
    responsible = {
        provider: [(_name(rng), f"021-5{rng.randrange(10**7):07d}") for _ in range(3)]
        for provider in district.providers
    }
    hearings: list[tuple] = []
    meetings: list[tuple] = []
    order_rows: list[tuple] = []
    events: list[tuple] = []
    for order_id, order in enumerate(orders, start=first_order):
        story, subject = order.story, order.subject
        station_user = rng.choice(staff.stations[order.station_id])
        provider_user = rng.choice(staff.providers[subject.provider_id])
        hearing_id = None
        if subject.three_meetings:
            hearing_id = next(meeting_ids)
            hearings += hearings_for(rng, hearing_id, meeting_ids, order, station_user)
        people = [step for step in story.steps if step.side is not None]
        accepted = story.taken(A.ACCEPT) is not None
        name, phone = rng.choice(responsible[subject.provider_id]) if accepted else (None, None)
        resident = (
            (_name(rng)[0] + rng.choice(RESIDENT_TITLES), _mobile(rng)) if rng.random() < 0.25 else None
        )
        evaluated = story.taken(A.EVALUATE)
        # When the deadlines were met, as the lifecycle records them: the answer, and the delivery
        # that stands (a rejected one sent the order back to work).
        answer = story.taken(A.ACCEPT) or story.taken(A.DECLINE)
        delivery = story.taken(A.DELIVER) if story.status in DELIVERED else None
        service_id, project_id = (None, subject.id) if subject.is_project else (subject.id, None)
        response_alert, response_due = story.due[Deadline.RESPONSE]
        delivery_alert, delivery_due = story.due[Deadline.DELIVERY]
        order_rows.append(
            (
                order_id,
                order.station_id,
                subject.provider_id,
                service_id,
                project_id,
                order.demand_id,
                hearing_id,
                station_user,
                f"seed-{order_id}",
                order.quantity,
                story.requested_start,
                story.requested_end,
                rng.choice(ORDER_NOTES),
                story.urgency.name,
                story.status.name,
                len(people),
                response_due,
                delivery_due,
                response_alert,
                delivery_alert,
                resident and resident[0],
                resident and resident[1],
                name,
                phone,
                staff.providers[subject.provider_id][0] if accepted else None,
                story.decline_reason,
                story.rejection_reason,
                story.cancellation_reason,
                story.scheduled_at,
                story.rating,
                story.satisfaction,
                story.comment,
                evaluated.at if evaluated else None,
                answer.at if answer else None,
                delivery.at if delivery else None,
                story.placed_at,
                people[-1].at,
            )
        )
        about = (order.station_id, subject.provider_id, service_id, project_id, order_id)
        if story.coordination_at is not None:
            held_at = max(story.placed_at, story.coordination_at - HOUR * rng.uniform(0.5, 3))
            minutes = rng.choice(COORDINATION_MINUTES).format(subject=subject.name)
            meetings.append(
                meeting_row(
                    next(meeting_ids), MeetingKind.COORDINATION, about, held_at, rng, minutes, station_user
                )
            )
        if evaluated is not None and subject.three_meetings and story.rating is not None:
            held_at = max(story.placed_at, evaluated.at - HOUR * rng.uniform(1, 5))
            verdict = VERDICTS[story.rating]
            minutes = rng.choice(EVALUATION_MINUTES).format(subject=subject.name, verdict=verdict)
            meetings.append(
                meeting_row(
                    next(meeting_ids), MeetingKind.EVALUATION, about, held_at, rng, minutes, station_user
                )
            )
        # `_value_` (the stored name) rather than `.name`: a quarter of a million events read it.
        previous: str | None = None
        for sequence, (at, action, side, to, note, deadline) in enumerate(story.steps):
            status = to._value_
            row: tuple
            if side is None:  # an alert: about the status the order was in
                row = (
                    at,
                    order_id,
                    sequence,
                    action._value_,
                    status,
                    status,
                    None,
                    None,
                    deadline and deadline._value_,
                    note,
                )
            else:
                actor = station_user if side is Side.STATION else provider_user
                row = (
                    at,
                    order_id,
                    sequence,
                    action._value_,
                    previous,
                    status,
                    actor,
                    ROLES[side],
                    None,
                    note,
                )
                previous = status
            events.append(row)
    hearings += rejections_only(rng, district, meeting_ids, staff, orders)
    # Events in the order they happened: ids are the cursors that replay a story in time.
    # (time, order, step) is unique, so tuples sort by it alone.
    events.sort()
    first_event = await next_id(connection, OrderEvent.__table__)
    event_rows = [
        # The position live cursors read is the id: events were inserted in the order they happened.
        (event_id, order_id, action, from_status, to_status, actor, role, deadline, note, at, event_id)
        for event_id, (
            at,
            order_id,
            _,
            action,
            from_status,
            to_status,
            actor,
            role,
            deadline,
            note,
        ) in enumerate(events, start=first_event)
    ]
    # Hearings before the orders placed on them, the other meetings after their orders.
    await copy_rows(connection, Meeting.__table__, MEETING_COLUMNS, hearings)
    await copy_rows(connection, OrderRow.__table__, ORDER_COLUMNS, order_rows)
    await copy_rows(connection, Meeting.__table__, MEETING_COLUMNS, meetings)
    await copy_rows(connection, OrderEvent.__table__, EVENT_COLUMNS, event_rows)
    for table in (Meeting.__table__, OrderRow.__table__, OrderEvent.__table__):
        await move_sequence_past_rows(connection, table)
    return Counter(
        {
            "orders": len(order_rows),
            "order_events": len(event_rows),
            "meetings": len(hearings) + len(meetings),
        }
    )
