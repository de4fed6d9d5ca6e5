"""schema.graphql, which frontend teams generate their clients from, is current."""

from __future__ import annotations

from doorstep.cli import SCHEMA_FILE, export_schema_text
from doorstep.settings import Settings


def test_schema_graphql_matches_the_code():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == export_schema_text(Settings.from_env()), (
        "schema.graphql is stale: run `.venv/bin/doorstep export-schema` (or `make schema`)"
    )


def test_every_type_and_field_is_described():
    from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

    from schema import build_schema

    schema = build_schema(Settings.from_env())._schema
    missing = []
    for name, graphql_type in schema.type_map.items():
        if name.startswith("__") or name in ("String", "Int", "Boolean", "ID", "Float"):
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, d in graphql_type.fields.items() if not d.description]
        if isinstance(graphql_type, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, d in graphql_type.values.items() if not d.description]
    assert missing == []
