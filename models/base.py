"""Declarative base, shared column types and the n-gram search column."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import CheckConstraint, Computed, DateTime, Enum, Integer, MetaData, String, Table, func
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    if TYPE_CHECKING:
        # Every model maps a table (none a join or a subquery), so seeds insert into `Model.__table__`.
        __table__: ClassVar[Table]


def enum_column(enum_class: type[enum.Enum], name: str | None = None) -> Enum:
    """Store an enum as its name in a VARCHAR with a CHECK constraint.

    Native PostgreSQL enums need an ALTER TYPE (outside a transaction on older
    servers) for every new value; a checked VARCHAR migrates like any column.
    `name` names the CHECK constraint when a table has two columns of one enum.
    """
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=32,
        name=name or enum_class.__name__.lower(),
    )


def enum_array(enum_class: type[enum.Enum]) -> ARRAY:
    return ARRAY(Enum(enum_class, native_enum=False, create_constraint=False, length=32))


def search_vector(*columns: str) -> Mapped[str]:
    """A stored tsvector of the unigrams and bigrams of the given text columns.

    PostgreSQL's word parsers and pg_trgm depend on the server's locale and see no
    words in Chinese text under the C locale; character n-grams work in any locale.
    `doorstep_ngrams` is created by the first migration.
    """
    return mapped_column(
        TSVECTOR, Computed(f"doorstep_ngrams({search_document_sql(columns)})", persisted=True), deferred=True
    )


def search_document_sql(columns: tuple[str, ...]) -> str:
    """The SQL text a search vector indexes; searches recheck their terms against it."""
    return " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )


def name_column(length: int = 200) -> Mapped[str]:
    return mapped_column(String(length), nullable=False)


MAX_TIME_LIMIT_HOURS = 24 * 366
# The column prefixes of UrgencyTimeLimits: the names of models.lists.Urgency, lower-cased.
URGENCY_COLUMN_PREFIXES = ("emergency", "key", "routine")


def _time_limit_column(name: str) -> Mapped[int | None]:
    return mapped_column(
        Integer, CheckConstraint(f"{name} BETWEEN 1 AND {MAX_TIME_LIMIT_HOURS}", name=f"{name}_range")
    )


class UrgencyTimeLimits:
    """Per-urgency time limits of a service or project, in hours, for the response to an order
    (accept or decline) and for its delivery. Null keeps the default of the urgency
    (`resolvers.orders.deadlines.DEFAULT_TIME_LIMITS`)."""

    emergency_response_hours: Mapped[int | None] = _time_limit_column("emergency_response_hours")
    emergency_delivery_hours: Mapped[int | None] = _time_limit_column("emergency_delivery_hours")
    key_response_hours: Mapped[int | None] = _time_limit_column("key_response_hours")
    key_delivery_hours: Mapped[int | None] = _time_limit_column("key_delivery_hours")
    routine_response_hours: Mapped[int | None] = _time_limit_column("routine_response_hours")
    routine_delivery_hours: Mapped[int | None] = _time_limit_column("routine_delivery_hours")

    @property
    def time_limit_overrides(self) -> dict[str, tuple[int | None, int | None]]:
        """The overridden limits by urgency name: (response hours, delivery hours), None for a default."""
        limits = {
            urgency.upper(): (
                getattr(self, f"{urgency}_response_hours"),
                getattr(self, f"{urgency}_delivery_hours"),
            )
            for urgency in URGENCY_COLUMN_PREFIXES
        }
        return {urgency: hours for urgency, hours in limits.items() if hours != (None, None)}

    @time_limit_overrides.setter
    def time_limit_overrides(self, overrides: dict[str, tuple[int | None, int | None]]) -> None:
        """Replaces every override: an urgency left out goes back to its defaults."""
        for urgency in URGENCY_COLUMN_PREFIXES:
            response, delivery = overrides.get(urgency.upper(), (None, None))
            setattr(self, f"{urgency}_response_hours", response)
            setattr(self, f"{urgency}_delivery_hours", delivery)
