"""`extensions.cost`: the nodes an operation asked for, the nodes it returned, and the limit.

Every figure is written out from the demo district: every town has at least 3 stations.
"""

from __future__ import annotations

from tests.helpers import scalar
from tests.test_limits import VARIABLE_PAGES

LIMIT = 50_000


def cost(requested: int, actual: int) -> dict:
    return {"cost": {"requestedNodes": requested, "actualNodes": actual, "maximumNodes": LIMIT}}


async def test_a_query_reports_the_nodes_it_could_return_and_those_it_returned(api):
    body = await api.post("{ towns(first: 2) { nodes { stations(first: 3) { nodes { id } } } } }")
    # 2 towns + 2 × 3 stations, asked for and returned.
    assert body["extensions"] == cost(8, 8)
    assert [len(town["stations"]["nodes"]) for town in body["data"]["towns"]["nodes"]] == [3, 3]


async def test_a_page_counts_once_however_it_is_selected(api):
    body = await api.post("{ towns(first: 2) { totalCount edges { cursor node { id } } nodes { id } } }")
    assert body["extensions"] == cost(2, 2)


async def test_page_sizes_from_variables_count_as_the_limit_counted_them(api):
    query = """query($towns: Int!, $stations: Int = 3) {
        towns(first: $towns) { nodes { name stations(first: $stations) { nodes { id } } } } }"""
    assert (await api.post(query, {"towns": 4}))["extensions"] == cost(4 + 4 * 3, 16)
    # The last page of the first town's stations: 2 asked from the end, 2 returned;
    # then a page larger than the town: 1 + 100 asked, its 1 town and its stations returned.
    last = query.replace("first: $stations", "last: $stations")
    assert (await api.post(last, {"towns": 1, "stations": 2}))["extensions"] == cost(1 + 2, 3)
    # The first town by code has 47 stations in the demo district.
    first_town = "SELECT count(*) FROM stations WHERE town_id = (SELECT id FROM towns ORDER BY code LIMIT 1)"
    assert await scalar(api, first_town) == 47
    body = await api.post(query, {"towns": 1, "stations": 100})
    assert len(body["data"]["towns"]["nodes"][0]["stations"]["nodes"]) == 47
    assert body["extensions"] == cost(1 + 100, 1 + 47)


async def test_a_list_of_ids_returns_the_nodes_found(api):
    town = (await api.data("{ towns(first: 1) { nodes { id } } }"))["towns"]["nodes"][0]["id"]
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
    # The second ID names a town that does not exist: asked for, not returned.
    missing = "VG93bjo5OTk5OTk="  # Town:999999
    assert (await api.post(query, {"ids": [town, missing]}))["extensions"] == cost(2, 1)


async def test_a_refused_query_reports_what_it_asked_for(api):
    body = await api.post(VARIABLE_PAGES)
    assert body["errors"][0]["message"] == (
        "This query could return 1,010,100 nodes; the limit is 50,000. "
        "Ask for smaller pages or fewer nested connections."
    )
    assert body["errors"][0]["extensions"] == {
        "code": "QUERY_TOO_LARGE",
        "requestedNodes": 1_010_100,
        "maximumNodes": LIMIT,
    }
    # Nothing ran, so nothing was returned.
    assert body["extensions"] == cost(1_010_100, 0)


async def test_an_invalid_query_reports_no_cost(api):
    body = await api.post("{ towns(first: 2) { nodes { noSuchField } } }")
    assert "extensions" not in body


async def test_a_mutation_reports_its_cost(fresh_api):
    provider = (await fresh_api.data("{ providers(first: 1) { nodes { id } } }"))["providers"]["nodes"][0][
        "id"
    ]
    body = await fresh_api.post(
        """mutation($input: UpdateProviderInput!) { updateProvider(input: $input) {
            provider { services(first: 3) { nodes { id } } } userErrors { code } } }""",
        {"input": {"providerId": provider, "phone": "021-12345678"}},
        as_="admin",
    )
    assert body["data"]["updateProvider"]["userErrors"] == []
    assert len(body["data"]["updateProvider"]["provider"]["services"]["nodes"]) == 3
    assert body["extensions"] == cost(3, 3)
