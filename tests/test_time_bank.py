"""The time bank (时间银行): points for confirmed work, the ledger's invariants, rewards and redemption."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.helpers import scalar
from tests.volunteer_steps import CREATE_REWARD, REDEEM, act, db_id, post, register, station_id

BALANCE = """query($id: ID!) { volunteer(id: $id) { pointsBalance
    pointsHistory { nodes { id amount kind memo task { id } } } } }"""


async def earn(api, volunteer: dict, hours: str = "2.5", urgency: str = "KEY") -> dict:
    """A task posted, taken by the volunteer and confirmed with `hours` worked."""
    task = await post(api, urgency=urgency)
    assert (await act(api, "TAKE", task, as_=volunteer["username"]))["userErrors"] == []
    confirmed = await act(api, "CONFIRM", task, as_="station", hoursWorked=hours)
    assert confirmed["userErrors"] == []
    return task


async def reward(api, name: str, price: int, as_: str = "station", **fields) -> dict:
    payload = await api.data(
        CREATE_REWARD, {"input": {"name": name, "pointsPrice": price, **fields}}, as_=as_
    )
    assert payload["createReward"]["userErrors"] == [], payload
    return payload["createReward"]["reward"]


async def test_the_published_rule(api):
    rule = (await api.data("{ timeBankRule { hourStep pointsPerHour { urgency points } } }"))["timeBankRule"]
    assert rule == {
        "hourStep": 0.5,
        "pointsPerHour": [
            {"urgency": "EMERGENCY", "points": 20},
            {"urgency": "KEY", "points": 12},
            {"urgency": "ROUTINE", "points": 10},
        ],
    }


async def test_two_concurrent_redemptions_when_the_balance_covers_one_make_exactly_one(fresh_api):
    volunteer = await register(fresh_api)
    task = await earn(fresh_api, volunteer)  # 2.5 h × 12 = 30 points
    haircut = await reward(fresh_api, "义务理发一次", 20)
    answers = await asyncio.gather(
        *(
            fresh_api.post(
                REDEEM,
                {"input": {"rewardId": haircut["id"], "idempotencyKey": key}},
                as_=volunteer["username"],
            )
            for key in ("phone-1", "phone-2")
        )
    )
    payloads = [answer["data"]["redeemReward"] for answer in answers]
    made = [p["redemption"] for p in payloads if p["redemption"] is not None]
    refused = [p["userErrors"] for p in payloads if p["redemption"] is None]
    assert len(made) == 1 and len(refused) == 1
    assert refused[0] == [
        {
            "code": "INSUFFICIENT_POINTS",
            "field": ["input", "rewardId"],
            "message": "义务理发一次 costs 20 points; the balance is 10.",
        }
    ]
    assert made[0]["points"] == 20 and made[0]["volunteer"]["pointsBalance"] == 10

    # A retry under the key that succeeded answers the same redemption and spends nothing more.
    key = made[0]["idempotencyKey"]
    retried = await fresh_api.data(
        REDEEM, {"input": {"rewardId": haircut["id"], "idempotencyKey": key}}, as_=volunteer["username"]
    )
    assert retried["redeemReward"]["redemption"]["id"] == made[0]["id"]
    assert retried["redeemReward"]["redemption"]["volunteer"]["pointsBalance"] == 10
    other = await reward(fresh_api, "理疗券", 5)
    reused = await fresh_api.data(
        REDEEM, {"input": {"rewardId": other["id"], "idempotencyKey": key}}, as_=volunteer["username"]
    )
    assert reused["redeemReward"]["userErrors"][0]["code"] == "IDEMPOTENCY_KEY_REUSED"

    mine = (await fresh_api.data(BALANCE, {"id": volunteer["id"]}, as_=volunteer["username"]))["volunteer"]
    assert mine["pointsBalance"] == 10
    movement = mine["pointsHistory"]["nodes"][0]["id"]
    node = "query($id: ID!) { node(id: $id) { ... on PointsMovement { amount kind } } }"
    assert (await fresh_api.data(node, {"id": movement}, as_="station"))["node"] == {
        "amount": -20,
        "kind": "REDEMPTION",
    }
    assert (await fresh_api.data(node, {"id": movement}, as_="provider"))["node"] is None
    assert [{k: v for k, v in n.items() if k != "id"} for n in mine["pointsHistory"]["nodes"]] == [
        {"amount": -20, "kind": "REDEMPTION", "memo": "义务理发一次", "task": None},
        {"amount": 30, "kind": "EARNING", "memo": "陪同独居老人就医: 2.5 h × 12", "task": {"id": task["id"]}},
    ]
    totals = await fresh_api.data(
        "query($id: ID!) { stationTimeBank(stationId: $id) { issued redeemed held volunteers } }",
        {"id": await station_id(fresh_api)},
        as_="town",
    )
    assert totals["stationTimeBank"] == {"issued": 30, "redeemed": 20, "held": 10, "volunteers": 1}
    assert await scalar(fresh_api, "SELECT count(*) FROM redemptions") == 1
    assert await scalar(fresh_api, "SELECT count(*) FROM ledger_entries") == 2


async def test_retries_under_one_key_at_once_make_one_redemption(fresh_api):
    volunteer = await register(fresh_api)
    await earn(fresh_api, volunteer, hours="5")  # 60 points
    prize = await reward(fresh_api, "米面油礼包", 15)
    request = {"input": {"rewardId": prize["id"], "idempotencyKey": "tv-7"}}
    answers = await asyncio.gather(
        *(fresh_api.post(REDEEM, request, as_=volunteer["username"]) for _ in range(4))
    )
    ids = {answer["data"]["redeemReward"]["redemption"]["id"] for answer in answers}
    assert len(ids) == 1
    assert await scalar(fresh_api, "SELECT count(*) FROM redemptions") == 1
    assert (
        await scalar(
            fresh_api,
            f"SELECT sum(amount) FROM ledger_lines l JOIN ledger_accounts a ON a.id = "
            f"l.account_id WHERE a.volunteer_id = {db_id(volunteer['id'])}",
        )
        == 45
    )


async def test_the_ledger_balances_never_goes_negative_and_is_never_rewritten(fresh_api):
    volunteer = await register(fresh_api)
    await earn(fresh_api, volunteer, hours="1", urgency="EMERGENCY")  # 20 points
    prize = await reward(fresh_api, "电影票", 20)
    assert (
        await fresh_api.data(
            REDEEM, {"input": {"rewardId": prize["id"], "idempotencyKey": "k"}}, as_=volunteer["username"]
        )
    )["redeemReward"]["userErrors"] == []

    # Every entry's lines sum to zero, and no volunteer's balance is below zero.
    assert (
        await scalar(
            fresh_api,
            "SELECT count(*) FROM (SELECT entry_id FROM ledger_lines GROUP BY entry_id "
            "HAVING sum(amount) <> 0 OR count(*) < 2) unbalanced",
        )
        == 0
    )
    assert (
        await scalar(
            fresh_api,
            "SELECT count(*) FROM (SELECT a.id FROM ledger_accounts a JOIN ledger_lines l ON l.account_id = "
            "a.id WHERE a.kind = 'VOLUNTEER' GROUP BY a.id HAVING sum(l.amount) < 0) negative",
        )
        == 0
    )
    assert await scalar(fresh_api, "SELECT count(*) FROM ledger_entries") == 2

    async def refused(sql: str, message: str) -> None:
        with pytest.raises(DBAPIError, match=message):
            async with fresh_api.engine.begin() as connection:
                await connection.execute(text(sql))

    # History is immutable.
    await refused("UPDATE ledger_lines SET amount = amount * 2", "append-only: UPDATE on ledger_lines")
    await refused("DELETE FROM ledger_entries", "append-only: DELETE on ledger_entries")
    await refused("DELETE FROM ledger_lines", "append-only: DELETE on ledger_lines")
    await refused("TRUNCATE ledger_lines, ledger_entries, redemptions", "append-only: TRUNCATE")
    account = await scalar(
        fresh_api, f"SELECT id FROM ledger_accounts WHERE volunteer_id = {db_id(volunteer['id'])}"
    )
    station_sink = await scalar(fresh_api, "SELECT id FROM ledger_accounts WHERE kind = 'REDEEMED'")
    entry = (
        "INSERT INTO ledger_entries (kind, station_id, memo, recorded_by_id) SELECT 'REDEMPTION', station_id, "
        "'', user_id FROM volunteers LIMIT 1"
    )
    # An entry whose lines do not balance is refused when its transaction commits.
    await refused(
        f"WITH e AS ({entry} RETURNING id) INSERT INTO ledger_lines (entry_id, account_id, amount) "
        f"SELECT id, {station_sink}, 5 FROM e",
        "does not balance",
    )
    # A balanced entry that would take the volunteer below zero is refused too.
    await refused(
        f"WITH e AS ({entry} RETURNING id) INSERT INTO ledger_lines (entry_id, account_id, amount) "
        f"SELECT id, {account}, -5 FROM e UNION ALL SELECT id, {station_sink}, 5 FROM e",
        "would go negative",
    )
    assert await scalar(fresh_api, "SELECT count(*) FROM ledger_lines") == 4


async def test_who_sees_and_manages_the_time_bank(fresh_api):
    volunteer, other = await register(fresh_api), await register(fresh_api)
    await earn(fresh_api, volunteer)
    # A volunteer sees their own points only.
    assert (await fresh_api.data(BALANCE, {"id": volunteer["id"]}, as_=other["username"]))[
        "volunteer"
    ] is None
    assert (await fresh_api.data(BALANCE, {"id": volunteer["id"]}, as_="station"))["volunteer"][
        "pointsBalance"
    ] == 30
    errors = await fresh_api.errors(
        CREATE_REWARD, {"input": {"name": "x", "pointsPrice": 1}}, as_=volunteer["username"]
    )
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    totals = "query($id: ID!) { stationTimeBank(stationId: $id) { held } }"
    station = await station_id(fresh_api)
    for viewer in (volunteer["username"], "provider"):
        assert (await fresh_api.errors(totals, {"id": station}, as_=viewer))[0]["extensions"][
            "code"
        ] == "NOT_FOUND"
    # The catalog is published: everyone sees what is on offer, withdrawn rewards only who manages them.
    prize = await reward(fresh_api, "家政服务一小时", 25)
    withdraw = """mutation($input: UpdateRewardInput!) { updateReward(input: $input) { reward { isActive }
        userErrors { code } } }"""
    await fresh_api.data(withdraw, {"input": {"rewardId": prize["id"], "isActive": False}}, as_="station")
    catalog = "query($id: ID!) { rewards(filter: {stationId: $id}) { nodes { name } } }"
    assert (await fresh_api.data(catalog, {"id": station}))["rewards"]["nodes"] == []
    assert (await fresh_api.data(catalog, {"id": station}, as_="station"))["rewards"]["nodes"] == [
        {"name": "家政服务一小时"}
    ]
    # Station staff redeem for a volunteer of their station (代办), and for no one else.
    district_wide = await reward(
        fresh_api,
        "公园年卡",
        10,
        as_="admin",
        districtId=(await fresh_api.data("{ districts(first: 1) { id } }"))["districts"][0]["id"],
    )
    for_them = await fresh_api.data(
        REDEEM,
        {
            "input": {
                "rewardId": district_wide["id"],
                "idempotencyKey": "desk-1",
                "volunteerId": volunteer["id"],
            }
        },
        as_="station",
    )
    assert for_them["redeemReward"]["redemption"]["volunteer"]["pointsBalance"] == 20
    redemptions = await fresh_api.data("{ redemptions { nodes { points } } }", as_=other["username"])
    assert redemptions["redemptions"]["nodes"] == []
