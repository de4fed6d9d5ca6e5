"""The five reads the benchmark sends, as GraphQL documents with their variables.

Both targets receive the same request bodies: doorstep executes the document, the
floor app (`doorstep.bench.floor`) looks it up by its exact text and runs its own SQL.
The station and the service read by id are chosen once per run (`PICK`), the first
of each by code, so every request of a run reads the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CATALOG = """query Catalog($first: Int!) { services(first: $first) { nodes { id name tier audiences
  provider { name } category { name parent { name } } } } }"""

STATION = """query Station($id: ID!, $first: Int!) { station(id: $id) { name
  openingHours { day opensAt closesAt extended }
  menu(first: $first) { totalCount nodes { id name tier provider { name } category { name } } } } }"""

DIRECTORY = """query Directory($towns: Int!, $first: Int!) { towns(first: $towns) { nodes { name
  stations(first: $first) { totalCount nodes { name kind } } } } }"""

SEARCH = """query Search($text: String!, $first: Int!) {
  services(first: $first, filter: {search: $text}) { totalCount nodes { id name } }
  projects(first: $first, filter: {search: $text}) { totalCount nodes { id name } }
  resources(first: $first, filter: {search: $text}) { totalCount nodes { id name } } }"""

SERVICE_BY_ID = """query Service($id: ID!) { service(id: $id) { id name tier audiences deliveryModes
  leadTimeDays consultableOnSpot provider { name shortName } category { name } } }"""

PICK = """query Pick { stations(first: 1) { nodes { id } } services(first: 1) { nodes { id } } }"""


@dataclass(frozen=True)
class Read:
    name: str
    query: str
    variables: dict[str, Any]

    def body(self) -> dict[str, Any]:
        return {"query": self.query, "variables": self.variables}


def five_reads(station_id: str, service_id: str) -> list[Read]:
    """The reads of issue 8, in the order the table lists them."""
    return [
        Read("catalog page (20 services)", CATALOG, {"first": 20}),
        Read("station, hours, 10-item menu", STATION, {"id": station_id, "first": 10}),
        Read("directory (36 towns x 20)", DIRECTORY, {"towns": 36, "first": 20}),
        Read("search 养老 in three lists", SEARCH, {"text": "养老", "first": 20}),
        Read("service by id", SERVICE_BY_ID, {"id": service_id}),
    ]


def picked_ids(data: dict[str, Any]) -> tuple[str, str]:
    """The station and service ids out of the answer to `PICK`."""
    stations = data["stations"]["nodes"]
    services = data["services"]["nodes"]
    if not stations or not services:
        raise RuntimeError("the database holds no station or no published service: seed it first")
    return stations[0]["id"], services[0]["id"]
