"""Logs with `structlog`: one JSON object per line for collectors, readable columns in a terminal.

structlog rather than a hand-made JSON formatter: it binds fields to a request once
(`contextvars`, so every line logged while a request runs carries its id), renders
the same event as JSON or as coloured columns, and formats the standard library's
records (uvicorn's, SQLAlchemy's, and the project's modules that log with `logging`)
through the same processors, so a process writes one format to one stream.

The choice between the two is made once, at start-up: a terminal (stderr a TTY) gets
the console renderer, anything else (a file, a pipe, journald, a container's log) JSON.
"""

from __future__ import annotations

import logging
import sys
from typing import IO, Any

import orjson
import structlog

UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")
_configured = False


def _json(event: Any, **_kwargs: Any) -> str:
    # orjson: the request line is written for every request; it is several times faster than json.
    return orjson.dumps(event, default=str).decode()


class StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a line is written, not when logging was set up
    (test runners swap it, and close the one they swapped in)."""

    @property
    def stream(self) -> IO[str]:
        return sys.stderr

    @stream.setter
    def stream(self, _value: IO[str]) -> None:
        pass


def configure(stream: IO[str] | None = None, *, json: bool | None = None, level: int = logging.INFO) -> None:
    """Sends structlog's and the standard library's logs to `stream` (stderr), as JSON unless a TTY."""
    global _configured
    stream = stream or sys.stderr
    if json is None:
        json = not stream.isatty()
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer(serializer=_json)
        if json
        else structlog.dev.ConsoleRenderer(colors=stream.isatty())
    )
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        # Records from the standard library: their `extra` fields become fields of the line.
        foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder()],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            *([structlog.processors.format_exc_info] if json else []),
            renderer,
        ],
    )
    handler = logging.StreamHandler(stream) if stream is not sys.stderr else StderrHandler()
    handler.setFormatter(formatter)
    handler.set_name("doorstep")
    root = logging.getLogger()
    for existing in [h for h in root.handlers if h.get_name() == "doorstep"]:
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    for name in UVICORN_LOGGERS:
        # uvicorn configures handlers of its own; its lines go through ours instead, and its
        # access log is off (`doorstep serve`): the request line below says more.
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    _configured = True


def configure_once() -> None:
    """Configures logging unless it already was (by the CLI, or by a test capturing the lines)."""
    if not _configured:
        configure()
