"""Automatic persisted queries as Apollo clients send them, over POST and GET, and bad input to them."""

from __future__ import annotations

import hashlib
import json
import uuid
from urllib.parse import urlencode

from tests.cache_steps import STATUS


def persisted(query: str) -> dict:
    return {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}


def unique_query() -> str:
    """A text no other test sends, so its hash starts unknown to the shared server."""
    return f"query Towns_{uuid.uuid4().hex}($first: Int!) {{ towns(first: $first) {{ nodes {{ code }} }} }}"


def get_url(**params: object) -> str:
    return "/graphql?" + urlencode(
        {name: value if isinstance(value, str) else json.dumps(value) for name, value in params.items()}
    )


async def test_a_hash_unknown_then_registered_with_its_text_then_sent_alone_over_get_and_post(api):
    query = unique_query()
    extensions = persisted(query)
    unknown = await api.http.post("/graphql", json={"extensions": extensions, "variables": {"first": 2}})
    assert unknown.status_code == 200
    assert unknown.json() == {
        "errors": [{"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]
    }
    assert unknown.headers["cache-control"] == "no-store"

    registered = await api.http.post(
        "/graphql", json={"query": query, "extensions": extensions, "variables": {"first": 2}}
    )
    towns = registered.json()["data"]["towns"]["nodes"]
    assert len(towns) == 2

    by_post = await api.http.post("/graphql", json={"extensions": extensions, "variables": {"first": 2}})
    assert by_post.json()["data"]["towns"]["nodes"] == towns
    url = get_url(extensions=extensions, variables={"first": 2})
    by_get = await api.http.get(url)
    assert by_get.status_code == 200
    assert by_get.json()["data"]["towns"]["nodes"] == towns
    assert by_get.json()["extensions"]["cost"] == {
        "requestedNodes": 2,
        "actualNodes": 2,
        "maximumNodes": 50_000,
    }
    assert by_get.headers[STATUS] == "HIT"
    # Other variables are another response, run from the registered text.
    one = await api.http.get(get_url(extensions=extensions, variables={"first": 1}))
    assert (one.headers[STATUS], one.json()["data"]["towns"]["nodes"]) == ("MISS", towns[:1])
    # The operation name may be sent too, as Apollo Client does.
    named = await api.http.get(
        get_url(extensions=extensions, variables={"first": 1}, operationName=query.split()[1].split("(")[0])
    )
    assert named.json()["data"]["towns"]["nodes"] == towns[:1]


async def test_a_query_sent_by_get_as_text_is_cached_like_any_other(api):
    query = unique_query()
    first = await api.http.get(get_url(query=query, variables={"first": 1}))
    again = await api.http.get(get_url(query=query, variables={"first": 1}))
    assert (first.headers[STATUS], again.headers[STATUS]) == ("MISS", "HIT")
    assert first.content == again.content


async def test_a_hash_that_does_not_match_its_text_is_refused(api):
    query = unique_query()
    wrong = persisted(query + " ")
    answer = await api.http.post(
        "/graphql", json={"query": query, "extensions": wrong, "variables": {"first": 1}}
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "errors": [
            {
                "message": "provided sha does not match query",
                "extensions": {"code": "PERSISTED_QUERY_HASH_MISMATCH"},
            }
        ]
    }
    # Nor was anything registered under the wrong hash.
    alone = await api.http.post("/graphql", json={"extensions": wrong, "variables": {"first": 1}})
    assert alone.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_mutation_over_get_is_refused_with_405_and_a_graphql_error(api):
    mutation = 'mutation { login(input: {username: "admin", password: "doorstep-admin"}) { token } }'
    answer = await api.http.get(get_url(query=mutation))
    assert answer.status_code == 405
    assert answer.headers["allow"] == "POST"
    assert answer.json() == {
        "errors": [
            {
                "message": "Mutations are sent with POST, not GET.",
                "extensions": {"code": "METHOD_NOT_ALLOWED"},
            }
        ]
    }
    # Registered over POST, a persisted mutation is refused over GET all the same.
    registered = await api.http.post("/graphql", json={"query": mutation, "extensions": persisted(mutation)})
    assert registered.json()["data"]["login"]["token"]
    again = await api.http.get(get_url(extensions=persisted(mutation)))
    assert again.status_code == 405


async def test_bad_input_to_the_new_paths_gets_a_graphql_error_never_a_500(api):
    subscription = "subscription { deadlineAlerts { cursor } }"
    cases = [
        (await api.http.post("/graphql", json={"query": subscription}), 400, "BAD_REQUEST"),
        (await api.http.get(get_url(query=subscription)), 400, "BAD_REQUEST"),
        (
            await api.http.get("/graphql?query={towns(first:1){totalCount}}&variables={not json"),
            400,
            "BAD_REQUEST",
        ),
        (await api.http.get(get_url(query="{ __typename }", variables=[1, 2])), 400, "BAD_REQUEST"),
        (await api.http.get(get_url(extensions={"persistedQuery": {"version": 2}})), 400, "BAD_REQUEST"),
        (
            await api.http.get(get_url(extensions={"persistedQuery": {"version": 1, "sha256Hash": "abc"}})),
            400,
            "BAD_REQUEST",
        ),
        (
            await api.http.get("/graphql?operationName=x", headers={"Accept": "application/json"}),
            400,
            "BAD_REQUEST",
        ),
        (
            await api.http.post(
                "/graphql",
                json={"query": "query($x: String) { __typename }", "variables": {"x": "长" * 400_000}},
            ),
            413,
            "REQUEST_TOO_LARGE",
        ),
        (
            await api.http.get(
                get_url(query="query($x: String) { __typename }", variables={"x": "x" * 40_000})
            ),
            414,
            "URI_TOO_LONG",
        ),
        (
            await api.http.post(
                "/graphql", content=b"{not json", headers={"Content-Type": "application/json"}
            ),
            400,
            "BAD_REQUEST",
        ),
        (
            await api.http.post("/graphql", content=b"query=x", headers={"Content-Type": "text/plain"}),
            400,
            "BAD_REQUEST",
        ),
        (await api.http.post("/graphql", json=[{"query": "{ __typename }"}]), 400, "BAD_REQUEST"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/json"
        assert [error["extensions"]["code"] for error in response.json()["errors"]] == [code], response.text
