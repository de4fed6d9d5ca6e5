"""The scale option: several districts of a city, each shaped like the demo district."""

from __future__ import annotations

import uuid

from doorstep import migrate
from doorstep.database import create_engine
from seeds import DEMO_FIGURES, load_demo
from tests.conftest import _api


async def test_two_districts_each_have_the_demo_figures(server):
    name = f"doorstep_scale_{uuid.uuid4().hex[:8]}"
    await server.execute(f'CREATE DATABASE "{name}"')
    server.created.append(name)
    engine = create_engine(server.url(name), pool_size=1)
    try:
        await migrate.upgrade(engine)
        async with engine.begin() as connection:
            await load_demo(connection, districts=2)
    finally:
        await engine.dispose()

    async for api in _api(server.url(name)):
        data = await api.data("{ districts { id code name } }")
        assert {d["name"] for d in data["districts"]} == {"浦东新区", "闵行区"}
        codes = [d["code"] for d in data["districts"]]
        assert codes == sorted(codes)
        query = """query($d: ID!) {
          towns(filter: {districtId: $d}) { totalCount }
          stations(filter: {districtId: $d}) { totalCount }
          services(filter: {districtId: $d}) { totalCount }
          resources(filter: {districtId: $d}) { totalCount }
          projects(filter: {districtId: $d}) { totalCount }
          providers(filter: {districtId: $d, kind: DEPARTMENT}) { totalCount } }"""
        for district in data["districts"]:
            counts = await api.data(query, {"d": district["id"]})
            assert counts["towns"]["totalCount"] == DEMO_FIGURES["towns"] == 36
            assert counts["stations"]["totalCount"] == DEMO_FIGURES["stations"] == 1285
            assert counts["services"]["totalCount"] == DEMO_FIGURES["services"] == 147
            assert counts["resources"]["totalCount"] == DEMO_FIGURES["resources"] == 1044
            assert counts["projects"]["totalCount"] == DEMO_FIGURES["projects"] == 965
            assert counts["providers"]["totalCount"] == DEMO_FIGURES["departments"] == 26


async def test_the_demo_station_and_provider_find_orders_in_every_state(server):
    name = f"doorstep_orders_{uuid.uuid4().hex[:8]}"
    await server.execute(f'CREATE DATABASE "{name}"')
    server.created.append(name)
    engine = create_engine(server.url(name), pool_size=1)
    try:
        await migrate.upgrade(engine)
        async with engine.begin() as connection:
            counts = await load_demo(connection, months=1)
    finally:
        await engine.dispose()
    assert 2000 < counts["orders"] < 5000

    async for api in _api(server.url(name)):
        query = """{ orders(first: 100) { totalCount nodes { id status nextActions
            history(first: 20) { nodes { action fromStatus toStatus } } } } }"""
        seen = {}
        for role in ("station", "provider", "admin"):
            orders = (await api.data(query, as_=role))["orders"]
            assert orders["totalCount"] > 10
            seen[role] = orders["nodes"]
        by_status = """query($s: [OrderStatus!]) { orders(filter: {status: $s}) { totalCount } }"""
        statuses = set()
        for status in ("SUBMITTED", "ACCEPTED", "DECLINED", "SCHEDULED", "IN_PROGRESS", "DELIVERED",
                       "COMPLETED", "EVALUATED", "CANCELLED"):  # fmt: skip
            if (await api.data(by_status, {"s": [status]}, as_="admin"))["orders"]["totalCount"]:
                statuses.add(status)
        assert statuses == {
            "SUBMITTED",
            "ACCEPTED",
            "DECLINED",
            "SCHEDULED",
            "IN_PROGRESS",
            "DELIVERED",
            "COMPLETED",
            "EVALUATED",
            "CANCELLED",
        }
        for order in seen["station"]:
            history = order["history"]["nodes"]
            assert history[0]["action"] == "PLACE" and history[-1]["toStatus"] == order["status"]
        submitted = next(o for o in seen["provider"] if o["status"] == "SUBMITTED")
        assert set(submitted["nextActions"]) == {"ACCEPT", "DECLINE"}
