"""The Chinese labels of every closed set the API shows, so screens hard-code no translation.

One table, keyed by the model enums and their member names; the API serves it whole or
by enum. Every member of every enum listed must have its label (checked at import).
"""

from __future__ import annotations

import enum

from models import (
    Audience,
    Availability,
    CapacityPeriod,
    CaseAction,
    CaseDeadline,
    CaseKind,
    CaseRoute,
    CaseStatus,
    DayPart,
    DeliveryMode,
    DemandAction,
    DemandStatus,
    EntryKind,
    Facility,
    HearingDecision,
    MeetingKind,
    OrderAction,
    OrderKind,
    OrderStatus,
    ProviderKind,
    PublicationStatus,
    ResourceKind,
    Role,
    Skill,
    StationKind,
    TaskAction,
    TaskStatus,
    Tier,
    TownKind,
    Urgency,
)
from models.orders import Deadline
from resolvers.lists.suggestions import SuggestionReason

LABELS: dict[type[enum.Enum], dict[str, str]] = {
    OrderStatus: {
        "SUBMITTED": "待受理",
        "ACCEPTED": "已受理",
        "DECLINED": "已拒绝",
        "SCHEDULED": "已排期",
        "IN_PROGRESS": "服务中",
        "DELIVERED": "待确认",
        "COMPLETED": "待评价",
        "EVALUATED": "已评价",
        "CANCELLED": "已取消",
    },
    OrderAction: {
        "PLACE": "下单",
        "ACCEPT": "受理",
        "DECLINE": "拒绝",
        "SCHEDULE": "排期",
        "START": "开始服务",
        "DELIVER": "完成服务",
        "CONFIRM_DELIVERY": "确认完成",
        "REJECT_DELIVERY": "退回重办",
        "CANCEL": "取消订单",
        "EVALUATE": "评价",
        "RECORD_COORDINATION_MEETING": "记录协调会",
        "DEADLINE_NEARING": "即将超时",
        "DEADLINE_PASSED": "已超时",
        "REFER": "转派部门",
        "URGE": "督办",
        "ESCALATE": "上报区级",
        "EXTEND_DEADLINE": "延长时限",
        "REASSIGN": "改派",
    },
    Deadline: {"RESPONSE": "受理时限", "DELIVERY": "办结时限"},
    OrderKind: {"CATALOG": "目录订单", "WHISTLE": "吹哨报到"},
    CaseKind: {"CONSULTATION": "咨询", "HELP": "求助", "COMPLAINT": "投诉", "SUGGESTION": "建议"},
    CaseStatus: {
        "RECEIVED": "已受理",
        "HANDLED": "当场办结",
        "ORDERED": "转订单办理",
        "DEMANDED": "转需求清单",
        "WHISTLED": "吹哨部门",
        "CLOSED": "已办结",
        "EVALUATED": "已回访",
    },
    CaseRoute: {"ON_THE_SPOT": "当场办理", "ORDER": "转订单", "DEMAND": "转需求", "WHISTLE": "吹哨报到"},
    CaseAction: {
        "RECEIVE": "首问受理",
        "HANDLE_ON_SPOT": "当场办结",
        "TURN_INTO_ORDER": "转订单",
        "TURN_INTO_DEMAND": "转需求",
        "WHISTLE": "吹哨",
        "HAND_OVER": "移交",
        "CLOSE": "办结反馈",
        "EVALUATE": "满意度回访",
        "URGE": "督办",
        "ESCALATE": "上报区级",
        "EXTEND_DEADLINE": "延长时限",
        "REASSIGN": "改派",
    },
    CaseDeadline: {"ANSWER": "响应时限", "CLOSING": "办结时限"},
    Urgency: {"EMERGENCY": "应急单", "KEY": "重点单", "ROUTINE": "常规单"},
    Tier: {"BOTTOM_LINE": "底线民生", "BASIC": "基本民生", "QUALITY": "品质民生"},
    DemandStatus: {
        "OPEN": "待对接",
        "MATCHED": "已对接",
        "IN_PROGRESS": "办理中",
        "RESOLVED": "已解决",
        "CLOSED": "已关闭",
    },
    DemandAction: {
        "POST": "发布需求",
        "PROPOSE": "部门认领",
        "ORDER": "下单办理",
        "ORDERS_EVALUATED": "评价办结",
        "RESOLVE": "确认解决",
        "CLOSE": "关闭需求",
    },
    MeetingKind: {"HEARING": "听证会", "COORDINATION": "协调会", "EVALUATION": "评议会"},
    HearingDecision: {"APPROVED": "通过", "REJECTED": "未通过"},
    Role: {
        "ADMIN": "区级管理员",
        "TOWN_STAFF": "街镇工作人员",
        "STATION_STAFF": "服务站工作人员",
        "PROVIDER_STAFF": "部门工作人员",
        "VOLUNTEER": "志愿者",
    },
    Skill: {
        "ELDERLY_CARE": "助老陪护",
        "MEDICAL_ESCORT": "陪同就医",
        "NURSING": "医疗护理",
        "HOUSEHOLD_REPAIR": "家电维修",
        "CLEANING": "清洁保洁",
        "TUTORING": "课业辅导",
        "LEGAL_ADVICE": "法律咨询",
        "COUNSELLING": "心理疏导",
        "DRIVING": "驾驶接送",
        "DIGITAL_HELP": "智能手机教学",
        "HAIRCUT": "义务理发",
        "PATROL": "平安巡逻",
        "EVENT_SUPPORT": "活动保障",
    },
    DayPart: {"MORNING": "上午", "AFTERNOON": "下午", "EVENING": "晚上"},
    TaskStatus: {
        "OPEN": "待接单",
        "TAKEN": "已接单",
        "IN_PROGRESS": "服务中",
        "COMPLETED": "已完成",
        "CANCELLED": "已取消",
    },
    TaskAction: {
        "POST": "派单",
        "TAKE": "接单",
        "WITHDRAW": "退单",
        "START": "开始服务",
        "CONFIRM": "确认完成",
        "CANCEL": "取消任务",
    },
    EntryKind: {"EARNING": "服务积分", "REDEMPTION": "积分兑换"},
    TownKind: {"SUBDISTRICT": "街道", "TOWN": "镇"},
    StationKind: {
        "SERVICE_CENTER": "家门口服务中心",
        "RESIDENTIAL_COMMITTEE": "居委服务站",
        "VILLAGE": "村服务站",
    },
    Facility: {
        "PARTY_BUILDING": "党建服务站",
        "GOVERNMENT_AFFAIRS": "政务受理服务站",
        "CULTURE": "文化服务站",
        "JOINT_DUTY": "联勤联动站",
        "CLINIC": "卫生室",
    },
    ProviderKind: {
        "DEPARTMENT": "区职能部门",
        "HOSPITAL": "医疗机构",
        "SCHOOL": "学校",
        "COMPANY": "企业",
        "SOCIAL_ORGANIZATION": "社会组织",
        "PUBLIC_INSTITUTION": "事业单位",
    },
    Audience: {
        "EVERYONE": "全体居民",
        "ELDERLY": "老年人",
        "CHILDREN": "儿童",
        "YOUTH": "青少年",
        "WOMEN": "妇女",
        "FAMILIES": "家庭",
        "DISABLED": "残疾人",
        "JOB_SEEKERS": "求职者",
        "LOW_INCOME": "低收入家庭",
        "VETERANS": "退役军人",
        "PARTY_MEMBERS": "党员",
        "NEWCOMERS": "新居民",
    },
    DeliveryMode: {
        "AT_STATION": "站点服务",
        "AT_HOME": "上门服务",
        "ONLINE": "线上服务",
        "AT_DEPARTMENT": "部门办理",
    },
    PublicationStatus: {"DRAFT": "草稿", "PUBLISHED": "已发布", "SUSPENDED": "暂停", "RETIRED": "已下架"},
    CapacityPeriod: {"DAY": "每日", "WEEK": "每周", "MONTH": "每月"},
    ResourceKind: {
        "VENUE": "场地",
        "FUNDS": "资金",
        "EXPERT": "专家",
        "VOLUNTEER_TEAM": "志愿者队伍",
        "MATERIALS": "物资",
        "EQUIPMENT": "设备",
    },
    Availability: {"AVAILABLE": "可用", "LIMITED": "部分可用", "UNAVAILABLE": "暂不可用"},
    SuggestionReason: {
        "IN_CATEGORY": "同类别",
        "IN_MAJOR_CATEGORY": "同大类",
        "SHARED_AUDIENCE": "服务对象相同",
        "FOR_EVERYONE": "面向全体居民",
        "SAME_TIER": "同一民生层级",
        "SIMILAR_TEXT": "内容相近",
    },
}


def _check_complete() -> None:
    for enum_class, labels in LABELS.items():
        names = {member.name for member in enum_class}
        if names != labels.keys():
            raise ValueError(
                f"The labels of {enum_class.__name__} do not match its members: {names ^ labels.keys()}"
            )


_check_complete()


def label(member: enum.Enum) -> str:
    """The Chinese label of an enum member."""
    return LABELS[type(member)][member.name]
