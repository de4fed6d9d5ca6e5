"""What a response cost, reported in its `extensions.cost` as GitHub and Shopify report theirs.

`requestedNodes` is the node count the limit check computed before the operation ran
(`schema.limits`), `maximumNodes` the limit it was held to, and `actualNodes` what the
connections and lists of IDs really returned, counted while the operation runs.

The count is kept where the pages are made rather than by walking the response
afterwards: a connection resolver adds its page's length, one addition per connection
instead of a second pass over every object of a large response; and it counts exactly
what `requestedNodes` bounds (pages and lists of IDs, not every list in the data), so
`actualNodes` never exceeds it and its nodes are counted once however many of
`nodes`, `edges` and `pageInfo` a query selects. A page counts once it is loaded, even
when an error elsewhere nulls the object it hangs on: it was read all the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

# A context variable rather than a field of the request's Context: a websocket shares one
# Context among the operations it runs concurrently, while each operation runs in its own
# task, and the tasks resolving its fields inherit the variable from it.
_counting: ContextVar[Cost | None] = ContextVar("counting_nodes", default=None)


@dataclass
class Cost:
    requested: int
    maximum: int
    actual: int = 0

    @contextmanager
    def counting(self) -> Iterator[None]:
        """Counts the nodes returned inside the block (an operation's execution) into this cost."""
        token = _counting.set(self)
        try:
            yield
        finally:
            _counting.reset(token)

    def as_extension(self) -> dict[str, int]:
        return {"requestedNodes": self.requested, "actualNodes": self.actual, "maximumNodes": self.maximum}


def count_returned(nodes: int) -> None:
    """Adds nodes a connection or a list of IDs returned to the running operation's cost."""
    cost = _counting.get()
    if cost is not None:
        cost.actual += nodes
