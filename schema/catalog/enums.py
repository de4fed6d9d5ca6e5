"""The catalog's enums as the API describes them; fields annotate the model enums themselves."""

from __future__ import annotations

from models import Audience, CapacityPeriod, DeliveryMode, ProviderKind, PublicationStatus, Tier, Urgency
from resolvers.catalog.queries import CatalogOrderField, ProviderOrderField
from schema.common import describe_enum

describe_enum(
    Tier,
    "The three livelihoods (三生) a catalog entry serves.",
    {
        "BOTTOM_LINE": "Bottom-line livelihood (底线民生): the safety net.",
        "BASIC": "Basic livelihood (基本民生): universal public services.",
        "QUALITY": "Quality livelihood (品质民生): services that raise the quality of life.",
    },
)
describe_enum(
    Audience,
    "Who an entry is meant for.",
    {
        "EVERYONE": "All residents.",
        "ELDERLY": "Older residents.",
        "CHILDREN": "Children.",
        "YOUTH": "Young people.",
        "WOMEN": "Women.",
        "FAMILIES": "Families.",
        "DISABLED": "Residents with disabilities.",
        "JOB_SEEKERS": "Residents looking for work.",
        "LOW_INCOME": "Low-income and subsistence-aid households.",
        "VETERANS": "Veterans and their families.",
        "PARTY_MEMBERS": "Party members.",
        "NEWCOMERS": "Residents who have recently moved in.",
    },
)
describe_enum(
    DeliveryMode,
    "Where a service is delivered.",
    {
        "AT_STATION": "At the doorstep service station.",
        "AT_HOME": "At the resident's home.",
        "ONLINE": "Online.",
        "AT_DEPARTMENT": "At the department's own office.",
    },
)
describe_enum(
    PublicationStatus,
    "Whether a catalog entry is offered.",
    {
        "DRAFT": "Being written; not visible to stations.",
        "PUBLISHED": "Offered to stations.",
        "SUSPENDED": "Temporarily not offered.",
        "RETIRED": "No longer offered.",
    },
)
describe_enum(
    ProviderKind,
    "What kind of unit a provider is.",
    {
        "DEPARTMENT": "A district department (区职能部门).",
        "HOSPITAL": "A hospital or community health centre.",
        "SCHOOL": "A school or college.",
        "COMPANY": "A company.",
        "SOCIAL_ORGANIZATION": "A social organisation (社会组织).",
        "PUBLIC_INSTITUTION": "A public institution or people's organisation.",
    },
)
describe_enum(
    Urgency,
    "How urgent a demand or order is (应急 / 重点 / 常规).",
    {
        "EMERGENCY": "Emergency (应急): taken on receipt, handled within hours.",
        "KEY": "Key (重点): priority work with a short time limit.",
        "ROUTINE": "Routine (常规): answered within a day, never overnight.",
    },
)
describe_enum(
    CapacityPeriod,
    "The period a capacity applies to.",
    {"DAY": "Per day.", "WEEK": "Per week.", "MONTH": "Per month."},
)
describe_enum(
    ProviderOrderField,
    "What providers can be ordered by.",
    {"NAME": "The provider's name.", "CODE": "The provider's code."},
)
describe_enum(
    CatalogOrderField,
    "What services, resources and projects can be ordered by.",
    {"NAME": "The name.", "CODE": "The catalog code.", "CREATED_AT": "When the entry was created."},
)
