"""Screen tokens: read-only credentials of wall screens, issued, listed and revoked by their staff.

A token reads one station's board and feed (or one provider's inbox) and nothing else
(`resolvers.access.screen_may_read`). It is 256 random bits shown once; only its SHA-256
is kept, which is enough for a random secret (a password hash is slow because passwords
are guessable) and lets every request find its token with one indexed read. A revoked
token is refused from the next request on, and a socket that signed in with it is closed
at the next event it would receive (`resolvers.orders.events`).
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from models import Provider, ScreenToken, Station
from resolvers.access import may_issue_screen_token, require_role, visible_screen_tokens
from resolvers.context import Context, Viewer
from resolvers.errors import Checks, ErrorCode, NotAuthenticated, Refused, UserError
from resolvers.loading import among, by_id
from resolvers.pagination import Ordering, Page, PageRequest, paginate

# Tells a screen token from an access token (a JWT, which starts with "eyJ") at a glance.
SCREEN_TOKEN_PREFIX = "dss_"


def is_screen_token(token: str) -> bool:
    return token.startswith(SCREEN_TOKEN_PREFIX)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def viewer_of_screen(screen: ScreenToken) -> Viewer:
    return Viewer(screen_id=screen.id, station_id=screen.station_id, provider_id=screen.provider_id)


async def viewer_from_screen_token(session: AsyncSession, token: str) -> Viewer:
    """The screen a token stands for, read afresh so a revocation takes effect at once."""
    screen = await session.scalar(
        select(ScreenToken).where(
            ScreenToken.token_hash == token_hash(token), ScreenToken.revoked_at.is_(None)
        )
    )
    if screen is None:
        raise NotAuthenticated("The screen token is invalid or revoked.")
    return viewer_of_screen(screen)


async def current_screen_viewers(session: AsyncSession, screen_ids: list[int]) -> list[Viewer]:
    """The viewers the unrevoked ones of these screen tokens stand for now."""
    screens = await session.scalars(
        select(ScreenToken).where(among(ScreenToken.id, screen_ids), ScreenToken.revoked_at.is_(None))
    )
    return [viewer_of_screen(screen) for screen in screens]


@dataclass(frozen=True)
class IssuedScreenToken:
    screen: ScreenToken
    token: str


async def issue_screen_token(
    ctx: Context, name: str, station_id: int | None, provider_id: int | None
) -> IssuedScreenToken:
    """A new token for one station's screen or one provider's console; the token is answered only here."""
    viewer = require_role(ctx)
    checks = Checks()
    name = (name or "").strip()
    checks.text("name", name, max_length=100)
    if (station_id is None) == (provider_id is None):
        checks.fail("station_id", ErrorCode.REQUIRED, "Name one station (or one provider) the screen shows.")
    checks.done()
    if not may_issue_screen_token(viewer, station_id, provider_id):
        field, what = ("station_id", "station") if station_id is not None else ("provider_id", "provider")
        raise Refused(
            UserError(ErrorCode.NOT_PERMITTED, f"You may not issue screen tokens of that {what}.", [field])
        )
    token = SCREEN_TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with ctx.transaction() as session:
        scope, model = (station_id, Station) if station_id is not None else (provider_id, Provider)
        if await session.get(model, scope) is None:
            field = "station_id" if station_id is not None else "provider_id"
            raise Refused(UserError(ErrorCode.NOT_FOUND, f"No such {model.__name__.lower()}.", [field]))
        screen = ScreenToken(
            name=name,
            token_hash=token_hash(token),
            station_id=station_id,
            provider_id=provider_id,
            created_by_id=viewer.user_id,
        )
        session.add(screen)
        await session.flush()
        await session.refresh(screen)
        return IssuedScreenToken(screen=screen, token=token)


async def revoke_screen_token(ctx: Context, screen_id: int) -> ScreenToken:
    """Revoke a token: refused from its next request on, its open sockets closed at their next event."""
    viewer = require_role(ctx)
    async with ctx.transaction() as session:
        screen = await session.scalar(
            visible_screen_tokens(viewer).where(ScreenToken.id == screen_id).with_for_update()
        )
        if screen is None or not may_issue_screen_token(viewer, screen.station_id, screen.provider_id):
            raise Refused(UserError(ErrorCode.NOT_FOUND, "No such screen token.", ["screen_token_id"]))
        if screen.revoked_at is None:
            screen.revoked_at = func.now()
            screen.revoked_by_id = viewer.user_id
            await session.flush()
            await session.refresh(screen)
        return screen


@dataclass(frozen=True)
class ScreenTokenFilter:
    station_id: int | None = None
    provider_id: int | None = None


class ScreenTokenOrderField(enum.Enum):
    CREATED_AT = "CREATED_AT"


def screen_token_ordering(
    field: ScreenTokenOrderField = ScreenTokenOrderField.CREATED_AT, descending: bool = True
) -> Ordering:
    return Ordering(
        key=f"screen.{field.name}",
        column=ScreenToken.created_at,
        tiebreaker=ScreenToken.id,
        descending=descending,
    )


def screen_tokens_query(viewer: Viewer, f: ScreenTokenFilter) -> Select[Any]:
    stmt = visible_screen_tokens(viewer)
    if f.station_id is not None:
        stmt = stmt.where(ScreenToken.station_id == f.station_id)
    if f.provider_id is not None:
        stmt = stmt.where(ScreenToken.provider_id == f.provider_id)
    return stmt


async def list_screen_tokens(
    ctx: Context, f: ScreenTokenFilter, ordering: Ordering, page: PageRequest
) -> Page[ScreenToken]:
    viewer = require_role(ctx)
    return await paginate(ctx, screen_tokens_query(viewer, f), ordering, page)


def screen_token_loader(ctx: Context) -> DataLoader[int, Any]:
    """Screen tokens by id, as `visible_screen_tokens` shows them."""
    return by_id(ctx, ScreenToken, visible_screen_tokens(ctx.viewer))
