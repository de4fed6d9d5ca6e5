"""Automatic persisted queries as Apollo clients send them, and the operation a request asks for.

A client sends `extensions.persistedQuery = {version: 1, sha256Hash}` without the query
text; when the server does not know the hash it answers `PersistedQueryNotFound`, and
the client sends the text with the hash once, which registers it. A GET URL then
carries a short hash instead of a document, so screens and CDNs can cache it.

Reading a request (POST JSON or GET parameters) is done here too, refusing what it
cannot read with a GraphQL error and a 4xx status rather than a plain-text error or a
500: a body over a megabyte or a URL over 32 KiB, JSON that does not parse, variables that are not an
object, a hash that does not match its query.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.requests import Request

# A GET carries its operation in the URL, which proxies and clients cut far shorter than bodies.
MAX_URL_QUERY_BYTES = 32 * 1024
# Longer texts are run but not registered: 1,000 registered texts stay within a few megabytes.
MAX_PERSISTED_QUERY_LENGTH = 16 * 1024


class RequestError(Exception):
    """A request that cannot be run, answered with this status and a GraphQL error."""

    def __init__(self, message: str, code: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class PersistedQueryNotFound(RequestError):
    def __init__(self) -> None:
        # Apollo's exact message and code, which its clients look for before sending the text;
        # status 200 as Apollo Server answers it.
        super().__init__("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND", status=200)


@dataclass
class Operation:
    """What a request asks to run."""

    query: str | None
    document_hash: str
    """The sha256 of the query text, hex: the hash the client sent, or that of the text."""
    operation_name: str | None
    variables: dict[str, Any]
    extensions: dict[str, Any] | None
    registers: bool = False
    """Whether the text came with its hash, to be kept for requests sending the hash alone."""


@dataclass
class PersistedQueries:
    """Registered query texts by their sha256, the `size` most recently used."""

    size: int
    texts: OrderedDict[str, str] = field(default_factory=OrderedDict)

    def get(self, document_hash: str) -> str | None:
        text = self.texts.get(document_hash)
        if text is not None:
            self.texts.move_to_end(document_hash)
        return text

    def add(self, document_hash: str, text: str) -> None:
        if len(text) > MAX_PERSISTED_QUERY_LENGTH:
            return
        self.texts[document_hash] = text
        self.texts.move_to_end(document_hash)
        while len(self.texts) > max(self.size, 0):
            self.texts.popitem(last=False)


def _json(raw: str | bytes, what: str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise RequestError(f"`{what}` is not valid JSON.", "BAD_REQUEST") from None


async def read_operation(request: Request, persisted: PersistedQueries) -> Operation:
    """The operation a GET or POST request asks for, its persisted query resolved."""
    if request.method in ("GET", "HEAD"):
        if len(request.scope["query_string"]) > MAX_URL_QUERY_BYTES:
            raise RequestError(
                f"The URL's parameters are longer than {MAX_URL_QUERY_BYTES // 1024} KiB: "
                "send a persisted query's hash, or POST.",
                "URI_TOO_LONG",
                status=414,
            )
        params = request.query_params
        data: Any = {
            "query": params.get("query"),
            "operationName": params.get("operationName"),
            "variables": _json(params["variables"], "variables") if params.get("variables") else None,
            "extensions": _json(params["extensions"], "extensions") if params.get("extensions") else None,
        }
    else:
        content_type = request.headers.get("content-type", "")
        if "application/json" not in content_type:
            raise RequestError("Send the operation as JSON (Content-Type: application/json).", "BAD_REQUEST")
        # `doorstep.guard.RequestGuard`, in front of the view, has bounded the body's size already.
        data = _json(await request.body(), "body")
        if not isinstance(data, dict):
            raise RequestError("The body must be one JSON object: batches are not accepted.", "BAD_REQUEST")
    query, name = data.get("query"), data.get("operationName")
    variables, extensions = data.get("variables"), data.get("extensions")
    if not isinstance(query, str | None) or not isinstance(name, str | None):
        raise RequestError("`query` and `operationName` must be strings.", "BAD_REQUEST")
    if not isinstance(variables, dict | None):
        raise RequestError("`variables` must be a JSON object.", "BAD_REQUEST")
    if not isinstance(extensions, dict | None):
        raise RequestError("`extensions` must be a JSON object.", "BAD_REQUEST")
    operation = Operation(query, "", name or None, variables or {}, extensions)
    sent_hash = _persisted_hash(extensions)
    if query is not None:
        operation.document_hash = hashlib.sha256(query.encode()).hexdigest()
        if sent_hash is not None:
            if sent_hash != operation.document_hash:
                raise RequestError("provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH")
            operation.registers = True
        return operation
    if sent_hash is None:
        raise RequestError("No GraphQL query found in the request.", "BAD_REQUEST")
    operation.document_hash = sent_hash
    operation.query = persisted.get(sent_hash)
    return operation


def _persisted_hash(extensions: dict[str, Any] | None) -> str | None:
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise RequestError("Unsupported persisted query version: send version 1.", "BAD_REQUEST")
    sent = persisted.get("sha256Hash")
    if not isinstance(sent, str) or len(sent) != 64:
        raise RequestError("`persistedQuery.sha256Hash` must be a sha256 in hex.", "BAD_REQUEST")
    return sent.lower()
