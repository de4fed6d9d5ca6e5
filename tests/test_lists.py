"""The three lists: resources, projects and demands."""

from __future__ import annotations


async def test_the_three_lists_have_the_published_figures(api):
    data = await api.data(
        """{ resources(first: 1) { totalCount countsByCategory { count } }
             projects(first: 1) { totalCount countsByTier { count } } }"""
    )
    data |= await api.data("{ demands(first: 1) { totalCount } }", as_="admin")
    assert data["resources"]["totalCount"] == 1044
    assert sum(c["count"] for c in data["resources"]["countsByCategory"]) == 1044
    assert data["projects"]["totalCount"] == 965
    assert sum(c["count"] for c in data["projects"]["countsByTier"]) == 965
    assert data["demands"]["totalCount"] >= 2000


async def test_resources_filter_by_kind_and_availability(api):
    query = """query($filter: ResourceFilter) { resources(filter: $filter, first: 100) {
        totalCount nodes { kind availability quantity unit provider { name } } } }"""
    venues = (await api.data(query, {"filter": {"kind": "VENUE", "availability": "AVAILABLE"}}))["resources"]
    assert venues["totalCount"] > 0
    assert all(r["kind"] == "VENUE" and r["availability"] == "AVAILABLE" for r in venues["nodes"])
    assert all(float(r["quantity"]) >= 0 and r["unit"] for r in venues["nodes"])


async def test_projects_and_their_resources_point_at_each_other(api):
    data = await api.data(
        """{ projects(first: 20) { nodes { id requiresThreeMeetings
             resources(first: 5) { totalCount nodes { id projects(first: 50) { nodes { id } } } } } } }"""
    )
    projects = data["projects"]["nodes"]
    assert any(p["resources"]["nodes"] for p in projects)
    for project in projects:
        for resource in project["resources"]["nodes"]:
            assert project["id"] in {p["id"] for p in resource["projects"]["nodes"]}
    meetings = await api.data(
        "{ projects(filter: {requiresThreeMeetings: true}, first: 100) { totalCount nodes { requiresThreeMeetings } } }"
    )
    assert meetings["projects"]["totalCount"] > 0
    assert all(p["requiresThreeMeetings"] for p in meetings["projects"]["nodes"])


async def test_projects_filter_by_resource(api):
    data = await api.data("{ projects(first: 1) { nodes { id resources(first: 1) { nodes { id } } } } }")
    project = data["projects"]["nodes"][0]
    resource_id = project["resources"]["nodes"][0]["id"]
    using = await api.data(
        "query($id: ID!) { projects(filter: {resourceId: $id}, first: 100) { nodes { id } } }",
        {"id": resource_id},
    )
    assert project["id"] in {p["id"] for p in using["projects"]["nodes"]}


async def test_demands_filter_by_town_urgency_status_and_search(api):
    towns = await api.data("{ towns(first: 1) { nodes { id } } }", as_="admin")
    town_id = towns["towns"]["nodes"][0]["id"]
    query = """query($filter: DemandFilter) { demands(filter: $filter, first: 100) {
        totalCount nodes { title description urgency status postedAt station { town { id } } } } }"""
    urgent = (await api.data(query, {"filter": {"townId": town_id, "urgency": "EMERGENCY"}}, as_="admin"))[
        "demands"
    ]
    assert all(d["urgency"] == "EMERGENCY" and d["station"]["town"]["id"] == town_id for d in urgent["nodes"])
    open_ = (await api.data(query, {"filter": {"status": "OPEN"}}, as_="admin"))["demands"]
    assert open_["totalCount"] > 0 and all(d["status"] == "OPEN" for d in open_["nodes"])
    posted = [d["postedAt"] for d in open_["nodes"]]
    assert posted == sorted(posted, reverse=True), "demands list newest first by default"
    title = open_["nodes"][0]["title"]
    found = (await api.data(query, {"filter": {"search": title[:3]}}, as_="admin"))["demands"]["nodes"]
    assert title in {d["title"] for d in found}
    assert all(title[:3] in d["title"] + " " + d["description"] for d in found)


async def test_a_station_lists_its_own_demands(api):
    data = await api.data(
        """{ demands(first: 1) { nodes { station { id demands(first: 100) { totalCount
             nodes { station { id } } } } } } }""",
        as_="admin",
    )
    station = data["demands"]["nodes"][0]["station"]
    assert station["demands"]["totalCount"] >= 1
    assert {d["station"]["id"] for d in station["demands"]["nodes"]} == {station["id"]}
