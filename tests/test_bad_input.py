"""Bad input is refused with a clear error before it reaches the database: never a 500, never a fault."""

from __future__ import annotations

import pytest

from tests.catalog_steps import CREATE_RESOURCE, categories, resource_input
from tests.helpers import global_id, scalar
from tests.order_steps import PLACE, ordered_services, place_input

TOO_BIG = 2**31  # one past PostgreSQL's integer
MASKED = "Internal server error."


def assert_clear(body: dict, code: str) -> None:
    assert body.get("errors"), body
    error = body["errors"][0]
    assert error["message"] != MASKED and error["extensions"]["code"] == code, body


@pytest.mark.parametrize("number", [TOO_BIG, 2**63, 10**30, 0])
async def test_an_id_number_outside_the_column_is_not_found(api, number):
    for type_name, query in (
        ("Station", "query($id: ID!) { station(id: $id) { id } }"),
        ("Order", "query($id: ID!) { order(id: $id) { id } }"),
    ):
        data = await api.data(query, {"id": global_id(type_name, number)}, as_="admin")
        assert next(iter(data.values())) is None
    nodes = await api.data(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [global_id("Town", number)]}
    )
    assert nodes["nodes"] == [None]


async def test_a_filter_by_an_id_outside_the_column_matches_nothing_or_is_refused(api):
    query = "query($p: ID!) { services(first: 5, filter: { providerId: $p }) { totalCount } }"
    body = await api.post(query, {"p": global_id("Provider", TOO_BIG)})
    assert_clear(body, "NOT_FOUND")


async def test_placing_an_order_of_an_id_outside_the_column_is_refused(fresh_api):
    service = (await ordered_services(fresh_api))[0]
    body = await fresh_api.post(
        PLACE, {"input": place_input(service, serviceId=global_id("Service", TOO_BIG))}, as_="station"
    )
    assert_clear(body, "NOT_FOUND")
    assert await scalar(fresh_api, "SELECT count(*) FROM orders") == 0


@pytest.mark.parametrize(
    "quantity", ["1e999999", "-1e999999", "NaN", "Infinity", "1e-999999", "12345678901234567890.5"]
)
async def test_a_decimal_beyond_its_column_is_a_user_error(fresh_api, quantity):
    category_id = (await categories(fresh_api))["education.culture"]["id"]
    before = await scalar(fresh_api, "SELECT count(*) FROM resources")
    created = await fresh_api.post(
        CREATE_RESOURCE, {"input": resource_input(category_id, quantity=quantity)}, as_="provider"
    )
    assert "errors" not in created, created
    payload = created["data"]["createResource"]
    assert payload["resource"] is None
    assert {(e["code"], tuple(e["field"])) for e in payload["userErrors"]} <= {
        ("OUT_OF_RANGE", ("input", "quantity")),
        ("INVALID", ("input", "quantity")),
    } and payload["userErrors"], payload
    assert await scalar(fresh_api, "SELECT count(*) FROM resources") == before


async def test_an_id_that_is_no_number_is_invalid(api):
    for node_id in ("-1", "²", "1.5", ""):
        body = await api.post(
            "query($id: ID!) { station(id: $id) { id } }", {"id": global_id("Station", node_id)}
        )
        assert_clear(body, "INVALID_ID")


async def test_an_int_beyond_32_bits_is_refused_by_its_type(api):
    body = await api.post("query($n: Int) { towns(first: $n) { totalCount } }", {"n": 2**31})
    assert body["errors"][0]["message"] == (
        "Variable '$n' has invalid value: Int cannot represent non 32-bit signed integer value: 2147483648"
    )
    body = await api.post("{ towns(first: 99999999999) { totalCount } }")
    assert body["errors"][0]["message"] == "Int cannot represent non 32-bit signed integer value: 99999999999"


def assert_request_error(response, status: int, code: str, message: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == code
    assert message in body["errors"][0]["message"], body


NOT_A_REQUEST = "The body must be a JSON object with `query`"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'"{ towns { totalCount } }"', NOT_A_REQUEST),
        (b'[{"query": "{ towns(first: 1) { totalCount } }"}]', NOT_A_REQUEST),
        (b"null", NOT_A_REQUEST),
        (b"42", NOT_A_REQUEST),
        (b"[" * 100_000 + b"]" * 100_000, "The body is not valid JSON: depth limit exceeded"),
        (b'{"query": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "The body is not valid JSON"),
        (b'{"query": "{ towns { totalCount } }"', "The body is not valid JSON"),
        (b"\xff\xfe", "The body is not valid JSON"),
        (b"", "The body is not valid JSON"),
        (b'{"query": 42}', "The body's `query` must be a string"),
        (b'{"variables": {}}', "The body's `query` must be a string"),
        (b'{"query": "{ viewer { id } }", "variables": [1]}', "The body's `variables` must be an object"),
        (
            b'{"query": "{ viewer { id } }", "operationName": 7}',
            "The body's `operationName` must be a string",
        ),
        (b'{"query": "{ viewer { id } }", "extensions": "x"}', "The body's `extensions` must be an object"),
    ],
)
async def test_a_malformed_body_is_a_400_with_a_graphql_error(api, body, message):
    response = await api.http.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    assert_request_error(response, 400, "BAD_REQUEST", message)


async def test_a_persisted_query_may_leave_out_its_text(api):
    # Automatic persisted queries send a hash instead of the text; the GraphQL view answers them.
    body = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}}
    response = await api.http.post("/graphql", json=body)
    assert "The body's `query` must be a string" not in response.text


async def test_deeply_nested_variables_are_refused_not_a_fault(api):
    deep = b"[" * 1000 + b'"VG93bjox"' + b"]" * 1000  # as deep as the JSON parser takes
    body = (
        b'{"query": "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", "variables": {"ids": ' + deep + b"}}"
    )
    response = await api.http.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    assert [e["message"] for e in response.json()["errors"]] == ["Variable values are nested too deeply."]


async def test_a_body_over_the_size_limit_is_refused_unread_with_413(api):
    padding = " " * 1_000_001
    response = await api.http.post("/graphql", json={"query": "{ viewer { id } }" + padding})
    assert_request_error(response, 413, "REQUEST_TOO_LARGE", "larger than the limit of 1,000,000 bytes")
    # Without a Content-Length the reading stops at the limit too.

    async def chunks():
        for _ in range(11):
            yield b" " * 100_000

    response = await api.http.post("/graphql", content=chunks(), headers={"Content-Type": "application/json"})
    assert_request_error(response, 413, "REQUEST_TOO_LARGE", "larger than the limit")
    # Just under the limit is read.
    fits = {"query": "{ viewer { id } }" + " " * 999_000}
    assert (await api.http.post("/graphql", json=fits)).json() == {
        "data": {"viewer": None},
        "extensions": {"cost": {"requestedNodes": 0, "actualNodes": 0, "maximumNodes": 50000}},
    }


async def test_transport_refusals_are_graphql_errors_too(api):
    response = await api.http.post("/graphql", content=b"query=x", headers={"Content-Type": "text/plain"})
    assert_request_error(response, 400, "BAD_REQUEST", "Send the operation as JSON")
    response = await api.http.get(
        "/graphql", params={"query": 'mutation { login(input: {username: "a", password: "b"}) { token } }'}
    )
    assert_request_error(response, 405, "METHOD_NOT_ALLOWED", "Mutations are sent with POST, not GET.")


TWO_OPERATIONS = "query A { towns(first: 1) { totalCount } } query B { districts { name } }"


async def test_several_operations_need_an_operation_name(api):
    body = await api.post(TWO_OPERATIONS)
    assert body.get("data") is None
    assert [e["message"] for e in body["errors"]] == [
        "Must provide operation name if query contains multiple operations."
    ]
    unknown = await api.http.post("/graphql", json={"query": TWO_OPERATIONS, "operationName": "C"})
    assert_request_error(unknown, 400, "BAD_REQUEST", 'Unknown operation named "C".')
    chosen = await api.http.post("/graphql", json={"query": TWO_OPERATIONS, "operationName": "B"})
    assert list(chosen.json()["data"]) == ["districts"]
