"""Accounts: administrators create, list, change and deactivate them; the CLI creates them too."""

from __future__ import annotations

import asyncio
import os
import sys

from tests.catalog_steps import CREATE_USER, ERRORS, PASSWORD, make_account, problems, run, viewer_scope
from tests.conftest import LOGIN
from tests.helpers import global_id, scalar

UPDATE_USER = f"""mutation($input: UpdateUserInput!) {{ updateUser(input: $input) {{
    user {{ id username displayName phone isActive role }} {ERRORS} }} }}"""
USERS = """query($filter: UserFilter, $orderBy: UserOrder, $first: Int, $after: String) {
    users(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
        totalCount nodes { id username displayName role isActive station { id } provider { id } }
        pageInfo { hasNextPage endCursor } } }"""


async def login(api, username: str, password: str) -> dict:
    return (await api.data(LOGIN, {"input": {"username": username, "password": password}}))["login"]


async def test_administrators_list_accounts_with_filters_and_pages(api):
    everyone = (await api.data(USERS, {"first": 100}, as_="admin"))["users"]
    usernames = [u["username"] for u in everyone["nodes"]]
    assert {"admin", "town", "station", "provider"} <= set(usernames)
    assert usernames == sorted(usernames), "by username by default"
    staff = (await api.data(USERS, {"filter": {"role": "PROVIDER_STAFF"}}, as_="admin"))["users"]
    assert staff["nodes"] and {u["role"] for u in staff["nodes"]} == {"PROVIDER_STAFF"}
    station_id = (await viewer_scope(api, "station"))["station"]["id"]
    at_station = (await api.data(USERS, {"filter": {"stationId": station_id}}, as_="admin"))["users"]
    assert "station" in {u["username"] for u in at_station["nodes"]}
    assert {u["station"]["id"] for u in at_station["nodes"]} == {station_id}
    found = (await api.data(USERS, {"filter": {"search": "服务站"}}, as_="admin"))["users"]["nodes"]
    assert [u["username"] for u in found] == ["station"], "the display name 服务站工作人员 matches"
    assert (await api.data(USERS, {"filter": {"search": "100%_"}}, as_="admin"))["users"]["nodes"] == []
    first_page = (await api.data(USERS, {"first": 2}, as_="admin"))["users"]
    second_page = (
        await api.data(USERS, {"first": 2, "after": first_page["pageInfo"]["endCursor"]}, as_="admin")
    )["users"]
    assert [u["username"] for u in first_page["nodes"] + second_page["nodes"]] == usernames[:4]
    newest = await api.data(USERS, {"orderBy": {"field": "CREATED_AT", "direction": "DESC"}}, as_="admin")
    # The demo accounts were created together: the later id breaks the tie.
    assert [u["username"] for u in newest["users"]["nodes"]] == ["provider", "station", "town", "admin"]


async def test_only_administrators_list_accounts(api):
    errors = await api.errors(USERS)
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    for role in ("town", "station", "provider"):
        errors = await api.errors(USERS, as_=role)
        assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    errors = await api.errors(USERS, {"filter": {"search": "x" * 101}}, as_="admin")
    assert errors[0]["extensions"]["code"] == "SEARCH_TOO_LONG"


async def test_administrators_change_names_phones_and_the_active_flag(fresh_api):
    provider_id = (await viewer_scope(fresh_api, "provider"))["provider"]["id"]
    username = await make_account(fresh_api, "PROVIDER_STAFF", providerId=provider_id)
    user = (await fresh_api.data(USERS, {"filter": {"search": username}}, as_="admin"))["users"]["nodes"][0]

    renamed = await run(fresh_api, UPDATE_USER, {"userId": user["id"], "displayName": " 李四 "}, "admin")
    assert renamed["userErrors"] == []
    assert renamed["user"]["displayName"] == "李四" and renamed["user"]["isActive"] is True
    phoned = await run(fresh_api, UPDATE_USER, {"userId": user["id"], "phone": "13900001111"}, "admin")
    assert phoned["user"]["phone"] == "13900001111" and phoned["user"]["displayName"] == "李四"
    unphoned = await run(fresh_api, UPDATE_USER, {"userId": user["id"], "phone": None}, "admin")
    assert unphoned["user"]["phone"] is None

    admin_id = (await viewer_scope(fresh_api, "admin"))["id"]
    for input, expected in (
        ({"userId": user["id"], "displayName": ""}, {("REQUIRED", ("input", "displayName"))}),
        ({"userId": user["id"], "displayName": "名" * 101}, {("TOO_LONG", ("input", "displayName"))}),
        ({"userId": user["id"], "phone": "1" * 33}, {("TOO_LONG", ("input", "phone"))}),
        ({"userId": user["id"], "isActive": None}, {("REQUIRED", ("input", "isActive"))}),
        ({"userId": admin_id, "isActive": False}, {("NOT_PERMITTED", ("input", "isActive"))}),
        ({"userId": global_id("User", 999_999), "displayName": "无"}, {("NOT_FOUND", ("input", "userId"))}),
    ):
        refused = await run(fresh_api, UPDATE_USER, input, "admin")
        assert refused["user"] is None and problems(refused) == expected, input
    again = (await fresh_api.data(USERS, {"filter": {"search": username}}, as_="admin"))["users"]["nodes"][0]
    assert again["displayName"] == "李四" and again["isActive"] is True

    for role in ("town", "station", "provider"):
        errors = await fresh_api.errors(
            UPDATE_USER, {"input": {"userId": user["id"], "isActive": False}}, as_=role
        )
        assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    errors = await fresh_api.errors(UPDATE_USER, {"input": {"userId": user["id"], "isActive": False}})
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_deactivating_an_account_refuses_its_token_at_once(fresh_api):
    station_id = (await viewer_scope(fresh_api, "station"))["station"]["id"]
    username = await make_account(fresh_api, "STATION_STAFF", stationId=station_id)
    user_id = (await fresh_api.data("{ viewer { id } }", as_=username))["viewer"]["id"]

    deactivated = await run(fresh_api, UPDATE_USER, {"userId": user_id, "isActive": False}, "admin")
    assert deactivated["user"]["isActive"] is False
    errors = await fresh_api.errors("{ viewer { id } }", as_=username)
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    refused = await login(fresh_api, username, PASSWORD)
    assert refused["token"] is None and refused["userErrors"][0]["code"] == "INVALID_CREDENTIALS"

    await run(fresh_api, UPDATE_USER, {"userId": user_id, "isActive": True}, "admin")
    assert (await fresh_api.data("{ viewer { id } }", as_=username))["viewer"]["id"] == user_id
    assert (await login(fresh_api, username, PASSWORD))["token"]


async def test_administrators_create_accounts_that_can_sign_in(fresh_api):
    station_id = (await viewer_scope(fresh_api, "station"))["station"]["id"]
    input = {
        "username": "wang.wu",
        "password": PASSWORD,
        "displayName": "王五",
        "role": "STATION_STAFF",
        "stationId": station_id,
    }
    created = await run(fresh_api, CREATE_USER, input, "admin")
    assert created["userErrors"] == [] and created["user"]["username"] == "wang.wu"
    assert (await login(fresh_api, "wang.wu", PASSWORD))["token"]
    before = await scalar(fresh_api, "SELECT count(*) FROM users")
    for changes, expected in (
        ({}, {("TAKEN", ("input", "username"))}),
        ({"username": "zhao", "password": "short"}, {("INVALID", ("input", "password"))}),
        ({"username": "zhao", "stationId": None}, {("REQUIRED", ("input", "stationId"))}),
        ({"username": "zhao", "role": "ADMIN"}, {("INVALID", ("input", "stationId"))}),
    ):
        refused = await run(fresh_api, CREATE_USER, {**input, **changes}, "admin")
        assert problems(refused) == expected, changes
    assert await scalar(fresh_api, "SELECT count(*) FROM users") == before
    errors = await fresh_api.errors(CREATE_USER, {"input": {**input, "username": "zhao"}}, as_="station")
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


async def doorstep(database_url: str, *args: str, password: str) -> tuple[int, str]:
    """Run the `doorstep` command against a database; its exit code and what it printed."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "doorstep",
        *args,
        env={**os.environ, "DATABASE_URL": database_url, "DOORSTEP_PASSWORD": password},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return process.returncode, output.decode()


async def test_the_cli_creates_an_account_in_one_transaction(fresh_api):
    url = fresh_api.engine.url.render_as_string(hide_password=False)
    station_code = await scalar(fresh_api, "SELECT code FROM stations ORDER BY id LIMIT 1")
    code, output = await doorstep(
        url,
        "create-user",
        "--username=zhou.liu",
        "--role=STATION_STAFF",
        f"--station-code={station_code}",
        "--display-name=周六",
        password=PASSWORD,
    )
    assert code == 0, output
    assert "zhou.liu" in output
    signed_in = await login(fresh_api, "zhou.liu", PASSWORD)
    assert signed_in["userErrors"] == []
    viewer = await fresh_api.data(
        "{ viewer { role displayName station { code } } }",
        headers={"Authorization": f"Bearer {signed_in['token']}"},
    )
    assert viewer["viewer"] == {
        "role": "STATION_STAFF",
        "displayName": "周六",
        "station": {"code": station_code},
    }

    before = await scalar(fresh_api, "SELECT count(*) FROM users")
    for args, password, message in (
        (["--station-code=no-such-station"], PASSWORD, "No station has the code no-such-station"),
        ([f"--station-code={station_code}"], "short", "at least 8 characters"),
    ):
        code, output = await doorstep(
            url,
            "create-user",
            "--username=qian.qi",
            "--role=STATION_STAFF",
            "--display-name=钱七",
            *args,
            password=password,
        )
        assert code == 1 and message in output, output
    assert await scalar(fresh_api, "SELECT count(*) FROM users") == before
