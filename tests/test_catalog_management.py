"""Managing the catalog: services, resources and projects by their provider; providers and categories."""

from __future__ import annotations

import asyncio

from tests.catalog_steps import (
    CREATE_PROJECT,
    CREATE_RESOURCE,
    CREATE_SERVICE,
    ERRORS,
    SET_PROJECT_STATUS,
    SET_RESOURCE_STATUS,
    SET_SERVICE_STATUS,
    UPDATE_PROJECT,
    UPDATE_RESOURCE,
    UPDATE_SERVICE,
    categories,
    make_account,
    mutation,
    other_provider,
    problems,
    project_input,
    resource_input,
    run,
    service_input,
    unique_code,
    viewer_scope,
)
from tests.helpers import global_id, scalar

SERVICE_BY_ID = """query($id: ID!) { service(id: $id) { id name status } }"""
SERVICE_FIELDS = "id code name tier audiences capacityPerPeriod capacityPeriod leadTimeDays updatedAt"
COUNTS = """SELECT (SELECT count(*) FROM services) + (SELECT count(*) FROM resources)
    + (SELECT count(*) FROM projects) + (SELECT count(*) FROM project_resources)"""
CREATE_PROVIDER = mutation(
    "createProvider", "CreateProviderInput", "provider", "id code name shortName kind phone address"
)
UPDATE_PROVIDER = mutation(
    "updateProvider", "UpdateProviderInput", "provider", "id code name shortName kind phone address"
)
CREATE_CATEGORY = mutation(
    "createCategory", "CreateCategoryInput", "category", "id code name position parent { id }"
)
UPDATE_CATEGORY = mutation(
    "updateCategory", "UpdateCategoryInput", "category", "id code name position parent { id }"
)


async def domain(api, code: str = "care.meals") -> str:
    return (await categories(api))[code]["id"]


async def test_provider_staff_take_a_service_from_draft_to_retired(fresh_api):
    category_id = await domain(fresh_api)
    own = (await viewer_scope(fresh_api, "provider"))["provider"]["id"]
    created = await run(fresh_api, CREATE_SERVICE, service_input(category_id), "provider")
    assert created["userErrors"] == []
    service = created["service"]
    assert service["status"] == "DRAFT" and service["publishedAt"] is None
    assert service["provider"]["id"] == own and service["category"]["id"] == category_id
    assert service["nextStatuses"] == ["PUBLISHED", "RETIRED"]

    # A draft is its provider's alone: others get what they would for a missing service.
    assert (await fresh_api.data(SERVICE_BY_ID, {"id": service["id"]}))["service"] is None
    assert (await fresh_api.data(SERVICE_BY_ID, {"id": service["id"]}, as_="station"))["service"] is None
    seen = await fresh_api.data(SERVICE_BY_ID, {"id": service["id"]}, as_="provider")
    assert seen["service"]["status"] == "DRAFT"
    drafts = await fresh_api.data(
        """{ viewer { provider { services(filter: {status: DRAFT}, first: 100) { nodes { id } } } } }""",
        as_="provider",
    )
    assert service["id"] in {s["id"] for s in drafts["viewer"]["provider"]["services"]["nodes"]}

    published = await run(
        fresh_api, SET_SERVICE_STATUS, {"serviceId": service["id"], "status": "PUBLISHED"}, "provider"
    )
    first_published_at = published["service"]["publishedAt"]
    assert published["service"]["status"] == "PUBLISHED" and first_published_at is not None
    assert published["service"]["nextStatuses"] == ["SUSPENDED", "RETIRED"]
    assert (await fresh_api.data(SERVICE_BY_ID, {"id": service["id"]}))["service"]["status"] == "PUBLISHED"

    suspended = await run(
        fresh_api, SET_SERVICE_STATUS, {"serviceId": service["id"], "status": "SUSPENDED"}, "provider"
    )
    assert suspended["service"]["status"] == "SUSPENDED"
    assert (await fresh_api.data(SERVICE_BY_ID, {"id": service["id"]}))["service"] is None

    republished = await run(
        fresh_api, SET_SERVICE_STATUS, {"serviceId": service["id"], "status": "PUBLISHED"}, "provider"
    )
    assert republished["service"]["publishedAt"] == first_published_at, "published_at marks the first time"

    retired = await run(
        fresh_api, SET_SERVICE_STATUS, {"serviceId": service["id"], "status": "RETIRED"}, "provider"
    )
    assert retired["service"]["status"] == "RETIRED" and retired["service"]["nextStatuses"] == []


async def test_illegal_status_changes_are_refused_and_change_nothing(fresh_api):
    category_id = await domain(fresh_api)
    path = {"DRAFT": [], "PUBLISHED": ["PUBLISHED"], "SUSPENDED": ["PUBLISHED", "SUSPENDED"]}
    path["RETIRED"] = ["RETIRED"]
    illegal = {
        "DRAFT": ["DRAFT", "SUSPENDED"],
        "PUBLISHED": ["DRAFT", "PUBLISHED"],
        "SUSPENDED": ["DRAFT", "SUSPENDED"],
        "RETIRED": ["DRAFT", "PUBLISHED", "SUSPENDED", "RETIRED"],
    }
    for status, steps in path.items():
        created = await run(fresh_api, CREATE_SERVICE, service_input(category_id), "provider")
        service_id = created["service"]["id"]
        for step in steps:
            moved = await run(
                fresh_api, SET_SERVICE_STATUS, {"serviceId": service_id, "status": step}, "provider"
            )
            assert moved["userErrors"] == []
        for target in illegal[status]:
            refused = await run(
                fresh_api, SET_SERVICE_STATUS, {"serviceId": service_id, "status": target}, "provider"
            )
            assert refused["service"] is None
            assert problems(refused) == {("ILLEGAL_TRANSITION", ("input", "status"))}
            assert status.lower() in refused["userErrors"][0]["message"]
            again = await fresh_api.data(SERVICE_BY_ID, {"id": service_id}, as_="provider")
            assert again["service"]["status"] == status


async def test_a_partial_update_changes_only_the_fields_given(fresh_api):
    category_id = await domain(fresh_api)
    service = (await run(fresh_api, CREATE_SERVICE, service_input(category_id), "provider"))["service"]
    changed = await run(
        fresh_api, UPDATE_SERVICE, {"serviceId": service["id"], "name": "  助餐送餐上门  "}, "provider"
    )
    assert changed["userErrors"] == []
    after = changed["service"]
    assert after["name"] == "助餐送餐上门", "names are stored trimmed"
    unchanged = {k: v for k, v in service.items() if k not in ("name", "updatedAt")}
    assert {k: v for k, v in after.items() if k not in ("name", "updatedAt")} == unchanged
    assert after["updatedAt"] > service["updatedAt"]

    # Null removes what may be empty: the capacity (with its period) and the description.
    unlimited = await run(
        fresh_api,
        UPDATE_SERVICE,
        {"serviceId": service["id"], "capacityPerPeriod": None, "capacityPeriod": None, "description": None},
        "provider",
    )
    assert unlimited["userErrors"] == []
    assert (
        unlimited["service"]["capacityPerPeriod"] is None and unlimited["service"]["capacityPeriod"] is None
    )
    assert unlimited["service"]["description"] == "" and unlimited["service"]["name"] == "助餐送餐上门"


BAD_SERVICES = [
    ({"name": "  "}, {("REQUIRED", ("input", "name"))}),
    ({"name": "养" * 201}, {("TOO_LONG", ("input", "name"))}),
    ({"name": "助餐\x00服务"}, {("INVALID", ("input", "name"))}),
    ({"description": "述" * 5001}, {("TOO_LONG", ("input", "description"))}),
    ({"code": "SVC 001"}, {("INVALID", ("input", "code"))}),
    ({"code": "C" * 33}, {("TOO_LONG", ("input", "code"))}),
    ({"code": "310115-SVC-001"}, {("TAKEN", ("input", "code"))}),
    ({"audiences": []}, {("REQUIRED", ("input", "audiences"))}),
    ({"deliveryModes": []}, {("REQUIRED", ("input", "deliveryModes"))}),
    ({"capacityPeriod": None}, {("INVALID", ("input", "capacityPeriod"))}),
    ({"capacityPerPeriod": None}, {("INVALID", ("input", "capacityPerPeriod"))}),
    ({"capacityPerPeriod": 0}, {("OUT_OF_RANGE", ("input", "capacityPerPeriod"))}),
    ({"capacityPerPeriod": 100_001}, {("OUT_OF_RANGE", ("input", "capacityPerPeriod"))}),
    ({"leadTimeDays": -1}, {("OUT_OF_RANGE", ("input", "leadTimeDays"))}),
    ({"leadTimeDays": 366}, {("OUT_OF_RANGE", ("input", "leadTimeDays"))}),
    ({"categoryId": global_id("Category", 999_999)}, {("NOT_FOUND", ("input", "categoryId"))}),
    ({"completableOnSpot": True}, {("INVALID", ("input", "leadTimeDays"))}),
    (
        {"completableOnSpot": True, "consultableOnSpot": False, "leadTimeDays": 0},
        {("INVALID", ("input", "consultableOnSpot"))},
    ),
    (
        {"completableOnSpot": True, "leadTimeDays": 0, "deliveryModes": ["ONLINE"]},
        {("INVALID", ("input", "deliveryModes"))},
    ),
    (
        {"name": "", "audiences": [], "leadTimeDays": 400},
        {
            ("REQUIRED", ("input", "name")),
            ("REQUIRED", ("input", "audiences")),
            ("OUT_OF_RANGE", ("input", "leadTimeDays")),
        },
    ),
]


async def test_bad_service_input_is_refused_with_every_problem_and_nothing_is_written(fresh_api):
    category_id = await domain(fresh_api)
    before = await scalar(fresh_api, COUNTS)
    for changes, expected in BAD_SERVICES:
        created = await run(fresh_api, CREATE_SERVICE, service_input(category_id, **changes), "provider")
        assert created["service"] is None
        assert problems(created) == expected, changes
    assert await scalar(fresh_api, COUNTS) == before


async def test_bad_changes_to_a_service_leave_it_as_it_was(fresh_api):
    category_id = await domain(fresh_api)
    service = (await run(fresh_api, CREATE_SERVICE, service_input(category_id), "provider"))["service"]
    bad_changes = [
        ({"name": None}, {("REQUIRED", ("input", "name"))}),
        ({"tier": None}, {("REQUIRED", ("input", "tier"))}),
        ({"leadTimeDays": None}, {("REQUIRED", ("input", "leadTimeDays"))}),
        ({"capacityPeriod": None}, {("INVALID", ("input", "capacityPeriod"))}),
        ({"code": "310115-SVC-002"}, {("TAKEN", ("input", "code"))}),
        ({"name": "新名称", "audiences": None}, {("REQUIRED", ("input", "audiences"))}),
    ]
    for changes, expected in bad_changes:
        refused = await run(fresh_api, UPDATE_SERVICE, {"serviceId": service["id"], **changes}, "provider")
        assert refused["service"] is None and problems(refused) == expected
    again = await fresh_api.data(
        f"query($id: ID!) {{ service(id: $id) {{ {SERVICE_FIELDS} }} }}",
        {"id": service["id"]},
        as_="provider",
    )
    assert again["service"] == {k: service[k] for k in again["service"]}


async def test_who_may_manage_services(fresh_api):
    category_id = await domain(fresh_api)
    own = (await viewer_scope(fresh_api, "provider"))["provider"]["id"]
    other = await other_provider(fresh_api, own)
    others_staff = await make_account(fresh_api, "PROVIDER_STAFF", providerId=other)
    draft = (await run(fresh_api, CREATE_SERVICE, service_input(category_id), "provider"))["service"]
    published = (await run(fresh_api, CREATE_SERVICE, service_input(category_id), "provider"))["service"]
    await run(
        fresh_api, SET_SERVICE_STATUS, {"serviceId": published["id"], "status": "PUBLISHED"}, "provider"
    )
    attempts = [
        (CREATE_SERVICE, service_input(category_id)),
        (UPDATE_SERVICE, {"serviceId": draft["id"], "name": "改名"}),
        (SET_SERVICE_STATUS, {"serviceId": draft["id"], "status": "PUBLISHED"}),
    ]
    for query, input in attempts:
        anonymous = await fresh_api.errors(query, {"input": input})
        assert anonymous[0]["extensions"]["code"] == "UNAUTHENTICATED"
        for role in ("station", "town"):
            forbidden = await fresh_api.errors(query, {"input": input}, as_=role)
            assert forbidden[0]["extensions"]["code"] == "FORBIDDEN"

    # Another provider's draft answers like a missing service; its published one is seen but not theirs.
    for service_id, code in (
        (draft["id"], "NOT_FOUND"),
        (global_id("Service", 999_999), "NOT_FOUND"),
        (published["id"], "NOT_PERMITTED"),
    ):
        for query, input in (
            (UPDATE_SERVICE, {"serviceId": service_id, "name": "改名"}),
            (SET_SERVICE_STATUS, {"serviceId": service_id, "status": "RETIRED"}),
        ):
            refused = await run(fresh_api, query, input, others_staff)
            assert problems(refused) == {(code, ("input", "serviceId"))}
    elsewhere = await run(fresh_api, CREATE_SERVICE, service_input(category_id, providerId=own), others_staff)
    assert problems(elsewhere) == {("NOT_PERMITTED", ("input", "providerId"))}
    assert (await fresh_api.data(SERVICE_BY_ID, {"id": published["id"]}))["service"]["name"] != "改名"

    # Administrators act on any provider's entries and say whose a new one is.
    unnamed = await run(fresh_api, CREATE_SERVICE, service_input(category_id), "admin")
    assert problems(unnamed) == {("REQUIRED", ("input", "providerId"))}
    created = await run(fresh_api, CREATE_SERVICE, service_input(category_id, providerId=other), "admin")
    assert created["service"]["provider"]["id"] == other
    renamed = await run(fresh_api, UPDATE_SERVICE, {"serviceId": draft["id"], "name": "改名"}, "admin")
    assert renamed["service"]["name"] == "改名"
    retired = await run(
        fresh_api, SET_SERVICE_STATUS, {"serviceId": published["id"], "status": "RETIRED"}, "admin"
    )
    assert retired["service"]["status"] == "RETIRED"


async def test_two_simultaneous_status_changes_are_applied_one_after_the_other(fresh_api):
    category_id = await domain(fresh_api)
    service = (await run(fresh_api, CREATE_SERVICE, service_input(category_id), "provider"))["service"]
    await fresh_api.token("provider")
    retire = {"input": {"serviceId": service["id"], "status": "RETIRED"}}
    results = await asyncio.gather(
        *(fresh_api.post(SET_SERVICE_STATUS, retire, as_="provider") for _ in range(4))
    )
    payloads = [r["data"]["setServiceStatus"] for r in results]
    assert sum(p["userErrors"] == [] for p in payloads) == 1
    assert all(
        problems(p) == {("ILLEGAL_TRANSITION", ("input", "status"))} for p in payloads if p["userErrors"]
    )


async def test_two_services_created_at_once_with_one_code_make_one(fresh_api):
    category_id = await domain(fresh_api)
    await fresh_api.token("provider")
    input = {"input": service_input(category_id, code=unique_code("SVC"))}
    results = await asyncio.gather(*(fresh_api.post(CREATE_SERVICE, input, as_="provider") for _ in range(4)))
    payloads = [r["data"]["createService"] for r in results]
    assert sum(p["userErrors"] == [] for p in payloads) == 1
    assert all(problems(p) == {("TAKEN", ("input", "code"))} for p in payloads if p["userErrors"])
    code = input["input"]["code"]
    assert await scalar(fresh_api, "SELECT count(*) FROM services WHERE code = :code", code=code) == 1


async def test_resources_are_created_edited_and_published_by_their_provider(fresh_api):
    category_id = await domain(fresh_api, "education.culture")
    created = await run(fresh_api, CREATE_RESOURCE, resource_input(category_id), "provider")
    assert created["userErrors"] == []
    resource = created["resource"]
    assert resource["status"] == "DRAFT" and resource["quantity"] == "120.50"
    assert resource["availability"] == "LIMITED" and resource["unit"] == "平方米"
    hidden = await fresh_api.data("query($id: ID!) { resource(id: $id) { id } }", {"id": resource["id"]})
    assert hidden["resource"] is None

    changed = await run(
        fresh_api,
        UPDATE_RESOURCE,
        {"resourceId": resource["id"], "quantity": "80", "availabilityNote": None},
        "provider",
    )
    assert changed["resource"]["quantity"] == "80.00" and changed["resource"]["availabilityNote"] == ""
    assert changed["resource"]["name"] == resource["name"] and changed["resource"]["kind"] == "VENUE"
    published = await run(
        fresh_api, SET_RESOURCE_STATUS, {"resourceId": resource["id"], "status": "PUBLISHED"}, "provider"
    )
    assert published["resource"]["status"] == "PUBLISHED"
    seen = await fresh_api.data("query($id: ID!) { resource(id: $id) { id } }", {"id": resource["id"]})
    assert seen["resource"]["id"] == resource["id"]


BAD_RESOURCES = [
    ({"quantity": "-1"}, {("OUT_OF_RANGE", ("input", "quantity"))}),
    ({"quantity": "1.005"}, {("INVALID", ("input", "quantity"))}),
    ({"quantity": "1000000000000"}, {("OUT_OF_RANGE", ("input", "quantity"))}),
    ({"unit": ""}, {("REQUIRED", ("input", "unit"))}),
    ({"unit": "平方米" * 7}, {("TOO_LONG", ("input", "unit"))}),
    ({"availabilityNote": "时" * 201}, {("TOO_LONG", ("input", "availabilityNote"))}),
    ({"audiences": []}, {("REQUIRED", ("input", "audiences"))}),
    ({"code": "310115-RES-0001"}, {("TAKEN", ("input", "code"))}),
]


async def test_bad_resource_input_is_refused_and_nothing_is_written(fresh_api):
    category_id = await domain(fresh_api, "education.culture")
    before = await scalar(fresh_api, COUNTS)
    for changes, expected in BAD_RESOURCES:
        created = await run(fresh_api, CREATE_RESOURCE, resource_input(category_id, **changes), "provider")
        assert created["resource"] is None and problems(created) == expected, changes
    assert await scalar(fresh_api, COUNTS) == before


async def own_resources(api, count: int) -> list[str]:
    data = await api.data(
        f"{{ viewer {{ provider {{ resources(first: {count}) {{ nodes {{ id }} }} }} }} }}", as_="provider"
    )
    return [r["id"] for r in data["viewer"]["provider"]["resources"]["nodes"]]


async def test_projects_use_their_own_providers_resources_replaced_wholesale(fresh_api):
    category_id = await domain(fresh_api)
    first, second, third = await own_resources(fresh_api, 3)
    created = await run(
        fresh_api, CREATE_PROJECT, project_input(category_id, resourceIds=[first, second, first]), "provider"
    )
    assert created["userErrors"] == []
    project = created["project"]
    assert project["status"] == "DRAFT" and project["requiresThreeMeetings"] is True
    assert {r["id"] for r in project["resources"]["nodes"]} == {first, second}

    renamed = await run(fresh_api, UPDATE_PROJECT, {"projectId": project["id"], "name": "助餐点"}, "provider")
    assert {r["id"] for r in renamed["project"]["resources"]["nodes"]} == {first, second}, "left out, kept"
    replaced = await run(
        fresh_api, UPDATE_PROJECT, {"projectId": project["id"], "resourceIds": [third]}, "provider"
    )
    assert [r["id"] for r in replaced["project"]["resources"]["nodes"]] == [third]
    assert replaced["project"]["name"] == "助餐点"
    emptied = await run(
        fresh_api, UPDATE_PROJECT, {"projectId": project["id"], "resourceIds": []}, "provider"
    )
    assert emptied["project"]["resources"]["nodes"] == []

    own = (await viewer_scope(fresh_api, "provider"))["provider"]["id"]
    other = await other_provider(fresh_api, own)
    foreign = await fresh_api.data(
        "query($p: ID!) { resources(filter: {providerId: $p}, first: 1) { nodes { id } } }", {"p": other}
    )
    foreign_id = foreign["resources"]["nodes"][0]["id"]
    refused = await run(
        fresh_api,
        UPDATE_PROJECT,
        {"projectId": project["id"], "resourceIds": [third, foreign_id, global_id("Resource", 999_999)]},
        "provider",
    )
    assert problems(refused) == {
        ("INVALID", ("input", "resourceIds", "1")),
        ("NOT_FOUND", ("input", "resourceIds", "2")),
    }
    again = await fresh_api.data(
        "query($id: ID!) { project(id: $id) { resources(first: 10) { nodes { id } } } }",
        {"id": project["id"]},
        as_="provider",
    )
    assert again["project"]["resources"]["nodes"] == []

    published = await run(
        fresh_api, SET_PROJECT_STATUS, {"projectId": project["id"], "status": "PUBLISHED"}, "provider"
    )
    assert published["project"]["status"] == "PUBLISHED"


async def test_a_project_cannot_use_a_retired_resource_or_unsound_capacity(fresh_api):
    category_id = await domain(fresh_api)
    [resource_id] = await own_resources(fresh_api, 1)
    await run(fresh_api, SET_RESOURCE_STATUS, {"resourceId": resource_id, "status": "RETIRED"}, "provider")
    before = await scalar(fresh_api, COUNTS)
    refused = await run(
        fresh_api,
        CREATE_PROJECT,
        project_input(category_id, resourceIds=[resource_id], capacityPeriod=None, name=""),
        "provider",
    )
    assert problems(refused) == {
        ("INVALID", ("input", "resourceIds", "0")),
        ("INVALID", ("input", "capacityPeriod")),
        ("REQUIRED", ("input", "name")),
    }
    assert await scalar(fresh_api, COUNTS) == before


async def test_other_providers_drafts_stay_hidden_and_their_published_entries_closed(fresh_api):
    category_id = await domain(fresh_api)
    own = (await viewer_scope(fresh_api, "provider"))["provider"]["id"]
    other = await other_provider(fresh_api, own)
    others_staff = await make_account(fresh_api, "PROVIDER_STAFF", providerId=other)
    resource = (await run(fresh_api, CREATE_RESOURCE, resource_input(category_id), "provider"))["resource"]
    project = (await run(fresh_api, CREATE_PROJECT, project_input(category_id), "provider"))["project"]
    query = """query($r: ID!, $p: ID!) { resource(id: $r) { id } project(id: $p) { id } }"""
    ids = {"r": resource["id"], "p": project["id"]}
    assert await fresh_api.data(query, ids, as_=others_staff) == {"resource": None, "project": None}
    assert await fresh_api.data(query, ids, as_="station") == {"resource": None, "project": None}
    mine = await fresh_api.data(query, ids, as_="provider")
    assert mine == {"resource": {"id": resource["id"]}, "project": {"id": project["id"]}}
    listed = await fresh_api.data(
        "{ projects(filter: {status: DRAFT}, first: 100) { nodes { id } } }", as_=others_staff
    )
    assert project["id"] not in {p["id"] for p in listed["projects"]["nodes"]}

    for query, input, field in (
        (UPDATE_RESOURCE, {"resourceId": resource["id"], "name": "改名"}, "resourceId"),
        (SET_PROJECT_STATUS, {"projectId": project["id"], "status": "PUBLISHED"}, "projectId"),
    ):
        assert problems(await run(fresh_api, query, input, others_staff)) == {("NOT_FOUND", ("input", field))}
    await run(fresh_api, SET_PROJECT_STATUS, {"projectId": project["id"], "status": "PUBLISHED"}, "provider")
    closed = await run(fresh_api, UPDATE_PROJECT, {"projectId": project["id"], "name": "改名"}, others_staff)
    assert problems(closed) == {("NOT_PERMITTED", ("input", "projectId"))}
    for role in ("station", "town"):
        errors = await fresh_api.errors(CREATE_RESOURCE, {"input": resource_input(category_id)}, as_=role)
        assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    errors = await fresh_api.errors(UPDATE_PROJECT, {"input": {"projectId": project["id"], "name": "x"}})
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_administrators_manage_providers(fresh_api):
    district = (await fresh_api.data("{ districts { id } }"))["districts"][0]["id"]
    code = unique_code("310115-NGO")
    input = {
        "districtId": district,
        "code": code,
        "name": "浦东新区阳光社工服务社",
        "shortName": "阳光社工",
        "kind": "SOCIAL_ORGANIZATION",
        "phone": "021-58880000",
    }
    created = await run(fresh_api, CREATE_PROVIDER, input, "admin")
    assert created["userErrors"] == []
    provider = created["provider"]
    assert provider["code"] == code and provider["address"] is None

    updated = await run(
        fresh_api,
        UPDATE_PROVIDER,
        {"providerId": provider["id"], "address": "浦东新区张杨路1号", "phone": None},
        "admin",
    )
    assert updated["provider"]["address"] == "浦东新区张杨路1号" and updated["provider"]["phone"] is None
    assert updated["provider"]["name"] == "浦东新区阳光社工服务社"

    staff = await make_account(fresh_api, "PROVIDER_STAFF", providerId=provider["id"])
    category_id = await domain(fresh_api)
    service = await run(fresh_api, CREATE_SERVICE, service_input(category_id), staff)
    assert service["service"]["provider"]["id"] == provider["id"], "the new provider's staff can publish"

    before = await scalar(fresh_api, "SELECT count(*) FROM providers")
    bad = await run(
        fresh_api,
        CREATE_PROVIDER,
        {
            **input,
            "shortName": "",
            "name": "名" * 201,
            "phone": "1" * 33,
            "districtId": global_id("District", 999),
        },
        "admin",
    )
    assert problems(bad) == {
        ("TAKEN", ("input", "code")),
        ("REQUIRED", ("input", "shortName")),
        ("TOO_LONG", ("input", "name")),
        ("TOO_LONG", ("input", "phone")),
        ("NOT_FOUND", ("input", "districtId")),
    }
    assert await scalar(fresh_api, "SELECT count(*) FROM providers") == before
    missing = await run(
        fresh_api, UPDATE_PROVIDER, {"providerId": global_id("Provider", 999_999), "name": "x"}, "admin"
    )
    assert problems(missing) == {("NOT_FOUND", ("input", "providerId"))}
    for role in ("provider", "station", "town"):
        errors = await fresh_api.errors(CREATE_PROVIDER, {"input": input}, as_=role)
        assert errors[0]["extensions"]["code"] == "FORBIDDEN"
        errors = await fresh_api.errors(UPDATE_PROVIDER, {"input": {"providerId": provider["id"]}}, as_=role)
        assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    errors = await fresh_api.errors(CREATE_PROVIDER, {"input": input})
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_administrators_grow_and_rearrange_the_taxonomy(fresh_api):
    taxonomy = await categories(fresh_api)
    care = taxonomy["care"]["id"]
    created = await run(
        fresh_api,
        CREATE_CATEGORY,
        {"code": "care.respite", "name": "喘息服务", "parentId": care, "position": 9},
        "admin",
    )
    assert created["userErrors"] == []
    respite = created["category"]
    assert respite["parent"]["id"] == care
    children = await fresh_api.data("query($id: ID!) { category(id: $id) { children { id } } }", {"id": care})
    assert children["category"]["children"][-1]["id"] == respite["id"]

    nested = await run(
        fresh_api,
        CREATE_CATEGORY,
        {"code": "care.respite.home", "name": "居家喘息", "parentId": respite["id"]},
        "admin",
    )
    home = nested["category"]
    # Below itself or below its own child would make a loop.
    for parent in (respite["id"], home["id"]):
        loop = await run(
            fresh_api, UPDATE_CATEGORY, {"categoryId": respite["id"], "parentId": parent}, "admin"
        )
        assert problems(loop) == {("INVALID", ("input", "parentId"))}
    moved = await run(
        fresh_api,
        UPDATE_CATEGORY,
        {"categoryId": respite["id"], "parentId": taxonomy["health"]["id"], "name": "喘息照护"},
        "admin",
    )
    assert moved["category"]["parent"]["id"] == taxonomy["health"]["id"]
    assert moved["category"]["name"] == "喘息照护" and moved["category"]["position"] == 9
    major = await run(fresh_api, UPDATE_CATEGORY, {"categoryId": respite["id"], "parentId": None}, "admin")
    assert major["category"]["parent"] is None

    before = await scalar(fresh_api, "SELECT count(*) FROM categories")
    for input, expected in (
        ({"code": "care.meals", "name": "重复"}, {("TAKEN", ("input", "code"))}),
        ({"code": "Care Meals", "name": "格式"}, {("INVALID", ("input", "code"))}),
        ({"code": "care.x", "name": ""}, {("REQUIRED", ("input", "name"))}),
        ({"code": "care.y", "name": "名" * 101}, {("TOO_LONG", ("input", "name"))}),
        ({"code": "care.z", "name": "位", "position": -1}, {("OUT_OF_RANGE", ("input", "position"))}),
        (
            {"code": "care.w", "name": "父", "parentId": global_id("Category", 999_999)},
            {("NOT_FOUND", ("input", "parentId"))},
        ),
    ):
        assert problems(await run(fresh_api, CREATE_CATEGORY, input, "admin")) == expected
    assert await scalar(fresh_api, "SELECT count(*) FROM categories") == before
    for role in ("provider", "station", "town"):
        errors = await fresh_api.errors(CREATE_CATEGORY, {"input": {"code": "a.b", "name": "x"}}, as_=role)
        assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    errors = await fresh_api.errors(UPDATE_CATEGORY, {"input": {"categoryId": care, "name": "x"}})
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_payloads_describe_user_errors_as_frontends_show_them(fresh_api):
    category_id = await domain(fresh_api)
    created = await fresh_api.data(
        f"""mutation($input: CreateServiceInput!) {{
            createService(input: $input) {{ service {{ id }} {ERRORS} }} }}""",
        {"input": service_input(category_id, leadTimeDays=400)},
        as_="provider",
    )
    [error] = created["createService"]["userErrors"]
    assert error == {
        "code": "OUT_OF_RANGE",
        "field": ["input", "leadTimeDays"],
        "message": "`leadTimeDays` must be between 0 and 365.",
    }
