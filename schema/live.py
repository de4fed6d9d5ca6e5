"""Executing live events: once per event, selection and viewer, not once per subscriber.

graphql-core executes a subscription's selection for each event it yields, with the
subscription's context: a thousand screens on one station would each load the event's
order, station and service, and render the same answer. Here:

- a replayed event (`Delivery`) is executed once per distinct selection (document,
  variables) and viewer, every other subscriber with the same question awaiting that one
  result, with loaders of the viewer for the event, primed with the order, station,
  provider and service the broker or the replay read with it;
- once the replay is sent, the subscription yields a `Handover`, which its executor turns
  into a `LiveFollow` for the transport: from then on the broker's fan-out
  (`doorstep.fanout`) renders each event with `LiveExecutor.payload`, once for all the
  members of a group (`render_key`), and writes the frames itself.

A render without errors comes out as a `RenderedEvent`: its payload serialized once
(orjson), passed by strawberry's per-result extension hooks (`schema.DoorstepSchema`),
which have nothing to add to an event that rendered cleanly. A render with errors is
masked and logged as the extensions do for any result.

The executor is graphql-core's per-event hook (`Executor.build_per_event_executor`), the
way graphql-core documents to customise how subscription events are executed.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from functools import partial
from typing import Any

import orjson
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import ExecutionResult

from resolvers.context import Context, Loaders
from resolvers.orders import events
from resolvers.orders.events import Follow
from resolvers.orders.live import LiveEvent
from schema.extensions import MaskFaults, log_errors


@dataclass(frozen=True)
class Handover:
    """What a subscription yields once it has replayed: from here on the transport delivers."""

    follow: Follow
    delivery: Callable[[LiveEvent], Delivery]
    """The `Delivery` of a live event, as the subscription would have yielded it."""


@dataclass
class LiveFollow(ExecutionResult):
    """Not an answer to send: the subscription's live events, from here on written by the transport.

    The transport gives the broker a member built from it (`doorstep.fanout.Member`), which
    renders each event with this subscription's executor, once for all alike (`render_key`).
    """

    follow: Follow | None = None
    render_key: Hashable = None
    render: Callable[[LiveEvent], Awaitable[str]] | None = None


@dataclass(frozen=True)
class Delivery:
    """What a subscription yields: the value of its root field, with the broker's event it shows."""

    value: Any
    live: LiveEvent


@dataclass
class RenderedEvent(ExecutionResult):
    """An event rendered without errors for every subscriber of one selection and viewer."""

    payload: str = ""
    """`{"data": …}`, serialized once (orjson) for the subscribers of the group."""


class LiveExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, which executes a delivered live event once for all who ask alike."""

    _render_key: tuple[Any, ...] | None = None

    def build_per_event_executor(self, payload: Any) -> Any:
        if isinstance(payload, Handover):
            return _HandOver(self, payload)
        if not isinstance(payload, Delivery):
            return super().build_per_event_executor(payload)
        # graphql-core copies the executor for each event and subscriber; only the one
        # subscriber of a group that renders needs a copy (`render`), the others its result.
        return _SharedRender(self, payload)

    def render_key(self) -> tuple[Any, ...]:
        """What subscribers must share to share a render: selection, variables and viewer."""
        if self._render_key is None:
            context: Context = self.context_value
            # Documents come from the document cache, one object per query text; every executor
            # asking holds its document, so no two alive documents share an id.
            self._render_key = (
                "render",
                id(self.operation),
                repr(self.variable_values.coerced),
                context.viewer,
            )
        return self._render_key

    def render(
        self, delivery: Delivery, serially: bool | None
    ) -> Awaitable[GraphQLExecutionResult | RenderedEvent]:
        executor = super().build_per_event_executor(delivery.value)
        context: Context = self.context_value
        live = delivery.live
        # The subscription's own loaders would keep what they load for hours; each event has
        # loaders of its own for each viewer, holding the rows the broker read with it.
        event_context = dataclasses.replace(context, loaders=Loaders())
        event_context.loaders = live.kept(
            ("loaders", context.viewer), lambda: events.live_loaders(event_context, live)
        )
        executor.context_value = event_context
        return _rendered(executor.execute_operation(serially))

    async def payload(self, delivery: Callable[[LiveEvent], Delivery], live: LiveEvent) -> str:
        """The event as a `next` message's payload (JSON text), for every subscriber of the group.

        A render with errors is logged and masked as strawberry's extensions do for any result
        (`schema.extensions`): faults answer "Internal server error.", client errors their code.
        """
        result = await self.render(delivery(live), None)
        if isinstance(result, RenderedEvent):
            return result.payload
        errors = result.errors or []
        log_errors(errors, None)
        masked = MaskFaults()._process_errors(errors)
        return orjson.dumps({"data": result.data, "errors": [error.formatted for error in masked]}).decode()


@dataclass(frozen=True)
class _HandOver:
    """The per-event executor for a `Handover`: executes nothing, answers the `LiveFollow`."""

    executor: LiveExecutor
    handover: Handover

    def execute_operation(self, serially: bool | None = None) -> LiveFollow:
        executor, handover = self.executor, self.handover
        return LiveFollow(
            data=None,
            errors=None,
            follow=handover.follow,
            render_key=executor.render_key(),
            render=partial(executor.payload, handover.delivery),
        )


@dataclass(frozen=True)
class _SharedRender:
    """The per-event executor graphql-core asks for: the group's one render of the event."""

    executor: LiveExecutor
    delivery: Delivery

    def execute_operation(
        self, serially: bool | None = None
    ) -> Awaitable[GraphQLExecutionResult | RenderedEvent]:
        executor, delivery = self.executor, self.delivery
        return delivery.live.once(executor.render_key(), lambda: executor.render(delivery, serially))


async def _rendered(result: Any) -> GraphQLExecutionResult | RenderedEvent:
    """The result of an execution that graphql-core ran to completion or left to await."""
    settled: GraphQLExecutionResult = await result if inspect.isawaitable(result) else result
    if settled.errors:
        return settled
    return RenderedEvent(
        data=settled.data, errors=None, payload=orjson.dumps({"data": settled.data}).decode()
    )
