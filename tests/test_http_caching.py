"""HTTP caching of GraphQL responses: ETags and 304s, Cache-Control per viewer, and running afresh."""

from __future__ import annotations

import uuid

from tests.cache_steps import STATUS, read


def unique_stations_query() -> str:
    return f"query Stations_{uuid.uuid4().hex} {{ stations(first: 2) {{ nodes {{ name }} }} }}"


async def test_an_anonymous_answer_carries_a_strong_etag_and_a_matching_request_gets_304(api):
    query = unique_stations_query()
    first = await read(api.http, query)
    assert first.status_code == 200
    assert first.headers[STATUS] == "MISS"
    assert first.headers["cache-control"] == "public, max-age=5, stale-while-revalidate=30"
    assert "Authorization" in first.headers["vary"].split(", ")
    tag = first.headers["etag"]
    assert tag.startswith('"') and tag.endswith('"') and len(tag) == 34
    assert first.json()["extensions"]["cost"] == {
        "requestedNodes": 2,
        "actualNodes": 2,
        "maximumNodes": 50_000,
    }

    unchanged = await read(api.http, query, **{"If-None-Match": tag})
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert unchanged.headers["etag"] == tag
    assert unchanged.headers["cache-control"] == "public, max-age=5, stale-while-revalidate=30"
    assert unchanged.headers[STATUS] == "HIT"
    # If-None-Match compares weakly, and takes a list.
    listed = await read(api.http, query, **{"If-None-Match": f'"other", W/{tag}'})
    assert listed.status_code == 304
    other = await read(api.http, query, **{"If-None-Match": '"something-else"'})
    assert (other.status_code, other.content, other.headers["etag"]) == (200, first.content, tag)


async def test_a_request_asking_for_no_cache_runs_afresh_and_refreshes_the_entry(api):
    query = unique_stations_query()
    await read(api.http, query)
    with api.counting_statements() as fresh_trips:
        fresh = await read(api.http, query, **{"Cache-Control": "no-cache"})
    assert fresh.headers[STATUS] == "BYPASS"
    assert len(fresh_trips) >= 1
    with api.counting_statements() as cached_trips:
        cached = await read(api.http, query)
    assert (cached.headers[STATUS], cached_trips) == ("HIT", [])
    assert cached.content == fresh.content


async def test_signed_in_answers_are_private_and_mutations_and_errors_are_not_stored(api):
    token = await api.token("station")
    signed_in = await read(api.http, "{ viewer { username } }", Authorization=f"Bearer {token}")
    assert signed_in.headers["cache-control"] == "private, no-cache"
    assert "Authorization" in signed_in.headers["vary"].split(", ")
    again = await read(
        api.http,
        "{ viewer { username } }",
        Authorization=f"Bearer {token}",
        **{"If-None-Match": signed_in.headers["etag"]},
    )
    assert (again.status_code, again.headers[STATUS]) == (304, "HIT")

    failed = await read(api.http, "{ stations(first: 1) { nodes { noSuchField } } }")
    assert (failed.headers["cache-control"], failed.headers[STATUS]) == ("no-store", "BYPASS")
    assert "etag" not in failed.headers
    refused = await read(api.http, "{ orders(first: 1) { totalCount } }", Authorization="Bearer not-a-token")
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert refused.headers["cache-control"] == "no-store"
    mutation = await read(
        api.http, 'mutation { login(input: {username: "nobody", password: "x-password"}) { token } }'
    )
    assert (mutation.headers["cache-control"], mutation.headers[STATUS]) == ("no-store", "BYPASS")
