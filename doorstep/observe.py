"""What every request leaves behind: an id it answers with, one log line, its latency in the metrics.

The outermost middleware: it gives the request an id (a sane `X-Request-Id` the caller
or a proxy sent, else a new one), binds it to every log line written while the request
runs, sends it back as `X-Request-Id`, and when the response has gone writes one line:
method, path, status, duration, and what the GraphQL responder noted in the request's
`RequestRecord` (operation name and type, viewer id, `extensions.cost`, cache status,
error codes). Never a token, a variable or a resident's data: the viewer is its id.

GraphQL requests over HTTP are also observed in `doorstep_graphql_request_duration_seconds`.
"""

from __future__ import annotations

import hmac
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import structlog
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from doorstep import metrics

REQUEST_ID_HEADER = b"x-request-id"
RECORD_KEY = "doorstep.request"
# Ids of load balancers and tracing headers (UUIDs, hex, base64url, dotted): short and
# plain, so a caller cannot write newlines or megabytes into every log line.
_SANE_ID = re.compile(rb"[A-Za-z0-9._:+/=-]{1,128}")

log = structlog.get_logger()
LOGGER = "doorstep.request"
"""Named in each line as the standard library's loggers are named in theirs."""


@dataclass(slots=True)
class RequestRecord:
    """What the GraphQL responder learns about a request, for its log line and metrics."""

    request_id: str
    operation: str | None = None
    """The bounded label of its operation (`metrics.operation_label`)."""
    operation_type: str | None = None
    viewer_id: int | None = None
    cost: dict[str, int] | None = None
    cache: str | None = None
    errors: list[str] = field(default_factory=list)


def record_of(scope: Scope) -> RequestRecord | None:
    record: RequestRecord | None = scope.get(RECORD_KEY)
    return record


def request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER and _SANE_ID.fullmatch(value):
            return value.decode("ascii")
    return uuid.uuid4().hex


class ObserveRequests:
    def __init__(self, app: ASGIApp, graphql_path: str) -> None:
        self.app = app
        self.graphql_path = graphql_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        record = RequestRecord(request_id(scope))
        scope[RECORD_KEY] = record
        header = (REQUEST_ID_HEADER, record.request_id.encode())
        status = 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            elif message["type"] == "websocket.accept":
                status = 101  # Switching Protocols: what the handshake answered
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=record.request_id):
            try:
                await self.app(scope, receive, sending)
            finally:
                self.finish(scope, record, status, time.perf_counter() - started)

    def finish(self, scope: Scope, record: RequestRecord, status: int, seconds: float) -> None:
        graphql = scope["path"] == self.graphql_path
        if graphql and scope["type"] == "http" and scope["method"] != "OPTIONS":
            metrics.REQUEST_SECONDS.labels(
                record.operation or metrics.UNKNOWN, record.operation_type or metrics.UNKNOWN
            ).observe(seconds)
        line: dict[str, Any] = {
            "logger": LOGGER,
            "method": scope.get("method", "WEBSOCKET"),
            "path": scope["path"],
            "status": status,
            "duration_ms": round(seconds * 1000, 3),
        }
        if graphql:
            line |= {
                "operation": record.operation,
                "operation_type": record.operation_type,
                "viewer_id": record.viewer_id,
                "cost": record.cost,
                "cache": record.cache,
            }
            if record.errors:
                line["errors"] = record.errors
        log.info("request", **line)


def authorized(request: Request, token: str | None) -> bool:
    """Whether a request may read /metrics: a token is configured and the request bears it."""
    if token is None:
        return False
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    # compare_digest: the time taken says nothing about how much of a guess was right.
    return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.encode())


async def metrics_endpoint(request: Request) -> Response:
    """GET /metrics on the app's port: open in development, with DOORSTEP_METRICS_TOKEN as a bearer token otherwise."""
    settings = request.app.state.settings
    guarded = settings.metrics_token is not None or settings.production
    if guarded and not authorized(request, settings.metrics_token):
        return Response(
            "A bearer token (DOORSTEP_METRICS_TOKEN) is needed.\n",
            status_code=401,
            media_type="text/plain",
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    return Response(generate_latest(metrics.registry()), media_type=CONTENT_TYPE_LATEST)
