"""Who may see and do what: every authorization rule of doorstep, in one package.

Queries, mutations and subscriptions all ask here. Reading rules are statements of
the rows a viewer may see, so a list, a lookup by id and a row locked for a change
apply the same rule, and a hidden row answers exactly like a missing one. Acting
rules name the roles that may act; the order lifecycle table names, per step, the
side (station or provider) that takes it.

One submodule per subject: `roles` (the roles each action admits, the viewer's scope),
`catalog`, `lists` (demands and proposals), `orders` (orders, meetings, residents' data, live
scopes), `cases`, `accounts`, `volunteers` (tasks and the time bank), `screens`, `statistics`
(figures and rankings) and `webhooks`. Callers import from `resolvers.access`.
"""

from __future__ import annotations

from resolvers.access.accounts import (
    visible_users,
)
from resolvers.access.cases import (
    case_owners,
    owns_case,
    visible_cases,
)
from resolvers.access.catalog import (
    acts_for_provider,
    creates_for_any_provider,
    may_create_for_provider,
    visible_entries,
)
from resolvers.access.lists import (
    may_post_for_station,
    posts_for_any_station,
    visible_demands,
    visible_proposals,
)
from resolvers.access.orders import (
    OFF_THE_BOARD,
    alert_scope,
    may_follow_provider,
    may_follow_station,
    may_see_resident,
    responsible_staff,
    visible_meetings,
    visible_orders,
)
from resolvers.access.roles import (
    CASE_HANDLERS,
    CATALOG_EDITORS,
    DEMAND_POSTERS,
    MANAGERS,
    ORDERERS,
    PROPOSERS,
    PROVIDER_SIDE,
    PUBLIC_SCOPE,
    REDEEMERS,
    REWARD_MANAGERS,
    SCOPE_OF_ROLE,
    STATION_SIDE,
    SUPERVISORS,
    TASK_CANCELLERS,
    TASK_POSTERS,
    VOLUNTEER_EDITORS,
    VOLUNTEER_REGISTRARS,
    VOLUNTEER_SIDE,
    WEBHOOK_OWNERS,
    WHISTLERS,
    not_visible,
    require_role,
    response_scope,
)
from resolvers.access.screens import (
    HARMLESS_ENTRY_POINTS,
    SCREEN_READS,
    may_issue_screen_token,
    screen_may_read,
    visible_screen_tokens,
)
from resolvers.access.statistics import (
    PUBLIC_DIMENSIONS,
    PUBLIC_FIGURES,
    STATISTICS_SOURCES,
    check_statistics_dimensions,
    may_see_provider_ratings,
    may_see_station_ratings,
    ranking_scope,
    statistics_scope,
)
from resolvers.access.volunteers import (
    acts_for_volunteer,
    may_act_for_station,
    may_follow_volunteer,
    may_manage_reward,
    may_see_task_resident,
    open_tasks_for,
    visible_ledger_accounts,
    visible_redemptions,
    visible_rewards,
    visible_task_events,
    visible_tasks,
    visible_volunteers,
)
from resolvers.access.webhooks import (
    may_register_webhooks_for,
    visible_webhook_attempts,
    visible_webhook_endpoints,
)

__all__ = [
    "CASE_HANDLERS",
    "CATALOG_EDITORS",
    "DEMAND_POSTERS",
    "HARMLESS_ENTRY_POINTS",
    "MANAGERS",
    "OFF_THE_BOARD",
    "ORDERERS",
    "PROPOSERS",
    "PROVIDER_SIDE",
    "PUBLIC_DIMENSIONS",
    "PUBLIC_FIGURES",
    "PUBLIC_SCOPE",
    "REDEEMERS",
    "REWARD_MANAGERS",
    "SCOPE_OF_ROLE",
    "SCREEN_READS",
    "STATION_SIDE",
    "STATISTICS_SOURCES",
    "SUPERVISORS",
    "TASK_CANCELLERS",
    "TASK_POSTERS",
    "VOLUNTEER_EDITORS",
    "VOLUNTEER_REGISTRARS",
    "VOLUNTEER_SIDE",
    "WEBHOOK_OWNERS",
    "WHISTLERS",
    "acts_for_provider",
    "acts_for_volunteer",
    "alert_scope",
    "case_owners",
    "check_statistics_dimensions",
    "creates_for_any_provider",
    "may_act_for_station",
    "may_create_for_provider",
    "may_follow_provider",
    "may_follow_station",
    "may_follow_volunteer",
    "may_issue_screen_token",
    "may_manage_reward",
    "may_post_for_station",
    "may_register_webhooks_for",
    "may_see_provider_ratings",
    "may_see_resident",
    "may_see_station_ratings",
    "may_see_task_resident",
    "not_visible",
    "open_tasks_for",
    "owns_case",
    "posts_for_any_station",
    "ranking_scope",
    "require_role",
    "response_scope",
    "responsible_staff",
    "screen_may_read",
    "statistics_scope",
    "visible_cases",
    "visible_demands",
    "visible_entries",
    "visible_ledger_accounts",
    "visible_meetings",
    "visible_orders",
    "visible_proposals",
    "visible_redemptions",
    "visible_rewards",
    "visible_screen_tokens",
    "visible_task_events",
    "visible_tasks",
    "visible_users",
    "visible_volunteers",
    "visible_webhook_attempts",
    "visible_webhook_endpoints",
]
