"""Takes docs/screen.png: the station screen of the demo station, in Debian's headless Chromium.

    doorstep serve &                 # on the demo district (make run)
    python docs/screenshot.py        # or: python docs/screenshot.py http://host:port

Signs in as the demo `station` account, issues a screen token for its station and opens
`/screen?station=<code>` with it once the board is live.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import httpx
from playwright.async_api import async_playwright, expect

from tests.conftest import CHROMIUM
from tests.test_screen_browser import CHROMIUM_ARGS

OUT = Path(__file__).parent / "screen.png"


async def main(base: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:

        async def data(query: str, variables: dict | None = None, token: str | None = None) -> dict:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            body = (
                await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
            ).json()
            assert "errors" not in body, body
            return body["data"]

        login = await data(
            'mutation { login(input: {username: "station", password: "doorstep-station"}) { token } }'
        )
        staff = login["login"]["token"]
        station = (await data("{ viewer { station { id code } } }", token=staff))["viewer"]["station"]
        issued = await data(
            'mutation($id: ID!) { issueScreenToken(input: {name: "大厅电视", stationId: $id}) { token } }',
            {"id": station["id"]},
            token=staff,
        )
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1280, "height": 720})
        await page.goto(
            f"{base}/screen?station={station['code']}#token={issued['issueScreenToken']['token']}"
        )
        await expect(page.locator("body")).to_have_attribute("data-state", "live", timeout=30000)
        await page.screenshot(path=str(OUT))
        await browser.close()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
