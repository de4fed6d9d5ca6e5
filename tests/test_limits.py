"""Limits checked before a query runs, and the cache of parsed and validated documents.

The limits are measured on the document once, whatever its fragments: known ways
around them (fragments spreading fragments, a variable's default, a list of IDs)
are refused by the figure they really ask for.
"""

from __future__ import annotations

import asyncio

import httpx
from graphql import parse

from doorstep.app import create_app
from doorstep.settings import Settings
from schema.documents import DocumentCache
from tests.order_steps import PLACE, place_input, unlimited_service

FRAGMENTS = 30


def doubling_fragments(body: str) -> str:
    """A query of FRAGMENTS fragments on Query, each with `body` and spreading the next twice."""
    fragments = [f"fragment F{i} on Query {{ {body} ...F{i + 1} ...F{i + 1} }}" for i in range(FRAGMENTS - 1)]
    fragments.append(f"fragment F{FRAGMENTS - 1} on Query {{ {body} }}")
    return "{ ...F0 }\n" + "\n".join(fragments)


async def test_fragments_spreading_fragments_are_counted_once_per_spread_without_expanding_them(api):
    # Expanded, this is 2^30 spreads: the old count and depth limiter never finished it.
    errors = await api.errors(doubling_fragments("towns(first: 1) { totalCount }"))
    assert errors[0]["extensions"]["code"] == "QUERY_TOO_LARGE"
    assert f"{2**FRAGMENTS - 1:,} nodes" in errors[0]["message"]


async def test_aliases_in_fragments_count_once_per_spread(api):
    errors = await api.errors(doubling_fragments("a: viewer { id }"))
    assert errors[0]["message"] == f"{2**FRAGMENTS - 1} aliases found. Allowed: 30"


async def test_depth_counts_through_fragments(api):
    query = """{ services(first: 1) { nodes { ...A } } }
        fragment A on Service { category { ...B } }
        fragment B on Category { parent { parent { parent { ...C } } } }
        fragment C on Category { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } }"""
    errors = await api.errors(query)
    assert errors[0]["message"] == "'anonymous' exceeds maximum operation depth of 12"
    # One level less is allowed.
    assert await api.data(query.replace("{ parent { ...C } }", "{ ...C }"))


VARIABLE_PAGES = """query($n: Int = 100) { towns(first: $n) { nodes { stations(first: $n) { nodes {
    menu(first: $n) { nodes { id } } } } } } }"""


async def test_a_variables_default_page_size_counts(api):
    errors = await api.errors(VARIABLE_PAGES)
    assert errors[0]["extensions"]["code"] == "QUERY_TOO_LARGE"
    assert "1,010,100 nodes" in errors[0]["message"]
    # The same document with a small page size given runs: the count follows the variables.
    assert await api.data(VARIABLE_PAGES, {"n": 2})
    # Without a default, a missing page size is the connections' default of 20: 20 + 400 + 8,000.
    assert await api.data(VARIABLE_PAGES.replace("Int = 100", "Int"))


async def test_lists_of_ids_multiply_what_is_nested_in_them(api):
    town = (await api.data("{ towns(first: 1) { nodes { id } } }"))["towns"]["nodes"][0]["id"]
    query = """query($ids: [ID!]!) { nodes(ids: $ids) { ... on Town {
        stations(first: 20) { nodes { menu(first: 30) { nodes { id } } } } } } }"""
    # 100 × (the town + 20 stations × (1 + 30 services)).
    errors = await api.errors(query, {"ids": [town] * 100})
    assert errors[0]["extensions"]["code"] == "QUERY_TOO_LARGE"
    assert "62,100 nodes" in errors[0]["message"]
    literal = query.replace("query($ids: [ID!]!)", "").replace(
        "$ids", "[" + ", ".join([f'"{town}"'] * 100) + "]"
    )
    assert "62,100 nodes" in (await api.errors(literal))[0]["message"]
    assert len((await api.data(query, {"ids": [town] * 2}))["nodes"]) == 2


async def test_lists_without_pages_are_capped_and_counted(api):
    for query, maximum in (
        ("{ districts(first: 101) { id } }", 100),
        ("{ categories(first: 201) { id } }", 200),
        ("{ categories { children(first: 201) { id } } }", 200),
        ("{ demands(first: 1) { nodes { suggestions(first: 21) { score } } } }", 20),
    ):
        body = await api.post(query, as_="admin")
        assert body["errors"][0]["extensions"]["code"] == "PAGE_SIZE_OUT_OF_RANGE", query
        assert body["errors"][0]["message"].startswith(f"`first` must be between 0 and {maximum}")
    # Each counts as its `first`, the maximum by default: the whole taxonomy three levels deep
    # is 200 + 200 × 200 + 200 × 200 × 200 nodes, however few categories exist.
    errors = await api.errors("{ categories(topLevelOnly: false) { children { children { id } } } }")
    assert errors[0]["extensions"]["requestedNodes"] == 8_040_200
    body = await api.post("{ districts { name } categories(first: 3) { children(first: 2) { code } } }")
    assert body["extensions"]["cost"] == {"requestedNodes": 109, "actualNodes": 10, "maximumNodes": 50000}
    nested = "{ demands(first: 100) { nodes { suggestions(first: 20) { project { id } } } } }"
    errors = await api.errors(nested.replace("100", "3000"), as_="admin")
    assert errors[0]["extensions"]["requestedNodes"] == 63_000


async def test_an_orders_meetings_are_capped(fresh_api):
    service = await unlimited_service(fresh_api)
    placed = await fresh_api.data(PLACE, {"input": place_input(service)}, as_="station")
    assert placed["placeOrder"]["userErrors"] == []
    query = "{ orders(first: 1) { nodes { meetings(first: %d) { id } } } }"
    errors = await fresh_api.errors(query % 51, as_="admin")
    assert errors[0]["message"] == "`first` must be between 0 and 50; got 51."
    body = await fresh_api.post(query % 50, as_="admin")
    assert body["data"]["orders"]["nodes"] == [{"meetings": []}]
    assert body["extensions"]["cost"]["requestedNodes"] == 1 + 50


async def test_a_worker_answers_a_normal_query_while_abusive_ones_arrive(api):
    abusive = [
        (doubling_fragments("towns(first: 1) { totalCount }"), {}),
        (VARIABLE_PAGES, {}),
        ("{ categories(topLevelOnly: false) { children { children { id } } } }", {}),
    ] * 4
    answers = await asyncio.gather(
        *(api.post(query, variables) for query, variables in abusive),
        api.post("{ towns(first: 2) { nodes { name } } }"),
    )
    assert all(a["errors"][0]["extensions"]["code"] == "QUERY_TOO_LARGE" for a in answers[:-1])
    assert len(answers[-1]["data"]["towns"]["nodes"]) == 2


async def test_a_query_sent_twice_is_parsed_and_validated_once(shared_database):
    app = create_app(Settings.from_env(), url=shared_database)
    documents: DocumentCache = app.state.documents
    valid = "{ towns(first: 1) { nodes { name } } }"
    invalid = "{ towns(first: 1) { nodes { noSuchField } } }"
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://doorstep.test") as http,
    ):
        # Run afresh each time: a response served from the response cache would parse nothing.
        fresh = {"Cache-Control": "no-cache"}
        answers = [
            (await http.post("/graphql", json={"query": q}, headers=fresh)).json()
            for q in (valid, invalid) * 2
        ]
    assert answers[0] == answers[2] and "errors" not in answers[0]
    assert answers[1] == answers[3] and "noSuchField" in answers[1]["errors"][0]["message"]
    assert (documents.parsed, documents.validated, documents.hits) == (2, 2, 2)


def test_the_cache_keeps_the_most_recently_used_documents():
    documents = DocumentCache(size=2)
    for query in ("{ a }", "{ b }"):
        documents.add(query, parse(query))
    assert documents.get("{ a }") is not None  # now the most recently used
    documents.add("{ c }", parse("{ c }"))
    assert documents.get("{ b }") is None
    assert documents.get("{ a }") is not None and documents.get("{ c }") is not None
