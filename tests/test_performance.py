"""No N+1: nested queries make a bounded number of round trips to the database whatever their size.

Every round trip counts (tests/conftest.py `counting_statements`): statements, BEGIN and
ROLLBACK, pool pings. Each query runs once at both sizes before it is counted (`Api.warm`).
"""

from __future__ import annotations


async def test_services_with_provider_and_category_take_constant_statements(api):
    query = """query($first: Int) { services(first: $first) { nodes { name
        provider { name district { name } } category { name parent { name } } } } }"""
    await api.warm(query, {"first": 2}, {"first": 100})
    with api.counting_statements() as small:
        data = await api.data(query, {"first": 2})
    with api.counting_statements() as large:
        data = await api.data(query, {"first": 100})
    assert len(data["services"]["nodes"]) == 100
    assert len(large) == len(small) <= 5


async def test_towns_stations_demands_take_constant_statements(api):
    query = """query($towns: Int, $stations: Int) { towns(first: $towns) { totalCount nodes { name
        stations(first: $stations) { totalCount nodes { name town { name }
          demands(first: 3) { totalCount nodes { title category { name } station { name } } } } } } } }"""
    await api.token("admin")  # signing in is not part of the query being counted
    await api.warm(query, {"towns": 1, "stations": 1}, {"towns": 36, "stations": 100}, as_="admin")
    with api.counting_statements() as small:
        await api.data(query, {"towns": 1, "stations": 1}, as_="admin")
    with api.counting_statements() as large:
        data = await api.data(query, {"towns": 36, "stations": 100}, as_="admin")
    stations = [s for t in data["towns"]["nodes"] for s in t["stations"]["nodes"]]
    assert len(stations) > 1000
    assert sum(len(s["demands"]["nodes"]) for s in stations) > 100
    assert len(large) == len(small) <= 10


async def test_providers_with_their_three_catalogs_take_constant_statements(api):
    query = """query($first: Int) { providers(first: $first) { nodes { name
        services(first: 5) { totalCount nodes { name category { name } } }
        resources(first: 5) { totalCount nodes { name projects(first: 2) { nodes { name } } } }
        projects(first: 5) { totalCount nodes { name resources(first: 2) { nodes { name } } } } } } }"""
    await api.warm(query, {"first": 1}, {"first": 60})
    with api.counting_statements() as small:
        await api.data(query, {"first": 1})
    with api.counting_statements() as large:
        data = await api.data(query, {"first": 60})
    assert len(data["providers"]["nodes"]) == 60
    assert len(large) == len(small) <= 10


async def test_station_menus_for_many_stations_share_one_statement(api):
    query = """query($first: Int) { stations(first: $first) { nodes {
        menu(first: 5, filter: {tier: BASIC}) { totalCount nodes { name provider { name } } } } } }"""
    await api.warm(query, {"first": 1}, {"first": 100})
    with api.counting_statements() as small:
        await api.data(query, {"first": 1})
    with api.counting_statements() as large:
        data = await api.data(query, {"first": 100})
    assert all(s["menu"]["nodes"] for s in data["stations"]["nodes"])
    assert len(large) == len(small) <= 5


async def test_a_catalog_page_and_a_service_by_id_take_one_round_trip_per_statement(api):
    """The benchmark's reads: 9 and 8 round trips before reads ran in autocommit without pings,
    4 and 3 before a page (or a node by id) read the providers and categories its query shows
    with its own rows; `node(id:)` does not know the type it will find, and loads them after."""
    catalog = """query($first: Int!) { services(first: $first) { nodes { name tier audiences
        provider { name } category { name parent { name } } } } }"""
    by_id = """query($id: ID!) { node(id: $id) { ... on Service { name provider { name } category { name } } } }"""
    service = (await api.data("{ services(first: 1) { nodes { id } } }"))["services"]["nodes"][0]["id"]
    await api.warm(catalog, {"first": 20})
    await api.warm(by_id, {"id": service})
    with api.counting_statements() as page:
        await api.data(catalog, {"first": 20})
    with api.counting_statements() as one:
        await api.data(by_id, {"id": service})
    assert len(page) == 1, page
    assert len(one) == 3, one


async def test_a_batch_of_another_size_reuses_the_prepared_statements(api):
    """A batch filters with `= ANY($1)`, one statement text whatever the number of keys, so
    a warm server prepares nothing again for a batch of a size it has not seen."""
    query = """query($ids: [ID!]!) { nodes(ids: $ids) { ... on Service { name provider { name }
        category { name } } } }"""
    services = await api.data("{ services(first: 7) { nodes { id } } }")
    ids = [service["id"] for service in services["services"]["nodes"]]
    await api.warm(query, {"ids": ids[:3]})
    with api.counting_statements() as three:
        await api.data(query, {"ids": ids[:3]})
    with api.counting_statements() as seven:
        data = await api.data(query, {"ids": ids})
    assert len(data["nodes"]) == 7 and all(data["nodes"])
    assert len(seven) == len(three) == 3, (three, seven)


async def test_nested_pages_of_another_number_of_parents_reuse_the_prepared_statements(api):
    query = """query($first: Int) { towns(first: $first) { nodes {
        stations(first: 5) { totalCount nodes { name } } } } }"""
    await api.warm(query, {"first": 3})
    with api.counting_statements() as three:
        await api.data(query, {"first": 3})
    with api.counting_statements() as seven:
        data = await api.data(query, {"first": 7})
    assert all(town["stations"]["nodes"] for town in data["towns"]["nodes"])
    assert len(seven) == len(three) == 2, (three, seven)


async def test_each_benchmark_read_takes_at_most_three_round_trips(api):
    """The five reads of `doorstep bench`, as an anonymous screen sends them (issue 8: ≤ 3 each)."""
    from doorstep.bench import reads

    station, service = reads.picked_ids(await api.data(reads.PICK))
    counted = {}
    for read in reads.five_reads(station, service):
        await api.warm(read.query, read.variables)
        with api.counting_statements() as trips:
            data = await api.data(read.query, read.variables)
        assert data and all(value is not None for value in data.values()), data
        counted[read.name] = len(trips)
    assert counted == {
        # the page with its providers, categories and their parents (joined)
        "catalog page (20 services)": 1,
        # the station, then its menu counted and joined with providers and categories
        "station, hours, 10-item menu": 2,
        # the towns, then the pages of stations of all of them, counted in the same statement
        "directory (36 towns x 20)": 2,
        # a page of each list, counted in the same statement
        "search 养老 in three lists": 3,
        # the service with its provider and its category (joined)
        "service by id": 1,
    }


async def test_a_page_reads_only_the_columns_its_query_shows(api):
    """The directory's stations are read without their address, hours and facilities; a query
    that shows them, and a page past a cursor, read them and answer as the station itself does."""
    directory = "{ towns(first: 2) { nodes { name stations(first: 3) { nodes { name kind } } } } }"
    await api.warm(directory, {})
    with api.counting_statements() as trips:
        await api.data(directory)
    assert len(trips) == 2
    assert not any(column in trips[1] for column in ("address", "opening_hours", "facilities")), trips[1]

    fields = "id name kind address phone facilities openingHours { day opensAt closesAt extended }"
    first = await api.data(f"{{ stations(first: 2) {{ edges {{ cursor node {{ {fields} }} }} }} }}")
    cursor = first["stations"]["edges"][0]["cursor"]
    after = await api.data(
        f"query($c: String) {{ stations(first: 1, after: $c) {{ nodes {{ {fields} }} }} }}", {"c": cursor}
    )
    second = first["stations"]["edges"][1]["node"]
    assert after["stations"]["nodes"] == [second]
    alone = await api.data(f"query($id: ID!) {{ station(id: $id) {{ {fields} }} }}", {"id": second["id"]})
    assert alone["station"] == second
    assert second["address"] and second["facilities"] and second["openingHours"][0]["day"] == "MONDAY"
