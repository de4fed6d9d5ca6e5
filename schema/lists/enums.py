"""The GraphQL descriptions of the three lists' enums.

Fields annotate the model enums themselves; importing this module describes them.
"""

from __future__ import annotations

from models import Availability, DemandAction, DemandStatus, ResourceKind
from resolvers.lists.proposals import ProposalOrderField
from resolvers.lists.queries import DemandOrderField
from resolvers.lists.suggestions import SuggestionReason
from schema.common import describe_enum

describe_enum(
    ResourceKind,
    "What a resource is.",
    {
        "VENUE": "A venue or room (场地).",
        "FUNDS": "Funding (资金).",
        "EXPERT": "Experts or professionals (专家).",
        "VOLUNTEER_TEAM": "A volunteer team (志愿者队伍).",
        "MATERIALS": "Materials and supplies (物资).",
        "EQUIPMENT": "Equipment (设备).",
    },
)
describe_enum(
    Availability,
    "Whether a resource can be used now.",
    {
        "AVAILABLE": "Available.",
        "LIMITED": "Available in part or at some times; see the availability note.",
        "UNAVAILABLE": "Not available at the moment.",
    },
)
describe_enum(
    DemandStatus,
    "Where a demand stands.",
    {
        "OPEN": "Posted and waiting for an offer.",
        "MATCHED": "A provider has offered a project or resource.",
        "IN_PROGRESS": "Being addressed: an order was placed for it.",
        "RESOLVED": "Met: the last of its orders was evaluated, or its staff resolved it.",
        "CLOSED": "Closed without being met (withdrawn or obsolete).",
    },
)
describe_enum(
    DemandAction,
    "What moved a demand through its lifecycle.",
    {
        "POST": "Its station posted it: OPEN.",
        "PROPOSE": "A provider offered a project or resource for it: MATCHED.",
        "ORDER": "Its station placed the first order for it: IN_PROGRESS.",
        "ORDERS_EVALUATED": "The last of its open orders was evaluated: RESOLVED.",
        "RESOLVE": "Its station's staff resolved it, saying how: RESOLVED.",
        "CLOSE": "Its station's staff withdrew it: CLOSED.",
    },
)
describe_enum(
    ProposalOrderField,
    "What the proposals of a demand can be ordered by.",
    {"CREATED_AT": "When the proposal was made."},
)
describe_enum(
    SuggestionReason,
    "Why a project or resource is suggested for a demand.",
    {
        "IN_CATEGORY": "It is filed in the demand's category or one below it.",
        "IN_MAJOR_CATEGORY": "It is filed elsewhere in the demand's major category.",
        "SHARED_AUDIENCE": "It is meant for some of the demand's audiences.",
        "FOR_EVERYONE": "It (or the demand) is meant for everyone: a partial audience match.",
        "SAME_TIER": "It serves the livelihood tier the demand is filed under.",
        "SIMILAR_TEXT": "Its name or description shares words with the demand's title.",
    },
)
describe_enum(
    DemandOrderField,
    "What demands can be ordered by.",
    {"POSTED_AT": "When the demand was posted.", "TITLE": "The title."},
)
