"""The real server: uvicorn worker processes serving the app on a chosen port."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import uuid

import httpx

from doorstep.database import embedded_cluster
from tests.live import ROOT, STARTUP_SECONDS, free_port, fresh_connections, live_server


async def test_two_workers_serve_graphql_and_health_on_the_chosen_port(server, template):
    url = await server.clone(template, f"doorstep_live_{uuid.uuid4().hex[:8]}")
    async with live_server(url, workers=2) as live, fresh_connections(base_url=live.http_url) as client:
        processes = set()
        for _ in range(40):
            processes.add((await client.get("/health")).json()["process"])
        assert len(processes) == 2, "both worker processes answer"
        response = await client.post("/graphql", json={"query": "{ stations(first: 1) { totalCount } }"})
        assert response.json() == {
            "data": {"stations": {"totalCount": 1285}},
            "extensions": {"cost": {"requestedNodes": 1, "actualNodes": 1, "maximumNodes": 50_000}},
        }
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        assert "graphiql" in page.text.lower()


async def test_serve_on_a_fresh_machine_starts_the_embedded_database_with_the_demo(tmp_path):
    """What `make run` does with no DATABASE_URL and no secret set: everything from nothing."""
    port = free_port()
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DATABASE_URL", "DOORSTEP_SECRET_KEY", "DOORSTEP_TEST_DATABASE_URL")
    }
    environment |= {"DOORSTEP_DATA_DIR": str(tmp_path / "state"), "PORT": str(port)}
    process = subprocess.Popen(
        [sys.executable, "-m", "doorstep", "serve"], cwd=ROOT, env=environment, start_new_session=True
    )
    try:
        async with fresh_connections(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(STARTUP_SECONDS * 10):
                assert process.poll() is None, "the server exited"
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/health")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
            counts = await client.post(
                "/graphql",
                json={"query": "{ stations(first: 1) { totalCount } services(first: 1) { totalCount } }"},
            )
            assert counts.json()["data"] == {
                "stations": {"totalCount": 1285},
                "services": {"totalCount": 147},
            }
            login = await client.post(
                "/graphql",
                json={
                    "query": 'mutation { login(input: {username: "station", password: "doorstep-station"}) { token } }'
                },
            )
            token = login.json()["data"]["login"]["token"]
            orders = await client.post(
                "/graphql",
                json={"query": "{ orders(first: 1) { totalCount } }"},
                headers={"Authorization": f"Bearer {token}"},
            )
            # The demo station's year of orders (the history ends at the load, so the count
            # moves a little with the day it is loaded).
            assert 400 <= orders.json()["data"]["orders"]["totalCount"] <= 800
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        # The embedded server outlives `serve` on purpose (the next start is instant); not here.
        # A fast shutdown (SIGINT) of the postmaster named in its pid file.
        postmaster = embedded_cluster(tmp_path / "state") / "postmaster.pid"
        os.kill(int(postmaster.read_text().split()[0]), signal.SIGINT)
