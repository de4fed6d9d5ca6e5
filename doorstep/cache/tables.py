"""Which tables a request's statements read and wrote, seen where SQL leaves for the database.

An engine event looks at the text of every statement a request sends (ORM, Core and
text statements alike, whoever builds them) and notes each table of the models it
names. Naming is enough: a name in a statement that does not read the table (a column
alias, say) costs an extra invalidation, never a stale read. Statements are few
distinct texts (SQLAlchemy caches their compilation), so each text is scanned once.

Some responses must never be kept, whatever their tables: those whose statements ask
the database for the time (`now()`: an overdue filter means something else a minute
later), and those that read orders, whose deadline fields (`secondsLeft`,
`responseOverdue`) are computed against the clock. (Resolvers that read the clock or
the live cursor in Python say so too, `resolvers.context.reads_the_moment`; orders are
left out all the same, as their answers are private and change by the minute.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

CLOCK_DEPENDENT_TABLES = frozenset({"orders"})
CLOCK = re.compile(r"\b(now|current_timestamp|current_date|clock_timestamp|statement_timestamp)\b", re.I)
MEMO_SIZE = 4096


@dataclass
class Reads:
    """What one request's statements named."""

    read: set[str] = field(default_factory=set)
    written: set[str] = field(default_factory=set)
    clock: bool = False
    """Whether a statement asked for the time, or read a table whose answers depend on it."""


_current: ContextVar[Reads | None] = ContextVar("doorstep_reads", default=None)


@dataclass(frozen=True, slots=True)
class Statement:
    tables: frozenset[str]
    writes: bool
    clock: bool


class TableNames:
    """Scans statement texts for the names of tables, remembering the texts it has seen."""

    def __init__(self, tables: Iterable[str]) -> None:
        names = sorted(tables, key=len, reverse=True)
        self._pattern = re.compile(r'(?<![\w."])"?(' + "|".join(map(re.escape, names)) + r')"?(?![\w"])')
        self._memo: dict[str, Statement] = {}

    def of(self, sql: str) -> Statement:
        found = self._memo.get(sql)
        if found is None:
            tables = frozenset(self._pattern.findall(sql))
            found = Statement(
                tables=tables,
                # Anything but a plain SELECT may write (a CTE may too): counted as a write.
                writes=sql.lstrip()[:6].upper() != "SELECT",
                clock=bool(CLOCK.search(sql)) or bool(tables & CLOCK_DEPENDENT_TABLES),
            )
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[sql] = found
        return found


def track(engine: AsyncEngine, names: TableNames) -> None:
    """Notes the tables of each statement the engine sends into the running request's `Reads`."""

    def before_cursor_execute(
        conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        reads = _current.get()
        if reads is None:
            return
        found = names.of(statement)
        if found.writes:
            reads.written |= found.tables
        reads.read |= found.tables
        reads.clock = reads.clock or found.clock

    event.listen(engine.sync_engine, "before_cursor_execute", before_cursor_execute)


def start() -> tuple[Reads, Token[Reads | None]]:
    """Begins noting the running task's statements (and those of the tasks it starts)."""
    reads = Reads()
    return reads, _current.set(reads)


def stop(token: Token[Reads | None]) -> None:
    _current.reset(token)
