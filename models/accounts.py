"""Accounts: who may sign in, with which role, over which part of the district."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamped, enum_column


class Role(enum.Enum):
    ADMIN = "ADMIN"  # district administrator: everything
    TOWN_STAFF = "TOWN_STAFF"  # the stations of one town
    STATION_STAFF = "STATION_STAFF"  # one station
    PROVIDER_STAFF = "PROVIDER_STAFF"  # one department or partner unit
    VOLUNTEER = "VOLUNTEER"  # a resident volunteer registered at one station (党员接单)


class User(Base, Timestamped):
    __tablename__ = "users"
    __table_args__ = (
        # Each role carries exactly the one scope it works in.
        CheckConstraint(
            "(role = 'ADMIN' AND town_id IS NULL AND station_id IS NULL AND provider_id IS NULL)"
            " OR (role = 'TOWN_STAFF' AND town_id IS NOT NULL AND station_id IS NULL AND provider_id IS NULL)"
            " OR (role = 'STATION_STAFF' AND station_id IS NOT NULL AND town_id IS NULL AND provider_id IS NULL)"
            " OR (role = 'PROVIDER_STAFF' AND provider_id IS NOT NULL AND town_id IS NULL AND station_id IS NULL)"
            " OR (role = 'VOLUNTEER' AND station_id IS NOT NULL AND town_id IS NULL AND provider_id IS NULL)",
            name="scope_matches_role",
        ),
        Index("ix_users_username_id", "username", "id"),
        Index("ix_users_station_id", "station_id"),
        Index("ix_users_provider_id", "provider_id"),
        Index("ix_users_town_id", "town_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(100), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[Role] = mapped_column(enum_column(Role), nullable=False)
    town_id: Mapped[int | None] = mapped_column(ForeignKey("towns.id"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class LoginThrottle(Base):
    """Failed sign-ins of one username from one client address, and until when that pair waits.

    Keyed by the pair, not by the account: a stranger's wrong guesses slow the stranger
    down and never lock the real user out from their own address. Rows exist for
    usernames that name no account alike, so the answers do not tell them apart.
    """

    __tablename__ = "login_throttles"
    __table_args__ = (Index("ix_login_throttles_last_failed_at", "last_failed_at"),)

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, nullable=False)
    last_failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ScreenToken(Base, Timestamped):
    """A read-only credential for one wall screen: a station's board and feed, or a provider's inbox.

    Only a hash of the token is kept (SHA-256: the token is 256 random bits, so a slow
    password hash would add nothing but a cost on every request); the token itself is
    shown once, when it is issued. A revoked token is refused from its next use on.
    """

    __tablename__ = "screen_tokens"
    __table_args__ = (
        CheckConstraint("(station_id IS NULL) <> (provider_id IS NULL)", name="one_scope"),
        Index("ix_screen_tokens_station_id_created_at_id", "station_id", "created_at", "id"),
        Index("ix_screen_tokens_provider_id_created_at_id", "provider_id", "created_at", "id"),
        Index("ix_screen_tokens_created_at_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
