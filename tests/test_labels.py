"""Enum values carry their Chinese labels, so screens translate nothing themselves."""

from __future__ import annotations

LABELS = "query($enums: [LabeledEnum!]) { labels(enums: $enums) { enum values { value label } } }"
INTROSPECT = "query($name: String!) { __type(name: $name) { enumValues { name } } }"


async def test_labels_of_the_enums_asked_for(api):
    data = await api.data(LABELS, {"enums": ["ORDER_STATUS", "MEETING_KIND", "URGENCY"]})
    assert data["labels"] == [
        {
            "enum": "OrderStatus",
            "values": [
                {"value": "SUBMITTED", "label": "待受理"},
                {"value": "ACCEPTED", "label": "已受理"},
                {"value": "DECLINED", "label": "已拒绝"},
                {"value": "SCHEDULED", "label": "已排期"},
                {"value": "IN_PROGRESS", "label": "服务中"},
                {"value": "DELIVERED", "label": "待确认"},
                {"value": "COMPLETED", "label": "待评价"},
                {"value": "EVALUATED", "label": "已评价"},
                {"value": "CANCELLED", "label": "已取消"},
            ],
        },
        {
            "enum": "MeetingKind",
            "values": [
                {"value": "HEARING", "label": "听证会"},
                {"value": "COORDINATION", "label": "协调会"},
                {"value": "EVALUATION", "label": "评议会"},
            ],
        },
        {
            "enum": "Urgency",
            "values": [
                {"value": "EMERGENCY", "label": "应急单"},
                {"value": "KEY", "label": "重点单"},
                {"value": "ROUTINE", "label": "常规单"},
            ],
        },
    ]


async def test_every_domain_enum_has_a_label_for_each_of_its_values(api):
    everything = {entry["enum"]: entry["values"] for entry in (await api.data(LABELS))["labels"]}
    domain = {
        "OrderStatus", "OrderAction", "Deadline", "Urgency", "Tier", "DemandStatus", "DemandAction",
        "MeetingKind", "HearingDecision", "Role", "TownKind", "StationKind", "Facility", "ProviderKind",
        "Audience", "DeliveryMode", "PublicationStatus", "CapacityPeriod", "ResourceKind", "Availability",
        "SuggestionReason", "Skill", "DayPart", "TaskStatus", "TaskAction", "EntryKind", "OrderKind", "CaseKind", "CaseStatus", "CaseRoute", "CaseAction", "CaseDeadline",
    }  # fmt: skip
    assert set(everything) == domain
    for name, values in everything.items():
        schema_values = (await api.data(INTROSPECT, {"name": name}))["__type"]["enumValues"]
        assert [v["value"] for v in values] == [v["name"] for v in schema_values], name
        assert all(v["label"].strip() for v in values), name
    assert {v["value"]: v["label"] for v in everything["Role"]}["STATION_STAFF"] == "服务站工作人员"
    assert {v["value"]: v["label"] for v in everything["Tier"]} == {
        "BOTTOM_LINE": "底线民生",
        "BASIC": "基本民生",
        "QUALITY": "品质民生",
    }


async def test_an_unknown_enum_is_refused(api):
    errors = await api.errors(LABELS, {"enums": ["NOT_AN_ENUM"]})
    assert "NOT_AN_ENUM" in errors[0]["message"]
