"""Who acts in which role: the roles each kind of action admits, the viewer's scope, and the refusals shared by every rule."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from models import (
    Provider,
    Role,
    Station,
    Town,
)
from resolvers.context import Context, Viewer
from resolvers.errors import ClientError, NotAuthenticated

# Catalog entries (services, resources, projects) are edited by their provider's staff and administrators.
CATALOG_EDITORS = (Role.ADMIN, Role.PROVIDER_STAFF)


# Demands are posted and kept up by station staff, and by administrators for any station.
DEMAND_POSTERS = (Role.ADMIN, Role.STATION_STAFF)


# Providers answer demands with proposals; administrators for any provider.
PROPOSERS = (Role.ADMIN, Role.PROVIDER_STAFF)


# Stations order for their residents and record the hearings that decide what to order.
ORDERERS = (Role.STATION_STAFF,)


# The order lifecycle's two sides: the steps of the provider, and those of the station.
PROVIDER_SIDE = frozenset({Role.PROVIDER_STAFF, Role.ADMIN})


STATION_SIDE = frozenset({Role.STATION_STAFF, Role.ADMIN})


# Town staff supervise (督办) the orders and cases of their stations.
SUPERVISORS = frozenset({Role.TOWN_STAFF})


# Cases are received, handed over and closed by station and town staff (whoever owns them), and
# by administrators.
CASE_HANDLERS = frozenset({Role.STATION_STAFF, Role.TOWN_STAFF, Role.ADMIN})


# Whistles (吹哨) are blown by station staff, calling a department in.
WHISTLERS = (Role.STATION_STAFF,)


# Providers' staff register webhooks to their own systems for their orders; administrators for any provider.
WEBHOOK_OWNERS = (Role.ADMIN, Role.PROVIDER_STAFF)


# Accounts, providers and the category taxonomy are managed by administrators.
MANAGERS = (Role.ADMIN,)


# The scope an account of each role is tied to: (name of the scope's id, the table it names).
SCOPE_OF_ROLE: dict[Role, tuple[str, type[Any]] | None] = {
    Role.ADMIN: None,
    Role.TOWN_STAFF: ("town_id", Town),
    Role.STATION_STAFF: ("station_id", Station),
    Role.PROVIDER_STAFF: ("provider_id", Provider),
    Role.VOLUNTEER: ("station_id", Station),
}


# Volunteers are registered and deactivated by their station's staff, and by administrators.
VOLUNTEER_REGISTRARS = (Role.ADMIN, Role.STATION_STAFF)


# A volunteer edits their own skills and availability; their station's staff and administrators too.
VOLUNTEER_EDITORS = (Role.ADMIN, Role.STATION_STAFF, Role.VOLUNTEER)


# Tasks are posted (社区派单) by a station, by its town's staff, and by administrators.
TASK_POSTERS = (Role.ADMIN, Role.TOWN_STAFF, Role.STATION_STAFF)


# The task lifecycle's sides: volunteers take, withdraw and start; the station confirms;
# the station, its town and administrators cancel.
VOLUNTEER_SIDE = frozenset({Role.VOLUNTEER})


TASK_CANCELLERS = frozenset({Role.ADMIN, Role.TOWN_STAFF, Role.STATION_STAFF})


# Rewards of the time bank are published by administrators (district-wide) and station staff (their station).
REWARD_MANAGERS = (Role.ADMIN, Role.STATION_STAFF)


# Points are redeemed by the volunteer, or by their station's staff for them (代办).
REDEEMERS = (Role.VOLUNTEER, Role.STATION_STAFF)


def require_role(ctx: Context, *roles: Role) -> Viewer:
    """The viewer, who must be signed in and (when roles are given) hold one of them."""
    viewer = ctx.viewer
    if viewer.is_anonymous:
        raise NotAuthenticated("Sign in first: this needs an access token.")
    if roles and viewer.role not in roles:
        raise ClientError("Your role may not do this.", code="FORBIDDEN")
    return viewer


def stations_of_town(town_id: int | None) -> Select[int]:
    return select(Station.id).where(Station.town_id == town_id)


def not_visible(what: str) -> ClientError:
    """What a subscriber hears of a scope it may not follow: the same as of one that does not exist."""
    return ClientError(f"No such {what}, or not one you may follow.", code="NOT_FOUND")


# The scope of anonymous callers: everyone sees the same published rows.
PUBLIC_SCOPE = "public"


def response_scope(viewer: Viewer) -> str:
    """Who may be answered with a response cached for this viewer: the same scope, and no one else.

    Anonymous callers share one scope. A signed-in viewer's rows depend on the account
    (its own user row, drafts of its provider, demands and orders of its station), so
    each account is a scope of its own, with its role and ties in the key: an account
    moved to another station or role starts afresh.
    """
    if viewer.is_anonymous:
        return PUBLIC_SCOPE
    if viewer.is_screen:
        return f"screen:{viewer.screen_id}:{viewer.station_id}:{viewer.provider_id}"
    role = viewer.role.value if viewer.role else ""
    return f"account:{viewer.user_id}:{role}:{viewer.town_id}:{viewer.station_id}:{viewer.provider_id}"
