"""What each viewer's statistics and rankings count, and what anonymous callers see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement

from models import (
    Order,
    Role,
)
from resolvers.access.cases import visible_cases
from resolvers.access.lists import visible_demands
from resolvers.access.orders import may_follow_station, visible_meetings, visible_orders
from resolvers.access.roles import stations_of_town
from resolvers.access.volunteers import visible_tasks
from resolvers.context import Viewer
from resolvers.errors import ClientError, NotAuthenticated

# Statistics (resolvers.statistics): what each viewer's figures count, and what anonymous callers see.
STATISTICS_SOURCES = {
    "orders": visible_orders,
    "demands": visible_demands,
    "hearings": visible_meetings,
    "cases": visible_cases,
    "tasks": visible_tasks,
}


# The figures the district publishes (counts, satisfaction, the resolution rate): all anonymous callers
# see, and only over the whole district (or city) and periods, never per town, station or provider.
PUBLIC_FIGURES = frozenset(
    {
        "placed",
        "accepted",
        "declined",
        "cancelled",
        "delivered",
        "completed",
        "evaluated",
        "by_status",
        "mean_satisfaction",
        "posted",
        "matched",
        "resolved",
        "resolution_rate",
        "held",
        "approved",
        "rejected",
        "received",
        "by_case_status",
    }
)


PUBLIC_DIMENSIONS = frozenset({"district"})


def statistics_scope(viewer: Viewer, source: str) -> ColumnElement[bool] | None:
    """The rows of a source (orders, demands, hearings) a viewer's figures count: those the viewer
    may see (a provider its own orders, town staff their town's, an administrator all); for anonymous
    callers all of them, as they see only the published figures (`PUBLIC_FIGURES`) of whole districts."""
    if viewer.is_anonymous:
        return None
    if viewer.is_screen:
        raise ClientError("A screen token does not read statistics.", code="FORBIDDEN")
    return STATISTICS_SOURCES[source](viewer).whereclause


def check_statistics_dimensions(viewer: Viewer, dimensions: set[str]) -> None:
    """Anonymous callers group and filter by district and period only: never by a town, station,
    provider, category, tier or urgency, whose figures are not published."""
    if viewer.is_anonymous and not dimensions <= PUBLIC_DIMENSIONS:
        named = ", ".join(sorted(dimensions - PUBLIC_DIMENSIONS))
        raise NotAuthenticated(
            f"Sign in to group or filter statistics by {named}: anonymous callers see the published "
            "figures of whole districts only."
        )


def ranking_scope(
    viewer: Viewer, unit: str, station_id: Any = Order.station_id
) -> ColumnElement[bool] | None:
    """The rows (orders, cases or tasks, by their `station_id` column) a ranking (red and black
    lists) weighs, or FORBIDDEN.

    Providers are ranked district-wide for every signed-in account: the lists are published to
    stations and providers alike (Xinhong's 红黑榜), with aggregate figures only. Stations are
    ranked among their town for its town staff, among all for administrators; towns for
    administrators only."""
    if viewer.is_anonymous:
        raise NotAuthenticated("Sign in to see rankings.")
    if viewer.is_screen:
        raise ClientError("A screen token does not read rankings.", code="FORBIDDEN")
    if viewer.role is Role.VOLUNTEER:
        raise ClientError("Rankings are for staff, not volunteers.", code="FORBIDDEN")
    if unit == "provider" or viewer.is_admin:
        return None
    if unit == "station" and viewer.role is Role.TOWN_STAFF:
        return station_id.in_(stations_of_town(viewer.town_id))
    raise ClientError(f"Your role may not see the {unit} ranking.", code="FORBIDDEN")


def may_see_station_ratings(viewer: Viewer, station_id: int, town_id: int) -> bool:
    """A station's rating summary is for its staff, its town's staff and administrators."""
    return not viewer.is_screen and may_follow_station(viewer, station_id, town_id)


def may_see_provider_ratings(viewer: Viewer) -> bool:
    """A provider's rating summary is published to every signed-in staff account, as its ranking is."""
    return not viewer.is_anonymous and not viewer.is_screen and viewer.role is not Role.VOLUNTEER
