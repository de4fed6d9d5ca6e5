"""A demand moves with the work done for it, and every move is kept with who made it and when."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from tests.catalog_steps import CLOSE_DEMAND, ERRORS, POST_DEMAND, categories, demand_input, run
from tests.order_steps import PLACE, act, advance, mutation_text, place, place_input, unlimited_service

PROPOSE = f"""mutation($input: ProposeForDemandInput!) {{ proposeForDemand(input: $input) {{
    demand {{ id status }} {ERRORS} }} }}"""
RESOLVE = f"""mutation($input: ResolveDemandInput!) {{ resolveDemand(input: $input) {{
    demand {{ id status }} {ERRORS} }} }}"""
HISTORY = """query($id: ID!) { demand(id: $id) { status history(first: 20) { totalCount nodes {
    action fromStatus toStatus reason occurredAt actorRole actor { username } order { id } } } } }"""


async def post(api) -> str:
    meals = (await categories(api))["care.meals"]["id"]
    posted = await run(api, POST_DEMAND, demand_input(meals), "station")
    assert posted["userErrors"] == []
    return posted["demand"]["id"]


async def history(api, demand: str) -> tuple[str, list[tuple]]:
    """The demand's status and its moves as (action, from, to, actor, order, reason), seen by an administrator."""
    data = (await api.data(HISTORY, {"id": demand}, as_="admin"))["demand"]
    moves = data["history"]["nodes"]
    assert data["history"]["totalCount"] == len(moves)
    times = [datetime.fromisoformat(move["occurredAt"]) for move in moves]
    assert times == sorted(times) and all(t <= datetime.now(UTC) for t in times)
    return data["status"], [
        (
            m["action"],
            m["fromStatus"],
            m["toStatus"],
            m["actor"]["username"],
            m["order"]["id"] if m["order"] else None,
            m["reason"],
        )
        for m in moves
    ]


async def a_project(api) -> str:
    data = await api.data(
        "{ viewer { provider { projects(filter: {status: PUBLISHED}, first: 1) { nodes { id } } } } }",
        as_="provider",
    )
    return data["viewer"]["provider"]["projects"]["nodes"][0]["id"]


async def test_orders_move_a_demand_to_in_progress_and_the_last_evaluation_resolves_it(fresh_api):
    service = await unlimited_service(fresh_api)
    demand = await post(fresh_api)
    proposed = await run(
        fresh_api, PROPOSE, {"demandId": demand, "projectId": await a_project(fresh_api)}, "provider"
    )
    assert proposed["demand"]["status"] == "MATCHED"

    first = await place(fresh_api, service, demandId=demand)
    assert (await history(fresh_api, demand))[0] == "IN_PROGRESS"
    second = await place(fresh_api, service, demandId=demand)
    declined = await place(fresh_api, service, demandId=demand)
    await advance(fresh_api, declined, "DECLINED")

    await advance(fresh_api, first, "EVALUATED")
    assert (await history(fresh_api, demand))[0] == "IN_PROGRESS", "the second order is still under way"
    await advance(fresh_api, second, "EVALUATED")

    status, moves = await history(fresh_api, demand)
    assert status == "RESOLVED"
    assert moves == [
        ("POST", None, "OPEN", "station", None, ""),
        ("PROPOSE", "OPEN", "MATCHED", "provider", None, ""),
        ("ORDER", "MATCHED", "IN_PROGRESS", "station", first["id"], ""),
        ("ORDERS_EVALUATED", "IN_PROGRESS", "RESOLVED", "station", second["id"], ""),
    ]
    # A resolved demand takes no more orders.
    refused = await fresh_api.data(PLACE, {"input": place_input(service, demandId=demand)}, as_="station")
    assert [(e["code"], e["field"]) for e in refused["placeOrder"]["userErrors"]] == [
        ("INVALID", ["input", "demandId"])
    ]


async def test_staff_resolve_a_demand_with_a_reason(fresh_api):
    demand = await post(fresh_api)
    blank = await run(fresh_api, RESOLVE, {"demandId": demand, "reason": "  "}, "station")
    assert [(e["code"], e["field"]) for e in blank["userErrors"]] == [("REQUIRED", ["input", "reason"])]
    errors = await fresh_api.errors(
        RESOLVE, {"input": {"demandId": demand, "reason": "已解决"}}, as_="provider"
    )
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    assert (await history(fresh_api, demand))[0] == "OPEN"

    resolved = await run(
        fresh_api, RESOLVE, {"demandId": demand, "reason": "居委协调志愿者上门送餐"}, "station"
    )
    assert resolved["userErrors"] == [] and resolved["demand"]["status"] == "RESOLVED"
    again = await run(fresh_api, RESOLVE, {"demandId": demand, "reason": "再次"}, "station")
    assert [e["code"] for e in again["userErrors"]] == ["ILLEGAL_TRANSITION"]
    closed = await run(fresh_api, CLOSE_DEMAND, {"demandId": demand}, "station")
    assert [e["code"] for e in closed["userErrors"]] == ["ILLEGAL_TRANSITION"]

    assert await history(fresh_api, demand) == (
        "RESOLVED",
        [
            ("POST", None, "OPEN", "station", None, ""),
            ("RESOLVE", "OPEN", "RESOLVED", "station", None, "居委协调志愿者上门送餐"),
        ],
    )


async def test_a_closed_demand_records_its_closing(fresh_api):
    demand = await post(fresh_api)
    closed = await run(fresh_api, CLOSE_DEMAND, {"demandId": demand}, "station")
    assert closed["userErrors"] == []
    assert await history(fresh_api, demand) == (
        "CLOSED",
        [("POST", None, "OPEN", "station", None, ""), ("CLOSE", "OPEN", "CLOSED", "station", None, "")],
    )


async def test_a_demand_closed_with_a_reason_keeps_it(fresh_api):
    demand = await post(fresh_api)
    too_long = await run(fresh_api, CLOSE_DEMAND, {"demandId": demand, "reason": "长" * 1001}, "station")
    assert [(e["code"], e["field"]) for e in too_long["userErrors"]] == [("TOO_LONG", ["input", "reason"])]
    closed = await run(
        fresh_api, CLOSE_DEMAND, {"demandId": demand, "reason": " 居民已搬离本社区 "}, "station"
    )
    assert closed["userErrors"] == []
    assert await history(fresh_api, demand) == (
        "CLOSED",
        [
            ("POST", None, "OPEN", "station", None, ""),
            ("CLOSE", "OPEN", "CLOSED", "station", None, "居民已搬离本社区"),
        ],
    )


async def test_the_history_shows_actors_only_to_who_may_see_their_accounts(fresh_api):
    demand = await post(fresh_api)
    data = (await fresh_api.data(HISTORY, {"id": demand}, as_="station"))["demand"]["history"]["nodes"]
    assert [(m["action"], m["actorRole"], m["actor"]) for m in data] == [
        ("POST", "STATION_STAFF", {"username": "station"})
    ]
    seen_by_provider = (await fresh_api.data(HISTORY, {"id": demand}, as_="provider"))["demand"]["history"]
    assert [(m["actorRole"], m["actor"]) for m in seen_by_provider["nodes"]] == [("STATION_STAFF", None)]
    assert (await fresh_api.data(HISTORY, {"id": demand}))["demand"] is None


async def test_two_last_orders_evaluated_at_once_resolve_the_demand_once(fresh_api):
    service = await unlimited_service(fresh_api)
    demand = await post(fresh_api)
    orders = [await place(fresh_api, service, demandId=demand) for _ in range(2)]
    completed = [await advance(fresh_api, order, "COMPLETED") for order in orders]
    evaluate = mutation_text("EVALUATE")
    inputs = [{"orderId": order["id"], "rating": 5, "satisfaction": 90} for order in completed]
    results = await asyncio.gather(*(fresh_api.post(evaluate, {"input": i}, as_="station") for i in inputs))
    assert [r["data"]["evaluateOrder"]["userErrors"] for r in results] == [[], []]
    status, moves = await history(fresh_api, demand)
    assert status == "RESOLVED"
    assert [move[0] for move in moves] == ["POST", "ORDER", "ORDERS_EVALUATED"]
    assert moves[-1][4] in {order["id"] for order in orders}


async def test_cancelled_orders_leave_the_demand_to_its_staff(fresh_api):
    service = await unlimited_service(fresh_api)
    demand = await post(fresh_api)
    order = await place(fresh_api, service, demandId=demand)
    cancelled = await act(fresh_api, "CANCEL", order, as_="station")
    assert cancelled["userErrors"] == []
    assert (await history(fresh_api, demand))[0] == "IN_PROGRESS"
    resolved = await run(fresh_api, RESOLVE, {"demandId": demand, "reason": "居民已自行解决"}, "station")
    assert resolved["demand"]["status"] == "RESOLVED"
