"""Stations post demands; providers answer them with proposals; suggestions point at what fits."""

from __future__ import annotations

import asyncio

from tests.catalog_steps import (
    CLOSE_DEMAND,
    CREATE_PROJECT,
    ERRORS,
    POST_DEMAND,
    SET_PROJECT_STATUS,
    UPDATE_DEMAND,
    categories,
    demand_input,
    make_account,
    other_provider,
    problems,
    project_input,
    run,
    viewer_scope,
)
from tests.helpers import global_id, scalar

DEMAND_BY_ID = """query($id: ID!) { demand(id: $id) { id title status } }"""
PROPOSE = f"""mutation($input: ProposeForDemandInput!) {{ proposeForDemand(input: $input) {{
    proposal {{ id note createdAt provider {{ id }} project {{ id }} resource {{ id }} demand {{ id }} }}
    demand {{ id status }} {ERRORS} }} }}"""
PROPOSALS = """query($id: ID!) { demand(id: $id) { status proposals { totalCount nodes {
    id note project { id } resource { id } provider { id } createdBy { username } } } } }"""
SUGGESTIONS = """query($id: ID!, $first: Int) { demand(id: $id) { suggestions(first: $first) {
    score reasons project { id name status } resource { id name } } } }"""


async def category(api, code: str = "care.meals") -> str:
    return (await categories(api))[code]["id"]


async def another_station(api, own_id: str) -> str:
    data = await api.data("{ stations(first: 5) { nodes { id } } }")
    return next(s["id"] for s in data["stations"]["nodes"] if s["id"] != own_id)


async def published(api, kind: str) -> str:
    """One of the demo provider's published projects or resources."""
    data = await api.data(
        f"{{ viewer {{ provider {{ {kind}(filter: {{status: PUBLISHED}}, first: 1) {{ nodes {{ id }} }} }} }} }}",
        as_="provider",
    )
    return data["viewer"]["provider"][kind]["nodes"][0]["id"]


async def test_a_station_posts_changes_and_closes_its_demand(fresh_api):
    meals = await category(fresh_api)
    station = (await viewer_scope(fresh_api, "station"))["station"]["id"]
    posted = await run(fresh_api, POST_DEMAND, demand_input(meals), "station")
    assert posted["userErrors"] == []
    demand = posted["demand"]
    assert demand["status"] == "OPEN" and demand["station"]["id"] == station
    assert demand["tier"] is None and demand["urgency"] == "KEY" and demand["postedAt"]

    for viewer in ("station", "town", "provider", "admin"):
        seen = await fresh_api.data(DEMAND_BY_ID, {"id": demand["id"]}, as_=viewer)
        assert seen["demand"]["id"] == demand["id"], viewer
    neighbour = await make_account(
        fresh_api, "STATION_STAFF", stationId=await another_station(fresh_api, station)
    )
    for viewer in (None, neighbour):
        assert (await fresh_api.data(DEMAND_BY_ID, {"id": demand["id"]}, as_=viewer))["demand"] is None

    changed = await run(
        fresh_api, UPDATE_DEMAND, {"demandId": demand["id"], "beneficiaries": 60, "tier": "BASIC"}, "station"
    )
    assert changed["demand"]["beneficiaries"] == 60 and changed["demand"]["tier"] == "BASIC"
    assert {k: v for k, v in changed["demand"].items() if k not in ("beneficiaries", "tier")} == {
        k: v for k, v in demand.items() if k not in ("beneficiaries", "tier")
    }
    untiered = await run(fresh_api, UPDATE_DEMAND, {"demandId": demand["id"], "tier": None}, "station")
    assert untiered["demand"]["tier"] is None

    closed = await run(fresh_api, CLOSE_DEMAND, {"demandId": demand["id"]}, "station")
    assert closed["demand"]["status"] == "CLOSED"
    for query, input in (
        (UPDATE_DEMAND, {"demandId": demand["id"], "title": "重新打开"}),
        (CLOSE_DEMAND, {"demandId": demand["id"]}),
    ):
        refused = await run(fresh_api, query, input, "station")
        assert problems(refused) == {("ILLEGAL_TRANSITION", ("input", "demandId"))}
    again = await fresh_api.data(DEMAND_BY_ID, {"id": demand["id"]}, as_="station")
    assert again["demand"] == {"id": demand["id"], "title": demand["title"], "status": "CLOSED"}


async def test_bad_demands_are_refused_with_every_problem_and_nothing_is_written(fresh_api):
    meals = await category(fresh_api)
    station = (await viewer_scope(fresh_api, "station"))["station"]["id"]
    other = await another_station(fresh_api, station)
    before = await scalar(fresh_api, "SELECT count(*) FROM demands")
    cases = [
        ({"title": " "}, {("REQUIRED", ("input", "title"))}),
        ({"title": "需" * 201}, {("TOO_LONG", ("input", "title"))}),
        ({"title": "助餐\x00需求"}, {("INVALID", ("input", "title"))}),
        ({"description": "述" * 5001}, {("TOO_LONG", ("input", "description"))}),
        ({"beneficiaries": 0}, {("OUT_OF_RANGE", ("input", "beneficiaries"))}),
        ({"beneficiaries": 100_001}, {("OUT_OF_RANGE", ("input", "beneficiaries"))}),
        ({"audiences": []}, {("REQUIRED", ("input", "audiences"))}),
        ({"categoryId": global_id("Category", 999_999)}, {("NOT_FOUND", ("input", "categoryId"))}),
        ({"stationId": other}, {("NOT_PERMITTED", ("input", "stationId"))}),
        (
            {"title": "", "beneficiaries": -5, "audiences": []},
            {
                ("REQUIRED", ("input", "title")),
                ("OUT_OF_RANGE", ("input", "beneficiaries")),
                ("REQUIRED", ("input", "audiences")),
            },
        ),
    ]
    for changes, expected in cases:
        refused = await run(fresh_api, POST_DEMAND, demand_input(meals, **changes), "station")
        assert refused["demand"] is None and problems(refused) == expected, changes
    unnamed = await run(fresh_api, POST_DEMAND, demand_input(meals), "admin")
    assert problems(unnamed) == {("REQUIRED", ("input", "stationId"))}
    nowhere = await run(
        fresh_api, POST_DEMAND, demand_input(meals, stationId=global_id("Station", 999_999)), "admin"
    )
    assert problems(nowhere) == {("NOT_FOUND", ("input", "stationId"))}
    assert await scalar(fresh_api, "SELECT count(*) FROM demands") == before

    demand = (await run(fresh_api, POST_DEMAND, demand_input(meals), "station"))["demand"]
    for changes, expected in (
        ({"title": None}, {("REQUIRED", ("input", "title"))}),
        ({"urgency": None}, {("REQUIRED", ("input", "urgency"))}),
        (
            {"beneficiaries": None, "audiences": None},
            {
                ("REQUIRED", ("input", "beneficiaries")),
                ("REQUIRED", ("input", "audiences")),
            },
        ),
        (
            {"title": "新标题", "categoryId": global_id("Category", 999_999)},
            {("NOT_FOUND", ("input", "categoryId"))},
        ),
    ):
        refused = await run(fresh_api, UPDATE_DEMAND, {"demandId": demand["id"], **changes}, "station")
        assert problems(refused) == expected, changes
    again = await fresh_api.data(DEMAND_BY_ID, {"id": demand["id"]}, as_="station")
    assert again["demand"]["title"] == demand["title"]


async def test_who_may_post_change_and_close_demands(fresh_api):
    meals = await category(fresh_api)
    station = (await viewer_scope(fresh_api, "station"))["station"]["id"]
    other = await another_station(fresh_api, station)
    neighbour = await make_account(fresh_api, "STATION_STAFF", stationId=other)
    demand = (await run(fresh_api, POST_DEMAND, demand_input(meals), "station"))["demand"]
    attempts = [
        (POST_DEMAND, demand_input(meals)),
        (UPDATE_DEMAND, {"demandId": demand["id"], "title": "改"}),
        (CLOSE_DEMAND, {"demandId": demand["id"]}),
    ]
    for query, input in attempts:
        errors = await fresh_api.errors(query, {"input": input})
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
        for role in ("provider", "town"):
            errors = await fresh_api.errors(query, {"input": input}, as_=role)
            assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    for query, input in attempts[1:]:
        refused = await run(fresh_api, query, input, neighbour)
        assert problems(refused) == {("NOT_FOUND", ("input", "demandId"))}
    assert (await fresh_api.data(DEMAND_BY_ID, {"id": demand["id"]}, as_="station"))["demand"][
        "status"
    ] == "OPEN"

    posted = await run(fresh_api, POST_DEMAND, demand_input(meals, stationId=other), "admin")
    assert posted["demand"]["station"]["id"] == other
    renamed = await run(fresh_api, UPDATE_DEMAND, {"demandId": demand["id"], "title": "助餐点需求"}, "admin")
    assert renamed["demand"]["title"] == "助餐点需求"
    closed = await run(fresh_api, CLOSE_DEMAND, {"demandId": posted["demand"]["id"]}, "admin")
    assert closed["demand"]["status"] == "CLOSED"


async def test_providers_answer_a_demand_with_projects_and_resources(fresh_api):
    meals = await category(fresh_api)
    demand = (await run(fresh_api, POST_DEMAND, demand_input(meals), "station"))["demand"]
    project, resource = await published(fresh_api, "projects"), await published(fresh_api, "resources")
    own = (await viewer_scope(fresh_api, "provider"))["provider"]["id"]

    first = await run(
        fresh_api,
        PROPOSE,
        {"demandId": demand["id"], "projectId": project, "note": " 可每周两次送餐 "},
        "provider",
    )
    assert first["userErrors"] == []
    assert first["demand"] == {"id": demand["id"], "status": "MATCHED"}
    proposal = first["proposal"]
    assert proposal["note"] == "可每周两次送餐" and proposal["project"] == {"id": project}
    assert proposal["resource"] is None and proposal["provider"] == {"id": own}
    second = await run(fresh_api, PROPOSE, {"demandId": demand["id"], "resourceId": resource}, "provider")
    assert second["demand"]["status"] == "MATCHED" and second["proposal"]["resource"] == {"id": resource}

    for viewer in ("station", "town", "provider", "admin"):
        seen = (await fresh_api.data(PROPOSALS, {"id": demand["id"]}, as_=viewer))["demand"]
        assert seen["status"] == "MATCHED"
        assert seen["proposals"]["totalCount"] == 2
        assert [p["id"] for p in seen["proposals"]["nodes"]] == [proposal["id"], second["proposal"]["id"]]
        author = seen["proposals"]["nodes"][0]["createdBy"]
        assert author == ({"username": "provider"} if viewer in ("provider", "admin") else None), viewer
    node = "query($id: ID!) { node(id: $id) { ... on DemandProposal { id demand { id } } } }"
    assert (await fresh_api.data(node, {"id": proposal["id"]}, as_="station"))["node"]["demand"][
        "id"
    ] == demand["id"]
    assert (await fresh_api.data(node, {"id": proposal["id"]}))["node"] is None


async def test_proposals_that_cannot_be_made_are_refused_and_nothing_is_written(fresh_api):
    meals = await category(fresh_api)
    demand = (await run(fresh_api, POST_DEMAND, demand_input(meals), "station"))["demand"]
    project = await published(fresh_api, "projects")
    own = (await viewer_scope(fresh_api, "provider"))["provider"]["id"]
    other = await other_provider(fresh_api, own)
    draft = (await run(fresh_api, CREATE_PROJECT, project_input(meals), "provider"))["project"]["id"]
    others_draft = await run(fresh_api, CREATE_PROJECT, project_input(meals, providerId=other), "admin")
    others_published = await fresh_api.data(
        "query($p: ID!) { projects(filter: {providerId: $p}, first: 1) { nodes { id } } }", {"p": other}
    )
    await run(fresh_api, PROPOSE, {"demandId": demand["id"], "projectId": project}, "provider")
    before = await scalar(fresh_api, "SELECT count(*) FROM demand_proposals")
    cases = [
        ({"projectId": project}, {("TAKEN", ("input", "projectId"))}),
        ({}, {("REQUIRED", ("input", "projectId"))}),
        (
            {"projectId": project, "resourceId": global_id("Resource", 1)},
            {("INVALID", ("input", "resourceId"))},
        ),
        ({"projectId": draft}, {("INVALID", ("input", "projectId"))}),
        ({"projectId": others_draft["project"]["id"]}, {("NOT_FOUND", ("input", "projectId"))}),
        (
            {"projectId": others_published["projects"]["nodes"][0]["id"]},
            {("NOT_PERMITTED", ("input", "projectId"))},
        ),
        ({"resourceId": global_id("Resource", 999_999)}, {("NOT_FOUND", ("input", "resourceId"))}),
        ({"projectId": project, "note": "注" * 2001}, {("TOO_LONG", ("input", "note"))}),
        (
            {"demandId": global_id("Demand", 999_999), "projectId": project},
            {("NOT_FOUND", ("input", "demandId"))},
        ),
    ]
    for changes, expected in cases:
        refused = await run(fresh_api, PROPOSE, {"demandId": demand["id"], **changes}, "provider")
        assert refused["proposal"] is None and problems(refused) == expected, changes
    for role in ("station", "town"):
        errors = await fresh_api.errors(
            PROPOSE, {"input": {"demandId": demand["id"], "projectId": project}}, as_=role
        )
        assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    errors = await fresh_api.errors(PROPOSE, {"input": {"demandId": demand["id"], "projectId": project}})
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"

    await run(fresh_api, CLOSE_DEMAND, {"demandId": demand["id"]}, "station")
    resource = await published(fresh_api, "resources")
    late = await run(fresh_api, PROPOSE, {"demandId": demand["id"], "resourceId": resource}, "provider")
    assert problems(late) == {("ILLEGAL_TRANSITION", ("input", "demandId"))}
    assert await scalar(fresh_api, "SELECT count(*) FROM demand_proposals") == before

    # Administrators propose on the item's provider's behalf.
    fresh = (await run(fresh_api, POST_DEMAND, demand_input(meals), "station"))["demand"]
    by_admin = await run(fresh_api, PROPOSE, {"demandId": fresh["id"], "projectId": project}, "admin")
    assert by_admin["proposal"]["provider"]["id"] == own and by_admin["demand"]["status"] == "MATCHED"


async def test_simultaneous_identical_proposals_make_one(fresh_api):
    meals = await category(fresh_api)
    demand = (await run(fresh_api, POST_DEMAND, demand_input(meals), "station"))["demand"]
    project = await published(fresh_api, "projects")
    input = {"input": {"demandId": demand["id"], "projectId": project}}
    results = await asyncio.gather(*(fresh_api.post(PROPOSE, input, as_="provider") for _ in range(4)))
    payloads = [r["data"]["proposeForDemand"] for r in results]
    assert sum(p["userErrors"] == [] for p in payloads) == 1
    assert all(problems(p) == {("TAKEN", ("input", "projectId"))} for p in payloads if p["userErrors"])
    seen = (await fresh_api.data(PROPOSALS, {"id": demand["id"]}, as_="station"))["demand"]
    assert seen["status"] == "MATCHED" and seen["proposals"]["totalCount"] == 1


async def test_proposals_of_many_demands_take_constant_statements(fresh_api):
    meals = await category(fresh_api)
    project = await published(fresh_api, "projects")
    for _ in range(3):
        demand = (await run(fresh_api, POST_DEMAND, demand_input(meals), "station"))["demand"]
        await run(fresh_api, PROPOSE, {"demandId": demand["id"], "projectId": project}, "provider")
    query = """query($first: Int) { demands(first: $first) { nodes { id proposals(first: 5) { totalCount
        nodes { note project { name } resource { name } provider { name } demand { id } } } } } }"""
    await fresh_api.warm(query, {"first": 1}, {"first": 50}, as_="station")
    with fresh_api.counting_statements() as small:
        await fresh_api.data(query, {"first": 1}, as_="station")
    with fresh_api.counting_statements() as large:
        data = await fresh_api.data(query, {"first": 50}, as_="station")
    answered = [d for d in data["demands"]["nodes"] if d["proposals"]["nodes"]]
    assert len(answered) == 3
    assert all(p["project"]["name"] for d in answered for p in d["proposals"]["nodes"])
    assert len(large) == len(small) <= 7


async def test_suggestions_put_what_is_filed_in_the_demands_category_first(api):
    query = """{ demands(filter: {status: OPEN}, first: 30) { nodes { id category { id parent { id } }
        suggestions(first: 5) { score reasons
            project { status category { id parent { id } } } resource { status category { id parent { id } } } } } } }"""
    demands = (await api.data(query, as_="admin"))["demands"]["nodes"]
    in_domains = [d for d in demands if d["category"]["parent"]]
    assert len(in_domains) > 10
    for demand in in_domains:
        suggestions = demand["suggestions"]
        assert len(suggestions) == 5
        scores = [s["score"] for s in suggestions]
        assert scores == sorted(scores, reverse=True)
        for suggestion in suggestions:
            assert (suggestion["project"] is None) != (suggestion["resource"] is None)
            item = suggestion["project"] or suggestion["resource"]
            assert item["status"] == "PUBLISHED"
        best = suggestions[0]["project"] or suggestions[0]["resource"]
        assert best["category"]["id"] == demand["category"]["id"]
        assert "IN_CATEGORY" in suggestions[0]["reasons"]


async def test_a_project_that_fits_in_every_way_is_suggested_first_once_published(fresh_api):
    meals = await category(fresh_api)
    health = await category(fresh_api, "health.prevention")
    title = "银龄暖心配餐车"
    demand = (await run(fresh_api, POST_DEMAND, demand_input(meals, title=title, tier="BASIC"), "station"))[
        "demand"
    ]
    fits = project_input(meals, name=title, audiences=["ELDERLY"], tier="BASIC")
    for_everyone = project_input(meals, name=title, audiences=["EVERYONE"], tier="BASIC")
    elsewhere = project_input(health, name=title, audiences=["CHILDREN"], tier="QUALITY")
    created = [
        (await run(fresh_api, CREATE_PROJECT, input, "provider"))["project"]["id"]
        for input in (fits, for_everyone, elsewhere)
    ]
    drafts = (await fresh_api.data(SUGGESTIONS, {"id": demand["id"], "first": 20}, as_="provider"))["demand"]
    assert not {s["project"]["id"] for s in drafts["suggestions"] if s["project"]} & set(created)

    for project_id in created:
        await run(fresh_api, SET_PROJECT_STATUS, {"projectId": project_id, "status": "PUBLISHED"}, "provider")
    suggestions = (await fresh_api.data(SUGGESTIONS, {"id": demand["id"], "first": 20}, as_="station"))[
        "demand"
    ]["suggestions"]
    assert suggestions[0]["project"]["id"] == created[0]
    assert suggestions[0]["score"] == 12
    assert set(suggestions[0]["reasons"]) == {"IN_CATEGORY", "SHARED_AUDIENCE", "SAME_TIER", "SIMILAR_TEXT"}
    assert suggestions[1]["project"]["id"] == created[1]
    assert suggestions[1]["score"] == 10, "meant for everyone fits the audience in part"
    assert set(suggestions[1]["reasons"]) == {"IN_CATEGORY", "FOR_EVERYONE", "SAME_TIER", "SIMILAR_TEXT"}
    assert [s["score"] for s in suggestions] == sorted((s["score"] for s in suggestions), reverse=True)
    # Another major category, audience and tier: only the words fit, which is not enough to lead.
    others = {s["project"]["id"]: s for s in suggestions if s["project"]}
    assert created[2] not in others or others[created[2]]["reasons"] == ["SIMILAR_TEXT"]

    await run(fresh_api, SET_PROJECT_STATUS, {"projectId": created[0], "status": "SUSPENDED"}, "provider")
    after = (await fresh_api.data(SUGGESTIONS, {"id": demand["id"], "first": 5}, as_="station"))["demand"]
    assert created[0] not in {s["project"]["id"] for s in after["suggestions"] if s["project"]}
    assert after["suggestions"][0]["project"]["id"] == created[1]


async def test_suggestions_for_many_demands_take_constant_statements(api):
    query = """query($first: Int) { demands(first: $first) { nodes { title
        suggestions(first: 3) { score project { name provider { name } } resource { name provider { name } } } } } }"""
    await api.warm(query, {"first": 2}, {"first": 50}, as_="provider")
    with api.counting_statements() as small:
        await api.data(query, {"first": 2}, as_="provider")
    with api.counting_statements() as large:
        data = await api.data(query, {"first": 50}, as_="provider")
    assert all(len(d["suggestions"]) == 3 for d in data["demands"]["nodes"])
    assert len(large) == len(small) <= 7


async def test_suggestion_counts_are_bounded(api):
    demand = (await api.data("{ demands(first: 1) { nodes { id } } }", as_="admin"))["demands"]["nodes"][0]
    errors = await api.errors(SUGGESTIONS, {"id": demand["id"], "first": 21}, as_="admin")
    assert errors[0]["extensions"]["code"] == "PAGE_SIZE_OUT_OF_RANGE"
    none = await api.data(SUGGESTIONS, {"id": demand["id"], "first": 0}, as_="admin")
    assert none["demand"]["suggestions"] == []
