"""Signing in, with failed attempts of a username from an address slowed down."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Insert, case, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from models import LoginThrottle, User
from resolvers.accounts.passwords import ABSENT_USER_HASH, MAX_PASSWORD_LENGTH, verify_password
from resolvers.accounts.tokens import issue_token
from resolvers.context import Context
from resolvers.errors import Checks, ErrorCode, Refused, UserError

# Failed sign-ins of one username from one address: after this many the pair waits
# FIRST_DELAY, after each further one twice as long, up to MAX_DELAY.
FREE_ATTEMPTS = 5


FIRST_DELAY = timedelta(seconds=30)


MAX_DELAY = timedelta(minutes=15)


FORGET_FAILURES_AFTER = timedelta(hours=24)


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
    verified = await verify_password(user.password_hash if user else ABSENT_USER_HASH, password)
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
