"""Volunteers: registering them at a station, their skills and availability, and reading them.

A volunteer is an account of the VOLUNTEER role with a profile (`models.Volunteer`, keyed by
the account) and a time-bank account, all created in one transaction by station staff or an
administrator. The volunteer keeps their own skills and weekly availability up to date.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, delete, exists, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from models import DayPart, Role, Skill, Station, Task, TaskStatus, User, Volunteer, VolunteerAvailability
from resolvers.access import (
    VOLUNTEER_EDITORS,
    VOLUNTEER_REGISTRARS,
    acts_for_volunteer,
    require_role,
    visible_volunteers,
)
from resolvers.accounts import create_user
from resolvers.context import Context, Viewer
from resolvers.errors import Checks, ErrorCode, Refused, UserError
from resolvers.loading import among, by_id
from resolvers.pagination import Ordering, Page, PageRequest, paginate
from resolvers.search import search_terms
from resolvers.time_bank.ledger import open_volunteer_account

# At most this many weekly slots: seven days of three parts.
MAX_SLOTS = 21


@dataclass(frozen=True)
class Slot:
    """A weekly slot a volunteer is usually free in: an ISO weekday (1 Monday … 7 Sunday) and a part of it."""

    weekday: int
    day_part: DayPart


@dataclass(frozen=True)
class NewVolunteer:
    username: str
    password: str
    display_name: str
    phone: str
    is_party_member: bool
    skills: tuple[Skill, ...] = ()
    availability: tuple[Slot, ...] = ()
    station_id: int | None = None


def volunteer_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, Volunteer, visible_volunteers(ctx.viewer))


def availability_loader(ctx: Context) -> DataLoader[int, list[Slot]]:
    """A volunteer's weekly slots, in week order; one statement for any number of volunteers."""

    async def load(volunteer_ids: list[int]) -> list[list[Slot]]:
        stmt = (
            select(VolunteerAvailability)
            .where(among(VolunteerAvailability.volunteer_id, volunteer_ids))
            .order_by(VolunteerAvailability.weekday, VolunteerAvailability.day_part)
        )
        async with ctx.db.session() as session:
            rows = (await session.scalars(stmt)).all()
        slots: dict[int, list[Slot]] = {volunteer_id: [] for volunteer_id in volunteer_ids}
        parts = list(DayPart)
        for row in rows:
            slots[row.volunteer_id].append(Slot(row.weekday, row.day_part))
        return [sorted(slots[v], key=lambda s: (s.weekday, parts.index(s.day_part))) for v in volunteer_ids]

    return ctx.loaders.get("volunteer.availability", load)


def _check_profile(
    checks: Checks, skills: Sequence[Skill] | None, availability: Sequence[Slot] | None
) -> None:
    if skills is not None and len(set(skills)) != len(skills):
        checks.fail("skills", ErrorCode.INVALID, "`skills` lists a skill twice.")
    if availability is None:
        return
    if len(availability) > MAX_SLOTS or len(set(availability)) != len(availability):
        checks.fail("availability", ErrorCode.INVALID, "`availability` lists a slot twice.")
    for position, slot in enumerate(availability):
        if not 1 <= slot.weekday <= 7:
            checks.fail(
                ["availability", str(position), "weekday"],
                ErrorCode.OUT_OF_RANGE,
                "`weekday` is 1 (Monday) to 7 (Sunday).",
            )


async def _write_availability(session: AsyncSession, volunteer_id: int, availability: Sequence[Slot]) -> None:
    await session.execute(
        delete(VolunteerAvailability).where(VolunteerAvailability.volunteer_id == volunteer_id)
    )
    if availability:
        await session.execute(
            insert(VolunteerAvailability),
            [
                {"volunteer_id": volunteer_id, "weekday": s.weekday, "day_part": s.day_part}
                for s in availability
            ],
        )


def _station_of_registration(viewer: Viewer, checks: Checks, station_id: int | None) -> int | None:
    """Station staff register volunteers at their own station; administrators name the station."""
    if viewer.is_admin:
        if station_id is None:
            checks.fail("station_id", ErrorCode.REQUIRED, "Name the station the volunteer registers at.")
        return station_id
    if station_id is not None and station_id != viewer.station_id:
        checks.fail(
            "station_id", ErrorCode.NOT_PERMITTED, "You register volunteers at your own station only."
        )
    return viewer.station_id


async def register_volunteer(ctx: Context, new: NewVolunteer) -> Volunteer:
    """Create a volunteer's account, profile and time-bank account in one transaction."""
    viewer = require_role(ctx, *VOLUNTEER_REGISTRARS)
    checks = Checks()
    station_id = _station_of_registration(viewer, checks, new.station_id)
    checks.text("phone", new.phone, max_length=32)
    _check_profile(checks, new.skills, new.availability)
    checks.done()
    async with ctx.transaction() as session:
        if station_id is not None and await session.get(Station, station_id) is None:
            raise Refused(UserError(ErrorCode.NOT_FOUND, "No such station.", ["station_id"]))
        user = await create_user(
            session,
            username=new.username,
            password=new.password,
            display_name=new.display_name,
            role=Role.VOLUNTEER,
            phone=new.phone.strip(),
            station_id=station_id,
        )
        await session.flush()
        volunteer = Volunteer(
            user_id=user.id,
            station_id=user.station_id,
            is_party_member=new.is_party_member,
            skills=list(new.skills),
            registered_by_id=viewer.user_id,
        )
        session.add(volunteer)
        await session.flush()
        await _write_availability(session, user.id, new.availability)
        await open_volunteer_account(session, user.id, volunteer.station_id)
        await session.refresh(volunteer)
        return volunteer


async def _volunteer_to_change(session: AsyncSession, viewer: Viewer, volunteer_id: int) -> Volunteer:
    volunteer = await session.scalar(
        visible_volunteers(viewer)
        .where(Volunteer.user_id == volunteer_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if volunteer is None:
        raise Refused(UserError(ErrorCode.NOT_FOUND, "No such volunteer.", ["volunteer_id"]))
    if not acts_for_volunteer(viewer, volunteer):
        raise Refused(UserError(ErrorCode.NOT_PERMITTED, "Only the volunteer and their station change this."))
    return volunteer


async def update_volunteer(ctx: Context, volunteer_id: int, changes: dict[str, Any]) -> Volunteer:
    """Change a volunteer's skills and availability (the volunteer, their station, administrators) and
    party membership (their station and administrators); only the fields given change."""
    viewer = require_role(ctx, *VOLUNTEER_EDITORS)
    checks = Checks()
    for name in ("skills", "availability", "is_party_member"):
        if name in changes and changes[name] is None:
            checks.fail(name, ErrorCode.REQUIRED, f"`{name}` cannot be null; leave it out to keep it.")
    if "is_party_member" in changes and viewer.role is Role.VOLUNTEER:
        checks.fail("is_party_member", ErrorCode.NOT_PERMITTED, "Your station records party membership.")
    _check_profile(checks, changes.get("skills"), changes.get("availability"))
    checks.done()
    async with ctx.transaction() as session:
        volunteer = await _volunteer_to_change(session, viewer, volunteer_id)
        if "skills" in changes:
            volunteer.skills = list(changes["skills"])
        if "is_party_member" in changes:
            volunteer.is_party_member = changes["is_party_member"]
        if "availability" in changes:
            await _write_availability(session, volunteer_id, changes["availability"])
        volunteer.updated_at = func.now()
        await session.flush()
        await session.refresh(volunteer)
        return volunteer


async def set_volunteer_active(ctx: Context, volunteer_id: int, is_active: bool) -> Volunteer:
    """Deactivate (or reactivate) a volunteer's account: their station's staff and administrators.

    A volunteer holding a task (taken or in progress) is not deactivated: the task must be finished,
    withdrawn or cancelled first, so no task waits on someone who can no longer sign in.
    """
    viewer = require_role(ctx, *VOLUNTEER_REGISTRARS)
    async with ctx.transaction() as session:
        volunteer = await _volunteer_to_change(session, viewer, volunteer_id)
        if not is_active:
            held = await session.scalar(
                select(func.count())
                .select_from(Task)
                .where(
                    Task.volunteer_id == volunteer_id,
                    Task.status.in_((TaskStatus.TAKEN, TaskStatus.IN_PROGRESS)),
                )
            )
            if held:
                raise Refused(
                    UserError(
                        ErrorCode.NOT_PERMITTED,
                        f"The volunteer holds {held} task(s) not yet done: cancel them or let the volunteer "
                        "withdraw before deactivating the account.",
                        ["is_active"],
                    )
                )
        user = await session.get(User, volunteer_id, with_for_update=True, populate_existing=True)
        assert user is not None
        user.is_active = is_active
        volunteer.updated_at = func.now()
        await session.flush()
        await session.refresh(volunteer)
        return volunteer


class VolunteerOrderField(enum.Enum):
    REGISTERED_AT = "REGISTERED_AT"


def volunteer_ordering(
    field: VolunteerOrderField = VolunteerOrderField.REGISTERED_AT, descending: bool = True
) -> Ordering:
    return Ordering(
        key=f"volunteer.{field.name}",
        column=Volunteer.created_at,
        tiebreaker=Volunteer.user_id,
        descending=descending,
    )


@dataclass(frozen=True)
class VolunteerFilter:
    station_id: int | None = None
    town_id: int | None = None
    skills: tuple[Skill, ...] = ()
    is_party_member: bool | None = None
    is_active: bool | None = None
    available: Slot | None = None
    search: str | None = None


def volunteers_query(ctx: Context, f: VolunteerFilter) -> Select[Any]:
    stmt = visible_volunteers(ctx.viewer)
    if f.station_id is not None:
        stmt = stmt.where(Volunteer.station_id == f.station_id)
    if f.town_id is not None:
        stmt = stmt.where(Volunteer.station_id.in_(select(Station.id).where(Station.town_id == f.town_id)))
    if f.skills:
        stmt = stmt.where(Volunteer.skills.contains(list(f.skills)))
    if f.is_party_member is not None:
        stmt = stmt.where(Volunteer.is_party_member == f.is_party_member)
    if f.available is not None:
        stmt = stmt.where(
            exists().where(
                VolunteerAvailability.volunteer_id == Volunteer.user_id,
                VolunteerAvailability.weekday == f.available.weekday,
                VolunteerAvailability.day_part == f.available.day_part,
            )
        )
    terms = search_terms(f.search or "")
    if f.is_active is not None or terms:
        account = select(User.id).where(User.id == Volunteer.user_id)
        if f.is_active is not None:
            account = account.where(User.is_active == f.is_active)
        for term in terms:
            pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            account = account.where(
                or_(User.username.ilike(pattern, escape="\\"), User.display_name.ilike(pattern, escape="\\"))
            )
        stmt = stmt.where(and_(account.exists()))
    return stmt


async def list_volunteers(
    ctx: Context, f: VolunteerFilter, ordering: Ordering, page: PageRequest
) -> Page[Any]:
    require_role(ctx)
    return await paginate(ctx, volunteers_query(ctx, f), ordering, page)


def account_loader(ctx: Context) -> DataLoader[int, Any]:
    """The account of a volunteer the viewer already sees (`visible_volunteers`): who sees a volunteer
    sees their name, username, phone and whether they may sign in."""
    return by_id(ctx, User, select(User).where(User.role == Role.VOLUNTEER))
