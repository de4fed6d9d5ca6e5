"""The GraphQL layer of volunteer tasks: `enums`, `types`, `filters`, `inputs`, `payloads`,
`mutations`, `queries`, `subscriptions` (the shape of `schema.orders`)."""
