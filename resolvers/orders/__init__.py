"""Orders: stations order, departments deliver (基层订购、部门送订单).

- `lifecycle`: the `LIFECYCLE` table of who may take which step from which status, the
  guarded change every step goes through, and what accept/decline/schedule/start/
  deliver/confirm/reject/cancel write.
- `deadlines`: local time, time limits, the deadlines of an order, capacity periods (for the seed;
  the database counts capacity with the same periods),
  and the one rule of when a deadline binds and is overdue (Python and SQL).
- `placement`: placing an order: the request and its checks, orderability, the refusal of a
  capacity counted at commit (migration 0026).
- `idempotency`: the order an account's idempotency key placed; an insert that places nothing twice
  (orders and whistles).
- `hearing_rule`: the hearing an order rests on (the latest held hearing decides; an approval
  authorizes the orders it names).
- `meetings`: the three meetings (三会): hearings (planned ahead or recorded), coordination
  meetings, evaluation.
- `whistles`: whistles (吹哨报到): a station calls a department in; referring one on.
- `queries`: loaders, the order and meeting filters and orderings, lists, nested lists and history.
- `board`: the boards of a station screen and a provider console, and their live cursor.
- `events`: the event outbox (`append_event`), live replay, event cursors and the
  scopes subscriptions follow.
- `live`: `LiveEvent`, what the event broker carries to subscribers.
- `alerts`: the scan that raises deadline alerts.
- `checks`: the limits of what orders hold and the input checks their steps share.
"""
