"""The order enums as the API describes them; fields annotate the model enums themselves."""

from __future__ import annotations

from models import HearingDecision, MeetingKind, OrderAction, OrderKind, OrderStatus
from models.orders import Deadline
from resolvers.orders.queries import MeetingSortField, OrderSortField
from schema.common import describe_enum

describe_enum(
    OrderStatus,
    "Where an order stands in its lifecycle.",
    {
        "SUBMITTED": "Placed by the station, waiting for the provider to accept or decline it.",
        "ACCEPTED": "Accepted by the provider, with a designated person responsible (指定责任制).",
        "DECLINED": "Declined by the provider, with a reason. Final.",
        "SCHEDULED": "Given a date and time by the provider.",
        "IN_PROGRESS": "Being delivered (again, after the station rejected a delivery).",
        "DELIVERED": "Delivered by the provider, waiting for the station to confirm or reject it.",
        "COMPLETED": "Delivery confirmed by the station, waiting for its evaluation.",
        "EVALUATED": "Evaluated by the station and its residents. Final.",
        "CANCELLED": "Cancelled by the station before work started. Final.",
    },
)
describe_enum(
    OrderAction,
    "Something done to an order: a step of its lifecycle.",
    {
        "PLACE": "The station placed the order (the first event of every order).",
        "ACCEPT": "The provider accepts the order and names the person responsible.",
        "DECLINE": "The provider declines the order, with a reason.",
        "SCHEDULE": "The provider sets (or changes) the date and time of delivery.",
        "START": "The provider starts the work.",
        "DELIVER": "The provider reports the work delivered.",
        "CONFIRM_DELIVERY": "The station confirms the delivery: the order is completed.",
        "REJECT_DELIVERY": "The station rejects the delivery with a reason: the work resumes.",
        "CANCEL": "The station cancels the order, possible until work starts.",
        "EVALUATE": "The station records the residents' evaluation, closing the order.",
        "RECORD_COORDINATION_MEETING": "The station records a coordination meeting (协调会) held during delivery.",
        "DEADLINE_NEARING": "Alert raised by the server: a quarter of a deadline's time limit is left.",
        "DEADLINE_PASSED": "Alert raised by the server: a deadline passed before the order got there.",
        "REFER": "The called department refers a whistle to another department, which must answer it in its "
        "stead (within the same response deadline).",
        "URGE": "Town staff urge (督办) the order on: it is late, or nearly.",
        "ESCALATE": "Town staff escalate the order to the district.",
        "EXTEND_DEADLINE": "Town staff extend a deadline of the order, with a reason; the note says which.",
        "REASSIGN": "Town staff reassign the order: another responsible person of the provider, or (for a "
        "whistle) another department.",
    },
)
describe_enum(
    OrderKind,
    "What an order asks for.",
    {
        "CATALOG": "A published service or project of the catalog (基层订购、部门送订单).",
        "WHISTLE": "A whistle (吹哨报到): a station calls a named department in for a matter outside any "
        "catalog, described in `matter`.",
    },
)
describe_enum(
    Deadline,
    "The two deadlines of an order, set by its urgency's time limits.",
    {
        "RESPONSE": "The provider's answer: accept or decline.",
        "DELIVERY": "The delivery.",
    },
)
describe_enum(
    MeetingKind,
    "The three meetings (三会) that govern a project entering a station.",
    {
        "HEARING": "Hearing (听证会) before ordering: residents decide whether to order it.",
        "COORDINATION": "Coordination meeting (协调会) during delivery, with residents taking part.",
        "EVALUATION": "Evaluation meeting (评议会) after completion: residents judge the result.",
    },
)
describe_enum(
    HearingDecision,
    "What the residents decided at a hearing.",
    {"APPROVED": "They approved ordering it.", "REJECTED": "They rejected ordering it."},
)
describe_enum(
    OrderSortField,
    "What lists of orders can be sorted by.",
    {
        "CREATED_AT": "When the order was placed.",
        "REQUESTED_START": "The first day the station asked for.",
        "RESPONSE_DUE_AT": "When the provider's answer is due.",
        "DELIVERY_DUE_AT": "When delivery is due.",
    },
)
describe_enum(
    MeetingSortField,
    "What lists of meetings can be sorted by.",
    {"HELD_AT": "When the meeting was held."},
)
