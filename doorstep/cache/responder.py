"""GraphQL over HTTP with the response cache in front: what runs for every GET and POST /graphql.

A request is read (`persisted.read_operation`), then looked up before anything else
runs: an anonymous request (no Authorization header) that finds its response answers
without touching the database or GraphQL at all. A signed-in request is looked up
once its token has been checked, in the scope of its account (`resolvers.access`). A
miss runs the operation with strawberry, noting the tables its statements named
(`tables`), and keeps the response when it is a query without errors, read only
tables whose changes are announced, and none of them changed while it ran (`store`).
A mutation drops the responses that read what it wrote as soon as it has committed,
before its own answer leaves, so its client never reads the old rows back from this
process; the other processes hear it from PostgreSQL.

HTTP caching rides on the same responses: a strong ETag of the body and 304 for a
matching `If-None-Match`; `Cache-Control: public, max-age, stale-while-revalidate` for
anonymous responses, `private, no-cache` (kept by the browser, revalidated each time)
for signed-in ones, `no-store` for mutations and errors. `Vary: Authorization`, since
one URL answers differently per viewer. A request with `Cache-Control: no-cache` runs
afresh and refreshes the entry. `X-Doorstep-Cache` says HIT, MISS or BYPASS.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from graphql import GraphQLError, OperationDefinitionNode
from starlette.requests import Request
from starlette.responses import Response
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.base import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.utils.operation import get_operation_type

from doorstep import metrics
from doorstep.cache import tables
from doorstep.cache.listener import TableListener
from doorstep.cache.persisted import (
    Operation,
    PersistedQueries,
    PersistedQueryNotFound,
    RequestError,
    read_operation,
)
from doorstep.cache.store import Entry, Key, ResponseCache, entry_size
from doorstep.observe import RequestRecord, record_of
from doorstep.settings import Settings
from resolvers.access import PUBLIC_SCOPE, response_scope
from resolvers.context import Context, Viewer, noting_moments
from schema.documents import DocumentCache
from schema.extensions import FAULT_CODE


class GraphQLView(Protocol):
    """What the responder asks of the app's GraphQL view: it runs operations, the view encodes them.

    A protocol rather than the app's class, so the cache depends on nothing above it.
    """

    schema: BaseSchema

    async def get_context(self, request: Request, response: Response) -> Context: ...

    async def get_sub_response(self, request: Request) -> Response: ...

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse: ...

    def encode_json(self, data: object) -> bytes: ...


CACHE_STATUS = "X-Doorstep-Cache"
# By POST or not: GET (and HEAD) only query, as GraphQL over HTTP says; subscriptions run over websockets.
ALLOWED = {
    True: frozenset({OperationType.QUERY, OperationType.MUTATION}),
    False: frozenset({OperationType.QUERY}),
}
NO_STORE = "no-store"
PRIVATE = "private, no-cache"


@dataclass
class Responder:
    view: GraphQLView
    settings: Settings
    cache: ResponseCache
    listener: TableListener
    persisted: PersistedQueries
    documents: DocumentCache

    @property
    def public_cache_control(self) -> str:
        return (
            f"public, max-age={self.settings.http_max_age_seconds}, "
            f"stale-while-revalidate={self.settings.http_stale_while_revalidate_seconds}"
        )

    async def respond(self, request: Request) -> Response:
        started = self.cache.sequence
        record = record_of(request.scope)
        try:
            operation = await read_operation(request, self.persisted)
        except RequestError as error:
            return error_response(error, record=record)
        fresh = "no-cache" in request.headers.get("cache-control", "").lower()
        variables = cache_key_of(operation.variables)
        # The fast path: no token to check, so the key is known before anything runs.
        anonymous = "authorization" not in request.headers
        if anonymous and not fresh and self.cache.enabled and variables is not None:
            key: Key = (operation.document_hash, operation.operation_name, variables, PUBLIC_SCOPE)
            entry = self.cache.get(key)
            if entry is not None:
                # Only queries are kept, and only answers to documents that were run.
                self.note(record, operation, OperationType.QUERY, known=True)
                return self.cached(request, entry, "HIT", record)
        if operation.query is None:
            return error_response(PersistedQueryNotFound(), record=record)
        return await self.execute(request, operation, variables, started, fresh, looked_up=anonymous)

    async def execute(
        self,
        request: Request,
        operation: Operation,
        variables: bytes | None,
        started: int,
        fresh: bool,
        looked_up: bool,
    ) -> Response:
        view = self.view
        record = record_of(request.scope)
        context = await view.get_context(request, await view.get_sub_response(request))
        scope = None if context.credentials_error else response_scope(context.viewer)
        key: Key | None = None
        if scope is not None and variables is not None:
            key = (operation.document_hash, operation.operation_name, variables, scope)
        status = "BYPASS" if fresh or key is None or not self.cache.enabled else "MISS"
        if status == "MISS" and key is not None and not looked_up:
            entry = self.cache.get(key)
            if entry is not None:
                await context.db.close()
                self.note(record, operation, OperationType.QUERY, known=True, viewer=context.viewer)
                return self.cached(request, entry, "HIT", record)
        reads, token = tables.start()
        try:
            with noting_moments() as moments:
                result = await view.schema.execute(
                    operation.query,
                    variable_values=operation.variables,
                    context_value=context,
                    operation_name=operation.operation_name,
                    allowed_operation_types=ALLOWED[request.method == "POST"],
                    operation_extensions=operation.extensions,
                )
        except InvalidOperationTypeError as error:
            refused = refusal(error.operation_type)
            self.note(record, operation, error.operation_type, known=True, viewer=context.viewer)
            return error_response(refused, {"Allow": "POST"} if refused.status == 405 else None, record)
        except CannotGetOperationTypeError as error:
            return error_response(RequestError(error.as_http_error_reason(), "BAD_REQUEST"), record=record)
        finally:
            tables.stop(token)
            await context.db.close()
        if reads.written:
            # Committed by now (the operation has ended): nobody in this process reads the old rows.
            self.cache.changed(reads.written)
        body = view.encode_json(await view.process_result(request, result))
        if operation.registers and result.data is not None:
            self.persisted.add(operation.document_hash, operation.query or "")
        kind = self.operation_type(operation)
        if record is not None:
            self.note(record, operation, kind, known=kind is not None, viewer=context.viewer)
            record.cost = (result.extensions or {}).get("cost")
            if result.errors:
                record.errors += [answered_code(error) for error in result.errors]
        query = not result.errors and kind is OperationType.QUERY
        if not query or key is None:
            if record is not None:
                record.cache = "BYPASS"
            return json_response(body, {"Cache-Control": NO_STORE, CACHE_STATUS: "BYPASS"})
        tag = etag(body)
        entry = Entry(body, tag, frozenset(reads.read), scope == PUBLIC_SCOPE, entry_size(key, body, tag))
        if self.keeps(reads) and not moments and self.cache.enabled:
            self.cache.put(key, entry, started)
        return self.cached(request, entry, status, record)

    def note(
        self,
        record: RequestRecord | None,
        operation: Operation,
        kind: OperationType | None,
        *,
        known: bool,
        viewer: Viewer | None = None,
    ) -> None:
        """Notes what the request ran, for its log line and the latency histogram (`doorstep.observe`)."""
        if record is None:
            return
        record.operation = metrics.operation_label(self.operation_name(operation), known)
        record.operation_type = kind.value if kind is not None else metrics.UNKNOWN
        record.viewer_id = viewer.user_id if viewer is not None else None

    def operation_name(self, operation: Operation) -> str | None:
        """The name the request gave, or that of its document's only operation."""
        if operation.operation_name or operation.query is None:
            return operation.operation_name
        cached = self.documents.peek(operation.query)
        if cached is None:
            return None
        definitions = cached.document.definitions
        names = [
            d.name.value if d.name else None for d in definitions if isinstance(d, OperationDefinitionNode)
        ]
        return names[0] if len(names) == 1 else None

    def keeps(self, reads: tables.Reads) -> bool:
        """Whether a response of these reads may be kept: every table announces its changes."""
        return not reads.clock and not reads.written and reads.read <= self.listener.tracked

    def operation_type(self, operation: Operation) -> OperationType | None:
        """What the operation is, when its document was parsed and validated (None otherwise)."""
        cached = self.documents.peek(operation.query or "")
        if cached is None:
            return None
        try:
            return get_operation_type(cached.document, operation.operation_name)
        except RuntimeError:
            return None

    def cached(self, request: Request, entry: Entry, status: str, record: RequestRecord | None) -> Response:
        if record is not None:
            record.cache = status
        headers = {
            "ETag": entry.etag,
            "Cache-Control": self.public_cache_control if entry.public else PRIVATE,
            "Vary": "Authorization",
            CACHE_STATUS: status,
        }
        if matches(request.headers.get("if-none-match"), entry.etag):
            return Response(status_code=304, headers=headers)
        return json_response(entry.body, headers)


def answered_code(error: GraphQLError) -> str:
    """An answered error's code, as `schema.extensions.log_errors` counted it: client errors carry
    theirs; a masked fault has none but a path; a document that failed validation neither."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    return FAULT_CODE if error.path else "GRAPHQL_VALIDATION_FAILED"


def refusal(kind: OperationType) -> RequestError:
    if kind is OperationType.SUBSCRIPTION:
        return RequestError(
            "Subscriptions run over websockets on /graphql (graphql-transport-ws), not over HTTP.",
            "BAD_REQUEST",
        )
    # GraphQL over HTTP: a mutation sent by GET is answered 405, naming the method to use.
    return RequestError("Mutations are sent with POST, not GET.", "METHOD_NOT_ALLOWED", 405)


def etag(body: bytes) -> str:
    # blake2b: as collision-resistant as the ETag needs and faster than sha256 on large bodies.
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """If-None-Match compares weakly (RFC 9110 13.1.2): a W/ prefix is ignored."""
    if not if_none_match:
        return False
    candidates = (candidate.strip().removeprefix("W/") for candidate in if_none_match.split(","))
    return any(candidate in ("*", tag) for candidate in candidates)


def json_response(body: bytes, headers: dict[str, str]) -> Response:
    return Response(body, media_type="application/json", headers={"Vary": "Authorization", **headers})


def error_response(
    error: RequestError, headers: dict[str, str] | None = None, record: RequestRecord | None = None
) -> Response:
    metrics.ERRORS.labels(error.code).inc()
    if record is not None:
        record.errors.append(error.code)
        record.cache = "BYPASS"
    body: dict[str, Any] = {"errors": [GraphQLError(str(error), extensions={"code": error.code}).formatted]}
    return Response(
        orjson.dumps(body),
        status_code=error.status,
        media_type="application/json",
        headers={
            "Cache-Control": NO_STORE,
            "Vary": "Authorization",
            CACHE_STATUS: "BYPASS",
            **(headers or {}),
        },
    )


def cache_key_of(variables: dict[str, Any]) -> bytes | None:
    """The variables as a key (keys sorted); None for values nested deeper than orjson writes
    (255 levels): such a request is run, never kept, and GraphQL answers what it makes of them."""
    try:
        return orjson.dumps(variables, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return None
