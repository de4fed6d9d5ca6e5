"""The floor: the benchmark's five reads as hand-written SQL over asyncpg, encoded by orjson.

What a read costs when nothing stands between the HTTP request and the database:
one statement per read, rows turned into the JSON shape doorstep answers (the
runner checks the two answers are equal before it measures), no GraphQL. It
serves the same POST /graphql bodies as doorstep and finds each read by the exact
text of its document, so it answers only the documents of `doorstep.bench.reads`,
as an anonymous viewer sees them (published entries only).

    DATABASE_URL=postgresql://… uvicorn doorstep.bench.floor:create_app --factory --workers 1
"""

from __future__ import annotations

import base64
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from doorstep.bench import reads

Handler = Callable[[Any, dict[str, Any]], Awaitable[dict[str, Any]]]
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
POOL_SIZE = 10  # doorstep's default DOORSTEP_POOL_SIZE


def global_id(type_name: str, row_id: int) -> str:
    return base64.b64encode(f"{type_name}:{row_id}".encode()).decode()


def row_id(value: Any, type_name: str) -> int | None:
    """The database id in a global ID of the type; None for anything else (answered as null)."""
    try:
        decoded = base64.b64decode(str(value)).decode()
    except ValueError:
        return None
    name, _, number = decoded.partition(":")
    return int(number) if name == type_name and number.isdigit() else None


CATALOG_SQL = """
SELECT s.id, s.name, s.tier, s.audiences, p.name AS provider, c.name AS category, pc.name AS parent
FROM services s
JOIN providers p ON p.id = s.provider_id
JOIN categories c ON c.id = s.category_id
LEFT JOIN categories pc ON pc.id = c.parent_id
WHERE s.status = 'PUBLISHED'
ORDER BY s.code, s.id LIMIT $1"""


async def catalog(connection: Any, variables: dict[str, Any]) -> dict[str, Any]:
    rows = await connection.fetch(CATALOG_SQL, variables["first"])
    nodes = [
        {
            "id": global_id("Service", row["id"]),
            "name": row["name"],
            "tier": row["tier"],
            "audiences": row["audiences"],
            "provider": {"name": row["provider"]},
            "category": {
                "name": row["category"],
                "parent": None if row["parent"] is None else {"name": row["parent"]},
            },
        }
        for row in rows
    ]
    return {"services": {"nodes": nodes}}


# One row per menu item (or one with null item columns when the menu is empty).
STATION_SQL = """
WITH station AS (
  SELECT st.name, st.opening_hours, t.district_id
  FROM stations st JOIN towns t ON t.id = st.town_id WHERE st.id = $1),
menu AS (
  SELECT s.id, s.name, s.tier, p.name AS provider, c.name AS category, count(*) OVER () AS total
  FROM services s
  JOIN providers p ON p.id = s.provider_id
  JOIN categories c ON c.id = s.category_id
  WHERE s.status = 'PUBLISHED' AND p.district_id = (SELECT district_id FROM station)
  ORDER BY s.code, s.id LIMIT $2)
SELECT station.name AS station, station.opening_hours::text AS hours, menu.*
FROM station LEFT JOIN menu ON true"""


async def station(connection: Any, variables: dict[str, Any]) -> dict[str, Any]:
    station_id = row_id(variables["id"], "Station")
    rows = await connection.fetch(STATION_SQL, station_id, variables["first"]) if station_id else []
    if not rows:
        return {"station": None}
    hours = sorted(orjson.loads(rows[0]["hours"]), key=lambda period: (period["day"], period["opens"]))
    items = [row for row in rows if row["id"] is not None]
    return {
        "station": {
            "name": rows[0]["station"],
            "openingHours": [
                {
                    "day": DAYS[period["day"] - 1],
                    "opensAt": period["opens"],
                    "closesAt": period["closes"],
                    "extended": period["extended"],
                }
                for period in hours
            ],
            "menu": {
                "totalCount": items[0]["total"] if items else 0,
                "nodes": [
                    {
                        "id": global_id("Service", row["id"]),
                        "name": row["name"],
                        "tier": row["tier"],
                        "provider": {"name": row["provider"]},
                        "category": {"name": row["category"]},
                    }
                    for row in items
                ],
            },
        }
    }


DIRECTORY_SQL = """
WITH town AS (SELECT id, code, name FROM towns ORDER BY code, id LIMIT $1)
SELECT town.id AS town, town.name AS town_name, counted.total, page.name, page.kind
FROM town
CROSS JOIN LATERAL (SELECT count(*) AS total FROM stations WHERE town_id = town.id) counted
LEFT JOIN LATERAL (
  SELECT name, kind, code, id FROM stations WHERE town_id = town.id ORDER BY code, id LIMIT $2) page ON true
ORDER BY town.code, town.id, page.code, page.id"""


async def directory(connection: Any, variables: dict[str, Any]) -> dict[str, Any]:
    towns: dict[int, dict[str, Any]] = {}
    for row in await connection.fetch(DIRECTORY_SQL, variables["towns"], variables["first"]):
        town = towns.get(row["town"])
        if town is None:
            stations: dict[str, Any] = {"totalCount": row["total"], "nodes": []}
            town = towns[row["town"]] = {"name": row["town_name"], "stations": stations}
        if row["name"] is not None:
            town["stations"]["nodes"].append({"name": row["name"], "kind": row["kind"]})
    return {"towns": {"nodes": list(towns.values())}}


# The search of `resolvers.search`: the GIN index finds the bigrams, LIKE rechecks the term.
SEARCH_LIST_SQL = """(
  SELECT '{table}' AS list, id, name, count(*) OVER () AS total,
    row_number() OVER (ORDER BY code, id) AS position
  FROM {table}
  WHERE status = 'PUBLISHED' AND search_vector @@ $1::tsquery
    AND lower(concat_ws(' ', coalesce(name, ''), coalesce(description, ''))) LIKE $2 ESCAPE '\\'
  ORDER BY code, id LIMIT $3)"""
SEARCH_LISTS = {"services": "Service", "projects": "Project", "resources": "Resource"}
SEARCH_SQL = (
    " UNION ALL ".join(SEARCH_LIST_SQL.format(table=table) for table in SEARCH_LISTS)
    + " ORDER BY list, position"
)


def search_condition(text: str) -> tuple[str, str]:
    """The tsquery of a term's bigrams and its LIKE pattern, for a search of one term."""
    term = text.lower().strip()
    grams = dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1)) or {term: None}
    query = " & ".join("'" + gram.replace("\\", "\\\\").replace("'", "''") + "'" for gram in grams)
    pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return query, pattern


async def search(connection: Any, variables: dict[str, Any]) -> dict[str, Any]:
    query, pattern = search_condition(variables["text"])
    lists: dict[str, dict[str, Any]] = {table: {"totalCount": 0, "nodes": []} for table in SEARCH_LISTS}
    for row in await connection.fetch(SEARCH_SQL, query, pattern, variables["first"]):
        found = lists[row["list"]]
        found["totalCount"] = row["total"]
        found["nodes"].append({"id": global_id(SEARCH_LISTS[row["list"]], row["id"]), "name": row["name"]})
    return lists


SERVICE_SQL = """
SELECT s.id, s.name, s.tier, s.audiences, s.delivery_modes, s.lead_time_days, s.consultable_on_spot,
  p.name AS provider, p.short_name, c.name AS category
FROM services s
JOIN providers p ON p.id = s.provider_id
JOIN categories c ON c.id = s.category_id
WHERE s.id = $1 AND s.status = 'PUBLISHED'"""


async def service_by_id(connection: Any, variables: dict[str, Any]) -> dict[str, Any]:
    service_id = row_id(variables["id"], "Service")
    row = await connection.fetchrow(SERVICE_SQL, service_id) if service_id else None
    if row is None:
        return {"service": None}
    return {
        "service": {
            "id": global_id("Service", row["id"]),
            "name": row["name"],
            "tier": row["tier"],
            "audiences": row["audiences"],
            "deliveryModes": row["delivery_modes"],
            "leadTimeDays": row["lead_time_days"],
            "consultableOnSpot": row["consultable_on_spot"],
            "provider": {"name": row["provider"], "shortName": row["short_name"]},
            "category": {"name": row["category"]},
        }
    }


PICK_SQL = """
SELECT (SELECT id FROM stations ORDER BY code, id LIMIT 1) AS station,
  (SELECT id FROM services WHERE status = 'PUBLISHED' ORDER BY code, id LIMIT 1) AS service"""


async def pick(connection: Any, variables: dict[str, Any]) -> dict[str, Any]:
    row = await connection.fetchrow(PICK_SQL)
    return {
        "stations": {"nodes": [{"id": global_id("Station", row["station"])}] if row["station"] else []},
        "services": {"nodes": [{"id": global_id("Service", row["service"])}] if row["service"] else []},
    }


HANDLERS: dict[str, Handler] = {
    reads.CATALOG: catalog,
    reads.STATION: station,
    reads.DIRECTORY: directory,
    reads.SEARCH: search,
    reads.SERVICE_BY_ID: service_by_id,
    reads.PICK: pick,
}


def json_response(content: dict[str, Any], status_code: int = 200) -> Response:
    return Response(orjson.dumps(content), status_code=status_code, media_type="application/json")


async def graphql(request: Request) -> Response:
    body = orjson.loads(await request.body())
    handler = HANDLERS.get(body.get("query"))
    if handler is None:
        return json_response({"errors": [{"message": "The floor answers only the benchmark's reads."}]}, 400)
    async with request.app.state.pool.acquire() as connection:
        data = await handler(connection, body.get("variables") or {})
    return json_response({"data": data})


async def health(request: Request) -> Response:
    return json_response({"status": "ok", "process": os.getpid()})


def asyncpg_dsn(url: str) -> str:
    """asyncpg's spelling of a SQLAlchemy URL (`postgresql+asyncpg://` → `postgresql://`)."""
    scheme, _, rest = url.partition("://")
    return f"{scheme.split('+')[0]}://{rest}"


def create_app() -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(
            asyncpg_dsn(os.environ["DATABASE_URL"]), min_size=1, max_size=POOL_SIZE
        )
        try:
            yield
        finally:
            await app.state.pool.close()

    return Starlette(
        routes=[Route("/graphql", graphql, methods=["POST"]), Route("/health", health, methods=["GET"])],
        lifespan=lifespan,
    )
