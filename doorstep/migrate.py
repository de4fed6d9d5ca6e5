"""Applying and writing Alembic migrations from code, on the app's own engine."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# Serialises concurrent `migrate` runs (several workers starting at once).
MIGRATION_LOCK_KEY = 0x646F6F72


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine, revision: str = "heads") -> None:
    async with engine.connect() as connection:
        await connection.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})")
        try:
            await connection.run_sync(lambda sync: command.upgrade(_config(sync), revision))
            await connection.commit()
        except BaseException:
            await connection.rollback()  # the session-level lock outlives it, so it can be released
            raise
        finally:
            await connection.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})")


async def write_revision(engine: AsyncEngine, message: str) -> None:
    """Autogenerate a revision from the models' difference with the database."""
    async with engine.connect() as connection:
        await connection.run_sync(
            lambda sync: command.revision(_config(sync), message=message, autogenerate=True)
        )
