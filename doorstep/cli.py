"""The `doorstep` command: serve, migrate, seed, export the schema, create accounts."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from doorstep import logs, migrate
from doorstep.database import create_engine, create_sessionmaker, database_url
from doorstep.settings import Settings, SettingsError
from models import Role

log = logging.getLogger("doorstep")

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def export_schema_text(settings: Settings) -> str:
    from schema import build_schema

    return str(build_schema(settings)) + "\n"


async def load_demo(
    engine: AsyncEngine, *, reload: bool, districts: int, months: int = 12
) -> dict[str, int] | None:
    """Load the demo district into an empty database (or, with reload, into a wiped one)."""
    from doorstep.progress import Progress
    from models import District
    from seeds import load_demo as insert_demo
    from seeds import load_steps

    if reload:
        # A reload replaces the database rather than emptying its tables: the ledger and the
        # event histories refuse TRUNCATE (they are append-only), and a wiped schema migrated
        # afresh is also what a new machine gets.
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await migrate.upgrade(engine)
    async with engine.begin() as connection:
        if not reload and await connection.scalar(select(func.count()).select_from(District)):
            return None
        progress = Progress("seed", load_steps(districts))
        try:
            return await insert_demo(
                connection, districts=districts, months=months, progress=progress.advance
            )
        finally:
            progress.close()


async def prepare(settings: Settings, *, seed: bool) -> None:
    engine = create_engine(database_url(settings))
    try:
        await migrate.upgrade(engine)
        if seed:
            counts = await load_demo(engine, reload=False, districts=1)
            if counts:
                log.info("Loaded the demo district: %s", counts)
    finally:
        await engine.dispose()


def serve(settings: Settings, workers: int) -> None:
    import uvicorn

    asyncio.run(prepare(settings, seed=True))
    with metrics_directory(workers):
        if settings.metrics_port:
            serve_metrics(settings)
        uvicorn.run(
            "doorstep.app:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=workers,
            proxy_headers=True,
            # Compressing each event costs the worker more CPU than anything else it does for a
            # screen (one deflate per subscriber and event, measured with py-spy); events are
            # a few hundred bytes, so the bandwidth saved is small.
            ws_per_message_deflate=False,
            # The app writes one line per request with more in it (doorstep.observe), and its
            # logging set-up (doorstep.logs) is the one in force.
            access_log=False,
            log_config=None,
            # A worker fanning an event out to thousands of sockets on a busy machine may answer the
            # supervisor's ping late; restarting it would drop all its sockets at once.
            timeout_worker_healthcheck=30,
        )


@contextlib.contextmanager
def metrics_directory(workers: int) -> Iterator[None]:
    """PROMETHEUS_MULTIPROC_DIR for several workers: emptied before they start, and removed after
    when `serve` made it. prometheus-client reads the variable when a worker imports it, so it is
    set here, in the environment the workers inherit. One worker needs none."""
    from doorstep import metrics

    configured = metrics.multiprocess_dir()
    if configured is not None:
        metrics.clear_multiprocess_dir(configured)
        yield
        return
    if workers <= 1:
        yield
        return
    made = tempfile.mkdtemp(prefix="doorstep-metrics-")
    os.environ[metrics.MULTIPROCESS_DIR] = made
    try:
        yield
    finally:
        os.environ.pop(metrics.MULTIPROCESS_DIR, None)
        shutil.rmtree(made, ignore_errors=True)


def serve_metrics(settings: Settings) -> None:
    """/metrics on DOORSTEP_METRICS_PORT, from the serving process: it reads every worker's files
    (or, with one worker, is that worker), so a scrape needs no token and reaches no API route."""
    from prometheus_client import start_http_server

    from doorstep import metrics

    assert settings.metrics_port is not None
    start_http_server(settings.metrics_port, addr=settings.metrics_host, registry=metrics.registry())


def main(argv: list[str] | None = None) -> None:
    logs.configure()
    parser = argparse.ArgumentParser(prog="doorstep", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="migrate, load the demo when empty, serve HOST:PORT")
    serve_parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    commands.add_parser("migrate", help="apply the database migrations")
    seed_parser = commands.add_parser("seed", help="load the demo district into an empty database")
    seed_parser.add_argument("--reload", action="store_true", help="wipe all data first, then load")
    seed_parser.add_argument(
        "--districts", type=int, default=1, help="how many districts to generate (scale for benchmarks)"
    )
    seed_parser.add_argument(
        "--months",
        type=int,
        default=12,
        choices=range(1, 25),
        metavar="1-24",
        help="months of order history per district, ending now (default 12)",
    )
    export_parser = commands.add_parser("export-schema", help="write the GraphQL SDL")
    export_parser.add_argument("--output", type=Path, default=SCHEMA_FILE)
    bench_parser = commands.add_parser(
        "bench",
        help="the five hottest reads beside a raw-SQL floor app, statistics at scale, live delivery, writes",
    )
    bench_parser.add_argument(
        "suite",
        nargs="?",
        default="reads",
        choices=["reads", "statistics", "live", "writes"],
        help="reads (default): the five reads on doorstep beside a raw-SQL floor app (req/s, latency, CPU); "
        "statistics: the time of each statistic and ranking at district and city scale; live: "
        "subscribers while mutations flow; writes: clients placing and advancing orders, then the invariants",
    )
    bench_parser.add_argument("--repeat", type=int, default=5, help="statistics: runs of each case")
    bench_parser.add_argument(
        "--targets", default="doorstep,floor", help="comma-separated: doorstep, floor (default both)"
    )
    bench_parser.add_argument("--url", help="a running doorstep's /graphql URL, instead of starting one")
    bench_parser.add_argument("--requests", type=int, default=300, help="requests per read and target")
    bench_parser.add_argument("--concurrency", type=int, default=8, help="parallel clients")
    bench_parser.add_argument(
        "--rounds", type=int, default=3, help="interleaved rounds the requests spread over"
    )
    bench_parser.add_argument(
        "--modes",
        default="uncached,cached",
        help="comma-separated: uncached (requests send Cache-Control: no-cache), cached (default both)",
    )
    live = bench_parser.add_argument_group("live and writes")
    live.add_argument("--subscribers", type=int, default=2000, help="live: websocket subscribers")
    live.add_argument(
        "--selection", default="order", choices=["order", "event"], help="live: what they select"
    )
    live.add_argument("--rate", type=float, default=20.0, help="live: mutations per second")
    live.add_argument("--seconds", type=float, default=30.0, help="live and writes: how long to drive")
    live.add_argument("--clients", type=int, default=32, help="writes: clients placing and advancing orders")
    live.add_argument(
        "--warmup", type=float, default=5.0, help="writes: seconds of the same load before measuring"
    )
    live.add_argument("--stations", type=int, default=20, help="station accounts to make and use")
    live.add_argument("--providers", type=int, default=1, help="providers whose services are ordered")
    live.add_argument("--workers", type=int, default=2, help="worker processes of the started server")
    revision_parser = commands.add_parser("makemigration", help="autogenerate a migration from the models")
    revision_parser.add_argument("message")
    user_parser = commands.add_parser(
        "create-user", help="create a staff account; the password comes from DOORSTEP_PASSWORD or a prompt"
    )
    user_parser.add_argument("--username", required=True)
    user_parser.add_argument("--role", required=True, choices=[role.name for role in Role])
    scope = user_parser.add_mutually_exclusive_group()
    scope.add_argument("--station-code", help="the station of a STATION_STAFF account")
    scope.add_argument("--town-code", help="the town of a TOWN_STAFF account")
    scope.add_argument("--provider-code", help="the provider of a PROVIDER_STAFF account")
    user_parser.add_argument("--display-name", required=True)
    user_parser.add_argument("--phone")

    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        parser.exit(2, f"doorstep: {error}\n")

    if args.command == "serve":
        serve(settings, args.workers)
    elif args.command == "migrate":
        asyncio.run(prepare(settings, seed=False))
    elif args.command == "seed":
        asyncio.run(_seed(settings, reload=args.reload, districts=args.districts, months=args.months))
    elif args.command == "export-schema":
        args.output.write_text(export_schema_text(settings), encoding="utf-8")
        print(f"Wrote {args.output}")
    elif args.command == "bench":
        sys.exit(bench(settings, args))
    elif args.command == "makemigration":
        asyncio.run(_makemigration(settings, args.message))
    elif args.command == "create-user":
        sys.exit(asyncio.run(_create_user(settings, args, _new_password())))


def bench(settings: Settings, args: argparse.Namespace) -> int:
    if args.suite == "statistics":
        print(asyncio.run(_bench_statistics(settings, args.repeat)))
        return 0
    from doorstep.bench.client import BenchError
    from doorstep.bench.runner import Options, run, table

    if args.suite != "reads":
        return bench_live(settings, args)

    targets = tuple(name.strip() for name in args.targets.split(",") if name.strip())
    # Only a server the benchmark starts needs the database (and an embedded one started).
    starts_one = any(name != "doorstep" or not args.url for name in targets)
    options = Options(
        targets=targets,
        requests=args.requests,
        concurrency=args.concurrency,
        rounds=args.rounds,
        doorstep_url=args.url,
        database_url=database_url(settings) if starts_one else None,
        modes=tuple(name.strip() for name in args.modes.split(",") if name.strip()),
    )
    print(
        f"{options.requests} requests per read and target in {options.rounds} interleaved rounds, "
        f"{options.concurrency} concurrent clients, one worker each"
    )
    try:
        report = asyncio.run(run(options))
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    for mode in options.modes:
        print(f"\n{mode}{' (Cache-Control: no-cache)' if mode == 'uncached' else ''}:\n")
        print(table(report, targets, mode))
    return 0


async def _bench_statistics(settings: Settings, repeat: int) -> str:
    from doorstep.bench.statistics import bench_statistics

    engine = create_engine(database_url(settings))
    try:
        return await bench_statistics(create_sessionmaker(engine), settings, repeat)
    finally:
        await engine.dispose()


async def _seed(settings: Settings, *, reload: bool, districts: int, months: int) -> None:
    engine = create_engine(database_url(settings))
    try:
        await migrate.upgrade(engine)
        started = time.perf_counter()
        counts = await load_demo(engine, reload=reload, districts=districts, months=months)
        if counts:
            print(f"Loaded in {time.perf_counter() - started:.1f} s: {counts}")
        else:
            print("The database already holds data; pass --reload to replace it.")
    finally:
        await engine.dispose()


async def _makemigration(settings: Settings, message: str) -> None:
    engine = create_engine(database_url(settings))
    try:
        await migrate.upgrade(engine)
        await migrate.write_revision(engine, message)
    finally:
        await engine.dispose()


def _new_password() -> str:
    """DOORSTEP_PASSWORD for scripts; otherwise asked twice, never echoed nor left in shell history."""
    password = os.environ.get("DOORSTEP_PASSWORD")
    if password:
        return password
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        sys.exit("The passwords differ.")
    return password


async def _create_user(settings: Settings, args: argparse.Namespace, password: str) -> int:
    """Create the account in one transaction with the checks the API applies; 0 on success."""
    from models import Provider, Station, Town
    from resolvers.accounts import create_user
    from resolvers.errors import ErrorCode, Refused, UserError

    engine = create_engine(database_url(settings), pool_size=1)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            scope = {}
            for option, model, key in (
                ("town_code", Town, "town_id"),
                ("station_code", Station, "station_id"),
                ("provider_code", Provider, "provider_id"),
            ):
                code = getattr(args, option)
                if code is None:
                    continue
                scope[key] = await session.scalar(select(model.id).where(model.code == code))
                if scope[key] is None:
                    name = model.__name__.lower()
                    raise Refused(UserError(ErrorCode.NOT_FOUND, f"No {name} has the code {code}.", [option]))
            user = await create_user(
                session,
                username=args.username,
                password=password,
                display_name=args.display_name,
                role=Role[args.role],
                phone=args.phone,
                **scope,
            )
    except Refused as refused:
        for error in refused.errors:
            print(f"{error.code.name}: {error.message}", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()
    print(f"Created the {user.role.name} account {user.username} (id {user.id}).")
    return 0


def bench_live(settings: Settings, args: argparse.Namespace) -> int:
    """`doorstep bench live` and `doorstep bench writes` (see doorstep.bench.live and .writes)."""
    import uvloop

    from doorstep.bench.client import BenchError
    from doorstep.bench.live import LiveOptions, run_live
    from doorstep.bench.writes import WriteOptions, run_writes

    url = args.url.removesuffix("/graphql") if args.url else None
    common = {"stations": args.stations, "providers": args.providers, "workers": args.workers}
    try:
        if args.suite == "live":
            options = LiveOptions(
                subscribers=args.subscribers,
                selection=args.selection,
                rate=args.rate,
                seconds=args.seconds,
                database_url=database_url(settings),
                url=url,
                **common,
            )
            print(f"live: {options}")
            # uvloop, as the server runs: the client shares the machine with it and should cost little.
            lines = uvloop.run(run_live(options)).lines()
        else:
            writes = WriteOptions(
                clients=args.clients,
                seconds=args.seconds,
                warmup=args.warmup,
                database_url=database_url(settings),
                url=url,
                **common,
            )
            print(f"writes: {writes}")
            lines = uvloop.run(run_writes(writes)).lines()
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0
