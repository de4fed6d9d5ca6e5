"""Bad input gets a clear GraphQL error; a fault answers with a masked one."""

from __future__ import annotations

import dataclasses
import os

import httpx

from doorstep.app import create_app
from doorstep.settings import Settings


async def test_unknown_enum_values_are_refused_with_a_clear_message(api):
    errors = await api.errors("{ services(filter: {tier: LUXURY}) { nodes { id } } }")
    assert "LUXURY" in errors[0]["message"]
    assert "Traceback" not in str(errors)


async def test_absurdly_long_search_text_is_refused(api):
    errors = await api.errors(
        "query($s: String) { services(filter: {search: $s}) { nodes { id } } }", {"s": "养老" * 5000}
    )
    assert errors[0]["extensions"]["code"] == "SEARCH_TOO_LONG"


async def test_search_text_with_characters_postgresql_cannot_store_is_refused(api):
    errors = await api.errors(
        "query($s: String) { demands(filter: {search: $s}) { nodes { id } } }",
        {"s": "养老\x00服务"},
        as_="admin",
    )
    assert errors[0]["extensions"]["code"] == "INVALID_SEARCH"


async def test_syntax_errors_and_unknown_fields_are_explained(api):
    assert "Syntax Error" in (await api.errors("{ services(first: 1) { nodes { id }"))[0]["message"]
    errors = await api.errors("{ services { nodes { price } } }")
    assert "Cannot query field 'price'" in errors[0]["message"]


async def test_queries_work_over_get_and_graphiql_is_served(api):
    response = await api.http.get("/graphql", params={"query": "{ towns(first: 1) { totalCount } }"})
    assert response.status_code == 200
    assert response.json()["data"]["towns"]["totalCount"] == 36
    page = await api.http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


async def test_health_reports_the_database(api):
    response = await api.http.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up", "process": os.getpid()}


async def test_faults_are_masked_and_health_turns_unavailable(server):
    app = create_app(Settings.from_env(), url=server.url("doorstep_database_that_does_not_exist"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://doorstep.test") as http:
            response = await http.post("/graphql", json={"query": "{ towns(first: 1) { totalCount } }"})
            assert response.status_code == 200
            body = response.json()
            assert body["errors"][0]["message"] == "Internal server error."
            assert "does_not_exist" not in response.text and "Traceback" not in response.text
            assert (await http.get("/health")).status_code == 503


async def test_only_the_configured_web_origins_may_call_the_api(shared_database):
    settings = dataclasses.replace(Settings.from_env(), allowed_origins=("https://screen.example.org",))
    app = create_app(settings, url=shared_database)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://doorstep.test") as http:
            preflight = {
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization",
            }
            allowed = await http.options(
                "/graphql", headers={"Origin": "https://screen.example.org", **preflight}
            )
            assert allowed.status_code == 200
            assert allowed.headers["access-control-allow-origin"] == "https://screen.example.org"
            refused = await http.options(
                "/graphql", headers={"Origin": "https://evil.example.com", **preflight}
            )
            assert "access-control-allow-origin" not in refused.headers
