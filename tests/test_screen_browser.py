"""The station screen in a real browser: Debian's headless Chromium, driven by Playwright.

Collected only where a Chromium is installed (tests/conftest.py says so when it is not);
`.ci/run` installs one, so CI always runs these.
"""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from doorstep.bench.servers import free_port
from tests.conftest import CHROMIUM, Api
from tests.live import STARTUP_SECONDS, live_server
from tests.order_steps import act, advance, place, unlimited_service

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# What the issue asks of a live change: on screen within a second of the mutation's answer.
LIVE_MS = 1000
# Upper bounds, not waits: a server starting (or restarting) on a busy machine, a reconnect's backoff.
START_MS = STARTUP_SECONDS * 1000
ISSUE = """mutation($input: IssueScreenTokenInput!) { issueScreenToken(input: $input) {
    token userErrors { code } } }"""


@pytest.fixture
async def browser():
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def _screen_token(api: Api) -> tuple[str, str]:
    station = (await api.data("{ viewer { station { id code } } }", as_="station"))["viewer"]["station"]
    issued = await api.data(ISSUE, {"input": {"name": "大厅电视", "stationId": station["id"]}}, as_="station")
    assert issued["issueScreenToken"]["userErrors"] == []
    return station["code"], issued["issueScreenToken"]["token"]


def _row(page: Page, section: str, order: dict):
    return page.locator(f'#{section} li[data-order-id="{order["id"]}"]')


async def test_the_screen_draws_its_board_then_follows_changes_across_a_server_restart(
    fresh_api: Api, browser: Browser
):
    api = fresh_api
    database = api.engine.url.render_as_string(hide_password=False)
    service = await unlimited_service(api)
    delivered = await advance(api, await place(api, service), "DELIVERED")
    under_way = await advance(api, await place(api, service), "IN_PROGRESS")
    code, token = await _screen_token(api)
    port = free_port()
    page = await browser.new_page()
    state = page.locator("body")

    async with live_server(database, port=port) as server:
        await page.goto(f"{server.http_url}/screen?station={code}#token={token}")
        await expect(state).to_have_attribute("data-state", "live", timeout=START_MS)
        # The board as drawn by its one query, with the API's Chinese labels.
        row = _row(page, "awaitingConfirmation", delivered)
        await expect(row).to_have_attribute("data-status", "DELIVERED")
        await expect(row.locator(".status")).to_have_text("待确认")
        await expect(page.locator('#counts [data-status="DELIVERED"] .n')).to_have_text("1")
        await expect(page.locator('#counts [data-status="IN_PROGRESS"] .label')).to_have_text("服务中")
        # The token stays out of the address bar.
        assert "token" not in page.url

        await act(api, "CONFIRM_DELIVERY", delivered, as_="station")
        await expect(_row(page, "awaitingEvaluation", delivered)).to_have_attribute(
            "data-status", "COMPLETED", timeout=LIVE_MS
        )
        await expect(row).to_have_count(0)
        await expect(page.locator('#counts [data-status="COMPLETED"] .n')).to_have_text("1")

    # The server is gone: the screen says so, and a change made meanwhile is not lost.
    await expect(state).to_have_attribute("data-state", "reconnecting", timeout=START_MS)
    await act(api, "DELIVER", under_way, as_="provider")
    async with live_server(database, port=port):
        await expect(_row(page, "awaitingConfirmation", under_way)).to_have_attribute(
            "data-status", "DELIVERED", timeout=START_MS
        )
        await expect(state).to_have_attribute("data-state", "live")
        await act(api, "EVALUATE", delivered, as_="station")
        await expect(_row(page, "awaitingEvaluation", delivered)).to_have_count(0, timeout=LIVE_MS)
        await expect(page.locator('#counts [data-status="EVALUATED"] .n')).to_have_text("1")
        await expect(page.locator('#counts [data-status="COMPLETED"] .n')).to_have_text("0")


async def test_the_department_console_follows_its_inbox_until_its_token_is_revoked(
    fresh_api: Api, browser: Browser
):
    api = fresh_api
    database = api.engine.url.render_as_string(hide_password=False)
    service = await unlimited_service(api)
    provider = (await api.data("{ viewer { provider { id code } } }", as_="provider"))["viewer"]["provider"]
    issued = await api.data(
        ISSUE.replace("token userErrors", "token screenToken { id } userErrors"),
        {"input": {"name": "受理台", "providerId": provider["id"]}},
        as_="provider",
    )
    token, token_id = issued["issueScreenToken"]["token"], issued["issueScreenToken"]["screenToken"]["id"]
    page = await browser.new_page()
    state = page.locator("body")

    async with live_server(database) as server:
        await page.goto(f"{server.http_url}/screen/console?provider={provider['code']}#token={token}")
        await expect(state).to_have_attribute("data-state", "live", timeout=START_MS)
        order = await place(api, service)
        await expect(_row(page, "newOrders", order)).to_have_attribute(
            "data-status", "SUBMITTED", timeout=LIVE_MS
        )
        await act(api, "ACCEPT", order, as_="provider")
        await expect(_row(page, "newOrders", order)).to_have_count(0, timeout=LIVE_MS)
        await expect(page.locator('#counts [data-status="ACCEPTED"] .n')).to_have_text("1")

        revoked = await api.data(
            "mutation($id: ID!) { revokeScreenToken(input: {screenTokenId: $id}) { userErrors { code } } }",
            {"id": token_id},
            as_="provider",
        )
        assert revoked["revokeScreenToken"]["userErrors"] == []
        await place(api, service)
        await expect(state).to_have_attribute("data-state", "refused", timeout=START_MS)
        await expect(page.locator("#sign-in")).to_be_visible()
