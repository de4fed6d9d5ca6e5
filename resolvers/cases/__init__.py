"""Cases (matters) received at a station under first-inquiry responsibility (首问责任制).

- `lifecycle`: the `CASE_LIFECYCLE` table of who may take which step from which status, the
  guarded change every step goes through (`changing_case`), and what each step writes.
- `queries`: loaders, the case filter and orderings, lists and history.
- `events`: the case history as an outbox (`append_case_event`), live replay and the scopes
  the case feeds follow.
- `live`: `LiveCaseEvent`, what the case broker carries to subscribers.

Town supervision of cases (urge, escalate, extend, reassign) is in `resolvers.supervision`;
whistles a case becomes in `resolvers.orders.whistles`.
"""
