"""The responses a process keeps: bounded in bytes, dropped exactly when a table they read changes.

An entry remembers the tables its response read. A change to a table (a notification
from PostgreSQL, or this process's own committed write) drops every entry that read
it. Each change also takes a number from one sequence, and a request notes the
sequence when it starts: a response whose tables changed while it ran may hold the
old rows, so it is not stored (`put` refuses it). While the process cannot hear
notifications (its LISTEN connection is down) the cache is empty and refuses
everything, since changes may go unheard; reconnecting empties it once more.

Least recently used entries go first when the bytes would exceed the budget, and an
entry bigger than a quarter of the budget is never stored, so a few large responses
cannot flush everything else.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

from doorstep import metrics

# The largest share of the budget one entry may take.
MAX_ENTRY_SHARE = 4
# What an entry costs beyond its body and key, estimated: the entry object, its key tuple,
# its place in the LRU and in the table index.
ENTRY_OVERHEAD = 400

Key = tuple[str, str | None, bytes, str]
"""(document hash, operation name, canonical variables, visibility scope)."""


@dataclass(frozen=True, slots=True)
class Entry:
    body: bytes
    etag: str
    tables: frozenset[str]
    public: bool
    """Whether the scope is the anonymous one: shared caches (CDNs) may keep it too."""
    size: int


def entry_size(key: Key, body: bytes, etag: str) -> int:
    document, operation, variables, scope = key
    return (
        len(body)
        + len(etag)
        + len(document)
        + len(operation or "")
        + len(variables)
        + len(scope)
        + (ENTRY_OVERHEAD)
    )


@dataclass
class ResponseCache:
    budget: int
    """Bytes the entries may take in all; 0 keeps nothing."""
    online: bool = False
    """Whether changes are being heard; until then (and whenever they are not) nothing is kept."""
    sequence: int = 0
    """Grows with each change heard."""
    cleared_at: int = 0
    """The sequence when everything was last dropped."""
    changed_at: dict[str, int] = field(default_factory=dict)
    """The sequence when each table last changed."""
    entries: OrderedDict[Key, Entry] = field(default_factory=OrderedDict)
    readers: dict[str, set[Key]] = field(default_factory=dict)
    """The keys of the entries that read each table."""
    size: int = 0
    """Bytes the entries take now."""
    hits: int = 0
    misses: int = 0
    evictions: int = 0

    @property
    def enabled(self) -> bool:
        return self.online and self.budget > 0

    def get(self, key: Key) -> Entry | None:
        entry = self.entries.get(key)
        if entry is None:
            self.misses += 1
            metrics.CACHE_MISSES.inc()
            return None
        self.hits += 1
        metrics.CACHE_HITS.inc()
        self.entries.move_to_end(key)
        return entry

    def put(self, key: Key, entry: Entry, since: int) -> bool:
        """Keeps a response computed by a request that started at sequence `since`, if still current."""
        if not self.enabled or entry.size > self.budget // MAX_ENTRY_SHARE or self.cleared_at > since:
            return False
        if any(self.changed_at.get(table, 0) > since for table in entry.tables):
            return False
        self._drop(key)
        self.entries[key] = entry
        self.size += entry.size
        for table in entry.tables:
            self.readers.setdefault(table, set()).add(key)
        while self.size > self.budget:
            oldest = next(iter(self.entries))
            self._drop(oldest)
            self.evictions += 1
        return True

    def changed(self, tables: Iterable[str]) -> None:
        """Tables changed (committed): their readers go, and responses being computed are not kept."""
        for table in tables:
            self.sequence += 1
            self.changed_at[table] = self.sequence
            for key in self.readers.pop(table, ()):
                self._drop(key)

    def clear(self) -> None:
        """Everything goes, and responses being computed are not kept."""
        self.sequence += 1
        self.cleared_at = self.sequence
        self.entries.clear()
        self.readers.clear()
        self.size = 0

    def go_offline(self) -> None:
        self.online = False
        self.clear()

    def go_online(self) -> None:
        self.clear()
        self.online = True

    def _drop(self, key: Key) -> None:
        entry = self.entries.pop(key, None)
        if entry is None:
            return
        self.size -= entry.size
        for table in entry.tables:
            keys = self.readers.get(table)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self.readers[table]
