"""Rate limits per client address and per account, counted by the `limits` library.

`limits` rather than counters of our own: it implements the windows correctly (a moving
window here: no burst of twice the rate across a window's edge), and the same code
counts in this process's memory by default or in Redis when DOORSTEP_REDIS_URL is set,
so that several worker processes and hosts share one count per caller.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

from doorstep.settings import RateLimits

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused: which limit, for whom, and when the caller may try again."""

    scope: str
    key: str
    limit: str
    retry_after: int
    """Whole seconds until the window lets one more request through."""


def create_storage(redis_url: str | None) -> Storage:
    if redis_url is None:
        return MemoryStorage()
    # redis-py's asyncio client (limits' default is coredis, one more dependency for the same).
    return RedisStorage(f"async+{redis_url}", implementation="redispy", wrap_exceptions=True)


class RequestLimiter:
    """Counts each request against its caller's limits; `check` names the first one exceeded."""

    def __init__(self, rates: RateLimits, storage: Storage) -> None:
        self.strategy = MovingWindowRateLimiter(storage)
        self.anonymous = _items(rates.anonymous)
        self.account = _items(rates.account)
        self.login = _items(rates.login)

    async def check(self, *, address: str, account: int | None, login: bool) -> Refusal | None:
        limits: list[tuple[RateLimitItem, str, str]] = []
        if login:
            limits += [(item, "sign-ins per address", address) for item in self.login]
        if account is None:
            limits += [(item, "per address", address) for item in self.anonymous]
        else:
            limits += [(item, "per account", str(account)) for item in self.account]
        try:
            for item, scope, key in limits:
                if not await self.strategy.hit(item, scope, key):
                    stats = await self.strategy.get_window_stats(item, scope, key)
                    retry_after = max(1, math.ceil(stats.reset_time - time.time()))
                    return Refusal(scope, key, str(item), retry_after)
        except StorageError as error:
            # Limits protect the service; an unreachable Redis must not take it down with it.
            log.error("Rate limit storage unavailable, request let through: %s", error.storage_error)
        return None


def _items(rate: str | None) -> list[RateLimitItem]:
    return [] if rate is None else list(parse_many(rate))
