"""What a request to /graphql must pass before GraphQL sees it: its size, its shape, the rate limits.

An ASGI middleware rather than a part of the GraphQL view, so that a refusal costs no
parsing of the query and no database connection: a body larger than the limit is
refused after reading at most the limit (413); a body that is not one GraphQL request
(invalid JSON, a bare string, an array, nesting beyond orjson's 1,024 levels, a
`query` that is not a string) is refused with 400; a caller over its rate gets 429 with
`Retry-After`. Each refusal is a GraphQL error body (`errors`, with a `code`), as are
the transport errors the GraphQL view answers in plain text (a mutation sent by GET,
an unsupported content type): a client reads every refusal the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from ipaddress import ip_address
from typing import Any

import orjson
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    parse,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from doorstep import metrics
from doorstep.observe import record_of
from doorstep.ratelimit import Refusal, RequestLimiter
from doorstep.settings import Settings
from resolvers.accounts import bearer_token, user_id_from_token
from resolvers.errors import NotAuthenticated

log = logging.getLogger(__name__)


class BodyTooLarge(Exception):
    pass


def error_body(message: str, code: str, **extensions: Any) -> bytes:
    """A GraphQL response carrying one request error (no `data`: the operation never ran)."""
    return orjson.dumps({"errors": [{"message": message, "extensions": {"code": code, **extensions}}]})


def request_error(message: str) -> GraphQLRequestError:
    return GraphQLRequestError(400, message, "BAD_REQUEST")


class GraphQLRequestError(Exception):
    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


def parse_request(body: bytes) -> dict[str, Any]:
    """The GraphQL request a JSON body holds, or a GraphQLRequestError saying what is wrong with it."""
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise request_error(f"The body is not valid JSON: {error}.") from None
    if not isinstance(payload, dict):
        raise request_error(
            "The body must be a JSON object with `query` (and `variables`, `operationName`); "
            f"a {type(payload).__name__ if payload is not None else 'null'} is not a GraphQL request."
        )
    extensions = payload.get("extensions")
    # An automatic persisted query names its document by hash and may leave out the text.
    persisted = isinstance(extensions, dict) and "persistedQuery" in extensions
    if not isinstance(payload.get("query"), str) and not (persisted and payload.get("query") is None):
        raise request_error("The body's `query` must be a string holding the GraphQL document.")
    for name, kind in (("variables", dict), ("extensions", dict), ("operationName", str)):
        value = payload.get(name)
        if value is not None and not isinstance(value, kind):
            wanted = "an object" if kind is dict else "a string"
            raise request_error(f"The body's `{name}` must be {wanted} or null.")
    return payload


def signs_in(query: str, max_tokens: int) -> bool:
    """Whether a document's mutations select `login`, where the sign-in rate applies."""
    if "login" not in query:
        return False  # no need to parse: most requests never mention it
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLError:
        return False  # the GraphQL view answers the syntax error; nothing runs
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return any(
        isinstance(d, OperationDefinitionNode)
        and d.operation is OperationType.MUTATION
        and _selects_login(d.selection_set, fragments, set())
        for d in document.definitions
    )


def _selects_login(
    selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode], seen: set[str]
) -> bool:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode) and selection.name.value == "login":
            return True
        if isinstance(selection, InlineFragmentNode) and _selects_login(
            selection.selection_set, fragments, seen
        ):
            return True
        if isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                seen.add(name)
                if _selects_login(fragments[name].selection_set, fragments, seen):
                    return True
    return False


class RequestGuard:
    """Refuses oversized, malformed and too frequent requests to the GraphQL endpoint."""

    def __init__(self, app: ASGIApp, settings: Settings, limiter: RequestLimiter, path: str) -> None:
        self.app = app
        self.settings = settings
        self.limiter = limiter
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
        }
        body = b""
        malformed: GraphQLRequestError | None = None
        login = False
        if scope["method"] == "POST":
            try:
                body = await self._read_body(headers, receive)
            except BodyTooLarge:
                message = (
                    f"The request body is larger than the limit of {self.settings.max_body_bytes:,} bytes."
                )
                refused(scope, "REQUEST_TOO_LARGE")
                await respond(send, 413, error_body(message, "REQUEST_TOO_LARGE"))
                return
            if headers.get("content-type", "").split(";")[0].strip().lower() == "application/json":
                try:
                    query = parse_request(body).get("query")
                    login = isinstance(query, str) and signs_in(query, self.settings.max_query_tokens)
                except GraphQLRequestError as error:
                    malformed = error
        # Malformed requests count against the rate too: refusing them is cheap, not free.
        refusal = await self.limiter.check(
            address=client_address(scope, self.settings), account=self._account(headers), login=login
        )
        if refusal is not None:
            metrics.RATE_LIMITED.labels(refusal.scope).inc()
            refused(scope, "RATE_LIMITED")
            await self._refuse(send, refusal)
        elif malformed is not None:
            refused(scope, malformed.code)
            await respond(send, malformed.status, error_body(str(malformed), malformed.code))
        else:
            await self.app(scope, replay(body, receive), graphql_errors(send))

    async def _read_body(self, headers: Mapping[str, str], receive: Receive) -> bytes:
        limit = self.settings.max_body_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise BodyTooLarge
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _account(self, headers: Mapping[str, str]) -> int | None:
        """The account a valid token names; a request without one (or a bad one) counts by address."""
        try:
            token = bearer_token(headers.get("authorization"))
            return None if token is None else user_id_from_token(self.settings, token)
        except NotAuthenticated:
            return None

    async def _refuse(self, send: Send, refusal: Refusal) -> None:
        log.info(
            "rate limited: %s %s over %s, retry after %d s",
            refusal.scope,
            refusal.key,
            refusal.limit,
            refusal.retry_after,
        )
        body = error_body(
            f"Too many requests ({refusal.limit} {refusal.scope}); try again in {refusal.retry_after} s.",
            "RATE_LIMITED",
            retryAfter=refusal.retry_after,
        )
        await respond(send, 429, body, [(b"retry-after", str(refusal.retry_after).encode())])


def refused(scope: Scope, code: str) -> None:
    """Counts a refusal's code among the errors, and notes it for the request's log line."""
    metrics.ERRORS.labels(code).inc()
    record = record_of(scope)
    if record is not None:
        record.errors.append(code)


def client_address(scope: Scope, settings: Settings) -> str:
    """The caller's address: the peer's, or behind trusted proxies the one they forwarded.

    X-Forwarded-For is believed only from a trusted proxy, else anyone could pose as any
    address (and escape their rate limit). Read from the right: each trusted proxy
    appended the address it received from, so the first untrusted one is the client.
    """
    peer = (scope.get("client") or ("unknown", 0))[0]

    def trusted(address: str) -> bool:
        try:
            parsed = ip_address(address)
        except ValueError:
            return False
        return any(parsed in network for network in settings.trusted_proxies)

    if not settings.trusted_proxies or not trusted(peer):
        return str(peer)
    forwarded: list[str] = []
    for name, value in scope["headers"]:
        if name.lower() == b"x-forwarded-for":
            forwarded += [part.strip() for part in value.decode("latin-1").split(",") if part.strip()]
    for address in reversed(forwarded):
        if not trusted(address):
            return address
    return forwarded[0] if forwarded else str(peer)


def replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the app the body already read, then defers to the connection."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


TRANSPORT_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}


def graphql_errors(send: Send) -> Send:
    """A `send` that rewrites the GraphQL view's plain-text refusals (4xx) as GraphQL error bodies."""
    held: Message | None = None
    chunks: list[bytes] = []

    async def sending(message: Message) -> None:
        nonlocal held
        if message["type"] == "http.response.start" and held is None:
            content_type = dict(message.get("headers", [])).get(b"content-type", b"")
            if 400 <= message["status"] < 500 and content_type.startswith(b"text/plain"):
                held = message
                return
        if held is not None and message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            text = b"".join(chunks).decode("utf-8", "replace")
            code = TRANSPORT_CODES.get(held["status"], "BAD_REQUEST")
            await respond(send, held["status"], error_body(text, code))
            return
        await send(message)

    return sending


async def respond(send: Send, status: int, body: bytes, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
