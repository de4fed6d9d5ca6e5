"""Access tokens: issuing and reading them, and who a request or a socket comes from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from doorstep.settings import Settings
from models import User
from resolvers.context import Viewer
from resolvers.errors import NotAuthenticated
from resolvers.loading import among
from resolvers.screens import is_screen_token, viewer_from_screen_token

TOKEN_ALGORITHM = "HS256"


TOKEN_ISSUER = "doorstep"


def issue_token(settings: Settings, user: User) -> tuple[str, datetime]:
    expires_at = datetime.now(UTC) + timedelta(minutes=settings.token_ttl_minutes)
    claims = {"sub": str(user.id), "iss": TOKEN_ISSUER, "exp": expires_at, "iat": datetime.now(UTC)}
    return jwt.encode(claims, settings.secret_key, algorithm=TOKEN_ALGORITHM), expires_at


def user_id_from_token(settings: Settings, token: str) -> int:
    return token_claims(settings, token)[0]


def token_claims(settings: Settings, token: str) -> tuple[int, datetime]:
    """The user a valid token stands for, and when it expires."""
    try:
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[TOKEN_ALGORITHM],
            issuer=TOKEN_ISSUER,
            options={"require": ["exp", "sub", "iss"]},
        )
        return int(claims["sub"]), datetime.fromtimestamp(claims["exp"], UTC)
    except jwt.ExpiredSignatureError:
        raise NotAuthenticated("The access token has expired; sign in again.") from None
    except (jwt.InvalidTokenError, ValueError):
        raise NotAuthenticated("The access token is invalid.") from None


def viewer_of(user: User) -> Viewer:
    return Viewer(
        user_id=user.id,
        role=user.role,
        town_id=user.town_id,
        station_id=user.station_id,
        provider_id=user.provider_id,
    )


def token_expiry(settings: Settings, token: str) -> datetime | None:
    """When a valid bearer token stops working: an access token's expiry; a screen token's never
    (it is revoked instead)."""
    return None if is_screen_token(token) else token_claims(settings, token)[1]


async def viewer_from_token(session: AsyncSession, settings: Settings, token: str) -> Viewer:
    """The viewer a bearer token (an access token or a screen token) stands for, read afresh so a
    deactivation or a revocation takes effect at once."""
    if is_screen_token(token):
        return await viewer_from_screen_token(session, token)
    user = await session.get(User, user_id_from_token(settings, token))
    if user is None or not user.is_active:
        raise NotAuthenticated("The access token is invalid.")
    return viewer_of(user)


async def current_viewer(session: AsyncSession, user_id: int) -> Viewer | None:
    """The viewer an account stands for now; None once it is deactivated (or gone)."""
    found = await current_viewers(session, [user_id])
    return found[0] if found else None


async def current_viewers(session: AsyncSession, user_ids: list[int]) -> list[Viewer]:
    """The viewers the active ones of these accounts stand for now."""
    users = await session.scalars(select(User).where(among(User.id, user_ids), User.is_active))
    return [viewer_of(user) for user in users]


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Send the access token as `Authorization: Bearer <token>`.")
    return token.strip()
