"""Who may see and do what: every authorization rule of doorstep, in one module.

Queries, mutations and subscriptions all ask here. Reading rules are statements of
the rows a viewer may see, so a list, a lookup by id and a row locked for a change
apply the same rule, and a hidden row answers exactly like a missing one. Acting
rules name the roles that may act; the order lifecycle table names, per step, the
side (station or provider) that takes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from models import (
    Case,
    Demand,
    DemandProposal,
    LedgerAccount,
    Meeting,
    Order,
    OrderStatus,
    Project,
    Provider,
    PublicationStatus,
    Redemption,
    Resource,
    Reward,
    Role,
    ScreenToken,
    Service,
    Station,
    Task,
    TaskEvent,
    TaskStatus,
    Town,
    User,
    Volunteer,
    WebhookAttempt,
    WebhookEndpoint,
)
from models.orders import RELEASED
from resolvers.context import Context, Viewer
from resolvers.errors import ClientError, NotAuthenticated
from resolvers.orders.deadlines import local_midnight, today

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


# What a wall screen's token may read, by entry point (a root field in snake_case; "export" for the
# file exports): its own board, its own feed and the labels it shows them with. Nothing else, and
# nothing it could change; inside them, the rules below show it its station's (or provider's) rows,
# never a resident's name or phone (`may_see_resident`).
SCREEN_READS = {
    "station": frozenset({"station_board", "station_feed", "labels"}),
    "provider": frozenset({"provider_board", "provider_inbox", "labels"}),
}
# Named by any operation, and telling nothing: the type of the root.
HARMLESS_ENTRY_POINTS = frozenset({"__typename"})


def screen_may_read(viewer: Viewer, entry_points: Iterable[str]) -> None:
    """Refuses a screen's request for anything but its board, its feed and labels (FORBIDDEN)."""
    if not viewer.is_screen:
        return
    allowed = SCREEN_READS["station" if viewer.station_id is not None else "provider"]
    refused = sorted(set(entry_points) - allowed - HARMLESS_ENTRY_POINTS)
    if refused:
        raise ClientError(
            f"A screen token reads its board, its live feed and labels only, not {', '.join(refused)}.",
            code="FORBIDDEN",
        )


def may_issue_screen_token(viewer: Viewer, station_id: int | None, provider_id: int | None) -> bool:
    """A station's screen tokens are issued (and revoked) by its staff and administrators; a provider's
    console tokens by its staff and administrators."""
    if viewer.is_admin:
        return True
    if station_id is not None:
        return viewer.role is Role.STATION_STAFF and viewer.station_id == station_id
    return (
        provider_id is not None and viewer.role is Role.PROVIDER_STAFF and viewer.provider_id == provider_id
    )


def visible_screen_tokens(viewer: Viewer) -> Select[Any]:
    """The screen tokens a viewer sees (never the token, only its hash is kept): those it may revoke."""
    stmt = select(ScreenToken)
    if viewer.is_admin:
        return stmt
    if viewer.role is Role.STATION_STAFF:
        return stmt.where(ScreenToken.station_id == viewer.station_id)
    if viewer.role is Role.PROVIDER_STAFF:
        return stmt.where(ScreenToken.provider_id == viewer.provider_id)
    return stmt.where(false())


def require_role(ctx: Context, *roles: Role) -> Viewer:
    """The viewer, who must be signed in and (when roles are given) hold one of them."""
    viewer = ctx.viewer
    if viewer.is_anonymous:
        raise NotAuthenticated("Sign in first: this needs an access token.")
    if roles and viewer.role not in roles:
        raise ClientError("Your role may not do this.", code="FORBIDDEN")
    return viewer


def _stations_of_town(town_id: int | None) -> Select[int]:
    return select(Station.id).where(Station.town_id == town_id)


def visible_entries(viewer: Viewer, model: type[Service] | type[Resource] | type[Project]) -> Select[Any]:
    """The catalog entries (services, resources, projects) the viewer may see.

    Everyone sees what is published; provider staff also see their own drafts and
    withdrawn entries; administrators see everything.
    """
    stmt = select(model)
    if viewer.is_admin:
        return stmt
    published = model.status == PublicationStatus.PUBLISHED
    if viewer.role is Role.PROVIDER_STAFF:
        return stmt.where(or_(published, model.provider_id == viewer.provider_id))
    return stmt.where(published)


def acts_for_provider(viewer: Viewer, provider_id: int) -> bool:
    """Whether the viewer acts for a provider: changes its entries, proposes them for demands."""
    return viewer.is_admin or provider_id == viewer.provider_id


def may_create_for_provider(viewer: Viewer, provider_id: int | None) -> bool:
    """Staff create entries of their own provider (named or left out); administrators of any."""
    return viewer.is_admin or provider_id is None or provider_id == viewer.provider_id


def creates_for_any_provider(viewer: Viewer) -> bool:
    """Administrators create entries for any provider, so they name it; staff create their own."""
    return viewer.is_admin


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
        return stmt.where(Demand.station_id.in_(_stations_of_town(viewer.town_id)))
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


def _of_stations_and_providers(
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
        return stmt.where(station_id.in_(_stations_of_town(viewer.town_id)))
    return stmt.where(false())


# Orders a board no longer shows once placed before today: nothing is owed on them any more.
OFF_THE_BOARD = (OrderStatus.EVALUATED, *RELEASED)


def visible_orders(viewer: Viewer) -> Select[Any]:
    """The orders the viewer may see: a station its own, a provider those addressed to it,
    a town those of its stations, an administrator all; anonymous callers none.

    A screen sees those its board can show, of its station or provider: the orders still under
    way (to answer, deliver, confirm or evaluate) and those placed today (its counts by status),
    never the station's past."""
    stmt = _of_stations_and_providers(viewer, select(Order), Order.station_id, Order.provider_id)
    if viewer.is_screen:
        return stmt.where(
            or_(Order.status.not_in(OFF_THE_BOARD), Order.created_at >= local_midnight(today()))
        )
    return stmt


def visible_meetings(viewer: Viewer) -> Select[Any]:
    """Meetings are seen by who sees their station's orders, and by the provider of their subject."""
    return _of_stations_and_providers(viewer, select(Meeting), Meeting.station_id, Meeting.provider_id)


def may_see_resident(viewer: Viewer, station_id: int, provider_id: int | None) -> bool:
    """A resident's name and phone are for the ordering station and the delivering provider only
    (a case has no provider: its station only), never for a wall screen (it has no role)."""
    if viewer.role is Role.STATION_STAFF:
        return viewer.station_id == station_id
    if viewer.role is Role.PROVIDER_STAFF:
        return viewer.provider_id == provider_id
    return False


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
        return stmt.where(Case.station_id.in_(_stations_of_town(viewer.town_id)))
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


def responsible_staff(provider_id: int) -> ColumnElement[bool]:
    """Who may be designated responsible for an order of a provider (指定责任制): its active staff."""
    return and_(User.role == Role.PROVIDER_STAFF, User.provider_id == provider_id, User.is_active)


def visible_users(viewer: Viewer) -> Select[Any]:
    """Administrators see every account; everyone else only their own; screens none."""
    stmt = select(User)
    if viewer.is_admin:
        return stmt
    if viewer.user_id is None:
        return stmt.where(false())
    return stmt.where(User.id == viewer.user_id)


def _of_stations(viewer: Viewer, stmt: Select[Any], station_id: Any) -> Select[Any]:
    """Rows of a station: its staff see its own, a town's staff those of its stations, administrators all."""
    if viewer.is_admin:
        return stmt
    if viewer.role is Role.STATION_STAFF:
        return stmt.where(station_id == viewer.station_id)
    if viewer.role is Role.TOWN_STAFF:
        return stmt.where(station_id.in_(_stations_of_town(viewer.town_id)))
    return stmt.where(false())


def visible_volunteers(viewer: Viewer) -> Select[Any]:
    """Volunteers are seen by their station's staff, its town's staff and administrators; a volunteer
    sees only their own profile."""
    if viewer.role is Role.VOLUNTEER:
        return select(Volunteer).where(Volunteer.user_id == viewer.user_id)
    return _of_stations(viewer, select(Volunteer), Volunteer.station_id)


def _skills_of(volunteer_id: int | None) -> Any:
    return select(Volunteer.skills).where(Volunteer.user_id == volunteer_id).scalar_subquery()


def open_tasks_for(viewer: Viewer) -> ColumnElement[bool]:
    """The tasks a volunteer may take: open, of their station, requiring no skill they lack."""
    return and_(
        Task.station_id == viewer.station_id,
        Task.status == TaskStatus.OPEN,
        Task.required_skills.contained_by(_skills_of(viewer.user_id)),
    )


def visible_tasks(viewer: Viewer) -> Select[Any]:
    """Tasks are seen by their station's staff, its town's staff and administrators. A volunteer sees the
    open tasks of their station they qualify for, and the tasks they hold or held (taken, done)."""
    if viewer.role is Role.VOLUNTEER:
        return select(Task).where(or_(Task.volunteer_id == viewer.user_id, open_tasks_for(viewer)))
    return _of_stations(viewer, select(Task), Task.station_id)


def visible_task_events(viewer: Viewer) -> Select[Any]:
    """A task's history is seen by whoever sees the task."""
    return select(TaskEvent).where(TaskEvent.task_id.in_(visible_tasks(viewer).with_only_columns(Task.id)))


def may_see_task_resident(viewer: Viewer, task: Any) -> bool:
    """The resident a task helps (name, phone, address) is for the station's staff, and for the volunteer
    while they hold the task: not while it is open to all, nor once it is done or they withdrew."""
    if viewer.role is Role.STATION_STAFF:
        return viewer.station_id == task.station_id
    if viewer.role is Role.VOLUNTEER:
        return task.volunteer_id == viewer.user_id and task.status in (
            TaskStatus.TAKEN,
            TaskStatus.IN_PROGRESS,
        )
    return False


def may_act_for_station(viewer: Viewer, station_id: int, town_id: int | None) -> bool:
    """Posting or cancelling a station's task: its staff, its town's staff, administrators (not its screen)."""
    return not viewer.is_screen and may_follow_station(viewer, station_id, town_id)


def acts_for_volunteer(viewer: Viewer, volunteer: Volunteer) -> bool:
    """Changing a volunteer (profile, deactivation, redeeming for them): the volunteer, their station's
    staff, administrators. Which of those a mutation admits is its own role list."""
    if viewer.role is Role.VOLUNTEER:
        return viewer.user_id == volunteer.user_id
    return viewer.is_admin or viewer.role is Role.STATION_STAFF and viewer.station_id == volunteer.station_id


def visible_ledger_accounts(viewer: Viewer) -> Select[Any]:
    """A volunteer sees their own account; stations theirs and their volunteers', towns their stations'."""
    if viewer.role is Role.VOLUNTEER:
        return select(LedgerAccount).where(LedgerAccount.volunteer_id == viewer.user_id)
    return _of_stations(viewer, select(LedgerAccount), LedgerAccount.station_id)


def visible_redemptions(viewer: Viewer) -> Select[Any]:
    """A volunteer sees their own redemptions; whoever sees a volunteer sees theirs."""
    volunteers = visible_volunteers(viewer).with_only_columns(Volunteer.user_id)
    return select(Redemption).where(Redemption.volunteer_id.in_(volunteers))


def visible_rewards(viewer: Viewer) -> Select[Any]:
    """The reward catalog is published: everyone sees the active rewards. Withdrawn ones are seen by
    who manages them (their station's staff; administrators all)."""
    stmt = select(Reward)
    if viewer.is_admin:
        return stmt
    manages = Reward.station_id == viewer.station_id if viewer.role is Role.STATION_STAFF else false()
    return stmt.where(or_(Reward.is_active, manages))


def may_manage_reward(viewer: Viewer, station_id: int | None) -> bool:
    """Administrators manage every reward (district-wide or a station's); station staff their station's."""
    # A station's volunteers and screens carry its station too: only its staff manage its rewards.
    return viewer.is_admin or (
        viewer.role is Role.STATION_STAFF and station_id is not None and station_id == viewer.station_id
    )


def may_follow_volunteer(viewer: Viewer, volunteer_id: int) -> bool:
    """A volunteer's own task feed is for that volunteer."""
    return viewer.role is Role.VOLUNTEER and viewer.user_id == volunteer_id


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


def not_visible(what: str) -> ClientError:
    """What a subscriber hears of a scope it may not follow: the same as of one that does not exist."""
    return ClientError(f"No such {what}, or not one you may follow.", code="NOT_FOUND")


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
        return station_id.in_(_stations_of_town(viewer.town_id))
    raise ClientError(f"Your role may not see the {unit} ranking.", code="FORBIDDEN")


def may_see_station_ratings(viewer: Viewer, station_id: int, town_id: int) -> bool:
    """A station's rating summary is for its staff, its town's staff and administrators."""
    return not viewer.is_screen and may_follow_station(viewer, station_id, town_id)


def may_see_provider_ratings(viewer: Viewer) -> bool:
    """A provider's rating summary is published to every signed-in staff account, as its ranking is."""
    return not viewer.is_anonymous and not viewer.is_screen and viewer.role is not Role.VOLUNTEER


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


def visible_webhook_endpoints(viewer: Viewer) -> Select[Any]:
    """A provider's staff see and manage their provider's endpoints, administrators all; nobody else any."""
    stmt = select(WebhookEndpoint)
    if viewer.is_admin:
        return stmt
    if viewer.role is Role.PROVIDER_STAFF:
        return stmt.where(WebhookEndpoint.provider_id == viewer.provider_id)
    return stmt.where(false())


def visible_webhook_attempts(viewer: Viewer) -> Select[Any]:
    """The delivery log of an endpoint is seen by whoever sees the endpoint."""
    endpoint_ids = visible_webhook_endpoints(viewer).with_only_columns(WebhookEndpoint.id)
    return select(WebhookAttempt).where(WebhookAttempt.endpoint_id.in_(endpoint_ids))


def may_register_webhooks_for(viewer: Viewer, provider_id: int | None) -> bool:
    """Staff register endpoints for their own provider (named or left out); administrators for any."""
    return (
        acts_for_provider(viewer, provider_id)
        if provider_id is not None
        else viewer.role is Role.PROVIDER_STAFF
    )
