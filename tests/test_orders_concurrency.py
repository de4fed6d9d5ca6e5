"""Orders under concurrent requests: each request has its own database connection."""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from models import Order
from tests.case_steps import blow, viewer_scope
from tests.helpers import scalar
from tests.order_steps import (
    PLACE,
    act,
    action_input,
    create_account,
    day,
    db_id,
    mutation_text,
    place,
    place_input,
    stations,
    unlimited_service,
)


async def _limit(api, service: dict, capacity: int) -> None:
    async with api.engine.begin() as connection:
        await connection.execute(
            text(
                "UPDATE services SET capacity_per_period = :capacity, capacity_period = 'MONTH', "
                "lead_time_days = 0 WHERE id = :id"
            ),
            {"capacity": capacity, "id": db_id(service["id"])},
        )


async def test_concurrent_retries_with_one_idempotency_key_place_one_order(fresh_api):
    service = await unlimited_service(fresh_api)
    request = {"input": place_input(service)}
    payloads = await asyncio.gather(*(fresh_api.post(PLACE, request, as_="station") for _ in range(6)))
    ids = {payload["data"]["placeOrder"]["order"]["id"] for payload in payloads}
    assert len(ids) == 1
    assert all(payload["data"]["placeOrder"]["userErrors"] == [] for payload in payloads)
    assert await scalar(fresh_api, "SELECT count(*) FROM orders") == 1
    assert await scalar(fresh_api, "SELECT count(*) FROM order_events") == 1


async def test_stations_ordering_at_the_same_moment_never_overbook_a_capacity(fresh_api):
    capacity = 3
    service = await unlimited_service(fresh_api)
    await _limit(fresh_api, service, capacity)
    accounts = [
        await create_account(fresh_api, f"station-{index}", "STATION_STAFF", stationId=station["id"])
        for index, station in enumerate(await stations(fresh_api, capacity + 3))
    ]
    payloads = await asyncio.gather(
        *(
            fresh_api.post(PLACE, {"input": place_input(service, requestedStart=day(20))}, as_=account)
            for account in accounts
        )
    )
    results = [payload["data"]["placeOrder"] for payload in payloads]
    placed = [r for r in results if r["order"] is not None]
    refused = [r for r in results if r["order"] is None]
    assert len(placed) == capacity
    assert len({r["order"]["station"]["id"] for r in placed}) == capacity
    assert {e["code"] for r in refused for e in r["userErrors"]} == {"CAPACITY_EXCEEDED"}
    assert len(refused) == 3
    assert await scalar(fresh_api, "SELECT sum(quantity) FROM orders") == capacity


async def _waiting_on_locks(api, statement_start: str, count: int) -> None:
    """Returns once `count` requests wait on a row lock in a statement starting so."""
    for _ in range(10_000):
        waiting = await scalar(
            api,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE :start",
            start=f"{statement_start}%",
        )
        if waiting >= count:
            return
    raise AssertionError(f"{count} requests never waited on the lock")


async def _race(api, order: dict, contenders: list[tuple[str, str]]) -> list[dict]:
    """Runs the actions at once, all having read the order before any of them writes it.

    The test holds the order's row lock until every request waits on it at its UPDATE,
    so each has read the same version: the race a busy console meets by chance.
    """
    for _, role in contenders:
        await api.token(role)
    async with api.engine.connect() as holder:
        transaction = await holder.begin()
        await holder.execute(
            text("SELECT id FROM orders WHERE id = :id FOR UPDATE"), {"id": db_id(order["id"])}
        )
        requests = asyncio.gather(
            *(
                api.post(mutation_text(action), {"input": action_input(action, order)}, as_=role)
                for action, role in contenders
            )
        )
        await _waiting_on_locks(api, "UPDATE orders", len(contenders))
        await transaction.commit()
    return [response["data"] for response in await requests]


async def test_two_staff_acting_on_one_order_at_once_one_wins_the_other_conflicts(fresh_api):
    service = await unlimited_service(fresh_api)
    order = await place(fresh_api, service)
    results = await _race(fresh_api, order, [("ACCEPT", "provider"), ("ACCEPT", "provider")])
    payloads = [result["acceptOrder"] for result in results]
    won = [p for p in payloads if p["order"] is not None]
    lost = [p for p in payloads if p["order"] is None]
    assert len(won) == 1 and won[0]["order"]["status"] == "ACCEPTED"
    assert len(lost) == 1
    [conflict] = lost[0]["userErrors"]
    assert conflict["code"] == "CONFLICT"
    assert conflict["currentStatus"] == "ACCEPTED" and conflict["allowedActions"] == ["SCHEDULE"]
    assert await scalar(fresh_api, "SELECT count(*) FROM order_events WHERE action = 'ACCEPT'") == 1
    assert await scalar(fresh_api, "SELECT count(*) FROM order_events") == 2
    assert await scalar(fresh_api, "SELECT version FROM orders") == 2


async def test_a_cancel_racing_an_accept_leaves_one_consistent_outcome(fresh_api):
    service = await unlimited_service(fresh_api)
    order = await place(fresh_api, service)
    results = await _race(fresh_api, order, [("ACCEPT", "provider"), ("CANCEL", "station")])
    accepted, cancelled = results[0]["acceptOrder"], results[1]["cancelOrder"]
    assert [accepted["order"] is None, cancelled["order"] is None].count(True) == 1
    loser = accepted if accepted["order"] is None else cancelled
    assert [e["code"] for e in loser["userErrors"]] == ["CONFLICT"]
    status = await scalar(fresh_api, "SELECT status FROM orders")
    last_event = await scalar(fresh_api, "SELECT to_status FROM order_events ORDER BY id DESC LIMIT 1")
    assert status == last_event and status in ("ACCEPTED", "CANCELLED")
    assert await scalar(fresh_api, "SELECT count(*) FROM order_events") == 2
    # The loser learns the state the winner left and what it may still do.
    after = await act(fresh_api, "CANCEL", order, as_="station")
    if status == "ACCEPTED":
        assert after["order"]["status"] == "CANCELLED"
    else:
        assert after["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"


async def test_placements_of_an_unlimited_service_do_not_wait_for_its_row(fresh_api):
    """Only capacity needs placements counted one after another; an unlimited service is not locked."""
    service = await unlimited_service(fresh_api)
    await fresh_api.token("station")
    async with fresh_api.engine.connect() as editor:
        transaction = await editor.begin()
        # What a capacity-limited placement (or an edit of the service) holds until it commits.
        await editor.execute(
            text("SELECT id FROM services WHERE id = :id FOR NO KEY UPDATE"), {"id": db_id(service["id"])}
        )
        placed = await asyncio.wait_for(place(fresh_api, service), 20)
        await transaction.rollback()
    assert placed["status"] == "SUBMITTED"
    assert await scalar(fresh_api, "SELECT count(*) FROM orders") == 1


async def test_retries_racing_their_original_for_the_last_place_answer_its_order(fresh_api):
    """The retries are not refused for the capacity their own original took."""
    service = await unlimited_service(fresh_api)
    await _limit(fresh_api, service, 1)
    request = {"input": place_input(service, requestedStart=day(20))}
    payloads = await asyncio.gather(*(fresh_api.post(PLACE, request, as_="station") for _ in range(4)))
    answers = [payload["data"]["placeOrder"] for payload in payloads]
    assert [answer["userErrors"] for answer in answers] == [[], [], [], []]
    assert len({answer["order"]["id"] for answer in answers}) == 1
    assert await scalar(fresh_api, "SELECT count(*) FROM orders") == 1
    assert await scalar(fresh_api, "SELECT count(*) FROM order_events") == 1


async def test_the_database_refuses_an_order_beyond_the_capacity_whoever_inserts_it(fresh_api):
    """Capacity is counted as an order commits (migration 0026), not only by placeOrder."""
    service = await unlimited_service(fresh_api)
    await _limit(fresh_api, service, 2)
    placed = await place(fresh_api, service, quantity=2, requestedStart=day(20), requestedEnd=day(20))
    # The same order again under another key, written straight into the table.
    copied = [
        column.name
        for column in Order.__table__.columns
        if column.name not in ("id", "idempotency_key") and column.computed is None
    ]
    copy = (
        f"INSERT INTO orders ({', '.join(copied)}, idempotency_key) "
        f"SELECT {', '.join(copied)}, 'another key' FROM orders WHERE id = :id"
    )
    with pytest.raises(DBAPIError) as refused:
        async with fresh_api.engine.begin() as connection:
            await connection.execute(text(copy), {"id": db_id(placed["id"])})
    assert refused.value.orig.sqlstate == "DS001"
    assert (
        json.loads(refused.value.orig.detail)
        == {
            "booked": 2,  # the orders before this one
            "capacity": 2,
            "first_day": day(20)[:8] + "01",
            "last_day": _last_day_of_month(day(20)),
        }
    )
    assert await scalar(fresh_api, "SELECT count(*) FROM orders") == 1


def _last_day_of_month(iso_day: str) -> str:
    first_of_next = (date.fromisoformat(iso_day[:8] + "01") + timedelta(days=32)).replace(day=1)
    return (first_of_next - timedelta(days=1)).isoformat()


async def test_a_whistle_and_its_retry_at_once_blow_one_whistle(fresh_api):
    provider_id = (await viewer_scope(fresh_api, "provider"))["provider"]["id"]
    given = {"idempotencyKey": "one whistle", "matter": "路灯不亮", "urgency": "KEY"}
    answers = await asyncio.gather(*(blow(fresh_api, provider_id, **given) for _ in range(4)))
    assert [answer["userErrors"] for answer in answers] == [[], [], [], []]
    assert len({answer["order"]["id"] for answer in answers}) == 1
    assert await scalar(fresh_api, "SELECT count(*) FROM orders WHERE kind = 'WHISTLE'") == 1
