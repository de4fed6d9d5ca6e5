"""Which hearing (听证会) an order rests on: a hearing's decision stands until a later one."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import HearingDecision, Meeting, MeetingKind, Order, Project, Service
from models.orders import RELEASED
from resolvers.context import Viewer
from resolvers.errors import ErrorCode, Refused, UserError
from resolvers.orders.deadlines import LOCAL_TIME


def hearing_decided(
    model: type[Service] | type[Project], identity: int | None, station_id: int | None
) -> ColumnElement[bool]:
    """Whether a hearing of the station decided on the subject (whose decision then stands)."""
    subject_column = Meeting.service_id if model is Service else Meeting.project_id
    return (
        select(Meeting.id)
        .where(
            subject_column == identity,
            Meeting.station_id == station_id,
            Meeting.kind == MeetingKind.HEARING,
            Meeting.decision.is_not(None),
        )
        .exists()
    )


async def hearing_for(
    session: AsyncSession, viewer: Viewer, named: int | None, subject: Service | Project, *, decided: bool
) -> int | None:
    """The hearing (听证会) the order is placed on, by the rule that a hearing's decision stands
    until a later one: the station's latest held hearing about the subject decides (planned
    ones decide nothing until their outcome is recorded).

    A latest hearing that rejected it stops every new order of it. An order rests on an
    approving hearing when it names one or the project requires the three meetings; the
    hearing must then be the latest, and authorizes as many orders as it names (declined
    and cancelled ones give theirs back). The latest hearing stays locked until the
    transaction ends, so concurrent placements count each other against it.
    """
    subject_column = Meeting.service_id if isinstance(subject, Service) else Meeting.project_id
    field = "service_id" if isinstance(subject, Service) else "project_id"
    # No hearing decided on it when the placement read its facts: nothing to lock or count (one
    # recorded since is later than this placement, whose transaction began before it).
    latest = (
        None
        if not decided and named is None
        else await session.scalar(
            select(Meeting)
            .where(
                subject_column == subject.id,
                Meeting.station_id == viewer.station_id,
                Meeting.kind == MeetingKind.HEARING,
                Meeting.decision.is_not(None),
            )
            .order_by(Meeting.held_at.desc(), Meeting.id.desc())
            .limit(1)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    required = isinstance(subject, Project) and subject.requires_three_meetings
    if named is not None:
        await _check_named_hearing(session, viewer, named, subject_column.key, subject.id)
        if latest is not None and latest.id != named:
            raise Refused(
                UserError(
                    ErrorCode.HEARING_SUPERSEDED,
                    f"A later hearing ({_day(latest)}) decided on it since; that decision stands.",
                    ["hearing_id"],
                )
            )
    elif latest is None:
        if required:
            raise Refused(
                UserError(
                    ErrorCode.HEARING_REQUIRED,
                    "This project requires the three meetings (三会): record a hearing (听证会) "
                    "where residents approve it first.",
                    [field],
                )
            )
        return None
    assert latest is not None  # the named hearing exists and is the latest
    if latest.decision is HearingDecision.REJECTED:
        raise Refused(
            UserError(
                ErrorCode.HEARING_REJECTED,
                f"Your residents rejected it at the hearing of {_day(latest)}; that decision stands until a "
                "later hearing approves it.",
                ["hearing_id" if named is not None else field],
            )
        )
    if named is None and not required:
        return None
    await _check_authorized(session, latest, "hearing_id" if named is not None else field)
    return latest.id


def _day(hearing: Meeting) -> str:
    return hearing.held_at.astimezone(LOCAL_TIME).date().isoformat()


async def _check_authorized(session: AsyncSession, hearing: Meeting, field: str) -> None:
    """Refuse an order beyond the number the approving hearing authorized."""
    authorized = hearing.orders_authorized or 0
    placed = (
        await session.execute(
            select(func.count()).where(Order.hearing_id == hearing.id, Order.status.not_in(RELEASED))
        )
    ).scalar_one()
    if placed >= authorized:
        raise Refused(
            UserError(
                ErrorCode.HEARING_USED_UP,
                f"The hearing of {_day(hearing)} authorized {authorized} order(s) and {placed} are placed on "
                "it; hold a new hearing to order more.",
                [field],
            )
        )


async def _check_named_hearing(
    session: AsyncSession, viewer: Viewer, hearing_id: int, subject_key: str, subject_id: int
) -> None:
    """The hearing a placement names must be one of the station's, about the subject."""
    hearing = await session.scalar(
        select(Meeting).where(
            Meeting.id == hearing_id,
            Meeting.kind == MeetingKind.HEARING,
            Meeting.station_id == viewer.station_id,
        )
    )
    if hearing is None:
        raise Refused(UserError(ErrorCode.NOT_FOUND, "No such hearing of your station.", ["hearing_id"]))
    if getattr(hearing, subject_key) != subject_id:
        raise Refused(
            UserError(ErrorCode.INVALID, "The hearing was about another service or project.", ["hearing_id"])
        )
    if hearing.decision is None:
        raise Refused(
            UserError(
                ErrorCode.HEARING_REQUIRED,
                "The hearing is planned and not yet held: record its outcome first.",
                ["hearing_id"],
            )
        )
