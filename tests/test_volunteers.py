"""Volunteer accounts: registration at a station, their own profile, who sees them, deactivation."""

from __future__ import annotations

from tests.order_steps import CREATE_USER
from tests.volunteer_steps import PASSWORD, REGISTER, act, post, register, station_id

UPDATE = """mutation($input: UpdateVolunteerInput!) { updateVolunteer(input: $input) {
    volunteer { skills isPartyMember availability { weekday dayPart } } userErrors { code field message } } }"""
SET_ACTIVE = """mutation($input: SetVolunteerActiveInput!) { setVolunteerActive(input: $input) {
    volunteer { isActive } userErrors { code field message } } }"""


async def test_station_staff_register_a_volunteer_who_signs_in_and_keeps_their_profile(fresh_api):
    volunteer = await register(fresh_api, "lizhiyuan")
    assert volunteer == {
        "id": volunteer["id"],
        "displayName": "李志愿",
        "username": "lizhiyuan",
        "phone": "13900000001",
        "isActive": True,
        "isPartyMember": True,
        "skills": ["ELDERLY_CARE", "MEDICAL_ESCORT"],
        "availability": [{"weekday": 6, "dayPart": "MORNING"}],
        "pointsBalance": 0,
        "station": {"id": await station_id(fresh_api)},
    }
    me = await fresh_api.data("{ viewer { role station { id } } myVolunteerProfile { id } }", as_="lizhiyuan")
    assert me["viewer"]["role"] == "VOLUNTEER"
    assert me["myVolunteerProfile"] == {"id": volunteer["id"]}
    changed = await fresh_api.data(
        UPDATE,
        {
            "input": {
                "volunteerId": volunteer["id"],
                "skills": ["DIGITAL_HELP"],
                "availability": [
                    {"weekday": 7, "dayPart": "EVENING"},
                    {"weekday": 1, "dayPart": "AFTERNOON"},
                ],
            }
        },
        as_="lizhiyuan",
    )
    assert changed["updateVolunteer"] == {
        "volunteer": {
            "skills": ["DIGITAL_HELP"],
            "isPartyMember": True,
            "availability": [{"weekday": 1, "dayPart": "AFTERNOON"}, {"weekday": 7, "dayPart": "EVENING"}],
        },
        "userErrors": [],
    }
    party = await fresh_api.data(
        UPDATE, {"input": {"volunteerId": volunteer["id"], "isPartyMember": False}}, as_="lizhiyuan"
    )
    assert party["updateVolunteer"]["userErrors"] == [
        {
            "code": "NOT_PERMITTED",
            "field": ["input", "isPartyMember"],
            "message": "Your station records party membership.",
        }
    ]
    bad_slot = await fresh_api.data(
        UPDATE,
        {"input": {"volunteerId": volunteer["id"], "availability": [{"weekday": 8, "dayPart": "MORNING"}]}},
        as_="station",
    )
    assert bad_slot["updateVolunteer"]["userErrors"][0]["field"] == ["input", "availability", "0", "weekday"]


async def test_who_registers_volunteers_and_where(fresh_api):
    given = {
        "username": "nobody-1",
        "password": PASSWORD,
        "displayName": "张三",
        "phone": "13900000002",
        "isPartyMember": False,
    }
    unnamed = (await fresh_api.data(REGISTER, {"input": given}, as_="admin"))["registerVolunteer"]
    assert unnamed["userErrors"][0]["field"] == ["input", "stationId"]
    other_station = (await fresh_api.data("{ stations(first: 2) { nodes { id } } }"))["stations"]["nodes"]
    mine = await station_id(fresh_api)
    elsewhere = next(s["id"] for s in other_station if s["id"] != mine)
    refused = await fresh_api.data(REGISTER, {"input": {**given, "stationId": elsewhere}}, as_="station")
    assert refused["registerVolunteer"]["userErrors"][0]["code"] == "NOT_PERMITTED"
    by_admin = await fresh_api.data(REGISTER, {"input": {**given, "stationId": elsewhere}}, as_="admin")
    assert by_admin["registerVolunteer"]["volunteer"]["station"]["id"] == elsewhere
    for role in ("town", "provider"):
        errors = await fresh_api.errors(REGISTER, {"input": {**given, "username": f"x-{role}"}}, as_=role)
        assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    # A bare VOLUNTEER account would lack its profile and points account.
    bare = await fresh_api.data(
        CREATE_USER,
        {
            "input": {
                "username": "bare",
                "password": PASSWORD,
                "displayName": "x",
                "role": "VOLUNTEER",
                "stationId": elsewhere,
            }
        },
        as_="admin",
    )
    assert bare["createUser"]["userErrors"][0]["field"] == ["input", "role"]


async def test_volunteers_see_only_themselves_and_stations_their_own(fresh_api):
    one = await register(fresh_api, skills=["HAIRCUT"], isPartyMember=False)
    two = await register(fresh_api)
    listed = await fresh_api.data("{ volunteers { nodes { id } } }", as_=one["username"])
    assert listed["volunteers"]["nodes"] == [{"id": one["id"]}]
    assert (
        await fresh_api.data(
            "query($id: ID!) { volunteer(id: $id) { id } }", {"id": two["id"]}, as_=one["username"]
        )
    )["volunteer"] is None
    party = await fresh_api.data(
        "{ volunteers(filter: {isPartyMember: true, skills: [MEDICAL_ESCORT]}) { nodes { id } } }",
        as_="station",
    )
    assert party["volunteers"]["nodes"] == [{"id": two["id"]}]
    free = await fresh_api.data(
        "{ volunteers(filter: {available: {weekday: 6, dayPart: MORNING}}) { totalCount } }", as_="town"
    )
    assert free["volunteers"]["totalCount"] == 2
    assert (await fresh_api.data("{ volunteers { totalCount } }", as_="provider"))["volunteers"][
        "totalCount"
    ] == 0
    # A volunteer's staff-side view of accounts stays closed.
    assert (await fresh_api.errors("{ users { totalCount } }", as_=one["username"]))[0]["extensions"][
        "code"
    ] == ("FORBIDDEN")


async def test_a_volunteer_holding_a_task_is_not_deactivated_and_a_deactivated_one_is_signed_out(fresh_api):
    volunteer = await register(fresh_api)
    task = await post(fresh_api)
    await act(fresh_api, "TAKE", task, as_=volunteer["username"])
    holding = await fresh_api.data(
        SET_ACTIVE, {"input": {"volunteerId": volunteer["id"], "isActive": False}}, as_="station"
    )
    assert holding["setVolunteerActive"]["userErrors"][0]["code"] == "NOT_PERMITTED"
    await act(fresh_api, "WITHDRAW", task, as_=volunteer["username"])
    errors = await fresh_api.errors(
        SET_ACTIVE, {"input": {"volunteerId": volunteer["id"], "isActive": False}}, as_=volunteer["username"]
    )
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    done = await fresh_api.data(
        SET_ACTIVE, {"input": {"volunteerId": volunteer["id"], "isActive": False}}, as_="station"
    )
    assert done["setVolunteerActive"] == {"volunteer": {"isActive": False}, "userErrors": []}
    signed_out = await fresh_api.errors("{ viewer { id } }", as_=volunteer["username"])
    assert signed_out[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_volunteers_see_no_order_demand_account_or_ranking(fresh_api):
    volunteer = await register(fresh_api)
    seen = await fresh_api.data(
        "{ orders { totalCount } demands { totalCount } viewer { username } }", as_=volunteer["username"]
    )
    assert seen == {
        "orders": {"totalCount": 0},
        "demands": {"totalCount": 0},
        "viewer": {"username": volunteer["username"]},
    }
    ranking = """{ ranking(unit: PROVIDER, list: RED, filter: {from: "2026-01-01", to: "2026-12-31"}) {
        rankedCount } }"""
    assert (await fresh_api.errors(ranking, as_=volunteer["username"]))[0]["extensions"][
        "code"
    ] == "FORBIDDEN"
