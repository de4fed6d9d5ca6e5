"""The three meetings (三会) a station holds with its residents: hearings (听证会) before ordering,
coordination and evaluation meetings about an order."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamped, enum_column


class MeetingKind(enum.Enum):
    """The three meetings (三会)."""

    HEARING = "HEARING"  # 听证会, before ordering
    COORDINATION = "COORDINATION"  # 协调会, during delivery
    EVALUATION = "EVALUATION"  # 评议会, after completion


class HearingDecision(enum.Enum):
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


# The columns statistics of hearings aggregate and group by, besides when they were held.
HEARING_STATISTICS_COLUMNS = (
    "station_id",
    "provider_id",
    "service_id",
    "project_id",
    "decision",
    "attendees",
    "votes_for",
    "votes_against",
    "votes_abstaining",
)


# A hearing is planned (no attendance, votes nor decision yet) or held (all of them); the
# other meetings are recorded once held, for an order.
SHAPE_OF_KIND = (
    "(kind = 'HEARING' AND order_id IS NULL AND (decision IS NULL) = (votes_for IS NULL)"
    " AND (decision IS NULL) = (votes_against IS NULL) AND (decision IS NULL) = (votes_abstaining IS NULL)"
    " AND (decision IS NULL) = (attendees IS NULL))"
    " OR (kind <> 'HEARING' AND order_id IS NOT NULL AND decision IS NULL AND votes_for IS NULL"
    " AND votes_against IS NULL AND votes_abstaining IS NULL AND attendees IS NOT NULL)"
)


class Meeting(Base, Timestamped):
    """A record of one of the three meetings a station holds with its residents.

    A hearing concerns a service or project the station considers ordering, and may be
    planned ahead (announced to residents) before its outcome is recorded; the
    coordination and evaluation meetings concern an order (and so its subject too).
    """

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("(service_id IS NULL) <> (project_id IS NULL)", name="one_subject"),
        CheckConstraint(SHAPE_OF_KIND, name="shape_of_kind"),
        CheckConstraint("attendees > 0", name="attendees_positive"),
        CheckConstraint(
            "votes_for >= 0 AND votes_against >= 0 AND votes_abstaining >= 0"
            " AND votes_for + votes_against + votes_abstaining <= attendees",
            name="votes_within_attendees",
        ),
        CheckConstraint(
            "(decision IS NOT DISTINCT FROM 'APPROVED') = (orders_authorized IS NOT NULL)"
            " AND orders_authorized BETWEEN 1 AND 10000",
            name="approval_authorizes_orders",
        ),
        Index("ix_meetings_order_id", "order_id"),
        # A station's meetings by time, and by kind or decision by time (resolvers.orders.meetings_list).
        Index("ix_meetings_station_id_held_at_id", "station_id", "held_at", "id"),
        Index("ix_meetings_station_id_kind_held_at_id", "station_id", "kind", "held_at", "id"),
        Index(
            "ix_meetings_station_id_decision_held_at_id",
            "station_id",
            "decision",
            "held_at",
            "id",
            postgresql_where=text("decision IS NOT NULL"),
        ),
        Index("ix_meetings_project_id_station_id", "project_id", "station_id"),
        Index("ix_meetings_service_id_station_id", "service_id", "station_id"),
        Index("ix_meetings_provider_id", "provider_id"),
        # Statistics of hearings (resolvers.statistics) read them from this index alone.
        Index(
            "ix_meetings_statistics_held_at",
            "held_at",
            postgresql_include=list(HEARING_STATISTICS_COLUMNS),
            postgresql_where=text("kind = 'HEARING'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MeetingKind] = mapped_column(enum_column(MeetingKind), nullable=False)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    # The provider of the subject, so its staff see the meetings about what they offer.
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), nullable=False)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", use_alter=True))
    held_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    attendees: Mapped[int | None] = mapped_column(Integer)
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    votes_abstaining: Mapped[int | None] = mapped_column(Integer)
    decision: Mapped[HearingDecision | None] = mapped_column(enum_column(HearingDecision))
    # How many orders an approving hearing authorizes (the orders placed on it count against it).
    orders_authorized: Mapped[int | None] = mapped_column(Integer)
    minutes: Mapped[str] = mapped_column(Text, nullable=False)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
