"""Providers, categories and the service catalog.

- `queries`: loaders, filters, orderings, what each viewer sees, pages of providers and
  services (a station's menu), categories and their children; the filters services
  share with resources and projects.
- `facets`: counts of a connection's entries by tier and by major category.
- `services`: the fields and checks of a service; creating, changing, publishing one.
- `providers`: creating and changing providers (administrators).
- `categories`: creating and changing the category taxonomy (administrators).

The steps services share with resources and projects are in `resolvers.editing`.
"""
