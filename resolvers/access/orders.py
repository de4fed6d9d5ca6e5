"""Who sees orders, meetings and residents' contact data, and who follows a station's or a provider's live orders."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from models import (
    Meeting,
    Order,
    OrderStatus,
    Role,
    User,
)
from models.orders import RELEASED
from resolvers.access.roles import not_visible, stations_of_town
from resolvers.context import Viewer
from resolvers.orders.deadlines import local_midnight, today


def of_stations_and_providers(
    viewer: Viewer, stmt: Select[Any], station_id: Any, provider_id: Any
) -> Select[Any]:
    """Rows of a station and a provider: a station sees its own, a provider those addressed to it,
    a town those of its stations, an administrator all, a screen those of its station or provider;
    anonymous callers none."""
    if viewer.is_admin:
        return stmt
    if viewer.is_screen:
        if viewer.station_id is not None:
            return stmt.where(station_id == viewer.station_id)
        return stmt.where(provider_id == viewer.provider_id)
    if viewer.role is Role.STATION_STAFF:
        return stmt.where(station_id == viewer.station_id)
    if viewer.role is Role.PROVIDER_STAFF:
        return stmt.where(provider_id == viewer.provider_id)
    if viewer.role is Role.TOWN_STAFF:
        return stmt.where(station_id.in_(stations_of_town(viewer.town_id)))
    return stmt.where(false())


# Orders a board no longer shows once placed before today: nothing is owed on them any more.
OFF_THE_BOARD = (OrderStatus.EVALUATED, *RELEASED)


def visible_orders(viewer: Viewer) -> Select[Any]:
    """The orders the viewer may see: a station its own, a provider those addressed to it,
    a town those of its stations, an administrator all; anonymous callers none.

    A screen sees those its board can show, of its station or provider: the orders still under
    way (to answer, deliver, confirm or evaluate) and those placed today (its counts by status),
    never the station's past."""
    stmt = of_stations_and_providers(viewer, select(Order), Order.station_id, Order.provider_id)
    if viewer.is_screen:
        return stmt.where(
            or_(Order.status.not_in(OFF_THE_BOARD), Order.created_at >= local_midnight(today()))
        )
    return stmt


def visible_meetings(viewer: Viewer) -> Select[Any]:
    """Meetings are seen by who sees their station's orders, and by the provider of their subject."""
    return of_stations_and_providers(viewer, select(Meeting), Meeting.station_id, Meeting.provider_id)


def may_see_resident(viewer: Viewer, station_id: int, provider_id: int | None) -> bool:
    """A resident's name and phone are for the ordering station and the delivering provider only
    (a case has no provider: its station only), never for a wall screen (it has no role)."""
    if viewer.role is Role.STATION_STAFF:
        return viewer.station_id == station_id
    if viewer.role is Role.PROVIDER_STAFF:
        return viewer.provider_id == provider_id
    return False


def responsible_staff(provider_id: int) -> ColumnElement[bool]:
    """Who may be designated responsible for an order of a provider (指定责任制): its active staff."""
    return and_(User.role == Role.PROVIDER_STAFF, User.provider_id == provider_id, User.is_active)


def may_follow_station(viewer: Viewer, station_id: int, town_id: int | None) -> bool:
    """A station's live feed and its board are for its own staff, its town's staff and administrators.

    Every live scope (this, `may_follow_provider`, `alert_scope`, a visible order) is one
    whose orders `visible_orders` shows the follower: live events are rendered with the
    order the broker read for all (`resolvers.orders.events.live_loaders`). A station's screen
    token follows its station."""
    if viewer.is_admin or viewer.role is Role.STATION_STAFF and viewer.station_id == station_id:
        return True
    if viewer.is_screen:
        return viewer.station_id == station_id
    return viewer.role is Role.TOWN_STAFF and town_id is not None and town_id == viewer.town_id


def may_follow_provider(viewer: Viewer, provider_id: int) -> bool:
    """A provider's inbox and its board are for its staff, its console's screen tokens and administrators."""
    if viewer.is_screen:
        return viewer.provider_id == provider_id
    return viewer.is_admin or viewer.role is Role.PROVIDER_STAFF and viewer.provider_id == provider_id


def alert_scope(viewer: Viewer) -> dict[str, int | None]:
    """The deadline alerts a viewer receives: those of its station, provider or town (all for admins).
    Volunteers see no order, so they receive no order alert (their account names a station)."""
    if viewer.role is Role.VOLUNTEER:
        raise not_visible("alerts")
    return {"station_id": viewer.station_id, "provider_id": viewer.provider_id, "town_id": viewer.town_id}
