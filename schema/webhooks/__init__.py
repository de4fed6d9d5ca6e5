"""Webhooks in the API.

- `types`: `WebhookEndpoint` and `WebhookAttempt` (the delivery log), their connections.
- `filters`, `inputs`, `payloads`, `mutations`, `queries`: as in the other domains.
- `messages`: the body and `webhook-id` of the request sent for an order event.
"""
