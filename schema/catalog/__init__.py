"""GraphQL types of providers, categories and the service catalog.

- `enums`: the catalog's enums (tiers, audiences, delivery modes, publication
  statuses, provider kinds, urgencies, capacity periods, order fields), described once.
- `types`: Provider, Category, Service, what a publishable entry may become next,
  time limits, the facet counts of catalog connections, and the connections.
- `filters`: which providers and services to list and how to order them; the order
  input that resources and projects reuse.
- `inputs`: the inputs of the catalog's mutations, and time limits as inputs.
- `payloads`: the results of the catalog's mutations.
- `mutations`: `CatalogMutation`; `queries`: `CatalogQuery`.
"""
