"""Managing accounts: creating them in their scope, listing, filtering and changing them."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from models import Role, Task, TaskStatus, User
from resolvers.access import MANAGERS, SCOPE_OF_ROLE, require_role, visible_users
from resolvers.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, hash_password_off_loop
from resolvers.context import Context
from resolvers.errors import Checks, ErrorCode, Refused, UserError
from resolvers.loading import by_id
from resolvers.pagination import Ordering, Page, PageRequest, paginate
from resolvers.search import search_terms


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


async def refuse_deactivating_holder(session: AsyncSession, user_id: int) -> None:
    """A volunteer holding a task (taken or in progress) is not deactivated, whoever asks (`updateUser`,
    `setVolunteerActive`): the task must be finished, withdrawn or cancelled first, so no task waits
    on someone who can no longer sign in."""
    held = await session.scalar(
        select(func.count())
        .select_from(Task)
        .where(Task.volunteer_id == user_id, Task.status.in_((TaskStatus.TAKEN, TaskStatus.IN_PROGRESS)))
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
        if changes.get("is_active") is False and user.is_active and user.role is Role.VOLUNTEER:
            await refuse_deactivating_holder(session, user.id)
        for name, value in changes.items():
            setattr(user, name, value)
        await session.flush()
        await session.refresh(user)
        return user
