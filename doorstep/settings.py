"""Settings, read from the environment once at start-up."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path

from limits import parse_many

MIN_SECRET_LENGTH = 32
MIN_METRICS_TOKEN_LENGTH = 16


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


def _list(name: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in os.environ.get(name, "").split(",") if item.strip())


def _network(value: str) -> IPv4Network | IPv6Network:
    try:
        return ip_network(value, strict=False)
    except ValueError:
        raise SettingsError(f"DOORSTEP_TRUSTED_PROXIES: {value!r} is not an address or network") from None


def _rate(name: str, default: str | None) -> str | None:
    """A rate in the `limits` notation ("20/minute", "5/second;100/hour"), or "off"."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if raw.lower() == "off":
        return None
    try:
        parse_many(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a rate such as 20/minute, or off; not {raw!r}") from None
    return raw


@dataclass(frozen=True)
class RateLimits:
    """Requests allowed per window; None is no limit (`limits` notation, e.g. "300/minute")."""

    anonymous: str | None = "300/minute"
    """Per client address, for requests without an access token."""
    account: str | None = "600/minute"
    """Per account, for requests with one."""
    login: str | None = "20/minute"
    """Per client address, for sign-ins, on top of the throttle of each (username, address)."""


def _flag(name: str) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


@dataclass(frozen=True)
class WebhookSettings:
    """How order events are delivered to providers' endpoints (`doorstep.webhooks`)."""

    allow_private: bool = False
    """Whether endpoints may resolve to loopback, private or other non-public addresses;
    off, a registered URL cannot make the server call into its own network (SSRF)."""
    timeout_seconds: float = 10.0
    """The longest one request may take, from connecting to the last byte read."""
    max_response_bytes: int = 64 * 1024
    """How much of a response is read; the rest is dropped unread."""
    retry_base_seconds: float = 5.0
    """The wait before the first retry; each further one doubles it (with jitter)."""
    retry_max_seconds: float = 3600.0
    """The longest wait between two attempts."""
    retry_window_seconds: float = 24 * 3600.0
    """How long an event is retried before it is given up, and the next one of its order sent."""
    pause_after_failures: int = 20
    """Consecutive failed attempts after which an endpoint is paused until its owner resumes it."""
    poll_seconds: float = 5.0
    """How often each process looks for due deliveries when nothing wakes it."""
    concurrency: int = 8
    """How many requests each process sends at once."""


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
    live_pool_size: int
    """Database connections of each process's subscriptions, apart from the requests' pool."""
    alert_interval_seconds: float
    """How often each process looks for deadlines to alert about."""
    allowed_origins: tuple[str, ...]
    """Other web origins whose pages may call the API (CORS) and open its websockets."""
    production: bool = False
    compaction_interval_seconds: float = 10.0
    """How often each process folds the deltas of the order summary into it (one at a time)."""
    """DOORSTEP_ENV=production: no GraphiQL, no anonymous introspection, a configured secret key."""
    max_body_bytes: int = 1_000_000
    """The largest request body read; a larger one is refused with 413 before it is parsed."""
    rate_limits: RateLimits = RateLimits()
    redis_url: str | None = None
    """Where rate limits are counted so that they hold across processes; None counts in memory."""
    trusted_proxies: tuple[IPv4Network | IPv6Network, ...] = ()
    """Peers whose X-Forwarded-For names the client; anyone else's is ignored."""
    webhooks: WebhookSettings = WebhookSettings()
    metrics_token: str | None = None
    """A bearer token /metrics asks for; without one it is open in development, refused in production."""
    metrics_port: int | None = None
    """Serve /metrics on this port of `metrics_host` instead of the API's (`doorstep serve`)."""
    metrics_host: str = "127.0.0.1"

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("DOORSTEP_DATA_DIR", ".doorstep")).resolve()
        environment = os.environ.get("DOORSTEP_ENV", "development")
        if environment not in ("development", "production"):
            raise SettingsError(f"DOORSTEP_ENV must be development or production, not {environment!r}")
        production = environment == "production"
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
            secret_key=_secret_key(data_dir, production),
            token_ttl_minutes=_int("DOORSTEP_TOKEN_TTL_MINUTES", 12 * 60),
            subscriber_queue_size=_int("DOORSTEP_SUBSCRIBER_QUEUE_SIZE", 1000),
            live_pool_size=_int("DOORSTEP_LIVE_POOL_SIZE", 4),
            alert_interval_seconds=_float("DOORSTEP_ALERT_INTERVAL_SECONDS", 30.0),
            allowed_origins=_list("DOORSTEP_ALLOWED_ORIGINS"),
            production=production,
            compaction_interval_seconds=_float("DOORSTEP_COMPACTION_INTERVAL_SECONDS", 10.0),
            max_body_bytes=_int("DOORSTEP_MAX_BODY_BYTES", 1_000_000),
            rate_limits=RateLimits(
                anonymous=_rate("DOORSTEP_RATE_LIMIT_ANONYMOUS", RateLimits.anonymous),
                account=_rate("DOORSTEP_RATE_LIMIT_ACCOUNT", RateLimits.account),
                login=_rate("DOORSTEP_RATE_LIMIT_LOGIN", RateLimits.login),
            ),
            redis_url=os.environ.get("DOORSTEP_REDIS_URL") or None,
            trusted_proxies=tuple(_network(value) for value in _list("DOORSTEP_TRUSTED_PROXIES")),
            webhooks=WebhookSettings(
                allow_private=_flag("DOORSTEP_WEBHOOK_ALLOW_PRIVATE"),
                timeout_seconds=_float("DOORSTEP_WEBHOOK_TIMEOUT_SECONDS", WebhookSettings.timeout_seconds),
                max_response_bytes=_int(
                    "DOORSTEP_WEBHOOK_MAX_RESPONSE_BYTES", WebhookSettings.max_response_bytes
                ),
                retry_base_seconds=_float(
                    "DOORSTEP_WEBHOOK_RETRY_BASE_SECONDS", WebhookSettings.retry_base_seconds
                ),
                retry_max_seconds=_float(
                    "DOORSTEP_WEBHOOK_RETRY_MAX_SECONDS", WebhookSettings.retry_max_seconds
                ),
                retry_window_seconds=_float(
                    "DOORSTEP_WEBHOOK_RETRY_WINDOW_SECONDS", WebhookSettings.retry_window_seconds
                ),
                pause_after_failures=_int(
                    "DOORSTEP_WEBHOOK_PAUSE_AFTER_FAILURES", WebhookSettings.pause_after_failures
                ),
                poll_seconds=_float("DOORSTEP_WEBHOOK_POLL_SECONDS", WebhookSettings.poll_seconds),
                concurrency=_int("DOORSTEP_WEBHOOK_CONCURRENCY", WebhookSettings.concurrency),
            ),
            metrics_token=_metrics_token(),
            metrics_port=_int("DOORSTEP_METRICS_PORT", 0) or None,
            metrics_host=os.environ.get("DOORSTEP_METRICS_HOST", "127.0.0.1"),
        )


def _metrics_token() -> str | None:
    token = os.environ.get("DOORSTEP_METRICS_TOKEN", "").strip()
    if token and len(token) < MIN_METRICS_TOKEN_LENGTH:
        raise SettingsError(f"DOORSTEP_METRICS_TOKEN must be at least {MIN_METRICS_TOKEN_LENGTH} characters")
    return token or None


def _secret_key(data_dir: Path, production: bool) -> str:
    """DOORSTEP_SECRET_KEY, or on a developer machine a random key kept beside the data.

    The key file lets `make run` work with no set-up and lets every worker process
    (and restarts) verify each other's tokens; production must set the variable.
    """
    configured = os.environ.get("DOORSTEP_SECRET_KEY")
    if configured:
        if len(configured) < MIN_SECRET_LENGTH:
            raise SettingsError(f"DOORSTEP_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters")
        return configured
    if production:
        raise SettingsError("DOORSTEP_ENV=production needs DOORSTEP_SECRET_KEY (at least 32 characters)")
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        draft = data_dir / f"secret_key.{os.getpid()}"
        # Private from its first byte: created with mode 0600 (O_EXCL: never an existing file
        # someone else prepared), not made private after being written with the default mode.
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, key_file)  # atomic: a reader never sees a half-written key
        except FileExistsError:
            pass  # another process made it first; use theirs
        finally:
            draft.unlink()
    return key_file.read_text().strip()
