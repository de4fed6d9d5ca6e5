"""Settings, read from the environment once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


class SettingsError(ValueError):
    pass


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, not {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    """postgresql+asyncpg://… of an external server; None starts the embedded one."""
    data_dir: Path
    """Where the embedded PostgreSQL keeps its cluster."""
    host: str
    port: int
    pool_size: int
    max_page_size: int
    max_query_depth: int
    max_query_nodes: int
    """How many nodes one query may ask for, counting nested connections (GitHub's rule)."""

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("DATABASE_URL") or None,
            data_dir=Path(os.environ.get("DOORSTEP_DATA_DIR", ".doorstep")).resolve(),
            host=os.environ.get("HOST", "127.0.0.1"),
            port=_int("PORT", 8000),
            pool_size=_int("DOORSTEP_POOL_SIZE", 10),
            max_page_size=100,
            max_query_depth=_int("DOORSTEP_MAX_QUERY_DEPTH", 12),
            max_query_nodes=_int("DOORSTEP_MAX_QUERY_NODES", 50_000),
        )
