"""How responses travel: JSON in UTF-8, characters as they are."""

from __future__ import annotations

import json


async def test_chinese_text_travels_as_utf8_without_escapes(api):
    response = await api.http.post(
        "/graphql", json={"query": '{ services(first: 5, filter: {search: "养老"}) { nodes { name } } }'}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    names = [n["name"] for n in json.loads(response.content.decode("utf-8"))["data"]["services"]["nodes"]]
    assert names and all("养老" in name for name in names), names
    assert "养老".encode() in response.content
    assert b"\\u" not in response.content
