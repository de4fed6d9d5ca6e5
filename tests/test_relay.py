"""Relay conventions: global IDs, node lookups, cursor connections and their limits."""

from __future__ import annotations

import pytest

from tests.helpers import global_id

NODE = """query($id: ID!) { node(id: $id) { __typename id } }"""


@pytest.mark.parametrize(
    "root, type_name",
    [
        ("towns", "Town"),
        ("stations", "Station"),
        ("providers", "Provider"),
        ("services", "Service"),
        ("resources", "Resource"),
        ("projects", "Project"),
        ("demands", "Demand"),
    ],
)
async def test_every_listed_object_can_be_fetched_again_by_its_global_id(api, root, type_name):
    listed = (await api.data(f"{{ {root}(first: 3) {{ nodes {{ id }} }} }}", as_="admin"))[root]["nodes"]
    assert len(listed) == 3
    for item in listed:
        node = (await api.data(NODE, {"id": item["id"]}, as_="admin"))["node"]
        assert node == {"__typename": type_name, "id": item["id"]}
    nodes = await api.data(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [i["id"] for i in listed]}, as_="admin"
    )
    assert nodes["nodes"] == listed


async def test_ids_are_opaque_and_unknown_ones_resolve_to_null(api):
    assert (await api.data(NODE, {"id": global_id("Station", 987654321)}))["node"] is None
    assert (await api.data(NODE, {"id": global_id("Nothing", 1)}))["node"] is None
    assert (await api.data(NODE, {"id": global_id("Station", "abc")}))["node"] is None


async def test_malformed_ids_get_a_clear_error(api):
    errors = await api.errors(NODE, {"id": "not-a-global-id!"})
    assert "id" in errors[0]["message"].lower()
    assert "Traceback" not in str(errors)


async def test_an_id_of_the_wrong_type_is_refused_by_typed_lookups(api):
    town = (await api.data("{ towns(first: 1) { nodes { id } } }"))["towns"]["nodes"][0]
    errors = await api.errors("query($id: ID!) { station(id: $id) { id } }", {"id": town["id"]})
    assert errors[0]["message"] == "Expected the ID of a Station."
    assert errors[0]["extensions"]["code"] == "INVALID_ID"


async def test_paging_forward_and_backward_visits_every_item_once(api):
    query = """query($first: Int, $after: String, $last: Int, $before: String) {
      stations(first: $first, after: $after, last: $last, before: $before, filter: {kind: SERVICE_CENTER}) {
        edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""
    forward, after = [], None
    while True:
        page = (await api.data(query, {"first": 10, "after": after}))["stations"]
        forward += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(forward) == len(set(forward)) == 36

    backward, before = [], None
    while True:
        page = (await api.data(query, {"last": 10, "before": before}))["stations"]
        backward = [e["node"]["id"] for e in page["edges"]] + backward
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert backward == forward


async def test_page_sizes_over_the_limit_are_refused(api):
    errors = await api.errors("{ services(first: 101) { nodes { id } } }")
    assert errors[0]["message"] == "`first` must be between 0 and 100; got 101."
    assert errors[0]["extensions"]["code"] == "PAGE_SIZE_OUT_OF_RANGE"
    errors = await api.errors("{ services(last: -1) { nodes { id } } }")
    assert errors[0]["extensions"]["code"] == "PAGE_SIZE_OUT_OF_RANGE"
    errors = await api.errors("{ services(first: 1, last: 1) { nodes { id } } }")
    assert errors[0]["extensions"]["code"] == "INVALID_PAGINATION"


async def test_bad_cursors_are_refused(api):
    errors = await api.errors('{ services(after: "garbage") { nodes { id } } }')
    assert errors[0]["extensions"]["code"] == "INVALID_CURSOR"
    cursor = (await api.data("{ towns(first: 1) { pageInfo { endCursor } } }"))["towns"]["pageInfo"][
        "endCursor"
    ]
    errors = await api.errors("query($c: String) { services(after: $c) { nodes { id } } }", {"c": cursor})
    assert errors[0]["extensions"]["code"] == "INVALID_CURSOR"


async def test_total_count_is_counted_only_when_asked_for(api):
    """A first page counts its total in its own statement; a page past a cursor needs one more."""
    first = "{ services(first: 5) { nodes { id } } }"
    counted = "query($after: String) { services(first: 5, after: $after) { totalCount nodes { id } } }"
    await api.warm(first, {})
    await api.warm(counted, {})
    with api.counting_statements() as without:
        await api.data(first)
    with api.counting_statements() as with_count:
        page = (await api.data(counted))["services"]
    assert len(with_count) == len(without) == 1
    assert not any("count(" in s.lower() for s in without)
    assert "count(*) over ()" in with_count[0].lower()
    cursor = (await api.data("{ services(first: 5) { pageInfo { endCursor } } }"))["services"]["pageInfo"]
    await api.warm(counted, {"after": cursor["endCursor"]})
    with api.counting_statements() as past_cursor:
        later = (await api.data(counted, {"after": cursor["endCursor"]}))["services"]
    assert len(past_cursor) == 2
    assert later["totalCount"] == page["totalCount"] == 147  # the published services
    assert later["nodes"][0] not in page["nodes"]


async def test_queries_that_could_return_too_many_nodes_are_refused_before_running(api):
    query = """{ towns(first: 100) { nodes { stations(first: 100) { nodes {
        demands(first: 100) { nodes { id } } } } } } }"""
    with api.counting_statements() as statements:
        errors = await api.errors(query)
    assert errors[0]["extensions"]["code"] == "QUERY_TOO_LARGE"
    assert "1,010,100" in errors[0]["message"]
    assert statements == []


async def test_deep_queries_are_refused(api):
    query = "{ services(first: 1) { nodes { category { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } } } } } } } }"
    errors = await api.errors(query)
    assert "exceeds maximum operation depth" in errors[0]["message"]
