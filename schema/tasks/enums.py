"""Descriptions of the task enums, given once where the task types import them."""

from __future__ import annotations

from models import DayPart, Skill, TaskAction, TaskStatus
from resolvers.tasks.queries import TaskOrderField
from schema.common import describe_enum

describe_enum(
    Skill,
    "What a volunteer can do and a task requires (a closed set, with Chinese labels).",
    {
        "ELDERLY_CARE": "Keeping elderly residents company, helping at home (助老陪护).",
        "MEDICAL_ESCORT": "Accompanying a resident to the doctor (陪同就医).",
        "NURSING": "Basic nursing and health checks (医疗护理).",
        "HOUSEHOLD_REPAIR": "Repairing appliances and fittings (家电维修).",
        "CLEANING": "Cleaning (清洁保洁).",
        "TUTORING": "Helping children with schoolwork (课业辅导).",
        "LEGAL_ADVICE": "Legal advice (法律咨询).",
        "COUNSELLING": "Listening and psychological support (心理疏导).",
        "DRIVING": "Driving residents (驾驶接送).",
        "DIGITAL_HELP": "Teaching smartphones and online services (智能手机教学).",
        "HAIRCUT": "Haircuts (义务理发).",
        "PATROL": "Neighbourhood safety patrols (平安巡逻).",
        "EVENT_SUPPORT": "Helping at community events (活动保障).",
    },
)
describe_enum(
    DayPart,
    "A part of the day.",
    {"MORNING": "Morning (上午).", "AFTERNOON": "Afternoon (下午).", "EVENING": "Evening (晚上)."},
)
describe_enum(
    TaskStatus,
    "Where a volunteer task stands.",
    {
        "OPEN": "Posted, waiting for a volunteer to take it (待接单).",
        "TAKEN": "A volunteer took it and has not started (已接单); they may still withdraw.",
        "IN_PROGRESS": "The volunteer started the work (服务中).",
        "COMPLETED": "The station confirmed the work with the hours worked; points were credited (已完成).",
        "CANCELLED": "The station or town cancelled it (已取消).",
    },
)
describe_enum(
    TaskAction,
    "A move of a volunteer task.",
    {
        "POST": "The station or town posted it (派单).",
        "TAKE": "A volunteer took it (接单).",
        "WITHDRAW": "The volunteer gave it back before starting (退单); it is open again.",
        "START": "The volunteer started the work.",
        "CONFIRM": "The station confirmed the work done, with the hours worked, crediting the points.",
        "CANCEL": "The station or town cancelled it, with a reason.",
    },
)
describe_enum(
    TaskOrderField,
    "What tasks can be ordered by.",
    {"CREATED_AT": "When the task was posted.", "STARTS_AT": "When its time window starts."},
)
