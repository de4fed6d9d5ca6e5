"""The Chinese labels of the API's enums (`labels`), from the one table in `resolvers.labels`."""

from __future__ import annotations

import enum
import inspect
import re

import strawberry

from resolvers.labels import LABELS
from schema.common import describe_enum, signed


def _constant(name: str) -> str:
    """`OrderStatus` as an enum value: `ORDER_STATUS`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


# The enums that have labels, named as the API names their types; built from the table so
# an enum given labels there is offered here.
_MEMBERS = {_constant(e.__name__): e.__name__ for e in LABELS}
_LABELED: type[enum.Enum] = enum.Enum("LabeledEnum", _MEMBERS)  # type: ignore[misc]  # members from the table
describe_enum(
    _LABELED,
    "An enum of the API whose values have Chinese labels; its value names the enum type, e.g. "
    "ORDER_STATUS for OrderStatus.",
    {constant: f"The enum {name}." for constant, name in _MEMBERS.items()},
)
ENUMS_BY_NAME = {e.__name__: e for e in LABELS}


@strawberry.type(description="An enum value with its Chinese label, for screens to show.")
class EnumValueLabel:
    value: str = strawberry.field(description="The value as the API spells it, e.g. SUBMITTED.")
    label: str = strawberry.field(description="Its Chinese label, e.g. 待受理.")


@strawberry.type(description="The labels of the values of one enum.")
class EnumLabels:
    enum: str = strawberry.field(description="The enum's GraphQL type name, e.g. OrderStatus.")
    values: list[EnumValueLabel] = strawberry.field(
        description="Every value of the enum, in the API's order."
    )


def _labels(enums: list[enum.Enum] | None = None) -> list[EnumLabels]:
    chosen = [ENUMS_BY_NAME[e.value] for e in enums] if enums else list(LABELS)
    return [
        EnumLabels(
            enum=enum_class.__name__,
            values=[
                EnumValueLabel(value=member.name, label=LABELS[enum_class][member.name])
                for member in enum_class
            ],
        )
        for enum_class in chosen
    ]


# The argument's type is the enum built above, which strawberry reads from the signature.
_ENUMS = inspect.Parameter(
    "enums",
    inspect.Parameter.KEYWORD_ONLY,
    annotation=list[_LABELED] | None,
    default=None,
)


@strawberry.type
class LabelsQuery:
    labels = strawberry.field(
        resolver=signed(_labels, [_ENUMS], list[EnumLabels]),
        description="The Chinese labels (中文名称) of enum values, so screens need not translate them: of the "
        "enums named, or of every labeled enum when none are.",
    )
