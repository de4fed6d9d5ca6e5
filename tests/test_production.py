"""DOORSTEP_ENV=production: no GraphiQL, no anonymous introspection, a configured key; quiet logs."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import stat
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from doorstep.app import create_app
from doorstep.settings import Settings, SettingsError
from tests.conftest import LOGIN

SECRET = "a-production-secret-key-of-at-least-32-characters"
INTROSPECTION = "{ __schema { queryType { name } } }"


@asynccontextmanager
async def production_client(url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = dataclasses.replace(Settings.from_env(), production=True, secret_key=SECRET)
    app = create_app(settings, url=url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://doorstep.test") as http:
            yield http


async def test_production_serves_no_graphiql_and_no_introspection_to_strangers(shared_database):
    async with production_client(shared_database) as http:
        page = await http.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 404 and "graphiql" not in page.text.lower()
        assert page.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"

        refused = (await http.post("/graphql", json={"query": INTROSPECTION})).json()
        assert refused["errors"][0]["extensions"]["code"] == "INTROSPECTION_DISABLED"
        assert refused.get("data") is None
        typed = await http.post("/graphql", json={"query": "{ __typename towns(first: 1) { totalCount } }"})
        assert typed.json()["data"]["__typename"] == "Query"

        login = {"input": {"username": "admin", "password": "doorstep-admin"}}
        token = (await http.post("/graphql", json={"query": LOGIN, "variables": login})).json()["data"][
            "login"
        ]
        signed_in = await http.post(
            "/graphql", json={"query": INTROSPECTION}, headers={"Authorization": f"Bearer {token['token']}"}
        )
        assert signed_in.json()["data"] == {"__schema": {"queryType": {"name": "Query"}}}


async def test_development_keeps_both(api):
    page = await api.http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert (await api.data(INTROSPECTION))["__schema"]["queryType"]["name"] == "Query"


async def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    environment = {**os.environ, "DOORSTEP_ENV": "production", "DOORSTEP_DATA_DIR": str(tmp_path)}
    environment.pop("DOORSTEP_SECRET_KEY", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "doorstep",
        "serve",
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode == 2
    assert output.decode().strip() == (
        "doorstep: DOORSTEP_ENV=production needs DOORSTEP_SECRET_KEY (at least 32 characters)"
    )
    assert list(tmp_path.iterdir()) == [], "no key file is made in production"


def test_an_unknown_environment_is_refused(monkeypatch):
    monkeypatch.setenv("DOORSTEP_ENV", "prod")
    with pytest.raises(SettingsError, match="DOORSTEP_ENV must be development or production"):
        Settings.from_env()


async def test_client_errors_are_logged_as_one_line_and_only_faults_with_a_traceback(api, server, caplog):
    caplog.set_level(logging.INFO)
    await api.errors("{ users(first: 1) { totalCount } }", as_="station")  # FORBIDDEN
    await api.errors("query($id: ID!) { station(id: $id) { id } }", {"id": "U3RhdGlvbjp4"})  # INVALID_ID
    await api.errors("{ towns { nope } }")  # validation
    client_lines = [r for r in caplog.records if r.getMessage() == "client_error"]
    assert [r.code for r in client_lines] == [
        "FORBIDDEN",
        "INVALID_ID",
        "GRAPHQL_VALIDATION_FAILED",
    ]
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in client_lines)
    assert all(r.exc_info is None for r in caplog.records), "no traceback for a client's error"

    caplog.clear()
    app = create_app(Settings.from_env(), url=server.url("doorstep_database_that_does_not_exist"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://doorstep.test") as http:
            await http.post("/graphql", json={"query": "{ towns(first: 1) { totalCount } }"})
    faults = [r for r in caplog.records if r.exc_info is not None and r.name == "schema.extensions"]
    assert [r.getMessage() for r in faults] == ["Fault in towns (operation None)"]
    assert not any(r.getMessage() == "client_error" for r in caplog.records)


def test_the_key_file_is_private_from_its_first_byte(tmp_path, monkeypatch):
    monkeypatch.delenv("DOORSTEP_SECRET_KEY", raising=False)
    monkeypatch.setenv("DOORSTEP_DATA_DIR", str(tmp_path / "data"))
    previous = os.umask(0)  # the most permissive a process can run with
    try:
        # A key that cannot be written leaves the draft file as it was created.
        monkeypatch.setattr("secrets.token_urlsafe", lambda _: "\ud800")
        with pytest.raises(UnicodeEncodeError):
            Settings.from_env()
        drafts = list((tmp_path / "data").iterdir())
        assert drafts and all(stat.S_IMODE(d.stat().st_mode) == 0o600 for d in drafts)
        for draft in drafts:
            draft.unlink()
        monkeypatch.undo()
        monkeypatch.delenv("DOORSTEP_SECRET_KEY", raising=False)
        monkeypatch.setenv("DOORSTEP_DATA_DIR", str(tmp_path / "data"))
        settings = Settings.from_env()
    finally:
        os.umask(previous)
    key_file = tmp_path / "data" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text() == settings.secret_key and len(settings.secret_key) >= 32
