"""Steps the case, whistle and supervision tests share."""

from __future__ import annotations

import uuid

CASE_ERRORS = "userErrors { code field message currentStatus allowedActions }"
CASE_FIELDS = """id kind urgency status route subject description result satisfaction nextActions
    answerDueAt closingDueAt answeredAt closedAt escalatedAt isOverdue closedOnTime createdAt
    resident { name phone } station { id } owner { username } receivedBy { username }
    order { id kind status matter provider { id } } demand { id }
    history(first: 50) { nodes { action fromStatus toStatus actorRole note actor { username } owner { username } } }"""
RESIDENT = {"name": "王阿姨", "phone": "13900001111"}
WHISTLE_FIELDS = """id kind matter status urgency nextActions responseDueAt deliveryDueAt createdAt
    requestedStart requestedEnd isResponseOverdue service { id } project { id } provider { id }
    resident { name phone } responsible { name phone }
    history(first: 50) { nodes { action fromStatus toStatus actorRole note actor { username } } }"""
ORDER_ERRORS = "userErrors { code field message currentStatus allowedActions }"


def case_mutation(name: str, input_type: str) -> str:
    return f"""mutation($input: {input_type}!) {{ {name}(input: $input) {{ case {{ {CASE_FIELDS} }} {CASE_ERRORS} }} }}"""


def order_mutation(name: str, input_type: str, fields: str = WHISTLE_FIELDS) -> str:
    return f"""mutation($input: {input_type}!) {{ {name}(input: $input) {{ order {{ {fields} }} {ORDER_ERRORS} }} }}"""


RECEIVE = case_mutation("receiveCase", "ReceiveCaseInput")
CASE = f"query($id: ID!) {{ case(id: $id) {{ {CASE_FIELDS} }} }}"
BLOW = order_mutation("blowWhistle", "BlowWhistleInput")


async def receive(api, as_: str = "station", **overrides) -> dict:
    given = {
        "kind": "HELP",
        "urgency": "KEY",
        "subject": "楼道灯坏了一个月无人修",
        "description": "老人夜里出门不便",
        "resident": RESIDENT,
        **overrides,
    }
    payload = (await api.data(RECEIVE, {"input": given}, as_=as_))["receiveCase"]
    assert payload["userErrors"] == [], payload
    return payload["case"]


async def case_step(api, name: str, input_type: str, as_: str, **given) -> dict:
    return (await api.data(case_mutation(name, input_type), {"input": given}, as_=as_))[name]


async def read_case(api, case: dict, as_: str) -> dict | None:
    return (await api.data(CASE, {"id": case["id"]}, as_=as_))["case"]


async def blow(api, provider_id: str, as_: str = "station", **overrides) -> dict:
    """Blow a whistle: the payload (order, userErrors)."""
    given = {
        "idempotencyKey": str(uuid.uuid4()),
        "providerId": provider_id,
        "matter": "小区河道漂浮垃圾需要清理",
        "urgency": "EMERGENCY",
        **overrides,
    }
    return (await api.data(BLOW, {"input": given}, as_=as_))["blowWhistle"]


async def viewer_scope(api, as_: str) -> dict:
    data = await api.data("{ viewer { id station { id town { id } } provider { id } town { id } } }", as_=as_)
    return data["viewer"]


async def other_provider(api, but: str) -> str:
    """A provider of the district other than `but`."""
    providers = (await api.data("{ providers(first: 100) { nodes { id } } }"))["providers"]["nodes"]
    return next(p["id"] for p in providers if p["id"] != but)


def actions(case_or_order: dict) -> list[str]:
    return [event["action"] for event in case_or_order["history"]["nodes"]]
