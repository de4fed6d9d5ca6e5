"""Fuzzing: queries and mutations generated from schema.graphql never get a 500 or a masked fault.

hypothesis-graphql writes documents from the schema itself: valid ones (every argument of
its type, any value) and invalid ones (one violation each: a wrong type, a missing
argument, an unknown field). They are sent as each kind of caller, to a private copy of
the demo district, since mutations write. Hypothesis shrinks a failure to its smallest
document and prints it.

`make test` runs FUZZ_EXAMPLES examples per test (fast); more find more:
`DOORSTEP_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py`.
"""

from __future__ import annotations

import asyncio
import base64
import os
from pathlib import Path

import hypothesis_graphql
from graphql import IntValueNode, StringValueNode, build_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode

SCHEMA = (Path(__file__).parent.parent / "schema.graphql").read_text(encoding="utf-8")
FUZZ_EXAMPLES = int(os.environ.get("DOORSTEP_FUZZ_EXAMPLES", "60"))
MASKED = "Internal server error."
CALLERS = (None, "admin", "station", "provider", "town")
TYPES = (
    "Town",
    "Station",
    "Service",
    "Provider",
    "Category",
    "Order",
    "Demand",
    "Project",
    "Resource",
    "User",
)


def text(values: st.SearchStrategy[str]) -> st.SearchStrategy[StringValueNode]:
    return values.map(lambda value: StringValueNode(value=value))


def global_ids() -> st.SearchStrategy[str]:
    """Mostly well-formed Relay IDs: of rows that exist, rows that do not, numbers no column holds."""
    numbers = st.one_of(
        st.integers(1, 40), st.integers(2**31 - 2, 2**64), st.integers(-5, 0), st.text(max_size=8)
    )
    encoded = st.builds(
        lambda t, n: base64.b64encode(f"{t}:{n}".encode()).decode(), st.sampled_from(TYPES), numbers
    )
    return st.one_of(encoded, encoded, encoded, st.text(max_size=20))


def ints() -> st.SearchStrategy[IntValueNode]:
    """Mostly page-sized numbers (a random Int is far over the node limit and nothing would run), some extremes."""
    small = st.integers(-2, 30)
    return st.one_of(small, small, small, st.integers(-(2**31), 2**31 - 1)).map(
        lambda value: IntValueNode(value=str(value))
    )


SCALARS = {
    "ID": text(global_ids()),
    "Int": ints(),
    "Date": text(st.one_of(st.dates().map(str), st.text(max_size=12))),
    "DateTime": text(st.one_of(st.datetimes().map(lambda d: d.isoformat() + "+08:00"), st.text(max_size=25))),
    "Decimal": text(
        st.one_of(
            st.decimals(allow_nan=True, allow_infinity=True).map(str),
            st.sampled_from(["1e999999", "-1e999999", "1e-999999", "NaN", "sNaN", "0.001"]),
            st.text(max_size=10),
        )
    ),
}


SCHEMA_AST = build_schema(SCHEMA)


def _root_fields(root, mode: Mode) -> list[str]:
    """The root fields to fuzz: in NEGATIVE mode only those taking arguments, since an invalid
    document is made by breaking an argument (hypothesis-graphql refuses a field with none)."""
    if root is None:
        return []
    return sorted(name for name, field in root.fields.items() if mode is Mode.POSITIVE or field.args)


def documents(mode: Mode) -> st.SearchStrategy[str]:
    """One root field each: a document of many fails on the first problem and runs none of the rest."""
    return st.one_of(
        st.sampled_from(_root_fields(SCHEMA_AST.query_type, mode)).flatmap(
            lambda field: hypothesis_graphql.queries(
                SCHEMA, fields=[field], custom_scalars=SCALARS, mode=mode
            )
        ),
        st.sampled_from(_root_fields(SCHEMA_AST.mutation_type, mode)).flatmap(
            lambda field: hypothesis_graphql.mutations(
                SCHEMA, fields=[field], custom_scalars=SCALARS, mode=mode
            )
        ),
    )


async def fuzz(api, mode: Mode) -> None:
    loop = asyncio.get_running_loop()
    tokens = {caller: await api.token(caller) for caller in CALLERS if caller is not None}

    async def send(document: str, caller: str | None):
        headers = {"Authorization": f"Bearer {tokens[caller]}"} if caller else {}
        return await api.http.post("/graphql", json={"query": document}, headers=headers)

    # Hypothesis drives a synchronous test: it runs in a thread, each request on the app's loop.
    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(document=documents(mode), caller=st.sampled_from(CALLERS))
    def answers_without_faults(document: str, caller: str | None) -> None:
        response = asyncio.run_coroutine_threadsafe(send(document, caller), loop).result()
        answer = f"{document}\nas {caller}: {response.status_code} {response.text}"
        assert response.status_code < 500, answer
        errors = response.json().get("errors") or []
        assert all(error["message"] != MASKED for error in errors), answer

    await asyncio.to_thread(answers_without_faults)


async def test_valid_documents_never_fault(fresh_api):
    await fuzz(fresh_api, Mode.POSITIVE)


async def test_invalid_documents_never_fault(fresh_api):
    await fuzz(fresh_api, Mode.NEGATIVE)
