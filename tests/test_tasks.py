"""Tasks dispatched to volunteers (社区派单、党员接单): posting, taking under races, confirming, feeds."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta

import httpx

from doorstep.database import create_engine
from tests.conftest import Api
from tests.helpers import execute
from tests.live import GraphQLSocket, served_app
from tests.volunteer_steps import (
    POST_TASK,
    act,
    db_id,
    move_text,
    post,
    register,
    station_id,
    task_input,
    window,
)

TAKEABLE = """{ tasks(filter: {takeable: true}) { nodes { id resident { name } } } }"""
TASK = """query($id: ID!) { task(id: $id) { id status resident { name phone address }
    history { nodes { action fromStatus toStatus actorRole } } } }"""


async def test_a_task_is_dispatched_taken_by_one_of_two_racing_volunteers_and_confirmed(fresh_api):
    first, second = await register(fresh_api), await register(fresh_api)
    task = await post(fresh_api)
    assert task["status"] == "OPEN"
    assert task["nextActions"] == ["CANCEL"]
    assert task["points"] == 24  # 2 hours expected × 12 points an hour for KEY work
    for volunteer in (first, second):
        listed = (await fresh_api.data(TAKEABLE, as_=volunteer["username"]))["tasks"]["nodes"]
        # An open task shows no resident to the volunteers browsing it.
        assert listed == [{"id": task["id"], "resident": None}]

    take = move_text("TAKE")
    answers = await asyncio.gather(
        *(
            fresh_api.post(take, {"input": {"taskId": task["id"]}}, as_=volunteer["username"])
            for volunteer in (first, second)
        )
    )
    payloads = [answer["data"]["takeTask"] for answer in answers]
    won = [p for p in payloads if p["task"] is not None]
    lost = [p for p in payloads if p["task"] is None]
    assert len(won) == 1 and len(lost) == 1
    assert lost[0]["userErrors"] == [
        {
            "code": "CONFLICT",
            "field": None,
            "message": "Another volunteer took this task first.",
            "currentStatus": "TAKEN",
            "allowedActions": [],
        }
    ]
    taken = won[0]["task"]
    winner = first if taken["volunteer"]["id"] == first["id"] else second
    loser = second if winner is first else first
    assert taken["status"] == "TAKEN"
    assert taken["nextActions"] == ["WITHDRAW", "START"]
    # The holder sees whom to help; the other volunteer no longer sees the task at all.
    assert taken["resident"] == {"name": "王阿姨", "phone": "13800000000", "address": "潍坊一村12号301室"}
    assert (await fresh_api.data(TASK, {"id": task["id"]}, as_=loser["username"]))["task"] is None

    started = await act(fresh_api, "START", task, as_=winner["username"])
    assert started["task"]["status"] == "IN_PROGRESS"
    confirmed = await act(fresh_api, "CONFIRM", task, as_="station", hoursWorked="2.5", note="按时完成")
    assert confirmed["userErrors"] == []
    assert confirmed["task"]["status"] == "COMPLETED"
    assert confirmed["task"]["hoursWorked"] == "2.5"
    assert confirmed["task"]["points"] == 30

    balance = (
        "query($id: ID!) { volunteer(id: $id) { pointsBalance pointsHistory { nodes { amount kind } } } }"
    )
    mine = (await fresh_api.data(balance, {"id": winner["id"]}, as_=winner["username"]))["volunteer"]
    assert mine == {"pointsBalance": 30, "pointsHistory": {"nodes": [{"amount": 30, "kind": "EARNING"}]}}
    history = (await fresh_api.data(TASK, {"id": task["id"]}, as_="station"))["task"]["history"]["nodes"]
    assert history == [
        {"action": "POST", "fromStatus": None, "toStatus": "OPEN", "actorRole": "STATION_STAFF"},
        {"action": "TAKE", "fromStatus": "OPEN", "toStatus": "TAKEN", "actorRole": "VOLUNTEER"},
        {"action": "START", "fromStatus": "TAKEN", "toStatus": "IN_PROGRESS", "actorRole": "VOLUNTEER"},
        {
            "action": "CONFIRM",
            "fromStatus": "IN_PROGRESS",
            "toStatus": "COMPLETED",
            "actorRole": "STATION_STAFF",
        },
    ]
    # Once done the resident is the station's business again.
    done = (await fresh_api.data(TASK, {"id": task["id"]}, as_=winner["username"]))["task"]
    assert done["resident"] is None
    again = await act(fresh_api, "CONFIRM", task, as_="station", hoursWorked="1")
    assert again["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"


async def test_nobody_takes_a_task_twice(fresh_api):
    volunteer, other = await register(fresh_api), await register(fresh_api)
    task = await post(fresh_api)
    take = move_text("TAKE")
    # The same volunteer twice at once: one take, and the other request is told they hold it.
    answers = await asyncio.gather(
        *(
            fresh_api.post(take, {"input": {"taskId": task["id"]}}, as_=volunteer["username"])
            for _ in range(2)
        )
    )
    codes = sorted(
        (answer["data"]["takeTask"]["userErrors"] or [{"code": "OK"}])[0]["code"] for answer in answers
    )
    assert codes == ["ILLEGAL_TRANSITION", "OK"]

    withdrawn = await act(fresh_api, "WITHDRAW", task, as_=volunteer["username"], reason="临时有事")
    assert withdrawn["task"]["status"] == "OPEN"
    assert withdrawn["task"]["resident"] is None
    retaken = await act(fresh_api, "TAKE", task, as_=volunteer["username"])
    assert retaken["task"] is None
    assert retaken["userErrors"][0]["code"] == "NOT_PERMITTED"
    assert "nobody takes a task twice" in retaken["userErrors"][0]["message"]
    assert (await act(fresh_api, "TAKE", task, as_=other["username"]))["task"]["status"] == "TAKEN"
    # Only the holder starts or withdraws.
    refused = await act(fresh_api, "WITHDRAW", task, as_=volunteer["username"])
    assert refused["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"
    assert refused["userErrors"][0]["allowedActions"] == []


async def test_volunteers_see_the_open_tasks_of_their_station_they_qualify_for(fresh_api):
    volunteer = await register(fresh_api, skills=["ELDERLY_CARE"])
    mine = await post(fresh_api, requiredSkills=["ELDERLY_CARE"])
    await post(fresh_api, requiredSkills=["NURSING"], title="上门测血压")
    anyone = await post(fresh_api, requiredSkills=[], title="社区清扫")
    listed = (await fresh_api.data("{ tasks { nodes { id } } }", as_=volunteer["username"]))["tasks"]["nodes"]
    assert {node["id"] for node in listed} == {mine["id"], anyone["id"]}
    staff = (await fresh_api.data("{ tasks { totalCount } }", as_="station"))["tasks"]["totalCount"]
    assert staff == 3
    open_ones = await fresh_api.data("{ tasks(filter: {takeable: true}) { totalCount } }", as_="station")
    assert open_ones["tasks"]["totalCount"] == 3
    lacking = await act(
        fresh_api,
        "TAKE",
        {"id": (await post(fresh_api, requiredSkills=["NURSING"]))["id"]},
        as_=volunteer["username"],
    )
    assert lacking["userErrors"][0]["code"] == "NOT_PERMITTED"
    assert "NURSING" in lacking["userErrors"][0]["message"]


async def test_who_may_post_take_and_confirm(fresh_api):
    volunteer = await register(fresh_api)
    errors = await fresh_api.errors(POST_TASK, {"input": task_input()}, as_=volunteer["username"])
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    task = await post(fresh_api)
    refused = await fresh_api.errors(move_text("TAKE"), {"input": {"taskId": task["id"]}}, as_="station")
    assert refused[0]["extensions"]["code"] == "FORBIDDEN"
    await act(fresh_api, "TAKE", task, as_=volunteer["username"])
    not_theirs = await fresh_api.errors(
        move_text("CONFIRM"), {"input": {"taskId": task["id"], "hoursWorked": "1"}}, as_=volunteer["username"]
    )
    assert not_theirs[0]["extensions"]["code"] == "FORBIDDEN"
    # The town oversees the stations of its town: it sees the task and may cancel it, not confirm it.
    town = await fresh_api.data(
        "query($id: ID!) { task(id: $id) { nextActions resident { name } } }", {"id": task["id"]}, as_="town"
    )
    assert town["task"] == {"nextActions": ["CANCEL"], "resident": None}
    # Providers see no volunteer task.
    assert (await fresh_api.data("{ tasks { totalCount } }", as_="provider"))["tasks"]["totalCount"] == 0
    cancelled = await act(fresh_api, "CANCEL", task, as_="town", reason="居民已由家属陪同")
    assert cancelled["task"]["status"] == "CANCELLED"
    assert cancelled["task"]["volunteer"] is None


async def test_town_posts_for_a_station_of_its_town_within_the_urgency_limits(fresh_api):
    station = await station_id(fresh_api)
    unnamed = (await fresh_api.data(POST_TASK, {"input": task_input()}, as_="town"))["postTask"]
    assert unnamed["userErrors"][0]["field"] == ["input", "stationId"]
    task = await post(fresh_api, as_="town", stationId=station, urgency="EMERGENCY")
    assert task["station"]["id"] == station
    posted = datetime.fromisoformat(task["takeDueAt"]) - timedelta(hours=2)
    assert abs((datetime.now(posted.tzinfo) - posted).total_seconds()) < 120
    starts, _ = window(days=1)
    too_long = task_input(
        urgency="EMERGENCY",
        startsAt=starts,
        endsAt=(datetime.fromisoformat(starts) + timedelta(hours=25)).isoformat(),
    )
    refused = (await fresh_api.data(POST_TASK, {"input": too_long}, as_="station"))["postTask"]
    assert refused["userErrors"][0]["code"] == "OUT_OF_RANGE"
    assert refused["userErrors"][0]["field"] == ["input", "endsAt"]
    halves = await fresh_api.data(POST_TASK, {"input": task_input(hoursExpected="1.2")}, as_="station")
    assert halves["postTask"]["userErrors"][0]["field"] == ["input", "hoursExpected"]
    # A task not taken within its limit is overdue; the filter lists it.
    await execute(
        fresh_api,
        "UPDATE tasks SET take_due_at = now() - interval '1 minute' WHERE id = :id",
        id=db_id(task["id"]),
    )
    overdue = await fresh_api.data(
        "{ tasks(filter: {overdue: true}) { nodes { id isOverdue } } }", as_="station"
    )
    assert overdue["tasks"]["nodes"] == [{"id": task["id"], "isOverdue": True}]


async def test_task_feeds_carry_every_move_to_the_station_and_the_volunteer(server, template):
    url = await server.clone(template, f"doorstep_tasks_{uuid.uuid4().hex[:8]}")
    engine = create_engine(url, pool_size=2)
    try:
        async with (
            served_app(url) as running,
            httpx.AsyncClient(base_url=running.http_url, timeout=30) as http,
        ):
            api = Api(http, engine)
            volunteer = await register(api)
            station = await station_id(api)
            feed = "subscription($id: ID!) { stationTaskFeed(stationId: $id) { cursor action toStatus task { id } } }"
            mine = "subscription($after: String) { myTaskFeed(after: $after) { action toStatus task { id status } } }"
            async with (
                GraphQLSocket.open(running.ws_url, await api.token("station")) as screen,
                GraphQLSocket.open(running.ws_url, await api.token(volunteer["username"])) as phone,
            ):
                await screen.subscribe("feed", feed, {"id": station})
                await phone.subscribe("mine", mine)
                await _registered(running.app, 2)
                task = await post(api)
                posted = (await phone.next_data("mine"))["myTaskFeed"]
                posted_cursor = (
                    await api.data(
                        "query($id: ID!) { task(id: $id) { history { nodes { cursor } } } }",
                        {"id": task["id"]},
                        as_="station",
                    )
                )["task"]["history"]["nodes"][0]["cursor"]
                assert posted == {
                    "action": "POST",
                    "toStatus": "OPEN",
                    "task": {"id": task["id"], "status": "OPEN"},
                }
                await act(api, "TAKE", task, as_=volunteer["username"])
                await act(api, "CONFIRM", task, as_="station", hoursWorked="2")
                screen_events = [(await screen.next_data("feed"))["stationTaskFeed"] for _ in range(3)]
                assert [(e["action"], e["toStatus"]) for e in screen_events] == [
                    ("POST", "OPEN"),
                    ("TAKE", "TAKEN"),
                    ("CONFIRM", "COMPLETED"),
                ]
                phone_events = [(await phone.next_data("mine"))["myTaskFeed"] for _ in range(2)]
                assert [e["action"] for e in phone_events] == ["TAKE", "CONFIRM"]
            # A screen that reconnects with its cursor gets exactly what it missed.
            async with GraphQLSocket.open(running.ws_url, await api.token("station")) as screen:
                resume = """subscription($id: ID!, $after: String) { stationTaskFeed(stationId: $id, after: $after) {
                    action } }"""
                await screen.subscribe("feed", resume, {"id": station, "after": screen_events[0]["cursor"]})
                replayed = [(await screen.next_data("feed"))["stationTaskFeed"]["action"] for _ in range(2)]
                assert replayed == ["TAKE", "CONFIRM"]
            async with GraphQLSocket.open(running.ws_url, await api.token(volunteer["username"])) as phone:
                await phone.subscribe("mine", mine, {"after": posted_cursor})
                replayed = [(await phone.next_data("mine"))["myTaskFeed"]["action"] for _ in range(2)]
                assert replayed == ["TAKE", "CONFIRM"]
    finally:
        await engine.dispose()


async def _registered(app, count: int) -> None:
    """Returns once the task broker offers its events to `count` subscribers (polled, with a bound)."""
    for _ in range(600):
        if len(app.state.task_broker.subscribers) >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{count} task subscribers expected")
