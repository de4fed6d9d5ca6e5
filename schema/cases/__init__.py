"""The GraphQL side of cases received at stations (首问责任制).

- `types`: `Case`, `CaseEvent`, their connections and the case enums' descriptions.
- `filters`: `CaseFilter` and `CaseSort`.
- `inputs`, `payloads`: the inputs and payloads of the case mutations.
- `mutations`, `queries`, `subscriptions`: `CasesMutation`, `CasesQuery`, `CasesSubscription`.
"""
