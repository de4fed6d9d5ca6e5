"""The ASGI application: GraphQL on /graphql (HTTP and websockets), health on /health, the screen on /screen."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UNSET, UnsetType

from doorstep import exports, logs, metrics
from doorstep.broker import Broker
from doorstep.cache import tables
from doorstep.cache.listener import TableListener
from doorstep.cache.persisted import PersistedQueries
from doorstep.cache.responder import Responder
from doorstep.cache.store import ResponseCache
from doorstep.database import count_connections_in_use, create_engine, create_sessionmaker, database_url
from doorstep.fanout import FanOut
from doorstep.guard import RequestGuard, client_address
from doorstep.observe import ObserveRequests, metrics_endpoint
from doorstep.ratelimit import RequestLimiter, create_storage
from doorstep.settings import Settings
from doorstep.sockets import LiveTransportWS, LiveWS, SocketCloser, TextFrames
from doorstep.webhooks import WebhookSender
from models import Base
from resolvers.accounts import bearer_token, token_expiry, viewer_from_token
from resolvers.cases import events as case_events
from resolvers.cases.live import LiveCaseEvent
from resolvers.context import Context, RequestDatabase, StatementSessions
from resolvers.errors import NotAuthenticated
from resolvers.orders import alerts, events
from resolvers.orders.live import LiveEvent
from resolvers.statistics import summary
from resolvers.tasks import events as task_events
from resolvers.tasks.live import LiveTaskEvent
from schema import build_schema
from schema.documents import DocumentCache

log = logging.getLogger(__name__)

# The reference station screen: plain HTML, CSS and JavaScript, served as they are (no build step).
STATIC = Path(__file__).parent / "static"


class DoorstepGraphQL(GraphQL[Context, None]):
    websocket_adapter_class = TextFrames
    graphql_transport_ws_handler_class = LiveTransportWS
    graphql_ws_handler_class = LiveWS
    responder: Responder | None = None
    """Answers GET and POST operations, with the response cache in front (`doorstep.cache`)."""

    def parse_json(self, data: str | bytes) -> object:
        # orjson refuses nesting deeper than 1,024 levels, where json.loads overflows the stack.
        return orjson.loads(data)

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
        task_broker: Broker[LiveTaskEvent] = state.task_broker
        case_broker: Broker[LiveCaseEvent] = state.case_broker
        context = Context(
            # A socket lives for hours and waits most of that time: it reads through the live
            # pool, one block at a time, holding no connection between them.
            db=StatementSessions(state.live_sessionmaker)
            if isinstance(request, WebSocket)
            else RequestDatabase(state.sessionmaker),
            settings=state.settings,
            broker=broker,
            task_broker=task_broker,
            case_broker=case_broker,
            client_address=client_address(request.scope, state.settings),
        )
        if isinstance(request, WebSocket):
            context.drop_subscriber = request.state.closer = SocketCloser(request)
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
                expires_at = token_expiry(context.settings, token)
                if isinstance(context.drop_subscriber, SocketCloser) and expires_at is not None:
                    context.drop_subscriber.close_at(expires_at)
        except NotAuthenticated as error:
            raise ConnectionRejectionError({"message": str(error), "code": error.code}) from None
        finally:
            await context.db.close()
        return UNSET

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.responder is not None:
            request = Request(scope, receive)
            if not wants_graphiql(request):
                response = await self.responder.respond(request)
                await response(scope, receive, send)
                return
        try:
            await super().__call__(scope, receive, send)
        finally:
            if scope["type"] == "websocket":
                closer = scope.get("state", {}).get("closer")
                if isinstance(closer, SocketCloser):
                    closer.cancel()


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


async def screen(request: Request) -> FileResponse:
    """The station screen (`/screen?station=<code>`) and the department console (`/screen/console`):
    one page, which reads which it is from its path."""
    return FileResponse(STATIC / "screen.html")


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


async def compact_statistics_forever(sessionmaker: async_sessionmaker[AsyncSession], interval: float) -> None:
    """Fold the order summary's deltas in every `interval` seconds, so a statistic adds few of them."""
    while True:
        try:
            await summary.compact(sessionmaker)
        except Exception:
            log.exception("Compacting the order summary failed; trying again in %.0f s", interval)
        await asyncio.sleep(interval)


def create_app(settings: Settings | None = None, url: str | None = None) -> Starlette:
    """The app; `url` overrides where the database is (tests point it at their own)."""
    settings = settings or Settings.from_env()
    # Here as well as in the CLI: uvicorn workers import the app without running the CLI.
    logs.configure_once()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        resolved_url = url or database_url(settings)
        engine = create_engine(resolved_url, settings.pool_size)
        sessionmaker = create_sessionmaker(engine)
        # The broker and the alert scan read on their own small pool: a burst of requests
        # cannot starve live delivery, nor the other way round.
        background_engine = create_engine(resolved_url, pool_size=2)
        background = create_sessionmaker(background_engine)
        # Subscriptions read on a small pool of their own, with no overflow: however many
        # screens are open, live work takes at most this many connections, and never one
        # that requests are waiting for.
        live_engine = create_engine(resolved_url, settings.live_pool_size, max_overflow=0)
        live_sessionmaker = create_sessionmaker(live_engine)
        for pool, pooled in (("requests", engine), ("background", background_engine), ("live", live_engine)):
            count_connections_in_use(pooled, pool)
        broker = Broker(
            url=resolved_url,
            channel=events.EVENT_CHANNEL,
            fetch_after=partial(events.events_after, background),
            latest_id=partial(events.latest_event_id, background),
            fan_out=FanOut(StatementSessions(live_sessionmaker)),
            queue_size=settings.subscriber_queue_size,
        )
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessionmaker = sessionmaker
        # Case events (resolvers.cases.events) travel apart: their own positions, channel and feeds.
        case_broker = Broker(
            url=resolved_url,
            channel=case_events.CASE_EVENT_CHANNEL,
            fetch_after=partial(case_events.case_events_after, background),
            latest_id=partial(case_events.latest_case_event_id, background),
            queue_size=settings.subscriber_queue_size,
            application_name="doorstep-case-listener",
        )
        app.state.broker = broker
        # Task events travel on a channel and a broker of their own: volunteer work never delays orders.
        task_broker = Broker(
            url=resolved_url,
            channel=task_events.TASK_EVENT_CHANNEL,
            fetch_after=partial(task_events.events_after, background),
            latest_id=partial(task_events.latest_event_id, background),
            queue_size=settings.subscriber_queue_size,
            application_name="doorstep-task-listener",
        )
        app.state.task_broker = task_broker
        app.state.case_broker = case_broker
        app.state.live_engine = live_engine
        app.state.live_sessionmaker = live_sessionmaker
        tables.track(engine, table_names)
        listener.url = resolved_url
        # Webhooks are sent on a small pool of their own, named apart in pg_stat_activity: a
        # slow receiver's retries hold none of the connections live events or requests need.
        webhook_engine = create_engine(
            resolved_url, pool_size=2, max_overflow=0, application_name="doorstep-webhooks"
        )
        webhooks = WebhookSender(create_sessionmaker(webhook_engine), settings.webhooks)
        broker.wakers.append(webhooks.wake)
        await broker.start()
        await task_broker.start()
        await case_broker.start()
        await listener.start()
        await webhooks.start()
        alerts = asyncio.create_task(raise_alerts_forever(background, settings.alert_interval_seconds))
        compaction = asyncio.create_task(
            compact_statistics_forever(background, settings.compaction_interval_seconds)
        )
        # What exists now (the schema, the models, the libraries) lives as long as the process:
        # frozen out of the collector's generations, it is not walked again by every full
        # collection, whose pauses the slowest deliveries of thousands of sockets wait for.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            for task in (alerts, compaction):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await webhooks.stop()
            await webhook_engine.dispose()
            await listener.stop()
            await broker.stop()
            await task_broker.stop()
            await case_broker.stop()
            await background_engine.dispose()
            await live_engine.dispose()
            await engine.dispose()
            metrics.mark_this_worker_dead()

    documents = DocumentCache(settings.max_cached_documents)
    graphql = DoorstepGraphQL(
        build_schema(settings, documents),
        allowed_origins=settings.allowed_origins,
        graphql_ide=None if settings.production else "graphiql",
    )
    limiter = RequestLimiter(settings.rate_limits, create_storage(settings.redis_url))
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
    # On a port of its own when one is configured (`doorstep serve` serves it there), else here.
    metrics_route = [] if settings.metrics_port else [Route("/metrics", metrics_endpoint, methods=["GET"])]
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/health", health, methods=["GET"]),
            Route("/exports/{name}.{format}", exports.export, methods=["GET"]),
            Route("/screen", screen, methods=["GET"]),
            Route("/screen/console", screen, methods=["GET"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
            *metrics_route,
        ],
        middleware=[
            # Outermost: the id and the line cover every refusal below it too.
            Middleware(ObserveRequests, graphql_path="/graphql"),
            # Credentials travel as bearer tokens, never cookies, so other origins get no ambient authority.
            Middleware(
                CORSMiddleware,
                allow_origins=settings.allowed_origins,
                allow_methods=["GET", "POST"],
                allow_headers=[
                    "Authorization",
                    "Content-Type",
                    "Cache-Control",
                    "If-None-Match",
                    "X-Request-Id",
                ],
                expose_headers=["ETag", "X-Doorstep-Cache", "X-Request-Id"],
                max_age=3600,
            ),
            Middleware(RequestGuard, settings=settings, limiter=limiter, path="/graphql"),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.documents = documents
    app.state.response_cache = cache
    app.state.cache_listener = listener
    return app
