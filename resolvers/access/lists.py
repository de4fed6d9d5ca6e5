"""Who sees and posts demands, and who sees providers' proposals for them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false, select

from models import (
    Demand,
    DemandProposal,
    Provider,
    Role,
    Station,
    Town,
)
from resolvers.access.roles import stations_of_town
from resolvers.context import Viewer


def posts_for_any_station(viewer: Viewer) -> bool:
    """Administrators post demands for any station, so they name it; station staff post their own."""
    return viewer.is_admin


def may_post_for_station(viewer: Viewer, station_id: int | None) -> bool:
    """Station staff post demands of their own station (named or left out); administrators of any."""
    return viewer.is_admin or station_id is None or station_id == viewer.station_id


def visible_demands(viewer: Viewer) -> Select[Any]:
    """The demands the viewer may see: a station its own, a town its stations',
    a provider those of its district (to answer them), an administrator all.
    Anonymous callers see none; a station's screen its station's (they are on its board).
    """
    stmt = select(Demand)
    if viewer.is_admin:
        return stmt
    if viewer.is_screen:
        return stmt.where(Demand.station_id == viewer.station_id)
    if viewer.role is Role.STATION_STAFF:
        return stmt.where(Demand.station_id == viewer.station_id)
    if viewer.role is Role.TOWN_STAFF:
        return stmt.where(Demand.station_id.in_(stations_of_town(viewer.town_id)))
    if viewer.role is Role.PROVIDER_STAFF:
        district = select(Provider.district_id).where(Provider.id == viewer.provider_id).scalar_subquery()
        stations = (
            select(Station.id).join(Town, Town.id == Station.town_id).where(Town.district_id == district)
        )
        return stmt.where(Demand.station_id.in_(stations))
    return stmt.where(false())


def visible_proposals(viewer: Viewer) -> Select[Any]:
    """Proposals are seen by whoever sees the demand they answer."""
    demand_ids = visible_demands(viewer).with_only_columns(Demand.id)
    return select(DemandProposal).where(DemandProposal.demand_id.in_(demand_ids))
