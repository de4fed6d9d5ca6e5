"""What the task broker carries to subscribers: a task event with the task as it was then read.

Its own module, below the request context, as `resolvers.orders.live` is for orders.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import Task, TaskEvent


@dataclass(frozen=True)
class LiveTaskEvent:
    event: TaskEvent
    task: Task
    """The task as it was when the broker read the event."""

    @property
    def id(self) -> int:
        """The event's position in commit order: its cursor."""
        assert self.event.commit_order is not None
        return self.event.commit_order
