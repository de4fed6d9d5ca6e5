"""The `doorstep` command: serve, migrate, seed, export the schema."""

from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path

from sqlalchemy import func, select, text

from doorstep import migrate
from doorstep.database import create_engine, database_url
from doorstep.settings import Settings

log = logging.getLogger("doorstep")

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def export_schema_text(settings: Settings) -> str:
    from schema import build_schema

    return str(build_schema(settings)) + "\n"


async def load_demo(engine, *, reload: bool, districts: int) -> dict[str, int] | None:
    """Load the demo district into an empty database (or, with reload, into a wiped one)."""
    from models import Base, District
    from seeds import load_demo as insert_demo

    async with engine.begin() as connection:
        if reload:
            tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        elif await connection.scalar(select(func.count()).select_from(District)):
            return None
        return await insert_demo(connection, districts=districts)


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
    uvicorn.run(
        "doorstep.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        proxy_headers=True,
    )


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
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
    export_parser = commands.add_parser("export-schema", help="write the GraphQL SDL")
    export_parser.add_argument("--output", type=Path, default=SCHEMA_FILE)
    bench_parser = commands.add_parser("bench", help="measure read throughput of a running server")
    bench_parser.add_argument("--url", default="http://127.0.0.1:8000/graphql")
    bench_parser.add_argument("--requests", type=int, default=300, help="requests per scenario")
    bench_parser.add_argument("--concurrency", type=int, default=8, help="parallel clients")
    bench_parser.add_argument("--page-size", type=int, default=20, help="`first` of every connection")
    revision_parser = commands.add_parser("makemigration", help="autogenerate a migration from the models")
    revision_parser.add_argument("message")

    args = parser.parse_args(argv)
    settings = Settings.from_env()

    if args.command == "serve":
        serve(settings, args.workers)
    elif args.command == "migrate":
        asyncio.run(prepare(settings, seed=False))
    elif args.command == "seed":
        asyncio.run(_seed(settings, reload=args.reload, districts=args.districts))
    elif args.command == "export-schema":
        args.output.write_text(export_schema_text(settings), encoding="utf-8")
        print(f"Wrote {args.output}")
    elif args.command == "bench":
        from doorstep.bench import run

        asyncio.run(run(args.url, args.requests, args.concurrency, args.page_size))
    elif args.command == "makemigration":
        asyncio.run(_makemigration(settings, args.message))


async def _seed(settings: Settings, *, reload: bool, districts: int) -> None:
    engine = create_engine(database_url(settings))
    try:
        await migrate.upgrade(engine)
        counts = await load_demo(engine, reload=reload, districts=districts)
        print(counts if counts else "The database already holds data; pass --reload to replace it.")
    finally:
        await engine.dispose()


async def _makemigration(settings: Settings, message: str) -> None:
    engine = create_engine(database_url(settings))
    try:
        await migrate.upgrade(engine)
        await migrate.write_revision(engine, message)
    finally:
        await engine.dispose()
