"""Steps the order tests share: finding what to order, placing orders, moving them along."""

from __future__ import annotations

import base64
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Every order status, in the order the API lists them.
ALL_STATUSES = [
    "SUBMITTED",
    "ACCEPTED",
    "DECLINED",
    "SCHEDULED",
    "IN_PROGRESS",
    "DELIVERED",
    "COMPLETED",
    "EVALUATED",
    "CANCELLED",
]
ERRORS = "userErrors { code field message currentStatus allowedActions }"
ORDER_FIELDS = """id status urgency quantity requestedStart requestedEnd notes nextActions
    responseDueAt deliveryDueAt responseSecondsLeft deliverySecondsLeft isResponseOverdue isDeliveryOverdue
    declineReason rejectionReason cancellationReason scheduledAt createdAt updatedAt isProxy
    resident { name phone } responsible { name phone user { username } }
    evaluation { rating satisfaction comment evaluatedAt }
    station { id } provider { id } service { id name } project { id name } demand { id }"""
PLACE = f"""mutation($input: PlaceOrderInput!) {{ placeOrder(input: $input) {{
    order {{ {ORDER_FIELDS} }} {ERRORS} }} }}"""
CREATE_USER = """mutation($input: CreateUserInput!) { createUser(input: $input) {
    user { id username } userErrors { code field message } } }"""

# Each lifecycle action: its mutation, input type and a valid input besides `orderId`.
MUTATIONS = {
    "ACCEPT": (
        "acceptOrder",
        "AcceptOrderInput",
        {"responsibleName": "张建国", "responsiblePhone": "13800138000"},
    ),
    "DECLINE": ("declineOrder", "DeclineOrderInput", {"reason": "本月名额已满"}),
    "SCHEDULE": ("scheduleOrder", "ScheduleOrderInput", {}),
    "START": ("startOrder", "StartOrderInput", {}),
    "DELIVER": ("deliverOrder", "DeliverOrderInput", {"note": "已上门服务"}),
    "CONFIRM_DELIVERY": ("confirmDelivery", "ConfirmDeliveryInput", {}),
    "REJECT_DELIVERY": ("rejectDelivery", "RejectDeliveryInput", {"reason": "服务未完成"}),
    "CANCEL": ("cancelOrder", "CancelOrderInput", {"reason": "居民已自行解决"}),
    "EVALUATE": (
        "evaluateOrder",
        "EvaluateOrderInput",
        {"rating": 5, "satisfaction": 92, "comment": "居民很满意"},
    ),
    "RECORD_COORDINATION_MEETING": (
        "recordCoordinationMeeting",
        "RecordCoordinationMeetingInput",
        {"attendees": 12, "minutes": "居民代表与服务方协调上门时间"},
    ),
}
# The path an order takes, as (action, the role that takes it, the status it reaches).
HAPPY_PATH = [
    ("ACCEPT", "provider", "ACCEPTED"),
    ("SCHEDULE", "provider", "SCHEDULED"),
    ("START", "provider", "IN_PROGRESS"),
    ("DELIVER", "provider", "DELIVERED"),
    ("CONFIRM_DELIVERY", "station", "COMPLETED"),
    ("EVALUATE", "station", "EVALUATED"),
]


def today() -> date:
    return datetime.now(SHANGHAI).date()


def day(offset: int) -> str:
    return (today() + timedelta(days=offset)).isoformat()


def at(offset_days: int, hour: int = 10) -> str:
    """A local time `offset_days` from today, as a client sends it."""
    moment = datetime.combine(today() + timedelta(days=offset_days), datetime.min.time(), SHANGHAI)
    return (moment + timedelta(hours=hour)).isoformat()


def now_local() -> str:
    return datetime.now(SHANGHAI).isoformat()


def parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


def db_id(global_id: str) -> int:
    """The database id inside a global ID, for test set-up in SQL."""
    return int(base64.b64decode(global_id).decode().split(":")[1])


def mutation_text(action: str) -> str:
    name, input_type, _ = MUTATIONS[action]
    extra = " meeting { id kind }" if action == "RECORD_COORDINATION_MEETING" else ""
    return f"""mutation($input: {input_type}!) {{ {name}(input: $input) {{
        order {{ {ORDER_FIELDS} }}{extra} {ERRORS} }} }}"""


def action_input(action: str, order: dict, **overrides) -> dict:
    values = {"orderId": order["id"], **MUTATIONS[action][2]}
    if action == "SCHEDULE":
        values["scheduledAt"] = f"{order['requestedStart']}T10:00:00+08:00"
    if action == "RECORD_COORDINATION_MEETING":
        values["heldAt"] = now_local()
    return {**values, **overrides}


async def act(api, action: str, order: dict, as_: str, **overrides) -> dict:
    """Take a lifecycle action; the payload (order, userErrors)."""
    data = await api.data(mutation_text(action), {"input": action_input(action, order, **overrides)}, as_=as_)
    return data[MUTATIONS[action][0]]


async def ordered_services(api) -> list[dict]:
    """The published services of the demo provider (区民政局), which the demo provider account acts on."""
    data = await api.data(
        """{ viewer { provider { id services(first: 100) { nodes {
            id name capacityPerPeriod capacityPeriod leadTimeDays status } } } } }""",
        as_="provider",
    )
    return [s for s in data["viewer"]["provider"]["services"]["nodes"] if s["status"] == "PUBLISHED"]


async def unlimited_service(api) -> dict:
    """A service of the demo provider without a capacity limit."""
    return next(s for s in await ordered_services(api) if s["capacityPerPeriod"] is None)


def place_input(service: dict, **overrides) -> dict:
    return {
        "idempotencyKey": str(uuid.uuid4()),
        "serviceId": service["id"],
        "quantity": 1,
        "requestedStart": day(20),
        "requestedEnd": day(30),
        "urgency": "ROUTINE",
        "notes": "请安排社工上门",
        **overrides,
    }


async def place(api, service: dict, as_: str = "station", **overrides) -> dict:
    """Place an order that must succeed; the order."""
    payload = (await api.data(PLACE, {"input": place_input(service, **overrides)}, as_=as_))["placeOrder"]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload["order"]


async def advance(api, order: dict, status: str) -> dict:
    """Move an order along the happy path (as the roles that may) until it reaches `status`."""
    if status in ("DECLINED", "CANCELLED"):
        action, role = ("DECLINE", "provider") if status == "DECLINED" else ("CANCEL", "station")
        payload = await act(api, action, order, as_=role)
        assert payload["userErrors"] == [], payload
        return payload["order"]
    reached_so_far = ["SUBMITTED"] + [reached for _, _, reached in HAPPY_PATH]
    for action, role, reached in HAPPY_PATH[reached_so_far.index(order["status"]) :]:
        if order["status"] == status:
            break
        payload = await act(api, action, order, as_=role)
        assert payload["userErrors"] == [] and payload["order"]["status"] == reached, payload
        order = payload["order"]
    assert order["status"] == status
    return order


async def create_account(api, username: str, role: str, **scope) -> str:
    """A new account made by the administrator; signs it in and returns its username."""
    password = "doorstep-test-password"
    payload = (
        await api.data(
            CREATE_USER,
            {
                "input": {
                    "username": username,
                    "password": password,
                    "displayName": username,
                    "role": role,
                    **scope,
                }
            },
            as_="admin",
        )
    )["createUser"]
    assert payload["userErrors"] == [], payload
    await api.token(username, password)
    return username


async def stations(api, count: int, *, other_town_than: str | None = None) -> list[dict]:
    """Stations of the demo district, other than the demo station's (or outside a town)."""
    data = await api.data(
        """{ viewer { station { id town { id } } } stations(first: 100) { nodes { id town { id } } } }""",
        as_="station",
    )
    own = data["viewer"]["station"]["id"]
    found = [
        s
        for s in data["stations"]["nodes"]
        if s["id"] != own and (other_town_than is None or s["town"]["id"] != other_town_than)
    ]
    assert len(found) >= count
    return found[:count]
