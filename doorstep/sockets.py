"""The websocket side of /graphql: text frames, the live hand-over to the fan-out, and why a socket is closed."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, cast

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.schema.schema import StreamResult
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.types import ExecutionResult

from doorstep.broker import Broker, Subscriber
from doorstep.fanout import Member, SocketSender, too_slow
from resolvers.context import Context
from resolvers.errors import AccountDeactivated, ClientError, TokenExpired
from resolvers.orders.live import LiveEvent
from schema.live import LiveFollow, RenderedEvent


class TextFrames(ASGIWebSocketAdapter):
    """Sends each websocket message as a text frame, as graphql-transport-ws requires.

    `encode_json` gives bytes, which strawberry would send as binary frames.
    """

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        except WebSocketDisconnect as disconnect:
            raise WebSocketDisconnected from disconnect

    async def send_text(self, text: str) -> None:
        try:
            await self.ws.send_text(text)
        except WebSocketDisconnect as disconnect:
            raise WebSocketDisconnected from disconnect


class DirectLive:
    """What both websocket protocols do with a subscription's `LiveFollow`: hand it to the broker.

    The socket's live events are then rendered and written by the broker's fan-out
    (`doorstep.fanout`), not carried through strawberry's stream one subscriber at a time;
    the operation's task waits here until the subscription ends (or is cancelled when the
    client completes it or leaves), then goes strawberry's way again.
    """

    context: Context
    websocket: Any
    _sender: SocketSender | None = None

    async def follow(self, result: LiveFollow, head: str) -> None:
        assert result.follow is not None and result.render is not None
        follow, settings = result.follow, self.context.settings
        # Typed as resolvers see it (an EventBroker); it is the app's broker.
        broker = cast(Broker[LiveEvent], self.context.broker)
        if self._sender is None:
            self._sender = SocketSender(self.websocket.send_text, settings.subscriber_queue_size)
        member = Member(follow, result.render_key, result.render, head, self._sender)
        if not await broker.hand_over(cast(Subscriber[LiveEvent], follow.subscriber), member):
            follow.end(too_slow(settings.subscriber_queue_size))
        await follow.ended.wait()
        if follow.reason is not None:
            # The subscription closes the socket: nothing queued for it is sent any more.
            self._sender.close()


class LiveTransportWS(DirectLive, BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws, sending live events as the fan-out serialized them.

    A replayed event rendered for many subscribers (`RenderedEvent`, schema.live) carries its
    payload serialized once; each subscriber's `next` message splices its own operation id in
    front of it. The live events after the replay go the broker's way (`DirectLive`).
    Anything else goes strawberry's way.
    """

    async def _send_result_stream(
        self, operation: Operation[Context, None], result_source: StreamResult
    ) -> None:
        assert isinstance(self.websocket, TextFrames)
        send_text = self.websocket.send_text
        head = orjson.dumps({"id": operation.id, "type": "next"})[:-1].decode() + ',"payload":'
        async for result in result_source:
            if isinstance(result, LiveFollow):
                await self.follow(result, head)
            elif not isinstance(result, RenderedEvent):
                # The first result may be a pre-execution error: strawberry handles that and
                # every other kind of result.
                await super()._send_result_stream(operation, _single(result))
            elif not operation.completed:
                await send_text(f"{head}{result.payload}}}")


class LiveWS(DirectLive, BaseGraphQLWSHandler[Context, None]):
    """graphql-ws (older clients): live events after the replay go the broker's way (`DirectLive`)."""

    async def send_data_message(self, execution_result: ExecutionResult, operation_id: str) -> None:
        if isinstance(execution_result, LiveFollow):
            head = orjson.dumps({"type": "data", "id": operation_id})[:-1].decode() + ',"payload":'
            await self.follow(execution_result, head)
        else:
            await super().send_data_message(execution_result, operation_id)


async def _single(result: Any) -> StreamResult:
    yield result


# Private-use websocket close codes (4000-4999), one per reason the server ends a live socket.
SLOW_SUBSCRIBER_CLOSE_CODE = 4413
"""The subscriber fell too far behind; it resumes with the cursor of the last event it received."""
TOKEN_EXPIRED_CLOSE_CODE = 4401
"""The access token the socket signed in with expired; sign in again and reconnect."""
ACCOUNT_DEACTIVATED_CLOSE_CODE = 4403
"""The account was deactivated, or changed role or scope, since the socket signed in."""


class SocketCloser:
    """Ends a websocket for a reason a subscription gives, or when its access token expires."""

    def __init__(self, socket: WebSocket) -> None:
        self.socket = socket
        self._expiry: asyncio.TimerHandle | None = None
        self._closing: asyncio.Task[None] | None = None

    async def __call__(self, error: ClientError) -> None:
        code = (
            ACCOUNT_DEACTIVATED_CLOSE_CODE
            if isinstance(error, AccountDeactivated)
            else TOKEN_EXPIRED_CLOSE_CODE
            if isinstance(error, TokenExpired)
            else SLOW_SUBSCRIBER_CLOSE_CODE
        )
        # A close reason is limited to 123 bytes.
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await self.socket.close(code=code, reason=str(error)[:120])

    def close_at(self, expires_at: datetime) -> None:
        delay = max(0.0, (expires_at - datetime.now(UTC)).total_seconds())
        self._expiry = asyncio.get_running_loop().call_later(delay, self._expire)

    def _expire(self) -> None:
        self._closing = asyncio.create_task(self(TokenExpired("token expired")))

    def cancel(self) -> None:
        if self._expiry is not None:
            self._expiry.cancel()
