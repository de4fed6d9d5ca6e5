"""Towns and stations: the places station screens and phone apps show."""

from __future__ import annotations


async def test_the_demo_district_has_36_towns_and_1285_stations(api):
    data = await api.data(
        """{ districts { name towns(first: 100) { totalCount } }
             towns(first: 1) { totalCount } stations(first: 1) { totalCount } }"""
    )
    assert data["districts"][0]["name"] == "浦东新区"
    assert data["districts"][0]["towns"]["totalCount"] == 36
    assert data["towns"]["totalCount"] == 36
    assert data["stations"]["totalCount"] == 1285


async def test_stations_of_every_town_add_up_and_belong_to_it(api):
    data = await api.data(
        """{ towns(first: 36) { nodes { id name stations(first: 5) { totalCount
             nodes { kind town { id } } } } } }"""
    )
    towns = data["towns"]["nodes"]
    assert sum(t["stations"]["totalCount"] for t in towns) == 1285
    for town in towns:
        assert all(s["town"]["id"] == town["id"] for s in town["stations"]["nodes"])
    kinds = {s["kind"] for t in towns for s in t["stations"]["nodes"]}
    assert "SERVICE_CENTER" in kinds or "RESIDENTIAL_COMMITTEE" in kinds


async def test_station_filters_by_kind_facility_hours_and_search(api):
    query = """query($filter: StationFilter) { stations(filter: $filter, first: 100) {
        totalCount nodes { name kind facilities address openingHours { day opensAt closesAt extended } } } }"""
    centers = (await api.data(query, {"filter": {"kind": "SERVICE_CENTER"}}))["stations"]
    assert centers["totalCount"] == 36
    clinics = (await api.data(query, {"filter": {"facility": "CLINIC"}}))["stations"]
    assert all("CLINIC" in s["facilities"] for s in clinics["nodes"])
    extended = (await api.data(query, {"filter": {"hasExtendedHours": True}}))["stations"]
    assert extended["totalCount"] > 0
    assert all(any(p["extended"] for p in s["openingHours"]) for s in extended["nodes"])
    regular = (await api.data(query, {"filter": {"hasExtendedHours": False}}))["stations"]
    assert regular["totalCount"] + extended["totalCount"] == 1285
    village = (await api.data(query, {"filter": {"search": "村"}}))["stations"]
    assert village["totalCount"] > 0
    assert all("村" in s["name"] or "村" in s["address"] for s in village["nodes"])


async def test_a_station_exposes_its_menu_of_published_services(api):
    station = (await api.data("{ stations(first: 1) { nodes { id } } }"))["stations"]["nodes"][0]
    query = """query($id: ID!) { station(id: $id) { name town { name district { name } }
        menu(first: 100, filter: {tier: BOTTOM_LINE}) { totalCount nodes { tier status } }
        all: menu(first: 1) { totalCount } } }"""
    data = (await api.data(query, {"id": station["id"]}))["station"]
    assert data["town"]["district"]["name"] == "浦东新区"
    assert data["all"]["totalCount"] == 147
    assert {s["tier"] for s in data["menu"]["nodes"]} == {"BOTTOM_LINE"}
    assert {s["status"] for s in data["menu"]["nodes"]} == {"PUBLISHED"}
    assert data["menu"]["totalCount"] == len(data["menu"]["nodes"])


async def test_opening_hours_are_ordered_from_monday(api):
    data = await api.data("{ stations(first: 20) { nodes { openingHours { day opensAt extended } } } }")
    order = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
    for station in data["stations"]["nodes"]:
        hours = station["openingHours"]
        assert hours
        keys = [(order.index(p["day"]), p["opensAt"]) for p in hours]
        assert keys == sorted(keys)
