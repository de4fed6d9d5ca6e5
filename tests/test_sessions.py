"""One request, many concurrent resolvers and loaders, one session used safely."""

from __future__ import annotations

import asyncio


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
