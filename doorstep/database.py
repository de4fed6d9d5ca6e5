"""Where the database is, and the engine that talks to it.

PostgreSQL is the only database. Without DATABASE_URL an embedded server (PyPI
`pgserver`, PostgreSQL 16 in a wheel) is started on a data folder that survives
restarts; with it, that server is used. Everything after the URL is one code path.
"""

from __future__ import annotations

import logging
from pathlib import Path

import orjson
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from doorstep import metrics
from doorstep.settings import Settings

log = logging.getLogger(__name__)

EMBEDDED_DATABASE = "doorstep"


def embedded_cluster(data_dir: Path) -> Path:
    """Where the embedded server keeps its cluster: a folder of its own, which initdb needs empty."""
    return data_dir / "postgres"


def embedded_server_url(data_dir: Path, database: str = EMBEDDED_DATABASE) -> str:
    """Start (or join) the embedded server in `data_dir` and return an asyncpg URL."""
    import pgserver

    cluster = embedded_cluster(data_dir)
    cluster.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None keeps the server running for other processes (uvicorn
    # workers, the CLI) that share the folder; pgserver reuses a running one.
    server = pgserver.get_server(cluster, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "1 row" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    socket_dir = make_url(server.get_uri()).query["host"]
    return f"postgresql+asyncpg://postgres@/{database}?host={socket_dir}"


def database_url(settings: Settings) -> str:
    if settings.database_url:
        url = make_url(settings.database_url)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+asyncpg")
        if url.drivername != "postgresql+asyncpg":
            raise ValueError("DATABASE_URL must be a PostgreSQL URL (postgresql+asyncpg://…)")
        return url.render_as_string(hide_password=False)
    return embedded_server_url(settings.data_dir)


def create_engine(
    url: str, pool_size: int = 10, max_overflow: int | None = None, application_name: str = "doorstep"
) -> AsyncEngine:
    """An engine whose pool keeps `pool_size` connections and opens up to `max_overflow` more
    (as many again unless given) in a burst; `application_name` names its connections in
    `pg_stat_activity`."""
    # No pool_pre_ping: on asyncpg it is three round trips per checkout (BEGIN, ping,
    # ROLLBACK). A connection the server dropped fails at its first statement instead;
    # SQLAlchemy then discards it and every connection pooled before it, and a request's
    # reads run again once on a fresh one (resolvers.context.RetryReadsSession).
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size if max_overflow is None else max_overflow,
        # The most recently returned connection is lent first: it has the statements asyncpg
        # prepared on it (each one a round trip on a connection that has not seen it yet).
        pool_use_lifo=True,
        # JSON columns (a station's opening hours) are decoded for every row read: orjson
        # does it several times faster than the standard library.
        json_deserializer=orjson.loads,
        connect_args={
            "server_settings": {"application_name": application_name},
            # The API has more distinct statements than the default 100 a connection keeps
            # prepared; beyond that each one evicted is parsed and planned again (a round trip
            # and server CPU), which py-spy showed as an eighth of a mutation's time.
            "prepared_statement_cache_size": 500,
        },
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Objects outlive their transaction: a response is rendered after commit.
    return async_sessionmaker(engine, expire_on_commit=False)


def count_connections_in_use(engine: AsyncEngine, pool: str) -> None:
    """Keeps `doorstep_database_connections_in_use{pool}` as the engine lends and takes back connections.

    Counted on the pool's events rather than read from `pool.checkedout()` at a scrape: in
    multiprocess mode the scrape runs in one worker, which cannot read the others' pools.
    """
    in_use = metrics.POOL_IN_USE.labels(pool)
    event.listen(engine.sync_engine, "checkout", lambda *_args: in_use.inc())
    event.listen(engine.sync_engine, "checkin", lambda *_args: in_use.dec())
