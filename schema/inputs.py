"""Input mapping: strawberry inputs to the resolvers' dataclasses and change sets, by field name.

An input and the resolver dataclass it feeds share their field names, so mapping
one to the other is written once here; only global IDs are converted (to database
ids, refusing IDs of another type), and nested inputs by the converters a caller
names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

import strawberry
from strawberry import relay

from schema.common import decode_id

D = TypeVar("D")


def changes_of(
    input: Any,
    *,
    skip: tuple[str, ...] = (),
    ids: Mapping[str, type] | None = None,
    **convert: Callable[[Any], Any],
) -> dict[str, Any]:
    """The fields an input gives (null included; left-out fields of partial updates are not),
    with IDs decoded as the node types `ids` names and other values converted where asked."""
    ids = ids or {}
    changes = {}
    for field in dataclasses.fields(input):
        value = getattr(input, field.name)
        if field.name in skip or value is strawberry.UNSET:
            continue
        if field.name in ids:
            value = _decoded(value, ids[field.name])
        elif field.name in convert:
            value = convert[field.name](value)
        changes[field.name] = value
    return changes


def _decoded(value: relay.GlobalID | list[relay.GlobalID] | None, node_type: type) -> Any:
    if isinstance(value, list):
        return [decode_id(item, node_type) for item in value]
    return decode_id(value, node_type)


def fields_of(
    input: Any,
    target: type[D],
    *,
    ids: Mapping[str, type] | None = None,
    **convert: Callable[[Any], Any],
) -> D:
    """The resolver dataclass `target` built from the input's fields of the same names."""
    wanted = {field.name for field in dataclasses.fields(cast(Any, target)) if field.init}
    given = changes_of(input, skip=(), ids=ids, **convert)
    return target(**{name: value for name, value in given.items() if name in wanted})
