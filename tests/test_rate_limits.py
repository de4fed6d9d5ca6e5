"""Rate limits: per address for anonymous requests and sign-ins, per account for the rest.

Each test runs an app of its own with low limits (the other tests run without any),
counted in memory or, as several processes would share them, in Redis.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from ipaddress import ip_network

import httpx

from doorstep.app import create_app
from doorstep.settings import RateLimits, Settings
from tests.conftest import LOGIN

TOWNS = "{ towns(first: 1) { totalCount } }"


@asynccontextmanager
async def client(
    url: str, rates: RateLimits, redis_url: str | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    settings = replace(
        Settings.from_env(),
        rate_limits=rates,
        redis_url=redis_url,
        trusted_proxies=(ip_network("10.0.0.0/8"),),
    )
    app = create_app(settings, url=url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("10.1.2.3", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://doorstep.test") as http:
            yield http


def an_address() -> str:
    """A client address of this test alone, so counts left in Redis by other runs never meet it."""
    return f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"


async def ask(http: httpx.AsyncClient, address: str, query: str = TOWNS, **kwargs) -> httpx.Response:
    headers = {"X-Forwarded-For": address, **kwargs.pop("headers", {})}
    return await http.post("/graphql", json={"query": query, **kwargs}, headers=headers)


def assert_rate_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert error["extensions"]["retryAfter"] == retry_after
    assert f"try again in {retry_after} s" in error["message"]


async def test_anonymous_requests_are_limited_per_client_address(shared_database):
    async with client(shared_database, RateLimits(anonymous="3/minute", account=None, login=None)) as http:
        first, second = an_address(), an_address()
        for _ in range(3):
            assert (await ask(http, first)).status_code == 200
        assert_rate_limited(await ask(http, first))
        # Malformed requests count too, and are refused as limited once over.
        assert_rate_limited(await http.post("/graphql", content=b"[", headers={"X-Forwarded-For": first}))
        # Another address has its own count.
        assert (await ask(http, second)).status_code == 200


async def test_signed_in_requests_are_limited_per_account_wherever_they_come_from(shared_database):
    rates = RateLimits(anonymous="100/minute", account="3/minute", login=None)
    async with client(shared_database, rates) as http:
        login = await ask(
            http,
            an_address(),
            LOGIN,
            variables={"input": {"username": "station", "password": "doorstep-station"}},
        )
        token = login.json()["data"]["login"]["token"]
        signed_in = {"Authorization": f"Bearer {token}"}
        for _ in range(3):
            assert (await ask(http, an_address(), headers=signed_in)).status_code == 200
        # From yet another address: the account's count holds.
        assert_rate_limited(await ask(http, an_address(), headers=signed_in))
        # Anonymous requests from that address are counted apart.
        assert (await ask(http, an_address())).status_code == 200


async def test_sign_ins_are_limited_per_address_beyond_the_anonymous_rate(shared_database):
    rates = RateLimits(anonymous="100/minute", account=None, login="2/minute")
    async with client(shared_database, rates) as http:
        address = an_address()
        wrong = {"input": {"username": "no.such.user", "password": "a guess"}}
        for _ in range(2):
            body = (await ask(http, address, LOGIN, variables=wrong)).json()
            assert body["data"]["login"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
        # A sign-in hidden behind an alias and a fragment is a sign-in all the same.
        hidden = """mutation($input: LoginInput!) { ...Enter }
            fragment Enter on Mutation { in: login(input: $input) { token } }"""
        assert_rate_limited(await ask(http, address, hidden, variables=wrong))
        # Other requests from the address go on.
        assert (await ask(http, address)).status_code == 200


async def test_forwarded_addresses_are_believed_only_from_trusted_proxies(shared_database):
    settings = replace(
        Settings.from_env(), rate_limits=RateLimits(anonymous="2/minute", account=None, login=None)
    )
    app = create_app(settings, url=shared_database)  # no trusted proxies
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("192.0.2.50", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://doorstep.test") as http:
            # Each request claims another address; all come from one peer and count as it.
            assert (await ask(http, an_address())).status_code == 200
            assert (await ask(http, an_address())).status_code == 200
            assert_rate_limited(await ask(http, an_address()))


def reachable_redis() -> str | None:
    """DOORSTEP_TEST_REDIS_URL, or a Redis answering on its default port; None on a machine without."""
    configured = os.environ.get("DOORSTEP_TEST_REDIS_URL")
    if configured:
        return configured
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return None
    return "redis://127.0.0.1:6379/0"


REDIS_URL = reachable_redis()

# Redis is optional (the default counts in memory), so is its test: it runs wherever one answers.
if REDIS_URL is not None:

    async def test_with_redis_the_limit_holds_across_processes(shared_database):
        rates = RateLimits(anonymous="4/minute", account=None, login=None)
        address = an_address()
        # Two apps stand for two worker processes: they share nothing but Redis.
        async with (
            client(shared_database, rates, REDIS_URL) as one,
            client(shared_database, rates, REDIS_URL) as two,
        ):
            for http in (one, two, one, two):
                assert (await ask(http, address)).status_code == 200
            assert_rate_limited(await ask(one, address))
            assert_rate_limited(await ask(two, address))
