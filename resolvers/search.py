"""Text search that works on Chinese: character bigrams, rechecked as substrings.

Each searchable table stores `search_vector`, the unigrams and bigrams of its text
(see `models.base.search_vector`). A term matches when the GIN index finds all its
bigrams and the text really contains the term.
"""

from __future__ import annotations

from typing import ClassVar, Protocol, TypeVarTuple

from sqlalchemy import Select, cast, func, literal
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Mapped

from resolvers.errors import ClientError

MAX_SEARCH_LENGTH = 100
MAX_SEARCH_TERMS = 8

Ts = TypeVarTuple("Ts")


class Searchable(Protocol):
    """A model with a stored search vector of its `__search_columns__` (`models.base.search_vector`)."""

    __search_columns__: ClassVar[tuple[str, ...]]
    # A class-level descriptor, as mapped columns are: the column on the class.
    search_vector: ClassVar[Mapped[str]]


def _lexeme(gram: str) -> str:
    return "'" + gram.replace("\\", "\\\\").replace("'", "''") + "'"


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_terms(text: str) -> list[str]:
    if len(text) > MAX_SEARCH_LENGTH:
        raise ClientError(
            f"Search text is limited to {MAX_SEARCH_LENGTH} characters.", code="SEARCH_TOO_LONG"
        )
    if "\x00" in text:
        raise ClientError("Search text cannot contain NUL characters.", code="INVALID_SEARCH")
    terms = list(dict.fromkeys(text.lower().split()))
    if len(terms) > MAX_SEARCH_TERMS:
        raise ClientError(f"Search with at most {MAX_SEARCH_TERMS} terms.", code="SEARCH_TOO_LONG")
    return terms


def apply_search(stmt: Select[*Ts], model: type[Searchable], text: str | None) -> Select[*Ts]:
    """Keep the rows whose text contains every whitespace-separated term of `text`."""
    if text is None:
        return stmt
    document = func.lower(
        func.concat_ws(" ", *(func.coalesce(getattr(model, name), "") for name in model.__search_columns__))
    )
    for term in search_terms(text):
        grams = [term[i : i + 2] for i in range(len(term) - 1)] or [term]
        query = " & ".join(_lexeme(gram) for gram in dict.fromkeys(grams))
        stmt = stmt.where(model.search_vector.op("@@")(cast(literal(query), TSQUERY)))
        stmt = stmt.where(document.like(_like_pattern(term), escape="\\"))
    return stmt
