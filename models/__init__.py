"""SQLAlchemy models of doorstep. Nothing here knows about GraphQL."""

from models.accounts import LoginThrottle, Role, User
from models.base import Base
from models.catalog import (
    Audience,
    CapacityPeriod,
    Category,
    DeliveryMode,
    Provider,
    ProviderKind,
    PublicationStatus,
    Service,
    Tier,
)
from models.lists import (
    Availability,
    Demand,
    DemandProposal,
    DemandStatus,
    Project,
    Resource,
    ResourceKind,
    Urgency,
    project_resources,
)
from models.orders import (
    HearingDecision,
    Meeting,
    MeetingKind,
    Order,
    OrderAction,
    OrderEvent,
    OrderStatus,
)
from models.places import District, Facility, Station, StationKind, Town, TownKind

__all__ = [
    "Audience",
    "Availability",
    "Base",
    "CapacityPeriod",
    "Category",
    "DeliveryMode",
    "Demand",
    "DemandProposal",
    "DemandStatus",
    "District",
    "Facility",
    "LoginThrottle",
    "HearingDecision",
    "Meeting",
    "MeetingKind",
    "Order",
    "OrderAction",
    "OrderEvent",
    "OrderStatus",
    "Project",
    "Provider",
    "ProviderKind",
    "PublicationStatus",
    "Resource",
    "ResourceKind",
    "Role",
    "Service",
    "Station",
    "StationKind",
    "Tier",
    "Town",
    "TownKind",
    "Urgency",
    "User",
    "project_resources",
]
