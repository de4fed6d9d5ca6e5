"""Steps the catalog, demand and account management tests share."""

from __future__ import annotations

import uuid

ERRORS = "userErrors { code field message }"
PASSWORD = "doorstep-test-password"

CREATE_USER = f"""mutation($input: CreateUserInput!) {{ createUser(input: $input) {{
    user {{ id username }} {ERRORS} }} }}"""
SERVICE = """id code name description tier audiences deliveryModes consultableOnSpot completableOnSpot
    capacityPerPeriod capacityPeriod leadTimeDays status publishedAt nextStatuses updatedAt
    provider { id } category { id }"""
RESOURCE = """id code name description kind tier audiences quantity unit availability availabilityNote
    status nextStatuses provider { id } category { id }"""
PROJECT = """id code name description tier audiences capacityPerPeriod capacityPeriod requiresThreeMeetings
    status nextStatuses provider { id } category { id } resources(first: 100) { nodes { id } }"""
DEMAND = """id title description audiences beneficiaries urgency tier status postedAt
    station { id } category { id }"""


def mutation(name: str, input_type: str, result: str, fields: str) -> str:
    return f"""mutation($input: {input_type}!) {{ {name}(input: $input) {{
        {result} {{ {fields} }} {ERRORS} }} }}"""


CREATE_SERVICE = mutation("createService", "CreateServiceInput", "service", SERVICE)
UPDATE_SERVICE = mutation("updateService", "UpdateServiceInput", "service", SERVICE)
SET_SERVICE_STATUS = mutation("setServiceStatus", "SetServiceStatusInput", "service", SERVICE)
CREATE_RESOURCE = mutation("createResource", "CreateResourceInput", "resource", RESOURCE)
UPDATE_RESOURCE = mutation("updateResource", "UpdateResourceInput", "resource", RESOURCE)
SET_RESOURCE_STATUS = mutation("setResourceStatus", "SetResourceStatusInput", "resource", RESOURCE)
CREATE_PROJECT = mutation("createProject", "CreateProjectInput", "project", PROJECT)
UPDATE_PROJECT = mutation("updateProject", "UpdateProjectInput", "project", PROJECT)
SET_PROJECT_STATUS = mutation("setProjectStatus", "SetProjectStatusInput", "project", PROJECT)
POST_DEMAND = mutation("postDemand", "PostDemandInput", "demand", DEMAND)
UPDATE_DEMAND = mutation("updateDemand", "UpdateDemandInput", "demand", DEMAND)
CLOSE_DEMAND = mutation("closeDemand", "CloseDemandInput", "demand", DEMAND)


def unique_code(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def problems(payload: dict) -> set[tuple[str, tuple[str, ...] | None]]:
    """The user errors of a payload as (code, field path) pairs."""
    return {(e["code"], tuple(e["field"]) if e["field"] else None) for e in payload["userErrors"]}


async def run(api, query: str, input: dict, as_: str | None) -> dict:
    """The payload of a one-mutation operation that must not fail as a whole."""
    data = await api.data(query, {"input": input}, as_=as_)
    return next(iter(data.values()))


async def make_account(api, role: str, **scope: str) -> str:
    """A new account of the role (scope as global IDs, e.g. providerId=...), signed in; its username."""
    username = unique_code(role.lower())
    input = {"username": username, "password": PASSWORD, "displayName": "测试账号", "role": role, **scope}
    payload = await run(api, CREATE_USER, input, "admin")
    assert payload["userErrors"] == [], payload
    await api.token(username, PASSWORD)
    return username


async def viewer_scope(api, as_: str) -> dict:
    data = await api.data(
        "{ viewer { id provider { id district { id } } station { id } town { id } } }", as_=as_
    )
    return data["viewer"]


async def categories(api) -> dict[str, dict]:
    """Every category by code, with its parent's id."""
    data = await api.data("{ categories(topLevelOnly: false) { id code parent { id } } }")
    return {c["code"]: c for c in data["categories"]}


async def other_provider(api, own_id: str) -> str:
    data = await api.data("{ providers(first: 5) { nodes { id } } }")
    return next(p["id"] for p in data["providers"]["nodes"] if p["id"] != own_id)


def service_input(category_id: str, **changes) -> dict:
    return {
        "code": unique_code("SVC"),
        "name": "社区助餐配送服务",
        "description": "为高龄独居老人提供助餐配送。",
        "categoryId": category_id,
        "tier": "BASIC",
        "audiences": ["ELDERLY"],
        "deliveryModes": ["AT_STATION", "AT_HOME"],
        "consultableOnSpot": True,
        "capacityPerPeriod": 20,
        "capacityPeriod": "WEEK",
        "leadTimeDays": 2,
        **changes,
    }


def resource_input(category_id: str, **changes) -> dict:
    return {
        "code": unique_code("RES"),
        "name": "社区活动室",
        "description": "可容纳三十人的活动室。",
        "categoryId": category_id,
        "kind": "VENUE",
        "tier": "QUALITY",
        "audiences": ["EVERYONE"],
        "quantity": "120.5",
        "unit": "平方米",
        "availability": "LIMITED",
        "availabilityNote": "工作日 9:00-17:00",
        **changes,
    }


def project_input(category_id: str, **changes) -> dict:
    return {
        "code": unique_code("PRJ"),
        "name": "长者助餐点运营",
        "description": "在服务站开设长者助餐点。",
        "categoryId": category_id,
        "tier": "BASIC",
        "audiences": ["ELDERLY"],
        "capacityPerPeriod": 2,
        "capacityPeriod": "MONTH",
        "requiresThreeMeetings": True,
        **changes,
    }


def demand_input(category_id: str, **changes) -> dict:
    return {
        "title": "老年人助餐需求",
        "description": "独居老人希望就近解决吃饭问题。",
        "categoryId": category_id,
        "audiences": ["ELDERLY"],
        "beneficiaries": 40,
        "urgency": "KEY",
        **changes,
    }
