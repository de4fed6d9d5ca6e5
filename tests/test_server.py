"""The real server: uvicorn worker processes serving the app on a chosen port."""

from __future__ import annotations

import uuid

from tests.live import fresh_connections, live_server


async def test_two_workers_serve_graphql_and_health_on_the_chosen_port(server, template):
    url = await server.clone(template, f"doorstep_live_{uuid.uuid4().hex[:8]}")
    async with live_server(url, workers=2) as live, fresh_connections(base_url=live.http_url) as client:
        processes = set()
        for _ in range(40):
            processes.add((await client.get("/health")).json()["process"])
        assert len(processes) == 2, "both worker processes answer"
        response = await client.post("/graphql", json={"query": "{ stations(first: 1) { totalCount } }"})
        assert response.json() == {"data": {"stations": {"totalCount": 1285}}}
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        assert "graphiql" in page.text.lower()
