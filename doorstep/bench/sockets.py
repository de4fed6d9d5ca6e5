"""The live benchmark's screens: graphql-transport-ws clients that cost the machine little.

The benchmark shares its two cores with the server it measures, and thousands of
screens receive tens of thousands of events a second between them: with the
`websockets` library's client (a frame parser of generators, an assembler and a queue per
connection, a task woken per message) the client spent more CPU than a server worker and
became the bottleneck it was meant to measure. Like `doorstep.bench.client` for HTTP,
each screen here is a plain asyncio protocol that parses the server's frames (unmasked,
unfragmented text, RFC 6455 §5.2) in `data_received` and hands each message to a callback
without a task switch; it answers pings, and sends its own few frames masked as a client must.
"""

from __future__ import annotations

import asyncio
import base64
import os
from collections.abc import Callable
from typing import cast
from urllib.parse import urlsplit

import orjson

TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


class ScreenSocket(asyncio.Protocol):
    """One websocket: `open` it, `send` JSON, `receive` a message, or `listen` with a callback."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.upgraded = False
        self.waiter: asyncio.Future[bytes] | None = None
        self.listener: Callable[[bytes], None] | None = None
        self.closed: str | None = None
        """Why the connection ended: the server's close code, or `no close frame`."""
        self.lost: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        """Done when the connection has ended."""

    @classmethod
    async def open(cls, url: str, subprotocol: str) -> ScreenSocket:
        parts = urlsplit(url)
        loop = asyncio.get_running_loop()
        transport, socket = await loop.create_connection(cls, parts.hostname or "127.0.0.1", parts.port or 80)
        # uvloop may call `connection_made` after this returns.
        socket.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: {subprotocol}\r\n\r\n"
        )
        socket.waiter = loop.create_future()
        transport.write(request.encode())
        await socket.waiter
        return socket

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not subclasses of asyncio's.
        self.transport = cast(asyncio.Transport, transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = self.closed or "no close frame"
        if not self.lost.done():
            self.lost.set_result(None)
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError(f"closed: {self.closed}"))

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self.buffer[: self.buffer.find(b"\r\n")])
            del self.buffer[: end + 4]
            if not status.startswith(b"HTTP/1.1 101"):
                self._deliver_error(ConnectionError(f"upgrade refused: {status.decode()}"))
                return
            self.upgraded = True
            self._deliver(b"")
        self._parse()

    def _parse(self) -> None:
        buffer, position, size = self.buffer, 0, len(self.buffer)
        while size - position >= 2:
            opcode, length = buffer[position] & 0x0F, buffer[position + 1] & 0x7F
            start = position + 2
            if length == 126:
                if size - position < 4:
                    break
                length, start = int.from_bytes(buffer[position + 2 : position + 4], "big"), position + 4
            elif length == 127:
                if size - position < 10:
                    break
                length, start = int.from_bytes(buffer[position + 2 : position + 10], "big"), position + 10
            if size < start + length:
                break
            payload = bytes(buffer[start : start + length])
            position = start + length
            if opcode == TEXT:
                self._deliver(payload)
            elif opcode == PING:
                self._send_frame(PONG, payload)
            elif opcode == CLOSE:
                self.closed = str(int.from_bytes(payload[:2], "big")) if len(payload) >= 2 else "1005"
                if self.transport is not None:
                    self.transport.close()
        del buffer[:position]

    def _deliver(self, message: bytes) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(message)
        elif self.listener is not None:
            self.listener(message)

    def _deliver_error(self, error: Exception) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(error)

    def _send_frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        length = len(payload)
        head = bytes([0x80 | opcode])
        if length < 126:
            head += bytes([0x80 | length])
        elif length < 1 << 16:
            head += bytes([0x80 | 126]) + length.to_bytes(2, "big")
        else:
            head += bytes([0x80 | 127]) + length.to_bytes(8, "big")
        keys = (mask * (length // 4 + 1))[:length]
        masked = (int.from_bytes(payload, "big") ^ int.from_bytes(keys, "big")).to_bytes(length, "big")
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(head + mask + masked)

    def send(self, message: dict) -> None:
        self._send_frame(TEXT, orjson.dumps(message))

    async def receive(self) -> dict:
        self.waiter = asyncio.get_running_loop().create_future()
        try:
            message: dict = orjson.loads(await self.waiter)
            return message
        finally:
            self.waiter = None

    def listen(self, listener: Callable[[bytes], None]) -> None:
        """From now on, each message goes to `listener` as it is parsed."""
        self.listener = listener

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()
