"""The GraphQL side of orders: stations order, departments deliver (基层订购、部门送订单).

- `enums`: the descriptions of the order enums (statuses, actions, deadlines, meetings, sort fields).
- `types`: `Order`, `OrderEvent`, `Meeting`, their connections and small value types.
- `filters`: `OrderFilter` and `OrderSort`, the arguments of every list of orders.
- `inputs`: the inputs of the order mutations.
- `payloads`: the mutation payloads and `OrderUserError`.
- `mutations`, `queries`, `subscriptions`: `OrdersMutation`, `OrdersQuery`, `OrdersSubscription`.
"""
