"""Who sees cases and owns them (first inquiry, 首问责任制)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from models import (
    Case,
    Role,
    Station,
    User,
)
from resolvers.access.roles import stations_of_town
from resolvers.context import Viewer


def visible_cases(viewer: Viewer) -> Select[Any]:
    """The cases the viewer may see: a station its own, a town those of its stations, an
    administrator all. Providers see the orders and whistles a case became, never the case;
    anonymous callers see none."""
    stmt = select(Case)
    if viewer.is_admin:
        return stmt
    if viewer.role is Role.STATION_STAFF:
        return stmt.where(Case.station_id == viewer.station_id)
    if viewer.role is Role.TOWN_STAFF:
        return stmt.where(Case.station_id.in_(stations_of_town(viewer.town_id)))
    return stmt.where(false())


def owns_case(viewer: Viewer, owner_id: int) -> bool:
    """First-inquiry responsibility (首问责任制): the owner takes a case's steps until a hand-over
    names the next; administrators may act for anyone."""
    return viewer.is_admin or viewer.user_id == owner_id


def case_owners(station_id: int) -> ColumnElement[bool]:
    """Who may own a case of a station: the active staff of the station and of its town."""
    town = select(Station.town_id).where(Station.id == station_id).scalar_subquery()
    return and_(
        User.is_active,
        or_(
            and_(User.role == Role.STATION_STAFF, User.station_id == station_id),
            and_(User.role == Role.TOWN_STAFF, User.town_id == town),
        ),
    )
