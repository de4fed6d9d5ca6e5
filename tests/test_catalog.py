"""The department catalogs, as station screens and consoles read them."""

from __future__ import annotations

from tests.helpers import global_id

SERVICES = """
query Services($filter: ServiceFilter, $first: Int, $after: String, $orderBy: ServiceOrder) {
  services(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    nodes { id name tier audiences consultableOnSpot completableOnSpot status
            provider { id name } category { id name parent { id } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def all_services(api, filter=None, order_by=None) -> list[dict]:
    nodes, after = [], None
    while True:
        data = await api.data(SERVICES, {"filter": filter, "first": 100, "after": after, "orderBy": order_by})
        nodes += data["services"]["nodes"]
        if not data["services"]["pageInfo"]["hasNextPage"]:
            return nodes
        after = data["services"]["pageInfo"]["endCursor"]


async def test_the_demo_catalog_has_147_published_services_across_three_tiers(api):
    services = await all_services(api)
    assert len(services) == 147
    assert {s["status"] for s in services} == {"PUBLISHED"}
    assert {s["tier"] for s in services} == {"BOTTOM_LINE", "BASIC", "QUALITY"}
    assert len({s["id"] for s in services}) == 147


async def test_tier_and_category_counts_cover_the_filtered_services(api):
    query = """
    query($filter: ServiceFilter) {
      services(filter: $filter, first: 1) {
        totalCount
        countsByTier { tier count }
        countsByCategory { category { name parent { id } } count }
      }
    }"""
    everything = (await api.data(query))["services"]
    assert sum(c["count"] for c in everything["countsByTier"]) == everything["totalCount"] == 147
    assert len(everything["countsByCategory"]) == 6
    assert all(c["category"]["parent"] is None for c in everything["countsByCategory"])
    assert sum(c["count"] for c in everything["countsByCategory"]) == 147

    basic = (await api.data(query, {"filter": {"tier": "BASIC"}}))["services"]
    by_tier = {c["tier"]: c["count"] for c in basic["countsByTier"]}
    assert by_tier["BASIC"] == basic["totalCount"] > 0
    assert by_tier["BOTTOM_LINE"] == by_tier["QUALITY"] == 0


async def test_filters_combine_and_each_one_holds(api):
    services = await all_services(api)
    provider = services[0]["provider"]
    by_provider = await all_services(api, {"providerId": provider["id"]})
    assert by_provider and {s["provider"]["id"] for s in by_provider} == {provider["id"]}
    assert len(by_provider) == sum(s["provider"]["id"] == provider["id"] for s in services)

    on_spot = await all_services(api, {"completableOnSpot": True, "tier": "BASIC"})
    assert on_spot
    assert all(s["completableOnSpot"] and s["tier"] == "BASIC" for s in on_spot)
    expected = sum(s["completableOnSpot"] and s["tier"] == "BASIC" for s in services)
    assert len(on_spot) == expected

    elderly = await all_services(api, {"audience": "ELDERLY"})
    assert elderly
    assert all({"ELDERLY", "EVERYONE"} & set(s["audiences"]) for s in elderly)
    assert len(elderly) == sum(bool({"ELDERLY", "EVERYONE"} & set(s["audiences"])) for s in services)


async def test_a_major_category_finds_the_services_of_the_domains_below_it(api):
    services = await all_services(api)
    nested = next(s for s in services if s["category"]["parent"] is not None)
    major_id = nested["category"]["parent"]["id"]
    in_major = await all_services(api, {"categoryId": major_id})
    assert nested["id"] in {s["id"] for s in in_major}
    assert all(
        s["category"]["id"] == major_id or (s["category"]["parent"] or {}).get("id") == major_id
        for s in in_major
    )
    in_domain = await all_services(api, {"categoryId": nested["category"]["id"]})
    assert {s["category"]["id"] for s in in_domain} == {nested["category"]["id"]}


async def test_search_finds_chinese_text_in_names_and_descriptions(api):
    services = await all_services(api)
    name = services[0]["name"]
    term = name[1:3]
    found = await all_services(api, {"search": term})
    assert services[0]["id"] in {s["id"] for s in found}
    expected = {s["id"] for s in services if term in s["name"]}
    assert expected <= {s["id"] for s in found}
    assert await all_services(api, {"search": "不存在的服务名称"}) == []
    # Every whitespace-separated term must be present.
    both = await all_services(api, {"search": f"{name[:2]} {name[-2:]}"})
    assert services[0]["id"] in {s["id"] for s in both}


async def test_orderings_are_total_and_reversible(api):
    ascending = await all_services(api, order_by={"field": "NAME", "direction": "ASC"})
    descending = await all_services(api, order_by={"field": "NAME", "direction": "DESC"})
    assert [s["id"] for s in ascending] == [s["id"] for s in reversed(descending)]
    names = [s["name"] for s in ascending]
    assert names == sorted(names, key=lambda n: n.encode())


async def test_anonymous_callers_never_see_unpublished_services(api):
    query = """query($first: Int) { providers(first: $first) { nodes {
        services(first: 100) { nodes { status } } } } }"""
    providers = (await api.data(query, {"first": 100}))["providers"]["nodes"]
    statuses = {s["status"] for p in providers for s in p["services"]["nodes"]}
    assert statuses == {"PUBLISHED"}


async def test_provider_lists_filter_by_kind_and_search(api):
    query = """query($filter: ProviderFilter) { providers(filter: $filter, first: 100) {
        totalCount nodes { name kind } } }"""
    departments = (await api.data(query, {"filter": {"kind": "DEPARTMENT"}}))["providers"]
    assert departments["totalCount"] == 26
    assert {p["kind"] for p in departments["nodes"]} == {"DEPARTMENT"}
    found = (await api.data(query, {"filter": {"search": "民政"}}))["providers"]["nodes"]
    assert found and all("民政" in p["name"] for p in found)


async def test_the_taxonomy_has_six_major_categories_with_domains(api):
    data = await api.data("{ categories { id name position children { name parent { id } } } }")
    majors = data["categories"]
    assert len(majors) == 6
    assert [c["position"] for c in majors] == sorted(c["position"] for c in majors)
    assert all(c["children"] for c in majors)
    assert all(child["parent"]["id"] == c["id"] for c in majors for child in c["children"])
    children = await api.data(
        "query($id: ID!) { categories(parentId: $id) { name } }", {"id": majors[0]["id"]}
    )
    assert [c["name"] for c in children["categories"]] == [c["name"] for c in majors[0]["children"]]


async def test_unpublished_services_answer_like_missing_ones(api):
    draft_id, draft_name = None, None
    async with api.engine.connect() as connection:
        draft_id, draft_name = (
            await connection.exec_driver_sql(
                "SELECT id, name FROM services WHERE status <> 'PUBLISHED' LIMIT 1"
            )
        ).one()
    query = """query($id: ID!) { service(id: $id) { id } node(id: $id) { id } }"""
    hidden = await api.data(query, {"id": global_id("Service", draft_id)})
    missing = await api.data(query, {"id": global_id("Service", 999_999_999)})
    assert hidden == missing == {"service": None, "node": None}
    found = await all_services(api, {"search": draft_name})
    assert draft_id not in {s["id"] for s in found}
    assert global_id("Service", draft_id) not in {s["id"] for s in found}
