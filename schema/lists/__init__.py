"""The GraphQL side of the three lists (resources, projects, demands), proposals and suggestions.

- `enums`: the descriptions of the lists' enums.
- `types`: Resource, Project, Demand, DemandProposal, DemandSuggestion and their connections.
- `filters`: the filter and sort inputs of the lists' connections.
- `inputs`, `payloads`: what the mutations take and answer.
- `mutations`: ListsMutation; `queries`: ListsQuery.
"""
