"""Settings, read from the environment once at start-up."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

MIN_SECRET_LENGTH = 32


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


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be positive")
    return value


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    """postgresql+asyncpg://… of an external server; None starts the embedded one."""
    data_dir: Path
    """Where a developer machine keeps its state: the embedded PostgreSQL, the token key."""
    host: str
    port: int
    pool_size: int
    max_page_size: int
    max_query_depth: int
    max_query_nodes: int
    """How many nodes one query may ask for, counting nested connections (GitHub's rule)."""
    max_query_aliases: int
    """How many aliases one query may use: each can ask for the same costly field again."""
    max_query_tokens: int
    """How many tokens a query may have, so parsing an enormous document is refused early."""
    max_cached_documents: int
    """How many distinct query texts each process keeps parsed and validated (and persisted queries)."""
    response_cache_bytes: int
    """How many bytes of responses each process keeps cached; 0 turns the response cache off."""
    http_max_age_seconds: int
    """How long browsers and CDNs may reuse an anonymous response without asking again."""
    http_stale_while_revalidate_seconds: int
    """How much longer they may show it while they ask again in the background."""
    secret_key: str
    """Signs access tokens."""
    token_ttl_minutes: int
    subscriber_queue_size: int
    """Events a subscriber may fall behind by before it is disconnected."""
    alert_interval_seconds: float
    """How often each process looks for deadlines to alert about."""
    allowed_origins: tuple[str, ...]
    """Other web origins whose pages may call the API (CORS) and open its websockets."""

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("DOORSTEP_DATA_DIR", ".doorstep")).resolve()
        return cls(
            database_url=os.environ.get("DATABASE_URL") or None,
            data_dir=data_dir,
            host=os.environ.get("HOST", "127.0.0.1"),
            port=_int("PORT", 8000),
            pool_size=_int("DOORSTEP_POOL_SIZE", 10),
            max_page_size=100,
            max_query_depth=_int("DOORSTEP_MAX_QUERY_DEPTH", 12),
            max_query_nodes=_int("DOORSTEP_MAX_QUERY_NODES", 50_000),
            max_query_aliases=_int("DOORSTEP_MAX_QUERY_ALIASES", 30),
            max_query_tokens=_int("DOORSTEP_MAX_QUERY_TOKENS", 4000),
            max_cached_documents=_int("DOORSTEP_QUERY_CACHE_SIZE", 1000),
            response_cache_bytes=_int("DOORSTEP_RESPONSE_CACHE_BYTES", 64 * 1024 * 1024),
            http_max_age_seconds=_int("DOORSTEP_HTTP_MAX_AGE", 5),
            http_stale_while_revalidate_seconds=_int("DOORSTEP_HTTP_STALE_WHILE_REVALIDATE", 30),
            secret_key=_secret_key(data_dir),
            token_ttl_minutes=_int("DOORSTEP_TOKEN_TTL_MINUTES", 12 * 60),
            subscriber_queue_size=_int("DOORSTEP_SUBSCRIBER_QUEUE_SIZE", 1000),
            alert_interval_seconds=_float("DOORSTEP_ALERT_INTERVAL_SECONDS", 30.0),
            allowed_origins=tuple(
                origin.strip()
                for origin in os.environ.get("DOORSTEP_ALLOWED_ORIGINS", "").split(",")
                if origin.strip()
            ),
        )


def _secret_key(data_dir: Path) -> str:
    """DOORSTEP_SECRET_KEY, or on a developer machine a random key kept beside the data.

    The key file lets `make run` work with no set-up and lets every worker process
    (and restarts) verify each other's tokens; production sets the variable.
    """
    configured = os.environ.get("DOORSTEP_SECRET_KEY")
    if configured:
        if len(configured) < MIN_SECRET_LENGTH:
            raise SettingsError(f"DOORSTEP_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters")
        return configured
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        draft = data_dir / f"secret_key.{os.getpid()}"
        draft.write_text(secrets.token_urlsafe(48))
        draft.chmod(0o600)
        try:
            os.link(draft, key_file)  # atomic: a reader never sees a half-written key
        except FileExistsError:
            pass  # another process made it first; use theirs
        finally:
            draft.unlink()
    return key_file.read_text().strip()
