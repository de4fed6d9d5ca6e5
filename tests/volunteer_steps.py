"""Steps the volunteer, task and time-bank tests share: registering volunteers, posting and moving tasks."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "volunteer-pass-1"
VOLUNTEER_FIELDS = """id displayName username phone isActive isPartyMember skills
    availability { weekday dayPart } pointsBalance station { id }"""
REGISTER = f"""mutation($input: RegisterVolunteerInput!) {{ registerVolunteer(input: $input) {{
    volunteer {{ {VOLUNTEER_FIELDS} }} userErrors {{ code field message }} }} }}"""
TASK_FIELDS = """id title status urgency place startsAt endsAt requiredSkills hoursExpected hoursWorked points
    takeDueAt completeDueAt isOverdue nextActions resident { name phone address }
    volunteer { id } station { id } demand { id }"""
TASK_ERRORS = "userErrors { code field message currentStatus allowedActions }"
POST_TASK = f"""mutation($input: PostTaskInput!) {{ postTask(input: $input) {{
    task {{ {TASK_FIELDS} }} {TASK_ERRORS} }} }}"""
MOVES = {
    "TAKE": ("takeTask", "TakeTaskInput"),
    "WITHDRAW": ("withdrawTask", "WithdrawTaskInput"),
    "START": ("startTask", "StartTaskInput"),
    "CONFIRM": ("confirmTask", "ConfirmTaskInput"),
    "CANCEL": ("cancelTask", "CancelTaskInput"),
}
REDEEM = """mutation($input: RedeemRewardInput!) { redeemReward(input: $input) {
    redemption { id points idempotencyKey reward { id } volunteer { id pointsBalance } }
    userErrors { code field message } } }"""
CREATE_REWARD = """mutation($input: CreateRewardInput!) { createReward(input: $input) {
    reward { id name pointsPrice isActive station { id } } userErrors { code field message } } }"""


def db_id(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().partition(":")[2])


def move_text(action: str) -> str:
    name, input_type = MOVES[action]
    return f"""mutation($input: {input_type}!) {{ {name}(input: $input) {{
        task {{ {TASK_FIELDS} }} {TASK_ERRORS} }} }}"""


async def station_id(api, as_: str = "station") -> str:
    return (await api.data("{ viewer { station { id } } }", as_=as_))["viewer"]["station"]["id"]


async def register(api, username: str | None = None, *, as_: str = "station", **fields) -> dict:
    """A volunteer registered at the demo station, signed in; answers the volunteer."""
    username = username or f"vol-{uuid.uuid4().hex[:8]}"
    given = {
        "username": username,
        "password": PASSWORD,
        "displayName": "李志愿",
        "phone": "13900000001",
        "isPartyMember": True,
        "skills": ["ELDERLY_CARE", "MEDICAL_ESCORT"],
        "availability": [{"weekday": 6, "dayPart": "MORNING"}],
        **fields,
    }
    payload = (await api.data(REGISTER, {"input": given}, as_=as_))["registerVolunteer"]
    assert payload["userErrors"] == [], payload
    await api.token(username, PASSWORD)
    return payload["volunteer"]


def window(days: int = 1, hours: int = 2) -> tuple[str, str]:
    start = (datetime.now(SHANGHAI) + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    return start.isoformat(), (start + timedelta(hours=hours)).isoformat()


def task_input(**fields) -> dict:
    starts, ends = window()
    return {
        "title": "陪同独居老人就医",
        "urgency": "KEY",
        "place": "潍坊一村",
        "startsAt": starts,
        "endsAt": ends,
        "hoursExpected": "2",
        "requiredSkills": ["MEDICAL_ESCORT"],
        "resident": {"name": "王阿姨", "phone": "13800000000", "address": "潍坊一村12号301室"},
        **fields,
    }


async def post(api, as_: str = "station", **fields) -> dict:
    payload = (await api.data(POST_TASK, {"input": task_input(**fields)}, as_=as_))["postTask"]
    assert payload["userErrors"] == [], payload
    return payload["task"]


async def act(api, action: str, task: dict, *, as_: str, **fields) -> dict:
    """A move's payload (task and userErrors)."""
    name = MOVES[action][0]
    body = await api.data(move_text(action), {"input": {"taskId": task["id"], **fields}}, as_=as_)
    return body[name]
