"""The ASGI application: GraphQL on /graphql (HTTP and websockets), health on /health."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import partial

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.types.unset import UNSET, UnsetType

from doorstep.broker import Broker
from doorstep.cache import tables
from doorstep.cache.listener import TableListener
from doorstep.cache.persisted import PersistedQueries
from doorstep.cache.responder import Responder
from doorstep.cache.store import ResponseCache
from doorstep.database import create_engine, create_sessionmaker, database_url
from doorstep.settings import Settings
from models import Base
from resolvers.accounts import bearer_token, viewer_from_token
from resolvers.context import Context, RequestDatabase
from resolvers.errors import NotAuthenticated
from resolvers.orders import alerts, events
from resolvers.orders.live import LiveEvent
from schema import build_schema
from schema.documents import DocumentCache

log = logging.getLogger(__name__)


class TextFrames(ASGIWebSocketAdapter):
    """Sends each websocket message as a text frame, as graphql-transport-ws requires.

    `encode_json` gives bytes, which strawberry would send as binary frames.
    """

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        except WebSocketDisconnect as disconnect:
            raise WebSocketDisconnected from disconnect


class DoorstepGraphQL(GraphQL[Context, None]):
    websocket_adapter_class = TextFrames
    responder: Responder | None = None
    """Answers GET and POST operations, with the response cache in front (`doorstep.cache`)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.responder is not None:
            request = Request(scope, receive)
            if not wants_graphiql(request):
                response = await self.responder.respond(request)
                await response(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    def encode_json(self, data: object) -> bytes:
        # orjson: several times faster than json.dumps on a page of results, and it writes
        # UTF-8 bytes straight into the body, with 养老 as its three bytes rather than a
        # six-byte `\uXXXX` escape per character. The body goes out as `application/json`,
        # which is UTF-8 by definition (RFC 8259), so no charset parameter is needed.
        return orjson.dumps(data)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        state = request.app.state
        # App state is untyped; naming the broker's type lets mypy hold it to resolvers' EventBroker.
        broker: Broker[LiveEvent] = state.broker
        context = Context(
            db=RequestDatabase(state.sessionmaker),
            settings=state.settings,
            broker=broker,
        )
        if isinstance(request, WebSocket):
            context.drop_subscriber = partial(drop_slow_subscriber, request)
        try:
            token = bearer_token(request.headers.get("authorization"))
            if token is not None:
                async with context.db.session() as session:
                    context.viewer = await viewer_from_token(session, state.settings, token)
        except NotAuthenticated as error:
            # Answered as a GraphQL error before execution (schema.extensions.RefuseBadCredentials).
            context.credentials_error = error
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType:
        """Authenticates a websocket from its connection_init payload (browsers cannot set headers)."""
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        credentials = params.get("authorization") or params.get("Authorization")
        try:
            token = bearer_token(credentials) if isinstance(credentials, str) else None
            if token is not None:
                async with context.db.session() as session:
                    context.viewer = await viewer_from_token(session, context.settings, token)
        except NotAuthenticated as error:
            raise ConnectionRejectionError({"message": str(error), "code": error.code}) from None
        finally:
            await context.db.close()
        return UNSET


def wants_graphiql(request: Request) -> bool:
    """A browser opening /graphql: a GET with no operation (neither a query nor a persisted one's hash)."""
    params = request.query_params
    accept = request.headers.get("accept", "")
    return (
        request.method == "GET"
        and "query" not in params
        and "extensions" not in params
        and ("text/html" in accept or "*/*" in accept)
    )


# A private-use websocket close code (4000-4999): the subscriber fell too far behind.
SLOW_SUBSCRIBER_CLOSE_CODE = 4413


async def drop_slow_subscriber(socket: WebSocket, reason: str) -> None:
    # A close reason is limited to 123 bytes.
    await socket.close(code=SLOW_SUBSCRIBER_CLOSE_CODE, reason=reason[:120])


async def health(request: Request) -> JSONResponse:
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        async with request.app.state.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        log.exception("Health check failed")
        return JSONResponse(
            {"status": "unavailable", "database": "down", "process": os.getpid()}, status_code=503
        )
    return JSONResponse({"status": "ok", "database": "up", "process": os.getpid()})


async def raise_alerts_forever(sessionmaker: async_sessionmaker[AsyncSession], interval: float) -> None:
    """Look for deadlines to alert about, every `interval` seconds, for as long as the process runs."""
    while True:
        try:
            await alerts.raise_deadline_alerts(sessionmaker)
        except Exception:
            log.exception("Raising deadline alerts failed; trying again in %.0f s", interval)
        await asyncio.sleep(interval)


def create_app(settings: Settings | None = None, url: str | None = None) -> Starlette:
    """The app; `url` overrides where the database is (tests point it at their own)."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        resolved_url = url or database_url(settings)
        engine = create_engine(resolved_url, settings.pool_size)
        sessionmaker = create_sessionmaker(engine)
        # The broker and the alert scan read on their own small pool: a burst of requests
        # cannot starve live delivery, nor the other way round.
        background_engine = create_engine(resolved_url, pool_size=2)
        background = create_sessionmaker(background_engine)
        broker = Broker(
            url=resolved_url,
            channel=events.EVENT_CHANNEL,
            fetch_after=partial(events.events_after, background),
            latest_id=partial(events.latest_event_id, background),
            queue_size=settings.subscriber_queue_size,
        )
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessionmaker = sessionmaker
        app.state.broker = broker
        tables.track(engine, table_names)
        listener.url = resolved_url
        await broker.start()
        await listener.start()
        alerts = asyncio.create_task(raise_alerts_forever(background, settings.alert_interval_seconds))
        try:
            yield
        finally:
            alerts.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await alerts
            await listener.stop()
            await broker.stop()
            await background_engine.dispose()
            await engine.dispose()

    documents = DocumentCache(settings.max_cached_documents)
    graphql = DoorstepGraphQL(build_schema(settings, documents), allowed_origins=settings.allowed_origins)
    cache = ResponseCache(settings.response_cache_bytes)
    listener = TableListener(url="", cache=cache)
    table_names = tables.TableNames(Base.metadata.tables)
    graphql.responder = Responder(
        view=graphql,
        settings=settings,
        cache=cache,
        listener=listener,
        persisted=PersistedQueries(settings.max_cached_documents),
        documents=documents,
    )
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/health", health, methods=["GET"]),
        ],
        # Credentials travel as bearer tokens, never cookies, so other origins get no ambient authority.
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=settings.allowed_origins,
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type", "Cache-Control", "If-None-Match"],
                expose_headers=["ETag", "X-Doorstep-Cache"],
                max_age=3600,
            )
        ],
        lifespan=lifespan,
    )
    app.state.documents = documents
    app.state.response_cache = cache
    app.state.cache_listener = listener
    return app
