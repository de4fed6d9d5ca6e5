"""The GraphQL schema of doorstep: types that describe the API and delegate to resolvers."""

from __future__ import annotations

from functools import partial
from typing import Any

import strawberry
from graphql import GraphQLError, GraphQLObjectType, GraphQLResolveInfo
from strawberry import relay
from strawberry.extensions import MaxTokensLimiter
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.relay.utils import to_base64
from strawberry.types import ExecutionContext, ExecutionResult, Info

from doorstep.settings import Settings
from resolvers.errors import ClientError
from schema.accounts import AccountsMutation, AccountsQuery, User
from schema.cases.mutations import CasesMutation
from schema.cases.queries import CasesQuery
from schema.cases.subscriptions import CasesSubscription
from schema.cases.types import Case, CaseEvent
from schema.catalog.mutations import CatalogMutation
from schema.catalog.queries import CatalogQuery
from schema.catalog.types import Category, Provider, Service
from schema.common import RowNode, related_fields
from schema.cost import count_returned
from schema.documents import CheckedDocuments, DocumentCache, Limits
from schema.extensions import (
    MaskFaults,
    RefuseAnonymousIntrospection,
    RefuseBadCredentials,
    ReleaseSession,
    ScreensReadTheirBoard,
    log_errors,
)
from schema.labels import LabelsQuery
from schema.lists.mutations import ListsMutation
from schema.lists.queries import ListsQuery
from schema.lists.types import Demand, DemandEvent, DemandProposal, Project, Resource
from schema.live import LiveExecutor, LiveFollow, RenderedEvent
from schema.orders.board import BoardQuery
from schema.orders.mutations import OrdersMutation
from schema.orders.queries import OrdersQuery
from schema.orders.subscriptions import OrdersSubscription
from schema.orders.types import Meeting, Order, OrderEvent
from schema.orders.whistles import WhistlesMutation
from schema.places import District, PlacesQuery, Station, Town
from schema.screens import ScreensMutation, ScreensQuery, ScreenToken
from schema.statistics.queries import StatisticsQuery
from schema.supervision import SupervisionMutation
from schema.tasks.mutations import TasksMutation
from schema.tasks.queries import TasksQuery
from schema.tasks.subscriptions import TasksSubscription
from schema.tasks.types import Task, TaskEvent
from schema.time_bank.mutations import TimeBankMutation
from schema.time_bank.queries import TimeBankQuery
from schema.time_bank.types import PointsMovement, Redemption, Reward
from schema.volunteers import Volunteer, VolunteersMutation, VolunteersQuery
from schema.webhooks.mutations import WebhooksMutation
from schema.webhooks.queries import WebhooksQuery
from schema.webhooks.types import WebhookEndpoint

NODE_TYPES: dict[str, type[RowNode]] = {
    t.__name__: t
    for t in (
        District,
        Town,
        Station,
        Provider,
        Category,
        Service,
        Resource,
        Project,
        Demand,
        DemandEvent,
        DemandProposal,
        User,
        Order,
        OrderEvent,
        Meeting,
        Volunteer,
        Task,
        TaskEvent,
        PointsMovement,
        Reward,
        Redemption,
        Case,
        CaseEvent,
        WebhookEndpoint,
        ScreenToken,
    )
}
MAX_NODES_PER_LOOKUP = 100


async def resolve_nodes(info: Info, ids: list[relay.GlobalID]) -> list[relay.Node | None]:
    """Nodes by global ID, in order; null where none exists or the viewer may not see it."""
    by_type: dict[str, list[str]] = {}
    for global_id in ids:
        by_type.setdefault(global_id.type_name, []).append(global_id.node_id)
    found: dict[tuple[str, str], relay.Node | None] = {}
    for type_name, node_ids in by_type.items():
        node_type = NODE_TYPES.get(type_name)
        if node_type is None:
            continue
        nodes = await node_type.resolve_nodes(info=info, node_ids=node_ids)
        found.update(zip(((type_name, node_id) for node_id in node_ids), nodes, strict=True))
    return [found.get((global_id.type_name, global_id.node_id)) for global_id in ids]


@strawberry.type(description="The entry points for reading doorstep.")
class Query(
    AccountsQuery,
    PlacesQuery,
    CatalogQuery,
    ListsQuery,
    OrdersQuery,
    CasesQuery,
    BoardQuery,
    LabelsQuery,
    StatisticsQuery,
    VolunteersQuery,
    TasksQuery,
    TimeBankQuery,
    WebhooksQuery,
    ScreensQuery,
):
    @strawberry.field(description="Any object by its global ID; null when none exists or it is not visible.")
    async def node(self, info: Info, id: relay.GlobalID) -> relay.Node | None:
        return (await resolve_nodes(info, [id]))[0]

    @strawberry.field(description="Objects by their global IDs (at most 100), in the order asked.")
    async def nodes(self, info: Info, ids: list[relay.GlobalID]) -> list[relay.Node | None]:
        if len(ids) > MAX_NODES_PER_LOOKUP:
            raise ClientError(f"Ask for at most {MAX_NODES_PER_LOOKUP} IDs at once.", code="TOO_MANY_IDS")
        nodes = await resolve_nodes(info, ids)
        count_returned(sum(node is not None for node in nodes))
        return nodes


@strawberry.type(
    description="The entry points for changing doorstep. Each returns a payload with `userErrors`."
)
class Mutation(
    AccountsMutation,
    CatalogMutation,
    ListsMutation,
    OrdersMutation,
    VolunteersMutation,
    TasksMutation,
    TimeBankMutation,
    WhistlesMutation,
    CasesMutation,
    SupervisionMutation,
    WebhooksMutation,
    ScreensMutation,
):
    pass


@strawberry.type(
    description="Live order and task status over websockets (graphql-transport-ws, or graphql-ws for older clients). "
    'Send the access token in the connection_init payload as `authorization: "Bearer <token>"`.'
)
class Subscription(OrdersSubscription, TasksSubscription, CasesSubscription):
    pass


class DoorstepSchema(strawberry.Schema):
    async def _handle_execution_result(
        self,
        context: ExecutionContext,
        result: Any,
        extensions_runner: SchemaExtensionsRunner,
        *,
        skip_process_errors: bool = False,
    ) -> ExecutionResult:
        # A live event rendered cleanly once for all its subscribers alike (schema.live): the
        # extensions add nothing to it (no cost is answered for events, no error to mask), and
        # running them for each of thousands of subscribers cost more than the render. Nor to
        # the handover of a subscription's live events to the transport.
        if isinstance(result, RenderedEvent | LiveFollow):
            return result
        return await super()._handle_execution_result(
            context, result, extensions_runner, skip_process_errors=skip_process_errors
        )

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_errors(errors, execution_context)


def global_id(type_name: str, root: RowNode, info: GraphQLResolveInfo) -> str:
    """The `id` of a node, as strawberry's `Node.id` spells it: base64 of `<type>:<id>`."""
    return to_base64(type_name, root.id)  # type: ignore[attr-defined]  # every node type's NodeID is `id`


def answer_directly(schema: strawberry.Schema) -> None:
    """Resolves the `id` of every node type with `global_id`, called by graphql-core as it is,
    and its related fields (`schema.common.related_field`) alike.

    Strawberry's `Node.id` goes through its resolver wrapper (an `Info`, the arguments
    converted, the type name looked up on the path, a `GlobalID` then turned into its text)
    for every object of a response: on a page of twenty services, more time than the rest
    of their fields. The answer is the same text.
    """
    for type_name, node in NODE_TYPES.items():
        graphql_type = schema._schema.get_type(type_name)
        assert isinstance(graphql_type, GraphQLObjectType)
        graphql_type.fields["id"].resolve = partial(global_id, type_name)
        # Likewise the related fields: they need the context, not strawberry's `Info` around it.
        for name, related in related_fields(node).items():
            graphql_type.fields[name].resolve = related


def build_schema(settings: Settings, documents: DocumentCache | None = None) -> strawberry.Schema:
    """The schema; `documents` keeps the parsed and validated query texts (a new cache if not given)."""
    limits = Limits(settings.max_query_depth, settings.max_query_aliases, settings.max_query_nodes)
    production_only = [RefuseAnonymousIntrospection] if settings.production else []
    schema = DoorstepSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=list(NODE_TYPES.values()),
        # Live events are executed once per selection and viewer, not per subscriber (schema.live).
        execution_context_class=LiveExecutor,
        extensions=[
            RefuseBadCredentials,
            partial(MaxTokensLimiter, max_token_count=settings.max_query_tokens),
            partial(
                CheckedDocuments,
                documents=documents or DocumentCache(settings.max_cached_documents),
                limits=limits,
            ),
            *production_only,
            ScreensReadTheirBoard,
            MaskFaults,
            ReleaseSession,
        ],
    )
    answer_directly(schema)
    return schema
