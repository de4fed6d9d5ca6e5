"""Live events written straight to the sockets: one render per group, one send per subscriber.

Once a subscription has replayed what it missed, it is handed over (`Broker.hand_over`):
the transport gives the broker a `Member` for it, and from then on the subscription's
generator, strawberry's stream and graphql-core's per-event mapping are no longer in
the way of its events. For each read of the broker (one or more events, in order),
`FanOut` does for all the members they reach at once:

- one statement for the accounts the members signed in with, read after the events
  committed: a member whose account is deactivated or changed is ended (4403);
- one render of each event for each group of members asking alike (document,
  variables and viewer: `schema.live.LiveExecutor.render_key`), serialized once;
- for each member, its cursor check (an event at or before the last one it was sent is
  skipped) and the group's frame, its own operation id in front, put in its socket's
  bounded send queue (`SocketSender`), written by that socket's writer task. A socket
  that falls `DOORSTEP_SUBSCRIBER_QUEUE_SIZE` frames behind is cut off (4413).

So what one more subscriber costs per event is a check, a string join and a write of
bytes already encoded, instead of an execution through a chain of async generators.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any

from resolvers.context import StatementSessions
from resolvers.errors import SubscriberTooSlow
from resolvers.orders import events
from resolvers.orders.events import Follow
from resolvers.orders.live import LiveEvent

log = logging.getLogger(__name__)

TURN_SECONDS = 0.02
"""The longest the fan-out keeps the event loop before letting others run."""


def too_slow(limit: int) -> SubscriberTooSlow:
    return SubscriberTooSlow(
        f"Subscriber too slow: more than {limit} undelivered events; "
        "resubscribe with the cursor of the last event received."
    )


class SocketSender:
    """A socket's bounded queue of frames, written in order by one task while there are any.

    Sending a frame does not wait for the client unless the socket's buffer is full; then
    this socket's frames wait here (up to `limit`), and no other socket waits for it.
    """

    def __init__(self, send_text: Callable[[str], Awaitable[None]], limit: int) -> None:
        self.send_text = send_text
        self.limit = limit
        self.frames: deque[str] = deque()
        self._writer: asyncio.Task[None] | None = None
        self.closed = False

    def push(self, frame: str) -> bool:
        """Queues a frame; False when the socket is `limit` frames behind already."""
        if self.closed:
            return True
        if len(self.frames) >= self.limit:
            return False
        self.frames.append(frame)
        if self._writer is None:
            self._writer = asyncio.create_task(self._write())
        return True

    async def _write(self) -> None:
        try:
            while self.frames:
                await self.send_text(self.frames.popleft())
        except Exception:
            # The client is gone (its subscriptions are being cleaned up) or the socket closed.
            self.close()
        finally:
            self._writer = None

    def close(self) -> None:
        """Drops what is queued and stops writing, when the socket closes."""
        self.closed = True
        self.frames.clear()
        if self._writer is not None:
            self._writer.cancel()


@dataclass(eq=False)
class Member:
    """One subscription handed over to the fan-out."""

    follow: Follow
    render_key: Hashable
    """Members with the same key get the same rendering of an event."""
    render: Callable[[LiveEvent], Awaitable[str]]
    """The event as the subscription's `payload` (JSON text)."""
    head: str
    """The frame up to its payload: `{"id":"…","type":"next","payload":` (or the graphql-ws spelling)."""
    sender: SocketSender


@dataclass(frozen=True)
class FanOut:
    """The broker's fan-out (`doorstep.broker.FanOut`); accounts are read on the live pool."""

    live: StatementSessions

    async def __call__(self, due: list[tuple[LiveEvent, list[Any]]]) -> None:
        try:
            await self._deliver(due)
        except Exception:
            # The broker moves on to the next events whatever happened to these.
            log.exception("Delivering %d live events failed", len(due))

    async def _deliver(self, due: list[tuple[LiveEvent, list[Member]]]) -> None:
        credentials = {
            credential
            for _, members in due
            for member in members
            if (credential := events.credential_of(member.follow.viewer)) is not None
        }
        accounts = await events.credentials_now(self.live, credentials) if credentials else {}
        renders: dict[tuple[int, Hashable], Awaitable[str]] = {}
        for live, members in due:
            for member in members:
                key = (live.id, member.render_key)
                if key not in renders:
                    renders[key] = member.render(live)
        # The renders of one read run side by side: one waiting for a load holds up no other.
        outcomes = await asyncio.gather(*renders.values(), return_exceptions=True)
        payloads: dict[tuple[int, Hashable], str] = {}
        for key, outcome in zip(renders, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                log.error("Rendering live event %d failed", key[0], exc_info=outcome)
            else:
                payloads[key] = outcome
        loop = asyncio.get_running_loop()
        turn = loop.time()
        for live, members in due:
            for member in members:
                payload = payloads.get((live.id, member.render_key))
                if payload is None:
                    continue
                if member.follow.admit(live, accounts) and not member.sender.push(
                    f"{member.head}{payload}}}"
                ):
                    member.follow.end(too_slow(member.sender.limit))
            if loop.time() - turn > TURN_SECONDS:
                # A read of hundreds of events for thousands of sockets takes a while: requests
                # (the mutations among them) and the socket writers get their turns in between.
                await asyncio.sleep(0)
                turn = loop.time()
