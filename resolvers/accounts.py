"""Accounts: passwords, access tokens, who a request comes from, and user management."""

from __future__ import annotations

import asyncio
import enum
import math
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Insert, Select, case, delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from doorstep.settings import Settings
from models import LoginThrottle, Role, User
from resolvers.access import MANAGERS, SCOPE_OF_ROLE, require_role, visible_users
from resolvers.context import Context, Viewer
from resolvers.errors import Checks, ErrorCode, NotAuthenticated, Refused, UserError
from resolvers.loading import among, by_id
from resolvers.pagination import Ordering, Page, PageRequest, paginate
from resolvers.screens import is_screen_token, viewer_from_screen_token
from resolvers.search import search_terms

TOKEN_ALGORITHM = "HS256"
# Failed sign-ins of one username from one address: after this many the pair waits
# FIRST_DELAY, after each further one twice as long, up to MAX_DELAY.
FREE_ATTEMPTS = 5
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)
FORGET_FAILURES_AFTER = timedelta(hours=24)
# Password hashes running at once, each in a thread (see verify_password).
HASHING_THREADS = 2
_slots: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = WeakKeyDictionary()
TOKEN_ISSUER = "doorstep"
MAX_PASSWORD_LENGTH = 200
MIN_PASSWORD_LENGTH = 8

hasher = PasswordHasher()
# Verifying against a real hash when the user does not exist keeps the answer's
# timing from telling which usernames exist.
_ABSENT_USER_HASH = hasher.hash("doorstep: no such user")


def hash_password(password: str) -> str:
    return hasher.hash(password)


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


@dataclass(frozen=True)
class SignedIn:
    user: User
    token: str
    expires_at: datetime


async def login(ctx: Context, username: str, password: str) -> SignedIn:
    """Sign in; wrong guesses from one address at one username wait longer and longer.

    Every refusal reads the same whether the username names an account or not, and costs
    the same: a password is verified against a dummy hash when there is no account.
    """
    checks = Checks()
    checks.text("username", username, max_length=64)
    checks.text("password", password, max_length=MAX_PASSWORD_LENGTH)
    checks.done()
    address = ctx.client_address[:64] or "unknown"
    async with ctx.db.session() as session:
        now: datetime = (await session.execute(select(func.now()))).scalar_one()
        throttle = await session.get(LoginThrottle, (username, address), populate_existing=True)
        user = await session.scalar(select(User).where(User.username == username))
        if user is not None:
            session.expunge(user)  # as read: the writes below commit without expiring it
    if throttle is not None and throttle.blocked_until is not None and throttle.blocked_until > now:
        wait = math.ceil((throttle.blocked_until - now).total_seconds())
        raise Refused(
            UserError(
                ErrorCode.TOO_MANY_ATTEMPTS,
                f"Too many failed sign-ins; try again in {wait} s.",
            )
        )
    verified = await verify_password(user.password_hash if user else _ABSENT_USER_HASH, password)
    if not verified:
        async with ctx.transaction() as session:
            await session.execute(_count_failure(username, address))
            await session.execute(
                delete(LoginThrottle).where(LoginThrottle.last_failed_at < func.now() - FORGET_FAILURES_AFTER)
            )
    elif throttle is not None:
        async with ctx.transaction() as session:
            await session.execute(
                delete(LoginThrottle).where(
                    LoginThrottle.username == username, LoginThrottle.address == address
                )
            )
    if user is None or not verified or not user.is_active:
        raise Refused(UserError(ErrorCode.INVALID_CREDENTIALS, "Wrong username or password."))
    token, expires_at = issue_token(ctx.settings, user)
    return SignedIn(user=user, token=token, expires_at=expires_at)


def _count_failure(username: str, address: str) -> Insert:
    """One more failed sign-in of the pair, in one statement so concurrent guesses all count.

    After FREE_ATTEMPTS failures the pair waits FIRST_DELAY, and each failure after that
    twice as long as the one before, up to MAX_DELAY. A pair that has
    not failed for FORGET_FAILURES_AFTER starts again from nothing.
    """
    table = LoginThrottle.__table__
    insert = pg_insert(table).values(
        username=username, address=address, failures=1, last_failed_at=func.now(), blocked_until=None
    )
    failures = case(
        (table.c.last_failed_at < func.now() - FORGET_FAILURES_AFTER, 1), else_=table.c.failures + 1
    )
    delay_seconds = func.least(
        FIRST_DELAY.total_seconds() * func.power(2, failures - FREE_ATTEMPTS), MAX_DELAY.total_seconds()
    )
    return insert.on_conflict_do_update(
        index_elements=[table.c.username, table.c.address],
        set_={
            "failures": failures,
            "last_failed_at": func.now(),
            "blocked_until": case(
                (failures >= FREE_ATTEMPTS, func.now() + func.make_interval(0, 0, 0, 0, 0, 0, delay_seconds)),
                else_=None,
            ),
        },
    )


def _hashing_slots() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    if loop not in _slots:
        _slots[loop] = asyncio.Semaphore(HASHING_THREADS)
    return _slots[loop]


async def verify_password(password_hash: str, password: str) -> bool:
    """Argon2 verification (about 0.1 to 0.25 s of CPU) in a thread, at most HASHING_THREADS at once.

    On the event loop, every sign-in would stall all other requests of the process for
    that long; the bound keeps a burst of sign-ins from taking every core as well.
    argon2-cffi releases the GIL while it hashes, so the loop runs on meanwhile.
    """

    def verify() -> bool:
        try:
            return hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    async with _hashing_slots():
        return await asyncio.to_thread(verify)


async def hash_password_off_loop(password: str) -> str:
    async with _hashing_slots():
        return await asyncio.to_thread(hash_password, password)


async def check_scope(
    session: AsyncSession, checks: Checks, role: Role, scope: dict[str, int | None]
) -> None:
    """A new account's scope (`town_id`, `station_id`, `provider_id`) must match its role and exist."""
    wanted = SCOPE_OF_ROLE[role]
    for name, value in scope.items():
        if wanted is not None and name == wanted[0]:
            if value is None:
                checks.fail(name, ErrorCode.REQUIRED, f"A {role.name} account needs `{name}`.")
            elif await session.get(wanted[1], value) is None:
                checks.fail(name, ErrorCode.NOT_FOUND, f"No such {wanted[1].__name__.lower()}.")
        elif value is not None:
            checks.fail(name, ErrorCode.INVALID, f"A {role.name} account takes no `{name}`.")


async def create_user(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    display_name: str,
    role: Role,
    phone: str | None = None,
    town_id: int | None = None,
    station_id: int | None = None,
    provider_id: int | None = None,
) -> User:
    """Create an account in the caller's transaction (used by the API and the CLI)."""
    checks = Checks()
    checks.text("username", username, max_length=64)
    checks.text("display_name", display_name, max_length=100)
    checks.text("phone", phone, max_length=32, required=False)
    checks.text("password", password, max_length=MAX_PASSWORD_LENGTH)
    if password and len(password) < MIN_PASSWORD_LENGTH:
        checks.fail(
            "password", ErrorCode.INVALID, f"Passwords have at least {MIN_PASSWORD_LENGTH} characters."
        )
    await check_scope(
        session, checks, role, {"town_id": town_id, "station_id": station_id, "provider_id": provider_id}
    )
    if username and await session.scalar(select(User.id).where(User.username == username)):
        checks.fail("username", ErrorCode.TAKEN, "That username is taken.")
    checks.done()
    user = User(
        username=username,
        password_hash=await hash_password_off_loop(password),
        display_name=display_name,
        phone=phone,
        role=role,
        town_id=town_id,
        station_id=station_id,
        provider_id=provider_id,
    )
    try:
        async with session.begin_nested():
            session.add(user)
    except IntegrityError:
        # Another request took the username between the check and the insert.
        raise Refused(UserError(ErrorCode.TAKEN, "That username is taken.", ["username"])) from None
    return user


def user_loader(ctx: Context) -> DataLoader[int, Any]:
    """Accounts by id: administrators see every account, others only their own."""
    return by_id(ctx, User, visible_users(ctx.viewer))


@dataclass(frozen=True)
class NewAccount:
    username: str
    password: str
    display_name: str
    role: Role
    phone: str | None = None
    town_id: int | None = None
    station_id: int | None = None
    provider_id: int | None = None


async def create_account(ctx: Context, account: NewAccount) -> User:
    require_role(ctx, *MANAGERS)
    if account.role is Role.VOLUNTEER:
        # A volunteer account without its profile and time-bank account would be half a volunteer.
        raise Refused(
            UserError(
                ErrorCode.INVALID,
                "Volunteers are registered with `register_volunteer`, which opens their profile and points account.",
                ["role"],
            )
        )
    async with ctx.transaction() as session:
        return await create_user(session, **asdict(account))


class UserOrderField(enum.Enum):
    USERNAME = "USERNAME"
    CREATED_AT = "CREATED_AT"


def user_ordering(field: UserOrderField = UserOrderField.USERNAME, descending: bool = False) -> Ordering:
    column = {UserOrderField.USERNAME: User.username, UserOrderField.CREATED_AT: User.created_at}[field]
    return Ordering(key=f"user.{field.name}", column=column, tiebreaker=User.id, descending=descending)


@dataclass(frozen=True)
class UserFilter:
    role: Role | None = None
    town_id: int | None = None
    station_id: int | None = None
    provider_id: int | None = None
    is_active: bool | None = None
    search: str | None = None


def _contains(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def users_query(f: UserFilter) -> Select:
    stmt = select(User)
    for column, value in (
        (User.role, f.role),
        (User.town_id, f.town_id),
        (User.station_id, f.station_id),
        (User.provider_id, f.provider_id),
        (User.is_active, f.is_active),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    # Accounts are few (thousands per district): substring scans need no search index.
    for term in search_terms(f.search or ""):
        pattern = _contains(term)
        stmt = stmt.where(
            or_(User.username.ilike(pattern, escape="\\"), User.display_name.ilike(pattern, escape="\\"))
        )
    return stmt


async def list_users(ctx: Context, f: UserFilter, ordering: Ordering, page: PageRequest) -> Page[User]:
    require_role(ctx, *MANAGERS)
    return await paginate(ctx, users_query(f), ordering, page)


async def update_user(ctx: Context, user_id: int, changes: dict[str, Any]) -> User:
    """Change an account's display name, phone or active flag (administrators only).

    A deactivated account is refused from its next request on: tokens are checked
    against the account on every request.
    """
    viewer = require_role(ctx, *MANAGERS)
    async with ctx.transaction() as session:
        user = await session.get(User, user_id, with_for_update=True, populate_existing=True)
        if user is None:
            raise Refused(UserError(ErrorCode.NOT_FOUND, "No such account.", ["user_id"]))
        changes = dict(changes)
        checks = Checks()
        if "display_name" in changes:
            changes["display_name"] = (changes["display_name"] or "").strip()
            checks.text("display_name", changes["display_name"], max_length=100)
        if "phone" in changes:
            changes["phone"] = (changes["phone"] or "").strip() or None
            checks.text("phone", changes["phone"], max_length=32, required=False)
        if "is_active" in changes:
            if changes["is_active"] is None:
                checks.fail("is_active", ErrorCode.REQUIRED, "`is_active` is required.")
            elif not changes["is_active"] and user.id == viewer.user_id:
                checks.fail("is_active", ErrorCode.NOT_PERMITTED, "You cannot deactivate your own account.")
        checks.done()
        for name, value in changes.items():
            setattr(user, name, value)
        await session.flush()
        await session.refresh(user)
        return user
