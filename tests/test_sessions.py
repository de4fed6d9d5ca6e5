"""One request, many concurrent resolvers and loaders, one session used safely."""

from __future__ import annotations

import asyncio

from resolvers.accounts import sign_in


async def test_sibling_root_fields_and_loaders_run_in_one_request(api):
    query = """{
      a: services(first: 50) { totalCount countsByTier { count } nodes { provider { name } category { name } } }
      b: projects(first: 50) { totalCount nodes { provider { name } resources(first: 3) { nodes { name } } } }
      c: resources(first: 50, filter: {kind: VENUE}) { nodes { provider { name } category { parent { name } } } }
      d: towns(first: 10) { nodes { stations(first: 10) { nodes { town { name } demands(first: 2) { nodes { category { name } } } } } } }
      e: demands(first: 50) { totalCount nodes { station { town { district { name } } } } }
      f: categories { children { name } }
      g: providers(first: 50) { nodes { services(first: 2) { nodes { name } } } }
    }"""
    data = await api.data(query, as_="admin")
    assert data["a"]["totalCount"] == 155, "an administrator sees the unpublished services too"
    assert data["b"]["totalCount"] == 970
    assert all(n["provider"]["name"] for n in data["c"]["nodes"])
    assert all(n["station"]["town"]["district"]["name"] == "浦东新区" for n in data["e"]["nodes"])
    assert len(data["f"]) == 6


async def test_concurrent_requests_each_get_consistent_answers(api):
    query = "{ services(first: 100) { totalCount nodes { provider { name } } } stations(first: 100) { totalCount } }"
    results = await asyncio.gather(*(api.data(query) for _ in range(12)))
    assert all(r == results[0] for r in results)
    assert results[0]["services"]["totalCount"] == 147
    assert results[0]["stations"]["totalCount"] == 1285


TERMINATE = """SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
    WHERE datname = '{database}' AND application_name = 'doorstep' AND pid <> pg_backend_pid()"""


async def terminate_backends(server, api) -> None:
    """Drops the app's pooled connections from the server side, as a restart or an operator would."""
    await server.execute(TERMINATE.format(database=api.engine.url.database))


async def test_a_read_on_a_dropped_pooled_connection_runs_again_on_a_fresh_one(server, fresh_api):
    query = "{ services(first: 3) { totalCount nodes { name provider { name } } } }"
    before = await fresh_api.data(query)
    await terminate_backends(server, fresh_api)
    with fresh_api.counting_statements() as round_trips:
        after = await fresh_api.data(query)
    assert after == before
    assert any(r.startswith("prepare") for r in round_trips), (
        "a fresh connection prepares its statements anew"
    )


async def test_a_write_on_a_dropped_pooled_connection_is_not_run_again(server, fresh_api, monkeypatch):
    mutation = """mutation($input: LoginInput!) { login(input: $input) { token userErrors { code } } }"""
    login = {"input": {"username": "admin", "password": "wrong"}}
    await fresh_api.post(mutation, login)
    verify = sign_in.verify_password

    async def verify_then_drop_connections(password_hash: str, password: str) -> bool:
        # A failed sign-in reads, verifies the password, then counts the failure in a
        # transaction: the connection drops between the reads and that write.
        verified = await verify(password_hash, password)
        await terminate_backends(server, fresh_api)
        return verified

    monkeypatch.setattr(sign_in, "verify_password", verify_then_drop_connections)
    with fresh_api.counting_statements() as round_trips:
        body = await fresh_api.post(mutation, login)
    assert body["errors"][0]["message"] == "Internal server error."
    assert not any(r.startswith("prepare") for r in round_trips), "no fresh connection ran it again"
    monkeypatch.undo()
    assert (await fresh_api.post(mutation, login))["data"]["login"]["userErrors"]
