"""The time bank (时间银行): volunteer points in an append-only, double-entry ledger, and rewards.

Every movement of points is a journal entry whose lines sum to zero (a deferred constraint
trigger checks it at commit); balances are the sums of an account's lines, never stored;
a volunteer's balance never goes below zero, and entries and lines are never updated nor
deleted (triggers, migration 0019).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamped, enum_column, name_column


class LedgerAccountKind(enum.Enum):
    VOLUNTEER = "VOLUNTEER"  # a volunteer's points: never negative
    ISSUED = "ISSUED"  # a station's points issued for confirmed work: the contra account, negative
    REDEEMED = "REDEEMED"  # a station's points spent on rewards


class EntryKind(enum.Enum):
    EARNING = "EARNING"  # confirmed work: the station's ISSUED account to the volunteer
    REDEMPTION = "REDEMPTION"  # a reward: the volunteer to the station's REDEEMED account


class LedgerAccount(Base):
    __tablename__ = "ledger_accounts"
    __table_args__ = (
        CheckConstraint("(kind = 'VOLUNTEER') = (volunteer_id IS NOT NULL)", name="volunteer_of_kind"),
        # One account of each kind per station, and one per volunteer.
        Index(
            "uq_ledger_accounts_station_id_kind",
            "station_id",
            "kind",
            unique=True,
            postgresql_where=text("kind <> 'VOLUNTEER'"),
        ),
        Index("uq_ledger_accounts_volunteer_id", "volunteer_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[LedgerAccountKind] = mapped_column(enum_column(LedgerAccountKind), nullable=False)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.user_id"))


class LedgerEntry(Base):
    __tablename__ = "ledger_entries"
    __table_args__ = (
        CheckConstraint("(kind = 'EARNING') = (task_id IS NOT NULL)", name="earning_for_a_task"),
        # Work is paid once.
        Index("uq_ledger_entries_task_id", "task_id", unique=True),
        Index("ix_ledger_entries_station_id_id", "station_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[EntryKind] = mapped_column(enum_column(EntryKind), nullable=False)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    memo: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class LedgerLine(Base):
    """One side of an entry: points into (positive) or out of (negative) an account."""

    __tablename__ = "ledger_lines"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        # A volunteer's history and balance: the lines of its account, newest first.
        Index("ix_ledger_lines_account_id_id", "account_id", "id", postgresql_include=["amount"]),
        Index("ix_ledger_lines_entry_id", "entry_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), nullable=False)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"), nullable=False)
    amount: Mapped[int] = mapped_column(Integer, nullable=False)


class Reward(Base, Timestamped):
    """A reward of the published catalog: a service or good a volunteer exchanges points for.

    Offered by one station, or by the district to every station (no station).
    """

    __tablename__ = "rewards"
    __table_args__ = (
        CheckConstraint("points_price BETWEEN 1 AND 100000", name="points_price_range"),
        Index("ix_rewards_station_id_points_price_id", "station_id", "points_price", "id"),
        Index("ix_rewards_district_id_points_price_id", "district_id", "points_price", "id"),
        Index("ix_rewards_points_price_id", "points_price", "id"),
        Index("ix_rewards_name_id", "name", "id"),
        Index("ix_rewards_created_at_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), nullable=False)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    name: Mapped[str] = name_column()
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    points_price: Mapped[int] = mapped_column(Integer, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)


class Redemption(Base):
    """A volunteer's exchange of points for a reward; its entry moves the points."""

    __tablename__ = "redemptions"
    __table_args__ = (
        # Retrying with the same key finds the first redemption (resolvers.time_bank.redeem).
        UniqueConstraint("volunteer_id", "idempotency_key"),
        Index("ix_redemptions_volunteer_id_id", "volunteer_id", "id"),
        Index("ix_redemptions_reward_id", "reward_id"),
        Index("uq_redemptions_entry_id", "entry_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.user_id"), nullable=False)
    reward_id: Mapped[int] = mapped_column(ForeignKey("rewards.id"), nullable=False)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), nullable=False)
    points: Mapped[int] = mapped_column(Integer, nullable=False)
    idempotency_key: Mapped[str] = mapped_column(String(100), nullable=False)
    redeemed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
