"""Who sees volunteers, their tasks and the time bank, and who acts for a station's volunteer work."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from models import (
    LedgerAccount,
    Redemption,
    Reward,
    Role,
    Task,
    TaskEvent,
    TaskStatus,
    Volunteer,
)
from resolvers.access.orders import may_follow_station
from resolvers.access.roles import stations_of_town
from resolvers.context import Viewer


def of_stations(viewer: Viewer, stmt: Select[Any], station_id: Any) -> Select[Any]:
    """Rows of a station: its staff see its own, a town's staff those of its stations, administrators all."""
    if viewer.is_admin:
        return stmt
    if viewer.role is Role.STATION_STAFF:
        return stmt.where(station_id == viewer.station_id)
    if viewer.role is Role.TOWN_STAFF:
        return stmt.where(station_id.in_(stations_of_town(viewer.town_id)))
    return stmt.where(false())


def visible_volunteers(viewer: Viewer) -> Select[Any]:
    """Volunteers are seen by their station's staff, its town's staff and administrators; a volunteer
    sees only their own profile."""
    if viewer.role is Role.VOLUNTEER:
        return select(Volunteer).where(Volunteer.user_id == viewer.user_id)
    return of_stations(viewer, select(Volunteer), Volunteer.station_id)


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
    return of_stations(viewer, select(Task), Task.station_id)


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
    return of_stations(viewer, select(LedgerAccount), LedgerAccount.station_id)


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
